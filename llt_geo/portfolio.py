"""The portfolio under the subsidy budget (Inleiding, 3.1): which candidates to fund, exactly.

:func:`build_inputs` gathers, per open candidate, what the choice needs (cost, stadsdeel,
corporation, focus, the 3.1 outcome, consent, welfare, the eligible providers and their scores)
and why a candidate cannot be funded at all. :func:`solve` builds one sparse MILP — vectorised,
no Python loop per candidate — and solves it with scipy's ``milp`` (HiGHS): proven optimal, or the
gap is reported when the time limit is hit. :func:`explain_infeasible` names an irreducible set of
conflicting rules (deletion filter) and what would make the problem feasible;
:func:`candidate_reasons` says why each candidate is in or out and what would change it (by
re-solving); :func:`run_portfolio` does all of it for the base configuration and every named
scenario. Every rule and formula is in ``docs/portfolio.md``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .config import scenario_config
from .errors import InputError, Problem
from .io import Dataset
from .labels import nl_eur, nl_eur_short, nl_number
from .partners import candidate_cost, fundability

__all__ = [
    "Portfolio",
    "PortfolioInputs",
    "PortfolioResult",
    "Scenario",
    "build_inputs",
    "candidate_reasons",
    "explain_infeasible",
    "portfolio_robustness",
    "run_portfolio",
    "solve",
]


@dataclass
class PortfolioInputs:
    """What the choice needs, per open candidate and per eligible (candidate, provider) pair.

    Attributes
    ----------
    candidates : DataFrame
        One row per open candidate: ``candidate_id``, ``members``, ``stadsdeel_code``,
        ``corporation``, ``cost`` (euros; NaN when unknown), ``focus`` (ageing or masterplan),
        ``base`` (1 + weight_focus x focus), ``fundable`` and ``excluded_nl`` (why not, in Dutch),
        ``marks_nl`` (what is still unknown but allowed).
    pairs : DataFrame
        ``candidate``, ``provider`` (integer positions) and ``score`` of every eligible pair.
    capacity : Series
        Flats each provider can still take (after the flats the register already gives it).
    fixed : DataFrame
        Flats already realised, chosen or in development (one row per such candidate), which count
        toward every rule but not toward the budget.
    flats_of : DataFrame
        ``candidate`` (position) and ``flat_id`` of every member flat (no flat in two candidates).
    stadsdelen : dict
        Code -> name of every stadsdeel of the dataset.
    """

    candidates: pd.DataFrame
    pairs: pd.DataFrame
    capacity: pd.Series
    fixed: pd.DataFrame
    flats_of: pd.DataFrame
    stadsdelen: dict
    aspect_scores: np.ndarray | None = None  # pairs x aspects, for robustness


@dataclass
class PortfolioResult:
    """One solve: ``status`` ("optimal", "time limit" or "infeasible"), the chosen candidates and
    providers, the objective, the gap, and the rules as solved."""

    status: str
    chosen: pd.DataFrame
    objective: float = float("nan")
    gap: float = float("nan")
    rules: list = field(default_factory=list)
    message: str = ""


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


def build_inputs(dataset: Dataset, screening, partners, config=None) -> PortfolioInputs:
    """Per open candidate what the portfolio needs, and why a candidate cannot be funded.

    Who can be funded is :func:`llt_geo.partners.fundability` (3.1 passed, the corporation's consent
    known, a welfare organisation known to meet 4.2, the subsidy known; *onder voorbehoud* only where
    ``[portfolio]`` allows an unknown, marked in ``marks_nl`` and ``on_condition``), plus an eligible
    care provider. A candidate onder voorbehoud weighs ``penalty_onder_voorbehoud`` less. Capacity is
    what each provider has left after the register's flats and the committed flats
    (``capacity_open``).
    """
    cfg = config or dataset.config
    port = cfg["portfolio"]
    cands = screening.candidates
    open_ = cands["open_candidate"].to_numpy(dtype=bool)
    c = cands.loc[open_].reset_index(drop=True)
    ids = c["candidate_id"].astype(str).to_numpy()
    pos = {cid: i for i, cid in enumerate(ids)}
    cost = candidate_cost(c, cfg)
    ageing = c["ageing"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    masterplan = c["in_masterplan"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    focus = ageing | masterplan
    out = pd.DataFrame(
        {
            "candidate_id": ids,
            "members": c["members"].astype(str).to_numpy(),
            "is_group": c["is_group"].to_numpy(dtype=bool),
            "stadsdeel_code": c["stadsdeel_code"].astype("string").to_numpy(dtype=object),
            "corporation": c["corporation"].astype("string").fillna("").to_numpy(dtype=object),
            "n_dwellings": c["n_dwellings"].to_numpy(),
            "cost": cost,
            "focus": focus,
            "eligibility_31": c["eligibility"].astype(str).to_numpy(),
        }
    )
    # the corporation's say on every open candidate, also those the partner step did not propose
    consent = partners.consent.set_index("candidate_id")["consent"]
    # the one rule of who can be funded (llt_geo.partners.fundability), which the partner step also read
    cond = fundability(c, consent, partners.welfare, cfg, cost=cost)
    scores = partners.scores
    pairs = scores[scores["candidate_id"].astype(str).isin(pos)]
    providers = sorted(partners.providers.loc[partners.providers["eligibility"] == "pass", "provider_id"].astype(str))
    ppos = {p: i for i, p in enumerate(providers)}
    pairs = pairs[pairs["provider_id"].astype(str).isin(ppos)]
    has_provider = out["candidate_id"].isin(set(pairs["candidate_id"].astype(str))).to_numpy()
    no_provider = ~has_provider & (out["eligibility_31"] != "fail").to_numpy()
    missing = "geen zorgaanbieder die aan de harde criteria van 2.3 voldoet"
    excluded = cond["excluded_nl"].to_numpy(dtype=object)
    out["excluded_nl"] = [
        (f"{e}; {missing}" if e else missing) if no else e for e, no in zip(excluded, no_provider, strict=True)
    ]
    out["marks_nl"] = cond["on_condition_nl"].to_numpy(dtype=object)
    out["fundable"] = out["excluded_nl"] == ""
    out["on_condition"] = out["marks_nl"].ne("").to_numpy(dtype=bool) & out["fundable"].to_numpy(dtype=bool)
    # suitability: 1, plus the focus accent; a flat onder voorbehoud weighs less than one known to be met
    out["base"] = (
        1.0
        + float(port["weight_focus"]) * focus
        - float(port["penalty_onder_voorbehoud"]) * out["on_condition"].to_numpy(dtype=float)
    )
    aspects = [col for col in pairs.columns if col.endswith("_score") and col != "score"]
    pair_frame = pd.DataFrame(
        {
            "candidate": pairs["candidate_id"].astype(str).map(pos).to_numpy(dtype=np.int64),
            "provider": pairs["provider_id"].astype(str).map(ppos).to_numpy(dtype=np.int64),
            "score": pairs["score"].to_numpy(dtype=float),
        }
    )
    # the places left after the register's providers and the committed flats (llt_geo.partners)
    capacity = partners.providers.set_index("provider_id")["capacity_open"].reindex(providers).fillna(0)
    fixed = cands.loc[~open_ & cands["status"].isin(["chosen", "in_development", "realised"]).to_numpy()]
    fixed = pd.DataFrame(
        {
            "candidate_id": fixed["candidate_id"].astype(str).to_numpy(),
            "status": fixed["status"].astype(str).to_numpy(),
            "stadsdeel_code": fixed["stadsdeel_code"].astype("string").to_numpy(dtype=object),
            "corporation": fixed["corporation"].astype("string").fillna("").to_numpy(dtype=object),
            "focus": (
                fixed["ageing"].astype("boolean").fillna(False).to_numpy(dtype=bool)
                | fixed["in_masterplan"].astype("boolean").fillna(False).to_numpy(dtype=bool)
            ),
        }
    )
    flats = screening.flats
    member = flats[flats["candidate_id"].astype(str).isin(pos)]
    flats_of = pd.DataFrame(
        {"candidate": member["candidate_id"].astype(str).map(pos).to_numpy(), "flat_id": member["flat_id"].astype(str)}
    )
    names = dict(
        zip(
            dataset.stadsdelen["stadsdeel_code"].astype(str),
            dataset.stadsdelen["name"].fillna("").astype(str),
            strict=True,
        )
    )
    return PortfolioInputs(
        out,
        pair_frame,
        capacity,
        fixed,
        flats_of,
        names,
        pairs[aspects].to_numpy(dtype=float) if aspects else None,
    )


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@dataclass
class _Rule:
    """One named rule: rows of the constraint matrix over (y, z), bounds, and Dutch words."""

    key: str
    name_nl: str
    rows: sparse.csr_matrix
    lo: np.ndarray
    hi: np.ndarray


def _rules(inputs: PortfolioInputs, cfg) -> tuple[list[_Rule], int, int]:
    """Every rule of the portfolio as sparse rows over x = (y per candidate, z per pair)."""
    port, prog = cfg["portfolio"], cfg["programme"]
    c = inputs.candidates
    n, m = len(c), len(inputs.pairs)
    nv = n + m
    fixed = inputs.fixed
    rules: list[_Rule] = []

    def row(coefs: np.ndarray, cols: np.ndarray, nrows_idx: np.ndarray | None = None, nrows: int = 1):
        r = np.zeros(len(cols), dtype=np.int64) if nrows_idx is None else nrows_idx
        return sparse.csr_matrix((coefs, (r, cols)), shape=(nrows, nv))

    ycols = np.arange(n)
    # the goal: this many flats to choose
    need = int(port["flats_to_choose"]) or max(0, int(prog["goal_flats"]) - len(fixed))
    rules.append(
        _Rule(
            "goal",
            f"het doel van {prog['goal_flats']} Lang Leven Thuisflats (nog {need} te kiezen)",
            row(np.ones(n), ycols),
            np.array([need]),
            np.array([need]),
        )
    )
    # the budget (flats already chosen are paid for)
    budget = float(prog["budget_eur"])
    cost = np.nan_to_num(c["cost"].to_numpy(dtype=float))
    rules.append(
        _Rule(
            "budget",
            f"het budget van {nl_eur_short(budget)}",
            row(cost, ycols),
            np.array([-np.inf]),
            np.array([budget]),
        )  # fmt: skip
    )
    # per stadsdeel, counting the flats already there
    sd_codes = sorted(
        set(inputs.stadsdelen) | set(c["stadsdeel_code"].dropna()) | set(fixed["stadsdeel_code"].dropna())
    )
    sd_of = c["stadsdeel_code"].to_numpy(dtype=object)
    fixed_sd = fixed["stadsdeel_code"].value_counts()
    mins, maxs = port["per_stadsdeel_min"], port["per_stadsdeel_max"]
    for code in sd_codes:
        name = inputs.stadsdelen.get(code, code)
        members = np.flatnonzero(sd_of == code)
        have = int(fixed_sd.get(code, 0))
        lo = int(mins.get(code, port["min_per_stadsdeel"]))
        hi = int(maxs.get(code, port["max_per_stadsdeel"]))
        if lo > 0:
            rules.append(
                _Rule(
                    f"min:{code}",
                    f"minimaal {lo} in stadsdeel {name} ({code}; er zijn er al {have})",
                    row(np.ones(len(members)), members),
                    np.array([lo - have]),
                    np.array([np.inf]),
                )
            )
        rules.append(
            _Rule(
                f"max:{code}",
                f"maximaal {hi} in stadsdeel {name} ({code}; er zijn er al {have})",
                row(np.ones(len(members)), members),
                np.array([-np.inf]),
                np.array([hi - have]),
            )
        )
    # the accent on ageing and masterplan areas: focus share of all flats, the fixed ones included
    share = float(port["min_focus_share"])
    if share > 0:
        coef = c["focus"].to_numpy(dtype=float) - share
        rhs = share * len(fixed) - float(fixed["focus"].sum())
        rules.append(
            _Rule(
                "focus",
                f"minimaal {share:.0%} in vergrijsde of masterplangebieden",
                row(coef, ycols),
                np.array([rhs]),
                np.array([np.inf]),
            )
        )
    # per corporation
    corp = c["corporation"].to_numpy(dtype=object)
    fixed_corp = fixed["corporation"].value_counts()
    cap = int(port["max_per_corporation"])
    for name in sorted(set(corp) - {""}):
        members = np.flatnonzero(corp == name)
        have = int(fixed_corp.get(name, 0))
        rules.append(
            _Rule(
                f"corp:{name}",
                f"maximaal {cap} per corporatie ({name}; er zijn er al {have})",
                row(np.ones(len(members)), members),
                np.array([-np.inf]),
                np.array([cap - have]),
            )
        )
    # one provider per funded candidate (structural), and each provider's capacity
    pc = inputs.pairs["candidate"].to_numpy(dtype=np.int64)
    pp = inputs.pairs["provider"].to_numpy(dtype=np.int64)
    link = sparse.csr_matrix(
        (np.r_[np.ones(m), -np.ones(n)], (np.r_[pc, ycols], np.r_[n + np.arange(m), ycols])), shape=(n, nv)
    )
    rules.append(_Rule("link", "één voorkeursaanbieder per gekozen flat", link, np.zeros(n), np.zeros(n)))
    capacity = inputs.capacity.to_numpy(dtype=float)
    for k, pid in enumerate(inputs.capacity.index):
        sel = np.flatnonzero(pp == k)
        rules.append(
            _Rule(
                f"cap:{pid}",
                f"de capaciteit van {pid} ({int(capacity[k])} flats nog vrij)",
                row(np.ones(len(sel)), n + sel),
                np.array([-np.inf]),
                np.array([capacity[k]]),
            )
        )
    # a flat in two candidates (a group and one of its flats): at most one of them
    fo = inputs.flats_of
    counts = fo["flat_id"].value_counts()
    shared = fo[fo["flat_id"].isin(counts[counts > 1].index)]
    if len(shared):
        codes, _u = pd.factorize(shared["flat_id"])
        rules.append(
            _Rule(
                "flats",
                "geen flat in twee gekozen kandidaten",
                row(np.ones(len(shared)), shared["candidate"].to_numpy(), codes, codes.max() + 1),
                np.full(codes.max() + 1, -np.inf),
                np.ones(codes.max() + 1),
            )
        )
    return rules, n, m


_STRUCTURAL = ("link", "flats")


def _milp(
    inputs: PortfolioInputs,
    cfg,
    rules: list[_Rule],
    n: int,
    m: int,
    objective: np.ndarray | None = None,
    time_limit: float | None = None,
    y_upper: np.ndarray | None = None,
):
    c = inputs.candidates
    port = cfg["portfolio"]
    if objective is None:
        objective = np.r_[
            c["base"].to_numpy(dtype=float), float(port["weight_partner"]) * inputs.pairs["score"].to_numpy(dtype=float)
        ]
    upper = np.r_[c["fundable"].to_numpy(dtype=float) if y_upper is None else y_upper, np.ones(m)]
    constraints = [LinearConstraint(r.rows, r.lo, r.hi) for r in rules if r.rows.shape[0]]
    return milp(
        -objective,
        constraints=constraints,
        integrality=np.ones(n + m),
        bounds=Bounds(np.zeros(n + m), upper),
        options=_OPTIONS | {"time_limit": float(port["time_limit_s"] if time_limit is None else time_limit)},
    )


#: HiGHS options: its presolve spends most of its time on the many alike candidate columns of a
#: large portfolio (56 s of 57 at 50,000 candidates) and is switched off; the gap tolerance is a
#: billionth of the objective, far below the difference of one score step (0.001), so "optimal"
#: means the optimum, also after reduced-cost fixing.
_OPTIONS = {"presolve": False, "mip_rel_gap": 1e-9}


def _providers_fit(inputs: PortfolioInputs, picked: np.ndarray, zobj: np.ndarray) -> np.ndarray | None:
    """The pairs that give every picked candidate its best provider within the capacities, or None
    when capacity stands in the way (an exact assignment, :func:`llt_geo.partners.assign_providers`)."""
    from .partners import assign_providers

    pairs = inputs.pairs
    sel = np.isin(pairs["candidate"].to_numpy(), picked)
    frame = pd.DataFrame(
        {
            "candidate_id": pairs["candidate"].to_numpy()[sel].astype(str),
            "provider_id": pairs["provider"].to_numpy()[sel].astype(str),
            "score": zobj[sel],
        }
    )
    cap = pd.Series(inputs.capacity.to_numpy(), index=np.arange(len(inputs.capacity)).astype(str))
    got = assign_providers(frame, cap)
    if got["provider_id"].isna().any():
        return None
    best = frame.groupby("candidate_id")["score"].max()
    if abs(got["score"].sum() - best.reindex(got["candidate_id"]).sum()) > 1e-9:
        return None
    key = pd.Series(np.flatnonzero(sel), index=pd.MultiIndex.from_arrays([frame["candidate_id"], frame["provider_id"]]))
    return key.loc[list(zip(got["candidate_id"], got["provider_id"], strict=True))].to_numpy()


def solve(
    inputs: PortfolioInputs, cfg, *, objective: np.ndarray | None = None, drop: tuple[str, ...] = ()
) -> PortfolioResult:
    """Solve the portfolio exactly (scipy ``milp``, HiGHS).

    Maximises ``sum(base_c * y_c) + weight_partner * sum(score_cp * z_cp)`` — the suitability of the
    funded candidates (1, plus ``weight_focus`` in an ageing or masterplan area) plus their
    voorkeursaanbieder's score — subject to every rule of :func:`_rules` except those in ``drop``.
    """
    rules, n, m = _rules(inputs, cfg)
    rules = [r for r in rules if r.key not in drop]
    objective = objective if objective is not None else _objective(inputs, cfg)
    c = inputs.candidates
    # First without providers: each candidate valued with its best provider's score. That is a
    # relaxation (no flat can do better than its best provider); if the candidates it picks can
    # all have their best provider within the capacities, its optimum is the optimum.
    pc = inputs.pairs["candidate"].to_numpy(dtype=np.int64)
    zobj = objective[n:]
    best = np.full(n, -np.inf)
    if m:
        np.maximum.at(best, pc, zobj)
    has = np.isfinite(best)
    relaxed = [
        _Rule(r.key, r.name_nl, r.rows[:, :n], r.lo, r.hi)
        for r in rules
        if r.key != "link" and not r.key.startswith("cap:")
    ]
    yobj = objective[:n] + np.where(has, best, 0.0)
    ub = c["fundable"].to_numpy(dtype=float) * has
    started = time.perf_counter()
    limit = float(cfg["portfolio"]["time_limit_s"])
    lp = _relaxation_lp(relaxed, yobj, ub, n)
    if lp == "infeasible":
        return PortfolioResult("infeasible", _empty(c), rules=rules, message="the rules leave no portfolio (LP)")
    res = _pruned_relaxation(relaxed, yobj, ub, n, rules, lp, limit)
    if res.x is None:
        status = "infeasible" if res.status == 2 else ("time limit" if res.status == 1 else "failed")
        return PortfolioResult(status, _empty(c), rules=rules, message=res.message)
    y = np.round(res.x).astype(bool)
    fit = _providers_fit(inputs, np.flatnonzero(y), zobj) if res.status == 0 else None
    if fit is not None:
        z = np.zeros(m, dtype=bool)
        z[fit] = True
        gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
        return _result("optimal", c, inputs, y, z, -float(res.fun), gap, rules, "relaxation fits the capacities")
    # capacity stands in the way: the whole model, with a variable per candidate and provider,
    # in the time the first step left of [portfolio] time_limit_s — on the candidates that can
    # still matter (reduced-cost fixing, _candidates_that_matter)
    left = max(1.0, limit - (time.perf_counter() - started))
    res = _pruned_whole(inputs, cfg, rules, lp, ub, n, m, objective, left)
    if res.x is None:
        status = "infeasible" if res.status == 2 else ("time limit" if res.status == 1 else "failed")
        return PortfolioResult(status, _empty(c), rules=rules, message=res.message)
    x = np.round(res.x).astype(bool)
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    status = "optimal" if res.status == 0 else "time limit"
    return _result(status, c, inputs, x[:n], x[n:], -float(res.fun), gap, rules, res.message)


#: The whole model is first solved on at least this many candidates (and four times the number to
#: choose), those with the largest reduced costs.
_PRUNE_MIN = 300


def _relaxation_lp(relaxed, yobj, ub, n):
    """The LP of the relaxation: its bound and every candidate's reduced cost, or "infeasible",
    or None when HiGHS gives no duals."""
    from scipy.optimize import linprog

    active = [r for r in relaxed if r.rows.shape[0]]
    if not active:
        return None
    a = sparse.vstack([r.rows for r in active]).tocsr()
    lo = np.concatenate([r.lo for r in active])
    hi = np.concatenate([r.hi for r in active])
    eq = lo == hi
    up, down = np.isfinite(hi) & ~eq, np.isfinite(lo) & ~eq
    lp = linprog(
        -yobj,
        A_ub=sparse.vstack([a[up], -a[down]]) if (up.any() or down.any()) else None,
        b_ub=np.r_[hi[up], -lo[down]] if (up.any() or down.any()) else None,
        A_eq=a[eq] if eq.any() else None,
        b_eq=lo[eq] if eq.any() else None,
        bounds=np.column_stack([np.zeros(n), ub]),
        method="highs",
    )
    if lp.status == 2:
        return "infeasible"
    if lp.status != 0:
        return None
    reduced = np.where(ub > 0, -lp.lower.marginals, -np.inf)  # <= 0: what forcing a candidate in costs
    return -lp.fun, reduced


def _need(rules, n: int) -> int:
    goal = [r for r in rules if r.key == "goal"]
    return int(goal[0].lo[0]) if goal else n


def _pruned_relaxation(relaxed, yobj, ub, n, rules, lp, limit):
    """The relaxation (candidates only) solved exactly, by reduced-cost fixing from its LP: first on
    the candidates with the largest reduced costs, then on every other one that could beat that."""
    constraints = [r for r in relaxed if r.rows.shape[0]]

    def solve_on(keep: np.ndarray):
        idx = np.flatnonzero(keep)
        res = milp(
            -yobj[idx],
            constraints=[LinearConstraint(r.rows[:, idx], r.lo, r.hi) for r in constraints],
            integrality=np.ones(len(idx)),
            bounds=Bounds(np.zeros(len(idx)), ub[idx]),
            options=_OPTIONS | {"time_limit": limit},
        )
        x = None
        if res.x is not None:
            x = np.zeros(n)
            x[idx] = res.x
        return _Solved(res, x)

    if lp is None:
        return solve_on(np.ones(n, dtype=bool))
    bound, reduced = lp
    order = np.argsort(-reduced, kind="stable")
    k = min(n, max(4 * _need(rules, n), _PRUNE_MIN))
    while True:
        keep = np.zeros(n, dtype=bool)
        keep[order[:k]] = True
        res = solve_on(keep & (ub > 0))
        if res.x is not None or k >= n:
            break
        k = min(n, 4 * k)
    if res.x is None or res.status != 0:
        return res
    could_improve = ~keep & (ub > 0) & (bound + reduced > -float(res.fun) + 1e-9)
    return solve_on((keep | could_improve) & (ub > 0)) if could_improve.any() else res


def _pruned_whole(inputs, cfg, rules, lp, ub, n, m, objective, time_limit):
    """The whole model, solved exactly on the candidates that can still be in an optimum.

    The LP of the relaxation (each candidate valued with its best provider) bounds every
    portfolio from above: a candidate whose LP reduced cost is ``d_c`` (<= 0) cannot be in a
    portfolio worth more than ``bound + d_c``. The whole model is first solved on the candidates
    with the largest reduced costs (a few times the number to choose); its optimum ``v`` is a
    portfolio. If every other candidate has ``bound + d_c <= v``, none of them can improve it and
    ``v`` is the optimum; otherwise the whole model is solved again on every candidate with
    ``bound + d_c > v`` (reduced-cost fixing: exact either way).
    """
    if lp is None:  # no bound to prune with: the whole model on everything
        return _milp(inputs, cfg, rules, n, m, objective, time_limit=time_limit, y_upper=ub)
    bound, reduced = lp
    need = _need(rules, n)
    order = np.argsort(-reduced, kind="stable")
    k = min(n, max(4 * need, _PRUNE_MIN))
    while True:
        keep = np.zeros(n, dtype=bool)
        keep[order[:k]] = True
        res = _sub_milp(inputs, cfg, keep & (ub > 0), objective, time_limit)
        if res.x is not None or k >= n:
            break
        k = min(n, 4 * k)  # too few candidates to fill the rules: take more
    if res.x is None or res.status != 0:
        return res
    value = -float(res.fun)
    could_improve = ~keep & (ub > 0) & (bound + reduced > value + 1e-9)
    if not could_improve.any():
        return res
    return _sub_milp(inputs, cfg, (keep | could_improve) & (ub > 0), objective, time_limit)


class _Solved:
    """A MILP result mapped back onto the whole model's variables."""

    def __init__(self, res, x):
        self.status, self.fun, self.message = res.status, res.fun, res.message
        self.mip_gap = getattr(res, "mip_gap", 0.0)
        self.x = x


