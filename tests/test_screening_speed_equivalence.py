"""The fast paths of the screening give the same answers as straightforward references.

Behaviour, not timing: random data with the awkward cases (points on area boundaries and corners,
outside every area, duplicates, missing locations, amenities at exactly the radius, equidistant
sites, empty inputs), each fast path against a plain implementation of what it must compute.
"""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import box

import llt_geo.areas as areas_module
from llt_geo.areas import assign_areas, focus_membership, string_take, thread_map
from llt_geo.eligibility import find_groups
from llt_geo.proximity import _dense_sites, _reach, amenity_reach, site_proximity

RNG_SEED = 20301


@pytest.fixture(
    params=[(1, False), (2, False), (1, True), (2, True)],
    ids=["one thread", "two threads", "one thread, grid", "two threads, grid"],
)
def workers(request, monkeypatch):
    """Every test runs with one and with two threads, and with small chunks; the areas assigned with
    the grid that settles the points well inside one area (from any number of points) and without."""
    threads, grid = request.param
    monkeypatch.setattr(areas_module, "WORKERS", threads)
    monkeypatch.setattr(areas_module, "CHUNK", 997)
    monkeypatch.setattr(areas_module, "GRID_MIN_POINTS", 0 if grid else 10**12)
    return threads


def _grid_areas() -> gpd.GeoDataFrame:
    """Nine 100 m squares in a 3 x 3 grid, codes not in grid order, plus one overlapping the middle."""
    cells, codes = [], []
    names = ["AC02", "AA01", "AB03", "AC01", "AB01", "AA03", "AB02", "AA02", "AC03"]
    for k, code in enumerate(names):
        i, j = divmod(k, 3)
        cells.append(box(i * 100, j * 100, (i + 1) * 100, (j + 1) * 100))
        codes.append(code)
    cells.append(box(140, 140, 160, 160))  # lies inside AB01's square: its points touch two buurten
    codes.append("AD01")
    return gpd.GeoDataFrame({"buurt_code": codes}, geometry=cells, crs=28992)


