"""Partner choice (issue #7): hand-made cases whose answers can be worked out by hand."""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from llt_geo import load_dataset
from llt_geo.config import default_config
from llt_geo.partners import (
    ASPECTS,
    FREE_CHOICE_NL,
    HARD_CRITERIA,
    aspect_scores,
    assign_providers,
    choose_partners,
    choose_welfare,
    corporation_checklist,
    hard_criteria,
    weight_robustness,
)

from .conftest import make_dataset, tiny_tables

HARD = list(HARD_CRITERIA)


def _providers(rows: dict[str, dict]) -> pd.DataFrame:
    out = []
    for pid, changes in rows.items():
        row = {"provider_id": pid, "name": f"Zorg {pid}", **dict.fromkeys(HARD, True), "max_flats": pd.NA}
        row.update(changes)
        out.append(row)
    frame = pd.DataFrame(out)
    for c in HARD:
        frame[c] = frame[c].astype("boolean")
    frame["max_flats"] = frame["max_flats"].astype("Int64")
    return frame


def test_a_provider_failing_exactly_one_hard_criterion_and_one_with_an_unknown():
    long, wide = hard_criteria(
        _providers({"P1": {}, "P2": {"casemanager_dementie": False}, "P3": {"client_handover": pd.NA}})
    )
    assert wide.set_index("provider_id")["eligibility"].to_dict() == {"P1": "pass", "P2": "fail", "P3": "unknown"}
    p2 = wide.set_index("provider_id").loc["P2"]
    assert p2["failed"] == "Casemanagers dementie" and "voldoet niet aan: Casemanagers dementie" in p2["reason"]
    p3 = wide.set_index("provider_id").loc["P3"]
    assert (
        p3["unknown"] == "Werkt mee aan overdracht van cliënten" and "niet geschikt tot dit bekend is" in p3["reason"]
    )
    assert wide.loc[wide["provider_id"] == "P3", "eligibility_nl"].item() == "onbekend"
    row = long[(long["provider_id"] == "P2") & (long["criterion"] == "casemanager_dementie")].iloc[0]
    assert row["status"] == "fail" and row["reason"] == "beschikt niet over casemanagers dementie"
    assert len(long) == 3 * 7


def _scores(table: dict[tuple[str, str], float]) -> pd.DataFrame:
    return pd.DataFrame([(c, p, s) for (c, p), s in table.items()], columns=["candidate_id", "provider_id", "score"])


def test_a_tie_is_broken_by_provider_id():
    got = assign_providers(_scores({("C1", "P2"): 0.5, ("C1", "P1"): 0.5}), pd.Series({"P1": 1, "P2": 1}))
    assert got.set_index("candidate_id")["provider_id"].to_dict() == {"C1": "P1"}
    # when P1 has no room, the tie goes to P2
    got = assign_providers(_scores({("C1", "P2"): 0.5, ("C1", "P1"): 0.5}), pd.Series({"P1": 0, "P2": 1}))
    assert got["provider_id"].tolist() == ["P2"]


def test_capacity_forces_a_second_choice_where_that_gives_the_higher_total():
    # C1 prefers P1 (0.9 > 0.8); C2 needs P1 more (0.85 vs 0.3). P1 takes one flat.
    table = {("C1", "P1"): 0.9, ("C1", "P2"): 0.8, ("C2", "P1"): 0.85, ("C2", "P2"): 0.3}
    got = assign_providers(_scores(table), pd.Series({"P1": 1, "P2": 1})).set_index("candidate_id")
    assert got["provider_id"].to_dict() == {"C1": "P2", "C2": "P1"}
    assert got["score"].sum() == pytest.approx(1.65)  # not the greedy 0.9 + 0.3 = 1.2


def _best_by_enumeration(table, cap):
    cands = sorted({c for c, _ in table})
    best = (-1, -1.0)
    for choice in itertools.product(*[[None] + sorted(p for c2, p in table if c2 == c) for c in cands]):
        used = pd.Series([p for p in choice if p]).value_counts()
        if any(used.get(p, 0) > cap.get(p, 0) for p in used.index):
            continue
        n = sum(p is not None for p in choice)
        total = sum(table[(c, p)] for c, p in zip(cands, choice, strict=True) if p)
        best = max(best, (n, round(total, 9)))
    return best


