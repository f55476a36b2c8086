"""Traceability: every checkable statement of the Toewijzingskader, and what llt_geo does with it.

The table (:func:`statements`) maps each statement of the framework — the goal, budget, one care and
one welfare partner per flat and the corporation's final say of the Inleiding; the existing clients
and the vital balance of 2.2; the hard criteria, weighted aspects and steps of 2.3; the positioning
options and free choice of 2.4; the flat criteria, grouping and spread of 3.1; the corporation's
role of 3.2; the welfare organisation's role (4.1) and conditions (4.2) — to the function that
computes or records it, the result and column that show it, the CSV file the stuurgroep opens and
the configuration key of any threshold or weight. A statement the package does not implement is
*niet gedekt* with the reason, never dressed up.

Three kinds (``kind``):

* ``berekend`` — llt_geo applies the rule: it derives an outcome from the data (a status, a score,
  a choice, a measure) and that outcome counts in the partner choice, the screening or the
  portfolio. Where the underlying fact is a yes/no the partner gives (a hard criterion of 2.3), the
  note says where it comes from.
* ``vastgelegd`` — llt_geo reads the fact from the input (a checklist the corporation, the welfare
  organisation or the flat partners fill in) and shows it per flat; it does not derive it, and it
  does not decide the choice.
* ``niet gedekt`` — not covered yet; ``note`` says why.

``tests/test_traceability.py`` runs the whole chain on the demo and, with :mod:`llt_geo.audit`
(which imports the named functions by their dotted names, apart from the outputs), checks that every
function exists, every (result, column) exists in the real result objects, every long-table value occurs,
and every configuration key exists; ``docs/traceability.md`` is :func:`to_markdown` and the
stuurgroep report shows :func:`to_html`. Regenerate the document with
``python -m llt_geo.present.traceability``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = [
    "COLUMNS_NL",
    "KINDS",
    "SECTIONS",
    "Statement",
    "count_sentence",
    "counts",
    "csv_header",
    "statements",
    "table",
    "to_html",
    "to_markdown",
]

#: The three kinds, in the order they are counted.
KINDS = ("berekend", "vastgelegd", "niet gedekt")

#: The sections of the Toewijzingskader the table covers, in order.
SECTIONS = ("Inleiding", "2.2", "2.3", "2.4", "3.1", "3.2", "4.1", "4.2")

#: Dutch column headers of :func:`table`.
COLUMNS_NL = {
    "id": "Nr",
    "section": "Sectie",
    "statement_nl": "Uitspraak",
    "kind": "Soort",
    "function": "Functie",
    "output": "Uitvoer (tabel, kolom)",
    "csv": "Bestand",
    "config_key": "Instelling",
    "note": "Opmerking",
}


@dataclass(frozen=True)
class Statement:
    """One checkable statement of the Toewijzingskader and where llt_geo computes or records it.

    Attributes
    ----------
    id : str
        Unique, e.g. ``"2.3-h1"``.
    section : str
        The framework's section (``"Inleiding"``, ``"2.3"``, ...).
    statement_nl : str
        The statement, a short Dutch paraphrase or quote.
    kind : str
        ``"berekend"``, ``"vastgelegd"`` or ``"niet gedekt"`` (see the module docstring).
    function : str
        Dotted path of the function that computes or records it (empty when not covered).
    result : str
        Where the output lives: a result object and its attribute, e.g.
        ``"PartnerChoice.hard_criteria"`` or ``"Portfolio.scenarios['basis'].reasons"``;
        ``"progress_table()"`` is the table :func:`llt_geo.spread.progress_table` returns.
    column : str
        The (English) DataFrame column in that result.
    value : str
        In a long table, the value of ``column`` that identifies the rows (e.g. a criterion code).
    csv : str
        The CSV file the stuurgroep opens (written by ``llt-geo run``).
    config_key : str
        ``section.key`` of the configuration where a threshold or weight applies; several are
        separated by ``", "``.
    note : str
        Dutch: where a fact comes from, what llt_geo assumes, or why it is not covered.
    """

    id: str
    section: str
    statement_nl: str
    kind: str
    function: str = ""
    result: str = ""
    column: str = ""
    value: str = ""
    csv: str = ""
    config_key: str = ""
    note: str = ""


_P = "llt_geo.partners."
_CRIT = "Screening.criteria"
_HARD = "PartnerChoice.hard_criteria"
_SCORES = "PartnerChoice.scores"
_CORP = "PartnerChoice.corporation"
_PROC = "PartnerChoice.process"
_ROLES = "PartnerChoice.welfare_roles"
_WELF = "PartnerChoice.welfare"

_HARD_NOTE = (
    "Ja/nee per aanbieder uit care_providers.{col}; llt_geo toetst: voldoet niet of onbekend = niet "
    "geschikt, dus niet gescoord en niet toegewezen (ook stap 1, 2.3-s1: 'moet in ieder geval voldoen')."
)

_STATEMENTS: tuple[Statement, ...] = (
    # ------------------------------------------------------------------------------ Inleiding
    Statement(
        "inl-1", "Inleiding",
        "30 Lang Leven Thuisflats als ambitie voor 2030 (ook paragraaf 1: 'in 2030 zijn er 30').",
        "berekend", "llt_geo.spread.progress_table", "progress_table()", "goal", "", "voortgang.csv",
        "programme.goal_flats, programme.goal_year",
        "Voortgang per jaar, tempo en wat per jaar nodig is; de portefeuille kiest precies het aantal dat nog "
        "ontbreekt (regel 'goal' in llt_geo.portfolio).",
    ),
    Statement(
        "inl-2", "Inleiding",
        "Binnen het beschikbare subsidiebudget (SPUK DOS) moeten keuzes worden gemaakt.",
        "berekend", "llt_geo.portfolio.solve", "Portfolio.comparison", "cost_eur", "", "portefeuille_scenarios.csv",
        "programme.budget_eur",
        "Exacte keuze (MILP) binnen het budget; budget_eur in dezelfde tabel. Kosten per flat uit "
        "flats.subsidy_eur, anders [programme] default_subsidy_eur. Zonder budget weigert de stap te rekenen.",
    ),
    Statement(
        "inl-3", "Inleiding",
        "Per flat een keuze voor één zorgorganisatie (voorkeursaanbieder zorg).",
        "berekend", _P + "assign_providers", "PartnerChoice.assignment", "provider_id", "", "partners_toewijzing.csv",
        "care.default_max_flats",
        "Precies één aanbieder per kandidaat (of geen, en dan gemeld), exact toegewezen binnen de capaciteit per "
        "aanbieder; de capaciteit (max_flats, anders default_max_flats) is een werkaanname van llt_geo, niet uit "
        "het kader.",
    ),
    Statement(
        "inl-4", "Inleiding",
        "Per flat een keuze voor één welzijnsorganisatie.",
        "berekend", _P + "choose_welfare", "PartnerChoice.assignment", "welfare_id", "", "partners_toewijzing.csv",
        "portfolio.welfare_required",
        "Eén organisatie per kandidaat uit die in het stadsdeel actief zijn en aan 4.1-2 en 4.2 voldoen; bij "
        "meer dan één de meeste bevestigde rollen van 4.1 (een eigen keuzeregel van llt_geo). De portefeuille "
        "eist er een (welfare_required).",
    ),
    Statement(
        "inl-5", "Inleiding",
        "De woningcorporatie heeft als eigenaar van de flat het laatste woord.",
        "berekend", "llt_geo.portfolio.build_inputs", "Portfolio.scenarios['basis'].reasons", "reason_nl", "",
        "portefeuille_basis.csv", "portfolio.allow_unknown_consent",
        "Een kandidaat zonder akkoord (flats.corporation_consent = nee) komt nooit in de portefeuille: 'uit: de "
        "corporatie heeft niet ingestemd (laatste woord)'. Akkoord onbekend: alleen met allow_unknown_consent, "
        "en gemarkeerd. Vastgelegd per flat: 3.1-b.",
    ),
    # ------------------------------------------------------------------------------ 2.2
    Statement(
        "2.2-a", "2.2",
        "Het is belangrijk dat de zorgorganisatie een groep cliënten in de flat heeft.",
        "berekend", _P + "aspect_scores", _SCORES, "existing_clients_score", "", "partners_scores.csv",
        "care.weight_existing_clients, care.existing_clients_full",
        "Weegt mee als aspect 'bestaande cliënten' (0-1) uit flat_clients; onbekend telt als 0 en wordt gemeld. "
        "Gewicht en schaal zijn werkaannames: het kader noemt geen getal.",
    ),
    Statement(
        "2.2-b", "2.2",
        "De flatpartners waken ervoor dat de balans tussen vitale en meer kwetsbare bewoners in balans blijft.",
        "niet gedekt",
        note="Er zijn geen gegevens over de vitaliteit van bewoners, dus de balans wordt niet gemeten. Alleen de "
        "toezegging van de corporatie over de vitale mix wordt vastgelegd (3.2-5).",
    ),
    # ------------------------------------------------------------------------------ 2.3 hard criteria
    Statement(
        "2.3-h1", "2.3",
        "Harde eis: biedt zorg thuis vanuit de Zvw: wijkverpleging.",
        "berekend", _P + "hard_criteria", _HARD, "criterion", "zvw_wijkverpleging", "partners_harde_criteria.csv",
        note=_HARD_NOTE.format(col="zvw_wijkverpleging"),
    ),
    Statement(
        "2.3-h2", "2.3",
        "Harde eis: biedt zorg thuis vanuit de Wlz: Modulair Pakket Thuis.",
        "berekend", _P + "hard_criteria", _HARD, "criterion", "wlz_mpt", "partners_harde_criteria.csv",
        note=_HARD_NOTE.format(col="wlz_mpt"),
    ),
    Statement(
        "2.3-h3", "2.3",
        "Harde eis: biedt zorg thuis vanuit de Wlz: Volledig Pakket Thuis.",
        "berekend", _P + "hard_criteria", _HARD, "criterion", "wlz_vpt", "partners_harde_criteria.csv",
        note=_HARD_NOTE.format(col="wlz_vpt"),
    ),
    Statement(
        "2.3-h4", "2.3",
        "Harde eis: beschikt over casemanagers dementie.",
        "berekend", _P + "hard_criteria", _HARD, "criterion", "casemanager_dementie", "partners_harde_criteria.csv",
        note=_HARD_NOTE.format(col="casemanager_dementie"),
    ),
    Statement(
        "2.3-h5", "2.3",
        "Harde eis: is gecontracteerd door Zilveren Kruis.",
        "berekend", _P + "hard_criteria", _HARD, "criterion", "contracted_zk", "partners_harde_criteria.csv",
        note=_HARD_NOTE.format(col="contracted_zk"),
    ),
    Statement(
        "2.3-h6", "2.3",
        "Harde eis: is als flatpartner gecommitteerd aan de ambitie en doelen van het programma (bijlage 1), "
        "community care en de transitie in de zorg.",
        "berekend", _P + "hard_criteria", _HARD, "criterion", "committed_programme", "partners_harde_criteria.csv",
        note=_HARD_NOTE.format(col="committed_programme")
        + " Eén ja/nee voor het hele punt: de onderdelen (samenwerking, community care, eerst zelf/gemeenschap, "
        "wijkverpleging als laatste) worden niet apart vastgelegd.",
    ),
    Statement(
        "2.3-h7", "2.3",
        "Harde eis: werkt in andere Lang Leven Thuisflats actief mee aan het overdragen van cliënten aan de "
        "voorkeursaanbieder.",
        "berekend", _P + "hard_criteria", _HARD, "criterion", "client_handover", "partners_harde_criteria.csv",
        note=_HARD_NOTE.format(col="client_handover"),
    ),
    # ------------------------------------------------------------------------------ 2.3 weighted aspects
    Statement(
        "2.3-w1", "2.3",
        "De bewoners van de flat hebben een stem in de keuze voor de voorkeurszorgaanbieder.",
        "berekend", _P + "aspect_scores", _SCORES, "residents_voice_score", "", "partners_scores.csv",
        "care.weight_residents_voice",
        "Aandeel respondenten van de bewonerspeiling (survey) dat deze aanbieder kiest, 0-1; zonder peiling "
        "onbekend (telt als 0, gemeld). Het gewicht is een werkaanname.",
    ),
    Statement(
        "2.3-w2", "2.3",
        "Weegt mee: bekend in de wijk (de aanbieder biedt al zorg in de wijk).",
        "berekend", _P + "aspect_scores", _SCORES, "known_in_wijk_score", "", "partners_scores.csv",
        "care.weight_known_in_wijk, care.known_in_wijk_full_clients",
        "Cliënten van de aanbieder in de wijk van de kandidaat (provider_presence.n_clients), 0-1.",
    ),
    Statement(
        "2.3-w3", "2.3",
        "Weegt mee: samenwerkingsafspraken met huisartsen en andere nulde- en eerstelijnszorgaanbieders in de "
        "wijk.",
        "berekend", _P + "aspect_scores", _SCORES, "cooperation_score", "", "partners_scores.csv",
        "care.weight_cooperation",
        "Gemiddelde van twee ja/nee's per aanbieder en wijk: provider_presence.gp_agreement (huisartsen) en "
        "first_line_agreement (eerstelijnszorg). Nulde-lijnsaanbieders hebben geen eigen kolom; "
        "welzijnsnetwerken: 2.3-w4.",
    ),
    Statement(
        "2.3-w4", "2.3",
        "Weegt mee: samenwerkingsafspraken met welzijnsnetwerken in de wijk.",
        "niet gedekt",
        note="provider_presence heeft geen kolom voor afspraken met welzijnsnetwerken; het aspect "
        "'samenwerkingsverbanden' (2.3-w3) telt alleen huisartsen en eerstelijnszorg.",
    ),
    Statement(
        "2.3-w5", "2.3",
        "Weegt mee: intramurale locatie in directe nabijheid.",
        "berekend", _P + "aspect_scores", _SCORES, "intramural_nearby_score", "", "partners_scores.csv",
        "care.weight_intramural_nearby, care.intramural_nearby_m",
        "Afstand tot de dichtstbijzijnde eigen locatie van de aanbieder (llt_geo.proximity.site_proximity; "
        "hemelsbreed of over het looppadennetwerk), 1 ernaast, 0 vanaf intramural_nearby_m (werkaanname).",
    ),
    # ------------------------------------------------------------------------------ 2.3 steps
    Statement(
        "2.3-s1", "2.3",
        "Stap 1: verkennend gesprek met of behoeftepeiling bij bewoners over de (beoogde) voorkeursaanbieder.",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "step1_survey", "partners_keuzeproces.csv",
        note="Status en datum uit de tabel process. De stappen staan in de tekst van het kader in paragraaf 2.4; "
        "llt_geo nummert ze als 2.3 stap 1-4. De uitkomst van de peiling telt mee als 2.3-w1.",
    ),
    Statement(
        "2.3-s2", "2.3",
        "Stap 2: de samenwerkende partijen formuleren een gezamenlijke ambitie, plan van aanpak en begroting.",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "step2_plan", "partners_keuzeproces.csv",
        note="Status en datum uit de tabel process; de inhoud van plan en begroting niet.",
    ),
    Statement(
        "2.3-s3", "2.3",
        "Stap 3: de voorkeursaanbieder wordt voorgesteld aan de bewoners; bewoners worden gehoord.",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "step3_introduced", "partners_keuzeproces.csv",
        note="Status, datum en een vrije toelichting (note) uit de tabel process; de mening en bezwaren van "
        "bewoners worden niet apart vastgelegd.",
    ),
    Statement(
        "2.3-s4", "2.3",
        "Stap 4: de samenwerkingspartners in de wijk (eerstelijnspraktijken, huisartsen) worden geïnformeerd.",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "step4_partners_informed",
        "partners_keuzeproces.csv",
        note="Status en datum uit de tabel process.",
    ),
    # ------------------------------------------------------------------------------ 2.4
    Statement(
        "2.4-p1", "2.4",
        "Positionering: communicatie bewoners (bewonersbijeenkomst, bij inhuizing).",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "pos_resident_communication",
        "partners_keuzeproces.csv",
        note="De partijen bepalen samen welke opties zij inzetten; llt_geo legt per flat status en datum vast.",
    ),
    Statement(
        "2.4-p2", "2.4",
        "Positionering: gezamenlijke communicatie aan verwijzers in de buurt (brief van de VVT-partijen).",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "pos_referrer_letter", "partners_keuzeproces.csv",
        note="Status en datum uit de tabel process.",
    ),
    Statement(
        "2.4-p3", "2.4",
        "Positionering: verleiding (de zorgpartij wordt een vertrouwd gezicht).",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "pos_temptation", "partners_keuzeproces.csv",
        note="Status en datum uit de tabel process.",
    ),
    Statement(
        "2.4-p4", "2.4",
        "Positionering: uitruil en doorverwijzing (gezamenlijke brief aan cliënten in flat en buurt).",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "pos_exchange_referral", "partners_keuzeproces.csv",
        note="Status en datum uit de tabel process.",
    ),
    Statement(
        "2.4-p5", "2.4",
        "Positionering: werkplek (kantoortje) van het zorgteam in de flat.",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "pos_workspace", "partners_keuzeproces.csv",
        note="Status en datum uit de tabel process. Of er ruimte voor een werkplek is, toetst 3.1-c7.",
    ),
    Statement(
        "2.4-p6", "2.4",
        "Positionering: voorkeurstoewijzing van woningen aan cliënten van de voorkeursaanbieder "
        "(woonzorginitiatief).",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "pos_preferential_allocation",
        "partners_keuzeproces.csv",
        note="Status en datum uit de tabel process; de aanmelding door de corporatie: 3.2-4.",
    ),
    Statement(
        "2.4-v", "2.4",
        "Het recht van de bewoners op vrije keuze voor een zorgaanbieder wordt in alle gevallen gerespecteerd "
        "(ook 2.1).",
        "berekend", _P + "choose_partners", "PartnerChoice.assignment", "free_choice_nl", "",
        "partners_toewijzing.csv",
        note="Elke uitvoer die een gekozen aanbieder toont zegt dat het een voorkeur is "
        "(llt_geo.partners.FREE_CHOICE_NL); niets in llt_geo sluit andere zorg uit.",
    ),
    # ------------------------------------------------------------------------------ 3.1
    Statement(
        "3.1-b", "3.1",
        "Het uiteindelijke besluit over een flat ligt bij de woningcorporatie.",
        "vastgelegd", _P + "corporation_checklist", _CORP, "item", "corporation_consent", "partners_corporatie.csv",
        note="Ja/nee/onbekend per flat uit flats.corporation_consent; per kandidaat in partners_toewijzing.csv "
        "(consent_nl). Toegepast in de portefeuille: inl-5.",
    ),
    Statement(
        "3.1-c1", "3.1",
        "Geschiktheid: seniorenwoningen (nultreden).",
        "berekend", "llt_geo.eligibility.evaluate_criteria", _CRIT, "criterion", "nultreden", "toets_criteria.csv",
        "eligibility.min_share_nultreden",
        "Aandeel nultredenwoningen (n_nultreden / n_dwellings) tegen de drempel; het kader noemt geen getal, "
        "de standaard 0,5 is een werkaanname. Onbekend is nooit voldoende.",
    ),
    Statement(
        "3.1-c2", "3.1",
        "Geschiktheid: betrokkenheid bewoners van de flat.",
        "berekend", "llt_geo.eligibility.evaluate_criteria", _CRIT, "criterion", "resident_involvement",
        "toets_criteria.csv",
        note="Ja/nee uit flats.resident_involvement; hoe betrokkenheid wordt vastgesteld zegt het kader niet. "
        "Een groep voldoet alleen als elke flat voldoet.",
    ),
    Statement(
        "3.1-c3", "3.1",
        "Geschiktheid: minimale omvang van ongeveer 100 woningen.",
        "berekend", "llt_geo.eligibility.evaluate_criteria", _CRIT, "criterion", "size", "toets_criteria.csv",
        "eligibility.min_dwellings, eligibility.near_miss_dwellings",
        "'Ongeveer' wordt: minimaal min_dwellings (standaard 100) om te voldoen; tot near_miss_dwellings eronder "
        "heet 'bijna' (near_miss) en wordt getoond, maar voldoet niet.",
    ),
    Statement(
        "3.1-c3g", "3.1",
        "Of een aantal gegroepeerde flats van samen minimaal 100 woningen.",
        "berekend", "llt_geo.eligibility.find_groups", "Screening.candidates", "group_source", "",
        "toets_kandidaten.csv", "grouping.max_distance_m, grouping.same_corporation, grouping.max_members",
        "Groepen uit het register (group_source 'register') gaan voor; anders flats binnen max_distance_m van "
        "dezelfde corporatie (group_source 'afstand', werkaanname). Een groep telt als één kandidaat.",
    ),
    Statement(
        "3.1-c4", "3.1",
        "Geschiktheid: ontmoetingsruimte voor flatbewoners én buurt.",
        "berekend", "llt_geo.eligibility.evaluate_criteria", _CRIT, "criterion", "meeting_room",
        "toets_criteria.csv",
        note="Ja/nee uit flats.meeting_room; een groep voldoet als één flat een ruimte heeft.",
    ),
    Statement(
        "3.1-c5", "3.1",
        "Geschiktheid: nabij voorzieningen.",
        "berekend", "llt_geo.eligibility.evaluate_criteria", _CRIT, "criterion", "amenities", "toets_criteria.csv",
        "eligibility.min_amenity_kinds, eligibility.amenity_radius_m, eligibility.amenity_kinds",
        "Aantal soorten voorzieningen binnen de loopafstand (llt_geo.proximity.amenity_reach); straal, soorten "
        "en aantal zijn werkaannames.",
    ),
    Statement(
        "3.1-c6", "3.1",
        "Geschiktheid: sociale huur.",
        "berekend", "llt_geo.eligibility.evaluate_criteria", _CRIT, "criterion", "social_rent", "toets_criteria.csv",
        "eligibility.min_share_social_rent",
        "Aandeel sociale huurwoningen tegen de drempel; het kader noemt geen getal, de standaard 0,5 is een "
        "werkaanname.",
    ),
    Statement(
        "3.1-c7", "3.1",
        "Geschiktheid: mogelijkheid voor werkruimte voor Langer Thuiscoach en zorgteam.",
        "berekend", "llt_geo.eligibility.evaluate_criteria", _CRIT, "criterion", "workspace", "toets_criteria.csv",
        note="Ja/nee uit flats.workspace; een groep voldoet als één flat ruimte heeft.",
    ),
    Statement(
        "3.1-sp1", "3.1",
        "Een redelijke spreiding over de stadsdelen.",
        "berekend", "llt_geo.spread.spread_report", "Spread.stadsdelen", "llt_flats", "",
        "spreiding_stadsdelen.csv", "spread.coverage_distance_m",
        "Per stadsdeel de flats naast het aandeel inwoners 65+ (representation) en de dekking; voor de stad "
        "Duncans ongelijkheidsindex en de dekking 65+ (spreiding_stad.csv). Het kader geeft geen maat: beide "
        "maten zijn keuzes van llt_geo (docs/spread.md).",
    ),
    Statement(
        "3.1-sp2", "3.1",
        "Bij de keuze van flats voor de ontwikkelsubsidie: redelijke spreiding over de stadsdelen.",
        "berekend", "llt_geo.portfolio.solve", "Portfolio.comparison", "dissimilarity", "",
        "portefeuille_scenarios.csv", "portfolio.min_per_stadsdeel, portfolio.max_per_stadsdeel",
        "Toegepast als minimum en maximum per stadsdeel (werkaannames; aantallen in de kolommen n_<code>), de "
        "al gerealiseerde flats meegeteld.",
    ),
    Statement(
        "3.1-sp3", "3.1",
        "Accent in de zogenaamde vergrijsde gebieden.",
        "berekend", "llt_geo.areas.area_ageing", "Screening.candidates", "ageing", "", "toets_kandidaten.csv",
        "areas.ageing_threshold_share, areas.ageing_level",
        "Vergrijsd: aandeel 65+ van de wijk (of buurt, ageing_level) minstens de drempel; standaard het aandeel "
        "van de hele stad (werkaanname: het kader definieert 'vergrijsd' niet).",
    ),
    Statement(
        "3.1-sp4", "3.1",
        "Accent in de 'masterplan'-gebieden.",
        "berekend", "llt_geo.areas.focus_membership", "Screening.candidates", "in_masterplan", "",
        "toets_kandidaten.csv", "areas.masterplan_kind",
        "De masterplangebieden komen uit de tabel focus_areas (data, niet in de code).",
    ),
    Statement(
        "3.1-sp5", "3.1",
        "Bij de keuze van flats: het accent op vergrijsde en masterplangebieden.",
        "berekend", "llt_geo.portfolio.solve", "Portfolio.comparison", "focus_share_all", "",
        "portefeuille_scenarios.csv", "portfolio.min_focus_share, portfolio.weight_focus",
        "Een minimum aandeel in vergrijsde of masterplangebieden en een extra score per flat daar "
        "(werkaannames: het kader zegt 'accent', geen getal).",
    ),
    Statement(
        "3.1-sp6", "3.1",
        "De keuze wordt gemaakt in afstemming met woningcorporaties en stadsdelen/gemeente (wonen).",
        "niet gedekt",
        note="De afstemming zelf is geen gegeven in llt_geo: er is geen stap in de tabel process voor; alleen "
        "het besluit van de corporatie wordt vastgelegd (3.1-b).",
    ),
    # ------------------------------------------------------------------------------ 3.2
    Statement(
        "3.2-1", "3.2",
        "Het gebouw heeft ruimte voor ontmoeten die kan worden ingezet voor de buurt.",
        "vastgelegd", _P + "corporation_checklist", _CORP, "item", "meeting_space_open", "partners_corporatie.csv",
        note="Ja/nee/onbekend per flat uit flats.meeting_space_open; telt niet mee in de keuze (wel de "
        "ontmoetingsruimte van 3.1-c4).",
    ),
    Statement(
        "3.2-2", "3.2",
        "De corporatie maakt met de flatpartners een brandveiligheidsanalyse en -plan (Stappenplan 18 juni 2024).",
        "vastgelegd", _P + "corporation_checklist", _CORP, "item", "fire_safety_plan", "partners_corporatie.csv",
        note="Alleen of er een analyse en plan is (flats.fire_safety_plan), niet de inhoud volgens het "
        "Stappenplan; telt niet mee in de keuze.",
    ),
    Statement(
        "3.2-3", "3.2",
        "De corporatie heeft één of meer medewerkers die in de wijk en/of het gebouw werken.",
        "vastgelegd", _P + "corporation_checklist", _CORP, "item", "staff_in_wijk", "partners_corporatie.csv",
        note="Ja/nee/onbekend per flat uit flats.staff_in_wijk; telt niet mee in de keuze.",
    ),
    Statement(
        "3.2-4", "3.2",
        "De corporatie meldt een beperkt aantal woningen aan als woonzorginitiatief voor cliënten van de "
        "zorgaanbieder.",
        "vastgelegd", _P + "corporation_checklist", _CORP, "item", "woonzorg_registered", "partners_corporatie.csv",
        note="Ja/nee/onbekend per flat uit flats.woonzorg_registered; het aantal woningen wordt niet vastgelegd.",
    ),
    Statement(
        "3.2-5", "3.2",
        "De corporatie heeft oog voor de vitaliteit van de bewoners bij de overige toewijzingen (vitale mix).",
        "vastgelegd", _P + "corporation_checklist", _CORP, "item", "vital_mix", "partners_corporatie.csv",
        note="Ja/nee/onbekend per flat uit flats.vital_mix; telt niet mee in de keuze.",
    ),
    Statement(
        "3.2-6", "3.2",
        "De corporatie kan een deel van de SPUK DOS-subsidie ontvangen en legt daarover verantwoording af.",
        "vastgelegd", _P + "corporation_checklist", _CORP, "item", "corporation_subsidy_recipient",
        "partners_corporatie.csv",
        note="Ja/nee/onbekend per flat uit flats.corporation_subsidy_recipient; de verantwoording zelf niet.",
    ),
    # ------------------------------------------------------------------------------ 4.1
    Statement(
        "4.1-1", "4.1",
        "De Lang Leven Thuisflat heeft een belangrijke plek in de visie van de welzijnsorganisatie.",
        "vastgelegd", _P + "choose_welfare", _ROLES, "role", "role_vision", "partners_welzijn_rollen.csv",
        note="Ja/nee/onbekend uit welfare_conditions, getoond voor de gekozen (of beste) organisatie. Telt alleen "
        "mee als tie-break tussen organisaties die voldoen (meeste rollen bevestigd: een keuzeregel van llt_geo).",
    ),
    Statement(
        "4.1-2", "4.1",
        "Inzet van een toegewijde en ervaren (senior) buurtwerker in de flat, de buurt en het stadsdeel.",
        "berekend", _P + "choose_welfare", _WELF, "senior_buurtwerker_status", "", "partners_welzijn.csv",
        note="Ja/nee per flat en organisatie uit welfare_conditions.senior_buurtwerker; llt_geo maakt het een "
        "voorwaarde: zonder toegezegde senior buurtwerker wordt de organisatie niet gekozen.",
    ),
    Statement(
        "4.1-3", "4.1",
        "Actieve support van de werkgever (ruimte, flatteam, netwerken zoals de alliantie, communicatie, HR).",
        "vastgelegd", _P + "choose_welfare", _ROLES, "role", "role_employer_support", "partners_welzijn_rollen.csv",
        note="Ja/nee/onbekend uit welfare_conditions; alleen tie-break (zie 4.1-1).",
    ),
    Statement(
        "4.1-4", "4.1",
        "Actief betrekken van het netwerk van bewoners en bewonersinitiatieven.",
        "vastgelegd", _P + "choose_welfare", _ROLES, "role", "role_resident_network", "partners_welzijn_rollen.csv",
        note="Ja/nee/onbekend uit welfare_conditions; alleen tie-break (zie 4.1-1).",
    ),
    Statement(
        "4.1-5", "4.1",
        "Expertise inzetten of ontwikkelen om bewoners te ondersteunen bij community care.",
        "vastgelegd", _P + "choose_welfare", _ROLES, "role", "role_community_care", "partners_welzijn_rollen.csv",
        note="Ja/nee/onbekend uit welfare_conditions; alleen tie-break (zie 4.1-1).",
    ),
    Statement(
        "4.1-6", "4.1",
        "Actief uitdragen van het initiatief en kennis delen, ook met het Buurtteam.",
        "vastgelegd", _P + "choose_welfare", _ROLES, "role", "role_knowledge_sharing", "partners_welzijn_rollen.csv",
        note="Ja/nee/onbekend uit welfare_conditions; alleen tie-break (zie 4.1-1).",
    ),
    Statement(
        "4.1-7", "4.1",
        "De buurtwerker volgt de leergang Lang Leven Thuisflat en draagt bij aan de doorontwikkeling.",
        "vastgelegd", _P + "choose_welfare", _ROLES, "role", "role_training", "partners_welzijn_rollen.csv",
        note="Ja/nee/onbekend uit welfare_conditions; alleen tie-break (zie 4.1-1).",
    ),
    # ------------------------------------------------------------------------------ 4.2
    Statement(
        "4.2-1", "4.2",
        "Basisvoorwaarde: op deze rol gerichte inkoopafspraken met gemeente/stadsdeel.",
        "berekend", _P + "choose_welfare", _WELF, "purchasing_agreement_status", "", "partners_welzijn.csv",
        note="Ja/nee per organisatie en stadsdeel uit welfare_organisations.purchasing_agreement; voldoet niet "
        "of onbekend: de organisatie wordt niet gekozen.",
    ),
    Statement(
        "4.2-2", "4.2",
        "De Lang Leven Thuisflat is concreet uitgewerkt in de alliantieplannen 2025-2030.",
        "berekend", _P + "choose_welfare", _WELF, "in_alliance_plan_status", "", "partners_welzijn.csv",
        note="Ja/nee per flat en organisatie uit welfare_conditions.in_alliance_plan; een groep alleen als elke "
        "flat voldoet.",
    ),
    Statement(
        "4.2-3", "4.2",
        "De aanvraag voor extra inzet buurtwerk voor de Lang Leven Thuisflat is afdoende gehonoreerd.",
        "berekend", _P + "choose_welfare", _WELF, "extra_buurtwerk_granted_status", "", "partners_welzijn.csv",
        note="Ja/nee per flat en organisatie uit welfare_conditions.extra_buurtwerk_granted; of het 'afdoende' "
        "is, beoordeelt wie het invult.",
    ),
)


def statements() -> tuple[Statement, ...]:
    """Every checkable statement of the Toewijzingskader, in the order of the framework."""
    return _STATEMENTS


def counts() -> dict[str, int]:
    """How many statements are ``berekend``, ``vastgelegd`` and ``niet gedekt`` (every kind listed)."""
    out = dict.fromkeys(KINDS, 0)
    for s in _STATEMENTS:
        out[s.kind] += 1
    return out


def count_sentence() -> str:
    """E.g. *61 uitspraken: 35 berekend, 23 vastgelegd, 3 niet gedekt*."""
    c = counts()
    return f"{sum(c.values())} uitspraken: " + ", ".join(f"{c[k]} {k}" for k in KINDS)


def csv_header(s: Statement) -> str:
    """The header of ``s.column`` as it appears in ``s.csv``: Dutch, as :func:`llt_geo.present.export.write_csv`
    writes it (:func:`llt_geo.labels.dutch_header`)."""
    if not (s.csv and s.column):
        return s.column
    from ..labels import dutch_header

    return dutch_header(s.column, s.csv)


def _output(s: Statement) -> str:
    if not s.result:
        return "—"
    text = f"{s.result}, {s.column}"
    return text + (f" = '{s.value}'" if s.value else "")


def _file(s: Statement) -> str:
    if not s.csv:
        return "—"
    header = csv_header(s)
    return f"{s.csv} (kolom '{header}')" if header != s.column else s.csv


def table() -> pd.DataFrame:
    """The table with Dutch column headers (Nr, Sectie, Uitspraak, Soort, Functie, Uitvoer (tabel,
    kolom), Bestand, Instelling, Opmerking), one row per statement."""
    rows = [
        {
            COLUMNS_NL["id"]: s.id,
            COLUMNS_NL["section"]: s.section,
            COLUMNS_NL["statement_nl"]: s.statement_nl,
            COLUMNS_NL["kind"]: s.kind,
            COLUMNS_NL["function"]: s.function or "—",
            COLUMNS_NL["output"]: _output(s),
            COLUMNS_NL["csv"]: _file(s),
            COLUMNS_NL["config_key"]: s.config_key or "—",
            COLUMNS_NL["note"]: s.note,
        }
        for s in _STATEMENTS
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS_NL.values()))


_KINDS_NL = (
    ("berekend", "llt_geo past de regel toe: het leidt een uitkomst af uit de gegevens (een oordeel, een score, "
     "een keuze of een maat) en die uitkomst telt mee in de toets, de partnerkeuze of de portefeuille."),
    ("vastgelegd", "llt_geo leest het gegeven uit de invoer (een checklist die corporatie, welzijnsorganisatie of "
     "flatpartners invullen) en toont het per flat; het leidt het niet zelf af en het is geen voorwaarde of score "
     "in de keuze (waar het toch meetelt, zegt de opmerking het)."),
    ("niet gedekt", "(nog) niet in llt_geo; de opmerking zegt waarom."),
)


def _md_cell(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown() -> str:
    """The document ``docs/traceability.md``: intro, the count sentence, the table, and what is not covered."""
    t = table()
    lines = [
        "# Traceability: the Toewijzingskader and what llt_geo does with it",
        "",
        "<!-- generated by llt_geo.present.traceability.to_markdown(); regenerate with "
        "`python -m llt_geo.present.traceability` -->",
        "",
        "Every checkable statement of the programme's *Toewijzingskader* (allocation framework) — the goal, "
        "budget, one care and one welfare partner per flat and the corporation's final say of the Inleiding; "
        "2.2 to 2.4 on the voorkeursaanbieder zorg; 3.1 and 3.2 on the flats and the housing corporation; 4.1 "
        "and 4.2 on the welfare organisation — mapped to the function of `llt_geo` that computes or records it, "
        "the result object and (English) column that shows it, the CSV file of `llt-geo run` the stuurgroep "
        "opens, and the configuration key where a threshold or weight applies. The table is data "
        "(`llt_geo/present/traceability.py`); `tests/test_traceability.py` runs the whole chain on the demo and fails "
        "when a listed function or column does not exist, when a long-table value does not occur, or when a "
        "configuration key is unknown; this file must equal `to_markdown()`. The stuurgroep report shows the "
        "same table (`to_html()`).",
        "",
        "Numbers the framework does not give (shares, distances, weights, spread rules) are working "
        "assumptions, each with its reason in `llt_geo/default_config.toml`; the notes say where llt_geo adds "
        "a rule of its own (a capacity per provider, a tie-break between welfare organisations). Parts of the "
        "framework that describe intentions rather than a checkable rule (section 1's goals and activities, "
        "2.1, the closing NB of 3.2) are not listed. The mission estimated about 48 statements; this table has "
        f"{len(_STATEMENTS)} because it splits where llt_geo does distinct things: the first hard criterion of 2.3 "
        "names three kinds of care, checked one by one; the spread and the accent of 3.1 are both measured and "
        "applied in the portfolio; the corporation's final say is applied (Inleiding) and recorded per flat "
        "(3.1); and the welfare networks of the 2.3 aspect on cooperation, which llt_geo does not cover, stand "
        "apart from the GPs and first-line care it does.",
        "",
        f"**{count_sentence()}.**",
        "",
        "Soort:",
        "",
        *[f"- *{k}*: {text}" for k, text in _KINDS_NL],
        "",
        "| " + " | ".join(t.columns) + " |",
        "|" + "---|" * len(t.columns),
    ]
    for row in t.itertuples(index=False):
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    lines += ["", "## Niet gedekt", ""]
    for s in _STATEMENTS:
        if s.kind == "niet gedekt":
            lines.append(f"- **{s.id}** ({s.section}) {s.statement_nl} — {s.note}")
    return "\n".join(lines) + "\n"


def to_html() -> str:
    """The table as an HTML fragment for the stuurgroep report (every cell escaped), with the count sentence."""
    e = html.escape
    t = table()
    head = "".join(f"<th>{e(c)}</th>" for c in t.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>" for row in t.itertuples(index=False)
    )
    kinds = "".join(f"<li><b>{e(k)}</b>: {e(text)}</li>" for k, text in _KINDS_NL)
    return (
        f"<p><b>{e(count_sentence())}.</b> Elke toetsbare uitspraak van het Toewijzingskader, met de functie van "
        "llt_geo die haar berekent of vastlegt, de tabel en kolom die haar toont, het bestand om te openen en "
        "de instelling waar een drempel of gewicht geldt.</p>"
        f"<ul class='klein'>{kinds}</ul>"
        f"<table class='traceerbaarheid'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


# --------------------------------------------------------------------------------------------
# Checking the table against the package
# --------------------------------------------------------------------------------------------

def write_markdown(path: str | Path | None = None) -> Path:
    """Write :func:`to_markdown` to ``docs/traceability.md`` (or ``path``)."""
    target = Path(path) if path else Path(__file__).resolve().parents[2] / "docs" / "traceability.md"
    target.write_text(to_markdown(), encoding="utf-8")
    return target


if __name__ == "__main__":  # pragma: no cover
    print(write_markdown())
