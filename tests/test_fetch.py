"""``llt-geo data fetch``: the real download code against a local HTTP server, mirrors, provenance,
and the chain fetch -> make-demo -> run that CI runs (issue 11, item 3).

No test touches the internet: downloads go to a ``ThreadingHTTPServer`` on 127.0.0.1 that serves
``../shared/data/real`` (skipped with the reason when that folder is absent).
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from llt_geo.cli import main
from llt_geo.io.opendata.fetch import RECORD_FILE, check_cache, fetch, read_records, sha256_file
from llt_geo.io.opendata.sources import CATALOGUE

from .conftest import DEMO, REAL

pytestmark = pytest.mark.skipif(
    not REAL.is_dir(), reason=f"real open data not found at {REAL} (it sits beside the project in CI)"
)

SMALL = ["tram_metro_haltes_2022", "kwb_2024_dataproperties"]  # two small files for the quick tests


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no lines in the test output
        pass


class _Truncating(_Quiet):
    """Announces the whole file, sends half of it, then hangs up (a transfer that breaks off)."""

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True


def _serve(handler, folder: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def server():
    srv, url = _serve(_Quiet, REAL)
    yield url
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def downloaded(server, tmp_path_factory):
    """Every catalogued file downloaded over HTTP from the local server."""
    cache = tmp_path_factory.mktemp("cache")
    report = fetch(cache, base_url=server, timeout=10, now=lambda: "2026-12-04T10:00:00Z")
    return cache, report


def _key_for(path: str) -> str:
    return next(k for k, s in CATALOGUE.items() if s.path == path)


def test_catalogue_matches_the_shared_files():
    """The catalogue's SHA-256 and size are those of the files the adapters are tested with."""
    for src in CATALOGUE.values():
        path = REAL / src.path
        assert path.is_file(), src.path
        assert path.stat().st_size == src.size, src.path
        assert sha256_file(path) == src.sha256, src.path


def test_download_over_http_gives_every_file_byte_for_byte_with_provenance(downloaded, server):
    cache, report = downloaded
    assert report.ok, [str(p) for p in report.problems]
    assert {r.status for r in report.results} == {"fetched"}
    assert len(report.results) == len(CATALOGUE)
    for src in CATALOGUE.values():
        assert (cache / src.path).read_bytes() == (REAL / src.path).read_bytes(), src.path
    records = read_records(cache)
    assert set(records) == set(CATALOGUE)
    for key, rec in records.items():
        src = CATALOGUE[key]
        assert rec["origin"] == "download"
        assert rec["url"].startswith(server + "/")
        assert rec["retrieved"] == "2026-12-04T10:00:00Z"
        assert rec["licence"] == src.licence and rec["attribution"] == src.attribution
        assert rec["sha256"] == src.sha256 == rec["sha256_catalogue"]
        assert rec["size"] == src.size
    # no temporary file is left behind
    assert not list(cache.rglob("*.part-*"))
    # the record file is deterministic: sorted keys, sorted records
    text = (cache / RECORD_FILE).read_text(encoding="utf-8")
    body = json.loads(text)
    assert [r["key"] for r in body["files"]] == sorted(CATALOGUE)
    assert text == json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_a_second_fetch_keeps_what_is_there_unless_forced(server, tmp_path):
    first = fetch(tmp_path, keys=SMALL, base_url=server, timeout=10, now=lambda: "2026-12-04T10:00:00Z")
    assert [r.status for r in first.results] == ["fetched", "fetched"]
    again = fetch(tmp_path, keys=SMALL, base_url=server, timeout=10, now=lambda: "2026-12-05T10:00:00Z")
    assert [r.status for r in again.results] == ["present", "present"]
    assert read_records(tmp_path)[SMALL[0]]["retrieved"] == "2026-12-04T10:00:00Z"
    forced = fetch(tmp_path, keys=SMALL, base_url=server, timeout=10, force=True, now=lambda: "2026-12-05T10:00:00Z")
    assert [r.status for r in forced.results] == ["fetched", "fetched"]
    assert read_records(tmp_path)[SMALL[0]]["retrieved"] == "2026-12-05T10:00:00Z"


def test_only_fetches_the_keys_asked_for_and_names_an_unknown_key(server, tmp_path, capsys):
    assert main(["data", "fetch", "--cache", str(tmp_path), "--base-url", server, "--only", SMALL[0]]) == 0
    assert set(read_records(tmp_path)) == {SMALL[0]}
    assert main(["data", "fetch", "--cache", str(tmp_path), "--base-url", server, "--only", "nope"]) == 1
    err = capsys.readouterr().err
    assert "'nope'" in err and "Traceback" not in err


