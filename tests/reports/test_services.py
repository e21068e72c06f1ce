"""Report forms, rounds and units' reports: the rules in reports/services.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guongsang.plans import services as plan_services
from guongsang.plans.models import Assignment, DocStatus, TaskKind
from guongsang.plans.services import TaskSpec
from guongsang.reports import services
from guongsang.reports.models import (
    Aggregation,
    ChangeAction,
    PeriodKind,
    ReportChange,
    ReportState,
    ReportValue,
    RoundState,
    ValueType,
    format_number,
)
from guongsang.reports.services import Entry, IndicatorSpec
from guongsang.units.models import UnitKind

from ..factories import Role, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = dt.date(TODAY.year, 1, 1)
END = dt.date(TODAY.year, 6, 30)


def make_form(by, unit, code="BC6T"):
    form = services.form_create(
        by=by,
        unit=unit,
        code=code,
        name="Báo cáo sơ kết 6 tháng",
        period_kind=PeriodKind.SIX_MONTHS,
    )
    figures = services.section_add(by=by, form=form, title="Kết quả tuyên truyền", number="I")
    narrative = services.section_add(by=by, form=form, title="Tồn tại, hạn chế", number="II")
    add = lambda section, **kw: services.indicator_add(  # noqa: E731
        by=by, section=section, spec=IndicatorSpec(**kw)
    )
    add(figures, code="HD", label="Số cuộc tuyên truyền", value_type=ValueType.INTEGER,
        aggregation=Aggregation.SUM, measure="cuộc", required=True)  # fmt: skip
    add(figures, code="NTG", label="Số người tham dự", value_type=ValueType.INTEGER,
        aggregation=Aggregation.SUM, measure="lượt người")  # fmt: skip
    add(figures, code="HV", label="Trong đó hội viên", value_type=ValueType.INTEGER,
        aggregation=Aggregation.SUM, at_most="NTG")  # fmt: skip
    add(figures, code="TL", label="Tỷ lệ hộ đạt 5 không 3 sạch", value_type=ValueType.DECIMAL,
        aggregation=Aggregation.AVERAGE, measure="%")  # fmt: skip
    add(figures, code="CLB", label="Có câu lạc bộ gia đình hạnh phúc", value_type=ValueType.BOOLEAN,
        aggregation=Aggregation.COUNT_YES)  # fmt: skip
    add(narrative, code="HC", label="Tồn tại, hạn chế", value_type=ValueType.TEXT,
        aggregation=Aggregation.TEXTS)  # fmt: skip
    return form


def open_round(cast, form, *, unit=None, level=UnitKind.COMMUNE, by=None, deadline=None):
    by = by or cast.province_admin
    rnd = services.round_create(
        by=by,
        form=form,
        unit=unit or cast.province,
        title="Báo cáo sơ kết 6 tháng đầu năm",
        level=level,
        period_kind=PeriodKind.SIX_MONTHS,
        period_start=START,
        period_end=END,
        deadline=deadline or TODAY + dt.timedelta(days=10),
    )
    plan_services.document_issue(document=rnd.task.document, by=by)
    rnd.refresh_from_db()
    return rnd


def codes(form):
    return {ind.code: ind for ind in form.indicators.all()}


# ---- forms ------------------------------------------------------------------------------------
def test_a_form_holds_sections_and_indicators_with_their_rules(cast):
    form = make_form(cast.province_admin, cast.province)
    ind = codes(form)
    assert [s.title for s in form.sections.all()] == ["Kết quả tuyên truyền", "Tồn tại, hạn chế"]
    assert ind["HV"].at_most == ind["NTG"]
    assert ind["HC"].non_negative is False
    assert [i.code for i in services.form_indicators(form)] == [
        "HD",
        "NTG",
        "HV",
        "TL",
        "CLB",
        "HC",
    ]


@pytest.mark.parametrize(
    "spec, field",
    [
        (dict(code="HD", label="Trùng mã", value_type=ValueType.INTEGER), "code"),
        (dict(code="X 1", label="Mã có dấu cách", value_type=ValueType.INTEGER), "code"),
        (dict(code="Đ1", label="Mã có dấu", value_type=ValueType.INTEGER), "code"),
        (dict(code="A", label="", value_type=ValueType.INTEGER), "label"),
        (
            dict(code="B", label="Sai cách cộng", value_type=ValueType.TEXT, aggregation="sum"),
            "aggregation",
        ),
        (dict(code="C", label="So với chữ", value_type=ValueType.INTEGER, at_most="HC"), "at_most"),
        (
            dict(code="D", label="Không rõ nguồn", value_type=ValueType.INTEGER, source="khong.co"),
            "source",
        ),
    ],
)
def test_bad_indicators_are_refused_with_a_message(cast, spec, field):
    form = make_form(cast.province_admin, cast.province)
    section = form.sections.first()
    with pytest.raises(ValidationError) as exc:
        services.indicator_add(by=cast.province_admin, section=section, spec=IndicatorSpec(**spec))
    assert field in exc.value.message_dict
    assert form.indicators.count() == 6


def test_only_an_editor_of_the_issuing_unit_changes_a_form(cast):
    form = make_form(cast.province_admin, cast.province)
    for user in (cast.a_staff, cast.outsider, cast.branch_viewer):
        with pytest.raises(ValidationError):
            services.section_add(by=user, form=form, title="Thêm phần")
    with pytest.raises(ValidationError):
        services.form_create(by=cast.a_staff, unit=cast.province, code="X", name="Không được")


def test_a_form_used_by_a_round_is_frozen_and_a_new_version_copies_it(cast):
    form = make_form(cast.province_admin, cast.province)
    open_round(cast, form)
    with pytest.raises(ValidationError, match="phiên bản mới"):
        services.section_add(by=cast.province_admin, form=form, title="Thêm phần")
    with pytest.raises(ValidationError):
        services.indicator_delete(by=cast.province_admin, indicator=form.indicators.first())
    copy = services.form_new_version(by=cast.province_admin, form=form)
    assert (copy.version, copy.previous, copy.in_use) == (2, form, False)
    new = codes(copy)
    assert set(new) == set(codes(form))
    assert new["HV"].at_most == new["NTG"]  # the check points inside the copy
    services.section_add(by=cast.province_admin, form=copy, title="Phương hướng")
    assert copy.sections.count() == 3 and form.sections.count() == 2


# ---- rounds -----------------------------------------------------------------------------------
def test_a_round_is_a_task_of_a_plan_sent_to_every_current_commune(cast):
    form = make_form(cast.province_admin, cast.province)
    rnd = services.round_create(
        by=cast.province_admin,
        form=form,
        unit=cast.province,
        title="Báo cáo sơ kết 6 tháng",
        level=UnitKind.COMMUNE,
        period_kind=PeriodKind.SIX_MONTHS,
        period_start=START,
        period_end=END,
        deadline=TODAY + dt.timedelta(days=5),
    )
    doc = rnd.task.document
    assert (doc.status, doc.doc_type, rnd.task.kind, rnd.task.managed_by) == (
        DocStatus.DRAFT,
        "CV",
        TaskKind.REPORT,
        "reports",
    )
    assert services.round_state(rnd) == RoundState.DRAFT
    # Editing the draft in the plan editor keeps the round's task.
    plan_services.document_save(
        by=cast.province_admin,
        unit=cast.province,
        organ=doc.organ,
        doc_type=doc.doc_type,
        drafting_code=doc.drafting_code,
        abstract="V/v báo cáo sơ kết (sửa)",
        recipients=[cast.commune_a],
        tasks=[TaskSpec(TaskKind.OTHER, "Gửi danh sách", TODAY + dt.timedelta(days=3))],
        document=doc,
    )
    assert doc.tasks.filter(managed_by="reports").get() == rnd.task
    plan_services.document_issue(document=doc, by=cast.province_admin)
    rnd.task.refresh_from_db()
    assert services.round_state(rnd) == RoundState.OPEN
    units = set(Assignment.objects.filter(task=rnd.task).values_list("recipient__unit", flat=True))
    assert units == {cast.commune_a.pk, cast.commune_b.pk}  # the closed former commune is not asked


def test_a_round_task_cannot_be_answered_with_a_note(cast):
    rnd = open_round(cast, make_form(cast.province_admin, cast.province))
    assignment = Assignment.objects.get(task=rnd.task, recipient__unit=cast.commune_a)
    with pytest.raises(ValidationError, match="biểu mẫu"):
        plan_services.assignment_answer(assignment=assignment, by=cast.a_staff, note="Đã làm")


@pytest.mark.parametrize(
    "changes, field",
    [
        (dict(level=UnitKind.PROVINCE), "level"),
        (dict(period_start=END, period_end=START), "period_end"),
        (dict(title="  "), "title"),
    ],
)
def test_bad_rounds_are_refused(cast, changes, field):
    form = make_form(cast.province_admin, cast.province)
    args = dict(
        by=cast.province_admin,
        form=form,
        unit=cast.province,
        title="Đợt",
        level=UnitKind.COMMUNE,
        period_kind=PeriodKind.SIX_MONTHS,
        period_start=START,
        period_end=END,
        deadline=TODAY,
    )
    args.update(changes)
    with pytest.raises(ValidationError) as exc:
        services.round_create(**args)
    assert field in exc.value.message_dict


def test_a_commune_cannot_ask_with_a_form_of_another_province(cast):
    form = make_form(cast.outsider, cast.other_province)
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            by=cast.a_admin,
            form=form,
            unit=cast.commune_a,
            title="Đợt",
            level=UnitKind.BRANCH,
            period_kind=PeriodKind.SIX_MONTHS,
            period_start=START,
            period_end=END,
            deadline=TODAY,
        )
    assert "form" in exc.value.message_dict


# ---- a unit's report --------------------------------------------------------------------------
def test_only_an_asked_unit_opens_its_report_and_only_by_its_officers(cast):
    form = make_form(cast.province_admin, cast.province)
    rnd = open_round(cast, form)
    with pytest.raises(ValidationError):
        services.report_open(by=cast.b_staff, rnd=rnd, unit=cast.commune_a)
    with pytest.raises(ValidationError):
        services.report_open(by=cast.a_staff, rnd=rnd, unit=cast.branch_a)  # not asked
    report = services.report_open(by=cast.a_staff, rnd=rnd, unit=cast.commune_a)
    assert report.values.count() == 6 and report.state == ReportState.DRAFT
    assert report.unit_path == cast.commune_a.path
    assert services.report_open(by=cast.a_staff, rnd=rnd, unit=cast.commune_a) == report


def test_a_draft_round_cannot_be_filled(cast):
    form = make_form(cast.province_admin, cast.province)
    rnd = services.round_create(
        by=cast.province_admin,
        form=form,
        unit=cast.province,
        title="Đợt",
        level=UnitKind.COMMUNE,
        period_kind=PeriodKind.SIX_MONTHS,
        period_start=START,
        period_end=END,
        deadline=TODAY,
    )
    with pytest.raises(ValidationError, match="chưa mở"):
        services.report_open(by=cast.a_staff, rnd=rnd, unit=cast.commune_a)


def entries(form, **values):
    ind = codes(form)
    out = {}
    for code, value in values.items():
        i = ind[code]
        if i.value_type == ValueType.BOOLEAN:
            out[i.pk] = Entry(flag=value)
        elif i.value_type == ValueType.TEXT:
            out[i.pk] = Entry(text=value)
        else:
            out[i.pk] = Entry(number=None if value is None else Decimal(str(value)))
    return out


def test_saving_checks_every_rule_and_writes_nothing_on_a_problem(cast):
    form = make_form(cast.province_admin, cast.province)
    rnd = open_round(cast, form)
    report = services.report_open(by=cast.a_staff, rnd=rnd, unit=cast.commune_a)
    bad = entries(form, HD=-1, NTG=10, HV=12, TL="1.5", HC="Chưa đều")
    with pytest.raises(ValidationError) as exc:
        services.report_save(by=cast.a_staff, report=report, entries=bad, expected_version=1)
    errors = exc.value.message_dict
    assert errors["HD"] == ["Không được là số âm."]
    assert errors["HV"] == ["Không được lớn hơn “Số người tham dự” (10)."]
    assert "TL" not in errors
    assert not ReportValue.objects.filter(report=report).exclude(number=None).exists()
    assert not ReportChange.objects.filter(report=report).exists()
    huge = entries(form, NTG=10**13)
    with pytest.raises(ValidationError, match="quá lớn"):
        services.report_save(by=cast.a_staff, report=report, entries=huge)
    fraction = entries(form, HD="2.5")
    with pytest.raises(ValidationError, match="số nguyên"):
        services.report_save(by=cast.a_staff, report=report, entries=fraction)


def test_each_change_is_kept_with_who_when_old_and_new(cast):
    form = make_form(cast.province_admin, cast.province)
    rnd = open_round(cast, form)
    report = services.report_open(by=cast.a_staff, rnd=rnd, unit=cast.commune_a)
    services.report_save(
        by=cast.a_staff,
        report=report,
        entries=entries(form, HD=4, NTG=120, CLB=True),
        expected_version=1,
    )
    services.report_save(
        by=cast.a_admin, report=report, entries=entries(form, HD=5, NTG=120), expected_version=2
    )
    log = list(
        report.changes.values_list("by__username", "indicator__code", "old_value", "new_value")
    )
    assert log == [
        ("a.staff", "HD", "", "4"),
        ("a.staff", "NTG", "", "120"),
        ("a.staff", "CLB", "", "Có"),
        ("a.admin", "HD", "4", "5"),
    ]
    with pytest.raises(ValidationError, match="người khác"):
        services.report_save(by=cast.a_staff, report=report, entries={}, expected_version=2)
    change = report.changes.first()
    with pytest.raises(ValidationError):
        change.save()
    with pytest.raises(ValidationError):
        change.delete()


def test_submit_return_and_resubmit_follow_the_plan_task(cast):
    form = make_form(cast.province_admin, cast.province)
    rnd = open_round(cast, form)
    report = services.report_open(by=cast.a_staff, rnd=rnd, unit=cast.commune_a)
    assignment = Assignment.objects.get(task=rnd.task, recipient__unit=cast.commune_a)
    with pytest.raises(ValidationError) as exc:
        services.report_save(by=cast.a_staff, report=report, entries={}, submit=True)
    assert exc.value.message_dict == {"HD": ["Chỉ tiêu bắt buộc: hãy nhập trước khi nộp."]}
    report = services.report_save(
        by=cast.a_staff, report=report, entries=entries(form, HD=3), submit=True
    )
    assignment.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and assignment.done_at is not None
    with pytest.raises(ValidationError, match="đã nộp"):
        services.report_save(by=cast.a_staff, report=report, entries=entries(form, HD=4))
    # The commune cannot send her own report back; the province can, with a reason.
    with pytest.raises(ValidationError, match="đơn vị yêu cầu"):
        services.report_return(by=cast.a_admin, report=report, reason="Sai")
    with pytest.raises(ValidationError) as exc:
        services.report_return(by=cast.province_admin, report=report, reason=" ")
    assert "reason" in exc.value.message_dict
    report = services.report_return(
        by=cast.province_admin, report=report, reason="Thiếu số người tham dự"
    )
    assignment.refresh_from_db()
    assert report.state == ReportState.RETURNED and assignment.done_at is None
    report = services.report_save(
        by=cast.a_staff, report=report, entries=entries(form, NTG=50), submit=True
    )
    assignment.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and assignment.done_at is not None
    actions = list(report.changes.values_list("action", flat=True))
    assert actions == [
        ChangeAction.EDIT,
        ChangeAction.SUBMIT,
        ChangeAction.RETURN,
        ChangeAction.EDIT,
        ChangeAction.SUBMIT,
    ]
    assert report.changes.get(action=ChangeAction.RETURN).note == "Thiếu số người tham dự"


# ---- rollup -----------------------------------------------------------------------------------
def test_rollup_follows_each_indicators_rule(cast):
    form = make_form(cast.province_admin, cast.province)
    rnd = open_round(cast, form)
    for user, unit, values in [
        (
            cast.a_staff,
            cast.commune_a,
            dict(HD=3, NTG=100, HV=60, TL=80, CLB=True, HC="Thiếu kinh phí"),
        ),
        (
            cast.b_staff,
            cast.commune_b,
            dict(HD=5, NTG=40, HV=40, TL=90.5, CLB=False, HC="Chưa đều"),
        ),
    ]:
        report = services.report_open(by=user, rnd=rnd, unit=unit)
        services.report_save(by=user, report=report, entries=entries(form, **values), submit=True)
    indicators = services.form_indicators(form)
    rolled = services.rollup(indicators, services.round_q(rnd))
    got = {ind.code: rolled[ind.pk] for ind in indicators}
    assert got["HD"].value == 8 and got["NTG"].value == 140 and got["HV"].value == 100
    assert got["TL"].value == Decimal("85.25") and got["CLB"].value == 1
    assert got["HC"].texts == [("Xã Đông Khê", "Thiếu kinh phí"), ("Phường Tân Giang", "Chưa đều")]
    only_a = services.rollup(indicators, services.round_q(rnd, cast.commune_a))
    assert only_a[codes(form)["HD"].pk].value == 3
    # A draft does not count.
    draft = services.rollup(indicators, services.round_q(rnd, cast.commune_b))
    assert draft[codes(form)["HD"].pk].value == 5


def test_a_commune_sees_its_branches_reports_summed_beside_hers(cast):
    form = make_form(cast.province_admin, cast.province)
    rnd = open_round(cast, form)
    mine = services.report_open(by=cast.a_staff, rnd=rnd, unit=cast.commune_a)
    # The commune asks its branch with the province's form for the same period.
    sub = open_round(cast, form, unit=cast.commune_a, level=UnitKind.BRANCH, by=cast.a_admin)
    branch_head = make_user(cast.branch_a, Role.STAFF, username="a1.staff")
    branch = services.report_open(by=branch_head, rnd=sub, unit=cast.branch_a)
    services.report_save(
        by=branch_head, report=branch, entries=entries(form, HD=2, NTG=30), submit=True
    )
    rolled = services.rollup(services.form_indicators(form), services.below_q(mine))
    assert rolled[codes(form)["HD"].pk].value == 2
    assert rolled[codes(form)["NTG"].pk].value == 30
    assert (
        services.rollup(services.form_indicators(form), services.below_q(branch))[
            codes(form)["HD"].pk
        ].value
        is None
    )


def test_numbers_are_shown_the_vietnamese_way():
    assert format_number(Decimal("1234567")) == "1.234.567"
    assert format_number(Decimal("12.50")) == "12,5"
    assert format_number(Decimal("1234.25")) == "1.234,25"
    assert format_number(None) == ""


def test_the_cached_rollup_follows_every_submission_and_return(cast):
    form = make_form(cast.province_admin, cast.province)
    rnd = open_round(cast, form)
    indicators = services.form_indicators(form)
    hd = codes(form)["HD"].pk
    q = services.round_q(rnd)
    assert services.cached_rollup(rnd, indicators, q)[hd].value is None
    report = services.report_open(by=cast.a_staff, rnd=rnd, unit=cast.commune_a)
    report = services.report_save(
        by=cast.a_staff, report=report, entries=entries(form, HD=3), submit=True
    )
    assert services.cached_rollup(rnd, indicators, q)[hd].value == 3
    report = services.report_return(by=cast.province_admin, report=report, reason="Sai")
    assert services.cached_rollup(rnd, indicators, q)[hd].value is None
    services.report_save(by=cast.a_staff, report=report, entries=entries(form, HD=7), submit=True)
    cached = services.cached_rollup(rnd, indicators, q)
    assert cached[hd].value == 7 == services.rollup(indicators, q)[hd].value


def test_the_central_union_asks_every_province(cast):
    central_admin = make_user(cast.central, Role.ADMIN, username="tw.admin")
    form = make_form(central_admin, cast.central, code="TW6T")
    rnd = open_round(cast, form, unit=cast.central, level=UnitKind.PROVINCE, by=central_admin)
    units = set(Assignment.objects.filter(task=rnd.task).values_list("recipient__unit", flat=True))
    assert units == {cast.province.pk, cast.other_province.pk}
    report = services.report_open(by=cast.province_admin, rnd=rnd, unit=cast.province)
    assert report.values.count() == 6
