"""The portfolio model as data, for the verkenning: the same rules, re-solved with other settings.

The stuurgroep's verkenning (issue 22) moves the budget and the rules in the pack and re-solves
the portfolio in the browser with the same solver (HiGHS). The browser must build nothing Python
does not build too, so the model is exported here as plain data (:func:`exploration_model`):
per candidate its cost, stadsdeel, corporation, focus and whether it may be funded under each
combination of the three *onder voorbehoud* keys; per (candidate, provider) pair its aspect
scores; per provider its places left; the flats already in the programme; and the settings of the
basis and of each scenario (:data:`SETTINGS`).

:func:`model_rules` turns that data and one set of settings into the rows of the model. It is the
formula the browser's script follows line by line, and the tests check that for the basis and
every scenario it gives exactly the rows, bounds and objective of :func:`llt_geo.portfolio._rules`
and :func:`llt_geo.portfolio._objective`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from .labels import nl_eur_short
from .partners import fundability
from .portfolio import build_inputs

__all__ = [
    "MODES",
    "SETTINGS",
    "ModelRows",
    "exploration_model",
    "explore",
    "model_rules",
    "random_settings",
    "settings_config",
    "settings_of",
    "solve_settings",
]

#: The three keys that let a flat with one thing unknown be funded onder voorbehoud; a mode is the
#: bit mask of those that allow it (bit 0 criteria, bit 1 consent, bit 2 welfare "possible").
MODES = ("allow_unknown_criteria", "allow_unknown_consent", "welfare_possible")

#: The settings the verkenning's controls move, with where they live in the configuration.
SETTINGS = {
    "budget_eur": ("programme", "budget_eur"),
    "flats_to_choose": ("portfolio", "flats_to_choose"),
    "min_per_stadsdeel": ("portfolio", "min_per_stadsdeel"),
    "max_per_stadsdeel": ("portfolio", "max_per_stadsdeel"),
    "min_focus_share": ("portfolio", "min_focus_share"),
    "max_per_corporation": ("portfolio", "max_per_corporation"),
    "weight_focus": ("portfolio", "weight_focus"),
}


def _mode(cfg) -> int:
    port = cfg["portfolio"]
    return (
        int(bool(port["allow_unknown_criteria"]))
        | int(bool(port["allow_unknown_consent"])) << 1
        | int(port["welfare_required"] == "possible") << 2
    )


def _with_mode(cfg, mode: int):
    out = copy.deepcopy(cfg)
    port = out["portfolio"]
    port["allow_unknown_criteria"] = bool(mode & 1)
    port["allow_unknown_consent"] = bool(mode & 2)
    port["welfare_required"] = "possible" if mode & 4 else "known"
    return out


def settings_of(cfg, aspects: list[str]) -> dict:
    """The verkenning's settings of one configuration (the basis or a scenario)."""
    out = {key: float(cfg[section][name]) for key, (section, name) in SETTINGS.items()}
    out["flats_to_choose"] = int(out["flats_to_choose"])
    out["min_per_stadsdeel"] = int(out["min_per_stadsdeel"])
    out["max_per_stadsdeel"] = int(out["max_per_stadsdeel"])
    out["max_per_corporation"] = int(out["max_per_corporation"])
    port = cfg["portfolio"]
    out["per_stadsdeel_min"] = {str(k): int(v) for k, v in sorted(port["per_stadsdeel_min"].items())}
    out["per_stadsdeel_max"] = {str(k): int(v) for k, v in sorted(port["per_stadsdeel_max"].items())}
    out["weight_partner"] = float(port["weight_partner"])
    out["penalty_onder_voorbehoud"] = float(port["penalty_onder_voorbehoud"])
    out["care"] = {key: float(cfg["care"][key]) for key in aspects}
    out["mode"] = _mode(cfg)
    return out


