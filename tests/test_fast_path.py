"""The fast CSV path (pyarrow's parser) and the line-aware path give the same tables and problems.

Every bad-input fixture of the validation and reader tests is read twice, once with the fast path
switched off, and the datasets are compared: every table (values, dtypes, index), the row counts
and every problem (file, column, rows, values, message, fix).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from llt_geo import validate_dataset
from llt_geo.io import formats

from .conftest import make_dataset, write_csv
from .test_validation import CASES, GOOD, _flats, _with


def _both(folder: Path, monkeypatch):
    monkeypatch.setattr(formats, "CSV_FAST_PATH", False)
    slow = validate_dataset(folder)
    monkeypatch.setattr(formats, "CSV_FAST_PATH", True)
    fast = validate_dataset(folder)
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
