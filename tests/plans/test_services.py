"""Delivery, answers, cascade, task states over time, reminders, validation."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from guongsang.notifications.models import Notification
from guongsang.plans import queries, services
from guongsang.plans.models import (
    Assignment,
    DocType,
    Document,
    Organ,
    Recipient,
    Reminder,
    TaskKind,
    TaskState,
)
from guongsang.plans.services import TaskSpec
from guongsang.units.models import Unit, UnitKind

from ..factories import Role, make_user
from ..jobs.helpers import run_queued_tasks
from .conftest import TODAY, frozen, make_plan


def states(document, today):
    b = queries.board(document, today=today)
    return {row.unit.name: [c.state for c in row.cells] for row in b.rows}


def test_issuing_delivers_to_each_recipient_and_notifies_its_officers(cast, plan, mailoutbox):
    assert set(plan.recipients.values_list("unit__name", flat=True)) == {
        "Xã Đông Khê",
        "Phường Tân Giang",
    }
    assert Assignment.objects.filter(task__document=plan).count() == 4
    notified = set(Notification.objects.values_list("user__username", flat=True))
    # Officers on the recipient units themselves; not the branch viewer, not the province.
    assert notified == {"a.staff", "a.admin", "b.staff"}
    assert "01/KH-BTV" in Notification.objects.first().text


def test_task_states_over_time(cast, plan):
    rec_a = plan.recipients.get(unit=cast.commune_a)
    rec_b = plan.recipients.get(unit=cast.commune_b)
    plan_task, report_task = plan.tasks.all()
    assert states(plan, TODAY) == {
        "Xã Đông Khê": [TaskState.UNREAD, TaskState.UNREAD],
        "Phường Tân Giang": [TaskState.UNREAD, TaskState.UNREAD],
    }
    with frozen(TODAY + dt.timedelta(days=1)):
        services.mark_read(recipients=[rec_a, rec_b])
        services.document_acknowledge(recipient=rec_b, by=cast.b_staff)
    assert states(plan, TODAY + dt.timedelta(days=1)) == {
        "Xã Đông Khê": [TaskState.READ, TaskState.READ],
        "Phường Tân Giang": [TaskState.ACKNOWLEDGED, TaskState.ACKNOWLEDGED],
    }
    # A answers the first task on the deadline day: on time.
    with frozen(plan_task.deadline, hour=23):
        a = Assignment.objects.get(task=plan_task, recipient=rec_a)
        services.assignment_answer(assignment=a, by=cast.a_staff, note="Đã xây dựng kế hoạch")
    # The day after the deadline B is overdue on it.
    after = plan_task.deadline + dt.timedelta(days=1)
    assert states(plan, after) == {
        "Xã Đông Khê": [TaskState.DONE_ON_TIME, TaskState.ACKNOWLEDGED],
        "Phường Tân Giang": [TaskState.OVERDUE, TaskState.ACKNOWLEDGED],
    }
    # B answers three days late: done late, for ever after.
    with frozen(plan_task.deadline + dt.timedelta(days=3)):
        b = Assignment.objects.get(task=plan_task, recipient=rec_b)
        services.assignment_answer(assignment=b, by=cast.b_staff, note="Muộn")
    later = report_task.deadline + dt.timedelta(days=1)
    assert states(plan, later) == {
        "Xã Đông Khê": [TaskState.DONE_ON_TIME, TaskState.OVERDUE],
        "Phường Tân Giang": [TaskState.DONE_LATE, TaskState.OVERDUE],
    }
    board = queries.board(plan, today=later)
    assert board.counts == {"done": 1, "late": 1, "overdue": 2}
    assert board.late == 2


def test_a_unit_plan_answers_the_task_and_cascades_to_branches(cast, plan):
    rec_a = plan.recipients.get(unit=cast.commune_a)
    task = plan.tasks.get(kind=TaskKind.PLAN)
    assignment = Assignment.objects.get(task=task, recipient=rec_a)
    with frozen(TODAY + dt.timedelta(days=2)):
        own = make_plan(
            cast.a_admin,
            cast.commune_a,
            [],
            parent=plan,
            answering=assignment,
            implements_ref=plan.symbol,
            tasks=[
                TaskSpec(
                    TaskKind.REPORT,
                    "Chi hội báo cáo",
                    TODAY + dt.timedelta(days=8),
                    scope=UnitKind.BRANCH,
                )
            ],
        )
    assignment.refresh_from_db()
    assert assignment.answer_document == own
    assert assignment.state(TODAY + dt.timedelta(days=30)) == TaskState.DONE_ON_TIME
    assert own.parent == plan
    # Cascaded one level further down: the branch of A got it.
    assert list(own.recipients.values_list("unit", flat=True)) == [cast.branch_a.pk]
    assert own.symbol == "01/KH-BTV"


def test_cascade_to_all_56_communes(db):
    call_command("import_admin_units", province="Cao Bằng", stdout=None)
    province = Unit.objects.get(code="04")
    admin = make_user(province, Role.ADMIN, username="cb.admin")
    with frozen(TODAY):
        doc = make_plan(
            admin,
            province,
            [],
            tasks=[
                TaskSpec(TaskKind.PLAN, "Kế hoạch", TODAY + dt.timedelta(days=5), UnitKind.COMMUNE),
                TaskSpec(
                    TaskKind.REPORT, "Báo cáo", TODAY + dt.timedelta(days=9), UnitKind.COMMUNE
                ),
            ],
        )
    assert doc.recipients.count() == 56
    assert Assignment.objects.filter(task__document=doc).count() == 112
    board = queries.board(doc, today=TODAY)
    assert len(board.rows) == 56 and board.counts == {"unread": 112}
    board = queries.board(doc, today=TODAY + dt.timedelta(days=6))
    assert board.late == 56


def test_reminders_go_to_late_units_only_and_are_recorded(cast, plan, mailoutbox):
    cast.b_staff.email = "nga@example.vn"
    cast.b_staff.save()
    rec_a = plan.recipients.get(unit=cast.commune_a)
    task = plan.tasks.get(kind=TaskKind.PLAN)
    with frozen(TODAY + dt.timedelta(days=1)):
        services.assignment_answer(
            assignment=Assignment.objects.get(task=task, recipient=rec_a),
            by=cast.a_staff,
            note="Xong",
        )
    with pytest.raises(ValidationError):
        services.remind_late(document=plan, by=cast.province_admin, today=TODAY)
    Notification.objects.all().delete()
    mail.outbox.clear()
    late_day = task.deadline + dt.timedelta(days=1)
    with frozen(late_day), pytest.MonkeyPatch.context():
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            sent = services.remind_late(document=plan, by=cast.province_admin, today=late_day)
        run_queued_tasks()  # e-mail goes out from the background worker
    assert [r.recipient.unit for r in sent] == [cast.commune_b]
    assert list(Notification.objects.values_list("user__username", "kind")) == [
        ("b.staff", "reminder")
    ]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nga@example.vn"]
    board = queries.board(plan, today=late_day)
    row_b = next(r for r in board.rows if r.unit == cast.commune_b)
    assert row_b.reminders == 1 and row_b.last_reminder is not None
    # Only the issuer's side may urge.
    with pytest.raises(ValidationError):
        services.remind_late(document=plan, by=cast.a_admin, today=late_day)
    assert Reminder.objects.count() == 1


def test_bad_input_gives_vietnamese_messages_and_saves_nothing(cast):
    with pytest.raises(ValidationError) as err:
        services.document_save(
            by=cast.a_admin,
            unit=cast.commune_a,
            organ=Organ.BTV,
            doc_type=DocType.KH,
            abstract="",
            recipients=[cast.commune_b],
            tasks=[TaskSpec(TaskKind.PLAN, "", None)],
        )
    messages = err.value.message_dict
    assert messages["abstract"] == ["Nhập trích yếu nội dung văn bản."]
    assert "Đơn vị nhận phải thuộc đơn vị ban hành" in messages["recipients"][0]
    assert messages["tasks"] == ["Nhiệm vụ 1: cần loại, nội dung và hạn."]
    assert not Document.objects.exists() and not Recipient.objects.exists()


def test_a_commune_cannot_issue_for_the_province_nor_answer_for_another(cast, plan):
    with pytest.raises(ValidationError):
        make_plan(cast.a_admin, cast.province, [cast.commune_b])
    rec_b = plan.recipients.get(unit=cast.commune_b)
    assignment = Assignment.objects.filter(recipient=rec_b).first()
    with pytest.raises(ValidationError):
        services.assignment_answer(assignment=assignment, by=cast.a_admin, note="giả mạo")
    # The issuer does not answer her own plan.
    with pytest.raises(ValidationError):
        services.assignment_answer(assignment=assignment, by=cast.province_admin, note="x")
    # An answer needs something.
    with pytest.raises(ValidationError) as err:
        services.assignment_answer(assignment=assignment, by=cast.b_staff)
    assert "Hãy chọn văn bản của đơn vị" in err.value.messages[0]
    # Only the unit's own issued documents count as an answer.
    with frozen(TODAY):
        other = make_plan(cast.a_admin, cast.commune_a, [cast.branch_a], tasks=[])
    with pytest.raises(ValidationError):
        services.assignment_answer(assignment=assignment, by=cast.b_staff, answer_document=other)
    assert not Assignment.objects.filter(done_at__isnull=False).exists()


def test_an_issued_document_cannot_be_edited(cast, plan):
    with pytest.raises(ValidationError):
        services.document_save(
            by=cast.province_admin,
            unit=cast.province,
            organ=Organ.BTV,
            doc_type=DocType.KH,
            abstract="Sửa lén",
            document=plan,
        )
    plan.refresh_from_db()
    assert plan.abstract != "Sửa lén"
