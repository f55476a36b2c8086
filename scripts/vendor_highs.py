"""Vendor the HiGHS solver compiled to WebAssembly (npm package ``highs``) into the package.

The stuurgroep pack's verkenning re-solves the portfolio in the browser with the same solver as
Python (HiGHS). A page opened from ``file://`` cannot fetch files, so the WebAssembly is inlined as
base64 in one script file, ``llt_geo/present/vendor/highs/llt_highs.js``, which defines two globals:

* ``LLT_HIGHS_LOADER`` — the text of the package's ``build/highs.js`` (Emscripten's loader), run in
  a Web Worker made from a Blob URL;
* ``LLT_HIGHS_WASM`` — ``build/highs.wasm`` in base64, handed to the loader as ``wasmBinary``.

This script fetches the pinned version's tarball from the npm registry, checks its SHA-256 (the
figure below was taken when the version was pinned), and writes the asset, the licence and a
``VERSION`` file. Nothing is downloaded when a pack is built or opened: the written files are
committed. Run from the project root::

    python scripts/vendor_highs.py            # fetch, check, write
    python scripts/vendor_highs.py --check    # fetch, check, and fail if the committed files differ
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

NAME = "highs"
VERSION = "1.15.3"
TARBALL = f"https://registry.npmjs.org/{NAME}/-/{NAME}-{VERSION}.tgz"
SHA256 = "218533577886c69023739024bb92cfc2831ba45ff1fd1fd981753c04cded9793"
OUT = Path(__file__).resolve().parents[1] / "llt_geo" / "present" / "vendor" / "highs"


def fetch() -> bytes:
    with urllib.request.urlopen(TARBALL, timeout=60) as response:  # noqa: S310 (a fixed https address)
        data = response.read()
    got = hashlib.sha256(data).hexdigest()
    if got != SHA256:
        raise SystemExit(f"{TARBALL}: SHA-256 {got}, expected {SHA256}; refusing to vendor it")
    return data


def files(tarball: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        member = {m.name: m for m in tar.getmembers()}

        def read(name: str) -> bytes:
            return tar.extractfile(member[f"package/{name}"]).read()

        loader, wasm, licence = read("build/highs.js"), read("build/highs.wasm"), read("LICENSE")
    asset = (
        f"/* HiGHS {VERSION} compiled to WebAssembly: npm package '{NAME}' ({TARBALL}, SHA-256 {SHA256}), "
        "MIT licence (LICENSE beside this file). Written by scripts/vendor_highs.py; do not edit. */\n"
        f"var LLT_HIGHS_VERSION = {json.dumps(VERSION)};\n"
        f"var LLT_HIGHS_LOADER = {json.dumps(loader.decode('utf-8'))};\n"
        f'var LLT_HIGHS_WASM = "{base64.b64encode(wasm).decode("ascii")}";\n'
    )
    return {"llt_highs.js": asset.encode("utf-8"), "LICENSE": licence, "VERSION": f"{NAME} {VERSION}\n".encode()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed files differ from the registry's")
    args = parser.parse_args(argv)
    wanted = files(fetch())
    if args.check:
        stale = [n for n, b in wanted.items() if not (OUT / n).is_file() or (OUT / n).read_bytes() != b]
        if stale:
            print(f"differ from {NAME} {VERSION}: {', '.join(stale)}", file=sys.stderr)
            return 1
        print(f"{OUT}: {NAME} {VERSION}, SHA-256 checked, files identical")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in wanted.items():
        (OUT / name).write_bytes(data)
    print(f"wrote {', '.join(sorted(wanted))} to {OUT} ({NAME} {VERSION}, SHA-256 checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
