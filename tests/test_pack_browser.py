"""The stuurgroep pack opened as a stuurgroep member would: in a real browser, with no network.

Headless Chromium (Debian's ``chromium`` package) driven by Playwright; every request that is not
a ``file://`` URL is blocked and recorded. The pages must work: the report reads, the Leaflet map
renders with every flat, a popup opens with the criteria table, the legend is there, no script
or stylesheet was asked from the network (only basemap tiles, which are optional and fail
quietly), no JavaScript error, and the flat named like an HTML injection did not run.
``.ci/run`` installs chromium; never ``playwright install``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TILE_HOSTS = {"service.pdok.nl", "tile.openstreetmap.org"}

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium; .ci/run installs it)"
)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install playwright)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class Visit:
    """One page opened with every network request blocked, and what happened."""

    def __init__(self, browser, path: Path, *, viewport: dict | None = None) -> None:
        self.context = browser.new_context(offline=True, **({"viewport": viewport} if viewport else {}))
        self.blocked: list[tuple[str, str]] = []  # (url, resource type)
        self.errors: list[str] = []
        self.dialogs: list[str] = []

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                self.blocked.append((r.request.url, r.request.resource_type))
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" and
                     "net::ERR" not in msg.text and "Failed to load resource" not in msg.text else None)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def only_tiles_were_asked(self) -> None:
        others = [(u, t) for u, t in self.blocked if urlparse(u).hostname not in TILE_HOSTS or t != "image"]
        assert others == [], f"requests that left the file: {others}"

    def close(self) -> None:
        self.context.close()


def test_the_report_reads_offline_without_errors(browser, injected_pack):
    v = Visit(browser, injected_pack / "index.html")
    try:
        page = v.page
        assert "Lang Leven Thuisflats" in page.title()
        body = page.inner_text("body")
        assert "FICTIEVE DEMODATA" in body and "Verantwoording" in body and "uitspraken" in body
        linked = set(page.eval_on_selector_all("a[href^='dossiers/']", "els => els.map(e => e.getAttribute('href'))"))
        assert linked == {f"dossiers/{f.name}" for f in (injected_pack / "dossiers").glob("*.html")}
        assert page.evaluate("window.__llt_xss") is None and v.dialogs == []
        assert v.blocked == [] and v.errors == []
    finally:
        v.close()


def test_the_screening_map_renders_every_flat_with_legend_popup_and_no_request(browser, injected_pack):
    from llt_geo import load_demo

    n_flats = len(load_demo().flats)
    v = Visit(browser, injected_pack / "kaart_toets.html")
    try:
        page = v.page
        assert page.evaluate("typeof L !== 'undefined' && typeof L.map === 'function'")
        page.wait_for_selector("path.llt-flat")
        assert page.locator("path.llt-flat").count() == n_flats
        legend = page.locator(".llt-legend")
        assert legend.count() >= 1 and legend.first.is_visible()
        text = legend.first.inner_text()
        assert "Voldoet" in text and "Voldoet niet" in text and "Onbekend" in text
        page.locator("path.llt-flat").first.click(force=True)
        page.wait_for_selector(".leaflet-popup-content .llt-criteria", timeout=5000)
        assert "Criterium" in page.inner_text(".leaflet-popup-content")
        link = page.locator(".leaflet-popup-content a[href^='dossiers/']")  # the popup leads to the dossier
        assert link.count() == 1 and (injected_pack / link.get_attribute("href")).is_file()
        # the flat named like an injection: shown as text, never run
        assert page.evaluate("window.__llt_xss") is None and v.dialogs == []
        page.wait_for_timeout(300)
        v.only_tiles_were_asked()
        if v.blocked:  # the basemap could not load: one quiet line says so instead of grey
            assert page.locator(".llt-tile-status").is_visible()
        assert v.errors == [], v.errors
    finally:
        v.close()


@pytest.fixture(scope="module")
def demo_results():
    """The demo's results, from which the tests take their expectations (never the demo's counts)."""
    from llt_geo import load_demo, run

    return run(load_demo())


#: a laptop screen, the smallest a stuurgroep member is expected to read the maps on
LAPTOP = {"width": 1280, "height": 800}


def test_the_search_finds_a_group_by_its_id(browser, injected_pack, demo_results):
    """Typing a group id (the first group of the screening) and Enter opens the popup of one of its flats,
    with the group's criteria (issue 19, item 6)."""
    cands = demo_results.screening.candidates
    groups = sorted(cands.loc[cands["is_group"].astype(bool), "candidate_id"].astype(str))
    assert groups, "the demo has groups of flats"
    group = groups[0]
    n_members = int((demo_results.screening.flats["candidate_id"].astype(str) == group).sum())
    v = Visit(browser, injected_pack / "kaart_toets.html", viewport=LAPTOP)
    try:
        page = v.page
        page.wait_for_selector("path.llt-flat")
        options = page.eval_on_selector_all("datalist option", "els => els.map(e => e.value)")
        assert sum(o.endswith(f"groep {group}") for o in options) == n_members >= 2
        page.fill("input.llt-search", group)
        page.press("input.llt-search", "Enter")
        page.wait_for_selector(".leaflet-popup-content .llt-criteria", timeout=5000)
        assert group in page.inner_text(".leaflet-popup-content")
        assert v.errors == [], v.errors
    finally:
        v.close()


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def _inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (inner["x"] >= outer["x"] - slack and inner["y"] >= outer["y"] - slack
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack)  # fmt: skip


