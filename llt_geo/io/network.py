"""Reading walking networks: GraphML (as OSMnx writes it) and pedestrian edge lists (GeoPackage).

**GraphML.** :func:`read_graphml` reads a walking network saved by OSMnx into a
:class:`WalkingNetwork`: node coordinates in EPSG:28992 and a symmetric sparse matrix of edge
lengths in metres. The network's own shortest-path queries (:meth:`WalkingNetwork.snap`,
:meth:`WalkingNetwork.distance_to_nearest`: one multi-source Dijkstra, ``scipy.sparse.csgraph``)
stay with it; the analysis that uses them is :mod:`llt_geo.proximity` and :mod:`llt_geo.walking`.

**GeoPackage edge lists.** :func:`read_network_gpkg` reads a pedestrian network published as an
edge list in a GeoPackage -- the layout of the municipality of Amsterdam's accessibility networks
(as used in the Counterfactual Routing Competition 2025, ``osdpm_map.gpkg``: one LINESTRING per
edge with ``path_type``, ``length``, ``obstacle_free_width_float``, ``crossing``,
``curb_height_max``, ...). There is no node table: nodes are the edges' end points, merged when
they lie within ``node_tolerance_m`` of each other (1 mm by default; the file's shared end points
are identical). Every feature read is an edge, a public-transport stop, or reported (no geometry,
a self-loop, an edge repeating another one): :class:`NetworkReport` accounts for every row.

:meth:`EdgeNetwork.walking` gives a :class:`WalkingNetwork` (built through its own constructor:
node coordinates and a symmetric sparse matrix of lengths), so screening can use a GeoPackage
network wherever it takes a GraphML one. :class:`AccessRules` says which edges an older resident
with a rollator or a wheelchair can use; the accessible distance itself is analysis
(:func:`llt_geo.walking.accessible_distances`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from ..errors import InputError, Problem
from .locations import CRS_RD
from .opendata import RowCount, missing_columns_error

__all__ = [
    "ACCESS_DEFAULTS",
    "AccessRules",
    "EdgeNetwork",
    "NetworkReport",
    "WalkingNetwork",
    "edge_network_from_walking",
    "read_graphml",
    "read_network_gpkg",
    "read_walking_network",
]


@dataclass(frozen=True)
class WalkingNetwork:
    """A walking network in EPSG:28992: node coordinates and a sparse matrix of edge lengths (m)."""

    node_xy: np.ndarray
    matrix: object  # scipy.sparse csr matrix, symmetric, metres
    source: str = ""

    def snap(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest network node of each point and the straight-line distance to it (m)."""
        dist, idx = cKDTree(self.node_xy).query(xy, k=1)
        return idx, dist

    def distance_to_nearest(
        self, from_xy: np.ndarray, to_xy: np.ndarray, *, limit_m: float = np.inf
    ) -> tuple[np.ndarray, np.ndarray]:
        """Network distance from each origin to its nearest target, and that target's index.

        The distance includes the straight-line legs from origin and target to their nearest
        nodes. ``inf`` / ``-1`` where no target is reachable within ``limit_m``.
        """
        if len(to_xy) == 0:
            return np.full(len(from_xy), np.inf), np.full(len(from_xy), -1)
        o_node, o_leg = self.snap(from_xy)
        t_node, t_leg = self.snap(to_xy)
        # one multi-source Dijkstra from all targets; targets sharing a node keep the shortest leg
        order = np.lexsort((np.arange(len(t_node)), t_leg, t_node))
        first = np.unique(t_node[order], return_index=True)[1]
        t_keep = order[first]
        n = self.node_xy.shape[0]
        # a virtual source node joined to each target node by its leg length
        legs = coo_matrix((t_leg[t_keep] + 1e-9, (np.full(len(t_keep), n), t_node[t_keep])), shape=(n + 1, n + 1))
        base = self.matrix.tocoo()
        graph = coo_matrix(
            (
                np.concatenate([base.data, legs.data]),
                (np.concatenate([base.row, legs.row]), np.concatenate([base.col, legs.col])),
            ),
            shape=(n + 1, n + 1),
        ).tocsr()
        dist, pred = dijkstra(graph, directed=True, indices=n, return_predecessors=True, limit=limit_m)
        # the target reached: walk predecessors back to the virtual source (vectorised by levels)
        node_target = np.full(n + 1, -1)
        node_target[t_node[t_keep]] = t_keep
        self_index = np.arange(n + 1)
        owner = np.where((pred == n) | (pred < 0), self_index, pred)  # targets and unreached point at themselves
        owner[n] = n
        for _ in range(64):  # pointer jumping: log2 of any path length
            nxt = owner[owner]
            if np.array_equal(nxt, owner):
                break
            owner = nxt
        target_of_node = np.where(owner < n, node_target[np.clip(owner, 0, n)], -1)
        d = dist[o_node] + o_leg
        reached = np.isfinite(d) & (d <= limit_m)
        return np.where(reached, d, np.inf), np.where(reached, target_of_node[o_node], -1)


