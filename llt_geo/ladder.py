"""The budget ladder: the optimal portfolio at every budget, and each candidate's core index.

The best total suitability the rules allow, as a function of the budget, is a staircase: it stays
flat between two budgets at which a better portfolio becomes affordable. :func:`budget_ladder`
finds every step exactly, from the cheapest portfolio the rules allow to the budget above which
nothing changes any more:

1. the first step is the cheapest portfolio within every rule but the budget (one MILP);
2. at a step's budget ``B`` the portfolio is solved as the stuurgroep's own would be
   (:func:`llt_geo.portfolio.solve` with ``budget_eur = B``), giving the best value ``V``;
3. the next step is the cheapest portfolio within every rule but the budget whose value is more
   than ``V`` (one MILP with the objective as a row ``>= V + tolerance``); its cost is the next
   budget at which the best value rises. When no portfolio is worth more, the ladder ends.

Every budget between two steps has the lower step's portfolio (same value; the same flats, as
step 2 is the same solve). The steps are exact up to HiGHS's MIP gap (a billionth of the value)
and the tolerance below (a millionth), far below a score step of 0.001.

:func:`core_index` is Robust Portfolio Modeling's core index (Liesiö, Mild & Salo 2007) over the
two uncertainties the stuurgroep faces: the care weights (the robustness draws of
:func:`llt_geo.portfolio.portfolio_robustness`) and the budget (the ladder's steps). A candidate
chosen in every draw and at every step is *kern*; in none, *buiten*; otherwise *twijfel*.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .portfolio import PortfolioInputs, _objective, _Rule, _rules, solve

__all__ = ["LADDER_TOLERANCE", "BudgetLadder", "budget_ladder", "core_index", "entry_budgets"]

#: How much more a portfolio must be worth to count as a better one (a millionth; scores step by 0.001).
LADDER_TOLERANCE = 1e-6


@dataclass(frozen=True)
class BudgetLadder:
    """The steps of the optimal portfolio against the budget.

    Attributes
    ----------
    steps : DataFrame
        One row per step, cheapest first: ``budget_eur`` (from this budget on the step holds),
        ``cost_eur`` (what its portfolio spends), ``value`` (total suitability), ``n_flats``,
        ``candidates`` (ids, ``;``-separated, sorted), ``enters`` and ``leaves`` (against the step
        before). Empty when no portfolio is possible even without the budget.
    complete : bool
        False when the ladder stopped at ``max_steps`` before the value stopped rising.
    """

    steps: pd.DataFrame
    complete: bool

    def in_at(self) -> pd.DataFrame:
        """Candidate x step: whether the candidate is in that step's portfolio."""
        sets = [set(s.split(";")) - {""} for s in self.steps["candidates"]]
        ids = sorted(set().union(*sets))
        budgets = self.steps["budget_eur"].to_numpy()
        return pd.DataFrame(
            {b: [c in s for c in ids] for b, s in zip(budgets, sets, strict=True)},
            index=pd.Index(ids, name="candidate_id"),
        )


_COLUMNS = ["budget_eur", "cost_eur", "value", "n_flats", "candidates", "enters", "leaves"]


def _with_budget(cfg, budget: float):
    out = copy.deepcopy(cfg)
    out["programme"]["budget_eur"] = float(budget)
    return out


class _Cheapest:
    """The cheapest portfolio within every rule but the budget, and, given a value, worth more than it.

    One HiGHS MILP over (y, z) per question, the rules' rows built once. HiGHS's presolve is on here
    (unlike :func:`llt_geo.portfolio.solve`'s large models): with the objective as a dense row it
    takes a quarter off on the demo.
    """

    def __init__(
        self, inputs: PortfolioInputs, rules: list[_Rule], n: int, m: int, objective: np.ndarray, limit: float
    ):
        self.cost = np.r_[np.nan_to_num(inputs.candidates["cost"].to_numpy(dtype=float)), np.zeros(m)]
        self.upper = np.r_[inputs.candidates["fundable"].to_numpy(dtype=float), np.ones(m)]
        self.rows = [LinearConstraint(r.rows, r.lo, r.hi) for r in rules if r.key != "budget" and r.rows.shape[0]]
        self.objective = sparse.csr_matrix(objective.reshape(1, -1))
        self.size = n + m
        self.limit = limit

    def cost_above(self, value: float | None) -> float | None:
        rows = self.rows
        if value is not None:
            floor = value + LADDER_TOLERANCE * max(1.0, abs(value))
            rows = [*rows, LinearConstraint(self.objective, floor, np.inf)]
        res = milp(
            self.cost,
            constraints=rows,
            integrality=np.ones(self.size),
            bounds=Bounds(np.zeros(self.size), self.upper),
            options={"presolve": True, "mip_rel_gap": 1e-9, "time_limit": self.limit},
        )
        if res.x is None:
            return None
        return float(self.cost @ np.round(res.x))


