"""Benchmark of the screening step on 10,000, 100,000 and 1,000,000 synthetic buildings.

Run from the project root::

    .venv/bin/python benchmarks/bench_screening.py

What it does:

* Synthetic buildings: points drawn uniformly at random inside the union of the demo's
  stadsdelen (fixed seed, vectorised rejection sampling), with exactly the columns and dtypes of
  the demo's flat register (``ds.flats``).
* Fast path: :func:`llt_geo.screening.screen_frames` against the demo's areas, focus areas,
  40 intramural sites and ~870 amenities, for every size in its own subprocess, so the peak
  resident memory (``ru_maxrss``) is per size. The time split comes from the first run, which
  is instrumented: the functions ``screen_frames`` calls are wrapped with timers, and the
  stages run one after another (``screening.CONCURRENT`` off; in the timed runs the sites,
  amenities and grouping run beside the areas).
* Peer, in the same process and on the same buildings: the vectorised geopandas code a
  competent user writes (``bench_city.peer_screen``: ``sjoin``, ``sjoin_nearest``,
  ``sjoin(predicate="dwithin")`` + ``groupby``), which does far less.
* Row-by-row loop, a footnote only: a Python loop over the buildings with the distance to every
  site and amenity and a ``contains`` test against every wijk, timed on a sample and
  extrapolated linearly; its answers are checked against the fast path on that sample.

The figures are printed as a markdown table and written between the result markers of
``benchmarks/README.md`` (``--no-write`` leaves the README alone).
"""

from __future__ import annotations

import argparse
import functools
import gc
import inspect
import json
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from benchinfo import fmt_s, load_average, machine, run_child, source_hash, write_section

import llt_geo
import llt_geo.areas as areas_module
import llt_geo.screening as screening_module
from llt_geo.screening import screen_frames

SIZES = (10_000, 100_000, 1_000_000)
SEED = 2030
NAIVE_SAMPLE = 2_000  # buildings timed with the naive loop (taken from the 10,000 set)
NAIVE_SET = 10_000
TARGET_SECONDS = 3.0
TARGET_VS_PEER = 1.4
TARGET_BYTES = 4e9  # 4 GB (decimal; stricter than 4 GiB)

README = Path(__file__).with_name("README.md")
START, END = "<!-- results:start -->", "<!-- results:end -->"

CORPORATIONS = [
    "Woonstichting Amstelhof",
    "Stichting Veenhuis Wonen",
    "Woongroep De Linde",
    "Stadswonen Noordwaarts",
    "Corporatie Zuiderlicht",
    "Woonkracht Oostpoort",
    "Woningbouw IJoever",
    "Stichting Grachtengordel Huisvesting",
]
STREETS = ["Lindelaan", "Kastanjeweg", "Havenstraat", "Molenpad", "Sluiskade", "Tuinplein", "Dijkstraat", "Parkhof"]
YESNO = {  # column -> share yes among the known values
    "resident_involvement": 0.7,
    "meeting_room": 0.6,
    "workspace": 0.5,
    "meeting_space_open": 0.6,
    "fire_safety_plan": 0.8,
    "staff_in_wijk": 0.7,
    "woonzorg_registered": 0.4,
    "vital_mix": 0.6,
    "corporation_consent": 0.8,
    "corporation_subsidy_recipient": 0.6,
}

# The stages doing what the naive loop does (those present in the code that runs are summed).
# llt_geo's columns the peers' answers are checked against (bench_city.compare), besides n_<kind>
_COMPARED = ["wijk_code", "stadsdeel_code", "on_boundary", "outside_areas", "nearest_site_id", "site_distance_m"]

LIKE_FOR_LIKE = ["assign_areas", "nearest_site", "nearest_site_per_provider", "site_proximity", "amenity_reach"]


# --------------------------------------------------------------------------------------------
# Synthetic buildings
# --------------------------------------------------------------------------------------------


