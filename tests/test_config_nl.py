"""The Dutch reasons, labels and values of every setting (llt_geo.present.config_nl) for the stuurgroep."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from llt_geo import load_demo
from llt_geo.config import _RULES, default_config, merge_config
from llt_geo.errors import InputError
from llt_geo.present.config_nl import (
    COLUMNS,
    LABELS_NL,
    REASONS_NL,
    SECTIONS_NL,
    SKIPPED_SECTIONS,
    VALUES_NL,
    describe,
    format_value,
)

KADER = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "toewijzingskader-lang-leven-thuisflats.txt"
)

#: Words that give away an English sentence (none of them is Dutch).
ENGLISH = (" the ", " of the ", " is ", " and ", " with ", " when ", " which ", " must ", " should ", " this ")
ENGLISH += (" are ", " not ", " for ", " from ", " per cent", " within ", " than ", " each ")


def _keys() -> list[str]:
    """Every setting of the defaults, ``section.key``, in the order of default_config.toml."""
    cfg = default_config()
    return [f"{s}.{k}" for s, keys in cfg.items() if s not in SKIPPED_SECTIONS for k in keys]


@pytest.fixture(scope="module")
def demo_config():
    return load_demo().config


def test_every_setting_has_a_reason_and_a_label_and_nothing_else():
    keys = set(_keys())
    assert keys, "default_config() has no settings"
    assert set(REASONS_NL) == keys, (
        f"without a Dutch reason: {sorted(keys - set(REASONS_NL))}; for no setting: {sorted(set(REASONS_NL) - keys)}"
    )
    assert set(LABELS_NL) == keys, (
        f"without a Dutch label: {sorted(keys - set(LABELS_NL))}; for no setting: {sorted(set(LABELS_NL) - keys)}"
    )
    assert set(SECTIONS_NL) == set(default_config())
    assert set(VALUES_NL) <= keys
    # a table-valued setting (per_stadsdeel_min) has one entry, not one per stadsdeel
    assert "portfolio.per_stadsdeel_min" in keys


def test_labels_are_short_and_unique():
    assert all(0 < len(label) <= 80 for label in LABELS_NL.values())
    assert len(set(LABELS_NL.values())) == len(LABELS_NL)


@pytest.mark.parametrize("key", sorted(REASONS_NL))
def test_reason_is_plain_dutch(key):
    reason = REASONS_NL[key]
    assert reason.strip() == reason and len(reason) >= 40, key
    padded = f" {reason.lower()} "
    english = [w.strip() for w in ENGLISH if w in padded]
    assert not english, f"{key}: English words {english} in {reason!r}"
    assert any(w in padded for w in (" de ", " het ", " een ")), key
    assert reason.endswith((".", '."', ".'")), key
    assert reason.count(".") <= 8, f"{key}: too long for a director"


def test_reasons_say_working_assumption_or_source():
    """A threshold the Toewijzingskader gives no number for says so; the ones it gives quote it."""
    for key in (
        "eligibility.min_share_nultreden",
        "eligibility.min_share_social_rent",
        "eligibility.amenity_radius_m",
        "grouping.max_distance_m",
        "care.intramural_nearby_m",
        "portfolio.min_per_stadsdeel",
        "portfolio.max_per_stadsdeel",
        "portfolio.min_focus_share",
        "spread.coverage_distance_m",
    ):
        assert "werkaanname" in REASONS_NL[key].lower(), key
    assert '3.1: "Minimale omvang van ongeveer 100' in REASONS_NL["eligibility.min_dwellings"]
    assert '"in 2030 zijn er 30 Lang Leven Thuisflats in Amsterdam"' in REASONS_NL["programme.goal_flats"]
    # every aspect weight of [care] has a reason of its own, naming its aspect
    care = [k for k in REASONS_NL if k.startswith("care.weight_")]
    assert len(care) == 5 and len({REASONS_NL[k] for k in care}) == 5


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not KADER.exists(), reason="the Toewijzingskader text is not next to the project")
def test_quotations_are_word_for_word_from_the_toewijzingskader():
    kader = _normal(KADER.read_text(encoding="utf-8"))
    sections = set(re.findall(r"^\s*(\d\.\d)\s", KADER.read_text(encoding="utf-8"), flags=re.M))
    for key, reason in REASONS_NL.items():
        for quote in re.findall(r'"([^"]+)"', reason):
            assert _normal(quote) in kader, f"{key}: not in the Toewijzingskader: {quote!r}"
        for section in re.findall(r"\b(\d\.\d)\b", reason):
            assert section in sections, f"{key}: no section {section} in the Toewijzingskader"


def _allowed_words(section: str, key: str) -> set[str]:
    """The words a word-valued setting accepts, read from the check's own error message."""
    rule = _RULES.get((section, key))
    if rule and rule[0] == "choice":
        return set(rule[1])
    with pytest.raises(InputError) as info:
        merge_config({section: {key: "xyz-onbekend"}})
    message = " ".join(p.message for p in info.value.problems)
    words = set(re.findall(r'"(\w+)"', message))  # ageing_threshold_share: must be "city" or a share
    tail = re.search(r"must be ([\w ,]+?)(?: or a share|$)", message)
    if tail and not words:
        words = set(re.split(r", | or ", tail.group(1).strip()))
    return words