@pytest.mark.parametrize("seed", range(25))
def test_the_assignment_is_the_true_optimum_checked_by_enumeration(seed):
    rng = np.random.default_rng(seed)
    n_c, n_p = int(rng.integers(2, 6)), int(rng.integers(1, 4))
    table = {
        (f"C{c}", f"P{p}"): float(np.round(rng.random(), 3))
        for c in range(n_c)
        for p in range(n_p)
        if rng.random() < 0.75
    }
    if not table:
        return
    cap = {f"P{p}": int(rng.integers(0, 3)) for p in range(n_p)}
    got = assign_providers(_scores(table), pd.Series(cap))
    assigned = got.dropna(subset=["provider_id"])
    assert assigned["provider_id"].value_counts().le(pd.Series(cap)).reindex(assigned["provider_id"].unique()).all()
    n, total = _best_by_enumeration(table, cap)
    assert len(assigned) == n  # as many candidates as possible get a provider
    assert round(assigned["score"].sum(), 9) == pytest.approx(total)  # and then the highest total score


def _world():
    cands = pd.DataFrame({"candidate_id": ["F1", "F2"], "wijk_code": ["AA", "AA"]})
    flats = gpd.GeoDataFrame(
        {"flat_id": ["F1", "F2"], "candidate_id": ["F1", "F2"]},
        geometry=[Point(120300, 485400), Point(120600, 485400)],
        crs=28992,
    )
    presence = pd.DataFrame(
        {
            "provider_id": ["P1", "P2"],
            "wijk_code": ["AA", "MA"],
            "n_clients": pd.array([25, 80], dtype="Int64"),
            "gp_agreement": pd.array([True, True], dtype="boolean"),
            "first_line_agreement": pd.array([False, True], dtype="boolean"),
        }
    )
    survey = pd.DataFrame(
        {"flat_id": ["F1", "F1"], "provider_id": ["P1", "P2"], "n_preferences": [6, 2], "n_respondents": [10, 10]}
    )
    clients = pd.DataFrame({"flat_id": ["F1"], "provider_id": ["P2"], "n_clients": [30]})
    dist = pd.DataFrame({"P1": [640.0, 200.0], "P2": [3000.0, 3000.0]})
    sites = gpd.GeoDataFrame(
        {"site_id": ["S1", "S2"], "provider_id": ["P1", "P2"], "name": ["De Die", "Het Hof"]},
        geometry=[Point(120300, 486040), Point(123300, 485400)],
        crs=28992,
    )
    return cands, flats, presence, survey, clients, dist, sites


def test_aspect_scores_by_hand_and_missing_survey_is_unknown_not_silently_zero():
    cands, flats, presence, survey, clients, dist, sites = _world()
    cfg = default_config()
    out = aspect_scores(
        cands,
        flats,
        ["P1", "P2"],
        provider_names={"P1": "Een", "P2": "Twee"},
        config=cfg,
        provider_distance_m=dist,
        sites=sites,
        presence=presence,
        survey=survey,
        flat_clients=clients,
    ).set_index(["candidate_id", "provider_id"])
    f1p1 = out.loc[("F1", "P1")]
    assert f1p1["known_in_wijk_score"] == pytest.approx(25 / 50)
    assert f1p1["cooperation_score"] == pytest.approx(0.5)
    assert f1p1["intramural_nearby_score"] == pytest.approx(1 - 640 / 1500)
    assert f1p1["residents_voice_score"] == pytest.approx(0.6)
    assert f1p1["existing_clients_score"] == 0 and f1p1["existing_clients_known"]  # F1 has data: P1 has none
    assert f1p1["score"] == pytest.approx((0.5 + 0.5 + (1 - 640 / 1500) + 0.6 + 0) / 5)
    assert "De Die op 640 m" in f1p1["intramural_nearby_reason"]
    assert "6 van 10 respondenten" in f1p1["residents_voice_reason"]
    f1p2 = out.loc[("F1", "P2")]
    assert f1p2["known_in_wijk_score"] == 0 and "geeft nog geen zorg" in f1p2["known_in_wijk_reason"]
    assert f1p2["existing_clients_score"] == 1 and "heeft 30 cliënten in deze flat" in f1p2["existing_clients_reason"]
    # F2 has no survey and no client data: unknown, scored 0, and said so
    f2p1 = out.loc[("F2", "P1")]
    assert not f2p1["residents_voice_known"] and f2p1["residents_voice_score"] == 0
    assert f2p1["residents_voice_reason"].startswith("onbekend") and f2p1["n_unknown"] == 2
    assert f2p1["score_if_known_max"] == pytest.approx(f2p1["score"] + 2 / 5)
    assert "(onbekend, telt als 0)" in f2p1["explanation"]
    assert out.loc[("F1", "P1"), "rank"] == 1 if f1p1["score"] > f1p2["score"] else 2


