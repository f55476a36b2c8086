"""pytest hooks for the notebooks run under nbval (``pytest notebooks --nbval``).

Notebook 04 runs on the publishers' open data in the shared folder (``$LLT_GEO_REAL_DATA``, else
``../shared/data/real`` beside the checkout: :func:`llt_geo.demo.real_data_folder`), which is not
part of the project. Where that folder is absent, its cells are skipped with the reason, so that
``make test`` passes on such a machine; CI has the folder and runs them.
"""

from __future__ import annotations

import pytest

from llt_geo.demo import REAL_DATA_ENV, real_data_folder

#: notebooks that need the open-data folder
NEEDS_REAL_DATA = ("04_real_open_data.ipynb",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if real_data_folder().is_dir():
        return
    skip = pytest.mark.skip(
        reason=(
            f"needs the publishers' open data (set ${REAL_DATA_ENV} to the folder that holds them, see its "
            "SOURCES.md, or place it at ../shared/data/real beside the checkout); the folder is absent"
        )
    )
    for item in items:
        if item.path.name in NEEDS_REAL_DATA:
            item.add_marker(skip)
