"""The stuurgroep pack, written from a dataset and its :class:`~llt_geo.results.Results` alone.

:func:`write_pack` writes every table, map, printed figure, dossier and the report into one folder
that a stuurgroep member opens at ``index.html`` (offline, in Dutch). The parts are written by
:func:`write_screening`, :func:`write_partners`, :func:`write_spread` and :func:`write_portfolio`,
which the one-step commands (``llt-geo screen``, ``partners``, ``portfolio``) use as well. Nothing
here computes or decides: every figure, provider, cost and reason comes from the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..filenames import scenario_stems
from .export import write_csv, write_gpkg
from .ladder import core_table, ladder_table
from .maps import overview_map, partners_map, portfolio_map, save_map, screening_map
from .offline import SHARED_DATA
from .verkenning import write_verkenning

if TYPE_CHECKING:
    from ..io import Dataset
    from ..results import Results

__all__ = [
    "PackFiles",
    "decision_table",
    "write_pack",
    "write_partners",
    "write_portfolio",
    "write_screening",
    "write_spread",
]


@dataclass(frozen=True)
class PackFiles:
    """What :func:`write_pack` wrote: the folder, the files at its top (and in ``afdruk/`` and
    ``assets/``), and the dossiers."""

    out: Path
    files: tuple[str, ...]
    dossiers: tuple[str, ...]

    @property
    def size_bytes(self) -> int:
        """The size of every file in the folder."""
        return sum(f.stat().st_size for f in self.out.rglob("*") if f.is_file())


def _dossiers(assets: str | None) -> str | None:
    """The dossiers folder a map links to: only in the stuurgroep pack (whose maps share ``assets``)."""
    return "dossiers" if assets else None


def write_screening(dataset: Dataset, results: Results, out: Path, *, assets: str | None = None) -> list[str]:
    """The screening (3.1): criteria, candidates, counts and flats as CSV and GeoPackage, and its map."""
    s = results.screening
    label = dataset.output_label
    write_csv(s.criteria, out / "toets_criteria.csv", label=label)
    write_csv(s.candidates, out / "toets_kandidaten.csv", label=label)
    write_csv(s.counts, out / "toets_aantallen.csv", label=label)
    flats = s.flats.join(s.provider_distance_m.add_prefix("afstand_locatie_"))
    write_csv(flats, out / "toets_flats.csv", label=label)
    write_gpkg({"kandidaten": s.candidates, "flats": flats}, out / "toets.gpkg", label=label)
    # in the pack (maps sharing its assets folder) every popup links to the candidate's dossier
    save_map(screening_map(dataset, results, dossiers=_dossiers(assets)), out / "kaart_toets.html", assets=assets)
    return ["toets_criteria.csv", "toets_kandidaten.csv", "toets_aantallen.csv", "toets_flats.csv", "toets.gpkg",
            "kaart_toets.html"]  # fmt: skip


def write_partners(dataset: Dataset, results: Results, out: Path, *, assets: str | None = None) -> list[str]:
    """The partner choice (2.2-2.4, 3.2, 4): its tables, the explanation per candidate, and its map."""
    from ..labels import ASPECTS
    from .explain import explain_choice

    choice = results.partners
    weights = {k: float(dataset.config["care"][key]) for k, (key, _n, _s) in ASPECTS.items()}
    label = dataset.output_label
    files = {
        "partners_aanbieders.csv": choice.providers,
        "partners_harde_criteria.csv": choice.hard_criteria,
        # without the sentence that repeats the row's own aspect columns (scores.explanation: 60 % of
        # the file); the chosen provider's sentence is in partners_toelichting.txt and the dossiers
        "partners_scores.csv": choice.scores.drop(columns="explanation"),
        "partners_toewijzing.csv": choice.assignment,
        "partners_robuustheid.csv": choice.robustness_pairs,
        "partners_welzijn.csv": choice.welfare,
        "partners_welzijn_rollen.csv": choice.welfare_roles,
        "partners_corporatie.csv": choice.corporation,
        "partners_keuzeproces.csv": choice.process,
    }
    for name, frame in files.items():
        write_csv(frame, out / name, label=label)
    text = [dataset.label, "", "Keuze van de partners per kandidaat (Toewijzingskader 2.2-2.4, 3.2, 4)", ""]
    for cid in choice.assignment["candidate_id"]:
        text += [explain_choice(choice, cid, weights), ""]
    (out / "partners_toelichting.txt").write_text("\n".join(text), encoding="utf-8")
    save_map(partners_map(dataset, results, dossiers=_dossiers(assets)), out / "kaart_partners.html", assets=assets)
    return [*files, "partners_toelichting.txt", "kaart_partners.html"]


def write_spread(dataset: Dataset, results: Results, out: Path, *, chart: bool = False) -> list[str]:
    """Spread (per stadsdeel, wijk and city) and progress as CSV; ``chart``: ``voortgang.png`` beside them
    (in the pack the chart goes to ``afdruk/`` with the other printed figures)."""
    from .plots import progress_chart

    report, table = results.spread, results.progress
    label = dataset.output_label
    # English columns in, Dutch headers out (write_csv), so that shares are rounded as shares
    write_csv(report.stadsdelen, out / "spreiding_stadsdelen.csv", label=label)
    write_csv(report.wijken, out / "spreiding_wijken.csv", label=label)
    write_csv(report.city, out / "spreiding_stad.csv", label=label)
    write_csv(table, out / "voortgang.csv", label=label)
    written = ["spreiding_stadsdelen.csv", "spreiding_wijken.csv", "spreiding_stad.csv", "voortgang.csv"]
    if chart:
        prog = dataset.config["programme"]
        title = f"Voortgang naar {prog['goal_flats']} in {prog['goal_year']} — {dataset.label}"
        fig = progress_chart(table, title=title)
        fig.savefig(out / "voortgang.png", dpi=120, metadata={"Software": None})
        written.append("voortgang.png")
    return written


def decision_table(results: Results, name: str):
    """``portefeuille_<name>.csv``: per open candidate in or out and why, with the care provider and
    welfare organisation of each funded flat and its cost, from the scenario's decision."""
    flats = results.decisions[name].flats
    return flats[flats["outcome"] != "fixed"].drop(columns=["outcome"]).reset_index(drop=True)


