"""Amenity kinds the amenity table does not hold at all were not read: unknown, never 'voldoet niet'."""

from __future__ import annotations

import pandas as pd

import llt_geo
from llt_geo.screening import screen

from .conftest import DEMO


def test_a_kind_missing_from_the_table_makes_the_criterion_unknown_where_it_could_decide():
    ds = llt_geo.load_dataset(DEMO)
    need = int(ds.config["eligibility"]["min_amenity_kinds"])
    assert need == 3 and "huisarts" in ds.config["eligibility"]["amenity_kinds"]
    full = screen(ds).candidates.set_index("candidate_id")
    ds.amenities = ds.amenities[ds.amenities["kind"].str.lower() != "huisarts"].copy()
    result = screen(ds)
    cands = result.candidates.set_index("candidate_id")
    assert (cands["amenity_kinds_unread"] == "huisarts").all()
    assert cands["n_huisarts"].isna().all()  # not read: unknown, not 0
    within = cands["amenity_kinds_within"]
    status = cands["amenities_status"]
    # one kind not read: two kinds within reach could be three -> unknown; one or none cannot -> fail
    assert (status[within >= need] == "pass").all()
    assert (status[within == need - 1] == "unknown").all() and (within == need - 1).any()
    assert (status[within < need - 1] == "fail").all() and (within < need - 1).any()
    # a candidate that passed with every kind read and had a GP within reach is now unknown or pass, never fail
    was = full.loc[cands.index, "amenities_status"]
    assert not ((was == "pass") & (status == "fail")).any()
    crit = result.criteria
    unknown = crit[(crit["criterion"] == "amenities") & (crit["status"] == "unknown")]
    assert len(unknown) and unknown["reason"].str.contains("niet ingelezen: huisarts: onbekend").all()


def test_with_every_kind_read_nothing_changes():
    ds = llt_geo.load_dataset(DEMO)
    result = screen(ds)
    assert "amenity_kinds_unread" not in result.candidates.columns
    assert "amenity_kinds_unread" not in result.flats.columns
    assert result.flats["n_huisarts"].dtype == "int64"
    assert not pd.isna(result.flats["n_huisarts"]).any()
