"""Benchmark of the partner choice: weight robustness and exact assignment, against MCDA / MILP libraries.

Run from the project root (needs the ``bench`` extra: ``pip install -e .[bench]``)::

    .venv/bin/python benchmarks/bench_partners.py

What it does:

* Synthetic aspect scores, shaped like :func:`llt_geo.partners.aspect_scores` output
  (``candidate_id``, ``provider_id``, ``<aspect>_score`` for the five aspects of
  :data:`llt_geo.partners.ASPECTS`, ``score``, ``rank``), built from made-up flats, wijken,
  provider presence, intramural sites, a residents' survey and existing clients (fixed seed).
* Robustness: :func:`llt_geo.partners.weight_robustness` with 10,000 Dirichlet weight draws,
  best of 3, against a per-draw Python loop with pymcdm's weighted sum model (``WSM``) over all
  pairs and the best provider per flat, timed on a sample of draws and extrapolated. Every size
  runs in its own subprocess (peak resident memory ``ru_maxrss`` per size) under an address
  space limit, so a size that does not fit fails with ``MemoryError`` instead of swapping the
  machine. The first-ranked provider per flat and draw is compared with the library's.
* Assignment: :func:`llt_geo.partners.assign_providers` (column generation on one persistent
  highspy model, warm re-solves) with capacities that bind, for 500 x 20 up to 50,000 x 50 pairs,
  against (1) llt_geo before issue 21: the same column generation with every LP solved from
  scratch by scipy's ``linprog``; (2) a single HiGHS LP over all pairs through highspy, the model
  ``assign_providers`` states (maximise the sum of ``1 + score``, at most one provider per flat,
  capacity per provider; re-solved warm with a weight per flat above any score sum should a
  maximum flow show it left a flat out); (3) PuLP with CBC (binary ``x[flat, provider]``; most
  flats assigned, then the highest total score) up to 250,000 pairs. Checked: the number assigned,
  the total score, and the provider per flat (the peers' optima after llt_geo's tie-break).
  CPU time over wall time gives the cores each side used.

The figures are printed as a markdown table and written between the partners markers of
``benchmarks/README.md`` (``--no-write`` leaves the README alone).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from benchinfo import (
    cbc_version,
    fmt_s,
    load_average,
    machine,
    package_version,
    run_child,
    source_hash,
    times,
    write_section,
)

from llt_geo import partners
from llt_geo.config import default_config
from llt_geo.partners import ASPECTS, assign_providers, weight_robustness

SEED = 2030
DRAWS = 10_000
CONCENTRATION = 50.0
LIBRARY_SAMPLE = 200  # draws timed with the pymcdm loop, extrapolated to DRAWS
FALLBACK_DRAWS = 1_000  # draws tried when DRAWS do not fit in memory
ROBUST_SIZES = ((500, 12), (1_000, 20), (5_000, 50))  # flats x providers
ASSIGN_SIZES = ((500, 20), (5_000, 50), (20_000, 50), (50_000, 50))
ASSIGN_REPEATS_UP_TO = 250_000  # pairs: best of 3 up to this size, one run above (minutes each)
PULP_MAX_PAIRS = 250_000  # PuLP + CBC took 458 s at 250,000 pairs: not run above
MEMORY_LIMIT = 16e9  # address space of a robustness child (bytes): fail rather than swap (24 GiB machine)
PULP_TIME_LIMIT = 1_200  # seconds per CBC solve
TARGET_ROBUST_S = 2.0
TARGET_SPEEDUP = 20.0
TARGET_ASSIGN_S = 1.0

README = Path(__file__).with_name("README.md")
HEADING = "## Partners: `bench_partners.py`"
START, END = "<!-- partners:start -->", "<!-- partners:end -->"

ASPECT_KEYS = list(ASPECTS)
SCORE_COLS = [f"{a}_score" for a in ASPECT_KEYS]


# --------------------------------------------------------------------------------------------
# Synthetic aspect scores
# --------------------------------------------------------------------------------------------


def config_weights() -> np.ndarray:
    """The configured weights of the aspects (the package defaults), in the order of ``ASPECTS``."""
    care = default_config()["care"]
    return np.array([float(care[key]) for key, _name, _section in ASPECTS.values()])


def make_scores(n_flats: int, n_providers: int, seed: int = SEED) -> pd.DataFrame:
    """Aspect scores of ``n_flats`` flats against ``n_providers`` eligible providers, every pair.

    Scaled as :func:`llt_geo.partners.aspect_scores` does (``docs/partners.md``), from made-up data:
    flats spread over 15 x 15 km in 100 wijken of 1.5 km; providers of varying size (a few big
    ones, so their capacity binds) present in some wijken with clients and agreements with GPs
    and first-line care; 1-6 intramural sites each; a survey in 60 % of the flats; existing
    clients of a few providers per flat. About 5 % of each aspect is unknown and scores 0.
    """
    rng = np.random.default_rng(seed)
    care = default_config()["care"]
    n, m = n_flats, n_providers
    xy = rng.uniform(0, 15_000, (n, 2))
    wijk = (xy[:, 0] // 1_500).astype(int) * 10 + (xy[:, 1] // 1_500).astype(int)
    size = rng.lognormal(0.0, 0.6, m)  # provider size: presence, sites, survey popularity
    # bekend in de wijk + samenwerkingsverbanden: per wijk and provider
    present = rng.random((100, m)) < np.minimum(0.9, 0.3 * size)
    clients = np.where(present, rng.poisson(15 * size, (100, m)), 0)
    gp = present & (rng.random((100, m)) < 0.6)
    fl = present & (rng.random((100, m)) < 0.5)
    known = rng.random((n, m)) > 0.05
    known_in_wijk = np.where(known, np.minimum(1.0, clients[wijk] / float(care["known_in_wijk_full_clients"])), 0.0)
    cooperation = np.where(rng.random((n, m)) > 0.05, (gp[wijk].astype(float) + fl[wijk]) / 2, 0.0)
    # intramurale locatie in directe nabijheid: nearest own site within intramural_nearby_m
    n_sites = np.clip(1 + rng.poisson(1.5 * size), 1, 6)
    owner = np.repeat(np.arange(m), n_sites)
    sites = rng.uniform(0, 15_000, (len(owner), 2))
    dist = np.full((n, m), np.inf)
    for p in range(m):
        d = np.hypot(xy[:, None, 0] - sites[owner == p, 0], xy[:, None, 1] - sites[owner == p, 1])
        dist[:, p] = d.min(axis=1)
    intramural = np.clip(1 - dist / float(care["intramural_nearby_m"]), 0, 1)
    # stem van de bewoners: share of respondents preferring each provider (some say none)
    surveyed = rng.random(n) < 0.6
    respondents = rng.integers(10, 61, n)
    popularity = size * (1 + 2 * present[wijk])
    probs = np.column_stack([popularity, np.full(n, 0.3 * popularity.sum(axis=1).mean())])
    probs /= probs.sum(axis=1, keepdims=True)
    prefs = np.array([rng.multinomial(r, p) for r, p in zip(respondents, probs, strict=True)])[:, :m]
    voice = np.where(surveyed[:, None], prefs / respondents[:, None], 0.0)
    # bestaande cliënten in de flat: a few providers per flat already have clients there
    has_clients = rng.random((n, m)) < np.minimum(0.5, 2.5 / m * size)
    n_clients = np.where(has_clients, 1 + rng.poisson(5 * size, (n, m)), 0)
    counted = rng.random(n) > 0.1
    existing = np.where(counted[:, None], np.minimum(1.0, n_clients / float(care["existing_clients_full"])), 0.0)

    aspect = {
        "known_in_wijk": known_in_wijk,
        "cooperation": cooperation,
        "intramural_nearby": intramural,
        "residents_voice": voice,
        "existing_clients": existing,
    }
    out = pd.DataFrame(
        {
            "candidate_id": np.repeat(np.char.mod("C%05d", np.arange(1, n + 1)).astype(object), m),
            "provider_id": np.tile(np.char.mod("P%03d", np.arange(1, m + 1)).astype(object), n),
            **{f"{a}_score": aspect[a].ravel() for a in ASPECT_KEYS},
        }
    )
    w = config_weights()
    out["score"] = out[SCORE_COLS].to_numpy() @ w / w.sum()
    out = out.sort_values(["candidate_id", "score", "provider_id"], ascending=[True, False, True], kind="stable")
    out["rank"] = out.groupby("candidate_id", sort=False).cumcount() + 1
    return out.reset_index(drop=True)


def make_capacity(n_flats: int, n_providers: int, seed: int = SEED) -> pd.Series:
    """Random capacities of 0.5-1.5 times an equal share of the flats (50-150 for 5,000 x 50)."""
    rng = np.random.default_rng(seed + 1)
    share = n_flats / n_providers
    cap = rng.integers(round(0.5 * share), round(1.5 * share) + 1, n_providers)
    return pd.Series(cap, index=np.char.mod("P%03d", np.arange(1, n_providers + 1)).astype(object), name="capacity")


# --------------------------------------------------------------------------------------------
# Measurement helpers
# --------------------------------------------------------------------------------------------


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def _best_of(func, repeats: int) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return min(times), times, result


def _draws(weights: np.ndarray, draws: int, concentration: float, seed: int) -> np.ndarray:
    """The Dirichlet weight draws (aspects x draws), drawn as ``weight_robustness`` documents it."""
    rng = np.random.default_rng(seed)
    alpha = concentration * weights / weights.sum()
    out = np.zeros((len(weights), draws))
    live = alpha > 0
    out[live] = rng.dirichlet(alpha[live], size=draws).T
    return out


def _as_is(x: np.ndarray, cost: bool = False) -> np.ndarray:  # noqa: ARG001 - pymcdm's signature
    """No normalisation: the aspect scores are already on 0-1, all to maximise."""
    return x


# --------------------------------------------------------------------------------------------
# Robustness: llt_geo against a pymcdm loop
# --------------------------------------------------------------------------------------------


def library_loop(scores: pd.DataFrame, chosen: pd.DataFrame, w: np.ndarray) -> dict:
    """What a competent pymcdm user writes: per draw, WSM over all pairs, best provider per flat.

    ``w`` holds the draws (draws x aspects). Returns per flat the share of draws in which the
    chosen provider is first, and the first-ranked provider (column index) per draw and flat.
    """
    from pymcdm.methods import WSM

    s = scores.sort_values(["candidate_id", "provider_id"])
    flats = s["candidate_id"].unique()
    providers = np.sort(s["provider_id"].unique())
    matrix = s[SCORE_COLS].to_numpy(dtype=float)
    n_flats, n_prov = len(flats), len(providers)
    assert len(matrix) == n_flats * n_prov, "the benchmark's workload is a full grid of flats x providers"
    target = chosen.set_index("candidate_id")["provider_id"].reindex(flats)
    target_col = np.searchsorted(providers, target.to_numpy().astype(str))
    wsm = WSM(normalization_function=_as_is)
    types = np.ones(len(SCORE_COLS))
    stays = np.zeros(n_flats)
    first = np.empty((len(w), n_flats), dtype=np.int32)
    for k, weights in enumerate(w):
        pref = wsm(matrix, weights, types, validation=False)
        best = pref.reshape(n_flats, n_prov).argmax(axis=1)
        first[k] = best
        stays += best == target_col
    return {"flats": flats, "providers": providers, "share": stays / len(w), "first": first}


def _product_first(scores: pd.DataFrame, draw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First-ranked provider per draw and flat from ``weight_robustness``'s product (pairs @ draws),
    and whether that first place is tied (within 1e-12, the tolerance ``weight_robustness`` uses)."""
    s = scores.sort_values(["candidate_id", "provider_id"])
    n_prov = s["provider_id"].nunique()
    a = s[SCORE_COLS].to_numpy(dtype=float)
    per_draw = (a @ draw).reshape(-1, n_prov, draw.shape[1])  # flats x providers x draws
    best = per_draw.argmax(axis=1).T  # draws x flats
    top = np.sort(per_draw, axis=1)
    tied = (top[:, -1, :] - top[:, -2, :] <= 1e-12).T if n_prov > 1 else np.zeros_like(best, dtype=bool)
    return best, tied


