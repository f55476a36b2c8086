"""Problems found in a user's input, and the one error type that carries them.

Every check in llt_geo reports a :class:`Problem` that names the file, the column, the rows,
the offending values and the fix. Checks collect all problems first and raise once, so a user
sees everything that is wrong in one go.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["InputError", "Problem", "format_rows"]

_MAX_LISTED = 8


def format_rows(rows: Sequence[int | str], *, noun: str = "row") -> str:
    """Format row numbers for a message: ``rows 4, 17`` or ``rows 4, 5, ... (12 in total)``."""
    rows = list(rows)
    if not rows:
        return ""
    plural = noun + "s" if len(rows) > 1 else noun
    shown = ", ".join(str(r) for r in rows[:_MAX_LISTED])
    if len(rows) > _MAX_LISTED:
        shown += f", ... ({len(rows)} in total)"
    return f"{plural} {shown}"


def _format_values(values: Sequence[object]) -> str:
    shown = []
    for v in list(dict.fromkeys(str(v) for v in values))[:_MAX_LISTED]:
        shown.append(repr(v))
    more = len(set(map(str, values))) - len(shown)
    text = ", ".join(shown)
    if more > 0:
        text += f", ... ({more} more)"
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong (``severity="error"``) or worth knowing (``"warning"``) in the input.

    Attributes
    ----------
    severity : {"error", "warning"}
        An error makes the dataset unusable as it is; a warning is reported and the data is used.
    file : str
        The file name as the user knows it (or the configuration file).
    column : str or None
        The column as it is headed in the user's file, or None for a whole-file problem.
    message : str
        What is wrong, in plain words.
    rows : tuple
        Row numbers as the user sees them: spreadsheet rows for CSV/Excel (the header is row 1),
        feature numbers (from 1) for GeoJSON, GeoPackage and GeoParquet.
    values : tuple
        The offending values, as they appear in the file.
    fix : str
        What would fix it.
    row_noun : str
        ``"row"`` or ``"feature"``.
    """

    severity: str
    file: str
    column: str | None
    message: str
    rows: tuple = ()
    values: tuple = ()
    fix: str = ""
    row_noun: str = "row"
    table: str = ""
    row_index: tuple = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        where = self.file
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.rows:
            text += f" in {format_rows(self.rows, noun=self.row_noun)}"
        if self.values:
            text += f" (values {_format_values(self.values)})"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text


class InputError(ValueError):
    """Raised when the user's input cannot be used; carries every :class:`Problem` found.

    The message lists each problem on its own line, naming file, column, rows, values and fix.
    """

    def __init__(self, problems: Iterable[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("error", "", None, problems)]
        self.problems: list[Problem] = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        head = f"{len(errors)} problem(s) in the input:" if len(errors) != 1 else ""
        lines = [str(p) for p in errors] or [str(p) for p in self.problems]
        super().__init__("\n".join(([head] if head else []) + ["- " + line if head else line for line in lines]))

    @classmethod
    def one(cls, file: str, message: str, *, column: str | None = None, fix: str = "", **more) -> InputError:
        """The error of a single problem: ``raise InputError.one("flats.csv", "no rows", fix="...")``.

        ``more`` takes the other fields of :class:`Problem` (``rows``, ``values``, ``row_noun``, ``table``).
        """
        return cls([Problem("error", file, column, message, fix=fix, **more)])
