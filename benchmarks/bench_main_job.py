"""Benchmark of the main job, ``llt-geo run data/demo --out DIR``, end to end and per stage.

Run from the project root::

    .venv/bin/python benchmarks/bench_main_job.py                        # 5 runs, against cadb7cb
    .venv/bin/python benchmarks/bench_main_job.py --baseline none --no-write   # today's code only

What it does:

* Each run is the command itself in a fresh Python process (``python -P``, so that the working
  directory does not shadow the baseline; ``llt_geo.cli.main(["run", DATA,
  "--out", DIR])``, Agg backend, unbuffered output), timed from the start of the process to its
  exit: interpreter start and imports are part of it, as they are for a user.
* Stages from the command's own ``[k/6]`` lines, time-stamped as they arrive: *start* (interpreter
  and imports), *read* (reading and validating), *analysis* (``llt_geo.run``: screening, partners,
  spread, progress, portfolio per scenario), *tables and maps* (CSV, GeoPackage and the HTML maps
  of ``write_pack``), *print figures* (``write_print_figures``: PNG and PDF), *report and
  dossiers* (``build_pack``: index.html and the dossiers). The present layer is the last three.
* The baseline (``--baseline REV``, default ``cadb7cb``, the commit the issue's 43 s were measured
  at) is that commit's ``llt_geo`` folder from ``git archive``, put first on ``PYTHONPATH`` (each
  child prints the ``llt_geo`` it imported, checked), with the same libraries. Runs alternate
  baseline, today, baseline, ... so that both sides see the same load; medians of ``--repeats``
  runs (5) per side. CPU time (user + system of the child) over wall time gives the cores used.
* Agreement: every run of a side writes the same bytes (all files compared by SHA-256), and today's
  pack against the baseline's is listed file by file: identical, or which files differ.

The figures are printed as markdown and written between the main_job markers of
``benchmarks/README.md`` (``--no-write`` leaves the README alone).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from benchinfo import ROOT, fmt_s, load_average, machine, package_version, write_section

README = ROOT / "benchmarks" / "README.md"
START, END = "<!-- main_job:start -->", "<!-- main_job:end -->"
HEADING = "## Main job: `bench_main_job.py`"

#: the stages, named by the ``[k/6]`` line that starts each (None: the process start)
STAGES = (
    ("start", None),
    ("read", "[1/6]"),
    ("analysis", "[2/6]"),
    ("tables and maps", "[3/6]"),
    ("print figures", "[5/6]"),
    ("report and dossiers", "[6/6]"),
)
PRESENT = ("tables and maps", "print figures", "report and dossiers")

CHILD = (
    "import sys, llt_geo; print('LLT_GEO_FROM', llt_geo.__file__, flush=True); "
    "from llt_geo.cli import main; sys.exit(main(['run', sys.argv[1], '--out', sys.argv[2]]))"
)


def baseline_source(rev: str, folder: Path) -> Path:
    """``rev``'s ``llt_geo`` package extracted into ``folder`` (via ``git archive``)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "llt_geo"], capture_output=True, check=True)
    tar = folder / "src.tar"
    tar.write_bytes(archive.stdout)
    with tarfile.open(tar) as t:
        t.extractall(folder / "src", filter="data")
    return folder / "src"


