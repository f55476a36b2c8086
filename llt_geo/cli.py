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


def _file_names(ds) -> None:
    """Add a warning per candidate id or scenario name that cannot be a file name as it is (its dossier or
    files get another name: :mod:`llt_geo.filenames`), so ``validate`` and ``validatie.txt`` say so."""
    from .filenames import file_name_problems

    ds.problems.extend(p for p in file_name_problems(ds) if p not in ds.problems)


def _validate(args: argparse.Namespace) -> int:
    from .io import validate_dataset

    ds = validate_dataset(args.folder)
    _file_names(ds)
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


def _check_open_data(folder: str | None) -> tuple[str, list] | None:
    """``run --open-data``: the cache's provenance, checked before the job starts (a wrong folder stops it)."""
    if not folder:
        return None
    from .io.opendata.fetch import check_cache

    checked = check_cache(folder)
    bad = [c for c in checked if c.state != "ok"]
    text = f"Open data: {len(checked)} files recorded in {Path(folder) / 'herkomst.json'}"
    print(text + (f"; {len(bad)} changed or missing since they were fetched (see the report)" if bad else ""))
    for c in bad:
        print(f"Warning: open-data file {c.record.get('path')} is {c.state} since it was fetched", file=sys.stderr)
    return (Path(folder).name or str(folder), checked)


def _say_screening(results) -> None:
    from .labels import describe_counts

    s = results.screening
    counts = s.counts
    total = counts.set_index("status").loc["total"]
    n_open = int(counts.loc[counts["status"] == "candidate", "candidates"].sum())
    kind = "along the walking network" if results.network else "straight-line"
    print(f"Screening (distances {kind}): {describe_counts(counts, language='en', outcomes=True)}")
    print(
        f"toets_kandidaten.csv: {int(total['candidates'])} rows for {int(total['flats'])} flats = {n_open} open "
        f"candidates + {int(total['candidates']) - n_open} not open (column open_candidate; "
        "counts per status in toets_aantallen.csv)"
    )
    for note in s.notes:
        print(f"Note: {note}")
    if s.access_note:
        print(f"Note: {s.access_note}")


def _say_partners(results) -> None:
    a = results.partners.assignment
    print(
        f"Partners: {int(a['provider_id'].notna().sum())} of {len(a)} candidates have a voorkeursaanbieder "
        f"({int(a['capacity_forced'].sum())} not their first choice because of capacity); "
        f"{int(a['welfare_id'].notna().sum())} have a welfare organisation; "
        f"{int(a['consent'].eq(False).fillna(False).sum())} lack the corporation's consent"
    )
    for note in results.partners.notes:
        print(f"Note: {note}")


def _say_portfolio(results) -> None:
    from .labels import nl_number

    print(f"Progress: {results.progress_nl}")
    sp = results.spread
    print(
        f"Spread: coverage of residents 65+ within {sp.distance_m:g} m {sp.coverage:.1%}; "
        f"dissimilarity over the stadsdelen {sp.dissimilarity:.3f}"
    )
    if results.portfolio is None:
        print("Note: no portfolio: [programme] budget_eur is not set in llt_geo.toml")
        return
    for _, row in results.portfolio.comparison.iterrows():
        cost = nl_number(row["cost_eur"])
        print(
            f"Portfolio '{row['scenario']}': {row['status']}, {row['flats_chosen']} flats, cost € {cost}"
            + (f" — {row['explanation_nl']}" if row["explanation_nl"] else "")
        )


def _run(args: argparse.Namespace) -> int:
    """The main job: ``load_dataset`` -> ``run`` -> ``write_pack`` (every table, map, printed figure,
    dossier and the report, in one folder: the pack)."""
    from .io import load_dataset
    from .pipeline import run
    from .present.pack import write_pack

    open_data = _check_open_data(getattr(args, "open_data", None))
    step = _Steps(6)
    step("reading and validating the data")
    ds = load_dataset(args.folder)
    _file_names(ds)
    step("analysis: screening (3.1), partners (2.2-2.4, 3.2, 4), spread, progress, portfolio per scenario")
    results = run(ds, network=args.network)
    _say_screening(results)
    _say_partners(results)
    _say_portfolio(results)
    pack = write_pack(ds, results, args.out, open_data=open_data, step=step)
    print(f"{ds.label}\nFlats: {len(ds.flats)}; written to {pack.out}/: {', '.join(pack.files)}, "
          f"and {len(pack.dossiers)} dossiers")  # fmt: skip
    print(f"Stuurgroep pack: {pack.size_bytes / 1e6:.1f} MB. Open {(pack.out / 'index.html').resolve()} in a browser "
          "(works offline).")  # fmt: skip
    if (pack.out / "verkenning.html").is_file():
        print(f"Verkenning (move the budget and the rules, solved again in the browser): open "
              f"{(pack.out / 'verkenning.html').resolve()}")  # fmt: skip
    return 0


def _one_step(until: str):
    """A subcommand that loads a folder, runs the analysis as far as it needs and writes that step's outputs."""

    def write(ds, results, out: Path) -> list[str]:
        from .present import pack

        if until == "screening":
            _say_screening(results)
            return pack.write_screening(ds, results, out)
        if until == "partners":
            _say_partners(results)
            return pack.write_partners(ds, results, out)
        written = pack.write_spread(ds, results, out, chart=True)
        _say_portfolio(results)
        if results.portfolio is None:  # the one-step command needs the budget: name what is missing
            from .portfolio import run_portfolio

            run_portfolio(ds, results.screening, results.partners)
        return written + pack.write_portfolio(ds, results, out)

    def main_(args: argparse.Namespace) -> int:
        from .io import load_dataset
        from .pipeline import run

        ds = load_dataset(args.folder)
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        results = run(ds, network=args.network, until=until)
        written = write(ds, results, out)
        print(f"{ds.label}\nwritten to {out}/: {', '.join(written)}")
        return 0

    return main_


_screen = _one_step("screening")
_partners = _one_step("partners")
_portfolio = _one_step("portfolio")


def _make_demo(args: argparse.Namespace) -> int:
    from .demo import DEMO_SEED, generate_demo

    folder = generate_demo(
        args.folder, seed=args.seed if args.seed is not None else DEMO_SEED, real_data=args.real_data
    )
    print(f"Fictional demo dataset written to {folder}")
    return 0


def _data_fetch(args: argparse.Namespace) -> int:
    """``llt-geo data fetch``: one line per file, every failure with its fix, exit 1 on any failure."""
    from .io.opendata.fetch import default_cache, fetch

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

    from .io.opendata import bag as bag_mod
    from .io.opendata import buildings3d

    if not (args.bag or args.tiles or args.buildings):
        raise InputError.one(
            "discover",
            "no building data given",
            fix="give --bag (BAG UVA2 folder or GeoPackage), --tiles (3D Amsterdam tiles) or --buildings FILE",
        )
    if args.buildings and (args.bag or args.tiles):
        raise InputError.one(
            "discover",
            "--buildings cannot be combined with --bag or --tiles",
            fix="give a ready building table, or the BAG and/or the 3D tiles",
        )
    if args.buildings:
        path = Path(args.buildings)
        if not path.exists():
            raise InputError.one(path.name, f"file not found: {path}", fix="check the path")
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
    from .discovery import DISCOVERY_NL, discover_candidates
    from .io import load_dataset
    from .present.discovery import write_discovery
    from .present.maps import save_map, screening_map
    from .results import Results

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
        save_map(screening_map(ds, Results(found.screening)), out / "kaart_ontdekking.html")
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
