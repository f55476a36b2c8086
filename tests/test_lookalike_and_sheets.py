"""Issue 20, items 4, 5 and 8: hidden Excel sheets, text that only looks the same, respondents that disagree.

Every input is made by hand: workbooks with hidden and very hidden sheets (openpyxl), ids with a
zero-width space, a byte-order mark, a Cyrillic or Greek letter, full-width letters or another
case, and a survey whose rows of one flat give different numbers of respondents.
"""

from __future__ import annotations

import openpyxl
import pytest

from llt_geo import read_table

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
