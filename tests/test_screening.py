"""Screening on hand-made fixtures whose answers can be worked out by hand (RD New metres)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from llt_geo import Results, load_dataset
from llt_geo.areas import area_ageing, assign_areas, focus_membership
from llt_geo.eligibility import find_groups
from llt_geo.io.network import read_graphml
from llt_geo.pipeline import wijk_ageing as _ageing
from llt_geo.proximity import amenity_reach, nearest_site, nearest_site_per_provider
from llt_geo.screening import screen

from .conftest import FLAT_HEADER, make_dataset

X0, Y0 = 120000, 485000  # south-west corner of stadsdeel A in the tiny world


def flat(
    fid, n, x, y, *, corp="Corp A", nul=None, soc=None, inv="ja", room="ja", work="ja", group="", status="kandidaat"
):
    nul = n if nul is None else nul
    soc = n if soc is None else soc
    return [fid, fid, corp, n, nul, soc, inv, room, work, group, status, X0 + x, Y0 + y]


def amenities_around(x, y):
    """Three kinds within 100 m of (x, y): passes the default "3 kinds within 500 m"."""
    return [
        ["VS" + str(x), "supermarkt", X0 + x + 60, Y0 + y],
        ["VH" + str(x), "huisarts", X0 + x, Y0 + y + 80],
        ["VA" + str(x), "apotheek", X0 + x - 100, Y0 + y],
    ]


def run(tmp_path, flats, amenities=None, config=""):
    am = amenities if amenities is not None else amenities_around(300, 400)
    folder = make_dataset(
        tmp_path / "d",
        changes={"flats": (FLAT_HEADER, flats), "amenities": (["amenity_id", "kind", "x", "y"], am)},
        config=config,
    )
    return screen(load_dataset(folder))


def status(result, candidate, criterion):
    c = result.criteria
    return c[(c["candidate_id"] == candidate) & (c["criterion"] == criterion)].iloc[0]


# ---- size: exactly at, just under, far under ---------------------------------------------------


def test_size_at_threshold_passes_just_under_is_a_near_miss(tmp_path):
    # far enough apart (> 250 m) not to be grouped
    # 3.1 "ongeveer 100": 95-99 pass as "voldoet (ongeveer)" ([eligibility] dwellings_tolerance = 5);
    # 90-94 are near misses ([eligibility] near_miss_dwellings = 10)
    flats = [flat("F100", 100, 100, 100), flat("F99", 99, 500, 500), flat("F94", 94, 900, 900)]
    flats.append(flat("F85", 85, 700, 100))
    r = run(tmp_path, flats)
    at, about, under, far = (status(r, f, "size") for f in ("F100", "F99", "F94", "F85"))
    assert (at["status"], at["margin"], at["near_miss"]) == ("pass", 0, False)
    assert (about["status"], about["margin"], about["near_miss"]) == ("pass", -1, False)
    assert "voldoet (ongeveer" in about["reason"]
    assert (under["status"], under["margin"], under["near_miss"]) == ("fail", -6, True)
    assert "bijna (1 te weinig; ongeveer 100 telt hier vanaf 95)" in under["reason"]
    assert (far["status"], far["near_miss"]) == ("fail", False)
    assert "te klein (10 te weinig; ongeveer 100 telt hier vanaf 95)" in far["reason"]


def test_thresholds_come_from_the_configuration(tmp_path):
    r = run(tmp_path, [flat("F85", 85, 300, 400)], config="[eligibility]\nmin_dwellings = 80\n")
    assert status(r, "F85", "size")["status"] == "pass"
    assert status(r, "F85", "size")["threshold"] == 80


# ---- unknown is never a pass ---------------------------------------------------------------------


def test_missing_data_is_unknown_and_the_candidate_is_not_eligible(tmp_path):
    r = run(tmp_path, [flat("F1", 120, 300, 400, nul="", inv="")])
    assert status(r, "F1", "nultreden")["status"] == "unknown"
    assert "onbekend" in status(r, "F1", "nultreden")["reason"]
    assert status(r, "F1", "resident_involvement")["status"] == "unknown"
    cand = r.candidates.set_index("candidate_id").loc["F1"]
    assert cand["eligibility"] == "unknown"
    assert cand["n_unknown"] == 2 and cand["n_fail"] == 0
    assert cand["unknown"] == "Seniorenwoningen (nultreden); Betrokkenheid bewoners"


def test_a_failure_outweighs_unknowns(tmp_path):
    r = run(tmp_path, [flat("F1", 120, 300, 400, nul="", room="nee")])
    cand = r.candidates.set_index("candidate_id").loc["F1"]
    assert cand["eligibility"] == "fail"
    assert cand["failed"] == "Ontmoetingsruimte voor bewoners én buurt"


def test_shares_and_their_near_misses(tmp_path):
    # 48 of 100 step-free: 2 points under 50%, within the 5-point near-miss band; 40%: a plain failure
    r = run(tmp_path, [flat("F1", 100, 300, 400, nul=48, soc=40)])
    nul, soc = status(r, "F1", "nultreden"), status(r, "F1", "social_rent")
    assert (nul["status"], nul["value"], nul["near_miss"]) == ("fail", 0.48, True)
    assert (soc["status"], soc["near_miss"]) == ("fail", False)
    assert "48 van de 100 woningen zijn nultredenwoningen (48%)" in nul["reason"]


# ---- grouping ------------------------------------------------------------------------------------


def test_group_reaches_the_minimum_only_together(tmp_path):
    # 60 + 50 dwellings, 200 m apart (< 250 m): one candidate of 110; a third flat 400 m away stays alone
    r = run(tmp_path, [flat("F1", 60, 300, 400), flat("F2", 50, 500, 400), flat("F3", 70, 900, 400)])
    cands = r.candidates.set_index("candidate_id")
    assert set(cands.index) == {"GA-F1", "F3"}
    group = cands.loc["GA-F1"]
    assert (group["n_dwellings"], group["members"], group["group_source"]) == (110, "F1, F2", "afstand")
    assert status(r, "GA-F1", "size")["status"] == "pass"
    assert "De groep heeft samen 110 woningen" in status(r, "GA-F1", "size")["reason"]
    assert status(r, "F3", "size")["status"] == "fail"


def test_no_group_across_corporations_by_default(tmp_path):
    flats = [flat("F1", 60, 300, 400), flat("F2", 50, 500, 400, corp="Corp B")]
    assert set(run(tmp_path, flats).candidates["candidate_id"]) == {"F1", "F2"}
    r = run(tmp_path / "x", flats, config="[grouping]\nsame_corporation = false\n")
    assert set(r.candidates["candidate_id"]) == {"GA-F1"}


def test_group_that_stays_under_the_minimum_is_not_formed(tmp_path):
    r = run(tmp_path, [flat("F1", 40, 300, 400), flat("F2", 30, 450, 400)])
    assert set(r.candidates["candidate_id"]) == {"F1", "F2"}


def test_declared_groups_win_and_a_flat_is_in_at_most_one_group(tmp_path):
    # F1+F2 declared as G1 in the register; F3 lies 100 m from F2 but cannot join: it stays alone
    r = run(
        tmp_path, [flat("F1", 60, 300, 400, group="G1"), flat("F2", 50, 800, 400, group="G1"), flat("F3", 60, 900, 400)]
    )
    cands = r.candidates.set_index("candidate_id")
    assert set(cands.index) == {"G1", "F3"}
    assert cands.loc["G1", "group_source"] == "register" and cands.loc["G1", "n_dwellings"] == 110
    assert r.flats.groupby("flat_id")["candidate_id"].nunique().max() == 1


def test_group_criteria_follow_from_members(tmp_path):
    r = run(
        tmp_path,
        [
            flat("F1", 60, 300, 400, nul=60, room="nee", inv="ja"),
            flat("F2", 50, 500, 400, nul="", room="ja", inv="nee"),
        ],
    )
    assert status(r, "GA-F1", "meeting_room")["status"] == "pass"  # one room serves the group
    assert status(r, "GA-F1", "resident_involvement")["status"] == "fail"  # every member's residents
    assert status(r, "GA-F1", "nultreden")["status"] == "unknown"  # a member's count is unknown


def test_chain_grouping_is_single_linkage():
    flats = gpd.GeoDataFrame(
        {
            "flat_id": ["A", "B", "C", "D"],
            "corporation": ["X"] * 4,
            "n_dwellings": pd.array([30, 30, 30, 30]),
            "group_id": pd.array([None] * 4, dtype="string"),
            "status": ["candidate"] * 4,
        },
        geometry=[Point(0, 0), Point(200, 0), Point(400, 0), Point(1000, 0)],
        crs=28992,
    )
    g = find_groups(flats, min_dwellings=80, max_distance_m=250)
    assert g["candidate_id"].tolist() == ["GA-A", "GA-A", "GA-A", "D"]


# ---- areas ---------------------------------------------------------------------------------------


def test_flat_on_a_stadsdeel_boundary_goes_to_the_lowest_code_and_is_reported(tmp_path):
    r = run(tmp_path, [flat("F1", 120, 1000, 400)])  # x = 121000: the line between A and M
    f = r.flats.set_index("flat_id").loc["F1"]
    assert (f["buurt_code"], f["wijk_code"], f["stadsdeel_code"]) == ("AA01", "AA", "A")
    assert f["on_boundary"] and "op de grens met MA01" in f["area_note"]
    assert any("area boundary" in n.message and "F1" in n.rows for n in r.notes)


def test_outside_every_area_near_or_far():
    areas = gpd.GeoDataFrame({"wijk_code": ["AA"]}, geometry=[box(0, 0, 100, 100)], crs=28992)
    pts = gpd.GeoSeries([Point(110, 50), Point(300, 50)], crs=28992)
    a = assign_areas(pts, buurten=None, wijken=areas, stadsdelen=None, outside_tolerance_m=25)
    assert a["wijk_code"].tolist()[0] == "AA" and pd.isna(a["wijk_code"].iloc[1])
    assert a["outside_areas"].tolist() == [True, True]
    assert "10 m van AA" in a["area_note"].iloc[0] and "onbekend" in a["area_note"].iloc[1]


def test_ageing_threshold_defaults_to_the_city_wide_share():
    wijken = pd.DataFrame(
        {
            "wijk_code": ["AA", "MA", "NA"],
            "residents_total": pd.array([1000, 1000, None]),
            "residents_65plus": pd.array([100, 300, None]),
        }
    )
    a = area_ageing(wijken)
    assert a.loc["AA", "ageing_threshold"] == 0.2  # 400 of 2000
    assert a["ageing"].tolist()[:2] == [False, True]
    assert pd.isna(a.loc["NA", "ageing"])  # no figures: unknown
    assert area_ageing(wijken, threshold=0.05)["ageing"].tolist()[:2] == [True, True]


def test_masterplan_focus_from_data():
    fa = gpd.GeoDataFrame(
        {"focus_id": ["M1", "O1"], "name": ["Masterplan X", "Iets anders"], "kind": ["Masterplan", "wijkaanpak"]},
        geometry=[box(0, 0, 100, 100), box(50, 0, 200, 100)],
        crs=28992,
    )
    pts = gpd.GeoSeries([Point(10, 10), Point(150, 10), Point(500, 500)], crs=28992)
    f = focus_membership(pts, fa)
    assert f["in_masterplan"].tolist() == [True, False, False]
    assert f["focus_names"].tolist() == ["Masterplan X", "Iets anders", ""]
    assert focus_membership(pts, fa.iloc[0:0])["in_masterplan"].isna().all()  # no focus data: unknown


def _screen_with_focus(tmp_path, flats, focus_box, name="Masterplan M"):
    from .conftest import box_wkt

    focus = (["focus_id", "name", "kind", "geometry"], [["MP1", name, "masterplan", box_wkt(*focus_box)]])
    folder = make_dataset(
        tmp_path / "d",
        changes={
            "flats": (FLAT_HEADER, flats),
            "amenities": (["amenity_id", "kind", "x", "y"], amenities_around(300, 400)),
            "focus_areas": focus,
        },
    )
    return screen(load_dataset(folder))


def test_a_flat_on_the_edge_of_a_masterplan_wijk_follows_the_wijk_it_was_assigned_to(tmp_path):
    # x = 121000 is the line between wijk AA and the masterplan wijk MA; the lowest code puts the flat in AA,
    # so it is not in the masterplan area either (shapely's intersects alone says it is)
    on_line = [flat("F1", 120, 1000, 400), flat("F2", 120, 1300, 400)]
    r = _screen_with_focus(tmp_path, on_line, (X0 + 1000, Y0, X0 + 2000, Y0 + 1000))
    f = r.flats.set_index("flat_id")
    assert (f.loc["F1", "wijk_code"], f.loc["F1", "on_boundary"]) == ("AA", True)
    assert f["in_masterplan"].tolist() == [False, True]
    assert f.loc["F1", "focus_names"] == "" and f.loc["F2", "focus_names"] == "Masterplan M"
    assert f["focus_on_edge"].tolist() == [True, False] and not f["focus_edge_unclear"].any()
    assert f.loc["F1", "focus_note"] == (
        "op de rand van focusgebied Masterplan M: telt niet mee, zoals het toegewezen gebied AA01"
    )
    cands = r.candidates.set_index("candidate_id")
    assert cands.loc["F1", "in_masterplan"] == False  # noqa: E712 (a nullable boolean)
    assert not any("edge of a focus area" in n.message for n in r.notes)  # settled: nothing left to report
    # the masterplan area is wijk AA instead: the same flat is in it, as its wijk is
    r = _screen_with_focus(tmp_path / "x", on_line, (X0, Y0, X0 + 1000, Y0 + 1000), name="Masterplan A")
    f = r.flats.set_index("flat_id")
    assert f["in_masterplan"].tolist() == [True, False]
    assert "telt mee, zoals het toegewezen gebied AA01" in f.loc["F1", "focus_note"]


def test_a_focus_edge_through_the_assigned_area_follows_the_larger_part_and_is_reported(tmp_path):
    # the focus area covers the east 60% of buurt MA01; a flat exactly on its west edge lies in MA01
    r = _screen_with_focus(tmp_path, [flat("F1", 120, 1400, 400)], (X0 + 1400, Y0, X0 + 2000, Y0 + 1000))
    f = r.flats.set_index("flat_id").loc["F1"]
    assert (f["buurt_code"], f["in_masterplan"], f["focus_on_edge"], f["focus_edge_unclear"]) == (
        "MA01", True, True, True
    )
    assert "die door het toegewezen gebied MA01 loopt (60% ervan ligt erin): telt mee" in f["focus_note"]
    note = next(n for n in r.notes if "edge of a focus area" in n.message)
    assert note.rows == ("F1",) and note.message.startswith("1 flats lie exactly on the edge")
    # 40% in: not counted, still reported
    r = _screen_with_focus(tmp_path / "x", [flat("F1", 120, 1600, 400)], (X0 + 1600, Y0, X0 + 2000, Y0 + 1000))
    f = r.flats.set_index("flat_id").loc["F1"]
    assert (f["in_masterplan"], f["focus_edge_unclear"]) == (False, True)


def test_focus_edge_without_assigned_areas_counts_as_inside_and_is_unclear():
    fa = gpd.GeoDataFrame({"focus_id": ["M1"], "name": ["M"], "kind": ["masterplan"]},
                          geometry=[box(0, 0, 100, 100)], crs=28992)
    f = focus_membership(gpd.GeoSeries([Point(100, 50), Point(50, 50)], crs=28992), fa)
    assert f["in_masterplan"].tolist() == [True, True]
    assert f["focus_on_edge"].tolist() == [True, False] and f["focus_edge_unclear"].tolist() == [True, False]
    assert "gebied onbekend" in f["focus_note"].iloc[0] and f["focus_note"].iloc[1] == ""


# ---- proximity -----------------------------------------------------------------------------------


def _sites(*rows):
    return gpd.GeoDataFrame(
        {"site_id": [r[0] for r in rows], "provider_id": [r[1] for r in rows]},
        geometry=[Point(r[2], r[3]) for r in rows],
        crs=28992,
    )


def test_nearest_site_on_a_3_4_5_triangle_and_per_provider():
    sites = _sites(("S1", "P1", 3, 4), ("S2", "P2", 6, 8), ("S3", "P2", 30, 40))
    pts = gpd.GeoSeries([Point(0, 0)], crs=28992)
    assert nearest_site(pts, sites).iloc[0].tolist() == [5.0, "S1", "P1"]
    assert nearest_site_per_provider(pts, sites).iloc[0].to_dict() == {"P1": 5.0, "P2": 10.0}


def test_equidistant_sites_break_ties_by_lowest_site_id():
    sites = _sites(("S9", "P1", 3, 4), ("S2", "P2", -3, -4), ("S5", "P3", 4, -3))
    r = nearest_site(gpd.GeoSeries([Point(0, 0)], crs=28992), sites)
    assert r.iloc[0].tolist() == [5.0, "S2", "P2"]


def test_amenities_within_the_walking_radius_by_kind():
    am = gpd.GeoDataFrame(
        {"kind": ["supermarkt", "Supermarkt", "huisarts", "apotheek"]},
        geometry=[Point(300, 400), Point(0, 500), Point(0, 501), Point(0, 100)],
        crs=28992,
    )
    r = amenity_reach(
        gpd.GeoSeries([Point(0, 0)], crs=28992), am, radius_m=500, kinds=["supermarkt", "huisarts", "apotheek"]
    ).iloc[0]
    assert (r["n_supermarkt"], r["n_huisarts"], r["n_apotheek"]) == (2, 0, 1)  # 500 m counts, 501 m does not
    assert (r["dist_huisarts_m"], r["amenity_kinds_within"], r["amenity_kinds_list"]) == (
        501.0,
        2,
        "apotheek, supermarkt",
    )


def test_rd_is_required_for_analysis():
    from llt_geo import InputError

    with pytest.raises(InputError, match="EPSG:28992"):
        nearest_site(gpd.GeoSeries([Point(4.9, 52.4)], crs=4326), _sites(("S1", "P1", 0, 0)))


GRAPHML = """<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="graph" attr.name="crs" attr.type="string"/>
  <key id="d1" for="node" attr.name="x" attr.type="string"/>
  <key id="d2" for="node" attr.name="y" attr.type="string"/>
  <key id="d3" for="edge" attr.name="length" attr.type="string"/>
  <graph edgedefault="directed"><data key="d0">epsg:28992</data>
    <node id="a"><data key="d1">120000</data><data key="d2">485000</data></node>
    <node id="b"><data key="d1">120000</data><data key="d2">485100</data></node>
    <node id="c"><data key="d1">120100</data><data key="d2">485100</data></node>
    <node id="d"><data key="d1">120100</data><data key="d2">485000</data></node>
    <edge source="a" target="b"><data key="d3">100</data></edge>
    <edge source="b" target="c"><data key="d3">100</data></edge>
    <edge source="c" target="d"><data key="d3">100</data></edge>
  </graph>
