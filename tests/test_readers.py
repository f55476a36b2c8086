"""Every input format and location style reads to the same canonical table in EPSG:28992."""

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import Point

from llt_geo import load_dataset, read_table

from .conftest import make_dataset, write_csv

AMENITY_ROWS = [["V1", "supermarkt", 120300, 485700], ["V2", "huisarts", 121300, 485700]]


def _check_amenities(frame):
    assert list(frame["amenity_id"]) == ["V1", "V2"]
    assert frame.crs.to_epsg() == 28992
    assert frame.geometry.iloc[0].distance(Point(120300, 485700)) < 0.01


def test_csv_comma_with_rd_xy(tmp_path):
    path = write_csv(tmp_path / "amenities.csv", ["amenity_id", "kind", "x", "y"], AMENITY_ROWS)
    frame, problems, bad, rows = read_table(path, "amenities")
    _check_amenities(frame)
    assert not problems and not bad.any()
    assert list(rows) == [2, 3]  # spreadsheet rows: the header is row 1


def test_csv_semicolon_bom_decimal_comma_dutch_headers_lonlat(tmp_path):
    lonlat = gpd.GeoSeries([Point(120300, 485700), Point(121300, 485700)], crs=28992).to_crs(4326)
    rows = [
        ["V1", "supermarkt", f"{lonlat[0].x:.8f}".replace(".", ","), f"{lonlat[0].y:.8f}".replace(".", ",")],
        ["V2", "huisarts", f"{lonlat[1].x:.8f}".replace(".", ","), f"{lonlat[1].y:.8f}".replace(".", ",")],
    ]
    path = write_csv(
        tmp_path / "voorzieningen.csv",
        ["Voorziening ID", "Soort", "Lengtegraad", "Breedtegraad"],
        rows,
        sep=";",
        encoding="utf-8-sig",
    )
    frame, problems, bad, _ = read_table(path, "amenities")
    _check_amenities(frame)
    assert not bad.any()


def test_leading_comment_lines_are_skipped_and_row_numbers_stay_true(tmp_path):
    path = tmp_path / "amenities.csv"
    path.write_text("# FICTIEF\namenity_id,kind,x,y\nV1,supermarkt,120300,485700\nV2,huisarts,oops,485700\n")
    _, problems, bad, rows = read_table(path, "amenities")
    assert list(rows) == [3, 4]
    assert bad.tolist() == [False, True]
    assert "row 4" in str(problems[0])


def test_excel_with_dutch_headers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Complexnummer", "Corporatie", "Aantal woningen", "Nultredenwoningen", "Ontmoetingsruimte", "X", "Y"])
    sheet.append(["F1", "Corp A", 120, 100, "Ja", 120300, 485400])
    sheet.append(["F2", "Corp A", 95.0, None, "onbekend", 121300.5, 485400])
    book.save(tmp_path / "woningregister.xlsx")
    frame, problems, bad, rows = read_table(tmp_path / "woningregister.xlsx", "flats")
    assert not bad.any(), [str(p) for p in problems]
    assert frame["n_dwellings"].tolist() == [120, 95]
    assert frame["n_nultreden"].isna().tolist() == [False, True]
    assert frame["meeting_room"].tolist()[0] is True and pd.isna(frame["meeting_room"].iloc[1])
    assert list(rows) == [2, 3]


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "parquet"])
def test_geodata_formats_reprojected_to_rd(tmp_path, fmt):
    gdf = gpd.GeoDataFrame(
        {"amenity_id": ["V1", "V2"], "kind": ["supermarkt", "huisarts"]},
        geometry=[Point(120300, 485700), Point(121300, 485700)],
        crs=28992,
    ).to_crs(4326)
    path = tmp_path / f"amenities.{fmt}"
    if fmt == "parquet":
        gdf.to_parquet(path)
    else:
        gdf.to_file(path)
    frame, problems, bad, rows = read_table(path, "amenities")
    _check_amenities(frame)
    assert not bad.any()
    assert list(rows) == [1, 2]


