"""The stuurgroep maps: offline (Leaflet only), escaped, explained by a legend, deterministic.

Every kind of map (overview, screening, partners, portfolio) is built once from a copy of the demo
in which two flats are named like an injection, and checked as the saved page a director opens.
"""

from __future__ import annotations

import dataclasses
import html as html_lib
import json
import re
import shutil
from collections import Counter

import pytest

from llt_geo import load_dataset, load_demo
from llt_geo.present.maps import (
    ELIGIBILITY_COLOURS,
    STATUS_COLOURS,
    SafePopup,
    SafeTooltip,
    overview_map,
    partners_map,
    portfolio_map,
    save_map,
    screening_map,
)
from llt_geo.present.offline import SHARED_DATA, asset_files, external_references, shared_data
from llt_geo.present.palette import AGEING_COLOURS, ELIGIBILITY_LABELS_NL

from .conftest import DEMO

IMG_NAME = "<img src=x onerror=alert(1)>"
TEMPLATE_NAME = "${alert(1)}`</script><!--"
PDOK = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _build(ds):
    from llt_geo import run

    results = run(ds)
    name = next(iter(results.decisions))
    return {
        "overview": lambda: overview_map(ds, results),
        "screening": lambda: screening_map(ds, results),
        "partners": lambda: partners_map(ds, results),
        "portfolio": lambda: portfolio_map(ds, results, name),
    }


def _one_page(page: str, folder) -> str:
    """A page saved with ``assets="assets"`` as the browser reads it: the code (``llt_map.js``) and the data
    blocks it refers to in ``assets/llt_data.js`` in their places, as a page saved without assets holds them."""
    blocks = shared_data(folder / "assets")
    code = "<script>" + asset_files()["llt_map.js"] + "</script>"
    page = page.replace('<script src="assets/llt_map.js"></script>', code)
    page = page.replace(f'<script src="assets/{SHARED_DATA}"></script>\n', "")
    return re.sub(r'LLT_DATA\["([0-9a-f]{16})"\]', lambda m: blocks[m.group(1)], page)


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    """The demo with LLT-001 named like an HTML injection and LLT-002 like a template-literal one."""
    folder = tmp_path_factory.mktemp("maps") / "demo"
    shutil.copytree(DEMO, folder)
    register = folder / "woningregister.csv"
    text = register.read_text(encoding="utf-8")
    for old, new in (("LLT-001;Wilgenrode (LLT-001);", IMG_NAME), ("LLT-002;Reigerhof (LLT-002);", TEMPLATE_NAME)):
        assert old in text
        text = text.replace(old, f"{old.split(';')[0]};{_csv_field(new)};", 1)
    register.write_text(text, encoding="utf-8")
    ds = load_dataset(folder)
    builders = _build(ds)
    out = folder.parent / "out"
    pages = {}
    for kind, build in builders.items():
        path = save_map(build(), out / f"{kind}.html", assets="assets")
        pages[kind] = _one_page(path.read_text(encoding="utf-8"), out)
    return ds, builders, pages


def _layer_names(page: str) -> list[str]:
    """The names in the layer control (folium writes them as JSON with non-ASCII escaped)."""
    block = page[page.index("base_layers : {") :]
    block = block[: block.index("};")]
    return [json.loads(k) for k in re.findall(r'^\s*("(?:[^"\\]|\\.)*") :', block, re.MULTILINE)]


def _texts(page: str) -> list[str]:
    """The page's texts (popups, tooltips) as the browser joins them from their pieces."""
    parts = json.loads(re.search(r"var parts = (\[.*?\n\]);", page, re.S).group(1))
    texts = json.loads(re.search(r"var texts = (\[.*?\n\]);", page, re.S).group(1))
    return ["".join(parts[i] for i in t) for t in texts]


def _search_items(page: str) -> list[str]:
    return json.loads(re.search(r"var items = (\[.*?\n\]);", page, re.S).group(1))


def _circle_rows(page: str) -> list[tuple[dict, int | None, list]]:
    """Every circle the page draws: (its options, its popup's maxWidth or None, its row)."""
    styles = json.loads(re.search(r"lltStore\(parts, texts, (\[.*?\n\])\);", page, re.S).group(1))
    out = []
    for rows in re.findall(r"var store = \w+, layer = \w+;\s*var rows = (\[.*?\n\]);", page, re.S):
        for row in json.loads(rows):
            style = styles[row[3]]
            out.append((style[0], style[1] if len(style) > 1 else None, row))
    return out


