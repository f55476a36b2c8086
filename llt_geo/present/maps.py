"""Folium maps for the stuurgroep: the only module that reprojects to EPSG:4326.

The maps are read by directors in a browser, often offline. Everything they see is Dutch; every
colour, size, shading and symbol is explained by a legend built from the same dictionaries as the
drawing (:mod:`llt_geo.present.palette`, colour-blind safe); every map states what it shows, the
peildatum and its source (the dataset's label with the fictional-data notice, llt_geo's version,
the basemap).

Offline and safe:

- only Leaflet is used (:func:`llt_geo.present.offline.make_offline` writes it into the page or refers to
  a shared ``assets`` folder): popups and tooltips are set from JSON strings (folium's own put
  the text into a JavaScript template literal and need another library; :class:`SafePopup` and
  :class:`SafeTooltip` do the same for a single folium marker), intramural sites are squares
  drawn with a ``L.divIcon``, and no icon font is used;
- every text from the data is HTML-escaped before it reaches a popup, tooltip, layer name or
  the search list, and every string written into a script is JSON with ``</`` written as
  ``<\\/``; the panels (title box, legend, the tile-status line) are Jinja2 templates with
  autoescape, so data text goes in as a plain value and only markup built here (the legend's
  SVG symbols) is passed as :class:`markupsafe.Markup`; finished HTML is added to the page as a
  value (:class:`_Html`), never as template source, so ``{{ … }}`` in a name is shown, not run;
- without tiles (no internet, or ``[report] basemap = "none"``) the stadsdelen are drawn with a
  light fill and their names, and one quiet line says that the background did not load.

Class names a browser test can rely on: ``llt-flat`` (one circle per flat drawn), ``llt-site``,
``llt-legend``, ``llt-title``, ``llt-criteria`` (the criteria table in a screening popup),
``llt-search`` (the search input) and ``llt-tile-status``.

Small pages (a stuurgroep pack must stay under 5 MB): markers are data, not script per marker.
folium writes every ``CircleMarker`` as its own variable with its options, a tooltip and a popup
binding, about 1 KB of script per flat; here each layer writes one JSON array of rows (``[lat, lon,
radius, style, popup, tooltip, search position]``) and a short loop that makes the same
``L.circleMarker`` with the same options, popup and tooltip (:class:`_Circles`; near-miss rings
too). What the markers of a page share is written once (:class:`_ContentStore`): circle styles,
and popup and tooltip texts, deduplicated and cut into pieces that are written once each
(criteria tables repeat the same criteria, verdicts and reasons) and joined back into exactly the
same HTML when the page loads. The loops register each flat's marker and layer for the search box.
Sites and area labels are rows of one :class:`_Icons` each, areas compact GeoJSON
(:class:`_Areas`), and :func:`save_map` drops folium's indentation. A portfolio map is about half
the size it was with folium's elements; in a pack, where the code and the shared data are in
``assets/``, about a fifth.

Maps are deterministic: folium gives every element a random id, which :func:`stable_ids` replaces
by a counter so that the same data gives the same HTML, byte for byte.

Where the templates live: markup and script are package data of ``llt_geo.present``, not strings
in this module, so that escaping is structural and each language can be read (and checked) on its
own; this module builds data and chooses, the files say how it looks.

- ``static/llt_map_*.js``: the script of each element (:class:`_ContentStore`, :class:`_Circles`,
  :class:`_Icons`, :class:`_Areas`, :class:`_Points`, :class:`_Controls`, :class:`_Search`,
  :class:`_FeatureTooltip`, :class:`SafePopup`, :class:`SafeTooltip`): JavaScript with the Jinja
  expressions folium fills in (``{{ this.rows_js() }}``, every value from the data as JSON), put
  into the element's ``script`` macro by :func:`_script`; most pass their data to a function of
  ``static/llt_map.js``, the code every map shares, which :func:`llt_geo.present.offline.make_offline`
  writes into the page or (a stuurgroep pack) loads from ``assets/llt_map.js``, as it does Leaflet.
  ``static/llt_map.css``: the stylesheet written into every page.
- Data every map of a pack holds the same (the areas with their tooltips, the search list, the
  sites, the amenities) is written once: :func:`save_map` with ``assets`` writes each such block
  into ``assets/llt_data.js`` under its content hash and the page refers to ``LLT_DATA["<hash>"]``
  (:func:`_shared`); without ``assets`` the page holds it itself and works on its own.
- ``templates/map_panels.html.j2``: the HTML of the panels (the stylesheet's ``<style>``, the
  page title, the title box with peildatum and source, the legend, the tile-status line, the
  notebook frame), one macro each, rendered with autoescape (:func:`_panels`); in
  ``templates/`` (shared with the report's templates) because they are filled with the data's text.

The files are read once per process (:func:`_static`, :func:`_panels`), their names start with
``llt_map``/``map`` so that they do not collide with the report's files in the same folders, and
``pyproject.toml`` ships both folders as package data.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import Path

import folium
import geopandas as gpd
import jinja2
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template
from markupsafe import Markup, escape

from ..io import CRS_WGS84, Dataset
from ..labels import ASPECTS, FREE_CHOICE_NL, OUTCOME_NL, describe_counts, kind_nl, nl_date, nl_pct
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
    PROVIDER_PALETTE,
    SITE_COLOUR,
    STATUS_COLOURS,
    portfolio_style,
)

__all__ = [
    "ELIGIBILITY_COLOURS",
    "ELIGIBILITY_LABELS_NL",
    "STATUS_COLOURS",
    "SafePopup",
    "SafeTooltip",
    "overview_map",
    "partners_map",
    "portfolio_map",
    "refresh_panels",
    "save_map",
    "screening_map",
    "stable_ids",
]

PDOK_URL = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
PDOK_ATTRIBUTION = "Kaart: © Kadaster / PDOK (BRT-Achtergrondkaart)"
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap-bijdragers"
TILE_STATUS_NL = "Achtergrondkaart niet geladen (geen internet); gebieden en flats zijn wel getekend."

#: circle radius (pixels) by number of dwellings: (lower bound, radius, Dutch legend label)
SIZE_CLASSES = (
    (0, 4.0, "minder dan 50 woningen (of onbekend)"),
    (50, 5.5, "50–99 woningen"),
    (100, 7.0, "100–149 woningen"),
    (150, 8.5, "150–249 woningen"),
    (250, 10.0, "250 woningen of meer"),
)
#: buffer around the members of a group, and the simplification of area boundaries (metres, RD)
GROUP_BUFFER_M = 40.0
SIMPLIFY_M = 5.0

_AMENITY_LABELS_NL = {
    "supermarkt": "Supermarkt",
    "huisarts": "Huisarts",
    "apotheek": "Apotheek",
    "ov_halte": "Ov-halte",
    "buurthuis": "Buurthuis",
    "bibliotheek": "Bibliotheek",
}
_STATUS_WORDS_NL = OUTCOME_NL


# --------------------------------------------------------------------------------------------
# text: plain, escaped, and as a JavaScript literal


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: object) -> str:
    """A cell as Dutch plain text: missing -> "onbekend", yes/no -> "ja"/"nee", 12.0 -> "12"."""
    if _missing(value):
        return "onbekend"
    if isinstance(value, bool | np.bool_):
        return "ja" if value else "nee"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _e(value: object) -> str:
    """A cell as escaped HTML text (see :func:`_text`)."""
    return html.escape(_text(value))


def _js(value: object) -> str:
    """A value as a JavaScript literal that is safe inside ``<script>``: JSON, ``</`` as ``<\\/``."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("</", "<\\/").replace("<!--", "<\\!--").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def _js_text(value: str) -> str:
    """Plain text (not HTML) as a JavaScript string with ``<``, ``>`` and ``&`` as ``\\u`` escapes.

    For text a script sets with ``textContent`` or ``value`` (the search list): the browser gets the
    name exactly as typed, and the page's source never holds markup from the data.
    """
    text = json.dumps(str(value), ensure_ascii=False)
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                       ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, code)
    return text


#: the data blocks of the page being written for a folder with shared assets (content hash -> JavaScript
#: literal), or None: every block is written into the page (see :func:`_shared` and :func:`save_map`)
_SHARED: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("llt_shared", default=None)

#: a block shorter than this stays in the page (its reference would save next to nothing)
_SHARED_MIN = 1000


def _shared(literal: str) -> str:
    """A large data block (a JavaScript literal: JSON) as the page writes it: itself, or, when the page is
    written for a folder with shared assets (a stuurgroep pack), ``LLT_DATA["<content hash>"]``.

    The block then goes into ``assets/llt_data.js`` (:func:`llt_geo.present.offline.write_shared_data`),
    once for all maps that hold it (the areas, the search list and the sites are the same on every map).
    The scripts only read these blocks, so maps and layers can share one copy.
    """
    blocks = _SHARED.get()
    if blocks is None or len(literal) < _SHARED_MIN:
        return literal
    key = hashlib.sha256(literal.encode("utf-8")).hexdigest()[:16]
    blocks[key] = literal
    return f'LLT_DATA["{key}"]'


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _peildatum_nl(dataset: Dataset) -> str:
    value = str(getattr(dataset, "peildatum", None) or "")[:10]
    try:
        return f"peildatum {nl_date(value)}" if value else "peildatum onbekend"
    except ValueError:
        return "peildatum onbekend"


def _version() -> str:
    from .._version import __version__ as version

    if version:
        return str(version)
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("llt_geo")
    except PackageNotFoundError:  # pragma: no cover - not installed
        return "onbekend"


# --------------------------------------------------------------------------------------------
# geometry


def stable_ids(element: folium.Element, *, prefix: str = "llt") -> folium.Element:
    """Replace folium's random element ids by a counter, in tree order, so output is deterministic.

    Parameters
    ----------
    element : folium.Element
        Usually the :class:`folium.Map`; changed in place and returned.
    """
    from branca.element import Element as _BrancaElement

    counter = 0
    seen: set[int] = set()

    def visit(el: _BrancaElement) -> None:
        nonlocal counter
        if id(el) in seen:
            return
        seen.add(id(el))
        counter += 1
        el._id = f"{prefix}{counter:06d}"
        children = list(el._children.values())
        el._children.clear()
        for child in children:
            visit(child)
            el._children[child.get_name()] = child
        for attr, value in sorted(vars(el).items()):
            if attr != "_parent" and isinstance(value, _BrancaElement):
                visit(value)

    visit(element)
    return element


def _to_map_crs(frame: gpd.GeoDataFrame, *, decimals: int = 6, simplify_m: float | None = None) -> gpd.GeoDataFrame:
    """Reprojected to EPSG:4326 with coordinates rounded; polygons first simplified in RD (metres)."""
    out = frame
    if simplify_m and len(frame):
        out = frame.set_geometry(frame.geometry.simplify(simplify_m, preserve_topology=True))
    out = out.to_crs(CRS_WGS84)
    return out.set_geometry(out.geometry.set_precision(10**-decimals))


