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
        if section not in cfg:
            problems.append(
                Problem("error", file, None, f"unknown section [{section}]", fix=f"use one of: {', '.join(cfg)}")
            )
            continue
        if not isinstance(values, dict):
            problems.append(Problem("error", file, None, f"'{section}' must be a section [{section}]"))
            continue
        if section == "scenarios":
            problems += _check_scenarios(values, file)
            if not problems:
                cfg["scenarios"] = values
            continue
        for key, value in values.items():
            if section == "files":
                if not isinstance(value, str):
                    problems.append(
                        Problem("error", file, None, f"[files] {key} must be a file name in quotes", values=(value,))
                    )
                    continue
                cfg[section][key] = value
                continue
            if section == "areas" and key == "ageing_threshold_share":
                ok = value == "city" or (
                    isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1
                )
                if not ok:
                    problems.append(
                        Problem(
                            "error",
                            file,
                            None,
                            '[areas] ageing_threshold_share must be "city" or a share between 0 and 1',
                            values=(value,),
                            fix='write for example 0.18, or "city" for the city-wide share',
                        )
                    )
                    continue
                cfg[section][key] = value
                continue
            if key not in cfg[section]:
                known = ", ".join(cfg[section]) or "(none)"
                problems.append(
                    Problem("error", file, None, f"unknown key '{key}' in [{section}]", fix=f"known keys: {known}")
                )
                continue
            default = cfg[section][key]
            if not _compatible(default, value):
                problems.append(
                    Problem(
                        "error",
                        file,
                        None,
                        f"[{section}] {key} must be {_type_name(default)}",
                        values=(value,),
                        fix=f"write it like the default: {key} = {default!r}".replace("'", '"'),
                    )
                )
                continue
            cfg[section][key] = float(value) if isinstance(default, float) else value
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


def _check_values(cfg: dict[str, Any], file: str) -> list[Problem]:
    """Ranges, allowed words and list contents of every key (types are checked before)."""
    problems: list[Problem] = []

    def bad(section: str, key: str, message: str, value: Any, fix: str) -> None:
        problems.append(Problem("error", file, None, f"[{section}] {key} {message}", values=(value,), fix=fix))

    for (section, key), (kind, low, high) in _RULES.items():
        value = cfg[section][key]
        if kind in ("int", "num", "share"):
            if kind == "int" and float(value) != int(value):
                bad(section, key, "must be a whole number", value, f"write for example {key} = {int(value)}")
            elif (low is not None and value < low) or (high is not None and value > high):
                hint = " (a share: write 0.5 for 50%)" if kind == "share" and value > 1 else ""
                span = f"between {low} and {high}" if high is not None else f"at least {low}"
                bad(section, key, f"must be {span}{hint}", value, "change the value")
        elif kind == "choice" and value not in low:
            bad(section, key, f"must be one of {', '.join(low)}", value, f'write for example {key} = "{low[0]}"')
        elif kind == "kinds":
            if not value or not all(isinstance(v, str) and v.strip() for v in value):
                bad(
                    section,
                    key,
                    "must be a non-empty list of words in quotes",
                    value,
                    'write for example amenity_kinds = ["supermarkt", "huisarts"]',
                )
        elif kind == "box" and (
            len(value) != 4
            or not all(isinstance(v, int | float) for v in value)
            or not (value[0] < value[2] and value[1] < value[3])
        ):
            bad(
                section,
                key,
                "must be [xmin, ymin, xmax, ymax] in EPSG:28992 metres",
                value,
                "write for example region_rd = [106000.0, 474000.0, 139000.0, 497000.0]",
            )
    kinds = cfg["eligibility"]["amenity_kinds"]
    if isinstance(kinds, list) and cfg["eligibility"]["min_amenity_kinds"] > len(kinds):
        bad(
            "eligibility",
            "min_amenity_kinds",
            f"cannot be more than the {len(kinds)} amenity_kinds",
            cfg["eligibility"]["min_amenity_kinds"],
            "lower it or add kinds",
        )
    p = cfg["portfolio"]
    if p["max_per_stadsdeel"] < p["min_per_stadsdeel"]:
        bad(
            "portfolio",
            "max_per_stadsdeel",
            "is below min_per_stadsdeel",
            p["max_per_stadsdeel"],
            "raise max_per_stadsdeel or lower min_per_stadsdeel",
        )
    for key, value in cfg["care"].items():
        if key.startswith("weight_") and value < 0:
            bad("care", key, "must be 0 or more (0 leaves the aspect out)", value, "change the value")
    weights = {k: v for k, v in cfg["care"].items() if k.startswith("weight_")}
    if weights and all(v == 0 for v in weights.values()):
        bad(
            "care",
            ", ".join(weights),
            "are all 0: no aspect of 2.3 would count, and every provider would rank equal",
            0,
            "give at least one weight a value above 0",
        )
    for key in ("per_stadsdeel_min", "per_stadsdeel_max"):
        table = cfg["portfolio"][key]
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and len(k) == 1 and k.isalpha() and k.isupper() and isinstance(v, int) and v >= 0
            for k, v in table.items()
        ):
            bad("portfolio", key, "must map stadsdeel codes to whole numbers >= 0", table, f"write {key} = {{ S = 0 }}")
    goal = cfg["programme"]["goal_flats"]
    if p["flats_to_choose"] > goal:
        bad(
            "portfolio",
            "flats_to_choose",
            f"asks for more flats than the goal of {goal}",
            p["flats_to_choose"],
            "lower it",
        )
    for section, key, example in (("validation", "today", "2026-11-24"), ("report", "peildatum", "2026-11-30")):
        value = cfg[section][key]
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                bad(section, key, f"must be a date written {example}, or empty", value, f'write {key} = ""')
    if cfg["report"]["basemap"] not in ("pdok", "osm", "none"):
        bad("report", "basemap", "must be pdok, osm or none", cfg["report"]["basemap"], 'write basemap = "pdok"')
    q = cfg["plausibility"]
    for stem in ("flat_dwellings", "flat_subsidy_eur", "site_places", "area_residents", "clients_per_dwelling"):
        if q[f"{stem}_warn"] > q[f"{stem}_max"]:
            bad(
                "plausibility",
                f"{stem}_warn",
                f"is above {stem}_max",
                q[f"{stem}_warn"],
                f"a warning limit lies at or below its maximum: lower {stem}_warn or raise {stem}_max",
            )
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
        raise InputError(
            [Problem("error", path.name, None, f"not valid TOML: {exc}", fix="check quotes and = signs on that line")]
        ) from None
    except UnicodeDecodeError:
        raise InputError([Problem("error", path.name, None, "not UTF-8 text", fix="save the file as UTF-8")]) from None
    return merge_config(copy.deepcopy(overrides), file=path.name)