def _product_share(scores: pd.DataFrame, chosen: pd.DataFrame, draw: np.ndarray, chunk: int = 500) -> np.ndarray:
    """Share of draws in which the chosen provider is first, by the same product, in chunks of draws."""
    s = scores.sort_values(["candidate_id", "provider_id"])
    flats = s["candidate_id"].unique()
    providers = np.sort(s["provider_id"].unique())
    a = s[SCORE_COLS].to_numpy(dtype=float).reshape(len(flats), len(providers), -1)
    col = np.searchsorted(providers, chosen.set_index("candidate_id")["provider_id"].reindex(flats).astype(str))
    mine = a[np.arange(len(flats)), col]  # flats x aspects
    hits = np.zeros(len(flats))
    for k in range(0, draw.shape[1], chunk):
        d = draw[:, k : k + chunk]
        best = (a.reshape(-1, a.shape[2]) @ d).reshape(len(flats), len(providers), -1).max(axis=1)
        hits += (mine @ d >= best - 1e-12).sum(axis=1)
    return hits / draw.shape[1]


def run_robust(n_flats: int, n_providers: int, repeats: int) -> dict:
    resource.setrlimit(resource.RLIMIT_AS, (int(MEMORY_LIMIT), int(MEMORY_LIMIT)))
    t0 = time.perf_counter()
    scores = make_scores(n_flats, n_providers)
    generate_s = time.perf_counter() - t0
    chosen = scores.loc[scores["rank"] == 1, ["candidate_id", "provider_id"]].reset_index(drop=True)
    w0 = config_weights()
    weight_robustness(scores.head(10 * n_providers), chosen.head(10), w0, draws=10, seed=SEED)  # warm-up
    out = {
        "n_flats": n_flats,
        "n_providers": n_providers,
        "pairs": len(scores),
        "generate_s": generate_s,
        "aspect_means": {a: float(scores[f"{a}_score"].mean()) for a in ASPECT_KEYS},
        "aspect_zero_shares": {a: float((scores[f"{a}_score"] == 0).mean()) for a in ASPECT_KEYS},
        "rss_before_bytes": _peak_rss_bytes(),
    }

    def call(draws: int):
        return weight_robustness(scores, chosen, w0, draws=draws, concentration=CONCENTRATION, seed=SEED)

    per = None
    for draws in (DRAWS, FALLBACK_DRAWS):
        try:
            best, times, (per, _pairs) = _best_of(lambda d=draws: call(d), repeats)
        except MemoryError as exc:
            out.setdefault("memory_errors", []).append({"draws": draws, "message": str(exc)[:200]})
            gc.collect()
            continue
        out.update(draws=draws, best_s=best, times_s=times, rss_peak_bytes=_peak_rss_bytes(), n_pairs_rows=len(_pairs))
        del _pairs
        break
    if per is None:
        return out
    draws = out["draws"]
    gc.collect()
    # the library loop, timed on a sample of draws: its setup (sorting, the matrix) is in the time
    sample = min(LIBRARY_SAMPLE, draws)
    w_sample = _draws(w0, sample, CONCENTRATION, SEED).T  # the first `sample` of weight_robustness's draws
    t0 = time.perf_counter()
    lib = library_loop(scores, chosen, w_sample)
    lib_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    library_loop(scores, chosen, w_sample[:1])
    setup_s = time.perf_counter() - t0  # one draw: about the setup
    per_draw_s = (lib_s - setup_s) / (sample - 1)
    out.update(
        library_sample=sample,
        library_sample_s=lib_s,
        library_per_draw_s=per_draw_s,
        library_setup_s=setup_s,
        library_at_draws_s=setup_s + per_draw_s * (draws - 1),
        library_at_10k_s=setup_s + per_draw_s * (DRAWS - 1),
    )
    # agreement 1: first-ranked provider per draw and flat, the library against the product
    all_draws = _draws(w0, draws, CONCENTRATION, SEED)
    assert np.array_equal(all_draws[:, :sample], w_sample.T)  # the sample is the first `sample` draws
    prod_first, tied = _product_first(scores, all_draws[:, :sample])
    same = prod_first == lib["first"]
    out.update(
        cells=int(same.size),
        cells_same=int(same.sum()),
        cells_tied=int(tied.sum()),
        cells_differ_untied=int((~same & ~tied).sum()),
    )
    # agreement 2: weight_robustness's stays_first_share on the sample's draws against the library's
    per_sample, _ = weight_robustness(scores, chosen, w0, draws=sample, concentration=CONCENTRATION, seed=SEED)
    ours = per_sample.set_index("candidate_id")["stays_first_share"].reindex(lib["flats"]).to_numpy()
    out.update(share_flats=len(ours), share_same_sample=int(np.sum(np.abs(ours - lib["share"]) < 1e-12)))
    # agreement 3: weight_robustness's shares over all its draws against the product computed in chunks
    ours_all = per.set_index("candidate_id")["stays_first_share"].reindex(lib["flats"]).to_numpy()
    reproduced = _product_share(scores, chosen, all_draws)
    out.update(
        share_same_all=int(np.sum(np.abs(ours_all - reproduced) < 1e-12)),
        mean_stays_first=float(np.mean(ours_all)),
        flats_always_first=int(np.sum(ours_all == 1)),
    )
    return out


