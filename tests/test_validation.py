"""Every kind of bad input: `llt-geo validate` exits 1 and names file, column, row and value."""

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from llt_geo import InputError, load_dataset
from llt_geo.cli import main

from .conftest import FLAT_HEADER, box_wkt, make_dataset, tiny_tables, write_csv


def _validate(folder: Path, capsys) -> tuple[int, str]:
    code = main(["validate", str(folder)])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out + out.err


def _flats(*rows: list) -> dict:
    return {"flats": (FLAT_HEADER, [list(r) for r in rows])}


GOOD = ["F1", "Flat een", "Corp A", 120, 100, 110, "ja", "ja", "ja", "", "kandidaat", 120300, 485400]


def _with(**changes) -> list:
    row = list(GOOD)
    for key, value in changes.items():
        row[FLAT_HEADER.index(key)] = value
    return row


def test_valid_tiny_dataset_exits_0(tiny, capsys):
    code, out = _validate(tiny, capsys)
    assert code == 0, out
    assert "0 error(s)" in out


def test_demo_dataset_validates_clean(capsys):
    code, out = _validate(Path(__file__).resolve().parent.parent / "data" / "demo", capsys)
    assert code == 0, out
    assert "FICTIEVE DEMODATA" in out


CASES = {
    "missing column": (
        {
            "flats": (
                [h for h in FLAT_HEADER if h != "n_dwellings"],
                [[v for h, v in zip(FLAT_HEADER, GOOD, strict=True) if h != "n_dwellings"]],
            )
        },
        ["flats.csv", "column 'n_dwellings'", "required column is missing", "aantal_woningen"],
    ),
    "not a whole number": (
        _flats(GOOD, _with(flat_id="F2", n_dwellings="veel"), _with(flat_id="F3", n_dwellings="12,5")),
        ["flats.csv", "column 'n_dwellings'", "rows 3, 4", "'veel'", "'12,5'"],
    ),
    "yes/no not understood": (
        _flats(_with(meeting_room="misschien")),
        ["flats.csv", "column 'meeting_room'", "not ja/nee", "row 2", "'misschien'"],
    ),
    "duplicate id": (
        _flats(GOOD, _with(name="Zelfde nummer")),
        ["flats.csv", "column 'flat_id'", "duplicate identifier", "rows 2, 3", "'F1'"],
    ),
    "unknown reference": (
        {
            "intramural_sites": (
                ["site_id", "provider_id", "name", "x", "y"],
                [["S1", "P1", "Huis", 120300, 485800], ["S2", "P9", "Huis", 120400, 485800]],
            )
        },
        ["intramural_sites.csv", "column 'provider_id'", "do not exist in care_providers.csv", "row 3", "'P9'"],
    ),
    "invalid geometry": (
        {
            "wijken": (
                ["wijk_code", "geometry"],
                [
                    ["AA", box_wkt(120000, 485000, 121000, 486000)],
                    ["MA", "POLYGON ((121000 485000, 122000 486000, 122000 485000, 121000 486000, 121000 485000))"],
                ],
            )
        },
        ["wijken.csv", "column 'geometry'", "invalid geometry", "row 3", "Self-intersection"],
    ),
    "empty geometry": (
        {"wijken": (["wijk_code", "geometry"], [["AA", box_wkt(120000, 485000, 121000, 486000)], ["MA", ""]])},
        ["wijken.csv", "column 'geometry'", "empty or missing geometry", "row 3"],
    ),
    "outside Amsterdam": (
        _flats(GOOD, _with(flat_id="F2", x=155000, y=463000)),
        ["flats.csv", "column 'x/y'", "outside the Amsterdam region", "row 3", "'155000 / 463000'"],
    ),
    "x and y swapped": (
        _flats(_with(x=485400, y=120300)),
        ["flats.csv", "x and y are swapped", "row 2", "swap the columns"],
    ),
    "lat/lon swapped": (
        {"amenities": (["amenity_id", "kind", "lon", "lat"], [["V1", "supermarkt", "52.37", "4.89"]])},
        ["amenities.csv", "column 'lon/lat'", "swapped", "row 2", "'52.37 / 4.89'"],
    ),
    "RD coordinates in lon/lat columns": (
        {"amenities": (["amenity_id", "kind", "lon", "lat"], [["V1", "supermarkt", "120300", "485700"]])},
        ["amenities.csv", "column 'lon/lat'", "look like RD coordinates", "row 2", "rename the columns"],
    ),
    "lon/lat in x/y columns": (
        {"amenities": (["amenity_id", "kind", "x", "y"], [["V1", "supermarkt", "4.89", "52.37"]])},
        ["amenities.csv", "column 'x/y'", "look like longitude/latitude", "row 2"],
    ),
    "no location at all": (
        {"amenities": (["amenity_id", "kind"], [["V1", "supermarkt"]])},
        ["amenities.csv", "no location", "lon and lat"],
    ),
    "unknown area code": (
        {"welfare_organisations": (["welfare_id", "name", "stadsdeel_code"], [["W1", "Welzijn", "Nieuw-West"]])},
        ["welfare_organisations.csv", "column 'stadsdeel_code'", "not a stadsdeel code", "row 2", "'Nieuw-West'"],
    ),
    "area code not in its parent": (
        {
            "buurten": (
                ["buurt_code", "wijk_code", "geometry"],
                [["AA01", "MA", box_wkt(120000, 485000, 121000, 486000)]],
            )
        },
        ["buurten.csv", "column 'wijk_code'", "does not match the buurt_code", "row 2", "'MA vs AA01'"],
    ),
    "share written as a percentage without %": (
        _flats(GOOD),
        None,  # replaced below: shares are not in the flat header; tested separately
    ),
    "empty identifier": (
        _flats(GOOD, _with(flat_id="")),
        ["flats.csv", "column 'flat_id'", "empty value in a required column", "row 3"],
    ),
    "unknown status": (
        _flats(_with(status="misschien later")),
        ["flats.csv", "column 'status'", "unknown status", "'misschien later'", "gerealiseerd"],
    ),
}
CASES.pop("share written as a percentage without %")


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_reported_with_file_column_row_value(tmp_path, capsys, case):
    changes, expected = CASES[case]
    folder = make_dataset(tmp_path / "d", changes=changes)
    code, out = _validate(folder, capsys)
    assert code == 1, out
    for text in expected:
        assert text in out, f"{case}: {text!r} not in\n{out}"


