"""The stuurgroep pack: one folder with a Dutch report (``index.html``), maps and per-candidate dossiers.

Everything here is for readers who never run Python: Dutch text with the programme's own terms,
plain HTML and CSS (the maps add Leaflet from the pack's ``assets`` folder), no network, and no
clock or random element: the same input gives the same bytes, so a diff between two packs shows
only what changed.

The HTML is in Jinja2 templates (``templates/page.html.j2``, ``report_*.html.j2``,
``dossier*.html.j2``); this module prepares plain values for them: strings, numbers already
formatted in Dutch (:mod:`llt_geo.labels`), lists of rows and dicts. The templates are rendered
with autoescape, and the environment's ``finalize`` escapes every value exactly as
:func:`html.escape` does, so a flat named ``<img src=x onerror=alert(1)>`` shows as text. The
filter ``cell`` reads a missing value as ``onbekend`` and a yes/no as ``ja``/``nee``. The
stylesheet is ``static/llt.css``.

Markup built outside the templates and passed in as :class:`markupsafe.Markup` (so not escaped
again); there is one case:

* ``trace`` in ``report_index.html.j2``: the traceability table of
  :func:`llt_geo.present.traceability.to_html`, which escapes every cell itself.

Layout of a pack::

    index.html            the report: the Besluitvoorstel first (per scenario the funded flats with
                          partners, cost against budget, the flats that nearly made it, a banner
                          on an infeasible scenario), then progress, spread, screening, partners,
                          portfolio, traceability, verantwoording (inputs, configuration, left out)
    kaart_*.html          the maps (Leaflet from assets/)
    dossiers/<id>.html    one page per candidate: in/out per scenario first, then 3.1, areas,
                          partners, 3.2, 4, 2.3/2.4
    afdruk/*.png, *.pdf   maps and charts for a printed memo
    assets/               leaflet.js, leaflet.css, llt.css
    *.csv, *.txt, *.gpkg  the tables for Excel and QGIS
"""

from __future__ import annotations

import html
import importlib.metadata as md
import importlib.resources
import itertools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from ..filenames import file_stem, file_stems, scenario_stems
from ..labels import ASPECTS, FREE_CHOICE_NL, describe_counts, nl_date, nl_eur, nl_number, nl_pct
from ..results import Results
from .config_nl import scenario_changes
from .ladder import core_sentence

__all__ = [
    "PACK_CSS",
    "build_pack",
    "config_entries",
    "dossier_name",
    "dossier_names",
    "input_files",
    "open_data_files",
]

#: The pack's stylesheet, ``static/llt.css``; :func:`build_pack` writes it to ``assets/llt.css``.
PACK_CSS = (resources.files(__package__) / "static" / "llt.css").read_text(encoding="utf-8")

STATUS_WORD_NL = {"pass": "voldoet", "fail": "voldoet niet", "unknown": "onbekend"}

#: The column of :attr:`llt_geo.results.Decision.flats` with a flat's open points in Dutch ("" when
#: none); shown when the decision carries it.
OPEN_POINTS = "open_points_nl"

#: How an open point of a flat funded with an unknown condition starts (counted at the top of the index).
RESERVED_NL = "onder voorbehoud"

#: The flats that nearly made it, shown per scenario in the Besluitvoorstel (the rest: the scenario's CSV).
NEAR_MAX = 8


def cell(value: object) -> str:
    """A value as the text of a cell: missing reads ``onbekend``, a yes/no ``ja`` or ``nee``.

    The template filter ``cell``; the text is escaped when it is written (see :func:`_escape`).

    Parameters
    ----------
    value : object
        Any value from a table: ``None``, ``pd.NA`` and NaN are missing.

    Returns
    -------
    str
        The text, not yet escaped (markup passes through unchanged).
    """
    if hasattr(value, "__html__"):
        return value  # type: ignore[return-value]
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return "onbekend"
    if isinstance(value, bool | np.bool_):
        return "ja" if value else "nee"
    return str(value)


def _escape(value: object) -> Markup:
    """Escape a value written by a template as :func:`html.escape` does (``'`` as ``&#x27;``).

    The environment's ``finalize``: markupsafe alone would write ``&#39;`` and ``&#34;``; this keeps
    the pack's bytes as they were when the HTML was built by hand. Markup passes through.

    Parameters
    ----------
    value : object
        The value of a ``{{ ... }}`` expression.

    Returns
    -------
    Markup
        The escaped text.
    """
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(html.escape(str(value), quote=True))


def _environment() -> jinja2.Environment:
    """The Jinja2 environment of the report and the dossiers (``templates/``), with ``cell``.

    Returns
    -------
    jinja2.Environment
        Autoescaped, strict about undefined names, block tags on their own line leave no trace.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("llt_geo.present", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        finalize=_escape,
    )
    env.filters["cell"] = cell
    env.globals["status_words"] = STATUS_WORD_NL
    env.globals["free_choice"] = FREE_CHOICE_NL
    return env


#: The one environment of this module (templates are compiled once, on first use).
ENV = _environment()


def scenario_label(name: str) -> str:
    """A scenario's name as words for the stuurgroep: ``ruim_budget`` -> ``ruim budget``."""
    return str(name).replace("_", " ")


def dossier_name(candidate_id: str) -> str:
    """The file name of one candidate's dossier on its own (:func:`llt_geo.filenames.file_stem`): the id
    when it is safe, else its safe characters and a hash of it. The pack names every dossier with
    :func:`dossier_names`, which also keeps ids that differ only by case apart."""
    return file_stem(candidate_id) + ".html"


def dossier_names(candidate_ids) -> dict[str, str]:
    """The file name of every candidate's dossier (``<stem>.html``, :func:`llt_geo.filenames.file_stems`):
    safe, and no two alike on a case-insensitive file system. Per candidate id (``str``)."""
    return {cid: stem + ".html" for cid, stem in file_stems(candidate_ids).items()}


def _table(frame: pd.DataFrame, *, numeric: tuple[str, ...] = (), classes: dict[str, str] | None = None) -> dict:
    """A DataFrame for the ``table`` macro of ``report_macros.html.j2``.

    Parameters
    ----------
    frame : DataFrame
        The table as shown: its columns are the headers, every value is a cell (``cell`` filter).
    numeric : tuple of str
        Columns right-aligned (class ``num``).
    classes : dict, optional
        A CSS class per column.

    Returns
    -------
    dict
        ``cols`` (name, num, cls) and ``rows`` (a list of values per row).
    """
    css = dict.fromkeys(numeric, "num") | (classes or {})
    cols = [{"name": c, "num": c in numeric, "cls": css.get(c)} for c in frame.columns]
    return {"cols": cols, "rows": [list(values) for values in frame.itertuples(index=False)]}


def _table_of_rows(rows: list[dict], *, numeric: tuple[str, ...] = ()) -> dict:
    """Rows (dicts with the same keys, values as written) for the ``table`` macro, without a DataFrame
    (so no column is converted: a value that is a dict with ``href`` and ``text`` is a link)."""
    names = list(rows[0]) if rows else []
    cols = [{"name": c, "num": c in numeric, "cls": "num" if c in numeric else None} for c in names]
    return {"cols": cols, "rows": [[r[c] for c in names] for r in rows]}


# ------------------------------------------------------------------------------------------------
# verantwoording: inputs and configuration


def input_files(dataset) -> pd.DataFrame:
    """Every input file: table, file, date (modification, UTC), rows read/used/reported, SHA-256 —
    as :attr:`llt_geo.io.Dataset.sources` recorded them when the data was loaded (no file is read here)."""
    counts = dataset.row_counts
    rows = []
    for src in dataset.sources.itertuples():
        c = counts.loc[src.table] if src.table in counts.index else None
        rows.append(
            {
                "Tabel": src.table or "(instellingen)",
                "Bestand": src.file,
                "Datum bestand": src.modified,
                "Rijen gelezen": "—" if c is None else nl_number(c["rows_in"]),
                "Rijen gebruikt": "—" if c is None else nl_number(c["rows_used"]),
                "Rijen gemeld": "—" if c is None else nl_number(c["rows_reported"]),
                "SHA-256": src.sha256,
            }
        )
    return pd.DataFrame(rows)


