"""Partner choice: the voorkeursaanbieder zorg (2.2-2.4), the welfare organisation (4.1-4.2) and
the corporation's role (3.2), per flat — checked, scored, assigned exactly, and explained.

The steps, each a function usable on its own and all run by :func:`choose_partners`:

* :func:`hard_criteria` — the seven hard criteria of 2.3 per care provider: pass / fail /
  unknown with a Dutch sentence. A provider that fails one is not eligible; one with an unknown
  is *onbekend* and is never treated as eligible.
* :func:`aspect_scores` — the weighted aspects of 2.2 and 2.3 per candidate and eligible
  provider, each scaled to 0-1 by a formula in ``docs/partners.md``, with a Dutch sentence per
  aspect and the total (weights from ``[care]``). Missing data is *onbekend* and scores 0.
* :func:`assign_providers` — one provider per candidate, maximising first the number of
  candidates that get a provider and then the total score, within every provider's capacity,
  solved exactly (a linear programme whose optimum is integral; one persistent HiGHS model via
  highspy, re-solved warm), ties broken by provider id and then candidate id.
* :func:`weight_robustness` — how stable each ranking is when the weights vary: Dirichlet draws
  around the configured weights, one matrix product; and per pair of providers the weight at
  which their order flips.
* :func:`choose_welfare`, :func:`corporation_checklist`, :func:`process_checklist` — the
  conditions of 4.2 and roles of 4.1, the expectations of 3.2 and the corporation's final say,
  and the choice process of 2.3/2.4.

A voorkeursaanbieder is a preference: every resident keeps free choice of care (2.1, 2.4).
Every text that shows a chosen provider says so (:data:`FREE_CHOICE_NL`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .errors import Problem
from .io import Dataset
from .labels import ASPECTS, FREE_CHOICE_NL, OUTCOME_NL, nl_int, nl_number
from .schema import PROCESS_ITEMS, PROCESS_STATUSES

__all__ = [
    "ASPECTS",
    "FREE_CHOICE_NL",
    "HARD_CRITERIA",
    "PartnerChoice",
    "aspect_scores",
    "assign_providers",
    "candidate_cost",
    "choose_partners",
    "fundability",
    "choose_welfare",
    "corporation_checklist",
    "hard_criteria",
    "process_checklist",
    "weight_robustness",
    "with_decided_providers",
]

HARD_CRITERIA = {
    "zvw_wijkverpleging": (
        "Wijkverpleging (Zvw)",
        "biedt wijkverpleging vanuit de Zorgverzekeringswet",
        "biedt geen wijkverpleging vanuit de Zorgverzekeringswet",
    ),
    "wlz_mpt": (
        "Modulair Pakket Thuis (Wlz)",
        "biedt Modulair Pakket Thuis vanuit de Wet langdurige zorg",
        "biedt geen Modulair Pakket Thuis",
    ),
    "wlz_vpt": (
        "Volledig Pakket Thuis (Wlz)",
        "biedt Volledig Pakket Thuis vanuit de Wet langdurige zorg",
        "biedt geen Volledig Pakket Thuis",
    ),
    "casemanager_dementie": (
        "Casemanagers dementie",
        "beschikt over casemanagers dementie",
        "beschikt niet over casemanagers dementie",
    ),
    "contracted_zk": (
        "Gecontracteerd door Zilveren Kruis",
        "is gecontracteerd door Zilveren Kruis",
        "is niet gecontracteerd door Zilveren Kruis",
    ),
    "committed_programme": (
        "Gecommitteerd aan het programma (bijlage 1)",
        "is als flatpartner gecommitteerd aan de ambitie en doelen van het programma",
        "is niet gecommitteerd aan de ambitie en doelen van het programma",
    ),
    "client_handover": (
        "Werkt mee aan overdracht van cliënten",
        "werkt in andere Lang Leven Thuisflats mee aan het overdragen van cliënten aan de voorkeursaanbieder",
        "werkt niet mee aan het overdragen van cliënten in andere Lang Leven Thuisflats",
    ),
}

#: The weighted aspects: key -> (config weight key, Dutch name, section).

STATUS_NL = OUTCOME_NL


# --------------------------------------------------------------------------------------------
# 2.3 hard criteria
# --------------------------------------------------------------------------------------------


def hard_criteria(providers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The hard criteria of 2.3 per care provider.

    Returns
    -------
    long : DataFrame
        One row per provider and criterion: ``provider_id``, ``name``, ``criterion``,
        ``criterion_nl``, ``section``, ``status`` (pass/fail/unknown), ``status_nl``, ``reason``.
    wide : DataFrame
        One row per provider: ``<criterion>_status`` per criterion, ``eligibility``
        (fail if any fails, else unknown if any is unknown, else pass), ``eligibility_nl``,
        ``failed`` and ``unknown`` (Dutch criteria names) and ``reason`` (one Dutch sentence).
    """
    providers = providers.sort_values("provider_id").reset_index(drop=True)
    rows = []
    statuses = {}
    for col, (label, met, not_met) in HARD_CRITERIA.items():
        v = providers[col].astype("boolean")
        status = np.where(v.isna(), "unknown", np.where(v.fillna(False), "pass", "fail"))
        statuses[col] = status
        reason = np.where(
            status == "pass", met, np.where(status == "fail", not_met, "onbekend: niet opgegeven door de aanbieder")
        )
        rows.append(
            pd.DataFrame(
                {
                    "provider_id": providers["provider_id"].astype(str),
                    "name": providers["name"].astype(str),
                    "criterion": col,
                    "criterion_nl": label,
                    "section": "2.3",
                    "status": status,
                    "status_nl": [STATUS_NL[s] for s in status],
                    "reason": reason,
                }
            )
        )
    long = pd.concat(rows, ignore_index=True).sort_values(["provider_id", "criterion"], kind="stable")
    long = long.reset_index(drop=True)
    wide = providers[["provider_id", "name"]].astype(str).copy()
    stat = np.column_stack([statuses[c] for c in HARD_CRITERIA]) if len(providers) else np.empty((0, 7), dtype=object)
    for i, col in enumerate(HARD_CRITERIA):
        wide[f"{col}_status"] = stat[:, i]
    any_fail = (stat == "fail").any(axis=1)
    any_unknown = (stat == "unknown").any(axis=1)
    wide["eligibility"] = np.where(any_fail, "fail", np.where(any_unknown, "unknown", "pass"))
    wide["eligibility_nl"] = wide["eligibility"].map(
        {"pass": "geschikt", "fail": "niet geschikt", "unknown": "onbekend"}
    )
    labels = np.array([HARD_CRITERIA[c][0] for c in HARD_CRITERIA], dtype=object)
    wide["failed"] = [", ".join(labels[row == "fail"]) for row in stat]
    wide["unknown"] = [", ".join(labels[row == "unknown"]) for row in stat]
    wide["reason"] = [
        f"{n} voldoet niet aan: {f}."
        if f
        else (
            f"{n}: onbekend voor: {u}; niet geschikt tot dit bekend is."
            if u
            else f"{n} voldoet aan alle harde criteria van 2.3."
        )
        for n, f, u in zip(wide["name"], wide["failed"], wide["unknown"], strict=True)
    ]
    if "max_flats" in providers.columns:
        wide["max_flats"] = providers["max_flats"].astype("Int64").to_numpy()
    return long, wide


# --------------------------------------------------------------------------------------------
# 2.2 / 2.3 weighted aspects
# --------------------------------------------------------------------------------------------


def _weights(config: dict) -> np.ndarray:
    care = config["care"]
    return np.array([float(care[key]) for key, _name, _sec in ASPECTS.values()])