def _sub_milp(inputs: PortfolioInputs, cfg, keep: np.ndarray, objective: np.ndarray, time_limit: float):
    """The whole model on the candidates in ``keep`` only (a smaller model, not bounds set to 0),
    its solution mapped back onto every candidate and pair."""
    n, m = len(inputs.candidates), len(inputs.pairs)
    idx = np.flatnonzero(keep)
    new_of = np.full(n, -1)
    new_of[idx] = np.arange(len(idx))
    pc = inputs.pairs["candidate"].to_numpy(dtype=np.int64)
    pair_idx = np.flatnonzero(keep[pc])
    pairs = inputs.pairs.iloc[pair_idx].copy()
    pairs["candidate"] = new_of[pc[pair_idx]]
    flats = inputs.flats_of[keep[inputs.flats_of["candidate"].to_numpy(dtype=np.int64)]].copy()
    flats["candidate"] = new_of[flats["candidate"].to_numpy(dtype=np.int64)]
    sub = PortfolioInputs(
        inputs.candidates.iloc[idx].reset_index(drop=True),
        pairs.reset_index(drop=True),
        inputs.capacity,
        inputs.fixed,
        flats,
        inputs.stadsdelen,
    )
    rules, sn, sm = _rules(sub, cfg)
    res = _milp(sub, cfg, rules, sn, sm, np.r_[objective[:n][idx], objective[n:][pair_idx]], time_limit=time_limit)
    if res.x is None:
        return _Solved(res, None)
    x = np.zeros(n + m)
    x[idx] = res.x[:sn]
    x[n + pair_idx] = res.x[sn:]
    return _Solved(res, x)


