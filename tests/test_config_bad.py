"""Issue 20, items 3 and 8: the configuration under bad input, each case made by hand.

NaN and inf in numbers, scenario values checked when the configuration is read (not first when the
portfolio runs), contradictory limits per stadsdeel, reserved and unsafe scenario names, an unknown
[files] key, and what only the dataset can contradict (``dataset_problems``).
"""

from pathlib import Path

import pytest

from llt_geo import InputError, load_config
from llt_geo.config import RESERVED_SCENARIO_NAMES, SCENARIO_NAME, dataset_problems, merge_config

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"


def _refused(tmp_path: Path, text: str) -> str:
    """The message of the InputError that loading ``text`` as llt_geo.toml raises."""
    (tmp_path / "llt_geo.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_config(tmp_path)
    message = str(info.value)
    assert "llt_geo.toml" in message
    return message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[programme]\nbudget_eur = nan\n", "[programme] budget_eur"),
        ("[eligibility]\namenity_radius_m = nan\n", "[eligibility] amenity_radius_m"),
        ("[portfolio]\ntime_limit_s = nan\n", "[portfolio] time_limit_s"),
        ("[eligibility]\nmin_share_nultreden = nan\n", "[eligibility] min_share_nultreden"),
        ("[care]\nweight_cooperation = nan\n", "[care] weight_cooperation"),
        ("[care]\nweight_cooperation = inf\n", "[care] weight_cooperation"),
        ("[plausibility]\nflat_subsidy_eur_max = nan\n", "[plausibility] flat_subsidy_eur_max"),
        ("[programme]\nbudget_eur = inf\n", "[programme] budget_eur"),
        ("[eligibility]\nmin_dwellings = inf\n", "[eligibility] min_dwellings"),
        ("[eligibility]\nmin_dwellings = nan\n", "[eligibility] min_dwellings"),
        ("[eligibility]\nmin_dwellings = -inf\n", "[eligibility] min_dwellings"),
        ("[portfolio]\nmax_per_stadsdeel = inf\n", "[portfolio] max_per_stadsdeel"),
    ],
)
def test_nan_and_inf_are_refused_naming_the_key(tmp_path, text, key):
    message = _refused(tmp_path, text)
    assert f"{key} must be a finite number" in message


def test_inf_in_a_whole_number_says_there_is_no_no_limit_value(tmp_path):
    message = _refused(tmp_path, "[eligibility]\nmin_dwellings = inf\n")
    assert "no 'no limit' value" in message
    assert "min_dwellings = 100" in message  # the default as the example


def test_a_region_box_with_inf_is_refused(tmp_path):
    message = _refused(tmp_path, "[validation]\nregion_rd = [-inf, 474000.0, inf, 497000.0]\n")
    assert "[validation] region_rd must be [xmin, ymin, xmax, ymax]" in message


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        ("budget_eur = -5", "[scenarios.x] budget_eur must be at least 0"),
        ("budget_eur = 0", "[scenarios.x] budget_eur must be above 0"),
        ("budget_eur = nan", "[scenarios.x] budget_eur must be a finite number"),
        ("weight_focus = -1", "[scenarios.x] weight_focus must be at least 0"),
        ("weight_cooperation = -1", "[scenarios.x] weight_cooperation must be 0 or more"),
        ("min_focus_share = 55", "[scenarios.x] min_focus_share must be between 0 and 1 (a share: write 0.5 for 50%)"),
        ("time_limit_s = nan", "[scenarios.x] time_limit_s must be a finite number"),
        ("flats_to_choose = 40", "[scenarios.x] flats_to_choose asks for more flats than the goal of 30"),
        ("min_per_stadsdeel = 10", "is below min_per_stadsdeel, in scenario 'x' (which sets min_per_stadsdeel = 10)"),
        ('welfare_required = "possible"', "onder_voorbehoud_reason is empty"),
    ],
)
def test_scenario_values_are_checked_when_the_configuration_is_read(tmp_path, scenario, expected):
    message = _refused(tmp_path, f"[programme]\nbudget_eur = 1000000\n\n[scenarios.x]\n{scenario}\n")
    assert expected in message


def test_a_scenario_with_every_care_weight_zero_is_refused(tmp_path):
    zero = "\n".join(
        f"{k} = 0.0"
        for k in (
            "weight_known_in_wijk",
            "weight_cooperation",
            "weight_intramural_nearby",
            "weight_residents_voice",
            "weight_existing_clients",
        )
    )
    message = _refused(tmp_path, f"[scenarios.geen_gewicht]\n{zero}\n")
    assert "[scenarios.geen_gewicht] weight_known_in_wijk" in message
    assert "are all 0" in message


