"""The village's published resolutions and outcomes on its public page (/public/<code>/, no
sign-in; DESIGN.md section 7): decisions of the village and its cooperatives whose resolution was
published, newest first, with the meeting that adopted them and, once its outcome is published,
how they were carried out. Nothing about any person: no names, no recorder, no withdrawal reason."""

from __future__ import annotations

from rights_lists.choices import DecisionState, PublicationKind
from rights_lists.models import Decision
from rights_lists.pages.base import yuan

# The public page lists this many decisions, the latest published first.
PUBLIC_DECISIONS_SHOWN = 30


def public_decisions(division) -> dict | None:
    """The section's context (governance.registry.public_sections), or None when the village has
    published no resolution. Four queries, whatever the number of decisions."""
    decisions = list(
        Decision.objects.resolution_published_in(division.code)
        .select_related("division", "item", "implementation")
        .prefetch_related("steps", "publications")
        .order_by("-resolution_on", "-id")[:PUBLIC_DECISIONS_SHOWN]
    )
    if not decisions:
        return None
    rows = []
    for decision in decisions:
        steps = sorted(decision.steps.all(), key=lambda row: (row.held_on, row.pk))
        publications = {publication.kind: publication for publication in decision.publications.all()}
        outcome = publications.get(PublicationKind.OUTCOME)
        rows.append(
            {
                "decision": decision,
                "in_cooperative": decision.division_id != division.code,
                "amount_yuan": yuan(decision.amount_fen),
                "resolution_on": decision.resolution_on,
                "adopted_by": steps[-1] if steps else None,
                "outcome": outcome,
                # How it was carried out is public once its outcome is (实施结果公开).
                "implementation": decision.implementation if outcome else None,
                "withdrawn": decision.state == DecisionState.WITHDRAWN,
            }
        )
    return {"decisions": rows}
