"""Spread over the city and progress toward the goal (issue #8, items 1 and 2; Toewijzingskader 3.1).

Spread: Lang Leven Thuisflats per stadsdeel and per wijk, by status, beside the residents aged 65+;
the share in ageing and masterplan areas; and two measures the stuurgroep can follow over time:

* **coverage** — the share of residents aged 65+ living within ``[spread] coverage_distance_m``
  (straight line) of a Lang Leven Thuisflat. Residents are spread uniformly over their area (a
  buurt where the buurt carries figures, else the wijk): the covered share of an area is the share
  of its polygon within the distance of a flat.
* **balance** — Duncan's dissimilarity index ``D = ½ Σ_i |f_i − r_i|`` between the distribution of
  the flats over the stadsdelen (``f_i``) and that of the residents aged 65+ (``r_i``).

Progress: the pipeline toward ``[programme] goal_flats`` by ``goal_year`` per year, the pace so far
extrapolated to the goal year, the gap and what is needed per remaining year.

A group of flats (3.1) is one Lang Leven Thuisflat: it counts once, in the area of its lead member
(as in :mod:`llt_geo.screening`); for coverage every member's own location counts. Every formula:
``docs/spread.md``. Everything is vectorised (array operations, group-bys and one union of
buffers), with no Python loop per flat or area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .labels import SPREAD_COLUMNS_NL as COLUMNS_NL
from .labels import STATUS_PLURAL_NL, nl_number
from .labels import spread_in_dutch as in_dutch
from .schema import STATUS_LABELS_NL

__all__ = [
    "COLUMNS_NL",
    "LLT_STATUSES",
    "STATUS_PLURAL_NL",
    "Spread",
    "covered_share",
    "dissimilarity_index",
    "in_dutch",
    "progress_summary",
    "progress_table",
    "reference_year",
    "residents_65plus_units",
    "spread_measures",
    "spread_report",
    "spread_table",
]

#: The statuses that make a flat a Lang Leven Thuisflat for the spread measures by default: the
#: programme has committed to it (chosen), is building it (in development) or has it (realised).
LLT_STATUSES = ("realised", "chosen", "in_development")

#: Segments per quarter circle of a buffer: a 256-gon, whose area is within 0.01 % of the circle's
#: and whose edge lies at most 0.08 m inside it at 1 km.
BUFFER_QUAD_SEGS = 64


# --------------------------------------------------------------------------------------------------
# residents aged 65+ per area


def residents_65plus_units(
    wijken: pd.DataFrame,
    buurten: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The areas the residents aged 65+ are counted in: buurten where they carry figures, else wijken.

    A wijk is replaced by its buurten when it has at least one buurt and every one of its buurten
    has a ``residents_65plus`` figure; otherwise the wijk itself is the unit, with its own figure
    (missing: unknown). A buurt with figures whose wijk is not in the wijken table is a unit of its
    own. The wijk and stadsdeel of an area follow from its code (``FA01`` lies in wijk ``FA`` in
    stadsdeel ``F``), the rule the flats are assigned by (:func:`llt_geo.areas.assign_areas`).

    Parameters
    ----------
    wijken : GeoDataFrame
        ``wijk_code``, ``residents_65plus`` and the polygon (EPSG:28992).
    buurten : GeoDataFrame, optional
        ``buurt_code``, optionally ``residents_65plus``, and the polygon (EPSG:28992).

    Returns
    -------
    GeoDataFrame
        One row per unit: ``unit_code``, ``level`` (``"buurt"`` or ``"wijk"``), ``wijk_code``,
        ``stadsdeel_code``, ``residents_65plus`` (float; NaN when unknown) and the polygon.
    """
    w_code = wijken["wijk_code"].astype("string").to_numpy(dtype=object)
    w_res = pd.to_numeric(wijken["residents_65plus"], errors="coerce").astype(float).to_numpy()
    has_buurt_figures = (
        buurten is not None
        and len(buurten)
        and "residents_65plus" in buurten
        and buurten["residents_65plus"].notna().any()
    )
    if has_buurt_figures:
        b_code = buurten["buurt_code"].astype("string").to_numpy(dtype=object)
        b_wijk = pd.Series(b_code, dtype="string").str.slice(0, 2).to_numpy(dtype=object)
        b_res = pd.to_numeric(buurten["residents_65plus"], errors="coerce").astype(float).to_numpy()
        complete = pd.Series(~np.isnan(b_res)).groupby(b_wijk).all()  # every buurt of the wijk has figures
        by_buurt = set(complete.index[complete.to_numpy(dtype=bool)])
        use_b = np.isin(b_wijk, list(by_buurt)) | (~np.isin(b_wijk, w_code) & ~np.isnan(b_res))
        use_w = ~np.isin(w_code, list(by_buurt))
        codes = np.concatenate([b_code[use_b], w_code[use_w]])
        level = np.array(["buurt"] * int(use_b.sum()) + ["wijk"] * int(use_w.sum()), dtype=object)
        res = np.concatenate([b_res[use_b], w_res[use_w]])
        geoms = np.concatenate(
            [buurten.geometry.to_numpy()[use_b], np.asarray(wijken.geometry.to_numpy(), dtype=object)[use_w]]
        )
        crs = wijken.crs if getattr(wijken, "crs", None) is not None else buurten.crs
    else:
        codes, level, res, geoms = w_code, np.full(len(w_code), "wijk", dtype=object), w_res, wijken.geometry.to_numpy()
        crs = getattr(wijken, "crs", None)
    code_s = pd.Series(codes, dtype="string")
    out = gpd.GeoDataFrame(
        {
            "unit_code": code_s,
            "level": pd.Series(level, dtype="string"),
            "wijk_code": code_s.str.slice(0, 2),
            "stadsdeel_code": code_s.str.slice(0, 1),
            "residents_65plus": res,
        },
        geometry=gpd.GeoSeries(np.asarray(geoms, dtype=object), crs=crs),
    )
    return out.sort_values("unit_code", kind="stable").reset_index(drop=True)


