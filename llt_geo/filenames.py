"""File names made from data: one decision for every name that comes from a user's input.

A candidate's dossier is ``dossiers/<id>.html`` and a scenario's files are ``portefeuille_<name>.csv``,
``kaart_portefeuille_<name>.html`` and ``afdruk/kaart_portefeuille_<name>.pdf``. The ids and names come
from the data, so they decide file names: :func:`file_stems` is the one place that turns them into the
stem of a file name, for every writer, link and index in the pack.

The scheme (deterministic: the same ids give the same names on every machine):

- an id of at most :data:`MAX_STEM_BYTES` letters ``A-Z a-z``, digits, ``-`` and ``_`` that is not a
  Windows device name (``CON``, ``PRN``, ``AUX``, ``NUL``, ``COM1``-``COM9``, ``LPT1``-``LPT9``, ...)
  is its own stem: ``LLT-001`` -> ``LLT-001.html``;
- any other id (a path separator, ``..``, a dot, a space, a control or non-ASCII character, a device
  name, too long) becomes its letters, digits, ``-`` and ``_`` (every other run of characters one
  ``_``), cut to fit, then ``_`` and the first 10 hex digits of the SHA-256 of the id as written:
  ``../x`` -> ``x_<hash>``, ``CON`` -> ``CON_<hash>``;
- ids whose stems would be equal except for case (``llt-006`` and ``LLT-006``: one file on Windows
  and macOS) all take the hashed form, longer hashes if ever needed, so no two ids of one set share a
  file name on a case-insensitive file system.

Every stem is ASCII, at most :data:`MAX_STEM_BYTES` bytes, and never ``.`` or ``..`` or a path: a
file named after it stays in the folder it is written to. ``llt-geo validate`` reports each id whose
file name differs from it (:func:`file_name_problems`), before anything is written.

This module imports nothing from the analysis or the outputs (``lint-imports``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .errors import Problem

__all__ = [
    "HASH_LENGTH",
    "MAX_STEM_BYTES",
    "file_name_problems",
    "file_stem",
    "file_stems",
    "rename_reason",
    "scenario_stems",
]

#: the longest stem: with ``kaart_portefeuille_`` before and ``.html`` after, a name stays under 130 bytes
#: (file systems allow 255), and a pack in a deep folder under Windows' 260 characters as long as it can
MAX_STEM_BYTES = 100
#: hex digits of the SHA-256 of an id added to a stem that had to change
HASH_LENGTH = 10

_PLAIN = re.compile(r"[A-Za-z0-9_-]+")
_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CLOCK$", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in "0123456789¹²³"}
)


def _device(text: str) -> str | None:
    """The Windows device name ``text`` is, with or without an extension (``con.txt`` is ``CON``)."""
    head = text.split(".", 1)[0].rstrip(" ").upper()
    return head if head in _DEVICES else None


def rename_reason(text: object, *, prefixed: bool = False) -> str:
    """Why ``text`` cannot be a file name as it is, in plain words; empty when it can.

    ``prefixed``: the name never stands alone (``portefeuille_<name>.csv``), so a device name is safe.
    """
    text = str(text)
    reasons = []
    if "/" in text or "\\" in text:
        reasons.append("a path separator")
    if ".." in text:
        reasons.append("'..'")
    if not prefixed and _device(text):
        reasons.append(f"a Windows device name ({_device(text)})")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
        reasons.append("a control or invisible character")
    if text != text.rstrip(". "):
        reasons.append("a dot or space at the end")
    if len(text.encode("utf-8")) > MAX_STEM_BYTES:
        reasons.append(f"longer than {MAX_STEM_BYTES} bytes")
    if not text:
        reasons.append("empty")
    if not reasons and not _PLAIN.fullmatch(text):
        reasons.append("characters other than letters A-Z, digits, '-' and '_'")
    return ", ".join(reasons)


def _hashed(text: str, length: int = HASH_LENGTH) -> str:
    """The stem of an id that had to change: its safe characters, ``_``, a hash of the id as written."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"[^A-Za-z0-9-]+", "_", ascii_text).strip("_")[: MAX_STEM_BYTES - length - 1].rstrip("_")
    return f"{safe}_{digest}" if safe else digest


def file_stem(text: object, *, prefixed: bool = False) -> str:
    """The stem of the file name of one id or name, on its own (see :func:`file_stems` for a set).

    Parameters
    ----------
    text : object
        The id or name as it is in the data (``str()`` of it).
    prefixed : bool
        True when the file name always has a prefix (``portefeuille_<name>``): a Windows device
        name is then safe and kept.

    Returns
    -------
    str
        The id itself when it is safe, else its safe characters with a hash of it (module docstring).
    """
    text = str(text)
    return _hashed(text) if rename_reason(text, prefixed=prefixed) else text