def test_robustness_is_one_matrix_product_that_equals_a_loop_over_draws():
    cands, flats, presence, survey, clients, dist, sites = _world()
    cfg = default_config()
    scores = aspect_scores(
        cands,
        flats,
        ["P1", "P2"],
        provider_names={"P1": "Een", "P2": "Twee"},
        config=cfg,
        provider_distance_m=dist,
        sites=sites,
        presence=presence,
        survey=survey,
        flat_clients=clients,
    )
    chosen = scores[scores["rank"] == 1][["candidate_id", "provider_id"]]
    w0 = np.array([1.0, 1.0, 1.0, 1.0, 1.0])
    per, pairs = weight_robustness(scores, chosen, w0, draws=500, concentration=20, seed=7)
    rng = np.random.default_rng(7)
    draws = rng.dirichlet(20 * w0 / w0.sum(), size=500)
    aspects = [f"{a}_score" for a in ASPECTS]
    for cid, group in scores.groupby("candidate_id"):
        a = group[aspects].to_numpy()
        target = chosen.set_index("candidate_id").loc[cid, "provider_id"]
        t = list(group["provider_id"]).index(target)
        loop = np.mean([np.argmax(a @ w) == t for w in draws])
        assert per.set_index("candidate_id").loc[cid, "stays_first_share"] == pytest.approx(loop)
    # at the flip weight of an aspect the two providers score the same
    for _, r in pairs.iterrows():
        sa = scores.set_index(["candidate_id", "provider_id"]).loc[(r["candidate_id"], r["provider_id"]), aspects]
        sb = scores.set_index(["candidate_id", "provider_id"]).loc[(r["candidate_id"], r["other_provider_id"]), aspects]
        for k, a in enumerate(ASPECTS):
            if np.isfinite(r[f"flip_weight_{a}"]):
                w = w0.copy()
                w[k] = r[f"flip_weight_{a}"]
                assert float(np.asarray(sa, dtype=float) @ w) == pytest.approx(float(np.asarray(sb, dtype=float) @ w))


def test_a_welfare_organisation_failing_one_condition_is_not_chosen():
    cands = pd.DataFrame({"candidate_id": ["F1"], "stadsdeel_code": ["A"]})
    flats = pd.DataFrame({"flat_id": ["F1"], "candidate_id": ["F1"]})
    orgs = pd.DataFrame(
        {
            "welfare_id": ["W1", "W2"],
            "name": ["Welzijn Een", "Welzijn Twee"],
            "stadsdeel_code": ["A", "A"],
            "purchasing_agreement": pd.array([True, True], dtype="boolean"),
        }
    )
    cond = pd.DataFrame(
        {
            "flat_id": ["F1", "F1"],
            "welfare_id": ["W1", "W2"],
            "in_alliance_plan": pd.array([True, False], dtype="boolean"),
            "extra_buurtwerk_granted": pd.array([True, True], dtype="boolean"),
            "senior_buurtwerker": pd.array([True, True], dtype="boolean"),
        }
    )
    options, choice, roles = choose_welfare(cands, flats, orgs, cond)
    o = options.set_index("welfare_id")
    assert o.loc["W2", "eligibility"] == "fail" and o.loc["W2", "in_alliance_plan_status"] == "fail"
    assert o.loc["W1", "eligibility"] == "pass"
    assert choice["welfare_id"].tolist() == ["W1"]
    assert len(roles) == 7 and set(roles["status"]) <= {"ja", "nee", "onbekend"}
    # without W1 nothing qualifies: said, not silently chosen
    _, choice, _ = choose_welfare(cands, flats, orgs[orgs["welfare_id"] == "W2"], cond)
    assert choice["welfare_id"].isna().all() and "alliantieplannen" in choice["welfare_reason"].item()


