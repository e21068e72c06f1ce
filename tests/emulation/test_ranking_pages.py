"""The ranking pages: a block's ranking (final scores ranked with the table's tie-break and
bands, the units not yet final listed apart) and the organiser's overall ranking of a year;
who sees what (the organiser's officers everything, a block's members its final scores, nobody
else anything), the year chooser, and what the pages cost.

The world (``world``, also used by test_meetings and test_outputs): Tỉnh Cao Bằng organises
Cụm thi đua số 1 (Xã Đông Khê leads, Phường Tân Giang deputy, Xã Quang Trung) and Cụm thi đua
số 2 (Xã Minh Khai leads, Xã Hồng Việt deputy), scored on a 100-point table: 1.1 (40, evidence),
1.2 (60), a bonus (5) and a penalty (5)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from guongsang.emulation import ranking, services
from guongsang.emulation.models import Score
from guongsang.units.models import UnitKind

from ..factories import Role, make_unit, make_user

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
D = Decimal
EVIDENCE = [{"kind": "link", "label": "Sổ theo dõi hoạt động"}]


class World:
    pass


@pytest.fixture
def world(cast):
    return make_world(cast)


def make_world(cast) -> World:
    """The world of the module docstring (also the fixture of test_meetings, test_outputs)."""
    w = World()
    w.cast = cast
    by = cast.province_admin
    w.commune_e = make_unit("Xã Quang Trung", UnitKind.COMMUNE, cast.province)
    w.commune_c = make_unit("Xã Minh Khai", UnitKind.COMMUNE, cast.province)
    w.commune_d = make_unit("Xã Hồng Việt", UnitKind.COMMUNE, cast.province)
    w.e_staff = make_user(w.commune_e, Role.STAFF, full_name="Nông Thị Én")
    w.c_staff = make_user(w.commune_c, Role.STAFF, full_name="Lý Thị Cúc")
    w.d_staff = make_user(w.commune_d, Role.STAFF, full_name="Hà Thị Dung")
    w.one = services.block_save(
        by=by,
        organiser=cast.province,
        year=YEAR,
        name="Cụm thi đua số 1",
        members=[cast.commune_a, cast.commune_b, w.commune_e],
        leader=cast.commune_a,
        deputy=cast.commune_b,
    )
    w.two = services.block_save(
        by=by,
        organiser=cast.province,
        year=YEAR,
        name="Cụm thi đua số 2",
        members=[w.commune_c, w.commune_d],
        leader=w.commune_c,
        deputy=w.commune_d,
    )
    w.table = services.table_create(
        by=by, issuing_unit=cast.province, year=YEAR, level=UnitKind.COMMUNE, name="Bảng điểm xã"
    )
    group = services.group_add(by=by, table=w.table, code="I", title="Công tác tuyên truyền")
    w.c1 = services.criterion_add(
        by=by, group=group, code="1.1", text="Hoạt động", max_points=D(40), evidence_required=True
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
    w.staff = {
        cast.commune_a.pk: cast.a_staff,
        cast.commune_b.pk: cast.b_staff,
        w.commune_e.pk: w.e_staff,
        w.commune_c.pk: w.c_staff,
        w.commune_d.pk: w.d_staff,
    }
    w.block_of = {
        cast.commune_a.pk: w.one,
        cast.commune_b.pk: w.one,
        w.commune_e.pk: w.one,
        w.commune_c.pk: w.two,
        w.commune_d.pk: w.two,
    }
    return w


def submitted(w, unit, points, *, c1=0, bonus=0, note="") -> Score:
    """The unit's self-score (c1 on 1.1 with evidence, ``points`` on 1.2), submitted."""
    by = w.staff[unit.pk]
    score = services.score_open(by=by, block=w.block_of[unit.pk], unit=unit, table=w.table)
    entries = {
        w.c1.pk: {"points": c1, "evidence": EVIDENCE if c1 else []},
        w.c2.pk: {"points": points, "note": note},
        w.bonus.pk: {"points": bonus},
    }
    score = services.score_self(by=by, score=score, version=score.version, entries=entries)
    return services.score_submit(by=by, score=score, version=score.version)


def final(w, unit, points, *, c1=0, bonus=0, penalty=0, note="", penalty_note="") -> Score:
    score = submitted(w, unit, points, c1=c1, bonus=bonus, note=note)
    checker = w.staff[services.checker_unit(score).pk]
    score = services.score_check(by=checker, score=score, version=score.version, entries={})
    return services.score_finalise(
        by=w.cast.province_admin,
        score=score,
        version=score.version,
        entries={w.penalty.pk: {"points": penalty, "note": penalty_note}},
    )


