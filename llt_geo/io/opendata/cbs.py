"""CBS Kerncijfers wijken en buurten: residents (total and 65+) and dwellings per wijk and buurt.

Layouts read as CBS (or a StatLine export) delivers them:

- **OData JSON** (``https://opendata.cbs.nl/ODataApi/odata/<table>/TypedDataSet``): a ``value``
  list of records, or the same records as an object keyed by region code. The keys
  (``AantalInwoners_5``, ``k_65JaarOfOuder_12``) carry a numeric suffix that changes from year to
  year, so they are found through the table's own ``DataProperties`` metadata, by the topic's
  title (``Aantal inwoners``, ``65 jaar of ouder``, ``Woningvoorraad``) and unit, never by a
  hard-coded key. The region column is the metadata's ``GeoDetail`` (``WijkenEnBuurten``).
- **CSV**: StatLine's CSV (headers are the OData keys or the topic titles, ``;`` or ``,``), the
  kwb "kerncijfers" file (``gwb_code_10``, ``a_inw``, ``a_65_oo``) and renamed selections of
  either (``neighb_code``, ``nr_residents``, ``age65plus``); ``columns=`` names any other header.

CBS marks a figure that is unknown, unreliable or secret with ``.`` (``null`` in OData JSON) and
leaves a cell empty where the figure cannot occur: both are *unknown* here, never 0, and reported
per column with their rows.

Older buurt figures (the pre-2022 division, e.g. kwb 2019 with age classes) are carried onto the
current division by **area-weighted interpolation** (:func:`interpolate`): each old buurt's count
is shared over the new areas it overlaps in proportion to the overlapping area. Per target area
the result states which share of each count came from old areas that were split (the part that
is an estimate) and how much of the area was covered.

Licence: CBS, CC BY 4.0 ("Bron: CBS").
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ...errors import InputError, Problem
from . import Adapted, RowCount, RowReporter, check_on_error, finish, load_json, missing_columns_error, read_geojson

__all__ = [
    "ATTRIBUTION",
    "FIELDS",
    "interpolate",
    "interpolate_old_figures",
    "map_topics",
    "read_data_properties",
    "read_kwb_csv",
    "read_kwb_odata",
    "read_old_buurten",
]

ATTRIBUTION = "Kerncijfers wijken en buurten: CBS (Centraal Bureau voor de Statistiek), CC BY 4.0 — Bron: CBS"

#: the figures llt_geo uses, each found by its CBS topic title (OData metadata), the stem of its
#: OData key (a check on the title), and the headers used for it in CBS's and others' CSV files
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "residents_total": {
        "titles": ("Aantal inwoners",),
        "stems": ("AantalInwoners",),
        "headers": ("a_inw", "aantal inwoners", "inwoners", "nr_residents", "bevolking"),
    },
    "residents_65plus": {
        "titles": ("65 jaar of ouder",),
        "stems": ("k_65JaarOfOuder",),
        "headers": ("a_65_oo", "65 jaar of ouder", "age65plus", "k_65jaarofouder", "inwoners 65+"),
    },
    "dwellings": {
        "titles": ("Woningvoorraad",),
        "stems": ("Woningvoorraad",),
        "headers": ("a_woning", "woningvoorraad", "dwellings"),
    },
}
_REGION_HEADERS = (
    "wijkenenbuurten",
    "gwb_code_10",
    "gwb_code",
    "regioaanduiding|codering",
    "codering",
    "codering_3",
    "neighb_code",
    "regiocode",
    "wijken en buurten",
)
_GM = "GM0363"
_CODE = re.compile(r"(GM|WK|BU)(\d{4})([A-Z0-9]{2})?([A-Z0-9]{2})?")
#: the counts carried onto the current division by interpolate_old_figures
_COUNTS = ["residents_total", "residents_65plus"]
_MISSING_MARKERS = {".": "'.' (CBS: unknown, unreliable or secret)", "": "empty (CBS: cannot occur)"}


# ---------------------------------------------------------------------------------------------
# metadata


_PROPS_FIX = "give the table's DataProperties.json from https://opendata.cbs.nl/ODataApi/odata/<table>/DataProperties"
_DATA_FIX = "give TypedDataSet JSON ({'value': [...]}) or an object keyed by region code, as CBS publishes it"


def read_data_properties(path: str | Path) -> pd.DataFrame:
    """CBS's ``DataProperties`` (a JSON list, or an OData ``{"value": [...]}``) as a table.

    Columns: ``Key``, ``Title``, ``Type``, ``Unit``, ``Datatype``, ``group`` (the title of the
    topic group it sits in, e.g. ``Leeftijdsgroepen``).
    """
    path = Path(path)
    data = load_json(path, "CBS OData JSON", _PROPS_FIX)
    items = data.get("value", data) if isinstance(data, dict) else data
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) and "Key" in i for i in items):
        raise InputError.one(
            path.name,
            "not CBS OData DataProperties (a list of records with 'Key', 'Title', 'Type')",
            fix=_PROPS_FIX,
        )
    bad = [i for i, item in enumerate(items, start=1) if not isinstance(item["Key"], str)]
    if bad:
        raise InputError.one(
            path.name,
            "'Key' is not a text",
            column="Key",
            rows=tuple(bad),
            values=tuple(repr(items[i - 1]["Key"]) for i in bad),
            row_noun="record",
            fix=_PROPS_FIX,
        )
    frame = pd.DataFrame(items)
    for col, kinds in (("Title", str), ("Type", str), ("Unit", str), ("ID", (str, int)), ("ParentID", (str, int))):
        if col in frame:  # compared or looked up below: a value of another JSON type is none
            frame[col] = frame[col].map(lambda v, kinds=kinds: v if isinstance(v, kinds) else None)
    for col in ("Title", "Type", "Unit", "Datatype", "ParentID", "ID"):
        if col not in frame:
            frame[col] = None
    titles = dict(zip(frame["ID"], frame["Title"], strict=False))
    frame["group"] = frame["ParentID"].map(titles)
    frame.attrs["file"] = path.name
    return frame[["Key", "Title", "Type", "Unit", "Datatype", "group"]]


def map_topics(properties: pd.DataFrame) -> tuple[dict[str, str], str | None]:
    """Our field -> the OData key that holds it, and the region key (the ``GeoDetail`` dimension).

    A topic matches by its title (and unit ``aantal``); its key's stem (the key without the
    numeric suffix) must then be the expected one, otherwise the match is refused: CBS renamed
    the topic and the mapping must be checked by hand.
    """
    topics = properties[properties["Type"] == "Topic"]
    found: dict[str, str] = {}
    for name, spec in FIELDS.items():
        title = topics["Title"].map(lambda t: t.strip() if isinstance(t, str) else None)
        hit = topics[title.isin(spec["titles"]) & (topics["Unit"].fillna("") == "aantal")]
        hit = hit[hit["Key"].str.replace(r"_\d+$", "", regex=True).isin(spec["stems"])]
        if len(hit) == 1:
            found[name] = hit["Key"].iloc[0]
        elif len(hit) > 1:
            raise InputError.one(
                properties.attrs.get("file", "DataProperties"),
                f"more than one topic titled {spec['titles'][0]!r}",
                column="Key",
                fix="pass columns= to say which key to use",
                values=tuple(hit["Key"]),
            )
    geo = properties.loc[properties["Type"] == "GeoDetail", "Key"]
    return found, (geo.iloc[0] if len(geo) else None)


# ---------------------------------------------------------------------------------------------
# values


def _parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Counts from CBS cells: (Int64 values, mask of CBS missing markers, mask of unreadable cells)."""
    text = values.map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip())
    marker = text.isna() | text.isin(list(_MISSING_MARKERS))
    num = pd.to_numeric(text.where(~marker), errors="coerce")
    # more than 2**53 is no count of people or dwellings (and would not fit a whole number): reported as such
    bad = ~marker & (num.isna() | (num < 0) | (num.fillna(0) % 1 != 0) | (num.abs() > 2.0**53))
    return num.where(~bad).round().astype("Int64"), marker, bad


