"""Flat eligibility (Toewijzingskader 3.1) and grouping of nearby flats.

Every criterion gives, per candidate, ``pass`` / ``fail`` / ``unknown`` with the value, the
threshold, the margin, whether a failure is a near miss, and a Dutch sentence a stuurgroep member
can read. Missing data gives ``unknown``, never ``pass``. Thresholds come from the configuration.

A candidate is a single flat or a group of flats. Groups declared in the register (``group_id``)
win; among the remaining candidate flats under the minimum size, flats within
``[grouping] max_distance_m`` of one another (of the same corporation by default) form a group
when together they reach the minimum. How a group's criteria follow from its members is given
in :data:`GROUP_RULES`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import Delaunay, QhullError

__all__ = [
    "CRITERIA",
    "GROUP_RULES",
    "STATUS_NL",
    "evaluate_criteria",
    "find_groups",
    "overall_status",
]

#: criterion code -> (Dutch label, section)
CRITERIA = {
    "nultreden": ("Seniorenwoningen (nultreden)", "3.1"),
    "resident_involvement": ("Betrokkenheid bewoners", "3.1"),
    "size": ("Minimale omvang (ongeveer 100 woningen)", "3.1"),
    "meeting_room": ("Ontmoetingsruimte voor bewoners én buurt", "3.1"),
    "amenities": ("Nabij voorzieningen", "3.1"),
    "social_rent": ("Sociale huur", "3.1"),
    "workspace": ("Werkruimte Langer Thuiscoach en zorgteam", "3.1"),
}
STATUS_NL = {"pass": "voldoet", "fail": "voldoet niet", "unknown": "onbekend"}

#: How a group's value for each criterion follows from its members (documented in the README).
GROUP_RULES = {
    "size": "sum of the members' dwellings",
    "nultreden": "sum of step-free dwellings / sum of dwellings; unknown if any member's count is unknown",
    "social_rent": "sum of social-rent dwellings / sum of dwellings; unknown if any member's count is unknown",
    "resident_involvement": "every member's residents involved (yes only if all yes; no if any no)",
    "meeting_room": "one room can serve the group (yes if any member has one; no only if all have none)",
    "workspace": "one workspace can serve the group (yes if any; no only if all no)",
    "amenities": "the worst-placed member counts (fewest kinds of amenity within reach)",
}


# --------------------------------------------------------------------------------------------
# Grouping
# --------------------------------------------------------------------------------------------


def _components_within(xy: np.ndarray, max_distance_m: float) -> np.ndarray:
    """Single-linkage components: points joined when a chain of steps of at most the distance links them.

    Exact and O(n log n): the Euclidean minimum spanning tree lies within the Delaunay
    triangulation, so the components of its edges no longer than the distance are the answer.
    """
    n = len(xy)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    uniq, inv = np.unique(np.round(xy, 3), axis=0, return_inverse=True)
    inv = inv.ravel()
    m = len(uniq)
    if m == 1:
        return np.zeros(n, dtype=np.int64)
    if m == 2:
        a, b = np.array([0]), np.array([1])
    else:
        try:
            simplices = Delaunay(uniq).simplices
            pairs = np.vstack([simplices[:, [0, 1]], simplices[:, [1, 2]], simplices[:, [0, 2]]])
            pairs.sort(axis=1)
            pairs = np.unique(pairs, axis=0)
            a, b = pairs[:, 0], pairs[:, 1]
        except QhullError:  # all points on one line: the chain in order along the line
            order = np.lexsort((uniq[:, 1], uniq[:, 0]))
            a, b = order[:-1], order[1:]
    length = np.hypot(*(uniq[a] - uniq[b]).T)
    keep = length <= max_distance_m
    graph = coo_matrix((np.ones(int(keep.sum())), (a[keep], b[keep])), shape=(m, m))
    _, labels = connected_components(graph, directed=False)
    return labels[inv].astype(np.int64)


def find_groups(
    flats: pd.DataFrame, *, min_dwellings: int, max_distance_m: float, same_corporation: bool = True
) -> pd.DataFrame:
    """Which flats form a group candidate.

    Parameters
    ----------
    flats : GeoDataFrame
        The flat register (EPSG:28992) with ``flat_id``, ``corporation``, ``n_dwellings``,
        ``group_id`` and ``status``.
    min_dwellings : int
        The minimum size (3.1: about 100).
    max_distance_m : float
        Flats closer than this (straight line, a chain of steps) may form a group.
    same_corporation : bool
        Only group flats of the same corporation.

    Returns
    -------
    DataFrame
        Indexed like ``flats``: ``candidate_id`` (the group id, or the flat id for a flat on its
        own), ``group_id`` (``<NA>`` for a single flat), ``group_source`` (``"register"`` or
        ``"afstand"``), ``group_dwellings``. Every flat belongs to at most one group.
    """
    flat_id = flats["flat_id"].astype(str).to_numpy(dtype=object)
    group = flats["group_id"].to_numpy(dtype=object)
    declared = pd.notna(flats["group_id"]).to_numpy()
    group = np.where(declared, group, None)
    source = np.where(declared, "register", None).astype(object)
    eligible = (
        ~declared
        & (flats["status"] == "candidate").to_numpy(dtype=bool)
        & (flats["n_dwellings"] < min_dwellings).fillna(False).to_numpy(dtype=bool)
        & ~flats.geometry.is_empty.to_numpy()
        & flats.geometry.notna().to_numpy()
    )
    if eligible.sum() >= 2:
        idx = np.flatnonzero(eligible)
        xy = np.column_stack([flats.geometry.x.to_numpy()[idx], flats.geometry.y.to_numpy()[idx]])
        keys = (
            flats["corporation"].astype(str).to_numpy(dtype=object)[idx]
            if same_corporation
            else np.zeros(len(idx), dtype=object)
        )
        labels = np.full(len(idx), -1, dtype=np.int64)
        offset = 0
        for key in sorted(set(keys)):
            sel = np.flatnonzero(keys == key)
            lab = _components_within(xy[sel], max_distance_m)
            labels[sel] = lab + offset
            offset += int(lab.max()) + 1 if len(lab) else 0
        dwell = flats["n_dwellings"].to_numpy(dtype=float)[idx]
        frame = pd.DataFrame({"label": labels, "flat_id": flat_id[idx], "n": dwell, "pos": idx})
        stats = frame.groupby("label").agg(size=("flat_id", "size"), total=("n", "sum"), first=("flat_id", "min"))
        ok = stats[(stats["size"] >= 2) & (stats["total"] >= min_dwellings)]
        chosen = frame[frame["label"].isin(ok.index)]
        group[chosen["pos"].to_numpy()] = ("GA-" + ok.loc[chosen["label"], "first"].astype(str)).to_numpy()
        source[chosen["pos"].to_numpy()] = "afstand"
    out = pd.DataFrame(
        {"group_id": pd.array(group, dtype="string"), "group_source": pd.array(source, dtype="string")},
        index=flats.index,
    )
    totals = flats["n_dwellings"].groupby(out["group_id"]).transform("sum")
    out["group_dwellings"] = totals.where(out["group_id"].notna()).astype("Int64")
    out.insert(0, "candidate_id", out["group_id"].fillna(pd.Series(flat_id, index=flats.index)).astype("string"))
    return out


# --------------------------------------------------------------------------------------------
# Criteria
# --------------------------------------------------------------------------------------------


def _status(passed: pd.Series, known: pd.Series) -> np.ndarray:
    p = passed.fillna(False).to_numpy(dtype=bool)
    k = known.to_numpy(dtype=bool)
    return np.where(~k, "unknown", np.where(p, "pass", "fail"))


def _fmt_int(s: pd.Series) -> pd.Series:
    return s.astype("Int64").astype("string").fillna("?")


def _pct(s: pd.Series) -> pd.Series:
    return (s.astype("Float64") * 100).round(0).astype("Int64").astype("string").fillna("?") + "%"


def evaluate_criteria(cands: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Evaluate the seven criteria of 3.1 for every candidate.

    Parameters
    ----------
    cands : DataFrame
        One row per candidate with ``candidate_id``, ``n_dwellings``, ``n_nultreden``,
        ``n_social_rent``, ``resident_involvement``, ``meeting_room``, ``workspace``,
        ``amenity_kinds_within``, ``amenity_kinds_list``.
    config : dict
        The configuration (``config["eligibility"]`` is used).

    Returns
    -------
    DataFrame
        The long table, one row per candidate and criterion (candidates in input order, criteria
        in the order of :data:`CRITERIA`): ``candidate_id``, ``criterion``, ``criterion_nl``,
        ``section``, ``status`` (pass/fail/unknown), ``status_nl``, ``value``, ``threshold``,
        ``margin`` (value - threshold), ``near_miss``, ``reason`` (Dutch).
    """
    e = config["eligibility"]
    n_dw = cands["n_dwellings"].astype("Float64")
    parts: list[pd.DataFrame] = []

    def add(
        code: str, status: np.ndarray, value: pd.Series, threshold: float, near: np.ndarray, reason: pd.Series
    ) -> None:
        label, section = CRITERIA[code]
        value = value.astype("Float64")
        parts.append(
            pd.DataFrame(
                {
                    "candidate_id": cands["candidate_id"].astype("string").to_numpy(),
                    "criterion": code,
                    "criterion_nl": label,
                    "section": section,
                    "status": status,
                    "status_nl": pd.Series(status).map(STATUS_NL).to_numpy(),
                    "value": value.to_numpy(),
                    "threshold": float(threshold),
                    "margin": (value - threshold).round(4).to_numpy(),
                    "near_miss": near,
                    "reason": reason.astype("string").to_numpy(),
                }
            )
        )

    # size
    min_dw = float(e["min_dwellings"])
    known = n_dw.notna()
    status = _status(n_dw >= min_dw, known)
    near = (status == "fail") & (n_dw >= min_dw - e["near_miss_dwellings"]).fillna(False).to_numpy(dtype=bool)
    grp = cands["group_id"].notna().to_numpy() if "group_id" in cands else np.zeros(len(cands), bool)
    prefix = pd.Series(np.where(grp, "De groep heeft samen ", "De flat heeft "), index=cands.index)
    reason = prefix + _fmt_int(n_dw) + f" woningen; minimaal ongeveer {int(min_dw)} nodig"
    short = (min_dw - n_dw).astype("Int64").astype("string")
    reason = reason.where(status != "pass", reason + ": voldoet.")
    reason = reason.where(~((status == "fail") & near), reason + ": bijna (" + short + " te weinig).")
    reason = reason.where(~((status == "fail") & ~near), reason + ": te klein (" + short + " te weinig).")
    add("size", status, n_dw, min_dw, near, reason)

    # shares: nultreden and social rent
    for code, col, word, key in (
        ("nultreden", "n_nultreden", "nultredenwoningen", "min_share_nultreden"),
        ("social_rent", "n_social_rent", "sociale huurwoningen", "min_share_social_rent"),
    ):
        limit = float(e[key])
        share = (cands[col].astype("Float64") / n_dw.where(n_dw > 0)).round(4)
        known = share.notna()
        status = _status(share >= limit, known)
        near = (status == "fail") & (share >= limit - e["near_miss_share"]).fillna(False).to_numpy(dtype=bool)
        reason = (
            _fmt_int(cands[col])
            + " van de "
            + _fmt_int(n_dw)
            + f" woningen zijn {word} ("
            + _pct(share)
            + f"); minimaal {round(limit * 100)}% nodig"
        )
        reason = reason.where(status != "pass", reason + ": voldoet.")
        reason = reason.where(~((status == "fail") & near), reason + ": bijna.")
        reason = reason.where(~((status == "fail") & ~near), reason + ": te weinig.")
        reason = reason.where(
            known, pd.Series(f"Aantal {word} onbekend", index=cands.index) + ": vul het aan in het woningregister."
        )
        add(code, status, share, limit, near, reason)

    # yes/no criteria
    texts = {
        "resident_involvement": (
            "Bewoners zijn betrokken (bijv. bewonerscommissie).",
            "Bewoners zijn (nog) niet betrokken.",
            "Betrokkenheid van bewoners is onbekend.",
        ),
        "meeting_room": (
            "Er is een ontmoetingsruimte voor bewoners én buurt.",
            "Er is geen ontmoetingsruimte.",
            "Of er een ontmoetingsruimte is, is onbekend.",
        ),
        "workspace": (
            "Er is ruimte voor een werkplek van Langer Thuiscoach en zorgteam.",
            "Er is geen ruimte voor een werkplek.",
            "Of er ruimte voor een werkplek is, is onbekend.",
        ),
    }
    for code, (yes, no, unknown) in texts.items():
        v = cands[code].astype("boolean")
        status = _status(v, v.notna())
        reason = pd.Series(np.where(status == "pass", yes, np.where(status == "fail", no, unknown)), index=cands.index)
        add(code, status, v.astype("Float64"), 1.0, np.zeros(len(cands), dtype=bool), reason)

    # amenities
    need = int(e["min_amenity_kinds"])
    radius = float(e["amenity_radius_m"])
    kinds = cands["amenity_kinds_within"].astype("Float64")
    known = kinds.notna()
    status = _status(kinds >= need, known)
    near = (status == "fail") & (kinds == need - 1).fillna(False).to_numpy(dtype=bool)
    listed = cands["amenity_kinds_list"].astype("string").fillna("")
    listed = listed.where(listed != "", "geen")
    reason = _fmt_int(kinds) + f" soorten voorzieningen binnen {int(radius)} m (" + listed + f"); minimaal {need} nodig"
    reason = reason.where(status != "pass", reason + ": voldoet.")
    reason = reason.where(~((status == "fail") & near), reason + ": bijna (één soort te weinig).")
    reason = reason.where(~((status == "fail") & ~near), reason + ": te weinig.")
    reason = reason.where(
        known, pd.Series("Voorzieningen onbekend: er zijn geen voorzieningen ingelezen.", index=cands.index)
    )
    add("amenities", status, kinds, float(need), near, reason)

    long = pd.concat(parts, ignore_index=True)
    order = {c: i for i, c in enumerate(CRITERIA)}
    pos = np.tile(np.arange(len(cands)), len(parts))
    crit = long["criterion"].map(order).to_numpy()
    long = long.iloc[np.lexsort((crit, pos))].reset_index(drop=True)
    long["near_miss"] = long["near_miss"].astype(bool)
    return long