def test_every_problem_of_base_and_scenarios_comes_in_one_step(tmp_path):
    message = _refused(
        tmp_path,
        "[programme]\nbudget_eur = nan\n\n[scenarios.a]\nbudget_eur = -1\n\n[scenarios.b]\nmin_focus_share = 55\n",
    )
    assert "3 problem(s)" in message
    assert "[programme] budget_eur" in message
    assert "[scenarios.a] budget_eur" in message
    assert "[scenarios.b] min_focus_share" in message


def test_a_problem_of_the_base_is_not_repeated_for_each_scenario(tmp_path):
    message = _refused(tmp_path, "[portfolio]\nmin_focus_share = 55\n\n[scenarios.a]\nbudget_eur = 5\n")
    assert message.count("min_focus_share") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[portfolio]\nper_stadsdeel_min = { A = 5 }\nper_stadsdeel_max = { A = 1 }\n",
            "[portfolio] per_stadsdeel_max contradicts the minimum for stadsdeel A: at most 1",
        ),
        # a maximum of 0 against the general minimum of 1
        ("[portfolio]\nper_stadsdeel_max = { K = 0 }\n", "at least 1 (min_per_stadsdeel = 1)"),
        # a minimum above the general maximum of 8
        ("[portfolio]\nper_stadsdeel_min = { K = 9 }\n", "at most 8 (max_per_stadsdeel = 8)"),
        (
            "[scenarios.x]\nper_stadsdeel_min = { A = 5 }\nper_stadsdeel_max = { A = 1 }\n",
            "[scenarios.x] per_stadsdeel_max contradicts the minimum for stadsdeel A",
        ),
        (
            "[portfolio]\nper_stadsdeel_max = { A = 1 }\n\n[scenarios.x]\nper_stadsdeel_min = { A = 5 }\n",
            "in scenario 'x' (which sets per_stadsdeel_min = {'A': 5})",
        ),
    ],
)
def test_contradictory_limits_per_stadsdeel_are_refused(tmp_path, text, expected):
    assert expected in _refused(tmp_path, text)


def test_limits_per_stadsdeel_that_agree_pass(tmp_path):
    (tmp_path / "llt_geo.toml").write_text(
        "[portfolio]\nper_stadsdeel_min = { A = 0, B = 0 }\nper_stadsdeel_max = { A = 0, K = 3 }\n"
    )
    assert load_config(tmp_path)["portfolio"]["per_stadsdeel_max"] == {"A": 0, "K": 3}


@pytest.mark.parametrize("name", sorted(RESERVED_SCENARIO_NAMES))
def test_reserved_scenario_names_are_refused(tmp_path, name):
    message = _refused(tmp_path, f"[scenarios.{name}]\nbudget_eur = 5\n")
    assert f"scenario name '{name}' is reserved" in message
    assert f"[scenarios.{name}_2]" in message  # a name to use instead


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ("x/../../../ontsnapt", "x_ontsnapt"),
        ("..", "scenario"),
        ("ruim budget", "ruim_budget"),
        ("Ruim_Budget", "ruim_budget"),
        ("a\\tb", "a_b"),
        ("a\\u0000b", "a_b"),
        ("ruim\\\\budget", "ruim_budget"),
        ("é-budget", "e-budget"),
        ("_x", "x"),
        ("a" * 61, "a" * 60),
        ("a" * 200, "a" * 60),
    ],
)
def test_unsafe_scenario_names_are_refused_with_a_safe_one(tmp_path, name, suggested):
    message = _refused(tmp_path, f'[scenarios."{name}"]\nbudget_eur = 5\n')
    assert "cannot be used: it becomes part of file names" in message
    assert "lower-case letters a-z, digits 0-9, '_' and '-'" in message
    assert f"[scenarios.{suggested}]" in message
    assert SCENARIO_NAME.fullmatch(suggested)


def test_a_suggested_name_does_not_take_a_name_in_use(tmp_path):
    text = '[scenarios.ruim_budget]\nbudget_eur = 5\n\n[scenarios."Ruim Budget"]\nbudget_eur = 6\n'
    message = _refused(tmp_path, text)
    assert "[scenarios.ruim_budget_2]" in message


