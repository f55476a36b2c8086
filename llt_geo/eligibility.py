"""Flat eligibility (Toewijzingskader 3.1) and grouping of nearby flats.

Every criterion gives, per candidate, ``pass`` / ``fail`` / ``unknown`` with the value, the
threshold, the margin, whether a failure is a near miss, and a Dutch sentence a stuurgroep member
can read. Missing data gives ``unknown``, never ``pass``. Thresholds come from the configuration.

A candidate is a single flat or a group of flats. Groups declared in the register (``group_id``)
win; among the remaining candidate flats under the minimum size, flats within
``[grouping] max_distance_m`` of one another (of the same corporation by default) form a group
when together they reach the minimum. How a group's criteria follow from its members is given
in :data:`GROUP_RULES`. A cluster of more than ``[grouping] max_members`` flats is not grouped
automatically (it is reported as ``crowded``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from .areas import string_take, thread_map
from .labels import APPROX_NL, OUTCOME_NL

__all__ = [
    "CRITERIA",
    "GROUP_RULES",
    "STATUS_NL",
    "criteria_arrays",
    "criteria_reasons",
    "evaluate_criteria",
    "find_groups",
    "summarise",
    "summary_columns",
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
STATUS_NL = OUTCOME_NL

#: How a group's value for each criterion follows from its members (documented in the README).
GROUP_RULES = {
    "size": "sum of the members' dwellings",
    "nultreden": "sum of step-free dwellings / sum of dwellings; unknown if any member's count is unknown",
    "social_rent": "sum of social-rent dwellings / sum of dwellings; unknown if any member's count is unknown",
    "resident_involvement": "every member's residents involved (yes only if all yes; no if any no)",
    "meeting_room": (
        "one room can serve the group (yes if any member has one; no only if all have none), and it must be "
        "open to the buurt too (meeting_space_open: yes if any member's is; no only if all are not)"
    ),
    "workspace": "one workspace can serve the group (yes if any; no only if all no)",
    "amenities": "the worst-placed member counts (fewest kinds of amenity within reach)",
}


# --------------------------------------------------------------------------------------------
# Grouping
# --------------------------------------------------------------------------------------------


def _components_within(xy: np.ndarray, max_distance_m: float, max_members: int) -> tuple[np.ndarray, np.ndarray]:
    """Single-linkage components of points within the distance, for components of at most ``max_members``.

    Returns ``labels`` (component per point; -1 for a point in a larger cluster) and ``crowded``
    (True where the point lies in a cluster of more than ``max_members`` points).

    Exact, and fast on dense data: a point with ``max_members`` or more neighbours is in a cluster
    that is too large, and so is every point linked to it; pairs are enumerated only among the
    remaining sparse points, each of which has fewer than ``max_members`` neighbours.
    """
    n = len(xy)
    labels = np.full(n, -1, dtype=np.int64)
    crowded = np.zeros(n, dtype=bool)
    if n == 0:
        return labels, crowded
    # dense: at least max_members other points within the distance. Shortcut first: two points in
    # one square of side d/sqrt(2) are within d, so a square holding more than max_members points
    # makes all of them dense; each point is looked at in the four squares of 2 x 2 cells of side
    # d/(2 sqrt(2)) around its cell. The rest: is the (max_members+1)-th nearest (counting the point
    # itself) within reach? A bounded k-nearest query, cheaper than counting all neighbours, on a
    # KD-tree of only the points that can be within reach of one of them.
    dense, cell = _dense_by_squares(xy, max_distance_m, max_members)
    k = min(max_members + 1, n)
    dist = np.full((n, k), np.inf)
    rest = np.flatnonzero(~dense)
    if len(rest):
        near = _near_cells(cell, rest)  # within 3 cells (3 d/(2 sqrt(2)) > d) of a point of the rest
        found, _ = cKDTree(xy[near]).query(xy[rest], k=k, distance_upper_bound=max_distance_m * (1 + 1e-12), workers=-1)
        dist[rest] = found.reshape(len(rest), -1)
        if k == max_members + 1:
            dense[rest] = np.isfinite(dist[rest, max_members])
    sparse_idx = np.flatnonzero(~dense)
    if len(sparse_idx):
        sub = cKDTree(xy[sparse_idx])
        pairs = sub.query_pairs(r=max_distance_m, output_type="ndarray")
        m = len(sparse_idx)
        graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(m, m))
        _, lab = connected_components(graph, directed=False)
        # a sparse point with fewer sparse neighbours than neighbours touches a dense one
        sparse_degree = np.bincount(pairs.ravel(), minlength=m)
        degree = np.isfinite(dist[sparse_idx, 1:]).sum(axis=1)  # < max_members, so all were found
        touches_dense = sparse_degree < degree
        bad_component = np.zeros(lab.max() + 1, dtype=bool)
        bad_component[lab[touches_dense]] = True
        size = np.bincount(lab)
        bad_component |= size > max_members
        ok = ~bad_component[lab]
        labels[sparse_idx[ok]] = lab[ok]
        crowded[sparse_idx[~ok]] = True
    crowded[dense] = True
    return labels, crowded


def _dense_by_squares(xy: np.ndarray, max_distance_m: float, max_members: int) -> tuple[np.ndarray, np.ndarray]:
    """Points certainly dense (more than ``max_members`` points in a square of 2 x 2 cells around
    them, cells of side d/(2 sqrt(2)): such a square's points lie within d of one another), and the
    cell (column, row) of every point."""
    n = len(xy)
    side = max_distance_m / (2 * np.sqrt(2.0)) * (1 - 1e-9)
    if not side > 0:
        return np.zeros(n, dtype=bool), np.zeros((n, 2), np.int64)
    cell = np.floor((xy - xy.min(axis=0)) / side).astype(np.int64)
    nx, ny = int(cell[:, 0].max()) + 1, int(cell[:, 1].max()) + 1
    if nx * ny > 4 * n + (1 << 16):  # a sparse, wide spread: count by sorting instead of a grid
        key = cell[:, 0] * ny + cell[:, 1]
        _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
        return counts[inverse.ravel()] > max_members, cell
    counts = np.zeros((nx + 2, ny + 2), dtype=np.int64)  # a margin of empty cells all round
    counts[1:-1, 1:-1] = np.bincount(cell[:, 0] * ny + cell[:, 1], minlength=nx * ny).reshape(nx, ny)
    square = counts[:-1, :-1] + counts[1:, :-1] + counts[:-1, 1:] + counts[1:, 1:]  # square of cells i-1..i, j-1..j
    best = np.maximum(np.maximum(square[:-1, :-1], square[1:, :-1]), np.maximum(square[:-1, 1:], square[1:, 1:]))
    return best[cell[:, 0], cell[:, 1]] > max_members, cell


def _near_cells(cell: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """The points whose cell lies within 3 cells (either way) of the cell of a point of ``rest``."""
    lo = cell.min(axis=0) - 3
    nx, ny = (cell.max(axis=0) - lo + 4).tolist()
    if nx * ny > 4 * len(cell) + (1 << 16):  # a sparse, wide spread: every point
        return np.arange(len(cell))
    hit = np.zeros((nx, ny), dtype=bool)
    hit[cell[rest, 0] - lo[0], cell[rest, 1] - lo[1]] = True
    grown = ndimage.maximum_filter(hit, size=7, mode="constant")  # a 7 x 7 square: two passes of 7
    return np.flatnonzero(grown[cell[:, 0] - lo[0], cell[:, 1] - lo[1]])


def find_groups(
    flats: pd.DataFrame,
    *,
    min_dwellings: int,
    max_distance_m: float,
    same_corporation: bool = True,
    max_members: int = 5,
    xy: np.ndarray | None = None,
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
    max_members : int
        A cluster of more flats than this is not grouped automatically (``crowded``).
    xy : ndarray, optional
        The flats' coordinates as :func:`llt_geo.proximity.point_xy` gives them, when the caller
        has them already.

    Returns
    -------
    DataFrame
        Indexed like ``flats``: ``candidate_id`` (the group id, or the flat id for a flat on its
        own), ``group_id`` (``<NA>`` for a single flat), ``group_source`` (``"register"`` or
        ``"afstand"``), ``group_dwellings``, ``crowded`` (in a cluster too large to group).
        Every flat belongs to at most one group.
    """
    n = len(flats)
    declared = pd.notna(flats["group_id"]).to_numpy()
    group = np.full(n, None, dtype=object)  # filled only where a flat is in a group
    if declared.any():
        group[declared] = flats["group_id"].to_numpy(dtype=object)[declared]
    source = np.zeros(n, dtype=np.int64)  # 0 none, 1 register, 2 afstand
    source[declared] = 1
    crowded = np.zeros(n, dtype=bool)
    eligible = (
        ~declared
        & (flats["status"] == "candidate").fillna(False).to_numpy(dtype=bool)
        & (flats["n_dwellings"] < min_dwellings).fillna(False).to_numpy(dtype=bool)
    )
    if xy is None:
        geoms = flats.geometry.to_numpy()
        eligible &= ~shapely.is_missing(geoms)
        eligible[eligible] = ~shapely.is_empty(geoms[eligible])
    else:  # points or missing only (NaN where missing)
        eligible &= ~(np.isnan(xy[:, 0]) | np.isnan(xy[:, 1]))
    if eligible.sum() >= 2:
        idx = np.flatnonzero(eligible)
        xy = shapely.get_coordinates(flats.geometry.to_numpy()[idx]) if xy is None else xy[idx]
        # by corporation; a flat without one is grouped with none (code -1: left out below)
        keys = pd.factorize(flats["corporation"])[0][idx] if same_corporation else np.zeros(len(idx), np.int64)
        # stable: a radix sort when the codes fit 16 bits (the same order as sorting them as int64)
        order = np.argsort(keys.astype(np.int16) if len(keys) and keys.max() < 1 << 15 else keys, kind="stable")
        parts = [p for p in np.split(order, np.flatnonzero(np.diff(keys[order])) + 1) if len(p) and keys[p[0]] >= 0]

        def some(a: int, b: int) -> list:
            return [_components_within(xy[sel], max_distance_m, max_members) for sel in parts[a:b]]

        # the corporations one by one, two at a time (scipy's KD-tree releases the GIL)
        found = [r for chunk in thread_map(some, len(parts), chunk=1) for r in chunk]
        labels = np.full(len(idx), -1, dtype=np.int64)
        offset = 0
        for sel, (lab, crowd) in zip(parts, found, strict=True):
            labels[sel] = np.where(lab >= 0, lab + offset, -1)
            crowded[idx[sel[crowd]]] = True
            offset += int(lab.max()) + 1 if (lab >= 0).any() else 0
        keep = labels >= 0
        if keep.any():
            flat_id = flats["flat_id"].astype(str).to_numpy(dtype=object)
            frame = pd.DataFrame(
                {"label": labels[keep], "n": flats["n_dwellings"].to_numpy(dtype=float)[idx[keep]], "pos": idx[keep]}
            )
            frame["rank"] = pd.factorize(pd.Series(flat_id[frame["pos"].to_numpy()]), sort=True)[0]
            stats = frame.groupby("label").agg(size=("pos", "size"), total=("n", "sum"), first=("rank", "min"))
            ok = stats[(stats["size"] >= 2) & (stats["total"] >= min_dwellings)]
            chosen = frame[frame["label"].isin(ok.index)]
            first_pos = frame.set_index("rank")["pos"]
            lead_ids = flat_id[first_pos.loc[ok.loc[chosen["label"], "first"]].to_numpy()]
            group[chosen["pos"].to_numpy()] = "GA-" + lead_ids.astype(str)
            source[chosen["pos"].to_numpy()] = 2
    # the columns from the few groups: no Python string per flat
    in_group = np.flatnonzero(source > 0)
    names, codes = np.unique(group[in_group].astype(str), return_inverse=True) if len(in_group) else ([], [])
    group_code = np.zeros(n, dtype=np.int64)
    group_code[in_group] = np.asarray(codes, dtype=np.int64).ravel() + 1
    out = pd.DataFrame(
        {
            "group_id": string_take(np.array([None, *names], dtype=object), group_code),
            "group_source": string_take(np.array([None, "register", "afstand"], dtype=object), source),
        },
        index=flats.index,
    )
    dwellings = flats["n_dwellings"].astype("Int64").to_numpy(dtype=float, na_value=np.nan)
    totals = np.full(len(names) + 1, np.nan)
    if len(in_group):
        totals[1:] = pd.Series(dwellings[in_group]).groupby(group_code[in_group]).sum().to_numpy()
    out["group_dwellings"] = pd.array(np.where(group_code > 0, totals[group_code], np.nan), dtype="Float64").astype(
        "Int64"
    )
    own = flats["flat_id"].astype("string")
    out.insert(0, "candidate_id", own.where(out["group_id"].isna(), out["group_id"]) if len(in_group) else own)
    out["crowded"] = crowded
    return out


# --------------------------------------------------------------------------------------------
# Criteria
# --------------------------------------------------------------------------------------------

_STATUS_CODES = np.array(["pass", "fail", "unknown"], dtype=object)
_YES_NO_TEXTS = {
    "resident_involvement": (
        "Bewoners zijn betrokken (bijv. bewonerscommissie).",
        "Bewoners zijn (nog) niet betrokken.",
        "Betrokkenheid van bewoners is onbekend.",
    ),
    "workspace": (
        "Er is ruimte voor een werkplek van Langer Thuiscoach en zorgteam.",
        "Er is geen ruimte voor een werkplek.",
        "Of er ruimte voor een werkplek is, is onbekend.",
    ),
}
_SHARES = {
    "nultreden": ("n_nultreden", "nultredenwoningen", "min_share_nultreden"),
    "social_rent": ("n_social_rent", "sociale huurwoningen", "min_share_social_rent"),
}


def _codes(passed: pd.Series, known: pd.Series) -> np.ndarray:
    """Status codes: 0 pass, 1 fail, 2 unknown."""
    p = passed.to_numpy(dtype=bool, na_value=False)
    status = (~p).astype(np.int8)  # 0 pass, 1 fail
    status[~known.to_numpy(dtype=bool)] = 2
    return status


def _n_unread(cands: pd.DataFrame) -> pd.Series:
    """Per candidate, the number of amenity kinds that were not read (``amenity_kinds_unread``)."""
    if "amenity_kinds_unread" not in cands.columns:
        return pd.Series(0.0, index=cands.index, dtype="Float64")
    listed = cands["amenity_kinds_unread"].astype("string").fillna("")
    return (listed.str.count(",") + 1).where(listed != "", 0).astype("Float64")


def _room_for_buurt(cands: pd.DataFrame) -> pd.Series:
    """3.1 "een ontmoetingsruimte voor bewoners en buurt": both halves, in three-valued logic.

    No room, or a room not open to the buurt (``meeting_space_open`` no), fails; a room whose
    opening to the buurt is unknown (or not in the register at all) is unknown.
    """
    room = cands["meeting_room"].astype("boolean")
    if "meeting_space_open" in cands.columns:
        open_ = cands["meeting_space_open"].astype("boolean")
    else:
        open_ = pd.Series(pd.NA, index=cands.index, dtype="boolean")
    return room & open_


def _room_codes(cands: pd.DataFrame) -> np.ndarray:
    """Which sentence the meeting room gets: 0 both halves met, 1 no room, 2 a room not open to the
    buurt, 3 whether there is a room unknown, 4 a room whose opening to the buurt is unknown."""
    room = cands["meeting_room"].astype("boolean")
    open_ = (
        cands["meeting_space_open"].astype("boolean")
        if "meeting_space_open" in cands.columns
        else pd.Series(pd.NA, index=cands.index, dtype="boolean")
    )
    r = room.to_numpy(dtype=object, na_value=None)
    o = open_.to_numpy(dtype=object, na_value=None)
    # a space known not to be for the buurt fails whatever the room: the sentence says why, as the status
    return np.select(
        [r == False, o == False, r == None, o == True],  # noqa: E711, E712 (object arrays with None)
        [1, 2, 3, 0],
        default=4,
    ).astype(np.int64)


_ROOM_TEXTS = np.array(
    [
        "Er is een ontmoetingsruimte voor bewoners én buurt.",
        "Er is geen ontmoetingsruimte.",
        "Er is een ontmoetingsruimte, maar die is niet voor de buurt (3.1 vraagt een ruimte voor bewoners én buurt).",
        "Of er een ontmoetingsruimte is, is onbekend.",
        "Er is een ontmoetingsruimte; of die ook voor de buurt is, is onbekend (vul 'ontmoetingsruimte open voor "
        "buurt' in).",
    ],
    dtype=object,
)


def criteria_arrays(cands: pd.DataFrame, config: dict) -> dict[str, dict]:
    """Status, value, threshold and near miss of every criterion, as arrays (no text).

    Returns
    -------
    dict
        Criterion code (in the order of :data:`CRITERIA`) -> ``{"status": int8 array (0 pass,
        1 fail, 2 unknown), "value": Float64 Series, "threshold": float, "near": bool array,
        "approx": bool array}``; ``approx`` marks a pass within ``[eligibility] dwellings_tolerance``
        of the minimum size (3.1 "ongeveer 100"), *voldoet (ongeveer)*.
    """
    e = config["eligibility"]
    n_dw = cands["n_dwellings"].astype("Float64")
    out: dict[str, dict] = {}
    for code in CRITERIA:
        approx = np.zeros(len(cands), dtype=bool)
        if code == "size":
            # 3.1 "ongeveer 100": within [eligibility] dwellings_tolerance below the minimum passes, marked
            limit = float(e["min_dwellings"])
            value = n_dw
            status = _codes(value >= limit - e["dwellings_tolerance"], value.notna())
            approx = (status == 0) & (value < limit).fillna(False).to_numpy(dtype=bool)
            near = (status == 1) & (value >= limit - e["near_miss_dwellings"]).fillna(False).to_numpy(dtype=bool)
        elif code in _SHARES:
            col, _word, key = _SHARES[code]
            limit = float(e[key])
            value = (cands[col].astype("Float64") / n_dw.where(n_dw > 0)).round(4)
            status = _codes(value >= limit, value.notna())
            near = (status == 1) & (value >= limit - e["near_miss_share"]).fillna(False).to_numpy(dtype=bool)
        elif code == "amenities":
            limit = float(e["min_amenity_kinds"])
            value = cands["amenity_kinds_within"].astype("Float64")
            # kinds the amenity table does not hold at all were not read: the flat may have them
            n_unread = _n_unread(cands)
            could = (value < limit) & (value + n_unread >= limit)
            status = _codes(value >= limit, value.notna() & ~could.fillna(False))
            near = (status == 1) & (value == limit - 1).fillna(False).to_numpy(dtype=bool)
        else:
            limit = 1.0
            flag = _room_for_buurt(cands) if code == "meeting_room" else cands[code].astype("boolean")
            value = flag.astype("Float64")
            status = _codes(flag, flag.notna())
            near = np.zeros(len(cands), dtype=bool)
        out[code] = {
            "status": status,
            "value": value.reset_index(drop=True),
            "threshold": limit,
            "near": near,
            "approx": approx,
        }
    return out


def _fmt_int(s: pd.Series) -> pd.Series:
    return s.astype("Int64").astype("string").fillna("?")


def _pct(s: pd.Series) -> pd.Series:
    return (s.astype("Float64") * 100).round(0).astype("Int64").astype("string").fillna("?") + "%"


def _choose(
    status: np.ndarray, near: np.ndarray, base: pd.Series, *, ok: str, close: pd.Series | str, short: pd.Series | str
) -> pd.Series:
    """Append the verdict to a sentence: voldoet / bijna / te weinig."""
    out = (base + ok).where(status == 0, base + close)
    return out.where((status != 1) | near, base + short)


def _sentences(
    cands: pd.DataFrame, config: dict, arrays: dict[str, dict], *, only: str | None = None
) -> dict[str, pd.Series]:
    """The Dutch sentence for every row of ``cands`` and criterion (vectorised string operations)."""
    e = config["eligibility"]
    cands = cands.reset_index(drop=True)
    n_dw = cands["n_dwellings"].astype("Float64")
    idx = cands.index
    out: dict[str, pd.Series] = {}
    for code in [only] if only else CRITERIA:
        a = arrays[code]
        status, near = a["status"], a["near"]
        if code == "size":
            limit = int(a["threshold"])
            grp = cands["group_id"].notna().to_numpy() if "group_id" in cands else np.zeros(len(cands), bool)
            prefix = pd.Series(np.where(grp, "De groep heeft samen ", "De flat heeft "), index=idx, dtype="string")
            tol = int(e["dwellings_tolerance"])
            floor = limit - tol
            base = prefix + _fmt_int(n_dw) + f" woningen; minimaal ongeveer {limit} nodig"
            short = (floor - n_dw).astype("Int64").astype("string")
            reason = _choose(
                status,
                near,
                base,
                ok=": voldoet.",
                close=": bijna (" + short + f" te weinig; ongeveer {limit} telt hier vanaf {floor}).",
                short=": te klein (" + short + f" te weinig; ongeveer {limit} telt hier vanaf {floor}).",
            )
            approx = a.get("approx", np.zeros(len(cands), dtype=bool))
            reason = reason.where(
                ~approx,
                base + f": voldoet (ongeveer; binnen de marge van {tol} woningen, [eligibility] dwellings_tolerance).",
            )
            unknown = pd.Series(
                np.where(grp, "Aantal woningen van de groep onbekend", "Aantal woningen onbekend")
                + f"; minimaal ongeveer {limit} nodig: tel de woningen (bijvoorbeeld de verblijfsobjecten "
                "met woonfunctie in de BAG) en vul het aan.",
                index=idx,
                dtype="string",
            )
            reason = reason.where(status != 2, unknown)
        elif code in _SHARES:
            col, word, _key = _SHARES[code]
            base = (
                _fmt_int(cands[col])
                + " van de "
                + _fmt_int(n_dw)
                + f" woningen zijn {word} ("
                + _pct(a["value"])
                + f"); minimaal {round(a['threshold'] * 100)}% nodig"
            )
            reason = _choose(status, near, base, ok=": voldoet.", close=": bijna.", short=": te weinig.")
            unknown = pd.Series(
                f"Aantal {word} onbekend: vul het aan in het woningregister.", index=idx, dtype="string"
            )
            reason = reason.where(status != 2, unknown)
        elif code == "amenities":
            need = int(a["threshold"])
            radius = int(e["amenity_radius_m"])
            listed = cands["amenity_kinds_list"].astype("string").fillna("")
            listed = listed.where(listed != "", "geen")
            base = (
                _fmt_int(a["value"])
                + f" soorten voorzieningen binnen {radius} m ("
                + listed
                + f"); minimaal {need} nodig"
            )
            reason = _choose(
                status, near, base, ok=": voldoet.", close=": bijna (één soort te weinig).", short=": te weinig."
            )
            unknown = pd.Series(
                "Voorzieningen onbekend: er zijn geen voorzieningen ingelezen.", index=idx, dtype="string"
            )
            if "amenity_kinds_unread" in cands.columns:  # some kinds not read: the flat may have them
                unread = cands["amenity_kinds_unread"].astype("string").fillna("")
                unknown = unknown.where(
                    a["value"].isna().to_numpy() | (unread == "").to_numpy(),
                    base + "; niet ingelezen: " + unread + ": onbekend (vul de voorzieningen aan).",
                )
            reason = reason.where(status != 2, unknown)
        elif code == "meeting_room":
            reason = pd.Series(pd.Categorical.from_codes(_room_codes(cands), _ROOM_TEXTS)).astype("string")
        else:
            texts = np.array(_YES_NO_TEXTS[code], dtype=object)
            reason = pd.Series(pd.Categorical.from_codes(status, texts)).astype("string")
        out[code] = reason.astype("string")
    return out


_REASON_KEYS = {
    "size": ["n_dwellings", "_is_group"],
    "nultreden": ["n_nultreden", "n_dwellings"],
    "social_rent": ["n_social_rent", "n_dwellings"],
    "amenities": ["amenity_kinds_within", "amenity_kinds_list", "amenity_kinds_unread"],
    "meeting_room": ["meeting_room", "meeting_space_open"],
}


def _row_codes(columns: list[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """Number the distinct rows of some columns (missing values count as a value of their own).

    Returns the row code of every row and the first row of each code, by packing each column's
    factorized codes into one integer (cheaper than a groupby on a million rows).
    """
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        codes, uniques = pd.factorize(col, use_na_sentinel=False)
        combined = combined * (len(uniques) + 1) + codes
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    return inverse.ravel(), first


def criteria_reasons(cands: pd.DataFrame, config: dict, arrays: dict[str, dict]) -> dict[str, pd.Categorical]:
    """The Dutch sentence for every candidate and criterion, as categoricals.

    A million candidates share a few tens of thousands of distinct sentences: each distinct
    combination of the inputs a sentence depends on is written once, then mapped back.
    """
    cands = cands.reset_index(drop=True)
    is_group = cands["group_id"].notna() if "group_id" in cands else pd.Series(False, index=cands.index)
    out: dict[str, pd.Categorical] = {}
    for code in CRITERIA:
        a = arrays[code]
        keys = [c for c in _REASON_KEYS.get(code, []) if c == "_is_group" or c in cands.columns]
        columns = [is_group if c == "_is_group" else cands[c] for c in keys]
        columns += [pd.Series(a["status"]), pd.Series(a["near"]), pd.Series(a["approx"])]
        group_codes, first = _row_codes(columns)
        sub_arrays = {
            code: {
                "status": a["status"][first],
                "near": a["near"][first],
                "approx": a["approx"][first],
                "threshold": a["threshold"],
                "value": a["value"].iloc[first].reset_index(drop=True),
            }
        }
        sentences = _sentences(cands.iloc[first].reset_index(drop=True), config, sub_arrays, only=code)[code]
        uniq, inverse = np.unique(sentences.to_numpy(dtype=object), return_inverse=True)
        out[code] = pd.Categorical.from_codes(inverse.ravel()[group_codes], uniq)
    return out


def evaluate_criteria(cands: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Evaluate the seven criteria of 3.1 for every candidate: the long table with reasons.

    Parameters
    ----------
    cands : DataFrame
        One row per candidate with ``candidate_id``, ``n_dwellings``, ``n_nultreden``,
        ``n_social_rent``, ``resident_involvement``, ``meeting_room``, ``workspace``,
        ``amenity_kinds_within``, ``amenity_kinds_list`` (and ``group_id`` for groups).
    config : dict
        The configuration (``config["eligibility"]`` is used).

    Returns
    -------
    DataFrame
        One row per candidate and criterion (candidates in input order, criteria in the order of
        :data:`CRITERIA`): ``candidate_id``, ``criterion``, ``criterion_nl``, ``section``,
        ``status`` (pass/fail/unknown), ``status_nl``, ``value``, ``threshold``, ``margin``
        (value - threshold), ``near_miss``, ``reason`` (Dutch).
    """
    arrays = criteria_arrays(cands, config)
    reasons = criteria_reasons(cands, config, arrays)
    n, k = len(cands), len(CRITERIA)
    codes = list(CRITERIA)
    status = np.column_stack([arrays[c]["status"] for c in codes]).ravel() if n else np.zeros(0, np.int8)
    value = np.column_stack([arrays[c]["value"].to_numpy(dtype=float, na_value=np.nan) for c in codes]).ravel()
    threshold = np.tile(np.array([arrays[c]["threshold"] for c in codes]), n)
    near = np.column_stack([arrays[c]["near"] for c in codes]).ravel() if n else np.zeros(0, bool)
    crit = np.tile(np.arange(k), n)
    # one category list for all criteria's sentences; codes laid out candidate by candidate
    categories = np.unique(np.concatenate([np.asarray(reasons[c].categories, dtype=object) for c in codes]))
    reason_codes = (
        np.column_stack(
            [
                np.searchsorted(categories, np.asarray(reasons[c].categories, dtype=object))[reasons[c].codes]
                for c in codes
            ]
        ).ravel()
        if n
        else np.zeros(0, dtype=np.int64)
    )
    value_s = pd.array(value, dtype="Float64")
    margin = pd.array(np.round(value - threshold, 4), dtype="Float64")
    ids = cands["candidate_id"].astype("string").reset_index(drop=True)
    sections = sorted({CRITERIA[c][1] for c in codes})
    return pd.DataFrame(
        {
            "candidate_id": ids.take(np.repeat(np.arange(n), k)).reset_index(drop=True),
            "criterion": pd.Categorical.from_codes(crit, codes),
            "criterion_nl": pd.Categorical.from_codes(crit, [CRITERIA[c][0] for c in codes]),
            "section": pd.Categorical.from_codes(
                np.array([sections.index(CRITERIA[c][1]) for c in codes])[crit], sections
            ),
            "status": pd.Categorical.from_codes(status, list(_STATUS_CODES)),
            "status_nl": pd.Categorical.from_codes(status, [STATUS_NL[s] for s in _STATUS_CODES]),
            "value": value_s,
            "threshold": threshold,
            "margin": margin,
            "near_miss": near.astype(bool),
            "reason": pd.Categorical.from_codes(reason_codes, categories),
        }
    )


def summarise(arrays: dict[str, dict], candidate_ids: pd.Series) -> pd.DataFrame:
    """The wide summary per candidate from :func:`criteria_arrays`, without a loop over candidates.

    Returns
    -------
    DataFrame
        Indexed by ``candidate_id``: one ``<criterion>_status`` column per criterion, then
        ``eligibility`` (``fail`` if any criterion fails, else ``unknown`` if any is unknown,
        else ``pass``), ``eligibility_nl``, ``n_pass``, ``n_fail``, ``n_unknown``, ``failed``,
        ``unknown``, ``near_misses`` (Dutch criterion labels, ``; ``-separated), ``approx``
        (the size passes only within the tolerance; with every criterion met, ``eligibility_nl`` is
        *voldoet (ongeveer)*).
    """
    index = pd.Index(candidate_ids.astype(str).to_numpy(dtype=object), name="candidate_id", dtype="string")
    return pd.DataFrame(summary_columns(arrays, len(candidate_ids)), index=index)


def summary_columns(arrays: dict[str, dict], n: int) -> dict[str, object]:
    """The columns of :func:`summarise`, in order, without the index (for a million candidates)."""
    codes = list(CRITERIA)
    wide: dict[str, object] = {}
    # criterion by criterion (no n x 7 matrix), in bytes: the counts (at most 7) and one bitmask of the
    # 7 criteria per list of labels fit a uint8; widened once at the end
    counts = {v: np.zeros(n, dtype=np.uint8) for v in (0, 1, 2)}
    masks = {name: np.zeros(n, dtype=np.uint8) for name in ("failed", "unknown", "near_misses")}
    for j, c in enumerate(codes):
        status = np.asarray(arrays[c]["status"], dtype=np.int8) if n else np.zeros(0, np.int8)
        near = np.asarray(arrays[c]["near"], dtype=bool) if n else np.zeros(0, bool)
        wide[f"{c}_status"] = pd.Categorical.from_codes(status, list(_STATUS_CODES))
        for v in (0, 1, 2):
            hit = (status == v).view(np.uint8)
            counts[v] += hit
            if v:
                masks["failed" if v == 1 else "unknown"] |= hit << j
        masks["near_misses"] |= near.view(np.uint8) << j
    counts = {v: c.astype(np.int64) for v, c in counts.items()}
    masks = {name: m.astype(np.int64) for name, m in masks.items()}
    n_pass, n_fail, n_unknown = counts[0], counts[1], counts[2]
    wide["n_pass"], wide["n_fail"], wide["n_unknown"] = n_pass, n_fail, n_unknown
    overall = np.where(n_fail > 0, 1, np.where(n_unknown > 0, 2, 0)).astype(np.int8)
    wide["eligibility"] = pd.Categorical.from_codes(overall, list(_STATUS_CODES))
    # 3.1 "ongeveer 100": a candidate that passes thanks to the size tolerance passes "voldoet (ongeveer)"
    # the size passes only within the tolerance (whatever the other criteria: an open point either way)
    approx = np.asarray(arrays["size"].get("approx", np.zeros(n, bool)), dtype=bool) if n else np.zeros(0, bool)
    wide["approx"] = approx
    wide["eligibility_nl"] = pd.Categorical.from_codes(
        np.where(approx & (overall == 0), 3, overall).astype(np.int8),
        [*(STATUS_NL[s] for s in _STATUS_CODES), APPROX_NL],
    )
    labels = np.array(
        ["; ".join(CRITERIA[c][0] for j, c in enumerate(codes) if m >> j & 1) for m in range(1 << len(codes))],
        dtype=object,
    )
    for name, code in masks.items():
        wide[name] = pd.Categorical.from_codes(code, labels)
    return wide
