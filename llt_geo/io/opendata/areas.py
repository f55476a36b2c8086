"""The municipality's area division (gebiedsindeling): stadsdelen, wijken, buurten and gebieden.

Two layouts are read as the municipality publishes them:

- **maps.amsterdam.nl** (the 2022 division, layers ``INDELING_BUURT``, ``INDELING_GEBIED`` and the
  wijken/stadsdelen made from them): ``Buurtcode``, ``Buurt``, ``Wijkcode``, ``Wijk``,
  ``Stadsdeelcode``, ``Stadsdeel``, ``Gebiedcode``, ``Gebied``, ``CBS_Buurtcode``, lon/lat;
- **the data.amsterdam.nl API** (dataset ``gebieden``, WFS export, 2025): ``code``, ``naam``,
  ``cbs_code``, ``ligt_in_wijk_identificatie``, ``ligt_in_ggwgebied_identificatie``,
  ``eind_geldigheid``, in RD New. This layout names no wijk or stadsdeel: their codes follow
  from the buurt code (``FA01`` lies in wijk ``FA`` in stadsdeel ``F``, the municipality's own
  rule) and their names can be taken from another division (``names=``).

Wijken and stadsdelen not given as files are the union of their buurten. Every feature read is
mapped or reported: malformed or unknown codes (errors), buurten no longer valid
(``eind_geldigheid`` set), buurten without a gebied (Westpoort), a code whose CBS code or
``ligt_in_wijk`` link disagrees with it.

Licence: Gemeente Amsterdam open data (CC BY 4.0 for the gebiedsindeling on data.amsterdam.nl;
the copies in ``../shared/data/real`` state none, see SOURCES.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ...errors import Problem
from . import Adapted, RowCount, check_on_error, finish, missing_columns_error, read_geojson

__all__ = ["ATTRIBUTION", "STADSDEEL_LETTERS", "read_area_division", "read_areas_file"]

ATTRIBUTION = "Gebiedsindeling: Gemeente Amsterdam (data.amsterdam.nl / maps.amsterdam.nl), open data, CC BY 4.0"

#: the stadsdelen of the 2022 division (and stadsgebied Weesp, S)
STADSDEEL_LETTERS = frozenset("ABEFKMNST")

_PATTERNS = {
    "stadsdeel": re.compile(r"[A-Z]"),
    "wijk": re.compile(r"[A-Z][A-Z0-9]"),
    "buurt": re.compile(r"[A-Z][A-Z0-9][0-9A-Z][0-9A-Z]"),
    "gebied": re.compile(r"G[A-Z]\d\d"),
}
_CBS_PREFIX = {"wijk": "WK0363", "buurt": "BU0363"}

# the headers of each layout: level -> our column -> the publisher's header
_MAPS = {
    "buurt": {
        "code": "Buurtcode",
        "name": "Buurt",
        "wijk_code": "Wijkcode",
        "wijk_name": "Wijk",
        "stadsdeel_code": "Stadsdeelcode",
        "stadsdeel_name": "Stadsdeel",
        "gebied_code": "Gebiedcode",
        "gebied_name": "Gebied",
        "cbs_code": "CBS_Buurtcode",
    },
    "wijk": {
        "code": "Wijkcode",
        "name": "Wijk",
        "stadsdeel_code": "Stadsdeelcode",
        "stadsdeel_name": "Stadsdeel",
        "cbs_code": "CBS_Wijkcode",
    },
    "gebied": {
        "code": "Gebiedcode",
        "name": "Gebied",
        "stadsdeel_code": "Stadsdeelcode",
        "stadsdeel_name": "Stadsdeel",
    },
    "stadsdeel": {"code": "Stadsdeelcode", "name": "Stadsdeel"},
}
_API = {
    "code": "code",
    "name": "naam",
    "cbs_code": "cbs_code",
    "parent_id": "ligt_in_wijk_identificatie",
    "gebied_id": "ligt_in_ggwgebied_identificatie",
    "end": "eind_geldigheid",
}


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def read_areas_file(path: str | Path, level: str | None = None) -> tuple[gpd.GeoDataFrame, str, str, list[Problem]]:
    """One boundary file in either layout: (frame with our column names, level, layout, problems).

    ``level`` (``"buurt"``, ``"wijk"``, ``"stadsdeel"``, ``"gebied"``) is detected from the headers
    when not given. A missing column raises an error naming the file, the column and the fix.
    """
    path = Path(path)
    raw, meta = read_geojson(path)
    headers = [c for c in raw.columns if c not in ("feature", "feature_id", "geometry")]
    if "code" in headers and "naam" in headers:
        layout = "api"
        codes = raw["code"].map(_text).dropna().str.len()
        detected = {1: "stadsdeel", 2: "wijk", 4: "buurt"}.get(int(codes.mode().iloc[0]) if len(codes) else 4, "buurt")
        level = level or detected
        wanted = dict(_API) if level == "buurt" else {"code": "code", "name": "naam", "end": "eind_geldigheid"}
        optional = {"cbs_code", "parent_id", "gebied_id", "end"}
    else:
        layout = "maps"
        if level is None:
            level = next((lv for lv in ("buurt", "wijk", "gebied", "stadsdeel") if _MAPS[lv]["code"] in headers), None)
        if level is None:
            raise missing_columns_error(
                path.name,
                {"Buurtcode": "the area code (Buurtcode, Wijkcode, Gebiedcode or Stadsdeelcode; or 'code')"},
                headers,
                "give the municipality's boundary file as published (maps.amsterdam.nl or data.amsterdam.nl)",
            )
        wanted = dict(_MAPS[level])
        optional = {
            "cbs_code",
            "gebied_code",
            "gebied_name",
            "stadsdeel_name",
            "wijk_name",
            "name",
            "wijk_code",
            "stadsdeel_code",
        }
    missing = {
        h: f"the {level} {ours.replace('_', ' ')}"
        for ours, h in wanted.items()
        if ours not in optional and h not in headers
    }
    if missing:
        raise missing_columns_error(
            path.name,
            missing,
            headers,
            f"give the {level} layer as the municipality publishes it, with the column(s) "
            + ", ".join(map(repr, missing)),
        )
    frame = gpd.GeoDataFrame(
        {"feature": raw["feature"]} | {ours: raw[h].map(_text) if h in headers else None for ours, h in wanted.items()},
        geometry=raw.geometry,
        crs=raw.crs,
    )
    frame.attrs["file"] = path.name
    frame.attrs["meta"] = meta
    return frame, level, layout, []


class _Report:
    """Collects problems and which features of a file were left out."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.left_out: set[int] = set()

    def add(self, severity, column, message, frame, mask, fix, *, leave_out, values_col=None):
        mask = pd.Series(mask, index=frame.index).fillna(False).astype(bool)
        if not mask.any():
            return
        rows = tuple(int(r) for r in frame.loc[mask, "feature"])
        values = tuple(frame.loc[mask, values_col or column]) if (values_col or column) in frame else ()
        self.problems.append(
            Problem(
                severity, self.file, column, message, rows=rows, values=values, fix=fix, row_noun="feature", table=""
            )
        )
        if leave_out:
            self.left_out.update(rows)


