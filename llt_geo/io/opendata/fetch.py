"""``llt-geo data fetch``: the open data into a local cache, with a provenance record per file.

:func:`fetch` downloads each file of the catalogue (:mod:`llt_geo.io.opendata.sources`) from its URL,
or copies it from a local mirror (``mirror=``, ``llt-geo data fetch --from DIR``: offline machines,
CI), into ``cache`` with the layout of ``../shared/data/real``, and writes one provenance record per
file into ``cache/herkomst.json`` (:data:`RECORD_FILE`): where it came from, when, its licence and
credit line, its SHA-256 and size. Only the standard library (``urllib``) is used.

Guarantees:

* a file is written under a temporary name in its own folder and renamed only when it is complete
  and its SHA-256 is the catalogue's (the tested version): a broken download, a timeout or a
  changed file never leaves a half or unknown file under the real name;
* a file already in the cache with the SHA-256 of its record is not fetched again ("al aanwezig");
  one that no longer matches its record is reported, not silently replaced (``force=True``
  fetches it again);
* every file is tried; each failure is one :class:`~llt_geo.errors.Problem` naming the file, the
  URL and what to do, and one failure never hides another;
* ``herkomst.json`` is deterministic: records sorted by key, keys sorted, 2-space indent, UTF-8; a
  record changes only when its file is fetched again.

:func:`check_cache` reads the records back and compares each file with its recorded SHA-256 (the
report's verantwoording shows the result, :mod:`llt_geo.present.report`).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ...errors import InputError, Problem
from .sources import CATALOGUE, Source, derive_kwb_gm0363

__all__ = [
    "RECORD_FILE",
    "CachedFile",
    "FetchReport",
    "FileResult",
    "check_cache",
    "default_cache",
    "fetch",
    "read_records",
    "sha256_file",
]

#: the provenance file in the cache
RECORD_FILE = "herkomst.json"
#: the environment variable naming the default cache folder
CACHE_ENV = "LLT_GEO_OPEN_DATA"
#: how a derived file is made from its download (key -> function of the downloaded bytes)
DERIVE: dict[str, Callable[[bytes], bytes]] = {"kwb_2024": derive_kwb_gm0363}
#: the status words printed per file (the programme's Dutch; see docs/fetch.md)
STATUS_NL = {
    "fetched": "opgehaald",
    "copied": "gekopieerd",
    "present": "al aanwezig",
    "skipped": "overgeslagen",
    "failed": "MISLUKT",
}
_CHUNK = 1 << 16


def default_cache() -> Path:
    """The cache folder: ``$LLT_GEO_OPEN_DATA``, else ``open-data`` in the working directory."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path("open-data")


def sha256_file(path: str | Path) -> str:
    """The SHA-256 (hex) of a file, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class FileResult:
    """What became of one file: ``status`` one of :data:`STATUS_NL`'s keys."""

    key: str
    path: Path
    status: str
    detail: str = ""
    problem: Problem | None = None
    record: dict | None = None

    def line(self) -> str:
        """One line for the terminal: status, key, path, detail."""
        text = f"{STATUS_NL[self.status]:<12} {self.key:<32} {self.path}"
        return text + (f"  ({self.detail})" if self.detail else "")


@dataclass
class FetchReport:
    """The result of :func:`fetch`: one :class:`FileResult` per file asked for, in catalogue order."""

    cache: Path
    results: list[FileResult] = field(default_factory=list)

    @property
    def record_file(self) -> Path:
        return self.cache / RECORD_FILE

    @property
    def problems(self) -> list[Problem]:
        return [r.problem for r in self.results if r.problem is not None]

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_NL, 0)
        for r in self.results:
            out[r.status] += 1
        return out