def _empty(c: pd.DataFrame) -> pd.DataFrame:
    return c.iloc[0:0].assign(provider_id=pd.Series(dtype=object), provider_score=pd.Series(dtype=float))


def _result(status, c, inputs, y, z, objective, gap, rules, message) -> PortfolioResult:
    chosen = c.loc[y].copy()
    providers = np.asarray(inputs.capacity.index, dtype=object)
    pairs = inputs.pairs.loc[z]
    prov_of = dict(zip(pairs["candidate"].to_numpy(), providers[pairs["provider"].to_numpy()], strict=True))
    score_of = dict(zip(pairs["candidate"].to_numpy(), pairs["score"].to_numpy(), strict=True))
    chosen["provider_id"] = [prov_of.get(i) for i in chosen.index]
    chosen["provider_score"] = [score_of.get(i, np.nan) for i in chosen.index]
    return PortfolioResult(status, chosen.reset_index(drop=True), objective, gap, rules, message)


# --------------------------------------------------------------------------------------------
# Infeasibility in words
# --------------------------------------------------------------------------------------------


def explain_infeasible(inputs: PortfolioInputs, cfg) -> tuple[list[str], list[str], str]:
    """An irreducible set of conflicting rules, and what would make the portfolio feasible.

    Deletion filter over the named rules (the goal, the budget, each stadsdeel's minimum and
    maximum, the focus share, each corporation's cap, each provider's capacity): a rule is left
    out of the set when the others still conflict without it. What remains conflicts as a whole
    and every rule in it is needed for the conflict. Then, for each rule in the set, whether
    leaving it out alone makes the portfolio feasible, with the number that would do (the budget
    needed; the flats reachable).

    Returns
    -------
    conflict : list of str
        The conflicting rules in Dutch.
    fixes : list of str
        What would make it feasible, in Dutch.
    sentence : str
        One Dutch sentence for the stuurgroep.
    """
    rules, n, m = _rules(inputs, cfg)
    soft = [r.key for r in rules if r.key not in _STRUCTURAL]
    by_key = {r.key: r for r in rules}

    def feasible(keys: set[str]) -> bool:
        active = [r for r in rules if r.key in keys or r.key in _STRUCTURAL]
        res = _milp(inputs, cfg, active, n, m, objective=np.zeros(n + m))
        return res.x is not None

    if feasible(set(soft)):
        return [], [], ""
    core = list(soft)
    for key in list(soft):
        trial = set(core) - {key}
        if not feasible(trial):
            core = [k for k in core if k != key]
    conflict = [by_key[k].name_nl for k in core]
    fixes = []
    for key in core:
        if not feasible(set(soft) - {key}):
            continue
        if key == "budget":
            cost = np.r_[np.nan_to_num(inputs.candidates["cost"].to_numpy(dtype=float)), np.zeros(m)]
            active = [r for r in rules if r.key != "budget"]
            res = _milp(inputs, cfg, active, n, m, objective=-cost)  # the cheapest portfolio under the others
            if res.x is not None:  # rounded up to whole thousands: a budget that does suffice
                fixes.append(f"met een budget van {nl_eur(np.ceil(res.fun / 1000) * 1000, space=' ')}")
                continue
        if key == "goal":
            active = [r for r in rules if r.key != "goal"]
            res = _milp(inputs, cfg, active, n, m, objective=np.r_[np.ones(n), np.zeros(m)])
            if res.x is not None:
                fixes.append(f"met {int(round(-res.fun))} in plaats van {int(by_key['goal'].lo[0])} te kiezen flats")
                continue
        fixes.append(f"zonder de regel '{by_key[key].name_nl}'")
    sentence = "Geen portefeuille mogelijk: deze regels zijn samen niet te halen: " + "; ".join(conflict) + "."
    if fixes:
        sentence += " Haalbaar " + ", of ".join(fixes) + "."
    return conflict, fixes, sentence


