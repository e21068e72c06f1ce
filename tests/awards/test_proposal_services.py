"""Proposal services: rounds, items, eligibility on submit, the review up the tree."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from guongsang.awards import proposals
from guongsang.awards.models import (
    Proposal,
    ProposalItem,
    ProposalState,
    ProposalStep,
)
from guongsang.notifications.models import Notification
from guongsang.plans import services as plan_services

from . import proposal_fixtures
from .conftest import LDTT, SANG_KIEN
from .proposal_fixtures import BANG_KHEN_TINH, CSTD_CS, GIAY_KHEN_TINH

world = proposal_fixtures.world  # the fixture, shared by the proposal tests

S = ProposalState


def messages_of(exc) -> str:
    return " ".join(exc.value.messages)


# ---- rounds ---------------------------------------------------------------------------------------
def test_round_create_needs_edit_on_the_unit(aw, today):
    with pytest.raises(ValidationError):
        proposals.round_create(
            by=aw.cast.a_staff,
            unit=aw.cast.province,
            title="Đợt",
            year=today.year,
            period_start=today,
            period_end=today,
            deadline=today,
        )


def test_round_create_checks_dates_and_types(aw, today):
    with pytest.raises(ValidationError) as exc:
        proposals.round_create(
            by=aw.cast.province_admin,
            unit=aw.cast.province,
            title="  ",
            year=today.year,
            period_start=today,
            period_end=today - dt.timedelta(days=1),
            deadline=today - dt.timedelta(days=5),
            award_types=[aw.catalogue["giay-khen-hoi-xa"]],
        )
    errors = exc.value.message_dict
    assert set(errors) == {"title", "period_end", "deadline", "award_types"}


def test_round_close_stops_new_proposals(world):
    proposals.round_close(by=world.cast.province_admin, round=world.rnd)
    world.rnd.refresh_from_db()
    with pytest.raises(ValidationError, match="kết thúc"):
        world.open()


# ---- opening and items ----------------------------------------------------------------------------
def test_open_once_per_unit_and_inside_the_round(world):
    first = world.open()
    assert world.open().pk == first.pk
    assert first.state == S.DRAFT and first.at_unit == world.cast.commune_a
    with pytest.raises(ValidationError):  # b_staff cannot draft for commune A
        world.open(by=world.cast.b_staff)
    with pytest.raises(ValidationError):  # the other province is outside the round
        proposals.proposal_open(by=None, round=world.rnd, unit=world.cast.other_commune)


def test_branch_viewer_cannot_open(world):
    with pytest.raises(ValidationError):
        world.open(unit=world.cast.branch_a, by=world.cast.branch_viewer)


def test_item_add_checks_subject_and_award_type(world):
    proposal = world.open()
    aw = world.aw
    with pytest.raises(ValidationError, match="không thuộc"):
        proposals.item_add(
            by=world.cast.a_staff,
            proposal=proposal,
            subject=aw.b_individual,
            award_type=world.t(GIAY_KHEN_TINH),
        )
    with pytest.raises(ValidationError, match="không do"):  # a commune's Giấy khen
        proposals.item_add(
            by=world.cast.a_staff,
            proposal=proposal,
            subject=aw.individual,
            award_type=world.t("giay-khen-hoi-xa"),
        )
    with pytest.raises(ValidationError, match="không dành cho"):  # CSTĐ is for individuals
        proposals.item_add(
            by=world.cast.a_staff,
            proposal=proposal,
            subject=aw.collective,
            award_type=world.t(CSTD_CS),
        )
    item = proposals.item_add(
        by=world.cast.a_staff,
        proposal=proposal,
        subject=aw.individual,
        award_type=world.t(GIAY_KHEN_TINH),
    )
    with pytest.raises(ValidationError, match="đã có"):
        proposals.item_add(
            by=world.cast.a_staff,
            proposal=proposal,
            subject=aw.individual,
            award_type=world.t(GIAY_KHEN_TINH),
        )
    assert item.order == 0
    assert Proposal.objects.get(pk=proposal.pk).version == proposal.version + 1


def test_item_add_respects_the_round_list(world):
    world.rnd.award_types.set([world.t(BANG_KHEN_TINH)])
    proposal = world.open()
    with pytest.raises(ValidationError, match="Đợt này không xét"):
        proposals.item_add(
            by=world.cast.a_staff,
            proposal=proposal,
            subject=world.aw.individual,
            award_type=world.t(GIAY_KHEN_TINH),
        )


def test_item_text_refuses_nul(world):
    proposal = world.open()
    with pytest.raises(ValidationError) as exc:
        proposals.item_add(
            by=world.cast.a_staff,
            proposal=proposal,
            subject=world.aw.individual,
            award_type=world.t(GIAY_KHEN_TINH),
            summary="a\x00b",
        )
    assert "summary" in exc.value.message_dict
    assert not ProposalItem.objects.exists()


def test_item_update_and_remove(world):
    proposal = world.with_items()
    item = proposal.items.get()
    proposals.item_update(by=world.cast.a_staff, item=item, summary="Mới", achievements="Dài")
    item.refresh_from_db()
    assert (item.summary, item.achievements) == ("Mới", "Dài")
    proposals.item_remove(by=world.cast.a_staff, item=item)
    assert not proposal.items.exists()


def test_items_from_exemplars(world):
    aw = world.aw
    year = world.rnd.year
    world.exemplar(aw.individual, report="Thành tích nổi bật trong sản xuất")
    world.exemplar(aw.household)
    world.exemplar(aw.collective, on=dt.date(year - 1, 6, 1))  # outside the period
    world.exemplar(aw.b_individual)  # commune B's
    proposal = world.open()
    added, skipped = proposals.items_from_exemplars(
        by=world.cast.a_staff, proposal=proposal, award_type=world.t(GIAY_KHEN_TINH)
    )
    assert {i.subject for i in added} == {aw.individual, aw.household}
    by_subject = {i.subject_id: i for i in proposal.items.all()}
    assert by_subject[aw.individual.pk].achievements == "Thành tích nổi bật trong sản xuất"
    assert by_subject[aw.individual.pk].nomination is not None
    assert by_subject[aw.household.pk].achievements == ""
    assert skipped == []
    # Again: nothing new, those already in the proposal are skipped.
    added, skipped = proposals.items_from_exemplars(
        by=world.cast.a_staff, proposal=proposal, award_type=world.t(GIAY_KHEN_TINH)
    )
    assert added == [] and proposal.items.count() == 2


def test_items_from_exemplars_skips_kinds_the_award_is_not_for(world):
    world.exemplar(world.aw.collective)
    proposal = world.open()
    added, skipped = proposals.items_from_exemplars(
        by=world.cast.a_staff, proposal=proposal, award_type=world.t(CSTD_CS)
    )
    assert added == [] and len(skipped) == 1 and "không dành cho" in skipped[0]


# ---- submit ---------------------------------------------------------------------------------------
def test_submit_moves_to_the_parent_and_notifies(world):
    proposal = world.with_items()
    result = proposals.proposal_submit(
        by=world.cast.a_staff, proposal=proposal, version=proposal.version
    )
    assert result.state == S.SUBMITTED
    assert result.at_unit == world.cast.province
    assert result.at_path == world.cast.province.path
    assert [s.action for s in result.steps.all()] == ["submit"]
    assert Notification.objects.filter(user=world.cast.province_admin).exists()
    item = result.items.get()
    assert item.eligibility and all(f["ok"] for f in item.eligibility)
    # A tờ trình draft of the commune, listing the subject.
    result.refresh_from_db()
    assert result.document is not None and result.document.doc_type == "TTr"
    assert world.aw.individual.name in result.document.body


def test_a_corrected_proposal_gets_a_new_statement_once_the_issued_one_is_stale(world):
    """The tờ trình issued with the first list stays in the register; resubmitted unchanged it
    is still the proposal's, resubmitted with another list a new draft replaces it."""
    cast = world.cast
    proposal = world.with_items()
    proposal = proposals.proposal_submit(
        by=cast.a_staff, proposal=proposal, version=proposal.version
    )
    proposal.refresh_from_db()
    first = plan_services.document_issue(document=proposal.document, by=cast.a_staff)
    assert first.is_issued

    def send_back_and_resubmit(change=None):
        nonlocal proposal
        proposal.refresh_from_db()
        proposals.proposal_return(
            by=cast.province_admin, proposal=proposal, version=proposal.version, reason="Bổ sung"
        )
        proposal.refresh_from_db()
        if change:
            change(proposal)
            proposal.refresh_from_db()
        proposals.proposal_submit(by=cast.a_staff, proposal=proposal, version=proposal.version)
        proposal.refresh_from_db()
        return proposal.document

    assert send_back_and_resubmit() == first  # the same list: the issued tờ trình stands
    item = proposal.items.get()
    second = send_back_and_resubmit(
        lambda p: proposals.item_update(by=cast.a_staff, item=item, summary="Thêm một mô hình")
    )
    assert second.pk != first.pk and not second.is_issued
    assert "Thêm một mô hình" in second.body and "Thêm một mô hình" not in first.body
    first.refresh_from_db()
    assert first.is_issued  # kept in the register as issued


