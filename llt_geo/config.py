"""The configuration: the programme's goal, budget, and every threshold and weight.

Defaults live in ``default_config.toml`` inside the package, each with the reason beside it. A
dataset folder may hold ``llt_geo.toml`` that overrides keys; an unknown key or a value of the
wrong type is an :class:`~llt_geo.errors.InputError` naming the file and the key.
"""

from __future__ import annotations

import copy
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError, Problem

__all__ = ["CONFIG_FILE", "Config", "default_config", "load_config", "scenario_config"]

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


def _check_scenarios(scenarios: dict[str, Any], file: str) -> list[Problem]:
    """Each scenario is a table of keys of [programme], [portfolio] or [care], typed as there."""
    defaults = _defaults()
    known = {key: section for section in SCENARIO_SECTIONS for key in defaults[section]}
    problems = []
    for name, values in scenarios.items():
        if not isinstance(values, dict):
            problems.append(Problem("error", file, None, f"[scenarios] {name} must be a section [scenarios.{name}]"))
            continue
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


def scenario_config(cfg: dict[str, Any], name: str) -> Config:
    """The configuration of one scenario: the base with the scenario's keys put in their sections."""
    out = Config(copy.deepcopy(dict(cfg)))
    defaults = _defaults()
    for key, value in cfg["scenarios"].get(name, {}).items():
        section = next(s for s in SCENARIO_SECTIONS if key in defaults[s])
        out[section][key] = value
    problems = _check_values(out, f"[scenarios.{name}]")
    if problems:
        raise InputError(problems)
    out.source = getattr(cfg, "source", None)
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
            if not problems:
                cfg["scenarios"] = values
            continue
        for key, value in values.items():
            problem = _merge_key(cfg, section, key, value, file)
            if problem is not None:
                problems.append(problem)
    if not problems:
        problems = _check_values(cfg, file)
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
        and all(isinstance(v, int | float) for v in value)
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
        found = _rule_problem(kind, low, high, key, value)
        if found is not None:
            problems.append(_bad(file, section, key, found[0], value, found[1]))
    return problems


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
    _check_amenity_count,
    _check_tolerance,
    _check_on_condition,
    _check_stadsdeel_span,
    _check_care_weights,
    _check_stadsdeel_tables,
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
