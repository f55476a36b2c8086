"""The ``llt-geo`` command: thin subcommands over the package.

``llt-geo validate FOLDER``   print every problem in a dataset folder; exit 1 if any is an error
``llt-geo run FOLDER --out D`` the main job on a dataset: validate, overview, screening, partners, maps
``llt-geo screen FOLDER --out D`` screening (3.1) only: CSV, GeoPackage and map
``llt-geo partners FOLDER --out D`` partner choice (2.2-2.4, 3.2, 4): CSV, explanation, map
``llt-geo portfolio FOLDER --out D`` the flats to fund under the budget, per scenario: CSV, maps
``llt-geo discover FOLDER --bag B --tiles T --buildings F --out D`` candidate discovery from building data
``llt-geo make-demo FOLDER``  (re)generate the fictional demo dataset
``llt-geo data fetch``         the open data into a local cache, with provenance (docs/fetch.md)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import InputError, Problem

__all__ = ["main"]


def _print_problems(problems: list[Problem], out) -> None:
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for title, group in (("ERRORS", errors), ("WARNINGS", warnings)):
        if group:
            print(f"{title} ({len(group)}):", file=out)
            for p in group:
                print(f"  - {p}", file=out)


def _validate(args: argparse.Namespace) -> int:
    from .io import validate_dataset

    ds = validate_dataset(args.folder)
    _print_problems(ds.problems, sys.stdout)
    counts = ds.row_counts
    print("\nTables (rows read = rows used + rows reported):")
    print(counts.to_string())
    if ds.is_fictional:
        print(f"\nNote: {ds.label}")
    n_err = len(ds.errors)
    print(f"\n{n_err} error(s), {len(ds.warnings)} warning(s) in {args.folder}")
    return 1 if n_err else 0


class _Steps:
    """One line per step of the main job (``[3/8] partner choice``), flushed at once, so a user sees what
    is happening during the steps that take a moment."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0

    def __call__(self, text: str) -> None:
        self.done += 1
        print(f"[{self.done}/{self.total}] {text}", flush=True)


def _run(args: argparse.Namespace) -> int:
    """The main job: every table, map, printed figure, dossier and the report, in one folder (the pack)."""
    from .export import write_csv
    from .io import load_dataset
    from .maps import overview_map, save_map
    from .report import build_pack
    from .screening import screen

    open_data = None
    if getattr(args, "open_data", None):  # checked first: a wrong folder stops the job before it starts
        from .opendata.fetch import check_cache

        checked = check_cache(args.open_data)
        open_data = (Path(args.open_data).name or str(args.open_data), checked)
        bad = [c for c in checked if c.state != "ok"]
        text = f"Open data: {len(checked)} files recorded in {Path(args.open_data) / 'herkomst.json'}"
        print(text + (f"; {len(bad)} changed or missing since they were fetched (see the report)" if bad else ""))
        for c in bad:
            print(f"Warning: open-data file {c.record.get('path')} is {c.state} since it was fetched", file=sys.stderr)
    step = _Steps(7)
    step("reading and validating the data")
    ds = load_dataset(args.folder)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lines = [ds.label, ""]
    lines += [str(p) for p in ds.problems] or ["No problems found."]
    (out / "validatie.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    label = ds.output_label
    write_csv(ds.summary().reset_index(), out / "overzicht_tabellen.csv", label=label)
    step("screening (3.1)")
    result = screen(ds, network=args.network)
    kept: dict = {}
    written = ["validatie.txt", "overzicht_tabellen.csv"]
    written += _write_screening(ds, out, network=args.network, result=result, assets="assets")
    step("overview map")
    save_map(overview_map(ds, result, dossiers="dossiers"), out / "kaart_overzicht.html", assets="assets")
    written.append("kaart_overzicht.html")
    step("partner choice (2.2-2.4, 3.2, 4)")
    written += _write_partners(ds, out, network=args.network, screening=result, assets="assets", keep=kept)
    step("spread, progress and the portfolio per scenario")
    if float(ds.config["programme"]["budget_eur"]) > 0:
        written += _write_portfolio(ds, out, network=args.network, screening=result, assets="assets", keep=kept)
    else:
        written += _write_spread(ds, out, screening=result, keep=kept)
        print("Note: no portfolio: [programme] budget_eur is not set in llt_geo.toml")
    step("figures for print (PNG, PDF)")
    from .plots import write_print_figures

    prints = [p.name for p in write_print_figures(ds, result, kept.get("portfolio"), out / "afdruk")]
    step("report and dossiers")
    maps = [("kaart_overzicht.html", "Overzicht: stadsdelen, wijken (aandeel 65+), focusgebieden, flats per status"),
            ("kaart_toets.html", "Toets geschiktheid flats (3.1), met de criteria per flat"),
            ("kaart_partners.html", "Keuze voorkeursaanbieder zorg en welzijnsorganisatie (2.2-2.4, 4)")]  # fmt: skip
    if kept.get("portfolio") is not None:
        maps += [(f"kaart_portefeuille_{n}.html", f"Portefeuille, scenario {n}") for n in kept["portfolio"].scenarios]
    csvs = sorted(f for f in written if f.endswith((".csv", ".txt", ".gpkg")))
    notes = [*result.notes, *kept["choice"].notes]
    pack = build_pack(
        ds, out, screening=result, choice=kept["choice"], portfolio=kept.get("portfolio"), spread=kept.get("spread"),
        progress=kept.get("progress"), maps=maps, prints=prints, csvs=csvs, notes=notes, open_data=open_data,
    )  # fmt: skip
    written += [f for f in pack.files if not f.startswith("dossiers/")] + [f"afdruk/{p}" for p in prints]
    n_dossiers = sum(f.startswith("dossiers/") for f in pack.files)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"{ds.label}\nFlats: {len(ds.flats)}; written to {out}/: {', '.join(written)}, and {n_dossiers} dossiers")
    print(f"Stuurgroep pack: {size / 1e6:.1f} MB. Open {(out / 'index.html').resolve()} in a browser (works offline).")
    return 0


