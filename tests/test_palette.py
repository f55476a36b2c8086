"""The maps' and figures' colours stay apart for colour-blind readers (deuteranopia, protanopia).

Colour-vision deficiency is simulated with the matrices of Machado, Oliveira & Fernandes (2009,
severity 1.0) on linear sRGB; colours are compared by their CIE76 distance in CIELAB. Two colours
closer than about 10 look the same on a map; the outcomes of the screening must stay at least 40
apart, which the Okabe-Ito colours do (47 or more). The old palette's green and red (the problem
the stuurgroep found: the same olive for a colour-blind reader) are 23 apart and must fail the
same check, so the test can tell a bad palette from a good one.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from llt_geo.present import palette

MACHADO = {
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "normal": np.eye(3),
}
MIN_DISTANCE = 40.0


def _linear(hex_colour: str) -> np.ndarray:
    rgb = np.array([int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]) / 255.0
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ np.clip(linear_rgb, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance(a: str, b: str, vision: str) -> float:
    sim = MACHADO[vision]
    return float(np.linalg.norm(_lab(sim @ _linear(a)) - _lab(sim @ _linear(b))))


@pytest.mark.parametrize("vision", ["deuteranopia", "protanopia", "normal"])
def test_screening_outcomes_and_sites_stay_apart(vision):
    colours = {**palette.ELIGIBILITY_COLOURS, "site": palette.SITE_COLOUR}
    for (k1, c1), (k2, c2) in itertools.combinations(colours.items(), 2):
        assert distance(c1, c2, vision) >= MIN_DISTANCE, (vision, k1, k2, distance(c1, c2, vision))


@pytest.mark.parametrize("vision", ["deuteranopia", "protanopia"])
def test_portfolio_classes_and_the_ageing_scale_stay_apart(vision):
    for (k1, c1), (k2, c2) in itertools.combinations(palette.PORTFOLIO_COLOURS.items(), 2):
        assert distance(c1, c2, vision) >= MIN_DISTANCE / 2, (vision, k1, k2)
    steps = [distance(a, b, vision) for a, b in itertools.pairwise(palette.AGEING_COLOURS)]
    assert min(steps) >= 8, steps  # each class of the 65+ scale visibly darker than the one before


def test_the_check_rejects_the_old_green_and_red():
    old_pass, old_fail = "#1a9641", "#d7191c"
    assert distance(old_pass, old_fail, "normal") >= MIN_DISTANCE  # fine for most readers ...
    assert distance(old_pass, old_fail, "deuteranopia") < MIN_DISTANCE  # ... not for a deuteranope
