"""Nothing lost, nothing misread: files the way analysts and corporations really produce them.

One test (or a few) per class of defect of issue #6, each on a small hand-made file.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.chart import BarChart, Reference

from llt_geo import InputError, load_dataset, read_table, validate_dataset
from llt_geo.cli import main
from llt_geo.io import _parse_numbers

from .conftest import FLAT_HEADER, make_dataset, tiny_tables, write_csv

GOOD = ["F1", "Flat een", "Corp A", 120, 100, 110, "ja", "ja", "ja", "", "kandidaat", 120300, 485400]


def _flat_line(i: int, **changes) -> list:
    row = list(GOOD)
    row[0], row[1], row[-2] = f"F{i}", f"Flat {i}", 120300 + i
    for key, value in changes.items():
        row[FLAT_HEADER.index(key)] = value
    return row


def _validate(folder: Path, capsys) -> tuple[int, str]:
    code = main(["validate", str(folder)])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out + out.err


def _problems(ds, severity: str = "error") -> list[str]:
    return [str(p) for p in ds.problems if p.severity == severity]


# --- 1. an unclosed quote ---------------------------------------------------------------------


def _register_with_stray_quote(folder: Path, n: int = 150, at: int = 8) -> Path:
    make_dataset(folder)
    lines = [",".join(FLAT_HEADER)]
    for i in range(n):
        cells = [str(v) for v in _flat_line(i)]
        if i == at:
            cells[1] = '"Flat ' + str(i)  # opens a quote that never closes
        lines.append(",".join(cells))
    (folder / "flats.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_unclosed_quote_does_not_swallow_the_rest_of_the_file(tmp_path):
    folder = _register_with_stray_quote(tmp_path / "d")
    ds = validate_dataset(folder)
    counts = ds.row_counts.loc["flats"]
    assert counts["rows_in"] == 150  # every line of the file is a row, none vanished into one cell
    assert counts["rows_reported"] == 1
    [err] = [p for p in ds.errors if p.table == "flats"]
    assert err.rows == (10,) and err.column == "name"  # the row where the quote opened (header is row 1)
    assert "never closed" in err.message and "149" not in err.message and "141" in err.message
    assert err.values == ('"Flat 8',)
    # no dangling references elsewhere, and drop mode loses exactly that one flat, saying so
    dropped = load_dataset(folder, on_error="drop")
    assert len(dropped.flats) == 149 and "F8" not in set(dropped.flats["flat_id"])
    assert int(dropped.row_counts.loc["flats", "rows_reported"]) == 1


def test_unclosed_quote_in_the_last_row_and_a_real_line_break_are_told_apart(tmp_path):
    folder = make_dataset(tmp_path / "d")
    header = ",".join(FLAT_HEADER)
    alt_enter = ",".join(str(v) for v in _flat_line(1, name='"Flat een\nachterzijde"'))
    last = ",".join(str(v) for v in _flat_line(2, name='"Flat twee'))
    (folder / "flats.csv").write_text(f"{header}\n{alt_enter}\n{last}\n", encoding="utf-8")
    frame, problems, bad, rows = read_table(folder / "flats.csv", "flats")
    assert list(frame["name"]) == ["Flat een\nachterzijde", '"Flat twee']
    assert list(rows) == [2, 3] and bad.tolist() == [False, True]
    assert any("never closed" in str(p) and p.rows == (3,) for p in problems)


# --- 6. spreadsheet rows after a cell with a line break -------------------------------------------


def test_row_numbers_are_spreadsheet_rows_after_a_cell_with_line_breaks(tmp_path):
    path = tmp_path / "flats.csv"
    header = ",".join(FLAT_HEADER)
    a = ",".join(str(v) for v in _flat_line(1, name='"Flat een\nblok A\nblok B"'))
    b = ",".join(str(v) for v in _flat_line(2, n_dwellings="veel"))
    path.write_text(f"{header}\n{a}\n{b}\n", encoding="utf-8")
    _, problems, bad, rows = read_table(path, "flats")
    assert list(rows) == [2, 3]  # Excel shows the three-line cell in one row
    [err] = [p for p in problems if p.severity == "error"]
    assert err.rows == (3,) and "'veel'" in str(err)


# --- 2. Dutch numbers -----------------------------------------------------------------------------


def test_dutch_thousands_separators_in_money_and_counts(tmp_path):
    header = [*FLAT_HEADER, "subsidie"]
    rows = [
        [*_flat_line(1, n_dwellings="1.000", n_nultreden="800", n_social_rent="900"), "€ 250.000"],
        [*_flat_line(2), "250.000 EUR"],
        [*_flat_line(3), "€ 1.234,50"],
        [*_flat_line(4), "12.500,-"],
        [*_flat_line(5), "1.250.000"],
        [*_flat_line(6), "€250000"],
    ]
    path = write_csv(tmp_path / "flats.csv", header, rows, sep=";")
    frame, problems, bad, _ = read_table(path, "flats")
    assert not bad.any(), [str(p) for p in problems]
    assert frame["n_dwellings"].iloc[0] == 1000
    assert list(frame["subsidy_eur"]) == [250000.0, 250000.0, 1234.5, 12500.0, 1250000.0, 250000.0]


def test_a_comma_before_three_digits_in_a_count_is_ambiguous_and_named(tmp_path):
    rows = [_flat_line(1, n_dwellings="1,500"), _flat_line(2, n_dwellings="1.500")]
    path = write_csv(tmp_path / "flats.csv", FLAT_HEADER, rows, sep=";")
    frame, problems, bad, _ = read_table(path, "flats")
    assert bad.tolist() == [True, False]
    assert frame["n_dwellings"].iloc[1] == 1500
    [err] = [p for p in problems if p.severity == "error"]
    assert err.column == "n_dwellings" and err.rows == (2,) and "ambiguous" in err.message
    assert "1500 or 1.5" in str(err)


@pytest.mark.parametrize(
    ("kind", "low", "high", "text", "value", "ambiguous"),
    [
        ("share", 0, 100, "0.125", 0.125, False),  # a share cannot be 125
        ("share", 0, 100, "0,125", 0.125, False),
        ("share", 0, 100, "12.5", 12.5, False),  # a percentage (its % sign is handled by the column)
        ("float", 0, 5000, "1.500", np.nan, True),  # 1500 m or 1.5 m: both possible distances
        ("float", 0, 1000, "1.500", 1.5, False),  # only 1.5 fits a range up to 1000
        ("float", None, None, "1,5", 1.5, False),
        ("float", None, None, "1.234,5", 1234.5, False),
        ("float", None, None, "1,234.5", 1234.5, False),
        ("float", None, None, "-4,5", -4.5, False),
        ("float", None, None, "2,5e-3", 0.0025, False),
        ("int", None, None, "2.027", 2027.0, False),
        ("int", None, None, "12.5", 12.5, False),  # a decimal point (not three digits): read, not whole
        ("money", None, None, "EUR 1.500.000,00", 1500000.0, False),
        ("money", None, None, "€ 1,500", np.nan, True),
        ("money", None, None, "1.50.000", np.nan, False),  # not a number at all
    ],
)
def test_number_rules(kind, low, high, text, value, ambiguous):
    parsed = _parse_numbers(pd.Series([text], dtype=object), kind, low=low, high=high)
    assert bool(parsed.ambiguous[0]) is ambiguous
    if np.isnan(value):
        assert np.isnan(parsed.value[0])
    else:
        assert parsed.value[0] == pytest.approx(value)


def test_typed_excel_numbers_are_never_read_as_thousands(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["site_id", "provider_id", "n_places", "x", "y"])
    sheet.append(["S1", "P1", 120, 120300.125, 485800.5])  # a typed x of 120300.125 is not 120300125
    book.save(tmp_path / "intramural_sites.xlsx")
    frame, problems, bad, _ = read_table(tmp_path / "intramural_sites.xlsx", "intramural_sites")
    assert not bad.any(), [str(p) for p in problems]
    assert frame.geometry.iloc[0].x == pytest.approx(120300.125)


# --- 3. Excel files with a wrong stored sheet size ---------------------------------------------------


def _shrink_dimension(path: Path, ref: str) -> None:
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                text = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', text)
                assert f'<dimension ref="{ref}"/>' in text
                data = text.encode("utf-8")
            dst.writestr(item, data)
    tmp.replace(path)


def test_excel_with_a_too_small_stored_dimension_is_read_whole(tmp_path):
    header, (row,) = tiny_tables()["care_providers"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for i in range(12):
        sheet.append([f"P{i + 1}", f"Zorg {i + 1}", *row[2:]])
    path = tmp_path / "care_providers.xlsx"
    book.save(path)
    _shrink_dimension(path, "A1:I5")
    check = openpyxl.load_workbook(path, read_only=True)
    assert check.active.max_row == 5  # the file really lies about its size
    check.close()
    frame, problems, bad, rows = read_table(path, "care_providers")
    assert len(frame) == 12 and list(rows) == list(range(2, 14))


# --- 4. an empty required table ---------------------------------------------------------------------


@pytest.mark.parametrize("table", ["care_providers", "intramural_sites", "welfare_organisations", "flats"])
def test_a_required_table_with_a_header_and_no_rows_is_an_error(tmp_path, capsys, table):
    header, _rows = tiny_tables()[table]
    folder = make_dataset(tmp_path / "d", changes={table: (header, [])})
    code, out = _validate(folder, capsys)
    assert code == 1
    assert f"{table}.csv: " in out and re.search(r"no (data )?rows", out)
    with pytest.raises(InputError):
        load_dataset(folder, on_error="drop")


def test_no_amenities_is_a_warning_that_says_what_it_does_to_the_criterion(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d", changes={"amenities": (["amenity_id", "kind", "x", "y"], [])})
    code, out = _validate(folder, capsys)
    assert code == 0
    assert "amenities.csv: the file has a header but no data rows" in out and "unknown for every flat" in out
    assert "files not read as any table" not in out


def test_a_geojson_without_features_is_named_as_such(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d", drop=("stadsdelen",))
    (folder / "stadsdelen.geojson").write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    code, out = _validate(folder, capsys)
    assert code == 1 and "stadsdelen.geojson: the file has no features" in out
    assert "required column is missing" not in out and "the stadsdelen table is missing" not in out


# --- 5. rows with too many fields -------------------------------------------------------------------


def test_rows_with_too_many_fields_are_counted_reported_and_dropped_with_their_references(tmp_path):
    providers = tiny_tables()["care_providers"]
    header, (row,) = providers
    folder = make_dataset(
        tmp_path / "d",
        changes={
            "care_providers": (header, [row, ["P2", "Zorg Twee", *row[2:]]]),
            "intramural_sites": (
                ["site_id", "provider_id", "name", "x", "y"],
                [["S1", "P1", "Huis Een", 120300, 485800], ["S2", "P2", "Huis Twee", 120400, 485800]],
            ),
        },
    )
    path = folder / "care_providers.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("Zorg Twee", "Zorg, Twee")  # a comma in a name, unquoted
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = validate_dataset(folder)
    assert ds.row_counts.loc["care_providers", ["rows_in", "rows_used", "rows_reported"]].tolist() == [2, 1, 1]
    [err] = [p for p in ds.errors if p.table == "care_providers"]
    assert err.rows == (3,) and "more fields" in err.message
    assert "decimal comma" not in err.fix  # 'Zorg' / ' Twee' do not look like a split number
    assert not [p for p in ds.errors if p.table == "intramural_sites"]  # P2 exists: not "does not exist"
    dropped = load_dataset(folder, on_error="drop")
    assert list(dropped.care_providers["provider_id"]) == ["P1"]
    assert list(dropped.intramural_sites["site_id"]) == ["S1"]  # the cascade
    assert any("left out because of an error" in str(p) for p in dropped.problems)
    counts = dropped.row_counts
    assert (counts["rows_in"] == counts["rows_used"] + counts["rows_reported"]).all()


def test_the_decimal_comma_fix_is_given_when_the_extra_field_looks_like_a_number(tmp_path):
    path = tmp_path / "flats.csv"
    path.write_text(",".join(FLAT_HEADER) + "\n" + ",".join(str(v) for v in _flat_line(1, n_dwellings="120,5")) + "\n")
    _, problems, bad, _ = read_table(path, "flats")
    assert bad.tolist() == [True]
    assert "decimal comma" in [p for p in problems if p.severity == "error"][0].fix


def test_trailing_empty_fields_from_excel_are_not_an_error(tmp_path):
    path = tmp_path / "flats.csv"
    cells = ";".join(str(v) for v in _flat_line(1))
    path.write_text(";".join(FLAT_HEADER) + ";;\n" + cells + ";;\n" + cells.replace("F1", "F2", 1) + ";;;\n")
    frame, problems, bad, _ = read_table(path, "flats")
    assert len(frame) == 2 and not bad.any() and not problems


# --- 7. no input crashes the readers ------------------------------------------------------------------


def test_a_23_digit_number_is_an_error_not_a_crash(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d", changes={"flats": (FLAT_HEADER, [_flat_line(1, n_dwellings="1" * 23)])})
    code, out = _validate(folder, capsys)
    assert code == 1 and "Internal error" not in out
    assert "column 'n_dwellings': number out of range" in out and "1" * 23 in out
    assert main(["run", str(folder), "--out", str(tmp_path / "o")]) == 1


# --- 8. plausibility ----------------------------------------------------------------------------------


def test_implausible_values_are_reported_with_file_column_row_and_value(tmp_path, capsys):
    tables = tiny_tables()
    sites = (["site_id", "provider_id", "name", "n_places", "x", "y"], [["S1", "P1", "Huis", 250000, 120300, 485800]])
    survey = (
        ["flat_id", "provider_id", "n_preferences", "n_respondents"],
        [["F1", "P1", 40, 30]],
    )
    flats = (FLAT_HEADER, [tables["flats"][1][0], _flat_line(2, n_dwellings=10**9, n_nultreden=5, n_social_rent=5)])
    folder = make_dataset(tmp_path / "d", changes={"flats": flats, "intramural_sites": sites, "survey": survey})
    code, out = _validate(folder, capsys)
    assert code == 1
    assert "flats.csv, column 'n_dwellings': more dwellings in one flat than is possible (above 5000) in row 3" in out
    assert "'1000000000'" in out
    assert "intramural_sites.csv, column 'n_places': more places in one site than is possible" in out
    assert "survey.csv, column 'n_preferences': more preferences than respondents in row 2" in out


def test_unusual_values_are_warnings_and_limits_come_from_the_configuration(tmp_path, capsys):
    flats = (FLAT_HEADER, [_flat_line(1, n_dwellings=1500)])
    folder = make_dataset(tmp_path / "d", changes={"flats": flats})
    code, out = _validate(folder, capsys)
    assert code == 0 and "unusually many dwellings in one flat (above 1000): please check in row 2" in out
    (folder / "llt_geo.toml").write_text("[plausibility]\nflat_dwellings_warn = 2000\n", encoding="utf-8")
    code, out = _validate(folder, capsys)
    assert code == 0 and "unusually many" not in out


def test_all_care_weights_zero_is_refused(tmp_path, capsys):
    weights = "\n".join(
        f"weight_{k} = 0"
        for k in ("known_in_wijk", "cooperation", "intramural_nearby", "residents_voice", "existing_clients")
    )
    folder = make_dataset(tmp_path / "d", config=f"[care]\n{weights}\n")
    code, out = _validate(folder, capsys)
    assert code == 1 and "are all 0" in out and "llt_geo.toml" in out


# --- 9. accurate messages ----------------------------------------------------------------------------------


def test_utf16_text_is_read_and_said(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d")
    text = (folder / "amenities.csv").read_text(encoding="utf-8").replace(",", "\t")
    (folder / "amenities.csv").write_bytes(text.encode("utf-16"))  # Excel's "Unicode Text"
    code, out = _validate(folder, capsys)
    assert code == 0 and "amenities.csv: the file is UTF-16 text" in out
    assert len(load_dataset(folder).amenities) == 2


def test_a_workbook_renamed_to_csv_and_a_binary_file_are_named(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d", drop=("amenities", "care_providers"))
    book = openpyxl.Workbook()
    book.active.append(["amenity_id", "kind", "x", "y"])
    book.save(folder / "amenities.csv")
    (folder / "care_providers.csv").write_bytes(b"\x00\x01\x02binary\x00" * 20)
    code, out = _validate(folder, capsys)
    assert code == 1
    assert "amenities.csv: this is an Excel workbook (.xlsx)" in out and "rename it to amenities.xlsx" in out
    assert "care_providers.csv: this is a binary file" in out
    assert "not UTF-8" not in out and "files not read as any table" not in out
    assert "table is missing" not in out


def test_windows_1252_text_is_named(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d")
    text = (folder / "amenities.csv").read_text(encoding="utf-8").replace("supermarkt", "café")
    (folder / "amenities.csv").write_bytes(text.encode("cp1252"))
    code, out = _validate(folder, capsys)
    assert code == 1 and "not UTF-8 text" in out and "'é' in Windows-1252" in out


def test_coordinates_without_their_decimal_point_are_not_told_to_be_rd(tmp_path):
    path = write_csv(
        tmp_path / "amenities.csv", ["amenity_id", "kind", "lon", "lat"], [["V1", "supermarkt", 4900274, 52379762]]
    )
    _, problems, bad, _ = read_table(path, "amenities")
    [err] = [p for p in problems if p.severity == "error"]
    assert "decimal separator is missing" in err.message and "x/y" not in err.fix and bad.all()


def test_a_folder_named_like_a_table_is_named(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d", drop=("amenities",))
    (folder / "amenities.csv").mkdir()
    code, out = _validate(folder, capsys)
    assert code == 1 and "amenities.csv: is a folder, not a file" in out and "table is missing" not in out


def test_an_instruction_sheet_before_the_data_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Toelichting"
    book.active.append(["Vul hieronder per voorziening een regel in."])
    data = book.create_sheet("Blad2")
    data.append(["Voorziening ID", "Soort", "X", "Y"])
    data.append(["V1", "supermarkt", 120300, 485700])
    book.save(tmp_path / "voorzieningen.xlsx")
    frame, problems, bad, rows = read_table(tmp_path / "voorzieningen.xlsx", "amenities")
    assert list(frame["amenity_id"]) == ["V1"] and not bad.any()
    assert any("read sheet 'Blad2'" in p.message and "Toelichting" in p.message for p in problems)


def test_an_english_and_a_dutch_header_for_one_column(tmp_path):
    header = [*FLAT_HEADER, "aantal_woningen"]
    rows = [[*_flat_line(1), 120], [*_flat_line(2), 95]]  # the second row disagrees: which is meant?
    path = write_csv(tmp_path / "flats.csv", header, rows)
    _, problems, bad, _ = read_table(path, "flats")
    assert bad.tolist() == [False, True]
    [err] = [p for p in problems if p.severity == "error"]
    assert "'n_dwellings', 'aantal_woningen'" in err.message and err.rows == (3,) and "120 / 95" in str(err)


def test_cross_row_checks_name_the_header_as_typed(tmp_path, capsys):
    header = [{"n_dwellings": "Aantal woningen", "n_nultreden": "Nultredenwoningen"}.get(h, h) for h in FLAT_HEADER]
    folder = make_dataset(tmp_path / "d", changes={"flats": (header, [_flat_line(1, n_nultreden=200)])})
    code, out = _validate(folder, capsys)
    assert code == 1 and "flats.csv, column 'Nultredenwoningen': more than the flat's dwellings" in out


# --- 12. a count column filled with ja/nee ---------------------------------------------------------------


def test_a_nultreden_column_filled_with_ja_says_it_is_a_number_of_dwellings(tmp_path):
    header = [{"n_nultreden": "nultreden"}.get(h, h) for h in FLAT_HEADER]
    path = write_csv(tmp_path / "flats.csv", header, [_flat_line(1, n_nultreden="ja")])
    _, problems, bad, _ = read_table(path, "flats")
    [err] = [p for p in problems if p.severity == "error"]
    assert err.column == "nultreden" and "step-free" in err.message and "number" in err.message


# --- the demo stays clean ------------------------------------------------------------------------------------


def test_the_demo_has_no_plausibility_findings(tmp_path):
    """The only findings on the demo are the real CBS figures it does not have: wijken and buurten
    without a 65+ figure, named as unknown (never 0). No errors, nothing else."""
    target = tmp_path / "demo"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data" / "demo", target)
    ds = validate_dataset(target)
    unknown = {
        "wijken": ds.wijken.loc[ds.wijken["residents_65plus"].isna(), "wijk_code"],
        "buurten": ds.buurten.loc[ds.buurten["residents_65plus"].isna(), "buurt_code"],
    }
    assert (len(unknown["wijken"]), len(unknown["buurten"])) == (24, 37)
    assert sorted((p.severity, p.table, p.column) for p in ds.problems) == [
        ("warning", "buurten", "inwoners_65plus"),
        ("warning", "wijken", "inwoners_65plus"),
    ], [str(p) for p in ds.problems]
    for p in ds.problems:
        assert "no figures for residents in total and aged 65+" in p.message
        assert set(p.values) == set(unknown[p.table]), p.table


# --- found when the fixes were tried as a new user would ----------------------------------------------------


@pytest.mark.parametrize(
    ("header", "line"),
    [
        (FLAT_HEADER, 'F2,"Flat twee\nachter, links",Corp A,120,100,110,ja,ja,ja,,kandidaat,120302,485400'),
        (
            ["address", *FLAT_HEADER],
            '"Hoofdstraat 2\nachterzijde",F2,Flat 2,Corp A,120,100,110,ja,ja,ja,,,120302,485400',
        ),
        (FLAT_HEADER, 'F2,"Flat twee\na, b, c, d, e, f, g, h, i, j, k, l",Corp A,120,100,110,ja,ja,ja,,,120302,485400'),
    ],
)
def test_a_closed_multi_line_cell_is_never_taken_for_an_unclosed_quote(tmp_path, header, line):
    first = ",".join(str(v) for v in _flat_line(1))
    third = ",".join(str(v) for v in _flat_line(3))
    if header[0] == "address":
        first, third = "Straat 1," + first, "Straat 3," + third
    path = tmp_path / "flats.csv"
    path.write_text(",".join(header) + f"\n{first}\n{line}\n{third}\n", encoding="utf-8")
    frame, problems, bad, rows = read_table(path, "flats")
    assert list(frame["flat_id"]) == ["F1", "F2", "F3"] and list(rows) == [2, 3, 4]
    assert not bad.any(), [str(p) for p in problems]


def test_an_unclosed_quote_on_the_last_line_without_a_line_break(tmp_path):
    path = tmp_path / "flats.csv"
    good = ",".join(str(v) for v in _flat_line(1))
    last = ",".join(str(v) for v in _flat_line(2, name='"Flat 2'))
    path.write_text(",".join(FLAT_HEADER) + f"\n{good}\n{last}", encoding="utf-8")
    frame, problems, bad, rows = read_table(path, "flats")
    assert bad.tolist() == [False, True] and frame["corporation"].iloc[1] == "Corp A"
    [err] = [p for p in problems if p.severity == "error"]
    assert "never closed" in err.message and err.rows == (3,) and err.column == "name"


def test_an_unclosed_quote_in_the_header_is_named(tmp_path):
    path = tmp_path / "flats.csv"
    header = ",".join(FLAT_HEADER).replace("name", '"name', 1)
    path.write_text(header + "\n" + "\n".join(",".join(str(v) for v in _flat_line(i)) for i in range(5)) + "\n")
    with pytest.raises(InputError, match=r"the header row \(line 1\) has a quote"):
        read_table(path, "flats")


def test_the_decimal_comma_fix_is_not_given_for_a_comma_in_a_name(tmp_path):
    path = tmp_path / "flats.csv"
    row = ",".join(str(v) for v in _flat_line(2, name="Flat twee, achterzijde"))
    path.write_text(",".join(FLAT_HEADER) + "\n" + row + "\n")
    _, problems, bad, _ = read_table(path, "flats")
    [err] = [p for p in problems if p.severity == "error"]
    assert bad.all() and "decimal comma" not in err.fix and "quotes" in err.fix


def test_a_chart_sheet_and_an_instruction_sheet_naming_columns_are_passed_over(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Toelichting"
    book.active.append(["Kolom", "Betekenis"])
    for h in FLAT_HEADER:
        book.active.append([h, "uitleg"])
    data = book.create_sheet("Blad1")
    data.append(FLAT_HEADER)
    data.append(_flat_line(1))
    chart = BarChart()
    chart.add_data(Reference(data, min_col=4, min_row=1, max_row=2))
    book.create_chartsheet("Grafiek", 0).add_chart(chart)
    book.save(tmp_path / "flats.xlsx")
    frame, problems, bad, _ = read_table(tmp_path / "flats.xlsx", "flats")
    assert list(frame["flat_id"]) == ["F1"] and not bad.any()
    assert any("read sheet 'Blad1'" in p.message for p in problems)


@pytest.mark.parametrize(
    "above",
    [
        [["Corporatie", "Ymere"], ["Datum", "2026-03-01"], []],
        [["Complex", None, None, "Woningen", None, None, "Locatie"]],
    ],
)
def test_the_header_is_the_row_naming_the_most_columns(tmp_path, above):
    book = openpyxl.Workbook()
    for r in above:
        book.active.append(r)
    book.active.append(FLAT_HEADER)
    book.active.append(_flat_line(1))
    book.save(tmp_path / "flats.xlsx")
    frame, problems, bad, rows = read_table(tmp_path / "flats.xlsx", "flats")
    assert list(frame["flat_id"]) == ["F1"] and not bad.any() and list(rows) == [len(above) + 2]


def test_a_formula_without_a_stored_result_is_named_not_unknown(tmp_path):
    book = openpyxl.Workbook()
    book.active.append([*FLAT_HEADER, "subsidie"])
    book.active.append([*_flat_line(1, n_dwellings="=50+70"), "=1000*250"])
    book.save(tmp_path / "flats.xlsx")  # openpyxl stores formulas without their results
    _, problems, bad, _ = read_table(tmp_path / "flats.xlsx", "flats")
    [err] = [p for p in problems if p.severity == "error"]
    assert bad.all() and "formula" in err.message and err.rows == (2,)
    assert "n_dwellings" in err.column and "subsidie" in err.column and "save it" in err.fix


def test_typed_numbers_with_three_decimals_are_not_ambiguous(tmp_path):
    book = openpyxl.Workbook()
    book.active.append([*FLAT_HEADER, "subsidie"])
    book.active.append([*_flat_line(1), 12.125])
    book.save(tmp_path / "flats.xlsx")
    frame, problems, bad, _ = read_table(tmp_path / "flats.xlsx", "flats")
    assert not bad.any(), [str(p) for p in problems]
    assert frame["subsidy_eur"].iloc[0] == pytest.approx(12.125)


def test_check_marks_and_digits_of_other_scripts(tmp_path):
    rows = [
        _flat_line(1, meeting_room="✓", workspace="✗"),
        _flat_line(2, n_dwellings="１２０"),
        _flat_line(3, n_dwellings="١٢٠"),
    ]
    path = write_csv(tmp_path / "flats.csv", FLAT_HEADER, rows)
    frame, problems, bad, _ = read_table(path, "flats")
    assert frame["meeting_room"].iloc[0] and not frame["workspace"].iloc[0]
    assert bad.tolist() == [False, True, True]  # never silently unknown
    text = " ".join(str(p) for p in problems)
    assert "'１２０'" in text and "'١٢٠'" in text and "empty value" not in text


def test_a_header_with_a_line_break_is_recognised(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(
        [{"n_dwellings": "Aantal\nwoningen", "n_social_rent": "Sociale\nhuur"}.get(h, h) for h in FLAT_HEADER]
    )
    book.active.append(_flat_line(1))
    book.save(tmp_path / "flats.xlsx")
    frame, problems, bad, _ = read_table(tmp_path / "flats.xlsx", "flats")
    assert not bad.any() and frame["n_dwellings"].iloc[0] == 120 and frame["n_social_rent"].iloc[0] == 110
    assert not problems


def test_a_folder_named_like_a_table_without_extension_is_mentioned(tmp_path, capsys):
    folder = make_dataset(tmp_path / "d", drop=("flats",))
    (folder / "flats").mkdir()
    code, out = _validate(folder, capsys)
    assert code == 1 and "the flats table is missing (there is a folder named 'flats'" in out


def test_two_columns_with_one_unused_header_do_not_make_the_file_unreadable(tmp_path):
    header = [*FLAT_HEADER, "opmerking", "opmerking"]
    path = write_csv(tmp_path / "flats.csv", header, [[*_flat_line(1), "a", "b"]])
    frame, problems, bad, _ = read_table(path, "flats")
    assert len(frame) == 1 and not bad.any()
    assert any("opmerking, opmerking (2)" in p.message for p in problems)
    header = [*FLAT_HEADER, "n_dwellings"]
    path = write_csv(tmp_path / "flats.csv", header, [[*_flat_line(1), 95]])
    _, problems, bad, _ = read_table(path, "flats")
    assert any("appears 2 times" in p.message and p.severity == "error" for p in problems)
