"""Reading, stage 1 of 5 -- formats: every file format becomes a table of text cells.

CSV (comma, semicolon or tab separated; UTF-8 with or without BOM; leading ``#`` lines are
comments), Excel (.xlsx/.xlsm: the sheet named after the table, else the one whose header names
its columns), GeoJSON, GeoPackage and GeoParquet or plain Parquet are read into a :class:`_Raw`:
every cell as text (``""`` for empty; typed numbers, booleans and dates of a workbook, geodata or
Parquet file written as text that :mod:`.values` reads back as the same value), the row numbers
the user sees, the file's own geometry column if it has one, and the problems of the file itself:
its encoding, records that cannot be split into cells, a value under no header, formulas without a
stored value. The table's specification is used only to find the sheet, layer and header row and
to tell a decimal comma that split a cell in two; what a value means is decided in :mod:`.values`.
"""

from __future__ import annotations

import csv
import io as _io
import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError, Problem
from ..schema import LOCATION_ALIASES, Table, normalise_header

EXTENSIONS = (".csv", ".txt", ".xlsx", ".xlsm", ".geojson", ".json", ".gpkg", ".parquet", ".geoparquet")
_GEO_EXTENSIONS = (".geojson", ".json", ".gpkg")
_PARQUET_EXTENSIONS = (".parquet", ".geoparquet")


@dataclass
class _Raw:
    file: str
    frame: pd.DataFrame  # every cell text ("" for empty), except the columns named in ``typed``
    rows: np.ndarray  # row numbers as the user sees them
    row_noun: str = "row"
    geometry: gpd.GeoSeries | None = None
    problems: list[Problem] = field(default_factory=list)
    flagged: np.ndarray | None = None  # rows the reader could not split into cells reliably (reported)
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # a header typed twice -> its columns
    #: columns of a Parquet or geodata file kept as the file typed them (numbers, booleans): checked as
    #: values by :mod:`.values`, and written as text (:meth:`text`) only where that is needed
    typed: frozenset[str] = frozenset()
    _texts: dict[str, pd.Series] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.flagged is None:
            self.flagged = np.zeros(len(self.frame), dtype=bool)

    def text(self, column: str) -> pd.Series:
        """One column as text cells (a typed column written as :func:`_cell_text` would, once)."""
        if column not in self.typed:
            return self.frame[column]
        if column not in self._texts:
            s = self.frame[column]
            self._texts[column] = pd.Series(_column_to_text(s), index=s.index, name=column, dtype=object)
        return self._texts[column]


#: A typed number with exactly three decimals (12,125) gets a fourth, zero (12,1250), so the rule
#: "a separator before exactly three digits may be a thousands separator" never questions it.
_THREE_DECIMALS = r"^(-?[0-9]+,[0-9]{3})$"


def _typed_decimal(text: str) -> str:
    """A typed number's text (``repr``) with a decimal comma, which :func:`_parse_numbers` reads back
    as the same number: never a thousand times larger, never ambiguous."""
    return re.sub(_THREE_DECIMALS, r"\g<1>0", text.replace(".", ","))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "ja" if value else "nee"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        if float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        # a typed number is written with a decimal comma, so the Dutch number rules of
        # :func:`_parse_numbers` (a point before three digits is a thousands separator) read it back
        # as the same number: 1.125 stays 1.125, never 1125
        return _typed_decimal(repr(float(value)))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


#: every character ``str.strip()`` removes (``str.isspace``), for Arrow's trim kernel
_PY_WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