def write_portfolio(dataset: Dataset, results: Results, out: Path, *, assets: str | None = None) -> list[str]:
    """The portfolio per scenario: the comparison, the candidates, the decision per scenario with its
    map, and the explanation in Dutch."""
    from ..labels import nl_number

    pf = results.portfolio
    label = dataset.output_label
    from .config_nl import scenario_changes

    comparison = pf.comparison.copy()
    comparison.insert(1, "changes_nl", [scenario_changes(dataset.config, n) for n in comparison["scenario"]])
    write_csv(comparison, out / "portefeuille_scenarios.csv", label=label)
    write_csv(pf.candidates, out / "portefeuille_kandidaten.csv", label=label)
    written = ["portefeuille_scenarios.csv", "portefeuille_kandidaten.csv"]
    text = [dataset.label, "", "Portefeuille onder het subsidiebudget (Inleiding, 3.1), per scenario", ""]
    stems = scenario_stems(results.decisions)  # a scenario's name as part of a file name (llt_geo.filenames)
    for name, decision in results.decisions.items():
        stem = stems[name]
        write_csv(decision_table(results, name), out / f"portefeuille_{stem}.csv", label=label)
        m = portfolio_map(dataset, results, name, dossiers=_dossiers(assets))
        save_map(m, out / f"kaart_portefeuille_{stem}.html", assets=assets)
        written += [f"portefeuille_{stem}.csv", f"kaart_portefeuille_{stem}.html"]
        text.append(f"Scenario {name}:")
        if decision.status == "infeasible":
            text.append("  " + decision.explanation)
        else:
            funded = decision.funded
            chosen = ", ".join(funded["candidate_id"])
            cost = nl_number(funded["cost"].sum())
            text.append(f"  {len(funded)} flats gekozen ({decision.status}; kosten € {cost}): {chosen}")
        text.append("")
    (out / "portefeuille_uitleg.txt").write_text("\n".join(text), encoding="utf-8")
    written.append("portefeuille_uitleg.txt")
    if results.ladder is not None:
        write_csv(ladder_table(results), out / "portefeuille_budgetladder.csv", label=label)
        written.append("portefeuille_budgetladder.csv")
    if results.core is not None:
        write_csv(core_table(results), out / "portefeuille_kernindex.csv", label=label)
        written.append("portefeuille_kernindex.csv")
    if results.exploration is not None:
        from .._version import __version__

        written += [p.relative_to(out).as_posix() for p in write_verkenning(out, dataset, results, version=__version__)]
    return written


