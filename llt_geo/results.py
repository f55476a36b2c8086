"""The one result of the analysis, which every output reads: :class:`Results`.

Data flows one way: :mod:`llt_geo.io` reads every file into a :class:`~llt_geo.io.Dataset`;
:func:`llt_geo.run` screens, chooses partners, measures spread and progress and solves the
portfolio per scenario, once, into a :class:`Results`; :func:`llt_geo.write_pack` and everything in
:mod:`llt_geo.present` write the stuurgroep's maps, figures, report, dossiers and CSVs from the
dataset and that result alone. A fact the stuurgroep sees (a provider, a cost, an in/out, a
reason) lives in one place here, and every page reads it from there.

This module holds only types: it imports no analysis at run time, so the outputs can import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .ladder import BudgetLadder
    from .partners import PartnerChoice
    from .portfolio import Portfolio
    from .screening import Screening
    from .spread import Spread

__all__ = ["DECISION_COLUMNS", "OUTCOMES", "Decision", "Results"]

#: What a candidate is in one scenario: funded, not funded (but could be), cannot be funded, or
#: already counted (realised, chosen, in development).
OUTCOMES = ("in", "out", "not", "fixed")

#: The columns of :attr:`Decision.flats`.
DECISION_COLUMNS = (
    "candidate_id",
    "outcome",
    "in_portfolio",
    "cost",
    "provider_id",
    "provider_name",
    "provider_score",
    "welfare_id",
    "welfare_name",
    "reason_nl",
    "open_points_nl",
    "on_condition",
)


@dataclass(frozen=True)
class Decision:
    """One scenario's decision: per candidate in or out, its partners, its cost and why.

    Attributes
    ----------
    name : str
        ``"basis"`` or the scenario's name under ``[scenarios]``.
    status : str
        ``"optimal"``, ``"time limit"`` or ``"infeasible"``.
    explanation : str
        Dutch, when infeasible: the conflicting rules and what would make it feasible.
    budget_eur : float
        The subsidy available in this scenario.
    flats : DataFrame
        One row per candidate the scenario speaks of (every open candidate, and the flats already
        counted), sorted by ``candidate_id``; columns :data:`DECISION_COLUMNS` and, where the
        portfolio computed them, ``score_change_needed`` and ``in_share_weights_vary``.
        ``outcome`` is one of :data:`OUTCOMES`. For a funded candidate (``in``),
        ``provider_id`` is the voorkeursaanbieder the portfolio chose together with the flats,
        and ``welfare_id`` the welfare organisation of 4; for every other candidate they are empty.
        ``cost`` is the subsidy in euros (NaN when unknown). ``open_points_nl`` lists, in Dutch,
        what is still open ("" when nothing): *onder voorbehoud: ...* (an unknown the configuration
        allows, with ``[portfolio] onder_voorbehoud_reason``) and *voldoet (ongeveer): ...* (3.1's
        size within the tolerance); ``on_condition`` is True for a candidate that would be funded
        onder voorbehoud.
    """

    name: str
    status: str
    explanation: str
    budget_eur: float
    flats: pd.DataFrame

    @property
    def funded(self) -> pd.DataFrame:
        """The funded candidates (``outcome == "in"``)."""
        return self.flats[self.flats["outcome"] == "in"]

    def row(self, candidate_id: str) -> pd.Series | None:
        """The decision about one candidate, or None when the scenario does not speak of it."""
        hit = self.flats[self.flats["candidate_id"] == str(candidate_id)]
        return hit.iloc[0] if len(hit) else None


@dataclass(frozen=True)
class Results:
    """Everything the analysis found, computed once by :func:`llt_geo.run`.

    Attributes
    ----------
    screening : Screening
        The 3.1 screening: flats, candidates, criteria, areas, proximity.
    partners : PartnerChoice or None
        The partner choice (2.2-2.4, 3.2, 4), with the providers of the basis decision for the
        funded candidates (:func:`llt_geo.partners.with_decided_providers`); None when only the
        screening was asked for.
    spread : Spread or None
        Spread over the stadsdelen and wijken (3.1).
    progress : DataFrame or None
        The pipeline toward the goal per year (:func:`llt_geo.spread.progress_table`).
    progress_nl : str
        The progress in one Dutch sentence.
    portfolio : Portfolio or None
        Every scenario solved; None when ``[programme] budget_eur`` is not set.
    decisions : Mapping of str to Decision
        Per scenario (``"basis"`` first) the decision every output states; empty without portfolio.
    wijk_ageing : DataFrame or None
        Per wijk the share 65+ and whether it is ageing, as the screening decided it (``[areas]``).
    network : str or None
        The walking network the distances were measured along (None: straight-line).
    notes : tuple of Problem
        What the analyst should know from the screening and the partner choice.
    exploration : dict or None
        The basis's portfolio model as plain data, with the settings of the basis and of each
        scenario (:func:`llt_geo.verkenning.exploration_model`), for the pack's verkenning; None
        without portfolio.
    ladder : BudgetLadder or None
        The basis's best portfolio at every budget (:func:`llt_geo.ladder.budget_ladder`); None
        without portfolio or when the basis has none at any budget.
    core : DataFrame or None
        Per open candidate of the basis its core index over the care-weight draws and the ladder's
        steps (:func:`llt_geo.ladder.core_index`: ``core_index``, ``core_nl``), from which
        budget it is in (``from_eur``) and whether it stays in at every higher step (``stays_in``);
        None without portfolio.
    """

    screening: Screening
    partners: PartnerChoice | None = None
    spread: Spread | None = None
    progress: pd.DataFrame | None = None
    progress_nl: str = ""
    portfolio: Portfolio | None = None
    decisions: Mapping[str, Decision] = field(default_factory=dict)
    wijk_ageing: pd.DataFrame | None = None
    network: str | None = None
    notes: tuple = ()
    exploration: dict | None = None
    ladder: BudgetLadder | None = None
    core: pd.DataFrame | None = None

    @property
    def basis(self) -> Decision | None:
        """The decision of the base configuration, or None without portfolio."""
        return self.decisions.get("basis")
