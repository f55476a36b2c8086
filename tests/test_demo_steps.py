"""The demo generator as named steps: each documented, called once in order, doing what it says.

That the regenerated files equal the committed ``data/demo`` byte for byte is checked by
``tests/test_demo.py::test_regenerating_gives_byte_identical_files``.
"""

import ast
import hashlib
import inspect
import re

import pytest

import llt_geo.demo as demo_module
from llt_geo.demo import generate_demo

from .conftest import DEMO

STEPS = sorted(
    (fn for name, fn in vars(demo_module).items() if name.startswith("_make_") and inspect.isfunction(fn)),
    key=lambda fn: fn.__code__.co_firstlineno,
)
WRITES = re.compile(r"^Writes: (.*)$", re.MULTILINE)
DRAWS = re.compile(r"^Draws(?: \((main|partner|settle) stream\))?: (.*)$", re.MULTILINE)


def documented_writes(step) -> set[str]:
    line = WRITES.search(inspect.getdoc(step)).group(1).split("Keeps:")[0]
    return set(re.findall(r"`([^`]+\.\w+)`", line))


def documented_stream(step) -> str | None:
    """'main', 'partner', 'settle', or None for a step documented to make no draws."""
    stream, what = DRAWS.search(inspect.getdoc(step)).groups()
    assert (stream is None) == what.startswith("none"), f"{step.__name__}: Draws line {what!r}"
    return stream


def test_there_are_steps_for_every_table():
    names = [step.__name__ for step in STEPS]
    assert len(names) >= 15
    assert names[0] == "_make_areas"
    assert names[-1] == "_make_readme"


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.__name__)
def test_each_step_says_what_it_writes_and_which_draws_it_makes(step):
    doc = inspect.getdoc(step)
    assert doc and len(doc.splitlines()[0]) > 20, f"{step.__name__} has no summary"
    assert WRITES.search(doc), f"{step.__name__}: no 'Writes:' line"
    assert DRAWS.search(doc), f"{step.__name__}: no 'Draws:' line"
    written = documented_writes(step)
    assert written or WRITES.search(doc).group(1).startswith("nothing"), step.__name__
    documented_stream(step)


def test_every_function_of_the_generator_is_short():
    tree = ast.parse(inspect.getsource(demo_module))
    long = {
        node.name: node.end_lineno - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno + 1 > 60
    }
    assert not long, f"functions over 60 lines: {long}"


def test_steps_run_once_each_in_the_order_defined_writing_and_drawing_what_they_say(tmp_path, monkeypatch):
    calls, seen = [], {}
    folder = tmp_path / "demo"

    def snapshot() -> dict[str, str]:
        if not folder.exists():
            return {}
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}

    def wrap(step):
        def wrapped(demo):
            before = snapshot()
            main, partner = demo.rng.bit_generator.state, demo.partner_rng.bit_generator.state
            settle = demo.settle_rng.bit_generator.state
            step(demo)
            after = snapshot()
            calls.append(step.__name__)
            seen[step.__name__] = {
                "wrote": {name for name in after if before.get(name) != after[name]},
                "main": demo.rng.bit_generator.state != main,
                "partner": demo.partner_rng.bit_generator.state != partner,
                "settle": demo.settle_rng.bit_generator.state != settle,
            }

        return wrapped

    for step in STEPS:
        monkeypatch.setattr(demo_module, step.__name__, wrap(step))
    generate_demo(folder)

    assert calls == [step.__name__ for step in STEPS], "generate_demo calls the steps in the order they are defined"
    for step in STEPS:
        did = seen[step.__name__]
        assert did["wrote"] == documented_writes(step), step.__name__
        stream = documented_stream(step)
        assert did["main"] == (stream == "main"), f"{step.__name__}: draws from the main stream: {did['main']}"
        assert did["partner"] == (stream == "partner"), f"{step.__name__}: draws from partner stream: {did['partner']}"
        assert did["settle"] == (stream == "settle"), f"{step.__name__}: draws from settle stream: {did['settle']}"
    written = [name for step in STEPS for name in documented_writes(step)]
    assert sorted(written) == sorted(p.name for p in DEMO.iterdir()), "each file of the demo by exactly one step"
