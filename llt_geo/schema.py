"""The tables llt_geo reads, their columns, types and Dutch header aliases — declared once.

Each table is a :class:`Table`; each column a :class:`Column` with a canonical English name, a
kind (how values are parsed), whether it is required, and the headers people actually type
(Dutch and English; matching ignores case, spaces, dashes, dots and accents).

Kinds
-----
``id``       non-empty text, unique within the table (or part of a composite key)
``text``     free text
``int``      whole number >= 0 (counts of dwellings, clients, residents)
``float``    decimal number, decimal comma accepted
``money``    amount in euros, decimal comma accepted, ``€`` and spaces ignored
``share``    fraction 0-1, or a percentage written with ``%``
``yesno``    ja/nee (yes/no, true/false, 1/0, j/n); empty or ``onbekend`` is unknown
``year``     a year between 1900 and 2100
``status``   pipeline status of a flat (kandidaat, gekozen, in ontwikkeling, gerealiseerd)
``date``     a date (2026-03-01, 1-3-2026, 01-03-2026; an Excel date), not in the future
``process_item`` / ``process_status``  a step or positioning option of 2.3/2.4 and its status
             (words in :data:`PROCESS_ITEMS` and :data:`PROCESS_STATUSES`)
``stadsdeel`` / ``wijk`` / ``buurt``  Amsterdam area codes (``F``, ``FA``, ``FA01``; CBS ``WK0363FA``,
             ``BU0363FA01`` accepted)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "STATUSES",
    "STATUS_LABELS_NL",
    "YES_WORDS",
    "YES_MARKS",
    "NO_MARKS",
    "NO_WORDS",
    "UNKNOWN_WORDS",
    "LOCATION_ALIASES",
    "PROCESS_ITEMS",
    "PROCESS_STATUSES",
    "markdown_reference",
    "normalise_header",
]


def normalise_header(text: str) -> str:
    """Normalise a header for alias matching: lower case, no accents, ``_`` for separators."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    text = text.strip().lower()
    text = re.sub(r"[\s\-./()+]+", "_", text)  # spaces, line breaks (Alt+Enter in a header), tabs
    return text.strip("_")


@dataclass(frozen=True)
class Column:
    """One column of a table: canonical name, kind, whether required, accepted headers."""

    name: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    references: str | None = None  # "table.column" this column must refer to
    description: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        """All headers accepted for this column, canonical name first, normalised."""
        return tuple(dict.fromkeys(normalise_header(h) for h in (self.name, *self.aliases)))