def _drawn(page: str) -> Counter:
    """What a page draws, counted from its data arrays: class name -> circles and CSS markers."""
    drawn = Counter(options["className"] for options, _width, _row in _circle_rows(page))
    for icon, rows in re.findall(r"icon = (\{.*?\});\s*var rows = (\[.*?\n\]);", page, re.S):
        drawn[json.loads(icon)["className"]] += len(json.loads(rows))
    return drawn


def _without_json_strings(page: str) -> str:
    return re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', page)


def test_no_cdn_no_external_script_or_stylesheet_and_no_jquery(injected):
    _ds, _builders, pages = injected
    assert set(pages) == {"overview", "screening", "partners", "portfolio"}
    for kind, page in pages.items():
        assert external_references(page) == [], kind
        assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", page), kind
        assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", page), kind
        assert "$(" not in page and "jquery" not in page.lower() and "cdn." not in page, kind
        assert 'src="assets/leaflet.js"' in page and 'href="assets/leaflet.css"' in page, kind
        assert "leaflet-dvf" not in page and "RegularPolygonMarker" not in page and "fa-" not in page, kind


def test_leaflet_is_written_into_a_page_without_assets(injected, tmp_path):
    _ds, builders, _pages = injected
    page = save_map(builders["portfolio"](), tmp_path / "p.html").read_text(encoding="utf-8")
    assert external_references(page) == [] and "<script src" not in page
    assert "L.map" in page and "leaflet-container" in page  # Leaflet itself and its stylesheet, inline


def test_names_from_the_data_are_escaped_everywhere(injected):
    _ds, _builders, pages = injected
    for kind, page in pages.items():
        assert IMG_NAME not in page and "<img src=x" not in page, kind  # never as markup
        assert html_lib.escape(IMG_NAME) in page, kind  # but shown, as text (popup, tooltip)
        # no template literal anywhere: outside JSON strings there is no backtick and no ${
        bare = _without_json_strings(page)
        assert "`" not in bare and "${" not in bare, kind
        # "</script>" from the data cannot close a script: one </script> per <script>
        assert page.count("</script>") == page.count("<script"), kind
        assert "<!--" not in page.replace("<!DOCTYPE", ""), kind
    # the search list holds the names as plain text in a JSON string (the browser sets option.value)
    screening = pages["screening"]
    assert '"LLT-001 — \\u003cimg src=x onerror=alert(1)\\u003e — Wilgenrode 156"' in screening
    assert '"LLT-002 — ${alert(1)}`\\u003c/script\\u003e\\u003c!-- — Reigerhof 224"' in screening


def test_safe_popup_and_tooltip_are_json_strings():
    import folium

    m = folium.Map(tiles=None)
    marker = folium.CircleMarker([52.37, 4.9], radius=3).add_to(m)
    SafePopup("<b>a</b>${x}`</script>").add_to(marker)
    SafeTooltip("&lt;b&gt;").add_to(marker)
    page = m.get_root().render()
    assert '.bindPopup("<b>a<\\/b>${x}`<\\/script>", {"maxWidth":320});' in page
    assert '.bindTooltip("&lt;b&gt;", {"sticky":false});' in page
    assert "$(`" not in page


def test_every_flat_is_one_circle_and_sites_are_black_squares(injected):
    ds, _builders, pages = injected
    for kind, page in pages.items():
        drawn = _drawn(page)
        assert drawn["llt-flat"] == len(ds.flats), kind  # one row per flat in the layers' arrays
        assert drawn["llt-site"] == len(ds.intramural_sites), kind
        assert drawn["llt-area-label"] == len(ds.stadsdelen), kind
        assert 0 < page.count("L.circleMarker(") <= page.count("L.featureGroup("), kind  # a loop per layer at most
        assert "circle_marker_" not in page and ".bindPopup(" in page, kind
    assert drawn["llt-near-miss"] == 0 and _drawn(pages["overview"])["llt-near-miss"] == 24
    assert ".llt-site{background:#000" in pages["overview"]


