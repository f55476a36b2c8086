"""The decision is one fact: every file of the pack that names a funded flat's care provider, welfare
organisation, cost or in/out names the same one (issue 18, item 2).

The pack is read as a stuurgroep member reads it: the CSVs, the maps' popups (joined from their
pieces as the browser does), the dossiers, the index and the text files. Nothing here calls the
analysis: the files are compared with one another.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from llt_geo.present.report import scenario_label


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _texts(page: str) -> list[str]:
    """A map's texts (popups, tooltips) as the browser joins them from their pieces."""
    parts = json.loads(re.search(r"var parts = (\[.*?\n\]);", page, re.S).group(1))
    texts = json.loads(re.search(r"var texts = (\[.*?\n\]);", page, re.S).group(1))
    return ["".join(parts[i] for i in t) for t in texts]


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()


@pytest.fixture(scope="module")
def pack(demo_pack) -> dict:
    out, _printed = demo_pack
    providers = _csv(out / "partners_aanbieders.csv")
    ids = sorted(providers.iloc[:, 1], key=len, reverse=True)  # the provider id is the second column
    scen = _csv(out / "portefeuille_scenarios.csv")
    return {
        "out": out,
        "provider_re": re.compile(r"\b(" + "|".join(map(re.escape, ids)) + r")\b"),
        "scenarios": list(scen["scenario"]),
        "scenario_table": scen.set_index("scenario"),
        "candidates": _csv(out / "portefeuille_kandidaten.csv").set_index("kandidaat"),
        "assignment": _csv(out / "partners_toewijzing.csv").set_index("kandidaat"),
        "index": (out / "index.html").read_text(encoding="utf-8"),
    }


def _decision_csv(pack: dict, name: str) -> pd.DataFrame:
    return _csv(pack["out"] / f"portefeuille_{name}.csv").set_index("kandidaat")


def _map_popups(pack: dict, file: str) -> dict[str, str]:
    """Per candidate id the text of its flats' popups on one map (the first such popup)."""
    page = (pack["out"] / file).read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for text in _texts(page):
        m = re.search(r"<b>([^<]+)</b> \(", text) or re.search(r"<th>Kandidaat</th><td>([^<( ]+)", text)
        if m and "llt-pop" in text:
            found.setdefault(html.unescape(m.group(1)), text)
    return found


def _dossier(pack: dict, cid: str) -> str:
    return (pack["out"] / "dossiers" / f"{cid}.html").read_text(encoding="utf-8")


def _dossier_scenario_rows(page: str) -> dict[str, tuple[str, str]]:
    """Scenario label -> (in/uit/—, provider cell) from the dossier's portfolio table."""
    section = page[page.index("Portefeuille onder het budget") :]
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>[^<]*</td><td>([^<]*)</td></tr>", section)
    return {html.unescape(label): (verdict, html.unescape(who)) for label, verdict, who in rows}


