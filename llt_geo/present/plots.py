"""Matplotlib figures for print: static maps and charts, in Dutch, drawn in EPSG:28992 metres.

The printed counterparts of the HTML maps (:mod:`llt_geo.present.maps`) for a stuurgroep memo: the
overview (wijken by share of residents aged 65+, stadsdelen, masterplan focus areas, open
candidates by the outcome of 3.1, flats kept apart, intramural sites), one map per portfolio
scenario, the spread over the stadsdelen and the progress toward the goal. Every map has a Dutch
legend for every colour, size and symbol, a metric scale bar, a north arrow, a title and a source
line (the dataset's label with the fictional-data notice, the peildatum, llt_geo's version).

Figures are :class:`matplotlib.figure.Figure` objects (never pyplot): no global state, shown once
in a notebook whatever the backend. :func:`write_print_figures` writes each as PNG and PDF, byte
for byte the same for the same input (no dates, no software stamp, fixed rc settings).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import io
import textwrap
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from ..filenames import scenario_stems
from ..io import Dataset
from ..labels import STATUS_PLURAL_NL, describe_counts, nl_date, nl_eur, nl_int, nl_number, nl_pct
from ..results import Results
from ..schema import STATUS_LABELS_NL
from .palette import (
    AGEING_BINS,
    AGEING_COLOURS,
    ELIGIBILITY_COLOURS,
    ELIGIBILITY_LABELS_NL,
    FLAT_STYLES,
    FOCUS_COLOUR,
    GROUP_COLOUR,
    NEAR_MISS_COLOUR,
    PORTFOLIO_LABELS_NL,
    SITE_COLOUR,
    STATUS_COLOURS,
    FlatStyle,
    portfolio_style,
)

__all__ = [
    "PORTFOLIO_LABELS_NL",
    "PRINT_DPI",
    "SIZE_CLASSES",
    "overview_figure",
    "overview_print_map",
    "portfolio_print_map",
    "progress_chart",
    "spread_chart",
    "write_print_figures",
]

#: resolution of the PNG files (dots per inch): sharp on paper, small enough for the pack
PRINT_DPI = 150
#: A4 landscape, inches
A4_LANDSCAPE = (11.69, 8.27)
#: charts: the width of A4 landscape, a little over half its height
CHART_SIZE = (11.69, 6.2)

#: marker area (points²) of a flat by number of dwellings: (lower bound, area, Dutch legend label);
#: the classes of the HTML maps
SIZE_CLASSES = (
    (0, 14.0, "minder dan 50 woningen (of onbekend)"),
    (50, 26.0, "50–99 woningen"),
    (100, 42.0, "100–149 woningen"),
    (150, 62.0, "150–249 woningen"),
    (250, 88.0, "250 woningen of meer"),
)

#: the outline width in print (points) of an HTML map's outline width (pixels)
_PRINT_WIDTH = 0.4

#: rc settings every printed figure is drawn and saved with (deterministic files, searchable PDF text)
PRINT_RC = {
    "pdf.fonttype": 42,  # TrueType subset: text in the PDF can be searched and copied
    "pdf.compression": 9,
    "svg.hashsalt": "llt_geo",
    "path.simplify": True,
    "font.family": "DejaVu Sans",
    "hatch.linewidth": 0.6,
}

#: data text (the dataset's name, area, provider and focus-area names) is drawn as it is written: matplotlib
#: never reads a ``$`` in it as mathtext (a name like ``Wijk $x^2$`` would be typeset, ``a $b_$ c`` fails)
PLAIN_TEXT_RC = {"text.parse_math": False}


def _no_math(fig: Figure) -> Figure:
    """Every text of ``fig`` as it is written, never as mathtext (none of llt_geo's own text uses it).

    A wrapped text (``wrap=True``) is measured as mathtext whatever its ``parse_math`` (matplotlib 3.11):
    it carries its ``$`` escaped instead (:func:`_escaped`) and is left as it is.
    """
    for text in _texts(fig):
        if not text.get_wrap():
            text.set_parse_math(False)
    return fig


def _texts(artist) -> list[Text]:
    """Every text of ``artist`` and its children, as ``findobj(Text)`` finds them, but without the axis of
    an axes that draws none (a map's: ``set_axis_off``): asking such an axis for its children makes its
    ticks and their labels, which are never drawn (a tenth of the time of building a map)."""
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis

    found = [artist] if isinstance(artist, Text) else []
    for child in artist.get_children():
        if isinstance(child, Axis) and isinstance(artist, Axes) and not artist.axison:
            continue
        found += _texts(child)
    return found


def _escaped(text: object) -> str:
    """Text for a wrapped title: every ``$`` escaped, so matplotlib draws and measures it as a dollar sign."""
    return str(text).replace("$", r"\$")


def _plain_text(build: Callable[..., Figure]) -> Callable[..., Figure]:
    """A figure builder whose texts are plain: built under :data:`PLAIN_TEXT_RC` (texts measured while the
    figure is laid out included), then every text marked so (for a figure drawn later elsewhere)."""

    @functools.wraps(build)
    def plain(*args: Any, **kwargs: Any) -> Figure:
        with mpl.rc_context(PLAIN_TEXT_RC):
            return _no_math(build(*args, **kwargs))

    return plain


_HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]
_SIMPLIFY_M = 10.0  # 0.1 mm at 1:100.000: invisible on paper, keeps real boundaries small in a PDF
_UNKNOWN_HATCH = "////"
_LEGEND_WRAP = 48


# --------------------------------------------------------------------------------------------
# Dutch text


def _eur_nl(x: float) -> str:
    """2400000 -> "€ 2.400.000" (a plain space: matplotlib's text)."""
    return nl_eur(x, space=" ")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _peildatum_nl(dataset: Dataset) -> str:
    """ "peildatum 30 november 2026" (or the value as given, or "peildatum onbekend")."""
    value = str(getattr(dataset, "peildatum", "") or "")
    try:
        return f"peildatum {nl_date(value)}" if value else "peildatum onbekend"
    except ValueError:
        return f"peildatum {value}"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("llt_geo")
    except PackageNotFoundError:  # pragma: no cover - not installed
        from .._version import __version__

        return str(__version__ or "onbekend")


def source_line(dataset: Dataset | None, *, extra: str = "") -> str:
    """The source line at the foot of every printed figure, in Dutch.

    Parameters
    ----------
    dataset : Dataset or None
        Its label (with the fictional-data notice) and peildatum are named; without a dataset
        only the version of llt_geo.
    extra : str
        Appended, e.g. the coordinate system of a map.

    Returns
    -------
    str
        E.g. ``Bron: <label>; peildatum 30 november 2026; gemaakt met llt_geo 0.1.0``.
    """
    parts = [] if dataset is None else [f"Bron: {dataset.label}", _peildatum_nl(dataset)]
    parts.append(f"gemaakt met llt_geo {_version()}")
    if extra:
        parts.append(extra)
    return "; ".join(parts)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=False, break_on_hyphens=False)) or ""


# --------------------------------------------------------------------------------------------
# geometry to matplotlib


def _polygon_path(geom: Any) -> MplPath | None:
    """A shapely (Multi)Polygon as one compound matplotlib path (holes included); None when empty."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "Polygon":
        polygons = [geom]
    else:
        polygons = [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon" and not g.is_empty]
    vertices, codes = [], []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords, dtype=float)[:, :2]
            if len(xy) < 3:
                continue
            c = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
            c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            vertices.append(xy)
            codes.append(c)
    if not vertices:
        return None
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _area_paths(frame: Any) -> list[MplPath | None]:
    if frame is None or not len(frame):
        return []
    geoms = shapely.simplify(np.asarray(frame.geometry.to_numpy(), dtype=object), _SIMPLIFY_M, preserve_topology=True)
    return [_polygon_path(g) for g in geoms]


def _draw_areas(ax, paths: list[MplPath | None], *, facecolors: Any = "none", edgecolor: str = "#888888",
                linewidth: float = 0.5, linestyle: Any = "solid", hatch: str | None = None, zorder: float = 1,
                gid: str | None = None) -> PatchCollection | None:  # fmt: skip
    """Polygons as one collection; ``facecolors`` one colour or one per path (None paths skipped)."""
    keep = [i for i, p in enumerate(paths) if p is not None]
    if not keep:
        return None
    if not isinstance(facecolors, str):
        facecolors = [facecolors[i] for i in keep]
    coll = PatchCollection([PathPatch(paths[i]) for i in keep], facecolors=facecolors, edgecolors=edgecolor,
                           linewidths=linewidth, linestyles=linestyle, zorder=zorder)  # fmt: skip
    if hatch:
        coll.set_hatch(hatch)
    if gid:
        coll.set_gid(gid)
    ax.add_collection(coll)
    return coll


def _marker_size(n_dwellings: Any) -> np.ndarray:
    n = pd.to_numeric(pd.Series(n_dwellings), errors="coerce").fillna(0).to_numpy(dtype=float)
    bounds = np.array([lo for lo, _s, _l in SIZE_CLASSES], dtype=float)
    areas = np.array([s for _lo, s, _l in SIZE_CLASSES], dtype=float)
    return areas[np.searchsorted(bounds, n, side="right") - 1]


def _points(frame: Any) -> tuple[np.ndarray, np.ndarray]:
    geoms = np.asarray(frame.geometry.to_numpy(), dtype=object)
    return shapely.get_x(geoms).astype(float), shapely.get_y(geoms).astype(float)


def _draw_flats(ax, flats: Any, *, face: str, edge: str, linewidth: float, zorder: float, gid: str) -> list:
    """One circle per flat, area by dwellings: one collection per size class (all with ``gid``), larger
    classes below smaller ones so small circles stay visible. One size per collection lets a PDF
    draw the circle once and place it many times (a fifth smaller file than a circle per flat)."""
    if not len(flats):
        return []
    sizes = _marker_size(flats["n_dwellings"])
    order = np.argsort(flats["flat_id"].astype(str).to_numpy(), kind="stable")
    x, y = _points(flats)
    out = []
    for rank, size in enumerate(sorted(set(sizes.tolist()), reverse=True)):
        pick = order[sizes[order] == size]
        coll = ax.scatter(x[pick], y[pick], s=size, c=face, edgecolors=edge, linewidths=linewidth,
                          zorder=zorder + 0.01 * rank)  # fmt: skip
        coll.set_gid(gid)
        out.append(coll)
    return out


# --------------------------------------------------------------------------------------------
# map furniture: extent, stadsdelen, wijken, focus areas, groups, scale bar, north arrow, legends


def _map_axes(fig: Figure, dataset: Dataset, screening: Any):
    """The map's axes (left two thirds of the page), extent set from the stadsdelen and flats."""
    ax = fig.add_axes((0.012, 0.075, 0.665, 0.80))
    frames = [f for f in (dataset.stadsdelen, screening.flats if screening is not None else dataset.flats) if len(f)]
    bounds = np.array([f.total_bounds for f in frames], dtype=float)
    x0, y0 = np.nanmin(bounds[:, 0]), np.nanmin(bounds[:, 1])
    x1, y1 = np.nanmax(bounds[:, 2]), np.nanmax(bounds[:, 3])
    pad = 0.03 * max(x1 - x0, y1 - y0, 1000.0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - 2.5 * pad, y1 + pad)  # room for the scale bar below the city
    ax.set_aspect("equal", adjustable="box", anchor="NW")
    ax.set_axis_off()
    return ax


def _wijk_shares(dataset: Dataset) -> np.ndarray:
    w = dataset.wijken
    if w is None or not len(w) or "residents_65plus" not in w or "residents_total" not in w:
        return np.full(0 if w is None else len(w), np.nan)
    old = pd.to_numeric(w["residents_65plus"], errors="coerce").to_numpy(dtype=float)
    total = pd.to_numeric(w["residents_total"], errors="coerce").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, old / total, np.nan)
    return share


