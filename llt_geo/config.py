"""The configuration: the programme's goal, budget, and every threshold and weight.

Defaults live in ``default_config.toml`` inside the package, each with the reason beside it. A
dataset folder may hold ``llt_geo.toml`` that overrides keys; an unknown key or a value of the
wrong type is an :class:`~llt_geo.errors.InputError` naming the file and the key.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
import tomllib
import unicodedata
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .schema import TABLES

__all__ = [
    "CONFIG_FILE",
    "RESERVED_SCENARIO_NAMES",
    "SCENARIO_NAME",
    "Config",
    "dataset_problems",
    "default_config",
    "load_config",
    "scenario_config",
]

CONFIG_FILE = "llt_geo.toml"


def _defaults() -> dict[str, Any]:
    text = resources.files("llt_geo").joinpath("default_config.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


class Config(dict):
    """The merged configuration, a dict of sections (``config["eligibility"]["min_dwellings"]``).

    ``source`` names the file the overrides came from (or ``None`` for pure defaults).
    """

    source: str | None = None

    def section(self, name: str) -> dict[str, Any]:
        """One section as a dict."""
        return self[name]


def default_config() -> Config:
    """The package defaults, with no overrides."""
    cfg = Config(_defaults())
    cfg.source = None
    return cfg


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text in quotes"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _compatible(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, int | float):
        return isinstance(value, int | float)
    if isinstance(default, list):
        return isinstance(value, list)
    if isinstance(default, str):
        return isinstance(value, str)
    return True


#: Sections whose keys a scenario may override.
SCENARIO_SECTIONS = ("programme", "portfolio", "care")

#: What a scenario name may be: it becomes part of file names (``portefeuille_<name>.csv``,
#: ``kaart_portefeuille_<name>.html``), so lower-case letters, digits, ``_`` and ``-``, at most 60.
SCENARIO_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")

#: Names a scenario may not have: "basis" is the configuration itself, and the others would give a
#: file the portfolio writes anyway (``portefeuille_scenarios.csv``, ``_kandidaten.csv``, ``_uitleg.txt``).
RESERVED_SCENARIO_NAMES = frozenset({"basis", "scenarios", "kandidaten", "uitleg"})


def _suggest_scenario_name(name: str, taken: set[str]) -> str:
    """A safe scenario name close to ``name`` that is not reserved and not in ``taken``."""
    ascii_name = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    safe = re.sub(r"[^a-z0-9_-]+", "_", ascii_name).strip("_-")[:60].strip("_-") or "scenario"
    candidate, n = safe, 2
    while candidate in RESERVED_SCENARIO_NAMES or candidate in taken:
        candidate = f"{safe[:57]}_{n}"
        n += 1
    return candidate


def _scenario_name_problems(names: list[str], file: str) -> list[Problem]:
    """Scenario names that would collide with the base scenario or a file, or are unsafe as file names."""
    problems = []
    taken = {n for n in names if SCENARIO_NAME.fullmatch(n) and n not in RESERVED_SCENARIO_NAMES}
    for name in names:
        if name in RESERVED_SCENARIO_NAMES:
            why = (
                "is the name of the configuration itself (the base scenario)"
                if name == "basis"
                else f"would overwrite portefeuille_{name} that the portfolio writes anyway"
            )
            message = f"scenario name '{name}' is reserved: it {why}"
        elif not SCENARIO_NAME.fullmatch(name):
            message = (
                f"scenario name {name!r} cannot be used: it becomes part of file names "
                "(portefeuille_<name>.csv), so it may hold only lower-case letters a-z, digits 0-9, '_' and '-', "
                "start with a letter or digit, and be at most 60 characters"
            )
        else:
            continue
        suggestion = _suggest_scenario_name(name, taken)
        taken.add(suggestion)
        problems.append(Problem("error", file, None, message, fix=f"rename it, e.g. [scenarios.{suggestion}]"))
    return problems


def _scenario_key_problems(name: str, values: dict[str, Any], file: str) -> list[Problem]:
    """Unknown keys and wrongly typed values of one scenario."""
    defaults = _defaults()
    known = {key: section for section in SCENARIO_SECTIONS for key in defaults[section]}
    problems = []
    for key, value in values.items():
        if key not in known:
            problems.append(
                Problem(
                    "error",
                    file,
                    None,
                    f"unknown key '{key}' in [scenarios.{name}]",
                    fix="a scenario overrides keys of [programme], [portfolio] or [care], e.g. budget_eur",
                )
            )
        elif not _compatible(defaults[known[key]][key], value):
            problems.append(
                Problem(
                    "error",
                    file,
                    None,
                    f"[scenarios.{name}] {key} must be {_type_name(defaults[known[key]][key])}",
                    values=(value,),
                )
            )
    return problems


def _check_scenarios(scenarios: dict[str, Any], file: str) -> list[Problem]:
    """Each scenario has a safe name and is a table of keys of [programme], [portfolio] or [care], typed as there."""
    problems = _scenario_name_problems([str(n) for n in scenarios], file)
    for name, values in scenarios.items():
        if not isinstance(values, dict):
            problems.append(Problem("error", file, None, f"[scenarios] {name} must be a section [scenarios.{name}]"))
            continue
        problems += _scenario_key_problems(name, values, file)
    return problems


def _apply_scenario(cfg: dict[str, Any], name: str) -> Config:
    """The base configuration with one scenario's keys put in their sections (not checked)."""
    out = Config(copy.deepcopy(dict(cfg)))
    defaults = _defaults()
    for key, value in cfg["scenarios"].get(name, {}).items():
        section = next(s for s in SCENARIO_SECTIONS if key in defaults[s])
        out[section][key] = value
    out.source = getattr(cfg, "source", None)
    return out


