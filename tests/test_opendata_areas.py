"""The municipality's area division through llt_geo.io.opendata.areas: real files (2022 and the 2025 API)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from llt_geo import validate_dataset
from llt_geo.errors import InputError
from llt_geo.io.opendata.areas import read_area_division

from .conftest import DEMO

AREA_2022 = "amsterdam-gebiedsindeling-2022"


def validate_with(tmp_path: Path, adapted, replace: tuple[str, ...]):
    """The demo's registers with ``adapted``'s tables written in their place; llt_geo's validation of it."""
    folder = tmp_path / "with_opendata"
    shutil.copytree(DEMO, folder)
    for name in replace:
        for old in folder.glob(f"{name}.*"):
            old.unlink()
    written = adapted.write(folder)
    assert set(replace) <= set(written)
    return validate_dataset(folder)


@pytest.fixture(scope="module")
def division_2022():
    from .conftest import REAL

    if not REAL.is_dir():
        pytest.skip(f"real open data not found at {REAL} (it sits beside the project in CI)")
    return read_area_division(
        REAL / AREA_2022 / "amsterdam_buurten.geojson", gebieden=REAL / AREA_2022 / "amsterdam_gebieden.geojson"
    )


@pytest.mark.real
def test_2022_division_from_the_buurten_layer(division_2022):
    a = division_2022
    assert [len(a.tables[t]) for t in ("stadsdelen", "wijken", "buurten")] == [9, 110, 518]
    assert len(a.extras["gebieden"]) == 25
    assert all(t.crs.to_epsg() == 28992 for t in a.tables.values())
    b = a.tables["buurten"].set_index("buurt_code")
    assert b.loc["AC02", "name"] == "Leliegracht e.o." and b.loc["AC02", "wijk_code"] == "AC"
    w = a.tables["wijken"].set_index("wijk_code")
    assert w.loc["AB", "name"] == "Jordaan" and w.loc["AB", "stadsdeel_code"] == "A"
    s = a.tables["stadsdelen"].set_index("stadsdeel_code")["name"]
    assert s["S"] == "Weesp" and s["B"] == "Westpoort"
    # every feature read is mapped or reported; the 14 Westpoort buurten without a gebied are reported
    assert all(r.balanced for r in a.rows) and a.rows[0].read == 518 and a.rows[0].mapped == 518
    westpoort = [p for p in a.problems if "no gebied" in p.message]
    assert len(westpoort) == 1 and len(westpoort[0].rows) == 14
    assert set(a.extras["buurt_gebied"].query("gebied.isna()")["buurt_code"].str[0]) == {"B"}
    # total area as SOURCES.md states for the dissolved stadsdelen: 243.6 km²
    assert a.tables["stadsdelen"].area.sum() / 1e6 == pytest.approx(243.6, abs=0.1)


@pytest.mark.real
def test_derived_wijken_and_stadsdelen_files_agree_with_the_union_of_buurten(real_dir, division_2022):
    c = read_area_division(
        real_dir / AREA_2022 / "amsterdam_buurten.geojson",
        wijken=real_dir / AREA_2022 / "wijken_afgeleid.geojson",
        stadsdelen=real_dir / AREA_2022 / "stadsdelen_afgeleid.geojson",
    )
    assert [r.read for r in c.rows] == [518, 110, 9] and all(r.balanced for r in c.rows)
    assert list(c.tables["wijken"]["wijk_code"]) == list(division_2022.tables["wijken"]["wijk_code"])
    diff = (c.tables["wijken"].area - division_2022.tables["wijken"].area).abs().max()
    assert diff < 1.0  # m²


@pytest.mark.real
def test_2025_api_layout_in_rd_with_names_from_2022(real_dir, division_2022):
    path = real_dir / "amsterdam-buurten-api-rd" / "amsterdam_buurten_rd.geojson"
    bare = read_area_division(path)
    # the API layout names no wijk or stadsdeel: said, not guessed
    assert any("wijk name(s) unknown" in p.message for p in bare.problems)
    assert bare.tables["wijken"]["name"].isna().all()
    a = read_area_division(path, names=division_2022)
    assert [len(a.tables[t]) for t in ("stadsdelen", "wijken", "buurten")] == [9, 110, 518]
    assert a.rows[0].read == 518 and a.rows[0].balanced
    assert set(a.tables["buurten"]["buurt_code"]) == set(division_2022.tables["buurten"]["buurt_code"])
    b = a.tables["buurten"].set_index("buurt_code")
    assert b.loc["AA01", "name"] == "Planciusbuurt-Noord"
    assert a.tables["wijken"].set_index("wijk_code").loc["AB", "name"] == "Jordaan"
    renamed = next(p for p in a.warnings if "name(s) differ" in p.message)
    assert len(renamed.values) == 2 and "KG01: 'BurgemeesterTellegenbuurt-West'" in renamed.values[1]
    assert b.loc["FN02", "name"] == "Jacques Veltmanbuurt"  # the 2025 spelling
    # some geometries changed after 2022 (SOURCES.md: the largest area difference is 8.5 %)
    old = division_2022.tables["buurten"].set_index("buurt_code").area
    rel = ((b.area - old.reindex(b.index)).abs() / old.reindex(b.index)).max()
    assert 0.08 < rel < 0.09