def covered_share(polygons: Any, points: Any, distance_m: float, *, quad_segs: int = BUFFER_QUAD_SEGS) -> np.ndarray:
    """The share of each polygon that lies within ``distance_m`` (straight line) of any point.

    The reach is the union of one buffer per point; an area wholly inside it scores 1 and one
    apart from it 0 without computing an intersection; only areas the reach's edge crosses are
    intersected (vectorised over those areas).

    Parameters
    ----------
    polygons : array-like of shapely geometries
        The areas (EPSG:28992 metres). A missing or empty polygon gives NaN.
    points : array-like of shapely points
        The flats' locations (EPSG:28992); missing ones are left out.
    distance_m : float
        The distance in metres.
    quad_segs : int
        Segments per quarter circle of each buffer (see :data:`BUFFER_QUAD_SEGS`).

    Returns
    -------
    ndarray of float
        ``area(polygon ∩ reach) / area(polygon)``, in [0, 1].
    """
    polys = np.asarray(getattr(polygons, "to_numpy", lambda: polygons)(), dtype=object).ravel()
    pts = np.asarray(getattr(points, "to_numpy", lambda: points)(), dtype=object).ravel()
    area = np.full(len(polys), np.nan)
    valid = ~shapely.is_missing(polys)
    valid[valid] = ~shapely.is_empty(polys[valid])
    area[valid] = shapely.area(polys[valid])
    share = np.where(area > 0, 0.0, np.nan)
    pts = pts[~shapely.is_missing(pts)] if len(pts) else pts
    if not len(pts) or not (area > 0).any():
        return share
    reach = shapely.union_all(shapely.buffer(pts, float(distance_m), quad_segs=quad_segs))
    shapely.prepare(reach)
    idx = np.flatnonzero(area > 0)
    inside = shapely.contains(reach, polys[idx])
    touching = shapely.intersects(reach, polys[idx]) & ~inside
    share[idx[inside]] = 1.0
    cut = idx[touching]
    if len(cut):
        share[cut] = shapely.area(shapely.intersection(polys[cut], reach)) / area[cut]
    return np.clip(share, 0.0, 1.0)


def dissimilarity_index(flats: Any, residents: Any) -> float:
    """Duncan's dissimilarity index between two distributions over the same areas.

    ``D = ½ Σ_i |f_i − r_i|`` with ``f_i = flats_i / Σ flats`` and ``r_i = residents_i / Σ
    residents``. 0: the flats are spread exactly like the residents; 1: completely apart. D is
    also the share of the flats that would have to move to another area to match the residents.
    (Hoover's concentration index is the same formula.)

    Parameters
    ----------
    flats : array-like of float
        Flats per area.
    residents : array-like of float
        Residents aged 65+ per area, in the same order. Areas with unknown residents (NaN) must be
        left out by the caller.

    Returns
    -------
    float
        D in [0, 1]; NaN when there are no flats or no residents.
    """
    f = np.asarray(flats, dtype=float)
    r = np.asarray(residents, dtype=float)
    if f.shape != r.shape:
        raise ValueError(f"flats ({f.shape}) and residents ({r.shape}) must have one value per area")
    if f.sum() <= 0 or r.sum() <= 0:
        return float("nan")
    return float(0.5 * np.abs(f / f.sum() - r / r.sum()).sum())


# --------------------------------------------------------------------------------------------------
# which flats are measured


def _statuses(frame: pd.DataFrame) -> pd.Series:
    return frame["status"].astype("string").fillna("candidate")


