"""The overview map (structure and determinism) and the main command."""

import pytest

from llt_geo import load_demo
from llt_geo.cli import main
from llt_geo.maps import overview_map


@pytest.fixture(scope="module")
def demo():
    return load_demo()


def _children(m):
    return list(m.to_dict()["children"].values())


def test_overview_map_has_a_layer_per_theme(demo):
    m = overview_map(demo)
    html = m.get_root().render()
    for name in (
        "Stadsdelen",
        "Wijken (aandeel 65+)",
        "Focusgebieden (masterplan)",
        "Flats: gerealiseerd (21)",
        "Flats: kandidaat (129)",
        "Intramurale locaties (40)",
    ):
        assert name in html, name
    assert "FICTIEVE DEMODATA" in html
    markers = sum(
        1
        for c in _children(m)
        if c["name"] == "FeatureGroup"
        for g in c["children"].values()
        if g["name"] == "CircleMarker"
    )
    assert markers == len(demo.flats)


def test_overview_map_html_is_deterministic(demo):
    a = overview_map(demo).get_root().render()
    b = overview_map(demo).get_root().render()
    assert a == b
    import re

    assert not re.search(r"_[0-9a-f]{32}", a)  # no random folium ids left


def test_map_draws_in_wgs84_and_leaves_the_dataset_in_rd(demo):
    before = demo.flats.geometry.iloc[0]
    html = overview_map(demo).get_root().render()
    assert demo.flats.crs.to_epsg() == 28992 and demo.flats.geometry.iloc[0].equals(before)
    assert "[52." in html  # lat first, in degrees


def test_run_writes_the_main_outputs_and_is_deterministic(tmp_path, capsys):
    from .conftest import DEMO

    assert main(["run", str(DEMO), "--out", str(tmp_path / "a")]) == 0
    assert main(["run", str(DEMO), "--out", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    for name in ("validatie.txt", "overzicht_tabellen.csv", "kaart_overzicht.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_run_on_bad_data_exits_1_without_traceback(tmp_path, capsys):
    from .conftest import make_dataset

    folder = make_dataset(tmp_path / "d", drop=("flats",))
    assert main(["run", str(folder), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "the flats table is missing" in err and "Traceback" not in err


def test_screening_map_colours_flats_and_holds_the_criteria_table(demo):
    from llt_geo.maps import screening_map
    from llt_geo.screening import screen

    result = screen(demo)
    m = screening_map(demo, result)
    html = m.get_root().render()
    counts = result.candidates["eligibility"].value_counts()
    assert f"Voldoet ({counts['pass']} kandidaten)" in html
    assert f"Voldoet niet ({counts['fail']} kandidaten)" in html
    assert f"Onbekend (gegevens ontbreken) ({counts['unknown']} kandidaten)" in html
    assert "Minimale omvang (ongeveer 100 woningen)" in html and "bijna" in html
    markers = sum(
        1
        for c in _children(m)
        if c["name"] == "FeatureGroup"
        for g in c["children"].values()
        if g["name"] == "CircleMarker"
    )
    assert markers == len(demo.flats)  # every flat drawn, members of groups included
    assert html == screening_map(demo, screen(demo)).get_root().render()


def test_screen_command_writes_csv_gpkg_and_map_deterministically(tmp_path, capsys):
    import geopandas as gpd
    import pandas as pd
    import pyogrio

    from .conftest import DEMO

    assert main(["screen", str(DEMO), "--out", str(tmp_path / "a")]) == 0
    assert main(["screen", str(DEMO), "--out", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "candidates" in out and "straight-line" in out
    names = ["toets_criteria.csv", "toets_kandidaten.csv", "toets_flats.csv", "toets.gpkg", "kaart_toets.html"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    path = tmp_path / "a" / "toets_criteria.csv"
    assert path.read_text(encoding="utf-8-sig").startswith("# Demodataset") and "FICTIEVE DEMODATA" in path.read_text()
    long = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", comment=None, skiprows=1)
    assert list(long.columns[:5]) == ["candidate_id", "criterion", "criterion_nl", "section", "status"]
    assert set(long["status"]) == {"pass", "fail", "unknown"}
    assert set(long["near_miss"]) == {"ja", "nee"}
    layers = dict(pyogrio.list_layers(tmp_path / "a" / "toets.gpkg"))
    assert layers == {"kandidaten": "Point", "flats": "Point"}
    cands = gpd.read_file(tmp_path / "a" / "toets.gpkg", layer="kandidaten")
    assert cands.crs.to_epsg() == 28992 and len(cands) == len(long) // 7
    meta = pyogrio.read_info(tmp_path / "a" / "toets.gpkg", layer="kandidaten")["layer_metadata"]
    assert "FICTIEVE DEMODATA" in meta["DESCRIPTION"]
