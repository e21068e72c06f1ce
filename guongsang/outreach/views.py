"""Back office of outreach: the activity log, consent, and stories before they go public."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guongsang.core.downloads import stored_file, xlsx_download
from guongsang.core.forms import apply_errors, filter_errors, is_htmx, valid_values
from guongsang.core.pagination import paginate
from guongsang.core.spreadsheets import import_upload
from guongsang.core.text import search_tokens
from guongsang.exemplars import access as ex_access
from guongsang.exemplars.queries import xlsx
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.choosers import unit_filter

from . import access as oa
from . import imports, services
from .forms import (
    ActivityEntryForm,
    ActivityFilterForm,
    ActivityFormForm,
    ActivityFormPick,
    ConsentForm,
    ImportForm,
    StoryForm,
    StoryImageForm,
    StoryListForm,
)
from .models import ActivityForm, StoryState


def _entry_form(request, data=None, files=None, initial=None):
    return ActivityEntryForm(
        data,
        files,
        units=access.units_for(request.user, Perm.EDIT).current().order_by("path"),
        movements=ex_access.movements_for(request.user),
        exemplars=ex_access.exemplars_for(request.user),
        initial=initial,
    )


# The list counts at most this many rows ("hơn 1.000 mục" above it; the next pages still
# open), and totals by form are computed on the page only when the rows are fewer (a commune's
# log, a period): then the aggregate costs a few milliseconds. Above it (a province, the
# country) they are loaded on request, never on every page view.
TOTALS_AUTO_MAX = 1000
FILTER_KINDS = ["province", "commune", "branch", "group"]


def _activity_rows(request, form: ActivityFilterForm):
    """The activities the filters select, unordered, in two shapes of the same rows (see
    ``outreach.access.activities_for``): one to read newest first, one to count and sum; and
    the unit chosen (or None). A filter of ``form`` that does not parse is ignored."""
    unit = unit_filter(request, kinds=FILTER_KINDS).unit
    filters = Q()
    values = valid_values(form)
    if "hinh_thuc" in values:
        filters &= Q(form_id=values["hinh_thuc"])
    if "phong_trao" in values:
        filters &= Q(movement_id=values["phong_trao"])
    if "tu" in values:
        filters &= Q(date__gte=values["tu"])
    if "den" in values:
        filters &= Q(date__lte=values["den"])
    for token in search_tokens(values.get("q")):
        filters &= Q(title_folded__contains=token)
    counted = oa.activities_for(request.user, within=unit).filter(filters)
    if not oa.is_wide(request.user, unit):
        return counted, counted, unit
    rows = oa.activities_for(request.user, within=unit, walk_dates=True).filter(filters)
    return rows, counted, unit


def _totals(qs):
    totals = list(
        qs.order_by()
        .values("form__name")
        .annotate(n=Count("*"), people=Sum("participants"), of_members=Sum("members"))
        .order_by("form__name")
    )
    grand = {
        "n": sum(t["n"] for t in totals),
        "people": sum(t["people"] or 0 for t in totals),
        "of_members": sum(t["of_members"] or 0 for t in totals),
    }
    return totals, grand


@login_required
def activity_list(request):
    if not access.scope_paths(request.user):
        raise Http404
    form = ActivityFilterForm(request.GET)
    qs, counted, unit = _activity_rows(request, form)
    get = request.GET
    if get.get("xuat") == "xlsx":
        rows = [
            [
                i,
                a.date,
                a.unit.name,
                a.form.name,
                a.title,
                a.participants,
                a.members,
                a.movement.name if a.movement else "",
                a.link,
            ]
            for i, a in enumerate(qs.order_by("-date", "-pk"), start=1)
        ]
        headers = [
            _("STT"),
            _("Ngày"),
            _("Đơn vị"),
            _("Hình thức"),
            _("Nội dung"),
            _("Số người tham dự"),
            _("Trong đó hội viên"),
            _("Phong trào"),
            _("Đường dẫn"),
        ]
        return xlsx_download(
            xlsx(headers, rows, _("Hoạt động tuyên truyền")), "hoat-dong-tuyen-truyen.xlsx"
        )
    asked = get.get("tong_hop") == "1"
    if asked and is_htmx(request):
        totals, grand = _totals(counted)
        return render(request, "outreach/fragment_totals.html", {"totals": totals, "grand": grand})
    # Newest first, ordered by the database: activity_date_idx (date, id) walked backwards for
    # wide scopes, activity_report_idx (unit, date, ...) per unit for narrow ones.
    page = paginate(
        qs.order_by("-date", "-pk"),
        request,
        per_page=30,
        count_cap=TOTALS_AUTO_MAX,
        count_qs=counted.select_related(None),
    )
    totals = grand = None
    if asked or not page.count_capped:
        totals, grand = _totals(counted)
    query = get.copy()
    for key in ("page", "tong_hop", "xuat"):
        query.pop(key, None)
    return render(
        request,
        "outreach/activity_list.html",
        {
            "page": page,
            "totals": totals,
            "grand": grand,
            "forms": ActivityForm.objects.all(),
            "movements": ex_access.movements_for(request.user),
            "unit_filter": unit_filter(request, kinds=FILTER_KINDS),
            "unit": unit,
            "query_string": query.urlencode(),
            "filter_errors": filter_errors(form, ("tu", "den", "q")),
            "can_add": bool(access.scope_paths(request.user, Perm.EDIT)),
        },
    )


@login_required
def activity_create(request):
    if not access.scope_paths(request.user, Perm.EDIT):
        raise Http404
    initial = {"unit": request.user.unit_id} if request.user.unit_id else None
    form = _entry_form(request, request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo")
        try:
            activity = services.activity_create(
                by=request.user, uploads=[photo] if photo else [], **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi hoạt động “%(t)s”.") % {"t": activity.title})
            if "again" in request.POST:
                return redirect("outreach:activity_create")
            return redirect("outreach:activity_detail", pk=activity.pk)
    return render(request, "outreach/activity_form.html", {"form": form})


@login_required
def activity_detail(request, pk):
    activity = oa.get_activity(request.user, pk)
    can_edit = access.can(request.user, Perm.EDIT, activity.unit)
    form = None
    if can_edit:
        initial = {
            "date": activity.date,
            "unit": activity.unit_id,
            "form": activity.form_id,
            "title": activity.title,
            "participants": activity.participants,
            "members": activity.members,
            "movement": activity.movement_id,
            "exemplars": list(activity.exemplars.values_list("pk", flat=True)),
            "link": activity.link,
            "notes": activity.notes,
        }
        form = _entry_form(request, request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST":
            if "delete" in request.POST:
                services.activity_delete(by=request.user, activity=activity)
                messages.success(request, _("Đã xóa hoạt động."))
                return redirect("outreach:activity_list")
            if form.is_valid():
                data = dict(form.cleaned_data)
                photo = data.pop("photo")
                data.pop("unit")
                try:
                    services.activity_update(by=request.user, activity=activity, **data)
                    if photo:
                        services.activity_file_add(by=request.user, activity=activity, upload=photo)
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("Đã lưu."))
                    return redirect("outreach:activity_detail", pk=pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "outreach/activity_detail.html",
        {
            "a": activity,
            "can_edit": can_edit,
            "form": form,
            "files": activity.files.all(),
            "exemplars": activity.exemplars.select_related("subject"),
        },
    )


@login_required
def activity_file(request, pk):
    row = oa.get_activity_file(request.user, pk)
    return stored_file(row.file, inline=row.is_image)


@login_required
@require_POST
def activity_file_delete(request, pk):
    row = oa.get_activity_file(request.user, pk)
    try:
        services.activity_file_delete(by=request.user, row=row)
    except ValidationError:
        raise Http404 from None
    messages.success(request, _("Đã xóa tệp."))
    return redirect("outreach:activity_detail", pk=row.activity_id)


@login_required
def activity_import(request):
    units = access.units_for(request.user, Perm.EDIT)
    if not units.exists():
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        created, errors = import_upload(
            form.cleaned_data["file"],
            lambda data: imports.import_activities(data=data, by=request.user),
        )
        if created is not None:
            messages.success(request, _("Đã nhập %(n)s hoạt động.") % {"n": len(created)})
            return redirect("outreach:activity_list")
    return render(request, "outreach/activity_import.html", {"form": form, "errors": errors})


@login_required
def activity_template(request):
    if not access.scope_paths(request.user, Perm.EDIT):
        raise Http404
    unit = (
        access.get_unit(request.user, request.user.unit_id)
        if request.user.unit_id and access.can(request.user, Perm.VIEW, request.user.unit)
        else None
    )
    return xlsx_download(imports.template_workbook(unit), "mau-nhap-hoat-dong.xlsx")


@login_required
def form_list(request):
    can_edit = services.can_edit_forms(request.user)
    form = ActivityFormForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        pick = ActivityFormPick(request.POST)
        if not pick.is_valid():
            raise Http404  # an id no page of ours sends
        target = None
        if pick.cleaned_data["pk"]:
            target = ActivityForm.objects.filter(pk=pick.cleaned_data["pk"]).first()
            if target is None:
                raise Http404
        if form.is_valid():
            try:
                services.activity_form_save(by=request.user, form=target, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu danh mục hình thức."))
                return redirect("outreach:form_list")
    return render(
        request,
        "outreach/form_list.html",
        {
            # Count only the activities she may see: other units' numbers are theirs.
            "forms": ActivityForm.objects.annotate(
                n=Count(
                    "activity", filter=access.scope_q(request.user, Perm.VIEW, "activity__unit__")
                )
            ),
            "form": form,
            "can_edit": can_edit,
        },
    )


# ---- consent ----------------------------------------------------------------------------------
@login_required
def consent_page(request, subject_pk):
    subject = ex_access.get_subject(request.user, subject_pk)
    can_edit = access.can(request.user, Perm.EDIT, subject.unit)
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        initial={"given_on": timezone.localdate(), "given_by": subject.name},
    )
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                services.consent_record(by=request.user, subject=subject, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận sự đồng ý."))
                return redirect("outreach:consent_page", subject_pk=subject.pk)
    return render(
        request,
        "outreach/consent.html",
        {
            "subject": subject,
            "consents": subject.consents.select_related("recorded_by"),
            "form": form,
            "can_edit": can_edit,
        },
    )


@login_required
@require_POST
def consent_withdraw(request, pk):
    consent = oa.get_consent(request.user, pk, Perm.EDIT)
    try:
        n = services.consent_withdraw(
            by=request.user, consent=consent, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Đã rút lại sự đồng ý; %(n)s bài viết được gỡ khỏi chuyên mục.") % {"n": n}
        )
    return redirect("outreach:consent_page", subject_pk=consent.subject_id)


@login_required
def consent_scan(request, pk):
    consent = oa.get_consent(request.user, pk)
    if not consent.scan:
        raise Http404
    return stored_file(consent.scan)


# ---- stories ----------------------------------------------------------------------------------
@login_required
def story_list(request):
    if not access.scope_paths(request.user):
        raise Http404
    state = valid_values(StoryListForm(request.GET)).get("trang_thai", "")
    stories = oa.stories_for(request.user)
    if state:
        stories = stories.filter(state=state)
    page = Paginator(stories.order_by("-updated_at"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/story_list.html",
        {"page": page, "state": state, "states": StoryState.choices},
    )


@login_required
def story_create(request):
    exemplar = ex_access.get_exemplar(
        request.user, request.GET.get("dien_hinh") or request.POST.get("dien_hinh")
    )
    if not access.can(request.user, Perm.EDIT, exemplar.subject.unit):
        raise Http404
    form = StoryForm(request.POST or None, initial={"title": exemplar.subject.name})
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(by=request.user, exemplar=exemplar, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu bản nháp bài viết."))
            return redirect("outreach:story_edit", pk=story.pk)
    return render(
        request, "outreach/story_form.html", {"form": form, "exemplar": exemplar, "story": None}
    )


@login_required
def story_edit(request, pk):
    story = oa.get_story(request.user, pk)
    can_edit = access.can(request.user, Perm.EDIT, story.exemplar.subject.unit)
    can_publish = access.can(request.user, Perm.MANAGE, story.exemplar.subject.unit)
    form = StoryForm(
        request.POST or None,
        initial={"title": story.title, "summary": story.summary, "body": story.body},
    )
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                services.story_update(by=request.user, story=story, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect("outreach:story_edit", pk=pk)
    return render(
        request,
        "outreach/story_form.html",
        {
            "form": form,
            "story": story,
            "exemplar": story.exemplar,
            "can_edit": can_edit,
            "can_publish": can_publish,
            "image_form": StoryImageForm(),
            "images": story.images.all(),
            "consent": services.has_consent(story.exemplar.subject),
        },
    )


@login_required
@require_POST
def story_action(request, pk):
    story = oa.get_story(request.user, pk)
    action = request.POST.get("action")
    handlers = {
        "submit": services.story_submit,
        "publish": services.story_publish,
        "unpublish": services.story_unpublish,
    }
    if action not in handlers:
        raise Http404
    try:
        story = handlers[action](by=request.user, story=story)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Bài viết: %(s)s.") % {"s": story.get_state_display()})
    return redirect("outreach:story_edit", pk=pk)


@login_required
@require_POST
def story_image_upload(request, pk):
    story = oa.get_story(request.user, pk, Perm.EDIT)
    form = StoryImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.story_image_add(
                by=request.user,
                story=story,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã tải ảnh lên."))
    else:
        messages.error(request, _("Chọn một ảnh để tải lên."))
    return redirect("outreach:story_edit", pk=pk)
