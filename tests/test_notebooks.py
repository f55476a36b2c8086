"""Notebooks are committed executed: nbval would pass a notebook without outputs trivially."""

import json

import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_with_outputs_and_no_errors(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "no code cells"
    assert all(c.get("execution_count") for c in code), "not every code cell was executed"
    assert sum(1 for c in code if c.get("outputs")) >= len(code) // 2, "too few cells have outputs"
    for c in code:
        for out in c.get("outputs", []):
            assert out.get("output_type") != "error", f"an error output in: {''.join(c['source'])[:60]}"
            text = "".join(out.get("text", "")) + json.dumps(out.get("data", {}))
            assert "/work/" not in text and "/home/" not in text, "an absolute path in the outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_defines_no_functions_and_hacks_no_path(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "def " not in source and "sys.path" not in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_holds_no_clock_times(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert not any("execution" in c.get("metadata", {}) for c in nb["cells"]), "run `make notebooks` to strip them"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_small_and_its_maps_work_offline(path):
    """Maps in a notebook carry Leaflet inline (JupyterLab offline shows them); under 1 MB each."""
    from llt_geo.present.offline import external_references

    assert path.stat().st_size < 1_000_000, f"{path.name}: {path.stat().st_size / 1e6:.2f} MB"
    nb = json.loads(path.read_text(encoding="utf-8"))
    for c in nb["cells"]:
        for out in c.get("outputs", []):
            page = out.get("data", {}).get("text/html", "")
            page = "".join(page) if isinstance(page, list) else page
            if "leaflet" in page.lower():
                import html

                assert "cdn.jsdelivr" not in page and "code.jquery" not in page
                assert external_references(html.unescape(page)) == []