_KEY_AT_START = re.compile(r"\[(\w+)\] (\w+)")


def _in_scenario(problem: Problem, name: str, overrides: dict[str, Any]) -> Problem:
    """A problem of a scenario's configuration, told as the scenario's: ``[scenarios.<name>] key ...``
    for a key the scenario sets, else the base's message with the scenario and what it sets."""
    found = _KEY_AT_START.match(problem.message)
    if found and found.group(2) in overrides:
        return replace(problem, message=f"[scenarios.{name}]{problem.message[len(found.group(1)) + 2 :]}")
    sets = ", ".join(f"{k} = {v!r}" for k, v in overrides.items())
    return replace(
        problem,
        message=f"{problem.message}, in scenario '{name}' (which sets {sets})",
        fix=f"{problem.fix} (in [scenarios.{name}] or in the base)" if problem.fix else "",
    )


def _scenario_value_problems(cfg: dict[str, Any], name: str, file: str) -> list[Problem]:
    """What the portfolio would refuse in one scenario (types and keys are checked before): every rule
    and cross-check on the base with the scenario's keys, less what the base has itself, and a budget
    the scenario sets must be above 0."""
    overrides = cfg["scenarios"][name]
    scenario = _apply_scenario(cfg, name)
    base = {(p.message, p.values) for p in _check_values(cfg, file)}
    problems = [
        _in_scenario(p, name, overrides) for p in _check_values(scenario, file) if (p.message, p.values) not in base
    ]
    budget = overrides.get("budget_eur")
    if isinstance(budget, int | float) and budget == 0:  # below 0 is reported by its rule
        problems.append(
            _bad(
                file,
                f"scenarios.{name}",
                "budget_eur",
                "must be above 0 (a scenario is solved with its budget; 0 is 'not set' only in [programme])",
                budget,
                "give the subsidy available in this scenario, or leave budget_eur out to keep the base's",
            )
        )
    return problems


def scenario_config(cfg: dict[str, Any], name: str) -> Config:
    """The configuration of one scenario: the base with the scenario's keys put in their sections."""
    out = _apply_scenario(cfg, name)
    problems = _check_values(out, f"[scenarios.{name}]")
    if problems:
        raise InputError(problems)
    return out


def _is_share_or_city(value: Any) -> bool:
    """Whether a value is "city" or a number between 0 and 1 (not a boolean)."""
    return value == "city" or (isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1)