def test_submit_needs_an_item_and_the_version(world):
    proposal = world.open()
    with pytest.raises(ValidationError, match="chưa có đối tượng"):
        proposals.proposal_submit(
            by=world.cast.a_staff, proposal=proposal, version=proposal.version
        )
    proposal = world.with_items()
    with pytest.raises(ValidationError) as exc:
        proposals.proposal_submit(
            by=world.cast.a_staff, proposal=proposal, version=proposal.version - 1
        )
    assert exc.value.code == "stale"


def test_blocking_finding_refuses_with_a_message_per_subject(world):
    aw = world.aw
    proposal = world.with_items(codes=(CSTD_CS,))
    with pytest.raises(ValidationError) as exc:
        proposals.proposal_submit(
            by=world.cast.a_staff, proposal=proposal, version=proposal.version
        )
    text = messages_of(exc)
    assert aw.individual.name in text and "Lao động tiên tiến" in text
    assert Proposal.objects.get(pk=proposal.pk).state == S.DRAFT
    assert not ProposalStep.objects.exists()


def test_warnings_are_stored_and_do_not_block(world):
    aw = world.aw
    aw.give(aw.individual, BANG_KHEN_TINH, world.rnd.year - 1)
    proposal = world.with_items(codes=(BANG_KHEN_TINH,))
    result = proposals.proposal_submit(
        by=world.cast.a_staff, proposal=proposal, version=proposal.version
    )
    assert result.state == S.SUBMITTED
    stored = result.items.get().eligibility
    warns = [f for f in stored if not f["ok"]]
    assert warns and all(f["severity"] == "warn" for f in warns)
    assert set(stored[0]) == {"kind", "severity", "ok", "message"}


