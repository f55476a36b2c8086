"""Shared fixtures: a tiny hand-made dataset in RD New, and a fresh copy of the demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
REAL = ROOT.parent / "shared" / "data" / "real"


def write_csv(path: Path, header: list[str], rows: list[list], *, sep: str = ",", encoding: str = "utf-8") -> Path:
    """Write a small CSV the way a user would (no quoting unless needed)."""

    def cell(v: object) -> str:
        text = "" if v is None else str(v)
        return f'"{text}"' if sep in text else text

    lines = [sep.join(header)] + [sep.join(cell(v) for v in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def box_wkt(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"POLYGON (({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"


FLAT_HEADER = [
    "flat_id",
    "name",
    "corporation",
    "n_dwellings",
    "n_nultreden",
    "n_social_rent",
    "resident_involvement",
    "meeting_room",
    "workspace",
    "group_id",
    "status",
    "x",
    "y",
]


def tiny_tables() -> dict[str, tuple[list[str], list[list]]]:
    """A tiny world: two stadsdelen side by side (A west of M), one wijk and buurt each, in RD."""
    return {
        "stadsdelen": (
            ["stadsdeel_code", "name", "geometry"],
            [
                ["A", "Centrum", box_wkt(120000, 485000, 121000, 486000)],
                ["M", "Oost", box_wkt(121000, 485000, 122000, 486000)],
            ],
        ),
        "wijken": (
            ["wijk_code", "name", "residents_total", "residents_65plus", "geometry"],
            [
                ["AA", "Wijk AA", 1000, 100, box_wkt(120000, 485000, 121000, 486000)],
                ["MA", "Wijk MA", 1000, 300, box_wkt(121000, 485000, 122000, 486000)],
            ],
        ),
        "buurten": (
            ["buurt_code", "name", "geometry"],
            [
                ["AA01", "Buurt AA01", box_wkt(120000, 485000, 121000, 486000)],
                ["MA01", "Buurt MA01", box_wkt(121000, 485000, 122000, 486000)],
            ],
        ),
        "flats": (
            FLAT_HEADER,
            [
                ["F1", "Flat een", "Corp A", 120, 100, 110, "ja", "ja", "ja", "", "kandidaat", 120300, 485400],
                ["F2", "Flat twee", "Corp A", 60, 60, 60, "ja", "nee", "", "", "kandidaat", 121300, 485400],
            ],
        ),
        "care_providers": (
            [
                "provider_id",
                "name",
                "zvw_wijkverpleging",
                "wlz_mpt",
                "wlz_vpt",
                "casemanager_dementie",
                "contracted_zk",
                "committed_programme",
                "client_handover",
            ],
            [["P1", "Zorg Een", "ja", "ja", "ja", "ja", "ja", "ja", "ja"]],
        ),
        "intramural_sites": (["site_id", "provider_id", "name", "x", "y"], [["S1", "P1", "Huis Een", 120300, 485800]]),
        "welfare_organisations": (
            ["welfare_id", "name", "stadsdeel_code", "purchasing_agreement"],
            [["W1", "Welzijn Een", "A", "ja"], ["W1", "Welzijn Een", "M", "ja"]],
        ),
        "amenities": (
            ["amenity_id", "kind", "x", "y"],
            [["V1", "supermarkt", 120300, 485700], ["V2", "huisarts", 121300, 485700]],
        ),
    }


def _room_for_buurt(header: list[str], rows: list[list]) -> tuple[list[str], list[list]]:
    """3.1 asks a meeting room for residents *and* buurt (``meeting_space_open``): a hand-made register
    that gives only ``meeting_room`` means a room open to the buurt, as a user filling in both would
    write. A test that is about the second half gives the column itself."""
    if "meeting_room" not in header or "meeting_space_open" in header:
        return header, rows
    at = header.index("meeting_room")
    return [*header, "meeting_space_open"], [[*r, r[at] if at < len(r) else ""] for r in rows]


def make_dataset(folder: Path, *, changes: dict | None = None, drop: tuple[str, ...] = (), config: str = "") -> Path:
    """Write the tiny dataset to ``folder``; ``changes`` replaces whole tables (header, rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = tiny_tables()
    tables.update(changes or {})
    tables["flats"] = _room_for_buurt(*tables["flats"])
    for name, (header, rows) in tables.items():
        if name not in drop:
            write_csv(folder / f"{name}.csv", header, rows)
    if config:
        (folder / "llt_geo.toml").write_text(config, encoding="utf-8")
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A valid tiny dataset folder."""
    return make_dataset(tmp_path / "tiny")


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A fresh copy of the demo dataset that a test may damage."""
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target)
    return target


@pytest.fixture
def real_dir() -> Path:
    """The shared real open data folder; skips the test when it is absent."""
    if not REAL.is_dir():
        pytest.skip(f"real open data not found at {REAL} (it sits beside the project in CI)")
    return REAL


def build_pack(folder: Path, out: Path) -> str:
    """Run the main job (``llt-geo run``) and return what it printed."""
    import contextlib
    import io

    from llt_geo.cli import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["run", str(folder), "--out", str(out)])
    assert code == 0, buffer.getvalue()
    return buffer.getvalue()


#: a flat name that would run script if any page put it into the HTML unescaped
INJECTED_NAME = "<img src=x onerror=\"window.__llt_xss=1;alert(1)\">${window.__llt_xss=2}`"


@pytest.fixture(scope="session")
def demo_pack(tmp_path_factory) -> tuple[Path, str]:
    """The stuurgroep pack built from the demo as it is: (folder, printed output)."""
    out = tmp_path_factory.mktemp("pack") / "demo"
    return out, build_pack(DEMO, out)


@pytest.fixture(scope="session")
def injected_pack(tmp_path_factory) -> Path:
    """The pack built from a copy of the demo in which flat LLT-001 is named like an HTML injection."""
    folder = tmp_path_factory.mktemp("injected") / "demo"
    shutil.copytree(DEMO, folder)
    register = folder / "woningregister.csv"
    text = register.read_text(encoding="utf-8")
    assert "LLT-001;Wilgenrode (LLT-001);" in text
    quoted = '"' + INJECTED_NAME.replace('"', '""') + '"'  # CSV quoting: the name holds ; and "
    register.write_text(text.replace("LLT-001;Wilgenrode (LLT-001);", f"LLT-001;{quoted};", 1), "utf-8")
    out = folder.parent / "pack"
    build_pack(folder, out)
    return out
