"""The accessible walking distance: plain and accessible network distances from flats to targets.

:func:`accessible_distances` computes, for each flat and each kind of target (intramural sites,
amenities by kind), the plain walking distance and the distance over the edges an older resident
with a rollator or a wheelchair can use (:class:`~llt_geo.io.network.AccessRules`: a minimum
obstacle-free width and a maximum curb height; defaults and their sources in ``docs/walking.md``).
An edge whose width or curb height is not known is neither usable nor unusable: the accessible
distance is computed twice, once over the edges *known* to be usable (a route that certainly
exists) and once also over the edges whose data is missing (the shortest the distance could be).
When both agree the distance is known; otherwise it is unknown and both bounds are given. A flat
outside the network's area, or a flat for which a target outside the area could be nearer, is
unknown too (NaN with the reason), never a pass.

The networks are read by :mod:`llt_geo.io.network` (:func:`~llt_geo.io.network.read_network_gpkg`,
:func:`~llt_geo.io.network.read_graphml`). Distances: ``scipy.sparse.csgraph.dijkstra`` through
``WalkingNetwork.distance_to_nearest`` (one multi-source run per kind of target), as in
:mod:`llt_geo.proximity`; networkx would add a dependency and run Python per node, with no gain
for shortest paths on ~10^4 edges.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from .errors import InputError
from .io.network import ACCESS_DEFAULTS, AccessRules, EdgeNetwork, WalkingNetwork, edge_network_from_walking
from .labels import kind_nl

__all__ = ["accessible_distances", "accessible_wide"]


def _points_xy(points: gpd.GeoSeries | gpd.GeoDataFrame, name: str) -> tuple[np.ndarray, pd.Index]:
    geoms = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    if geoms.crs is None or geoms.crs.to_epsg() != 28992:
        raise InputError.one(
            name,
            f"must be in EPSG:28992 (RD New), not {geoms.crs}",
            column="geometry",
            fix="convert with .to_crs(28992) or load the data with llt_geo.load_dataset",
        )
    arr = geoms.to_numpy()
    missing = shapely.is_missing(arr) | shapely.is_empty(arr)
    pts = np.where(missing, None, arr)
    kinds = shapely.get_type_id(pts)
    pts = np.where((kinds > 0), shapely.centroid(pts), pts)
    xy = np.column_stack([shapely.get_x(pts), shapely.get_y(pts)]).astype(float)
    xy[missing] = np.nan
    return xy, geoms.index


def _m(values: np.ndarray) -> np.ndarray:
    """Distances as whole metres in text, without a Python loop ('inf' becomes 'geen route')."""
    values = np.asarray(values, dtype=float)
    text = np.round(np.where(np.isfinite(values), values, 0)).astype(np.int64).astype(str).astype(object)
    return np.where(np.isfinite(values), text + " m", "geen route")


def accessible_distances(
    points: gpd.GeoSeries | gpd.GeoDataFrame,
    targets: gpd.GeoDataFrame,
    network: EdgeNetwork | WalkingNetwork,
    *,
    rules: AccessRules | None = None,
    kind_column: str | None = "kind",
    kind: str = "intramural_site",
    kinds: list[str] | None = None,
    max_snap_m: float = 100.0,
    id_column: str | None = None,
) -> pd.DataFrame:
    """Plain and accessible walking distance from each point to the nearest target of each kind.

    Parameters
    ----------
    points : GeoSeries or GeoDataFrame
        Flats (or any origins), EPSG:28992; polygons count by their centroid.
    targets : GeoDataFrame
        Intramural sites or amenities, EPSG:28992.
    network : EdgeNetwork or WalkingNetwork
        With widths and curb heights (:func:`llt_geo.io.network.read_network_gpkg`); a WalkingNetwork (GraphML)
        carries none, so its accessible distances are unknown with that reason.
    rules : AccessRules
        Minimum width, maximum curb height, path types (defaults: :data:`llt_geo.io.network.ACCESS_DEFAULTS`).
    kind_column : str or None
        The targets' kind column (amenities: ``kind``); ``None``, or a column that is absent,
        makes every target of kind ``kind`` (intramural sites).
    kinds : list of str, optional
        The kinds to measure (compared case-insensitively); default every kind present.
    max_snap_m : float
        A point or target further than this from the network (its nearest node) lies outside
        the network's area: its distances are unknown (a point), or it is not reachable over the
        network (a target) but still considered as possibly nearer.
    id_column : str, optional
        A column of ``targets`` whose value names the nearest target (default: the index).

    Returns
    -------
    DataFrame
        One row per point and kind (long format), indexed from 0, with ``point`` (the points'
        index label), ``kind``, ``walk_m`` (plain network distance, legs to and from the network
        included), ``walk_target``, ``access_m`` (the accessible distance where it is known,
        else NaN), ``access_verified_m`` (over edges known to be usable: a route that exists),
        ``access_lower_m`` (also over edges of unknown width or curb height: no accessible route
        is shorter), ``access_target``, ``detour_m`` (``access_m - walk_m``), ``status``
        (``known``, ``unknown``, ``unreachable``) and ``reason`` (in Dutch, for the stuurgroep's
        tables: why a figure is unknown or unreachable; empty when known). Distances are rounded to 0.1 m.
    """
    rules = rules or ACCESS_DEFAULTS
    if max_snap_m <= 0 or not np.isfinite(max_snap_m):
        raise ValueError(f"max_snap_m must be a positive distance in metres, not {max_snap_m!r}")
    xy, index = _points_xy(points, "points")
    txy, _ = _points_xy(targets, "targets")
    has_attrs = isinstance(network, EdgeNetwork)
    edge_net = network if has_attrs else edge_network_from_walking(network)
    if kind_column is not None and kind_column in targets.columns:
        kind_of = targets[kind_column].astype("string").str.strip().str.lower()
    else:
        kind_of = pd.Series(kind.lower(), index=targets.index, dtype="string")
    wanted = [k.lower() for k in kinds] if kinds is not None else sorted(kind_of.dropna().unique())
    names = (targets[id_column] if id_column else targets.index.to_series()).astype("string").to_numpy()

    nets = {
        "plain": network if not has_attrs else edge_net.walking(rules, mode="plain"),
        "accessible": edge_net.walking(rules, mode="accessible"),
        "optimistic": edge_net.walking(rules, mode="optimistic"),
    }
    ok = np.isfinite(xy).all(axis=1)
    snap = {}
    for key, net in nets.items():
        d = np.full(len(xy), np.inf)
        if len(net.node_xy) and ok.any():
            d[ok] = net.snap(xy[ok])[1]
        snap[key] = d
    inside = ok & (snap["plain"] <= max_snap_m)
    t_ok = np.isfinite(txy).all(axis=1)
    t_plain = np.full(len(txy), np.inf)
    if len(nets["plain"].node_xy) and t_ok.any():
        t_plain[t_ok] = nets["plain"].snap(txy[t_ok])[1]
    t_inside = t_ok & (t_plain <= max_snap_m)

    frames = []
    for k in wanted:
        of_kind = (kind_of == k).fillna(False).to_numpy(dtype=bool)
        result = {}
        for key, net in nets.items():
            sel = np.flatnonzero(of_kind & t_ok)
            if len(sel) and len(net.node_xy):
                t_leg = net.snap(txy[sel])[1]
                sel = sel[t_leg <= max_snap_m]
            d = np.full(len(xy), np.inf)
            which = np.full(len(xy), -1)
            go = inside & (snap[key] <= max_snap_m)
            if len(sel) and go.any() and len(net.node_xy):
                dd, ii = net.distance_to_nearest(xy[go], txy[sel])
                d[go] = dd
                which[go] = np.where(ii >= 0, sel[np.clip(ii, 0, None)], -1)
            result[key] = (d, which)
        # targets of this kind outside the area: the nearest may be one of them
        out_sel = np.flatnonzero(of_kind & t_ok & ~t_inside)
        far = np.full(len(xy), np.inf)
        if len(out_sel) and ok.any():
            far[ok] = cKDTree(txy[out_sel]).query(xy[ok], k=1)[0]
        frames.append(
            _kind_frame(
                k,
                index,
                ok,
                inside,
                snap["plain"],
                result,
                far,
                names,
                rules,
                max_snap_m,
                has_attrs,
                bool((of_kind & t_inside).any()),
            )
        )
    if not frames:
        return pd.DataFrame(
            columns=[
                "point",
                "kind",
                "walk_m",
                "walk_target",
                "access_m",
                "access_verified_m",
                "access_lower_m",
                "access_target",
                "detour_m",
                "status",
                "reason",
            ]
        )
    return pd.concat(frames, ignore_index=True)


def _kind_frame(
    k: str,
    index: pd.Index,
    ok: np.ndarray,
    inside: np.ndarray,
    snap: np.ndarray,
    result: dict,
    far: np.ndarray,
    names: np.ndarray,
    rules: AccessRules,
    max_snap_m: float,
    has_attrs: bool,
    any_target: bool,
) -> pd.DataFrame:
    """One kind's rows: the three distances, the status and the reason, decided column-wise."""
    walk, walk_t = result["plain"]
    verified, acc_t = result["accessible"]
    lower, _ = result["optimistic"]
    n = len(index)
    reason = np.full(n, "", dtype=object)
    status = np.full(n, "known", dtype=object)

    walk_known = np.isfinite(walk) & (far >= walk)
    verified_known = np.isfinite(verified) & (far >= verified)
    # the accessible distance is known when the verified route is as short as any possible one
    access_known = verified_known & (verified <= lower + 1e-6)

    def setr(mask: np.ndarray, st: str, text) -> None:
        """The first reason that applies wins; ``text`` is a string or an array over all rows."""
        todo = mask & (reason == "")
        if todo.any():
            status[todo] = st
            reason[todo] = text[todo] if isinstance(text, np.ndarray) else text

    # the reasons are Dutch: they are shown as they are in the screening's tables and on the map
    name = kind_nl(k)
    outside_nearer = "een " + name + " buiten het gebied van het netwerk ligt hemelsbreed op " + _m(far)
    setr(~ok, "unknown", "geen locatie")
    setr(
        ~inside,
        "unknown",
        "buiten het gebied van het netwerk: het dichtstbijzijnde knooppunt ligt op "
        + _m(snap)
        + f" (meer dan {max_snap_m:g} m)".replace(".", ","),
    )
    setr(np.full(n, not any_target), "unknown", f"geen {name} binnen het gebied van het netwerk")
    setr(
        np.isfinite(far) & np.isfinite(walk) & ~(far >= walk),
        "unknown",
        outside_nearer + ", dichterbij dan de " + _m(walk) + " over het netwerk: de dichtstbijzijnde kan daarbuiten "
        "liggen",
    )
    setr(
        ~np.isfinite(walk),
        "unknown",
        f"geen route over het netwerk naar een {name}: het dichtstbijzijnde knooppunt ligt in een deel van het "
        "netwerk zonder route daarheen (het netwerk is daar onvolledig)",
    )
    if not has_attrs:
        setr(np.ones(n, bool), "unknown", "het netwerk kent geen stoepbreedtes of stoeprandhoogtes (GraphML)")
    setr(
        ~np.isfinite(lower),
        "unreachable",
        f"geen route naar een {name} die met rollator of rolstoel te gebruiken is "
        f"(breedte minstens {rules.min_width_m:g} m, stoeprand hoogstens {rules.max_curb_m:g} m)".replace(".", ","),
    )
    # only where a route known to be usable exists (without one the next reason gives the bounds)
    setr(
        np.isfinite(far) & np.isfinite(verified) & ~(far >= verified),
        "unknown",
        outside_nearer + ", dichterbij dan de " + _m(verified) + " van de toegankelijke route: de dichtstbijzijnde "
        "kan daarbuiten liggen",
    )
    setr(
        ~access_known,
        "unknown",
        "de route hangt af van paden waarvan de breedte of de stoeprandhoogte onbekend is: tussen "
        + _m(lower)
        + " en "
        + np.where(np.isfinite(verified), _m(verified), "onbegrensd (geen route die zeker bruikbaar is)"),
    )

    def fin(a: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.where(mask & np.isfinite(a), np.round(a, 1), np.nan)

    usable_rows = ok & inside
    walk_col = fin(walk, usable_rows & walk_known)
    access_col = fin(verified, usable_rows & walk_known & access_known)
    return pd.DataFrame(
        {
            "point": index.to_numpy(),
            "kind": k,
            "walk_m": walk_col,
            "walk_target": pd.array(
                np.where(walk_known & (walk_t >= 0), names[np.clip(walk_t, 0, None)], None)
                if len(names)
                else [None] * n,
                dtype="string",
            ),
            "access_m": access_col,
            "access_verified_m": fin(verified, usable_rows),
            "access_lower_m": fin(lower, usable_rows),
            "access_target": pd.array(
                np.where(~np.isnan(access_col) & (acc_t >= 0), names[np.clip(acc_t, 0, None)], None)
                if len(names)
                else [None] * n,
                dtype="string",
            ),
            "detour_m": np.round(access_col - walk_col, 1),
            "status": pd.array(status, dtype="string"),
            "reason": pd.array(reason, dtype="string"),
        }
    )


def accessible_wide(distances: pd.DataFrame) -> pd.DataFrame:
    """The long result of :func:`accessible_distances` as one row per point (for the screening table).

    Columns per kind: ``<kind>_walk_m``, ``<kind>_access_m``, ``<kind>_access_status``,
    ``<kind>_access_reason``; the index is the points' index.
    """
    if distances.empty:
        return pd.DataFrame(index=pd.Index([], name="point"))
    parts = []
    for value, suffix in (
        ("walk_m", "walk_m"),
        ("access_m", "access_m"),
        ("status", "access_status"),
        ("reason", "access_reason"),
    ):
        wide = distances.pivot(index="point", columns="kind", values=value)
        wide.columns = [f"{k}_{suffix}" for k in wide.columns]
        parts.append(wide)
    out = pd.concat(parts, axis=1)
    kinds = list(dict.fromkeys(distances["kind"]))
    order = [f"{k}_{s}" for k in kinds for s in ("walk_m", "access_m", "access_status", "access_reason")]
    return out[order].reindex(pd.unique(distances["point"]))