def aspect_scores(
    candidates: pd.DataFrame,
    flats: pd.DataFrame,
    provider_ids: list[str],
    *,
    provider_names: dict[str, str],
    config: dict,
    provider_distance_m: pd.DataFrame | None = None,
    sites: pd.DataFrame | None = None,
    presence: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    flat_clients: pd.DataFrame | None = None,
    wijk_names: dict[str, str] | None = None,
    distance_kind: str = "hemelsbreed",
) -> pd.DataFrame:
    """Score every candidate against every (eligible) provider on the aspects of 2.2 and 2.3.

    Parameters
    ----------
    candidates : DataFrame
        ``candidate_id`` and ``wijk_code`` of each candidate to score (a single flat or a group).
    flats : DataFrame
        ``flat_id``, ``candidate_id`` and the geometry of every member flat; rows aligned with
        ``provider_distance_m``.
    provider_ids : list of str
        The providers to score (the eligible ones).
    provider_distance_m : DataFrame, optional
        Per flat (rows as ``flats``) and provider, the distance to the provider's nearest site
        (the screening's, straight line or along a walking network).
    sites, presence, survey, flat_clients : DataFrame, optional
        The tables; an absent table makes its aspect unknown.

    Returns
    -------
    DataFrame
        One row per candidate and provider, sorted by candidate and rank: for each aspect ``a``
        the value (``a_value``), the score 0-1 (``a_score``), whether it is known
        (``a_known``) and a Dutch sentence (``a_reason``); ``score`` (the weighted mean),
        ``score_if_known_max`` (the score if every unknown aspect were at its best),
        ``n_unknown``, ``rank`` (1 = best; ties by provider id) and ``explanation``.
    """
    care = config["care"]
    w = _weights(config)
    full_known = float(care["known_in_wijk_full_clients"])
    full_clients = float(care["existing_clients_full"])
    nearby = float(care["intramural_nearby_m"])
    wijk_names = wijk_names or {}
    cands = candidates[["candidate_id", "wijk_code"]].astype({"candidate_id": str}).reset_index(drop=True)
    provs = pd.Series(sorted(map(str, provider_ids)), dtype=object)
    grid = cands.merge(pd.DataFrame({"provider_id": provs}), how="cross")
    n = len(grid)
    out = grid.copy()
    out["name"] = out["provider_id"].map(provider_names).astype(object)
    wijk = out["wijk_code"].astype(object)
    member = flats[["flat_id", "candidate_id"]].astype(str).reset_index(drop=True)

    # -- bekend in de wijk (2.3): the provider's clients in the candidate's wijk -------------------
    if presence is not None and len(presence):
        pres = presence.assign(
            provider_id=presence["provider_id"].astype(str), wijk_code=presence["wijk_code"].astype(str)
        )
        keyed = pres.set_index(["provider_id", "wijk_code"])
        idx = pd.MultiIndex.from_arrays([out["provider_id"], wijk.astype(str)])
        clients = keyed["n_clients"].reindex(idx).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        has_row = idx.isin(keyed.index)
        active = out["provider_id"].isin(set(pres["provider_id"])).to_numpy()
        known = (has_row & ~np.isnan(clients)) | (~has_row & active & out["wijk_code"].notna().to_numpy())
        value = np.where(has_row, clients, 0.0)
        gp = keyed["gp_agreement"].reindex(idx).astype("boolean")
        fl = keyed["first_line_agreement"].reindex(idx).astype("boolean")
        gp_v = np.where(has_row, gp.fillna(False).to_numpy(dtype=bool), False)
        fl_v = np.where(has_row, fl.fillna(False).to_numpy(dtype=bool), False)
        coop_known = (has_row & gp.notna().to_numpy() & fl.notna().to_numpy()) | (~has_row & active)
        coop_known &= out["wijk_code"].notna().to_numpy()
    else:
        value = np.full(n, np.nan)
        known = np.zeros(n, dtype=bool)
        has_row = np.zeros(n, dtype=bool)
        gp_v = fl_v = np.zeros(n, dtype=bool)
        gp = fl = pd.Series(pd.array([pd.NA] * n, dtype="boolean"))
        coop_known = np.zeros(n, dtype=bool)
    wname = [
        (wijk_names[c] if c in wijk_names[c] else f"wijk {c} ({wijk_names[c]})") if c in wijk_names else f"wijk {c}"
        for c in wijk.astype(str)
    ]
    out["known_in_wijk_value"] = np.where(known, value, np.nan)
    out["known_in_wijk_score"] = np.where(known, np.minimum(1.0, np.nan_to_num(value) / full_known), 0.0)
    out["known_in_wijk_known"] = known
    out["known_in_wijk_reason"] = [
        (f"geeft zorg aan {nl_int(v)} cliënten in {wn}" if v > 0 else f"geeft nog geen zorg in {wn}")
        if k
        else f"onbekend: geen gegevens over aanwezigheid in {wn}"
        for v, k, wn in zip(np.nan_to_num(value), known, wname, strict=True)
    ]
    # -- samenwerkingsverbanden (2.3): agreements with GPs and first-line care in the wijk --------
    out["cooperation_value"] = np.where(coop_known, gp_v.astype(float) + fl_v.astype(float), np.nan)
    out["cooperation_score"] = (gp_v.astype(float) + fl_v.astype(float)) / 2
    out["cooperation_known"] = coop_known

    def yn(v, k) -> str:
        return "onbekend" if not k else ("ja" if v else "nee")

    have_presence = presence is not None and len(presence) > 0
    gp_known = ((has_row & gp.notna().to_numpy()) | ~has_row) & have_presence
    fl_known = ((has_row & fl.notna().to_numpy()) | ~has_row) & have_presence
    out["cooperation_reason"] = [
        (
            f"afspraken met huisartsen in de wijk: {yn(a, ka)}; met eerstelijnszorg: {yn(b, kb)}"
            + ("" if row else " (geeft geen zorg in deze wijk)")
        )
        if have_presence
        else "onbekend: geen gegevens over samenwerkingsafspraken in de wijk"
        for a, ka, b, kb, row in zip(gp_v, gp_known, fl_v, fl_known, has_row, strict=True)
    ]
    # -- intramurale locatie in directe nabijheid (2.3) ------------------------------------------
    dist = np.full(n, np.nan)
    site_name = np.full(n, "", dtype=object)
    if provider_distance_m is not None and len(provider_distance_m.columns):
        pdm = provider_distance_m.reset_index(drop=True).copy()
        pdm.columns = pdm.columns.astype(str)
        pdm["candidate_id"] = member["candidate_id"].to_numpy()
        per_cand = pdm.groupby("candidate_id", sort=True).min()
        long = per_cand.stack(future_stack=True).rename("d")
        idx = pd.MultiIndex.from_arrays([out["candidate_id"], out["provider_id"]])
        dist = long.reindex(idx).to_numpy(dtype=float)
        if sites is not None and len(sites) and flats is not None and "geometry" in flats:
            site_name = _nearest_site_names(out, flats, member, sites)
    has_site = np.isfinite(dist)
    out["intramural_nearby_value"] = dist
    out["intramural_nearby_score"] = np.where(has_site, np.clip(1 - np.nan_to_num(dist) / nearby, 0, 1), 0.0)
    out["intramural_nearby_known"] = provider_distance_m is not None
    out["intramural_nearby_reason"] = [
        (
            f"{nm or 'eigen intramurale locatie'} op {nl_int(d)} m ({distance_kind}; "
            + (f"binnen {nl_int(nearby)} m)" if d <= nearby else f"verder dan {nl_int(nearby)} m)")
        )
        if ok
        else "geen eigen intramurale locatie"
        for d, nm, ok in zip(np.nan_to_num(dist), site_name, has_site, strict=True)
    ]
    # -- stem van de bewoners (2.3): the survey ------------------------------------------------------
    prefs = np.zeros(n)
    resp = np.full(n, np.nan)
    voice_known = np.zeros(n, dtype=bool)
    if survey is not None and len(survey):
        sv = survey.assign(flat_id=survey["flat_id"].astype(str), provider_id=survey["provider_id"].astype(str))
        sv = sv.merge(member, on="flat_id", how="inner")
        per_flat = sv.groupby("flat_id").agg(
            candidate_id=("candidate_id", "first"),
            respondents=("n_respondents", "max"),
            total=("n_preferences", "sum"),
        )
        per_flat["respondents"] = per_flat["respondents"].astype("Float64").fillna(per_flat["total"].astype("Float64"))
        resp_c = per_flat.groupby("candidate_id")["respondents"].sum()
        pref_c = sv.groupby(["candidate_id", "provider_id"])["n_preferences"].sum()
        idx = pd.MultiIndex.from_arrays([out["candidate_id"], out["provider_id"]])
        prefs = pref_c.reindex(idx).astype("Float64").fillna(0).to_numpy(dtype=float)
        resp = out["candidate_id"].map(resp_c).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        voice_known = np.isfinite(resp) & (resp > 0)
    share = np.where(voice_known, prefs / np.where(voice_known, resp, 1), 0.0)
    out["residents_voice_value"] = np.where(voice_known, share, np.nan)
    out["residents_voice_score"] = np.clip(share, 0, 1)
    out["residents_voice_known"] = voice_known
    out["residents_voice_reason"] = [
        f"{nl_int(p)} van {nl_int(r)} respondenten kiezen deze aanbieder ({nl_int(100 * sh)}%)"
        if k
        else "onbekend: geen bewonerspeiling voor deze flat"
        for p, r, sh, k in zip(prefs, np.nan_to_num(resp), share, voice_known, strict=True)
    ]
    # -- bestaande cliënten in de flat (2.2) -----------------------------------------------------------
    cl = np.zeros(n)
    cl_known = np.zeros(n, dtype=bool)
    if flat_clients is not None and len(flat_clients):
        fc = flat_clients.assign(
            flat_id=flat_clients["flat_id"].astype(str), provider_id=flat_clients["provider_id"].astype(str)
        )
        fc = fc.merge(member, on="flat_id", how="inner")
        counted = set(fc["candidate_id"])
        per = fc.groupby(["candidate_id", "provider_id"])["n_clients"].sum()
        idx = pd.MultiIndex.from_arrays([out["candidate_id"], out["provider_id"]])
        cl = per.reindex(idx).astype("Float64").fillna(0).to_numpy(dtype=float)
        cl_known = out["candidate_id"].isin(counted).to_numpy()
    out["existing_clients_value"] = np.where(cl_known, cl, np.nan)
    out["existing_clients_score"] = np.where(cl_known, np.minimum(1.0, cl / full_clients), 0.0)
    out["existing_clients_known"] = cl_known
    out["existing_clients_reason"] = [
        (
            f"heeft {nl_int(c)} {'cliënt' if c == 1 else 'cliënten'} in deze flat"
            if c > 0
            else "heeft geen cliënten in deze flat"
        )
        if k
        else "onbekend: geen gegevens over cliënten in deze flat"
        for c, k in zip(cl, cl_known, strict=True)
    ]
    # -- total -----------------------------------------------------------------------------------------
    scores = np.column_stack([out[f"{a}_score"].to_numpy(dtype=float) for a in ASPECTS]) if n else np.zeros((0, 5))
    knowns = np.column_stack([out[f"{a}_known"].to_numpy(dtype=bool) for a in ASPECTS]) if n else np.zeros((0, 5), bool)
    total_w = w.sum()
    out["score"] = scores @ w / total_w
    out["score_if_known_max"] = (np.where(knowns, scores, 1.0) @ w) / total_w
    out["n_unknown"] = (~knowns).sum(axis=1)
    out = out.sort_values(["candidate_id", "score", "provider_id"], ascending=[True, False, True], kind="stable")
    out["rank"] = out.groupby("candidate_id", sort=False).cumcount() + 1
    out = out.reset_index(drop=True)
    out["explanation"] = _explanations(out, w)
    return out


def _nearest_site_names(
    out: pd.DataFrame, flats: pd.DataFrame, member: pd.DataFrame, sites: pd.DataFrame
) -> np.ndarray:
    """Name of each provider's site nearest to the candidate (straight line; one KD-tree query per
    provider, not per flat)."""
    from scipy.spatial import cKDTree

    xy = np.column_stack([flats.geometry.x.to_numpy(), flats.geometry.y.to_numpy()])
    cand_of_flat = member["candidate_id"].to_numpy()
    names = np.full(len(out), "", dtype=object)
    sites = sites.assign(provider_id=sites["provider_id"].astype(str))
    for pid, group in sites.groupby("provider_id", sort=True):
        pts = np.column_stack([group.geometry.x.to_numpy(), group.geometry.y.to_numpy()])
        ok = np.isfinite(pts).all(axis=1)
        if not ok.any():
            continue
        tree = cKDTree(pts[ok])
        label = group["name"].fillna(group["site_id"]).astype(str).to_numpy()[ok]
        fin = np.isfinite(xy).all(axis=1)
        d = np.full(len(xy), np.inf)
        j = np.zeros(len(xy), dtype=int)
        d[fin], j[fin] = tree.query(xy[fin])
        per = pd.DataFrame({"candidate_id": cand_of_flat, "d": d, "j": j}).sort_values(["candidate_id", "d"])
        best = per.drop_duplicates("candidate_id").set_index("candidate_id")["j"]
        rows = (out["provider_id"] == pid).to_numpy()
        picked = out.loc[rows, "candidate_id"].map(best)
        names[rows] = [label[int(k)] if pd.notna(k) else "" for k in picked]
    return names


def _explanations(out: pd.DataFrame, w: np.ndarray) -> list[str]:
    """One Dutch paragraph per candidate and provider: the score and each aspect's part."""
    parts = []
    total = w.sum()
    for a, (_key, name, _sec) in ASPECTS.items():
        k = list(ASPECTS).index(a)
        contrib = out[f"{a}_score"].to_numpy(dtype=float) * w[k] / total
        parts.append(
            [
                f"{name}: {nl_number(s, 2)}{'' if known else ' (onbekend, telt als 0)'} × gewicht {nl_number(w[k], 1)}"
                f" = {nl_number(c, 3)} — {r}"
                for s, known, c, r in zip(
                    out[f"{a}_score"], out[f"{a}_known"], contrib, out[f"{a}_reason"], strict=True
                )
            ]
        )
    return [
        f"{pid} {nm}: score {nl_number(sc, 3)} (rang {rk}). " + "; ".join(p[i] for p in parts) + "."
        for i, (pid, nm, sc, rk) in enumerate(
            zip(out["provider_id"], out["name"], out["score"], out["rank"], strict=True)
        )
    ]


