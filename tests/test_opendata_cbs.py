"""CBS Kerncijfers wijken en buurten through llt_geo.io.opendata.cbs: OData JSON, CSV and interpolation."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from llt_geo.errors import InputError
from llt_geo.io.opendata import cbs
from llt_geo.io.opendata.areas import read_area_division

from .conftest import REAL
from .test_opendata_areas import validate_with

KWB = REAL / "cbs-kwb-2024-amsterdam-wijken"
DATA_2024 = KWB / "stripped_filtered_data_2024_GM0363.json"
PROPS = KWB / "DataProperties.json"
AGES_2019 = REAL / "gensynthpop-cbs-buurten-leeftijd" / "Neighborhood_statistics.csv"
OLD = REAL / "cbs-buurten-amsterdam-oud"


@pytest.fixture(scope="module")
def real() -> Path:
    """The real open data folder, once per module (``real_dir`` is per test); skips when absent."""
    if not REAL.is_dir():
        pytest.skip(f"real open data not found at {REAL} (it sits beside the project in CI)")
    return REAL


@pytest.fixture(scope="module")
def division(real):
    return read_area_division(real / "amsterdam-gebiedsindeling-2022" / "amsterdam_buurten.geojson")


@pytest.fixture(scope="module")
def kwb_2024(division):
    return cbs.read_kwb_odata(DATA_2024, PROPS, division=division)


@pytest.fixture(scope="module")
def ages_2019(real):
    return cbs.read_kwb_csv(real / AGES_2019.relative_to(REAL))


@pytest.fixture(scope="module")
def old_buurten(real):
    old = real / OLD.relative_to(REAL)
    return cbs.read_old_buurten(old / "amsterdam_buurten_oud.geojson", old / "buurten_info.csv")


# --- OData JSON (kwb 2024) --------------------------------------------------------------------------------------


@pytest.mark.real
def test_topics_are_found_by_the_metadata_not_by_suffix(real_dir):
    fields, geo = cbs.map_topics(cbs.read_data_properties(real_dir / PROPS.relative_to(REAL)))
    assert geo == "WijkenEnBuurten"
    assert fields == {
        "residents_total": "AantalInwoners_5",
        "residents_65plus": "k_65JaarOfOuder_12",
        "dwellings": "Woningvoorraad_35",
    }


@pytest.mark.real
def test_kwb_2024_odata_gives_110_wijken_with_inhabitants(kwb_2024):
    w = kwb_2024.tables["wijken"].set_index("wijk_code")
    assert len(w) == 110 and w.crs.to_epsg() == 28992
    # figures as in the file
    raw = json.loads(DATA_2024.read_text())
    assert w.loc["AA", "residents_total"] == raw["WK0363AA"]["AantalInwoners_5"] == 9180
    assert w.loc["AB", "residents_total"] == 19685 and w.loc["AB", "name"] == "Jordaan"
    assert kwb_2024.extras["wijken_figures"].set_index("wijk_code").loc["AA", "dwellings"] == 5686
    # GM0363 is the municipality's total: a check on the wijken, not a wijk
    gm = kwb_2024.extras["gemeente"].set_index("field")
    assert gm.loc["residents_total", "gemeente"] == 931298 and gm.loc["residents_total", "diff"] == 8
    assert gm.loc["dwellings", "gemeente"] == gm.loc["dwellings", "sum_wijken"] == 480852
    # every record accounted for: 110 wijken + the municipality
    assert kwb_2024.rows[0].read == 111 and kwb_2024.rows[0].balanced and kwb_2024.rows[0].reported == 0
    # the file has no 65+ column: unknown for every wijk (never 0), and said
    assert w["residents_65plus"].isna().all()
    assert any("k_65JaarOfOuder_12" in p.message for p in kwb_2024.warnings)


@pytest.mark.real
def test_kwb_2024_wijken_pass_llt_geo_validation(tmp_path, division, kwb_2024):
    from llt_geo.io.opendata import Adapted

    combined = Adapted(tables={**division.tables, "wijken": kwb_2024.tables["wijken"]})
    ds = validate_with(tmp_path, combined, ("stadsdelen", "wijken", "buurten"))
    assert not ds.errors, [str(p) for p in ds.errors]
    assert int(ds.wijken["residents_total"].sum()) == 931290


def _odata_copy(tmp_path: Path, suffix_shift: int = 2) -> tuple[Path, Path]:
    """The real data in CBS's TypedDataSet layout, with every key's numeric suffix changed (another year)."""
    props = json.loads(PROPS.read_text())
    rename = {}
    for p in props:
        m = p.get("Key", "")
        if p.get("Type") == "Topic" and m[-1:].isdigit():
            stem, n = m.rsplit("_", 1)
            rename[m] = f"{stem}_{int(n) + suffix_shift}"
            p["Key"] = rename[m]
    raw = json.loads(DATA_2024.read_text())
    value = []
    for i, (code, rec) in enumerate(raw.items()):
        row = {"ID": i, "WijkenEnBuurten": code.ljust(10)} | {rename[k]: v for k, v in rec.items()}
        row[rename["k_65JaarOfOuder_12"]] = None if code == "WK0363AB" else 100  # null: CBS '.' in OData
        value.append(row)
    value.append({"ID": 999, "WijkenEnBuurten": "WK0384AA  ", rename["AantalInwoners_5"]: 500})  # Diemen
    value.append({"ID": 1000, "WijkenEnBuurten": "WK0363ZZ  ", rename["AantalInwoners_5"]: 10})
    (tmp_path / "DataProperties.json").write_text(json.dumps({"value": props}))
    (tmp_path / "TypedDataSet.json").write_text(json.dumps({"odata.metadata": "x", "value": value}))
    return tmp_path / "TypedDataSet.json", tmp_path / "DataProperties.json"


@pytest.mark.real
def test_odata_value_layout_with_other_suffixes_nulls_other_gemeente_and_unknown_code(tmp_path, division):
    data, props = _odata_copy(tmp_path)
    with pytest.raises(InputError) as err:
        cbs.read_kwb_odata(data, props, division=division)
    text = str(err.value)
    assert "TypedDataSet.json, column 'WijkenEnBuurten': unknown code" in text
    assert "record 113" in text and "'WK0363ZZ'" in text and "Fix:" in text
    a = cbs.read_kwb_odata(data, props, division=division, on_error="report")
    w = a.tables["wijken"].set_index("wijk_code")
    assert w.loc["AA", "residents_total"] == 9180 and w.loc["AA", "residents_65plus"] == 100
    assert pd.isna(w.loc["AB", "residents_65plus"])  # null is unknown, never 0
    assert a.extras["topics"].set_index("field").loc["residents_total", "key"] == "AantalInwoners_7"
    secret = [p for p in a.warnings if "figure unknown" in p.message and p.column == "k_65JaarOfOuder_14"]
    assert len(secret) == 1 and secret[0].rows == (3, 113)  # WK0363AB's null; WK0363ZZ has no such key
    outside = [p for p in a.warnings if "outside the municipality" in p.message]
    assert outside and outside[0].values == ("WK0384AA",)
    assert a.rows[0].read == 113 and a.rows[0].reported == 2 and a.rows[0].balanced
    assert set(a.extras["unmapped"]["code"]) == {"WK0384AA", "WK0363ZZ"}


# --- CSV -------------------------------------------------------------------------------------------------------


@pytest.mark.real
def test_buurt_figures_2019_csv_with_age_classes(ages_2019):
    b = ages_2019.tables["buurten"].set_index("buurt_code")
    assert len(b) == 469 and ages_2019.rows[0].read == 469 and ages_2019.rows[0].balanced
    assert b.loc["0000", "residents_total"] == 1035 and b.loc["0000", "residents_65plus"] == 75
    raw = ages_2019.extras["buurten_figures"]
    assert int(raw["residents_total"].sum()) == 861745 and int(raw["residents_65plus"].sum()) == 108680
    # two buurten of 0 inhabitants show 5 aged 65+ (CBS's random rounding to 5): unknown in the table, said
    over = next(p for p in ages_2019.warnings if "more residents aged 65+" in p.message)
    assert over.rows == (227, 427) and over.values == ("5 > 0", "5 > 0")
    assert b.loc[["4708", "9204"], "residents_65plus"].isna().all()
    assert int(b["residents_65plus"].sum()) == 108680 - 10


@pytest.mark.real
def test_buurten_info_csv_reports_the_rows_without_a_cbs_code(real_dir):
    path = real_dir / OLD.relative_to(REAL) / "buurten_info.csv"
    with pytest.raises(InputError, match=r"buurten_info.csv, column 'Regioaanduiding\|Codering'.*rows 275, 368"):
        cbs.read_kwb_csv(path)
    a = cbs.read_kwb_csv(path, on_error="report")
    assert a.rows[0].read == 481 and a.rows[0].mapped == 477 and a.rows[0].reported == 4
    assert int(a.tables["buurten"]["residents_total"].sum()) + 0 == 870355  # the four uncoded rows have 0 inhabitants
    assert a.tables["buurten"]["residents_65plus"].isna().all()  # no age column: AOW is not taken for 65+


def test_statline_csv_with_odata_keys_secret_marker_and_padding(tmp_path):
    props = [
        {"Key": "WijkenEnBuurten", "Type": "GeoDetail", "Title": "Wijken en buurten", "ID": 0},
        {"Key": "AantalInwoners_9", "Type": "Topic", "Title": "Aantal inwoners", "Unit": "aantal", "ID": 1},
        {"Key": "k_65JaarOfOuder_16", "Type": "Topic", "Title": "65 jaar of ouder", "Unit": "aantal", "ID": 2},
    ]
    (tmp_path / "DataProperties.json").write_text(json.dumps(props))
    path = tmp_path / "kwb.csv"
    path.write_text(
        '"ID";"WijkenEnBuurten";"Gemeentenaam_1";"AantalInwoners_9";"k_65JaarOfOuder_16"\n'
        '0;"GM0363    ";"Amsterdam ";"1500";"300"\n'
        '1;"WK0363AA  ";"Amsterdam ";"1000";"       ."\n'
        '2;"WK0363AB  ";"Amsterdam ";"500";"120"\n',
        encoding="utf-8-sig",
    )
    a = cbs.read_kwb_csv(path, data_properties=tmp_path / "DataProperties.json")
    w = a.tables["wijken"].set_index("wijk_code")
    assert w.loc["AA", "residents_total"] == 1000 and pd.isna(w.loc["AA", "residents_65plus"])
    assert w.loc["AB", "residents_65plus"] == 120
    secret = [p for p in a.warnings if "figure unknown" in p.message]
    assert secret[0].rows == (3,) and secret[0].column == "k_65JaarOfOuder_16"
    assert a.extras["gemeente"].set_index("field").loc["residents_total", "diff"] == 0


def test_kwb_file_short_names_and_a_count_that_is_not_a_number(tmp_path):
    path = tmp_path / "kwb-2019.csv"
    path.write_text("gwb_code_10;regio;a_inw;a_65_oo\nBU03630000;Kop Zeedijk;1035;75\nBU03630001;X;veel;60\n")
    with pytest.raises(InputError) as err:
        cbs.read_kwb_csv(path)
    assert "kwb-2019.csv, column 'a_inw': not a count in row 3 (values 'veel')" in str(err.value)


def test_missing_region_column_names_file_headers_and_fix(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text("buurt,inwoners\nKop Zeedijk,1035\n")
    with pytest.raises(InputError) as err:
        cbs.read_kwb_csv(path)
    text = str(err.value)
    assert "figures.csv" in text and "column missing" in text and "'buurt', 'inwoners'" in text
    assert "columns={'region': '<header>'}" in text
    a = cbs.read_kwb_csv(path.with_name("figures.csv"), columns={"region": "buurt"}, on_error="report")
    assert a.rows[0].reported == 1 and "not a CBS region code" in a.errors[0].message


# --- interpolation -----------------------------------------------------------------------------------------------


def test_area_weighted_interpolation_by_hand():
    # source S1 (100 residents) lies half in T1, half in T2; S2 (50) wholly in T2; S3 (unknown) wholly in T3
    src = gpd.GeoDataFrame(
        {"id": ["S1", "S2", "S3"], "n": [100.0, 50.0, None]},
        geometry=[box(0, 0, 200, 100), box(200, 0, 300, 100), box(300, 0, 400, 100)],
        crs=28992,
    )
    tgt = gpd.GeoDataFrame(
        {"code": ["T1", "T2", "T3", "T4"]},
        geometry=[box(0, 0, 100, 100), box(100, 0, 300, 100), box(300, 0, 400, 100), box(500, 0, 600, 100)],
        crs=28992,
    )
    out, problems = cbs.interpolate(src, tgt, ["n"], source_key="id", target_key="code")
    o = out.set_index("code")
    assert o.loc["T1", "n"] == pytest.approx(50) and o.loc["T1", "n_share_split"] == pytest.approx(1.0)
    assert o.loc["T2", "n"] == pytest.approx(100) and o.loc["T2", "n_share_split"] == pytest.approx(0.5)
    assert pd.isna(o.loc["T3", "n"]) and pd.isna(o.loc["T4", "n"])  # unknown source; no source at all
    assert o["n"].sum() == pytest.approx(150)  # nothing lost
    messages = " ".join(p.message for p in problems)
    assert "without a figure" in messages and "not covered by any source" in messages


@pytest.mark.real
def test_2019_buurt_figures_onto_the_2022_wijken(division, ages_2019, old_buurten):
    assert old_buurten.extras["areas"]["cbs_code"].notna().sum() == 477
    i = cbs.interpolate_old_figures(ages_2019, old_buurten, division, level="wijk")
    w = i.tables["wijken"].set_index("wijk_code")
    est = i.extras["interpolation"].set_index("wijk_code")
    assert len(w) == 110
    # Jordaan: made of whole old buurten, nothing estimated from split areas
    assert w.loc["AB", "residents_total"] == 19395 and w.loc["AB", "residents_65plus"] == 3225
    assert est.loc["AB", "residents_total_share_split"] == 0.0
    # Weesp was not part of Amsterdam in 2019: unknown, never 0
    assert w.loc[["SB", "SC", "SD", "SE"], "residents_total"].isna().all()
    unknown = set(w.index[w["residents_total"].isna()])
    assert unknown == {"SB", "SC", "SD", "SE", "AD", "KN", "MK", "ML", "MN", "MP", "NJ"}
    messages = " ".join(p.message for p in i.problems)
    assert "residents_total 1055, residents_65plus 325 left out" in messages  # Markengouw, no boundary
    assert "14 old buurt(en) without figures" in messages
    # a share from split areas is stated for every wijk with a figure
    assert est.loc[w["residents_total"].notna().to_numpy(), "residents_total_share_split"].notna().all()
    assert (est["residents_total_share_split"].dropna() > 0).sum() == 18
    assert est.loc["NF", "residents_total_share_split"] == pytest.approx(0.707, abs=0.001)


@pytest.mark.real
def test_interpolation_keeps_every_resident_when_empty_areas_are_named(division, ages_2019, old_buurten):
    missing = cbs.interpolate_old_figures(ages_2019, old_buurten, division).problems
    no_figures = next(p for p in missing if "old buurt(en) without figures" in p.message).values
    assert len(no_figures) == 14
    areas = old_buurten.extras["areas"]
    src_codes = set(ages_2019.tables["buurten"]["buurt_code"].radd("BU0363"))
    empty = [n for n, c in zip(areas["name"], areas["cbs_code"], strict=True) if c not in src_codes]
    assert len(empty) == 14 and set(empty) <= set(no_figures)
    i = cbs.interpolate_old_figures(ages_2019, old_buurten, division, assume_empty=empty)
    est = i.extras["interpolation"]
    assert set(est.loc[est["residents_total"].isna(), "wijk_code"]) == {"SB", "SC", "SD", "SE"}
    # every resident of the file reaches a wijk, but the 1055 of the two codes without a boundary (reported)
    assert est["residents_total"].sum() == pytest.approx(861745 - 1055, abs=0.5)
    assert est["residents_65plus"].sum() == pytest.approx(108680 - 325, abs=0.5)
    assert any("assume_empty" in p.message for p in i.warnings)
    with pytest.raises(InputError, match="assume_empty names an area"):
        cbs.interpolate_old_figures(ages_2019, old_buurten, division, assume_empty=["Jordaan"])


@pytest.mark.real
def test_interpolated_wijken_pass_llt_geo_validation(tmp_path, division, ages_2019, old_buurten):
    from llt_geo.io.opendata import Adapted

    i = cbs.interpolate_old_figures(ages_2019, old_buurten, division)
    b = cbs.interpolate_old_figures(ages_2019, old_buurten, division, level="buurt")
    combined = Adapted(tables={**division.tables, "wijken": i.tables["wijken"], "buurten": b.tables["buurten"]})
    ds = validate_with(tmp_path, combined, ("stadsdelen", "wijken", "buurten"))
    assert not ds.errors, [str(p) for p in ds.errors]
    assert ds.wijken["residents_65plus"].notna().sum() == 99
    # 22 in Weesp, 14 touching old buurten without figures; TA04 gets 65+ 5 > 0 inhabitants: unknown, reported
    assert ds.buurten["residents_total"].notna().sum() == 518 - 36
    assert ds.buurten["residents_65plus"].notna().sum() == 518 - 36 - 1
    assert any("TA04: 5 > 0" in p.values for p in b.warnings)
