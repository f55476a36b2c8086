"""Issue 20, item 2: a broken publisher file gives an InputError from every open-data adapter, and nothing else.

Hand-made cases first (each crashed before: JSONDecodeError, UnicodeDecodeError, AttributeError, ValueError,
TypeError, RecursionError, ParserError, or lines swallowed without a word), then one property-based test per
adapter over truncated, mis-encoded and mistyped copies of a small valid file. Bounded for CI: a few hundred
examples in all, well under a minute. The cases on the real UVA2 extract skip when the real data is absent.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llt_geo.errors import InputError
from llt_geo.io.opendata import areas, bag, buildings3d, cbs, osm, transit

from .conftest import REAL

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
UVA2_REAL = REAL / "amsterdam-bag-uva2-testset-2015"

# --- small valid files, one per adapter --------------------------------------------------------------------------

PROPS = [
    {"ID": 0, "Key": "WijkenEnBuurten", "Type": "GeoDetail", "Title": "Wijken en buurten"},
    {"ID": 1, "Key": "AantalInwoners_5", "Type": "Topic", "Title": "Aantal inwoners", "Unit": "aantal"},
    {"ID": 2, "Key": "k_65JaarOfOuder_12", "Type": "Topic", "Title": "65 jaar of ouder", "Unit": "aantal"},
    {"ID": 3, "Key": "Woningvoorraad_35", "Type": "Topic", "Title": "Woningvoorraad", "Unit": "aantal"},
]
ODATA = {
    "value": [
        {"WijkenEnBuurten": "GM0363", "AantalInwoners_5": 300, "k_65JaarOfOuder_12": 40, "Woningvoorraad_35": 150},
        {"WijkenEnBuurten": "WK0363AA", "AantalInwoners_5": 100, "k_65JaarOfOuder_12": 15, "Woningvoorraad_35": 50},
        {"WijkenEnBuurten": "WK0363AB", "AantalInwoners_5": 200, "k_65JaarOfOuder_12": 25, "Woningvoorraad_35": 100},
    ]
}
KWB_CSV = "gwb_code_10;a_inw;a_65_oo;a_woning\nGM0363;300;40;150\nWK0363AA;100;15;50\nWK0363AB;200;25;100\n"


def _square(x: float, y: float, d: float = 0.001) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


TILE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"PAND_ID": f"036310000{i:07d}", "Bouwjaar": 1970, "Hoogte": 12.5 + i, "SDVIEW": "F"},
            "geometry": _square(4.80 + i * 0.002, 52.36),
        }
        for i in range(3)
    ],
}
OVERPASS = {
    "elements": [
        {"type": "node", "id": 1, "lat": 52.37, "lon": 4.89, "tags": {"shop": "supermarket", "name": "AH"}},
        {"type": "node", "id": 2, "lat": 52.36, "lon": 4.90, "tags": {"amenity": "pharmacy"}},
        {"type": "way", "id": 3, "center": {"lat": 52.35, "lon": 4.88}, "tags": {"amenity": "community_centre"}},
    ]
}
STOPS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": i,
            "properties": {"Naam": f"Halte {i}", "Modaliteit": "Tram", "Lijn": "2 | 12"},
            "geometry": {"type": "Point", "coordinates": [4.88 + i * 0.01, 52.37]},
        }
        for i in range(1, 4)
    ],
}
BUURTEN = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {
                "CBS_Buurtcode": f"BU0363AA0{i}",
                "Buurtcode": f"AA0{i}",
                "Buurt": f"Buurt {i}",
                "Wijkcode": "AA",
                "Wijk": "Wijk AA",
                "Gebiedcode": "GA01",
                "Gebied": "Centrum-West",
                "Stadsdeelcode": "A",
                "Stadsdeel": "Centrum",
            },
            "geometry": _square(4.88 + i * 0.001, 52.37),
        }
        for i in range(1, 3)
    ],
}


def _uva2(header: list[str], rows: list[list[str]]) -> str:
    return "VAN;20150706\nTM;20150706\nHISTORISCHE_CYCLI;N\n" + "".join(";".join(r) + ";\n" for r in [header, *rows])


VBO_HEADER = [
    "Verblijfsobjectidentificatie",
    "X-Coordinaat",
    "Y-Coordinaat",
    "GebruiksdoelVerblijfsobjectDomein",
    "OmschrijvingGebruiksdoelVerblijfsobjectDomein",
    "VBOSTS/STS/Code",
]
PND_HEADER = ["Pandidentificatie", "OorspronkelijkBouwjaarPand", "PNDSTS/STS/Code"]
LINK_HEADER = ["Pandidentificatie", "PNDVBO/VBO/Verblijfsobjectidentificatie"]


def _vbo_rows(n: int) -> list[list[str]]:
    return [[f"0363010000{i:04d}", str(121000 + i), "487000", "1010", "BEST-woning", "21"] for i in range(n)]


def write_uva2(folder: Path, vbo_rows: list[list[str]] | None = None, vbo_text: str | None = None) -> Path:
    """A small UVA2 extract: 12 verblijfsobjecten in one pand (or the VBO file's text as given)."""
    folder.mkdir(parents=True, exist_ok=True)
    vbo_rows = _vbo_rows(12) if vbo_rows is None else vbo_rows
    text = vbo_text if vbo_text is not None else _uva2(VBO_HEADER, vbo_rows)
    (folder / "VBO_20150706_N_20150706_20150706.UVA2").write_bytes(text.encode("latin-1", "replace"))
    pnd = _uva2(PND_HEADER, [["03630000000001", "1970", "31"]])
    (folder / "PND_20150706_N_20150706_20150706.UVA2").write_text(pnd, encoding="latin-1")
    links = _uva2(LINK_HEADER, [["03630000000001", f"0363010000{i:04d}"] for i in range(12)])
    (folder / "PNDVBO_20150706_N_20150706_20150706.UVA2").write_text(links, encoding="latin-1")
    return folder


def _write(path: Path, value) -> Path:
    path.write_bytes(value if isinstance(value, bytes) else json.dumps(value).encode("utf-8"))
    return path


def _input_error(call) -> InputError:
    """The InputError of ``call``; anything else (or no error) fails the test. Names the file in every problem."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InputError) as err:
            call()
    assert err.value.problems and all(p.file for p in err.value.problems), str(err.value)
    return err.value


# --- CBS ---------------------------------------------------------------------------------------------------------


def _kwb(tmp_path: Path, data, props=PROPS):
    return lambda: cbs.read_kwb_odata(_write(tmp_path / "data.json", data), _write(tmp_path / "props.json", props))


def test_cbs_odata_valid_seed_reads(tmp_path):
    result = _kwb(tmp_path, ODATA)()
    assert len(result.tables["wijken"]) == 2


@pytest.mark.parametrize(
    "data, said",
    [
        (json.dumps(ODATA).encode()[:120], r"data.json: not CBS OData JSON: .*truncated.*line 1"),
        (json.dumps(ODATA).replace("GM0363", "GM0363 Ämsterdam").encode("latin-1"), "not UTF-8 text: byte 0xc4"),
        ({}, "data.json: no records"),
        ({"value": 5}, "'value' is not a list of records"),
        ({"value": [1, {"WijkenEnBuurten": "WK0363AA"}]}, "records that are not JSON objects .* in record 1"),
        (b"[" * 200_000 + b"]" * 200_000, "nested too deep"),
    ],
)
def test_cbs_odata_broken_file_is_an_input_error(tmp_path, data, said):
    err = _input_error(_kwb(tmp_path, data))
    assert re.search(said, str(err)), str(err)


def test_cbs_odata_huge_count_is_not_a_count(tmp_path):
    data = json.loads(json.dumps(ODATA))
    data["value"][1]["AantalInwoners_5"] = 1e300
    err = _input_error(_kwb(tmp_path, data))
    assert "data.json, column 'AantalInwoners_5': not a count in record 2 (values '1e+300')" in str(err)


def test_cbs_odata_empty_region_key_is_a_malformed_code(tmp_path):
    keyed = {row["WijkenEnBuurten"]: {k: v for k, v in row.items() if k != "WijkenEnBuurten"} for row in ODATA["value"]}
    keyed[""] = keyed.pop("WK0363AB")
    err = _input_error(_kwb(tmp_path, keyed))
    assert "column 'WijkenEnBuurten': not a CBS region code" in str(err) and "record 3" in str(err)


def test_cbs_data_properties_truncated_or_latin1(tmp_path):
    err = _input_error(_kwb(tmp_path, ODATA, json.dumps(PROPS).encode()[:50]))
    assert "props.json: not CBS OData JSON" in str(err)
    err = _input_error(_kwb(tmp_path, ODATA, json.dumps(PROPS).replace("Aantal", "Äantal").encode("latin-1")))
    assert "props.json: not UTF-8 text" in str(err) and "Fix: save the file as UTF-8" in str(err)


def test_cbs_csv_in_no_known_encoding_and_nul(tmp_path):
    path = tmp_path / "kwb.csv"
    path.write_bytes(KWB_CSV.encode() + b"WK0363AC;\x81\x8d;1;1\n")  # undefined in cp1252
    err = _input_error(lambda: cbs.read_kwb_csv(path))
    assert "kwb.csv, column 'a_inw': not a count in row 5" in str(err)


# --- BAG UVA2 ----------------------------------------------------------------------------------------------------


def test_uva2_valid_seed_counts_twelve(tmp_path):
    result = bag.read_bag_uva2(write_uva2(tmp_path / "bag"))
    assert int(result.buildings["n_dwellings"].sum()) == 12


def test_uva2_stray_quote_is_a_character_not_a_parser_error(tmp_path):
    rows = _vbo_rows(12)
    rows[3][4] = '"BEST-woning'  # a quote opened and never closed
    result = bag.read_bag_uva2(write_uva2(tmp_path / "bag", rows))
    assert int(result.buildings["n_dwellings"].sum()) == 12
    vbo = next(r for r in result.rows if r.file.startswith("VBO"))
    assert vbo.read == 12


def test_uva2_quote_closed_ten_lines_later_swallows_nothing(tmp_path):
    rows = _vbo_rows(14)
    rows[1][4] = '"BEST-woning'
    rows[11][4] = 'BEST-woning"'
    result = bag.read_bag_uva2(write_uva2(tmp_path / "bag", rows))
    vbo = next(r for r in result.rows if r.file.startswith("VBO"))
    assert vbo.read == 14  # before: 3 (11 verblijfsobjecten in one cell)
    assert vbo.balanced


def test_uva2_line_broken_in_two_is_named_by_its_line(tmp_path):
    rows = _vbo_rows(6)
    rows[2][4] = "BEST-\nwoning"
    err = _input_error(lambda: bag.read_bag_uva2(write_uva2(tmp_path / "bag", rows)))
    assert "VBO_20150706_N_20150706_20150706.UVA2: lines with other than the 6 fields" in str(err)
    assert "in lines 7, 8" in str(err) and "Fix: give the UVA2 file as delivered" in str(err)


def test_real_uva2_with_a_stray_quote_reads_every_line(real_dir, tmp_path):
    folder = tmp_path / "bag"
    shutil.copytree(real_dir / UVA2_REAL.relative_to(REAL), folder)
    vbo = next(folder.glob("VBO_*"))
    vbo.chmod(0o644)
    lines = vbo.read_bytes().split(b"\n")
    lines[6] = lines[6].replace(b";", b';"', 2)  # quotes at the start of two fields
    lines[16] = lines[16].replace(b";", b'";', 1)
    vbo.write_bytes(b"\n".join(lines))
    result = bag.read_bag_uva2(folder)
    before = next(r for r in bag.read_bag_uva2(real_dir / UVA2_REAL.relative_to(REAL)).rows if r.file == vbo.name)
    after = next(r for r in result.rows if r.file == vbo.name)
    assert after.read == before.read and after.balanced


# --- 3D tiles ----------------------------------------------------------------------------------------------------


def test_3d_tile_height_1e308_is_unknown_with_a_warning(tmp_path):
    tile = json.loads(json.dumps(TILE))
    tile["features"][1]["properties"]["Hoogte"] = 1e308
    result = buildings3d.read_3d_tiles(_write(tmp_path / "t.geojson", tile))
    row = result.buildings.set_index("building_id").loc["0363100000000001"]
    assert row["dwellings_source"] == "unknown"
    said = [str(p) for p in result.problems if p.column == "Hoogte" and p.file == "t.geojson"]
    assert said and "feature 2" in said[0] and "taken as unknown" in said[0]


@pytest.mark.parametrize(
    "edit, said",
    [
        (lambda t: t["features"][0].update(geometry={"type": "Polygon", "coordinates": [[1]]}), "in feature 1"),
        (lambda t: t["features"].__setitem__(1, 5), "not a GeoJSON feature .* in feature 2"),
        (lambda t: t.update(features=5), "'features' is not a list"),
        (lambda t: t.update(crs=5), "malformed 'crs' member"),
    ],
)
def test_3d_tile_malformed_geojson(tmp_path, edit, said):
    tile = json.loads(json.dumps(TILE))
    edit(tile)
    err = _input_error(lambda: buildings3d.read_3d_tiles(_write(tmp_path / "t.geojson", tile)))
    assert re.search("t.geojson.*" + said, str(err)), str(err)


def test_3d_tile_nested_brackets(tmp_path):
    path = _write(tmp_path / "t.geojson", b"[" * 200_000 + b"]" * 200_000)
    assert "nested too deep" in str(_input_error(lambda: buildings3d.read_3d_tiles(path)))


# --- OSM, tram and metro stops, area division ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "element, said",
    [
        ({"type": "node", "id": 9, "lat": "x", "lon": 4.9, "tags": {"amenity": "pharmacy"}}, "lat or lon"),
        ({"type": "way", "id": 9, "geometry": [{"lat": 52.3}], "tags": {"amenity": "pharmacy"}}, "lat or lon"),
        ({"type": "node", "id": 9, "lat": 52.3, "lon": 4.9, "tags": "amenity=pharmacy"}, "tags that are not"),
        (5, "is not a JSON object"),
    ],
)
def test_overpass_malformed_element(tmp_path, element, said):
    data = json.loads(json.dumps(OVERPASS))
    data["elements"].append(element)
    err = _input_error(lambda: osm.read_osm(_write(tmp_path / "o.json", data)))
    assert "o.json" in str(err) and said in str(err) and "element 4" in str(err), str(err)


def test_overpass_number_tag_value(tmp_path):
    data = json.loads(json.dumps(OVERPASS))
    data["elements"][1]["tags"]["healthcare:speciality"] = 5
    data["elements"][1]["tags"]["amenity"] = "doctors"
    result = osm.read_osm(_write(tmp_path / "o.json", data), on_error="report")
    assert len(result.tables["amenities"]) == 2


def test_tram_metro_stop_that_is_a_line_is_reported(tmp_path):
    stops = json.loads(json.dumps(STOPS))
    stops["features"][0]["geometry"] = {"type": "LineString", "coordinates": [[4.9, 52.37], [4.91, 52.38]]}
    path = _write(tmp_path / "haltes.geojson", stops)
    err = _input_error(lambda: transit.read_tram_metro_stops(path))
    assert "haltes.geojson, column 'geometry': not a point in feature 1" in str(err)
    result = transit.read_tram_metro_stops(path, on_error="report")
    assert len(result.tables["amenities"]) == 2


# --- property-based: truncated, mis-encoded and mistyped copies of each valid file ------------------------------

MISTYPED = st.sampled_from(
    [None, "", "x", "1e300", "4,90", 1e308, -1e308, -1, 0, 1.5, True, [], [1, 2], {}, {"a": 1}, "Ä", "\x00"]
)


def _paths(value, prefix=()):
    """Every path to a value inside nested dicts and lists."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


def _set(value, path, new):
    if not path:
        return new
    value = json.loads(json.dumps(value))
    target = value
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return value


@st.composite
def broken(draw, seed):
    """A seed file mistyped at one to three places, then perhaps truncated or encoded in Latin-1."""
    value = seed
    for _ in range(draw(st.integers(1, 3))):
        value = _set(value, draw(st.sampled_from(list(_paths(value)))), draw(MISTYPED))
    text = json.dumps(value, ensure_ascii=False)
    how = draw(st.sampled_from(["as is", "truncated", "latin-1"]))
    if how == "truncated":
        return text.encode("utf-8")[: draw(st.integers(0, max(len(text) - 1, 0)))]
    if how == "latin-1":
        return (text + ' "Ämsterdam"').encode("latin-1", "replace")
    return text.encode("utf-8")


def _only_input_error(call) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call()
        except InputError as exc:
            assert exc.problems and all(p.file for p in exc.problems), str(exc)


@SETTINGS
@given(data=broken(ODATA), props=st.one_of(st.just(json.dumps(PROPS).encode()), broken(PROPS)))
def test_fuzz_cbs_odata(data, props):
    with tempfile.TemporaryDirectory() as tmp:
        d, p = _write(Path(tmp) / "d.json", data), _write(Path(tmp) / "p.json", props)
        _only_input_error(lambda: cbs.read_kwb_odata(d, p))


@SETTINGS
@given(text=st.text(max_size=200), encoding=st.sampled_from(["utf-8", "latin-1", "utf-16"]), cut=st.integers(0, 200))
def test_fuzz_cbs_csv(text, encoding, cut):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kwb.csv"
        path.write_bytes((KWB_CSV + text).encode(encoding, "replace")[: len(KWB_CSV) + cut])
        _only_input_error(lambda: cbs.read_kwb_csv(path))


UVA2_CELL = st.one_of(
    st.sampled_from(['"', '"open', 'dicht"', ";", "", "1e300", "Ä", "\r", "\n", "x"]), st.text(max_size=6)
)


@SETTINGS
@given(
    cells=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 5), UVA2_CELL), max_size=6),
    cut=st.one_of(st.none(), st.integers(0, 1500)),
)
def test_fuzz_bag_uva2(cells, cut):
    rows = _vbo_rows(12)
    for r, c, v in cells:
        rows[r][c] = v
    text = _uva2(VBO_HEADER, rows)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_uva2(Path(tmp) / "bag", vbo_text=text[:cut] if cut is not None else text)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = bag.read_bag_uva2(folder)
        except InputError as exc:
            assert exc.problems and all(p.file for p in exc.problems), str(exc)
            return
        vbo = next(r for r in result.rows if r.file.startswith("VBO"))
        records = [ln for ln in text[:cut].replace("\r", "\n").split("\n")[4:] if ln.strip()]
        assert vbo.read == len(records) and vbo.balanced  # no line lost


@SETTINGS
@given(tile=broken(TILE))
def test_fuzz_3d_tiles(tile):
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp) / "t.geojson", tile)
        _only_input_error(lambda: buildings3d.read_3d_tiles(path))


@SETTINGS
@given(export=broken(OVERPASS))
def test_fuzz_osm(export):
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp) / "o.json", export)
        _only_input_error(lambda: osm.read_osm(path))


@SETTINGS
@given(stops=broken(STOPS))
def test_fuzz_transit(stops):
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp) / "s.geojson", stops)
        _only_input_error(lambda: transit.read_tram_metro_stops(path))


@SETTINGS
@given(division=broken(BUURTEN))
def test_fuzz_areas(division):
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp) / "b.geojson", division)
        _only_input_error(lambda: areas.read_area_division(path))