# --------------------------------------------------------------------------------------------
# Exact assignment
# --------------------------------------------------------------------------------------------


def _silent_highs():
    """A HiGHS model that writes nothing. ``highspy.Highs()`` prints HiGHS's banner to stdout when it
    is made, before ``output_flag`` can be turned off (highspy 1.16); its base class, the C++
    binding ``highspy._Highs``, does not, and has every method used here."""
    import highspy

    h = getattr(highspy, "_Highs", highspy.Highs)()
    h.setOptionValue("output_flag", False)
    return h


class _AssignmentLP:
    """The assignment LP as one persistent HiGHS model: maximise ``gain @ x`` over the pairs added so
    far, at most one provider per candidate (rows ``0..n-1``) and ``cap`` per provider (rows ``n..``).

    The model is built once; columns are added as the pricing finds them and the gains changed in
    place, and every :meth:`solve` starts from the previous optimal basis (HiGHS's dual simplex,
    warm-started), instead of solving each LP from scratch as scipy's ``linprog`` does. The
    constraint matrix is the incidence matrix of a bipartite graph (totally unimodular), so the
    simplex optimum is integral; it is checked, and a MILP is solved should it not be.
    """

    def __init__(self, n: int, cap: np.ndarray):
        import highspy

        self._highspy = highspy
        self.h = _silent_highs()
        self.n = n
        self.cap = np.asarray(cap, dtype=float)
        rows = n + len(self.cap)
        upper = np.r_[np.ones(n), self.cap]
        empty = np.zeros(0, dtype=np.int32)
        self.h.addRows(rows, np.full(rows, -highspy.kHighsInf), upper, 0, empty, empty, np.zeros(0))
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.ci = np.zeros(0, dtype=np.int64)
        self.pi = np.zeros(0, dtype=np.int64)
        self.gain = np.zeros(0)

    def add(self, ci: np.ndarray, pi: np.ndarray, gain: np.ndarray) -> None:
        """Add the pairs ``(ci, pi)`` with their gains as columns (bounds 0-1)."""
        k = len(ci)
        if not k:
            return
        index = np.empty(2 * k, dtype=np.int32)
        index[0::2], index[1::2] = ci, self.n + pi
        starts = np.arange(0, 2 * k, 2, dtype=np.int32)
        gain = np.asarray(gain, dtype=float)
        self.h.addCols(k, gain, np.zeros(k), np.ones(k), 2 * k, starts, index, np.ones(2 * k))
        self.ci, self.pi, self.gain = np.r_[self.ci, ci], np.r_[self.pi, pi], np.r_[self.gain, gain]

    def set_gain(self, gain: np.ndarray) -> None:
        """New gains for every column added so far (the basis is kept)."""
        self.gain = np.asarray(gain, dtype=float)
        cols = np.arange(len(self.gain), dtype=np.int32)
        self.h.changeColsCost(len(cols), cols, self.gain)

    def solve(self) -> tuple[np.ndarray, np.ndarray]:
        """Solve (warm) and return ``x`` (0/1 per column added) and the row duals (candidates, then
        providers), for pricing."""
        self.h.run()
        status = self.h.getModelStatus()
        if status != self._highspy.HighsModelStatus.kOptimal:  # pragma: no cover - always feasible (x = 0)
            raise RuntimeError(f"assignment LP failed: {self.h.modelStatusToString(status)}")
        solution = self.h.getSolution()
        x = np.asarray(solution.col_value, dtype=float)
        duals = np.asarray(solution.row_dual, dtype=float)
        if np.abs(x - np.round(x)).max(initial=0) > 1e-6:  # pragma: no cover - TU: never expected
            m = len(self.ci)
            a = sparse.csr_matrix(
                (np.ones(2 * m), (np.r_[self.ci, self.n + self.pi], np.r_[np.arange(m), np.arange(m)])),
                shape=(self.n + len(self.cap), m),
            )
            b = np.r_[np.ones(self.n), self.cap]
            r = milp(-self.gain, constraints=[LinearConstraint(a, 0, b)], integrality=np.ones(m), bounds=Bounds(0, 1))
            x = r.x
        return np.round(x).astype(bool), duals


def _max_assignable(ci: np.ndarray, pi: np.ndarray, n: int, cap: np.ndarray) -> int:
    """The most candidates that can get a provider at all (a maximum flow), to certify the LP."""
    from scipy.sparse.csgraph import maximum_flow

    n_prov = len(cap)
    src, sink = n + n_prov, n + n_prov + 1
    rows = np.r_[np.full(n, src), ci, n + np.arange(n_prov)]
    cols = np.r_[np.arange(n), n + pi, np.full(n_prov, sink)]
    caps = np.r_[np.ones(n), np.ones(len(ci)), cap].astype(np.int32)
    graph = sparse.csr_matrix((caps, (rows, cols)), shape=(n + n_prov + 2, n + n_prov + 2))
    graph.sum_duplicates()
    return int(maximum_flow(graph, src, sink).flow_value)


def assign_providers(
    scores: pd.DataFrame, capacity: pd.Series, *, initial_k: int = 3, price_k: int = 3
) -> pd.DataFrame:
    """One provider per candidate, exactly: the most candidates with a provider, then the highest
    total score, within each provider's capacity; ties broken by provider id, then candidate id.

    Parameters
    ----------
    scores : DataFrame
        ``candidate_id``, ``provider_id``, ``score`` for every candidate and eligible provider
        (as from :func:`aspect_scores`).
    capacity : Series
        Flats each provider can still take, indexed by ``provider_id`` (after flats it already
        has); a provider not listed has none.

    Returns
    -------
    DataFrame
        One row per candidate: ``provider_id`` (``<NA>`` when none could be given) and ``score``.

    Notes
    -----
    Solved as a linear programme with HiGHS: maximise the sum over assigned pairs of
    ``1 + score`` (scores lie in 0-1). Its constraint matrix is totally unimodular, so the optimum
    is integral. It starts from each candidate's ``initial_k`` best providers and adds pairs whose
    reduced cost shows they could improve the optimum (per round each candidate's ``price_k`` most
    promising ones; 0: all), until none can: the result is the optimum over all pairs (column
    generation, certified by LP duality). The model is built once (:class:`_AssignmentLP`): each
    round adds its columns and re-solves from the previous basis. A maximum flow then checks that no
    assignment gives more candidates a provider; should one, the gains become a weight per
    assignment larger than any sum of scores (lexicographic) and it is solved again. Finally the ties
    are broken the same whichever optimum the solver returned (:func:`_break_ties`): of all optimal
    assignments, the lowest sum of provider positions (a tie goes to the lower provider id where it
    has room, also through a chain of ties), then in order of candidate id each candidate the lowest
    provider id it can get by exchanging tied places (being without a provider counts as last).
    """
    s = scores[["candidate_id", "provider_id", "score"]].reset_index(drop=True)
    cand_ids = np.array(sorted(s["candidate_id"].astype(str).unique()), dtype=object)
    prov_ids = np.array(sorted(map(str, capacity.index)), dtype=object)
    cap = capacity.reindex(prov_ids).fillna(0).clip(lower=0).to_numpy(dtype=float)
    s = s[s["provider_id"].astype(str).isin(set(prov_ids))]
    ci = pd.Categorical(s["candidate_id"].astype(str), categories=cand_ids).codes.astype(np.int64)
    pi = pd.Categorical(s["provider_id"].astype(str), categories=prov_ids).codes.astype(np.int64)
    sc = s["score"].to_numpy(dtype=float)
    n = len(cand_ids)
    chosen = np.full(n, -1)
    if len(sc) and n:
        order = np.lexsort((pi, -sc, ci))  # per candidate: best score first, then lowest id
        rank_in = np.empty(len(sc), dtype=np.int64)
        starts = np.r_[0, np.flatnonzero(np.diff(ci[order])) + 1]
        counts = np.diff(np.r_[starts, len(order)])
        rank_in[order] = np.arange(len(order)) - np.repeat(starts, counts)
        bonus = 1.0
        lp = _AssignmentLP(n, cap)  # one model: columns added, gains changed, each solve warm
        active = rank_in < initial_k
        cols = np.flatnonzero(active)  # the pair behind each column of the model, in the order added
        lp.add(ci[cols], pi[cols], bonus + sc[cols])
        for _attempt in range(2):
            while True:
                x, duals = lp.solve()
                reduced = bonus + sc - duals[ci] - duals[n + pi]
                add = ~active & (reduced > 1e-9)
                if not add.any():
                    break
                if price_k:  # only each candidate's most promising columns
                    cand_add = np.flatnonzero(add)
                    o = np.lexsort((-reduced[cand_add], ci[cand_add]))
                    cand_add = cand_add[o]
                    first = np.r_[0, np.flatnonzero(np.diff(ci[cand_add])) + 1]
                    within = np.arange(len(cand_add)) - np.repeat(first, np.diff(np.r_[first, len(cand_add)]))
                    add = np.zeros_like(add)
                    add[cand_add[within < price_k]] = True
                new = np.flatnonzero(add)
                lp.add(ci[new], pi[new], bonus + sc[new])
                cols = np.r_[cols, new]
                active |= add
            pairs = cols[x]
            if len(pairs) >= _max_assignable(ci, pi, n, cap) or bonus > 1:
                break
            bonus = float(n + 1)  # lexicographic: one more candidate outweighs any score sum
            lp.set_gain(bonus + sc[cols])
        chosen[ci[pairs]] = pairs
        chosen = _break_ties(chosen, ci, pi, bonus + sc, duals, cap)
    has = chosen >= 0
    safe = np.maximum(chosen, 0)
    return pd.DataFrame(
        {
            "candidate_id": cand_ids,
            "provider_id": pd.array(np.where(has, prov_ids[pi[safe]] if len(pi) else None, None), dtype="string"),
            "score": np.where(has, sc[safe] if len(sc) else np.nan, np.nan),
        }
    )


