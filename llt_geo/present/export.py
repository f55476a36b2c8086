"""Writing tables for analysts: CSV for Excel and GeoPackage for QGIS, byte-deterministic.

CSV files use ``;`` as separator, a decimal comma and UTF-8 with BOM, so Dutch Excel opens them
as columns; yes/no values are written ``ja``/``nee`` (empty = unknown). Numbers are rounded to
what they mean (:func:`round_for_reading`: whole euros, metres and people, shares as percentages
with one decimal, scores with three); ``inf`` and ``NaN`` are empty cells. GeoPackages are written
with a fixed timestamp (GDAL's ``OGR_CURRENT_DATE``), so the same input gives the same bytes.

Headers: a CSV is for the stuurgroep, who read Dutch in Excel, so its columns get Dutch headers
(:mod:`llt_geo.labels`: ``n_dwellings`` becomes *aantal woningen*, ``afstand_locatie_ZA01``
*afstand locatie ZA01 (m)*); a status column without a Dutch reading beside it has its codes in
Dutch (*voldoet*, *kandidaat*). The GeoPackage is for analysts in QGIS and keeps the English
names and values.

The fictional-data notice: when the data carries a notice (the demo's *FICTIEVE DEMODATA*), the
first column is ``Let op`` and every row says it in short. It is not a line above the header: a
line there breaks the header row (Excel spreads it over A1:C1, ``pandas.read_csv`` reads the wrong
number of columns), and a row copied, sorted or filtered out of the table would lose it. The
header is line 1, and every row still says the data is fictional on its own. Real data without a
notice has no such column.

CSV injection: Excel runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, so a
flat named ``=HYPERLINK("http://...","klik")`` would become a live link. Following the OWASP rule,
every *text* cell that starts with one of those characters, a tab or a carriage return is written
with a single quote in front (``'=HYPERLINK(...)``): Excel shows it as text, and it stays readable.
Only text columns (string, object and categorical) are changed, before formatting; numbers are
never touched, so a negative margin stays the number ``-0,5``. (llt_geo writes no Excel files; the
GeoPackage keeps the values as they are, since QGIS does not evaluate formulas.)
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ..io import CRS_RD
from ..labels import LET_OP, dutch_columns, number_kind, round_half_up, short_notice

__all__ = ["FIXED_TIMESTAMP", "FORMULA_PREFIXES", "neutralise_formulas", "round_for_reading", "write_csv", "write_gpkg"]

FIXED_TIMESTAMP = "2000-01-01T00:00:00.000Z"

#: A text cell starting with one of these is taken by spreadsheet programs for a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _quote(values: pd.Series) -> pd.Series:
    """Put ``'`` before every text value that starts with a formula character; others unchanged."""
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "mixed", "mixed-integer"):
        return values  # no text in the column (numbers or yes/no values kept as objects)
    risky = values.str.startswith(FORMULA_PREFIXES).astype("boolean").fillna(False).to_numpy(dtype=bool)
    if not risky.any():
        return values
    out = values.astype(object).copy()
    out[risky] = "'" + values[risky].astype(str)
    return out.astype(values.dtype) if pd.api.types.is_string_dtype(values.dtype) else out


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas (OWASP CSV injection).

    A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    single quote in front. Only string, object and categorical columns are looked at, and in an
    object column only the values that are text: numbers stay numbers.
    """
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if col == "geometry" or isinstance(s, gpd.GeoSeries):
            continue
        if isinstance(s.dtype, pd.CategoricalDtype):
            cats = pd.Series(s.cat.categories)
            if not pd.api.types.is_string_dtype(cats.dtype) and not pd.api.types.is_object_dtype(cats.dtype):
                continue
            new = _quote(cats)
            if new is cats:
                continue
            if new.nunique() == len(new):
                out[col] = s.cat.rename_categories(list(new))
            else:  # quoting made two categories equal ("=a" and "'=a"): plain values then
                out[col] = _quote(s.astype(object))
        elif pd.api.types.is_string_dtype(s.dtype) or pd.api.types.is_object_dtype(s.dtype):
            out[col] = _quote(s)
    return out


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if col == "geometry":
            continue
        is_bool_objects = (
            pd.api.types.is_object_dtype(out[col].dtype)
            and pd.api.types.infer_dtype(out[col], skipna=True) == "boolean"
        )
        if isinstance(out[col].dtype, pd.BooleanDtype) or out[col].dtype == bool or is_bool_objects:
            values = out[col].astype("boolean")
            out[col] = values.map({True: "ja", False: "nee"}, na_action="ignore").astype("string")
    return out


_DECIMALS = {"eur": 0, "m": 0, "persons": 0, "share": 1, "score": 3, "weight": 2, "coordinate": 1}


def _key_values(measures: pd.Series, values: pd.Series) -> pd.Series:
    """A key-value table's values (``spreiding_stad.csv``: one measure per row), each rounded by its
    own measure's meaning and written as Dutch text (a share stays a share here: its label says so)."""
    out = []
    for measure, value in zip(measures.astype(str), values.astype(float), strict=True):
        if not np.isfinite(value):
            out.append("")
            continue
        kind = number_kind(measure)
        decimals = 3 if kind in (None, "share") else _DECIMALS[kind]
        rounded = float(round_half_up(np.array([value]), decimals)[0])
        text = f"{rounded:.0f}" if float(rounded).is_integer() else f"{rounded:.{decimals}f}".rstrip("0")
        out.append(text.replace(".", ","))
    return pd.Series(out, index=values.index, dtype=object)