def _column_to_text(s: pd.Series) -> np.ndarray:
    """One column as text cells, exactly as :func:`_cell_text` would give them, vectorised where the
    dtype allows (numbers, booleans, plain strings: the bulk of a large file)."""
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype) and not isinstance(dtype, pd.BooleanDtype):
        return np.where(s.to_numpy(dtype=bool), "ja", "nee").astype(object)
    if pd.api.types.is_integer_dtype(dtype) and str(dtype) != "UInt64":
        # numpy and nullable integers: Arrow's decimal text (as str(int)), "" where <NA>
        text = pc.fill_null(pc.cast(pa.array(s, from_pandas=True), pa.string()), "")
        return text.to_numpy(zero_copy_only=False).astype(object, copy=False)
    if pd.api.types.is_float_dtype(dtype):  # numpy floats, and nullable Float64 (<NA> becomes NaN: empty)
        v = s.to_numpy(dtype=np.float64, na_value=np.nan)
        finite = np.isfinite(v)
        whole = finite & (np.abs(v) < 1e15) & (v == np.floor(np.where(finite, v, 0)))
        # numpy's shortest round-trip form, as repr(); the comma and the fourth decimal by Arrow's
        # string kernels (C++), not a Python call per cell
        text = pc.replace_substring(pa.array(v.astype(str)), ".", ",")
        text = pc.replace_substring_regex(text, _THREE_DECIMALS, r"\10")
        out = text.to_numpy(zero_copy_only=False).astype(object, copy=True)
        out[whole] = v[whole].astype(np.int64).astype(str)
        out[np.isnan(v)] = ""
        return out
    if isinstance(dtype, pd.BooleanDtype):
        yes = s.fillna(False).to_numpy(dtype=bool)
        return np.where(s.isna().to_numpy(), "", np.where(yes, "ja", "nee")).astype(object)
    if pd.api.types.is_integer_dtype(dtype):  # UInt64 beyond int64
        return s.astype("string").fillna("").to_numpy(dtype=object)
    is_object = pd.api.types.is_object_dtype(dtype)
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        # Arrow-backed text (what pandas 3 reads): trimmed of exactly the characters str.strip removes
        text = pc.utf8_trim(pa.array(s, from_pandas=True), characters=_PY_WHITESPACE)
        return pc.fill_null(text, "").to_numpy(zero_copy_only=False).astype(object, copy=False)
    if (pd.api.types.is_string_dtype(dtype) and not is_object) or (
        is_object and pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty")
    ):
        return s.astype(object).where(s.notna(), "").astype(str).str.strip().to_numpy(dtype=object)
    return np.array([_cell_text(v) for v in s.tolist()], dtype=object)


def _checkable_typed(s: pd.Series) -> bool:
    """Whether a typed column is kept as values (numbers and booleans, which :mod:`.values` checks
    directly); anything else becomes text at once."""
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return True
    if pd.api.types.is_integer_dtype(dtype):
        return str(dtype) not in ("UInt64", "uint64")  # beyond int64: text, as before
    return pd.api.types.is_float_dtype(dtype)


def _frame_to_text(frame: pd.DataFrame) -> tuple[pd.DataFrame, frozenset[str]]:
    """A typed frame (Parquet, geodata) as cells: text columns as text; number and boolean columns
    kept typed (named in the returned set), their text made only when needed (:meth:`_Raw.text`).
    Every column made text first (:func:`_column_to_text`) gives the same tables and problems
    (``tests/test_typed_path.py``)."""
    out: dict[str, Any] = {}
    typed = set()
    for col in frame.columns:
        s = frame[col]
        if _checkable_typed(s):
            out[str(col)] = s.reset_index(drop=True)
            typed.add(str(col))
        elif isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
            # Arrow text stays Arrow text (no Python string per cell): trimmed of exactly what
            # str.strip removes, "" where empty, as _column_to_text gives it
            out[str(col)] = _arrow_str(pa.array(s, from_pandas=True))
        else:
            out[str(col)] = pd.Series(_column_to_text(s), dtype=object)
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame))), frozenset(typed)


def _text_table(
    name: str,
    header: list[str],
    records: list[list[str]],
    rows: list[int],
    problems: list[Problem],
    flagged: list[int] | None = None,
) -> _Raw:
    """A table of text cells from a header and records.

    Columns without a header are left out when empty; a value under no header is an error for its
    row (Excel and CSV alike: the value would otherwise be lost). A header used twice is an error.
    ``flagged`` are record indices whose cells cannot be trusted (reported by the reader).
    """
    flagged_mask = np.zeros(len(records), dtype=bool)
    if flagged:
        flagged_mask[flagged] = True
    keep = [i for i, h in enumerate(header) if h]
    if len(keep) < len(header):
        stray = [
            (k, next(rec[i] for i in range(len(header)) if i not in keep and rec[i]))
            for k, rec in enumerate(records)
            if not flagged_mask[k] and any(rec[i] for i in range(len(header)) if i not in keep)
        ]
        if stray:
            problems.append(
                Problem(
                    "error",
                    name,
                    None,
                    "a value in a column without a header",
                    rows=tuple(rows[k] for k, _v in stray),
                    values=tuple(v for _k, v in stray),
                    fix="give the column a header, or remove the value",
                    row_index=tuple(k for k, _v in stray),
                )
            )
            flagged_mask[[k for k, _v in stray]] = True
        records = [[rec[i] for i in keep] for rec in records]
        header = [header[i] for i in keep]
    # a header used twice: numbered ("opmerking (2)") so no column is lost; where it names a column
    # llt_geo reads, that is an error (see _match_columns), else only part of the unused columns
    seen: dict[str, int] = {}
    duplicates: dict[str, list[str]] = {}
    numbered = []
    for h in header:
        seen[h] = seen.get(h, 0) + 1
        label = h if seen[h] == 1 else f"{h} ({seen[h]})"
        if seen[h] > 1:
            duplicates.setdefault(h, [h]).append(label)
        numbered.append(label)
    header = numbered
    frame = (
        pd.DataFrame(records, columns=header, dtype=object) if records else pd.DataFrame(columns=header, dtype=object)
    )
    raw = _Raw(name, frame, np.asarray(rows, dtype=int), "row", None, problems, flagged_mask)
    raw.duplicates = duplicates
    return raw


