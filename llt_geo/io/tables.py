"""Reading, stage 4 of 5 -- tables: one table file, read and checked.

:func:`read_table` runs the earlier stages on one file: its text cells (:mod:`.formats`); its
headers matched to the table's columns and location columns (:func:`_match_columns`: accepted
headers, required columns missing, a header used twice; :func:`_check_clashes`: two headers for
one column); every column parsed (:mod:`.values`); the locations, from geometry, WKT or coordinate
columns (:mod:`.locations`); and duplicate keys. It returns the canonical frame with every problem
and the rows with errors; a file that cannot be read at all, or holds no rows, raises
:class:`~llt_geo.errors.InputError`.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError, Problem
from ..schema import LOCATION_ALIASES, TABLES, Table, normalise_header
from .formats import _Raw, _read_raw
from .locations import CRS_RD, _guess_crs, _points_from_columns, _prepare_geometry
from .values import _Collector, _parse_raw_column

_WKT_HEADERS = ("geometry", "geometrie", "wkt", "geom", "the_geom")


def _match_columns(raw: _Raw, table: Table, c: _Collector) -> tuple[dict[str, str], dict[str, str]]:
    """Match the file's headers to the table's columns (and location columns).

    Two headers for one column (``n_dwellings`` and ``aantal_woningen``, or ``Aantal woningen`` and
    ``aantal_woningen``) are an error: which one is meant cannot be guessed.
    """
    by_norm: dict[str, list[str]] = defaultdict(list)
    for h in raw.frame.columns:
        by_norm[normalise_header(h)].append(h)
    used: set[str] = set()
    mapping: dict[str, str] = {}
    candidates: dict[str, list[str]] = {}

    def claim(key: str, aliases: tuple[str, ...], target: dict[str, str]) -> None:
        found = [h for alias in aliases for h in by_norm.get(alias, ()) if h not in used]
        found = list(dict.fromkeys(found))
        if found:
            target[key] = found[0]
            used.update(found)
            candidates[key] = found

    for col in table.columns:
        claim(col.name, col.headers, mapping)
    location: dict[str, str] = {}
    if table.geometry:
        for key, aliases in LOCATION_ALIASES.items():
            claim(key, aliases, location)
        claim("wkt", _WKT_HEADERS, location)
    c.clashes = {key: found for key, found in candidates.items() if len(found) > 1}
    for original, labels in raw.duplicates.items():
        if any(label in used for label in labels):
            c.add(
                "error",
                original,
                f"this header appears {len(labels)} times, and llt_geo reads this column: which one is meant "
                "cannot be guessed",
                fix="rename or remove all but one of the columns",
            )
            c.clashes = {k: v for k, v in c.clashes.items() if not set(v) & set(labels)}
    for col in table.columns:
        if col.required and col.name not in mapping:
            c.add(
                "error",
                col.name,
                "required column is missing",
                fix=f"add a column headed '{col.name}' (also accepted: {', '.join(col.aliases) or 'none'})",
            )
    unused = [h for h in raw.frame.columns if h not in used]
    if unused:
        c.add(
            "warning",
            None,
            f"columns not used by llt_geo: {', '.join(map(str, unused))}",
            fix="rename a column if it was meant as one of: " + ", ".join(col.name for col in table.columns),
        )
    return mapping, location


def _check_clashes(raw: _Raw, spec: Table, c: _Collector, frame: pd.DataFrame) -> None:
    """Two headers for one column: fine where they hold the same values (``Wijkcode`` ``FA`` beside
    ``CBS_Wijkcode`` ``WK0363FA``), an error in every row where they differ (which one is meant?)."""
    for key, headers in c.clashes.items():
        label = ", ".join(f"'{h}'" for h in headers)
        col = spec.columns_by_name.get(key)
        if col is None:  # a location column: compare the text
            first = raw.text(headers[0]).str.strip()
            differ = np.zeros(len(first), dtype=bool)
            for h in headers[1:]:
                differ |= (raw.text(h).str.strip() != first).to_numpy()
        else:
            scratch = _Collector(raw, spec, c.today)
            first = frame[key]
            differ = np.zeros(len(first), dtype=bool)
            for h in headers[1:]:
                other = _parse_raw_column(col, h, raw, scratch)
                same = (first == other).fillna(False) | (first.isna() & other.isna())
                differ |= ~same.to_numpy(dtype=bool)
        values = raw.text(headers[0]).astype(str)
        for h in headers[1:]:
            values = values + " / " + raw.text(h).astype(str)
        c.add(
            "error",
            headers[0],
            f"{len(headers)} columns are headed as '{key}' ({label}) and they differ here; which one is meant "
            "cannot be guessed",
            differ,
            values,
            fix="remove or rename all but one of them",
        )


def _empty_table_problem(raw: _Raw, spec: Table) -> Problem:
    """A file with a header (or a layer) but no rows: an error for a required table, a warning for
    the amenities (the criterion becomes unknown for every flat) and for optional tables (absent)."""
    what = "the file has no features" if raw.row_noun == "feature" else "the file has a header but no data rows"
    if spec.name == "flats":
        what = "the flat register has no rows" + (" (no features)" if raw.row_noun == "feature" else "")
    if spec.name == "amenities":
        return Problem(
            "warning",
            raw.file,
            None,
            f"{what}: with no amenities the criterion 'nabij voorzieningen' (3.1) is unknown for every flat",
            fix="add the amenities (supermarkt, huisarts, apotheek, ov_halte, buurthuis, ...)",
            table=spec.name,
        )
    if not spec.required:
        return Problem(
            "warning", raw.file, None, f"{what}; the optional {spec.name} table is treated as absent", table=spec.name
        )
    return Problem(
        "error",
        raw.file,
        None,
        f"{what}; the {spec.name} table is required",
        fix="add the rows (check that the right file, sheet or layer was saved)",
        table=spec.name,
    )


def read_table(
    path: str | Path, table: str | Table, *, region: list[float] | None = None, today: str = ""
) -> tuple[pd.DataFrame, list[Problem], np.ndarray, np.ndarray]:
    """Read and check one table file.

    Parameters
    ----------
    path : str or Path
        The file (CSV, Excel, GeoJSON, GeoPackage, GeoParquet/Parquet).
    table : str or Table
        Which table this is (a name from :data:`llt_geo.schema.TABLES`).
    region : list of float, optional
        ``[xmin, ymin, xmax, ymax]`` in EPSG:28992 that locations must lie in. Defaults to the
        configuration's ``[validation] region_rd``.
    today : str, optional
        ISO date after which a date is in the future (default: the date of the run).

    Returns
    -------
    frame : DataFrame or GeoDataFrame
        Canonical columns (geometry in EPSG:28992 for tables with locations), one row per data row.
    problems : list of Problem
        Everything found, errors and warnings.
    bad : numpy.ndarray of bool
        Rows with at least one error.
    rows : numpy.ndarray of int
        Row numbers as the user sees them, aligned with ``frame``.

    Raises
    ------
    InputError
        When the file cannot be read at all, or holds no rows (for an optional table, or the
        amenities, the problem is a warning: the table is then treated as absent).
    """
    from ..config import default_config

    spec = TABLES[table] if isinstance(table, str) else table
    region = region if region is not None else default_config()["validation"]["region_rd"]
    raw = _read_raw(Path(path), spec)
    if not len(raw.frame):
        raise InputError([_empty_table_problem(raw, spec)])
    c = _Collector(raw, spec, today)
    mapping, location = _match_columns(raw, spec, c)
    out: dict[str, pd.Series] = {}
    for col in spec.columns:
        if col.name in mapping:
            out[col.name] = _parse_raw_column(col, mapping[col.name], raw, c)
        else:
            kind_dtype = {
                "int": "Int64",
                "year": "Int64",
                "float": "Float64",
                "money": "Float64",
                "share": "Float64",
                "yesno": "boolean",
            }.get(col.kind, "string")
            default = "candidate" if col.kind == "status" else pd.NA
            out[col.name] = pd.Series(default, index=raw.frame.index, dtype=kind_dtype)
    frame = pd.DataFrame(out, index=raw.frame.index)
    _check_clashes(raw, spec, c, frame)
    if spec.geometry:
        geom = None
        if raw.geometry is not None and not (location.get("lon") or location.get("x")):
            geom = _prepare_geometry(raw.geometry, spec, c, region)
        elif "lon" in location and "lat" in location or "x" in location and "y" in location:
            geom = _points_from_columns(raw, location, c, region)
            if spec.geometry != "point":
                c.add(
                    "error",
                    None,
                    "areas need polygon geometry, not point coordinates",
                    fix="give the areas as GeoJSON, GeoPackage or GeoParquet, or WKT in a 'geometry' column",
                )
        elif "wkt" in location:
            text = raw.text(location["wkt"])
            with warnings.catch_warnings():  # overflowing numbers ("1e999") in the text: unreadable, reported
                warnings.simplefilter("ignore", RuntimeWarning)
                cells = text.to_numpy(dtype=object)  # Arrow text or object; an empty cell is no geometry
                parsed = shapely.from_wkt(np.where(cells == "", None, cells), on_invalid="ignore")
            unreadable = (text != "").to_numpy() & pd.isna(parsed)
            c.add(
                "error",
                location["wkt"],
                "cannot be read as WKT geometry",
                unreadable,
                text.str.slice(0, 40),
                fix="write geometry as WKT, e.g. POINT (121400 487400)",
            )
            geom = gpd.GeoSeries(parsed, index=raw.frame.index, crs=None)
            guessed = _guess_crs(geom[~geom.isna()])
            geom = geom.set_crs(guessed or CRS_RD)
            geom = _prepare_geometry(geom, spec, c, region, column=location["wkt"])
        if geom is None:
            c.add(
                "error",
                None,
                "no location",
                fix="give a geometry (GeoJSON/GeoPackage/GeoParquet), columns lon and lat (WGS84), "
                "or columns x and y (RD New)",
            )
            geom = gpd.GeoSeries([None] * len(frame), index=frame.index, crs=CRS_RD)
        frame = gpd.GeoDataFrame(frame, geometry=geom.to_numpy(), crs=CRS_RD)
    # duplicate keys
    key_cols = list(spec.key)
    if all(k in frame.columns for k in key_cols) and len(frame):
        keys = frame[key_cols].astype("string").fillna("")
        present = frame[key_cols].notna().all(axis=1).to_numpy()
        dup = keys.duplicated(keep=False).to_numpy() & present
        if dup.any():
            label = " + ".join(mapping.get(k, k) for k in key_cols)
            values = keys.agg(" + ".join, axis=1)
            what = "identifier" if len(key_cols) == 1 else "combination"
            c.add(
                "error",
                label,
                f"duplicate {what}",
                dup,
                values,
                fix=f"every row needs its own {' + '.join(key_cols)}; remove or renumber the duplicates",
            )
    frame.attrs["headers"] = {**mapping, **location}
    return frame, c.problems, c.bad, raw.rows
