"""OpenStreetMap: nursing homes as intramural sites; supermarkets, GPs, pharmacies, community centres as amenities.

Two export layouts are read as they come:

- **Overpass JSON** (``[out:json]``; ``out center`` for ways and relations): ``elements`` with
  ``type``, ``id``, ``lat``/``lon`` (nodes), ``center`` (ways and relations with ``out center``)
  or ``geometry`` (``out geom``), and ``tags``; the ``osm3s`` block carries the data's date and
  OSM's copyright note.
- **GeoJSON** as overpass turbo or osmtogeojson export it: features whose ``id`` (or ``@id``
  property) is ``node/123``, ``way/456``; tags as flat properties (``@``-prefixed ones are
  metadata) or nested under ``tags``; ways as polygons.

What becomes what (tags as in the OSM wiki, Netherlands practice):

==========================================================================  ====================
tags                                                                         llt_geo
==========================================================================  ====================
``amenity=nursing_home``, ``social_facility=nursing_home``,                  ``intramural_sites``
``healthcare=nursing_home``
``shop=supermarket``                                                         ``supermarkt``
``amenity=doctors`` / ``healthcare=doctor`` (``healthcare:speciality``       ``huisarts``
absent or ``general``; absent is reported as assumed)
``amenity=pharmacy`` / ``healthcare=pharmacy``                               ``apotheek``
``amenity=community_centre``                                                 ``buurthuis``
==========================================================================  ====================

Everything else is reported (unknown tags, a specialist's practice, another social facility,
untagged nodes that only shape a way), never dropped silently. A way or relation is placed at
its ``center`` (Overpass) or a point inside its polygon (GeoJSON; ``representative_point``). A
nursing home's care provider is its ``operator`` tag: mapped to the programme's provider ids with
``providers=``, otherwise an id ``OSM-<operator>`` and a row in ``care_providers`` with every
criterion of 2.3 unknown (reported). A nursing home without an operator has no provider and is
reported, not placed in ``intramural_sites`` (whose ``provider_id`` is required). ``capacity``
becomes ``n_places`` when it is a whole number; otherwise unknown (reported).

Licence: © OpenStreetMap contributors, Open Database License (ODbL) 1.0. Every result and every
file written from it carries the attribution (:data:`ATTRIBUTION`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from ...errors import InputError, Problem
from . import Adapted, RowReporter, check_on_error, count_rows, finish, in_municipality, in_region, load_json, slug

__all__ = ["ATTRIBUTION", "classify", "read_osm"]

ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright)"
_DEFAULT_REGION = (106000.0, 474000.0, 139000.0, 497000.0)
_TO_RD = Transformer.from_crs(4326, 28992, always_xy=True)


def classify(tags: Mapping[str, str]) -> tuple[str | None, str | None, str]:
    """(table, kind, note) for an OSM object's tags; table None when nothing llt_geo uses.

    ``note`` says why an object is not mapped, or what was assumed (empty when nothing was).
    """
    amenity = tags.get("amenity", "")
    healthcare = tags.get("healthcare", "")
    social = tags.get("social_facility", "")
    if amenity == "nursing_home" or healthcare == "nursing_home" or social == "nursing_home":
        return "intramural_sites", None, ""
    if tags.get("shop") == "supermarket":
        return "amenities", "supermarkt", ""
    if amenity == "pharmacy" or healthcare == "pharmacy":
        return "amenities", "apotheek", ""
    if amenity == "doctors" or healthcare == "doctor":
        speciality = tags.get("healthcare:speciality")
        if speciality is None:
            return "amenities", "huisarts", "no healthcare:speciality: taken as a general practice (huisarts)"
        if "general" in [s.strip() for s in speciality.split(";")]:
            return "amenities", "huisarts", ""
        return None, None, f"a doctor's practice with healthcare:speciality={speciality}, not a GP"
    if amenity == "community_centre":
        return "amenities", "buurthuis", ""
    if amenity == "social_facility":
        return None, None, f"a social facility of another kind (social_facility={social or 'not given'})"
    if not tags:
        return None, None, "untagged (a node that only shapes a way)"
    shown = ", ".join(f"{k}={v}" for k, v in sorted(tags.items()) if k in ("amenity", "shop", "healthcare", "leisure"))
    return None, None, f"tags not used by llt_geo ({shown or 'no amenity, shop or healthcare tag'})"


def _outline(coords: list[tuple[float, float]]):
    """A way's ``out geom`` node list as a polygon (closed ring), a line, a point, or None."""
    if len(coords) >= 4 and coords[0] == coords[-1]:
        return shapely.Polygon(coords)
    if len(coords) >= 2:
        return shapely.LineString(coords)
    return shapely.Point(coords[0]) if coords else None


