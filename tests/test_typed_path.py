"""Typed sources (Parquet, GeoParquet, GeoPackage) are checked as values, and give the same tables and
the same problems as their text.

The reader keeps a typed number or yes/no column as the file typed it and checks the values directly
(range, whole numbers, NaN = unknown), making text only for the rows a message quotes. These tests
read the same typed files through an oracle that makes every column text first, cell by cell
(:func:`_every_column_as_text`), and the same data written as CSV text, and compare tables,
problems, rows and bad rows.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from llt_geo import read_table
from llt_geo.io import formats
from llt_geo.io.formats import _cell_text, _Raw
from llt_geo.io.values import _Collector, _parse_column, _parse_raw_column
from llt_geo.schema import Column, Table

NAN = float("nan")
INF = float("inf")

#: One flat register full of typed trouble: NaN and <NA> (unknown), non-integers in integer
#: columns, negatives, values beyond any count (1e20, 2**62), infinities, three decimals in an
#: amount (1.125 must stay 1.125, never 1125), -0.0, years out of range, booleans with <NA>, and
#: coordinates that are empty, infinite, swapped or outside Amsterdam.
N = 12


def _typed_flats() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "flat_id": pd.array([f"F{i}" for i in range(1, N + 1)], dtype="string"),
            "name": pd.array([" Flat een ", None, "Twee", "", "x\u00a0", *["Flat"] * (N - 5)], dtype="string"),
            "corporation": ["Corp A"] * (N - 1) + [""],
            "n_dwellings": pd.array(
                [120.0, 12.5, -3.0, 1e20, NAN, INF, -0.0, 60.0, 2.0**62, 7.0, 1e15, 40.0], dtype="float64"
            ),
            "n_nultreden": pd.array([100, None, -1, 5, 2**62, 0, 3, 4, None, 1, 2, 3], dtype="Int64"),
            "n_social_rent": np.array([110, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], dtype=np.int32),
            "status_year": pd.array(
                [2027.0, 1800.0, 2027.5, None, 2101.0, 1999.0, None, None, None, None, None, None], dtype="Float64"
            ),
            "subsidy_eur": pd.array(
                [1.125, -5.0, 2e20, INF, -INF, 12345.678, 0.5, 1e-7, NAN, 1_000_000.0, 3.0, -0.0], dtype="float64"
            ),
            "resident_involvement": pd.array(
                [True, None, False, True, True, False, None, True, True, True, False, True], dtype="boolean"
            ),
            "meeting_room": np.array([True, False] * (N // 2)),
            "workspace": np.array([1, 0, 2, 1, 0, 1, 1, 1, 0, 0, 1, 1], dtype=np.int64),  # a count as ja/nee
            "status": ["kandidaat"] * N,
            "x": pd.array(
                [120300.0, 120400.5, NAN, INF, 485400.0, 4.9, 120300.125, 120000.0, 1e9, 120500.0, 120600.0, 120700.0],
                dtype="float64",
            ),
            "y": pd.array(
                [
                    485400.0,
                    485500.25,
                    485400.0,
                    485400.0,
                    120300.0,
                    52.4,
                    485400.0,
                    NAN,
                    485400.0,
                    485500.0,
                    485500.0,
                    1,
                ],
                dtype="float64",
            ),
        }
    )


def _every_column_as_text(frame: pd.DataFrame) -> tuple[pd.DataFrame, frozenset[str]]:
    """The oracle: every column of a typed file made text first, cell by cell as :func:`_cell_text`
    writes it, then read as text (what the reader did before typed columns were checked as values)."""
    cells = {str(col): pd.Series([_cell_text(v) for v in frame[col].tolist()], dtype=object) for col in frame.columns}
    return pd.DataFrame(cells, index=pd.RangeIndex(len(frame))), frozenset()


def _read(path, monkeypatch, typed: bool):
    with monkeypatch.context() as m:
        if not typed:
            m.setattr(formats, "_frame_to_text", _every_column_as_text)
        return read_table(path, "flats", today="2026-12-01")


def _assert_same(a, b) -> None:
    frame_a, problems_a, bad_a, rows_a = a
    frame_b, problems_b, bad_b, rows_b = b
    assert problems_a == problems_b
    pd.testing.assert_frame_equal(frame_a, frame_b, check_exact=True)
    assert np.array_equal(bad_a, bad_b)
    assert np.array_equal(rows_a, rows_b)


def test_parquet_typed_and_text_paths_agree(tmp_path, monkeypatch):
    path = tmp_path / "flats.parquet"
    _typed_flats().to_parquet(path)
    text, typed = _read(path, monkeypatch, False), _read(path, monkeypatch, True)
    _assert_same(text, typed)
    assert typed[2].sum() >= 8  # the checks did find the trouble (a comparison of two empty lists proves nothing)


@pytest.mark.parametrize("suffix", [".parquet", ".gpkg"])
def test_geodata_typed_and_text_paths_agree(tmp_path, monkeypatch, suffix):
    flats = _typed_flats()
    geometry = gpd.points_from_xy(np.nan_to_num(flats.x, nan=120000, posinf=120000), flats.y.fillna(485000))
    gdf = gpd.GeoDataFrame(flats.drop(columns=["x", "y"]), geometry=geometry, crs="EPSG:28992")
    gdf.loc[[2, 5], "geometry"] = None
    path = tmp_path / f"flats{suffix}"
    if suffix == ".gpkg":
        gdf.to_file(path, layer="flats", driver="GPKG")
    else:
        gdf.to_parquet(path)
    _assert_same(_read(path, monkeypatch, False), _read(path, monkeypatch, True))


def test_lonlat_typed_coordinates_agree(tmp_path, monkeypatch):
    flats = _typed_flats().drop(columns=["x", "y"])
    flats["lon"] = [4.9, 4.91, NAN, INF, 52.37, 4900274.0, 121000.0, 4.92, 4.93, 4.94, 200.0, -0.0]
    flats["lat"] = [52.37, 52.38, 52.37, 52.37, 4.9, 52379762.0, 487000.0, NAN, 52.36, 52.35, 52.34, 52.33]
    path = tmp_path / "flats.parquet"
    flats.to_parquet(path)
    _assert_same(_read(path, monkeypatch, False), _read(path, monkeypatch, True))


def test_typed_parquet_reads_as_its_text_written_as_csv(tmp_path, monkeypatch):
    """The same register as a ``;`` CSV of the cells' text (what the messages quote) gives the same
    table and the same problems, file name aside."""
    flats = _typed_flats()
    path = tmp_path / "flats.parquet"
    flats.to_parquet(path)
    text = pd.DataFrame({c: [_cell_text(v) for v in flats[c].astype(object).tolist()] for c in flats.columns})
    csv = tmp_path / "flats.csv"
    csv.write_text(
        ";".join(text.columns) + "\n" + "\n".join(";".join(r) for r in text.itertuples(index=False)) + "\n",
        encoding="utf-8",
    )
    from_parquet = _read(path, monkeypatch, True)
    from_csv = read_table(csv, "flats", today="2026-12-01")
    renamed = [dataclasses.replace(p, file="flats.parquet") for p in from_csv[1]]
    # spreadsheet rows of a CSV start at 2 (the header is row 1); Parquet rows at 1
    shifted = [dataclasses.replace(p, rows=tuple(r - 1 for r in p.rows)) for p in renamed]
    assert from_parquet[1] == shifted
    pd.testing.assert_frame_equal(from_parquet[0], from_csv[0], check_exact=True)
    assert np.array_equal(from_parquet[2], from_csv[2])


def test_bad_typed_values_are_quoted_as_written(tmp_path, monkeypatch):
    path = tmp_path / "flats.parquet"
    _typed_flats().to_parquet(path)
    _frame, problems, _bad, _rows = _read(path, monkeypatch, True)
    said = {(p.column, p.message.split(" (")[0]): p for p in problems}
    whole = said[("n_dwellings", "not a whole number")]
    assert whole.values == ("12,5", "inf") and whole.rows == (2, 6)
    assert said[("n_dwellings", "negative value")].values == ("-3",)
    huge = said[("n_dwellings", "number out of range for a whole number")]
    assert huge.values == ("1e+20", "4,611686018427388e+18", "1000000000000000,0")
    assert said[("n_nultreden", "number out of range for a whole number")].values == ("4611686018427387904",)
    assert said[("n_nultreden", "negative value")].values == ("-1",)
    assert said[("status_year", "not a plausible year")].values == ("1800", "2101")
    assert said[("subsidy_eur", "number out of range for an amount in euros")].values == ("2e+20",)
    assert said[("subsidy_eur", "not an amount in euros")].values == ("inf", "-inf")
    assert said[("subsidy_eur", "negative value")].values == ("-5",)
    assert said[("corporation", "empty value in a required column")].rows == (12,)
    assert said[("workspace", "not ja/nee")].values == ("2",)
    assert said[("x/y", "coordinate is not a number")].values == ("inf / 485400",)
    assert said[("x/y", "no location")].values == (" / 485400", "120000 / ")


@pytest.mark.parametrize("kind", ["int", "year", "float", "money", "share", "yesno"])
@pytest.mark.parametrize(
    "values, dtype",
    [
        ([0.6, 60.0, 1.5, -0.1, NAN, INF, 1.125, 1e16, -0.0, 2e20, 12.5], "float64"),
        ([0.25, None, 100.0, 101.0, 0.0, 1.0, 2027.0, -INF, 0.1 + 0.2], "Float64"),
        ([0.5, 1.1, None], "Float32"),
        ([0, 1, 60, -4, None, 2**62, 1999, 10**15], "Int64"),
        ([0, 1, 2, -3, 1900, 2100], "int16"),
        ([True, False, True], "bool"),
        ([True, None, False], "boolean"),
    ],
)
def test_every_kind_and_dtype_agrees_with_its_text(kind, values, dtype):
    """Column by column: a typed column checked as values gives what its text gives, problem for problem."""
    col = Column("v", kind, True, ("v",))
    spec = Table("t", "", (col,), ("t",))
    s = pd.Series(values, dtype=dtype)
    raw = _Raw("t.parquet", pd.DataFrame({"v": s}), np.arange(1, len(s) + 1), typed=frozenset({"v"}))
    typed_c, text_c = _Collector(raw, spec, "2026-12-01"), _Collector(raw, spec, "2026-12-01")
    typed = _parse_raw_column(col, "v", raw, typed_c)
    text = _parse_column(col, "v", raw.text("v"), text_c)
    pd.testing.assert_series_equal(typed, text, check_exact=True, check_names=False)
    assert typed_c.problems == text_c.problems
    assert np.array_equal(typed_c.bad, text_c.bad)


def test_parquet_in_several_row_groups_reads_as_in_one(tmp_path):
    """A large file's Arrow text comes in chunks (one per row group): the id checks take it whole."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    flats = _typed_flats()
    one, many = tmp_path / "one.parquet", tmp_path / "many.parquet"
    flats.to_parquet(one)
    pq.write_table(pa.Table.from_pandas(flats), many, row_group_size=5)
    a = read_table(one, "flats", today="2026-12-01")
    b = read_table(many, "flats", today="2026-12-01")
    renamed = [dataclasses.replace(p, file="one.parquet") for p in b[1]]
    assert a[1] == renamed
    pd.testing.assert_frame_equal(a[0], b[0], check_exact=True)
