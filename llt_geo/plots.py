"""Matplotlib figures for print: static maps and charts, in Dutch, drawn in EPSG:28992 metres."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .io import Dataset
from .maps import STATUS_COLOURS
from .schema import STATUS_LABELS_NL
from .spread import STATUS_PLURAL_NL

__all__ = ["overview_figure", "progress_chart"]


def overview_figure(dataset: Dataset, *, figsize: tuple[float, float] = (9.0, 7.5)) -> Figure:
    """A static map of the stadsdelen, focus areas and flats by status, for print.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset in EPSG:28992; drawn in RD New metres (no reprojection).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(figsize=figsize)  # not pyplot: no global state, shown once wherever it is displayed
    ax = fig.subplots()
    if len(dataset.wijken):
        dataset.wijken.boundary.plot(ax=ax, color="#bbbbbb", linewidth=0.5)
    if len(dataset.stadsdelen):
        dataset.stadsdelen.boundary.plot(ax=ax, color="#333333", linewidth=1.2)
        for _, row in dataset.stadsdelen.iterrows():
            p = row.geometry.representative_point()
            ax.annotate(
                str(row["stadsdeel_code"] if pd.isna(row["name"]) else row["name"]),
                (p.x, p.y),
                ha="center",
                fontsize=8,
                color="#333333",
            )
    if len(dataset.focus_areas):
        dataset.focus_areas.boundary.plot(ax=ax, color="#6a3d9a", linewidth=2, linestyle="--")
    for status, colour in STATUS_COLOURS.items():
        subset = dataset.flats[dataset.flats["status"] == status]
        if len(subset):
            subset.plot(ax=ax, color=colour, markersize=18, label=f"{STATUS_LABELS_NL[status]} ({len(subset)})")
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.legend(loc="lower left", title="Flats", fontsize=8)
    ax.set_title(dataset.label, fontsize=9, wrap=True)
    if len(dataset.focus_areas):
        fig.text(
            0.99,
            0.01,
            "Stippellijn: focusgebied (masterplan). Coördinaten: RD New (EPSG:28992).",
            ha="right",
            fontsize=7,
        )
    fig.tight_layout()
    return fig


def progress_chart(
    table: pd.DataFrame, *, figsize: tuple[float, float] = (8.0, 4.8), title: str | None = None
) -> Figure:
    """The progress toward the goal: realised so far, the pace extrapolated, and the goal, in Dutch.

    Parameters
    ----------
    table : DataFrame
        From :func:`llt_geo.spread.progress_table` (rows per year and its ``attrs``).
    figsize : tuple of float
        Figure size in inches.
    title : str, optional
        The title; by default the one-line summary of the table (``attrs["summary_nl"]``).

    Returns
    -------
    matplotlib.figure.Figure
        Cumulative realised flats (solid, with the number per year as bars), the linear
        extrapolation at the pace so far (dashed), the path of the required number per year
        (dotted) and the goal (a horizontal line). Drawn without pyplot and without randomness,
        so the same table gives the same figure.
    """
    a = table.attrs
    rows = table[table["year"].notna()]
    years = rows["year"].to_numpy(dtype=float)
    fig = Figure(figsize=figsize)  # not pyplot: no global state
    ax = fig.subplots()
    per_year = rows["realised"].to_numpy(dtype=float)
    done = rows["phase"].to_numpy() == "gerealiseerd"
    ax.bar(years[done], per_year[done], width=0.6, color="#c7dcef", label="gerealiseerd in het jaar")
    cum = rows["realised_cumulative"].to_numpy(dtype=float, na_value=float("nan"))
    ax.plot(years, cum, color="#2ca02c", marker="o", linewidth=2, label="gerealiseerd (cumulatief)")
    proj = rows["projected_cumulative"].to_numpy(dtype=float, na_value=float("nan"))
    pace = a.get("pace_per_year", float("nan"))
    ax.plot(
        years,
        proj,
        color="#2ca02c",
        linestyle="--",
        linewidth=1.5,
        label=f"bij het huidige tempo ({pace:.1f} per jaar)".replace(".", ","),
    )
    need = rows["required_cumulative"].to_numpy(dtype=float, na_value=float("nan"))
    if a.get("gap", 0) > 0:
        ax.plot(
            years,
            need,
            color="#d62728",
            linestyle=":",
            linewidth=1.5,
            label=f"nodig voor het doel ({a.get('required_per_year', 0)} per jaar)",
        )
    goal = a.get("goal_flats")
    goal_year = a.get("goal_year")
    if goal is not None:
        ax.axhline(goal, color="#333333", linewidth=1, label=f"doel: {goal} in {goal_year}")
    if a.get("reference_year") is not None:
        ax.axvline(a["reference_year"], color="#999999", linewidth=0.8, linestyle="-.")
    ax.set_xlabel("jaar")
    ax.set_ylabel("Lang Leven Thuisflats")
    ax.set_xticks(years)
    ax.set_xticklabels([str(int(y)) for y in years], fontsize=8)
    top = max(
        float(goal or 0), float(pd.Series(proj).max(skipna=True) or 0), float(pd.Series(cum).max(skipna=True) or 0)
    )
    ax.set_ylim(0, top * 1.1 + 1)
    ax.grid(axis="y", color="#eeeeee")
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(a.get("summary_nl", "Voortgang") if title is None else title, fontsize=9, wrap=True)
    unknown = a.get("unknown_year") or {}
    if any(unknown.values()):
        words = {s: STATUS_PLURAL_NL.get(s, (STATUS_LABELS_NL.get(s, s),) * 2) for s in unknown}
        parts = ", ".join(f"{n} {words[s][0 if n == 1 else 1]}" for s, n in unknown.items() if n)
        fig.text(0.99, 0.01, f"Zonder statusjaar (niet in de grafiek): {parts}.", ha="right", fontsize=7)
    fig.tight_layout()
    return fig
