"""The analyst's verkenning in JupyterLab: controls over ``Results`` that solve the portfolio again.

:func:`verkenning_controls` gives an ``ipywidgets`` box (budget, focus share, cap per corporation)
whose every change is solved by Python's own portfolio (:func:`llt_geo.verkenning.explore`), as the
pack's ``verkenning.html`` does in the browser. ``ipywidgets`` is a dependency of the ``notebooks``
extra only; it is imported when the controls are made.
"""

from __future__ import annotations

__all__ = ["verkenning_controls"]


def verkenning_controls(dataset, screening, partners, settings: dict):
    """A box of controls and the line of its latest verkenning (each change solved again)."""
    import ipywidgets as widgets

    from .verkenning import explore

    budget = widgets.IntSlider(
        value=int(settings["budget_eur"]), min=1_500_000, max=3_500_000, step=5_000, description="budget",
        layout=widgets.Layout(width="600px"),
    )  # fmt: skip
    focus = widgets.FloatSlider(value=settings["min_focus_share"], min=0, max=1, step=0.05, description="focus")
    per_corp = widgets.IntSlider(value=settings["max_per_corporation"], min=1, max=12, description="per corp.")
    output = widgets.Output()

    def on_change(_change=None) -> None:
        chosen = settings | {
            "budget_eur": float(budget.value),
            "min_focus_share": float(focus.value),
            "max_per_corporation": int(per_corp.value),
        }
        output.clear_output()
        with output:
            print(explore(dataset, screening, partners, chosen))

    for control in (budget, focus, per_corp):
        control.observe(on_change, names="value")
    on_change()
    return widgets.VBox([budget, focus, per_corp, output])
