"""Adapters for the real city's open data (issue 11): each reads a publisher's file as it comes into llt_geo's tables.

One module per source family:

- :mod:`.areas` -- the municipality's area division (stadsdelen, wijken, buurten, gebieden);
- :mod:`.cbs` -- CBS Kerncijfers wijken en buurten (OData JSON and CSV) and area-weighted
  interpolation of older buurt figures onto the current division;
- :mod:`.transit` -- the municipality's tram and metro stops as amenities of kind ``ov_halte``;
- :mod:`.osm` -- OpenStreetMap (Overpass JSON or GeoJSON): nursing homes as intramural sites,
  supermarkets, GPs, pharmacies and community centres as amenities.

Every adapter returns an :class:`Adapted`: the tables, every :class:`~llt_geo.errors.Problem`
it found (what it could not map: unknown codes, areas without figures, rows outside the
municipality, unknown tags), and per source file how many rows were read, mapped and reported,
so that no row disappears without a word. Errors (a missing column, a malformed or unknown
code) raise one :class:`~llt_geo.errors.InputError` listing them all unless
``on_error="report"`` is given, in which case the rows concerned are left out of the tables
and reported. ``Adapted.write(folder)`` writes the tables in llt_geo's data format (GeoPackage
for polygons, CSV with RD ``x``/``y`` for points), so ``llt-geo validate`` reads them as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ...errors import InputError, Problem

__all__ = ["Adapted", "RowCount", "check_on_error", "slug"]

#: llt_geo's own tables (docs/data-format.md); anything else an adapter returns is an extra
LLT_TABLES = {
    "stadsdelen",
    "wijken",
    "buurten",
    "focus_areas",
    "care_providers",
    "intramural_sites",
    "amenities",
}
_POINT_TABLES = {"amenities", "intramural_sites"}
#: written beside the tables by Adapted.write: every source's attribution (Markdown, not read as a table)
ATTRIBUTION_FILE = "BRONNEN.md"


@dataclass
class RowCount:
    """Rows of one source file: read = mapped + reported (every row in is accounted for)."""

    file: str
    read: int
    mapped: int
    reported: int

    @property
    def balanced(self) -> bool:
        return self.read == self.mapped + self.reported

    def __str__(self) -> str:
        return f"{self.file}: {self.read} read, {self.mapped} mapped, {self.reported} reported"


@dataclass
class Adapted:
    """What an adapter made of a publisher's file(s).

    Attributes
    ----------
    tables : dict
        llt_geo tables by name (``stadsdelen``, ``wijken``, ``buurten``, ``amenities``,
        ``intramural_sites``, ``care_providers``), with the columns of docs/data-format.md and
        geometry in EPSG:28992.
    problems : list of Problem
        Everything not mapped or worth knowing; ``severity="error"`` for rows left out because
        they are wrong (only with ``on_error="report"``), ``"warning"`` for the rest.
    rows : list of RowCount
        Per source file: rows read, mapped into a table, and reported.
    attribution : list of str
        Lines crediting the publisher (licence), to be shown wherever the data is shown.
    extras : dict
        Tables that are not llt_geo tables but belong to the result (gebieden, every mapped
        CBS topic, the interpolation's shares, the rows not mapped with their reason).
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowCount] = field(default_factory=list)
    attribution: list[str] = field(default_factory=list)
    extras: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def write(self, folder: str | Path) -> dict[str, Path]:
        """Write the llt_geo tables into ``folder``; returns the path per table.

        Polygons go to GeoPackage (``<table>.gpkg``, EPSG:28992); points to CSV with RD ``x``/``y``
        and the attribution as leading ``#`` comment lines (llt_geo's CSV reader skips them), so the
        licence travels with the file; every attribution line also goes into ``BRONNEN.md`` beside
        them (one line per source, kept when several adapters write into one folder). Empty tables
        are not written (llt_geo would take an empty file of a required table for an error).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        for name, frame in self.tables.items():
            if name not in LLT_TABLES or frame.empty:  # an empty table would be an error in llt_geo: not written
                continue
            if isinstance(frame, gpd.GeoDataFrame) and name not in _POINT_TABLES:
                path = folder / f"{name}.gpkg"
                frame.to_file(path, layer=name, driver="GPKG")
            else:
                path = folder / f"{name}.csv"
                out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
                if isinstance(frame, gpd.GeoDataFrame):
                    out["x"] = frame.geometry.x.round(2)
                    out["y"] = frame.geometry.y.round(2)
                header = "".join(f"# {line}\n" for line in self.attribution)
                path.write_text(header + out.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
            written[name] = path
        if written and self.attribution:
            # the credit for every table written (GeoPackage has no place the reader shows): one line per source
            notes = folder / ATTRIBUTION_FILE
            lines = notes.read_text(encoding="utf-8").splitlines() if notes.exists() else ["# Sources and licences", ""]
            lines += [f"- {line}" for line in self.attribution if f"- {line}" not in lines]
            notes.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return written


def check_on_error(on_error: str) -> None:
    if on_error not in ("raise", "report"):
        raise ValueError(f"on_error must be 'raise' or 'report', not {on_error!r}")


def finish(result: Adapted, on_error: str) -> Adapted:
    """Raise one InputError with every error unless the caller asked for a report."""
    if on_error == "raise" and result.errors:
        raise InputError(result.problems)
    return result


def slug(text: str) -> str:
    """A stable id part from a name: ``'Cordaan Thuiszorg'`` -> ``'cordaan-thuiszorg'``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def missing_columns_error(file: str, missing: dict[str, str], found: list[str], fix: str) -> InputError:
    """The error for a file without a column the adapter needs: names file, column, headers found and fix."""
    problems = [
        Problem(
            "error",
            file,
            column,
            f"column missing: {what} (the file's columns are {', '.join(map(repr, found[:20]))}"
            + (", ..." if len(found) > 20 else "")
            + ")",
            fix=fix,
        )
        for column, what in missing.items()
    ]
    return InputError(problems)