def file_stems(texts: Iterable[object], *, prefixed: bool = False) -> dict[str, str]:
    """The stem of the file name of every id in a set: safe, and unique on a case-insensitive file system.

    Parameters
    ----------
    texts : iterable
        The ids (dossiers: the candidate ids) or names (scenarios), as they are in the data; ``str()``
        of each is used, duplicates count once.
    prefixed : bool
        As in :func:`file_stem`.

    Returns
    -------
    dict of str to str
        Per id (``str``), its stem: :func:`file_stem`, except that ids whose stems are equal but for
        case all take the hashed form (a longer hash while two are still equal).

    Raises
    ------
    ValueError
        When two different ids keep one stem with the whole SHA-256 (never expected to happen).
    """
    stems = {t: file_stem(t, prefixed=prefixed) for t in dict.fromkeys(str(t) for t in texts)}
    length = dict.fromkeys(stems, 0)  # 0: the id itself
    while True:
        groups: dict[str, list[str]] = defaultdict(list)
        for text, stem in stems.items():
            groups[stem.lower()].append(text)
        clash = [text for group in groups.values() if len(group) > 1 for text in group]
        if not clash:
            return stems
        for text in clash:
            if stems[text] == text:
                length[text] = HASH_LENGTH
            elif length[text] >= 64:
                raise ValueError(f"two ids share the file name {stems[text]!r}")
            else:
                length[text] = min(64, max(length[text], HASH_LENGTH) + 6)
            stems[text] = _hashed(text, length[text])


def scenario_stems(names: Iterable[object]) -> dict[str, str]:
    """The stem of every scenario's files (``portefeuille_<stem>.csv``, ``kaart_portefeuille_<stem>.html``
    and ``.pdf``): :func:`file_stems` of the names, which always follow a prefix. The configuration
    already refuses an unsafe name; this keeps a writer inside its folder all the same."""
    return file_stems(names, prefixed=True)


def _clash_reason(text: str, stems: Mapping[str, str]) -> str:
    """The ids ``text`` would share a file with on a case-insensitive file system, in words."""
    others = [t for t in stems if t != text and t.lower() == text.lower()]
    return f"differs from {', '.join(repr(t) for t in others)} only by case" if others else ""


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value))) or str(value) == ""


def _candidate_rows(flats: Any) -> dict[str, list[tuple[str, int]]]:
    """Per candidate id of the register (a flat's own id, or its declared group's): (column, frame index)."""
    ids: dict[str, list[tuple[str, int]]] = defaultdict(list)
    if flats is None or "flat_id" not in getattr(flats, "columns", ()):
        return ids
    group = flats["group_id"] if "group_id" in flats.columns else None
    for i, flat_id in enumerate(flats["flat_id"]):
        gid = None if group is None else group.iloc[i]
        if not _blank(gid):
            ids[str(gid)].append(("group_id", i))
        elif not _blank(flat_id):
            ids[str(flat_id)].append(("flat_id", i))
    return ids


def file_name_problems(dataset: Any) -> list[Problem]:
    """A warning per candidate id (and scenario name) whose file name in the pack differs from it.

    ``llt-geo validate`` prints them, so an analyst learns before a run what ``dossiers/<id>.html``
    (or ``portefeuille_<name>.csv``) will be called and why. ``dataset`` is a
    :class:`llt_geo.io.Dataset` (from :func:`llt_geo.io.validate_dataset`): its flat register, the file
    it came from, and the row numbers and headers as the user's file has them when validation kept them.

    A group of flats formed by distance (``GA-<flat id>``, made during screening) is named like any
    other candidate; its flat's id is reported here when it is unsafe.
    """
    problems: list[Problem] = []
    flats = getattr(dataset, "tables", {}).get("flats")
    file = getattr(dataset, "files", {}).get("flats", "flats")
    found = getattr(dataset, "_found", None)
    rows = getattr(found, "rows", {}).get("flats")
    ids = _candidate_rows(flats)
    stems = file_stems(ids)
    for cid, where in ids.items():
        if stems[cid] == cid:
            continue
        shown = cid if len(cid) <= 60 else cid[:40] + f"... ({len(cid)} characters)"
        why = "; ".join(r for r in (rename_reason(cid), _clash_reason(cid, stems)) if r)
        for column in dict.fromkeys(c for c, _ in where):
            at = [i for c, i in where if c == column]
            problems.append(
                Problem(
                    "warning",
                    file,
                    found.header("flats", column) if found is not None else column,
                    f"the id {shown!r} cannot be a file name as it is ({why}): its dossier will be "
                    f"dossiers/{stems[cid]}.html",
                    tuple(int(rows[i]) for i in at) if rows is not None else (),
                    (),
                    "none needed, the pack links the dossier by that name; to keep the id as the name, use only "
                    f"letters, digits, '-' and '_' (at most {MAX_STEM_BYTES}), not a Windows device name",
                    table="flats",
                )
            )
    try:
        scenarios = list(dataset.config["scenarios"])
    except (AttributeError, KeyError, TypeError):
        scenarios = []
    names = scenario_stems(["basis", *scenarios])
    for name, stem in names.items():
        if stem != name:
            problems.append(
                Problem(
                    "warning",
                    "llt_geo.toml",
                    f"[scenarios.{name}]",
                    f"the scenario name {name!r} cannot be part of a file name as it is "
                    f"({rename_reason(name, prefixed=True) or _clash_reason(name, names)}): its files will be "
                    f"portefeuille_{stem}.csv and kaart_portefeuille_{stem}.html",
                    fix="rename the scenario: lower-case letters a-z, digits, '_' and '-'",
                )
            )
    return problems