# --------------------------------------------------------------------------------------------
# Assignment: llt_geo against PuLP + CBC
# --------------------------------------------------------------------------------------------


def pulp_assign(scores: pd.DataFrame, capacity: pd.Series) -> dict:
    """What a competent PuLP user writes: binary x[flat, provider], at most one provider per flat,
    capacity per provider; first the most flats assigned, then (that number fixed) the highest
    total score. Two CBC solves."""
    import pulp

    t0 = time.perf_counter()
    prob = pulp.LpProblem("voorkeursaanbieder", pulp.LpMaximize)
    x = {
        (c, p): pulp.LpVariable(f"x_{c}_{p}", cat=pulp.LpBinary)
        for c, p in zip(scores["candidate_id"], scores["provider_id"], strict=True)
    }
    score = dict(zip(x, scores["score"], strict=True))
    by_flat: dict[str, list] = {}
    by_prov: dict[str, list] = {}
    for (c, p), var in x.items():
        by_flat.setdefault(c, []).append(var)
        by_prov.setdefault(p, []).append(var)
    for c, vs in by_flat.items():
        prob += pulp.lpSum(vs) <= 1, f"one_{c}"
    for p, vs in by_prov.items():
        prob += pulp.lpSum(vs) <= int(capacity.get(p, 0)), f"cap_{p}"
    assigned = pulp.lpSum(x.values())
    prob.setObjective(assigned)
    build_s = time.perf_counter() - t0
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=PULP_TIME_LIMIT)
    t0 = time.perf_counter()
    status1 = pulp.LpStatus[prob.solve(solver)]
    solve1_s = time.perf_counter() - t0
    n_assigned = round(pulp.value(assigned))
    t0 = time.perf_counter()
    prob += assigned >= n_assigned, "most_assigned"
    prob.setObjective(pulp.lpSum(score[k] * v for k, v in x.items()))
    build2_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    status2 = pulp.LpStatus[prob.solve(solver)]
    solve2_s = time.perf_counter() - t0
    pick = {c: p for (c, p), v in x.items() if v.varValue is not None and v.varValue > 0.5}
    return {
        "status": f"{status1} / {status2}",
        "build_s": build_s + build2_s,
        "solve1_s": solve1_s,
        "solve2_s": solve2_s,
        "total_s": build_s + solve1_s + build2_s + solve2_s,
        "pick": pick,
        "assigned": len(pick),
        "total_score": float(sum(score[(c, p)] for c, p in pick.items())),
    }