def make_buildings(ds: llt_geo.Dataset, n: int, seed: int = SEED) -> gpd.GeoDataFrame:
    """``n`` synthetic buildings spread uniformly over the demo's stadsdelen, shaped like ``ds.flats``."""
    rng = np.random.default_rng(seed)
    city = shapely.union_all(ds.stadsdelen.geometry.to_numpy())
    shapely.prepare(city)
    xmin, ymin, xmax, ymax = city.bounds
    inside_share = city.area / ((xmax - xmin) * (ymax - ymin))
    xs, ys, have = [], [], 0
    while have < n:  # vectorised rejection sampling
        m = int((n - have) / inside_share * 1.05) + 64
        x, y = rng.uniform(xmin, xmax, m), rng.uniform(ymin, ymax, m)
        keep = shapely.contains_xy(city, x, y)
        xs.append(x[keep])
        ys.append(y[keep])
        have += int(keep.sum())
    x, y = np.concatenate(xs)[:n], np.concatenate(ys)[:n]

    ids = pd.Series(np.char.mod("B%07d", np.arange(1, n + 1)), dtype="string")
    dwellings = np.clip(np.round(rng.lognormal(np.log(40.0), 0.8, n)), 1, 600).astype(np.int64)

    def part_of(share_low: float, share_high: float) -> pd.array:
        counts = rng.binomial(dwellings, rng.uniform(share_low, share_high, n))
        return pd.arrays.IntegerArray(counts.astype(np.int64), rng.random(n) < 0.05)

    def yesno(p_yes: float) -> pd.array:
        values = pd.array(rng.random(n) < p_yes, dtype="boolean")
        values[rng.random(n) < 0.05] = pd.NA
        return values

    columns = {
        "flat_id": ids,
        "name": "Gebouw " + ids,
        "address": pd.Series(np.array(STREETS, dtype=object)[rng.integers(0, len(STREETS), n)], dtype="string")
        + " "
        + pd.Series(rng.integers(1, 200, n)).astype("string"),
        "corporation": pd.Series(np.array(CORPORATIONS, dtype=object)[rng.integers(0, len(CORPORATIONS), n)]),
        "n_dwellings": pd.array(dwellings, dtype="Int64"),
        "n_nultreden": part_of(0.2, 1.0),
        "n_social_rent": part_of(0.3, 1.0),
        "group_id": pd.array([pd.NA] * n, dtype="string"),
        "status": pd.Series("candidate", index=range(n)),
        "status_year": pd.array([pd.NA] * n, dtype="Int64"),
        "subsidy_eur": pd.array([pd.NA] * n, dtype="Float64"),
        # no voorkeursaanbieder or welfare organisation yet: these are candidates
        "preferred_provider_id": pd.array([pd.NA] * n, dtype="string"),
        "welfare_id": pd.array([pd.NA] * n, dtype="string"),
    }
    columns.update({col: yesno(p) for col, p in YESNO.items()})
    template = ds.flats
    frame = pd.DataFrame(
        {c: pd.Series(columns[c]).astype(template[c].dtype).array for c in template.columns if c != "geometry"}
    )
    out = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=template.crs)
    out = out[list(template.columns)]
    assert out.dtypes.astype(str).equals(template.dtypes.astype(str)), "synthetic dtypes differ from ds.flats"
    return out


def _inputs(ds: llt_geo.Dataset) -> dict:
    return {
        "stadsdelen": ds.stadsdelen,
        "wijken": ds.wijken,
        "buurten": ds.buurten,
        "focus_areas": ds.focus_areas,
        "intramural_sites": ds.intramural_sites,
        "amenities": ds.amenities,
        "config": ds.config,
    }


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


# --------------------------------------------------------------------------------------------
# The two-thread STRtree peer
# --------------------------------------------------------------------------------------------


def _first_hit(pi: np.ndarray, ai: np.ndarray, n: int) -> np.ndarray:
    """The first tree index per input point of a query's pairs (sorted by point); -1 without one."""
    out = np.full(n, -1, dtype=np.int64)
    if len(pi):
        first = np.ones(len(pi), dtype=bool)
        first[1:] = pi[1:] != pi[:-1]
        out[pi[first]] = ai[first]
    return out


