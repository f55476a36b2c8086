"""Progress bars: shown after two seconds in a terminal or Jupyter, quiet in CI, tests and pipes."""

import io
import sys

import pytest

from llt_geo import progress as prog


@pytest.fixture
def clean_env(monkeypatch):
    """No setting, no CI; pytest sets PYTEST_CURRENT_TEST again per phase, so ``enabled`` is patched to ignore it."""
    for name in ("LLT_GEO_PROGRESS", "CI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(prog, "_QUIET_WHEN_SET", ("CI",))
    return monkeypatch


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_quiet_under_pytest_and_ci(monkeypatch):
    monkeypatch.delenv("LLT_GEO_PROGRESS", raising=False)
    assert not prog.enabled()  # PYTEST_CURRENT_TEST is set while this runs
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(sys, "stderr", _Tty())
    assert not prog.enabled()


def test_terminal_shows_a_pipe_does_not(clean_env):
    clean_env.setattr(sys, "stderr", _Tty())
    assert prog.enabled()
    clean_env.setattr(sys, "stderr", io.StringIO())
    assert not prog.enabled()


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("off", False), ("1", True), ("yes", True)])
def test_the_variable_decides(clean_env, value, expected):
    clean_env.setenv("LLT_GEO_PROGRESS", value)
    clean_env.setattr(sys, "stderr", io.StringIO())
    assert prog.enabled() is expected


def test_a_bar_waits_two_seconds_and_then_draws(clean_env):
    err = _Tty()
    clean_env.setattr(sys, "stderr", err)
    clean_env.setattr(prog, "DELAY_S", 0.0)
    with prog.progress("Lezen", total=3) as bar:
        for label in ("a", "b", "c"):
            bar.step(label)
    assert "Lezen" in err.getvalue()
    err = _Tty()
    clean_env.setattr(sys, "stderr", err)
    clean_env.setattr(prog, "DELAY_S", 60.0)
    with prog.progress("Lezen", total=3) as bar:
        bar.step("a")
    assert err.getvalue() == ""  # a short step never shows a bar


def test_quiet_bar_accepts_steps(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    with prog.progress("Screenen", total=2) as bar:
        bar.step("x")
        bar.step()
    assert err.getvalue() == ""


def test_loading_a_dataset_shows_its_bar_naming_the_tables(clean_env):
    """Loading shows a bar (here at once: no two-second wait) over the tables and the checks across them."""
    from llt_geo import load_dataset

    from .conftest import DEMO

    err = _Tty()
    clean_env.setattr(sys, "stderr", err)
    clean_env.setattr(prog, "DELAY_S", 0.0)
    load_dataset(DEMO)
    text = err.getvalue()
    from llt_geo.schema import TABLES

    # one step per table and one for the checks across them; tqdm redraws at most every 0.1 s, so
    # which table names appear depends on the machine's speed
    assert "Inlezen" in text and f"/{len(TABLES) + 1} " in text and "tabel" in text
