"""Dutch column headers for the CSV files the stuurgroep opens.

The tables llt_geo computes have English snake_case columns (``n_dwellings``, ``eligibility``),
which the code, the tests and the GeoPackage for QGIS keep. :func:`llt_geo.present.export.write_csv`
gives every CSV Dutch headers in the programme's own words (*stadsdeel*, *nultredenwoningen*,
*voorkeursaanbieder*, *oordeel*, *drempel*, *bijna*), through one dictionary, :data:`COLUMNS_NL`,
and a few rules for the columns that are made per provider, aspect, criterion, amenity kind,
stadsdeel or scenario (:data:`RULES`: ``afstand_locatie_ZA01`` becomes *afstand locatie ZA01
(m)*, ``residents_voice_score`` *stem van de bewoners: score*).

The principle:

- **One English name, one Dutch header**, the same in every file. A name that means something
  else in one file (``status`` is a flat's phase in ``toets_kandidaten.csv`` but a criterion's
  outcome in ``toets_criteria.csv``) gets its header for that file from :data:`FILE_COLUMNS_NL`.
- **A code and its Dutch reading.** Where a table holds a code beside its Dutch reading
  (``status`` = ``pass`` beside ``status_nl`` = *voldoet*), the reading gets the plain header
  (*oordeel*) and the code column says so (*oordeel (code)*); the code stays as it is, for
  filtering. A status column without a Dutch twin takes the twin's header, and its codes are
  written in Dutch (:data:`VALUES_NL`: ``pass``/``fail``/``unknown`` → *voldoet* / *voldoet niet* /
  *onbekend*; a flat's phase ``candidate`` → *kandidaat*); no other value is changed.
- The spread and progress tables arrive already Dutch (:func:`llt_geo.spread.in_dutch`); their
  dictionary is part of :data:`COLUMNS_NL`, and a header that already is Dutch passes unchanged.
- Headers are unique within a file; a name nothing here knows passes unchanged at run time (a
  test fails on it, so a new column gets its Dutch header when it is added).
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from .schema import STATUS_LABELS_NL

__all__ = [
    "LOCALE",
    "UNKNOWN_NL",
    "nl_date",
    "nl_eur",
    "nl_eur_short",
    "nl_int",
    "nl_number",
    "nl_pct",
    "round_half_up",
    "ASPECTS",
    "COLUMNS_NL",
    "FREE_CHOICE_NL",
    "SPREAD_COLUMNS_NL",
    "STATUS_PLURAL_NL",
    "FILE_COLUMNS_NL",
    "KINDS_NL",
    "LET_OP",
    "NUMBER_KINDS",
    "OUTCOME_NL",
    "APPROX_NL",
    "ON_CONDITION_NL",
    "RULES",
    "STADSDELEN_NL",
    "TERMS_NL",
    "VALUES_NL",
    "describe_counts",
    "dutch_columns",
    "dutch_header",
    "dutch_headers",
    "number_kind",
    "is_dutch_header",
    "kind_nl",
    "short_notice",
    "spread_in_dutch",
]

# -- terms shared by the analysis and the outputs --------------------------------------------------

#: Said wherever a chosen provider is shown (2.1, 2.4).
FREE_CHOICE_NL = (
    "Dit is een voorkeursaanbieder: iedere bewoner houdt het recht op vrije keuze van zorgaanbieder "
    "en mag altijd een andere zorgaanbieder aanhouden of kiezen (2.1, 2.4)."
)

#: The hard criteria of 2.3: column of care_providers -> (Dutch criterion, when met, when not met).

#: The weighted aspects of 2.2 and 2.3: key -> (setting under ``[care]``, Dutch name, section).
ASPECTS = {
    "known_in_wijk": ("weight_known_in_wijk", "Bekend in de wijk", "2.3"),
    "cooperation": ("weight_cooperation", "Samenwerkingsverbanden in de wijk", "2.3"),
    "intramural_nearby": ("weight_intramural_nearby", "Intramurale locatie in directe nabijheid", "2.3"),
    "residents_voice": ("weight_residents_voice", "Stem van de bewoners (peiling)", "2.3, 2.4"),
    "existing_clients": ("weight_existing_clients", "Bestaande cliënten in de flat", "2.2"),
}

#: Dutch labels of every column of the spread and progress tables (``frame.rename(columns=SPREAD_COLUMNS_NL)``).
SPREAD_COLUMNS_NL = {
    # areas
    "stadsdeel_code": "stadsdeelcode",
    "wijk_code": "wijkcode",
    "name": "naam",
    # pipeline per area
    "realised": "gerealiseerd",
    "chosen": "gekozen",
    "in_development": "in ontwikkeling",
    "open_candidates": "open kandidaten",
    "open_pass": "open kandidaten die voldoen (3.1)",
    "llt_flats": "Lang Leven Thuisflats in de meting",
    "share_flats": "aandeel van de flats",
    "residents_65plus": "inwoners 65+",
    "share_65plus": "aandeel van de inwoners 65+",
    "representation": "aandeel flats / aandeel 65+",
    "llt_ageing": "flats in vergrijsd gebied",
    "llt_ageing_unknown": "flats, vergrijsd onbekend",
    "share_ageing": "aandeel flats in vergrijsd gebied",
    "llt_masterplan": "flats in masterplangebied",
    "llt_masterplan_unknown": "flats, masterplan onbekend",
    "share_masterplan": "aandeel flats in masterplangebied",
    "covered_65plus": "inwoners 65+ binnen bereik",
    "coverage": "dekking 65+",
    "residents_unknown_areas": "gebieden zonder cijfers 65+",
    "figures_from": "cijfers 65+ uit",
    # city summary
    "measure": "kengetal",
    "label_nl": "omschrijving",
    "value": "waarde",
    # progress
    "year": "jaar",
    "year_nl": "jaar (tekst)",
    "candidate": "kandidaat",
    "realised_cumulative": "gerealiseerd cumulatief",
    "projected_cumulative": "prognose bij huidig tempo",
    "required_cumulative": "nodig voor het doel",
    "goal": "doel",
    "phase": "fase",
}


def in_dutch(frame: pd.DataFrame) -> pd.DataFrame:
    """The same table with Dutch column labels, for the stuurgroep.

    Parameters
    ----------
    frame : DataFrame
        A table from :func:`spread_table`, :func:`spread_report` or :func:`progress_table`.

    Returns
    -------
    DataFrame
        A copy with the columns renamed by :data:`COLUMNS_NL` (columns it does not name are kept).
    """
    return frame.rename(columns=COLUMNS_NL)


def spread_in_dutch(frame: pd.DataFrame) -> pd.DataFrame:
    """The same spread or progress table with Dutch column labels (:data:`SPREAD_COLUMNS_NL`), for the stuurgroep."""
    return frame.rename(columns=SPREAD_COLUMNS_NL)


#: Singular and plural Dutch name of each status, for sentences.
STATUS_PLURAL_NL = {
    "candidate": ("kandidaat", "kandidaten"),
    "chosen": ("gekozen", "gekozen"),
    "in_development": ("in ontwikkeling", "in ontwikkeling"),
    "realised": ("gerealiseerd", "gerealiseerd"),
}


def _flats(n: int) -> str:
    return "flat" if n == 1 else "flats"


_APART = {
    "chosen": ("{n} gekozen {flats}", "{n} chosen {flats}"),
    "in_development": ("{n} {flats} in ontwikkeling", "{n} {flats} in development"),
    "realised": ("{n} gerealiseerde {flats}", "{n} realised {flats}"),
}


def describe_counts(counts: pd.DataFrame, *, language: str = "nl", outcomes: bool = False) -> str:
    """One sentence that says how the candidates add up, for a map, a note or the terminal.

    E.g. *107 open kandidaten uit 129 kandidaatflats (13 groepen van samen 35 flats tellen elk als
    één kandidaat); apart: 21 gerealiseerde flats*. With ``outcomes`` the outcome of the open
    candidates follows (and, in brackets, that of the flats kept apart).

    Parameters
    ----------
    counts : DataFrame
        From :func:`candidate_counts`.
    language : {"nl", "en"}
        Dutch for the stuurgroep, English for the analyst's terminal.
    outcomes : bool
        Add how many pass, are unknown and fail.
    """
    nl = language == "nl"
    by = counts.set_index("status")
    row = by.loc["candidate"] if "candidate" in by.index else None
    n_open = int(row["candidates"]) if row is not None else 0
    flats_open = int(row["flats"]) if row is not None else 0
    groups = int(row["groups"]) if row is not None else 0
    in_groups = int(row["flats_in_groups"]) if row is not None else 0

    def verdicts(r: pd.Series | None) -> str:
        p, u, f = (0, 0, 0) if r is None else (int(r["pass"]), int(r["unknown"]), int(r["fail"]))
        if nl:
            verb = ("voldoet" if p == 1 else "voldoen", "voldoet" if f == 1 else "voldoen")
            return f"{p} {verb[0]}, {u} onbekend, {f} {verb[1]} niet"
        return f"{p} pass, {u} unknown, {f} fail"

    if nl:
        noun = "kandidaat" if n_open == 1 else "kandidaten"
        text = f"{n_open} open {noun} uit {flats_open} kandidaat{_flats(flats_open)}"
        if groups:
            what = "groep van samen {} flats telt" if groups == 1 else "groepen van samen {} flats tellen elk"
            text += f" ({groups} {what.format(in_groups)} als één kandidaat)"
    else:
        text = f"{n_open} open candidate{'' if n_open == 1 else 's'} from {flats_open} candidate {_flats(flats_open)}"
        if groups:
            what = "group of together {} flats counts" if groups == 1 else "groups of together {} flats count"
            text += f" ({groups} {what.format(in_groups)} as one candidate{'' if groups == 1 else ' each'})"
    if outcomes:
        text += ": " + verdicts(row)
    apart = []
    for status, r in by.drop(index=["candidate", "total"], errors="ignore").iterrows():
        phrase = _APART.get(str(status), (f"{{n}} {{flats}} ({r['status_nl']})", f"{{n}} {{flats}} ({status})"))
        part = phrase[0 if nl else 1].format(n=int(r["flats"]), flats=_flats(int(r["flats"])))
        if int(r["groups"]):
            part += f" (in {int(r['candidates'])} {'kandidaten' if nl else 'candidates'})"
        if outcomes:
            part += f" ({verdicts(r)})"
        apart.append(part)
    if apart:
        text += ("; apart, niet open: " if nl else "; apart, not open: ") + ", ".join(apart)
    return text


#: A criterion's or a partner's outcome in Dutch: the one place the stuurgroep's words for pass,
#: fail and unknown are written (the screening, the partner criteria, the welfare conditions, every page).
OUTCOME_NL = {"pass": "voldoet", "fail": "voldoet niet", "unknown": "onbekend"}
#: 3.1 "ongeveer 100 woningen": a pass within the configured tolerance ([eligibility] dwellings_tolerance)
APPROX_NL = "voldoet (ongeveer)"
#: A flat funded with a 3.1 criterion, a welfare condition (4.2) or the corporation's consent unknown
ON_CONDITION_NL = "onder voorbehoud"

# -- numbers, money, shares and dates in Dutch (Babel, nl_NL) --------------------------------------

#: The locale of every number and date the stuurgroep reads.
LOCALE = "nl_NL"
UNKNOWN_NL = "onbekend"


def _missing(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def nl_number(x: float | None, decimals: int = 0) -> str:
    """``1234.5`` -> ``1.234,5`` (Babel, nl_NL; ``decimals`` fixed); missing -> ``onbekend``.

    Rounded half up on the number as Python writes it (``repr``): 0,0375 -> 0,038 and 9,65 -> 9,7,
    as a reader who checks the figure by hand would round (a float formatter rounds the binary value
    instead: 0,0375 is 0,03749999... in binary and became 0,037).
    """
    if _missing(x):
        return UNKNOWN_NL
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    with decimal.localcontext() as context:
        context.rounding = decimal.ROUND_HALF_UP  # as a person rounds the number as written: 9,65 -> 9,7
        return format_decimal(float(x), format=pattern, locale=LOCALE, decimal_quantization=True)


def round_half_up(values, decimals: int = 0):
    """Numbers rounded half up, as :func:`nl_number` writes them (0,0375 -> 0,038; 832,5 -> 833), for
    whole columns at once (a NumPy array or pandas Series of floats); the CSVs use it so that a
    table and a page never show one figure rounded two ways."""
    scale = 10.0**decimals
    x = np.asarray(values, dtype=float)
    out = np.sign(x) * np.floor(np.abs(x) * scale + 0.5 + 1e-9) / scale
    return values.__class__(out, index=values.index) if isinstance(values, pd.Series) else out


def nl_int(x: float | None) -> str:
    """``12345.4`` -> ``12.345`` (rounded to a whole number); missing -> ``onbekend``."""
    return UNKNOWN_NL if _missing(x) else nl_number(round(float(x)))


def nl_eur(x: float | None, *, space: str = "\u00a0") -> str:
    """``2455000`` -> ``€ 2.455.000`` (whole euros; a no-break space by default); missing -> ``onbekend``."""
    return UNKNOWN_NL if _missing(x) else f"€{space}{nl_number(x)}"


def nl_eur_short(x: float) -> str:
    """A budget in a sentence: ``€ 2,4 mln`` from a million on, else ``€ 845.000``."""
    if abs(x) >= 1e6:
        return f"€ {nl_number(x / 1e6, 1)} mln"
    return nl_eur(x, space=" ")


def nl_pct(share: float | None, decimals: int = 0) -> str:
    """A share 0-1 as a percentage: ``0.095`` -> ``9,5 %`` (``decimals`` 1); missing -> ``onbekend``."""
    return UNKNOWN_NL if _missing(share) else nl_number(100 * float(share), decimals) + " %"


def nl_date(value: object) -> str:
    """``2026-11-30`` (or a date) -> ``30 november 2026`` (Babel, nl_NL); empty stays empty."""
    if value is None or value == "":
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return format_date(day, format="d MMMM y", locale=LOCALE)


#: The header of the first column of every CSV made from fictional (or otherwise marked) data.
LET_OP = "Let op"

#: Short form of the fictional-data notice, written in the ``Let op`` column of every row. Short on
#: purpose: it stands on every row (about 6,000 in the demo's CSVs); the full notice, with the seed
#: and the schematic boundaries, is in validatie.txt, the report, the maps and the GeoPackage.
FICTIONAL_SHORT = "FICTIEVE DEMODATA"

#: Short Dutch names of the criteria of 3.1, the hard criteria of 2.3, the conditions of 4.1-4.2
#: and the weighted aspects of 2.2-2.3 (``llt_geo.eligibility.CRITERIA``,
#: ``llt_geo.partners.HARD_CRITERIA``, ``WELFARE_CONDITIONS``, ``ASPECTS``), for the columns made
#: per criterion or aspect (``<criterion>_status``, ``<aspect>_score``, ...).
TERMS_NL = {
    # 3.1 flat criteria
    "nultreden": "nultredenwoningen",
    "resident_involvement": "betrokkenheid bewoners",
    "size": "omvang",
    "meeting_room": "ontmoetingsruimte",
    "amenities": "voorzieningen",
    "social_rent": "sociale huur",
    "workspace": "werkruimte",
    # 2.3 hard criteria for a care provider
    "zvw_wijkverpleging": "wijkverpleging (Zvw)",
    "wlz_mpt": "Modulair Pakket Thuis (Wlz)",
    "wlz_vpt": "Volledig Pakket Thuis (Wlz)",
    "casemanager_dementie": "casemanagers dementie",
    "contracted_zk": "gecontracteerd door Zilveren Kruis",
    "committed_programme": "gecommitteerd aan het programma",
    "client_handover": "werkt mee aan overdracht cliënten",
    # 4.1-4.2 conditions for a welfare organisation
    "purchasing_agreement": "inkoopafspraken",
    "in_alliance_plan": "in alliantieplan",
    "extra_buurtwerk_granted": "extra buurtwerk gehonoreerd",
    "senior_buurtwerker": "senior buurtwerker",
    # 2.2-2.3 weighted aspects of the choice of a voorkeursaanbieder
    "known_in_wijk": "bekend in de wijk",
    "cooperation": "samenwerking in de wijk",
    "intramural_nearby": "intramurale locatie dichtbij",
    "residents_voice": "stem van de bewoners",
    "existing_clients": "bestaande cliënten",
}

#: Amsterdam's stadsdelen by code (gebiedsindeling 2022), for the counts per stadsdeel.
STADSDELEN_NL = {
    "A": "Centrum",
    "B": "Westpoort",
    "E": "West",
    "F": "Nieuw-West",
    "K": "Zuid",
    "M": "Oost",
    "N": "Noord",
    "S": "Weesp",
    "T": "Zuidoost",
}

_OWN = {
    # overzicht_tabellen.csv: the tables read
    "table": "tabel",
    "file": "bestand",
    "rows_in": "rijen gelezen",
    "rows_used": "rijen gebruikt",
    "rows_reported": "rijen gemeld",
    "errors": "fouten",
    "warnings": "waarschuwingen",
    # ids and names
    "flat_id": "flatnummer",
    "candidate_id": "kandidaat",
    "provider_id": "zorgaanbieder",
    "other_provider_id": "andere zorgaanbieder",
    "preferred_provider_id": "voorkeursaanbieder (register)",
    "welfare_id": "welzijnsorganisatie",
    "corporation": "corporatie",
    "address": "adres",
    "buurt_code": "buurtcode",
    "scenario": "scenario",
    # codes and their Dutch reading
    "status": "fase (code)",
    "status_nl": "fase",
    "eligibility": "eindoordeel (code)",
    "eligibility_nl": "eindoordeel",
    "criterion": "criterium (code)",
    "criterion_nl": "criterium",
    "item": "onderdeel (code)",
    "item_nl": "onderdeel",
    "role": "rol (code)",
    "role_nl": "rol",
    "section": "paragraaf",
    # screening (3.1): the long table and the outcome per candidate
    "open_candidate": "open kandidaat",
    "value": "waarde",
    "threshold": "drempel",
    "margin": "marge",
    "near_miss": "bijna",
    "reason": "toelichting",
    "n_pass": "aantal voldoet",
    "n_fail": "aantal voldoet niet",
    "n_unknown": "aantal onbekend",
    "failed": "niet voldaan aan",
    "unknown": "onbekend",
    "near_misses": "bijna voldaan aan",
    "approx": "voldoet (ongeveer)",
    # screening: counts per status
    "candidates": "kandidaten",
    "groups": "groepen",
    "flats": "flats",
    "flats_in_groups": "flats in groepen",
    "pass": "voldoet",
    "fail": "voldoet niet",
    # the flat register (Dutch as the register's own headers, docs/data-format.md)
    "n_dwellings": "aantal woningen",
    "n_nultreden": "nultredenwoningen",
    "n_social_rent": "sociale huurwoningen",
    "resident_involvement": "bewoners betrokken",
    "meeting_room": "ontmoetingsruimte",
    "workspace": "werkruimte",
    "status_year": "jaar fase",
    "subsidy_eur": "subsidie (€)",
    "meeting_space_open": "ontmoetingsruimte ook voor de buurt",
    "fire_safety_plan": "brandveiligheidsplan",
    "staff_in_wijk": "medewerker corporatie in de wijk",
    "woonzorg_registered": "aangemeld als woonzorginitiatief",
    "vital_mix": "afspraken vitale mix",
    "corporation_consent": "instemming corporatie",
    "corporation_subsidy_recipient": "corporatie ontvangt subsidie",
    # screening: areas, focus, groups
    "area_level": "gebiedsniveau",
    "on_boundary": "op gebiedsgrens",
    "outside_areas": "buiten alle gebieden",
    "area_note": "opmerking gebied",
    "in_masterplan": "in masterplangebied",
    "focus_names": "focusgebieden",
    "focus_on_edge": "op rand focusgebied",
    "focus_edge_unclear": "rand focusgebied onduidelijk",
    "focus_note": "opmerking focusgebied",
    "ageing": "vergrijsd gebied",
    "group_id": "groep",
    "group_source": "groep gevormd door",
    "group_dwellings": "woningen in de groep",
    "crowded": "in te groot cluster",
    # candidate discovery (ontdekking_*.csv)
    "building_id": "pand",
    "owner": "eigenaar",
    "building_year": "bouwjaar",
    "n_dwellings_estimate": "geschat aantal woningen",
    "dwellings_source": "bron aantal woningen",
    "discovery_nl": "uitkomst ontdekking",
    "discovery": "uitkomst ontdekking (code)",
    "cluster_id": "cluster van één eigenaar",
    "cluster_dwellings": "woningen in het cluster",
    "register_flat_id": "flat in het woningregister",
    "members": "flats in de kandidaat",
    "n_members": "aantal flats",
    "is_group": "is groep",
    # screening: proximity
    "site_distance_m": "afstand intramurale locatie (m)",
    "nearest_site_id": "dichtstbijzijnde intramurale locatie",
    "nearest_site_provider_id": "zorgaanbieder van die locatie",
    "amenity_kinds_within": "soorten voorzieningen binnen bereik",
    "amenity_kinds_list": "voorzieningen binnen bereik",
    "amenity_kinds_unread": "soorten voorzieningen niet ingelezen",
    "x_rd": "x (RD, m)",
    "y_rd": "y (RD, m)",
    # partners: providers (2.3) and capacity
    "max_flats": "maximaal aantal flats (opgegeven)",
    "capacity": "capaciteit (flats)",
    "capacity_source": "bron capaciteit",
    "flats_already": "al voorkeursaanbieder (flats)",
    "capacity_left": "capaciteit over (flats)",
    "flats_committed": "vastgehouden door gekozen flats",
    "capacity_open": "plaatsen vrij voor nieuwe flats",
    "fundable": "kan gefinancierd worden",
    "excluded_nl": "waarom niet te financieren",
    "on_condition_nl": "onder voorbehoud (onbekend)",
    # partners: scores (2.2-2.3)
    "score": "totaalscore",
    "score_if_known_max": "totaalscore als onbekend maximaal",
    "rank": "rang",
    "explanation": "toelichting",
    # partners: the assignment
    "eligibility_31": "oordeel 3.1",
    "chosen_score": "score voorkeursaanbieder",
    "provider_score": "score voorkeursaanbieder",
    "changes_nl": "wijzigt ten opzichte van basis",
    "provider_name": "naam voorkeursaanbieder",
    "first_choice_id": "eerste keus",
    "first_choice_score": "score eerste keus",
    "runner_up_id": "nummer twee",
    "runner_up_score": "score nummer twee",
    "n_eligible_providers": "aantal geschikte zorgaanbieders",
    "capacity_forced": "niet de eerste keus door capaciteit",
    "choice_nl": "toelichting keuze",
    "stays_first_share": "aandeel trekkingen blijft eerste keus",
    "welfare_name": "naam welzijnsorganisatie",
    "welfare_reason": "toelichting welzijnsorganisatie",
    "consent": "instemming corporatie (laatste woord)",
    "consent_nl": "toelichting instemming",
    "process_nl": "keuzeproces",
    "free_choice_nl": "vrije keuze",
    # partners: robustness to the weights
    "score_gap": "scoreverschil",
    "other_above_share": "aandeel trekkingen andere hoger",
    "flip_nl": "wanneer de volgorde omslaat",
    # partners: welfare organisation (4.1-4.2) and the choice process (2.3-2.4)
    "purchasing_agreement": "inkoopafspraken",
    "in_alliance_plan": "in alliantieplan",
    "extra_buurtwerk_granted": "extra buurtwerk gehonoreerd",
    "senior_buurtwerker": "senior buurtwerker",
    "n_roles_confirmed": "aantal rollen bevestigd",
    "date": "datum",
    "note": "opmerking",
    # portfolio (Inleiding, 3.1)
    "in_portfolio": "in portefeuille",
    "reason_nl": "toelichting",
    "score_change_needed": "benodigde scorewijziging",
    "in_share_weights_vary": "aandeel erin bij wisselende gewichten",
    "cost": "kosten (€)",
    "focus": "focus (vergrijsd of masterplan)",
    "marks_nl": "nog onbekend",
    "open_points_nl": "open punten",
    "on_condition": "onder voorbehoud",
    "differs_from_basis": "anders dan basis",
    "budget_eur": "budget (€)",
    "flats_chosen": "flats gekozen",
    "cost_eur": "kosten (€)",
    "suitability": "totale geschiktheid",
    "gap": "marge tot bewezen optimum",
    "focus_share_all": "aandeel flats in focusgebied",
    "coverage_65plus": "dekking 65+",
    "dissimilarity": "ongelijkheidsindex (Duncan)",
    "explanation_nl": "toelichting",
    # the budget ladder and the core index (issue 22)
    "budget_from_eur": "budget vanaf (€)",
    "n_flats_chosen": "aantal flats",
    "enters": "erbij",
    "leaves": "eraf",
    "current_budget": "huidig budget",
    "core_index": "kernindex",
    "core_nl": "kern, twijfel of buiten",
    "share_weights": "aandeel trekkingen gewichten",
    "share_ladder": "aandeel budgetstappen",
    "from_eur": "in vanaf budget (€)",
    "stays_in": "bij elk hoger budget in",
}

#: English column name -> Dutch header, for every column a CSV of ``llt-geo run`` holds (the spread
#: and progress tables' :data:`llt_geo.spread.COLUMNS_NL` included); columns made per provider,
#: aspect, criterion, amenity kind, stadsdeel or scenario follow :data:`RULES`.
COLUMNS_NL: dict[str, str] = {**SPREAD_COLUMNS_NL, **_OWN}

#: Headers for one file (by file name without ``.csv``) where a name means something else there.
FILE_COLUMNS_NL: dict[str, dict[str, str]] = {
    "toets_criteria": {"status": "oordeel (code)", "status_nl": "oordeel"},
    "partners_harde_criteria": {"status": "oordeel (code)", "status_nl": "oordeel"},
    "partners_keuzeproces": {"status": "stand van zaken (code)", "status_nl": "stand van zaken"},
    "partners_corporatie": {"status_nl": "voldaan"},
    "partners_welzijn_rollen": {"status_nl": "bevestigd"},
    "portefeuille_scenarios": {"status": "uitkomst (code)", "status_nl": "uitkomst", "chosen": "gekozen kandidaten"},
    "partners_toewijzing": {"provider_id": "voorkeursaanbieder"},
    "partners_robuustheid": {"provider_id": "voorkeursaanbieder"},
    "toets_kandidaten": {"share_65plus": "aandeel 65+ in het gebied"},
    "toets_flats": {"share_65plus": "aandeel 65+ in het gebied"},
}

#: Headers of the decision per scenario (``portefeuille_<scenario>.csv``), whose file names vary.
_SCENARIO_FILE = {"provider_id": "voorkeursaanbieder"}

#: Codes written in Dutch in a status column that has no Dutch twin (``<name>_nl``) beside it.
VALUES_NL = {**OUTCOME_NL, **STATUS_LABELS_NL}

#: A column whose codes are read in its twin ``<name>_nl``; without the twin, it takes the twin's
#: header and its codes are written in Dutch.
_CODED = ("status", "eligibility")


@dataclass(frozen=True)
class Rule:
    """A family of columns made per id: ``english`` (a regex with one named group) -> ``dutch``
    (a template with that group). The group's value is translated by ``terms`` (when given, only
    those values match) or formatted by ``fmt``; ``files`` (file names without ``.csv``, by prefix)
    limits the rule to those files when the file is known."""

    english: str
    dutch: str
    terms: dict[str, str] | None = None
    files: tuple[str, ...] = ()
    fmt: Callable[[str], str] | None = None

    @property
    def group(self) -> str:
        return next(iter(re.compile(self.english).groupindex))

    def translate(self, name: str, file: str = "") -> str | None:
        """The Dutch header of ``name``, or None when the rule does not apply."""
        if file and self.files and not file.startswith(self.files):
            return None
        m = re.fullmatch(self.english, name)
        if not m:
            return None
        key = m.group(self.group)
        if self.terms is not None:
            if key not in self.terms:
                return None
            key = self.terms[key]
        elif self.fmt is not None:
            key = self.fmt(key)
        return self.dutch.format(**{self.group: key})

    def dutch_pattern(self) -> re.Pattern:
        """A regex that every Dutch header this rule makes matches."""
        head, tail = self.dutch.split("{" + self.group + "}")
        inner = "|".join(re.escape(v) for v in self.terms.values()) if self.terms is not None else ".+"
        return re.compile(f"{re.escape(head)}(?:{inner}){re.escape(tail)}")


#: Dutch names of the kinds of target whose code is not already Dutch (amenity kinds are)
KINDS_NL = {"ov_halte": "ov-halte", "intramural_site": "intramurale locatie"}


def kind_nl(kind: str) -> str:
    """The Dutch name of an amenity kind or target kind, for headers, reasons and popups."""
    return KINDS_NL.get(kind, kind.replace("_", " "))


def _stadsdeel_nl(code: str) -> str:
    return f"{STADSDELEN_NL[code]} ({code})" if code in STADSDELEN_NL else f"stadsdeel {code}"


_TERMS = "|".join(sorted(TERMS_NL, key=len, reverse=True))

#: The columns made per provider, criterion, aspect, amenity kind, stadsdeel or scenario.
RULES: tuple[Rule, ...] = (
    Rule(rf"(?P<t>{_TERMS})_status", "{t}: oordeel", TERMS_NL),
    Rule(rf"(?P<t>{_TERMS})_reason", "{t}: toelichting", TERMS_NL),
    Rule(rf"(?P<t>{_TERMS})_value", "{t}: waarde", TERMS_NL),
    Rule(rf"(?P<t>{_TERMS})_score", "{t}: score", TERMS_NL),
    Rule(rf"(?P<t>{_TERMS})_known", "{t}: bekend", TERMS_NL),
    Rule(rf"flip_weight_(?P<t>{_TERMS})", "omslaggewicht {t}", TERMS_NL),
    Rule(r"afstand_locatie_(?P<id>.+)", "afstand locatie {id} (m)", files=("toets_",)),
    Rule(
        r"access_(?P<kind>[a-z][a-z0-9_]*)_m", "{kind}: toegankelijke loopafstand (m)", files=("toets_",), fmt=kind_nl
    ),
    Rule(
        r"access_(?P<kind>[a-z][a-z0-9_]*)_status",
        "{kind}: toegankelijke loopafstand, uitkomst",
        files=("toets_",),
        fmt=kind_nl,
    ),
    Rule(
        r"access_(?P<kind>[a-z][a-z0-9_]*)_reason",
        "{kind}: toegankelijke loopafstand, toelichting",
        files=("toets_",),
        fmt=kind_nl,
    ),
    Rule(r"dist_(?P<kind>[a-z][a-z0-9_]*)_m", "{kind}: afstand (m)", files=("toets_", "ontdekking_"), fmt=kind_nl),
    Rule(r"n_(?P<kind>[a-z][a-z0-9_]*)", "{kind}: aantal binnen bereik", files=("toets_", "ontdekking_"), fmt=kind_nl),
    Rule(r"n_(?P<code>[A-Z])", "flats in {code}", files=("portefeuille_scenarios",), fmt=_stadsdeel_nl),
    Rule(r"in_(?P<s>.+)", "in scenario {s}", files=("portefeuille_kandidaten",)),
    Rule(r"reason_(?P<s>.+)_nl", "toelichting scenario {s}", files=("portefeuille_kandidaten",)),
)


def _stem(file: str | Path) -> str:
    name = Path(file).name if file else ""
    return name[:-4] if name.lower().endswith(".csv") else name


def _dutch_values() -> set[str]:
    values = set(COLUMNS_NL.values()) | {LET_OP}
    for headers in FILE_COLUMNS_NL.values():
        values |= set(headers.values())
    return values


#: What a number column means, by its English name, and so how the CSVs round it (first match wins):
#: ``eur`` whole euros; ``m`` whole metres; ``persons`` whole people; ``share`` a share 0-1, written
#: as a percentage with one decimal (the header says ``(%)``); ``score`` three decimals (scores,
#: margins and indices on a 0-1 scale, as every page shows them); ``weight`` two decimals. Every other
#: number keeps up to three decimals; a whole-valued column is written without decimals. Coordinates
#: (``x_rd``, ``y_rd``) keep one decimal (10 cm).
NUMBER_KINDS: tuple[tuple[str, str], ...] = (
    (r"x_rd|y_rd", "coordinate"),
    (r".*_eur|cost", "eur"),
    (r".*_m|afstand_locatie_.+|dist_.+_m|site_distance_m", "m"),
    (r"intramural_nearby_value", "m"),
    (r"residents_.+|covered_65plus", "persons"),
    (r"share_.+|.+_share|.+_share_.+|coverage|coverage_65plus|focus_share_all", "share"),
    (r"flip_weight_.+", "weight"),
    (r"score|.+_score|margin|score_gap|score_change_needed|suitability|dissimilarity|representation|gap"
     r"|score_if_unknown_max", "score"),
)
_NUMBER_KINDS = tuple((re.compile(pattern), kind) for pattern, kind in NUMBER_KINDS)


def number_kind(name: str) -> str | None:
    """What the number column ``name`` (English) means for rounding (:data:`NUMBER_KINDS`), or None."""
    for pattern, kind in _NUMBER_KINDS:
        if pattern.fullmatch(str(name)):
            return kind
    return None


def dutch_header(name: str, file: str | Path = "", *, strict: bool = False) -> str:
    """The Dutch header of column ``name`` (in ``file``, e.g. ``"toets_criteria.csv"``); a share
    (:func:`number_kind`) is written as a percentage and its header ends in ``(%)``."""
    header = _dutch_header(name, file, strict=strict)
    if number_kind(name) == "share" and not header.endswith("(%)"):
        header += " (%)"
    return header


def _dutch_header(name: str, file: str | Path = "", *, strict: bool = False) -> str:
    """The Dutch header of column ``name`` (in ``file``, e.g. ``"toets_criteria.csv"``).

    The file's own header (:data:`FILE_COLUMNS_NL`) wins, then :data:`COLUMNS_NL`, then the first of
    :data:`RULES` that matches (a rule for one kind of file only applies to it when ``file`` is
    given). A header that already is Dutch is returned as it is. A name nothing knows is returned
    unchanged, or raises ``KeyError`` when ``strict``.
    """
    stem = _stem(file)
    own = FILE_COLUMNS_NL.get(stem) or (_SCENARIO_FILE if stem.startswith("portefeuille_") else {})
    if name in own:
        return own[name]
    if name in COLUMNS_NL:
        return COLUMNS_NL[name]
    for rule in RULES:
        dutch = rule.translate(name, stem)
        if dutch is not None:
            return dutch
    if name in _dutch_values():
        return name
    if strict:
        raise KeyError(f"no Dutch header for column {name!r}" + (f" in {stem}.csv" if stem else ""))
    return name


def dutch_headers(columns, file: str | Path = "", *, strict: bool = False) -> list[str]:
    """The Dutch headers of ``columns`` as :func:`dutch_columns` writes them (a status code column
    without its Dutch twin takes the twin's header; a header met twice gets its English name in
    brackets)."""
    columns = [str(c) for c in columns]
    present = set(columns)
    out: list[str] = []
    for name in columns:
        if name in _CODED and f"{name}_nl" not in present:
            header = dutch_header(f"{name}_nl", file, strict=strict)
        else:
            header = dutch_header(name, file, strict=strict)
        if header in out:
            if strict:
                raise KeyError(f"Dutch header {header!r} twice" + (f" in {_stem(file)}.csv" if file else ""))
            header = f"{header} [{name}]"
        out.append(header)
    return out


def _coded(name: str) -> bool:
    return name in _CODED or name == "eligibility_31" or (name.endswith("_status") and name[:-7] in TERMS_NL)


def dutch_columns(frame: pd.DataFrame, file: str | Path = "", *, strict: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` with Dutch headers (:func:`dutch_headers`).

    A status column without a Dutch twin beside it (``nultreden_status``, ``eligibility_31``, a
    flat's ``status`` in ``toets_flats.csv``) has its codes written in Dutch (:data:`VALUES_NL`),
    when every value is such a code; every other value is kept as it is.
    """
    out = frame.copy()
    present = {str(c) for c in out.columns}
    for col in out.columns:
        name = str(col)
        if not _coded(name) or f"{name}_nl" in present:
            continue
        s = out[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if not (pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype)):
            continue
        values = s.dropna()
        if len(values) and values.isin(list(VALUES_NL)).all():
            out[col] = s.map(VALUES_NL, na_action="ignore").astype(s.dtype)
    out.columns = dutch_headers(out.columns, file, strict=strict)
    return out


def is_dutch_header(header: str) -> bool:
    """True for a header that :func:`dutch_header` makes (or ``Let op``): a test that no column of a
    CSV is left in English."""
    if header in _dutch_values():
        return True
    if header.endswith(" (%)") and is_dutch_header(header[: -len(" (%)")]):
        return True
    return any(rule.dutch_pattern().fullmatch(header) for rule in RULES)


def short_notice(label: str) -> str:
    """The notice written in the ``Let op`` column of every row, from a dataset's label.

    Fictional data (the label says ``FICTIEVE DEMODATA``) gives :data:`FICTIONAL_SHORT`; another
    notice (``"Woningregister 2026 — VERTROUWELIJK, concept"``) is the part after the dataset's
    name; a label without a name is used whole. Empty without a label.
    """
    label = " ".join(str(label).split())
    if not label:
        return ""
    if "FICTIEVE DEMODATA" in label.upper():
        return FICTIONAL_SHORT
    _name, sep, notice = label.partition(" — ")
    return notice if sep and notice else label

