"""Property-based: whatever cells, headers and encodings a file holds, the readers never crash.

Every outcome is either a table (rows in = rows used + rows reported) or an :class:`InputError`
that names the file. Bounded for CI: a few hundred examples in all, well under a minute.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from llt_geo import InputError, load_dataset, read_table
from llt_geo.schema import TABLES

from .conftest import make_dataset

FLAT_HEADERS = [c.name for c in TABLES["flats"].columns] + ["x", "y", "Aantal woningen", "lon", "geometry", ""]
NASTY = [
    "",
    '"',
    '"open',
    "1.000",
    "1,5",
    "€ 250.000",
    "1" * 23,
    "1e999",
    "-3",
    "ja",
    "nee",
    '=HYPERLINK("x")',
    "a\nb",
    "NA",
    "120300",
    "485400",
    "4,9",
    "52,37",
    ";",
    ",",
    "\t",
    "POINT (120300 485400)",
    "POLYGON ((0 0, 1 0, 1 1, 0 0))",
    "\x00",
    "ü",
]
cell = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))
header = st.lists(st.one_of(st.sampled_from(FLAT_HEADERS), st.text(max_size=8)), min_size=1, max_size=8)
SETTINGS = settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _check_table(path: Path) -> None:
    try:
        frame, problems, bad, rows = read_table(path, "flats")
    except InputError as exc:
        assert exc.problems and all(p.file for p in exc.problems)
        return
    assert len(frame) == len(bad) == len(rows)
    for p in problems:
        assert p.file == path.name


@SETTINGS
@given(
    header=header,
    rows=st.lists(st.lists(cell, max_size=9), max_size=6),
    sep=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
    quote=st.booleans(),
)
def test_csv_reader_never_crashes(header, rows, sep, encoding, quote):
    def fmt(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if quote and (sep in v or "\n" in v) else v

    text = "\n".join(sep.join(fmt(v) for v in r) for r in [header, *rows]) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "flats.csv"
        try:
            path.write_bytes(text.encode(encoding))
        except UnicodeEncodeError:
            path.write_bytes(text.encode("utf-8", "replace"))
        _check_table(path)


@SETTINGS
@given(header=header, rows=st.lists(st.lists(st.one_of(cell, st.integers(), st.floats()), max_size=9), max_size=6))
def test_excel_reader_never_crashes(header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for r in [header, *rows]:  # Excel itself cannot hold control characters: leave them out
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in r])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "flats.xlsx"
        book.save(path)
        _check_table(path)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(cell, min_size=13, max_size=14), min_size=1, max_size=5))
def test_every_row_is_used_or_reported(rows):
    """Whatever the register holds, loading in drop mode accounts for every row of every table."""
    from .conftest import FLAT_HEADER

    with tempfile.TemporaryDirectory() as tmp:
        folder = make_dataset(Path(tmp) / "d")
        text = ";".join(FLAT_HEADER) + "\n" + "\n".join(";".join(v.replace(";", "") for v in r) for r in rows)
        (folder / "flats.csv").write_text(text + "\n", encoding="utf-8")
        try:
            ds = load_dataset(folder, on_error="drop")
        except InputError as exc:
            assert exc.problems
            return
        counts = ds.row_counts
        assert (counts["rows_in"] == counts["rows_used"] + counts["rows_reported"]).all()
        assert counts.loc["flats", "rows_used"] == len(ds.flats)
