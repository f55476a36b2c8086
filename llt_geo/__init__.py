"""llt_geo: transparent choice of Lang Leven Thuisflats in Amsterdam.

Load and validate a programme's data (:func:`load_dataset`, :func:`load_demo`), then screen,
choose partners, build a portfolio under the subsidy budget, and export maps and reports for the
stuurgroep. Analysis works in EPSG:28992 (RD New); maps are drawn in EPSG:4326.
"""

from __future__ import annotations

from .config import Config, default_config, load_config
from .demo import demo_folder, generate_demo
from .errors import InputError, Problem
from .io import CRS_RD, CRS_WGS84, Dataset, load_dataset, read_table, validate_dataset
from .schema import TABLES

__all__ = [
    "CRS_RD",
    "CRS_WGS84",
    "TABLES",
    "Config",
    "Dataset",
    "InputError",
    "Problem",
    "default_config",
    "demo_folder",
    "generate_demo",
    "load_config",
    "load_dataset",
    "load_demo",
    "read_table",
    "validate_dataset",
]

__version__ = "0.1.0"


def load_demo() -> Dataset:
    """Load the fictional demo dataset shipped in ``data/demo``.

    Returns
    -------
    Dataset
        Validated, in EPSG:28992; ``dataset.is_fictional`` is True.
    """
    return load_dataset(demo_folder())
