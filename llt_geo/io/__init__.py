"""Reading and validating the input tables: the only module that reads files.

Every table may come as CSV (comma, semicolon or tab separated; decimal comma accepted; UTF-8
with or without BOM; leading ``#`` lines are comments), Excel (.xlsx, first sheet), GeoJSON,
GeoPackage or GeoParquet (or plain Parquet). Locations come as geometry, as ``lon``/``lat``
(EPSG:4326) or as RD ``x``/``y`` (EPSG:28992); everything leaves this module in EPSG:28992.

Validation collects every problem, each naming the file, the column, the rows, the offending
values and the fix, and raises them together. No row is dropped silently: with
``on_error="drop"`` rows with errors are left out and counted in ``Dataset.row_counts``.
"""

from __future__ import annotations

import csv
import io as _io
import math
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..config import CONFIG_FILE, Config, load_config
from ..errors import InputError, Problem
from ..schema import (
    LOCATION_ALIASES,
    NO_MARKS,
    NO_WORDS,
    PROCESS_ITEMS,
    PROCESS_STATUSES,
    STATUS_WORDS,
    TABLES,
    UNKNOWN_WORDS,
    YES_MARKS,
    YES_WORDS,
    Column,
    Table,
    normalise_header,
)

__all__ = [
    "CRS_RD",
    "CRS_WGS84",
    "EXTENSIONS",
    "Dataset",
    "find_table_file",
    "load_dataset",
    "read_table",
    "validate_dataset",
]

CRS_RD = "EPSG:28992"
CRS_WGS84 = "EPSG:4326"
EXTENSIONS = (".csv", ".txt", ".xlsx", ".xlsm", ".geojson", ".json", ".gpkg", ".parquet", ".geoparquet")
_GEO_EXTENSIONS = (".geojson", ".json", ".gpkg")
_PARQUET_EXTENSIONS = (".parquet", ".geoparquet")
_WKT_HEADERS = ("geometry", "geometrie", "wkt", "geom", "the_geom")


# --------------------------------------------------------------------------------------------
# Raw reading: every format becomes text cells plus (optionally) a geometry column
# --------------------------------------------------------------------------------------------


@dataclass
class _Raw:
    file: str
    frame: pd.DataFrame  # every cell text; "" for empty
    rows: np.ndarray  # row numbers as the user sees them
    row_noun: str = "row"
    geometry: gpd.GeoSeries | None = None
    problems: list[Problem] = field(default_factory=list)
    flagged: np.ndarray | None = None  # rows the reader could not split into cells reliably (reported)
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # a header typed twice -> its columns

    def __post_init__(self) -> None:
        if self.flagged is None:
            self.flagged = np.zeros(len(self.frame), dtype=bool)


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


def _column_to_text(s: pd.Series) -> np.ndarray:
    """One column as text cells, exactly as :func:`_cell_text` would give them, vectorised where the
    dtype allows (numbers, booleans, plain strings: the bulk of a large file)."""
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype) and not isinstance(dtype, pd.BooleanDtype):
        return np.where(s.to_numpy(dtype=bool), "ja", "nee").astype(object)
    if pd.api.types.is_integer_dtype(dtype) and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return s.to_numpy().astype(str).astype(object)
    if pd.api.types.is_float_dtype(dtype) and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
        v = s.to_numpy(dtype=np.float64)
        finite = np.isfinite(v)
        whole = finite & (np.abs(v) < 1e15) & (v == np.floor(np.where(finite, v, 0)))
        out = pd.Series(v.astype(str), dtype=object)  # numpy's shortest round-trip form, as repr()
        out = out.str.replace(".", ",", regex=False).str.replace(_THREE_DECIMALS, r"\g<1>0", regex=True)
        out = out.to_numpy(dtype=object, copy=True)
        out[whole] = v[whole].astype(np.int64).astype(str)
        out[np.isnan(v)] = ""
        return out
    if isinstance(dtype, pd.BooleanDtype):
        yes = s.fillna(False).to_numpy(dtype=bool)
        return np.where(s.isna().to_numpy(), "", np.where(yes, "ja", "nee")).astype(object)
    if pd.api.types.is_integer_dtype(dtype):  # nullable integers
        return s.astype("string").fillna("").to_numpy(dtype=object)
    is_object = pd.api.types.is_object_dtype(dtype)
    if (pd.api.types.is_string_dtype(dtype) and not is_object) or (
        is_object and pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty")
    ):
        return s.astype(object).where(s.notna(), "").astype(str).str.strip().to_numpy(dtype=object)
    return np.array([_cell_text(v) for v in s.tolist()], dtype=object)


def _frame_to_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = {str(col): _column_to_text(frame[col]) for col in frame.columns}
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)), dtype=object)


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
    return InputError([Problem("error", name, None, message, fix=fix)])


_SAVE_AS_CSV = "save it from Excel as 'CSV UTF-8 (comma delimited)' (Save As > CSV UTF-8), or give the .xlsx itself"


