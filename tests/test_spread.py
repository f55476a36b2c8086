"""Spread and progress (issue #8, items 1 and 2): hand-made cases whose answers can be worked out by hand."""

from __future__ import annotations

import io
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

import llt_geo
from llt_geo import InputError, load_config, load_dataset
from llt_geo.config import default_config
from llt_geo.present.plots import progress_chart
from llt_geo.screening import screen
from llt_geo.spread import (
    COLUMNS_NL,
    covered_share,
    dissimilarity_index,
    in_dutch,
    progress_table,
    residents_65plus_units,
    spread_measures,
    spread_report,
    spread_table,
)

from .conftest import FLAT_HEADER, make_dataset

# ---------------------------------------------------------------------------------------- coverage


def test_a_square_half_within_reach_is_half_covered():
    # a 10 m square whose middle line x = 5 is exactly 1,000 m from the flat: the left half is in reach
    # (the circle's curvature over 10 m moves the edge by 1 cm; the 256-gon by a few cm)
    share = covered_share([box(0, 0, 10, 10)], [Point(5 - 1000, 5)], 1000)
    assert share[0] == pytest.approx(0.5, abs=0.005)


def test_covered_share_whole_none_and_no_flats():
    polys = [box(0, 0, 100, 100), box(5000, 0, 5100, 100), None]
    share = covered_share(polys, [Point(50, 50)], 1000)
    assert share[0] == 1.0 and share[1] == 0.0 and np.isnan(share[2])
    assert covered_share(polys[:2], [], 1000).tolist() == [0.0, 0.0]


def test_two_flats_reach_is_a_union_not_a_sum():
    # two flats at the same place cover the square's left half once, not twice
    share = covered_share([box(0, 0, 10, 10)], [Point(-995, 5), Point(-995, 5)], 1000)
    assert share[0] == pytest.approx(0.5, abs=0.005)


def _tiny(tmp_path, *, config: str = "", f1_status: str = "gerealiseerd", f2_status: str = "kandidaat"):
    header = [*FLAT_HEADER, "status_year"]
    rows = [
        ["F1", "Flat een", "Corp A", 120, 100, 110, "ja", "ja", "ja", "", f1_status, 120500, 485500, 2024],
        ["F2", "Flat twee", "Corp A", 120, 100, 110, "ja", "ja", "ja", "", f2_status, 121300, 485400, ""],
    ]
    folder = make_dataset(tmp_path / "tiny", changes={"flats": (header, rows)}, config=config)
    ds = load_dataset(folder)
    return ds, screen(ds)


def test_coverage_of_a_disc_inside_a_square_stadsdeel(tmp_path):
    # stadsdeel A is a 1 km square with 100 residents 65+ (its wijk), M beside it has 300. A realised
    # flat in A's centre reaches 500 m: a disc that just fits in A, covering π/4 of it and none of M.
    ds, s = _tiny(tmp_path, config="[spread]\ncoverage_distance_m = 500\n")
    sp = spread_report(s, ds)
    by = sp.stadsdelen.set_index("stadsdeel_code")
    assert by.loc["A", "coverage"] == pytest.approx(math.pi / 4, rel=1e-3)
    assert by.loc["M", "coverage"] == 0.0
    assert by.loc["A", "covered_65plus"] == pytest.approx(100 * math.pi / 4, rel=1e-3)
    assert sp.coverage == pytest.approx(100 * math.pi / 4 / 400, rel=1e-3)
    assert sp.distance_m == 500.0
    # the default distance comes from [spread]; an explicit one wins
    assert spread_report(s, ds, distance_m=2000).coverage == pytest.approx(1.0)