def _check_codes(frame: gpd.GeoDataFrame, level: str, rep: _Report, header: str) -> None:
    code = frame["code"]
    bad = code.isna() | ~code.fillna("").map(lambda c: bool(_PATTERNS[level].fullmatch(c)))
    rep.add(
        "error",
        header,
        f"not a {level} code of the municipality's division",
        frame,
        bad,
        f"a {level} code looks like {'A' if level == 'stadsdeel' else 'FA' if level == 'wijk' else 'FA01'}"
        " (CBS codes such as WK0363FA are given in their own column); correct the file or the layer chosen",
        leave_out=True,
        values_col="code",
    )
    if level != "gebied":
        letter = code.fillna("").str.slice(0, 1)
        unknown = ~bad & ~letter.isin(STADSDEEL_LETTERS)
        rep.add(
            "error",
            header,
            "unknown code: its first letter is no stadsdeel of the 2022 division "
            f"({', '.join(sorted(STADSDEEL_LETTERS))})",
            frame,
            unknown,
            "check the code; a new stadsdeel would need llt_geo's STADSDEEL_LETTERS extended",
            leave_out=True,
            values_col="code",
        )
    dup = code.notna() & code.duplicated(keep=False)
    rep.add(
        "error",
        header,
        "code given to more than one feature",
        frame,
        dup,
        "keep one feature per code (a multipart area is one MultiPolygon)",
        leave_out=True,
        values_col="code",
    )
    if level in _CBS_PREFIX and "cbs_code" in frame and frame["cbs_code"].notna().any():
        expected = _CBS_PREFIX[level] + code.fillna("")
        wrong = frame["cbs_code"].notna() & (frame["cbs_code"] != expected)
        rep.add(
            "error",
            "CBS_Buurtcode" if level == "buurt" else "CBS_Wijkcode",
            "CBS code does not match the municipality's code",
            frame,
            wrong,
            f"the CBS code is '{_CBS_PREFIX[level]}' followed by the code",
            leave_out=True,
            values_col="cbs_code",
        )
    empty = frame.geometry.isna() | frame.geometry.is_empty
    rep.add(
        "error",
        "geometry",
        "no boundary",
        frame,
        empty,
        "export the layer with its polygons",
        leave_out=True,
        values_col="code",
    )
    invalid = ~empty & ~frame.geometry.is_valid
    if invalid.any():
        reasons = [shapely.is_valid_reason(g) for g in frame.geometry[invalid]]
        rep.add(
            "warning",
            "geometry",
            "invalid polygon repaired with make_valid",
            frame,
            invalid,
            "none needed; the repaired polygon is used",
            leave_out=False,
            values_col="code",
        )
        frame.loc[invalid, "geometry"] = shapely.make_valid(frame.geometry[invalid].to_numpy())
        frame.attrs.setdefault("repairs", reasons)