def _selection(screening: Any, flat_ids: Any | None) -> tuple[np.ndarray, np.ndarray]:
    """Masks over ``screening.candidates`` and ``screening.flats`` of the flats measured."""
    cands, flats = screening.candidates, screening.flats
    cand_id = cands["candidate_id"].astype(str).to_numpy()
    flat_cand = flats["candidate_id"].astype(str).to_numpy()
    if flat_ids is None:
        chosen = _statuses(cands).isin(LLT_STATUSES).to_numpy(dtype=bool)
    else:
        ids = np.unique(np.asarray([str(i) for i in flat_ids], dtype=object))
        flat_id = flats["flat_id"].astype(str).to_numpy()
        unknown = ids[~np.isin(ids, flat_id) & ~np.isin(ids, cand_id)]
        if len(unknown):
            shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
            raise ValueError(
                f"{len(unknown)} ids are neither a flat_id nor a candidate_id of the screening: {shown}. "
                "Fix: pass flat ids from the register or candidate ids (group ids) from screening.candidates"
            )
        # a member's flat id selects its whole group: a group is funded and counted as one
        wanted = np.union1d(ids[np.isin(ids, cand_id)], flat_cand[np.isin(flat_id, ids)])
        chosen = np.isin(cand_id, wanted)
    return chosen, np.isin(flat_cand, cand_id[chosen])


def _count(codes: np.ndarray, index: pd.Index, weights: np.ndarray | None = None) -> np.ndarray:
    pos = index.get_indexer(codes)
    ok = pos >= 0
    w = None if weights is None else np.asarray(weights, dtype=float)[ok]
    return np.bincount(pos[ok], weights=w, minlength=len(index))


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, part / np.where(whole > 0, whole, 1), np.nan)


@dataclass
class Spread:
    """Spread of the Lang Leven Thuisflats (3.1) and its two measures.

    Attributes
    ----------
    stadsdelen : DataFrame
        One row per stadsdeel (see :func:`spread_table`).
    wijken : DataFrame
        One row per wijk, the same columns.
    city : DataFrame
        The city-wide summary: ``measure``, ``label_nl``, ``value`` (one row per figure).
    coverage : float
        City-wide share of the residents aged 65+ within ``distance_m`` of a measured flat.
    dissimilarity : float
        Duncan's D over the stadsdelen.
    distance_m : float
        The coverage distance used (straight line).
    selection_nl : str
        Which flats were measured, in Dutch.
    notes : list of str
        What was left out or unknown, in Dutch, one short line each (areas without figures and the
        stadsdelen whose figure is therefore unknown, flats outside every area); the printed chart
        carries them too.
    details_nl : list of str
        The longer reading of the unknown figures, in Dutch, for the report: which wijken without a
        figure of their own were counted from their buurten, and which stadsdelen the balance index
        covers.
    """

    stadsdelen: pd.DataFrame
    wijken: pd.DataFrame
    city: pd.DataFrame
    coverage: float
    dissimilarity: float
    distance_m: float
    selection_nl: str
    notes: list[str] = field(default_factory=list)
    details_nl: list[str] = field(default_factory=list)


def _distance(dataset: Any, distance_m: float | None) -> float:
    if distance_m is not None:
        return float(distance_m)
    cfg = getattr(dataset, "config", None) or {}
    return float(cfg.get("spread", {}).get("coverage_distance_m", 1000.0))


