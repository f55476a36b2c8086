"""The demo dataset: Amsterdam's real area division with a fictional programme on top.

The **areas are real**: the stadsdelen, wijken and buurten of the municipality's 2022 division
(9 stadsdelen incl. Weesp, 110 wijken, 518 buurten), derived by llt_geo's own adapter
(:func:`llt_geo.io.opendata.areas.read_area_division`) from the publisher's file and simplified as a
coverage (shared edges stay shared, no gaps or overlaps; :data:`SIMPLIFY_M`); the wijken carry
CBS's inhabitants of 2024 and, where the open data has them, the residents aged 65+ of 2019
interpolated onto the 2022 wijken; the buurten carry the 2019 figures interpolated onto the 2022
buurten (:func:`llt_geo.io.opendata.cbs.interpolate_old_figures`). Gebiedsindeling: Gemeente
Amsterdam, CBS figures: CBS, both CC BY 4.0.

**Everything about the programme is fictional**: the flats, corporations, care providers,
welfare organisations, sites, amenities, survey answers and the masterplan selection are
invented (placed inside the real buurten, weighted by where people live). Every file says so.

Run ``llt-geo make-demo data/demo`` (or :func:`generate_demo`) to regenerate it byte for byte.
The publishers' files are read from the folder named by the environment variable
``LLT_GEO_REAL_DATA`` (default ``../shared/data/real`` beside the checkout, see its
``SOURCES.md``); where they are absent, the committed derived area files of ``data/demo`` are read
back instead, which gives the same bytes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, Polygon

from .schema import PROCESS_ITEMS, TABLES

__all__ = [
    "DEMO_SEED",
    "NOTICE",
    "REAL_DATA_ENV",
    "SIMPLIFY_M",
    "SOURCE_FILES",
    "demo_folder",
    "generate_demo",
    "notice",
    "real_data_folder",
]

DEMO_SEED = 2030


def notice(seed: int = 2030) -> str:
    """The Dutch notice every file and output of the demo carries (with the areas' attribution)."""
    return (
        f"FICTIEVE DEMODATA — gegenereerd door llt_geo (seed {seed}); geen echte flats, aanbieders of "
        "bewonerspeilingen; echte gebiedsindeling 2022 (vereenvoudigd; Gemeente Amsterdam) en inwonertallen "
        "(CBS), CC BY 4.0"
    )


NOTICE = notice()

# ---- the real geography ------------------------------------------------------------------------

#: The environment variable naming the folder of the publishers' open data (as in its SOURCES.md).
REAL_DATA_ENV = "LLT_GEO_REAL_DATA"
#: The publishers' files the demo's areas and figures are derived from, relative to that folder.
SOURCE_FILES = {
    "division": "amsterdam-gebiedsindeling-2022/amsterdam_buurten.geojson",
    "kwb_2024": "cbs-kwb-2024-amsterdam-wijken/stripped_filtered_data_2024_GM0363.json",
    "kwb_2024_properties": "cbs-kwb-2024-amsterdam-wijken/DataProperties.json",
    "kwb_2019_buurten": "gensynthpop-cbs-buurten-leeftijd/Neighborhood_statistics.csv",
    "old_buurten": "cbs-buurten-amsterdam-oud/amsterdam_buurten_oud.geojson",
    "old_buurt_codes": "cbs-buurten-amsterdam-oud/buurten_info.csv",
}
#: Tolerances (metres) of the simplification, each level simplified as a coverage from the
#: publisher's geometry (shapely ``coverage_simplify``: shared edges stay shared, no gaps or
#: overlaps): the wijken coarse, because every map of the stuurgroep pack embeds them (and the
#: stadsdelen, which are the union of the simplified wijken) and the pack must stay under 5 MB; the
#: buurten, which no map of the pack draws, finer. A buurt therefore follows its wijk's edge to
#: within the wijken's tolerance; the fictional points are placed where all three levels agree.
SIMPLIFY_M = float(os.environ.get("LLT_GEO_DEMO_TOL", 150.0))
SIMPLIFY_BUURTEN_M = 25.0
#: The 65+ count of 2019 is set beside a wijk's 2024 total only where the wijk's 2019 total lies
#: within this share of its 2024 total; elsewhere (new-build areas, the port) the share 65+ made of
#: two years would mean nothing, and 65+ stays unknown.
MAX_POPULATION_CHANGE = 0.2
#: The area files, derived from the sources or read back from the committed copies.
AREA_FILES = ("stadsdelen", "wijken", "buurten")
_AREA_SOURCE = (
    "Gebiedsindeling 2022 (geldig sinds 24 maart 2022): Gemeente Amsterdam, maps.amsterdam.nl laag INDELING_BUURT, "
    "CC BY 4.0; afgeleid door llt_geo/demo.py (read_area_division; coverage_simplify: wijken {tol:g} m, stadsdelen "
    "hun vereniging, buurten {tol_b:g} m). Inwoners: CBS "
    "Kerncijfers wijken en buurten 2024 (85984NED) per wijk; 65+ en buurtcijfers: CBS kerncijfers 2019 per buurt, "
    "naar de indeling 2022 omgerekend naar oppervlak (interpolate_old_figures); CC BY 4.0"
)

# ---- the fictional programme -------------------------------------------------------------------

#: Candidate flats per stadsdeel (Westpoort, B, is port: none there).
_FLATS_PER_STADSDEEL = {"A": 9, "B": 0, "E": 18, "F": 30, "K": 16, "M": 20, "N": 25, "S": 6, "T": 26}
#: Wijken with fewer residents than this have no care provider presence (too few for 5-159 clients).
_MIN_PRESENCE_RESIDENTS = 1000
#: Residents per amenity spread over a wijk (besides the amenities around the flats).
_RESIDENTS_PER_AMENITY = 5000

_CORPORATIONS = [
    ("Woonstichting Amstelhof", "AEFKM"),
    ("Woongroep De Linde", "EFKT"),
    ("Stadswonen Noordwaarts", "NAM"),
    ("Corporatie Zuiderlicht", "KTS"),
    ("Woonkracht Oostpoort", "MSTN"),
    ("Stichting Veenhuis Wonen", "FEN"),
]

# id, name, stadsdelen where active, number of intramural sites, failing hard criterion
_PROVIDERS = [
    ("ZA01", "Thuiszorg Zonnewijzer", "AEK", 4, None),
    ("ZA02", "Zorgcollectief Amstelstroom", "MKS", 5, None),
    ("ZA03", "VVT Groep De Vaart", "FE", 5, None),
    ("ZA04", "Zorgcentra Lindehof", "FKE", 4, None),
    ("ZA05", "Stichting Zorgzaam Zuid", "KA", 3, "casemanager_dementie"),
    ("ZA06", "Wijkzorg Sloterplas", "F", 3, None),
    ("ZA07", "Zorgkring Oost", "MTS", 4, None),
    ("ZA08", "Verpleegzorg Bijlmerhoven", "T", 4, None),
    ("ZA09", "Zorggroep Weespervaart", "SMT", 3, None),
    ("ZA10", "Thuiszorg Grachtenzorg", "AE", 0, None),
    ("ZA11", "Zorgnetwerk Noorderlicht", "NA", 4, None),
    ("ZA12", "Wijkverpleging Het Tuindorp", "NM", 1, "unknown_handover"),
]

_WELFARE = [
    ("WZ01", "Welzijn Centrum", "A"),
    ("WZ02", "Welzijn West", "E"),
    ("WZ03", "Buurtwerk Nieuw-West", "F"),
    ("WZ04", "Samen Nieuw-West", "F"),
    ("WZ05", "Welzijn Zuid", "K"),
    ("WZ06", "Welzijn Oost", "M"),
    ("WZ07", "Buurtwerk Noord", "N"),
    ("WZ08", "Welzijn Weesp", "S"),
    ("WZ09", "Buurtwerk Zuidoost", "T"),
    ("WZ10", "Stadsbreed Ouderenwelzijn", "KMT"),
]

#: The one welfare organisation without a purchasing agreement with the municipality (4.2).
_NO_PURCHASING = {"WZ04"}

# ---- partner choice (2.2-2.4, 3.2, 4.1-4.2) ----------------------------------------------------
# Drawn from a random stream of their own (seed + this offset), so the files of the screening
# (3.1) keep every value they had. The flats named below were picked from the screening of the
# default seed (open candidates that pass 3.1); with another seed a flat that no longer fits is
# skipped.
_PARTNER_SEED_OFFSET = 10_000
#: the stream that settles most open conditions of the candidates (issue 19), so that adding it left the
#: main and most of the partner stream as they were
_SETTLE_SEED_OFFSET = 19_000
_FLAT_PARTNER_HEADER = ["corporatie ontvangt subsidie", "voorkeursaanbieder", "welzijnsorganisatie"]
_ROLE_HEADER = [
    "llt in visie",
    "steun werkgever",
    "netwerk bewoners",
    "expertise community care",
    "kennis delen",
    "leergang",
]
_PROCESS_HEADER = ["complexnummer", "onderdeel", "status", "datum", "toelichting"]
#: open candidates without survey rows that get a survey in which the provider with the most
#: clients in flats is the favourite, so that it also has the most preferences
_SURVEY_ADDED = ("LLT-081", "LLT-088", "LLT-122", "LLT-130")
#: flats that get a second welfare organisation of their stadsdeel: None = the second one meets
#: every condition of 4.2 (the flat's first one fails exactly one); a column = the second one
#: fails exactly that condition (the first one meets all)
_SECOND_WELFARE = {"LLT-087": None, "LLT-125": "in_alliance_plan"}
#: open candidates somewhere in the choice process of 2.3/2.4
_PROCESS_CANDIDATES = {
    "LLT-019": "step1",  # only step 1 done
    "LLT-063": "step2",  # step 1 done, step 2 waits for the corporation
    "LLT-087": "nvt",  # step 1 done, preferential allocation not applicable
    "LLT-102": "step3",  # steps 1 and 2 done, step 3 under way
    "LLT-145": "started",  # step 1 under way
}
_PROCESS_NOTES = {
    "step1_survey": ("Bewonersavond in de ontmoetingsruimte", "Peiling huis-aan-huis met de bewonerscommissie"),
    "step2_plan": ("Plan van aanpak en begroting getekend door corporatie, zorg en welzijn",),
    "step3_introduced": ("Voorgesteld tijdens een koffieochtend in de flat",),
    "step4_partners_informed": ("Huisartsen, apotheek en buurtteam per brief geïnformeerd",),
    "pos_resident_communication": ("Nieuwsbrief en informatiemarkt in de hal",),
    "pos_referrer_letter": ("Gezamenlijke brief aan huisartsen en ziekenhuis verstuurd",),
    "pos_temptation": ("Kennismakingsbezoek bij nieuwe bewoners",),
    "pos_exchange_referral": ("Afspraken over uitruil met andere aanbieders in de wijk",),
    "pos_workspace": ("Werkplek voor de wijkverpleging in de plint",),
    "pos_preferential_allocation": ("Flat aangemeld als woonzorginitiatief",),
}

_STREETS = [
    "Lindelaan",
    "Populierenhof",
    "Meeuwenplein",
    "Zeilmakersstraat",
    "Bloesemhof",
    "Kastanjeweg",
    "Reigerhof",
    "Molenwerf",
    "Duinroosstraat",
    "Vlierhof",
    "Sluiswachtersweg",
    "Ankerplein",
    "Kievitdreef",
    "Hazelaarhof",
    "Zwanenburg",
    "Wilgenrode",
    "Torenvalkstraat",
    "Lisdoddehof",
]
_AMENITY_KINDS = [
    ("ov_halte", 0.34),
    ("supermarkt", 0.22),
    ("huisarts", 0.16),
    ("apotheek", 0.12),
    ("buurthuis", 0.10),
    ("bibliotheek", 0.06),
]


def demo_folder() -> Path:
    """The demo dataset folder of a source checkout (``data/demo`` beside the package)."""
    return Path(__file__).resolve().parent.parent / "data" / "demo"


def real_data_folder(real_data: str | Path | None = None) -> Path:
    """The folder of the publishers' open data: ``real_data``, else ``$LLT_GEO_REAL_DATA``, else
    ``../shared/data/real`` beside the checkout."""
    if real_data is not None:
        return Path(real_data)
    env = os.environ.get(REAL_DATA_ENV)
    return Path(env) if env else Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real"


def _sample_in(rng: np.random.Generator, poly, n: int, *, inset_m: float = 150.0) -> list[tuple[float, float]]:
    """``n`` points uniform in ``poly`` at least ``inset_m`` from its edge (anywhere in it when
    nothing is left that far in), rounded to 0.1 m. Draws two uniforms per try."""
    inner = poly.buffer(-inset_m)
    if inner.is_empty:
        inner = poly
    shapely.prepare(inner)
    minx, miny, maxx, maxy = inner.bounds
    pts: list[tuple[float, float]] = []
    while len(pts) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shapely.contains_xy(inner, x, y):
            pts.append((round(float(x), 1), round(float(y), 1)))
    return pts


def _to_lonlat(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    s = gpd.GeoSeries([Point(p) for p in points], crs="EPSG:28992").to_crs("EPSG:4326")
    return [(float(g.x), float(g.y)) for g in s]


def _ring_lonlat(poly: Polygon) -> list:
    s = gpd.GeoSeries([poly], crs="EPSG:28992").to_crs("EPSG:4326").iloc[0]
    s = shapely.set_precision(s, 1e-6)
    if s.geom_type != "Polygon":
        s = max(s.geoms, key=lambda g: g.area)
    s = shapely.geometry.polygon.orient(s, 1.0)
    rings = [s.exterior, *s.interiors]
    return [[[round(x, 6), round(y, 6)] for x, y in ring.coords] for ring in rings]


def _write_geojson(path: Path, name: str, features: list[tuple[dict, list]], text: str, source: str = "") -> None:
    """A GeoJSON file of polygons, one feature a line; ``features`` are (properties, rings in lon/lat)."""
    lines = [
        "{",
        '"type": "FeatureCollection",',
        f'"name": {json.dumps(name)},',
        f'"description": {json.dumps(text, ensure_ascii=False)},',
        *([f'"source": {json.dumps(source, ensure_ascii=False)},'] if source else []),
        '"features": [',
    ]
    rows = []
    for props, rings in features:
        feature = {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": rings}}
        rows.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    lines.append(",\n".join(rows))
    lines += ["]", "}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_csv(path: Path, header: list[str], rows: list[list], *, sep: str = ",", text: str = NOTICE) -> None:
    def cell(v: object) -> str:
        if v is None:
            return ""
        text = str(v)
        if sep in text or '"' in text:
            text = '"' + text.replace('"', '""') + '"'
        return text

    body = [sep.join(header)] + [sep.join(cell(v) for v in row) for row in rows]
    header_line = f"# {text}. Opnieuw maken: llt-geo make-demo data/demo\n"
    path.write_text(header_line + "\n".join(body) + "\n", encoding="utf-8")


def _yn(rng: np.random.Generator, p_yes: float, p_unknown: float = 0.0) -> str:
    u = rng.random()
    if u < p_unknown:
        return ""
    return "ja" if rng.random() < p_yes else "nee"


def _random_date(rng: np.random.Generator, lo: date, hi: date) -> date:
    return lo + timedelta(days=int(rng.integers(0, (hi - lo).days + 1)))


# ---- the generator: a shared state and one step per table ------------------------------------

_FLAT_HEADER = [
    "complexnummer",
    "complexnaam",
    "adres",
    "corporatie",
    "aantal woningen",
    "nultredenwoningen",
    "sociale huur",
    "bewonersbetrokkenheid",
    "ontmoetingsruimte",
    "werkruimte",
    "groep",
    "fase",
    "jaar",
    "subsidie (EUR)",
    "ontmoetingsruimte open voor buurt",
    "brandveiligheidsplan",
    "medewerker in wijk",
    "woonzorginitiatief",
    "vitale mix",
    "akkoord corporatie",
    "lengtegraad",
    "breedtegraad",
]
_CONDITION_HEADER = ["flat_id", "welfare_id", "in_alliance_plan", "extra_buurtwerk_granted", "senior_buurtwerker"]


@dataclass
class _Demo:
    """What the steps of :func:`generate_demo` share, filled in step by step.

    ``rng`` is the main random stream (areas to survey); ``partner_rng`` is the stream of partner
    choice (seed + ``_PARTNER_SEED_OFFSET``), so that adding to partner choice leaves the rest as it was.
    A table that a later step still completes is kept here and written by that step.
    """

    folder: Path
    seed: int
    rng: np.random.Generator
    partner_rng: np.random.Generator
    settle_rng: np.random.Generator
    source: Path = Path()  # the folder of the publishers' open data (see real_data_folder)
    wijken: dict[str, dict] = field(default_factory=dict)  # wijk code -> poly (RD), stadsdeel, name, residents
    buurten: dict[str, dict] = field(default_factory=dict)  # buurt code -> poly (RD), wijk, weight
    flats: list[dict] = field(default_factory=list)  # id, xy, corp, n, realised, wijk, sd, group_member, group
    flat_rows: list[list] = field(default_factory=list)  # woningregister.csv without the partner columns
    provider_rows: list[list] = field(default_factory=list)  # care_providers.csv, max_flats set later
    condition_rows: list[list] = field(default_factory=list)  # welfare_conditions.csv without the roles
    survey_rows: list[list] = field(default_factory=list)
    client_rows: list[list] = field(default_factory=list)
    top: str = ""  # the provider with the most clients in flats
    survey_added: list[str] = field(default_factory=list)  # flats given a survey by partner choice
    second_welfare: list[tuple] = field(default_factory=list)  # (flat, failing org, org meeting all, condition)
    unknown_realised: list[str] = field(default_factory=list)  # realised flats without known partners
    preferred: dict[str, tuple[str, str]] = field(default_factory=dict)  # realised flat -> (provider, welfare)
    staged: list[tuple[str, str]] = field(default_factory=list)  # open candidates with a process: (flat, stage)
    unknown_65plus: list[str] = field(default_factory=list)  # wijken without a 65+ figure
    buurten_unknown: int = 0  # buurten without 2019 figures

    @property
    def text(self) -> str:
        return notice(self.seed)

    def write_csv(self, name: str, header: list[str], rows: list[list], *, sep: str = ",") -> None:
        _write_csv(self.folder / name, header, rows, sep=sep, text=self.text)

    def write_geojson(self, name: str, features: list[tuple[dict, list]], source: str = "") -> None:
        _write_geojson(self.folder / f"{name}.geojson", name, features, self.text, source)


def generate_demo(folder: str | Path, *, seed: int = DEMO_SEED, real_data: str | Path | None = None) -> Path:
    """Write the demo dataset into ``folder`` (created if needed) and return its path.

    The areas come from the publishers' files in ``real_data`` (default: :func:`real_data_folder`),
    or, where those are absent, from the committed derived area files of ``data/demo``
    (:func:`demo_folder`); a clear error when neither is there. The same seed gives byte-identical
    files either way. Each ``_make_*`` step makes one table (or a few made
    together) and says in its docstring what it writes, what it keeps in the shared :class:`_Demo`
    for later steps, and which random draws it makes. The steps run in this order (the order in
    which they are defined below), because each draws from the random streams in turn: the main
    stream up to the survey, then the partner-choice stream.
    """
    demo = _Demo(
        Path(folder),
        seed,
        np.random.default_rng(seed),
        np.random.default_rng(seed + _PARTNER_SEED_OFFSET),
        np.random.default_rng(seed + _SETTLE_SEED_OFFSET),
        real_data_folder(real_data),
    )
    demo.folder.mkdir(parents=True, exist_ok=True)
    _make_areas(demo)  # stadsdelen, wijken, buurten (real, derived or read back)
    _make_focus_areas(demo)  # focusgebieden
    _make_flats(demo)  # the flats of the register (written with the partner columns)
    _make_providers(demo)  # care providers (written with their capacities)
    _make_presence(demo)  # provider_presence
    _make_sites(demo)  # intramural_sites
    _make_welfare_organisations(demo)  # welfare_organisations
    _make_welfare_conditions(demo)  # the conditions of 4.2 (written with the roles of 4.1)
    _make_settled_conditions(demo)  # most candidates' open conditions settled (a stream of its own)
    _make_amenities(demo)  # amenities
    _make_survey_and_clients(demo)  # flat_clients (and the survey so far)
    # partner choice (2.2-2.4, 3.2, 4.1-4.2), drawn from a stream of its own
    _make_survey(demo)  # survey
    _make_welfare_roles(demo)  # welfare_conditions
    _make_realised_partners(demo)  # the realised flats' voorkeursaanbieder and welfare organisation
    _make_register(demo)  # woningregister
    _make_capacities(demo)  # care_providers
    _make_process(demo)  # keuzeproces
    _make_config(demo)  # llt_geo.toml
    _make_readme(demo)  # README.md
    return demo.folder


def _make_areas(demo: _Demo) -> None:
    """Stadsdelen, wijken and buurten: Amsterdam's real 2022 division, simplified, with CBS figures.

    Derived from the publishers' files when they are all present (:func:`_derived_areas`), else
    read back from the committed derived files (:func:`_committed_areas`): the same bytes either way.
    Writes: `stadsdelen.geojson`, `wijken.geojson`, `buurten.geojson`. Keeps: ``demo.wijken``,
    ``demo.buurten`` (polygons in RD, read back from what was written, so both ways agree).
    Draws: none.
    """
    missing = [rel for rel in SOURCE_FILES.values() if not (demo.source / rel).is_file()]
    levels = _committed_areas(demo, missing) if missing else _derived_areas(demo.source)
    source = _AREA_SOURCE.format(tol=SIMPLIFY_M, tol_b=SIMPLIFY_BUURTEN_M)
    for name in AREA_FILES:
        demo.write_geojson(name, levels[name], source)
    _keep_areas(demo, levels)


def _committed_areas(demo: _Demo, missing: list[str]) -> dict[str, list[tuple[dict, list]]]:
    """The committed derived area files (``data/demo``, else the target folder), as written: each
    feature's properties and rings. No draws."""
    for folder in dict.fromkeys([demo_folder(), demo.folder]):
        paths = [folder / f"{name}.geojson" for name in AREA_FILES]
        if all(p.is_file() for p in paths):
            texts = {name: json.loads(p.read_text(encoding="utf-8")) for name, p in zip(AREA_FILES, paths, strict=True)}
            if all("source" in t for t in texts.values()):
                return {
                    name: [(f["properties"], f["geometry"]["coordinates"]) for f in t["features"]]
                    for name, t in texts.items()
                }
    raise FileNotFoundError(
        f"The demo's areas need either the publishers' files in {demo.source} (missing: {', '.join(missing)}; set "
        f"{REAL_DATA_ENV} to the folder that holds them, see its SOURCES.md) or the derived area files "
        f"{', '.join(n + '.geojson' for n in AREA_FILES)} committed in {demo_folder()}: neither is there."
    )


def _derived_areas(source: Path) -> dict[str, list[tuple[dict, list]]]:
    """The three area levels from the publishers' files (:func:`llt_geo.io.opendata.areas.read_area_division`):
    wijken and buurten each simplified as a coverage (:data:`SIMPLIFY_M`, :data:`SIMPLIFY_BUURTEN_M`),
    stadsdelen the union of their simplified wijken; with the figures of :func:`_area_figures`. No draws."""
    from .io.opendata.areas import read_area_division

    division = read_area_division(source / SOURCE_FILES["division"])
    simple = {}
    for table, key, tolerance in (("wijken", "wijk_code", SIMPLIFY_M), ("buurten", "buurt_code", SIMPLIFY_BUURTEN_M)):
        frame = division.tables[table].sort_values(key, ignore_index=True)
        simple[table] = frame.set_geometry(shapely.coverage_simplify(frame.geometry.to_numpy(), tolerance))
    stadsdelen = division.tables["stadsdelen"].sort_values("stadsdeel_code", ignore_index=True)
    by_stadsdeel = simple["wijken"].groupby("stadsdeel_code").geometry.agg(lambda g: shapely.union_all(g.to_numpy()))
    simple["stadsdelen"] = stadsdelen.set_geometry(list(by_stadsdeel.reindex(stadsdelen["stadsdeel_code"])))
    wijk_figures, buurt_figures = _area_figures(source, division)
    out: dict[str, list[tuple[dict, list]]] = {"stadsdelen": [], "wijken": [], "buurten": []}
    for row in simple["stadsdelen"].itertuples():
        props = {"stadsdeel_code": row.stadsdeel_code, "naam": row.name}
        out["stadsdelen"].append((props, _ring_lonlat(row.geometry)))
    for row in simple["wijken"].itertuples():
        props = {"wijk_code": row.wijk_code, "naam": row.name, "stadsdeel_code": row.stadsdeel_code}
        out["wijken"].append((props | wijk_figures[row.wijk_code], _ring_lonlat(row.geometry)))
    for row in simple["buurten"].itertuples():
        props = {"buurt_code": row.buurt_code, "naam": row.name, "wijk_code": row.wijk_code}
        out["buurten"].append((props | buurt_figures[row.buurt_code], _ring_lonlat(row.geometry)))
    return out


def _count(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def _area_figures(source: Path, division) -> tuple[dict[str, dict], dict[str, dict]]:
    """Per wijk: CBS's inhabitants of 2024 and the residents aged 65+ of 2019 interpolated onto the
    2022 wijken, the latter only where the wijk's population changed by at most
    :data:`MAX_POPULATION_CHANGE` (else unknown); per buurt: the 2019 figures interpolated onto the
    2022 buurten. Unknown stays ``None``, never 0. No draws."""
    from .io.opendata import cbs

    kwb = cbs.read_kwb_odata(
        source / SOURCE_FILES["kwb_2024"], source / SOURCE_FILES["kwb_2024_properties"], division=division, level="wijk"
    )
    total_2024 = kwb.tables["wijken"].set_index("wijk_code")["residents_total"]
    figures = cbs.read_kwb_csv(source / SOURCE_FILES["kwb_2019_buurten"], level="buurt")
    old = cbs.read_old_buurten(source / SOURCE_FILES["old_buurten"], source / SOURCE_FILES["old_buurt_codes"])
    by_wijk = cbs.interpolate_old_figures(figures, old, division, level="wijk").tables["wijken"].set_index("wijk_code")
    by_buurt = cbs.interpolate_old_figures(figures, old, division, level="buurt").tables["buurten"]
    wijken = {}
    for code, total in total_2024.items():
        then, old_65 = by_wijk.loc[code, "residents_total"], by_wijk.loc[code, "residents_65plus"]
        steady = not pd.isna(then) and total and abs(float(then) / float(total) - 1) <= MAX_POPULATION_CHANGE
        wijken[code] = {"inwoners": _count(total), "inwoners_65plus": _count(old_65) if steady else None}
    buurten = {
        code: {"inwoners": _count(t), "inwoners_65plus": _count(o)}
        for code, t, o in zip(
            by_buurt["buurt_code"], by_buurt["residents_total"], by_buurt["residents_65plus"], strict=True
        )
    }
    return wijken, buurten


def _polygons_rd(levels: list[tuple[dict, list]]) -> list[Polygon]:
    """The written lon/lat rings as polygons in RD (EPSG:28992). No draws."""
    polys = [Polygon(rings[0], rings[1:]) for _props, rings in levels]
    return list(gpd.GeoSeries(polys, crs="EPSG:4326").to_crs("EPSG:28992"))


def _keep_areas(demo: _Demo, levels: dict[str, list[tuple[dict, list]]]) -> None:
    """Keep the wijken and buurten for the steps that place the fictional points: per buurt the part
    that also lies in its wijk and stadsdeel (the levels are simplified each on its own) and its
    weight, the 2019 residents (a buurt without a figure weighs as the median buurt). No draws."""
    stadsdelen = {
        p["stadsdeel_code"]: poly
        for (p, _r), poly in zip(levels["stadsdelen"], _polygons_rd(levels["stadsdelen"]), strict=True)
    }
    for (props, _rings), poly in zip(levels["wijken"], _polygons_rd(levels["wijken"]), strict=True):
        demo.wijken[props["wijk_code"]] = {
            "poly": poly.intersection(stadsdelen[props["stadsdeel_code"]]),
            "stadsdeel": props["stadsdeel_code"],
            "name": props["naam"],
            "residents": props["inwoners"] or 0,
        }
    demo.unknown_65plus = [p["wijk_code"] for p, _r in levels["wijken"] if p["inwoners_65plus"] is None]
    demo.buurten_unknown = sum(p["inwoners_65plus"] is None for p, _r in levels["buurten"])
    known = [p["inwoners"] for p, _r in levels["buurten"] if p["inwoners"] is not None]
    median = float(np.median(known)) if known else 1.0
    for (props, _rings), poly in zip(levels["buurten"], _polygons_rd(levels["buurten"]), strict=True):
        weight = median if props["inwoners"] is None else float(props["inwoners"])
        part = poly.intersection(demo.wijken[props["wijk_code"]]["poly"])
        demo.buurten[props["buurt_code"]] = {
            "poly": part if part.area > 0.25 * poly.area else poly,
            "wijk": props["wijk_code"],
            "weight": weight,
        }


def _residential_place(demo: _Demo, stadsdeel: str, *, inset_m: float = 30.0, group: bool = False) -> tuple:
    """A fictional point where people live: a wijk of the stadsdeel drawn in proportion to its 2024
    inhabitants, a buurt of it in proportion to its 2019 residents, a point uniform in the buurt
    (for a group: also 200 m inside the wijk, so its members stay in it). Returns (wijk code, x, y).
    Draws (main stream): the wijk, the buurt, the point."""
    rng = demo.rng
    wcodes = [w for w, inf in demo.wijken.items() if inf["stadsdeel"] == stadsdeel]
    weights = np.array([demo.wijken[w]["residents"] for w in wcodes], dtype=float)
    wcode = wcodes[int(rng.choice(len(wcodes), p=weights / weights.sum()))]
    bcodes = [b for b, inf in demo.buurten.items() if inf["wijk"] == wcode]
    bweights = np.array([demo.buurten[b]["weight"] for b in bcodes], dtype=float) + 1e-9
    poly = demo.buurten[bcodes[int(rng.choice(len(bcodes), p=bweights / bweights.sum()))]]["poly"]
    if group:
        inner = poly.intersection(demo.wijken[wcode]["poly"].buffer(-200))
        poly, inset_m = (poly, inset_m) if inner.is_empty or inner.area < 1000 else (inner, 0.0)
    x, y = _sample_in(rng, poly, 1, inset_m=inset_m)[0]
    return wcode, x, y


#: The masterplan areas of the demo: a FICTIONAL selection of real wijken in the three stadsdelen
#: where the municipality's own masterplans lie (Nieuw-West, Zuidoost, Noord).
_FOCUS = [
    ("Masterplan Nieuw-West", ("FB", "FC", "FD", "FE", "FM")),
    ("Masterplan Zuidoost", ("TC", "TD", "TE", "TG", "TH")),
    ("Masterplan Noord", ("NE", "NG", "NH", "NJ", "NK", "NL")),
]


def _make_focus_areas(demo: _Demo) -> None:
    """Masterplan areas: a fictional selection of real wijken in Nieuw-West, Zuidoost and Noord
    (``_FOCUS``), each the union of its wijken.

    Writes: `focusgebieden.geojson`.
    Draws: none.
    """
    focus = []
    for fid, (label, codes) in enumerate(_FOCUS, start=1):
        union = shapely.union_all([demo.wijken[c]["poly"] for c in codes]).buffer(0)
        union = shapely.set_precision(union, 1.0)
        if union.geom_type != "Polygon":
            raise ValueError(f"{label}: its wijken {codes} do not form one area")
        props = {"focus_id": f"MP{fid}", "naam": f"{label} (fictieve selectie)", "soort": "masterplan"}
        focus.append((props, _ring_lonlat(union)))
    demo.write_geojson("focusgebieden", focus)


def _make_flats(demo: _Demo) -> None:
    """The flats of the register: about 150 per residential stadsdeel, some in groups, 21 realised.

    Writes: nothing. Keeps: ``demo.flats``, ``demo.flat_rows`` (the register is written by
    :func:`_make_register`, which adds the partner columns).
    Draws (main stream): the order of the realised years (shuffle); the flats' places, corporations,
    groups and sizes (:func:`_place_flats`); which single flats are realised and their size; then
    per flat its register columns (:func:`_register_row`).
    """
    rng = demo.rng
    realised_years = [2020] * 2 + [2021] * 3 + [2022] * 4 + [2023] * 4 + [2024] * 4 + [2025] * 4
    rng.shuffle(realised_years)
    groups = _place_flats(demo)
    flats = demo.flats
    # 21 realised Lang Leven Thuisflats, all single flats of a realistic size
    singles_idx = [j for j, f in enumerate(flats) if not f["group_member"]]
    for j in sorted(rng.choice(singles_idx, size=21, replace=False).tolist()):
        flats[j]["realised"] = True
        flats[j]["n"] = int(rng.integers(120, 240))
    # declare about half of the groups in the register; the rest must be found by distance
    for g, ids in enumerate(groups):
        if g % 2 == 0:
            for idx in ids:
                flats[idx]["group"] = f"G{g // 2 + 1:02d}"
    # near misses: a few single flats just under the minimum
    singles = [f for f in flats if not f["group_member"] and not f["realised"]]
    for f, n in zip(singles[5:10], (95, 98, 92, 100, 99), strict=True):
        f["n"] = n
    # scale realised flats to about 3,600 dwellings (the city's reported figure)
    realised = [f for f in flats if f["realised"]]
    total_realised = sum(f["n"] for f in realised)
    for f in realised:
        f["n"] = int(round(f["n"] * 3600 / total_realised))
    years = iter(realised_years)
    for f, (lon, lat) in zip(flats, _to_lonlat([f["xy"] for f in flats]), strict=True):
        demo.flat_rows.append(_register_row(rng, f, lon, lat, next(years) if f["realised"] else ""))


def _place_flats(demo: _Demo) -> list[list[int]]:
    """Place each stadsdeel's flats where people live, singly or in groups of 2-3 within 70-190 m;
    returns the groups (indices into ``demo.flats``). Draws per flat or group: corporation, whether
    a group (12%) and its size, the place (:func:`_residential_place`), the members' offsets, the
    sizes (single flats log-normal, group members 38-81 dwellings)."""
    rng = demo.rng
    groups: list[list[int]] = []
    for code, n_flats in _FLATS_PER_STADSDEEL.items():
        corps = [c for c, where in _CORPORATIONS if code in where]
        i = 0
        while i < n_flats:
            corp = corps[int(rng.integers(len(corps)))]
            make_group = (i + 3 <= n_flats) and rng.random() < 0.12
            members = int(rng.integers(2, 4)) if make_group else 1
            wcode, *base = _residential_place(demo, code, group=members > 1)
            ids = []
            for m in range(members):
                xy = tuple(base)
                if m > 0:
                    ang = rng.uniform(0, 2 * np.pi)
                    dist = rng.uniform(70, 190)
                    xy = (round(base[0] + dist * np.cos(ang), 1), round(base[1] + dist * np.sin(ang), 1))
                if members > 1:
                    n_dw = int(rng.integers(38, 82))
                else:
                    n_dw = int(np.clip(round(rng.lognormal(np.log(135), 0.4)), 60, 420))
                flat = {"id": f"LLT-{len(demo.flats) + 1:03d}", "xy": xy, "corp": corp, "n": n_dw}
                flat |= {"realised": False, "wijk": wcode, "sd": code, "group_member": members > 1}
                demo.flats.append(flat)  # realised: chosen later, among single flats
                ids.append(len(demo.flats) - 1)
                i += 1
            if members > 1:
                groups.append(ids)
    return groups


def _register_row(rng: np.random.Generator, f: dict, lon: float, lat: float, year: int | str) -> list:
    """A flat's row of the register (without the partner columns). Realised flats meet 3.1-3.2;
    candidates draw shares, missing values (7%), street, subsidy and yes/no answers in column order."""
    realised = f["realised"]
    n = f["n"]
    nul_share = float(np.clip(rng.beta(5, 2.2), 0.1, 1.0)) if not realised else float(rng.uniform(0.7, 1))
    soc_share = float(np.clip(rng.beta(6, 1.5), 0.2, 1.0)) if not realised else float(rng.uniform(0.75, 1))
    missing = rng.random(6) < (0.0 if realised else 0.07)
    street = _STREETS[int(rng.integers(len(_STREETS)))]
    subsidy = int(round((160000 + 650 * n + rng.normal(0, 15000)) / 5000) * 5000)
    return [
        f["id"],
        f"{street} ({f['id']})",
        f"{street} {int(rng.integers(1, 240))}",
        f["corp"],
        n,
        "" if missing[0] else int(round(n * nul_share)),
        "" if missing[1] else int(round(n * soc_share)),
        "ja" if realised else ("" if missing[2] else _yn(rng, 0.9)),
        "ja" if realised else ("" if missing[3] else _yn(rng, 0.85)),
        "ja" if realised else ("" if missing[4] else _yn(rng, 0.85)),
        f.get("group", ""),
        "gerealiseerd" if realised else "kandidaat",
        year,
        "" if realised else str(subsidy),
        "ja" if realised else _yn(rng, 0.6, 0.1),
        "ja" if realised else _yn(rng, 0.5, 0.15),
        "ja" if realised else _yn(rng, 0.7, 0.05),
        "ja" if realised else _yn(rng, 0.4, 0.15),
        "ja" if realised else _yn(rng, 0.5, 0.2),
        # the corporation's consent: most corporations that put a flat forward agree
        "ja" if realised else ("" if missing[5] else _yn(rng, 0.93)),
        f"{lon:.6f}".replace(".", ","),
        f"{lat:.6f}".replace(".", ","),
    ]


def _hard_criteria() -> list[str]:
    """The hard criteria of 2.3 for care providers: the yes/no columns of ``care_providers``."""
    return [c.name for c in TABLES["care_providers"].columns if c.kind == "yesno"]


def _make_providers(demo: _Demo) -> None:
    """Care providers: every hard criterion met, except one failing and one unknown (``_PROVIDERS``).

    Writes: nothing. Keeps: ``demo.provider_rows`` (written by :func:`_make_capacities`).
    Draws (main stream): per provider a first capacity, 2 to 5 (replaced later; kept so that the
    stream stays as it was).
    """
    for pid, name, _where, _n_sites, failing in _PROVIDERS:
        crit = dict.fromkeys(_hard_criteria(), "ja")
        if failing == "unknown_handover":
            crit["client_handover"] = ""
        elif failing:
            crit[failing] = "nee"
        demo.provider_rows.append([pid, name, *crit.values(), int(demo.rng.integers(2, 6))])


def _make_presence(demo: _Demo) -> None:
    """Where each care provider works: most wijken of its stadsdelen with at least
    ``_MIN_PRESENCE_RESIDENTS`` inhabitants, with clients and agreements.

    Writes: `provider_presence.csv`.
    Draws (main stream): per provider and such wijk of its stadsdelen whether present (80%), then its
    clients (5-159) and its agreements with GPs and first line (yes/no, 5% unknown).
    """
    rng = demo.rng
    rows = []
    for pid, _name, where, _n_sites, _f in _PROVIDERS:
        for wcode, inf in demo.wijken.items():
            if inf["stadsdeel"] in where and inf["residents"] >= _MIN_PRESENCE_RESIDENTS and rng.random() < 0.8:
                rows.append([pid, wcode, int(rng.integers(5, 160)), _yn(rng, 0.6, 0.05), _yn(rng, 0.55, 0.05)])
    demo.write_csv(
        "provider_presence.csv", ["provider_id", "wijk_code", "n_clients", "gp_agreement", "first_line_agreement"], rows
    )


def _make_sites(demo: _Demo) -> None:
    """Intramural sites (nursing homes) of each care provider, spread over its stadsdelen in turn.

    Writes: `intramural_sites.csv`.
    Draws (main stream): per site a place where people live in the stadsdeel (:func:`_residential_place`)
    and its places (40-199).
    """
    rng = demo.rng
    rows = []
    for pid, name, where, n_sites, _f in _PROVIDERS:
        for j in range(n_sites):
            _wcode, x, y = _residential_place(demo, where[j % len(where)])
            site_name = f"Verpleeghuis {name.split()[-1]} {j + 1}"
            rows.append([f"IL{len(rows) + 1:03d}", pid, site_name, f"{x:.1f}", f"{y:.1f}", int(rng.integers(40, 200))])
    demo.write_csv("intramural_sites.csv", ["site_id", "provider_id", "name", "x", "y", "n_places"], rows)


def _make_welfare_organisations(demo: _Demo) -> None:
    """Welfare organisations per stadsdeel, one without a purchasing agreement (``_NO_PURCHASING``).

    Writes: `welfare_organisations.csv`.
    Draws: none.
    """
    rows = []
    for wid, name, where in _WELFARE:
        for sd in where:
            rows.append([wid, name, sd, "nee" if wid in _NO_PURCHASING else "ja"])
    demo.write_csv("welfare_organisations.csv", ["welfare_id", "name", "stadsdeel_code", "purchasing_agreement"], rows)


def _make_welfare_conditions(demo: _Demo) -> None:
    """The conditions of 4.2 per flat: a welfare organisation of its stadsdeel and its three answers.

    Writes: nothing. Keeps: ``demo.condition_rows`` (written by :func:`_make_welfare_roles`, which
    adds the roles of 4.1).
    Draws (main stream): per candidate whether it has one (70%); per flat the organisation, and for
    candidates the three answers (yes/no, 10-15% unknown); realised flats meet all.
    """
    rng = demo.rng
    for f in demo.flats:
        options = [wid for wid, _n, where in _WELFARE if f["sd"] in where]
        if not options or (not f["realised"] and rng.random() < 0.3):
            continue
        wid = options[int(rng.integers(len(options)))]
        if f["realised"]:
            demo.condition_rows.append([f["id"], wid, "ja", "ja", "ja"])
        else:
            answers = [_yn(rng, 0.85, 0.1), _yn(rng, 0.8, 0.15), _yn(rng, 0.85, 0.1)]
            demo.condition_rows.append([f["id"], wid, *answers])


def _make_settled_conditions(demo: _Demo) -> None:
    """Most conditions of a flat put forward are settled, a few are still open (issue 19): the meeting
    room open to the buurt (3.1, 3.2.1) and the conditions of 4.2 of the open candidates.

    Writes: nothing. Keeps: ``demo.flat_rows`` and ``demo.condition_rows``, completed.
    Draws (settle stream): per open candidate whose meeting room is not (known to be) open to the buurt,
    whether it is (80%); per open candidate without a welfare organisation that can buy the role
    (none, or only one without a purchasing agreement), whether one of its stadsdeel answers (85%:
    which one, and its three answers, 5% unknown); per unknown answer of 4.2, whether it is settled
    (ja, 85%). A flat in a group takes its stadsdeel's first organisation with a purchasing agreement,
    so that one organisation can serve the group. The flats of ``_SECOND_WELFARE`` keep their story.
    """
    rng = demo.settle_rng
    col = _FLAT_HEADER.index("ontmoetingsruimte open voor buurt")
    for row, f in zip(demo.flat_rows, demo.flats, strict=True):
        if not f["realised"] and row[col] != "ja" and rng.random() < 0.8:
            row[col] = "ja"
    buying = {}
    for r in demo.condition_rows:
        buying.setdefault(r[0], set()).add(r[1]) if r[1] not in _NO_PURCHASING else None
    added = []
    for f in demo.flats:
        options = [wid for wid, _n, where in _WELFARE if f["sd"] in where and wid not in _NO_PURCHASING]
        if f["realised"] or f["id"] in _SECOND_WELFARE or not options:
            continue
        if f["group_member"]:
            wid = options[0]
            if wid not in buying.get(f["id"], set()):
                added.append([f["id"], wid, *(_yn(rng, 0.95, 0.05) for _ in range(3))])
            continue
        if buying.get(f["id"]) or rng.random() >= 0.85:
            continue
        wid = options[int(rng.integers(len(options)))]
        added.append([f["id"], wid, *(_yn(rng, 0.95, 0.05) for _ in range(3))])
    for r in demo.condition_rows:
        if r[0] in _SECOND_WELFARE:
            continue
        r[2:5] = [v if v or rng.random() >= 0.85 else "ja" for v in r[2:5]]
    order = {f["id"]: j for j, f in enumerate(demo.flats)}
    demo.condition_rows[:] = sorted([*demo.condition_rows, *added], key=lambda r: (order[r[0]], r[1]))


def _make_amenities(demo: _Demo) -> None:
    """Amenities: a few in every wijk, and more around most flats, so that "near amenities" has
    passes, failures and near misses; realised flats have four different kinds close by.

    Writes: `amenities.csv`.
    Draws (main stream): see :func:`_amenities_in_wijken`, then :func:`_amenities_near_flats`.
    """
    rows = _amenities_in_wijken(demo)
    _amenities_near_flats(demo, rows)
    lonlat = _to_lonlat([r[3] for r in rows])
    demo.write_csv(
        "amenities.csv",
        ["amenity_id", "kind", "name", "lon", "lat"],
        [[r[0], r[1], r[2], f"{lo:.6f}", f"{la:.6f}"] for r, (lo, la) in zip(rows, lonlat, strict=True)],
    )


def _amenity(number: int, kind: str, xy: tuple[float, float]) -> list:
    return [f"VZ{number:04d}", kind, f"{kind.replace('_', ' ').capitalize()} {number}", xy]


def _amenities_in_wijken(demo: _Demo) -> list[list]:
    """Amenities spread over each wijk: one per ``_RESIDENTS_PER_AMENITY`` inhabitants (1 to 12).
    Draws per amenity: its place (a buurt of the wijk by its residents, then uniform in it), then its kind."""
    kinds = [k for k, _p in _AMENITY_KINDS]
    probs = np.array([p for _k, p in _AMENITY_KINDS])
    rows: list[list] = []
    for wcode, inf in demo.wijken.items():
        bcodes = [b for b, b_inf in demo.buurten.items() if b_inf["wijk"] == wcode]
        bweights = np.array([demo.buurten[b]["weight"] for b in bcodes], dtype=float) + 1e-9
        for _ in range(int(np.clip(round(inf["residents"] / _RESIDENTS_PER_AMENITY), 1, 12))):
            poly = demo.buurten[bcodes[int(demo.rng.choice(len(bcodes), p=bweights / bweights.sum()))]]["poly"]
            xy = _sample_in(demo.rng, poly, 1, inset_m=20)[0]
            kind = kinds[int(demo.rng.choice(len(kinds), p=probs))]
            rows.append(_amenity(len(rows) + 1, kind, xy))
    return rows


def _amenities_near_flats(demo: _Demo, rows: list[list]) -> None:
    """Amenities around the flats, added to ``rows``. Draws per flat: the kinds (realised: four
    different; candidates: 85% get 2-6), then per amenity a direction and a distance (50-560 m;
    realised flats 50-450 m, so that they meet 3.1's 500 m)."""
    rng = demo.rng
    kinds = [k for k, _p in _AMENITY_KINDS]
    probs = np.array([p for _k, p in _AMENITY_KINDS])
    for f in demo.flats:
        if f["realised"]:
            nearby = list(rng.choice(kinds[:5], size=4, replace=False))
        elif rng.random() < 0.85:
            nearby = [kinds[int(rng.choice(len(kinds), p=probs))] for _ in range(int(rng.integers(2, 7)))]
        else:
            nearby = []
        for kind in nearby:
            ang, dist = rng.uniform(0, 2 * np.pi), rng.uniform(50, 450 if f["realised"] else 560)
            xy = (round(f["xy"][0] + dist * np.cos(ang), 1), round(f["xy"][1] + dist * np.sin(ang), 1))
            rows.append(_amenity(len(rows) + 1, kind, xy))


def _make_survey_and_clients(demo: _Demo) -> None:
    """The residents' survey (preferred care provider) and the providers' existing clients per flat.

    Made together because their draws alternate flat by flat.
    Writes: `flat_clients.csv`. Keeps: ``demo.client_rows``, ``demo.survey_rows`` (written by
    :func:`_make_survey`, which adds a few surveys).
    Draws (main stream): per flat with providers in its stadsdeel: for candidates whether surveyed
    (65%), the respondents and their votes (Dirichlet, multinomial); then per provider whether it
    has clients in the flat (60%) and how many.
    """
    rng = demo.rng
    for f in demo.flats:
        local = [p for p in _PROVIDERS if f["sd"] in p[2]]
        if not local:
            continue
        if not f["realised"] and rng.random() < 0.65:
            respondents = int(rng.integers(15, max(16, f["n"] // 2)))
            weights = rng.dirichlet(np.ones(len(local)))
            votes = rng.multinomial(respondents, weights)
            for p, v in zip(local, votes, strict=True):
                if v:
                    demo.survey_rows.append([f["id"], p[0], int(v), respondents])
        for p in local:
            if rng.random() < 0.6:
                demo.client_rows.append([f["id"], p[0], int(rng.integers(1, max(2, f["n"] // 8)))])
    demo.write_csv("flat_clients.csv", ["flat_id", "provider_id", "n_clients"], demo.client_rows)


def _make_survey(demo: _Demo) -> None:
    """Partner choice (2.3, 2.4): survey rows for a few open candidates that had none
    (``_SURVEY_ADDED``), with the provider that has the most clients in flats as the favourite.

    Writes: `survey.csv`. Keeps: ``demo.top``, ``demo.survey_added``.
    Draws (partner stream): per added flat the respondents, the providers' weights (Dirichlet,
    the favourite six times as likely) and the votes (multinomial).
    """
    rng = demo.partner_rng
    clients: dict[str, int] = {}
    for _fid, pid, n in demo.client_rows:
        clients[pid] = clients.get(pid, 0) + n
    demo.top = top = max(sorted(clients), key=lambda pid: clients[pid])
    by_id = {f["id"]: f for f in demo.flats}
    surveyed = {r[0] for r in demo.survey_rows}
    for fid in _SURVEY_ADDED:
        f = by_id.get(fid)
        local = [p[0] for p in _PROVIDERS if f is not None and f["sd"] in p[2]]
        if f is None or f["realised"] or fid in surveyed or top not in local:
            continue
        respondents = int(rng.integers(max(15, f["n"] // 5), max(16, f["n"] // 2)))
        weights = rng.dirichlet([6.0 if pid == top else 1.0 for pid in local])
        for pid, v in zip(local, rng.multinomial(respondents, weights), strict=True):
            if v:
                demo.survey_rows.append([fid, pid, int(v), respondents])
        demo.survey_added.append(fid)
    order = {f["id"]: j for j, f in enumerate(demo.flats)}
    demo.survey_rows.sort(key=lambda r: order[r[0]])  # stable: the rows that were there keep their order
    demo.write_csv("survey.csv", ["flat_id", "provider_id", "n_preferences", "n_respondents"], demo.survey_rows)


def _make_welfare_roles(demo: _Demo) -> None:
    """Partner choice (4.1, 4.2): a second welfare organisation for a few flats (``_SECOND_WELFARE``),
    one of the two failing one condition, and the roles of 4.1 for every row.

    Writes: `welfare_conditions.csv`. Keeps: ``demo.second_welfare``.
    Draws (partner stream): per row not meeting every condition its six roles (yes/no, 10% unknown).
    """
    by_id = {f["id"]: f for f in demo.flats}
    rows = []
    for row in demo.condition_rows:
        rows.append((row, False))
        second = _second_organisation(by_id[row[0]], row, demo.condition_rows)
        if second is not None:
            new, meets_all, summary = second
            rows.append((new, meets_all))
            demo.second_welfare.append(summary)
    conditions = []
    for row, meets_all in rows:
        if meets_all:
            roles = ["ja"] * len(_ROLE_HEADER)
        else:
            p_yes = 0.85 if by_id[row[0]]["realised"] else 0.7
            roles = [_yn(demo.partner_rng, p_yes, 0.1) for _ in _ROLE_HEADER]
        conditions.append([*row, *roles])
    demo.write_csv("welfare_conditions.csv", [*_CONDITION_HEADER, *_ROLE_HEADER], conditions)


def _second_organisation(f: dict, row: list, cond_rows: list[list]) -> tuple[list, bool, tuple] | None:
    """The second welfare organisation of flat ``f`` beside its only ``row``, if ``_SECOND_WELFARE``
    names the flat and the first fits the case: (its row, whether it meets every condition, and
    (flat, organisation failing one condition, organisation meeting all, condition)). No draws."""
    fid = f["id"]
    if fid not in _SECOND_WELFARE or f["realised"] or sum(r[0] == fid for r in cond_rows) != 1:
        return None
    failing = _SECOND_WELFARE[fid]
    columns = ["in_alliance_plan", "extra_buurtwerk_granted"]
    fails_first = [c for c, v in zip(columns, row[2:4], strict=True) if v == "nee"]
    first_ok = all(v == "ja" for v in row[2:5])
    if (failing is None and (len(fails_first) != 1 or row[4] != "ja")) or (failing is not None and not first_ok):
        return None
    options = [wid for wid, _n, where in _WELFARE if f["sd"] in where and wid != row[1] and wid not in _NO_PURCHASING]
    if not options:
        return None
    new = [fid, options[0], "ja", "ja", "ja"]
    if failing is None:
        return new, True, (fid, row[1], options[0], fails_first[0])
    new[2 + columns.index(failing)] = "nee"
    return new, False, (fid, options[0], row[1], failing)


def _make_realised_partners(demo: _Demo) -> None:
    """Partner choice: the current voorkeursaanbieder and welfare organisation of each realised
    flat; two are not known. The voorkeursaanbieder meets every hard criterion and has the most
    clients in the flat; the provider with the most clients overall is left free for the choice still to be made.

    Writes: nothing. Keeps: ``demo.preferred``, ``demo.unknown_realised``.
    Draws (partner stream): the two flats not known; per flat without clients of a fitting provider,
    one of the providers of its stadsdeel.
    """
    rng = demo.partner_rng
    eligible = {p[0] for p in _PROVIDERS if p[4] is None}
    realised = [f for f in demo.flats if f["realised"]]
    unknown = {realised[j]["id"] for j in rng.choice(len(realised), size=min(2, len(realised)), replace=False)}
    demo.unknown_realised = sorted(unknown)
    for f in realised:
        if f["id"] in unknown:
            demo.preferred[f["id"]] = ("", "")
            continue
        local = [p[0] for p in _PROVIDERS if f["sd"] in p[2] and p[0] in eligible and p[0] != demo.top]
        in_flat = {pid: n for fid, pid, n in demo.client_rows if fid == f["id"] and pid in local}
        if in_flat:
            pid = sorted(in_flat, key=lambda p: (-in_flat[p], p))[0]
        else:
            pid = local[int(rng.integers(len(local)))] if local else ""
        orgs = [r[1] for r in demo.condition_rows if r[0] == f["id"]]
        orgs = orgs or [wid for wid, _n, where in _WELFARE if f["sd"] in where]
        demo.preferred[f["id"]] = (pid, orgs[0] if orgs else "")


def _make_register(demo: _Demo) -> None:
    """The flat register with the partner columns: whether the corporation receives (part of) the
    subsidy (3.2.6), and the realised flats' voorkeursaanbieder and welfare organisation.

    Writes: `woningregister.csv`.
    Draws (partner stream): per flat the subsidy answer (realised: yes/no; candidates: 8% unknown).
    """
    rows = []
    for row, f in zip(demo.flat_rows, demo.flats, strict=True):
        subsidy = _yn(demo.partner_rng, 0.85) if f["realised"] else _yn(demo.partner_rng, 0.65, 0.08)
        rows.append([*row[:-2], subsidy, *demo.preferred.get(f["id"], ("", "")), *row[-2:]])
    header = [*_FLAT_HEADER[:-2], *_FLAT_PARTNER_HEADER, *_FLAT_HEADER[-2:]]
    demo.write_csv("woningregister.csv", header, rows, sep=";")


def _make_capacities(demo: _Demo) -> None:
    """The care providers with their capacities (max_flats), 2 to 9: the provider with the most
    clients gets 2, so that capacity forces a second choice; every other provider can take at least
    four flats beyond its realised ones (the assignment covers every open candidate that may pass
    3.1 at once).

    Writes: `care_providers.csv`.
    Draws: none.
    """
    n_realised: dict[str, int] = {}
    for pid, _wid in demo.preferred.values():
        n_realised[pid] = n_realised.get(pid, 0) + 1
    for row in demo.provider_rows:
        row[-1] = 2 if row[0] == demo.top else min(9, max(row[-1], n_realised.get(row[0], 0) + 4))
    demo.write_csv("care_providers.csv", ["provider_id", "name", *_hard_criteria(), "max_flats"], demo.provider_rows)


def _make_process(demo: _Demo) -> None:
    """The choice process (2.3 steps, 2.4 positioning) of the realised flats and of a few open
    candidates (``_PROCESS_CANDIDATES``); every other flat has no rows.

    Writes: `keuzeproces.csv`. Keeps: ``demo.staged``.
    Draws (partner stream): per realised flat, see :func:`_process_of_realised`; per staged
    candidate, see :func:`_process_of_candidate`.
    """
    rows: list[list] = []
    for f, register_row in zip(demo.flats, demo.flat_rows, strict=True):
        if f["realised"]:
            rows += _process_of_realised(demo.partner_rng, f["id"], int(register_row[12]))
        elif f["id"] in _PROCESS_CANDIDATES:
            stage = _PROCESS_CANDIDATES[f["id"]]
            demo.staged.append((f["id"], stage))
            rows += _process_of_candidate(demo.partner_rng, f["id"], stage)
    demo.write_csv("keuzeproces.csv", _PROCESS_HEADER, rows, sep=";")


def _note(rng: np.random.Generator, item: str, p: float = 0.25) -> str:
    """A note on a process item, with probability ``p``. Draws: whether, then which."""
    options = _PROCESS_NOTES[item]
    return options[int(rng.integers(len(options)))] if rng.random() < p else ""


def _process_of_realised(rng: np.random.Generator, fid: str, year: int) -> list[list]:
    """A realised flat's process: the four steps done in the year before its realisation, and two
    to four positioning options. Draws: the steps' dates and notes, which options, and per option
    its status, date and note."""
    steps = [item for item in PROCESS_ITEMS if item.startswith("step")]
    positioning = [item for item in PROCESS_ITEMS if item.startswith("pos_")]
    lo, hi = date(max(2019, year - 1), 1, 1), date(min(year, 2024), 12, 31)
    days = sorted(_random_date(rng, lo, hi) for _ in steps)
    rows = [
        [fid, item, "gedaan", day.isoformat(), _note(rng, item, 0.2)] for item, day in zip(steps, days, strict=True)
    ]
    chosen = sorted(rng.choice(len(positioning), size=int(rng.integers(2, 5)), replace=False).tolist())
    for j in chosen:
        item = positioning[j]
        u = rng.random()
        if u < 0.85:
            status = "gedaan" if u < 0.7 else "bezig"
            rows.append([fid, item, status, _random_date(rng, days[2], hi).isoformat(), _note(rng, item)])
        else:
            rows.append([fid, item, "gepland", "", ""])
    return rows


def _process_of_candidate(rng: np.random.Generator, fid: str, stage: str) -> list[list]:
    """An open candidate's process at ``stage`` (started, step1, step2, step3, nvt). Draws: three
    dates (September 2025 to June 2026), and a note on step 1 once it is done."""
    d1, d2, d3 = sorted(_random_date(rng, date(2025, 9, 1), date(2026, 6, 30)) for _ in range(3))
    if stage == "started":
        return [
            [fid, "step1_survey", "bezig", d1.isoformat(), "Peiling loopt nog"],
            [fid, "step2_plan", "gepland", "", ""],
        ]
    rows = [[fid, "step1_survey", "gedaan", d1.isoformat(), _note(rng, "step1_survey", 0.5)]]
    if stage == "step2":
        rows.append([fid, "step2_plan", "bezig", d2.isoformat(), "Wacht op het besluit van de corporatie"])
    elif stage == "step3":
        rows.append([fid, "step2_plan", "gedaan", d2.isoformat(), ""])
        rows.append([fid, "step3_introduced", "bezig", d3.isoformat(), "Voorstelronde langs de bewoners loopt"])
        rows.append([fid, "step4_partners_informed", "gepland", "", ""])
        rows.append([fid, "pos_workspace", "gepland", "", "Ruimte in de plint wordt ingericht"])
    elif stage == "nvt":
        rows.append([fid, "step2_plan", "gepland", "", ""])
        note = "Geen woonzorginitiatief: de corporatie meldt de flat niet aan"
        rows.append([fid, "pos_preferential_allocation", "nvt", "", note])
    return rows


def _make_config(demo: _Demo) -> None:
    """The demo's configuration: the files, a fictional budget, the portfolio's minimums, the peildatum
    and three scenarios; every other key keeps its default.

    Writes: `llt_geo.toml`.
    Draws: none.
    """
    text = demo.text
    (demo.folder / "llt_geo.toml").write_text(
        "# Configuration of the FICTIONAL demo dataset. Keys not given here keep the defaults of\n"
        "# llt_geo/default_config.toml, where each one's reason is written beside it.\n\n"
        "[dataset]\n"
        'name = "Demodataset Lang Leven Thuisflats"\n'
        "fictional = true\n"
        f'notice = "{text}"\n\n'
        "[files]\n"
        'flats = "woningregister.csv"\n'
        'focus_areas = "focusgebieden.geojson"\n\n'
        "[programme]\n"
        "# Fictional: enough for about 9 more flats at the demo's typical subsidy request.\n"
        "budget_eur = 2400000\n\n"
        "[portfolio]\n"
        "# Fictional: Centrum (A) already has Lang Leven Thuisflats and its candidates are few and dear; the\n"
        "# stuurgroep of the demo asks no new one there (Westpoort, B, has no minimum by default).\n"
        "per_stadsdeel_min = { A = 0, B = 0 }\n\n"
        "[report]\n"
        "# The date the fictional data describes, on every map and page of the stuurgroep pack.\n"
        'peildatum = "2026-11-30"\n\n'
        "# Scenarios, solved side by side with the configuration above (llt-geo portfolio); each\n"
        "# changes one thing, so that what it does is plain.\n"
        "[scenarios.ruim_budget]\n"
        "# a larger budget\n"
        "budget_eur = 3000000\n\n"
        "[scenarios.sterker_accent]\n"
        "# the accent on ageing and masterplan areas (3.1) weighs twice as much\n"
        "weight_focus = 1.0\n\n"
        "[scenarios.welzijn_onder_voorbehoud]\n"
        "# flats whose welfare conditions (4.2) are not yet all known may be chosen, onder voorbehoud\n"
        'welfare_required = "possible"\n'
        'onder_voorbehoud_reason = "de welzijnsorganisaties bevestigen de voorwaarden van 4.2 in het eerste '
        'kwartaal van 2027"\n\n'
        "[scenarios.bewoners_zwaarder]\n"
        "# the residents' voice (2.3) counts three times\n"
        "weight_residents_voice = 3.0\n\n"
        "[scenarios.krap_budget]\n"
        "# infeasible on purpose: 9 flats do not fit in this budget, and the explanation says so\n"
        "budget_eur = 1800000\n",
        encoding="utf-8",
    )


def _make_readme(demo: _Demo) -> None:
    """The demo folder's README: what is real (the areas and their figures, with licence and
    attribution), what is fictional, and which flats show each rule of partner choice.

    Writes: `README.md`.
    Draws: none.
    """
    text, seed = demo.text, demo.seed
    (demo.folder / "README.md").write_text(
        "# Demo dataset — FICTIONAL programme on Amsterdam's real areas\n\n"
        f"{text}.\n\n"
        "Everything about the programme in this folder is invented by `llt_geo/demo.py` with seed "
        f"{seed}: flats, corporations, care providers, welfare organisations, intramural sites, amenities, "
        "survey answers, the choice process, and which wijken form the masterplan areas "
        "(`focusgebieden.geojson`: a fictional selection of real wijken in Nieuw-West, Zuidoost and Noord). "
        "The fictional points are placed inside the real buurten, in proportion to where people live.\n\n"
        f"{_areas_readme(demo)}\n\n"
        f"{_partner_readme(demo)}\n\n"
        "Regenerate (byte-identical): `llt-geo make-demo data/demo`. The format of each file is described "
        "in `docs/data-format.md`.\n",
        encoding="utf-8",
    )


def _areas_readme(demo: _Demo) -> str:
    """The README's section on the real areas and figures: sources, licence, how derived, unknowns."""
    unknown = ", ".join(f"`{c}`" for c in demo.unknown_65plus)
    return (
        "## The areas and their figures are real (CC BY 4.0)\n\n"
        "- `stadsdelen.geojson`, `wijken.geojson`, `buurten.geojson`: Amsterdam's area division of 2022 "
        f"(valid since 24 March 2022; {len({w['stadsdeel'] for w in demo.wijken.values()})} stadsdelen incl. "
        f"Weesp, {len(demo.wijken)} wijken, {len(demo.buurten)} buurten, real codes and names). **Gebiedsindeling: "
        "Gemeente Amsterdam**, layer `INDELING_BUURT` of maps.amsterdam.nl (open data, CC BY 4.0 on "
        "data.amsterdam.nl). This copy was derived by llt_geo's own code from the publisher's file "
        f"(`{SOURCE_FILES['division']}`, see `SOURCES.md` of the real-data folder) with "
        "`llt_geo.io.opendata.areas.read_area_division`, then simplified as a coverage with shapely's "
        f"`coverage_simplify` (shared edges stay shared, no gaps or overlaps): the wijken to {SIMPLIFY_M:g} m, "
        f"the stadsdelen as the union of those wijken, the buurten to {SIMPLIFY_BUURTEN_M:g} m. The wijken are "
        "coarse on purpose: every map of the stuurgroep pack embeds them and the pack stays under 5 MB. A buurt "
        f"follows its wijk's edge to within {SIMPLIFY_M:g} m.\n"
        "- Wijken, `inwoners`: **CBS**, Kerncijfers wijken en buurten **2024** (table 85984NED, inhabitants on "
        "1 January 2024; CBS rounds each wijk to 5), read by `llt_geo.io.opendata.cbs.read_kwb_odata`. That data "
        "set has no 65+ column. Wijken, `inwoners_65plus`: **CBS** buurt figures of about **2019** (old buurt "
        "codes), shared over the 2022 wijken in proportion to the overlapping area "
        "(`llt_geo.io.opendata.cbs.interpolate_old_figures`, no assumed empty areas), and set beside the 2024 total "
        f"only where the wijk's 2019 total lies within {MAX_POPULATION_CHANGE:.0%} of its 2024 total (elsewhere "
        f"a share 65+ made of two years would mean nothing). Unknown, never 0, for {len(demo.unknown_65plus)} "
        f"wijken: {unknown} (Weesp's wijken other than Driemond were not in Amsterdam in 2019; others overlap an "
        "old buurt without a 2019 figure, or their population changed too much).\n"
        "- Buurten, `inwoners` and `inwoners_65plus`: the same 2019 CBS figures interpolated onto the 2022 "
        f"buurten; unknown for {demo.buurten_unknown} buurten.\n"
        "- Without the publishers' files (`LLT_GEO_REAL_DATA` names their folder; default "
        "`../shared/data/real` beside the checkout), `llt-geo make-demo` reads these three derived files back "
        "from `data/demo` and writes the same bytes.\n"
        "- Licence: CC BY 4.0. Attribution: *Gebiedsindeling: Gemeente Amsterdam; inwoners: CBS* (also in each "
        "area file's `source` and in the notice on every output)."
    )


def _partner_readme(demo: _Demo) -> str:
    """The README's paragraph on the data of partner choice, naming the flats that show each rule."""

    def ids(items: list[str]) -> str:
        return ", ".join(f"`{i}`" for i in items) or "none"

    failing = [(p[0], p[4]) for p in _PROVIDERS if p[4] and p[4] != "unknown_handover"]
    unknown = [p[0] for p in _PROVIDERS if p[4] == "unknown_handover"]
    stages = {
        "step1": "step 1 done",
        "started": "step 1 under way",
        "step2": "step 1 done, step 2 under way",
        "step3": "steps 1-2 done, step 3 under way",
        "nvt": "step 1 done, preferential allocation not applicable (`nvt`)",
    }
    second = "; ".join(
        f"`{fid}`: `{bad}` fails `{fails}`, `{good}` meets all" for fid, bad, good, fails in demo.second_welfare
    )
    return (
        "## Partner choice (Toewijzingskader 2.2-2.4, 3.2, 4.1-4.2)\n\n"
        "Drawn from a random stream of its own (seed + "
        f"{_PARTNER_SEED_OFFSET}), so the data of the screening (3.1) is as it was.\n\n"
        "- `woningregister.csv`: `corporatie ontvangt subsidie` (3.2.6; ja/nee, a few empty), and for "
        "realised flats their current `voorkeursaanbieder` (a care provider of their stadsdeel that meets "
        "every hard criterion) and `welzijnsorganisatie` (one of their stadsdeel); not known for "
        f"{ids(demo.unknown_realised)}. Open candidates with `akkoord corporatie` = nee show the "
        "corporation's final say.\n"
        f"- `care_providers.csv`: {ids([p for p, _c in failing])} fails one hard criterion "
        f"({', '.join(c for _p, c in failing)}), {ids(unknown)} has one unknown (client_handover), the "
        f"others meet all. `max_flats` is 2 to 9; `{demo.top}`, with the most clients in flats and "
        "the most survey preferences, can take 2, so capacity forces a second choice.\n"
        f"- `survey.csv`: survey rows added for {ids(demo.survey_added)}; some open candidates "
        "have no survey rows or no `flat_clients.csv` rows (unknown).\n"
        "- `welfare_conditions.csv`: the roles of 4.1 (`llt in visie`, `steun werkgever`, `netwerk "
        "bewoners`, `expertise community care`, `kennis delen`, `leergang`; ja/nee, about 10% empty). "
        f"Two organisations for one flat, one failing one condition of 4.2: {second}. "
        f"`welfare_organisations.csv`: {ids(sorted(_NO_PURCHASING))} has no purchasing agreement.\n"
        f"- Settled (a stream of its own, seed + {_SETTLE_SEED_OFFSET}): most open candidates' meeting room is "
        "open to the buurt and most of their conditions of 4.2 are known and met, as for flats a corporation "
        "puts forward; a few stay unknown (not met: the flat cannot be funded until they are known) or "
        "fail, and a few corporations have refused or not yet answered.\n"
        "- `llt_geo.toml`: the scenarios change one thing each (budget, the focus accent, funding onder "
        "voorbehoud of 4.2, the residents' voice, and an infeasible budget on purpose).\n"
        "- `keuzeproces.csv` (table `process`): the steps and the positioning options of 2.4 "
        "per flat, with status (gedaan, bezig, gepland, nvt), date and a note. Realised flats: all four "
        "steps done (2019-2024) and some options; open candidates: "
        + "; ".join(f"`{fid}` {stages[stage]}" for fid, stage in demo.staged)
        + "; every other flat has no rows (nothing done yet)."
    )