def test_a_flat_without_corporation_consent_is_marked():
    flats = pd.DataFrame(
        {
            "flat_id": ["F1", "F2", "F3"],
            "candidate_id": ["F1", "G1", "G1"],
            "corporation": ["Corp A"] * 3,
            "corporation_consent": pd.array([False, True, pd.NA], dtype="boolean"),
        }
    )
    checklist, consent = corporation_checklist(flats)
    c = consent.set_index("candidate_id")
    assert c.loc["F1", "consent"] is False or not c.loc["F1", "consent"]
    assert "GEEN akkoord" in c.loc["F1", "consent_nl"]
    assert pd.isna(c.loc["G1", "consent"]) and "onbekend" in c.loc["G1", "consent_nl"]
    assert set(checklist["item"]) >= {"meeting_space_open", "fire_safety_plan", "corporation_consent"}
    assert len(checklist) == 3 * 7


def test_choose_partners_on_a_tiny_dataset(tmp_path):
    tables = tiny_tables()
    header, rows = tables["flats"]
    flats = (
        [*header, "corporation_consent"],
        [
            [*rows[0], "nee"],
            ["F3", "Flat drie", "Corp A", 130, 120, 120, "ja", "ja", "ja", "", "kandidaat", 120500, 485500, "ja"],
        ],
    )
    providers = tables["care_providers"]
    p_header, (p_row,) = providers
    providers = (
        [*p_header, "max_flats"],
        [[*p_row, 1], ["P2", "Zorg Twee", *p_row[2:], 1], ["P3", "Zorg Drie", *p_row[2:-1], "", 1]],
    )
    folder = make_dataset(
        tmp_path / "d",
        changes={
            "flats": flats,
            "care_providers": providers,
            # F3's welfare organisation meets 4.2 (and a subsidy is set below): F3 can be funded and
            # competes for a place
            "welfare_conditions": (
                ["flat_id", "welfare_id", "in_alliance_plan", "extra_buurtwerk_granted", "senior_buurtwerker"],
                [["F3", "W1", "ja", "ja", "ja"]],
            ),
        },
        config="[eligibility]\nmin_amenity_kinds = 1\n[programme]\ndefault_subsidy_eur = 200000\n",
    )
    ds = load_dataset(folder)
    pc = choose_partners(ds)
    assert pc.providers.set_index("provider_id")["eligibility"].to_dict() == {
        "P1": "pass",
        "P2": "pass",
        "P3": "unknown",
    }
    a = pc.assignment.set_index("candidate_id")
    assert set(a.index) == {"F1", "F3"}  # F2 (60 dwellings) fails 3.1 and is not proposed
    assert set(a["provider_id"]) == {"P1", "P2"}  # one each: capacities of 1
    # F1 (refused) cannot be funded: it takes no place, it is shown what it would get if chosen
    assert bool(a.loc["F3", "fundable"]) and not bool(a.loc["F1", "fundable"])
    assert a.loc["F1", "choice_nl"].startswith("als deze flat gekozen wordt: ")
    assert not a.loc["F1", "consent"] and "GEEN akkoord" in a.loc["F1", "consent_nl"]
    assert (a["free_choice_nl"] == FREE_CHOICE_NL).all() and "vrije keuze" in FREE_CHOICE_NL
    assert any("without the corporation's consent" in str(n) for n in pc.notes)
    assert any("P3" in str(n) for n in pc.notes)


