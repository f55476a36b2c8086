"""Proximity: distance to intramural sites and amenities within walking reach.

Straight-line distances are computed in EPSG:28992 metres with spatial indexes (scipy's cKDTree)
or exact chunked distance matrices, never with Python loops over candidates. Where a walking
network is given (:class:`llt_geo.io.network.WalkingNetwork`, read from GraphML or a GeoPackage by
:mod:`llt_geo.io.network`), network distances come from its multi-source Dijkstra
(``scipy.sparse.csgraph``) from all sites or amenities of a kind at once.

Ties between equidistant sites are broken by the lowest ``site_id``, so results are deterministic.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from .areas import thread_map
from .errors import InputError
from .io.network import WalkingNetwork

__all__ = [
    "amenity_reach",
    "nearest_site",
    "nearest_site_per_provider",
    "site_proximity",
]

_FAR_FACTOR = 2.0  # nearest amenities further than this many radii away are recorded as "far" (NaN)


def _require_rd(frame: gpd.GeoDataFrame | gpd.GeoSeries, name: str) -> None:
    if frame.crs is None or frame.crs.to_epsg() != 28992:
        raise InputError.one(
            name,
            f"must be in EPSG:28992 (RD New), not {frame.crs}",
            fix="load the data with llt_geo.load_dataset, which converts it",
        )


def _xy(geoms: gpd.GeoSeries) -> np.ndarray:
    if len(geoms) == 0:
        return np.zeros((0, 2))
    arr = np.asarray(geoms.to_numpy(), dtype=object)
    kinds = shapely.get_type_id(arr)
    if not np.isin(kinds, (-1, 0)).all():  # not only points (or missing): their centroids
        arr = shapely.centroid(arr)
    return np.column_stack([shapely.get_x(arr), shapely.get_y(arr)])


def point_xy(points: gpd.GeoSeries) -> np.ndarray | None:
    """The coordinates of points (n x 2, NaN where missing) when every geometry is a point or missing, else None.

    Computed once by :func:`llt_geo.screening.screen_frames` and handed to every stage (the ``xy``
    argument of :func:`site_proximity`, :func:`amenity_reach`, :func:`llt_geo.areas.assign_areas`,
    :func:`llt_geo.areas.focus_membership` and :func:`llt_geo.eligibility.find_groups`).
    """
    arr = np.asarray(points.to_numpy(), dtype=object)
    xy = np.empty((len(arr), 2))

    def part(a: int, b: int) -> bool:  # chunks on two threads (shapely releases the GIL)
        if not np.isin(shapely.get_type_id(arr[a:b]), (-1, 0)).all():
            return False
        xy[a:b, 0] = shapely.get_x(arr[a:b])
        xy[a:b, 1] = shapely.get_y(arr[a:b])
        return True

    return xy if all(thread_map(part, len(arr))) else None


_DENSE_MAX_SITES = 512  # up to this many sites, one vectorised pass over the sites beats a KD-tree


def _dense_sites(
    xy: np.ndarray, site_xy: np.ndarray, site_group: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest site overall and nearest of each group, by one pass over the sites per chunk of points.

    Returns the distance to the nearest site of each group (``n_groups`` x points, rounded to
    0.1 m), and the distance to the nearest site overall with its index (ties: the lowest index; ``inf`` / -1
    where a point has no coordinates). The distance is ``sqrt(dx*dx + dy*dy)``, the sum in that
    order, which is how scipy's KD-tree computes it, so both give the same figure to the last bit.
    Chunks of points small enough to stay in the processor's cache run on two threads.
    """
    n = len(xy)
    # filled chunk by chunk on the threads (the first touch of a large array costs as much as filling it)
    per_group = np.empty((n_groups, n))
    best_d = np.empty(n)
    best_i = np.empty(n, dtype=np.int64)

    def part(a: int, b: int) -> None:
        x, y = xy[a:b, 0], xy[a:b, 1]
        m = b - a
        d2, tmp, d = np.empty(m), np.empty(m), np.empty(m)
        better = np.empty(m, dtype=bool)
        groups, bd, bi = per_group[:, a:b], best_d[a:b], best_i[a:b]
        groups.fill(np.inf)
        bd.fill(np.inf)
        bi.fill(-1)
        for j, (sx, sy) in enumerate(site_xy):
            np.subtract(x, sx, out=d2)
            np.multiply(d2, d2, out=d2)
            np.subtract(y, sy, out=tmp)
            np.multiply(tmp, tmp, out=tmp)
            np.add(d2, tmp, out=d2)
            np.minimum(groups[site_group[j]], d2, out=groups[site_group[j]])
            np.sqrt(d2, out=d)
            np.less(d, bd, out=better)  # strictly nearer: among equal distances the lowest index stays
            np.copyto(bd, d, where=better)
            np.copyto(bi, j, where=better)
        np.sqrt(groups, out=groups)
        np.round(groups, 1, out=groups)

    thread_map(part, n, chunk=1 << 14)
    return per_group, best_d, best_i


