"""The municipality's real area division loads through the same data format as the demo."""

import shutil

import pytest

from llt_geo import load_dataset

from .conftest import DEMO

pytestmark = pytest.mark.real


@pytest.fixture
def real_folder(tmp_path, real_dir):
    """The demo's registers with the real stadsdelen, wijken and buurten (referenced, not copied)."""
    folder = tmp_path / "real"
    shutil.copytree(DEMO, folder)
    for name in ("stadsdelen.geojson", "wijken.geojson", "buurten.geojson"):
        (folder / name).unlink()
    area = real_dir / "amsterdam-gebiedsindeling-2022"
    config = (folder / "llt_geo.toml").read_text()
    config = config.replace(
        "[files]\n",
        "[files]\n"
        f'stadsdelen = "{area / "stadsdelen_afgeleid.geojson"}"\n'
        f'wijken = "{area / "wijken_afgeleid.geojson"}"\n'
        f'buurten = "{area / "amsterdam_buurten.geojson"}"\n',
    )
    (folder / "llt_geo.toml").write_text(config)
    return folder


def test_real_2022_division_loads_with_the_full_hierarchy(real_folder):
    ds = load_dataset(real_folder)
    assert len(ds.stadsdelen) == 9
    assert "S" in set(ds.stadsdelen["stadsdeel_code"])  # Weesp
    assert len(ds.wijken) == 110
    assert len(ds.buurten) == 518
    assert ds.buurten.crs.to_epsg() == 28992
    assert (ds.buurten["buurt_code"].str.slice(0, 2) == ds.buurten["wijk_code"]).all()
    assert (ds.wijken["wijk_code"].str.slice(0, 1) == ds.wijken["stadsdeel_code"]).all()
    assert set(ds.buurten["wijk_code"]) == set(ds.wijken["wijk_code"])
    # the real wijken file has no age figures: that is reported, not silently passed
    assert any("65+" in p.message for p in ds.warnings if p.table == "wijken")


def test_real_2025_buurten_in_rd_new_load_too(real_dir):
    from llt_geo import read_table

    frame, problems, bad, _ = read_table(
        real_dir / "amsterdam-buurten-api-rd" / "amsterdam_buurten_rd.geojson", "buurten"
    )
    assert not bad.any(), [str(p) for p in problems if p.severity == "error"]
    assert len(frame) == 518
    assert frame["buurt_code"].str.fullmatch(r"[A-Z][A-Z0-9]\d\d").all()
    assert frame.crs.to_epsg() == 28992