@pytest.mark.parametrize(
    ("table", "header", "rows", "expected"),
    [
        (
            "process",
            ["flat_id", "item", "status", "date"],
            [["F1", "stap 1", "gedaan", "2999-01-01"]],
            ["process.csv, column 'date': a date after today", "'2999-01-01'"],
        ),
        (
            "process",
            ["flat_id", "item", "status", "date"],
            [["F1", "stap 1", "gedaan", "31-02-2026"]],
            ["process.csv, column 'date': not a date in row 2", "'31-02-2026'"],
        ),
        (
            "process",
            ["flat_id", "item", "status", "date"],
            [["F9", "peiling", "gedaan", "1-3-2026"]],
            ["process.csv, column 'flat_id': refers to flat_id values that do not exist", "'F9'"],
        ),
        (
            "process",
            ["flat_id", "item", "status", "date"],
            [["F1", "koffie drinken", "gedaan", ""]],
            ["column 'item': not a step or positioning option of 2.3/2.4", "'koffie drinken'"],
        ),
        (
            "welfare_organisations",
            ["welfare_id", "name", "stadsdeel_code", "purchasing_agreement"],
            [["W1", "Welzijn Een", "", "ja"]],
            ["welfare_organisations.csv, column 'stadsdeel_code': empty value in a required column"],
        ),
        (
            "care_providers",
            [*tiny_tables()["care_providers"][0], "max_flats"],
            [[*tiny_tables()["care_providers"][1][0], "-2"]],
            ["care_providers.csv, column 'max_flats': negative value", "'-2'"],
        ),
        (
            "survey",
            ["flat_id", "provider_id", "n_preferences", "n_respondents"],
            [["F1", "P1", "12", "8"]],
            ["survey.csv, column 'n_preferences': more preferences than respondents"],
        ),
    ],
)
def test_bad_partner_input_is_named(tmp_path, capsys, table, header, rows, expected):
    from llt_geo.cli import main

    folder = make_dataset(tmp_path / "d", changes={table: (header, rows)})
    code = main(["validate", str(folder)])
    out = capsys.readouterr().out
    assert code == 1 and "Traceback" not in out
    for text in expected:
        assert text in out, out


def test_the_process_table_reads_dutch_words_and_dates(tmp_path):
    header = ["complexnummer", "stap", "stand", "datum", "toelichting"]
    rows = [["F1", "Stap 1", "Gedaan", "1-3-2026", "bewonersavond"], ["F1", "Verleiding", "bezig", "", ""]]
    folder = make_dataset(tmp_path / "d", changes={"keuzeproces": (header, rows)})
    ds = load_dataset(folder)
    p = ds.process.set_index("item")
    assert p.loc["step1_survey", "status"] == "done" and p.loc["step1_survey", "date"] == "2026-03-01"
    assert p.loc["pos_temptation", "status"] == "in_progress"


def test_partners_command_on_the_demo_is_deterministic_and_says_free_choice(tmp_path, capsys):
    from pathlib import Path

    from llt_geo.cli import main

    demo = Path(__file__).resolve().parent.parent / "data" / "demo"
    assert main(["partners", str(demo), "--out", str(tmp_path / "a")]) == 0
    assert main(["partners", str(demo), "--out", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "not their first choice because of capacity" in out
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "kaart_partners.html" in names and "partners_toewijzing.csv" in names and "partners_toelichting.txt" in names
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assignment = pd.read_csv(tmp_path / "a" / "partners_toewijzing.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert assignment["niet de eerste keus door capaciteit"].eq("ja").any()  # the demo shows a capacity that bites
    assert assignment["toelichting keuze"].str.contains("zit vol").any()
    text = (tmp_path / "a" / "partners_toelichting.txt").read_text(encoding="utf-8")
    assert "FICTIEVE DEMODATA" in text and text.count("vrije keuze") == len(assignment)
    html = (tmp_path / "a" / "kaart_partners.html").read_text(encoding="utf-8")
    assert "vrije keuze" in html and "FICTIEVE DEMODATA" in html
    providers = pd.read_csv(tmp_path / "a" / "partners_aanbieders.csv", sep=";", encoding="utf-8-sig")
    assert sorted(providers["eindoordeel"].value_counts().to_dict().items()) == [
        ("geschikt", 10),
        ("niet geschikt", 1),
        ("onbekend", 1),
    ]


def test_the_flip_sentence_names_the_one_behind_as_the_one_that_would_come_above():
    scores = pd.DataFrame(
        {
            "candidate_id": ["C1", "C1"],
            "provider_id": ["P1", "P2"],
            **{f"{a}_score": [0.2, 0.8] if a == "residents_voice" else [0.5, 0.5] for a in ASPECTS},
        }
    )
    # P1 is measured (as when capacity forced it), P2 is ahead by the configured weights
    _, pairs = weight_robustness(scores, pd.DataFrame({"candidate_id": ["C1"], "provider_id": ["P1"]}), np.ones(5))
    row = pairs.iloc[0]
    assert row["score_gap"] < 0 and row["other_above_share"] == 1.0
    assert row["flip_nl"].startswith("P1 komt boven P2")
