"""Candidate discovery: buildings that could meet the size criterion, screened like the register."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

import llt_geo
from llt_geo.discovery import DISCOVERY_NL, discover_candidates
from llt_geo.errors import InputError

from .conftest import DEMO


@pytest.fixture(scope="module")
def demo():
    return llt_geo.load_dataset(DEMO)


def _areas(ds):
    return {
        "stadsdelen": ds.stadsdelen,
        "wijken": ds.wijken,
        "buurten": ds.buurten,
        "focus_areas": ds.focus_areas,
        "intramural_sites": ds.intramural_sites,
        "amenities": ds.amenities,
        "config": ds.config,
    }


def _inside(ds, k, step=400.0):
    """k points inside the demo's wijken, step metres apart (so no two group by accident)."""
    city = ds.wijken.geometry.union_all()
    x0, y0, x1, y1 = city.bounds
    pts = []
    for x in np.arange(x0 + step, x1, step):
        for y in np.arange(y0 + step, y1, step):
            if city.contains(Point(x, y)) and not any(Point(x, y).distance(p) < step for p in pts):
                pts.append(Point(x, y))
            if len(pts) == k:
                return pts
    raise AssertionError("not enough room in the demo")


def test_size_clusters_estimates_and_unknowns(demo):
    p = _inside(demo, 6)
    # two small buildings of one owner 100 m apart: a cluster of 130 dwellings
    near = Point(p[4].x + 100, p[4].y)
    buildings = gpd.GeoDataFrame(
        {
            "building_id": ["B1", "B2", "B3", "B4", "B5a", "B5b", "B6"],
            "n_dwellings": pd.array([150, 40, pd.NA, pd.NA, 70, 60, 99], dtype="Int64"),
            "n_dwellings_estimate": [np.nan, np.nan, 180.0, np.nan, np.nan, np.nan, np.nan],
            "owner": ["Ymere", None, None, None, "Rochdale", "Rochdale", None],
            "building_year": [1968, 1972, 1965, None, 1970, 1970, 1980],
        },
        geometry=[p[0], p[1], box(p[2].x - 10, p[2].y - 10, p[2].x + 10, p[2].y + 10), p[3], p[4], near, p[5]],
        crs="EPSG:28992",
    )
    d = discover_candidates(buildings, **_areas(demo))
    got = dict(zip(d.buildings["building_id"], d.buildings["discovery"], strict=True))
    assert got == {
        "B1": "candidate",
        "B2": "too_small",
        "B3": "candidate",
        "B4": "no_dwellings",
        "B5a": "in_cluster",
        "B5b": "in_cluster",
        "B6": "too_small",
    }
    assert list(d.buildings["building_id"]) == list(buildings["building_id"])  # nothing dropped, order kept
    assert set(d.buildings["discovery_nl"]) <= set(DISCOVERY_NL.values())
    assert d.buildings.loc[d.buildings["building_id"] == "B5a", "cluster_dwellings"].item() == 130
    cands = d.candidates.set_index("candidate_id")
    assert len(cands) == 3  # B1, B3, and the group of B5a + B5b
    group = cands[cands["is_group"]]
    assert len(group) == 1 and group["n_dwellings"].item() == 130 and group["corporation"].item() == "Rochdale"
    # what building data cannot answer is unknown, never a pass
    b1 = cands.loc["B1"]
    assert b1["size_status"] == "pass"
    assert b1["nultreden_status"] == "unknown" and b1["social_rent_status"] == "unknown"
    for col in ("n_nultreden", "n_social_rent", "corporation_consent", "resident_involvement"):
        assert pd.isna(b1[col])
    assert b1["corporation"] == "Ymere"
    assert pd.isna(cands.loc["B3", "corporation"])  # an unknown owner stays unknown
    # an estimate is not a count: size unknown, the estimate beside it
    b3 = cands.loc["B3"]
    assert pd.isna(b3["n_dwellings"]) and b3["n_dwellings_estimate"] == 180 and b3["dwellings_source"] == "schatting"
    assert b3["size_status"] == "unknown" and b3["eligibility"] != "pass"
    assert any("no dwelling count" in n.message for n in d.notes)
    assert any("estimated number of dwellings" in n.message for n in d.notes)