def _dossiers(assets: str | None) -> str | None:
    """The dossiers folder a map links to: only in the stuurgroep pack (whose maps share ``assets``)."""
    return "dossiers" if assets else None


def _write_screening(ds, out: Path, *, network: str | None = None, result=None, assets: str | None = None) -> list[str]:
    from .export import write_csv, write_gpkg
    from .maps import save_map, screening_map
    from .screening import describe_counts, screen

    if result is None:
        result = screen(ds, network=network)
    label = ds.output_label
    counts = result.counts
    write_csv(result.criteria, out / "toets_criteria.csv", label=label)
    write_csv(result.candidates, out / "toets_kandidaten.csv", label=label)
    write_csv(counts, out / "toets_aantallen.csv", label=label)
    flats = result.flats.join(result.provider_distance_m.add_prefix("afstand_locatie_"))
    write_csv(flats, out / "toets_flats.csv", label=label)
    write_gpkg({"kandidaten": result.candidates, "flats": flats}, out / "toets.gpkg", label=label)
    # in the pack (maps sharing its assets folder) every popup links to the candidate's dossier
    save_map(screening_map(ds, result, dossiers=_dossiers(assets)), out / "kaart_toets.html", assets=assets)
    total = counts.set_index("status").loc["total"]
    n_open = int(counts.loc[counts["status"] == "candidate", "candidates"].sum())
    print(
        f"Screening (distances {'along the walking network' if network else 'straight-line'}): "
        f"{describe_counts(counts, language='en', outcomes=True)}"
    )
    print(
        f"toets_kandidaten.csv: {int(total['candidates'])} rows for {int(total['flats'])} flats = {n_open} open "
        f"candidates + {int(total['candidates']) - n_open} not open (column open_candidate; "
        "counts per status in toets_aantallen.csv)"
    )
    for note in result.notes:
        print(f"Note: {note}")
    if result.access_note:
        print(f"Note: {result.access_note}")
    return [
        "toets_criteria.csv",
        "toets_kandidaten.csv",
        "toets_aantallen.csv",
        "toets_flats.csv",
        "toets.gpkg",
        "kaart_toets.html",
    ]