def exploration_model(dataset, screening, partners, cfg, scenarios: dict | None = None) -> dict:
    """The portfolio model of the basis as plain data (JSON-ready), with the settings of each scenario.

    ``scenarios`` maps a scenario's name to its configuration. The model holds the basis's pairs and
    providers' places: a scenario that changes the care weights rescores the pairs from their aspect
    scores (the weights' average, as :func:`llt_geo.partners.aspect_scores`).
    """
    from .partners import ASPECTS

    aspects = [key for key, _name, _sec in ASPECTS.values()]
    inputs = build_inputs(dataset, screening, partners, cfg)
    c = inputs.candidates
    # who may be funded under each mode: the one rule (partners.fundability), and an eligible provider
    open_ = screening.candidates[screening.candidates["open_candidate"].to_numpy(dtype=bool)].reset_index(drop=True)
    consent = partners.consent.set_index("candidate_id")["consent"]
    has_provider = np.isin(np.arange(len(c)), inputs.pairs["candidate"].to_numpy())
    cost = c["cost"].to_numpy(dtype=float)
    fundable = np.zeros(len(c), dtype=np.int64)
    on_condition = np.zeros(len(c), dtype=np.int64)
    for mode in range(2 ** len(MODES)):
        rule = fundability(open_, consent, partners.welfare, _with_mode(cfg, mode), cost=cost)
        ok = rule["fundable"].to_numpy(dtype=bool) & has_provider
        fundable |= ok.astype(np.int64) << mode
        on_condition |= (ok & rule["on_condition_nl"].ne("").to_numpy(dtype=bool)).astype(np.int64) << mode
    sd_codes = sorted(
        set(inputs.stadsdelen) | set(c["stadsdeel_code"].dropna()) | set(inputs.fixed["stadsdeel_code"].dropna())
    )
    sd_index = {code: k for k, code in enumerate(sd_codes)}
    corps = sorted(set(c["corporation"]) - {""})
    corp_index = {name: k for k, name in enumerate(corps)}
    fo = inputs.flats_of
    counts = fo["flat_id"].value_counts()
    shared = fo[fo["flat_id"].isin(counts[counts > 1].index)]
    codes, _u = pd.factorize(shared["flat_id"])
    groups = [sorted(shared["candidate"].to_numpy()[codes == k].tolist()) for k in range(len(_u))]
    fixed = inputs.fixed
    return {
        "candidates": {
            "id": c["candidate_id"].astype(str).tolist(),
            "cost": [None if np.isnan(x) else float(x) for x in cost],
            "focus": c["focus"].to_numpy(dtype=int).tolist(),
            "stadsdeel": [sd_index.get(x, -1) if isinstance(x, str) else -1 for x in c["stadsdeel_code"]],
            "corporation": [corp_index.get(x, -1) for x in c["corporation"]],
            "fundable": fundable.tolist(),
            "on_condition": on_condition.tolist(),
        },
        "pairs": {
            "candidate": inputs.pairs["candidate"].to_numpy(dtype=int).tolist(),
            "provider": inputs.pairs["provider"].to_numpy(dtype=int).tolist(),
            "aspects": (inputs.aspect_scores if inputs.aspect_scores is not None else np.zeros((0, 0))).tolist(),
        },
        "aspects": aspects,
        "providers": {
            "id": [str(p) for p in inputs.capacity.index],
            "capacity": inputs.capacity.astype(float).tolist(),
        },
        "stadsdelen": {"code": sd_codes, "name": [inputs.stadsdelen.get(code, code) for code in sd_codes]},
        "corporations": corps,
        "fixed": {
            "n": len(fixed),
            "focus": int(fixed["focus"].sum()),
            "stadsdeel": [int((fixed["stadsdeel_code"] == code).sum()) for code in sd_codes],
            "corporation": [int((fixed["corporation"] == name).sum()) for name in corps],
        },
        "shared_flats": groups,
        "goal_flats": int(cfg["programme"]["goal_flats"]),
        "settings": settings_of(cfg, aspects),
        "scenarios": {name: settings_of(s, aspects) for name, s in (scenarios or {}).items()},
    }


@dataclass(frozen=True)
class ModelRows:
    """The model of one set of settings: named rows over x = (y per candidate, z per pair)."""

    keys: list[str]
    names_nl: list[str]
    rows: sparse.csr_matrix  # one row per entry of keys (a rule of several rows repeats its key)
    lo: np.ndarray
    hi: np.ndarray
    objective: np.ndarray
    upper: np.ndarray  # the y bounds: 1 where the candidate may be funded in this mode


def pair_scores(model: dict, care: dict) -> np.ndarray:
    """Each pair's score under care weights: the weighted average of its aspect scores."""
    w = np.array([float(care[key]) for key in model["aspects"]])
    a = np.asarray(model["pairs"]["aspects"], dtype=float).reshape(len(model["pairs"]["candidate"]), len(w))
    return a @ w / w.sum()


