"""Maps that work with no network: Leaflet from the XStatic packages instead of CDNs.

folium writes ``<script src="https://cdn...">`` and ``<link href="https://cdn...">`` tags for
Leaflet, jQuery, Bootstrap, Font Awesome and plugins; without internet such a page is blank
(``L is not defined``). llt_geo's maps use Leaflet only (no icons from fonts, no Bootstrap, no
jQuery: popups are set as plain strings), so :func:`make_offline` removes every external
``<script>`` and stylesheet ``<link>`` and puts Leaflet in its place, either inline (one file that
works on its own: notebooks, a map sent by e-mail) or as files in an ``assets`` folder shared by
the maps of a stuurgroep pack (smaller: Leaflet once instead of once per map). llt_geo's own map
code, ``static/llt_map.js`` (the functions the maps' elements call), goes with Leaflet, the same way.

The maps of a pack also share their largest data (the areas' geometry with their tooltips, the
search list, the sites, the amenities): in a page written with ``assets`` each such block is a
reference ``LLT_DATA["<content hash>"]`` into ``assets/llt_data.js`` (:data:`SHARED_DATA`), which
:func:`write_shared_data` writes (each block once, merged with the blocks of the maps written
before, sorted by hash so that the file depends only on the blocks) and the page loads with a
relative ``<script src>`` after Leaflet (a page opened from ``file://`` can load a script, it
cannot fetch). A page written without ``assets`` holds its data itself, as it holds Leaflet.

Leaflet 1.9.3 comes from the ``XStatic-Leaflet`` package on PyPI (the XStatic packages are how
Python projects such as OpenStack's Horizon ship JavaScript libraries); its CSS refers to a few
small images, which are written into the CSS as ``data:`` URIs. The source-map comment is dropped
(a browser would otherwise ask for a ``.map`` file). Any external script or stylesheet that is not
known here is an error, so a new folium plugin cannot quietly bring back a CDN.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

__all__ = [
    "LEAFLET_VERSION",
    "SHARED_DATA",
    "asset_files",
    "external_references",
    "make_offline",
    "shared_data",
    "write_shared_data",
]

LEAFLET_VERSION = "1.9.3"

#: the file in a pack's ``assets`` folder with the data blocks its maps share (see :func:`write_shared_data`)
SHARED_DATA = "llt_data.js"

_SHARED_HEAD = (
    "/* llt_geo: data the maps in the folder above share (areas, search list, sites), each block once,\n"
    "   by its content hash; written by llt_geo.present.maps.save_map. */\nvar LLT_DATA = {};\n"
)
_SHARED_ENTRY = re.compile(r'^LLT_DATA\["([0-9a-f]+)"\] = ', re.MULTILINE)

#: external files folium may reference that llt_geo's maps do not need (dropped)
_UNUSED = ("jquery", "bootstrap", "fontawesome", "font-awesome", "awesome-markers", "awesome.rotate", "glyphicons")

_SCRIPT_TAG = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>\s*</script>\s*""", re.IGNORECASE)
_LINK_TAG = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*/?>\s*""", re.IGNORECASE)


def _leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as xs_leaflet

    if xs_leaflet.VERSION.split(".")[:2] != LEAFLET_VERSION.split(".")[:2]:  # pragma: no cover - pinned
        raise RuntimeError(f"XStatic-Leaflet {xs_leaflet.VERSION} installed; llt_geo is built for {LEAFLET_VERSION}")
    return Path(xs_leaflet.BASE_DIR)


@cache
def _leaflet_js() -> str:
    text = (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    return re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", text)


@cache
def _leaflet_css() -> str:
    folder = _leaflet_dir()
    text = (folder / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        name = match.group(1)
        raw = (folder / name).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(raw).decode('ascii')})"

    return re.sub(r"url\((images/[A-Za-z0-9_.-]+\.png)\)", data_uri, text)


@cache
def _map_js() -> str:
    """``static/llt_map.js``: the code every llt_geo map shares (the markers' loops, search box, panels)."""
    from importlib import resources

    return resources.files(__package__).joinpath("static", "llt_map.js").read_text(encoding="utf-8")


def asset_files() -> dict[str, str]:
    """The files an ``assets`` folder holds: name -> text (Leaflet's script and stylesheet, and the
    code llt_geo's maps share, ``llt_map.js``)."""
    return {"leaflet.js": _leaflet_js(), "leaflet.css": _leaflet_css(), "llt_map.js": _map_js()}


def _is_external(url: str) -> bool:
    return bool(re.match(r"^(https?:)?//", url.strip(), re.IGNORECASE))


def external_references(html: str) -> list[str]:
    """Every external script or stylesheet a page still loads (``http(s)://`` or ``//``)."""
    refs = [m.group(1) for m in _SCRIPT_TAG.finditer(html)]
    refs += [m.group(1) for m in _LINK_TAG.finditer(html) if "stylesheet" in m.group(0).lower()]
    return [r for r in refs if _is_external(r)]


def shared_data(folder: str | Path) -> dict[str, str]:
    """The blocks in ``folder``'s :data:`SHARED_DATA`: content hash -> JavaScript literal (JSON);
    empty when the file is absent."""
    path = Path(folder) / SHARED_DATA
    if not path.is_file():
        return {}
    # a block is JSON, so no line of it starts with LLT_DATA["...
    pieces = _SHARED_ENTRY.split(path.read_text(encoding="utf-8"))
    return {key: body.rstrip("\n").removesuffix(";") for key, body in zip(pieces[1::2], pieces[2::2], strict=True)}


def write_shared_data(folder: str | Path, blocks: dict[str, str]) -> Path:
    """Add ``blocks`` (content hash -> JavaScript literal) to ``folder``'s :data:`SHARED_DATA` and return its path.

    The blocks already in the file are kept (the other maps of the folder use them); every block is
    written once, sorted by its hash, so the file is the same whatever order the maps are written in.
    A stuurgroep pack removes the file before it writes its maps, so that no block of an earlier build
    stays behind.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    merged = {**shared_data(folder), **blocks}
    text = _SHARED_HEAD + "".join(f'LLT_DATA["{key}"] = {merged[key]};\n' for key in sorted(merged))
    path = folder / SHARED_DATA
    path.write_bytes(text.encode("utf-8"))
    return path


def make_offline(html: str, *, assets: str | None = None, shared: bool = False) -> str:
    """A folium page with Leaflet included and nothing loaded from a CDN.

    Parameters
    ----------
    html : str
        The page as folium renders it.
    assets : str, optional
        A relative URL (e.g. ``"assets"`` or ``"../assets"``) of a folder holding
        :func:`asset_files`; the page then refers to ``assets/leaflet.js`` and ``assets/llt_map.js``.
        When not given, Leaflet and llt_geo's map code are written into the page itself.
    shared : bool
        With ``assets``: the page refers to data blocks in ``assets/llt_data.js``
        (:func:`write_shared_data`), which it then loads after Leaflet.

    Raises
    ------
    ValueError
        When the page loads an external file that is neither Leaflet nor one of the libraries
        llt_geo's maps do not use.
    """
    unknown = [
        r for r in external_references(html)
        if "leaflet@" not in r and "leaflet.js" not in r and "leaflet.css" not in r
        and not any(u in r.lower() for u in _UNUSED)
    ]  # fmt: skip
    if unknown:
        raise ValueError(f"the map loads files llt_geo cannot provide offline: {', '.join(unknown)}")
    if assets is None:
        js = "".join(
            "<script>" + text.replace("</script", "<\\/script") + "</script>\n" for text in (_leaflet_js(), _map_js())
        )
        css = "<style>" + _leaflet_css() + "</style>\n"
    else:
        base = assets.rstrip("/")
        js = f'<script src="{base}/leaflet.js"></script>\n<script src="{base}/llt_map.js"></script>\n'
        if shared:
            js += f'<script src="{base}/{SHARED_DATA}"></script>\n'
        css = f'<link rel="stylesheet" href="{base}/leaflet.css"/>\n'

    def drop_script(match: re.Match) -> str:
        return "" if _is_external(match.group(1)) else match.group(0)

    def drop_link(match: re.Match) -> str:
        tag = match.group(0)
        return "" if _is_external(match.group(1)) and "stylesheet" in tag.lower() else tag

    out = _SCRIPT_TAG.sub(drop_script, html)
    out = _LINK_TAG.sub(drop_link, out)
    head = re.search(r"<head[^>]*>", out, re.IGNORECASE)
    if head is None:  # a fragment: put Leaflet first
        return css + js + out
    return out[: head.end()] + "\n" + css + js + out[head.end() :]