def _write_partners(
    ds, out: Path, *, network: str | None = None, screening=None, assets: str | None = None, keep: dict | None = None
) -> list[str]:
    from .export import write_csv
    from .maps import partners_map, save_map
    from .partners import ASPECTS, choose_partners, explain_choice
    from .screening import screen

    screening = screening if screening is not None else screen(ds, network=network)
    choice = choose_partners(ds, screening)
    if keep is not None:
        keep["choice"] = choice
    label = ds.output_label
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
    weights = {k: float(ds.config["care"][key]) for k, (key, _n, _s) in ASPECTS.items()}
    text = [ds.label, "", "Keuze van de partners per kandidaat (Toewijzingskader 2.2-2.4, 3.2, 4)", ""]
    for cid in choice.assignment["candidate_id"]:
        text += [explain_choice(choice, cid, weights), ""]
    (out / "partners_toelichting.txt").write_text("\n".join(text), encoding="utf-8")
    m = partners_map(ds, screening, choice, dossiers=_dossiers(assets))
    save_map(m, out / "kaart_partners.html", assets=assets)
    a = choice.assignment
    print(
        f"Partners: {int(a['provider_id'].notna().sum())} of {len(a)} candidates have a voorkeursaanbieder "
        f"({int(a['capacity_forced'].sum())} not their first choice because of capacity); "
        f"{int(a['welfare_id'].notna().sum())} have a welfare organisation; "
        f"{int(a['consent'].eq(False).fillna(False).sum())} lack the corporation's consent"
    )
    for note in choice.notes:
        print(f"Note: {note}")
    return [*files, "partners_toelichting.txt", "kaart_partners.html"]


def _write_spread(ds, out: Path, *, screening, keep: dict | None = None) -> list[str]:
    from .export import write_csv
    from .plots import progress_chart
    from .spread import in_dutch, progress_summary, progress_table, spread_report

    report = spread_report(screening, ds)
    label = ds.output_label
    write_csv(in_dutch(report.stadsdelen), out / "spreiding_stadsdelen.csv", label=label)
    write_csv(in_dutch(report.wijken), out / "spreiding_wijken.csv", label=label)
    write_csv(in_dutch(report.city), out / "spreiding_stad.csv", label=label)
    table = progress_table(screening.flats, ds.config)
    write_csv(in_dutch(table), out / "voortgang.csv", label=label)
    written = ["spreiding_stadsdelen.csv", "spreiding_wijken.csv", "spreiding_stad.csv", "voortgang.csv"]
    if keep is not None:  # the main job: the chart goes to afdruk/ with the other printed figures
        keep["spread"], keep["progress"] = report, table
    else:
        fig = progress_chart(
            table,
            title=f"Voortgang naar {ds.config['programme']['goal_flats']} in "
            f"{ds.config['programme']['goal_year']} — {ds.label}",
        )
        fig.savefig(out / "voortgang.png", dpi=120, metadata={"Software": None})
        written.append("voortgang.png")
    print(f"Progress: {progress_summary(table)}")
    print(
        f"Spread: coverage of residents 65+ within {report.distance_m:g} m {report.coverage:.1%}; "
        f"dissimilarity over the stadsdelen {report.dissimilarity:.3f}"
    )
    return written


