"""Public transport stops: the municipality's tram and metro layer as amenities of kind ``ov_halte``.

Reads maps.amsterdam.nl's ``TRAMMETRO_PUNTEN_<year>`` layer as published (GeoJSON, lon/lat):
``Naam``, ``Modaliteit`` (``Tram``/``Metro``), ``Lijn`` (``2 | 12 | 13 | 17``; a stop with one
line has a JSON number, ``_`` a stop without a regular line), ``Lijn_select``, ``RADIUS``,
``Label``, and the feature ``id``. One stop may have a point per platform or line group; each
point is one amenity (the criterion *nabij voorzieningen* counts kinds, not points).

Stops outside the municipality (Amstelveen, Diemen, Ouder-Amstel) are kept, because a flat near
the border can walk to them, and reported; stops outside llt_geo's region box
(``[validation] region_rd``) would be rejected by llt_geo and are left out and reported. The
layer has no bus stops and no ferries: ``ov_halte`` from it alone undercounts (stated in the
problems, so a screening on it says so).

Licence: Gemeente Amsterdam open data (CC BY 4.0 on data.amsterdam.nl; not stated in the copy).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ...errors import Problem
from . import (
    Adapted,
    RowReporter,
    check_on_error,
    count_rows,
    finish,
    in_municipality,
    in_region,
    read_geojson,
    require_columns,
)

__all__ = ["ATTRIBUTION", "read_tram_metro_stops"]

ATTRIBUTION = "Tram- en metrohaltes: Gemeente Amsterdam (maps.amsterdam.nl, TRAMMETRO_PUNTEN), open data, CC BY 4.0"
KIND = "ov_halte"
_DEFAULT_REGION = (106000.0, 474000.0, 139000.0, 497000.0)


def _lines(value) -> str | None:
    """``'2 | 12 | 13 | 17'``, ``1`` or ``'_'`` -> ``'2|12|13|17'``, ``'1'``, None (no regular line)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    parts = [p.strip() for p in str(value).split("|")]
    parts = [p.lstrip("0") or "0" for p in parts if p and p != "_"]
    return "|".join(parts) or None


def _read_stops(path: Path) -> gpd.GeoDataFrame:
    """The stops layer as published (EPSG:28992); a missing ``Naam`` or ``Modaliteit`` column is an error."""
    raw, _ = read_geojson(path)
    headers = [c for c in raw.columns if c not in ("feature", "feature_id", "geometry")]
    require_columns(
        path.name,
        {"Naam": "the stop's name", "Modaliteit": "Tram or Metro"},
        headers,
        "give the TRAMMETRO_PUNTEN layer as published by maps.amsterdam.nl",
    )
    return raw


