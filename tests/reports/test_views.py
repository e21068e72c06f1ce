"""The report pages: forms, rounds, a unit's report (fill, save, submit, return, resubmit), bad
input kept with Vietnamese messages, and query counts that do not grow with the rows."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guongsang.plans import services as plan_services
from guongsang.plans.models import Assignment
from guongsang.reports import services
from guongsang.reports.models import (
    Aggregation,
    FormSection,
    Indicator,
    PeriodKind,
    ReportChange,
    ReportForm,
    ReportState,
    ReportValue,
    Round,
    UnitReport,
)
from guongsang.reports.services import Entry
from guongsang.units.models import UnitKind

from ..factories import Role, make_unit, make_user
from .test_services import make_form

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = dt.date(TODAY.year, 1, 1)
END = dt.date(TODAY.year, 6, 30)


def make_round(by, form, unit, *, level=UnitKind.COMMUNE, deadline=None, issue=True):
    rnd = services.round_create(
        by=by,
        form=form,
        unit=unit,
        title="Báo cáo sơ kết 6 tháng đầu năm",
        level=level,
        period_kind=PeriodKind.SIX_MONTHS,
        period_start=START,
        period_end=END,
        deadline=deadline or TODAY + dt.timedelta(days=10),
    )
    if issue:
        plan_services.document_issue(document=rnd.task.document, by=by)
        rnd.refresh_from_db()
    return rnd


@pytest.fixture
def form(cast):
    return make_form(cast.province_admin, cast.province)


@pytest.fixture
def rnd(cast, form):
    return make_round(cast.province_admin, form, cast.province)


def ind(form, code) -> Indicator:
    return form.indicators.get(code=code)


def open_report(cast, rnd, unit=None, user=None) -> UnitReport:
    return services.report_open(by=user or cast.a_staff, rnd=rnd, unit=unit or cast.commune_a)


def report_data(report, **values):
    """POST data for the report page: ``HD="12"``, ``note_HD="…"``, ``action="submit"``."""
    data = {"version": report.version, "action": values.pop("action", "save")}
    by_code = {i.code: i for i in report.round.form.indicators.all()}
    for key, value in values.items():
        if key.startswith("note_"):
            data[f"n{by_code[key[5:]].pk}"] = value
        else:
            data[f"v{by_code[key].pk}"] = value
    return data


def submit(cast, report, user=None, **values):
    client = cast.client_for(user or cast.a_staff)
    values.setdefault("action", "submit")
    return client.post(f"/bao-cao/bao-cao/{report.pk}/", report_data(report, **values))


# ---- forms ------------------------------------------------------------------------------------
def test_form_list_shows_the_forms_she_can_see(cast, form):
    page = cast.client_for(cast.province_admin).get("/bao-cao/bieu-mau/").content.decode()
    assert "BC6T" in page and "Báo cáo sơ kết 6 tháng" in page and "Đang soạn" in page
    assert "Tạo biểu mẫu" in page
    # A commune reads the province's forms (they flow down the tree).
    assert "BC6T" in cast.client_for(cast.a_staff).get("/bao-cao/bieu-mau/").content.decode()
    assert "BC6T" not in cast.client_for(cast.outsider).get("/bao-cao/bieu-mau/").content.decode()


def test_form_detail_previews_the_report_with_every_rule(cast, form):
    page = cast.client_for(cast.a_staff).get(f"/bao-cao/bieu-mau/{form.pk}/").content.decode()
    assert "I. Kết quả tuyên truyền" in page and "II. Tồn tại, hạn chế" in page
    assert "Số cuộc tuyên truyền" in page and "(cuộc)" in page and "<code>HD</code>" in page
    assert "Số nguyên" in page and "Cộng" in page and "bắt buộc" in page and "không âm" in page
    assert "không lớn hơn NTG (Số người tham dự)" in page
    assert "Đếm số đơn vị trả lời có" in page and "Tập hợp các ý kiến" in page
    # A commune reads it but does not edit the province's form.
    assert "Thêm chỉ tiêu" not in page and "Xóa chỉ tiêu" not in page
    own = cast.client_for(cast.province_admin).get(f"/bao-cao/bieu-mau/{form.pk}/")
    assert "Thêm chỉ tiêu" in own.content.decode() and "Xóa phần" in own.content.decode()


def test_a_form_is_built_through_the_pages(cast):
    client = cast.client_for(cast.province_admin)
    response = client.post(
        "/bao-cao/bieu-mau/moi/",
        {
            "unit": cast.province.pk,
            "code": "bc-nam",
            "name": "Báo cáo tổng kết năm",
            "period_kind": "year",
            "description": "",
        },
    )
    created = ReportForm.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/bao-cao/bieu-mau/{created.pk}/"
    )
    assert created.code == "BC-NAM" and created.issuing_unit == cast.province
    client.post(f"/bao-cao/bieu-mau/{created.pk}/phan/", {"number": "I", "title": "Kết quả"})
    section = FormSection.objects.get()
    base = {"section": section.pk, "measure": "", "aggregation": "", "source": "", "help": ""}
    client.post(
        f"/bao-cao/bieu-mau/{created.pk}/chi-tieu/",
        base
        | {
            "code": "NTG",
            "label": "Số người tham dự",
            "value_type": "integer",
            "non_negative": "on",
        },
    )
    client.post(
        f"/bao-cao/bieu-mau/{created.pk}/chi-tieu/",
        base
        | {
            "code": "HV",
            "label": "Trong đó hội viên",
            "value_type": "integer",
            "at_most": "NTG",
            "required": "on",
            "non_negative": "on",
        },
    )
    hv = Indicator.objects.get(code="HV")
    assert hv.at_most.code == "NTG" and hv.required and hv.aggregation == Aggregation.SUM
    # A bad indicator: the messages are in Vietnamese, the input stays, nothing is added.
    response = client.post(
        f"/bao-cao/bieu-mau/{created.pk}/chi-tieu/",
        base
        | {
            "code": "HV",
            "label": "Ghi chú riêng",
            "value_type": "text",
            "aggregation": "sum",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Biểu mẫu đã có chỉ tiêu mang mã này." in html
    assert "Cách tổng hợp này không dùng được cho kiểu dữ liệu đã chọn." in html
    assert 'value="Ghi chú riêng"' in html
    assert Indicator.objects.count() == 2
    # Deleting the compared indicator clears the check, then the section goes.
    ntg = Indicator.objects.get(code="NTG")
    client.post(f"/bao-cao/bieu-mau/{created.pk}/chi-tieu/{ntg.pk}/xoa/")
    hv.refresh_from_db()
    assert hv.at_most is None and not Indicator.objects.filter(code="NTG").exists()
    client.post(f"/bao-cao/bieu-mau/{created.pk}/phan/{section.pk}/xoa/")
    assert not FormSection.objects.exists() and not Indicator.objects.exists()


def test_a_form_in_use_is_frozen_and_a_new_version_copies_it(cast, form, rnd):
    client = cast.client_for(cast.province_admin)
    page = client.get(f"/bao-cao/bieu-mau/{form.pk}/").content.decode()
    assert "đã được dùng cho 1 đợt báo cáo nên đã khóa" in page
    assert "Tạo phiên bản mới" in page and "Thêm chỉ tiêu" not in page
    response = client.post(f"/bao-cao/bieu-mau/{form.pk}/phan/", {"title": "Phần mới"}, follow=True)
    assert "không sửa được. Hãy tạo phiên bản mới." in response.content.decode()
    assert form.sections.count() == 2
    response = client.post(f"/bao-cao/bieu-mau/{form.pk}/phien-ban-moi/")
    copy = ReportForm.objects.get(version=2)
    assert response["Location"] == f"/bao-cao/bieu-mau/{copy.pk}/"
    assert copy.indicators.count() == 6 and copy.indicators.get(code="HV").at_most.form == copy
    assert "Thêm chỉ tiêu" in client.get(response["Location"]).content.decode()


# ---- rounds -----------------------------------------------------------------------------------
def round_post(cast, form, **over):
    data = {
        "unit": cast.province.pk,
        "form": form.pk,
        "title": "Sơ kết 6 tháng đầu năm",
        "level": UnitKind.COMMUNE,
        "period": "h1",
        "year": str(TODAY.year),
        "period_start": "",
        "period_end": "",
        "deadline": (TODAY + dt.timedelta(days=10)).isoformat(),
        "document": "",
    }
    data.update(over)
    return data


def test_a_round_is_created_then_issued_with_its_plan_document(cast, form):
    client = cast.client_for(cast.province_admin)
    page = client.get(f"/bao-cao/dot/moi/?bieu_mau={form.pk}").content.decode()
    assert "6 tháng đầu năm" in page and "Ban hành văn bản để gửi yêu cầu" in page
    assert '<option value="commune" selected>' in page  # the level below the province
    assert f'<option value="{form.pk}" selected>' in page
    response = client.post("/bao-cao/dot/moi/", round_post(cast, form))
    rnd = Round.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/van-ban/{rnd.task.document_id}/"
    assert (rnd.period_start, rnd.period_end) == (START, END)
    assert rnd.period_kind == PeriodKind.SIX_MONTHS
    page = client.get(response["Location"]).content.decode()
    assert "Ban hành văn bản để gửi yêu cầu" in page
    assert f'href="/bao-cao/dot/{rnd.pk}/">Xem đợt báo cáo' in page
    page = client.get(f"/bao-cao/dot/{rnd.pk}/").content.decode()
    assert "Chưa gửi yêu cầu" in page and "Mở văn bản để ban hành" in page
    plan_services.document_issue(document=rnd.task.document, by=cast.province_admin)
    page = client.get(f"/bao-cao/dot/{rnd.pk}/").content.decode()
    assert "Đang thu báo cáo" in page and "Phường Tân Giang" in page and "Xã Đông Khê" in page
    assert "Bảng theo dõi" in page and "Đôn đốc" in page


def test_a_round_in_an_existing_draft_and_with_custom_dates(cast, form):
    draft = plan_services.document_save(
        by=cast.province_admin,
        unit=cast.province,
        organ="BTV",
        doc_type="KH",
        abstract="Kế hoạch sơ kết",
        recipients=[cast.commune_a],
    )
    client = cast.client_for(cast.province_admin)
    response = client.post(
        "/bao-cao/dot/moi/", round_post(cast, form, period="custom", document=draft.pk)
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.count("Nhập ngày của kỳ báo cáo.") == 2
    assert 'value="Sơ kết 6 tháng đầu năm"' in html and not Round.objects.exists()
    response = client.post(
        "/bao-cao/dot/moi/",
        round_post(
            cast,
            form,
            period="custom",
            document=draft.pk,
            period_start=f"{TODAY.year}-03-01",
            period_end=f"{TODAY.year}-08-31",
        ),
    )
    rnd = Round.objects.get()
    assert response["Location"] == f"/van-ban/{draft.pk}/"
    assert rnd.task.document == draft and rnd.period_kind == PeriodKind.CUSTOM
    assert rnd.period_start == dt.date(TODAY.year, 3, 1)


def test_round_create_refuses_a_level_above_and_keeps_the_input(cast, form):
    response = cast.client_for(cast.a_admin).post(
        "/bao-cao/dot/moi/",
        round_post(cast, form, unit=cast.commune_a.pk, level=UnitKind.COMMUNE),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cấp báo cáo phải là cấp dưới của đơn vị yêu cầu." in html
    assert not Round.objects.exists()


def test_round_list_shows_requested_and_asked_rounds(cast, rnd):
    for user in (cast.province_admin, cast.a_staff, cast.b_staff):
        page = cast.client_for(user).get("/bao-cao/dot/").content.decode()
        assert "Báo cáo sơ kết 6 tháng đầu năm" in page and "Đang thu báo cáo" in page
    assert "sơ kết" not in cast.client_for(cast.outsider).get("/bao-cao/dot/").content.decode()


def test_round_page_counts_on_time_late_returned_missing_and_rolls_up(cast, form):
    branches = [cast.branch_a, make_unit("Chi hội Bản Chang", UnitKind.BRANCH, cast.commune_a)]
    rnd = make_round(cast.province_admin, form, cast.province, level=UnitKind.BRANCH,
                     deadline=START + dt.timedelta(days=1))  # fmt: skip
    # Branch A1 submits (late: the deadline is past), branch B1 submits and is returned.
    a1 = open_report(cast, rnd, cast.branch_a)
    services.report_save(by=cast.a_staff, report=a1, submit=True, entries={
        ind(form, "HD").pk: Entry(number=Decimal(3)),
        ind(form, "NTG").pk: Entry(number=Decimal(120)),
        ind(form, "HC").pk: Entry(text="Thiếu kinh phí"),
    })  # fmt: skip
    b1 = open_report(cast, rnd, cast.branch_b, cast.b_staff)
    services.report_save(by=cast.b_staff, report=b1, submit=True, entries={
        ind(form, "HD").pk: Entry(number=Decimal(5)),
    })  # fmt: skip
    b1.refresh_from_db()
    services.report_return(by=cast.province_admin, report=b1, reason="Thiếu số người tham dự")
    client = cast.client_for(cast.province_admin)
    page = client.get(f"/bao-cao/dot/{rnd.pk}/").content.decode()
    assert "Theo đơn vị cấp trung gian" in page  # branches are summed per commune
    assert f'href="?trong={cast.commune_a.pk}">Xã Đông Khê' in page
    assert "Nộp muộn" in page and "Bị trả lại" in page and "Chưa nộp" in page
    assert "Chi hội Nà Pàn" in page and branches[1].name in page
    # The rollup counts the submitted report only; the texts are compiled by unit.
    assert "<strong>Chi hội Nà Pàn:</strong> Thiếu kinh phí" in page
    assert '<td class="num">3</td>' in page and '<td class="num">120</td>' in page

    def row_of(name):
        row = page[page.index(f'"Đơn vị">{name}</td>') :]
        return row[: row.index("</tr>")]

    late = row_of("Chi hội Nà Pàn")  # submitted late: when, and its report
    assert "resp-late" in late and "Nộp muộn" in late and "quá hạn" not in late
    assert re.search(r'"Nộp lúc">\d\d/\d\d/\d{4} \d\d:\d\d</td>', late)
    assert f'<a href="/bao-cao/bao-cao/{a1.pk}/">Xem</a>' in late
    returned = row_of(cast.branch_b.name)  # returned after the deadline: overdue again
    assert "Bị trả lại" in returned and "quá hạn" in returned
    missing = row_of(branches[1].name)  # never opened
    assert "Chưa nộp" in missing and "chưa mở" in missing and '"Nộp lúc">—</td>' in missing
    # Inside commune A; then only the returned ones.
    page = client.get(f"/bao-cao/dot/{rnd.pk}/?trong={cast.commune_a.pk}").content.decode()
    assert "Chi hội Tổ dân phố 1" not in page and branches[1].name in page
    page = client.get(f"/bao-cao/dot/{rnd.pk}/?trang_thai=returned").content.decode()
    assert "Chi hội Tổ dân phố 1" in page and "Chi hội Nà Pàn</td>" not in page
    # A nonsense filter is ignored.
    assert client.get(f"/bao-cao/dot/{rnd.pk}/?trang_thai=x&trong=abc").status_code == 200


def test_round_page_shows_the_first_texts_and_a_page_holds_them_all(cast, form, monkeypatch):
    from guongsang.reports import views

    monkeypatch.setattr(views, "TEXTS_SHOWN", 2)
    monkeypatch.setattr(views, "ROWS_PER_PAGE", 2)
    officer = make_user(cast.commune_a, Role.STAFF)
    names = ["Chi hội Bản Một", "Chi hội Bản Hai", "Chi hội Bản Ba"]
    branches = [make_unit(name, UnitKind.BRANCH, cast.commune_a) for name in names]
    rnd = make_round(cast.province_admin, form, cast.province, level=UnitKind.BRANCH)
    for name, branch in zip(names, branches, strict=True):
        r = open_report(cast, rnd, branch, officer)
        services.report_save(by=officer, report=r, submit=True, entries={
            ind(form, "HD").pk: Entry(number=Decimal(1)),
            ind(form, "HC").pk: Entry(text=f"Khó khăn của {name}"),
        })  # fmt: skip
    b = open_report(cast, rnd, cast.branch_b, cast.b_staff)
    services.report_save(by=cast.b_staff, report=b, submit=True, entries={
        ind(form, "HD").pk: Entry(number=Decimal(1)),
        ind(form, "HC").pk: Entry(text="Khó khăn riêng của B"),
    })  # fmt: skip
    hc = ind(form, "HC")
    client = cast.client_for(cast.province_admin)
    page = client.get(f"/bao-cao/dot/{rnd.pk}/").content.decode()
    assert page.count("Khó khăn") == 2  # the first two, in the units' order
    assert f'href="/bao-cao/dot/{rnd.pk}/y-kien/{hc.pk}/">Xem cả 4 ý kiến</a>' in page
    texts = client.get(f"/bao-cao/dot/{rnd.pk}/y-kien/{hc.pk}/").content.decode()
    assert "4 ý kiến trong các báo cáo đã nộp." in texts and texts.count("Khó khăn") == 2
    second = client.get(f"/bao-cao/dot/{rnd.pk}/y-kien/{hc.pk}/?page=2").content.decode()
    assert second.count("Khó khăn") == 2
    seen = {n for n in [*names, "Chi hội Tổ dân phố 1"] if n in texts + second}
    assert seen == {*names, "Chi hội Tổ dân phố 1"}
    inside = client.get(f"/bao-cao/dot/{rnd.pk}/y-kien/{hc.pk}/?trong={cast.commune_a.pk}")
    assert "3 ý kiến của các đơn vị thuộc Xã Đông Khê" in inside.content.decode()
    # A respondent reads her own subtree's texts only; B's text is not hers.
    own = cast.client_for(cast.a_staff).get(f"/bao-cao/dot/{rnd.pk}/y-kien/{hc.pk}/")
    assert own.status_code == 200 and "riêng của B" not in own.content.decode()
    # Not a text indicator, another form's indicator, another unit's round: 404.
    hd = ind(form, "HD")
    assert client.get(f"/bao-cao/dot/{rnd.pk}/y-kien/{hd.pk}/").status_code == 404
    other = make_form(cast.province_admin, cast.province, code="KHAC")
    stranger = next(i for i in services.form_indicators(other) if i.aggregation == "texts")
    assert client.get(f"/bao-cao/dot/{rnd.pk}/y-kien/{stranger.pk}/").status_code == 404
    assert (
        cast.client_for(cast.outsider).get(f"/bao-cao/dot/{rnd.pk}/y-kien/{hc.pk}/").status_code
        == 404
    )


def test_a_respondent_sees_only_her_part_of_the_round(cast, rnd, form):
    b = open_report(cast, rnd, cast.commune_b, cast.b_staff)
    services.report_save(by=cast.b_staff, report=b, submit=True, entries={
        ind(form, "HD").pk: Entry(number=Decimal(7)), ind(form, "HC").pk: Entry(text="Bí mật B"),
    })  # fmt: skip
    page = cast.client_for(cast.a_staff).get(f"/bao-cao/dot/{rnd.pk}/").content.decode()
    assert "Xã Đông Khê" in page and "Phường Tân Giang" not in page and "Bí mật B" not in page
    assert "Nhập báo cáo" in page and "Bạn xem phần của đơn vị mình" in page


# ---- a unit's report --------------------------------------------------------------------------
def test_the_plan_document_leads_to_the_report(cast, rnd):
    client = cast.client_for(cast.a_staff)
    page = client.get(f"/van-ban/{rnd.task.document_id}/").content.decode()
    assignment = Assignment.objects.get(task=rnd.task, recipient__unit=cast.commune_a)
    assert f'href="/bao-cao/nhiem-vu/{assignment.pk}/">Nhập báo cáo' in page
    assert "Trả lời" not in page and "Lập báo cáo" not in page
    response = client.get(f"/bao-cao/nhiem-vu/{assignment.pk}/")
    report = UnitReport.objects.get(round=rnd, unit=cast.commune_a)
    assert response["Location"] == f"/bao-cao/bao-cao/{report.pk}/"
    assert client.get(f"/bao-cao/nhiem-vu/{assignment.pk}/")["Location"] == response["Location"]
    assert UnitReport.objects.count() == 1


def test_fill_save_submit_return_resubmit(cast, rnd, form):
    report = open_report(cast, rnd)
    client = cast.client_for(cast.a_staff)
    page = client.get(f"/bao-cao/bao-cao/{report.pk}/").content.decode()
    assert "Lưu nháp" in page and "Nộp báo cáo" in page and 'inputmode="decimal"' in page
    assert f'name="version" value="{report.version}"' in page
    response = client.post(
        f"/bao-cao/bao-cao/{report.pk}/",
        report_data(
            report, HD="12", NTG="1.234", HV="1.000", TL="12,5", CLB="1", HC="Kinh phí còn hạn hẹp."
        ),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    values = {v.indicator.code: v for v in report.values.select_related("indicator")}
    assert values["NTG"].number == Decimal("1234") and values["TL"].number == Decimal("12.5")
    assert values["CLB"].flag is True and values["HC"].text == "Kinh phí còn hạn hẹp."
    assert report.state == ReportState.DRAFT
    page = client.get(f"/bao-cao/bao-cao/{report.pk}/").content.decode()
    assert 'value="1.234"' in page and 'value="12,5"' in page
    assert "Sửa số liệu" in page and "— → 1.234" in page  # the history: old → new
    assignment = Assignment.objects.get(task=rnd.task, recipient__unit=cast.commune_a)
    assert assignment.done_at is None

    response = submit(cast, report, HD="12", NTG="1.234", HV="1.000", TL="12,5", CLB="1",
                      HC="Kinh phí còn hạn hẹp.")  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assignment.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and assignment.done_at is not None
    page = client.get(f"/bao-cao/bao-cao/{report.pk}/").content.decode()
    assert "đã nộp lúc" in page and "Lưu nháp" not in page and "Trả lại" not in page
    assert "1.234" in page
    # A locked report refuses a POST too.
    response = cast.client_for(cast.a_staff).post(
        f"/bao-cao/bao-cao/{report.pk}/", report_data(report, HD="99"), follow=True
    )
    assert "Báo cáo đã nộp nên không sửa được." in response.content.decode()
    assert ReportValue.objects.get(report=report, indicator__code="HD").number == 12

    province = cast.client_for(cast.province_admin)
    page = province.get(f"/bao-cao/bao-cao/{report.pk}/").content.decode()
    assert "Trả lại báo cáo" in page and "Lưu nháp" not in page
    response = province.post(
        f"/bao-cao/bao-cao/{report.pk}/tra-lai/", {"reason": "", "version": report.version}
    )
    assert "Hãy ghi lý do trả lại." in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    province.post(
        f"/bao-cao/bao-cao/{report.pk}/tra-lai/",
        {"reason": "Số hội viên chưa khớp", "version": report.version},
    )
    report.refresh_from_db()
    assignment.refresh_from_db()
    assert report.state == ReportState.RETURNED and assignment.done_at is None
    page = client.get(f"/bao-cao/bao-cao/{report.pk}/").content.decode()
    assert "Số hội viên chưa khớp" in page and "Nộp báo cáo" in page

    response = submit(cast, report, HD="12", NTG="1.234", HV="1.100", TL="12,5", CLB="1",
                      HC="Kinh phí còn hạn hẹp.")  # fmt: skip
    report.refresh_from_db()
    assignment.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and assignment.done_at is not None
    page = client.get(f"/bao-cao/bao-cao/{report.pk}/").content.decode()
    assert "1.000 → 1.100" in page and "Trả lại" in page and "Số hội viên chưa khớp" in page


@pytest.mark.parametrize(
    "values, code, message",
    [
        ({"NTG": "-5"}, "NTG", "Không được là số âm."),
        ({"NTG": "100", "HV": "150"}, "HV", "Không được lớn hơn “Số người tham dự” (100)."),
        ({"NTG": "mười hai"}, "NTG", "không phải là số"),
        ({"NTG": "12a"}, "NTG", "không phải là số"),
        ({"NTG": "5²"}, "NTG", "không phải là số"),
        ({"NTG": "١٢"}, "NTG", "không phải là số"),
        ({"NTG": "12\x00"}, "NTG", "Nội dung có ký tự không hợp lệ."),
        ({"HC": "a\x00b"}, "HC", "Nội dung có ký tự không hợp lệ."),
        ({"NTG": "1" * 30}, "NTG", "Số quá lớn."),
        ({"NTG": "9.999.999.999.999"}, "NTG", "Số quá lớn."),
        ({"HD": "12,5"}, "HD", "Chỉ tiêu này là số nguyên."),
        ({"TL": "1,234"}, "TL", "Chỉ ghi tối đa 2 chữ số sau dấu phẩy."),
        ({"HD": "", "action": "submit"}, "HD", "Chỉ tiêu bắt buộc: hãy nhập trước khi nộp."),
    ],
)
def test_bad_input_is_refused_kept_and_nothing_is_saved(cast, rnd, values, code, message):
    report = open_report(cast, rnd)
    before = list(ReportValue.objects.filter(report=report).values_list("number", "text", "flag"))
    data = {"HD": "3", "HC": "Còn khó khăn"} | values
    response = cast.client_for(cast.a_staff).post(
        f"/bao-cao/bao-cao/{report.pk}/", report_data(report, **data)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Báo cáo chưa được lưu" in html
    # The message sits with its indicator, and what was typed is still there.
    block = html.split(f'id="ct-{code}"', 1)[1].split('id="ct-', 1)[0]
    assert message in block
    shown = data[code].replace("\x00", "")  # a NUL is dropped from what is shown again
    assert shown in block and "\x00" not in html
    assert ('value="3"' in html) == (data["HD"] == "3")
    assert ("Còn khó khăn" in html) == (data["HC"] == "Còn khó khăn")
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.version == 1
    assert not ReportChange.objects.filter(report=report).exists()
    after = list(ReportValue.objects.filter(report=report).values_list("number", "text", "flag"))
    assert after == before


def test_a_stale_version_is_refused_with_the_service_message(cast, rnd):
    report = open_report(cast, rnd)
    data = report_data(report, HD="4")
    services.report_save(by=cast.a_admin, report=report, entries={})  # someone else saved
    response = cast.client_for(cast.a_staff).post(f"/bao-cao/bao-cao/{report.pk}/", data)
    html = response.content.decode()
    assert "Báo cáo vừa được người khác thay đổi." in html and 'value="4"' in html
    assert ReportValue.objects.get(report=report, indicator__code="HD").number is None


def test_a_commune_sees_the_sum_of_her_branches_beside_her_figures(cast, form):
    rnd = make_round(cast.province_admin, form, cast.province)
    branch_round = make_round(cast.a_admin, form, cast.commune_a, level=UnitKind.BRANCH)
    branch_head = make_user(cast.branch_a, Role.STAFF, username="a1.staff")
    branch = open_report(cast, branch_round, cast.branch_a, branch_head)
    services.report_save(by=branch_head, report=branch, submit=True, entries={
        ind(form, "HD").pk: Entry(number=Decimal(2)), ind(form, "NTG").pk: Entry(number=Decimal(45)),
    })  # fmt: skip
    report = open_report(cast, rnd)
    page = cast.client_for(cast.a_staff).get(f"/bao-cao/bao-cao/{report.pk}/").content.decode()
    assert "Cấp dưới đã nộp: <strong>45</strong> (1 báo cáo)" in page


def test_a_corrected_system_figure_needs_a_note(cast, rnd, form):
    report = open_report(cast, rnd)
    value = ReportValue.objects.get(report=report, indicator=ind(form, "NTG"))
    ReportValue.objects.filter(pk=value.pk).update(number=80, system_number=80)
    client = cast.client_for(cast.a_staff)
    page = client.get(f"/bao-cao/bao-cao/{report.pk}/").content.decode()
    assert "Số liệu hệ thống: <strong>80</strong>" in page and 'value="80"' in page
    response = client.post(f"/bao-cao/bao-cao/{report.pk}/", report_data(report, NTG="95"))
    html = response.content.decode()
    assert "Số liệu hệ thống là 80: hãy ghi lý do điều chỉnh." in html
    assert '<details class="indicator-note" open>' in html
    response = client.post(
        f"/bao-cao/bao-cao/{report.pk}/",
        report_data(report, NTG="95", note_NTG="Có 15 lượt chưa nhập vào hệ thống"),
    )
    assert response.status_code == 302
    page = client.get(f"/bao-cao/bao-cao/{report.pk}/").content.decode()
    assert "80 → 95" in page and "Có 15 lượt chưa nhập vào hệ thống" in page


# ---- query counts -----------------------------------------------------------------------------
def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_form_and_round_lists_do_not_grow_with_rows(cast, form):
    client = cast.client_for(cast.a_staff)
    make_round(cast.province_admin, form, cast.province)
    few = (_count(client, "/bao-cao/bieu-mau/"), _count(client, "/bao-cao/dot/"))
    for i in range(4):
        other = make_form(cast.province_admin, cast.province, code=f"F{i}")
        make_round(cast.province_admin, other, cast.province)
    many = (_count(client, "/bao-cao/bieu-mau/"), _count(client, "/bao-cao/dot/"))
    assert few == many


def test_round_and_report_pages_do_not_grow_with_respondents(cast, form):
    rnd = make_round(cast.province_admin, form, cast.province, level=UnitKind.BRANCH)
    report = open_report(cast, rnd, cast.branch_a)
    services.report_save(by=cast.a_staff, report=report, submit=True, entries={
        ind(form, "HD").pk: Entry(number=Decimal(1)), ind(form, "HC").pk: Entry(text="Ý kiến"),
    })  # fmt: skip
    client = cast.client_for(cast.province_admin)
    few = (
        _count(client, f"/bao-cao/dot/{rnd.pk}/"),
        _count(client, f"/bao-cao/bao-cao/{report.pk}/"),
    )

    commune = make_unit("Xã Quang Trung", UnitKind.COMMUNE, cast.province)
    officer = make_user(commune, Role.STAFF)
    units = [make_unit(f"Chi hội số {i}", UnitKind.BRANCH, commune) for i in range(6)]
    rnd2 = make_round(cast.province_admin, form, cast.province, level=UnitKind.BRANCH)
    for unit in units:
        r = open_report(cast, rnd2, unit, officer)
        services.report_save(by=officer, report=r, submit=True, entries={
            ind(form, "HD").pk: Entry(number=Decimal(2)), ind(form, "HC").pk: Entry(text="Tốt"),
        })  # fmt: skip
    report2 = open_report(cast, rnd2, cast.branch_a)
    services.report_save(by=cast.a_staff, report=report2, submit=True, entries={
        ind(form, "HD").pk: Entry(number=Decimal(1)), ind(form, "HC").pk: Entry(text="Ý kiến"),
    })  # fmt: skip
    many = (
        _count(client, f"/bao-cao/dot/{rnd2.pk}/"),
        _count(client, f"/bao-cao/bao-cao/{report2.pk}/"),
    )
    assert few == many


def test_an_indicator_takes_a_system_source_checked_by_the_service(cast):
    form = services.form_create(
        by=cast.province_admin, unit=cast.province, code="NGUON", name="Thử"
    )
    section = services.section_add(by=cast.province_admin, form=form, title="Số liệu")
    client = cast.client_for(cast.province_admin)
    page = client.get(f"/bao-cao/bieu-mau/{form.pk}/").content.decode()
    assert '<datalist id="figure-keys">' in page and 'value="activities"' in page
    data = {"section": section.pk, "code": "HD", "label": "Số cuộc", "value_type": "integer"}
    response = client.post(f"/bao-cao/bieu-mau/{form.pk}/chi-tieu/", data | {"source": "khong.co"})
    html = response.content.decode()
    assert "Mã số liệu hệ thống không tồn tại: khong.co" in html and 'value="khong.co"' in html
    assert not form.indicators.exists()
    client.post(f"/bao-cao/bieu-mau/{form.pk}/chi-tieu/", data | {"source": "activities"})
    assert form.indicators.get().source == "activities"
    page = client.get(f"/bao-cao/bieu-mau/{form.pk}/").content.decode()
    assert "Điền sẵn từ số liệu hệ thống: <code>activities</code>" in page
    # The report is pre-filled from the live figures (none in the cast: 0) and shows them.
    rnd = make_round(cast.province_admin, form, cast.province)
    report = open_report(cast, rnd)
    page = cast.client_for(cast.a_staff).get(f"/bao-cao/bao-cao/{report.pk}/").content.decode()
    assert "Số liệu hệ thống: <strong>0</strong>" in page and 'value="0"' in page
