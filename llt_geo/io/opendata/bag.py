"""BAG: dwellings (verblijfsobjecten with gebruiksdoel *woonfunctie*) counted per pand.

Two layouts are read as they are published:

- **UVA2**, the city of Amsterdam's own BAG exchange format (Basisinformatie; ``;``-separated
  text with three header lines ``VAN;``, ``TM;``, ``HISTORISCHE_CYCLI;``, then the column names):
  ``VBO_*.UVA2`` (verblijfsobjecten), ``PND_*.UVA2`` (panden) and ``PNDVBO_*.UVA2`` (the links
  between them). Ids have 14 digits (``0363`` + 10). The gebruiksdoel is the city's domain
  ``GebruiksdoelVerblijfsobjectDomein``: the 1000 series is the woonfunctie (``1010``
  BEST-woning, ``1030`` BEST-wooneenheden; the city's own import maps both to 1000 woonfunctie).
- **The BAG 2.0 GeoPackage** as PDOK publishes it (``bag-light.gpkg``): layers ``pand``
  (``identificatie``, ``bouwjaar``, ``status``, polygon) and ``verblijfsobject``
  (``identificatie``, ``gebruiksdoel`` -- one or more of the eleven values of the Bouwbesluit,
  comma-separated --, ``pand_identificatie``, ``status``, point). Ids have 16 digits.

Both give one **building table** (the input of :func:`llt_geo.discovery.discover_candidates`):
``building_id`` (the national 16-digit pand id), ``n_dwellings`` (verblijfsobjecten in use
with woonfunctie, a *count*), ``n_dwellings_min`` (the same over the verblijfsobjecten whose
use is known), ``n_verblijfsobjecten``, ``building_year``, ``pand_status``, ``location_source``
and a point (the pand's representative point, or the mean of its verblijfsobjecten when the
pand has no geometry, as in the UVA2 sample). ``n_dwellings`` is ``<NA>`` -- unknown, never 0 --
when a verblijfsobject of the pand has an unknown gebruiksdoel or status.

Nothing is dropped silently: :attr:`BagResult.not_mapped` lists every row not counted with its
reason (no longer valid, not in use, outside the municipality, no pand, in several panden,
unknown gebruiksdoel), and :attr:`BagResult.rows` says per file read = mapped + reported.

Licence: BAG is open data of the Kadaster and the municipalities (CC0); UVA2 extracts are the
city of Amsterdam's (Basisinformatie).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ...errors import InputError, Problem
from . import RowCount, count_rows, require_columns

__all__ = [
    "ATTRIBUTION",
    "BagResult",
    "GEBRUIKSDOELEN",
    "national_id",
    "read_bag",
    "read_bag_gpkg",
    "read_bag_uva2",
]

ATTRIBUTION = "BAG: Kadaster en gemeenten (Basisregistratie Adressen en Gebouwen), open data, CC0"

#: the eleven gebruiksdoelen of the BAG (Bouwbesluit 2012, art. 1.1; IMBAG domain Gebruiksdoel)
GEBRUIKSDOELEN = frozenset(
    {
        "woonfunctie",
        "bijeenkomstfunctie",
        "celfunctie",
        "gezondheidszorgfunctie",
        "industriefunctie",
        "kantoorfunctie",
        "logiesfunctie",
        "onderwijsfunctie",
        "sportfunctie",
        "winkelfunctie",
        "overige gebruiksfunctie",
    }
)
#: verblijfsobject statuses (IMBAG) whose dwellings exist and are counted
VBO_IN_USE = frozenset(
    {"verblijfsobject in gebruik", "verblijfsobject in gebruik (niet ingemeten)", "verbouwing verblijfsobject"}
)
#: verblijfsobject statuses that are not (or no longer) a dwelling: reported, not counted
VBO_NOT_IN_USE = frozenset(
    {
        "verblijfsobject gevormd",
        "niet gerealiseerd verblijfsobject",
        "verblijfsobject ingetrokken",
        "verblijfsobject buiten gebruik",
        "verblijfsobject ten onrechte opgevoerd",
    }
)
PAND_GONE = frozenset({"pand gesloopt", "niet gerealiseerd pand", "pand ten onrechte opgevoerd"})
#: the city's UVA2 status codes (Amsterdam's domain STS): in use, and not (yet/any more)
UVA2_VBO_IN_USE = frozenset({"20", "21"})
UVA2_VBO_NOT_IN_USE = frozenset({"18", "19", "22", "23"})
#: BAG's placeholder for an unknown building year
UNKNOWN_YEAR = 1005
DEFAULT_MUNICIPALITIES = ("0363", "0457")  # Amsterdam, and Weesp (merged in 2022, ids keep 0457)

_UVA2 = {
    "VBO": {
        "id": "Verblijfsobjectidentificatie",
        "x": "X-Coordinaat",
        "y": "Y-Coordinaat",
        "doel": "GebruiksdoelVerblijfsobjectDomein",
        "doel_text": "OmschrijvingGebruiksdoelVerblijfsobjectDomein",
        "status": "VBOSTS/STS/Code",
        "vervallen": "Indicatie-vervallen",
        "end": "TijdvakGeldigheid/einddatumTijdvakGeldigheid",
    },
    "PND": {
        "id": "Pandidentificatie",
        "year": "OorspronkelijkBouwjaarPand",
        "status": "PNDSTS/STS/Code",
        "vervallen": "Indicatie-vervallen",
        "end": "TijdvakGeldigheid/einddatumTijdvakGeldigheid",
    },
    "PNDVBO": {
        "pand": "Pandidentificatie",
        "vbo": "PNDVBO/VBO/Verblijfsobjectidentificatie",
        "end": "PNDVBO/TijdvakRelatie/einddatumRelatie",
    },
}
_OPTIONAL = {"doel_text", "status", "vervallen", "end", "year"}
_GPKG = {
    "pand": {"id": "identificatie", "year": "bouwjaar", "status": "status"},
    "verblijfsobject": {
        "id": "identificatie",
        "doel": "gebruiksdoel",
        "pand": "pand_identificatie",
        "status": "status",
    },
}
_GPKG_OPTIONAL = {"year", "status"}


@dataclass
class BagResult:
    """What a BAG adapter made of the files.

    Attributes
    ----------
    buildings : GeoDataFrame
        One row per pand (points in EPSG:28992); columns in the module's docstring.
    not_mapped : DataFrame
        Every row not counted: ``file``, ``row`` (line in the file, or feature number),
        ``id``, ``reason``.
    problems : list of Problem
        One warning per reason (with the rows), and the errors of ``on_error="report"``.
    rows : list of RowCount
        Per file: read = mapped + reported.
    attribution : list of str
        The licence line to show with the data.
    """

    buildings: gpd.GeoDataFrame
    not_mapped: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowCount] = field(default_factory=list)
    attribution: list[str] = field(default_factory=lambda: [ATTRIBUTION])

    @property
    def balanced(self) -> bool:
        return all(r.balanced for r in self.rows)


def national_id(ids: pd.Series, object_type: str) -> pd.Series:
    """The national 16-digit BAG id of Amsterdam's 14-digit ids (``0363`` + type + 10 digits).

    ``object_type`` is ``"10"`` for a pand, ``"01"`` for a verblijfsobject. 16-digit ids are
    kept; ids that lost their leading zero by being stored as numbers (13 or 15 digits) get it
    back; anything else becomes ``<NA>``.
    """
    text = ids.astype("string").str.strip()
    digits = text.str.fullmatch(r"\d+").fillna(False)
    # an id stored as a number lost its leading zero (0363...): 13 or 15 digits get it back
    lost_zero = digits & text.str.len().isin([13, 15])
    text = text.mask(lost_zero, "0" + text)
    out = pd.Series(pd.NA, index=ids.index, dtype="string")
    short = digits & (text.str.len() == 14)
    out[short] = text[short].str[:4] + object_type + text[short].str[4:]
    full = digits & (text.str.len() == 16)
    out[full] = text[full]
    return out


def _uva2_cells(path: Path) -> pd.DataFrame:
    """The records of a UVA2 file split on ``;`` as they stand: UVA2 has no quoting, so a ``"`` is a character.

    ``_row`` is each record's line in the file (the 3 header lines and the column names come first);
    blank lines are skipped but counted. A line with more fields than the column names (beyond the
    empty one after the trailing ``;``) or with fewer is an error naming its line: a value with a
    ``;`` or a line break in it cannot be told from the next value, so no line is ever merged or lost.
    """
    text = path.read_bytes().decode("latin-1")  # every byte is a Latin-1 character: never a decoding error
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    names = [h.strip() for h in lines[3].split(";")] if len(lines) > 3 else []
    while names and names[-1] == "":  # the trailing ';' of every UVA2 line
        names.pop()
    records, rows, ragged = [], [], []
    width = len(names)
    for number, line in enumerate(lines[4:], start=5):
        if not line.strip():
            continue
        cells = line.split(";")
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            ragged.append((number, len(cells)))
            continue
        records.append([c.strip() for c in cells])  # descriptions carry trailing spaces
        rows.append(number)
    if ragged:
        raise InputError.one(
            path.name,
            f"lines with other than the {width} fields of the column names (line 4)",
            rows=tuple(n for n, _ in ragged),
            values=tuple(f"{k} fields" for _, k in ragged),
            row_noun="line",
            fix="give the UVA2 file as delivered: a value may hold no ';' and no line break",
        )
    frame = pd.DataFrame(records, columns=pd.Index(names, dtype=object), dtype=object)
    if frame.columns.duplicated().any():
        raise InputError.one(
            path.name,
            "column names given twice in line 4",
            values=tuple(frame.columns[frame.columns.duplicated()]),
            fix="give the UVA2 file as delivered",
        )
    frame = frame.astype(str) if len(frame.columns) else frame
    frame["_row"] = np.asarray(rows, dtype=int)
    return frame


def _read_uva2(path: Path, kind: str) -> pd.DataFrame:
    """One UVA2 file as text cells, with ``_row`` the line number in the file."""
    try:
        with path.open(encoding="latin-1") as handle:
            head = [handle.readline() for _ in range(4)]
    except OSError as exc:
        raise InputError.one(path.name, f"cannot be read ({exc})") from None
    if not (head[0].startswith("VAN;") and head[1].startswith("TM;") and head[2].startswith("HISTORISCHE_CYCLI;")):
        raise InputError.one(
            path.name,
            (
                f"not a UVA2 file: it should start with the lines VAN;..., TM;..., HISTORISCHE_CYCLI;... "
                f"(it starts with {head[0][:40]!r})"
            ),
            fix="give the BAG extract as the city of Amsterdam delivers it (UVA2), or the BAG GeoPackage",
        )
    frame = _uva2_cells(path)
    wanted = _UVA2[kind]
    require_columns(
        path.name,
        {h: f"the {kind} {ours}" for ours, h in wanted.items() if ours not in _OPTIONAL},
        [c for c in frame.columns if c != "_row"],
        f"give the {kind} file of the UVA2 extract as delivered (its column names unchanged)",
        present=frame.columns,
    )
    return frame


def _find(folder: Path, prefix: str) -> Path:
    found = sorted(
        p for p in folder.iterdir() if p.name.upper().startswith(prefix + "_") and p.suffix.upper() == ".UVA2"
    )
    if len(found) != 1:
        raise InputError.one(
            str(folder),
            (
                f"{'no' if not found else len(found)} {prefix}_*.UVA2 files"
                + (f" ({', '.join(p.name for p in found)})" if found else "")
            ),
            fix=f"put exactly one {prefix} file of one extract in the folder (VBO, PND and PNDVBO)",
        )
    return found[0]


def _in(values: pd.Series, allowed) -> pd.Series:
    """``values.isin(allowed)`` by hashing (pandas' isin on Arrow strings loops in Python over ``allowed``)."""
    index = pd.Index(
        np.asarray(
            pd.Series(list(allowed) if isinstance(allowed, (set, frozenset)) else allowed, dtype=object).dropna(),
            dtype=object,
        )
    ).unique()
    found = index.get_indexer(np.asarray(values.astype(object).where(values.notna(), None), dtype=object)) >= 0
    return pd.Series(found & values.notna().to_numpy(), index=values.index)


class _Ledger:
    """Rows not counted, with their reason, collected column-wise."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, file: str, rows: pd.Series, ids: pd.Series, reason: str | pd.Series) -> None:
        if len(rows):
            self.parts.append(
                pd.DataFrame(
                    {
                        "file": file,
                        "row": np.asarray(rows),
                        "id": np.asarray(ids, dtype=object),
                        "reason": reason if isinstance(reason, str) else np.asarray(reason, dtype=object),
                    }
                )
            )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=["file", "row", "id", "reason"])
        return pd.concat(self.parts, ignore_index=True)


def _year(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Building years: the BAG placeholder 1005 and impossible years unknown; and which were so."""
    year = pd.to_numeric(values, errors="coerce").astype("Float64")
    given = values.notna() & values.astype("string").str.strip().ne("")
    bad = (year.isna() & given) | (
        year.notna() & ((year == UNKNOWN_YEAR) | (year < 1200) | (year > pd.Timestamp.now().year + 10))
    )
    return year.mask(bad).round().astype("Int64"), bad.fillna(False).astype(bool)


def read_bag_uva2(folder: str | Path, *, municipalities: tuple[str, ...] = DEFAULT_MUNICIPALITIES) -> BagResult:
    """Count dwellings per pand from a BAG extract in the city's UVA2 format (VBO, PND, PNDVBO files).

    Parameters
    ----------
    folder : path
        The folder with exactly one ``VBO_*``, ``PND_*`` and ``PNDVBO_*`` ``.UVA2`` file.
    municipalities : tuple of str
        CBS municipality codes whose objects count (the first four digits of an id); others are
        reported as outside the municipality.

    Raises
    ------
    InputError
        A file missing or not UVA2, or a column missing (naming file, column and fix).
    """
    folder = Path(folder)
    paths = {kind: _find(folder, kind) for kind in ("VBO", "PND", "PNDVBO")}
    vbo, pnd, link = (_read_uva2(paths[k], k) for k in ("VBO", "PND", "PNDVBO"))
    names = {k: p.name for k, p in paths.items()}
    ledger = _Ledger()
    c = _UVA2

    # verblijfsobjecten: valid, in the municipality, in use, with woonfunctie or not
    v = pd.DataFrame({"row": vbo["_row"], "id": vbo[c["VBO"]["id"]]})
    v["nid"] = national_id(v["id"], "01")
    code = vbo[c["VBO"]["doel"]].str.strip()
    num = pd.to_numeric(code, errors="coerce")
    v["woon"] = pd.Series((num >= 1000) & (num < 1100), dtype="boolean").mask(num.isna())
    text = vbo[c["VBO"]["doel_text"]] if c["VBO"]["doel_text"] in vbo else pd.Series("", index=vbo.index)
    v["doel"] = (code.where(code != "", "(empty)") + " " + text).str.strip()
    status = vbo[c["VBO"]["status"]] if c["VBO"]["status"] in vbo else pd.Series("", index=vbo.index)
    v["in_use"] = pd.Series(_in(status, UVA2_VBO_IN_USE), dtype="boolean").mask(
        ~_in(status, UVA2_VBO_IN_USE | UVA2_VBO_NOT_IN_USE)
    )
    v["status"] = status
    ended = _ended(vbo, c["VBO"])
    v["x"] = pd.to_numeric(vbo[c["VBO"]["x"]], errors="coerce")
    v["y"] = pd.to_numeric(vbo[c["VBO"]["y"]], errors="coerce")

    p = pd.DataFrame({"row": pnd["_row"], "id": pnd[c["PND"]["id"]]})
    p["nid"] = national_id(p["id"], "10")
    p["year"], bad_year = _pand_years(pnd, c["PND"]["year"])
    p["status"] = pnd.get(c["PND"]["status"], pd.NA)
    p["gone"] = _ended(pnd, c["PND"])
    p["gone_reason"] = "no longer valid (vervallen or ended)"
    p["geometry"] = None

    lk = pd.DataFrame(
        {
            "row": link["_row"],
            "pand": national_id(link[c["PNDVBO"]["pand"]], "10"),
            "vbo": national_id(link[c["PNDVBO"]["vbo"]], "01"),
            "id": link[c["PNDVBO"]["pand"]] + "-" + link[c["PNDVBO"]["vbo"]],
        }
    )
    lk_ended = link[c["PNDVBO"]["end"]].fillna("").str.strip().ne("") if c["PNDVBO"]["end"] in link else None
    return _assemble(
        v, ended, p, bad_year, lk, lk_ended, names, ledger, municipalities, year_column=c["PND"]["year"], row_noun="row"
    )


def _ended(frame: pd.DataFrame, cols: dict) -> pd.Series:
    """Rows no longer valid: marked vervallen, or with an end date of their validity."""
    gone = pd.Series(False, index=frame.index)
    if cols.get("vervallen") in frame:
        gone |= frame[cols["vervallen"]].str.upper().eq("J")
    if cols.get("end") in frame:
        gone |= frame[cols["end"]].fillna("").str.strip().ne("")
    return gone


_GPKG_FIX = "give the BAG GeoPackage as PDOK publishes it (layers 'pand' and 'verblijfsobject', columns unchanged)"


def _read_gpkg_layers(path: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The ``verblijfsobject`` and ``pand`` layers (EPSG:28992, with ``_row``); a missing layer or column: error."""
    import pyogrio

    try:
        layers = {str(name) for name, _ in pyogrio.list_layers(path)}
    except Exception as exc:  # pyogrio raises DataSourceError and others
        raise InputError.one(path.name, f"cannot be read as a GeoPackage ({exc})", fix=_GPKG_FIX) from None
    missing_layers = [name for name in ("pand", "verblijfsobject") if name not in layers]
    if missing_layers:
        raise InputError(
            [
                Problem(
                    "error",
                    path.name,
                    None,
                    f"layer {name!r} missing (layers: {', '.join(sorted(layers)) or 'none'})",
                    fix=_GPKG_FIX,
                )
                for name in missing_layers
            ]
        )
    frames = {}
    for layer, wanted in _GPKG.items():
        frame = gpd.read_file(path, layer=layer)
        headers = [h for h in frame.columns if h != frame.geometry.name]
        needed = {h: f"the {layer}'s {ours}" for ours, h in wanted.items() if ours not in _GPKG_OPTIONAL}
        require_columns(f"{path.name}:{layer}", needed, headers, _GPKG_FIX, present=frame.columns)
        if frame.crs is not None and frame.crs.to_epsg() != 28992:
            frame = frame.to_crs(28992)
        frame["_row"] = np.arange(1, len(frame) + 1)
        frames[layer] = frame
    return frames["verblijfsobject"], frames["pand"]


def _gpkg_woonfunctie(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whether each verblijfsobject has woonfunctie (``<NA>`` when a gebruiksdoel is unknown), and its gebruiksdoel."""
    doel = values.astype("string").str.lower().str.strip()
    parts = doel.str.split(r"\s*[,;|]\s*", regex=True).explode()
    known = _in(parts, GEBRUIKSDOELEN)
    woon = pd.Series(parts.eq("woonfunctie").groupby(level=0).any(), dtype="boolean").reindex(values.index)
    any_unknown = (~known | parts.isna()).groupby(level=0).any()
    return woon.mask(any_unknown & ~woon.fillna(False)), doel.fillna("(empty)")


def _gpkg_in_use(vbo: gpd.GeoDataFrame, column: str) -> tuple[pd.Series, pd.Series | str]:
    """Whether each verblijfsobject is in use (``<NA>`` for an unknown status; all when no status), and its status."""
    if column not in vbo:
        return pd.Series(True, index=vbo.index, dtype="boolean"), ""
    status = vbo[column].astype("string").str.strip().str.lower()
    in_use = pd.Series(_in(status, VBO_IN_USE), dtype="boolean").mask(~_in(status, VBO_IN_USE | VBO_NOT_IN_USE))
    return in_use, status.fillna("")


def _gpkg_verblijfsobjecten(vbo: gpd.GeoDataFrame) -> pd.DataFrame:
    """The verblijfsobjecten as the common table: row, id, national id, woonfunctie, use, status, x and y."""
    c = _GPKG["verblijfsobject"]
    v = pd.DataFrame({"row": vbo["_row"], "id": vbo[c["id"]].astype("string")})
    v["nid"] = national_id(v["id"], "01")
    v["woon"], v["doel"] = _gpkg_woonfunctie(vbo[c["doel"]])
    v["in_use"], v["status"] = _gpkg_in_use(vbo, c["status"])
    pts = vbo.geometry.to_numpy()
    pts = np.where(shapely.get_type_id(pts) > 0, shapely.point_on_surface(pts), pts)
    v["x"], v["y"] = shapely.get_x(pts), shapely.get_y(pts)
    return v


def _pand_years(pnd: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
    """The panden's building years (unknown without the column) and which were given but not real years."""
    if column in pnd:
        return _year(pnd[column])
    return pd.Series(pd.NA, index=pnd.index, dtype="Int64"), pd.Series(False, index=pnd.index)


def _gpkg_panden(pnd: gpd.GeoDataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The panden as the common table (row, id, national id, year, status, gone, a point) and the bad years."""
    cp = _GPKG["pand"]
    p = pd.DataFrame({"row": pnd["_row"], "id": pnd[cp["id"]].astype("string")})
    p["nid"] = national_id(p["id"], "10")
    p["year"], bad_year = _pand_years(pnd, cp["year"])
    pstatus = (
        pnd[cp["status"]].astype("string").str.strip() if cp["status"] in pnd else pd.Series(pd.NA, index=pnd.index)
    )
    p["status"] = pstatus
    p["gone"] = _in(pstatus.str.lower(), PAND_GONE)
    p["gone_reason"] = "no longer a building (" + pstatus.fillna("") + ")"
    geoms = pnd.geometry.to_numpy()
    p["geometry"] = np.where(shapely.is_empty(geoms) | shapely.is_missing(geoms), None, shapely.point_on_surface(geoms))
    return p, bad_year


def _gpkg_links(vbo: gpd.GeoDataFrame, v: pd.DataFrame) -> pd.DataFrame:
    """One link per (verblijfsobject, pand) named in ``pand_identificatie``; an empty part beside real ids is none."""
    pand_ids = vbo[_GPKG["verblijfsobject"]["pand"]].astype("string").str.split(r"\s*[,;|]\s*", regex=True).explode()
    lk = pd.DataFrame(
        {
            "row": vbo["_row"].reindex(pand_ids.index).to_numpy(),
            "pand": national_id(pand_ids.reset_index(drop=True), "10").to_numpy(),
            "vbo": v["nid"].reindex(pand_ids.index).to_numpy(),
        }
    )
    lk["id"] = lk["vbo"]
    return lk[lk["pand"].notna() | ~lk["row"].duplicated(keep=False)]


def read_bag_gpkg(path: str | Path, *, municipalities: tuple[str, ...] = DEFAULT_MUNICIPALITIES) -> BagResult:
    """Count dwellings per pand from the BAG 2.0 GeoPackage (PDOK's layout: layers pand and verblijfsobject).

    A verblijfsobject counts as a dwelling when ``woonfunctie`` is among its gebruiksdoelen and
    its status is in use. ``pand_identificatie`` may list several panden (comma-separated) or
    the layer may repeat a verblijfsobject per pand: it is counted once, in the lowest pand id,
    and reported.

    Raises
    ------
    InputError
        A layer or column missing (naming file, layer, column and fix).
    """
    path = Path(path)
    vbo, pnd = _read_gpkg_layers(path)
    names = {"VBO": f"{path.name}:verblijfsobject", "PND": f"{path.name}:pand"}
    names["PNDVBO"] = names["VBO"]
    v = _gpkg_verblijfsobjecten(vbo)
    p, bad_year = _gpkg_panden(pnd)
    lk = _gpkg_links(vbo, v)
    # the same verblijfsobject repeated with the same pand is one object, not two
    v_dupe = v["nid"].duplicated(keep="first") & v["nid"].notna()
    ended = pd.Series(False, index=vbo.index)
    return _assemble(
        v,
        ended,
        p,
        bad_year,
        lk,
        None,
        names,
        _Ledger(),
        municipalities,
        year_column=_GPKG["pand"]["year"],
        row_noun="feature",
        v_repeat=v_dupe,
    )


def _mark(frame: pd.DataFrame, mask: pd.Series, reason: str | pd.Series) -> None:
    """Give the rows in ``mask`` without a reason yet this ``reason`` (the first reason that applies is reported)."""
    todo = mask.fillna(False).astype(bool) & frame["reason"].isna()
    frame.loc[todo, "reason"] = reason if isinstance(reason, str) else reason[todo]


def _vbo_reasons(v: pd.DataFrame, ended: pd.Series, repeat: pd.Series | None, muni: tuple[str, ...]) -> pd.Series:
    """Mark the verblijfsobjecten not counted (column ``reason``); returns those that exist in the municipality."""
    v["reason"] = pd.Series(pd.NA, index=v.index, dtype="string")
    _mark(v, v["nid"].isna(), "not a BAG id (14 or 16 digits)")
    if repeat is not None:
        _mark(v, repeat, "the same verblijfsobject again (counted once)")
    _mark(v, ended, "no longer valid (vervallen or ended)")
    _mark(v, ~_in(v["nid"].str[:4], muni), "outside the municipality")
    valid = v["reason"].isna()  # a verblijfsobject that exists in the municipality, whatever its use
    _mark(v, v["in_use"].eq(False), "not in use (status " + v["status"].astype(str) + ")")
    _mark(v, v["woon"].eq(False), "not a dwelling (gebruiksdoel " + v["doel"].astype(str) + ")")
    return valid


def _pand_reasons(p: pd.DataFrame, muni: tuple[str, ...]) -> None:
    """Mark the panden not counted (column ``reason``)."""
    p["reason"] = pd.Series(pd.NA, index=p.index, dtype="string")
    _mark(p, p["nid"].isna(), "not a BAG id (14 or 16 digits)")
    _mark(p, p["nid"].duplicated(keep="first") & p["nid"].notna(), "the same pand again (counted once)")
    _mark(p, p["gone"], p["gone_reason"].astype(str))
    _mark(p, ~_in(p["nid"].str[:4], muni), "outside the municipality")


def _link_reasons(
    lk: pd.DataFrame, lk_ended: pd.Series | None, v: pd.DataFrame, p: pd.DataFrame
) -> tuple[pd.DataFrame, pd.Series]:
    """The links with their ``reason`` (only links between objects that are there count), and each vbo's pand."""
    lk = lk.copy()
    lk["reason"] = pd.Series(pd.NA, index=lk.index, dtype="string")
    if lk_ended is not None:
        _mark(lk, lk_ended, "link ended")
    pand_ok = p.loc[p["reason"].isna(), "nid"]
    _mark(lk, lk["pand"].isna(), "verblijfsobject without pand")
    _mark(lk, ~_in(lk["vbo"], v["nid"]), "link to a verblijfsobject that is not in the file")
    _mark(lk, ~_in(lk["pand"], p["nid"]), "link to a pand that is not in the file")
    _mark(lk, ~_in(lk["pand"], pand_ok), "link to a pand that is not counted (see the pand's reason)")
    good = lk[lk["reason"].isna()].sort_values(["vbo", "pand"], kind="stable")
    several = good["vbo"].duplicated(keep="first")
    lk.loc[good.index[several.to_numpy()], "reason"] = (
        "verblijfsobject in several panden: counted once, in the lowest pand id"
    )
    first = good[~several.to_numpy()]
    return lk, pd.Series(first["pand"].to_numpy(), index=first["vbo"].to_numpy())


def _unknown_use(v: pd.DataFrame) -> pd.Series:
    """Mark the verblijfsobjecten whose use or status is unknown (their pand's count becomes unknown); returns them."""
    unknown = v["reason"].isna() & (v["woon"].isna() | v["in_use"].isna())
    no_doel = unknown & v["woon"].isna()
    v.loc[no_doel, "reason"] = "unknown gebruiksdoel " + v.loc[no_doel, "doel"].astype(str)
    still = unknown & v["reason"].isna()
    v.loc[still, "reason"] = "unknown status " + v.loc[still, "status"].astype(str)
    return unknown


def _building_table(
    v: pd.DataFrame, p: pd.DataFrame, valid: pd.Series, counted: pd.Series, unknown: pd.Series
) -> gpd.GeoDataFrame:
    """One row per pand counted: the dwellings by groupby, placed at the pand or the mean of its verblijfsobjecten."""
    p_ok = p[p["reason"].isna()].set_index("nid")
    n_vbo = v[v["pand"].notna() & valid].groupby("pand").size()
    n_min = v[counted].groupby("pand").size()
    n_unknown = v[unknown & v["pand"].notna()].groupby("pand").size()
    all_vbo_xy = v[v["pand"].notna() & valid].groupby("pand")[["x", "y"]].mean()
    ids = p_ok.index
    n_min_col = n_min.reindex(ids).fillna(0).astype("Int64")
    n_dw = n_min_col.mask(n_unknown.reindex(ids).fillna(0).to_numpy() > 0)
    geom = p_ok["geometry"].to_numpy(dtype=object)
    has_geom = ~shapely.is_missing(geom)
    xy = all_vbo_xy.reindex(ids).to_numpy()
    point = np.where(has_geom, geom, shapely.points(xy))
    no_loc = shapely.is_missing(point) | ~np.isfinite(xy).all(axis=1) & ~has_geom
    location_source = np.where(has_geom, "pand", np.where(no_loc, "", "verblijfsobjecten"))
    return gpd.GeoDataFrame(
        {
            "building_id": pd.array(ids, dtype="string"),
            "n_dwellings": pd.array(n_dw.to_numpy(), dtype="Int64"),
            "n_dwellings_min": pd.array(n_min_col.to_numpy(), dtype="Int64"),
            "n_verblijfsobjecten": pd.array(n_vbo.reindex(ids).fillna(0).to_numpy(), dtype="Int64"),
            "building_year": pd.array(p_ok["year"].to_numpy(), dtype="Int64"),
            "pand_status": pd.array(p_ok["status"].astype("string").to_numpy(), dtype="string"),
            "location_source": pd.array(location_source, dtype="string"),
            "dwellings_source": pd.array(np.where(n_dw.isna(), "", "bag_count"), dtype="string"),
        },
        geometry=gpd.GeoSeries(np.where(no_loc, None, point), crs="EPSG:28992"),
        crs="EPSG:28992",
    )


def _drop_unplaced(
    buildings: gpd.GeoDataFrame, v: pd.DataFrame, p: pd.DataFrame, counted: pd.Series, unknown: pd.Series
) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """Leave out the panden without any location and mark them and their verblijfsobjecten; returns the orphans."""
    lost = buildings["location_source"].eq("")
    lost_ids = buildings.loc[lost, "building_id"]
    p.loc[_in(p["nid"], lost_ids) & p["reason"].isna(), "reason"] = (
        "no location (no pand geometry and no verblijfsobject with coordinates)"
    )
    # ... and so are its verblijfsobjecten: a dwelling is never counted into a pand that is not in the table
    orphan = _in(v["pand"], lost_ids) & (counted | unknown)
    v.loc[orphan, "reason"] = "its pand has no location (see the pand's row)"
    return buildings[~lost].reset_index(drop=True), orphan


def _not_mapped(
    ledger: _Ledger,
    names: dict[str, str],
    v: pd.DataFrame,
    p: pd.DataFrame,
    lk: pd.DataFrame,
    counted: pd.Series,
    unknown: pd.Series,
) -> pd.DataFrame:
    """Every row not counted with its reason: verblijfsobjecten, those of unknown use, panden, links."""
    other = ~counted & ~unknown
    ledger.add(names["VBO"], v.loc[other, "row"], v.loc[other, "id"], v.loc[other, "reason"])
    ledger.add(names["VBO"], v.loc[unknown, "row"], v.loc[unknown, "id"], v.loc[unknown, "reason"])
    gone = p["reason"].notna()
    ledger.add(names["PND"], p.loc[gone, "row"], p.loc[gone, "id"], p.loc[gone, "reason"])
    if names["PNDVBO"] != names["VBO"]:
        bad = lk["reason"].notna()
        ledger.add(names["PNDVBO"], lk.loc[bad, "row"], lk.loc[bad, "id"], lk.loc[bad, "reason"])
    else:  # GeoPackage: a link problem belongs to its verblijfsobject row, reported once there
        bad = lk["reason"].notna() & lk["row"].isin(v.loc[counted | unknown, "row"])
        extra = lk[bad]
        ledger.add(names["PNDVBO"] + " (pand_identificatie)", extra["row"], extra["id"], extra["reason"])
    return ledger.frame()


def _not_counted_problems(not_mapped: pd.DataFrame, row_noun: str) -> list[Problem]:
    """One warning per file and reason, naming the rows not counted (and the first 20 ids)."""
    return [
        Problem(
            "warning",
            file,
            None,
            f"{len(group)} {'rows' if row_noun == 'row' else 'features'} not counted: {reason}",
            rows=tuple(group["row"].tolist()),
            values=tuple(group["id"].astype(str).tolist()[:20]),
            row_noun=row_noun,
            table="buildings",
        )
        for (file, reason), group in not_mapped.groupby(["file", "reason"], sort=True)
    ]


def _quality_problems(
    names: dict[str, str],
    p: pd.DataFrame,
    bad_year: pd.Series,
    v: pd.DataFrame,
    no_xy: pd.Series,
    buildings: gpd.GeoDataFrame,
    year_column: str,
    row_noun: str,
) -> list[Problem]:
    """Warnings for building years that are not real, verblijfsobjecten without coordinates and unknown counts."""
    problems = []
    if bad_year.any():
        problems.append(
            Problem(
                "warning",
                names["PND"],
                year_column,
                f"{int(bad_year.sum())} panden have no real building year (BAG's placeholder {UNKNOWN_YEAR}, an "
                "impossible year or not a number): building_year is unknown for them",
                rows=tuple(p.loc[bad_year.to_numpy(), "row"].tolist()),
                row_noun=row_noun,
                table="buildings",
            )
        )
    if no_xy.any():
        problems.append(
            Problem(
                "warning",
                names["VBO"],
                None,
                f"{int(no_xy.sum())} verblijfsobjecten have no usable coordinates: still counted; their pand is "
                "placed by its own geometry or its other verblijfsobjecten",
                rows=tuple(v.loc[no_xy, "row"].tolist()),
                values=tuple(v.loc[no_xy, "id"].astype(str).tolist()[:20]),
                row_noun=row_noun,
                table="buildings",
            )
        )
    unknown_count = buildings["n_dwellings"].isna()
    if unknown_count.any():
        problems.append(
            Problem(
                "warning",
                names["VBO"],
                None,
                f"{int(unknown_count.sum())} panden have a verblijfsobject of unknown use or status: their number of "
                "dwellings is unknown (n_dwellings_min gives the dwellings that are known)",
                values=tuple(buildings.loc[unknown_count, "building_id"].tolist()[:20]),
                table="buildings",
            )
        )
    return problems


def _assemble(
    v: pd.DataFrame,
    v_ended: pd.Series,
    p: pd.DataFrame,
    bad_year: pd.Series,
    lk: pd.DataFrame,
    lk_ended: pd.Series | None,
    names: dict[str, str],
    ledger: _Ledger,
    municipalities: tuple[str, ...],
    *,
    year_column: str,
    row_noun: str,
    v_repeat: pd.Series | None = None,
) -> BagResult:
    """Verblijfsobjecten, panden and links into the building table; every row counted or reported."""
    v = v.copy()
    p = p.copy()
    muni = tuple(municipalities)
    valid = _vbo_reasons(v, v_ended, v_repeat, muni)
    _pand_reasons(p, muni)
    lk, pand_of = _link_reasons(lk, lk_ended, v, p)
    v["pand"] = v["nid"].map(pand_of)
    _mark(v, v["pand"].isna() & v["reason"].isna(), "no pand (no valid link to a counted pand)")
    unknown = _unknown_use(v)
    counted = v["reason"].isna()
    buildings = _building_table(v, p, valid, counted, unknown)
    buildings, orphan = _drop_unplaced(buildings, v, p, counted, unknown)
    counted, unknown = counted & ~orphan, unknown & ~orphan
    not_mapped = _not_mapped(ledger, names, v, p, lk, counted, unknown)
    rows = [count_rows(names["VBO"], counted), count_rows(names["PND"], p["reason"].isna())]
    if names["PNDVBO"] != names["VBO"]:
        rows.append(count_rows(names["PNDVBO"], lk["reason"].isna()))
    no_xy = valid & ~(np.isfinite(v["x"].to_numpy(dtype=float)) & np.isfinite(v["y"].to_numpy(dtype=float)))
    problems = _not_counted_problems(not_mapped, row_noun)
    problems += _quality_problems(names, p, bad_year, v, no_xy, buildings, year_column, row_noun)
    return BagResult(buildings, not_mapped, problems, rows)


def read_bag(path: str | Path, **kwargs) -> BagResult:
    """A BAG extract in either layout: a folder of UVA2 files, or the BAG GeoPackage."""
    path = Path(path)
    if path.is_dir():
        return read_bag_uva2(path, **kwargs)
    if path.suffix.lower() == ".gpkg":
        return read_bag_gpkg(path, **kwargs)
    raise InputError.one(
        path.name,
        "unknown BAG layout: neither a folder of UVA2 files nor a GeoPackage (.gpkg)",
        fix="give the folder holding VBO_*.UVA2, PND_*.UVA2 and PNDVBO_*.UVA2, or PDOK's BAG GeoPackage",
    )