def _area_table(
    level: str,
    index: pd.Index,
    names: pd.Series,
    cands: pd.DataFrame,
    chosen: np.ndarray,
    units: gpd.GeoDataFrame,
    unit_cover: np.ndarray,
) -> pd.DataFrame:
    """One row per area of ``level`` (stadsdeel or wijk): the pipeline, residents, shares, coverage."""
    col = f"{level}_code"
    code = cands[col].astype("string").to_numpy(dtype=object, na_value=None)
    status = _statuses(cands).to_numpy(dtype=object)
    is_open = cands["open_candidate"].to_numpy(dtype=bool)
    passes = (cands["eligibility"].astype("string") == "pass").fillna(False).to_numpy(dtype=bool)
    ageing = cands["ageing"].astype("boolean")
    master = cands["in_masterplan"].astype("boolean")
    out = pd.DataFrame(index=index)
    out.index.name = col
    out["name"] = names.reindex(index).astype("string").to_numpy()
    for s in ("realised", "chosen", "in_development"):
        out[s] = _count(code, index, status == s).astype(np.int64)
    out["open_candidates"] = _count(code, index, is_open).astype(np.int64)
    out["open_pass"] = _count(code, index, is_open & passes).astype(np.int64)
    n = _count(code, index, chosen)
    out["llt_flats"] = n.astype(np.int64)
    out["share_flats"] = _share(n, np.full(len(index), n.sum()))
    u_code = units[col].to_numpy(dtype=object)
    res = units["residents_65plus"].to_numpy(dtype=float)
    known = ~np.isnan(res)
    residents_known = _count(u_code[known], index, res[known])
    n_unknown = _count(u_code, index, ~known)
    # an area's figure is known only when every area it is made of has one: a partial sum is not the
    # area's figure (Weesp with one wijk of five counted is not Weesp), so it reads unknown (NaN)
    complete = (n_unknown == 0) & (_count(u_code, index) > 0)
    residents = np.where(complete, residents_known, np.nan)
    out["residents_65plus"] = residents
    # of the residents 65+ the city's areas with figures hold (the areas left out have none)
    out["share_65plus"] = _share(residents, np.full(len(index), float(res[known].sum())))
    out["representation"] = _share(out["share_flats"].to_numpy(), out["share_65plus"].to_numpy())
    for name, flag in (("ageing", ageing), ("masterplan", master)):
        yes = _count(code, index, chosen & flag.eq(True).fillna(False).to_numpy(dtype=bool))
        unknown = _count(code, index, chosen & flag.isna().to_numpy(dtype=bool))
        out[f"llt_{name}"] = yes.astype(np.int64)
        out[f"llt_{name}_unknown"] = unknown.astype(np.int64)
        out[f"share_{name}"] = _share(yes, n - unknown)  # of the flats whose status is known
    covered = np.where(complete, _count(u_code[known], index, (res * unit_cover)[known]), np.nan)
    out["covered_65plus"] = covered
    out["coverage"] = _share(covered, residents)  # NaN where the figure is unknown: never of a partial figure
    out["residents_unknown_areas"] = n_unknown.astype(np.int64)
    return out.reset_index()


def _area_words(units: gpd.GeoDataFrame) -> str:
    """``wijk``/``wijken``, ``buurt``/``buurten`` or ``gebied``/``gebieden``: the level of ``units``."""
    levels = set(units["level"].astype(str))
    return {"wijk": "wijk", "buurt": "buurt"}.get(levels.pop(), "gebied") if len(levels) == 1 else "gebied"


def _unknown_notes(
    units: gpd.GeoDataFrame,
    known: np.ndarray,
    per_sd: pd.DataFrame,
    wijken: pd.DataFrame,
    with_res: np.ndarray,
) -> tuple[list[str], list[str]]:
    """The notes on the residents 65+ that are unknown, in Dutch, with the counts the tables show.

    The count of areas without figures is the sum of the column ``residents_unknown_areas`` of the
    stadsdeel table, and the stadsdelen named are those whose ``residents_65plus`` reads unknown.

    Returns
    -------
    tuple of (list of str, list of str)
        The short note (:attr:`Spread.notes`) and the details (:attr:`Spread.details_nl`).
    """
    n_unknown = int((~known).sum())
    if not n_unknown:
        return [], []
    word = _area_words(units.loc[~known])
    plural = {"wijk": "wijken", "buurt": "buurten"}.get(word, "gebieden")
    missing = ", ".join(units.loc[~known, "unit_code"].astype(str))
    unknown_sd = per_sd.loc[per_sd["residents_65plus"].isna(), "stadsdeel_code"].astype(str).tolist()
    note = f"{n_unknown} {word if n_unknown == 1 else plural} zonder cijfers 65+ ({missing})"
    if unknown_sd:
        one = len(unknown_sd) == 1
        note += (
            f": inwoners 65+ en dekking onbekend in {len(unknown_sd)} {'stadsdeel' if one else 'stadsdelen'} "
            f"({', '.join(unknown_sd)})"
        )
    note += "; niet meegeteld in de dekking van de stad en de ongelijkheidsindex"
    details: list[str] = []
    # wijken without a figure of their own whose buurten all have one are known: say so, or the reader
    # who counts the empty cells of the wijken file finds more than the note says
    if "residents_65plus" in wijken:
        own = pd.to_numeric(wijken["residents_65plus"], errors="coerce").isna().to_numpy()
        codes = set(wijken.loc[own, "wijk_code"].astype(str))
        from_buurten = sorted(codes - set(units.loc[~known, "wijk_code"].astype(str)))
        if from_buurten:
            details.append(
                f"{len(from_buurten)} andere wijken zonder eigen cijfer 65+ zijn wel geteld, uit hun buurten "
                f"(die hebben alle een cijfer): {', '.join(from_buurten)}"
            )
    details.append(
        "Een stadsdeel met een wijk zonder cijfers heeft geen bekend aantal inwoners 65+ en geen dekking (de "
        "som van alleen de wijken met cijfers zou te laag zijn); de dekking van de stad is die van de inwoners "
        "65+ in de gebieden met cijfers"
    )
    included = per_sd.loc[with_res, "stadsdeel_code"].astype(str).tolist()
    details.append(
        "De ongelijkheidsindex gaat over de stadsdelen met volledige cijfers: "
        + (", ".join(included) if included else "geen")
    )
    return [note], details