_FIX = "give the export as Overpass (out:json) or overpass turbo (GeoJSON) wrote it"


def _coordinate(value) -> float | None:
    """A JSON number that is a finite coordinate, else None (``"x"``, ``true``, ``1e999``, a list)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
        return None
    return float(value)


def _node_point(node) -> tuple | None:
    """``(lon, lat)`` of an ``{"lon": .., "lat": ..}`` object; None when either is not a number."""
    if not isinstance(node, dict):
        return None
    lon, lat = _coordinate(node.get("lon")), _coordinate(node.get("lat"))
    return None if lon is None or lat is None else (lon, lat)


def _element_geometry(el: dict) -> tuple[object, bool]:
    """An Overpass element's geometry (or None) and whether its coordinates are malformed."""
    if el.get("type") == "node" and ("lon" in el or "lat" in el):
        point = _node_point(el)
        return (shapely.Point(point) if point else None), point is None
    if isinstance(el.get("center"), dict):
        point = _node_point(el["center"])
        return (shapely.Point(point) if point else None), point is None
    if isinstance(el.get("geometry"), list) and el["geometry"]:
        points = [_node_point(p) for p in el["geometry"] if p]
        if any(p is None for p in points):
            return None, True
        return _outline(points), False
    return None, False


def _text_tags(tags) -> dict[str, str] | None:
    """OSM tags as text (a number given as a tag value is read as its text); None when they are not an object."""
    if not tags:
        return {}
    if not isinstance(tags, dict):
        return None
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in tags.items()}


def _malformed(file: str, bad: list[tuple[int, str, str]], noun: str) -> InputError:
    """One error per malformed element (its number, what is wrong, the value)."""
    return InputError(
        [
            Problem("error", file, column, f"{noun} {what}", rows=(number,), values=(value,), row_noun=noun, fix=_FIX)
            for number, column, what, value in bad[:20]
        ]
        + (
            [Problem("error", file, None, f"and {len(bad) - 20} more malformed {noun}s", fix=_FIX)]
            if len(bad) > 20
            else []
        )
    )


def _hashable(value):
    """An OSM type or id as given, or its text when it is an object or a list (so repeated ids can be found)."""
    return value if isinstance(value, (str, int, float, type(None))) else json.dumps(value)


def _elements_overpass(data: dict, file: str) -> tuple[list[dict], dict]:
    out, bad = [], []
    elements = data.get("elements") or []
    if not isinstance(elements, list):
        raise InputError.one(file, "'elements' is not a list", column="elements", fix=_FIX)
    for number, el in enumerate(elements, start=1):
        if not isinstance(el, dict):
            bad.append((number, None, "is not a JSON object", repr(el)[:40]))
            continue
        tags = _text_tags(el.get("tags"))
        if tags is None:
            bad.append((number, "tags", "has tags that are not an object", repr(el.get("tags"))[:40]))
            continue
        geom, malformed = _element_geometry(el)
        if malformed:
            shown = {k: el.get(k) for k in ("lat", "lon", "center", "geometry") if k in el}
            bad.append((number, "lat/lon", "has a lat or lon that is not a number", repr(shown)[:60]))
            continue
        out.append(
            {"osm_type": _hashable(el.get("type")), "osm_id": _hashable(el.get("id")), "tags": tags, "geometry": geom}
        )
    if bad:
        raise _malformed(file, bad, "element")
    meta = data.get("osm3s") if isinstance(data.get("osm3s"), dict) else {}
    return out, {
        "timestamp": meta.get("timestamp_osm_base"),
        "copyright": meta.get("copyright"),
        "generator": data.get("generator"),
    }


def _feature_geometry(f: dict):
    """A feature's shapely geometry (None without one); raises ValueError when it cannot be read or is not finite."""
    if not f.get("geometry"):
        return None
    try:
        geom = shapely.geometry.shape(f["geometry"])
    except Exception as exc:  # shapely raises GeometryTypeError, TypeError, KeyError, IndexError, ...
        raise ValueError(f"{type(exc).__name__}: {exc}") from None
    if not geom.is_empty and not np.isfinite(shapely.get_coordinates(geom)).all():
        raise ValueError("coordinates that are not finite numbers")
    return geom


