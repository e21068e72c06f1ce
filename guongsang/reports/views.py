"""Pages of report forms (biểu mẫu), reporting rounds (đợt báo cáo) and the units' reports.

Every object comes through ``reports.access`` (built on ``units.access``); every write through
``reports.services``. The round page stays a fixed number of queries whatever the number of
respondents: its counts are one GROUP BY, its table a page of rows in tree order.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Substr, TruncDate
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from guongsang.core.forms import apply_errors, valid_values
from guongsang.core.pagination import paginate
from guongsang.plans import access as plan_access
from guongsang.plans.models import Recipient
from guongsang.units import access as unit_access
from guongsang.units.models import PATH_END, SEGMENT_WIDTH, Unit, UnitKind

from . import access, services
from .forms import (
    FormChoiceForm,
    IndicatorForm,
    ReportEntryForm,
    ReportFormForm,
    ReturnForm,
    RoundFilterForm,
    RoundForm,
    SectionForm,
    note_field,
    value_field,
)
from .models import (
    Aggregation,
    ChangeAction,
    ReportChange,
    ReportForm,
    ReportState,
    Round,
    RoundState,
    UnitReport,
    ValueType,
    format_number,
)

FORMS_PER_PAGE = 30
ROUNDS_PER_PAGE = 30
ROWS_PER_PAGE = 50
HISTORY_LIMIT = 200


@login_required
@require_GET
def index(request):
    return redirect("reports:rounds")


# ---- forms ------------------------------------------------------------------------------------
@login_required
@require_GET
def form_list(request):
    in_use = Round.objects.filter(form=OuterRef("pk"))
    # Served by report_form_version_unique (issuing_unit, code, version).
    qs = (
        access.forms_for(request.user)
        .annotate(used=Exists(in_use))
        .order_by("issuing_unit_id", "code", "version")
    )
    page = paginate(qs, request, per_page=FORMS_PER_PAGE)
    return render(
        request,
        "reports/form_list.html",
        {"page": page, "can_create": _form_units(request.user).exists()},
    )


def _form_units(user):
    return plan_access.issuing_units(user)


@login_required
def form_create(request):
    units = _form_units(request.user)
    form = ReportFormForm(request.POST or None, units=units, initial={"unit": units.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.form_create(
                by=request.user,
                unit=data["unit"],
                code=data["code"],
                name=data["name"],
                period_kind=data["period_kind"],
                description=data["description"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo biểu mẫu. Hãy thêm các phần và chỉ tiêu."))
            return redirect("reports:form", pk=created.pk)
    return render(request, "reports/form_create.html", {"form": form})


def _figure_keys() -> list:
    from . import figures

    return sorted(figures.figure_registry().values(), key=lambda f: f.key)


def _form_page(request, report_form: ReportForm, *, section_form=None, indicator_form=None):
    indicators = services.form_indicators(report_form)
    sections = list(report_form.sections.all())
    by_section: dict[int, list] = {s.pk: [] for s in sections}
    for ind in indicators:
        by_section[ind.section_id].append(ind)
    for s in sections:
        s.items = by_section[s.pk]
    rounds_using = report_form.rounds.count()
    editor = access.can_edit_form(request.user, report_form)
    editable = editor and not rounds_using
    numbers = [ind for ind in indicators if ind.is_number]
    context = {
        "rf": report_form,
        "sections": sections,
        "indicator_count": len(indicators),
        "rounds_using": rounds_using,
        "editor": editor,
        "editable": editable,
        "versions": list(
            ReportForm.objects.filter(
                issuing_unit_id=report_form.issuing_unit_id, code=report_form.code
            )
            .exclude(pk=report_form.pk)
            .order_by("version")
            .only("pk", "version", "name")
        ),
    }
    if editable:
        context["section_form"] = section_form or SectionForm()
        context["indicator_form"] = indicator_form or IndicatorForm(
            sections=sections,
            number_indicators=numbers,
            initial={"section": sections[-1].pk if sections else None},
        )
        context["figure_keys"] = _figure_keys()
    return render(request, "reports/form_detail.html", context)


@login_required
@require_GET
def form_detail(request, pk):
    return _form_page(request, access.get_form(request.user, pk))


def _editable_form(request, pk) -> ReportForm:
    report_form = access.get_form(request.user, pk)
    if not access.can_edit_form(request.user, report_form):
        raise Http404
    return report_form


def _refused(request, report_form: ReportForm, exc: ValidationError):
    for msg in exc.messages:
        messages.error(request, msg)
    return redirect("reports:form", pk=report_form.pk)


@login_required
@require_POST
def section_add(request, pk):
    report_form = _editable_form(request, pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.section_add(
                by=request.user,
                form=report_form,
                title=form.cleaned_data["title"],
                number=form.cleaned_data["number"],
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # the form itself refuses (frozen): say so
                return _refused(request, report_form, exc)
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm phần."))
            return redirect("reports:form", pk=report_form.pk)
    return _form_page(request, report_form, section_form=form)


@login_required
@require_POST
def section_delete(request, pk, section_pk):
    report_form = _editable_form(request, pk)
    section = access.get_section(request.user, report_form, section_pk)
    try:
        services.section_delete(by=request.user, section=section)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Đã xóa phần và các chỉ tiêu của phần."))
    return redirect("reports:form", pk=report_form.pk)


@login_required
@require_POST
def indicator_add(request, pk):
    report_form = _editable_form(request, pk)
    sections = list(report_form.sections.all())
    numbers = [ind for ind in services.form_indicators(report_form) if ind.is_number]
    form = IndicatorForm(request.POST, sections=sections, number_indicators=numbers)
    if form.is_valid():
        data = form.cleaned_data
        section = next(s for s in sections if s.pk == data["section"])
        try:
            services.indicator_add(
                by=request.user,
                section=section,
                spec=services.IndicatorSpec(
                    code=data["code"],
                    label=data["label"],
                    value_type=data["value_type"],
                    aggregation=data["aggregation"],
                    measure=data["measure"],
                    required=data["required"],
                    non_negative=data["non_negative"],
                    at_most=data["at_most"],
                    source=data["source"],
                    help=data["help"],
                ),
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, report_form, exc)
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu."))
            return redirect("reports:form", pk=report_form.pk)
    return _form_page(request, report_form, indicator_form=form)


@login_required
@require_POST
def indicator_delete(request, pk, indicator_pk):
    report_form = _editable_form(request, pk)
    indicator = access.get_indicator(request.user, report_form, indicator_pk)
    try:
        services.indicator_delete(by=request.user, indicator=indicator)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Đã xóa chỉ tiêu."))
    return redirect("reports:form", pk=report_form.pk)


@login_required
@require_POST
def form_new_version(request, pk):
    report_form = _editable_form(request, pk)
    try:
        copy = services.form_new_version(by=request.user, form=report_form)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
        return redirect("reports:form", pk=report_form.pk)
    messages.success(
        request,
        _("Đã tạo phiên bản %(v)s. Phiên bản này sửa được cho tới khi được dùng.")
        % {"v": copy.version},
    )
    return redirect("reports:form", pk=copy.pk)


# ---- rounds -----------------------------------------------------------------------------------
@login_required
@require_GET
def round_list(request):
    # Newest first on the primary key; each round's state needs its document (joined).
    page = paginate(
        access.rounds_for(request.user).order_by("-pk"), request, per_page=ROUNDS_PER_PAGE
    )
    for rnd in page:
        rnd.state_now = _listed_state(rnd)
    return render(
        request,
        "reports/round_list.html",
        {"page": page, "can_create": _round_units(request.user).exists()},
    )


def _listed_state(rnd: Round) -> str:
    """``services.round_state`` from the document joined by ``rounds_for`` (no query per row)."""
    if rnd.state == RoundState.CLOSED:
        return RoundState.CLOSED
    issued = rnd.task is not None and rnd.task.document.is_issued
    return RoundState.OPEN if issued else RoundState.DRAFT


def _round_units(user):
    return _form_units(user).filter(kind__in=list(services.LEVELS_BELOW))


@login_required
def round_create(request):
    units = _round_units(request.user)
    if not units.exists():
        raise Http404
    report_forms = access.forms_for(request.user).order_by("issuing_unit_id", "code", "version")
    first = units.first()
    initial = {"unit": first, "level": services.LEVELS_BELOW[first.kind][0]}
    chosen = valid_values(FormChoiceForm(request.GET)).get("bieu_mau")
    if chosen:
        initial["form"] = chosen
    form = RoundForm(
        request.POST or None,
        units=units,
        report_forms=report_forms,
        documents=access.draft_documents(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rnd = services.round_create(
                by=request.user,
                form=data["form"],
                unit=data["unit"],
                title=data["title"],
                level=data["level"],
                period_kind=data["period_kind"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                deadline=data["deadline"],
                document=data["document"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Đã tạo đợt báo cáo “%(title)s” trong văn bản dự thảo. Ban hành văn bản để "
                    "gửi yêu cầu tới các đơn vị."
                )
                % {"title": rnd.title},
            )
            return redirect("plans:detail", pk=rnd.task.document_id)
    return render(request, "reports/round_create.html", {"form": form})


# The state of a respondent in a round, as SQL (see ``_respondents``).
ON_TIME, LATE, RETURNED, MISSING = "on_time", "late", "returned", "missing"
RESPONDENT_STATES = [
    (ON_TIME, gettext_lazy("Nộp đúng hạn")),
    (LATE, gettext_lazy("Nộp muộn")),
    (RETURNED, gettext_lazy("Bị trả lại")),
    (MISSING, gettext_lazy("Chưa nộp")),
]
# The level a unit's children are at, today; a round asking a deeper level is summed per child.
DIRECT_LEVEL = {
    UnitKind.CENTRAL: UnitKind.PROVINCE,
    UnitKind.PROVINCE: UnitKind.COMMUNE,
    UnitKind.DISTRICT: UnitKind.COMMUNE,
    UnitKind.COMMUNE: UnitKind.BRANCH,
}


def _respondents(rnd: Round, scope: Q):
    """The round's recipient units (``Recipient`` rows of its document holding the round's
    task), each with ``status``, ``done_at`` and ``report_state``: read in tree order on
    recipient_board_idx (document, unit_path, id), one row per unit."""
    report_state = UnitReport.objects.filter(round=rnd, unit_id=OuterRef("unit_id")).values(
        "state"
    )[:1]
    done_day = TruncDate("done_at", tzinfo=timezone.get_current_timezone())
    status = Case(
        When(done_at__isnull=False, done_day__lte=rnd.deadline, then=Value(ON_TIME)),
        When(done_at__isnull=False, then=Value(LATE)),
        When(report_state=ReportState.RETURNED, then=Value(RETURNED)),
        default=Value(MISSING),
        output_field=CharField(),
    )
    return (
        Recipient.objects.filter(document_id=rnd.task.document_id, assignments__task_id=rnd.task_id)
        .filter(scope)
        .annotate(
            done_at=F("assignments__done_at"),
            assignment_id=F("assignments__pk"),
            report_state=Subquery(report_state),
        )
        .annotate(done_day=done_day)
        .annotate(status=status)
    )


def _round_scope(request, rnd: Round, within: Unit | None) -> Q:
    """Which respondents the user sees (a filter on ``unit_path``): all of them for the
    requesting side, her own subtree for a respondent; inside ``within`` when asked."""
    q = Q()
    if not access.sees_whole_round(request.user, rnd):
        q &= unit_access.scope_q(request.user, unit_access.Perm.VIEW, "unit_")
    if within is not None:
        q &= Q(unit_path__gte=within.path, unit_path__lt=within.path + PATH_END)
    return q


@login_required
@require_GET
def round_detail(request, pk):
    rnd = access.get_round(request.user, pk)
    state = services.round_state(rnd)
    filters = RoundFilterForm(request.GET, states=RESPONDENT_STATES)
    wanted = valid_values(filters)
    within = None
    if wanted.get("trong"):
        try:
            within = unit_access.get_unit(request.user, wanted["trong"])
        except Http404:
            within = None  # a filter naming a unit she cannot see is ignored
        if within is not None and not within.path.startswith(rnd.unit.path):
            within = None
    scope = _round_scope(request, rnd, within)
    indicators = services.form_indicators(rnd.form)
    context = {
        "rnd": rnd,
        "state": state,
        "state_label": RoundState(state).label,
        "filters": filters,
        "within": within,
        "whole": access.sees_whole_round(request.user, rnd),
        "manage": access.can_manage_round(request.user, rnd),
        "mine": access.my_assignments(request.user, rnd),
        "level_label": dict(UnitKind.choices).get(rnd.level, rnd.level),
        "states": RESPONDENT_STATES,
        "today": timezone.localdate(),
    }
    if rnd.task_id is not None and state != RoundState.DRAFT:
        context.update(_completeness(request, rnd, scope, wanted.get("trang_thai", ""), within))
    # The respondents' filter is on ``unit_path``, which UnitReport holds too.
    context["rollup_sections"] = _rollup_sections(rnd, indicators, services.round_q(rnd) & scope)
    return render(request, "reports/round_detail.html", context)


def _completeness(request, rnd: Round, scope: Q, status: str, within: Unit | None) -> dict:
    respondents = _respondents(rnd, scope)
    depth = len(rnd.unit.path) + SEGMENT_WIDTH
    grouped = (
        respondents.annotate(bucket=Substr("unit_path", 1, depth))
        .values("bucket", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    totals = {key: 0 for key, _label in RESPONDENT_STATES}
    buckets: dict[str, dict[str, int]] = {}
    for row in grouped:
        totals[row["status"]] += row["n"]
        counts = buckets.setdefault(row["bucket"], {key: 0 for key, _label in RESPONDENT_STATES})
        counts[row["status"]] += row["n"]
    bucket_rows = []
    # Inside one intermediate unit the table is its respondents themselves.
    by_level = within is None and rnd.level != DIRECT_LEVEL.get(rnd.unit.kind)
    if by_level and buckets:
        names = {
            u.path: u
            for u in Unit.objects.filter(path__in=list(buckets)).only(
                "pk", "name", "kind", "path", "valid_to"
            )
        }
        for path in sorted(buckets):
            counts = buckets[path]
            bucket_rows.append(
                {
                    "unit": names.get(path),
                    "counts": [counts[key] for key, _label in RESPONDENT_STATES],
                    "total": sum(counts.values()),
                }
            )
    rows_qs = respondents
    if status:
        rows_qs = rows_qs.filter(status=status)
    page = paginate(
        rows_qs.select_related("unit").order_by("unit_path", "pk"),
        request,
        per_page=ROWS_PER_PAGE,
        count_qs=rows_qs,
    )
    reports = {
        r.unit_id: r
        for r in UnitReport.objects.filter(
            round=rnd, unit_id__in=[row.unit_id for row in page]
        ).only("pk", "unit_id", "state", "submitted_at", "version")
    }
    labels = dict(RESPONDENT_STATES)
    today = timezone.localdate()
    for row in page:
        row.report = reports.get(row.unit_id)
        row.status_label = labels[row.status]
        row.overdue = row.status in (MISSING, RETURNED) and today > rnd.deadline
    return {
        "totals": [(key, label, totals[key]) for key, label in RESPONDENT_STATES],
        "total": sum(totals.values()),
        "bucket_rows": bucket_rows,
        "page": page,
        "status": status,
        "completeness": True,
    }


# The round page shows the first texts of each text indicator; the rest are a paginated page.
TEXTS_SHOWN = 5


def _rollup_sections(rnd: Round, indicators, reports_q: Q) -> list:
    rolled = services.cached_rollup(rnd, indicators, reports_q, text_limit=TEXTS_SHOWN)
    sections: list = []
    for ind in indicators:
        if not sections or sections[-1]["section"].pk != ind.section_id:
            sections.append({"section": ind.section, "items": []})
        sections[-1]["items"].append({"ind": ind, "rolled": rolled[ind.pk]})
    return sections


@login_required
@require_GET
def round_texts(request, pk, indicator_pk):
    """Every text the units gave for one text indicator of a round (the narratives: tồn tại,
    kiến nghị, ...), in the units' order, a page at a time; inside ``trong`` when asked."""
    rnd = access.get_round(request.user, pk)
    indicator = next(
        (
            i
            for i in services.form_indicators(rnd.form)
            if i.pk == indicator_pk and i.aggregation == Aggregation.TEXTS
        ),
        None,
    )
    if indicator is None:
        raise Http404
    filters = RoundFilterForm(request.GET, states=RESPONDENT_STATES)
    wanted = valid_values(filters)
    within = None
    if wanted.get("trong"):
        try:
            within = unit_access.get_unit(request.user, wanted["trong"])
        except Http404:
            within = None
        if within is not None and not within.path.startswith(rnd.unit.path):
            within = None
    q = services.round_q(rnd) & _round_scope(request, rnd, within)
    texts = services.rolled_texts(indicator, q)
    page = paginate(
        texts.select_related("report__unit").only(
            "pk", "text", "report__unit__name", "report__unit__path", "report__unit_path"
        ),
        request,
        per_page=ROWS_PER_PAGE,
        count_qs=texts,
    )
    context = {"rnd": rnd, "indicator": indicator, "page": page, "within": within}
    return render(request, "reports/round_texts.html", context)


