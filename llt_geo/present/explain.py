"""The partner choice of one candidate in Dutch sentences (``partners_toelichting.txt``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..labels import ASPECTS, FREE_CHOICE_NL, nl_int, nl_number

if TYPE_CHECKING:
    from ..partners import PartnerChoice

__all__ = ["explain_choice"]


def explain_choice(choice: PartnerChoice, candidate_id: str, weights: dict[str, float] | None = None) -> str:
    """The choice for one candidate in Dutch: who, why above the runner-up (aspect by aspect), how
    stable, the welfare organisation, the corporation's say, the process — and free choice."""
    a = choice.assignment.set_index("candidate_id").loc[candidate_id]
    s = choice.scores[choice.scores["candidate_id"] == candidate_id].set_index("provider_id")
    lines = [
        f"Kandidaat {candidate_id}" + (f" (groep van {a['n_members']} flats: {a['members']})" if a["is_group"] else "")
    ]
    if pd.isna(a["provider_id"]):
        lines.append(f"Voorkeursaanbieder zorg: geen — {a['choice_nl']}.")
    else:
        lines.append(f"Voorkeursaanbieder zorg: {a['choice_nl']}.")
        chosen = s.loc[a["provider_id"]]
        for asp, (_key, name, sec) in ASPECTS.items():
            lines.append(f"  - {name} ({sec}): {nl_number(chosen[f'{asp}_score'], 2)} — {chosen[f'{asp}_reason']}")
        if pd.notna(a["runner_up_id"]):
            other = s.loc[a["runner_up_id"]]
            w = weights or dict.fromkeys(ASPECTS, 1.0)
            total = sum(w.values())
            diffs = sorted(
                ((chosen[f"{x}_score"] - other[f"{x}_score"]) * w[x] / total, ASPECTS[x][1]) for x in ASPECTS
            )
            plus = [f"{n} (+{nl_number(d, 3)})" for d, n in reversed(diffs) if d > 1e-9]
            minus = [f"{n} ({nl_number(d, 3)})" for d, n in diffs if d < -1e-9]
            lines.append(
                f"Ten opzichte van {a['runner_up_id']} (score {nl_number(a['runner_up_score'], 3)}): "
                + (f"sterker in {', '.join(plus)}" if plus else "nergens sterker")
                + (f"; zwakker in {', '.join(minus)}" if minus else "")
                + "."
            )
        if pd.notna(a["stays_first_share"]):
            lines.append(
                f"Robuustheid: bij {nl_int(100 * a['stays_first_share'])}% van de gevarieerde gewichten blijft deze "
                "aanbieder de beste voor deze flat."
            )
    lines.append(
        "Welzijnsorganisatie (4): "
        + (f"{a['welfare_name']} — {a['welfare_reason']}." if pd.notna(a["welfare_id"]) else f"{a['welfare_reason']}.")
    )
    lines.append(f"Corporatie (3.2, laatste woord): {a['consent_nl']}.")
    if pd.notna(a["process_nl"]):
        lines.append(f"Keuzeproces (2.4): {a['process_nl']}.")
    lines.append(FREE_CHOICE_NL)
    return "\n".join(lines)
