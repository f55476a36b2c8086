"""Reasons that explain (issue 19, item 4): every out-reason names its rule and figure, no ``inf``,
an infeasible scenario neither counts as a difference nor hides what conflicts, and every scenario
says what it changes against the basis."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import llt_geo


@pytest.fixture(scope="module")
def demo_results():
    ds = llt_geo.load_demo()
    return ds, llt_geo.run(ds, robustness=False)


def test_a_flat_out_on_the_budget_names_the_cheapest_portfolio_that_holds_it(demo_results):
    _ds, results = demo_results
    basis = results.decisions["basis"].flats.set_index("candidate_id")
    reason = basis.loc["GA-LLT-070", "reason_nl"]
    # the cheapest portfolio with GA-LLT-070 under every other rule costs € 2.590.000 (checked by hand)
    assert "€ 2.590.000" in reason and "budget van € 2.400.000" in reason, reason
    for name, decision in results.decisions.items():
        flats = decision.flats
        assert not flats["reason_nl"].str.contains(r"\binf\b|\bnan\b").any(), name
        assert not np.isinf(flats["score_change_needed"].astype(float)).any(), name


def test_the_cheapest_portfolio_figure_is_the_optimum_of_its_own_model(demo_results):
    """The figure in the reason is what a budget-minimising model gives with the flat forced in."""
    from scipy import sparse

    from llt_geo.portfolio import _milp, _Rule, _rules  # noqa: PLC2701 - the model itself

    _ds, results = demo_results
    scen = results.portfolio.scenarios["basis"]
    inputs, cfg = scen.inputs, scen.config
    rules, n, m = _rules(inputs, cfg)
    i = int(inputs.candidates.index[inputs.candidates["candidate_id"] == "GA-LLT-070"][0])
    forced = _Rule("force", "", sparse.csr_matrix(([1.0], ([0], [i])), shape=(1, n + m)), np.array([1.0]),
                   np.array([1.0]))  # fmt: skip
    cost = np.r_[np.nan_to_num(inputs.candidates["cost"].to_numpy(dtype=float)), np.zeros(m)]
    res = _milp(inputs, cfg, [r for r in rules if r.key != "budget"] + [forced], n, m, objective=-cost)
    assert res.x is not None and float(cost @ np.round(res.x)) == 2_590_000


def test_an_infeasible_scenario_is_not_a_difference_and_says_what_conflicts(demo_results):
    _ds, results = demo_results
    pf = results.portfolio
    assert pf.scenarios["krap_budget"].result.status == "infeasible"
    cands = pf.candidates.set_index("candidate_id")
    assert cands["in_krap_budget"].isna().all()  # neither in nor out
    feasible = list(pf.comparison.loc[pf.comparison["status"] != "infeasible", "scenario"])
    same = cands[[f"in_{n}" for n in feasible]].astype(bool).eq(cands["in_basis"].astype(bool), axis=0).all(axis=1)
    assert (~cands.loc[same, "differs_from_basis"]).all() and same.any()
    reasons = results.decisions["krap_budget"].flats
    out = reasons[reasons["outcome"] == "out"]
    assert len(out) and out["reason_nl"].str.contains("budget van").all(), out["reason_nl"].iloc[0]


def test_every_scenario_says_what_it_changes(demo_pack):
    out, _printed = demo_pack
    scen = pd.read_csv(out / "portefeuille_scenarios.csv", sep=";", decimal=",", encoding="utf-8-sig",
                       dtype=str, keep_default_na=False).set_index("scenario")  # fmt: skip
    changes = scen["wijzigt ten opzichte van basis"]
    assert changes["basis"] == ""
    assert changes["krap_budget"] == "Beschikbaar subsidiebudget (euro): 1.800.000 (basis: 2.400.000)"
    assert "(basis: 1)" in changes["bewoners_zwaarder"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Wijzigt ten opzichte van basis" in index
    assert re.search(r"Beschikbaar subsidiebudget \(euro\): 1\.800\.000 \(basis: 2\.400\.000\)", index)


def test_a_tie_is_called_a_tie_with_its_rule(tmp_path):
    """Two providers equal on every aspect: the choice says it is a tie and names the tie-break rule,
    and no sentence pretends one 'never comes above' the other."""
    from llt_geo.partners import choose_partners
    from llt_geo.screening import screen

    from .conftest import make_dataset, tiny_tables

    tables = tiny_tables()
    header, rows = tables["care_providers"]
    twin = ["P2", "Zorg Twee", *rows[0][2:]]
    site_header, sites = tables["intramural_sites"]
    twin_site = ["S2", "P2", "Huis Twee", *sites[0][3:]]  # on the same spot as P1's
    folder = make_dataset(tmp_path / "d", changes={"care_providers": (header, [rows[0], twin]),
                                                   "intramural_sites": (site_header, [sites[0], twin_site])})
    ds = llt_geo.load_dataset(folder)
    choice = choose_partners(ds, screen(ds))
    a = choice.assignment.set_index("candidate_id")
    assert (a["provider_id"] == "P1").all()
    assert a["choice_nl"].str.contains("gelijk met P2 (zelfde score): bij gelijke score gaat de aanbieder met "
                                       "het laagste nummer voor", regex=False).all()  # fmt: skip
    flips = choice.robustness_pairs["flip_nl"]
    assert len(flips) and flips.str.startswith("P1 en P2 scoren op elk aspect gelijk").all()
    assert not flips.str.contains("komt bij geen enkel gewicht").any()
