"""llt_geo against the vectorised geopandas peer, in one run on the same data: reading, screening, end to end.

Run from the project root::

    .venv/bin/python benchmarks/bench_city.py                      # 100,000 and 1,000,000 buildings
    .venv/bin/python benchmarks/bench_city.py --sizes 100000 --no-write
    .venv/bin/python benchmarks/bench_city.py --sizes 1000000 --only-read --repeats 3   # reads only, printed

For each size, in its own subprocess, the synthetic buildings of ``bench_screening.make_buildings``
are written once as GeoParquet and once as a ``;`` CSV with decimal commas and lon/lat (as
``bench_reading.py`` writes them). Then, for each file, two passes, each timed from the file on disk
to the screened answer:

* **llt_geo**: ``llt_geo.read_table(path, "flats")`` (reading, header matching, parsing and checking
  every value, locations to EPSG:28992 and checked against the region), then
  ``llt_geo.screening.screen_frames`` with the demo's areas, sites, amenities and configuration.
* **peer**, what a competent geopandas user writes: ``geopandas.read_parquet``, or
  ``pandas.read_csv(engine="pyarrow", sep=";", decimal=",")`` + ``geopandas.points_from_xy`` +
  ``to_crs(28992)``; then ``geopandas.sjoin`` of the points with the wijken and the stadsdelen,
  ``geopandas.sjoin_nearest`` for the nearest intramural site with its distance, and
  ``geopandas.sjoin(predicate="dwithin", distance=radius)`` + ``groupby`` for the amenities within
  the radius, counted per kind.

The answers are compared where both compute the same thing (wijk and stadsdeel per building,
nearest site and its distance, the amenity counts per kind); any disagreement stops the run.
The results are written between the ``city`` markers of ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow  # noqa: E402
import shapely  # noqa: E402
from bench_screening import _inputs, _peak_rss_bytes, make_buildings  # noqa: E402
from benchinfo import fmt_s, load_average, machine, run_child, source_hash, times, write_section  # noqa: E402

import llt_geo  # noqa: E402
from llt_geo import read_table  # noqa: E402
from llt_geo.screening import screen_frames  # noqa: E402

SIZES = (100_000, 1_000_000)
README = Path(__file__).with_name("README.md")
START, END = "<!-- city:start -->", "<!-- city:end -->"
RD = 28992
NEST_TOLERANCE_M = 1.0  # see compare()


# --------------------------------------------------------------------------------------------
# The two sides
# --------------------------------------------------------------------------------------------


def write_files(buildings: gpd.GeoDataFrame, folder: Path) -> dict[str, Path]:
    parquet = folder / "flats.parquet"
    buildings.to_parquet(parquet)
    lonlat = buildings.geometry.to_crs(4326)
    table = buildings.drop(columns="geometry").assign(lon=lonlat.x.round(7), lat=lonlat.y.round(7))
    csv = folder / "flats.csv"
    table.to_csv(csv, sep=";", decimal=",", index=False)
    return {"parquet": parquet, "csv": csv}


def llt_read(path: Path) -> gpd.GeoDataFrame:
    frame, problems, bad, _ = read_table(path, "flats")
    if bad.any():
        raise SystemExit(f"read_table found errors in {path.name}: {[str(p) for p in problems][:5]}")
    return frame


def peer_read(path: Path) -> gpd.GeoDataFrame:
    if path.suffix == ".parquet":
        return gpd.read_parquet(path)
    frame = pd.read_csv(path, engine="pyarrow", sep=";", decimal=",")
    points = gpd.points_from_xy(frame.pop("lon"), frame.pop("lat"), crs=4326)
    return gpd.GeoDataFrame(frame, geometry=points).to_crs(RD)


def peer_screen(flats: gpd.GeoDataFrame, inputs: dict) -> pd.DataFrame:
    """Areas, nearest site with its distance and amenity counts per kind, the vectorised geopandas way."""
    elig = inputs["config"]["eligibility"]
    radius, kinds = float(elig["amenity_radius_m"]), list(elig["amenity_kinds"])
    points = gpd.GeoDataFrame(geometry=flats.geometry.reset_index(drop=True))
    out = pd.DataFrame(index=points.index)
    for table, code in ((inputs["wijken"], "wijk_code"), (inputs["stadsdelen"], "stadsdeel_code")):
        joined = gpd.sjoin(points, table[[code, "geometry"]], how="left", predicate="intersects")
        out[code] = joined.loc[~joined.index.duplicated(), code]
    sites = inputs["intramural_sites"][["site_id", "geometry"]]
    nearest = gpd.sjoin_nearest(points, sites, how="left", distance_col="site_distance_m")
    nearest = nearest.loc[~nearest.index.duplicated()]
    out["nearest_site_id"] = nearest["site_id"]
    out["site_distance_m"] = nearest["site_distance_m"]
    amen = inputs["amenities"]
    amen = amen.loc[amen["kind"].str.lower().isin([k.lower() for k in kinds]), ["kind", "geometry"]]
    near = gpd.sjoin(points, amen, predicate="dwithin", distance=radius)
    counts = near.groupby([near.index, "kind"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=points.index, columns=kinds, fill_value=0)
    for kind in kinds:
        out[f"n_{kind}"] = counts[kind].to_numpy()
    return out


# --------------------------------------------------------------------------------------------
# Agreement
# --------------------------------------------------------------------------------------------


def compare(llt: pd.DataFrame, peer: pd.DataFrame, kinds: list[str], inputs: dict) -> dict:
    """Where llt_geo and the peer compute the same thing, do they agree? (Raises if not.)"""
    n = len(llt)
    points = llt.geometry.to_numpy()
    tables = {"wijk_code": inputs["wijken"], "stadsdeel_code": inputs["stadsdelen"]}
    assert len(peer) == n, (len(peer), n)
    flagged = llt["on_boundary"].to_numpy(bool) | llt["outside_areas"].to_numpy(bool)
    res: dict = {"n": n, "flagged": int(flagged.sum())}
    for code in ("wijk_code", "stadsdeel_code"):
        a = llt[code].astype(object).where(llt[code].notna(), "-").astype(str).to_numpy()
        b = peer[code].astype(object).where(peer[code].notna(), "-").astype(str).to_numpy()
        same = a == b
        res[f"same_{code}"] = int(same.sum())
        res[f"differ_{code}_flagged"] = int((~same & flagged).sum())
        # llt_geo assigns the buurt and takes the wijk and stadsdeel from it (the codes the buurt
        # carries). The demo's levels are simplified each on its own (wijken to 150 m, buurten to
        # 25 m, llt_geo/demo.py), so they do not nest: a building can lie in a buurt of wijk A and
        # inside the polygon of wijk B. Such a difference is explained when the buurt that holds the
        # building carries llt_geo's code, or the building lies within NEST_TOLERANCE_M of the area
        # llt_geo assigned (rounding at a shared edge); anything else fails the run.
        odd = np.flatnonzero(~same & ~flagged)
        areas = tables[code].set_index(code).geometry
        gap = np.array([areas[a[i]].distance(points[i]) if a[i] in areas.index else np.inf for i in odd])
        buurten = inputs.get("buurten")
        by_buurt = np.zeros(len(odd), dtype=bool)
        if buurten is not None and len(odd):
            held = gpd.sjoin(
                gpd.GeoDataFrame(geometry=points[odd], crs=buurten.crs).reset_index(drop=True),
                buurten[[code, "geometry"]],
                predicate="intersects",
            )
            by_buurt[held.index[held[code].astype(str).to_numpy() == a[odd][held.index]]] = True
        explained = by_buurt | (gap <= NEST_TOLERANCE_M)
        res[f"differ_{code}_nesting"] = int(explained.sum())
        res[f"differ_{code}_nesting_by_buurt"] = int(by_buurt.sum())
        res[f"differ_{code}_nesting_max_m"] = float(gap[explained].max()) if explained.any() else 0.0
        res[f"differ_{code}_unflagged"] = int((~explained).sum())
    same_site = llt["nearest_site_id"].astype(str).to_numpy() == peer["nearest_site_id"].astype(str).to_numpy()
    res["same_nearest_site"] = int(same_site.sum())
    d_llt = llt["site_distance_m"].to_numpy(float)
    d_peer = peer["site_distance_m"].to_numpy(float)
    # llt_geo reports the distance rounded to 0.1 m; the peer's exact distance, rounded the same way,
    # must give the same figure (1e-6 m), and the unrounded one must lie within half a step of it
    res["rounded_max_diff_m"] = float(np.max(np.abs(d_llt - np.round(d_peer, 1))))
    res["rounded_within_1e-6"] = int((np.abs(d_llt - np.round(d_peer, 1)) <= 1e-6).sum())
    res["raw_max_diff_m"] = float(np.max(np.abs(d_llt - d_peer)))
    same_counts = np.ones(n, bool)
    for kind in kinds:
        eq = llt[f"n_{kind}"].to_numpy(np.int64) == peer[f"n_{kind}"].to_numpy(np.int64)
        res[f"same_n_{kind}"] = int(eq.sum())
        same_counts &= eq
    res["same_amenity_counts"] = int(same_counts.sum())
    failures = []
    for code in ("wijk_code", "stadsdeel_code"):
        if res[f"differ_{code}_unflagged"]:
            failures.append(
                f"{res[f'differ_{code}_unflagged']} buildings neither flagged, nor in a buurt carrying llt_geo's "
                f"{code}, nor within {NEST_TOLERANCE_M} m of llt_geo's {code} area differ in {code}"
            )
    if res["same_nearest_site"] != n:
        failures.append(f"nearest site differs for {n - res['same_nearest_site']} buildings")
    if res["rounded_within_1e-6"] != n or res["raw_max_diff_m"] > 0.05 + 1e-6:
        failures.append(
            f"site distance: {n - res['rounded_within_1e-6']} differ after rounding (largest "
            f"{res['rounded_max_diff_m']:.6f} m), largest raw difference {res['raw_max_diff_m']:.6f} m"
        )
    if res["same_amenity_counts"] != n:
        failures.append(f"amenity counts differ for {n - res['same_amenity_counts']} buildings")
    if failures:
        raise SystemExit("llt_geo and the geopandas peer disagree: " + "; ".join(failures))
    return res


# --------------------------------------------------------------------------------------------
# One size (a subprocess)
# --------------------------------------------------------------------------------------------


def _timed(func, *args):
    gc.collect()
    t0 = time.perf_counter()
    out = func(*args)
    return time.perf_counter() - t0, out


def run_size(n: int, repeats: int, only_read: bool = False) -> dict:
    ds = llt_geo.load_demo()
    inputs = _inputs(ds)
    kinds = list(inputs["config"]["eligibility"]["amenity_kinds"])
    t_gen, buildings = _timed(make_buildings, ds, n)
    res: dict = {"n": n, "repeats": repeats, "generate_s": t_gen, "passes": {}, "checks": {}}
    with tempfile.TemporaryDirectory() as tmp:
        # warm-up of both sides on 1,000 buildings: first-call costs out of the figures
        warm = Path(tmp) / "warm"
        warm.mkdir()
        small = write_files(make_buildings(ds, 1_000), warm)
        for path in small.values():
            screen_frames(llt_read(path), **inputs)
            peer_screen(peer_read(path), inputs)
        t_write, files = _timed(write_files, buildings, Path(tmp))
        res["write_s"] = t_write
        res["bytes"] = {fmt: files[fmt].stat().st_size for fmt in files}
        for fmt, path in files.items():
            for side in ("llt_geo", "peer"):
                reads, screens = [], []
                for _ in range(repeats):
                    if side == "llt_geo":
                        t_read, frame = _timed(llt_read, path)
                        if only_read:
                            t_screen, answer = 0.0, None
                        else:
                            t_screen, result = _timed(lambda f: screen_frames(f, **inputs), frame)
                            answer = result.flats
                    else:
                        t_read, frame = _timed(peer_read, path)
                        t_screen, answer = (0.0, None) if only_read else _timed(peer_screen, frame, inputs)
                    reads.append(t_read)
                    screens.append(t_screen)
                    assert len(frame) == n
                    xy = shapely.get_coordinates(frame.geometry.to_numpy())
                    del frame
                res["passes"][f"{fmt}/{side}"] = {"read_s": reads, "screen_s": screens}
                if side == "llt_geo":
                    llt_answer, llt_xy = (None if answer is None else answer.reset_index(drop=True)), xy
                else:
                    res["checks"][fmt] = {} if only_read else compare(llt_answer, answer, kinds, inputs)
                    xy_diff = float(np.max(np.abs(llt_xy - xy)))
                    if xy_diff > 1e-6:
                        raise SystemExit(f"{fmt}: the locations read differ by up to {xy_diff} m")
                    res["checks"][fmt]["xy_max_diff_m"] = xy_diff
                del answer
                gc.collect()
    res["rss_peak_bytes"] = _peak_rss_bytes()
    return res


# --------------------------------------------------------------------------------------------
# Driver and report
# --------------------------------------------------------------------------------------------


def _best(values: list[float]) -> float:
    return min(values)


def _e2e(p: dict) -> float:
    return min(r + s for r, s in zip(p["read_s"], p["screen_s"], strict=True))


def _cell(values: list[float]) -> str:
    if len(values) == 1:
        return fmt_s(values[0])
    return f"{fmt_s(min(values))} (best of {len(values)})"


def _ratio(llt: float, peer: float) -> str:
    return f"{times(llt / peer)} slower" if llt >= peer else f"{times(peer / llt)} faster"


def report(results: list[dict], info: dict, wall: float) -> str:
    lines = [
        f"Measured {info['date']} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, {info['os']}; "
        f"Python {info['python']}, numpy {info['numpy']}, pandas {info['pandas']}, geopandas {info['geopandas']}, "
        f"shapely {info['shapely']}, pyarrow {info['pyarrow']}, scipy {info['scipy']}, llt_geo {info['llt_geo']} "
        f"at {info['code']}; {info['source']}. Whole benchmark run: {wall:.0f} s; load average (1, 5, 15 min) "
        f"{info['load']}.",
        "",
        "| buildings | step | llt_geo | geopandas peer | llt_geo vs peer |",
        "|---:|---|---:|---:|---:|",
    ]
    for r in results:
        n = f"{r['n']:,}"
        passes = r["passes"]
        if r.get("only_read"):
            for label, fmt in (("read + validate, GeoParquet", "parquet"), ("read + validate, `;` CSV", "csv")):
                a, b = passes[f"{fmt}/llt_geo"]["read_s"], passes[f"{fmt}/peer"]["read_s"]
                lines.append(f"| {n} | {label} | {_cell(a)} | {_cell(b)} | {_ratio(min(a), min(b))} |")
            continue
        rows = [
            ("read + validate, GeoParquet", "parquet", "read_s"),
            ("read + validate, `;` CSV (decimal comma, lon/lat)", "csv", "read_s"),
            ("screening (on the GeoParquet read)", "parquet", "screen_s"),
            ("screening (on the CSV read)", "csv", "screen_s"),
        ]
        for label, fmt, step in rows:
            a, b = passes[f"{fmt}/llt_geo"][step], passes[f"{fmt}/peer"][step]
            lines.append(f"| {n} | {label} | {_cell(a)} | {_cell(b)} | {_ratio(min(a), min(b))} |")
        for fmt, label in (("parquet", "GeoParquet"), ("csv", "CSV")):
            a, b = _e2e(passes[f"{fmt}/llt_geo"]), _e2e(passes[f"{fmt}/peer"])
            lines.append(
                f"| {n} | **end to end, {label}** (read + validate + screen) | **{fmt_s(a)}** | **{fmt_s(b)}** "
                f"| **{_ratio(a, b)}** |"
            )
    lines += [
        "",
        "Files: "
        + "; ".join(
            f"{r['n']:,} buildings: GeoParquet {r['bytes']['parquet'] / 1e6:.0f} MB, "
            f"CSV {r['bytes']['csv'] / 1e6:.0f} MB (generating {fmt_s(r['generate_s'])}, "
            f"writing both {fmt_s(r['write_s'])}; peak memory of the whole "
            f"child process {r['rss_peak_bytes'] / 1e9:.2f} GB)"
            for r in results
        )
        + ".",
        "",
        "Agreement of the answers (llt_geo's `screen_frames` against the peer, every building, both reads; "
        "the run stops if they disagree):",
        "",
    ]
    for r in results:
        for fmt, c in r["checks"].items():
            if r.get("only_read"):
                lines.append(
                    f"* {r['n']:,}, {'GeoParquet' if fmt == 'parquet' else 'CSV'}: reading only (--only-read); the "
                    f"locations read by both agree within {c['xy_max_diff_m']:.1e} m"
                )
                continue
            n = c["n"]
            lines.append(
                f"* {r['n']:,}, {'GeoParquet' if fmt == 'parquet' else 'CSV'}: "
                f"same wijk {c['same_wijk_code']:,} / {n:,}, "
                f"same stadsdeel {c['same_stadsdeel_code']:,} / {n:,} (differences only among the "
                f"{c['flagged']:,} buildings llt_geo flags as on an area boundary or outside every area: "
                f"{c['differ_wijk_code_flagged']:,} wijk, {c['differ_stadsdeel_code_flagged']:,} stadsdeel; "
                "and among "
                f"buildings where the demo's buurten and wijken do not nest: {c['differ_wijk_code_nesting']:,} wijk, "
                f"{c['differ_stadsdeel_code_nesting']:,} stadsdeel, each at most "
                f"{max(c['differ_wijk_code_nesting_max_m'], c['differ_stadsdeel_code_nesting_max_m']):.3f} m from "
                "the area llt_geo assigned); "
                f"same nearest site {c['same_nearest_site']:,} / {n:,}; its distance, the peer's rounded to 0.1 m "
                f"as llt_geo reports it, equal within 1e-6 m {c['rounded_within_1e-6']:,} / {n:,} (largest raw "
                f"difference {c['raw_max_diff_m']:.4f} m, the rounding); same amenity counts for all "
                f"{len([k for k in c if k.startswith('same_n_')])} kinds {c['same_amenity_counts']:,} / {n:,}; "
                f"the locations read by both agree within {c['xy_max_diff_m']:.1e} m"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/README.md alone")
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, help="passes per side and file (default: 3 up to 100,000, else 1)")
    parser.add_argument(
        "--only-read", action="store_true", help="time the reads only, no screening (prints; implies --no-write)"
    )
    args = parser.parse_args(argv)
    if args.n is not None:
        out = run_size(args.n, args.repeats or 1, args.only_read)
        out["only_read"] = args.only_read
        print(json.dumps(out))
        return
    start = time.perf_counter()
    start_hash, start_load = source_hash(), load_average()
    results = []
    for n in args.sizes:
        repeats = args.repeats or (3 if n <= 100_000 else 1)
        print(f"{n:,} buildings ({repeats} pass(es) per side and format) ...", file=sys.stderr, flush=True)
        extra = ["--only-read"] if args.only_read else []
        results.append(run_child(__file__, ["--n", str(n), "--repeats", str(repeats), *extra]))
    info = machine(geopandas=gpd.__version__, shapely=shapely.__version__, pyarrow=pyarrow.__version__)
    info["load"] = f"{start_load} at the start, {info['load']} at the end"
    end_hash = source_hash()
    info["source"] = (
        f"llt_geo source hash {start_hash}"
        if end_hash == start_hash
        else f"**llt_geo's source changed during the run** ({start_hash} -> {end_hash})"
    )
    table = report(results, info, time.perf_counter() - start)
    print(table)
    if not args.no_write and not args.only_read:
        write_section(README, START, END, table, "## llt_geo against the geopandas peer")
        print(f"\nwritten to {README}", file=sys.stderr)


if __name__ == "__main__":
    main()
