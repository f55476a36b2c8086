"""The municipality's tram and metro stops through llt_geo.io.opendata.transit as amenities of kind ov_halte."""

from __future__ import annotations

import json

import pytest

from llt_geo.errors import InputError
from llt_geo.io.opendata.areas import read_area_division
from llt_geo.io.opendata.transit import read_tram_metro_stops

from .test_opendata_areas import validate_with

pytestmark = pytest.mark.real
STOPS = "amsterdam-tram-metro-2022/amsterdam_tram_metro_2022.geojson"


@pytest.fixture
def stops_and_division(real_dir):
    division = read_area_division(real_dir / "amsterdam-gebiedsindeling-2022" / "amsterdam_buurten.geojson")
    return read_tram_metro_stops(real_dir / STOPS, municipality=division), division


def test_231_stops_192_tram_39_metro(stops_and_division):
    t, _ = stops_and_division
    a = t.tables["amenities"]
    assert len(a) == 231 and set(a["kind"]) == {"ov_halte"} and a.crs.to_epsg() == 28992
    assert t.rows[0].read == 231 and t.rows[0].mapped == 231 and t.rows[0].balanced
    stops = t.extras["stops"]
    assert stops["modality"].value_counts().to_dict() == {"tram": 192, "metro": 39}
    assert stops["name"].nunique() == 206
    assert (stops["name"] == "Jan van Galenstraat").sum() == 4
    first = stops.set_index("amenity_id").loc["OV-1"]
    assert first["name"] == "Nieuwezijds Kolk" and first["lines"] == "2|12|13|17"
    assert a.set_index("amenity_id").loc["OV-1", "name"] == "Nieuwezijds Kolk (tram)"
    # the publisher mixes numbers and strings in Lijn; '_' is a stop without a regular line
    no_line = stops[stops["lines"].isna()]
    assert set(no_line["name"]) == {"Haarlemmerplein", "Zoutkeetsgracht"}
    assert stops["lines"].dropna().str.fullmatch(r"\d+(\|\d+)*").all()


def test_stops_outside_the_municipality_are_kept_and_reported(stops_and_division):
    t, _ = stops_and_division
    outside = next(p for p in t.problems if "outside the municipality" in p.message)
    assert len(outside.rows) == 20
    assert "Amstelveen Stadshart" in outside.values and "Diemen Sniep" in outside.values
    assert (~t.extras["stops"]["inside_municipality"]).sum() == 20
    assert any("no bus, no ferry" in p.message for p in t.problems)


def test_stops_pass_llt_geo_validation(tmp_path, stops_and_division):
    t, _ = stops_and_division
    ds = validate_with(tmp_path, t, ("amenities",))
    assert not ds.errors, [str(p) for p in ds.errors]
    assert len(ds.amenities) == 231


def test_missing_column_and_broken_point(tmp_path, real_dir):
    data = json.loads((real_dir / STOPS).read_text(encoding="utf-8"))
    for f in data["features"]:
        f["properties"].pop("Modaliteit")
    path = tmp_path / "stops.geojson"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as err:
        read_tram_metro_stops(path)
    text = str(err.value)
    assert "stops.geojson, column 'Modaliteit': column missing" in text and "TRAMMETRO_PUNTEN" in text
    data = json.loads((real_dir / STOPS).read_text(encoding="utf-8"))
    data["features"][4]["geometry"] = None
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match=r"stops.geojson, column 'geometry': not a point in feature 5"):
        read_tram_metro_stops(path)
    r = read_tram_metro_stops(path, on_error="report")
    assert r.rows[0].read == 231 and r.rows[0].mapped == 230 and r.rows[0].reported == 1