@login_required
@require_POST
def round_close(request, pk):
    rnd = access.get_round(request.user, pk)
    if not access.can_manage_round(request.user, rnd):
        raise Http404
    try:
        services.round_close(by=request.user, rnd=rnd)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Đã khóa sổ đợt báo cáo."))
    return redirect("reports:round", pk=rnd.pk)


@login_required
@require_GET
def for_assignment(request, assignment_pk):
    """The unit's report for a plan task of a reporting round: opened (created and pre-filled
    on first use) and shown."""
    assignment = access.get_assignment(request.user, assignment_pk)
    try:
        rnd = assignment.task.report_round
    except Round.DoesNotExist:
        raise Http404 from None
    try:
        report = services.report_open(by=request.user, rnd=rnd, unit=assignment.recipient.unit)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
        return redirect("plans:detail", pk=assignment.task.document_id)
    return redirect("reports:report", pk=report.pk)


# ---- a unit's report --------------------------------------------------------------------------
def _report_page(request, report, *, entry_form=None, return_form=None, status=200):
    rnd = report.round
    indicators = services.form_indicators(rnd.form)
    values = {v.indicator_id: v for v in report.values.all()}
    fill = (
        access.may_fill(request.user, report)
        and report.state != ReportState.SUBMITTED
        and rnd.state != RoundState.CLOSED
    )
    if fill and entry_form is None:
        entry_form = ReportEntryForm(indicators=indicators, values=values, version=report.version)
    below = services.rollup(indicators, services.below_q(report), with_texts=False)
    sections: list = []
    for ind in indicators:
        if not sections or sections[-1]["section"].pk != ind.section_id:
            sections.append({"section": ind.section, "items": []})
        value = values.get(ind.pk)
        item = {
            "ind": ind,
            "value": value,
            "below": below[ind.pk] if ind.aggregation != Aggregation.TEXTS else None,
            "system": value.system_number if value is not None else None,
        }
        item["system_display"] = format_number(item["system"])
        if entry_form is not None:
            field = entry_form[value_field(ind)]
            note = entry_form[note_field(ind)]
            item["field"] = field
            item["note"] = note
            item["note_open"] = bool(
                (note.value() or "").strip()
                or field.errors
                or (item["system"] is not None and _differs(field.value(), item["system"]))
            )
        sections[-1]["items"].append(item)
    may_return = access.may_return(request.user, report) and report.state == ReportState.SUBMITTED
    if may_return and return_form is None:
        return_form = ReturnForm(initial={"version": report.version})
    changes = list(
        ReportChange.objects.filter(report=report)
        .select_related("by", "indicator")
        .order_by("-at", "-pk")[:HISTORY_LIMIT]
    )
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "rnd": rnd,
            "sections": sections,
            "fill": fill,
            "entry_form": entry_form,
            "may_return": may_return,
            "return_form": return_form,
            "changes": changes,
            "history_limit": HISTORY_LIMIT,
            "edit_action": ChangeAction.EDIT,
            "boolean": ValueType.BOOLEAN,
            "text": ValueType.TEXT,
        },
        status=status,
    )