def _ageing_labels() -> list[str]:
    bounds = [round(100 * b) for b in AGEING_BINS]
    labels = [f"minder dan {bounds[0]} %"]
    labels += [f"{lo}–{hi} %" for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    return [*labels, f"{bounds[-1]} % of meer"]


def _draw_wijken(ax, dataset: Dataset, *, shade: bool) -> list[tuple[Any, str]]:
    """Wijken shaded by share 65+ (unknown: white, hatched), or only outlined; the legend rows."""
    paths = _area_paths(dataset.wijken)
    if not paths:
        return []
    if not shade:
        _draw_areas(ax, paths, facecolors="#ffffff", edgecolor="#c8c8c8", linewidth=0.4, zorder=1, gid="llt-wijken")
        return [(Line2D([], [], color="#c8c8c8", linewidth=0.8), "grens van een wijk")]
    share = _wijk_shares(dataset)
    known = ~np.isnan(share)
    cls = np.searchsorted(np.asarray(AGEING_BINS), np.where(known, share, 0.0), side="right")
    faces = [AGEING_COLOURS[k] for k in cls]
    _draw_areas(ax, [p if k else None for p, k in zip(paths, known, strict=True)], facecolors=faces,
                edgecolor="#9a9a9a", linewidth=0.4, zorder=1, gid="llt-wijken")  # fmt: skip
    _draw_areas(ax, [p if not k else None for p, k in zip(paths, known, strict=True)], facecolors="#ffffff",
                edgecolor="#9a9a9a", linewidth=0.4, hatch=_UNKNOWN_HATCH, zorder=1,
                gid="llt-wijken-onbekend")  # fmt: skip
    rows = [(Patch(facecolor=c, edgecolor="#9a9a9a", linewidth=0.5), t)
            for c, t in zip(AGEING_COLOURS, _ageing_labels(), strict=True)]  # fmt: skip
    n_unknown = int((~known).sum())
    unknown = "onbekend (geen bevolkingscijfers)" + (f": {_plural(n_unknown, 'wijk', 'wijken')}" if n_unknown else "")
    rows.append((Patch(facecolor="#ffffff", edgecolor="#9a9a9a", linewidth=0.5, hatch=_UNKNOWN_HATCH), unknown))
    return rows


def _stadsdeel_names(dataset: Dataset) -> dict[str, str]:
    sd = dataset.stadsdelen
    if sd is None or not len(sd):
        return {}
    names = sd["name"] if "name" in sd else pd.Series([pd.NA] * len(sd), index=sd.index)
    return {str(c): (str(c) if _missing(n) else str(n)) for c, n in zip(sd["stadsdeel_code"], names, strict=True)}


def _draw_stadsdelen(ax, dataset: Dataset, *, fill: str | None = None) -> list[tuple[Any, str]]:
    sd = dataset.stadsdelen
    paths = _area_paths(sd)
    if not paths:
        return []
    if fill:
        _draw_areas(ax, paths, facecolors=fill, edgecolor="none", linewidth=0, zorder=0.5)
    _draw_areas(ax, paths, facecolors="none", edgecolor="#333333", linewidth=1.3, zorder=3, gid="llt-stadsdelen")
    names = _stadsdeel_names(dataset)
    points = sd.geometry.representative_point()
    for code, p in sorted(zip(sd["stadsdeel_code"].astype(str), points, strict=True)):
        ax.text(p.x, p.y, names.get(code, code), ha="center", va="center", fontsize=8.5, fontweight="bold",
                color="#222222", zorder=8, path_effects=_HALO, gid="llt-stadsdeel-naam")  # fmt: skip
    return [(Line2D([], [], color="#333333", linewidth=1.6), "grens van een stadsdeel (met naam)")]


def _draw_focus(ax, dataset: Dataset) -> list[tuple[Any, str]]:
    fa = dataset.focus_areas
    paths = _area_paths(fa)
    if not paths:
        return []
    _draw_areas(ax, paths, facecolors="none", edgecolor=FOCUS_COLOUR, linewidth=2.0, linestyle=(0, (5, 3)),
                zorder=4, gid="llt-focus")  # fmt: skip
    names = ", ".join(sorted({str(n) for n in fa["name"] if not _missing(n)})) if "name" in fa else ""
    label = "focusgebied (masterplan), gestreepte rand" + (f": {names}" if names else "")
    return [(Line2D([], [], color=FOCUS_COLOUR, linewidth=2.0, linestyle=(0, (5, 3))), label)]


def _draw_groups(ax, screening: Any) -> list[tuple[Any, str]]:
    """A dashed outline around the flats of each group that counts as one candidate."""
    cands = screening.candidates
    if "is_group" not in cands:
        return []
    ids = sorted(cands.loc[cands["is_group"].astype(bool), "candidate_id"].astype(str))
    if not ids:
        return []
    flats = screening.flats
    cid = flats["candidate_id"].astype(str)
    hulls = [flats.geometry[cid == g].union_all().convex_hull.buffer(40.0, quad_segs=4) for g in ids]
    _draw_areas(ax, [_polygon_path(h) for h in hulls], facecolors="none", edgecolor=GROUP_COLOUR, linewidth=0.8,
                linestyle=(0, (2, 2)), zorder=5, gid="llt-groepen")  # fmt: skip
    return [(Line2D([], [], color=GROUP_COLOUR, linewidth=0.8, linestyle=(0, (2, 2))),
             f"gestippelde lijn: groep flats die samen één kandidaat is ({len(ids)} groepen)")]  # fmt: skip


def _draw_sites(ax, dataset: Dataset) -> list[tuple[Any, str]]:
    sites = dataset.intramural_sites
    if sites is None or not len(sites):
        return []
    sites = sites.sort_values("site_id") if "site_id" in sites else sites
    x, y = _points(sites)
    coll = ax.scatter(x, y, s=16, marker="s", c=SITE_COLOUR, edgecolors="white", linewidths=0.5, zorder=6)
    coll.set_gid("llt-sites")
    square = Line2D([], [], marker="s", linestyle="none", markersize=4.5, markerfacecolor=SITE_COLOUR,
                    markeredgecolor="white")  # fmt: skip
    return [(square, f"intramurale locatie (verpleeghuis), zwart vierkantje ({len(sites)})")]


def _size_rows() -> list[tuple[Any, str]]:
    return [(_circle("#ffffff", size=s), label) for _lo, s, label in SIZE_CLASSES]


def _circle(face: str, edge: str = "#333333", width: float = 0.8, *, size: float = SIZE_CLASSES[2][1]) -> Line2D:
    """A legend handle: a circle of the same area (points²) as on the map."""
    return Line2D([], [], marker="o", linestyle="none", markersize=float(np.sqrt(size)), markerfacecolor=face,
                  markeredgecolor=edge, markeredgewidth=width)  # fmt: skip


def _style_circle(style: FlatStyle) -> Line2D:
    """A legend handle for a flat in one state (:data:`llt_geo.present.palette.FLAT_STYLES`), as on the map."""
    return _circle(style.fill, style.stroke, style.weight * _PRINT_WIDTH * 1.5)


def _draw_styled(ax, flats: Any, style: FlatStyle, *, zorder: float, gid: str) -> list:
    """The flats in one state, drawn as :data:`llt_geo.present.palette.FLAT_STYLES` says (every map alike)."""
    colls = _draw_flats(ax, flats, face=style.fill, edge=style.stroke, linewidth=style.weight * _PRINT_WIDTH,
                        zorder=zorder, gid=gid)  # fmt: skip
    if style.dash:
        for coll in colls:
            coll.set_linestyle((0, tuple(float(v) for v in style.dash.split())))
    return colls


def _nice_length(width_m: float) -> float:
    """The longest 1-2-2,5-5 × 10^k metres that is at most a fifth of the map's width."""
    target = max(width_m / 5.0, 1.0)
    best = 1.0
    for exp in range(0, 7):
        for m in (1.0, 2.0, 2.5, 5.0):
            if m * 10**exp <= target:
                best = m * 10**exp
    return best


def _num_nl(x: float) -> str:
    return (f"{x:g}").replace(".", ",")


def _scale_bar(ax) -> float:
    """A two-segment metric scale bar at the lower left of the map: "0 2,5 5 km"; returns its length (m)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    width, height = x1 - x0, y1 - y0
    length = _nice_length(width)
    km = length >= 1000
    unit, div = ("km", 1000.0) if km else ("m", 1.0)
    bx, by, bh = x0 + 0.02 * width, y0 + 0.035 * height, 0.012 * height
    ax.add_patch(Rectangle((bx - 0.01 * width, by - 0.02 * height), length + 0.05 * width, 0.085 * height,
                           facecolor="white", edgecolor="none", alpha=0.85, zorder=9))  # fmt: skip
    for i in range(4):
        face = "#222222" if i % 2 == 0 else "white"
        ax.add_patch(Rectangle((bx + i * length / 4, by), length / 4, bh, facecolor=face, edgecolor="#222222",
                               linewidth=0.7, zorder=10))  # fmt: skip
    for value in (0.0, length / 2, length):
        text = _num_nl(value / div) + (f" {unit}" if value == length else "")
        ax.text(bx + value, by + bh + 0.008 * height, text, ha="center", va="bottom", fontsize=7.5, zorder=11,
                gid="llt-scale")  # fmt: skip
    return length


def _north_arrow(ax) -> None:
    ax.annotate("N", xy=(0.975, 0.985), xytext=(0.975, 0.905), xycoords="axes fraction", ha="center", va="center",
                fontsize=10, fontweight="bold", zorder=11, gid="llt-north",
                arrowprops={"arrowstyle": "-|>", "color": "#222222", "linewidth": 1.2})  # fmt: skip


def _legend_rows(rows: Iterable[tuple[Any, str]]) -> tuple[list[Any], list[str]]:
    rows = list(rows)
    return [h for h, _t in rows], [_wrap(t, _LEGEND_WRAP) for _t_h, t in rows]


def _stack_legends(fig: Figure, sections: list[tuple[str, list[tuple[Any, str]]]], *, left: float = 0.695,
                   top: float = 0.875, bottom: float = 0.075) -> list[Legend]:  # fmt: skip
    """One legend per section, stacked from ``top`` down on the right of the page (measured, not guessed).

    When the stack would run below ``bottom`` it is drawn again with smaller text.
    """
    legends: list[Legend] = []
    for scale in (1.0, 0.85, 0.72):
        for leg in legends:
            leg.remove()
        legends, y = [], top
        for title, rows in sections:
            if not rows:
                continue
            handles, labels = _legend_rows(rows)
            leg = fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(left, y), title=title,
                             alignment="left", fontsize=7.2 * scale, title_fontsize=7.8 * scale, frameon=False,
                             borderaxespad=0.0, borderpad=0.2, labelspacing=0.35 * scale, handlelength=2.2,
                             handletextpad=0.6)  # fmt: skip
            leg.get_title().set_fontweight("bold")
            legends.append(leg)
            y -= leg.get_window_extent().height / fig.bbox.height + 0.008 * scale
        if y >= bottom:
            break
    return legends


def _titles(fig: Figure, title: str, subtitle: str = "") -> None:
    fig.text(0.012, 0.975, title, ha="left", va="top", fontsize=13, fontweight="bold", gid="llt-title")
    if subtitle:
        fig.text(0.012, 0.937, _wrap(subtitle, 165), ha="left", va="top", fontsize=8.3, color="#333333",
                 gid="llt-subtitle", linespacing=1.3)  # fmt: skip


def _source(fig: Figure, dataset: Dataset | None, *, extra: str = "", width: int = 190) -> None:
    fig.text(0.012, 0.008, _wrap(source_line(dataset, extra=extra), width), ha="left", va="bottom", fontsize=6.5,
             color="#444444", gid="llt-source", linespacing=1.25)  # fmt: skip


_MAP_CRS_NOTE = "kaart in RD New (EPSG:28992), noorden boven; gebiedsgrenzen vereenvoudigd op 10 m"


# --------------------------------------------------------------------------------------------
# the maps


@_plain_text
def overview_print_map(dataset: Dataset, results: Results, *, figsize: tuple[float, float] = A4_LANDSCAPE) -> Figure:
    """The overview map for print: wijken by share 65+, stadsdelen, focus areas, candidates, sites.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (EPSG:28992; drawn in RD New metres, no reprojection).
    results : Results
        From :func:`llt_geo.run` on this dataset (the screening alone will do): its screening's
        ``candidates`` (``eligibility``, ``open_candidate``, ``status``) and ``flats``.
    figsize : tuple of float
        Inches; A4 landscape by default.

    Returns
    -------
    matplotlib.figure.Figure
        Wijken shaded by ``residents_65plus / residents_total`` in the classes of
        :data:`llt_geo.present.palette.AGEING_BINS` (unknown: white, hatched); stadsdelen outlined and
        named; masterplan focus areas dashed; groups outlined; open candidates coloured by the
        outcome of 3.1 (a group's flats each drawn in its colour), near misses ringed; flats that
        are no open candidate (chosen, in development, realised) as open rings, apart; intramural
        sites as black squares; circle area by dwellings. A Dutch legend for every symbol, a
        metric scale bar, a north arrow, a title and the source line. Collections and texts carry
        a ``gid`` (``llt-flats-pass``, ``llt-scale``, ``llt-source``, ...) so tests can find them.
    """
    screening = results.screening
    fig = Figure(figsize=figsize)
    ax = _map_axes(fig, dataset, screening)
    ageing_rows = _draw_wijken(ax, dataset, shade=True)
    area_rows = _draw_stadsdelen(ax, dataset)
    area_rows += _draw_focus(ax, dataset)
    area_rows += _draw_groups(ax, screening)

    cands = screening.candidates
    flats = screening.flats.sort_values("flat_id", kind="stable")
    is_open = cands["open_candidate"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    outcome = cands["eligibility"].astype(str).to_numpy()
    status = cands["status"].astype(str).to_numpy()
    cid = cands["candidate_id"].astype(str).to_numpy()
    flat_cid = flats["candidate_id"].astype(str)
    outcome_rows, apart_rows = [], []
    for key in ("pass", "unknown", "fail"):
        ids = set(cid[is_open & (outcome == key)])
        subset = flats[flat_cid.isin(ids)]
        if not len(subset):
            continue
        _draw_styled(ax, subset, FLAT_STYLES[key], zorder=7, gid=f"llt-flats-{key}")
        count = f"{_plural(len(ids), 'open kandidaat', 'open kandidaten')} = {_plural(len(subset), 'flat', 'flats')}"
        outcome_rows.append((_style_circle(FLAT_STYLES[key]), f"{ELIGIBILITY_LABELS_NL[key]} ({count})"))
    for key in STATUS_LABELS_NL:
        ids = set(cid[~is_open & (status == key)])
        subset = flats[flat_cid.isin(ids)]
        if not len(subset):
            continue
        _draw_styled(ax, subset, FLAT_STYLES[key], zorder=7, gid=f"llt-flats-{key}")
        apart_rows.append((_style_circle(FLAT_STYLES[key]),
                           f"{STATUS_LABELS_NL[key].capitalize()}: geen open kandidaat, apart "
                           f"({_plural(len(subset), 'flat', 'flats')})"))  # fmt: skip
    near_rows = _draw_near_misses(ax, screening, flats)
    site_rows = _draw_sites(ax, dataset)
    _scale_bar(ax)
    _north_arrow(ax)
    sections = [
        ("Toets 3.1 per open kandidaat (kleur)", outcome_rows + near_rows),
        ("Al in het programma, apart: geen open kandidaat (dikke zwarte rand)", apart_rows),
        ("Grootte van een cirkel: woningen in de flat", _size_rows()),
        ("Zorg", site_rows),
        ("Wijken: aandeel inwoners van 65 jaar en ouder", ageing_rows),
        ("Gebieden", area_rows),
    ]
    _stack_legends(fig, sections)
    _titles(
        fig,
        "Lang Leven Thuisflats — overzicht: kandidaten, wijken naar aandeel 65+, focusgebieden",
        f"Toets geschiktheid (3.1): {describe_counts(screening.counts, outcomes=True)}. "
        f"{_peildatum_nl(dataset).capitalize()}.",
    )
    _source(fig, dataset, extra=_MAP_CRS_NOTE)
    return fig


def _draw_near_misses(ax, screening: Any, flats: Any) -> list[tuple[Any, str]]:
    crit = screening.criteria
    if crit is None or "near_miss" not in crit:
        return []
    near = crit[crit["near_miss"].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    open_ids = set(screening.candidates.loc[screening.candidates["open_candidate"].astype(bool), "candidate_id"])
    ids = set(near["candidate_id"].astype(str)) & {str(c) for c in open_ids}
    subset = flats[flats["candidate_id"].astype(str).isin(ids)]
    if not len(subset):
        return []
    x, y = _points(subset)
    sizes = (np.sqrt(_marker_size(subset["n_dwellings"])) + 5.0) ** 2
    coll = ax.scatter(x, y, s=sizes, facecolors="none", edgecolors=NEAR_MISS_COLOUR, linewidths=1.3,
                      linestyles=(0, (2, 1.5)), zorder=6.5)  # fmt: skip
    coll.set_gid("llt-near-miss")
    ring = Line2D([], [], marker="o", linestyle="none", markersize=float(np.sqrt(SIZE_CLASSES[2][1])) + 5,
                  markerfacecolor="none", markeredgecolor=NEAR_MISS_COLOUR, markeredgewidth=1.3)  # fmt: skip
    count = _plural(len(ids), "kandidaat", "kandidaten")
    return [(ring, f"roze gestreepte ring: mist een criterium net (bijna voldoende; {count})")]


def scenario_kinds(results: Results, name: str) -> dict[str, str]:
    """Per candidate id its class in a portfolio scenario: ``in``, ``fixed``, ``out`` or ``not``.

    The outcome of each candidate in the scenario's decision (:attr:`Results.decisions`), for the
    candidates that have flats: already realised, chosen or in development (``fixed``), chosen in
    this scenario (``in``), fundable but not chosen (``out``), and any other candidate the scenario
    gives a reason for (``not``). Candidates in none of these are absent.
    """
    table = results.decisions[name].flats.set_index("candidate_id")["outcome"]
    ids = sorted(results.screening.flats["candidate_id"].astype(str).unique())
    return {cid: str(table[cid]) for cid in ids if cid in table.index}


@_plain_text
def portfolio_print_map(dataset: Dataset, results: Results, name: str, *,
                        figsize: tuple[float, float] = A4_LANDSCAPE) -> Figure:  # fmt: skip
    """One portfolio scenario for print: chosen, already counted, could be chosen, cannot be chosen.

    Parameters
    ----------
    dataset : Dataset
        The loaded dataset (EPSG:28992).
    results : Results
        From :func:`llt_geo.run`; the map draws ``results.decisions[name]``.
    name : str
        The scenario's name, for the title.
    figsize : tuple of float
        Inches; A4 landscape by default.

    Returns
    -------
    matplotlib.figure.Figure
        The flats drawn as :data:`llt_geo.present.palette.FLAT_STYLES` by :func:`scenario_kinds` (a
        flat already in the programme by its status, as on every other map), other
        flats light grey; stadsdelen, wijken (outlined), focus areas and groups; a Dutch legend
        with the count per class, the scale bar, a north arrow, and a title with the scenario,
        the number chosen and the cost (``€ 2.400.000``) and the budget. An infeasible scenario
        gives the map with "niet haalbaar" and the explanation in the title instead.
    """
    screening, decision = results.screening, results.decisions[name]
    fig = Figure(figsize=figsize)
    ax = _map_axes(fig, dataset, screening)
    wijk_rows = _draw_wijken(ax, dataset, shade=False)
    area_rows = _draw_stadsdelen(ax, dataset, fill="#fbfaf4") + wijk_rows
    area_rows += _draw_focus(ax, dataset)
    area_rows += _draw_groups(ax, screening)
    flats = screening.flats.sort_values("flat_id", kind="stable")
    flat_cid = flats["candidate_id"].astype(str)
    kind = scenario_kinds(results, name)
    rows = []
    drawn = np.zeros(len(flats), dtype=bool)
    for k, label in PORTFOLIO_LABELS_NL.items():
        ids = {c for c, v in kind.items() if v == k}
        mask = flat_cid.isin(ids).to_numpy()
        if not mask.any():
            if k == "in":  # say so, rather than leave the class out of the legend
                why = "niet haalbaar" if decision.status == "infeasible" else "geen"
                rows.append((_style_circle(FLAT_STYLES[k]), f"{label}: geen ({why})"))
            continue
        drawn |= mask
        zorder = 7 if k in ("in", "fixed") else 6.8
        if k != "fixed":
            _draw_styled(ax, flats[mask], FLAT_STYLES[k], zorder=zorder, gid=f"llt-flats-{k}")
            count = f"{_plural(len(ids), 'kandidaat', 'kandidaten')} = {_plural(int(mask.sum()), 'flat', 'flats')}"
            rows.append((_style_circle(FLAT_STYLES[k]), f"{label} ({count})"))
            continue
        # flats already in the programme: by their status, drawn as on every other map
        fixed = flats[mask]
        for status in ("realised", "chosen", "in_development"):
            part = fixed[[portfolio_style("fixed", str(v)) == status for v in fixed["status"]]]
            if len(part):
                _draw_styled(ax, part, FLAT_STYLES[status], zorder=zorder, gid="llt-flats-fixed")
                n = _plural(len(part), "flat", "flats")
                rows.append((_style_circle(FLAT_STYLES[status]), f"{label}: {FLAT_STYLES[status].label_nl} ({n})"))
    if (~drawn).any():
        _draw_styled(ax, flats[~drawn], FLAT_STYLES["other"], zorder=6.5, gid="llt-flats-other")
        rows.append((_style_circle(FLAT_STYLES["other"]), f"overige flats ({int((~drawn).sum())})"))
    _scale_bar(ax)
    _north_arrow(ax)
    budget = decision.budget_eur
    n = len(decision.funded)
    cost = float(np.nansum(decision.funded["cost"].to_numpy(dtype=float))) if n else 0.0
    if decision.status == "infeasible":
        title = f"Portefeuille, scenario '{name}': niet haalbaar"
        subtitle = str(decision.explanation or "Geen portefeuille mogelijk binnen de regels.")
        subtitle += f" Budget {_eur_nl(budget)}."
    else:
        word = "kandidaat" if n == 1 else "kandidaten"
        title = f"Portefeuille, scenario '{name}': {n} {word} gekozen, kosten {_eur_nl(cost)}"
        status = decision.status
        how = "optimaal, exact berekend" if status == "optimal" else f"{status}: beste gevonden oplossing"
        fixed_n = sum(v == "fixed" for v in kind.values())
        subtitle = (f"Budget {_eur_nl(budget)} ({how}). Samen met {fixed_n} al gerealiseerde, gekozen of in "
                    f"ontwikkeling zijnde flats: {n + fixed_n} Lang Leven Thuisflats.")  # fmt: skip
    subtitle += f" {_peildatum_nl(dataset).capitalize()}."
    sections = [
        (f"Portefeuille, scenario '{name}' (kleur)", rows),
        ("Grootte van een cirkel: woningen in de flat", _size_rows()),
        ("Gebieden", area_rows),
    ]
    _stack_legends(fig, sections)
    _titles(fig, title, subtitle)
    _source(fig, dataset, extra=_MAP_CRS_NOTE)
    return fig


# --------------------------------------------------------------------------------------------
# the charts


@_plain_text
def spread_chart(report: Any, *, dataset: Dataset | None = None, figsize: tuple[float, float] = CHART_SIZE) -> Figure:
    """Lang Leven Thuisflats and open candidates per stadsdeel, beside the residents aged 65+.

    Parameters
    ----------
    report : Spread
        From :func:`llt_geo.spread.spread_report` (its ``stadsdelen`` table, coverage and
        dissimilarity).
    dataset : Dataset, optional
        For the source line (label with the fictional-data notice, peildatum).
    figsize : tuple of float
        Inches.

    Returns
    -------
    matplotlib.figure.Figure
        Left: per stadsdeel the flats realised, chosen and in development (stacked), then the
        open candidates that pass 3.1 and the other open candidates. Right: the stadsdeel's share
        of the Lang Leven Thuisflats beside its share of the city's residents aged 65+, with the
        number of residents 65+. Title with coverage and Duncan's D; source line.
    """
    t = report.stadsdelen.reset_index(drop=True)
    codes = t["stadsdeel_code"].astype(str)
    names = [f"{c if _missing(n) else n} ({c})" for c, n in zip(codes, t.get("name", codes), strict=True)]
    y = np.arange(len(t), dtype=float)
    fig = Figure(figsize=figsize)
    ax1, ax2 = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1.1, 1.0]})

    def col(name: str) -> np.ndarray:
        if name not in t:
            return np.zeros(len(t))
        return pd.to_numeric(t[name], errors="coerce").fillna(0).to_numpy(dtype=float)

    left = np.zeros(len(t))
    parts = [
        ("realised", STATUS_COLOURS["realised"], "gerealiseerd"),
        ("chosen", STATUS_COLOURS["chosen"], "gekozen"),
        ("in_development", STATUS_COLOURS["in_development"], "in ontwikkeling"),
    ]
    for key, colour, label in parts:
        v = col(key)
        ax1.barh(y, v, left=left, height=0.62, color=colour, edgecolor="#333333", linewidth=0.5, label=label)
        left += v
    open_pass = col("open_pass")
    open_other = np.maximum(col("open_candidates") - open_pass, 0)
    gap = left + 0.0
    ax1.barh(y, open_pass, left=gap, height=0.62, color="#ffffff", edgecolor=ELIGIBILITY_COLOURS["pass"],
             linewidth=0.8, hatch="////", label="open kandidaat, voldoet (3.1)")  # fmt: skip
    ax1.barh(y, open_other, left=gap + open_pass, height=0.62, color="#ffffff", edgecolor="#777777", linewidth=0.5,
             hatch="....", label="open kandidaat, voldoet niet of onbekend")  # fmt: skip
    for yi, a, b in zip(y, left, open_pass + open_other, strict=True):
        ax1.text(a + b + 0.3, yi, f"{int(a)} + {int(b)} open", va="center", fontsize=7, color="#333333")
    ax1.set_yticks(y, names, fontsize=8)
    ax1.invert_yaxis()
    ax1.set_xlabel("aantal (een groep flats telt als één)", fontsize=8)
    ax1.set_title("Lang Leven Thuisflats en open kandidaten", fontsize=9.5, fontweight="bold", loc="left")
    ax1.set_xlim(0, max(float((left + open_pass + open_other).max()) * 1.15 + 1, 5))
    ax1.legend(loc="upper left", bbox_to_anchor=(0.0, -0.1), ncol=2, fontsize=7, frameon=False)

    share_f = col("share_flats")
    share_r = col("share_65plus")
    ax2.barh(y - 0.17, 100 * share_f, height=0.32, color="#777777", edgecolor="#333333",
             linewidth=0.5, label="aandeel van de Lang Leven Thuisflats")  # fmt: skip
    ax2.barh(y + 0.17, 100 * share_r, height=0.32, color=AGEING_COLOURS[3], edgecolor="#333333", linewidth=0.5,
             label="aandeel van de inwoners 65+")  # fmt: skip
    # a stadsdeel whose 65+ figure is unknown (a wijk without figures) has no bar and says so: never 0
    known = (
        pd.to_numeric(t["residents_65plus"], errors="coerce").notna().to_numpy()
        if "residents_65plus" in t
        else np.zeros(len(t), dtype=bool)
    )
    residents = col("residents_65plus")
    for yi, s, n, k in zip(y, share_r, residents, known, strict=True):
        label = f"{nl_int(n)} inwoners 65+" if k else "inwoners 65+ onbekend"
        ax2.text(100 * s + 0.4, yi + 0.17, label, va="center", fontsize=6.8, color="#333333")
    ax2.set_xlabel("procent van de stad", fontsize=8)
    ax2.set_title("Spreiding: flats tegenover inwoners 65+", fontsize=9.5, fontweight="bold", loc="left")
    ax2.set_xlim(0, max(float(max(share_f.max(initial=0), share_r.max(initial=0))) * 100 * 1.45, 5))
    ax2.legend(loc="upper left", bbox_to_anchor=(0.0, -0.1), ncol=2, fontsize=7, frameon=False)
    for ax in (ax1, ax2):
        ax.grid(axis="x", color="#eeeeee")
        ax.set_axisbelow(True)
        ax.tick_params(labelsize=7.5)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    dist = nl_number(report.distance_m)
    dis = "onbekend" if _missing(report.dissimilarity) else f"{report.dissimilarity:.2f}".replace(".", ",")
    cov = "onbekend" if _missing(report.coverage) else nl_pct(report.coverage, 1)
    notes = [
        f"Dekking: {cov} van de inwoners 65+ woont binnen {dist} m (hemelsbreed) van een Lang Leven Thuisflat; "
        f"ongelijkheidsindex van Duncan D = {dis} (0 = gespreid zoals de 65-plussers, 1 = geheel apart).",
        f"Gemeten: {report.selection_nl}.",
        *[f"{n}." for n in getattr(report, "notes", [])],
    ]
    if dataset is not None:
        notes.append(f"{_peildatum_nl(dataset).capitalize()}.")
    _titles(fig, "Lang Leven Thuisflats: spreiding over de stadsdelen", " ".join(notes))
    _source(fig, dataset, width=200)
    fig.subplots_adjust(left=0.13, right=0.985, top=0.80, bottom=0.2, wspace=0.08)
    return fig


@_plain_text
def progress_chart(
    table: pd.DataFrame,
    *,
    figsize: tuple[float, float] = (8.0, 4.8),
    title: str | None = None,
    dataset: Dataset | None = None,
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
    dataset : Dataset, optional
        When given, a source line (label, peildatum, llt_geo version) at the foot, for print.

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
    ax.set_title(_escaped(a.get("summary_nl", "Voortgang") if title is None else title), fontsize=9, wrap=True,
                 parse_math=True)  # fmt: skip
    unknown = a.get("unknown_year") or {}
    foot = 0.01
    if dataset is not None:  # the source line at the foot, the note on flats without a year above it
        width = int(17 * figsize[0])
        _source(fig, dataset, width=width)
        n_lines = len(_wrap(source_line(dataset), width).splitlines())
        foot = 0.01 + n_lines * 6.5 * 1.25 / 72 / figsize[1] + 0.005
    if any(unknown.values()):
        words = {s: STATUS_PLURAL_NL.get(s, (STATUS_LABELS_NL.get(s, s),) * 2) for s in unknown}
        parts = ", ".join(f"{n} {words[s][0 if n == 1 else 1]}" for s, n in unknown.items() if n)
        fig.text(0.99, foot, f"Zonder statusjaar (niet in de grafiek): {parts}.", ha="right", fontsize=7)
    if dataset is None:
        fig.tight_layout()
    else:
        fig.tight_layout(rect=(0, foot + 0.03, 1, 1))
    return fig


@_plain_text
def overview_figure(dataset: Dataset, *, figsize: tuple[float, float] = (9.0, 7.5)) -> Figure:
    """A quick static map of the stadsdelen, focus areas and flats by status (notebooks).

    For print use :func:`overview_print_map`, which adds the wijken by share 65+, the outcome of
    the screening, a legend for every symbol, a scale bar and the source line.

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
        dataset.focus_areas.boundary.plot(ax=ax, color=FOCUS_COLOUR, linewidth=2, linestyle="--")
    for status in STATUS_COLOURS:
        subset = dataset.flats[dataset.flats["status"] == status]
        style = FLAT_STYLES[status]
        if len(subset):
            subset.plot(ax=ax, color=style.fill, edgecolor=style.stroke, linewidth=style.weight * _PRINT_WIDTH,
                        markersize=18, label=f"{STATUS_LABELS_NL[status]} ({len(subset)})")  # fmt: skip
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.legend(loc="lower left", title="Flats", fontsize=8)
    ax.set_title(_escaped(dataset.label), fontsize=9, wrap=True, parse_math=True)
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


# --------------------------------------------------------------------------------------------
# writing the files


def _png_bytes(fig: Figure, *, dpi: int = PRINT_DPI, colours: int = 256) -> bytes:
    """The figure as an indexed PNG: the ``colours`` most frequent exact colours, each pixel mapped to the nearest.

    The figures are flat colours plus anti-aliased edges, so every colour of the palette (areas,
    circles, legend swatches, white) survives exactly and only edge pixels move to the nearest
    shade kept; the file is about a third of a true-colour PNG. Deterministic: ties are broken by
    the colour itself, no dithering, no metadata but the resolution.

    The pixels come straight from the renderer (no true-colour PNG written and read back), the colours
    are counted once and every pixel finds its palette entry in a lookup table of all 2^24 colours.
    """
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="rgba", dpi=dpi)  # the renderer's pixels, as savefig(format="png") encodes them
    width, height = (int(v) for v in fig.get_size_inches() * dpi)
    raw = np.frombuffer(buf.getbuffer(), dtype=np.uint8)
    if raw.size != width * height * 4:  # pragma: no cover - a figure saved at another size: read the PNG
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=dpi, metadata={"Software": None})
        rgba = np.asarray(Image.open(io.BytesIO(png.getvalue())).convert("RGBA"), dtype=np.uint8)
    else:
        rgba = raw.reshape(height, width, 4)
    code = (rgba[..., 0].astype(np.uint32) << 16) | (rgba[..., 1].astype(np.uint32) << 8) | rgba[..., 2]
    unique, counts = np.unique(code, return_counts=True)
    keep = unique[np.lexsort((unique, -counts))[:colours]].astype(np.int64)  # most frequent first, ties by colour
    palette = np.stack([(keep >> 16) & 255, (keep >> 8) & 255, keep & 255], axis=1)
    each = unique.astype(np.int64)
    each = np.stack([(each >> 16) & 255, (each >> 8) & 255, each & 255], axis=1)
    nearest = np.empty(len(unique), dtype=np.uint8)
    for start in range(0, len(unique), 4096):  # bounded memory: 4096 colours x 256 entries at a time
        d = ((each[start : start + 4096, None, :] - palette[None, :, :]) ** 2).sum(axis=2)
        nearest[start : start + 4096] = d.argmin(axis=1)
    lookup = np.zeros(1 << 24, dtype=np.uint8)  # the palette entry of every colour (16 MB, touched where used)
    lookup[unique] = nearest
    indexed = Image.fromarray(lookup[code], mode="P")
    flat = palette.astype(np.uint8).ravel().tolist()
    indexed.putpalette(flat + [255] * (768 - len(flat)))
    out = io.BytesIO()
    indexed.save(out, format="png", optimize=True, dpi=(dpi, dpi))
    return out.getvalue()