def _dissolve(buurten: gpd.GeoDataFrame, key: str, name_col: str | None) -> gpd.GeoDataFrame:
    groups = buurten.groupby(key, sort=True)
    geoms = [shapely.union_all(g.geometry.to_numpy()) for _, g in groups]
    data = {key: list(groups.groups.keys())}
    if name_col:
        data["name"] = [g[name_col].dropna().iloc[0] if g[name_col].notna().any() else None for _, g in groups]
    return gpd.GeoDataFrame(data, geometry=geoms, crs=buurten.crs)


def _check_maps_buurten(frame: gpd.GeoDataFrame, rep: _Report) -> None:
    """Fill a maps.amsterdam.nl buurt's missing wijk and stadsdeel codes from its code, and check the given ones."""
    frame["wijk_code"] = frame["wijk_code"].where(frame["wijk_code"].notna(), frame["code"].str.slice(0, 2))
    frame["stadsdeel_code"] = frame["stadsdeel_code"].where(
        frame["stadsdeel_code"].notna(), frame["code"].str.slice(0, 1)
    )
    for col, header, n in (("wijk_code", "Wijkcode", 2), ("stadsdeel_code", "Stadsdeelcode", 1)):
        wrong = frame["code"].notna() & (frame["code"].str.slice(0, n) != frame[col])
        rep.add(
            "error",
            header,
            f"does not agree with the buurt code (a buurt code starts with its {col[:-5]} code)",
            frame,
            wrong,
            "correct the code in the file",
            leave_out=True,
            values_col=col,
        )


def _check_api_buurten(frame: gpd.GeoDataFrame, rep: _Report) -> None:
    """Give an API buurt the wijk and stadsdeel codes of its code; report ended buurten and split wijk links."""
    frame["wijk_code"] = frame["code"].str.slice(0, 2)
    frame["stadsdeel_code"] = frame["code"].str.slice(0, 1)
    ended = frame["end"].notna()
    rep.add(
        "warning",
        "eind_geldigheid",
        "buurt no longer valid (eind_geldigheid set): left out",
        frame,
        ended,
        "none needed; export only the current buurten to silence this",
        leave_out=True,
        values_col="end",
    )
    if frame["parent_id"].notna().any():
        links = frame.loc[frame["code"].notna() & ~ended].groupby("wijk_code")["parent_id"].nunique()
        split = frame["wijk_code"].isin(links[links > 1].index)
        rep.add(
            "error",
            "ligt_in_wijk_identificatie",
            "buurten whose codes share a wijk lie in different wijken by their ligt_in_wijk link",
            frame,
            split,
            "report it to the municipality (data.amsterdam.nl)",
            leave_out=False,
            values_col="parent_id",
        )


