"""BAG: dwellings counted per pand from the city's UVA2 extract and from the BAG 2.0 GeoPackage (issue 11, item 1)."""

from __future__ import annotations

import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from llt_geo.errors import InputError
from llt_geo.io.opendata.bag import national_id, read_bag, read_bag_gpkg, read_bag_uva2

UVA2_DIR = "amsterdam-bag-uva2-testset-2015"
HEAD = "VAN;20150706\nTM;20150706\nHISTORISCHE_CYCLI;N\n"
VBO_COLS = [
    "sleutelverzendend",
    "Verblijfsobjectidentificatie",
    "X-Coordinaat",
    "Y-Coordinaat",
    "GebruiksdoelVerblijfsobjectDomein",
    "OmschrijvingGebruiksdoelVerblijfsobjectDomein",
    "Indicatie-vervallen",
    "TijdvakGeldigheid/einddatumTijdvakGeldigheid",
    "VBOSTS/STS/Code",
]
PND_COLS = [
    "sleutelverzendend",
    "Pandidentificatie",
    "OorspronkelijkBouwjaarPand",
    "Indicatie-vervallen",
    "TijdvakGeldigheid/einddatumTijdvakGeldigheid",
    "PNDSTS/STS/Code",
]
LINK_COLS = [
    "sleutelverzendend",
    "Pandidentificatie",
    "PNDVBO/VBO/Verblijfsobjectidentificatie",
    "PNDVBO/TijdvakRelatie/einddatumRelatie",
]


def write_uva2(folder: Path, kind: str, cols: list[str], rows: list[list]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}_20150706_N_20150706_20150706.UVA2"
    lines = [";".join(cols)] + [";".join(str(v) for v in r) for r in rows]
    path.write_text(HEAD + "\n".join(lines) + "\n", encoding="latin-1")
    return path


def vbo(vid: str, code: str, text: str, *, x: int = 121000, y: int = 487000, gone: str = "N", status: str = "21"):
    return [vid, vid, x, y, code, text, gone, "", status]


def pnd(pid: str, year: int | str = 1970, *, gone: str = "N"):
    return [pid, pid, year, gone, "", "31"]


def link(pid: str, vid: str, end: str = ""):
    return [pid, pid, vid, end]


def small_uva2(folder: Path) -> Path:
    """Five panden, eleven verblijfsobjecten, each case once (ids: 0363 + 10 digits; 0384 is Diemen)."""
    write_uva2(
        folder,
        "VBO",
        VBO_COLS,
        [
            vbo("03630000000001", "1010", "BEST-woning"),
            vbo("03630000000002", "1010", "BEST-woning"),
            vbo("03630000000003", "1030", "BEST-wooneenheden"),
            vbo("03630000000004", "0900", "BEST-overige gebruiksfunctie "),  # trailing space, as in the sample
            vbo("03630000000005", "1010", "BEST-woning", gone="J"),  # vervallen
            vbo("03840000000006", "1010", "BEST-woning"),  # Diemen: outside the municipality
            vbo("03630000000007", "1010", "BEST-woning"),  # no link to a pand
            vbo("03630000000008", "1010", "BEST-woning"),  # in two panden
            vbo("03630000000009", "", ""),  # gebruiksdoel empty: unknown
            vbo("03630000000010", "1010", "BEST-woning", status="22"),  # ingetrokken
            vbo("03630000000011", "1010", "BEST-woning", x=122000, y=488000),
            vbo("03630000000012", "1010", "BEST-woning", x="", y=""),  # no coordinates: counted, reported
        ],
    )
    write_uva2(
        folder,
        "PND",
        PND_COLS,
        [
            pnd("03630010000001", 1968),
            pnd("03630010000002", 1005),  # BAG's placeholder: unknown year
            pnd("03630010000003", 1972),
            pnd("03630010000004", 1980, gone="J"),
            pnd("03630010000005", 2001),
            pnd("03630010000006", "onbekend"),  # not a number: unknown, reported
        ],
    )
    write_uva2(
        folder,
        "PNDVBO",
        LINK_COLS,
        [
            link("03630010000001", "03630000000001"),
            link("03630010000001", "03630000000002"),
            link("03630010000001", "03630000000003"),
            link("03630010000001", "03630000000004"),
            link("03630010000001", "03630000000005"),
            link("03630010000002", "03840000000006"),
            link("03630010000003", "03630000000008"),
            link("03630010000002", "03630000000008"),
            link("03630010000003", "03630000000009"),
            link("03630010000003", "03630000000010"),
            link("03630010000005", "03630000000011", end="20140101"),  # ended link
            link("03630010000099", "03630000000011"),  # a pand not in the file
            link("03630010000006", "03630000000012"),
            link("03630010000006", "03630000000001"),  # vbo 1 in two panden: counted in pand 1
        ],
    )
    return folder