def _differs(shown, system) -> bool:
    from .forms import parse_number

    if shown in (None, ""):
        return True
    try:
        return parse_number(str(shown)) != system
    except ValidationError:
        return True


@login_required
def report_detail(request, pk):
    report = access.get_report(request.user, pk)
    if request.method != "POST":
        return _report_page(request, report)
    rnd = report.round
    if not access.may_fill(request.user, report):
        messages.error(request, _("Bạn không thể sửa báo cáo của đơn vị này."))
        return redirect("reports:report", pk=report.pk)
    indicators = services.form_indicators(rnd.form)
    values = {v.indicator_id: v for v in report.values.all()}
    form = ReportEntryForm(
        request.POST, indicators=indicators, values=values, version=report.version
    )
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            services.report_save(
                by=request.user,
                report=report,
                entries=form.entries(),
                expected_version=form.cleaned_data["version"],
                submit=submit,
            )
        except ValidationError as exc:
            if report.is_locked or rnd.state == RoundState.CLOSED:
                # Nothing to correct on the page (it shows no form): say why and show it.
                for msg in exc.messages:
                    messages.error(request, msg)
                return redirect("reports:report", pk=report.pk)
            _apply_report_errors(form, indicators, exc)
        else:
            if submit:
                messages.success(request, _("Đã nộp báo cáo."))
            else:
                messages.success(request, _("Đã lưu nháp."))
            return redirect("reports:report", pk=report.pk)
    else:
        _add_rule_problems(form, indicators, values, submit)
    messages.error(request, _("Báo cáo chưa được lưu: hãy sửa các chỗ được đánh dấu."))
    return _report_page(request, report, entry_form=form)