def strtree_peer(flats: gpd.GeoDataFrame, inputs: dict, threads: int) -> pd.DataFrame:
    """Areas, nearest site with its distance and amenity counts per kind, with shapely's STRtree on threads.

    What a competent user writes who wants the peer's answers fast: one ``STRtree`` per target set,
    built once; the points split into ``threads`` equal chunks, each chunk queried on its own thread
    (shapely releases the GIL): the wijk and the stadsdeel by ``query(predicate="intersects")``
    (the first match kept, as ``sjoin``), the nearest intramural site with its distance by
    ``query_nearest(return_distance=True)``, and the amenities of the counted kinds within the radius
    by one ``query(predicate="dwithin", distance=radius)`` counted per building and kind with
    ``np.bincount``. Same columns as ``bench_city.peer_screen``.
    """
    elig = inputs["config"]["eligibility"]
    radius, kinds = float(elig["amenity_radius_m"]), list(elig["amenity_kinds"])
    points = flats.geometry.to_numpy()
    n = len(points)
    wijken, stadsdelen, sites = inputs["wijken"], inputs["stadsdelen"], inputs["intramural_sites"]
    wijk_tree = shapely.STRtree(wijken.geometry.to_numpy())
    stadsdeel_tree = shapely.STRtree(stadsdelen.geometry.to_numpy())
    site_tree = shapely.STRtree(sites.geometry.to_numpy())
    kind = inputs["amenities"]["kind"].str.lower()
    counted = kind.isin([k.lower() for k in kinds]).to_numpy()
    amenity_kind = pd.Categorical(kind[counted], categories=[k.lower() for k in kinds]).codes.astype(np.int64)
    amenity_tree = shapely.STRtree(inputs["amenities"].geometry.to_numpy()[counted])
    k = len(kinds)

    def chunk(a: int, b: int) -> tuple:
        part, m = points[a:b], b - a
        wijk = _first_hit(*wijk_tree.query(part, predicate="intersects"), m)
        stadsdeel = _first_hit(*stadsdeel_tree.query(part, predicate="intersects"), m)
        (pi, si), dist = site_tree.query_nearest(part, return_distance=True)
        site, site_m = np.full(m, -1, dtype=np.int64), np.full(m, np.nan)
        site[pi], site_m[pi] = si, dist
        pi, ai = amenity_tree.query(part, predicate="dwithin", distance=radius)
        counts = np.bincount(pi * k + amenity_kind[ai], minlength=m * k).reshape(m, k)
        return wijk, stadsdeel, site, site_m, counts

    bounds = np.linspace(0, n, threads + 1).astype(np.int64)
    if threads <= 1:
        parts = [chunk(0, n)]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            parts = list(pool.map(chunk, bounds[:-1], bounds[1:]))
    wijk, stadsdeel, site, site_m, counts = (np.concatenate([p[i] for p in parts]) for i in range(5))

    def codes(table: pd.DataFrame, col: str, idx: np.ndarray) -> np.ndarray:
        return np.where(idx >= 0, table[col].to_numpy(dtype=object)[idx], None)

    return pd.DataFrame(
        {
            "wijk_code": codes(wijken, "wijk_code", wijk),
            "stadsdeel_code": codes(stadsdelen, "stadsdeel_code", stadsdeel),
            "nearest_site_id": codes(sites, "site_id", site),
            "site_distance_m": site_m,
            **{f"n_{kind}": counts[:, j] for j, kind in enumerate(kinds)},
        }
    )


# --------------------------------------------------------------------------------------------
# One size (run in a subprocess)
# --------------------------------------------------------------------------------------------


def _summary(result: screening_module.Screening) -> dict:
    flats, cands = result.flats, result.candidates
    groups = flats["group_id"].dropna()
    sizes = groups.value_counts()
    return {
        "n_candidates": len(cands),
        "n_groups": int(sizes.size),
        "flats_in_groups": len(groups),
        "largest_group": int(sizes.max()) if sizes.size else 0,
        "eligibility": {str(k): int(v) for k, v in cands["eligibility"].value_counts().items()},
        "on_boundary": int(flats["on_boundary"].sum()),
        "outside_areas": int(flats["outside_areas"].sum()),
        "crowded": int(flats["crowded"].sum()) if "crowded" in flats else None,
    }


# The time split wraps every llt_geo function that screen_frames can call through its module's
# names (found at run time, so the split follows the code as it changes); only the outermost
# call is timed, so a helper called by a timed function counts towards that function.
# helpers that only call the stages (timing them would hide the stages they call), or take no time
_NOT_STAGES = ("_now", "_assemble", "_finish", "progress", "string_take", "_string_order")


def _timed_split(
    buildings: gpd.GeoDataFrame, inputs: dict
) -> tuple[float, dict[str, float], dict[str, int], screening_module.Screening]:
    """One screening run with every stage wrapped in a timer (no code in llt_geo is changed).

    Also records the peak resident memory so far after each stage: where it jumps, that stage
    (or, for the first stage after a jump in *rest*, the assembly before it) raised the peak.
    """
    originals = {
        name: obj
        for name, obj in vars(screening_module).items()
        if inspect.isfunction(obj)
        and obj.__module__.startswith("llt_geo")
        and name not in ("screen", "screen_frames", *_NOT_STAGES)
    }
    spent: dict[str, float] = {}  # in the order of the first call
    peak: dict[str, int] = {}  # high-water mark of the resident memory after each stage
    depth = [0]

    def wrap(name: str, func):
        @functools.wraps(func)
        def timed(*args, **kwargs):
            if depth[0]:
                return func(*args, **kwargs)
            depth[0] += 1
            t0 = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                depth[0] -= 1
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0
                peak[name] = _peak_rss_bytes()

        return timed

    try:
        for name, func in originals.items():
            setattr(screening_module, name, wrap(name, func))
        t0 = time.perf_counter()
        result = screen_frames(buildings, **inputs)
        total = time.perf_counter() - t0
    finally:
        for name, func in originals.items():
            setattr(screening_module, name, func)
    return total, spent, peak, result


def _criteria_time(result: screening_module.Screening) -> tuple[float, int]:
    """Time to get the long criteria table with reasons (built on first use in newer versions)."""
    t0 = time.perf_counter()
    rows = len(result.criteria)
    return time.perf_counter() - t0, rows