def _region_level(code: str | None) -> str:
    if not isinstance(code, str) or not code:  # None, or NaN where a record has no region key
        return "malformed"
    m = _CODE.fullmatch(code)
    if not m:
        return "malformed"
    kind, gm, wk, bu = m.groups()
    if gm != _GM[2:]:
        return "outside"
    if kind == "GM" and not wk:
        return "gemeente"
    if kind == "WK" and wk and not bu:
        return "wijk"
    if kind == "BU" and wk and bu:
        return "buurt"
    return "malformed"


def _division_tables(division) -> dict[str, gpd.GeoDataFrame]:
    if division is None:
        return {}
    if isinstance(division, Adapted):
        return division.tables
    return dict(division)


def _check_regions(rep: RowReporter, codes: pd.Series, kinds: pd.Series, region_header: str) -> None:
    """Report malformed region codes (errors) and regions outside Amsterdam (warnings)."""
    rep.report(
        "error",
        region_header,
        "not a CBS region code (GM0363, WK0363xx, BU0363xxxx)",
        kinds == "malformed",
        codes.fillna(""),
        "give the file as CBS publishes it; region codes are not to be edited",
    )
    rep.report(
        "warning",
        region_header,
        "region outside the municipality of Amsterdam (GM0363): left out",
        kinds == "outside",
        codes,
        "none needed; filter the table on Amsterdam to silence this",
    )


def _field_counts(rep: RowReporter, cells: pd.Series, kinds: pd.Series, header: str) -> pd.Series:
    """One figure's counts (Int64), reporting cells that are no count and figures CBS left unknown."""
    values, marker, bad = _parse_counts(cells)
    rep.report(
        "error",
        header,
        "not a count",
        bad,
        cells.astype(str),
        "a count is a whole number >= 0, '.' for unknown or secret",
    )
    inside = kinds.isin(["wijk", "buurt", "gemeente"])
    rep.report(
        "warning",
        header,
        "figure unknown (CBS '.' or empty: unknown, unreliable or secret): kept as unknown, never 0",
        marker & inside,
        cells.map(lambda v: "null" if v is None else v),
        "none: CBS does not publish it; the figure stays unknown",
    )
    return values


def _flag_over(rep: RowReporter, figures: pd.DataFrame, headers_shown: dict[str, str]) -> None:
    """Mark (column ``over``) and report the regions with more residents aged 65+ than in total."""
    # CBS rounds every figure of a wijk or buurt to a multiple of 5 at random, each on its own: a buurt of
    # 0 inhabitants can show 5 aged 65+. llt_geo refuses 65+ above the total, so the table says unknown.
    over = (figures["residents_65plus"] > figures["residents_total"]).fillna(False).astype(bool)
    rep.report(
        "warning",
        headers_shown.get("residents_65plus"),
        "more residents aged 65+ than in total (CBS rounds each figure to a multiple of 5 at random, separately):"
        " 65+ unknown in the table, the figures as published kept in extras",
        over,
        figures["residents_65plus"].astype(str) + " > " + figures["residents_total"].astype(str),
        "none: the published figures contradict each other",
    )
    figures["over"] = over


def _figures(
    rep: RowReporter,
    records: pd.DataFrame,
    codes: pd.Series,
    kinds: pd.Series,
    fields: dict[str, str],
    headers_shown: dict[str, str],
) -> pd.DataFrame:
    """Code, kind and every figure of :data:`FIELDS` per record (unknown where the file has no column)."""
    figures = pd.DataFrame({"code": codes, "kind": kinds})
    for name in FIELDS:
        key = fields.get(name)
        if key is None:
            figures[name] = pd.array([pd.NA] * len(records), dtype="Int64")
            continue
        figures[name] = _field_counts(rep, records[key], kinds, headers_shown[name])
    _flag_over(rep, figures, headers_shown)
    return figures


