"""Colours and their Dutch legend labels, shared by the HTML maps and the printed figures.

One meaning per colour, on every map and figure. A flat is drawn by what it is, with the same
fill, outline and dash wherever that state is shown (:data:`FLAT_STYLES`):

- the outcome of the 3.1 screening of an open candidate (``kaart_toets``) uses the Okabe-Ito
  colours (Okabe & Ito, *Color Universal Design*, 2008), which stay apart under deuteranopia,
  protanopia and tritanopia: voldoet blue, voldoet niet vermillion (they differ in lightness as
  well as hue), onbekend a light grey that no one takes for either. These three colours mean
  the outcome of 3.1 and nothing else;
- a flat already in the programme (gerealiseerd, gekozen, in ontwikkeling) has a thick black
  outline and a dark fill: black, wine red, indigo; on the overview, the screening, the partners
  and every portfolio map alike;
- a portfolio state of one scenario: gekozen in dit scenario bluish green, kan worden gekozen
  (niet in dit scenario) yellow, kan (nog) niet worden gekozen white with a dashed grey outline;
- an open candidate on a map that does not show its outcome (the overview): white with a dark
  outline; flats a map has no class for: white with a thin light-grey outline.

Near misses have a reddish-purple dashed ring, groups a black dashed outline, focus areas a
brown dashed outline (lines, never a flat's fill); intramural sites are black squares
(shape, not colour, tells them apart). Care providers (``kaart_partners``) have a colour of
their own, none of them a state's colour, and a number on every flat, so that colour is not
the only cue. The shading of wijken by share of residents aged 65+ is a single-hue sequential
scale (ColorBrewer "Purples"), readable by everyone and in black-and-white print.

``tests/test_palette.py`` checks the distances after a deuteranopia and protanopia simulation
(Machado, Oliveira & Fernandes 2009).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AGEING_BINS",
    "AGEING_COLOURS",
    "APART_COLOUR",
    "ELIGIBILITY_COLOURS",
    "ELIGIBILITY_LABELS_NL",
    "FLAT_STYLES",
    "FOCUS_COLOUR",
    "GROUP_COLOUR",
    "NEAR_MISS_COLOUR",
    "PORTFOLIO_COLOURS",
    "PORTFOLIO_LABELS_NL",
    "PROVIDER_PALETTE",
    "SITE_COLOUR",
    "STATUS_COLOURS",
    "FlatStyle",
    "portfolio_style",
]

#: outcome of the 3.1 screening of an open candidate (Okabe-Ito blue, vermillion; light grey)
ELIGIBILITY_COLOURS = {"pass": "#0072B2", "fail": "#D55E00", "unknown": "#BBBBBB"}
ELIGIBILITY_LABELS_NL = {"pass": "Voldoet", "fail": "Voldoet niet", "unknown": "Onbekend (gegevens ontbreken)"}

#: the thick outline of a flat already in the programme (chosen, in development, realised)
APART_COLOUR = "#000000"

#: the fill of a flat already in the programme, by status, and of an open candidate (white: its
#: outcome is on the screening map): realised black, chosen wine red (Paul Tol), in development indigo
STATUS_COLOURS = {
    "candidate": "#FFFFFF",
    "chosen": "#882255",
    "in_development": "#332288",
    "realised": "#000000",
}

#: a portfolio state of one scenario: funded (bluish green), could be funded but is not in this
#: scenario (yellow), cannot be funded (white, dashed grey outline); never a colour of 3.1
PORTFOLIO_COLOURS = {
    "in": "#009E73",
    "out": "#F0E442",
    "not": "#FFFFFF",
}
PORTFOLIO_LABELS_NL = {
    "in": "Gekozen in dit scenario",
    "fixed": "Al in het programma",
    "out": "Kan worden gekozen, maar niet in dit scenario",
    "not": "Kan (nog) niet worden gekozen",
}

#: the ring around a near miss (3.1 "ongeveer 100"): reddish purple, dashed
NEAR_MISS_COLOUR = "#CC79A7"
#: the outline of a group of flats that count as one candidate
GROUP_COLOUR = "#000000"
#: masterplan / focus areas: dashed outline, brown (not the green of a flat chosen in a scenario)
FOCUS_COLOUR = "#8C510A"
#: intramural sites (nursing homes): black squares
SITE_COLOUR = "#000000"


@dataclass(frozen=True)
class FlatStyle:
    """How a flat in one state is drawn, on every map and figure.

    Attributes
    ----------
    fill, stroke : str
        The circle's fill and outline colour.
    weight : float
        The outline's width in pixels (HTML maps; the printed figures scale it).
    dash : str or None
        The outline's dash pattern (SVG/Leaflet ``dashArray``), None for a solid line.
    label_nl : str
        The state in Dutch, as the legends name it.
    """

    fill: str
    stroke: str
    weight: float
    dash: str | None
    label_nl: str


_OUTLINE = "#333333"

#: every state a flat is drawn in, by key: the 3.1 outcomes (``pass``, ``fail``, ``unknown``), the
#: statuses of the register (``candidate``, ``chosen``, ``in_development``, ``realised``), the
#: portfolio states (``in``, ``out``, ``not``; a ``fixed`` flat is drawn by its status), the
#: partner choice (``provider``: its fill is the provider's colour from :data:`PROVIDER_PALETTE`;
#: ``no_provider``; ``refused``: no consent of the corporation) and ``other`` (a flat a map has no
#: class for)
FLAT_STYLES = {
    "pass": FlatStyle(ELIGIBILITY_COLOURS["pass"], _OUTLINE, 1.5, None, "voldoet (toets 3.1)"),
    "fail": FlatStyle(ELIGIBILITY_COLOURS["fail"], _OUTLINE, 1.5, None, "voldoet niet (toets 3.1)"),
    "unknown": FlatStyle(ELIGIBILITY_COLOURS["unknown"], _OUTLINE, 1.5, None, "onbekend (toets 3.1)"),
    "candidate": FlatStyle(STATUS_COLOURS["candidate"], _OUTLINE, 1.5, None, "open kandidaat"),
    "chosen": FlatStyle(STATUS_COLOURS["chosen"], APART_COLOUR, 2.5, None, "al gekozen"),
    "in_development": FlatStyle(STATUS_COLOURS["in_development"], APART_COLOUR, 2.5, None, "in ontwikkeling"),
    "realised": FlatStyle(STATUS_COLOURS["realised"], APART_COLOUR, 2.5, None, "gerealiseerd"),
    "in": FlatStyle(PORTFOLIO_COLOURS["in"], _OUTLINE, 1.5, None, "gekozen in dit scenario"),
    "out": FlatStyle(PORTFOLIO_COLOURS["out"], _OUTLINE, 1.5, None, "kan worden gekozen, niet in dit scenario"),
    "not": FlatStyle(PORTFOLIO_COLOURS["not"], "#777777", 1.5, "2 2", "kan (nog) niet worden gekozen"),
    "provider": FlatStyle("#FFFFFF", _OUTLINE, 1.5, None, "voorkeursaanbieder (kleur en nummer van de aanbieder)"),
    "no_provider": FlatStyle("#FFFFFF", "#777777", 1.5, None, "geen voorkeursaanbieder"),
    "refused": FlatStyle("#FFFFFF", _OUTLINE, 3.5, "1 3", "geen akkoord van de corporatie"),
    "other": FlatStyle("#FFFFFF", "#AAAAAA", 1.0, None, "overige flat"),
}


def portfolio_style(outcome: str, status: str) -> str:
    """The key in :data:`FLAT_STYLES` of a candidate in a scenario: a ``fixed`` one by its status."""
    if outcome == "fixed":
        return status if status in ("chosen", "in_development", "realised") else "realised"
    return outcome if outcome in PORTFOLIO_COLOURS else "other"


#: share of residents aged 65+ per wijk: class bounds (upper, exclusive) and ColorBrewer Purples
AGEING_BINS = (0.10, 0.15, 0.20, 0.25)
AGEING_COLOURS = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")

#: one colour per care provider (Paul Tol's "light", "bright" and "muted" colours, a green, a dark
#: teal and a grey), none of them a state's colour nor one a colour-blind reader takes for an
#: outcome of 3.1 (tests/test_palette.py); each provider's flats also carry its number, so the
#: colours may repeat when there are more providers than colours
PROVIDER_PALETTE = (
    "#77AADD", "#EE8866", "#BBCC33", "#EE3377", "#99DDFF", "#EEDD88",
    "#5AAE61", "#CC6677", "#33BBEE", "#01665E", "#666666",
)  # fmt: skip