def _decode_text(path: Path) -> tuple[str, list[Problem]]:
    """The text of a CSV file; what else the file is (a workbook, UTF-16, binary) is named exactly."""
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
    elif len(data) >= 4 and data[1::2][:200].count(0) >= 0.9 * len(data[1::2][:200]) and data[0] != 0:
        utf16 = "utf-16-le"
    elif len(data) >= 4 and data[0::2][:200].count(0) >= 0.9 * len(data[0::2][:200]) and data[1] != 0:
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
        return text.lstrip("\ufeff"), problems
    if data.startswith(b"%PDF"):
        raise _file_error(name, "this is a PDF document, not CSV text", "export the table itself as CSV UTF-8 or .xlsx")
    if b"\x00" in data[:4096]:
        raise _file_error(
            name,
            "this is a binary file, not CSV text",
            f"check that it is the right file; {_SAVE_AS_CSV}",
        )
    try:
        return data.decode("utf-8-sig"), problems
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
    text, problems = _decode_text(path)
    lines = list(_io.StringIO(text, newline=""))
    skipped = 0
    while skipped < len(lines) and (lines[skipped].lstrip().startswith("#") or not lines[skipped].strip()):
        skipped += 1
    if skipped == len(lines):
        raise _file_error(name, "the file has no header row and no data", "add a header row")
    header_line = lines[skipped]
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
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
    ncols = len(header)
    kinds: list[str | None] = [None] * ncols
    if table is not None:
        by_alias = {alias: col.kind for col in table.columns for alias in col.headers}
        kinds = [by_alias.get(normalise_header(h)) for h in header]
    records: list[list[str]] = []
    rows: list[int] = []
    flagged: list[int] = []
    too_many, too_few, unclosed = [], [], []
    row = skipped + 1  # the spreadsheet row of the header
    while True:
        start = src.pos
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _file_error(
                name,
                f"cannot be read as CSV near line {start + 1}: {exc}",
                'check for an unclosed quote (") on that line',
            ) from None
        row += 1
        if (
            (src.pos - start > 1 or src.pos == len(lines))
            and '"' in lines[start]
            and not _strictly_quoted("".join(lines[start : src.pos]), delimiter)
        ):
            # an unclosed quote: read the first line alone, quote as text, and go on after it
            record = next(csv.reader([lines[start]], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
            record = [cell.rstrip("\r\n") for cell in record]
            where = next((i for i, cell in enumerate(record) if cell.lstrip().startswith('"')), 0)
            unclosed.append((row, start + 1, src.pos - start, header[where] if where < ncols else None, record))
            src = _Lines(lines, start + 1)
            reader = csv.reader(src, delimiter=delimiter)
        if not any(cell.strip() for cell in record):
            continue
        cells = [c.strip() for c in record]
        if len(cells) > ncols and any(cells[ncols:]):
            too_many.append((row, delimiter.join(record), len(records), cells))
            flagged.append(len(records))
        elif len(cells) < ncols:
            too_few.append(row)
        cells = (cells + [""] * ncols)[:ncols]
        if unclosed and unclosed[-1][0] == row:
            flagged.append(len(records))
            unclosed[-1] = (*unclosed[-1], len(records))
        records.append(cells)
        rows.append(row)
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
    if too_many:
        split_number = delimiter == "," and any(_split_decimal(cells, kinds, ncols) for *_x, cells in too_many)
        hint = (
            "a decimal comma in a comma-separated file splits a number in two: use ';' as separator, "
            "or put such values in quotes"
            if split_number
            else f"remove the extra '{delimiter}' or put the value that holds it in quotes"
        )
        problems.append(
            Problem(
                "error",
                name,
                None,
                f"more fields than the {ncols} headers (the row's cells cannot be matched to the columns)",
                rows=tuple(r for r, *_ in too_many),
                values=tuple(v for _r, v, *_ in too_many),
                fix=hint,
                row_index=tuple(i for _r, _v, i, _c in too_many),
            )
        )
    if too_few:
        problems.append(
            Problem(
                "warning",
                name,
                None,
                "fewer fields than headers; the missing trailing cells are read as empty (unknown)",
                rows=tuple(too_few),
            )
        )
    return _text_table(name, header, records, rows, problems, flagged)


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


def _read_excel(path: Path, table: Table) -> _Raw:
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
        # the sheet named after the table; else the first sheet whose header names a column of the
        # table (an instruction sheet in front is skipped, and said); else the first sheet
        names = [ws.title for ws in book.worksheets]  # chart sheets hold no cells: never read
        if not names:
            raise _file_error(name, "the workbook has no worksheet with cells", "put the table in a worksheet")
        sheets = {normalise_header(s): s for s in names}
        sheet_name = next((sheets[s] for s in table.file_stems if s in sheets), None)
        filled: list[tuple[int, list[str]]] = []
        if sheet_name is not None:
            filled = _sheet_rows(book[sheet_name])
        else:
            # the sheet whose header names the most columns of the table (the first of equals): an
            # instruction sheet that lists a column name or two is not the data
            best = (0, None, [])
            for candidate in names:
                rows_ = _sheet_rows(book[candidate])
                score = _header_pick(rows_, table)[1]
                if score > best[0]:
                    best = (score, candidate, rows_)
            if best[1] is None:
                sheet_name = names[0]
                filled = _sheet_rows(book[sheet_name])
            else:
                _score, sheet_name, filled = best
                if sheet_name != names[0]:
                    skipped = names[: names.index(sheet_name)]
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
        raise InputError(
            [
                Problem(
                    "error",
                    name,
                    None,
                    f"cannot be read as a geodata file ({exc})",
                    fix="check that the file is complete and of the type its extension says",
                )
            ]
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
        raise InputError(
            [
                Problem(
                    "error",
                    name,
                    None,
                    f"cannot be read as (Geo)Parquet ({exc})",
                    fix="write it again with geopandas' to_parquet",
                )
            ]
        ) from None
    return _Raw(name, _frame_to_text(frame), np.arange(1, len(frame) + 1), "row")


def _from_geodataframe(name: str, gdf: gpd.GeoDataFrame | pd.DataFrame) -> _Raw:
    if isinstance(gdf, gpd.GeoDataFrame) and gdf.geometry.name in gdf.columns:
        geometry = gdf.geometry.reset_index(drop=True)
        attrs = pd.DataFrame(gdf.drop(columns=[gdf.geometry.name]))
    else:
        geometry = None
        attrs = pd.DataFrame(gdf)
    frame = _frame_to_text(attrs.reset_index(drop=True))
    return _Raw(name, frame, np.arange(1, len(frame) + 1), "feature", geometry)


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
    raise InputError(
        [Problem("error", path.name, None, f"unknown file type '{suffix}'", fix=f"use one of: {', '.join(EXTENSIONS)}")]
    )


# --------------------------------------------------------------------------------------------
# Parsing values, one column at a time, vectorised
# --------------------------------------------------------------------------------------------


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
        values: pd.Series | None = None,
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


def _parse_numbers(
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

    Runs once per distinct value, vectorised with pandas' string methods.
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


def _normalised(text: pd.Series) -> pd.Series:
    """:func:`normalise_header` of every cell, computed once per distinct value."""
    codes, uniques = pd.factorize(text, use_na_sentinel=False)
    norm = np.array([normalise_header(u) for u in uniques], dtype=object)
    return pd.Series(norm[codes] if len(norm) else np.array([], dtype=object), index=text.index, dtype=object)


def _is_unknown(text: pd.Series) -> pd.Series:
    """Empty or an unknown word (``onbekend``, ``?``). Text that only normalises to nothing (``✓``,
    digits of another script) is not unknown: it is checked, and reported if not understood."""
    norm = _normalised(text)
    return (norm.isin([normalise_header(w) for w in UNKNOWN_WORDS if w]) & (norm != "")) | (
        text.astype(str).str.strip().isin(["", "?", "-"])
    )


_WHAT = {
    "int": "a whole number",
    "year": "a year",
    "float": "a number",
    "money": "an amount in euros",
    "share": "a share (0-1) or a percentage with %",
}
#: Whole numbers and amounts beyond this are not counts or euros (and would not fit a 64-bit integer).
_MAX_NUMBER = 1e15


def _parse_number_column(col: Column, header: str, text: pd.Series, missing: np.ndarray, c: _Collector) -> pd.Series:
    what = _WHAT[col.kind]
    percent = np.zeros(len(text), dtype=bool)
    cleaned = text
    low = high = None
    if col.kind == "share":
        percent = text.str.strip().str.endswith("%").to_numpy()
        cleaned = text.str.replace("%", "", regex=False)
        low, high = 0.0, 100.0  # a share (0-1) or a percentage: 0.125 cannot be 125
    parsed = _parse_numbers(cleaned, col.kind, low=low, high=high)
    c.add(
        "error",
        header,
        "ambiguous number: a point or comma before exactly three digits can be a thousands separator or a "
        "decimal separator",
        ~missing & parsed.ambiguous,
        text + " (" + pd.Series(parsed.readings, index=text.index) + "?)",
        fix="write it without a thousands separator (1500), or with a decimal comma and no grouping (1,5)",
    )
    number = pd.Series(parsed.value, index=text.index)
    bad = ~missing & parsed.bad
    if col.kind in ("int", "year"):
        # one message for 'veel' and '12,5' alike: neither is a whole number
        bad |= (number.notna() & np.isfinite(number) & (number != np.floor(number))).to_numpy()
    if bad.any():
        norm = _normalised(text)
        yesno = bad & norm.isin(YES_WORDS + NO_WORDS).to_numpy()
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


def _parse_column(col: Column, header: str, text: pd.Series, c: _Collector) -> pd.Series:
    # Codes and names are only missing when empty: 'NA' and 'NB' are wijk codes in Noord.
    literal = col.kind in ("id", "text", "stadsdeel", "wijk", "buurt")
    missing = (text == "").to_numpy() if literal else _is_unknown(text).to_numpy()
    if col.required and missing.any():
        c.add(
            "error",
            header,
            "empty value in a required column",
            missing,
            text,
            fix="fill it in for every row (or remove rows that are not data)",
        )
    if col.kind in ("id", "text"):
        return text.where(~missing, None).astype("string")
    if col.kind in ("int", "year", "float", "money", "share"):
        return _parse_number_column(col, header, text, missing, c)
    if col.kind == "yesno":
        norm = _normalised(text)
        marks = text.astype(str).str.strip()
        yes = (norm.isin(YES_WORDS) & (norm != "")).to_numpy() | marks.isin(YES_MARKS).to_numpy()
        no = (norm.isin(NO_WORDS) & (norm != "")).to_numpy() | marks.isin(NO_MARKS).to_numpy()
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
        norm = _normalised(text)
        mapped = norm.map(lookup)
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
        mapped = _normalised(text).map(lookup)
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


# --------------------------------------------------------------------------------------------
# Locations
# --------------------------------------------------------------------------------------------


def _inside(x: np.ndarray, y: np.ndarray, region: list[float]) -> np.ndarray:
    return (x >= region[0]) & (x <= region[2]) & (y >= region[1]) & (y <= region[3])


def _points_from_columns(
    frame: pd.DataFrame, headers: dict[str, str], c: _Collector, region: list[float]
) -> gpd.GeoSeries | None:
    n = len(frame)
    if "lon" in headers and "lat" in headers:
        hx, hy = headers["lon"], headers["lat"]
        kind = "lonlat"
    elif "x" in headers and "y" in headers:
        hx, hy = headers["x"], headers["y"]
        kind = "rd"
    else:
        return None
    tx, ty = frame[hx], frame[hy]
    if kind == "lonlat":
        x = _to_number(tx, low=-180, high=180).to_numpy(dtype=float)
        y = _to_number(ty, low=-90, high=90).to_numpy(dtype=float)
    else:
        x = _to_number(tx, low=region[0], high=region[2]).to_numpy(dtype=float)
        y = _to_number(ty, low=region[1], high=region[3]).to_numpy(dtype=float)
    empty = ((tx == "") | (ty == "")).to_numpy()
    c.add(
        "error",
        f"{hx}/{hy}",
        "no location (empty coordinate)",
        empty,
        tx + " / " + ty,
        fix="fill in both coordinates; a row without a location cannot be placed on the map",
    )
    unreadable = ~empty & (np.isnan(x) | np.isnan(y))
    c.add(
        "error",
        f"{hx}/{hy}",
        "coordinate is not a number",
        unreadable,
        tx + " / " + ty,
        fix="write coordinates as numbers, e.g. 4,8412 / 52,3617 or 4.8412 / 52.3617",
    )
    ok = ~(empty | unreadable)
    if kind == "lonlat":
        # 4.900274 / 52.379762 written by a program whose locale dropped the decimal point
        big = ok & ((np.abs(x) > 1000) | (np.abs(y) > 1000)) & (x > 0) & (y > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            lead_x = np.where(big, x / 10 ** np.floor(np.log10(np.where(big, x, 1))), 0)
            lead_y = np.where(big, y / 10 ** (np.floor(np.log10(np.where(big, y, 1))) - 1), 0)
        scrambled = big & (lead_x >= 3) & (lead_x < 8) & (lead_y >= 50) & (lead_y < 54)
        c.add(
            "error",
            f"{hx}/{hy}",
            "the decimal separator is missing from these longitude/latitude values (a locale setting of the "
            "program that wrote the file?)",
            scrambled,
            tx + " / " + ty,
            fix="export the coordinates again with their decimal separator, e.g. 4,900274 / 52,379762",
        )
        ok = ok & ~scrambled
        rd_like = ok & ((np.abs(x) > 1000) | (np.abs(y) > 1000))
        c.add(
            "error",
            f"{hx}/{hy}",
            "these look like RD coordinates (metres), not longitude/latitude",
            rd_like,
            tx + " / " + ty,
            fix=f"rename the columns '{hx}'/'{hy}' to x/y (RD New, EPSG:28992)",
        )
        swapped = ok & ~rd_like & (x > 50) & (x < 54) & (y > 3) & (y < 8)
        c.add(
            "error",
            f"{hx}/{hy}",
            "longitude and latitude are swapped (Amsterdam lies at about lon 4.9, lat 52.4)",
            swapped,
            tx + " / " + ty,
            fix=f"swap the columns '{hx}' and '{hy}'",
        )
        ok = ok & ~rd_like & ~swapped
        pts = gpd.GeoSeries(gpd.points_from_xy(np.where(ok, x, np.nan), np.where(ok, y, np.nan)), crs=CRS_WGS84)
        pts = pts.to_crs(CRS_RD)
    else:
        ll_like = ok & (np.abs(x) <= 180) & (np.abs(y) <= 90)
        c.add(
            "error",
            f"{hx}/{hy}",
            "these look like longitude/latitude, not RD coordinates (metres)",
            ll_like,
            tx + " / " + ty,
            fix=f"rename the columns '{hx}'/'{hy}' to lon/lat",
        )
        swapped = ok & ~ll_like & (x > 300000) & (y < 300000)
        c.add(
            "error",
            f"{hx}/{hy}",
            "x and y are swapped (in Amsterdam x is about 120000 and y about 487000)",
            swapped,
            tx + " / " + ty,
            fix=f"swap the columns '{hx}' and '{hy}'",
        )
        ok = ok & ~ll_like & ~swapped
        pts = gpd.GeoSeries(gpd.points_from_xy(np.where(ok, x, np.nan), np.where(ok, y, np.nan)), crs=CRS_RD)
    pts[~ok] = None
    pts.index = frame.index
    px, py = pts.x.to_numpy(), pts.y.to_numpy()
    outside = ok & ~_inside(px, py, region)
    c.add(
        "error",
        f"{hx}/{hy}",
        "location lies outside the Amsterdam region",
        outside,
        tx + " / " + ty,
        fix="check the coordinates (and whether they are lon/lat or RD x/y)",
    )
    _ = n
    return pts


def _guess_crs(geom: gpd.GeoSeries) -> str | None:
    b = geom.total_bounds
    if np.isnan(b).any():
        return None
    if b[0] >= -180 and b[2] <= 180 and b[1] >= -90 and b[3] <= 90:
        return CRS_WGS84
    if b[0] >= -10000 and b[2] <= 300000 and b[1] >= 280000 and b[3] <= 650000:
        return CRS_RD
    return None


def _prepare_geometry(
    geom: gpd.GeoSeries, table: Table, c: _Collector, region: list[float], column: str = "geometry"
) -> gpd.GeoSeries:
    geom = geom.copy()
    geom.index = c.raw.frame.index
    missing = (geom.isna() | geom.is_empty).to_numpy()
    c.add("error", column, "empty or missing geometry", missing, fix="draw or fill in the geometry, or remove the row")
    if geom.crs is None:
        guess = _guess_crs(geom[~missing])
        if guess is None:
            c.add(
                "error",
                column,
                "the file has no coordinate reference system and it cannot be recognised",
                fix="save the file with a CRS (EPSG:28992 or EPSG:4326)",
            )
            return geom.set_crs(CRS_RD, allow_override=True)
        c.add("warning", column, f"the file has no coordinate reference system; read as {guess} from its coordinates")
        geom = geom.set_crs(guess)
    if geom.crs.is_geographic and _guess_crs(geom[~missing]) == CRS_RD:
        # GeoJSON without a "crs" member is read as WGS84 by GDAL; RD metres then cannot be degrees
        c.add(
            "warning",
            column,
            f"the coordinates are RD metres, but the file says (or GDAL assumed) {geom.crs.to_string()}; "
            "read as EPSG:28992",
            fix='save the file with its CRS (for GeoJSON: a "crs" member naming EPSG:28992)',
        )
        geom = geom.set_crs(CRS_RD, allow_override=True)
    if geom.crs.is_geographic:
        b = geom[~missing].bounds
        swapped = ((b.minx > 50) & (b.maxx < 54) & (b.miny > 3) & (b.maxy < 8)).reindex(geom.index, fill_value=False)
        c.add(
            "error",
            column,
            "longitude and latitude are swapped in these geometries",
            swapped.to_numpy(),
            fix="swap the axis order when exporting (x = longitude, y = latitude)",
        )
    try:
        geom = geom.to_crs(CRS_RD)
    except Exception as exc:  # pyproj raises several types
        c.add(
            "error", column, f"cannot convert from {geom.crs} to RD New ({exc})", fix="save in EPSG:28992 or EPSG:4326"
        )
        return geom.set_crs(CRS_RD, allow_override=True)
    present = ~missing
    gtype = geom.geom_type.to_numpy()
    if table.geometry == "point":
        wrong = present & ~np.isin(gtype, ["Point"])
        multi1 = present & (gtype == "MultiPoint") & (shapely.get_num_geometries(geom.to_numpy()) == 1)
        if multi1.any():
            geom[multi1] = shapely.get_geometry(geom[multi1].to_numpy(), 0)
            wrong = wrong & ~multi1
        c.add(
            "error",
            column,
            "expected a point",
            wrong,
            pd.Series(gtype, index=geom.index),
            fix="give one point per row (a building's location)",
        )
    else:
        wrong = present & ~np.isin(gtype, ["Polygon", "MultiPolygon"])
        c.add(
            "error",
            column,
            "expected a polygon",
            wrong,
            pd.Series(gtype, index=geom.index),
            fix="give one (multi)polygon per area",
        )
    checkable = present & ~wrong
    valid = np.ones(len(geom), dtype=bool)
    valid[checkable] = shapely.is_valid(geom[checkable].to_numpy())
    reasons = pd.Series("", index=geom.index, dtype=object)
    if (~valid).any():
        reasons[~valid] = shapely.is_valid_reason(geom[~valid].to_numpy())
    c.add(
        "error",
        column,
        "invalid geometry",
        ~valid,
        reasons,
        fix="repair it, e.g. QGIS 'Fix geometries' or shapely.make_valid",
    )
    ok = checkable & valid
    x = np.full(len(geom), np.nan)
    y = np.full(len(geom), np.nan)
    if ok.any():
        if table.geometry == "point":
            x[ok], y[ok] = shapely.get_x(geom[ok].to_numpy()), shapely.get_y(geom[ok].to_numpy())
        else:
            cent = shapely.centroid(geom[ok].to_numpy())
            x[ok], y[ok] = shapely.get_x(cent), shapely.get_y(cent)
    outside = ok & ~_inside(x, y, region)
    coords = pd.Series("", index=geom.index, dtype=object)  # text only for the rows reported
    coords[outside] = [f"{a:.0f}, {b:.0f}" for a, b in zip(x[outside], y[outside], strict=True)]
    c.add(
        "error",
        column,
        "lies outside the Amsterdam region (RD x, y shown)",
        outside,
        coords,
        fix="check the coordinates and the file's coordinate reference system",
    )
    return geom


# --------------------------------------------------------------------------------------------
# One table
# --------------------------------------------------------------------------------------------


def _match_columns(raw: _Raw, table: Table, c: _Collector) -> tuple[dict[str, str], dict[str, str]]:
    """Match the file's headers to the table's columns (and location columns).

    Two headers for one column (``n_dwellings`` and ``aantal_woningen``, or ``Aantal woningen`` and
    ``aantal_woningen``) are an error: which one is meant cannot be guessed.
    """
    by_norm: dict[str, list[str]] = defaultdict(list)
    for h in raw.frame.columns:
        by_norm[normalise_header(h)].append(h)
    used: set[str] = set()
    mapping: dict[str, str] = {}
    candidates: dict[str, list[str]] = {}

    def claim(key: str, aliases: tuple[str, ...], target: dict[str, str]) -> None:
        found = [h for alias in aliases for h in by_norm.get(alias, ()) if h not in used]
        found = list(dict.fromkeys(found))
        if found:
            target[key] = found[0]
            used.update(found)
            candidates[key] = found

    for col in table.columns:
        claim(col.name, col.headers, mapping)
    location: dict[str, str] = {}
    if table.geometry:
        for key, aliases in LOCATION_ALIASES.items():
            claim(key, aliases, location)
        claim("wkt", _WKT_HEADERS, location)
    c.clashes = {key: found for key, found in candidates.items() if len(found) > 1}
    for original, labels in raw.duplicates.items():
        if any(label in used for label in labels):
            c.add(
                "error",
                original,
                f"this header appears {len(labels)} times, and llt_geo reads this column: which one is meant "
                "cannot be guessed",
                fix="rename or remove all but one of the columns",
            )
            c.clashes = {k: v for k, v in c.clashes.items() if not set(v) & set(labels)}
    for col in table.columns:
        if col.required and col.name not in mapping:
            c.add(
                "error",
                col.name,
                "required column is missing",
                fix=f"add a column headed '{col.name}' (also accepted: {', '.join(col.aliases) or 'none'})",
            )
    unused = [h for h in raw.frame.columns if h not in used]
    if unused:
        c.add(
            "warning",
            None,
            f"columns not used by llt_geo: {', '.join(map(str, unused))}",
            fix="rename a column if it was meant as one of: " + ", ".join(col.name for col in table.columns),
        )
    return mapping, location


def _check_clashes(raw: _Raw, spec: Table, c: _Collector, frame: pd.DataFrame) -> None:
    """Two headers for one column: fine where they hold the same values (``Wijkcode`` ``FA`` beside
    ``CBS_Wijkcode`` ``WK0363FA``), an error in every row where they differ (which one is meant?)."""
    for key, headers in c.clashes.items():
        label = ", ".join(f"'{h}'" for h in headers)
        col = spec.columns_by_name.get(key)
        if col is None:  # a location column: compare the text
            first = raw.frame[headers[0]].str.strip()
            differ = np.zeros(len(first), dtype=bool)
            for h in headers[1:]:
                differ |= (raw.frame[h].str.strip() != first).to_numpy()
        else:
            scratch = _Collector(raw, spec, c.today)
            first = frame[key]
            differ = np.zeros(len(first), dtype=bool)
            for h in headers[1:]:
                other = _parse_column(col, h, raw.frame[h], scratch)
                same = (first == other).fillna(False) | (first.isna() & other.isna())
                differ |= ~same.to_numpy(dtype=bool)
        values = raw.frame[headers[0]].astype(str)
        for h in headers[1:]:
            values = values + " / " + raw.frame[h].astype(str)
        c.add(
            "error",
            headers[0],
            f"{len(headers)} columns are headed as '{key}' ({label}) and they differ here; which one is meant "
            "cannot be guessed",
            differ,
            values,
            fix="remove or rename all but one of them",
        )


def _empty_table_problem(raw: _Raw, spec: Table) -> Problem:
    """A file with a header (or a layer) but no rows: an error for a required table, a warning for
    the amenities (the criterion becomes unknown for every flat) and for optional tables (absent)."""
    what = "the file has no features" if raw.row_noun == "feature" else "the file has a header but no data rows"
    if spec.name == "flats":
        what = "the flat register has no rows" + (" (no features)" if raw.row_noun == "feature" else "")
    if spec.name == "amenities":
        return Problem(
            "warning",
            raw.file,
            None,
            f"{what}: with no amenities the criterion 'nabij voorzieningen' (3.1) is unknown for every flat",
            fix="add the amenities (supermarkt, huisarts, apotheek, ov_halte, buurthuis, ...)",
            table=spec.name,
        )
    if not spec.required:
        return Problem(
            "warning", raw.file, None, f"{what}; the optional {spec.name} table is treated as absent", table=spec.name
        )
    return Problem(
        "error",
        raw.file,
        None,
        f"{what}; the {spec.name} table is required",
        fix="add the rows (check that the right file, sheet or layer was saved)",
        table=spec.name,
    )


def read_table(
    path: str | Path, table: str | Table, *, region: list[float] | None = None, today: str = ""
) -> tuple[pd.DataFrame, list[Problem], np.ndarray, np.ndarray]:
    """Read and check one table file.

    Parameters
    ----------
    path : str or Path
        The file (CSV, Excel, GeoJSON, GeoPackage, GeoParquet/Parquet).
    table : str or Table
        Which table this is (a name from :data:`llt_geo.schema.TABLES`).
    region : list of float, optional
        ``[xmin, ymin, xmax, ymax]`` in EPSG:28992 that locations must lie in. Defaults to the
        configuration's ``[validation] region_rd``.
    today : str, optional
        ISO date after which a date is in the future (default: the date of the run).

    Returns
    -------
    frame : DataFrame or GeoDataFrame
        Canonical columns (geometry in EPSG:28992 for tables with locations), one row per data row.
    problems : list of Problem
        Everything found, errors and warnings.
    bad : numpy.ndarray of bool
        Rows with at least one error.
    rows : numpy.ndarray of int
        Row numbers as the user sees them, aligned with ``frame``.

    Raises
    ------
    InputError
        When the file cannot be read at all, or holds no rows (for an optional table, or the
        amenities, the problem is a warning: the table is then treated as absent).
    """
    from ..config import default_config

    spec = TABLES[table] if isinstance(table, str) else table
    region = region if region is not None else default_config()["validation"]["region_rd"]
    raw = _read_raw(Path(path), spec)
    if not len(raw.frame):
        raise InputError([_empty_table_problem(raw, spec)])
    c = _Collector(raw, spec, today)
    mapping, location = _match_columns(raw, spec, c)
    out: dict[str, pd.Series] = {}
    for col in spec.columns:
        if col.name in mapping:
            out[col.name] = _parse_column(col, mapping[col.name], raw.frame[mapping[col.name]], c)
        else:
            kind_dtype = {
                "int": "Int64",
                "year": "Int64",
                "float": "Float64",
                "money": "Float64",
                "share": "Float64",
                "yesno": "boolean",
            }.get(col.kind, "string")
            default = "candidate" if col.kind == "status" else pd.NA
            out[col.name] = pd.Series(default, index=raw.frame.index, dtype=kind_dtype)
    frame = pd.DataFrame(out, index=raw.frame.index)
    _check_clashes(raw, spec, c, frame)
    if spec.geometry:
        geom = None
        if raw.geometry is not None and not (location.get("lon") or location.get("x")):
            geom = _prepare_geometry(raw.geometry, spec, c, region)
        elif "lon" in location and "lat" in location or "x" in location and "y" in location:
            geom = _points_from_columns(raw.frame, location, c, region)
            if spec.geometry != "point":
                c.add(
                    "error",
                    None,
                    "areas need polygon geometry, not point coordinates",
                    fix="give the areas as GeoJSON, GeoPackage or GeoParquet, or WKT in a 'geometry' column",
                )
        elif "wkt" in location:
            text = raw.frame[location["wkt"]]
            with warnings.catch_warnings():  # overflowing numbers ("1e999") in the text: unreadable, reported
                warnings.simplefilter("ignore", RuntimeWarning)
                parsed = shapely.from_wkt(text.where(text != "", None).to_numpy(dtype=object), on_invalid="ignore")
            unreadable = (text != "").to_numpy() & pd.isna(parsed)
            c.add(
                "error",
                location["wkt"],
                "cannot be read as WKT geometry",
                unreadable,
                text.str.slice(0, 40),
                fix="write geometry as WKT, e.g. POINT (121400 487400)",
            )
            geom = gpd.GeoSeries(parsed, index=raw.frame.index, crs=None)
            guessed = _guess_crs(geom[~geom.isna()])
            geom = geom.set_crs(guessed or CRS_RD)
            geom = _prepare_geometry(geom, spec, c, region, column=location["wkt"])
        if geom is None:
            c.add(
                "error",
                None,
                "no location",
                fix="give a geometry (GeoJSON/GeoPackage/GeoParquet), columns lon and lat (WGS84), "
                "or columns x and y (RD New)",
            )
            geom = gpd.GeoSeries([None] * len(frame), index=frame.index, crs=CRS_RD)
        frame = gpd.GeoDataFrame(frame, geometry=geom.to_numpy(), crs=CRS_RD)
    # duplicate keys
    key_cols = list(spec.key)
    if all(k in frame.columns for k in key_cols) and len(frame):
        keys = frame[key_cols].astype("string").fillna("")
        present = frame[key_cols].notna().all(axis=1).to_numpy()
        dup = keys.duplicated(keep=False).to_numpy() & present
        if dup.any():
            label = " + ".join(mapping.get(k, k) for k in key_cols)
            values = keys.agg(" + ".join, axis=1)
            what = "identifier" if len(key_cols) == 1 else "combination"
            c.add(
                "error",
                label,
                f"duplicate {what}",
                dup,
                values,
                fix=f"every row needs its own {' + '.join(key_cols)}; remove or renumber the duplicates",
            )
    frame.attrs["headers"] = {**mapping, **location}
    return frame, c.problems, c.bad, raw.rows


# --------------------------------------------------------------------------------------------
# The dataset
# --------------------------------------------------------------------------------------------


@dataclass
class Dataset:
    """Every input table, validated, in EPSG:28992, with the configuration.

    Attributes
    ----------
    folder : Path
        Where the data came from.
    config : Config
        Defaults merged with the folder's ``llt_geo.toml``.
    tables : dict of str to DataFrame
        Canonical tables by name (see :data:`llt_geo.schema.TABLES`); an optional table that is
        absent is an empty frame with the canonical columns.
    files : dict of str to str
        The file each table was read from (absent tables are missing here).
    problems : list of Problem
        Every error and warning found.
    row_counts : DataFrame
        Per table: rows read, rows used, rows reported (left out because of an error);
        ``rows_in == rows_used + rows_reported`` always.
    """

    folder: Path
    config: Config
    tables: dict[str, pd.DataFrame]
    files: dict[str, str]
    problems: list[Problem]
    row_counts: pd.DataFrame

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of severity ``warning``."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def is_fictional(self) -> bool:
        """True when the configuration marks the data as fictional (the demo)."""
        return bool(self.config["dataset"]["fictional"])

    @property
    def label(self) -> str:
        """A one-line Dutch label for maps and reports, with the fictional-data notice if any."""
        name = self.config["dataset"]["name"]
        notice = self.config["dataset"]["notice"]
        if self.is_fictional and not notice:
            notice = "FICTIEVE DEMODATA — geen echte flats, aanbieders of bewoners"
        return f"{name} — {notice}" if notice else name

    @property
    def output_label(self) -> str:
        """The label written into output files: :attr:`label` when the data is fictional or has a
        notice, else empty (real data needs no banner in every CSV)."""
        return self.label if self.is_fictional or self.config["dataset"]["notice"] else ""

    @property
    def peildatum(self) -> str:
        """The date the data describes (ISO): ``[report] peildatum``, else ``[validation] today``,
        else the modification date of the newest input file (UTC)."""
        from datetime import UTC, datetime

        for section, key in (("report", "peildatum"), ("validation", "today")):
            if self.config[section][key]:
                return str(self.config[section][key])
        times = [Path(self.folder, f).stat().st_mtime for f in self.files.values() if Path(self.folder, f).exists()]
        return datetime.fromtimestamp(max(times), tz=UTC).date().isoformat() if times else ""

    def summary(self) -> pd.DataFrame:
        """One row per table: file, rows read, used, reported, errors and warnings."""
        counts = defaultdict(lambda: [0, 0])
        for p in self.problems:
            counts[p.table][0 if p.severity == "error" else 1] += 1
        out = self.row_counts.copy()
        out["errors"] = [counts[t][0] for t in out.index]
        out["warnings"] = [counts[t][1] for t in out.index]
        return out


def find_table_file(folder: str | Path, table: str | Table, config: Config | None = None) -> Path | None:
    """The file a table is read from: the ``[files]`` entry, or the first ``<stem>.<ext>`` present.

    Raises
    ------
    InputError
        When ``[files]`` names a file that does not exist, or two candidate files exist.
    """
    folder = Path(folder)
    spec = TABLES[table] if isinstance(table, str) else table
    files = (config or load_config(folder))["files"]
    if spec.name in files:
        path = (folder / files[spec.name]).resolve()
        if not path.exists():
            raise InputError(
                [
                    Problem(
                        "error",
                        CONFIG_FILE,
                        None,
                        f'[files] {spec.name} = "{files[spec.name]}": no such file',
                        fix=f"check the name; paths are relative to {folder}",
                    )
                ]
            )
        return path
    # file names match without regard to case, spaces and dashes ("Woningregister 2026.xlsx" does not
    # match, but "Woningregister.XLSX" and "flat-clients.csv" do)
    wanted = {normalise_header(stem) for stem in spec.file_stems}
    folders = sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and p.suffix.lower() in EXTENSIONS and normalise_header(p.stem) in wanted
    )
    if folders:
        raise InputError(
            [
                Problem(
                    "error",
                    folders[0].name,
                    None,
                    f"is a folder, not a file (it is named like the {spec.name} table)",
                    fix=f"put the {spec.name} file itself in {folder.name}, not a folder of that name "
                    "(an unzipped archive?)",
                    table=spec.name,
                )
            ]
        )
    found = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in EXTENSIONS and normalise_header(p.stem) in wanted
    )
    if len(found) > 1:
        raise InputError(
            [
                Problem(
                    "error",
                    found[1].name,
                    None,
                    f"the {spec.name} table is found in more than one file: " + ", ".join(p.name for p in found),
                    fix=f"keep one, or name it in {CONFIG_FILE} under [files]",
                )
            ]
        )
    return found[0] if found else None


def _empty_table(spec: Table) -> pd.DataFrame:
    dtypes = {
        "int": "Int64",
        "year": "Int64",
        "float": "Float64",
        "money": "Float64",
        "share": "Float64",
        "yesno": "boolean",
    }
    frame = pd.DataFrame({c.name: pd.Series(dtype=dtypes.get(c.kind, "string")) for c in spec.columns})
    if spec.geometry:
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS_RD), crs=CRS_RD)
    return frame


@dataclass
class _Found:
    """What validation found, shared by the cross-table checks: the tables, their files, row
    numbers and row nouns, the rows with errors, and the problems."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    rows: dict[str, np.ndarray] = field(default_factory=dict)
    nouns: dict[str, str] = field(default_factory=dict)
    bad: dict[str, np.ndarray] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> column -> header as typed

    def header(self, name: str, column: str | None) -> str | None:
        """The header a column has in the user's file (the canonical name when it was absent)."""
        return self.headers.get(name, {}).get(column, column) if column else column

    def report(
        self,
        name: str,
        mask: np.ndarray,
        column: str | None,
        message: str,
        values: Any = None,
        fix: str = "",
        severity: str = "error",
    ) -> None:
        """Report the rows of a table where ``mask`` holds; an error also marks them bad."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        vals = () if values is None else tuple(str(v) for v in np.asarray(values, dtype=object)[mask])
        error = severity == "error"
        self.problems.append(
            Problem(
                severity,
                self.files[name],
                self.header(name, column),
                message,
                tuple(self.rows[name][mask].tolist()),
                vals,
                fix,
                self.nouns[name],
                name,
                tuple(np.flatnonzero(mask).tolist()) if error else (),
            )
        )
        if error:
            self.bad[name] |= mask

    def references(self):
        """Every reference column of a table that was read, to a table that was read:
        ``(table, frame, column, referenced table, referenced column)``."""
        for name, frame in self.tables.items():
            if name not in self.files or not len(frame):
                continue
            for col in TABLES[name].columns:
                if col.references:
                    ref_table, ref_col = col.references.split(".")
                    if ref_table in self.files:
                        yield name, frame, col.name, ref_table, ref_col


def _check_areas(found: _Found) -> None:
    """Fill parent codes from child codes (FA01 -> FA -> F) and report disagreements."""
    for name, child_col, parent_col, length in (
        ("wijken", "wijk_code", "stadsdeel_code", 1),
        ("buurten", "buurt_code", "wijk_code", 2),
        ("buurten", "buurt_code", "stadsdeel_code", 1),
    ):
        frame = found.tables.get(name)
        if frame is None or not len(frame):
            continue
        derived = frame[child_col].str.slice(0, length)
        given = frame[parent_col]
        clash = (given.notna() & derived.notna() & (given != derived)).to_numpy(dtype=bool)
        found.report(
            name,
            clash,
            parent_col,
            f"does not match the {child_col} (a code starts with its parent's code)",
            given + " vs " + frame[child_col],
            f"correct the {parent_col} or the {child_col}",
        )
        frame[parent_col] = given.fillna(derived)


def _check_age_figures(found: _Found) -> None:
    """Areas without residents aged 65+ cannot be judged for ageing: say so (a warning, not a pass)."""
    for name in ("wijken", "buurten"):
        frame = found.tables.get(name)
        if name not in found.files or frame is None or not len(frame):
            continue
        unknown = (frame["residents_65plus"].isna() | frame["residents_total"].isna()).to_numpy(dtype=bool)
        if unknown.all():
            found.problems.append(
                Problem(
                    "warning",
                    found.files[name],
                    "residents_65plus",
                    "no figures for residents in total and aged 65+: whether these areas are ageing is unknown",
                    fix="add columns residents_total and residents_65plus (inwoners, inwoners_65plus), "
                    "e.g. from the municipality's or CBS's age statistics",
                    table=name,
                )
            )
        else:
            found.report(
                name,
                unknown,
                "residents_65plus",
                "no figures for residents in total and aged 65+: ageing is unknown for these areas",
                frame[frame.columns[0]],
                severity="warning",
            )
        too_many = (frame["residents_65plus"] > frame["residents_total"]).fillna(False).to_numpy(dtype=bool)
        found.report(
            name,
            too_many,
            "residents_65plus",
            "more residents aged 65+ than residents in total",
            frame["residents_65plus"].astype(str) + " > " + frame["residents_total"].astype(str),
            "check both figures",
        )


def _check_flats(found: _Found) -> None:
    """Checks within the flat register: possible counts, group ids that cannot be mistaken."""
    flats = found.tables.get("flats")
    if "flats" not in found.files or flats is None:
        return
    if not len(flats):
        return
    n = flats["n_dwellings"]
    found.report(
        "flats",
        (n < 1).fillna(False).to_numpy(),
        "n_dwellings",
        "a flat needs at least one dwelling",
        n,
        "give the number of dwellings in the flat",
    )
    for col in ("n_nultreden", "n_social_rent"):
        found.report(
            "flats",
            (flats[col] > n).fillna(False).to_numpy(),
            col,
            "more than the flat's dwellings (n_dwellings)",
            flats[col].astype(str) + " > " + n.astype(str),
            f"{col} counts dwellings of the flat: at most n_dwellings",
        )
    group = flats["group_id"]
    ids = set(flats["flat_id"].dropna().astype(str))
    clash = group.notna() & (group.astype(str).isin(ids) | group.astype(str).str.startswith("GA-"))
    found.report(
        "flats",
        clash.fillna(False).to_numpy(),
        "group_id",
        "a group id may not equal a flat id or start with 'GA-' (used for groups found by distance)",
        group,
        "give the group its own name, e.g. G01",
    )
    sizes = group.value_counts()
    found.report(
        "flats",
        group.isin(sizes[sizes == 1].index).fillna(False).to_numpy(),
        "group_id",
        "a declared group with only one flat",
        group,
        "give the other flats of the group the same group_id, or leave it empty",
        severity="warning",
    )


def _check_flats_in_city(found: _Found) -> None:
    """Flats outside every stadsdeel (the region check is only a box): a warning naming them."""
    if "flats" not in found.files or "stadsdelen" not in found.files:
        return
    flats, sd = found.tables["flats"], found.tables["stadsdelen"]
    if not len(flats) or not len(sd):
        return
    city = shapely.union_all(sd.geometry.dropna().to_numpy())
    present = flats.geometry.notna().to_numpy() & ~flats.geometry.is_empty.to_numpy()
    outside = present.copy()
    outside[present] = ~shapely.intersects(city, flats.geometry.to_numpy()[present])
    found.report(
        "flats",
        outside,
        None,
        f"flats outside every stadsdeel of {found.files['stadsdelen']}",
        flats["flat_id"],
        "check the location; a flat just outside is assigned to the nearest area within "
        "[areas] outside_tolerance_m, further out its areas are unknown",
        severity="warning",
    )


def _check_plausible(found: _Found, config: Config) -> None:
    """Values no real register holds: a warning above the ``[plausibility]`` ``_warn`` limits, an
    error above the ``_max`` limits and where one count exceeds what it counts (more preferences
    than respondents). Each names file, column, row and value."""
    q = config["plausibility"]

    def limits(name: str, column: str, values: pd.Series, stem: str, what: str) -> None:
        if name not in found.files or not len(values):
            return
        warn, top = q[f"{stem}_warn"], q[f"{stem}_max"]
        v = values.astype("Float64")
        over_max = (v > top).fillna(False).to_numpy(dtype=bool)
        over_warn = (v > warn).fillna(False).to_numpy(dtype=bool) & ~over_max
        key = f"[plausibility] {stem}"
        found.report(
            name,
            over_max,
            column,
            f"more {what} than is possible (above {top:g})",
            values,
            f"check the value; the limit is {key}_max in {CONFIG_FILE}",
        )
        found.report(
            name,
            over_warn,
            column,
            f"unusually many {what} (above {warn:g}): please check",
            values,
            f"correct it if it is a typing error; the limit is {key}_warn in {CONFIG_FILE}",
            severity="warning",
        )

    flats = found.tables.get("flats")
    if flats is not None:
        limits("flats", "n_dwellings", flats["n_dwellings"], "flat_dwellings", "dwellings in one flat")
        limits("flats", "subsidy_eur", flats["subsidy_eur"], "flat_subsidy_eur", "euros of subsidy for one flat")
    sites = found.tables.get("intramural_sites")
    if sites is not None:
        limits("intramural_sites", "n_places", sites["n_places"], "site_places", "places in one site")
    for area in ("wijken", "buurten"):
        frame = found.tables.get(area)
        if frame is not None:
            for col in ("residents_total", "residents_65plus"):
                limits(area, col, frame[col], "area_residents", f"residents in one {area[:-2]}")
    if flats is None or "flats" not in found.files or not len(flats):
        return
    dwellings = flats.drop_duplicates("flat_id").set_index("flat_id")["n_dwellings"]
    clients = found.tables.get("flat_clients")
    if "flat_clients" in found.files and clients is not None and len(clients):
        per = clients["n_clients"].astype("Float64") / clients["flat_id"].map(dwellings).astype("Float64")
        per = per.replace([np.inf, -np.inf], np.nan)
        text = clients["n_clients"].astype(str) + " clients / " + clients["flat_id"].map(dwellings).astype(str)
        top, warn = q["clients_per_dwelling_max"], q["clients_per_dwelling_warn"]
        over_max = (per > top).fillna(False).to_numpy(dtype=bool)
        found.report(
            "flat_clients",
            over_max,
            "n_clients",
            f"more than {top:g} clients per dwelling of the flat is not possible",
            text + " dwellings",
            "check the number of clients and the flat's n_dwellings",
        )
        found.report(
            "flat_clients",
            (per > warn).fillna(False).to_numpy(dtype=bool) & ~over_max,
            "n_clients",
            f"more than {warn:g} client per dwelling of the flat: please check",
            text + " dwellings",
            "correct it if it is a typing error",
            severity="warning",
        )
    survey = found.tables.get("survey")
    if "survey" in found.files and survey is not None and len(survey):
        prefs, resp = survey["n_preferences"].astype("Float64"), survey["n_respondents"].astype("Float64")
        found.report(
            "survey",
            (prefs > resp).fillna(False).to_numpy(dtype=bool),
            "n_preferences",
            "more preferences than respondents",
            survey["n_preferences"].astype(str) + " > " + survey["n_respondents"].astype(str),
            "each respondent states at most one preference per provider",
        )
        flat_dw = survey["flat_id"].map(dwellings).astype("Float64")
        top = q["respondents_per_dwelling_max"]
        found.report(
            "survey",
            (resp > top * flat_dw).fillna(False).to_numpy(dtype=bool),
            "n_respondents",
            f"more respondents than {top:g} per dwelling of the flat",
            survey["n_respondents"].astype(str) + " respondents / " + flat_dw.astype(str) + " dwellings",
            "check the number of respondents",
        )
        total = prefs.groupby(survey["flat_id"]).transform("sum")
        most = resp.groupby(survey["flat_id"]).transform("max")
        found.report(
            "survey",
            (total > most).fillna(False).to_numpy(dtype=bool) & ~(prefs > resp).fillna(False).to_numpy(),
            "n_preferences",
            "the flat's preferences together exceed its respondents (did respondents name more than one provider?)",
            survey["flat_id"].astype(str) + ": " + total.astype(str) + " > " + most.astype(str),
            "check the survey counts",
            severity="warning",
        )
    presence = found.tables.get("provider_presence")
    wijken = found.tables.get("wijken")
    if "provider_presence" in found.files and presence is not None and len(presence) and wijken is not None:
        residents = (
            presence["wijk_code"]
            .map(wijken.drop_duplicates("wijk_code").set_index("wijk_code")["residents_total"])
            .astype("Float64")
        )
        found.report(
            "provider_presence",
            (presence["n_clients"].astype("Float64") > residents).fillna(False).to_numpy(dtype=bool),
            "n_clients",
            "more clients in the wijk than the wijk has residents",
            presence["n_clients"].astype(str) + " > " + residents.astype(str),
            "check the number of clients",
        )


def _check_references(found: _Found) -> None:
    """Every reference names a row that exists in the referenced table."""
    for name, frame, col, ref_table, ref_col in found.references():
        known = set(found.tables[ref_table][ref_col].dropna().astype(str))
        values = frame[col]
        unknown = (values.notna() & ~values.astype(str).isin(known)).to_numpy(dtype=bool)
        found.report(
            name,
            unknown,
            col,
            f"refers to {ref_col} values that do not exist in {found.files[ref_table]}",
            values,
            f"add them to {found.files[ref_table]} or correct the {col}",
        )


def _cascade(found: _Found) -> None:
    """Rows that refer to a row left out because of an error are left out too, and reported."""
    changed = True
    while changed:
        changed = False
        for name, frame, col, ref_table, ref_col in found.references():
            left_out = found.bad[ref_table]
            if not left_out.any():
                continue
            ref = found.tables[ref_table][ref_col].astype(str)
            dropped = set(ref[left_out]) - set(ref[~left_out])
            hit = (frame[col].astype(str).isin(dropped) & frame[col].notna()).to_numpy() & ~found.bad[name]
            if hit.any():
                found.report(
                    name,
                    hit,
                    col,
                    f"refers to a row of {found.files[ref_table]} that was left out because of an error",
                    frame[col],
                    f"correct the row in {found.files[ref_table]}",
                )
                changed = True


def _row_counts(found: _Found) -> pd.DataFrame:
    """Per table: rows read, used and reported (left out because of an error)."""
    return pd.DataFrame(
        {
            "file": [found.files.get(n, "") for n in TABLES],
            "rows_in": [len(found.tables[n]) for n in TABLES],
            "rows_used": [int((~found.bad[n]).sum()) for n in TABLES],
            "rows_reported": [int(found.bad[n].sum()) for n in TABLES],
        },
        index=pd.Index(list(TABLES), name="table"),
    )


def validate_dataset(folder: str | Path) -> Dataset:
    """Read every table in a folder and report every problem, without raising for bad rows.

    The returned dataset still holds rows with errors; use :func:`load_dataset` to get a dataset
    that is safe to analyse.

    Raises
    ------
    InputError
        Only when the configuration file itself cannot be used.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            [
                Problem(
                    "error",
                    str(folder),
                    None,
                    "no such folder",
                    fix="give the folder that holds the data files and llt_geo.toml",
                )
            ]
        )
    config = load_config(folder)
    region = config["validation"]["region_rd"]
    found = _Found()
    problems = found.problems
    attempted: set[str] = set()  # files read as a table, whether or not that succeeded
    for name, spec in TABLES.items():
        found.tables[name] = _empty_table(spec)
        found.rows[name] = np.zeros(0, dtype=int)
        found.bad[name] = np.zeros(0, dtype=bool)
        lookup_failed = False
        try:
            path = find_table_file(folder, spec, config)
        except InputError as exc:
            problems.extend(exc.problems)
            path, lookup_failed = None, True
        if path is None:
            if spec.required and not lookup_failed:
                stems = ", ".join(spec.file_stems)
                wanted = {normalise_header(stem) for stem in spec.file_stems}
                folders = sorted(p.name for p in folder.iterdir() if p.is_dir() and normalise_header(p.name) in wanted)
                there = (
                    f" (there is a folder named '{folders[0]}': an unzipped archive? put the file itself in "
                    f"{folder.name})"
                    if folders
                    else ""
                )
                problems.append(
                    Problem(
                        "error",
                        str(folder.name),
                        None,
                        f"the {name} table is missing{there}",
                        fix=f"add a file named one of {stems} with extension "
                        f"{', '.join(EXTENSIONS)}, or name it in {CONFIG_FILE} [files]",
                        table=name,
                    )
                )
            continue
        attempted.add(path.name.lower())
        try:
            frame, table_problems, is_bad, row_numbers = read_table(
                path, spec, region=region, today=config["validation"]["today"]
            )
        except InputError as exc:
            problems.extend(
                Problem(p.severity, p.file, p.column, p.message, p.rows, p.values, p.fix, p.row_noun, name, p.row_index)
                for p in exc.problems
            )
            continue
        problems.extend(table_problems)
        found.headers[name] = frame.attrs.pop("headers", {})
        found.tables[name] = frame
        found.files[name] = path.name
        found.rows[name] = row_numbers
        found.bad[name] = is_bad
        found.nouns[name] = (
            "row"
            if path.suffix.lower() in (".csv", ".txt", ".xlsx", ".xlsm")
            or (path.suffix.lower() in _PARQUET_EXTENSIONS and not isinstance(frame, gpd.GeoDataFrame))
            else "feature"
        )
    _check_areas(found)
    _check_age_figures(found)
    _check_references(found)
    _check_flats(found)
    _check_flats_in_city(found)
    _check_plausible(found, config)
    used = attempted | {CONFIG_FILE.lower()}
    used |= {Path(v).name.lower() for v in config["files"].values()}
    unused = sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in EXTENSIONS and p.name.lower() not in used
    )
    if unused:
        problems.append(
            Problem(
                "warning",
                folder.name,
                None,
                f"files not read as any table: {', '.join(unused)}",
                fix=f"name each after its table (see docs/data-format.md) or list it in {CONFIG_FILE} [files]",
            )
        )
    ds = Dataset(folder, config, found.tables, found.files, problems, _row_counts(found))
    ds._found = found  # type: ignore[attr-defined]
    return ds