def test_residents_from_buurten_where_every_buurt_has_figures_else_the_wijk():
    wijken = gpd.GeoDataFrame(
        {"wijk_code": ["AA", "MA"], "residents_65plus": pd.array([100, 300], dtype="Int64")},
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)],
        crs=28992,
    )
    buurten = gpd.GeoDataFrame(
        {
            "buurt_code": ["AA01", "AA02", "MA01", "MA02"],
            "residents_65plus": pd.array([30, 50, 7, None], dtype="Int64"),
        },
        geometry=[box(0, 0, 5, 10), box(5, 0, 10, 10), box(10, 0, 15, 10), box(15, 0, 20, 10)],
        crs=28992,
    )
    units = residents_65plus_units(wijken, buurten)
    got = units.set_index("unit_code")[["level", "wijk_code", "stadsdeel_code", "residents_65plus"]]
    assert got.to_dict("index") == {
        "AA01": {"level": "buurt", "wijk_code": "AA", "stadsdeel_code": "A", "residents_65plus": 30.0},
        "AA02": {"level": "buurt", "wijk_code": "AA", "stadsdeel_code": "A", "residents_65plus": 50.0},
        # one buurt of MA lacks figures: the wijk's own figure is used, over the whole wijk
        "MA": {"level": "wijk", "wijk_code": "MA", "stadsdeel_code": "M", "residents_65plus": 300.0},
    }
    assert residents_65plus_units(wijken, None)["level"].tolist() == ["wijk", "wijk"]


def _split_m(tmp_path, *, mb_figure: str = ""):
    """The tiny world with stadsdeel M in two wijken: MA (300 residents 65+) and MB (``mb_figure``;
    empty: no figure), one buurt each without figures; F1 realised in A, F2 chosen in MA."""
    from .conftest import box_wkt, tiny_tables

    wijken = (
        ["wijk_code", "name", "residents_total", "residents_65plus", "geometry"],
        [
            ["AA", "Wijk AA", 1000, 100, box_wkt(120000, 485000, 121000, 486000)],
            ["MA", "Wijk MA", 1000, 300, box_wkt(121000, 485000, 121500, 486000)],
            ["MB", "Wijk MB", 1000 if mb_figure else "", mb_figure, box_wkt(121500, 485000, 122000, 486000)],
        ],
    )
    buurten = (
        ["buurt_code", "name", "geometry"],
        [
            ["AA01", "Buurt AA01", box_wkt(120000, 485000, 121000, 486000)],
            ["MA01", "Buurt MA01", box_wkt(121000, 485000, 121500, 486000)],
            ["MB01", "Buurt MB01", box_wkt(121500, 485000, 122000, 486000)],
        ],
    )
    header = [*FLAT_HEADER, "status_year"]
    flats = [
        ["F1", "Flat een", "Corp A", 120, 100, 110, "ja", "ja", "ja", "", "gerealiseerd", 120500, 485500, 2024],
        ["F2", "Flat twee", "Corp A", 120, 100, 110, "ja", "ja", "ja", "", "gekozen", 121250, 485500, 2024],
    ]
    assert set(tiny_tables()) >= {"wijken", "buurten"}
    folder = make_dataset(tmp_path / "split", changes={"wijken": wijken, "buurten": buurten, "flats": (header, flats)})
    ds = load_dataset(folder)
    return ds, screen(ds)


def test_an_area_without_65plus_figures_is_unknown_in_its_own_row_and_never_partly_counted(tmp_path):
    # MB has no 65+ figure: M's residents are not MA's 300 (a partial sum), its share and coverage are unknown,
    # and MB's own row in the wijken table says unknown, not 0
    ds, s = _split_m(tmp_path)
    sp = spread_report(s, ds)
    sd = sp.stadsdelen.set_index("stadsdeel_code")
    assert sd.loc["A", "residents_65plus"] == 100 and sd.loc["A", "residents_unknown_areas"] == 0
    for col in ("residents_65plus", "share_65plus", "representation", "covered_65plus", "coverage"):
        assert np.isnan(sd.loc["M", col]), col
    assert sd.loc["M", "residents_unknown_areas"] == 1
    assert sd.loc["M", "llt_flats"] == 1  # the flats are known: only the residents are not
    wk = sp.wijken.set_index("wijk_code")
    assert wk.loc["MA", "residents_65plus"] == 300 and wk.loc["MA", "coverage"] >= 0
    assert np.isnan(wk.loc["MB", "residents_65plus"]) and np.isnan(wk.loc["MB", "coverage"])
    assert wk.loc["MB", "residents_unknown_areas"] == 1
    # the city: coverage over the areas with figures, the unknown areas counted; D over the complete stadsdelen
    city = sp.city.set_index("measure")["value"]
    assert city["residents_65plus"] == 400 and city["residents_unknown_areas"] == 1
    assert sp.coverage == pytest.approx(city["covered_65plus"] / 400)
    assert np.isnan(sp.dissimilarity) or sp.dissimilarity == pytest.approx(0.0)  # A alone: nothing to compare
    # the note counts what the table shows: the areas (sum of the column) and the stadsdelen read unknown
    n_table = int(sd["residents_unknown_areas"].sum())
    assert len(sp.notes) == 1 and sp.notes[0].startswith(f"{n_table} wijk zonder cijfers 65+ (MB)")
    unknown_sd = sd.index[sd["residents_65plus"].isna()].tolist()
    assert f"onbekend in {len(unknown_sd)} stadsdeel ({', '.join(unknown_sd)})" in sp.notes[0]
    assert any("stadsdelen met volledige cijfers: A" in d for d in sp.details_nl)
    # with MB's figure every row is known again, and M counts both wijken
    ds2, s2 = _split_m(tmp_path / "known", mb_figure="200")
    sd2 = spread_report(s2, ds2).stadsdelen.set_index("stadsdeel_code")
    assert sd2.loc["M", "residents_65plus"] == 500 and sd2.loc["M", "share_65plus"] == pytest.approx(500 / 600)
    assert spread_report(s2, ds2).notes == []


