"""Areas and focus: stadsdeel, wijk and buurt of every location; ageing and masterplan areas.

Locations are assigned at the finest level that has boundaries (buurt, else wijk, else
stadsdeel); the coarser codes follow from the code hierarchy (``FA01`` lies in wijk ``FA`` in
stadsdeel ``F``), so the three are always consistent. A point on a shared boundary goes to the
area with the lowest code and is flagged; a point just outside every area goes to the nearest
area within ``[areas] outside_tolerance_m`` and is flagged; further out it is unknown (flagged).

Focus areas agree with that assignment: a point exactly on the edge of a focus area is in it when
the area it was assigned to lies (for the larger part) in the focus area, so a flat on the line
between a masterplan wijk and its neighbour is in the masterplan area exactly when it was assigned
to the masterplan wijk. When the edge runs through the assigned area instead of along it, or the
point's area is unknown, the case is flagged (``focus_edge_unclear``) for the report.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from scipy import ndimage

from .errors import InputError, Problem

__all__ = [
    "FOCUS_EDGE_CLEAR_SHARE",
    "area_ageing",
    "assign_areas",
    "assigned_area_geometry",
    "city_share_65plus",
    "focus_membership",
]

#: A point on a focus area's edge follows its assigned area; the case is clear when at most this
#: share of that area lies on the other side of the edge (schematic or digitised boundaries leave
#: slivers), and reported when more does: then the edge runs through the area, not along it.
FOCUS_EDGE_CLEAR_SHARE = 0.01


#: Points per chunk when a query is split over threads (shapely and numpy release the GIL).
CHUNK = 1 << 17
#: Threads for those chunks: two (a laptop's cores; more gains little on these memory-bound steps).
WORKERS = max(1, min(2, os.cpu_count() or 1))
#: From this many points on, :func:`assign_areas` first settles the points that lie well inside one
#: area with a grid (:func:`_grid_owner`) and queries the areas only for the rest.
GRID_MIN_POINTS = 20_000


def thread_map(func, n: int, *, chunk: int | None = None) -> list:
    """``func(start, stop)`` for consecutive chunks of ``range(n)``, on up to two threads, in order.

    Shapely's predicates and STRtree queries, numpy's arithmetic and scipy's KD-tree release the
    GIL, so two threads keep both cores of a laptop busy; a small ``n`` runs on this thread.
    ``chunk`` defaults to :data:`CHUNK`.
    """
    chunk = chunk or CHUNK
    bounds = [(a, min(a + chunk, n)) for a in range(0, n, chunk)] or [(0, 0)]
    workers = min(len(bounds), WORKERS)
    if workers <= 1:
        return [func(a, b) for a, b in bounds]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda ab: func(*ab), bounds))


def string_take(labels, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``labels[codes]`` as a nullable string array (``None`` in ``labels`` gives ``<NA>``).

    The same array as ``pd.array(labels[codes], dtype="string")``, built from the few distinct
    labels: no Python string per row.
    """
    small = pd.array(np.asarray(labels, dtype=object), dtype="string")
    codes = np.asarray(codes, dtype=np.int64)
    if isinstance(small, pd.arrays.ArrowStringArray):
        return pd.arrays.ArrowStringArray(pa.array(small).take(pa.array(codes)))
    return small.take(codes)