def _check_stops(
    rep: RowReporter, raw: gpd.GeoDataFrame, names: pd.Series, modality: pd.Series, ids: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """Report features that are not a point or repeat an id (errors), unknown modalities and stops without a name.

    Returns the rows left out and the features without a point.
    """
    no_point = raw.geometry.isna() | raw.geometry.is_empty | (raw.geometry.geom_type != "Point")
    left = rep.report(
        "error",
        "geometry",
        "not a point",
        no_point,
        raw.geometry.geom_type.fillna("none"),
        "export the stops layer with its points",
    )
    dup = ids.duplicated(keep=False)
    left |= rep.report("error", "id", "feature id given twice", dup & ~left, ids, "give the layer as published")
    rep.report(
        "warning",
        "Modaliteit",
        "modality not Tram or Metro: kept as ov_halte",
        ~modality.isin(["tram", "metro"]) & ~left,
        raw["Modaliteit"].astype(str),
        "none needed if it is a public transport stop",
    )
    rep.report(
        "warning", "Naam", "stop without a name: kept, named by its id", names.isna() & ~left, ids, "none needed"
    )
    return left, no_point


def _check_places(
    rep: RowReporter,
    raw: gpd.GeoDataFrame,
    left: pd.Series,
    no_point: pd.Series,
    shown: pd.Series,
    region_rd: tuple[float, float, float, float],
    municipality: gpd.GeoDataFrame | Adapted | None,
) -> tuple[pd.Series, pd.Series]:
    """Report stops outside the region box (left out) and outside the municipality (kept).

    Returns the rows left out (``left`` included) and whether each stop lies in the municipality
    (``<NA>`` without one or without a point).
    """
    # .x refuses a line or a polygon: those (reported as 'not a point') have no place here
    geoms = raw.geometry.to_numpy()
    x = pd.Series(np.where(no_point, np.nan, shapely.get_x(np.where(no_point, None, geoms))), index=raw.index)
    y = pd.Series(np.where(no_point, np.nan, shapely.get_y(np.where(no_point, None, geoms))), index=raw.index)
    left = left | rep.outside_region(~left & ~in_region(x, y, region_rd), shown)
    inside = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    if municipality is not None:
        ok = ~no_point
        inside[ok] = in_municipality(municipality, raw.geometry[ok].to_numpy())
        rep.outside_municipality(~left & inside.eq(False).fillna(False), shown)
    return left, inside


def _stop_lines(rep: RowReporter, raw: gpd.GeoDataFrame, left: pd.Series) -> pd.Series:
    """Each stop's lines (``|``-joined, None for ``_``), reporting the stops without a regular line."""
    if "Lijn" not in raw:
        return pd.Series(None, index=raw.index)
    lines = raw["Lijn"].map(_lines)
    no_line = (lines.isna() & ~left).to_numpy()
    rep.report(
        "warning", "Lijn", "stop without a regular line ('_'): kept", no_line, raw["Lijn"].astype(str), "none needed"
    )
    return lines


def _undercount(file: str) -> Problem:
    """The warning that tram and metro stops alone undercount public transport."""
    return Problem(
        "warning",
        file,
        None,
        "the layer has tram and metro stops only (no bus, no ferry):"
        " ov_halte from it alone undercounts public transport",
        fix="add bus and ferry stops (GVB/NDOV or OpenStreetMap) as amenities of kind ov_halte",
    )


def read_tram_metro_stops(
    path: str | Path,
    *,
    municipality: gpd.GeoDataFrame | Adapted | None = None,
    region_rd: tuple[float, float, float, float] = _DEFAULT_REGION,
    on_error: str = "raise",
) -> Adapted:
    """The tram and metro stops as llt_geo ``amenities`` (kind ``ov_halte``, points in EPSG:28992).

    Parameters
    ----------
    path : path
        The ``TRAMMETRO_PUNTEN`` GeoJSON.
    municipality : GeoDataFrame or Adapted, optional
        The area division (its ``stadsdelen``, or any polygons): stops outside it are reported
        (and kept).
    region_rd : (xmin, ymin, xmax, ymax)
        llt_geo's region box; stops outside it are left out and reported.

    Returns
    -------
    Adapted
        ``tables["amenities"]``: ``amenity_id`` (``OV-<feature id>``), ``kind``, ``name``
        (``Naam`` with the modality: ``Nieuwezijds Kolk (tram)``), geometry.
        ``extras["stops"]``: every stop with ``modality``, ``lines`` (normalised, ``|``-joined,
        empty for ``_``) and whether it lies inside the municipality.
    """
    check_on_error(on_error)
    path = Path(path)
    raw = _read_stops(path)
    result = Adapted(attribution=[ATTRIBUTION])
    rows = raw["feature"]
    rep = RowReporter(path.name, rows, "feature", result.problems)
    names = raw["Naam"].map(lambda v: str(v).strip() if v is not None and str(v).strip() else None)
    modality = raw["Modaliteit"].map(lambda v: str(v).strip().lower() if v is not None else None)
    ids = raw["feature_id"].where(raw["feature_id"].notna(), raw["feature"]).astype(str)
    left, no_point = _check_stops(rep, raw, names, modality, ids)
    left, inside = _check_places(rep, raw, left, no_point, names.fillna(ids), region_rd, municipality)
    lines = _stop_lines(rep, raw, left)
    result.problems.append(_undercount(path.name))
    label = {"tram": "tram", "metro": "metro"}
    shown = names.fillna("halte " + ids) + modality.map(lambda m: f" ({label.get(m, m)})" if m else "")
    keep = ~left
    result.tables["amenities"] = gpd.GeoDataFrame(
        {"amenity_id": ("OV-" + ids[keep]).to_numpy(), "kind": KIND, "name": shown[keep].to_numpy()},
        geometry=raw.geometry[keep].to_numpy(),
        crs=28992,
    )
    result.extras["stops"] = pd.DataFrame(
        {
            "feature": rows,
            "amenity_id": "OV-" + ids,
            "name": names,
            "modality": modality,
            "lines": lines,
            "inside_municipality": inside,
            "mapped": keep,
        }
    )
    result.rows.append(count_rows(path.name, keep))
    return finish(result, on_error)
