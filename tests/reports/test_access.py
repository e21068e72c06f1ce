"""Who reaches which form, round and report: guessed URLs and POSTs give 404 (the same for
missing and not-yours); a commune cannot return her own report."""

from decimal import Decimal

import pytest

from guongsang.plans.models import Assignment
from guongsang.reports import access, services
from guongsang.reports.models import FormSection, Indicator, ReportState, ReportValue, Round
from guongsang.reports.services import Entry
from guongsang.units.models import UnitKind

from .test_views import ind, make_form, make_round, open_report, report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    form = make_form(cast.province_admin, cast.province)
    rnd = make_round(cast.province_admin, form, cast.province)
    report_a = open_report(cast, rnd, cast.commune_a, cast.a_staff)
    services.report_save(
        by=cast.a_staff,
        report=report_a,
        submit=True,
        entries={
            ind(form, "HD").pk: Entry(number=Decimal(4)),
        },
    )
    report_a.refresh_from_db()
    report_b = open_report(cast, rnd, cast.commune_b, cast.b_staff)
    draft = make_form(cast.province_admin, cast.province, code="NHAP")  # not in use: editable
    return {"form": form, "draft": draft, "rnd": rnd, "a": report_a, "b": report_b}


def test_another_communes_report_is_404_by_get_and_post(cast, world):
    b = cast.client_for(cast.b_staff)
    report = world["a"]
    assert b.get(f"/bao-cao/bao-cao/{report.pk}/").status_code == 404
    assert b.post(f"/bao-cao/bao-cao/{report.pk}/", report_data(report, HD="9")).status_code == 404
    response = b.post(
        f"/bao-cao/bao-cao/{report.pk}/tra-lai/", {"reason": "Sai", "version": report.version}
    )
    assert response.status_code == 404
    assert cast.client_for(cast.a_staff).get(f"/bao-cao/bao-cao/{report.pk}/").status_code == 200
    # A branch viewer reads her branch, not her commune's report; an outsider nothing.
    assert (
        cast.client_for(cast.branch_viewer).get(f"/bao-cao/bao-cao/{report.pk}/").status_code == 404
    )
    for pk in (report.pk, world["b"].pk, 999999, "0"):
        assert cast.client_for(cast.outsider).get(f"/bao-cao/bao-cao/{pk}/").status_code == 404
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.version == 2


def test_the_same_404_for_missing_and_forbidden_rounds_and_forms(cast, world):
    outsider = cast.client_for(cast.outsider)
    rnd, form = world["rnd"], world["form"]
    for url in (
        f"/bao-cao/dot/{rnd.pk}/",
        "/bao-cao/dot/999999/",
        f"/bao-cao/bieu-mau/{form.pk}/",
        "/bao-cao/bieu-mau/999999/",
        f"/bao-cao/bao-cao/{world['a'].pk}/",
    ):
        assert outsider.get(url).status_code == 404, url
    # A branch viewer is not among the round's respondents (communes) and cannot view the
    # province: the round is not hers.
    assert cast.client_for(cast.branch_viewer).get(f"/bao-cao/dot/{rnd.pk}/").status_code == 404
    # The round page's POST is for the requesting side only.
    assert cast.client_for(cast.a_admin).post(f"/bao-cao/dot/{rnd.pk}/khoa-so/").status_code == 404
    assert Round.objects.get().state == "draft"


def test_a_draft_round_is_seen_only_by_who_edits_the_requesting_unit(cast, world):
    draft = make_round(cast.province_admin, world["form"], cast.province, issue=False)
    assert cast.client_for(cast.a_staff).get(f"/bao-cao/dot/{draft.pk}/").status_code == 404
    assert cast.client_for(cast.province_admin).get(f"/bao-cao/dot/{draft.pk}/").status_code == 200


def test_a_commune_cannot_return_her_own_report(cast, world):
    report = world["a"]
    for user in (cast.a_staff, cast.a_admin):
        client = cast.client_for(user)
        page = client.get(f"/bao-cao/bao-cao/{report.pk}/").content.decode()
        assert "Trả lại báo cáo" not in page
        response = client.post(
            f"/bao-cao/bao-cao/{report.pk}/tra-lai/",
            {"reason": "Tự trả lại", "version": report.version},
            follow=True,
        )
        assert "Chỉ đơn vị yêu cầu báo cáo mới trả lại được." in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert Assignment.objects.get(recipient__unit=cast.commune_a).done_at is not None