def _elements_geojson(data: dict, file: str) -> tuple[list[dict], dict]:
    out, bad = [], []
    features = data.get("features") or []
    if not isinstance(features, list):
        raise InputError.one(file, "'features' is not a list", column="features", fix=_FIX)
    for number, f in enumerate(features, start=1):
        if not isinstance(f, dict) or not isinstance(f.get("properties") or {}, dict):
            bad.append((number, None, "is not a GeoJSON feature with properties", repr(f)[:40]))
            continue
        props = dict(f.get("properties") or {})
        ident = f.get("id") or props.get("@id") or props.get("id")
        if isinstance(props.get("tags"), dict):  # osmtogeojson's older layout
            tags = {str(k): str(v) for k, v in props["tags"].items()}
            osm_type, osm_id = props.get("type"), props.get("id")
        else:
            tags = {str(k): str(v) for k, v in props.items() if not str(k).startswith("@") and k not in ("id",)}
            osm_type, osm_id = None, None
        if isinstance(ident, str) and "/" in ident:
            osm_type, _, rest = ident.partition("/")
            osm_id = int(rest) if rest.isdigit() else rest
        try:
            geom = _feature_geometry(f)
        except ValueError as exc:
            bad.append((number, "geometry", f"has a geometry that cannot be read ({exc})", repr(f["geometry"])[:60]))
            continue
        out.append({"osm_type": _hashable(osm_type), "osm_id": _hashable(osm_id), "tags": tags, "geometry": geom})
    if bad:
        raise _malformed(file, bad, "feature")
    return out, {
        "timestamp": data.get("timestamp"),
        "copyright": data.get("copyright"),
        "generator": data.get("generator"),
    }


def _read_export(path: Path) -> tuple[str, list[dict], dict]:
    """The export's layout (``overpass`` or ``geojson``), its elements and its metadata; unreadable is an error."""
    data = load_json(path, "readable JSON", _FIX)
    if isinstance(data, dict) and "elements" in data:
        return "overpass", *_elements_overpass(data, path.name)
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return "geojson", *_elements_geojson(data, path.name)
    raise InputError.one(
        path.name,
        "neither Overpass JSON ('elements') nor GeoJSON (a FeatureCollection)",
        fix="export with [out:json] or as GeoJSON",
    )


def _check_ids(rep: RowReporter, frame: pd.DataFrame, ident: pd.Series) -> pd.Series:
    """Report objects without an OSM type and id, and objects given twice (errors); returns the rows left out."""
    left = rep.report(
        "error",
        "id",
        "no OSM type and id (node/123, way/456)",
        frame["osm_type"].isna() | frame["osm_id"].isna(),
        ident,
        "export with ids (overpass turbo: GeoJSON export keeps them as 'id')",
    )
    dup = ~left & ident.duplicated(keep=False)
    left |= rep.report("error", "id", "OSM object given twice", dup, ident, "export each object once")
    return left


def _report_tags(
    rep: RowReporter, tags: pd.Series, left: pd.Series, table: pd.Series, note: pd.Series, ident: pd.Series
) -> None:
    """Report the untagged nodes (one warning), the objects llt_geo does not use, and what was assumed."""
    untagged = tags.map(lambda t: not t)
    # nodes that only shape a way (Overpass `>;`) are one warning, not one per node
    n_untagged = int((untagged & ~left).sum())
    if n_untagged:
        rep.problems.append(
            Problem(
                "warning",
                rep.file,
                "tags",
                f"{n_untagged} untagged {rep.row_noun}(s): nodes that only shape a way, not objects of their own:"
                " not used",
                fix="none needed",
                row_noun=rep.row_noun,
            )
        )
    unused = ~left & table.isna() & ~untagged
    for reason in sorted(set(note[unused])):
        rep.report(
            "warning",
            "tags",
            f"not mapped: {reason}",
            unused & (note == reason),
            ident,
            "none needed if it is not a supermarket, GP, pharmacy, community centre or nursing home",
        )
    assumed = ~left & table.notna() & (note != "")
    for reason in sorted(set(note[assumed])):
        rep.report(
            "warning",
            "healthcare:speciality",
            reason,
            assumed & (note == reason),
            ident,
            "tag healthcare:speciality=general in OSM to confirm",
        )


