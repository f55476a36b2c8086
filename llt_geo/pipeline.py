"""The analysis in one call: :func:`run` turns a loaded dataset into one :class:`~llt_geo.results.Results`.

Screening (3.1), partner choice (2.2-2.4, 3.2, 4), spread and progress, and the portfolio under the
budget for the base configuration and every scenario are computed here once, in that order. The
decision of each scenario (which flats, with which care provider and welfare organisation, at what
cost, and why) is assembled into one table per scenario (:class:`~llt_geo.results.Decision`), and
the partner choice is brought in line with the basis decision, so that every output names the same
provider for a funded flat.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .io import Dataset
from .results import DECISION_COLUMNS, Decision, Results

__all__ = ["run", "wijk_ageing"]

Until = Literal["screening", "partners", "portfolio"]


def run(
    dataset: Dataset,
    *,
    network: str | Path | None = None,
    until: Until = "portfolio",
    robustness: bool = True,
) -> Results:
    """Run the analysis on a loaded dataset, once, into one result that every output reads.

    Parameters
    ----------
    dataset : Dataset
        From :func:`llt_geo.load_dataset`.
    network : str or Path, optional
        A walking network (GraphML, or a GeoPackage edge list) for network distances.
    until : {"screening", "partners", "portfolio"}
        How far to go: the screening alone, with the partner choice, or everything (the default;
        without ``[programme] budget_eur`` the portfolio is left out and ``decisions`` is empty).
    robustness : bool
        Whether the portfolio measures how often each flat stays in when the care weights vary.

    Returns
    -------
    Results
        Immutable; :func:`llt_geo.write_pack` writes the stuurgroep pack from it and the dataset.
    """
    from .screening import screen

    screening = screen(dataset, network=network)
    common = {"network": None if network is None else str(network), "wijk_ageing": wijk_ageing(dataset)}
    if until == "screening":
        return Results(screening, notes=tuple(screening.notes), **common)
    from .partners import choose_partners, with_decided_providers
    from .spread import progress_summary, progress_table, spread_report

    partners = choose_partners(dataset, screening)
    spread = spread_report(screening, dataset)
    progress = progress_table(screening.flats, dataset.config)
    notes = (*screening.notes, *partners.notes)
    portfolio, decisions, exploration, ladder, core = None, {}, None, None, None
    if until == "portfolio" and float(dataset.config["programme"]["budget_eur"]) > 0:
        from .portfolio import run_portfolio
        from .verkenning import exploration_model

        portfolio = run_portfolio(dataset, screening, partners, robustness=robustness)
        decisions = {name: _decision(s, screening) for name, s in portfolio.scenarios.items()}
        scenarios = {name: s.config for name, s in portfolio.scenarios.items() if name != "basis"}
        exploration = exploration_model(dataset, screening, partners, dataset.config, scenarios)
        ladder, core = _ladder_and_core(portfolio.scenarios["basis"], robustness)
        funded = decisions["basis"].funded.set_index("candidate_id")["provider_id"].dropna()
        partners = with_decided_providers(partners, funded, dataset.config)
    return Results(
        screening,
        partners=partners,
        spread=spread,
        progress=progress,
        progress_nl=progress_summary(progress),
        portfolio=portfolio,
        decisions=decisions,
        notes=notes,
        exploration=exploration,
        ladder=ladder,
        core=core,
        **common,
    )


def _ladder_and_core(basis, robustness: bool):
    """The basis's budget ladder and each open candidate's core index and entry budget (llt_geo.ladder)."""
    from .ladder import budget_ladder, core_index, entry_budgets

    ladder = budget_ladder(basis.inputs, basis.config)
    reasons = basis.reasons.set_index("candidate_id")
    share = (
        reasons["in_share_weights_vary"]
        if "in_share_weights_vary" in reasons
        else pd.Series(np.nan, index=reasons.index)
    )
    draws = int(basis.config["portfolio"]["robustness_draws"]) if robustness else 0
    core = core_index(share, ladder, draws)
    entry = entry_budgets(ladder).set_index("candidate_id")
    core["from_eur"] = core["candidate_id"].map(entry["from_eur"])
    # in from its first budget on, at every higher step too (one range, open at the top)
    stays = entry["ranges"].map(lambda r: len(r) == 1 and bool(np.isnan(r[0][1])))
    core["stays_in"] = core["candidate_id"].map(stays).astype("boolean").fillna(False).to_numpy(dtype=bool)
    return ladder, core


def wijk_ageing(dataset: Dataset) -> pd.DataFrame | None:
    """Per wijk the share 65+ and whether it is ageing, decided as in the screening (``[areas]``);
    None when the wijken have no 65+ figures."""
    from .areas import area_ageing

    wijken = dataset.wijken
    if wijken is None or not len(wijken) or "residents_65plus" not in wijken.columns:
        return None
    threshold = dataset.config.get("areas", {}).get("ageing_threshold_share", "city")
    return area_ageing(wijken, threshold=threshold, code_col="wijk_code")


def _pending_welfare(welfare: pd.DataFrame) -> pd.DataFrame:
    """Per candidate the welfare organisation none of whose 4.2 conditions fails but some are still
    unknown, with the most roles of 4.1 confirmed (ties: lowest id), as the partner step orders them."""
    w = welfare[welfare["eligibility"] == "unknown"]
    w = w.sort_values(["candidate_id", "n_roles_confirmed", "welfare_id"], ascending=[True, False, True], kind="stable")
    return w.drop_duplicates("candidate_id").set_index("candidate_id")[["welfare_id", "name"]]


def _open_points(ids: pd.Series, c: pd.DataFrame, screening, config) -> tuple[list[str], np.ndarray]:
    """Per candidate what is still open, in Dutch: *onder voorbehoud* (an unknown the configuration
    allows, with its reason) and *voldoet (ongeveer)* (3.1's size within the tolerance)."""
    from .labels import APPROX_NL, ON_CONDITION_NL, nl_int

    on_condition = dict(zip(c["candidate_id"], c["on_condition"], strict=True))
    marks = dict(zip(c["candidate_id"], c["marks_nl"], strict=True))
    cands = screening.candidates
    approx = dict(zip(cands["candidate_id"].astype(str), cands["approx"], strict=True))
    n_dw = dict(zip(cands["candidate_id"].astype(str), cands["n_dwellings"], strict=True))
    reason = str(config["portfolio"]["onder_voorbehoud_reason"]).strip()
    minimum = int(config["eligibility"]["min_dwellings"])
    points, flags = [], []
    for cid in ids:
        here = []
        if on_condition.get(cid, False):
            here.append(f"{ON_CONDITION_NL}: {marks[cid]}" + (f" (reden: {reason})" if reason else ""))
        if approx.get(cid, False):
            here.append(f"omvang {APPROX_NL}: {nl_int(n_dw[cid])} woningen, 3.1 vraagt ongeveer {minimum}")
        points.append("; ".join(here))
        flags.append(bool(on_condition.get(cid, False)))
    return points, np.array(flags, dtype=bool)


def _decision(scenario, screening) -> Decision:
    """One scenario's decision table: the portfolio's choice with its providers, the partner step's
    welfare organisation, the cost, and the reason, per candidate."""
    inputs, result, reasons = scenario.inputs, scenario.result, scenario.reasons
    c = inputs.candidates
    chosen = result.chosen.set_index("candidate_id") if len(result.chosen) else pd.DataFrame()
    fundable = dict(zip(c["candidate_id"], c["fundable"], strict=True))
    frame = reasons.copy()
    frame["candidate_id"] = frame["candidate_id"].astype(str)
    frame["outcome"] = [
        "in" if cid in chosen.index else ("out" if fundable.get(cid, False) else "not") for cid in frame["candidate_id"]
    ]
    frame["in_portfolio"] = frame["outcome"].eq("in")
    frame["cost"] = frame["candidate_id"].map(dict(zip(c["candidate_id"], c["cost"], strict=True))).astype(float)
    fixed = inputs.fixed
    if len(fixed):
        status = fixed.set_index("candidate_id")["status"]
        cands = screening.candidates.set_index(screening.candidates["candidate_id"].astype(str))
        status_nl = cands.get("status_nl", status)
        extra = pd.DataFrame(
            {
                "candidate_id": fixed["candidate_id"].astype(str).to_numpy(),
                "outcome": "fixed",
                "in_portfolio": False,
                "cost": np.nan,
                "reason_nl": [f"{status_nl.get(cid, status[cid])}: telt al mee, geen keuze" for cid in status.index],
            }
        )
        frame = pd.concat([frame, extra], ignore_index=True)
    a = scenario.partners.assignment.set_index("candidate_id")
    names = scenario.partners.providers.set_index("provider_id")["name"]
    funded = frame["outcome"].eq("in")
    pid = frame["candidate_id"].map(chosen["provider_id"]) if len(chosen) else pd.Series(pd.NA, index=frame.index)
    frame["provider_id"] = pid.where(funded).astype("string")
    frame["provider_name"] = frame["provider_id"].map(names).astype("string")
    score = frame["candidate_id"].map(chosen["provider_score"]) if len(chosen) else np.nan
    frame["provider_score"] = pd.Series(score, index=frame.index, dtype=float).where(funded)
    for col in ("welfare_id", "welfare_name"):
        frame[col] = frame["candidate_id"].map(a[col]).where(funded).astype("string") if col in a else pd.NA
    # a flat funded onder voorbehoud of 4.2: the organisation whose conditions are still being settled
    pending = _pending_welfare(scenario.partners.welfare)
    open_ = funded & frame["welfare_id"].isna() & frame["candidate_id"].isin(pending.index)
    frame.loc[open_, "welfare_id"] = frame.loc[open_, "candidate_id"].map(pending["welfare_id"]).astype("string")
    frame.loc[open_, "welfare_name"] = frame.loc[open_, "candidate_id"].map(pending["name"]).astype("string")
    frame["open_points_nl"], frame["on_condition"] = _open_points(frame["candidate_id"], c, screening, scenario.config)
    rest = [col for col in frame.columns if col not in DECISION_COLUMNS]
    frame = frame[[*DECISION_COLUMNS, *rest]].sort_values("candidate_id", kind="stable").reset_index(drop=True)
    budget = float(scenario.config["programme"]["budget_eur"])
    return Decision(scenario.name, result.status, scenario.explanation, budget, frame)