def _break_ties(
    chosen: np.ndarray, ci: np.ndarray, pi: np.ndarray, gain: np.ndarray, duals: np.ndarray, cap: np.ndarray
) -> np.ndarray:
    """The one optimal assignment the tie rules pick, whichever optimum the solver returned.

    ``chosen`` holds per candidate the index of its pair (-1: none): an optimum of the LP with gains
    ``gain`` and optimal duals ``duals`` (candidates, then providers). By complementary slackness an
    assignment is optimal exactly when it uses only *tied* pairs (reduced cost 0), fills every
    provider whose dual is positive and assigns every candidate whose dual is positive. Among the
    optimal assignments that give a provider to the same candidates:

    1. the lowest sum of provider positions (sorted by id): a tie goes to the lower provider id
       where it has room, also through a chain of ties (an LP over the tied pairs only);
    2. then, in order of candidate id, each candidate takes the lowest provider id it can get by
       exchanging tied places with candidates after it (a cycle of tied pairs: a path search over
       the providers).

    Only candidates with a tied pair besides their own are looked at (few).
    """
    n, n_prov = len(chosen), len(cap)
    tol = 1e-9
    reduced = gain - duals[ci] - duals[n + pi]
    in_x = np.zeros(len(ci), dtype=bool)
    in_x[chosen[chosen >= 0]] = True
    tied = (np.abs(reduced) <= tol) | in_x  # x itself is one of the optima
    held = np.zeros(n, dtype=bool)
    held[ci[in_x & (reduced > tol)]] = True  # a pair at its upper bound with a positive reduced cost stays
    may_go = duals[:n] <= tol  # may be without a provider in an optimum
    loose = ((np.bincount(ci[tied & ~in_x], minlength=n) > 0) | (may_go & (chosen >= 0))) & ~held
    if not loose.any():
        return chosen
    chosen = chosen.copy()
    kept = ~loose & (chosen >= 0)
    room = cap - np.bincount(pi[chosen[kept]], minlength=n_prov)
    cols = np.flatnonzero(tied & loose[ci])
    picked = _fewest_positions(cols, ci, pi, loose, ~may_go, room, duals[n:] > tol)
    chosen[loose] = -1
    chosen[ci[picked]] = picked
    return _exchange_in_id_order(chosen, ci, pi, cols, loose & may_go, n_prov)


