"""3D Amsterdam's BAG tiles: footprints stitched across tile edges, Hoogte 0 unknown, dwellings estimated (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from llt_geo.errors import InputError
from llt_geo.io.opendata.bag import read_bag
from llt_geo.io.opendata.buildings3d import EstimateRules, estimate_dwellings, read_3d_tiles

TILES = "3damsterdam-bag-panden-tiles"
X0, Y0 = 126500.0, 481000.0


def square(x: float, y: float, w: float, h: float) -> dict:
    ring = [[X0 + x, Y0 + y, 0.0], [X0 + x + w, Y0 + y, 0.0], [X0 + x + w, Y0 + y + h, 0.0], [X0 + x, Y0 + y + h, 0.0]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def feature(pand: str | None, geometry: dict | None, *, year: int = 1970, height: float = 9.0, sd: str = "T") -> dict:
    props = {"PAND_ID": pand, "Bouwjaar": year, "Hoogte": height, "SDVIEW": sd}
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write_tile(path: Path, features: list[dict]) -> Path:
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "name": "0001",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
                "features": features,
            }
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def tiles(tmp_path: Path) -> Path:
    """Two neighbouring tiles; pand ...0001 (20 m x 10 m) is cut by their common edge at x = 10."""
    folder = tmp_path / "tiles"
    folder.mkdir()
    write_tile(
        folder / "126500_481000.geojson",
        [
            feature("03630000000001", square(0, 0, 10, 10)),
            feature("03630000000002", square(0, 20, 10, 10), height=0.0),  # Hoogte 0: unknown
            feature("03630000000003", square(0, 40, 4, 5), height=2.2),  # a shed
            feature(None, square(0, 60, 5, 5)),  # no pand id
        ],
    )
    write_tile(
        folder / "126510_481000.geojson",
        [
            feature("03630000000001", square(10, 0, 10, 10)),
            feature("03840000000004", square(20, 20, 10, 10)),  # Diemen: outside the municipality
            feature("03630000000005", square(20, 40, 30, 20), height=31.0, year=1005),
        ],
    )
    return folder


def test_stitched_unknown_and_estimated(tiles: Path) -> None:
    result = read_3d_tiles(tiles)
    assert result.balanced
    assert [(r.read, r.mapped, r.reported) for r in result.rows] == [(4, 3, 1), (3, 2, 1)]
    assert result.not_mapped["reason"].tolist() == [
        "no pand id (PAND_ID empty or not 14/16 digits)",
        "outside the municipality",
    ]
    b = result.buildings.set_index("building_id")
    assert list(b.index) == ["0363100000000001", "0363100000000002", "0363100000000003", "0363100000000005"]
    one = b.loc["0363100000000001"]
    # the two halves are one 20 m x 10 m polygon again: 200 m2, 3 storeys of 3 m, 600 / 85 = 7.06 -> 7
    assert one["n_parts"] == 2 and one.geometry.geom_type == "Polygon" and one["footprint_m2"] == 200.0
    assert one.geometry.equals(shapely.box(X0, Y0, X0 + 20, Y0 + 10))
    assert one["n_storeys_estimate"] == 3 and one["n_dwellings_estimate"] == 7
    assert one["dwellings_source"] == "estimate" and pd.isna(one["n_dwellings"])  # never in the count column
    two = b.loc["0363100000000002"]
    assert np.isnan(two["height_m"]) and two["height_source"] == "" and two["dwellings_source"] == "unknown"
    assert pd.isna(two["n_dwellings_estimate"]) and "height unknown" in two["estimate_note"]
    shed = b.loc["0363100000000003"]
    assert (
        shed["height_m"] == 2.2
        and pd.isna(shed["n_dwellings_estimate"])
        and "lower than one storey" in shed["estimate_note"]
    )
    tall = b.loc["0363100000000005"]
    # 600 m2, floor(31 / 3) = 10 storeys: 6000 / 85 = 70.6 -> 71; the year 1005 is BAG's "unknown"
    assert tall["n_dwellings_estimate"] == 71 and pd.isna(tall["building_year"])
    assert any("no real building year" in p.message for p in result.problems)


def test_rules_and_bag_count(tiles: Path) -> None:
    lower = read_3d_tiles(tiles, rules=EstimateRules(storey_height_m=2.8, floor_area_per_dwelling_m2=70))
    # floor(9 / 2.8) = 3 storeys: 200 * 3 / 70 = 8.57 -> 9
    assert lower.buildings.set_index("building_id").loc["0363100000000001", "n_dwellings_estimate"] == 9
    bag = pd.DataFrame({"building_id": ["0363100000000001"], "n_dwellings": pd.array([6], dtype="Int64")})
    counted = read_3d_tiles(tiles, bag=bag).buildings.set_index("building_id")
    assert counted.loc["0363100000000001", "n_dwellings"] == 6
    assert counted.loc["0363100000000001", "dwellings_source"] == "bag_count"
    assert pd.isna(counted.loc["0363100000000001", "n_dwellings_estimate"])  # a count, so no estimate
    with pytest.raises(InputError, match="storey_height_m must be a positive number"):
        EstimateRules(storey_height_m=0)
    with pytest.raises(InputError, match="needs building_id and n_dwellings"):
        estimate_dwellings(counted.reset_index(), bag=pd.DataFrame({"building_id": ["x"]}))


def test_parts_that_disagree_are_reported(tiles: Path) -> None:
    path = tiles / "126510_481000.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["Hoogte"] = 12.0
    path.write_text(json.dumps(data), encoding="utf-8")
    result = read_3d_tiles(tiles)
    assert any("different Hoogte" in p.message and "0363100000000001" in p.values for p in result.problems)


def test_bad_input_names_file_and_fix(tmp_path: Path) -> None:
    path = write_tile(tmp_path / "t.geojson", [{"type": "Feature", "properties": {"id": 1}, "geometry": None}])
    with pytest.raises(InputError) as err:
        read_3d_tiles(path)
    assert "t.geojson" in str(err.value) and "'PAND_ID'" in str(err.value) and "Fix:" in str(err.value)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no GeoJSON tiles"):
        read_3d_tiles(tmp_path / "empty")
    (tmp_path / "x.geojson").write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="x.geojson"):
        read_3d_tiles(tmp_path / "x.geojson")


@pytest.mark.real
def test_real_tiles(real_dir: Path) -> None:
    result = read_3d_tiles(real_dir / TILES)
    assert result.balanced and len(result.not_mapped) == 0
    # SOURCES.md: 302 features in six tiles, 291 distinct panden, 11 cut by a tile edge
    assert sum(r.read for r in result.rows) == 302
    assert {r.file: r.read for r in result.rows} == {
        "119000_488500.geojson": 70,
        "124000_490500.geojson": 21,
        "124500_490500.geojson": 104,
        "126500_481000.geojson": 67,
        "126500_481500.geojson": 38,
        "126500_482000.geojson": 2,
    }
    b = result.buildings.set_index("building_id")
    assert len(b) == 291 and (b["n_parts"] == 2).sum() == 11 and b["n_parts"].max() == 2
    assert (b.loc[b["n_parts"] == 2].geom_type == "Polygon").all()  # the edge vertices match exactly
    assert b.geometry.is_valid.all() and b.crs.to_epsg() == 28992
    honeycomb = b.loc["0363100013069027"]  # 4,991 m2 in 126500_481000 plus 46 m2 in 126500_481500
    assert honeycomb["footprint_m2"] == pytest.approx(4991 + 46, abs=1)
    assert honeycomb["building_year"] == 1969 and honeycomb["height_m"] == 27.59
    assert honeycomb["n_storeys_estimate"] == 9 and honeycomb["dwellings_source"] == "estimate"
    # Hoogte is 0.0 for every pand of the two Noord tiles: unknown, never a height of 0, no estimate
    noord = b["stadsdeel_code"] == "N"
    assert noord.sum() == 120 and b.loc[noord, "height_m"].isna().all()
    assert (b.loc[noord, "dwellings_source"] == "unknown").all()
    assert b["building_year"].between(1913, 2017).all()
    assert (b["height_m"].dropna() > 0).all()
    low = b["height_m"] < 2.6
    assert low.sum() == 9 and (b.loc[low, "dwellings_source"] == "unknown").all()
    assert b["dwellings_source"].value_counts().to_dict() == {"estimate": 162, "unknown": 129}
    assert (b["n_dwellings_estimate"].dropna() >= 0).all() and b["n_dwellings"].isna().all()
    # TOP10NL's median height on request: Noord gets estimates, marked by their height source
    top = read_3d_tiles(real_dir / TILES, rules=EstimateRules(use_top10nl_height=True)).buildings
    assert (top["height_source"] == "top10nl_mediaan").sum() == 106
    assert (top["dwellings_source"] == "estimate").sum() == 260


@pytest.mark.real
def test_real_tiles_with_the_bag_sample(real_dir: Path) -> None:
    bag = read_bag(real_dir / "amsterdam-bag-uva2-testset-2015")
    result = read_3d_tiles(real_dir / TILES, bag=bag)
    b = result.buildings.set_index("building_id")
    # the one pand in both files: its verblijfsobject (RD 126904/481118) lies inside the footprint
    row = b.loc["0363100012965185"]
    assert row["dwellings_source"] == "bag_count" and row["n_dwellings"] == 1
    assert row.geometry.contains(bag.buildings.set_index("building_id").loc["0363100012965185"].geometry)
    # but the sample is not the whole BAG: a 2,183 m2 nine-storey wing holds far more than one dwelling
    short = [p for p in result.problems if p.column == "n_dwellings" and "below a fifth" in p.message]
    assert short and short[0].values == ("0363100012965185: 1 counted, about 231 by footprint",)


@pytest.mark.real
def test_real_buildings_feed_candidate_discovery(real_dir: Path) -> None:
    """The building tables are discovery's input as they are: counted, estimated and unknown kept apart."""
    import llt_geo
    from llt_geo.discovery import discover_candidates

    ds = llt_geo.load_demo()
    buildings = read_3d_tiles(real_dir / TILES).buildings
    found = discover_candidates(
        buildings,
        stadsdelen=ds.stadsdelen,
        wijken=ds.wijken,
        buurten=ds.buurten,
        focus_areas=ds.focus_areas,
        intramural_sites=ds.intramural_sites,
        amenities=ds.amenities,
        config=ds.config,
    )
    outcome = found.buildings["discovery"].value_counts().to_dict()
    assert sum(outcome.values()) == 291 and outcome["no_dwellings"] == 129  # unknown never passes
    assert set(found.buildings.loc[found.buildings["discovery"] == "candidate", "dwellings_source"]) <= {"schatting"}
