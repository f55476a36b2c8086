"""A dossier's inset map keeps one meaning per colour (issue 19, item 6): the candidate is drawn in
its own 3.1 outcome (or its status when it is already in the programme), other flats in the style
every map gives a flat it has no class for, never in a 3.1 or status colour."""

from __future__ import annotations

import re

import pytest

import llt_geo
from llt_geo.present.palette import FLAT_STYLES
from llt_geo.present.report import _own_style, inset_svg


@pytest.fixture(scope="module")
def demo():
    ds = llt_geo.load_demo()
    return ds, llt_geo.run(ds, until="screening").screening


@pytest.mark.parametrize("kind", ["pass", "fail", "unknown", "realised"])
def test_the_inset_draws_the_candidate_by_what_it_is(demo, kind):
    ds, s = demo
    c = s.candidates
    pick = c[c["status"].eq("realised")] if kind == "realised" else c[c["open_candidate"] & c["eligibility"].eq(kind)]
    cand = pick.iloc[0]
    assert _own_style(cand) == kind
    svg = inset_svg(ds, s.flats, {m.strip() for m in str(cand["members"]).split(",")}, ds.intramural_sites,
                    style=_own_style(cand))  # fmt: skip
    circles = re.findall(r"<circle [^>]*r='(\d+)' fill='([^']+)' stroke='([^']+)'", svg)
    own = {(f, st) for r, f, st in circles if r == "7"}
    others = {(f, st) for r, f, st in circles if r == "3"}
    assert own == {(FLAT_STYLES[kind].fill, FLAT_STYLES[kind].stroke)}
    assert others <= {(FLAT_STYLES["other"].fill, FLAT_STYLES["other"].stroke)}  # (none nearby: empty)
    assert FLAT_STYLES[kind].label_nl in svg
