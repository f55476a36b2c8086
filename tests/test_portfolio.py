"""The portfolio (issue #8): small hand-made instances whose optimum is checked by enumeration."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pandas as pd
import pytest

from llt_geo import InputError
from llt_geo.config import default_config, merge_config
from llt_geo.portfolio import PortfolioInputs, candidate_reasons, explain_infeasible, solve


def _inputs(rows, pairs, capacity, fixed=(), flats=None, stadsdelen=None):
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
    fx = pd.DataFrame(list(fixed), columns=["candidate_id", "status", "stadsdeel_code", "corporation", "focus"])
    fo = flats if flats is not None else pd.DataFrame({"candidate": range(len(c)), "flat_id": ids})
    sd = stadsdelen or {code: f"Stadsdeel {code}" for code in sorted(set(c["stadsdeel_code"]))}
    return PortfolioInputs(c, p, cap, fx, fo, sd)


def _cfg(**changes):
    cfg = copy.deepcopy(default_config())
    cfg["programme"]["goal_flats"] = changes.pop("goal", 3)
    cfg["programme"]["budget_eur"] = changes.pop("budget", 1_000_000)
    cfg["portfolio"]["min_per_stadsdeel"] = changes.pop("min_sd", 0)
    cfg["portfolio"]["per_stadsdeel_min"] = changes.pop("per_min", {})
    cfg["portfolio"]["max_per_stadsdeel"] = changes.pop("max_sd", 8)
    cfg["portfolio"]["min_focus_share"] = changes.pop("focus", 0.0)
    for key, value in changes.items():
        cfg["portfolio"][key] = value
    return cfg


def _enumerate(inputs, cfg):
    """The best objective over every subset and every provider assignment (brute force)."""
    c = inputs.candidates
    need = cfg["programme"]["goal_flats"] - len(inputs.fixed)
    best = None
    cap = inputs.capacity.to_numpy()
    for subset in itertools.combinations(range(len(c)), need):
        if c.loc[list(subset), "cost"].sum() > cfg["programme"]["budget_eur"]:
            continue
        counts = c.loc[list(subset), "stadsdeel_code"].value_counts()
        if (counts > cfg["portfolio"]["max_per_stadsdeel"]).any():
            continue
        options = [inputs.pairs[inputs.pairs["candidate"] == i] for i in subset]
        for combo in itertools.product(*[list(o.itertuples()) for o in options]):
            used = pd.Series([r.provider for r in combo]).value_counts()
            if any(used.get(k, 0) > cap[k] for k in used.index):
                continue
            value = c.loc[list(subset), "base"].sum() + sum(r.score for r in combo)
            best = value if best is None else max(best, value)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_the_optimum_equals_enumeration(seed):
    rng = np.random.default_rng(seed)
    rows = [
        (f"C{i}", "AB"[int(rng.integers(2))], "Corp", float(rng.integers(2, 6)) * 100_000, bool(rng.random() < 0.5))
        for i in range(6)
    ]
    pairs = [(f"C{i}", p, float(np.round(rng.random(), 3))) for i in range(6) for p in range(2) if rng.random() < 0.8]
    inputs = _inputs(rows, pairs, [int(rng.integers(1, 3)), int(rng.integers(1, 3))])
    cfg = _cfg(goal=3, budget=1_200_000, max_sd=2)
    result = solve(inputs, cfg)
    expected = _enumerate(inputs, cfg)
    if expected is None:
        assert result.status == "infeasible"
    else:
        assert result.status == "optimal"
        assert result.objective == pytest.approx(expected)
        assert result.chosen["cost"].sum() <= 1_200_000
        assert result.chosen["provider_id"].value_counts().le(inputs.capacity).all()


def test_a_budget_and_goal_conflict_names_exactly_those_rules_and_the_budget_that_would_do():
    rows = [("C1", "A", "X", 400_000, True), ("C2", "A", "X", 300_000, True), ("C3", "B", "Y", 500_000, False)]
    pairs = [("C1", 0, 0.5), ("C2", 0, 0.5), ("C3", 0, 0.5)]
    inputs = _inputs(rows, pairs, [3])
    cfg = _cfg(goal=2, budget=600_000)
    assert solve(inputs, cfg).status == "infeasible"
    conflict, fixes, sentence = explain_infeasible(inputs, cfg)
    assert conflict == ["het doel van 2 Lang Leven Thuisflats (nog 2 te kiezen)", "het budget van € 600.000"]
    assert "met een budget van € 700.000" in fixes  # the two cheapest
    assert "met 1 in plaats van 2 te kiezen flats" in fixes
    assert sentence.startswith("Geen portefeuille mogelijk") and "Haalbaar met" in sentence


def test_a_minimum_in_a_stadsdeel_without_candidates_is_the_conflict():
    rows = [("C1", "A", "X", 100_000, True), ("C2", "A", "X", 100_000, True)]
    inputs = _inputs(rows, [("C1", 0, 0.5), ("C2", 0, 0.5)], [2], stadsdelen={"A": "Centrum", "S": "Weesp"})
    cfg = _cfg(goal=2, min_sd=1)
    assert solve(inputs, cfg).status == "infeasible"
    conflict, fixes, _ = explain_infeasible(inputs, cfg)
    assert conflict == ["minimaal 1 in stadsdeel Weesp (S; er zijn er al 0)"]
    assert fixes == ["zonder de regel 'minimaal 1 in stadsdeel Weesp (S; er zijn er al 0)'"]


def test_fixed_flats_count_toward_the_rules():
    rows = [("C1", "A", "X", 100_000, False), ("C2", "B", "X", 100_000, False)]
    fixed = [("R1", "realised", "A", "X", False)]
    inputs = _inputs(rows, [("C1", 0, 0.9), ("C2", 0, 0.1)], [2], fixed=fixed)
    cfg = _cfg(goal=2, max_sd=1)  # A already has one: C1 cannot be added, though it scores higher
    result = solve(inputs, cfg)
    assert list(result.chosen["candidate_id"]) == ["C2"]


def test_a_flat_is_never_funded_twice():
    rows = [("G1", "A", "X", 100_000, False), ("F1", "A", "X", 100_000, False), ("F3", "A", "X", 100_000, False)]
    flats = pd.DataFrame({"candidate": [0, 0, 1, 2], "flat_id": ["f1", "f2", "f1", "f3"]})
    inputs = _inputs(rows, [("G1", 0, 0.9), ("F1", 0, 0.9), ("F3", 0, 0.1)], [3], flats=flats)
    result = solve(inputs, _cfg(goal=2))
    chosen = set(result.chosen["candidate_id"])
    assert len(chosen) == 2 and not {"G1", "F1"} <= chosen


def test_would_enter_with_that_much_more_score_is_verified_by_re_solving():
    rows = [(f"C{i}", "A", "X", 100_000, False) for i in range(4)]
    pairs = [(f"C{i}", 0, s) for i, s in enumerate([0.9, 0.7, 0.4, 0.2])]
    inputs = _inputs(rows, pairs, [4])
    cfg = _cfg(goal=2)
    result = solve(inputs, cfg)
    assert set(result.chosen["candidate_id"]) == {"C0", "C1"}
    reasons = candidate_reasons(inputs, cfg, result).set_index("candidate_id")
    delta = reasons.loc["C2", "score_change_needed"]
    assert delta == pytest.approx(0.3)  # C1's 0.7 against C2's 0.4
    assert "zou erin komen bij een score die 0,30 hoger is" in reasons.loc["C2", "reason_nl"]
    raised = copy.deepcopy(inputs)
    raised.candidates.loc[2, "base"] += delta + 1e-6
    assert "C2" in set(solve(raised, cfg).chosen["candidate_id"])
    assert reasons.loc["C1", "in_portfolio"] and "blijft erin" in reasons.loc["C1", "reason_nl"]


def test_bad_portfolio_configuration_is_named():
    with pytest.raises(InputError, match=r"unknown key 'budgt' in \[scenarios.x\]"):
        merge_config({"scenarios": {"x": {"budgt": 1}}})
    with pytest.raises(InputError, match="asks for more flats than the goal"):
        merge_config({"portfolio": {"flats_to_choose": 40}})
    with pytest.raises(InputError, match="per_stadsdeel_min must map stadsdeel codes"):
        merge_config({"portfolio": {"per_stadsdeel_min": {"Zuid": -1}}})


def test_the_demo_portfolio_and_its_scenarios():
    import llt_geo
    from llt_geo.portfolio import run_portfolio

    ds = llt_geo.load_demo()
    pf = run_portfolio(ds, robustness=False)
    comp = pf.comparison.set_index("scenario")
    assert comp.loc["basis", "status"] == "optimal" and comp.loc["basis", "flats_chosen"] == 9
    assert comp.loc["basis", "cost_eur"] <= ds.config["programme"]["budget_eur"]
    assert comp.loc["krap_budget", "status"] == "infeasible"
    assert "het budget van € 1,8 mln" in comp.loc["krap_budget", "explanation_nl"]
    assert pf.candidates["differs_from_basis"].any()
    # a budget of 0 is refused
    ds.config["programme"]["budget_eur"] = 0
    with pytest.raises(InputError, match="budget_eur is not set"):
        run_portfolio(ds, robustness=False)


def test_a_negative_subsidy_is_named_on_reading(tmp_path, capsys):
    from llt_geo.cli import main

    from .conftest import FLAT_HEADER, make_dataset, tiny_tables

    header, rows = tiny_tables()["flats"]
    flats = ([*FLAT_HEADER, "subsidie"], [[*rows[0], "-250.000"], [*rows[1], "€ 200.000"]])
    folder = make_dataset(tmp_path / "d", changes={"flats": flats})
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "flats.csv, column 'subsidie': negative value in row 2" in out and "'-250.000'" in out


@pytest.mark.parametrize("seed", range(12))
def test_reduced_cost_fixing_keeps_the_optimum(seed, monkeypatch):
    """With binding capacities the whole model is solved on the candidates that can still matter:
    forced onto a handful first (as on a large portfolio), the answer is still the enumerated one."""
    import llt_geo.portfolio as portfolio

    monkeypatch.setattr(portfolio, "_PRUNE_MIN", 1)
    rng = np.random.default_rng(100 + seed)
    rows = [
        (f"C{i}", "AB"[int(rng.integers(2))], "Corp", float(rng.integers(2, 6)) * 100_000, bool(rng.random() < 0.5))
        for i in range(12)
    ]
    pairs = [(f"C{i}", p, float(np.round(rng.random(), 3))) for i in range(12) for p in range(2) if rng.random() < 0.9]
    inputs = _inputs(rows, pairs, [1, 1])  # capacity binds: two providers, one flat each
    cfg = _cfg(goal=2, budget=900_000, max_sd=2)  # 4 x 2 = 8 of the 12 candidates first
    calls = []
    original = portfolio._pruned_whole
    monkeypatch.setattr(portfolio, "_pruned_whole", lambda *a, **k: calls.append(1) or original(*a, **k))
    result = solve(inputs, cfg)
    expected = _enumerate(inputs, cfg)
    if expected is None:
        assert result.status == "infeasible"
    else:
        assert result.status == "optimal" and result.objective == pytest.approx(expected)