def _level_names(buurt_rows: gpd.GeoDataFrame, layout: str, names: Adapted | None) -> tuple[pd.Series, pd.Series]:
    """Wijk and stadsdeel names by code: the maps layout carries them, ``names`` fills the gaps."""
    wijk_names = buurt_rows.groupby("wijk_code")["wijk_name"].first() if layout == "maps" else pd.Series(dtype=object)
    sd_names = (
        buurt_rows.groupby("stadsdeel_code")["stadsdeel_name"].first() if layout == "maps" else pd.Series(dtype=object)
    )
    if names is not None:
        wijk_names = wijk_names.combine_first(names.tables["wijken"].set_index("wijk_code")["name"])
        sd_names = sd_names.combine_first(names.tables["stadsdelen"].set_index("stadsdeel_code")["name"])
    return wijk_names, sd_names


def _buurt_table(buurt_rows: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """llt_geo's ``buurten`` table of the buurten kept, sorted by code."""
    return gpd.GeoDataFrame(
        {
            "buurt_code": buurt_rows["code"].to_numpy(),
            "name": buurt_rows["name"].to_numpy(),
            "wijk_code": buurt_rows["wijk_code"].to_numpy(),
            "stadsdeel_code": buurt_rows["stadsdeel_code"].to_numpy(),
        },
        geometry=buurt_rows.geometry.to_numpy(),
        crs=28992,
    ).sort_values("buurt_code", ignore_index=True)


def _buurt_gebied(buurt_rows: gpd.GeoDataFrame, layout: str, rep: _Report) -> pd.DataFrame:
    """Each kept buurt's gebied, sorted by buurt code; buurten in no gebied are reported."""
    gebied_col = "gebied_code" if layout == "maps" else "gebied_id"
    link = pd.DataFrame(
        {
            "buurt_code": buurt_rows["code"].to_numpy(),
            "gebied": buurt_rows[gebied_col].to_numpy() if gebied_col in buurt_rows else None,
        }
    )
    no_gebied = buurt_rows[gebied_col].isna() if gebied_col in buurt_rows else pd.Series(False, index=buurt_rows.index)
    rep.add(
        "warning",
        "Gebiedcode" if layout == "maps" else "ligt_in_ggwgebied_identificatie",
        "buurt in no gebied (the 2022 division leaves Westpoort, B, out of the 25 gebieden)",
        buurt_rows,
        no_gebied,
        "none needed: the buurt is used; it has no gebied",
        leave_out=False,
        values_col="code",
    )
    return link.sort_values("buurt_code", ignore_index=True)


def _dissolved_level(table_b: gpd.GeoDataFrame, lvl: str, key: str, nm: pd.Series) -> gpd.GeoDataFrame:
    """A wijk or stadsdeel table made as the union of its buurten, named from ``nm``."""
    dissolved = _dissolve(table_b, key, None)
    dissolved.insert(1, "name", dissolved[key].map(nm) if len(nm) else None)
    if lvl == "wijk":
        # .map, not .str: with every buurt left out the column is empty and not text
        dissolved.insert(2, "stadsdeel_code", dissolved[key].map(lambda c: c[:1] if isinstance(c, str) else None))
    return dissolved


def _check_wijk_stadsdeel(f2: gpd.GeoDataFrame, rep2: _Report) -> None:
    """Report a maps.amsterdam.nl wijk whose Stadsdeelcode is not the first letter of its code."""
    wrong = f2["code"].notna() & (f2["code"].str.slice(0, 1) != f2["stadsdeel_code"])
    rep2.add(
        "error",
        "Stadsdeelcode",
        "does not agree with the wijk code",
        f2,
        wrong,
        "correct the code in the file",
        leave_out=True,
        values_col="stadsdeel_code",
    )


def _level_link_problems(
    table: gpd.GeoDataFrame, lvl: str, key: str, child: pd.Series, file: str, layer_file: str, layout: str
) -> list[Problem]:
    """Buurten whose wijk (stadsdeel) is not in the given layer, and areas of the layer without buurten."""
    problems = []
    orphan = ~child.isin(table[key])
    if orphan.any():
        problems.append(
            Problem(
                "error",
                file,
                "Wijkcode" if lvl == "wijk" else "Stadsdeelcode",
                f"unknown code: not in the {lvl} layer {layer_file}",
                values=tuple(sorted(set(child[orphan]))),
                fix=f"give the {lvl} layer of the same division (same year) as the buurten",
            )
        )
    empty = ~table[key].isin(child)
    if empty.any():
        problems.append(
            Problem(
                "warning",
                layer_file,
                _MAPS[lvl]["code"] if layout == "maps" else "code",
                f"{lvl} without any buurt in {file}",
                values=tuple(table.loc[empty, key]),
                fix="give the buurten of the same division (same year)",
            )
        )
    return problems


def _level_from_file(
    given: str | Path,
    lvl: str,
    key: str,
    nm: pd.Series,
    table_b: gpd.GeoDataFrame,
    file: str,
    rep: _Report,
    result: Adapted,
) -> gpd.GeoDataFrame:
    """A wijk or stadsdeel layer given as its own file, checked, counted and matched with the buurten."""
    f2, _, lay2, _ = read_areas_file(given, lvl)
    rep2 = _Report(f2.attrs["file"])
    _check_codes(f2, lvl, rep2, "code" if lay2 == "api" else _MAPS[lvl]["code"])
    if lvl == "wijk" and lay2 == "maps":
        _check_wijk_stadsdeel(f2, rep2)
    keep2 = ~f2["feature"].isin(rep2.left_out)
    g = f2[keep2]
    data = {key: g["code"].to_numpy(), "name": g["name"].to_numpy()}
    if lvl == "wijk":
        data["stadsdeel_code"] = g["code"].str.slice(0, 1).to_numpy()
    table = gpd.GeoDataFrame(data, geometry=g.geometry.to_numpy(), crs=28992).sort_values(key, ignore_index=True)
    if table["name"].isna().all():
        table["name"] = table[key].map(nm)
    rep.problems.extend(rep2.problems)
    result.rows.append(RowCount(f2.attrs["file"], len(f2), int(keep2.sum()), len(f2) - int(keep2.sum())))
    rep.problems.extend(_level_link_problems(table, lvl, key, table_b[key], file, f2.attrs["file"], lay2))
    return table


def _unnamed_problems(levels: dict[str, gpd.GeoDataFrame], file: str) -> list[Problem]:
    """A warning per level whose names are (partly) unknown."""
    problems = []
    for lvl, key in (("wijk", "wijk_code"), ("stadsdeel", "stadsdeel_code")):
        unnamed = levels[lvl]["name"].isna()
        if unnamed.any():
            problems.append(
                Problem(
                    "warning",
                    file,
                    None,
                    f"{int(unnamed.sum())} {lvl} name(s) unknown: this layout names no {lvl}en",
                    values=tuple(levels[lvl].loc[unnamed, key]),
                    fix="pass names=<the 2022 division read with read_area_division> to take the names from it",
                )
            )
    return problems


def _renamed_buurt_problems(
    names: Adapted | None, table_b: gpd.GeoDataFrame, file: str, layout: str, code_header: str
) -> list[Problem]:
    """Buurten renamed, or codes new, since the division the names come from (warnings)."""
    if names is None or "buurten" not in names.tables:
        return []
    problems = []
    other = names.tables["buurten"].set_index("buurt_code")["name"]
    mine = table_b.set_index("buurt_code")["name"]
    common = mine.index.intersection(other.index)
    differ = [c for c in common if pd.notna(mine[c]) and pd.notna(other[c]) and mine[c] != other[c]]
    if differ:
        problems.append(
            Problem(
                "warning",
                file,
                "naam" if layout == "api" else "Buurt",
                f"{len(differ)} buurt name(s) differ from the division the names come from; this file's name is used",
                values=tuple(f"{c}: {other[c]!r} -> {mine[c]!r}" for c in differ),
                fix="none needed",
            )
        )
    new = sorted(set(mine.index) - set(other.index))
    if new:
        problems.append(
            Problem(
                "warning",
                file,
                code_header,
                "buurt codes not in the division the names come from",
                values=tuple(new),
                fix="none needed; their wijk and stadsdeel follow from the code",
            )
        )
    return problems


def _read_gebieden(gebieden: str | Path, rep: _Report, result: Adapted) -> gpd.GeoDataFrame:
    """The gebieden layer as a table sorted by code; its problems and row count are added."""
    f3, _, _, _ = read_areas_file(gebieden, "gebied")
    rep3 = _Report(f3.attrs["file"])
    _check_codes(f3, "gebied", rep3, "Gebiedcode")
    keep3 = ~f3["feature"].isin(rep3.left_out)
    g = f3[keep3]
    table = gpd.GeoDataFrame(
        {
            "gebied_code": g["code"].to_numpy(),
            "name": g["name"].to_numpy(),
            "stadsdeel_code": g["stadsdeel_code"].to_numpy(),
        },
        geometry=g.geometry.to_numpy(),
        crs=28992,
    ).sort_values("gebied_code", ignore_index=True)
    rep.problems.extend(rep3.problems)
    result.rows.append(RowCount(f3.attrs["file"], len(f3), int(keep3.sum()), len(f3) - int(keep3.sum())))
    return table


def read_area_division(
    buurten: str | Path,
    *,
    wijken: str | Path | None = None,
    stadsdelen: str | Path | None = None,
    gebieden: str | Path | None = None,
    names: Adapted | None = None,
    on_error: str = "raise",
) -> Adapted:
    """Read the municipality's area division into llt_geo's ``stadsdelen``, ``wijken`` and ``buurten``.

    Parameters
    ----------
    buurten : path
        The buurten layer: maps.amsterdam.nl ``INDELING_BUURT`` (2022) or the data.amsterdam.nl
        API export (``code``, ``naam``, ``cbs_code``, ... in RD).
    wijken, stadsdelen : path, optional
        Their own layers (either layout); without them they are the union of their buurten.
    gebieden : path, optional
        The ``INDELING_GEBIED`` layer (25 GGW-gebieden), returned in ``extras["gebieden"]``.
    names : Adapted, optional
        Another division's result whose wijk and stadsdeel names are used where this layout has
        none (the API layout names only buurten). Without it such names stay unknown (reported).
    on_error : {"raise", "report"}
        ``"raise"`` (default): any error raises one InputError listing all. ``"report"``: the
        features in error are left out of the tables and listed in ``problems``.

    Returns
    -------
    Adapted
        ``tables``: ``stadsdelen``, ``wijken``, ``buurten`` (EPSG:28992); ``extras``:
        ``buurt_gebied`` (each buurt's gebied, empty for Westpoort), ``gebieden`` when given,
        ``unmapped`` (every feature left out, with its reason).
    """
    check_on_error(on_error)
    result = Adapted(attribution=[ATTRIBUTION])
    frame, level, layout, _ = read_areas_file(buurten, "buurt")
    file = frame.attrs["file"]
    rep = _Report(file)
    code_header = "code" if layout == "api" else "Buurtcode"
    _check_codes(frame, "buurt", rep, code_header)
    if layout == "maps":
        _check_maps_buurten(frame, rep)
    else:
        _check_api_buurten(frame, rep)
    kept = ~frame["feature"].isin(rep.left_out)
    buurt_rows = frame[kept]
    wijk_names, sd_names = _level_names(buurt_rows, layout, names)
    table_b = _buurt_table(buurt_rows)
    result.rows.append(RowCount(file, len(frame), int(kept.sum()), len(frame) - int(kept.sum())))
    result.extras["buurt_gebied"] = _buurt_gebied(buurt_rows, layout, rep)

    # wijken and stadsdelen: own files, or the union of their buurten
    levels = {}
    for lvl, given, key in (("wijk", wijken, "wijk_code"), ("stadsdeel", stadsdelen, "stadsdeel_code")):
        nm = wijk_names if lvl == "wijk" else sd_names
        if given is None:
            levels[lvl] = _dissolved_level(table_b, lvl, key, nm)
        else:
            levels[lvl] = _level_from_file(given, lvl, key, nm, table_b, file, rep, result)
    rep.problems.extend(_unnamed_problems(levels, file))
    rep.problems.extend(_renamed_buurt_problems(names, table_b, file, layout, code_header))
    result.tables["stadsdelen"] = levels["stadsdeel"]
    result.tables["wijken"] = levels["wijk"]
    result.tables["buurten"] = table_b
    if gebieden is not None:
        result.extras["gebieden"] = _read_gebieden(gebieden, rep, result)
    left = frame[frame["feature"].isin(rep.left_out)]
    result.extras["unmapped"] = pd.DataFrame({"file": file, "feature": left["feature"], "code": left["code"]})
    result.problems.extend(rep.problems)
    return finish(result, on_error)
