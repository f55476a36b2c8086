"""Candidate discovery at city scale: every residential building of a synthetic Amsterdam, in seconds.

Run from the project root::

    .venv/bin/python benchmarks/bench_discovery.py              # 200,000 and 500,000 buildings
    .venv/bin/python benchmarks/bench_discovery.py --sizes 200000 --no-write

The BAG of the whole city is not in ``../shared/data/real`` (only a sample), so the buildings are
synthetic and BAG-like, spread over the demo's stadsdelen: Amsterdam has about 180,000 panden
with a dwelling and about 470,000 dwellings (BAG, CBS), so 200,000 buildings are the city's size
(about 600,000 dwellings: 97.6 % houses and small buildings of 1-19, 2 % blocks of 20-99 and 0.4 %
of 100-300 dwellings), and 500,000 a margin above it. Half the blocks and 2 % of the small
buildings belong to one of eight corporations (the owner is known), the rest have no known
owner; 3 % have only an estimated number of dwellings (as from 3D footprints), 1 % none.

* **llt_geo**: :func:`llt_geo.discovery.discover_candidates` — the size filter (alone, or one
  owner's cluster within the grouping distance), the register match, then the full screening of
  what could meet the size criterion (all criteria, areas, focus, nearest site, amenities,
  grouping).
* **peer**, what a competent geopandas user writes: keep the buildings with 100 or more counted
  dwellings, then ``bench_city.peer_screen`` (``sjoin`` with wijken and stadsdelen,
  ``sjoin_nearest`` for the nearest site, ``sjoin(predicate="dwithin")`` + ``groupby`` for the
  amenities). It finds no clusters, no estimates and no register matches.

The answers are compared on the buildings both select (counted, 100 or more, not matched):
the same buildings, the same wijk and stadsdelen (boundary cases as in bench_city), nearest
site, distance and amenity counts. Results go between the ``discovery`` markers of README.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from bench_city import compare, peer_screen  # noqa: E402
from bench_screening import _inputs, _peak_rss_bytes  # noqa: E402
from benchinfo import fmt_s, load_average, machine, run_child, times, write_section  # noqa: E402

import llt_geo  # noqa: E402
from llt_geo.demo import demo_folder  # noqa: E402
from llt_geo.discovery import discover_candidates  # noqa: E402

SIZES = (200_000, 500_000)
SEED = 2030
README = Path(__file__).with_name("README.md")
START, END = "<!-- discovery:start -->", "<!-- discovery:end -->"
OWNERS = (
    "Ymere",
    "Eigen Haard",
    "Stadgenoot",
    "Rochdale",
    "De Alliantie",
    "Woonzorg Nederland",
    "Lieven de Key",
    "Habion",
)


def make_bag_like(ds: llt_geo.Dataset, n: int, seed: int = SEED) -> gpd.GeoDataFrame:
    """``n`` BAG-like buildings over the demo's stadsdelen (see the module docstring)."""
    rng = np.random.default_rng(seed)
    city = shapely.union_all(ds.stadsdelen.geometry.to_numpy())
    shapely.prepare(city)
    xmin, ymin, xmax, ymax = city.bounds
    xs, ys, have = [], [], 0
    while have < n:
        m = 2 * (n - have) + 64
        x, y = rng.uniform(xmin, xmax, m), rng.uniform(ymin, ymax, m)
        keep = shapely.contains_xy(city, x, y)
        xs.append(x[keep])
        ys.append(y[keep])
        have += int(keep.sum())
    x, y = np.concatenate(xs)[:n], np.concatenate(ys)[:n]
    size_class = rng.random(n)
    big, medium = size_class < 0.004, (size_class >= 0.004) & (size_class < 0.024)
    dwellings = np.select(
        [big, medium],
        [rng.integers(100, 301, n), rng.integers(20, 100, n)],
        np.clip(np.round(rng.lognormal(-0.3, 0.8, n)), 1, 19),
    ).astype(float)
    estimated = rng.random(n) < 0.03
    unknown = rng.random(n) < 0.01
    count = np.where(estimated | unknown, np.nan, dwellings)
    estimate = np.where(estimated & ~unknown, np.round(dwellings * rng.uniform(0.8, 1.2, n)), np.nan)
    # corporations own the apartment blocks, rarely a house
    owned = rng.random(n) < np.where(big | medium, 0.5, 0.02)
    owner = np.where(owned, np.array(OWNERS, dtype=object)[rng.integers(0, len(OWNERS), n)], None)
    return gpd.GeoDataFrame(
        {
            "building_id": pd.array(np.char.mod("0363100012%06d", np.arange(n)), dtype="string"),
            "n_dwellings": pd.array(count, dtype="Float64").astype("Int64"),
            "n_dwellings_estimate": estimate,
            "owner": pd.array(owner, dtype="string"),
            "building_year": rng.integers(1900, 2024, n),
        },
        geometry=gpd.points_from_xy(x, y),
        crs="EPSG:28992",
    )