def test_plain_parquet_with_lonlat_columns(tmp_path):
    pts = gpd.GeoSeries([Point(120300, 485700), Point(121300, 485700)], crs=28992).to_crs(4326)
    pd.DataFrame(
        {"amenity_id": ["V1", "V2"], "kind": ["supermarkt", "huisarts"], "lon": pts.x, "lat": pts.y}
    ).to_parquet(tmp_path / "amenities.parquet")
    frame, _, bad, _ = read_table(tmp_path / "amenities.parquet", "amenities")
    _check_amenities(frame)


def test_cbs_area_codes_are_accepted_and_normalised(tmp_path):
    path = write_csv(
        tmp_path / "buurten.csv",
        ["CBS_Buurtcode", "geometry"],
        [["BU0363FA01", "POLYGON ((120000 485000, 121000 485000, 121000 486000, 120000 485000))"]],
    )
    frame, _, bad, _ = read_table(path, "buurten")
    assert frame["buurt_code"].tolist() == ["FA01"]
    assert not bad.any()


def test_wijk_codes_na_and_nb_are_codes_not_missing(tmp_path):
    path = write_csv(tmp_path / "provider_presence.csv", ["provider_id", "wijk_code"], [["P1", "NA"], ["P1", "NB"]])
    frame, _, bad, _ = read_table(path, "provider_presence")
    assert frame["wijk_code"].tolist() == ["NA", "NB"]
    assert not bad.any()


def test_tiny_dataset_loads_with_parent_codes_filled(tiny):
    ds = load_dataset(tiny)
    assert ds.wijken["stadsdeel_code"].tolist() == ["A", "M"]
    assert ds.buurten["wijk_code"].tolist() == ["AA", "MA"]
    assert ds.flats.crs.to_epsg() == 28992
    assert ds.flats["status"].tolist() == ["candidate", "candidate"]
    assert (ds.row_counts["rows_in"] == ds.row_counts["rows_used"] + ds.row_counts["rows_reported"]).all()


def test_files_section_maps_a_table_to_another_file_name(tmp_path):
    folder = make_dataset(tmp_path / "d", config='[files]\namenities = "voorzieningen_2026.csv"\n')
    (folder / "amenities.csv").rename(folder / "voorzieningen_2026.csv")
    ds = load_dataset(folder)
    assert ds.files["amenities"] == "voorzieningen_2026.csv"
    assert len(ds.amenities) == 2


def test_excel_title_rows_above_the_header_are_skipped_and_reported(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Woningregister Corporatie A, stand 1 oktober 2026"])
    sheet.append([])
    sheet.append(["Complexnummer", "Corporatie", "Aantal woningen", "X", "Y"])
    sheet.append(["F1", "Corp A", 120, 120300, 485400])
    book.save(tmp_path / "woningregister.xlsx")
    frame, problems, bad, rows = read_table(tmp_path / "woningregister.xlsx", "flats")
    assert frame["flat_id"].tolist() == ["F1"] and list(rows) == [4] and not bad.any()
    assert any("rows above the header (row 3) are skipped" in str(p) and "row 1" in str(p) for p in problems)


def test_excel_value_in_a_column_without_header_is_an_error(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Complexnummer", "Corporatie", "Aantal woningen", "X", "Y"])
    sheet.append(["F1", "Corp A", 120, 120300, 485400, "zie notitie"])
    book.save(tmp_path / "woningregister.xlsx")
    _, problems, _, _ = read_table(tmp_path / "woningregister.xlsx", "flats")
    assert any("a value in a column without a header" in str(p) and "row 2" in str(p) and "'zie notitie'" in str(p)
               for p in problems if p.severity == "error")


def test_vectorised_cell_text_equals_the_cell_by_cell_conversion():
    import numpy as np

    from llt_geo.io import _cell_text, _column_to_text

    columns = [
        pd.Series([1.0, 12.5, np.nan, -3.0, 0.1 + 0.2, 1e15, 2.5e-7, 120.0, float("inf")]),
        pd.Series([1, 0, -7, 2**40]),
        pd.Series([True, False, True]),
        pd.Series([" a ", None, "b"], dtype="string"),
        pd.Series(["x", None, 3, 4.0, True], dtype=object),
        pd.Series([1, None, 3], dtype="Int64"),
        pd.Series([True, None], dtype="boolean"),
    ]
    for s in columns:
        assert _column_to_text(s).tolist() == [_cell_text(v) for v in s.tolist()], s.dtype
