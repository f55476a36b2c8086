"""Candidate discovery: residential buildings no corporation has proposed yet, screened like the register.

From a building table (one row per building: BAG panden with their dwellings counted, or 3D
footprints with dwellings *estimated*), :func:`discover_candidates` finds every building, or
cluster of buildings of one owner within the grouping distance, that could meet the size
criterion of 3.1 (about 100 dwellings), and screens it with the same criteria, areas, proximity
and grouping as the flat register (:func:`llt_geo.screening.screen_frames`).

What building data cannot answer stays **unknown**, never a pass: the share of nultredenwoningen
and of social rent, resident involvement, a meeting room, a workspace, the corporation's consent.
A dwelling count that is an estimate (from footprint and height) is not a count: the size
criterion is then unknown, and the estimate is shown beside it (``n_dwellings_estimate``).

Nothing is dropped: every building in comes back in :attr:`Discovery.buildings` with
``discovery`` saying what became of it (a candidate, too small, already in the register, no
dwelling figure).

Building table
--------------
``building_id`` (required, unique), a geometry (points or footprints; any CRS that is declared),
and at least one of ``n_dwellings`` (counted dwellings, e.g. verblijfsobjecten with woonfunctie
per pand) and ``n_dwellings_estimate``. Optional: ``owner`` (groups only buildings of one known
owner), ``address``, ``building_year``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from .config import Config
from .eligibility import find_groups
from .errors import InputError, Problem
from .screening import Screening, screen_frames

__all__ = ["Discovery", "discover_candidates", "DISCOVERY_NL", "REGISTER_MATCH_M"]

CRS_RD = "EPSG:28992"
REGISTER_MATCH_M = 50.0
"""A building within this distance of a flat in the register is that flat (a register point is the
complex's address or centroid, a complex spans a few panden): never proposed again."""

DISCOVERY_NL = {
    "candidate": "kandidaat (kan aan de omvang voldoen)",
    "in_cluster": "kandidaat als deel van een cluster van één eigenaar",
    "too_small": "te klein (minder woningen dan de ondergrens)",
    "in_register": "staat al in het woningregister",
    "no_dwellings": "aantal woningen onbekend (geen telling, geen schatting)",
}

_YESNO = (
    "resident_involvement",
    "meeting_room",
    "workspace",
    "meeting_space_open",
    "fire_safety_plan",
    "staff_in_wijk",
    "woonzorg_registered",
    "vital_mix",
    "corporation_consent",
    "corporation_subsidy_recipient",
)


@dataclass
class Discovery:
    """The result of :func:`discover_candidates`.

    Attributes
    ----------
    buildings : GeoDataFrame
        Every building given, in the order given, located at the point it was screened at (a
        footprint becomes a point inside it, :func:`shapely.point_on_surface`; join on
        ``building_id`` to get the footprints back), with ``discovery`` (a key of
        :data:`DISCOVERY_NL`), ``discovery_nl``, ``cluster_id`` (``<NA>`` for a building on its
        own), ``cluster_dwellings`` and ``register_flat_id`` (the register's flat it matched).
    screening : Screening
        The screening of the buildings that could meet the size criterion (may be empty).
    notes : list of Problem
        What the analyst should know: buildings without a dwelling figure, estimates, matches.
    """

    buildings: gpd.GeoDataFrame
    screening: Screening | None
    notes: list[Problem] = field(default_factory=list)

    @property
    def candidates(self) -> gpd.GeoDataFrame:
        """The screened candidates (a building, or a group of one owner's buildings)."""
        if self.screening is None:
            return gpd.GeoDataFrame({"candidate_id": pd.Series(dtype="string")}, geometry=[], crs=CRS_RD)
        return self.screening.candidates


def _error(column: str | None, message: str, fix: str, rows: tuple[str, ...] = ()) -> InputError:
    return InputError.one("buildings", message, column=column, fix=fix, rows=rows, table="buildings")


def _checked(buildings: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The building table with its columns checked, points in EPSG:28992 and dwelling columns typed."""
    if not isinstance(buildings, gpd.GeoDataFrame) or buildings.geometry.name not in buildings.columns:
        raise _error(None, "the building table has no geometry", "pass a GeoDataFrame with points or footprints")
    if "building_id" not in buildings.columns:
        raise _error("building_id", "the building table has no column building_id", "add a unique id per building")
    if "n_dwellings" not in buildings.columns and "n_dwellings_estimate" not in buildings.columns:
        raise _error(
            "n_dwellings",
            "the building table has neither n_dwellings (counted) nor n_dwellings_estimate",
            "count the dwellings per building (BAG verblijfsobjecten with woonfunctie) or estimate them",
        )
    if buildings.crs is None:
        raise _error("geometry", "the building table has no coordinate reference system", "set its CRS")
    ids = buildings["building_id"].astype("string")
    dup = ids[ids.duplicated(keep=False) & ids.notna()]
    if ids.isna().any() or len(dup):
        rows = tuple(sorted(set(dup.astype(str))))[:20] or tuple(str(i) for i in np.flatnonzero(ids.isna())[:20])
        raise _error("building_id", "building ids must be filled and unique", "give every building its own id", rows)
    geom = buildings.geometry.to_crs(CRS_RD) if buildings.crs != CRS_RD else buildings.geometry
    empty = geom.is_empty.to_numpy() | geom.isna().to_numpy()
    if empty.any():
        raise _error(
            "geometry",
            f"{int(empty.sum())} buildings have no geometry",
            "give every building a point or a footprint",
            tuple(ids[empty].astype(str))[:20],
        )
    arr = geom.to_numpy()
    is_point = shapely.get_type_id(arr) == 0
    if not is_point.all():  # footprints: a point inside each (never outside, as a centroid can be)
        arr = arr.copy()
        arr[~is_point] = shapely.point_on_surface(arr[~is_point])
    points = gpd.GeoSeries(arr, index=buildings.index, crs=CRS_RD)
    out = pd.DataFrame({"building_id": ids}, index=buildings.index)
    for col in ("n_dwellings", "n_dwellings_estimate"):
        values = _numbers(buildings, col, ids) if col in buildings.columns else None
        if values is not None and (values < 0).any():
            raise _error(col, "a dwelling figure is negative", "correct the figure", tuple(ids[values < 0].astype(str)))
        if col == "n_dwellings" and values is not None:
            broken = values.notna() & (values != values.round(0))
            if broken.any():
                raise _error(
                    col,
                    "a counted number of dwellings is not a whole number",
                    "count whole dwellings, or put a figure from footprint and height in n_dwellings_estimate",
                    tuple(ids[broken].astype(str))[:20],
                )
        out[col] = (
            pd.array(values.round(0), dtype="Int64") if values is not None else pd.array([pd.NA] * len(out), "Int64")
        )
    for col in ("owner", "address"):
        out[col] = buildings[col] if col in buildings.columns else pd.NA
    out["owner"] = out["owner"].astype("string").str.strip().replace("", pd.NA)
    out["address"] = out["address"].astype("string")
    year = _numbers(buildings, "building_year", ids) if "building_year" in buildings.columns else None
    out["building_year"] = (
        pd.array(year.round(0), dtype="Int64") if year is not None else pd.array([pd.NA] * len(out), "Int64")
    )
    return gpd.GeoDataFrame(out, geometry=points, crs=CRS_RD)


def _numbers(buildings: pd.DataFrame, col: str, ids: pd.Series) -> pd.Series:
    """A numeric column; a value that is not a number is an error naming the buildings, never made unknown."""
    raw = buildings[col]
    if pd.api.types.is_numeric_dtype(raw.dtype):
        return pd.to_numeric(raw).astype("Float64")
    # text: only whole numbers in plain digits; "1.000" or "12,5" is ambiguous (a Dutch 1.000 is a
    # thousand, pandas reads one), so it is refused rather than guessed
    text = raw.astype("string").str.strip()
    present = text.notna() & (text != "")
    plain = text.str.fullmatch(r"-?\d+").astype("boolean").fillna(False)
    bad = (present & ~plain).to_numpy(dtype=bool)
    if bad.any():
        raise _error(
            col,
            f"{int(bad.sum())} values are not whole numbers in plain digits (for example {str(raw[bad].iloc[0])!r})",
            "write whole numbers without thousands separators or decimals (or pass the column as numbers), "
            "and leave the cell empty where the figure is unknown",
            tuple(ids[bad].astype(str))[:20],
        )
    return pd.to_numeric(text.where(present, None)).astype("Float64")


def _owner_groups(b: gpd.GeoDataFrame, small: np.ndarray, grp: dict, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Group id (or None) and the crowded flag for small counted buildings of one known owner.

    The register's own grouping (:func:`llt_geo.eligibility.find_groups`): buildings of one owner
    chained within the grouping distance, at most ``max_members`` of them, together at least the
    minimum size; a larger cluster is ``crowded`` and not grouped automatically.
    """
    group = np.full(len(b), None, dtype=object)
    crowded = np.zeros(len(b), dtype=bool)
    pick = np.flatnonzero(small & pd.notna(b["owner"]).to_numpy())
    if len(pick) < 2:
        return group, crowded
    sub = b.iloc[pick]
    frame = gpd.GeoDataFrame(
        {
            "flat_id": sub["building_id"].to_numpy(),
            "corporation": sub["owner"].to_numpy(),
            "n_dwellings": sub["n_dwellings"].array,
            "group_id": pd.array([pd.NA] * len(sub), dtype="string"),
            "status": "candidate",
        },
        geometry=sub.geometry.to_numpy(),
        crs=CRS_RD,
    )
    found = find_groups(
        frame,
        min_dwellings=limit,
        max_distance_m=float(grp["max_distance_m"]),
        same_corporation=True,
        max_members=int(grp["max_members"]),
    )
    group[pick] = found["group_id"].astype(object).where(found["group_id"].notna(), None).to_numpy()
    crowded[pick] = found["crowded"].to_numpy(dtype=bool)
    return group, crowded


def _as_flats(b: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The chosen buildings shaped as a flat register: what building data cannot say is unknown."""
    n = len(b)
    unknown_owner = b["owner"].isna()
    flats = pd.DataFrame(
        {
            "flat_id": b["building_id"].astype("string"),
            "name": b["address"].fillna(b["building_id"]).astype("string"),
            "address": b["address"].astype("string"),
            # an unknown owner never groups with anybody: a placeholder of its own, put back to <NA> after
            "corporation": b["owner"].where(~unknown_owner, "?" + b["building_id"].astype(str)).astype("string"),
            "n_dwellings": b["n_dwellings"].astype("Int64"),
            "n_nultreden": pd.array([pd.NA] * n, dtype="Int64"),
            "n_social_rent": pd.array([pd.NA] * n, dtype="Int64"),
            "group_id": pd.array([pd.NA] * n, dtype="string"),
            "status": pd.array(["candidate"] * n, dtype="string"),
            "status_year": pd.array([pd.NA] * n, dtype="Int64"),
            "subsidy_eur": pd.array([pd.NA] * n, dtype="Float64"),
            "preferred_provider_id": pd.array([pd.NA] * n, dtype="string"),
            "welfare_id": pd.array([pd.NA] * n, dtype="string"),
        },
        index=b.index,
    )
    for col in _YESNO:
        flats[col] = pd.array([pd.NA] * n, dtype="boolean")
    return gpd.GeoDataFrame(flats.reset_index(drop=True), geometry=list(b.geometry), crs=CRS_RD)


def discover_candidates(
    buildings: gpd.GeoDataFrame,
    *,
    stadsdelen: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame,
    buurten: gpd.GeoDataFrame | None,
    focus_areas: gpd.GeoDataFrame | None,
    intramural_sites: gpd.GeoDataFrame,
    amenities: gpd.GeoDataFrame,
    config: Config | dict,
    register: gpd.GeoDataFrame | None = None,
    register_match_m: float = REGISTER_MATCH_M,
) -> Discovery:
    """Find and screen the buildings that could meet the size criterion (Toewijzingskader 3.1).

    Parameters
    ----------
    buildings : GeoDataFrame
        One row per building (see the module docstring).
    stadsdelen, wijken, buurten, focus_areas, intramural_sites, amenities, config
        As for :func:`llt_geo.screening.screen_frames` (EPSG:28992).
    register : GeoDataFrame, optional
        The flat register (``flat_id``, points in EPSG:28992): a building within
        ``register_match_m`` of one of its flats is already known and not proposed again.

    Returns
    -------
    Discovery

    Raises
    ------
    InputError
        When the building table lacks an id, a geometry, a CRS or any dwelling figure, or has
        duplicate ids or negative figures.
    """
    b = _checked(buildings)
    e, grp = config["eligibility"], config["grouping"]
    limit = int(e["min_dwellings"])
    count = b["n_dwellings"].to_numpy(dtype="float64", na_value=np.nan)
    estimate = b["n_dwellings_estimate"].to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(count)
    figure = np.where(known, count, estimate)
    group, crowded = _owner_groups(b, known & (count < limit), grp, limit)
    in_cluster = pd.notna(group)
    sums = pd.Series(np.where(in_cluster, count, 0.0)).groupby(pd.Series(group).fillna("")).transform("sum").to_numpy()
    status = np.select(
        [np.isnan(figure), figure >= limit, in_cluster],
        ["no_dwellings", "candidate", "in_cluster"],
        default="too_small",
    ).astype(object)
    matched = pd.array([pd.NA] * len(b), dtype="string")
    if register is not None and len(register):
        reg = register.geometry.to_crs(CRS_RD) if register.crs != CRS_RD else register.geometry
        tree = cKDTree(np.column_stack([reg.x.to_numpy(), reg.y.to_numpy()]))
        dist, idx = tree.query(np.column_stack([b.geometry.x, b.geometry.y]), distance_upper_bound=register_match_m)
        hit = np.isfinite(dist)
        matched[hit] = register["flat_id"].astype(str).to_numpy()[idx[hit]]
        status[hit] = "in_register"
    cluster_id = pd.array([pd.NA] * len(b), dtype="string")
    grouped = in_cluster & (status == "in_cluster")
    cluster_id[grouped] = group[grouped].astype(str)
    out = b.copy()
    out["discovery"] = pd.array(status, dtype="string")
    out["discovery_nl"] = out["discovery"].map(DISCOVERY_NL).astype("string")
    out["cluster_id"] = cluster_id
    out["cluster_dwellings"] = pd.array(np.where(grouped, sums, np.nan), dtype="Float64").round(0).astype("Int64")
    out["register_flat_id"] = matched
    out["crowded"] = crowded & (status == "too_small")
    out["dwellings_source"] = pd.array(
        np.where(known, "telling", np.where(np.isnan(estimate), "onbekend", "schatting")), dtype="string"
    )

    notes = _notes(out, register_match_m)
    chosen = out[np.isin(status, ("candidate", "in_cluster"))]
    if not len(chosen):
        return Discovery(out, None, notes)
    flats = _as_flats(chosen)
    screening = screen_frames(
        flats,
        stadsdelen=stadsdelen,
        wijken=wijken,
        buurten=buurten,
        focus_areas=focus_areas,
        intramural_sites=intramural_sites,
        amenities=amenities,
        config=config,
    )
    _put_back(screening, chosen)
    return Discovery(out, screening, notes + screening.notes)


def _put_back(screening: Screening, chosen: gpd.GeoDataFrame) -> None:
    """Unknown owners back to <NA>; the estimate, its source and the building year beside each row."""
    extra = pd.DataFrame(
        {
            "n_dwellings_estimate": chosen["n_dwellings_estimate"].array,
            "dwellings_source": chosen["dwellings_source"].array,
            "building_year": chosen["building_year"].array,
        }
    ).set_axis(chosen["building_id"].astype(str).to_numpy())
    for frame in (screening.flats, screening.candidates):
        corp = frame["corporation"].astype("string")
        frame["corporation"] = corp.where(~corp.str.startswith("?").fillna(False), pd.NA)
        keys = frame["flat_id"].astype(str).where(frame["flat_id"].notna(), None)
        for col in extra.columns:
            frame[col] = extra[col].reindex(keys.to_numpy()).array
    # a group of one owner: its figure is the members' sum of counts
    cands = screening.candidates
    if "is_group" in cands.columns and cands["is_group"].any():
        cands.loc[cands["is_group"], "dwellings_source"] = "telling"


def _notes(out: gpd.GeoDataFrame, match_m: float) -> list[Problem]:
    notes = []
    for key, text, fix in (
        (
            "no_dwellings",
            "buildings have no dwelling count and no estimate: whether they could meet the size criterion is unknown",
            "add the BAG verblijfsobjecten (woonfunctie) of these panden, or their height for an estimate",
        ),
        ("in_register", f"buildings lie within {match_m:.0f} m of a flat in the register: not proposed again", None),
    ):
        mask = (out["discovery"] == key).to_numpy(dtype=bool)
        if mask.any():
            notes.append(
                Problem(
                    "warning",
                    "buildings",
                    None,
                    f"{int(mask.sum())} {text}",
                    fix=fix or "",
                    rows=tuple(out["building_id"].astype(str).to_numpy()[mask][:1000]),
                    row_noun="building",
                    table="buildings",
                )
            )
    crowded = out["crowded"].to_numpy(dtype=bool)
    if crowded.any():
        notes.append(
            Problem(
                "warning",
                "buildings",
                "owner",
                f"{int(crowded.sum())} small buildings lie in a cluster of one owner too large to group automatically "
                "(more members than [grouping] max_members): not proposed; declare groups in the register",
                rows=tuple(out["building_id"].astype(str).to_numpy()[crowded][:1000]),
                row_noun="building",
                table="buildings",
            )
        )
    estimated = (out["discovery"].isin(["candidate"]) & (out["dwellings_source"] == "schatting")).to_numpy(bool)
    if estimated.any():
        notes.append(
            Problem(
                "warning",
                "buildings",
                "n_dwellings_estimate",
                f"{int(estimated.sum())} candidates have an estimated number of dwellings (footprint and height), "
                "not a count: their size criterion is unknown until the dwellings are counted",
                rows=tuple(out["building_id"].astype(str).to_numpy()[estimated][:1000]),
                row_noun="building",
                table="buildings",
            )
        )
    return notes