_Children = Callable[[ET.Element, str], list]
_Data = Callable[[ET.Element, str, str], str | None]


def _parse_graphml(path: Path) -> tuple[ET.Element, _Children, _Data]:
    """The file's ``<graph>`` element, a finder of child elements by tag, and a reader of ``<data>`` by name."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise InputError.one(
            path.name, f"cannot be read as GraphML ({exc})", fix="export the network with osmnx.save_graphml"
        ) from None
    ns = {"g": root.tag.split("}")[0].strip("{")} if root.tag.startswith("{") else {}
    q = (lambda t: f"g:{t}") if ns else (lambda t: t)
    keys = {k.get("id"): (k.get("attr.name"), k.get("for")) for k in root.findall(q("key"), ns)}
    by_name = {(name, target): kid for kid, (name, target) in keys.items()}
    graph = root.find(q("graph"), ns)
    if graph is None:
        raise InputError.one(path.name, "no <graph> element", fix="check the file")

    def children(el: ET.Element, tag: str) -> list:
        return el.findall(q(tag), ns)

    def data(el: ET.Element, name: str, target: str) -> str | None:
        kid = by_name.get((name, target))
        for d in children(el, "data"):
            if d.get("key") == kid:
                return d.text
        return None

    return graph, children, data


def _graphml_crs(path: Path, crs_text: str):
    """The graph's coordinate reference system (a ``pyproj.CRS``)."""
    try:
        from pyproj import CRS

        return CRS.from_user_input(crs_text)
    except Exception:  # pyproj raises CRSError and others
        raise InputError.one(
            path.name,
            f"unknown coordinate reference system {crs_text!r}",
            column="crs",
            fix="save the graph with a CRS such as epsg:4326 or epsg:28992",
        ) from None


def _graphml_nodes(path: Path, graph: ET.Element, children: _Children, data: _Data) -> tuple[list, np.ndarray]:
    """The node ids and their coordinates as the file gives them (n x 2); a coordinate that is no number: error."""
    ids, xs, ys, problems = [], [], [], []
    for node in children(graph, "node"):
        x, y = data(node, "x", "node"), data(node, "y", "node")
        if x is None or y is None:
            raise InputError.one(
                path.name, f"node {node.get('id')} has no coordinates", column="x/y", fix="every node needs x and y"
            )
        ids.append(node.get("id"))
        xs.append(_number(x))
        ys.append(_number(y))
        for axis, text, value in (("x", x, xs[-1]), ("y", y, ys[-1])):
            if value is None:
                problems.append(
                    Problem(
                        "error",
                        path.name,
                        axis,
                        f"node {node.get('id')}: {axis} {text!r} is not a number",
                        values=(text,),
                        fix="write coordinates as numbers with a decimal point (4.90, not 4,90)",
                    )
                )
    if problems:
        raise InputError(problems[:20] + _more(path.name, "x/y", len(problems) - 20))
    return ids, (np.column_stack([xs, ys]) if ids else np.zeros((0, 2)))


def _more(file: str, column: str, extra: int) -> list[Problem]:
    """The line saying how many more problems of one kind there are, when more than are listed."""
    return [Problem("error", file, column, f"and {extra} more like these")] if extra > 0 else []