def require_columns(file: str, wanted: dict[str, str], found: list[str], fix: str, *, present=None) -> None:
    """Raise :func:`missing_columns_error` for the ``wanted`` columns (header -> what it holds) not present.

    Parameters
    ----------
    file : str
        The file (or ``file:layer``) as the user knows it.
    wanted : dict
        Header -> what the adapter reads from it.
    found : list of str
        The file's headers, shown in the message.
    fix : str
        What would fix it.
    present : collection, optional
        Where a header is looked for (default ``found``).
    """
    look_in = found if present is None else present
    missing = {column: what for column, what in wanted.items() if column not in look_in}
    if missing:
        raise missing_columns_error(file, missing, found, fix)


def count_rows(file: str, mapped) -> RowCount:
    """The row count of one file from a mask of its rows: True mapped, False reported.

    Parameters
    ----------
    file : str
        The file as the user knows it.
    mapped : boolean Series or array
        One entry per row read.
    """
    mapped = np.asarray(mapped, dtype=bool)
    return RowCount(file, len(mapped), int(mapped.sum()), int((~mapped).sum()))


class RowReporter:
    """Problems of one file, each naming the rows (features, elements, records) it concerns.

    Parameters
    ----------
    file : str
        The file as the user knows it.
    rows : Series
        The row number the user sees, per row of the frame the masks are taken on.
    row_noun : str
        ``"row"``, ``"feature"``, ``"element"`` or ``"record"``.
    problems : list of Problem
        Where the problems go (the result's list).
    """

    def __init__(self, file: str, rows: pd.Series, row_noun: str, problems: list[Problem]):
        self.file = file
        self.rows = rows
        self.row_noun = row_noun
        self.problems = problems

    def report(self, severity: str, column: str | None, message: str, mask, values, fix: str) -> pd.Series:
        """Add one problem for the rows in ``mask`` with their ``values`` (nothing when none); returns the mask.

        Parameters
        ----------
        severity, column, message, fix : str
            As in :class:`~llt_geo.errors.Problem`.
        mask : boolean Series or array
            The rows concerned (missing counts as False).
        values : Series or array
            The value shown per row.
        """
        index = self.rows.index
        mask = pd.Series(mask, index=index).fillna(False).astype(bool)
        if mask.any():
            self.problems.append(
                Problem(
                    severity,
                    self.file,
                    column,
                    message,
                    rows=tuple(self.rows[mask]),
                    values=tuple(pd.Series(values, index=index)[mask]),
                    fix=fix,
                    row_noun=self.row_noun,
                )
            )
        return mask

    def outside_region(self, mask, values) -> pd.Series:
        """Report the objects outside llt_geo's region box (left out); returns the mask."""
        return self.report(
            "warning",
            "geometry",
            "outside llt_geo's region box ([validation] region_rd): left out",
            mask,
            values,
            "widen [validation] region_rd if it is needed",
        )

    def outside_municipality(self, mask, values) -> pd.Series:
        """Report the objects outside the municipality (kept); returns the mask."""
        return self.report(
            "warning",
            "geometry",
            "outside the municipality: kept (a flat near the border can use it)",
            mask,
            values,
            "none needed",
        )