def test_the_legend_fits_a_laptop_screen_on_every_map(browser, injected_pack):
    """At 1280×800 the legend is inside the window on every map, every section's heading can be read
    without scrolling (the sections fold), and with every section opened it scrolls inside itself:
    nothing is cut off, and it never covers the title box or a banner."""
    window = {"x": 0, "y": 0, **LAPTOP}
    maps = sorted(injected_pack.glob("kaart_*.html"))
    assert len(maps) >= 4
    for path in maps:
        v = Visit(browser, path, viewport=LAPTOP)
        try:
            page = v.page
            page.wait_for_selector(".llt-legend")
            page.wait_for_timeout(200)
            legend = _box(page, ".llt-legend")
            assert _inside(legend, window), (path.name, legend)
            headings = page.locator(".llt-legend h2")
            assert headings.count() > 1, path.name
            for i in range(headings.count()):
                h = headings.nth(i).bounding_box()
                assert h is not None and _inside(h, legend), (path.name, headings.nth(i).inner_text(), h, legend)
            for other in (".llt-title", ".llt-banner"):
                if page.locator(other).count():
                    box = _box(page, other)
                    assert box["y"] + box["height"] <= legend["y"], (path.name, other, box, legend)
            # every section open: still inside the window, the rest reached by scrolling the legend itself
            page.eval_on_selector_all(".llt-legend details", "els => els.forEach(e => { e.open = true; })")
            page.wait_for_timeout(100)
            opened = _box(page, ".llt-legend")
            assert _inside(opened, window), (path.name, opened)
            overflow = page.eval_on_selector(".llt-legend", "e => getComputedStyle(e).overflowY")
            assert overflow in ("auto", "scroll"), (path.name, overflow)
            assert v.errors == [], (path.name, v.errors)
        finally:
            v.close()


def test_an_infeasible_scenario_shows_a_banner_at_1280x800(browser, injected_pack, demo_results):
    """The infeasible scenario's map says so on its face: a banner, visible at 1280×800 without a click,
    with the rules that conflict and the fixes, as the results state them (issue 19, item 5)."""
    infeasible = [n for n, d in demo_results.decisions.items() if d.status == "infeasible"]
    assert infeasible, "the demo has an infeasible scenario (krap_budget)"
    window = {"x": 0, "y": 0, **LAPTOP}
    for name in demo_results.decisions:
        v = Visit(browser, injected_pack / f"kaart_portefeuille_{name}.html", viewport=LAPTOP)
        try:
            page = v.page
            page.wait_for_selector(".llt-legend")
            banner = page.locator(".llt-banner")
            if name not in infeasible:
                assert banner.count() == 0, name
                continue
            assert banner.count() == 1 and banner.is_visible(), name
            box = banner.bounding_box()
            assert _inside(box, window), (name, box)
            text = " ".join(banner.inner_text().split())
            scenario = demo_results.portfolio.scenarios[name]
            assert "niet haalbaar" in text, text
            for line in [*scenario.conflict, *scenario.fixes]:
                assert " ".join(str(line).split()) in text, (name, line)
            if not scenario.conflict:
                assert " ".join(str(demo_results.decisions[name].explanation).split()) in text, name
            assert v.errors == [], v.errors
        finally:
            v.close()


def test_the_injected_name_shows_as_text_in_the_map_search_and_popup(browser, injected_pack):
    from .conftest import INJECTED_NAME

    v = Visit(browser, injected_pack / "kaart_overzicht.html")
    try:
        page = v.page
        page.wait_for_selector("path.llt-flat")
        options = page.eval_on_selector_all("datalist option", "els => els.map(e => e.value)")
        assert any("<img src=x" in o for o in options)  # the name as text in the search list
        assert page.locator(".llt-search").count() == 1
        assert page.evaluate("window.__llt_xss") is None and v.dialogs == []
        v.only_tiles_were_asked()
        assert v.errors == [], v.errors
    finally:
        v.close()
    assert INJECTED_NAME


def test_a_dossier_and_every_other_map_open_offline(browser, injected_pack):
    from .conftest import INJECTED_NAME

    v = Visit(browser, injected_pack / "dossiers" / "LLT-001.html")
    try:
        assert INJECTED_NAME.split(" ")[0] in v.page.inner_text("h1")  # "<img" shown as text
        assert v.page.locator("svg.inset").count() == 1
        assert v.page.evaluate("window.__llt_xss") is None and v.dialogs == [] and v.errors == []
        assert v.blocked == []
    finally:
        v.close()
    for page in sorted(injected_pack.glob("kaart_*.html")):
        v = Visit(browser, page)
        try:
            v.page.wait_for_selector(".llt-legend")
            assert v.page.evaluate("typeof L") == "object"
            v.only_tiles_were_asked()
            assert v.errors == [], (page.name, v.errors)
            assert v.page.evaluate("window.__llt_xss") is None and v.dialogs == []
        finally:
            v.close()
