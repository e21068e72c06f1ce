from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guongsang.audit import services as audit
from guongsang.awards import access as award_access
from guongsang.awards import queries as award_queries
from guongsang.awards import services as award_services
from guongsang.awards.forms import AwardForm
from guongsang.core.downloads import stored_file, xlsx_download
from guongsang.core.forms import apply_errors
from guongsang.core.links import choice_labels, url_maker
from guongsang.core.pagination import paginate
from guongsang.jobs.exports import export_later
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.choosers import unit_filter
from guongsang.units.models import Unit

from . import access as ex
from . import queries, search, services
from .forms import (
    STATE_CHOICES,
    CriteriaSetForm,
    CriterionForm,
    GroupForm,
    MovementForm,
    NominationCreateForm,
    NominationRoundForm,
    NurtureForm,
    PastExemplarForm,
    ReplicationForm,
    ReviewForm,
    RoundForm,
    SubjectForm,
    SubjectKindForm,
    UploadForm,
    year_choices,
)
from .models import (
    Category,
    CriterionAnswer,
    NominationState,
    Replication,
    ReviewAction,
    SubjectKind,
)
from .services import AnswerInput


def _units(user, perm):
    return access.units_for(user, perm).current().order_by("path")


def _filter_context(request, filters):
    return {
        "f": filters,
        "years": year_choices(),
        "movements": ex.movements_for(request.user),
        "categories": Category.choices,
        "kinds": SubjectKind.choices,
        "states": STATE_CHOICES,
        "unit_filter": unit_filter(request, kinds=queries.FILTER_KINDS),
        "query_string": request.GET.urlencode(),
    }


# ---- dashboard --------------------------------------------------------------------------------
@login_required
def dashboard(request):
    if not access.scope_paths(request.user):
        raise Http404
    today = timezone.localdate()
    queue = list(ex.queue_for(request.user).order_by("review_round__deadline", "submitted_at")[:10])
    mine = ex.nominations_for(request.user, Perm.EDIT).filter(
        state__in=[NominationState.DRAFT, NominationState.RETURNED]
    )
    counts = dict(
        ex.nominations_for(request.user).values_list("state").annotate(n=Count("*")).order_by()
    )
    return render(
        request,
        "exemplars/dashboard.html",
        {
            "queue": queue,
            "queue_count": ex.queue_for(request.user).count(),
            "mine": list(mine.order_by("-updated_at")[:10]),
            "counts": {state: counts.get(state.value, 0) for state in NominationState},
            "exemplar_count": ex.exemplars_for(request.user).count(),
            "can_review": bool(access.scope_paths(request.user, Perm.REVIEW)),
            "today": today,
        },
    )