def test_outcomes_are_never_a_pass_on_unknowns(demo):
    p = _inside(demo, 1)
    buildings = gpd.GeoDataFrame({"building_id": ["X"], "n_dwellings": [400]}, geometry=p, crs="EPSG:28992")
    d = discover_candidates(buildings, **_areas(demo))
    row = d.candidates.iloc[0]
    assert row["n_dwellings"] == 400 and row["size_status"] == "pass"
    # the register's own yes/no facts are absent from building data: unknown, so never eligible
    assert row["eligibility"] in ("unknown", "fail")
    assert row["eligibility"] == ("fail" if row["amenities_status"] == "fail" else "unknown")
    for crit in ("nultreden", "social_rent", "resident_involvement", "meeting_room", "workspace"):
        assert row[f"{crit}_status"] == "unknown"


def test_register_flats_are_not_proposed_again(demo):
    flat = demo.flats.iloc[0]
    buildings = gpd.GeoDataFrame(
        {"building_id": ["R1"], "n_dwellings": [300]},
        geometry=[Point(flat.geometry.x + 20, flat.geometry.y)],
        crs="EPSG:28992",
    )
    d = discover_candidates(buildings, register=demo.flats, **_areas(demo))
    assert d.buildings["discovery"].tolist() == ["in_register"]
    assert d.buildings["register_flat_id"].tolist() == [str(flat["flat_id"])]
    assert len(d.candidates) == 0


def test_lon_lat_input_is_converted(demo):
    p = _inside(demo, 1)[0]
    lonlat = gpd.GeoSeries([p], crs="EPSG:28992").to_crs(4326)
    buildings = gpd.GeoDataFrame({"building_id": ["L"], "n_dwellings": [120]}, geometry=lonlat, crs=4326)
    d = discover_candidates(buildings, **_areas(demo))
    assert d.buildings.crs == "EPSG:28992"
    assert d.buildings.geometry.iloc[0].distance(p) < 0.01


@pytest.mark.parametrize(
    ("frame", "column"),
    [
        (pd.DataFrame({"id": ["a"], "n_dwellings": [1]}), "building_id"),
        (pd.DataFrame({"building_id": ["a"], "hoogte": [1]}), "n_dwellings"),
        (pd.DataFrame({"building_id": ["a", "a"], "n_dwellings": [1, 2]}), "building_id"),
        (pd.DataFrame({"building_id": ["a"], "n_dwellings": [-5]}), "n_dwellings"),
        (pd.DataFrame({"building_id": ["a", "b"], "n_dwellings": ["120", "1.000"]}), "n_dwellings"),
        (pd.DataFrame({"building_id": ["a"], "n_dwellings": ["veel"]}), "n_dwellings"),
        (pd.DataFrame({"building_id": ["a"], "n_dwellings": [120.5]}), "n_dwellings"),
        (pd.DataFrame({"building_id": ["a"], "n_dwellings": [120], "building_year": ["ca. 1970"]}), "building_year"),
    ],
)
def test_bad_building_tables_name_the_column(demo, frame, column):
    geo = gpd.GeoDataFrame(frame, geometry=[Point(121000, 487000)] * len(frame), crs="EPSG:28992")
    with pytest.raises(InputError) as err:
        discover_candidates(geo, **_areas(demo))
    assert err.value.problems[0].column == column
    assert err.value.problems[0].fix


def test_long_criteria_table_explains_an_unknown_dwelling_count(demo):
    """An estimated (not counted) size is unknown, with a Dutch sentence saying what to add."""
    p = _inside(demo, 2)
    buildings = gpd.GeoDataFrame(
        {
            "building_id": ["EST", "CNT"],
            "n_dwellings": pd.array([pd.NA, 150], dtype="Int64"),
            "n_dwellings_estimate": [180.0, np.nan],
        },
        geometry=p,
        crs="EPSG:28992",
    )
    d = discover_candidates(buildings, **_areas(demo))
    crit = d.screening.criteria
    size = crit[crit["criterion"] == "size"].set_index("candidate_id")
    assert size.loc["EST", "status"] == "unknown"
    assert size.loc["EST", "reason"].startswith("Aantal woningen onbekend")
    assert "BAG" in size.loc["EST", "reason"]
    assert size.loc["CNT", "status"] == "pass" and size.loc["CNT", "reason"].startswith("De flat heeft 150 woningen")
    assert crit["reason"].notna().all()