class LinprogLP:
    """llt_geo before issue 21: the same column generation, every LP solved from scratch by scipy's
    ``linprog`` (HiGHS dual simplex; it cannot warm-start). The interface of
    :class:`llt_geo.partners._AssignmentLP`, put in its place for the "before" timing."""

    def __init__(self, n: int, cap: np.ndarray):
        self.n, self.cap = n, np.asarray(cap, dtype=float)
        self.ci, self.pi, self.gain = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)

    def add(self, ci, pi, gain) -> None:
        self.ci, self.pi, self.gain = np.r_[self.ci, ci], np.r_[self.pi, pi], np.r_[self.gain, gain]

    def set_gain(self, gain) -> None:
        self.gain = np.asarray(gain, dtype=float)

    def solve(self):
        from scipy import sparse
        from scipy.optimize import linprog

        m = len(self.ci)
        a = sparse.csr_matrix(
            (np.ones(2 * m), (np.r_[self.ci, self.n + self.pi], np.r_[np.arange(m), np.arange(m)])),
            shape=(self.n + len(self.cap), m),
        )
        res = linprog(-self.gain, A_ub=a, b_ub=np.r_[np.ones(self.n), self.cap], bounds=(0, 1), method="highs-ds")
        if res.status != 0:
            raise RuntimeError(res.message)
        return np.round(res.x).astype(bool), -res.ineqlin.marginals


def _before(scores: pd.DataFrame, capacity: pd.Series) -> pd.DataFrame:
    engine = partners._AssignmentLP
    partners._AssignmentLP = LinprogLP
    try:
        return assign_providers(scores, capacity)
    finally:
        partners._AssignmentLP = engine


def _codes(scores: pd.DataFrame, capacity: pd.Series):
    cand_ids = np.array(sorted(scores["candidate_id"].astype(str).unique()), dtype=object)
    prov_ids = np.array(sorted(map(str, capacity.index)), dtype=object)
    ci = pd.Categorical(scores["candidate_id"].astype(str), categories=cand_ids).codes.astype(np.int64)
    pi = pd.Categorical(scores["provider_id"].astype(str), categories=prov_ids).codes.astype(np.int64)
    cap = capacity.reindex(prov_ids).fillna(0).to_numpy(dtype=float)
    return cand_ids, prov_ids, ci, pi, scores["score"].to_numpy(dtype=float), cap