def one_run(data: str, out: Path, pythonpath: Path | None) -> dict:
    """One run of the command in a fresh process: wall time, stage times, CPU time, and where llt_geo came from."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", MPLBACKEND="Agg")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    else:
        env.pop("PYTHONPATH", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-P", "-c", CHILD, data, str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)  # fmt: skip
    marks: dict[str, float] = {}
    origin = ""
    lines = []
    for line in proc.stdout:  # type: ignore[union-attr]
        now = time.perf_counter() - t0
        lines.append(line)
        if line.startswith("LLT_GEO_FROM "):
            origin = line.split(" ", 1)[1].strip()
        for name, tag in STAGES:
            if tag and line.startswith(tag) and name not in marks:
                marks[name] = now
    code = proc.wait()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code != 0 or len(marks) != len(STAGES) - 1:
        sys.stderr.write("".join(lines))
        raise SystemExit(f"llt-geo run failed (exit code {code}) or printed other stages: {sorted(marks)}")
    starts = [0.0] + [marks[name] for name, tag in STAGES if tag] + [wall]
    stages = {name: starts[i + 1] - starts[i] for i, (name, _tag) in enumerate(STAGES)}
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "stages": stages, "cpu": cpu, "origin": origin}


def pack_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file in a pack, by its path in the pack."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def median(values: list[float]) -> float:
    return statistics.median(values)


def table(results: dict[str, list[dict]], sides: list[str], repeats: int) -> str:
    """The markdown table: median wall and stages per side, the present layer's share, cores used."""
    head = "| stage | " + " | ".join(f"{s} (median of {repeats})" for s in sides) + " |"
    rows = [head, "|---|" + "---:|" * len(sides)]
    for name, _tag in STAGES:
        cells = [fmt_s(median([r["stages"][name] for r in results[s]])) for s in sides]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    present = {s: median([sum(r["stages"][n] for n in PRESENT) for r in results[s]]) for s in sides}
    walls = {s: median([r["wall"] for r in results[s]]) for s in sides}
    rows.append(
        "| present layer (tables and maps + print figures + report and dossiers) | "
        + " | ".join(f"{fmt_s(present[s])} ({present[s] / walls[s]:.0%} of the run)" for s in sides)
        + " |"
    )
    rows.append("| **wall, whole command** | " + " | ".join(f"**{fmt_s(walls[s])}**" for s in sides) + " |")
    rows.append(
        "| all runs (wall) | "
        + " | ".join(", ".join(f"{r['wall']:.1f}" for r in results[s]) + " s" for s in sides)
        + " |"
    )
    rows.append(
        "| cores used (CPU time / wall, median) | "
        + " | ".join(f"{median([r['cpu'] / r['wall'] for r in results[s]]):.2f}" for s in sides)
        + " |"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data/demo", help="the dataset folder (default data/demo)")
    parser.add_argument("--repeats", type=int, default=5, help="runs per side (default 5)")
    parser.add_argument("--baseline", default="cadb7cb", help="a git revision to compare with, or 'none'")
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/README.md alone")
    args = parser.parse_args(argv)

    info = machine(matplotlib=package_version("matplotlib"), fonttools=package_version("fonttools"),
                   pillow=package_version("pillow"), jinja2=package_version("jinja2"),
                   highspy=package_version("highspy"))  # fmt: skip
    load_start = load_average()
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench_main_job_") as tmp:
        tmp = Path(tmp)
        sides: dict[str, Path | None] = {}
        if args.baseline.lower() != "none":
            rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.baseline], capture_output=True,
                                 text=True, check=True).stdout.strip()  # fmt: skip
            sides[f"baseline {rev}"] = baseline_source(rev, tmp)
        sides["today"] = None
        results: dict[str, list[dict]] = {s: [] for s in sides}
        hashes: dict[str, list[dict[str, str]]] = {s: [] for s in sides}
        for i in range(args.repeats):
            for side, src in sides.items():
                out = tmp / f"pack_{len(results[side])}_{side.split()[0]}"
                r = one_run(args.data, out, src)
                expected = str(src) if src is not None else str(ROOT / "llt_geo")
                if not r["origin"].startswith(expected):
                    raise SystemExit(f"{side}: llt_geo came from {r['origin']}, not {expected}")
                results[side].append(r)
                hashes[side].append(pack_hashes(out))
                print(f"run {i + 1} {side}: {r['wall']:.2f} s ("
                      + ", ".join(f"{k} {v:.2f}" for k, v in r["stages"].items()) + f"); load {load_average()}",
                      flush=True)  # fmt: skip
                shutil.rmtree(out)
    load_end = load_average()
    total = time.perf_counter() - t_start
    names = list(sides)
    agreement = []
    for side in names:
        same = all(h == hashes[side][0] for h in hashes[side])
        agreement.append(f"* {side}: the {args.repeats} packs are {'byte-identical' if same else 'NOT identical'} "
                         f"({len(hashes[side][0])} files)")  # fmt: skip
        if not same:
            raise SystemExit(f"{side}: two runs wrote different bytes")
    if len(names) == 2:
        base, now = hashes[names[0]][0], hashes[names[1]][0]
        differ = sorted(f for f in set(base) | set(now) if base.get(f) != now.get(f))
        same = sum(base.get(f) == now.get(f) for f in now)
        agreement.append(
            f"* today against {names[0]}: {same} of {len(now)} files byte-identical"
            + (f"; differing: {', '.join(differ)}" if differ else "")
        )
    walls = {s: median([r["wall"] for r in results[s]]) for s in names}
    summary = ""
    if len(names) == 2:
        summary = f"Today {fmt_s(walls[names[1]])} against {fmt_s(walls[names[0]])} for {names[0]} (median wall)."
    text = (
        f"Measured {info['date']} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, {info['os']}; "
        f"Python {info['python']}, numpy {info['numpy']}, pandas {info['pandas']}, matplotlib {info['matplotlib']}, "
        f"fonttools {info['fonttools']}, pillow {info['pillow']}, jinja2 {info['jinja2']}, highspy {info['highspy']}; "
        f"llt_geo {info['llt_geo']} at {info['code']}. Data: `{args.data}`. Whole benchmark {total:.0f} s; "
        f"load average (1, 5, 15 min) {load_start} at the start, {load_end} at the end.\n\n"
        f"{summary}\n\n" + table(results, names, args.repeats) + "\n\nAgreement:\n\n" + "\n".join(agreement)
    )
    print(text)
    if not args.no_write:
        write_section(README, START, END, text, HEADING)


if __name__ == "__main__":
    main()
