"""The scoring pages (issue 13): a unit's self-score with evidence and the system's figures
beside each criterion, the block leader's queue and cross-check, the organiser's final score,
returns with a reason, a stale page refused, bad input kept with a Vietnamese message, and who
may see which score (another block's unfinished score, another province's: 404)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from guongsang.emulation import services
from guongsang.emulation.models import Score, ScoreLine, ScoreState, ScoreStep
from guongsang.outreach.models import Activity, ActivityForm
from guongsang.units.models import UnitKind

from ..factories import Role, make_unit, make_user

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
D = Decimal


class World:
    pass


def make_world(cast) -> World:
    """Cluster 1: Đông Khê (leader) and Tân Giang (deputy); cluster 2: Xã Quang Trung alone.
    A table: I.1 (40, evidence, figure: activities), I.2 (60), a bonus (5) and a penalty (5)."""
    w = World()
    w.cast = cast
    w.commune_c = make_unit("Xã Quang Trung", UnitKind.COMMUNE, cast.province)
    w.c_staff = make_user(w.commune_c, Role.STAFF, username="c.staff")
    by = cast.province_admin
    w.one = services.block_save(
        by=by,
        organiser=cast.province,
        year=YEAR,
        name="Cụm thi đua số 1",
        members=[cast.commune_a, cast.commune_b],
        leader=cast.commune_a,
        deputy=cast.commune_b,
    )
    w.two = services.block_save(
        by=by, organiser=cast.province, year=YEAR, name="Cụm thi đua số 2", members=[w.commune_c]
    )
    w.table = services.table_create(
        by=by, issuing_unit=cast.province, year=YEAR, level=UnitKind.COMMUNE, name="Bảng điểm xã"
    )
    group = services.group_add(by=by, table=w.table, code="I", title="Công tác tuyên truyền")
    w.c1 = services.criterion_add(
        by=by,
        group=group,
        code="1.1",
        text="Hoạt động tuyên truyền",
        max_points=D(40),
        evidence_required=True,
        figure="activities",
    )
    w.c2 = services.criterion_add(
        by=by, group=group, code="1.2", text="Điển hình", max_points=D(60)
    )
    extra = services.group_add(by=by, table=w.table, code="II", title="Thưởng, trừ")
    w.bonus = services.criterion_add(
        by=by, group=extra, code="2.1", text="Mô hình mới", max_points=D(5), kind="bonus"
    )
    w.penalty = services.criterion_add(
        by=by, group=extra, code="2.2", text="Báo cáo chậm", max_points=D(5), kind="penalty"
    )
    return w


def self_post(w, score, **values):
    """The self-score form's POST: every criterion's points ("" when not given)."""
    data = {"version": score.version, "action": values.pop("action", "save")}
    for c in (w.c1, w.c2, w.bonus, w.penalty):
        data[f"p{c.pk}"] = values.pop(f"p_{c.code.replace('.', '_')}", "")
        data[f"n{c.pk}"] = ""
    data.update(values)
    return data


def submitted(w, unit=None, by=None, *, c1=30, c2=50):
    unit = unit or w.cast.commune_b
    by = by or w.cast.b_staff
    score = services.score_open(by=by, block=w.one, unit=unit, table=w.table)
    score = services.score_self(
        by=by,
        score=score,
        version=score.version,
        entries={
            w.c1.pk: {
                "points": c1,
                "evidence": [{"kind": "link", "url": "https://a.vn", "label": "Sổ"}],
            },
            w.c2.pk: {"points": c2, "note": "Có 3 điển hình"},
        },
    )
    return services.score_submit(by=by, score=score, version=score.version)


@pytest.fixture
def world(cast):
    return make_world(cast)


def page(client, score):
    return client.get(reverse("emulation:score", args=[score.pk]))


def test_a_unit_scores_itself_with_figures_evidence_and_a_running_total(world):
    cast, w = world.cast, world
    form = ActivityForm.objects.first() or ActivityForm.objects.create(name="Hội nghị")
    for n in range(3):
        Activity.objects.create(
            unit=cast.branch_b,
            date=timezone.localdate().replace(month=1, day=10 + n),
            form=form,
            title=f"Sinh hoạt chi hội {n}",
            created_by=cast.b_staff,
        )
    score = services.score_open(by=cast.b_staff, block=w.one, unit=cast.commune_b, table=w.table)
    client = cast.client_for(cast.b_staff)
    r = page(client, score)
    html = r.content.decode()
    assert r.status_code == 200
    year = w.one.year
    # The system's figure, worded as a figure (not read as a score of 3).
    assert f"Số liệu trên Gương Sáng năm {year}: <strong>3</strong> hoạt động tuyên truyền" in html
    assert "Lưu và thêm minh chứng" in html and "Gửi tự chấm" in html
    # Comma decimals are read; the total runs over the inputs.
    r = client.post(
        reverse("emulation:score", args=[score.pk]),
        self_post(w, score, p_1_1="12,5", p_1_2="50", p_2_1="2", p_2_2="1"),
    )
    assert r.status_code == 302
    score.refresh_from_db()
    assert score.self_total == D("63.5")
    # Submitting without evidence for 1.1: refused with its code, the points kept.
    r = client.post(
        reverse("emulation:score", args=[score.pk]),
        self_post(w, score, p_1_1="12,5", p_1_2="50", action="submit"),
    )
    assert r.status_code == 400
    html = r.content.decode()
    # The points were saved: the banner says so; the problem sits on the criterion and the
    # list at the top links to it.
    assert "Đã lưu điểm nhưng chưa gửi được: tiêu chí 1.1 cần minh chứng." in html
    assert f'<a href="#tc-{w.c1.pk}">1.1</a>' in html
    assert "Cần ít nhất một minh chứng: bấm «Lưu và thêm minh chứng»." in html
    assert f'class="criterion has-error" id="tc-{w.c1.pk}"' in html
    assert 'value="12,5"' in html
    score.refresh_from_db()
    assert score.state == ScoreState.DRAFT
    # Save and choose evidence: the search lists the unit's activities of the year.
    r = client.post(
        reverse("emulation:score", args=[score.pk]),
        self_post(w, score, p_1_1="12,5", p_1_2="50", action=f"evidence:{w.c1.pk}"),
    )
    url = reverse("emulation:evidence", args=[score.pk, w.c1.pk])
    assert r.status_code == 302 and r.url == url
    r = client.get(url, {"q": "chi hoi 2"})
    assert "Sinh hoạt chi hội 2" in r.content.decode()
    assert "Sinh hoạt chi hội 1" not in r.content.decode()
    act = Activity.objects.get(title="Sinh hoạt chi hội 2")
    score.refresh_from_db()
    r = client.post(url, {"kind": "activity", "item": act.pk, "version": score.version})
    assert r.status_code == 302
    # Another unit's activity cannot be cited, even by hand-editing the id.
    other = Activity.objects.create(
        unit=cast.branch_a,
        date=timezone.localdate().replace(month=1, day=20),
        form=form,
        title="Của xã khác",
        created_by=cast.a_staff,
    )
    score.refresh_from_db()
    r = client.post(url, {"kind": "activity", "item": other.pk, "version": score.version})
    assert "Không tìm thấy minh chứng" in r.content.decode()
    score.refresh_from_db()
    r = client.post(
        url,
        {"kind": "link", "url": "javascript:alert(1)", "label": "x", "version": score.version},
    )
    assert "đường dẫn hợp lệ" in r.content.decode()
    r = client.post(
        url,
        {
            "kind": "link",
            "url": "https://caobang.gov.vn/tin",
            "label": "Tin",
            "version": score.version,
        },
    )
    line = ScoreLine.objects.get(score=score, criterion=w.c1)
    assert [e["kind"] for e in line.evidence] == ["activity", "link"]
    assert line.self_points == D("12.5")  # kept through the evidence steps
    html = page(client, score).content.decode()
    assert "Sinh hoạt chi hội 2" in html and "https://caobang.gov.vn/tin" in html
    # Drop the link, then submit.
    score.refresh_from_db()
    r = client.post(
        reverse("emulation:score", args=[score.pk]),
        self_post(w, score, p_1_1="12,5", p_1_2="50", action=f"drop:{w.c1.pk}:1"),
    )
    line.refresh_from_db()
    assert [e["kind"] for e in line.evidence] == ["activity"]
    score.refresh_from_db()
    r = client.post(
        reverse("emulation:score", args=[score.pk]),
        self_post(w, score, p_1_1="12,5", p_1_2="50", action="submit"),
    )
    assert r.status_code == 302
    score.refresh_from_db()
    assert score.state == ScoreState.SUBMITTED
    html = page(client, score).content.decode()
    assert "Gửi tự chấm</strong>" in html  # the trail
    assert "Lưu và thêm minh chứng" not in html  # read only now


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param("12\x00", "ký tự không hợp lệ", id="nul"),
        pytest.param("1²", "chữ số 0–9", id="superscript"),
        pytest.param("١٢", "chữ số 0–9", id="arabic-indic"),
        pytest.param("1e9", "chữ số 0–9", id="exponent"),
        pytest.param("-3", "từ 0 đến 40", id="negative"),
        pytest.param("40,5", "từ 0 đến 40", id="above-max"),
        pytest.param("9" * 40, "quá dài", id="huge"),
        pytest.param("12,345", "2 chữ số sau dấu phẩy", id="decimals"),
    ],
)
def test_bad_points_are_refused_with_the_input_kept_and_nothing_saved(world, typed, message):
    cast, w = world.cast, world
    score = services.score_open(by=cast.b_staff, block=w.one, unit=cast.commune_b, table=w.table)
    client = cast.client_for(cast.b_staff)
    r = client.post(
        reverse("emulation:score", args=[score.pk]),
        self_post(w, score, p_1_1=typed, p_1_2="55"),
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert message in html
    assert 'value="55"' in html  # the other input is kept
    assert not ScoreLine.objects.filter(score=score, self_points__isnull=False).exists()
    assert Score.objects.get(pk=score.pk).version == score.version


def test_a_stale_page_is_refused(world):
    cast, w = world.cast, world
    score = services.score_open(by=cast.b_staff, block=w.one, unit=cast.commune_b, table=w.table)
    client = cast.client_for(cast.b_staff)
    old = self_post(w, score, p_1_1="10", p_1_2="20")
    services.score_self(by=cast.b_staff, score=score, version=score.version, entries={})
    r = client.post(reverse("emulation:score", args=[score.pk]), old, follow=True)
    assert "tải lại trang" in r.content.decode()
    assert not ScoreLine.objects.filter(score=score, self_points__isnull=False).exists()


def test_the_leader_cross_checks_from_the_queue_and_the_office_finalises(world):
    cast, w = world.cast, world
    score = submitted(w)
    leader = cast.client_for(cast.a_staff)
    r = leader.get(reverse("emulation:check_queue"))
    assert r.status_code == 200 and "Phường Tân Giang" in r.content.decode()
    # The deputy (commune B itself) has nothing to check: its own score is the leader's job.
    r = cast.client_for(cast.b_staff).get(reverse("emulation:check_queue"))
    assert "Không có bảng điểm nào chờ bạn chấm chéo" in r.content.decode()
    html = page(leader, score).content.decode()
    assert "Có 3 điển hình" in html  # the unit's note beside the checker's input
    assert "https://a.vn" in html  # and its evidence
    assert "Ghi kết quả chấm chéo" in html and "Trả lại đơn vị" in html
    check = {"version": score.version, f"p{w.c2.pk}": "45", f"n{w.c2.pk}": "Thiếu 1 điển hình"}
    check.update({f"p{c.pk}": "" for c in (w.c1, w.bonus, w.penalty)})
    check[f"p{w.c1.pk}"] = "30"
    r = leader.post(reverse("emulation:score_check", args=[score.pk]), check)
    assert r.status_code == 302
    score.refresh_from_db()
    assert (score.state, score.check_total) == (ScoreState.CHECKED, D(75))
    # The checker cannot finalise; the office sees it in its queue.
    r = leader.post(reverse("emulation:score_finalise", args=[score.pk]), check, follow=True)
    assert "không thể thực hiện bước này" in r.content.decode()
    office = cast.client_for(cast.province_admin)
    r = office.get(reverse("emulation:final_queue"))
    assert "Phường Tân Giang" in r.content.decode()
    html = page(office, score).content.decode()
    assert "Thiếu 1 điển hình" in html and "Chốt điểm" in html
    final = {f"p{c.pk}": "" for c in (w.c1, w.c2, w.bonus, w.penalty)}
    final.update({"version": score.version, f"p{w.c1.pk}": "30", f"p{w.c2.pk}": "45"})
    final[f"p{w.penalty.pk}"] = "2"
    final[f"n{w.penalty.pk}"] = "Báo cáo quý II chậm"
    r = office.post(reverse("emulation:score_finalise", args=[score.pk]), final)
    assert r.status_code == 302
    score.refresh_from_db()
    assert (score.state, score.final_total) == (ScoreState.FINAL, D(73))
    html = page(office, score).content.decode()
    for label in ("Gửi tự chấm", "Chấm chéo", "Chốt điểm"):
        assert label in html
    assert "Báo cáo quý II chậm" in html


def test_returns_need_a_reason_and_reopen_the_self_score(world):
    cast, w = world.cast, world
    score = submitted(w)
    leader = cast.client_for(cast.a_staff)
    url = reverse("emulation:score_return", args=[score.pk])
    r = leader.post(url, {"version": score.version, "reason": "  "})
    html = r.content.decode()
    assert r.status_code == 400 and "Ghi lý do trả lại" in html
    # Said at the top too, and the form posts to its own anchor so the page opens at it.
    assert "Chưa trả lại: hãy ghi lý do trả lại." in html
    assert f'action="{url}#tra-lai"' in html and 'id="tra-lai"' in html
    r = cast.client_for(cast.b_staff).post(url, {"version": score.version, "reason": "x"})
    assert r.status_code == 302  # refused: the unit cannot return its own score
    score.refresh_from_db()
    assert score.state == ScoreState.SUBMITTED
    r = leader.post(url, {"version": score.version, "reason": "Bổ sung minh chứng 1.2"})
    assert r.status_code == 302
    score.refresh_from_db()
    assert score.state == ScoreState.RETURNED
    html = page(cast.client_for(cast.b_staff), score).content.decode()
    assert "Bổ sung minh chứng 1.2" in html and "Gửi tự chấm" in html
    # The latest return under the facts: who, which unit, when, why.
    day = timezone.localdate().strftime("%d/%m/%Y")
    warning = html[html.index('class="msg msg-warning"') :]
    assert warning.index(
        f"Cụm trưởng Xã Đông Khê trả lại ngày {day}: Bổ sung minh chứng 1.2"
    ) < warning.index("</p>")
    assert html.index("msg-warning") < html.index("Quá trình chấm điểm")
    assert '<span class="badge state-returned">Trả lại đơn vị</span>' in html
    # After the cross-check the office may return it too.
    services.score_submit(by=cast.b_staff, score=score, version=score.version)
    score.refresh_from_db()
    services.score_check(by=cast.a_staff, score=score, version=score.version, entries={})
    score.refresh_from_db()
    r = cast.client_for(cast.province_admin).post(
        url, {"version": score.version, "reason": "Điểm 1.1 chưa khớp"}
    )
    score.refresh_from_db()
    assert score.state == ScoreState.RETURNED
    html = page(cast.client_for(cast.b_staff), score).content.decode()
    assert f"Văn phòng Hội LHPN tỉnh Cao Bằng trả lại ngày {day}: Điểm 1.1 chưa khớp" in html
    assert "Bổ sung minh chứng 1.2</p>" not in html  # only the latest return on top
    assert list(ScoreStep.objects.filter(score=score).values_list("action", flat=True)) == [
        "submit",
        "return",
        "submit",
        "check",
        "return",
    ]


def test_who_sees_which_score_page(world, cast):
    w = world
    b_score = submitted(w)
    c_score = services.score_open(by=w.c_staff, block=w.two, unit=w.commune_c, table=w.table)
    outsider = cast.client_for(cast.outsider)
    c_client = cast.client_for(w.c_staff)
    # Another block's unfinished score, another province: 404 on every page of the score.
    for client in (c_client, outsider):
        for name in ("emulation:score",):
            assert client.get(reverse(name, args=[b_score.pk])).status_code == 404
        for name in ("emulation:score_check", "emulation:score_finalise", "emulation:score_return"):
            assert client.post(reverse(name, args=[b_score.pk]), {}).status_code == 404
        url = reverse("emulation:evidence", args=[b_score.pk, w.c1.pk])
        assert client.get(url).status_code == 404
    assert page(outsider, c_score).status_code == 404
    assert page(cast.client_for(cast.b_staff), c_score).status_code == 404
    # The leader reads it (to check), the organiser's office too; a branch viewer of another
    # commune does not.
    assert page(cast.client_for(cast.a_staff), b_score).status_code == 200
    assert page(cast.client_for(cast.province_admin), b_score).status_code == 200
    assert page(cast.client_for(cast.branch_viewer), b_score).status_code == 404
    # The queues list nothing not theirs.
    r = c_client.get(reverse("emulation:check_queue"))
    assert "Phường Tân Giang" not in r.content.decode()
    r = outsider.get(reverse("emulation:final_queue"))
    assert "Phường Tân Giang" not in r.content.decode()
    assert "Phường Tân Giang" not in outsider.get(reverse("emulation:scores")).content.decode()
    # Evidence of a score one may read but not fill: 404.
    url = reverse("emulation:evidence", args=[b_score.pk, w.c1.pk])
    assert cast.client_for(cast.a_staff).get(url).status_code == 404


def test_the_score_page_and_the_queue_cost_a_fixed_number_of_queries(
    world, cast, django_assert_max_num_queries
):
    w = world
    score = submitted(w)
    for n in range(4):
        unit = make_unit(f"Xã thêm {n}", UnitKind.COMMUNE, cast.province)
        w.one.members.create(unit=unit, organiser=cast.province, year=YEAR, order=10 + n)
        staff = make_user(unit, Role.STAFF)
        submitted(w, unit=unit, by=staff)
    leader = cast.client_for(cast.a_staff)
    # (two of them read the blocks and the member rows in her scope: access.scores_for)
    with django_assert_max_num_queries(16):
        r = page(leader, score)
    assert r.status_code == 200
    with django_assert_max_num_queries(12):
        r = leader.get(reverse("emulation:check_queue"))
    assert r.content.decode().count("Xã thêm") == 4
    office = cast.client_for(cast.province_admin)
    with django_assert_max_num_queries(12):
        r = office.get(reverse("emulation:scores"), {"trang_thai": "submitted"})
    assert r.content.decode().count("Xã thêm") == 4


def test_bad_query_strings_and_actions_are_no_500(world, cast):
    w = world
    score = submitted(w)
    office = cast.client_for(cast.province_admin)
    for params in ({"trang_thai": "x\x00"}, {"lich": "²"}, {"nam": "99999"}, {"page": "9" * 30}):
        assert office.get(reverse("emulation:scores"), params).status_code == 200
    assert office.get(reverse("emulation:scores"), {"lich": "999999"}).status_code == 404
    b = cast.client_for(cast.b_staff)
    services.score_return(by=cast.a_staff, score=score, version=score.version, reason="Sửa")
    score.refresh_from_db()
    r = b.post(
        reverse("emulation:score", args=[score.pk]),
        self_post(w, score, p_1_1="30", p_1_2="50", action="drop:x:y\x00"),
    )
    assert r.status_code == 302  # an unknown action is a plain save
    r = b.get(reverse("emulation:evidence", args=[score.pk, w.c1.pk]), {"q": "a\x00"})
    assert r.status_code == 200


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", "1e9", "-1", "12.345", "61"])
def test_the_service_refuses_bad_points_from_any_caller(world, value):
    """The API passes points straight to the service: it checks them too, saving nothing."""
    cast, w = world.cast, world
    score = services.score_open(by=cast.b_staff, block=w.one, unit=cast.commune_b, table=w.table)
    with pytest.raises(ValidationError) as exc:
        services.score_self(
            by=cast.b_staff,
            score=score,
            version=score.version,
            entries={w.c1.pk: {"points": "10"}, w.c2.pk: {"points": value}},
        )
    assert "1.2:" in exc.value.messages[0]
    assert not ScoreLine.objects.filter(score=score, self_points__isnull=False).exists()


def test_the_running_total_follows_the_inputs_without_saving(world):
    cast, w = world.cast, world
    score = services.score_open(by=cast.b_staff, block=w.one, unit=cast.commune_b, table=w.table)
    client = cast.client_for(cast.b_staff)
    url = reverse("emulation:score_total", args=[score.pk])
    assert f'hx-post="{url}"' in page(client, score).content.decode()
    r = client.post(
        url,
        self_post(w, score, p_1_1="12,5", p_1_2="50", p_2_1="5", p_2_2="2"),
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and r.content.decode().strip() == "65,5"
    r = client.post(url, self_post(w, score, p_1_1="12", p_1_2="50"))
    assert r.content.decode().strip() == "62"  # as everywhere: "62", never "62,00"
    r = client.post(url, self_post(w, score, p_1_1="abc", p_1_2="50"))
    assert r.content.decode().strip() == "50"  # what does not parse counts as saved (none)
    assert not ScoreLine.objects.filter(score=score, self_points__isnull=False).exists()
    # Only for whoever takes a step on the score now.
    assert cast.client_for(cast.a_staff).post(url, {}).status_code == 404
    assert cast.client_for(cast.outsider).post(url, {}).status_code == 404


def test_the_score_page_writes_points_one_way_and_labels_each_total(world):
    cast, w = world.cast, world
    score = submitted(w, c1=30, c2=D("50.5"))
    html = page(cast.client_for(cast.a_staff), score).content.decode()
    facts = html[html.index('<dl class="facts') : html.index("</dl>")]
    for label in ("Đơn vị chấm chéo", "Điểm tự chấm", "Điểm chấm chéo", "Điểm chốt"):
        assert f"<dt>{label}</dt>" in facts
    assert "<dt>Chấm chéo</dt>" not in facts  # no label twice
    assert "<dd>80,5</dd>" in facts and "80,50" not in html
    assert "Đơn vị tự chấm: <strong>30</strong>" in html and "30,00" not in html
    assert "tối đa 40)" not in html and "tối đa 40," in html  # the maximum, "40" not "40,00"
    assert '<span class="badge state-submitted">' in html
    # The evidence: its own compact list under a label, not the exemplar's box.
    assert 'class="evidence-list"' in html and "Minh chứng:" in html
    assert 'class="evidence"' not in html
    assert 'class="points-input"' in html


def test_the_final_score_shows_its_band_and_links_to_the_ranking(world):
    cast, w = world.cast, world
    score = submitted(w, c1=38, c2=58)
    score = services.score_check(by=cast.a_staff, score=score, version=score.version, entries={})
    score = services.score_finalise(
        by=cast.province_admin, score=score, version=score.version, entries={}
    )
    html = page(cast.client_for(cast.b_staff), score).content.decode()
    assert "<strong>96</strong>" in html and "Xuất sắc" in html
    assert reverse("emulation:ranking_block", args=[w.one.pk]) in html
    assert reverse("emulation:score_table_docx", args=[score.pk]) in html
    assert '<span class="badge state-recognised">Đã chốt điểm</span>' in html
    # The trail names each step's unit.
    assert "Chốt điểm</strong> — Văn phòng Hội LHPN tỉnh Cao Bằng" in html
    assert "Chấm chéo</strong> — Cụm trưởng Xã Đông Khê" in html
    assert "Gửi tự chấm</strong> — Phường Tân Giang" in html


def test_score_lists_label_every_cell_for_phones(world):
    cast, w = world.cast, world
    submitted(w, c1=30, c2=50)
    leader = cast.client_for(cast.a_staff)
    for name in ("scores", "check_queue"):
        html = leader.get(reverse(f"emulation:{name}")).content.decode()
        body = html[html.index("<tbody>") : html.index("</tbody>")]
        assert "<td>" not in body
        assert body.count("<td data-label=") == 6
        assert '<td data-label="Tự chấm">80</td>' in body
        assert '<span class="badge state-submitted">' in body


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("12.00"), "12"), (D("12.50"), "12,5"), (D("12.25"), "12,25"), (7, "7"), (None, "–")],
)
def test_the_points_filter_writes_points_as_an_officer_does(value, text):
    from guongsang.emulation.templatetags.emulation import points

    assert points(value) == text
    assert points("", "—") == "—" and points("abc") == "abc"