# ---------------------------------------------------------------------------------------- balance


def test_dissimilarity_index_on_two_stadsdelen():
    # residents 65+: 100 in A, 300 in M (r = 0.25, 0.75)
    assert dissimilarity_index([1, 1], [100, 300]) == pytest.approx(0.25)  # f = 0.5, 0.5
    assert dissimilarity_index([1, 0], [100, 300]) == pytest.approx(0.75)  # all flats in A
    assert dissimilarity_index([1, 3], [100, 300]) == pytest.approx(0.0)  # exactly like the residents
    assert np.isnan(dissimilarity_index([0, 0], [100, 300]))


def test_measures_for_a_given_set_of_flats(tmp_path):
    ds, s = _tiny(tmp_path)
    # default: the realised flat F1 only, in A
    assert spread_measures(s, ds)["dissimilarity"] == pytest.approx(0.75)
    m = spread_measures(s, ds, ["F1", "F2"])
    assert m["dissimilarity"] == pytest.approx(0.25) and m["n_flats"] == 2
    assert set(m["coverage_per_stadsdeel"].index) == {"A", "M"}
    with pytest.raises(ValueError, match="F9"):
        spread_measures(s, ds, ["F1", "F9"])


def test_table_counts_by_status_and_shares(tmp_path):
    ds, s = _tiny(tmp_path, f2_status="gekozen")
    sd = spread_table(s, ds).set_index("stadsdeel_code")
    assert sd[["realised", "chosen", "in_development", "llt_flats"]].to_dict("index") == {
        "A": {"realised": 1, "chosen": 0, "in_development": 0, "llt_flats": 1},
        "M": {"realised": 0, "chosen": 1, "in_development": 0, "llt_flats": 1},
    }
    assert sd["share_flats"].tolist() == [0.5, 0.5]
    assert sd["share_65plus"].tolist() == [0.25, 0.75]
    assert sd["representation"].tolist() == [2.0, pytest.approx(2 / 3)]
    # no focus areas given: masterplan membership is unknown, and stays unknown
    assert sd["llt_masterplan_unknown"].tolist() == [1, 1] and sd["share_masterplan"].isna().all()
    city = spread_table(s, ds, level="stad").set_index("measure")["value"]
    assert city["llt_flats"] == 2 and city["dissimilarity"] == pytest.approx(0.25)
    assert np.isnan(city["share_masterplan"]) and city["llt_masterplan_unknown"] == 2
    nl = in_dutch(sd.reset_index())
    assert "dekking 65+" in nl.columns and "inwoners 65+" in nl.columns
    wk = spread_table(s, ds, level="wijk")
    assert wk["wijk_code"].tolist() == ["AA", "MA"] and wk["figures_from"].tolist() == ["wijk", "wijk"]


def test_coverage_distance_is_checked(tmp_path):
    (tmp_path / "llt_geo.toml").write_text("[spread]\ncoverage_distance_m = 0\n")
    with pytest.raises(InputError, match="coverage_distance_m"):
        load_config(tmp_path)
    assert default_config()["spread"]["coverage_distance_m"] == 1000.0


# ---------------------------------------------------------------------------------------- progress