def run_size(n: int, repeats: int, scenario: str = "candidates") -> dict:
    """Generate ``n`` buildings and time ``screen_frames`` on them; runs inside its own process.

    ``scenario="singles"`` marks every building as realised, so none is grouped and every building
    is a candidate of its own (the per-candidate stages then see ``n`` candidates). With
    ``repeats=0`` the instrumented run is the only run and gives the time. After each run the
    long criteria table (``result.criteria``) is asked for and timed separately. Peak memory:
    ``rss_screen_bytes`` after the first ``screen_frames`` call, ``rss_peak_bytes`` at the end
    (after the criteria tables too).
    """
    ds = llt_geo.load_demo()
    inputs = _inputs(ds)
    warm = screen_frames(ds.flats, **inputs)  # warm-up on the 150 demo flats: first-call costs out of the figures
    _criteria_time(warm)
    del warm
    t0 = time.perf_counter()
    buildings = make_buildings(ds, n)
    if scenario == "singles":
        buildings["status"] = pd.array(["realised"] * n, dtype=ds.flats["status"].dtype)
    t_generate = time.perf_counter() - t0
    gc.collect()
    rss_before = _peak_rss_bytes()
    # the instrumented run comes first, so the memory high-water mark after each stage is its own;
    # its stages run one after another (CONCURRENT off), so each stage's time is its own too
    screening_module.CONCURRENT = False
    try:
        split_total, split, split_peak, result = _timed_split(buildings, inputs)
    finally:
        screening_module.CONCURRENT = True
    rss_screen = _peak_rss_bytes()
    summary = _summary(result)
    t_criteria, rows = _criteria_time(result)
    criteria_times = [t_criteria]
    kinds = list(inputs["config"]["eligibility"]["amenity_kinds"])
    answers = result.flats[[*_COMPARED, *(f"n_{k}" for k in kinds), "geometry"]].reset_index(drop=True)
    del result
    gc.collect()
    # llt_geo and the STRtree peer on as many threads as llt_geo uses, taking turns (a shared machine
    # slows both alike)
    threads = areas_module.WORKERS
    strtree_peer(ds.flats, inputs, threads)  # warm-up
    times, strtree_times = [], {threads: []}
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = screen_frames(buildings, **inputs)
        times.append(time.perf_counter() - t0)
        criteria_times.append(_criteria_time(result)[0])
        del result
        gc.collect()
        t0 = time.perf_counter()
        strtree = strtree_peer(buildings, inputs, threads)
        strtree_times[threads].append(time.perf_counter() - t0)
        gc.collect()
    if not times:  # the instrumented run is the only run
        times = [split_total]
        strtree = strtree_peer(buildings, inputs, threads)
    if threads != 1:
        strtree_times[1] = []
        for _ in range(max(repeats, 1)):
            gc.collect()
            t0 = time.perf_counter()
            strtree_peer(buildings, inputs, 1)
            strtree_times[1].append(time.perf_counter() - t0)
    from bench_city import compare

    agreement = compare(answers, strtree, kinds, inputs)  # stops the run if they disagree
    del strtree, answers
    # the vectorised geopandas peer (bench_city.py's), on the same buildings in the same process
    from bench_city import peer_screen

    peer_screen(ds.flats, inputs)  # warm-up
    peer_times = []
    for _ in range(max(repeats, 1)):
        gc.collect()
        t0 = time.perf_counter()
        peer = peer_screen(buildings, inputs)
        peer_times.append(time.perf_counter() - t0)
        del peer
    return {
        "peer_times_s": peer_times,
        "peer_best_s": min(peer_times),
        "threads": threads,
        "strtree_times_s": {str(t): v for t, v in strtree_times.items()},
        "strtree_best_s": {str(t): min(v) for t, v in strtree_times.items()},
        "agreement": agreement,
        "n": n,
        "scenario": scenario,
        "repeats": repeats,
        "times_s": times,
        "best_s": min(times),
        "criteria_times_s": criteria_times,
        "criteria_best_s": min(criteria_times),
        "n_criteria_rows": rows,
        "generate_s": t_generate,
        "rss_before_screening_bytes": rss_before,
        "rss_screen_bytes": rss_screen,
        "rss_peak_bytes": _peak_rss_bytes(),
        "split_total_s": split_total,
        "split_s": split,
        "split_peak_rss_bytes": split_peak,
        **summary,
    }


def run_one_core(n: int, repeats: int) -> dict:
    """``screen_frames`` and the STRtree peer on one thread, in a process started under ``taskset -c 0``.

    llt_geo is not told anything: it starts its threads as always (two), which then share the one
    core the process may run on.
    """
    ds = llt_geo.load_demo()
    inputs = _inputs(ds)
    screen_frames(ds.flats, **inputs)
    strtree_peer(ds.flats, inputs, 1)
    buildings = make_buildings(ds, n)
    times, peer_times = [], []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        result = screen_frames(buildings, **inputs)
        times.append(time.perf_counter() - t0)
        del result
        gc.collect()
        t0 = time.perf_counter()
        strtree_peer(buildings, inputs, 1)
        peer_times.append(time.perf_counter() - t0)
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    return {"n": n, "cores": cores, "times_s": times, "best_s": min(times), "peer_times_s": peer_times,
            "peer_best_s": min(peer_times)}  # fmt: skip


