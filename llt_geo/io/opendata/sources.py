"""The catalogue of the open-data files llt_geo's adapters read, and where each one is published.

One :class:`Source` per file of ``../shared/data/real`` (its ``SOURCES.md``) that an adapter of
:mod:`llt_geo.io.opendata` or :mod:`llt_geo.demo` reads; the cache written by
:func:`llt_geo.io.opendata.fetch.fetch` has the same layout (``Source.path``).

Where the bytes come from, honestly: every kept file was taken byte for byte from a **public
GitHub repository at a pinned commit** (the publishers' own endpoints serve today's version, whose
bytes and sometimes layout differ), so ``Source.url`` is that repository's raw URL at the commit,
and ``Source.publisher_url`` names the publisher's own endpoint for the current version (for the
reader; never downloaded, because its bytes would not match). Three files are **derived**:

* ``kwb_2024`` (``stripped_filtered_data_2024_GM0363.json``) is the repository's national file cut
  down to Amsterdam (``GM0363`` and its wijken); :func:`derive_kwb_gm0363` makes it from the
  download, byte for byte (checked against ``sha256``).
* ``stadsdelen_2022`` and ``wijken_2022`` are dissolves of the 2022 buurten made with geopandas;
  they are published nowhere and cannot be rebuilt byte for byte, so they come only from a mirror
  (``--from``). The area adapter does not need them: it unions the buurten itself.

``sha256`` and ``size`` are those of the files in ``../shared/data/real``, the version llt_geo is
tested with. For the six 3D Amsterdam tiles SOURCES.md also gives the git blob ids at the commit;
the kept files' blob ids match them (checked when this catalogue was written), so the raw URLs
serve these very bytes.

Files in ``SOURCES.md`` that no adapter reads are not catalogued: the housing construction plans
(``amsterdam_woningbouwplannen.geojson``), the tram and metro lines and CBS's ``TableInfos.json``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATALOGUE", "Source", "derive_kwb_gm0363", "source"]

_RAW = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"

_AMS_LICENCE = "Gemeente Amsterdam open data, CC BY 4.0 (data.amsterdam.nl); de repository vermeldt geen licentie"
_CBS_LICENCE = "CBS open data, CC BY 4.0"
_CHECK = " — controleren vóór publicatie"


@dataclass(frozen=True)
class Source:
    """One open-data file: where it sits in the cache, where it is downloaded from, whose it is."""

    key: str
    #: path in the cache, relative, with ``/`` (the layout of ``../shared/data/real``)
    path: str
    #: the download URL (the repository's raw URL at the pinned commit); ``None``: from a mirror only
    url: str | None
    #: the repository, its commit and the path in it the file was taken from
    repository: str
    commit: str
    repository_path: str
    #: the original publisher and the publisher's own endpoint (current version; not downloaded)
    publisher: str
    publisher_url: str
    #: the licence (Dutch, as the report shows it) and the credit line to print with the data
    licence: str
    attribution: str
    #: what the file is (English) and which llt_geo function reads it
    description: str
    reader: str
    #: the tested version: SHA-256 (hex) and size in bytes
    sha256: str
    size: int
    #: how the file was made from the download (``None``: byte for byte as downloaded)
    derived: str | None = None

    @property
    def mirror_only(self) -> bool:
        """Published nowhere: only a mirror (``--from``) can provide it."""
        return self.url is None


def _gh(repo: str, commit: str, path: str) -> dict:
    return {"repository": repo, "commit": commit, "repository_path": path,
            "url": _RAW.format(repo=repo, commit=commit, path=path)}  # fmt: skip


_MAPS = "https://maps.amsterdam.nl/open_geodata/"
_GRRROLF = "Grrrolf/geoJSON"
_BIJ1 = ("bij1/verkiezingen", "6ae1167badaf43019041c18d08e337346d897315")
_KWB24 = (
    "niquedegraaff/Wikipedia-Generator-CBS-Kerncijfers-Wijken-en-Buurten",
    "5598198273babd9816e156b4eeb43626f351a17f",
)
_BAG = ("Amsterdam/bag_services", "97732afe418996af8494e0e819e5fc3b44759325")
_3D = ("Amsterdam/3DAmsterdam", "79c78eaad8ab5a733237e1a2d1b925d9f7ef3faa")

_TILES = {
    "119000_488500": ("ed83ea7a1d82c39eb2945a6300fa997c03e265c010a18c8aedf7391e971a36ea", 52815, "West"),
    "124000_490500": ("2437e63da94aab0766f6557a41fb540d185e8e1ace428b7ac8d703a129fc8eef", 22247, "Noord"),
    "124500_490500": ("48f74208e9ad1099f7e5fa3560a4964258b2eeffd9600304ec828c9136865f14", 79429, "Noord"),
    "126500_481000": ("4a7c4538cfa0a52e7813224e859c2a687264b175e858a36b46c8d6290268d7d8", 64275, "Zuidoost"),
    "126500_481500": ("565ddd3c1f33e82a789e120c06e14824bee92da9b36773ba90d59aa38223f4f4", 45410, "Zuidoost"),
    "126500_482000": ("3a3ca7da49208211fcbbd041b9c101048eaa532265dafed33f444d9e7e12d994", 9363, "Zuidoost"),
}
_UVA2 = {
    "VBO": ("efd1c591da6e1c07a425934ffddac09513c14b228bb4976ada7232ee66d5252d", 29325, "verblijfsobjecten"),
    "PND": ("8dedaa63d510880b5f41dde6dcc1aa89faccafd8f8d94852ecbecd7c1841af40", 10057, "panden"),
    "PNDVBO": ("6189ad02c280dbecfcfb9711654d6b252c8a1374c95c12d261050cbd705f9e27", 8000, "pand-verblijfsobject links"),
}

_ENTRIES: list[Source] = [
    Source(
        key="gebiedsindeling_2022_buurten",
        path="amsterdam-gebiedsindeling-2022/amsterdam_buurten.geojson",
        **_gh(_GRRROLF, "701d486807018c8d8fa0a2668d2e8dc74838c01f", "amsterdam_buurten.geojson"),
        publisher="Gemeente Amsterdam (maps.amsterdam.nl, laag INDELING_BUURT)",
        publisher_url=_MAPS,
        licence=_AMS_LICENCE + _CHECK,
        attribution="Gebiedsindeling 2022: Gemeente Amsterdam",
        description="The 2022 area division: 518 buurten with wijk, gebied and stadsdeel codes and names (lon/lat).",
        reader="llt_geo.io.opendata.areas.read_area_division; llt_geo.demo (the demo's areas)",
        sha256="05081e59eee05387101f8eb5ae90bf8fbfcdfb55afe779e669a72f59a884d315",
        size=601787,
    ),
    Source(
        key="gebiedsindeling_2022_gebieden",
        path="amsterdam-gebiedsindeling-2022/amsterdam_gebieden.geojson",
        **_gh(_GRRROLF, "993c5cb6cba493c7cd806b86b7762d0d8824f793", "amsterdam_gebieden.geojson"),
        publisher="Gemeente Amsterdam (maps.amsterdam.nl, laag INDELING_GEBIED)",
        publisher_url=_MAPS,
        licence=_AMS_LICENCE + _CHECK,
        attribution="Gebiedsindeling 2022: Gemeente Amsterdam",
        description="The 25 GGW-gebieden of the 2022 division (lon/lat).",
        reader="llt_geo.io.opendata.areas.read_area_division(gebieden=)",
        sha256="b8e7f19beaa25ba1a774cd04802545931337b05327c3ccf789d64c5186f0c428",
        size=165492,
    ),
    Source(
        key="gebiedsindeling_2022_stadsdelen",
        path="amsterdam-gebiedsindeling-2022/stadsdelen_afgeleid.geojson",
        url=None,
        repository="",
        commit="",
        repository_path="",
        publisher="Gemeente Amsterdam (afgeleid uit INDELING_BUURT)",
        publisher_url=_MAPS,
        licence=_AMS_LICENCE + _CHECK,
        attribution="Gebiedsindeling 2022: Gemeente Amsterdam; samengevoegd per stadsdeel",
        description="The 9 stadsdelen, a geopandas dissolve of the 2022 buurten by Stadsdeelcode (not published).",
        reader="llt_geo.io.opendata.areas.read_area_division(stadsdelen=)",
        sha256="2777553b8fb1040c6a8884800846255d3a0c514811420652b6b1ba59ff4910b8",
        size=159359,
        derived="dissolve(by='Stadsdeelcode') of gebiedsindeling_2022_buurten after make_valid; from a mirror only",
    ),
    Source(
        key="gebiedsindeling_2022_wijken",
        path="amsterdam-gebiedsindeling-2022/wijken_afgeleid.geojson",
        url=None,
        repository="",
        commit="",
        repository_path="",
        publisher="Gemeente Amsterdam (afgeleid uit INDELING_BUURT)",
        publisher_url=_MAPS,
        licence=_AMS_LICENCE + _CHECK,
        attribution="Gebiedsindeling 2022: Gemeente Amsterdam; samengevoegd per wijk",
        description="The 110 wijken, a geopandas dissolve of the 2022 buurten by Wijkcode (not published).",
        reader="llt_geo.io.opendata.areas.read_area_division(wijken=)",
        sha256="eda944af641db501d925a46015ed1259ca18039aea265e402a355e66f8194936",
        size=324774,
        derived="dissolve(by='Wijkcode') of gebiedsindeling_2022_buurten; from a mirror only",
    ),
    Source(
        key="gebieden_api_buurten",
        path="amsterdam-buurten-api-rd/amsterdam_buurten_rd.geojson",
        **_gh("fl00ra/ABM-PV-adoption-ams", "83c6f3264595640a21231f844c5e193bdbfa8385", "amsterdam_buurten.geojson"),
        publisher="Gemeente Amsterdam (data.amsterdam.nl, API-dataset gebieden, tabel buurten)",
        publisher_url="https://api.data.amsterdam.nl/v1/gebieden/buurten/",
        licence=_AMS_LICENCE + _CHECK,
        attribution="Gebieden (buurten): Gemeente Amsterdam, data.amsterdam.nl",
        description="The 518 buurten as the city's API served them on 2025-06-16 (RD New).",
        reader="llt_geo.io.opendata.areas.read_area_division",
        sha256="10b6c6d419179e9184185d7894cdaf1d66be4ff2659635c0795b190f7d27bc44",
        size=1045886,
    ),
    Source(
        key="tram_metro_haltes_2022",
        path="amsterdam-tram-metro-2022/amsterdam_tram_metro_2022.geojson",
        **_gh(_GRRROLF, "6d14c463c5c73fa9fac24b0c8b248aa90d0e1010", "amsterdam_tram_metro_2022.geojson"),
        publisher="Gemeente Amsterdam (maps.amsterdam.nl, laag TRAMMETRO_PUNTEN_2022)",
        publisher_url=_MAPS,
        licence=_AMS_LICENCE + _CHECK,
        attribution="Tram- en metrohaltes 2022: Gemeente Amsterdam",
        description="231 tram and metro stop points of 2022 (lon/lat).",
        reader="llt_geo.io.opendata.transit.read_tram_metro_stops",
        sha256="b55cd49b0926452d73779262d8ee7072290a7b17af88519d7e3deda033d5dd15",
        size=53840,
    ),
    Source(
        key="kwb_2024",
        path="cbs-kwb-2024-amsterdam-wijken/stripped_filtered_data_2024_GM0363.json",
        **_gh(*_KWB24, "2024/cbs_data/stripped_filtered_data_2024.json"),
        publisher="CBS, Kerncijfers wijken en buurten 2024 (OData-tabel 85984NED)",
        publisher_url="https://opendata.cbs.nl/ODataApi/odata/85984NED",
        licence=_CBS_LICENCE,
        attribution="Kerncijfers wijken en buurten 2024: CBS",
        description="CBS key figures 2024 for Amsterdam (GM0363) and its 110 wijken, 8 topics.",
        reader="llt_geo.io.opendata.cbs.read_kwb_odata; llt_geo.demo (inhabitants per wijk)",
        sha256="da41911fea36e4623ff7d9cb5d8fc0eed52eb008bd64530fdb999dabe1d006ee",
        size=28747,
        derived="the repository's national file cut down to GM0363 and WK0363.. (derive_kwb_gm0363)",
    ),
    Source(
        key="kwb_2024_dataproperties",
        path="cbs-kwb-2024-amsterdam-wijken/DataProperties.json",
        **_gh(*_KWB24, "2024/cbs_data/DataProperties.json"),
        publisher="CBS, Kerncijfers wijken en buurten 2024 (OData-tabel 85984NED, metadata)",
        publisher_url="https://opendata.cbs.nl/ODataApi/odata/85984NED/DataProperties",
        licence=_CBS_LICENCE,
        attribution="Kerncijfers wijken en buurten 2024: CBS",
        description="CBS's OData metadata of table 85984NED: every topic's key, title and unit.",
        reader="llt_geo.io.opendata.cbs.read_data_properties; llt_geo.demo",
        sha256="3fe8c50c9fae7e58e24bf889987b2cb81c6e3d5da48857d7370cb8aefc035b3a",
        size=122982,
    ),
    Source(
        key="kwb_2019_buurten",
        path="gensynthpop-cbs-buurten-leeftijd/Neighborhood_statistics.csv",
        **_gh(
            "TabeaSonnenschein/GenSynthPop",
            "eaf43968e7b81c760607b1a670b7772368157ae7",
            "example/Neighborhood_statistics.csv",
        ),  # fmt: skip
        publisher="CBS, Kerncijfers wijken en buurten (waarschijnlijk 2019), selectie door GenSynthPop",
        publisher_url="https://opendata.cbs.nl/ODataApi/odata/84583NED",
        licence=_CBS_LICENCE,
        attribution="Kerncijfers wijken en buurten (2019): CBS",
        description="Inhabitants by age class for 469 buurten of the pre-2022 coding (probably kwb 2019).",
        reader="llt_geo.io.opendata.cbs.read_kwb_csv; llt_geo.demo (65+ per buurt)",
        sha256="66cfaed409a3160af2548c8d95405001ccb5fb7b53848eaaaaaceea8e0801fd0",
        size=25380,
    ),
    Source(
        key="buurten_oud",
        path="cbs-buurten-amsterdam-oud/amsterdam_buurten_oud.geojson",
        **_gh(*_BIJ1, "data/amsterdam.geojson"),
        publisher="Gemeente Amsterdam (maps.amsterdam.nl, laag GEBIED_BUURTEN, indeling vóór 2022)",
        publisher_url=_MAPS,
        licence=_AMS_LICENCE + _CHECK,
        attribution="Buurten (indeling vóór 2022): Gemeente Amsterdam",
        description="The 481 buurten of the division valid before 2022 (lon/lat).",
        reader="llt_geo.io.opendata.cbs.read_old_buurten; llt_geo.demo",
        sha256="8e59720fd255d82322c74d6806c8aa874fca31ebf97cdb4da77e8ffd7840ede2",
        size=435683,
    ),
    Source(
        key="buurten_oud_codes",
        path="cbs-buurten-amsterdam-oud/buurten_info.csv",
        **_gh(*_BIJ1, "data/buurten_info.csv"),
        publisher="CBS, Kerncijfers wijken en buurten (waarschijnlijk 2020), selectie door bij1/verkiezingen",
        publisher_url="https://opendata.cbs.nl/",
        licence=_CBS_LICENCE,
        attribution="Kerncijfers wijken en buurten: CBS",
        description="Names and old CBS codes of the 481 pre-2022 buurten (with some key figures).",
        reader="llt_geo.io.opendata.cbs.read_old_buurten; llt_geo.demo",
        sha256="8fd5bf86d1cfa35bd316e84dbfdcff13db4434741bcd095e3b3a2609e1ffed35",
        size=51257,
    ),
    *(
        Source(
            key=f"bag_uva2_{kind.lower()}",
            path=f"amsterdam-bag-uva2-testset-2015/{kind}_20150706_N_20150706_20150706.UVA2",
            **_gh(*_BAG, f"bag/gob/bag/{kind}_20150706_N_20150706_20150706.UVA2"),
            publisher="Gemeente Amsterdam, Basisinformatie (BAG-extract in UVA2, 6 juli 2015; testbestand)",
            publisher_url="https://api.data.amsterdam.nl/v1/bag/",
            licence="BAG, openbare gegevens (Kadaster, CC0); de repository vermeldt geen licentie" + _CHECK,
            attribution="BAG: Gemeente Amsterdam / Kadaster",
            description=f"BAG test extract 2015 in Amsterdam's UVA2 format: {what}.",
            reader="llt_geo.io.opendata.bag.read_bag_uva2",
            sha256=sha,
            size=size,
        )
        for kind, (sha, size, what) in _UVA2.items()
    ),
    *(
        Source(
            key=f"3d_panden_{tile}",
            path=f"3damsterdam-bag-panden-tiles/{tile}.geojson",
            **_gh(*_3D, f"3DAmsterdam/Assets/PandData/BAG/{tile}.geojson"),
            publisher="Gemeente Amsterdam, 3D Amsterdam (BAG-panden met TOP10NL-hoogten)",
            publisher_url="https://3d.amsterdam.nl/",
            licence="EUPL-1.2 (repository); BAG CC0 en TOP10NL CC BY 4.0 (Kadaster)" + _CHECK,
            attribution="3D Amsterdam: Gemeente Amsterdam; BAG en TOP10NL: Kadaster",
            description=f"Building footprints with year and height, 500 m tile {tile} ({area}), RD New.",
            reader="llt_geo.io.opendata.buildings3d.read_3d_tiles",
            sha256=sha,
            size=size,
        )
        for tile, (sha, size, area) in _TILES.items()
    ),
    Source(
        key="netwerk_osdorp_midden",
        path="crc2025-osdorp-midden-netwerk/osdpm_map.gpkg",
        **_gh(
            "alukrogi/graph-optimization", "fc72bfa78db649e434ebb1735b89a29f63c6d307", "data/train/maps/osdpm_map.gpkg"
        ),  # fmt: skip
        publisher="Counterfactual Routing Competition 2025 (EU-project PEER met de Gemeente Amsterdam)",
        publisher_url="https://github.com/alukrogi/graph-optimization",
        licence="onbekend (delen uit OpenStreetMap: ODbL)" + _CHECK,
        attribution="Voetgangersnetwerk Osdorp-Midden: Gemeente Amsterdam / PEER; © OpenStreetMap-bijdragers",
        description="A pedestrian network of Osdorp-Midden with accessibility attributes (edge list, RD New).",
        reader="llt_geo.io.network.read_network_gpkg",
        sha256="496ee67170f54c00c85aff088b22d8c49c71b4755f631826652abd2a09e43ef7",
        size=2904064,
    ),
]

#: every catalogued file by key, in catalogue order
CATALOGUE: dict[str, Source] = {s.key: s for s in _ENTRIES}
if len(CATALOGUE) != len(_ENTRIES):  # pragma: no cover - a typo in a key
    raise RuntimeError("two catalogue entries share a key")


def source(key: str) -> Source:
    """The catalogue entry ``key``; a clear error listing the keys when there is none."""
    try:
        return CATALOGUE[key]
    except KeyError:
        raise KeyError(f"no open-data file {key!r} in the catalogue; the keys are: {', '.join(CATALOGUE)}") from None


def derive_kwb_gm0363(data: bytes) -> bytes:
    """The Amsterdam part of the repository's national kwb 2024 file: the entries ``GM0363`` and
    ``WK0363..`` in the file's order, written as the kept file is (2-space indent, no final newline).

    Raises ``ValueError`` naming what is wrong when the download is not such a file.
    """
    import json

    try:
        figures = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"the download is not JSON ({exc})") from None
    if not isinstance(figures, dict):
        raise ValueError("the download is not a JSON object keyed by region code")
    kept = {k: v for k, v in figures.items() if k == "GM0363" or k.startswith("WK0363")}
    if "GM0363" not in kept:
        raise ValueError("the download has no entry GM0363 (Amsterdam)")
    return json.dumps(kept, indent=2).encode("utf-8")
