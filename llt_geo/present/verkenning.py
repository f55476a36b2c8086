"""The verkenning page of the stuurgroep pack: the portfolio re-solved in the browser, offline.

``verkenning.html`` lets the stuurgroep move the budget and the rules during its meeting; every
change is solved again in the page by HiGHS compiled to WebAssembly (vendored in
``vendor/highs``, see ``scripts/vendor_highs.py``), on the model :func:`llt_geo.verkenning.
exploration_model` exported from the analysis (``Results.exploration``): the browser builds the
rows by the same formula as :func:`llt_geo.verkenning.model_rules`, which the tests check against
the portfolio Python solves. What the page shows is a *verkenning*; the proposal of record is the
Besluitvoorstel in ``index.html``.

Files written (:func:`write_verkenning`): ``verkenning.html``, ``assets/llt_verkenning_data.js``
(the model, the names a table shows, the stadsdelen's outlines), ``assets/llt_verkenning.js`` (the
page's script) and ``assets/llt_highs.js`` (the solver, shared by every page that needs it).
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import numpy as np

from ..labels import ASPECTS, nl_date
from .offline import asset_files
from .palette import FLAT_STYLES
from .report import ENV, PACK_CSS, dossier_name, scenario_label

__all__ = ["VERKENNING_PAGE", "verkenning_data", "write_verkenning"]

#: The page's file name in the pack.
VERKENNING_PAGE = "verkenning.html"

#: Seconds the browser's solver may take per solve before it stops with the best portfolio found.
TIME_LIMIT_S = 10

_MODE_NL = (
    "criteria van 3.1 onbekend",
    "instemming van de corporatie onbekend",
    "voorwaarden van 4.2 nog niet alle bekend",
)


def _stadsdelen_geojson(dataset) -> dict:
    sd = dataset.stadsdelen
    geo = sd.set_geometry(sd.geometry.simplify(25.0, preserve_topology=True)).to_crs(4326)
    geo = geo.set_geometry(geo.geometry.set_precision(1e-5))
    features = []
    for code, name, shape in zip(
        geo["stadsdeel_code"].astype(str), geo["name"].fillna("").astype(str), geo.geometry, strict=True
    ):
        features.append(
            {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": shape.__geo_interface__}
        )
    return {"type": "FeatureCollection", "features": features}


def verkenning_data(dataset, results) -> dict:
    """What the page needs, from ``Results`` alone: the model, and per candidate the names a table shows."""
    model = results.exploration
    basis = results.basis
    cands = results.screening.candidates.set_index("candidate_id")
    ids = model["candidates"]["id"]
    pts = cands.loc[ids].geometry.representative_point().to_crs(4326)
    welfare = results.partners.welfare
    chosen_w = welfare[welfare["chosen"].astype(bool)].drop_duplicates("candidate_id").set_index("candidate_id")
    flats = basis.flats.set_index("candidate_id")
    cp = dataset.care_providers
    provider_names = dict(zip(cp["provider_id"].astype(str), cp["name"].astype(str), strict=True))
    rows = []
    for cid, pt in zip(ids, pts, strict=True):
        c = cands.loc[cid]
        w = chosen_w["name"].get(cid)
        rows.append(
            {
                "name": str(c["name"]) if isinstance(c["name"], str) else str(cid),
                "corporation": str(c["corporation"]) if isinstance(c["corporation"], str) else "",
                "dwellings": None if c["n_dwellings"] != c["n_dwellings"] else int(c["n_dwellings"]),
                "welfare": "" if w is None else f"{chosen_w.at[cid, 'welfare_id']} {w}",
                "latlon": [round(float(pt.y), 6), round(float(pt.x), 6)],
                "dossier": f"dossiers/{dossier_name(cid)}",
            }
        )
    basis_in = flats.index[flats["outcome"].eq("in")].astype(str).tolist()
    basis_provider = {cid: str(p) for cid, p in flats.loc[basis_in, "provider_id"].items()}
    fixed = cands[
        ~cands["open_candidate"].astype(bool) & cands["status"].isin(["chosen", "in_development", "realised"])
    ]
    fixed_pts = fixed.geometry.representative_point().to_crs(4326)
    return {
        "model": model,
        "candidates": rows,
        "providers": {pid: f"{pid} {provider_names.get(pid, '')}".strip() for pid in model["providers"]["id"]},
        "aspects": {key: name for key, name, _s in ASPECTS.values()},
        "modes": list(_MODE_NL),
        "basis": {"in": basis_in, "provider": basis_provider, "status": basis.status},
        "scenarios": {name: scenario_label(name) for name in model["scenarios"]},
        "fixed": [
            {"id": str(cid), "name": str(n), "latlon": [round(float(p.y), 6), round(float(p.x), 6)]}
            for cid, n, p in zip(fixed.index, fixed["name"].astype(str), fixed_pts, strict=True)
        ],
        "styles": {
            key: {"fill": s.fill, "line": s.stroke, "width": s.weight, "dash": s.dash, "label": s.label_nl}
            for key, s in FLAT_STYLES.items()
            if key in ("in", "out", "not", "chosen")
        },
        "stadsdelen": _stadsdelen_geojson(dataset),
        "time_limit_s": TIME_LIMIT_S,
        "peildatum": nl_date(dataset.peildatum),
    }


def _json(value) -> str:
    def default(o):
        if isinstance(o, np.integer):
            return int(o)
        if isinstance(o, np.floating):
            return float(o)
        raise TypeError(type(o))

    # "</" never closes the script element the data sits in
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=default).replace(
        "</", "<\\/"
    )


def write_verkenning(out: Path, dataset, results, *, version: str) -> list[Path]:
    """Write the verkenning page and its assets into the pack folder ``out``; the paths written."""
    out = Path(out)
    assets = out / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    data = verkenning_data(dataset, results)
    written = []
    path = assets / "llt_verkenning_data.js"
    path.write_text(
        "/* llt_geo verkenning: the portfolio model exported from the analysis (llt_geo.verkenning). */\n"
        f"var LLT_VERKENNING = {_json(data)};\n",
        encoding="utf-8",
    )
    written.append(path)
    # Leaflet and the stylesheet, as every page of the pack has them (the same bytes as write_pack's)
    files = {name: text for name, text in asset_files().items() if name in ("leaflet.js", "leaflet.css")}
    files["llt.css"] = PACK_CSS
    for name, text in files.items():
        (assets / name).write_text(text, encoding="utf-8")
        written.append(assets / name)
    static = resources.files("llt_geo.present")
    for src, name in (("static/llt_verkenning.js", "llt_verkenning.js"), ("vendor/highs/llt_highs.js", "llt_highs.js")):
        with resources.as_file(static / src) as p:
            shutil.copyfile(p, assets / name)
        written.append(assets / name)
    page = ENV.get_template("verkenning.html.j2").render(
        title="Verkenning: het budget en de regels verschuiven",
        css="assets/llt.css",
        fictional=bool(dataset.is_fictional),
        label=dataset.label,
        peildatum=nl_date(dataset.peildatum),
        version=version,
        aspects=[(key, name) for key, name, _s in ASPECTS.values()],
        modes=list(enumerate(_MODE_NL)),
        scenarios=[("basis", "basis")] + [(n, scenario_label(n)) for n in results.exploration["scenarios"]],
        time_limit=TIME_LIMIT_S,
    )
    (out / VERKENNING_PAGE).write_text(page, encoding="utf-8")
    written.append(out / VERKENNING_PAGE)
    return written