def _section_problem(cfg: dict[str, Any], section: str, values: Any, file: str) -> Problem | None:
    """The problem with an override section as a whole (unknown, or not a table), or ``None``."""
    if section not in cfg:
        return Problem("error", file, None, f"unknown section [{section}]", fix=f"use one of: {', '.join(cfg)}")
    if not isinstance(values, dict):
        return Problem("error", file, None, f"'{section}' must be a section [{section}]")
    return None


def _merge_file_key(cfg: dict[str, Any], key: str, value: Any, file: str) -> Problem | None:
    """Put one [files] key into the configuration, or return the problem with it."""
    if key not in TABLES:
        close = difflib.get_close_matches(key, list(TABLES), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        return Problem(
            "error",
            file,
            None,
            f"unknown key '{key}' in [files]: a key of [files] is the name of a table",
            values=(value,),
            fix=f"{hint}known tables: {', '.join(TABLES)}",
        )
    if not isinstance(value, str):
        return Problem("error", file, None, f"[files] {key} must be a file name in quotes", values=(value,))
    cfg["files"][key] = value
    return None


def _merge_ageing_threshold(cfg: dict[str, Any], value: Any, file: str) -> Problem | None:
    """Put [areas] ageing_threshold_share into the configuration, or return the problem with it."""
    if not _is_share_or_city(value):
        return Problem(
            "error",
            file,
            None,
            '[areas] ageing_threshold_share must be "city" or a share between 0 and 1',
            values=(value,),
            fix='write for example 0.18, or "city" for the city-wide share',
        )
    cfg["areas"]["ageing_threshold_share"] = value
    return None


def _merge_key(cfg: dict[str, Any], section: str, key: str, value: Any, file: str) -> Problem | None:
    """Put one override key into its section, or return the problem with it."""
    if section == "files":
        return _merge_file_key(cfg, key, value, file)
    if section == "areas" and key == "ageing_threshold_share":
        return _merge_ageing_threshold(cfg, value, file)
    if key not in cfg[section]:
        known = ", ".join(cfg[section]) or "(none)"
        return Problem("error", file, None, f"unknown key '{key}' in [{section}]", fix=f"known keys: {known}")
    default = cfg[section][key]
    if not _compatible(default, value):
        return Problem(
            "error",
            file,
            None,
            f"[{section}] {key} must be {_type_name(default)}",
            values=(value,),
            fix=f"write it like the default: {key} = {default!r}".replace("'", '"'),
        )
    cfg[section][key] = float(value) if isinstance(default, float) else value
    return None


def merge_config(overrides: dict[str, Any], *, file: str = CONFIG_FILE) -> Config:
    """Merge user overrides into the defaults, checking every key and type.

    Parameters
    ----------
    overrides : dict
        Parsed TOML, sections of keys.
    file : str
        File name used in problem messages.

    Returns
    -------
    Config

    Raises
    ------
    InputError
        For an unknown section or key, or a value whose type differs from the default's.
    """
    cfg = _defaults()
    problems: list[Problem] = []
    for section, values in overrides.items():
        problem = _section_problem(cfg, section, values, file)
        if problem is not None:
            problems.append(problem)
            continue
        if section == "scenarios":
            problems += _check_scenarios(values, file)
            # only well-formed scenarios are kept, to be checked as the portfolio would use them
            cfg["scenarios"] = {
                n: v for n, v in values.items() if isinstance(v, dict) and not _scenario_key_problems(str(n), v, file)
            }
            continue
        for key, value in values.items():
            problem = _merge_key(cfg, section, key, value, file)
            if problem is not None:
                problems.append(problem)
    # every value of the base, and of each scenario as the portfolio would solve it, in one step
    problems += _check_values(cfg, file)
    for name in cfg["scenarios"]:
        problems += _scenario_value_problems(cfg, name, file)
    if problems:
        raise InputError(problems)
    out = Config(cfg)
    out.source = file
    return out


# (section, key) -> (kind, low, high): kind "int", "num", "share", "choice", "kinds" or "box";
# low/high are inclusive bounds (None: open), or the allowed words for "choice".
_RULES: dict[tuple[str, str], tuple] = {
    ("programme", "goal_flats"): ("int", 1, None),
    ("programme", "goal_year"): ("int", 2020, 2100),
    ("programme", "budget_eur"): ("num", 0, None),
    ("programme", "default_subsidy_eur"): ("num", 0, None),
    ("eligibility", "min_dwellings"): ("int", 1, None),
    ("eligibility", "dwellings_tolerance"): ("int", 0, None),
    ("eligibility", "near_miss_dwellings"): ("int", 0, None),
    ("eligibility", "near_miss_share"): ("share", 0, 1),
    ("eligibility", "min_share_nultreden"): ("share", 0, 1),
    ("eligibility", "min_share_social_rent"): ("share", 0, 1),
    ("eligibility", "amenity_radius_m"): ("num", 1, 10000),
    ("eligibility", "amenity_kinds"): ("kinds", 1, None),
    ("eligibility", "min_amenity_kinds"): ("int", 0, None),
    ("grouping", "max_distance_m"): ("num", 0, 5000),
    ("grouping", "max_members"): ("int", 2, None),
    ("areas", "ageing_level"): ("choice", ("wijk", "buurt"), None),
    ("areas", "outside_tolerance_m"): ("num", 0, 5000),
    ("care", "intramural_nearby_m"): ("num", 1, 50000),
    ("care", "known_in_wijk_full_clients"): ("num", 1, None),
    ("care", "existing_clients_full"): ("num", 1, None),
    ("care", "default_max_flats"): ("int", 0, None),
    ("care", "robustness_draws"): ("int", 1, 1000000),
    ("care", "robustness_concentration"): ("num", 0.01, None),
    ("care", "robustness_seed"): ("int", 0, None),
    ("portfolio", "min_per_stadsdeel"): ("int", 0, None),
    ("portfolio", "max_per_stadsdeel"): ("int", 0, None),
    ("portfolio", "min_focus_share"): ("share", 0, 1),
    ("portfolio", "max_per_corporation"): ("int", 0, None),
    ("spread", "coverage_distance_m"): ("num", 1, 10000),
    ("portfolio", "flats_to_choose"): ("int", 0, None),
    ("portfolio", "weight_focus"): ("num", 0, None),
    ("portfolio", "weight_partner"): ("num", 0, None),
    ("portfolio", "welfare_required"): ("choice", ("known", "possible"), None),
    ("portfolio", "penalty_onder_voorbehoud"): ("num", 0, None),
    ("portfolio", "time_limit_s"): ("num", 0.1, 86400),
    ("portfolio", "robustness_draws"): ("int", 0, 10000),
    ("validation", "region_rd"): ("box", None, None),
    ("plausibility", "flat_dwellings_warn"): ("int", 1, None),
    ("plausibility", "flat_dwellings_max"): ("int", 1, None),
    ("plausibility", "flat_subsidy_eur_warn"): ("num", 0, None),
    ("plausibility", "flat_subsidy_eur_max"): ("num", 0, None),
    ("plausibility", "site_places_warn"): ("int", 1, None),
    ("plausibility", "site_places_max"): ("int", 1, None),
    ("plausibility", "area_residents_warn"): ("int", 1, None),
    ("plausibility", "area_residents_max"): ("int", 1, None),
    ("plausibility", "clients_per_dwelling_warn"): ("num", 0, None),
    ("plausibility", "clients_per_dwelling_max"): ("num", 0, None),
    ("plausibility", "respondents_per_dwelling_max"): ("num", 0, None),
}


def _bad(file: str, section: str, key: str, message: str, value: Any, fix: str) -> Problem:
    """One problem with the value of ``[section] key``."""
    return Problem("error", file, None, f"[{section}] {key} {message}", values=(value,), fix=fix)


_NOT_FINITE = "must be a finite number (nan and inf cannot be used)"


def _not_finite(file: str, section: str, key: str, value: float) -> Problem:
    """The problem with nan or inf in a number setting, with the default as the example."""
    default = _defaults()[section][key]
    fix = f"write a number, like the default {key} = {default}"
    if math.isinf(value):
        fix += "; there is no 'no limit' value: write a number larger than any the data holds"
    return _bad(file, section, key, _NOT_FINITE, value, fix)


def _number_rule(kind: str, low: Any, high: Any, key: str, value: Any) -> tuple[str, str] | None:
    """Message and fix when a number breaks its "int", "num" or "share" rule, else ``None``."""
    if kind == "int" and float(value) != int(value):
        return "must be a whole number", f"write for example {key} = {int(value)}"
    if (low is not None and value < low) or (high is not None and value > high):
        hint = " (a share: write 0.5 for 50%)" if kind == "share" and value > 1 else ""
        span = f"between {low} and {high}" if high is not None else f"at least {low}"
        return f"must be {span}{hint}", "change the value"
    return None


def _is_box(value: Any) -> bool:
    """Whether a value is [xmin, ymin, xmax, ymax] with xmin < xmax and ymin < ymax."""
    return (
        len(value) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value)
        and value[0] < value[2]
        and value[1] < value[3]
    )


