"""Building footprints from 3D Amsterdam's BAG tiles, with dwellings estimated where none are counted.

3D Amsterdam (Gemeente Amsterdam, 3d.amsterdam.nl) publishes the BAG panden as GeoJSON tiles of
500 m x 500 m (file name: the RD x_y of the tile's south-west corner), in EPSG:28992, with
``PAND_ID`` (14 characters, Amsterdam's local form), ``Bouwjaar``, ``Hoogte`` (m), ``SDVIEW``
(stadsdeel letter) and, from a join with Kadaster's TOP10NL, ``gml_id``, ``minimum_ho``,
``mediaan_ho``. Features are clipped at the tile edge: a pand that crosses it is one feature in
each tile, with the same properties.

:func:`read_3d_tiles` stitches every pand back together (the union of its parts, by
``PAND_ID``), treats a ``Hoogte`` of 0 as **unknown** (it is 0 for every pand of the Noord tiles),
and gives one row per pand: the footprint, its area, the height, the building year and the
stadsdeel. Dwellings come from the BAG where it is given (:mod:`llt_geo.io.opendata.bag`, a count,
``dwellings_source = "bag_count"``); for every other pand they are **estimated** from footprint and
height (``n_dwellings_estimate``, ``dwellings_source = "estimate"``), never put in the count
column ``n_dwellings``:

    storeys  = floor(height / storey_height_m)                  (at least 1)
    estimate = round(footprint_m2 * storeys / floor_area_per_dwelling_m2)

with the assumptions of :class:`EstimateRules` (docs/buildings.md). A pand lower than one storey,
or of unknown height, gets no estimate (``<NA>``, with the reason in ``estimate_note``).

Every feature read is part of a pand or reported (no ``PAND_ID``, no geometry, outside the
municipality); parts of one pand whose properties disagree are reported.

Licence: 3D Amsterdam's repository is EUPL-1.2 (Gemeente Amsterdam); BAG is CC0 (Kadaster),
TOP10NL CC BY 4.0 (Kadaster). SOURCES.md asks to re-check before publication.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ...errors import InputError, Problem
from . import RowCount, missing_columns_error, read_geojson
from .bag import DEFAULT_MUNICIPALITIES, UNKNOWN_YEAR, BagResult, national_id

__all__ = ["ATTRIBUTION", "Buildings3D", "EstimateRules", "estimate_dwellings", "read_3d_tiles"]

ATTRIBUTION = (
    "Panden: Gemeente Amsterdam, 3D Amsterdam (EUPL-1.2), uit de BAG (Kadaster, CC0) en TOP10NL (Kadaster, CC BY 4.0)"
)
_COLUMNS = {"pand": "PAND_ID", "year": "Bouwjaar", "height": "Hoogte", "stadsdeel": "SDVIEW"}
_OPTIONAL = {"year", "height", "stadsdeel"}
_TOP10 = "mediaan_ho"


@dataclass(frozen=True)
class EstimateRules:
    """Assumptions for estimating dwellings from a footprint and a height.

    Attributes
    ----------
    storey_height_m : float
        Height per storey, floor to floor, including the share of roof and plinth: 3.0 m. Dutch
        post-war flats have about 2.7-2.9 m floor to floor; the measured height also includes
        the roof edge and installations, so 3.0 m counts a 27.6 m Bijlmer wing as 9 storeys.
    floor_area_per_dwelling_m2 : float
        Gross floor area (BVO) per dwelling, galleries, stairs and storage included: 85 m². An
        assumption: about 68 m² usable floor area (GBO) per flat, typical of Amsterdam's post-war
        social housing, at a GBO/BVO ratio of 0.8 (a usual figure for gallery flats, NEN 2580
        measures). Not checked against counted panden here (the BAG sample shares one pand
        with the tiles); check it on a district where both are present before relying on it.
    min_height_m : float
        Below this height a pand is not a dwelling building (sheds, garages, parking decks):
        no estimate. 2.6 m: the minimum ceiling height of a new dwelling (Bouwbesluit 2012).
    use_top10nl_height : bool
        Where ``Hoogte`` is unknown, use TOP10NL's ``mediaan_ho``. Off by default: it is the
        height of the TOP10NL building object, which can span several panden (SOURCES.md: a 2005
        pand of 18.4 m carries the 28.33 m of a 1969 honeycomb), so an estimate from it is weak.
    """

    storey_height_m: float = 3.0
    floor_area_per_dwelling_m2: float = 85.0
    min_height_m: float = 2.6
    use_top10nl_height: bool = False

    def __post_init__(self) -> None:
        bad = [
            f"{name} must be a positive number, not {value!r}"
            for name, value in (
                ("storey_height_m", self.storey_height_m),
                ("floor_area_per_dwelling_m2", self.floor_area_per_dwelling_m2),
                ("min_height_m", self.min_height_m),
            )
            if not (isinstance(value, (int, float)) and np.isfinite(value) and value > 0)
        ]
        if bad:
            raise InputError([Problem("error", "EstimateRules", None, b, fix="e.g. EstimateRules()") for b in bad])


@dataclass
class Buildings3D:
    """What :func:`read_3d_tiles` made of the tiles.

    Attributes
    ----------
    buildings : GeoDataFrame
        One row per pand: ``building_id`` (the national 16-digit pand id), ``pand_id_3d`` (as in
        the tiles), ``n_parts`` (features stitched together), ``footprint_m2``, ``height_m`` (NaN:
        unknown), ``height_source`` (``hoogte``, ``top10nl_mediaan`` or empty), ``building_year``,
        ``stadsdeel_code``, ``n_dwellings`` (BAG count, ``<NA>`` where none),
        ``n_storeys_estimate``, ``n_dwellings_estimate`` (``<NA>`` where counted or impossible),
        ``dwellings_source`` (``bag_count``, ``estimate`` or ``unknown``), ``estimate_note`` and
        the footprint polygon (EPSG:28992).
    not_mapped : DataFrame
        Features not in any pand: ``file``, ``feature``, ``id``, ``reason``.
    problems : list of Problem
    rows : list of RowCount
        Per tile: features read = mapped (part of a pand) + reported.
    """

    buildings: gpd.GeoDataFrame
    not_mapped: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowCount] = field(default_factory=list)
    attribution: list[str] = field(default_factory=lambda: [ATTRIBUTION])

    @property
    def balanced(self) -> bool:
        return all(r.balanced for r in self.rows)


def _tile_paths(source: str | Path | list) -> list[Path]:
    if isinstance(source, (list, tuple)):
        return [Path(p) for p in source]
    source = Path(source)
    if source.is_dir():
        paths = sorted(source.glob("*.geojson")) + sorted(source.glob("*.json"))
        if not paths:
            raise InputError.one(
                str(source),
                "no GeoJSON tiles (*.geojson) in the folder",
                fix="give the folder of 3D Amsterdam's BAG tiles (<x>_<y>.geojson)",
            )
        return paths
    return [source]


def read_3d_tiles(
    source: str | Path | list,
    *,
    bag: BagResult | gpd.GeoDataFrame | None = None,
    rules: EstimateRules | None = None,
    municipalities: tuple[str, ...] = DEFAULT_MUNICIPALITIES,
) -> Buildings3D:
    """Read 3D Amsterdam's BAG tiles into one footprint per pand, with dwellings counted or estimated.

    Parameters
    ----------
    source : path or list of paths
        A folder of tiles, one tile, or a list of tiles.
    bag : BagResult or GeoDataFrame, optional
        The BAG building table (:func:`llt_geo.io.opendata.bag.read_bag`): its ``n_dwellings`` is the
        count for the panden it holds (matched on the national pand id).
    rules : EstimateRules, optional
        The assumptions of the estimate.
    municipalities : tuple of str
        CBS municipality codes whose panden are kept (the first four digits of ``PAND_ID``).

    Raises
    ------
    InputError
        A tile that is not GeoJSON, or without ``PAND_ID`` (naming the file and the fix).
    """
    rules = rules or EstimateRules()
    parts, problems, rows, unmapped = [], [], [], []
    for path in _tile_paths(source):
        frame, _meta = read_geojson(path)
        headers = [c for c in frame.columns if c not in ("feature", "feature_id", "geometry")]
        missing = {h: f"the pand id ({h})" for ours, h in _COLUMNS.items() if ours not in _OPTIONAL and h not in frame}
        if missing:
            raise missing_columns_error(
                path.name, missing, headers, "give 3D Amsterdam's BAG tiles as published (PAND_ID, Bouwjaar, Hoogte)"
            )
        frame = frame.assign(file=path.name)
        geoms = frame.geometry.to_numpy()
        frame["geometry"] = shapely.force_2d(geoms)
        pid = frame[_COLUMNS["pand"]].astype("string").str.strip()
        nid = national_id(pid, "10")
        reason = pd.Series(pd.NA, index=frame.index, dtype="string")
        reason[shapely.is_missing(geoms) | shapely.is_empty(geoms)] = "no geometry"
        reason[(nid.isna() & reason.isna()).to_numpy()] = "no pand id (PAND_ID empty or not 14/16 digits)"
        outside = ~nid.str[:4].isin(list(municipalities)).fillna(False) & reason.isna()
        reason[outside.to_numpy()] = "outside the municipality"
        problems += _implausible_heights(frame, path.name)
        bad = reason.notna().to_numpy()
        unmapped.append(
            pd.DataFrame({"file": path.name, "feature": frame["feature"][bad], "id": pid[bad], "reason": reason[bad]})
        )
        rows.append(RowCount(path.name, len(frame), int((~bad).sum()), int(bad.sum())))
        parts.append(frame.loc[~bad].assign(building_id=nid[~bad], pand_id_3d=pid[~bad]))
    not_mapped = pd.concat(unmapped, ignore_index=True) if unmapped else pd.DataFrame()
    for (file, why), group in not_mapped.groupby(["file", "reason"], sort=True):
        problems.append(
            Problem(
                "warning",
                file,
                _COLUMNS["pand"],
                f"{len(group)} features not used: {why}",
                rows=tuple(group["feature"].tolist()),
                values=tuple(group["id"].astype(str).tolist()),
                row_noun="feature",
                table="buildings",
            )
        )
    allparts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["building_id"])
    buildings, stitch_problems = _stitch(gpd.GeoDataFrame(allparts, geometry="geometry", crs="EPSG:28992"))
    problems += stitch_problems
    buildings, estimate_problems = estimate_dwellings(buildings, bag=bag, rules=rules)
    problems += estimate_problems
    return Buildings3D(buildings, not_mapped, problems, rows)


#: no building is higher (the tallest, Burj Khalifa, is 828 m): a larger Hoogte is a fault in the tile
MAX_HEIGHT_M = 1000.0


def _implausible_heights(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Blank (unknown) every ``Hoogte``/``mediaan_ho`` that is a number but no building's height; one warning each."""
    problems = []
    for column in (_COLUMNS["height"], _TOP10):
        if column not in frame:
            continue
        value = pd.to_numeric(
            frame[column].map(lambda v: v if isinstance(v, (int, float, str)) else None), errors="coerce"
        )
        wrong = (value.abs() > MAX_HEIGHT_M).fillna(False).to_numpy(dtype=bool)
        if wrong.any():
            frame.loc[wrong, column] = None
            problems.append(
                Problem(
                    "warning",
                    file,
                    column,
                    f"height above {MAX_HEIGHT_M:g} m, no building's: taken as unknown",
                    rows=tuple(frame["feature"][wrong].tolist()),
                    values=tuple(value[wrong].map(str).tolist()),
                    row_noun="feature",
                    table="buildings",
                    fix="give the tiles as published; a height is in metres",
                )
            )
    return problems


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def _stitch(parts: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """One row per pand: the union of its parts; properties of the largest part, disagreements reported."""
    problems: list[Problem] = []
    parts = parts.copy()
    parts["_area"] = shapely.area(parts.geometry.to_numpy())
    parts["_year"] = _numbers(parts, _COLUMNS["year"])
    parts["_height"] = _numbers(parts, _COLUMNS["height"])
    parts["_top10"] = _numbers(parts, _TOP10)
    parts["_sd"] = parts[_COLUMNS["stadsdeel"]].astype("string") if _COLUMNS["stadsdeel"] in parts else pd.NA
    parts = parts.sort_values(["building_id", "_area"], ascending=[True, False], kind="stable")
    n_parts = parts.groupby("building_id", sort=True).size()
    first = parts.drop_duplicates("building_id", keep="first").set_index("building_id")
    # only panden cut by a tile edge need a union: a handful per tile, not the whole city
    split = n_parts.index[n_parts.to_numpy() > 1]
    geometry = first.geometry.copy()
    if len(split):
        cut = parts[parts["building_id"].isin(split)]
        codes, uniques = pd.factorize(cut["building_id"], sort=True)
        merged = shapely.make_valid(
            np.array([shapely.union_all(cut.geometry.to_numpy()[codes == i]) for i in range(len(uniques))])
        )
        geometry.loc[uniques] = merged
        for col, label in (("_year", "Bouwjaar"), ("_height", "Hoogte"), ("_sd", "SDVIEW")):
            spread = cut.groupby("building_id")[col].nunique(dropna=False)
            differ = spread.index[spread.to_numpy() > 1]
            if len(differ):
                problems.append(
                    Problem(
                        "warning",
                        "3D Amsterdam tiles",
                        label,
                        f"{len(differ)} panden cut by a tile edge have parts with different {label}: "
                        "the value of the largest part is used",
                        values=tuple(differ.astype(str)),
                        table="buildings",
                    )
                )
    year = first["_year"].to_numpy()
    bad_year = np.isfinite(year) & ((year == UNKNOWN_YEAR) | (year < 1200) | (year > pd.Timestamp.now().year + 10))
    height = first["_height"].to_numpy()
    out = gpd.GeoDataFrame(
        {
            "building_id": pd.array(first.index, dtype="string"),
            "pand_id_3d": pd.array(first["pand_id_3d"].to_numpy(), dtype="string"),
            "n_parts": n_parts.reindex(first.index).to_numpy(),
            "footprint_m2": np.round(shapely.area(geometry.to_numpy()), 1),
            "hoogte_m": height,
            "top10nl_height_m": first["_top10"].to_numpy(),
            "building_year": pd.array(np.where(np.isfinite(year) & ~bad_year, np.round(year), np.nan), dtype="Int64"),
            "stadsdeel_code": pd.array(first["_sd"].to_numpy(), dtype="string"),
        },
        geometry=gpd.GeoSeries(geometry.to_numpy(), crs="EPSG:28992"),
        crs="EPSG:28992",
    )
    if bad_year.any():
        problems.append(
            Problem(
                "warning",
                "3D Amsterdam tiles",
                "Bouwjaar",
                f"{int(bad_year.sum())} panden have no real building year (BAG's placeholder {UNKNOWN_YEAR} or an "
                "impossible year): unknown",
                values=tuple(first.index[bad_year].astype(str)),
                table="buildings",
            )
        )
    return out, problems


def estimate_dwellings(
    buildings: gpd.GeoDataFrame,
    *,
    bag: BagResult | gpd.GeoDataFrame | None = None,
    rules: EstimateRules | None = None,
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Dwellings per pand: the BAG count where given, else an estimate from footprint and height.

    ``buildings`` needs ``building_id``, ``footprint_m2`` and ``hoogte_m`` (0 or negative:
    unknown); ``top10nl_height_m`` is used only with ``rules.use_top10nl_height``. Returns the
    table with ``height_m``, ``height_source``, ``n_dwellings``, ``n_storeys_estimate``,
    ``n_dwellings_estimate``, ``dwellings_source`` and ``estimate_note``, and the problems
    (panden without any dwelling figure).
    """
    rules = rules or EstimateRules()
    out = buildings.copy()
    problems: list[Problem] = []
    hoogte = pd.to_numeric(out["hoogte_m"], errors="coerce").to_numpy(dtype=float)
    # 0 is "not measured" in these tiles, never a height; nor is anything above MAX_HEIGHT_M
    height = np.where((hoogte > 0) & (hoogte <= MAX_HEIGHT_M), hoogte, np.nan)
    source = np.where(np.isfinite(height), "hoogte", "")
    if rules.use_top10nl_height and "top10nl_height_m" in out:
        top = pd.to_numeric(out["top10nl_height_m"], errors="coerce").to_numpy(dtype=float)
        use = ~np.isfinite(height) & (top > 0) & (top <= MAX_HEIGHT_M)
        height = np.where(use, top, height)
        source = np.where(use, "top10nl_mediaan", source)
    out["height_m"] = height
    out["height_source"] = pd.array(source, dtype="string")

    count = pd.array(np.full(len(out), pd.NA), dtype="Int64")
    if bag is not None:
        table = bag.buildings if isinstance(bag, BagResult) else bag
        if "building_id" not in table or "n_dwellings" not in table:
            raise InputError.one(
                "bag",
                "the BAG building table needs building_id and n_dwellings",
                column="n_dwellings" if "building_id" in table else "building_id",
                fix="pass the result of llt_geo.io.opendata.bag.read_bag",
            )
        counts = pd.Series(table["n_dwellings"].astype("Int64").to_numpy(), index=table["building_id"].astype(str))
        count = pd.array(counts.reindex(out["building_id"].astype(str)).to_numpy(), dtype="Int64")
    out["n_dwellings"] = count
    counted = ~pd.isna(count)

    area = pd.to_numeric(out["footprint_m2"], errors="coerce").to_numpy(dtype=float)
    storeys = np.floor(height / rules.storey_height_m)
    storeys = np.where(np.isfinite(height) & (height >= rules.min_height_m), np.maximum(storeys, 1), np.nan)
    estimate = np.round(area * storeys / rules.floor_area_per_dwelling_m2)
    can = np.isfinite(estimate) & ~counted
    out["n_storeys_estimate"] = pd.array(np.where(np.isfinite(storeys), storeys, np.nan), dtype="Int64")
    out["n_dwellings_estimate"] = pd.array(np.where(can, estimate, np.nan), dtype="Int64")
    note = np.full(len(out), "", dtype=object)
    note[can] = (
        f"estimate: footprint x floor(height / {rules.storey_height_m:g} m) / "
        f"{rules.floor_area_per_dwelling_m2:g} m² per dwelling (height from "
        + pd.Series(source[can], dtype=object).to_numpy()
        + ")"
    )
    low = ~counted & np.isfinite(height) & (height < rules.min_height_m)
    note[low] = f"no estimate: lower than one storey ({rules.min_height_m:g} m): probably not a dwelling building"
    nohgt = ~counted & ~np.isfinite(height)
    note[nohgt] = "no estimate: height unknown (Hoogte 0 or missing)"
    note[counted] = "counted in the BAG"
    out["estimate_note"] = pd.array(note, dtype="string")
    out["dwellings_source"] = pd.array(np.where(counted, "bag_count", np.where(can, "estimate", "unknown")), "string")
    unknown = out["dwellings_source"].eq("unknown").to_numpy()
    if unknown.any():
        problems.append(
            Problem(
                "warning",
                "3D Amsterdam tiles",
                "Hoogte",
                f"{int(unknown.sum())} panden have no dwelling count and no estimate (height unknown or below one "
                "storey): their number of dwellings is unknown",
                values=tuple(out.loc[unknown, "building_id"].astype(str).tolist()[:50]),
                table="buildings",
                fix="add the BAG verblijfsobjecten of these panden (llt_geo.io.opendata.bag)",
            )
        )
    # a count far below what the footprint holds: is the BAG extract complete for that pand?
    would = np.where(counted, estimate, np.nan)
    with np.errstate(invalid="ignore"):
        short = counted & np.isfinite(would) & (would >= 10) & (np.asarray(count, dtype=float) < would / 5)
    if short.any():
        problems.append(
            Problem(
                "warning",
                "bag",
                "n_dwellings",
                f"{int(short.sum())} panden have a BAG count below a fifth of what their footprint and height would "
                "hold: is the BAG extract complete for them (a sample, or verblijfsobjecten in another file)?",
                values=tuple(
                    f"{b}: {int(c)} counted, about {int(w)} by footprint"
                    for b, c, w in zip(
                        out.loc[short, "building_id"], np.asarray(count)[short], would[short], strict=True
                    )
                ),
                table="buildings",
                fix="read the whole BAG for these panden; the count is used as given",
            )
        )
    if can.any():
        problems.append(
            Problem(
                "warning",
                "3D Amsterdam tiles",
                None,
                f"{int(can.sum())} panden have an estimated number of dwellings (n_dwellings_estimate), not a count",
                table="buildings",
            )
        )
    return out, problems
