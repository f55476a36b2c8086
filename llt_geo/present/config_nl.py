"""Every setting of llt_geo in Dutch, with its reason, for the stuurgroep's report.

The reasons are the comments of ``default_config.toml`` in plain Dutch: what a setting does, where
its number comes from (a quotation of the Toewijzingskader with its section number when the
framework gives it) and, when the framework gives no number, that it is a working assumption
(*werkaanname*). Quotations of the Toewijzingskader stand between straight double quotes and are
taken word for word from its Dutch text; other terms stand between single quotes.

- :data:`REASONS_NL`: the reason per setting, keyed ``"section.key"``;
- :data:`LABELS_NL`: a short Dutch name per setting;
- :data:`VALUES_NL`: the Dutch reading of the words and codes a setting can take;
- :data:`SECTIONS_NL`: a Dutch name per section;
- :func:`describe`: one table of every setting of a configuration, with its value in Dutch
  notation, whether it is the default, and why; then one row per scenario override.

A test fails when a setting has no Dutch reason or label, so a new setting gets both when it is
added.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ..config import SCENARIO_SECTIONS, default_config
from ..labels import nl_date, nl_number

__all__ = ["COLUMNS", "LABELS_NL", "REASONS_NL", "SECTIONS_NL", "VALUES_NL", "describe", "format_value"]

#: Sections that hold no setting with a reason of its own: file names, and the scenarios (whose
#: overrides :func:`describe` lists after the settings).
SKIPPED_SECTIONS = ("files", "scenarios")

#: The columns of :func:`describe`.
COLUMNS = ["Onderdeel", "Instelling", "Sleutel", "Waarde", "Standaard", "Waarom"]

SECTIONS_NL: dict[str, str] = {
    "dataset": "Dataset",
    "files": "Bestanden",
    "programme": "Programma",
    "eligibility": "Geschiktheid flats (3.1)",
    "grouping": "Groeperen van flats (3.1)",
    "areas": "Vergrijsde en masterplangebieden (3.1)",
    "care": "Keuze voorkeursaanbieder zorg (2.2, 2.3)",
    "portfolio": "Keuze en spreiding van de flats (3.1)",
    "scenarios": "Scenario's",
    "spread": "Spreiding en bereik (3.1)",
    "validation": "Controle van de invoer",
    "report": "Rapport en kaarten",
    "plausibility": "Aannemelijkheid van de invoer",
}

LABELS_NL: dict[str, str] = {
    # [dataset]
    "dataset.name": "Naam van de dataset",
    "dataset.fictional": "Fictieve gegevens (demo)",
    "dataset.notice": "Waarschuwingstekst bij de dataset",
    # [programme]
    "programme.goal_flats": "Doel: aantal Lang Leven Thuisflats",
    "programme.goal_year": "Doel: jaar",
    "programme.budget_eur": "Beschikbaar subsidiebudget (euro)",
    "programme.default_subsidy_eur": "Subsidie per flat als het register geen bedrag geeft (euro)",
    # [eligibility]
    "eligibility.min_dwellings": "Minimaal aantal woningen per flat of groep",
    "eligibility.dwellings_tolerance": "Marge 'ongeveer 100': woningen onder het minimum die nog voldoen",
    "eligibility.near_miss_dwellings": "Marge 'net niet': woningen onder het minimum",
    "eligibility.near_miss_share": "Marge 'net niet': aandeel onder de drempel",
    "eligibility.min_share_nultreden": "Minimaal aandeel nultredenwoningen",
    "eligibility.min_share_social_rent": "Minimaal aandeel sociale huur",
    "eligibility.amenity_radius_m": "Loopafstand tot voorzieningen (m)",
    "eligibility.amenity_kinds": "Soorten voorzieningen die meetellen",
    "eligibility.min_amenity_kinds": "Minimaal aantal soorten voorzieningen in de buurt",
    # [grouping]
    "grouping.max_distance_m": "Maximale afstand tussen flats in een groep (m)",
    "grouping.same_corporation": "Groep alleen binnen één corporatie",
    "grouping.max_members": "Maximaal aantal flats per groep",
    # [areas]
    "areas.ageing_threshold_share": "Drempel vergrijsd gebied (aandeel 65+)",
    "areas.ageing_level": "Niveau waarop vergrijzing wordt beoordeeld",
    "areas.outside_tolerance_m": "Marge voor flats net buiten een gebied (m)",
    "areas.masterplan_kind": "Code van masterplangebieden in de gegevens",
    # [care]
    "care.weight_known_in_wijk": "Gewicht 'Bekend in de wijk'",
    "care.weight_cooperation": "Gewicht 'Samenwerkingsverbanden'",
    "care.weight_intramural_nearby": "Gewicht 'Intramurale locatie in directe nabijheid'",
    "care.intramural_nearby_m": "Afstand 'in directe nabijheid' (m)",
    "care.weight_residents_voice": "Gewicht 'Stem van de bewoners'",
    "care.weight_existing_clients": "Gewicht 'Bestaande cliënten in de flat'",
    "care.known_in_wijk_full_clients": "Cliënten in de wijk voor volle score 'Bekend in de wijk'",
    "care.existing_clients_full": "Cliënten in de flat voor volle score 'Bestaande cliënten'",
    "care.default_max_flats": "Maximaal aantal flats per voorkeursaanbieder (standaard)",
    "care.robustness_draws": "Robuustheid rangorde zorg: aantal trekkingen",
    "care.robustness_concentration": "Robuustheid rangorde zorg: concentratie",
    "care.robustness_seed": "Robuustheid rangorde zorg: startgetal (seed)",
    # [portfolio]
    "portfolio.min_per_stadsdeel": "Minimaal aantal flats per stadsdeel",
    "portfolio.max_per_stadsdeel": "Maximaal aantal flats per stadsdeel",
    "portfolio.per_stadsdeel_min": "Uitzonderingen op het minimum per stadsdeel",
    "portfolio.per_stadsdeel_max": "Uitzonderingen op het maximum per stadsdeel",
    "portfolio.min_focus_share": "Minimaal aandeel in vergrijsde of masterplangebieden",
    "portfolio.max_per_corporation": "Maximaal aantal flats per corporatie",
    "portfolio.flats_to_choose": "Aantal te kiezen flats",
    "portfolio.weight_focus": "Extra geschiktheid in vergrijsd of masterplangebied",
    "portfolio.weight_partner": "Gewicht van de score van de voorkeursaanbieder zorg",
    "portfolio.allow_unknown_criteria": "Kandidaat met onbekend criterium van 3.1 toelaten",
    "portfolio.allow_unknown_consent": "Kandidaat met nog onbekend akkoord van de corporatie toelaten",
    "portfolio.welfare_required": "Vereiste voor de welzijnsorganisatie (4.2)",
    "portfolio.onder_voorbehoud_reason": "Reden om flats onder voorbehoud te financieren",
    "portfolio.penalty_onder_voorbehoud": "Aftrek van de geschiktheid voor een flat onder voorbehoud",
    "portfolio.time_limit_s": "Tijdslimiet per berekening (s)",
    "portfolio.robustness_draws": "Robuustheid keuze: aantal trekkingen",
    # [spread]
    "spread.coverage_distance_m": "Afstand voor het bereik van 65-plussers (m)",
    # [validation]
    "validation.region_rd": "Gebied waarbinnen punten moeten liggen (RD-coördinaten)",
    "validation.today": "Datum van vandaag voor de controle",
    # [report]
    "report.peildatum": "Peildatum van de gegevens",
    "report.basemap": "Achtergrondkaart",
    # [plausibility]
    "plausibility.flat_dwellings_warn": "Woningen per flat: waarschuwing boven",
    "plausibility.flat_dwellings_max": "Woningen per flat: fout boven",
    "plausibility.flat_subsidy_eur_warn": "Subsidie per flat: waarschuwing boven (euro)",
    "plausibility.flat_subsidy_eur_max": "Subsidie per flat: fout boven (euro)",
    "plausibility.site_places_warn": "Plaatsen per verpleeghuis: waarschuwing boven",
    "plausibility.site_places_max": "Plaatsen per verpleeghuis: fout boven",
    "plausibility.area_residents_warn": "Inwoners per wijk of buurt: waarschuwing boven",
    "plausibility.area_residents_max": "Inwoners per wijk of buurt: fout boven",
    "plausibility.clients_per_dwelling_warn": "Cliënten per woning: waarschuwing boven",
    "plausibility.clients_per_dwelling_max": "Cliënten per woning: fout boven",
    "plausibility.respondents_per_dwelling_max": "Respondenten peiling per woning: fout boven",
}

_WEIGHTS = (
    "Het Toewijzingskader noemt de aspecten maar geen gewichten (werkaanname): standaard telt elk aspect even "
    "zwaar en de stuurgroep kan dat hier aanpassen; minstens één gewicht moet boven 0 liggen."
)
_PORTFOLIO = (
    "Werkaanname: het Toewijzingskader noemt geen getal. De telling omvat ook de flats die al gerealiseerd, "
    "gekozen of in ontwikkeling zijn."
)
_WARN = "Controle op invoerfouten, los van het Toewijzingskader: daarboven volgt een waarschuwing met bestand, kolom, "
_WARN += "rij en waarde, en de waarde wordt gewoon gebruikt (mogelijk, maar onwaarschijnlijk)."
_MAX = "Controle op invoerfouten, los van het Toewijzingskader: daarboven volgt een fout (onmogelijke waarde); met "
_MAX += "on_error = 'drop' valt de rij weg en wordt dat gemeld."

REASONS_NL: dict[str, str] = {
    # [dataset]
    "dataset.name": (
        "De naam van de gegevens, getoond op elke kaart, elk rapport en elk notebook dat ze gebruikt. "
        "Een aanduiding, geen keuze uit het Toewijzingskader."
    ),
    "dataset.fictional": (
        "Staat op 'ja' bij gegenereerde demodata: elke uitkomst vermeldt dan dat de gegevens fictief zijn. "
        "Een aanduiding, geen keuze uit het Toewijzingskader."
    ),
    "dataset.notice": (
        "Waarschuwingstekst die achter de naam van de dataset op kaarten, rapporten en uitvoerbestanden staat "
        "(bij de demo: dat de gegevens fictief zijn). Leeg bij fictieve gegevens geeft een standaardmelding, "
        "leeg bij echte gegevens geen melding."
    ),
    # [programme]
    "programme.goal_flats": (
        "Het doel van het programma: zoveel Lang Leven Thuisflats moeten er komen. "
        '1: "in 2030 zijn er 30 Lang Leven Thuisflats in Amsterdam"; ook de Inleiding noemt deze ambitie.'
    ),
    "programme.goal_year": (
        "Het jaar waarin het doel gehaald moet zijn. "
        '1: "in 2030 zijn er 30 Lang Leven Thuisflats in Amsterdam"; ook de Inleiding noemt deze ambitie.'
    ),
    "programme.budget_eur": (
        "Het bedrag aan SPUK DOS-ontwikkelsubsidie dat nog beschikbaar blijft voor de flats die nog gekozen "
        'moeten worden; Inleiding: "Binnen het beschikbare subsidiebudget moeten door de programmaleiding keuzes '
        "worden gemaakt\". Het Toewijzingskader noemt geen bedrag; 0 betekent 'niet ingesteld' en dan "
        "draait de keuze van de flats (portefeuille) niet."
    ),
    "programme.default_subsidy_eur": (
        "Het subsidiebedrag per flat dat llt_geo aanneemt wanneer het woningregister geen bedrag geeft "
        "(kolom subsidy_eur). 0 betekent 'onbekend'; het Toewijzingskader noemt geen bedrag per flat."
    ),
    # [eligibility]
    "eligibility.min_dwellings": (
        'Het minimale aantal woningen van een flat of groep flats. 3.1: "Minimale omvang van ongeveer 100 '
        '(of een aantal gegroepeerde flats van samen minimaal 100 woningen)".'
    ),
    "eligibility.dwellings_tolerance": (
        '3.1 zegt "ongeveer 100", niet "minimaal 100": een flat of groep die hooguit zoveel woningen onder het '
        "minimum blijft, voldoet als 'voldoet (ongeveer)' en wordt overal zo gemarkeerd. Werkaanname: 5 woningen "
        "(5% van 100), wat 'ongeveer' bij een rond honderdtal in gewoon Nederlands betekent; het "
        "Toewijzingskader noemt geen getal."
    ),
    "eligibility.near_miss_dwellings": (
        "Een flat die onder de marge van 'ongeveer' valt, maar hooguit zoveel woningen onder het minimum blijft, "
        "wordt gemarkeerd als 'net niet', zodat de stuurgroep hem ziet, maar hij voldoet niet. "
        "Werkaanname: het Toewijzingskader noemt geen getal voor deze marge."
    ),
    "eligibility.near_miss_share": (
        "Een criterium met een aandeel (nultreden, sociale huur) dat met hooguit dit verschil niet gehaald wordt, "
        "wordt gemarkeerd als 'net niet'; de flat voldoet dan niet, maar de stuurgroep ziet hem. "
        "Werkaanname: het Toewijzingskader noemt geen getal."
    ),
    "eligibility.min_share_nultreden": (
        '3.1: "Seniorenwoningen (nultreden)": het aandeel van de woningen in de flat dat nultreden '
        "(zonder traptreden bereikbaar) moet zijn. Werkaanname: het Toewijzingskader noemt geen getal; "
        "het programma gaat uit van een duidelijke meerderheid."
    ),
    "eligibility.min_share_social_rent": (
        '3.1: "Sociale huur": het aandeel van de woningen in de flat dat sociale huur moet zijn. '
        "Werkaanname: het Toewijzingskader noemt geen getal; met een meerderheid blijft de flat een "
        "sociale-huurflat."
    ),
    "eligibility.amenity_radius_m": (
        '3.1: "Nabij voorzieningen": de loopafstand in meters waarbinnen een voorziening meetelt, '
        "ongeveer 5 tot 7 minuten lopen voor een oudere bewoner. "
        "Werkaanname: het Toewijzingskader noemt geen afstand."
    ),
    "eligibility.amenity_kinds": (
        '3.1: "Nabij voorzieningen": de soorten voorzieningen die meetellen. '
        "Werkaanname: het Toewijzingskader noemt geen soorten."
    ),
    "eligibility.min_amenity_kinds": (
        '3.1: "Nabij voorzieningen": zoveel verschillende soorten voorzieningen moeten binnen de loopafstand '
        "liggen. Werkaanname: het Toewijzingskader noemt geen getal."
    ),
    # [grouping]
    "grouping.max_distance_m": (
        '3.1: "een aantal gegroepeerde flats van samen minimaal 100 woningen": flats binnen deze afstand '
        "(meters, hemelsbreed, in RD-coördinaten EPSG:28992) van een andere flat in de groep kunnen samen één "
        "kandidaat vormen. Werkaanname: het Toewijzingskader noemt geen afstand."
    ),
    "grouping.same_corporation": (
        "Flats van één woningcorporatie kunnen één plan van aanpak en één ontmoetingsruimte delen; groepen van "
        "flats van verschillende corporaties staan daarom standaard uit. "
        "Werkaanname: het Toewijzingskader regelt dit niet."
    ),
    "grouping.max_members": (
        '3.1 spreekt van "een aantal gegroepeerde flats": een handvol dat één flatteam kan bedienen. Een cluster '
        "van meer flats binnen de afstand van elkaar wordt niet vanzelf gegroepeerd maar gemeld, zodat de "
        "corporatie de bedoelde groepen zelf in het register aangeeft. "
        "Werkaanname: het Toewijzingskader noemt geen getal."
    ),
    # [areas]
    "areas.ageing_threshold_share": (
        '3.1: "accent in de zogenaamde vergrijsde en ‘masterplan’ gebieden": een gebied geldt als vergrijsd '
        "wanneer het aandeel inwoners van 65 jaar en ouder minstens deze drempel haalt. Standaard het aandeel "
        "65+ van de hele stad, berekend uit de wijkentabel; het Toewijzingskader noemt geen drempel."
    ),
    "areas.ageing_level": (
        "Vergrijzing wordt per wijk beoordeeld (standaard: op dat niveau publiceert de gemeente leeftijdscijfers "
        "voor elk gebied) of per buurt (dan zijn leeftijdscijfers in de buurtentabel nodig). "
        "Het Toewijzingskader noemt geen niveau."
    ),
    "areas.outside_tolerance_m": (
        "Een flat die net buiten elk gebied valt (op een kade, of aan de overkant van een straat aan de "
        "stadsrand) wordt toegewezen aan het dichtstbijzijnde gebied binnen dit aantal meters, en gemeld; "
        "verder weg blijft het gebied onbekend. Technische instelling, los van het Toewijzingskader."
    ),
    "areas.masterplan_kind": (
        "Welke rijen van de tabel focus_areas masterplangebieden aanwijzen: de rijen met dit woord in de kolom "
        "kind (hoofdletters tellen niet mee). Technische instelling voor het lezen van de gegevens."
    ),
    # [care]
    "care.weight_known_in_wijk": (
        'Gewicht van het aspect "Bekend in de wijk" bij de keuze van de voorkeursaanbieder zorg (2.3): de '
        "aanbieder geeft al zorg in de wijk van de flat. " + _WEIGHTS
    ),
    "care.weight_cooperation": (
        'Gewicht van het aspect "Samenwerkingsverbanden" (2.3): afspraken met huisartsen, eerstelijnszorg en '
        "welzijnsnetwerken in de wijk. " + _WEIGHTS
    ),
    "care.weight_intramural_nearby": (
        'Gewicht van het aspect "Intramurale locatie in directe nabijheid" (2.3): een intramurale locatie '
        "(verpleeghuis) binnen de afstand 'in directe nabijheid' van de flat. " + _WEIGHTS
    ),
    "care.intramural_nearby_m": (
        'Wat "in directe nabijheid" (2.3) betekent, in meters hemelsbreed: standaard ongeveer 20 minuten lopen. '
        "Werkaanname: het Toewijzingskader noemt geen afstand."
    ),
    "care.weight_residents_voice": (
        '2.3: "De bewoners van de flat hebben een stem in de keuze voor de voorkeurszorgaanbieder": het gewicht '
        "van de bewonerspeiling. " + _WEIGHTS
    ),
    "care.weight_existing_clients": (
        'Gewicht van de bestaande cliënten van de aanbieder in de flat; 2.2: de zorgorganisatie moet "een groep '
        'cliënten in de Lang Leven Thuisflat" hebben. ' + _WEIGHTS
    ),
    "care.known_in_wijk_full_clients": (
        "Het aspect 'Bekend in de wijk' scoort 1 vanaf dit aantal cliënten van de aanbieder in de wijk van de flat, "
        "daaronder naar verhouding. Werkaanname: ongeveer de caseload van één wijkverpleegkundige; het "
        "Toewijzingskader noemt geen getal."
    ),
    "care.existing_clients_full": (
        "Het aspect 'Bestaande cliënten' scoort 1 vanaf dit aantal cliënten van de aanbieder in de flat, daaronder "
        'naar verhouding; 2.2: "hoe meer cliënten, hoe groter het vaste team zorgmedewerkers". Werkaanname: '
        "genoeg voor een klein vast team; het Toewijzingskader noemt geen getal."
    ),
    "care.default_max_flats": (
        "Voor zoveel flats kan één zorgaanbieder voorkeursaanbieder zijn wanneer de tabel care_providers geen "
        "max_flats geeft: per flat een flatteam, ongeveer vijf teams tegelijk. Werkaanname: het "
        "Toewijzingskader noemt geen getal; 0 betekent geen enkele flat."
    ),
    "care.robustness_draws": (
        "Hoe stevig de rangorde van de zorgaanbieders staat: zoveel keer trekt llt_geo gewichten uit een "
        "Dirichlet-verdeling rond de ingestelde gewichten en rangschikt opnieuw. Technische instelling, los van "
        "het Toewijzingskader."
    ),
    "care.robustness_concentration": (
        "Hoe ver de getrokken gewichten van de ingestelde gewichten afwijken: bij concentratie 50 varieert het "
        "aandeel van elk gewicht met ongeveer een derde van zichzelf. Technische instelling, los van het "
        "Toewijzingskader."
    ),
    "care.robustness_seed": (
        "Vast startgetal (seed) voor de trekkingen, zodat de uitkomsten van run tot run gelijk blijven. "
        "Technische instelling, los van het Toewijzingskader."
    ),
    # [portfolio]
    "portfolio.min_per_stadsdeel": (
        '3.1: "Een redelijke spreiding over de stadsdelen": minstens zoveel Lang Leven Thuisflats per stadsdeel '
        "(0 = geen minimum). " + _PORTFOLIO
    ),
    "portfolio.max_per_stadsdeel": (
        '3.1: "Een redelijke spreiding over de stadsdelen": hoogstens zoveel Lang Leven Thuisflats per stadsdeel, '
        "zodat geen stadsdeel het leeuwendeel krijgt. " + _PORTFOLIO
    ),
    "portfolio.per_stadsdeel_min": (
        "Uitzonderingen op het minimum per stadsdeel (stadsdeelcode = aantal). Standaard Westpoort (B) = 0: "
        "het havengebied heeft nauwelijks woningen en krijgt geen minimum."
    ),
    "portfolio.per_stadsdeel_max": (
        "Uitzonderingen op het maximum per stadsdeel (stadsdeelcode = aantal); standaard geen. "
        "Werkaanname: het Toewijzingskader noemt geen getal."
    ),
    "portfolio.min_focus_share": (
        '3.1: "met accent in de zogenaamde vergrijsde en ‘masterplan’ gebieden": minstens dit aandeel van alle '
        "Lang Leven Thuisflats ligt in een vergrijsd gebied of een masterplangebied. " + _PORTFOLIO
    ),
    "portfolio.max_per_corporation": ("Hoogstens zoveel Lang Leven Thuisflats per woningcorporatie. " + _PORTFOLIO),
    "portfolio.flats_to_choose": (
        "Hoeveel flats llt_geo kiest. 0 betekent: het doel van het programma (aantal Lang Leven Thuisflats) min "
        "de flats die al gerealiseerd, gekozen of in ontwikkeling zijn."
    ),
    "portfolio.weight_focus": (
        "De geschiktheid van een kandidaat telt 1 voor het voldoen aan 3.1, plus dit extra voor een flat in een "
        'vergrijsd of masterplangebied (3.1: "met accent in de zogenaamde vergrijsde en ‘masterplan’ gebieden"). '
        "Werkaanname: het Toewijzingskader noemt geen gewicht."
    ),
    "portfolio.weight_partner": (
        "De geschiktheid van een kandidaat telt daarnaast dit gewicht maal de score (0 tot 1) van zijn "
        "voorkeursaanbieder zorg (2.3). Werkaanname: het Toewijzingskader noemt geen gewicht."
    ),
    "portfolio.allow_unknown_criteria": (
        "Een kandidaat waarvan een criterium van 3.1 onbekend blijft, valt af, tenzij deze instelling op 'ja' "
        "staat; dan kan hij onder voorbehoud gekozen worden en wordt hij overal zo gemarkeerd."
    ),
    "portfolio.allow_unknown_consent": (
        'De woningcorporatie heeft als eigenaar van de flat "het laatste woord" (Inleiding): een kandidaat die '
        "zij heeft afgewezen, valt altijd af. Een kandidaat waarvan het "
        "akkoord nog niet bekend staat, telt alleen mee wanneer deze instelling op 'ja' staat, en dan onder "
        "voorbehoud."
    ),
    "portfolio.welfare_required": (
        "Een kandidaat heeft een welzijnsorganisatie nodig die aan de voorwaarden van 4.2 voldoet ('bekend'), "
        "of, onder voorbehoud, een waarvoor geen voorwaarde bekend faalt ('mogelijk': onbekende voorwaarden "
        'moeten nog geregeld worden). 4.2: "Basisvoorwaarde voor de rol van de welzijnspartij": onbekend telt '
        "als niet voldaan."
    ),
    "portfolio.onder_voorbehoud_reason": (
        "Waarom de stuurgroep toestaat dat een flat gekozen wordt terwijl een voorwaarde (3.1, 4.2 of het akkoord "
        "van de corporatie) nog onbekend is. Verplicht zodra een van de drie instellingen hierboven dat toestaat; "
        "staat bij elke flat die het betreft."
    ),
    "portfolio.penalty_onder_voorbehoud": (
        "Wat de keuze aftrekt van de geschiktheid van een flat onder voorbehoud, zodat een flat die aantoonbaar "
        "aan alles voldoet, voorgaat. Werkaanname: even groot als het accent op vergrijsde en "
        "masterplangebieden."
    ),
    "portfolio.time_limit_s": (
        "De tijdslimiet in seconden voor één berekening van de keuze; wordt die ooit bereikt, dan meldt llt_geo "
        "hoe ver de gevonden keuze hooguit van de best mogelijke af ligt. Technische instelling, los van het "
        "Toewijzingskader."
    ),
    "portfolio.robustness_draws": (
        "Hoe vaak een kandidaat gekozen blijft wanneer de zorggewichten variëren: zoveel trekkingen uit een "
        "Dirichlet-verdeling rond de gewichten van de keuze van de voorkeursaanbieder zorg (zoals bij de "
        "partnerkeuze), elk opnieuw doorgerekend. Technische instelling, los van het Toewijzingskader."
    ),
    # [spread]
    "spread.coverage_distance_m": (
        '3.1: "Een redelijke spreiding over de stadsdelen": de maat voor het bereik telt de inwoners van 65 jaar '
        "en ouder die binnen deze afstand (hemelsbreed) van een Lang Leven Thuisflat wonen. Werkaanname: het "
        "Toewijzingskader noemt geen afstand; binnen 1 km (ongeveer 15 minuten lopen voor een oudere bewoner) "
        "kunnen de ontmoetingsruimte en het flatteam de buurt rond de flat bedienen."
    ),
    # [validation]
    "validation.region_rd": (
        "Punten en gebieden moeten binnen deze rechthoek liggen (RD-coördinaten EPSG:28992 in meters: "
        "west, zuid, oost, noord): Amsterdam met Weesp en een marge van ongeveer 2 km. Alles daarbuiten wordt "
        "als fout gemeld."
    ),
    "validation.today": (
        "Data na deze dag liggen in de toekomst en gelden als fout bij een stap van het keuzeproces. "
        "Leeg: de datum waarop llt_geo draait."
    ),
    # [report]
    "report.peildatum": (
        "De datum die de gegevens beschrijven, getoond op elke kaart, pagina en afgedrukte figuur van het "
        "stuurgroeppakket. Leeg: de datum van vandaag uit de controle van de invoer, anders de datum van het "
        "nieuwste invoerbestand."
    ),
    "report.basemap": (
        "De achtergrond van de kaarten: de BRT-Achtergrondkaart van PDOK (de kaart van de Nederlandse overheid, "
        "met OpenStreetMap als keuze), OpenStreetMap eerst, of geen achtergrond (dan verlaat geen verzoek de "
        "computer). De gebieden worden in elk geval getekend en benoemd."
    ),
    # [plausibility]
    "plausibility.flat_dwellings_warn": (
        "Woningen in één flat (complex): de grootste corporatiecomplexen van Amsterdam tellen enkele honderden "
        "woningen (Kleiburg in de Bijlmer: ongeveer 500). " + _WARN
    ),
    "plausibility.flat_dwellings_max": (
        "Woningen in één flat (complex): een complex van duizenden woningen wijst op een tikfout. " + _MAX
    ),
    "plausibility.flat_subsidy_eur_warn": (
        "Subsidie voor één flat, in euro: de SPUK DOS-ontwikkelsubsidie wordt over enkele tientallen flats "
        "verdeeld. " + _WARN
    ),
    "plausibility.flat_subsidy_eur_max": (
        "Subsidie voor één flat, in euro: de SPUK DOS-ontwikkelsubsidie wordt over enkele tientallen flats "
        "verdeeld. " + _MAX
    ),
    "plausibility.site_places_warn": (
        "Plaatsen in één intramurale locatie (verpleeghuis): Nederlandse verpleeghuizen hebben tientallen tot "
        "enkele honderden plaatsen. " + _WARN
    ),
    "plausibility.site_places_max": (
        "Plaatsen in één intramurale locatie (verpleeghuis): Nederlandse verpleeghuizen hebben tientallen tot "
        "enkele honderden plaatsen. " + _MAX
    ),
    "plausibility.area_residents_warn": (
        "Inwoners van één wijk of buurt: de grootste wijken van Amsterdam hebben ongeveer 30.000 inwoners, de "
        "hele stad ongeveer 930.000. " + _WARN
    ),
    "plausibility.area_residents_max": (
        "Inwoners van één wijk of buurt: de hele stad telt ongeveer 930.000 inwoners. " + _MAX
    ),
    "plausibility.clients_per_dwelling_warn": (
        "Bestaande cliënten van een aanbieder in één flat (tabel flat_clients) per woning: in een woning woont "
        "één huishouden, dus meer dan één cliënt per woning ligt niet voor de hand. " + _WARN
    ),
    "plausibility.clients_per_dwelling_max": (
        "Bestaande cliënten van een aanbieder in één flat (tabel flat_clients) per woning: meer dan drie per "
        "woning kan niet. " + _MAX
    ),
    "plausibility.respondents_per_dwelling_max": (
        "Respondenten van de bewonerspeiling per woning van de flat (de bewoners van één woning): meer dan drie "
        "kan niet. " + _MAX + " Meer voorkeuren dan respondenten in één rij geeft altijd een fout."
    ),
}

_AMENITIES_NL = {
    "supermarkt": "supermarkt",
    "huisarts": "huisarts",
    "apotheek": "apotheek",
    "ov_halte": "ov-halte",
    "buurthuis": "buurthuis",
    "bibliotheek": "bibliotheek",
}

VALUES_NL: dict[str, dict[object, str]] = {
    "areas.ageing_threshold_share": {"city": "het aandeel 65+ van de hele stad"},
    "areas.ageing_level": {"wijk": "per wijk", "buurt": "per buurt"},
    "portfolio.welfare_required": {
        "known": "bekend: voldoet aan de voorwaarden van 4.2",
        "possible": "mogelijk: geen voorwaarde van 4.2 faalt bekend (onder voorbehoud)",
    },
    "report.basemap": {
        "pdok": "PDOK BRT-Achtergrondkaart (OpenStreetMap als keuze)",
        "osm": "OpenStreetMap (PDOK als keuze)",
        "none": "geen achtergrondkaart (geen internet nodig)",
    },
    # the words of a list: each is read on its own; a kind not listed shows with spaces for '_'
    "eligibility.amenity_kinds": _AMENITIES_NL,
}

#: Settings whose value is a date written ISO (``2026-11-30``), shown as ``30 november 2026``.
_DATES = {"validation.today", "report.peildatum"}
EMPTY = "(leeg)"
#: Whole numbers that are a year or a code, written without a thousands point (``2030``, not ``2.030``).
_PLAIN_NUMBERS = {"programme.goal_year", "care.robustness_seed"}


def _number(x: int | float) -> str:
    """``2400000`` -> ``2.400.000``, ``0.05`` -> ``0,05``, ``500.0`` -> ``500`` (as written: every
    decimal the setting has, up to ten)."""
    if isinstance(x, float) and not x.is_integer():
        decimals = len(f"{x:.10f}".rstrip("0").split(".")[1])
        return nl_number(x, decimals)
    return nl_number(int(x))


def _word(key: str, value: object) -> str:
    words = VALUES_NL.get(key, {})
    if value in words:
        return words[value]
    if key == "eligibility.amenity_kinds" and isinstance(value, str):
        return value.replace("_", " ")
    return str(value)


def format_value(key: str, value: Any) -> str:
    """One setting's value in Dutch notation (``key`` is ``"section.key"``).

    Whole numbers with a point between thousands (``2.400.000``), decimals with a comma (``0,5``),
    ``ja``/``nee``, lists joined with ``", "``, tables as ``"A = 0, B = 0"``, words and codes through
    :data:`VALUES_NL`, ISO dates as ``30 november 2026``, and an empty value as ``(leeg)``.
    """
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float):
        return str(int(value)) if key in _PLAIN_NUMBERS and float(value).is_integer() else _number(value)
    if isinstance(value, str):
        if value == "":
            return EMPTY
        if key in _DATES and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return nl_date(value)
        return _word(key, value)
    if isinstance(value, dict):
        if not value:
            return EMPTY
        return ", ".join(f"{k} = {format_value(key, v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        if not value:
            return EMPTY
        return ", ".join(format_value(key, v) for v in value)
    return str(value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


def scenario_changes(config: dict[str, Any], name: str) -> str:
    """What a scenario changes against the basis, in Dutch: ``budget: € 3.000.000 (basis: € 2.400.000)``,
    each changed setting with its new and its basis value, ``; ``-separated; empty for the basis."""
    values = (config.get("scenarios") or {}).get(name) or {}
    if name == "basis" or not isinstance(values, dict):
        return ""
    defaults = default_config()
    parts = []
    for key in values:
        section = next((s for s in SCENARIO_SECTIONS if key in defaults.get(s, {})), "")
        full = f"{section}.{key}" if section else key
        base = (config.get(section) or {}).get(key, defaults.get(section, {}).get(key))
        label = LABELS_NL.get(full, full)
        parts.append(f"{label}: {format_value(full, values[key])} (basis: {format_value(full, base)})")
    return "; ".join(parts)


def describe(config: dict[str, Any]) -> pd.DataFrame:
    """Every setting of ``config`` in Dutch, with its value, whether it is the default, and why.

    Parameters
    ----------
    config : Config or dict
        The configuration, e.g. ``load_demo().config``; a missing key counts as its default.

    Returns
    -------
    pandas.DataFrame
        Columns ``Onderdeel``, ``Instelling``, ``Sleutel``, ``Waarde``, ``Standaard``, ``Waarom``:
        one row per setting, in the order of ``default_config.toml`` (without ``[files]`` and
        ``[scenarios]``), then one row per key a scenario overrides (Standaard *aangepast in
        scenario*).
    """
    defaults = default_config()
    rows = []
    for section, keys in defaults.items():
        if section in SKIPPED_SECTIONS:
            continue
        given = config.get(section) or {}
        for key, default in keys.items():
            name = f"{section}.{key}"
            value = given.get(key, default)
            rows.append(
                {
                    "Onderdeel": SECTIONS_NL.get(section, section),
                    "Instelling": LABELS_NL.get(name, name),
                    "Sleutel": name,
                    "Waarde": format_value(name, value),
                    "Standaard": "ja" if _same(value, default) else "aangepast",
                    "Waarom": REASONS_NL.get(name, ""),
                }
            )
    order = {
        key: (i, section)
        for i, (section, key) in enumerate((s, k) for s in defaults for k in defaults[s])
        if section in SCENARIO_SECTIONS
    }
    for scenario, values in (config.get("scenarios") or {}).items():
        if not isinstance(values, dict):
            continue
        for key in sorted(values, key=lambda k: order.get(k, (len(order), ""))[0]):
            section = order[key][1] if key in order else ""
            name = f"{section}.{key}" if section else key
            reason = REASONS_NL.get(name, "")
            rows.append(
                {
                    "Onderdeel": "Scenario " + str(scenario).replace("_", " "),
                    "Instelling": LABELS_NL.get(name, name),
                    "Sleutel": name,
                    "Waarde": format_value(name, values[key]),
                    "Standaard": "aangepast in scenario",
                    "Waarom": (reason + " " if reason else "") + "In dit scenario aangepast.",
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)