def test_each_flat_row_has_its_popup_tooltip_and_search_entry(injected):
    ds, _builders, pages = injected
    for kind, page in pages.items():
        texts, items = _texts(page), _search_items(page)
        flats = [
            (options, width, row) for options, width, row in _circle_rows(page) if options["className"] == "llt-flat"
        ]
        # the same options as a folium CircleMarker had, and a popup's maxWidth
        for options, width, row in flats:
            assert set(options) - {"dashArray"} == {"className", "color", "fillColor", "fillOpacity", "weight"}, kind
            assert len(row) == 7 and row[2] in (4, 5.5, 7, 8.5, 10) and isinstance(width, int), kind
        # every flat once in the search list, and the row points at its own entry
        assert sorted(row[6] for _o, _w, row in flats) == list(range(len(ds.flats))) == list(range(len(items)))
        for _o, _w, row in flats:
            flat_id = items[row[6]].split(" — ")[0]
            assert texts[row[5]].startswith(f"{flat_id} — "), (kind, flat_id)  # its tooltip
            assert flat_id in texts[row[4]] and "llt-pop" in texts[row[4]], (kind, flat_id)  # its popup
    # rings (near misses) have no popup
    rings = [row for options, _w, row in _circle_rows(pages["screening"]) if options["className"] == "llt-near-miss"]
    assert len(rings) == 24 and all(len(row) == 4 for row in rings)


def test_texts_are_written_once_in_pieces_and_joined_back_exactly(injected):
    ds, builders, pages = injected
    m = builders["screening"]()
    page = m.get_root().render()
    store = m.llt_store
    assert _texts(page) == store.items and len(set(store.items)) == len(store.items)
    # the criteria tables share their pieces: far less is written than the texts hold
    pieces = json.loads(re.search(r"var parts = (\[.*?\n\]);", page, re.S).group(1))
    assert len(set(pieces)) == len(pieces)
    assert len(json.dumps(pieces, ensure_ascii=False)) < 0.5 * len(json.dumps(store.items, ensure_ascii=False))
    texts = _texts(pages["screening"])
    assert any("LLT-001 — " + html_lib.escape(IMG_NAME) + ": " in t for t in texts)  # a tooltip, escaped
    assert sum("<table class='llt-criteria'>" in t for t in texts) == 127  # a popup per candidate
    assert len(ds.flats) == 150


def test_the_saved_maps_are_small(injected):
    """Compact arrays instead of folium's script per marker (a stuurgroep pack stays under 5 MB), and what every
    map holds the same written once for all maps of the folder: the code in ``assets/llt_map.js``; the areas
    (the demo's real stadsdelen, 110 wijken and focus areas, simplified, with the groups' outlines), the search
    list, the sites and the amenities in ``assets/llt_data.js``. The page itself within these limits."""
    ds, _builders, _pages = injected
    out = ds.folder.parent / "out"
    limits = {"overview": 90_000, "screening": 130_000, "partners": 125_000, "portfolio": 70_000}
    for kind, limit in limits.items():
        page = (out / f"{kind}.html").read_text(encoding="utf-8")
        assert len(page.encode("utf-8")) <= limit, (kind, len(page.encode("utf-8")))
        assert '"coordinates"' not in page and "lltControls(" in page and "function lltControls" not in page, kind
        assert '<script src="assets/llt_map.js"></script>' in page, kind
        assert f'<script src="assets/{SHARED_DATA}"></script>' in page, kind
    blocks = shared_data(out / "assets")
    areas = [b for b in blocks.values() if '"coordinates"' in b]  # stadsdelen, wijken, focus areas, groups
    assert len(areas) >= 4 and sum(len(a.encode("utf-8")) for a in areas) <= 70_000
    assert sum(len(b.encode("utf-8")) for b in blocks.values()) <= 120_000


def test_shared_data_is_written_once_in_a_fixed_order(injected, tmp_path):
    """``llt_data.js`` holds each block once, sorted by its hash: the same file whatever order the maps are
    saved in; a map saved without assets holds its data and code itself and refers to nothing."""
    ds, builders, _pages = injected
    out = ds.folder.parent / "out"
    for kind in reversed(list(builders)):
        save_map(builders[kind](), tmp_path / f"{kind}.html", assets="assets")
    assert (tmp_path / "assets" / SHARED_DATA).read_bytes() == (out / "assets" / SHARED_DATA).read_bytes()
    text = (out / "assets" / SHARED_DATA).read_text(encoding="utf-8")
    keys = re.findall(r'^LLT_DATA\["([0-9a-f]{16})"\] = ', text, re.M)
    assert keys == sorted(set(keys)) and len(keys) == len(shared_data(out / "assets")) >= 6
    alone = save_map(builders["overview"](), tmp_path / "alone" / "kaart.html").read_text(encoding="utf-8")
    assert "LLT_DATA" not in alone and "<script src" not in alone and "function lltControls" in alone
    assert '"coordinates"' in alone and not (tmp_path / "alone" / "assets").exists()