def config_entries(dataset) -> pd.DataFrame:
    """Every setting used, in Dutch: section, name, key, value, changed or not, and its reason
    (:func:`llt_geo.present.config_nl.describe`), then each scenario's changes."""
    from .config_nl import describe

    return describe(dataset.config)


def open_data_files(checked) -> tuple[pd.DataFrame, list[str]]:
    """The open data the inputs were derived from (:func:`llt_geo.io.opendata.fetch.check_cache`): per
    file bron, URL, opgehaald op, licentie, SHA-256 and whether the file still matches its record;
    and the Dutch warnings (a file changed or missing since it was fetched, or not the version
    llt_geo was tested with)."""
    rows, warnings = [], []
    for c in checked:
        r = c.record
        when = str(r.get("retrieved") or "")
        opgehaald = f"{nl_date(when)} {when[11:16]} UTC".strip() if len(when) >= 16 else nl_date(when)
        if r.get("origin") == "mirror":
            official = r.get("official_url") or "niet gepubliceerd (afgeleid bestand)"
            url = f"{official} (kopie uit de map {r.get('url')})"
        else:
            url = str(r.get("url") or "")
        if r.get("derived"):
            url += f"; afgeleid: {r['derived']}"
        if c.state == "missing":
            check = "ONTBREEKT"
            warnings.append(
                f"Let op: {r.get('path')} ontbreekt in de map met open data; haal het opnieuw op met "
                "llt-geo data fetch."
            )
        elif c.state == "changed":
            check = "GEWIJZIGD"
            warnings.append(
                f"Let op: {r.get('path')} is gewijzigd sinds het ophalen op {opgehaald}: de SHA-256 is nu "
                f"{c.sha256_now}, volgens de herkomst {r.get('sha256')}. Zet het bestand terug of haal het opnieuw "
                "op (llt-geo data fetch --force)."
            )
        elif not c.tested_version:
            check = "klopt; andere versie dan getest"
            warnings.append(
                f"Let op: {r.get('path')} is niet de versie waarmee llt_geo is getest (SHA-256 volgens de catalogus "
                f"{r.get('sha256_catalogue')}); het is bewust toch gebruikt (--accept-changed)."
            )
        else:
            check = "klopt"
        rows.append(
            {
                "Bestand": r.get("path"),
                "Bron": f"{r.get('publisher')}; {r.get('attribution')}",
                "URL": url,
                "Opgehaald op": opgehaald,
                "Licentie": r.get("licence"),
                "SHA-256": r.get("sha256"),
                "Controle": check,
            }
        )
    return pd.DataFrame(rows, columns=["Bestand", "Bron", "URL", "Opgehaald op", "Licentie", "SHA-256", "Controle"]), (
        warnings
    )


# ------------------------------------------------------------------------------------------------
# the inset map of a dossier: an SVG drawn from the RD coordinates (metres), no tiles, no script


def _svg_path(geom, x0: float, y0: float, scale: float, height: float) -> str:
    """The SVG path data (``M..L..Z``) of a polygon's rings, in pixels of a map ``height`` high.

    Parameters
    ----------
    geom : Polygon or MultiPolygon
        In RD New (metres); anything else gives an empty path.
    x0, y0 : float
        The map's lower-left corner in metres.
    scale : float
        Pixels per metre.
    height : float
        The map's height in pixels (SVG's y axis points down).

    Returns
    -------
    str
        The path data, coordinates with one decimal.
    """
    from shapely.geometry import MultiPolygon, Polygon

    parts = []
    polys = geom.geoms if isinstance(geom, MultiPolygon) else [geom] if isinstance(geom, Polygon) else []
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            pts = np.asarray(ring.coords)
            xs = ((pts[:, 0] - x0) * scale).tolist()
            ys = (height - (pts[:, 1] - y0) * scale).tolist()
            parts.append("M" + "L".join(map("{:.1f} {:.1f}".format, xs, ys)) + "Z")
    return "".join(parts)


def _own_style(cand) -> str:
    """How a dossier's inset draws its candidate: by its 3.1 outcome when open, else by its status."""
    status = str(cand.get("status", "candidate"))
    if status in ("chosen", "in_development", "realised"):
        return status
    return str(cand.get("eligibility", "unknown"))


class _InsetLayers:
    """What every dossier's inset map draws from, read once for all dossiers: the flats' and sites'
    coordinates and ids (in the order the inset lists them), the wijk and stadsdeel outlines with their
    bounding boxes. :meth:`shapes` then only picks what lies within one candidate's window."""

    def __init__(self, dataset, flats: pd.DataFrame, sites: pd.DataFrame) -> None:
        """Read the layers of ``dataset`` (wijken, stadsdelen), ``flats`` and ``sites`` (RD New, metres)."""
        import shapely

        def points(frame: pd.DataFrame, key: str) -> dict:
            geoms = np.asarray(frame.geometry.array, dtype=object)
            # the order the inset lists them in: sorted by id, as sort_values does
            sorted_pos = frame.reset_index(drop=True).sort_values(key).index.to_numpy()
            return {"geoms": geoms, "x": shapely.get_x(geoms), "y": shapely.get_y(geoms), "sorted": sorted_pos}

        self.flats = points(flats, "flat_id")
        self.flat_ids = flats["flat_id"].astype(str).to_numpy(dtype=object)
        self.flat_wijk = flats["wijk_code"] if "wijk_code" in flats.columns else None
        self.sites = points(sites, "site_id")
        self.wijken = dataset.wijken
        self.wijk_codes = dataset.wijken["wijk_code"].astype(str).to_numpy(dtype=object) if len(self.wijken) else None
        self.borders = []
        for frame, stroke, width in ((dataset.wijken, "#9e9ac8", 1), (dataset.stadsdelen, "#333333", 2)):
            if len(frame):
                geoms = np.asarray(frame.geometry.array, dtype=object)
                self.borders.append((geoms, shapely.bounds(geoms), stroke, width))

    @staticmethod
    def _clip(geoms: np.ndarray, bounds: np.ndarray | None, window, x0: float, y0: float, x1: float, y1: float):
        """The non-empty parts of ``geoms`` within ``window`` (in their order), each simplified by 2 m."""
        import shapely

        if bounds is not None:  # a shape whose box misses the window has no part within it
            hit = ~((bounds[:, 0] > x1) | (bounds[:, 2] < x0) | (bounds[:, 1] > y1) | (bounds[:, 3] < y0))
            geoms = geoms[hit]
        clipped = shapely.intersection(geoms, window)
        clipped = clipped[~shapely.is_empty(clipped)]
        return shapely.simplify(clipped, 2)

    def shapes(self, member_ids: set[str], *, size: int = 300, style: str = "candidate") -> dict | None:
        """As :func:`_inset_shapes`."""
        import shapely
        from shapely.geometry import box

        from .palette import FLAT_STYLES, SITE_COLOUR

        f = self.flats
        mine = np.fromiter((i in member_ids for i in self.flat_ids), dtype=bool, count=len(self.flat_ids))
        if not mine.any() or shapely.is_empty(f["geoms"][mine]).all():
            return None
        xs, ys = f["x"][mine], f["y"][mine]
        cx, cy = _mean(xs), _mean(ys)
        half = max(600.0, float(np.ptp(xs)) / 2 + 300, float(np.ptp(ys)) / 2 + 300)
        x0, y0 = cx - half, cy - half
        scale = size / (2 * half)
        window = box(x0, y0, x0 + 2 * half, y0 + 2 * half)
        x1, y1 = x0 + 2 * half, y0 + 2 * half

        def point(pos: int, layer: dict, shift: float = 0.0) -> tuple[str, str]:
            """A point's pixel position, ``shift`` pixels up and left (formatted ``0.0``)."""
            x, y = (layer["x"][pos] - x0) * scale, size - (layer["y"][pos] - y0) * scale
            return f"{x - shift:.1f}", f"{y - shift:.1f}"

        fills = []
        if self.wijk_codes is not None:  # the candidate's own wijk lightly filled
            own_wijken = set(self.flat_wijk[mine].dropna().astype(str)) if self.flat_wijk is not None else set()
            geoms = np.asarray(self.wijken.geometry.array, dtype=object)
            own = np.fromiter((c in own_wijken for c in self.wijk_codes), dtype=bool, count=len(self.wijk_codes))
            for geom in shapely.intersection(geoms[own], window):
                d = _svg_path(geom.simplify(2), x0, y0, scale, size) if not geom.is_empty else ""
                if d:
                    fills.append(d)
        borders = []
        for geoms, bounds, stroke, width in self.borders:
            for geom in self._clip(geoms, bounds, window, x0, y0, x1, y1):
                d = _svg_path(geom, x0, y0, scale, size)
                if d:
                    borders.append((d, stroke, width))
        within = shapely.within(f["geoms"], window)
        others = [point(p, f) for p in f["sorted"] if within[p] and not mine[p]]
        s = self.sites
        inside = shapely.within(s["geoms"], window)
        bar_m = 500 if half >= 600 else 200
        bar = bar_m * scale
        return {
            "size": size, "fills": fills, "borders": borders,
            "others": others, "other": FLAT_STYLES["other"],
            "sites": [point(p, s, 4) for p in s["sorted"] if inside[p]], "site_colour": SITE_COLOUR,
            "own": [point(p, f) for p in f["sorted"] if mine[p]],
            "own_style": FLAT_STYLES[style],
            "bar": {"box_y": size - 22, "box_width": f"{bar + 44:.0f}", "y": size - 10, "x2": f"{10 + bar:.1f}",
                    "text_x": f"{14 + bar:.1f}", "text_y": size - 6, "metres": bar_m},
        }  # fmt: skip