def run_child_one_core(args: list[str]) -> dict:
    """:func:`benchinfo.run_child`, but the child may run on the first core only (``taskset -c 0``)."""
    proc = subprocess.run(
        ["taskset", "-c", "0", sys.executable, str(Path(__file__).resolve()), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"benchmark child {' '.join(args)} (one core) failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# The naive baseline (run in a subprocess)
# --------------------------------------------------------------------------------------------


def naive_screen(buildings: gpd.GeoDataFrame, ds: llt_geo.Dataset) -> pd.DataFrame:
    """The straightforward geopandas approach: row by row, the distance to every site and amenity."""
    radius = float(ds.config["eligibility"]["amenity_radius_m"])
    kinds = list(ds.config["eligibility"]["amenity_kinds"])
    sites, amenities, wijken = ds.intramural_sites, ds.amenities, ds.wijken
    rows = []
    for pt in buildings.geometry:
        d = sites.distance(pt)
        nearest = d.idxmin()
        per_provider = d.groupby(sites["provider_id"]).min()
        within = amenities[amenities.distance(pt) <= radius]
        counts = within["kind"].value_counts()
        wijk = wijken[wijken.contains(pt)]
        row = {
            "site_distance_m": d.min(),
            "nearest_site_id": sites.loc[nearest, "site_id"],
            "wijk_code": wijk["wijk_code"].iloc[0] if len(wijk) else None,
        }
        for kind in kinds:
            row[f"n_{kind}"] = int(counts.get(kind, 0))
        row["amenity_kinds_within"] = sum(row[f"n_{kind}"] > 0 for kind in kinds)
        for provider, dist in per_provider.items():
            row[f"provider_{provider}"] = dist
        rows.append(row)
    return pd.DataFrame(rows, index=buildings.index)


def run_naive(sample: int) -> dict:
    """Time the naive loop on the first ``sample`` of 10,000 buildings and check it against the fast path."""
    ds = llt_geo.load_demo()
    inputs = _inputs(ds)
    buildings = make_buildings(ds, NAIVE_SET)
    fast = screen_frames(buildings, **inputs)
    part = buildings.iloc[:sample]
    naive_screen(part.iloc[:20], ds)  # warm-up
    t0 = time.perf_counter()
    naive = naive_screen(part, ds)
    t_naive = time.perf_counter() - t0

    f = fast.flats.iloc[:sample]
    kinds = list(ds.config["eligibility"]["amenity_kinds"])
    site_diff = np.abs(f["site_distance_m"].to_numpy(float) - naive["site_distance_m"].to_numpy(float))
    prov = fast.provider_distance_m.iloc[:sample]
    prov_diff = np.abs(prov.to_numpy(float) - naive[[f"provider_{p}" for p in prov.columns]].to_numpy(float)).max(
        axis=1
    )
    same_wijk = f["wijk_code"].astype(object).fillna("-").to_numpy() == naive["wijk_code"].fillna("-").to_numpy()
    same_counts = np.all(
        np.column_stack([f[f"n_{k}"].to_numpy(int) == naive[f"n_{k}"].to_numpy(int) for k in kinds]), axis=1
    )
    same_kinds = f["amenity_kinds_within"].to_numpy(int) == naive["amenity_kinds_within"].to_numpy(int)
    same_site = f["nearest_site_id"].astype(object).to_numpy() == naive["nearest_site_id"].to_numpy()
    return {
        "sample": sample,
        "naive_s": t_naive,
        "naive_per_building_ms": t_naive / sample * 1e3,
        "site_distance_max_diff_m": float(site_diff.max()),
        "site_distance_within_0_1m": int((site_diff <= 0.1).sum()),
        "same_nearest_site": int(same_site.sum()),
        "provider_distance_max_diff_m": float(prov_diff.max()),
        "provider_distance_within_0_1m": int((prov_diff <= 0.1).sum()),
        "same_wijk": int(same_wijk.sum()),
        "same_amenity_counts": int(same_counts.sum()),
        "same_amenity_kinds_within": int(same_kinds.sum()),
    }


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def _gb(n_bytes: float) -> str:
    return f"{n_bytes / 1e9:.2f} GB"


def _line(r: dict) -> str:
    return (
        f"{r['best_s']:.2f} s, criteria table {r['criteria_best_s']:.2f} s, peak RSS {_gb(r['rss_screen_bytes'])} "
        f"/ {_gb(r['rss_peak_bytes'])} with criteria, {r['n_candidates']:,} candidates"
    )


def _label(r: dict) -> str:
    return f"{r['n']:,}" + (" (singles)" if r["scenario"] == "singles" else "")


def _vs(llt: float, peer: float) -> str:
    ratio = peer / llt
    return f"{ratio:.2f}x faster" if ratio >= 1 else f"{1 / ratio:.2f}x slower"


def _runs(values: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in values) + " s"


def _thread_lines(results: list[dict]) -> list[str]:
    """llt_geo against the STRtree peer on two cores and on one, and the peer's answers checked."""
    lines = [
        'llt_geo against the STRtree peer (`strtree_peer`: shapely\'s `STRtree.query(predicate="intersects")` '
        'for the wijk and the stadsdeel, `query_nearest` for the nearest site, `query(predicate="dwithin")` + '
        "`np.bincount` for the amenities, the buildings split over threads), each on as many threads as llt_geo "
        "uses, and on one core. *2 cores*: the child process of the table above, llt_geo and the peer taking "
        "turns (best of the same number of runs). *1 core*: a second child process started under "
        "`taskset -c 0`, so everything runs on one core; llt_geo starts its threads as always (its own "
        "thread pools of two: `llt_geo.areas.WORKERS`, the stages beside one another in `screen_frames`), "
        "which then take turns on that core; the peer runs on one thread.",
        "",
        "| buildings | llt_geo, 2 cores | STRtree peer, 2 threads | llt_geo vs peer, 2 cores "
        "| STRtree peer, 1 thread (2-core process) | llt_geo, 1 core | STRtree peer, 1 core "
        "| llt_geo vs peer, 1 core |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        two = r["strtree_best_s"][str(r["threads"])]
        single = r["strtree_best_s"].get("1", two)
        one = r.get("one_core")
        cells = (
            [
                f"{fmt_s(one['best_s'])} ({_runs(one['times_s'])})",
                f"{fmt_s(one['peer_best_s'])} ({_runs(one['peer_times_s'])})",
                _vs(one["best_s"], one["peer_best_s"]),
            ]  # fmt: skip
            if one
            else ["–", "–", "–"]
        )
        lines.append(
            f"| {_label(r)} | {fmt_s(r['best_s'])} ({_runs(r['times_s'])}) "
            f"| {fmt_s(two)} ({_runs(r['strtree_times_s'][str(r['threads'])])}) | {_vs(r['best_s'], two)} "
            f"| {fmt_s(single)} | " + " | ".join(cells) + " |"
        )
    lines += [
        "",
        "Agreement of the STRtree peer with llt_geo, every building (`bench_city.compare`, the checks of "
        "`bench_city.py`; the run stops if they disagree):",
        "",
    ]
    for r in results:
        c = r["agreement"]
        n = c["n"]
        lines.append(
            f"* {_label(r)}: same wijk {c['same_wijk_code']:,} / {n:,}, same stadsdeel "
            f"{c['same_stadsdeel_code']:,} / {n:,} (the others: {c['differ_wijk_code_flagged']:,} wijk and "
            f"{c['differ_stadsdeel_code_flagged']:,} stadsdeel among the {c['flagged']:,} buildings llt_geo flags "
            f"on a boundary or outside every area, {c['differ_wijk_code_nesting']:,} wijk and "
            f"{c['differ_stadsdeel_code_nesting']:,} stadsdeel in a buurt that carries llt_geo's code, where the "
            "demo's buurten and wijken do not nest); same nearest site "
            f"{c['same_nearest_site']:,} / {n:,}; its distance, the peer's rounded to 0.1 m, equal within 1e-6 m "
            f"{c['rounded_within_1e-6']:,} / {n:,}; same amenity counts for every kind "
            f"{c['same_amenity_counts']:,} / {n:,}"
        )
    return lines


def report(results: list[dict], singles: dict | None, naive: dict, info: dict, wall: float) -> str:
    per_building = naive["naive_s"] / naive["sample"]
    every = [*results, *([singles] if singles else [])]
    like_stages = [s for s in LIKE_FOR_LIKE if any(s in r["split_s"] for r in every)]
    lines = [
        f"Measured {info['date']} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, "
        f"{info['os']}; Python {info['python']}, numpy {info['numpy']}, pandas {info['pandas']}, "
        f"geopandas {info['geopandas']}, shapely {info['shapely']}, scipy {info['scipy']}, "
        f"llt_geo {info['llt_geo']} at {info['code']}; {info['source']}. Whole benchmark run: {wall:.0f} s; "
        f"load average (1, 5, 15 min) {info['load']}.",
        "",
        "| buildings | candidates | `screen_frames` (all of it) | vectorised geopandas peer (areas, nearest site, "
        "amenity counts only) | llt_geo vs peer | `.criteria` (long table with reasons) "
        "| peak memory: screening / with `.criteria` |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in every:
        if r["repeats"]:
            runs = ", ".join(f"{t:.2f}" for t in r["times_s"])
            how = f"best of {r['repeats']}: {runs} s; first, instrumented call {r['split_total_s']:.2f} s"
        else:
            how = "1 instrumented run"
        peer_runs = ", ".join(f"{t:.2f}" for t in r["peer_times_s"])
        ratio = r["peer_best_s"] / r["best_s"]
        verdict = f"{ratio:.2f}x faster" if ratio >= 1 else f"{1 / ratio:.2f}x slower"
        lines.append(
            f"| {_label(r)} | {r['n_candidates']:,} | {fmt_s(r['best_s'])} ({how}) "
            f"| {fmt_s(r['peer_best_s'])} ({peer_runs} s) | {verdict} | {fmt_s(r['criteria_best_s'])} "
            f"| {_gb(r['rss_screen_bytes'])} / {_gb(r['rss_peak_bytes'])} |"
        )
    lines += ["", *_thread_lines(results)]
    lines += [
        "",
        "The peer is `bench_city.peer_screen`: `gpd.sjoin` with the wijken and the stadsdelen, "
        '`gpd.sjoin_nearest` for the nearest site with its distance, `gpd.sjoin(predicate="dwithin")` + '
        "`groupby` for the amenity counts per kind, on the same buildings in the same process (its answers "
        "are checked against llt_geo's in `bench_city.py`). It does far less than `screen_frames`: no buurt, "
        "no boundary or outside flags, no distance per provider, no nearest amenity per kind, no focus "
        "areas, ageing, grouping, criteria or summary.",
        "",
        f"Row-by-row loop (footnote only; nobody competent writes it): {naive['naive_per_building_ms']:.2f} ms "
        f"per building, measured on {naive['sample']:,} buildings and extrapolated linearly: "
        + "; ".join(
            f"{_label(r)}: {fmt_s(per_building * r['n'])}, {per_building * r['n'] / r['best_s']:,.0f}x "
            f"(like for like, {', '.join(f'`{s}`' for s in like_stages)} only: "
            f"{per_building * r['n'] / max(sum(r['split_s'].get(s, 0.0) for s in LIKE_FOR_LIKE), 1e-9):,.0f}x)"
            for r in every
        )
        + ".",
        "",
        f"(The loop's answers agree with the fast path on those {naive['sample']:,} buildings: same nearest site "
        f"{naive['same_nearest_site']:,}, its distance within 0.1 m {naive['site_distance_within_0_1m']:,}, "
        f"every provider's within 0.1 m {naive['provider_distance_within_0_1m']:,}, same wijk "
        f"{naive['same_wijk']:,}, same amenity counts {naive['same_amenity_counts']:,}.)",
        "",
        "Targets for 1,000,000 buildings (issue #10, item 2):",
        "",
    ]
    ok = {True: "met", False: "**not met**"}
    targets = [r for r in every if r["n"] == 1_000_000]
    if not targets:
        lines.append("* not measured (1,000,000 was not among the sizes of this run)")
    for r in targets:
        ratio = r["peer_best_s"] / r["best_s"]
        strtree = r["strtree_best_s"][str(r["threads"])]
        lines += [
            f"* {_label(r)}: under {TARGET_SECONDS:.0f} s on 2 cores: {ok[r['best_s'] < TARGET_SECONDS]} "
            f"({r['best_s']:.2f} s); ahead of the STRtree peer on {r['threads']} threads (issue 21, item 4): "
            f"{ok[r['best_s'] < strtree]} ({r['best_s']:.2f} s against {strtree:.2f} s); "
            f"at least {TARGET_VS_PEER}x faster than the geopandas peer: "
            f"{ok[ratio >= TARGET_VS_PEER]} ({ratio:.2f}x: {r['best_s']:.2f} s against {r['peer_best_s']:.2f} s); "
            f"memory under 4 GB: {ok[r['rss_screen_bytes'] < TARGET_BYTES]} ({_gb(r['rss_screen_bytes'])} peak "
            f"RSS of the whole process, of which {_gb(r['rss_before_screening_bytes'])} before screening started: "
            "Python, the libraries, the demo data and the buildings)",
        ]
    lines += [
        "",
        "Time split (one instrumented run per size, its stages one after another: the functions "
        "`screen_frames` calls, in call order, each with the process's peak memory so far in brackets; in the "
        "timed runs above `site_proximity`, `amenity_reach` and `find_groups` run beside `assign_areas` and "
        "`focus_membership`, so the total there is less than the sum here; *rest* is assembling the tables, "
        "the join and the notes; the last row is asking for `.criteria` afterwards, which is not part of "
        "`screen_frames` when the long table is built on first use):",
        "",
        "| stage | " + " | ".join(_label(r) for r in every) + " |",
        "|---|" + "---:|" * len(every),
    ]
    stages = list(dict.fromkeys(name for r in every for name in r["split_s"]))
    for stage in stages:
        cells = [
            f"{fmt_s(r['split_s'][stage])} ({_gb(r['split_peak_rss_bytes'][stage])})" if stage in r["split_s"] else "–"
            for r in every
        ]
        lines.append(f"| `{stage}` | " + " | ".join(cells) + " |")
    rest = [fmt_s(r["split_total_s"] - sum(r["split_s"].values())) for r in every]
    lines.append("| rest | " + " | ".join(rest) + " |")
    lines.append("| **total** | " + " | ".join(f"**{fmt_s(r['split_total_s'])}**" for r in every) + " |")
    lines.append(
        "| `.criteria` (long table) | "
        + " | ".join(f"{fmt_s(r['criteria_best_s'])} ({r['n_criteria_rows']:,} rows)" for r in every)
        + " |"
    )
    lines += [
        "",
        "What the synthetic workload produced (from the instrumented run):",
        "",
        "| buildings | generating them | candidates | groups (by distance) | flats in groups | largest group "
        "| in a cluster too large to group | on an area boundary | outside every area | pass / fail / unknown |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in every:
        e = r["eligibility"]
        crowded = "–" if r.get("crowded") is None else f"{r['crowded']:,}"
        lines.append(
            f"| {_label(r)} | {fmt_s(r['generate_s'])} | {r['n_candidates']:,} | {r['n_groups']:,} "
            f"| {r['flats_in_groups']:,} | {r['largest_group']:,} | {crowded} | {r['on_boundary']:,} "
            f"| {r['outside_areas']:,} | {e.get('pass', 0):,} / {e.get('fail', 0):,} / {e.get('unknown', 0):,} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="numbers of buildings")
    parser.add_argument("--naive-sample", type=int, default=NAIVE_SAMPLE, help="buildings timed with the naive loop")
    parser.add_argument(
        "--singles",
        type=int,
        default=1_000_000,
        help="also screen this many buildings of which none can be grouped (0: skip)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/README.md alone")
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)  # child: one size
    parser.add_argument("--repeats", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--scenario", default="candidates", help=argparse.SUPPRESS)
    parser.add_argument("--naive", type=int, help=argparse.SUPPRESS)  # child: the naive baseline
    parser.add_argument("--one-core", action="store_true", help=argparse.SUPPRESS)  # child: under taskset -c 0
    args = parser.parse_args(argv)
    if args.n is not None and args.one_core:
        print(json.dumps(run_one_core(args.n, args.repeats)))
        return
    if args.n is not None:
        print(json.dumps(run_size(args.n, args.repeats, args.scenario)))
        return
    if args.naive is not None:
        print(json.dumps(run_naive(args.naive)))
        return

    start = time.perf_counter()
    start_hash, start_load = source_hash(), load_average()
    results = []
    for n in args.sizes:
        repeats = 3 if n <= 100_000 else 2
        print(f"screening {n:,} buildings (best of {repeats}) ...", file=sys.stderr, flush=True)
        results.append(run_child(__file__, ["--n", str(n), "--repeats", str(repeats)]))
        print(f"  {_line(results[-1])}", file=sys.stderr, flush=True)
        print(f"  the same on one core (taskset -c 0, best of {repeats}) ...", file=sys.stderr, flush=True)
        one = run_child_one_core(["--n", str(n), "--repeats", str(repeats), "--one-core"])
        results[-1]["one_core"] = one
        print(f"  llt_geo {one['best_s']:.2f} s, STRtree peer {one['peer_best_s']:.2f} s", file=sys.stderr, flush=True)
    singles = None
    if args.singles:
        print(f"screening {args.singles:,} buildings, every one its own candidate ...", file=sys.stderr, flush=True)
        singles = run_child(__file__, ["--n", str(args.singles), "--repeats", "1", "--scenario", "singles"])
        print(f"  {_line(singles)}", file=sys.stderr, flush=True)
    print(f"naive loop on {args.naive_sample:,} buildings ...", file=sys.stderr, flush=True)
    naive = run_child(__file__, ["--naive", str(args.naive_sample)])
    print(f"  {naive['naive_s']:.2f} s", file=sys.stderr, flush=True)
    info = machine(
        cpus_usable=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        geopandas=gpd.__version__,
        shapely=shapely.__version__,
    )
    info["load"] = f"{start_load} at the start, {info['load']} at the end"
    end_hash = source_hash()
    info["source"] = (
        f"llt_geo source hash {start_hash}"
        if end_hash == start_hash
        else f"**llt_geo's source changed during the run** ({start_hash} -> {end_hash}): the sizes may have run "
        "different code"
    )
    table = report(results, singles, naive, info, time.perf_counter() - start)
    print(table)
    if not args.no_write:
        write_section(README, START, END, table, "## Results")
        print(f"\nwritten to {README}", file=sys.stderr)


if __name__ == "__main__":
    main()