def test_legend_explains_every_colour_size_shading_and_symbol(injected):
    _ds, _builders, pages = injected
    for kind, page in pages.items():
        assert page.count('<div class="llt-legend">') == 1, kind
        legend = page[page.index('<div class="llt-legend">') :]
        legend = legend[: legend.index("</div>\n</div>") if "</div>\n</div>" in legend else 20000]
        assert "woningen" in legend and "intramurale locatie" in legend and "focusgebied masterplan" in legend, kind
        assert "groep" in legend and "15–20 %" in legend and "25 % of meer" in legend, kind
        for colour in AGEING_COLOURS:
            assert colour in legend, kind
    screening = pages["screening"]
    legend = screening[screening.index('<div class="llt-legend">') :]
    for outcome, label in ELIGIBILITY_LABELS_NL.items():
        assert html_lib.escape(label) in legend
        assert ELIGIBILITY_COLOURS[outcome] in legend
    assert "bijna voldoende" in legend and "near miss" not in legend and "Gerealiseerd, apart" in legend
    overview = pages["overview"]
    legend = overview[overview.index('<div class="llt-legend">') :]
    for colour in STATUS_COLOURS.values():
        assert colour in legend or colour not in overview


def test_metric_scale_title_peildatum_and_source_on_every_map(injected):
    import llt_geo

    _ds, _builders, pages = injected
    for kind, page in pages.items():
        assert page.count("L.control.scale({imperial: false") == 1, kind
        assert "control_scale" not in page and "imperial: true" not in page, kind
        title = re.search(r"<title>(.*?)</title>", page)
        assert title and "peildatum 30 november 2026" in title.group(1), kind
        assert '<div class="llt-title"><h1>' in page and "Peildatum 30 november 2026" in page, kind
        assert "FICTIEVE DEMODATA" in page and f"llt_geo {llt_geo.__version__}" in page, kind
        assert "Kaart: © Kadaster / PDOK (BRT-Achtergrondkaart)" in page, kind


def test_area_names_beside_codes_and_the_criteria_table(injected):
    _ds, _builders, pages = injected
    pages = {kind: "\n".join(_texts(page)) for kind, page in pages.items()}  # the popups as a browser joins them
    screening = pages["screening"]
    named = re.compile(r"Centrum \(A\) / [^/<()]+ \(A[A-Z]\) / [^/<()]+ \(A[A-Z]\d\d\)")  # stadsdeel / wijk / buurt
    assert named.search(screening)
    assert "<table class='llt-criteria'><tr><th>Criterium<th>Oordeel<th>Toelichting" in screening
    assert "Minimale omvang (ongeveer 100 woningen)" in screening and "(bijna)" in screening
    assert named.search(pages["overview"]) and named.search(pages["portfolio"])


def test_layers_name_what_they_count_so_the_maps_reconcile(injected):
    _ds, _builders, pages = injected
    overview, screening = _layer_names(pages["overview"]), _layer_names(pages["screening"])
    assert "Flats: kandidaat (129 flats = 106 kandidaten in de toets)" in overview
    assert "Flats: gerealiseerd (21 flats, apart van de open kandidaten)" in overview
    assert "Gerealiseerd, apart: geen open kandidaat (21 flats)" in screening
    assert any(re.fullmatch(r"Voldoet \(28 open kandidaten\) — \d+ flats", n) for n in screening)
    assert "Groepen van flats (15 groepen van samen 38 flats; elke groep één kandidaat)" in screening
    assert "Bijna voldoende: 21 open kandidaten = 24 flats" in screening
    assert "Bijna voldoende: 21 open kandidaten = 24 flats" in overview
    assert "Wijken: aandeel 65+ (110 wijken)" in overview and "Stadsdelen (9, met namen)" in overview
    assert any(n.startswith("Vergrijsde wijken (") for n in overview)
    assert "Voorzieningen (702)" in overview and "Intramurale locaties (40)" in overview
    assert "Focusgebieden masterplan (3)" in overview
    # the counts in the screening layers add up to the flats drawn and the open candidates
    counted = [re.fullmatch(r".* \((\d+) open kandidaa?ten?\) — (\d+) flats?", n) for n in screening]
    counted = [m for m in counted if m]
    assert sum(int(m.group(1)) for m in counted) == 106 and sum(int(m.group(2)) for m in counted) == 129
    assert "106 open kandidaten uit 129 kandidaatflats" in pages["screening"]
    assert "106 open kandidaten uit 129 kandidaatflats" in pages["overview"]