def _mean(values: np.ndarray) -> float:
    """The mean of the known ``values`` (a missing location is NaN), as pandas' ``Series.mean`` takes it."""
    known = values[~np.isnan(values)]
    return float(known.sum() / len(known))


def _inset_shapes(
    dataset,
    flats: pd.DataFrame,
    member_ids: set[str],
    sites: pd.DataFrame,
    *,
    size: int = 300,
    style: str = "candidate",
    layers: _InsetLayers | None = None,
):
    """The shapes of a candidate's inset map, in pixels, for the ``inset`` macro of ``dossier_macros.html.j2``.

    Parameters
    ----------
    dataset : Dataset
        Its wijken and stadsdelen (borders; the candidate's own wijk is filled).
    flats : GeoDataFrame
        Every flat (RD New, metres); those within the window are drawn.
    member_ids : set of str
        The candidate's own flats.
    sites : GeoDataFrame
        The intramural sites.
    size : int
        Width and height of the map in pixels.
    style : str
        The key in :data:`~llt_geo.present.palette.FLAT_STYLES` the candidate is drawn in (its 3.1
        outcome, or its status when it is already in the programme): one meaning per colour.
    layers : _InsetLayers, optional
        ``dataset``, ``flats`` and ``sites`` read once (the pack reads them once for all its dossiers).

    Returns
    -------
    dict or None
        Path data, points and the scale bar as formatted strings; None when the candidate has no location.
    """
    layers = layers or _InsetLayers(dataset, flats, sites)
    return layers.shapes(member_ids, size=size, style=style)


def inset_svg(
    dataset,
    flats: pd.DataFrame,
    member_ids: set[str],
    sites: pd.DataFrame,
    *,
    size: int = 300,
    style: str = "candidate",
) -> str:
    """A small map around a candidate: wijk borders, the candidate's flats, other flats, sites, scale.

    Parameters
    ----------
    dataset, flats, member_ids, sites, size
        As for :func:`_inset_shapes`.

    Returns
    -------
    str
        The inline SVG (``dossier_macros.html.j2``), or an empty string when the candidate has no location.
    """
    shapes = _inset_shapes(dataset, flats, member_ids, sites, size=size, style=style)
    return "" if shapes is None else str(ENV.get_template("dossier_macros.html.j2").module.inset(shapes))


# ------------------------------------------------------------------------------------------------
# the pack


@dataclass
class Pack:
    """What :func:`build_pack` wrote: the folder, its files, and the size in bytes."""

    folder: Path
    files: list[str] = field(default_factory=list)

    @property
    def size_bytes(self) -> int:
        """The size of the files written, in bytes."""
        return sum((self.folder / f).stat().st_size for f in self.files if (self.folder / f).is_file())


class _Names:
    """Area names by code, for 'Centrum (A)'."""

    def __init__(self, dataset) -> None:
        """Read the names of the stadsdelen, wijken and buurten of ``dataset``."""
        self.names: dict[str, str] = {}
        for frame, col in ((dataset.stadsdelen, "stadsdeel_code"), (dataset.wijken, "wijk_code"),
                           (dataset.buurten, "buurt_code")):  # fmt: skip
            if len(frame) and "name" in frame.columns:
                for code, name in zip(frame[col].astype(str), frame["name"], strict=True):
                    self.names[code] = "" if pd.isna(name) else str(name)

    def __call__(self, code: object) -> str:
        """``Centrum (A)`` for ``A``; the code alone when it has no name; missing reads ``onbekend``."""
        if code is None or pd.isna(code):
            return "onbekend"
        name = self.names.get(str(code), "")
        return f"{name} ({code})" if name else str(code)


def _member_ids(row: pd.Series) -> list[str]:
    """The flats of a candidate: the members of a group, or the flat itself."""
    if bool(row.get("is_group")) and isinstance(row.get("members"), str):
        return [m.strip() for m in row["members"].split(",") if m.strip()]
    return [str(row["flat_id"])] if pd.notna(row.get("flat_id")) else []


def _partner(pid: object, name: object) -> str:
    """``ZA03 VVT Groep De Vaart`` for a funded flat's partner; ``geen`` when it has none."""
    if pid is None or pd.isna(pid):
        return "geen"
    return f"{pid} {name}" if name is not None and pd.notna(name) and str(name) else str(pid)


def _points(value: object) -> str:
    """A flat's open points as shown: the text, ``—`` when there are none."""
    return value if isinstance(value, str) and value.strip() else "—"


def _yn(value: object) -> str:
    """``ja``, ``nee`` or ``onbekend``."""
    if value is None or pd.isna(value):
        return "onbekend"
    return "ja" if bool(value) else "nee"


def _libraries() -> str:
    """The versions of the libraries that shape the pack, for the verantwoording."""
    libs = []
    for lib in ("pandas", "geopandas", "shapely", "scipy", "highspy", "folium", "matplotlib", "xstatic-leaflet"):
        try:
            libs.append(f"{lib} {md.version(lib)}")
        except md.PackageNotFoundError:  # pragma: no cover - installed with llt_geo
            continue
    # the verkenning's solver, vendored (scripts/vendor_highs.py): its version and licence
    vendored = (importlib.resources.files(__package__) / "vendor" / "highs" / "VERSION").read_text(encoding="utf-8")
    libs.append(f"{vendored.strip()} (HiGHS in WebAssembly, npm, MIT-licentie: de rekenmodule van de verkenning)")
    return ", ".join(libs)


def _first_status(corp: pd.DataFrame) -> tuple[list, list[tuple]]:
    """The corporation's commitments of one candidate as a table: article and commitment by flat.

    What ``corp.pivot_table(index=["section", "item_nl"], columns="flat_id", values="status",
    aggfunc="first").sort_index()`` gives (the flats, and per row its article, commitment and the first known
    status per flat, NaN when none), rows and flats sorted, those without any known status left out; in plain
    Python, as a pivot per dossier cost more than the rest of the dossier.
    """
    cells: dict[tuple, dict] = {}
    for sec, item, flat, status in zip(corp["section"], corp["item_nl"], corp["flat_id"], corp["status"],
                                       strict=True):  # fmt: skip
        if not (pd.isna(sec) or pd.isna(item) or pd.isna(flat) or pd.isna(status)):
            cells.setdefault((sec, item), {}).setdefault(flat, status)
    flats = sorted({flat for row in cells.values() for flat in row})
    return flats, [(sec, item, [cells[sec, item].get(f, np.nan) for f in flats]) for sec, item in sorted(cells)]


def _section_item(row) -> tuple:
    """The article and step of a row of the choice process."""
    return row.section, row.item


def _split(frame: pd.DataFrame | None, column: str = "candidate_id") -> dict[str, pd.DataFrame]:
    """The rows of ``frame`` per value of ``column`` read as text, each in the frame's own order."""
    if frame is None or not len(frame) or column not in frame.columns:
        return {}
    keys = frame[column].astype(str)
    return {str(key): group for key, group in frame.groupby(keys.to_numpy(dtype=object), sort=False)}


