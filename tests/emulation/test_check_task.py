"""The cross-check step on the compliance board: a second task of the schedule's công văn,
sent only to the blocks' leaders and deputies, done when every score a unit checks is checked,
open again when one is returned after the check."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guongsang.emulation import schedules, services
from guongsang.plans.models import Assignment, Recipient

from .test_schedules import make_schedule
from .test_score_pages import make_world, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return make_world(cast)


def check_assignment(schedule, unit):
    return Assignment.objects.get(task=schedule.check_task, recipient__unit=unit)


def test_the_cross_check_goes_to_the_leaders_and_deputies_only(world):
    cast, w = world.cast, world
    schedule = make_schedule(w)
    task = schedule.check_task
    assert task.document_id == schedule.task.document_id  # the same công văn
    assert (task.scope, task.managed_by, task.deadline) == (
        schedules.CHECK_SCOPE,
        "emulation",
        schedule.check_deadline,
    )
    units = set(Assignment.objects.filter(task=task).values_list("recipient__unit", flat=True))
    # Cluster 1: Đông Khê leads, Tân Giang deputises; cluster 2 (Quang Trung) has no leader.
    assert units == {cast.commune_a.pk, cast.commune_b.pk}
    # Every commune still receives the document and the self-scoring task.
    assert Recipient.objects.filter(document=task.document).count() == 3


def test_the_leaders_task_is_done_once_every_other_member_is_checked(world):
    cast, w = world.cast, world
    schedule = make_schedule(w)
    score = submitted(w)  # Tân Giang, checked by the leader Đông Khê
    assert check_assignment(schedule, cast.commune_a).done_at is None
    score = services.score_check(by=cast.a_staff, score=score, version=score.version, entries={})
    leader = check_assignment(schedule, cast.commune_a)
    assert leader.done_at is not None and leader.done_by == cast.a_staff
    # The deputy checks the leader's own score: not yet.
    assert check_assignment(schedule, cast.commune_b).done_at is None
    own = submitted(w, unit=cast.commune_a, by=cast.a_staff)
    services.score_check(by=cast.b_staff, score=own, version=own.version, entries={})
    assert check_assignment(schedule, cast.commune_b).done_at is not None
    # The province returns Tân Giang's checked score: the leader has checking to do again.
    score.refresh_from_db()
    services.score_return(
        by=cast.province_admin, score=score, version=score.version, reason="Chưa đủ minh chứng"
    )
    assert check_assignment(schedule, cast.commune_a).done_at is None
    assert check_assignment(schedule, cast.commune_b).done_at is not None


def test_the_leader_finds_her_cross_check_on_the_document(world):
    cast, w = world.cast, world
    schedule = make_schedule(w)
    url = reverse("plans:detail", args=[schedule.task.document_id])
    leader = cast.client_for(cast.a_staff).get(url).content.decode()
    assert "Chấm chéo điểm thi đua năm" in leader
    assert reverse("emulation:check_queue") in leader
    # Quang Trung has the self-scoring task but no cross-check to do.
    other = cast.client_for(w.c_staff).get(url).content.decode()
    assert reverse("emulation:check_queue") not in other
