"""Pedestrian edge lists (GeoPackage) and the accessible walking distance (issue 11, items 1 and 2).

The hand-made network (RD offsets left out; every length worked out by hand)::

            S (60, 80)
           /  \\            A-S and S-B: 100 m each (60-80-100 triangles), 1.20 m wide;
          /    \\           S-B is a crossing with a 0.04 m curb
    F -- A ------ B -- G    A-B: 120 m, only 0.60 m wide (too narrow for a rollator)
          \\    /           A-Q and Q-B: 65 m each (25-60-65), 1.50 m wide;
           Q (60, -25)      Q-B is a crossing with a 0.08 m curb (too high)

The flat F lies 10 m west of A, the target G 10 m east of B. Walking: 10 + 120 + 10 = 140 m.
With a rollator (width >= 0.90 m, curb <= 0.04 m) A-B and Q-B are out: 10 + 100 + 100 + 10 =
220 m, a detour of 80 m. Allowing 0.08 m curbs opens A-Q-B: 10 + 65 + 65 + 10 = 150 m.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from llt_geo.errors import InputError
from llt_geo.io.network import (
    ACCESS_DEFAULTS,
    AccessRules,
    read_graphml,
    read_network_gpkg,
    read_walking_network,
)
from llt_geo.proximity import amenity_reach
from llt_geo.walking import accessible_distances, accessible_wide

X0, Y0 = 120000.0, 485000.0
NODES = {"A": (0, 0), "B": (120, 0), "Q": (60, -25), "S": (60, 80), "T": (60, -45)}
NAN = float("nan")


def edge(a: str, b: str, width: float, *, crossing: bool = False, curb: float = NAN, kind: str = "walk") -> dict:
    (xa, ya), (xb, yb) = NODES[a], NODES[b]
    line = shapely.LineString([(X0 + xa, Y0 + ya), (X0 + xb, Y0 + yb)])
    return {
        "path_type": kind,
        "length": round(line.length, 2),
        "obstacle_free_width_float": width,
        "crossing": "Yes" if crossing else "No",
        "curb_height_max": curb,
        "public_transport_stop": "No",
        "stop_name": None,
        "geometry": line,
    }


def base_edges() -> list[dict]:
    return [
        edge("A", "B", 0.60),
        edge("A", "Q", 1.50),
        edge("Q", "B", 1.50, crossing=True, curb=0.08),
        edge("A", "S", 1.20),
        edge("S", "B", 1.20, crossing=True, curb=0.04),
    ]


def write_network(path: Path, rows: list[dict]) -> Path:
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:28992")
    frame.to_file(path, layer="osdpm_map", driver="GPKG")
    return path


def points(*xy: tuple[float, float]) -> gpd.GeoSeries:
    return gpd.GeoSeries(gpd.points_from_xy([X0 + x for x, _ in xy], [Y0 + y for _, y in xy]), crs="EPSG:28992")


FLAT = (-10, 0)
TARGET = (130, 0)


def target_frame(*xy: tuple[float, float], kind: str = "huisarts") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"kind": [kind] * len(xy)}, geometry=points(*xy), crs="EPSG:28992")


@pytest.fixture
def hand_network(tmp_path: Path):
    return read_network_gpkg(write_network(tmp_path / "hand.gpkg", base_edges()))


def test_narrow_sidewalk_forces_the_detour_worked_out_by_hand(hand_network) -> None:
    net, report = hand_network
    assert report.balanced and report.edges == 5 and report.reported == 0
    got = accessible_distances(points(FLAT), target_frame(TARGET), net).iloc[0]
    assert got["walk_m"] == 140.0
    assert got["access_m"] == 220.0
    assert got["access_verified_m"] == 220.0 and got["access_lower_m"] == 220.0
    assert got["detour_m"] == 80.0
    assert got["status"] == "known" and got["reason"] == ""
    assert got["kind"] == "huisarts" and got["access_target"] == "0"


def test_the_rules_are_configurable(hand_network) -> None:
    net, _ = hand_network
    flat, target = points(FLAT), target_frame(TARGET)
    narrow_ok = accessible_distances(flat, target, net, rules=AccessRules(min_width_m=0.5)).iloc[0]
    assert narrow_ok["access_m"] == 140.0 and narrow_ok["detour_m"] == 0.0
    high_curb_ok = accessible_distances(flat, target, net, rules=AccessRules(max_curb_m=0.08)).iloc[0]
    assert high_curb_ok["access_m"] == 150.0
    strict = accessible_distances(flat, target, net, rules=AccessRules(max_curb_m=0.02)).iloc[0]
    assert strict["status"] == "unreachable" and np.isnan(strict["access_m"])
    assert "die met rollator of rolstoel te gebruiken is" in strict["reason"] and strict["walk_m"] == 140.0
    assert AccessRules(min_width_m=0.90, max_curb_m=0.04) == ACCESS_DEFAULTS


def test_unknown_width_gives_bounds_never_a_figure(tmp_path: Path) -> None:
    rows = [*base_edges(), edge("A", "T", NAN), edge("T", "B", 1.50)]  # 75 + 75 m, A-T of unknown width
    net, report = read_network_gpkg(write_network(tmp_path / "n.gpkg", rows))
    assert any("no obstacle-free width" in p.message for p in report.problems)
    assert net.usable().isna().sum() == 1
    got = accessible_distances(points(FLAT), target_frame(TARGET), net).iloc[0]
    assert got["walk_m"] == 140.0
    assert np.isnan(got["access_m"]) and got["status"] == "unknown"
    assert got["access_lower_m"] == 170.0 and got["access_verified_m"] == 220.0
    assert "tussen 170 m en 220 m" in got["reason"]


def test_unreadable_width_is_unknown_and_reported(tmp_path: Path) -> None:
    rows = base_edges()
    for row in rows:
        row["obstacle_free_width_float"] = str(row["obstacle_free_width_float"])
    rows[3]["obstacle_free_width_float"] = "1,20"  # a decimal comma in a text column
    net, report = read_network_gpkg(write_network(tmp_path / "n.gpkg", rows))
    problem = next(p for p in report.problems if "not a length in metres" in p.message)
    assert problem.column == "obstacle_free_width_float" and problem.rows == (4,) and problem.values == ("1,20",)
    got = accessible_distances(points(FLAT), target_frame(TARGET), net).iloc[0]
    assert got["status"] == "unknown" and got["access_lower_m"] == 220.0 and np.isnan(got["access_verified_m"])


def test_crossing_without_curb_height_is_unknown(tmp_path: Path) -> None:
    rows = base_edges()
    rows[2] = edge("Q", "B", 1.50, crossing=True)  # curb height not recorded
    net, report = read_network_gpkg(write_network(tmp_path / "n.gpkg", rows))
    assert any("1 crossings have no curb height" in p.message for p in report.problems)
    got = accessible_distances(points(FLAT), target_frame(TARGET), net).iloc[0]
    assert got["status"] == "unknown" and got["access_lower_m"] == 150.0 and got["access_verified_m"] == 220.0


def test_outside_the_network_is_unknown_with_a_reason(hand_network) -> None:
    net, _ = hand_network
    got = accessible_distances(points(FLAT, (5000, 5000)), target_frame(TARGET), net)
    assert got["status"].tolist() == ["known", "unknown"]
    far = got.iloc[1]
    assert np.isnan(far["walk_m"]) and np.isnan(far["access_m"])
    assert "buiten het gebied van het netwerk" in far["reason"] and "meer dan 100 m" in far["reason"]


def test_a_nearer_target_outside_the_area_makes_it_unknown(hand_network) -> None:
    net, _ = hand_network
    # a second target 158 m from the flat and 139 m from the nearest node (S): outside the network's area, and
    # nearer in a straight line than the 220 m accessible route, so that route may not be the nearest
    targets = target_frame(TARGET, (-60, 150))
    got = accessible_distances(points(FLAT), targets, net).iloc[0]
    assert got["walk_m"] == 140.0  # the outside one is 158 m away: it cannot beat 140 m
    assert got["status"] == "unknown" and np.isnan(got["access_m"])
    assert "buiten het gebied van het netwerk ligt hemelsbreed op 158 m" in got["reason"]


def test_kinds_sites_and_no_target(hand_network) -> None:
    net, _ = hand_network
    amenities = pd.concat([target_frame(TARGET), target_frame((5000, 0), kind="apotheek")])
    got = accessible_distances(points(FLAT), amenities, net, kinds=["huisarts", "apotheek", "supermarkt"])
    assert got["kind"].tolist() == ["huisarts", "apotheek", "supermarkt"]
    assert got["status"].tolist() == ["known", "unknown", "unknown"]
    assert got.loc[1, "reason"] == "geen apotheek binnen het gebied van het netwerk"
    sites = gpd.GeoDataFrame({"site_id": ["S1"]}, geometry=points(TARGET), crs="EPSG:28992")
    got = accessible_distances(points(FLAT), sites, net, kind_column=None, id_column="site_id").iloc[0]
    assert got["kind"] == "intramural_site" and got["access_target"] == "S1" and got["access_m"] == 220.0


def test_wide_table_and_area_for_screening_and_map(hand_network) -> None:
    net, _ = hand_network
    amenities = pd.concat([target_frame(TARGET), target_frame(TARGET, kind="apotheek")])
    flats = points(FLAT, (5000, 5000))
    flats.index = ["F1", "F2"]
    wide = accessible_wide(accessible_distances(flats, amenities, net))
    assert list(wide.index) == ["F1", "F2"]
    assert list(wide.columns[:4]) == [
        "apotheek_walk_m",
        "apotheek_access_m",
        "apotheek_access_status",
        "apotheek_access_reason",
    ]
    assert wide.loc["F1", "huisarts_access_m"] == 220.0 and wide.loc["F2", "huisarts_access_status"] == "unknown"
    area = net.area()
    assert area.contains(shapely.Point(X0 - 10, Y0)) and not area.contains(shapely.Point(X0 + 5000, Y0 + 5000))


def test_every_feature_is_accounted_for(tmp_path: Path) -> None:
    stop = {
        "path_type": None,
        "length": None,
        "obstacle_free_width_float": None,
        "crossing": "No",
        "curb_height_max": None,
        "public_transport_stop": "Yes",
        "stop_name": "Halte",
        "geometry": shapely.LineString([(X0 + 5, Y0 + 5), (X0 + 5, Y0 + 5)]),
    }
    loop = edge("A", "A", 1.5)
    repeat = edge("A", "S", 1.2)
    repeat["length"] = 101.0
    nameless = {**edge("A", "B", 1.0), "path_type": None}
    rows = [*base_edges(), stop, loop, repeat, nameless]
    net, report = read_network_gpkg(write_network(tmp_path / "n.gpkg", rows))
    assert (report.read, report.edges, report.stops, report.reported) == (9, 5, 1, 3)
    assert report.balanced and report.row_count.balanced
    assert report.not_mapped.set_index("feature")["reason"].to_dict() == {
        7: "both ends on one node (a loop; adds nothing to a route)",
        8: "repeats another edge between the same nodes",
        9: "no path_type (neither an edge nor a public-transport stop)",
    }
    assert net.stops["stop_name"].tolist() == ["Halte"]
    # the repeat is left out, the shorter edge stays: the detour is still 220 m
    assert accessible_distances(points(FLAT), target_frame(TARGET), net).iloc[0]["access_m"] == 220.0


def test_bad_input_names_file_column_and_fix(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame([edge("A", "B", 1.0)], geometry="geometry", crs="EPSG:28992").drop(columns="path_type")
    path = tmp_path / "no_type.gpkg"
    frame.to_file(path, layer="edges", driver="GPKG")
    with pytest.raises(InputError) as err:
        read_network_gpkg(path)
    text = str(err.value)
    assert "no_type.gpkg:edges" in text and "path_type" in text and "Fix:" in text
    bad = tmp_path / "not.gpkg"
    bad.write_text("not a geopackage", encoding="utf-8")
    with pytest.raises(InputError, match="not.gpkg"):
        read_network_gpkg(bad)
    with pytest.raises(InputError, match="look like centimetres"):
        AccessRules(min_width_m=90)
    with pytest.raises(InputError, match="EPSG:28992"):
        net = read_network_gpkg(write_network(tmp_path / "ok.gpkg", base_edges()))[0]
        accessible_distances(points(FLAT).to_crs(4326), target_frame(TARGET), net)


def test_plain_network_is_a_walking_network_for_screening(hand_network, tmp_path: Path) -> None:
    net, _ = hand_network
    walking = read_walking_network(tmp_path / "hand.gpkg")
    assert walking.node_xy.shape == (4, 2)  # A, B, Q, S
    d, i = walking.distance_to_nearest(np.array([[X0 - 10, Y0]]), np.array([[X0 + 130, Y0]]))
    assert d[0] == pytest.approx(140.0) and i[0] == 0
    reach = amenity_reach(points(FLAT), target_frame(TARGET), radius_m=500, kinds=["huisarts"], network=walking)
    assert reach.loc[0, "dist_huisarts_m"] == 140.0


def test_graphml_network_has_no_accessibility_data(tmp_path: Path) -> None:
    path = tmp_path / "walk.graphml"
    nodes = "".join(
        f'<node id="{n}"><data key="x">{X0 + x}</data><data key="y">{Y0 + y}</data></node>'
        for n, (x, y) in NODES.items()
        if n in "AB"
    )
    path.write_text(
        '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="crs" for="graph" attr.name="crs" attr.type="string"/>'
        '<key id="x" for="node" attr.name="x" attr.type="string"/>'
        '<key id="y" for="node" attr.name="y" attr.type="string"/>'
        '<key id="len" for="edge" attr.name="length" attr.type="string"/>'
        f'<graph edgedefault="undirected"><data key="crs">epsg:28992</data>{nodes}'
        '<edge source="A" target="B"><data key="len">120</data></edge></graph></graphml>',
        encoding="utf-8",
    )
    got = accessible_distances(points(FLAT), target_frame(TARGET), read_graphml(path)).iloc[0]
    assert got["walk_m"] == 140.0 and np.isnan(got["access_m"]) and got["status"] == "unknown"
    assert "geen stoepbreedtes of stoeprandhoogtes" in got["reason"]
    assert got["access_lower_m"] == 140.0


REAL_NETWORK = "crc2025-osdorp-midden-netwerk/osdpm_map.gpkg"


@pytest.mark.real
def test_real_osdorp_midden_network(real_dir: Path) -> None:
    net, report = read_network_gpkg(real_dir / REAL_NETWORK)
    # SOURCES.md: 14,114 features, 14,084 edges (12,039 walk, 915 bike, 1,130 connections), 30 stops
    assert report.read == 14114 and report.stops == 30 and report.balanced
    assert report.edges + report.reported == 14084
    assert report.edges == 14028 and report.reported == 56  # 53 loops, 3 repeats: each named
    assert report.not_mapped["reason"].value_counts().to_dict() == {
        "both ends on one node (a loop; adds nothing to a route)": 53,
        "repeats another edge between the same nodes": 3,
    }
    assert len(net.node_xy) == 8955
    assert net.edges["path_type"].value_counts().to_dict() == {"walk": 11986, "walk_bike_connection": 1127, "bike": 915}
    walk = net.edges[net.edges["path_type"] == "walk"]
    assert walk["length_m"].sum() == pytest.approx(82_700, rel=0.01)  # 82.7 km of walk edges, less loops
    assert net.edges["width_m"].between(0.4, 3.15).all()
    assert set(net.edges["curb_m"].dropna().unique()) == {0.04, 0.06, 0.08}
    assert (net.stops["wheelchair_accessible"] == "Yes").sum() == 10

    # flats: the midpoints of every 50th walking edge; targets: the 30 public-transport stops
    mids = shapely.line_interpolate_point(
        shapely.linestrings(np.stack([net.node_xy[walk["u"].to_numpy()], net.node_xy[walk["v"].to_numpy()]], axis=1)),
        0.5,
        normalized=True,
    )[::50]
    flats = gpd.GeoSeries(mids, crs="EPSG:28992")
    stops = net.stops.assign(kind="ov_halte")
    got = accessible_distances(flats, stops, net)
    assert len(got) == len(flats) == 240
    counts = got["status"].value_counts().to_dict()
    assert sum(counts.values()) == len(flats) and set(counts) <= {"known", "unknown", "unreachable"}
    assert got["reason"].eq("").eq(got["status"].eq("known")).all()  # a reason exactly where not known
    straight = flats.distance(shapely.MultiPoint(stops.geometry.to_numpy())).to_numpy()
    walked = got["walk_m"].notna().to_numpy()
    assert walked.mean() > 0.8  # most of the neighbourhood reaches a stop over the network
    assert (got["walk_m"].to_numpy()[walked] >= straight[walked] - 0.1).all()  # never shorter than a straight line
    assert got["walk_m"].max() < 2500  # Osdorp-Midden is about 1.1 x 2 km
    known = got["status"].eq("known").to_numpy()
    assert known.any()
    assert (got["access_m"].to_numpy()[known] >= got["walk_m"].to_numpy()[known] - 0.1).all()
    both = got["access_verified_m"].notna() & got["access_lower_m"].notna()
    assert (got.loc[both, "access_verified_m"] >= got.loc[both, "access_lower_m"] - 0.1).all()
    # lenient curbs (0.08 m, every curb in the file) leave only widths and unknown curbs in the way
    lenient = accessible_distances(flats, stops, net, rules=AccessRules(max_curb_m=0.08))
    assert lenient["status"].eq("known").sum() > counts.get("known", 0)


def test_no_usable_route_known_gives_bounds_not_a_garbled_sentence(tmp_path: Path) -> None:
    """Only edges of unknown width lead around the narrow one, and a target of the same kind lies
    outside the network's area: the reason gives the bounds ("tussen 220 m en onbegrensd"), not a
    comparison with a route that does not exist."""
    rows = [edge("A", "B", 0.60), edge("A", "S", NAN), edge("S", "B", NAN, crossing=True, curb=NAN)]
    net, _ = read_network_gpkg(write_network(tmp_path / "unknown.gpkg", rows))
    got = accessible_distances(points(FLAT), target_frame(TARGET, (300, 300)), net).iloc[0]
    assert got["walk_m"] == 140.0 and np.isnan(got["access_m"]) and got["status"] == "unknown"
    assert got["reason"].startswith("de route hangt af van paden waarvan de breedte of de stoeprandhoogte onbekend")
    assert "tussen 220 m en onbegrensd" in got["reason"]
    assert "geen route van" not in got["reason"] and "de geen route" not in got["reason"]


def test_graphml_with_both_directions_and_parallel_edges_keeps_the_shortest_length(tmp_path: Path) -> None:
    """OSMnx saves a MultiDiGraph: every street twice (a->b and b->a), sometimes with parallel edges.
    Each pair of nodes gets the shortest of its lengths, never their sum."""
    from llt_geo.proximity import nearest_site

    from .test_screening import GRAPHML  # a-b-c-d, 100 m each, in RD

    # the same streets also stored the other way round, one of them longer (a parallel edge)
    extra = (
        '<edge source="b" target="a"><data key="d3">100</data></edge>\n    '
        '<edge source="c" target="b"><data key="d3">150</data></edge>\n  </graph>'
    )
    text = GRAPHML.replace("</graph>", extra)
    (tmp_path / "multi.graphml").write_text(text)
    net = read_graphml(tmp_path / "multi.graphml")
    assert net.matrix.nnz == 6  # three streets, each stored once per direction
    sites = gpd.GeoDataFrame({"site_id": ["S1"], "provider_id": ["P1"]}, geometry=points((100, 0)), crs="EPSG:28992")
    got = nearest_site(points((0, 0)), sites, network=net)["site_distance_m"].tolist()
    assert got == [300.0]  # a-b-c-d: 100 + 100 + 100, not 200 + 250 + 100
