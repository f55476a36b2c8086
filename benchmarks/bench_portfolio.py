"""Benchmark of the portfolio solve: llt_geo.portfolio.solve against the same model in PuLP + CBC.

Run from the project root (needs the ``bench`` extra: ``pip install -e .[bench]``)::

    .venv/bin/python benchmarks/bench_portfolio.py
    .venv/bin/python benchmarks/bench_portfolio.py --sizes 500 5000 --no-write   # quicker, print only

What it does:

* Synthetic :class:`llt_geo.portfolio.PortfolioInputs` (fixed seed) for 500, 5,000 and 50,000 open
  candidates: 8 stadsdelen, 12 corporations, costs of 170,000-430,000 euros, half in a focus
  area, 90 % fundable, 5 eligible providers out of 30 per candidate (scores to three decimals),
  21 flats already realised spread over the stadsdelen and corporations. Every rule is active:
  the goal (21 + n/50 flats), the budget (260,000 euros per flat to choose), at least 1 and at
  most goal//6 per stadsdeel, a focus share of at least 0.5, at most goal//8 + 2 per corporation
  and each provider's capacity, in two regimes: capacities that do not bind, and capacities that
  bind (every provider ceil(1.15 x flats to choose / 30)).
* :func:`llt_geo.portfolio.solve` (it builds the model itself), best of 3 (50,000: best of 2),
  with the time split over its steps (building the rows, the solve without providers, the exact
  assignment check, the whole model).
* The same model built with PuLP the way a competent user writes it (``lpSum`` over dicts; a
  binary ``y`` per candidate and ``z`` per pair, ``sum_p z_cp = y_c``, every rule of
  ``llt_geo.portfolio._rules``), solved with the CBC bundled with PuLP (its defaults, relative
  gap 1e-6 as llt_geo's, a time limit), timed from the DataFrames to the solution values.
* Both solutions are checked against every rule independently, and their optima compared (1e-6
  relative).

With ``--reasons`` it measures instead what ``llt-geo portfolio`` does per scenario with every reason
(issue 21, item 1): :func:`llt_geo.portfolio.solve` and :func:`llt_geo.portfolio.candidate_reasons`
on the same synthetic register (``make_inputs``: any size), against the naive peer — the whole
model re-solved per candidate as the reasons were found before, timed on a few candidates and
extrapolated to every fundable one — and checks a sample of the reasons against an independent
re-solve through ``solve`` (exact ones equal, bounds truthful)::

    .venv/bin/python benchmarks/bench_portfolio.py --reasons                  # 5,000 and 50,000
    .venv/bin/python benchmarks/bench_portfolio.py --reasons --sizes 2000 --no-write

Every (size, regime, solver) runs in its own subprocess. The figures are printed as a markdown
table and written between the portfolio markers of ``benchmarks/README.md`` (``--no-write``
leaves the README alone).
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import re
import resource
import sys
import tempfile
import time
from collections import defaultdict
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

import llt_geo.portfolio as portfolio
from llt_geo.config import default_config
from llt_geo.portfolio import PortfolioInputs, solve

SEED = 2030
SIZES = (500, 5_000, 50_000)
REGIMES = ("free", "binding")
N_PROVIDERS = 30
PAIRS_PER_CANDIDATE = 5
N_FIXED = 21
STADSDELEN = {
    "A": "Centrum",
    "E": "West",
    "F": "Nieuw-West",
    "K": "Zuid",
    "M": "Oost",
    "N": "Noord",
    "S": "Weesp",
    "T": "Zuidoost",
}
N_CORPORATIONS = 12
EUR_PER_FLAT = 260_000.0
CBC_TIME_LIMIT = 300  # seconds (wall clock) per CBC solve
TARGETS = {5_000: 1.0, 50_000: 10.0}  # seconds, proven optimal, including building the model
TARGET_SPEEDUP = 5.0
REASON_SIZES = (5_000, 50_000)
REASON_TARGETS = {5_000: 10.0, 50_000: 60.0}  # seconds: solve and every reason
NAIVE_SAMPLE = 2  # candidates re-solved the naive way, per kind (in, out)
NAIVE_TIME_LIMIT = 120.0  # seconds per naive re-solve
#: With capacities that bind, each re-solve is the whole model on a pruned set whose bounds come
#: from the relaxation without capacities (loose there): 50,000 would take hours, so not run.
REASON_BINDING_MAX = 5_000
CHECK_SAMPLE = 4  # reasons checked per kind (exact in, bounded in, exact out, bounded out)
README = Path(__file__).resolve().parent / "README.md"
HEADING = "## Portfolio: `bench_portfolio.py`"
START, END = "<!-- portfolio:start -->", "<!-- portfolio:end -->"
REASONS_START, REASONS_END = "<!-- portfolio-reasons:start -->", "<!-- portfolio-reasons:end -->"
REGIME_NL = {"free": "capacities do not bind", "binding": "capacities bind"}


# --------------------------------------------------------------------------------------------
# Workload
# --------------------------------------------------------------------------------------------


def to_choose(n: int) -> int:
    return n // 50


def make_inputs(n: int, regime: str, seed: int = SEED) -> PortfolioInputs:
    """Synthetic portfolio inputs for n open candidates (one flat each), deterministic."""
    rng = np.random.default_rng(seed)
    codes = np.array(list(STADSDELEN))
    corps = np.array([f"Corp{i:02d}" for i in range(N_CORPORATIONS)])
    ids = np.array([f"C{i:06d}" for i in range(n)], dtype=object)
    focus = rng.random(n) < 0.5
    c = pd.DataFrame(
        {
            "candidate_id": ids,
            "members": ids,
            "is_group": np.zeros(n, dtype=bool),
            "stadsdeel_code": codes[rng.integers(0, len(codes), n)].astype(object),
            "corporation": corps[rng.integers(0, N_CORPORATIONS, n)].astype(object),
            "n_dwellings": np.full(n, 100),
            "cost": rng.integers(17, 44, n) * 10_000.0,
            "focus": focus,
            "eligibility_31": "pass",
            "base": 1.0 + 0.5 * focus,
            "excluded_nl": "",
            "marks_nl": "",
        }
    )
    fundable = rng.random(n) < 0.9
    c["fundable"] = fundable
    c.loc[~fundable, "excluded_nl"] = "geen toestemming van de corporatie"
    # 5 distinct providers per candidate out of 30: the first 5 of a random permutation per row
    providers = np.argsort(rng.random((n, N_PROVIDERS)), axis=1)[:, :PAIRS_PER_CANDIDATE]
    pairs = pd.DataFrame(
        {
            "candidate": np.repeat(np.arange(n), PAIRS_PER_CANDIDATE),
            "provider": providers.ravel(),
            "score": rng.random(n * PAIRS_PER_CANDIDATE).round(3),
        }
    )
    pids = [f"P{i:02d}" for i in range(N_PROVIDERS)]
    if regime == "free":
        capacity = rng.integers(max(2, n // (N_PROVIDERS * 4)), max(3, n // (N_PROVIDERS * 2)), N_PROVIDERS)
    else:
        capacity = np.full(N_PROVIDERS, math.ceil(to_choose(n) * 1.15 / N_PROVIDERS))
    k = np.arange(N_FIXED)
    fixed = pd.DataFrame(
        {
            "candidate_id": [f"R{i:02d}" for i in k],
            "status": "realised",
            "stadsdeel_code": codes[k % len(codes)].astype(object),
            "corporation": corps[k % N_CORPORATIONS].astype(object),
            "focus": k % 2 == 0,
        }
    )
    flats_of = pd.DataFrame({"candidate": np.arange(n), "flat_id": ids})
    return PortfolioInputs(c, pairs, pd.Series(capacity.astype(float), index=pids), fixed, flats_of, dict(STADSDELEN))


def make_config(n: int):
    cfg = copy.deepcopy(default_config())
    goal = N_FIXED + to_choose(n)
    cfg["programme"]["goal_flats"] = goal
    cfg["programme"]["budget_eur"] = (goal - N_FIXED) * EUR_PER_FLAT
    port = cfg["portfolio"]
    port["flats_to_choose"] = 0
    port["max_per_stadsdeel"] = goal // 6
    port["per_stadsdeel_max"] = {}
    port["min_per_stadsdeel"] = 1
    port["per_stadsdeel_min"] = {}
    port["min_focus_share"] = 0.5
    port["max_per_corporation"] = goal // 8 + 2
    return cfg


# --------------------------------------------------------------------------------------------
# An independent check of a solution against every rule
# --------------------------------------------------------------------------------------------


def check(inputs: PortfolioInputs, cfg, y: np.ndarray, z: np.ndarray) -> tuple[list[str], float]:
    """The rules a solution (y per candidate, z per pair, booleans) breaks, and its objective."""
    c, pairs, fixed = inputs.candidates, inputs.pairs, inputs.fixed
    port, prog = cfg["portfolio"], cfg["programme"]
    broken = []
    pc = pairs["candidate"].to_numpy()
    per_cand = np.bincount(pc[z], minlength=len(c))
    if not np.array_equal(per_cand, y.astype(int)):
        broken.append("one provider per chosen candidate")
    if (y & ~c["fundable"].to_numpy(dtype=bool)).any():
        broken.append("an unfundable candidate chosen")
    need = int(prog["goal_flats"]) - len(fixed)
    if y.sum() != need:
        broken.append(f"goal ({y.sum()} chosen, {need} needed)")
    if c["cost"].to_numpy()[y].sum() > float(prog["budget_eur"]) * (1 + 1e-9):
        broken.append("budget")
    sd = pd.concat([c.loc[y, "stadsdeel_code"], fixed["stadsdeel_code"]]).value_counts()
    for code in STADSDELEN:
        if not port["min_per_stadsdeel"] <= sd.get(code, 0) <= port["max_per_stadsdeel"]:
            broken.append(f"stadsdeel {code} ({sd.get(code, 0)})")
    total = y.sum() + len(fixed)
    if c["focus"].to_numpy()[y].sum() + fixed["focus"].sum() < port["min_focus_share"] * total - 1e-9:
        broken.append("focus share")
    corp = pd.concat([c.loc[y, "corporation"], fixed["corporation"]]).value_counts()
    if (corp > port["max_per_corporation"]).any():
        broken.append("corporation cap")
    load = np.bincount(pairs["provider"].to_numpy()[z], minlength=len(inputs.capacity))
    if (load > inputs.capacity.to_numpy()).any():
        broken.append("provider capacity")
    objective = float(c["base"].to_numpy()[y].sum()) + float(port["weight_partner"]) * float(
        pairs["score"].to_numpy()[z].sum()
    )
    return broken, objective


def not_at_best(inputs: PortfolioInputs, z: np.ndarray) -> int:
    """Chosen candidates whose provider is not one of their best-scoring ones."""
    pairs = inputs.pairs
    best = pairs.groupby("candidate")["score"].max()
    got = pairs.loc[z]
    return int((got["score"].to_numpy() < best.loc[got["candidate"]].to_numpy() - 1e-12).sum())


# --------------------------------------------------------------------------------------------
# llt_geo
# --------------------------------------------------------------------------------------------


class _Timers:
    """Wrap functions that ``solve`` calls through ``llt_geo.portfolio``'s names with timers."""

    NAMES = ("_rules", "milp", "_providers_fit", "_result")

    def __init__(self):
        self.calls: list[dict] = []
        self.originals = {name: getattr(portfolio, name) for name in self.NAMES}
        for name, fn in self.originals.items():
            setattr(portfolio, name, self._wrap(name, fn))

    def _wrap(self, name, fn):
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            out = fn(*args, **kwargs)
            call = {"name": name, "s": time.perf_counter() - t0}
            if name == "milp":
                call["vars"] = len(args[0])
                call["rows"] = sum(con.A.shape[0] for con in kwargs.get("constraints", []))
                call["status"] = int(out.status)
                call["nodes"] = int(getattr(out, "mip_node_count", -1) or 0)
                call["gap"] = float(getattr(out, "mip_gap", float("nan")) or 0.0)
            if name == "_providers_fit":
                call["fits"] = out is not None
            self.calls.append(call)
            return out

        return timed

    def take(self) -> list[dict]:
        calls, self.calls = self.calls, []
        return calls