def site_proximity(
    points: gpd.GeoSeries,
    sites: gpd.GeoDataFrame,
    *,
    network: WalkingNetwork | None = None,
    xy: np.ndarray | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`nearest_site` and :func:`nearest_site_per_provider` in one pass over the sites.

    ``xy``: the points' coordinates as :func:`point_xy` gives them, when the caller has them already.
    """
    _require_rd(points, "points")
    _require_rd(sites, "intramural_sites")
    ordered = sites.sort_values("site_id", kind="stable")
    providers = sorted(ordered["provider_id"].astype(str).unique())
    if network is not None or len(ordered) > _DENSE_MAX_SITES or len(ordered) == 0:
        return nearest_site(points, sites, network=network), nearest_site_per_provider(points, sites, network=network)
    xy = _xy(points) if xy is None else xy
    site_xy = _xy(ordered.geometry)
    group = ordered["provider_id"].astype(str).map({p: i for i, p in enumerate(providers)}).to_numpy()
    per_group, dist, idx = _dense_sites(xy, site_xy, group, len(providers))
    nearest = _site_frame(points.index, dist, idx, ordered)
    # copy=False: the rows of per_group become the columns as they are (no 2-D block stacked from them)
    per = pd.DataFrame(dict(zip(providers, per_group, strict=True)), index=points.index, copy=False)
    per.columns.name = "provider_id"
    return nearest, per


def _site_frame(index: pd.Index, dist: np.ndarray, idx: np.ndarray, ordered: gpd.GeoDataFrame) -> pd.DataFrame:
    """Nearest-site columns; ids as categoricals (cheap for a million points)."""
    found = idx >= 0
    site_ids = ordered["site_id"].astype(str).to_numpy(dtype=object)
    providers = ordered["provider_id"].astype(str)
    provider_names = sorted(providers.unique())
    provider_code = providers.map({p: i for i, p in enumerate(provider_names)}).to_numpy()
    safe = np.clip(idx, 0, None)
    return pd.DataFrame(
        {
            "site_distance_m": np.where(found, np.round(dist, 1), np.nan),
            "nearest_site_id": pd.Categorical.from_codes(np.where(found, idx, -1), site_ids),
            "nearest_site_provider_id": pd.Categorical.from_codes(
                np.where(found, provider_code[safe] if len(provider_code) else -1, -1), provider_names
            ),
        },
        index=index,
    )


def nearest_site(
    points: gpd.GeoSeries, sites: gpd.GeoDataFrame, *, network: WalkingNetwork | None = None
) -> pd.DataFrame:
    """Distance from each point to the nearest intramural site (any provider).

    Parameters
    ----------
    points : GeoSeries
        Flat locations, EPSG:28992.
    sites : GeoDataFrame
        Intramural sites with ``site_id`` and ``provider_id``, EPSG:28992.
    network : WalkingNetwork, optional
        When given, distances are along the network.

    Returns
    -------
    DataFrame
        Indexed like ``points``: ``site_distance_m`` (NaN when there are no sites),
        ``nearest_site_id``, ``nearest_site_provider_id``. Equidistant sites: lowest ``site_id``.
    """
    _require_rd(points, "points")
    _require_rd(sites, "intramural_sites")
    ordered = sites.sort_values("site_id", kind="stable")
    dist, idx = _nearest(_xy(points), _xy(ordered.geometry), network=network)
    return _site_frame(points.index, dist, idx, ordered)


def nearest_site_per_provider(
    points: gpd.GeoSeries, sites: gpd.GeoDataFrame, *, network: WalkingNetwork | None = None
) -> pd.DataFrame:
    """Distance (m) from each point to the nearest site of each provider.

    Returns
    -------
    DataFrame
        Indexed like ``points``, one column per ``provider_id`` (sorted); NaN for a provider
        without sites.
    """
    _require_rd(points, "points")
    xy = _xy(points)
    out = {}
    for provider, group in sorted(sites.groupby("provider_id", sort=True), key=lambda kv: str(kv[0])):
        dist, _ = _nearest(xy, _xy(group.sort_values("site_id").geometry), network=network)
        out[str(provider)] = np.round(dist, 1)
    frame = pd.DataFrame(out, index=points.index)
    frame.columns.name = "provider_id"
    return frame


def _nearest(
    xy: np.ndarray, targets: np.ndarray, *, network: WalkingNetwork | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Distance to and index of the nearest target; ties go to the lowest target index."""
    n = len(xy)
    if len(targets) == 0:
        return np.full(n, np.nan), np.full(n, -1)
    if network is not None:
        dist, idx = network.distance_to_nearest(xy, targets)
        return np.where(np.isfinite(dist), dist, np.nan), idx
    return _kd_nearest(cKDTree(targets), xy)


def _kd_nearest(tree: cKDTree, xy: np.ndarray, *, upper_bound: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
    """Nearest target by KD-tree; among exactly equal distances the lowest target index wins."""
    k = min(3, tree.n)
    dist, idx = tree.query(xy, k=k, distance_upper_bound=upper_bound, workers=-1)
    if k == 1:
        return dist, np.where(np.isfinite(dist), idx, -1).astype(np.int64)
    best_d = dist[:, 0]
    tied = dist == best_d[:, None]
    best_i = np.where(tied, idx, np.iinfo(np.int64).max).min(axis=1)
    # all k found neighbours equally near: more may be; look at every target for those rare points
    crowded = np.flatnonzero(tied.all(axis=1) & np.isfinite(best_d) & (k < tree.n))
    if len(crowded):
        d = np.hypot(xy[crowded, None, 0] - tree.data[None, :, 0], xy[crowded, None, 1] - tree.data[None, :, 1])
        best_i[crowded] = np.argmin(np.where(d == best_d[crowded, None], 0, 1), axis=1)
    best_i = np.where(np.isfinite(best_d), best_i, -1)
    return best_d, best_i.astype(np.int64)


_CELLS_MAX = 1 << 15  # grid cells for the amenity look-up, at most


def _grid(xy: np.ndarray, radius_m: float) -> tuple:
    """The grid the points are binned in for :func:`_reach`: cells of at least half the radius."""
    ok = np.isfinite(xy).all(axis=1)
    if not ok.any():
        return ok, None
    lo = np.array([np.min(xy[:, 0], where=ok, initial=np.inf), np.min(xy[:, 1], where=ok, initial=np.inf)])
    hi = np.array([np.max(xy[:, 0], where=ok, initial=-np.inf), np.max(xy[:, 1], where=ok, initial=-np.inf)])
    span = np.maximum(hi - lo, 1.0)
    side = max(radius_m / 2, float(np.sqrt(span[0] * span[1] / _CELLS_MAX)), float(span.max()) / 4096)
    nx, ny = (np.floor(span / side).astype(np.int64) + 1).tolist()
    with np.errstate(invalid="ignore"):
        ix = np.clip(np.floor((xy[:, 0] - lo[0]) / side), 0, nx - 1)
        iy = np.clip(np.floor((xy[:, 1] - lo[1]) / side), 0, ny - 1)
    cell = iy * nx + ix
    cell[~ok] = 0
    return ok, (lo, side, nx, ny, cell.astype(np.int64))


def _reach(
    xy: np.ndarray, targets: np.ndarray, radius_m: float, reach_m: float, grid: tuple | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Amenities of one kind near each point: the count within ``radius_m`` and the nearest distance.

    The same answers, to the last bit, as a KD-tree's ball query for the count (``dx*dx + dy*dy
    <= r*r``) with ``hypot`` for the distance of the amenities counted, and its bounded nearest
    query (``sqrt(dx*dx + dy*dy)``, strictly within ``reach_m``, else ``inf``) for a point with none
    within the radius. Points are binned in a grid (:func:`_grid`); each cell lists the few
    amenities that can matter to a point in it (every one within the radius of the cell, and every
    one within ``reach_m`` that may be the nearest), so each point looks at a handful of amenities,
    with array operations over chunks of points on two threads.
    """
    n = len(xy)
    count = np.zeros(n, dtype=np.int64)
    dist = np.full(n, np.inf)
    ok, g = grid if grid is not None else _grid(xy, radius_m)
    tx, ty = targets[:, 0], targets[:, 1]
    if g is None or not np.isfinite(targets).any():
        return count, dist
    lo, side, nx, ny, cell = g
    slack = 1e-6 * max(side, reach_m, 1.0)  # cells a hair larger: rounding never loses an amenity
    cx0 = lo[0] + np.arange(nx) * side - slack
    cy0 = lo[1] + np.arange(ny) * side - slack
    # per cell, the shortest and longest distance to every amenity (x and y parts are separable)
    gx = np.maximum(np.maximum(cx0[:, None] - tx[None, :], tx[None, :] - (cx0[:, None] + side + 2 * slack)), 0)
    gy = np.maximum(np.maximum(cy0[:, None] - ty[None, :], ty[None, :] - (cy0[:, None] + side + 2 * slack)), 0)
    fx = np.maximum(np.abs(tx[None, :] - cx0[:, None]), np.abs(tx[None, :] - (cx0[:, None] + side + 2 * slack)))
    fy = np.maximum(np.abs(ty[None, :] - cy0[:, None]), np.abs(ty[None, :] - (cy0[:, None] + side + 2 * slack)))
    rows, cols = [], []
    for j in range(ny):  # one row of cells at a time: cells x amenities stays small
        near = np.sqrt(gx * gx + gy[j][None, :] ** 2)  # nx x amenities
        far = np.sqrt(fx * fx + fy[j][None, :] ** 2)
        bound = np.where(np.isfinite(far), far, np.inf).min(axis=1)  # the nearest lies within this
        keep = (near <= radius_m + slack) | ((near < reach_m + slack) & (near <= bound[:, None] + slack))
        r, c = np.nonzero(keep)
        rows.append(r + j * nx)
        cols.append(c)
    rows, cols = np.concatenate(rows), np.concatenate(cols)  # by cell: a compressed table
    per_cell = np.bincount(rows, minlength=nx * ny)
    start = np.cumsum(per_cell) - per_cell
    r2, reach2 = radius_m * radius_m, reach_m * reach_m

    def part(a: int, b: int) -> None:
        sel = np.flatnonzero(ok[a:b]) + a
        k = per_cell[cell[sel]]
        sel, k = sel[k > 0], k[k > 0]
        if not len(sel):
            return
        # one row per point and candidate amenity, the points' rows together
        first = np.cumsum(k) - k
        rep = np.repeat(np.arange(len(sel)), k)
        am = cols[np.repeat(start[cell[sel]] - first, k) + np.arange(len(rep))]
        dx = xy[sel, 0][rep] - tx[am]
        dy = xy[sel, 1][rep] - ty[am]
        d2 = dx * dx + dy * dy
        within = d2 <= r2
        h = np.full(len(d2), np.inf)
        h[within] = np.hypot(dx[within], dy[within])
        n_within = np.add.reduceat(within.astype(np.int64), first)
        best = np.minimum.reduceat(h, first)
        least = np.minimum.reduceat(d2, first)
        count[sel] = n_within
        dist[sel] = np.where(n_within > 0, best, np.where(least < reach2, np.sqrt(least), np.inf))

    thread_map(part, n, chunk=1 << 15)
    return count, dist


def amenity_reach(
    points: gpd.GeoSeries,
    amenities: gpd.GeoDataFrame,
    *,
    radius_m: float,
    kinds: list[str],
    network: WalkingNetwork | None = None,
    xy: np.ndarray | None = None,
) -> pd.DataFrame:
    """Amenities within walking reach of each point, by kind.

    Parameters
    ----------
    points : GeoSeries
        Flat locations, EPSG:28992.
    amenities : GeoDataFrame
        With ``kind``; EPSG:28992.
    radius_m : float
        The walking radius in metres.
    kinds : list of str
        The kinds that count (compared case-insensitively).
    network : WalkingNetwork, optional
        When given, "within reach" and the nearest distance are along the network; counts stay
        straight-line.
    xy : ndarray, optional
        The points' coordinates as :func:`point_xy` gives them, when the caller has them already.

    Returns
    -------
    DataFrame
        Indexed like ``points``: for each kind ``n_<kind>`` (count within the radius,
        straight-line) and ``dist_<kind>_m`` (nearest of that kind; NaN if none lies within twice
        the radius), then
        ``amenity_kinds_within`` (number of kinds whose nearest lies within the radius) and
        ``amenity_kinds_list`` (those kinds, comma-separated, sorted). When the table holds no
        amenity at all of some kinds (they were not read), their ``n_<kind>`` is ``<NA>`` and
        ``amenity_kinds_unread`` lists them (the column is there only then).
    """
    _require_rd(points, "points")
    _require_rd(amenities, "amenities")
    xy = _xy(points) if xy is None else xy
    kind_of = amenities["kind"].astype("string").str.strip().str.lower()
    cols: dict[str, np.ndarray] = {}
    within = np.zeros((len(xy), len(kinds)), dtype=bool)
    # only the network path queries a tree of the points (a quick build beats a balanced tree here)
    point_tree = cKDTree(xy, balanced_tree=False, compact_nodes=False) if len(xy) and network is not None else None
    reach_m = _FAR_FACTOR * radius_m
    grid = None
    for j, kind in enumerate(kinds):
        targets = _xy(amenities.geometry[(kind_of == kind.lower()).fillna(False).to_numpy()])
        if len(targets) == 0 or not len(xy):
            cols[f"n_{kind}"] = np.zeros(len(xy), dtype=np.int64)
            cols[f"dist_{kind}_m"] = np.full(len(xy), np.nan)
            continue
        if network is not None:
            hits = point_tree.query_ball_point(targets, r=radius_m, workers=-1)
            flat = np.concatenate([np.asarray(h, dtype=np.int64) for h in hits])
            cols[f"n_{kind}"] = np.bincount(flat, minlength=len(xy))
            dist, _ = network.distance_to_nearest(xy, targets)
        else:
            grid = grid if grid is not None else _grid(xy, radius_m)
            cols[f"n_{kind}"], dist = _reach(xy, targets, radius_m, reach_m, grid)
        cols[f"dist_{kind}_m"] = np.round(np.where(np.isfinite(dist), dist, np.nan), 1)
        within[:, j] = dist <= radius_m
    frame = pd.DataFrame(cols, index=points.index, copy=False)  # new arrays: no copy into a 2-D block
    # a kind the table does not hold at all was not read (an export without GPs, say): its count is
    # unknown, not 0, and the criterion can only fail when even all unread kinds could not make up
    # the minimum (llt_geo.eligibility)
    unread = sorted(k for k in kinds if not (kind_of == k.lower()).fillna(False).any())
    if unread and len(amenities):
        for kind in unread:
            frame[f"n_{kind}"] = pd.array([pd.NA] * len(xy), dtype="Int64")
        frame["amenity_kinds_unread"] = pd.array([", ".join(unread)] * len(xy), dtype="string")
    # the number and the list of kinds within reach, without a Python loop over points: one label per bitmask
    n_within = np.zeros(len(xy), dtype=np.int64)
    codes = np.zeros(len(xy), dtype=np.int64)
    for j in range(len(kinds)):
        n_within += within[:, j]
        codes |= within[:, j].astype(np.int64) << j
    frame["amenity_kinds_within"] = n_within
    labels = np.array(
        [", ".join(sorted(k for j, k in enumerate(kinds) if code >> j & 1)) for code in range(1 << len(kinds))],
        dtype=object,
    )
    frame["amenity_kinds_list"] = pd.Categorical.from_codes(codes, labels)
    return frame