def _fewest_positions(
    cols: np.ndarray, ci: np.ndarray, pi: np.ndarray, loose: np.ndarray, assigned: np.ndarray, room: np.ndarray,
    full: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Step 1 of :func:`_break_ties`: of the tied pairs ``cols`` of the ``loose`` candidates, an
    assignment that keeps the candidates that are ``assigned`` assigned, fills the providers that
    must be ``full`` and has the lowest sum of provider positions. An LP with integer costs over a
    totally unimodular matrix: its simplex optimum is integral and exact. Returns the pairs."""
    import highspy

    cand = np.flatnonzero(loose)
    row_of = np.full(len(loose), -1)
    row_of[cand] = np.arange(len(cand))
    k, n_rows = len(cols), len(cand) + len(room)
    h = _silent_highs()
    lower = np.r_[assigned[cand].astype(float), np.where(full, room, 0.0)]
    upper = np.r_[np.ones(len(cand)), room].astype(float)
    empty = np.zeros(0, dtype=np.int32)
    h.addRows(n_rows, lower, upper, 0, empty, empty, np.zeros(0))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    index = np.empty(2 * k, dtype=np.int32)
    index[0::2], index[1::2] = row_of[ci[cols]], len(cand) + pi[cols]
    cost = (len(room) + 1.0 - pi[cols]).astype(float)  # sum(m + 1 - position): the most, then the lowest
    starts = np.arange(0, 2 * k, 2, dtype=np.int32)
    h.addCols(k, cost, np.zeros(k), np.ones(k), 2 * k, starts, index, np.ones(2 * k))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:  # pragma: no cover - x itself is feasible
        raise RuntimeError(f"tie-break LP failed: {h.modelStatusToString(h.getModelStatus())}")
    x = np.asarray(h.getSolution().col_value)
    return cols[x > 0.5]


def _exchange_in_id_order(
    chosen: np.ndarray, ci: np.ndarray, pi: np.ndarray, cols: np.ndarray, may_go: np.ndarray, n_prov: int
) -> np.ndarray:
    """Step 2 of :func:`_break_ties`: the candidates with tied pairs ``cols``, in order of id, each take
    the lowest provider among them that a cycle of exchanges with the candidates after it (each
    moving along one of its tied pairs) allows; the providers' loads stay. Being without a provider
    is a place after every provider (``n_prov``), open to the candidates that ``may_go``."""
    pair_of = {(int(c), int(p)): int(k) for k, c, p in zip(cols, ci[cols], pi[cols], strict=True)}
    pair_of.update({(int(c), n_prov): -1 for c in np.flatnonzero(may_go)})
    options: dict[int, list[int]] = {}
    for c, p in sorted(pair_of):
        options.setdefault(c, []).append(p)
    at = {c: int(pi[chosen[c]]) if chosen[c] >= 0 else n_prov for c in options}
    # movers[p][q]: the unsettled candidates at provider p with a tied pair at q
    movers: list[dict[int, set]] = [{} for _ in range(n_prov + 1)]
    for c, p in at.items():
        for q in options[c]:
            if q != p:
                movers[p].setdefault(q, set()).add(c)
    for c in sorted(at):  # candidate codes follow the sorted ids
        b = at[c]
        for q in options[c]:
            if q != b:
                movers[b].get(q, set()).discard(c)  # settled: no longer moves for others
        for a in options[c]:
            if a >= b:
                break
            path = _provider_path(movers, a, b)
            if path is None:
                continue
            for p, q in zip(path[:-1], path[1:], strict=True):  # a -> ... -> b: each step one candidate moves
                d = min(movers[p][q])
                _move(movers, options[d], d, p, q)
                at[d] = q
                chosen[d] = pair_of[(d, q)]
            at[c] = a
            chosen[c] = pair_of[(c, a)]
            break
    return chosen


def _move(movers: list[dict[int, set]], options: list[int], d: int, p: int, q: int) -> None:
    """Candidate ``d`` (tied pairs at ``options``) moves from provider ``p`` to ``q``."""
    for r in options:
        if r != p:
            movers[p][r].discard(d)
    for r in options:
        if r != q:
            movers[q].setdefault(r, set()).add(d)


def _provider_path(movers: list[dict[int, set]], start: int, goal: int) -> list[int] | None:
    """A shortest path of providers from ``start`` to ``goal`` along which a candidate can move at
    each step (``movers[p][q]`` not empty), the lowest ids first; None if there is none."""
    parent = {start: start}
    frontier = [start]
    while frontier:
        nxt = []
        for p in frontier:
            for q in sorted(movers[p]):
                if movers[p][q] and q not in parent:
                    parent[q] = p
                    if q == goal:
                        path = [q]
                        while path[-1] != start:
                            path.append(parent[path[-1]])
                        return path[::-1]
                    nxt.append(q)
        frontier = nxt
    return None


# --------------------------------------------------------------------------------------------
# Robustness of the ranking to the weights
# --------------------------------------------------------------------------------------------


def weight_robustness(
    scores: pd.DataFrame,
    chosen: pd.DataFrame,
    weights: np.ndarray,
    *,
    draws: int = 2000,
    concentration: float = 50.0,
    seed: int = 2030,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How stable each candidate's choice is when the weights of the aspects vary.

    Weights are drawn from a Dirichlet distribution centred on the configured weights:
    ``w ~ Dirichlet(concentration * w0 / sum(w0))`` (an aspect with weight 0 stays 0). The larger
    ``concentration``, the closer the draws lie to ``w0`` (50: each share varies by about a third
    of itself). All draws are scored at once: one matrix product of the aspect scores (pairs x
    aspects) and the draws (aspects x draws), then a maximum per candidate (``reduceat``).

    Parameters
    ----------
    scores : DataFrame
        :func:`aspect_scores` output (``candidate_id``, ``provider_id``, ``<aspect>_score``).
    chosen : DataFrame
        ``candidate_id``, ``provider_id``: the provider whose stability is measured (the
        assignment's, or the first choice).

    Returns
    -------
    per_candidate : DataFrame
        ``candidate_id``, ``provider_id``, ``stays_first_share`` (share of draws in which that
        provider scores highest for the candidate, ignoring capacity), ``n_providers``.
    pairs : DataFrame
        Per candidate and every other provider: ``other_provider_id``, ``score_gap`` (at the
        configured weights), ``other_above_share`` (share of draws in which the other scores
        higher), and per aspect ``flip_weight_<aspect>``: the weight of that aspect (others as
        configured) at which the two swap places (``NaN``: no weight of that aspect alone swaps
        them), with ``flip_nl``, the nearest such change in Dutch.
    """
    aspects = list(ASPECTS)
    s = scores.sort_values(["candidate_id", "provider_id"], kind="stable").reset_index(drop=True)
    a = s[[f"{x}_score" for x in aspects]].to_numpy(dtype=np.float64)
    w0 = np.asarray(weights, dtype=float)
    rng = np.random.default_rng(seed)
    alpha = concentration * w0 / w0.sum()
    draw = np.zeros((len(w0), draws))
    live = alpha > 0
    if live.any():
        draw[live] = rng.dirichlet(alpha[live], size=draws).T
    cand = s["candidate_id"].astype(str).to_numpy()
    prov = s["provider_id"].astype(str).to_numpy()
    starts = np.r_[0, np.flatnonzero(cand[1:] != cand[:-1]) + 1] if len(cand) else np.zeros(0, dtype=int)
    key = dict(zip(chosen["candidate_id"].astype(str), chosen["provider_id"].astype(object), strict=True))
    target = np.array([key.get(c) for c in cand], dtype=object)
    is_target = prov == target
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(cand)])) if len(cand) else np.zeros(0, int)
    sizes = np.diff(np.r_[starts, len(cand)]) if len(cand) else np.zeros(0, dtype=int)
    tgt_rows = np.flatnonzero(is_target)
    tgt_of_group = np.full(len(starts), -1)
    tgt_of_group[group[tgt_rows]] = tgt_rows
    has_target = tgt_of_group >= 0
    other = np.flatnonzero(~is_target & (tgt_of_group[group] >= 0)) if len(s) else np.zeros(0, dtype=int)
    t = tgt_of_group[group[other]]
    first_count = np.zeros(len(starts))
    above_count = np.zeros(len(other))
    if len(s):
        # the providers of each candidate side by side (padded with a row that never wins), so
        # the best per candidate and draw is one max over an axis
        k_max = int(sizes.max())
        slot = np.arange(len(cand)) - np.repeat(starts, sizes)
        index = np.full((len(starts), k_max), len(cand))
        index[group, slot] = np.arange(len(cand))
        with_target = np.flatnonzero(has_target)
        t_slot = slot[tgt_of_group[with_target]]
        above_slots = np.zeros(index.shape)
        # draws in chunks, so memory stays bounded whatever the number of pairs and draws
        chunk = max(1, int(2e7 // (len(cand) + index.size)))
        buffer = np.full((len(cand) + 1, min(chunk, draws)), -np.inf)
        for lo in range(0, draws, chunk):
            width = min(chunk, draws - lo)
            per_draw = buffer[:, :width]
            per_draw[:-1] = a @ draw[:, lo : lo + width]  # pairs x draws of this chunk: one product
            grid = per_draw[index]  # candidates x providers x draws
            best = grid.max(axis=1)
            mine = grid[with_target, t_slot]  # the measured provider's score per draw
            first_count[with_target] += (mine >= best[with_target] - 1e-12).sum(axis=1)
            above_slots[with_target] += (grid[with_target] > mine[:, None, :] + 1e-12).sum(axis=2)
        above_count = above_slots[group[other], slot[other]]
    share = first_count / max(draws, 1)
    per_candidate = pd.DataFrame(
        {
            "candidate_id": cand[starts] if len(cand) else np.array([], dtype=object),
            "provider_id": [key.get(c) for c in cand[starts]] if len(cand) else [],
            "stays_first_share": np.where(has_target, share, np.nan),
            "n_providers": sizes,
        }
    )
    delta = a[t] - a[other]  # pairs x aspects: what the measured provider has more
    gap = delta @ w0 / w0.sum()
    above = above_count / max(draws, 1)
    d0 = delta @ w0
    with np.errstate(divide="ignore", invalid="ignore"):
        flip = w0[None, :] - d0[:, None] / delta  # weight of aspect k at which d0 + (w_k'-w_k) delta_k = 0
    valid = np.isfinite(flip) & (flip >= 0) & (delta != 0)
    flip = np.where(valid, flip, np.nan)
    pairs = pd.DataFrame(
        {
            "candidate_id": cand[other],
            "provider_id": prov[t],
            "other_provider_id": prov[other],
            "score_gap": gap,
            "other_above_share": above,
        }
    )
    names = [ASPECTS[x][1] for x in aspects]
    for k, x in enumerate(aspects):
        pairs[f"flip_weight_{x}"] = flip[:, k]
    change = np.abs(flip - w0[None, :])
    tie = (delta == 0).all(axis=1)  # equal on every aspect: no weight can part them
    pairs["flip_nl"] = [  # the one behind comes above the one ahead (ahead: by the configured weights)
        TIE_NL.format(p=p, o=o) if same
        else _flip_sentence(p, o, row, ch, names, w0) if g >= 0 else _flip_sentence(o, p, row, ch, names, w0)
        for p, o, row, ch, g, same in zip(prov[t], prov[other], flip, change, gap, tie, strict=True)
    ]  # fmt: skip
    return per_candidate, pairs


#: Two providers equal on every aspect: a tie, and the rule that breaks it (:func:`assign_providers`).
TIE_NL = (
    "{p} en {o} scoren op elk aspect gelijk: geen gewicht verandert hun volgorde; bij gelijke score gaat "
    "de aanbieder met het laagste nummer voor"
)


def _flip_sentence(p: str, o: str, flips: np.ndarray, change: np.ndarray, names: list[str], w0: np.ndarray) -> str:
    """How ``o``, now below ``p``, comes above it: the nearest change of one aspect's weight."""
    if not np.isfinite(flips).any():
        return f"{o} komt bij geen enkel gewicht van één aspect boven {p}"
    k = int(np.nanargmin(change))
    direction = "stijgt" if flips[k] > w0[k] else "daalt"
    return (
        f"{o} komt boven {p} als het gewicht van '{names[k]}' {direction} van {nl_number(w0[k], 1)} "
        f"tot voorbij {nl_number(flips[k], 2)} (andere gewichten gelijk)"
    )


# --------------------------------------------------------------------------------------------
# 4.1 / 4.2 welfare organisation
# --------------------------------------------------------------------------------------------

#: The conditions of 4.2 and the committed senior buurtwerker of 4.1: column -> (Dutch, section).
WELFARE_CONDITIONS = {
    "purchasing_agreement": ("Inkoopafspraken met gemeente/stadsdeel voor deze rol", "4.2"),
    "in_alliance_plan": ("Flat uitgewerkt in de alliantieplannen 2025-2030", "4.2"),
    "extra_buurtwerk_granted": ("Aanvraag extra inzet buurtwerk gehonoreerd", "4.2"),
    "senior_buurtwerker": ("Toegewijde, ervaren (senior) buurtwerker toegezegd", "4.1.2"),
}
#: The seven roles of 4.1 (the second is the senior buurtwerker).
WELFARE_ROLES = {
    "role_vision": ("4.1.1", "De flat heeft een belangrijke plek in de visie van de organisatie"),
    "senior_buurtwerker": ("4.1.2", "Inzet van een toegewijde en ervaren (senior) buurtwerker"),
    "role_employer_support": ("4.1.3", "Actieve support van de werkgever (ruimte, netwerken, communicatie, HR)"),
    "role_resident_network": ("4.1.4", "Actief betrekken van het netwerk van bewoners en bewonersinitiatieven"),
    "role_community_care": ("4.1.5", "Expertise inzetten of ontwikkelen voor community care"),
    "role_knowledge_sharing": ("4.1.6", "Initiatief uitdragen en kennis delen, ook met het Buurtteam"),
    "role_training": ("4.1.7", "Buurtwerker volgt de leergang Lang Leven Thuisflat"),
}


def _all_members(values: pd.Series, groups: pd.Series) -> pd.Series:
    """Per group: True if every member is True, False if any is False, else unknown."""
    v = values.astype("boolean")
    frame = pd.DataFrame(
        {
            "g": groups.to_numpy(),
            "t": v.fillna(False).to_numpy(dtype=bool),
            "f": (~v.fillna(True)).to_numpy(dtype=bool),
            "u": v.isna().to_numpy(),
        }
    )  # noqa: E712
    agg = frame.groupby("g", sort=True).agg(t=("t", "all"), f=("f", "any"), u=("u", "any"))
    out = pd.Series(pd.NA, index=agg.index, dtype="boolean")
    out[agg["f"].to_numpy()] = False
    out[(agg["t"] & ~agg["u"]).to_numpy()] = True
    return out


def choose_welfare(
    candidates: pd.DataFrame,
    flats: pd.DataFrame,
    organisations: pd.DataFrame,
    conditions: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The welfare organisation per candidate (4.1, 4.2), from those active in its stadsdeel.

    An organisation qualifies for a candidate when all four conditions pass: the purchasing
    agreement for this role in the stadsdeel, the flat worked out in the alliance plans
    2025-2030, the extra buurtwerk granted (4.2) and a committed senior buurtwerker (4.1.2).
    For a group every member flat must meet a per-flat condition. Of those that qualify, the one
    with the most of the seven roles of 4.1 confirmed is chosen (ties: lowest id).

    Returns
    -------
    options : DataFrame
        Per candidate and organisation: each condition's status and Dutch sentence,
        ``eligibility`` and ``n_roles_confirmed``.
    choice : DataFrame
        Per candidate: ``welfare_id`` (``<NA>`` if none qualifies), ``welfare_name``, ``reason``.
    roles : DataFrame
        Per candidate and role of 4.1 (for the chosen organisation, or the best one when none
        qualifies): ``status`` ja/nee/onbekend.
    """
    cands = candidates[["candidate_id", "stadsdeel_code"]].astype({"candidate_id": str}).reset_index(drop=True)
    orgs = organisations.assign(welfare_id=organisations["welfare_id"].astype(str))
    grid = cands.merge(orgs, on="stadsdeel_code", how="inner")
    member = flats[["flat_id", "candidate_id"]].astype(str)
    cols = [
        "in_alliance_plan",
        "extra_buurtwerk_granted",
        *[r for r in WELFARE_ROLES if r != "role_vision"],
        "role_vision",
    ]
    cols = list(dict.fromkeys(cols))
    per_flat_org = member.merge(orgs[["welfare_id", "stadsdeel_code"]].drop_duplicates("welfare_id"), how="cross")
    if conditions is not None and len(conditions):
        cond = conditions.assign(
            flat_id=conditions["flat_id"].astype(str), welfare_id=conditions["welfare_id"].astype(str)
        )
        for c in cols:
            if c not in cond:
                cond[c] = pd.array([pd.NA] * len(cond), dtype="boolean")
        per_flat_org = per_flat_org.merge(
            cond[["flat_id", "welfare_id", *cols]], on=["flat_id", "welfare_id"], how="left"
        )
    else:
        for c in cols:
            per_flat_org[c] = pd.array([pd.NA] * len(per_flat_org), dtype="boolean")
    key = per_flat_org["candidate_id"] + "\x1f" + per_flat_org["welfare_id"]
    agg = {c: _all_members(per_flat_org[c], key) for c in cols}
    gk = grid["candidate_id"] + "\x1f" + grid["welfare_id"]
    for c in cols:
        grid[c] = agg[c].reindex(gk).to_numpy()
    grid["purchasing_agreement"] = grid["purchasing_agreement"].astype("boolean")
    status = {}
    for c, (label, _sec) in WELFARE_CONDITIONS.items():
        v = grid[c].astype("boolean")
        status[c] = np.where(v.isna(), "unknown", np.where(v.fillna(False), "pass", "fail"))
        grid[f"{c}_status"] = status[c]
        grid[f"{c}_reason"] = [
            f"{label}: {'ja' if s == 'pass' else 'nee' if s == 'fail' else 'onbekend'}" for s in status[c]
        ]
    stat = np.column_stack([status[c] for c in WELFARE_CONDITIONS]) if len(grid) else np.empty((0, 4), dtype=object)
    grid["eligibility"] = np.where(
        (stat == "fail").any(axis=1), "fail", np.where((stat == "unknown").any(axis=1), "unknown", "pass")
    )
    grid["eligibility_nl"] = grid["eligibility"].map(OUTCOME_NL)
    grid["n_roles_confirmed"] = sum(grid[r].astype("boolean").fillna(False).astype(int) for r in WELFARE_ROLES)
    grid = grid.sort_values(["candidate_id", "welfare_id"], kind="stable").reset_index(drop=True)
    order = grid.assign(
        _ok=(grid["eligibility"] == "pass").astype(int),
        _unk=(grid["eligibility"] == "unknown").astype(int),
    ).sort_values(
        ["candidate_id", "_ok", "_unk", "n_roles_confirmed", "welfare_id"],
        ascending=[True, False, False, False, True],
        kind="stable",
    )
    best = order.drop_duplicates("candidate_id").set_index("candidate_id")
    grid["chosen"] = [
        bool(best.loc[c, "eligibility"] == "pass" and best.loc[c, "welfare_id"] == w)
        for c, w in zip(grid["candidate_id"], grid["welfare_id"], strict=True)
    ]
    rows = []
    for cid in cands["candidate_id"]:
        if cid not in best.index:
            rows.append((cid, None, None, "geen welzijnsorganisatie actief in dit stadsdeel bekend"))
            continue
        b = best.loc[cid]
        if b["eligibility"] == "pass":
            n_ok = int(((grid["candidate_id"] == cid) & (grid["eligibility"] == "pass")).sum())
            extra = (
                f"; van {n_ok} die voldoen heeft deze de meeste rollen van 4.1 bevestigd "
                f"({int(b['n_roles_confirmed'])} van 7)"
                if n_ok > 1
                else ""
            )
            rows.append(
                (
                    cid,
                    b["welfare_id"],
                    b["name"],
                    f"{b['name']} voldoet aan de voorwaarden van 4.2 en heeft een senior buurtwerker toegezegd "
                    f"(4.1){extra}",
                )
            )
        else:
            opts = grid[grid["candidate_id"] == cid]
            why = "; ".join(
                f"{r['name']}: "
                + ", ".join(
                    f"{WELFARE_CONDITIONS[c][0].lower()} {'nee' if r[f'{c}_status'] == 'fail' else 'onbekend'}"
                    for c in WELFARE_CONDITIONS
                    if r[f"{c}_status"] != "pass"
                )
                for _, r in opts.iterrows()
            )
            rows.append((cid, None, None, f"nog geen welzijnsorganisatie die aan alle voorwaarden voldoet ({why})"))
    choice = pd.DataFrame(rows, columns=["candidate_id", "welfare_id", "welfare_name", "welfare_reason"])
    role_rows = []
    for cid, b in best.iterrows():
        for col, (sec, text) in WELFARE_ROLES.items():
            v = b[col]
            role_rows.append(
                (cid, b["welfare_id"], sec, col, text, "onbekend" if pd.isna(v) else ("ja" if v else "nee"))
            )
    roles = pd.DataFrame(role_rows, columns=["candidate_id", "welfare_id", "section", "role", "role_nl", "status"])
    return grid.drop(columns=[c for c in cols if c in grid.columns and c not in WELFARE_CONDITIONS]), choice, roles


# --------------------------------------------------------------------------------------------
# 3.2 housing corporation, and the corporation's final say
# --------------------------------------------------------------------------------------------

#: The six expectations of 3.2: column of the register -> (number, Dutch text).
CORPORATION_ITEMS = {
    "meeting_space_open": ("3.2.1", "Ruimte voor ontmoeten die ook voor de buurt kan worden ingezet"),
    "fire_safety_plan": ("3.2.2", "Brandveiligheidsanalyse en -plan volgens het Stappenplan van 18 juni 2024"),
    "staff_in_wijk": ("3.2.3", "Eén of meer medewerkers van de corporatie in de wijk of het gebouw"),
    "woonzorg_registered": (
        "3.2.4",
        "Woningen aangemeld als woonzorginitiatief voor cliënten van de voorkeursaanbieder",
    ),
    "vital_mix": ("3.2.5", "Oog voor de vitale mix bij de overige toewijzingen"),
    "corporation_subsidy_recipient": ("3.2.6", "Corporatie ontvangt (een deel van) de SPUK DOS-subsidie"),
}


def corporation_checklist(flats: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The expectations of 3.2 per flat, and the corporation's final say per candidate.

    Returns
    -------
    checklist : DataFrame
        Per flat and expectation (and ``corporation_consent``): ``status`` ja/nee/onbekend.
    consent : DataFrame
        Per candidate: ``consent`` (True / False / unknown: every member flat must have it) and
        ``consent_nl``, the sentence shown wherever the candidate is proposed.
    """
    items = {**CORPORATION_ITEMS, "corporation_consent": ("intro, 3.1", "Besluit van de corporatie (laatste woord)")}
    f = flats.sort_values("flat_id").reset_index(drop=True)
    rows = []
    for col, (sec, text) in items.items():
        v = f[col].astype("boolean") if col in f else pd.Series(pd.NA, index=f.index, dtype="boolean")
        rows.append(
            pd.DataFrame(
                {
                    "flat_id": f["flat_id"].astype(str),
                    "candidate_id": f["candidate_id"].astype(str),
                    "corporation": f["corporation"].astype(str),
                    "section": sec,
                    "item": col,
                    "item_nl": text,
                    "status": np.where(v.isna(), "onbekend", np.where(v.fillna(False), "ja", "nee")),
                }
            )
        )
    checklist = (
        pd.concat(rows, ignore_index=True).sort_values(["flat_id", "section"], kind="stable").reset_index(drop=True)
    )
    consent = _all_members(f["corporation_consent"], f["candidate_id"].astype(str))
    text = np.where(
        consent.isna(),
        "akkoord van de corporatie nog onbekend: zij heeft het laatste woord",
        np.where(
            consent.fillna(False),
            "de corporatie heeft ingestemd",
            "GEEN akkoord van de corporatie: de flat is getoetst, maar zonder haar besluit niet voor te stellen",
        ),
    )
    return checklist, pd.DataFrame({"candidate_id": consent.index, "consent": consent.to_numpy(), "consent_nl": text})


# --------------------------------------------------------------------------------------------
# 2.3 steps and 2.4 positioning: the choice process
# --------------------------------------------------------------------------------------------


def process_checklist(flats: pd.DataFrame, process: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The four steps and the positioning options of 2.4 per flat, with status and date.

    Returns
    -------
    checklist : DataFrame
        Per flat and item: ``section``, ``item_nl``, ``status`` (done / in_progress / planned /
        not_applicable, or ``unknown`` when the process table says nothing), ``status_nl``,
        ``date``, ``note``.
    summary : DataFrame
        Per flat: ``steps_done`` (of 4), ``positioning_done``, ``stage_nl`` (one Dutch line).
    """
    f = flats[["flat_id"]].astype(str).drop_duplicates().sort_values("flat_id")
    items = pd.DataFrame(
        [(code, sec, label) for code, (sec, label, _w) in PROCESS_ITEMS.items()], columns=["item", "section", "item_nl"]
    )
    grid = f.merge(items, how="cross")
    if process is not None and len(process):
        p = process.assign(flat_id=process["flat_id"].astype(str), item=process["item"].astype(str))
        grid = grid.merge(p[["flat_id", "item", "status", "date", "note"]], on=["flat_id", "item"], how="left")
    else:
        grid["status"] = pd.NA
        grid["date"] = pd.NA
        grid["note"] = pd.NA
    grid["status"] = grid["status"].astype("string").fillna("unknown")
    labels = {k: v[0] for k, v in PROCESS_STATUSES.items()} | {"unknown": "onbekend (niet geregistreerd)"}
    grid["status_nl"] = grid["status"].map(labels)
    grid = grid.reset_index(drop=True)
    step = grid["item"].str.startswith("step")
    done = grid["status"] == "done"
    summary = pd.DataFrame(
        {
            "steps_done": (step & done).groupby(grid["flat_id"]).sum(),
            "positioning_done": (~step & done).groupby(grid["flat_id"]).sum(),
        }
    ).reset_index()
    summary["stage_nl"] = [
        f"{int(s)} van 4 stappen van 2.3 gedaan; {int(q)} positioneringsoptie{'' if q == 1 else 's'} van 2.4 ingezet"
        for s, q in zip(summary["steps_done"], summary["positioning_done"], strict=True)
    ]
    return grid, summary


# --------------------------------------------------------------------------------------------
# Who can be funded: one rule for the partner step and the portfolio
# --------------------------------------------------------------------------------------------

#: The words of an unknown that funding *onder voorbehoud* accepts (``[portfolio]`` allow_* keys).
UNKNOWN_31_NL = "een criterium van 3.1 is onbekend"
UNKNOWN_CONSENT_NL = "akkoord van de corporatie onbekend"
UNKNOWN_WELFARE_NL = "voorwaarden welzijn (4.2) nog niet alle bekend"


def candidate_cost(cands: pd.DataFrame, config) -> np.ndarray:
    """Subsidy per candidate in euros: its flats' ``subsidy_eur``, else ``[programme]
    default_subsidy_eur`` per member flat (when above 0), else NaN (unknown)."""
    default_cost = float(config["programme"]["default_subsidy_eur"])
    cost = cands["subsidy_eur"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    if default_cost > 0:
        cost = np.where(np.isnan(cost), default_cost * cands["n_members"].to_numpy(dtype=float), cost)
    return cost


def fundability(
    cands: pd.DataFrame, consent: pd.Series, welfare: pd.DataFrame, config, *, cost: np.ndarray | None = None
) -> pd.DataFrame:
    """Whether each candidate may be funded, by the Toewijzingskader's words: unknown is not met.

    A candidate is fundable when it passes 3.1 (within the "ongeveer" tolerance of the size), its
    corporation has consented (3.2: the last word), and a welfare organisation is known to meet the
    conditions of 4.2 (a *basisvoorwaarde*), and, when ``cost`` is given, its subsidy is known. The
    ``[portfolio]`` keys ``allow_unknown_criteria``, ``allow_unknown_consent`` and ``welfare_required =
    "possible"`` let a candidate with that one thing unknown be funded *onder voorbehoud*, listed in
    ``on_condition_nl``. The partner step and the portfolio both read this, so that only fundable
    candidates compete for a care provider's places.

    Parameters
    ----------
    cands : DataFrame
        ``candidate_id`` and ``eligibility`` (3.1: pass, fail, unknown).
    consent : Series
        The corporation's consent per candidate id (True, False or NA), as from
        :func:`corporation_checklist`.
    welfare : DataFrame
        Per candidate and welfare organisation, ``eligibility`` of 4.2 (from :func:`choose_welfare`).
    config : Config
        ``[portfolio]`` as above.
    cost : array, optional
        The subsidy per candidate (NaN: unknown).

    Returns
    -------
    DataFrame
        Per candidate in the order given: ``candidate_id``, ``fundable``, ``excluded_nl`` (why not,
        ``; ``-separated, empty when fundable) and ``on_condition_nl`` (what is still unknown but
        allowed: funded *onder voorbehoud*).
    """
    port = config["portfolio"]
    ids = cands["candidate_id"].astype(str).to_numpy()
    n = len(ids)
    elig = cands["eligibility"].astype(str).to_numpy()
    cons = pd.Series(ids).map(consent).astype("boolean")
    c_unknown = cons.isna().to_numpy()
    c_refused = (~cons.fillna(True)).to_numpy(dtype=bool)
    w = welfare.assign(candidate_id=welfare["candidate_id"].astype(str))
    index = pd.Index(ids, dtype=object)  # a hash table (np.isin compares objects pair by pair)
    known_w = index.isin(w.loc[w["eligibility"] == "pass", "candidate_id"].to_numpy(dtype=object))
    possible_w = index.isin(w.loc[w["eligibility"] == "unknown", "candidate_id"].to_numpy(dtype=object))
    no_cost = np.isnan(cost) if cost is not None else np.zeros(n, dtype=bool)
    welfare_open = (elig != "fail") & ~known_w
    possible = port["welfare_required"] == "possible"

    def slot(cases: list[tuple[np.ndarray, str]]) -> np.ndarray:
        out = np.full(n, "", dtype=object)
        for where, text in reversed(cases):  # the first case that holds wins
            out[where] = text
        return out

    unknown_31, unknown_consent = elig == "unknown", c_unknown
    consent_nl = UNKNOWN_CONSENT_NL + " (zij heeft het laatste woord)"
    why = [
        slot([(elig == "fail", "voldoet niet aan de criteria van 3.1"),
              (unknown_31 & (not port["allow_unknown_criteria"]), UNKNOWN_31_NL)]),
        slot([(unknown_consent & (not port["allow_unknown_consent"]), consent_nl),
              (c_refused, "de corporatie heeft niet ingestemd (laatste woord)")]),
        slot([(no_cost, "subsidiebedrag onbekend")]),
        slot([(welfare_open & possible_w & (not possible),
               "geen welzijnsorganisatie waarvan bekend is dat zij aan de voorwaarden van 4.2 voldoet "
               "(basisvoorwaarde; onbekend is niet voldaan)"),
              (welfare_open & ~possible_w, "geen welzijnsorganisatie die aan de voorwaarden van 4.2 voldoet")]),
    ]  # fmt: skip
    marks = [
        slot([(unknown_31 & bool(port["allow_unknown_criteria"]), UNKNOWN_31_NL)]),
        slot([(unknown_consent & bool(port["allow_unknown_consent"]), consent_nl)]),
        slot([(welfare_open & possible_w & possible, UNKNOWN_WELFARE_NL)]),
    ]
    why_all = ["; ".join(filter(None, row)) for row in zip(*why, strict=True)]
    marks_all = ["; ".join(filter(None, row)) for row in zip(*marks, strict=True)]
    out = pd.DataFrame({"candidate_id": ids, "excluded_nl": why_all, "on_condition_nl": marks_all})
    out.insert(1, "fundable", out["excluded_nl"].eq("").to_numpy(dtype=bool))
    return out


def _best_with_room(scores: pd.DataFrame, ids: list[str], free: pd.Series) -> pd.DataFrame:
    """Each candidate on its own: its best-ranked provider that still has a place in ``free``."""
    sc = scores[scores["candidate_id"].astype(str).isin(set(ids))].sort_values(["candidate_id", "rank"], kind="stable")
    sc = sc[sc["provider_id"].map(free).fillna(0).gt(0).to_numpy()]
    best = sc.drop_duplicates("candidate_id").set_index("candidate_id")
    return pd.DataFrame(
        {
            "candidate_id": ids,
            "provider_id": pd.array([best["provider_id"].get(c, pd.NA) for c in ids], dtype="string"),
            "score": [float(best["score"].get(c, np.nan)) for c in ids],
        }
    )


# --------------------------------------------------------------------------------------------
# Everything together
# --------------------------------------------------------------------------------------------


@dataclass
class PartnerChoice:
    """The partner choice for every candidate: see :func:`choose_partners`.

    Attributes
    ----------
    providers : DataFrame
        Per care provider: the hard criteria of 2.3 (wide), ``eligibility``, capacity.
    hard_criteria : DataFrame
        Per provider and hard criterion: status and Dutch sentence.
    scores : DataFrame
        Per candidate and eligible provider: every aspect's value, score, status and sentence,
        the total and the rank (:func:`aspect_scores`).
    assignment : DataFrame
        Per candidate: the voorkeursaanbieder (chosen exactly), the first choice, the runner-up,
        the margin, whether capacity forced a later choice and why, the corporation's consent,
        the welfare organisation, and the explanation in Dutch.
    robustness : DataFrame
        Per candidate: the share of weight draws in which the chosen provider stays first.
    robustness_pairs : DataFrame
        Per candidate and other provider: the weight at which their order flips.
    welfare : DataFrame
        Per candidate and welfare organisation in its stadsdeel: the conditions of 4.1-4.2.
    welfare_roles : DataFrame
        Per candidate: the seven roles of 4.1 for the chosen (or best) organisation.
    corporation : DataFrame
        Per flat: the expectations of 3.2 and the corporation's final say.
    process : DataFrame
        Per flat: the steps and the positioning options of 2.4, with status and date.
    process_summary : DataFrame
        Per flat: how far the choice process is.
    notes : list of Problem
        What the stuurgroep should know (providers with unknown criteria, candidates without a
        provider, capacity already used up).
    consent : DataFrame
        Per candidate of the screening (every one, not only those proposed): the corporation's
        ``consent`` (True / False / NA) and ``consent_nl``.
    """

    providers: pd.DataFrame
    hard_criteria: pd.DataFrame
    scores: pd.DataFrame
    assignment: pd.DataFrame
    robustness: pd.DataFrame
    robustness_pairs: pd.DataFrame
    welfare: pd.DataFrame
    welfare_roles: pd.DataFrame
    corporation: pd.DataFrame
    process: pd.DataFrame
    process_summary: pd.DataFrame
    notes: list[Problem] = field(default_factory=list)
    consent: pd.DataFrame | None = None


def _fixed_providers(flats: pd.DataFrame) -> pd.Series:
    """Per candidate the voorkeursaanbieder the register already gives (first member that has one)."""
    f = flats[["candidate_id", "flat_id", "preferred_provider_id"]].dropna(subset=["preferred_provider_id"])
    f = f.sort_values(["candidate_id", "flat_id"])
    return f.drop_duplicates("candidate_id").set_index("candidate_id")["preferred_provider_id"].astype(str)


def choose_partners(dataset: Dataset, screening=None, *, candidate_ids=None) -> PartnerChoice:
    """Choose, per candidate, the voorkeursaanbieder zorg and the welfare organisation, and record
    the corporation's role and the choice process — every step explained.

    Which candidates: open candidates (status *kandidaat*) that pass or may pass 3.1 (a flat
    that fails is not proposed), and flats already chosen or in development that have no
    provider yet. Flats that already have a provider in the register (realised flats, mostly)
    keep it, and count against that provider's capacity.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    screening : Screening, optional
        The result of :func:`llt_geo.screening.screen` (computed when not given).
    candidate_ids : list of str, optional
        Only these candidates (for instance the ones a portfolio funds): capacity then binds only
        among them. By default every candidate described above, all at once.
    """
    from .screening import screen

    screening = screening if screening is not None else screen(dataset)
    config = dataset.config
    care = config["care"]
    notes: list[Problem] = []
    cands = screening.candidates
    flats = screening.flats
    long, wide = hard_criteria(dataset.care_providers)
    default_cap = int(care["default_max_flats"])
    wide["capacity"] = wide["max_flats"].fillna(default_cap).astype(int) if "max_flats" in wide else default_cap
    wide["capacity_source"] = (
        np.where(wide["max_flats"].isna(), "standaard ([care] default_max_flats)", "opgegeven (max_flats)")
        if "max_flats" in wide
        else "standaard"
    )
    fixed = _fixed_providers(flats)
    status = cands["status"].astype(str).to_numpy()
    cid = cands["candidate_id"].astype(str)
    has_fixed = cid.isin(fixed.index).to_numpy()
    fixed_counts = fixed.reindex(cid[has_fixed]).value_counts()
    wide["flats_already"] = wide["provider_id"].map(fixed_counts).fillna(0).astype(int)
    wide["capacity_left"] = (wide["capacity"] - wide["flats_already"]).clip(lower=0)
    over = wide[wide["flats_already"] > wide["capacity"]]
    for _, r in over.iterrows():
        notes.append(
            Problem(
                "warning",
                "care_providers",
                "max_flats",
                f"{r['provider_id']} is already voorkeursaanbieder of {r['flats_already']} flats, more than its "
                f"capacity of {r['capacity']}: it takes no new flats",
                table="care_providers",
            )
        )
    unknown = wide[wide["eligibility"] == "unknown"]
    if len(unknown):
        notes.append(
            Problem(
                "warning",
                "care_providers",
                None,
                "providers with a hard criterion of 2.3 unknown are not eligible until it is known: "
                + "; ".join(f"{r['provider_id']} ({r['unknown']})" for _, r in unknown.iterrows()),
                table="care_providers",
            )
        )
    eligible = wide.loc[wide["eligibility"] == "pass", "provider_id"].tolist()
    scope = (cands["open_candidate"].to_numpy(dtype=bool) & (cands["eligibility"].astype(str) != "fail").to_numpy()) | (
        np.isin(status, ["chosen", "in_development"]) & ~has_fixed
    )
    if candidate_ids is not None:
        scope &= cid.isin(set(map(str, candidate_ids))).to_numpy()
    scope_c = cands.loc[scope].reset_index(drop=True)
    in_scope_flats = flats[flats["candidate_id"].astype(str).isin(set(scope_c["candidate_id"].astype(str)))]
    pdm = screening.provider_distance_m.loc[in_scope_flats.index] if len(screening.provider_distance_m) else None
    wijk_names = {}
    if len(dataset.wijken):
        wijk_names = dict(
            zip(dataset.wijken["wijk_code"].astype(str), dataset.wijken["name"].fillna("").astype(str), strict=True)
        )
        wijk_names = {k: v for k, v in wijk_names.items() if v}
    scores = aspect_scores(
        scope_c,
        in_scope_flats.reset_index(drop=True),
        eligible,
        provider_names=dict(zip(wide["provider_id"], wide["name"], strict=True)),
        config=config,
        provider_distance_m=pdm,
        sites=dataset.intramural_sites,
        presence=dataset.provider_presence if "provider_presence" in dataset.files else None,
        survey=dataset.survey if "survey" in dataset.files else None,
        flat_clients=dataset.flat_clients if "flat_clients" in dataset.files else None,
        wijk_names=wijk_names,
        distance_kind=screening.distance_kind,
    )
    # welfare (4) and the corporation's say (3.2) first: only fundable candidates compete for places
    welfare, welfare_choice, roles = choose_welfare(
        scope_c,
        in_scope_flats,
        dataset.welfare_organisations,
        dataset.welfare_conditions if "welfare_conditions" in dataset.files else None,
    )
    corporation, consent = corporation_checklist(flats)
    cond = fundability(
        scope_c, consent.set_index("candidate_id")["consent"], welfare, config, cost=candidate_cost(scope_c, config)
    )
    capacity = wide.set_index("provider_id")["capacity_left"]
    capacity = capacity[capacity.index.isin(eligible)]
    chosen, proposed, committed_used = _assign_in_order(scope_c, scores, capacity, cond)
    wide["flats_committed"] = wide["provider_id"].map(committed_used).fillna(0).astype(int)
    wide["capacity_open"] = (wide["capacity_left"] - wide["flats_committed"]).clip(lower=0)
    used = chosen.loc[~chosen["candidate_id"].isin(proposed), "provider_id"].value_counts()
    assignment = _assignment_table(scope_c, scores, chosen, wide, used=used, proposed=proposed)
    assignment = assignment.merge(cond, on="candidate_id", how="left")
    # the choice of 2.3 is ranked per candidate; stability of the chosen provider's first place
    weights = _weights(config)
    target = chosen.dropna(subset=["provider_id"])
    robustness, pairs = weight_robustness(
        scores,
        target,
        weights,
        draws=int(care["robustness_draws"]),
        concentration=float(care["robustness_concentration"]),
        seed=int(care["robustness_seed"]),
    )
    assignment = assignment.merge(robustness[["candidate_id", "stays_first_share"]], on="candidate_id", how="left")
    process, summary = process_checklist(flats, dataset.process if "process" in dataset.files else None)
    assignment = assignment.merge(welfare_choice, on="candidate_id", how="left").merge(
        consent, on="candidate_id", how="left"
    )
    lead = flats.sort_values("flat_id").drop_duplicates("candidate_id").set_index("candidate_id")["flat_id"]
    stage = summary.set_index("flat_id")["stage_nl"]
    assignment["process_nl"] = assignment["candidate_id"].map(lead).map(stage)
    assignment["free_choice_nl"] = FREE_CHOICE_NL
    no_provider = assignment[assignment["provider_id"].isna()]
    if len(no_provider):
        notes.append(
            Problem(
                "warning",
                "partners",
                None,
                f"{len(no_provider)} candidate(s) without a voorkeursaanbieder (no eligible provider with room): "
                + ", ".join(no_provider["candidate_id"].astype(str)),
            )
        )
    no_consent = assignment[assignment["consent"].eq(False).fillna(False).to_numpy(dtype=bool)]
    if len(no_consent):
        notes.append(
            Problem(
                "warning",
                "flats",
                "corporation_consent",
                "proposed without the corporation's consent (it has the final say): "
                + ", ".join(no_consent["candidate_id"].astype(str)),
                table="flats",
            )
        )
    return PartnerChoice(
        wide, long, scores, assignment, robustness, pairs, welfare, roles, corporation, process, summary, notes,
        consent,
    )  # fmt: skip


def _assign_in_order(
    scope: pd.DataFrame, scores: pd.DataFrame, capacity: pd.Series, cond: pd.DataFrame
) -> tuple[pd.DataFrame, set[str], pd.Series]:
    """Providers in the order the Toewijzingskader implies: committed flats hold their places, then
    the fundable candidates share what is left (exactly), then every other candidate gets the
    provider it would have *if it were chosen* (its best with a place left; it takes none).

    Returns the chosen provider per candidate, the candidates whose provider is such a proposal,
    and the places the committed flats (chosen, in development, no provider in the register) hold.
    """
    ids = scope["candidate_id"].astype(str)
    status = scope["status"].astype(str)
    committed = ids[status.isin(["chosen", "in_development"]).to_numpy()].tolist()
    fundable = set(cond.loc[cond["fundable"], "candidate_id"])
    competing = [c for c in ids[~status.isin(["chosen", "in_development"]).to_numpy()] if c in fundable]
    rest = [c for c in ids if c not in set(committed) | set(competing)]
    sid = scores["candidate_id"].astype(str)
    held = assign_providers(scores[sid.isin(set(committed))], capacity)
    held = held.set_index("candidate_id").reindex(committed).reset_index()
    committed_used = held["provider_id"].dropna().value_counts()
    cap_open = (capacity - committed_used.reindex(capacity.index).fillna(0)).clip(lower=0)
    funded = assign_providers(scores[sid.isin(set(competing))], cap_open)
    funded = funded.set_index("candidate_id").reindex(competing).reset_index()
    free = cap_open - funded["provider_id"].dropna().value_counts().reindex(cap_open.index).fillna(0)
    proposal = _best_with_room(scores, rest, free)
    chosen = pd.concat([held, funded, proposal], ignore_index=True)
    chosen["provider_id"] = chosen["provider_id"].astype("string")
    return chosen, set(rest), committed_used


def with_decided_providers(choice: PartnerChoice, decided: pd.Series, config) -> PartnerChoice:
    """The partner choice that states the decision, so that every output names one provider per flat.

    The portfolio chooses the funded flats and their providers in one model (:mod:`llt_geo.portfolio`).
    Here the partner choice is rebuilt around that decision: each funded candidate (``decided``)
    gets the provider the portfolio gave it; flats already committed (chosen, in development) keep
    theirs; every other candidate gets a proposal *if it were chosen*: its best eligible provider
    among those with a place left after the decision (each candidate on its own), said so in its
    reason. Score, runner-up, margin, whether capacity forced a later choice, the Dutch reason (with
    the places the decision uses) and the stability under other weights follow from that.

    Parameters
    ----------
    choice : PartnerChoice
        From :func:`choose_partners`.
    decided : Series
        Provider id per candidate id (the funded flats of the basis scenario).
    config : Config
        For the weights and the robustness draws (``[care]``).
    """
    a = choice.assignment
    decided = decided[decided.index.isin(set(a["candidate_id"]))].astype(str)
    committed = a["status"].astype(str).isin(["chosen", "in_development"]) & a["provider_id"].notna()
    held = pd.concat([decided, a.loc[committed.to_numpy(), ["candidate_id", "provider_id"]].set_index("candidate_id")
                      ["provider_id"].astype(str)])  # fmt: skip
    held = held[~held.index.duplicated()]
    left = choice.providers.set_index("provider_id")["capacity_left"].astype(int)
    used = held.value_counts()
    free = (left - used.reindex(left.index).fillna(0)).clip(lower=0)
    eligible = set(choice.providers.loc[choice.providers["eligibility"] == "pass", "provider_id"])
    ids = a["candidate_id"].astype(str)
    rest = [c for c in ids if c not in held.index]
    best = _best_with_room(choice.scores, rest, free[free.index.isin(eligible)]).set_index("candidate_id")
    score_of = choice.scores.set_index(["candidate_id", "provider_id"])["score"]
    pid = [held.get(c, best["provider_id"].get(c, pd.NA)) for c in ids]
    chosen = pd.DataFrame(
        {
            "candidate_id": ids.to_numpy(),
            "provider_id": pd.array(pid, dtype="string"),
            "score": [
                float(score_of.get((c, p), np.nan)) if pd.notna(p) else np.nan for c, p in zip(ids, pid, strict=True)
            ],
        }
    )
    cands = a[
        ["candidate_id", "members", "n_members", "is_group", "status", "eligibility_31", "stadsdeel_code",
         "wijk_code", "n_dwellings"]
    ].rename(columns={"eligibility_31": "eligibility"})  # fmt: skip
    proposed = set(ids) - set(held.index)
    table = _assignment_table(cands, choice.scores, chosen, choice.providers, used=used, proposed=proposed)
    care = config["care"]
    robustness, pairs = weight_robustness(
        choice.scores,
        chosen.dropna(subset=["provider_id"]),
        _weights(config),
        draws=int(care["robustness_draws"]),
        concentration=float(care["robustness_concentration"]),
        seed=int(care["robustness_seed"]),
    )
    table = table.merge(robustness[["candidate_id", "stays_first_share"]], on="candidate_id", how="left")
    rest = a.drop(columns=[c for c in table.columns if c != "candidate_id"])
    table = table.merge(rest, on="candidate_id", how="left")[list(a.columns)]
    return replace(choice, assignment=table, robustness=robustness, robustness_pairs=pairs)


def _assignment_table(
    cands: pd.DataFrame,
    scores: pd.DataFrame,
    chosen: pd.DataFrame,
    providers: pd.DataFrame,
    *,
    used: pd.Series | None = None,
    proposed: set[str] | None = None,
) -> pd.DataFrame:
    """Per candidate: the chosen provider with first choice, runner-up, margin and the reason.

    ``used``: the places each provider has given away (default: the chosen providers themselves);
    ``proposed``: candidates whose provider is a proposal *if the flat is chosen*, said so in the reason.
    """
    base = cands[
        [
            "candidate_id",
            "members",
            "n_members",
            "is_group",
            "status",
            "eligibility",
            "stadsdeel_code",
            "wijk_code",
            "n_dwellings",
        ]
    ].copy()
    base["candidate_id"] = base["candidate_id"].astype(str)
    base = base.rename(columns={"eligibility": "eligibility_31"})
    out = base.merge(chosen.rename(columns={"score": "chosen_score"}), on="candidate_id", how="left")
    names = dict(zip(providers["provider_id"], providers["name"], strict=True))
    first = scores[scores["rank"] == 1].set_index("candidate_id")
    out["provider_name"] = out["provider_id"].map(names)
    out["first_choice_id"] = out["candidate_id"].map(first["provider_id"])
    out["first_choice_score"] = out["candidate_id"].map(first["score"])
    # runner-up: the best provider other than the chosen one
    sc = scores[["candidate_id", "provider_id", "score", "rank"]].merge(
        out[["candidate_id", "provider_id"]].rename(columns={"provider_id": "chosen_id"}), on="candidate_id"
    )
    others = (
        sc[sc["provider_id"] != sc["chosen_id"]].sort_values(["candidate_id", "rank"]).drop_duplicates("candidate_id")
    )
    others = others.set_index("candidate_id")
    out["runner_up_id"] = out["candidate_id"].map(others["provider_id"])
    out["runner_up_score"] = out["candidate_id"].map(others["score"])
    out["margin"] = out["chosen_score"] - out["runner_up_score"]
    out["n_eligible_providers"] = out["candidate_id"].map(scores.groupby("candidate_id").size()).fillna(0).astype(int)
    used = chosen["provider_id"].value_counts() if used is None else used
    proposed = proposed or set()
    cap_total = providers.set_index("provider_id")["capacity"]
    already = providers.set_index("provider_id")["flats_already"]
    # forced by capacity: a later choice that scores less (an equal score is a tie, said so below)
    forced = (
        out["provider_id"].notna()
        & (out["provider_id"] != out["first_choice_id"])
        & (out["chosen_score"] < out["first_choice_score"] - 1e-12)
    )
    out["capacity_forced"] = forced.fillna(False).astype(bool)
    rank_of = scores.set_index(["candidate_id", "provider_id"])["rank"]

    def reason(r) -> str:
        if pd.isna(r["provider_id"]):
            if r["n_eligible_providers"] == 0:
                return "geen aanbieder die aan de harde criteria van 2.3 voldoet; de flat is gemeld, niet weggelaten"
            return "alle aanbieders die voldoen zitten vol; de flat is gemeld, niet weggelaten"
        text = f"{r['provider_id']} {r['provider_name']} (score {nl_number(r['chosen_score'], 3)})"
        if r["candidate_id"] in proposed:
            text = "als deze flat gekozen wordt: " + text
        if r["capacity_forced"]:
            fc = r["first_choice_id"]
            n_used = int(already.get(fc, 0) + used.get(fc, 0))
            k = int(rank_of.get((r["candidate_id"], r["provider_id"]), 0))
            text += (
                f"; eerste keus {fc} zit vol: {n_used} van {int(cap_total.get(fc, 0))} flats"
                f" — daarom de nummer {k} voor deze flat"
            )
        elif pd.notna(r["runner_up_id"]) and abs(r["margin"]) < 1e-12:
            text += (
                f"; gelijk met {r['runner_up_id']} (zelfde score): bij gelijke score gaat de aanbieder met het "
                "laagste nummer voor"
            )
        elif pd.notna(r["runner_up_id"]):
            text += f"; eerste keus, {nl_number(r['margin'], 3)} boven {r['runner_up_id']}"
        else:
            text += "; de enige aanbieder die voldoet"
        return text

    out["choice_nl"] = [reason(r) for _, r in out.iterrows()]
    return out.sort_values("candidate_id").reset_index(drop=True)