def test_a_file_changed_at_the_source_is_refused_unless_accepted(tmp_path):
    mirror = tmp_path / "mirror"
    src = CATALOGUE[SMALL[0]]
    (mirror / src.path).parent.mkdir(parents=True)
    changed = (REAL / src.path).read_bytes() + b"\n"
    (mirror / src.path).write_bytes(changed)
    srv, url = _serve(_Quiet, mirror)
    try:
        cache = tmp_path / "cache"
        refused = fetch(cache, keys=[SMALL[0]], base_url=url, timeout=10)
        assert [r.status for r in refused.results] == ["failed"]
        message = str(refused.problems[0])
        assert src.path in message and "SHA-256" in message and "--accept-changed" in message
        assert not (cache / src.path).exists()  # nothing under the file's name
        kept = fetch(cache, keys=[SMALL[0]], base_url=url, timeout=10, accept_changed=True)
        assert [r.status for r in kept.results] == ["fetched"] and "NOT the tested version" in kept.results[0].detail
        assert (cache / src.path).read_bytes() == changed
        rec = read_records(cache)[SMALL[0]]
        assert rec["sha256"] == hashlib.sha256(changed).hexdigest() != rec["sha256_catalogue"]
        assert not check_cache(cache)[0].tested_version
    finally:
        srv.shutdown()
        srv.server_close()


def test_404_a_broken_transfer_and_no_server_leave_no_file_and_say_why(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    srv, url = _serve(_Quiet, empty)
    try:
        report = fetch(tmp_path / "a", keys=[SMALL[0]], base_url=url, timeout=10)
        assert "HTTP 404" in str(report.problems[0]) and CATALOGUE[SMALL[0]].path in str(report.problems[0])
    finally:
        srv.shutdown()
        srv.server_close()
    srv, url = _serve(_Truncating, REAL)
    try:
        report = fetch(tmp_path / "b", keys=[SMALL[0]], base_url=url, timeout=10)
        assert [r.status for r in report.results] == ["failed"]
        assert "broke off" in str(report.problems[0])
    finally:
        srv.shutdown()
        srv.server_close()
    for folder in (tmp_path / "a", tmp_path / "b"):
        assert not (folder / CATALOGUE[SMALL[0]].path).exists()
        assert not list(folder.rglob("*.part-*"))
    # a port nobody listens on: the CLI says so, exit 1, no traceback
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = main(["data", "fetch", "--cache", str(tmp_path / "c"), "--base-url", f"http://127.0.0.1:{port}",
                 "--only", SMALL[0], "--timeout", "5"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "cannot be reached" in err and "--from DIR" in err and "Traceback" not in err


def test_a_mirror_copies_and_names_what_it_lacks(tmp_path):
    mirror = tmp_path / "mirror"
    src = CATALOGUE[SMALL[0]]
    (mirror / src.path).parent.mkdir(parents=True)
    shutil.copyfile(REAL / src.path, mirror / src.path)
    report = fetch(tmp_path / "cache", keys=SMALL, mirror=mirror)
    assert [r.status for r in report.results] == ["copied", "failed"]
    assert "not in the mirror" in str(report.problems[0]) and CATALOGUE[SMALL[1]].path in str(report.problems[0])
    rec = read_records(tmp_path / "cache")[SMALL[0]]
    assert rec["origin"] == "mirror" and rec["official_url"] == src.url


def test_fetch_from_mirror_then_make_demo_then_run_shows_the_provenance(tmp_path, capsys):
    """The chain CI runs: fetch --from the shared folder, the demo derived from the cache (byte for byte
    the committed demo), the main job with --open-data: the verantwoording lists every file; a file
    changed afterwards gives a Dutch warning."""
    cache, demo, out = tmp_path / "cache", tmp_path / "demo", tmp_path / "out"
    assert main(["data", "fetch", "--from", str(REAL), "--cache", str(cache)]) == 0
    assert main(["make-demo", str(demo), "--real-data", str(cache)]) == 0
    committed = sorted(p.relative_to(DEMO) for p in DEMO.rglob("*") if p.is_file())
    assert sorted(p.relative_to(demo) for p in demo.rglob("*") if p.is_file()) == committed
    for rel in committed:
        assert (demo / rel).read_bytes() == (DEMO / rel).read_bytes(), rel
    assert main(["run", str(demo), "--out", str(out), "--open-data", str(cache)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Open data: herkomst" in page
    for src in CATALOGUE.values():
        assert src.sha256 in page and src.path in page
    for word in ("Bron", "URL", "Opgehaald op", "Licentie", "SHA-256", "CC BY 4.0"):
        assert word in page
    assert "gewijzigd sinds het ophalen" not in page
    # a file changed after fetching: the report warns, in Dutch, naming it
    target = cache / CATALOGUE[SMALL[0]].path
    target.write_bytes(target.read_bytes() + b" ")
    capsys.readouterr()
    assert main(["run", str(demo), "--out", str(tmp_path / "out2"), "--open-data", str(cache)]) == 0
    assert "changed" in capsys.readouterr().err
    warned = (tmp_path / "out2" / "index.html").read_text(encoding="utf-8")
    assert f"Let op: {CATALOGUE[SMALL[0]].path} is gewijzigd sinds het ophalen" in warned
    assert "GEWIJZIGD" in warned
