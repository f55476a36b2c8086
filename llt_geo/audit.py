"""Checks that the traceability table (:mod:`llt_geo.present.traceability`) is true of the package.

Each statement of the Toewijzingskader names a function, a result table, a column (and value), a
CSV and settings; :func:`check` imports the function by its dotted name, finds the result in the
objects of a real run and looks the column, value and settings up. Importing by name is what this
audit is for, so it lives here, apart from the outputs (which never import the analysis) and is run
by ``tests/test_traceability.py``.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import pandas as pd

from .present.traceability import KINDS, SECTIONS, Statement

__all__ = ["check", "resolve_function", "resolve_output"]


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
    value, where given), that each configuration key exists, and that a statement not covered says
    why.
    """
    problems = _record_problems(s) + _function_problems(s) + _result_problems(s, outputs)
    problems += [f"{s.id}: configuration key {key} does not exist"
                 for key in filter(None, s.config_key.split(", ")) if not _config_has(config, key)]  # fmt: skip
    return problems