# --------------------------------------------------------------------------------------------
# Reasons per candidate
# --------------------------------------------------------------------------------------------


def _objective(inputs: PortfolioInputs, cfg, base: np.ndarray | None = None) -> np.ndarray:
    c = inputs.candidates
    b = c["base"].to_numpy(dtype=float) if base is None else base
    return np.r_[b, float(cfg["portfolio"]["weight_partner"]) * inputs.pairs["score"].to_numpy(dtype=float)]


def candidate_reasons(
    inputs: PortfolioInputs, cfg, result: PortfolioResult, conflict: list[str] | None = None
) -> pd.DataFrame:
    """Why each candidate is in or out, and what would change it — found by re-solving.

    For a fundable candidate that is out, the portfolio is solved again with that candidate
    forced in: the drop in total suitability is how much higher its suitability would have to be
    to enter ("zou erin komen bij een score die 0,12 hoger is"); a tight rule that involves it is
    named ("het maximum van 4 in Zuid is bereikt"). For a candidate that is in, the same with it
    forced out gives its margin. A candidate that cannot be funded at all gives its reason.
    """
    c = inputs.candidates
    chosen = set(result.chosen["candidate_id"]) if result.status != "infeasible" else set()
    rules, n, m = _rules(inputs, cfg)
    x_opt = np.zeros(n)
    x_opt[[i for i, cid in enumerate(c["candidate_id"]) if cid in chosen]] = 1
    rows = []
    for i, r in c.iterrows():
        cid = r["candidate_id"]
        if not r["fundable"]:
            rows.append((cid, False, f"uit: {r['excluded_nl']}", np.nan))
            continue
        if result.status == "infeasible":
            why = "; ".join(conflict or []) or "zie de uitleg"
            rows.append((cid, False, f"uit: in dit scenario is geen portefeuille mogelijk ({why})", np.nan))
            continue
        base = c["base"].to_numpy(dtype=float).copy()
        forced = inputs.candidates.copy()
        if cid in chosen:
            forced.loc[i, "fundable"] = False
            alt = solve(
                PortfolioInputs(
                    forced, inputs.pairs, inputs.capacity, inputs.fixed, inputs.flats_of, inputs.stadsdelen
                ),
                cfg,
            )
            margin = result.objective - alt.objective if alt.status != "infeasible" else np.nan
            text = "in" + (
                f"; blijft erin zolang de score niet meer dan {nl_number(margin, 2)} daalt"
                if np.isfinite(margin)
                else "; onmisbaar: zonder deze kandidaat is er geen portefeuille"
            )
            rows.append(
                (cid, True, text + (f" (onder voorbehoud: {r['marks_nl']})" if r["on_condition"] else ""), margin)
            )
            continue
        # forced in: y_i >= 1
        lo_rule = _Rule(
            "force", "", sparse.csr_matrix(([1.0], ([0], [i])), shape=(1, n + m)), np.array([1.0]), np.array([1.0])
        )
        res = _milp(inputs, cfg, [*rules, lo_rule], n, m, _objective(inputs, cfg, base))
        if res.x is None:
            rows.append((cid, False, "uit: " + _why_not_with(inputs, cfg, rules, lo_rule, n, m), np.nan))
            continue
        blocking = _blocking(inputs, cfg, result, i)
        delta = result.objective - (-res.fun)
        text = f"uit: zou erin komen bij een score die {nl_number(delta, 2)} hoger is"
        if blocking:
            text = f"uit: {blocking}; zou erin komen bij een score die {nl_number(delta, 2)} hoger is"
        rows.append((cid, False, text, delta))
    return pd.DataFrame(rows, columns=["candidate_id", "in_portfolio", "reason_nl", "score_change_needed"])