def _column_problems(file: str, fields: dict[str, str], quiet: Iterable[str], unused: list[str]) -> list[Problem]:
    """Warnings for figures without a column and for columns llt_geo does not use."""
    problems = [
        Problem(
            "warning",
            file,
            None,
            f"no column for {name}: unknown for every area",
            fix="use a CBS table or selection that includes the topic "
            f"'{FIELDS[name]['titles'][0]}' (or name its header in columns=)",
        )
        for name in FIELDS
        if name not in fields and name not in quiet
    ]
    if unused:
        problems.append(
            Problem(
                "warning",
                file,
                None,
                f"{len(unused)} column(s) not used by llt_geo",
                values=tuple(unused),
                fix="none needed",
            )
        )
    return problems


def _error_rows(problems: list[Problem], file: str) -> set:
    """The rows named by an error of this file."""
    error_rows = set()
    for p in problems:
        if p.severity == "error" and p.file == file:
            error_rows.update(p.rows)
    return error_rows


def _level_part(
    rep: RowReporter, figures: pd.DataFrame, codes: pd.Series, region_header: str, lvl: str, key: str, error_rows: set
) -> pd.DataFrame:
    """The figures of one level's regions without errors, keyed by area code; regions given twice are dropped."""
    part = figures[(figures["kind"] == lvl) & ~figures["row"].isin(error_rows)].copy()
    part[key] = part["code"].str.slice(6)
    dup = part[key].duplicated(keep=False)
    if dup.any():
        rep.report(
            "error",
            region_header,
            "region given twice",
            figures["row"].isin(part.loc[dup, "row"]),
            codes,
            "keep one row per region",
        )
        error_rows.update(part.loc[dup, "row"])
        part = part[~dup]
    return part


def _drop_unknown_codes(
    rep: RowReporter,
    figures: pd.DataFrame,
    codes: pd.Series,
    region_header: str,
    lvl: str,
    key: str,
    part: pd.DataFrame,
    areas: pd.DataFrame,
    error_rows: set,
) -> pd.DataFrame:
    """Report and drop the regions whose code names no area of the division."""
    unknown = ~part[key].isin(areas[key])
    if unknown.any():
        rep.report(
            "error",
            region_header,
            f"unknown code: no {lvl} of this code in the area division",
            figures["row"].isin(part.loc[unknown, "row"]),
            codes,
            "use the CBS figures of the same year as the area division (CBS codes follow the"
            " municipality's division of that year), or interpolate older figures with"
            " interpolate_old_figures",
        )
        error_rows.update(part.loc[unknown, "row"])
        part = part[~unknown]
    return part


def _division_table(rep: RowReporter, lvl: str, key: str, part: pd.DataFrame, areas: pd.DataFrame) -> gpd.GeoDataFrame:
    """The division's areas of one level with their figures; areas without figures are reported."""
    merged = areas.merge(part[[key, *FIELDS, "over"]], on=key, how="left")
    without = ~areas[key].isin(part[key])
    if without.any() and not part.empty:
        rep.problems.append(
            Problem(
                "warning",
                rep.file,
                None,
                f"{int(without.sum())} {lvl}(en) of the area division"
                " without figures in this file: their figures are unknown",
                values=tuple(areas.loc[without, key]),
                fix="none needed if CBS publishes none for them",
            )
        )
    cols = [key, "name"] + (["stadsdeel_code"] if lvl == "wijk" else ["wijk_code", "stadsdeel_code"])
    frame = gpd.GeoDataFrame(merged[cols].copy(), geometry=merged.geometry, crs=areas.crs)
    frame["residents_total"] = merged["residents_total"].astype("Int64")
    frame["residents_65plus"] = merged["residents_65plus"].astype("Int64").mask(merged["over"].eq(True))
    return frame[[*cols, "residents_total", "residents_65plus", "geometry"]]


def _plain_table(part: pd.DataFrame, key: str) -> pd.DataFrame:
    """One level's figures without a division: code, residents and residents aged 65+."""
    plain = part[[key, "residents_total", "residents_65plus"]].reset_index(drop=True)
    plain["residents_65plus"] = plain["residents_65plus"].mask(part["over"].to_numpy())
    return plain


def _add_gemeente_check(result: Adapted, gm: pd.DataFrame) -> None:
    """The municipality's own total against the sum of its wijken, in ``extras["gemeente"]``."""
    # CBS counts residents without an exact address only at the municipal level, and rounds every wijk and
    # buurt to a multiple of 5
    if len(gm) == 1 and "wijken_figures" in result.extras:
        w = result.extras["wijken_figures"]
        for name in FIELDS:
            total, parts = gm[name].iloc[0], w[name]
            if pd.notna(total) and parts.notna().all():
                diff = int(total) - int(parts.sum())
                result.extras.setdefault("gemeente", pd.DataFrame(columns=["field", "gemeente", "sum_wijken", "diff"]))
                result.extras["gemeente"].loc[len(result.extras["gemeente"])] = [
                    name,
                    int(total),
                    int(parts.sum()),
                    diff,
                ]


def _count_rows(result: Adapted, file: str, figures: pd.DataFrame, error_rows: set, gm: pd.DataFrame) -> None:
    """Every record mapped or reported: ``extras["unmapped"]``, the row count and ``extras["accounting"]``."""
    unmapped = figures[figures["row"].isin(error_rows) | figures["kind"].isin(["outside", "malformed"])]
    result.extras["unmapped"] = unmapped[["row", "code", "kind"]].reset_index(drop=True)
    n = len(figures)
    reported = len(unmapped)
    mapped_as_total = len(gm)
    result.rows.append(RowCount(file, n, n - reported, reported))
    result.extras["accounting"] = pd.DataFrame(
        {
            "what": ["wijk", "buurt", "gemeente (the municipality's total: a check)", "reported"],
            "rows": [
                int(((figures["kind"] == "wijk") & ~figures["row"].isin(error_rows)).sum()),
                int(((figures["kind"] == "buurt") & ~figures["row"].isin(error_rows)).sum()),
                mapped_as_total,
                reported,
            ],
        }
    )


