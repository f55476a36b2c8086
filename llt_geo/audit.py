"""Checks that the traceability table (:mod:`llt_geo.present.traceability`) is true of the package.

Each statement of the Toewijzingskader names a function, a result table, a column (and value), a
CSV and settings; :func:`check` imports the function by its dotted name, finds the result in the
objects of a real run and looks the column, value and settings up (for every place of a statement,
``also`` included), and the input columns a rule reads up in :data:`llt_geo.schema.TABLES`.
:func:`table_problems` checks the rows against each other (one row per id and per quoted words of
the framework; a recorded statement that ``agrees_with`` a computed one is among its inputs), and
:func:`agreement_problems` checks on the results that such a pair does not contradict itself.
Importing by name is what this audit is for, so it lives here, apart from the outputs (which never
import the analysis) and is run by ``tests/test_traceability.py``.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from .present.traceability import KINDS, SECTIONS, Statement, places
from .schema import TABLES

__all__ = ["agreement_problems", "check", "resolve_function", "resolve_output", "table_problems"]

#: The status a computed criterion has when it is met, and a recorded fact when it holds.
_PASS = "pass"
_YES = "ja"


_RESULT = re.compile(r"^(?P<root>[A-Za-z_]\w*(?:\(\))?)(?P<rest>(?:\.\w+|\['[^']*'\])*)$")
_STEP = re.compile(r"\.(\w+)|\['([^']*)'\]")


def resolve_function(path: str) -> Any:
    """Import a dotted path (``llt_geo.partners.hard_criteria``) and return the object.

    Raises
    ------
    ImportError, AttributeError
        When the module or the attribute does not exist.
    """
    module, _, name = path.rpartition(".")
    if not module:
        raise ImportError(f"not a dotted path: {path!r}")
    return getattr(importlib.import_module(module), name)


def resolve_output(result: str, outputs: dict[str, Any]) -> Any:
    """The object a ``result`` path names, from the result objects by name.

    ``outputs`` maps the first part (``"Screening"``, ``"PartnerChoice"``, ``"Portfolio"``,
    ``"Spread"``, ``"progress_table()"``) to the object; then ``.attr`` takes an attribute and
    ``['key']`` an item, e.g. ``"Portfolio.scenarios['basis'].reasons"``.

    Raises
    ------
    KeyError, AttributeError, ValueError
        When a part does not exist or the path is malformed.
    """
    m = _RESULT.match(result)
    if not m:
        raise ValueError(f"malformed result path: {result!r}")
    obj = outputs[m["root"]]
    for attr, key in _STEP.findall(m["rest"]):
        obj = getattr(obj, attr) if attr else obj[key]
    return obj


def _config_has(config: dict, dotted: str) -> bool:
    node: Any = config
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _record_problems(s: Statement) -> list[str]:
    """What is wrong in the record itself: its kind, section, reason, and the fields a covered one needs."""
    problems: list[str] = []
    if s.kind not in KINDS:
        problems.append(f"{s.id}: kind {s.kind!r} is not one of {KINDS}")
    if s.section not in SECTIONS:
        problems.append(f"{s.id}: section {s.section!r} is not one of {SECTIONS}")
    if s.kind == "niet gedekt" and not s.note:
        problems.append(f"{s.id}: a statement not covered must say why (note)")
    if s.kind in ("berekend", "vastgelegd"):
        problems += [f"{s.id}: {s.kind} but no {name}" for name in ("function", "result", "column", "csv")
                     if not getattr(s, name)]  # fmt: skip
    if s.value and not s.column:
        problems.append(f"{s.id}: a value without a column")
    if s.also and s.kind == "niet gedekt":
        problems.append(f"{s.id}: niet gedekt but with further places (also)")
    if s.inputs and s.kind != "berekend":
        problems.append(f"{s.id}: input columns on a statement that is not berekend")
    if s.agrees_with and s.kind != "vastgelegd":
        problems.append(f"{s.id}: agrees_with on a statement that is not vastgelegd")
    return problems


def _input_problems(s: Statement) -> list[str]:
    """Whether each input column (``table.column``) is a column of an input table of the schema."""
    problems = []
    for ref in filter(None, s.inputs.split(", ")):
        table, _, column = ref.partition(".")
        if table not in TABLES:
            problems.append(f"{s.id}: input {ref}: no input table {table!r}")
        elif column not in {c.name for c in TABLES[table].columns}:
            problems.append(f"{s.id}: input {ref}: no column {column!r} in {table}")
    return problems


def _function_problems(s: Statement) -> list[str]:
    """Whether the named function imports and is callable."""
    if not s.function:
        return []
    try:
        fn = resolve_function(s.function)
    except (ImportError, AttributeError) as exc:
        return [f"{s.id}: function {s.function} does not exist ({exc})"]
    return [] if callable(fn) else [f"{s.id}: {s.function} is not callable"]


def _result_problems(s: Statement, outputs: dict[str, Any]) -> list[str]:
    """Whether the named result is a table holding the column (and the value, where given)."""
    if not s.result:
        return []
    try:
        frame = resolve_output(s.result, outputs)
    except (KeyError, AttributeError, ValueError, TypeError) as exc:
        return [f"{s.id}: result {s.result} does not exist ({type(exc).__name__}: {exc})"]
    if not isinstance(frame, pd.DataFrame):
        return [f"{s.id}: result {s.result} is a {type(frame).__name__}, not a DataFrame"]
    if s.column not in frame.columns:
        return [f"{s.id}: column {s.column!r} is not in {s.result}"]
    if s.value and s.value not in set(frame[s.column].dropna().astype(str)):
        return [f"{s.id}: value {s.value!r} does not occur in {s.result}[{s.column!r}]"]
    return []


def check(s: Statement, outputs: dict[str, Any], config: dict) -> list[str]:
    """What is wrong with one statement against the real package and its results (empty: nothing).

    Checks the kind, that a covered statement names a function, result, column and CSV, that the
    function imports and is callable, that the result is a DataFrame holding the column (and the
    value, where given) — for each place, ``also`` included —, that each input column and each
    configuration key exists, and that a statement not covered says why.
    """
    problems = _record_problems(s) + _input_problems(s)
    for place in places(s):
        p = dataclasses.replace(s, **{f.name: getattr(place, f.name) for f in dataclasses.fields(place)})
        problems += _function_problems(p) + _result_problems(p, outputs)
    problems += [f"{s.id}: configuration key {key} does not exist"
                 for key in filter(None, s.config_key.split(", ")) if not _config_has(config, key)]  # fmt: skip
    return problems


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def table_problems(statements: Iterable[Statement]) -> list[str]:
    """What is wrong between the rows (empty: nothing).

    Every id occurs once; every row quotes the framework (``quote``) and no two rows quote the same
    words (nor one row words inside another's: one statement, one row); a statement that
    ``agrees_with`` another names an existing ``berekend`` one that reads its fact — the recorded
    value is a ``flats`` column among the other's ``inputs``.
    """
    rows = list(statements)
    by_id: dict[str, Statement] = {}
    problems: list[str] = []
    for s in rows:
        if s.id in by_id:
            problems.append(f"{s.id}: two rows with this id")
        by_id[s.id] = s
    quoted: list[tuple[str, str]] = []
    for s in rows:
        if not s.quote:
            problems.append(f"{s.id}: quotes no words of the framework")
        quoted += [(s.id, _words(q)) for q in s.quote]
    for k, (sid, q) in enumerate(quoted):
        for other, r in quoted[k + 1:]:
            if other != sid and (q in r or r in q):
                problems.append(f"{sid} and {other} quote the same words of the framework: {q!r}")
    for s in rows:
        if not s.agrees_with:
            continue
        target = by_id.get(s.agrees_with)
        if target is None:
            problems.append(f"{s.id}: agrees_with {s.agrees_with}, which is not in the table")
        elif target.kind != "berekend":
            problems.append(f"{s.id}: agrees_with {target.id}, which is not berekend")
        elif f"flats.{s.value}" not in target.inputs.split(", "):
            problems.append(f"{s.id}: {target.id} does not read flats.{s.value} (its inputs: {target.inputs!r})")
    return problems


def _long(frame: pd.DataFrame, s: Statement) -> pd.DataFrame:
    return frame[frame[s.column].astype(str) == s.value] if s.value else frame


def agreement_problems(statements: Iterable[Statement], outputs: dict[str, Any]) -> list[str]:
    """Where a recorded statement contradicts the computed one it ``agrees_with``, on real results.

    Both must be long tables with ``candidate_id`` and ``status`` (e.g. 3.2-1 in
    ``PartnerChoice.corporation``, one row per flat, and 3.1-c4 in ``Screening.criteria``, one row
    per candidate): every candidate that passes the computed criterion must have the recorded fact
    *ja* for at least one of its flats (a group shares one room), never only *nee* or *onbekend*.
    One line per such candidate (empty: they agree).
    """
    rows = list(statements)
    by_id = {s.id: s for s in rows}
    problems: list[str] = []
    for s in rows:
        target = by_id.get(s.agrees_with) if s.agrees_with else None
        if target is None:
            continue
        recorded = _long(resolve_output(s.result, outputs), s)
        computed = _long(resolve_output(target.result, outputs), target)
        passed = computed.loc[computed["status"].astype(str) == _PASS, "candidate_id"].astype(str)
        facts = recorded.groupby(recorded["candidate_id"].astype(str))["status"].agg(
            lambda v: ", ".join(sorted(set(v.astype(str))))
        )
        for cid in sorted(set(passed)):
            fact = facts.get(cid, "")
            if _YES not in fact.split(", "):
                problems.append(
                    f"{cid}: {target.id} ({target.value}) voldoet, maar {s.id} ({s.value}) is "
                    f"{fact or 'niet vastgelegd'}"
                )
    return problems
