"""The portfolio under the subsidy budget (Inleiding, 3.1): which candidates to fund, exactly.

:func:`build_inputs` gathers, per open candidate, what the choice needs (cost, stadsdeel,
corporation, focus, the 3.1 outcome, consent, welfare, the eligible providers and their scores)
and why a candidate cannot be funded at all. :func:`solve` builds one sparse MILP — vectorised,
no Python loop per candidate — and solves it with scipy's ``milp`` (HiGHS): proven optimal, or the
gap is reported when the time limit is hit. :func:`explain_infeasible` names an irreducible set of
conflicting rules (deletion filter) and what would make the problem feasible;
:func:`candidate_reasons` says why each candidate is in or out and what would change it (priced
for every candidate from the LP, re-solved exactly where it is read, :class:`_Pricer`);
:func:`run_portfolio` does all of it for the base configuration and every named
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
    inputs: PortfolioInputs,
    cfg,
    *,
    objective: np.ndarray | None = None,
    drop: tuple[str, ...] = (),
    built: tuple[list[_Rule], int, int] | None = None,
    cache: dict | None = None,
) -> PortfolioResult:
    """Solve the portfolio exactly (scipy ``milp``, HiGHS).

    Maximises ``sum(base_c * y_c) + weight_partner * sum(score_cp * z_cp)`` — the suitability of the
    funded candidates (1, plus ``weight_focus`` in an ageing or masterplan area) plus their
    voorkeursaanbieder's score — subject to every rule of :func:`_rules` except those in ``drop``.
    ``built`` is what :func:`_rules` gave for these inputs and this configuration, to reuse it over
    many solves (the robustness's weight draws); ``cache`` keeps, over such solves, the rules of
    the whole model on each set of candidates it was solved on (they depend on the set only).
    """
    rules, n, m = built if built is not None else _rules(inputs, cfg)
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
    res = _pruned_whole(inputs, cfg, rules, lp, ub, n, m, objective, left, cache)
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


def _relaxation_lp(relaxed, yobj, ub, n, *, upper: bool = False):
    """The LP of the relaxation: its bound and every candidate's reduced cost, or "infeasible",
    or None when HiGHS gives no duals. With ``upper``, also the reduced cost of each candidate at
    its upper bound (>= 0: what forcing it out costs at least)."""
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
    if upper:
        return -lp.fun, reduced, np.where(ub > 0, np.maximum(-lp.upper.marginals, 0.0), 0.0)
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


def _pruned_whole(inputs, cfg, rules, lp, ub, n, m, objective, time_limit, cache=None):
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
        res = _sub_milp(inputs, cfg, keep & (ub > 0), objective, time_limit, cache)
        if res.x is not None or k >= n:
            break
        k = min(n, 4 * k)  # too few candidates to fill the rules: take more
    if res.x is None or res.status != 0:
        return res
    value = -float(res.fun)
    could_improve = ~keep & (ub > 0) & (bound + reduced > value + 1e-9)
    if not could_improve.any():
        return res
    return _sub_milp(inputs, cfg, (keep | could_improve) & (ub > 0), objective, time_limit, cache)


class _Solved:
    """A MILP result mapped back onto the whole model's variables."""

    def __init__(self, res, x):
        self.status, self.fun, self.message = res.status, res.fun, res.message
        self.mip_gap = getattr(res, "mip_gap", 0.0)
        self.x = x


def _sub_milp(
    inputs: PortfolioInputs, cfg, keep: np.ndarray, objective: np.ndarray, time_limit: float, cache: dict | None = None
):
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
    key = np.packbits(keep).tobytes()
    if cache is not None and key in cache:
        rules, sn, sm = cache[key]
    else:
        rules, sn, sm = _rules(sub, cfg)
        if cache is not None:
            cache[key] = (rules, sn, sm)
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
    """Why each candidate is in or out, and what would change it — priced for every candidate at
    once, re-solved exactly where the figure is read.

    For a candidate that is in, the portfolio is solved again without it (exactly, on the
    candidates that can still matter, :class:`_Pricer`): the drop in total suitability is how far
    its suitability could fall before it leaves; none is possible without it: *onmisbaar*. For a
    fundable candidate that is out, the LP of the relaxation prices, for every candidate at once,
    a lower bound on how much higher its suitability would have to be to enter (the optimum minus
    the LP bound with it forced in). The ``max(need, _EXACT_OUT)`` out candidates with the smallest
    bound are solved again with the candidate forced in: the drop is the exact figure ("zou erin
    komen bij een score die 0,12 hoger is"), or, when no portfolio within the rules holds it, the
    cheapest one that would (:func:`_why_not_with`). Every other out candidate gets the bound, in
    words that say it is one ("minstens"), and ``score_change_needed`` empty. A tight rule that
    involves it is named ("het maximum van 4 in Zuid is bereikt"). A candidate that cannot be
    funded at all gives its reason. Every rule and figure: ``docs/portfolio.md``.
    """
    c = inputs.candidates
    n = len(c)
    ids = c["candidate_id"].to_numpy(dtype=object)
    fundable = c["fundable"].to_numpy(dtype=bool)
    reason = np.array([f"uit: {e}" for e in c["excluded_nl"]], dtype=object)
    change = np.full(n, np.nan)
    in_ = np.zeros(n, dtype=bool)
    if result.status == "infeasible":
        why = "; ".join(conflict or []) or "zie de uitleg"
        reason[fundable] = f"uit: in dit scenario is geen portefeuille mogelijk ({why})"
        return _reasons_frame(ids, in_, reason, change)
    in_ = np.isin(ids, result.chosen["candidate_id"].to_numpy(dtype=object))
    built = _rules(inputs, cfg)
    pricer = _Pricer(inputs, cfg, built, _objective(inputs, cfg))
    provider_pos = {p: k for k, p in enumerate(inputs.capacity.index)}
    provider = np.full(n, -1)
    chosen_pos = {cid: k for k, cid in enumerate(ids)}
    for cid, pid in zip(result.chosen["candidate_id"], result.chosen["provider_id"], strict=True):
        provider[chosen_pos[cid]] = provider_pos.get(pid, -1)
    pricer.reference(in_, provider, result.objective)
    best = result.objective
    on_condition = c["on_condition"].to_numpy(dtype=bool) if "on_condition" in c else np.zeros(n, dtype=bool)
    marks = c["marks_nl"].to_numpy(dtype=object)
    chosen = np.flatnonzero(in_)
    bounds_out = {i: pricer.priced_out(i, best) for i in chosen}  # (at least, at most) per chosen one
    # re-solved exactly: those closest to leaving (or with no swap to bound them), at most _EXACT_IN
    key = np.array([bounds_out[i][1] if bounds_out[i][1] is not None else -1.0 for i in chosen])
    ranked = chosen[np.lexsort((chosen, key))]
    for rank, i in enumerate(ranked):
        if rank < _EXACT_IN:
            value, _y = pricer.value(force_out=i)
            margin = _settle(best - value) if value is not None else np.nan
            text = "in" + (
                f"; blijft erin zolang de score niet meer dan {nl_number(margin, 2)} daalt"
                if np.isfinite(margin)
                else "; onmisbaar: zonder deze kandidaat is er geen portefeuille"
            )
            change[i] = margin
        else:  # priced only: both ends, said as bounds
            low, high = bounds_out[i]
            low_nl = nl_number(np.floor(low * 100) / 100, 2)
            text = f"in; blijft er in elk geval in zolang de score niet meer dan {low_nl} daalt"
            if high is not None:
                text += f" en gaat eruit bij een daling van meer dan {nl_number(np.ceil(high * 100) / 100, 2)}"
            text += " (grenzen uit de LP-relaxatie en een ruil, niet exact doorgerekend)"
        reason[i] = text + (f" (onder voorbehoud: {marks[i]})" if on_condition[i] else "")
    out = np.flatnonzero(fundable & ~in_)
    priced = pricer.priced_in(best)  # a lower bound on the score change, every candidate at once
    order = out[np.lexsort((out, priced[out]))]
    n_exact = max(_EXACT_OUT, int((~np.isfinite(priced[out])).sum()))
    order = np.r_[order[~np.isfinite(priced[order])], order[np.isfinite(priced[order])]]
    exact = order[:n_exact]
    blocking = _blocking_texts(inputs, cfg, result)
    cheapest = None
    for i in exact:
        value, _y = pricer.value(force_in=i)
        if value is None:
            if cheapest is None:
                cheapest = _Cheapest(inputs, cfg, built)
            reason[i] = "uit: " + cheapest.why_not(i)
            continue
        delta = _settle(best - value)
        text = f"zou erin komen bij een score die {nl_number(delta, 2)} hoger is"
        reason[i] = f"uit: {blocking[i]}; {text}" if blocking[i] else f"uit: {text}"
        change[i] = delta
    words: dict[float, str] = {}  # the bounds are floored to cents: few distinct numbers to write
    for i in order[len(exact) :]:  # priced only: a bound, said as one
        low = max(0.0, np.floor(priced[i] * 100) / 100)
        if low not in words:
            words[low] = nl_number(low, 2)
        text = (
            f"zou er alleen in kunnen komen bij een score die minstens {words[low]} hoger is "
            "(ondergrens uit de LP-relaxatie, niet exact doorgerekend)"
        )
        reason[i] = f"uit: {blocking[i]}; {text}" if blocking[i] else f"uit: {text}"
    return _reasons_frame(ids, in_, reason, change)


#: Out candidates whose score change is re-solved exactly: the ones with the smallest priced bound
#: (every fundable one in the demo; the report shows the 8 nearest).
_EXACT_OUT = 150
#: Chosen candidates whose margin is re-solved exactly: those whose swap bound is smallest.
_EXACT_IN = 150


def _settle(x: float) -> float:
    """A difference of two optima, rounded to 1e-9 (far below one score step): the same change
    reached through different sums is one number, so equal changes sort as equal."""
    return float(np.round(x, 9)) + 0.0


def _reasons_frame(ids, in_, reason, change) -> pd.DataFrame:
    return pd.DataFrame({"candidate_id": ids, "in_portfolio": in_, "reason_nl": reason, "score_change_needed": change})


class _Pricer:
    """The portfolio's model built once, its relaxation's LP, and exact re-solves of it with one
    candidate forced in or out, each on the candidates that can still matter.

    The LP of the relaxation (each candidate valued with its best provider, no capacities) gives a
    bound ``B`` and per candidate a reduced cost ``d_j <= 0`` (at its lower bound) or ``r_j >= 0``
    (at its upper bound). By LP duality every portfolio ``x`` of the relaxation — and so of the
    whole model — is worth at most ``B + sum_j d_j x_j - sum_j r_j (1 - x_j)``. With candidate
    ``c`` forced in, a portfolio that also holds ``j`` is worth at most ``B + d_c + d_j``; with
    ``c`` forced out, at most ``B - r_c + d_j``. A candidate whose bound does not beat a portfolio
    already found cannot be in a better one, so each re-solve runs on the others only and is
    exact, as :func:`solve` is (reduced-cost fixing, ``docs/portfolio.md``).
    """

    def __init__(self, inputs: PortfolioInputs, cfg, built, objective: np.ndarray, drop: tuple[str, ...] = ()):
        rules, n, m = built
        self.inputs, self.cfg, self.n, self.m = inputs, cfg, n, m
        self.rules = [r for r in rules if r.key not in drop and r.rows.shape[0]]
        self.objective = objective
        self.limit = float(cfg["portfolio"]["time_limit_s"])
        self.pc = inputs.pairs["candidate"].to_numpy(dtype=np.int64)
        self.pp = inputs.pairs["provider"].to_numpy(dtype=np.int64)
        self.zobj = objective[n:]
        best = np.full(n, -np.inf)
        if m:
            np.maximum.at(best, self.pc, self.zobj)
        has = np.isfinite(best)
        self.yobj = objective[:n] + np.where(has, best, 0.0)
        self.ub = inputs.candidates["fundable"].to_numpy(dtype=float) * has
        # each candidate's best pair (the first of equals), for the quick check that the best fit
        order = np.lexsort((np.arange(m), -self.zobj, self.pc))
        first = np.r_[True, np.diff(self.pc[order]) != 0] if m else np.zeros(0, dtype=bool)
        self.best_pair = np.full(n, -1)
        self.best_pair[self.pc[order[first]]] = order[first]
        self.capacity = inputs.capacity.to_numpy(dtype=float)
        relaxed = [
            _Rule(r.key, r.name_nl, r.rows[:, :n], r.lo, r.hi)
            for r in self.rules
            if r.key != "link" and not r.key.startswith("cap:")
        ]
        self.a_y = sparse.vstack([r.rows for r in relaxed]).tocsc() if relaxed else None
        self.lo_y = np.concatenate([r.lo for r in relaxed]) if relaxed else np.zeros(0)
        self.hi_y = np.concatenate([r.hi for r in relaxed]) if relaxed else np.zeros(0)
        self.a = sparse.vstack([r.rows for r in self.rules]).tocsc() if self.rules else None
        self.lo = np.concatenate([r.lo for r in self.rules]) if self.rules else np.zeros(0)
        self.hi = np.concatenate([r.hi for r in self.rules]) if self.rules else np.zeros(0)
        lp = _relaxation_lp(relaxed, self.yobj, self.ub, n, upper=True) if relaxed else None
        self.lp = lp if isinstance(lp, tuple) else None
        self.infeasible = lp == "infeasible"
        self.tol = 1e-6 * max(1.0, abs(self.lp[0])) if self.lp else 1e-6
        self.ref = None
        self.binding = False
        self._wlp = None

    # the bounds of LP duality --------------------------------------------------------------

    def priced_in(self, best: float) -> np.ndarray:
        """Per candidate, a lower bound on how much the optimum ``best`` drops with it forced in:
        ``best - (B + d_c)`` less the tolerance (0 where no bound is known)."""
        if self.lp is None:
            return np.zeros(self.n)
        bound, d, _r = self.lp
        return np.maximum(best - (bound + d) - self.tol, 0.0)

    def priced_out(self, i: int, best: float) -> tuple[float, float | None]:
        """For a chosen candidate, bounds on how far the optimum ``best`` drops without it: at least
        ``best - (B - r_i)`` (LP duality), at most ``best`` less the best portfolio one swap away
        whose candidates all fit their best providers (None when there is none)."""
        low = 0.0 if self.lp is None else max(0.0, best - (self.lp[0] - self.lp[2][i]) - self.tol)
        got = self._guess(None, i, swap=True)
        if got is None:
            return low, None
        value, j = got
        y = self.ref["y"].copy()
        y[i], y[j] = False, True
        if not self._quick_fit(y):
            return low, None
        return low, max(low, best - value + self.tol)

    def _bounds(self, force_in, force_out) -> np.ndarray | None:
        if self.lp is None:
            return None
        bound, d, r = self.lp
        base = bound + (d[force_in] if force_in is not None else 0.0) - (r[force_out] if force_out is not None else 0.0)
        out = base + d
        if force_in is not None:
            out[force_in] = base
        return out

    # a portfolio to start from: the reference with one swap -----------------------------

    def reference(self, y: np.ndarray, provider: np.ndarray | None = None, objective: float | None = None) -> None:
        """The portfolio the re-solves start from (the optimum's candidates, and with ``provider``
        the position of each one's provider and ``objective`` its value): one swap of it gives each
        re-solve a portfolio to prune against."""
        if self.a_y is None:
            return
        chosen = np.flatnonzero(y)
        live = (self.ub > 0) & ~y
        pool = np.flatnonzero(live)
        if self.lp is not None and len(pool) > _SWAP_POOL:
            pool = pool[np.argsort(-self.lp[1][pool], kind="stable")[:_SWAP_POOL]]
        self.ref = {
            "y": y,
            "value": float(self.yobj[chosen].sum()),
            "load": self.a_y @ y.astype(float),
            "chosen": chosen,
            "cols_chosen": self.a_y[:, chosen].toarray(),
            "pool": pool,
            "cols_pool": self.a_y[:, pool].toarray(),
            "provider": None,
        }
        self.binding = not self._best_fit(y)
        if provider is not None and objective is not None and self.m:
            # each chosen one's full value (its base and its provider's score), and the pool's pairs
            pair_of = np.full(self.n, -1)
            at = np.flatnonzero(y[self.pc] & (self.pp == provider[self.pc]))
            pair_of[self.pc[at]] = at
            if (pair_of[chosen] >= 0).all():
                full = np.zeros(self.n)
                full[chosen] = self.objective[chosen] + self.zobj[pair_of[chosen]]
                pos = np.full(self.n, -1)
                pos[pool] = np.arange(len(pool))
                pool_pairs = np.flatnonzero(pos[self.pc] >= 0)
                self.ref |= {
                    "provider": provider,
                    "full": full,
                    "objective": objective,
                    "pool_pairs": pool_pairs,
                    "pool_of": pos[self.pc[pool_pairs]],
                }

    def _fits(self, load: np.ndarray) -> np.ndarray:
        t = self.tol
        return ((load >= self.lo_y[:, None] - t) & (load <= self.hi_y[:, None] + t)).all(axis=0)

    def _guess(self, force_in, force_out, *, swap: bool = False):
        """The value (in the relaxation) of the best portfolio one swap from the reference with
        ``force_in`` in or ``force_out`` out, and with ``swap`` the candidate swapped; None if none."""
        ref = self.ref
        if ref is None:
            return None
        if force_in is not None:  # c in, one of the chosen out
            col = self.a_y[:, [force_in]].toarray()
            ok = np.flatnonzero(self._fits(ref["load"][:, None] + col - ref["cols_chosen"]))
            if not len(ok):
                return None
            j = ref["chosen"][ok[np.argmin(self.yobj[ref["chosen"][ok]])]]
            value = ref["value"] + self.yobj[force_in] - float(self.yobj[j])
        else:
            col = self.a_y[:, [force_out]].toarray()  # c out, one of the others in
            ok = np.flatnonzero(self._fits(ref["load"][:, None] - col + ref["cols_pool"]))
            if not len(ok):
                return None
            j = ref["pool"][ok[np.argmax(self.yobj[ref["pool"][ok]])]]
            value = ref["value"] - self.yobj[force_out] + float(self.yobj[j])
        return (value, int(j)) if swap else value

    # exact re-solves ----------------------------------------------------------------------

    def value(self, *, force_in: int | None = None, force_out: int | None = None):
        """The exact optimum of the whole model with candidate ``force_in`` in or ``force_out`` out,
        and its candidates; (None, None) when no portfolio within the rules exists."""
        n = self.n
        if self.infeasible:
            return None, None
        lb, ub = np.zeros(n), self.ub.copy()
        if force_out is not None:
            ub[force_out] = 0.0
        if force_in is not None:
            if ub[force_in] <= 0:
                return None, None
            lb[force_in] = 1.0
        live = ub > 0
        bounds = self._bounds(force_in, force_out)
        if self.binding:  # capacities bind at the optimum: straight to the whole model
            got = self._whole_priced(force_in, force_out, live, bounds, lb, ub)
            if got is not None:
                return got
        guess = self._guess(force_in, force_out)
        if bounds is None:
            keep = live.copy()
        elif guess is not None:
            keep = live & (bounds > guess - self.tol)
        else:
            k = min(n, max(4 * _need(self.rules, n), _PRUNE_MIN))
            keep = np.zeros(n, dtype=bool)
            keep[np.argsort(-self.lp[1], kind="stable")[:k]] = True
            keep &= live
        if force_in is not None:
            keep[force_in] = True
        lb_relaxed = lb
        if guess is not None and bounds is not None:
            # a candidate whose leaving costs more than the room above that portfolio is in every
            # better one: fixed in (reduced-cost fixing at the upper bound)
            base = self.lp[0] + (self.lp[1][force_in] if force_in is not None else 0.0)
            base -= self.lp[2][force_out] if force_out is not None else 0.0
            lb_relaxed = np.where(live & (base - self.lp[2] < guess - self.tol), 1.0, lb)
        got = self._pruned(self._relaxed_on, keep, live, bounds, lb_relaxed, ub)
        if got is None:
            return None, None
        value, y, keep = got
        if self._best_fit(y):
            return value, y
        got = self._pruned(self._whole_on, keep, live, bounds, lb, ub)
        return (None, None) if got is None else got[:2]

    def _whole_priced(self, force_in, force_out, live, bounds, lb, ub):
        """The whole model re-solved on the candidates its own LP (with providers and capacities)
        lets matter against a portfolio one swap from the optimum that keeps the capacities;
        None when there is no such LP or swap (then the way through the relaxation)."""
        wlp = self._whole_lp()
        guess = self._full_guess(force_in, force_out)
        if wlp is None or guess is None:
            return None
        bound_w, price_in, price_out = wlp
        base = bound_w + (price_in[force_in] if force_in is not None else 0.0)
        base -= price_out[force_out] if force_out is not None else 0.0
        whole = base + price_in
        if force_in is not None:
            whole[force_in] = base
        bounds = whole if bounds is None else np.minimum(bounds, whole)  # both hold for the whole model
        keep = live & (bounds > guess - self.tol)
        if force_in is not None:
            keep[force_in] = True
        lb = np.where(live & (base - price_out < guess - self.tol), 1.0, lb)
        got = self._pruned(self._whole_on, keep, live, bounds, lb, ub)
        return (None, None) if got is None else got[:2]

    def _whole_lp(self):
        """The LP of the whole model: its bound, and per candidate what forcing it in costs at least
        (its reduced cost plus its least costly pair's) and forcing it out (its own and all its
        pairs' at their upper bound). None when HiGHS gives no duals."""
        if self._wlp is None:
            from scipy.optimize import linprog

            self._wlp = False
            n, m = self.n, self.m
            a, lo, hi = self.a.tocsr(), self.lo, self.hi
            eq = lo == hi
            up, down = np.isfinite(hi) & ~eq, np.isfinite(lo) & ~eq
            upper = np.r_[self.ub, np.ones(m)]
            lp = linprog(
                -self.objective,
                A_ub=sparse.vstack([a[up], -a[down]]) if (up.any() or down.any()) else None,
                b_ub=np.r_[hi[up], -lo[down]] if (up.any() or down.any()) else None,
                A_eq=a[eq] if eq.any() else None,
                b_eq=lo[eq] if eq.any() else None,
                bounds=np.column_stack([np.zeros(n + m), upper]),
                method="highs",
            )
            if lp.status == 0:
                d = np.minimum(-lp.lower.marginals, 0.0)
                r = np.where(upper > 0, np.maximum(-lp.upper.marginals, 0.0), 0.0)
                best_dz = np.full(n, -np.inf)
                np.maximum.at(best_dz, self.pc, d[n:])
                price_in = np.where(self.ub > 0, d[:n] + best_dz, -np.inf)
                price_out = r[:n] + np.bincount(self.pc, weights=r[n:], minlength=n)
                self._wlp = (-float(lp.fun), price_in, price_out)
        return self._wlp or None

    def _full_guess(self, force_in, force_out) -> float | None:
        """The best portfolio one swap from the optimum (with its providers) that keeps every rule
        and capacity: the swapped-in candidate gets its best provider with a place left."""
        ref = self.ref
        if ref is None or ref.get("provider") is None:
            return None
        prov, yobj_full = ref["provider"], ref["full"]
        residual = self.capacity - np.bincount(prov[ref["chosen"]], minlength=len(self.capacity))
        base = self.objective[: self.n]
        if force_in is not None:  # c in with a place: its pairs against every chosen one leaving
            col = self.a_y[:, [force_in]].toarray()
            ok = self._fits(ref["load"][:, None] + col - ref["cols_chosen"])
            pairs = np.flatnonzero(self.pc == force_in)
            if not ok.any() or not len(pairs):
                return None
            room = (residual[self.pp[pairs]] > 0)[None, :] | (self.pp[pairs][None, :] == prov[ref["chosen"]][:, None])
            score = np.where(room, self.zobj[pairs][None, :], -np.inf).max(axis=1)
            gain = np.where(ok, score - yobj_full[ref["chosen"]], -np.inf)
            if not np.isfinite(gain).any():
                return None
            return ref["objective"] + base[force_in] + float(gain.max())
        col = self.a_y[:, [force_out]].toarray()  # c out, its place free, one of the pool in
        ok = self._fits(ref["load"][:, None] - col + ref["cols_pool"])
        freed = prov[force_out]
        pool_pairs, pool_of = ref["pool_pairs"], ref["pool_of"]
        room = (residual[self.pp[pool_pairs]] > 0) | (self.pp[pool_pairs] == freed)
        best = np.full(len(ref["pool"]), -np.inf)
        np.maximum.at(best, pool_of[room], self.zobj[pool_pairs[room]])
        gain = np.where(ok, base[ref["pool"]] + best, -np.inf)
        if not np.isfinite(gain).any():
            return None
        return ref["objective"] - yobj_full[force_out] + float(gain.max())

    def _pruned(self, solve_on, keep, live, bounds, lb, ub):
        while True:
            value, y = solve_on(keep, lb, ub)
            if value is None:
                if keep.sum() >= live.sum():
                    return None
                keep = live.copy()  # none on these: all of them, to know
                continue
            if bounds is None:
                return value, y, keep
            more = live & ~keep & (bounds > value - self.tol)
            if not more.any():
                return value, y, keep
            keep = keep | more

    def _relaxed_on(self, keep, lb, ub):
        # the candidates fixed in are constants: their rows' load moves into the bounds
        ones = keep & (lb >= 1)
        idx = np.flatnonzero(keep & ~ones)
        y = ones.copy()
        const = float(self.yobj[ones].sum())
        if self.a_y is None:
            lo = hi = None
        else:
            load = self.a_y @ ones.astype(float)
            lo, hi = self.lo_y - load, self.hi_y - load
        if not len(idx):
            ok = lo is None or bool(((lo <= self.tol) & (hi >= -self.tol)).all())
            return (const, y) if ok else (None, None)
        res = _small_milp(
            -self.yobj[idx],
            constraints=[LinearConstraint(self.a_y[:, idx], lo, hi)] if lo is not None else [],
            integrality=np.ones(len(idx)),
            bounds=Bounds(lb[idx], ub[idx]),
            options=_OPTIONS | {"time_limit": self.limit},
        )
        if res.x is None:
            return None, None
        y[idx] = np.round(res.x) > 0.5
        return const - float(res.fun), y

    def _whole_on(self, keep, lb, ub):
        n = self.n
        idx = np.flatnonzero(keep)
        pair_idx = np.flatnonzero(keep[self.pc]) if self.m else np.zeros(0, dtype=np.int64)
        cols = np.r_[idx, n + pair_idx]
        a = self.a[:, cols].tocsr()
        # rows left without a variable (the link rows of candidates left out) hold or fail alone
        rows = (np.diff(a.indptr) > 0) | (self.lo > 0) | (self.hi < 0)
        res = _small_milp(
            -self.objective[cols],
            constraints=[LinearConstraint(a[rows], self.lo[rows], self.hi[rows])],
            integrality=np.ones(len(cols)),
            bounds=Bounds(np.r_[lb[idx], np.zeros(len(pair_idx))], np.r_[ub[idx], np.ones(len(pair_idx))]),
            options=_OPTIONS | {"time_limit": self.limit},
        )
        if res.x is None:
            return None, None
        y = np.zeros(n, dtype=bool)
        y[idx] = np.round(res.x[: len(idx)]) > 0.5
        return -float(res.fun), y

    def _quick_fit(self, y: np.ndarray) -> bool:
        """Whether every candidate of ``y`` fits with its first best provider (a sufficient check)."""
        picked = np.flatnonzero(y)
        if not self.m:
            return not len(picked)
        if (self.best_pair[picked] < 0).any():
            return False
        load = np.bincount(self.pp[self.best_pair[picked]], minlength=len(self.capacity))
        return bool((load <= self.capacity + 1e-9).all())

    def _best_fit(self, y: np.ndarray) -> bool:
        """Whether every candidate of ``y`` can have its best provider within the capacities."""
        if self._quick_fit(y):
            return True
        return bool(self.m) and _providers_fit(self.inputs, np.flatnonzero(y), self.zobj) is not None


def _small_milp(c, *, constraints, integrality, bounds, options):
    """scipy's ``milp`` for the many small re-solves of the reasons: without HiGHS's feasibility
    jump heuristic, which costs a fixed ~6 ms per call (most of a small re-solve's time), the
    re-solve starting from a portfolio one swap from the optimum anyway. The answer is the same
    optimum; only the time differs."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Unrecognized options detected", category=RuntimeWarning)
        return milp(
            c,
            constraints=constraints,
            integrality=integrality,
            bounds=bounds,
            options=options | {"mip_heuristic_run_feasibility_jump": False},
        )


#: How many out candidates (those with the largest reduced costs) a chosen one is swapped with to
#: find a portfolio without it to start from.
_SWAP_POOL = 2000


class _Cheapest:
    """The cheapest portfolio within every rule but the budget with one candidate in (a
    :class:`_Pricer` that minimises the cost), and the rules that keep a candidate out."""

    def __init__(self, inputs: PortfolioInputs, cfg, built):
        rules, n, m = built
        self.inputs, self.cfg, self.rules, self.n, self.m = inputs, cfg, rules, n, m
        self.cost = np.nan_to_num(inputs.candidates["cost"].to_numpy(dtype=float))
        self.pricer = _Pricer(inputs, cfg, built, np.r_[-self.cost, np.zeros(m)], drop=("budget",))

    def why_not(self, i: int) -> str:
        """Why no portfolio within the rules can hold candidate ``i``, with the figure."""
        return _why_not_with(self, i)


def _why_not_with(cheapest: _Cheapest, i: int) -> str:
    """Why no portfolio within the rules can hold a candidate, with the figure: the cheapest portfolio
    that includes it (under every other rule) against the budget, or the rules that conflict with it."""
    inputs, cfg, rules, n, m = cheapest.inputs, cheapest.cfg, cheapest.rules, cheapest.n, cheapest.m
    budget = float(cfg["programme"]["budget_eur"])
    value, y = cheapest.pricer.value(force_in=i)
    if value is not None:
        need = float(cheapest.cost @ y)
        return (
            f"de goedkoopste portefeuille binnen de regels met deze kandidaat kost {nl_eur(need, space=' ')}, "
            f"meer dan het budget van {nl_eur(budget, space=' ')}"
        )
    # not even without the budget: the rules that, left out one at a time, would let it in
    forced = _Rule("force", "", sparse.csr_matrix(([1.0], ([0], [i])), shape=(1, n + m)), np.ones(1), np.ones(1))
    others = [r for r in rules if r.key != "budget"]
    soft = [r for r in others if r.key not in _STRUCTURAL]
    zero = np.zeros(n + m)
    freeing = [
        r.name_nl
        for r in soft
        if _milp(inputs, cfg, [x for x in others if x is not r] + [forced], n, m, objective=zero).x is not None
    ]
    if freeing:
        return "met deze kandidaat is geen portefeuille mogelijk, ook niet binnen het budget; het kan zonder: " + (
            " of zonder ".join(freeing)
        )
    return "met deze kandidaat is geen portefeuille mogelijk, ook niet binnen het budget (meerdere regels samen)"


def _blocking_texts(inputs: PortfolioInputs, cfg, result: PortfolioResult) -> np.ndarray:
    """Per candidate, the tight rule a left-out candidate runs into, in Dutch (empty when none stands
    out): the counts per stadsdeel and per corporation taken once for all."""
    c = inputs.candidates
    port = cfg["portfolio"]
    ch = result.chosen
    fixed = inputs.fixed
    have_sd = fixed["stadsdeel_code"].value_counts().add(ch["stadsdeel_code"].value_counts(), fill_value=0)
    have_corp = fixed["corporation"].value_counts().add(ch["corporation"].value_counts(), fill_value=0)
    cap = int(port["max_per_corporation"])
    filled = f"de {len(ch)} plaatsen zijn gevuld door kandidaten die samen meer bijdragen"
    memo: dict = {}
    out = np.empty(len(c), dtype=object)
    for i, (code, corp) in enumerate(zip(c["stadsdeel_code"], c["corporation"], strict=True)):
        key = (code, corp)
        if key not in memo:
            hi = int(port["per_stadsdeel_max"].get(code, port["max_per_stadsdeel"]))
            have = int(have_sd.get(code, 0)) if not pd.isna(code) else 0
            name = inputs.stadsdelen.get(code, code)
            have_c = int(have_corp.get(corp, 0)) if corp else 0
            if have >= hi:
                memo[key] = (
                    f"het maximum van {hi} per stadsdeel is in {name} bereikt ({have} van {hi}, "
                    "[portfolio] max_per_stadsdeel)"
                )
            elif corp and have_c >= cap:
                memo[key] = f"het maximum van {cap} per corporatie is voor {corp} bereikt ({have_c} van {cap})"
            else:
                memo[key] = filled
        out[i] = memo[key]
    return out


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
    built = _rules(inputs, cfg)  # the rules do not depend on the weights: built once for every draw
    cache: dict = {}  # and the whole model's rules per set of candidates it is solved on
    wp = float(cfg["portfolio"]["weight_partner"])
    for d in range(draws):  # one exact solve per draw; the scores of all draws came from one product
        res = solve(inputs, cfg, objective=np.r_[base, wp * scores[:, d]], built=built, cache=cache)
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
