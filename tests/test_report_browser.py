"""The report as a stuurgroep member first sees it: index.html at 1280×800 in headless Chromium.

The Besluitvoorstel opens the page: its heading and the first row of the basis scenario's table
(or, when the basis is infeasible, its banner) are on the first screen; no table is wider than the
viewport; every infeasible scenario's section carries a banner with its conflicting rules and fixes;
the basis table lists exactly the funded flats with their voorkeursaanbieder. Expected values come
from the Results of the demo (``llt_geo.run``), never from counts written here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WIDTH, HEIGHT = 1280, 800

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium; .ci/run installs it)"
)


@pytest.fixture(scope="module")
def results():
    import llt_geo

    from .conftest import DEMO

    return llt_geo.run(llt_geo.load_dataset(DEMO))


@pytest.fixture(scope="module")
def index(demo_pack):
    """The demo pack's index.html open at 1280×800 (no network), for the whole module."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install playwright)")
    out, _ = demo_pack
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, offline=True)
        page = context.new_page()
        page.goto((out / "index.html").as_uri())
        page.wait_for_load_state("load")
        yield page
        context.close()
        browser.close()


def _box(locator) -> dict:
    assert locator.count() >= 1, "not on the page"
    box = locator.first.bounding_box()
    assert box is not None, "not visible"
    return box


def test_the_first_screen_shows_the_besluitvoorstel_and_the_basis_decision(index, results):
    heading = index.locator("h2", has_text="Besluitvoorstel")
    box = _box(heading)
    assert box["y"] + box["height"] <= HEIGHT, f"the Besluitvoorstel heading starts at {box['y']:.0f} px"
    basis = results.basis
    assert basis is not None
    section = index.locator("#besluit-basis")
    if basis.status == "infeasible":  # no table: the banner says why, on the first screen
        box = _box(section.locator(".banner-onhaalbaar"))
        assert box["y"] < HEIGHT
        return
    funded = sorted(basis.funded["candidate_id"].astype(str))
    assert funded, "the basis funds no flat"
    first = section.locator("table.besluit").first.locator("tbody tr").first
    box = _box(first)
    assert box["y"] + box["height"] <= HEIGHT, f"the basis table's first row ends at {box['y'] + box['height']:.0f} px"
    assert first.locator("td").first.inner_text().strip() == funded[0]


def test_the_basis_table_lists_the_funded_flats_with_their_partners(index, results):
    basis = results.basis
    if basis.status == "infeasible":
        pytest.skip("the basis funds nothing")
    rows = index.locator("#besluit-basis table.besluit").first.locator("tbody tr")
    shown = {}
    for i in range(rows.count()):
        cells = [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        shown[cells[0]] = cells
    funded = basis.funded.set_index(basis.funded["candidate_id"].astype(str))
    assert set(shown) == set(funded.index)
    cands = results.screening.candidates.set_index(results.screening.candidates["candidate_id"].astype(str))
    for cid, cells in shown.items():
        assert cands.loc[cid, "corporation"] in cells, cid
        assert any(c.startswith(str(funded.loc[cid, "provider_id"])) for c in cells), (cid, "provider")
        welfare = funded.loc[cid, "welfare_id"]
        assert any(c.startswith(str(welfare)) for c in cells) if isinstance(welfare, str) else "geen" in cells, cid
    text = index.locator("#besluit-basis").inner_text()
    assert "vrije keuze" in text  # the free-choice sentence with the providers
    if "open_points_nl" in basis.flats.columns:  # the flats funded onder voorbehoud are counted at the top
        n = int(basis.funded["open_points_nl"].fillna("").astype(str).str.startswith("onder voorbehoud").sum())
        top = index.locator("p.voorbehoud").inner_text()
        assert top.startswith(f"{n} flat")


def test_an_infeasible_scenario_carries_a_banner_with_its_rules_and_fixes(index, results):
    infeasible = {n: s for n, s in results.portfolio.scenarios.items() if s.result.status == "infeasible"}
    if not infeasible:
        pytest.skip("every scenario of the demo is feasible")
    for name, scenario in infeasible.items():
        banner = index.locator(f"#besluit-{name} .banner-onhaalbaar")
        assert banner.count() == 1 and banner.is_visible(), name
        text = banner.inner_text()
        for line in [*scenario.conflict, *scenario.fixes]:
            assert line in text, (name, line)


def test_no_table_is_wider_than_the_viewport(index):
    # the page itself does not scroll sideways, and no table's content needs more than the viewport
    assert index.evaluate("document.documentElement.scrollWidth") <= WIDTH
    widths = index.evaluate(
        """() => Array.from(document.querySelectorAll('table')).map(t => {
            const r = t.getBoundingClientRect();
            let e = t; while (e && !/^H[1-4]$/.test(e.tagName)) e = e.previousElementSibling || e.parentElement;
            return [e ? e.textContent.slice(0, 60) : '', Math.max(t.scrollWidth, r.width), r.right];
        })"""
    )
    assert widths, "no table on the page"
    too_wide = [(title, w, right) for title, w, right in widths if w > WIDTH or right > WIDTH]
    assert too_wide == [], too_wide
