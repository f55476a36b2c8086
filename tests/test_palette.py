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


# ----------------------------------------------------------------------------------- one meaning per colour
#: a state drawn in a fill that a colour-blind reader cannot tell from an outcome of 3.1 (or from
#: another state's fill on the same map) is a second meaning for that colour
STATE_DISTANCE = MIN_DISTANCE / 2
OUTCOMES = ("pass", "fail", "unknown")


def _drawing(style) -> tuple:
    return (style.fill.upper(), style.stroke.upper(), float(style.weight), style.dash)


def test_each_state_of_a_flat_has_a_drawing_of_its_own():
    # (a flat with a voorkeursaanbieder is filled with the provider's colour, not with its style's white)
    drawings = {key: _drawing(style) for key, style in palette.FLAT_STYLES.items() if key != "provider"}
    assert len(set(drawings.values())) == len(drawings), drawings
    assert {"pass", "fail", "unknown", "realised", "chosen", "in_development", "in", "out", "not"} <= set(drawings)


@pytest.mark.parametrize("vision", ["deuteranopia", "protanopia", "normal"])
def test_the_outcome_colours_of_3_1_mean_nothing_else(vision):
    """No portfolio state, status or provider is drawn in (a colour close to) voldoet, voldoet niet or onbekend."""
    styles = palette.FLAT_STYLES
    for outcome in OUTCOMES:
        colour = palette.ELIGIBILITY_COLOURS[outcome]
        assert styles[outcome].fill == colour
        for key, style in styles.items():
            if key not in OUTCOMES:
                d = distance(colour, style.fill, vision)
                assert d >= STATE_DISTANCE, (vision, outcome, key, style.fill, round(d, 1))
        for line in (palette.FOCUS_COLOUR, palette.NEAR_MISS_COLOUR, *palette.PROVIDER_PALETTE):
            assert line.upper() != colour.upper(), (outcome, line)
    for provider in palette.PROVIDER_PALETTE:  # nor is a provider's colour, and it is no other state's colour
        for outcome in OUTCOMES:
            d = distance(provider, palette.ELIGIBILITY_COLOURS[outcome], vision)
            assert d >= STATE_DISTANCE, (vision, provider, outcome, round(d, 1))
        for key, style in styles.items():
            if style.fill.upper() != "#FFFFFF":
                assert distance(provider, style.fill, "normal") >= 15, (provider, key)


@pytest.mark.parametrize("vision", ["deuteranopia", "protanopia", "normal"])
def test_filled_states_stay_apart(vision):
    """States with a coloured fill (white ones differ by their outline) are told apart by colour-blind readers."""
    filled = {k: s.fill for k, s in palette.FLAT_STYLES.items() if s.fill.upper() != "#FFFFFF"}
    for (k1, c1), (k2, c2) in itertools.combinations(filled.items(), 2):
        assert distance(c1, c2, vision) >= STATE_DISTANCE, (vision, k1, k2, round(distance(c1, c2, vision), 1))


def test_the_check_rejects_the_old_portfolio_colours():
    """The old portfolio drew 'kan worden gekozen' in orange, which a deuteranope takes for voldoet niet."""
    old_out, old_in = "#E69F00", "#0072B2"
    assert distance(old_out, palette.ELIGIBILITY_COLOURS["fail"], "deuteranopia") < STATE_DISTANCE
    assert distance(old_in, palette.ELIGIBILITY_COLOURS["pass"], "normal") < STATE_DISTANCE


def test_a_fixed_flat_is_drawn_by_its_status():
    assert palette.portfolio_style("fixed", "realised") == "realised"
    assert palette.portfolio_style("fixed", "in_development") == "in_development"
    assert palette.portfolio_style("in", "candidate") == "in"