def _rule_problem(kind: str, low: Any, high: Any, key: str, value: Any) -> tuple[str, str] | None:
    """Message and fix when a value breaks its rule in ``_RULES``, else ``None``."""
    if kind in ("int", "num", "share"):
        return _number_rule(kind, low, high, key, value)
    if kind == "choice" and value not in low:
        return f"must be one of {', '.join(low)}", f'write for example {key} = "{low[0]}"'
    if kind == "kinds" and (not value or not all(isinstance(v, str) and v.strip() for v in value)):
        return (
            "must be a non-empty list of words in quotes",
            'write for example amenity_kinds = ["supermarkt", "huisarts"]',
        )
    if kind == "box" and not _is_box(value):
        return (
            "must be [xmin, ymin, xmax, ymax] in EPSG:28992 metres",
            "write for example region_rd = [106000.0, 474000.0, 139000.0, 497000.0]",
        )
    return None


def _check_rules(cfg: dict[str, Any], file: str) -> list[Problem]:
    """Ranges, allowed words and list contents of every key in ``_RULES``."""
    problems: list[Problem] = []
    for (section, key), (kind, low, high) in _RULES.items():
        value = cfg[section][key]
        if kind in ("int", "num", "share") and not math.isfinite(value):
            problems.append(_not_finite(file, section, key, value))
            continue
        found = _rule_problem(kind, low, high, key, value)
        if found is not None:
            problems.append(_bad(file, section, key, found[0], value, found[1]))
    return problems