def run_size(n: int, repeats: int) -> dict:
    ds = llt_geo.load_dataset(demo_folder())
    inputs = _inputs(ds)
    t0 = time.perf_counter()
    buildings = make_bag_like(ds, n)
    gen_s = time.perf_counter() - t0
    register = ds.flats[["flat_id", "geometry"]]
    # warm-up on a small slice, both sides
    discover_candidates(buildings.iloc[:2000], register=register, **inputs)
    peer_screen(buildings.iloc[:2000], inputs)
    llt_s, peer_s, result, peer = [], [], None, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = discover_candidates(buildings, register=register, **inputs)
        llt_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        chosen = buildings[(buildings["n_dwellings"] >= 100).fillna(False).to_numpy(bool)]
        peer = peer_screen(chosen, inputs)
        peer_s.append(time.perf_counter() - t0)
    b = result.buildings
    counts = b["discovery"].value_counts().to_dict()
    # compare where both select the same building: counted, >= 100, not matched to the register
    flats = result.screening.flats
    single = flats[flats["group_id"].isna()].set_index("flat_id")
    both = chosen[~chosen["building_id"].isin(b.loc[b["discovery"] == "in_register", "building_id"])]
    ids = both["building_id"].astype(str).to_numpy()
    missing = set(ids) - set(single.index.astype(str))
    if missing:
        raise SystemExit(f"llt_geo did not select {len(missing)} buildings the peer selected")
    kinds = list(inputs["config"]["eligibility"]["amenity_kinds"])
    peer_both = peer.set_axis(chosen["building_id"].astype(str).to_numpy()).loc[ids].reset_index(drop=True)
    llt_both = single.loc[ids].reset_index(drop=True)
    llt_both = gpd.GeoDataFrame(llt_both, geometry="geometry", crs="EPSG:28992")
    agreement = compare(llt_both, peer_both, kinds, inputs)
    cands = result.candidates
    return {
        "n": n,
        "generate_s": gen_s,
        "llt_s": llt_s,
        "peer_s": peer_s,
        "counts": {k: int(v) for k, v in counts.items()},
        "dwellings": int(np.nansum(b["n_dwellings"].to_numpy(float, na_value=np.nan))),
        "candidates": int(len(cands)),
        "groups": int(cands["is_group"].sum()),
        "crowded": int(b["crowded"].sum()),
        "eligibility": {k: int(v) for k, v in cands["eligibility"].value_counts().sort_index().items()},
        "agreement": agreement,
        "peer_selected": int(len(chosen)),
        "peak_gb": _peak_rss_bytes() / 1e9,
    }


def report(results: list[dict], info: dict, wall: float) -> str:
    lines = [
        f"Measured {info['date']} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM; Python "
        f"{info['python']}, pandas {info['pandas']}, geopandas {gpd.__version__}, shapely {shapely.__version__}, "
        f"llt_geo {info['llt_geo']} at {info['code']}. Whole run: {wall:.0f} s; load average {load_average()} "
        "at the end.",
        "",
        "| buildings | dwellings | llt_geo `discover_candidates` | peer (filter + sjoin) | llt_geo vs peer "
        "| found by llt_geo | found by the peer |",
        "|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in results:
        c = r["counts"]
        found = (
            f"{r['candidates']:,} candidates ({r['groups']:,} owner clusters) from {c.get('candidate', 0):,} "
            f"buildings alone and {c.get('in_cluster', 0):,} in clusters; {c.get('in_register', 0):,} already in "
            f"the register; {c.get('no_dwellings', 0):,} without a dwelling figure; {r['crowded']:,} small "
            "buildings in clusters too large to group"
        )
        llt, peer = min(r["llt_s"]), min(r["peer_s"])
        lines.append(
            f"| {r['n']:,} | {r['dwellings']:,} | {fmt_s(llt)} | {fmt_s(peer)} | {times(llt / peer)} | {found} "
            f"| {r['peer_selected']:,} |"
        )
    lines.append("")
    for r in results:
        a = r["agreement"]
        lines.append(
            f"* {r['n']:,}: on the {a['n']:,} buildings both select, the same wijk {a['same_wijk_code']:,}, "
            f"stadsdeel {a['same_stadsdeel_code']:,} (differences only at flagged boundaries or where the demo's "
            f"buurten and wijken do not nest), nearest site {a['same_nearest_site']:,}, amenity counts "
            f"{a['same_amenity_counts']:,}; outcomes {r['eligibility']}; peak memory {r['peak_gb']:.2f} GB "
            f"(best of {len(r['llt_s'])})."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        import json

        print(json.dumps(run_size(args.child, args.repeats)))
        return
    t0 = time.perf_counter()
    results = [run_child(__file__, ["--child", str(n), "--repeats", str(args.repeats)]) for n in args.sizes]
    info = machine()
    text = report(results, info, time.perf_counter() - t0)
    print(text)
    if not args.no_write:
        write_section(README, START, END, text, "## Candidate discovery at city scale: `bench_discovery.py`")


if __name__ == "__main__":
    main()