#: tables of a TrueType font that only text layout reads (ligatures, kerning, positioning, maths): matplotlib
#: lays the text out with the font itself and writes every glyph's place into the PDF, so the font embedded in
#: the PDF never needs them (they are most of the time of subsetting it)
_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern")
#: the tables matplotlib 3.11's ``_backend_pdf_ps.get_glyphs_subset`` drops from every subset
_MPL_DROPPED_TABLES = ("FFTM", "PfEd", "BDF", "meta", "MERG", "TSIV", "Zapf", "bdat", "bloc", "cidg", "fdsc", "feat",
                       "fmtx", "fond", "just", "kerx", "ltag", "morx", "trak", "xref")  # fmt: skip

#: while set (by :func:`_pdf_fonts`), matplotlib's PDF backend subsets fonts through :func:`_font_subset`
_SUBSET_FONTS: contextvars.ContextVar[bool] = contextvars.ContextVar("llt_geo_subset_fonts", default=False)
_HOOK_LOCK = threading.Lock()


#: the characters whose glyphs :func:`_font_base` keeps: Latin (with Latin-1 and Extended-A), punctuation,
#: currency, arrows, mathematical operators, geometric shapes and the Latin ligatures
_BASE_RANGES = ((0x20, 0x180), (0x2000, 0x2070), (0x20A0, 0x20D0), (0x2190, 0x2270), (0x25A0, 0x2600), (0xFB00, 0xFB07))


