"""Reading and validating the input tables: the only package that reads files.

Every table may come as CSV (comma, semicolon or tab separated; decimal comma accepted; UTF-8
with or without BOM; leading ``#`` lines are comments), Excel (.xlsx, first sheet), GeoJSON,
GeoPackage or GeoParquet (or plain Parquet). Locations come as geometry, as ``lon``/``lat``
(EPSG:4326) or as RD ``x``/``y`` (EPSG:28992); everything leaves this package in EPSG:28992.

Validation collects every problem, each naming the file, the column, the rows, the offending
values and the fix, and raises them together. No row is dropped silently: with
``on_error="drop"`` rows with errors are left out and counted in ``Dataset.row_counts``.

The modules are the stages of reading, and data flows one way through them (each imports only
from the ones before it):

1. :mod:`.formats` -- CSV, Excel, geodata and Parquet into a table of text cells;
2. :mod:`.values` -- parsing and checking one column, and the collector of problems;
3. :mod:`.locations` -- points, geometry, CRS and region;
4. :mod:`.tables` -- header matching and one table (:func:`read_table`);
5. :mod:`.dataset` -- finding files, cross-table checks, row accounting and :class:`Dataset`.

Beside the data folder, two more readers live here (imported on use, not by this module):
:mod:`.network` reads walking networks (GraphML, GeoPackage edge lists), and :mod:`.opendata`
the publishers' open-data files (areas, CBS, transit, OpenStreetMap, BAG, 3D buildings) with the
catalogue of sources and the download cache.

This module only re-exports: the public API, and the private names the tests import.
"""

from .dataset import Dataset, find_table_file, load_dataset, validate_dataset
from .formats import EXTENSIONS
from .formats import _cell_text as _cell_text
from .formats import _column_to_text as _column_to_text
from .formats import _Raw as _Raw
from .locations import CRS_RD, CRS_WGS84
from .tables import read_table
from .values import _Collector as _Collector
from .values import _parse_column as _parse_column
from .values import _parse_numbers as _parse_numbers

__all__ = [
    "CRS_RD",
    "CRS_WGS84",
    "EXTENSIONS",
    "Dataset",
    "find_table_file",
    "load_dataset",
    "read_table",
    "validate_dataset",
]
