"""The stuurgroep pack: one folder with a Dutch report (``index.html``), maps and per-candidate dossiers.

Everything here is for readers who never run Python: Dutch text with the programme's own terms,
plain HTML and CSS (the maps add Leaflet from the pack's ``assets`` folder), no network, and no
clock or random element: the same input gives the same bytes, so a diff between two packs shows
only what changed. Every text that comes from data is escaped (:func:`html.escape`), so a flat
named ``<img src=x onerror=alert(1)>`` shows as text.

Layout of a pack::

    index.html            the report: progress, spread, screening, partners, portfolio,
                          traceability, verantwoording (inputs, configuration, what was left out)
    kaart_*.html          the maps (Leaflet from assets/)
    dossiers/<id>.html    one page per candidate (3.1, areas, partners, 3.2, 4, 2.3/2.4, portfolio)
    afdruk/*.png, *.pdf   maps and charts for a printed memo
    assets/               leaflet.js, leaflet.css, llt.css
    *.csv, *.txt, *.gpkg  the tables for Excel and QGIS
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..labels import ASPECTS, FREE_CHOICE_NL, describe_counts, nl_date, nl_eur, nl_number, nl_pct
from ..results import Results

__all__ = ["PACK_CSS", "build_pack", "config_entries", "dossier_name", "input_files", "open_data_files"]

PACK_CSS = """\
body{font:15px/1.45 system-ui,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a;margin:0;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:16px 24px 48px;background:#fff}
h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;margin:28px 0 8px;border-bottom:2px solid #0072B2}
h3{font-size:16px;margin:18px 0 6px}
.fictief{background:#fff3cd;border:2px solid #E69F00;padding:8px 12px;font-weight:bold;margin:8px 0}
.meta{color:#444;font-size:13px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px;display:block;overflow-x:auto;max-width:100%}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eef3f8}td.num,th.num{text-align:right;white-space:nowrap}
.s-pass{color:#0072B2;font-weight:bold}.s-fail{color:#D55E00;font-weight:bold}.s-unknown{color:#555;font-weight:bold}
.bijna{color:#CC79A7;font-weight:bold}
nav a{margin-right:12px}nav{font-size:14px;margin:6px 0 12px}
.keuze{font-style:italic;color:#333}
.inset{float:right;margin:0 0 12px 16px;border:1px solid #999;background:#fff}
.klein{font-size:12px;color:#555}
code{font-size:12px;word-break:break-all}
.wide{overflow-x:auto;max-width:100%}td.hash{font:11px monospace;word-break:break-all;min-width:14em}
td.lang{min-width:18em}
"""

STATUS_WORD_NL = {"pass": "voldoet", "fail": "voldoet niet", "unknown": "onbekend"}


def e(value: object) -> str:
    """Escape one value for HTML; missing values read ``onbekend``."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return "onbekend"
    if isinstance(value, bool | np.bool_):
        return "ja" if value else "nee"
    return html.escape(str(value), quote=True)


def scenario_label(name: str) -> str:
    """A scenario's name as words for the stuurgroep: ``ruim_budget`` -> ``ruim budget``."""
    return str(name).replace("_", " ")


def dossier_name(candidate_id: str) -> str:
    """The file name of a candidate's dossier: the id with anything but letters, digits, ``-`` and
    ``_`` replaced, plus a short hash of the id when something was replaced (so names stay unique)."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", str(candidate_id))
    if safe != str(candidate_id):
        safe += "_" + hashlib.sha256(str(candidate_id).encode("utf-8")).hexdigest()[:8]
    return safe + ".html"


def _status_cell(status: object, near_miss: bool = False) -> str:
    s = str(status)
    word = STATUS_WORD_NL.get(s, s)
    bijna = " <span class='bijna'>(bijna)</span>" if near_miss else ""
    return f"<td class='s-{e(s)}'>{e(word)}{bijna}</td>"


def _table(
    frame: pd.DataFrame,
    *,
    numeric: tuple[str, ...] = (),
    raw: tuple[str, ...] = (),
    classes: dict[str, str] | None = None,
) -> str:
    """A DataFrame as an HTML table, every cell escaped except the columns in ``raw`` (built here);
    ``numeric`` columns right-aligned, ``classes`` a CSS class per column."""
    css = dict.fromkeys(numeric, "num") | (classes or {})
    head = "".join(f"<th{' class=num' if c in numeric else ''}>{e(c)}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for col, v in zip(frame.columns, values, strict=True):
            text = str(v) if col in raw else e(v)
            cells.append(f"<td class={css[col]}>{text}</td>" if col in css else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<div class='wide'><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"


def _page(title: str, body: str, *, css: str, banner: str, meta: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='nl'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<title>{e(title)}</title>\n<link rel='stylesheet' href='{css}'>\n</head>\n<body>\n<main>\n"
        f"{banner}{body}\n<hr><p class='meta'>{meta}</p>\n</main>\n</body>\n</html>\n"
    )


# ------------------------------------------------------------------------------------------------
# verantwoording: inputs and configuration


def input_files(dataset) -> pd.DataFrame:
    """Every input file: table, file, date (modification, UTC), rows read/used/reported, SHA-256."""
    counts = dataset.row_counts
    rows = []
    for table, name in sorted(dataset.files.items()):
        path = Path(dataset.folder, name)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        when = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date().isoformat() if path.exists() else ""
        c = counts.loc[table] if table in counts.index else None
        rows.append(
            {
                "Tabel": table,
                "Bestand": name,
                "Datum bestand": when,
                "Rijen gelezen": "—" if c is None else nl_number(c["rows_in"]),
                "Rijen gebruikt": "—" if c is None else nl_number(c["rows_used"]),
                "Rijen gemeld": "—" if c is None else nl_number(c["rows_reported"]),
                "SHA-256": digest,
            }
        )
    config = Path(dataset.folder, "llt_geo.toml")
    if config.is_file():
        rows.append(
            {
                "Tabel": "(instellingen)",
                "Bestand": "llt_geo.toml",
                "Datum bestand": datetime.fromtimestamp(config.stat().st_mtime, tz=UTC).date().isoformat(),
                "Rijen gelezen": "—",
                "Rijen gebruikt": "—",
                "Rijen gemeld": "—",
                "SHA-256": hashlib.sha256(config.read_bytes()).hexdigest(),
            }
        )
    return pd.DataFrame(rows)


def config_entries(dataset) -> pd.DataFrame:
    """Every setting used, in Dutch: section, name, key, value, changed or not, and its reason
    (:func:`llt_geo.present.config_nl.describe`), then each scenario's changes."""
    from .config_nl import describe

    return describe(dataset.config)


def open_data_files(checked) -> tuple[pd.DataFrame, list[str]]:
    """The open data the inputs were derived from (:func:`llt_geo.opendata.fetch.check_cache`): per
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
    from shapely.geometry import MultiPolygon, Polygon

    parts = []
    polys = geom.geoms if isinstance(geom, MultiPolygon) else [geom] if isinstance(geom, Polygon) else []
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            pts = np.asarray(ring.coords)
            xs = (pts[:, 0] - x0) * scale
            ys = height - (pts[:, 1] - y0) * scale
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in zip(xs, ys, strict=True)) + "Z")
    return "".join(parts)


def inset_svg(dataset, flats: pd.DataFrame, member_ids: set[str], sites: pd.DataFrame, *, size: int = 300) -> str:
    """A small map around a candidate: wijk borders, the candidate's flats, other flats, sites, scale."""
    from shapely.geometry import box

    from .palette import APART_COLOUR, ELIGIBILITY_COLOURS, SITE_COLOUR

    own = flats[flats["flat_id"].astype(str).isin(member_ids)]
    if not len(own) or own.geometry.is_empty.all():
        return ""
    cx, cy = float(own.geometry.x.mean()), float(own.geometry.y.mean())
    half = max(600.0, float(np.ptp(own.geometry.x)) / 2 + 300, float(np.ptp(own.geometry.y)) / 2 + 300)
    x0, y0 = cx - half, cy - half
    scale = size / (2 * half)
    window = box(x0, y0, x0 + 2 * half, y0 + 2 * half)
    parts = [f"<rect width='{size}' height='{size}' fill='#ffffff'/>"]
    if len(dataset.wijken):  # the candidate's own wijk lightly filled
        own_wijken = set(own["wijk_code"].dropna().astype(str)) if "wijk_code" in own.columns else set()
        mine = dataset.wijken[dataset.wijken["wijk_code"].astype(str).isin(own_wijken)]
        for geom in mine.geometry.intersection(window):
            d = _svg_path(geom.simplify(2), x0, y0, scale, size) if not geom.is_empty else ""
            if d:
                parts.append(f"<path d='{d}' fill='#efedf5' stroke='none'/>")
    for frame, stroke, width in ((dataset.wijken, "#9e9ac8", 1), (dataset.stadsdelen, "#333333", 2)):
        if not len(frame):
            continue
        clipped = frame.geometry.intersection(window)
        for geom in clipped[~clipped.is_empty]:
            d = _svg_path(geom.simplify(2), x0, y0, scale, size)
            if d:
                parts.append(f"<path d='{d}' fill='none' stroke='{stroke}' stroke-width='{width}'/>")
    near = flats[flats.geometry.within(window)].sort_values("flat_id")
    for _, r in near.iterrows():
        x, y = (r.geometry.x - x0) * scale, size - (r.geometry.y - y0) * scale
        if str(r["flat_id"]) in member_ids:
            continue
        parts.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='#BBBBBB' stroke='{APART_COLOUR}' stroke-width='0.5'/>"
        )
    s = sites[sites.geometry.within(window)].sort_values("site_id")
    for _, r in s.iterrows():
        x, y = (r.geometry.x - x0) * scale, size - (r.geometry.y - y0) * scale
        parts.append(f"<rect x='{x - 4:.1f}' y='{y - 4:.1f}' width='8' height='8' fill='{SITE_COLOUR}'/>")
    for _, r in own.sort_values("flat_id").iterrows():
        x, y = (r.geometry.x - x0) * scale, size - (r.geometry.y - y0) * scale
        parts.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='7' fill='{ELIGIBILITY_COLOURS['pass']}' "
            "stroke='#000' stroke-width='2'/>"
        )
    bar_m = 500 if half >= 600 else 200
    bar = bar_m * scale
    parts.append(
        f"<rect x='8' y='{size - 22}' width='{bar + 44:.0f}' height='18' fill='#fff' opacity='0.85'/>"
        f"<line x1='10' y1='{size - 10}' x2='{10 + bar:.1f}' y2='{size - 10}' stroke='#000' stroke-width='3'/>"
        f"<text x='{14 + bar:.1f}' y='{size - 6}' font-size='11' font-family='sans-serif'>{bar_m} m</text>"
    )
    legend = (
        "kandidaat (blauw), andere flats (grijs), intramurale locatie (zwart vierkant), eigen wijk (lichtpaars), "
        "wijkgrens (paars), stadsdeelgrens (zwart)"
    )
    return (
        f"<svg class='inset' width='{size}' height='{size}' viewBox='0 0 {size} {size}' role='img' "
        f"aria-label='Kaartje rond de kandidaat: {legend}' xmlns='http://www.w3.org/2000/svg'>"
        f"<title>{legend}</title>{''.join(parts)}</svg>"
    )


# ------------------------------------------------------------------------------------------------
# the pack


@dataclass
class Pack:
    """What :func:`build_pack` wrote: the folder, its files, and the size in bytes."""

    folder: Path
    files: list[str] = field(default_factory=list)

    @property
    def size_bytes(self) -> int:
        return sum((self.folder / f).stat().st_size for f in self.files if (self.folder / f).is_file())


class _Names:
    """Area names by code, for 'Centrum (A)'."""

    def __init__(self, dataset) -> None:
        self.names: dict[str, str] = {}
        for frame, col in ((dataset.stadsdelen, "stadsdeel_code"), (dataset.wijken, "wijk_code"),
                           (dataset.buurten, "buurt_code")):  # fmt: skip
            if len(frame) and "name" in frame.columns:
                for code, name in zip(frame[col].astype(str), frame["name"], strict=True):
                    self.names[code] = "" if pd.isna(name) else str(name)

    def __call__(self, code: object) -> str:
        if code is None or pd.isna(code):
            return "onbekend"
        name = self.names.get(str(code), "")
        return f"{name} ({code})" if name else str(code)


def _member_ids(row: pd.Series) -> list[str]:
    if bool(row.get("is_group")) and isinstance(row.get("members"), str):
        return [m.strip() for m in row["members"].split(",") if m.strip()]
    return [str(row["flat_id"])] if pd.notna(row.get("flat_id")) else []


def _yn(value: object) -> str:
    if value is None or pd.isna(value):
        return "onbekend"
    return "ja" if bool(value) else "nee"


class _Builder:
    def __init__(self, dataset, results: Results, out: Path, maps: list[tuple[str, str]], prints: list[str],
                 csvs: list[str], open_data=None) -> None:  # fmt: skip
        from .._version import __version__

        self.ds, self.results = dataset, results
        self.s, self.c, self.pf = results.screening, results.partners, results.portfolio
        self.spread, self.progress = results.spread, results.progress
        self.out, self.maps, self.prints, self.csvs = out, maps, prints, csvs
        self.open_data = open_data
        self.version = __version__
        self.names = _Names(dataset)
        self.aspects = ASPECTS
        self.weights = {k: float(dataset.config["care"][key]) for k, (key, _n, _s) in ASPECTS.items()}
        self.peildatum = dataset.peildatum
        cp = dataset.care_providers
        self.provider_names = dict(zip(cp["provider_id"].astype(str), cp["name"].astype(str), strict=True))

    def provider(self, pid: object) -> str:
        """``ZA01 Thuiszorg Zonnewijzer`` from ``ZA01``."""
        name = self.provider_names.get(str(pid), "")
        return f"{pid} {name}" if name else str(pid)

    # -- common parts --------------------------------------------------------------------------
    def banner(self) -> str:
        if self.ds.is_fictional:
            return f"<div class='fictief'>{e(self.ds.label)}</div>\n"
        return ""

    def meta(self) -> str:
        return (
            f"{e(self.ds.label)} · peildatum {e(nl_date(self.peildatum))} · gemaakt met llt_geo {e(self.version)} "
            "volgens het Toewijzingskader Lang Leven Thuisflats · werkt zonder internet"
        )

    # -- dossier ---------------------------------------------------------------------------------
    def dossier(self, cand: pd.Series) -> str:
        cid = str(cand["candidate_id"])
        members = _member_ids(cand)
        flats = self.s.flats
        parts = [
            "<nav><a href='../index.html'>&larr; Terug naar het overzicht</a>"
            "<a href='../kaart_toets.html'>Kaart toets 3.1</a>"
            "<a href='../kaart_partners.html'>Kaart partners</a></nav>",
            f"<h1>Dossier {e(cid)} — {e(cand['name'])}</h1>",
        ]
        sites = self.ds.intramural_sites
        parts.append(inset_svg(self.ds, flats, set(members), sites))
        status = e(cand.get("status_nl", cand["status"]))
        if pd.notna(cand.get("status_year")):
            status += f" ({int(cand['status_year'])})"
        facts = [
            (
                "Kandidaat",
                cid
                + (f" — groep van {int(cand['n_members'])} flats: {cand['members']}" if bool(cand["is_group"]) else ""),
            ),
            ("Adres", cand.get("address")),
            ("Corporatie", cand["corporation"]),
            ("Woningen", nl_number(cand["n_dwellings"]) if pd.notna(cand["n_dwellings"]) else None),
            ("Status", None),
            ("Oordeel toets 3.1", cand["eligibility_nl"]),
            ("Subsidie (aanvraag)", nl_eur(cand["subsidy_eur"]) if pd.notna(cand.get("subsidy_eur")) else None),
        ]
        rows = []
        for k, v in facts:
            rows.append(f"<tr><th>{e(k)}</th><td>{status if k == 'Status' else e(v)}</td></tr>")
        if not bool(cand["open_candidate"]):
            rows.append("<tr><th>Let op</th><td>Geen open kandidaat: telt apart in alle aantallen.</td></tr>")
        parts.append("<table>" + "".join(rows) + "</table>")

        # areas and focus
        share = cand.get("share_65plus")
        parts.append("<h2>Gebied en focus (3.1)</h2><table>")
        parts.append(f"<tr><th>Stadsdeel</th><td>{e(self.names(cand['stadsdeel_code']))}</td></tr>")
        parts.append(f"<tr><th>Wijk</th><td>{e(self.names(cand['wijk_code']))}</td></tr>")
        parts.append(f"<tr><th>Buurt</th><td>{e(self.names(cand['buurt_code']))}</td></tr>")
        parts.append(f"<tr><th>Aandeel inwoners 65+</th><td>{nl_pct(share, 1)}</td></tr>")
        parts.append(f"<tr><th>Vergrijsd gebied</th><td>{_yn(cand.get('ageing'))}</td></tr>")
        focus = cand.get("focus_names")
        masterplan = _yn(cand.get("in_masterplan"))
        if isinstance(focus, str) and focus:
            masterplan += f" ({e(focus)})"
        parts.append(f"<tr><th>Masterplangebied</th><td>{masterplan}</td></tr>")
        for note_col in ("area_note", "focus_note"):
            if isinstance(cand.get(note_col), str) and cand[note_col]:
                parts.append(f"<tr><th>Opmerking</th><td>{e(cand[note_col])}</td></tr>")
        parts.append("</table>")

        # criteria 3.1
        crit = self.s.criteria[self.s.criteria["candidate_id"].astype(str) == cid]
        parts.append("<h2>Toets geschiktheid flat (3.1)</h2>")
        parts.append(
            "<table><thead><tr><th>Criterium</th><th>Oordeel</th><th>Toelichting (waarde en drempel)</th></tr>"
            "</thead><tbody>"
        )
        for r in crit.itertuples():
            parts.append(
                f"<tr><td>{e(r.criterion_nl)}</td>{_status_cell(r.status, bool(r.near_miss))}"
                f"<td>{e(r.reason)}</td></tr>"
            )
        parts.append("</tbody></table>")
        parts.append(
            "<p class='klein'>Ontbrekende gegevens zijn <b>onbekend</b>, nooit een voldoende. "
            "(bijna) = net onder de drempel, zie de instellingen in het overzicht.</p>"
        )
        # proximity
        prox = []
        if pd.notna(cand.get("site_distance_m")):
            site = str(cand.get("nearest_site_id"))
            srow = sites[sites["site_id"].astype(str) == site]
            sname = srow["name"].iloc[0] if len(srow) else site
            prox.append(
                f"Dichtstbijzijnde intramurale locatie: {e(sname)} op {nl_number(cand['site_distance_m'])} m "
                f"({e(self.s.distance_kind)})."
            )
        kinds = [k for k in self.ds.config["eligibility"]["amenity_kinds"] if f"n_{k}" in cand.index]
        if kinds:
            radius = nl_number(self.ds.config["eligibility"]["amenity_radius_m"])
            items = ", ".join(
                f"{e(k.replace('_', ' '))}: {e(nl_number(cand[f'n_{k}']) if pd.notna(cand[f'n_{k}']) else None)}"
                for k in kinds
            )
            prox.append(f"Voorzieningen binnen {radius} m: {items}.")
        if prox:
            parts.append("<h3>Nabijheid</h3><p>" + "<br>".join(prox) + "</p>")

        parts.append(self.dossier_partners(cid, cand))
        parts.append(self.dossier_welfare(cid))
        parts.append(self.dossier_corporation(cid, cand))
        parts.append(self.dossier_process(members))
        parts.append(self.dossier_portfolio(cid, cand))
        return _page(
            f"Dossier {cid} — Lang Leven Thuisflats",
            "\n".join(p for p in parts if p),
            css="../assets/llt.css",
            banner=self.banner(),
            meta=self.meta(),
        )

    def dossier_partners(self, cid: str, cand: pd.Series) -> str:
        a = self.c.assignment
        row = a[a["candidate_id"].astype(str) == cid]
        out = ["<h2>Voorkeursaanbieder zorg (2.2–2.4)</h2>"]
        if not len(row):
            pid = cand.get("preferred_provider_id")
            if pd.notna(pid):
                out.append(f"<p>Voorkeursaanbieder volgens het register: {e(self.provider(pid))}.</p>")
            elif not bool(cand["open_candidate"]):
                out.append("<p>Geen keuze gemaakt: de flat is geen open kandidaat.</p>")
            else:
                out.append(
                    "<p>Geen keuze gemaakt: een voorkeursaanbieder wordt gekozen voor kandidaten die aan 3.1 "
                    "voldoen (of waarvan alleen nog gegevens ontbreken, als de instellingen dat toelaten).</p>"
                )
            out.append(f"<p class='keuze'>{e(FREE_CHOICE_NL)}</p>")
            return "\n".join(out)
        r = row.iloc[0]
        provider = f"{r['provider_id']} {r['provider_name']}" if pd.notna(r["provider_id"]) else "geen"
        stays = "" if pd.isna(r["stays_first_share"]) else nl_pct(r["stays_first_share"])
        out.append("<table>")
        out.append(f"<tr><th>Voorkeursaanbieder</th><td>{e(provider)}</td></tr>")
        out.append(f"<tr><th>Waarom</th><td>{e(r['choice_nl'])}</td></tr>")
        if stays:
            out.append(f"<tr><th>Blijft eerste bij andere gewichten</th><td>{stays} van de trekkingen</td></tr>")
        out.append(
            f"<tr><th>Geschikte aanbieders (harde criteria 2.3)</th><td>{e(r['n_eligible_providers'])}</td></tr>"
        )
        out.append("</table>")
        sc = self.c.scores[self.c.scores["candidate_id"].astype(str) == cid].sort_values(["rank", "provider_id"])
        if len(sc):
            top = sc.head(3)
            total = sum(self.weights.values())
            head = "".join(f"<th class=num>{e(p)}</th>" for p in top["provider_id"])
            out.append(
                "<h3>Score per aspect (0–1) van de drie hoogst scorende aanbieders</h3>"
                f"<table><thead><tr><th>Aspect</th><th class=num>Gewicht</th>{head}</tr></thead><tbody>"
            )
            for key, (_cfg, name, section) in self.aspects.items():
                cells = "".join(
                    f"<td class=num>{nl_number(v, 2)}{'' if k else ' (onbekend)'}</td>"
                    for v, k in zip(top[f"{key}_score"], top[f"{key}_known"], strict=True)
                )
                out.append(
                    f"<tr><td>{e(name)} ({e(section)})</td>"
                    f"<td class=num>{nl_number(self.weights[key] / total, 2)}</td>{cells}</tr>"
                )
            totals = "".join(f"<th class=num>{nl_number(v, 3)}</th>" for v in top["score"])
            out.append(f"<tr><th>Totaal (gewogen)</th><th></th>{totals}</tr></tbody></table>")
            chosen = sc[sc["provider_id"] == r["provider_id"]]
            if len(chosen):
                reasons = "".join(
                    f"<li>{e(name)}: {e(chosen.iloc[0][f'{key}_reason'])}</li>"
                    for key, (_cfg, name, _sec) in self.aspects.items()
                )
                out.append(f"<h3>Waarom deze scores ({e(r['provider_id'])})</h3><ul>{reasons}</ul>")
        rob = self.c.robustness_pairs
        rob = rob[(rob["candidate_id"].astype(str) == cid) & rob["flip_nl"].notna()]
        if len(rob):
            items = "".join(f"<li>{e(t)}</li>" for t in rob.sort_values("other_provider_id")["flip_nl"].head(3))
            out.append(f"<h3>Hoe stevig is deze keuze?</h3><ul>{items}</ul>")
        out.append(f"<p class='keuze'>{e(FREE_CHOICE_NL)}</p>")
        return "\n".join(out)

    def dossier_welfare(self, cid: str) -> str:
        w = self.c.welfare[self.c.welfare["candidate_id"].astype(str) == cid]
        out = ["<h2>Welzijnsorganisatie (4.1–4.2)</h2>"]
        if not len(w):
            out.append("<p>Geen welzijnsorganisatie beoordeeld voor deze kandidaat.</p>")
            return "\n".join(out)
        conds = [c[: -len("_status")] for c in w.columns if c.endswith("_status")]
        out.append("<table><thead><tr><th>Organisatie</th>" + "".join(
            f"<th>{e(w.iloc[0][c + '_reason'].split(':')[0])}</th>" for c in conds
        ) + "<th>Oordeel</th></tr></thead><tbody>")  # fmt: skip
        for _, r in w.sort_values("welfare_id").iterrows():
            cells = "".join(_status_cell(r[f"{c}_status"]) for c in conds)
            out.append(f"<tr><td>{e(r['welfare_id'])} {e(r['name'])}</td>{cells}{_status_cell(r['eligibility'])}</tr>")
        out.append("</tbody></table>")
        a = self.c.assignment[self.c.assignment["candidate_id"].astype(str) == cid]
        if len(a):
            wid = a.iloc[0]["welfare_id"]
            out.append(
                f"<p>Gekozen: {e(a.iloc[0]['welfare_name']) if pd.notna(wid) else e(a.iloc[0]['welfare_reason'])}</p>"
            )
            roles = self.c.welfare_roles
            roles = roles[(roles["candidate_id"].astype(str) == cid) & (roles["welfare_id"] == wid)]
            if len(roles):
                items = "".join(
                    f"<tr><td>{e(r.section)}</td><td>{e(r.role_nl)}</td><td>{e(r.status)}</td></tr>"
                    for r in roles.itertuples()
                )
                out.append(f"<h3>Rollen van de welzijnsorganisatie (4.1)</h3><table><tbody>{items}</tbody></table>")
        return "\n".join(out)

    def dossier_corporation(self, cid: str, cand: pd.Series) -> str:
        corp = self.c.corporation[self.c.corporation["candidate_id"].astype(str) == cid]
        out = ["<h2>Woningcorporatie (3.2)</h2>"]
        consent = cand.get("corporation_consent")
        say = {True: "ja: de corporatie stemt in", False: "nee: de corporatie stemt niet in"}.get(
            None if pd.isna(consent) else bool(consent), "nog niet bekend"
        )
        out.append(f"<p><b>Laatste woord van de corporatie:</b> {e(say)}.</p>")
        if len(corp):
            pivot = corp.pivot_table(index=["section", "item_nl"], columns="flat_id", values="status", aggfunc="first")
            pivot = pivot.sort_index()
            head = "".join(f"<th>{e(c)}</th>" for c in pivot.columns)
            body = "".join(
                f"<tr><td>{e(sec)}</td><td>{e(item)}</td>" + "".join(f"<td>{e(v)}</td>" for v in vals) + "</tr>"
                for (sec, item), vals in zip(pivot.index, pivot.to_numpy(), strict=True)
            )
            out.append(
                f"<table><thead><tr><th>Artikel</th><th>Toezegging</th>{head}</tr></thead><tbody>{body}</tbody></table>"
            )
        return "\n".join(out)

    def dossier_process(self, members: list[str]) -> str:
        p = self.c.process[self.c.process["flat_id"].astype(str).isin(members)]
        out = ["<h2>Keuzeproces (2.3 stappen, 2.4 positionering)</h2>"]
        if not len(p):
            out.append("<p>Geen gegevens over het keuzeproces.</p>")
            return "\n".join(out)
        flats = sorted(p["flat_id"].astype(str).unique())
        head = "".join(f"<th>{e(f)}</th>" for f in flats) if len(flats) > 1 else "<th>Status</th>"
        rows = []
        for (section, _item), g in p.sort_values(["section", "item"]).groupby(["section", "item"], sort=False):
            by_flat = {str(r.flat_id): r for r in g.itertuples()}
            cells = []
            for f in flats:
                r = by_flat.get(f)
                if r is None:
                    cells.append("<td>onbekend</td>")
                    continue
                text = e(r.status_nl)
                if pd.notna(r.date):
                    text += f" ({e(nl_date(str(r.date)))})"
                if pd.notna(r.note):
                    text += f"<br><span class='klein'>{e(r.note)}</span>"
                cells.append(f"<td>{text}</td>")
            rows.append(f"<tr><td>{e(section)}</td><td>{e(g.iloc[0]['item_nl'])}</td>{''.join(cells)}</tr>")
        out.append(
            f"<table><thead><tr><th>Artikel</th><th>Stap of optie</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        return "\n".join(out)

    def dossier_portfolio(self, cid: str, cand: pd.Series) -> str:
        out = ["<h2>Portefeuille onder het budget (Inleiding, 3.1)</h2>"]
        if self.pf is None:
            out.append("<p>Geen portefeuille berekend: er is geen budget ingesteld.</p>")
            return "\n".join(out)
        rows = []
        for name, decision in self.results.decisions.items():
            r = decision.row(cid)
            if r is None or r["outcome"] == "fixed":
                why = r["reason_nl"] if r is not None else f"{cand.get('status_nl')}: telt al mee, geen keuze"
                rows.append(f"<tr><td>{e(scenario_label(name))}</td><td>—</td><td>{e(why)}</td><td>—</td></tr>")
                continue
            verdict = "in" if r["outcome"] == "in" else "uit"
            who = self.provider(r["provider_id"]) if r["outcome"] == "in" and pd.notna(r["provider_id"]) else "—"
            rows.append(
                f"<tr><td>{e(scenario_label(name))}</td><td>{verdict}</td><td>{e(r['reason_nl'])}</td>"
                f"<td>{e(who)}</td></tr>"
            )
        out.append(
            "<table><thead><tr><th>Scenario</th><th>In of uit</th><th>Waarom</th><th>Voorkeursaanbieder zorg</th>"
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        )  # fmt: skip
        return "\n".join(out)

    # -- index -----------------------------------------------------------------------------------
    def index(self, dossiers: dict[str, str], verantwoording: str, trace: str) -> str:
        ds, s = self.ds, self.s
        counts = s.counts
        cand = s.candidates
        open_c = cand[cand["open_candidate"].astype(bool)]
        goal = ds.config["programme"]["goal_flats"]
        goal_year = ds.config["programme"]["goal_year"]

        parts = [
            "<h1>Lang Leven Thuisflats — keuze en verantwoording</h1>",
            f"<p class='meta'>Peildatum {e(nl_date(self.peildatum))}. "
            f"Doel: {goal} Lang Leven Thuisflats in {goal_year} "
            "(Toewijzingskader, Inleiding).</p>",
            "<nav><a href='#voortgang'>Voortgang</a><a href='#spreiding'>Spreiding</a><a href='#toets'>Toets 3.1</a>"
            "<a href='#partners'>Partners</a><a href='#portefeuille'>Portefeuille</a><a href='#kaarten'>Kaarten</a>"
            "<a href='#dossiers'>Dossiers</a><a href='#traceerbaarheid'>Traceerbaarheid</a>"
            "<a href='#verantwoording'>Verantwoording</a></nav>",
            "<h2 id='voortgang'>Voortgang naar " + f"{goal} in {goal_year}</h2>",
            f"<p>{e(self.results.progress_nl)}</p>",
        ]
        if "voortgang.png" in self.prints:
            parts.append("<p><img src='afdruk/voortgang.png' alt='Voortgang per jaar' style='max-width:100%'></p>")
        prog = self.progress
        known = prog["realised_cumulative"].notna()  # years up to the reference year
        dated = prog["year"].notna()  # the last row holds the flats without a status year

        def fig(values, decimals: int = 0, *, where=None) -> list[str]:
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
        parts.append(_table(ptab, numeric=tuple(ptab.columns[1:])))
        parts.append(
            "<p class='klein'>— = niet van toepassing: een jaar dat nog moet komen heeft nog geen gerealiseerde "
            "flats, een voorbij jaar geen prognose.</p>"
        )

        # spread
        sp = self.spread
        parts.append("<h2 id='spreiding'>Spreiding over de stad (3.1)</h2>")
        parts.append(
            f"<p>{nl_pct(sp.coverage, 1)} van de inwoners van 65+ woont binnen {nl_number(sp.distance_m)} m "
            "(hemelsbreed) "
            "van een Lang Leven Thuisflat; ongelijkheidsindex (Duncan) over de stadsdelen: "
            f"{nl_number(sp.dissimilarity, 3)} "
            f"(0 = precies zoals de 65-plussers wonen, 1 = volledig anders). Gemeten: {e(sp.selection_nl)}.</p>"
        )
        t = sp.stadsdelen
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
            }
        )
        parts.append(_table(stab, numeric=tuple(stab.columns[1:])))
        if "spreiding_stadsdelen.png" in self.prints:
            parts.append(
                "<p><img src='afdruk/spreiding_stadsdelen.png' alt='Spreiding per stadsdeel' "
                "style='max-width:100%'></p>"
            )
        for note in sp.notes:
            parts.append(f"<p class='klein'>{e(note)}</p>")

        # screening
        parts.append("<h2 id='toets'>Toets geschiktheid flats (3.1)</h2>")
        parts.append(f"<p>{e(describe_counts(counts))}.</p>")
        cnt = counts.rename(columns={
            "status_nl": "Status", "candidates": "Kandidaten", "groups": "Groepen", "flats": "Flats",
            "flats_in_groups": "Flats in groepen", "pass": "Voldoet", "unknown": "Onbekend", "fail": "Voldoet niet",
        })  # fmt: skip
        order = ["Status", "Flats", "Flats in groepen", "Groepen", "Kandidaten", "Voldoet", "Onbekend", "Voldoet niet"]
        cnt = cnt[order]
        parts.append(_table(cnt, numeric=tuple(cnt.columns[1:])))
        parts.append(
            "<p class='klein'>Een groep flats die samen minstens 100 woningen heeft telt als één kandidaat; "
            "gerealiseerde flats tellen apart en zijn geen open kandidaat.</p>"
        )
        n_near = (
            int(open_c["near_misses"].fillna("").astype(str).str.len().gt(0).sum()) if "near_misses" in open_c else 0
        )
        parts.append(
            f"<p>{n_near} open kandidaten missen een criterium net (bijna); ze staan gemarkeerd op de kaart.</p>"
        )

        # partners
        a = self.c.assignment
        parts.append("<h2 id='partners'>Partnerkeuze (2.2–2.4, 3.2, 4)</h2>")
        parts.append(
            f"<p>{int(a['provider_id'].notna().sum())} van de {len(a)} kandidaten hebben een voorkeursaanbieder zorg "
            f"({int(a['capacity_forced'].sum())} niet hun eerste keus omdat die aanbieder vol zit); "
            f"{int(a['welfare_id'].notna().sum())} hebben een welzijnsorganisatie; "
            f"{int(a['consent'].eq(False).fillna(False).sum())} zonder instemming van de corporatie.</p>"
        )
        parts.append(f"<p class='keuze'>{e(FREE_CHOICE_NL)}</p>")
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
        parts.append(_table(ptab, numeric=("Capaciteit (flats)", "Al in flats", "Nu toegewezen")))

        # portfolio
        parts.append("<h2 id='portefeuille'>Portefeuille per scenario (Inleiding, 3.1)</h2>")
        if self.pf is None:
            parts.append("<p>Geen portefeuille berekend: er is geen budget ingesteld ([programme] budget_eur).</p>")
        else:
            cmp_ = self.pf.comparison
            rows = []
            for r in cmp_.itertuples():
                funded = self.results.decisions[r.scenario].funded
                pairs = zip(funded["candidate_id"], funded["provider_id"], strict=True)
                chosen = ", ".join(f"{c} ({p})" for c, p in pairs)
                na = "—" if r.flats_chosen == 0 else None  # no portfolio: the figures do not apply
                link = (
                    f"<a href='kaart_portefeuille_{html.escape(str(r.scenario))}.html'>"
                    f"{e(scenario_label(r.scenario))}</a>"
                )
                rows.append({
                    "Scenario": link, "Uitkomst": e(r.status_nl), "Budget": e(nl_eur(r.budget_eur)),
                    "Gekozen flats": e(r.flats_chosen), "Kosten": e(nl_eur(r.cost_eur)),
                    "Geschiktheid (totaal)": na or e(nl_number(r.suitability, 2)),
                    "Aandeel in focusgebieden": na or e(nl_pct(r.focus_share_all)),
                    "Dekking 65+": na or e(nl_pct(r.coverage_65plus, 1)),
                    "Gekozen (voorkeursaanbieder zorg)": e(chosen), "Toelichting": e(r.explanation_nl),
                })  # fmt: skip
            numeric = ("Budget", "Gekozen flats", "Kosten", "Geschiktheid (totaal)", "Aandeel in focusgebieden",
                       "Dekking 65+")  # fmt: skip
            parts.append(_table(pd.DataFrame(rows), raw=tuple(rows[0]) if rows else (), numeric=numeric))
            links = [
                f"<a href='afdruk/kaart_portefeuille_{html.escape(name)}.pdf'>{e(scenario_label(name))}</a>"
                for name in self.pf.scenarios
                if f"kaart_portefeuille_{name}.pdf" in self.prints
            ]
            if links:
                parts.append(f"<p>Afdrukbare kaarten per scenario (PDF): {', '.join(links)}.</p>")

        # maps
        parts.append("<h2 id='kaarten'>Kaarten</h2><ul>")
        for file, title in self.maps:
            parts.append(f"<li><a href='{html.escape(file)}'>{e(title)}</a></li>")
        parts.append("</ul>")
        if self.prints:
            items = ", ".join(f"<a href='afdruk/{html.escape(p)}'>{e(p)}</a>" for p in self.prints)
            parts.append(f"<p>Voor afdrukken (PNG en PDF): {items}</p>")

        # dossiers
        parts.append("<h2 id='dossiers'>Dossiers per kandidaat</h2>")
        parts.append(self.candidate_table(dossiers))

        parts.append("<h2 id='traceerbaarheid'>Traceerbaarheid: het Toewijzingskader en wat llt_geo ermee doet</h2>")
        parts.append(trace)
        parts.append("<h2 id='verantwoording'>Verantwoording</h2>")
        parts.append(verantwoording)
        if self.csvs:
            items = "".join(f"<li><a href='{html.escape(c)}'>{e(c)}</a></li>" for c in self.csvs)
            parts.append(f"<h3>Tabellen voor Excel (puntkomma, decimale komma)</h3><ul>{items}</ul>")
        return _page(
            "Lang Leven Thuisflats — overzicht voor de stuurgroep",
            "\n".join(parts),
            css="assets/llt.css",
            banner=self.banner(),
            meta=self.meta(),
        )

    def candidate_table(self, dossiers: dict[str, str]) -> str:
        cand = self.s.candidates.sort_values(["open_candidate", "candidate_id"], ascending=[False, True])
        a = self.c.assignment.set_index("candidate_id")
        basis = None
        if self.results.basis is not None:
            basis = self.results.basis.flats.set_index("candidate_id")
        rows = []
        for _, r in cand.iterrows():
            cid = str(r["candidate_id"])
            near = isinstance(r.get("near_misses"), str) and bool(r["near_misses"])
            prov = a.loc[cid, "provider_id"] if cid in a.index else None
            if basis is not None and cid in basis.index and basis.loc[cid, "outcome"] != "fixed":
                pf = "in" if basis.loc[cid, "outcome"] == "in" else "uit"
            else:
                pf = "—"
            rows.append(
                f"<tr><td><a href='dossiers/{html.escape(dossiers[cid])}'>{e(cid)}</a></td><td>{e(r['name'])}</td>"
                f"<td>{e(self.names(r['stadsdeel_code']))}</td><td class=num>{e(r['n_dwellings'])}</td>"
                f"<td>{e(r['status_nl'])}</td>{_status_cell(r['eligibility'], near)}"
                f"<td>{'' if prov is None or pd.isna(prov) else e(self.provider(prov))}</td><td>{pf}</td></tr>"
            )
        return (
            "<table><thead><tr><th>Kandidaat</th><th>Naam</th><th>Stadsdeel</th><th class=num>Woningen</th>"
            "<th>Status</th><th>Toets 3.1</th><th>Voorkeursaanbieder</th><th>Portefeuille (basis)</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def open_data_section(self) -> str:
        """The open data the inputs were derived from, with its provenance (``llt-geo run --open-data``)."""
        folder, checked = self.open_data
        files, warnings = open_data_files(checked)
        parts = ["<h3>Open data: herkomst</h3>"]
        parts.append(
            f"<p>De openbare gegevens waarvan de invoer is afgeleid (zoals de echte gebiedsindeling en de "
            f"inwonertallen), opgehaald met <code>llt-geo data fetch</code> in de map <code>{e(folder)}</code>: per "
            f"bestand de bron, het adres waar het vandaan komt, wanneer het is opgehaald, de licentie en de "
            f"vingerafdruk (SHA-256). {nl_number(len(files))} bestanden; elk is nu opnieuw gecontroleerd.</p>"
        )
        if warnings:
            parts.append("<ul class='fictief'>" + "".join(f"<li>{e(w)}</li>" for w in warnings) + "</ul>")
        else:
            parts.append("<p>Elk bestand is nog precies het bestand dat is opgehaald (de SHA-256 klopt).</p>")
        parts.append(_table(files, classes={"SHA-256": "hash", "URL": "hash", "Bron": "lang"}))
        parts.append(
            "<p class='klein'>De bestanden komen uit openbare GitHub-repositories, vastgelegd op één commit, "
            "omdat de uitgevers zelf alleen de nieuwste versie aanbieden (andere bytes); de uitgever staat bij "
            "Bron. Controleer de licentie vóór publicatie buiten de stuurgroep.</p>"
        )
        return "\n".join(parts)

    def verantwoording(self, extra_notes: list[str]) -> str:
        ds = self.ds
        parts = ["<h3>Invoerbestanden</h3>"]
        files = input_files(ds)
        parts.append(
            _table(files, numeric=("Rijen gelezen", "Rijen gebruikt", "Rijen gemeld"), classes={"SHA-256": "hash"})
        )
        parts.append(
            "<p class='klein'>Rijen gelezen = rijen gebruikt + rijen gemeld: niets valt stil weg. De SHA-256 is de "
            "vingerafdruk van het bestand: een ander getal betekent een ander bestand.</p>"
        )
        if self.open_data is not None:
            parts.append(self.open_data_section())
        parts.append("<h3>Instellingen (elke drempel en elk gewicht, met de reden)</h3>")
        parts.append(_table(config_entries(ds), classes={"Waarom": "lang", "Sleutel": "hash"}))
        parts.append("<h3>Weggelaten, onbekend of opvallend</h3>")
        counts = ds.row_counts
        left_out = [
            f"{e(table)} ({e(ds.files.get(table, ''))}): {nl_number(n)} "
            f"{'rij' if int(n) == 1 else 'rijen'} niet gebruikt, elk met de reden in validatie.txt"
            for table, n in counts["rows_reported"].items()
            if int(n) > 0
        ]
        n_err, n_warn = len(ds.errors), len(ds.warnings)
        summary = (
            f"{nl_number(len(ds.files))} invoerbestanden gelezen; "
            + ("geen rij weggelaten" if not left_out else f"{len(left_out)} tabel(len) met weggelaten rijen")
            + f"; {nl_number(n_err)} fouten en {nl_number(n_warn)} waarschuwingen bij het inlezen; "
            f"{nl_number(len(extra_notes))} opmerkingen uit de toets en de partnerkeuze."
        )
        parts.append(f"<p>{summary}</p>")
        if left_out:
            parts.append("<ul>" + "".join(f"<li>{t}</li>" for t in left_out) + "</ul>")
        notes = [str(p) for p in ds.problems] + [str(n) for n in extra_notes]
        if notes:
            parts.append(
                "<p>De meldingen zelf, zoals de analist ze krijgt (in het Engels, met bestand, kolom, rijen en "
                "de oplossing):</p>"
            )
            parts.append("<ul class='klein'>" + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul>")
        import importlib.metadata as md

        libs = []
        for lib in ("pandas", "geopandas", "shapely", "scipy", "folium", "matplotlib", "xstatic-leaflet"):
            try:
                libs.append(f"{lib} {md.version(lib)}")
            except md.PackageNotFoundError:  # pragma: no cover - installed with llt_geo
                continue
        parts.append(
            f"<h3>Software</h3><p>llt_geo {e(self.version)}; {e(', '.join(libs))}. Kaarten: Leaflet (meegeleverd, "
            "geen internet nodig); achtergrond: BRT-Achtergrondkaart van PDOK / Kadaster (alleen met internet).</p>"
        )
        return "\n".join(parts)


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
    ``open_data``: (folder name, :func:`llt_geo.opendata.fetch.check_cache` of it) adds the open
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
    for name, text in {**asset_files(), "llt.css": PACK_CSS}.items():
        (out / "assets" / name).write_bytes(text.encode("utf-8"))
        written.append(f"assets/{name}")
    dossiers = {str(c): dossier_name(str(c)) for c in screening.candidates["candidate_id"]}
    if len(set(dossiers.values())) != len(dossiers):  # pragma: no cover - dossier_name keeps names unique
        raise ValueError("two candidates would share one dossier file")
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

        trace = trace_html()
    except ImportError:  # pragma: no cover - the module ships with llt_geo
        trace = "<p>De traceerbaarheidstabel ontbreekt.</p>"
    page = b.index(dossiers, b.verantwoording(notes or []), trace)
    (out / "index.html").write_bytes(page.encode("utf-8"))
    written.append("index.html")
    return Pack(out, written)
