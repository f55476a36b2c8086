"""The accessible walking distance in the screening, its CSV and its map (issue 11, item 2).

The hand-made network of ``tests/test_walking.py`` (every length worked out there): the flat F
lies 10 m west of A, the intramural site G 10 m east of B. Walking: 10 + 120 + 10 = 140 m; the
120 m A-B sidewalk is 0.60 m wide, too narrow for a rollator, so the accessible route goes round
by S: 10 + 100 + 100 + 10 = 220 m.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

import llt_geo
from llt_geo import Results
from llt_geo.errors import InputError
from llt_geo.pipeline import wijk_ageing as _ageing
from llt_geo.screening import screen

from .conftest import DEMO
from .test_walking import X0, Y0, base_edges, write_network


@pytest.fixture
def demo_with_hand_flat():
    """The demo with its first flat moved to F and its first intramural site to G."""
    ds = llt_geo.load_dataset(DEMO)
    flats = ds.flats.copy()
    flats.loc[flats.index[0], "geometry"] = Point(X0 - 10, Y0)
    sites = ds.intramural_sites.copy()
    sites.loc[sites.index[0], "geometry"] = Point(X0 + 130, Y0)
    ds.flats, ds.intramural_sites = flats, sites
    return ds


def test_the_detour_worked_out_by_hand_is_in_the_screening(tmp_path, demo_with_hand_flat):
    ds = demo_with_hand_flat
    net = write_network(tmp_path / "hand.gpkg", base_edges())
    result = screen(ds, network=net)
    flats = result.flats.set_index("flat_id")
    f = flats.loc[ds.flats["flat_id"].iloc[0]]
    assert f["site_distance_m"] == pytest.approx(140.0, abs=0.05)  # the plain walk, over the network
    assert f["access_intramural_site_m"] == 220.0
    assert f["access_intramural_site_status"] == "bekend" and pd.isna(f["access_intramural_site_reason"])
    # no amenity of any kind lies inside this small network: unknown, with the reason, never 0 or a pass
    assert f["access_supermarkt_status"] == "onbekend"
    assert f["access_supermarkt_reason"] == "geen supermarkt binnen het gebied van het netwerk"
    # every other flat lies outside the network's area: unknown, with the reason
    others = flats.drop(index=f.name)
    assert others["access_intramural_site_m"].isna().all()
    assert (others["access_intramural_site_status"] == "onbekend").all()
    assert others["access_intramural_site_reason"].str.startswith("buiten het gebied van het netwerk").all()
    assert result.network_area.contains(Point(X0 - 10, Y0))
    assert (
        "0,90 m" in result.access_note and "4 cm" in result.access_note and "1 van de 150 flats" in result.access_note
    )


def test_stricter_rules_close_the_detour(tmp_path, demo_with_hand_flat):
    from llt_geo.io.network import AccessRules

    net = write_network(tmp_path / "hand.gpkg", base_edges())
    result = screen(demo_with_hand_flat, network=net, access_rules=AccessRules(max_curb_m=0.02))
    f = result.flats.set_index("flat_id").loc[demo_with_hand_flat.flats["flat_id"].iloc[0]]
    assert np.isnan(f["access_intramural_site_m"]) and f["access_intramural_site_status"] == "onbereikbaar"
    assert "stoeprand hoogstens 0,02 m" in f["access_intramural_site_reason"]


def test_without_a_network_or_with_graphml_there_are_no_accessible_columns(tmp_path):
    ds = llt_geo.load_dataset(DEMO)
    plain = screen(ds)
    assert not [c for c in plain.flats.columns if c.startswith("access_")]
    assert plain.network_area is None and plain.access_note == ""
    with pytest.raises(InputError, match="GraphML"):
        screen(ds, network=tmp_path / "net.shp")


def test_map_and_csv_show_both_distances(tmp_path, demo_with_hand_flat):
    from llt_geo.labels import is_dutch_header
    from llt_geo.present.export import write_csv
    from llt_geo.present.maps import save_map, screening_map

    net = write_network(tmp_path / "hand.gpkg", base_edges())
    result = screen(demo_with_hand_flat, network=net)
    results = Results(result, wijk_ageing=_ageing(demo_with_hand_flat))
    save_map(screening_map(demo_with_hand_flat, results), tmp_path / "kaart.html")
    page = (tmp_path / "kaart.html").read_text(encoding="utf-8")
    assert "Looppadennetwerk (gebied met toegankelijke loopafstand)" in page
    assert "Toegankelijk (rollator, rolstoel)" in page and "220 m" in page
    write_csv(result.flats, tmp_path / "toets_flats.csv", label=demo_with_hand_flat.output_label)
    table = pd.read_csv(tmp_path / "toets_flats.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert [h for h in table.columns if not is_dutch_header(h)] == []
    assert "220" in set(table["intramurale locatie: toegankelijke loopafstand (m)"].dropna())  # whole metres


def test_runs_on_the_real_osdorp_midden_network(real_dir):
    ds = llt_geo.load_dataset(DEMO)
    path = real_dir / "crc2025-osdorp-midden-netwerk" / "osdpm_map.gpkg"
    # a few fictional flats placed on the real network, beside the demo's own
    from llt_geo.io.network import read_network_gpkg

    edges, _ = read_network_gpkg(path)
    nodes = edges.node_xy[np.linspace(0, len(edges.node_xy) - 1, 12).astype(int)]
    extra = ds.flats.iloc[:12].copy()
    extra["flat_id"] = [f"OSD-{i:02d}" for i in range(12)]
    extra["group_id"] = pd.NA
    extra = extra.set_geometry(gpd.points_from_xy(nodes[:, 0] + 5, nodes[:, 1] + 5, crs=ds.flats.crs))
    ds.flats = pd.concat([ds.flats, extra], ignore_index=True)
    result = screen(ds, network=path)
    flats = result.flats
    inside = flats.geometry.within(result.network_area).to_numpy()
    assert inside.sum() >= 12
    # outside the network's area every accessible distance is unknown, with the reason
    for kind in ("intramural_site", "supermarkt", "ov_halte"):
        out = flats.loc[~inside, f"access_{kind}_status"]
        assert (out == "onbekend").all()
    # inside: where known, the accessible route is never shorter than the plain walk
    known = inside & (flats["access_intramural_site_status"] == "bekend").to_numpy()
    acc = flats.loc[known, "access_intramural_site_m"].to_numpy(float)
    plain = flats.loc[known, "site_distance_m"].to_numpy(float)
    assert (acc >= plain - 1.0).all()
    statuses = set(flats.loc[inside, "access_intramural_site_status"])
    assert statuses <= {"bekend", "onbekend", "onbereikbaar"}
    assert flats.loc[inside, "access_intramural_site_reason"].isna().sum() == known.sum()