class _Lookups:
    """The tables a dossier reads, split per candidate (or flat) once for the whole pack.

    Each method gives what a boolean mask on the whole table gave (``table[table[col].astype(str) == cid]``):
    the same rows in the same order, or the table's empty head when the candidate has none.
    """

    def __init__(self, dataset, results: Results) -> None:
        """Split the screening's criteria and the partner choice's tables per candidate, the choice steps
        per flat, and the decisions' rows per candidate."""
        s, c = results.screening, results.partners
        self._empty: dict[str, pd.DataFrame] = {}
        self._parts: dict[str, dict[str, pd.DataFrame]] = {"criteria": _split(s.criteria)}
        self._empty["criteria"] = s.criteria.iloc[:0]
        for name in ("assignment", "robustness_pairs", "scores", "welfare", "welfare_roles", "corporation"):
            frame = getattr(c, name)
            self._parts[name] = _split(frame)
            self._empty[name] = frame.iloc[:0]
        process = c.process
        self._process = list(process.itertuples())
        self._process_rows: dict[str, list[int]] = {}
        for pos, fid in enumerate(process["flat_id"].astype(str)):
            self._process_rows.setdefault(fid, []).append(pos)
        sites = dataset.intramural_sites
        self.site_names: dict[str, object] = {}
        for sid, name in zip(sites["site_id"].astype(str), sites["name"], strict=True):
            self.site_names.setdefault(sid, name)  # the first site of an id, as .iloc[0] took it
        self._decisions: dict[str, tuple[pd.DataFrame, dict[str, int]]] = {}
        for name, decision in results.decisions.items():
            first: dict[str, int] = {}
            for pos, value in enumerate(decision.flats["candidate_id"]):
                if isinstance(value, str):  # Decision.row compares with the id as text
                    first.setdefault(value, pos)
            self._decisions[name] = (decision.flats, first)
        self.inset = _InsetLayers(dataset, s.flats, dataset.intramural_sites)

    def _part(self, table: str, cid: str) -> pd.DataFrame:
        return self._parts[table].get(cid, self._empty[table])

    def criteria(self, cid: str) -> pd.DataFrame:
        """The screening's criteria (3.1) of one candidate."""
        return self._part("criteria", cid)

    def assignment(self, cid: str) -> pd.DataFrame:
        """The partner choice's assignment rows of one candidate."""
        return self._part("assignment", cid)

    def robustness(self, cid: str) -> pd.DataFrame:
        """The robustness pairs of one candidate."""
        return self._part("robustness_pairs", cid)

    def scores(self, cid: str) -> pd.DataFrame:
        """The provider scores of one candidate."""
        return self._part("scores", cid)

    def welfare(self, cid: str) -> pd.DataFrame:
        """The welfare organisations judged for one candidate."""
        return self._part("welfare", cid)

    def welfare_roles(self, cid: str) -> pd.DataFrame:
        """The welfare roles of one candidate."""
        return self._part("welfare_roles", cid)

    def corporation(self, cid: str) -> pd.DataFrame:
        """The corporation's commitments of one candidate."""
        return self._part("corporation", cid)

    def process(self, members: list[str]) -> list:
        """The choice steps of a candidate's flats, in the table's order (its rows as ``itertuples`` gives them)."""
        rows = sorted(pos for fid in set(members) for pos in self._process_rows.get(fid, ()))
        return [self._process[pos] for pos in rows]

    def decision_row(self, scenario: str, cid: str) -> pd.Series | None:
        """:meth:`llt_geo.results.Decision.row` of one scenario, from a table of first rows made once."""
        flats, first = self._decisions[scenario]
        pos = first.get(str(cid))
        return None if pos is None else flats.iloc[pos]


