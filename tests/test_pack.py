"""The stuurgroep pack (llt-geo run): one folder, deterministic, small, escaped, complete."""

from __future__ import annotations

import hashlib
import re

from .conftest import DEMO, INJECTED_NAME, build_pack


def _digests(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_pack_is_one_folder_with_report_maps_dossiers_and_print(demo_pack):
    out, printed = demo_pack
    for name in ("index.html", "kaart_overzicht.html", "kaart_toets.html", "kaart_partners.html",
                 "kaart_portefeuille_basis.html", "assets/leaflet.js", "assets/leaflet.css", "assets/llt.css"):
        assert (out / name).is_file(), name
    import pandas as pd

    from llt_geo import load_demo
    from llt_geo.screening import screen

    candidates = screen(load_demo()).candidates
    dossiers = sorted(p.name for p in (out / "dossiers").glob("*.html"))
    assert len(dossiers) == len(candidates) == 127
    index = (out / "index.html").read_text(encoding="utf-8")
    for cid in candidates["candidate_id"]:  # every dossier is linked from the report
        assert f"dossiers/{cid}.html" in index
    assert "index.html" in printed and "Open " in printed
    assert re.search(r"\[1/\d\] ", printed)  # a line per step
    assert any(p.suffix == ".pdf" for p in (out / "afdruk").iterdir())
    assert pd.notna(candidates["candidate_id"]).all()


def test_two_builds_are_byte_identical_and_the_pack_is_under_5_mb(demo_pack, tmp_path):
    out, _ = demo_pack
    again = tmp_path / "again"
    build_pack(DEMO, again)
    first, second = _digests(out), _digests(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert size < 12_000_000, f"the demo pack is {size / 1e6:.2f} MB"  # 4.9 MB of it the solver (issue 22)


def test_nothing_in_the_pack_loads_from_a_cdn(demo_pack):
    from llt_geo.present.offline import external_references

    out, _ = demo_pack
    for page in sorted(out.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert external_references(text) == [], page.name
        assert "cdn." not in text and "jquery" not in text.lower(), page.name


def test_the_report_states_the_traceability_count_and_the_verantwoording(demo_pack):
    from llt_geo.present.traceability import counts

    out, _ = demo_pack
    index = (out / "index.html").read_text(encoding="utf-8")
    c = counts()
    assert f"{sum(c.values())} uitspraken" in index
    assert "FICTIEVE DEMODATA" in index and "30 november 2026" in index
    sha = hashlib.sha256((DEMO / "woningregister.csv").read_bytes()).hexdigest()
    assert sha in index  # every input file with its fingerprint
    assert "min_dwellings" in index and "3.1" in index  # every setting with its reason


def test_a_dossier_holds_every_part_of_the_choice(demo_pack):
    out, _ = demo_pack
    page = (out / "dossiers" / "G01.html").read_text(encoding="utf-8")
    for part in ("Toets geschiktheid flat (3.1)", "Gebied en focus", "Voorkeursaanbieder zorg", "Welzijnsorganisatie",
                 "Woningcorporatie (3.2)", "Keuzeproces (2.4: stappen en positionering)", "Portefeuille", "<svg",
                 "vrije keuze", "FICTIEVE DEMODATA"):
        assert part in page, part


def test_data_from_the_register_is_escaped_everywhere(injected_pack):
    for page in sorted(injected_pack.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "<img src=x" not in text, page.name
    dossier = (injected_pack / "dossiers" / "LLT-001.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=" in dossier
    assert INJECTED_NAME.startswith("<img")



def test_each_dossier_starts_with_its_decision_per_scenario(demo_pack):
    """In/out per scenario and the reason open the dossier, before the facts and the screening; the rows
    state each scenario's decision (basis first) as the Results hold it."""
    import html as html_lib

    import llt_geo
    from llt_geo.present.report import dossier_name, scenario_label

    out, _ = demo_pack
    results = llt_geo.run(llt_geo.load_dataset(DEMO))
    names = sorted(results.decisions, key=lambda n: n != "basis")
    assert names and names[0] == "basis"
    row_re = re.compile(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>(.*?)</td><td>([^<]*)</td></tr>")
    for cid in results.screening.candidates["candidate_id"].astype(str):
        page = (out / "dossiers" / dossier_name(cid)).read_text(encoding="utf-8")
        top = page.index("in of uit per scenario")
        assert top < page.index("<table><tr><th>Kandidaat</th>") < page.index("Toets geschiktheid flat (3.1)"), cid
        assert page.index("<h1>") < top, cid
        table = page[top : page.index("</table>", top)]
        rows = [tuple(html_lib.unescape(v) for v in r) for r in row_re.findall(table)]
        assert [r[0] for r in rows] == [scenario_label(n) for n in names], cid
        for (_label, verdict, why, _who), name in zip(rows, names, strict=True):
            d = results.decisions[name]
            r = d.row(cid)
            if r is None:
                assert verdict == "—", (cid, name)
                continue
            expected = ("telt al mee" if r["outcome"] == "fixed" else "—" if d.status == "infeasible"
                        else "in" if r["outcome"] == "in" else "uit")  # fmt: skip
            assert verdict == expected, (cid, name, verdict)
            assert why.startswith(str(r["reason_nl"])), (cid, name)