def test_share_cap_counts_the_items_of_the_type(world):
    aw = world.aw
    year = world.rnd.year
    for subject in (aw.individual,):
        aw.give(subject, LDTT, year)
        aw.give(subject, SANG_KIEN, year)
    proposal = world.with_items(codes=(CSTD_CS,))
    result = proposals.proposal_submit(
        by=world.cast.a_staff, proposal=proposal, version=proposal.version
    )
    cap = [f for f in result.items.get().eligibility if f["kind"] == "share_cap"]
    assert cap and cap[0]["ok"] is False and cap[0]["severity"] == "warn"


def test_the_round_units_own_proposal_is_accepted_at_once(world):
    aw = world.aw
    proposal = proposals.proposal_open(
        by=world.cast.province_admin, round=world.rnd, unit=world.cast.province
    )
    proposals.item_add(
        by=world.cast.province_admin,
        proposal=proposal,
        subject=aw.individual,
        award_type=world.t(GIAY_KHEN_TINH),
    )
    proposal.refresh_from_db()
    result = proposals.proposal_submit(
        by=world.cast.province_admin, proposal=proposal, version=proposal.version
    )
    assert result.state == S.ACCEPTED
    assert [s.action for s in result.steps.all()] == ["submit", "accept"]


# ---- review ---------------------------------------------------------------------------------------
def test_branch_proposal_goes_up_each_level_and_is_accepted(world):
    cast = world.cast
    proposal = world.submitted(unit=cast.branch_a)
    assert proposal.at_unit == cast.commune_a
    with pytest.raises(ValidationError):  # the province staff of another commune? no: B
        proposals.proposal_forward(by=cast.b_staff, proposal=proposal, version=proposal.version)
    with pytest.raises(ValidationError):  # staff edit, they do not review
        proposals.proposal_forward(by=cast.a_staff, proposal=proposal, version=proposal.version)
    proposal = proposals.proposal_forward(
        by=cast.a_admin, proposal=proposal, version=proposal.version
    )
    assert proposal.at_unit == cast.province and proposal.state == S.SUBMITTED
    proposal = proposals.proposal_forward(
        by=cast.province_admin, proposal=proposal, version=proposal.version, reason="Đủ hồ sơ"
    )
    assert proposal.state == S.ACCEPTED
    assert [s.action for s in proposal.steps.all()] == ["submit", "forward", "accept"]
    assert Notification.objects.filter(user=cast.a_staff, text__contains="tiếp nhận").exists()
    groups = proposals.consolidated(world.rnd)
    assert [(t.code, [i.subject for i in items]) for t, items in groups] == [
        (GIAY_KHEN_TINH, [world.aw.individual])
    ]