def _write_portfolio(
    ds, out: Path, *, network: str | None = None, screening=None, assets: str | None = None, keep: dict | None = None
) -> list[str]:
    from .export import write_csv
    from .maps import portfolio_map, save_map
    from .portfolio import run_portfolio
    from .screening import screen

    screening = screening if screening is not None else screen(ds, network=network)
    pf = run_portfolio(ds, screening, keep.get("choice") if keep else None)
    if keep is not None:
        keep["portfolio"] = pf
    label = ds.output_label
    written = _write_spread(ds, out, screening=screening, keep=keep)
    write_csv(pf.comparison, out / "portefeuille_scenarios.csv", label=label)
    write_csv(pf.candidates, out / "portefeuille_kandidaten.csv", label=label)
    written += ["portefeuille_scenarios.csv", "portefeuille_kandidaten.csv"]
    text = [ds.label, "", "Portefeuille onder het subsidiebudget (Inleiding, 3.1), per scenario", ""]
    for name, s in pf.scenarios.items():
        write_csv(s["reasons"], out / f"portefeuille_{name}.csv", label=label)
        m = portfolio_map(ds, screening, s, name, dossiers=_dossiers(assets))
        save_map(m, out / f"kaart_portefeuille_{name}.html", assets=assets)
        written += [f"portefeuille_{name}.csv", f"kaart_portefeuille_{name}.html"]
        r = s["result"]
        text.append(f"Scenario {name}:")
        if r.status == "infeasible":
            text.append("  " + s["explanation"])
        else:
            cost = f"{r.chosen['cost'].sum():,.0f}".replace(",", ".")
            chosen = ", ".join(sorted(r.chosen["candidate_id"]))
            text.append(f"  {len(r.chosen)} flats gekozen ({r.status}; kosten € {cost}): {chosen}")
        text.append("")
    (out / "portefeuille_uitleg.txt").write_text("\n".join(text), encoding="utf-8")
    written.append("portefeuille_uitleg.txt")
    for _, row in pf.comparison.iterrows():
        cost = f"{row['cost_eur']:,.0f}".replace(",", ".")
        print(
            f"Portfolio '{row['scenario']}': {row['status']}, {row['flats_chosen']} flats, cost € {cost}"
            + (f" — {row['explanation_nl']}" if row["explanation_nl"] else "")
        )
    return written


def _one_step(write):
    """A subcommand that loads a folder and writes one step's outputs (``write(ds, out, network=)``)."""

    def run(args: argparse.Namespace) -> int:
        from .io import load_dataset

        ds = load_dataset(args.folder)
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        written = write(ds, out, network=args.network)
        print(f"{ds.label}\nwritten to {out}/: {', '.join(written)}")
        return 0

    return run


_screen = _one_step(_write_screening)
_partners = _one_step(_write_partners)
_portfolio = _one_step(_write_portfolio)


def _make_demo(args: argparse.Namespace) -> int:
    from .demo import DEMO_SEED, generate_demo

    folder = generate_demo(
        args.folder, seed=args.seed if args.seed is not None else DEMO_SEED, real_data=args.real_data
    )
    print(f"Fictional demo dataset written to {folder}")
    return 0


def _data_fetch(args: argparse.Namespace) -> int:
    """``llt-geo data fetch``: one line per file, every failure with its fix, exit 1 on any failure."""
    from .opendata.fetch import default_cache, fetch

    cache = Path(args.cache) if args.cache else default_cache()
    where = f"from the mirror {args.mirror}" if args.mirror else (f"from {args.base_url}" if args.base_url else "")
    print(f"Fetching open data into {cache.resolve()} {where}".rstrip(), flush=True)
    report = fetch(
        cache, keys=args.only, mirror=args.mirror, base_url=args.base_url, timeout=args.timeout, force=args.force,
        accept_changed=args.accept_changed, progress=lambda r: print(r.line(), flush=True),
    )  # fmt: skip
    counts = report.counts()
    words = ("opgehaald", "gekopieerd", "al aanwezig", "overgeslagen", "mislukt")
    summary = ", ".join(f"{n} {word}" for word, n in zip(words, counts.values(), strict=True) if n)
    print(f"{summary or 'no files'}. Cache: {cache.resolve()}; provenance: {report.record_file.resolve()}")
    if not report.ok:
        _print_problems(report.problems, sys.stderr)
        print(f"{len(report.problems)} file(s) failed; the others are in the cache.", file=sys.stderr)
        return 1
    return 0


