"""Figures for print (issue #9, item 9): PNG and PDF of the maps and charts, Dutch, deterministic, small."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pandas as pd
import pytest
from matplotlib.figure import Figure

import llt_geo
from llt_geo.io import Dataset
from llt_geo.labels import nl_int
from llt_geo.present.plots import (
    PORTFOLIO_LABELS_NL,
    overview_print_map,
    portfolio_print_map,
    scenario_kinds,
    spread_chart,
    write_print_figures,
)
from llt_geo.spread import spread_report

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december")  # fmt: skip


@pytest.fixture(scope="module")
def demo_results():
    ds = llt_geo.load_demo()
    return ds, llt_geo.run(ds, robustness=False)  # robustness does not change the maps


@pytest.fixture(scope="module")
def demo_run(demo_results):
    ds, results = demo_results
    return ds, results.screening, results.portfolio


def legend_texts(fig: Figure) -> list[str]:
    out = []
    for leg in fig.legends:
        out.append(leg.get_title().get_text())
        out += [t.get_text() for t in leg.get_texts()]
    return out


def texts_with_gid(fig: Figure, gid: str) -> list[str]:
    found = [t for t in fig.texts if t.get_gid() == gid]
    for ax in fig.axes:
        found += [t for t in ax.texts if t.get_gid() == gid]
    return [t.get_text() for t in found]


def collections(fig: Figure, gid: str) -> list:
    return [c for ax in fig.axes for c in ax.collections if c.get_gid() == gid]


def points(fig: Figure, gid: str) -> int:
    """Markers drawn in the collections with this gid (flats: one collection per size class)."""
    return sum(len(c.get_offsets()) for c in collections(fig, gid))


def flats_drawn(fig: Figure) -> int:
    """Circles drawn for flats (every collection whose gid starts with ``llt-flats-``)."""
    ours = [c for ax in fig.axes for c in ax.collections if str(c.get_gid()).startswith("llt-flats-")]
    return sum(len(c.get_offsets()) for c in ours)


def peildatum_nl(ds) -> str:
    d = dt.date.fromisoformat(ds.peildatum)
    return f"peildatum {d.day} {MONTHS_NL[d.month - 1]} {d.year}"


def one_line(text: str) -> str:
    return " ".join(text.split())


def check_source(fig: Figure, ds) -> None:
    (source,) = texts_with_gid(fig, "llt-source")
    source = one_line(source)
    assert "FICTIEVE DEMODATA" in source
    assert peildatum_nl(ds) in source
    assert f"llt_geo {llt_geo.__version__}" in source


def check_scale(fig: Figure) -> None:
    scale = texts_with_gid(fig, "llt-scale")
    assert len(scale) == 3 and scale[0] == "0"
    assert scale[-1].endswith((" km", " m"))


# ----------------------------------------------------------------------------------------------- files


def test_write_print_figures_is_deterministic_small_and_dated_by_peildatum_only(demo_results, demo_run, tmp_path):
    ds, results = demo_results
    _ds, s, pf = demo_run
    first = write_print_figures(ds, results, tmp_path / "a")
    second = write_print_figures(ds, results, tmp_path / "b")
    basis, *others = pf.scenarios
    stems = ["kaart_overzicht", f"kaart_portefeuille_{basis}", "spreiding_stadsdelen", "voortgang"]
    expected = [f"{stem}.{ext}" for stem in stems for ext in ("png", "pdf")]
    expected[4:4] = [f"kaart_portefeuille_{n}.pdf" for n in others]  # other scenarios: PDF only
    assert [p.name for p in first] == expected
    assert [p.name for p in second] == [p.name for p in first]
    total = 0
    for a, b in zip(first, second, strict=True):
        data = a.read_bytes()
        assert data == b.read_bytes(), f"{a.name} differs between two runs"
        assert 10_000 < len(data) < 400_000, f"{a.name}: {len(data)} bytes"
        total += len(data)
        if a.suffix == ".pdf":
            assert data.startswith(b"%PDF")
            assert b"CreationDate" not in data and b"/Producer" not in data and b"/Creator" not in data
            assert b"/MediaBox [ 0 0 841" in data  # A4 landscape (841.68 x 595.44 pt) or A4-wide chart
        else:
            assert data.startswith(b"\x89PNG")
            assert b"Software" not in data and b"tIME" not in data
    assert total < 2_500_000  # the whole stuurgroep pack must stay under 5 MB


def test_without_portfolio_the_maps_of_the_scenarios_are_left_out(demo_results, tmp_path):
    ds, results = demo_results
    paths = write_print_figures(ds, dataclasses.replace(results, portfolio=None, decisions={}), tmp_path)
    assert [p.name for p in paths] == [
        "kaart_overzicht.png", "kaart_overzicht.pdf", "spreiding_stadsdelen.png", "spreiding_stadsdelen.pdf",
        "voortgang.png", "voortgang.pdf",
    ]  # fmt: skip


# ----------------------------------------------------------------------------------------------- maps


def test_overview_map_has_a_dutch_legend_for_every_symbol_scale_and_source(demo_results, demo_run):
    ds, results = demo_results
    _ds, s, _pf = demo_run
    fig = overview_print_map(ds, results)
    assert isinstance(fig, Figure)
    legend = legend_texts(fig)
    text = " | ".join(legend)
    open_ = s.candidates[s.candidates["open_candidate"].astype(bool)]
    for key, label in (("pass", "Voldoet ("), ("fail", "Voldoet niet ("), ("unknown", "Onbekend")):
        n = int((open_["eligibility"] == key).sum())
        assert any(t.startswith(label) and f"({n} open kandidaten" in one_line(t) for t in legend), (label, n)
    n_realised = int((s.flats["status"] == "realised").sum())
    assert any(t.startswith("Gerealiseerd") and f"{n_realised} flats" in one_line(t) for t in legend)
    for label in ("minder dan 10 %", "10–15 %", "25 % of meer", "onbekend (geen bevolkingscijfers)",
                  "intramurale locatie", "focusgebied (masterplan)", "grens van een stadsdeel",
                  "250 woningen of meer", "Wijken: aandeel inwoners van 65 jaar en ouder",
                  "Toets 3.1 per open kandidaat"):  # fmt: skip
        assert label in one_line(text), label
    check_scale(fig)
    check_source(fig, ds)
    (title,) = texts_with_gid(fig, "llt-title")
    assert "overzicht" in title
    names = set(texts_with_gid(fig, "llt-stadsdeel-naam"))
    assert names == set(ds.stadsdelen["name"].astype(str))
    # every flat drawn once: open candidates by outcome, the others apart
    drawn = flats_drawn(fig)
    assert drawn == len(s.flats)
    assert points(fig, "llt-sites") == len(ds.intramural_sites)


def test_unknown_share_65plus_is_hatched_and_named_in_the_legend(demo_results):
    ds, results = demo_results
    wijken = ds.wijken.copy()
    unknown = int(wijken["residents_65plus"].isna().sum())  # the demo's own wijken without a 65+ figure
    assert unknown == 24
    wijken.loc[wijken["residents_65plus"].notna().idxmax(), "residents_65plus"] = pd.NA  # and one more
    tables = {**ds.tables, "wijken": wijken}
    ds2 = Dataset(ds.folder, ds.config, tables, ds.files, ds.problems, ds.row_counts)
    fig = overview_print_map(ds2, results)
    (hatched,) = collections(fig, "llt-wijken-onbekend")
    assert hatched.get_hatch() and len(hatched.get_paths()) == unknown + 1
    assert any(f"onbekend (geen bevolkingscijfers): {unknown + 1} wijken" in one_line(t) for t in legend_texts(fig))


def test_portfolio_map_counts_the_chosen_flats_of_the_scenario(demo_results, demo_run):
    _ds, results = demo_results
    ds, s, pf = demo_run
    scenario = pf.scenarios["basis"]
    r = scenario.result
    assert r.status == "optimal" and len(r.chosen)
    fig = portfolio_print_map(ds, results, "basis")
    chosen = set(r.chosen["candidate_id"].astype(str))
    n_flats = int(s.flats["candidate_id"].astype(str).isin(chosen).sum())
    label = next(one_line(t) for t in legend_texts(fig) if t.startswith(PORTFOLIO_LABELS_NL["in"]))
    assert f"({len(chosen)} kandidaten = {n_flats} flats)" in label
    assert points(fig, "llt-flats-in") == n_flats
    kinds = scenario_kinds(results, "basis")
    assert {c for c, k in kinds.items() if k == "in"} == chosen
    (title,) = texts_with_gid(fig, "llt-title")
    cost = f"€ {r.chosen['cost'].sum():,.0f}".replace(",", ".")
    assert title == f"Portefeuille, scenario 'basis': {len(chosen)} kandidaten gekozen, kosten {cost}"
    for k in ("fixed", "out", "not"):
        assert any(t.startswith(PORTFOLIO_LABELS_NL[k]) for t in legend_texts(fig)), k
    drawn = flats_drawn(fig)
    assert drawn == len(s.flats)
    check_scale(fig)
    check_source(fig, ds)


def test_an_infeasible_scenario_still_gives_a_map_that_says_so(demo_results, demo_run):
    _ds, results = demo_results
    ds, s, pf = demo_run
    scenario = pf.scenarios["krap_budget"]
    assert scenario.result.status == "infeasible"
    fig = portfolio_print_map(ds, results, "krap_budget")
    (title,) = texts_with_gid(fig, "llt-title")
    assert title == "Portefeuille, scenario 'krap_budget': niet haalbaar"
    (subtitle,) = texts_with_gid(fig, "llt-subtitle")
    assert one_line(scenario.explanation) in one_line(subtitle)
    assert collections(fig, "llt-flats-in") == []
    assert any("geen (niet haalbaar)" in t for t in legend_texts(fig))
    check_scale(fig)
    check_source(fig, ds)


# ----------------------------------------------------------------------------------------------- charts


def test_spread_chart_shows_flats_and_residents_per_stadsdeel(demo_run):
    ds, s, _pf = demo_run
    report = spread_report(s, ds)
    fig = spread_chart(report, dataset=ds)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    t = report.stadsdelen
    assert labels == [f"{n} ({c})" for c, n in zip(t["stadsdeel_code"], t["name"], strict=True)]
    legend = [t.get_text() for ax in fig.axes for t in ax.get_legend().get_texts()]
    assert {"gerealiseerd", "open kandidaat, voldoet (3.1)", "aandeel van de inwoners 65+"} <= set(legend)
    residents = [t.get_text() for t in fig.axes[1].texts]
    # a stadsdeel whose 65+ figure is unknown says so, never 0 or a partial sum (issue 19, item 6)
    unknown = pd.to_numeric(t["residents_65plus"], errors="coerce").isna()
    assert unknown.any() and residents.count("inwoners 65+ onbekend") == int(unknown.sum())
    assert "0 inwoners 65+" not in residents
    known = pd.to_numeric(t["residents_65plus"], errors="coerce").dropna()
    assert {f"{nl_int(n)} inwoners 65+" for n in known} <= set(residents)
    check_source(fig, ds)
    assert spread_chart(report).texts  # without a dataset: a source line with the version only


# ----------------------------------------------------------------------------------------------- files: speed


def _small_figure() -> Figure:
    fig = Figure(figsize=(4, 2))
    ax = fig.add_subplot()
    ax.fill_between([0, 1, 2], [0, 1, 0.5], color="#9e9ac8")
    ax.plot([0, 2], [1, 0], color="#e6550d", lw=3)
    ax.set_title("Lang Leven Thuisflats — € 1.234,5 (fictief)", fontweight="bold")
    ax.text(0.1, 0.2, "Coördinaten: RD New; flats, afdruk")
    return fig


def _font_files(pdf: bytes) -> list[bytes]:
    import re
    import zlib

    files = []
    for m in re.finditer(rb"<< /Length1 \d+ /Length \d+ /Filter /FlateDecode >>\nstream\n", pdf):
        files.append(zlib.decompressobj().decompress(pdf[m.end() :]))
    return files


def test_pdf_fonts_are_subset_once_without_layout_tables_and_the_same_every_time():
    import io

    import matplotlib as mpl
    from fontTools.ttLib import TTFont
    from matplotlib.backends import _backend_pdf_ps

    from llt_geo.present import plots

    if not hasattr(_backend_pdf_ps, "SubsetResults"):  # before matplotlib 3.11: its own subsetting is kept
        pytest.skip("matplotlib subsets fonts by characters here; llt_geo leaves it alone")

    def save(*, ours: bool) -> bytes:
        buf = io.BytesIO()
        with mpl.rc_context(plots.PRINT_RC):
            fig = _small_figure()
            if ours:
                with plots._pdf_fonts():
                    fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "Producer": None, "Creator": None})
            else:
                fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "Producer": None, "Creator": None})
        return buf.getvalue()

    plots._font_subset.cache_clear()
    first = save(ours=True)
    made = plots._font_subset.cache_info().misses
    assert made >= 2  # DejaVu Sans and DejaVu Sans Bold (and the ligature subset of 'fi' in 'fictief')
    assert save(ours=True) == first  # from the kept subsets: the same bytes
    info = plots._font_subset.cache_info()
    assert info.misses == made and info.hits >= made
    mpl_own = save(ours=False)  # outside: matplotlib's own subsetting, with the layout tables
    assert mpl_own != first and b"/ToUnicode" in first and first.count(b"/FontFile2") == mpl_own.count(b"/FontFile2")
    for data in _font_files(first):
        font = TTFont(io.BytesIO(data))
        assert not {"GSUB", "GPOS", "GDEF", "kern"} & set(font.keys()) and "glyf" in font
    assert any({"GSUB", "GPOS"} <= set(TTFont(io.BytesIO(d)).keys()) for d in _font_files(mpl_own))


def test_the_indexed_png_maps_every_pixel_to_the_nearest_of_the_most_frequent_colours():
    import io

    import numpy as np
    from PIL import Image

    from llt_geo.present import plots

    fig = _small_figure()
    png = plots._png_bytes(fig, dpi=100, colours=16)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    rgb = np.asarray(Image.open(buf).convert("RGB"), dtype=np.int64).reshape(-1, 3)
    code = (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
    unique, counts = np.unique(code, return_counts=True)
    keep = unique[np.lexsort((unique, -counts))[:16]]
    palette = np.stack([(keep >> 16) & 255, (keep >> 8) & 255, keep & 255], axis=1)
    expected = ((rgb[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "P" and image.size == (400, 200)
    assert np.array_equal(np.asarray(image).ravel(), expected)
    assert np.array_equal(np.asarray(image.getpalette()[:48]).reshape(16, 3), palette)


def test_a_subset_cut_from_the_font_base_is_the_subset_cut_from_the_whole_font():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from llt_geo.present import plots

    for family, weight in (("DejaVu Sans", "normal"), ("DejaVu Sans", "bold")):
        path = font_manager.findfont(font_manager.FontProperties(family=family, weight=weight))
        font = FT2Font(path)
        for text in ("Lang Leven Thuisflats € 1.234,5 — ‘Coördinaten’ ≤ ≥ → ■", "fi fl ffi ñ ç Ÿ ø ß 0123456789"):
            glyphs = frozenset(font.get_char_index(ord(c)) for c in text)
            plots._font_subset.cache_clear()
            via_base = plots._font_subset(str(path), 0, glyphs)
            data, index_map = plots._cut(str(path), 0, sorted(glyphs))
            assert via_base == (data, tuple(sorted(index_map.items())))
        # a glyph outside the base (Greek, Cyrillic): cut from the whole font
        outside = frozenset(font.get_char_index(ord(c)) for c in "ΩЖ")
        assert not outside <= set(plots._font_base(str(path), 0)[1])
        data, index_map = plots._font_subset(str(path), 0, outside)
        assert set(dict(index_map)) >= outside and data.startswith(b"\x00\x01\x00\x00")
