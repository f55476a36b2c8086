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
import pandas as pd
import shapely

from ...errors import Problem
from . import Adapted, RowCount, check_on_error, finish, missing_columns_error, read_geojson

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
    raw, meta = read_geojson(path)
    headers = [c for c in raw.columns if c not in ("feature", "feature_id", "geometry")]
    missing = {h: w for h, w in (("Naam", "the stop's name"), ("Modaliteit", "Tram or Metro")) if h not in headers}
    if missing:
        raise missing_columns_error(
            path.name, missing, headers, "give the TRAMMETRO_PUNTEN layer as published by maps.amsterdam.nl"
        )
    result = Adapted(attribution=[ATTRIBUTION])
    problems = result.problems
    rows = raw["feature"]

    def report(severity, column, message, mask, values, fix):
        mask = pd.Series(mask, index=raw.index).fillna(False).astype(bool)
        if mask.any():
            problems.append(
                Problem(
                    severity,
                    path.name,
                    column,
                    message,
                    rows=tuple(rows[mask]),
                    values=tuple(values[mask]),
                    fix=fix,
                    row_noun="feature",
                )
            )
        return mask

    names = raw["Naam"].map(lambda v: str(v).strip() if v is not None and str(v).strip() else None)
    modality = raw["Modaliteit"].map(lambda v: str(v).strip().lower() if v is not None else None)
    ids = raw["feature_id"].where(raw["feature_id"].notna(), raw["feature"]).astype(str)
    left = pd.Series(False, index=raw.index)
    no_point = raw.geometry.isna() | raw.geometry.is_empty | (raw.geometry.geom_type != "Point")
    left |= report(
        "error",
        "geometry",
        "not a point",
        no_point,
        raw.geometry.geom_type.fillna("none"),
        "export the stops layer with its points",
    )
    dup = ids.duplicated(keep=False)
    left |= report("error", "id", "feature id given twice", dup & ~left, ids, "give the layer as published")
    unknown_mod = ~modality.isin(["tram", "metro"]) & ~left
    report(
        "warning",
        "Modaliteit",
        "modality not Tram or Metro: kept as ov_halte",
        unknown_mod,
        raw["Modaliteit"].astype(str),
        "none needed if it is a public transport stop",
    )
    no_name = names.isna() & ~left
    report("warning", "Naam", "stop without a name: kept, named by its id", no_name, ids, "none needed")
    x = raw.geometry.x.where(~no_point)
    y = raw.geometry.y.where(~no_point)
    outside_box = ~left & ~((x >= region_rd[0]) & (x <= region_rd[2]) & (y >= region_rd[1]) & (y <= region_rd[3]))
    left |= report(
        "warning",
        "geometry",
        "outside llt_geo's region box ([validation] region_rd): left out",
        outside_box,
        names.fillna(ids),
        "widen [validation] region_rd if it is needed",
    )
    inside = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    if municipality is not None:
        areas = municipality.tables["stadsdelen"] if isinstance(municipality, Adapted) else municipality
        city = shapely.union_all(areas.geometry.to_numpy())
        ok = ~no_point
        inside[ok] = shapely.covers(city, raw.geometry[ok].to_numpy())
        report(
            "warning",
            "geometry",
            "outside the municipality: kept (a flat near the border can use it)",
            ~left & inside.eq(False).fillna(False),
            names.fillna(ids),
            "none needed",
        )
    lines = raw["Lijn"].map(_lines) if "Lijn" in raw else pd.Series(None, index=raw.index)
    if "Lijn" in raw:
        no_line = (lines.isna() & ~left).to_numpy()
        report(
            "warning",
            "Lijn",
            "stop without a regular line ('_'): kept",
            no_line,
            raw["Lijn"].astype(str),
            "none needed",
        )
    problems.append(
        Problem(
            "warning",
            path.name,
            None,
            "the layer has tram and metro stops only (no bus, no ferry):"
            " ov_halte from it alone undercounts public transport",
            fix="add bus and ferry stops (GVB/NDOV or OpenStreetMap) as amenities of kind ov_halte",
        )
    )
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
    result.rows.append(RowCount(path.name, len(raw), int(keep.sum()), int(left.sum())))
    return finish(result, on_error)
