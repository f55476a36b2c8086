"""Names that become file names, and data text in the printed figures (issue 20, items 1 and 7).

Hand-made inputs: ids that are paths, Windows device names, too long, or equal but for case; scenario
names that leave the folder; a dataset name with ``$`` (matplotlib's mathtext). Every write of
``llt-geo run`` and ``portfolio`` stays inside ``--out``; ``validate`` names each id whose dossier gets
another file name; no command ends in an internal error.
"""

from __future__ import annotations

import contextlib
import io
import re
from html import escape
from pathlib import Path

import pytest

from .conftest import make_dataset, tiny_tables

#: ids a register could hold that are unsafe as file names, each as its own flat (validate accepts them)
HOSTILE_IDS = [
    "CON",
    "aux.txt",
    "com1",
    "prn.html",
    "../../ontsnapt",
    "a/b",
    "/etc/passwd",
    "C:\\temp\\x",
    "trail.",
    "x" * 260,
]
DOLLAR_NAME = "Wijk $x^2$ en 5$"


def _dataset(folder: Path, ids: list[str], *, name: str = DOLLAR_NAME, extra_config: str = "") -> Path:
    """The tiny dataset with one flat per id (besides F2), the given dataset name and a budget."""
    header, rows = tiny_tables()["flats"]
    flats = []
    for i, fid in enumerate(ids):
        row = list(rows[0])
        row[0], row[1], row[11] = fid, f"Flat {i}", 120050 + 40 * i
        flats.append(row)
    flats.append(rows[1])
    config = f"[dataset]\nname = '{name}'\n[programme]\nbudget_eur = 1000000\n{extra_config}"
    return make_dataset(folder, changes={"flats": (header, flats)}, config=config)


def _main(*argv: str) -> tuple[int, str]:
    from llt_geo.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue() + err.getvalue()


def _files(root: Path) -> set[Path]:
    return {p.resolve() for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def _safe(name: str) -> bool:
    return (
        re.fullmatch(r"[A-Za-z0-9_-]+\.(html|csv|pdf|png)", name) is not None
        and len(name.encode()) < 150
        and name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                                               *(f"LPT{i}" for i in range(10))}  # fmt: skip
    )


# ------------------------------------------------------------------------------------------ the one function


def test_every_stem_is_safe_and_unique_without_case():
    from llt_geo.filenames import MAX_STEM_BYTES, file_stems

    ids = [*HOSTILE_IDS, "llt-006", "LLT-006", "nul\x01", "LLT-001", "G01", "ab\u200b", "LLТ-008", "..", ".", ""]
    stems = file_stems(ids)
    assert set(stems) == set(ids)
    for cid, stem in stems.items():
        assert re.fullmatch(r"[A-Za-z0-9_-]+", stem), (cid, stem)
        assert len(stem.encode()) <= MAX_STEM_BYTES
        assert _safe(stem + ".html"), (cid, stem)
    assert len({s.lower() for s in stems.values()}) == len(ids)  # one file per id on Windows and macOS
    assert stems["LLT-001"] == "LLT-001" and stems["G01"] == "G01"  # safe ids keep their name
    assert stems["llt-006"] != "llt-006" and stems["LLT-006"] != "LLT-006"
    assert stems["CON"].startswith("CON_") and stems["../../ontsnapt"].startswith("ontsnapt_")
    assert file_stems(reversed(ids)) == stems  # deterministic: the order does not matter


def test_a_dossier_is_never_named_after_a_device_or_a_path():
    from llt_geo.present.report import dossier_name, dossier_names

    for cid in HOSTILE_IDS:
        assert _safe(dossier_name(cid)), cid
    names = dossier_names(["llt-006", "LLT-006", "LLT-007"])
    assert names["LLT-007"] == "LLT-007.html"
    assert names["llt-006"].lower() != names["LLT-006"].lower()


def test_scenario_names_keep_device_names_behind_their_prefix():
    from llt_geo.filenames import scenario_stems

    stems = scenario_stems(["basis", "con", "ruim_budget", "x/../../../ontsnapt", "Krap", "krap", "y" * 200])
    assert stems["basis"] == "basis" and stems["con"] == "con" and stems["ruim_budget"] == "ruim_budget"
    assert "/" not in stems["x/../../../ontsnapt"] and ".." not in stems["x/../../../ontsnapt"]
    assert stems["Krap"].lower() != stems["krap"].lower()
    assert len(f"kaart_portefeuille_{stems['y' * 200]}.html".encode()) < 150


# ------------------------------------------------------------------------------------------ validate


def test_validate_names_every_id_whose_dossier_gets_another_name(tmp_path):
    from llt_geo.filenames import file_stems

    ids = [*HOSTILE_IDS, "llt-006", "LLT-006"]
    folder = _dataset(tmp_path / "data", ids)
    before = _files(tmp_path)
    code, text = _main("validate", str(folder))
    assert code in (0, 1), text  # ids equal but for case may be an error of their own; never an internal error
    assert _files(tmp_path) == before  # validate writes nothing
    stems = file_stems([*ids, "F2"])
    for row, cid in enumerate(ids, start=2):
        line = next((line for line in text.splitlines() if f"dossiers/{stems[cid]}.html" in line), None)
        assert line is not None, (cid, text)
        assert "flats.csv" in line and "'flat_id'" in line and f"row {row}" in line, line
    assert "dossiers/F2.html" not in text


