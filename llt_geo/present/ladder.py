"""The budget ladder and the core index for the stuurgroep: a CSV, a chart and a sentence per flat.

Read from ``Results.ladder`` and ``Results.core`` alone (computed by :mod:`llt_geo.ladder`):
:func:`ladder_table` is ``portefeuille_budgetladder.csv`` (one row per step: from which budget, what
it spends, the flats, who enters and who leaves), :func:`ladder_svg` the chart on the index (total
suitability and number of flats against the budget, the current budget marked), and
:func:`core_sentence` the line in each dossier (*kern*, *twijfel* or *buiten*, and from which
budget the flat is in). The chart is plain SVG written here (no plotting library) so that it is the
same bytes on every machine.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from ..labels import nl_eur, nl_eur_short, nl_number

__all__ = ["CORE_WORDS_NL", "core_sentence", "core_table", "ladder_svg", "ladder_table"]

#: What the three words of the core index mean, for the legend and the docs.
CORE_WORDS_NL = {
    "kern": "in bij elke trekking van de gewichten en bij elk budget op de ladder",
    "twijfel": "soms in, soms uit",
    "buiten": "bij geen trekking en bij geen budget op de ladder in",
    "onbekend": "niet berekend",
}


def _ids(text: str) -> list[str]:
    return [x for x in str(text).split(";") if x]


def ladder_table(results) -> pd.DataFrame:
    """``portefeuille_budgetladder.csv``: per step of the ladder (English names; Dutch headers from
    :data:`llt_geo.labels.COLUMNS_NL` when written); empty without a ladder."""
    ladder = results.ladder
    columns = ["budget_from_eur", "cost_eur", "n_flats_chosen", "suitability", "flats", "enters", "leaves"]
    columns.append("current_budget")
    if ladder is None or not len(ladder.steps):
        return pd.DataFrame(columns=columns)
    steps = ladder.steps
    budget = float(results.portfolio.scenarios["basis"].config["programme"]["budget_eur"])
    budgets = steps["budget_eur"].to_numpy(dtype=float)
    current = int(np.searchsorted(budgets, budget, side="right")) - 1
    return pd.DataFrame(
        {
            "budget_from_eur": budgets.round(0).astype(np.int64),
            "cost_eur": steps["cost_eur"].to_numpy(dtype=float).round(0).astype(np.int64),
            "n_flats_chosen": steps["n_flats"].to_numpy(dtype=np.int64),
            "suitability": steps["value"].to_numpy(dtype=float).round(3),
            "flats": [", ".join(_ids(s)) for s in steps["candidates"]],
            "enters": [", ".join(_ids(s)) for s in steps["enters"]],
            "leaves": [", ".join(_ids(s)) for s in steps["leaves"]],
            "current_budget": ["ja" if k == current else "" for k in range(len(steps))],
        }
    )


def ladder_svg(results, *, width: int = 760, height: int = 260) -> str:
    """The ladder as an SVG chart: total suitability (steps) against the budget, the current budget marked."""
    ladder = results.ladder
    if ladder is None or not len(ladder.steps):
        return ""
    steps = ladder.steps
    budget = float(results.portfolio.scenarios["basis"].config["programme"]["budget_eur"])
    b = steps["budget_eur"].to_numpy(dtype=float)
    v = steps["value"].to_numpy(dtype=float)
    n = steps["n_flats"].to_numpy(dtype=int)
    left, right, top, bottom = 64, 16, 16, 44
    lo_b, hi_b = min(b[0], budget), max(b[-1], budget)
    pad = max((hi_b - lo_b) * 0.06, 50_000.0)
    lo_b, hi_b = lo_b - pad, hi_b + pad
    lo_v, hi_v = float(v.min()), float(v.max())
    span = max(hi_v - lo_v, 0.5)
    lo_v, hi_v = lo_v - 0.1 * span, hi_v + 0.1 * span

    def x(value: float) -> float:
        return round(left + (value - lo_b) / (hi_b - lo_b) * (width - left - right), 1)

    def y(value: float) -> float:
        return round(top + (hi_v - value) / (hi_v - lo_v) * (height - top - bottom), 1)

    points = []
    for k in range(len(b)):
        end = b[k + 1] if k + 1 < len(b) else hi_b
        points += [f"{x(b[k])},{y(v[k])}", f"{x(end)},{y(v[k])}"]
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='budgetladder' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-label='Budgetladder: totale geschiktheid tegen het budget'>",
        f"<rect x='{left}' y='{top}' width='{width - left - right}' height='{height - top - bottom}' fill='#fff' "
        "stroke='#999'/>",
    ]
    # ticks at a round step (a tenth of a million or more), labelled as the report writes a budget
    step = next(
        st
        for st in (100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 1e7, 1e8, 1e9)
        if (hi_b - lo_b) / st <= 8
    )
    for t in np.arange(np.ceil(lo_b / step) * step, hi_b, step):
        parts.append(
            f"<text x='{x(t)}' y='{height - bottom + 16}' font-size='11' text-anchor='middle'>"
            f"{escape(nl_eur_short(float(t)))}</text>"
        )
    for t in np.linspace(lo_v + 0.1 * span, hi_v - 0.1 * span, 3):
        parts.append(f"<text x='{left - 6}' y='{y(t) + 4}' font-size='11' text-anchor='end'>{nl_number(t, 2)}</text>")
    parts.append(
        f"<text x='{(left + width - right) / 2}' y='{height - 6}' font-size='12' text-anchor='middle'>budget</text>"
    )
    parts.append(
        f"<text x='12' y='{top + (height - top - bottom) / 2}' font-size='12' text-anchor='middle' "
        f"transform='rotate(-90 12 {top + (height - top - bottom) / 2})'>totale geschiktheid</text>"
    )
    parts.append(f"<polyline fill='none' stroke='#0072B2' stroke-width='2' points='{' '.join(points)}'/>")
    for k in range(len(b)):
        enters = ", ".join(_ids(steps["enters"].iloc[k])) or "—"
        leaves = ", ".join(_ids(steps["leaves"].iloc[k])) or "—"
        tip = f"vanaf {nl_eur(b[k], space=' ')}: {n[k]} flats, geschiktheid {nl_number(v[k], 3)}"
        tip += f"; erbij {enters}; eraf {leaves}"
        parts.append(
            f"<circle cx='{x(b[k])}' cy='{y(v[k])}' r='3.5' fill='#0072B2'><title>{escape(tip)}</title></circle>"
        )
    parts.append(
        f"<line x1='{x(budget)}' x2='{x(budget)}' y1='{top}' y2='{height - bottom}' stroke='#D55E00' "
        "stroke-width='2' stroke-dasharray='5 3'/>"
    )
    parts.append(
        f"<text x='{x(budget) + 4}' y='{top + 14}' font-size='12' fill='#D55E00'>"
        f"huidig budget {escape(nl_eur_short(budget))}</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


def core_sentence(results, candidate_id: str) -> str:
    """The dossier's line: core index and from which budget the flat is in (empty when not computed)."""
    core = results.core
    if core is None:
        return ""
    row = core.loc[core["candidate_id"].astype(str) == str(candidate_id)]
    if not len(row):
        return ""
    r = row.iloc[0]
    word = str(r["core_nl"])
    parts = [f"{word} ({CORE_WORDS_NL.get(word, '')})"]
    if pd.notna(r["core_index"]):
        parts.append(f"kernindex {nl_number(float(r['core_index']), 2)}")
    if pd.notna(r["share_weights"]):
        parts.append(f"in bij {nl_number(100 * float(r['share_weights']), 0)} % van de trekkingen van de gewichten")
    if pd.notna(r["share_ladder"]):
        parts.append(f"bij {nl_number(100 * float(r['share_ladder']), 0)} % van de budgetstappen")
    if pd.isna(r["from_eur"]):
        parts.append("bij geen budget op de ladder in")
    elif bool(r.get("stays_in", False)):
        parts.append(f"in vanaf een budget van {nl_eur(float(r['from_eur']), space=' ')}, en bij elk hoger budget")
    else:
        parts.append(
            f"voor het eerst in bij een budget van {nl_eur(float(r['from_eur']), space=' ')}, "
            "maar niet bij elk hoger budget (zie portefeuille_budgetladder.csv)"
        )
    return "; ".join(parts)


def core_table(results) -> pd.DataFrame:
    """``portefeuille_kernindex.csv``: per open candidate of the basis its core index (English names;
    Dutch headers when written)."""
    core = results.core.sort_values(["core_index", "candidate_id"], ascending=[False, True])
    return pd.DataFrame(
        {
            "candidate_id": core["candidate_id"].astype(str).to_numpy(),
            "core_index": core["core_index"].to_numpy(dtype=float).round(3),
            "core_nl": core["core_nl"].astype(str).to_numpy(),
            "share_weights": core["share_weights"].to_numpy(dtype=float).round(3),
            "share_ladder": core["share_ladder"].to_numpy(dtype=float).round(3),
            "from_eur": core["from_eur"].round(0).astype("Int64").to_numpy(),
            "stays_in": np.where(core["stays_in"].to_numpy(dtype=bool), "ja", "nee"),
        }
    )
