"""Traceability: every checkable statement of the Toewijzingskader, and what llt_geo does with it.

The table (:func:`statements`) maps each statement of the framework — the goal, budget, choice of
corporation per wijk, one care and one welfare partner per flat, the corporation's final say, the
partners' initiative and the municipality's role of the Inleiding; the existing clients and the
vital balance of 2.2; the hard criteria and weighted aspects of 2.3; the positioning options, the
steps and free choice of 2.4; the flat criteria, grouping and spread of 3.1; the corporation's role
of 3.2; the welfare organisation's role (4.1) and conditions (4.2) — to the function that
computes or records it, the result and column that show it, the CSV file the stuurgroep opens and
the configuration key of any threshold or weight. A statement the package does not implement is
*niet gedekt* with the reason, never dressed up. Each statement has one row: where the framework
says a thing twice (the corporation's final say in the Inleiding and 3.1) or llt_geo does two
things with it (measures the spread and applies it), the row names both places (``also``), and
``quote`` holds the framework's own words, which no two rows share.

Three kinds (``kind``):

* ``berekend`` — llt_geo applies the rule: it derives an outcome from the data (a status, a score,
  a choice, a measure) and that outcome counts in the partner choice, the screening or the
  portfolio. Where the underlying fact is a yes/no the partner gives (a hard criterion of 2.3), the
  note says where it comes from.
* ``vastgelegd`` — llt_geo reads the fact from the input (a checklist the corporation, the welfare
  organisation or the flat partners fill in) and shows it per flat, or writes a fixed sentence
  (the free choice of 2.4); it does not derive it, and it does not decide the choice. Where a
  computed rule reads the same fact (3.2-1's meeting space open to the buurt is half of 3.1-c4),
  ``agrees_with`` names it and :func:`llt_geo.audit.agreement_problems` checks the two agree.
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
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

__all__ = [
    "COLUMNS_NL",
    "KINDS",
    "SECTIONS",
    "Ref",
    "Statement",
    "count_sentence",
    "places",
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
class Ref:
    """A further place where llt_geo computes or records a statement (see ``Statement.also``).

    The fields mean what they mean in :class:`Statement`.
    """

    function: str
    result: str
    column: str
    value: str = ""
    csv: str = ""


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
    also : tuple of Ref
        Further places of the same statement, where llt_geo does two things with it (measures it
        and applies it, or applies it and records it per flat); checked like the first.
    inputs : str
        ``table.column`` of the input columns a ``berekend`` rule reads, separated by ``", "``,
        where it matters which (shown in the note; checked against :data:`llt_geo.schema.TABLES`).
    agrees_with : str
        The id of a ``berekend`` statement a ``vastgelegd`` one could contradict: the computed rule
        reads this recorded fact (it is among its ``inputs``), so a candidate that passes it has the
        fact recorded as *ja*. :func:`llt_geo.audit.agreement_problems` checks it on the results.
    quote : tuple of str
        The framework's own words this row covers (verbatim fragments, several where the
        framework says the same thing in two places); no two rows quote the same words.
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
    also: tuple[Ref, ...] = ()
    inputs: str = ""
    agrees_with: str = ""
    quote: tuple[str, ...] = ()


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
    "geschikt, dus niet gescoord en niet toegewezen (ook stap 1, 2.4-s1: 'moet in ieder geval voldoen')."
)

_ROWS: tuple[Statement, ...] = (
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
        "inl-6", "Inleiding",
        "De programmaleiding kiest bijvoorbeeld met welke woningbouwcorporatie wordt samengewerkt in welke wijk.",
        "niet gedekt",
        note="llt_geo kiest flats, niet corporaties per wijk: de portefeuille kent alleen een maximum aantal flats "
        "per corporatie voor de hele stad ([portfolio] max_per_corporation, een werkaanname). Welke corporatie in "
        "welke wijk werkt volgt uit de gekozen flats, maar wordt niet gekozen, afgewogen of als zodanig getoond.",
    ),
    Statement(
        "inl-3", "Inleiding",
        "Per flat een keuze voor één zorgorganisatie (voorkeursaanbieder zorg).",
        "berekend", _P + "assign_providers", "PartnerChoice.assignment", "provider_id", "", "partners_toewijzing.csv",
        "care.default_max_flats",
        "Precies één aanbieder per kandidaat (of geen, en dan gemeld), exact toegewezen binnen de capaciteit per "
        "aanbieder: flats die al gekozen of in ontwikkeling zijn houden hun plaatsen, dan verdelen de kandidaten "
        "die gefinancierd kunnen worden (fundable) de rest; de andere krijgen de aanbieder 'als deze flat gekozen "
        "wordt' en nemen geen plaats. De capaciteit (max_flats, anders default_max_flats) is een werkaanname van "
        "llt_geo, niet uit het kader.",
    ),
    Statement(
        "inl-4", "Inleiding",
        "Per flat een keuze voor één welzijnsorganisatie.",
        "berekend", _P + "choose_welfare", "PartnerChoice.assignment", "welfare_id", "", "partners_toewijzing.csv",
        "portfolio.welfare_required, portfolio.onder_voorbehoud_reason",
        "Eén organisatie per kandidaat uit die in het stadsdeel actief zijn en aan 4.1-2 en 4.2 voldoen; bij "
        "meer dan één de meeste bevestigde rollen van 4.1 (een eigen keuzeregel van llt_geo). Gefinancierd "
        "wordt alleen een flat met een organisatie waarvan bekend is dat zij voldoet (welfare_required = "
        "'known'); met 'possible' ook onder voorbehoud als een voorwaarde nog onbekend is, met de reden "
        "(onder_voorbehoud_reason) en overal gemarkeerd.",
    ),
    Statement(
        "inl-5", "Inleiding",
        "De woningcorporatie heeft als eigenaar van de flat het laatste woord (ook 3.1: het uiteindelijke "
        "besluit over een flat ligt bij de woningcorporatie).",
        "berekend", "llt_geo.portfolio.build_inputs", "Portfolio.scenarios['basis'].reasons", "reason_nl", "",
        "portefeuille_basis.csv", "portfolio.allow_unknown_consent",
        "Een kandidaat zonder akkoord (flats.corporation_consent = nee) komt nooit in de portefeuille: 'de "
        "corporatie heeft niet ingestemd (laatste woord)'. Akkoord onbekend: niet gefinancierd, tenzij "
        "allow_unknown_consent het onder voorbehoud toestaat (met reden, gemarkeerd). Het besluit zelf "
        "(ja/nee/onbekend per flat) wordt vastgelegd in partners_corporatie.csv (item corporation_consent) en per "
        "kandidaat getoond in partners_toewijzing.csv (consent_nl); een groep heeft het alleen als elke flat het "
        "heeft. Inleiding en 3.1 zeggen hetzelfde: één regel.",
        also=(Ref(_P + "corporation_checklist", _CORP, "item", "corporation_consent", "partners_corporatie.csv"),),
    ),
    Statement(
        "inl-7", "Inleiding",
        "Het initiatief en eigenaarschap liggen bij de samenwerkende partijen (woningcorporatie, zorg- en "
        "welzijnspartij): zij gaan het samen doen en mét bewoners (ook 3.1).",
        "niet gedekt",
        note="Wie het initiatief nam en of de partijen het samen met bewoners dragen, is geen gegeven in llt_geo. "
        "Het dichtst erbij: stap 2 van de keuze (gezamenlijke ambitie, plan en begroting, 2.4-s1 tot 2.4-s4) "
        "wordt per flat vastgelegd; llt_geo zelf doet voorstellen aan de stuurgroep en neemt geen initiatief.",
    ),
    Statement(
        "inl-8", "Inleiding",
        "De gemeente ondersteunt met beleid en waar mogelijk met middelen, maar is geen regiehouder van de "
        "afzonderlijke Lang Leven Thuisflats.",
        "niet gedekt",
        note="De rol van de gemeente wordt niet vastgelegd of getoetst. llt_geo regisseert ook geen flat: het "
        "kiest kandidaten en stelt partners voor; het besluit ligt bij de corporatie (inl-5) en de "
        "flatpartners (2.4).",
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
    # ------------------------------------------------------------------------------ 2.4 steps
    Statement(
        "2.4-s1", "2.4",
        "Stap 1: verkennend gesprek met of behoeftepeiling bij bewoners over de (beoogde) voorkeursaanbieder.",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "step1_survey", "partners_keuzeproces.csv",
        note="Status en datum uit de tabel process. De stappen staan in paragraaf 2.4 van het kader en heten "
        "zo ook in partners_keuzeproces.csv ('2.4 stap 1-4'). De uitkomst van de peiling telt mee als 2.3-w1.",
    ),
    Statement(
        "2.4-s2", "2.4",
        "Stap 2: de samenwerkende partijen formuleren een gezamenlijke ambitie, plan van aanpak en begroting.",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "step2_plan", "partners_keuzeproces.csv",
        note="Status en datum uit de tabel process; de inhoud van plan en begroting niet.",
    ),
    Statement(
        "2.4-s3", "2.4",
        "Stap 3: de voorkeursaanbieder wordt voorgesteld aan de bewoners; bewoners worden gehoord.",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "step3_introduced", "partners_keuzeproces.csv",
        note="Status, datum en een vrije toelichting (note) uit de tabel process; de mening en bezwaren van "
        "bewoners worden niet apart vastgelegd.",
    ),
    Statement(
        "2.4-s4", "2.4",
        "Stap 4: de samenwerkingspartners in de wijk (eerstelijnspraktijken, huisartsen) worden geïnformeerd.",
        "vastgelegd", _P + "process_checklist", _PROC, "item", "step4_partners_informed",
        "partners_keuzeproces.csv",
        note="Status en datum uit de tabel process.",
    ),
    Statement(
        "2.4-v", "2.4",
        "Het recht van de bewoners op vrije keuze voor een zorgaanbieder wordt in alle gevallen gerespecteerd "
        "(ook 2.1).",
        "vastgelegd", _P + "choose_partners", "PartnerChoice.assignment", "free_choice_nl", "",
        "partners_toewijzing.csv",
        note="Een vaste zin (llt_geo.partners.FREE_CHOICE_NL), niets berekend: elke uitvoer die een gekozen "
        "aanbieder toont zegt dat het een voorkeur is en dat de bewoner vrij blijft te kiezen; niets in llt_geo "
        "sluit andere zorg uit.",
    ),
    # ------------------------------------------------------------------------------ 3.1
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
        "eligibility.min_dwellings, eligibility.dwellings_tolerance, eligibility.near_miss_dwellings",
        "'Ongeveer' wordt: voldoet vanaf min_dwellings (standaard 100); tot dwellings_tolerance eronder (standaard "
        "5, een werkaanname) voldoet als 'voldoet (ongeveer)', overal zo gemarkeerd; daaronder, tot "
        "near_miss_dwellings onder min_dwellings, heet 'bijna' (near_miss) en wordt getoond, maar voldoet niet.",
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
        note="Beide helften getoetst, uit twee kolommen: flats.meeting_room (er is een ontmoetingsruimte) én "
        "flats.meeting_space_open (die ruimte is ook voor de buurt, het gegeven van 3.2-1). Voldoet alleen als "
        "beide ja zijn; geen ruimte of een ruimte die niet open is voor de buurt: voldoet niet; anders (een "
        "helft onbekend) onbekend. Een groep: ja als een flat een ruimte heeft en een flat een ruimte die open "
        "is voor de buurt.",
        inputs="flats.meeting_room, flats.meeting_space_open",
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
        "Bij de keuze van flats voor de ontwikkelsubsidie: een redelijke spreiding over de stadsdelen.",
        "berekend", "llt_geo.spread.spread_report", "Spread.stadsdelen", "llt_flats", "",
        "spreiding_stadsdelen.csv",
        "spread.coverage_distance_m, portfolio.min_per_stadsdeel, portfolio.max_per_stadsdeel",
        "Gemeten: per stadsdeel de flats naast het aandeel inwoners 65+ (representation) en de dekking; voor de "
        "stad Duncans ongelijkheidsindex en de dekking 65+ (spreiding_stad.csv). Toegepast in de portefeuille "
        "als minimum en maximum per stadsdeel, de al gerealiseerde flats meegeteld (aantallen in de kolommen "
        "n_<code>, de index in dissimilarity). Het kader geeft geen maat of getal: maten en grenzen zijn keuzes "
        "en werkaannames van llt_geo (docs/spread.md).",
        also=(Ref("llt_geo.portfolio.solve", "Portfolio.comparison", "dissimilarity", "",
                  "portefeuille_scenarios.csv"),),
    ),
    Statement(
        "3.1-sp3", "3.1",
        "Met accent in de zogenaamde vergrijsde gebieden.",
        "berekend", "llt_geo.areas.area_ageing", "Screening.candidates", "ageing", "", "toets_kandidaten.csv",
        "areas.ageing_threshold_share, areas.ageing_level, portfolio.min_focus_share, portfolio.weight_focus",
        "Vergrijsd: aandeel 65+ van de wijk (of buurt, ageing_level) minstens de drempel; standaard het aandeel "
        "van de hele stad (werkaanname: het kader definieert 'vergrijsd' niet). Het accent wordt toegepast in de "
        "portefeuille, samen met de masterplangebieden (3.1-sp4): een minimum aandeel van alle flats in "
        "vergrijsde of masterplangebieden (focus_share_all) en een extra score per flat daar (werkaannames: het "
        "kader zegt 'accent', geen getal).",
        also=(Ref("llt_geo.portfolio.solve", "Portfolio.comparison", "focus_share_all", "",
                  "portefeuille_scenarios.csv"),),
    ),
    Statement(
        "3.1-sp4", "3.1",
        "Met accent in de 'masterplan'-gebieden.",
        "berekend", "llt_geo.areas.focus_membership", "Screening.candidates", "in_masterplan", "",
        "toets_kandidaten.csv", "areas.masterplan_kind, portfolio.min_focus_share, portfolio.weight_focus",
        "De masterplangebieden komen uit de tabel focus_areas (data, niet in de code). Het accent wordt samen "
        "met de vergrijsde gebieden toegepast in de portefeuille (zie 3.1-sp3).",
        also=(Ref("llt_geo.portfolio.solve", "Portfolio.comparison", "focus_share_all", "",
                  "portefeuille_scenarios.csv"),),
    ),
    Statement(
        "3.1-sp6", "3.1",
        "De keuze wordt gemaakt in afstemming met woningcorporaties en stadsdelen/gemeente (wonen).",
        "niet gedekt",
        note="De afstemming zelf is geen gegeven in llt_geo: er is geen stap in de tabel process voor; alleen "
        "het besluit van de corporatie wordt vastgelegd (inl-5).",
    ),
    # ------------------------------------------------------------------------------ 3.2
    Statement(
        "3.2-0", "3.2",
        "De woningcorporatie is als flatpartner gefocust op een samenwerking conform de ambitie en doelen van het "
        "programma en geeft daar samen met zorg, welzijn en bewoners vorm aan.",
        "niet gedekt",
        note="Er is geen gegeven over de inzet van de corporatie op de doelen van het programma; alleen de zes "
        "verwachtingen hieronder (3.2-1 tot 3.2-6) worden per flat vastgelegd. Voor de zorgaanbieder is het wel "
        "een harde eis (2.3-h6).",
    ),
    Statement(
        "3.2-1", "3.2",
        "Het gebouw heeft ruimte voor ontmoeten die kan worden ingezet voor de buurt.",
        "vastgelegd", _P + "corporation_checklist", _CORP, "item", "meeting_space_open", "partners_corporatie.csv",
        note="Ja/nee/onbekend per flat uit flats.meeting_space_open. Hetzelfde gegeven is de tweede helft van de "
        "ontmoetingsruimte van 3.1 (3.1-c4), dus het telt daar mee: een kandidaat die 3.1-c4 haalt, heeft hier ja "
        "(bij een groep ten minste één flat); llt_geo.audit controleert dat op de uitkomsten.",
        agrees_with="3.1-c4",
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
        "4.1-0", "4.1",
        "De welzijnspartij is als flatpartner gefocust op een samenwerking conform de ambitie en doelen van het "
        "programma en geeft daar samen met de partners en de bewoners vorm aan.",
        "niet gedekt",
        note="Er is geen gegeven over de inzet van de welzijnsorganisatie op de doelen van het programma als "
        "geheel; alleen de zeven rollen hieronder (4.1-1 tot 4.1-7) worden vastgelegd. Voor de zorgaanbieder is "
        "het wel een harde eis (2.3-h6).",
    ),
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
        "of onbekend: de organisatie wordt niet gekozen (onbekend: de flat alleen onder voorbehoud, zie inl-4).",
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


#: The framework's own words each row covers (``Statement.quote``), verbatim from the Toewijzingskader
#: (line breaks of the source aside); every row has them and no two rows share them.
_QUOTES: dict[str, tuple[str, ...]] = {
    "inl-1": ("30 Lang Leven Thuisflats ontwikkelen als ambitie voor 2030",
              "in 2030 zijn er 30 Lang Leven Thuisflats in Amsterdam"),
    "inl-2": ("Binnen het beschikbare subsidiebudget moeten door de programmaleiding keuzes worden gemaakt",),
    "inl-6": ("met welke woningbouwcorporatie wordt samengewerkt in welke wijk",),
    "inl-3": ("per flat een keuze worden gemaakt voor één zorgorganisatie",),
    "inl-4": ("en één welzijnsorganisatie",),
    "inl-5": ("het laatste woord heeft bij het besluit om in een specifieke flat het concept Lang Leven Thuisflat te "
              "ontwikkelen", "ligt het uiteindelijke besluit bij de woningcorporatie"),
    "inl-7": ("ligt het initiatief en eigenaarschap hiervoor bij de samenwerkende partijen",
              "zij gaan het samen doen en mét bewoners",
              "Hoewel het initiatief en eigenaarschap voor de keuze om in een specifieke flat een Lang Leven "
              "Thuisflat te starten bij de samenwerkende partijen ligt"),
    "inl-8": ("De gemeente is echter geen regiehouder van de afzonderlijke Lang Leven Thuisflats",),
    "2.2-a": ("Het is belangrijk dat de zorgorganisatie een groep cliënten in de Lang Leven Thuisflat heeft",),
    "2.2-b": ("de balans tussen vitale en meer kwetsbare bewoners in balans blijft",),
    "2.3-h1": ("Biedt zorg thuis vanuit de Zorgverzekeringswet", "Dit is Wijkverpleging"),
    "2.3-h2": ("en de Wet Langdurige Zorg", "Modulair Pakket Thuis"),
    "2.3-h3": ("Volledig Pakket Thuis",),
    "2.3-h4": ("Beschikt over Casemanagers Dementie",),
    "2.3-h5": ("Is gecontracteerd door Zilveren Kruis",),
    "2.3-h6": ("Is als flatpartner gecommitteerd aan de ambitie en doelen van het programma Lang Leven Thuisflat "
               "(bijlage 1)",),
    "2.3-h7": ("actief mee aan het overdragen van cliënten aan de voorkeursaanbieder",),
    "2.3-w1": ("De bewoners van de flat hebben een stem in de keuze voor de voorkeurszorgaanbieder",),
    "2.3-w2": ("Bekend in de wijk.",),
    "2.3-w3": ("Heeft samenwerkingsafspraken met huisartsen en andere nulde- en eerstelijnszorgaanbieders",),
    "2.3-w4": ("en welzijnsnetwerken in de wijk",),
    "2.3-w5": ("Intramurale locatie in directe nabijheid",),
    "2.4-p1": ("Communicatie bewoners Flatpartners informeren bewoners",),
    "2.4-p2": ("Gezamenlijke communicatie verwijzers",),
    "2.4-p3": ("Verleiding Met de tijd",),
    "2.4-p4": ("Uitruil en doorverwijzing",),
    "2.4-p5": ("Werkplek in de flat",),
    "2.4-p6": ("Voorkeurstoewijzing De woningcorporatie regelt dat een aantal woningen wordt toegewezen",),
    "2.4-s1": ("Een verkennend gesprek met- of behoefte peiling bij bewoners",),
    "2.4-s2": ("De samenwerkende partijen formuleren een gezamenlijke ambitie, plan van aanpak en een begroting",),
    "2.4-s3": ("De voorkeursaanbieder wordt voorgesteld aan de bewoners",),
    "2.4-s4": ("De samenwerkingspartners in de wijk (eerstelijnspraktijken, huisartsen etc.) worden geïnformeerd",),
    "2.4-v": ("het recht van de bewoners op vrije keuze voor een zorgaanbieder wordt in alle gevallen gerespecteerd",
              "behoudt iedere bewoner het recht op vrije keuze"),
    "3.1-c1": ("Seniorenwoningen (nultreden)",),
    "3.1-c2": ("Betrokkenheid bewoners van de flat",),
    "3.1-c3": ("Minimale omvang van ongeveer 100",),
    "3.1-c3g": ("of een aantal gegroepeerde flats van samen minimaal 100 woningen",),
    "3.1-c4": ("Ontmoetingsruimte voor flat bewoners én buurt",),
    "3.1-c5": ("Nabij voorzieningen.",),
    "3.1-c6": ("Sociale huur.",),
    "3.1-c7": ("Mogelijkheid voor werkruimte voor Langer Thuiscoach en zorgteam",),
    "3.1-sp1": ("Een redelijke spreiding over de stadsdelen",),
    "3.1-sp3": ("met accent in de zogenaamde vergrijsde",),
    "3.1-sp4": ("‘masterplan’ gebieden",),
    "3.1-sp6": ("De keuze wordt gemaakt in afstemming met woningcorporaties en stadsdelen/gemeente (wonen)",),
    "3.2-0": ("De woningcorporatie is als flatpartner gefocust op een samenwerking conform de ambitie en doelen van "
              "het programma Lang Leven Thuisflat",),
    "3.2-1": ("Het gebouw heeft ruimte voor ontmoeten die kan worden ingezet voor de buurt",),
    "3.2-2": ("De corporatie maakt samen met de flatpartners een brandveiligheidsanalyse en -plan",),
    "3.2-3": ("De corporatie heeft één of meer medewerkers die in de wijk en/of in het betreffende gebouw werken",),
    "3.2-4": ("De corporatie regelt dat een aantal woningen wordt toegewezen aan cliënten van de zorgaanbieder",),
    "3.2-5": ("De corporatie heeft oog en ruimte voor de vitaliteit van de bewoners in de totale flat bij de "
              "overige toewijzingen",),
    "3.2-6": ("een deel van de SPUK DOS subsidie ontvangt",),
    "4.1-0": ("De welzijnspartij is als flatpartner gefocust op een samenwerking conform de ambitie en doelen van het "
              "programma Lang Leven Thuisflat",),
    "4.1-1": ("De Lang Leven Thuisflat heeft een belangrijke plek in de visie van de welzijnsorganisatie",),
    "4.1-2": ("Inzet (commitment) van een toegewijd en ervaren (senior) buurtwerker",),
    "4.1-3": ("Actieve support van de werkgever",),
    "4.1-4": ("Actief betrekken van het netwerk van bewoners en bewonersinitiatieven",),
    "4.1-5": ("Zet haar expertise in, of ontwikkelt deze, om de bewoners te ondersteunen bij het vormgeven aan "
              "community care",),
    "4.1-6": ("Actief uitdragen van het initiatief en delen van kennis",),
    "4.1-7": ("Buurtwerker laat zich actief trainen in leergang Lang Leven Thuisflat",),
    "4.2-1": ("Basisvoorwaarde voor de rol van de welzijnspartij is dat er op deze rol gerichte inkoopafspraken met "
              "gemeente/stadsdeel zijn",),
    "4.2-2": ("concreet is uitgewerkt in de alliantieplannen 2025-2030",),
    "4.2-3": ("de aanvraag voor extra inzet buurtwerk ten behoeve van de Lang Leven Thuisflat afdoende is "
              "gehonoreerd",),
}

_STATEMENTS: tuple[Statement, ...] = tuple(replace(s, quote=_QUOTES[s.id]) for s in _ROWS)


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


def csv_header(s: Statement | Ref) -> str:
    """The header of ``s.column`` as it appears in ``s.csv``: Dutch, as :func:`llt_geo.present.export.write_csv`
    writes it (:func:`llt_geo.labels.dutch_header`)."""
    if not (s.csv and s.column):
        return s.column
    from ..labels import dutch_header

    return dutch_header(s.column, s.csv)


def places(s: Statement) -> tuple[Statement | Ref, ...]:
    """Every place of a statement: the statement itself, then its ``also`` references."""
    return (s, *s.also)


def _function(s: Statement) -> str:
    names = list(dict.fromkeys(p.function for p in places(s) if p.function))
    return "; ".join(names) or "—"


def _output_one(p: Statement | Ref) -> str:
    text = f"{p.result}, {p.column}"
    return text + (f" = '{p.value}'" if p.value else "")


def _output(s: Statement) -> str:
    return "; ".join(_output_one(p) for p in places(s) if p.result) or "—"


def _file_one(p: Statement | Ref) -> str:
    header = csv_header(p)
    return f"{p.csv} (kolom '{header}')" if header != p.column else p.csv


def _file(s: Statement) -> str:
    return "; ".join(_file_one(p) for p in places(s) if p.csv) or "—"


def table() -> pd.DataFrame:
    """The table with Dutch column headers (Nr, Sectie, Uitspraak, Soort, Functie, Uitvoer (tabel,
    kolom), Bestand, Instelling, Opmerking), one row per statement."""
    rows = [
        {
            COLUMNS_NL["id"]: s.id,
            COLUMNS_NL["section"]: s.section,
            COLUMNS_NL["statement_nl"]: s.statement_nl,
            COLUMNS_NL["kind"]: s.kind,
            COLUMNS_NL["function"]: _function(s),
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
     "flatpartners invullen) en toont het per flat, of zet er een vaste zin bij (de vrije keuze, 2.4-v); het leidt "
     "het niet zelf af en het is geen voorwaarde of score in de keuze (waar het toch meetelt, zegt de opmerking "
     "het)."),
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
        "budget, choice of corporation per wijk, one care and one welfare partner per flat, the corporation's "
        "final say, the partners' initiative and the municipality's role of the Inleiding; "
        "2.2 to 2.4 on the voorkeursaanbieder zorg; 3.1 and 3.2 on the flats and the housing corporation; 4.1 "
        "and 4.2 on the welfare organisation — mapped to the function of `llt_geo` that computes or records it, "
        "the result object and (English) column that shows it, the CSV file of `llt-geo run` the stuurgroep "
        "opens, and the configuration key where a threshold or weight applies. The table is data "
        "(`llt_geo/present/traceability.py`); `tests/test_traceability.py` runs the whole chain on the demo and fails "
        "when a listed function or column does not exist, when a long-table value does not occur, or when a "
        "configuration key is unknown, when two rows quote the same words of the framework, and when a recorded "
        "statement contradicts the computed one that reads the same fact (3.2-1 against 3.1-c4 on the demo: a "
        "candidate passing 3.1's meeting room has its room recorded as open to the buurt); this file must equal "
        "`to_markdown()`. The stuurgroep report shows the same table (`to_html()`).",
        "",
        "Numbers the framework does not give (shares, distances, weights, spread rules) are working "
        "assumptions, each with its reason in `llt_geo/default_config.toml`; the notes say where llt_geo adds "
        "a rule of its own (a capacity per provider, a tie-break between welfare organisations). Parts of the "
        "framework that describe intentions rather than a checkable rule (section 1's goals and activities, "
        "2.1, the closing NB of 3.2) are not listed; the roles that bear on who decides (the partners' "
        "initiative, the municipality not running the flats, the corporation's and the welfare organisation's "
        "commitment to the programme) are listed, as *niet gedekt* where llt_geo holds no fact about them. "
        "Each statement has one row: where the framework says a thing twice (the corporation's final say, in the "
        "Inleiding and 3.1) or llt_geo both measures and applies it (the spread and the accent of 3.1), the row "
        "names both functions and outputs. The steps of choosing the voorkeursaanbieder stand in 2.4 of the "
        "framework and are filed there (2.4-s1 to 2.4-s4). The mission estimated about 48 statements; this "
        f"table has {len(_STATEMENTS)} because it splits where the framework lists distinct things in one "
        "sentence: the first hard criterion of 2.3 names three kinds of care, checked one by one; the accent of "
        "3.1 names ageing and masterplan areas, each with its own measure; and the welfare networks of the 2.3 "
        "aspect on cooperation, which llt_geo does not cover, stand apart from the GPs and first-line care it "
        "does.",
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