def spread_report(
    screening: Any,
    dataset: Any,
    *,
    flat_ids: Any | None = None,
    distance_m: float | None = None,
    units: gpd.GeoDataFrame | None = None,
) -> Spread:
    """The spread of the Lang Leven Thuisflats per stadsdeel, per wijk and city-wide, with both measures.

    Parameters
    ----------
    screening : Screening
        From :func:`llt_geo.screening.screen` (its ``candidates`` give status, areas, ageing,
        masterplan and 3.1 outcome; its ``flats`` the members' locations).
    dataset : Dataset
        The loaded dataset (``stadsdelen``, ``wijken``, ``buurten``, ``config``).
    flat_ids : iterable of str, optional
        The flats to measure (flat ids or candidate ids; a member's flat id selects its whole
        group), e.g. a portfolio. Default: every flat realised, chosen or in development
        (:data:`LLT_STATUSES`).
    distance_m : float, optional
        Coverage distance in metres; default ``[spread] coverage_distance_m``.
    units : GeoDataFrame, optional
        :func:`residents_65plus_units` of the dataset, when the caller computes it once for many
        calls.

    Returns
    -------
    Spread
        The per-stadsdeel and per-wijk tables, the city summary, coverage and dissimilarity.
    """
    dist = _distance(dataset, distance_m)
    chosen_c, chosen_f = _selection(screening, flat_ids)
    if units is None:
        units = residents_65plus_units(dataset.wijken, getattr(dataset, "buurten", None))
    pts = screening.flats.geometry.to_numpy()[chosen_f]
    unit_cover = covered_share(units.geometry.to_numpy(), pts, dist)
    cands = screening.candidates
    sd = dataset.stadsdelen
    sd_codes = sorted(
        set(sd["stadsdeel_code"].astype(str))
        | set(units["stadsdeel_code"].dropna().astype(str))
        | set(cands["stadsdeel_code"].dropna().astype(str))
    )
    sd_names = pd.Series(sd["name"].to_numpy(), index=sd["stadsdeel_code"].astype(str))
    wk = dataset.wijken
    wk_codes = sorted(
        set(wk["wijk_code"].astype(str))
        | set(units["wijk_code"].dropna().astype(str))
        | set(cands["wijk_code"].dropna().astype(str))
    )
    wk_names = pd.Series(wk["name"].to_numpy(), index=wk["wijk_code"].astype(str))
    per_sd = _area_table("stadsdeel", pd.Index(sd_codes), sd_names, cands, chosen_c, units, unit_cover)
    per_wk = _area_table("wijk", pd.Index(wk_codes), wk_names, cands, chosen_c, units, unit_cover)
    per_wk.insert(2, "stadsdeel_code", per_wk["wijk_code"].astype("string").str.slice(0, 1))
    levels = units.groupby("wijk_code")["level"].agg(lambda s: "buurten" if (s == "buurt").all() else "wijk")
    per_wk.insert(3, "figures_from", levels.reindex(per_wk["wijk_code"].astype(str)).fillna("-").to_numpy())

    res = units["residents_65plus"].to_numpy(dtype=float)
    known = ~np.isnan(res)
    covered_total = float((res * unit_cover)[known].sum())
    residents_total = float(res[known].sum())
    coverage = covered_total / residents_total if residents_total > 0 else float("nan")
    # balance over the stadsdelen whose residents are known (a stadsdeel with an area without figures is left out)
    with_res = per_sd["residents_65plus"].notna().to_numpy()
    dissim = dissimilarity_index(
        per_sd["llt_flats"].to_numpy()[with_res], per_sd["residents_65plus"].to_numpy()[with_res]
    )
    n_sel = int(chosen_c.sum())
    n_area_unknown = int((chosen_c & cands["stadsdeel_code"].isna().to_numpy()).sum())
    ageing = cands["ageing"].astype("boolean")[chosen_c]
    master = cands["in_masterplan"].astype("boolean")[chosen_c]

    def part(flag: pd.Series) -> float:
        k = flag.notna()
        return float(flag[k].astype(bool).mean()) if k.any() else float("nan")

    selection_nl = (
        "gerealiseerde, gekozen en in ontwikkeling zijnde flats"
        if flat_ids is None
        else f"de opgegeven selectie van {n_sel} flats"
    )
    rows = [
        ("llt_flats", f"Lang Leven Thuisflats in de meting ({selection_nl}; een groep telt één keer)", n_sel),
        ("realised", "gerealiseerd", int(per_sd["realised"].sum())),
        ("chosen", "gekozen", int(per_sd["chosen"].sum())),
        ("in_development", "in ontwikkeling", int(per_sd["in_development"].sum())),
        ("open_pass", "open kandidaten die voldoen aan 3.1", int(per_sd["open_pass"].sum())),
        ("residents_65plus", "inwoners 65+ (gebieden met cijfers)", residents_total),
        ("residents_unknown_areas", "gebieden zonder cijfers 65+ (niet meegeteld)", int((~known).sum())),
        (
            "covered_65plus",
            f"inwoners 65+ binnen {nl_number(dist)} m hemelsbreed van een flat",
            covered_total,
        ),
        ("coverage", f"dekking: aandeel inwoners 65+ binnen {nl_number(dist)} m", coverage),
        (
            "dissimilarity",
            "ongelijkheidsindex van Duncan D (0 = gespreid als de 65-plussers, 1 = geheel apart)",
            dissim,
        ),
        ("share_ageing", "aandeel flats in vergrijsd gebied (van de flats waarvan het bekend is)", part(ageing)),
        ("llt_ageing_unknown", "flats waarvan onbekend is of het gebied vergrijsd is", int(ageing.isna().sum())),
        ("share_masterplan", "aandeel flats in masterplangebied (van de flats waarvan het bekend is)", part(master)),
        (
            "llt_masterplan_unknown",
            "flats waarvan onbekend is of ze in een masterplangebied liggen",
            int(master.isna().sum()),
        ),
        ("llt_area_unknown", "flats buiten alle stadsdelen (niet in de spreiding geteld)", n_area_unknown),
        ("coverage_distance_m", "afstand voor de dekking (meter, hemelsbreed)", dist),
    ]
    city = pd.DataFrame(rows, columns=["measure", "label_nl", "value"])
    notes, details = _unknown_notes(units, known, per_sd, dataset.wijken, with_res)
    if n_area_unknown:
        notes.append(f"{n_area_unknown} flats buiten alle stadsdelen: niet meegeteld in de spreiding")
    return Spread(per_sd, per_wk, city, coverage, dissim, dist, selection_nl, notes, details)


