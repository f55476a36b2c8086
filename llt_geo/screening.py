"""Screening: areas, focus, proximity, grouping and the 3.1 criteria for every flat and candidate.

:func:`screen` runs the whole step on a loaded :class:`~llt_geo.io.Dataset`; :func:`screen_frames`
does the same on plain tables (the benchmark uses it on a million synthetic buildings).
Everything is vectorised: spatial indexes and array operations, no Python loop over flats.

Counting: a candidate is a single flat or a group of flats (a group counts once). Only candidates
with status *kandidaat* are open; flats already chosen, in development or realised are screened
too (their criteria are shown), but every count keeps them apart (``open_candidate``,
:func:`candidate_counts`, :func:`describe_counts`).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .areas import area_ageing, assign_areas, focus_membership, string_take
from .config import Config
from .eligibility import criteria_arrays, evaluate_criteria, find_groups, summary_columns
from .errors import InputError, Problem
from .io import CRS_RD, Dataset
from .io.network import WalkingNetwork, read_graphml
from .labels import describe_counts
from .progress import progress
from .proximity import amenity_reach, point_xy, site_proximity
from .schema import STATUS_LABELS_NL

#: Run the independent spatial stages of :func:`screen_frames` side by side (threads); the benchmark
#: switches it off for its stage-by-stage timing.
CONCURRENT = True

__all__ = ["Screening", "candidate_counts", "describe_counts", "screen", "screen_frames"]

_NOTE_MAX_IDS = 1000


@dataclass
class Screening:
    """The result of screening.

    Attributes
    ----------
    flats : GeoDataFrame
        Every flat (EPSG:28992) with its areas, ageing, focus, proximity and group.
    candidates : GeoDataFrame
        One row per candidate (a single flat or a group; point = the members' centroid), with
        the derived values, ``status_nl`` and ``open_candidate`` (status *kandidaat*: still to be
        chosen; realised flats and the like are screened but kept apart in every count), a
        ``<criterion>_status`` column per criterion and the overall ``eligibility``.
    provider_distance_m : DataFrame
        Per flat (rows as in ``flats``) the distance to the nearest site of each provider.
    notes : list of Problem
        Flats on an area boundary, outside every area, or in a cluster too large to group
        automatically (warnings), for the report.
    distance_kind : str
        ``"hemelsbreed"`` (straight line) or ``"over het looppadennetwerk"`` (walking network).
        With a network that carries sidewalk widths and curb heights (a GeoPackage edge list),
        ``flats`` also has, per intramural site and amenity kind, ``access_<kind>_m`` (the
        accessible walking distance: over paths a rollator or wheelchair can use),
        ``access_<kind>_status`` (*bekend*, *onbekend*, *onbereikbaar*) and
        ``access_<kind>_reason`` (Dutch; why it is unknown, e.g. outside the network's area).
    config : dict
        The configuration the screening used.
    criteria : DataFrame
        The long table (candidate, criterion, status, value, threshold, margin, near miss, Dutch
        reason); built on first use, because writing a sentence per candidate and criterion is
        the costly part for a million buildings and the statuses do not need it.
    counts : DataFrame
        Candidates, groups and flats per status, and the outcome per status
        (:func:`candidate_counts`).
    """

    flats: gpd.GeoDataFrame
    candidates: gpd.GeoDataFrame
    provider_distance_m: pd.DataFrame
    notes: list[Problem] = field(default_factory=list)
    distance_kind: str = "hemelsbreed"
    config: dict = field(default_factory=dict, repr=False)
    _criteria: pd.DataFrame | None = field(default=None, repr=False)
    #: the area of the walking network where accessible distances are measured (a shapely
    #: geometry, EPSG:28992), when the network carries sidewalk widths and curb heights
    network_area: object = field(default=None, repr=False)
    #: how the accessible distance was measured (Dutch, with the rules and their sources); empty without
    access_note: str = ""

    @property
    def criteria(self) -> pd.DataFrame:
        """The long table with reasons (see the class docstring)."""
        if self._criteria is None:
            long = evaluate_criteria(self.candidates, self.config)
            is_open = self.candidates["open_candidate"].to_numpy(dtype=bool)
            long.insert(1, "open_candidate", np.repeat(is_open, len(long) // max(len(is_open), 1)))
            self._criteria = long
        return self._criteria

    @property
    def counts(self) -> pd.DataFrame:
        """Candidates, groups and flats per status (see :func:`candidate_counts`)."""
        return candidate_counts(self.candidates)


#: Dutch and English phrases for a number of flats of a status that is not open
def _now(func, *args, **kwargs):
    """Call ``func`` at once; its result is fetched like a future's (``CONCURRENT`` off)."""
    done: Future = Future()
    done.set_result(func(*args, **kwargs))
    return done


def _flats(n: int) -> str:
    return "flat" if n == 1 else "flats"


def candidate_counts(candidates: pd.DataFrame) -> pd.DataFrame:
    """How the candidates add up: per status, the candidates, groups and flats, and the outcomes.

    A candidate is a single flat or a group (a group counts once; its status is its lead
    member's). Only candidates with status ``candidate`` (*kandidaat*) are open.

    Parameters
    ----------
    candidates : DataFrame
        :attr:`Screening.candidates` (``status``, ``is_group``, ``n_members``, ``eligibility``).

    Returns
    -------
    DataFrame
        One row per status present (in the order kandidaat, gekozen, in ontwikkeling,
        gerealiseerd), then ``total``: ``status``, ``status_nl``, ``open_candidate``,
        ``candidates`` (rows of the candidate table), ``groups``, ``flats``, ``flats_in_groups``,
        ``pass``, ``unknown``, ``fail``. ``candidates = flats - flats_in_groups + groups``.
    """
    # factorize once and count with bincount: a million candidates in a few tens of milliseconds
    codes, uniques = pd.factorize(candidates["status"])
    names = np.array([str(u) for u in uniques] + ["candidate"], dtype=object)
    codes = np.where(codes < 0, len(uniques), codes)  # an empty status means kandidaat
    k = len(names)
    members = candidates["n_members"].to_numpy(dtype=np.int64)
    group = candidates["is_group"].to_numpy(dtype=bool)
    outcome = pd.Categorical(candidates["eligibility"], categories=["pass", "unknown", "fail"]).codes
    per = {
        "candidates": np.bincount(codes, minlength=k),
        "groups": np.bincount(codes, weights=group, minlength=k),
        "flats": np.bincount(codes, weights=members, minlength=k),
        "flats_in_groups": np.bincount(codes, weights=members * group, minlength=k),
        **{e: np.bincount(codes, weights=outcome == j, minlength=k) for j, e in enumerate(("pass", "unknown", "fail"))},
    }
    known = list(STATUS_LABELS_NL)
    found = {names[c] for c in np.flatnonzero(per["candidates"])}
    present = [s for s in known if s in found] + sorted(found - set(known))
    rows = []
    for s in [*present, None]:
        sel = np.ones(k, dtype=bool) if s is None else names == s
        rows.append(
            {
                "status": "total" if s is None else s,
                "status_nl": "totaal" if s is None else STATUS_LABELS_NL.get(s, s),
                "open_candidate": pd.NA if s is None else s == "candidate",
                **{col: int(v[sel].sum()) for col, v in per.items()},
            }
        )
    out = pd.DataFrame(rows)
    out["open_candidate"] = out["open_candidate"].astype("boolean")
    return out


def _kleene(values: pd.Series, groups: pd.Series, how: str) -> pd.Series:
    """Group AND/OR of nullable booleans with three-valued logic (unknown stays unknown)."""
    v = values.astype("boolean")
    n_true = v.eq(True).fillna(False).groupby(groups).sum()
    n_false = v.eq(False).fillna(False).groupby(groups).sum()
    n_na = v.isna().groupby(groups).sum()
    out = pd.Series(pd.NA, index=n_true.index, dtype="boolean")
    if how == "all":
        out[n_false > 0] = False
        out[(n_false == 0) & (n_na == 0)] = True
    else:
        out[n_true > 0] = True
        out[(n_true == 0) & (n_na == 0)] = False
    return out


def _sum_or_unknown(values: pd.Series, groups: pd.Series) -> pd.Series:
    total = values.astype("Float64").groupby(groups).sum()
    any_na = values.isna().groupby(groups).any()
    return total.where(~any_na).astype("Float64")


def _candidates(flats: gpd.GeoDataFrame, amenity_cols: list[str]) -> gpd.GeoDataFrame:
    """One row per candidate; a group's values follow from its members (eligibility.GROUP_RULES).

    The group's lead member (most dwellings, then lowest flat id) gives its area, ageing and
    status; the corporation's consent and its 3.2 commitments hold only when they hold for every
    member (the open meeting space when one member has it); the worst-placed member gives the
    amenity values; the member nearest to an intramural site gives the site distance; the point is
    the members' centroid.
    """
    is_single = flats["group_id"].isna().to_numpy(dtype=bool)
    # copy-on-write (pandas 3): a shallow copy is safe to add columns to, and costs nothing
    single = flats.copy(deep=False) if is_single.all() else flats[is_single].copy()
    single["members"] = single["flat_id"].astype("string")
    single["n_members"] = 1
    grouped = flats[flats["group_id"].notna()].copy()
    if len(grouped):
        grouped["_g"] = grouped["group_id"].astype(str)
        g = grouped["_g"]

        def first_by(columns: list[str], ascending: list[bool]) -> pd.DataFrame:
            ordered = grouped.sort_values(["_g", *columns], ascending=[True, *ascending], na_position="last")
            return ordered.drop_duplicates("_g").set_index("_g")

        lead = first_by(["n_dwellings", "flat_id"], [False, True])
        worst = first_by(["amenity_kinds_within", "flat_id"], [True, True])
        nearest = first_by(["site_distance_m", "flat_id"], [True, True])
        agg = lead.copy()
        agg["candidate_id"] = agg.index
        agg["flat_id"] = pd.NA
        ordered = grouped.sort_values("flat_id")
        agg["members"] = ordered.groupby("_g")["flat_id"].agg(", ".join)
        agg["n_members"] = g.value_counts()
        agg["name"] = "Groep " + agg.index + " (" + agg["members"] + ")"
        agg["corporation"] = grouped.groupby("_g")["corporation"].agg(lambda s: " + ".join(sorted(set(s.astype(str)))))
        agg["n_dwellings"] = grouped.groupby("_g")["n_dwellings"].sum().astype("Int64")
        for col in ("n_nultreden", "n_social_rent", "subsidy_eur"):
            agg[col] = _sum_or_unknown(grouped[col], g)
        agg["n_nultreden"] = agg["n_nultreden"].astype("Int64")
        agg["n_social_rent"] = agg["n_social_rent"].astype("Int64")
        agg["resident_involvement"] = _kleene(grouped["resident_involvement"], g, "all")
        agg["meeting_room"] = _kleene(grouped["meeting_room"], g, "any")
        agg["workspace"] = _kleene(grouped["workspace"], g, "any")
        agg["in_masterplan"] = _kleene(grouped["in_masterplan"], g, "any")
        # the corporation's say and commitments (3.2) hold for the group only when they hold for every
        # member: one flat without consent means the group lacks it (never the lead member's value);
        # the meeting space open to the buurt follows the meeting room (one shared room suffices)
        for col in ("corporation_consent", "corporation_subsidy_recipient", "fire_safety_plan", "staff_in_wijk",
                    "woonzorg_registered", "vital_mix"):  # fmt: skip
            if col in grouped.columns:
                agg[col] = _kleene(grouped[col], g, "all")
        if "meeting_space_open" in grouped.columns:
            agg["meeting_space_open"] = _kleene(grouped["meeting_space_open"], g, "any")
        for col in amenity_cols:
            agg[col] = worst[col]
        for col in ("site_distance_m", "nearest_site_id", "nearest_site_provider_id"):
            agg[col] = nearest[col]
        xy = pd.DataFrame({"x": grouped.geometry.x, "y": grouped.geometry.y, "_g": g}).groupby("_g").mean()
        agg = gpd.GeoDataFrame(
            agg.drop(columns="geometry"),
            geometry=gpd.points_from_xy(xy.loc[agg.index, "x"], xy.loc[agg.index, "y"]),
            crs=CRS_RD,
        )
        cands = pd.concat([single, agg.reset_index(drop=True)[single.columns]], ignore_index=True)
    else:
        cands = single.reset_index(drop=True)
    cands = gpd.GeoDataFrame(cands, geometry="geometry", crs=CRS_RD)
    cands["is_group"] = cands["group_id"].notna()
    order = _string_order(cands["candidate_id"])
    if np.array_equal(order, np.arange(len(cands))):  # already in order (the usual case): no copy
        return cands.reset_index(drop=True)
    return cands.iloc[order].reset_index(drop=True)


def _string_order(values: pd.Series) -> np.ndarray:
    """The stable order of the values as text (``np.argsort(values.astype(str), kind="stable")``).

    Sorted by Arrow, which compares the UTF-8 bytes: the order of the code points, as Python
    compares strings, and far faster than sorting a million Python strings.
    """
    text = values.astype(str).astype("string").array
    if isinstance(text, pd.arrays.ArrowStringArray):
        arr = pa.array(text)
        # already in order (the usual case): one comparison of neighbours instead of a sort
        if arr.null_count == 0 and (len(arr) < 2 or pc.all(pc.less_equal(arr[:-1], arr[1:])).as_py()):
            return np.arange(len(arr), dtype=np.int64)
        return pc.sort_indices(arr).to_numpy().astype(np.int64)
    return np.argsort(values.astype(str).to_numpy(), kind="stable")


def _coarser(areas: pd.DataFrame, buurten: gpd.GeoDataFrame | None, wijken: gpd.GeoDataFrame | None) -> np.ndarray:
    """Flats whose areas come from a coarser level than the finest boundaries given."""
    finest = (
        "buurt"
        if buurten is not None and len(buurten)
        else ("wijk" if wijken is not None and len(wijken) else "stadsdeel")
    )
    level = areas["area_level"]
    return (level.notna() & (level != finest)).to_numpy(dtype=bool)


def screen_frames(
    flats: gpd.GeoDataFrame,
    *,
    stadsdelen: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame,
    buurten: gpd.GeoDataFrame | None,
    focus_areas: gpd.GeoDataFrame | None,
    intramural_sites: gpd.GeoDataFrame,
    amenities: gpd.GeoDataFrame,
    config: Config | dict,
    network: WalkingNetwork | None = None,
) -> Screening:
    """Screen a flat register against areas, sites and amenities (all EPSG:28992).

    Parameters
    ----------
    flats : GeoDataFrame
        Canonical flat table (see ``docs/data-format.md``).
    stadsdelen, wijken, buurten, focus_areas, intramural_sites, amenities : GeoDataFrame
        Canonical tables; ``buurten`` and ``focus_areas`` may be empty or None.
    config : Config
        ``[eligibility]``, ``[grouping]`` and ``[areas]`` are used.
    network : WalkingNetwork, optional
        Walking network for network distances.

    Returns
    -------
    Screening
    """
    elig, grp, ar = config["eligibility"], config["grouping"], config["areas"]
    points = flats.geometry
    # a bar after two seconds (a million buildings), naming the step under way; quiet in tests and CI
    with progress("Screenen", total=6, unit="stap") as bar, ThreadPoolExecutor(max_workers=2) as pool:
        # the spatial stages are independent: the sites, amenities and grouping run beside the areas
        # (most of their work is in numpy, scipy and shapely, which release the GIL)
        bar.step("gebieden", n=0)
        run = pool.submit if CONCURRENT else _now
        xy = point_xy(points) if len(points) else None  # the coordinates once, for every stage
        later_site = run(site_proximity, points, intramural_sites, network=network, xy=xy)
        later_reach = run(
            amenity_reach,
            points,
            amenities,
            radius_m=elig["amenity_radius_m"],
            kinds=list(elig["amenity_kinds"]),
            network=network,
            xy=xy,
        )
        later_groups = run(
            find_groups,
            flats,
            min_dwellings=elig["min_dwellings"],
            max_distance_m=grp["max_distance_m"],
            same_corporation=grp["same_corporation"],
            max_members=grp["max_members"],
            xy=xy,
        )
        areas = assign_areas(
            points,
            buurten=buurten,
            wijken=wijken,
            stadsdelen=stadsdelen,
            outside_tolerance_m=ar["outside_tolerance_m"],
            xy=xy,
        )
        bar.step("focusgebieden")
        level = ar["ageing_level"]
        table = buurten if level == "buurt" and buurten is not None and len(buurten) else wijken
        code_col = "buurt_code" if table is buurten else "wijk_code"
        ageing = area_ageing(table, threshold=ar["ageing_threshold_share"], code_col=code_col)
        # looked up once per distinct area, then spread over the flats
        inverse, uniques = pd.factorize(areas[code_col], use_na_sentinel=False)
        codes = pd.Series(uniques, dtype=areas[code_col].dtype).astype(str)
        share = ageing["share_65plus"].reindex(codes).to_numpy()[inverse]
        is_ageing = ageing["ageing"].reindex(codes).astype("boolean").array.take(inverse)
        focus = focus_membership(
            points,
            focus_areas,
            masterplan_kind=ar["masterplan_kind"],
            areas=areas,
            buurten=buurten,
            wijken=wijken,
            stadsdelen=stadsdelen,
            xy=xy,
        )
        bar.step("intramurale locaties")
        site, per_provider = later_site.result()
        bar.step("voorzieningen")
        reach = later_reach.result()
        bar.step("groepen")
        groups = later_groups.result()
        bar.step("kandidaten en criteria")
        if amenities is None or not len(amenities):
            reach["amenity_kinds_within"] = pd.array([pd.NA] * len(flats), dtype="Int64")
        cands, out = _assemble(flats, areas, focus, site, reach, groups, share, is_ageing, config)
        bar.step("meldingen")
    return _finish(flats, out, cands, per_provider, areas, focus, buurten, wijken, amenities, config, network)


def _assemble(flats, areas, focus, site, reach, groups, share, is_ageing, config) -> tuple:
    """The flats with every derived column, and the candidates with their criteria and summary."""
    out = flats.drop(columns=["group_id"])  # a new frame (copy-on-write): the caller's is left alone
    out = pd.concat([out, areas, focus, site, reach, groups], axis=1)
    out["share_65plus"] = pd.array(share, dtype="Float64")
    out["ageing"] = pd.array(is_ageing, dtype="boolean")
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=CRS_RD)
    cands = _candidates(out, list(reach.columns))
    # the summary's rows are the candidates in order: add the columns by position, not by a join on ids
    wide = pd.DataFrame(summary_columns(criteria_arrays(cands, config), len(cands)), index=cands.index, copy=False)
    cands = pd.concat([cands, wide], axis=1)
    # open candidates (status kandidaat) apart from flats already chosen, in development or realised
    cand_status = cands["status"].astype("string").fillna("candidate")
    at = cands.columns.get_loc("status") + 1
    inverse, uniques = pd.factorize(cand_status)
    labels = np.array([STATUS_LABELS_NL.get(u, u) for u in uniques], dtype=object)
    cands.insert(at, "status_nl", pd.Series(string_take(labels, inverse), index=cands.index))
    cands.insert(at + 1, "open_candidate", (cand_status == "candidate").to_numpy(dtype=bool))
    # a flat on its own is open by its own status; a member of a group by the group's (few rows: a lookup)
    flat_open = (out["status"].astype("string").fillna("candidate") == "candidate").to_numpy(dtype=bool)
    grouped = np.flatnonzero(out["group_id"].notna().to_numpy())
    if len(grouped):
        group_open = pd.Series(cands["open_candidate"].to_numpy(), index=cands["candidate_id"].astype(str))
        group_open = group_open[cands["is_group"].to_numpy(dtype=bool)]
        flat_open[grouped] = group_open.reindex(out["group_id"].astype(str).to_numpy()[grouped]).to_numpy(dtype=bool)
    out.insert(out.columns.get_loc("candidate_id") + 1, "open_candidate", flat_open)
    return cands, out


def _finish(flats, out, cands, per_provider, areas, focus, buurten, wijken, amenities, config, network) -> Screening:
    """The notes for the report, and the result."""
    elig, grp, ar = config["eligibility"], config["grouping"], config["areas"]
    notes = []
    crowded = out["crowded"].to_numpy(dtype=bool)
    for mask, what in (
        (areas["on_boundary"].to_numpy(), "lie on an area boundary (see area_note)"),
        (areas["outside_areas"].to_numpy(), "lie outside every area (see area_note)"),
        (
            _coarser(areas, buurten, wijken),
            "lie outside the finest area boundaries given: their areas come from a coarser level (see area_note)",
        ),
        (
            focus["focus_edge_unclear"].to_numpy(dtype=bool),
            "lie exactly on the edge of a focus area that their assigned area does not settle (the edge runs "
            "through that area, or the area is unknown): counted in the focus area when most of their area lies "
            "in it, or when the area is unknown (see focus_note)",
        ),
        (
            crowded,
            f"lie in a cluster of more than {grp['max_members']} small flats within "
            f"{grp['max_distance_m']:.0f} m: not grouped automatically; declare groups in the register",
        ),
    ):
        if mask.any():
            notes.append(
                Problem(
                    "warning",
                    "flats",
                    None,
                    f"{int(mask.sum())} flats {what}",
                    # every flat concerned is marked in its own column; the note names the first 1,000
                    rows=tuple(str(i) for i in out["flat_id"].iloc[np.flatnonzero(mask)[:_NOTE_MAX_IDS]]),
                    row_noun="flat",
                    table="flats",
                )
            )
    apart = ~out["open_candidate"].to_numpy(dtype=bool)
    if apart.any():
        counts = candidate_counts(cands)
        by_status = ", ".join(
            f"{r.status} {r.flats}" for r in counts.itertuples() if r.status not in ("candidate", "total")
        )
        notes.append(
            Problem(
                "warning",
                "flats",
                "status",
                f"{int(apart.sum())} flats are not open candidates ({by_status}): screened like the others, "
                f"but kept apart in every count (column open_candidate): {describe_counts(counts, language='en')}",
                rows=tuple(str(i) for i in out["flat_id"].iloc[np.flatnonzero(apart)[:_NOTE_MAX_IDS]]),
                row_noun="flat",
                table="flats",
            )
        )
    if len(flats) and out["in_masterplan"].isna().all():
        notes.append(
            Problem(
                "warning",
                "focus_areas",
                "kind",
                f"no focus area has kind '{ar['masterplan_kind']}': whether flats lie in a masterplan area is unknown",
                fix="mark the masterplan areas in the focus-area table, or set "
                "[areas] masterplan_kind to the label used there",
                table="focus_areas",
            )
        )
    kinds = {k.lower() for k in elig["amenity_kinds"]}
    if amenities is not None and len(amenities):
        other = amenities["kind"].astype("string").str.strip().str.lower()
        unused = other[~other.isin(kinds)].value_counts().sort_index()
        if len(unused):
            listed = ", ".join(f"{k} ({n})" for k, n in unused.items())
            notes.append(
                Problem(
                    "warning",
                    "amenities",
                    "kind",
                    f"amenity kinds that do not count for 'near amenities': {listed}",
                    fix="add them to [eligibility] amenity_kinds if they should count, or correct the spelling",
                    table="amenities",
                )
            )
    kind = "over het looppadennetwerk" if network is not None else "hemelsbreed"
    return Screening(out, cands, per_provider, notes, kind, config)


def _read_network(network, rules):
    """(WalkingNetwork for the plain distances, EdgeNetwork or None, notes) from a network or a path."""
    from .io.network import EdgeNetwork, read_network_gpkg

    if isinstance(network, EdgeNetwork):
        return network.walking(rules), network, []
    if isinstance(network, WalkingNetwork):
        return network, None, []
    path = Path(network)
    suffix = path.suffix.lower()
    if suffix == ".gpkg":
        edges, report = read_network_gpkg(path)
        return edges.walking(rules), edges, list(report.problems)
    if suffix in (".graphml", ".xml"):
        return read_graphml(path), None, []
    raise InputError.one(
        path.name,
        f"not a walking network llt_geo can read (suffix {suffix or 'none'!r})",
        fix=(
            "give GraphML (.graphml, as osmnx.save_graphml writes it) or a GeoPackage edge list (.gpkg, "
            "the municipality's pedestrian network layout; docs/walking.md)"
        ),
    )


_ACCESS_STATUS_NL = {"known": "bekend", "unknown": "onbekend", "unreachable": "onbereikbaar"}


def _add_accessible(result: Screening, edges, intramural_sites, amenities, config: dict, rules) -> None:
    """Accessible walking distances for every flat, beside the plain ones (issue 11, item 2)."""
    from .walking import accessible_distances, accessible_wide

    points = result.flats.geometry
    long = [
        accessible_distances(
            points, intramural_sites, edges, rules=rules, kind_column=None, kind="intramural_site", id_column="site_id"
        )
    ]
    kinds = [str(k) for k in config["eligibility"]["amenity_kinds"]]
    if amenities is not None and len(amenities):
        long.append(accessible_distances(points, amenities, edges, rules=rules, kinds=kinds))
    wide = accessible_wide(pd.concat(long, ignore_index=True)).reindex(result.flats.index)
    flats = result.flats
    for k in ["intramural_site", *[k.lower() for k in kinds]]:
        if f"{k}_access_m" not in wide.columns:  # no amenities at all: every kind unknown
            flats[f"access_{k}_m"] = np.nan
            flats[f"access_{k}_status"] = pd.array(["onbekend"] * len(flats), dtype="string")
            flats[f"access_{k}_reason"] = pd.array(["er zijn geen voorzieningen ingelezen"] * len(flats), "string")
            continue
        flats[f"access_{k}_m"] = wide[f"{k}_access_m"].to_numpy(dtype=float)
        flats[f"access_{k}_status"] = wide[f"{k}_access_status"].map(_ACCESS_STATUS_NL).astype("string").array
        flats[f"access_{k}_reason"] = wide[f"{k}_access_reason"].astype("string").replace("", pd.NA).array
    result.network_area = edges.area(rules=rules)
    inside = int(flats.geometry.within(result.network_area).sum())
    width, curb = f"{rules.min_width_m:.2f}".replace(".", ","), f"{rules.max_curb_m * 100:g}".replace(".", ",")
    result.access_note = (
        f"Toegankelijke loopafstand: over paden met een vrije breedte van minstens {width} m en stoepranden van "
        f"hoogstens {curb} cm bij oversteken (rollator of rolstoel; bronnen: docs/walking.md), naast de gewone "
        f"loopafstand over het looppadennetwerk ({edges.source}); alleen voor flats binnen het gebied van het netwerk "
        f"({inside} van de {len(flats)} flats), elders onbekend."
    )


def screen(dataset: Dataset, *, network: WalkingNetwork | str | Path | None = None, access_rules=None) -> Screening:
    """Screen every flat and candidate of a dataset (Toewijzingskader 3.1).

    Parameters
    ----------
    dataset : Dataset
        As returned by :func:`llt_geo.load_dataset`.
    network : WalkingNetwork, EdgeNetwork or path, optional
        A walking network for network distances: GraphML (``.graphml``) or a GeoPackage edge
        list (``.gpkg``, :func:`llt_geo.io.network.read_network_gpkg`); straight-line
        distances without it. A network with sidewalk widths and curb heights also gives the
        accessible walking distance of every flat (see :class:`Screening`); the criteria use the
        plain walking distance.
    access_rules : AccessRules, optional
        Minimum width and maximum curb height (default
        :data:`llt_geo.io.network.ACCESS_DEFAULTS`: 0.90 m, 0.04 m).

    Returns
    -------
    Screening
    """
    edges, extra = None, []
    if network is not None:
        from .io.network import ACCESS_DEFAULTS

        access_rules = access_rules or ACCESS_DEFAULTS
        network, edges, extra = _read_network(network, access_rules)
    result = screen_frames(
        dataset.flats,
        stadsdelen=dataset.stadsdelen,
        wijken=dataset.wijken,
        buurten=dataset.buurten,
        focus_areas=dataset.focus_areas,
        intramural_sites=dataset.intramural_sites,
        amenities=dataset.amenities,
        config=dataset.config,
        network=network,
    )
    result.notes.extend(extra)
    if edges is not None:
        _add_accessible(result, edges, dataset.intramural_sites, dataset.amenities, dataset.config, access_rules)
    return result
