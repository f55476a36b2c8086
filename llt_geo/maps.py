"""Folium maps for the stuurgroep: the only module that reprojects to EPSG:4326.

Maps are in Dutch, carry the dataset's label (and the fictional-data notice for the demo), and
are deterministic: folium gives every element a random id, which :func:`stable_ids` replaces by
a counter so that the same data gives the same HTML, byte for byte.
"""

from __future__ import annotations

import html
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from .io import CRS_WGS84, Dataset
from .schema import STATUS_LABELS_NL

__all__ = [
    "ELIGIBILITY_COLOURS",
    "STATUS_COLOURS",
    "overview_map",
    "partners_map",
    "portfolio_map",
    "save_map",
    "screening_map",
    "stable_ids",
]

STATUS_COLOURS = {
    "candidate": "#7f7f7f",
    "chosen": "#1f77b4",
    "in_development": "#ff7f0e",
    "realised": "#2ca02c",
}


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


def _to_map_crs(frame: gpd.GeoDataFrame, *, decimals: int = 6) -> gpd.GeoDataFrame:
    out = frame.to_crs(CRS_WGS84)
    out = out.set_geometry(out.geometry.set_precision(10**-decimals))
    return out


def _plain_value(value: object) -> object:
    """A cell as plain Python: missing -> None, a whole number -> int, anything else as it is."""
    if pd.isna(value):
        return None
    if isinstance(value, int | np.integer) or (isinstance(value, float) and value.is_integer()):
        return int(value)
    return value


def _plain(frame: gpd.GeoDataFrame, columns: list[str]) -> gpd.GeoDataFrame:
    """Columns as plain Python text/numbers so the GeoJSON serialises the same everywhere."""
    out = frame[[*columns, "geometry"]].copy()
    for col in columns:
        out[col] = pd.Series([_plain_value(v) for v in out[col].tolist()], index=out.index, dtype=object)
    return out