def _subset_options(face_index: int = 0):
    """fontTools' options as matplotlib's PDF backend sets them (``_backend_pdf_ps.get_glyphs_subset``: glyph
    names, recommended glyphs, the same tables dropped), and the layout tables (:data:`_LAYOUT_TABLES`) dropped."""
    from fontTools import subset

    options = subset.Options(glyph_names=True, recommended_glyphs=True)
    options.drop_tables += [*_MPL_DROPPED_TABLES, *_LAYOUT_TABLES]
    options.font_number = face_index
    return options


def _cut(source, face_index: int, gids: list[int]) -> tuple[bytes, dict[int, int]]:
    """The subset of the font in ``source`` (a path or a file) holding the glyphs ``gids``, and its glyph index map."""
    from fontTools import subset

    options = _subset_options(face_index)
    font = subset.load_font(source, options)
    try:
        subsetter = subset.Subsetter(options=options)
        subsetter.populate(gids=gids)
        subsetter.subset(font)
        data = io.BytesIO()
        font.save(data, reorderTables=False)
    finally:
        font.close()
    return data.getvalue(), dict(subsetter.glyph_index_map)


@functools.lru_cache(maxsize=8)
def _font_base(path: str, face_index: int) -> tuple[bytes, dict[int, int]]:
    """The font at ``path`` cut once to the glyphs of :data:`_BASE_RANGES` (about 800 of DejaVu Sans' 6,000),
    and the map from the font's glyph indices to the cut's: every subset of a pack is cut from this."""
    from fontTools import subset

    font = subset.load_font(path, _subset_options(face_index))
    try:
        cmap = font.getBestCmap()
        gids = sorted({font.getGlyphID(cmap[c]) for lo, hi in _BASE_RANGES for c in range(lo, hi) if c in cmap})
    finally:
        font.close()
    return _cut(path, face_index, gids)


