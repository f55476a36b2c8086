"""The files of candidate discovery (``llt-geo discover``), written from its result alone."""

from __future__ import annotations

from pathlib import Path

from .export import write_csv

__all__ = ["BUILDING_COLUMNS", "write_discovery"]

#: The columns of ``ontdekking_gebouwen.csv``, in order (the outcome's Dutch reading, not its code).
BUILDING_COLUMNS = (
    "building_id",
    "address",
    "owner",
    "building_year",
    "n_dwellings",
    "n_dwellings_estimate",
    "dwellings_source",
    "discovery_nl",
    "cluster_id",
    "cluster_dwellings",
    "register_flat_id",
    "crowded",
)


def write_discovery(found, out: str | Path, *, label: str = "") -> list[str]:
    """Write what discovery found as CSV files for Excel (Dutch headers; ``;``, decimal comma).

    ``ontdekking_gebouwen.csv``: every building given, in the order given, with what became of it
    (nothing is left out); ``ontdekking_kandidaten.csv`` and ``ontdekking_criteria.csv``: the
    screened candidates and their criteria with reasons, as ``toets_kandidaten.csv`` and
    ``toets_criteria.csv`` of the register's screening. ``label`` is the dataset's label (its
    fictional-data notice goes in a first column *Let op*). Returns the names written.
    """
    out = Path(out)
    written = ["ontdekking_gebouwen.csv"]
    table = found.buildings[[c for c in BUILDING_COLUMNS if c in found.buildings.columns] + ["geometry"]]
    write_csv(table, out / written[0], label=label)
    if found.screening is not None:
        write_csv(found.screening.candidates, out / "ontdekking_kandidaten.csv", label=label)
        write_csv(found.screening.criteria, out / "ontdekking_criteria.csv", label=label)
        written += ["ontdekking_kandidaten.csv", "ontdekking_criteria.csv"]
    return written
