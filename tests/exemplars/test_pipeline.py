"""The pipeline's rules through the services: branch → commune → province for every subject kind,
return / resubmit with history intact, reject, who may act where, what a submission needs, the
append-only trail, frozen criteria sets, duplicate subjects and overdue rounds."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from guongsang.exemplars import access as ex
from guongsang.exemplars import services
from guongsang.exemplars.models import (
    Category,
    CriterionAnswer,
    CriterionGroup,
    Exemplar,
    Nomination,
    NominationState,
    ReviewAction,
    ReviewRound,
    ReviewStep,
    Subject,
    SubjectKind,
)
from guongsang.exemplars.services import AnswerInput, DuplicateSubject

from .conftest import (
    C1,
    C2,
    CULTURED_FAMILY,
    G1,
    G2,
    H1,
    H2,
    H3,
    I1,
    I2,
    KINDS,
    this_year,
)

S = NominationState


def steps_of(nomination) -> list[tuple]:
    return [
        (
            s.action,
            s.actor.username,
            s.from_state,
            s.to_state,
            s.from_unit.name,
            s.to_unit.name,
            s.comment,
        )
        for s in ReviewStep.objects.filter(nomination=nomination).select_related(
            "actor", "from_unit", "to_unit"
        )
    ]


def snapshot(nomination) -> tuple:
    fresh = Nomination.objects.get(pk=nomination.pk)
    return (
        fresh.state,
        fresh.current_unit_id,
        fresh.version,
        fresh.achievement_report,
        ReviewStep.objects.filter(nomination=fresh).count(),
        Exemplar.objects.filter(nomination=fresh).exists(),
    )


# ---- the whole way up -------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_branch_commune_province_for_each_kind(world, kind):
    cast = world.cast
    subject = world.subject(kind)
    assert subject.unit == cast.branch_a
    nomination = world.nominate(subject, by=cast.a_staff)
    assert nomination.state == S.DRAFT
    assert nomination.proposing_unit == cast.branch_a
    assert nomination.proposed_by == cast.a_staff
    assert nomination.year == this_year()
    world.complete(nomination)

    before = timezone.now()
    services.nomination_submit(by=cast.a_staff, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED
    assert nomination.current_unit == cast.commune_a
    assert nomination.submitted_at >= before
    # It lands in commune A's queue, not yet at the province's desk.
    assert list(ex.queue_for(cast.a_admin)) == [nomination]
    assert list(ex.queue_for(world.reviewer)) == []
    assert list(ex.queue_for(cast.a_staff)) == []  # staff do not review
    assert list(ex.queue_for(cast.b_staff)) == []

    services.nomination_review(
        by=cast.a_admin,
        nomination=nomination,
        action=ReviewAction.FORWARD,
        comment="Hồ sơ đầy đủ, đề nghị tỉnh xem xét.",
    )
    nomination.refresh_from_db()
    assert (nomination.state, nomination.current_unit) == (S.SUBMITTED, cast.province)
    assert list(ex.queue_for(cast.a_admin)) == []
    assert list(ex.queue_for(world.reviewer)) == [nomination]
    assert list(ex.queue_for(cast.province_admin)) == [nomination]

    services.nomination_review(
        by=world.reviewer,
        nomination=nomination,
        action=ReviewAction.RECOGNISE,
        comment="Hội đồng thống nhất công nhận.",
        decision_ref=" 45/QĐ-BTV ",
        decision_date=timezone.localdate(),
    )
    nomination.refresh_from_db()
    assert nomination.state == S.RECOGNISED
    assert list(ex.queue_for(world.reviewer)) == []

    exemplar = Exemplar.objects.get(nomination=nomination)
    assert exemplar.subject == subject
    assert exemplar.recognising_unit == cast.province
    assert exemplar.category == Category.ADVANCED_EXEMPLAR
    assert exemplar.movement == world.movement
    assert exemplar.year == this_year()
    assert exemplar.decision_ref == "45/QĐ-BTV"
    assert exemplar in ex.exemplars_for(cast.a_staff)
    assert exemplar in ex.exemplars_for(cast.branch_viewer)
    assert exemplar not in ex.exemplars_for(cast.b_staff)

    assert steps_of(nomination) == [
        ("submit", "a.staff", "draft", "submitted", "Chi hội Nà Pàn", "Xã Đông Khê", ""),
        (
            "forward",
            "a.admin",
            "submitted",
            "submitted",
            "Xã Đông Khê",
            "Tỉnh Cao Bằng",
            "Hồ sơ đầy đủ, đề nghị tỉnh xem xét.",
        ),
        (
            "recognise",
            "tinh.hoidong",
            "submitted",
            "recognised",
            "Tỉnh Cao Bằng",
            "Tỉnh Cao Bằng",
            "Hội đồng thống nhất công nhận.",
        ),
    ]
    times = [s.created_at for s in nomination.steps.all()]
    assert all(t is not None and t >= before for t in times)
    assert times == sorted(times)


def test_commune_level_subject_goes_straight_to_the_province(world):
    nomination = world.submitted(unit=world.cast.commune_a, by=world.cast.a_staff)
    assert nomination.current_unit == world.cast.province
    assert list(ex.queue_for(world.reviewer)) == [nomination]


def test_nomination_of_commune_b_goes_to_commune_b(world):
    nomination = world.submitted(unit=world.cast.branch_b, name="Triệu Thị Mai")
    assert nomination.current_unit == world.cast.commune_b
    assert list(ex.queue_for(world.cast.a_admin)) == []
    # Commune B has no reviewer: the province may act for it from its wider queue.
    assert list(ex.queue_for(world.reviewer, below=True)) == [nomination]


# ---- return, resubmit, reject -----------------------------------------------------------------
def test_return_needs_a_reason_and_resubmission_keeps_the_history(world):
    cast = world.cast
    nomination = world.at_province()
    before = snapshot(nomination)
    for comment in ("", "   \n "):
        with pytest.raises(ValidationError) as exc:
            services.nomination_review(
                by=world.reviewer, nomination=nomination, action="return", comment=comment
            )
        assert "Nhập lý do trả lại" in " ".join(exc.value.messages)
    assert snapshot(nomination) == before

    services.nomination_review(
        by=world.reviewer,
        nomination=nomination,
        action=ReviewAction.RETURN,
        comment="Bổ sung xác nhận của UBND xã về thu nhập.",
    )
    nomination.refresh_from_db()
    assert nomination.state == S.RETURNED
    assert nomination.current_unit == cast.branch_a
    assert nomination.editable
    old_steps = list(ReviewStep.objects.filter(nomination=nomination).values())
    assert [s["action"] for s in old_steps] == ["submit", "forward", "return"]
    assert old_steps[-1]["comment"] == "Bổ sung xác nhận của UBND xã về thu nhập."
    assert old_steps[-1]["to_unit_id"] == cast.branch_a.pk

    # The proposer completes it and sends it again.
    services.nomination_save(
        by=cast.a_staff,
        nomination=nomination,
        answers={world.criterion(G1).pk: AnswerInput(met=True, evidence_text="Xác nhận số 12")},
        achievement_report="Đã bổ sung xác nhận của UBND xã.",
    )
    services.nomination_submit(by=cast.a_staff, nomination=nomination)
    nomination.refresh_from_db()
    assert (nomination.state, nomination.current_unit) == (S.SUBMITTED, cast.commune_a)
    assert nomination.achievement_report == "Đã bổ sung xác nhận của UBND xã."

    now_steps = list(ReviewStep.objects.filter(nomination=nomination).values())
    assert now_steps[: len(old_steps)] == old_steps  # history intact, unchanged
    resubmit = now_steps[-1]
    assert (resubmit["action"], resubmit["from_state"], resubmit["to_state"]) == (
        "submit",
        "returned",
        "submitted",
    )

    services.nomination_review(by=cast.a_admin, nomination=nomination, action="forward")
    services.nomination_review(
        by=world.reviewer,
        nomination=nomination,
        action="recognise",
        decision_ref="45/QĐ-BTV",
        decision_date=timezone.localdate(),
    )
    assert Exemplar.objects.filter(nomination=nomination).exists()
    assert [s.action for s in nomination.steps.all()] == [
        "submit",
        "forward",
        "return",
        "submit",
        "forward",
        "recognise",
    ]


def test_reject_needs_a_reason(world):
    cast = world.cast
    nomination = world.submitted()
    before = snapshot(nomination)
    with pytest.raises(ValidationError) as exc:
        services.nomination_review(by=cast.a_admin, nomination=nomination, action="reject")
    assert exc.value.message_dict == {"comment": ["Nhập lý do không duyệt."]}
    assert snapshot(nomination) == before

    services.nomination_review(
        by=cast.a_admin,
        nomination=nomination,
        action=ReviewAction.REJECT,
        comment="Chưa đủ thành tích nổi bật.",
    )
    nomination.refresh_from_db()
    assert nomination.state == S.REJECTED
    assert not nomination.editable
    assert steps_of(nomination)[-1][0:4] == ("reject", "a.admin", "submitted", "rejected")
    assert not Exemplar.objects.exists()
    # A rejected nomination is closed: no more actions, no edits, no resubmission.
    with pytest.raises(ValidationError, match="không ở trạng thái chờ xét duyệt"):
        services.nomination_review(by=world.reviewer, nomination=nomination, action="recognise")
    with pytest.raises(ValidationError, match="Hồ sơ đã gửi đi"):
        services.nomination_submit(by=cast.a_staff, nomination=nomination)


def test_recognise_only_at_the_round_unit(world):
    cast = world.cast
    nomination = world.submitted()
    before = snapshot(nomination)
    for who in (cast.a_admin, world.reviewer):
        with pytest.raises(ValidationError) as exc:
            services.nomination_review(by=who, nomination=nomination, action="recognise")
        assert exc.value.messages == ["Chỉ Tỉnh Cao Bằng (cấp tổ chức đợt xét) được công nhận."]
    assert snapshot(nomination) == before
    assert not Exemplar.objects.exists()


def test_forward_not_past_the_round_unit(world):
    nomination = world.at_province()
    before = snapshot(nomination)
    with pytest.raises(ValidationError, match="Đây là cấp tổ chức đợt xét"):
        services.nomination_review(by=world.reviewer, nomination=nomination, action="forward")
    with pytest.raises(ValidationError, match="Đây là cấp tổ chức đợt xét"):
        services.nomination_review(
            by=world.cast.province_admin, nomination=nomination, action="forward"
        )
    assert snapshot(nomination) == before


def test_commune_round_is_recognised_at_the_commune(world):
    cast = world.cast
    commune_round = services.round_create(
        by=cast.a_admin,
        unit=cast.commune_a,
        name="Xét điển hình cấp xã",
        year=this_year(),
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    subject = world.subject()
    nomination = services.nomination_create(
        by=cast.a_staff,
        subject=subject,
        category=Category.NEW_MODEL,
        movement=world.movement,
        criteria_set=world.criteria_set,
        review_round=commune_round,
    )
    world.complete(nomination)
    services.nomination_submit(by=cast.a_staff, nomination=nomination)
    with pytest.raises(ValidationError, match="Đây là cấp tổ chức đợt xét"):
        services.nomination_review(by=cast.a_admin, nomination=nomination, action="forward")
    services.nomination_review(
        by=cast.a_admin,
        nomination=nomination,
        action="recognise",
        decision_ref="12/QĐ-HPN",
        decision_date=timezone.localdate(),
    )
    assert Exemplar.objects.get(nomination=nomination).recognising_unit == cast.commune_a


def test_round_must_cover_the_subject(world):
    cast = world.cast
    b_round = services.round_create(
        by=cast.province_admin,
        unit=cast.commune_b,
        name="Xét cấp phường",
        year=this_year(),
        deadline=timezone.localdate(),
    )
    subject = world.subject()
    # Commune A does not even see commune B's round; the province sees it but it does not
    # cover the subject.
    for who, message in (
        (cast.a_staff, "Lựa chọn không hợp lệ"),
        (cast.province_admin, "không bao gồm đơn vị của đối tượng"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.nomination_create(
                by=who,
                subject=subject,
                category=Category.NEW_MODEL,
                movement=world.movement,
                criteria_set=world.criteria_set,
                review_round=b_round,
            )
    assert not Nomination.objects.exists()


def test_unknown_action_changes_nothing(world):
    nomination = world.submitted()
    before = snapshot(nomination)
    for action in ("submit", "delete", ""):
        with pytest.raises(ValidationError, match="Thao tác không hợp lệ"):
            services.nomination_review(
                by=world.cast.a_admin, nomination=nomination, action=action, comment="x"
            )
    assert snapshot(nomination) == before


# ---- what a submission needs ------------------------------------------------------------------
def _problems(nomination, by) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        services.nomination_submit(by=by, nomination=nomination)
    return exc.value.messages


def test_submit_names_every_missing_required_criterion_and_the_report(world):
    cast = world.cast
    nomination = world.nominate(world.subject(SubjectKind.INDIVIDUAL))
    problems = _problems(nomination, cast.a_staff)
    assert problems == [
        f"Chưa đạt tiêu chí bắt buộc: “{G1}”.",
        f"Chưa đạt tiêu chí bắt buộc: “{G2}”.",
        f"Chưa đạt tiêu chí bắt buộc: “{I1}”.",
        f"Chưa đạt tiêu chí bắt buộc: “{I2}”.",
        "Thiếu báo cáo thành tích (nhập nội dung hoặc đính kèm tệp).",
    ]
    # A criterion answered "not met" is named too; nothing moved.
    services.nomination_save(
        by=cast.a_staff,
        nomination=nomination,
        answers={world.criterion(G2).pk: AnswerInput(met=False)},
    )
    assert f"Chưa đạt tiêu chí bắt buộc: “{G2}”." in _problems(nomination, cast.a_staff)
    nomination.refresh_from_db()
    assert nomination.state == S.DRAFT
    assert not nomination.steps.exists()


def test_submit_names_missing_evidence_and_missing_prerequisite_title(world):
    cast = world.cast
    subject = world.subject(SubjectKind.INDIVIDUAL)
    nomination = world.nominate(subject)
    services.nomination_save(
        by=cast.a_staff,
        nomination=nomination,
        answers={
            c.pk: AnswerInput(met=True)
            for c in services.criteria_for(world.criteria_set, SubjectKind.INDIVIDUAL)
        },
        achievement_report="Báo cáo thành tích của chị Hạnh.",
    )
    assert _problems(nomination, cast.a_staff) == [
        f"Thiếu minh chứng cho tiêu chí: “{G1}”.",
        f"Đối tượng chưa có danh hiệu “{CULTURED_FAMILY}” (năm {this_year()} hoặc "
        f"{this_year() - 1}) theo tiêu chí: “{I2}”.",
    ]
    # A title held three years ago does not count; last year's does (name folded).
    services.subject_title_add(
        by=cast.a_staff, subject=subject, title=CULTURED_FAMILY, year=this_year() - 3
    )
    assert len(_problems(nomination, cast.a_staff)) == 2
    services.subject_title_add(
        by=cast.a_staff, subject=subject, title="gia dinh van hoa", year=this_year() - 1
    )
    assert _problems(nomination, cast.a_staff) == [f"Thiếu minh chứng cho tiêu chí: “{G1}”."]
    services.nomination_save(
        by=cast.a_staff,
        nomination=nomination,
        answers={world.criterion(G1).pk: AnswerInput(met=True, evidence_text="Giấy khen số 7")},
    )
    services.nomination_submit(by=cast.a_staff, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED


def test_prerequisite_title_is_read_from_the_award_history(world):
    """A household's "Gia đình văn hóa" chosen from the catalogue, recorded on the page or
    imported, is what the criterion asks for; removed from the history, it is missing again."""
    from guongsang.awards import services as award_services
    from guongsang.awards.models import AwardType

    cast = world.cast
    subject = world.subject(SubjectKind.HOUSEHOLD)
    nomination = services.nomination_save(
        by=cast.a_staff,
        nomination=world.nominate(subject),
        answers={
            c.pk: AnswerInput(met=True, evidence_text="Có xác nhận.")
            for c in services.criteria_for(world.criteria_set, SubjectKind.HOUSEHOLD)
        },
        achievement_report="Báo cáo thành tích của hộ chị Duyên.",
    )
    missing = (
        f"Đối tượng chưa có danh hiệu “{CULTURED_FAMILY}” (năm {this_year()} hoặc "
        f"{this_year() - 1}) theo tiêu chí: “{H2}”."
    )
    assert services.submission_problems(nomination) == [missing]
    award = award_services.award_add(
        subject=subject,
        by=cast.a_staff,
        award_type=AwardType.objects.get(code="gia-dinh-van-hoa"),
        year=this_year() - 1,
        decision_number="15/QĐ-UBND",
    )
    assert award.name == CULTURED_FAMILY
    assert services.submission_problems(nomination) == []
    award_services.award_delete(award=award, by=cast.a_staff)
    assert services.submission_problems(nomination) == [missing]


@pytest.mark.parametrize(
    ("kind", "required", "optional"),
    [
        (SubjectKind.COLLECTIVE, [G1, G2, C1], C2),
        (SubjectKind.HOUSEHOLD, [G1, G2, H1, H2], H3),
    ],
)
def test_optional_criteria_are_not_demanded(world, kind, required, optional):
    nomination = world.nominate(world.subject(kind))
    problems = _problems(nomination, world.cast.a_staff)
    for text in required:
        assert f"Chưa đạt tiêu chí bắt buộc: “{text}”." in problems
    assert not any(optional in p for p in problems)
    # Criteria of the other kinds never apply.
    assert not any(t in p for p in problems for t in (I1, I2) if t not in required)
    world.complete(nomination)
    services.nomination_save(
        by=world.cast.a_staff,
        nomination=nomination,
        answers={world.criterion(optional).pk: AnswerInput(met=None)},
    )
    services.nomination_submit(by=world.cast.a_staff, nomination=nomination)


def test_report_may_be_a_file(world):
    from .test_uploads import pdf_upload

    cast = world.cast
    nomination = world.complete(world.nominate(world.subject()))
    services.nomination_save(
        by=cast.a_staff, nomination=nomination, answers={}, achievement_report=""
    )
    assert _problems(nomination, cast.a_staff) == [
        "Thiếu báo cáo thành tích (nhập nội dung hoặc đính kèm tệp)."
    ]
    services.attachment_add(by=cast.a_staff, nomination=nomination, upload=pdf_upload())
    services.nomination_submit(by=cast.a_staff, nomination=nomination)


def test_evidence_may_be_a_file_for_its_criterion(world):
    from .test_uploads import png_upload

    cast = world.cast
    nomination = world.complete(world.nominate(world.subject()))
    g1 = world.criterion(G1)
    services.nomination_save(
        by=cast.a_staff, nomination=nomination, answers={g1.pk: AnswerInput(met=True)}
    )
    assert _problems(nomination, cast.a_staff) == [f"Thiếu minh chứng cho tiêu chí: “{G1}”."]
    # A file for another criterion is not evidence for this one.
    services.attachment_add(
        by=cast.a_staff, nomination=nomination, upload=png_upload(), criterion=world.criterion(G2)
    )
    assert _problems(nomination, cast.a_staff) == [f"Thiếu minh chứng cho tiêu chí: “{G1}”."]
    services.attachment_add(
        by=cast.a_staff, nomination=nomination, upload=png_upload(), criterion=g1
    )
    services.nomination_submit(by=cast.a_staff, nomination=nomination)


# ---- drafts -----------------------------------------------------------------------------------
def test_drafts_save_partial_work(world):
    cast = world.cast
    nomination = world.nominate(world.subject())
    version = nomination.version
    g1, i1 = world.criterion(G1), world.criterion(I1)
    services.nomination_save(
        by=cast.a_staff,
        nomination=nomination,
        answers={g1.pk: AnswerInput(met=True, evidence_text="  Giấy khen của UBND xã  ")},
        achievement_report="Bản nháp đầu.",
    )
    services.nomination_save(
        by=cast.a_staff,
        nomination=nomination,
        answers={i1.pk: AnswerInput(met=None, evidence_text="đang thu thập")},
        category=Category.NEW_FACTOR,
    )
    nomination.refresh_from_db()
    answers = {a.criterion_id: a for a in CriterionAnswer.objects.filter(nomination=nomination)}
    assert set(answers) == {g1.pk, i1.pk}
    assert (answers[g1.pk].met, answers[g1.pk].evidence_text) == (True, "Giấy khen của UBND xã")
    assert (answers[i1.pk].met, answers[i1.pk].evidence_text) == (None, "đang thu thập")
    assert nomination.achievement_report == "Bản nháp đầu."  # not sent: kept
    assert nomination.category == Category.NEW_FACTOR
    assert nomination.version == version + 2
    assert nomination.state == S.DRAFT and not nomination.steps.exists()


def test_draft_refuses_foreign_criteria_points_and_categories(world):
    cast = world.cast
    nomination = world.nominate(world.subject(SubjectKind.INDIVIDUAL))
    before = snapshot(nomination)
    with pytest.raises(ValidationError, match="không thuộc bộ tiêu chí"):
        services.nomination_save(
            by=cast.a_staff,
            nomination=nomination,
            answers={world.criterion(H1).pk: AnswerInput(met=True)},
        )
    with pytest.raises(ValidationError, match="Điểm của tiêu chí"):
        services.nomination_save(
            by=cast.a_staff,
            nomination=nomination,
            answers={world.criterion(G2).pk: AnswerInput(met=True, points=5)},
        )
    with pytest.raises(ValidationError, match="Loại điển hình không hợp lệ"):
        services.nomination_save(
            by=cast.a_staff, nomination=nomination, answers={}, category="huy_chuong"
        )
    assert snapshot(nomination) == before
    assert not CriterionAnswer.objects.exists()


def test_only_editors_of_the_proposing_unit_edit_a_draft(world):
    cast = world.cast
    nomination = world.nominate(world.subject())
    for who in (cast.b_staff, cast.branch_viewer, world.reviewer, cast.outsider):
        with pytest.raises(ValidationError, match="Bạn không có quyền"):
            services.nomination_save(
                by=who,
                nomination=nomination,
                answers={world.criterion(G1).pk: AnswerInput(met=True)},
            )
        with pytest.raises(ValidationError, match="Bạn không có quyền"):
            services.nomination_submit(by=who, nomination=nomination)
    assert not CriterionAnswer.objects.exists()


# ---- edits after submission -------------------------------------------------------------------
def test_nomination_cannot_be_edited_after_submission(world):
    from .test_uploads import pdf_upload

    cast = world.cast
    nomination = world.submitted()
    g1 = world.criterion(G1)
    before = snapshot(nomination)
    answers_before = list(CriterionAnswer.objects.filter(nomination=nomination).values())
    with pytest.raises(ValidationError, match="Hồ sơ đã gửi đi"):
        services.nomination_save(
            by=cast.a_staff,
            nomination=nomination,
            answers={g1.pk: AnswerInput(met=False)},
            achievement_report="Sửa sau khi gửi",
        )
    with pytest.raises(ValidationError, match="Hồ sơ đã gửi đi"):
        services.attachment_add(by=cast.a_staff, nomination=nomination, upload=pdf_upload())
    with pytest.raises(ValidationError, match="Hồ sơ đã gửi đi"):
        services.nomination_submit(by=cast.a_staff, nomination=nomination)

    # A forged POST to the edit page (and to the submit page) changes nothing either.
    client = cast.client_for(cast.a_staff)
    response = client.post(
        reverse("exemplars:nomination_edit", args=[nomination.pk]),
        {
            f"met_{g1.pk}": "0",
            f"evidence_{g1.pk}": "giả mạo",
            "achievement_report": "Sửa sau khi gửi",
            "category": Category.NEW_FACTOR,
            "submit": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("exemplars:nomination_detail", args=[nomination.pk])
    response = client.post(
        reverse("exemplars:nomination_submit", args=[nomination.pk]),
        {"version": nomination.version},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("exemplars:attachment_upload", args=[nomination.pk]), {"file": pdf_upload()}
    )
    assert response.status_code == 302
    assert snapshot(nomination) == before
    assert list(CriterionAnswer.objects.filter(nomination=nomination).values()) == answers_before
    assert Nomination.objects.get(pk=nomination.pk).category == Category.ADVANCED_EXEMPLAR
    assert not nomination.attachments.exists()


# ---- forged state changes ---------------------------------------------------------------------
@pytest.mark.parametrize("action", ["forward", "return", "reject", "recognise"])
def test_forged_review_changes_nothing(world, action):
    cast = world.cast
    nomination = world.submitted()
    before = snapshot(nomination)
    url = reverse("exemplars:nomination_review", args=[nomination.pk])
    data = {"action": action, "comment": "giả mạo", "version": nomination.version}
    # Staff of commune A (no review right), the branch viewer: may read, may not act.
    for who in (cast.a_staff, cast.branch_viewer):
        response = cast.client_for(who).post(url, data, follow=True)
        assert response.status_code == 200
        assert "Chỉ người xét duyệt của Xã Đông Khê" in response.content.decode()
        with pytest.raises(ValidationError, match="Chỉ người xét duyệt"):
            services.nomination_review(by=who, nomination=nomination, action=action, comment="x")
    # Commune B and the outsider do not even see it.
    for who in (cast.b_staff, cast.outsider):
        assert cast.client_for(who).post(url, data).status_code == 404
        with pytest.raises(ValidationError):
            services.nomination_review(by=who, nomination=nomination, action=action, comment="x")
    # A draft cannot be pushed through by a review action either.
    draft = world.nominate(world.subject(name="Lăng Thị Dung"))
    response = cast.client_for(cast.a_admin).post(
        reverse("exemplars:nomination_review", args=[draft.pk]),
        {"action": action, "comment": "x", "version": draft.version},
    )
    assert response.status_code == 302
    assert Nomination.objects.get(pk=draft.pk).state == S.DRAFT
    assert snapshot(nomination) == before


def test_forged_submit_by_others_changes_nothing(world):
    cast = world.cast
    nomination = world.complete(world.nominate(world.subject()))
    before = snapshot(nomination)
    url = reverse("exemplars:nomination_submit", args=[nomination.pk])
    for who in (cast.b_staff, cast.outsider, cast.branch_viewer, world.reviewer):
        assert cast.client_for(who).post(url, {"version": nomination.version}).status_code == 404
    assert snapshot(nomination) == before


# ---- the trail is append-only -----------------------------------------------------------------
def test_review_steps_are_append_only(world):
    nomination = world.at_province()
    step = nomination.steps.first()
    step.comment = "sửa lịch sử"
    with pytest.raises(ValidationError, match="append-only"):
        step.save()
    with pytest.raises(ValidationError, match="append-only"):
        step.delete()
    assert ReviewStep.objects.get(pk=step.pk).comment == ""
    assert nomination.steps.count() == 2


# ---- criteria sets ----------------------------------------------------------------------------
def test_criteria_set_in_use_is_frozen_and_new_version_copies_it(world):
    cast = world.cast
    criteria_set = world.criteria_set
    general = criteria_set.groups.get(subject_kind=CriterionGroup.GENERAL)
    # Not yet in use: editable in place.
    extra = services.criterion_add(by=cast.province_admin, group=general, text="Tiêu chí thêm")
    services.criterion_delete(by=cast.province_admin, criterion=extra)
    assert not criteria_set.in_use

    world.nominate(world.subject())
    assert criteria_set.in_use
    with pytest.raises(ValidationError, match="hãy tạo phiên bản mới"):
        services.criterion_add(by=cast.province_admin, group=general, text="Tiêu chí mới")
    with pytest.raises(ValidationError, match="hãy tạo phiên bản mới"):
        services.group_add(
            by=cast.province_admin, criteria_set=criteria_set, subject_kind="general", title="X"
        )
    with pytest.raises(ValidationError, match="hãy tạo phiên bản mới"):
        services.criterion_delete(by=cast.province_admin, criterion=world.criterion(G1))
    # Commune staff may not version the province's set.
    with pytest.raises(ValidationError, match="Bạn không có quyền"):
        services.criteria_set_new_version(by=cast.a_admin, criteria_set=criteria_set)

    def shape(cs):
        return [
            (
                g.subject_kind,
                g.title,
                g.order,
                [
                    (
                        c.order,
                        c.text,
                        c.required,
                        c.evidence_required,
                        c.max_points,
                        c.prerequisite_title,
                    )
                    for c in g.criteria.all()
                ],
            )
            for g in cs.groups.prefetch_related("criteria")
        ]

    original = shape(criteria_set)
    copy = services.criteria_set_new_version(by=cast.province_admin, criteria_set=criteria_set)
    assert copy.pk != criteria_set.pk
    assert copy.version == criteria_set.version + 1 == 2
    assert copy.previous == criteria_set
    assert (copy.name, copy.year, copy.issuing_unit, copy.movement, copy.source) == (
        criteria_set.name,
        criteria_set.year,
        criteria_set.issuing_unit,
        criteria_set.movement,
        criteria_set.source,
    )
    assert shape(copy) == original
    assert [group[0] for group in original] == [
        "general",
        "collective",
        "individual",
        "household",
    ]
    assert not copy.in_use
    services.criterion_add(
        by=cast.province_admin,
        group=copy.groups.get(subject_kind=CriterionGroup.GENERAL),
        text="Tiêu chí mới của phiên bản 2",
        required=False,
    )
    assert shape(criteria_set) == original  # the frozen set did not move
    # Versioning the original again gives the next number, not a second v2.
    again = services.criteria_set_new_version(
        by=cast.province_admin, criteria_set=criteria_set, year=this_year() + 1
    )
    assert again.version == 3 and again.year == this_year() + 1


# ---- subjects ---------------------------------------------------------------------------------
def test_duplicate_subject_is_flagged_unless_confirmed(world):
    cast = world.cast
    hanh = world.subject(SubjectKind.INDIVIDUAL, name="Nông Thị Hạnh", birth_year=1985)
    with pytest.raises(DuplicateSubject) as exc:
        services.subject_create(
            by=cast.a_admin,
            unit=cast.commune_a,
            kind=SubjectKind.INDIVIDUAL,
            name="nong  thi   hanh",
            gender="female",
            birth_year=1985,
        )
    assert exc.value.matches == [hanh]
    assert exc.value.code == "duplicate"
    assert "Nông Thị Hạnh (1985, Chi hội Nà Pàn)" in exc.value.messages[0]
    assert Subject.objects.count() == 1

    # Confirmed as another person: saved.
    other = services.subject_create(
        by=cast.a_admin,
        unit=cast.commune_a,
        kind=SubjectKind.INDIVIDUAL,
        name="nong thi hanh",
        gender="female",
        birth_year=1985,
        not_duplicate=True,
    )
    assert other.name_folded == hanh.name_folded
    # Another birth year, another commune: not a duplicate.
    services.subject_create(
        by=cast.a_staff,
        unit=cast.group_a,
        kind=SubjectKind.INDIVIDUAL,
        name="Nông Thị Hạnh",
        gender="female",
        birth_year=1990,
    )
    services.subject_create(
        by=cast.b_staff,
        unit=cast.branch_b,
        kind=SubjectKind.INDIVIDUAL,
        name="Nông Thị Hạnh",
        gender="female",
        birth_year=1985,
    )
    assert Subject.objects.filter(name_folded="nong thi hanh").count() == 4


def test_subject_rules(world):
    cast = world.cast
    with pytest.raises(ValidationError) as exc:
        services.subject_create(
            by=cast.a_staff,
            unit=cast.branch_a,
            kind=SubjectKind.INDIVIDUAL,
            name="  ",
            birth_year=1850,
        )
    assert set(exc.value.message_dict) == {"name", "birth_year", "gender"}
    with pytest.raises(ValidationError, match="Bạn không có quyền"):
        services.subject_create(
            by=cast.b_staff, unit=cast.branch_a, kind=SubjectKind.HOUSEHOLD, name="Hộ chị Lan"
        )
    with pytest.raises(ValidationError, match="Bạn không có quyền"):
        services.subject_create(
            by=cast.branch_viewer,
            unit=cast.branch_a,
            kind=SubjectKind.HOUSEHOLD,
            name="Hộ chị Lan",
        )
    assert not Subject.objects.exists()


# ---- deadlines --------------------------------------------------------------------------------
def test_overdue_flag_with_a_past_deadline(world):
    cast = world.cast
    late_round = services.round_create(
        by=cast.province_admin,
        unit=cast.province,
        name="Đợt xét đã hết hạn",
        year=this_year(),
        deadline=timezone.localdate() + dt.timedelta(days=1),
    )
    subject = world.subject()
    late = services.nomination_create(
        by=cast.a_staff,
        subject=subject,
        category=Category.NEW_MODEL,
        movement=world.movement,
        criteria_set=world.criteria_set,
        review_round=late_round,
    )
    # The deadline passes while the nomination is still being prepared.
    ReviewRound.objects.filter(pk=late_round.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    late.refresh_from_db()
    on_time = world.nominate(subject)
    assert services.overdue(late)
    assert not services.overdue(on_time)
    world.complete(late)
    services.nomination_submit(by=cast.a_staff, nomination=late)
    late.refresh_from_db()
    assert services.overdue(late)
    assert services.overdue(on_time, today=timezone.localdate() + dt.timedelta(days=31))
    # A decided nomination is never overdue.
    services.nomination_review(by=cast.a_admin, nomination=late, action="reject", comment="Muộn")
    late.refresh_from_db()
    assert not services.overdue(late)


def test_no_new_nomination_after_the_deadline_nor_twice_in_a_round(world):
    cast = world.cast
    closed = services.round_create(
        by=cast.province_admin,
        unit=cast.province,
        name="Đợt xét đã đóng",
        year=this_year(),
        deadline=timezone.localdate() - dt.timedelta(days=1),
    )
    subject = world.subject()
    with pytest.raises(ValidationError) as exc:
        services.nomination_create(
            by=cast.a_staff,
            subject=subject,
            category=Category.NEW_MODEL,
            movement=world.movement,
            criteria_set=world.criteria_set,
            review_round=closed,
        )
    assert "hết hạn nhận hồ sơ" in str(exc.value)
    world.nominate(subject)
    with pytest.raises(ValidationError) as exc:
        world.nominate(subject)
    assert "đã có hồ sơ trong đợt xét này" in str(exc.value)


def test_a_groups_nomination_waits_at_its_branch_and_the_commune_sees_it(world):
    """The branch above a women's group has no reviewer: its queue is served by the commune."""
    cast = world.cast
    nomination = world.submitted(unit=cast.group_a)
    assert nomination.current_unit == cast.branch_a
    assert nomination in ex.queue_for(cast.a_admin)
    # Once the branch has a reviewer of its own, it is hers, and no longer in the commune's queue.
    from guongsang.accounts.models import Membership, Role

    from ..factories import make_user

    head = make_user(cast.branch_a, Role.REVIEWER, full_name="Lục Thị Xuân")
    assert Membership.objects.filter(user=head, unit=cast.branch_a).exists()
    assert nomination in ex.queue_for(head)
    assert nomination not in ex.queue_for(cast.a_admin)
    assert nomination in ex.queue_for(cast.a_admin, below=True)
    services.nomination_review(by=head, nomination=nomination, action=ReviewAction.FORWARD)
    nomination.refresh_from_db()
    assert nomination.current_unit == cast.commune_a
    assert nomination in ex.queue_for(cast.a_admin)