def _maps(results: Results) -> list[tuple[str, str]]:
    """The maps of the pack, with their Dutch titles, in the order the index lists them."""
    maps = [("kaart_overzicht.html", "Overzicht: stadsdelen, wijken (aandeel 65+), focusgebieden, flats per status"),
            ("kaart_toets.html", "Toets geschiktheid flats (3.1), met de criteria per flat"),
            ("kaart_partners.html", "Keuze voorkeursaanbieder zorg en welzijnsorganisatie (2.2-2.4, 4)")]  # fmt: skip
    stems = scenario_stems(results.decisions)
    return maps + [(f"kaart_portefeuille_{stems[n]}.html", f"Portefeuille, scenario {n}") for n in results.decisions]


def write_pack(
    dataset: Dataset,
    results: Results,
    out: str | Path,
    *,
    open_data: tuple[str, list] | None = None,
    step=None,
) -> PackFiles:
    """Write the whole stuurgroep pack into ``out`` from the dataset and its result.

    Parameters
    ----------
    dataset : Dataset
        As loaded (its label, areas, registers and the files read, for the verantwoording).
    results : Results
        From :func:`llt_geo.run` on that dataset.
    out : str or Path
        The folder; created when absent. Dossiers of candidates no longer in the data are removed.
    open_data : (str, list), optional
        The open-data cache's name and :func:`llt_geo.io.opendata.fetch.check_cache` of it: the
        verantwoording then lists the open data's provenance.
    step : callable, optional
        Called with a short English line before each part (the command line prints them).

    Returns
    -------
    PackFiles
        The folder, the files written and the dossiers.
    """
    from .plots import write_print_figures
    from .report import build_pack

    say = step or (lambda _text: None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    lines = [dataset.label, ""] + ([str(p) for p in dataset.problems] or ["No problems found."])
    (out / "validatie.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_csv(dataset.summary().reset_index(), out / "overzicht_tabellen.csv", label=dataset.output_label)
    written = ["validatie.txt", "overzicht_tabellen.csv"]
    # the maps add their shared data (areas, search list, sites) to assets/llt_data.js: none from an earlier build
    (out / "assets" / SHARED_DATA).unlink(missing_ok=True)
    say("tables and maps: screening, overview, partners")
    written += write_screening(dataset, results, out, assets="assets")
    save_map(overview_map(dataset, results, dossiers="dossiers"), out / "kaart_overzicht.html", assets="assets")
    written.append("kaart_overzicht.html")
    written += write_partners(dataset, results, out, assets="assets")
    say("tables and maps: spread, progress, portfolio per scenario")
    written += write_spread(dataset, results, out)
    if results.portfolio is not None:
        written += write_portfolio(dataset, results, out, assets="assets")
    if (out / "assets" / SHARED_DATA).is_file():
        written.append(f"assets/{SHARED_DATA}")
    say("figures for print (PNG, PDF)")
    prints = [p.name for p in write_print_figures(dataset, results, out / "afdruk")]
    say("report and dossiers")
    csvs = sorted(f for f in written if f.endswith((".csv", ".txt", ".gpkg")))
    notes = [*results.screening.notes, *results.partners.notes]
    pack = build_pack(dataset, results, out, maps=_maps(results), prints=prints, csvs=csvs, notes=notes,
                      open_data=open_data)  # fmt: skip
    written += [f for f in pack.files if not f.startswith("dossiers/")] + [f"afdruk/{p}" for p in prints]
    dossiers = tuple(f for f in pack.files if f.startswith("dossiers/"))
    return PackFiles(out, tuple(written), dossiers)