def block_url(block) -> str:
    return f"/thi-dua/xep-hang/cum/{block.pk}/"


def overall_url(unit) -> str:
    return f"/thi-dua/xep-hang/don-vi/{unit.pk}/"


# ---- the ranking itself --------------------------------------------------------------------
def test_ranked_by_total_then_tie_breaks_with_bands(world):
    w, cast = world, world.cast
    final(w, cast.commune_a, 58)  # 58
    final(w, cast.commune_b, 55, bonus=5, penalty=2)  # 58, more penalty
    final(w, w.commune_e, 60, c1=36)  # 96: xuất sắc
    rows = ranking.block_ranking(w.one)
    assert [(r.score.unit, r.rank, r.band) for r in rows] == [
        (w.commune_e, 1, "excellent"),
        (cast.commune_a, 2, "average"),  # fewer penalties
        (cast.commune_b, 3, "average"),
    ]
    assert (rows[2].bonus, rows[2].penalty) == (D(5), D(2))
    type(w.table).objects.filter(pk=w.table.pk).update(tie_break="more_bonus", fair_from=50)
    rows = ranking.block_ranking(w.one)
    assert [(r.score.unit, r.rank, r.band_label) for r in rows] == [
        (w.commune_e, 1, "Xuất sắc"),
        (cast.commune_b, 2, "Khá"),
        (cast.commune_a, 3, "Khá"),
    ]
    type(w.table).objects.filter(pk=w.table.pk).update(tie_break="")
    assert [r.rank for r in ranking.block_ranking(w.one)] == [1, 2, 2]  # "1, 2, 2"


def test_the_overall_ranking_takes_every_block_of_the_year(world):
    w, cast = world, world.cast
    final(w, cast.commune_a, 50)
    final(w, w.commune_c, 60, c1=30)  # 90: tốt
    submitted(w, w.commune_d, 60, c1=40)  # 100 but not final: not ranked
    rows = ranking.organiser_ranking(cast.province, YEAR)
    assert [(r.score.unit, r.rank, r.band) for r in rows] == [
        (w.commune_c, 1, "good"),
        (cast.commune_a, 2, "average"),
    ]
    assert ranking.organiser_ranking(cast.province, YEAR - 1) == []
    table = ranking.organiser_table(cast.province, YEAR)
    pending = {p.unit: p.score for p in table.pending}
    assert set(pending) == {cast.commune_b, w.commune_e, w.commune_d}
    assert pending[w.commune_d].self_total == D(100) and pending[cast.commune_b] is None


# ---- the block's page ------------------------------------------------------------------------
def test_the_organisers_officer_sees_the_ranking_and_the_units_not_yet_final(world):
    w, cast = world, world.cast
    final(w, w.commune_e, 60, c1=36)
    final(w, cast.commune_a, 50, bonus=2)
    submitted(w, cast.commune_b, 55)
    response = cast.client_for(cast.province_admin).get(block_url(w.one))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cụm thi đua số 1" in page
    ranked = page[page.index("<table") :]
    assert ranked.index("Xã Quang Trung") < ranked.index("Xã Đông Khê")  # 96 before 52
    assert "Xuất sắc" in page and "Trung bình" in page
    # Points as an officer writes them: "96", not "96,00"; the phone line too.
    assert "<strong>96</strong>" in page and "<strong>52</strong>" in page
    assert "96,00" not in page
    assert "<strong>96 điểm</strong>" in page
    pending = page[page.index("Chưa chốt điểm") :]
    assert "Phường Tân Giang" in pending
    assert "Đã gửi, chờ cụm trưởng chấm chéo" in pending and "tự chấm 55" in pending
    assert "ít điểm trừ hơn; nhiều điểm thưởng hơn" in page  # the table's tie-break
    # Each unit's scoring table as Word, on the table, the phone line and the pending list.
    for score in Score.objects.filter(block=w.one):
        assert reverse("emulation:score_table_docx", args=[score.pk]) in page