# ------------------------------------------------------------------------------------------ every write in --out


@pytest.mark.parametrize("command", ["run", "portfolio"])
def test_hostile_ids_are_written_inside_out(tmp_path, command):
    folder = _dataset(tmp_path / "data", HOSTILE_IDS)
    out = tmp_path / "a" / "b" / "out"
    before = _files(tmp_path)
    code, text = _main(command, str(folder), "--out", str(out))
    assert code == 0, text
    written = _files(tmp_path) - before
    assert written, text
    for path in written:
        assert path.is_relative_to(out.resolve()), path
        assert _safe(path.name) or path.parent.name == "assets" or path.suffix in (".txt", ".gpkg"), path
    if command == "run":
        dossiers = sorted(p.name for p in (out / "dossiers").iterdir())
        assert len(dossiers) == len(HOSTILE_IDS) + 1 == len({d.lower() for d in dossiers})
        index = (out / "index.html").read_text(encoding="utf-8")
        linked = set(re.findall(r"dossiers/([^\"'#]+\.html)", index))
        assert set(dossiers) <= linked and all((out / "dossiers" / name).is_file() for name in linked)
        assert (out / "afdruk" / "kaart_overzicht.pdf").is_file()  # the print figures, with DOLLAR_NAME


def test_the_pack_keeps_case_twins_and_scenario_names_apart(tmp_path):
    """Past validation (which refuses both), the writers still give each id and scenario its own file."""
    from llt_geo.io import load_dataset
    from llt_geo.pipeline import run
    from llt_geo.present.pack import write_pack

    folder = _dataset(tmp_path / "data", ["llt-006", "LLT-007"], name="Tiny")
    ds = load_dataset(folder)
    flats = ds.tables["flats"]
    flats.loc[flats["flat_id"] == "LLT-007", "flat_id"] = "LLT-006"
    ds.config["scenarios"] = {"x/../../../ontsnapt": {"budget_eur": 2000000}, "Ruim": {"budget_eur": 3000000},
                              "ruim": {"budget_eur": 4000000}}  # fmt: skip
    results = run(ds)
    assert list(results.decisions) == ["basis", "x/../../../ontsnapt", "Ruim", "ruim"]
    out = tmp_path / "a" / "b" / "out"
    before = _files(tmp_path)
    write_pack(ds, results, out)
    written = _files(tmp_path) - before
    assert all(p.is_relative_to(out.resolve()) for p in written), sorted(written)
    dossiers = sorted(p.name for p in (out / "dossiers").iterdir())
    assert len(dossiers) == 3 == len({d.lower() for d in dossiers}), dossiers
    portfolios = sorted(p.name for p in out.glob("portefeuille_*.csv"))
    # the 4 scenarios, the comparison and the candidates, the budget ladder and the core index
    assert len(portfolios) == 4 + 4 and len({p.lower() for p in portfolios}) == 8, portfolios
    assert all(_safe(p) for p in portfolios)
    index = (out / "index.html").read_text(encoding="utf-8")
    for href in set(re.findall(r"href=['\"]((?:\./)?(?:dossiers/|kaart_portefeuille_|afdruk/)[^'\"#]+)", index)):
        assert (out / href).is_file(), href  # every link of the report to a dossier or scenario file is there
    for name in dossiers:
        assert f"dossiers/{name}" in index


# ------------------------------------------------------------------------------------------ mathtext


@pytest.mark.parametrize("name", [DOLLAR_NAME, "Wijk $x^2$", "a $b_$ c", "$\\frac$"])
def test_a_dataset_name_with_dollars_is_printed_as_written(tmp_path, name):
    import matplotlib as mpl

    from llt_geo.io import load_dataset
    from llt_geo.pipeline import run
    from llt_geo.present import plots

    folder = _dataset(tmp_path / "data", ["F1"], name=name)
    code, text = _main("portfolio", str(folder), "--out", str(tmp_path / "out"))
    assert code == 0, text
    ds = load_dataset(folder)
    results = run(ds)
    written = plots.write_print_figures(ds, results, tmp_path / "afdruk")
    assert {p.name for p in written} >= {"kaart_overzicht.pdf", "kaart_portefeuille_basis.pdf", "voortgang.pdf"}
    figures = [plots.overview_print_map(ds, results), plots.portfolio_print_map(ds, results, "basis"),
               plots.spread_chart(results.spread, dataset=ds), plots.progress_chart(results.progress, dataset=ds,
               title=f"Voortgang — {ds.label}"), plots.overview_figure(ds)]  # fmt: skip
    for fig in figures:
        svg = io.StringIO()
        with mpl.rc_context({"svg.fonttype": "none"}):  # text stays text in the SVG
            fig.savefig(svg, format="svg")
        drawn = re.sub(r"<!--.*?-->", "", svg.getvalue(), flags=re.S).replace("&#x27;", "'")  # not the comments
        assert escape(name, quote=False) in drawn, fig
