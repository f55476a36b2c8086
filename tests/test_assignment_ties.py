"""The exact assignment (issue 21, item 4): one persistent HiGHS model, and ties broken the same
whichever optimum the solver returns."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.optimize import linprog

from llt_geo import partners
from llt_geo.partners import assign_providers


def _scores(table: dict[tuple[str, str], float]) -> pd.DataFrame:
    return pd.DataFrame([(c, p, s) for (c, p), s in table.items()], columns=["candidate_id", "provider_id", "score"])


class _ColdLinprog:
    """The engine before issue 21: every LP solved from scratch by scipy's ``linprog`` (HiGHS dual
    simplex), same interface as :class:`llt_geo.partners._AssignmentLP`."""

    def __init__(self, n, cap):
        self.n, self.cap = n, np.asarray(cap, dtype=float)
        self.ci, self.pi, self.gain = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)

    def add(self, ci, pi, gain):
        self.ci, self.pi, self.gain = np.r_[self.ci, ci], np.r_[self.pi, pi], np.r_[self.gain, gain]

    def set_gain(self, gain):
        self.gain = np.asarray(gain, dtype=float)

    def solve(self):
        m = len(self.ci)
        a = sparse.csr_matrix(
            (np.ones(2 * m), (np.r_[self.ci, self.n + self.pi], np.r_[np.arange(m), np.arange(m)])),
            shape=(self.n + len(self.cap), m),
        )
        res = linprog(-self.gain, A_ub=a, b_ub=np.r_[np.ones(self.n), self.cap], bounds=(0, 1), method="highs-ds")
        assert res.status == 0
        return np.round(res.x).astype(bool), -res.ineqlin.marginals


def _tied_table(rng, n_c, n_p, levels=3):
    """Scores on a few levels, so that many pairs tie, and candidates with identical rows."""
    rows = rng.integers(0, levels, (max(1, n_c // 2), n_p)) / levels
    return {
        (f"C{c:02d}", f"P{p}"): float(rows[c % len(rows), p])
        for c in range(n_c)
        for p in range(n_p)
        if rng.random() < 0.85
    }


def test_two_candidates_that_tie_on_two_full_providers_are_settled_in_id_order():
    table = {("C1", "P1"): 0.5, ("C1", "P2"): 0.5, ("C2", "P1"): 0.5, ("C2", "P2"): 0.5}
    for order in (list(table), list(reversed(table))):
        got = assign_providers(_scores({k: table[k] for k in order}), pd.Series({"P2": 1, "P1": 1}))
        assert got.set_index("candidate_id")["provider_id"].to_dict() == {"C1": "P1", "C2": "P2"}


def test_a_tie_goes_to_the_lower_id_through_a_chain_of_ties():
    # C1 sits at P2 or P3 (equal), C2 at P1 or P2 (equal); P1 has room for one: the chain C2 -> P1,
    # C1 -> P2 puts both at a lower id than C1 -> P3, C2 -> P2
    table = {("C1", "P2"): 0.4, ("C1", "P3"): 0.4, ("C2", "P1"): 0.7, ("C2", "P2"): 0.7}
    got = assign_providers(_scores(table), pd.Series({"P1": 1, "P2": 1, "P3": 1}))
    assert got.set_index("candidate_id")["provider_id"].to_dict() == {"C1": "P2", "C2": "P1"}


@pytest.mark.parametrize("seed", range(40))
def test_the_persistent_model_gives_what_cold_linprog_gives_tie_for_tie(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    n_c, n_p = int(rng.integers(3, 40)), int(rng.integers(2, 7))
    table = _tied_table(rng, n_c, n_p)
    cap = pd.Series({f"P{p}": int(rng.integers(0, max(2, n_c // n_p + 2))) for p in range(n_p)})
    warm = assign_providers(_scores(table), cap)
    monkeypatch.setattr(partners, "_AssignmentLP", _ColdLinprog)
    cold = assign_providers(_scores(table), cap)
    pd.testing.assert_frame_equal(warm, cold)


def _canonical_by_enumeration(table, cap):
    """Most assigned, then highest score, then the lowest sum of provider positions, then in order
    of candidate id the lowest provider (None last)."""
    cands = sorted({c for c, _ in table})
    provs = sorted(cap)
    best_key, best = None, None
    for choice in itertools.product(*[sorted(p for c2, p in table if c2 == c) + [None] for c in cands]):
        used = pd.Series([p for p in choice if p], dtype=object).value_counts()
        if any(used.get(p, 0) > cap.get(p, 0) for p in used.index):
            continue
        n = sum(p is not None for p in choice)
        total = round(sum(table[(c, p)] for c, p in zip(cands, choice, strict=True) if p), 9)
        pos = sum(provs.index(p) for p in choice if p)
        key = (-n, -total, pos, tuple(provs.index(p) if p else len(provs) for p in choice))
        if best_key is None or key < best_key:
            best_key, best = key, dict(zip(cands, choice, strict=True))
    return best


@pytest.mark.parametrize("seed", range(30))
def test_the_tie_break_is_the_documented_order_checked_by_enumeration(seed):
    rng = np.random.default_rng(100 + seed)
    n_c, n_p = int(rng.integers(2, 6)), int(rng.integers(2, 4))
    table = _tied_table(rng, n_c, n_p, levels=2)
    if not table:
        return
    cap = {f"P{p}": int(rng.integers(1, 3)) for p in range(n_p)}
    if sum(cap.values()) < n_c:  # every candidate assignable: which ones stay without is another rule
        cap["P0"] += n_c
    got = assign_providers(_scores(table), pd.Series(cap)).set_index("candidate_id")["provider_id"]
    want = _canonical_by_enumeration(table, cap)
    assert {c: (None if pd.isna(p) else p) for c, p in got.items()} == want


def test_the_solver_writes_nothing(capfd):
    table = {("C1", "P1"): 0.5, ("C1", "P2"): 0.5, ("C2", "P1"): 0.5, ("C2", "P2"): 0.4}
    assign_providers(_scores(table), pd.Series({"P1": 1, "P2": 1}))
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # highspy.Highs() would print HiGHS's banner on stdout