def model_rules(model: dict, settings: dict, *, scores: np.ndarray | None = None) -> ModelRows:
    """The rows, bounds and objective of the portfolio under ``settings`` (as :func:`settings_of`).

    Line by line the formula of :func:`llt_geo.portfolio._rules` and :func:`_objective`, and the one
    the verkenning's script follows. ``scores`` overrides the pairs' scores (else from the care weights).
    """
    cand, pairs, fixed = model["candidates"], model["pairs"], model["fixed"]
    n, m = len(cand["id"]), len(pairs["candidate"])
    nv = n + m
    keys: list[str] = []
    names: list[str] = []
    ri: list[int] = []
    ci: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []

    def add(key: str, name: str, cols, coefs, low: float, high: float) -> None:
        r = len(keys)
        keys.append(key)
        names.append(name)
        ri.extend([r] * len(cols))
        ci.extend(int(x) for x in cols)
        vals.extend(float(x) for x in coefs)
        lo.append(low)
        hi.append(high)

    ycols = np.arange(n)
    need = int(settings["flats_to_choose"]) or max(0, int(model["goal_flats"]) - int(fixed["n"]))
    add(
        "goal",
        f"het doel van {model['goal_flats']} Lang Leven Thuisflats (nog {need} te kiezen)",
        ycols,
        np.ones(n),
        need,
        need,
    )
    budget = float(settings["budget_eur"])
    cost = np.array([0.0 if x is None else float(x) for x in cand["cost"]])
    add("budget", f"het budget van {nl_eur_short(budget)}", ycols, cost, -np.inf, budget)
    sd = np.asarray(cand["stadsdeel"])
    for k, (code, name) in enumerate(zip(model["stadsdelen"]["code"], model["stadsdelen"]["name"], strict=True)):
        members = np.flatnonzero(sd == k)
        have = int(fixed["stadsdeel"][k])
        low = int(settings["per_stadsdeel_min"].get(code, settings["min_per_stadsdeel"]))
        high = int(settings["per_stadsdeel_max"].get(code, settings["max_per_stadsdeel"]))
        if low > 0:
            add(
                f"min:{code}",
                f"minimaal {low} in stadsdeel {name} ({code}; er zijn er al {have})",
                members,
                np.ones(len(members)),
                low - have,
                np.inf,
            )
        add(
            f"max:{code}",
            f"maximaal {high} in stadsdeel {name} ({code}; er zijn er al {have})",
            members,
            np.ones(len(members)),
            -np.inf,
            high - have,
        )
    share = float(settings["min_focus_share"])
    focus = np.asarray(cand["focus"], dtype=float)
    if share > 0:
        add(
            "focus",
            f"minimaal {share:.0%} in vergrijsde of masterplangebieden",
            ycols,
            focus - share,
            share * int(fixed["n"]) - float(fixed["focus"]),
            np.inf,
        )
    corp = np.asarray(cand["corporation"])
    cap = int(settings["max_per_corporation"])
    for k, name in enumerate(model["corporations"]):
        members = np.flatnonzero(corp == k)
        have = int(fixed["corporation"][k])
        add(
            f"corp:{name}",
            f"maximaal {cap} per corporatie ({name}; er zijn er al {have})",
            members,
            np.ones(len(members)),
            -np.inf,
            cap - have,
        )
    pc = np.asarray(pairs["candidate"], dtype=np.int64)
    pp = np.asarray(pairs["provider"], dtype=np.int64)
    for i in range(n):  # one provider per funded candidate
        sel = np.flatnonzero(pc == i)
        add(
            "link",
            "één voorkeursaanbieder per gekozen flat",
            np.r_[n + sel, i],
            np.r_[np.ones(len(sel)), -1.0],
            0.0,
            0.0,
        )
    for k, (pid, places) in enumerate(zip(model["providers"]["id"], model["providers"]["capacity"], strict=True)):
        sel = np.flatnonzero(pp == k)
        add(
            f"cap:{pid}",
            f"de capaciteit van {pid} ({int(places)} flats nog vrij)",
            n + sel,
            np.ones(len(sel)),
            -np.inf,
            float(places),
        )
    for group in model["shared_flats"]:
        add("flats", "geen flat in twee gekozen kandidaten", group, np.ones(len(group)), -np.inf, 1.0)
    mode = int(settings["mode"])
    upper = ((np.asarray(cand["fundable"], dtype=np.int64) >> mode) & 1).astype(float)
    cond = ((np.asarray(cand["on_condition"], dtype=np.int64) >> mode) & 1).astype(float) * upper
    base = 1.0 + float(settings["weight_focus"]) * focus - float(settings["penalty_onder_voorbehoud"]) * cond
    z = pair_scores(model, settings["care"]) if scores is None else scores
    objective = np.r_[base, float(settings["weight_partner"]) * z]
    rows = sparse.csr_matrix((vals, (ri, ci)), shape=(len(keys), nv))
    return ModelRows(keys, names, rows, np.array(lo, dtype=float), np.array(hi, dtype=float), objective, upper)