def _buildings(args: argparse.Namespace) -> tuple:
    """The building table of ``discover`` from a BAG extract, 3D tiles or a ready table; its notes."""
    import geopandas as gpd

    from .opendata import bag as bag_mod
    from .opendata import buildings3d

    if not (args.bag or args.tiles or args.buildings):
        raise InputError(
            [
                Problem(
                    "error",
                    "discover",
                    None,
                    "no building data given",
                    fix="give --bag (BAG UVA2 folder or GeoPackage), --tiles (3D Amsterdam tiles) or --buildings FILE",
                )
            ]
        )
    if args.buildings and (args.bag or args.tiles):
        raise InputError(
            [
                Problem(
                    "error",
                    "discover",
                    None,
                    "--buildings cannot be combined with --bag or --tiles",
                    fix="give a ready building table, or the BAG and/or the 3D tiles",
                )
            ]  # fmt: skip
        )
    if args.buildings:
        path = Path(args.buildings)
        if not path.exists():
            raise InputError([Problem("error", path.name, None, f"file not found: {path}", fix="check the path")])
        table = gpd.read_parquet(path) if path.suffix.lower() == ".parquet" else gpd.read_file(path)
        return table, [], [f"{path.name}: {len(table)} buildings"]
    bag = bag_mod.read_bag(args.bag) if args.bag else None
    notes, lines = [], []
    if bag is not None:
        notes += bag.problems
        lines.append(f"BAG {Path(args.bag).name}: {len(bag.buildings)} panden with dwellings counted")
    if args.tiles:
        tiles = buildings3d.read_3d_tiles(args.tiles, bag=bag)
        notes += tiles.problems
        src = tiles.buildings["dwellings_source"].value_counts()
        lines.append(
            f"3D tiles {Path(args.tiles).name}: {len(tiles.buildings)} panden "
            f"({int(src.get('bag_count', 0))} counted, {int(src.get('estimate', 0))} estimated, "
            f"{int(src.get('unknown', 0))} without a figure)"
        )
        return tiles.buildings, notes, lines
    return bag.buildings, notes, lines


