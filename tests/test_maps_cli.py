"""The overview map (structure and determinism) and the main command."""

import pytest

from llt_geo import Results, load_demo, run
from llt_geo.cli import main
from llt_geo.pipeline import wijk_ageing as _ageing
from llt_geo.present.maps import overview_map


@pytest.fixture(scope="module")
def demo():
    return load_demo()


def _layer_names(html):
    from .test_maps_offline import _layer_names as names

    return names(html)


def _drawn(html):
    from .test_maps_offline import _drawn as drawn

    return drawn(html)


def _circle_rows(m):
    """The rows of every layer's circles (one row per circle drawn), from the map's structure."""
    import folium

    from llt_geo.present.maps import _Circles

    return [
        row
        for layer in m._children.values()
        if isinstance(layer, folium.FeatureGroup)
        for child in layer._children.values()
        if isinstance(child, _Circles)
        for row in child.rows
    ]


def test_overview_map_has_a_layer_per_theme(demo):
    m = overview_map(demo, run(demo, until="screening"))
    html = m.get_root().render()
    names = _layer_names(html)
    for name in (
        "Stadsdelen (9, met namen)",
        "Wijken: aandeel 65+ (110 wijken)",
        "Focusgebieden masterplan (3)",
        "Groepen van flats (15 groepen van samen 38 flats; elke groep één kandidaat)",
        "Flats: gerealiseerd (21 flats, apart van de open kandidaten)",
        "Flats: kandidaat (129 flats = 106 kandidaten in de toets)",  # a group of flats is one candidate
        "Bijna voldoende: 21 open kandidaten = 24 flats",
        "Intramurale locaties (40)",
        "Voorzieningen (702)",
    ):
        assert name in names, name
    assert "FICTIEVE DEMODATA" in html
    rows = _circle_rows(m)
    assert len(rows) == len(demo.flats) + 24  # every flat once, and a ring around each near miss
    assert sum(serial is not None for _row, serial in rows) == len(demo.flats)  # flats are searched, rings not
    drawn = _drawn(html)
    assert drawn["llt-flat"] == len(demo.flats) and drawn["llt-near-miss"] == 24
    assert "CircleMarker" not in str(m.to_dict())  # no folium element per flat


def test_overview_map_html_is_deterministic(demo):
    a = overview_map(demo, run(demo, until="screening")).get_root().render()
    b = overview_map(demo, run(demo, until="screening")).get_root().render()
    assert a == b
    import re

    assert not re.search(r"_[0-9a-f]{32}", a)  # no random folium ids left


def test_map_draws_in_wgs84_and_leaves_the_dataset_in_rd(demo):
    before = demo.flats.geometry.iloc[0]
    html = overview_map(demo, run(demo, until="screening")).get_root().render()
    assert demo.flats.crs.to_epsg() == 28992 and demo.flats.geometry.iloc[0].equals(before)
    assert "[52." in html  # lat first, in degrees


def test_run_writes_the_main_outputs(demo_pack):
    out, _printed = demo_pack  # two builds byte for byte: tests/test_pack.py
    for name in ("validatie.txt", "overzicht_tabellen.csv", "kaart_overzicht.html"):
        assert (out / name).stat().st_size > 0, name


