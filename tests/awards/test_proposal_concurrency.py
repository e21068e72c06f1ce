"""Two reviewers acting on one proposal at the same moment: exactly one action applies, the
other gets a clear message. Real concurrent transactions need PostgreSQL (row locks)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guongsang.awards import proposals
from guongsang.awards.models import Proposal, ProposalState, ProposalStep
from guongsang.units.models import Unit

from ..exemplars.test_concurrency import race
from ..factories import Role, make_user
from . import proposal_fixtures

world = proposal_fixtures.world  # the fixture, shared by the proposal tests


@pytest.mark.postgres_only
@pytest.mark.parametrize("second", ["return", "reject", "forward"])
def test_two_reviewers_on_the_same_version_one_wins(transactional_db, world, second):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    cast = world.cast
    proposal = world.submitted()
    version = proposal.version
    other = make_user(
        Unit.objects.get(pk=cast.province.pk), Role.REVIEWER, username="tinh.reviewer"
    )

    def accept():
        proposals.proposal_forward(
            by=cast.province_admin, proposal=Proposal(pk=proposal.pk), version=version
        )

    def act():
        proposals.review(
            by=other,
            proposal=Proposal(pk=proposal.pk),
            action=second,
            version=version,
            reason="Thiếu hồ sơ",
        )

    results = race([accept, act])
    assert results.count("ok") == 1, results
    (error,) = [r for r in results if r != "ok"]
    assert isinstance(error, ValidationError), repr(error)
    assert error.code == "stale"
    assert "tải lại trang" in " ".join(error.messages)
    proposal.refresh_from_db()
    assert proposal.version == version + 1
    assert ProposalStep.objects.filter(proposal_id=proposal.pk).count() == 2
    assert proposal.state in (
        ProposalState.ACCEPTED,
        ProposalState.RETURNED,
        ProposalState.REJECTED,
    )