def _latlon(point) -> list[float]:
    return [round(float(point.y), 6), round(float(point.x), 6)]


def _radius(n_dwellings: object) -> float:
    n = 0 if _missing(n_dwellings) else float(n_dwellings)
    radius = SIZE_CLASSES[0][1]
    for lower, r, _label in SIZE_CLASSES:
        if n >= lower:
            radius = r
    return radius


def _ageing_class(share: object) -> int | None:
    """Index into AGEING_COLOURS of a share of residents aged 65+ (None when unknown)."""
    if _missing(share):
        return None
    return int(np.searchsorted(np.asarray(AGEING_BINS), float(share), side="right"))


def _ageing_labels() -> list[str]:
    bounds = [round(100 * b) for b in AGEING_BINS]
    labels = [f"minder dan {bounds[0]} %"]
    labels += [f"{lo}–{hi} %" for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    return [*labels, f"{bounds[-1]} % of meer"]


# --------------------------------------------------------------------------------------------
# templates: the elements' scripts and the stylesheet (static/), the panels' HTML (templates/)


@functools.cache
def _static(name: str) -> str:
    """The text of a file in ``llt_geo/present/static/`` (read once per process).

    Parameters
    ----------
    name : str
        The file's name, e.g. ``"llt_map_circles.js"``.
    """
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _script(name: str) -> Template:
    """An element's folium template: the ``script`` macro around a file of :func:`_static`.

    The file is JavaScript with Jinja expressions (``{{ this.rows_js() }}``) that folium fills in
    when the page is rendered; every value from the data reaches it as JSON from such a method.
    """
    return Template("{% macro script(this, kwargs) %}\n" + _static(name) + "{% endmacro %}")


@functools.cache
def _panels():
    """The macros of ``templates/map_panels.html.j2`` (autoescaped; loaded once per process).

    Returns
    -------
    jinja2 template module
        ``style``, ``page_title``, ``title_box``, ``legend``, ``tile_status`` and
        ``notebook_frame``; each returns :class:`markupsafe.Markup`.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("llt_geo.present", "templates"), autoescape=True, keep_trailing_newline=True
    )
    return env.get_template("map_panels.html.j2").module


class _Html(Element):
    """Finished HTML in the page (a panel, the stylesheet), written as it is.

    :class:`branca.element.Element` compiles the string it is given as a Jinja template, so a
    name from the data such as ``{{ 7*7 }}`` would be evaluated; here the HTML is a value of the
    template, never its source.
    """

    _template = Template("{{ this.markup }}")

    def __init__(self, markup: Markup) -> None:
        super().__init__()
        self.markup = str(markup)


# --------------------------------------------------------------------------------------------
# elements: popups and tooltips from JSON strings, compact markers, the page's controls


class _ContentStore(MacroElement):
    """What the markers of a page share, written once: texts, circle styles, the flats searched.

    Texts (popups and tooltips, HTML escaped in Python): the same text is stored once (members of
    a group share their group's popup), and each text is cut before its table rows, line breaks,
    bold texts, paragraphs, tables and each ": "; every piece is written once (the most used
    first, so with the shortest index) and each text as the list of its pieces, joined back into
    exactly the same HTML when the page loads. Criteria tables repeat the same criteria, verdicts
    and many reasons, and tooltips the same "…: status", so this writes well under half the text.

    Styles: the options of a circle (colours, weight, ``dashArray``, ``className``) with its
    popup's ``maxWidth``, each written once. ``flats`` is filled by the layers' loops: for each
    entry of the search list (by position) the flat's [marker, layer].
    """

    _template = _script("llt_map_store.js")

    #: where a text is cut into pieces
    _CUT = re.compile(
        r"(?=<t[dhr]|<br|<b>|<p>|</?table|</div|: |\.html\">| openen</a>)"  # before these
        r"|(?<=<a href=\")|(?<=/)(?=[\w-]+\.html\")|(?<=\">Dossier )"  # a dossier link: its folder, file, id
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MarkerStore"
        self.items: list[str] = []
        self._index: dict[str, int] = {}
        self.styles: list[str] = []
        self._style_index: dict[str, int] = {}
        self.search: list[str] = []  # the search list's labels (plain text), sorted by _finish
        self.search_position: dict[int, int] = {}  # flat's serial number -> position in the search list

    def add(self, content: str) -> int:
        """The index of a text (popup or tooltip), stored once."""
        if content not in self._index:
            self._index[content] = len(self.items)
            self.items.append(content)
        return self._index[content]

    def style(self, options: dict, max_width: int | None = None) -> int:
        """The index of a circle's options (and its popup's ``maxWidth``), stored once."""
        text = _js([options] if max_width is None else [options, int(max_width)])
        if text not in self._style_index:
            self._style_index[text] = len(self.styles)
            self.styles.append(text)
        return self._style_index[text]

    def _pieces(self) -> tuple[list[str], list[list[int]]]:
        cut = [[p for p in self._CUT.split(s) if p] for s in self.items]
        count: dict[str, int] = {}
        for pieces in cut:
            for p in pieces:
                count[p] = count.get(p, 0) + 1
        order = sorted(count, key=lambda p: (-count[p], p))
        index = {p: i for i, p in enumerate(order)}
        return order, [[index[p] for p in pieces] for pieces in cut]

    def texts_js(self) -> str:
        """``var parts = [...];`` and ``var texts = [...];``: the pieces, and each text as its pieces."""
        parts, texts = self._pieces()
        return (
            "var parts = [\n" + ",\n".join(_js(p) for p in parts) + "\n];\n"
            "  var texts = [\n" + ",\n".join(_js(t) for t in texts) + "\n];"
        )

    def styles_js(self) -> str:
        return "[\n" + ",\n".join(self.styles) + "\n]"


class SafePopup(folium.Popup):
    """A popup whose content is set from a JSON string (no template literal, no other library).

    Parameters
    ----------
    content : str
        The popup's HTML, built by llt_geo with every text from the data escaped.
    max_width : int
        Leaflet's ``maxWidth`` in pixels.
    store : _ContentStore, optional
        The page's store of popup contents: the same content is then written once.
    """

    _template = _script("llt_map_popup.js")

    def __init__(self, content: str, *, max_width: int = 320, store: _ContentStore | None = None) -> None:
        MacroElement.__init__(self)
        self._name = "Popup"
        self.content = content
        self.store = store
        self.index = store.add(content) if store is not None else None
        self.options = {"maxWidth": int(max_width)}

    def content_js(self) -> str:
        if self.store is None:
            return _js(self.content)
        return f"{self.store.get_name()}.texts[{self.index}]"

    def options_js(self) -> str:
        return _js(self.options)

    def render(self, **kwargs) -> None:
        MacroElement.render(self, **kwargs)


class SafeTooltip(folium.Tooltip):
    """A tooltip set from a JSON string; ``text`` is HTML (escape data before passing it)."""

    _template = _script("llt_map_tooltip.js")

    def __init__(self, text: str, *, sticky: bool = False, **options) -> None:
        MacroElement.__init__(self)
        self._name = "Tooltip"
        self.text = str(text)
        self.options = {"sticky": bool(sticky), **options}

    def text_js(self) -> str:
        return _js(self.text)

    def options_js(self) -> str:
        return _js(self.options)


class _FeatureTooltip(MacroElement):
    """Tooltips of a GeoJson layer from each feature's ``tip`` property (HTML escaped in Python)."""

    _template = _script("llt_map_feature_tooltip.js")

    def __init__(self) -> None:
        super().__init__()
        self._name = "FeatureTooltip"


def _num(value: float) -> str:
    """A number for a script: 4.0 -> "4", 52.3712345 -> "52.371234" (six decimals at most)."""
    value = round(float(value), 6)
    return str(int(value)) if value.is_integer() else repr(value)


class _Circles(MacroElement):
    """The circles of one layer: one array of rows and a loop that draws them (``L.circleMarker``).

    A row is ``[lat, lon, radius, style]`` for a ring (no popup), or ``[lat, lon, radius, style,
    popup, tooltip, search]`` for a flat: ``style``, ``popup`` and ``tooltip`` are indices into
    the page's :class:`_ContentStore` (its styles and texts), ``search`` the flat's position in
    the search list, where the loop registers the marker and its layer. Written instead of one
    folium ``CircleMarker`` with a popup and a tooltip per flat (about 1 KB of script each).
    """

    _template = _script("llt_map_circles.js")

    def __init__(self, store: _ContentStore) -> None:
        super().__init__()
        self._name = "Circles"
        self.store = store
        self.rows: list[tuple[str, int | None]] = []  # (row without its search position, flat's serial number)

    def add(self, location: list[float], radius: float, style: int, popup: int | None = None,
            tooltip: int | None = None, serial: int | None = None) -> None:  # fmt: skip
        row = [_num(location[0]), _num(location[1]), _num(radius), str(int(style))]
        if popup is not None:
            row += [str(int(popup)), str(int(tooltip))]
        self.rows.append(("[" + ",".join(row), serial))

    def rows_js(self) -> str:
        position = self.store.search_position
        rows = [row + ("]" if serial is None else f",{position[serial]}]") for row, serial in self.rows]
        return "[\n" + ",\n".join(rows) + "\n]"


def _circles(m: LltMap, layer: folium.FeatureGroup) -> _Circles:
    """The :class:`_Circles` of a layer (made on first use)."""
    for child in layer._children.values():
        if isinstance(child, _Circles):
            return child
    circles = _Circles(m.llt_store)
    layer.add_child(circles)
    return circles


class _Icons(MacroElement):
    """Markers drawn by CSS (``L.divIcon``), all of one kind: squares for sites, labels for areas.

    A row is ``[lat, lon, html]`` or ``[lat, lon, html, tooltip]``; the icon's class and size are
    written once. Both texts are HTML (escaped in Python).
    """

    _template = _script("llt_map_icons.js")

    def __init__(self, *, class_name: str, size: tuple[int, int], interactive: bool = True) -> None:
        super().__init__()
        self._name = "Icons"
        self.icon = {"className": class_name, "iconSize": list(size)}
        self.interactive = interactive
        self.rows: list[str] = []

    def add(self, location: list[float], html_text: str = "", tooltip: str | None = None) -> None:
        row = [_num(location[0]), _num(location[1]), _js(str(html_text))]
        if tooltip is not None:
            row.append(_js(str(tooltip)))
        self.rows.append("[" + ",".join(row) + "]")

    def options_js(self) -> str:
        return _js({"keyboard": False, **({} if self.interactive else {"interactive": False})})

    def icon_js(self) -> str:
        return _js(self.icon)

    def rows_js(self) -> str:
        return _shared("[\n" + ",\n".join(self.rows) + "\n]")


def _geometry_js(geom) -> dict:
    """A geometry as GeoJSON, coordinates to five decimals (about a metre; areas are simplified by 5 m)."""
    from shapely.geometry import mapping

    def rounded(c):
        if isinstance(c, (tuple, list)):
            return [rounded(x) for x in c]
        value = round(float(c), 5)
        return int(value) if value.is_integer() else value

    g = mapping(geom)
    return {"type": g["type"], "coordinates": rounded(g["coordinates"])}


class _Areas(folium.map.Layer):
    """Polygons as one compact GeoJSON (``L.geoJson``): each feature's style is an index into a short list.

    Parameters
    ----------
    frame : GeoDataFrame
        In EPSG:4326 (see :func:`_to_map_crs`), with a column ``tip``: the tooltip, HTML escaped.
    styles : list of dict
        Leaflet path options.
    style_of : list of int, optional
        Each feature's style (index into ``styles``); the first style for every feature when not given.
    subset_of : tuple of (_Areas, list of int), optional
        Draw rows of another layer's frame (by position) in the first style, without writing their
        geometry again (the ageing wijken are wijken); ``frame`` is then not used.

    Written instead of :class:`folium.GeoJson`, which writes its data with spaces and indentation,
    an ``id`` per feature and a ``switch`` over every id for the style.
    """

    _template = _script("llt_map_areas.js")

    def __init__(self, frame: gpd.GeoDataFrame | None, *, styles: list[dict], style_of: list[int] | None = None,
                 name: str | None = None, control: bool = True, show: bool = True,
                 subset_of: tuple[_Areas, list[int]] | None = None) -> None:  # fmt: skip
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = "Areas"
        self.styles = styles
        self.features: list[dict] = []
        self.positions: list[int] = []  # the frame's rows drawn (rows without geometry are left out)
        self.subset: tuple[_Areas, list[int]] | None = None
        if subset_of is not None:
            source, rows = subset_of
            index = {row: i for i, row in enumerate(source.positions)}
            self.subset = (source, [index[r] for r in rows if r in index])
        else:
            style_of = [0] * len(frame) if style_of is None else [int(s) for s in style_of]
            for position, (s, tip, geom) in enumerate(zip(style_of, frame["tip"], frame.geometry, strict=True)):
                if geom is not None and not geom.is_empty:
                    self.features.append(
                        {"type": "Feature", "properties": {"s": s, "tip": str(tip)}, "geometry": _geometry_js(geom)}
                    )
                    self.positions.append(position)
        self.add_child(_FeatureTooltip())

    def first_js(self) -> str:
        """``true``: every feature in the first style (a subset); ``false``: each in its own."""
        return "true" if self.subset is not None else "false"

    def styles_js(self) -> str:
        return _js(self.styles)

    def data_js(self) -> str:
        if self.subset is not None:
            source, features = self.subset
            return (
                f'{{"type":"FeatureCollection","features":{_js(features)}.map(function (i) {{ '
                f"return {source.get_name()}.features[i]; }})}}"
            )
        features = "[\n" + ",\n".join(_js(f) for f in self.features) + "\n]"
        return '{"type":"FeatureCollection","features":' + _shared(features) + "}"


class _Points(MacroElement):
    """Many small circles in one compact array (amenities): [lat, lon, kind index, escaped name]."""

    _template = _script("llt_map_points.js")

    def __init__(self, kinds: list[tuple[str, str]], points: list[list]) -> None:
        super().__init__()
        self._name = "Points"
        self.kinds = kinds
        self.points = points

    def kinds_js(self) -> str:
        return _js([list(k) for k in self.kinds])

    def points_js(self) -> str:
        return _shared("[" + ",\n".join(_js(p) for p in self.points) + "]")


class _Controls(MacroElement):
    """Rendered last: the title and legend boxes as Leaflet controls, the extent, popups clear of the panels.

    The panels sit in the corners (title top left; search and the collapsed layer list top right;
    legend and scale bottom left; zoom buttons and attribution bottom right). The city is fitted
    into what the panels leave free: for each corner the script tries keeping the map below or
    above it or beside it, and takes the combination with the largest zoom. A popup is moved
    (the map pans) to the nearest place where it covers no panel; when there is none (a small
    screen), the panels it would cover are hidden while it is open (class ``llt-under``).
    """

    _template = _script("llt_map_controls.js")

    def __init__(self, tile_layers: list, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "Controls"
        self.tile_layers = tile_layers
        self.bounds = bounds

    def bounds_js(self) -> str:
        return _js([[round(float(v), 6) for v in corner] for corner in self.bounds])


class _Search(MacroElement):
    """A search box (Leaflet control, plain script): every flat as "id — name — address"."""

    _template = _script("llt_map_search.js")

    def __init__(self, store: _ContentStore) -> None:
        super().__init__()
        self._name = "Search"
        self.store = store  # its labels; its "flats" (by position: [marker, layer]) are filled by the layers' circles

    def items_js(self) -> str:
        rows = [_js_text(label) for label in self.store.search]
        return _shared("[\n" + ",\n".join(rows) + "\n]")


def _css() -> Markup:
    """The page's ``<style>``: ``static/llt_map.css`` and a colour rule per eligibility status."""
    return _panels().style(Markup(_static("llt_map.css")), list(ELIGIBILITY_COLOURS.items()))


_INDENT = re.compile(r"\n[ \t\n]*")


def _page(m: folium.Map, *, assets: str | None = None) -> tuple[str, dict[str, str]]:
    """The page of a map, offline (:func:`llt_geo.present.offline.make_offline`), without folium's indentation,
    and the data blocks it refers to in ``assets/llt_data.js`` (:func:`_shared`; none without ``assets``).

    Only the whitespace at the start of a line and empty lines are dropped: no script holds a
    string over more than one line (JSON) and the page has no preformatted text.
    """
    from .offline import make_offline

    token = _SHARED.set(None if assets is None else {})
    try:
        text = m.get_root().render()
        blocks = _SHARED.get() or {}
    finally:
        _SHARED.reset(token)
    return make_offline(_INDENT.sub("\n", text), assets=assets, shared=bool(blocks)), blocks


class LltMap(folium.Map):
    """A :class:`folium.Map` that shows offline in a notebook too: Leaflet written into the frame.

    Besides the map it collects what the page's legend, popup store and search box need.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.llt_store = _ContentStore()
        self.add_child(self.llt_store)
        # (heading, [(symbol, label)]): plain text, and SVG markup from the _sym_* functions
        self.llt_legend: list[tuple[str, list[tuple[Markup, str]]]] = []
        self.llt_search: list[tuple[str, int]] = []  # (label, the flat's serial number)
        self.llt_tiles: list = []
        self.llt_bounds: list[list[float]] = [[52.28, 4.73], [52.43, 5.07]]
        self.llt_dossiers: str | None = None  # relative URL of the dossiers' folder: popups link to them
        self.llt_dossier_names: dict[str, str] = {}  # the dossier's file name per candidate id
        self.llt_legend_open = 1  # the legend's sections open at first (those saying what the flats' colours mean)
        self.llt_banner: dict | None = None  # an infeasible scenario's banner: heading, explanation, conflict, fixes

    def _repr_html_(self, **_kwargs) -> str:
        page, _blocks = _page(self)
        # in a double-quoted attribute only & and " need escaping (keeps the notebook small)
        srcdoc = Markup(page.replace("&", "&amp;").replace('"', "&quot;"))
        return str(_panels().notebook_frame(srcdoc))


# --------------------------------------------------------------------------------------------
# legend symbols (SVG), from the same values as the drawing


def _sym_circle(fill: str, stroke: str, *, r: float = 5.5, weight: float = 1, dash: str | None = None,
                fill_opacity: float = 0.85, mark: str | None = None) -> Markup:  # fmt: skip
    """A circle as drawn on the map, as SVG markup for the legend.

    Parameters
    ----------
    fill, stroke : str
        Colours from :mod:`llt_geo.present.palette` (``"none"``: no fill).
    mark : str, optional
        The short text drawn on it (a provider's number), as on the map; escaped here.
    """
    if mark is not None:
        r = max(r, 7.0)
    size = int(2 * r + 2 * weight + 4)
    c = size / 2
    d = f' stroke-dasharray="{dash}"' if dash else ""
    f = "none" if fill == "none" else fill
    text = ""
    if mark is not None:
        text = (
            f'<text x="{c}" y="{c}" dy="0.35em" text-anchor="middle" font-family="Arial,Helvetica,sans-serif" '
            f'font-size="10" font-weight="bold" fill="#000" stroke="#fff" stroke-width="2.5" '
            f'paint-order="stroke">{escape(mark)}</text>'
        )
    return Markup(
        f'<svg width="{size}" height="{size}"><circle cx="{c}" cy="{c}" r="{r}" fill="{f}" '
        f'fill-opacity="{fill_opacity}" stroke="{stroke}" stroke-width="{weight}"{d}/>{text}</svg>'
    )


def _sym_flat(key: str, *, mark: str | None = None, fill: str | None = None) -> Markup:
    """A flat in one state (:data:`llt_geo.present.palette.FLAT_STYLES`) as drawn on every map, for the legend.

    ``fill`` replaces the state's fill (a provider's colour on the partners map); ``mark`` is the
    short text drawn on it.
    """
    style = FLAT_STYLES[key]
    return _sym_circle(style.fill if fill is None else fill, style.stroke, weight=style.weight, dash=style.dash,
                       mark=mark)  # fmt: skip


def _flat_style(key: str) -> dict:
    """The drawing of a flat in one state, as keyword arguments of :func:`_flat_marker`."""
    style = FLAT_STYLES[key]
    return {"colour": style.stroke, "fill": style.fill, "weight": style.weight, "dash": style.dash}


def _sym_square(colour: str) -> Markup:
    """A site's square, as SVG markup for the legend."""
    return Markup(
        f'<svg width="14" height="14"><rect x="2" y="2" width="10" height="10" fill="{colour}" stroke="#fff"/></svg>'
    )


def _sym_area(fill: str, stroke: str, *, dash: str | None = None, weight: float = 1,
              fill_opacity: float = 0.7) -> Markup:  # fmt: skip
    """An area's fill and outline, as SVG markup for the legend."""
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return Markup(
        f'<svg width="22" height="14"><rect x="1" y="1" width="20" height="12" fill="{fill}" '
        f'fill-opacity="{fill_opacity}" stroke="{stroke}" stroke-width="{weight}"{d}/></svg>'
    )


def _legend_html(sections: list[tuple[str, list[tuple[Markup, str]]]], n_open: int = 1) -> Markup:
    """The legend: bottom left, scrollable, folded shut by a click on "Legenda" (open at first).

    Parameters
    ----------
    sections : list of (str, list of (Markup, str))
        Each section's heading (plain text) and rows: a symbol (SVG from ``_sym_*``) and its label
        (plain text). The texts are escaped by the template (``map_panels.html.j2``).
    n_open : int
        The first ``n_open`` sections are open, the others folded shut.
    """
    return _panels().legend(sections, n_open)


def _size_legend() -> tuple[str, list[tuple[Markup, str]]]:
    rows = [(_sym_circle("#ffffff", "#333333", r=r), label) for _lo, r, label in SIZE_CLASSES]
    return ("Grootte van een cirkel: woningen in de flat", rows)


# --------------------------------------------------------------------------------------------
# the base map, areas and the layers every map shares


def _area_names(dataset: Dataset) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for level, frame in (("stadsdeel", dataset.stadsdelen), ("wijk", dataset.wijken), ("buurt", dataset.buurten)):
        col = f"{level}_code"
        if frame is None or col not in frame.columns or "name" not in frame.columns:
            out[level] = {}
            continue
        out[level] = {str(c): str(n) for c, n in zip(frame[col], frame["name"], strict=True) if not _missing(n)}
    return out


def _area_text(names: dict[str, dict[str, str]], row: pd.Series) -> str:
    """Names with codes, e.g. "Centrum (A) / Burgwallen-Nieuwe Zijde (AB) / … (AB02)", escaped."""
    parts = []
    for level in ("stadsdeel", "wijk", "buurt"):
        code = row.get(f"{level}_code")
        if _missing(code):
            parts.append("onbekend")
            continue
        name = names.get(level, {}).get(str(code))
        parts.append(f"{html.escape(name)} ({html.escape(str(code))})" if name else html.escape(str(code)))
    return " / ".join(parts)


def _basemap(dataset: Dataset) -> str:
    choice = str((dataset.config.get("report") or {}).get("basemap", "pdok")).lower()
    return choice if choice in ("pdok", "osm", "none") else "pdok"


def _base_map(dataset: Dataset, results: Results, *, shade_wijken: bool, dossiers: str | None = None) -> LltMap:
    """The map every stuurgroep map starts from: basemap, extent, wijken (65+), stadsdelen with names.

    ``dossiers``: the relative URL of the folder of the candidates' dossiers (``"dossiers"`` in a
    stuurgroep pack); each flat's popup then ends with a link to its candidate's dossier.
    """
    stadsdelen = _to_map_crs(dataset.stadsdelen, simplify_m=SIMPLIFY_M)
    bounds = stadsdelen.total_bounds if len(stadsdelen) else _to_map_crs(dataset.flats).total_bounds
    m = LltMap(
        location=[round(float(bounds[1] + bounds[3]) / 2, 6), round(float(bounds[0] + bounds[2]) / 2, 6)],
        zoom_start=11,
        tiles=None,
        control_scale=False,
        zoom_control="bottomright",
        zoom_snap=0.25,
    )
    m.llt_dossiers = None if dossiers is None else str(dossiers).rstrip("/")
    if dossiers is not None:  # the names the pack gives the dossiers (llt_geo.filenames)
        from .report import dossier_names

        m.llt_dossier_names = dossier_names(results.screening.candidates["candidate_id"])
    m.get_root().header.add_child(_Html(_css()), name="llt_css")
    basemap = _basemap(dataset)
    if basemap != "none":
        pdok = folium.TileLayer(
            tiles=PDOK_URL, attr=PDOK_ATTRIBUTION, name="Achtergrond: BRT-Achtergrondkaart (PDOK)", max_zoom=19,
            overlay=False, control=True, show=basemap == "pdok",
        )  # fmt: skip
        osm = folium.TileLayer(
            tiles=OSM_URL, attr=OSM_ATTRIBUTION, name="Achtergrond: OpenStreetMap", max_zoom=19, overlay=False,
            control=True, show=basemap == "osm",
        )  # fmt: skip
        for layer in (pdok, osm) if basemap == "pdok" else (osm, pdok):
            layer.add_to(m)
            m.llt_tiles.append(layer)
    m.llt_bounds = [[float(bounds[1]), float(bounds[0])], [float(bounds[3]), float(bounds[2])]]  # fitted by _Controls
    names = _area_names(dataset)
    if len(stadsdelen):
        group = folium.FeatureGroup(name=f"Stadsdelen ({len(stadsdelen)}, met namen)")
        sd = stadsdelen.rename(columns={"stadsdeel_code": "code"}).copy()
        sd["tip"] = [
            f"Stadsdeel {html.escape(names['stadsdeel'].get(str(c), ''))} ({html.escape(str(c))})" for c in sd["code"]
        ]
        _Areas(
            sd,
            name="Stadsdelen",
            control=False,
            styles=[{"color": "#444444", "weight": 2, "fillColor": "#fbfaf4", "fillOpacity": 0.35}],
        ).add_to(group)
        points = dataset.stadsdelen.geometry.representative_point().to_crs(CRS_WGS84)
        labels = _Icons(class_name="llt-area-label", size=(140, 16), interactive=False)
        for code, pt in zip(dataset.stadsdelen["stadsdeel_code"], points, strict=True):
            labels.add(_latlon(pt), html.escape(names["stadsdeel"].get(str(code), str(code))))
        group.add_child(labels)
        group.add_to(m)
    _add_wijken(m, dataset, results.wijk_ageing, names, show=shade_wijken)
    return m


def _add_wijken(m: LltMap, dataset: Dataset, table: pd.DataFrame | None, names: dict, *, show: bool) -> None:
    """Wijken shaded by the share of residents aged 65+ (AGEING_BINS), and the ageing wijken outlined
    (``table``: :attr:`Results.wijk_ageing`, as the screening decided it)."""
    if table is None:
        return
    w = _to_map_crs(dataset.wijken, simplify_m=SIMPLIFY_M).copy()
    codes = w["wijk_code"].astype(str)
    share = table["share_65plus"].reindex(codes).to_numpy()
    ageing = table["ageing"].reindex(codes).to_numpy()
    limit = table["ageing_threshold"].iloc[0] if len(table) else np.nan
    cls, tips = [], []
    for code, sd, s, a in zip(codes, w["stadsdeel_code"], share, ageing, strict=True):
        k = _ageing_class(s)
        cls.append(-1 if k is None else k)
        wijk = f"{html.escape(names['wijk'].get(code, code))} ({html.escape(code)})"
        sd_name = "" if _missing(sd) else names["stadsdeel"].get(str(sd), str(sd))
        sd_text = "" if _missing(sd) else f", {html.escape(sd_name)} ({html.escape(str(sd))})"
        value = "onbekend" if k is None else nl_pct(float(s), 1)
        verdict = "onbekend" if _missing(a) else ("ja" if bool(a) else "nee")
        tips.append(f"Wijk {wijk}{sd_text}<br>Aandeel 65+: {value}; vergrijsd: {verdict}")
    w["tip"] = tips
    # one style per ageing class, and the last for wijken without figures
    styles = [{"color": "#888888", "weight": 1, "fillColor": c, "fillOpacity": 0.7} for c in AGEING_COLOURS]
    styles.append({"color": "#888888", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.2, "dashArray": "2 3"})
    wijken = _Areas(w, styles=styles, style_of=[len(AGEING_COLOURS) if k < 0 else k for k in cls], show=show,
                    name=f"Wijken: aandeel 65+ ({_plural(len(w), 'wijk', 'wijken')})")  # fmt: skip
    wijken.add_to(m)
    is_old = pd.array(ageing, dtype="boolean").fillna(False).to_numpy(dtype=bool)
    old = w[is_old]
    if len(old):
        limit_text = "" if _missing(limit) else f"aandeel 65+ ten minste {nl_pct(float(limit), 1)}"
        _Areas(
            None,
            name=f"Vergrijsde wijken ({len(old)}; {limit_text})",
            styles=[{"color": AGEING_COLOURS[-1], "weight": 3, "fill": False}],
            subset_of=(wijken, [int(i) for i in np.flatnonzero(is_old)]),
        ).add_to(m)
    rows = [(_sym_area(c, "#888888"), t) for c, t in zip(AGEING_COLOURS, _ageing_labels(), strict=True)]
    rows.append((_sym_area("#ffffff", "#888888", dash="2 3", fill_opacity=0.2), "onbekend (geen bevolkingscijfers)"))
    if len(old):
        rows.append((_sym_area("none", AGEING_COLOURS[-1], weight=3), f"vergrijsde wijk ({limit_text})"))
    off = "" if show else " (laag staat standaard uit)"
    m.llt_legend.append((f"Wijken: aandeel inwoners van 65 jaar en ouder{off}", rows))


def _add_focus_areas(m: LltMap, dataset: Dataset) -> None:
    if dataset.focus_areas is None or not len(dataset.focus_areas):
        return
    fa = _to_map_crs(dataset.focus_areas, simplify_m=SIMPLIFY_M).copy()
    fa["tip"] = [f"Focusgebied: {_e(n)} ({_e(k)})" for n, k in zip(fa["name"], fa["kind"], strict=True)]
    _Areas(
        fa,
        name=f"Focusgebieden masterplan ({len(fa)})",
        styles=[{"color": FOCUS_COLOUR, "weight": 3, "dashArray": "8 5", "fillOpacity": 0.0}],
    ).add_to(m)
    m.llt_legend.append(("Gebieden", [(_sym_area("none", FOCUS_COLOUR, dash="6 3", weight=2.5),
                                       "focusgebied masterplan (gestreepte rand)")]))  # fmt: skip


def _add_groups(m: LltMap, screening) -> None:
    """A dashed outline around the members of each group of flats that counts as one candidate."""
    flats = screening.flats
    cands = screening.candidates
    groups = cands[cands["is_group"].astype(bool)]
    if not len(groups):
        return
    geoms, tips = [], []
    for cid in sorted(groups["candidate_id"].astype(str)):
        members = flats[flats["candidate_id"].astype(str) == cid].sort_values("flat_id")
        hull = members.geometry.union_all().convex_hull.buffer(GROUP_BUFFER_M, quad_segs=4).simplify(2.0)
        geoms.append(hull)
        tips.append(f"Groep {html.escape(cid)}: {len(members)} flats, samen één kandidaat "
                    f"({html.escape(', '.join(members['flat_id'].astype(str)))})")  # fmt: skip
    frame = gpd.GeoDataFrame({"tip": tips}, geometry=geoms, crs=flats.crs)
    n_flats = int(flats["candidate_id"].astype(str).isin(set(groups["candidate_id"].astype(str))).sum())
    _Areas(
        _to_map_crs(frame),
        name=f"Groepen van flats ({_plural(len(geoms), 'groep', 'groepen')} van samen {n_flats} flats; "
        "elke groep één kandidaat)",
        styles=[{"color": GROUP_COLOUR, "weight": 1.5, "dashArray": "4 3", "fillOpacity": 0.0}],
    ).add_to(m)
    m.llt_legend.append(("Groepen", [(_sym_area("none", GROUP_COLOUR, dash="4 3", weight=1.5),
                                      "gestreepte lijn om een groep flats die samen één kandidaat is")]))  # fmt: skip


NETWORK_COLOUR = "#555555"


def _add_walking_network(m: LltMap, screening) -> None:
    """The outline of the walking network's area, where accessible distances are measured."""
    area = getattr(screening, "network_area", None)
    if area is None or area.is_empty:
        return
    frame = gpd.GeoDataFrame(
        {"tip": ["Looppadennetwerk: hier is de toegankelijke loopafstand gemeten (rollator of rolstoel)"]},
        geometry=[area.simplify(5.0)],
        crs=screening.flats.crs,
    )
    _Areas(
        _to_map_crs(frame),
        name="Looppadennetwerk (gebied met toegankelijke loopafstand)",
        styles=[{"color": NETWORK_COLOUR, "weight": 2, "dashArray": "2 4", "fillOpacity": 0.04}],
    ).add_to(m)
    m.llt_legend.append(("Looppadennetwerk", [(_sym_area("none", NETWORK_COLOUR, dash="2 4", weight=2),
                                               "gebied waar de toegankelijke loopafstand is gemeten")]))  # fmt: skip


def _access_popup(flat: pd.Series) -> str:
    """Plain and accessible walking distance per target, for a flat inside the network's area."""
    kinds = [
        c[len("access_") : -len("_status")] for c in flat.index if c.startswith("access_") and c.endswith("_status")
    ]
    rows = []
    for k in kinds:
        plain = flat.get("site_distance_m") if k == "intramural_site" else flat.get(f"dist_{k}_m")
        acc = flat.get(f"access_{k}_m")
        status = str(flat.get(f"access_{k}_status"))
        shown = f"{float(acc):.0f} m" if not _missing(acc) else status
        if _missing(acc) and not _missing(flat.get(f"access_{k}_reason")):
            shown += f" ({flat[f'access_{k}_reason']})"
        name = kind_nl(k)
        rows.append(
            f"<tr><td>{html.escape(name)}<td>{'' if _missing(plain) else f'{float(plain):.0f} m'}"
            f"<td>{html.escape(shown)}"
        )
    return (
        "<br><b>Loopafstand over het looppadennetwerk</b><table class='llt-criteria'>"
        "<tr><th>Naar<th>Gewoon<th>Toegankelijk (rollator, rolstoel)" + "".join(rows) + "</table>"
    )


def _add_near_misses(m: LltMap, screening) -> None:
    """A dashed ring around each flat of an open candidate that misses a criterion narrowly."""
    crit = screening.criteria
    near = crit[crit["near_miss"].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    if "open_candidate" in near.columns:
        near = near[near["open_candidate"].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    ids = set(near["candidate_id"].astype(str))
    if not ids:
        return
    what = near.groupby("candidate_id")["criterion_nl"].apply(lambda s: ", ".join(sorted(set(map(str, s)))))
    flats = _to_map_crs(screening.flats).sort_values("flat_id")
    flats = flats[flats["candidate_id"].astype(str).isin(ids)]
    layer = folium.FeatureGroup(
        name=f"Bijna voldoende: {_plural(len(ids), 'open kandidaat', 'open kandidaten')} = {len(flats)} flats"
    )
    style = m.llt_store.style({"color": NEAR_MISS_COLOUR, "weight": 2.5, "dashArray": "4 3", "fill": False,
                               "interactive": False, "className": "llt-near-miss"})  # fmt: skip
    rings = _circles(m, layer)
    for _, row in flats.iterrows():
        rings.add(_latlon(row.geometry), _radius(row["n_dwellings"]) + 5, style)
    layer.add_to(m)
    m.llt_legend.append(("Bijna voldoende", [(_sym_circle("none", NEAR_MISS_COLOUR, r=8, weight=2.5, dash="4 3"),
                                              "gestreepte ring: bijna voldoende, mist een criterium net; "
                                              f"bv. {what.iloc[0]}")]))  # fmt: skip


def _add_sites(m: LltMap, dataset: Dataset, *, show: bool = False) -> None:
    sites = _to_map_crs(dataset.intramural_sites).sort_values("site_id")
    if not len(sites):
        return
    names = dict(zip(dataset.care_providers["provider_id"], dataset.care_providers["name"], strict=False))
    layer = folium.FeatureGroup(name=f"Intramurale locaties ({len(sites)})", show=show)
    squares = _Icons(class_name="llt-site", size=(10, 10))
    for _, row in sites.iterrows():
        provider = names.get(row["provider_id"], row["provider_id"])
        squares.add(_latlon(row.geometry), "", f"Intramurale locatie: {_e(row['name'])} ({_e(row['site_id'])})<br>"
                    f"Zorgaanbieder: {_e(provider)} ({_e(row['provider_id'])})")  # fmt: skip
    layer.add_child(squares)
    layer.add_to(m)
    m.llt_legend.append(("Zorg", [(_sym_square(SITE_COLOUR), "intramurale locatie (verpleeghuis), zwart vierkantje")]))


def _add_amenities(m: LltMap, dataset: Dataset) -> None:
    am = dataset.amenities
    if am is None or not len(am):
        return
    am = _to_map_crs(am)
    sort_cols = [c for c in ("kind", "amenity_id") if c in am.columns]
    am = am.sort_values(sort_cols)
    kinds = sorted({str(k) for k in am["kind"] if not _missing(k)})
    colours = {k: PROVIDER_PALETTE[i % len(PROVIDER_PALETTE)] for i, k in enumerate(kinds)}
    labels = {k: _AMENITY_LABELS_NL.get(k, k.replace("_", " ").capitalize()) for k in kinds}
    index = {k: i for i, k in enumerate(kinds)}
    has_name = "name" in am.columns
    points = []
    for _, row in am.iterrows():
        k = str(row["kind"])
        if k not in index or row.geometry is None or row.geometry.is_empty:
            continue
        name = "" if not has_name or _missing(row["name"]) else html.escape(str(row["name"]))
        points.append([*_latlon(row.geometry), index[k], name])
    layer = folium.FeatureGroup(name=f"Voorzieningen ({len(points)})", show=False)
    layer.add_child(_Points([(html.escape(labels[k]), colours[k]) for k in kinds], points))
    layer.add_to(m)
    rows = [(_sym_circle(colours[k], "#ffffff", r=3, fill_opacity=0.9), labels[k]) for k in kinds]
    m.llt_legend.append(("Voorzieningen (laag staat standaard uit)", rows))


def _search_label(row: pd.Series) -> str:
    """A flat's entry in the search list: id, name and address, and for a member of a group the
    group's id (``groep G05``), so that searching a group finds each of its flats."""
    parts = [str(row["flat_id"])]
    for col in ("name", "address"):
        if col in row.index and not _missing(row[col]) and str(row[col]).strip():
            parts.append(str(row[col]))
    cid = row.get("candidate_id")
    if not _missing(cid) and str(cid) != str(row["flat_id"]):
        parts.append(f"groep {cid}")
    return " — ".join(parts)


def _flat_marker(m: LltMap, layer, row: pd.Series, *, colour: str, fill: str, popup: str, tooltip: str,
                 weight: float = 1.5, max_width: int = 360, fill_opacity: float = 0.85,
                 radius: float | None = None, dash: str | None = None) -> None:  # fmt: skip
    """One flat: a row of the layer's circles (class ``llt-flat``, with popup and tooltip), and in the search box.

    ``colour``, ``fill``, ``weight`` and ``dash``: the outline, fill, outline width and dash, usually
    a state's drawing from :func:`_flat_style` (the same on every map).
    """
    store = m.llt_store
    popup = _with_dossier_link(popup, m.llt_dossiers, row.get("candidate_id"), m.llt_dossier_names)
    options = {"color": colour, "weight": weight, "fillColor": fill, "fillOpacity": fill_opacity,
               "className": "llt-flat"}  # fmt: skip
    if dash:
        options["dashArray"] = dash
    style = store.style(options, max_width)
    serial = len(m.llt_search)
    _circles(m, layer).add(_latlon(row.geometry), radius if radius is not None else _radius(row["n_dwellings"]),
                           style, store.add(popup), store.add(tooltip), serial)  # fmt: skip
    m.llt_search.append((_search_label(row), serial))


def _with_dossier_link(popup: str, dossiers: str | None, candidate_id: object,
                       names: dict[str, str] | None = None) -> str:  # fmt: skip
    """The popup with a link to the candidate's dossier at its end (none without ``dossiers`` or candidate).

    The file name is the pack's (``names``: :func:`llt_geo.present.report.dossier_names`, else
    :func:`~llt_geo.present.report.dossier_name`; letters, digits, ``-``, ``_`` and ``.html``); the folder
    and the id are escaped all the same.
    """
    if dossiers is None or _missing(candidate_id) or not str(candidate_id).strip():
        return popup
    from .report import dossier_name

    name = (names or {}).get(str(candidate_id)) or dossier_name(str(candidate_id))
    href = html.escape(f"{dossiers}/{name}" if dossiers else name)
    link = f'<p><a href="{href}">Dossier {_e(candidate_id)} openen</a></p>'
    return popup[: -len("</div>")] + link + "</div>" if popup.endswith("</div>") else popup + link


def _finish(m: LltMap, dataset: Dataset, title: str, lines: list[str]) -> LltMap:
    """Search, layer control (collapsed), title box, legend, tile status, and the extent (:class:`_Controls`).

    The title box is compact: the title and one line (peildatum, and the fictional-data notice if
    any); the counts and the source fold open under "Toelichting en bron". The panels come from
    ``templates/map_panels.html.j2``.

    Parameters
    ----------
    title : str
        The map's title (plain text).
    lines : list of str
        The paragraphs under "Toelichting en bron" (plain text; escaped by the template).
    """
    entries = sorted(m.llt_search)
    m.llt_store.search = [label for label, _serial in entries]
    m.llt_store.search_position = {serial: i for i, (_label, serial) in enumerate(entries)}
    m.add_child(_Search(m.llt_store))  # top right, above the layer list
    folium.LayerControl(collapsed=True).add_to(m)
    m.llt_panel = (dataset, title, list(lines))
    _render_panels(m)
    if m.llt_tiles:
        m.get_root().html.add_child(_Html(_panels().tile_status(TILE_STATUS_NL)), name="llt_tile_status")
    m.add_child(_Controls(list(m.llt_tiles), m.llt_bounds))
    return stable_ids(m)


def _render_panels(m: LltMap) -> None:
    """The page title, the title box and the legend, from ``m.llt_panel`` and ``m.llt_legend``."""
    dataset, title, lines = m.llt_panel
    panels = _panels()
    peil = _peildatum_nl(dataset)
    box = panels.title_box(
        title, peil, fictional=bool(getattr(dataset, "is_fictional", False)), lines=lines, label=str(dataset.label),
        version=_version(), basemap=_basemap(dataset), pdok=PDOK_ATTRIBUTION, osm=OSM_ATTRIBUTION,
        link=getattr(m, "llt_link", None),
    )  # fmt: skip
    root = m.get_root()
    root.header.add_child(_Html(panels.page_title(title, peil)), name="llt_title")
    root.html.add_child(_Html(box), name="llt_title_box")
    if getattr(m, "llt_banner", None):
        root.html.add_child(_Html(panels.banner(**m.llt_banner)), name="llt_banner")
    root.html.add_child(_Html(_legend_html(m.llt_legend, getattr(m, "llt_legend_open", 1))), name="llt_legend")


def refresh_panels(m: LltMap, *, title: str | None = None) -> LltMap:
    """Draw a finished map's panels again after its legend (``m.llt_legend``), layer names or layers
    changed (:mod:`llt_geo.present.provenance` does this): a new ``title`` if given, the legend as it
    now is, the search box, layer list and controls kept on top of layers added later, and the
    element ids made deterministic again.
    """
    if title is not None:
        dataset, _old, lines = m.llt_panel
        m.llt_panel = (dataset, title, lines)
    _render_panels(m)
    for key in [k for k in m._children if k.startswith(("search", "layer_control", "controls"))]:
        m._children.move_to_end(key)
    return stable_ids(m)


# --------------------------------------------------------------------------------------------
# the four maps


def _flat_popup(row: pd.Series, names: dict, *, extra: list[tuple[str, str]] = ()) -> str:
    status = STATUS_LABELS_NL.get(str(row["status"]), str(row["status"]))
    year = "" if _missing(row.get("status_year")) else f" ({int(row['status_year'])})"
    items = [
        ("Complex", _e(row["flat_id"])),
        ("Naam", _e(row["name"])),
        ("Adres", _e(row.get("address"))),
        ("Corporatie", _e(row["corporation"])),
        ("Woningen", _e(row["n_dwellings"])),
        ("Nultredenwoningen", _e(row["n_nultreden"])),
        ("Sociale huur", _e(row["n_social_rent"])),
        ("Status", html.escape(status + year)),
        ("Stadsdeel / wijk / buurt", _area_text(names, row)),
    ]
    if "ageing" in row.index:
        items.append(("Vergrijsd gebied", _e(row["ageing"])))
    if "in_masterplan" in row.index:
        focus = _e(row["in_masterplan"])
        if not _missing(row.get("focus_names")) and str(row.get("focus_names")).strip():
            focus += f" ({_e(row['focus_names'])})"
        items.append(("Masterplangebied", focus))
    items += list(extra)
    rows = "".join(f"<tr><th>{k}<td>{v}" for k, v in items)
    return f"<div class='llt-pop'><table>{rows}</table></div>"


def overview_map(dataset: Dataset, results: Results, *, dossiers: str | None = None) -> folium.Map:
    """A first map of a dataset: stadsdelen, wijken (share 65+), focus areas, flats, intramural sites.

    The flat layers count flats; the layer of candidate flats and the title also say how many
    candidates the screening makes of them (a group of flats counts as one candidate) and that
    realised flats are kept apart, so the overview and the screening agree.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (EPSG:28992); reprojected to EPSG:4326 here for drawing.
    results : Results
        From :func:`llt_geo.run` on this dataset (the screening alone will do): the number of
        candidates, groups, ageing and near misses.
    dossiers : str, optional
        The relative URL of the folder of the candidates' dossiers (``"dossiers"`` in a stuurgroep
        pack): each flat's popup then ends with "Dossier <id> openen". None (a map on its own): no links.

    Returns
    -------
    folium.Map
        With one layer per theme, a layer control, legend, title and search box; element ids are
        deterministic.
    """
    screening = results.screening
    counts = screening.counts
    n_open = int(counts.loc[counts["status"] == "candidate", "candidates"].sum())
    m = _base_map(dataset, results, shade_wijken=True, dossiers=dossiers)
    _add_focus_areas(m, dataset)
    _add_groups(m, screening)
    names = _area_names(dataset)
    flats = _to_map_crs(screening.flats).sort_values("flat_id")
    rows = []
    for status in STATUS_COLOURS:
        subset = flats[flats["status"] == status]
        if not len(subset):
            continue
        what = _plural(len(subset), "flat", "flats")
        if status == "candidate":
            what += f" = {n_open} kandidaten in de toets"
        else:
            what += ", apart van de open kandidaten"
        label = STATUS_LABELS_NL[status]
        layer = folium.FeatureGroup(name=f"Flats: {label} ({what})")
        for _, row in subset.iterrows():
            _flat_marker(m, layer, row, popup=_flat_popup(row, names), **_flat_style(status),
                         tooltip=f"{_e(row['flat_id'])} — {_e(row['name'])}: {html.escape(label)}")  # fmt: skip
        layer.add_to(m)
        rows.append((_sym_flat(status), f"{label} ({what})"))
    m.llt_legend.insert(0, ("Flats naar status", rows))
    m.llt_legend.insert(1, _size_legend())
    _add_near_misses(m, screening)
    _add_sites(m, dataset)
    _add_amenities(m, dataset)
    return _finish(
        m,
        dataset,
        "Overzicht: flats per status, wijken naar aandeel 65+, focusgebieden",
        [f"{len(flats)} flats op de kaart. In de toets (3.1): {describe_counts(counts)}."],
    )


def save_map(m: folium.Map, path: str | Path, *, assets: str | None = None) -> Path:
    """Write a map as an HTML file that works offline and return the path.

    Parameters
    ----------
    assets : str, optional
        A relative URL of a folder holding :func:`llt_geo.present.offline.asset_files` (as in a stuurgroep
        pack): the page loads Leaflet from there, and its largest data blocks (the areas, the search
        list, the sites) are added to the folder's ``llt_data.js``
        (:func:`llt_geo.present.offline.write_shared_data`), once for all maps of the folder. When not
        given, Leaflet and all data are written into the page, which then works on its own.
    """
    from .offline import write_shared_data

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html_text, blocks = _page(m, assets=assets)
    if blocks:
        write_shared_data(path.parent / assets, blocks)
    path.write_bytes(html_text.encode("utf-8"))
    return path


def _verdict_nl(candidate: pd.Series) -> str:
    """The outcome of 3.1 as a popup states it: the legend's label, or the screening's own words
    (``eligibility_nl``, e.g. "voldoet (ongeveer)") where they say more than the label."""
    label = ELIGIBILITY_LABELS_NL[str(candidate["eligibility"])]
    words = candidate.get("eligibility_nl")
    words = "" if _missing(words) else str(words).strip()
    if words.lower() in ("", "voldoet", "voldoet niet", "onbekend"):
        return label
    return words[0].upper() + words[1:]


def _criteria_popup(
    candidate: pd.Series, rows: pd.DataFrame, *, distance_kind: str, names: dict, extra: str = ""
) -> str:
    head = f"<b>{_e(candidate['candidate_id'])}</b> — {_e(candidate['name'])}"
    if not _missing(candidate.get("address")):
        head += f"<br>{_e(candidate['address'])}"
    head += f"<br>{_e(candidate['corporation'])}; {_e(candidate['n_dwellings'])} woningen"
    if bool(candidate.get("is_group")):
        head += f"<br>Groep van {int(candidate['n_members'])} flats (één kandidaat): {_e(candidate['members'])}"
    head += f"<br>Stadsdeel / wijk / buurt: {_area_text(names, candidate)}"
    if "ageing" in candidate.index:
        head += (
            f"<br>Vergrijsd gebied: {_e(candidate['ageing'])}; masterplangebied: {_e(candidate.get('in_masterplan'))}"
        )
    if not _missing(candidate.get("site_distance_m")):
        head += (
            f"<br>Dichtstbijzijnde intramurale locatie: {float(candidate['site_distance_m']):.0f} m "
            f"({html.escape(str(distance_kind))})"
        )
    body = "".join(
        f"<tr><td>{_e(r.criterion_nl)}"
        f"<td><span class='llt-v {html.escape(str(r.status))}'>{_e(r.status_nl)}</span>"
        f"{' (bijna)' if bool(r.near_miss) else ''}<td>{_e(r.reason)}"
        for r in rows.itertuples()
    )
    overall = _verdict_nl(candidate)
    if not bool(candidate.get("open_candidate", True)):
        status = STATUS_LABELS_NL.get(str(candidate["status"]), str(candidate["status"]))
        year = "" if _missing(candidate.get("status_year")) else f" ({int(candidate['status_year'])})"
        head += f"<br><b>Status: {html.escape(status + year)}</b> — geen open kandidaat; telt apart"
    head += extra
    return (
        f"<div class='llt-pop'>{head}<br><b>Toets 3.1: {html.escape(overall)}</b>"
        "<table class='llt-criteria'><tr><th>Criterium<th>Oordeel<th>Toelichting"
        f"{body}</table></div>"
    )


def screening_map(dataset: Dataset, results: Results, *, dossiers: str | None = None) -> folium.Map:
    """Flats coloured by the eligibility of their candidate; the popup holds the criteria table.

    Parameters
    ----------
    dataset : Dataset
        The loaded dataset (for areas and sites).
    results : Results
        From :func:`llt_geo.run` (the screening alone will do).
    dossiers : str, optional
        The relative URL of the folder of the candidates' dossiers (``"dossiers"`` in a stuurgroep
        pack): each flat's popup then ends with "Dossier <id> openen". None (a map on its own): no links.

    Returns
    -------
    folium.Map
        Layers: stadsdelen, wijken (off), ageing and focus areas, groups, one layer per
        eligibility status of the open candidates (members of a group each drawn, with the group's
        popup), the flats kept apart per status, near misses, intramural sites, amenities (off).
        Deterministic element ids.
    """
    screening = results.screening
    m = _base_map(dataset, results, shade_wijken=False, dossiers=dossiers)
    _add_focus_areas(m, dataset)
    _add_groups(m, screening)
    names = _area_names(dataset)
    cands = screening.candidates.set_index("candidate_id")
    by_candidate = dict(list(screening.criteria.groupby("candidate_id", sort=True)))
    area = getattr(screening, "network_area", None)
    in_network = (
        set(screening.flats.loc[screening.flats.geometry.within(area), "flat_id"].astype(str))
        if area is not None
        else set()
    )
    flats = _to_map_crs(screening.flats).sort_values("flat_id")
    is_open = cands["open_candidate"].to_numpy(dtype=bool)
    # open candidates by outcome; flats already chosen, in development or realised apart, by status
    outcome_of = cands["eligibility"].astype(str).to_numpy()
    layers = [(set(cands.index[is_open & (outcome_of == s)]), s, None) for s in ("pass", "unknown", "fail")]
    layers += [(set(cands.index[~is_open & (cands["status"] == s).to_numpy()]), None, s) for s in STATUS_LABELS_NL]
    outcome_rows, apart_rows = [], []
    for ids, outcome, apart in layers:
        subset = flats[flats["candidate_id"].isin(ids)]
        if not len(subset):
            continue
        n_flats = _plural(len(subset), "flat", "flats")
        if apart is None:
            noun = "open kandidaat" if len(ids) == 1 else "open kandidaten"
            label = ELIGIBILITY_LABELS_NL[outcome]
            name = f"{label} ({len(ids)} {noun}) — {n_flats}"
            outcome_rows.append((_sym_flat(outcome), name))
        else:
            name = f"{STATUS_LABELS_NL[apart].capitalize()}, apart: geen open kandidaat ({n_flats})"
            apart_rows.append((_sym_flat(apart), name))
        layer = folium.FeatureGroup(name=name)
        for _, row in subset.iterrows():
            cid = row["candidate_id"]
            cand = cands.loc[cid].copy()
            cand["candidate_id"] = cid
            verdict = _verdict_nl(cand)
            tip = f"{_e(row['flat_id'])} — {_e(row['name'])}: "
            tip += html.escape(verdict if apart is None else f"{STATUS_LABELS_NL[apart]} (toets: {verdict})")
            if bool(cand["is_group"]):
                tip += f" (groep {_e(cid)})"
            extra = _access_popup(row) if str(row["flat_id"]) in in_network else ""
            popup = _criteria_popup(
                cand, by_candidate[cid], distance_kind=screening.distance_kind, names=names, extra=extra
            )
            _flat_marker(m, layer, row, popup=popup, tooltip=tip, max_width=560,
                         **_flat_style(outcome if apart is None else apart))  # fmt: skip
        layer.add_to(m)
    m.llt_legend.insert(0, ("Toets 3.1 per open kandidaat (kleur)", outcome_rows))
    if apart_rows:
        m.llt_legend_open = 2  # the flats kept apart are part of what the colours say
        m.llt_legend.insert(1, ("Al in het programma, apart: geen open kandidaat (dikke zwarte rand)", apart_rows))
    m.llt_legend.insert(2 if apart_rows else 1, _size_legend())
    _add_near_misses(m, screening)
    _add_walking_network(m, screening)
    _add_sites(m, dataset)
    _add_amenities(m, dataset)
    return _finish(
        m,
        dataset,
        "Toets geschiktheid flats (3.1)",
        [describe_counts(screening.counts, outcomes=True) + ". Klik op een flat voor de criteria."],
    )


def _partner_popup(row: pd.Series, scores: pd.DataFrame, weights: dict[str, float], flat: pd.Series) -> str:
    """The choice for one candidate: the chosen provider's score broken down, and why."""
    esc = html.escape
    head = [
        (
            "Kandidaat",
            _text(row["candidate_id"]) + (f" (groep: {_text(row['members'])})" if bool(row["is_group"]) else ""),
        ),
        ("Flat", f"{_text(flat['flat_id'])} — {_text(flat['name'])}"),
        (
            "Voorkeursaanbieder zorg",
            f"{row['provider_id']} {_text(row['provider_name'])}" if not _missing(row["provider_id"]) else "geen",
        ),
        ("Keuze", row["choice_nl"]),
        (
            "Blijft eerste bij andere gewichten",
            "" if _missing(row["stays_first_share"]) else f"{row['stays_first_share']:.0%}",
        ),
        ("Welzijnsorganisatie", row["welfare_name"] if not _missing(row["welfare_name"]) else row["welfare_reason"]),
        ("Corporatie (laatste woord)", row["consent_nl"]),
        ("Keuzeproces", row["process_nl"]),
    ]
    text = "<table>" + "".join(f"<tr><th>{esc(k)}</th><td>{_e(v)}</td></tr>" for k, v in head) + "</table>"
    if not _missing(row["provider_id"]):
        s = scores[(scores["candidate_id"] == row["candidate_id"]) & (scores["provider_id"] == row["provider_id"])]
        if len(s):
            s = s.iloc[0]
            total = sum(weights.values())

            def nl(x: float, d: int) -> str:
                return f"{x:.{d}f}".replace(".", ",")

            lines = "".join(
                f"<tr><td>{esc(name)}</td><td>{nl(s[f'{a}_score'], 2)}{'' if s[f'{a}_known'] else ' (onbekend)'}</td>"
                f"<td>{weights[a]:g}</td><td>{nl(s[f'{a}_score'] * weights[a] / total, 3)}</td>"
                f"<td>{_e(s[f'{a}_reason'])}</td></tr>"
                for a, (_key, name, _sec) in ASPECTS.items()
            )
            text += (
                '<table class="llt-criteria"><tr><th>Aspect (2.2, 2.3)</th><th>Score</th><th>Gewicht</th>'
                f"<th>Bijdrage</th><th>Waarom</th></tr>{lines}"
                f"<tr><th>Totaal</th><th>{nl(s['score'], 3)}</th><th></th><th></th><th></th></tr></table>"
            )
    return f'<div class="llt-pop">{text}<p><i>{esc(FREE_CHOICE_NL)}</i></p></div>'


def _provider_marks(ids: list[str]) -> tuple[dict[str, str], bool]:
    """A short mark per provider, drawn on its flats and in the legend, so that colour is not the only cue.

    The number in the provider's id (``ZA03`` -> ``3``) when every id has one and they differ (the
    second value is then True: the legend's id says it); otherwise 1, 2, 3, … in order (False).
    """
    found = {}
    for p in ids:
        match = re.search(r"(\d+)\D*$", str(p))
        found[p] = str(int(match.group(1))) if match else None
    values = list(found.values())
    if values and all(v is not None and len(v) <= 3 for v in values) and len(set(values)) == len(values):
        return found, True
    return {p: str(i + 1) for i, p in enumerate(ids)}, False


def partners_map(dataset: Dataset, results: Results, *, dossiers: str | None = None) -> folium.Map:
    """Flats coloured by their voorkeursaanbieder zorg; the popup breaks the score down.

    Parameters
    ----------
    dataset : Dataset
    results : Results
        From :func:`llt_geo.run`: the screening and the partner choice (with the providers of the
        basis decision for the funded flats).
    dossiers : str, optional
        The relative URL of the folder of the candidates' dossiers (``"dossiers"`` in a stuurgroep
        pack): each flat's popup then ends with "Dossier <id> openen". None (a map on its own): no links.

    Returns
    -------
    folium.Map
        One layer per chosen provider, one for candidates without a provider, one for flats that
        already have a provider in the register, and one for the other flats (off); every flat is
        drawn once. Stadsdelen, wijken (off), focus areas, groups, sites.
    """
    screening, choice = results.screening, results.partners
    m = _base_map(dataset, results, shade_wijken=False, dossiers=dossiers)
    _add_focus_areas(m, dataset)
    _add_groups(m, screening)
    names = _area_names(dataset)
    flats = _to_map_crs(screening.flats).sort_values("flat_id")
    a = choice.assignment.set_index("candidate_id", drop=False)
    weights = {k: float(dataset.config["care"][key]) for k, (key, _n, _s) in ASPECTS.items()}
    providers = choice.providers.set_index("provider_id")
    colour = {p: PROVIDER_PALETTE[i % len(PROVIDER_PALETTE)] for i, p in enumerate(providers.index)}
    marks, in_id = _provider_marks([str(p) for p in providers.index])
    marks = {p: marks[str(p)] for p in providers.index}
    groups = [(p, a.index[a["provider_id"] == p]) for p in providers.index]
    groups.append((None, a.index[a["provider_id"].isna()]))
    rows = []
    drawn: set[str] = set()
    no_consent = False
    for pid, ids in groups:
        subset = flats[flats["candidate_id"].isin(set(ids))]
        if not len(subset):
            continue
        count = f"{_plural(len(ids), 'kandidaat', 'kandidaten')} = {_plural(len(subset), 'flat', 'flats')}"
        label = f"{pid} {providers.loc[pid, 'name']}" if pid else "Geen voorkeursaanbieder"
        layer = folium.FeatureGroup(name=html.escape(f"{label} ({count})"))
        fill = colour[pid] if pid else None
        mark = marks[pid] if pid else None
        prefix = "" if mark is None or in_id else f"{mark} = "
        key = "provider" if pid else "no_provider"
        rows.append((_sym_flat(key, fill=fill, mark=mark), f"{prefix}{label} ({count})"))
        labels = _Icons(class_name="llt-mark", size=(18, 12), interactive=False) if mark is not None else None
        for _, row in subset.iterrows():
            r = a.loc[row["candidate_id"]]
            refused = r["consent"] is False or (not _missing(r["consent"]) and not bool(r["consent"]))
            no_consent |= refused
            who = f"{pid} {providers.loc[pid, 'name']}" if pid else "geen voorkeursaanbieder"
            tip = f"{_e(row['flat_id'])} — {_e(row['name'])}: {html.escape(who)}"
            drawing = _flat_style("refused" if refused else key)
            if fill is not None:
                drawing["fill"] = fill
            _flat_marker(m, layer, row, max_width=640, popup=_partner_popup(r, choice.scores, weights, row),
                         tooltip=tip, **drawing)  # fmt: skip
            if labels is not None:
                labels.add(_latlon(row.geometry), html.escape(mark))
            drawn.add(str(row["flat_id"]))
        if labels is not None:
            layer.add_child(labels)
        layer.add_to(m)
    if no_consent:
        rows.append((_sym_flat("refused"), "dikke gestippelde rand: geen akkoord van de corporatie"))
    kept = flats[flats["preferred_provider_id"].notna() & ~flats["flat_id"].astype(str).isin(drawn)]
    if len(kept):
        layer = folium.FeatureGroup(name=f"Al een voorkeursaanbieder in het register ({len(kept)} flats)", show=False)
        labels = _Icons(class_name="llt-mark", size=(18, 12), interactive=False)
        states: list[str] = []
        free = f"<p><i>{html.escape(FREE_CHOICE_NL)}</i></p></div>"
        for _, row in kept.iterrows():
            pid = str(row["preferred_provider_id"])
            status = STATUS_LABELS_NL.get(str(row["status"]), str(row["status"]))
            state = portfolio_style("fixed", str(row["status"])) if str(row["status"]) != "candidate" else "candidate"
            states += [] if state in states else [state]
            text = f"{_e(row['flat_id'])} — {_e(row['name'])}: {html.escape(status)}, voorkeursaanbieder {_e(pid)}"
            popup = _flat_popup(row, names, extra=[("Voorkeursaanbieder (register)", _e(pid))])
            _flat_marker(m, layer, row, popup=popup[: -len("</div>")] + free, tooltip=text,
                         **_flat_style(state))  # fmt: skip
            if pid in marks:
                labels.add(_latlon(row.geometry), html.escape(marks[pid]))
            drawn.add(str(row["flat_id"]))
        if labels.rows:
            layer.add_child(labels)
        layer.add_to(m)
        for state in sorted(states, key=list(FLAT_STYLES).index):
            rows.append((_sym_flat(state), f"{FLAT_STYLES[state].label_nl}, met het nummer van de "
                         "voorkeursaanbieder in het register (laag staat uit)"))  # fmt: skip
    why = "geen partnerkeuze: voldoet niet aan 3.1 of geen open kandidaat"
    _add_other_flats(m, flats[~flats["flat_id"].astype(str).isin(drawn)], names, rows, why)
    rows.insert(0, (Markup(""), FREE_CHOICE_NL))
    m.llt_legend.insert(0, ("Voorkeursaanbieder zorg (kleur en nummer)", rows))
    m.llt_legend.insert(1, _size_legend())
    _add_sites(m, dataset, show=True)
    a_ = choice.assignment
    return _finish(
        m,
        dataset,
        "Keuze voorkeursaanbieder zorg (2.2-2.4)",
        [
            f"{int(a_['provider_id'].notna().sum())} van de {len(a_)} open kandidaten die voldoen of onbekend zijn "
            "(toets 3.1) hebben een voorkeursaanbieder (exact gekozen, binnen de capaciteit). "
            "Een voorkeursaanbieder is een voorkeur: iedere bewoner houdt vrije keuze van zorg (2.1, 2.4)."
        ],
    )


def _add_other_flats(m: LltMap, other: gpd.GeoDataFrame, names: dict, rows: list, why: str) -> None:
    """Flats a map has no other layer for (e.g. those that fail 3.1): grey, in a layer that is off."""
    if not len(other):
        return
    layer = folium.FeatureGroup(name=f"Overige flats ({_plural(len(other), 'flat', 'flats')}: {why})", show=False)
    for _, row in other.iterrows():
        status = STATUS_LABELS_NL.get(str(row["status"]), str(row["status"]))
        _flat_marker(m, layer, row, popup=_flat_popup(row, names), **_flat_style("other"),
                     tooltip=f"{_e(row['flat_id'])} — {_e(row['name'])}: {html.escape(status)}")  # fmt: skip
    layer.add_to(m)
    rows.append((_sym_flat("other"), f"overige flats ({len(other)}; laag staat uit)"))


def _open_points(row: pd.Series) -> str:
    """A decision row's open points (column ``open_points_nl`` when the decision has it), escaped; "" when none."""
    value = row.get("open_points_nl") if hasattr(row, "get") else None
    return "" if _missing(value) or not str(value).strip() else html.escape(str(value))


def _eligibility_nl(candidate: pd.Series | None) -> str:
    """The 3.1 outcome of a candidate in words (``eligibility_nl`` when the screening has it), escaped."""
    if candidate is None:
        return ""
    words = candidate.get("eligibility_nl")
    if _missing(words) or not str(words).strip():
        key = candidate.get("eligibility")
        words = None if _missing(key) else ELIGIBILITY_LABELS_NL.get(str(key), str(key)).lower()
    return "" if words is None else html.escape(str(words))


def _provider_text(d: pd.Series) -> str:
    """A decision row's care provider as "ZA03 Name", escaped ("" when it names none)."""
    if _missing(d.get("provider_id")) or not str(d.get("provider_id")).strip():
        return ""
    name = d.get("provider_name")
    return f"{_e(d['provider_id'])} {'' if _missing(name) else _e(name)}".rstrip()


def _portfolio_popup(cid: str, row: pd.Series, d: pd.Series, state: str, label: str, names: dict,
                     candidate: pd.Series | None) -> str:  # fmt: skip
    """The popup of a flat on a portfolio map: its state and reason, partners, open points, 3.1 outcome.

    A care provider named here is followed by the free-choice sentence (:data:`llt_geo.labels.FREE_CHOICE_NL`).
    """
    reason = STATUS_LABELS_NL.get(str(row["status"]), "") if d["outcome"] == "fixed" else d["reason_nl"]
    lines = [f"Stadsdeel / wijk / buurt: {_area_text(names, row)}", f"<b>{html.escape(label)}</b>: {_e(reason)}"]
    provider = _provider_text(d)
    if provider:
        lines.append(f"Voorkeursaanbieder zorg: {provider}" if state == "in"
                     else f"Voorkeursaanbieder zorg als deze flat gekozen wordt: {provider}")  # fmt: skip
    welfare = d.get("welfare_name")
    if state == "in" and not _missing(welfare) and str(welfare).strip():
        lines.append(f"Welzijnsorganisatie: {_e(welfare)}")
    points = _open_points(d)
    if points:
        lines.append(f"<b>Open punten</b>: {points}")
    outcome = _eligibility_nl(candidate) if d["outcome"] != "fixed" else ""
    if outcome:
        lines.append(f"Toets 3.1: {outcome}")
    text = f'<div class="llt-pop"><b>{_e(cid)}</b> ({_e(row["flat_id"])}) — {_e(row["name"])}<br>' + "<br>".join(lines)
    if provider:
        text += f"<p><i>{html.escape(FREE_CHOICE_NL)}</i></p>"
    return text + "</div>"


def _infeasible(results: Results, name: str) -> dict | None:
    """What the banner of an infeasible scenario says, read from the results (never recomputed).

    Returns
    -------
    dict or None
        ``heading``, ``conflict`` and ``fixes`` (lists of Dutch sentences from the scenario's
        :class:`llt_geo.portfolio.Scenario`) and ``explanation`` (:attr:`Decision.explanation`);
        None when the scenario's decision is not infeasible.
    """
    decision = results.decisions[name]
    if decision.status != "infeasible":
        return None
    portfolio = getattr(results, "portfolio", None)
    scenario = None if portfolio is None else getattr(portfolio, "scenarios", {}).get(name)
    explanation = str(decision.explanation or getattr(scenario, "explanation", "") or "")
    words = str(name).replace("_", " ")
    return {
        "heading": f"Scenario {words}: niet haalbaar — geen portefeuille binnen de regels",
        "conflict": [str(c) for c in (getattr(scenario, "conflict", None) or [])],
        "fixes": [str(f) for f in (getattr(scenario, "fixes", None) or [])],
        "explanation": explanation or "Geen portefeuille mogelijk binnen de regels.",
    }


def portfolio_map(dataset: Dataset, results: Results, name: str, *, dossiers: str | None = None) -> folium.Map:
    """One scenario of the portfolio: chosen, already in the programme, left out (with the reason in the popup).

    Each flat is drawn as its state is drawn on every map (:data:`llt_geo.present.palette.FLAT_STYLES`):
    a flat already in the programme by its status (as on the overview and the screening map), a
    candidate by its portfolio state, never in a colour of the 3.1 screening. A care provider named
    in a popup is followed by the free-choice sentence. An infeasible scenario carries a banner on
    the map's face (top left, under the title) with the conflicting rules and what would make it
    feasible, as the scenario states them (``results.portfolio.scenarios[name]``).

    Parameters
    ----------
    results : Results
        From :func:`llt_geo.run`; the map draws ``results.decisions[name]``: each candidate's
        outcome, reason and, for a funded flat, its voorkeursaanbieder zorg and welfare organisation.
        Shown when the decision has them: ``open_points_nl`` (open points), and the screening's
        ``eligibility_nl`` (the outcome of 3.1 in words).
    name : str
        The scenario's name (e.g. ``ruim_budget``), for the title, shown as words ("ruim budget").
    dossiers : str, optional
        The relative URL of the folder of the candidates' dossiers (``"dossiers"`` in a stuurgroep
        pack): each flat's popup then ends with "Dossier <id> openen". None (a map on its own): no links.
    """
    decision = results.decisions[name]
    m = _base_map(dataset, results, shade_wijken=False, dossiers=dossiers)
    _add_focus_areas(m, dataset)
    _add_groups(m, results.screening)
    names = _area_names(dataset)
    flats = _to_map_crs(results.screening.flats).sort_values("flat_id")
    table = decision.flats.set_index("candidate_id")
    cands = results.screening.candidates.set_index("candidate_id")
    words = str(name).replace("_", " ")
    ids = [cid for cid in flats["candidate_id"].astype(str).unique() if cid in table.index]
    kind = {cid: str(table.at[cid, "outcome"]) for cid in ids}
    rows = []
    drawn: set[str] = set()
    any_provider = False
    for k, label in PORTFOLIO_LABELS_NL.items():
        ids = {c for c, v in kind.items() if v == k}
        subset = flats[flats["candidate_id"].astype(str).isin(ids)]
        if not len(subset):
            if k == "in":  # say so, rather than leave the class out of the legend
                why = "niet haalbaar" if decision.status == "infeasible" else "geen"
                rows.append((_sym_flat("in"), f"{label}: geen ({why})"))
            continue
        count = f"{_plural(len(ids), 'kandidaat', 'kandidaten')} = {_plural(len(subset), 'flat', 'flats')}"
        layer = folium.FeatureGroup(name=f"{label} ({count})", show=k != "not")
        states = [portfolio_style(k, str(st)) for st in subset["status"]]
        for state in sorted(set(states), key=list(FLAT_STYLES).index):
            n = states.count(state)
            text = f"{label} ({count})" if k != "fixed" else (
                f"{label}: {FLAT_STYLES[state].label_nl} ({_plural(n, 'flat', 'flats')})")  # fmt: skip
            rows.append((_sym_flat(state), text))
        for (_, row), state in zip(subset.iterrows(), states, strict=True):
            cid = str(row["candidate_id"])
            d = table.loc[cid]
            popup = _portfolio_popup(cid, row, d, k, label, names, cands.loc[cid] if cid in cands.index else None)
            any_provider |= bool(_provider_text(d))
            _flat_marker(m, layer, row, popup=popup, max_width=420, **_flat_style(state),
                         tooltip=f"{_e(row['flat_id'])} — {_e(row['name'])}: {html.escape(label.lower())}")  # fmt: skip
            drawn.add(str(row["flat_id"]))
        layer.add_to(m)
    _add_other_flats(m, flats[~flats["flat_id"].astype(str).isin(drawn)], names, rows, "niet in dit scenario")
    if any_provider:
        rows.append((Markup(""), FREE_CHOICE_NL))
    m.llt_legend.insert(0, (f"Portefeuille, scenario {words} (kleur)", rows))
    m.llt_legend.insert(1, _size_legend())
    _add_sites(m, dataset)
    banner = _infeasible(results, name)
    if banner is not None:
        m.llt_banner = banner
    head = (
        f"{len(decision.funded)} kandidaten gekozen (optimaal, exact berekend)."
        if decision.status == "optimal"
        else str(decision.explanation or decision.status)
    )
    if dossiers is not None and results.exploration is not None:  # in the pack: beside index.html
        m.llt_link = ("verkenning.html", "Verkennen: ander budget of andere regels")
    return _finish(m, dataset, f"Portefeuille, scenario {words}", [head])