def test_the_requesting_side_reads_but_does_not_fill(cast, world):
    report = world["b"]
    province = cast.client_for(cast.province_admin)
    page = province.get(f"/bao-cao/bao-cao/{report.pk}/").content.decode()
    assert "Lưu nháp" not in page and "Phường Tân Giang" in page
    response = province.post(
        f"/bao-cao/bao-cao/{report.pk}/", report_data(report, HD="8"), follow=True
    )
    assert "Bạn không thể sửa báo cáo của đơn vị này." in response.content.decode()
    assert ReportValue.objects.get(report=report, indicator__code="HD").number is None


def test_another_units_assignment_is_404(cast, world):
    rnd = world["rnd"]
    theirs = Assignment.objects.get(task=rnd.task, recipient__unit=cast.commune_b)
    for user in (cast.a_staff, cast.outsider, cast.branch_viewer, cast.province_admin):
        assert cast.client_for(user).get(f"/bao-cao/nhiem-vu/{theirs.pk}/").status_code == 404
    assert cast.client_for(cast.b_staff).get(f"/bao-cao/nhiem-vu/{theirs.pk}/").status_code == 302
    assert cast.client_for(cast.a_staff).get("/bao-cao/nhiem-vu/999999/").status_code == 404
    # An ordinary plan task is answered in plans, not here.
    from tests.plans.conftest import make_plan

    plan = make_plan(cast.province_admin, cast.province, [cast.commune_a])
    plain = Assignment.objects.filter(task__document=plan).first()
    assert cast.client_for(cast.a_staff).get(f"/bao-cao/nhiem-vu/{plain.pk}/").status_code == 404


def test_a_commune_cannot_edit_the_provinces_form(cast, world):
    form = world["draft"]
    section = form.sections.first()
    indicator = form.indicators.first()
    a = cast.client_for(cast.a_admin)
    assert a.get(f"/bao-cao/bieu-mau/{form.pk}/").status_code == 200  # she reads it
    for url, data in (
        (f"/bao-cao/bieu-mau/{form.pk}/phan/", {"title": "Phần lạ"}),
        (f"/bao-cao/bieu-mau/{form.pk}/phan/{section.pk}/xoa/", {}),
        (f"/bao-cao/bieu-mau/{form.pk}/chi-tieu/", {"section": section.pk, "code": "X"}),
        (f"/bao-cao/bieu-mau/{form.pk}/chi-tieu/{indicator.pk}/xoa/", {}),
        (f"/bao-cao/bieu-mau/{form.pk}/phien-ban-moi/", {}),
    ):
        assert a.post(url, data).status_code == 404, url
    assert FormSection.objects.filter(form=form).count() == 2
    assert Indicator.objects.filter(form=form).count() == 6
    # An indicator of another form through this form's URL is 404 for the editor too.
    other = world["form"].indicators.first()
    province = cast.client_for(cast.province_admin)
    assert province.post(f"/bao-cao/bieu-mau/{form.pk}/chi-tieu/{other.pk}/xoa/").status_code == 404


def test_round_creation_needs_a_unit_she_edits(cast, world):
    assert cast.client_for(cast.branch_viewer).get("/bao-cao/dot/moi/").status_code == 404
    response = cast.client_for(cast.a_admin).post(
        "/bao-cao/dot/moi/",
        {
            "unit": cast.province.pk,
            "form": world["form"].pk,
            "title": "Lạ",
            "level": "commune",
            "period": "year",
            "year": "2026",
            "deadline": "2026-12-30",
        },
    )
    assert response.status_code == 200 and Round.objects.count() == 1
    assert "Hãy chọn một mục trong danh sách." in response.content.decode()


def test_access_helpers(cast, world):
    rnd = world["rnd"]
    assert set(access.rounds_for(cast.a_staff)) == {rnd}
    assert set(access.rounds_for(cast.outsider)) == set()
    assert access.sees_whole_round(cast.province_admin, rnd)
    assert not access.sees_whole_round(cast.a_staff, rnd)
    assert access.may_fill(cast.a_staff, world["a"]) and not access.may_fill(
        cast.province_admin, world["a"]
    )
    assert access.may_return(cast.province_admin, world["a"])
    assert not access.may_return(cast.a_admin, world["a"])
    assert set(access.reports_for(cast.b_staff)) == {world["b"]}
    assert rnd.level == UnitKind.COMMUNE