def spread_table(
    screening: Any,
    dataset: Any,
    *,
    level: str = "stadsdeel",
    flat_ids: Any | None = None,
    distance_m: float | None = None,
) -> pd.DataFrame:
    """Lang Leven Thuisflats per stadsdeel (or per wijk, or city-wide) by status, beside the residents 65+.

    Parameters
    ----------
    screening : Screening
        From :func:`llt_geo.screening.screen`.
    dataset : Dataset
        The loaded dataset.
    level : {"stadsdeel", "wijk", "stad"}
        One row per stadsdeel, one per wijk, or the city-wide summary.
    flat_ids : iterable of str, optional
        The flats measured (see :func:`spread_report`); default realised, chosen and in development.
    distance_m : float, optional
        Coverage distance; default ``[spread] coverage_distance_m``.

    Returns
    -------
    DataFrame
        Per area: the code, ``name``, the candidates (a group once) by status ``realised``,
        ``chosen``, ``in_development``, ``open_candidates`` and ``open_pass`` (open and passing
        3.1); ``llt_flats`` (the flats measured) and ``share_flats`` (of all measured flats);
        ``residents_65plus`` and ``share_65plus`` (of the city's); ``representation``
        (share_flats / share_65plus); ``llt_ageing``, ``llt_ageing_unknown``, ``share_ageing``
        (of the flats whose ageing is known; NaN when none is) and the same for masterplan;
        ``covered_65plus`` and ``coverage``; ``residents_unknown_areas`` (areas without figures).
        The per-wijk table adds ``stadsdeel_code`` and ``figures_from`` (buurten or wijk). For
        ``"stad"``: ``measure``, ``label_nl``, ``value``. Dutch labels: :func:`in_dutch`.
    """
    spread = spread_report(screening, dataset, flat_ids=flat_ids, distance_m=distance_m)
    tables = {"stadsdeel": spread.stadsdelen, "wijk": spread.wijken, "stad": spread.city, "city": spread.city}
    if level not in tables:
        raise ValueError(f"level must be 'stadsdeel', 'wijk' or 'stad', not {level!r}")
    return tables[level]