def _why_not_with(inputs: PortfolioInputs, cfg, rules: list, forced: _Rule, n: int, m: int) -> str:
    """Why no portfolio within the rules can hold a candidate, with the figure: the cheapest portfolio
    that includes it (under every other rule) against the budget, or the rules that conflict with it."""
    budget = float(cfg["programme"]["budget_eur"])
    others = [r for r in rules if r.key != "budget"]
    cost = np.r_[np.nan_to_num(inputs.candidates["cost"].to_numpy(dtype=float)), np.zeros(m)]
    cheapest = _milp(inputs, cfg, [*others, forced], n, m, objective=-cost)
    if cheapest.x is not None:
        need = float(cost @ np.round(cheapest.x))
        return (
            f"de goedkoopste portefeuille binnen de regels met deze kandidaat kost {nl_eur(need, space=' ')}, "
            f"meer dan het budget van {nl_eur(budget, space=' ')}"
        )
    # not even without the budget: the rules that, left out one at a time, would let it in
    soft = [r for r in others if r.key not in _STRUCTURAL]
    zero = np.zeros(n + m)
    freeing = [
        r.name_nl
        for r in soft
        if _milp(inputs, cfg, [x for x in others if x is not r] + [forced], n, m, objective=zero).x is not None
    ]
    # fmt: skip
    if freeing:
        return "met deze kandidaat is geen portefeuille mogelijk, ook niet binnen het budget; het kan zonder: " + (
            " of zonder ".join(freeing)
        )
    return "met deze kandidaat is geen portefeuille mogelijk, ook niet binnen het budget (meerdere regels samen)"