def test_summary_rounds_equal_the_orm_reading_of_rounds_for(cast, world):
    """The written-out read of the summary page's rounds gives what ``rounds_for`` filtered the
    same way gives, for every account (a superuser, a central officer, one without role
    included), every unit and several periods; with rounds issued and still in draft, asked
    by the central union, the province, a commune (of its branches) and another province, and
    one of another year."""
    import datetime as dt

    from django.db.models import Q

    from guongsang.units.models import PATH_END, SEGMENT_WIDTH

    from ..factories import Role, make_user
    from .test_views import END, START

    central_admin = make_user(cast.central, Role.ADMIN, username="tw.admin", full_name="Hà Thị Mai")
    root = make_user(None, username="root.gs", full_name="Quản Trị", is_superuser=True)
    nobody = make_user(cast.province, None, username="no.role", full_name="Nông Thị Ba")
    rounds = [world["rnd"]]
    rounds.append(make_round(cast.province_admin, world["form"], cast.province, issue=False))
    rounds.append(make_round(cast.a_admin, world["form"], cast.commune_a, level=UnitKind.BRANCH))
    rounds.append(make_round(central_admin, world["form"], cast.central))
    outsiders = make_form(cast.outsider, cast.other_province, code="LS")
    rounds.append(make_round(cast.outsider, outsiders, cast.other_province))
    old = make_round(cast.province_admin, world["form"], cast.province)
    Round.objects.filter(pk=old.pk).update(
        period_start=dt.date(2020, 1, 1), period_end=dt.date(2020, 6, 30)
    )
    assert Round.objects.count() == 6
    # The superuser sees the province's draft round, as whoever edits the province does.
    assert rounds[1].pk in {r.pk for r in access.rounds_for(root)}
    assert rounds[1].pk in {r.pk for r in access.rounds_for(cast.province_admin)}
    assert rounds[1].pk not in {r.pk for r in access.rounds_for(cast.a_staff)}

    def orm(user, unit, start, end, limit):
        ancestors = [unit.path[:i] for i in range(SEGMENT_WIDTH, len(unit.path) + 1, SEGMENT_WIDTH)]
        return list(
            access.rounds_for(user)
            .filter(period_start__gte=start, period_end__lte=end)
            .filter(
                Q(unit__path__in=ancestors)
                | Q(unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END)
            )
            .order_by("-period_end", "-pk")
            .values_list("pk", flat=True)[:limit]
        )

    users = [*cast.accounts, central_admin, root, nobody]
    units = [
        cast.central,
        cast.province,
        cast.commune_a,
        cast.branch_a,
        cast.commune_b,
        cast.former_district,
        cast.other_province,
        cast.other_commune,
    ]
    periods = [
        (START, END),
        (dt.date(2020, 1, 1), END),
        (dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
    ]
    seen = set()
    for user in users:
        for unit in units:
            for start, end in periods:
                for limit in (3, 10):
                    got = access.summary_rounds(user, unit, start, end, limit)
                    expected = orm(user, unit, start, end, limit)
                    assert [r.pk for r in got] == expected, (user.username, unit.name, start)
                    seen.update(expected)
    # Every round is seen by someone, and the fields the page reads came with the rounds.
    assert seen == {r.pk for r in Round.objects.all()}
    got = access.summary_rounds(cast.province_admin, cast.province, START, END, 3)
    fresh = Round.objects.get(pk=got[0].pk)
    for name in ("title", "period_start", "period_end", "form_id", "revision"):
        assert getattr(got[0], name) == getattr(fresh, name)
    assert isinstance(got[0].period_start, dt.date)


def test_messages_of_the_forms_are_vietnamese(cast, world):
    client = cast.client_for(cast.province_admin)
    response = client.post(
        "/bao-cao/dot/moi/",
        {
            "unit": "999999",
            "form": "abc",
            "title": "x" * 400,
            "level": "nowhere",
            "period": "year",
            "year": "1990",
            "deadline": "31/02/2026",
            "document": "-1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and Round.objects.count() == 1
    assert "Hãy chọn một mục trong danh sách." in html
    assert "Nội dung quá dài (tối đa 300 ký tự)." in html
    assert "Nhập một ngày hợp lệ" in html
    assert "Select a valid choice" not in html and "Ensure this value" not in html