def _query_pairs(tree: shapely.STRtree, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``tree.query(geoms, predicate="intersects")`` in chunks on two threads (the same pairs)."""

    def part(a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        pi, ai = tree.query(geoms[a:b], predicate="intersects")
        return pi + a, ai

    parts = thread_map(part, len(geoms))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def assign_areas(
    points: gpd.GeoSeries,
    *,
    buurten: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame,
    stadsdelen: gpd.GeoDataFrame,
    outside_tolerance_m: float = 25.0,
    xy: np.ndarray | None = None,
) -> pd.DataFrame:
    """Stadsdeel, wijk and buurt of each point.

    The finest level with boundaries is tried first; a point it does not cover (for example when
    the buurten of one stadsdeel are missing) falls back to the next level, and says so.

    Parameters
    ----------
    points : GeoSeries
        Locations in EPSG:28992.
    buurten, wijken, stadsdelen : GeoDataFrame
        Area tables as loaded (EPSG:28992); the finest non-empty one is used.
    outside_tolerance_m : float
        Points outside every area but within this distance of one are assigned to the nearest.
    xy : ndarray, optional
        The points' coordinates as :func:`llt_geo.proximity.point_xy` gives them, when the caller
        has them already.

    Returns
    -------
    DataFrame
        Indexed like ``points``: ``buurt_code``, ``wijk_code``, ``stadsdeel_code`` (``<NA>`` when
        unknown), ``area_level`` (the level matched), ``on_boundary`` (point touches more than one
        area: the lowest code was taken), ``outside_areas`` (not inside any area), ``area_note``
        (Dutch; empty when nothing is special).
    """
    if points.crs is None or points.crs.to_epsg() != 28992:
        raise InputError([Problem("error", "points", None, f"must be in EPSG:28992, not {points.crs}")])
    present = [
        (lvl, f)
        for lvl, f in (("buurt", buurten), ("wijk", wijken), ("stadsdeel", stadsdelen))
        if f is not None and len(f)
    ]
    if not present:
        raise InputError(
            [
                Problem(
                    "error",
                    "areas",
                    None,
                    "no area boundaries to assign flats to",
                    fix="give at least the stadsdelen and wijken tables",
                )
            ]
        )
    geoms = np.asarray(points.to_numpy(), dtype=object)
    n = len(geoms)
    # every point gets a label: one per area of every level, and a last one for "no area"; the
    # columns are then taken from the few labels (the codes at each level follow from the area's
    # own code: FA01 -> FA -> F)
    labels: list[tuple] = []
    label = np.full(n, -1, dtype=np.int64)
    on_boundary = np.zeros(n, dtype=bool)
    outside = np.zeros(n, dtype=bool)
    # the notes by code (0: none); the few texts are written once, not as a Python string per point
    note = np.zeros(n, dtype=np.int64)
    texts: dict[str, int] = {"": 0}

    def put(rows, text: str) -> None:
        note[rows] = texts.setdefault(text, len(texts))

    todo = np.arange(n)
    for step, (level, frame) in enumerate(present):
        if not len(todo):
            break
        chosen, boundary, out, notes, codes = _assign_level(
            geoms[todo], level, frame, outside_tolerance_m, None if xy is None else xy[todo]
        )
        found = chosen >= 0
        label[todo[found]] = len(labels) + chosen[found]
        for own in codes:
            own = None if own is None or pd.isna(own) else str(own)
            labels.append(
                (
                    own if level == "buurt" else None,
                    own[:2] if own is not None and level in ("buurt", "wijk") else None,
                    own[:1] if own is not None else None,
                    level,
                )
            )
        on_boundary[todo[found]] = boundary[found]
        outside[todo[found]] = out[found]
        fallback = "" if step == 0 else f"niet binnen de {present[0][0]}grenzen; {level} uit de {level}grenzen. "
        if fallback:
            put(todo[found], fallback)
        for i, text in notes.items():  # every point with a note was assigned
            put(todo[i], fallback + text)
        todo = todo[~found]
    if len(todo):
        put(todo, "buiten alle gebieden: stadsdeel, wijk en buurt onbekend")
    outside[todo] = True
    label[todo] = len(labels)
    labels.append((None, None, None, None))
    table = np.array(labels, dtype=object).reshape(-1, 4)
    return pd.DataFrame(
        {
            "buurt_code": string_take(table[:, 0], label),
            "wijk_code": string_take(table[:, 1], label),
            "stadsdeel_code": string_take(table[:, 2], label),
            "area_level": string_take(table[:, 3], label),
            "on_boundary": on_boundary,
            "outside_areas": outside,
            "area_note": string_take(np.array(list(texts), dtype=object), note),
        },
        index=points.index,
    )


def _grid_owner(
    geoms: np.ndarray, polys: np.ndarray, tree: shapely.STRtree, xy: np.ndarray | None = None
) -> np.ndarray:
    """The one area each point lies well inside, found without a point-in-polygon test; -1 for the rest.

    A grid of square cells is laid over the areas and every cell that the areas' boundaries pass
    through or come within a millimetre of is marked. Inside a connected patch of unmarked cells no
    boundary is crossed, so every point of the patch lies in the same areas; one point of each
    patch is tested. A point in a patch that lies in exactly one area gets that area (it touches no
    other, so the query of :func:`_assign_level` would give that area alone); a point in a marked
    cell, in a patch inside no area or several, outside the grid, or not a point, gets -1 and is
    queried as before. So the answers are those of the query, for a fraction of its cost.
    """
    n = len(geoms)
    out = np.full(n, -1, dtype=np.int64)
    if xy is None:
        at = np.flatnonzero((shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms))
        xy = shapely.get_coordinates(geoms[at])
    else:  # points or missing only (llt_geo.proximity.point_xy): NaN where missing
        at = np.flatnonzero(~(np.isnan(xy[:, 0]) | np.isnan(xy[:, 1])))
        xy = xy[at]
    if not len(at) or not len(polys) or not shapely.is_valid(polys).all():
        return out
    x0, y0, x1, y1 = shapely.total_bounds(polys)
    if not np.isfinite([x0, y0, x1, y1]).all():
        return out
    area = max((x1 - x0) * (y1 - y0), 1.0)
    side = max(float(np.sqrt(area / (2 * n))), 5.0, max(x1 - x0, y1 - y0) / 8192)  # about 2 cells per point
    nx, ny = int((x1 - x0) // side) + 1, int((y1 - y0) // side) + 1
    slack = 1e-3  # a cell counts as crossed when a boundary comes within a millimetre (rounding)
    # the boundaries in pieces no longer than a cell: each piece marks the cells its box overlaps
    lines = shapely.segmentize(shapely.get_parts(shapely.boundary(polys)), side)
    coords, part = shapely.get_coordinates(lines, return_index=True)
    same = part[1:] == part[:-1]
    ax, ay, bx, by = coords[:-1, 0][same], coords[:-1, 1][same], coords[1:, 0][same], coords[1:, 1][same]
    i0 = np.floor((np.minimum(ax, bx) - slack - x0) / side).astype(np.int64)
    i1 = np.floor((np.maximum(ax, bx) + slack - x0) / side).astype(np.int64)
    j0 = np.floor((np.minimum(ay, by) - slack - y0) / side).astype(np.int64)
    j1 = np.floor((np.maximum(ay, by) + slack - y0) / side).astype(np.int64)
    marked = np.zeros((ny, nx), dtype=bool)
    span = int(max((i1 - i0).max(initial=0), (j1 - j0).max(initial=0))) + 1
    for di in range(span):
        for dj in range(span):
            sel = (i0 + di <= i1) & (j0 + dj <= j1)
            marked[np.clip(j0[sel] + dj, 0, ny - 1), np.clip(i0[sel] + di, 0, nx - 1)] = True
    patch, k = ndimage.label(~marked)  # 4-connected patches of unmarked cells
    ix, iy = np.floor((xy[:, 0] - x0) / side), np.floor((xy[:, 1] - y0) / side)
    on_grid = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
    at, ix, iy = at[on_grid], ix[on_grid].astype(np.int64), iy[on_grid].astype(np.int64)
    label = patch.ravel()[iy * nx + ix]
    sample = np.full(k + 1, -1, dtype=np.int64)  # one point of each patch that holds points
    sample[label] = at
    has = np.flatnonzero(sample[1:] >= 0) + 1
    pi, ai = tree.query(geoms[sample[has]], predicate="intersects")
    alone = np.bincount(pi, minlength=len(has))[pi] == 1
    owner = np.full(k + 1, -1, dtype=np.int64)
    owner[has[pi[alone]]] = ai[alone]
    out[at] = owner[label]
    return out


def _assign_level(
    geoms: np.ndarray, level: str, frame: gpd.GeoDataFrame, outside_tolerance_m: float, xy: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, str], np.ndarray]:
    """Areas of one level: chosen row (in code order; -1 none), on a boundary, outside, the Dutch notes
    (point -> text, only points with one), codes."""
    code_col = f"{level}_code"
    order = np.argsort(frame[code_col].to_numpy(dtype=str), kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)  # lowest code first: ties go to it
    n = len(geoms)
    tree = shapely.STRtree(frame.geometry.to_numpy())
    chosen = np.full(n, -1, dtype=np.int64)
    if n >= GRID_MIN_POINTS:
        owner = _grid_owner(geoms, frame.geometry.to_numpy(), tree, xy)
        rest = np.flatnonzero(owner < 0)
        pi, ai = _query_pairs(tree, geoms[rest])
        pi = rest[pi]
        count = np.bincount(pi, minlength=n)
        settled = owner >= 0
        chosen[settled] = owner[settled]
        count[settled] = 1
    else:
        pi, ai = _query_pairs(tree, geoms)
        count = np.bincount(pi, minlength=n)
    # the lowest area index (= lowest code) per point wins; most points lie in one area only
    alone = count[pi] == 1
    chosen[pi[alone]] = ai[alone]
    if not alone.all():
        lowest = np.full(n, np.iinfo(np.int64).max)
        np.minimum.at(lowest, pi[~alone], ai[~alone])
        several = np.flatnonzero(count > 1)
        chosen[several] = lowest[several]
    on_boundary = count > 1
    outside = count == 0
    nearest_m = np.full(n, np.nan)
    if outside.any():
        idx_out = np.flatnonzero(outside)
        idx_out = idx_out[~shapely.is_missing(geoms[idx_out])]
        if len(idx_out):
            qi, qa = tree.query_nearest(geoms[idx_out], max_distance=outside_tolerance_m, all_matches=True)
            if len(qi):
                o = np.lexsort((qa, qi))
                first = np.unique(qi[o], return_index=True)[1]
                chosen[idx_out[qi[o][first]]] = qa[o][first]
                nearest_m[idx_out[qi[o][first]]] = shapely.distance(
                    geoms[idx_out[qi[o][first]]], frame.geometry.to_numpy()[qa[o][first]]
                )
    all_codes = frame[code_col].to_numpy(dtype=object)
    note: dict[int, str] = {}
    if on_boundary.any():
        # name the other area(s) the point touches, so the report can say which were in play
        multi = on_boundary[pi]
        sp, sa = pi[multi], ai[multi]
        o = np.lexsort((sa, sp))
        sp, sa = sp[o], sa[o]
        others = pd.Series(all_codes[sa]).groupby(sp).agg(lambda s: ", ".join(s.iloc[1:]))
        for i, other in others.items():
            note[int(i)] = f"op de grens met {other}; toegewezen aan {all_codes[chosen[i]]} (laagste code)"
    for i in np.flatnonzero(outside & (chosen >= 0)):
        note[int(i)] = f"buiten alle gebieden; {nearest_m[i]:.0f} m van {all_codes[chosen[i]]}, daaraan toegewezen"
    return chosen, on_boundary, outside, note, all_codes


def assigned_area_geometry(
    areas: pd.DataFrame,
    *,
    buurten: gpd.GeoDataFrame | None,
    wijken: gpd.GeoDataFrame | None,
    stadsdelen: gpd.GeoDataFrame | None,
) -> gpd.GeoDataFrame:
    """The polygon of the area each point was assigned to, at the level it was assigned at.

    Parameters
    ----------
    areas : DataFrame
        As returned by :func:`assign_areas`.
    buurten, wijken, stadsdelen : GeoDataFrame
        The area tables given to :func:`assign_areas`.

    Returns
    -------
    GeoDataFrame
        Indexed like ``areas``: ``area_code`` (the code at ``area_level``) and the polygon; both
        missing where the areas are unknown.
    """
    n = len(areas)
    code = np.full(n, None, dtype=object)
    geom = np.full(n, None, dtype=object)
    level = areas["area_level"].to_numpy(dtype=object, na_value=None)
    for name, frame in (("buurt", buurten), ("wijk", wijken), ("stadsdeel", stadsdelen)):
        sel = np.flatnonzero(level == name)
        if not len(sel) or frame is None or not len(frame):
            continue
        own = areas[f"{name}_code"].to_numpy(dtype=object, na_value=None)[sel]
        table = frame.drop_duplicates(f"{name}_code")
        pos = pd.Index(table[f"{name}_code"].astype(str)).get_indexer(own.astype(str))
        found = pos >= 0
        code[sel[found]] = own[found]
        geom[sel[found]] = table.geometry.to_numpy()[pos[found]]
    crs = next((f.crs for f in (buurten, wijken, stadsdelen) if f is not None and len(f)), None)
    return gpd.GeoDataFrame(
        {"area_code": pd.array(code, dtype="string")},
        geometry=gpd.GeoSeries(geom, index=areas.index, crs=crs),
        index=areas.index,
    )


def city_share_65plus(wijken: pd.DataFrame) -> float:
    """The city-wide share of residents aged 65+ from the areas that have both figures (NaN if none)."""
    known = wijken.dropna(subset=["residents_total", "residents_65plus"])
    total = float(known["residents_total"].sum())
    return float(known["residents_65plus"].sum()) / total if total > 0 else float("nan")


def area_ageing(areas: pd.DataFrame, *, threshold: float | str = "city", code_col: str = "wijk_code") -> pd.DataFrame:
    """Share of residents aged 65+ per area and whether it is ageing ("vergrijsd").

    Parameters
    ----------
    areas : DataFrame
        Wijken or buurten with ``residents_total`` and ``residents_65plus``.
    threshold : float or "city"
        An area is ageing when its share is at least this; ``"city"`` uses the city-wide share.
    code_col : str
        The code column (``wijk_code`` or ``buurt_code``).

    Returns
    -------
    DataFrame
        Indexed by code: ``share_65plus``, ``ageing_threshold``, ``ageing`` (nullable boolean,
        ``<NA>`` where the figures are missing: unknown, never a pass).
    """
    limit = city_share_65plus(areas) if threshold == "city" else float(threshold)
    total = areas["residents_total"].astype("Float64")
    share = (areas["residents_65plus"].astype("Float64") / total.where(total > 0)).round(4)
    ageing = (share >= limit).astype("boolean")
    if np.isnan(limit):
        ageing[:] = pd.NA
    out = pd.DataFrame(
        {
            "share_65plus": share.to_numpy(),
            "ageing_threshold": round(limit, 4) if not np.isnan(limit) else np.nan,
            "ageing": ageing.to_numpy(),
        },
        index=pd.Index(areas[code_col].astype(str), name=code_col),
    )
    out["ageing"] = out["ageing"].astype("boolean")
    return out


def focus_membership(
    points: gpd.GeoSeries,
    focus_areas: gpd.GeoDataFrame,
    *,
    masterplan_kind: str = "masterplan",
    areas: pd.DataFrame | None = None,
    buurten: gpd.GeoDataFrame | None = None,
    wijken: gpd.GeoDataFrame | None = None,
    stadsdelen: gpd.GeoDataFrame | None = None,
    xy: np.ndarray | None = None,
) -> pd.DataFrame:
    """Which focus areas each point lies in, and whether one of them is a masterplan area.

    A point inside a focus area is in it, a point outside is not. A point exactly on the edge of a
    focus area follows the area it was assigned to (``areas``): it is in the focus area when
    the larger part of that area lies in it. So a flat on the line between a masterplan wijk and
    its neighbour, assigned to the neighbour by the lowest-code rule, is not counted in the
    masterplan area, and the other way round. The case is *unclear* (and flagged) when more than
    :data:`FOCUS_EDGE_CLEAR_SHARE` of the assigned area lies on either side of the edge (the edge
    runs through the area, not along it), or when the point's area is unknown; an edge point whose
    area is unknown counts as inside (a polygon includes its edge).

    Parameters
    ----------
    points : GeoSeries
        Locations in EPSG:28992.
    focus_areas : GeoDataFrame
        ``focus_id``, ``name``, ``kind`` and the polygon (EPSG:28992); may be empty or None.
    masterplan_kind : str
        The ``kind`` of a masterplan area (compared without regard to case).
    areas : DataFrame, optional
        The points' areas as :func:`assign_areas` gave them (indexed like ``points``); without
        them every edge point's area is unknown.
    buurten, wijken, stadsdelen : GeoDataFrame, optional
        The area tables given to :func:`assign_areas`; the polygons are looked up only for the
        (few) points on an edge.
    xy : ndarray, optional
        The points' coordinates as :func:`llt_geo.proximity.point_xy` gives them, when the caller
        has them already.

    Returns
    -------
    DataFrame
        Indexed like ``points``: ``in_masterplan`` (nullable boolean; ``<NA>`` when no focus areas
        are given at all, or none has the masterplan kind: unknown), ``focus_names`` (sorted,
        comma-separated), ``focus_on_edge`` (exactly on the edge of a focus area),
        ``focus_edge_unclear`` (on an edge that the assigned area does not settle) and
        ``focus_note`` (Dutch; empty when nothing is special).
    """
    n = len(points)
    if focus_areas is None or not len(focus_areas):
        return pd.DataFrame(
            {
                "in_masterplan": pd.array([pd.NA] * n, dtype="boolean"),
                "focus_names": pd.array([""] * n, dtype="string"),
                "focus_on_edge": np.zeros(n, dtype=bool),
                "focus_edge_unclear": np.zeros(n, dtype=bool),
                "focus_note": string_take(np.array([""], dtype=object), np.zeros(n, dtype=np.int64)),
            },
            index=points.index,
        )
    kind = focus_areas["kind"].astype("string").str.strip().str.lower().fillna("").to_numpy(dtype=object)
    names = focus_areas["name"].fillna(focus_areas["focus_id"]).astype(str).to_numpy(dtype=object)
    if xy is None:
        geoms = np.asarray(points.to_numpy(), dtype=object)
        present = ~shapely.is_missing(geoms)
        x, y = shapely.get_x(geoms), shapely.get_y(geoms)  # NaN where missing
    else:  # points or missing only (llt_geo.proximity.point_xy): NaN where missing
        x, y = xy[:, 0], xy[:, 1]
        present = ~np.isnan(x)
    # one vectorised point-in-polygon test per focus area (a handful), then one label per bitmask
    order = np.argsort(names, kind="stable")
    polys = [focus_areas.geometry.iloc[i] for i in order]
    for poly in polys:
        shapely.prepare(poly)
    inside = np.zeros((n, len(order)), dtype=bool)
    edge = np.zeros((n, len(order)), dtype=bool)

    bounds = [shapely.bounds(poly) for poly in polys]

    def part(a: int, b: int) -> None:  # chunks of points on two threads (shapely releases the GIL)
        xs, ys = x[a:b], y[a:b]
        for j, poly in enumerate(polys):
            # only points within the area's bounding box can touch it (the box includes its edge)
            x0, y0, x1, y1 = bounds[j]
            near = np.flatnonzero(present[a:b] & (xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1))
            hit = near[shapely.intersects_xy(poly, xs[near], ys[near])]
            idx = hit + a
            edge[idx, j] = ~shapely.contains_xy(poly, x[idx], y[idx])  # on the edge, not in the interior
            inside[idx, j] = True

    thread_map(part, n)
    unclear = np.zeros(n, dtype=bool)
    note = None  # no point on an edge: every note empty
    if edge.any():
        assigned = None
        if areas is not None:
            rows = np.flatnonzero(edge.any(axis=1))
            assigned = assigned_area_geometry(areas.iloc[rows], buurten=buurten, wijken=wijken, stadsdelen=stadsdelen)
        inside, unclear, note = _settle_edges(inside, edge, focus_areas, order, names, assigned)
    is_mp = (inside & (kind[order] == masterplan_kind.lower())[None, :]).any(axis=1)
    if len(order) <= 12:
        codes = inside.astype(np.int64) @ (1 << np.arange(len(order), dtype=np.int64))
        labels = [
            ", ".join(sorted(names[order][j] for j in range(len(order)) if m >> j & 1)) for m in range(1 << len(order))
        ]
        # equal names in two areas would give equal labels: keep categories unique
        uniq, inverse = np.unique(np.array(labels, dtype=object), return_inverse=True)
        focus = pd.Categorical.from_codes(inverse[codes], uniq)
    else:
        focus = pd.array([", ".join(sorted(names[order][row])) for row in inside], dtype="string")
    in_mp = pd.array(is_mp, dtype="boolean")
    if not (kind == masterplan_kind.lower()).any():
        in_mp[:] = pd.NA  # focus areas given, but none is a masterplan area: unknown, not "no"
    return pd.DataFrame(
        {
            "in_masterplan": in_mp,
            "focus_names": focus,
            "focus_on_edge": edge.any(axis=1),
            "focus_edge_unclear": unclear,
            "focus_note": _text_column(note, n),
        },
        index=points.index,
    )


def _text_column(values: np.ndarray | None, n: int) -> pd.api.extensions.ExtensionArray:
    """A string array of ``n`` texts, mostly empty (``values`` None: all empty), from its few distinct texts.

    The same array as ``pd.array(values, dtype="string")``, without a Python string per row.
    """
    if values is None:
        return string_take(np.array([""], dtype=object), np.zeros(n, dtype=np.int64))
    special = np.flatnonzero(values != "")
    uniq, inverse = np.unique(values[special].astype(str), return_inverse=True)
    codes = np.zeros(n, dtype=np.int64)
    codes[special] = inverse.ravel() + 1
    return string_take(np.array(["", *uniq], dtype=object), codes)


def _settle_edges(
    inside: np.ndarray,
    edge: np.ndarray,
    focus_areas: gpd.GeoDataFrame,
    order: np.ndarray,
    names: np.ndarray,
    assigned: gpd.GeoDataFrame | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points on a focus area's edge follow their assigned area (see :func:`focus_membership`).

    Only the (few) point-and-area pairs on an edge are looked at; ``assigned`` has one row per point
    on an edge, in order. Returns the corrected membership matrix, the unclear flag and the Dutch
    note per point.
    """
    n = len(inside)
    pi, pj = np.nonzero(edge)
    if assigned is not None:  # one row per point on an edge, in order: map the pairs' points to it
        at = np.searchsorted(np.flatnonzero(edge.any(axis=1)), pi)
        area_geom = assigned.geometry.to_numpy()[at]
        area_code = assigned["area_code"].to_numpy(dtype=object, na_value=None)[at]
    else:
        area_geom = np.full(len(pi), None, dtype=object)
        area_code = np.full(len(pi), None, dtype=object)
    focus_geom = focus_areas.geometry.to_numpy()[order[pj]]
    known = ~shapely.is_missing(area_geom)
    known[known] = shapely.area(area_geom[known]) > 0
    share = np.full(len(pi), np.nan)
    share[known] = shapely.area(shapely.intersection(area_geom[known], focus_geom[known])) / shapely.area(
        area_geom[known]
    )
    member = np.where(known, share > 0.5, True)
    pair_unclear = ~known | ((share > FOCUS_EDGE_CLEAR_SHARE) & (share < 1 - FOCUS_EDGE_CLEAR_SHARE))
    inside = inside.copy()
    inside[pi, pj] = member
    unclear = np.zeros(n, dtype=bool)
    unclear[pi[pair_unclear]] = True
    texts: dict[int, list[str]] = {}
    for k in range(len(pi)):  # pairs come point by point, focus areas in name order
        where = f"op de rand van focusgebied {names[order[pj[k]]]}"
        verdict = "telt mee" if member[k] else "telt niet mee"
        if not known[k]:
            text = f"{where}; gebied onbekend: {verdict} (de rand hoort bij het focusgebied)"
        elif pair_unclear[k]:
            text = (
                f"{where}, die door het toegewezen gebied {area_code[k]} loopt ({share[k]:.0%} ervan ligt erin): "
                f"{verdict} (naar het grootste deel van het gebied)"
            )
        else:
            text = f"{where}: {verdict}, zoals het toegewezen gebied {area_code[k]}"
        texts.setdefault(int(pi[k]), []).append(text)
    note = np.full(n, "", dtype=object)
    for i, parts in texts.items():
        note[i] = "; ".join(parts)
    return inside, unclear, note