def _register() -> pd.DataFrame:
    # realised: 1 in 2020, 2 in 2021, 3 in 2022; 2 chosen and 1 in development in 2022; 2 candidates
    # without a year and 1 realised without a year
    rows = (
        [("realised", 2020)]
        + [("realised", 2021)] * 2
        + [("realised", 2022)] * 3
        + [("chosen", 2022)] * 2
        + [("in_development", 2022)]
        + [("candidate", None)] * 2
        + [("realised", None)]
    )
    return pd.DataFrame(
        {
            "flat_id": [f"F{i}" for i in range(len(rows))],
            "status": pd.array([r[0] for r in rows], dtype="string"),
            "status_year": pd.array([r[1] for r in rows], dtype="Int64"),
        }
    )


def test_progress_extrapolation_and_requirement_per_year():
    cfg = default_config()  # 30 by 2030
    t = progress_table(_register(), cfg, year=2022)
    a = t.attrs
    # 6 dated + 1 undated realised = 7 by 2022, over 2020-2022 (3 years): 7/3 per year
    assert a["realised"] == 7 and a["first_realised_year"] == 2020
    assert a["pace_per_year"] == pytest.approx(7 / 3)
    assert a["projected_goal_year"] == pytest.approx(7 + 7 / 3 * 8)  # 25.67 in 2030
    assert a["gap"] == 23 and a["remaining_years"] == 8 and a["required_per_year"] == 3  # ceil(23/8)
    assert a["pipeline"] == 3 and a["to_choose"] == 20 and a["choose_per_year"] == 3  # ceil(20/8)
    assert a["unknown_year"] == {"candidate": 2, "chosen": 0, "in_development": 0, "realised": 1}
    assert a["summary_nl"] == (
        "7 van 30 gerealiseerd (2022); bij dit tempo 25 in 2030; nog 23 nodig: 3 per jaar "
        "(nog te kiezen: 20, 3 per jaar); zonder statusjaar: 2 kandidaten, 1 gerealiseerd"
    )
    years = t[t["year"].notna()].set_index("year")
    assert years.index.tolist() == list(range(2020, 2031))
    assert years.loc[2022, ["realised", "chosen", "in_development"]].tolist() == [3, 2, 1]
    assert years["realised_cumulative"].dropna().tolist() == [1, 3, 6]  # dated flats only
    assert years.loc[2030, "projected_cumulative"] == pytest.approx(7 + 7 / 3 * 8)
    assert years.loc[2030, "required_cumulative"] == 30
    last = t.iloc[-1]
    assert pd.isna(last["year"]) and last["year_nl"] == "onbekend" and last["candidate"] == 2


def test_progress_reference_year_from_today_and_goal_reached():
    cfg = default_config()
    cfg["validation"]["today"] = "2024-06-01"
    t = progress_table(_register(), cfg)
    assert t.attrs["reference_year"] == 2024 and t.attrs["reference_source"] == "[validation] today"
    assert t.attrs["pace_per_year"] == pytest.approx(7 / 5)  # 2020-2024
    cfg["programme"]["goal_flats"] = 5
    assert "doel bereikt" in progress_table(_register(), cfg, year=2022).attrs["summary_nl"]


def test_progress_counts_a_group_once_by_its_lead_member():
    flats = pd.DataFrame(
        {
            "flat_id": ["A", "B", "C"],
            "candidate_id": ["G", "G", "C"],
            "n_dwellings": [40, 70, 120],
            "status": ["candidate", "realised", "realised"],
            "status_year": pd.array([None, 2023, 2024], dtype="Int64"),
        }
    )
    a = progress_table(flats, default_config(), year=2024).attrs
    assert a["realised"] == 2 and a["unknown_year"]["candidate"] == 0  # B leads group G (70 dwellings)


# ---------------------------------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def demo():
    ds = llt_geo.load_demo()
    return ds, screen(ds)


