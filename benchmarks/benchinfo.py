"""What the benchmarks here share: a size run in a child process, the machine and code measured,
number formats, and writing a result section between markers into ``benchmarks/README.md``.

Not a test and not part of the package: the benchmark scripts import it from their own folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import scipy

import llt_geo

ROOT = Path(__file__).resolve().parent.parent


def run_child(script: str | Path, args: list[str]) -> dict:
    """Run ``script args`` in a fresh Python process; its last output line is a JSON result."""
    proc = subprocess.run(
        [sys.executable, str(Path(script).resolve()), *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"benchmark child {' '.join(args)} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def source_hash() -> str:
    """A short hash of llt_geo's source files, to notice code that changes during the run."""
    digest = hashlib.sha256()
    for path in sorted(Path(llt_geo.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def load_average() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def package_version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def cbc_version() -> str:
    """The version of the CBC that PuLP bundles ("unknown" without PuLP)."""
    try:
        import pulp

        text = subprocess.run(
            [pulp.PULP_CBC_CMD().path, "-quit"], capture_output=True, text=True, input="", check=False
        ).stdout
        return next(
            (line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Version")), "unknown"
        )
    except (ImportError, OSError):
        return "unknown"


def _proc_field(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line
    except OSError:
        pass
    return None


def _code() -> str:
    try:
        git = ["git", "-C", str(ROOT)]
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "llt_geo"], capture_output=True, text=True, check=True
        )
        changed = sorted(line[3:] for line in dirty.stdout.splitlines())
        return f"commit {head.stdout.strip()}" + (
            f" with uncommitted changes in {', '.join(changed)}" if changed else " (no uncommitted changes in llt_geo)"
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine(**extra: object) -> dict:
    """The machine, the libraries and the code measured; ``extra`` adds entries (other libraries)."""
    cpu = _proc_field("/proc/cpuinfo", "model name")
    mem = _proc_field("/proc/meminfo", "MemTotal")
    return {
        "code": _code(),
        "load": load_average(),
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": os.cpu_count(),
        "cpu": cpu.split(":", 1)[1].strip() if cpu else "unknown",
        "memory": f"{int(mem.split()[1]) / 2**20:.1f} GiB" if mem else "unknown",
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scipy": scipy.__version__,
        **extra,
        "llt_geo": llt_geo.__version__,
    }


def fmt_s(seconds: float) -> str:
    if seconds >= 100:
        return f"{seconds:,.0f} s"
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1e3:.0f} ms"


def times(ratio: float) -> str:
    return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:,.0f}x"


def write_section(readme: Path, start: str, end: str, table: str, heading: str) -> None:
    """Put ``table`` between the markers ``start`` and ``end`` of ``readme`` (adding a section
    headed ``heading`` with the markers when they are missing); the rest stays as it is."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    if start not in text or end not in text:
        text = text.rstrip() + f"\n\n{heading}\n\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    tail = rest.split(end, 1)[1]
    readme.write_text(f"{head}{start}\n{table}\n{end}{tail}", encoding="utf-8")