class _FailedError(Exception):
    """One file failed: message and fix for its :class:`Problem`."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message, self.fix = message, fix


# ------------------------------------------------------------------------------------------------
# paths inside the cache


def inside_cache(cache: Path, relative: str) -> Path:
    """``cache / relative``, refused (ValueError, saying why) unless it stays inside the cache without a symlink.

    ``relative`` must be a relative path without ``..``; no folder or file below ``cache`` on the way may be a
    symbolic link (one would send a write, or a read, elsewhere). ``cache`` itself may be a link: the user chose it.
    """
    rel = Path(relative)
    if not relative or rel.is_absolute() or rel.drive or ".." in rel.parts:
        raise ValueError(f"the path {relative!r} is not a relative path inside the cache")
    here = cache
    for part in rel.parts:
        here = here / part
        if here.is_symlink():
            raise ValueError(f"{here} is a symbolic link (to {os.readlink(here)}): the cache holds no links")
    return cache / rel


def _cache_folder(cache: Path) -> None:
    """Create the cache folder; a file (or a file on the way) in its place is an InputError."""
    if cache.exists() and not cache.is_dir():
        raise InputError.one(
            str(cache),
            "--cache names a file, not a folder",
            fix="give --cache a folder (new or filled by llt-geo data fetch), not a file",
        )
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file on the way, no permission, a link that leads nowhere
        raise InputError.one(
            str(cache),
            f"the cache folder cannot be made ({exc.strerror or exc})",
            fix="give --cache a folder that can be created (no file of that name on the way) and written",
        ) from None


# ------------------------------------------------------------------------------------------------
# the records


def read_records(cache: str | Path) -> dict[str, dict]:
    """The provenance records of ``cache`` by key (empty when there is no record file yet).

    Raises :class:`~llt_geo.errors.InputError` naming the file when it is not a record file.
    """
    path = Path(cache) / RECORD_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        return {str(r["key"]): dict(r) for r in files}
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError.one(
            str(path),
            f"not a provenance file of llt-geo data fetch ({exc})",
            fix=f"delete {path} and run llt-geo data fetch again (every file is then fetched anew)",
        ) from None


def _write_records(cache: Path, records: dict[str, dict]) -> None:
    body = {
        "about": "Herkomst van de open data in deze map, geschreven door llt-geo data fetch "
        "(llt_geo.io.opendata.fetch)",
        "files": [records[k] for k in sorted(records)],
    }
    text = json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    tmp = cache / f".{RECORD_FILE}.part-{os.getpid()}"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, cache / RECORD_FILE)


def _record(src: Source, *, origin: str, url: str, retrieved: str, sha: str, size: int) -> dict:
    return {
        "key": src.key,
        "path": src.path,
        "origin": origin,  # "download" or "mirror"
        "url": url,  # what was read: the URL, or the mirror file's path
        "official_url": src.url,  # the URL the file stands for (None: published nowhere)
        "repository": src.repository or None,
        "commit": src.commit or None,
        "publisher": src.publisher,
        "publisher_url": src.publisher_url,
        "licence": src.licence,
        "attribution": src.attribution,
        "derived": src.derived,
        "retrieved": retrieved,
        "sha256": sha,
        "size": size,
        "sha256_catalogue": src.sha256,
    }


# ------------------------------------------------------------------------------------------------
# reading one file into a temporary name


def _copy_stream(read: Callable[[int], bytes], tmp: Path, expected: int | None) -> tuple[str, int]:
    """Write what ``read`` gives into ``tmp``; return (SHA-256, size). Checks ``expected`` bytes."""
    h, n = hashlib.sha256(), 0
    with open(tmp, "wb") as f:
        while True:
            chunk = read(_CHUNK)
            if not chunk:
                break
            f.write(chunk)
            h.update(chunk)
            n += len(chunk)
    if expected is not None and n != expected:
        raise _FailedError(
            f"the transfer broke off after {n:,} of {expected:,} bytes",
            "try again later; nothing was written under the file's name",
        )
    return h.hexdigest(), n


def _download(url: str, tmp: Path, timeout: float) -> tuple[str, int]:
    from ..._version import __version__

    request = urllib.request.Request(url, headers={"User-Agent": f"llt_geo/{__version__} (llt-geo data fetch)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            expected = int(length) if length and length.isdigit() else None
            return _copy_stream(response.read, tmp, expected)
    except urllib.error.HTTPError as exc:
        exc.close()
        fix = (
            "the file is not (or no longer) at this address: check the URL in a browser; if the publisher moved it, "
            "update the catalogue (llt_geo/io/opendata/sources.py), or fetch from a mirror with --from DIR"
            if exc.code in (404, 410)
            else "try again later; if it persists, fetch from a mirror with --from DIR"
        )
        raise _FailedError(f"the server answered HTTP {exc.code} {exc.reason}", fix) from None
    except TimeoutError:
        raise _FailedError(
            f"no answer within {timeout:g} s (timeout)",
            "try again later or with a longer --timeout; on a machine without internet use --from DIR",
        ) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise _FailedError(
                f"no answer within {timeout:g} s (timeout)",
                "try again later or with a longer --timeout; on a machine without internet use --from DIR",
            ) from None
        raise _FailedError(
            f"the server cannot be reached ({reason})",
            "check the internet connection (and a proxy: $https_proxy); on a machine without internet use --from DIR",
        ) from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise _FailedError(
            f"the transfer broke off ({type(exc).__name__}: {exc})",
            "try again later; nothing was written under the file's name",
        ) from None


def _copy_file(src: Path, tmp: Path) -> tuple[str, int]:
    with open(src, "rb") as f:
        return _copy_stream(f.read, tmp, None)


# ------------------------------------------------------------------------------------------------
# fetch


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _keys(keys: Iterable[str] | None) -> list[Source]:
    if keys is None:
        return list(CATALOGUE.values())
    keys = list(dict.fromkeys(keys))
    unknown = [k for k in keys if k not in CATALOGUE]
    if unknown:
        raise InputError.one(
            "--only",
            f"no open-data file {', '.join(map(repr, unknown))} in the catalogue",
            fix=f"use one of: {', '.join(CATALOGUE)} (docs/fetch.md)",
        )
    return [CATALOGUE[k] for k in CATALOGUE if k in keys]


def fetch(
    cache: str | Path | None = None,
    *,
    keys: Iterable[str] | None = None,
    mirror: str | Path | None = None,
    base_url: str | None = None,
    timeout: float = 60.0,
    force: bool = False,
    accept_changed: bool = False,
    now: Callable[[], str] | None = None,
    progress: Callable[[FileResult], None] | None = None,
) -> FetchReport:
    """Fetch the catalogue's files (``keys``: some of them) into ``cache`` and record their provenance.

    Parameters
    ----------
    cache
        The cache folder (created if needed); default :func:`default_cache`.
    keys
        Catalogue keys to fetch (default: all). An unknown key raises :class:`InputError`.
    mirror
        A local folder with the layout of ``../shared/data/real``: copy from it instead of downloading.
        The record's ``url`` is then the mirror file's path and ``official_url`` the URL it stands for.
    base_url
        Download ``base_url/<path>`` instead of each file's own URL (a local server in tests, an
        internal mirror over HTTP). The files served there are taken as they are (no derivation).
    timeout
        Seconds to wait for a server before the file counts as failed.
    force
        Fetch every file again, also those present with their recorded SHA-256.
    accept_changed
        Keep a file whose SHA-256 differs from the catalogue's tested version (recorded as such);
        by default that file is refused and nothing is written under its name.
    now
        The retrieval time as ISO 8601 text (default: the clock, UTC, whole seconds).
    progress
        Called with each :class:`FileResult` as soon as it is known (the CLI prints a line).

    Returns
    -------
    FetchReport
        One result per file; ``report.problems`` lists every failure (``report.ok`` when none).
    """
    sources = _keys(keys)
    cache = Path(cache) if cache is not None else default_cache()
    if mirror is not None and base_url is not None:
        raise ValueError("give either mirror= or base_url=, not both")
    mirror = Path(mirror) if mirror is not None else None
    if mirror is not None and not mirror.is_dir():
        looped = mirror.is_symlink()
        raise InputError.one(
            str(mirror),
            "the mirror is a symbolic link that leads to itself or nowhere"
            if looped
            else "the mirror folder does not exist",
            fix="give --from a folder with the layout of ../shared/data/real (see its SOURCES.md)",
        )
    _cache_folder(cache)
    records = read_records(cache)
    clock = now or _now
    report = FetchReport(cache)
    for src in sources:
        result = _fetch_one(src, cache, records, mirror=mirror, base_url=base_url, timeout=timeout, force=force,
                            accept_changed=accept_changed, clock=clock)  # fmt: skip
        if result.record is not None:
            records[src.key] = result.record
            _write_records(cache, records)  # after each file: an interrupted run keeps what it fetched
        report.results.append(result)
        if progress is not None:
            progress(result)
    if not (cache / RECORD_FILE).is_file():
        _write_records(cache, records)
    return report


def _derive(src: Source, tmp: Path) -> tuple[str, int]:
    """Replace the download in ``tmp`` by the file derived from it (the catalogue's DERIVE); its SHA-256 and size."""
    try:
        data = DERIVE[src.key](tmp.read_bytes())
    except ValueError as exc:
        raise _FailedError(
            f"cannot derive {src.path} from the download: {exc}",
            "check the URL in the catalogue (llt_geo/io/opendata/sources.py)",
        ) from None
    tmp.write_bytes(data)
    return hashlib.sha256(data).hexdigest(), len(data)


def _unsafe(src: Source, cache: Path, mirror: Path | None) -> FileResult | None:
    """The failure of a file whose place in the cache is behind a symbolic link, or whose mirror file loops."""
    target = cache / src.path
    try:
        inside_cache(cache, src.path)
    except ValueError as exc:
        problem = Problem(
            "error", str(target), None, f"not written: {exc}",
            fix=f"remove the link from the cache {cache} (or use a new cache folder) and fetch again",
        )  # fmt: skip
        return FileResult(src.key, target, "failed", "symbolische link in de cache", problem)
    if mirror is None:
        return None
    where = mirror / src.path
    try:
        where.resolve(strict=where.is_symlink())
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError on a symlink loop, OSError when it leads nowhere
        problem = Problem(
            "error", f"{src.path} ({where})", None,
            "the mirror's file is a symbolic link that leads to itself (a loop) or nowhere",
            fix="replace the link in the mirror by the file (or a link to it), or fetch without --from",
        )  # fmt: skip
        return FileResult(src.key, target, "failed", "symbolische link zonder doel", problem)
    return None


def _fetch_one(
    src: Source,
    cache: Path,
    records: dict[str, dict],
    *,
    mirror: Path | None,
    base_url: str | None,
    timeout: float,
    force: bool,
    accept_changed: bool,
    clock: Callable[[], str],
) -> FileResult:
    """One catalogue file into the cache: kept when present and unchanged (unless ``force``), a
    file changed since it was fetched refused (unless ``accept_changed``), else copied from the
    mirror or downloaded (``base_url`` or its own URL), written under a temporary name, checked
    against its SHA-256 and renamed; the outcome (present, copied, fetched or failed with the
    problem and its fix) and the provenance record for ``herkomst.json``."""
    target = cache / src.path
    refused = _unsafe(src, cache, mirror)
    if refused is not None:
        return refused
    rec = records.get(src.key)
    if target.is_file() and rec is not None and not force:
        digest = sha256_file(target)
        if digest == rec.get("sha256"):
            return FileResult(src.key, target, "present", f"opgehaald {rec.get('retrieved', '?')}")
        problem = Problem(
            "error", str(target), None,
            f"the file changed since it was fetched on {rec.get('retrieved', '?')} from {rec.get('url')}: its "
            f"SHA-256 is {digest}, the record says {rec.get('sha256')}",
            fix="restore the file, or fetch it again with --force (the changed file is then replaced)",
        )  # fmt: skip
        return FileResult(src.key, target, "failed", "gewijzigd na het ophalen", problem)

    if mirror is not None:
        origin, where = "mirror", mirror / src.path
        url = str(where.resolve())
    elif src.mirror_only and base_url is None:
        return FileResult(
            src.key, target, "skipped",
            "published nowhere (a dissolve of the 2022 buurten made for the tests); only from a mirror with --from "
            "DIR; llt_geo's area adapter derives it from the buurten itself",
        )  # fmt: skip
    else:
        origin = "download"
        url = f"{base_url.rstrip('/')}/{urllib.parse.quote(src.path)}" if base_url else str(src.url)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part-{os.getpid()}")
    try:
        if origin == "mirror":
            if not where.is_file():
                raise _FailedError(
                    f"not in the mirror ({where})",
                    "give --from a folder with the layout of ../shared/data/real (SOURCES.md), or fetch this file "
                    "without --from",
                )
            digest, size = _copy_file(where, tmp)
        else:
            digest, size = _download(url, tmp, timeout)
            if base_url is None and src.key in DERIVE:
                digest, size = _derive(src, tmp)
        if digest != src.sha256 and not accept_changed:
            raise _FailedError(
                f"its SHA-256 is {digest} ({size:,} bytes), not that of the version llt_geo is tested with "
                f"({src.sha256}, {src.size:,} bytes): the file was changed at the source; nothing was written under "
                "its name",
                "compare the new version with the old one (SOURCES.md describes it); to use it anyway, run again with "
                "--accept-changed (the report then says it differs from the tested version); or fetch the tested "
                "version from a mirror with --from DIR",
            )
        os.replace(tmp, target)
    except _FailedError as exc:
        problem = Problem("error", f"{src.path} ({url})", None, exc.message, fix=exc.fix)
        return FileResult(src.key, target, "failed", exc.message, problem)
    except OSError as exc:  # disk full, permission: name the file and the folder
        problem = Problem("error", f"{src.path} ({url})", None, f"cannot write into the cache {cache}: {exc}",
                          fix="check that the cache folder is writable and the disk has room")  # fmt: skip
        return FileResult(src.key, target, "failed", str(exc), problem)
    finally:
        if tmp.exists():
            tmp.unlink()
    record = _record(src, origin=origin, url=url, retrieved=clock(), sha=digest, size=size)
    detail = f"{size:,} bytes, SHA-256 {digest[:12]}…"
    if digest != src.sha256:
        detail += " — NOT the tested version (--accept-changed)"
    return FileResult(src.key, target, "copied" if origin == "mirror" else "fetched", detail, None, record)


# ------------------------------------------------------------------------------------------------
# reading a cache back (for the report)


@dataclass(frozen=True)
class CachedFile:
    """One record of a cache and the file as it is now: ``state`` ``"ok"``, ``"changed"`` or ``"missing"``."""

    record: dict
    state: str
    sha256_now: str | None

    @property
    def tested_version(self) -> bool:
        return self.record.get("sha256") == self.record.get("sha256_catalogue")


def check_cache(cache: str | Path) -> list[CachedFile]:
    """Every provenance record of ``cache`` (sorted by key) with the state of its file now.

    Raises :class:`InputError` when the folder or its record file is missing.
    """
    cache = Path(cache)
    if not (cache / RECORD_FILE).is_file():
        raise InputError.one(
            str(cache / RECORD_FILE),
            "no provenance records: this folder was not filled by llt-geo data fetch",
            fix=f"run llt-geo data fetch --cache {cache} (add --from DIR on a machine without internet)",
        )
    out = []
    for key, rec in sorted(read_records(cache).items()):
        try:  # never hash a file outside the cache (a path ../x or /x, or a link): that is no provenance
            path = inside_cache(cache, rec.get("path") if isinstance(rec.get("path"), str) else "")
        except ValueError as exc:
            raise InputError.one(
                str(cache / RECORD_FILE),
                f"record {key!r}: {exc}",
                column="path",
                values=(rec.get("path"),),
                fix=f"fetch again into a new cache folder (llt-geo data fetch --cache DIR); {RECORD_FILE} is not "
                "to be edited by hand",
            ) from None
        if not path.is_file():
            out.append(CachedFile(rec, "missing", None))
            continue
        digest = sha256_file(path)
        out.append(CachedFile(rec, "ok" if digest == rec.get("sha256") else "changed", digest))
    return out