def _build(
    file: str,
    records: pd.DataFrame,
    row_numbers: list[int],
    row_noun: str,
    region: pd.Series,
    fields: dict[str, str],
    headers_shown: dict[str, str],
    division,
    level: str | None,
    unused: list[str],
    on_error: str,
    quiet: Iterable[str] = (),
) -> Adapted:
    """Common part of the OData and CSV readers: figures per region into wijken/buurten tables."""
    result = Adapted(attribution=[ATTRIBUTION])
    problems = result.problems
    rows = pd.Series(row_numbers, index=records.index)
    rep = RowReporter(file, rows, row_noun, problems)
    codes = region.map(lambda v: None if v is None else str(v).strip().upper() or None)
    kinds = codes.map(_region_level)
    region_header = headers_shown["region"]
    _check_regions(rep, codes, kinds, region_header)
    figures = _figures(rep, records, codes, kinds, fields, headers_shown)
    problems.extend(_column_problems(file, fields, quiet, unused))
    error_rows = _error_rows(problems, file)
    figures["row"] = rows
    gm = figures[figures["kind"] == "gemeente"]
    tables = _division_tables(division)
    out_tables: dict[str, pd.DataFrame] = {}
    for lvl, table, key in (("wijk", "wijken", "wijk_code"), ("buurt", "buurten", "buurt_code")):
        if level and lvl != level:
            continue
        part = _level_part(rep, figures, codes, region_header, lvl, key, error_rows)
        if tables.get(table) is not None:
            areas = tables[table]
            part = _drop_unknown_codes(rep, figures, codes, region_header, lvl, key, part, areas, error_rows)
            frame = _division_table(rep, lvl, key, part, areas)
            if not part.empty:
                out_tables[table] = frame
        elif not part.empty:
            out_tables[table] = _plain_table(part, key)
        if not part.empty:
            result.extras[f"{table}_figures"] = part[[key, *FIELDS]].reset_index(drop=True)
    _add_gemeente_check(result, gm)
    _count_rows(result, file, figures, error_rows, gm)
    result.tables.update(out_tables)
    return finish(result, on_error)


# ---------------------------------------------------------------------------------------------
# readers


def _odata_records(data: Path, geo_key: str | None) -> pd.DataFrame:
    """The data set's records (``{"value": [...]}``, a list, or an object keyed by region code) as cells."""
    raw = load_json(data, "CBS OData JSON", _DATA_FIX)
    if isinstance(raw, dict) and "value" in raw:
        raw = raw["value"]
        if not isinstance(raw, list):
            raise InputError.one(
                data.name, f"'value' is not a list of records (it is {type(raw).__name__})", fix=_DATA_FIX
            )
    if isinstance(raw, list):
        _no_records(data.name, list(enumerate(raw, start=1)))
        return pd.DataFrame(raw, dtype=object)
    if isinstance(raw, dict) and raw and all(isinstance(v, dict) for v in raw.values()):
        records = pd.DataFrame.from_dict(raw, orient="index", dtype=object)
        records.insert(0, geo_key or "WijkenEnBuurten", list(raw.keys()))
        return records.reset_index(drop=True)
    if isinstance(raw, dict) and raw:
        _no_records(data.name, list(raw.items()))
    raise InputError.one(
        data.name,
        "no records: not a CBS OData JSON data set" if raw in ({}, []) else "not a CBS OData JSON data set",
        fix=_DATA_FIX,
    )


def _no_records(file: str, items: list[tuple]) -> None:
    """An error naming the records (number or region key) that are not JSON objects, and an empty data set."""
    if not items:
        raise InputError.one(file, "no records: the data set is empty", fix=_DATA_FIX)
    bad = [key for key, value in items if not isinstance(value, dict)]
    if bad:
        raise InputError.one(
            file,
            "records that are not JSON objects (of OData key: value)",
            rows=tuple(bad),
            values=tuple(repr(v)[:40] for k, v in items if k in set(bad)),
            row_noun="record",
            fix=_DATA_FIX,
        )


def _odata_notes(file: str, absent_in_data: dict[str, str], not_in_meta: list[str], props_file: str) -> list[Problem]:
    """Warnings for topics of the metadata missing from the data set, and for keys the metadata does not describe."""
    problems = []
    if absent_in_data:
        problems.append(
            Problem(
                "warning",
                file,
                None,
                "topics in DataProperties but not in this data set: "
                + ", ".join(f"{k} ({n})" for n, k in absent_in_data.items())
                + "; unknown for every area",
                fix="download the data set with these topics ($select) from the same CBS table",
            )
        )
    if not_in_meta:
        problems.append(
            Problem(
                "warning",
                file,
                None,
                f"keys not described in {props_file}",
                values=tuple(not_in_meta),
                fix="give the DataProperties of the same table and version",
            )
        )
    return problems


def read_kwb_odata(
    data: str | Path,
    data_properties: str | Path,
    *,
    division: Adapted | Mapping | None = None,
    level: str | None = None,
    on_error: str = "raise",
) -> Adapted:
    """CBS Kerncijfers wijken en buurten in the OData JSON layout, keys mapped by ``DataProperties``.

    Parameters
    ----------
    data : path
        ``TypedDataSet`` JSON: ``{"value": [records]}``, a list of records, or an object keyed
        by region code (``{"WK0363AA": {"AantalInwoners_5": 9180, ...}}``).
    data_properties : path
        The same table's ``DataProperties.json``.
    division : Adapted or dict of tables, optional
        The area division of the same year (:func:`llt_geo.io.opendata.areas.read_area_division`):
        with it the result's ``wijken``/``buurten`` carry the boundaries and names, codes not in
        the division are errors (unknown code) and areas without figures are reported.
    level : {"wijk", "buurt"}, optional
        Only this level.

    Returns
    -------
    Adapted
        ``tables``: ``wijken`` and/or ``buurten`` with ``residents_total`` and
        ``residents_65plus`` (unknown where CBS has no figure or the file has no such topic);
        ``extras``: ``wijken_figures``/``buurten_figures`` (also dwellings), ``gemeente`` (the
        municipality's total against the sum of its wijken), ``topics`` (which OData key was
        used for what, with its title), ``unmapped``.
    """
    check_on_error(on_error)
    data = Path(data)
    props = read_data_properties(data_properties)
    fields, geo_key = map_topics(props)
    records = _odata_records(data, geo_key)
    region_col = geo_key if geo_key in records else None
    if region_col is None:
        raise missing_columns_error(
            data.name,
            {geo_key or "WijkenEnBuurten": "the region code (the GeoDetail dimension of DataProperties)"},
            list(records.columns),
            "give the data set and the DataProperties of the same CBS table",
        )
    present = {name: key for name, key in fields.items() if key in records}
    absent_in_data = {name: key for name, key in fields.items() if key not in records}
    known = set(props["Key"])
    unused = [c for c in records.columns if c not in (region_col, "ID", *present.values())]
    not_in_meta = [c for c in unused if c not in known]
    result = _build(
        data.name,
        records,
        list(range(1, len(records) + 1)),
        "record",
        records[region_col],
        present,
        {"region": region_col, **present},
        division,
        level,
        unused,
        "report",
        quiet=absent_in_data,
    )
    result.problems.extend(_odata_notes(data.name, absent_in_data, not_in_meta, props.attrs["file"]))
    titles = props.set_index("Key")["Title"]
    result.extras["topics"] = pd.DataFrame(
        [{"field": n, "key": k, "title": titles.get(k), "in_data": k in records} for n, k in fields.items()]
    )
    return finish(result, on_error)