def in_region(x: pd.Series, y: pd.Series, region_rd: Sequence[float]) -> pd.Series:
    """Whether each RD point lies in llt_geo's region box ``(xmin, ymin, xmax, ymax)`` (False when unknown)."""
    return (x >= region_rd[0]) & (x <= region_rd[2]) & (y >= region_rd[1]) & (y <= region_rd[3])


def in_municipality(municipality: gpd.GeoDataFrame | Adapted, points: np.ndarray) -> np.ndarray:
    """Whether each point lies in the municipality (its ``stadsdelen`` when an :class:`Adapted`, else the polygons).

    Parameters
    ----------
    municipality : GeoDataFrame or Adapted
        The area division, or any polygons in EPSG:28992.
    points : array of shapely geometries
        The points to test (EPSG:28992).
    """
    areas = municipality.tables["stadsdelen"] if isinstance(municipality, Adapted) else municipality
    city = shapely.union_all(areas.geometry.to_numpy())
    return shapely.covers(city, points)


#: Amsterdam with Weesp and about 2 km around it, in lon/lat: a file whose coordinates fall here is lon/lat
_WGS84_BOX = (4.6, 52.2, 5.2, 52.5)
_RD_BOX = (100000.0, 470000.0, 145000.0, 500000.0)


def load_json(path: str | Path, what: str, fix: str):
    """A publisher's JSON file parsed; unreadable, not UTF-8, not JSON or nested too deep is an InputError.

    ``what`` says what the file should be (``"CBS OData JSON"``), ``fix`` what to give instead.
    """
    import json

    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError.one(path.name, f"cannot be read ({exc.strerror or exc})", fix=fix) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError.one(
            path.name,
            f"not UTF-8 text: byte 0x{exc.object[exc.start]:02x} (byte {exc.start + 1} of the file); {what} is UTF-8",
            rows=(line,),
            row_noun="line",
            fix=f"save the file as UTF-8, or {fix}",
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.one(
            path.name,
            f"not {what}: {exc.msg} (column {exc.colno})"
            + (" (the file ends early: truncated?)" if exc.pos >= len(text.rstrip()) else ""),
            rows=(exc.lineno,),
            row_noun="line",
            fix=fix,
        ) from None
    except RecursionError:
        raise InputError.one(path.name, f"not {what}: brackets nested too deep to be read", fix=fix) from None
    except ValueError as exc:  # e.g. a number with too many digits
        raise InputError.one(path.name, f"not {what}: {exc}", fix=fix) from None


def _geojson_features(path: Path, data: dict) -> tuple[list[dict], list]:
    """The features (each a dict with dict properties) and their shapely geometries; anything else is an error."""
    features = data.get("features")
    if features is None:
        features = []
    if not isinstance(features, list):
        raise InputError.one(
            path.name,
            f"'features' is not a list (it is {type(features).__name__})",
            column="features",
            fix="export the layer as GeoJSON (a FeatureCollection)",
        )
    problems, geoms = [], []
    for number, f in enumerate(features, start=1):
        if not isinstance(f, dict) or not isinstance(f.get("properties") or {}, dict):
            problems.append((number, "not a GeoJSON feature (an object with 'properties' as an object)", repr(f)[:60]))
            geoms.append(None)
            continue
        try:
            geom = shapely.geometry.shape(f["geometry"]) if f.get("geometry") else None
        except Exception as exc:  # shapely raises GeometryTypeError, TypeError, ValueError, IndexError, ...
            why = f"geometry cannot be read ({type(exc).__name__}: {exc})"
            problems.append((number, why, repr(f["geometry"])[:60]))
            geom = None
        geoms.append(geom)
    if problems:
        raise InputError(
            [
                Problem(
                    "error",
                    path.name,
                    "geometry" if "geometry" in msg else None,
                    msg,
                    rows=(number,),
                    values=(value,),
                    row_noun="feature",
                    fix="give the file as the publisher distributes it (GeoJSON features with valid geometry)",
                )
                for number, msg, value in problems[:20]
            ]
        )
    return features, geoms


def _declared_crs(path: Path, data: dict):
    """The CRS the file's ``crs`` member declares, or None; a malformed or unknown one is an error."""
    crs_member = data.get("crs") or {}
    props = crs_member.get("properties") or {} if isinstance(crs_member, dict) else None
    crs_name = props.get("name", "") if isinstance(props, dict) else None
    if not isinstance(crs_name, str):
        raise InputError.one(
            path.name,
            f"malformed 'crs' member {crs_member!r:.60}",
            column="crs",
            fix="declare the CRS as {'type': 'name', 'properties': {'name': 'EPSG:28992'}} or leave it out",
        )
    try:
        return (pyproj.CRS.from_user_input(crs_name) if crs_name else None), crs_name
    except pyproj.exceptions.CRSError as exc:
        raise InputError.one(
            path.name, f"unknown CRS {crs_name!r}", column="crs", fix="declare an EPSG CRS or none"
        ) from exc


def read_geojson(path: str | Path) -> tuple[gpd.GeoDataFrame, dict]:
    """A GeoJSON FeatureCollection as the publisher wrote it, in EPSG:28992.

    Properties keep their JSON types (a publisher mixing ``1`` and ``"2 | 12"`` in one property
    stays visible); ``feature`` is the feature number from 1 as the user counts it, ``feature_id``
    the feature's own ``id`` member. The CRS is the file's ``crs`` member, else lon/lat (RFC 7946);
    coordinates that contradict it are an error naming the file. Returns the frame and the
    collection's other members (``name``, ``timeStamp``, ...).
    """
    path = Path(path)
    data = load_json(path, "GeoJSON", "give the file as the publisher distributes it (UTF-8 GeoJSON)")
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError.one(
            path.name, "not a GeoJSON FeatureCollection", fix="export the layer as GeoJSON (a FeatureCollection)"
        )
    features, geoms = _geojson_features(path, data)
    props = pd.DataFrame([f.get("properties") or {} for f in features], dtype=object)
    declared, crs_name = _declared_crs(path, data)
    is_rd = declared is not None and declared.to_epsg() == 28992
    geographic = declared is None or declared.is_geographic
    crs = declared if declared is not None and not declared.is_geographic else "EPSG:4326"
    frame = gpd.GeoDataFrame(props, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)
    frame.insert(0, "feature", range(1, len(frame) + 1))
    # an id that is an object or a list is shown as written (hashable, so repeated ids can be found)
    ids = [i if isinstance(i, (str, int, float, type(None))) else str(i) for i in (f.get("id") for f in features)]
    frame.insert(1, "feature_id", ids)
    present = frame.geometry.notna() & ~frame.geometry.is_empty
    if present.any():
        x0, y0, x1, y1 = frame.geometry[present].total_bounds
        box = _WGS84_BOX if geographic else _RD_BOX
        if not geographic and not is_rd:
            x0, y0, x1, y1 = frame.geometry[present].to_crs(28992).total_bounds
        if x0 < box[0] or y0 < box[1] or x1 > box[2] or y1 > box[3]:
            other = "RD metres" if geographic else "lon/lat"
            crs = "EPSG:4326 (no crs member: RFC 7946)" if declared is None else crs_name
            raise InputError.one(
                path.name,
                (
                    f"coordinates ({x0:.4g}..{x1:.4g}, {y0:.4g}..{y1:.4g}) do not fit the file's CRS {crs}"
                    f" around Amsterdam (are they {other}?)"
                ),
                column="geometry",
                fix="export the layer with its CRS declared (a 'crs' member for RD New, EPSG:28992) or in lon/lat",
            )
    if not is_rd:
        frame = frame.to_crs(28992)
    meta = {k: v for k, v in data.items() if k not in ("features", "type")}
    return frame, meta
