"""Issue 20, items 4, 5 and 8: hidden Excel sheets, text that only looks the same, respondents that disagree.

Every input is made by hand: workbooks with hidden and very hidden sheets (openpyxl), ids with a
zero-width space, a byte-order mark, a Cyrillic or Greek letter, full-width letters or another
case, and a survey whose rows of one flat give different numbers of respondents.
"""

from __future__ import annotations

import openpyxl
import pytest

from llt_geo import read_table, validate_dataset

from .conftest import make_dataset, tiny_tables

PROVIDER_HEADER = tiny_tables()["care_providers"][0]


def _provider(pid: str, name: str) -> list[str]:
    return [pid, name, "ja", "ja", "ja", "ja", "ja", "ja", "ja"]


def _book(*sheets: tuple[str, str, list[list]]) -> openpyxl.Workbook:
    """A workbook of (title, sheet_state, rows) in this order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, state, rows in sheets:
        sheet = book.create_sheet(title)
        for r in rows:
            sheet.append(r)
        sheet.sheet_state = state
    return book


def _warnings(problems, text: str) -> list:
    return [p for p in problems if p.severity == "warning" and text in p.message]


# --- item 4: hidden Excel sheets -------------------------------------------------------------------


@pytest.mark.parametrize("state, word", [("hidden", "hidden"), ("veryHidden", "very hidden")])
def test_a_hidden_sheet_named_after_the_table_is_skipped_with_a_warning(tmp_path, state, word):
    last_year = [PROVIDER_HEADER, _provider("OLD1", "Zorg van vorig jaar")]
    this_year = [PROVIDER_HEADER, _provider("P1", "Zorg Een"), _provider("P2", "Zorg Twee")]
    book = _book(("care_providers", state, last_year), ("Aanbieders 2026", "visible", this_year))
    book.save(tmp_path / "care_providers.xlsx")
    frame, problems, bad, rows = read_table(tmp_path / "care_providers.xlsx", "care_providers")
    assert list(frame["provider_id"]) == ["P1", "P2"]  # the visible sheet, not last year's hidden one
    warned = _warnings(problems, "hidden sheet(s) not read")
    assert len(warned) == 1
    assert "'care_providers'" in warned[0].message and f"({word})" in warned[0].message
    assert warned[0].file == "care_providers.xlsx" and "Unhide" in warned[0].fix


def test_a_hidden_sheet_beside_a_visible_one_named_after_the_table_is_named(tmp_path):
    book = _book(
        ("care_providers", "visible", [PROVIDER_HEADER, _provider("P1", "Zorg Een")]),
        ("oud", "veryHidden", [PROVIDER_HEADER, _provider("OLD1", "Oud")]),
    )
    book.save(tmp_path / "care_providers.xlsx")
    frame, problems, _bad, _rows = read_table(tmp_path / "care_providers.xlsx", "care_providers")
    assert list(frame["provider_id"]) == ["P1"]
    assert _warnings(problems, "'oud' (very hidden)")


def test_a_hidden_sheet_that_is_the_only_candidate_is_read_with_a_warning(tmp_path):
    book = _book(
        ("Toelichting", "visible", [["Dit bestand bevat de zorgaanbieders."], ["Zie het tabblad hiernaast."]]),
        ("data", "hidden", [PROVIDER_HEADER, _provider("P1", "Zorg Een")]),
    )
    book.save(tmp_path / "care_providers.xlsx")
    frame, problems, _bad, _rows = read_table(tmp_path / "care_providers.xlsx", "care_providers")
    assert list(frame["provider_id"]) == ["P1"]
    warned = _warnings(problems, "read the hidden sheet 'data'")
    assert len(warned) == 1 and "no visible sheet" in warned[0].message


def test_validate_reports_the_hidden_sheet(tmp_path, capsys):
    from llt_geo.cli import main

    folder = make_dataset(tmp_path / "d", drop=("care_providers",))
    book = _book(
        ("care_providers", "hidden", [PROVIDER_HEADER, _provider("OLD1", "Oud")]),
        ("Blad1", "visible", [PROVIDER_HEADER, _provider("P1", "Zorg Een")]),
    )
    book.save(folder / "care_providers.xlsx")
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "care_providers.xlsx" in out and "hidden sheet(s) not read: 'care_providers' (hidden)" in out


# --- item 5: text that only looks the same ---------------------------------------------------------

FLATS_HEADER, FLATS_ROWS = tiny_tables()["flats"]


def _flat(flat_id: str, x: int = 120300) -> list:
    return [flat_id, f"Flat {flat_id}", "Corp A", 60, 60, 60, "ja", "ja", "ja", "", "kandidaat", x, 485400]


def _validate(tmp_path, flats: list[list] | None = None, **tables):
    changes = dict(tables)
    if flats is not None:
        changes["flats"] = (FLATS_HEADER, flats)
    return validate_dataset(make_dataset(tmp_path / "d", changes=changes))


def _about(ds, severity: str, text: str) -> list:
    return [p for p in ds.problems if p.severity == severity and text in p.message]


@pytest.mark.parametrize("char, name", [("\u200b", "ZERO WIDTH SPACE"), ("\ufeff", "ZERO WIDTH NO-BREAK SPACE")])
def test_an_invisible_character_inside_an_id_is_an_error_naming_code_point_and_position(tmp_path, char, name):
    ds = _validate(tmp_path, [_flat("LLT-008"), _flat("LLT-" + char + "009", 121300)])
    found = _about(ds, "error", "invisible character")
    assert len(found) == 1, ds.problems
    p = found[0]
    assert p.file == "flats.csv" and p.column == "flat_id" and p.rows == (3,)
    assert f"U+{ord(char):04X} {name}" in p.message
    assert p.values == (f"LLT-<U+{ord(char):04X}>009 (U+{ord(char):04X} at position 5)",)
    assert "delete the invisible character" in p.fix


def test_a_zero_width_space_does_not_make_a_second_flat_silently(tmp_path):
    ds = _validate(tmp_path, [_flat("LLT-008"), _flat("LLT-008\u200b", 121300)])
    assert ds.errors and all(p.rows == (3,) for p in ds.errors), ds.errors


def test_a_cyrillic_letter_in_a_latin_id_is_a_warning_naming_it_and_its_position(tmp_path):
    ds = _validate(tmp_path, [_flat("LLТ-008"), _flat("F2", 121300)])  # Cyrillic Т
    found = _about(ds, "warning", "Cyrillic or Greek")
    assert len(found) == 1, ds.problems
    p = found[0]
    assert p.column == "flat_id" and p.rows == (2,)
    assert p.values == ("LLТ-008: Cyrillic 'Т' (U+0422 CYRILLIC CAPITAL LETTER TE) at position 3",)


def test_a_greek_letter_in_a_latin_id_is_a_warning(tmp_path):
    ds = _validate(tmp_path, [_flat("F1"), _flat("ΑB-2", 121300)])  # Greek capital alpha
    found = _about(ds, "warning", "Cyrillic or Greek")
    assert found and "Greek 'Α' (U+0391 GREEK CAPITAL LETTER ALPHA) at position 1" in found[0].values[0]


def test_two_flats_that_print_alike_are_an_error(tmp_path):
    ds = _validate(tmp_path, [_flat("LLT-008"), _flat("LLТ-008", 121300)])
    found = _about(ds, "error", "look the same")
    assert len(found) == 1 and found[0].rows == (2, 3), ds.problems
    assert "LLТ-008 (differs from LLT-008 only by the Cyrillic 'Т'" in " ".join(found[0].values)


def test_ids_that_differ_only_by_case_are_an_error(tmp_path):
    ds = _validate(tmp_path, [_flat("llt-006"), _flat("LLT-006", 121300)])
    found = _about(ds, "error", "differ only by case")
    assert len(found) == 1, ds.problems
    p = found[0]
    assert p.file == "flats.csv" and p.column == "flat_id" and p.rows == (2, 3)
    assert set(p.values) == {
        "llt-006 (differs from LLT-006 only by case)",
        "LLT-006 (differs from llt-006 only by case)",
    }
    assert "case-insensitive" in p.message


def test_case_applies_to_every_id_column_that_names_rows(tmp_path):
    header, _rows = tiny_tables()["amenities"]
    amenities = (header, [["v1", "supermarkt", 120300, 485700], ["V1", "huisarts", 121300, 485700]])
    ds = _validate(tmp_path, amenities=amenities)
    found = _about(ds, "error", "differ only by case")
    assert found and found[0].file == "amenities.csv" and found[0].column == "amenity_id"


def test_ids_are_compared_after_nfkc(tmp_path):
    ds = _validate(tmp_path, [_flat("LLT-008"), _flat("ＬＬＴ-008", 121300)])  # full-width letters
    assert _about(ds, "error", "duplicate identifier"), ds.problems
    warned = _about(ds, "warning", "compatibility characters")
    assert warned and warned[0].values == ("ＬＬＴ-008 -> LLT-008",)


def _survey(*rows: list) -> tuple[list[str], list[list]]:
    return (["flat_id", "provider_id", "n_preferences", "n_respondents"], list(rows))


@pytest.mark.parametrize(
    "ref, why",
    [
        ("f1", "f1 differs from F1 only by case"),
        ("F\u200b1", "differs from F1 only by the invisible U+200B ZERO WIDTH SPACE at position 2"),
        ("Ϝ1", None),  # Greek digamma: looks like F to some, but is no look-alike: plainly unknown
        ("P1", "P1 differs from Р1 only by the Cyrillic 'Р' (U+0420 CYRILLIC CAPITAL LETTER ER) at position 1 of Р1"),
    ],
)
def test_a_reference_to_an_id_that_only_looks_like_one_says_why(tmp_path, ref, why):
    providers = (PROVIDER_HEADER, [_provider("Р1", "Zorg Een")])  # Cyrillic Р: the register is odd
    flat_id = ref if ref != "P1" else "F1"
    ds = _validate(tmp_path, [_flat("F1")], care_providers=providers, survey=_survey([flat_id, "P1", 3, 10]))
    if ref == "P1":  # the survey names P1 in Latin letters; the register has it in Cyrillic
        found = [p for p in _about(ds, "error", "but look like one that does") if p.file == "survey.csv"]
        assert found and found[0].column == "provider_id"
        assert found[0].values == (why,)
        return
    found = _about(ds, "error", "do not exist in flats.csv")
    assert found and found[0].column == "flat_id" and found[0].rows == (2,), ds.problems
    if why is None:
        assert "look like" not in found[0].message
    else:
        assert "but look like one that does" in found[0].message and why in found[0].values[0]
        assert "write the id exactly as in flats.csv" in found[0].fix


# --- item 8 (data): respondents that disagree within one flat -------------------------------------


def test_rows_of_one_flat_with_different_respondents_are_reported(tmp_path):
    providers = (PROVIDER_HEADER, [_provider("P1", "Zorg Een"), _provider("P2", "Zorg Twee")])
    survey = _survey(["F1", "P1", 3, 20], ["F1", "P2", 2, 25], ["F2", "P1", 1, 10], ["F2", "P2", 1, 10])
    ds = _validate(tmp_path, care_providers=providers, survey=survey)
    found = _about(ds, "error", "respondents")
    found = [p for p in found if "different" in p.message]
    assert len(found) == 1, ds.problems
    p = found[0]
    assert p.file == "survey.csv" and p.column == "n_respondents" and p.rows == (2, 3)
    assert p.values == ("F1: 20", "F1: 25")
    assert "respondents of the flat" in p.fix


def test_a_large_register_is_checked_per_distinct_odd_value_not_per_row(monkeypatch):
    """Arrow's kernels look at every cell; only values that are not printable ASCII go one by one."""
    import numpy as np
    import pandas as pd

    from llt_geo.io import formats, values
    from llt_geo.schema import TABLES

    calls = []
    plain, invisible = values._plain, values._invisible_chars
    monkeypatch.setattr(values, "_plain", lambda t: calls.append(t) or plain(t))
    monkeypatch.setattr(values, "_invisible_chars", lambda t: calls.append(t) or invisible(t))
    text = pd.Series([f"LLT-{i:06d}" for i in range(200_000)], dtype=object)
    text[[10, 20, 30]] = ["LLT-0000\u200b10", "llt-000011", "LLТ-000030"]

    raw = formats._Raw("flats.csv", pd.DataFrame({"flat_id": text}), np.arange(2, len(text) + 2))
    c = values._Collector(raw, TABLES["flats"])
    column = TABLES["flats"].columns_by_name["flat_id"]
    out = values._check_ids(column, "flat_id", text, np.zeros(len(text), bool), c)
    assert len(out) == len(text) and len(calls) < 30
    assert {p.severity for p in c.problems} == {"error", "warning"}
    assert [p.rows for p in c.problems if "differ only by case" in p.message] == [(13, 22)]  # LLT-000011 and llt-000011
