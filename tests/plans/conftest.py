"""Helpers for the plans tests: a frozen clock and a province plan sent to the cast's communes."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.utils import timezone

from guongsang.plans import services
from guongsang.plans.models import DocType, Organ, TaskKind
from guongsang.plans.services import TaskSpec

TODAY = dt.date(2026, 3, 2)


@contextmanager
def frozen(day: dt.date, hour: int = 10):
    """Freeze django.utils.timezone.now (and with it localdate) at ``day`` ``hour``:00."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    original = timezone.now
    timezone.now = lambda: moment
    try:
        yield moment
    finally:
        timezone.now = original


@pytest.fixture
def clock():
    return frozen


def make_plan(
    by,
    unit,
    recipients,
    *,
    tasks=None,
    issue_on=None,
    doc_type=DocType.KH,
    organ=Organ.BTV,
    abstract="Tuyên truyền các điển hình tiên tiến năm 2026",
    **kw,
):
    tasks = (
        tasks
        if tasks is not None
        else [
            TaskSpec(TaskKind.PLAN, "Xây dựng kế hoạch của đơn vị", TODAY + dt.timedelta(days=10)),
            TaskSpec(TaskKind.REPORT, "Báo cáo kết quả", TODAY + dt.timedelta(days=40)),
        ]
    )
    draft = services.document_save(
        by=by,
        unit=unit,
        organ=organ,
        doc_type=doc_type,
        abstract=abstract,
        body=kw.pop("body", "I. MỤC ĐÍCH\n- Nội dung thử."),
        recipients=recipients,
        tasks=tasks,
        authority=kw.pop("authority", "TM."),
        signer_title=kw.pop("signer_title", "PHÓ CHỦ TỊCH"),
        signer_name=kw.pop("signer_name", "Hoàng Thị Thu Hà"),
        **kw,
    )
    if issue_on is False:
        return draft
    return services.document_issue(document=draft, by=by, on=issue_on)


@pytest.fixture
def plan(cast):
    """A province plan to communes A and B with two tasks, issued on TODAY."""
    with frozen(TODAY):
        return make_plan(cast.province_admin, cast.province, [cast.commune_a, cast.commune_b])