def _awkward_points(rng: np.random.Generator, n: int) -> gpd.GeoSeries:
    xy = rng.uniform(-30, 330, (n, 2))
    xy[: n // 4] = np.round(xy[: n // 4] / 50) * 50  # on edges, corners and grid lines
    xy[n // 4 : n // 4 + 20] = xy[:20]  # duplicates
    geoms = shapely.points(xy)
    geoms[5] = None  # a missing location
    return gpd.GeoSeries(geoms, crs=28992)


def _reference_areas(points: gpd.GeoSeries, frame: gpd.GeoDataFrame, tolerance: float) -> pd.DataFrame:
    """Point by point against every area (lowest code on a boundary; nearest within the tolerance)."""
    frame = frame.sort_values("buurt_code", kind="stable").reset_index(drop=True)
    rows = []
    for p in points:
        if p is None:
            rows.append((None, False, True))
            continue
        hit = [i for i, poly in enumerate(frame.geometry) if poly.intersects(p)]
        if hit:
            rows.append((frame["buurt_code"][hit[0]], len(hit) > 1, False))
            continue
        d = frame.distance(p)
        near = np.flatnonzero(d.to_numpy() <= tolerance)
        rows.append((frame["buurt_code"][near[np.argmin(d.to_numpy()[near])]] if len(near) else None,
                     False, True))  # fmt: skip
    return pd.DataFrame(rows, columns=["buurt_code", "on_boundary", "outside_areas"])


@pytest.mark.usefixtures("workers")
def test_assign_areas_equals_point_by_point_reference():
    rng = np.random.default_rng(RNG_SEED)
    frame = _grid_areas()
    points = _awkward_points(rng, 4000)
    got = assign_areas(points, buurten=frame, wijken=None, stadsdelen=None, outside_tolerance_m=25)
    ref = _reference_areas(points, frame, 25)
    assert got["buurt_code"].fillna("-").tolist() == ref["buurt_code"].fillna("-").tolist()
    assert got["on_boundary"].tolist() == ref["on_boundary"].tolist()
    assert got["outside_areas"].tolist() == ref["outside_areas"].tolist()
    assert got["on_boundary"].sum() > 100 and got["outside_areas"].sum() > 100  # the awkward cases occur
    assert got["wijk_code"].dropna().eq(got["buurt_code"].dropna().str.slice(0, 2)).all()
    assert got["stadsdeel_code"].dropna().eq(got["buurt_code"].dropna().str.slice(0, 1)).all()
    # the notes name the other area on a boundary, and the distance for a point assigned from outside
    notes = got["area_note"].to_numpy(dtype=object)
    assert all("op de grens met" in t for t in notes[got["on_boundary"].to_numpy()])
    assigned_outside = (got["outside_areas"] & got["buurt_code"].notna()).to_numpy()
    assert all(t.startswith("buiten alle gebieden; ") for t in notes[assigned_outside])


@pytest.mark.usefixtures("workers")
def test_assign_areas_grid_equals_query_on_the_demo_buurten(monkeypatch):
    """The grid gives every column of assign_areas as the query alone does, on the demo's real buurten,
    with points at their vertices, on their edges, just outside the city, duplicated and missing."""
    import llt_geo

    ds = llt_geo.load_demo()
    rng = np.random.default_rng(RNG_SEED)
    x0, y0, x1, y1 = ds.buurten.total_bounds
    random = shapely.points(rng.uniform(x0 - 50, x1 + 50, 20_000), rng.uniform(y0 - 50, y1 + 50, 20_000))
    vertices = shapely.get_coordinates(ds.buurten.geometry.to_numpy())
    edges = (vertices[:-1] + vertices[1:]) / 2
    geoms = np.concatenate([random, shapely.points(vertices[::3]), shapely.points(edges[::3]), random[:50]])
    geoms[[7, 9000]] = None
    points = gpd.GeoSeries(geoms, crs=28992)
    args = {"buurten": ds.buurten, "wijken": ds.wijken, "stadsdelen": ds.stadsdelen, "outside_tolerance_m": 25}
    monkeypatch.setattr(areas_module, "GRID_MIN_POINTS", 10**12)
    plain = assign_areas(points, **args)
    monkeypatch.setattr(areas_module, "GRID_MIN_POINTS", 0)
    grid = assign_areas(points, **args)
    pd.testing.assert_frame_equal(grid, plain, check_exact=True)
    assert plain["on_boundary"].sum() > 100 and plain["outside_areas"].sum() > 100


def test_assign_areas_empty_input():
    empty = gpd.GeoSeries([], crs=28992)
    got = assign_areas(empty, buurten=_grid_areas(), wijken=None, stadsdelen=None)
    assert len(got) == 0
    assert list(got.columns) == [
        "buurt_code", "wijk_code", "stadsdeel_code", "area_level", "on_boundary", "outside_areas", "area_note",
    ]  # fmt: skip


def test_focus_membership_same_with_one_thread_and_two(monkeypatch):
    rng = np.random.default_rng(RNG_SEED + 1)
    points = _awkward_points(rng, 5000)
    focus = gpd.GeoDataFrame(
        {"focus_id": ["F1", "F2"], "name": ["Noord", "Oost"], "kind": ["masterplan", "other"]},
        geometry=[box(0, 0, 150, 300), box(100, 0, 300, 200)],
        crs=28992,
    )
    monkeypatch.setattr(areas_module, "CHUNK", 997)
    monkeypatch.setattr(areas_module, "WORKERS", 1)
    one = focus_membership(points, focus)
    monkeypatch.setattr(areas_module, "WORKERS", 2)
    two = focus_membership(points, focus)
    pd.testing.assert_frame_equal(one, two)
    inside = np.array([p is not None and focus.geometry[0].intersects(p) for p in points])
    assert (one["focus_names"].astype(str).str.contains("Noord").to_numpy() == inside).all()


def _reference_reach(xy: np.ndarray, targets: np.ndarray, r: float, reach: float) -> tuple[np.ndarray, np.ndarray]:
    """KD-tree semantics, by brute force: count d2 <= r*r, hypot of those counted, else bounded nearest."""
    dx = xy[:, None, 0] - targets[None, :, 0]
    dy = xy[:, None, 1] - targets[None, :, 1]
    with np.errstate(invalid="ignore"):
        d2 = dx * dx + dy * dy
        within = d2 <= r * r
        count = within.sum(axis=1)
        h = np.where(within, np.hypot(dx, dy), np.inf).min(axis=1) if len(targets) else np.full(len(xy), np.inf)
        least = np.where(np.isnan(d2), np.inf, d2).min(axis=1) if len(targets) else np.full(len(xy), np.inf)
    return count, np.where(count > 0, h, np.where(least < reach * reach, np.sqrt(least), np.inf))


def _old_reach(xy: np.ndarray, targets: np.ndarray, r: float, reach: float) -> tuple[np.ndarray, np.ndarray]:
    """The KD-tree code the grid replaced (ball query per amenity, bounded query for the rest)."""
    ok = np.isfinite(xy).all(axis=1)
    tree = cKDTree(xy[ok])
    hits = tree.query_ball_point(targets, r=r)
    pt = np.flatnonzero(ok)[np.concatenate([np.asarray(h, dtype=np.int64) for h in hits])]
    am = np.repeat(np.arange(len(targets)), [len(h) for h in hits])
    count = np.bincount(pt, minlength=len(xy))
    dist = np.full(len(xy), np.inf)
    np.minimum.at(dist, pt, np.hypot(xy[pt, 0] - targets[am, 0], xy[pt, 1] - targets[am, 1]))
    lacking = np.flatnonzero((count == 0) & ok)
    dist[lacking] = cKDTree(targets).query(xy[lacking], k=1, distance_upper_bound=reach)[0]
    return count, dist


@pytest.mark.parametrize("n_targets", [0, 1, 7, 60])
@pytest.mark.usefixtures("workers")
def test_reach_equals_kd_tree_and_brute_force(n_targets):
    rng = np.random.default_rng(RNG_SEED + n_targets)
    # integer metres: many amenities at exactly the radius (3-4-5 triangles) and equal distances
    xy = rng.integers(0, 3000, (6000, 2)).astype(float)
    targets = rng.integers(0, 3000, (n_targets, 2)).astype(float)
    if n_targets:
        xy[:50] = targets[0] + np.array([300.0, 400.0])  # exactly 500 m from the first amenity
        xy[50:60] = targets[0]  # on the amenity
    xy[100] = np.nan  # a missing location
    count, dist = _reach(xy, targets, 500.0, 1000.0)
    ref_count, ref_dist = _reference_reach(xy, targets, 500.0, 1000.0)
    assert np.array_equal(count, ref_count)
    assert np.array_equal(dist, ref_dist)  # bit for bit, inf where nothing lies within reach
    if n_targets:
        old_count, old_dist = _old_reach(xy, targets, 500.0, 1000.0)
        assert np.array_equal(count, old_count) and np.array_equal(dist, old_dist)
        assert (count[:50] >= 1).all()


@pytest.mark.usefixtures("workers")
def test_amenity_reach_empty_points_and_kinds():
    am = gpd.GeoDataFrame({"kind": ["supermarkt"]}, geometry=shapely.points([[0.0, 0.0]]), crs=28992)
    got = amenity_reach(gpd.GeoSeries([], crs=28992), am, radius_m=500, kinds=["supermarkt", "huisarts"])
    assert len(got) == 0 and "n_supermarkt" in got and "dist_huisarts_m" in got


@pytest.mark.usefixtures("workers")
def test_sites_equal_kd_tree_with_ties():
    rng = np.random.default_rng(RNG_SEED + 3)
    xy = rng.integers(0, 60, (40000, 2)).astype(float)  # many equidistant sites: ties to the lowest index
    sites = rng.integers(0, 60, (40, 2)).astype(float)
    sites[7] = sites[3]  # a duplicate site
    group = rng.integers(0, 5, 40)
    per_group, dist, idx = _dense_sites(xy, sites, group, 5)
    kd_dist, kd_idx = cKDTree(sites).query(xy, k=40)
    best = kd_dist[:, 0]
    tied = kd_dist == best[:, None]
    assert np.array_equal(dist, best)
    assert np.array_equal(idx, np.where(tied, kd_idx, 99).min(axis=1))
    d2 = (xy[:, None, 0] - sites[None, :, 0]) ** 2 + (xy[:, None, 1] - sites[None, :, 1]) ** 2
    for g in range(5):
        assert np.array_equal(per_group[g], np.round(np.sqrt(d2[:, group == g].min(axis=1)), 1))


@pytest.mark.usefixtures("workers")
def test_site_proximity_missing_location():
    sites = gpd.GeoDataFrame(
        {"site_id": ["S2", "S1"], "provider_id": ["P1", "P2"]}, geometry=shapely.points([[0, 0], [100, 0]]), crs=28992
    )
    points = gpd.GeoSeries([shapely.Point(40, 0), None, shapely.Point(50, 0)], crs=28992)
    nearest, per = site_proximity(points, sites)
    assert nearest["nearest_site_id"].astype(object).tolist()[0] == "S2"
    assert nearest["nearest_site_id"].astype(object).tolist()[2] == "S1"  # equidistant: the lowest site_id
    assert np.isnan(nearest["site_distance_m"][1])


def test_find_groups_same_with_one_thread_and_two(monkeypatch):
    rng = np.random.default_rng(RNG_SEED + 4)
    n = 3000
    xy = rng.uniform(0, 4000, (n, 2))
    corp = pd.Series(rng.choice(["A", "B", "C"], n), dtype="string")
    corp[:40] = pd.NA  # no corporation: never grouped
    flats = gpd.GeoDataFrame(
        {
            "flat_id": pd.Series([f"F{i:05d}" for i in range(n)], dtype="string"),
            "corporation": corp,
            "n_dwellings": pd.array(rng.integers(10, 90, n), dtype="Int64"),
            "group_id": pd.array([pd.NA] * n, dtype="string"),
            "status": pd.Series(["candidate"] * n, dtype="string"),
        },
        geometry=shapely.points(xy),
        crs=28992,
    )
    monkeypatch.setattr(areas_module, "WORKERS", 1)
    one = find_groups(flats, min_dwellings=100, max_distance_m=120, max_members=5)
    monkeypatch.setattr(areas_module, "WORKERS", 2)
    two = find_groups(flats, min_dwellings=100, max_distance_m=120, max_members=5)
    pd.testing.assert_frame_equal(one, two)
    assert one["group_id"].notna().sum() > 100  # groups were formed
    assert one["group_id"][:40].isna().all()
    # every group: one corporation, at least the minimum together, the dwellings summed
    grouped = one[one["group_id"].notna()].join(flats[["corporation", "n_dwellings"]])
    per = grouped.groupby("group_id")
    assert (per["corporation"].nunique() == 1).all()
    assert (per["n_dwellings"].sum() >= 100).all()
    assert (grouped["group_dwellings"] == per["n_dwellings"].transform("sum")).all()


@pytest.mark.parametrize("spread", [400.0, 4000.0, 40000.0])
def test_components_within_equals_all_pairs(spread):
    """Dense patches, sparse points and chains: the same clusters as single linkage over every pair."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from llt_geo.eligibility import _components_within

    rng = np.random.default_rng(RNG_SEED + int(spread))
    centres = rng.uniform(0, spread, (12, 2))
    xy = np.concatenate(
        [
            rng.uniform(0, spread, (1500, 2)),  # spread out
            centres[rng.integers(0, 12, 600)] + rng.normal(0, 40, (600, 2)),  # dense patches
            np.column_stack([np.arange(30) * 99.0, np.full(30, spread / 2)]),  # a chain of steps under 100 m
            np.array([[spread + 500, 0], [spread + 600, 0], [spread + 700.0, 0]]),  # exactly 100 m apart
        ]
    )
    for max_members in (1, 2, 5, 12):
        labels, crowded = _components_within(xy, 100.0, max_members)
        pairs = cKDTree(xy).query_pairs(r=100.0, output_type="ndarray")
        graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(xy), len(xy)))
        _, ref = connected_components(graph, directed=False)
        too_big = np.bincount(ref)[ref] > max_members
        np.testing.assert_array_equal(crowded, too_big)
        assert (labels[too_big] == -1).all() and (labels[~too_big] >= 0).all()
        # the same partition of the other points
        ok = ~too_big
        pairs_ok = np.unique(np.column_stack([labels[ok], ref[ok]]), axis=0)
        assert len(np.unique(pairs_ok[:, 0])) == len(pairs_ok) == len(np.unique(pairs_ok[:, 1]))
        assert crowded.any() and ((~crowded).any() or spread < 1000)


def test_string_take_equals_pd_array():
    labels = np.array(["", "FA01", None, "ë"], dtype=object)
    codes = np.array([0, 1, 2, 3, 3, 1, 0])
    expected = pd.array(labels[codes], dtype="string")
    got = string_take(labels, codes)
    assert got.dtype == expected.dtype
    pd.testing.assert_extension_array_equal(got, expected)
    assert len(string_take(labels, np.array([], dtype=np.int64))) == 0


def test_thread_map_keeps_order(monkeypatch):
    monkeypatch.setattr(areas_module, "WORKERS", 2)
    assert thread_map(lambda a, b: (a, b), 10, chunk=3) == [(0, 3), (3, 6), (6, 9), (9, 10)]
    assert thread_map(lambda a, b: (a, b), 0) == [(0, 0)]


@pytest.mark.parametrize("rows", [None, 0, 1])
def test_screen_frames_same_side_by_side_and_one_after_another(monkeypatch, rows):
    import llt_geo
    import llt_geo.screening as screening_module

    ds = llt_geo.load_demo()
    flats = ds.flats if rows is None else ds.flats.iloc[:rows]
    tables = {k: getattr(ds, k) for k in ("stadsdelen", "wijken", "buurten", "focus_areas", "intramural_sites")}
    results = []
    for concurrent in (True, False):
        monkeypatch.setattr(screening_module, "CONCURRENT", concurrent)
        results.append(screening_module.screen_frames(flats, amenities=ds.amenities, config=ds.config, **tables))
    a, b = results
    pd.testing.assert_frame_equal(a.flats, b.flats)
    pd.testing.assert_frame_equal(a.candidates, b.candidates)
    pd.testing.assert_frame_equal(a.provider_distance_m, b.provider_distance_m)
    assert [str(p) for p in a.notes] == [str(p) for p in b.notes]
    assert len(a.flats) == len(flats)
