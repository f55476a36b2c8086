"""The verkenning (issue 22): the portfolio re-solved in a real browser, offline, agrees with Python.

Headless Chromium (Debian's ``chromium``) driven by Playwright, every request that is not a
``file://`` URL aborted and recorded. Through the page's own controls: each configured scenario
gives exactly the flats and voorkeursaanbieders Python chose for it (and krap_budget the same
conflicting rules); 20 further settings drawn with a fixed seed give Python's objective within the
solvers' gap, or, when nothing fits, the same conflicting rules. The browser's solve times are
printed (``pytest -s``), not asserted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium; .ci/run installs it)"
)

#: the objective's agreement: HiGHS's relative MIP gap on both sides is 1e-9; scores are sums of floats
GAP = 1e-7


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from llt_geo import load_demo, run
    from llt_geo.present.verkenning import write_verkenning

    ds = load_demo()
    results = run(ds, robustness=False)
    out = tmp_path_factory.mktemp("verkenning")
    write_verkenning(out, ds, results, version="test")
    return ds, results, out


@pytest.fixture(scope="module")
def page(demo):
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install playwright)")
    _ds, _results, out = demo
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
        blocked, errors = [], []

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        pg = context.new_page()
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        pg.goto((out / "verkenning.html").as_uri())
        pg.wait_for_function("document.body.dataset.solves === '1'", timeout=60_000)
        yield pg, blocked, errors
        browser.close()


def _solves(pg) -> int:
    return int(pg.evaluate("Number(document.body.dataset.solves || 0)"))


def _choose(pg, name: str) -> None:
    before = _solves(pg)
    pg.select_option("#vk-scenario", name)
    pg.wait_for_function(f"Number(document.body.dataset.solves) > {before}", timeout=60_000)


def _set(pg, settings: dict) -> None:
    """Put settings into the controls as a user would, then let the page solve once."""
    before = _solves(pg)
    pg.evaluate(
        """(s) => {
          const set = (id, v) => { document.getElementById(id).value = String(v); };
          for (const k of ['budget_eur', 'flats_to_choose', 'min_per_stadsdeel', 'max_per_stadsdeel',
                           'min_focus_share', 'weight_focus', 'max_per_corporation']) set('vk-' + k, s[k]);
          for (const [k, v] of Object.entries(s.care)) set('vk-care-' + k, v);
          document.querySelectorAll('[data-bit]').forEach(
            el => { el.checked = ((s.mode >> Number(el.dataset.bit)) & 1) === 1; });
          document.getElementById('vk-form').dispatchEvent(new Event('input', {bubbles: true}));
        }""",
        settings,
    )
    pg.wait_for_function(f"Number(document.body.dataset.solves) > {before}", timeout=60_000)


def _shown(pg) -> dict:
    return pg.evaluate(
        """() => {
          const st = document.getElementById('vk-status');
          const rows = [...document.querySelectorAll('#vk-table tbody tr')];
          return {state: st.dataset.state, objective: st.dataset.objective, ms: Number(st.dataset.ms),
                  flats: Object.fromEntries(rows.map(
                    r => [r.dataset.candidate, r.querySelector('[data-provider]').dataset.provider])),
                  conflict: [...document.querySelectorAll('#vk-infeasible .vk-conflict')].map(li => li.textContent)};
        }"""
    )


def test_every_scenario_gives_pythons_flats_and_partners(demo, page):
    _ds, results, _out = demo
    pg, blocked, errors = page
    times = []
    for name, decision in results.decisions.items():
        _choose(pg, name)
        shown = _shown(pg)
        times.append((name, shown["ms"]))
        if decision.status == "infeasible":
            assert shown["state"] == "infeasible", name
            assert shown["conflict"] == list(results.portfolio.scenarios[name].conflict), name
            continue
        funded = decision.flats[decision.flats["outcome"] == "in"]
        assert shown["state"] == "optimal", name
        assert shown["flats"] == dict(zip(funded["candidate_id"], funded["provider_id"], strict=True)), name
        assert float(shown["objective"]) == pytest.approx(results.portfolio.scenarios[name].result.objective, rel=GAP)
    print("browser solve per scenario (ms):", ", ".join(f"{n} {ms:.0f}" for n, ms in times))
    # the chosen flats fit beside the controls at 1280 px: no column scrolls out of sight
    widths = pg.evaluate("[document.documentElement.scrollWidth, document.getElementById('vk-table').scrollWidth,"
                         " document.getElementById('vk-table').clientWidth]")  # fmt: skip
    assert widths[0] <= 1280 and widths[1] <= widths[2], widths
    assert not errors
    assert not blocked


def test_twenty_drawn_settings_agree_with_python(demo, page):
    from llt_geo.partners import choose_partners
    from llt_geo.screening import screen
    from llt_geo.verkenning import random_settings, solve_settings

    ds, results, _out = demo
    pg, blocked, errors = page
    screening = screen(ds)
    partners = choose_partners(ds, screening)
    draws = random_settings(results.exploration, 20, seed=2212)
    infeasible, times = 0, []
    for settings in draws:
        _set(pg, settings)
        shown = _shown(pg)
        times.append(shown["ms"])
        result, conflict, _fixes, _sentence = solve_settings(ds, screening, partners, settings)
        if result.status == "infeasible":
            infeasible += 1
            assert shown["state"] == "infeasible", settings
            assert shown["conflict"] == conflict, settings
        else:
            assert shown["state"] == "optimal", settings
            assert float(shown["objective"]) == pytest.approx(result.objective, rel=GAP), settings
    assert 0 < infeasible < len(draws)  # both kinds were tried
    print(f"browser solve over 20 drawn settings: median {np.median(times):.0f} ms, max {max(times):.0f} ms")
    assert not errors
    assert not blocked