def _file_error(name: str, message: str, fix: str) -> InputError:
    return InputError.one(name, message, fix=fix)


_SAVE_AS_CSV = "save it from Excel as 'CSV UTF-8 (comma delimited)' (Save As > CSV UTF-8), or give the .xlsx itself"


def _decode_text(path: Path) -> tuple[str, list[Problem], bytes]:
    """The text of a CSV file, and the same text as UTF-8 bytes without a byte-order mark (for
    pyarrow's parser); what else the file is (a workbook, UTF-16, binary) is named exactly."""
    name = path.name
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise _file_error(
            name,
            "this is an Excel workbook (.xlsx) or another ZIP file, not CSV text, although it is named "
            f"'{path.suffix}'",
            f"rename it to {path.stem}.xlsx, or {_SAVE_AS_CSV}",
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error(
            name,
            "this is an old Excel 97-2003 workbook (.xls), not CSV text",
            f"open it in Excel and save it as .xlsx, or {_SAVE_AS_CSV}",
        )
    problems: list[Problem] = []
    utf16 = None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        utf16 = "utf-16"
    elif len(data) >= 4 and data[:400][1::2].count(0) >= 0.9 * len(data[:400][1::2]) and data[0] != 0:
        utf16 = "utf-16-le"
    elif len(data) >= 4 and data[:400][0::2].count(0) >= 0.9 * len(data[:400][0::2]) and data[1] != 0:
        utf16 = "utf-16-be"
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            raise _file_error(
                name, "this looks like UTF-16 text (Excel's 'Unicode Text') but cannot be decoded", _SAVE_AS_CSV
            ) from None
        problems.append(
            Problem(
                "warning",
                name,
                None,
                "the file is UTF-16 text (Excel's 'Unicode Text'); read as such",
                fix=f"to be safe, {_SAVE_AS_CSV}",
            )
        )
        text = text.lstrip("\ufeff")
        return text, problems, text.encode("utf-8")
    if data.startswith(b"%PDF"):
        raise _file_error(name, "this is a PDF document, not CSV text", "export the table itself as CSV UTF-8 or .xlsx")
    if b"\x00" in data[:4096]:
        raise _file_error(
            name,
            "this is a binary file, not CSV text",
            f"check that it is the right file; {_SAVE_AS_CSV}",
        )
    try:
        text = data.decode("utf-8-sig")
        return text, problems, data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 1]
        try:
            char = bad.decode("cp1252")
            what = f" ('{char}' in Windows-1252, the encoding of Excel's plain 'CSV')"
        except UnicodeDecodeError:
            what = ""
        raise _file_error(
            name,
            f"the file is not UTF-8 text: the first unreadable character is on line {line}{what}",
            "save it as 'CSV UTF-8' (Excel: Save As > CSV UTF-8 (comma delimited))",
        ) from None


class _Lines:
    """An iterator over text lines that knows how many it has handed out (for :mod:`csv`)."""

    def __init__(self, lines: list[str], pos: int):
        self.lines = lines
        self.pos = pos

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


_SPLIT_DECIMAL = re.compile(r"-?[0-9]+")


def _strictly_quoted(text: str, delimiter: str) -> bool:
    """Whether ``text`` (one record's lines) parses with every quote closed and followed by a
    separator or the end of the line, as a quote that belongs to a cell is."""
    try:
        for _ in csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return False
    return True


def _split_decimal(cells: list[str], kinds: list[str | None], ncols: int) -> bool:
    """Whether joining neighbouring cells that look like the halves of a decimal number (``120``,
    ``5``) makes the row fit: as many cells as headers, and a number in every numeric column."""
    extra = len(cells) - ncols
    if extra < 1 or extra > 3:
        return False

    def fits(row: list[str]) -> bool:
        return all(
            not row[i] or kinds[i] is None or kinds[i] not in _NUMERIC_KINDS or _LOOSE_NUMBER.fullmatch(row[i])
            for i in range(ncols)
        )

    def search(row: list[str], left: int, start: int) -> bool:
        if left == 0:
            return fits(row)
        for i in range(start, len(row) - 1):
            halves = _SPLIT_DECIMAL.fullmatch(row[i]) and row[i + 1].isdigit() and row[i + 1].isascii()
            if halves and search([*row[:i], f"{row[i]},{row[i + 1]}", *row[i + 2 :]], left - 1, i + 1):
                return True
        return False

    return search(cells, extra, 0)


