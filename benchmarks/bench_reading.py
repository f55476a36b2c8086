"""How long does reading a large flat register take? (GeoParquet, CSV and Excel-sized CSV.)

Writes N synthetic buildings (the same generator as bench_screening.py) to a temporary folder as
GeoParquet and as a semicolon CSV with Dutch decimal commas, and times ``llt_geo.read_table`` on
each: reading, header matching, parsing and checking every value, and the locations.

Run from the project root: ``.venv/bin/python benchmarks/bench_reading.py [N ...]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_screening import make_buildings  # noqa: E402

import llt_geo  # noqa: E402
from llt_geo import read_table  # noqa: E402


def main(sizes: list[int]) -> None:
    ds = llt_geo.load_demo()
    print("| rows | GeoParquet | CSV (`;`, decimal comma, lon/lat) |")
    print("|---:|---:|---:|")
    for n in sizes:
        buildings = make_buildings(ds, n)
        with tempfile.TemporaryDirectory() as tmp:
            parquet = Path(tmp) / "flats.parquet"
            buildings.to_parquet(parquet)
            lonlat = buildings.geometry.to_crs(4326)
            table = buildings.drop(columns="geometry").assign(lon=lonlat.x.round(7), lat=lonlat.y.round(7))
            csv = Path(tmp) / "flats.csv"
            table.to_csv(csv, sep=";", decimal=",", index=False)
            times = []
            for path in (parquet, csv):
                start = time.perf_counter()
                frame, problems, bad, _ = read_table(path, "flats")
                times.append(time.perf_counter() - start)
                assert len(frame) == n and not bad.any(), [str(p) for p in problems if p.severity == "error"]
        print(f"| {n:,} | {times[0]:.2f} s | {times[1]:.2f} s |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
