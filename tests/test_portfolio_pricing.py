"""Reasons by pricing (issue 21, item 1): the priced and pruned reasons equal the ones found by
re-solving the whole model per candidate, and a bound ("minstens") is really a bound."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from scipy import sparse

import llt_geo.portfolio as portfolio
from llt_geo.portfolio import PortfolioInputs, _milp, _objective, _Rule, _rules, candidate_reasons, solve

from .test_portfolio import _cfg, _inputs


def _re_solved(inputs, cfg, result) -> dict:
    """Per fundable candidate the score change found as the old code found it: the whole model
    solved again with it forced in (out candidates) or left out (chosen ones); NaN when none."""
    c = inputs.candidates
    rules, n, m = _rules(inputs, cfg)
    chosen = set(result.chosen["candidate_id"])
    out = {}
    for i, cid in enumerate(c["candidate_id"]):
        if not c.at[i, "fundable"]:
            continue
        if cid in chosen:
            forced = c.copy()
            forced.loc[i, "fundable"] = False
            alt = solve(PortfolioInputs(forced, inputs.pairs, inputs.capacity, inputs.fixed, inputs.flats_of,
                                        inputs.stadsdelen), cfg)  # fmt: skip
            out[cid] = result.objective - alt.objective if alt.status != "infeasible" else np.nan
            continue
        force = _Rule("force", "", sparse.csr_matrix(([1.0], ([0], [i])), shape=(1, n + m)), np.ones(1), np.ones(1))
        res = _milp(inputs, cfg, [*rules, force], n, m, _objective(inputs, cfg))
        out[cid] = result.objective + res.fun if res.x is not None else np.nan
    return out


def _random_case(seed: int, n: int = 10):
    rng = np.random.default_rng(seed)
    rows = [
        (f"C{i}", "AB"[int(rng.integers(2))], "XY"[int(rng.integers(2))], float(rng.integers(2, 6)) * 100_000,
         bool(rng.random() < 0.5))
        for i in range(n)
    ]  # fmt: skip
    pairs = [(f"C{i}", p, float(np.round(rng.random(), 3))) for i in range(n) for p in range(3) if rng.random() < 0.7]
    capacity = [int(rng.integers(1, 3)) for _ in range(3)]
    inputs = _inputs(rows, pairs, capacity)
    cfg = _cfg(goal=3, budget=float(rng.integers(8, 13)) * 100_000, max_sd=2, max_per_corporation=2)
    return inputs, cfg


@pytest.mark.parametrize("seed", range(16))
def test_priced_reasons_equal_the_re_solved_ones(seed, monkeypatch):
    """Every reason exact on a small case (the default), and the same with the re-solves pruned
    onto a handful of candidates (as on a large portfolio): the figure equals re-solving."""
    inputs, cfg = _random_case(seed)
    result = solve(inputs, cfg)
    if result.status == "infeasible":
        return
    expected = _re_solved(inputs, cfg, result)
    for prune in (False, True):
        if prune:
            monkeypatch.setattr(portfolio, "_PRUNE_MIN", 1)
            monkeypatch.setattr(portfolio, "_SWAP_POOL", 2)
        reasons = candidate_reasons(inputs, cfg, result).set_index("candidate_id")
        for cid, want in expected.items():
            got = reasons.loc[cid, "score_change_needed"]
            if np.isnan(want):
                assert np.isnan(got), (seed, cid, got)
                text = reasons.loc[cid, "reason_nl"]
                assert "onmisbaar" in text or "goedkoopste portefeuille" in text or "geen portefeuille" in text
            else:
                assert got == pytest.approx(want, abs=1e-9), (seed, cid, prune)
            assert "minstens" not in reasons.loc[cid, "reason_nl"]


@pytest.mark.parametrize("seed", range(16))
def test_a_bound_is_a_bound(seed, monkeypatch):
    """With nothing re-solved every reason is priced: an out candidate's 'minstens x' is at most its
    re-solved score change, a chosen one's two ends hold its margin; no figure is claimed exact."""
    monkeypatch.setattr(portfolio, "_EXACT_OUT", 0)
    monkeypatch.setattr(portfolio, "_EXACT_IN", 0)
    inputs, cfg = _random_case(seed)
    result = solve(inputs, cfg)
    if result.status == "infeasible":
        return
    expected = _re_solved(inputs, cfg, result)
    reasons = candidate_reasons(inputs, cfg, result).set_index("candidate_id")
    chosen = set(result.chosen["candidate_id"])
    for cid, want in expected.items():
        text = reasons.loc[cid, "reason_nl"]
        assert np.isnan(reasons.loc[cid, "score_change_needed"])
        if "niet exact doorgerekend" not in text:  # no LP bound (no provider): re-solved, and none holds it
            assert np.isnan(want) and "geen portefeuille mogelijk" in text, text
            continue
        numbers = [float(x.replace(",", ".")) for x in _figures(text)]
        if cid in chosen:
            low = numbers[0]
            assert np.isnan(want) or low <= want + 1e-9, (text, want)
            if len(numbers) > 1:  # it leaves for sure beyond the second figure
                assert not np.isnan(want) and want <= numbers[1] + 1e-9, (text, want)
        else:
            assert "minstens" in text
            assert np.isnan(want) or numbers[0] <= want + 1e-9, (text, want)


