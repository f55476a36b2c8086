"""The CSV files the stuurgroep opens: Dutch headers, the fictional-data notice in a first column
`Let op` on every row (never a line above the header), and read back right by pandas."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from llt_geo.labels import (
    COLUMNS_NL,
    FICTIONAL_SHORT,
    FILE_COLUMNS_NL,
    LET_OP,
    TERMS_NL,
    dutch_columns,
    dutch_header,
    dutch_headers,
    is_dutch_header,
    short_notice,
)
from llt_geo.present.export import write_csv

#: Every CSV `llt-geo run data/demo` writes (the demo's four scenarios included).
EXPECTED = {
    "overzicht_tabellen.csv",
    "toets_criteria.csv", "toets_kandidaten.csv", "toets_aantallen.csv", "toets_flats.csv",
    "partners_aanbieders.csv", "partners_harde_criteria.csv", "partners_scores.csv", "partners_toewijzing.csv",
    "partners_robuustheid.csv", "partners_welzijn.csv", "partners_welzijn_rollen.csv", "partners_corporatie.csv",
    "partners_keuzeproces.csv",
    "spreiding_stadsdelen.csv", "spreiding_wijken.csv", "spreiding_stad.csv", "voortgang.csv",
    "portefeuille_scenarios.csv", "portefeuille_kandidaten.csv", "portefeuille_basis.csv",
    "portefeuille_ruim_budget.csv", "portefeuille_sterker_accent.csv", "portefeuille_welzijn_onder_voorbehoud.csv",
    "portefeuille_bewoners_zwaarder.csv", "portefeuille_krap_budget.csv",
    "portefeuille_budgetladder.csv", "portefeuille_kernindex.csv",
}  # fmt: skip

SNAKE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")


def _read(path, **kw):
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", **kw)


def _header(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f, delimiter=";"))


@pytest.fixture(scope="module")
def run(demo_pack):
    """The folder one `llt-geo run` on the demo wrote (shared with the other tests of the pack)."""
    return demo_pack[0]


def test_every_expected_csv_is_written(run):
    assert {p.name for p in run.glob("*.csv")} == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_csv_reads_back_with_dutch_headers_and_the_notice_on_every_row(run, name):
    path = run / name
    header = _header(path)
    frame = _read(path)
    # the header row is line 1 and pandas sees every column of it (no notice line above it)
    first_line = path.read_bytes().decode("utf-8-sig").split("\n", 1)[0]
    assert first_line == ";".join(header) and not first_line.startswith("#")
    assert list(frame.columns) == header and len(header) > 1
    assert len(set(header)) == len(header), "headers are unique within a file"
    # Dutch: no English snake_case header, every header one the Dutch mapping makes
    assert not [h for h in header if SNAKE.fullmatch(h)], name
    assert [h for h in header if not is_dutch_header(h)] == [], name
    # the notice: the first column, on every row
    assert header[0] == LET_OP and len(frame) > 0
    assert frame[LET_OP].eq(FICTIONAL_SHORT).all() and frame[LET_OP].str.contains("FICTIEVE DEMODATA").all()
    # rows are whole: every line has as many fields as the header
    with path.open(encoding="utf-8-sig", newline="") as f:
        assert {len(r) for r in csv.reader(f, delimiter=";")} == {len(header)}


def test_numbers_read_back_as_numbers(run):
    cands = _read(run / "toets_kandidaten.csv")
    assert pd.api.types.is_integer_dtype(cands["aantal woningen"]) and cands["aantal woningen"].min() > 0
    assert pd.api.types.is_numeric_dtype(cands["afstand intramurale locatie (m)"])
    flats = _read(run / "toets_flats.csv")
    distance = flats["afstand locatie ZA01 (m)"]
    assert pd.api.types.is_numeric_dtype(distance) and distance.gt(0).all()
    assert pd.api.types.is_float_dtype(flats["x (RD, m)"]) and flats["x (RD, m)"].between(100_000, 140_000).all()
    criteria = _read(run / "toets_criteria.csv")
    assert pd.api.types.is_float_dtype(criteria["waarde"]) and pd.api.types.is_float_dtype(criteria["drempel"])
    scenarios = _read(run / "portefeuille_scenarios.csv")
    assert pd.api.types.is_numeric_dtype(scenarios["budget (€)"]) and scenarios["budget (€)"].gt(0).all()
    assert pd.api.types.is_integer_dtype(scenarios["flats in Nieuw-West (F)"])
    stadsdelen = _read(run / "spreiding_stadsdelen.csv")
    assert pd.api.types.is_float_dtype(stadsdelen["dekking 65+ (%)"])


def test_numbers_are_rounded_to_what_they_mean(run):
    """Euros, metres and people whole; shares as percentages with one decimal; scores with three;
    never ``inf`` or ``nan`` as text (issue 18, item 5)."""
    texts = {p.name: p.read_text(encoding="utf-8-sig") for p in sorted(run.glob("*.csv"))}
    for name, text in texts.items():
        cells = [c for line in text.splitlines()[1:] for c in line.split(";")]
        assert not {"inf", "-inf", "nan", "NaN", "<NA>"} & set(cells), name
        long = [c for c in cells if re.fullmatch(r"-?\d+,\d{4,}", c)]
        assert long == [], (name, long[:3])
    cands = _read(run / "toets_kandidaten.csv")
    assert pd.api.types.is_integer_dtype(cands["afstand intramurale locatie (m)"])
    subsidy = cands["subsidie (€)"]  # whole euros; an empty cell (unknown) makes pandas read floats
    assert subsidy.notna().any() and (subsidy.dropna() % 1 == 0).all()
    assert ";415000;" in texts["toets_kandidaten.csv"] and ";415000,0;" not in texts["toets_kandidaten.csv"]
    scen = _read(run / "portefeuille_scenarios.csv")
    assert pd.api.types.is_integer_dtype(scen["kosten (€)"]) and pd.api.types.is_integer_dtype(scen["budget (€)"])
    share = scen["aandeel flats in focusgebied (%)"].dropna()  # empty for the infeasible scenario
    assert share.between(0, 100).all() and (share.round(1) == share).all() and share.gt(1).any()
    stadsdelen = _read(run / "spreiding_stadsdelen.csv")
    # people whole; a stadsdeel whose 65+ figure is unknown has an empty cell, not a partial sum (issue 19)
    covered = stadsdelen["inwoners 65+ binnen bereik"]
    assert covered.notna().any() and (covered.dropna() % 1 == 0).all()
    a = _read(run / "partners_toewijzing.csv")
    assert (a["score voorkeursaanbieder"].dropna().round(3) == a["score voorkeursaanbieder"].dropna()).all()


def test_status_codes_stay_beside_their_dutch_reading_and_are_dutch_where_alone(run):
    criteria = _read(run / "toets_criteria.csv")
    assert set(criteria["oordeel (code)"]) == {"pass", "fail", "unknown"}
    assert set(criteria["oordeel"]) == {"voldoet", "voldoet niet", "onbekend"}
    assert (criteria["oordeel (code)"].map({"pass": "voldoet", "fail": "voldoet niet", "unknown": "onbekend"})
            == criteria["oordeel"]).all()  # fmt: skip
    cands = _read(run / "toets_kandidaten.csv")
    assert set(cands["omvang: oordeel"]) == {"voldoet", "voldoet niet"}  # no code column beside it: Dutch
    assert set(cands["fase (code)"]) == {"candidate", "realised"}
    assert set(cands["fase"]) == {"kandidaat", "gerealiseerd"}
    flats = _read(run / "toets_flats.csv")
    assert set(flats["fase"]) == {"kandidaat", "gerealiseerd"}
    assignment = _read(run / "partners_toewijzing.csv")
    assert set(assignment["oordeel 3.1"]) <= {"voldoet", "onbekend"}
    providers = _read(run / "partners_aanbieders.csv")
    assert set(providers["casemanagers dementie: oordeel"]) == {"voldoet", "voldoet niet"}


def test_no_label_no_let_op_column(tmp_path):
    frame = pd.DataFrame({"flat_id": ["F1", "F2"], "n_dwellings": [120, 95], "near_miss": [False, True]})
    path = write_csv(frame, tmp_path / "toets_x.csv")
    assert _header(path) == ["flatnummer", "aantal woningen", "bijna"]
    back = _read(path)
    assert LET_OP not in back.columns and back["aantal woningen"].tolist() == [120, 95]
    assert back["bijna"].tolist() == ["nee", "ja"]
    labelled = write_csv(frame, tmp_path / "toets_y.csv", label="Woningregister 2026 — VERTROUWELIJK, concept")
    assert _read(labelled)[LET_OP].tolist() == ["VERTROUWELIJK, concept"] * 2


def test_the_issue_case_three_columns_and_a_notice_read_back_as_three_plus_let_op(tmp_path):
    frame = pd.DataFrame({"candidate_id": ["G01", "LLT-002"], "value": [0.5, 1.25], "reason": ["a; b", "=c"]})
    path = write_csv(frame, tmp_path / "t.csv", label="Demodataset — FICTIEVE DEMODATA — gegenereerd (seed 1); x")
    back = _read(path)
    assert list(back.columns) == [LET_OP, "kandidaat", "waarde", "toelichting"]
    assert back["waarde"].tolist() == [0.5, 1.25] and back["toelichting"].tolist() == ["a; b", "'=c"]
    assert back[LET_OP].eq(FICTIONAL_SHORT).all()
    one_row = back.iloc[[1]]  # a row taken out alone still says the data is fictional
    assert "FICTIEVE DEMODATA" in one_row[LET_OP].iloc[0]


def test_csv_is_byte_identical_and_english_on_request(tmp_path):
    frame = pd.DataFrame({"flat_id": ["F1"], "status": ["candidate"], "n_dwellings": [100]}, index=[7])
    a = write_csv(frame, tmp_path / "a.csv", label="X — FICTIEVE DEMODATA")
    b = write_csv(frame, tmp_path / "b.csv", label="X — FICTIEVE DEMODATA")
    assert a.read_bytes() == b.read_bytes() and a.read_bytes().startswith("\ufeff".encode())
    assert _header(a) == [LET_OP, "flatnummer", "fase", "aantal woningen"]  # no status_nl beside it
    assert _read(a)["fase"].tolist() == ["kandidaat"]
    english = write_csv(frame, tmp_path / "e.csv", dutch=False)
    assert _header(english) == ["flat_id", "status", "n_dwellings"]
    assert _read(english)["status"].tolist() == ["candidate"]


def test_headers_follow_the_rules():
    assert dutch_header("afstand_locatie_ZA07", "toets_flats.csv") == "afstand locatie ZA07 (m)"
    assert dutch_header("residents_voice_score") == "stem van de bewoners: score"
    assert dutch_header("purchasing_agreement_reason") == "inkoopafspraken: toelichting"
    assert dutch_header("nultreden_status") == "nultredenwoningen: oordeel"
    assert dutch_header("flip_weight_cooperation") == "omslaggewicht samenwerking in de wijk"
    assert dutch_header("n_bibliotheek", "toets_flats.csv") == "bibliotheek: aantal binnen bereik"
    assert dutch_header("dist_ov_halte_m", "toets_flats.csv") == "ov-halte: afstand (m)"
    assert dutch_header("n_F", "portefeuille_scenarios.csv") == "flats in Nieuw-West (F)"
    assert dutch_header("n_Q", "portefeuille_scenarios.csv") == "flats in stadsdeel Q"
    assert dutch_header("in_extra", "portefeuille_kandidaten.csv") == "in scenario extra"
    assert dutch_header("reason_basis_nl", "portefeuille_kandidaten.csv") == "toelichting scenario basis"
    # a rule for one kind of file does not reach into another; an unknown name passes, or raises when strict
    assert dutch_header("in_extra", "toets_flats.csv") == "in_extra"
    assert dutch_header("something_new") == "something_new"
    with pytest.raises(KeyError, match="something_new"):
        dutch_header("something_new", strict=True)
    # a header that is already Dutch (the spread tables, through llt_geo.spread.in_dutch) passes as it is
    assert dutch_header("stadsdeelcode") == "stadsdeelcode" and dutch_header("kandidaat") == "kandidaat"
    assert dutch_header("status", "toets_criteria.csv") == "oordeel (code)"
    assert dutch_headers(["status", "status_nl"], "toets_criteria.csv") == ["oordeel (code)", "oordeel"]
    assert dutch_headers(["status"], "toets_flats.csv") == ["fase"]
    assert dutch_headers(["reason", "reason_nl"]) == ["toelichting", "toelichting [reason_nl]"]  # never twice


def test_the_dictionary_is_consistent():
    from llt_geo.eligibility import CRITERIA
    from llt_geo.partners import ASPECTS, HARD_CRITERIA, WELFARE_CONDITIONS
    from llt_geo.spread import COLUMNS_NL as SPREAD

    assert all(COLUMNS_NL[k] == v for k, v in SPREAD.items())  # one dictionary for every CSV
    assert set(CRITERIA) | set(HARD_CRITERIA) | set(WELFARE_CONDITIONS) | set(ASPECTS) <= set(TERMS_NL)
    dutch = set(COLUMNS_NL.values()) | {v for f in FILE_COLUMNS_NL.values() for v in f.values()}
    for header in dutch:  # a Dutch header is never an English name that means something else
        assert header not in COLUMNS_NL or COLUMNS_NL[header] == header, header
        assert not SNAKE.fullmatch(header), header
    assert short_notice("") == "" and short_notice("Naam — FICTIEVE DEMODATA — x; y") == FICTIONAL_SHORT


def test_dutch_columns_keeps_values_and_the_input():
    frame = pd.DataFrame({"eligibility": ["pass", "fail"], "eligibility_nl": ["geschikt", "niet geschikt"],
                          "size_status": pd.Categorical(["pass", None]), "reason": ["pass", "fail"]})  # fmt: skip
    out = dutch_columns(frame)
    assert list(out.columns) == ["eindoordeel (code)", "eindoordeel", "omvang: oordeel", "toelichting"]
    assert out["eindoordeel (code)"].tolist() == ["pass", "fail"]  # its Dutch reading is beside it
    assert out["omvang: oordeel"].iloc[0] == "voldoet" and pd.isna(out["omvang: oordeel"].iloc[1])
    assert out["toelichting"].tolist() == ["pass", "fail"]  # only status columns: other text is never changed
    assert list(frame.columns) == ["eligibility", "eligibility_nl", "size_status", "reason"]