def _sniff_sep(line: str) -> str:
    counts = {sep: line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=counts.get)


def _read_csv_cells(path: Path) -> tuple[list[str], pd.DataFrame]:
    """The CSV's headers (stripped) and its cells by column position; an empty or ragged file is an error."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = path.read_text(encoding="cp1252")
        except UnicodeDecodeError:  # bytes cp1252 leaves undefined: Latin-1 reads every byte
            text = path.read_text(encoding="latin-1")
    lines = text.splitlines()
    if not lines:
        raise InputError.one(path.name, "the file is empty", fix="give the CSV as downloaded")
    sep = _sniff_sep(lines[0])
    reader = csv.reader(lines, delimiter=sep)
    try:
        header, *body = list(reader)
    except csv.Error as exc:  # a NUL byte, a field longer than csv's limit
        raise InputError.one(
            path.name,
            f"cannot be read as CSV at line {reader.line_num}: {exc}",
            rows=(reader.line_num,),
            fix="give the CSV as downloaded",
        ) from None
    width = len(header)
    ragged = [i + 2 for i, r in enumerate(body) if len(r) != width]
    if ragged:
        raise InputError.one(
            path.name,
            f"rows with other than {width} fields",
            fix="give the CSV as downloaded (a value with the separator must be quoted)",
            rows=tuple(ragged),
        )
    return [h.strip() for h in header], pd.DataFrame(body, columns=range(width), dtype=object)


def _norm(header: str) -> str:
    """A header compared without regard to case and runs of white space."""
    return re.sub(r"\s+", " ", header.strip().lower())


def _candidates(name: str, columns: Mapping[str, str] | None, keys: dict[str, str], geo_key: str | None) -> list[str]:
    """The headers tried for one field, in order: ``columns=``, the OData key, the topic titles, known headers."""
    if columns and name in columns:
        return [columns[name]]
    if name == "region":
        return ([geo_key] if geo_key else []) + list(_REGION_HEADERS)
    return ([keys[name]] if name in keys else []) + list(FIELDS[name]["titles"]) + list(FIELDS[name]["headers"])


def _find_headers(
    file: str, names: list[str], columns: Mapping[str, str] | None, data_properties: str | Path | None
) -> tuple[dict[str, int], dict[str, str]]:
    """Our field -> the column position holding it, and -> its header; a header named in ``columns=`` must exist.

    Parameters
    ----------
    file : str
        The CSV's name, for the error.
    names : list of str
        The CSV's headers.
    columns : mapping, optional
        Our field -> the file's header, as given by the caller.
    data_properties : path, optional
        The table's ``DataProperties.json`` (its OData keys are tried first).
    """
    lookup = {_norm(h): i for i, h in enumerate(names)}
    fields: dict[str, int] = {}
    shown: dict[str, str] = {}
    props = read_data_properties(data_properties) if data_properties else None
    keys, geo_key = map_topics(props) if props is not None else ({}, None)
    for name in ("region", *FIELDS):
        for cand in _candidates(name, columns, keys, geo_key):
            i = lookup.get(_norm(cand))
            if i is None:  # StatLine's "Group|Title" headers
                i = next((j for h, j in lookup.items() if h.endswith("|" + _norm(cand))), None)
            if i is not None:
                fields[name], shown[name] = i, names[i]
                break
        if columns and name in columns and name not in fields:
            raise missing_columns_error(
                file,
                {columns[name]: f"the {name.replace('_', ' ')} (given in columns=)"},
                names,
                "correct the header given in columns=",
            )
    return fields, shown


def read_kwb_csv(
    path: str | Path,
    *,
    data_properties: str | Path | None = None,
    columns: Mapping[str, str] | None = None,
    division: Adapted | Mapping | None = None,
    level: str | None = None,
    on_error: str = "raise",
) -> Adapted:
    """CBS Kerncijfers wijken en buurten as CSV (StatLine export, the kwb file, or a renamed selection).

    Headers are found, in order: ``columns`` (our field -> the file's header; fields are
    ``region``, ``residents_total``, ``residents_65plus``, ``dwellings``), the OData keys of
    ``data_properties`` (StatLine's CSV of the raw data set), the topic titles (StatLine's CSV
    with titles, ``Regioaanduiding|Codering``), the kwb file's short names (``gwb_code_10``,
    ``a_inw``, ``a_65_oo``) and common renamings (``neighb_code``, ``nr_residents``,
    ``age65plus``). A missing region column is an error naming the file, the headers found and
    the fix; a missing figure column is unknown for every area (reported).
    """
    check_on_error(on_error)
    path = Path(path)
    names, records = _read_csv_cells(path)
    fields, shown = _find_headers(path.name, names, columns, data_properties)
    if "region" not in fields:
        raise missing_columns_error(
            path.name,
            {
                "WijkenEnBuurten": "the region code (WijkenEnBuurten, gwb_code_10, Regioaanduiding|Codering,"
                " neighb_code)"
            },
            names,
            "give the CSV as CBS publishes it, or name the region column: columns={'region': '<header>'}",
        )
    used = set(fields.values())
    unused = [names[i] for i in range(len(names)) if i not in used]
    # by position: a header typed twice still names one column
    data = pd.DataFrame({name: records[i] for name, i in fields.items()})
    fkeys = {n: n for n in FIELDS if n in fields}
    return _build(
        path.name,
        data,
        list(range(2, len(records) + 2)),
        "row",
        data["region"],
        fkeys,
        {"region": shown["region"], **{n: shown[n] for n in fkeys}},
        division,
        level,
        unused,
        on_error,
    )


# ---------------------------------------------------------------------------------------------
# older buurten onto the current division


def read_old_buurten(
    geometry: str | Path, names_csv: str | Path, *, code_column: str = "Regioaanduiding|Codering"
) -> Adapted:
    """The pre-2022 buurten with their CBS codes: the municipality's ``GEBIED_BUURTEN`` layer joined by
    buurt name to a CBS table that gives each name its code (``Buurt`` + ``Regioaanduiding|Codering``).

    The pre-2022 layer carries the municipality's own codes (``F81d``), CBS the ``BU0363xxxx``
    codes: the names are the link. Features whose name has no CBS code (new buurten coded ``0``
    in the CBS table), and names of the CBS table without a feature, are reported.

    Returns an Adapted with ``extras["areas"]`` (``cbs_code``, ``code``, ``name``, ``geometry``).
    """
    geo, _ = read_geojson(geometry)
    geo_file = Path(geometry).name
    csv_file = Path(names_csv).name
    for col in ("Buurt", "Buurt_code"):
        if col not in geo:
            raise missing_columns_error(
                geo_file,
                {col: "the buurt name and code"},
                list(geo.columns),
                "give the GEBIED_BUURTEN layer as published",
            )
    headers, cells = _read_csv_cells(Path(names_csv))  # any encoding, a broken line named: never a ParserError
    names = cells.set_axis(headers, axis=1)
    for col in ("Buurt", code_column):
        if col not in names:
            raise missing_columns_error(
                csv_file,
                {col: "the buurt name and its CBS code"},
                list(names.columns),
                f"give the CBS table with 'Buurt' and '{code_column}'",
            )
    result = Adapted(attribution=[ATTRIBUTION, "Buurtgrenzen (vóór 2022): Gemeente Amsterdam, open data"])
    codes = names[names[code_column].str.fullmatch(r"BU0363\w{4}")].drop_duplicates("Buurt")
    joined = geo.merge(codes[["Buurt", code_column]], on="Buurt", how="left")
    nocode = joined[code_column].isna()
    if nocode.any():
        result.problems.append(
            Problem(
                "warning",
                geo_file,
                "Buurt",
                "buurt without a CBS code in " + csv_file + " (coded '0' or absent there):"
                " figures given by code cannot reach it",
                rows=tuple(joined.loc[nocode, "feature"]),
                values=tuple(joined.loc[nocode, "Buurt"]),
                row_noun="feature",
                fix="none needed; an interpolation treats its area as without figures",
            )
        )
    result.rows.append(RowCount(geo_file, len(geo), len(geo), 0))
    result.extras["areas"] = gpd.GeoDataFrame(
        {
            "cbs_code": joined[code_column].to_numpy(),
            "code": joined["Buurt_code"].to_numpy(),
            "name": joined["Buurt"].to_numpy(),
        },
        geometry=joined.geometry.to_numpy(),
        crs=28992,
    )
    return result


@dataclass
class _Overlay:
    """Where source and target areas overlap (slivers left out): one entry per piece, as index arrays."""

    s_idx: np.ndarray
    t_idx: np.ndarray
    area: np.ndarray
    weight: np.ndarray
    raw_covered: np.ndarray
    covered: np.ndarray

    @property
    def split(self) -> np.ndarray:
        """Whether each piece's source area is shared over more than one target."""
        n_targets = np.bincount(self.s_idx, minlength=len(self.covered))
        return n_targets[self.s_idx] > 1


