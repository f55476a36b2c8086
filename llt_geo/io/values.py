"""Reading, stage 2 of 5 -- values: parsing and checking one column of text cells.

:func:`_parse_column` turns one column of text into its kind (ids and text, numbers, yes/no,
dates, statuses, process items, area codes) by the rules of ``docs/data-format.md`` ("Values",
"Numbers"), vectorised. :func:`_parse_numbers` reads numbers as Dutch spreadsheets write them and
never changes a value silently: a number that reads two ways a factor 1,000 apart (``1.500``) is
reported, not guessed. Every problem goes to the :class:`_Collector` of the file, which names the
file, column, rows and values, and remembers the rows with errors so they can be left out and
counted.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import Problem
from ..schema import (
    NO_MARKS,
    NO_WORDS,
    PROCESS_ITEMS,
    PROCESS_STATUSES,
    STATUS_WORDS,
    UNKNOWN_WORDS,
    YES_MARKS,
    YES_WORDS,
    Column,
    Table,
    normalise_header,
)
from .formats import _column_to_text, _Raw


class _LazyText:
    """The text of a typed column (Parquet, GeoPackage), made only for the rows a problem quotes,
    exactly as :func:`~llt_geo.io.formats._cell_text` writes each value."""

    def __init__(self, typed: pd.Series):
        self.typed = typed

    def at(self, mask: np.ndarray) -> np.ndarray:
        return _column_to_text(self.typed[np.asarray(mask, dtype=bool)])


def _text_at(text: pd.Series | _LazyText, mask: np.ndarray) -> pd.Series:
    """The cells of ``text`` where ``mask`` holds (made now for a typed column), keeping the index."""
    mask = np.asarray(mask, dtype=bool)
    if isinstance(text, _LazyText):
        return pd.Series(text.at(mask), index=text.typed.index[mask], dtype=object)
    return text[mask]


class _Collector:
    """Collects problems for one file; rows with errors are remembered for dropping."""

    def __init__(self, raw: _Raw, table: Table, today: str = ""):
        self.raw = raw
        self.table = table
        self.problems: list[Problem] = [p if p.table else replace(p, table=table.name) for p in raw.problems]
        # rows the reader could not split into cells are reported once, by the reader; their cells
        # are not checked again (a shifted cell would only add misleading messages)
        self.flagged = np.asarray(raw.flagged, dtype=bool)
        self.bad = self.flagged.copy()
        self.clashes: dict[str, list[str]] = {}  # column -> every header that names it (first is read)
        self.today = today or date.today().isoformat()

    def add(
        self,
        severity: str,
        column: str | None,
        message: str,
        mask: np.ndarray | None = None,
        values: pd.Series | _LazyText | Callable[[], pd.Series] | None = None,
        fix: str = "",
    ) -> None:
        rows: tuple = ()
        vals: tuple = ()
        index: tuple = ()
        if mask is not None:
            mask = np.asarray(mask, dtype=bool) & ~self.flagged
            if not mask.any():
                return
            index = tuple(np.flatnonzero(mask).tolist())
            rows = tuple(self.raw.rows[mask].tolist())
            if isinstance(values, _LazyText):  # a typed column: text only for the rows quoted
                vals = tuple(values.at(mask).tolist())
                values = None
            elif callable(values):  # a lazy view: the text is made only when a problem quotes it
                values = values()
            if values is not None:
                vals = tuple(np.asarray(values, dtype=object)[mask].tolist())
            if severity == "error":
                self.bad |= mask
        self.problems.append(
            Problem(
                severity, self.raw.file, column, message, rows, vals, fix, self.raw.row_noun, self.table.name, index
            )
        )


# The number rules (docs/data-format.md, "Numbers"). Spaces are ignored; a sign may lead.
_N_INT = r"[0-9]+"
_N_EXP = r"[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+"
_N_DOT3 = r"[1-9][0-9]{0,2}\.[0-9]{3}"  # 1.500: a thousand and a half, or one and a half
_N_COMMA3 = r"[1-9][0-9]{0,2},[0-9]{3}"  # 1,500: likewise
_N_DOTS = r"[1-9][0-9]{0,2}(?:\.[0-9]{3}){2,}"  # 1.500.000
_N_COMMAS = r"[1-9][0-9]{0,2}(?:,[0-9]{3}){2,}"  # 1,500,000
_N_NL = r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+,[0-9]*"  # 1.500,25 (and 1.500, from 1.500,-)
_N_EN = r"[1-9][0-9]{0,2}(?:,[0-9]{3})+\.[0-9]*"  # 1,500.25
_N_DOTDEC = r"[0-9]*\.[0-9]+|[0-9]+\."  # 12.5
_N_COMMADEC = r"[0-9]*,[0-9]+|[0-9]+,"  # 12,5

#: Kinds whose values never have decimals written with a point before exactly three digits: counts,
#: years and amounts in euros. There a point before three digits is a thousands separator.
_POINT_IS_THOUSANDS = ("int", "year", "money")


@dataclass
class _Numbers:
    """Numbers read from text cells: ``value`` (NaN where unreadable or ambiguous), ``bad``
    (not a number at all) and ``ambiguous`` (two readings a factor 1,000 apart, e.g. ``1.500``),
    with ``readings`` giving both for the message."""

    value: np.ndarray
    bad: np.ndarray
    ambiguous: np.ndarray
    readings: np.ndarray


def _arrow_text(text: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column of text cells as Arrow strings (no copy for Arrow-backed text, which stays
    ``large_string``)."""
    if isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow":
        return pa.array(text)
    return pa.array(text, type=pa.string(), from_pandas=True)