@pytest.mark.parametrize(
    "name",
    ["areas.ageing_threshold_share", "areas.ageing_level", "portfolio.welfare_required", "report.basemap"],
)
def test_values_cover_every_allowed_word(name):
    section, key = name.split(".")
    allowed = _allowed_words(section, key)
    assert allowed, name
    assert set(VALUES_NL[name]) == allowed
    assert all(VALUES_NL[name][w] and VALUES_NL[name][w] != w for w in allowed)
    for word in allowed:  # each word is accepted, and shown in Dutch
        # (funding onder voorbehoud needs its reason beside it)
        reason = {"onder_voorbehoud_reason": "een reden"} if (key, word) == ("welfare_required", "possible") else {}
        cfg = merge_config({section: {key: word, **reason}})
        row = describe(cfg).set_index("Sleutel").loc[name]
        assert row["Waarde"] == VALUES_NL[name][word]


def test_every_choice_setting_has_its_words():
    choices = {f"{s}.{k}" for (s, k), rule in _RULES.items() if rule[0] == "choice"}
    assert choices <= set(VALUES_NL)


def test_describe_demo(demo_config):
    table = describe(demo_config)
    assert list(table.columns) == COLUMNS
    keys = _keys()
    overrides = [(n, k) for n, values in demo_config["scenarios"].items() for k in values]
    assert overrides, "the demo has scenarios"
    assert len(table) == len(keys) + len(overrides)
    assert list(table["Sleutel"][: len(keys)]) == keys  # the order of default_config.toml
    assert list(table["Onderdeel"].drop_duplicates())[:3] == ["Dataset", "Programma", "Geschiktheid flats (3.1)"]
    assert (table["Waarom"] != "").all() and (table["Instelling"] != "").all()
    base = table.iloc[: len(keys)].set_index("Sleutel")
    assert base.loc["programme.budget_eur", "Waarde"] == "2.400.000"
    assert base.loc["programme.budget_eur", "Standaard"] == "aangepast"
    assert base.loc["programme.goal_year", "Waarde"] == "2030"
    assert base.loc["eligibility.min_dwellings", "Standaard"] == "ja"
    assert base.loc["eligibility.min_share_nultreden", "Waarde"] == "0,5"
    assert base.loc["grouping.same_corporation", "Waarde"] == "ja"
    assert base.loc["portfolio.allow_unknown_criteria", "Waarde"] == "nee"
    assert base.loc["portfolio.per_stadsdeel_min", "Waarde"] == "A = 0, B = 0"
    assert base.loc["portfolio.per_stadsdeel_max", "Waarde"] == "(leeg)"
    assert base.loc["validation.today", "Waarde"] == "(leeg)"
    assert base.loc["validation.region_rd", "Waarde"] == "106.000, 474.000, 139.000, 497.000"
    assert base.loc["eligibility.amenity_kinds", "Waarde"] == "supermarkt, huisarts, apotheek, ov-halte, buurthuis"
    assert base.loc["areas.ageing_threshold_share", "Waarde"] == "het aandeel 65+ van de hele stad"
    # every key the demo changes, and only those, is marked
    defaults = default_config()
    changed = {
        f"{s}.{k}"
        for s in defaults
        if s not in SKIPPED_SECTIONS
        for k in defaults[s]
        if demo_config[s][k] != defaults[s][k]
    }
    assert {"programme.budget_eur", "portfolio.per_stadsdeel_min", "report.peildatum"} <= changed
    assert set(base.index[base["Standaard"] == "aangepast"]) == changed
    assert set(base["Standaard"]) == {"ja", "aangepast"}
    # then the scenarios, one row per override
    extra = table.iloc[len(keys) :]
    assert (extra["Standaard"] == "aangepast in scenario").all()
    assert extra["Waarom"].str.endswith(" In dit scenario aangepast.").all()
    assert list(extra["Onderdeel"].drop_duplicates()) == [
        "Scenario " + n.replace("_", " ") for n in demo_config["scenarios"]
    ]
    ruim = extra[extra["Onderdeel"] == "Scenario ruim budget"].set_index("Sleutel")
    assert ruim.loc["programme.budget_eur", "Waarde"] == "3.000.000"
    assert ruim.loc["programme.budget_eur", "Instelling"] == LABELS_NL["programme.budget_eur"]
    assert ruim.loc["programme.budget_eur", "Waarom"].startswith(REASONS_NL["programme.budget_eur"])
    assert len(ruim) == 1  # each demo scenario changes one thing
    accent = extra[extra["Onderdeel"] == "Scenario sterker accent"].set_index("Sleutel")
    assert list(accent.index) == ["portfolio.weight_focus"] and accent.iloc[0]["Waarde"] in ("1", "1,0")


