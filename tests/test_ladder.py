"""The budget ladder (issue 22, item 4): every breakpoint against a brute-force sweep of small
hand-made portfolios, and the core index's three words."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pandas as pd
import pytest

from llt_geo.config import default_config
from llt_geo.ladder import budget_ladder, core_index, entry_budgets
from llt_geo.portfolio import PortfolioInputs


def _inputs(rows, pairs, capacity):
    c = pd.DataFrame(rows, columns=["candidate_id", "stadsdeel_code", "corporation", "cost", "focus"])
    c["members"] = c["candidate_id"]
    c["is_group"] = False
    c["n_dwellings"] = 100
    c["eligibility_31"] = "pass"
    c["base"] = 1.0 + 0.5 * c["focus"].astype(float)
    c["excluded_nl"] = ""
    c["marks_nl"] = ""
    c["on_condition"] = False
    c["fundable"] = True
    ids = list(c["candidate_id"])
    p = pd.DataFrame([(ids.index(ci), int(pi), s) for ci, pi, s in pairs], columns=["candidate", "provider", "score"])
    cap = pd.Series(capacity, index=[f"P{i}" for i in range(len(capacity))], dtype=float)
    fx = pd.DataFrame([], columns=["candidate_id", "status", "stadsdeel_code", "corporation", "focus"])
    fo = pd.DataFrame({"candidate": range(len(c)), "flat_id": ids})
    sd = {code: f"Stadsdeel {code}" for code in sorted(set(c["stadsdeel_code"]))}
    return PortfolioInputs(c, p, cap, fx, fo, sd)


def _cfg(goal, max_sd):
    cfg = copy.deepcopy(default_config())
    cfg["programme"]["goal_flats"] = goal
    cfg["programme"]["budget_eur"] = 1_000_000
    cfg["portfolio"]["min_per_stadsdeel"] = 0
    cfg["portfolio"]["per_stadsdeel_min"] = {}
    cfg["portfolio"]["max_per_stadsdeel"] = max_sd
    cfg["portfolio"]["min_focus_share"] = 0.0
    return cfg


def _sweep(inputs, cfg):
    """Every portfolio by brute force: (cost, best value with providers within capacity)."""
    c = inputs.candidates
    need = cfg["programme"]["goal_flats"]
    cap = inputs.capacity.to_numpy()
    wp = float(cfg["portfolio"]["weight_partner"])
    out = []
    for subset in itertools.combinations(range(len(c)), need):
        if (c.loc[list(subset), "stadsdeel_code"].value_counts() > cfg["portfolio"]["max_per_stadsdeel"]).any():
            continue
        options = [list(inputs.pairs[inputs.pairs["candidate"] == i].itertuples()) for i in subset]
        best = None
        for combo in itertools.product(*options):
            used = pd.Series([r.provider for r in combo]).value_counts()
            if any(used.get(k, 0) > cap[k] for k in used.index):
                continue
            value = c.loc[list(subset), "base"].sum() + wp * sum(r.score for r in combo)
            best = value if best is None else max(best, value)
        if best is not None:
            out.append((float(c.loc[list(subset), "cost"].sum()), best))
    return out


def _breakpoints(sweep):
    """The budgets at which the best affordable value rises, with that value."""
    steps = []
    for cost in sorted({cost for cost, _v in sweep}):
        value = max(v for c, v in sweep if c <= cost)
        if not steps or value > steps[-1][1] + 1e-6:
            steps.append((cost, value))
    return steps


@pytest.mark.parametrize("seed", range(10))
def test_every_breakpoint_equals_a_brute_force_sweep(seed):
    rng = np.random.default_rng(100 + seed)
    rows = [
        (f"C{i}", "AB"[int(rng.integers(2))], "Corp", float(rng.integers(2, 9)) * 25_000, bool(rng.random() < 0.4))
        for i in range(7)
    ]
    pairs = [(f"C{i}", p, float(np.round(rng.random(), 3))) for i in range(7) for p in range(2) if rng.random() < 0.8]
    inputs = _inputs(rows, pairs, [int(rng.integers(1, 4)), int(rng.integers(1, 4))])
    cfg = _cfg(goal=3, max_sd=2)
    expected = _breakpoints(_sweep(inputs, cfg))
    ladder = budget_ladder(inputs, cfg)
    assert ladder.complete
    got = list(zip(ladder.steps["budget_eur"], ladder.steps["value"], strict=True))
    assert [b for b, _v in got] == [b for b, _v in expected]
    assert np.allclose([v for _b, v in got], [v for _b, v in expected], atol=1e-9)
    # each step's portfolio is affordable at its budget and has its size
    assert (ladder.steps["cost_eur"] <= ladder.steps["budget_eur"] + 1e-6).all()
    assert (ladder.steps["n_flats"] == 3).all()


def test_a_hand_made_ladder_reads_as_expected():
    # four candidates, two to choose; A+B is cheapest, C is the best, D is good but dear
    rows = [
        ("A", "X", "Corp", 100_000.0, False),
        ("B", "X", "Corp", 100_000.0, False),
        ("C", "X", "Corp", 150_000.0, True),
        ("D", "X", "Corp", 300_000.0, True),
    ]
    pairs = [("A", 0, 0.1), ("B", 0, 0.2), ("C", 0, 0.5), ("D", 0, 0.9)]
    inputs = _inputs(rows, pairs, [5])
    ladder = budget_ladder(inputs, _cfg(goal=2, max_sd=8))
    steps = ladder.steps
    # B+D (400.000) is worth more than B+C: 1,5 + 0,9 against 1,5 + 0,5 with B's 1 + 0,2 beside either
    assert list(steps["budget_eur"]) == [200_000.0, 250_000.0, 400_000.0, 450_000.0]
    assert list(steps["candidates"]) == ["A;B", "B;C", "B;D", "C;D"]
    assert list(steps["enters"]) == ["A;B", "C", "D", "C"]
    assert list(steps["leaves"]) == ["", "A", "C", "B"]
    entry = entry_budgets(ladder).set_index("candidate_id")
    assert entry.loc["C", "from_eur"] == 250_000.0
    assert entry.loc["C", "ranges"][0] == (250_000.0, 400_000.0)
    assert entry.loc["C", "ranges"][1][0] == 450_000.0 and np.isnan(entry.loc["C", "ranges"][1][1])
    assert entry.loc["A", "ranges"] == [(200_000.0, 250_000.0)]
    # core index over 10 weight draws and the 4 steps
    share = pd.Series({"A": 0.0, "B": 1.0, "C": 1.0, "D": 1.0, "E": 0.0})
    core = core_index(share, ladder, draws=10).set_index("candidate_id")
    assert core.loc["C", "core_index"] == pytest.approx((10 + 2) / 14)
    assert core.loc["C", "core_nl"] == "twijfel"
    assert core.loc["A", "core_nl"] == "twijfel"  # never in a draw, but in at the cheapest step
    assert core.loc["E", "core_nl"] == "buiten"
    all_in = budget_ladder(_inputs(rows[:2], pairs[:2], [5]), _cfg(goal=2, max_sd=8))
    both = core_index(pd.Series({"A": 1.0, "B": 1.0}), all_in, draws=10).set_index("candidate_id")
    assert list(both["core_nl"]) == ["kern", "kern"]


def test_no_portfolio_gives_an_empty_ladder():
    rows = [("A", "X", "Corp", 100_000.0, False)]
    inputs = _inputs(rows, [("A", 0, 0.5)], [1])
    ladder = budget_ladder(inputs, _cfg(goal=2, max_sd=8))
    assert ladder.steps.empty and ladder.complete
    assert entry_budgets(ladder).empty