def highs_peer(scores: pd.DataFrame, capacity: pd.Series) -> dict:
    """The fair peer: one HiGHS LP over all pairs through highspy, the model ``assign_providers``
    states: maximise ``sum((1 + score) * x)`` with at most one provider per flat and ``capacity`` per
    provider, ``0 <= x <= 1`` (totally unimodular: the simplex optimum is integral). A maximum flow
    checks that it assigns the most flats; should it not, the gains become ``n + 1 + score`` (one
    more flat outweighs any score sum) and the same model is re-solved from its basis (warm).
    HiGHS's defaults: dual simplex, serial for an LP (``parallel = choose``)."""
    import highspy

    t0 = time.perf_counter()
    cand_ids, prov_ids, ci, pi, sc, cap = _codes(scores, capacity)
    n, m, k = len(cand_ids), len(prov_ids), len(sc)
    h = highspy._Highs()  # highspy.Highs would print its banner before output can be switched off
    h.setOptionValue("output_flag", False)
    empty = np.zeros(0, dtype=np.int32)
    h.addRows(n + m, np.full(n + m, -highspy.kHighsInf), np.r_[np.ones(n), cap], 0, empty, empty, np.zeros(0))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    index = np.empty(2 * k, dtype=np.int32)
    index[0::2], index[1::2] = ci, n + pi
    starts = np.arange(0, 2 * k, 2, dtype=np.int32)
    h.addCols(k, 1.0 + sc, np.zeros(k), np.ones(k), 2 * k, starts, index, np.ones(2 * k))
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    h.run()
    solve_s = [time.perf_counter() - t0]
    iterations = [int(h.getInfo().simplex_iteration_count)]
    x = np.asarray(h.getSolution().col_value) > 0.5
    gain = 1.0 + sc
    if x.sum() < partners._max_assignable(ci, pi, n, cap):
        gain = n + 1.0 + sc
        h.changeColsCost(k, np.arange(k, dtype=np.int32), gain)
        t0 = time.perf_counter()
        h.run()
        solve_s.append(time.perf_counter() - t0)
        iterations.append(int(h.getInfo().simplex_iteration_count))
        x = np.asarray(h.getSolution().col_value) > 0.5
    solution = h.getSolution()
    fractional = float(np.abs(np.asarray(solution.col_value) - x).max(initial=0))
    duals = np.asarray(solution.row_dual)
    return {
        "status": h.modelStatusToString(h.getModelStatus()),
        "threads_option": int(h.getOptionValue("threads")[1]),
        "parallel_option": str(h.getOptionValue("parallel")[1]),
        "build_s": build_s,
        "solve_s": solve_s,
        "iterations": iterations,
        "fractional": fractional,
        "x": x,
        "gain": gain,
        "duals": duals,
        "codes": (cand_ids, prov_ids, ci, pi, sc, cap),
    }


def _peer_frame(peer: dict, tie_break: bool) -> pd.DataFrame:
    """The peer's answer per flat, as it came or after llt_geo's tie-break (same optimum, canonical)."""
    cand_ids, prov_ids, ci, pi, sc, cap = peer["codes"]
    chosen = np.full(len(cand_ids), -1)
    pairs = np.flatnonzero(peer["x"])
    chosen[ci[pairs]] = pairs
    if tie_break:
        chosen = partners._break_ties(chosen, ci, pi, peer["gain"], peer["duals"], cap)
    has = chosen >= 0
    return pd.DataFrame(
        {
            "candidate_id": cand_ids,
            "provider_id": np.where(has, prov_ids[pi[np.maximum(chosen, 0)]], None),
            "score": np.where(has, sc[np.maximum(chosen, 0)], np.nan),
        }
    )


def _timed(func, repeats: int) -> tuple[float, list[float], float, object]:
    """Best wall time of ``repeats`` calls, all wall times, CPU time (all threads) of the best call."""
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        result = func()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    best = int(np.argmin(walls))
    return walls[best], walls, cpus[best], result


def _summary(frame: pd.DataFrame, capacity: pd.Series) -> dict:
    got = frame.dropna(subset=["provider_id"])
    used = got["provider_id"].value_counts().reindex(capacity.index).fillna(0)
    return {
        "assigned": len(got),
        "total_score": float(got["score"].sum()),
        "capacity_ok": bool((used <= capacity).all()),
    }


def _same(a: pd.DataFrame, b: pd.DataFrame) -> int:
    left = a.set_index("candidate_id")["provider_id"].astype(object).fillna("-")
    right = b.set_index("candidate_id")["provider_id"].astype(object).fillna("-").reindex(left.index)
    return int((left == right).sum())


def run_assign(n_flats: int, n_providers: int, repeats: int, pulp_max_pairs: int = PULP_MAX_PAIRS) -> dict:
    scores = make_scores(n_flats, n_providers)
    capacity = make_capacity(n_flats, n_providers)
    repeats = repeats if len(scores) <= ASSIGN_REPEATS_UP_TO else 1
    small = scores[scores["candidate_id"].isin(scores["candidate_id"].unique()[:20])]
    assign_providers(small, capacity)  # warm-up
    _before(small, capacity)
    rss_before = _peak_rss_bytes()
    best, walls, cpu, chosen = _timed(lambda: assign_providers(scores, capacity), repeats)
    rss_after = _peak_rss_bytes()
    b_best, b_walls, b_cpu, before = _timed(lambda: _before(scores, capacity), repeats)
    rss_before_run = _peak_rss_bytes()
    p_best, p_walls, p_cpu, peer = _timed(lambda: highs_peer(scores, capacity), repeats)
    rss_peer = _peak_rss_bytes()
    peer_raw, peer_tied = _peer_frame(peer, False), _peer_frame(peer, True)
    first = scores[scores["rank"] == 1]
    wanted = first["provider_id"].value_counts().reindex(capacity.index).fillna(0)
    got = chosen.dropna(subset=["provider_id"])
    ours = _summary(chosen, capacity)
    out = {
        "n_flats": n_flats,
        "n_providers": n_providers,
        "pairs": len(scores),
        "repeats": repeats,
        "capacity_total": int(capacity.sum()),
        "capacity_range": [int(capacity.min()), int(capacity.max())],
        "providers_over_capacity_at_first_choice": int((wanted > capacity).sum()),
        "flats_not_at_first_choice": int(len(got) - (got.merge(first, on=["candidate_id", "provider_id"]).shape[0])),
        "best_s": best,
        "times_s": walls,
        "cpu_s": cpu,
        "rss_before_bytes": rss_before,
        "rss_peak_bytes": rss_after,
        "ours": ours,
        "before": {**_summary(before, capacity), "best_s": b_best, "times_s": b_walls, "cpu_s": b_cpu,
                   "rss_peak_bytes": rss_before_run, "same_provider": _same(chosen, before)},
        "peer": {**_summary(peer_raw, capacity), "best_s": p_best, "times_s": p_walls, "cpu_s": p_cpu,
                 "build_s": peer["build_s"], "solve_s": peer["solve_s"], "iterations": peer["iterations"],
                 "status": peer["status"], "threads_option": peer["threads_option"],
                 "parallel_option": peer["parallel_option"], "fractional": peer["fractional"],
                 "rss_peak_bytes": rss_peer, "same_provider_raw": _same(chosen, peer_raw),
                 "same_provider_tie_broken": _same(chosen, peer_tied)},
    }  # fmt: skip
    out["peer"]["score_diff"] = abs(ours["total_score"] - out["peer"]["total_score"])
    out["before"]["score_diff"] = abs(ours["total_score"] - out["before"]["total_score"])
    if len(scores) <= pulp_max_pairs:
        lp = pulp_assign(scores, capacity)
        same_provider = sum(
            lp["pick"].get(c) == p for c, p in zip(got["candidate_id"], got["provider_id"], strict=True)
        )
        out["pulp"] = {k: v for k, v in lp.items() if k != "pick"}
        out["pulp"]["same_provider"] = int(same_provider)
        out["pulp"]["score_diff"] = abs(ours["total_score"] - lp["total_score"])
    return out


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def _gb(n_bytes: float) -> str:
    return f"{n_bytes / 1e9:.2f} GB"