@functools.lru_cache(maxsize=256)
def _font_subset(path: str, face_index: int, glyphs: frozenset[int]) -> tuple[bytes, tuple[tuple[int, int], ...]]:
    """The TrueType subset of the font at ``path`` holding ``glyphs``, as bytes, and its glyph index map.

    Made as matplotlib's PDF backend makes it but without the layout tables (:func:`_subset_options`), and
    kept: the printed figures of a pack embed the same few subsets of DejaVu Sans again and again (the same
    legend in six scenario maps), and subsetting is most of the time of writing a PDF. Cut from the font's
    base (:func:`_font_base`, read once) when it holds every glyph, which gives the same bytes as a cut from
    the whole font (checked on every subset of the demo pack) in a fifth of the time; else from the font.
    """
    base, to_base = _font_base(path, face_index)
    if all(g in to_base for g in glyphs):
        data, index_map = _cut(io.BytesIO(base), 0, sorted(to_base[g] for g in glyphs))  # the base is one font
        from_base = {b: g for g, b in to_base.items()}
        return data, tuple(sorted((from_base[b], new) for b, new in index_map.items()))
    data, index_map = _cut(path, face_index, sorted(glyphs))
    return data, tuple(sorted(index_map.items()))


def _hook_font_subsets() -> None:
    """Route matplotlib's font subsetting through :func:`_font_subset` while :data:`_SUBSET_FONTS` is set
    (in this thread or task only; everyone else gets matplotlib's own). Installed once; a matplotlib without
    the function (another version) keeps its own subsetting."""
    from matplotlib.backends import _backend_pdf_ps as pdf_ps

    with _HOOK_LOCK:
        original = getattr(pdf_ps, "get_glyphs_subset", None)
        if original is None or getattr(original, "_llt_geo", False) or not hasattr(pdf_ps, "SubsetResults"):
            return

        @functools.wraps(original)
        def get_glyphs_subset(fontfile, glyphs):
            if not _SUBSET_FONTS.get():
                return original(fontfile, glyphs)
            from fontTools.ttLib import TTFont

            data, index_map = _font_subset(str(fontfile), int(getattr(fontfile, "face_index", 0)), frozenset(glyphs))
            # saved again by the backend: as it is (no new timestamp or boxes: the same bytes every run)
            font = TTFont(io.BytesIO(data), recalcTimestamp=False, recalcBBoxes=False)
            return pdf_ps.SubsetResults(font, dict(index_map))._as_cm()

        get_glyphs_subset._llt_geo = True  # type: ignore[attr-defined]
        pdf_ps.get_glyphs_subset = get_glyphs_subset