def _blocking(inputs: PortfolioInputs, cfg, result: PortfolioResult, i: int) -> str:
    """The tight rule a left-out candidate runs into, in Dutch (empty when none stands out)."""
    c = inputs.candidates
    port = cfg["portfolio"]
    ch = result.chosen
    code = c.at[i, "stadsdeel_code"]
    hi = int(port["per_stadsdeel_max"].get(code, port["max_per_stadsdeel"]))
    have = int((inputs.fixed["stadsdeel_code"] == code).sum() + (ch["stadsdeel_code"] == code).sum())
    name = inputs.stadsdelen.get(code, code)
    if have >= hi:
        return (
            f"het maximum van {hi} per stadsdeel is in {name} bereikt ({have} van {hi}, [portfolio] max_per_stadsdeel)"
        )
    corp = c.at[i, "corporation"]
    cap = int(port["max_per_corporation"])
    have_c = int((inputs.fixed["corporation"] == corp).sum() + (ch["corporation"] == corp).sum())
    if corp and have_c >= cap:
        return f"het maximum van {cap} per corporatie is voor {corp} bereikt ({have_c} van {cap})"
    return f"de {len(ch)} plaatsen zijn gevuld door kandidaten die samen meer bijdragen"


# --------------------------------------------------------------------------------------------
# Robustness, scenarios, everything together
# --------------------------------------------------------------------------------------------