class _Builder:
    """The pages of a pack: for each template its values, from the dataset and its result."""

    def __init__(self, dataset, results: Results, out: Path, maps: list[tuple[str, str]], prints: list[str],
                 csvs: list[str], open_data=None) -> None:  # fmt: skip
        """Keep the inputs of :func:`build_pack` and the names used on every page."""
        from .._version import __version__

        self.ds, self.results = dataset, results
        self.s, self.c, self.pf = results.screening, results.partners, results.portfolio
        self.spread, self.progress = results.spread, results.progress
        self.out, self.maps, self.prints, self.csvs = out, maps, prints, csvs
        # the stem of each scenario's files (portefeuille_<stem>.csv, kaart_portefeuille_<stem>.html/.pdf)
        self.scenario_files = scenario_stems(results.decisions)
        self.open_data = open_data
        self.version = __version__
        self.names = _Names(dataset)
        self.aspects = ASPECTS
        self.weights = {k: float(dataset.config["care"][key]) for k, (key, _n, _s) in ASPECTS.items()}
        self.peildatum = dataset.peildatum
        cp = dataset.care_providers
        self.provider_names = dict(zip(cp["provider_id"].astype(str), cp["name"].astype(str), strict=True))
        self._lookups: _Lookups | None = None

    @property
    def by(self) -> _Lookups:
        """The tables a dossier reads, split per candidate once (made at the first dossier)."""
        if self._lookups is None:
            self._lookups = _Lookups(self.ds, self.results)
        return self._lookups

    def provider(self, pid: object) -> str:
        """``ZA01 Thuiszorg Zonnewijzer`` from ``ZA01``."""
        name = self.provider_names.get(str(pid), "")
        return f"{pid} {name}" if name else str(pid)

    def render(self, template: str, **context) -> str:
        """A page: ``template`` (which extends ``page.html.j2``) with the banner and footer values.

        Parameters
        ----------
        template : str
            The template's name in ``templates/``.
        **context
            Its values; ``title`` and ``css`` (the stylesheet's path from the page) are required.

        Returns
        -------
        str
            The HTML of the page.
        """
        common = {
            "fictional": bool(self.ds.is_fictional),
            "label": self.ds.label,
            "peildatum": nl_date(self.peildatum),
            "version": self.version,
        }
        return ENV.get_template(template).render(common | context)

    # -- dossier ---------------------------------------------------------------------------------
    def dossier(self, cand: pd.Series) -> str:
        """The dossier of one candidate (``dossier.html.j2``).

        Parameters
        ----------
        cand : Series
            The candidate's row of the screening's candidates.

        Returns
        -------
        str
            The HTML of ``dossiers/<id>.html``.
        """
        cid = str(cand["candidate_id"])
        members = _member_ids(cand)
        crit = self.by.criteria(cid)
        return self.render(
            "dossier.html.j2",
            title=f"Dossier {cid} — Lang Leven Thuisflats",
            css="../assets/llt.css",
            cid=cid,
            name=cand["name"],
            open_candidate=bool(cand["open_candidate"]),
            inset=self.by.inset.shapes(set(members), style=_own_style(cand)),
            facts=self.dossier_facts(cid, cand),
            areas=self.dossier_areas(cand),
            criteria=[
                {"name": r.criterion_nl, "status": r.status, "near": bool(r.near_miss), "reason": r.reason}
                for r in crit.itertuples()
            ],
            proximity=self.dossier_proximity(cand),
            partners=self.dossier_partners(cid, cand),
            welfare=self.dossier_welfare(cid),
            corporation=self.dossier_corporation(cid, cand),
            process=self.dossier_process(members),
            portfolio=self.dossier_portfolio(cid, cand),
            core=core_sentence(self.results, cid) if bool(cand["open_candidate"]) else "",
        )

    def dossier_facts(self, cid: str, cand: pd.Series) -> list[tuple[str, object]]:
        """The facts at the top of a dossier: (label, value) pairs, a value ``None`` reads ``onbekend``."""
        status = cell(cand.get("status_nl", cand["status"]))
        if pd.notna(cand.get("status_year")):
            status += f" ({int(cand['status_year'])})"
        group = f" — groep van {int(cand['n_members'])} flats: {cand['members']}" if bool(cand["is_group"]) else ""
        return [
            ("Kandidaat", cid + group),
            ("Adres", cand.get("address")),
            ("Corporatie", cand["corporation"]),
            ("Woningen", nl_number(cand["n_dwellings"]) if pd.notna(cand["n_dwellings"]) else None),
            ("Status", status),
            ("Oordeel toets 3.1", cand["eligibility_nl"]),
            ("Subsidie (aanvraag)", nl_eur(cand["subsidy_eur"]) if pd.notna(cand.get("subsidy_eur")) else None),
        ]

    def dossier_areas(self, cand: pd.Series) -> dict:
        """The areas of a candidate and its focus (3.1): names, share 65+, ageing, masterplan, notes."""
        focus = cand.get("focus_names")
        masterplan = _yn(cand.get("in_masterplan"))
        if isinstance(focus, str) and focus:
            masterplan += f" ({focus})"
        return {
            "stadsdeel": self.names(cand["stadsdeel_code"]),
            "wijk": self.names(cand["wijk_code"]),
            "buurt": self.names(cand["buurt_code"]),
            "share": nl_pct(cand.get("share_65plus"), 1),
            "ageing": _yn(cand.get("ageing")),
            "masterplan": masterplan,
            "notes": [cand[c] for c in ("area_note", "focus_note") if isinstance(cand.get(c), str) and cand[c]],
        }

    def dossier_proximity(self, cand: pd.Series) -> dict:
        """The nearest intramural site (``site``) and the amenities within the radius (``amenities``);
        each None when not known."""
        site = None
        if pd.notna(cand.get("site_distance_m")):
            sid = str(cand.get("nearest_site_id"))
            site = {
                "name": self.by.site_names.get(sid, sid),
                "distance": nl_number(cand["site_distance_m"]),
                "kind": self.s.distance_kind,
            }
        kinds = [k for k in self.ds.config["eligibility"]["amenity_kinds"] if f"n_{k}" in cand.index]
        amenities = None
        if kinds:
            amenities = {
                "radius": nl_number(self.ds.config["eligibility"]["amenity_radius_m"]),
                "counts": [
                    (k.replace("_", " "), nl_number(cand[f"n_{k}"]) if pd.notna(cand[f"n_{k}"]) else None)
                    for k in kinds
                ],
            }
        return {"site": site, "amenities": amenities}

    def dossier_partners(self, cid: str, cand: pd.Series) -> dict:
        """The voorkeursaanbieder zorg of a candidate (2.2-2.4): the choice, its scores and robustness.

        Returns
        -------
        dict
            ``assigned`` False with ``register`` (the register's provider or None) when no choice was
            made; else ``provider``, ``why``, ``stays``, ``n_eligible``, ``scores`` and ``robustness``.
        """
        row = self.by.assignment(cid)
        out = {"assigned": bool(len(row)), "register": None, "provider": None, "provider_id": None, "why": None,
               "stays": "", "n_eligible": None, "scores": None, "robustness": []}  # fmt: skip
        if not len(row):
            pid = cand.get("preferred_provider_id")
            out["register"] = self.provider(pid) if pd.notna(pid) else None
            return out
        r = row.iloc[0]
        out |= {
            "provider": f"{r['provider_id']} {r['provider_name']}" if pd.notna(r["provider_id"]) else "geen",
            "provider_id": r["provider_id"],
            "why": r["choice_nl"],
            "stays": "" if pd.isna(r["stays_first_share"]) else nl_pct(r["stays_first_share"]),
            "n_eligible": r["n_eligible_providers"],
            "scores": self.dossier_scores(cid, r["provider_id"]),
        }
        rob = self.by.robustness(cid)
        rob = rob[rob["flip_nl"].notna()]
        out["robustness"] = list(rob.sort_values("other_provider_id")["flip_nl"].head(3))
        return out

    def dossier_scores(self, cid: str, chosen_id: object) -> dict | None:
        """The scores per aspect of the three best providers of a candidate, and why the chosen one scored so.

        Returns
        -------
        dict or None
            ``providers``, ``aspects`` (name, section, weight, scores as (text, known)), ``totals`` and
            ``reasons`` ((aspect, reason) of ``chosen_id``, or None); None without scores.
        """
        sc = self.by.scores(cid).sort_values(["rank", "provider_id"])
        if not len(sc):
            return None
        top = sc.head(3)
        total = sum(self.weights.values())
        aspects = [
            {
                "name": name,
                "section": section,
                "weight": nl_number(self.weights[key] / total, 2),
                "scores": [(nl_number(v, 2), k) for v, k in zip(top[f"{key}_score"], top[f"{key}_known"], strict=True)],
            }
            for key, (_cfg, name, section) in self.aspects.items()
        ]
        chosen = sc[sc["provider_id"] == chosen_id]
        reasons = None
        if len(chosen):
            reasons = [(name, chosen.iloc[0][f"{key}_reason"]) for key, (_cfg, name, _sec) in self.aspects.items()]
        totals = [nl_number(v, 3) for v in top["score"]]
        return {"providers": list(top["provider_id"]), "aspects": aspects, "totals": totals, "reasons": reasons}

    def dossier_welfare(self, cid: str) -> dict | None:
        """The welfare organisations judged for a candidate (4.1-4.2), the one chosen and its roles; None
        when none was judged."""
        w = self.by.welfare(cid)
        if not len(w):
            return None
        conds = [c[: -len("_status")] for c in w.columns if c.endswith("_status")]
        rows = [
            {"id": r["welfare_id"], "name": r["name"], "statuses": [r[f"{c}_status"] for c in conds],
             "eligibility": r["eligibility"]}
            for _, r in w.sort_values("welfare_id").iterrows()
        ]  # fmt: skip
        out = {"conditions": [w.iloc[0][c + "_reason"].split(":")[0] for c in conds], "rows": rows,
               "assigned": False, "chosen": None, "roles": []}  # fmt: skip
        a = self.by.assignment(cid)
        if len(a):
            wid = a.iloc[0]["welfare_id"]
            out["assigned"] = True
            out["chosen"] = a.iloc[0]["welfare_name"] if pd.notna(wid) else a.iloc[0]["welfare_reason"]
            roles = self.by.welfare_roles(cid)
            roles = roles[roles["welfare_id"] == wid]
            out["roles"] = [(r.section, r.role_nl, r.status) for r in roles.itertuples()]
        return out

    def dossier_corporation(self, cid: str, cand: pd.Series) -> dict:
        """The corporation's last word (``say``) and its commitments per flat (3.2): ``flats`` (None
        without any) and ``rows`` (article, commitment, status per flat)."""
        consent = cand.get("corporation_consent")
        say = {True: "ja: de corporatie stemt in", False: "nee: de corporatie stemt niet in"}.get(
            None if pd.isna(consent) else bool(consent), "nog niet bekend"
        )
        corp = self.by.corporation(cid)
        if not len(corp):
            return {"say": say, "flats": None, "rows": []}
        flats, rows = _first_status(corp)
        return {"say": say, "flats": flats, "rows": rows}

    def dossier_process(self, members: list[str]) -> dict | None:
        """The steps of the choice per flat (2.3, 2.4): ``flats`` and ``rows`` (article, step, one cell per
        flat: status, date and note, or None when the flat has no such step); None without any step."""
        steps = self.by.process(members)
        if not steps:
            return None
        flats = sorted({str(r.flat_id) for r in steps})
        rows = []
        # per article and step (sorted; a row without either left out, as groupby does), each flat's last row
        known = sorted((r for r in steps if not (pd.isna(r.section) or pd.isna(r.item))), key=_section_item)
        for (section, _item), group in itertools.groupby(known, key=_section_item):
            g = list(group)
            by_flat = {str(r.flat_id): r for r in g}
            cells = [
                None if r is None else {
                    "status": r.status_nl,
                    "date": nl_date(str(r.date)) if pd.notna(r.date) else None,
                    "note": r.note if pd.notna(r.note) else None,
                }
                for r in (by_flat.get(f) for f in flats)
            ]  # fmt: skip
            rows.append((section, g[0].item_nl, cells))
        return {"flats": flats, "rows": rows}

    def dossier_portfolio(self, cid: str, cand: pd.Series) -> list[dict] | None:
        """Per scenario (basis first) the decision about a candidate, for the top of its dossier; None
        without a portfolio.

        Returns
        -------
        list of dict or None
            ``scenario`` (label), ``verdict`` (``in``, ``uit``, ``telt al mee`` for a flat already
            counted, ``—`` in an infeasible scenario, which decides nothing, or when the scenario does
            not speak of the flat), ``why`` (the decision's reason), ``who`` (the voorkeursaanbieder
            zorg of a funded flat, else ``—``) and ``points`` (its open points, None when it has none
            or the decision carries none).
        """
        if self.pf is None:
            return None
        rows = []
        decisions = self.results.decisions
        for name in sorted(decisions, key=lambda n: n != "basis"):
            decision = decisions[name]
            r = self.by.decision_row(name, cid)
            points = None
            if r is not None and OPEN_POINTS in r.index and _points(r[OPEN_POINTS]) != "—":
                points = r[OPEN_POINTS]
            if r is None or r["outcome"] == "fixed":
                why = r["reason_nl"] if r is not None else f"{cand.get('status_nl')}: telt al mee, geen keuze"
                verdict = "telt al mee" if r is not None else "—"
                rows.append({"scenario": scenario_label(name), "verdict": verdict, "why": why, "who": "—",
                             "points": points})  # fmt: skip
                continue
            # an infeasible scenario decides nothing: neither in nor out (its reason names the rules)
            verdict = "—" if decision.status == "infeasible" else "in" if r["outcome"] == "in" else "uit"
            who = self.provider(r["provider_id"]) if r["outcome"] == "in" and pd.notna(r["provider_id"]) else "—"
            rows.append({"scenario": scenario_label(name), "verdict": verdict, "why": r["reason_nl"], "who": who,
                         "points": points})  # fmt: skip
        return rows

    # -- index -----------------------------------------------------------------------------------
    def index(self, dossiers: dict[str, str], notes: list[str], trace: Markup | None) -> str:
        """The report (``report_index.html.j2``).

        Parameters
        ----------
        dossiers : dict
            The dossier's file name per candidate id.
        notes : list of str
            The notes of the screening and the partner choice, for the verantwoording.
        trace : Markup or None
            The traceability table (:func:`llt_geo.present.traceability.to_html`); None when it is missing.

        Returns
        -------
        str
            The HTML of ``index.html``.
        """
        programme = self.ds.config["programme"]
        return self.render(
            "report_index.html.j2",
            title="Lang Leven Thuisflats — overzicht voor de stuurgroep",
            css="assets/llt.css",
            goal=programme["goal_flats"],
            goal_year=programme["goal_year"],
            decision=self.index_decision(dossiers),
            explore=self.index_explore(),
            progress=self.index_progress(),
            spread=self.index_spread(),
            screening=self.index_screening(),
            partners=self.index_partners(),
            portfolio=self.index_portfolio(),
            maps=self.maps,
            prints=[(f"afdruk/{p}", p) for p in self.prints],
            candidates=self.candidate_rows(dossiers),
            trace=trace,
            v=self.verantwoording(notes),
            csvs=self.csvs,
        )

    def index_explore(self) -> dict | None:
        """Beside the Besluitvoorstel: the link to the verkenning, the budget ladder's chart and the
        core index of the basis (``Results.ladder``, ``Results.core``; llt_geo.present.ladder)."""
        from .ladder import CORE_WORDS_NL, ladder_svg

        r = self.results
        if r.exploration is None:
            return None
        out = {"ladder": None, "core": None}
        if r.ladder is not None and len(r.ladder.steps):
            steps = r.ladder.steps
            flats = sorted(set(steps["n_flats"].astype(int)))
            out["ladder"] = {
                "svg": Markup(ladder_svg(r)),
                "n": len(steps),
                "first": nl_eur(float(steps["budget_eur"].iloc[0])),
                "last": nl_eur(float(steps["budget_eur"].iloc[-1])),
                "flats": " of ".join(str(f) for f in flats),
                "complete": bool(r.ladder.complete),
            }
        if r.core is not None:
            core = r.core.sort_values(["core_index", "candidate_id"], ascending=[False, True])
            words = {}
            for word in ("kern", "twijfel", "buiten"):
                ids = core.loc[core["core_nl"] == word, "candidate_id"].astype(str).tolist()
                words[word] = {"ids": ids, "meaning": CORE_WORDS_NL[word]}
            out["core"] = words
        return out

    def index_decision(self, dossiers: dict[str, str]) -> dict | None:
        """The Besluitvoorstel that opens the report: per scenario (basis first) the funded flats with
        their partners, cost and open points, the total against the budget, the flats that nearly made
        it, and for an infeasible scenario its conflicting rules and fixes; None without a portfolio.

        Everything is read from ``results.decisions`` (and the scenario's conflict and fixes from
        ``results.portfolio``), names and areas from ``results.screening.candidates``.

        Returns
        -------
        dict
            ``scenarios`` (one dict each, see :meth:`decision_scenario`) and ``reserved``: the Dutch
            line *N flats onder voorbehoud* of the basis decision, or None when the decision does not
            carry open points (column ``open_points_nl``).
        """
        decisions = self.results.decisions
        if self.pf is None or not decisions:
            return None
        cands = self.s.candidates
        cand = cands.set_index(cands["candidate_id"].astype(str))
        order = sorted(decisions, key=lambda name: name != "basis")  # basis first, the others as configured
        scenarios = [self.decision_scenario(name, decisions[name], cand, dossiers) for name in order]
        reserved = None
        basis = self.results.basis
        if basis is not None and OPEN_POINTS in basis.flats.columns:
            points = basis.funded[OPEN_POINTS].fillna("").astype(str)
            n = int(points.str.startswith(RESERVED_NL).sum())
            reserved = f"{n} {'flat' if n == 1 else 'flats'} {RESERVED_NL}"
        return {"scenarios": scenarios, "reserved": reserved}

    def decision_scenario(self, name: str, decision, cand: pd.DataFrame, dossiers: dict[str, str]) -> dict:
        """One scenario of the Besluitvoorstel.

        Parameters
        ----------
        name : str
            The scenario.
        decision : Decision
            Its decision (``results.decisions[name]``).
        cand : DataFrame
            The screening's candidates indexed by candidate id (names, areas, corporation, dwellings).
        dossiers : dict
            The dossier's file name per candidate id.

        Returns
        -------
        dict
            ``name``, ``label``, ``anchor``, ``map`` (the scenario's map or None), ``changes``,
            ``status_nl``, ``infeasible`` with ``conflict``, ``fixes`` and ``explanation``, ``summary``
            (the total against the budget), ``funded`` (a table for the ``table`` macro, with a
            total row) and ``near`` (the flats that nearly made it, or None) with ``near_more``.
        """
        flats = decision.flats
        has_points = OPEN_POINTS in flats.columns
        # dossier links here start with "./": the list of dossiers further down stays the one set of
        # links "dossiers/<id>.html" on the page (each dossier once; tests read it so)
        scen = self.pf.scenarios.get(name) if self.pf is not None else None
        comp = self.pf.comparison.set_index("scenario") if self.pf is not None else None
        status_nl = comp.loc[name, "status_nl"] if comp is not None and name in comp.index else decision.status
        stem = self.scenario_files[name]
        map_file = f"kaart_portefeuille_{stem}.html"
        out = {
            "name": name,
            "file": stem,
            "label": scenario_label(name),
            "anchor": "besluit-" + re.sub(r"[^A-Za-z0-9_-]", "_", str(name)),
            "map": map_file if any(f == map_file for f, _t in self.maps) else None,
            "changes": scenario_changes(self.ds.config, name),
            "status_nl": status_nl,
            "infeasible": decision.status == "infeasible",
            "conflict": list(getattr(scen, "conflict", None) or []),
            "fixes": list(getattr(scen, "fixes", None) or []),
            "explanation": decision.explanation,
            "n_fixed": int((flats["outcome"] == "fixed").sum()),
            "funded": None,
            "summary": None,
            "near": None,
            "near_more": 0,
        }
        if out["infeasible"]:
            return out
        funded = decision.funded.sort_values("candidate_id")
        rows = []
        for r in funded.itertuples(index=False):
            cid = str(r.candidate_id)
            c = cand.loc[cid] if cid in cand.index else pd.Series(dtype=object)
            row = {
                "Flat": {"href": f"./dossiers/{dossiers[cid]}", "text": cid} if cid in dossiers else cid,
                "Naam": c.get("name"),
                "Stadsdeel": self.names(c.get("stadsdeel_code")),
                "Corporatie": c.get("corporation"),
                "Woningen": nl_number(c["n_dwellings"]) if pd.notna(c.get("n_dwellings")) else None,
                "Subsidie": nl_eur(r.cost),
                "Voorkeursaanbieder zorg": _partner(r.provider_id, r.provider_name),
                "Welzijnsorganisatie": _partner(r.welfare_id, r.welfare_name),
            }
            if has_points:
                row["Open punten"] = _points(getattr(r, OPEN_POINTS))
            rows.append(row)
        numeric = ("Woningen", "Subsidie")
        table = _table_of_rows(rows, numeric=numeric)
        cost = float(comp.loc[name, "cost_eur"]) if comp is not None and name in comp.index else float("nan")
        dwellings = pd.to_numeric(cand.reindex(funded["candidate_id"].astype(str))["n_dwellings"], errors="coerce")
        if rows:
            foot = dict.fromkeys(rows[0], "")
            foot["Flat"] = f"Totaal: {len(rows)} {'flat' if len(rows) == 1 else 'flats'}"
            foot["Woningen"] = nl_number(dwellings.sum()) if dwellings.notna().all() else "onbekend"
            foot["Subsidie"] = nl_eur(cost)
            foot["Voorkeursaanbieder zorg"] = f"van het budget {nl_eur(decision.budget_eur)}"
            table["foot"] = [foot[c] for c in rows[0]]
        out["funded"] = table
        out["summary"] = {
            "n": len(rows),
            "cost": nl_eur(cost),
            "budget": nl_eur(decision.budget_eur),
            "left": nl_eur(decision.budget_eur - cost) if cost <= decision.budget_eur else None,
        }
        near = flats[flats["outcome"] == "out"].copy()
        if len(near):
            if "score_change_needed" not in near.columns:
                near["score_change_needed"] = np.nan
            near = near.sort_values(["score_change_needed", "cost", "candidate_id"], na_position="last")
            out["near_more"] = max(len(near) - NEAR_MAX, 0)
            nrows = []
            for r in near.head(NEAR_MAX).itertuples(index=False):
                cid = str(r.candidate_id)
                c = cand.loc[cid] if cid in cand.index else pd.Series(dtype=object)
                reason = str(r.reason_nl) if pd.notna(r.reason_nl) else None
                if reason and reason.startswith("uit: "):
                    reason = reason[len("uit: ") :]
                row = {
                    "Flat": {"href": f"./dossiers/{dossiers[cid]}", "text": cid} if cid in dossiers else cid,
                    "Naam": c.get("name"),
                    "Stadsdeel": self.names(c.get("stadsdeel_code")),
                    "Subsidie": nl_eur(r.cost),
                    "Waarom niet, en wat haalt de flat erin": reason,
                    "Benodigde scorewijziging": nl_number(r.score_change_needed, 2)
                    if pd.notna(r.score_change_needed) else "—",
                }  # fmt: skip
                share = getattr(r, "in_share_weights_vary", None)
                if "in_share_weights_vary" in near.columns:
                    row["Gekozen bij andere gewichten"] = nl_pct(share) if pd.notna(share) else "—"
                if has_points:
                    row["Open punten"] = _points(getattr(r, OPEN_POINTS))
                nrows.append(row)
            out["near"] = _table_of_rows(
                nrows, numeric=("Subsidie", "Benodigde scorewijziging", "Gekozen bij andere gewichten")
            )
        return out

    def index_progress(self) -> dict:
        """The progress towards the goal: the sentence (``text``), ``figure`` and the ``table`` per year."""
        prog = self.progress
        known = prog["realised_cumulative"].notna()  # years up to the reference year
        dated = prog["year"].notna()  # the last row holds the flats without a status year

        def fig(values, decimals: int = 0, *, where=None) -> list[str]:
            """The values as Dutch numbers, ``—`` where they do not apply (outside ``where``)."""
            where = dated if where is None else where & dated
            return [nl_number(v, decimals) if w and pd.notna(v) else "—" for v, w in zip(values, where, strict=True)]

        ptab = pd.DataFrame(
            {
                "Jaar": prog["year_nl"],
                "Gerealiseerd": fig(prog["realised"], where=known),
                "Gerealiseerd (totaal)": fig(prog["realised_cumulative"]),
                "Prognose bij huidig tempo": fig(prog["projected_cumulative"], 1),
                "Nodig voor het doel": fig(prog["required_cumulative"], 1),
            }
        )
        ptab = ptab[dated.to_numpy()]
        return {
            "text": self.results.progress_nl,
            "figure": "voortgang.png" in self.prints,
            "table": _table(ptab, numeric=tuple(ptab.columns[1:])),
        }

    def index_spread(self) -> dict:
        """The spread over the city (3.1): coverage, distance, dissimilarity, the table per stadsdeel.

        A stadsdeel with an area without 65+ figures reads *onbekend* for its residents 65+, its share
        and its coverage (``Spread.stadsdelen`` leaves them empty: a partial sum is not the stadsdeel's
        figure), and the column *Wijken zonder cijfers 65+* counts those areas per stadsdeel (its sum
        is the count in the note under the table).
        """
        sp = self.spread
        t = sp.stadsdelen
        wk = sp.wijken
        n_wijken = wk.groupby(wk["stadsdeel_code"].astype(str)).size() if len(wk) else pd.Series(dtype=int)
        city = sp.city.set_index("measure")["value"]
        n_unknown = int(city.get("residents_unknown_areas", t["residents_unknown_areas"].sum()))

        def unknown_areas(code: object, n: object) -> str:
            """``4 van 5`` (areas without figures of the stadsdeel's wijken), ``—`` when none."""
            if not n:
                return "—"
            total = n_wijken.get(str(code))
            return f"{nl_number(n)} van {nl_number(total)}" if total is not None and total >= n else nl_number(n)

        stab = pd.DataFrame(
            {
                "Stadsdeel": [self.names(c) for c in t["stadsdeel_code"]],
                "Gerealiseerd": [nl_number(v) for v in t["realised"]],
                "Gekozen": [nl_number(v) for v in t["chosen"]],
                "In ontwikkeling": [nl_number(v) for v in t["in_development"]],
                "Open kandidaten": [nl_number(v) for v in t["open_candidates"]],
                "Waarvan voldoen (3.1)": [nl_number(v) for v in t["open_pass"]],
                "Aandeel van de flats": [nl_pct(v, 1) for v in t["share_flats"]],
                "Inwoners 65+": [nl_number(v) for v in t["residents_65plus"]],
                "Aandeel van de 65-plussers": [nl_pct(v, 1) for v in t["share_65plus"]],
                "Dekking 65+": [nl_pct(v, 1) for v in t["coverage"]],
                "Wijken zonder cijfers 65+": [
                    unknown_areas(c, n) for c, n in zip(t["stadsdeel_code"], t["residents_unknown_areas"], strict=True)
                ],
            }
        )
        return {
            "n_unknown": n_unknown,
            "coverage": nl_pct(sp.coverage, 1),
            "distance": nl_number(sp.distance_m),
            "dissimilarity": nl_number(sp.dissimilarity, 3),
            "selection": sp.selection_nl,
            "table": _table(stab, numeric=tuple(stab.columns[1:])),
            "figure": "spreiding_stadsdelen.png" in self.prints,
            "notes": [*sp.notes, *getattr(sp, "details_nl", [])],
        }

    def index_screening(self) -> dict:
        """The screening (3.1): the counts as a sentence and a table, and the number of near misses."""
        counts = self.s.counts
        cand = self.s.candidates
        open_c = cand[cand["open_candidate"].astype(bool)]
        cnt = counts.rename(columns={
            "status_nl": "Status", "candidates": "Kandidaten", "groups": "Groepen", "flats": "Flats",
            "flats_in_groups": "Flats in groepen", "pass": "Voldoet", "unknown": "Onbekend", "fail": "Voldoet niet",
        })  # fmt: skip
        order = ["Status", "Flats", "Flats in groepen", "Groepen", "Kandidaten", "Voldoet", "Onbekend", "Voldoet niet"]
        cnt = cnt[order]
        n_near = (
            int(open_c["near_misses"].fillna("").astype(str).str.len().gt(0).sum()) if "near_misses" in open_c else 0
        )
        return {
            "counts_text": describe_counts(counts),
            "table": _table(cnt, numeric=tuple(cnt.columns[1:])),
            "near_misses": n_near,
        }

    def index_partners(self) -> dict:
        """The partner choice (2.2-2.4, 3.2, 4): the counts and the table of care providers."""
        a = self.c.assignment
        prov = self.c.providers.copy()
        assigned = a["provider_id"].value_counts()
        prov["toegewezen"] = [int(assigned.get(p, 0)) for p in prov["provider_id"]]
        ptab = pd.DataFrame({
            "Aanbieder": prov["provider_id"] + " " + prov["name"].astype(str),
            "Harde criteria 2.3": prov["eligibility_nl"],
            "Toelichting": prov["reason"],
            "Capaciteit (flats)": prov["capacity"],
            "Al in flats": prov["flats_already"],
            "Nu toegewezen": prov["toegewezen"],
        })  # fmt: skip
        return {
            "with_provider": int(a["provider_id"].notna().sum()),
            "candidates": len(a),
            "capacity_forced": int(a["capacity_forced"].sum()),
            "with_welfare": int(a["welfare_id"].notna().sum()),
            "without_consent": int(a["consent"].eq(False).fillna(False).sum()),
            "table": _table(ptab, numeric=("Capaciteit (flats)", "Al in flats", "Nu toegewezen")),
        }

    def index_portfolio(self) -> dict | None:
        """The portfolio per scenario: the comparison ``table`` (scenario linked to its map) and the
        printable maps (``pdfs``: href and label); None when no budget is set."""
        if self.pf is None:
            return None
        rows = []
        for r in self.pf.comparison.itertuples():
            funded = self.results.decisions[r.scenario].funded
            pairs = zip(funded["candidate_id"], funded["provider_id"], strict=True)
            na = "—" if r.flats_chosen == 0 else None  # no portfolio: the figures do not apply
            rows.append({
                "Scenario": {"href": f"kaart_portefeuille_{self.scenario_files[r.scenario]}.html",
                             "text": scenario_label(r.scenario)},
                "Wijzigt ten opzichte van basis": scenario_changes(self.ds.config, r.scenario) or "—",
                "Uitkomst": r.status_nl, "Budget": nl_eur(r.budget_eur), "Gekozen flats": r.flats_chosen,
                "Kosten": nl_eur(r.cost_eur), "Geschiktheid (totaal)": na or nl_number(r.suitability, 2),
                "Aandeel in focusgebieden": na or nl_pct(r.focus_share_all),
                "Dekking 65+": na or nl_pct(r.coverage_65plus, 1),
                "Gekozen (voorkeursaanbieder zorg)": ", ".join(f"{c} ({p})" for c, p in pairs),
                "Toelichting": r.explanation_nl,
            })  # fmt: skip
        numeric = ("Budget", "Gekozen flats", "Kosten", "Geschiktheid (totaal)", "Aandeel in focusgebieden",
                   "Dekking 65+")  # fmt: skip
        pdfs = [
            (f"afdruk/kaart_portefeuille_{self.scenario_files[name]}.pdf", scenario_label(name))
            for name in self.pf.scenarios
            if f"kaart_portefeuille_{self.scenario_files[name]}.pdf" in self.prints
        ]
        return {"table": _table_of_rows(rows, numeric=numeric), "pdfs": pdfs}

    def candidate_rows(self, dossiers: dict[str, str]) -> list[dict]:
        """One row per candidate for the report's list of dossiers, open candidates first."""
        cand = self.s.candidates.sort_values(["open_candidate", "candidate_id"], ascending=[False, True])
        a = self.c.assignment.set_index("candidate_id")
        basis = None
        if self.results.basis is not None:
            basis = self.results.basis.flats.set_index("candidate_id")
        rows = []
        for _, r in cand.iterrows():
            cid = str(r["candidate_id"])
            prov = a.loc[cid, "provider_id"] if cid in a.index else None
            if basis is not None and cid in basis.index and basis.loc[cid, "outcome"] != "fixed":
                pf = "in" if basis.loc[cid, "outcome"] == "in" else "uit"
            else:
                pf = "—"
            rows.append({
                "cid": cid, "dossier": dossiers[cid], "name": r["name"], "stadsdeel": self.names(r["stadsdeel_code"]),
                "dwellings": r["n_dwellings"], "status": r["status_nl"], "eligibility": r["eligibility"],
                "near": isinstance(r.get("near_misses"), str) and bool(r["near_misses"]),
                "provider": "" if prov is None or pd.isna(prov) else self.provider(prov), "portfolio": pf,
            })  # fmt: skip
        return rows

    def open_data_section(self) -> dict:
        """The open data the inputs were derived from, with its provenance (``llt-geo run --open-data``)."""
        folder, checked = self.open_data
        files, warnings = open_data_files(checked)
        return {
            "folder": folder,
            "count": nl_number(len(files)),
            "warnings": warnings,
            "table": _table(files, classes={"SHA-256": "hash", "URL": "hash", "Bron": "lang"}),
        }

    def verantwoording(self, extra_notes: list[str]) -> dict:
        """The verantwoording (``report_verantwoording.html.j2``): inputs, open data, settings, what was
        left out, the notes and the software."""
        ds = self.ds
        files = _table(input_files(ds), numeric=("Rijen gelezen", "Rijen gebruikt", "Rijen gemeld"),
                       classes={"SHA-256": "hash"})  # fmt: skip
        left_out = [
            {"table": table, "file": ds.files.get(table, ""), "rows": nl_number(n),
             "word": "rij" if int(n) == 1 else "rijen"}
            for table, n in ds.row_counts["rows_reported"].items()
            if int(n) > 0
        ]  # fmt: skip
        return {
            "files": files,
            "open_data": None if self.open_data is None else self.open_data_section(),
            "settings": _table(config_entries(ds), classes={"Waarom": "lang", "Sleutel": "hash"}),
            "n_files": nl_number(len(ds.files)),
            "left_out": left_out,
            "n_errors": nl_number(len(ds.errors)),
            "n_warnings": nl_number(len(ds.warnings)),
            "n_notes": nl_number(len(extra_notes)),
            "notes": [str(p) for p in ds.problems] + [str(n) for n in extra_notes],
            "libraries": _libraries(),
        }