_NUMERIC_KINDS = ("int", "year", "float", "money", "share")
_LOOSE_NUMBER = re.compile(r"[-+]?[0-9.,]+%?")


def _arrow_str(column: pa.Array | pa.ChunkedArray) -> pd.Series:
    """Arrow text as a pandas column of text cells, kept in Arrow (``str``, no Python string per
    cell): trimmed of exactly the characters ``str.strip`` removes, ``""`` where missing."""
    text = pc.fill_null(pc.utf8_trim(column, characters=_PY_WHITESPACE), "")
    if isinstance(text, pa.ChunkedArray) and text.num_chunks != 1:
        text = text.combine_chunks()
    return pd.Series(pd.array(text, dtype="str"))


def _read_csv_fast(
    name: str, text: str, data: bytes, head: list[str], skipped: int, delimiter: str, problems: list[Problem]
) -> _Raw | None:
    """The table of a plain CSV file through pyarrow's parser, or None when the file holds anything
    the line-aware path handles (quotes, line breaks in cells, blank or empty rows, ragged rows, a
    blank or repeated header, a lone carriage return): then row numbers and messages need it.

    ``data`` is ``text`` as UTF-8 bytes and ``head`` its first lines, of which ``skipped`` are
    comments or blank and the next is the header. The file's text is never split into Python lines:
    a blank line (also one of spaces) is a row with too few fields for pyarrow, or, with one column,
    a row of empty cells; either sends the file to the line-aware path, as before.
    """
    if '"' in text or skipped + 1 >= len(head):
        return None
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # a carriage return alone ends a line for Python's csv, not for pyarrow
    header = [h.strip() for h in head[skipped].rstrip("\r\n").split(delimiter)]
    if any(not h for h in header) or len(set(header)) < len(header):
        return None
    import pyarrow.csv as pacsv

    offset = len("".join(head[: skipped + 1]).encode("utf-8"))  # the data rows start after the header
    names = [f"c{i}" for i in range(len(header))]
    try:
        tbl = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(offset)),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except Exception:  # ragged rows and anything else odd: the line-aware path reports it exactly
        return None
    if not tbl.num_rows:
        return None
    cols = {h: _arrow_str(tbl.column(n)) for h, n in zip(header, names, strict=True)}
    frame = pd.DataFrame(cols, index=pd.RangeIndex(tbl.num_rows))
    if len(frame):
        empty = np.ones(len(frame), dtype=bool)
        for s in cols.values():
            empty &= (s == "").to_numpy(dtype=bool)
        if empty.any():
            return None  # a row of empty cells is skipped by the line-aware path, shifting nothing else
    rows = np.arange(skipped + 2, skipped + 2 + len(frame))
    return _Raw(name, frame, rows, "row", None, problems, np.zeros(len(frame), dtype=bool))


def _csv_start(name: str, lines: list[str]) -> tuple[int, str]:
    """The number of comment and blank lines before the header, and the delimiter the header uses."""
    skipped = 0
    while skipped < len(lines) and (lines[skipped].lstrip().startswith("#") or not lines[skipped].strip()):
        skipped += 1
    if skipped == len(lines):
        raise _file_error(name, "the file has no header row and no data", "add a header row")
    header_line = lines[skipped]
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
    return skipped, delimiter


