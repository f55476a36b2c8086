"""Issue 20, item 6: ``data fetch`` never writes through a symlink and ``check_cache`` never reads outside the cache.

Before: a symlinked sub-folder sent a fetched file elsewhere (exit 0); a ``herkomst.json`` record with a path
``../x`` or ``/x`` had a file outside the cache hashed and called *klopt*; a mirror that links to itself gave a
RuntimeError and ``--cache`` naming a file a FileExistsError (both exit 2, "Internal error").
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from llt_geo.cli import main
from llt_geo.errors import InputError
from llt_geo.io.opendata.fetch import RECORD_FILE, check_cache, fetch, sha256_file
from llt_geo.io.opendata.sources import CATALOGUE

KEY = "tram_metro_haltes_2022"
SRC = CATALOGUE[KEY]


def _cache_with_record(cache: Path, path: str, target: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    record = {"key": "stolen", "path": path, "sha256": sha256_file(target), "retrieved": "2026-12-06T10:00:00Z"}
    (cache / RECORD_FILE).write_text(json.dumps({"files": [record]}), encoding="utf-8")
    return cache


@pytest.mark.parametrize("kind", ["parent", "absolute", "link"])
def test_check_cache_refuses_a_record_outside_the_cache(tmp_path, kind):
    secret = tmp_path / "secret.txt"
    secret.write_text("not open data", encoding="utf-8")
    cache = tmp_path / "cache"
    if kind == "parent":
        _cache_with_record(cache, "../secret.txt", secret)
    elif kind == "absolute":
        _cache_with_record(cache, str(secret), secret)
    else:
        _cache_with_record(cache, "sub/secret.txt", secret)
        (cache / "sub").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(InputError) as err:
        check_cache(cache)
    text = str(err.value)
    assert f"{RECORD_FILE}, column 'path': record 'stolen'" in text and "Fix: fetch again into a new cache" in text


def test_check_cache_keeps_a_plain_record(tmp_path):
    cache = tmp_path / "cache"
    (cache / "a").mkdir(parents=True)
    (cache / "a" / "f.txt").write_text("x", encoding="utf-8")
    _cache_with_record(cache, "a/f.txt", cache / "a" / "f.txt")
    assert [c.state for c in check_cache(cache)] == ["ok"]


def test_cache_that_is_a_file_is_a_clear_error(tmp_path, capsys):
    cache = tmp_path / "cache.txt"
    cache.write_text("a file", encoding="utf-8")
    with pytest.raises(InputError, match="--cache names a file, not a folder"):
        fetch(cache, keys=[KEY], mirror=tmp_path)
    assert main(["data", "fetch", "--cache", str(cache), "--from", str(tmp_path), "--only", KEY]) == 1
    assert "Internal error" not in capsys.readouterr().err


def test_cache_below_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "f").write_text("a file", encoding="utf-8")
    with pytest.raises(InputError, match="the cache folder cannot be made"):
        fetch(tmp_path / "f" / "cache", keys=[KEY], mirror=tmp_path)


def test_mirror_that_links_to_itself_is_a_clear_error(tmp_path, capsys):
    mirror = tmp_path / "mirror"
    mirror.symlink_to(mirror)
    with pytest.raises(InputError, match="symbolic link that leads to itself or nowhere"):
        fetch(tmp_path / "cache", keys=[KEY], mirror=mirror)
    assert main(["data", "fetch", "--cache", str(tmp_path / "c"), "--from", str(mirror), "--only", KEY]) == 1
    assert "Internal error" not in capsys.readouterr().err


def test_mirror_file_that_links_to_itself_fails_that_file(tmp_path, capsys):
    mirror = tmp_path / "mirror"
    where = mirror / SRC.path
    where.parent.mkdir(parents=True)
    where.symlink_to(where)
    report = fetch(tmp_path / "cache", keys=[KEY], mirror=mirror)
    assert [r.status for r in report.results] == ["failed"]
    assert "leads to itself (a loop) or nowhere" in str(report.problems[0])
    assert main(["data", "fetch", "--cache", str(tmp_path / "c"), "--from", str(mirror), "--only", KEY]) == 1
    assert "Internal error" not in capsys.readouterr().err


def test_a_symlinked_sub_folder_in_the_cache_is_never_written_through(real_dir, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = tmp_path / "cache"
    cache.mkdir()
    first = Path(SRC.path).parts[0]
    (cache / first).symlink_to(elsewhere, target_is_directory=True)
    report = fetch(cache, keys=[KEY], mirror=real_dir)
    assert [r.status for r in report.results] == ["failed"]
    assert "is a symbolic link" in str(report.problems[0]) and "Fix: remove the link" in str(report.problems[0])
    assert not any(elsewhere.rglob("*")), os.listdir(elsewhere)


def test_a_plain_cache_from_the_mirror_still_copies(real_dir, tmp_path):
    report = fetch(tmp_path / "cache", keys=[KEY], mirror=real_dir)
    assert [r.status for r in report.results] == ["copied"]
    assert [c.state for c in check_cache(tmp_path / "cache")] == ["ok"]
    shutil.rmtree(tmp_path / "cache")