def _size(r: dict) -> str:
    return f"{r['n_flats']:,} × {r['n_providers']} = {r['pairs']:,}"


def report(robust: list[dict], assign: list[dict], info: dict, wall: float) -> str:
    ok = {True: "met", False: "**not met**"}
    lines = [
        f"Measured {info['date']} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, "
        f"{info['os']}; Python {info['python']}, numpy {info['numpy']}, pandas {info['pandas']}, "
        f"scipy {info['scipy']}, highspy {info['highspy']}, pymcdm {info['pymcdm']}, PuLP {info['pulp']} with CBC "
        f"{info['cbc']}, "
        f"llt_geo {info['llt_geo']} at {info['code']}; {info['source']}. Whole benchmark run: {wall:.0f} s; "
        f"load average (1, 5, 15 min) {info['load']}.",
        "",
        f"**Weight robustness** (`weight_robustness`, {DRAWS:,} Dirichlet draws, concentration "
        f"{CONCENTRATION:g}, best of 3) against a pymcdm `WSM` loop (one call per draw over all pairs, "
        f"then the best provider per flat), timed on the first {LIBRARY_SAMPLE} draws and **extrapolated "
        "linearly**:",
        "",
        "| flats × providers = pairs | draws | `weight_robustness` | peak memory (before → after) "
        f"| pymcdm loop, measured | pymcdm loop, extrapolated to {DRAWS:,} | speed-up "
        "| same first provider (draw × flat) | same stays-first share |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in robust:
        if "best_s" not in r:
            lines.append(f"| {_size(r)} | – | **MemoryError** at every draw count tried | – | – | – | – | – | – |")
            continue
        runs = ", ".join(f"{t:.2f}" for t in r["times_s"])
        at = r["library_at_10k_s"] if r["draws"] == DRAWS else r["library_at_draws_s"]
        fallback = r["draws"] != DRAWS
        at_draws = f" (at {r['draws']:,} draws)" if fallback else ""
        lines.append(
            f"| {_size(r)} | {r['draws']:,}{' (fallback)' if fallback else ''} | {fmt_s(r['best_s'])} "
            f"(best of 3: {runs} s) | {_gb(r['rss_before_bytes'])} → {_gb(r['rss_peak_bytes'])} "
            f"| {fmt_s(r['library_sample_s'])} for {r['library_sample']} draws "
            f"({r['library_per_draw_s'] * 1e3:.2f} ms per draw) "
            f"| {fmt_s(r['library_at_10k_s'])} | {times(at / r['best_s'])}{at_draws} "
            f"| {r['cells_same']:,} / {r['cells']:,} | {r['share_same_sample']:,} / {r['share_flats']:,} |"
        )
    errors = [(r, err) for r in robust for err in r.get("memory_errors", [])]
    if errors:
        lines.append("")
    for r, err in errors:
        lines.append(
            f"* {_size(r)} pairs, {err['draws']:,} draws: `MemoryError` under a {MEMORY_LIMIT / 1e9:.0f} GB "
            f"address-space limit ({err['message']}); the row gives {FALLBACK_DRAWS:,} draws instead."
        )
    lines += [
        "",
        "Peak memory is the child process's peak resident set size (`ru_maxrss`), before the first "
        "call (Python, the libraries and the scores) and after the three calls. The library time includes "
        "its setup (sorting the scores and taking the matrix, "
        + ", ".join(f"{fmt_s(r['library_setup_s'])}" for r in robust if "library_setup_s" in r)
        + ") once. Agreement: *same first provider* compares, for each of the "
        f"{LIBRARY_SAMPLE} sampled draws and every flat, the provider ranked first by pymcdm with the one "
        "ranked first by `weight_robustness`'s product (aspect scores × draws, recomputed with numpy on "
        "the same draws: the same generator, seed and parameters); *same stays-first share* compares "
        f"`weight_robustness(..., draws={LIBRARY_SAMPLE})`'s `stays_first_share` per flat with the library's "
        "share over the same draws. Also checked: `weight_robustness`'s shares over all its draws equal "
        "the product's recomputed in chunks of draws ("
        + "; ".join(
            f"{_size(r)}: {r['share_same_all']:,} / {r['share_flats']:,} flats" for r in robust if "best_s" in r
        )
        + "); untied first places that differ: "
        + ", ".join(f"{r['cells_differ_untied']}" for r in robust if "best_s" in r)
        + ".",
        "",
        "Targets for weight robustness (10,000 draws):",
        "",
    ]
    for r in robust:
        if r.get("draws") != DRAWS:
            lines.append(f"* {_size(r)} pairs: **not met**: 10,000 draws do not fit in memory (see above)")
            continue
        speed = r["library_at_10k_s"] / r["best_s"]
        same = r["cells_same"] == r["cells"] and r["share_same_sample"] == r["share_flats"]
        lines.append(
            f"* {_size(r)} pairs: under {TARGET_ROBUST_S:.0f} s: {ok[r['best_s'] < TARGET_ROBUST_S]} "
            f"({r['best_s']:.2f} s); at least {TARGET_SPEEDUP:.0f}x faster than the library loop: "
            f"{ok[speed >= TARGET_SPEEDUP]} ({times(speed)}); identical rankings on the sample: {ok[same]}"
        )
    lines += [
        "",
        "**Assignment** (`assign_providers`: column generation on one persistent highspy model, warm "
        f"re-solves; best of 3 up to {ASSIGN_REPEATS_UP_TO:,} pairs, one run above), capacities random "
        "between 0.5 and 1.5 times an equal share of the flats, against three peers in the same child "
        "process: *before*, llt_geo before issue 21 (the same column generation, every LP solved from "
        "scratch by scipy's `linprog`); *HiGHS LP*, one LP over all pairs through highspy, the model "
        "`assign_providers` states (maximise Σ (1 + score) · x, at most one provider per flat, capacity "
        "per provider, 0 ≤ x ≤ 1; a maximum flow checks that it assigns the most flats, else it is "
        "re-solved warm with a weight per flat above any score sum); and "
        "PuLP with CBC (binary x; a solve for the most flats, then one for the highest score), up to "
        f"{max((r['pairs'] for r in assign if 'pulp' in r), default=0):,} pairs. Times are wall-clock; "
        "*CPU* is the process's CPU time of the same "
        "call (every thread), so CPU / wall is the cores it used (below 1: it waited for the shared "
        "machine):",
        "",
        "| flats × providers = pairs | capacities (total) | over capacity at first choice "
        "| `assign_providers` (CPU) | before: `linprog` cold (CPU) | HiGHS LP, all pairs: build + solve (CPU) "
        "| PuLP + CBC (build / solve 1 / solve 2) | peak memory after: llt_geo / before / HiGHS LP |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in assign:
        b, p = r["before"], r["peer"]
        runs = ", ".join(f"{t:.2f}" for t in r["times_s"])
        lp = r.get("pulp")
        pulp_cell = (
            f"{fmt_s(lp['total_s'])} ({fmt_s(lp['build_s'])} / {fmt_s(lp['solve1_s'])} / "
            f"{fmt_s(lp['solve2_s'])}; {lp['status']})"
            if lp
            else "not run"
        )
        lines.append(
            f"| {_size(r)} | {r['capacity_range'][0]}–{r['capacity_range'][1]} ({r['capacity_total']:,}) "
            f"| {r['providers_over_capacity_at_first_choice']} of {r['n_providers']} "
            f"| **{fmt_s(r['best_s'])}** ({fmt_s(r['cpu_s'])}; runs {runs} s) "
            f"| {fmt_s(b['best_s'])} ({fmt_s(b['cpu_s'])}) "
            f"| {fmt_s(p['best_s'])} = {fmt_s(p['build_s'])} + {fmt_s(sum(p['solve_s']))} ({fmt_s(p['cpu_s'])}; "
            f"{p['iterations'][0]:,} iterations) "
            f"| {pulp_cell} "
            f"| {_gb(r['rss_peak_bytes'])} / {_gb(b['rss_peak_bytes'])} / {_gb(p['rss_peak_bytes'])} |"
        )
    lines += [
        "",
        "Speed-ups (peer time / `assign_providers` time) and agreement (number assigned, total score, "
        "provider per flat; the HiGHS LP's own optimum, and the same after llt_geo's tie-break, which "
        "picks one optimum whichever the solver returned):",
        "",
        "| flats × providers = pairs | vs before | vs HiGHS LP | vs PuLP + CBC | assigned: llt_geo / before / "
        "HiGHS LP / PuLP | total score: llt_geo (largest difference to a peer) | same provider as before "
        "| same provider as HiGHS LP: as solved / tie-broken | same provider as PuLP |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in assign:
        b, p, lp = r["before"], r["peer"], r.get("pulp")
        n = r["n_flats"]
        diff = max(b["score_diff"], p["score_diff"], lp["score_diff"] if lp else 0.0)
        lp_speed = times(lp["total_s"] / r["best_s"]) if lp else "–"
        lp_assigned = f"{lp['assigned']:,}" if lp else "–"
        lp_same = f"{lp['same_provider']:,} / {n:,}" if lp else "–"
        lines.append(
            f"| {_size(r)} | {times(b['best_s'] / r['best_s'])} | {times(p['best_s'] / r['best_s'])} | {lp_speed} "
            f"| {r['ours']['assigned']:,} / {b['assigned']:,} / {p['assigned']:,} / {lp_assigned} "
            f"| {r['ours']['total_score']:.6f} ({diff:.1e}) | {b['same_provider']:,} / {n:,} "
            f"| {p['same_provider_raw']:,} / {p['same_provider_tie_broken']:,} of {n:,} | {lp_same} |"
        )
    peer = assign[-1]["peer"]
    lines += [
        "",
        f"HiGHS options on both sides: `threads = {peer['threads_option']}` (its default), `parallel = "
        f"{peer['parallel_option']}`, which for an LP means the serial dual simplex: one core for the "
        "solve (`assign_providers` also runs its pricing, maximum flow and tie-break in numpy / scipy on "
        "one core); CBC runs single-threaded. The HiGHS LP's largest distance of x from 0 or 1: "
        + ", ".join(f"{r['peer']['fractional']:.0e}" for r in assign)
        + " (integral, as total unimodularity says); its solves per size (a second: the lexicographic re-solve): "
        + ", ".join(str(len(r["peer"]["solve_s"])) for r in assign)
        + ".",
        "",
        "Targets for the assignment:",
        "",
    ]
    for r in assign:
        b, p, lp = r["before"], r["peer"], r.get("pulp")
        same_n = r["ours"]["assigned"] == b["assigned"] == p["assigned"] and (
            lp is None or lp["assigned"] == r["ours"]["assigned"]
        )
        diff = max(b["score_diff"], p["score_diff"], lp["score_diff"] if lp else 0.0)
        lines.append(
            f"* {_size(r)} pairs: under {TARGET_ASSIGN_S:.0f} s: {ok[r['best_s'] < TARGET_ASSIGN_S]} "
            f"({r['best_s']:.2f} s); same number assigned and total score within 1e-6 as every peer: "
            f"{ok[same_n and diff <= 1e-6]}; same provider per flat as before and as the HiGHS LP after the "
            f"tie-break: {ok[b['same_provider'] == p['same_provider_tie_broken'] == r['n_flats']]}; "
            f"{r['flats_not_at_first_choice']:,} flats not at their first choice; capacity respected: "
            f"{ok[r['ours']['capacity_ok']]}"
        )
    lines += [
        "",
        "The synthetic scores (share of pairs scoring 0, mean score, for the largest size):",
        "",
        "| aspect | scores 0 | mean |",
        "|---|---:|---:|",
    ]
    big = robust[-1]
    for a in ASPECT_KEYS:
        lines.append(f"| `{a}` | {big['aspect_zero_shares'][a]:.0%} | {big['aspect_means'][a]:.3f} |")
    return "\n".join(lines)


def _log(path: Path | None, kind: str, result: dict) -> None:
    if path is not None:
        with path.open("a") as f:
            f.write(json.dumps({"kind": kind, **result}) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/README.md alone")
    parser.add_argument("--quick", action="store_true", help="only the smallest sizes (a check that it runs)")
    parser.add_argument("--robust", type=int, nargs=2, help=argparse.SUPPRESS)  # child: flats providers
    parser.add_argument("--assign", type=int, nargs=2, help=argparse.SUPPRESS)  # child: flats providers
    parser.add_argument("--repeats", type=int, default=3, help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help="append every size's raw result to this JSON-lines file")
    parser.add_argument("--reuse-robust", type=Path, help="take the robustness results from such a file, not a run")
    parser.add_argument(
        "--pulp-max-pairs", type=int, default=PULP_MAX_PAIRS, help="run PuLP + CBC up to this many pairs"
    )
    args = parser.parse_args(argv)
    if args.robust:
        print(json.dumps(run_robust(*args.robust, args.repeats)))
        return
    if args.assign:
        print(json.dumps(run_assign(*args.assign, args.repeats, pulp_max_pairs=args.pulp_max_pairs)))
        return

    start = time.perf_counter()
    start_hash, start_load = source_hash(), load_average()
    robust_sizes = ROBUST_SIZES[:1] if args.quick else ROBUST_SIZES
    assign_sizes = ASSIGN_SIZES[:1] if args.quick else ASSIGN_SIZES
    robust, assign = [], []
    if args.reuse_robust:
        kept = [json.loads(line) for line in args.reuse_robust.read_text().splitlines() if line.strip()]
        robust = [{k: v for k, v in r.items() if k != "kind"} for r in kept if r["kind"] == "robust"]
        robust_sizes = ()
    for n, m in robust_sizes:
        print(f"weight robustness, {n:,} flats x {m} providers ...", file=sys.stderr, flush=True)
        robust.append(run_child(__file__, ["--robust", str(n), str(m)]))
        _log(args.log, "robust", robust[-1])
        r = robust[-1]
        if "best_s" in r:
            print(
                f"  {r['draws']:,} draws: {r['best_s']:.2f} s, peak RSS {_gb(r['rss_peak_bytes'])}; pymcdm loop "
                f"{r['library_at_10k_s']:.1f} s at {DRAWS:,} (extrapolated)",
                file=sys.stderr,
                flush=True,
            )
        else:
            print("  MemoryError", file=sys.stderr, flush=True)
    for n, m in assign_sizes:
        print(f"assignment, {n:,} flats x {m} providers ...", file=sys.stderr, flush=True)
        assign.append(run_child(__file__, ["--assign", str(n), str(m), "--pulp-max-pairs", str(args.pulp_max_pairs)]))
        _log(args.log, "assign", assign[-1])
        r = assign[-1]
        print(
            f"  {r['best_s']:.2f} s; before {r['before']['best_s']:.2f} s; HiGHS LP {r['peer']['best_s']:.2f} s; "
            f"PuLP + CBC {r['pulp']['total_s'] if 'pulp' in r else float('nan'):.1f} s",
            file=sys.stderr,
            flush=True,
        )
    versions = {name: package_version(name) for name in ("pymcdm", "pulp", "highspy")}
    info = machine(**versions, cbc=cbc_version())
    info["load"] = f"{start_load} at the start, {info['load']} at the end"
    end_hash = source_hash()
    info["source"] = (
        f"llt_geo source hash {start_hash}"
        if end_hash == start_hash
        else f"**llt_geo's source changed during the run** ({start_hash} -> {end_hash}): the sizes may have run "
        "different code"
    )
    table = report(robust, assign, info, time.perf_counter() - start)
    print(table)
    if not args.no_write:
        write_section(README, START, END, table, HEADING)
        print(f"\nwritten to {README}", file=sys.stderr)


if __name__ == "__main__":
    main()