def _check_finite(cfg: dict[str, Any], file: str) -> list[Problem]:
    """Every number outside ``_RULES`` (the [care] weights, say) is finite: nan passes every comparison."""
    return [
        _not_finite(file, section, key, value)
        for section, values in cfg.items()
        if section != "scenarios" and isinstance(values, dict)
        for key, value in values.items()
        if (section, key) not in _RULES and isinstance(value, float) and not math.isfinite(value)
    ]


def _check_amenity_count(cfg: dict[str, Any], file: str) -> list[Problem]:
    """[eligibility] min_amenity_kinds is at most the number of amenity_kinds."""
    kinds = cfg["eligibility"]["amenity_kinds"]
    if isinstance(kinds, list) and cfg["eligibility"]["min_amenity_kinds"] > len(kinds):
        return [
            _bad(
                file,
                "eligibility",
                "min_amenity_kinds",
                f"cannot be more than the {len(kinds)} amenity_kinds",
                cfg["eligibility"]["min_amenity_kinds"],
                "lower it or add kinds",
            )
        ]
    return []


def _check_tolerance(cfg: dict[str, Any], file: str) -> list[Problem]:
    """[eligibility] dwellings_tolerance lies below min_dwellings."""
    e = cfg["eligibility"]
    if e["dwellings_tolerance"] >= e["min_dwellings"]:
        return [
            _bad(
                file,
                "eligibility",
                "dwellings_tolerance",
                f"must be below min_dwellings ({e['min_dwellings']})",
                e["dwellings_tolerance"],
                "write for example dwellings_tolerance = 5 (ongeveer 100 then counts from 95)",
            )
        ]
    return []