def test_the_portfolio_map_and_the_partner_pages_name_one_provider_per_funded_flat(pack):
    """The failure the issue found: LLT-111 with ZA11 on the portfolio map and ZA01 everywhere else."""
    popups = _map_popups(pack, "kaart_portefeuille_basis.html")
    partner_popups = _map_popups(pack, "kaart_partners.html")
    a = pack["assignment"]
    checked = 0
    for cid, text in popups.items():
        if "Gekozen in dit scenario" not in text:
            continue
        on_map = pack["provider_re"].search(text.split("Voorkeursaanbieder zorg:")[1]).group(1)
        assert a.loc[cid, "voorkeursaanbieder"] == on_map, (cid, "partners_toewijzing.csv", on_map)
        partner_cell = partner_popups[cid].split("Voorkeursaanbieder zorg</th><td>")[1]
        assert pack["provider_re"].search(partner_cell).group(1) == on_map, (cid, "kaart_partners.html", on_map)
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("name", ["basis", "ruim_budget", "bewoners_zwaarder", "krap_budget"])
def test_every_file_states_the_same_decision(pack, name):
    if name not in pack["scenarios"]:
        pytest.skip(f"the demo has no scenario {name}")
    d = _decision_csv(pack, name)
    funded = set(d.index[d["in portefeuille"] == "ja"])
    cands = pack["candidates"]
    # in/out: the scenario's CSV, the candidates' matrix, the comparison, the text, the map, the dossiers
    assert funded == set(cands.index[cands[f"in scenario {name}"] == "ja"])
    listed = pack["scenario_table"].loc[name, "gekozen kandidaten"]
    assert funded == ({c.strip() for c in listed.split(",")} if listed else set())
    uitleg = (pack["out"] / "portefeuille_uitleg.txt").read_text(encoding="utf-8")
    block = uitleg.split(f"Scenario {name}:")[1].split("Scenario ")[0]
    if funded:
        assert set(block.split("): ")[1].strip().split(", ")) == funded
    popups = _map_popups(pack, f"kaart_portefeuille_{name}.html")
    assert {c for c, t in popups.items() if "Gekozen in dit scenario" in t} == funded
    # the index: the comparison row lists each funded flat with its provider
    row = re.search(rf"kaart_portefeuille_{re.escape(name)}\.html'>.*?</tr>", pack["index"], re.S).group(0)
    pairs = dict(re.findall(r"([\w-]+) \((" + pack["provider_re"].pattern[3:-3] + r")\)", _plain(row)))
    assert set(pairs) == funded
    # cost: the scenario's CSV, the candidates' matrix and the comparison's total
    total = 0.0
    for cid in funded:
        cost = float(d.loc[cid, "kosten (€)"].replace(",", "."))
        assert cost == float(cands.loc[cid, "kosten (€)"].replace(",", ".")), cid
        total += cost
    assert total == pytest.approx(float(pack["scenario_table"].loc[name, "kosten (€)"].replace(",", ".")))
    a = pack["assignment"]
    for cid in d.index:
        provider = d.loc[cid, "voorkeursaanbieder"]
        welfare = d.loc[cid, "welzijnsorganisatie"]
        rows = _dossier_scenario_rows(_dossier(pack, cid))
        verdict, who = rows[scenario_label(name)]
        if cid not in funded:
            assert provider == "" and welfare == "", cid  # a provider only where the decision gives one
            assert verdict in ("uit", "—") and who == "—", (cid, verdict, who)
            continue
        assert provider, cid
        assert verdict == "in" and pack["provider_re"].search(who).group(1) == provider, (cid, who)
        assert pairs[cid] == provider, (cid, "index")
        on_map = pack["provider_re"].search(popups[cid].split("Voorkeursaanbieder zorg:")[1]).group(1)
        assert on_map == provider, (cid, f"kaart_portefeuille_{name}.html")
        assert welfare == a.loc[cid, "welzijnsorganisatie"], (cid, "welfare")
        if name != "basis":
            continue
        # the partner step's pages state the basis decision for a funded flat
        assert a.loc[cid, "voorkeursaanbieder"] == provider, (cid, "partners_toewijzing.csv")
        assert not a.loc[cid, "toelichting keuze"].startswith("als deze flat gekozen wordt"), cid
        page = _dossier(pack, cid)
        cell = re.search(r"<tr><th>Voorkeursaanbieder</th><td>([^<]*)</td>", page).group(1)
        assert pack["provider_re"].search(cell).group(1) == provider, (cid, "dossier")
        line = re.search(rf"<a href='dossiers/{re.escape(cid)}\.html'>.*?</tr>", pack["index"]).group(0)
        assert provider in _plain(line) and "<td>in</td>" in line, (cid, "index, dossiers table")
        text = (pack["out"] / "partners_toelichting.txt").read_text(encoding="utf-8")
        block = text.split(f"Kandidaat {cid}")[1].split("\n\n")[0]
        assert f"Voorkeursaanbieder zorg: {provider} " in block, (cid, "partners_toelichting.txt")


def test_a_flat_not_funded_shows_its_provider_only_as_a_proposal(pack):
    """Outside the decision the partner step's provider is what the flat would get if it were chosen."""
    d = _decision_csv(pack, "basis")
    a = pack["assignment"]
    out = [c for c in a.index if c in d.index and d.loc[c, "in portefeuille"] == "nee"]
    out = [c for c in out if a.loc[c, "voorkeursaanbieder"]]
    assert out
    for cid in out:
        assert a.loc[cid, "toelichting keuze"].startswith("als deze flat gekozen wordt: "), cid


def test_the_partner_choice_states_the_decision_within_capacity():
    """llt_geo.run: funded flats carry the portfolio's provider; the proposals for the others use only
    places the decision leaves; no provider holds more funded and committed flats than it can take."""
    import llt_geo

    ds = llt_geo.load_demo()
    results = llt_geo.run(ds, robustness=False)
    a = results.partners.assignment.set_index("candidate_id")
    funded = results.decisions["basis"].funded.set_index("candidate_id")
    assert len(funded)
    assert (a.loc[funded.index, "provider_id"] == funded["provider_id"]).all()
    left = results.partners.providers.set_index("provider_id")["capacity_left"]
    held = a.loc[funded.index, "provider_id"].value_counts()
    assert (held <= left.reindex(held.index)).all()
    proposed = a[~a.index.isin(funded.index) & a["provider_id"].notna() & a["status"].eq("candidate")]
    assert len(proposed) and proposed["choice_nl"].str.startswith("als deze flat gekozen wordt: ").all()
    for pid in proposed["provider_id"].unique():
        assert held.get(pid, 0) < left[pid], pid  # a proposal only where the decision leaves a place
    # and the same call twice gives the same decision (deterministic)
    again = llt_geo.run(ds, robustness=False)
    pd.testing.assert_frame_equal(again.decisions["basis"].flats, results.decisions["basis"].flats)


def test_the_api_writes_the_same_pack_as_the_command(demo_pack, tmp_path):
    """load_dataset -> run -> write_pack, called from Python, gives the command's pack byte for byte."""
    import llt_geo

    from .conftest import DEMO

    out, _printed = demo_pack
    ds = llt_geo.load_dataset(DEMO)
    written = llt_geo.write_pack(ds, llt_geo.run(ds), tmp_path / "pack")
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(written.out) for p in written.out.rglob("*") if p.is_file())
    different = [str(f) for f in files if (out / f).read_bytes() != (written.out / f).read_bytes()]
    assert different == []