def _figures(text: str) -> list[str]:
    import re

    return re.findall(r"\d+,\d\d", text)


def test_a_hand_made_bound_names_its_figure_and_the_exact_one_stays_exact(monkeypatch):
    """Four flats in one stadsdeel, two to choose: C2 and C3 are out. With one out candidate
    re-solved, C2 (the nearest) gets its exact 0,30 and C3 a bound from the LP (its duals are not
    unique here, so the bound may be weak): 'minstens x' with x at most C3's exact 0,50, and raising
    C3 by less than x does not bring it in."""
    monkeypatch.setattr(portfolio, "_EXACT_OUT", 1)
    rows = [(f"C{i}", "A", "X", 100_000, False) for i in range(4)]
    pairs = [(f"C{i}", 0, s) for i, s in enumerate([0.9, 0.7, 0.4, 0.2])]
    inputs = _inputs(rows, pairs, [4])
    cfg = _cfg(goal=2)
    result = solve(inputs, cfg)
    reasons = candidate_reasons(inputs, cfg, result).set_index("candidate_id")
    assert reasons.loc["C2", "score_change_needed"] == pytest.approx(0.3)
    assert "zou erin komen bij een score die 0,30 hoger is" in reasons.loc["C2", "reason_nl"]
    assert np.isnan(reasons.loc["C3", "score_change_needed"])
    text = reasons.loc["C3", "reason_nl"]
    assert "zou er alleen in kunnen komen bij een score die minstens" in text and "niet exact doorgerekend" in text
    bound = float(_figures(text)[0].replace(",", "."))
    assert 0 < bound <= 0.5, text
    for step, enters in ((bound - 1e-6, False), (0.5 + 1e-6, True)):
        raised = copy.deepcopy(inputs)
        raised.candidates.loc[3, "base"] += step
        assert ("C3" in set(solve(raised, cfg).chosen["candidate_id"])) == enters


def test_the_cheapest_portfolio_with_a_flat_is_found_on_the_pruned_model(monkeypatch):
    """A flat that no portfolio within the budget holds: the cheapest one with it, found on the
    candidates that can matter, is the figure of the whole model."""
    monkeypatch.setattr(portfolio, "_PRUNE_MIN", 1)
    rows = [("C0", "A", "X", 100_000, False), ("C1", "A", "X", 150_000, False), ("C2", "A", "X", 200_000, False),
            ("C3", "B", "Y", 900_000, True)]  # fmt: skip
    inputs = _inputs(rows, [(f"C{i}", 0, 0.5) for i in range(4)], [4])
    cfg = _cfg(goal=2, budget=400_000)
    result = solve(inputs, cfg)
    reasons = candidate_reasons(inputs, cfg, result).set_index("candidate_id")
    assert "kost € 1.000.000, meer dan het budget van € 400.000" in reasons.loc["C3", "reason_nl"]