def _apply_report_errors(form, indicators, exc: ValidationError) -> None:
    by_code = {ind.code: ind for ind in indicators}
    if hasattr(exc, "error_dict"):
        for code, msgs in exc.message_dict.items():
            ind = by_code.get(code)
            form.add_error(value_field(ind) if ind else None, msgs)
    else:
        form.add_error(None, exc.messages)


def _add_rule_problems(form, indicators, values, submit: bool) -> None:
    """When some inputs did not parse, still show the form's rules on those that did, so each
    indicator carries every message at once."""
    from .services import Entry

    parsed = {}
    cleaned = getattr(form, "cleaned_data", {})
    for ind in indicators:
        name = value_field(ind)
        if name in form.errors or name not in cleaned:
            continue
        raw = cleaned[name]
        entry = Entry(note=cleaned.get(note_field(ind)) or "")
        if ind.is_number:
            entry.number = raw
        elif ind.value_type == ValueType.BOOLEAN:
            entry.flag = None if raw in (None, "") else raw == "1"
        else:
            entry.text = raw or ""
        parsed[ind.pk] = entry
    problems = services.check_entries(
        [ind for ind in indicators if ind.pk in parsed], parsed, values, submitting=submit
    )
    for ind in indicators:
        for msg in problems.errors.get(ind.pk, []):
            form.add_error(value_field(ind), msg)


@login_required
@require_POST
def report_return(request, pk):
    report = access.get_report(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        if not access.may_return(request.user, report):
            messages.error(request, _("Chỉ đơn vị yêu cầu báo cáo mới trả lại được."))
            return redirect("reports:report", pk=report.pk)
        return _report_page(request, report, return_form=form)
    try:
        services.report_return(
            by=request.user,
            report=report,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and access.may_return(request.user, report):
            apply_errors(form, exc)
            return _report_page(request, report, return_form=form)
        for msg in exc.messages:
            messages.error(request, msg)
        return redirect("reports:report", pk=report.pk)
    messages.success(request, _("Đã trả lại báo cáo để đơn vị sửa."))
    return redirect("reports:report", pk=report.pk)