def test_search_box_lists_every_flat(injected):
    ds, _builders, pages = injected
    for kind, page in pages.items():
        assert '"llt-search"' in page and "datalist" in page, kind
        for fid in ds.flats["flat_id"]:
            assert f'"{fid} — ' in page, (kind, fid)


def test_basemap_pdok_osm_and_none(injected):
    ds, builders, pages = injected
    page = pages["overview"]
    assert PDOK in page and '"maxZoom": 19' in page and "© OpenStreetMap-bijdragers" in page
    assert page.index(PDOK) < page.index("https://tile.openstreetmap.org/")
    assert '<div class="llt-tile-status">Achtergrondkaart niet geladen (geen internet)' in page
    assert '.on("tileerror"' in page and "llt-area-label" in page
    report = ds.config["report"]
    old = report.get("basemap")
    try:
        report["basemap"] = "osm"
        page = builders["overview"]().get_root().render()
        assert page.index("https://tile.openstreetmap.org/") < page.index(PDOK)
        report["basemap"] = "none"
        for kind, build in builders.items():
            page = build().get_root().render()
            assert "L.tileLayer" not in page and '<div class="llt-tile-status">' not in page, kind
            assert "geen achtergrondkaart" in page and "llt-area-label" in page, kind
    finally:
        report["basemap"] = old


def test_maps_are_deterministic(injected, tmp_path):
    _ds, builders, pages = injected
    for kind, build in builders.items():
        again = save_map(build(), tmp_path / f"{kind}.html", assets="assets").read_text(encoding="utf-8")
        assert _one_page(again, tmp_path) == pages[kind], kind
        assert not re.search(r"_[0-9a-f]{32}", again), kind


def test_a_map_shows_offline_in_a_notebook_too():
    from llt_geo import run

    ds = load_demo()
    m = overview_map(ds, run(ds, until="screening"))
    out = m._repr_html_()
    assert out.startswith("<div") and "<iframe srcdoc=" in out and len(out) < 800_000
    page = html_lib.unescape(re.search(r'srcdoc="([^"]*)"', out).group(1))
    assert external_references(page) == [] and "L.map" in page
    assert out == overview_map(ds, run(ds, until="screening"))._repr_html_()


def test_popups_link_to_the_dossiers_only_when_asked(injected):
    """With ``dossiers="dossiers"`` (the stuurgroep pack) each flat's popup ends with its candidate's dossier."""
    from llt_geo import run
    from llt_geo.present.report import dossier_name

    ds, _builders, pages = injected
    for kind, page in pages.items():  # standalone maps: no links
        assert 'href="dossiers/' not in "".join(_texts(page)) and " openen</a>" not in page, kind
    results = run(ds)
    result = results.screening
    name = next(iter(results.decisions))
    flats = ds.flats.merge(result.flats[["flat_id", "candidate_id"]], on="flat_id", how="left")
    candidate_of = dict(zip(flats["flat_id"].astype(str), flats["candidate_id"].astype(str), strict=True))
    for kind, m in {
        "overview": overview_map(ds, results, dossiers="dossiers"),
        "screening": screening_map(ds, results, dossiers="dossiers"),
        "partners": partners_map(ds, results, dossiers="dossiers"),
        "portfolio": portfolio_map(ds, results, name, dossiers="dossiers"),
    }.items():
        page = m.get_root().render()
        texts, items = _texts(page), _search_items(page)
        rows = [row for options, _w, row in _circle_rows(page) if options["className"] == "llt-flat"]
        assert len(rows) == len(ds.flats), kind
        for row in rows:
            cid = candidate_of[items[row[6]].split(" — ")[0]]
            link = f'<p><a href="dossiers/{dossier_name(cid)}">Dossier {html_lib.escape(cid)} openen</a></p></div>'
            assert texts[row[4]].endswith(link), (kind, cid)
        assert "<img src=x" not in page and html_lib.escape(IMG_NAME) in page, kind