def test_the_demo_scenario_names_are_safe():
    cfg = load_config(DEMO)
    assert set(cfg["scenarios"]) == {
        "ruim_budget",
        "sterker_accent",
        "welzijn_onder_voorbehoud",
        "bewoners_zwaarder",
        "krap_budget",
    }


def test_an_unknown_files_key_is_refused_naming_the_tables(tmp_path):
    message = _refused(tmp_path, '[files]\nflatz = "x.csv"\n')
    assert "unknown key 'flatz' in [files]" in message
    assert "did you mean flats?" in message
    assert "amenities" in message and "welfare_conditions" in message


def test_known_files_keys_pass(tmp_path):
    (tmp_path / "llt_geo.toml").write_text('[files]\nflats = "woningregister.csv"\namenities = "v.csv"\n')
    assert load_config(tmp_path)["files"] == {"flats": "woningregister.csv", "amenities": "v.csv"}


# --- what only the dataset can contradict -------------------------------------------------------

CODES = {"A", "E", "F", "K", "M", "N", "S", "T"}
KINDS = {"supermarkt", "huisarts", "apotheek", "ov_halte", "buurthuis", "bibliotheek"}


def test_the_demo_configuration_agrees_with_the_demo_data():
    assert dataset_problems(load_config(DEMO), stadsdeel_codes=CODES | {"B"}, amenity_kinds=KINDS) == []


def test_a_misspelt_amenity_kind_is_an_error_naming_the_kind_the_table_has():
    cfg = merge_config({"eligibility": {"amenity_kinds": ["supermarkten", "huisarts", "apotheek", "ov_halte"]}})
    problems = dataset_problems(cfg, stadsdeel_codes=None, amenity_kinds=KINDS)
    assert [p.severity for p in problems] == ["error"]
    text = str(problems[0])
    assert "llt_geo.toml" in text and "[eligibility] amenity_kinds" in text
    assert "'supermarkten'" in text and 'correct the spelling: "supermarkt"' in text


def test_an_amenity_kind_the_table_does_not_hold_is_a_warning():
    cfg = merge_config({"eligibility": {"amenity_kinds": ["supermarkt", "huisarts", "bakker"], "min_amenity_kinds": 2}})
    problems = dataset_problems(cfg, stadsdeel_codes=None, amenity_kinds={" Supermarkt", "HUISARTS"})
    assert [(p.severity, p.values) for p in problems] == [("warning", ("bakker",))]
    assert "supermarkt" in problems[0].fix


def test_an_unknown_stadsdeel_code_is_reported_in_base_and_scenario():
    cfg = merge_config(
        {
            "programme": {"budget_eur": 1000000},
            "portfolio": {"per_stadsdeel_min": {"B": 0, "Z": 1}},
            "scenarios": {"x": {"per_stadsdeel_max": {"Q": 2}}},
        },
        file="mijn.toml",
    )
    problems = dataset_problems(cfg, stadsdeel_codes=CODES, amenity_kinds=None, file="mijn.toml")
    texts = [str(p) for p in problems]
    assert len(texts) == 2, texts
    assert "mijn.toml: [portfolio] per_stadsdeel_min names stadsdelen the data does not have: Z" in texts[0]
    assert "[scenarios.x] per_stadsdeel_max names stadsdelen the data does not have: Q" in texts[1]
    assert "A, E, F, K, M, N, S, T" in texts[1]


def test_nothing_is_checked_against_a_table_that_was_not_read():
    cfg = merge_config({"portfolio": {"per_stadsdeel_min": {"Z": 1}}})
    assert dataset_problems(cfg, stadsdeel_codes=None, amenity_kinds=None) == []


def test_validate_checks_the_configuration_against_the_data(tmp_path):
    """`llt-geo validate` says what only the data can contradict, in the same step (issue 20, item 8)."""
    import subprocess
    import sys

    from tests.conftest import make_dataset

    folder = make_dataset(
        tmp_path / "d",
        config='[eligibility]\namenity_kinds = ["supermarkten", "huisarts"]\nmin_amenity_kinds = 1\n'
        "[portfolio]\nper_stadsdeel_min = { Q = 1 }\n",
    )
    out = subprocess.run(
        [sys.executable, "-m", "llt_geo.cli", "validate", str(folder)], capture_output=True, text=True, check=False
    )
    assert out.returncode == 1, out.stdout + out.stderr
    text = out.stdout + out.stderr
    assert "supermarkten" in text and "supermarkt" in text
    assert "per_stadsdeel_min" in text and "Q" in text
    assert "Traceback" not in text