def allows_on_condition(portfolio: dict[str, Any]) -> bool:
    """Whether a ``[portfolio]`` section allows funding *onder voorbehoud* (something still unknown)."""
    return bool(
        portfolio["allow_unknown_criteria"]
        or portfolio["allow_unknown_consent"]
        or portfolio["welfare_required"] == "possible"
    )


def _check_on_condition(cfg: dict[str, Any], file: str) -> list[Problem]:
    """Funding onder voorbehoud needs its reason: [portfolio] onder_voorbehoud_reason."""
    p = cfg["portfolio"]
    if allows_on_condition(p) and not str(p["onder_voorbehoud_reason"]).strip():
        which = [k for k in ("allow_unknown_criteria", "allow_unknown_consent") if p[k]]
        which += ['welfare_required = "possible"'] if p["welfare_required"] == "possible" else []
        return [
            _bad(
                file,
                "portfolio",
                "onder_voorbehoud_reason",
                f"is empty while {', '.join(which)} allows funding flats with something unknown (onder voorbehoud)",
                "",
                'say why, e.g. onder_voorbehoud_reason = "de welzijnsvoorwaarden worden in januari bevestigd", '
                "or leave those keys at their defaults",
            )
        ]
    return []


def _check_stadsdeel_span(cfg: dict[str, Any], file: str) -> list[Problem]:
    """[portfolio] max_per_stadsdeel is not below min_per_stadsdeel."""
    p = cfg["portfolio"]
    if p["max_per_stadsdeel"] < p["min_per_stadsdeel"]:
        return [
            _bad(
                file,
                "portfolio",
                "max_per_stadsdeel",
                "is below min_per_stadsdeel",
                p["max_per_stadsdeel"],
                "raise max_per_stadsdeel or lower min_per_stadsdeel",
            )
        ]
    return []


def _check_care_weights(cfg: dict[str, Any], file: str) -> list[Problem]:
    """[care] weight_* are 0 or more and not all 0."""
    problems = [
        _bad(file, "care", key, "must be 0 or more (0 leaves the aspect out)", value, "change the value")
        for key, value in cfg["care"].items()
        if key.startswith("weight_") and value < 0
    ]
    weights = {k: v for k, v in cfg["care"].items() if k.startswith("weight_")}
    if weights and all(v == 0 for v in weights.values()):
        problems.append(
            _bad(
                file,
                "care",
                ", ".join(weights),
                "are all 0: no aspect of 2.3 would count, and every provider would rank equal",
                0,
                "give at least one weight a value above 0",
            )
        )
    return problems


def _is_stadsdeel_table(table: Any) -> bool:
    """Whether a value maps one-letter capital stadsdeel codes to whole numbers >= 0."""
    return isinstance(table, dict) and all(
        isinstance(k, str) and len(k) == 1 and k.isalpha() and k.isupper() and isinstance(v, int) and v >= 0
        for k, v in table.items()
    )


def _check_stadsdeel_tables(cfg: dict[str, Any], file: str) -> list[Problem]:
    """[portfolio] per_stadsdeel_min and per_stadsdeel_max map stadsdeel codes to whole numbers."""
    problems = []
    for key in ("per_stadsdeel_min", "per_stadsdeel_max"):
        table = cfg["portfolio"][key]
        if not _is_stadsdeel_table(table):
            problems.append(
                _bad(
                    file,
                    "portfolio",
                    key,
                    "must map stadsdeel codes to whole numbers >= 0",
                    table,
                    f"write {key} = {{ S = 0 }}",
                )
            )
    return problems