def _overlay(src: gpd.GeoDataFrame, tgt: gpd.GeoDataFrame, sliver: float) -> _Overlay:
    """The overlaps of source and target areas; a piece below ``sliver`` of its source area is boundary noise."""
    tree = shapely.STRtree(tgt.geometry.to_numpy())
    s_idx, t_idx = tree.query(src.geometry.to_numpy(), predicate="intersects")
    pieces = shapely.intersection(src.geometry.to_numpy()[s_idx], tgt.geometry.to_numpy()[t_idx])
    area = shapely.area(pieces)
    s_area = shapely.area(src.geometry.to_numpy())
    frac = area / s_area[s_idx]
    raw_covered = np.bincount(s_idx, weights=frac, minlength=len(src))
    keep = frac >= sliver
    s_idx, t_idx, area, frac = s_idx[keep], t_idx[keep], area[keep], frac[keep]
    covered = np.bincount(s_idx, weights=frac, minlength=len(src))
    weight = frac / covered[s_idx]  # each source's count is shared out whole over the targets it overlaps
    return _Overlay(s_idx, t_idx, area, weight, raw_covered, covered)


def _source_problems(
    src: gpd.GeoDataFrame, columns: list[str], source_key: str, ov: _Overlay, file: str
) -> list[Problem]:
    """Warnings for source areas partly outside every target, and for counts of sources outside every target."""
    problems: list[Problem] = []
    outside = (ov.raw_covered < 0.99) & (ov.covered > 0)
    if outside.any():
        problems.append(
            Problem(
                "warning",
                file,
                source_key,
                "source area partly outside every target area (its count is shared over the part inside)",
                values=tuple(
                    f"{k} ({(1 - c):.0%} outside)"
                    for k, c in zip(src.loc[outside, source_key], ov.raw_covered[outside], strict=True)
                ),
                fix="none needed when the divisions cover the same land",
            )
        )
    lost = ov.covered == 0
    for col in columns:
        if lost.any() and src.loc[lost, col].fillna(0).sum() > 0:
            problems.append(
                Problem(
                    "warning",
                    file,
                    col,
                    "source area outside every target area: its count reaches no target",
                    values=tuple(src.loc[lost, source_key]),
                    fix="give target areas that cover the source areas",
                )
            )
    return problems