# ---- catalogue --------------------------------------------------------------------------------
@login_required
def movement_list(request):
    units = _units(request.user, Perm.EDIT).exclude(kind__in=["branch", "group"])
    form = MovementForm(request.POST or None, units=units)
    if request.method == "POST":
        if not units.exists():
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.movement_create(by=request.user, **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã thêm vào danh mục."))
                return redirect("exemplars:movement_list")
    return render(
        request,
        "exemplars/movement_list.html",
        {"movements": ex.movements_for(request.user), "form": form, "can_add": units.exists()},
    )


@login_required
def round_list(request):
    units = _units(request.user, Perm.MANAGE).exclude(kind__in=["branch", "group"])
    form = RoundForm(request.POST or None, units=units, movements=ex.movements_for(request.user))
    if request.method == "POST":
        if not units.exists():
            raise Http404
        if form.is_valid():
            try:
                services.round_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã tạo đợt xét."))
                return redirect("exemplars:round_list")
    rounds = ex.rounds_for(request.user).annotate(n=Count("nominations"))
    return render(
        request,
        "exemplars/round_list.html",
        {"rounds": rounds, "form": form, "can_add": units.exists(), "today": timezone.localdate()},
    )


@login_required
def criteria_set_list(request):
    units = _units(request.user, Perm.EDIT).exclude(kind__in=["branch", "group"])
    form = CriteriaSetForm(
        request.POST or None, units=units, movements=ex.movements_for(request.user)
    )
    if request.method == "POST":
        if not units.exists():
            raise Http404
        if form.is_valid():
            try:
                criteria_set = services.criteria_set_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("exemplars:criteria_set_detail", pk=criteria_set.pk)
    sets = ex.criteria_sets_for(request.user).annotate(n_nominations=Count("nominations"))
    return render(
        request,
        "exemplars/criteria_set_list.html",
        {"sets": sets, "form": form, "can_add": units.exists()},
    )


@login_required
def criteria_set_detail(request, pk):
    criteria_set = ex.get_criteria_set(request.user, pk)
    groups = list(criteria_set.groups.prefetch_related("criteria"))
    can_edit = access.can(request.user, Perm.EDIT, criteria_set.issuing_unit)
    in_use = criteria_set.in_use
    group_form = GroupForm(prefix="g")
    criterion_form = CriterionForm(prefix="c", groups=groups)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        try:
            if "g-title" in request.POST:
                group_form = GroupForm(request.POST, prefix="g")
                if group_form.is_valid():
                    services.group_add(
                        by=request.user, criteria_set=criteria_set, **group_form.cleaned_data
                    )
                    return redirect("exemplars:criteria_set_detail", pk=pk)
            elif "c-text" in request.POST:
                criterion_form = CriterionForm(request.POST, prefix="c", groups=groups)
                if criterion_form.is_valid():
                    data = criterion_form.cleaned_data
                    group = next(g for g in groups if g.pk == data.pop("group"))
                    services.criterion_add(by=request.user, group=group, **data)
                    return redirect("exemplars:criteria_set_detail", pk=pk)
            elif "delete_criterion" in request.POST:
                criterion = next(
                    (
                        c
                        for g in groups
                        for c in g.criteria.all()
                        if str(c.pk) == request.POST["delete_criterion"]
                    ),
                    None,
                )
                if criterion is None:
                    raise Http404
                services.criterion_delete(by=request.user, criterion=criterion)
                return redirect("exemplars:criteria_set_detail", pk=pk)
            elif "new_version" in request.POST:
                copy = services.criteria_set_new_version(by=request.user, criteria_set=criteria_set)
                messages.success(request, _("Đã tạo phiên bản mới để chỉnh sửa."))
                return redirect("exemplars:criteria_set_detail", pk=copy.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "exemplars/criteria_set_detail.html",
        {
            "set": criteria_set,
            "groups": groups,
            "can_edit": can_edit and not in_use,
            "can_version": can_edit,
            "in_use": in_use,
            "group_form": group_form,
            "criterion_form": criterion_form,
        },
    )


# ---- subjects ---------------------------------------------------------------------------------
def _page(qs, request, filters, order):
    """A name search lists at most ``search.SEARCH_CAP`` matches, read in two bounded steps;
    a list without search is paginated in its index order."""
    if filters.q:
        return search.search_page(qs, request, order=order)
    return paginate(qs, request, per_page=50)


@login_required
def subject_list(request):
    filters = queries.ListFilters.from_request(request)
    qs = queries.filter_subjects(ex.subjects_for(request.user), filters)
    if request.GET.get("xuat") == "xlsx":
        if (later := export_later(request, qs, unit=filters.unit)) is not None:
            return later  # a large scope: built by the background worker
        rows = audit.Counted(qs.iterator(chunk_size=2000))
        data = queries.subjects_xlsx(rows)
        audit.record_export(request, what="exemplars.subject", rows=rows.count, unit=filters.unit)
        return xlsx_download(data, "doi-tuong.xlsx")
    page = _page(qs.only(*queries.SUBJECT_ROW_FIELDS), request, filters, queries.SUBJECT_ORDER)
    return render(
        request,
        "exemplars/subject_list.html",
        {
            "page": page,
            **_filter_context(request, filters),
            "can_add": bool(access.scope_paths(request.user, Perm.EDIT)),
        },
    )


def _subject_kwargs(data: dict) -> dict:
    data = dict(data)
    data.pop("kind", None), data.pop("unit")
    data.pop("not_duplicate", None)
    return data


# In the order of the subject list's buttons: people first, most often nominated.
_SUBJECT_KINDS = [
    (k.value, k.label)
    for k in (SubjectKind.INDIVIDUAL, SubjectKind.HOUSEHOLD, SubjectKind.COLLECTIVE)
]


@login_required
def subject_create(request):
    """First the kind (``?loai=``, a step of its own when missing), then that kind's form."""
    units = _units(request.user, Perm.EDIT)
    if not units.exists():
        raise Http404
    # The kind rides in the query string (and in the posted form, which names it too).
    kind_form = SubjectKindForm({"loai": request.GET.get("loai") or request.POST.get("kind")})
    if not kind_form.is_valid():
        return render(
            request,
            "exemplars/subject_kind.html",
            {"kinds": _SUBJECT_KINDS, "invalid": bool(kind_form["loai"].value())},
        )
    kind = kind_form.cleaned_data["loai"]
    form = SubjectForm(request.POST or None, units=units, kind=kind)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject = services.subject_create(
                by=request.user,
                unit=data["unit"],
                kind=kind,
                not_duplicate=data["not_duplicate"],
                **_subject_kwargs(data),
            )
        except services.DuplicateSubject as exc:
            duplicates = exc.matches
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu đối tượng %(name)s.") % {"name": subject.name})
            return redirect("exemplars:subject_detail", pk=subject.pk)
    return render(
        request,
        "exemplars/subject_form.html",
        {"form": form, "duplicates": duplicates, "kind": kind, "kinds": _SUBJECT_KINDS},
    )


@login_required
def subject_edit(request, pk):
    subject = ex.get_subject(request.user, pk, Perm.EDIT)
    units = _units(request.user, Perm.EDIT)
    initial = {name: getattr(subject, name) for name in services.SUBJECT_FIELDS}
    initial.update(unit=subject.unit_id, linked_unit=subject.linked_unit_id)
    form = SubjectForm(request.POST or None, units=units, kind=subject.kind, initial=initial)
    form.fields["unit"].disabled = True
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            services.subject_update(
                by=request.user,
                subject=subject,
                not_duplicate=form.cleaned_data["not_duplicate"],
                **_subject_kwargs(form.cleaned_data),
            )
        except services.DuplicateSubject as exc:
            duplicates = exc.matches
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("exemplars:subject_detail", pk=pk)
    return render(
        request,
        "exemplars/subject_form.html",
        {"form": form, "subject": subject, "duplicates": duplicates, "kind": subject.kind},
    )


@login_required
def subject_detail(request, pk):
    subject = ex.get_subject(request.user, pk)
    can_edit = access.can(request.user, Perm.EDIT, subject.unit)
    can_record = award_access.can_record(request.user, subject)
    is_past = "ex-year" in request.POST
    award_form = AwardForm(
        None if is_past else (request.POST or None), prefix="aw", subject_kind=subject.kind
    )
    chain = [subject.unit.path[:i] for i in range(6, len(subject.unit.path) + 1, 6)]
    past_form = PastExemplarForm(
        request.POST if is_past else None,
        prefix="ex",
        movements=ex.movements_for(request.user),
        units=Unit.objects.filter(path__in=chain).exclude(kind__in=["central"]).order_by("-path"),
    )
    if request.method == "POST":
        if is_past:
            if not can_edit:
                raise Http404
            if past_form.is_valid():
                try:
                    services.exemplar_record(
                        by=request.user, subject=subject, **past_form.cleaned_data
                    )
                except ValidationError as exc:
                    apply_errors(past_form, exc)
                else:
                    messages.success(request, _("Đã ghi vào sổ điển hình."))
                    return redirect("exemplars:subject_detail", pk=pk)
        else:
            if not can_record:
                raise Http404
            if award_form.is_valid():
                try:
                    award = award_services.award_add(
                        by=request.user, subject=subject, **award_form.cleaned_data
                    )
                except ValidationError as exc:
                    apply_errors(award_form, exc)
                else:
                    messages.success(request, _("Đã ghi vào quá trình khen thưởng."))
                    for warning in award.warnings:
                        messages.warning(request, warning)
                    return redirect("exemplars:subject_detail", pk=pk)
    nominations = subject.nominations.select_related(
        "movement", "current_unit", "review_round"
    ).order_by("-year", "-pk")
    exemplars = subject.exemplars.select_related("movement", "recognising_unit").prefetch_related(
        "nurture_notes",
        Prefetch(
            "replications",
            queryset=Replication.objects.select_related("adopting_unit"),
        ),
    )
    return render(
        request,
        "exemplars/subject_detail.html",
        {
            "subject": subject,
            "can_edit": can_edit,
            "can_record": can_record,
            "award_form": award_form,
            "past_form": past_form,
            "awards": award_queries.history(subject),
            "nominations": nominations,
            "exemplars": exemplars,
        },
    )


# ---- nominations ------------------------------------------------------------------------------
@login_required
def nomination_list(request):
    filters = queries.ListFilters.from_request(request)
    qs = queries.filter_nominations(ex.nominations_for(request.user), filters)
    if request.GET.get("xuat") == "xlsx":
        if (later := export_later(request, qs, unit=filters.unit)) is not None:
            return later  # a large scope: built by the background worker
        rows = audit.Counted(qs.iterator(chunk_size=2000))
        data = queries.nominations_xlsx(rows)
        audit.record_export(
            request, what="exemplars.nomination", rows=rows.count, unit=filters.unit
        )
        return xlsx_download(data, "ho-so-de-cu.xlsx")
    page = _page(_nomination_rows(qs), request, filters, queries.NOMINATION_ORDER)
    today = timezone.localdate()
    url = url_maker("exemplars:nomination_detail")
    kinds, categories = choice_labels(SubjectKind.choices), choice_labels(Category.choices)
    states = choice_labels(NominationState.choices)
    for n in page.object_list:
        n.is_overdue = services.overdue(n, today)
        n.url = url(n.pk)
        n.kind_label = kinds.get(n.subject.kind, n.subject.kind)
        n.category_label = categories.get(n.category, n.category)
        n.state_label = states.get(n.state, n.state)
    return render(
        request,
        "exemplars/nomination_list.html",
        {"page": page, **_filter_context(request, filters)},
    )


def _nomination_rows(qs):
    """What a row of the nomination list shows: four joins and a few columns rather than the
    six tables and every column of ``nominations_for`` (planning the wide join and reading the
    unused columns were most of the page's database time)."""
    return (
        qs.select_related(None)
        .select_related("subject", "proposing_unit", "current_unit", "review_round")
        .only(
            "state",
            "category",
            "year",
            "subject__name",
            "subject__kind",
            "proposing_unit__name",
            "current_unit__name",
            "review_round__deadline",
        )
    )


@login_required
def nomination_create(request):
    """First the round (``?dot_xet=``, skipped when one round is open to the subject), then the
    category, movement and a criteria set fitting the subject's kind and the round's movement."""
    subject = ex.get_subject(
        request.user, request.GET.get("doi_tuong") or request.POST.get("doi_tuong"), Perm.EDIT
    )
    open_rounds = ex.rounds_for(request.user).filter(deadline__gte=timezone.localdate())
    # Rounds run by the subject's unit or a unit above it: a handful.
    ancestors = subject.unit.ancestor_paths() + [subject.unit.path]
    rounds = open_rounds.filter(unit__path__in=ancestors).select_related("unit", "movement")
    round_form = NominationRoundForm(request.GET, rounds=rounds)
    if round_form.is_valid():
        review_round = round_form.cleaned_data["dot_xet"]
    else:
        only = list(rounds[:2])
        if len(only) != 1 or "dot_xet" in request.GET:
            return render(
                request,
                "exemplars/nomination_round.html",
                {"round_form": round_form, "subject": subject, "no_round": not only},
            )
        review_round = only[0]
    form = NominationCreateForm(
        request.POST or None,
        review_round=review_round,
        kind=subject.kind,
        movements=ex.movements_for(request.user),
        criteria_sets=ex.criteria_sets_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.nomination_create(
                by=request.user,
                subject=subject,
                category=data["category"],
                movement=data["movement"],
                criteria_set=data["criteria_set"],
                review_round=review_round,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Đã tạo hồ sơ đề cử (đang soạn). Hãy điền tiêu chí và minh chứng.")
            )
            return redirect("exemplars:nomination_edit", pk=nomination.pk)
    return render(
        request,
        "exemplars/nomination_create.html",
        {"form": form, "subject": subject, "review_round": review_round},
    )


def _answer_rows(nomination):
    criteria = services.criteria_for(nomination.criteria_set, nomination.subject.kind)
    answers = {a.criterion_id: a for a in CriterionAnswer.objects.filter(nomination=nomination)}
    files = {}
    for attachment in nomination.attachments.all():
        files.setdefault(attachment.criterion_id, []).append(attachment)
    rows = []
    group = None
    for criterion in criteria:
        rows.append(
            {
                "criterion": criterion,
                "new_group": criterion.group if criterion.group != group else None,
                "answer": answers.get(criterion.pk),
                "files": files.get(criterion.pk, []),
            }
        )
        group = criterion.group
    return rows, files.get(None, [])


@login_required
def nomination_detail(request, pk):
    nomination = ex.get_nomination(request.user, pk)
    rows, general_files = _answer_rows(nomination)
    can_edit = nomination.editable and access.can(
        request.user, Perm.EDIT, nomination.proposing_unit
    )
    can_review = nomination.state == NominationState.SUBMITTED and ex.can_review_at(
        request.user, nomination.current_unit
    )
    at_round_unit = nomination.current_unit_id == nomination.review_round.unit_id
    return render(
        request,
        "exemplars/nomination_detail.html",
        {
            "n": nomination,
            "rows": rows,
            "general_files": general_files,
            "steps": nomination.steps.select_related("actor", "from_unit", "to_unit"),
            "can_edit": can_edit,
            "can_review": can_review,
            "at_round_unit": at_round_unit,
            "today": timezone.localdate(),
            "review_form": ReviewForm(initial={"version": nomination.version}),
            "problems": services.submission_problems(nomination) if can_edit else [],
            "overdue": services.overdue(nomination),
            "actions": ReviewAction,
        },
    )


@login_required
def nomination_edit(request, pk):
    nomination = ex.get_nomination(request.user, pk, Perm.EDIT)
    if not nomination.editable:
        messages.error(request, _("Hồ sơ đã gửi đi; chỉ sửa được khi đang soạn hoặc bị trả lại."))
        return redirect("exemplars:nomination_detail", pk=pk)
    rows, general_files = _answer_rows(nomination)
    error_list = []
    if request.method == "POST":
        answers = {}
        for row in rows:
            c = row["criterion"]
            met = request.POST.get(f"met_{c.pk}", "")
            points_raw = request.POST.get(f"points_{c.pk}", "").strip().replace(",", ".")
            points = None
            if points_raw:
                try:
                    points = Decimal(points_raw)
                except InvalidOperation:
                    error_list.append(
                        _("Điểm không hợp lệ ở tiêu chí “%(c)s”.") % {"c": c.text[:60]}
                    )
            answers[c.pk] = AnswerInput(
                met={"1": True, "0": False}.get(met),
                evidence_text=request.POST.get(f"evidence_{c.pk}", ""),
                points=points,
            )
        report = request.POST.get("achievement_report", "")
        category = request.POST.get("category") or None
        if not error_list:
            try:
                services.nomination_save(
                    by=request.user,
                    nomination=nomination,
                    answers=answers,
                    achievement_report=report,
                    category=category,
                )
            except ValidationError as exc:
                error_list = exc.messages
            else:
                # The files ride on the same form: what was typed is saved first, then the
                # upload or the deletion, so neither reloads the page over unsaved text.
                files_done = _edit_files(request, nomination, rows)
                if files_done is False:
                    return redirect(f"{reverse('exemplars:nomination_edit', args=[pk])}#tep")
                if files_done and "submit" not in request.POST:
                    messages.success(request, _("Đã lưu bản nháp."))
                    return redirect(f"{reverse('exemplars:nomination_edit', args=[pk])}#tep")
                if "submit" in request.POST:
                    try:
                        services.nomination_submit(by=request.user, nomination=nomination)
                    except ValidationError as exc:
                        messages.error(request, _("Đã lưu nhưng chưa gửi được:"))
                        for problem in exc.messages:
                            messages.warning(request, problem)
                        return redirect("exemplars:nomination_edit", pk=pk)
                    messages.success(request, _("Đã gửi hồ sơ lên cấp trên xét duyệt."))
                    return redirect("exemplars:nomination_detail", pk=pk)
                messages.success(request, _("Đã lưu bản nháp."))
                return redirect("exemplars:nomination_edit", pk=pk)
        # Keep what the user typed.
        for row in rows:
            c = row["criterion"]
            row["posted"] = {
                "met": request.POST.get(f"met_{c.pk}", ""),
                "evidence": request.POST.get(f"evidence_{c.pk}", ""),
                "points": request.POST.get(f"points_{c.pk}", ""),
            }
    return render(
        request,
        "exemplars/nomination_edit.html",
        {
            "n": nomination,
            "rows": rows,
            "general_files": general_files,
            "errors": error_list,
            "report": request.POST.get("achievement_report", nomination.achievement_report),
            "categories": Category.choices,
            "upload_form": UploadForm(criteria=[r["criterion"] for r in rows]),
            "problems": services.submission_problems(nomination),
        },
    )


def _edit_files(request, nomination, rows) -> bool | None:
    """The upload or the deletion posted with the edit form, after its text was saved: None
    when there was none, True when done, False when refused (the messages say why)."""
    delete_id = request.POST.get("xoa_tep", "")
    if delete_id:
        attachment = nomination.attachments.filter(pk=_int(delete_id) or 0).first()
        if attachment is None:
            messages.error(request, _("Không tìm thấy tệp cần xóa."))
            return False
        try:
            services.attachment_delete(by=request.user, attachment=attachment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return False
        messages.success(request, _("Đã xóa tệp %(name)s.") % {"name": attachment.original_name})
        return True
    if not request.FILES and "upload" not in request.POST:
        return None
    criteria = [r["criterion"] for r in rows]
    form = UploadForm(request.POST, request.FILES, criteria=criteria)
    if not form.is_valid():
        messages.error(request, _("Đã lưu phần đã nhập. Chọn một tệp để tải lên."))
        return False
    criterion = next((c for c in criteria if c.pk == form.cleaned_data["criterion"]), None)
    try:
        services.attachment_add(
            by=request.user,
            nomination=nomination,
            upload=form.cleaned_data["file"],
            criterion=criterion,
        )
    except ValidationError as exc:
        messages.error(request, _("Đã lưu phần đã nhập, nhưng chưa tải được tệp:"))
        for problem in exc.messages:
            messages.error(request, problem)
        return False
    messages.success(request, _("Đã tải tệp lên."))
    return True


@login_required
@require_POST
def nomination_submit(request, pk):
    nomination = ex.get_nomination(request.user, pk, Perm.EDIT)
    try:
        services.nomination_submit(
            by=request.user,
            nomination=nomination,
            expected_version=_int(request.POST.get("version")),
        )
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
    else:
        messages.success(request, _("Đã gửi hồ sơ lên cấp trên xét duyệt."))
    return redirect("exemplars:nomination_detail", pk=pk)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def nomination_review(request, pk):
    nomination = ex.get_nomination(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        # A field the reviewer typed (a date, the decision number) says what is wrong with it.
        typed = [
            f"{form[name].label}: {' '.join(errors)}"
            for name, errors in form.errors.items()
            if name in ("comment", "decision_ref", "decision_date")
        ]
        for problem in typed or [_("Thao tác không hợp lệ.")]:
            messages.error(request, problem)
        return redirect("exemplars:nomination_detail", pk=pk)
    try:
        services.nomination_review(
            by=request.user,
            nomination=nomination,
            action=form.cleaned_data["action"],
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
            decision_ref=form.cleaned_data["decision_ref"],
            decision_date=form.cleaned_data["decision_date"],
        )
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _("Đã ghi nhận: %(action)s.")
            % {"action": ReviewAction(form.cleaned_data["action"]).label},
        )
    return redirect("exemplars:nomination_detail", pk=pk)


@login_required
@require_POST
def attachment_upload(request, pk):
    nomination = ex.get_nomination(request.user, pk, Perm.EDIT)
    rows, _files = _answer_rows(nomination)
    form = UploadForm(request.POST, request.FILES, criteria=[r["criterion"] for r in rows])
    if form.is_valid():
        criterion = next(
            (r["criterion"] for r in rows if r["criterion"].pk == form.cleaned_data["criterion"]),
            None,
        )
        try:
            services.attachment_add(
                by=request.user,
                nomination=nomination,
                upload=form.cleaned_data["file"],
                criterion=criterion,
            )
        except ValidationError as exc:
            for problem in exc.messages:
                messages.error(request, problem)
        else:
            messages.success(request, _("Đã tải tệp lên."))
    else:
        messages.error(request, _("Chọn một tệp để tải lên."))
    return redirect("exemplars:nomination_edit", pk=pk)


@login_required
def attachment_download(request, pk):
    attachment = ex.get_attachment(request.user, pk)
    return stored_file(attachment.file, inline=attachment.kind in ("jpg", "png", "pdf"))


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = ex.get_attachment(request.user, pk)
    try:
        services.attachment_delete(by=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("exemplars:nomination_edit", pk=attachment.nomination_id)


@login_required
def queue(request):
    below = request.GET.get("cap_duoi") == "1"
    items = list(
        ex.queue_for(request.user, below=below).order_by("review_round__deadline", "submitted_at")
    )
    today = timezone.localdate()
    for n in items:
        n.is_overdue = services.overdue(n, today)
    return render(request, "exemplars/queue.html", {"items": items, "below": below})


# ---- registry ---------------------------------------------------------------------------------
@login_required
def exemplar_list(request):
    filters = queries.ListFilters.from_request(request)
    qs = queries.filter_exemplars(ex.exemplars_for(request.user), filters)
    if request.GET.get("xuat") == "xlsx":
        if (later := export_later(request, qs, unit=filters.unit)) is not None:
            return later  # a large scope: built by the background worker
        rows = audit.Counted(qs.iterator(chunk_size=2000))
        data = queries.exemplars_xlsx(rows)
        audit.record_export(request, what="exemplars.exemplar", rows=rows.count, unit=filters.unit)
        return xlsx_download(data, "dien-hinh.xlsx")
    rows = (
        qs.select_related(None)
        .select_related("subject__unit", "recognising_unit")
        .only(
            "category",
            "year",
            "decision_ref",
            "subject__name",
            "subject__kind",
            "subject__unit__name",
            "recognising_unit__name",
        )
    )
    page = _page(rows, request, filters, queries.EXEMPLAR_ORDER)
    url = url_maker("exemplars:exemplar_detail")
    kinds, categories = choice_labels(SubjectKind.choices), choice_labels(Category.choices)
    for e in page.object_list:
        e.url = url(e.pk)
        e.kind_label = kinds.get(e.subject.kind, e.subject.kind)
        e.category_label = categories.get(e.category, e.category)
    return render(
        request, "exemplars/exemplar_list.html", {"page": page, **_filter_context(request, filters)}
    )


@login_required
def exemplar_detail(request, pk):
    exemplar = ex.get_exemplar(request.user, pk)
    can_edit = access.can(request.user, Perm.EDIT, exemplar.subject.unit)
    units = _units(request.user, Perm.EDIT).filter(kind__in=["commune", "branch", "group"])
    nurture_form = NurtureForm(prefix="nt", initial={"date": timezone.localdate()})
    replication_form = ReplicationForm(
        prefix="rp", units=units, initial={"date": timezone.localdate()}
    )
    if request.method == "POST":
        try:
            if "nt-text" in request.POST:
                if not can_edit:
                    raise Http404
                nurture_form = NurtureForm(request.POST, prefix="nt")
                if nurture_form.is_valid():
                    services.nurture_note_add(
                        by=request.user, exemplar=exemplar, **nurture_form.cleaned_data
                    )
                    messages.success(request, _("Đã ghi nội dung bồi dưỡng."))
                    return redirect("exemplars:exemplar_detail", pk=pk)
            else:
                replication_form = ReplicationForm(request.POST, prefix="rp", units=units)
                if replication_form.is_valid():
                    services.replication_add(
                        by=request.user, exemplar=exemplar, **replication_form.cleaned_data
                    )
                    messages.success(request, _("Đã ghi nhận nhân rộng."))
                    return redirect("exemplars:exemplar_detail", pk=pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "exemplars/exemplar_detail.html",
        {
            "e": exemplar,
            "can_edit": can_edit,
            "can_replicate": units.exists(),
            "nurture_form": nurture_form,
            "replication_form": replication_form,
            "notes": exemplar.nurture_notes.select_related("by"),
            "replications": exemplar.replications.select_related("adopting_unit", "by"),
        },
    )
