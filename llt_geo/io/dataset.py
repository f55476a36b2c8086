"""Reading, stage 5 of 5 -- dataset: a folder of tables, checked together, as a :class:`Dataset`.

:func:`find_table_file` finds each table's file (the ``[files]`` entry of the configuration or a
known file name). :func:`validate_dataset` reads every table with
:func:`~llt_geo.io.tables.read_table` and then checks across tables: area codes and their parents,
age figures, the flat register, flats outside every stadsdeel, implausible values and references
to rows that do not exist. Rows that refer to a row left out are left out too (:func:`_cascade`),
and every row is accounted for: read, used or reported (:func:`_row_counts`, in
``Dataset.row_counts``). :func:`load_dataset` raises every error together, or with
``on_error="drop"`` leaves the rows with errors out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..config import CONFIG_FILE, Config, dataset_problems, load_config
from ..errors import InputError, Problem
from ..progress import progress
from ..schema import TABLES, Table, normalise_header
from .formats import _PARQUET_EXTENSIONS, EXTENSIONS
from .locations import CRS_RD
from .tables import read_table
from .values import how_ids_differ, id_skeletons, shown_id


@dataclass
class Dataset:
    """Every input table, validated, in EPSG:28992, with the configuration.

    Attributes
    ----------
    folder : Path
        Where the data came from.
    config : Config
        Defaults merged with the folder's ``llt_geo.toml``.
    tables : dict of str to DataFrame
        Canonical tables by name (see :data:`llt_geo.schema.TABLES`); an optional table that is
        absent is an empty frame with the canonical columns.
    files : dict of str to str
        The file each table was read from (absent tables are missing here).
    problems : list of Problem
        Every error and warning found.
    row_counts : DataFrame
        Per table: rows read, rows used, rows reported (left out because of an error);
        ``rows_in == rows_used + rows_reported`` always.
    sources : DataFrame
        Every file read, as it was when it was read: ``table`` (empty for the configuration file),
        ``file``, ``modified`` (the file's date, UTC, ISO) and ``sha256``; the report's
        verantwoording shows it, so no output reads the inputs again.
    """

    folder: Path
    config: Config
    tables: dict[str, pd.DataFrame]
    files: dict[str, str]
    problems: list[Problem]
    row_counts: pd.DataFrame
    sources: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["table", "file", "modified", "sha256"])
    )

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of severity ``warning``."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def is_fictional(self) -> bool:
        """True when the configuration marks the data as fictional (the demo)."""
        return bool(self.config["dataset"]["fictional"])

    @property
    def label(self) -> str:
        """A one-line Dutch label for maps and reports, with the fictional-data notice if any."""
        name = self.config["dataset"]["name"]
        notice = self.config["dataset"]["notice"]
        if self.is_fictional and not notice:
            notice = "FICTIEVE DEMODATA — geen echte flats, aanbieders of bewoners"
        return f"{name} — {notice}" if notice else name

    @property
    def output_label(self) -> str:
        """The label written into output files: :attr:`label` when the data is fictional or has a
        notice, else empty (real data needs no banner in every CSV)."""
        return self.label if self.is_fictional or self.config["dataset"]["notice"] else ""

    @property
    def peildatum(self) -> str:
        """The date the data describes (ISO): ``[report] peildatum``, else ``[validation] today``,
        else the modification date of the newest input file (UTC)."""
        from datetime import UTC, datetime

        for section, key in (("report", "peildatum"), ("validation", "today")):
            if self.config[section][key]:
                return str(self.config[section][key])
        times = [Path(self.folder, f).stat().st_mtime for f in self.files.values() if Path(self.folder, f).exists()]
        return datetime.fromtimestamp(max(times), tz=UTC).date().isoformat() if times else ""

    def summary(self) -> pd.DataFrame:
        """One row per table: file, rows read, used, reported, errors and warnings."""
        counts = defaultdict(lambda: [0, 0])
        for p in self.problems:
            counts[p.table][0 if p.severity == "error" else 1] += 1
        out = self.row_counts.copy()
        out["errors"] = [counts[t][0] for t in out.index]
        out["warnings"] = [counts[t][1] for t in out.index]
        return out


def find_table_file(folder: str | Path, table: str | Table, config: Config | None = None) -> Path | None:
    """The file a table is read from: the ``[files]`` entry, or the first ``<stem>.<ext>`` present.

    Raises
    ------
    InputError
        When ``[files]`` names a file that does not exist, or two candidate files exist.
    """
    folder = Path(folder)
    spec = TABLES[table] if isinstance(table, str) else table
    files = (config or load_config(folder))["files"]
    if spec.name in files:
        path = (folder / files[spec.name]).resolve()
        if not path.exists():
            raise InputError.one(
                CONFIG_FILE,
                f'[files] {spec.name} = "{files[spec.name]}": no such file',
                fix=f"check the name; paths are relative to {folder}",
            )
        return path
    # file names match without regard to case, spaces and dashes ("Woningregister 2026.xlsx" does not
    # match, but "Woningregister.XLSX" and "flat-clients.csv" do)
    wanted = {normalise_header(stem) for stem in spec.file_stems}
    folders = sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and p.suffix.lower() in EXTENSIONS and normalise_header(p.stem) in wanted
    )
    if folders:
        raise InputError.one(
            folders[0].name,
            f"is a folder, not a file (it is named like the {spec.name} table)",
            fix=f"put the {spec.name} file itself in {folder.name}, not a folder of that name (an unzipped archive?)",
            table=spec.name,
        )
    found = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in EXTENSIONS and normalise_header(p.stem) in wanted
    )
    if len(found) > 1:
        raise InputError.one(
            found[1].name,
            f"the {spec.name} table is found in more than one file: " + ", ".join(p.name for p in found),
            fix=f"keep one, or name it in {CONFIG_FILE} under [files]",
        )
    return found[0] if found else None


def _empty_table(spec: Table) -> pd.DataFrame:
    dtypes = {
        "int": "Int64",
        "year": "Int64",
        "float": "Float64",
        "money": "Float64",
        "share": "Float64",
        "yesno": "boolean",
    }
    frame = pd.DataFrame({c.name: pd.Series(dtype=dtypes.get(c.kind, "string")) for c in spec.columns})
    if spec.geometry:
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS_RD), crs=CRS_RD)
    return frame


@dataclass
class _Found:
    """What validation found, shared by the cross-table checks: the tables, their files, row
    numbers and row nouns, the rows with errors, and the problems."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    rows: dict[str, np.ndarray] = field(default_factory=dict)
    nouns: dict[str, str] = field(default_factory=dict)
    bad: dict[str, np.ndarray] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> column -> header as typed

    def header(self, name: str, column: str | None) -> str | None:
        """The header a column has in the user's file (the canonical name when it was absent)."""
        return self.headers.get(name, {}).get(column, column) if column else column

    def report(
        self,
        name: str,
        mask: np.ndarray,
        column: str | None,
        message: str,
        values: Any = None,
        fix: str = "",
        severity: str = "error",
    ) -> None:
        """Report the rows of a table where ``mask`` holds; an error also marks them bad."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        vals = () if values is None else tuple(str(v) for v in np.asarray(values, dtype=object)[mask])
        error = severity == "error"
        self.problems.append(
            Problem(
                severity,
                self.files[name],
                self.header(name, column),
                message,
                tuple(self.rows[name][mask].tolist()),
                vals,
                fix,
                self.nouns[name],
                name,
                tuple(np.flatnonzero(mask).tolist()) if error else (),
            )
        )
        if error:
            self.bad[name] |= mask

    def references(self):
        """Every reference column of a table that was read, to a table that was read:
        ``(table, frame, column, referenced table, referenced column)``."""
        for name, frame in self.tables.items():
            if name not in self.files or not len(frame):
                continue
            for col in TABLES[name].columns:
                if col.references:
                    ref_table, ref_col = col.references.split(".")
                    if ref_table in self.files:
                        yield name, frame, col.name, ref_table, ref_col


def _check_areas(found: _Found) -> None:
    """Fill parent codes from child codes (FA01 -> FA -> F) and report disagreements."""
    for name, child_col, parent_col, length in (
        ("wijken", "wijk_code", "stadsdeel_code", 1),
        ("buurten", "buurt_code", "wijk_code", 2),
        ("buurten", "buurt_code", "stadsdeel_code", 1),
    ):
        frame = found.tables.get(name)
        if frame is None or not len(frame):
            continue
        derived = frame[child_col].str.slice(0, length)
        given = frame[parent_col]
        clash = (given.notna() & derived.notna() & (given != derived)).to_numpy(dtype=bool)
        found.report(
            name,
            clash,
            parent_col,
            f"does not match the {child_col} (a code starts with its parent's code)",
            given + " vs " + frame[child_col],
            f"correct the {parent_col} or the {child_col}",
        )
        frame[parent_col] = given.fillna(derived)


def _check_age_figures(found: _Found) -> None:
    """Areas without residents aged 65+ cannot be judged for ageing: say so (a warning, not a pass)."""
    for name in ("wijken", "buurten"):
        frame = found.tables.get(name)
        if name not in found.files or frame is None or not len(frame):
            continue
        unknown = (frame["residents_65plus"].isna() | frame["residents_total"].isna()).to_numpy(dtype=bool)
        if unknown.all():
            found.problems.append(
                Problem(
                    "warning",
                    found.files[name],
                    "residents_65plus",
                    "no figures for residents in total and aged 65+: whether these areas are ageing is unknown",
                    fix="add columns residents_total and residents_65plus (inwoners, inwoners_65plus), "
                    "e.g. from the municipality's or CBS's age statistics",
                    table=name,
                )
            )
        else:
            found.report(
                name,
                unknown,
                "residents_65plus",
                "no figures for residents in total and aged 65+: ageing is unknown for these areas",
                frame[frame.columns[0]],
                severity="warning",
            )
        too_many = (frame["residents_65plus"] > frame["residents_total"]).fillna(False).to_numpy(dtype=bool)
        found.report(
            name,
            too_many,
            "residents_65plus",
            "more residents aged 65+ than residents in total",
            frame["residents_65plus"].astype(str) + " > " + frame["residents_total"].astype(str),
            "check both figures",
        )


def _check_flats(found: _Found) -> None:
    """Checks within the flat register: possible counts, group ids that cannot be mistaken."""
    flats = found.tables.get("flats")
    if "flats" not in found.files or flats is None:
        return
    if not len(flats):
        return
    n = flats["n_dwellings"]
    found.report(
        "flats",
        (n < 1).fillna(False).to_numpy(),
        "n_dwellings",
        "a flat needs at least one dwelling",
        n,
        "give the number of dwellings in the flat",
    )
    for col in ("n_nultreden", "n_social_rent"):
        found.report(
            "flats",
            (flats[col] > n).fillna(False).to_numpy(),
            col,
            "more than the flat's dwellings (n_dwellings)",
            flats[col].astype(str) + " > " + n.astype(str),
            f"{col} counts dwellings of the flat: at most n_dwellings",
        )
    group = flats["group_id"]
    ids = set(flats["flat_id"].dropna().astype(str))
    clash = group.notna() & (group.astype(str).isin(ids) | group.astype(str).str.startswith("GA-"))
    found.report(
        "flats",
        clash.fillna(False).to_numpy(),
        "group_id",
        "a group id may not equal a flat id or start with 'GA-' (used for groups found by distance)",
        group,
        "give the group its own name, e.g. G01",
    )
    sizes = group.value_counts()
    found.report(
        "flats",
        group.isin(sizes[sizes == 1].index).fillna(False).to_numpy(),
        "group_id",
        "a declared group with only one flat",
        group,
        "give the other flats of the group the same group_id, or leave it empty",
        severity="warning",
    )


def _check_flats_in_city(found: _Found) -> None:
    """Flats outside every stadsdeel (the region check is only a box): a warning naming them."""
    if "flats" not in found.files or "stadsdelen" not in found.files:
        return
    flats, sd = found.tables["flats"], found.tables["stadsdelen"]
    if not len(flats) or not len(sd):
        return
    city = shapely.union_all(sd.geometry.dropna().to_numpy())
    present = flats.geometry.notna().to_numpy() & ~flats.geometry.is_empty.to_numpy()
    outside = present.copy()
    outside[present] = ~shapely.intersects(city, flats.geometry.to_numpy()[present])
    found.report(
        "flats",
        outside,
        None,
        f"flats outside every stadsdeel of {found.files['stadsdelen']}",
        flats["flat_id"],
        "check the location; a flat just outside is assigned to the nearest area within "
        "[areas] outside_tolerance_m, further out its areas are unknown",
        severity="warning",
    )


def _check_plausible(found: _Found, config: Config) -> None:
    """Values no real register holds: a warning above the ``[plausibility]`` ``_warn`` limits, an
    error above the ``_max`` limits and where one count exceeds what it counts (more preferences
    than respondents). Each names file, column, row and value."""
    q = config["plausibility"]

    def limits(name: str, column: str, values: pd.Series, stem: str, what: str) -> None:
        if name not in found.files or not len(values):
            return
        warn, top = q[f"{stem}_warn"], q[f"{stem}_max"]
        v = values.astype("Float64")
        over_max = (v > top).fillna(False).to_numpy(dtype=bool)
        over_warn = (v > warn).fillna(False).to_numpy(dtype=bool) & ~over_max
        key = f"[plausibility] {stem}"
        found.report(
            name,
            over_max,
            column,
            f"more {what} than is possible (above {top:g})",
            values,
            f"check the value; the limit is {key}_max in {CONFIG_FILE}",
        )
        found.report(
            name,
            over_warn,
            column,
            f"unusually many {what} (above {warn:g}): please check",
            values,
            f"correct it if it is a typing error; the limit is {key}_warn in {CONFIG_FILE}",
            severity="warning",
        )

    flats = found.tables.get("flats")
    if flats is not None:
        limits("flats", "n_dwellings", flats["n_dwellings"], "flat_dwellings", "dwellings in one flat")
        limits("flats", "subsidy_eur", flats["subsidy_eur"], "flat_subsidy_eur", "euros of subsidy for one flat")
    sites = found.tables.get("intramural_sites")
    if sites is not None:
        limits("intramural_sites", "n_places", sites["n_places"], "site_places", "places in one site")
    for area in ("wijken", "buurten"):
        frame = found.tables.get(area)
        if frame is not None:
            for col in ("residents_total", "residents_65plus"):
                limits(area, col, frame[col], "area_residents", f"residents in one {area[:-2]}")
    if flats is None or "flats" not in found.files or not len(flats):
        return
    dwellings = flats.drop_duplicates("flat_id").set_index("flat_id")["n_dwellings"]
    clients = found.tables.get("flat_clients")
    if "flat_clients" in found.files and clients is not None and len(clients):
        per = clients["n_clients"].astype("Float64") / clients["flat_id"].map(dwellings).astype("Float64")
        per = per.replace([np.inf, -np.inf], np.nan)
        text = clients["n_clients"].astype(str) + " clients / " + clients["flat_id"].map(dwellings).astype(str)
        top, warn = q["clients_per_dwelling_max"], q["clients_per_dwelling_warn"]
        over_max = (per > top).fillna(False).to_numpy(dtype=bool)
        found.report(
            "flat_clients",
            over_max,
            "n_clients",
            f"more than {top:g} clients per dwelling of the flat is not possible",
            text + " dwellings",
            "check the number of clients and the flat's n_dwellings",
        )
        found.report(
            "flat_clients",
            (per > warn).fillna(False).to_numpy(dtype=bool) & ~over_max,
            "n_clients",
            f"more than {warn:g} client per dwelling of the flat: please check",
            text + " dwellings",
            "correct it if it is a typing error",
            severity="warning",
        )
    survey = found.tables.get("survey")
    if "survey" in found.files and survey is not None and len(survey):
        prefs, resp = survey["n_preferences"].astype("Float64"), survey["n_respondents"].astype("Float64")
        found.report(
            "survey",
            (prefs > resp).fillna(False).to_numpy(dtype=bool),
            "n_preferences",
            "more preferences than respondents",
            survey["n_preferences"].astype(str) + " > " + survey["n_respondents"].astype(str),
            "each respondent states at most one preference per provider",
        )
        flat_dw = survey["flat_id"].map(dwellings).astype("Float64")
        top = q["respondents_per_dwelling_max"]
        found.report(
            "survey",
            (resp > top * flat_dw).fillna(False).to_numpy(dtype=bool),
            "n_respondents",
            f"more respondents than {top:g} per dwelling of the flat",
            survey["n_respondents"].astype(str) + " respondents / " + flat_dw.astype(str) + " dwellings",
            "check the number of respondents",
        )
        _check_respondents(found, survey)
        total = prefs.groupby(survey["flat_id"]).transform("sum")
        most = resp.groupby(survey["flat_id"]).transform("max")
        found.report(
            "survey",
            (total > most).fillna(False).to_numpy(dtype=bool) & ~(prefs > resp).fillna(False).to_numpy(),
            "n_preferences",
            "the flat's preferences together exceed its respondents (did respondents name more than one provider?)",
            survey["flat_id"].astype(str) + ": " + total.astype(str) + " > " + most.astype(str),
            "check the survey counts",
            severity="warning",
        )
    presence = found.tables.get("provider_presence")
    wijken = found.tables.get("wijken")
    if "provider_presence" in found.files and presence is not None and len(presence) and wijken is not None:
        residents = (
            presence["wijk_code"]
            .map(wijken.drop_duplicates("wijk_code").set_index("wijk_code")["residents_total"])
            .astype("Float64")
        )
        found.report(
            "provider_presence",
            (presence["n_clients"].astype("Float64") > residents).fillna(False).to_numpy(dtype=bool),
            "n_clients",
            "more clients in the wijk than the wijk has residents",
            presence["n_clients"].astype(str) + " > " + residents.astype(str),
            "check the number of clients",
        )


def _check_respondents(found: _Found, survey: pd.DataFrame) -> None:
    """The survey gives the flat's respondents on each of its rows: rows of one flat that give
    different numbers are an error (which one is right cannot be guessed), naming rows and values."""
    resp = survey["n_respondents"].astype("Float64")
    differ = resp.groupby(survey["flat_id"]).transform("nunique") > 1
    found.report(
        "survey",
        differ.fillna(False).to_numpy(dtype=bool) & resp.notna().to_numpy(dtype=bool),
        "n_respondents",
        "rows of one flat give different numbers of respondents; the flat has one number of respondents",
        survey["flat_id"].astype(str) + ": " + survey["n_respondents"].astype(str),
        "write the same number (the respondents of the flat's survey) on every row of the flat; "
        "leave it empty where unknown",
    )


def _check_references(found: _Found) -> None:
    """Every reference names a row that exists in the referenced table."""
    for name, frame, col, ref_table, ref_col in found.references():
        known = set(found.tables[ref_table][ref_col].dropna().astype(str))
        values = frame[col]
        unknown = (values.notna() & ~values.astype(str).isin(known)).to_numpy(dtype=bool)
        alike = _look_alike(values, unknown, found.tables[ref_table][ref_col])
        looks = values.isin(list(alike)).to_numpy(dtype=bool) & unknown
        found.report(
            name,
            looks,
            col,
            f"refers to {ref_col} values that do not exist in {found.files[ref_table]}, but look like one that does",
            values.map(alike),
            f"write the id exactly as in {found.files[ref_table]} (retype it), or correct it there",
        )
        found.report(
            name,
            unknown & ~looks,
            col,
            f"refers to {ref_col} values that do not exist in {found.files[ref_table]}",
            values,
            f"add them to {found.files[ref_table]} or correct the {col}",
        )


def _look_alike(values: pd.Series, unknown: np.ndarray, known: pd.Series) -> dict[str, str]:
    """Of the references to ids that do not exist, those that look like one that does (equal but for
    case, an invisible character or a look-alike letter), each with how it differs
    (``"LLT-008 differs from LLT-008 only by the invisible U+200B ..."``). Compared once per distinct
    value, the known ids by Arrow's kernels."""
    if not unknown.any():
        return {}
    missing = pd.unique(values[unknown].astype(str).to_numpy(dtype=object))
    ids = pd.unique(known.dropna().astype(str).to_numpy(dtype=object))
    skeletons = pd.Index(id_skeletons(ids))
    first = ~skeletons.duplicated()  # the first of ids that look alike (reported in their own table)
    ids, skeletons = ids[first], skeletons[first]
    at = skeletons.get_indexer(id_skeletons(missing))
    return {
        v: f"{shown_id(v)} differs from {shown_id(ids[i])} only by {how_ids_differ(v, ids[i])}"
        for v, i in zip(missing, at, strict=True)
        if i >= 0
    }


def _cascade(found: _Found) -> None:
    """Rows that refer to a row left out because of an error are left out too, and reported."""
    changed = True
    while changed:
        changed = False
        for name, frame, col, ref_table, ref_col in found.references():
            left_out = found.bad[ref_table]
            if not left_out.any():
                continue
            ref = found.tables[ref_table][ref_col].astype(str)
            dropped = set(ref[left_out]) - set(ref[~left_out])
            hit = (frame[col].astype(str).isin(dropped) & frame[col].notna()).to_numpy() & ~found.bad[name]
            if hit.any():
                found.report(
                    name,
                    hit,
                    col,
                    f"refers to a row of {found.files[ref_table]} that was left out because of an error",
                    frame[col],
                    f"correct the row in {found.files[ref_table]}",
                )
                changed = True


def _row_counts(found: _Found) -> pd.DataFrame:
    """Per table: rows read, used and reported (left out because of an error)."""
    return pd.DataFrame(
        {
            "file": [found.files.get(n, "") for n in TABLES],
            "rows_in": [len(found.tables[n]) for n in TABLES],
            "rows_used": [int((~found.bad[n]).sum()) for n in TABLES],
            "rows_reported": [int(found.bad[n].sum()) for n in TABLES],
        },
        index=pd.Index(list(TABLES), name="table"),
    )


def _read_one(folder: Path, name: str, spec: Table, config: dict, region, found: _Found, attempted: set[str]) -> None:
    """Find and read one table of the dataset into ``found`` (with its problems)."""
    problems = found.problems
    found.tables[name] = _empty_table(spec)
    found.rows[name] = np.zeros(0, dtype=int)
    found.bad[name] = np.zeros(0, dtype=bool)
    lookup_failed = False
    try:
        path = find_table_file(folder, spec, config)
    except InputError as exc:
        problems.extend(exc.problems)
        path, lookup_failed = None, True
    if path is None:
        if spec.required and not lookup_failed:
            stems = ", ".join(spec.file_stems)
            wanted = {normalise_header(stem) for stem in spec.file_stems}
            folders = sorted(p.name for p in folder.iterdir() if p.is_dir() and normalise_header(p.name) in wanted)
            there = (
                f" (there is a folder named '{folders[0]}': an unzipped archive? put the file itself in {folder.name})"
                if folders
                else ""
            )
            problems.append(
                Problem(
                    "error",
                    str(folder.name),
                    None,
                    f"the {name} table is missing{there}",
                    fix=f"add a file named one of {stems} with extension "
                    f"{', '.join(EXTENSIONS)}, or name it in {CONFIG_FILE} [files]",
                    table=name,
                )
            )
        return
    attempted.add(path.name.lower())
    try:
        frame, table_problems, is_bad, row_numbers = read_table(
            path, spec, region=region, today=config["validation"]["today"]
        )
    except InputError as exc:
        problems.extend(
            Problem(p.severity, p.file, p.column, p.message, p.rows, p.values, p.fix, p.row_noun, name, p.row_index)
            for p in exc.problems
        )
        return
    problems.extend(table_problems)
    found.headers[name] = frame.attrs.pop("headers", {})
    found.tables[name] = frame
    found.files[name] = path.name
    found.rows[name] = row_numbers
    found.bad[name] = is_bad
    found.nouns[name] = (
        "row"
        if path.suffix.lower() in (".csv", ".txt", ".xlsx", ".xlsm")
        or (path.suffix.lower() in _PARQUET_EXTENSIONS and not isinstance(frame, gpd.GeoDataFrame))
        else "feature"
    )


def _config_against_data(found, config: Config) -> list[Problem]:
    """What only the data can contradict in the configuration (:func:`llt_geo.config.dataset_problems`):
    stadsdeel codes in the per-stadsdeel limits, amenity kinds the amenities table does not hold."""
    sd, am = found.tables.get("stadsdelen"), found.tables.get("amenities")
    return dataset_problems(
        config,
        stadsdeel_codes=None if sd is None else set(sd["stadsdeel_code"].dropna().astype(str)),
        amenity_kinds=None if am is None else set(am["kind"].dropna().astype(str)),
        file=config.source or CONFIG_FILE,
    )


def validate_dataset(folder: str | Path) -> Dataset:
    """Read every table in a folder and report every problem, without raising for bad rows.

    The returned dataset still holds rows with errors; use :func:`load_dataset` to get a dataset
    that is safe to analyse.

    Raises
    ------
    InputError
        Only when the configuration file itself cannot be used.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError.one(
            str(folder), "no such folder", fix="give the folder that holds the data files and llt_geo.toml"
        )
    config = load_config(folder)
    region = config["validation"]["region_rd"]
    found = _Found()
    problems = found.problems
    attempted: set[str] = set()  # files read as a table, whether or not that succeeded
    # a bar after two seconds (a city-sized register), naming the table being read; quiet in tests and CI
    with progress("Inlezen", total=len(TABLES) + 1, unit="tabel") as bar:
        for name, spec in TABLES.items():
            bar.step(name, n=0)
            _read_one(folder, name, spec, config, region, found, attempted)
            bar.step()
        bar.step("controles over de tabellen", n=0)
        _check_areas(found)
        _check_age_figures(found)
        _check_references(found)
        _check_flats(found)
        _check_flats_in_city(found)
        _check_plausible(found, config)
        problems += _config_against_data(found, config)
        bar.step()
    used = attempted | {CONFIG_FILE.lower()}
    used |= {Path(v).name.lower() for v in config["files"].values()}
    unused = sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in EXTENSIONS and p.name.lower() not in used
    )
    if unused:
        problems.append(
            Problem(
                "warning",
                folder.name,
                None,
                f"files not read as any table: {', '.join(unused)}",
                fix=f"name each after its table (see docs/data-format.md) or list it in {CONFIG_FILE} [files]",
            )
        )
    ds = Dataset(folder, config, found.tables, found.files, problems, _row_counts(found), _sources(folder, found.files))
    ds._found = found  # type: ignore[attr-defined]
    return ds


def _sources(folder: Path, files: dict[str, str]) -> pd.DataFrame:
    """Every file read (the tables' and the configuration): its date (UTC) and SHA-256."""
    import hashlib
    from datetime import UTC, datetime

    rows = []
    entries = [(table, name) for table, name in sorted(files.items())]
    if (folder / CONFIG_FILE).is_file():
        entries.append(("", CONFIG_FILE))
    for table, name in entries:
        path = Path(folder, name)
        if not path.is_file():
            rows.append((table, name, "", ""))
            continue
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda handle=handle: handle.read(1 << 20), b""):
                digest.update(block)
        when = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date().isoformat()
        rows.append((table, name, when, digest.hexdigest()))
    return pd.DataFrame(rows, columns=["table", "file", "modified", "sha256"])


def load_dataset(folder: str | Path, *, on_error: str = "raise") -> Dataset:
    """Load a dataset folder: every table validated, in EPSG:28992, with the configuration.

    Parameters
    ----------
    folder : str or Path
        A folder in the format of ``docs/data-format.md``.
    on_error : {"raise", "drop"}
        ``"raise"`` (default): any error raises :class:`InputError` listing every problem.
        ``"drop"``: rows with an error are left out, and each one is reported in
        ``Dataset.problems`` and counted in ``Dataset.row_counts``. A missing required table or an
        unreadable file still raises.

    Returns
    -------
    Dataset

    Raises
    ------
    InputError
        As described under ``on_error``.
    """
    if on_error not in ("raise", "drop"):
        raise ValueError("on_error must be 'raise' or 'drop'")
    ds = validate_dataset(folder)
    errors = ds.errors
    whole_file = [p for p in errors if not p.row_index]
    if errors and (on_error == "raise" or whole_file):
        raise InputError(ds.problems)
    found = ds._found  # type: ignore[attr-defined]
    _cascade(found)
    ds.row_counts = _row_counts(found)
    bad = found.bad
    for name, frame in ds.tables.items():
        if len(frame) and bad[name].any():
            ds.tables[name] = frame.loc[~bad[name]].reset_index(drop=True)
        else:
            ds.tables[name] = frame.reset_index(drop=True)
    return ds
