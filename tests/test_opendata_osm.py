"""OpenStreetMap exports (Overpass JSON, overpass turbo GeoJSON) through llt_geo.io.opendata.osm."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from llt_geo.errors import InputError
from llt_geo.io.opendata import ATTRIBUTION_FILE
from llt_geo.io.opendata.osm import ATTRIBUTION, classify, read_osm

from .test_opendata_areas import validate_with

SAMPLES = Path(__file__).resolve().parent / "data" / "osm"
OVERPASS = SAMPLES / "amsterdam_overpass.json"
GEOJSON = SAMPLES / "amsterdam_overpass_turbo.geojson"
#: the demo's (fictional) providers stand in for the programme's
PROVIDERS = {"Cordaan": "ZA01", "amsta": "ZA02"}


def test_classify_follows_the_osm_tags():
    assert classify({"shop": "supermarket"})[:2] == ("amenities", "supermarkt")
    assert classify({"amenity": "doctors", "healthcare:speciality": "general"})[:2] == ("amenities", "huisarts")
    assert classify({"healthcare": "doctor"})[2].startswith("no healthcare:speciality")
    assert classify({"amenity": "doctors", "healthcare:speciality": "dermatology"})[0] is None
    assert classify({"amenity": "social_facility", "social_facility": "nursing_home"})[0] == "intramural_sites"
    assert classify({"amenity": "community_centre"})[1] == "buurthuis"
    assert classify({"healthcare": "pharmacy"})[1] == "apotheek"
    assert classify({"amenity": "bench"})[0] is None


def test_overpass_json_sample():
    r = read_osm(OVERPASS, providers={"cordaan": "ZA01"})
    assert r.rows[0].read == 19 and r.rows[0].mapped == 10 and r.rows[0].reported == 9 and r.rows[0].balanced
    a = r.tables["amenities"].set_index("amenity_id")
    assert a.crs.to_epsg() == 28992
    assert sorted(a["kind"].value_counts().items()) == [
        ("apotheek", 1),
        ("buurthuis", 2),
        ("huisarts", 2),
        ("supermarkt", 3),
    ]
    assert a.loc["OSM-way-300512987", "name"] == "Buurthuis Bijlmerdreef"  # a way placed at its center
    assert a.loc["OSM-relation-11928374", "kind"] == "buurthuis"
    s = r.tables["intramural_sites"].set_index("site_id")
    assert s.loc["OSM-way-148630221", "provider_id"] == "ZA01" and s.loc["OSM-way-148630221", "n_places"] == 120
    assert s.loc["OSM-node-3307751290", "provider_id"] == "OSM-amsta"
    assert pd.isna(s.loc["OSM-node-3307751290", "n_places"])  # 'ca. 80': unknown, never guessed
    assert list(r.tables["care_providers"]["name"]) == ["Amsta"]
    # the ODbL attribution and the file's own copyright note travel with the result
    assert r.attribution[0] == ATTRIBUTION and "ODbL" in r.attribution[1]
    assert r.extras["source"]["timestamp"].iloc[0] == "2026-11-30T11:58:03Z"


def test_overpass_json_every_element_not_mapped_is_reported():
    r = read_osm(OVERPASS)
    objects = r.extras["objects"]
    reported_rows = {row for p in r.problems for row in p.rows}
    not_used = objects[objects["table"] == "not used"]
    tagged = not_used[~not_used["note"].str.startswith("untagged")]
    assert set(tagged["row"]) <= reported_rows
    assert len(not_used) == r.rows[0].reported
    untagged = [p for p in r.problems if "untagged" in p.message]
    assert untagged[0].message.startswith("2 untagged element(s)")
    messages = {p.message.split(":")[0] for p in r.problems}
    assert {"no location", "nursing home without an operator", "capacity is not a whole number"} <= messages
    assert any("outside llt_geo's region box" in p.message and p.values == ("Albert Heijn",) for p in r.problems)
    assert any("dermatology" in p.message for p in r.problems)
    assert any("taken as a general practice" in p.message for p in r.problems)


@pytest.mark.real
def test_outside_the_municipality_is_kept_and_reported(real_dir):
    from llt_geo.io.opendata.areas import read_area_division

    division = read_area_division(real_dir / "amsterdam-gebiedsindeling-2022" / "amsterdam_buurten.geojson")
    r = read_osm(OVERPASS, municipality=division)
    outside = [p for p in r.problems if "outside the municipality" in p.message]
    assert outside and outside[0].values == ("Lidl",)  # Amstelveen
    assert "OSM-node-2630045512" in set(r.tables["amenities"]["amenity_id"])


def test_overpass_turbo_geojson_sample():
    r = read_osm(GEOJSON, providers=PROVIDERS)
    assert r.rows[0].read == 8 and r.rows[0].mapped == 6 and r.rows[0].reported == 2
    a = r.tables["amenities"].set_index("amenity_id")
    assert a.loc["OSM-node-6609127734", "kind"] == "huisarts"  # healthcare:speciality=general;occupational
    assert a.loc["OSM-way-300512987", "kind"] == "buurthuis"  # a polygon, placed at a point inside it
    s = r.tables["intramural_sites"].set_index("site_id")
    assert s.loc["OSM-node-3307751290", "provider_id"] == "ZA02"  # osmtogeojson's nested tags; case ignored
    assert s.loc["OSM-node-3307751290", "n_places"] == 80
    assert r.tables["care_providers"].empty
    # the polygon's point lies inside the polygon, as llt_geo would measure distance from it
    import geopandas as gpd
    import shapely

    feature = json.loads(GEOJSON.read_text())["features"][0]
    assert feature["id"] == "way/148630221"
    poly = gpd.GeoSeries([shapely.geometry.shape(feature["geometry"])], crs=4326).to_crs(28992).iloc[0]
    assert shapely.within(s.loc["OSM-way-148630221", "geometry"], poly)


def test_both_layouts_pass_llt_geo_validation(tmp_path):
    for path in (OVERPASS, GEOJSON):
        r = read_osm(path, providers=PROVIDERS)
        ds = validate_with(tmp_path / path.stem, r, ("amenities", "intramural_sites"))
        assert not ds.errors, [str(p) for p in ds.errors]
        assert len(ds.amenities) == len(r.tables["amenities"])
        assert set(ds.intramural_sites["site_id"]) == set(r.tables["intramural_sites"]["site_id"])
        # the attribution is in the written files
        written = (tmp_path / path.stem / "with_opendata" / "amenities.csv").read_text(encoding="utf-8")
        assert written.startswith(f"# {ATTRIBUTION}\n")
        assert ATTRIBUTION in (tmp_path / path.stem / "with_opendata" / ATTRIBUTION_FILE).read_text(encoding="utf-8")


def test_bad_input_names_file_and_fix(tmp_path):
    bad = tmp_path / "export.json"
    bad.write_text(json.dumps({"foo": []}))
    with pytest.raises(InputError, match="export.json: neither Overpass JSON"):
        read_osm(bad)
    bad.write_text("{not json")
    with pytest.raises(InputError, match=r"export.json: not readable JSON: .*line 1.*Fix: give the export"):
        read_osm(bad)
    data = json.loads(OVERPASS.read_text())
    data["elements"].append(dict(data["elements"][0]))  # the same node twice
    data["elements"].append({"type": "node", "lat": 52.37, "lon": 4.89, "tags": {"shop": "supermarket"}})  # no id
    dup = tmp_path / "dup.json"
    dup.write_text(json.dumps(data))
    with pytest.raises(InputError) as err:
        read_osm(dup)
    text = str(err.value)
    assert "dup.json, column 'id': OSM object given twice in elements 1, 20" in text
    assert "dup.json, column 'id': no OSM type and id (node/123, way/456) in element 21" in text
    r = read_osm(dup, on_error="report")
    assert r.rows[0].read == 21 and r.rows[0].balanced and r.rows[0].mapped == 9


def test_overpass_out_geom_way_is_placed_inside_its_outline(tmp_path):
    ring = [(4.8800, 52.3700), (4.8810, 52.3700), (4.8810, 52.3706), (4.8800, 52.3706), (4.8800, 52.3700)]
    data = {
        "version": 0.6,
        "generator": "Overpass API",
        "osm3s": {"timestamp_osm_base": "2026-11-30T00:00:00Z", "copyright": "ODbL"},
        "elements": [
            {
                "type": "way",
                "id": 1,
                "bounds": {"minlat": 52.37, "minlon": 4.88, "maxlat": 52.3706, "maxlon": 4.881},
                "geometry": [{"lat": lat, "lon": lon} for lon, lat in ring],
                "tags": {"amenity": "community_centre", "name": "Buurthuis"},
            }
        ],
    }
    path = tmp_path / "geom.json"
    path.write_text(json.dumps(data))
    r = read_osm(path)
    import geopandas as gpd
    import shapely

    outline = gpd.GeoSeries([shapely.Polygon(ring)], crs=4326).to_crs(28992).iloc[0]
    point = r.tables["amenities"].geometry.iloc[0]
    assert r.tables["amenities"]["kind"].tolist() == ["buurthuis"] and shapely.within(point, outline)