def test_national_ids() -> None:
    got = national_id(pd.Series(["03630013069027", "0363100012965185", "x", None, "363100012965185"]), "10")
    assert got[0] == "0363100013069027" and got[1] == got[4] == "0363100012965185"
    assert pd.isna(got[2]) and pd.isna(got[3])


def test_uva2_every_row_counted_or_reported(tmp_path: Path) -> None:
    result = read_bag_uva2(small_uva2(tmp_path / "bag"))
    assert result.balanced
    b = result.buildings.set_index("building_id")
    assert list(b.index) == ["0363100010000001", "0363100010000002", "0363100010000003"]
    # pand 1: two woningen and a wooneenheid (woonfunctie); the other use and the vervallen one not counted
    assert b.loc["0363100010000001", "n_dwellings"] == 3 and b.loc["0363100010000001", "n_verblijfsobjecten"] == 4
    assert b.loc["0363100010000001", "building_year"] == 1968
    # pand 2: the placeholder year is unknown; vbo 8 counted here (lowest pand id of its two)
    assert pd.isna(b.loc["0363100010000002", "building_year"]) and b.loc["0363100010000002", "n_dwellings"] == 1
    # pand 3: a verblijfsobject of unknown use makes the count unknown, never 0; the known part is given
    assert pd.isna(b.loc["0363100010000003", "n_dwellings"]) and b.loc["0363100010000003", "n_dwellings_min"] == 0
    assert b.loc["0363100010000001"].geometry.equals(shapely.Point(121000, 487000))
    reasons = result.not_mapped.assign(file=result.not_mapped["file"].str[:4]).set_index(["file", "id"])["reason"]
    assert reasons.to_dict() == {
        ("VBO_", "03630000000004"): "not a dwelling (gebruiksdoel 0900 BEST-overige gebruiksfunctie)",
        ("VBO_", "03630000000005"): "no longer valid (vervallen or ended)",
        ("VBO_", "03840000000006"): "outside the municipality",
        ("VBO_", "03630000000007"): "no pand (no valid link to a counted pand)",
        ("VBO_", "03630000000010"): "not in use (status 22)",
        ("VBO_", "03630000000011"): "no pand (no valid link to a counted pand)",
        ("VBO_", "03630000000009"): "unknown gebruiksdoel (empty)",
        ("PND_", "03630010000004"): "no longer valid (vervallen or ended)",
        ("VBO_", "03630000000012"): "its pand has no location (see the pand's row)",
        ("PND_", "03630010000005"): "no location (no pand geometry and no verblijfsobject with coordinates)",
        ("PND_", "03630010000006"): "no location (no pand geometry and no verblijfsobject with coordinates)",
        ("PNDV", "03630010000006-03630000000001"): "verblijfsobject in several panden: counted once, "
        "in the lowest pand id",
        ("PNDV", "03630010000003-03630000000008"): "verblijfsobject in several panden: counted once, "
        "in the lowest pand id",
        ("PNDV", "03630010000005-03630000000011"): "link ended",
        ("PNDV", "03630010000099-03630000000011"): "link to a pand that is not in the file",
    }
    counts = {r.file[:4]: (r.read, r.mapped, r.reported) for r in result.rows}
    assert counts == {"VBO_": (12, 4, 8), "PND_": (6, 3, 3), "PNDV": (14, 10, 4)}
    assert any("no usable coordinates" in p.message and p.rows == (16,) for p in result.problems)
    assert any("or not a number" in p.message and p.rows == (6, 10) for p in result.problems)
    assert any("number of dwellings is unknown" in p.message for p in result.problems)
    assert any("placeholder 1005" in p.message and p.column == "OorspronkelijkBouwjaarPand" for p in result.problems)