def test_describe_defaults_are_all_default():
    table = describe(default_config())
    assert len(table) == len(_keys())
    assert (table["Standaard"] == "ja").all()


def test_describe_custom_values():
    cfg = merge_config(
        {
            "areas": {"ageing_threshold_share": 0.18, "ageing_level": "buurt"},
            "eligibility": {"amenity_radius_m": 1234.5, "amenity_kinds": ["bibliotheek", "huisarts", "fysio_praktijk"]},
            "validation": {"today": "2026-11-24"},
            "grouping": {"same_corporation": False},
        }
    )
    row = describe(cfg).set_index("Sleutel")
    assert row.loc["areas.ageing_threshold_share", "Waarde"] == "0,18"
    assert row.loc["areas.ageing_threshold_share", "Standaard"] == "aangepast"
    assert row.loc["areas.ageing_level", "Waarde"] == "per buurt"
    assert row.loc["eligibility.amenity_radius_m", "Waarde"] == "1.234,5"
    assert row.loc["eligibility.amenity_kinds", "Waarde"] == "bibliotheek, huisarts, fysio praktijk"
    assert row.loc["validation.today", "Waarde"] == "24 november 2026"
    assert row.loc["grouping.same_corporation", "Waarde"] == "nee"
    assert row.loc["grouping.same_corporation", "Standaard"] == "aangepast"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2400000, "2.400.000"),
        (0, "0"),
        (0.05, "0,05"),
        (500.0, "500"),
        (1500.25, "1.500,25"),
        (True, "ja"),
        ("", "(leeg)"),
    ],
)
def test_format_value(value, text):
    assert format_value("programme.budget_eur", value) == text