@dataclass(frozen=True)
class Table:
    """One input table: file stems it may be found under, columns, key, geometry kind."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    geometry: str | None = None  # None, "point" or "polygon"
    required: bool = True
    stems: tuple[str, ...] = ()
    section: str = ""
    columns_by_name: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns_by_name", {c.name: c for c in self.columns})

    @property
    def file_stems(self) -> tuple[str, ...]:
        """File names (without extension) this table is looked for under."""
        return (self.name, *self.stems)


STATUSES = ("candidate", "chosen", "in_development", "realised")
STATUS_LABELS_NL = {
    "candidate": "kandidaat",
    "chosen": "gekozen",
    "in_development": "in ontwikkeling",
    "realised": "gerealiseerd",
}
STATUS_WORDS = {
    "candidate": ("candidate", "kandidaat", "kandidaatflat", "aangemeld"),
    "chosen": ("chosen", "gekozen", "geselecteerd", "toegekend"),
    "in_development": ("in_development", "in_ontwikkeling", "ontwikkeling", "gestart"),
    "realised": ("realised", "realized", "gerealiseerd", "lang_leven_thuisflat", "llt"),
}
YES_WORDS = ("ja", "j", "yes", "y", "true", "waar", "1", "x", "wel")
NO_WORDS = ("nee", "n", "no", "false", "onwaar", "0", "niet")
#: The choice process of the voorkeursaanbieder zorg: the four steps and the positioning options
#: of 2.4 (the Toewijzingskader files both there), as (section, Dutch label, accepted words). Codes
#: are what the `process` table's `item` column holds (Dutch words accepted).
PROCESS_ITEMS = {
    "step1_survey": (
        "2.4 stap 1",
        "Verkennend gesprek of behoeftepeiling met bewoners",
        ("stap_1", "stap1", "peiling"),
    ),
    "step2_plan": ("2.4 stap 2", "Gezamenlijke ambitie, plan van aanpak en begroting", ("stap_2", "stap2", "plan")),
    "step3_introduced": ("2.4 stap 3", "Voorkeursaanbieder voorgesteld aan de bewoners", ("stap_3", "stap3")),
    "step4_partners_informed": (
        "2.4 stap 4",
        "Samenwerkingspartners in de wijk geïnformeerd",
        ("stap_4", "stap4", "partners_geinformeerd"),
    ),
    "pos_resident_communication": ("2.4", "Communicatie bewoners", ("communicatie_bewoners",)),
    "pos_referrer_letter": ("2.4", "Gezamenlijke communicatie verwijzers", ("brief_verwijzers", "verwijzers")),
    "pos_temptation": ("2.4", "Verleiding", ("verleiding",)),
    "pos_exchange_referral": ("2.4", "Uitruil en doorverwijzing", ("uitruil", "uitruil_en_doorverwijzing")),
    "pos_workspace": ("2.4", "Werkplek in de flat", ("werkplek", "werkplek_in_de_flat")),
    "pos_preferential_allocation": (
        "2.4",
        "Voorkeurstoewijzing (woonzorginitiatief)",
        ("voorkeurstoewijzing", "woonzorginitiatief"),
    ),
}
#: Status of a process item, with the Dutch label and accepted words.
PROCESS_STATUSES = {
    "done": ("gedaan", ("gedaan", "afgerond", "klaar", "done", "ja")),
    "in_progress": ("bezig", ("bezig", "loopt", "gestart", "in_progress")),
    "planned": ("gepland", ("gepland", "planned", "nog_niet", "nee")),
    "not_applicable": ("niet van toepassing", ("nvt", "n_v_t", "niet_van_toepassing", "not_applicable")),
}

#: Check marks people put in yes/no columns (Excel's Wingdings or Unicode ticks and crosses).
YES_MARKS = ("✓", "✔", "☑", "✅")
NO_MARKS = ("✗", "✘", "☒", "❌")
UNKNOWN_WORDS = ("", "onbekend", "unknown", "?", "nb", "n_b", "na", "n_a", "nan", "none", "null", "-")

#: Headers accepted for point locations when a table has no geometry column.
LOCATION_ALIASES = {
    "lon": ("lon", "lng", "long", "longitude", "lengtegraad", "lengte", "wgs84_lon"),
    "lat": ("lat", "latitude", "breedtegraad", "breedte", "wgs84_lat"),
    "x": ("x", "rd_x", "x_rd", "xcoord", "x_coordinaat", "rdx"),
    "y": ("y", "rd_y", "y_rd", "ycoord", "y_coordinaat", "rdy"),
}


def _yesno(name: str, *aliases: str, description: str = "") -> Column:
    return Column(name, "yesno", False, aliases, description=description)


FLATS = Table(
    name="flats",
    description="The flat register: one row per apartment block (complex) proposed or realised.",
    stems=("woningregister", "flatregister", "flats_register", "complexen"),
    key=("flat_id",),
    geometry="point",
    section="3.1, 3.2",
    columns=(
        Column("flat_id", "id", True, ("complexnummer", "complex_id", "complexnr", "flatnummer", "flat", "id")),
        Column("name", "text", False, ("naam", "complexnaam", "flatnaam")),
        Column("address", "text", False, ("adres", "straat", "straatnaam")),
        Column("corporation", "text", True, ("corporatie", "woningcorporatie", "eigenaar")),
        Column(
            "n_dwellings",
            "int",
            True,
            ("aantal_woningen", "woningen", "aantal_vhe", "vhe", "aantal_wooneenheden"),
            description="number of dwellings in the flat",
        ),
        Column(
            "n_nultreden",
            "int",
            False,
            ("nultredenwoningen", "aantal_nultredenwoningen", "nultreden", "aantal_nultreden"),
            description="number of step-free dwellings (nultredenwoningen) in the flat, 3.1",
        ),
        Column(
            "n_social_rent",
            "int",
            False,
            ("sociale_huur", "aantal_sociale_huur", "sociale_huurwoningen"),
            description="number of the flat's dwellings in social rent, 3.1",
        ),
        _yesno("resident_involvement", "bewonersbetrokkenheid", "betrokkenheid_bewoners", "bewonerscommissie"),
        _yesno("meeting_room", "ontmoetingsruimte", "ontmoetingsruimte_aanwezig"),
        _yesno("workspace", "werkruimte", "werkplek", "werkruimte_langer_thuiscoach", "kantoorruimte"),
        Column("group_id", "text", False, ("groep", "groep_id", "clustergroep", "cluster")),
        Column("status", "status", False, ("fase", "status_llt")),
        Column("status_year", "year", False, ("jaar", "jaar_status", "startjaar", "jaar_gerealiseerd")),
        Column(
            "subsidy_eur", "money", False, ("subsidie", "subsidie_eur", "subsidiebedrag", "kosten_eur", "begroting")
        ),
        _yesno("meeting_space_open", "ontmoetingsruimte_open_voor_buurt", "ruimte_voor_buurt"),
        _yesno("fire_safety_plan", "brandveiligheid", "brandveiligheidsplan", "brandveiligheidsanalyse"),
        _yesno("staff_in_wijk", "medewerker_in_wijk", "corporatiemedewerker_in_wijk", "huismeester"),
        _yesno("woonzorg_registered", "woonzorginitiatief", "aangemeld_woonzorginitiatief"),
        _yesno("vital_mix", "vitale_mix", "afspraken_vitale_mix"),
        _yesno("corporation_consent", "akkoord_corporatie", "besluit_corporatie", "corporatie_akkoord"),
        _yesno(
            "corporation_subsidy_recipient",
            "corporatie_ontvangt_subsidie",
            "subsidie_aan_corporatie",
            "corporatie_subsidieontvanger",
            description="3.2.6: the corporation receives part of the SPUK DOS subsidy for the flat",
        ),
        Column(
            "preferred_provider_id",
            "id",
            False,
            ("voorkeursaanbieder", "voorkeursaanbieder_zorg", "zorgpartner", "voorkeurszorgaanbieder"),
            references="care_providers.provider_id",
            description="the voorkeursaanbieder zorg a realised or chosen flat already has (2.1)",
        ),
        Column(
            "welfare_id",
            "id",
            False,
            ("welzijnsorganisatie", "welzijnspartij", "welzijnspartner"),
            references="welfare_organisations.welfare_id",
            description="the welfare organisation a realised or chosen flat already has (4)",
        ),
    ),
)

STADSDELEN = Table(
    name="stadsdelen",
    description="Stadsdelen (and stadsgebied Weesp) with their boundaries.",
    stems=("stadsdeel", "stadsdelen_afgeleid"),
    key=("stadsdeel_code",),
    geometry="polygon",
    columns=(
        Column("stadsdeel_code", "stadsdeel", True, ("stadsdeelcode", "code", "stadsdeel_id")),
        Column("name", "text", False, ("stadsdeel", "naam", "stadsdeelnaam")),
    ),
)

_AGE_COLUMNS = (
    Column("residents_total", "int", False, ("inwoners", "aantal_inwoners", "bevolking", "inwoners_totaal")),
    Column(
        "residents_65plus",
        "int",
        False,
        ("inwoners_65plus", "inwoners_65_plus", "65plus", "65_plus", "aantal_65plus", "ouderen_65plus"),
    ),
)

WIJKEN = Table(
    name="wijken",
    description="Wijken with their boundaries and residents in total and aged 65+.",
    stems=("wijk", "wijken_afgeleid"),
    key=("wijk_code",),
    geometry="polygon",
    columns=(
        Column("wijk_code", "wijk", True, ("wijkcode", "code", "cbs_wijkcode", "wijk_id")),
        Column("name", "text", False, ("wijk", "naam", "wijknaam")),
        Column("stadsdeel_code", "stadsdeel", False, ("stadsdeelcode",), references="stadsdelen.stadsdeel_code"),
        *_AGE_COLUMNS,
    ),
)

BUURTEN = Table(
    name="buurten",
    description="Buurten with their boundaries (optional), residents in total and aged 65+ (optional).",
    stems=("buurt", "amsterdam_buurten"),
    key=("buurt_code",),
    geometry="polygon",
    required=False,
    columns=(
        Column("buurt_code", "buurt", True, ("buurtcode", "code", "cbs_buurtcode", "cbs_code", "buurt_id")),
        Column("name", "text", False, ("buurt", "naam", "buurtnaam")),
        Column("wijk_code", "wijk", False, ("wijkcode",), references="wijken.wijk_code"),
        Column("stadsdeel_code", "stadsdeel", False, ("stadsdeelcode",), references="stadsdelen.stadsdeel_code"),
        *_AGE_COLUMNS,
    ),
)

FOCUS_AREAS = Table(
    name="focus_areas",
    description="Focus areas given as data: the masterplan areas (Nieuw-West, Zuidoost, Noord) and others.",
    stems=("focusgebieden", "masterplangebieden", "masterplan"),
    key=("focus_id",),
    geometry="polygon",
    required=False,
    section="3.1",
    columns=(
        Column("focus_id", "id", True, ("focusgebied_id", "gebied_id", "id", "code")),
        Column("name", "text", False, ("naam", "focusgebied", "gebied")),
        Column("kind", "text", False, ("soort", "type"), description="'masterplan' or another label"),
    ),
)

CARE_PROVIDERS = Table(
    name="care_providers",
    description="Care providers (VVT) with the hard criteria of section 2.3.",
    stems=("zorgaanbieders", "zorgpartijen", "providers"),
    key=("provider_id",),
    section="2.3",
    columns=(
        Column("provider_id", "id", True, ("aanbieder_id", "zorgaanbieder_id", "agb_code", "id")),
        Column("name", "text", True, ("naam", "zorgaanbieder", "aanbieder")),
        _yesno("zvw_wijkverpleging", "wijkverpleging", "zvw"),
        _yesno("wlz_mpt", "modulair_pakket_thuis", "mpt"),
        _yesno("wlz_vpt", "volledig_pakket_thuis", "vpt"),
        _yesno("casemanager_dementie", "casemanagers_dementie", "casemanagement_dementie"),
        _yesno("contracted_zk", "gecontracteerd_zilveren_kruis", "contract_zilveren_kruis", "zilveren_kruis"),
        _yesno("committed_programme", "gecommitteerd", "commitment_programma", "gecommitteerd_programma"),
        _yesno("client_handover", "overdracht_clienten", "werkt_mee_aan_overdracht", "overdracht"),
        Column("max_flats", "int", False, ("max_flats", "capaciteit_flats", "maximaal_aantal_flats")),
    ),
)

PROVIDER_PRESENCE = Table(
    name="provider_presence",
    description="Each care provider's presence per wijk: clients and cooperation agreements (2.3 aspects).",
    stems=("aanwezigheid_zorgaanbieders", "zorgaanbieders_per_wijk"),
    key=("provider_id", "wijk_code"),
    required=False,
    section="2.3",
    columns=(
        Column(
            "provider_id", "id", True, ("aanbieder_id", "zorgaanbieder_id"), references="care_providers.provider_id"
        ),
        Column("wijk_code", "wijk", True, ("wijkcode", "wijk"), references="wijken.wijk_code"),
        Column("n_clients", "int", False, ("clienten", "aantal_clienten", "clienten_in_wijk")),
        _yesno("gp_agreement", "afspraken_huisartsen", "samenwerking_huisartsen"),
        _yesno("first_line_agreement", "afspraken_eerstelijn", "samenwerking_eerstelijn", "eerstelijn"),
    ),
)

INTRAMURAL_SITES = Table(
    name="intramural_sites",
    description="Intramural sites (verpleeghuizen) of the care providers.",
    stems=("intramurale_locaties", "verpleeghuizen", "locaties"),
    key=("site_id",),
    geometry="point",
    section="2.3",
    columns=(
        Column("site_id", "id", True, ("locatie_id", "id")),
        Column(
            "provider_id", "id", True, ("aanbieder_id", "zorgaanbieder_id"), references="care_providers.provider_id"
        ),
        Column("name", "text", False, ("naam", "locatie", "locatienaam")),
        Column("n_places", "int", False, ("plaatsen", "aantal_plaatsen", "capaciteit")),
    ),
)

WELFARE_ORGANISATIONS = Table(
    name="welfare_organisations",
    description="Welfare organisations per stadsdeel with the purchasing agreement of section 4.2.",
    stems=("welzijnsorganisaties", "welzijnspartijen"),
    key=("welfare_id", "stadsdeel_code"),
    section="4",
    columns=(
        Column("welfare_id", "id", True, ("welzijn_id", "organisatie_id", "id")),
        Column("name", "text", True, ("naam", "welzijnsorganisatie", "organisatie")),
        Column(
            "stadsdeel_code", "stadsdeel", True, ("stadsdeelcode", "stadsdeel"), references="stadsdelen.stadsdeel_code"
        ),
        _yesno("purchasing_agreement", "inkoopafspraken", "inkoopafspraak", "inkoopafspraken_gemeente"),
    ),
)

WELFARE_CONDITIONS = Table(
    name="welfare_conditions",
    description="Per flat and welfare organisation, the conditions of section 4.2 and the senior buurtwerker.",
    stems=("welzijn_per_flat", "welzijnsvoorwaarden"),
    key=("flat_id", "welfare_id"),
    required=False,
    section="4.1, 4.2",
    columns=(
        Column("flat_id", "id", True, ("complexnummer", "complex_id", "flat"), references="flats.flat_id"),
        Column(
            "welfare_id", "id", True, ("welzijn_id", "organisatie_id"), references="welfare_organisations.welfare_id"
        ),
        _yesno("in_alliance_plan", "alliantieplan", "in_alliantieplan", "alliantieplan_2025_2030"),
        _yesno("extra_buurtwerk_granted", "extra_buurtwerk", "extra_inzet_buurtwerk", "buurtwerk_gehonoreerd"),
        _yesno("senior_buurtwerker", "senior_buurtwerker", "buurtwerker_toegezegd", "buurtwerker"),
        _yesno("role_vision", "llt_in_visie", "plek_in_visie", description="4.1.1: the flat has a place in its vision"),
        _yesno(
            "role_employer_support",
            "steun_werkgever",
            "actieve_support_werkgever",
            description="4.1.3: active support of the employer (room, networks, communication, HR)",
        ),
        _yesno(
            "role_resident_network",
            "netwerk_bewoners",
            "betrekken_bewonersinitiatieven",
            description="4.1.4: actively involves residents' networks and initiatives",
        ),
        _yesno(
            "role_community_care",
            "expertise_community_care",
            "community_care",
            description="4.1.5: brings or develops expertise in community care",
        ),
        _yesno(
            "role_knowledge_sharing",
            "kennis_delen",
            "uitdragen_en_kennis_delen",
            description="4.1.6: spreads the initiative and shares knowledge (also with the Buurtteam)",
        ),
        _yesno(
            "role_training",
            "leergang",
            "leergang_llt",
            description="4.1.7: the buurtwerker follows the Lang Leven Thuisflat course",
        ),
    ),
)

AMENITIES = Table(
    name="amenities",
    description="Amenities (voorzieningen) near which a Lang Leven Thuisflat should be.",
    stems=("voorzieningen",),
    key=("amenity_id",),
    geometry="point",
    section="3.1",
    columns=(
        Column("amenity_id", "id", True, ("voorziening_id", "id")),
        Column("kind", "text", True, ("soort", "type", "categorie")),
        Column("name", "text", False, ("naam",)),
    ),
)

SURVEY = Table(
    name="survey",
    description="The residents' survey: per flat, how many respondents prefer each care provider (2.3, 2.4 step 1).",
    stems=("bewonerspeiling", "peiling", "enquete"),
    key=("flat_id", "provider_id"),
    required=False,
    section="2.3, 2.4",
    columns=(
        Column("flat_id", "id", True, ("complexnummer", "complex_id", "flat"), references="flats.flat_id"),
        Column(
            "provider_id", "id", True, ("aanbieder_id", "zorgaanbieder_id"), references="care_providers.provider_id"
        ),
        Column("n_preferences", "int", True, ("voorkeuren", "aantal_voorkeuren", "stemmen")),
        Column("n_respondents", "int", False, ("respondenten", "aantal_respondenten")),
    ),
)

FLAT_CLIENTS = Table(
    name="flat_clients",
    description="Each care provider's existing clients per flat (2.2: a group of clients in the flat).",
    stems=("clienten_per_flat", "bestaande_clienten"),
    key=("flat_id", "provider_id"),
    required=False,
    section="2.2, 2.3",
    columns=(
        Column("flat_id", "id", True, ("complexnummer", "complex_id", "flat"), references="flats.flat_id"),
        Column(
            "provider_id", "id", True, ("aanbieder_id", "zorgaanbieder_id"), references="care_providers.provider_id"
        ),
        Column("n_clients", "int", True, ("clienten", "aantal_clienten")),
    ),
)

PROCESS = Table(
    name="process",
    description="The choice of the voorkeursaanbieder zorg per flat: the four steps and the positioning "
    "options of 2.4, one row per flat and item, with status and date.",
    stems=("keuzeproces", "procesvoortgang", "voortgang_keuze"),
    key=("flat_id", "item"),
    required=False,
    section="2.3, 2.4",
    columns=(
        Column("flat_id", "id", True, ("complexnummer", "complex_id", "flat"), references="flats.flat_id"),
        Column(
            "item", "process_item", True, ("stap", "onderdeel", "interventie"), description="a code of PROCESS_ITEMS"
        ),
        Column("status", "process_status", False, ("status_stap", "stand")),
        Column("date", "date", False, ("datum", "datum_gereed", "datum_afgerond")),
        Column("note", "text", False, ("toelichting", "opmerking")),
    ),
)

#: Every table, in the order they are read and reported.
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        FLATS,
        STADSDELEN,
        WIJKEN,
        BUURTEN,
        FOCUS_AREAS,
        CARE_PROVIDERS,
        PROVIDER_PRESENCE,
        INTRAMURAL_SITES,
        WELFARE_ORGANISATIONS,
        WELFARE_CONDITIONS,
        AMENITIES,
        SURVEY,
        FLAT_CLIENTS,
        PROCESS,
    )
}


def markdown_reference() -> str:
    """The per-table column reference of ``docs/data-format.md``, generated from :data:`TABLES`.

    A test checks that the document holds exactly this text, so the two cannot drift apart.
    """
    out = []
    for t in TABLES.values():
        out.append(f"### `{t.name}` — {'required' if t.required else 'optional'}\n")
        out.append(t.description + (f" (Toewijzingskader {t.section})" if t.section else "") + "\n")
        where = ""
        if t.geometry == "point":
            where = " Location: a point (geometry, `lon`/`lat` or RD `x`/`y`)."
        elif t.geometry == "polygon":
            where = (
                " Location: a polygon (GeoJSON, GeoPackage, GeoParquet, or WKT in a `geometry` column of a CSV/Excel)."
            )
        stems = ", ".join(f"`{s}.*`" for s in t.file_stems)
        key = " + ".join(f"`{k}`" for k in t.key)
        out.append(f"File names looked for: {stems}. Unique key: {key}.{where}\n")
        out.append("| column | kind | required | also accepted headers | must refer to |")
        out.append("|---|---|---|---|---|")
        for c in t.columns:
            aliases = ", ".join(c.aliases)
            out.append(f"| `{c.name}` | {c.kind} | {'yes' if c.required else ''} | {aliases} | {c.references or ''} |")
        out.append("")
    return "\n".join(out)
