"""Screening in spatial tiles with halos gives the same answers as one run over all buildings.

Run from the project root::

    .venv/bin/python benchmarks/bench_partitioned.py                 # 1,000,000 buildings, 4 x 4 tiles
    .venv/bin/python benchmarks/bench_partitioned.py --n 200000 --tiles 3

The sketch of ``docs/scale.md`` on one machine, without dask: the synthetic buildings of
``bench_screening.make_buildings`` are cut into square tiles; each tile is screened with
``screen_frames`` on its own buildings (the *core*) plus every building within the halo around
it, and only the core's answers are kept. The small tables (areas, sites, amenities) go to every
tile whole. The halo is what grouping needs to be exact: a group has at most ``max_members``
flats linked by steps of at most ``max_distance_m``, and deciding that a cluster is too large
(``crowded``) needs one more step, so ``max_members x max_distance_m`` (1,250 m with the demo's
configuration) is enough. Everything else is per building against tables every tile has.

It checks, for every building, that the flats table (areas, flags, focus, ageing, sites,
amenities, groups, candidate, open) and, for every candidate, the candidates table (criteria,
summary) equal the single run's exactly, and reports the time and peak memory per tile. It
prints only; it writes nothing.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from bench_screening import _inputs, make_buildings  # noqa: E402

import llt_geo  # noqa: E402
from llt_geo.screening import screen_frames  # noqa: E402


def _rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9


def halo_m(config: dict) -> float:
    """The halo exact grouping needs (amenities and sites need none: every tile has them whole)."""
    grp = config["grouping"]
    return float(grp["max_members"]) * float(grp["max_distance_m"])


def tiles(xy: np.ndarray, k: int, halo: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """``k x k`` tiles over the buildings: per tile the core's rows and the rows of core plus halo."""
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    edges_x = np.linspace(lo[0], hi[0], k + 1)
    edges_y = np.linspace(lo[1], hi[1], k + 1)
    ix = np.clip(np.searchsorted(edges_x, xy[:, 0], side="right") - 1, 0, k - 1)
    iy = np.clip(np.searchsorted(edges_y, xy[:, 1], side="right") - 1, 0, k - 1)
    out = []
    for i in range(k):
        for j in range(k):
            core = np.flatnonzero((ix == i) & (iy == j))
            x0, x1 = edges_x[i] - halo, edges_x[i + 1] + halo
            y0, y1 = edges_y[j] - halo, edges_y[j + 1] + halo
            near = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
            out.append((core, np.flatnonzero(near)))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of buildings")
    parser.add_argument("--tiles", type=int, default=4, help="tiles per side")
    parser.add_argument("--halo", type=float, help="halo in metres (default: what grouping needs)")
    args = parser.parse_args(argv)

    ds = llt_geo.load_demo()
    inputs = _inputs(ds)
    screen_frames(ds.flats, **inputs)  # warm-up
    buildings = make_buildings(ds, args.n)
    xy = shapely.get_coordinates(buildings.geometry.to_numpy())
    halo = halo_m(inputs["config"]) if args.halo is None else args.halo
    base_rss = _rss_gb()

    t0 = time.perf_counter()
    whole = screen_frames(buildings, **inputs)
    t_whole = time.perf_counter() - t0
    rss_whole = _rss_gb()
    print(f"one run: {args.n:,} buildings in {t_whole:.2f} s, peak RSS {rss_whole:.2f} GB "
          f"({base_rss:.2f} GB before)", flush=True)  # fmt: skip

    flats_parts, cand_parts, report = [], [], []
    for core, near in tiles(xy, args.tiles, halo):
        if not len(core):
            continue
        gc.collect()
        t0 = time.perf_counter()
        part = screen_frames(buildings.iloc[near], **inputs)
        dt = time.perf_counter() - t0
        is_core = np.isin(near, core)
        flats = part.flats[is_core]
        flats_parts.append(flats)
        keep = part.candidates["candidate_id"].isin(flats["candidate_id"])
        cand_parts.append(part.candidates[keep.to_numpy(dtype=bool)])
        report.append((len(core), len(near), dt))
        del part

    flats = pd.concat(flats_parts).sort_index()
    cands = pd.concat(cand_parts).drop_duplicates("candidate_id")  # a group across an edge: in both tiles
    order = np.argsort(cands["candidate_id"].astype(str).to_numpy(), kind="stable")
    cands = cands.iloc[order].reset_index(drop=True)
    differ = (flats["group_id"].fillna("-") != whole.flats["group_id"].fillna("-")) | (
        flats["crowded"] != whole.flats["crowded"]
    )
    if differ.any():
        raise SystemExit(f"halo {halo:.0f} m: {int(differ.sum()):,} buildings grouped differently from the one run")
    pd.testing.assert_frame_equal(flats, whole.flats, check_exact=True)
    # values exactly; a column's dtype may differ (a tile whose halo holds a group has object ids)
    pd.testing.assert_frame_equal(cands, whole.candidates, check_exact=True, check_dtype=False)

    cores = np.array([r[0] for r in report])
    nears = np.array([r[1] for r in report])
    secs = np.array([r[2] for r in report])
    print(
        f"{len(report)} tiles of {args.tiles} x {args.tiles}, halo {halo:.0f} m: core {cores.min():,}-{cores.max():,} "
        f"buildings, with halo {nears.min():,}-{nears.max():,} ({nears.sum() / cores.sum():.2f}x the buildings "
        f"screened); {secs.sum():.2f} s in all one after another (largest tile {secs.max():.2f} s); peak RSS of the "
        f"process {_rss_gb():.2f} GB (the one run's peak was reached first)"
    )
    print(
        f"same answers: flats table {len(flats):,} rows x {flats.shape[1]} columns and candidates table "
        f"{len(cands):,} rows x {cands.shape[1]} columns equal to the one run's, exactly (candidates: values)"
    )


if __name__ == "__main__":
    main()
