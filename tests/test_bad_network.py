"""Issue 20: a GraphML walking network with a coordinate or a length that is no usable number is an InputError.

Before: ``x = 4,90`` and a length ``onbekend`` gave a ValueError (exit 2), and a negative length was accepted,
after which ``llt-geo screen --network`` never finished (Dijkstra with a negative edge).
"""

from __future__ import annotations

import contextlib
import io
import threading
from pathlib import Path

import pytest

from llt_geo.errors import InputError
from llt_geo.io.network import read_graphml, read_walking_network

from .conftest import make_dataset

X0, Y0 = 120000.0, 485000.0


def graphml(path: Path, *, xa: str = f"{X0}", length_ab: str = "120", length_bc: str = "80") -> Path:
    """Three nodes A - B - C in RD; the values are written into the file as given."""
    nodes = {"A": (xa, f"{Y0}"), "B": (f"{X0 + 120}", f"{Y0}"), "C": (f"{X0 + 120}", f"{Y0 + 80}")}
    body = "".join(
        f'<node id="{n}"><data key="x">{x}</data><data key="y">{y}</data></node>' for n, (x, y) in nodes.items()
    )
    path.write_text(
        '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="crs" for="graph" attr.name="crs" attr.type="string"/>'
        '<key id="x" for="node" attr.name="x" attr.type="string"/>'
        '<key id="y" for="node" attr.name="y" attr.type="string"/>'
        '<key id="len" for="edge" attr.name="length" attr.type="string"/>'
        f'<graph edgedefault="undirected"><data key="crs">epsg:28992</data>{body}'
        f'<edge id="e1" source="A" target="B"><data key="len">{length_ab}</data></edge>'
        f'<edge source="B" target="C"><data key="len">{length_bc}</data></edge></graph></graphml>',
        encoding="utf-8",
    )
    return path


def test_valid_network_reads(tmp_path):
    net = read_graphml(graphml(tmp_path / "walk.graphml"))
    assert net.node_xy.shape == (3, 2)


def test_coordinate_with_a_decimal_comma_names_node_and_fix(tmp_path):
    with pytest.raises(InputError) as err:
        read_walking_network(graphml(tmp_path / "walk.graphml", xa="4,90"))
    text = str(err.value)
    assert "walk.graphml, column 'x': node A: x '4,90' is not a number" in text
    assert "Fix: write coordinates as numbers with a decimal point" in text


@pytest.mark.parametrize("length", ["onbekend", "12,5", "nan", "inf"])
def test_edge_length_that_is_no_number_names_edge_and_fix(tmp_path, length):
    with pytest.raises(InputError) as err:
        read_graphml(graphml(tmp_path / "walk.graphml", length_ab=length))
    text = str(err.value)
    assert f"walk.graphml, column 'length': edge e1 (A -> B): length '{length}' is not a number" in text
    assert "Fix: give each edge's length in metres" in text


def test_negative_length_is_refused_naming_the_edge(tmp_path):
    with pytest.raises(InputError) as err:
        read_graphml(graphml(tmp_path / "walk.graphml", length_bc="-50"))
    assert "edge (B -> C): length '-50' is negative" in str(err.value)


def test_every_bad_edge_is_listed_at_once(tmp_path):
    with pytest.raises(InputError) as err:
        read_graphml(graphml(tmp_path / "walk.graphml", length_ab="onbekend", length_bc="-1"))
    assert len(err.value.problems) == 2


@pytest.mark.parametrize("edit", [{"xa": "4,90"}, {"length_ab": "onbekend"}, {"length_bc": "-50"}])
def test_screen_with_a_bad_network_exits_1_and_finishes(tmp_path, edit):
    from llt_geo.cli import main

    folder = make_dataset(tmp_path / "d")
    network = graphml(tmp_path / "walk.graphml", **edit)
    out, code = io.StringIO(), []

    def run() -> None:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code.append(main(["screen", str(folder), "--network", str(network), "--out", str(tmp_path / "out")]))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(120)
    assert not worker.is_alive(), "screen --network did not finish"
    assert code == [1], out.getvalue()
    assert "walk.graphml" in out.getvalue()