@pytest.mark.real
def test_llt_geo_validation_accepts_the_adapted_division(tmp_path, division_2022):
    ds = validate_with(tmp_path, division_2022, ("stadsdelen", "wijken", "buurten"))
    errors = [str(p) for p in ds.errors]
    assert not errors, errors
    assert len(ds.wijken) == 110 and len(ds.buurten) == 518 and len(ds.stadsdelen) == 9


def _tiny_layer(tmp_path: Path, features: list[dict], name: str = "buurten.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "name": "INDELING_BUURT", "features": features}))
    return path


def _square(x: float, y: float, d: float = 0.005) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


def _buurt(code: str, x: float, **extra) -> dict:
    props = {
        "CBS_Buurtcode": "BU0363" + code,
        "Buurtcode": code,
        "Buurt": f"Buurt {code}",
        "Wijkcode": code[:2],
        "Wijk": f"Wijk {code[:2]}",
        "Gebiedcode": "GA01",
        "Gebied": "Centrum-West",
        "Stadsdeelcode": code[0],
        "Stadsdeel": "Centrum",
    } | extra
    return {"type": "Feature", "properties": props, "geometry": _square(x, 52.37)}


def test_unknown_code_is_an_error_naming_file_column_rows_and_fix(tmp_path):
    path = _tiny_layer(tmp_path, [_buurt("AA01", 4.88), _buurt("ZA01", 4.89), _buurt("AA02", 4.90)])
    with pytest.raises(InputError) as err:
        read_area_division(path)
    text = str(err.value)
    assert "buurten.geojson, column 'Buurtcode': unknown code" in text
    assert "feature 2" in text and "'ZA01'" in text and "Fix:" in text
    # on_error="report": the feature is left out and reported, the rest is used
    a = read_area_division(path, on_error="report")
    assert list(a.tables["buurten"]["buurt_code"]) == ["AA01", "AA02"]
    assert a.rows[0].read == 3 and a.rows[0].mapped == 2 and a.rows[0].reported == 1
    assert list(a.extras["unmapped"]["code"]) == ["ZA01"]


def test_missing_column_is_an_error_naming_it(tmp_path):
    feature = _buurt("AA01", 4.88)
    del feature["properties"]["Buurt"]
    del feature["properties"]["Wijkcode"]
    feature["properties"]["Stadsdeelcode"] = "A"
    path = _tiny_layer(tmp_path, [feature])
    a = read_area_division(path)  # names and parent codes are optional: filled from the code, names reported
    assert a.tables["buurten"]["wijk_code"].tolist() == ["AA"]
    feature["properties"].pop("Buurtcode")
    path = _tiny_layer(tmp_path, [feature])
    with pytest.raises(InputError) as err:
        read_area_division(path)
    text = str(err.value)
    assert "buurten.geojson" in text and "column missing" in text and "Fix:" in text


def test_parent_code_that_disagrees_and_cbs_code_mismatch_are_reported(tmp_path):
    path = _tiny_layer(
        tmp_path,
        [_buurt("AA01", 4.88, Wijkcode="AB"), _buurt("AA02", 4.89, CBS_Buurtcode="BU0363AA09"), _buurt("AA03", 4.90)],
    )
    a = read_area_division(path, on_error="report")
    assert a.tables["buurten"]["buurt_code"].tolist() == ["AA03"]
    messages = {(p.column, p.rows) for p in a.errors}
    assert ("Wijkcode", (1,)) in messages and ("CBS_Buurtcode", (2,)) in messages


def test_rd_coordinates_without_crs_member_are_refused(tmp_path):
    f = _buurt("AA01", 4.88)
    f["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[121000, 487000], [121100, 487000], [121100, 487100], [121000, 487000]]],
    }
    with pytest.raises(InputError, match="do not fit the file's CRS"):
        read_area_division(_tiny_layer(tmp_path, [f]))


def test_a_declared_projected_crs_is_honoured(tmp_path):
    from pyproj import Transformer

    to_merc = Transformer.from_crs(4326, 3857, always_xy=True)
    f = _buurt("AA01", 4.88)
    f["geometry"]["coordinates"] = [[list(to_merc.transform(x, y)) for x, y in f["geometry"]["coordinates"][0]]]
    path = tmp_path / "buurten.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
                "features": [f],
            }
        )
    )
    a = read_area_division(path)
    x, y = a.tables["buurten"].geometry.iloc[0].exterior.coords[0]
    assert a.tables["buurten"].crs.to_epsg() == 28992
    assert 120000 < x < 123000 and 486000 < y < 489000
