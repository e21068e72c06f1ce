"""The compliance board and the document lists at scale: states computed in SQL agree with
``task_state`` (day boundaries in local time included), counts cover every recipient while a page
shows 100, the number of queries does not grow with the units, and the document list's order is
served by its index."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guongsang.plans import access, queries
from guongsang.plans.models import Assignment, Recipient, Reminder, TaskState, task_state
from guongsang.plans.services import TaskSpec
from guongsang.units.models import UnitKind
from tests.explain import query_plan

from ..factories import make_unit
from .conftest import TODAY, frozen, make_plan

_codes = itertools.count()


def communes(cast, n):
    return [
        make_unit(f"Xã Quy Mô {i:03d}", UnitKind.COMMUNE, cast.province, code=f"QM{next(_codes)}")
        for i in range(n)
    ]


def count_queries(client, url, params=None, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {}, headers=headers)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def vary_answers(doc, deadline: dt.date) -> None:
    """Answers on time, late, just before and just after local midnight of the deadline; some
    recipients read, some acknowledged; a few reminders."""
    recipients = list(doc.recipients.order_by("pk"))
    for i, r in enumerate(recipients):
        Recipient.objects.filter(pk=r.pk).update(
            read_at=local(TODAY, 9) if i % 3 else None,
            acknowledged_at=local(TODAY, 10) if i % 3 == 2 else None,
        )
    done = [
        local(deadline, 23, 30),  # on time: the deadline day, local time (16:30 UTC)
        local(deadline + dt.timedelta(days=1), 0, 30),  # late, although UTC says the deadline
        local(deadline - dt.timedelta(days=3), 8),
        None,
    ]
    for i, a in enumerate(Assignment.objects.filter(task__document=doc).order_by("pk")):
        Assignment.objects.filter(pk=a.pk).update(done_at=done[i % len(done)])
    Reminder.objects.bulk_create(
        [Reminder(recipient=r, sent_at=local(TODAY, 11), text="x") for r in recipients[::4]]
    )


@pytest.mark.parametrize("days_after", [0, 11, 60])
def test_states_in_sql_agree_with_task_state(cast, days_after):
    with frozen(TODAY):
        doc = make_plan(cast.province_admin, cast.province, communes(cast, 7))
    first = doc.tasks.order_by("deadline").first()
    vary_answers(doc, first.deadline)
    today = TODAY + dt.timedelta(days=days_after)
    board = queries.board(doc, today=today)
    expected = {}
    for a in Assignment.objects.filter(task__document=doc).select_related("task", "recipient"):
        expected[(a.recipient.unit_id, a.task_id)] = task_state(
            deadline=a.task.deadline,
            done_at=a.done_at,
            read_at=a.recipient.read_at,
            acknowledged_at=a.recipient.acknowledged_at,
            today=today,
        )
    got = {(row.unit.pk, c.task.pk): c.state for row in board.rows for c in row.cells}
    assert got == expected
    counts = {}
    for state in expected.values():
        counts[state] = counts.get(state, 0) + 1
    assert board.counts == counts and board.total == len(expected)
    overdue_units = {unit for (unit, _task), s in expected.items() if s == TaskState.OVERDUE}
    assert board.late == len(overdue_units)
    # Counted in the states' scan without a name filter, by a query of its own with one.
    assert queries.board(doc, today=today, q="quy mo").late == len(overdue_units)
    # Filtering by a state keeps the units that have it.
    for state in counts:
        units = {row.unit.pk for row in queries.board(doc, today=today, state=state).rows}
        assert units == {unit for (unit, _task), s in expected.items() if s == state}
    if days_after == 11:  # one local-midnight answer on time, the next one late
        states = set(expected.values())
        assert TaskState.DONE_ON_TIME in states and TaskState.DONE_LATE in states


def test_a_document_without_tasks_counts_recipients(cast):
    with frozen(TODAY):
        doc = make_plan(cast.province_admin, cast.province, communes(cast, 5), tasks=[])
    ids = list(doc.recipients.order_by("pk").values_list("pk", flat=True))
    Recipient.objects.filter(pk=ids[0]).update(read_at=local(TODAY, 9))
    Recipient.objects.filter(pk=ids[1]).update(
        read_at=local(TODAY, 9), acknowledged_at=local(TODAY, 10)
    )
    board = queries.board(doc, today=TODAY + dt.timedelta(days=400))
    assert board.counts == {"read": 1, "acknowledged": 1, "unread": 3}
    assert board.late == 0
    assert len(queries.board(doc, today=TODAY, state="unread").rows) == 3


def test_board_queries_do_not_grow_with_units(cast):
    client = cast.client_for(cast.province_admin)
    seen = set()
    for n in (6, 130):  # 130: more than the page of 100
        with frozen(TODAY):
            doc = make_plan(
                cast.province_admin,
                cast.province,
                communes(cast, n),
                tasks=[
                    TaskSpec("plan", "Xây dựng kế hoạch", TODAY + dt.timedelta(days=5)),
                    TaskSpec("report", "Báo cáo", TODAY + dt.timedelta(days=20)),
                    TaskSpec("nominate", "Giới thiệu điển hình", TODAY + dt.timedelta(days=30)),
                ],
            )
        vary_answers(doc, TODAY + dt.timedelta(days=5))
        url = f"/van-ban/{doc.pk}/theo-doi/"
        with frozen(TODAY + dt.timedelta(days=8)):
            seen.add(
                (
                    count_queries(client, url),
                    count_queries(client, url, {"page": 2 if n > 100 else 1}),
                    count_queries(client, url, {"trang_thai": "overdue", "q": "quy mo"}),
                    count_queries(client, url, {"q": "quy mo"}, HX_Request="true"),
                )
            )
    assert len(seen) == 1, seen


def test_inbox_order_is_served_by_its_index(cast):
    """The default tab, "Văn bản đến", walks document_list_idx (status, issued_on DESC, id DESC).
    The outbox of a commune starts from its units instead and sorts their few documents."""
    with frozen(TODAY):
        for _ in range(3):
            make_plan(cast.province_admin, cast.province, [cast.commune_a], tasks=[])
    qs = queries.with_inbox_state(access.inbox_for(cast.a_staff), cast.a_staff)
    plan = query_plan(qs.order_by("status", "-issued_on", "-pk")[:25])
    assert "document_list_idx" in plan, plan
    if connection.vendor == "postgresql":
        assert "Sort" not in plan, plan
    else:
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_recipients_carry_their_unit_path(cast):
    with frozen(TODAY):
        doc = make_plan(cast.province_admin, cast.province, communes(cast, 3))
    rows = list(doc.recipients.select_related("unit"))
    assert rows and all(r.unit_path == r.unit.path for r in rows)
    # Saving a recipient loaded without its unit keeps the stored path (no query).
    recipient = Recipient.objects.get(pk=rows[0].pk)
    with CaptureQueriesContext(connection) as ctx:
        recipient.fill_derived()
    assert not ctx.captured_queries and recipient.unit_path == rows[0].unit.path


def test_board_page_is_served_by_its_index(cast):
    """The board reads a page of recipient ids on recipient_board_idx (document, unit_path, id),
    in the units' tree order, then loads those rows with their units."""
    with frozen(TODAY):
        doc = make_plan(cast.province_admin, cast.province, communes(cast, 4))
    board = queries.board(doc, today=TODAY)
    plan = query_plan(board.recipients.values_list("pk", flat=True)[:101])
    assert "recipient_board_idx" in plan, plan
    if connection.vendor == "postgresql":
        assert "Sort" not in plan, plan
    else:
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
    ids = list(board.recipients.values_list("pk", flat=True))
    in_order = list(doc.recipients.order_by("unit__path").values_list("pk", flat=True))
    assert ids == in_order
    assert [r.pk for r in board.recipients_in(ids[::-1])] == ids[::-1]
    assert board.recipients_in([]) == []