def _rd_points(geoms: pd.Series) -> gpd.GeoSeries:
    """Each object's place in RD: a point as it is, a shape by a point inside it (its centroid when invalid)."""
    pts = []
    for g in geoms:
        if g is None or g.is_empty:
            pts.append(None)
            continue
        p = g if g.geom_type == "Point" else (g.representative_point() if g.is_valid else g.centroid)
        x, y = _TO_RD.transform(p.x, p.y)
        pts.append(shapely.Point(x, y))
    return gpd.GeoSeries(pts, crs=28992, index=geoms.index)


def _check_locations(
    rep: RowReporter,
    frame: pd.DataFrame,
    left: pd.Series,
    table: pd.Series,
    rd: gpd.GeoSeries,
    shown: pd.Series,
    ident: pd.Series,
    region_rd: tuple[float, float, float, float],
    municipality: gpd.GeoDataFrame | Adapted | None,
) -> pd.Series:
    """Report objects without a location or outside the region box (left out) and outside the municipality (kept).

    Returns the rows left out, ``left`` included.
    """
    no_geom = ~left & table.notna() & frame["geometry"].map(lambda g: g is None or g.is_empty)
    left = left | rep.report(
        "warning",
        "geometry",
        "no location: left out",
        no_geom,
        ident,
        "query ways and relations with 'out center;' (Overpass) or export their geometry",
    )
    located = rd.notna() & ~rd.is_empty
    in_box = in_region(rd.x.where(located), rd.y.where(located), region_rd)
    left = left | rep.outside_region(~left & table.notna() & located & ~in_box, shown)
    if municipality is not None:
        inside = pd.Series(True, index=frame.index)
        ok = located & ~left & table.notna()
        inside[ok] = in_municipality(municipality, rd[ok].to_numpy())
        rep.outside_municipality(ok & ~inside, shown)
    return left