def round_for_reading(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose numbers are rounded to what they mean (:func:`llt_geo.labels.number_kind`).

    Euros, metres and people whole; shares as percentages with one decimal; scores with three
    decimals; any other number with at most three. ``inf`` and ``NaN`` become empty cells (unknown),
    never the text ``inf`` or ``nan``. A column whose values are then all whole is written as whole
    numbers (``415000``, not ``415000,0``). Only float columns change; the analysis's own tables keep
    their full precision (and so does the GeoPackage for QGIS).
    """
    out = frame.copy()
    if {"measure", "value"} <= set(out.columns) and pd.api.types.is_float_dtype(out["value"].dtype):
        out["value"] = _key_values(out["measure"], out["value"])
    for col in out.columns:
        s = out[col]
        if col == "geometry" or not pd.api.types.is_float_dtype(s.dtype):
            continue
        values = s.astype(float).replace([np.inf, -np.inf], np.nan)
        kind = number_kind(str(col))
        if kind == "share":
            values = values * 100
        values = round_half_up(values, _DECIMALS.get(kind, 3)).astype("Float64")
        known = values.dropna()
        if kind != "coordinate" and (known == known.round(0)).all() and (known.abs() < 2**53).all():
            values = values.round(0).astype("Int64")
        out[col] = values
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, *, label: str = "", dutch: bool = True) -> Path:
    """Write a table as a Dutch-Excel-friendly CSV (``;``, decimal comma, UTF-8 with BOM).

    A geometry column is replaced by its RD coordinates ``x_rd`` and ``y_rd`` (metres). With
    ``dutch`` (the default) the headers are Dutch (:func:`llt_geo.labels.dutch_columns`, for the
    file's name; a column without a Dutch header keeps its name). A ``label`` (the dataset's label
    with the fictional-data notice, ``Dataset.output_label``) puts a first column ``Let op`` whose
    every row holds the notice's short form (:func:`llt_geo.labels.short_notice`); the header is
    always line 1. Text cells that a spreadsheet would run as a formula are quoted
    (:func:`neutralise_formulas`).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = _plain(frame)
    if "geometry" in out.columns:
        geom = gpd.GeoSeries(out["geometry"], crs=getattr(frame, "crs", CRS_RD))
        pts = geom.where(geom.geom_type == "Point", geom.centroid)
        out = pd.DataFrame(out.drop(columns="geometry"))
        out["x_rd"] = pts.x.round(1)
        out["y_rd"] = pts.y.round(1)
    out = round_for_reading(out)
    if dutch:
        out = dutch_columns(out, path.name)
    notice = short_notice(label)
    if notice:
        out.insert(0, LET_OP, [notice] * len(out))
    out = neutralise_formulas(out)
    # a bare carriage return inside a cell is not quoted by the csv module and would split the row
    # in Excel: line breaks inside cells are written as "\n" (which is quoted, and stays one cell)
    for col in out.columns:
        text_like = pd.api.types.infer_dtype(out[col], skipna=True) in ("string", "mixed", "mixed-integer")
        if text_like and (pd.api.types.is_string_dtype(out[col].dtype) or pd.api.types.is_object_dtype(out[col].dtype)):
            has_cr = out[col].str.contains("\r", regex=False).astype("boolean").fillna(False).to_numpy(dtype=bool)
            if has_cr.any():
                fixed = out[col].astype(object).copy()
                fixed[has_cr] = out[col][has_cr].astype(str).str.replace("\r\n", "\n").str.replace("\r", "\n")
                out[col] = fixed
    text = out.to_csv(sep=";", decimal=",", index=False, lineterminator="\n")
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    return path


def write_gpkg(layers: dict[str, gpd.GeoDataFrame], path: str | Path, *, label: str = "") -> Path:
    """Write GeoDataFrames as layers of one GeoPackage (EPSG:28992), replacing the file.

    A ``label`` is stored as the description of the file and of every layer (QGIS shows it in the
    layer properties).
    """
    import pyogrio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_TIMESTAMP})
    try:
        for name, frame in layers.items():
            gdf = gpd.GeoDataFrame(_plain(frame), geometry="geometry", crs=frame.crs)
            for col in gdf.columns:
                if isinstance(gdf[col].dtype, pd.StringDtype | pd.CategoricalDtype):
                    gdf[col] = gdf[col].astype(object)
            meta = {"DESCRIPTION": label} if label else None
            gdf.to_file(
                path,
                layer=name,
                driver="GPKG",
                engine="pyogrio",
                layer_metadata=meta,
                dataset_metadata=meta if not Path(path).exists() else None,
            )
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    return path
