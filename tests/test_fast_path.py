"""pyarrow's CSV parser and the line-aware reader give the same tables and problems.

A plain CSV file is split by pyarrow and its cells stay Arrow text up to the checks; the line-aware
reader (Python's csv, object cells) reads the files pyarrow's cannot (quotes, blank rows, ragged
rows) and serves here as the oracle: every bad-input fixture of the validation and reader tests is
read twice, once with pyarrow's path refused, and the datasets are compared: every table (values,
dtypes, index), the row counts and every problem (file, column, rows, values, message, fix).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from llt_geo import validate_dataset
from llt_geo.io import formats

from .conftest import FLAT_HEADER, make_dataset, write_csv
from .test_validation import CASES, GOOD, _flats, _with


def _both(folder: Path, monkeypatch):
    fast = validate_dataset(folder)
    with monkeypatch.context() as m:
        m.setattr(formats, "_read_csv_fast", lambda *_args: None)  # every file by the line-aware reader
        slow = validate_dataset(folder)
    return slow, fast


def _assert_same(slow, fast) -> None:
    assert slow.problems == fast.problems
    assert sorted(slow.tables) == sorted(fast.tables)
    for name in slow.tables:
        pd.testing.assert_frame_equal(slow.tables[name], fast.tables[name], check_exact=True, obj=name)
    pd.testing.assert_frame_equal(slow.row_counts, fast.row_counts)


EXTRA = {
    "semicolon with decimal commas": _flats(GOOD, _with(flat_id="F2", n_dwellings="1.000", x="120300,5")),
    "ragged rows": _flats(GOOD, [*_with(flat_id="F2"), "extra"], _with(flat_id="F3")[:-2]),
    "blank line in the middle": _flats(GOOD, [""] * 13, _with(flat_id="F3")),
    "spaces around cells": _flats([f" {v} " for v in _with(flat_id="F2")]),
}


@pytest.mark.parametrize("case", [*CASES, *EXTRA])
def test_fast_and_line_aware_paths_agree(tmp_path, monkeypatch, case):
    changes = CASES[case][0] if case in CASES else EXTRA[case]
    folder = make_dataset(tmp_path / "d", changes=changes)
    _assert_same(*_both(folder, monkeypatch))


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_paths_agree_with_comments_and_separators(tmp_path, monkeypatch, sep):
    folder = make_dataset(tmp_path / "d")
    from .conftest import FLAT_HEADER

    write_csv(folder / "flats.csv", FLAT_HEADER, [GOOD, _with(flat_id="F2", name="Twee")], sep=sep)
    text = (folder / "flats.csv").read_text(encoding="utf-8")
    (folder / "flats.csv").write_text("# export van de corporatie\n\n" + text, encoding="utf-8")
    _assert_same(*_both(folder, monkeypatch))


def test_demo_reads_the_same(monkeypatch):
    demo = Path(__file__).resolve().parent.parent / "data" / "demo"
    _assert_same(*_both(demo, monkeypatch))


@pytest.mark.parametrize(
    "values, dtype",
    [
        ([1.5, None, 3.0, 1.125, -12.125, 2e20, -0.0, 1e-7, float("inf"), 123456.789], "Float64"),
        ([1.5, float("nan"), 3.0, 1.125, -12.125, 2e20, 0.1 + 0.2], "float64"),
        ([1.1, None, 2.5], "Float32"),
        ([1, None, -5, 2**62], "Int64"),
        ([1, 2, -3], "int64"),
        ([1, None, 2**63 + 5], "UInt64"),
        ([" a ", None, "\x1c b\x1f", "\u3000c\u00a0", "", "  ", "é\t", "\u200b x", "x\u0085"], "string"),
        ([" a ", None, "\x1c b\x1f", "\u3000c\u00a0", ""], object),
        ([True, None, False], "boolean"),
    ],
)
def test_typed_columns_become_the_same_text_cell_by_cell(values, dtype):
    """The vectorised text of a typed column (Parquet, GeoPackage) is exactly the per-cell text."""
    from llt_geo.io.formats import _cell_text, _column_to_text

    s = pd.Series(values, dtype=dtype)
    want = ["" if v is None or v is pd.NA else _cell_text(v) for v in s.tolist()]
    assert list(_column_to_text(s)) == want


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_wkt_geometry_with_an_empty_cell(tmp_path, monkeypatch, suffix):
    """A WKT column read as Arrow text (pyarrow's CSV path, a plain Parquet file): an empty cell is
    missing geometry, never a crash, and the same as the line-aware reader gives for the CSV."""
    from llt_geo import read_table

    header = [h for h in FLAT_HEADER if h not in ("x", "y")] + ["geometry"]
    rows = [GOOD[:-2] + ["POINT (120300 485400)"], _with(flat_id="F2")[:-2] + [""]]
    rows.append(_with(flat_id="F3")[:-2] + ["POINT (oops)"])
    path = tmp_path / f"flats{suffix}"
    if suffix == ".csv":
        write_csv(path, header, rows, sep=";")
    else:
        pd.DataFrame([[str(v) for v in r] for r in rows], columns=header).to_parquet(path)
    frame, problems, bad, _rows = read_table(path, "flats", today="2026-12-01")
    said = {p.message: p for p in problems}
    assert said["empty or missing geometry"].rows == ((3, 4) if suffix == ".csv" else (2, 3))
    assert said["cannot be read as WKT geometry"].values == ("POINT (oops)",)
    assert bad.tolist() == [False, True, True]
    if suffix == ".csv":
        with monkeypatch.context() as m:
            m.setattr(formats, "_read_csv_fast", lambda *_args: None)
            slow = read_table(path, "flats", today="2026-12-01")
        assert slow[1] == problems
        pd.testing.assert_frame_equal(slow[0], frame, check_exact=True)