def overall_status(long: pd.DataFrame) -> pd.DataFrame:
    """The wide summary per candidate from the long table.

    Returns
    -------
    DataFrame
        Indexed by ``candidate_id`` (in the long table's order): one column per criterion with
        its status, then ``eligibility`` (``fail`` if any criterion fails, else ``unknown`` if any
        is unknown, else ``pass``), ``eligibility_nl``, ``n_pass``, ``n_fail``, ``n_unknown``,
        ``failed``, ``unknown``, ``near_misses`` (Dutch criterion labels, comma-separated).
    """
    wide = long.pivot(index="candidate_id", columns="criterion", values="status")
    wide = wide.reindex(index=pd.unique(long["candidate_id"]), columns=list(CRITERIA))
    wide.columns = [f"{c}_status" for c in wide.columns]
    counts = pd.crosstab(long["candidate_id"], long["status"]).reindex(wide.index, fill_value=0)
    for s in ("pass", "fail", "unknown"):
        wide[f"n_{s}"] = counts.get(s, 0)
    wide["eligibility"] = np.where(wide["n_fail"] > 0, "fail", np.where(wide["n_unknown"] > 0, "unknown", "pass"))
    wide["eligibility_nl"] = wide["eligibility"].map(STATUS_NL)

    def listing(mask: pd.Series) -> pd.Series:
        sub = long[mask.to_numpy()]
        joined = sub.groupby("candidate_id", sort=False)["criterion_nl"].agg("; ".join)
        return joined.reindex(wide.index).fillna("").astype("string")

    wide["failed"] = listing(long["status"] == "fail")
    wide["unknown"] = listing(long["status"] == "unknown")
    wide["near_misses"] = listing(long["near_miss"])
    wide.index.name = "candidate_id"
    return wide