def _site_operators(
    rep: RowReporter,
    tags: pd.Series,
    is_site: pd.Series,
    shown: pd.Series,
    providers: Mapping[str, str] | None,
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Each nursing home's care provider from its ``operator`` tag, reporting those without one or not known.

    Returns the operator, the provider id, the sites without an operator (left out) and the
    sites whose operator is not among the programme's providers (own ids).
    """
    operator = tags.map(lambda t: (t.get("operator") or "").strip() or None)
    no_operator = rep.report(
        "warning",
        "operator",
        "nursing home without an operator: no care provider, so not an"
        " intramural site of the programme (listed in extras['objects'])",
        is_site & operator.isna(),
        shown,
        "tag operator=* in OSM, or add the site to intramural_sites by hand",
    )
    is_site = is_site & ~no_operator
    lookup = {k.casefold(): v for k, v in (providers or {}).items()}
    provider_id = operator.map(lambda o: None if pd.isna(o) else lookup.get(o.casefold(), "OSM-" + slug(o)))
    own = is_site & operator.map(lambda o: not pd.isna(o) and o.casefold() not in lookup)
    rep.report(
        "warning",
        "operator",
        "operator not among the programme's providers: provider id made from it, every criterion of 2.3 unknown",
        own,
        operator,
        "pass providers={'<operator>': '<provider_id>'} to link it to care_providers",
    )
    return operator, provider_id, no_operator, own


def _site_places(rep: RowReporter, tags: pd.Series, is_site: pd.Series) -> pd.Series:
    """A nursing home's places (Int64) from its ``capacity`` tag; one that is not a whole number is reported."""
    capacity = tags.map(lambda t: t.get("capacity"))
    places = pd.to_numeric(
        capacity.where(capacity.map(lambda c: isinstance(c, str) and c.strip().isdigit())), errors="coerce"
    ).astype("Int64")
    rep.report(
        "warning",
        "capacity",
        "capacity is not a whole number: places unknown",
        is_site & capacity.notna() & places.isna(),
        capacity,
        "none needed; the number of places stays unknown",
    )
    return places


def _tables(
    columns: dict[str, pd.Series], rd: gpd.GeoSeries, is_amenity: pd.Series, is_site: pd.Series, own: pd.Series
) -> dict[str, pd.DataFrame]:
    """``amenities``, ``intramural_sites`` and ``care_providers`` (the ``own`` operators) from the mapped objects."""
    ids, names = columns["id"], columns["name"]
    amenities = gpd.GeoDataFrame(
        {
            "amenity_id": ids[is_amenity].to_numpy(),
            "kind": columns["kind"][is_amenity].to_numpy(),
            "name": names[is_amenity].to_numpy(),
        },
        geometry=rd[is_amenity].to_numpy(),
        crs=28992,
    )
    sites = gpd.GeoDataFrame(
        {
            "site_id": ids[is_site].to_numpy(),
            "provider_id": columns["provider_id"][is_site].to_numpy(),
            "name": names[is_site].to_numpy(),
            "n_places": columns["n_places"][is_site].array,
        },
        geometry=rd[is_site].to_numpy(),
        crs=28992,
    )
    own_ops = sorted(set(own))
    providers = pd.DataFrame({"provider_id": ["OSM-" + slug(o) for o in own_ops], "name": own_ops})
    return {"amenities": amenities, "intramural_sites": sites, "care_providers": providers}


def read_osm(
    path: str | Path,
    *,
    providers: Mapping[str, str] | None = None,
    municipality: gpd.GeoDataFrame | Adapted | None = None,
    region_rd: tuple[float, float, float, float] = _DEFAULT_REGION,
    on_error: str = "raise",
) -> Adapted:
    """An OpenStreetMap export (Overpass JSON or GeoJSON) into ``amenities``, ``intramural_sites``, ``care_providers``.

    Parameters
    ----------
    path : path
        The export, as Overpass or overpass turbo wrote it.
    providers : mapping, optional
        OSM ``operator`` (as tagged, matched without regard to case) -> the programme's
        ``provider_id``. Operators not in it get ``OSM-<operator>`` ids (reported).
    municipality : GeoDataFrame or Adapted, optional
        Objects outside it are kept (a flat near the border can use them) and reported.
    region_rd : (xmin, ymin, xmax, ymax)
        llt_geo's region box: objects outside it are left out and reported.

    Returns
    -------
    Adapted
        ``tables``: ``amenities`` (``amenity_id`` ``OSM-node-123``, ``kind``, ``name``),
        ``intramural_sites`` (``site_id``, ``provider_id``, ``name``, ``n_places``),
        ``care_providers`` (only operators without a programme id); ``extras["objects"]``: every
        object read with what became of it; ``attribution`` the ODbL line (and the file's note).
    """
    check_on_error(on_error)
    path = Path(path)
    layout, elements, meta = _read_export(path)
    frame = pd.DataFrame(elements, columns=["osm_type", "osm_id", "tags", "geometry"])
    frame.insert(0, "row", range(1, len(frame) + 1))
    result = Adapted(attribution=[ATTRIBUTION])
    if meta.get("copyright") and meta["copyright"] not in result.attribution:
        result.attribution.append(meta["copyright"])
    rep = RowReporter(path.name, frame["row"], "element" if layout == "overpass" else "feature", result.problems)
    tags = frame["tags"]
    ident = frame["osm_type"].astype(str) + "/" + frame["osm_id"].astype(str)
    left = _check_ids(rep, frame, ident)
    cls = tags.map(classify)
    table, kind, note = (cls.map(lambda c, i=i: c[i]) for i in range(3))
    _report_tags(rep, tags, left, table, note, ident)
    rd = _rd_points(frame["geometry"])
    names = tags.map(lambda t: t.get("name") or t.get("brand"))
    left = _check_locations(rep, frame, left, table, rd, names.fillna(ident), ident, region_rd, municipality)
    is_site = ~left & (table == "intramural_sites")
    operator, provider_id, no_operator, own = _site_operators(rep, tags, is_site, names.fillna(ident), providers)
    left |= no_operator
    is_site &= ~no_operator
    places = _site_places(rep, tags, is_site)
    is_amenity = ~left & (table == "amenities")
    ids = "OSM-" + frame["osm_type"].astype(str) + "-" + frame["osm_id"].astype(str)
    columns = {"id": ids, "kind": kind, "name": names, "provider_id": provider_id, "n_places": places}
    result.tables.update(_tables(columns, rd, is_amenity, is_site, operator[own]))
    became = np.where(is_amenity, "amenities", np.where(is_site, "intramural_sites", "not used"))
    objects = {"row": frame["row"], "osm": ident, "name": names, "table": became, "kind": kind, "note": note}
    result.extras["objects"] = pd.DataFrame({**objects, "operator": operator})
    result.extras["source"] = pd.DataFrame([{"layout": layout, **meta}])
    result.rows.append(count_rows(path.name, is_amenity | is_site))
    return finish(result, on_error)