def test_return_needs_a_reason_and_makes_it_editable_again(world):
    cast = world.cast
    proposal = world.submitted()
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            proposals.proposal_return(
                by=cast.province_admin, proposal=proposal, version=proposal.version, reason=reason
            )
        assert "reason" in exc.value.message_dict
    proposal = proposals.proposal_return(
        by=cast.province_admin,
        proposal=proposal,
        version=proposal.version,
        reason="Thiếu minh chứng",
    )
    assert proposal.state == S.RETURNED and proposal.editable
    assert proposal.at_unit == cast.commune_a
    assert Notification.objects.filter(user=cast.a_staff, text__contains="trả lại").exists()
    # Resubmittable.
    proposal = proposals.proposal_submit(
        by=cast.a_staff, proposal=proposal, version=proposal.version
    )
    assert proposal.state == S.SUBMITTED
    assert [s.action for s in proposal.steps.all()] == ["submit", "return", "submit"]
    assert proposal.steps.get(action="return").reason == "Thiếu minh chứng"


def test_reject_is_final(world):
    cast = world.cast
    proposal = world.submitted()
    with pytest.raises(ValidationError):
        proposals.proposal_reject(
            by=cast.province_admin, proposal=proposal, version=proposal.version, reason=""
        )
    proposal = proposals.proposal_reject(
        by=cast.province_admin,
        proposal=proposal,
        version=proposal.version,
        reason="Không đúng đối tượng",
    )
    assert proposal.state == S.REJECTED and not proposal.editable
    for action in ("forward", "return", "reject"):
        with pytest.raises(ValidationError) as exc:
            proposals.review(
                by=cast.province_admin,
                proposal=proposal,
                action=action,
                version=proposal.version,
                reason="x",
            )
        assert exc.value.code == "state"
    with pytest.raises(ValidationError):
        proposals.item_add(
            by=cast.a_staff,
            proposal=proposal,
            subject=world.aw.household,
            award_type=world.t(GIAY_KHEN_TINH),
        )
    assert Notification.objects.filter(
        user=cast.a_staff, text__contains="không được chấp nhận"
    ).exists()


def test_stale_version_is_refused(world):
    cast = world.cast
    proposal = world.submitted()
    seen = proposal.version
    proposals.proposal_forward(by=cast.province_admin, proposal=proposal, version=seen)
    with pytest.raises(ValidationError) as exc:
        proposals.proposal_return(
            by=cast.province_admin, proposal=proposal, version=seen, reason="x"
        )
    assert exc.value.code == "stale"
    assert "tải lại trang" in messages_of(exc)


def test_submitted_proposal_cannot_be_edited(world):
    proposal = world.submitted()
    with pytest.raises(ValidationError, match="đã gửi đi"):
        proposals.item_update(by=world.cast.a_staff, item=proposal.items.get(), summary="x")
    with pytest.raises(ValidationError, match="đã gửi đi"):
        proposals.proposal_submit(
            by=world.cast.a_staff, proposal=proposal, version=proposal.version
        )


def test_steps_are_appended_never_changed(world):
    cast = world.cast
    proposal = world.submitted()
    first = list(proposal.steps.values_list("pk", "action", "at"))
    proposals.proposal_return(
        by=cast.province_admin, proposal=proposal, version=proposal.version, reason="Bổ sung"
    )
    assert list(proposal.steps.values_list("pk", "action", "at"))[:1] == first