def _check_stadsdeel_limits(cfg: dict[str, Any], file: str) -> list[Problem]:
    """No stadsdeel's minimum lies above its maximum (per_stadsdeel_min/_max, else min_/max_per_stadsdeel)."""
    p = cfg["portfolio"]
    mins, maxs = p["per_stadsdeel_min"], p["per_stadsdeel_max"]
    if not (_is_stadsdeel_table(mins) and _is_stadsdeel_table(maxs)):
        return []  # reported by _check_stadsdeel_tables
    problems = []
    for code in sorted(set(mins) | set(maxs)):
        lo = mins.get(code, p["min_per_stadsdeel"])
        hi = maxs.get(code, p["max_per_stadsdeel"])
        if lo > hi:
            said_lo = f"per_stadsdeel_min {code} = {lo}" if code in mins else f"min_per_stadsdeel = {lo}"
            said_hi = f"per_stadsdeel_max {code} = {hi}" if code in maxs else f"max_per_stadsdeel = {hi}"
            key = "per_stadsdeel_max" if code in maxs else "per_stadsdeel_min"
            problems.append(
                _bad(
                    file,
                    "portfolio",
                    key,
                    f"contradicts the minimum for stadsdeel {code}: at most {hi} ({said_hi}) but at least {lo} "
                    f"({said_lo}); no portfolio can meet both",
                    f"{code} = {(maxs if code in maxs else mins)[code]}",
                    f"make the minimum at most the maximum, e.g. per_stadsdeel_min = {{ {code} = {min(lo, hi)} }}",
                )
            )
    return problems


def _check_flats_to_choose(cfg: dict[str, Any], file: str) -> list[Problem]:
    """[portfolio] flats_to_choose is at most the programme's goal."""
    goal = cfg["programme"]["goal_flats"]
    chosen = cfg["portfolio"]["flats_to_choose"]
    if chosen > goal:
        return [
            _bad(
                file, "portfolio", "flats_to_choose", f"asks for more flats than the goal of {goal}", chosen, "lower it"
            )
        ]
    return []


def _check_dates(cfg: dict[str, Any], file: str) -> list[Problem]:
    """[validation] today and [report] peildatum are ISO dates or empty."""
    problems = []
    for section, key, example in (("validation", "today", "2026-11-24"), ("report", "peildatum", "2026-11-30")):
        value = cfg[section][key]
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                problems.append(
                    _bad(file, section, key, f"must be a date written {example}, or empty", value, f'write {key} = ""')
                )
    return problems


def _check_basemap(cfg: dict[str, Any], file: str) -> list[Problem]:
    """[report] basemap is pdok, osm or none."""
    if cfg["report"]["basemap"] not in ("pdok", "osm", "none"):
        return [
            _bad(
                file,
                "report",
                "basemap",
                "must be pdok, osm or none",
                cfg["report"]["basemap"],
                'write basemap = "pdok"',
            )
        ]
    return []


def _check_plausibility(cfg: dict[str, Any], file: str) -> list[Problem]:
    """Each [plausibility] warning limit lies at or below its maximum."""
    q = cfg["plausibility"]
    return [
        _bad(
            file,
            "plausibility",
            f"{stem}_warn",
            f"is above {stem}_max",
            q[f"{stem}_warn"],
            f"a warning limit lies at or below its maximum: lower {stem}_warn or raise {stem}_max",
        )
        for stem in ("flat_dwellings", "flat_subsidy_eur", "site_places", "area_residents", "clients_per_dwelling")
        if q[f"{stem}_warn"] > q[f"{stem}_max"]
    ]


#: Checks across keys, run in this order after :func:`_check_rules`.
_CROSS_CHECKS = (
    _check_finite,
    _check_amenity_count,
    _check_tolerance,
    _check_on_condition,
    _check_stadsdeel_span,
    _check_care_weights,
    _check_stadsdeel_tables,
    _check_stadsdeel_limits,
    _check_flats_to_choose,
    _check_dates,
    _check_basemap,
    _check_plausibility,
)


def _check_values(cfg: dict[str, Any], file: str) -> list[Problem]:
    """Ranges, allowed words and list contents of every key (types are checked before)."""
    problems = _check_rules(cfg, file)
    for check in _CROSS_CHECKS:
        problems += check(cfg, file)
    return problems


def _unknown_codes(
    table: Any, codes: set[str], where: str, key: str, file: str, allowed: frozenset[str] = frozenset()
) -> list[Problem]:
    """A per-stadsdeel table naming codes the data does not have (as the portfolio refuses them)."""
    if not isinstance(table, dict):
        return []
    unknown = sorted(set(map(str, table)) - codes - allowed)
    if not unknown:
        return []
    return [
        Problem(
            "error",
            file,
            None,
            f"{where} {key} names stadsdelen the data does not have: {', '.join(unknown)}",
            values=tuple(unknown),
            fix=f"use codes of the stadsdelen table: {', '.join(sorted(codes))}",
        )
    ]


