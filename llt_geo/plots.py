"""Matplotlib figures for print: static maps and charts, in Dutch, drawn in EPSG:28992 metres."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .io import Dataset
from .maps import STATUS_COLOURS
from .schema import STATUS_LABELS_NL

__all__ = ["overview_figure"]


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
