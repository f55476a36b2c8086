"""Colours and their Dutch legend labels, shared by the HTML maps and the printed figures.

The palette is safe for colour-blind readers: the outcomes of the 3.1 screening use the
Okabe-Ito colours (Okabe & Ito, *Color Universal Design*, 2008), which stay apart under
deuteranopia, protanopia and tritanopia; voldoet (blue) and voldoet niet (vermillion) differ in
lightness as well as hue, and "onbekend" is a light grey that no one takes for either. Intramural
sites are black squares (shape, not colour, tells them apart). The shading of wijken by share of
residents aged 65+ is a single-hue sequential scale (ColorBrewer "Purples"), readable by everyone
and in black-and-white print. ``tests/test_palette.py`` checks the distances after a
deuteranopia simulation (Machado, Oliveira & Fernandes 2009).
"""

from __future__ import annotations

__all__ = [
    "AGEING_BINS",
    "AGEING_COLOURS",
    "APART_COLOUR",
    "ELIGIBILITY_COLOURS",
    "ELIGIBILITY_LABELS_NL",
    "FOCUS_COLOUR",
    "GROUP_COLOUR",
    "NEAR_MISS_COLOUR",
    "PORTFOLIO_COLOURS",
    "PROVIDER_PALETTE",
    "SITE_COLOUR",
    "STATUS_COLOURS",
]

#: outcome of the 3.1 screening of an open candidate (Okabe-Ito blue, vermillion; light grey)
ELIGIBILITY_COLOURS = {"pass": "#0072B2", "fail": "#D55E00", "unknown": "#BBBBBB"}
ELIGIBILITY_LABELS_NL = {"pass": "Voldoet", "fail": "Voldoet niet", "unknown": "Onbekend (gegevens ontbreken)"}

#: flats that are no open candidate (chosen, in development, realised): an open ring in this colour
APART_COLOUR = "#000000"

#: pipeline status of a flat (Okabe-Ito: grey, sky blue, orange, bluish green)
STATUS_COLOURS = {
    "candidate": "#999999",
    "chosen": "#56B4E9",
    "in_development": "#E69F00",
    "realised": "#009E73",
}

#: the ring around a near miss (3.1 "ongeveer 100"): reddish purple, dashed
NEAR_MISS_COLOUR = "#CC79A7"
#: the outline of a group of flats that count as one candidate
GROUP_COLOUR = "#000000"
#: masterplan / focus areas: dashed outline
FOCUS_COLOUR = "#009E73"
#: intramural sites (nursing homes): black squares
SITE_COLOUR = "#000000"

#: portfolio per scenario: chosen, fixed (already realised/chosen), fundable but out, not fundable
PORTFOLIO_COLOURS = {
    "in": "#0072B2",
    "fixed": "#009E73",
    "out": "#E69F00",
    "not": "#BBBBBB",
}

#: share of residents aged 65+ per wijk: class bounds (upper, exclusive) and ColorBrewer Purples
AGEING_BINS = (0.10, 0.15, 0.20, 0.25)
AGEING_COLOURS = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")

#: one colour per care provider (Okabe-Ito first, then Paul Tol's "muted")
PROVIDER_PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    "#F0E442", "#332288", "#117733", "#882255", "#44AA99", "#999933",
)  # fmt: skip