def budget_ladder(inputs: PortfolioInputs, cfg, *, max_steps: int = 200) -> BudgetLadder:
    """Every step of the optimal portfolio against the budget (see the module's docstring)."""
    rules, n, m = _rules(inputs, cfg)
    objective = _objective(inputs, cfg)
    cost_of = inputs.candidates.set_index("candidate_id")["cost"]
    rows: list[tuple] = []
    cheapest = _Cheapest(inputs, rules, n, m, objective, float(cfg["portfolio"]["time_limit_s"]))
    budget = cheapest.cost_above(None)
    previous: set[str] = set()
    complete = True
    while budget is not None:
        if len(rows) >= max_steps:
            complete = False
            break
        # the rules as built, with this step's budget: the stuurgroep's own solve at that budget
        at = [_Rule(r.key, r.name_nl, r.rows, r.lo, np.array([budget])) if r.key == "budget" else r for r in rules]
        res = solve(inputs, _with_budget(cfg, budget), built=(at, n, m))
        if res.status != "optimal":  # a time limit: no exact step to report
            complete = False
            break
        chosen = set(res.chosen["candidate_id"].astype(str))
        cost = float(np.nansum(cost_of.loc[sorted(chosen)]))
        rows.append(
            (
                budget,
                cost,
                res.objective,
                len(chosen),
                ";".join(sorted(chosen)),
                ";".join(sorted(chosen - previous)),
                ";".join(sorted(previous - chosen)),
            )
        )
        previous = chosen
        budget = cheapest.cost_above(res.objective)
    return BudgetLadder(pd.DataFrame(rows, columns=_COLUMNS), complete)


def entry_budgets(ladder: BudgetLadder) -> pd.DataFrame:
    """Per candidate on the ladder, the budgets at which it is in, as ranges of steps.

    ``from_eur`` is the first step's budget at which the candidate is in (NaN when never),
    ``ranges`` the list of (from, to) budgets (``to`` NaN: and every budget above), and
    ``share_steps`` the share of the ladder's steps with the candidate in.
    """
    steps = ladder.steps
    if not len(steps):
        return pd.DataFrame(columns=["candidate_id", "from_eur", "ranges", "share_steps"])
    table = ladder.in_at()
    budgets = steps["budget_eur"].to_numpy(dtype=float)
    rows = []
    for cid, flags in table.iterrows():
        f = flags.to_numpy(dtype=bool)
        ranges = []
        k = 0
        while k < len(f):
            if f[k]:
                j = k
                while j + 1 < len(f) and f[j + 1]:
                    j += 1
                ranges.append((budgets[k], budgets[j + 1] if j + 1 < len(f) else np.nan))
                k = j + 1
            else:
                k += 1
        rows.append((cid, ranges[0][0] if ranges else np.nan, ranges, float(f.mean())))
    return pd.DataFrame(rows, columns=["candidate_id", "from_eur", "ranges", "share_steps"])


def core_index(share_weights: pd.Series, ladder: BudgetLadder, draws: int) -> pd.DataFrame:
    """Robust Portfolio Modeling's core index per candidate over the weight draws and the ladder.

    ``share_weights`` is the share of the care-weight draws (``draws`` of them) with the candidate
    in (:func:`llt_geo.portfolio.portfolio_robustness`); the ladder adds one observation per step.
    ``core_index`` is the share over both together; ``core_nl`` is *kern* (1), *buiten* (0) or
    *twijfel*; unknown (NaN) when there are no observations at all.
    """
    on_ladder = entry_budgets(ladder).set_index("candidate_id")["share_steps"]
    steps = len(ladder.steps)
    ids = share_weights.index
    w = share_weights.astype(float)
    have_w = w.notna() & (draws > 0)
    ladder_share = on_ladder.reindex(ids).fillna(0.0) if steps else pd.Series(np.nan, index=ids)
    num = w.fillna(0.0) * np.where(have_w, draws, 0) + (ladder_share.fillna(0.0) * steps if steps else 0.0)
    den = np.where(have_w, draws, 0) + steps
    index = pd.Series(np.where(den > 0, num / np.where(den > 0, den, 1), np.nan), index=ids)
    label = np.select(
        [index.isna(), np.isclose(index, 1.0), np.isclose(index, 0.0)], ["onbekend", "kern", "buiten"], "twijfel"
    )
    return pd.DataFrame(
        {
            "candidate_id": ids,
            "share_weights": w.to_numpy(),
            "share_ladder": ladder_share.to_numpy(),
            "core_index": index.to_numpy(),
            "core_nl": label,
        }
    ).reset_index(drop=True)
