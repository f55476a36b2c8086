"""The dossiers read their tables split per candidate once (issue 21, item 2): each part is what a mask on
the whole table gave, and the corporation's table is what ``pivot_table`` made of it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import llt_geo
from llt_geo.present.report import _first_status, _inset_shapes, _InsetLayers, _Lookups


@pytest.fixture(scope="module")
def demo():
    ds = llt_geo.load_demo()
    return ds, llt_geo.run(ds, until="partners")


def test_each_candidate_gets_the_rows_a_mask_on_the_whole_table_gave(demo):
    ds, results = demo
    by = _Lookups(ds, results)
    c = results.partners
    tables = {"criteria": results.screening.criteria, "assignment": c.assignment, "robustness": c.robustness_pairs,
              "scores": c.scores, "welfare": c.welfare, "welfare_roles": c.welfare_roles,
              "corporation": c.corporation}  # fmt: skip
    for cid in [*results.screening.candidates["candidate_id"].astype(str), "no such id"]:
        for name, table in tables.items():
            expected = table[table["candidate_id"].astype(str) == cid]
            pd.testing.assert_frame_equal(getattr(by, name)(cid), expected)
        members = [m.strip() for m in cid.split(",")]
        mask = c.process[c.process["flat_id"].astype(str).isin(members)]
        assert [r.Index for r in by.process(members)] == list(mask.index)


def test_the_corporation_table_is_the_pivot_of_its_commitments():
    corp = pd.DataFrame(
        {
            "section": ["3.2.2", "3.2.1", "3.2.1", "3.2.1", "3.2.2", None, "3.2.3", "3.2.1"],
            "item_nl": ["b", "a", "a", "a", "b", "x", "c", "a"],
            "flat_id": ["F2", "F1", "F2", "F1", "F1", "F1", "F3", "F3"],
            "status": ["nee", None, "ja", "nee", "onbekend", "ja", None, "ja"],
        }
    )
    pivot = corp.pivot_table(index=["section", "item_nl"], columns="flat_id", values="status", aggfunc="first")
    pivot = pivot.sort_index()
    flats, rows = _first_status(corp)
    assert flats == list(pivot.columns) == ["F1", "F2", "F3"]  # F3's 3.2.3 has no known status: the row is left out
    expected = [(sec, item, list(vals)) for (sec, item), vals in zip(pivot.index, pivot.to_numpy(), strict=True)]
    assert [(s, i) for s, i, _ in rows] == [(s, i) for s, i, _ in expected]
    for (_s, _i, got), (_s2, _i2, want) in zip(rows, expected, strict=True):
        assert [None if pd.isna(v) else v for v in got] == [None if pd.isna(v) else v for v in want]


def test_the_inset_layers_read_once_draw_what_they_drew_for_each_candidate(demo):
    ds, results = demo
    s = results.screening
    layers = _InsetLayers(ds, s.flats, ds.intramural_sites)
    some = s.candidates.iloc[:: max(1, len(s.candidates) // 12)]
    for _, cand in some.iterrows():
        members = {m.strip() for m in str(cand["members"]).split(",")} if bool(cand["is_group"]) else {
            str(cand["flat_id"])}  # fmt: skip
        once = layers.shapes(members)
        alone = _inset_shapes(ds, s.flats, members, ds.intramural_sites)
        assert once == alone and once is not None
        assert once["own"] and all(np.isfinite(float(v)) for xy in once["own"] for v in xy)
    assert layers.shapes({"no such flat"}) is None