def test_run_on_bad_data_exits_1_without_traceback(tmp_path, capsys):
    from .conftest import make_dataset

    folder = make_dataset(tmp_path / "d", drop=("flats",))
    assert main(["run", str(folder), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "the flats table is missing" in err and "Traceback" not in err


def test_screening_map_colours_flats_and_holds_the_criteria_table(demo):
    from llt_geo.present.maps import screening_map
    from llt_geo.screening import screen

    result = screen(demo)
    m = screening_map(demo, Results(result, wijk_ageing=_ageing(demo)))
    html = m.get_root().render()
    names = _layer_names(html)
    open_ = result.candidates[result.candidates["open_candidate"]]
    counts = open_["eligibility"].value_counts()
    flats = result.flats.set_index("candidate_id")
    for outcome, label in (("pass", "Voldoet"), ("fail", "Voldoet niet"), ("unknown", "Onbekend (gegevens ontbreken)")):
        ids = open_.loc[open_["eligibility"] == outcome, "candidate_id"]
        n_flats = int(result.flats["candidate_id"].isin(set(ids)).sum())
        assert f"{label} ({counts[outcome]} open kandidaten) — {n_flats} flats" in names
    assert "Gerealiseerd, apart: geen open kandidaat (21 flats)" in names
    assert "Minimale omvang (ongeveer 100 woningen)" in html and "bijna" in html
    from .test_maps_offline import _texts

    popups = [t for t in _texts(html) if "<table class='llt-criteria'>" in t]  # as the browser joins them
    assert len(popups) == len(result.candidates) and all("<th>Criterium<th>" in t for t in popups)
    assert _drawn(html)["llt-flat"] == len(demo.flats)  # every flat drawn, members of groups included
    assert len(flats) == len(demo.flats)
    assert html == screening_map(demo, run(demo, until="screening")).get_root().render()


def test_screen_command_writes_csv_gpkg_and_map_deterministically(tmp_path, capsys):
    import geopandas as gpd
    import pandas as pd
    import pyogrio

    from .conftest import DEMO

    assert main(["screen", str(DEMO), "--out", str(tmp_path / "a")]) == 0
    assert main(["screen", str(DEMO), "--out", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "candidates" in out and "straight-line" in out
    names = ["toets_criteria.csv", "toets_kandidaten.csv", "toets_aantallen.csv", "toets_flats.csv", "toets.gpkg",
             "kaart_toets.html"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    path = tmp_path / "a" / "toets_criteria.csv"
    assert path.read_text(encoding="utf-8-sig").startswith("Let op;")  # the header is line 1
    long = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert long["Let op"].str.startswith("FICTIEVE DEMODATA").all()  # the notice on every row
    assert list(long.columns[1:7]) == [
        "kandidaat", "open kandidaat", "criterium (code)", "criterium", "paragraaf", "oordeel (code)"
    ]
    assert set(long["oordeel (code)"]) == {"pass", "fail", "unknown"}
    assert set(long["bijna"]) == {"ja", "nee"}
    layers = dict(pyogrio.list_layers(tmp_path / "a" / "toets.gpkg"))
    assert layers == {"kandidaten": "Point", "flats": "Point"}
    cands = gpd.read_file(tmp_path / "a" / "toets.gpkg", layer="kandidaten")
    assert cands.crs.to_epsg() == 28992 and len(cands) == len(long) // 7
    meta = pyogrio.read_info(tmp_path / "a" / "toets.gpkg", layer="kandidaten")["layer_metadata"]
    assert "FICTIEVE DEMODATA" in meta["DESCRIPTION"]


def _read(path):
    import pandas as pd

    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False)


def test_counts_reconcile_on_the_demo(demo, tmp_path, capsys):
    """129 candidate flats on the overview, 106 open candidates in the screening, 21 realised apart."""
    from llt_geo.present.maps import screening_map
    from llt_geo.screening import screen

    from .conftest import DEMO

    result = screen(demo)
    by = result.counts.set_index("status")
    assert by.loc["candidate", ["candidates", "groups", "flats", "flats_in_groups"]].tolist() == [106, 15, 129, 38]
    assert by.loc["candidate", ["pass", "unknown", "fail"]].tolist() == [28, 7, 71]
    assert by.loc["realised", ["candidates", "groups", "flats", "pass"]].tolist() == [21, 0, 21, 21]
    assert by.loc["total", ["candidates", "flats"]].tolist() == [len(result.candidates), len(demo.flats)]
    for _, row in by.iterrows():  # a group counts once, and every candidate has one outcome
        assert row["candidates"] == row["flats"] - row["flats_in_groups"] + row["groups"]
        assert row["candidates"] == row["pass"] + row["unknown"] + row["fail"]
    # the overview's 129 candidate flats are the screening's 106 open candidates
    flats_by_status = demo.flats["status"].value_counts()
    assert flats_by_status["candidate"] == by.loc["candidate", "flats"] == 129
    assert result.candidates["open_candidate"].sum() == 106
    assert set(result.candidates.loc[~result.candidates["open_candidate"], "status"]) == {"realised"}
    assert result.criteria["open_candidate"].sum() == 7 * 106
    html = screening_map(demo, Results(result, wijk_ageing=_ageing(demo))).get_root().render()
    assert (
        "106 open kandidaten uit 129 kandidaatflats (15 groepen van samen 38 flats tellen elk als één kandidaat)"
        in html
    )
    assert "apart, niet open: 21 gerealiseerde flats" in html
    assert "Voldoet (28 open kandidaten)" in html
    overview = overview_map(demo, Results(result, wijk_ageing=_ageing(demo))).get_root().render()
    assert "Flats: kandidaat (129 flats = 106 kandidaten in de toets)" in overview
    # what the command prints and writes
    assert main(["screen", str(DEMO), "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert (
        "106 open candidates from 129 candidate flats (15 groups of together 38 flats count as one candidate each): "
        "28 pass, 7 unknown, 71 fail; apart, not open: 21 realised flats (21 pass, 0 unknown, 0 fail)" in out
    )
    assert "toets_kandidaten.csv: 127 rows for 150 flats = 106 open candidates + 21 not open" in out
    assert "21 flats are not open candidates (realised 21)" in out
    counts = _read(tmp_path / "o" / "toets_aantallen.csv")
    assert counts["fase (code)"].tolist() == ["candidate", "realised", "total"]
    assert counts["kandidaten"].tolist() == [106, 21, 127] and counts["open kandidaat"].tolist() == ["ja", "nee", ""]
    cands = _read(tmp_path / "o" / "toets_kandidaten.csv")
    assert cands["open kandidaat"].value_counts().to_dict() == {"ja": 106, "nee": 21}
    assert set(cands.loc[cands["open kandidaat"] == "nee", "fase"]) == {"gerealiseerd"}


def test_counts_reconcile_on_a_tiny_case(tmp_path, capsys):
    """A realised flat, a group of two candidate flats and a single candidate flat: 2 open candidates."""
    from llt_geo import load_dataset
    from llt_geo.present.maps import screening_map
    from llt_geo.screening import screen

    from .conftest import FLAT_HEADER, make_dataset

    def flat(fid, n, x, status):
        return [fid, fid, "Corp A", n, n, n, "ja", "ja", "ja", "", status, 120000 + x, 485400]

    flats = [flat("F1", 120, 100, "gerealiseerd"), flat("F2", 60, 300, "kandidaat"), flat("F3", 50, 450, "kandidaat"),
             flat("F4", 40, 800, "kandidaat")]
    amenities = [["V1", "supermarkt", 120300, 485450], ["V2", "huisarts", 120300, 485350],
                 ["V3", "apotheek", 120350, 485400]]
    folder = make_dataset(tmp_path / "d", changes={"flats": (FLAT_HEADER, flats),
                                                   "amenities": (["amenity_id", "kind", "x", "y"], amenities)})
    ds = load_dataset(folder)
    result = screen(ds)
    by = result.counts.set_index("status")
    assert by.loc["candidate"].drop(["status_nl", "open_candidate"]).tolist() == [2, 1, 3, 2, 1, 0, 1]
    assert by.loc["realised"].drop(["status_nl", "open_candidate"]).tolist() == [1, 0, 1, 0, 1, 0, 0]
    assert by.loc["total", ["candidates", "flats"]].tolist() == [3, 4]
    f = result.flats.set_index("flat_id")
    assert f["open_candidate"].tolist() == [False, True, True, True]
    html = screening_map(ds, Results(result, wijk_ageing=_ageing(ds))).get_root().render()
    assert "Voldoet (1 open kandidaat)" in html and "Voldoet niet (1 open kandidaat)" in html
    assert "Gerealiseerd, apart: geen open kandidaat (1 flat)" in html and "Voldoet (2" not in html
    assert "2 open kandidaten uit 3 kandidaatflats (1 groep van samen 2 flats telt als één kandidaat)" in html
    overview = overview_map(ds, run(ds, until="screening")).get_root().render()
    assert "Flats: kandidaat (3 flats = 2 kandidaten in de toets)" in overview
    assert main(["screen", str(folder), "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "2 open candidates from 3 candidate flats (1 group of together 2 flats counts as one candidate): " \
           "1 pass, 0 unknown, 1 fail; apart, not open: 1 realised flat (1 pass, 0 unknown, 0 fail)" in out