def test_missing_required_table(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d", drop=("care_providers",))
    code, out = _validate(folder, capsys)
    assert code == 1
    assert "the care_providers table is missing" in out
    assert "zorgaanbieders" in out  # the accepted Dutch file names are listed


def test_file_not_utf8(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d")
    (folder / "amenities.csv").write_bytes("amenity_id,kind,x,y\nV1,caf\xe9,120300,485700\n".encode("latin-1"))
    code, out = _validate(folder, capsys)
    assert code == 1
    assert "amenities.csv" in out and "not UTF-8" in out and "line 2" in out


def test_decimal_comma_in_comma_separated_file(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d")
    (folder / "amenities.csv").write_text("amenity_id,kind,x,y\nV1,supermarkt,120300,5,485700\n")
    code, out = _validate(folder, capsys)
    assert code == 1
    assert "more fields than the 4 headers" in out and "row 2" in out and "decimal comma" in out


def test_unknown_columns_are_a_warning_not_an_error(tmp_path, capsys):
    header = [*FLAT_HEADER, "opmerking"]
    folder = make_dataset(tmp_path / "d", changes={"flats": (header, [[*GOOD, "let op"]])})
    code, out = _validate(folder, capsys)
    assert code == 0
    assert "columns not used by llt_geo: opmerking" in out


def test_share_above_one_without_percent_sign():
    import numpy as np
    import pandas as pd

    from llt_geo.io import _Collector, _parse_column, _Raw
    from llt_geo.schema import Column, Table

    col = Column("share", "share")
    raw = _Raw("t.csv", pd.DataFrame({"s": ["0.6", "60%", "60", "-0.1", ""]}), np.arange(2, 7))
    c = _Collector(raw, Table("t", "", (col,), ("share",)))
    out = _parse_column(col, "s", raw.frame["s"], c)
    assert out.iloc[0] == 0.6 and out.iloc[1] == 0.6
    assert out.iloc[2:].isna().all()
    messages = [str(p) for p in c.problems]
    assert any("looks like a percentage" in m and "row 4" in m and "'60'" in m for m in messages)
    assert any("between 0 and 1" in m and "row 5" in m for m in messages)


def test_points_in_geographic_crs_are_converted_not_rejected(tmp_path):
    folder = make_dataset(tmp_path / "d", drop=("amenities",))
    gpd.GeoDataFrame(
        {"amenity_id": ["V1"], "kind": ["supermarkt"]}, geometry=[Point(120300, 485700)], crs=28992
    ).to_crs(4326).to_file(folder / "amenities.gpkg")
    ds = load_dataset(folder)
    assert ds.amenities.crs.to_epsg() == 28992
    assert ds.amenities.geometry.iloc[0].distance(Point(120300, 485700)) < 0.01


def test_geojson_with_swapped_axes(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d", drop=("stadsdelen",))
    poly = Polygon([(52.37, 4.88), (52.37, 4.90), (52.38, 4.90), (52.37, 4.88)])
    gpd.GeoDataFrame({"stadsdeel_code": ["A"]}, geometry=[poly], crs=4326).to_file(folder / "stadsdelen.geojson")
    write_csv(folder / "welfare_organisations.csv", ["welfare_id", "name", "stadsdeel_code"], [["W1", "W", "A"]])
    write_csv(folder / "wijken.csv", *tiny_tables()["wijken"])
    code, out = _validate(folder, capsys)
    assert code == 1
    assert "stadsdelen.geojson" in out and "swapped" in out and "feature 1" in out


def test_load_raises_with_every_problem_at_once(tmp_path):
    folder = make_dataset(tmp_path / "d", changes=_flats(_with(n_dwellings="veel"), _with(flat_id="F2", x="")))
    with pytest.raises(InputError) as info:
        load_dataset(folder)
    text = str(info.value)
    assert "'veel'" in text and "no location" in text


def test_drop_mode_reports_every_row_it_leaves_out(tmp_path):
    folder = make_dataset(
        tmp_path / "d", changes=_flats(GOOD, _with(flat_id="F2", n_dwellings="veel"), _with(flat_id="F3", x=""))
    )
    ds = load_dataset(folder, on_error="drop")
    assert ds.flats["flat_id"].tolist() == ["F1"]
    counts = ds.row_counts.loc["flats"]
    assert (counts["rows_in"], counts["rows_used"], counts["rows_reported"]) == (3, 1, 2)
    reported_rows = sorted(r for p in ds.errors if p.table == "flats" for r in p.rows)
    assert reported_rows == [3, 4]


def test_unusable_configuration_is_reported_by_validate(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d", config="[eligibility]\nmin_dwellings = 'honderd'\n")
    code, out = _validate(folder, capsys)
    assert code == 1
    assert "llt_geo.toml" in out and "min_dwellings" in out


def test_files_entry_pointing_nowhere(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d", config='[files]\nflats = "register.xlsx"\n')
    code, out = _validate(folder, capsys)
    assert code == 1
    assert 'flats = "register.xlsx": no such file' in out


def test_validate_on_missing_folder(tmp_path, capsys):
    code, out = _validate(tmp_path / "nowhere", capsys)
    assert code == 1
    assert "no such folder" in out


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"n_nultreden": 150}, ["column 'n_nultreden'", "more than the flat's dwellings", "'150 > 120'"]),
        ({"n_social_rent": 300}, ["column 'n_social_rent'", "'300 > 120'"]),
        ({"n_dwellings": 0, "n_nultreden": 0, "n_social_rent": 0}, ["column 'n_dwellings'", "at least one dwelling"]),
    ],
)
def test_impossible_counts_are_errors(tmp_path, capsys, changes, expected):
    folder = make_dataset(tmp_path / "d", changes=_flats(_with(**changes)))
    code, out = _validate(folder, capsys)
    assert code == 1
    for text in ["flats.csv", "row 2", *expected]:
        assert text in out, out


def test_group_id_may_not_look_like_a_flat_or_a_found_group(tmp_path, capsys):
    rows = _flats(GOOD, _with(flat_id="F2", group_id="F1"), _with(flat_id="F3", group_id="GA-F9"),
                  _with(flat_id="F4", group_id="GA-F9"), _with(flat_id="F5", group_id="G7"))
    code, out = _validate(make_dataset(tmp_path / "d", changes=rows), capsys)
    assert code == 1
    assert "column 'group_id'" in out and "may not equal a flat id" in out and "rows 3, 4, 5" in out
    assert "a declared group with only one flat in rows 3, 6" in out  # F1 and G7 alone: a warning


def test_geojson_in_rd_without_crs_member_is_read_as_rd_with_a_warning(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d", drop=("amenities",))
    (folder / "amenities.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"amenity_id": "V1", "kind": "supermarkt"}, "geometry": {"type": "Point", "coordinates": [120300, 485700]}}]}'
    )
    code, out = _validate(folder, capsys)
    assert code == 0, out
    assert "amenities.geojson" in out and "RD metres" in out
    ds = load_dataset(folder)
    assert ds.amenities.geometry.iloc[0].distance(Point(120300, 485700)) < 0.01


def test_file_names_match_without_case_and_unused_files_are_reported(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d")
    (folder / "amenities.csv").rename(folder / "Amenities.CSV")
    (folder / "clienten per flat 2026.csv").write_text("flat_id,provider_id,n_clients\nF1,P1,3\n")
    code, out = _validate(folder, capsys)
    assert code == 0, out
    assert "files not read as any table: clienten per flat 2026.csv" in out
    assert len(load_dataset(folder).amenities) == 2


def test_empty_flat_register_is_reported(tmp_path, capsys):
    code, out = _validate(make_dataset(tmp_path / "d", changes={"flats": (FLAT_HEADER, [])}), capsys)
    assert "the flat register has no rows" in out


def test_drop_mode_also_leaves_out_rows_that_refer_to_dropped_rows(tmp_path):
    sites = (["site_id", "provider_id", "name", "x", "y"], [["S1", "P1", "Huis", 120300, 485800]])
    providers = tiny_tables()["care_providers"]
    bad_provider = (providers[0], [["P1", "Zorg Een", "misschien", "ja", "ja", "ja", "ja", "ja", "ja"]])
    folder = make_dataset(tmp_path / "d", changes={"intramural_sites": sites, "care_providers": bad_provider})
    ds = load_dataset(folder, on_error="drop")
    assert len(ds.care_providers) == 0 and len(ds.intramural_sites) == 0
    assert any("left out because of an error" in p.message and p.table == "intramural_sites" for p in ds.errors)
    counts = ds.row_counts
    assert (counts["rows_in"] == counts["rows_used"] + counts["rows_reported"]).all()
    assert counts.loc["intramural_sites", "rows_reported"] == 1


def test_flat_inside_the_region_box_but_outside_every_stadsdeel_is_reported(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d", changes=_flats(GOOD, _with(flat_id="F2", x=115000, y=490000)))
    code, out = _validate(folder, capsys)
    assert code == 0
    assert "flats outside every stadsdeel of stadsdelen.csv in row 3 (values 'F2')" in out