@contextlib.contextmanager
def _pdf_fonts():
    """Within: the PDFs written here embed font subsets made by :func:`_font_subset` (kept across figures)."""
    _hook_font_subsets()
    token = _SUBSET_FONTS.set(True)
    try:
        yield
    finally:
        _SUBSET_FONTS.reset(token)


def _save(fig: Figure, folder: Path, stem: str, *, png: bool = True) -> list[Path]:
    """PNG (unless ``png=False``) and PDF of one figure, with nothing in them that changes between runs."""
    written = []
    with mpl.rc_context(PLAIN_TEXT_RC):  # ticks made while drawing are plain text too
        _no_math(fig)
        if png:
            written.append(folder / f"{stem}.png")
            written[-1].write_bytes(_png_bytes(fig))
        pdf = folder / f"{stem}.pdf"
        with _pdf_fonts():
            fig.savefig(pdf, metadata={"CreationDate": None, "Producer": None, "Creator": None})
    return [*written, pdf]


def write_print_figures(dataset: Dataset, results: Results, folder: str | Path) -> list[Path]:
    """Every printed figure as PNG and PDF in ``folder``, for the stuurgroep memo.

    Parameters
    ----------
    dataset : Dataset
        The loaded dataset.
    results : Results
        From :func:`llt_geo.run`: the screening, spread, progress and the decision per scenario
        (none when no budget is set: the portfolio maps are left out).
    folder : str or Path
        Created when absent.

    Returns
    -------
    list of Path
        In this order, each ``.png`` then ``.pdf``: ``kaart_overzicht``,
        ``kaart_portefeuille_<scenario>`` per scenario (``basis`` first; the other scenarios as PDF
        only, to keep the stuurgroep pack small: a PNG is for pasting one map into a memo, the PDF
        for printing them all), ``spreiding_stadsdelen`` and ``voortgang``. The same input gives
        the same bytes: PNG without the software stamp, PDF without creation date, producer and
        creator, and fixed rc settings
        (:data:`PRINT_RC`); PNG at :data:`PRINT_DPI` dpi, A4 landscape.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with mpl.rc_context(PRINT_RC):
        written += _save(overview_print_map(dataset, results), folder, "kaart_overzicht")
        stems = scenario_stems(results.decisions)  # a scenario's name as part of a file name
        for i, name in enumerate(results.decisions):
            fig = portfolio_print_map(dataset, results, name)
            written += _save(fig, folder, f"kaart_portefeuille_{stems[name]}", png=i == 0)
        written += _save(spread_chart(results.spread, dataset=dataset), folder, "spreiding_stadsdelen")
        prog = dataset.config["programme"]
        table = results.progress
        fig = progress_chart(
            table,
            figsize=CHART_SIZE,
            title=f"Voortgang naar {prog['goal_flats']} Lang Leven Thuisflats in {prog['goal_year']}: "
            f"{table.attrs.get('summary_nl', '')}",
            dataset=dataset,
        )
        written += _save(fig, folder, "voortgang")
    return written
