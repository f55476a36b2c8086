"""Progress bars for the long steps (reading and screening at city scale), quiet where nobody watches.

A bar appears only when a step runs longer than :data:`DELAY_S` seconds (tqdm's ``delay``), so the
demo's 150 flats never show one and a million buildings do. It is drawn with tqdm: a text bar in a
terminal, a widget in JupyterLab when ``ipywidgets`` is installed (else the text bar, which
JupyterLab shows too).

Quiet, whatever the size, when:

* the environment variable ``LLT_GEO_PROGRESS`` is ``0``, ``false``, ``no`` or ``off``;
* ``CI`` is set (GitHub Actions, GitLab and most CI services set it) or pytest is running a test
  (``PYTEST_CURRENT_TEST``);
* standard error is not a terminal and the code does not run in a Jupyter kernel (a log file or a
  pipe would fill with bar redraws).

``LLT_GEO_PROGRESS=1`` forces the bars on (they still wait :data:`DELAY_S` seconds).

Example::

    with progress("Lezen", total=4, unit="stap") as bar:
        ...
        bar.step("waarden controleren")
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["DELAY_S", "Progress", "enabled", "progress"]

DELAY_S = 2.0
_OFF = {"0", "false", "no", "off"}
_ON = {"1", "true", "yes", "on"}
_QUIET_WHEN_SET = ("CI", "PYTEST_CURRENT_TEST")


def _in_jupyter() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def enabled() -> bool:
    """Whether progress bars may be shown here (see the module docstring for the rules)."""
    setting = os.environ.get("LLT_GEO_PROGRESS", "").strip().lower()
    if setting in _OFF:
        return False
    if setting in _ON:
        return True
    if any(os.environ.get(name) for name in _QUIET_WHEN_SET):
        return False
    if _in_jupyter():
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """A counted bar: call :meth:`step` after each unit of work, optionally naming the next one."""

    def __init__(self, bar) -> None:
        self._bar = bar

    def step(self, label: str | None = None, n: int = 1) -> None:
        if self._bar is None:
            return
        if label is not None:
            self._bar.set_postfix_str(label, refresh=False)
        self._bar.update(n)


def _tqdm_class():
    if _in_jupyter():
        try:
            import ipywidgets  # noqa: F401
            from tqdm.notebook import tqdm

            return tqdm
        except ImportError:
            pass
    from tqdm import tqdm

    return tqdm


@contextmanager
def progress(desc: str, total: int, *, unit: str = "stap") -> Iterator[Progress]:
    """A bar of ``total`` steps labelled ``desc``, shown after :data:`DELAY_S` seconds, or nothing."""
    if not enabled():
        yield Progress(None)
        return
    bar = _tqdm_class()(total=total, desc=desc, unit=unit, delay=DELAY_S, leave=False, file=sys.stderr)
    try:
        yield Progress(bar)
    finally:
        bar.close()
