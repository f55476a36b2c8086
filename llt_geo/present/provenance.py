"""Maps that say which of their layers are real open data and which are fictional.

A map of the demo on real open data (notebook 04) mixes the publishers' areas, figures and
buildings with llt_geo's fictional flats. Every layer name and legend heading then carries its
source (*echt (Gemeente Amsterdam, CC BY 4.0)* or *fictief*), so nobody takes a fictional flat for
a real one. These functions mark a finished map (:func:`mark_sources`), add the buildings that
candidate discovery found as footprints (:func:`footprints_for_map`, :func:`add_footprints`), and
simplify real area boundaries for drawing (:func:`simplified_areas`). They work on a finished
:class:`llt_geo.present.maps.LltMap` and redraw its panels (:func:`llt_geo.present.maps.refresh_panels`).
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
import shapely

from .maps import LltMap, refresh_panels

__all__ = [
    "FOOTPRINT_COLOURS",
    "add_footprints",
    "footprints_for_map",
    "mark_sources",
    "simplified_areas",
]

#: Colour of a found building by what discovery made of it (the Okabe-Ito palette's blue and
#: orange; grey for too small).
FOOTPRINT_COLOURS = {"candidate": "#0072B2", "no_dwellings": "#E69F00", "too_small": "#999999"}


def simplified_areas(frame: gpd.GeoDataFrame, tolerance_m: float = 20.0) -> gpd.GeoDataFrame:
    """Area boundaries simplified for a map, together (``shapely.coverage_simplify``: neighbours
    keep a shared edge, no gaps or overlaps appear); ``tolerance_m`` in the frame's metres."""
    return frame.set_geometry(shapely.coverage_simplify(frame.geometry.to_numpy(), tolerance_m))


def mark_sources(
    m: LltMap,
    *,
    layers: dict[str, str],
    legend: dict[str, str],
    rename: dict[str, str] | None = None,
    title: str | None = None,
) -> LltMap:
    """Put each layer's and legend section's source in its name.

    Parameters
    ----------
    m : LltMap
        A finished map (e.g. :func:`llt_geo.present.maps.overview_map`).
    layers : dict of str to str
        Layer-name prefix -> source mark: a layer whose name starts with the prefix gets
        `` — <mark>`` after its name.
    legend : dict of str to str
        Legend-heading prefix -> source mark: the heading gets ``[<mark>] `` in front.
    rename : dict of str to str, optional
        Words replaced in the layer names (``{"Voorzieningen": "Ov-haltes tram en metro"}``).
    title : str, optional
        A new title for the map.

    Returns
    -------
    LltMap
        The same map, its panels drawn again.
    """
    for layer in m._children.values():
        name = getattr(layer, "layer_name", "") or ""
        mark = next((v for k, v in layers.items() if name.startswith(k)), None)
        if mark:
            for old, new in (rename or {}).items():
                name = name.replace(old, new)
            layer.layer_name = f"{name} — {mark}"
    sections = []
    for heading, rows in m.llt_legend:
        mark = next((v for k, v in legend.items() if heading.startswith(k)), None)
        sections.append((f"[{mark}] {heading}" if mark else heading, rows))
    m.llt_legend[:] = sections
    return refresh_panels(m, title=title)


def footprints_for_map(buildings: gpd.GeoDataFrame, found: pd.DataFrame) -> gpd.GeoDataFrame:
    """The footprints of the buildings discovery looked at, for a map (EPSG:4326, 1 m simplified).

    Parameters
    ----------
    buildings : GeoDataFrame
        ``building_id`` and the footprint polygons (RD New), e.g. from the 3D tiles.
    found : DataFrame
        :attr:`llt_geo.discovery.Discovery.buildings` (``discovery``, ``discovery_nl``,
        ``building_year``, ``n_dwellings``, ``n_dwellings_estimate``); discovery places each
        building at a point inside its footprint, the map draws the footprint.

    Returns
    -------
    GeoDataFrame
        ``building_id``, ``discovery``, ``discovery_nl``, ``building_year``, ``woningen`` (counted,
        estimated or unknown, in Dutch) and the geometry, sorted by ``building_id``.
    """
    panden = buildings[["building_id", "geometry"]].merge(found.drop(columns="geometry"), on="building_id")
    panden["geometry"] = panden.geometry.simplify(1.0)
    panden = panden.to_crs("EPSG:4326")
    panden["geometry"] = shapely.set_precision(panden.geometry.to_numpy(), 1e-5)
    panden["woningen"] = [
        f"{int(n)} geteld (BAG)" if pd.notna(n) else (f"{int(e)} geschat" if pd.notna(e) else "onbekend")
        for n, e in zip(panden["n_dwellings"], panden["n_dwellings_estimate"], strict=True)
    ]
    panden = panden[["building_id", "discovery", "discovery_nl", "building_year", "woningen", "geometry"]]
    return panden.sort_values("building_id")


def add_footprints(
    m: LltMap, panden: gpd.GeoDataFrame, *, mark: str, colours: dict[str, str] | None = None
) -> LltMap:
    """One layer per outcome of discovery with the buildings' footprints, and a legend section.

    Parameters
    ----------
    m : LltMap
        A finished map.
    panden : GeoDataFrame
        From :func:`footprints_for_map`.
    mark : str
        The footprints' source, in each layer name and the legend heading.
    colours : dict of str to str, optional
        Colour per outcome (default :data:`FOOTPRINT_COLOURS`); outcomes without a colour are not drawn.

    Returns
    -------
    LltMap
        The same map, its panels drawn again with the new layers under the search box and layer list.
    """
    from .maps import _sym_area

    rows = []
    for outcome, colour in (colours or FOOTPRINT_COLOURS).items():
        part = panden[panden["discovery"] == outcome]
        if not len(part):
            continue
        words = f"{part['discovery_nl'].iloc[0]} ({len(part)})"
        group = folium.FeatureGroup(name=f"Gevonden panden: {words} — {mark}", show=True)
        folium.GeoJson(
            part.drop(columns="discovery"),
            style_function=lambda _f, c=colour: {"color": c, "weight": 1, "fillColor": c, "fillOpacity": 0.7},
            tooltip=folium.GeoJsonTooltip(fields=["building_id", "discovery_nl", "building_year", "woningen"],
                                          aliases=["Pand", "Uitkomst", "Bouwjaar", "Woningen"]),
        ).add_to(group)  # fmt: skip
        group.add_to(m)
        rows.append((_sym_area(colour, colour), words))
    m.llt_legend.append((f"[{mark}] Gevonden panden (kandidaatvinding)", rows))
    return refresh_panels(m)