def _interpolate_column(
    out: pd.DataFrame, src: gpd.GeoDataFrame, col: str, ov: _Overlay, source_key: str, target_key: str, file: str
) -> Problem | None:
    """Add ``col`` and ``<col>_share_split`` to ``out``; a warning when a target meets a source without a figure.

    Parameters
    ----------
    out : DataFrame
        The table per target (``target_key`` and ``n_sources`` already there).
    src : GeoDataFrame
        The source areas with ``col`` and ``source_key``.
    col, source_key, target_key, file : str
        The count, the keys, and the file named in the warning.
    ov : _Overlay
        The overlaps of source and target areas.
    """
    n = len(out)
    vals = pd.to_numeric(src[col], errors="coerce").to_numpy(dtype=float)
    contrib = vals[ov.s_idx] * ov.weight
    total = np.bincount(ov.t_idx, weights=np.nan_to_num(contrib), minlength=n)
    unknown_hit = np.bincount(ov.t_idx, weights=np.isnan(contrib).astype(float), minlength=n) > 0
    from_split = np.bincount(ov.t_idx, weights=np.nan_to_num(contrib) * ov.split, minlength=n)
    value = np.where(unknown_hit | (out["n_sources"].to_numpy() == 0), np.nan, total)
    out[col] = value
    with np.errstate(invalid="ignore", divide="ignore"):
        out[f"{col}_share_split"] = np.where(value > 0, from_split / value, np.where(value == 0, 0.0, np.nan))
    if not unknown_hit.any():
        return None
    hits: dict = {}
    for s, t in zip(ov.s_idx[np.isnan(contrib)], ov.t_idx[np.isnan(contrib)], strict=True):
        hits.setdefault(out[target_key].iloc[t], []).append(str(src[source_key].iloc[s]))
    return Problem(
        "warning",
        file,
        col,
        "target area partly in a source area without a figure: unknown, never a partial sum",
        values=tuple(f"{k} (from {', '.join(v)})" for k, v in sorted(hits.items())),
        fix="none; a figure for those source areas would make it known",
    )


def _coverage_problems(out: pd.DataFrame, target_key: str, file: str) -> list[Problem]:
    """Warnings for target areas not covered by any source area, and for those only partly covered."""
    problems: list[Problem] = []
    none = out["n_sources"] == 0
    if none.any():
        problems.append(
            Problem(
                "warning",
                file,
                None,
                f"{int(none.sum())} target area(s) not covered by any source area: their figures are unknown",
                values=tuple(out.loc[none, target_key]),
                fix="none; the source division does not reach them (Weesp joined Amsterdam in 2022)",
            )
        )
    thin = ~none & (out["area_covered"] < 0.95)
    if thin.any():
        problems.append(
            Problem(
                "warning",
                file,
                None,
                "target area only partly covered by source areas: its figures count what lies in the covered part",
                values=tuple(
                    f"{k} ({c:.0%} covered)"
                    for k, c in zip(out.loc[thin, target_key], out.loc[thin, "area_covered"], strict=True)
                ),
                fix="none needed when the uncovered part is water or new land",
            )
        )
    return problems


def _source_listing(src: gpd.GeoDataFrame, source_key: str, ov: _Overlay) -> pd.Series:
    """Per target (by position): its source keys with their weights, ``'BU03630001 0.50; ...'``."""
    srcs = pd.DataFrame({"t": ov.t_idx, "s": src[source_key].to_numpy()[ov.s_idx], "w": ov.weight})
    return srcs.groupby("t").apply(
        lambda g: "; ".join(f"{s} {w:.2f}" for s, w in zip(g["s"], g["w"], strict=True)), include_groups=False
    )


def interpolate(
    source: gpd.GeoDataFrame,
    target: gpd.GeoDataFrame,
    columns: Iterable[str],
    *,
    source_key: str,
    target_key: str,
    sliver: float = 0.01,
    source_file: str = "",
) -> tuple[pd.DataFrame, list[Problem]]:
    """Area-weighted interpolation of counts (``columns``) from ``source`` areas onto ``target`` areas.

    Each source area's count is shared over the target areas it overlaps in proportion to the
    overlapping area. Overlaps below ``sliver`` of a source area's own area are boundary noise
    (two digitisations of one line) and are ignored; the rest of the count is shared over the
    remaining overlaps (a source's count is never lost, its share outside every target is
    reported when above 1 %).

    A target's count is **unknown** when a source area that overlaps it has no figure for it
    (never a partial sum) and when no source area overlaps it at all (e.g. Weesp before 2022).

    Returns a table per target: ``<target_key>``, each column (float), ``<column>_share_split``
    (the share of the count that came from source areas split over several targets: the part
    that is an area-weighted estimate rather than a whole area's count), ``n_sources``,
    ``area_covered`` (share of the target's area covered by source areas), ``sources`` (the source
    keys with their weights), and the problems (areas without figures, uncovered areas).
    """
    columns = list(columns)
    file = source_file or "source areas"
    src = source.reset_index(drop=True)
    tgt = target.reset_index(drop=True)
    ov = _overlay(src, tgt, sliver)
    problems = _source_problems(src, columns, source_key, ov, file)
    out = pd.DataFrame({target_key: tgt[target_key]})
    t_area = shapely.area(tgt.geometry.to_numpy())
    out["n_sources"] = np.bincount(ov.t_idx, minlength=len(tgt))
    out["area_covered"] = np.bincount(ov.t_idx, weights=ov.area, minlength=len(tgt)) / t_area
    for col in columns:
        problem = _interpolate_column(out, src, col, ov, source_key, target_key, file)
        if problem is not None:
            problems.append(problem)
    problems += _coverage_problems(out, target_key, file)
    out["sources"] = out.index.map(_source_listing(src, source_key, ov))
    return out, problems


