"""Arrow's kernels read a number column exactly as the Dutch number rules read each cell alone.

:func:`llt_geo.io.values._parse_numbers` casts the cells in the one plain form (``4,8781157``,
``-12.5``, ``120``) with Arrow's string kernels and sends only the others through the rules of
:func:`~llt_geo.io.values._number_rules`, one distinct value at a time. Property-based: for random
columns of random cells (thousands separators in the right and the wrong places, ``1.000``,
``1.000,5``, ``-0,0``, spaces, exponents, infinity, digits of other scripts, words, euros, percent
signs), every cell's value (with the sign of a zero), 'not a number', 'ambiguous' and the two
readings quoted are those of the rules applied to that cell on its own, for every kind of number
column and range, from object and from Arrow-backed text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from llt_geo.io.values import _is_unknown, _number_rules, _parse_numbers, _plain_numbers

SPECIAL = [
    "1.000",
    "1.000,5",
    "1,5",
    "-0,0",
    "-0",
    "0",
    " 12 ",
    "12",
    "1e3",
    "1E-3",
    "1,5e3",
    "∞",
    "inf",
    "-inf",
    "١٢",
    "١.٥",
    "１２",
    "",
    " ",
    "NaN",
    "nan",
    "1.00.0",
    "1,00,000",
    "1.0000",
    "12,125",
    "0,125",
    "012,125",
    "-12.125",
    "1234,567",
    "1.234.567",
    "1,234,567",
    "1,234.5",
    "1.234,",
    "1.234,-",
    "€ 1.250,-",
    "EUR 12",
    "12 euro",
    "12%",
    "60 %",
    "+5",
    "-",
    "--1",
    "+-1",
    "1-2",
    "?",
    "onbekend",
    "4,8781157",
    "52,3712345",
    "4.9",
    ".5",
    "5.",
    ",5",
    "5,",
    "-.5",
    "1 000",
    "1\u00a0000",
    "1\u202f000",
    "00,5",
    "1e999",
    "1" * 15,
    "1" * 16,
    "1" * 25,
    "0." + "1" * 15,
    "0." + "1" * 16,
    "3.14159265358979323846",
    "9007199254740993",
    "ja",
    "x",
]
CHARS = "0123456789" * 3 + ".,-+ eE€%\u00a0١"
cell = st.one_of(st.sampled_from(SPECIAL), st.text(alphabet=CHARS, max_size=12), st.text(max_size=6))
KINDS = [("int", None, None), ("year", None, None), ("money", None, None), ("float", None, None)]
KINDS += [("float", -180.0, 180.0), ("float", 0.0, 100.0), ("float", 120000.0, 130000.0)]
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _same_floats(a: np.ndarray, b: np.ndarray) -> bool:
    return np.array_equal(a, b, equal_nan=True) and np.array_equal(np.signbit(a), np.signbit(b))


def _check(cells: list[str], kind: str, low, high, dtype) -> None:
    column = pd.Series(cells, dtype=dtype)
    got = _parse_numbers(column, kind, low=low, high=high)
    for i, c in enumerate(cells):
        want = _number_rules(pd.Series([c], dtype=object), kind, low=low, high=high)
        assert _same_floats(got.value[i : i + 1], want.value), (c, got.value[i], want.value[0])
        assert got.bad[i] == want.bad[0], c
        assert got.ambiguous[i] == want.ambiguous[0], c
        assert got.readings[i] == want.readings[0], c


@SETTINGS
@given(cells=st.lists(cell, min_size=1, max_size=15), which=st.sampled_from(range(len(KINDS))))
@example(cells=SPECIAL, which=0)
@example(cells=SPECIAL, which=2)
@example(cells=SPECIAL, which=4)
@example(cells=SPECIAL, which=5)
def test_kernels_read_every_cell_as_the_rules_do(cells, which):
    kind, low, high = KINDS[which]
    _check(cells, kind, low, high, object)
    _check(cells, kind, low, high, "str")


@pytest.mark.parametrize("cell", SPECIAL)
def test_a_plain_cell_is_one_the_rules_read_as_its_digits(cell):
    """What the kernels call plain the rules read as a number, unambiguous, in every kind."""
    plain, value = _plain_numbers(pd.Series([cell], dtype=object))
    for kind in ("int", "money", "float"):
        want = _number_rules(pd.Series([cell], dtype=object), kind, low=0.0, high=1.0)
        if plain[0]:
            assert not want.bad[0] and not want.ambiguous[0]
            assert _same_floats(value, want.value)


def test_a_thousand_is_never_a_plain_one():
    plain, value = _plain_numbers(pd.Series(["1.000", "1,000", "12.125", "0.125", "1.0000", "-1.500"]))
    assert plain.tolist() == [False, False, False, True, True, False]
    assert value[3] == 0.125 and value[4] == 1.0
    assert _parse_numbers(pd.Series(["1.000"]), "int").value[0] == 1000.0
    assert _parse_numbers(pd.Series(["1.000"]), "float").ambiguous[0]


@SETTINGS
@given(cells=st.lists(cell, min_size=1, max_size=15))
def test_unknown_cells_are_found_as_cell_by_cell(cells):
    column = pd.Series(cells, dtype="str")
    plain = _plain_numbers(column)[0]
    got = _is_unknown(column, plain).to_numpy()
    want = [bool(_is_unknown(pd.Series([c], dtype=object)).iloc[0]) for c in cells]
    assert got.tolist() == want