@pytest.mark.real
def test_real_uva2_sample(real_dir: Path) -> None:
    folder = real_dir / UVA2_DIR
    result = read_bag(folder)
    assert result.balanced
    # figures from the files themselves (SOURCES.md): 96 verblijfsobjecten, 79 panden, 96 links
    raw = pd.read_csv(next(folder.glob("VBO_*.UVA2")), sep=";", skiprows=3, dtype=str)
    woon = raw["GebruiksdoelVerblijfsobjectDomein"].astype(int).between(1000, 1099)
    assert woon.sum() == 91  # 85 BEST-woning + 6 BEST-wooneenheden
    counts = {r.file[:4]: (r.read, r.mapped, r.reported) for r in result.rows}
    assert counts == {"VBO_": (96, 91, 5), "PND_": (79, 79, 0), "PNDV": (96, 96, 0)}
    b = result.buildings
    assert len(b) == 79 and b["n_dwellings"].sum() == 91 and b["n_dwellings"].notna().all()
    assert b["n_verblijfsobjecten"].sum() == 96
    assert (b["n_dwellings"] == 0).sum() == 5  # panden holding only other uses: a real 0, counted
    assert b["building_year"].isna().sum() == 4  # the placeholder 1005 of four panden
    assert b["building_year"].dropna().between(1800, 2007).all()
    assert result.not_mapped["reason"].value_counts().to_dict() == {
        "not a dwelling (gebruiksdoel 0900 BEST-overige gebruiksfunctie)": 3,
        "not a dwelling (gebruiksdoel 1100 BEST-bijeenkomstfunctie)": 2,
    }
    # the pand also in 3D Amsterdam's tiles: one meergezinswoning at RD 126904/481118
    row = b.set_index("building_id").loc["0363100012965185"]
    assert row["n_dwellings"] == 1 and row["building_year"] == 1970
    assert (row.geometry.x, row.geometry.y) == (126904, 481118)
    x0, y0, x1, y1 = b.total_bounds
    assert x0 >= 114242 and x1 <= 126904 and y0 >= 477765 and y1 <= 493032