def portfolio_robustness(inputs: PortfolioInputs, cfg, *, draws: int, seed: int) -> pd.Series:
    """How often each candidate is in the portfolio when the care weights vary.

    The same Dirichlet draws as the partners' robustness (``[care] robustness_concentration``,
    ``robustness_seed``): each draw rescales every pair's score from its aspect scores (one matrix
    product for all draws) and the portfolio is solved again. Returns the share per candidate.
    """
    from .partners import ASPECTS

    if draws <= 0 or inputs.aspect_scores is None or not len(inputs.pairs):
        return pd.Series(np.nan, index=inputs.candidates["candidate_id"])
    care = cfg["care"]
    w0 = np.array([float(care[key]) for key, _n, _s in ASPECTS.values()])
    alpha = float(care["robustness_concentration"]) * w0 / w0.sum()
    rng = np.random.default_rng(seed)
    w = np.zeros((len(w0), draws))
    live = alpha > 0
    w[live] = rng.dirichlet(alpha[live], size=draws).T
    scores = inputs.aspect_scores @ w  # pairs x draws, weights summing to 1
    base = inputs.candidates["base"].to_numpy(dtype=float)
    ids = inputs.candidates["candidate_id"]
    counts = pd.Series(0.0, index=ids)
    solved = 0
    for d in range(draws):  # one exact solve per draw; the scores of all draws came from one product
        res = solve(inputs, cfg, objective=np.r_[base, float(cfg["portfolio"]["weight_partner"]) * scores[:, d]])
        if res.status != "infeasible":
            counts[res.chosen["candidate_id"]] += 1
            solved += 1
    return counts / max(solved, 1)


@dataclass(frozen=True)
class Scenario:
    """One scenario of the portfolio, solved: what it was given and what it chose.

    Attributes
    ----------
    name : str
        ``"basis"`` or the name under ``[scenarios]``.
    result : PortfolioResult
        The solve: status, the chosen candidates with their care providers, objective, gap.
    reasons : DataFrame
        Per candidate of :attr:`PortfolioInputs.candidates`: in or out and why, and the score
        change needed (:func:`candidate_reasons`).
    explanation : str
        Dutch, when infeasible: the conflicting rules and what would make it feasible.
    conflict, fixes : list of str
        The conflicting rules, and the fixes, in Dutch (empty when feasible).
    inputs : PortfolioInputs
        What the solve was given.
    config : Config
        The scenario's configuration (the base with the scenario's changes).
    partners : PartnerChoice
        The partner scores the scenario used (scored again when it changes care weights).
    """

    name: str
    result: PortfolioResult
    reasons: pd.DataFrame
    explanation: str
    conflict: list
    fixes: list
    inputs: PortfolioInputs
    config: object
    partners: object


@dataclass(frozen=True)
class Portfolio:
    """The portfolio for the base configuration and every scenario.

    Attributes
    ----------
    scenarios : dict of str to Scenario
        Per scenario (``"basis"`` first), a :class:`Scenario`.
    comparison : DataFrame
        One row per scenario: status, flats chosen, cost, total suitability, share in focus areas,
        count per stadsdeel, and the explanation when infeasible.
    candidates : DataFrame
        One row per fundable candidate: in or out per scenario, whether that differs from the
        base, and the reason in the base.
    """

    scenarios: dict
    comparison: pd.DataFrame
    candidates: pd.DataFrame