def _number(text: str) -> float | None:
    """A finite number written as GraphML writes one (``4.90``, ``1e3``); None for ``4,90``, ``onbekend``, ``nan``."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


def _nodes_in_rd(path: Path, xy: np.ndarray, graph_crs) -> np.ndarray:
    """The node coordinates in EPSG:28992, checked to lie mostly in the Amsterdam region."""
    if not len(xy):
        return xy
    if graph_crs.to_epsg() != 28992:
        points = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=graph_crs).to_crs(CRS_RD)
        arr = np.asarray(points.to_numpy(), dtype=object)
        xy = np.column_stack([shapely.get_x(arr), shapely.get_y(arr)])
    from ..config import default_config

    region = default_config()["validation"]["region_rd"]
    inside = (xy[:, 0] >= region[0]) & (xy[:, 0] <= region[2]) & (xy[:, 1] >= region[1]) & (xy[:, 1] <= region[3])
    if not np.isfinite(xy).all() or inside.mean() < 0.5:
        raise InputError.one(
            path.name,
            f"most nodes lie outside the Amsterdam region when read as {graph_crs.name}",
            column="x/y",
            fix=(
                "check the graph's crs attribute (OSMnx: save the unprojected graph, "
                "or keep the crs it was projected to)"
            ),
        )
    return xy


def _graphml_edges(
    path: Path, graph: ET.Element, children: _Children, data: _Data, ids: list, xy: np.ndarray
) -> tuple[list, list, list]:
    """Each edge's start and end node (indices) and its length (the file's, else the straight line)."""
    index = {nid: i for i, nid in enumerate(ids)}
    rows, cols, lengths, problems = [], [], [], []
    for edge in children(graph, "edge"):
        a, b = index.get(edge.get("source")), index.get(edge.get("target"))
        if a is None or b is None:
            raise InputError.one(
                path.name,
                "an edge refers to a node that does not exist",
                values=(f"{edge.get('source')} -> {edge.get('target')}",),
            )
        length = data(edge, "length", "edge")
        value = _number(length) if length is not None else float(np.hypot(*(xy[a] - xy[b])))
        if value is None or value < 0:  # a negative length would send Dijkstra round for ever
            name = f"edge {edge.get('id') or ''} ({edge.get('source')} -> {edge.get('target')})".replace("  ", " ")
            problems.append(
                Problem(
                    "error",
                    path.name,
                    "length",
                    f"{name}: length {length!r} is " + ("negative" if value is not None else "not a number"),
                    values=(length,),
                    fix="give each edge's length in metres, a number >= 0 with a decimal point (or leave it out:"
                    " the straight line between its nodes is used)",
                )
            )
            continue
        rows.append(a)
        cols.append(b)
        lengths.append(value)
    if problems:
        raise InputError(problems[:20] + _more(path.name, "length", len(problems) - 20))
    return rows, cols, lengths


def _length_matrix(rows: list, cols: list, lengths: list, n: int):
    """The symmetric sparse matrix of edge lengths (csr, metres), one length per pair of nodes."""
    # one length per pair of nodes, the shortest: a graph saved with both directions (OSMnx's
    # MultiDiGraph), or parallel edges, must not add up (a sparse matrix sums duplicate entries)
    if rows:
        lo, hi = np.minimum(rows, cols), np.maximum(rows, cols)
        pairs = pd.DataFrame({"lo": lo, "hi": hi, "length": np.asarray(lengths, dtype=float)})
        pairs = pairs[pairs["lo"] != pairs["hi"]].groupby(["lo", "hi"], sort=True)["length"].min().reset_index()
        lo, hi, length = pairs["lo"].to_numpy(), pairs["hi"].to_numpy(), pairs["length"].to_numpy()
    else:
        lo = hi = np.zeros(0, dtype=np.int64)
        length = np.zeros(0)
    return coo_matrix((np.r_[length, length] + 1e-9, (np.r_[lo, hi], np.r_[hi, lo])), shape=(n, n)).tocsr()


def read_graphml(path: str | Path) -> WalkingNetwork:
    """Read a walking network from GraphML (as OSMnx writes it) into EPSG:28992.

    Nodes need ``x`` and ``y`` (longitude/latitude, or RD metres when the graph's ``crs`` says
    EPSG:28992); edges may carry ``length`` in metres (else the straight-line length is used).

    Raises
    ------
    InputError
        When the file is not GraphML or nodes lack coordinates.
    """
    path = Path(path)
    graph, children, data = _parse_graphml(path)
    graph_crs = _graphml_crs(path, data(graph, "crs", "graph") or "epsg:4326")
    ids, xy = _graphml_nodes(path, graph, children, data)
    xy = _nodes_in_rd(path, xy, graph_crs)
    rows, cols, lengths = _graphml_edges(path, graph, children, data, ids, xy)
    return WalkingNetwork(xy, _length_matrix(rows, cols, lengths, len(ids)), path.name)


#: the columns of the municipality's edge-list layout: ours -> the publisher's header
GPKG_COLUMNS = {
    "path_type": "path_type",
    "length_m": "length",
    "width_m": "obstacle_free_width_float",
    "crossing": "crossing",
    "curb_m": "curb_height_max",
}
_REQUIRED = ("path_type",)
_STOP_FLAG = "public_transport_stop"


@dataclass(frozen=True)
class AccessRules:
    """Which edges an older resident with a rollator or wheelchair can use.

    Attributes
    ----------
    min_width_m : float
        Minimum obstacle-free width of a sidewalk or path. Default 0.90 m: the free passage one
        person with a walking aid or wheelchair needs. The Dutch *Richtlijn toegankelijkheid*
        for walking routes (table "Richtlijnen voor de vrije breedte") asks 1.50-1.80 m as the
        normal free width, 1.20 m at a narrowing of up to 20 m and 0.90 m at a point narrowing of
        up to 0.5 m; Rotterdam's accessibility guidance (010toegankelijk.nl, "Verkeersroute"):
        "a free passage of 90 cm is enough for one person, with or without aids", 120 cm for two
        to pass. The network's ``obstacle_free_width_float`` is the free width at the edge's
        narrowest point, so the point-narrowing minimum applies. Sources: docs/walking.md.
    max_curb_m : float
        Maximum curb height at a crossing. Default 0.04 m: the example user model published with
        this very network (Counterfactual Routing Competition 2025, Gemeente Amsterdam / PEER:
        ``max_curb_height`` 0.04 m, ``min_sidewalk_width`` 0.8 m), whose curbs are recorded as
        0.04, 0.06 or 0.08 m. Stricter: 0.02 m, the largest step without a ramp in the
        Bouwbesluit 2012 (art. 4.27: a height difference above 0.02 m at a building's entrance is
        bridged by a ramp) and in Flemish guidance for step-free routes; with it no recorded
        curb of this network can be crossed. Use ``AccessRules(max_curb_m=0.02)``.
    path_types : tuple of str
        Path types walked on (plain and accessible). Default walk and the walk-bike connections:
        a pedestrian uses the sidewalk or footpath (RVV 1990 art. 4); add ``"bike"`` to let
        routes use cycle paths.
    """

    min_width_m: float = 0.90
    max_curb_m: float = 0.04
    path_types: tuple[str, ...] = ("walk", "walk_bike_connection")

    def __post_init__(self) -> None:
        problems = []
        if not (np.isfinite(self.min_width_m) and self.min_width_m >= 0):
            problems.append(f"min_width_m must be a width in metres >= 0, not {self.min_width_m!r}")
        if not (np.isfinite(self.max_curb_m) and self.max_curb_m >= 0):
            problems.append(f"max_curb_m must be a height in metres >= 0, not {self.max_curb_m!r}")
        if self.min_width_m > 5 or self.max_curb_m > 1:
            problems.append(
                f"min_width_m={self.min_width_m} / max_curb_m={self.max_curb_m} look like centimetres: give metres"
            )
        if isinstance(self.path_types, str) or not self.path_types:
            problems.append(f"path_types must be a non-empty tuple of path types, not {self.path_types!r}")
        if problems:
            raise InputError(
                [
                    Problem("error", "AccessRules", None, p, fix="e.g. AccessRules(min_width_m=0.9, max_curb_m=0.04)")
                    for p in problems
                ]
            )


ACCESS_DEFAULTS = AccessRules()


@dataclass
class NetworkReport:
    """What :func:`read_network_gpkg` made of each feature: read = edges + stops + reported."""

    file: str
    read: int = 0
    edges: int = 0
    stops: int = 0
    reported: int = 0
    problems: list[Problem] = field(default_factory=list)
    not_mapped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["feature", "reason"]))

    @property
    def balanced(self) -> bool:
        return self.read == self.edges + self.stops + self.reported

    @property
    def row_count(self) -> RowCount:
        return RowCount(self.file, self.read, self.edges + self.stops, self.reported)


@dataclass
class EdgeNetwork:
    """A pedestrian network with its edge attributes, in EPSG:28992.

    Attributes
    ----------
    node_xy : ndarray
        Node coordinates (n x 2, metres).
    edges : DataFrame
        One row per edge: ``u``, ``v`` (node indices), ``length_m``, ``path_type``, ``width_m``
        (obstacle-free width, NaN unknown), ``crossing`` (bool), ``curb_m`` (curb height at a
        crossing, NaN unknown or not a crossing), ``feature`` (feature number in the file, from 1).
    stops : GeoDataFrame
        Public-transport stops carried by the file (points), with their name, type and
        ``wheelchair_accessible``.
    source : str
        The file name.
    """

    node_xy: np.ndarray
    edges: pd.DataFrame
    stops: gpd.GeoDataFrame | None = None
    source: str = ""

    def usable(self, rules: AccessRules | None = None) -> pd.Series:
        """Per edge: True (usable), False (not usable) or <NA> (width or curb height unknown)."""
        rules = rules or ACCESS_DEFAULTS
        e = self.edges
        width_ok = pd.Series(e["width_m"] >= rules.min_width_m, index=e.index).astype("boolean")
        width_ok[e["width_m"].isna()] = pd.NA
        curb_ok = pd.Series(e["curb_m"] <= rules.max_curb_m, index=e.index).astype("boolean")
        curb_ok[e["curb_m"].isna()] = pd.NA
        curb_ok[~e["crossing"].astype(bool)] = True  # a curb is only crossed at a crossing
        return width_ok & curb_ok  # Kleene logic: False wins over <NA>

    def area(self, max_snap_m: float = 100.0, rules: AccessRules | None = None) -> shapely.Geometry:
        """The network's area as the accessible distances decide it: within ``max_snap_m`` of a node.

        For the map (the outline of where :func:`llt_geo.walking.accessible_distances` measures).
        """
        rules = rules or ACCESS_DEFAULTS
        e = self.edges[self.edges["path_type"].isin(rules.path_types)]
        nodes = np.unique(np.concatenate([e["u"].to_numpy(), e["v"].to_numpy()]))
        return shapely.union_all(shapely.buffer(shapely.points(self.node_xy[nodes]), max_snap_m, quad_segs=4))

    def walking(self, rules: AccessRules | None = None, *, mode: str = "plain") -> WalkingNetwork:
        """The network as a :class:`WalkingNetwork` for one of three uses.

        ``mode="plain"``: every edge of ``rules.path_types``; ``"accessible"``: those known to be
        usable under ``rules``; ``"optimistic"``: those not known to be unusable (usable or
        unknown). The result holds only the nodes of its edges, so a point snaps to a node it can
        walk on.
        """
        rules = rules or ACCESS_DEFAULTS
        e = self.edges
        walked = e["path_type"].isin(rules.path_types).to_numpy(dtype=bool, copy=True)
        keep = walked.copy()
        if mode == "accessible":
            keep &= self.usable(rules).fillna(False).to_numpy(dtype=bool)
        elif mode == "optimistic":
            keep &= self.usable(rules).fillna(True).to_numpy(dtype=bool)
        elif mode != "plain":
            raise ValueError(f"mode must be 'plain', 'accessible' or 'optimistic', not {mode!r}")
        # every mode keeps the nodes of the plain network: a point snaps to the same node (its door
        # onto the network) whatever the rules, so a route that cannot leave that node is no route
        nodes = np.unique(np.concatenate([e["u"].to_numpy()[walked], e["v"].to_numpy()[walked]]))
        return _walking(
            self.node_xy,
            e["u"].to_numpy()[keep],
            e["v"].to_numpy()[keep],
            e["length_m"].to_numpy()[keep],
            f"{self.source} ({mode})",
            nodes=nodes,
        )


def _walking(
    node_xy: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    length: np.ndarray,
    source: str,
    *,
    nodes: np.ndarray | None = None,
) -> WalkingNetwork:
    """A WalkingNetwork of these edges on ``nodes`` (default: the edges' own), parallel edges by their shortest."""
    used = nodes if nodes is not None else np.unique(np.concatenate([u, v]))
    used = np.asarray(used, dtype=np.int64)
    new = np.full(len(node_xy), -1, dtype=np.int64)
    new[used] = np.arange(len(used))
    a, b = new[u], new[v]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    if len(lo):
        # one entry per node pair, the shortest (a sparse matrix would add parallel edges up)
        order = np.lexsort((length, hi, lo))
        lo, hi, ln = lo[order], hi[order], length[order]
        first = np.ones(len(lo), dtype=bool)
        first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
        lo, hi, ln = lo[first], hi[first], ln[first]
    else:
        ln = np.zeros(0)
    n = len(used)
    # + 1e-9: an edge of length 0 stays an edge (as read_graphml does)
    matrix = coo_matrix(
        (np.concatenate([ln, ln]) + 1e-9, (np.concatenate([lo, hi]), np.concatenate([hi, lo]))), shape=(n, n)
    ).tocsr()
    return WalkingNetwork(node_xy[used] if n else np.zeros((0, 2)), matrix, source)


def _yes(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip().str.lower().isin(["yes", "ja", "true", "1", "y", "j"])


_FIX_LAYOUT = (
    "give the municipality's pedestrian network as published (a GeoPackage with one LINESTRING per edge "
    "and path_type, length, obstacle_free_width_float, crossing, curb_height_max)"
)


def _line_layer(path: Path, layer: str | None) -> str:
    """The layer to read: ``layer`` when given, else the GeoPackage's only line layer."""
    import pyogrio

    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:  # pyogrio raises DataSourceError and others
        raise InputError.one(path.name, f"cannot be read as a GeoPackage ({exc})", fix=_FIX_LAYOUT) from None
    lines = [str(name) for name, kind in layers if kind and "line" in str(kind).lower()]
    if layer is not None:
        return layer
    if len(lines) != 1:
        raise InputError.one(
            path.name,
            f"{'no' if not lines else len(lines)} line layers (layers: {', '.join(f'{n} ({k})' for n, k in layers)})",
            fix="name the edge layer: read_network_gpkg(path, layer=...)",
        )
    return lines[0]


def _read_edge_layer(path: Path, layer: str) -> tuple[gpd.GeoDataFrame, str]:
    """The layer's features in EPSG:28992 and its name ``file:layer``, its required columns checked."""
    raw = gpd.read_file(path, layer=layer)
    name = f"{path.name}:{layer}"
    headers = [c for c in raw.columns if c != raw.geometry.name]
    missing = {c: "the kind of path (walk, bike, walk_bike_connection)" for c in _REQUIRED if c not in headers}
    if missing:
        raise missing_columns_error(name, missing, headers, _FIX_LAYOUT)
    if raw.crs is None or raw.crs.to_epsg() != 28992:
        if raw.crs is None:
            raise InputError.one(name, "the layer has no CRS", column="geometry", fix="declare EPSG:28992 (RD New)")
        raw = raw.to_crs(28992)
    return raw, name


def _classify_features(raw: gpd.GeoDataFrame, geoms: np.ndarray, reasons: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the public-transport stops and the lines; the reason of every other feature is set in ``reasons``."""
    is_stop = _yes(raw[_STOP_FLAG]) if _STOP_FLAG in raw.columns else pd.Series(False, index=raw.index)
    is_stop &= raw["path_type"].isna()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    reasons.iloc[np.flatnonzero(empty)] = "no geometry"
    no_type = raw["path_type"].isna().to_numpy() & ~is_stop.to_numpy() & reasons.isna().to_numpy()
    reasons.iloc[np.flatnonzero(no_type)] = "no path_type (neither an edge nor a public-transport stop)"
    stop_rows = is_stop.to_numpy() & reasons.isna().to_numpy()
    line = ~stop_rows & reasons.isna().to_numpy()
    types = shapely.get_type_id(geoms)
    not_line = line & ~np.isin(types, (1, 5))
    reasons.iloc[np.flatnonzero(not_line)] = "not a line"
    line &= ~not_line
    return stop_rows, line


def _end_nodes(lg: np.ndarray, node_tolerance_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Node coordinates, and each line's start and end node: end points within the tolerance are one node."""
    # multi-part lines: their first and last point (a network edge has one start and one end)
    parts = shapely.get_parts(lg, return_index=True)
    first_part = np.unique(parts[1], return_index=True)[1]
    last_part = np.r_[first_part[1:] - 1, len(parts[0]) - 1] if len(first_part) else np.zeros(0, int)
    starts = shapely.get_point(parts[0][first_part], 0) if len(lg) else np.zeros(0, object)
    ends = shapely.get_point(parts[0][last_part], -1) if len(lg) else np.zeros(0, object)
    sxy = np.column_stack([shapely.get_x(starts), shapely.get_y(starts)]) if len(lg) else np.zeros((0, 2))
    exy = np.column_stack([shapely.get_x(ends), shapely.get_y(ends)]) if len(lg) else np.zeros((0, 2))
    ends_xy = np.vstack([sxy, exy])
    key = np.round(ends_xy / node_tolerance_m).astype(np.int64)
    uniq, inv = np.unique(key, axis=0, return_inverse=True)
    inv = inv.reshape(-1)
    node_xy = uniq * node_tolerance_m
    m = len(lg)
    return node_xy, inv[:m], inv[m:]


def _edge_lengths(raw: gpd.GeoDataFrame, line: np.ndarray, lg: np.ndarray) -> tuple[np.ndarray, int]:
    """Each line's length from the file (its geometry's where the file has none), and how many had none."""
    geom_len = shapely.length(lg)
    if "length" not in raw.columns:
        return geom_len, len(lg)
    given = pd.to_numeric(raw.loc[line, "length"], errors="coerce").to_numpy(dtype=float)
    length = np.where(np.isfinite(given) & (given >= 0), given, geom_len)
    no_length = int((~(np.isfinite(given) & (given >= 0))).sum())
    return length, no_length


def _drop_loops_and_repeats(
    u: np.ndarray, v: np.ndarray, length: np.ndarray, line_idx: np.ndarray, reasons: pd.Series
) -> np.ndarray:
    """The lines kept as edges (sorted indexes); loops and repeats of a node pair get their reason."""
    m = len(u)
    loop = u == v
    reasons.iloc[line_idx[loop]] = "both ends on one node (a loop; adds nothing to a route)"
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    frame = pd.DataFrame({"lo": lo, "hi": hi, "length": length, "i": np.arange(m)})
    frame = frame[~loop]
    # the same node pair twice: the shortest is the edge, the others are reported
    frame = frame.sort_values(["lo", "hi", "length", "i"], kind="stable")
    repeat = frame.duplicated(["lo", "hi"], keep="first")
    reasons.iloc[line_idx[frame["i"].to_numpy()[repeat.to_numpy()]]] = "repeats another edge between the same nodes"
    return np.sort(frame["i"].to_numpy()[~repeat.to_numpy()])


def _gpkg_column(raw: gpd.GeoDataFrame, rows: np.ndarray, ours: str, default) -> pd.Series:
    """One of :data:`GPKG_COLUMNS` for the features ``rows`` (``default`` where the file lacks it)."""
    header = GPKG_COLUMNS[ours]
    if header in raw.columns:
        return raw[header].iloc[rows].reset_index(drop=True)
    return pd.Series(default, index=range(len(rows)))


def _measure(
    raw: gpd.GeoDataFrame, rows: np.ndarray, ours: str, name: str, feature: np.ndarray, report: NetworkReport
) -> np.ndarray:
    """Metres as numbers; a value that is not a non-negative number is unknown, and reported."""
    given = _gpkg_column(raw, rows, ours, np.nan)
    number = pd.to_numeric(given, errors="coerce").to_numpy(dtype=float)
    unreadable = given.notna().to_numpy() & ~(number >= 0)
    if unreadable.any():
        report.problems.append(
            Problem(
                "warning",
                name,
                GPKG_COLUMNS[ours],
                f"{int(unreadable.sum())} edges have a value that is not a length in metres: read as unknown",
                rows=tuple(feature[rows][unreadable].tolist()),
                values=tuple(given[unreadable].astype(str).tolist()),
                row_noun="feature",
                fix="give metres as numbers (0.9, not '0,9' or '90 cm')",
            )
        )
    return np.where(number >= 0, number, np.nan)


def _edge_table(
    raw: gpd.GeoDataFrame,
    rows: np.ndarray,
    ends: tuple[np.ndarray, np.ndarray, np.ndarray],
    feature: np.ndarray,
    name: str,
    report: NetworkReport,
) -> pd.DataFrame:
    """The edges of the features ``rows`` with their (start, end, length) ``ends`` and attributes."""
    u, v, length = ends
    width = _measure(raw, rows, "width_m", name, feature, report)
    curb = _measure(raw, rows, "curb_m", name, feature, report)
    crossing = _yes(_gpkg_column(raw, rows, "crossing", "No")).to_numpy(dtype=bool)
    edges = pd.DataFrame(
        {
            "u": u,
            "v": v,
            "length_m": length,
            "path_type": _gpkg_column(raw, rows, "path_type", pd.NA).astype("string").str.strip().to_numpy(),
            "width_m": width,
            "crossing": crossing,
            "curb_m": np.where(crossing, curb, np.nan),
            "feature": feature[rows],
        }
    )
    if "crossing_type" in raw.columns:
        edges["crossing_type"] = raw["crossing_type"].iloc[rows].astype("string").to_numpy()
    return edges


def _stop_table(
    raw: gpd.GeoDataFrame, geoms: np.ndarray, stop_rows: np.ndarray, feature: np.ndarray
) -> gpd.GeoDataFrame | None:
    """The public-transport stops as points with their attributes, or ``None`` when there are none."""
    if not stop_rows.any():
        return None
    sg = geoms[stop_rows]
    cols = [c for c in ("stop_name", "stop_type", "stop_placement_type", "wheelchair_accessible") if c in raw]
    return gpd.GeoDataFrame(
        raw.loc[stop_rows, cols].reset_index(drop=True).assign(feature=feature[stop_rows]),
        geometry=shapely.centroid(sg),
        crs="EPSG:28992",
    )


def _count_features(
    report: NetworkReport, edges: pd.DataFrame, stop_rows: np.ndarray, reasons: pd.Series, feature: np.ndarray
) -> None:
    """Count edges, stops and reported features in ``report``, with one warning per reason."""
    report.edges = len(edges)
    report.stops = int(stop_rows.sum())
    bad = reasons.notna().to_numpy()
    report.reported = int(bad.sum())
    report.not_mapped = pd.DataFrame({"feature": feature[bad], "reason": reasons[bad].to_numpy()})
    for reason, group in report.not_mapped.groupby("reason", sort=True):
        report.problems.append(
            Problem(
                "warning",
                report.file,
                None,
                f"{len(group)} features not used as edges: {reason}",
                rows=tuple(group["feature"].tolist()),
                row_noun="feature",
                fix="nothing to do unless the count is large; the network's publisher can correct the features",
            )
        )


def _edge_data_problems(
    name: str, edges: pd.DataFrame, no_length: int, stop_rows: np.ndarray, feature: np.ndarray
) -> list[Problem]:
    """Warnings for walking edges without width, crossings without curb height, edges without length, and stops."""
    problems = []
    walkable = edges["path_type"].isin(ACCESS_DEFAULTS.path_types)
    no_width = walkable & edges["width_m"].isna()
    if no_width.any():
        problems.append(
            Problem(
                "warning",
                name,
                GPKG_COLUMNS["width_m"],
                f"{int(no_width.sum())} walking edges have no obstacle-free width: whether a rollator or wheelchair "
                "fits is unknown there (accessible distances over them are bounds, not figures)",
                rows=tuple(edges.loc[no_width, "feature"].tolist()),
                row_noun="feature",
                fix="measure the width of these edges",
            )
        )
    no_curb = walkable & edges["crossing"] & edges["curb_m"].isna()
    if no_curb.any():
        problems.append(
            Problem(
                "warning",
                name,
                GPKG_COLUMNS["curb_m"],
                f"{int(no_curb.sum())} crossings have no curb height: whether they can be crossed with a rollator or "
                "wheelchair is unknown",
                rows=tuple(edges.loc[no_curb, "feature"].tolist()),
                row_noun="feature",
                fix="record the curb height of these crossings",
            )
        )
    if no_length:
        problems.append(
            Problem(
                "warning",
                name,
                "length",
                f"{no_length} edges have no length in the file: their geometry's length is used",
            )
        )
    stops = int(stop_rows.sum())
    if stops:
        problems.append(
            Problem(
                "warning",
                name,
                _STOP_FLAG,
                f"{stops} features are public-transport stops, not edges: returned as EdgeNetwork.stops",
                rows=tuple(feature[stop_rows].tolist()),
                row_noun="feature",
            )
        )
    return problems


def read_network_gpkg(
    path: str | Path, *, layer: str | None = None, node_tolerance_m: float = 0.001
) -> tuple[EdgeNetwork, NetworkReport]:
    """Read a pedestrian edge list from a GeoPackage (the municipality's accessibility layout).

    Parameters
    ----------
    path : path
        The GeoPackage.
    layer : str, optional
        The layer; the only line layer when not given.
    node_tolerance_m : float
        End points closer than this are one node.

    Returns
    -------
    (EdgeNetwork, NetworkReport)
        The network, and per feature what became of it: an edge, a public-transport stop, or
        reported with its reason (no geometry; both ends on one node; a repeat of another edge:
        used once, with the shortest length). Edges without a width, and crossings without a
        curb height, are kept (their accessibility is unknown) and counted in the report.

    Raises
    ------
    InputError
        When the file cannot be read, has no line layer, misses ``path_type``, is not in RD New.
    """
    path = Path(path)
    layer = _line_layer(path, layer)
    raw, name = _read_edge_layer(path, layer)
    report = NetworkReport(name, read=len(raw))
    feature = np.arange(1, len(raw) + 1)
    geoms = raw.geometry.to_numpy()
    reasons = pd.Series(pd.NA, index=raw.index, dtype="string")
    stop_rows, line = _classify_features(raw, geoms, reasons)
    lg = geoms[line]
    node_xy, u, v = _end_nodes(lg, node_tolerance_m)
    length, no_length = _edge_lengths(raw, line, lg)
    line_idx = np.flatnonzero(line)
    kept = _drop_loops_and_repeats(u, v, length, line_idx, reasons)
    rows = line_idx[kept]
    edges = _edge_table(raw, rows, (u[kept], v[kept], length[kept]), feature, name, report)
    stops = _stop_table(raw, geoms, stop_rows, feature)
    network = EdgeNetwork(node_xy, edges.reset_index(drop=True), stops, name)
    _count_features(report, edges, stop_rows, reasons, feature)
    report.problems.extend(_edge_data_problems(name, edges, no_length, stop_rows, feature))
    return network, report


def read_walking_network(path: str | Path, rules: AccessRules | None = None) -> WalkingNetwork:
    """A walking network from GraphML (:func:`read_graphml`) or a GeoPackage edge list.

    For a GeoPackage: the plain network of ``rules.path_types`` (walk and walk-bike connections).
    """
    path = Path(path)
    if path.suffix.lower() == ".gpkg":
        return read_network_gpkg(path)[0].walking(rules)
    return read_graphml(path)


def edge_network_from_walking(network: WalkingNetwork) -> EdgeNetwork:
    """An :class:`EdgeNetwork` of a network without attributes (GraphML): every width and curb unknown.

    Accessible distances on it are unknown with the reason that the network carries no widths.
    """
    coo = network.matrix.tocoo()
    upper = coo.row < coo.col
    edges = pd.DataFrame(
        {
            "u": coo.row[upper],
            "v": coo.col[upper],
            "length_m": coo.data[upper] - 1e-9,
            "path_type": "walk",
            "width_m": np.nan,
            "crossing": False,
            "curb_m": np.nan,
            "feature": np.arange(1, int(upper.sum()) + 1),
        }
    )
    return EdgeNetwork(np.asarray(network.node_xy, dtype=float), edges, None, network.source)