def pdok_gpkg(path: Path) -> Path:
    """A tiny file in the layout of PDOK's BAG 2.0 GeoPackage (bag-light.gpkg): layers pand and verblijfsobject."""

    def box(x: float, y: float, s: float = 20) -> shapely.Polygon:
        return shapely.box(x, y, x + s, y + s)

    pand = gpd.GeoDataFrame(
        {
            "identificatie": ["0363100012345671", "0363100012345672", "0363100012345673", "0363100012345674"],
            "bouwjaar": [1969, 1005, 1975, 1930],
            "status": ["Pand in gebruik", "Pand in gebruik", "Pand in gebruik", "Pand gesloopt"],
            "gebruiksdoel": ["woonfunctie", "woonfunctie", "woonfunctie", "woonfunctie"],
            "oppervlakte_min": [50, 60, 70, 40],
            "oppervlakte_max": [90, 60, 70, 40],
            "aantal_verblijfsobjecten": [4, 1, 2, 1],
        },
        geometry=[box(121000, 487000), box(121100, 487000), box(121200, 487000), box(121300, 487000)],
        crs="EPSG:28992",
    )
    vbo_rows = [
        # identificatie, gebruiksdoel, pand_identificatie, status
        ("0363010000000001", "woonfunctie", "0363100012345671", "Verblijfsobject in gebruik"),
        ("0363010000000002", "woonfunctie,winkelfunctie", "0363100012345671", "Verblijfsobject in gebruik"),
        ("0363010000000003", "kantoorfunctie", "0363100012345671", "Verblijfsobject in gebruik"),
        ("0363010000000004", "woonfunctie", "0363100012345671", "Verblijfsobject ingetrokken"),
        ("0363010000000005", "woonfunctie", "0363100012345672,0363100012345671", "Verbouwing verblijfsobject"),
        ("0363010000000006", "wonen", "0363100012345673", "Verblijfsobject in gebruik"),  # not a BAG value
        ("0363010000000007", "woonfunctie", "0363100012345673", "Verblijfsobject in gebruik"),
        ("0363010000000008", "woonfunctie", "0363100012345674", "Verblijfsobject in gebruik"),  # pand gesloopt
        ("0384010000000009", "woonfunctie", "0384100000000001", "Verblijfsobject in gebruik"),  # Diemen
        ("0363010000000010", "woonfunctie", None, "Verblijfsobject in gebruik"),  # no pand
    ]
    vbo_frame = gpd.GeoDataFrame(
        {
            "identificatie": [r[0] for r in vbo_rows],
            "hoofdadres_identificatie": [r[0].replace("01", "20", 1) for r in vbo_rows],
            "postcode": ["1060AA"] * len(vbo_rows),
            "huisnummer": list(range(1, len(vbo_rows) + 1)),
            "woonplaats_naam": ["Amsterdam"] * len(vbo_rows),
            "bouwjaar": [1969] * len(vbo_rows),
            "pand_identificatie": [r[2] for r in vbo_rows],
            "pand_status": ["Pand in gebruik"] * len(vbo_rows),
            "oppervlakte": [70] * len(vbo_rows),
            "gebruiksdoel": [r[1] for r in vbo_rows],
            "status": [r[3] for r in vbo_rows],
        },
        geometry=gpd.points_from_xy([121005 + i for i in range(len(vbo_rows))], [487005] * len(vbo_rows)),
        crs="EPSG:28992",
    )
    pand.to_file(path, layer="pand", driver="GPKG")
    vbo_frame.to_file(path, layer="verblijfsobject", driver="GPKG")
    return path


def test_bag_geopackage_layout(tmp_path: Path) -> None:
    result = read_bag(pdok_gpkg(tmp_path / "bag-light.gpkg"))
    assert result.balanced
    b = result.buildings.set_index("building_id")
    assert list(b.index) == ["0363100012345671", "0363100012345672", "0363100012345673"]
    # pand 1: a woning, a woning-with-shop and vbo 5 (in two panden: counted once, in the lowest id;
    # under renovation, still a dwelling); not the office, not the ingetrokken one
    assert b.loc["0363100012345671", "n_dwellings"] == 3 and b.loc["0363100012345671", "n_verblijfsobjecten"] == 5
    assert b.loc["0363100012345672", "n_dwellings"] == 0 and b.loc["0363100012345672", "n_verblijfsobjecten"] == 0
    assert pd.isna(b.loc["0363100012345672", "building_year"])
    # pand 3: 'wonen' is not a BAG gebruiksdoel: the count is unknown, with its known minimum
    assert pd.isna(b.loc["0363100012345673", "n_dwellings"]) and b.loc["0363100012345673", "n_dwellings_min"] == 1
    assert b.loc["0363100012345671"].geometry.within(shapely.box(121000, 487000, 121020, 487020))
    assert (b["location_source"] == "pand").all()
    reasons = result.not_mapped.set_index("id")["reason"].to_dict()
    assert reasons == {
        "0363010000000003": "not a dwelling (gebruiksdoel kantoorfunctie)",
        "0363010000000004": "not in use (status verblijfsobject ingetrokken)",
        "0363010000000008": "no pand (no valid link to a counted pand)",
        "0384010000000009": "outside the municipality",
        "0363010000000010": "no pand (no valid link to a counted pand)",
        "0363010000000006": "unknown gebruiksdoel wonen",
        "0363100012345674": "no longer a building (Pand gesloopt)",
    } | {"0363010000000005": "verblijfsobject in several panden: counted once, in the lowest pand id"}
    counts = {r.file: (r.read, r.mapped, r.reported) for r in result.rows}
    assert counts == {"bag-light.gpkg:verblijfsobject": (10, 4, 6), "bag-light.gpkg:pand": (4, 3, 1)}