def settings_config(cfg, settings: dict):
    """The configuration with a verkenning's settings put in (the inverse of :func:`settings_of`).

    An *onder voorbehoud* mode other than 0 needs a reason in the configuration; the verkenning's
    is that it is one (the proposal of record never comes from here).
    """
    out = copy.deepcopy(cfg)
    for key, (section, name) in SETTINGS.items():
        out[section][name] = settings[key]
    port = out["portfolio"]
    port["per_stadsdeel_min"] = dict(settings["per_stadsdeel_min"])
    port["per_stadsdeel_max"] = dict(settings["per_stadsdeel_max"])
    port["weight_partner"] = settings["weight_partner"]
    port["penalty_onder_voorbehoud"] = settings["penalty_onder_voorbehoud"]
    for key, value in settings["care"].items():
        out["care"][key] = value
    mode = int(settings["mode"])
    out = _with_mode(out, mode)
    if mode and not out["portfolio"]["onder_voorbehoud_reason"]:
        out["portfolio"]["onder_voorbehoud_reason"] = "verkenning"
    return out


def solve_settings(dataset, screening, partners, settings: dict):
    """Python's portfolio under a verkenning's settings: the result and, when nothing fits, the
    conflicting rules and their fixes (:func:`llt_geo.portfolio.explain_infeasible`).

    Care weights other than the partner step's rescore the pairs by running the partner step again,
    as :func:`llt_geo.portfolio.run_portfolio` does for a scenario.
    """
    from dataclasses import replace

    from .partners import choose_partners
    from .portfolio import explain_infeasible, solve

    cfg = settings_config(dataset.config, settings)
    if any(float(cfg["care"][k]) != float(dataset.config["care"][k]) for k in settings["care"]):
        partners = choose_partners(replace(dataset, config=cfg), screening)
    inputs = build_inputs(dataset, screening, partners, cfg)
    result = solve(inputs, cfg)
    conflict, fixes, sentence = ([], [], "")
    if result.status == "infeasible":
        conflict, fixes, sentence = explain_infeasible(inputs, cfg)
    return result, conflict, fixes, sentence


def random_settings(model: dict, count: int, seed: int) -> list[dict]:
    """Settings drawn around the basis with a fixed seed, for the agreement test of the verkenning
    (some of them infeasible on purpose: a small budget, many flats or tight caps)."""
    rng = np.random.default_rng(seed)
    base = model["settings"]
    out = []
    for _k in range(count):
        s = copy.deepcopy(base)
        s["budget_eur"] = float(5000 * rng.integers(450, 660))  # 2,25 to 3,3 mln
        s["flats_to_choose"] = int(rng.choice([0, 0, 0, 0, 8, 10]))
        s["min_per_stadsdeel"] = int(rng.choice([0, 1, 1, 1, 2]))
        s["max_per_stadsdeel"] = int(rng.integers(6, 11))
        s["min_focus_share"] = float(rng.choice([0.0, 0.3, 0.4, 0.5, 0.5, 0.6]))
        s["max_per_corporation"] = int(rng.integers(7, 13))
        s["weight_focus"] = float(rng.choice([0.0, 0.5, 1.0]))
        if rng.random() < 0.3:
            s["care"] = {key: float(rng.integers(1, 4)) for key in s["care"]}
        s["mode"] = int(rng.integers(0, 2 ** len(MODES)))
        out.append(s)
    return out


def explore(dataset, screening, partners, settings: dict) -> str:
    """One verkenning in a line for the analyst: the flats chosen and their cost, or why nothing fits,
    with the seconds it took (``solve_settings``)."""
    import time

    started = time.perf_counter()
    result, _conflict, _fixes, sentence = solve_settings(dataset, screening, partners, settings)
    took = time.perf_counter() - started
    if result.status == "infeasible":
        return f"verkenning: geen portefeuille mogelijk ({took:.2f} s). {sentence}"
    chosen = result.chosen
    ids = ", ".join(sorted(chosen["candidate_id"].astype(str)))
    return f"verkenning: {len(chosen)} flats voor € {chosen['cost'].sum():,.0f} ({took:.2f} s): {ids}"