def run_portfolio(dataset: Dataset, screening=None, partners=None, *, robustness: bool = True) -> Portfolio:
    """Solve the portfolio for the configuration (``"basis"``) and each named scenario.

    A scenario that changes care weights is scored again (the partner choice depends on them). A
    scenario naming a stadsdeel the data does not have is an error.
    """
    from .partners import choose_partners
    from .screening import screen

    screening = screening if screening is not None else screen(dataset)
    partners = partners if partners is not None else choose_partners(dataset, screening)
    base_cfg = dataset.config
    names = ["basis", *base_cfg["scenarios"]]
    codes = set(dataset.stadsdelen["stadsdeel_code"].astype(str))
    problems = []
    for name in names[1:]:
        for key in ("per_stadsdeel_min", "per_stadsdeel_max"):
            unknown = set(base_cfg["scenarios"][name].get(key, {})) - codes
            if unknown:
                problems.append(
                    Problem(
                        "error",
                        base_cfg.source or "llt_geo.toml",
                        None,
                        f"[scenarios.{name}] {key} names stadsdelen the data does not have: "
                        + ", ".join(sorted(unknown)),
                        fix=f"use codes of {dataset.files.get('stadsdelen', 'stadsdelen')}: {', '.join(sorted(codes))}",
                    )
                )
    for key in ("per_stadsdeel_min", "per_stadsdeel_max"):
        unknown = set(base_cfg["portfolio"][key]) - codes - {"B"}
        if unknown:
            problems.append(
                Problem(
                    "error",
                    base_cfg.source or "llt_geo.toml",
                    None,
                    f"[portfolio] {key} names stadsdelen the data does not have: {', '.join(sorted(unknown))}",
                    fix=f"use codes of the stadsdelen table: {', '.join(sorted(codes))}",
                )
            )
    if float(base_cfg["programme"]["budget_eur"]) <= 0:
        problems.append(
            Problem(
                "error",
                base_cfg.source or "llt_geo.toml",
                None,
                "[programme] budget_eur is not set (0): the portfolio needs the subsidy available",
                fix="set budget_eur in llt_geo.toml to the amount available for the flats still to be chosen",
            )
        )
    if problems:
        raise InputError(problems)
    out = {}
    care_keys = set(base_cfg["care"])
    for name in names:
        cfg = base_cfg if name == "basis" else scenario_config(base_cfg, name)
        if name != "basis" and float(cfg["programme"]["budget_eur"]) <= 0:
            raise InputError.one(base_cfg.source or "llt_geo.toml", f"[scenarios.{name}] budget_eur must be above 0")
        pc = partners
        if name != "basis" and care_keys & set(base_cfg["scenarios"][name]):
            ds_s = replace(dataset, config=cfg)
            pc = choose_partners(ds_s, screening)
        inputs = build_inputs(dataset, screening, pc, cfg)
        result = solve(inputs, cfg)
        conflict, fixes, sentence = ([], [], "")
        if result.status == "infeasible":
            conflict, fixes, sentence = explain_infeasible(inputs, cfg)
        reasons = candidate_reasons(inputs, cfg, result, conflict)
        if robustness and result.status != "infeasible":
            share = portfolio_robustness(
                inputs, cfg, draws=int(cfg["portfolio"]["robustness_draws"]), seed=int(cfg["care"]["robustness_seed"])
            )
            reasons["in_share_weights_vary"] = reasons["candidate_id"].map(share)
        out[name] = Scenario(name, result, reasons, sentence, conflict, fixes, inputs, cfg, pc)
    return Portfolio(out, _comparison(out, dataset, screening), _candidate_matrix(out))


def _comparison(out: dict, dataset: Dataset, screening) -> pd.DataFrame:
    from .spread import residents_65plus_units, spread_measures

    units = residents_65plus_units(dataset.wijken, dataset.buurten if "buurten" in dataset.files else None)
    rows = []
    codes = sorted(dataset.stadsdelen["stadsdeel_code"].astype(str))
    for name, s in out.items():
        r, inp, cfg = s.result, s.inputs, s.config
        ch = r.chosen
        fixed = inp.fixed
        total = len(ch) + len(fixed)
        row = {
            "scenario": name,
            "status": r.status,
            "status_nl": {
                "optimal": "optimaal (bewezen)",
                "time limit": "tijdslimiet: beste gevonden",
                "infeasible": "geen portefeuille mogelijk",
            }.get(r.status, r.status),
            "budget_eur": float(cfg["programme"]["budget_eur"]),
            "flats_chosen": len(ch),
            "cost_eur": float(np.nansum(ch["cost"])) if len(ch) else 0.0,
            "suitability": r.objective,
            "gap": r.gap,
            "focus_share_all": (float(ch["focus"].sum()) + float(fixed["focus"].sum())) / total
            if total and r.status != "infeasible"
            else np.nan,
            "chosen": ", ".join(sorted(ch["candidate_id"])),
        }
        for code in codes:
            row[f"n_{code}"] = int((ch["stadsdeel_code"] == code).sum() + (fixed["stadsdeel_code"] == code).sum())
        # spread (3.1) of all Lang Leven Thuisflats if this portfolio is chosen: docs/spread.md
        # (no portfolio: no figures, rather than figures of the fixed flats alone)
        ids = [*fixed["candidate_id"], *ch["candidate_id"]]
        measures = spread_measures(screening, dataset, ids, units=units) if ids and r.status != "infeasible" else None
        row["coverage_65plus"] = measures["coverage"] if measures else np.nan
        row["dissimilarity"] = measures["dissimilarity"] if measures else np.nan
        row["explanation_nl"] = s.explanation
        rows.append(row)
    return pd.DataFrame(rows)


def _candidate_matrix(out: dict) -> pd.DataFrame:
    base = out["basis"]
    c = base.inputs.candidates
    frame = c.loc[
        c["fundable"], ["candidate_id", "stadsdeel_code", "corporation", "cost", "focus", "marks_nl"]
    ].reset_index(drop=True)
    for name, s in out.items():
        chosen = set(s.result.chosen["candidate_id"])
        if s.result.status == "infeasible":  # no portfolio: neither in nor out
            frame[f"in_{name}"] = pd.array([pd.NA] * len(frame), dtype="boolean")
        else:
            frame[f"in_{name}"] = frame["candidate_id"].isin(chosen)
    # compared over the feasible scenarios only: an infeasible one chooses nothing and changes nothing
    cols = [f"in_{n}" for n, s in out.items() if s.result.status != "infeasible"]
    frame["differs_from_basis"] = frame[cols].ne(frame["in_basis"], axis=0).any(axis=1)
    reasons = base.reasons.set_index("candidate_id")
    frame["reason_basis_nl"] = frame["candidate_id"].map(reasons["reason_nl"])
    if "in_share_weights_vary" in reasons:
        frame["in_share_weights_vary"] = frame["candidate_id"].map(reasons["in_share_weights_vary"])
    return frame