def _unknown_kinds(kinds: Any, held: set[str], file: str) -> list[Problem]:
    """Amenity kinds the amenities table does not hold: an error when it looks like a typo of a kind
    the table holds and the configuration does not count, else a warning (the kind was not exported,
    and 'near amenities' treats it as unknown)."""
    if not isinstance(kinds, list):
        return []
    wanted = {str(k).strip().lower() for k in kinds}
    spare = sorted(held - wanted)
    problems = []
    for kind in kinds:
        name = str(kind).strip().lower()
        if name in held:
            continue
        close = difflib.get_close_matches(name, spare, n=1, cutoff=0.75)
        if close:
            problems.append(
                _bad(
                    file,
                    "eligibility",
                    "amenity_kinds",
                    f"names a kind the amenities table does not hold: '{kind}' (the table has '{close[0]}')",
                    kind,
                    f'correct the spelling: "{close[0]}"',
                )
            )
        else:
            problems.append(
                Problem(
                    "warning",
                    file,
                    None,
                    f"[eligibility] amenity_kinds names a kind the amenities table does not hold: '{kind}'; "
                    "whether flats lie near it is unknown",
                    values=(kind,),
                    fix=f"the table holds: {', '.join(sorted(held)) or '(none)'}; add those amenities, "
                    "or correct or remove the kind",
                )
            )
    return problems


def dataset_problems(
    cfg: dict[str, Any],
    *,
    stadsdeel_codes: set[str] | None,
    amenity_kinds: set[str] | None,
    file: str = CONFIG_FILE,
) -> list[Problem]:
    """What the configuration says that the dataset contradicts: stadsdeel codes in ``per_stadsdeel_min``
    or ``per_stadsdeel_max`` (base and scenarios) that the stadsdelen table does not have, and amenity kinds
    the amenities table does not hold.

    Parameters
    ----------
    cfg : dict
        The configuration (:func:`load_config`).
    stadsdeel_codes : set of str or None
        The ``stadsdeel_code`` values of the stadsdelen table; ``None`` when it was not read (no check).
    amenity_kinds : set of str or None
        The ``kind`` values of the amenities table (compared stripped and lower-case, as screening
        does); ``None`` when the table was not read (no check).
    file : str
        The configuration's file name, for the messages.

    Returns
    -------
    list of Problem
        Errors for what ``portfolio`` refuses and for an amenity kind that looks like a typo; a warning
        for a kind the table does not hold at all.
    """
    problems: list[Problem] = []
    if stadsdeel_codes is not None:
        codes = {str(c) for c in stadsdeel_codes}
        for key in ("per_stadsdeel_min", "per_stadsdeel_max"):
            # Westpoort (B) has no minimum by default, whether or not the data has it
            problems += _unknown_codes(cfg["portfolio"][key], codes, "[portfolio]", key, file, frozenset({"B"}))
        for name, values in cfg.get("scenarios", {}).items():
            for key in ("per_stadsdeel_min", "per_stadsdeel_max"):
                problems += _unknown_codes(values.get(key, {}), codes, f"[scenarios.{name}]", key, file)
    if amenity_kinds is not None:
        held = {str(k).strip().lower() for k in amenity_kinds if str(k).strip()}
        problems += _unknown_kinds(cfg["eligibility"]["amenity_kinds"], held, file)
    return problems


def load_config(folder: str | Path | None = None) -> Config:
    """Read ``llt_geo.toml`` from a dataset folder (if present) over the defaults.

    Raises
    ------
    InputError
        When the file is not valid TOML, or has unknown keys or wrongly typed values.
    """
    if folder is None:
        return default_config()
    path = Path(folder) / CONFIG_FILE
    if not path.exists():
        return default_config()
    try:
        overrides = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError.one(path.name, f"not valid TOML: {exc}", fix="check quotes and = signs on that line") from None
    except UnicodeDecodeError:
        raise InputError.one(path.name, "not UTF-8 text", fix="save the file as UTF-8") from None
    return merge_config(copy.deepcopy(overrides), file=path.name)