def test_a_member_sees_final_scores_and_never_anothers_unfinished_score(world):
    w, cast = world, world.cast
    a = final(w, cast.commune_a, 50)
    b = submitted(w, cast.commune_b, 55)
    # Xã Quang Trung is a member: Tân Giang's submitted score is not hers to read.
    page = cast.client_for(w.e_staff).get(block_url(w.one)).content.decode()
    assert "Xã Đông Khê" in page and "<strong>50</strong>" in page
    assert f"/thi-dua/xep-hang/bang-diem/{a.pk}/word/" in page
    assert f"/thi-dua/xep-hang/bang-diem/{b.pk}/word/" not in page
    pending = page[page.index("Chưa chốt điểm") :]
    assert "Phường Tân Giang" in pending
    assert "tự chấm 55" not in page and "chờ cụm trưởng chấm chéo" not in page
    assert "chỉ gồm các đơn vị đã được chốt điểm" in page
    # The leader cross-checks Tân Giang: she reads its state.
    page = cast.client_for(cast.a_staff).get(block_url(w.one)).content.decode()
    assert "chờ cụm trưởng chấm chéo" in page and "tự chấm 55" in page
    assert f"/thi-dua/xep-hang/bang-diem/{b.pk}/word/" in page


@pytest.mark.parametrize("who", ["c_staff", "outsider", "branch_viewer"])
def test_no_ranking_of_a_block_one_is_not_in(world, who):
    w, cast = world, world.cast
    final(w, cast.commune_a, 50)
    user = getattr(w, who, None) or getattr(cast, who)
    client = cast.client_for(user)
    assert client.get(block_url(w.one)).status_code == 404
    assert client.get(block_url(w.one) + "excel/").status_code == 404
    assert client.get("/thi-dua/xep-hang/cum/999999/").status_code == 404


def test_the_home_lists_the_years_blocks_one_may_read(world):
    w, cast = world, world.cast
    page = cast.client_for(w.c_staff).get("/thi-dua/xep-hang/").content.decode()
    assert "Cụm thi đua số 2" in page and "Cụm thi đua số 1" not in page
    assert "Xếp hạng chung theo đơn vị tổ chức" not in page
    page = cast.client_for(cast.province_admin).get("/thi-dua/xep-hang/").content.decode()
    assert "Cụm thi đua số 1" in page and "Cụm thi đua số 2" in page
    assert overall_url(cast.province) in page
    page = (
        cast.client_for(cast.province_admin)
        .get("/thi-dua/xep-hang/", {"nam": YEAR - 3})
        .content.decode()
    )
    assert "Không có cụm, khối thi đua nào của năm này" in page


# ---- the overall page ------------------------------------------------------------------------
def test_the_overall_ranking_page_and_its_year_chooser(world):
    w, cast = world, world.cast
    final(w, cast.commune_a, 50)
    final(w, w.commune_c, 60, c1=30)
    client = cast.client_for(cast.province_admin)
    page = client.get(overall_url(cast.province)).content.decode()
    ranked = page[page.index("<table") :]
    assert ranked.index("Xã Minh Khai") < ranked.index("Xã Đông Khê")
    assert "Cụm thi đua số 2" in page and "<strong>90</strong>" in page
    assert "2 đơn vị đã chốt điểm" in page
    page = client.get(overall_url(cast.province), {"nam": YEAR - 1}).content.decode()
    assert "Chưa có đơn vị nào được chốt điểm." in page
    for bad in ("abc", "٢٠٢٦", "99999999999999999999", "20\x0026"):
        response = client.get(overall_url(cast.province), {"nam": bad})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Năm phải là số từ 1900 đến 2100." in page
        assert "Xã Minh Khai" in page  # this year's ranking meanwhile


@pytest.mark.parametrize("who", ["a_staff", "outsider", "branch_viewer"])
def test_the_overall_ranking_is_for_the_organisers_officers(world, who):
    cast = world.cast
    client = cast.client_for(getattr(cast, who))
    assert client.get(overall_url(cast.province)).status_code == 404
    assert client.get(overall_url(cast.province) + "excel/").status_code == 404


def test_only_get(world):
    client = world.cast.client_for(world.cast.province_admin)
    assert client.post(block_url(world.one)).status_code == 405
    assert client.post(overall_url(world.cast.province)).status_code == 405


# ---- cost --------------------------------------------------------------------------------------
def test_the_pages_cost_does_not_grow_with_the_units(world, django_assert_max_num_queries):
    w, cast = world, world.cast
    for unit in (cast.commune_a, cast.commune_b, w.commune_e, w.commune_c):
        final(w, unit, 40)
    submitted(w, w.commune_d, 30)
    client = cast.client_for(cast.province_admin)
    client.get("/thi-dua/xep-hang/")  # the session and the menu warm up
    for url in (block_url(w.one), overall_url(cast.province), "/thi-dua/xep-hang/"):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
    member = cast.client_for(w.e_staff)
    with django_assert_max_num_queries(14):
        assert member.get(block_url(w.one)).status_code == 200