def test_bad_input_names_file_column_and_fix(tmp_path: Path) -> None:
    folder = small_uva2(tmp_path / "bag")
    path = next(folder.glob("VBO_*"))
    path.write_text(path.read_text(encoding="latin-1").replace("GebruiksdoelVerblijfsobjectDomein", "Doel"), "latin-1")
    with pytest.raises(InputError) as err:
        read_bag_uva2(folder)
    text = str(err.value)
    assert path.name in text and "GebruiksdoelVerblijfsobjectDomein" in text and "Fix:" in text
    path.write_text("Verblijfsobjectidentificatie;X\n1;2\n", encoding="latin-1")
    with pytest.raises(InputError, match="not a UVA2 file"):
        read_bag_uva2(folder)
    path.unlink()
    with pytest.raises(InputError, match="no VBO_"):
        read_bag_uva2(folder)
    gpkg = pdok_gpkg(tmp_path / "bag.gpkg")
    gpd.read_file(gpkg, layer="verblijfsobject").drop(columns="gebruiksdoel").to_file(
        tmp_path / "bad.gpkg", layer="verblijfsobject", driver="GPKG"
    )
    gpd.read_file(gpkg, layer="pand").to_file(tmp_path / "bad.gpkg", layer="pand", driver="GPKG")
    with pytest.raises(InputError) as err:
        read_bag_gpkg(tmp_path / "bad.gpkg")
    assert "bad.gpkg:verblijfsobject" in str(err.value) and "'gebruiksdoel'" in str(err.value)
    gpd.read_file(gpkg, layer="pand").to_file(tmp_path / "pand_only.gpkg", layer="pand", driver="GPKG")
    with pytest.raises(InputError, match="layer 'verblijfsobject' missing"):
        read_bag_gpkg(tmp_path / "pand_only.gpkg")
    with pytest.raises(InputError, match="unknown BAG layout"):
        read_bag(tmp_path / "bag.csv")


def test_city_sized_extract_is_vectorised(tmp_path: Path) -> None:
    """Amsterdam's size (about 500,000 verblijfsobjecten in 180,000 panden) in seconds."""
    rng = np.random.default_rng(11)
    n_pand, n_vbo = 180_000, 500_000
    pand_ids = np.char.add("0363", np.char.zfill((np.arange(n_pand) + 10_000_000).astype(str), 10))
    vbo_ids = np.char.add("0363", np.char.zfill(np.arange(n_vbo).astype(str), 10))
    owner = np.sort(rng.integers(0, n_pand, n_vbo))
    owner[:n_pand] = np.arange(n_pand)  # every pand holds at least one
    code = np.where(rng.random(n_vbo) < 0.85, "1010", "0900")
    folder = tmp_path / "city"
    folder.mkdir()

    def dump(kind: str, cols: list[str], frame: pd.DataFrame) -> None:
        path = folder / f"{kind}_20260101_N_20260101_20260101.UVA2"
        with path.open("w", encoding="latin-1") as handle:
            handle.write(HEAD + ";".join(cols) + "\n")
            frame.to_csv(handle, sep=";", header=False, index=False, lineterminator="\n")

    dump(
        "VBO",
        VBO_COLS,
        pd.DataFrame(
            {
                "a": vbo_ids,
                "b": vbo_ids,
                "x": rng.integers(110000, 135000, n_vbo),
                "y": rng.integers(477000, 494000, n_vbo),
                "c": code,
                "d": np.where(code == "1010", "BEST-woning", "BEST-overige gebruiksfunctie"),
                "e": "N",
                "f": "",
                "g": "21",
            }
        ),
    )
    dump("PND", PND_COLS, pd.DataFrame({"a": pand_ids, "b": pand_ids, "c": 1970, "d": "N", "e": "", "f": "31"}))
    dump("PNDVBO", LINK_COLS, pd.DataFrame({"a": pand_ids[owner], "b": pand_ids[owner], "c": vbo_ids, "d": ""}))
    start = time.perf_counter()
    result = read_bag_uva2(folder)
    seconds = time.perf_counter() - start
    assert result.balanced and len(result.buildings) == n_pand
    assert result.buildings["n_dwellings"].sum() == (code == "1010").sum()
    assert seconds < 30, f"{seconds:.1f} s"