def _read_csv_header(name: str, lines: list[str], skipped: int, delimiter: str) -> tuple[_Lines, Any, list[str]]:
    """The line source and CSV reader placed after the header row, and the header's stripped cells."""
    src = _Lines(lines, skipped)
    reader = csv.reader(src, delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except (csv.Error, StopIteration):
        raise _file_error(name, "the header row cannot be read as CSV", "check the first line") from None
    if src.pos - skipped > 1 and not _strictly_quoted("".join(lines[skipped : src.pos]), delimiter):
        raise _file_error(
            name,
            f'the header row (line {skipped + 1}) has a quote (") that is never closed, so the rows below it would '
            "be read as part of the header",
            'remove the stray quote from the header, or close it ("...")',
        )
    return src, reader, header


def _header_kinds(header: list[str], table: Table | None) -> list[str | None]:
    """The value kind of each header cell in ``table`` (``None`` for unknown headers or no table)."""
    if table is None:
        return [None] * len(header)
    by_alias = {alias: col.kind for col in table.columns for alias in col.headers}
    return [by_alias.get(normalise_header(h)) for h in header]


@dataclass
class _CsvRecords:
    """The data rows of a CSV file as read, with the rows that did not split cleanly into cells."""

    records: list[list[str]] = field(default_factory=list)  # cells, padded or cut to the header
    rows: list[int] = field(default_factory=list)  # spreadsheet row of each record
    flagged: list[int] = field(default_factory=list)  # indexes of records whose cells cannot be trusted
    too_many: list[tuple] = field(default_factory=list)  # (row, line, record index, cells)
    too_few: list[int] = field(default_factory=list)  # rows
    unclosed: list[tuple] = field(default_factory=list)  # (row, text line, lines, column, record, record index)


def _next_record(name: str, reader: Any, start: int) -> list[str] | None:
    """The next record of a CSV reader, or ``None`` at the end of the file."""
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        raise _file_error(
            name,
            f"cannot be read as CSV near line {start + 1}: {exc}",
            'check for an unclosed quote (") on that line',
        ) from None


def _has_unclosed_quote(lines: list[str], start: int, end: int, delimiter: str) -> bool:
    """Whether the record on ``lines[start:end]`` spans lines or ends the file because a quote never closes."""
    return (
        (end - start > 1 or end == len(lines))
        and '"' in lines[start]
        and not _strictly_quoted("".join(lines[start:end]), delimiter)
    )


def _first_line_cells(line: str, delimiter: str) -> tuple[list[str], int]:
    """One line's cells with quotes read as text, and the index of the cell that opens a quote (else 0)."""
    record = next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
    record = [cell.rstrip("\r\n") for cell in record]
    where = next((i for i, cell in enumerate(record) if cell.lstrip().startswith('"')), 0)
    return record, where


def _add_record(out: _CsvRecords, record: list[str], row: int, ncols: int, delimiter: str) -> None:
    """Keep one non-empty record as ``ncols`` cells, noting too many or too few fields."""
    if not any(cell.strip() for cell in record):
        return
    cells = [c.strip() for c in record]
    if len(cells) > ncols and any(cells[ncols:]):
        out.too_many.append((row, delimiter.join(record), len(out.records), cells))
        out.flagged.append(len(out.records))
    elif len(cells) < ncols:
        out.too_few.append(row)
    cells = (cells + [""] * ncols)[:ncols]
    if out.unclosed and out.unclosed[-1][0] == row:
        out.flagged.append(len(out.records))
        out.unclosed[-1] = (*out.unclosed[-1], len(out.records))
    out.records.append(cells)
    out.rows.append(row)


def _read_csv_records(
    name: str, lines: list[str], src: _Lines, reader: Any, delimiter: str, header: list[str], skipped: int
) -> _CsvRecords:
    """Every data row after the header; a record with an unclosed quote is read from its first line only."""
    out = _CsvRecords()
    ncols = len(header)
    row = skipped + 1  # the spreadsheet row of the header
    while True:
        start = src.pos
        record = _next_record(name, reader, start)
        if record is None:
            break
        row += 1
        if _has_unclosed_quote(lines, start, src.pos, delimiter):
            # an unclosed quote: read the first line alone, quote as text, and go on after it
            record, where = _first_line_cells(lines[start], delimiter)
            out.unclosed.append((row, start + 1, src.pos - start, header[where] if where < ncols else None, record))
            src = _Lines(lines, start + 1)
            reader = csv.reader(src, delimiter=delimiter)
        _add_record(out, record, row, ncols, delimiter)
    return out


def _unclosed_quote_problems(name: str, delimiter: str, unclosed: list[tuple]) -> list[Problem]:
    """One error per record read from its first line only because a quote never closes."""
    problems = []
    for row_, line, n_lines, column, record, index in unclosed:
        at = "" if row_ == line else f" (it starts on text line {line})"
        problems.append(
            Problem(
                "error",
                name,
                column,
                f'a quote (") opens a cell and is never closed{at}: the {n_lines - 1} line(s) after it would have '
                "been read into this one cell and lost as rows; only this row is read, with the quote as text,",
                rows=(row_,),
                values=(next((c for c in record if c.lstrip().startswith('"')), delimiter.join(record))[:60],),
                fix='remove the stray quote, or close it ("...") at the end of the cell',
                row_index=(index,),
            )
        )
    return problems


def _too_many_fields_problem(
    name: str, delimiter: str, ncols: int, kinds: list[str | None], too_many: list[tuple]
) -> Problem:
    """The error for the rows with more fields than headers, hinting at a split decimal comma."""
    split_number = delimiter == "," and any(_split_decimal(cells, kinds, ncols) for *_x, cells in too_many)
    hint = (
        "a decimal comma in a comma-separated file splits a number in two: use ';' as separator, "
        "or put such values in quotes"
        if split_number
        else f"remove the extra '{delimiter}' or put the value that holds it in quotes"
    )
    return Problem(
        "error",
        name,
        None,
        f"more fields than the {ncols} headers (the row's cells cannot be matched to the columns)",
        rows=tuple(r for r, *_ in too_many),
        values=tuple(v for _r, v, *_ in too_many),
        fix=hint,
        row_index=tuple(i for _r, _v, i, _c in too_many),
    )


def _too_few_fields_problem(name: str, too_few: list[int]) -> Problem:
    """The warning for the rows with fewer fields than headers."""
    return Problem(
        "warning",
        name,
        None,
        "fewer fields than headers; the missing trailing cells are read as empty (unknown)",
        rows=tuple(too_few),
    )


#: Lines read ahead to find the header of a CSV file (comment lines above it, and the header itself).
_HEAD_LINES = 200


def _read_csv(path: Path, table: Table | None = None) -> _Raw:
    """Read a CSV file as text cells.

    Row numbers are spreadsheet rows (a cell with a line break, Alt+Enter in Excel, stays one row).
    An opening quote that is never closed would swallow the rest of the file into one cell (Python's
    csv and pandas both accept that). A record that spans lines, or ends the file, is therefore
    parsed once more strictly: a quoted cell that is still open at the end of the file, or whose
    "closing" quote is followed by more text (the opening quote of a cell further down), marks an
    unclosed quote. That record is read again up to the end of its first line with the quote kept
    as text, reported, and reading goes on with the next line. A quoted cell with line breaks that
    closes properly is one cell, whatever it holds. A row with more fields than headers is kept,
    counted and reported (its cells cannot be trusted), never dropped unseen.
    """
    name = path.name
    text, problems, data = _decode_text(path)
    head = list(itertools.islice(_io.StringIO(text, newline=""), _HEAD_LINES))
    try:
        skipped, delimiter = _csv_start(name, head)
    except InputError:
        if len(head) < _HEAD_LINES:
            raise
        skipped = _HEAD_LINES  # as many comment lines as that: the line-aware path
    if skipped < _HEAD_LINES:  # pyarrow's parser, unless the file needs the line-aware reader below
        fast = _read_csv_fast(name, text, data, head, skipped, delimiter, problems)
        if fast is not None:
            return fast
    lines = list(_io.StringIO(text, newline=""))
    skipped, delimiter = _csv_start(name, lines)
    src, reader, header = _read_csv_header(name, lines, skipped, delimiter)
    kinds = _header_kinds(header, table)
    got = _read_csv_records(name, lines, src, reader, delimiter, header, skipped)
    problems += _unclosed_quote_problems(name, delimiter, got.unclosed)
    if got.too_many:
        problems.append(_too_many_fields_problem(name, delimiter, len(header), kinds, got.too_many))
    if got.too_few:
        problems.append(_too_few_fields_problem(name, got.too_few))
    return _text_table(name, header, got.records, got.rows, problems, got.flagged)


def _sheet_rows(sheet) -> list[tuple[int, list[str]]]:
    """Every filled row of a sheet as text cells, with its spreadsheet row number.

    The sheet's stored size (``<dimension>``) is not trusted: some tools write it too small, and
    openpyxl's read-only mode would then stop early and lose rows without a word.
    """
    sheet.reset_dimensions()
    out = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if any(cells):
            out.append((number, cells))
    return out


def _header_score(cells: list[str], table: Table) -> int:
    """How many of the table's columns (and location columns) a row's cells name."""
    norm = {normalise_header(c) for c in cells if c}
    named = sum(1 for col in table.columns if norm & set(col.headers))
    if table.geometry:
        named += sum(1 for aliases in LOCATION_ALIASES.values() if norm & set(aliases))
    return named


def _header_pick(filled: list[tuple[int, list[str]]], table: Table) -> tuple[int | None, int]:
    """Of the first ten filled rows, the one that names the most columns of ``table`` (the first of
    equals), and how many it names; ``(None, 0)`` when none names any. A title, a block of
    metadata (``Corporatie: Ymere``) or a grouping row above the header names fewer."""
    scores = [_header_score(cells, table) for _n, cells in filled[:10]]
    if not scores or max(scores) == 0:
        return None, 0
    best = max(scores)
    return scores.index(best), best


_STATE = {"hidden": "hidden", "veryHidden": "very hidden"}


def _pick_sheet(book, names: list[str], table: Table) -> tuple[str | None, list[tuple[int, list[str]]]]:
    """Of ``names``, the sheet named after the table; else the one whose header names the most columns
    of the table (the first of equals: an instruction sheet that lists a column name or two is not the
    data); ``(None, [])`` when none is a candidate."""
    sheets = {normalise_header(s): s for s in names}
    named = next((sheets[s] for s in table.file_stems if s in sheets), None)
    if named is not None:
        return named, _sheet_rows(book[named])
    best: tuple[int, str | None, list] = (0, None, [])
    for candidate in names:
        rows_ = _sheet_rows(book[candidate])
        score = _header_pick(rows_, table)[1]
        if score > best[0]:
            best = (score, candidate, rows_)
    return best[1], best[2]


def _choose_sheet(book, name: str, table: Table, problems: list[Problem]) -> tuple[str, list[tuple[int, list[str]]]]:
    """The sheet of a workbook that holds ``table``, and its filled rows; what was skipped is said.

    Visible sheets first: the one named after the table, else the one whose header names the most
    of its columns, else the first. A hidden or very hidden sheet (last year's data, a lookup list)
    is never read silently: it is skipped with a warning naming it, and read, with a warning, only
    when no visible sheet holds the table. Chart sheets hold no cells and are never read.
    """
    states = {ws.title: getattr(ws, "sheet_state", "visible") or "visible" for ws in book.worksheets}
    if not states:
        raise _file_error(name, "the workbook has no worksheet with cells", "put the table in a worksheet")
    visible = [s for s, state in states.items() if state == "visible"]
    hidden = [s for s, state in states.items() if state != "visible"]
    listed = ", ".join(f"'{s}' ({_STATE.get(states[s], states[s])})" for s in hidden)
    sheet_name, filled = _pick_sheet(book, visible, table)
    if sheet_name is None and hidden:
        sheet_name, filled = _pick_sheet(book, hidden, table)
        if sheet_name is None and not visible:
            sheet_name = hidden[0]
            filled = _sheet_rows(book[sheet_name])
        if sheet_name is not None:
            problems.append(
                Problem(
                    "warning",
                    name,
                    None,
                    f"read the {_STATE.get(states[sheet_name], states[sheet_name])} sheet '{sheet_name}': no "
                    f"visible sheet holds the {table.name} table (hidden sheets: {listed})",
                    fix="check that this hidden sheet holds the current data; unhide it (right-click a sheet tab > "
                    "Unhide) and save, so what is read is what you see",
                )
            )
            return sheet_name, filled
    if sheet_name is None:
        sheet_name = visible[0]
        filled = _sheet_rows(book[sheet_name])
    elif sheet_name != visible[0] and normalise_header(sheet_name) not in table.file_stems:
        skipped = visible[: visible.index(sheet_name)]
        problems.append(
            Problem(
                "warning",
                name,
                None,
                f"read sheet '{sheet_name}', whose header names the most columns of the {table.name} "
                f"table; the sheet(s) before it ({', '.join(skipped)}) are skipped",
                fix=f"name the data sheet '{table.name}' to choose it explicitly",
            )
        )
    if hidden:
        problems.append(
            Problem(
                "warning",
                name,
                None,
                f"hidden sheet(s) not read: {listed}; the visible sheet '{sheet_name}' is read",
                fix="if a hidden sheet holds the data, unhide it (right-click a sheet tab > Unhide) and delete or "
                "rename the sheet that does not; else delete the hidden sheet(s)",
            )
        )
    return sheet_name, filled


def _read_excel(path: Path, table: Table) -> _Raw:
    """The sheet of a workbook that holds ``table`` (by the sheet's name or its headers), as text cells.

    A workbook that cannot be opened, or that has no such sheet, is an error naming the file and
    the fix; the header row may sit below a title block (Dutch corporations' exports), and the row
    numbers reported are the spreadsheet's own.
    """
    import openpyxl

    name = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _file_error(
            name, f"cannot be opened as an Excel workbook ({exc})", "save it again from Excel as .xlsx"
        ) from None
    problems: list[Problem] = []
    try:
        sheet_name, filled = _choose_sheet(book, name, table, problems)
        formulas = _formulas_without_values(path, sheet_name, filled)
    finally:
        book.close()
    if not filled:
        raise _file_error(name, f"sheet '{sheet_name}' is empty", "put the header in the first row")
    # the header is the first of the first ten filled rows that names a column of this table: a
    # title or a date above it is skipped, and reported
    pick = _header_pick(filled, table)[0] or 0
    header_row, header = filled[pick]
    if pick:
        problems.append(
            Problem(
                "warning",
                name,
                None,
                f"rows above the header (row {header_row}) are skipped",
                rows=tuple(n for n, _c in filled[:pick]),
                values=tuple(" ".join(c for c in cells if c)[:40] for _n, cells in filled[:pick]),
            )
        )
    width = max(len(cells) for _n, cells in filled[pick:])
    header = header + [""] * (width - len(header))
    records = [cells + [""] * (width - len(cells)) for _n, cells in filled[pick + 1 :]]
    rows = [n for n, _c in filled[pick + 1 :]]
    raw = _text_table(name, header, records, rows, problems)
    if formulas:
        # a formula whose result the file does not hold: its cell is empty, but it is not "unknown"
        cells = [(n, header[i]) for n, i in formulas if n > header_row and i < len(header) and header[i]]
        index = {n: k for k, n in enumerate(rows)}
        hit = [index[n] for n, _h in cells if n in index]
        raw.problems.append(
            Problem(
                "error",
                name,
                ", ".join(dict.fromkeys(h for _n, h in cells)) or None,
                "a formula whose result is not stored in the file (it was written by a program that does not "
                "calculate), so the cell cannot be read",
                rows=tuple(dict.fromkeys(n for n, _h in cells)),
                fix="open the file in Excel (or LibreOffice) and save it, so the results are stored; "
                "or type the values",
                row_index=tuple(dict.fromkeys(hit)),
            )
        )
        raw.flagged[hit] = True
    return raw


def _formulas_without_values(path: Path, sheet_name: str, filled: list[tuple[int, list[str]]]) -> list[tuple[int, int]]:
    """(row, column index) of formula cells whose computed value the workbook does not hold.

    openpyxl gives such a cell as empty when reading values; only a second reading, of the
    formulas, tells it from a truly empty cell. That second reading happens only when the sheet
    holds formulas at all (a quick look at its XML)."""
    import zipfile

    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            if not any(
                b"<f>" in archive.read(n) or b"<f " in archive.read(n)
                for n in archive.namelist()
                if n.startswith("xl/worksheets/") and n.endswith(".xml")
            ):
                return []
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:  # the values were read; a workbook that cannot be read twice is not worse off
        return []
    try:
        sheet = book[sheet_name]
        sheet.reset_dimensions()
        values = dict(filled)
        out = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            for i, v in enumerate(cells):
                if isinstance(v, str) and v.startswith("=") and not (values.get(number, [])[i : i + 1] or [""])[0]:
                    out.append((number, i))
        return out
    finally:
        book.close()


def _read_geo(path: Path, table: Table) -> _Raw:
    import pyogrio

    name = path.name
    layer = None
    try:
        if path.suffix.lower() == ".gpkg":
            layers = [str(row[0]) for row in pyogrio.list_layers(path)]
            layer = next((s for s in table.file_stems if s in layers), layers[0] if layers else None)
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # GDAL errors come in many types
        raise InputError.one(
            name,
            f"cannot be read as a geodata file ({exc})",
            fix="check that the file is complete and of the type its extension says",
        ) from None
    return _from_geodataframe(name, gdf)


def _read_parquet(path: Path) -> _Raw:
    import pyarrow.parquet as pq

    name = path.name
    try:
        meta = pq.read_schema(path).metadata or {}
        if b"geo" in meta:
            gdf = gpd.read_parquet(path)
            return _from_geodataframe(name, gdf)
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow errors come in many types
        raise InputError.one(
            name, f"cannot be read as (Geo)Parquet ({exc})", fix="write it again with geopandas' to_parquet"
        ) from None
    cells, typed = _frame_to_text(frame)
    return _Raw(name, cells, np.arange(1, len(frame) + 1), "row", typed=typed)


def _from_geodataframe(name: str, gdf: gpd.GeoDataFrame | pd.DataFrame) -> _Raw:
    if isinstance(gdf, gpd.GeoDataFrame) and gdf.geometry.name in gdf.columns:
        geometry = gdf.geometry.reset_index(drop=True)
        attrs = pd.DataFrame(gdf.drop(columns=[gdf.geometry.name]))
    else:
        geometry = None
        attrs = pd.DataFrame(gdf)
    frame, typed = _frame_to_text(attrs.reset_index(drop=True))
    return _Raw(name, frame, np.arange(1, len(frame) + 1), "feature", geometry, typed=typed)


def _read_raw(path: Path, table: Table) -> _Raw:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return _read_csv(path, table)
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path, table)
    if suffix in _GEO_EXTENSIONS:
        return _read_geo(path, table)
    if suffix in _PARQUET_EXTENSIONS:
        return _read_parquet(path)
    raise InputError.one(path.name, f"unknown file type '{suffix}'", fix=f"use one of: {', '.join(EXTENSIONS)}")