def test_text_figures_in_plain_digits_are_read_and_empty_cells_are_unknown(demo):
    p = _inside(demo, 3)
    buildings = gpd.GeoDataFrame(
        {"building_id": ["A", "B", "C"], "n_dwellings": ["140", " ", None], "building_year": ["1969", "", None]},
        geometry=p,
        crs="EPSG:28992",
    )
    d = discover_candidates(buildings, **_areas(demo))
    got = d.buildings.set_index("building_id")
    assert got.loc["A", "n_dwellings"] == 140 and got.loc["A", "building_year"] == 1969
    assert pd.isna(got.loc["B", "n_dwellings"]) and got.loc["B", "discovery"] == "no_dwellings"
    assert pd.isna(got.loc["C", "building_year"])


def test_written_tables_are_dutch_and_leave_no_building_out(demo, tmp_path):
    from llt_geo.labels import LET_OP, is_dutch_header
    from llt_geo.present.discovery import write_discovery

    p = _inside(demo, 3)
    buildings = gpd.GeoDataFrame(
        {
            "building_id": ["A", "B", "C"],
            "n_dwellings": pd.array([150, 20, pd.NA], dtype="Int64"),
            "n_dwellings_estimate": [np.nan, np.nan, 130.0],
            "owner": ["Ymere", "Ymere", None],
        },
        geometry=p,
        crs="EPSG:28992",
    )
    found = discover_candidates(buildings, **_areas(demo))
    names = write_discovery(found, tmp_path, label=demo.output_label)
    assert names == ["ontdekking_gebouwen.csv", "ontdekking_kandidaten.csv", "ontdekking_criteria.csv"]
    for name in names:
        raw = (tmp_path / name).read_bytes()
        assert raw.startswith("\ufeff".encode())
        table = pd.read_csv(tmp_path / name, sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
        assert [h for h in table.columns if not is_dutch_header(h)] == [], name
        assert table.columns[0] == LET_OP and (table[LET_OP] == "FICTIEVE DEMODATA").all()
    every = pd.read_csv(tmp_path / names[0], sep=";", encoding="utf-8-sig", dtype=str)
    assert len(every) == 3
    assert set(every.iloc[:, 1]) == {"A", "B", "C"}
    assert "te klein (minder woningen dan de ondergrens)" in set(every.iloc[:, 8])
    # the same input writes the same bytes
    again = tmp_path / "again"
    write_discovery(found, again, label=demo.output_label)
    for name in names:
        assert (again / name).read_bytes() == (tmp_path / name).read_bytes()


def test_discover_command_on_the_real_bag_and_3d_tiles(real_dir, tmp_path, capsys):
    from llt_geo.cli import main

    out = tmp_path / "o"
    args = ["discover", str(DEMO), "--bag", str(real_dir / "amsterdam-bag-uva2-testset-2015"),
            "--tiles", str(real_dir / "3damsterdam-bag-panden-tiles"), "--no-register", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    text = capsys.readouterr().out
    # the six tiles hold 291 panden (SOURCES.md); every one comes back, with what became of it
    assert "291 buildings" in text and "FICTIEVE DEMODATA" in text
    every = pd.read_csv(out / "ontdekking_gebouwen.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert len(every) == 291
    outcome = every["uitkomst ontdekking"].value_counts()
    assert outcome.sum() == 291 and outcome[DISCOVERY_NL["no_dwellings"]] > 0
    cands = pd.read_csv(out / "ontdekking_kandidaten.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert len(cands) == int(outcome.get(DISCOVERY_NL["candidate"], 0))
    assert (out / "kaart_ontdekking.html").exists()
    first = (out / "ontdekking_gebouwen.csv").read_bytes()
    assert main([*args[:-1], str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "ontdekking_gebouwen.csv").read_bytes() == first


def test_discover_command_without_building_data_says_what_to_give(tmp_path, capsys):
    from llt_geo.cli import main

    assert main(["discover", str(DEMO), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "no building data given" in err and "--bag" in err and "Traceback" not in err