def _discover(args: argparse.Namespace) -> int:
    """Candidate discovery: every building that could meet the size criterion, screened like the register."""
    from .discovery import DISCOVERY_NL, discover_candidates, write_discovery
    from .io import load_dataset
    from .maps import save_map, screening_map

    ds = load_dataset(args.folder)
    buildings, notes, lines = _buildings(args)
    for line in lines:
        print(line)
    found = discover_candidates(
        buildings,
        stadsdelen=ds.stadsdelen,
        wijken=ds.wijken,
        buurten=ds.buurten,
        focus_areas=ds.focus_areas,
        intramural_sites=ds.intramural_sites,
        amenities=ds.amenities,
        config=ds.config,
        register=None if args.no_register else ds.flats,
    )
    out = Path(args.out)
    written = write_discovery(found, out, label=ds.output_label)
    if found.screening is not None:
        save_map(screening_map(ds, found.screening), out / "kaart_ontdekking.html")
        written.append("kaart_ontdekking.html")
    counts = found.buildings["discovery"].value_counts()
    print(f"{len(found.buildings)} buildings: " + "; ".join(
        f"{int(counts[k])} {DISCOVERY_NL[k]}" for k in DISCOVERY_NL if k in counts
    ))  # fmt: skip
    print(f"{len(found.candidates)} candidates screened; written to {out}/: {', '.join(written)}")
    for note in [*notes, *found.notes]:
        print(f"Note: {note}")
    if ds.is_fictional:
        print(f"Note: {ds.label}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``llt-geo``; returns the exit code."""
    parser = argparse.ArgumentParser(prog="llt-geo", description="Lang Leven Thuisflats: screening and choice.")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks for internal errors")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check a dataset folder and print every problem")
    p.add_argument("folder")
    p.set_defaults(func=_validate)
    p = sub.add_parser("run", help="the main job on a dataset folder")
    p.add_argument("folder", nargs="?", default="data/demo")
    p.add_argument("--out", default="out/demo")
    p.add_argument(
        "--network",
        default=None,
        help="walking network for network distances: GraphML, or a GeoPackage edge list (.gpkg)",
    )
    p.add_argument(
        "--open-data", default=None, metavar="DIR",
        help="the cache of llt-geo data fetch the data was derived from: the report lists its files with their "
        "provenance and warns when one changed",
    )  # fmt: skip
    p.set_defaults(func=_run)
    p = sub.add_parser("screen", help="screen flats (3.1): criteria, groups, areas, proximity; CSV, GeoPackage, map")
    p.add_argument("folder")
    p.add_argument("--out", default="out/screening")
    p.add_argument(
        "--network",
        default=None,
        help="walking network for network distances: GraphML, or a GeoPackage edge list (.gpkg)",
    )
    p.set_defaults(func=_screen)
    p = sub.add_parser(
        "partners", help="choose the voorkeursaanbieder zorg and welfare organisation per flat (2.2-2.4, 3.2, 4)"
    )
    p.add_argument("folder")
    p.add_argument("--out", default="out/partners")
    p.add_argument(
        "--network",
        default=None,
        help="walking network for network distances: GraphML, or a GeoPackage edge list (.gpkg)",
    )
    p.set_defaults(func=_partners)
    p = sub.add_parser("portfolio", help="choose the flats to fund under the budget, per scenario (Inleiding, 3.1)")
    p.add_argument("folder")
    p.add_argument("--out", default="out/portfolio")
    p.add_argument(
        "--network",
        default=None,
        help="walking network for network distances: GraphML, or a GeoPackage edge list (.gpkg)",
    )
    p.set_defaults(func=_portfolio)
    p = sub.add_parser("discover", help="find buildings that could become a Lang Leven Thuisflat and screen them (3.1)")
    p.add_argument("folder", help="the data folder: areas, intramural sites, amenities, configuration, flat register")
    p.add_argument(
        "--bag", default=None, metavar="PATH", help="BAG extract: a folder of UVA2 files or the BAG GeoPackage"
    )
    p.add_argument("--tiles", default=None, metavar="PATH",
                   help="3D Amsterdam tiles (folder or file); dwellings counted (--bag) or estimated")  # fmt: skip
    p.add_argument("--buildings", default=None, metavar="FILE",
                   help="a ready building table (GeoPackage, GeoJSON or GeoParquet; docs/discovery.md)")  # fmt: skip
    p.add_argument("--no-register", action="store_true",
                   help="do not match buildings to the folder's flat register (e.g. a fictional register)")  # fmt: skip
    p.add_argument("--out", default="out/ontdekking")
    p.set_defaults(func=_discover)
    p = sub.add_parser("make-demo", help="(re)generate the fictional demo dataset")
    p.add_argument("folder", nargs="?", default="data/demo")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument(
        "--real-data", default=None, metavar="DIR",
        help="the publishers' files the real areas are derived from (e.g. the cache of llt-geo data fetch); "
        "default $LLT_GEO_REAL_DATA or ../shared/data/real, else the committed area files",
    )  # fmt: skip
    p.set_defaults(func=_make_demo)
    p = sub.add_parser("data", help="the open data: fetch it into a local cache with provenance (docs/fetch.md)")
    data_sub = p.add_subparsers(dest="data_command", required=True)
    p = data_sub.add_parser(
        "fetch",
        help="download the open data (or copy it from a mirror) into a cache, with a provenance record per file",
    )
    p.add_argument(
        "--cache", default=None, metavar="DIR", help="the cache folder (default $LLT_GEO_OPEN_DATA or ./open-data)"
    )
    p.add_argument("--from", dest="mirror", default=None, metavar="DIR",
                   help="copy from a local mirror (layout of ../shared/data/real) instead of downloading")  # fmt: skip
    p.add_argument("--only", nargs="+", action="extend", default=None, metavar="KEY",
                   help="fetch only these catalogue keys (docs/fetch.md lists them)")  # fmt: skip
    p.add_argument("--base-url", default=None, metavar="URL",
                   help="download BASE_URL/<path> instead of each file's own URL (an HTTP mirror)")  # fmt: skip
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a server (default 60)")
    p.add_argument("--force", action="store_true", help="fetch every file again, also those already present")
    p.add_argument("--accept-changed", action="store_true",
                   help="keep a file whose SHA-256 is not the tested version's (the report says so)")  # fmt: skip
    p.set_defaults(func=_data_fetch)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print("ERRORS:" if len(exc.problems) > 1 else "ERROR:", file=sys.stderr)
        _print_problems(exc.problems, sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"Internal error in llt-geo: {type(exc).__name__}: {exc}\n"
            "This is a bug in llt-geo, not in your data; run again with --debug and report it.",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