def _buurt_figures(figures: Adapted) -> tuple[pd.DataFrame, str]:
    """The buurt figures to interpolate and the file they came from; none is an error."""
    fig = figures.extras.get("buurten_figures")
    if fig is None:
        raise InputError.one(
            figures.rows[0].file if figures.rows else "",
            "no buurt figures to interpolate",
            fix="read the file with level='buurt'",
        )
    return fig, figures.rows[0].file if figures.rows else "figures"


def _old_sources(areas: gpd.GeoDataFrame, fig: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The old buurten with their figures; warnings for figures without a boundary and buurten without figures."""
    problems: list[Problem] = []
    fig = fig.assign(cbs_code="BU0363" + fig["buurt_code"])
    src = areas.merge(fig, on="cbs_code", how="left")
    nogeo = ~fig["cbs_code"].isin(areas["cbs_code"].dropna())
    if nogeo.any():
        lost = {c: int(fig.loc[nogeo, c].fillna(0).sum()) for c in _COUNTS}
        problems.append(
            Problem(
                "warning",
                file,
                None,
                "code without an old buurt boundary: its figures reach no current area ("
                + ", ".join(f"{c} {v}" for c, v in lost.items())
                + " left out of the interpolation)",
                values=tuple(fig.loc[nogeo, "cbs_code"]),
                fix="give the boundaries of the same year as the figures, or a name table that codes them",
            )
        )
    nofig = src["residents_total"].isna() & src["residents_65plus"].isna()
    if nofig.any():
        problems.append(
            Problem(
                "warning",
                file,
                None,
                f"{int(nofig.sum())} old buurt(en) without figures in this file: current areas"
                " overlapping them are unknown",
                values=tuple(src.loc[nofig, "name"]),
                fix="none needed if CBS published no figures for them that year",
            )
        )
    return src, problems


def _assume_empty(src: pd.DataFrame, empty: set, file: str) -> Problem:
    """Set the named old buurten without figures to 0 residents; the warning saying so, or an error for a wrong name."""
    nofig = src["residents_total"].isna() & src["residents_65plus"].isna()
    chosen = nofig & (src["name"].isin(empty) | src["code"].isin(empty) | src["cbs_code"].isin(empty))
    src.loc[chosen, _COUNTS] = 0
    problem = Problem(
        "warning",
        file,
        None,
        f"{int(chosen.sum())} old buurt(en) without figures taken as without residents, as asked"
        " (assume_empty): an assumption, not a CBS figure",
        values=tuple(src.loc[chosen, "name"]),
        fix="remove them from assume_empty to keep the areas overlapping them unknown",
    )
    not_found = empty - set(src.loc[chosen, "name"]) - set(src.loc[chosen, "code"]) - set(src.loc[chosen, "cbs_code"])
    if not_found:
        raise InputError.one(
            file,
            "assume_empty names an area that is not an old buurt without figures",
            fix="name old buurten without figures (see the warning listing them) by name or code",
            values=tuple(sorted(not_found)),
        )
    return problem


def _rounded_table(
    tgt: gpd.GeoDataFrame, est: pd.DataFrame, key: str, file: str
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """The target areas with the estimates rounded to whole residents; 65+ above the total is unknown (reported)."""
    out = tgt.drop(columns=[c for c in _COUNTS if c in tgt]).copy()
    for c in _COUNTS:
        out[c] = pd.array(np.round(est[c].to_numpy()), dtype="Float64").astype("Int64")
    over = (out["residents_65plus"] > out["residents_total"]).fillna(False).astype(bool)
    if not over.any():
        return out, []
    problem = Problem(
        "warning",
        file,
        "residents_65plus",
        "more residents aged 65+ than in total after interpolation (from CBS's rounding to 5 in the"
        " source areas): 65+ unknown in the table, the estimate kept in extras['interpolation']",
        values=tuple(
            f"{k}: {a} > {b}"
            for k, a, b in zip(
                out.loc[over, key], out.loc[over, "residents_65plus"], out.loc[over, "residents_total"], strict=True
            )
        ),
        fix="none: the source figures contradict each other",
    )
    out["residents_65plus"] = out["residents_65plus"].mask(over)
    return out, [problem]


def interpolate_old_figures(
    figures: Adapted,
    old_areas: Adapted | gpd.GeoDataFrame,
    division: Adapted,
    *,
    level: str = "wijk",
    sliver: float = 0.01,
    assume_empty: Iterable[str] = (),
) -> Adapted:
    """Older CBS buurt figures (``read_kwb_csv(..., level="buurt")``) onto the current division.

    ``old_areas`` is :func:`read_old_buurten`'s result (the old buurten with their CBS codes).
    Figures whose code has no old area are reported with their counts (they reach no target).
    Old buurten without figures make the current areas they overlap unknown, unless they are named
    in ``assume_empty`` (by name or code): then they are taken as without residents, reported as
    the assumption it is (e.g. a new island that a later CBS year counts with 0 inhabitants).
    Returns ``tables[wijken|buurten]`` with the counts rounded to whole residents (an estimate:
    see ``extras["interpolation"]`` for the unrounded values, the share of each count that came
    from split areas, coverage and sources).
    """
    areas = old_areas.extras["areas"] if isinstance(old_areas, Adapted) else old_areas
    fig, file = _buurt_figures(figures)
    old_credit = old_areas.attribution if isinstance(old_areas, Adapted) else []
    result = Adapted(attribution=list(dict.fromkeys(figures.attribution + old_credit + division.attribution)))
    result.problems.extend(figures.problems)
    result.rows.extend(figures.rows)
    src, problems = _old_sources(areas, fig, file)
    result.problems.extend(problems)
    empty = set(assume_empty)
    if empty:
        result.problems.append(_assume_empty(src, empty, file))
    src["source"] = src["cbs_code"].fillna(src["code"])
    table = "wijken" if level == "wijk" else "buurten"
    key = "wijk_code" if level == "wijk" else "buurt_code"
    tgt = division.tables[table]
    est, problems = interpolate(
        src, tgt, list(_COUNTS), source_key="source", target_key=key, sliver=sliver, source_file=file
    )
    result.problems.extend(problems)
    result.extras["interpolation"] = est
    result.tables[table], problems = _rounded_table(tgt, est, key, file)
    result.problems.extend(problems)
    return result