def spread_measures(
    screening: Any,
    dataset: Any,
    flat_ids: Any | None = None,
    *,
    distance_m: float | None = None,
    units: gpd.GeoDataFrame | None = None,
) -> dict[str, Any]:
    """Both spread measures for a set of flats (e.g. one portfolio scenario).

    Parameters
    ----------
    screening : Screening
        From :func:`llt_geo.screening.screen`.
    dataset : Dataset
        The loaded dataset.
    flat_ids : iterable of str, optional
        Flat ids or candidate ids (a member's flat id selects its group); default every flat
        realised, chosen or in development.
    distance_m : float, optional
        Coverage distance; default ``[spread] coverage_distance_m``.
    units : GeoDataFrame, optional
        :func:`residents_65plus_units` computed once, for many calls.

    Returns
    -------
    dict
        ``coverage`` (city-wide, 0-1), ``coverage_per_stadsdeel`` (Series by stadsdeel code),
        ``dissimilarity`` (Duncan's D, 0-1), ``n_flats`` (candidates measured, a group once),
        ``distance_m``.
    """
    s = spread_report(screening, dataset, flat_ids=flat_ids, distance_m=distance_m, units=units)
    return {
        "coverage": s.coverage,
        "coverage_per_stadsdeel": s.stadsdelen.set_index("stadsdeel_code")["coverage"],
        "dissimilarity": s.dissimilarity,
        "n_flats": int(s.stadsdelen["llt_flats"].sum())
        + int(s.city.set_index("measure").loc["llt_area_unknown", "value"]),
        "distance_m": s.distance_m,
    }


# --------------------------------------------------------------------------------------------------
# progress toward the goal

#: Dutch status words, singular and plural (``1 kandidaat``, ``2 kandidaten``).
def reference_year(flats: pd.DataFrame, config: Any, year: int | None = None) -> tuple[int, str]:
    """The year the figures stand at, and where it came from (Dutch).

    The first that applies: ``year`` given; the year of ``[validation] today`` when set; the
    latest ``status_year`` in the data; the current calendar year (only when no flat has a year).

    Parameters
    ----------
    flats : DataFrame
        With ``status_year``.
    config : Config or dict
        The configuration.
    year : int, optional
        An explicit year (tests, and reports that must not change).

    Returns
    -------
    tuple of (int, str)
        The year and its source in Dutch.
    """
    if year is not None:
        return int(year), "opgegeven"
    today = str(config.get("validation", {}).get("today", "") or "")
    if today:
        return date.fromisoformat(today).year, "[validation] today"
    years = pd.to_numeric(flats["status_year"], errors="coerce").dropna() if len(flats) else pd.Series([], dtype=float)
    if len(years):
        return int(years.max()), "laatste statusjaar in de gegevens"
    return date.today().year, "huidig jaar"


