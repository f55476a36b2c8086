"""The traceability table (issue 9, item 5; issue 19, item 7) against the real package and its results on the demo.

Every listed function must import and be callable, every (result, column) must exist in the result
objects the chain produces, every long-table value must occur, every configuration key must exist;
the committed docs/traceability.md must equal to_markdown(); and a renamed function or column must
make the check fail (shown on deliberately wrong records). Against the Toewijzingskader statement by
statement (issue 19, item 7): every statement has one row (no two rows quote the same words), the
statements the table missed have a row, a fixed sentence is not called computed, the steps of 2.4
are filed under 2.4, and the recorded 3.2-1 cannot contradict the computed 3.1 meeting room.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pandas as pd
import pytest

import llt_geo
from llt_geo import audit
from llt_geo.present import traceability as tr

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def chain():
    """Every result object the table refers to, by the name its result paths start with."""
    ds = llt_geo.load_demo()
    # the weight-robustness re-solves add one column this table does not use; leave them out for speed
    results = llt_geo.run(ds, robustness=False)
    outputs = {
        "Screening": results.screening,
        "PartnerChoice": results.partners,
        "Portfolio": results.portfolio,
        "Spread": results.spread,
        "progress_table()": results.progress,
    }
    return outputs, ds.config


STATEMENTS = tr.statements()


@pytest.mark.parametrize("statement", STATEMENTS, ids=[s.id for s in STATEMENTS])
def test_every_statement_holds_against_the_package(statement, chain):
    outputs, config = chain
    assert audit.check(statement, outputs, config) == []


@pytest.mark.parametrize("statement", [s for s in STATEMENTS if s.function], ids=lambda s: s.id)
def test_every_function_resolves_to_a_callable(statement):
    for place in tr.places(statement):
        fn = audit.resolve_function(place.function)
        assert callable(fn)
        assert fn.__module__.startswith("llt_geo")


def test_every_config_key_exists_in_the_default_configuration():
    cfg = llt_geo.default_config()
    for s in STATEMENTS:
        for key in filter(None, s.config_key.split(", ")):
            section, _, name = key.partition(".")
            assert name in cfg[section], f"{s.id}: {key}"


def test_ids_are_unique_and_every_section_is_present():
    ids = [s.id for s in STATEMENTS]
    assert len(ids) == len(set(ids))
    assert {s.section for s in STATEMENTS} == set(tr.SECTIONS)
    for section in ("2.2", "2.3", "2.4", "3.1", "3.2", "4.1", "4.2", "Inleiding"):
        assert any(s.section == section for s in STATEMENTS), section
    # the order follows the framework
    order = [tr.SECTIONS.index(s.section) for s in STATEMENTS]
    assert order == sorted(order)


def test_the_framework_is_covered_item_by_item():
    """The lists of the framework, each with one row per item (the parts the issue names)."""
    by_section = {}
    for s in STATEMENTS:
        by_section.setdefault(s.section, []).append(s)
    from llt_geo.eligibility import CRITERIA
    from llt_geo.partners import CORPORATION_ITEMS, HARD_CRITERIA, WELFARE_CONDITIONS, WELFARE_ROLES
    from llt_geo.schema import PROCESS_ITEMS

    def values(section, column):
        return {s.value for s in by_section[section] if s.column == column and s.value}

    assert values("3.1", "criterion") == set(CRITERIA)  # the seven flat criteria
    assert values("2.3", "criterion") == set(HARD_CRITERIA)  # every hard criterion
    steps = {k for k in PROCESS_ITEMS if k.startswith("step")}
    options = {k for k in PROCESS_ITEMS if k.startswith("pos_")}
    assert len(steps) == 4 and len(options) == 6
    assert values("2.4", "item") == steps | options  # the four steps and every positioning option, all in 2.4
    assert values("2.3", "item") == set()
    assert values("3.2", "item") == set(CORPORATION_ITEMS)  # the six expectations of 3.2
    roles = {s.value or s.column.removesuffix("_status") for s in by_section["4.1"] if s.kind != "niet gedekt"}
    assert roles == set(WELFARE_ROLES)  # the seven roles of 4.1
    conditions = {s.column.removesuffix("_status") for s in by_section["4.2"]}
    assert conditions == {c for c, (_l, sec) in WELFARE_CONDITIONS.items() if sec == "4.2"}
    aspects = {s.column.removesuffix("_score") for s in STATEMENTS if s.result == "PartnerChoice.scores"}
    from llt_geo.partners import ASPECTS

    assert aspects == set(ASPECTS)  # every weighted aspect, residents' voice and clients included


def test_csv_files_are_written_by_the_main_job():
    """Each listed CSV is one `llt-geo run` writes (a literal name in present/pack.py, or its per-scenario template)."""
    source = (ROOT / "llt_geo" / "present" / "pack.py").read_text(encoding="utf-8")
    names = set(re.findall(r"[\"']([a-z_]+\.csv)[\"']", source))
    templates = [re.compile(re.sub(r"\\\{[^}]*\\\}", "[a-z_]+", re.escape(t)) + "$")
                 for t in re.findall(r"f[\"']([a-z_]*\{[^}]+\}[a-z_]*\.csv)[\"']", source)]
    assert templates, "present/pack.py no longer writes per-scenario CSVs"
    for s in STATEMENTS:
        for place in tr.places(s):
            if place.csv:
                assert place.csv in names or any(t.match(place.csv) for t in templates), f"{s.id}: {place.csv}"


def test_dutch_csv_headers_are_the_real_ones():
    from llt_geo.spread import COLUMNS_NL

    for s in STATEMENTS:
        if s.csv in ("spreiding_stadsdelen.csv", "voortgang.csv"):
            assert tr.csv_header(s) == COLUMNS_NL[s.column]


def test_counts_add_up_and_are_stated():
    c = tr.counts()
    assert set(c) == set(tr.KINDS)
    assert sum(c.values()) == len(STATEMENTS)
    for kind in tr.KINDS:
        assert c[kind] == sum(s.kind == kind for s in STATEMENTS)
    sentence = f"{len(STATEMENTS)} uitspraken: {c['berekend']} berekend, {c['vastgelegd']} vastgelegd, " \
               f"{c['niet gedekt']} niet gedekt"
    assert sentence in tr.to_markdown()
    assert sentence in tr.to_html()
    assert 40 <= len(STATEMENTS) <= 70  # the mission expects about 48


def test_statements_not_covered_say_why_and_are_listed():
    md = tr.to_markdown()
    for s in STATEMENTS:
        if s.kind == "niet gedekt":
            assert len(s.note) > 20
            assert f"**{s.id}**" in md


def test_table_has_the_dutch_headers_and_one_row_per_statement():
    t = tr.table()
    assert list(t.columns) == ["Nr", "Sectie", "Uitspraak", "Soort", "Functie", "Uitvoer (tabel, kolom)",
                               "Bestand", "Instelling", "Opmerking"]
    assert len(t) == len(STATEMENTS)
    assert t["Nr"].tolist() == [s.id for s in STATEMENTS]


def test_committed_document_equals_to_markdown():
    doc = (ROOT / "docs" / "traceability.md").read_text(encoding="utf-8")
    assert doc == tr.to_markdown(), "regenerate docs/traceability.md: python -m llt_geo.present.traceability"


def test_html_escapes_every_cell():
    evil = dataclasses.replace(STATEMENTS[0], id="x", statement_nl="<script>alert(1)</script> & 'zo'")
    original = tr._STATEMENTS
    try:
        tr._STATEMENTS = (evil,)
        out = tr.to_html()
    finally:
        tr._STATEMENTS = original
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp;" in out
    assert out.count("<tr>") == 2  # the header and the one row


def _broken():
    hard = next(s for s in STATEMENTS if s.id == "2.3-h1")
    size = next(s for s in STATEMENTS if s.id == "3.1-c3")
    goal = next(s for s in STATEMENTS if s.id == "inl-1")
    reasons = next(s for s in STATEMENTS if s.id == "inl-5")
    return {
        "renamed function": dataclasses.replace(hard, function="llt_geo.partners.hard_criteria_v2"),
        "renamed module": dataclasses.replace(hard, function="llt_geo.partner.hard_criteria"),
        "not callable": dataclasses.replace(hard, function="llt_geo.partners.HARD_CRITERIA"),
        "renamed column": dataclasses.replace(hard, column="criterium"),
        "renamed value": dataclasses.replace(size, value="omvang"),
        "renamed result attribute": dataclasses.replace(hard, result="PartnerChoice.harde_criteria"),
        "unknown result object": dataclasses.replace(goal, result="Voortgang"),
        "unknown scenario": dataclasses.replace(reasons, result="Portfolio.scenarios['basisch'].reasons"),
        "not a table": dataclasses.replace(goal, result="Portfolio.scenarios['basis'].explanation"),
        "unknown config key": dataclasses.replace(size, config_key="eligibility.min_woningen"),
        "unknown kind": dataclasses.replace(size, kind="berekend?"),
        "covered without a column": dataclasses.replace(size, column="", value=""),
        "not covered without a reason": dataclasses.replace(size, kind="niet gedekt", note=""),
        "renamed function in a further place": dataclasses.replace(
            reasons, also=(tr.Ref("llt_geo.partners.corporation_list", "PartnerChoice.corporation", "item"),)
        ),
        "renamed value in a further place": dataclasses.replace(
            reasons, also=(tr.Ref("llt_geo.partners.corporation_checklist", "PartnerChoice.corporation", "item",
                                  "consent"),)
        ),
        "unknown input column": dataclasses.replace(
            next(s for s in STATEMENTS if s.id == "3.1-c4"), inputs="flats.meeting_room, flats.open_for_buurt"
        ),
        "unknown input table": dataclasses.replace(
            next(s for s in STATEMENTS if s.id == "3.1-c4"), inputs="flat.meeting_room"
        ),
        "input columns on a recorded statement": dataclasses.replace(
            next(s for s in STATEMENTS if s.id == "3.2-1"), inputs="flats.meeting_space_open"
        ),
    }


@pytest.mark.parametrize("case", list(_broken()))
def test_the_check_fails_on_a_wrong_record(case, chain):
    outputs, config = chain
    assert audit.check(_broken()[case], outputs, config) != []


def test_every_listed_csv_column_is_in_the_csv_the_pack_writes(demo_pack):
    """The 'Bestand' column names the header as the stuurgroep sees it in Excel: check it in the files."""
    import csv

    from llt_geo.present.traceability import csv_header, statements

    out, _ = demo_pack
    checked = 0
    for s in statements():
        for place in tr.places(s):
            if not (place.csv and place.column) or "<" in place.csv:
                continue
            with open(out / place.csv, encoding="utf-8-sig", newline="") as f:
                header = next(csv.reader(f, delimiter=";"))
            assert csv_header(place) in header, (s.id, place.csv, csv_header(place))
            checked += 1
    assert checked >= 40


# --------------------------------------------------------------------------------------------
# Issue 19, item 7: the table checked against the Toewijzingskader statement by statement
# --------------------------------------------------------------------------------------------

def _by_id(sid):
    return next(s for s in STATEMENTS if s.id == sid)


def _rows_quoting(words):
    """The rows whose quoted framework words contain ``words`` (whitespace and case aside)."""
    want = " ".join(words.split()).casefold()
    return [s for s in STATEMENTS if any(want in " ".join(q.split()).casefold() for q in s.quote)]


@pytest.mark.parametrize("words", [
    "met welke woningbouwcorporatie wordt samengewerkt in welke wijk",  # Inleiding: corporation per wijk
    "ligt het initiatief en eigenaarschap hiervoor bij de samenwerkende partijen",  # Inleiding: the partners
    "zij gaan het samen doen en mét bewoners",  # ... together with the residents
    "De gemeente is echter geen regiehouder",  # Inleiding: the municipality supports, does not run the flats
    "De woningcorporatie is als flatpartner gefocust op een samenwerking conform de ambitie en doelen",  # 3.2
    "De welzijnspartij is als flatpartner gefocust op een samenwerking conform de ambitie en doelen",  # 4.1
])
def test_the_statements_the_table_missed_have_a_row(words):
    rows = _rows_quoting(words)
    assert len(rows) == 1, (words, [s.id for s in rows])
    # llt_geo holds no fact about any of them: honest about it, never 'berekend'
    assert rows[0].kind == "niet gedekt" and len(rows[0].note) > 40


def test_the_commitments_of_corporation_and_welfare_sit_in_their_sections():
    assert _rows_quoting("De woningcorporatie is als flatpartner gefocust")[0].section == "3.2"
    assert _rows_quoting("De welzijnspartij is als flatpartner gefocust")[0].section == "4.1"
    # the care provider's commitment is a hard criterion of 2.3, as before
    assert _rows_quoting("Is als flatpartner gecommitteerd aan de ambitie")[0].id == "2.3-h6"


def test_the_corporation_per_wijk_row_says_only_a_cap_exists():
    row = _rows_quoting("met welke woningbouwcorporatie wordt samengewerkt in welke wijk")[0]
    assert row.section == "Inleiding"
    assert "max_per_corporation" in row.note
    assert "max_per_corporation" in llt_geo.default_config()["portfolio"]


def test_every_row_quotes_the_framework_and_no_two_rows_quote_the_same_words():
    assert audit.table_problems(STATEMENTS) == []
    for s in STATEMENTS:
        assert s.quote, s.id


def test_the_rows_counted_twice_are_merged():
    ids = {s.id for s in STATEMENTS}
    assert not ids & {"3.1-b", "3.1-sp2", "3.1-sp5"}
    # the corporation's final say: one row, for both places in the framework, applied and recorded
    final = _by_id("inl-5")
    assert _rows_quoting("het laatste woord") == [final]
    assert _rows_quoting("ligt het uiteindelijke besluit bij de woningcorporatie") == [final]
    assert [p.value for p in final.also] == ["corporation_consent"]
    # the spread: one row, measured and applied
    spread = _by_id("3.1-sp1")
    assert _rows_quoting("Een redelijke spreiding over de stadsdelen") == [spread]
    assert {p.function for p in tr.places(spread)} == {"llt_geo.spread.spread_report", "llt_geo.portfolio.solve"}
    # the accent: one row for the ageing areas and one for the masterplan areas, each measured and applied
    for sid, words in (("3.1-sp3", "vergrijsde"), ("3.1-sp4", "masterplan")):
        assert _rows_quoting(words) == [_by_id(sid)]
        assert "llt_geo.portfolio.solve" in {p.function for p in tr.places(_by_id(sid))}
    # and the table shows both places
    row = tr.table().set_index("Nr").loc["3.1-sp1"]
    assert "llt_geo.portfolio.solve" in row["Functie"] and "portefeuille_scenarios.csv" in row["Bestand"]


def test_the_check_finds_two_rows_for_one_statement():
    spread = _by_id("3.1-sp1")
    twice = dataclasses.replace(spread, id="3.1-sp2", quote=("redelijke spreiding over de stadsdelen",))
    assert any("quote the same words" in p for p in audit.table_problems((*STATEMENTS, twice)))
    assert any("two rows with this id" in p for p in audit.table_problems((*STATEMENTS, spread)))
    unquoted = dataclasses.replace(spread, id="x", quote=())
    assert any("quotes no words" in p for p in audit.table_problems((*STATEMENTS, unquoted)))


def test_the_free_choice_is_a_fixed_sentence_recorded_not_computed():
    v = _by_id("2.4-v")
    assert v.kind == "vastgelegd"
    assert "vaste zin" in v.note


def test_the_steps_of_2_4_are_filed_under_2_4():
    from llt_geo.schema import PROCESS_ITEMS

    steps = [s for s in STATEMENTS if s.value in PROCESS_ITEMS and s.value.startswith("step")]
    assert len(steps) == 4
    for s in steps:
        assert s.section.startswith("2.4") and s.id.startswith("2.4-"), s.id
    assert not [s for s in STATEMENTS if s.section == "2.3" and s.column == "item"]


def test_the_meeting_room_is_computed_from_both_columns_and_3_2_1_refers_to_it():
    room, open_ = _by_id("3.1-c4"), _by_id("3.2-1")
    assert room.kind == "berekend" and room.value == "meeting_room"
    assert room.inputs.split(", ") == ["flats.meeting_room", "flats.meeting_space_open"]
    assert "flats.meeting_room" in room.note and "flats.meeting_space_open" in room.note
    assert open_.kind == "vastgelegd" and open_.value == "meeting_space_open"
    assert open_.agrees_with == "3.1-c4" and "3.1-c4" in open_.note
    # the link is checked: the recorded fact must be one the computed rule reads
    half = dataclasses.replace(room, inputs="flats.meeting_room")
    others = [s for s in STATEMENTS if s.id != "3.1-c4"]
    assert any("does not read flats.meeting_space_open" in p for p in audit.table_problems([*others, half]))
    stray = dataclasses.replace(open_, agrees_with="3.1-c9")
    others = [s for s in STATEMENTS if s.id != "3.2-1"]
    assert any("not in the table" in p for p in audit.table_problems([*others, stray]))


def test_recorded_3_2_1_agrees_with_the_computed_3_1_meeting_room_on_the_demo(chain):
    """Issue 19: a funded flat's dossier said the room was for residents and neighbourhood while 3.2.1 said
    'ook voor de buurt: nee'. Every candidate that passes 3.1's meeting room has its room recorded as open."""
    outputs, _ = chain
    assert audit.agreement_problems(STATEMENTS, outputs) == []


