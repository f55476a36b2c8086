"""The municipality's real area division loads through the same data format as the demo."""

import shutil

import pytest

from llt_geo import load_dataset

from .conftest import DEMO

pytestmark = pytest.mark.real


@pytest.fixture
def real_folder(tmp_path, real_dir):
    """The demo's registers with the real stadsdelen, wijken and buurten (referenced, not copied)."""
    folder = tmp_path / "real"
    shutil.copytree(DEMO, folder)
    for name in ("stadsdelen.geojson", "wijken.geojson", "buurten.geojson"):
        (folder / name).unlink()
    area = real_dir / "amsterdam-gebiedsindeling-2022"
    config = (folder / "llt_geo.toml").read_text()
    config = config.replace(
        "[files]\n",
        "[files]\n"
        f'stadsdelen = "{area / "stadsdelen_afgeleid.geojson"}"\n'
        f'wijken = "{area / "wijken_afgeleid.geojson"}"\n'
        f'buurten = "{area / "amsterdam_buurten.geojson"}"\n',
    )
    (folder / "llt_geo.toml").write_text(config)
    return folder


def test_real_2022_division_loads_with_the_full_hierarchy(real_folder):
    ds = load_dataset(real_folder)
    assert len(ds.stadsdelen) == 9
    assert "S" in set(ds.stadsdelen["stadsdeel_code"])  # Weesp
    assert len(ds.wijken) == 110
    assert len(ds.buurten) == 518
    assert ds.buurten.crs.to_epsg() == 28992
    assert (ds.buurten["buurt_code"].str.slice(0, 2) == ds.buurten["wijk_code"]).all()
    assert (ds.wijken["wijk_code"].str.slice(0, 1) == ds.wijken["stadsdeel_code"]).all()
    assert set(ds.buurten["wijk_code"]) == set(ds.wijken["wijk_code"])
    # the real wijken file has no age figures: that is reported, not silently passed
    assert any("65+" in p.message for p in ds.warnings if p.table == "wijken")


def test_real_2025_buurten_in_rd_new_load_too(real_dir):
    from llt_geo import read_table

    frame, problems, bad, _ = read_table(
        real_dir / "amsterdam-buurten-api-rd" / "amsterdam_buurten_rd.geojson", "buurten"
    )
    assert not bad.any(), [str(p) for p in problems if p.severity == "error"]
    assert len(frame) == 518
    assert frame["buurt_code"].str.fullmatch(r"[A-Z][A-Z0-9]\d\d").all()
    assert frame.crs.to_epsg() == 28992


@pytest.fixture(scope="module")
def real_areas():
    from pathlib import Path

    from llt_geo import read_table

    base = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real" / "amsterdam-gebiedsindeling-2022"
    if not base.is_dir():
        pytest.skip(f"real open data not found at {base} (it sits beside the project in CI)")
    out = {}
    for name, file in (
        ("buurten", "amsterdam_buurten.geojson"),
        ("wijken", "wijken_afgeleid.geojson"),
        ("stadsdelen", "stadsdelen_afgeleid.geojson"),
    ):
        frame, problems, bad, _ = read_table(base / file, name)
        assert not bad.any(), [str(p) for p in problems if p.severity == "error"]
        out[name] = frame
    return out


def test_every_point_inside_amsterdam_gets_one_consistent_buurt_wijk_stadsdeel(real_areas):
    import geopandas as gpd
    import numpy as np
    import shapely

    from llt_geo.areas import assign_areas

    buurten = real_areas["buurten"]
    rng = np.random.default_rng(7)
    city = shapely.union_all(buurten.geometry.to_numpy())
    minx, miny, maxx, maxy = city.bounds
    xy = np.column_stack([rng.uniform(minx, maxx, 60_000), rng.uniform(miny, maxy, 60_000)])
    inside = shapely.contains_xy(city, xy[:, 0], xy[:, 1])
    # plus one point well inside every buurt, so all 518 (Weesp included) are exercised
    reps = buurten.geometry.representative_point()
    pts = gpd.GeoSeries(list(gpd.points_from_xy(xy[inside, 0], xy[inside, 1])) + list(reps), crs=28992)
    a = assign_areas(pts, buurten=buurten, wijken=real_areas["wijken"], stadsdelen=real_areas["stadsdelen"])
    assert a["buurt_code"].notna().all() and not a["outside_areas"].any()
    assert set(a["buurt_code"].iloc[-len(reps) :]) == set(buurten["buurt_code"])
    assert (a["buurt_code"].str.slice(0, 2) == a["wijk_code"]).all()
    assert (a["wijk_code"].str.slice(0, 1) == a["stadsdeel_code"]).all()
    assert "S" in set(a["stadsdeel_code"])
    # the code hierarchy agrees with the real wijk and stadsdeel polygons (away from their borders)
    wijken = real_areas["wijken"]
    joined = gpd.sjoin(
        gpd.GeoDataFrame(a, geometry=pts, crs=28992),
        wijken[["wijk_code", "geometry"]],
        predicate="within",
        lsuffix="p",
        rsuffix="w",
    )
    assert (joined["wijk_code_p"] == joined["wijk_code_w"]).all()
    assert len(joined) == len(a)  # no point, however close to a border, lands in another wijk
    stadsdelen = real_areas["stadsdelen"]
    joined = gpd.sjoin(gpd.GeoDataFrame(a, geometry=pts, crs=28992),
                       stadsdelen[["stadsdeel_code", "geometry"]], predicate="within", lsuffix="p", rsuffix="s")
    assert len(joined) == len(a) and (joined["stadsdeel_code_p"] == joined["stadsdeel_code_s"]).all()


def test_a_point_on_a_real_buurt_boundary_is_assigned_deterministically(real_areas):
    import geopandas as gpd
    import shapely

    from llt_geo.areas import assign_areas

    buurten = real_areas["buurten"].sort_values("buurt_code").reset_index(drop=True)
    first = buurten.geometry.iloc[0]
    own = {tuple(c) for c in shapely.get_coordinates(first)}
    shared = None
    for geom in buurten.geometry.iloc[1:]:
        common = own & {tuple(c) for c in shapely.get_coordinates(geom)}
        if common:
            shared = sorted(common)[0]  # a vertex both buurten share: exactly on the boundary
            break
    assert shared is not None
    point = shapely.Point(shared)
    a = assign_areas(gpd.GeoSeries([point] * 3, crs=28992), buurten=buurten, wijken=None, stadsdelen=None)
    assert a["buurt_code"].nunique() == 1
    assert a["on_boundary"].all() and a["buurt_code"].iloc[0] == buurten["buurt_code"].iloc[0]


def test_screening_runs_on_the_real_division(real_folder):
    from llt_geo.screening import screen

    ds = load_dataset(real_folder)
    result = screen(ds)
    flats = result.flats
    assert flats["buurt_code"].notna().all()  # every demo flat lies in a real buurt
    assert (flats["buurt_code"].str.slice(0, 2) == flats["wijk_code"]).all()
    assert (flats["wijk_code"].str.slice(0, 1) == flats["stadsdeel_code"]).all()
    # the real wijken carry no age figures: ageing is unknown, never assumed
    assert flats["ageing"].isna().all()
    assert set(result.candidates["eligibility"]) <= {"pass", "fail", "unknown"}