def test_demo_spread_reconciles_with_the_screening_counts(demo):
    ds, s = demo
    counts = s.counts.set_index("status")
    sp = spread_report(s, ds)
    sd, wk = sp.stadsdelen, sp.wijken
    assert int(sd["realised"].sum()) == int(counts.loc["realised", "candidates"]) == 21
    assert int(sd["open_candidates"].sum()) == int(counts.loc["candidate", "candidates"])
    assert int(sd["open_pass"].sum()) == int(counts.loc["candidate", "pass"])
    assert int(sd["llt_flats"].sum()) == 21 and sd["share_flats"].sum() == pytest.approx(1.0)
    for col in ("realised", "open_candidates", "open_pass", "llt_flats", "residents_unknown_areas"):
        assert wk[col].sum() == pytest.approx(sd[col].sum())
    # a stadsdeel's residents 65+ are the sum of its wijken's when every wijk has a figure, else unknown
    by_sd = wk.assign(sd=wk["stadsdeel_code"].astype(str)).groupby("sd")
    for col in ("residents_65plus", "covered_65plus"):
        complete = by_sd[col].apply(lambda v: v.notna().all())
        sums = by_sd[col].sum()
        got = sd.set_index("stadsdeel_code")[col]
        for code in got.index:
            if complete.get(code, False):
                assert got[code] == pytest.approx(sums[code]), (col, code)
            else:
                assert np.isnan(got[code]), (col, code)
    # a wijk whose buurten all carry figures counts its buurten's residents, any other its own figure (unknown: none)
    buurten = ds.buurten.assign(wijk_code=ds.buurten["buurt_code"].str.slice(0, 2))
    complete = buurten.groupby("wijk_code")["residents_65plus"].agg(lambda r: r.notna().all())
    by_buurt = set(complete.index[complete])
    assert 0 < len(by_buurt) < len(ds.wijken)  # the demo has both (real CBS figures, some unknown)
    from_buurten = buurten.loc[buurten["wijk_code"].isin(by_buurt), "residents_65plus"].sum()
    from_wijken = ds.wijken.loc[~ds.wijken["wijk_code"].isin(by_buurt), "residents_65plus"].sum()
    city = sp.city.set_index("measure")["value"]
    assert city["residents_65plus"] == from_buurten + from_wijken  # every area with figures, once
    assert set(wk.loc[wk["wijk_code"].isin(by_buurt), "figures_from"]) == {"buurten"}
    assert set(wk.loc[~wk["wijk_code"].isin(by_buurt), "figures_from"]) == {"wijk"}
    assert 0 < sp.coverage < 1 and 0 < sp.dissimilarity < 1
    assert sp.coverage == pytest.approx(city["covered_65plus"] / city["residents_65plus"])
    # D over the stadsdelen whose residents are known: in the demo's real CBS figures some stadsdelen hold a
    # wijk without a 65+ figure (Weesp's wijken above all); they read unknown and are left out
    known = sd["residents_unknown_areas"] == 0
    assert sd["residents_65plus"].notna().tolist() == known.tolist()
    assert "S" in sd.loc[~known, "stadsdeel_code"].tolist()
    # the note counts the wijken the tables show without figures, and names the stadsdelen read unknown
    n_unknown = int(sd["residents_unknown_areas"].sum())
    assert n_unknown == int(wk["residents_65plus"].isna().sum()) == int(city["residents_unknown_areas"])
    assert sp.notes[0].startswith(f"{n_unknown} wijken zonder cijfers 65+")
    assert f"({', '.join(sd.loc[~known, 'stadsdeel_code'])})" in sp.notes[0]
    assert sp.dissimilarity == pytest.approx(
        dissimilarity_index(sd.loc[known, "llt_flats"], sd.loc[known, "residents_65plus"])
    )
    assert set(in_dutch(sd).columns) <= set(COLUMNS_NL.values())


def test_demo_progress(demo):
    ds, s = demo
    t = progress_table(s.candidates, ds.config, year=2025)
    assert t.attrs["realised"] == int(s.counts.set_index("status").loc["realised", "flats"]) == 21
    assert t.attrs["unknown_year"]["candidate"] == int(s.counts.set_index("status").loc["candidate", "candidates"])
    assert t.attrs["summary_nl"].startswith(
        "21 van 30 gerealiseerd (2025); bij dit tempo 38 in 2030; nog 9 nodig: 2 per jaar"
    )
    # the same from the flat table (a group once) and with the reference year taken from the data
    assert progress_table(s.flats, ds.config).attrs["summary_nl"] == t.attrs["summary_nl"]


def test_progress_chart_is_dutch_and_deterministic(demo):
    ds, s = demo
    t = progress_table(s.candidates, ds.config, year=2025)

    def png() -> bytes:
        buf = io.BytesIO()
        progress_chart(t).savefig(buf, format="png", dpi=60)
        return buf.getvalue()

    fig = progress_chart(t)
    ax = fig.axes[0]
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert ax.get_xlabel() == "jaar" and "gerealiseerd (cumulatief)" in labels and "doel: 30 in 2030" in labels
    assert png() == png()