def test_the_agreement_check_finds_a_contradiction():
    """Hand-made results: A passes 3.1's room but 3.2-1 says nee; B is a group with one open room; C fails; D
    passes with 3.2-1 unknown; E passes with no 3.2-1 record at all."""
    criteria = pd.DataFrame({
        "candidate_id": ["A", "B", "C", "D", "E", "A"],
        "criterion": ["meeting_room"] * 5 + ["size"],
        "status": ["pass", "pass", "fail", "pass", "pass", "pass"],
    })
    corporation = pd.DataFrame({
        "flat_id": ["A", "B1", "B2", "C", "D", "A"],
        "candidate_id": ["A", "B", "B", "C", "D", "A"],
        "item": ["meeting_space_open"] * 5 + ["fire_safety_plan"],
        "status": ["nee", "nee", "ja", "nee", "onbekend", "ja"],
    })
    outputs = {
        "Screening": type("S", (), {"criteria": criteria})(),
        "PartnerChoice": type("P", (), {"corporation": corporation})(),
    }
    problems = audit.agreement_problems(STATEMENTS, outputs)
    assert [p.split(":")[0] for p in problems] == ["A", "D", "E"]
    assert "is nee" in problems[0] and "is onbekend" in problems[1] and "niet vastgelegd" in problems[2]


def test_the_quotes_are_the_framework_own_words():
    """With the Toewijzingskader's text at hand (LLT_TOEWIJZINGSKADER, a path), every quote occurs in it."""
    path = os.environ.get("LLT_TOEWIJZINGSKADER")
    if not path or not Path(path).is_file():
        pytest.skip("set LLT_TOEWIJZINGSKADER to the framework's text to check the quotes word for word")
    text = " ".join(Path(path).read_text(encoding="utf-8").split())
    for s in STATEMENTS:
        for q in s.quote:
            assert " ".join(q.split()) in text, (s.id, q)
