"""The verkenning's model as data (issue 22, item 2): for the basis and every scenario of the demo,
the rows the exported data gives are exactly the rows of the portfolio that Python solves."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from llt_geo.config import scenario_config
from llt_geo.io.dataset import load_dataset
from llt_geo.partners import choose_partners
from llt_geo.portfolio import _objective, _rules, build_inputs
from llt_geo.screening import screen
from llt_geo.verkenning import exploration_model, model_rules

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


@pytest.fixture(scope="module")
def demo():
    ds = load_dataset(DEMO)
    sc = screen(ds)
    pc = choose_partners(ds, sc)
    names = list(ds.config["scenarios"])
    scenarios = {name: scenario_config(ds.config, name) for name in names}
    model = exploration_model(ds, sc, pc, ds.config, scenarios)
    return ds, sc, pc, model, scenarios


def _python_rows(inputs, cfg):
    rules, n, m = _rules(inputs, cfg)
    rows = sparse.vstack([r.rows for r in rules]).tocsr()
    keys = [r.key for r in rules for _ in range(r.rows.shape[0])]
    names = [r.name_nl for r in rules for _ in range(r.rows.shape[0])]
    return keys, names, rows, np.concatenate([r.lo for r in rules]), np.concatenate([r.hi for r in rules])


def test_the_model_is_plain_json(demo):
    model = demo[3]
    text = json.dumps(model, sort_keys=True, allow_nan=False)
    assert json.loads(text) == json.loads(json.dumps(model, sort_keys=True))
    assert set(model["scenarios"]) == {
        "ruim_budget",
        "sterker_accent",
        "welzijn_onder_voorbehoud",
        "bewoners_zwaarder",
        "krap_budget",
    }


@pytest.mark.parametrize(
    "name", ["basis", "ruim_budget", "sterker_accent", "welzijn_onder_voorbehoud", "bewoners_zwaarder", "krap_budget"]
)
def test_the_data_gives_the_rows_python_solves(demo, name):
    ds, sc, pc, model, scenarios = demo
    cfg = ds.config if name == "basis" else scenarios[name]
    settings = model["settings"] if name == "basis" else model["scenarios"][name]
    partners = pc
    if name == "bewoners_zwaarder":  # a care weight: the partner step is run again, as run_portfolio does
        from dataclasses import replace

        partners = choose_partners(replace(ds, config=cfg), sc)
    inputs = build_inputs(ds, sc, partners, cfg)
    keys, names, rows, lo, hi = _python_rows(inputs, cfg)
    objective = _objective(inputs, cfg)
    # the same pairs, perhaps in another order (the partner step orders them by score): into the model's
    n = len(inputs.candidates)
    at = {(c, p): k for k, (c, p) in enumerate(zip(inputs.pairs["candidate"], inputs.pairs["provider"], strict=True))}
    mine = list(zip(model["pairs"]["candidate"], model["pairs"]["provider"], strict=True))
    assert sorted(at) == sorted(mine)
    order = np.r_[np.arange(n), n + np.array([at[key] for key in mine], dtype=int)]
    rows, objective = rows[:, order], objective[order]
    got = model_rules(model, settings)
    assert got.keys == keys
    assert got.names_nl == names
    assert (got.rows != rows).nnz == 0
    np.testing.assert_array_equal(got.lo, lo)
    np.testing.assert_array_equal(got.hi, hi)
    np.testing.assert_allclose(got.objective, objective, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(got.upper, inputs.candidates["fundable"].to_numpy(dtype=float))


def test_settings_go_into_the_configuration_and_back(demo):
    from llt_geo.partners import ASPECTS
    from llt_geo.verkenning import random_settings, settings_config, settings_of

    ds, model = demo[0], demo[3]
    aspects = [key for key, _name, _sec in ASPECTS.values()]
    for settings in [model["settings"], *model["scenarios"].values(), *random_settings(model, 5, 1)]:
        assert settings_of(settings_config(ds.config, settings), aspects) == settings


def test_every_onder_voorbehoud_mode_funds_whom_build_inputs_funds(demo):
    from llt_geo.verkenning import MODES, _with_mode

    ds, sc, pc, model = demo[0], demo[1], demo[2], demo[3]
    for mode in range(2 ** len(MODES)):
        inputs = build_inputs(ds, sc, pc, _with_mode(ds.config, mode))
        got = model_rules(model, model["settings"] | {"mode": mode})
        np.testing.assert_array_equal(got.upper, inputs.candidates["fundable"].to_numpy(dtype=float))
        np.testing.assert_allclose(got.objective[: len(got.upper)], inputs.candidates["base"].to_numpy(dtype=float))
