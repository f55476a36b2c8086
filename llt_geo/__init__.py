"""llt_geo: transparent choice of Lang Leven Thuisflats in Amsterdam.

Three calls do the whole job::

    ds = llt_geo.load_dataset("data/demo")       # io: every file read and checked
    results = llt_geo.run(ds)                     # analysis, once: one Results
    llt_geo.write_pack(ds, results, "out/demo")   # the stuurgroep pack, read from Results

Analysis works in EPSG:28992 (RD New); maps are drawn in EPSG:4326.
"""

from __future__ import annotations

from ._version import __version__
from .config import Config, default_config, load_config
from .demo import demo_folder, generate_demo
from .errors import InputError, Problem
from .io import CRS_RD, CRS_WGS84, Dataset, load_dataset, read_table, validate_dataset
from .pipeline import run
from .results import Decision, Results
from .schema import TABLES

__all__ = [
    "__version__",
    "CRS_RD",
    "CRS_WGS84",
    "TABLES",
    "Config",
    "Dataset",
    "Decision",
    "InputError",
    "Problem",
    "Results",
    "default_config",
    "demo_folder",
    "generate_demo",
    "load_config",
    "load_dataset",
    "load_demo",
    "read_table",
    "run",
    "validate_dataset",
    "write_pack",
]


def load_demo() -> Dataset:
    """Load the fictional demo dataset shipped in ``data/demo``.

    Returns
    -------
    Dataset
        Validated, in EPSG:28992; ``dataset.is_fictional`` is True.
    """
    return load_dataset(demo_folder())


def __getattr__(name: str):
    """``llt_geo.write_pack``, imported on first use (the outputs need folium and matplotlib)."""
    if name == "write_pack":
        from .present.pack import write_pack

        return write_pack
    raise AttributeError(f"module 'llt_geo' has no attribute {name!r}")