def run_llt(n: int, regime: str, repeats: int) -> dict:
    t0 = time.perf_counter()
    inputs = make_inputs(n, regime)
    generate_s = time.perf_counter() - t0
    cfg = make_config(n)
    timers = _Timers()
    times, splits, result = [], [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = solve(inputs, cfg)
        times.append(time.perf_counter() - t0)
        splits.append(timers.take())
    best = int(np.argmin(times))
    c = inputs.candidates
    y = c["candidate_id"].isin(result.chosen["candidate_id"]).to_numpy()
    prov_pos = {pid: k for k, pid in enumerate(inputs.capacity.index)}
    key = pd.MultiIndex.from_arrays([inputs.pairs["candidate"], inputs.pairs["provider"]])
    pos_of = {cid: i for i, cid in enumerate(c["candidate_id"])}
    chosen = pd.MultiIndex.from_arrays(
        [
            result.chosen["candidate_id"].map(pos_of).to_numpy(),
            result.chosen["provider_id"].map(prov_pos).to_numpy(),
        ]
    )
    z = key.isin(chosen)
    broken, objective = check(inputs, cfg, y, z)
    return {
        "n": n,
        "regime": regime,
        "pairs": len(inputs.pairs),
        "fundable": int(c["fundable"].sum()),
        "to_choose": to_choose(n),
        "capacity": [int(inputs.capacity.min()), int(inputs.capacity.max()), int(inputs.capacity.sum())],
        "generate_s": generate_s,
        "times_s": times,
        "best_s": times[best],
        "split": splits[best],
        "status": result.status,
        "objective": result.objective,
        "gap": result.gap,
        "message": result.message,
        "chosen": sorted(result.chosen["candidate_id"]),
        "broken": broken,
        "objective_checked": objective,
        "not_at_best": not_at_best(inputs, z),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


# --------------------------------------------------------------------------------------------
# PuLP + CBC
# --------------------------------------------------------------------------------------------


def pulp_portfolio(inputs: PortfolioInputs, cfg, time_limit: float, log_path: str):
    """The portfolio as a competent PuLP user writes it, solved with the bundled CBC."""
    import pulp

    c, pairs, fixed = inputs.candidates, inputs.pairs, inputs.fixed
    port, prog = cfg["portfolio"], cfg["programme"]
    t0 = time.perf_counter()
    prob = pulp.LpProblem("portefeuille", pulp.LpMaximize)
    cands = range(len(c))
    y = {i: pulp.LpVariable(f"y_{i}", cat=pulp.LpBinary) for i in cands}
    for i, ok in zip(cands, c["fundable"], strict=True):
        if not ok:
            y[i].upBound = 0  # cannot be funded
    pair_keys = list(zip(pairs["candidate"], pairs["provider"], strict=True))
    z = {(i, p): pulp.LpVariable(f"z_{i}_{p}", cat=pulp.LpBinary) for i, p in pair_keys}
    score = dict(zip(pair_keys, pairs["score"], strict=True))
    base = dict(zip(cands, c["base"], strict=True))
    cost = dict(zip(cands, c["cost"], strict=True))
    focus = dict(zip(cands, c["focus"], strict=True))
    prob += pulp.lpSum(base[i] * y[i] for i in cands) + float(port["weight_partner"]) * pulp.lpSum(
        score[k] * v for k, v in z.items()
    )
    of_cand, of_prov = defaultdict(list), defaultdict(list)
    for (i, p), v in z.items():
        of_cand[i].append(v)
        of_prov[p].append(v)
    for i in cands:
        prob += pulp.lpSum(of_cand[i]) == y[i], f"link_{i}"
    need = int(port["flats_to_choose"]) or int(prog["goal_flats"]) - len(fixed)
    prob += pulp.lpSum(y.values()) == need, "goal"
    prob += pulp.lpSum(cost[i] * y[i] for i in cands) <= float(prog["budget_eur"]), "budget"
    by_sd, by_corp = defaultdict(list), defaultdict(list)
    for i, sd, corp in zip(cands, c["stadsdeel_code"], c["corporation"], strict=True):
        by_sd[sd].append(y[i])
        by_corp[corp].append(y[i])
    fixed_sd = fixed["stadsdeel_code"].value_counts()
    for code in sorted(set(inputs.stadsdelen) | set(by_sd) | set(fixed_sd.index)):
        have = int(fixed_sd.get(code, 0))
        lo = int(port["per_stadsdeel_min"].get(code, port["min_per_stadsdeel"]))
        hi = int(port["per_stadsdeel_max"].get(code, port["max_per_stadsdeel"]))
        if lo > 0:
            prob += have + pulp.lpSum(by_sd[code]) >= lo, f"min_{code}"
        prob += have + pulp.lpSum(by_sd[code]) <= hi, f"max_{code}"
    share = float(port["min_focus_share"])
    chosen = pulp.lpSum(y.values())
    prob += (
        int(fixed["focus"].sum()) + pulp.lpSum(y[i] for i in cands if focus[i]) >= share * (len(fixed) + chosen),
        "focus",
    )
    fixed_corp = fixed["corporation"].value_counts()
    cap = int(port["max_per_corporation"])
    for corp, vs in sorted(by_corp.items()):
        prob += int(fixed_corp.get(corp, 0)) + pulp.lpSum(vs) <= cap, f"corp_{corp}"
    for p, vs in sorted(of_prov.items()):
        prob += pulp.lpSum(vs) <= float(inputs.capacity.iloc[p]), f"cap_{p}"
    if inputs.flats_of["flat_id"].duplicated().any():
        raise ValueError("the synthetic workload has no flat in two candidates; this model leaves that rule out")
    build_s = time.perf_counter() - t0
    solver = pulp.PULP_CBC_CMD(msg=False, gapRel=1e-6, timeLimit=time_limit, timeMode="elapsed", logPath=log_path)
    t1 = time.perf_counter()
    prob.solve(solver)
    solve_s = time.perf_counter() - t1
    y_val = np.array([(y[i].varValue or 0.0) > 0.5 for i in cands])
    z_val = np.array([(z[k].varValue or 0.0) > 0.5 for k in pair_keys])
    total_s = time.perf_counter() - t0
    return prob, y_val, z_val, {"build_s": build_s, "solve_s": solve_s, "total_s": total_s}


def parse_cbc_log(path: str) -> dict:
    out = {}
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        s = line.strip()
        if s.startswith("Result - "):
            out["result"] = s[len("Result - ") :]
        elif ":" in s and "result" in out:
            key, _, value = s.partition(":")
            out[key.strip()] = value.strip()
        elif s.startswith("Cbc0010I") or s.startswith("Cbc0004I"):
            out["last_progress"] = s
    return out


def run_pulp(n: int, regime: str, time_limit: float) -> dict:
    import pulp

    inputs = make_inputs(n, regime)
    cfg = make_config(n)
    with tempfile.TemporaryDirectory() as tmp:
        # warm-up: the CBC binary and PuLP's writer on a tiny instance (not timed)
        pulp_portfolio(make_inputs(500, "free"), make_config(500), 60, str(Path(tmp) / "warm.log"))
        log_path = str(Path(tmp) / "cbc.log")
        prob, y, z, t = pulp_portfolio(inputs, cfg, time_limit, log_path)
        log = parse_cbc_log(log_path)
    broken, objective = check(inputs, cfg, y, z) if y.any() else (["no solution"], float("nan"))
    return {
        "n": n,
        "regime": regime,
        **t,
        "status": pulp.LpStatus[prob.status],
        "sol_status": pulp.LpSolution.get(prob.sol_status, str(prob.sol_status)),
        "objective": pulp.value(prob.objective) if y.any() else float("nan"),
        "cbc": log,
        "chosen": sorted(inputs.candidates["candidate_id"].to_numpy()[y]),
        "broken": broken,
        "objective_checked": objective,
        "not_at_best": not_at_best(inputs, z) if y.any() else -1,
        "time_limit_s": time_limit,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


# --------------------------------------------------------------------------------------------
# Reasons (--reasons): solve and every reason, against re-solving per candidate
# --------------------------------------------------------------------------------------------


def _forced_value(inputs: PortfolioInputs, cfg, i: int, *, into: bool) -> float:
    """The optimum with candidate i forced in (``into``) or left out, through ``solve`` alone (not
    the reasons' code): left out by making it unfundable; forced in by a bonus larger than any
    difference of two portfolios, taken off again. NaN when no portfolio within the rules exists."""
    c = inputs.candidates.copy()
    # more than any two portfolios differ (each flat adds at most base + weight_partner), and no more:
    # a larger bonus would widen the solver's relative gap (1e-9 of the objective) past a score step
    bonus = 1.0 + 2.0 * float(c["base"].max() + float(cfg["portfolio"]["weight_partner"])) * to_choose(len(c))
    if into:
        c.loc[i, "base"] += bonus
    else:
        c.loc[i, "fundable"] = False
    changed = PortfolioInputs(c, inputs.pairs, inputs.capacity, inputs.fixed, inputs.flats_of, inputs.stadsdelen)
    res = solve(changed, cfg)
    if res.status == "infeasible":
        return float("nan")
    if into:
        if c.at[i, "candidate_id"] not in set(res.chosen["candidate_id"]):
            return float("nan")
        return res.objective - bonus
    return res.objective


def _naive_seconds(inputs: PortfolioInputs, cfg, i: int, *, into: bool) -> tuple[float, str]:
    """One re-solve as the reasons were found before issue 21: the whole model with the candidate
    forced in (every candidate and pair, no pruning), or ``solve`` with it left out."""
    from scipy import sparse

    limit_cfg = copy.deepcopy(cfg)
    limit_cfg["portfolio"]["time_limit_s"] = NAIVE_TIME_LIMIT
    t0 = time.perf_counter()
    if into:
        rules, n, m = portfolio._rules(inputs, limit_cfg)
        force = portfolio._Rule(
            "force", "", sparse.csr_matrix(([1.0], ([0], [i])), shape=(1, n + m)), np.ones(1), np.ones(1)
        )
        res = portfolio._milp(inputs, limit_cfg, [*rules, force], n, m, portfolio._objective(inputs, limit_cfg))
        status = {0: "optimal", 1: "time limit", 2: "infeasible"}.get(int(res.status), str(res.status))
    else:
        _forced_value(inputs, limit_cfg, i, into=False)
        status = "optimal"
    return time.perf_counter() - t0, status


def _pick(ids: np.ndarray, k: int, rng) -> list[int]:
    return sorted(rng.choice(ids, size=min(k, len(ids)), replace=False).tolist()) if len(ids) else []


def run_reasons(n: int, regime: str, naive: bool) -> dict:
    inputs = make_inputs(n, regime)
    cfg = make_config(n)
    t0 = time.perf_counter()
    result = solve(inputs, cfg)
    solve_s = time.perf_counter() - t0
    reasons = portfolio.candidate_reasons(inputs, cfg, result)
    total_s = time.perf_counter() - t0
    c = inputs.candidates
    fundable = c["fundable"].to_numpy(dtype=bool)
    in_ = reasons["in_portfolio"].to_numpy(dtype=bool)
    exact = (
        reasons["score_change_needed"].notna().to_numpy()
        | ~reasons["reason_nl"].str.contains("niet exact doorgerekend").to_numpy()
    )
    kinds = {
        "exact in": np.flatnonzero(in_ & exact),
        "bounded in": np.flatnonzero(in_ & ~exact),
        "exact out": np.flatnonzero(fundable & ~in_ & exact),
        "bounded out": np.flatnonzero(fundable & ~in_ & ~exact),
    }
    rng = np.random.default_rng(SEED)
    checks = []
    for kind, ids in kinds.items():
        for i in _pick(ids, CHECK_SAMPLE, rng):
            value = _forced_value(inputs, cfg, i, into=kind.endswith("out"))
            truth = result.objective - value if value == value else float("nan")
            text = reasons.at[i, "reason_nl"]
            got = reasons.at[i, "score_change_needed"]
            figures = [float(x.replace(",", ".")) for x in re.findall(r"\d+,\d\d", text)]
            if kind.startswith("exact"):
                ok = (truth != truth and got != got) or abs(got - truth) <= 1e-6
            elif kind == "bounded in":
                ok = (truth != truth or figures[0] <= truth + 1e-9) and (
                    len(figures) < 2 or (truth == truth and truth <= figures[1] + 1e-9)
                )
            else:
                ok = truth != truth or figures[0] <= truth + 1e-9
            checks.append({"kind": kind, "candidate": str(c.at[i, "candidate_id"]), "truth": truth,
                           "got": None if got != got else float(got), "figures": figures, "ok": bool(ok)})  # fmt: skip
    naive_runs = []
    if naive:
        chosen_ids = np.flatnonzero(in_)
        out_ids = np.flatnonzero(fundable & ~in_)
        # out: those nearest to entering (as every exact one), in: any chosen one
        near = out_ids[np.argsort(reasons["score_change_needed"].to_numpy()[out_ids], kind="stable")]
        for i in near[:NAIVE_SAMPLE]:
            s, status = _naive_seconds(inputs, cfg, int(i), into=True)
            naive_runs.append({"kind": "out (forced in)", "s": s, "status": status})
        for i in _pick(chosen_ids, NAIVE_SAMPLE, rng):
            s, status = _naive_seconds(inputs, cfg, i, into=False)
            naive_runs.append({"kind": "in (left out)", "s": s, "status": status})
    return {
        "n": n,
        "regime": regime,
        "fundable": int(fundable.sum()),
        "chosen": int(in_.sum()),
        "status": result.status,
        "solve_s": solve_s,
        "total_s": total_s,
        "counts": {k: len(v) for k, v in kinds.items()},
        "checks": checks,
        "naive": naive_runs,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def _naive_estimate(r: dict) -> tuple[float | None, str]:
    """Every fundable candidate re-solved the naive way, extrapolated from the sample."""
    out = [x["s"] for x in r["naive"] if x["kind"].startswith("out")]
    inn = [x["s"] for x in r["naive"] if x["kind"].startswith("in")]
    if not out or not inn:
        return None, "not run"
    stopped = any(x["status"] == "time limit" for x in r["naive"])
    estimate = r["solve_s"] + np.mean(inn) * r["chosen"] + np.mean(out) * (r["fundable"] - r["chosen"])
    runs = ", ".join(f"{x['kind']} {fmt_s(x['s'])}" + (" (stopped at the limit)" if x["status"] == "time limit"
                                                        else "") for x in r["naive"])  # fmt: skip
    return float(estimate), ("at least " if stopped else "") + f"{estimate / 3600:.1f} h ({runs})"


def report_reasons(rows: list[dict], info: dict, wall: float) -> str:
    ok = {True: "met", False: "**not met**"}
    lines = [
        f"Measured {info['date']} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, {info['os']}; "
        f"Python {info['python']}, scipy {info['scipy']} (HiGHS), llt_geo {info['llt_geo']} at {info['code']}; "
        f"{info['source']}. Whole run: {wall:.0f} s; load average (1, 5, 15 min) {info['load']}. Both sides one "
        "process; HiGHS may use both cores in either.",
        "",
        "| candidates (fundable) | capacities | chosen | `solve` | `solve` + every reason | exact in / bounded in "
        "/ exact out / bounded out | naive: re-solve per candidate (extrapolated) | speed-up | sample checked |",
        "|---:|---|---:|---:|---:|---|---|---:|---|",
    ]
    for r in rows:
        est, est_text = _naive_estimate(r)
        speed = times(est / r["total_s"]) if est else "–"
        k = r["counts"]
        good = sum(x["ok"] for x in r["checks"])
        lines.append(
            f"| {r['n']:,} ({r['fundable']:,}) | {REGIME_NL[r['regime']]} | {r['chosen']:,} | {fmt_s(r['solve_s'])} "
            f"| {fmt_s(r['total_s'])} | {k['exact in']:,} / {k['bounded in']:,} / {k['exact out']:,} / "
            f"{k['bounded out']:,} | {est_text} | {speed} | {good} of {len(r['checks'])} agree |"
        )
    lines += ["", "Targets (issue 21: `llt-geo portfolio`'s work with every reason):", ""]
    for r in rows:
        target = REASON_TARGETS.get(r["n"])
        if target is not None:
            lines.append(
                f"* {r['n']:,}, {REGIME_NL[r['regime']]}: under {target:g} s: {ok[r['total_s'] < target]} "
                f"({r['total_s']:.1f} s)"
            )
    lines += [
        "",
        "Sample checked against `solve` with the candidate forced in or left out (not the reasons' code):",
        "",
    ]
    for r in rows:
        bad = [x for x in r["checks"] if not x["ok"]]
        text = f"* {r['n']:,}, {REGIME_NL[r['regime']]}: " + (
            "every figure agrees (exact ones equal within 1e-6, bounds hold)" if not bad else
            "**disagree:** " + "; ".join(f"{x['kind']} {x['candidate']}: {x['got']} / {x['figures']} vs {x['truth']}"
                                          for x in bad)
        )  # fmt: skip
        lines.append(text)
    return "\n".join(lines)


def main_reasons(args) -> None:
    start = time.perf_counter()
    start_hash, start_load = source_hash(), load_average()
    rows = []
    for n in args.sizes:
        for regime in args.regimes:
            if regime == "binding" and n > REASON_BINDING_MAX:
                continue  # see REASON_BINDING_MAX
            print(f"reasons: {n:,} candidates, {REGIME_NL[regime]} ...", file=sys.stderr, flush=True)
            argv = ["--reasons-child", str(n), regime] + (["--no-naive"] if args.no_naive else [])
            r = run_child(__file__, argv)
            print(f"  solve {r['solve_s']:.2f} s, with reasons {r['total_s']:.2f} s, {r['counts']}, naive "
                  f"{r['naive']}", file=sys.stderr, flush=True)  # fmt: skip
            rows.append(r)
    info = machine()
    info["load"] = f"{start_load} at the start, {info['load']} at the end"
    end_hash = source_hash()
    info["source"] = (
        f"llt_geo source hash {start_hash}"
        if end_hash == start_hash
        else f"**llt_geo's source changed during the run** ({start_hash} -> {end_hash})"
    )
    table = report_reasons(rows, info, time.perf_counter() - start)
    print(table)
    if not args.no_write:
        write_section(README, REASONS_START, REASONS_END, table, HEADING)
        print(f"\nwritten to {README}", file=sys.stderr)


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def _gap(gap: float) -> str:
    return "–" if gap != gap else f"{gap:.1e}" if gap else "0"


def _path(r: dict) -> str:
    milps = [call for call in r["split"] if call["name"] == "milp"]
    if r["message"] == "relaxation fits the capacities":
        return "without providers: the best providers fit"
    if len(milps) >= 2:
        return "whole model (the best providers do not fit)"
    return f"stopped after the solve without providers ({r['message']})"


def _split(r: dict) -> str:
    parts = []
    milp_no = 0
    for call in r["split"]:
        if call["name"] == "milp":
            milp_no += 1
            what = "without providers" if milp_no == 1 else "whole model"
            parts.append(
                f"HiGHS {what} {fmt_s(call['s'])} ({call['vars']:,} vars, {call['rows']:,} rows, "
                f"{call['nodes']:,} nodes)"
            )
        elif call["name"] == "_rules":
            parts.append(f"rows {fmt_s(call['s'])}")
        elif call["name"] == "_providers_fit":
            parts.append(f"assignment check {fmt_s(call['s'])} ({'fits' if call['fits'] else 'does not fit'})")
    rest = r["best_s"] - sum(call["s"] for call in r["split"])
    parts.append(f"rest {fmt_s(rest)}")
    return "; ".join(parts)


def _cbc_cell(lp: dict) -> str:
    cbc = lp["cbc"]
    result = cbc.get("result", "no result line")
    gap = cbc.get("Gap")
    text = f"{fmt_s(lp['total_s'])} (build {fmt_s(lp['build_s'])}, solve {fmt_s(lp['solve_s'])}; {result}"
    if gap is not None and not result.startswith("Optimal"):
        text += f", gap {gap}"
    return text + ")"


def agreement(llt: dict, lp: dict) -> tuple[bool, str]:
    if llt["objective"] != llt["objective"] or lp["objective"] != lp["objective"]:
        return False, "no common optimum (one has no solution)"
    diff = abs(llt["objective"] - lp["objective"]) / max(1.0, abs(lp["objective"]))
    both_optimal = llt["status"] == "optimal" and lp["cbc"].get("result", "").startswith("Optimal")
    same = len(set(llt["chosen"]) & set(lp["chosen"]))
    text = f"{llt['objective']:.6f} / {lp['objective']:.6f} ({diff:.1e})"
    text += f"; same candidates {same:,} / {len(llt['chosen']):,}"
    return diff <= 1e-6 and both_optimal, text


def report(rows: list[tuple[dict, dict | None]], info: dict, wall: float) -> str:
    ok = {True: "met", False: "**not met**"}
    lines = [
        f"Measured {info['date']} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, "
        f"{info['os']}; Python {info['python']}, numpy {info['numpy']}, pandas {info['pandas']}, "
        f"scipy {info['scipy']} (HiGHS), PuLP {info['pulp']} with CBC {info['cbc']}, "
        f"llt_geo {info['llt_geo']} at {info['code']}; {info['source']}. Whole benchmark run: {wall:.0f} s; "
        f"load average (1, 5, 15 min) {info['load']}.",
        "",
        "| candidates (pairs) | flats to choose | capacities | `solve` (best of) | status, gap | path "
        "| PuLP + CBC (once) | speed-up | objective: llt_geo / CBC (rel. difference) | both optimal and equal |",
        "|---:|---:|---|---:|---|---|---:|---:|---|---|",
    ]
    for llt, lp in rows:
        runs = ", ".join(f"{t:.2f}" for t in llt["times_s"])
        cmin, cmax, ctot = llt["capacity"]
        caps = f"{REGIME_NL[llt['regime']]}: {cmin}–{cmax} each ({ctot:,} in all)"
        if lp is None:
            cbc, speed, agree_text, agree = "not run", "–", "–", False
        else:
            cbc = _cbc_cell(lp)
            speed = times(lp["total_s"] / llt["best_s"])
            agree, agree_text = agreement(llt, lp)
        lines.append(
            f"| {llt['n']:,} ({llt['pairs']:,}) | {llt['to_choose']:,} | {caps} "
            f"| {fmt_s(llt['best_s'])} ({len(llt['times_s'])}: {runs} s) | {llt['status']}, {_gap(llt['gap'])} "
            f"| {_path(llt)} | {cbc} | {speed} | {agree_text} | {'yes' if agree else '**no**'} |"
        )
    lines += [
        "",
        "Time split of the fastest `solve` (the functions it calls through `llt_geo.portfolio`'s names, "
        "wrapped with timers; *rows* is `_rules`, building every rule as sparse rows; *rest* is slicing the "
        "rows for the solve without providers, the best score per candidate and the result table):",
        "",
    ]
    for llt, _lp in rows:
        lines.append(f"* {llt['n']:,}, {REGIME_NL[llt['regime']]}: {_split(llt)}")
    lines += ["", "Checks of both solutions against every rule (independent of both models):", ""]
    for llt, lp in rows:
        text = (
            f"* {llt['n']:,}, {REGIME_NL[llt['regime']]}: llt_geo "
            f"{'all rules hold' if not llt['broken'] else 'breaks ' + ', '.join(llt['broken'])}, objective "
            f"recomputed {llt['objective_checked']:.6f}, {llt['not_at_best']} chosen not at their best provider"
        )
        if lp is not None:
            text += (
                f"; CBC {'all rules hold' if not lp['broken'] else 'breaks ' + ', '.join(lp['broken'])}, "
                f"objective recomputed {lp['objective_checked']:.6f}, {lp['not_at_best']} not at their best "
                f"provider; PuLP status {lp['status']} / {lp['sol_status']}"
            )
        lines.append(text)
    lines += ["", "Targets (from the issue; proven optimal, time including building the model):", ""]
    for llt, lp in rows:
        target = TARGETS.get(llt["n"])
        parts = []
        if target is not None:
            met = llt["status"] == "optimal" and llt["best_s"] < target
            parts.append(f"proven optimal in under {target:g} s: {ok[met]} ({llt['best_s']:.2f} s, {llt['status']})")
        if lp is not None:
            speed = lp["total_s"] / llt["best_s"]
            cbc_done = lp["cbc"].get("result", "").startswith("Optimal")
            speed_text = f"{times(speed)}" + (
                "" if cbc_done else f", CBC stopped at its {lp['time_limit_s']:g} s limit"
            )
            parts.append(
                f"at least {TARGET_SPEEDUP:g}x faster than PuLP + CBC: {ok[speed >= TARGET_SPEEDUP]} ({speed_text})"
            )
            parts.append(f"same optimum: {ok[agreement(llt, lp)[0]]}")
        lines.append(f"* {llt['n']:,}, {REGIME_NL[llt['regime']]}: " + "; ".join(parts))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="numbers of candidates")
    parser.add_argument("--regimes", nargs="+", default=list(REGIMES), choices=REGIMES)
    parser.add_argument("--cbc-time-limit", type=float, default=CBC_TIME_LIMIT, help="seconds per CBC solve")
    parser.add_argument("--no-pulp", action="store_true", help="llt_geo only")
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/README.md alone")
    parser.add_argument("--llt", nargs=2, help=argparse.SUPPRESS)  # child: n regime
    parser.add_argument("--pulp", nargs=2, help=argparse.SUPPRESS)  # child: n regime
    parser.add_argument("--repeats", type=int, default=3, help=argparse.SUPPRESS)
    parser.add_argument("--reasons", action="store_true", help="solve and every reason (issue 21)")
    parser.add_argument("--no-naive", action="store_true", help="--reasons without the naive re-solves")
    parser.add_argument("--reasons-child", nargs=2, help=argparse.SUPPRESS)  # child: n regime
    args = parser.parse_args(argv)
    if args.reasons_child:
        print(json.dumps(run_reasons(int(args.reasons_child[0]), args.reasons_child[1], not args.no_naive)))
        return
    if args.reasons:
        if args.sizes == list(SIZES):
            args.sizes = list(REASON_SIZES)
        main_reasons(args)
        return
    if args.llt:
        print(json.dumps(run_llt(int(args.llt[0]), args.llt[1], args.repeats)))
        return
    if args.pulp:
        print(json.dumps(run_pulp(int(args.pulp[0]), args.pulp[1], args.cbc_time_limit)))
        return

    start = time.perf_counter()
    start_hash, start_load = source_hash(), load_average()
    rows = []
    for n in args.sizes:
        for regime in args.regimes:
            repeats = 3 if n <= 5_000 else 2
            print(
                f"llt_geo: {n:,} candidates, {REGIME_NL[regime]} (best of {repeats}) ...", file=sys.stderr, flush=True
            )
            llt = run_child(__file__, ["--llt", str(n), regime, "--repeats", str(repeats)])
            print(
                f"  {llt['best_s']:.2f} s, {llt['status']}, objective {llt['objective']:.6f}, gap {llt['gap']}, "
                f"{_path(llt)}",
                file=sys.stderr,
                flush=True,
            )
            lp = None
            if not args.no_pulp:
                print(f"PuLP + CBC: {n:,} candidates, {REGIME_NL[regime]} ...", file=sys.stderr, flush=True)
                lp = run_child(__file__, ["--pulp", str(n), regime, "--cbc-time-limit", str(args.cbc_time_limit)])
                print(
                    f"  {lp['total_s']:.2f} s (build {lp['build_s']:.2f} s), {lp['cbc'].get('result')}, "
                    f"objective {lp['objective']}",
                    file=sys.stderr,
                    flush=True,
                )
            rows.append((llt, lp))
    info = machine(pulp=package_version("pulp"), cbc=cbc_version())
    info["load"] = f"{start_load} at the start, {info['load']} at the end"
    end_hash = source_hash()
    info["source"] = (
        f"llt_geo source hash {start_hash}"
        if end_hash == start_hash
        else f"**llt_geo's source changed during the run** ({start_hash} -> {end_hash}): the sizes may have run "
        "different code"
    )
    table = report(rows, info, time.perf_counter() - start)
    print(table)
    if not args.no_write:
        write_section(README, START, END, table, HEADING)
        print(f"\nwritten to {README}", file=sys.stderr)


if __name__ == "__main__":
    main()