def test_panels_leave_the_city_and_the_popups_free(injected):
    """Layer list collapsed, a compact title, a folding legend; the city fitted beside the panels."""
    _ds, _builders, pages = injected
    for kind, page in pages.items():
        assert '"collapsed": true' in page and '"collapsed": false' not in page, kind
        title = re.search(r'<div class="llt-title">(.*?)</div>', page, re.S).group(1)
        head, folded = title.split("<details>")
        meta = '<p class="llt-meta"><b>Peildatum 30 november 2026</b> · FICTIEVE DEMODATA</p>'
        assert re.fullmatch(r"<h1>[^<]+</h1>" + re.escape(meta), head), kind
        assert folded.startswith("<summary>Toelichting en bron</summary>") and "Bron: " in folded, kind
        assert page.count('<div class="llt-legend"><details open><summary>Legenda</summary>') == 1, kind
        assert ".llt-title{max-width:min(460px,40vw)" in page and ".llt-legend{max-height:calc(100vh - " in page, kind
        assert "function fitLegend()" in page, kind  # the legend's height: what the title, banner and scale leave
        # popups: Leaflet's own pan is off; the page moves them clear of the panels (or hides those)
        assert '"autoPan": false' in page and 'map.on("popupopen", clear)' in page and ".llt-under{" in page, kind
        assert "map.fitBounds(bounds, {paddingTopLeft:" in page and "fit_bounds" not in page, kind
        assert page.count(".fitBounds(") == 1 and '"zoomSnap": 0.25' in page, kind
        assert 'position: "topright"' in page, kind  # the search box, above the layer list


def test_dutch_words_only_in_legends_and_layer_names(injected):
    _ds, _builders, pages = injected
    for kind, page in pages.items():
        legend = page[page.index('<div class="llt-legend">') :]
        legend = legend[: legend.index("</details></div>")]
        for text in (legend, " | ".join(_layer_names(page))):
            assert "near miss" not in text.lower() and "legenda" in legend.lower(), kind
    assert any(n.startswith("Bijna voldoende: ") for n in _layer_names(pages["screening"]))


def test_portfolio_names_providers_and_scenarios_in_words(injected):
    from llt_geo import run

    ds, _builders, pages = injected
    names = dict(zip(ds.care_providers["provider_id"], ds.care_providers["name"], strict=True))
    said = re.findall(r"Voorkeursaanbieder zorg: ([^<]*)", "\n".join(_texts(pages["portfolio"])))
    assert said and all(s.split(" ", 1)[1] == html_lib.escape(names[s.split(" ", 1)[0]]) for s in said)
    results = run(ds)
    results = dataclasses.replace(results, decisions={"ruim_budget": results.decisions["basis"]})
    page = portfolio_map(ds, results, "ruim_budget").get_root().render()
    assert "<h1>Portefeuille, scenario ruim budget</h1>" in page and "ruim_budget" not in page
    assert "Portefeuille, scenario ruim budget (kleur)" in page


def test_providers_differ_by_a_number_as_well_as_colour(injected):
    """On the partners map each provider's flats carry its number (ZA03 -> 3), as in the legend."""
    _ds, _builders, pages = injected
    page = pages["partners"]
    drawn = _drawn(page)
    names = _layer_names(page)
    in_layers = sum(int(re.search(r"= (\d+) flats?\)", n).group(1)) for n in names if re.match(r"ZA\d+ ", n))
    kept = next(int(re.search(r"\((\d+) flats\)", n).group(1)) for n in names if n.startswith("Al een voorkeurs"))
    assert drawn["llt-mark"] == in_layers + kept and drawn["llt-flat"] == len(_ds.flats)
    numbers = {str(int(n.split(" ")[0][2:])) for n in names if re.match(r"ZA\d+ ", n)}
    marks = [row[2] for icon, rows in re.findall(r"icon = (\{.*?\});\s*var rows = (\[.*?\n\]);", page, re.S)
             if json.loads(icon)["className"] == "llt-mark" for row in json.loads(rows)]  # fmt: skip
    assert len(marks) == drawn["llt-mark"] and set(marks) <= numbers and len(numbers) > 5
    legend = page[page.index('<div class="llt-legend">') :]
    for provider in sorted({n.split(" ")[0] for n in names if re.match(r"ZA\d+ ", n)}):
        mark = str(int(provider[2:]))
        assert f'paint-order="stroke">{mark}</text></svg><span>{provider} ' in legend, provider