def build_pack(
    dataset,
    results: Results,
    out: str | Path,
    *,
    maps: list[tuple[str, str]] | None = None,
    prints: list[str] | None = None,
    csvs: list[str] | None = None,
    notes: list[str] | None = None,
    open_data: tuple[str, list] | None = None,
) -> Pack:
    """Write the report (``index.html``), the dossiers and the shared assets into ``out``.

    The maps, print figures and CSV files are written by the caller (``llt-geo run``); here they are
    linked by name (``maps``: file and Dutch title; ``prints``: files in ``afdruk/``; ``csvs``).
    ``open_data``: (folder name, :func:`llt_geo.io.opendata.fetch.check_cache` of it) adds the open
    data's provenance to the verantwoording; without it the pack is unchanged.

    Returns
    -------
    Pack
        The folder and the files written here.
    """
    from .offline import asset_files

    out = Path(out)
    (out / "dossiers").mkdir(parents=True, exist_ok=True)
    (out / "assets").mkdir(parents=True, exist_ok=True)
    screening = results.screening
    b = _Builder(dataset, results, out, maps or [], prints or [], csvs or [], open_data)
    written: list[str] = []
    assets = {name: text.encode("utf-8") for name, text in asset_files().items()}
    assets["llt.css"] = (resources.files(__package__) / "static" / "llt.css").read_bytes()
    for name, data in assets.items():
        (out / "assets" / name).write_bytes(data)
        written.append(f"assets/{name}")
    dossiers = dossier_names(screening.candidates["candidate_id"])
    keep = set(dossiers.values())
    for old in (out / "dossiers").glob("*.html"):
        if old.name not in keep:
            old.unlink()
    for _, cand in screening.candidates.iterrows():
        name = dossiers[str(cand["candidate_id"])]
        (out / "dossiers" / name).write_bytes(b.dossier(cand).encode("utf-8"))
        written.append(f"dossiers/{name}")
    try:
        from .traceability import to_html as trace_html

        trace = Markup(trace_html())  # escaped cell by cell by to_html
    except ImportError:  # pragma: no cover - the module ships with llt_geo
        trace = None  # the report says the table is missing
    page = b.index(dossiers, notes or [], trace)
    (out / "index.html").write_bytes(page.encode("utf-8"))
    written.append("index.html")
    return Pack(out, written)
