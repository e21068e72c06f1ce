"""Audit tests on the fixed cast, with the exemplar pipeline and the outreach helpers for the
review, consent and publication events."""

import pytest

from guongsang.audit.models import AuditEntry
from guongsang.exemplars.models import Exemplar

from ..exemplars import conftest as pipeline
from ..outreach.conftest import Column

movement = pipeline.movement
criteria_set = pipeline.criteria_set
review_round = pipeline.review_round
reviewer = pipeline.reviewer
world = pipeline.world


@pytest.fixture
def column(world) -> Column:
    return Column(world)


def recognised(world, name: str | None = None) -> Exemplar:
    """An exemplar of branch A1 through the pipeline (nominated up to the province and
    recognised there)."""
    nomination = world.recognised(**({"name": name} if name else {}))
    return Exemplar.objects.select_related("subject__unit").get(nomination=nomination)


def one(action: str, **filters) -> AuditEntry:
    """The one entry of ``action`` (and ``filters``); fails on none or several."""
    found = list(AuditEntry.objects.filter(action=action, **filters))
    assert len(found) == 1, [(e.action, e.actor_username, e.details) for e in found]
    return found[0]


def everything_written() -> str:
    """Every text of every entry, to look for what must never be there."""
    return "\n".join(
        f"{e.actor_username} {e.unit_name} {e.object_label} {e.details} {e.address}"
        for e in AuditEntry.objects.all()
    )