</graphml>
"""


def test_walking_network_distance_goes_around(tmp_path):
    # a and d are 100 m apart as the crow flies, but the only path is a-b-c-d: 300 m
    path = tmp_path / "net.graphml"
    path.write_text(GRAPHML)
    net = read_graphml(path)
    sites = _sites(("S1", "P1", X0 + 100, Y0))
    pts = gpd.GeoSeries([Point(X0, Y0), Point(X0, Y0 + 100)], crs=28992)
    assert nearest_site(pts, sites)["site_distance_m"].tolist() == [100.0, 141.4]
    assert nearest_site(pts, sites, network=net)["site_distance_m"].tolist() == [300.0, 200.0]
    am = gpd.GeoDataFrame({"kind": ["supermarkt"]}, geometry=[Point(X0 + 100, Y0)], crs=28992)
    reach = amenity_reach(pts, am, radius_m=250, kinds=["supermarkt"], network=net)
    assert reach["amenity_kinds_within"].tolist() == [0, 1]


def test_walking_network_in_another_crs_is_converted_or_refused(tmp_path):
    from llt_geo import InputError

    lonlat = gpd.GeoSeries([Point(X0, Y0), Point(X0, Y0 + 100)], crs=28992).to_crs(32631)
    text = GRAPHML.replace("epsg:28992", "epsg:32631")
    for (x, y), p in zip([(120000, 485000), (120000, 485100)], lonlat, strict=True):
        text = text.replace(f'<data key="d1">{x}</data><data key="d2">{y}</data>',
                            f'<data key="d1">{p.x:.3f}</data><data key="d2">{p.y:.3f}</data>')
    (tmp_path / "utm.graphml").write_text(text)
    net = read_graphml(tmp_path / "utm.graphml")  # UTM 31N, as osmnx.project_graph may give
    assert abs(net.node_xy[0][0] - X0) < 0.5 and abs(net.node_xy[0][1] - Y0) < 0.5
    (tmp_path / "bad.graphml").write_text(GRAPHML.replace("epsg:28992", "epsg:4326"))
    with pytest.raises(InputError, match="outside the Amsterdam region"):
        read_graphml(tmp_path / "bad.graphml")


def test_no_masterplan_kind_means_unknown_and_a_note(tmp_path):
    from .conftest import box_wkt

    fa = gpd.GeoDataFrame({"focus_id": ["Z1"], "name": ["Masterplan Zuidoost"], "kind": ["Masterplan Zuidoost"]},
                          geometry=[box(0, 0, 100, 100)], crs=28992)
    f = focus_membership(gpd.GeoSeries([Point(10, 10)], crs=28992), fa)
    assert f["in_masterplan"].isna().all()
    focus = (["focus_id", "name", "kind", "geometry"],
             [["Z1", "Masterplan Zuidoost", "Masterplan Zuidoost", box_wkt(X0, Y0, X0 + 500, Y0 + 500)]])
    folder = make_dataset(tmp_path / "d", changes={"focus_areas": focus})
    r = screen(load_dataset(folder))
    assert r.flats["in_masterplan"].isna().all()
    assert any("no focus area has kind 'masterplan'" in n.message for n in r.notes)


def test_screen_on_the_demo_is_complete_and_deterministic():
    from llt_geo import load_demo

    ds = load_demo()
    a, b = screen(ds), screen(ds)
    pd.testing.assert_frame_equal(a.criteria, b.criteria)
    assert len(a.criteria) == 7 * len(a.candidates)
    assert set(a.criteria["status"]) == {"pass", "fail", "unknown"}
    assert a.criteria["reason"].notna().all()
    assert a.flats["stadsdeel_code"].notna().all()
    members = a.flats["candidate_id"].value_counts()
    assert (members[members.index.str.startswith("G")] >= 2).all()
    assert np.isclose(a.candidates["n_dwellings"].sum(), ds.flats["n_dwellings"].sum())


def test_a_cluster_larger_than_max_members_is_not_grouped_but_reported():
    # six flats of 30 dwellings 50 m apart in a row: one cluster of 6 > max_members 5
    pts = [Point(50 * i, 0) for i in range(6)] + [Point(5000, 0), Point(5050, 0)]
    flats = gpd.GeoDataFrame(
        {
            "flat_id": [f"F{i}" for i in range(8)],
            "corporation": ["X"] * 8,
            "n_dwellings": pd.array([30] * 8),
            "group_id": pd.array([None] * 8, dtype="string"),
            "status": ["candidate"] * 8,
        },
        geometry=pts,
        crs=28992,
    )
    g = find_groups(flats, min_dwellings=50, max_distance_m=60, max_members=5)
    assert g["crowded"].tolist() == [True] * 6 + [False, False]
    assert g["candidate_id"].tolist() == [f"F{i}" for i in range(6)] + ["GA-F6", "GA-F6"]
    g6 = find_groups(flats, min_dwellings=50, max_distance_m=60, max_members=6)
    assert g6["candidate_id"].tolist()[:6] == ["GA-F0"] * 6 and not g6["crowded"].any()


def test_a_sparse_flat_chained_to_a_dense_one_is_crowded_too():
    # F0 has 5 neighbours within 60 m (dense); F6 is 55 m from F5 only, yet in the same cluster
    pts = [Point(0, 0), Point(10, 0), Point(20, 0), Point(30, 0), Point(40, 0), Point(50, 0), Point(105, 0)]
    flats = gpd.GeoDataFrame(
        {
            "flat_id": [f"F{i}" for i in range(7)],
            "corporation": ["X"] * 7,
            "n_dwellings": pd.array([30] * 7),
            "group_id": pd.array([None] * 7, dtype="string"),
            "status": ["candidate"] * 7,
        },
        geometry=pts,
        crs=28992,
    )
    g = find_groups(flats, min_dwellings=50, max_distance_m=60, max_members=5)
    assert g["crowded"].all() and g["group_id"].isna().all()


def test_a_flat_without_a_name_screens_and_maps(tmp_path):
    from llt_geo.present.maps import screening_map

    r = run(tmp_path, [flat("F1", 120, 300, 400)[:1] + [""] + flat("F1", 120, 300, 400)[2:]])
    ds = load_dataset(tmp_path / "d")
    html = screening_map(ds, Results(r, wijk_ageing=_ageing(ds))).get_root().render()
    assert "F1" in html and "onbekend" in html


def test_five_equidistant_sites_still_give_the_lowest_site_id():
    sites = _sites(("S9", "P1", 5, 0), ("S8", "P1", -5, 0), ("S7", "P2", 0, 5), ("S6", "P2", 0, -5),
                   ("S2", "P3", 3, 4))
    r = nearest_site(gpd.GeoSeries([Point(0, 0)], crs=28992), sites)
    assert r.iloc[0].tolist() == [5.0, "S2", "P3"]


def test_a_flat_without_buurt_boundaries_gets_its_wijk_and_stadsdeel_from_coarser_levels():
    buurten = gpd.GeoDataFrame({"buurt_code": ["AA01"]}, geometry=[box(0, 0, 100, 100)], crs=28992)
    wijken = gpd.GeoDataFrame({"wijk_code": ["AA", "SA"]}, geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)],
                              crs=28992)
    a = assign_areas(gpd.GeoSeries([Point(50, 50), Point(150, 50)], crs=28992), buurten=buurten, wijken=wijken,
                     stadsdelen=None)
    assert a["buurt_code"].tolist()[0] == "AA01" and pd.isna(a["buurt_code"].iloc[1])
    assert a["wijk_code"].tolist() == ["AA", "SA"] and a["stadsdeel_code"].tolist() == ["A", "S"]
    assert a["area_level"].tolist() == ["buurt", "wijk"] and not a["outside_areas"].any()
    assert "niet binnen de buurtgrenzen" in a["area_note"].iloc[1]


def test_a_group_lacks_the_corporations_consent_when_one_member_lacks_it():
    """The corporation's final say holds for a group only when it holds for every member flat (3.2)."""
    from llt_geo import load_demo
    from llt_geo.screening import screen

    result = screen(load_demo())
    flats = result.flats.set_index("flat_id")
    groups = result.candidates[result.candidates["is_group"]]
    refused = 0
    for _, row in groups.iterrows():
        members = flats.loc[[m.strip() for m in row["members"].split(",")], "corporation_consent"].astype("boolean")
        if members.eq(False).any():
            assert not pd.isna(row["corporation_consent"]) and not bool(row["corporation_consent"])
            refused += 1
        elif members.notna().all() and members.eq(True).all():  # (pandas' .all() skips <NA>)
            assert bool(row["corporation_consent"]) is True
        else:
            assert row["corporation_consent"] is pd.NA


def test_a_declared_group_with_one_refusing_member_lacks_consent(tmp_path):
    """One member flat without its corporation's consent: the group lacks it (3.2, the last word)."""
    header = [*FLAT_HEADER, "corporation_consent"]
    rows = [[*flat("F1", 60, 100, 100, group="G1"), "ja"], [*flat("F2", 60, 150, 100, group="G1"), "nee"]]
    folder = make_dataset(tmp_path / "d", changes={"flats": (header, rows)})
    c = screen(load_dataset(folder)).candidates.set_index("candidate_id")
    assert c.loc["G1", "corporation_consent"] is False or not bool(c.loc["G1", "corporation_consent"])
    assert not pd.isna(c.loc["G1", "corporation_consent"])