def test_template_syntax_in_the_data_is_shown_never_run():
    """A name holding Jinja syntax (``{{ 7*7 }}``) is text on the map: before the panels were templates
    with autoescape, branca rendered it as a template and the map said 49."""
    import copy

    from llt_geo import run

    ds = load_demo()
    config = copy.deepcopy(ds.config)
    config["dataset"]["name"] = "Demo {{ 7*7 }} {% if true %}ja{% endif %}"
    ds2 = dataclasses.replace(ds, config=config)
    page = overview_map(ds2, run(ds2, until="screening")).get_root().render()
    assert "Demo {{ 7*7 }} {% if true %}ja{% endif %}" in html_lib.unescape(page)
    assert "Demo 49" not in page


def test_the_search_finds_a_group_by_its_id(injected):
    """Searching a group id (G05) lists each of its flats (issue 19, item 6)."""
    _ds, _builders, pages = injected
    items = _search_items(pages["screening"])
    g05 = [i for i in items if i.endswith(" — groep G05")]
    assert len(g05) >= 2 and all(i.startswith("LLT-") for i in g05)
    assert not [i for i in items if "groep LLT-" in i]  # a single flat is its own candidate: no group


# ------------------------------------------------------------------------------- one meaning per colour (issue 19)


@pytest.fixture(scope="module")
def every_map():
    """The demo's results and every map of the pack (overview, screening, partners, each scenario), rendered."""
    from llt_geo import run

    ds = load_demo()
    results = run(ds)
    pages = {
        "overview": overview_map(ds, results),
        "screening": screening_map(ds, results),
        "partners": partners_map(ds, results),
    }
    for name in results.decisions:
        pages[f"portfolio {name}"] = portfolio_map(ds, results, name)
    return ds, results, {kind: m.get_root().render() for kind, m in pages.items()}


def _drawing_per_flat(page: str) -> dict[str, tuple]:
    """Per flat id, how the page draws it: (fill, outline, outline width, dash)."""
    items = _search_items(page)
    out = {}
    for options, _width, row in _circle_rows(page):
        if options.get("className") != "llt-flat":
            continue
        flat_id = items[row[6]].split(" — ")[0]
        out[flat_id] = (str(options["fillColor"]).upper(), str(options["color"]).upper(), float(options["weight"]),
                        options.get("dashArray"))  # fmt: skip
    return out


def _state_per_flat(kind: str, results) -> dict[str, str]:
    """Per flat id the state a map shows it in, from the results (not from the map)."""
    flats = results.screening.flats
    cands = results.screening.candidates.set_index("candidate_id")
    states = {}
    for flat_id, cid, status in zip(flats["flat_id"].astype(str), flats["candidate_id"].astype(str),
                                    flats["status"].astype(str), strict=True):  # fmt: skip
        if kind == "overview":
            states[flat_id] = f"status {status}"
        elif kind == "screening":
            is_open = bool(cands.loc[cid, "open_candidate"])
            states[flat_id] = f"3.1 {cands.loc[cid, 'eligibility']}" if is_open else f"status {status}"
        else:
            table = results.decisions[kind.split(" ", 1)[1]].flats.set_index("candidate_id")["outcome"]
            outcome = str(table.get(cid, "other"))
            states[flat_id] = f"status {status}" if outcome == "fixed" else f"portfolio {outcome}"
    return states