def load_dataset(folder: str | Path, *, on_error: str = "raise") -> Dataset:
    """Load a dataset folder: every table validated, in EPSG:28992, with the configuration.

    Parameters
    ----------
    folder : str or Path
        A folder in the format of ``docs/data-format.md``.
    on_error : {"raise", "drop"}
        ``"raise"`` (default): any error raises :class:`InputError` listing every problem.
        ``"drop"``: rows with an error are left out, and each one is reported in
        ``Dataset.problems`` and counted in ``Dataset.row_counts``. A missing required table or an
        unreadable file still raises.

    Returns
    -------
    Dataset

    Raises
    ------
    InputError
        As described under ``on_error``.
    """
    if on_error not in ("raise", "drop"):
        raise ValueError("on_error must be 'raise' or 'drop'")
    ds = validate_dataset(folder)
    errors = ds.errors
    whole_file = [p for p in errors if not p.row_index]
    if errors and (on_error == "raise" or whole_file):
        raise InputError(ds.problems)
    found = ds._found  # type: ignore[attr-defined]
    _cascade(found)
    ds.row_counts = _row_counts(found)
    bad = found.bad
    for name, frame in ds.tables.items():
        if len(frame) and bad[name].any():
            ds.tables[name] = frame.loc[~bad[name]].reset_index(drop=True)
        else:
            ds.tables[name] = frame.reset_index(drop=True)
    return ds