def _matches(arr: pa.Array | pa.ChunkedArray, pattern: str) -> np.ndarray:
    """Where the cells match an RE2 ``pattern`` (False for a missing cell), as a numpy mask."""
    hit = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)


def _ints(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(arr, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _plain_numbers(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The cells written in the one plain form a number column holds almost everywhere, and their
    values (NaN elsewhere), by a few passes of Arrow's string kernels and one cast.

    Plain: an optional '-', then at most 15 digits, or 1 to 15 digits, one decimal point or comma
    and 1 to 15 digits (``4,8781157``, ``-12.5``, ``120``) -- but not one to three digits, not
    starting with 0, a separator and exactly three digits (``1.500``, ``12,125``): the rules may read
    that as a thousands separator, or call it ambiguous. No '+', space, exponent or other character.
    The rules of :func:`_number_rules` read every plain cell as the number its digits say with the
    separator as decimal point: exactly what the cast gives (``tests/test_number_kernels.py``).
    """
    n = len(text)
    arr = _arrow_text(text)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.null_count:
        arr = pc.fill_null(arr, "+")  # not a text cell: never plain
    dotted = pc.replace_substring(arr, ",", ".")
    length = _ints(pc.binary_length(dotted))
    only = _ints(pc.binary_length(pc.utf8_trim(dotted, characters="0123456789.-"))) == 0  # nothing else
    minus = _ints(pc.count_substring(dotted, "-"))
    lead = np.asarray(pc.starts_with(dotted, "-").to_numpy(zero_copy_only=False), dtype=int)  # 1 if signed
    dots = _ints(pc.count_substring(dotted, "."))
    at = _ints(pc.find_substring(dotted, "."))  # -1 without a separator
    whole = np.where(dots == 0, length, at) - lead  # digits before the separator
    decimals = np.where(dots == 0, 0, length - at - 1)
    plain = only & (minus == lead) & (whole >= 1) & (whole <= 15)
    plain &= (dots == 0) | ((dots == 1) & (decimals >= 1) & (decimals <= 15))
    three = plain & (dots == 1) & (decimals == 3) & (whole <= 3)
    if three.any():  # 1.500 and 12,125 (not 0,125): read by the rules
        idx = np.flatnonzero(three)
        first = pc.utf8_slice_codeunits(dotted.take(pa.array(idx)), 0, 2).to_pylist()
        plain[idx[[not f.lstrip("-").startswith("0") for f in first]]] = False
    value = np.full(n, np.nan)
    if plain.any():
        value[plain] = pc.cast(dotted.filter(pa.array(plain)), pa.float64()).to_numpy(zero_copy_only=False)
    return plain, value


def _parse_numbers(
    text: pd.Series,
    kind: str = "float",
    *,
    low: float | None = None,
    high: float | None = None,
    plain: tuple[np.ndarray, np.ndarray] | None = None,
) -> _Numbers:
    """Read numbers the way Dutch spreadsheets write them, never changing a value silently
    (:func:`_number_rules`).

    The bulk of a large column is written in one plain form (``4,8781157``, ``120``): Arrow's
    kernels find every such cell and cast it, in a few passes over the column
    (:func:`_plain_numbers`, or ``plain`` when the caller has them already); only the other cells
    (thousands separators, ``1.500``, signs, spaces, euros, words) go through the rules one distinct
    value at a time. Both give the same numbers: the rules read such a cell as the plain number its
    digits say.
    """
    n = len(text)
    fast, value = plain if plain is not None else _plain_numbers(text)
    value = value.copy()
    bad = np.zeros(n, dtype=bool)
    ambiguous = np.zeros(n, dtype=bool)
    readings = np.full(n, "", dtype=object)
    empty = (text == "").to_numpy(dtype=bool)
    bad[empty] = True  # what the rules say of an empty cell (not a number; the caller knows it is missing)
    rest = ~fast & ~empty
    if rest.all():
        return _number_rules(text, kind, low=low, high=high)
    if rest.any():
        other = _number_rules(text[rest], kind, low=low, high=high)
        value[rest], bad[rest], ambiguous[rest], readings[rest] = (
            other.value,
            other.bad,
            other.ambiguous,
            other.readings,
        )
    return _Numbers(value, bad, ambiguous, readings)


def _number_rules(
    text: pd.Series, kind: str = "float", *, low: float | None = None, high: float | None = None
) -> _Numbers:
    """Read numbers the way Dutch spreadsheets write them, never changing a value silently.

    * a decimal comma is read (``12,5``); ``1.234,5`` and ``1,234.5`` are both 1234.5; points or
      commas between groups of three (``1.500.000``, ``1,500,000``) are thousands separators;
    * a single point before exactly three digits (``1.500``) is a thousands separator in counts,
      years and amounts (``kind`` in :data:`_POINT_IS_THOUSANDS`), which never have such decimals;
      a single comma before three digits (``1,500``) is ambiguous there (Dutch 1.5, English 1500);
    * elsewhere (shares, distances, coordinates) the column's possible range ``[low, high]`` decides
      between the two readings; when both or neither fit, the value is ambiguous;
    * amounts may carry ``€``, ``EUR`` and a trailing ``,-``.

    Runs once per distinct value, vectorised with pandas' string methods: the reference for every
    cell, and the reading of the cells :func:`_parse_numbers` does not cast directly.
    """
    codes, uniques = pd.factorize(text.astype(object), use_na_sentinel=False)
    u = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str)
    t = u.str.replace(r"[\s\u00a0\u202f]", "", regex=True)
    if kind == "money":
        t = t.str.replace(r"(?i)^(?:€|eur(?:o)?)|(?:€|eur(?:o|os)?)$", "", regex=True)
        t = t.str.replace(r",-{1,2}$|,=$", "", regex=True)
    negative = t.str.startswith("-").to_numpy()
    body = t.str.replace(r"^[+-]", "", regex=True)

    def match(pattern: str) -> np.ndarray:
        return body.str.fullmatch(pattern).to_numpy(dtype=bool)

    def as_float(series: pd.Series) -> np.ndarray:
        return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)

    n = len(u)
    value = np.full(n, np.nan)
    alt = np.full(n, np.nan)  # the other reading of a value with two
    plain = match(_N_INT) | match(_N_EXP) | match(_N_DOTDEC) | match(_N_COMMADEC)
    value[plain] = as_float(body[plain].str.replace(",", ".", regex=False))
    grouped = match(_N_DOTS) | match(_N_COMMAS)
    value[grouped] = as_float(body[grouped].str.replace(r"[.,]", "", regex=True))
    nl = match(_N_NL)
    value[nl] = as_float(body[nl].str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    en = match(_N_EN)
    value[en] = as_float(body[en].str.replace(",", "", regex=False))
    dot3, comma3 = match(_N_DOT3), match(_N_COMMA3)
    two = dot3 | comma3
    thousands = as_float(body[two].str.replace(r"[.,]", "", regex=True))
    decimal = as_float(body[two].str.replace(",", ".", regex=False))
    ambiguous = np.zeros(n, dtype=bool)
    if kind in _POINT_IS_THOUSANDS:
        value[dot3] = thousands[dot3[two]]
        ambiguous[comma3] = True
        value[comma3], alt[comma3] = thousands[comma3[two]], decimal[comma3[two]]
    else:
        fits_t = np.ones(len(thousands), dtype=bool)
        fits_d = np.ones(len(thousands), dtype=bool)
        if low is not None:
            fits_t &= thousands >= low
            fits_d &= decimal >= low
        if high is not None:
            fits_t &= thousands <= high
            fits_d &= decimal <= high
        idx = np.flatnonzero(two)
        value[idx] = np.where(fits_t & ~fits_d, thousands, decimal)
        both = fits_t & fits_d
        ambiguous[idx[both]] = True
        alt[idx] = np.where(fits_t & ~fits_d, decimal, thousands)
    value = np.where(negative, -value, value)
    alt = np.where(negative, -alt, alt)
    readable = plain | grouped | nl | en | two
    out_value = value[codes] if n else np.zeros(0)
    amb = ambiguous[codes] if n else np.zeros(0, dtype=bool)
    bad = ~readable[codes] if n else np.zeros(0, dtype=bool)
    readings = np.full(len(codes), "", dtype=object)
    if amb.any():
        first, other = value[codes][amb], alt[codes][amb]
        readings[amb] = [f"{_show(a)} or {_show(b)}" for a, b in zip(first, other, strict=True)]
    return _Numbers(np.where(amb, np.nan, out_value), bad, amb, readings)


def _show(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _to_number(text: pd.Series, *, low: float | None = None, high: float | None = None) -> pd.Series:
    """Text to float by the rules of :func:`_parse_numbers`; unreadable or ambiguous -> NaN."""
    return pd.Series(_parse_numbers(text, "float", low=low, high=high).value, index=text.index)


def _distinct(text: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """For every cell the index of its value, and the distinct values (Arrow's hash kernel): what
    is decided per value is decided once."""
    arr = _arrow_text(text)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.null_count:  # not a text cell: pandas' factorize, which keeps it as a value of its own
        codes, uniques = pd.factorize(text.astype(object), use_na_sentinel=False)
        return np.asarray(codes), pa.array(np.asarray(uniques, dtype=object), type=pa.string(), from_pandas=True)
    encoded = arr.dictionary_encode()
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary


def _per_value(
    text: pd.Series, decide: Callable[[str], object], dtype: type = object, skip: str | None = None, default=None
) -> np.ndarray:
    """``decide`` of every cell, called once per distinct value; values that match the RE2 pattern
    ``skip`` get ``default`` without a call (found by Arrow's kernel)."""
    codes, uniques = _distinct(text)
    if skip is None:
        decided = np.array([decide(u) for u in uniques.to_pylist()], dtype=dtype)
    else:
        decided = np.full(len(uniques), default, dtype=dtype)
        todo = np.flatnonzero(~_matches(uniques, skip))
        if len(todo):
            decided[todo] = [decide(u) for u in uniques.take(pa.array(todo)).to_pylist()]
    return decided[codes] if len(decided) else np.zeros(0, dtype=dtype)


def _normalised(text: pd.Series) -> pd.Series:
    """:func:`normalise_header` of every cell, computed once per distinct value."""
    return pd.Series(_per_value(text, normalise_header), index=text.index, dtype=object)


def _is_unknown(text: pd.Series, known: np.ndarray | None = None) -> pd.Series:
    """Empty or an unknown word (``onbekend``, ``?``). Text that only normalises to nothing (``✓``,
    digits of another script) is not unknown: it is checked, and reported if not understood.
    ``known`` cells (plain numbers) are not unknown, and not looked at."""
    if known is not None and known.any():
        out = np.zeros(len(text), dtype=bool)
        if not known.all():
            out[~known] = _is_unknown(text[~known]).to_numpy()
        return pd.Series(out, index=text.index)
    words = {normalise_header(w) for w in UNKNOWN_WORDS if w}

    def unknown(cell: str) -> bool:
        norm = normalise_header(cell)
        return (norm != "" and norm in words) or str(cell).strip() in ("", "?", "-")

    # a value with an ASCII digit is never unknown (no unknown word has one): Arrow's kernel finds
    # those, so the many distinct values of a number column are not looked at one by one
    return pd.Series(_per_value(text, unknown, bool, skip="[0-9]", default=False), index=text.index)


_WHAT = {
    "int": "a whole number",
    "year": "a year",
    "float": "a number",
    "money": "an amount in euros",
    "share": "a share (0-1) or a percentage with %",
}
#: Whole numbers and amounts beyond this are not counts or euros (and would not fit a 64-bit integer).
_MAX_NUMBER = 1e15


def _typed_numbers(typed: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A typed number column (Parquet, GeoPackage) as :func:`_parse_numbers` reads back its text
    (:func:`~llt_geo.io.formats._cell_text`): the values (NaN where empty, <NA> or infinite), and
    which are not a number (infinite: its text ``inf`` is not a number). Empty is unknown."""
    v = typed.to_numpy(dtype=np.float64, na_value=np.nan) + 0.0  # -0.0 is written, and read back, as 0
    infinite = np.isinf(v)
    return np.where(infinite, np.nan, v), infinite


def _parse_number_column(
    col: Column,
    header: str,
    text: pd.Series | _LazyText,
    missing: np.ndarray,
    c: _Collector,
    typed: pd.Series | None = None,
    plain: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.Series:
    """One number column (``int``, ``year``, ``float``, ``share``, ``euro`` ...) as numbers, every bad cell reported.

    Text is read with the Dutch number rules (:func:`_parse_numbers`: ``1.000`` is a thousand, a
    point or comma before exactly three digits is ambiguous and reported, never guessed); a typed
    column (Parquet, GeoPackage) is checked as values, its text made only for the rows a problem
    quotes. A share may be written as a percentage. Values outside the column's range, and
    non-whole values in a whole-number column, are errors naming the rows and values; missing stays
    unknown (NaN / <NA>), never 0.
    """
    what = _WHAT[col.kind]
    if typed is not None:
        # a typed column: its values are checked as they are (never ambiguous, never a percent sign),
        # and its text is made only for the rows a problem quotes
        value, not_number = _typed_numbers(typed)
        percent = np.zeros(len(value), dtype=bool)
        number = pd.Series(value, index=typed.index)
        bad = ~missing & not_number
    else:
        percent = np.zeros(len(text), dtype=bool)
        cleaned = text
        low = high = None
        if col.kind == "share":
            percent = text.str.strip().str.endswith("%").to_numpy()
            cleaned = text.str.replace("%", "", regex=False)
            low, high = 0.0, 100.0  # a share (0-1) or a percentage: 0.125 cannot be 125
        # the plain cells of the text hold no '%': the same cells, and values, of the cleaned text
        parsed = _parse_numbers(cleaned, col.kind, low=low, high=high, plain=plain)
        c.add(
            "error",
            header,
            "ambiguous number: a point or comma before exactly three digits can be a thousands separator or a "
            "decimal separator",
            ~missing & parsed.ambiguous,
            lambda: text + " (" + pd.Series(parsed.readings, index=text.index) + "?)",
            fix="write it without a thousands separator (1500), or with a decimal comma and no grouping (1,5)",
        )
        number = pd.Series(parsed.value, index=text.index)
        bad = ~missing & parsed.bad
    if col.kind in ("int", "year"):
        # one message for 'veel' and '12,5' alike: neither is a whole number
        v = number.to_numpy()
        finite = np.isfinite(v)
        bad |= finite & (v != np.floor(np.where(finite, v, 0)))
    if bad.any():
        yesno = bad.copy()
        yesno[bad] = _normalised(_text_at(text, bad)).isin(YES_WORDS + NO_WORDS).to_numpy()
        if col.kind == "int" and yesno.any():
            meaning = col.description or f"a count ({col.name})"
            c.add(
                "error",
                header,
                f"holds ja/nee, but this column is the {meaning}: a whole number",
                yesno,
                text,
                fix="write the number (0 if there are none); leave empty when unknown",
            )
            bad &= ~yesno
        how = "digits only, no decimals" if col.kind in ("int", "year") else "digits; a decimal comma is fine"
        meaning = f" ({col.description})" if col.description and col.kind == "int" else ""
        c.add("error", header, f"not {what}{meaning}", bad, text, fix=f"write {what} ({how})")
    v = number.to_numpy()
    present = ~np.isnan(v) & ~bad
    if col.kind in ("int", "year", "money"):
        huge = present & ~(np.abs(np.where(present, v, 0)) < _MAX_NUMBER)
    else:
        huge = present & ~np.isfinite(v)
    c.add(
        "error",
        header,
        f"number out of range for {what}",
        huge,
        text,
        fix="check the value: it is far beyond any real count or amount",
    )
    number = number.where(~(bad | huge))
    if col.kind == "share":
        number = number.where(~percent, number / 100)
        looks_pct = (~percent & (number > 1) & (number <= 100)).to_numpy()
        c.add(
            "error",
            header,
            "a share above 1 looks like a percentage",
            looks_pct,
            text,
            fix="write the share as 0.6 or as 60%",
        )
        out_range = ((number < 0) | ((number > 1) & ~pd.Series(looks_pct, index=number.index))).to_numpy()
        c.add("error", header, "a share must lie between 0 and 1 (0% and 100%)", out_range, text)
        number = number.where(~(looks_pct | out_range))
        return number.astype("Float64")
    negative = (number < 0).to_numpy()
    if col.kind != "float":
        c.add("error", header, "negative value", negative, text, fix="counts and amounts cannot be negative")
        number = number.where(~negative)
    if col.kind in ("int", "year"):
        if col.kind == "year":
            out = (number.notna() & ((number < 1900) | (number > 2100))).to_numpy()
            c.add("error", header, "not a plausible year", out, text, fix="write a year such as 2027")
            number = number.where(~out)
        return number.round().astype("Int64")
    return number.astype("Float64")


def _parse_dates(header: str, text: pd.Series, missing: np.ndarray, c: _Collector) -> pd.Series:
    """Dates as ISO text (``2026-03-01``): ISO, Dutch day-month-year (``1-3-2026``, ``01/03/2026``,
    ``1.3.2026``) or an Excel date. An unreadable date or one after today (``[validation] today``)
    is an error."""
    t = text.astype(str).str.strip()
    iso = t.str.extract(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ][0-9:.]*)?$")
    nl = t.str.extract(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$")
    year = iso[0].fillna(nl[2])
    month = iso[1].fillna(nl[1])
    day = iso[2].fillna(nl[0])
    joined = year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2)
    parsed = pd.to_datetime(joined, format="%Y-%m-%d", errors="coerce")
    bad = ~missing & parsed.isna().to_numpy()
    c.add(
        "error",
        header,
        "not a date",
        bad,
        text,
        fix="write a date as 2026-03-01 or 1-3-2026 (day-month-year)",
    )
    today = pd.Timestamp(c.today)
    future = ~missing & ~bad & (parsed > today).fillna(False).to_numpy()
    c.add(
        "error",
        header,
        f"a date after today ({today.date().isoformat()}): a step cannot have been done in the future",
        future,
        text,
        fix="correct the date; a planned step has status 'gepland' and no date",
    )
    ok = ~missing & ~bad & ~future
    return pd.Series(np.where(ok, parsed.dt.strftime("%Y-%m-%d"), None), index=text.index, dtype="string")


_NUMBER_KINDS = ("int", "year", "float", "money", "share")


def _check_required(col: Column, header: str, missing: np.ndarray, text, c: _Collector) -> None:
    if col.required and missing.any():
        c.add(
            "error",
            header,
            "empty value in a required column",
            missing,
            text,
            fix="fill it in for every row (or remove rows that are not data)",
        )


def _parse_raw_column(col: Column, header: str, raw: _Raw, c: _Collector) -> pd.Series:
    """One column of a file, parsed: a typed number or yes/no column (Parquet, GeoPackage) as its
    values, without a round trip through text; every other column as its text cells
    (:func:`_parse_column`). Both give the same values and the same problems."""
    if header in raw.typed:
        typed = raw.frame[header]
        is_bool = pd.api.types.is_bool_dtype(typed.dtype)
        if col.kind in _NUMBER_KINDS and not is_bool:
            missing = np.isnan(typed.to_numpy(dtype=np.float64, na_value=np.nan))
            _check_required(col, header, missing, _LazyText(typed), c)
            return _parse_number_column(col, header, _LazyText(typed), missing, c, typed=typed)
        if col.kind == "yesno" and is_bool:
            missing = typed.isna().to_numpy()
            _check_required(col, header, missing, _LazyText(typed), c)
            return typed.astype("boolean")
    return _parse_column(col, header, raw.text(header), c)


def _parse_column(col: Column, header: str, text: pd.Series, c: _Collector) -> pd.Series:
    """One column's cell text as its kind's values (ids and text, area codes, numbers, yes/no, dates,
    choices), with every problem added to ``c``; an empty or unknown cell is missing, never a value
    (codes and names are missing only when empty: ``NA`` is a wijk code in Noord)."""
    # Codes and names are only missing when empty: 'NA' and 'NB' are wijk codes in Noord.
    literal = col.kind in ("id", "text", "stadsdeel", "wijk", "buurt")
    plain = _plain_numbers(text) if col.kind in _NUMBER_KINDS else None  # a plain number is never unknown
    missing = (text == "").to_numpy() if literal else _is_unknown(text, None if plain is None else plain[0]).to_numpy()
    _check_required(col, header, missing, text, c)
    if col.kind == "id":
        return _check_ids(col, header, text, missing, c)
    if col.kind == "text":
        return text.where(~missing, None).astype("string")
    if col.kind in _NUMBER_KINDS:
        return _parse_number_column(col, header, text, missing, c, plain=plain)
    if col.kind == "yesno":
        # decided once per distinct value: the word (normalised) or the mark (✓, x, 1, 0)
        def answer(cell: object) -> int:  # 1: yes, 2: no (both bits: both, and 'no' wins below)
            norm, mark = normalise_header(cell), str(cell).strip()
            yes = (norm != "" and norm in YES_WORDS) or mark in YES_MARKS
            no = (norm != "" and norm in NO_WORDS) or mark in NO_MARKS
            return int(yes) | 2 * int(no)

        said = _per_value(text, answer, np.int8)
        yes, no = (said & 1) > 0, (said & 2) > 0
        bad = ~(yes | no | missing)
        c.add(
            "error",
            header,
            "not ja/nee",
            bad,
            text,
            fix="write ja or nee (yes/no, 1/0); leave empty or write 'onbekend' when unknown",
        )
        out = pd.Series(pd.NA, index=text.index, dtype="boolean")
        out[yes] = True
        out[no] = False
        return out
    if col.kind == "status":
        lookup = {normalise_header(w): key for key, words in STATUS_WORDS.items() for w in words}
        mapped = pd.Series(_per_value(text, lambda cell: lookup.get(normalise_header(cell))), index=text.index)
        bad = ~missing & mapped.isna().to_numpy()
        c.add(
            "error",
            header,
            "unknown status",
            bad,
            text,
            fix="write kandidaat, gekozen, in ontwikkeling or gerealiseerd",
        )
        mapped = mapped.where(~missing, "candidate")
        return mapped.astype("string")
    if col.kind == "date":
        return _parse_dates(header, text, missing, c)
    if col.kind in ("process_item", "process_status"):
        words = PROCESS_ITEMS if col.kind == "process_item" else PROCESS_STATUSES
        lookup = {}
        for key, entry in words.items():
            accepted = entry[2] if col.kind == "process_item" else entry[1]
            for w in (key, *accepted, entry[1] if col.kind == "process_item" else entry[0]):
                lookup[normalise_header(w)] = key
        mapped = pd.Series(_per_value(text, lambda cell: lookup.get(normalise_header(cell))), index=text.index)
        bad = ~missing & mapped.isna().to_numpy()
        codes = ", ".join(words)
        c.add(
            "error",
            header,
            "not a step or positioning option of 2.3/2.4" if col.kind == "process_item" else "unknown status",
            bad,
            text,
            fix=f"write one of: {codes}" if col.kind == "process_item" else "write gedaan, bezig, gepland or nvt",
        )
        return mapped.where(~missing & ~bad, None).astype("string")
    if col.kind in ("stadsdeel", "wijk", "buurt"):
        up = text.str.upper().str.replace(" ", "", regex=False)
        if col.kind == "wijk":
            up = up.str.replace(r"^WK0363", "", regex=True)
            pattern = r"[A-Z][A-Z0-9]"
            example = "FA (or WK0363FA)"
        elif col.kind == "buurt":
            up = up.str.replace(r"^BU0363", "", regex=True)
            pattern = r"[A-Z][A-Z0-9][0-9]{2}[A-Z]?"
            example = "FA01 (or BU0363FA01)"
        else:
            pattern = r"[A-Z]"
            example = "F for Nieuw-West"
        bad = ~missing & ~up.str.fullmatch(pattern).to_numpy(dtype=bool)
        c.add(
            "error",
            header,
            f"not a {col.kind} code of Amsterdam's area division",
            bad,
            text,
            fix=f"write the code as {example}",
        )
        return up.where(~missing & ~bad, None).astype("string")
    raise AssertionError(f"unknown column kind {col.kind}")  # pragma: no cover - schema is fixed


# --- identifiers: text that only looks the same (docs/data-format.md, "Identifiers") -------------------

#: Characters that print as nothing (zero-width space, byte-order mark, soft hyphen, joiners, direction
#: marks: Unicode category Cf), control characters (Cc) and line or paragraph separators: never part
#: of an id, and invisible in every table, map and report.
_INVISIBLE = frozenset(("Cf", "Cc", "Zl", "Zp"))
#: Cyrillic and Greek letters that print like a Latin one in most fonts, with that Latin letter.
_LOOKALIKES = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеѕіјорсухԁһԛԝ" + "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορτυχ",
    "ABESIJKMHOPCTXYaesijopcyxdhqw" + "ABEZHIKMNOPTYXaikvoptux",
)


def _char(ch: str) -> str:
    """A character as the user can find it: code point and Unicode name (``U+200B ZERO WIDTH SPACE``)."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".strip()


def _invisible_chars(text: str) -> list[tuple[int, str]]:
    """(position from 1, character) of every invisible character in ``text``."""
    return [(i, ch) for i, ch in enumerate(text, start=1) if unicodedata.category(ch) in _INVISIBLE]


def shown_id(text: str) -> str:
    """``text`` with each invisible character written as its code point (``LLT-008<U+200B>``)."""
    return "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in _INVISIBLE else ch for ch in text)


def _script(ch: str) -> str:
    return unicodedata.name(ch, "").split(" ", 1)[0] if ch.isalpha() else ""


def _letter(i: int, ch: str) -> str:
    return f"{_script(ch).title()} '{ch}' ({_char(ch)}) at position {i}"


def _foreign_letters(text: str) -> list[tuple[int, str]]:
    """(position from 1, letter) of the Cyrillic and Greek letters of an id that also holds Latin ones."""
    scripts = [_script(ch) for ch in text]
    if "LATIN" not in scripts:
        return []
    return [(i, ch) for i, (ch, s) in enumerate(zip(text, scripts, strict=True), start=1) if s in ("CYRILLIC", "GREEK")]


def _plain(text: str) -> str:
    """An id as it looks: NFKC, without invisible characters, look-alike letters as Latin ones."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE).translate(_LOOKALIKES)


def id_skeletons(values: np.ndarray) -> np.ndarray:
    """What each id looks like (:func:`_plain`, case folded), vectorised: printable ASCII (the bulk of any
    register) by Arrow's lower-case kernel, only the other values one by one."""
    values = np.asarray(values, dtype=object)
    if not len(values):
        return values.copy()
    arr = pa.array(values, type=pa.string())
    out = pc.utf8_lower(arr).to_numpy(zero_copy_only=False).astype(object, copy=True)
    other = ~pc.ascii_is_printable(arr).to_numpy(zero_copy_only=False)
    out[other] = [_plain(v).casefold() for v in values[other]]
    return out


def how_ids_differ(value: str, other: str) -> str:
    """How an id differs from one it looks like: ``case``, ``the invisible U+200B ZERO WIDTH SPACE at
    position 8``, ``the Cyrillic 'Т' (U+0422 CYRILLIC CAPITAL LETTER TE) at position 3``."""
    parts = []
    for text, whose in ((value, ""), (other, f" of {shown_id(other)}")):
        chars = _invisible_chars(text)
        if chars:
            parts.append("the invisible " + ", ".join(f"{_char(ch)} at position {i}" for i, ch in chars) + whose)
    for text, whose in ((value, ""), (other, f" of {shown_id(other)}")):
        letters = [(i, ch) for i, ch in enumerate(text, start=1) if ch.translate(_LOOKALIKES) != ch]
        if letters:
            parts.append("the " + ", ".join(_letter(i, ch) for i, ch in letters) + whose)
    if unicodedata.normalize("NFKC", value) != value or unicodedata.normalize("NFKC", other) != other:
        parts.append("full-width or other compatibility characters")
    if _plain(value) != _plain(other):
        parts.append("case")
    return " and ".join(parts) or "its Unicode form"


def _check_ids(col: Column, header: str, text: pd.Series, missing: np.ndarray, c: _Collector) -> pd.Series:
    """An id column as its text in Unicode NFKC; what only looks like another id is reported.

    Invisible characters in an id (zero-width space, byte-order mark, control characters) are an error
    naming the code point and position; Latin letters mixed with Cyrillic or Greek ones are a warning
    naming the letter and position; compatibility forms (full-width letters, ligatures) are read as
    NFKC, with a warning. In a column that names the table's own rows (not a reference), ids that
    differ only by case or by a look-alike letter are an error (:func:`_check_id_collisions`). Arrow's
    kernels look at every cell; only distinct values that are not printable ASCII, one by one.
    """
    arr = _arrow_text(text)
    if isinstance(arr, pa.ChunkedArray):  # Arrow-backed text of a large file comes in chunks
        arr = arr.combine_chunks()
    odd = ~missing & ~pc.ascii_is_printable(arr).to_numpy(zero_copy_only=False)
    special = pd.unique(text[odd].to_numpy(dtype=object)) if odd.any() else np.array([], dtype=object)
    invisible: dict[str, dict[str, str]] = {}  # code point -> value -> value as shown, with position
    foreign: dict[str, str] = {}
    compat: dict[str, str] = {}
    nfkc: dict[str, str] = {}
    for v in special:
        for i, ch in _invisible_chars(v):
            invisible.setdefault(_char(ch), {})[v] = f"{shown_id(v)} (U+{ord(ch):04X} at position {i})"
        letters = _foreign_letters(v)
        if letters:
            foreign[v] = f"{v}: " + ", ".join(_letter(i, ch) for i, ch in letters)
        nfkc[v] = unicodedata.normalize("NFKC", v)
        if nfkc[v] != unicodedata.normalize("NFC", v) and not _invisible_chars(v):
            compat[v] = f"{v} -> {nfkc[v]}"
    for code, shown in invisible.items():
        c.add(
            "error",
            header,
            f"an invisible character in the id, {code}: the id prints like one without it, but is another id",
            text.isin(list(shown)).to_numpy() & ~missing,
            lambda shown=shown: text.map(shown),
            fix=f"delete the invisible character ({code.split()[0]}): retype the id, or remove it with Find and "
            "Replace",
        )
    for found, message, fix in (
        (
            foreign,
            "Latin letters mixed with Cyrillic or Greek ones in the id: it prints like an id in Latin letters "
            "but does not equal it",
            "retype the letter(s) named on a keyboard with the Latin alphabet",
        ),
        (
            compat,
            "full-width letters, ligatures or other compatibility characters in the id: read as the plain "
            "characters they stand for (Unicode NFKC)",
            "retype the id in plain characters",
        ),
    ):
        if found:
            c.add(
                "warning",
                header,
                message,
                text.isin(list(found)).to_numpy() & ~missing,
                lambda found=found: text.map(found),
                fix=fix,
            )
    out = text.where(~missing, None).astype("string")
    changed = {k: v for k, v in nfkc.items() if k != v}
    if changed:
        at = text.isin(list(changed)).to_numpy() & ~missing
        out[at] = text[at].map(changed).to_numpy(dtype=object)
    if col.references is None:
        skip = odd & text.isin([v for shown in invisible.values() for v in shown]).to_numpy()
        _check_id_collisions(header, text, out, arr, odd, ~missing & ~skip, c)
    return out


def _check_id_collisions(
    header: str, text: pd.Series, ids: pd.Series, arr: pa.Array, odd: np.ndarray, check: np.ndarray, c: _Collector
) -> None:
    """Ids of the table's own rows (where ``check`` holds) that differ only by case, or by a look-alike
    letter: an error each. Arrow's lower case of every cell finds the candidates in one hash pass; only
    those are compared one by one (``odd`` rows, not printable ASCII, by :func:`_plain`)."""
    lower = pc.utf8_lower(arr)
    if odd.any():
        keys = lower.to_numpy(zero_copy_only=False).astype(object, copy=True)
        keys[odd] = [_plain(v).casefold() for v in text[odd].to_numpy(dtype=object)]
        lower = pa.array(keys, type=pa.string())
    codes = lower.dictionary_encode().indices.to_numpy(zero_copy_only=False)
    candidates = check & (np.bincount(codes)[codes] > 1) if len(codes) else check
    if not candidates.any():
        return
    uniq = pd.unique(ids[candidates].to_numpy(dtype=object))
    skel = id_skeletons(uniq)
    groups: dict[str, list[str]] = {}
    for v, s in zip(uniq, skel, strict=True):
        groups.setdefault(s, []).append(v)
    case: dict[str, str] = {}
    look: dict[str, str] = {}
    for members in groups.values():
        for v in members if len(members) > 1 else ():
            other = members[1] if v == members[0] else members[0]
            how = how_ids_differ(v, other)
            (case if how == "case" else look)[v] = f"{shown_id(v)} (differs from {shown_id(other)} only by {how})"
    for group, message, fix in (
        (
            case,
            "ids that differ only by case: they would share one file on a case-insensitive file system "
            "(Windows, macOS), and are easily taken for one",
            "give each its own id, or write them the same if they are one",
        ),
        (
            look,
            "ids that look the same but differ by a look-alike letter (Cyrillic or Greek): which one is meant "
            "cannot be seen",
            "retype the id in Latin letters, or give each its own id",
        ),
    ):
        if group:
            c.add(
                "error",
                header,
                message,
                ids.isin(list(group)).to_numpy() & check,
                lambda group=group: ids.map(group).astype(object),
                fix=fix,
            )