def _one_per_candidate(flats: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate (a group once, with its lead member's status): the screening's rule."""
    if "candidate_id" not in flats or ("is_group" in flats and "n_members" in flats):
        return flats  # a plain register, or the candidate table itself
    order = flats.assign(_d=pd.to_numeric(flats["n_dwellings"], errors="coerce") if "n_dwellings" in flats else 0)
    order = order.sort_values(["candidate_id", "_d", "flat_id"], ascending=[True, False, True], na_position="last")
    return order.drop_duplicates("candidate_id").drop(columns="_d")


def progress_table(flats: pd.DataFrame, config: Any, *, year: int | None = None) -> pd.DataFrame:
    """The pipeline toward ``[programme] goal_flats`` by ``goal_year``, per year.

    Parameters
    ----------
    flats : DataFrame
        ``status`` and ``status_year`` per flat: ``screening.candidates``, ``screening.flats`` (a
        group is counted once, by its lead member: most dwellings, then lowest flat id) or the
        register (each row a flat). An empty status is *kandidaat*.
    config : Config or dict
        ``[programme] goal_flats``, ``goal_year``; ``[validation] today``.
    year : int, optional
        The reference year (see :func:`reference_year`); pass it for reproducible output.

    Returns
    -------
    DataFrame
        One row per year from the earliest ``status_year`` (or the reference year) to the goal
        year (or the latest year in the data, if later), then one row ``year`` = <NA>
        (``year_nl`` "onbekend") for the flats without a status year: ``year``, ``year_nl``,
        ``candidate``, ``chosen``, ``in_development``, ``realised`` (flats whose status has that
        year), ``realised_cumulative`` (up to the reference year), ``projected_cumulative`` (from
        the reference year: realised so far + pace × years on), ``required_cumulative`` (from the
        reference year: the path of the required number per year, up to the goal), ``goal`` and
        ``phase`` (``gerealiseerd`` up to the reference year, ``prognose`` after). The scalars are
        in ``table.attrs``: ``goal_flats``, ``goal_year``, ``reference_year``,
        ``reference_source``, ``realised``, ``realised_without_year``, ``pipeline`` (chosen + in
        development), ``first_realised_year``, ``pace_per_year``, ``projected_goal_year``,
        ``gap``, ``remaining_years``, ``required_per_year``, ``to_choose``,
        ``choose_per_year``, ``unknown_year`` (per status) and ``summary_nl``.
    """
    prog = config["programme"]
    goal, goal_year = int(prog["goal_flats"]), int(prog["goal_year"])
    units = _one_per_candidate(flats)
    ref, source = reference_year(units, config, year)
    status = _statuses(units).to_numpy(dtype=object)
    yr = pd.to_numeric(units["status_year"], errors="coerce").to_numpy(dtype=float)
    dated = ~np.isnan(yr)
    first = int(yr[dated].min()) if dated.any() else ref
    last = int(yr[dated].max()) if dated.any() else ref
    years = np.arange(min(first, ref), max(goal_year, last, ref) + 1)
    index = pd.Index(years)
    out = pd.DataFrame({"year": pd.array(years, dtype="Int64")})
    out["year_nl"] = years.astype(str)
    per = {}
    for s in STATUS_LABELS_NL:
        per[s] = _count(yr[dated & (status == s)].astype(np.int64), index).astype(np.int64)
        out[s] = per[s]
    unknown = {s: int((~dated & (status == s)).sum()) for s in STATUS_LABELS_NL}

    real = status == "realised"
    realised = int((real & (~dated | (yr <= ref))).sum())  # a realised flat without a year is realised by now
    pipeline = int(np.isin(status, ("chosen", "in_development")).sum())
    first_real = int(yr[real & dated].min()) if (real & dated).any() else None
    elapsed = max(ref - first_real + 1, 1) if first_real is not None else 0
    pace = realised / elapsed if elapsed else 0.0
    remaining = max(goal_year - ref, 0)
    projected = realised + pace * remaining
    gap = max(goal - realised, 0)
    to_choose = max(goal - realised - pipeline, 0)
    per_year = math.ceil(gap / remaining) if remaining else gap
    choose_per_year = math.ceil(to_choose / remaining) if remaining else to_choose

    cum = np.cumsum(per["realised"]).astype(float)
    past = years <= ref
    out["realised_cumulative"] = pd.array(np.where(past, cum, np.nan), dtype="Float64")
    on = years - ref
    future = on >= 0
    out["projected_cumulative"] = pd.array(np.where(future, realised + pace * on, np.nan), dtype="Float64")
    out["required_cumulative"] = pd.array(
        np.where(future, np.minimum(realised + per_year * on, max(goal, realised)), np.nan), dtype="Float64"
    )
    out["goal"] = goal
    out["phase"] = np.where(past, "gerealiseerd", "prognose")
    extra = pd.DataFrame(
        {
            "year": pd.array([pd.NA], dtype="Int64"),
            "year_nl": ["onbekend"],
            **{s: [unknown[s]] for s in STATUS_LABELS_NL},
            "realised_cumulative": pd.array([pd.NA], dtype="Float64"),
            "projected_cumulative": pd.array([pd.NA], dtype="Float64"),
            "required_cumulative": pd.array([pd.NA], dtype="Float64"),
            "goal": [goal],
            "phase": ["jaar onbekend"],
        }
    )
    out = pd.concat([out, extra], ignore_index=True)
    out.attrs.update(
        goal_flats=goal,
        goal_year=goal_year,
        reference_year=ref,
        reference_source=source,
        realised=realised,
        realised_without_year=unknown["realised"],
        pipeline=pipeline,
        first_realised_year=first_real,
        pace_per_year=pace,
        projected_goal_year=projected,
        gap=gap,
        remaining_years=remaining,
        required_per_year=per_year,
        to_choose=to_choose,
        choose_per_year=choose_per_year,
        unknown_year=unknown,
    )
    out.attrs["summary_nl"] = progress_summary(out)
    return out


def progress_summary(table: pd.DataFrame) -> str:
    """One Dutch line on the progress, for the stuurgroep.

    E.g. *21 van 30 gerealiseerd (2025); bij dit tempo 38 in 2030; nog 9 nodig: 2 per jaar*, then
    what remains to be chosen when flats are already chosen or in development, and the flats
    without a status year.

    Parameters
    ----------
    table : DataFrame
        From :func:`progress_table` (its ``attrs``).

    Returns
    -------
    str
    """
    a = table.attrs
    goal, goal_year, ref = a["goal_flats"], a["goal_year"], a["reference_year"]
    text = f"{a['realised']} van {goal} gerealiseerd ({ref})"
    if ref < goal_year:
        text += f"; bij dit tempo {math.floor(a['projected_goal_year'] + 1e-9)} in {goal_year}"
    if a["gap"] <= 0:
        text += "; doel bereikt"
    elif a["remaining_years"]:
        text += f"; nog {a['gap']} nodig: {a['required_per_year']} per jaar"
        if a["pipeline"]:
            text += f" (nog te kiezen: {a['to_choose']}, {a['choose_per_year']} per jaar)"
    else:
        text += f"; nog {a['gap']} nodig en het doeljaar {goal_year} is bereikt"
    missing = [
        f"{n} {STATUS_PLURAL_NL[s][0 if n == 1 else 1]}"
        for s, n in a["unknown_year"].items()
        if n and s in STATUS_PLURAL_NL
    ]
    if missing:
        text += "; zonder statusjaar: " + ", ".join(missing)
    return text