def test_one_meaning_per_colour_across_all_maps(every_map):
    """Each state of a flat is drawn one way on every map, each drawing means one state, and no
    state is drawn in a colour of 3.1 (voldoet, voldoet niet, onbekend) or one a colour-blind reader
    takes for it. The issue: orange was voldoet niet on kaart_toets and kan worden gekozen on the
    portfolio maps; realised flats were a white ring on one map and green on another."""
    from .test_palette import STATE_DISTANCE, distance

    _ds, results, pages = every_map
    meaning: dict[tuple, set] = {}
    drawing: dict[str, set] = {}
    for kind, page in pages.items():
        if kind == "partners":
            continue  # flats there are coloured by provider (checked below)
        states = _state_per_flat(kind, results)
        drawn = _drawing_per_flat(page)
        assert set(drawn) == set(states), kind
        for flat_id, how in drawn.items():
            meaning.setdefault(how, set()).add(states[flat_id])
            drawing.setdefault(states[flat_id], set()).add((how, kind))
    two_meanings = {how: sorted(s) for how, s in meaning.items() if len(s) > 1}
    assert two_meanings == {}, two_meanings
    two_drawings = {s: sorted(h) for s, h in drawing.items() if len({how for how, _kind in h}) > 1}
    assert two_drawings == {}, two_drawings
    outcome_fills = {next(iter(h))[0][0] for s, h in drawing.items() if s.startswith("3.1 ")}
    assert outcome_fills  # the screening map shows outcomes
    others = {next(iter(h))[0][0]: s for s, h in drawing.items() if not s.startswith("3.1 ")}
    others.update({fill: "provider" for fill, *_ in _drawing_per_flat(pages["partners"]).values()})
    for fill in outcome_fills:
        for other, state in others.items():
            if other == "#FFFFFF":
                continue
            for vision in ("normal", "deuteranopia", "protanopia"):
                assert distance(fill, other, vision) >= STATE_DISTANCE, (fill, other, state, vision)


def test_an_infeasible_scenario_shows_its_conflict_and_fixes_on_the_map(every_map):
    """A banner on the map's face (not in a folded panel) with the rules in conflict and the fixes."""
    _ds, results, pages = every_map
    infeasible = [n for n, d in results.decisions.items() if d.status == "infeasible"]
    assert infeasible, "the demo has an infeasible scenario (krap_budget)"
    for name, decision in results.decisions.items():
        page = pages[f"portfolio {name}"]
        if name not in infeasible:
            assert 'class="llt-banner"' not in page, name
            continue
        banner = re.search(r'<div class="llt-banner" role="alert">(.*?)</div>', page, re.S)
        assert banner, name
        text = banner.group(1)
        assert "<details" not in text and "niet haalbaar" in text, name
        scenario = results.portfolio.scenarios[name]
        assert scenario.conflict or scenario.fixes or decision.explanation
        for line in [*scenario.conflict, *scenario.fixes]:
            assert f"<li>{html_lib.escape(str(line))}</li>" in text, (name, line)
        if not scenario.conflict:
            assert html_lib.escape(str(decision.explanation)) in text, name
        assert 'place(".llt-banner", "topleft")' in asset_files()["llt_map.js"] and "lltControls(" in page


def test_the_legend_folds_by_section(every_map):
    """Every legend section folds on its own (the first open, some shut), so the legend fits a laptop screen."""
    _ds, _results, pages = every_map
    for kind, page in pages.items():
        legend = page[page.index('<div class="llt-legend">') :]
        legend = legend[: legend.index("</details></div>") + len("</details></div>")]
        headings = re.findall(r"<h2>", legend)
        sections = re.findall(r'<details class="llt-section"( open)?><summary><h2>', legend)
        assert len(sections) == len(headings) > 1, kind
        assert sections[0] == " open" and "" in sections[1:], kind


def test_the_free_choice_sentence_wherever_a_provider_is_named(every_map):
    """Every popup that names a voorkeursaanbieder says that residents keep their free choice, and so
    does the legend of a map that names providers."""
    from llt_geo.labels import FREE_CHOICE_NL

    ds, _results, pages = every_map
    ids = sorted(ds.care_providers["provider_id"].astype(str), key=len, reverse=True)
    named = re.compile(r"oorkeursaanbieder[^<]*?(?:</th><td>|: )(?:" + "|".join(map(re.escape, ids)) + r")\b")
    sentence = html_lib.escape(FREE_CHOICE_NL)
    checked = 0
    for kind, page in pages.items():
        for text in _texts(page):
            if "llt-pop" in text and named.search(text):
                assert sentence in text or FREE_CHOICE_NL in text, (kind, text[:300])
                checked += 1
    assert checked
    legend = pages["partners"][pages["partners"].index('<div class="llt-legend">') :]
    assert sentence in legend[: legend.index("</details></div>")]