def _fmt(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "onbekend"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return html.escape(str(value))


def _flat_popup(row: pd.Series) -> str:
    status = STATUS_LABELS_NL.get(str(row["status"]), str(row["status"]))
    year = "" if pd.isna(row["status_year"]) else f" ({int(row['status_year'])})"
    items = [
        ("Complex", row["flat_id"]),
        ("Naam", row["name"]),
        ("Corporatie", row["corporation"]),
        ("Woningen", row["n_dwellings"]),
        ("Nultredenwoningen", row["n_nultreden"]),
        ("Sociale huur", row["n_social_rent"]),
        ("Status", status + year),
    ]
    rows = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{_fmt(v)}</td></tr>" for k, v in items)
    return f"<table>{rows}</table>"


def _title(m: folium.Map, text: str) -> None:
    box = (
        "<div style='position:fixed;top:10px;left:50px;z-index:1000;background:white;padding:6px 10px;"
        "border:1px solid #888;font:14px sans-serif;max-width:60%'>"
        f"{html.escape(text)}</div>"
    )
    m.get_root().html.add_child(folium.Element(box))


def _base_map(dataset: Dataset) -> folium.Map:
    """The map every stuurgroep map starts from: background, extent of the city, stadsdelen."""
    stadsdelen = _to_map_crs(dataset.stadsdelen)
    bounds = stadsdelen.total_bounds if len(stadsdelen) else _to_map_crs(dataset.flats).total_bounds
    m = folium.Map(location=[52.36, 4.90], zoom_start=11, tiles=None, control_scale=True)
    folium.TileLayer("OpenStreetMap", name="Achtergrondkaart (OpenStreetMap)").add_to(m)
    m.fit_bounds([[float(bounds[1]), float(bounds[0])], [float(bounds[3]), float(bounds[2])]])
    if len(stadsdelen):
        sd = _plain(stadsdelen.rename(columns={"stadsdeel_code": "code", "name": "stadsdeel"}), ["code", "stadsdeel"])
        folium.GeoJson(
            sd.to_json(sort_keys=True),
            name="Stadsdelen",
            style_function=lambda _f: {"color": "#333333", "weight": 2, "fillOpacity": 0.0},
            tooltip=folium.GeoJsonTooltip(["code", "stadsdeel"], aliases=["Stadsdeel", "Naam"]),
        ).add_to(m)
    return m


def _add_focus_areas(m: folium.Map, dataset: Dataset) -> None:
    if len(dataset.focus_areas):
        fa = _plain(_to_map_crs(dataset.focus_areas), ["focus_id", "name", "kind"])
        folium.GeoJson(
            fa.to_json(sort_keys=True),
            name="Focusgebieden (masterplan)",
            style_function=lambda _f: {"color": "#6a3d9a", "weight": 3, "dashArray": "6 4", "fillOpacity": 0.05},
            tooltip=folium.GeoJsonTooltip(["name"], aliases=["Focusgebied"]),
        ).add_to(m)


def _add_sites(m: folium.Map, dataset: Dataset) -> None:
    sites = _to_map_crs(dataset.intramural_sites).sort_values("site_id")
    if len(sites):
        names = dict(zip(dataset.care_providers["provider_id"], dataset.care_providers["name"], strict=False))
        layer = folium.FeatureGroup(name=f"Intramurale locaties ({len(sites)})", show=False)
        for _, row in sites.iterrows():
            folium.RegularPolygonMarker(
                location=[round(row.geometry.y, 6), round(row.geometry.x, 6)],
                number_of_sides=4,
                radius=6,
                color="#b2182b",
                fill=True,
                fill_opacity=0.9,
                weight=1,
                tooltip=html.escape(f"{row['name']} — {names.get(row['provider_id'], row['provider_id'])}"),
            ).add_to(layer)
        layer.add_to(m)


def overview_map(dataset: Dataset, screening=None) -> folium.Map:
    """A first map of a dataset: stadsdelen, wijken (share 65+), focus areas, flats, intramural sites.

    The flat layers count flats; the layer of candidate flats and the title also say how many
    candidates the screening makes of them (a group of flats counts as one candidate) and that
    realised flats are kept apart, so the overview and the screening agree.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (EPSG:28992); reprojected to EPSG:4326 here for drawing.
    screening : Screening, optional
        The result of :func:`llt_geo.screening.screen` on this dataset, for the number of
        candidates; screened here when not given.

    Returns
    -------
    folium.Map
        With one layer per theme and a layer control; element ids are deterministic.
    """
    from .screening import describe_counts, screen

    if screening is None:
        screening = screen(dataset)
    counts = screening.counts
    n_open = int(counts.loc[counts["status"] == "candidate", "candidates"].sum())
    m = _base_map(dataset)
    wijken = dataset.wijken
    if len(wijken):
        w = wijken.copy()
        share = (w["residents_65plus"] / w["residents_total"]).astype("Float64")
        w["aandeel_65plus"] = [None if pd.isna(s) else f"{100 * float(s):.1f}%" for s in share]
        w["_share"] = [None if pd.isna(s) else round(float(s), 4) for s in share]
        w = _plain(_to_map_crs(w), ["wijk_code", "name", "aandeel_65plus", "_share"])

        def wijk_style(feature: dict) -> dict:
            s = feature["properties"]["_share"]
            if s is None:
                return {"color": "#999999", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.1}
            alpha = min(0.7, max(0.05, (s - 0.05) * 3))
            return {"color": "#999999", "weight": 1, "fillColor": "#8c2d04", "fillOpacity": round(alpha, 3)}

        folium.GeoJson(
            w.to_json(sort_keys=True),
            name="Wijken (aandeel 65+)",
            style_function=wijk_style,
            tooltip=folium.GeoJsonTooltip(
                ["wijk_code", "name", "aandeel_65plus"], aliases=["Wijk", "Naam", "Aandeel 65+"]
            ),
        ).add_to(m)
    _add_focus_areas(m, dataset)

    flats = _to_map_crs(dataset.flats).sort_values("flat_id")
    for status, colour in STATUS_COLOURS.items():
        subset = flats[flats["status"] == status]
        if not len(subset):
            continue
        what = f"{len(subset)} {'flat' if len(subset) == 1 else 'flats'}"
        if status == "candidate":
            what += f" = {n_open} kandidaten in de toets"
        else:
            what += ", apart van de open kandidaten"
        layer = folium.FeatureGroup(name=f"Flats: {STATUS_LABELS_NL[status]} ({what})")
        for _, row in subset.iterrows():
            folium.CircleMarker(
                location=[round(row.geometry.y, 6), round(row.geometry.x, 6)],
                radius=5 + min(6, int(row["n_dwellings"] or 0) // 60),
                color=colour,
                fill=True,
                fill_color=colour,
                fill_opacity=0.8,
                weight=1,
                popup=folium.Popup(_flat_popup(row), max_width=320),
                tooltip=f"{row['flat_id']}: {STATUS_LABELS_NL[status]}",
            ).add_to(layer)
        layer.add_to(m)
    _add_sites(m, dataset)
    folium.LayerControl(collapsed=False).add_to(m)
    _title(m, f"{dataset.label}. Flats per status; in de toets (3.1): {describe_counts(counts)}.")
    return stable_ids(m)


def save_map(m: folium.Map, path: str | Path, *, assets: str | None = None) -> Path:
    """Write a map as an HTML file that works offline and return the path.

    Parameters
    ----------
    assets : str, optional
        A relative URL of a folder holding :func:`llt_geo.offline.asset_files` (as in a stuurgroep
        pack); when not given, Leaflet is written into the page, which then works on its own.
    """
    from .offline import make_offline

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html_text = make_offline(m.get_root().render(), assets=assets)
    path.write_bytes(html_text.encode("utf-8"))
    return path


ELIGIBILITY_COLOURS = {"pass": "#1a9641", "fail": "#d7191c", "unknown": "#fdae61"}
ELIGIBILITY_LABELS_NL = {"pass": "Voldoet", "fail": "Voldoet niet", "unknown": "Onbekend (gegevens ontbreken)"}
#: edge colour of flats that are no open candidate (chosen, in development, realised): an open ring
_APART_COLOUR = "#555555"


def _criteria_popup(candidate: pd.Series, rows: pd.DataFrame, *, distance_kind: str) -> str:
    head = (
        f"<b>{html.escape(str(candidate['candidate_id']))}</b> — {_fmt(candidate['name'])}<br>"
        f"{html.escape(str(candidate['corporation']))}; {_fmt(candidate['n_dwellings'])} woningen"
    )
    if candidate.get("is_group"):
        head += f"<br>Groep van {int(candidate['n_members'])} flats: {html.escape(str(candidate['members']))}"
    area = " / ".join(_fmt(candidate[c]) for c in ("stadsdeel_code", "wijk_code", "buurt_code"))
    head += f"<br>Stadsdeel / wijk / buurt: {area}"
    if pd.notna(candidate.get("site_distance_m")):
        head += f"<br>Dichtstbijzijnde intramurale locatie: {candidate['site_distance_m']:.0f} m ({distance_kind})"
    body = "".join(
        f"<tr><td>{html.escape(r.criterion_nl)}</td>"
        f"<td style='color:{ELIGIBILITY_COLOURS[r.status]};font-weight:bold'>{html.escape(r.status_nl)}"
        f"{' (bijna)' if r.near_miss else ''}</td><td>{html.escape(str(r.reason))}</td></tr>"
        for r in rows.itertuples()
    )
    overall = ELIGIBILITY_LABELS_NL[str(candidate["eligibility"])]
    if not candidate.get("open_candidate", True):
        status = STATUS_LABELS_NL.get(str(candidate["status"]), str(candidate["status"]))
        year = "" if pd.isna(candidate.get("status_year")) else f" ({int(candidate['status_year'])})"
        head += f"<br><b>Status: {html.escape(status + year)}</b> — geen open kandidaat; telt apart"
    return (
        f"<div style='font:12px sans-serif'>{head}<br><b>Toets 3.1: {overall}</b>"
        f"<table style='border-collapse:collapse' border='1' cellpadding='3'>"
        f"<tr><th>Criterium</th><th>Oordeel</th><th>Toelichting</th></tr>{body}</table></div>"
    )


def screening_map(dataset: Dataset, screening) -> folium.Map:
    """Flats coloured by the eligibility of their candidate; the popup holds the criteria table.

    Parameters
    ----------
    dataset : Dataset
        The loaded dataset (for areas and sites).
    screening : Screening
        The result of :func:`llt_geo.screening.screen`.

    Returns
    -------
    folium.Map
        Layers: stadsdelen, focus areas, one layer per eligibility status (members of a group each
        drawn, with the group's popup), intramural sites. Deterministic element ids.
    """
    from .screening import describe_counts

    m = _base_map(dataset)
    _add_focus_areas(m, dataset)
    cands = screening.candidates.set_index("candidate_id")
    by_candidate = dict(list(screening.criteria.groupby("candidate_id", sort=True)))
    flats = _to_map_crs(screening.flats).sort_values("flat_id")
    is_open = cands["open_candidate"].to_numpy(dtype=bool)
    # open candidates by outcome; flats already chosen, in development or realised apart, by status
    outcome_of = cands["eligibility"].astype(str).to_numpy()
    layers = [(set(cands.index[is_open & (outcome_of == s)]), s, None) for s in ("pass", "unknown", "fail")]
    layers += [(set(cands.index[~is_open & (cands["status"] == s).to_numpy()]), None, s) for s in STATUS_LABELS_NL]
    for ids, outcome, apart in layers:
        subset = flats[flats["candidate_id"].isin(ids)]
        if not len(subset):
            continue
        if apart is None:
            noun = "kandidaat" if len(ids) == 1 else "kandidaten"
            name = f"{ELIGIBILITY_LABELS_NL[outcome]} ({len(ids)} open {noun})"
            colour, fill = ELIGIBILITY_COLOURS[outcome], ELIGIBILITY_COLOURS[outcome]
        else:
            n_flats = f"{len(subset)} {'flat' if len(subset) == 1 else 'flats'}"
            name = f"{STATUS_LABELS_NL[apart].capitalize()}, apart: geen open kandidaat ({n_flats})"
            colour, fill = _APART_COLOUR, "#ffffff"
        layer = folium.FeatureGroup(name=name)
        for _, row in subset.iterrows():
            cid = row["candidate_id"]
            cand = cands.loc[cid].copy()
            cand["candidate_id"] = cid
            verdict = ELIGIBILITY_LABELS_NL[str(cand["eligibility"])]
            folium.CircleMarker(
                location=[round(row.geometry.y, 6), round(row.geometry.x, 6)],
                radius=5 + min(6, int(row["n_dwellings"] or 0) // 60),
                color="#000000" if bool(cand["is_group"]) else colour,
                weight=2 if bool(cand["is_group"]) else 1,
                fill=True,
                fill_color=fill,
                fill_opacity=0.85,
                popup=folium.Popup(
                    _criteria_popup(cand, by_candidate[cid], distance_kind=screening.distance_kind), max_width=560
                ),
                tooltip=html.escape(
                    f"{cid}: {verdict}" if apart is None else f"{cid}: {STATUS_LABELS_NL[apart]} (toets: {verdict})"
                ),
            ).add_to(layer)
        layer.add_to(m)
    _add_sites(m, dataset)
    folium.LayerControl(collapsed=False).add_to(m)
    _title(
        m,
        f"Toets geschiktheid flats (3.1) — {dataset.label}. {describe_counts(screening.counts)}. "
        "Zwarte rand: groep van flats; open rondje: al gekozen, in ontwikkeling of gerealiseerd (apart).",
    )
    return stable_ids(m)


_PROVIDER_PALETTE = (
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
    "#a6761d", "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#ffff99",
)  # fmt: skip


def _partner_popup(row: pd.Series, scores: pd.DataFrame, weights: dict[str, float]) -> str:
    """The choice for one candidate: the chosen provider's score broken down, and why."""
    from .partners import ASPECTS, FREE_CHOICE_NL

    esc = html.escape
    head = [
        ("Kandidaat", row["candidate_id"] + (f" (groep: {row['members']})" if bool(row["is_group"]) else "")),
        (
            "Voorkeursaanbieder zorg",
            f"{row['provider_id']} {row['provider_name']}" if pd.notna(row["provider_id"]) else "geen",
        ),
        ("Keuze", row["choice_nl"]),
        (
            "Blijft eerste bij andere gewichten",
            "" if pd.isna(row["stays_first_share"]) else f"{row['stays_first_share']:.0%}",
        ),
        ("Welzijnsorganisatie", row["welfare_name"] if pd.notna(row["welfare_name"]) else row["welfare_reason"]),
        ("Corporatie (laatste woord)", row["consent_nl"]),
        ("Keuzeproces", row["process_nl"]),
    ]
    text = (
        "<table>"
        + "".join(
            f"<tr><th style='text-align:left;vertical-align:top'>{esc(k)}</th><td>{esc(_fmt(v))}</td></tr>"
            for k, v in head
        )
        + "</table>"
    )
    if pd.notna(row["provider_id"]):
        s = scores[(scores["candidate_id"] == row["candidate_id"]) & (scores["provider_id"] == row["provider_id"])]
        if len(s):
            s = s.iloc[0]
            total = sum(weights.values())

            def nl(x: float, d: int) -> str:
                return f"{x:.{d}f}".replace(".", ",")

            lines = "".join(
                f"<tr><td>{esc(name)}</td><td>{nl(s[f'{a}_score'], 2)}{'' if s[f'{a}_known'] else ' (onbekend)'}</td>"
                f"<td>{weights[a]:g}</td><td>{nl(s[f'{a}_score'] * weights[a] / total, 3)}</td>"
                f"<td>{esc(str(s[f'{a}_reason']))}</td></tr>"
                for a, (_key, name, _sec) in ASPECTS.items()
            )
            text += (
                "<table style='margin-top:6px'><tr><th>Aspect (2.2, 2.3)</th><th>Score</th><th>Gewicht</th>"
                f"<th>Bijdrage</th><th>Waarom</th></tr>{lines}"
                f"<tr><th>Totaal</th><th>{nl(s['score'], 3)}</th><th></th><th></th><th></th></tr></table>"
            )
    return text + f"<p style='margin-top:6px;font-style:italic'>{esc(FREE_CHOICE_NL)}</p>"


def partners_map(dataset: Dataset, screening, choice) -> folium.Map:
    """Flats coloured by their voorkeursaanbieder zorg; the popup breaks the score down.

    Parameters
    ----------
    dataset : Dataset
    screening : Screening
    choice : PartnerChoice
        The result of :func:`llt_geo.partners.choose_partners`.

    Returns
    -------
    folium.Map
        One layer per chosen provider, one for candidates without a provider, and one for flats
        that already have a provider in the register; stadsdelen, focus areas, sites.
    """
    from .partners import ASPECTS

    m = _base_map(dataset)
    _add_focus_areas(m, dataset)
    flats = _to_map_crs(screening.flats).sort_values("flat_id")
    a = choice.assignment.set_index("candidate_id", drop=False)
    weights = {k: float(dataset.config["care"][key]) for k, (key, _n, _s) in ASPECTS.items()}
    providers = choice.providers.set_index("provider_id")
    colour = {p: _PROVIDER_PALETTE[i % len(_PROVIDER_PALETTE)] for i, p in enumerate(providers.index)}
    groups = [(p, a.index[a["provider_id"] == p]) for p in providers.index]
    groups.append((None, a.index[a["provider_id"].isna()]))
    for pid, ids in groups:
        subset = flats[flats["candidate_id"].isin(set(ids))]
        if not len(subset):
            continue
        noun = "kandidaat" if len(ids) == 1 else "kandidaten"
        name = (
            f"{pid} {providers.loc[pid, 'name']} ({len(ids)} {noun})"
            if pid
            else f"Geen voorkeursaanbieder ({len(ids)} {noun})"
        )
        layer = folium.FeatureGroup(name=name)
        for _, row in subset.iterrows():
            r = a.loc[row["candidate_id"]]
            folium.CircleMarker(
                location=[round(row.geometry.y, 6), round(row.geometry.x, 6)],
                radius=6,
                color="#000000" if bool(r["consent"] is False) else (colour[pid] if pid else "#7f7f7f"),
                weight=3 if bool(r["consent"] is False) else 1,
                fill=True,
                fill_color=colour[pid] if pid else "#ffffff",
                fill_opacity=0.85,
                popup=folium.Popup(_partner_popup(r, choice.scores, weights), max_width=640),
                tooltip=html.escape(f"{r['candidate_id']}: {pid or 'geen voorkeursaanbieder'}"),
            ).add_to(layer)
        layer.add_to(m)
    kept = flats[flats["preferred_provider_id"].notna() & ~flats["candidate_id"].isin(set(a.index))]
    if len(kept):
        layer = folium.FeatureGroup(name=f"Al een voorkeursaanbieder in het register ({len(kept)} flats)", show=False)
        for _, row in kept.iterrows():
            pid = str(row["preferred_provider_id"])
            folium.CircleMarker(
                location=[round(row.geometry.y, 6), round(row.geometry.x, 6)],
                radius=5,
                color=colour.get(pid, "#7f7f7f"),
                weight=2,
                fill=True,
                fill_color="#ffffff",
                fill_opacity=0.9,
                tooltip=html.escape(
                    f"{row['flat_id']}: {STATUS_LABELS_NL.get(str(row['status']), row['status'])}, "
                    f"voorkeursaanbieder {pid}"
                ),
            ).add_to(layer)
        layer.add_to(m)
    _add_sites(m, dataset)
    folium.LayerControl(collapsed=False).add_to(m)
    _title(
        m,
        f"Keuze voorkeursaanbieder zorg (2.2-2.4) — {dataset.label}. Kleur: gekozen aanbieder (exact, binnen de "
        "capaciteit); dikke zwarte rand: geen akkoord van de corporatie. Een voorkeursaanbieder is een voorkeur: "
        "iedere bewoner houdt vrije keuze van zorg (2.1, 2.4).",
    )
    return stable_ids(m)


_PORTFOLIO_STYLE = {
    "in": ("#1a9850", "#1a9850", "Gekozen in dit scenario"),
    "fixed": ("#2166ac", "#ffffff", "Al gerealiseerd, gekozen of in ontwikkeling"),
    "out": ("#7f7f7f", "#d9d9d9", "Kan worden gekozen, maar niet in dit scenario"),
    "not": ("#bdbdbd", "#ffffff", "Kan (nog) niet worden gekozen"),
}


def portfolio_map(dataset: Dataset, screening, scenario: dict, name: str) -> folium.Map:
    """One scenario of the portfolio: chosen, fixed, left out (with the reason in the popup).

    Parameters
    ----------
    scenario : dict
        One entry of :attr:`llt_geo.portfolio.Portfolio.scenarios`.
    name : str
        The scenario's name, for the title.
    """
    m = _base_map(dataset)
    _add_focus_areas(m, dataset)
    flats = _to_map_crs(screening.flats).sort_values("flat_id")
    reasons = scenario["reasons"].set_index("candidate_id")
    inputs = scenario["inputs"]
    chosen = scenario["result"].chosen.set_index("candidate_id") if len(scenario["result"].chosen) else None
    fundable = set(inputs.candidates.loc[inputs.candidates["fundable"], "candidate_id"])
    fixed = set(inputs.fixed["candidate_id"])
    kind = {}
    for cid in flats["candidate_id"].astype(str).unique():
        if cid in fixed:
            kind[cid] = "fixed"
        elif chosen is not None and cid in chosen.index:
            kind[cid] = "in"
        elif cid in fundable:
            kind[cid] = "out"
        elif cid in reasons.index:
            kind[cid] = "not"
    for k, (colour, fill, label) in _PORTFOLIO_STYLE.items():
        ids = {c for c, v in kind.items() if v == k}
        subset = flats[flats["candidate_id"].astype(str).isin(ids)]
        if not len(subset):
            continue
        layer = folium.FeatureGroup(name=f"{label} ({len(ids)})", show=k != "not")
        for _, row in subset.iterrows():
            cid = str(row["candidate_id"])
            reason = (
                reasons.loc[cid, "reason_nl"] if cid in reasons.index else STATUS_LABELS_NL.get(str(row["status"]), "")
            )
            extra = ""
            if chosen is not None and cid in chosen.index:
                extra = f"<br>Voorkeursaanbieder zorg: {html.escape(str(chosen.loc[cid, 'provider_id']))}"
            text = (
                f"<b>{html.escape(cid)}</b> ({html.escape(str(row['flat_id']))})<br>{html.escape(str(reason))}{extra}"
            )
            folium.CircleMarker(
                location=[round(row.geometry.y, 6), round(row.geometry.x, 6)],
                radius=6 if k in ("in", "fixed") else 4,
                color=colour,
                weight=2,
                fill=True,
                fill_color=fill,
                fill_opacity=0.9,
                popup=folium.Popup(text, max_width=420),
                tooltip=html.escape(f"{cid}: {label.lower()}"),
            ).add_to(layer)
        layer.add_to(m)
    _add_sites(m, dataset)
    folium.LayerControl(collapsed=False).add_to(m)
    r = scenario["result"]
    head = f"Portefeuille, scenario '{name}' — {dataset.label}. " + (
        f"{len(r.chosen)} flats gekozen (optimaal, exact berekend)."
        if r.status == "optimal"
        else scenario["explanation"] or r.status
    )
    _title(m, head)
    return stable_ids(m)
