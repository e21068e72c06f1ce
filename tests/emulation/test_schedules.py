"""The scoring schedule (lịch chấm điểm): the self-scoring step is a task of a công văn, tracked
on the compliance board (submitting marks it done, a return opens it again); the schedule page
counts each step and the late units, for the organiser and, limited to their blocks, for the
members, who open their own self-score from it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from guongsang.emulation import schedules, services
from guongsang.emulation.models import Schedule, Score, ScoreState
from guongsang.plans import services as plan_services
from guongsang.plans.models import Assignment, DocStatus
from guongsang.units.models import UnitKind

from ..factories import Role, make_unit, make_user
from .test_score_pages import make_world, submitted

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


@pytest.fixture
def world(cast):
    return make_world(cast)


def make_schedule(w, *, days=(10, 20, 30), issue=True):
    by = w.cast.province_admin
    schedule = schedules.schedule_create(
        by=by,
        organiser=w.cast.province,
        year=YEAR,
        table=w.table,
        self_deadline=TODAY + dt.timedelta(days=days[0]),
        check_deadline=TODAY + dt.timedelta(days=days[1]),
        final_deadline=TODAY + dt.timedelta(days=days[2]),
    )
    if issue:
        plan_services.document_issue(document=schedule.task.document, by=by)
    return schedule


def assignment(schedule, unit):
    return Assignment.objects.get(task=schedule.task, recipient__unit=unit)


def test_a_schedule_is_a_task_sent_to_every_unit_of_the_tables_level(world):
    cast, w = world.cast, world
    schedule = make_schedule(w, issue=False)
    doc = schedule.task.document
    assert doc.status == DocStatus.DRAFT and doc.unit == cast.province
    assert schedule.task.managed_by == "emulation"
    assert schedule.task.title == f"Tự chấm điểm thi đua năm {YEAR}"
    assert schedule.task.scope == UnitKind.COMMUNE
    assert schedule.task.deadline == schedule.self_deadline
    plan_services.document_issue(document=doc, by=cast.province_admin)
    units = set(
        Assignment.objects.filter(task=schedule.task).values_list("recipient__unit", flat=True)
    )
    assert units == {cast.commune_a.pk, cast.commune_b.pk, w.commune_c.pk}


def test_submitting_marks_the_task_done_and_a_return_opens_it(world):
    cast, w = world.cast, world
    schedule = make_schedule(w)
    score = submitted(w)
    a = assignment(schedule, cast.commune_b)
    assert a.done_at is not None and a.done_by == cast.b_staff
    services.score_return(by=cast.a_staff, score=score, version=score.version, reason="Bổ sung")
    a.refresh_from_db()
    assert a.done_at is None
    score.refresh_from_db()
    services.score_submit(by=cast.b_staff, score=score, version=score.version)
    a.refresh_from_db()
    assert a.done_at is not None
    assert assignment(schedule, cast.commune_a).done_at is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"check_deadline": TODAY}, "check_deadline", id="check-before-self"),
        pytest.param({"final_deadline": TODAY}, "final_deadline", id="final-before-check"),
        pytest.param({"year": YEAR + 1}, "table", id="table-of-another-year"),
    ],
)
def test_bad_schedules_are_refused(world, change, field):
    cast, w = world.cast, world
    args = dict(
        by=cast.province_admin,
        organiser=cast.province,
        year=YEAR,
        table=w.table,
        self_deadline=TODAY + dt.timedelta(days=5),
        check_deadline=TODAY + dt.timedelta(days=10),
        final_deadline=TODAY + dt.timedelta(days=15),
    )
    args.update(change)
    with pytest.raises(ValidationError) as exc:
        schedules.schedule_create(**args)
    assert field in exc.value.message_dict
    assert not Schedule.objects.exists()


def test_only_the_organisers_officers_make_a_schedule_once_a_year(world):
    cast, w = world.cast, world
    with pytest.raises(ValidationError, match="không thể lập lịch"):
        schedules.schedule_create(
            by=cast.a_admin,
            organiser=cast.province,
            year=YEAR,
            table=w.table,
            self_deadline=TODAY,
            check_deadline=TODAY,
            final_deadline=TODAY,
        )
    make_schedule(w, issue=False)
    with pytest.raises(ValidationError, match="đã có lịch"):
        make_schedule(w, issue=False)


def test_the_create_page(world):
    cast, w = world.cast, world
    client = cast.client_for(cast.province_admin)
    url = reverse("emulation:schedule_create")
    r = client.get(url)
    assert r.status_code == 200 and "Bảng điểm xã" in r.content.decode()
    data = {
        "organiser": cast.province.pk,
        "table": w.table.pk,
        "self_deadline": "31/12/" + str(YEAR),
        "check_deadline": "30/12/" + str(YEAR),
        "final_deadline": "31/12/" + str(YEAR),
    }
    r = client.post(url, data)
    assert r.status_code == 200 and "Hạn chấm chéo phải sau" in r.content.decode()
    data["self_deadline"] = "2x/12\x00"
    r = client.post(url, data)
    assert "ngày/tháng/năm" in r.content.decode()
    data["self_deadline"] = "20/12/" + str(YEAR)
    r = client.post(url, data)
    schedule = Schedule.objects.get()
    assert r.status_code == 302 and r.url == reverse("emulation:schedule", args=[schedule.pk])
    html = client.get(r.url).content.decode()
    assert "Công văn chưa ban hành" in html and "Bảng theo dõi" not in html
    # A commune's officer organises nothing here.
    assert cast.client_for(cast.a_staff).get(url).status_code == 404
    # The plan's page links the task to the schedule.
    r = client.get(reverse("plans:detail", args=[schedule.task.document_id]))
    assert reverse("emulation:schedule", args=[schedule.pk]) in r.content.decode()


def test_the_schedule_page_counts_each_step_and_the_late_ones(world):
    cast, w = world.cast, world
    schedule = make_schedule(w, days=(-2, 5, 10))  # the self-scoring deadline is past
    late = submitted(w)  # commune B submits today: late
    Score.objects.filter(pk=late.pk).update(submitted_at=timezone.now())
    services.score_open(by=cast.a_staff, block=w.one, unit=cast.commune_a, table=w.table)
    steps = {s.key: s for s in schedules.progress(schedule)}
    assert (steps["opened"].done, steps["opened"].total) == (2, 3)
    # B was late, A and C have not submitted and the deadline is past.
    assert (steps["submitted"].done, steps["submitted"].late) == (1, 3)
    assert (steps["checked"].done, steps["checked"].late) == (0, 0)
    client = cast.client_for(cast.province_admin)
    r = client.get(reverse("emulation:schedule", args=[schedule.pk]))
    html = r.content.decode()
    assert r.status_code == 200
    assert "Cụm thi đua số 1" in html and "Cụm thi đua số 2" in html
    assert f"?lich={schedule.pk}&amp;trang_thai=submitted" in html
    board = reverse("plans:board", args=[schedule.task.document_id])
    assert f"{board}?nhiem_vu={schedule.task_id}&amp;trang_thai=overdue" in html  # the late
    assert client.get(f"{board}?nhiem_vu={schedule.task_id}").status_code == 200
    r = client.get(reverse("emulation:scores"), {"lich": schedule.pk, "trang_thai": "submitted"})
    assert "Phường Tân Giang" in r.content.decode()
    assert "Xã Đông Khê" not in r.content.decode()


def test_a_member_sees_its_blocks_and_opens_its_own_score(world):
    cast, w = world.cast, world
    schedule = make_schedule(w)
    client = cast.client_for(w.c_staff)
    url = reverse("emulation:schedule", args=[schedule.pk])
    html = client.get(url).content.decode()
    assert "Cụm thi đua số 2" in html and "Cụm thi đua số 1" not in html
    assert "Mở bảng tự chấm" in html and "Xã Quang Trung" in html
    # Opening another unit's score (a hand-edited id): 404.
    open_url = reverse("emulation:schedule_open", args=[schedule.pk])
    assert client.post(open_url, {"unit": cast.commune_b.pk}).status_code == 404
    assert client.post(open_url, {"unit": "²"}).status_code == 404
    r = client.post(open_url, {"unit": w.commune_c.pk})
    score = Score.objects.get(unit=w.commune_c)
    assert r.url == reverse("emulation:score", args=[score.pk])
    assert score.state == ScoreState.DRAFT
    assert client.post(open_url, {"unit": w.commune_c.pk}).url == r.url  # opened once
    assert "Tự chấm điểm" in client.get(url).content.decode()
    # Outsiders: 404; the list shows them nothing.
    outsider = cast.client_for(cast.outsider)
    assert outsider.get(url).status_code == 404
    assert outsider.post(open_url, {"unit": w.commune_c.pk}).status_code == 404
    r = outsider.get(reverse("emulation:schedules"))
    assert "Tỉnh Cao Bằng" not in r.content.decode()
    # The plan page of the commune links its task to the schedule.
    r = client.get(reverse("plans:detail", args=[schedule.task.document_id]))
    assert reverse("emulation:schedule", args=[schedule.pk]) in r.content.decode()


def test_the_schedule_page_costs_a_fixed_number_of_queries(
    world, cast, django_assert_max_num_queries
):
    w = world
    schedule = make_schedule(w)
    submitted(w)
    for n in range(5):
        unit = make_unit(f"Xã số {n}", UnitKind.COMMUNE, cast.province)
        services.block_save(
            by=cast.province_admin,
            organiser=cast.province,
            year=YEAR,
            name=f"Cụm {n}",
            members=[unit],
        )
        make_user(unit, Role.STAFF)
    client = cast.client_for(cast.province_admin)
    with django_assert_max_num_queries(14):
        r = client.get(reverse("emulation:schedule", args=[schedule.pk]))
    assert r.content.decode().count("Cụm ") >= 7
    with django_assert_max_num_queries(12):  # + the two queue counts
        r = client.get(reverse("emulation:schedules"))
    assert r.status_code == 200


def test_the_list_offers_only_what_the_user_can_do(world, cast):
    """ "Lập lịch chấm điểm" for an organiser's officer (as schedule_create decides); each
    queue, with its count, only to those who work on it."""
    w = world
    make_schedule(w)
    submitted(w)  # Tân Giang's score waits for Đông Khê, the leader
    create = reverse("emulation:schedule_create")
    html = cast.client_for(cast.province_admin).get(reverse("emulation:schedules")).content
    html = html.decode()
    assert create in html and "Chờ chốt điểm (0)" in html
    html = cast.client_for(cast.a_staff).get(reverse("emulation:schedules")).content.decode()
    assert create not in html and "Chờ chấm chéo (1)" in html
    assert reverse("emulation:final_queue") not in html
    html = cast.client_for(w.c_staff).get(reverse("emulation:schedules")).content.decode()
    assert create not in html
    assert reverse("emulation:check_queue") not in html
    assert reverse("emulation:final_queue") not in html
    assert cast.client_for(cast.a_staff).get(create).status_code == 404  # the same condition


def test_the_schedule_tables_label_every_cell_for_phones(world, cast):
    w = world
    schedule = make_schedule(w)
    submitted(w)
    html = cast.client_for(cast.province_admin).get(
        reverse("emulation:schedule", args=[schedule.pk])
    )
    html = html.content.decode()
    for body in html.split("<tbody>")[1:]:
        body = body[: body.index("</tbody>")]
        assert "<td>" not in body and "<td data-label=" in body
    assert '<td data-label="Đã xong">' in html and '<td data-label="Đã chốt">' in html


def test_the_home_takes_a_member_straight_to_her_score(world, cast, django_assert_max_num_queries):
    """Under "Cụm, khối đơn vị tôi tham gia": her unit's score state and one button, to open
    the self-score (through the schedule) or to read it; the queues only to those who work on
    them, with their counts."""
    w = world
    home = reverse("emulation:home")
    client = cast.client_for(cast.b_staff)
    html = client.get(home).content.decode()
    assert "Chưa có lịch chấm điểm của năm." in html  # no schedule yet: nothing to open
    schedule = make_schedule(w)
    with django_assert_max_num_queries(14):
        html = client.get(home).content.decode()
    mine = html[html.index('id="cum-cua-toi"') :]
    open_url = reverse("emulation:schedule_open", args=[schedule.pk])
    assert f'action="{open_url}"' in mine and "Tự chấm điểm" in mine
    assert "Chưa tự chấm" in mine
    client.post(open_url, {"unit": cast.commune_b.pk})
    score = Score.objects.get(unit=cast.commune_b)
    mine = client.get(home).content.decode()
    mine = mine[mine.index('id="cum-cua-toi"') :]
    assert reverse("emulation:score", args=[score.pk]) in mine and "Tự chấm điểm" in mine
    assert '<span class="badge state-draft">Đơn vị đang tự chấm</span>' in mine
    # Tân Giang is the deputy: the check queue shows (empty); the final queue does not.
    assert "Chờ chấm chéo (0)" in html and reverse("emulation:final_queue") not in html
    # Submitted: she reads it; the leader's home counts it in her queue.
    score = services.score_self(
        by=cast.b_staff,
        score=score,
        version=score.version,
        entries={
            w.c1.pk: {"points": 30, "evidence": [{"kind": "link", "url": "https://a.vn"}]},
            w.c2.pk: {"points": 50},
        },
    )
    submitted_score = services.score_submit(by=cast.b_staff, score=score, version=score.version)
    mine = client.get(home).content.decode()
    mine = mine[mine.index('id="cum-cua-toi"') :]
    assert "Xem bảng điểm" in mine and "Tự chấm điểm" not in mine
    assert submitted_score.state == ScoreState.SUBMITTED
    html = cast.client_for(cast.a_staff).get(home).content.decode()
    assert "Chờ chấm chéo (1)" in html and reverse("emulation:final_queue") not in html
    # The organiser's office: the final queue; a unit in no block of the year: neither.
    html = cast.client_for(cast.province_admin).get(home).content.decode()
    assert "Chờ chốt điểm (0)" in html
    html = cast.client_for(cast.outsider).get(home).content.decode()
    assert reverse("emulation:check_queue") not in html
    assert reverse("emulation:final_queue") not in html
