"""Commendation in the audit log (issue 11, point 6): review decisions on proposals, the close of
a council's vote (outcomes only), the issue of a decision, a certificate's revocation and the
exports of personal data, each once, filed under the unit whose admins read it."""

import pytest

from guongsang.audit.models import Action, AuditEntry
from guongsang.awards import certificates, decisions, proposals
from guongsang.awards.models import Certificate, Proposal

from . import proposal_fixtures
from .test_decisions import closed  # noqa: F401 (fixture)
from .test_proposal_views import b_proposal  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

world = proposal_fixtures.world


def entries(action):
    return list(AuditEntry.objects.filter(action=action))


def test_review_decisions_are_logged_under_the_proposing_unit(world, b_proposal):  # noqa: F811
    cast = world.cast
    proposal = world.submitted()
    proposals.proposal_return(
        by=cast.province_admin, proposal=proposal, version=proposal.version, reason="Bổ sung"
    )
    [returned] = entries(Action.PROPOSAL_RETURN)
    assert (returned.actor, returned.unit, returned.object_id) == (
        cast.province_admin,
        cast.commune_a,
        proposal.pk,
    )
    assert returned.details["reason"] == "Bổ sung"
    proposal = Proposal.objects.get(pk=proposal.pk)
    proposal = proposals.proposal_submit(
        by=cast.a_staff, proposal=proposal, version=proposal.version
    )
    proposals.proposal_forward(by=cast.province_admin, proposal=proposal, version=proposal.version)
    [accepted] = entries(Action.PROPOSAL_ACCEPT)  # at the round's own unit: accepted
    assert (accepted.unit, accepted.object_id) == (cast.commune_a, proposal.pk)
    proposals.proposal_reject(
        by=cast.province_admin, proposal=b_proposal, version=b_proposal.version, reason="Chưa đủ"
    )
    [rejected] = entries(Action.PROPOSAL_REJECT)
    assert (rejected.unit, rejected.details["reason"]) == (cast.commune_b, "Chưa đủ")
    # Submitting is the unit's own step, not a review decision.
    assert AuditEntry.objects.filter(action__startswith="proposal_").count() == 3


def test_close_issue_revoke_and_exports_are_logged(cast, closed):  # noqa: F811
    session, _hoa, _lan = closed
    [close] = entries(Action.SESSION_CLOSE)
    # The outcome only: one item passed, one failed; nothing of who voted what.
    assert close.unit == cast.province
    assert (close.details["passed"], close.details["failed"]) == (1, 1)
    assert set(close.details) == {"passed", "failed", "present", "written"}
    decision = decisions.decision_draft(by=cast.province_admin, session=session)
    decision = decisions.decision_issue(by=cast.province_admin, decision=decision)
    [issued] = entries(Action.DECISION_ISSUE)
    assert issued.object_label == decision.document.symbol and issued.details["lines"] == 1
    cert = Certificate.objects.get()
    certificates.revoke(by=cast.province_admin, certificate=cert, reason="Cấp nhầm")
    certificates.revoke(by=cast.province_admin, certificate=cert, reason="Lần nữa")
    [revoked] = entries(Action.CERTIFICATE_REVOKE)
    assert revoked.details == {"reason": "Cấp nhầm"} and revoked.unit == cast.province
    client = cast.client_for(cast.province_admin)
    assert client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/tien-thuong.xlsx").status_code == 200
    [export] = entries(Action.EXPORT)
    assert export.details["what"] == "awards.payout" and export.details["rows"] == 1
