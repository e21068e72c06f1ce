"""Back office of outreach: the activity log, consent, and stories before they go public."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guongsang.core.downloads import stored_file, xlsx_download
from guongsang.core.forms import apply_errors, filter_errors, is_htmx, valid_values
from guongsang.core.offline import parse_key, submit_once
from guongsang.core.pagination import paginate
from guongsang.core.spreadsheets import import_limits, import_upload, inline_import_rows
from guongsang.core.text import search_tokens
from guongsang.exemplars import access as ex_access
from guongsang.exemplars.queries import xlsx
from guongsang.jobs.exports import export_later
from guongsang.jobs.models import Job
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.choosers import unit_filter

from . import access as oa
from . import bodies, imports, services
from .forms import (
    ActivityEntryForm,
    ActivityFilterForm,
    ActivityFormForm,
    ActivityFormPick,
    ConsentForm,
    ImportForm,
    SavedForm,
    StoryForm,
    StoryImageForm,
    StoryListForm,
    StoryPick,
)
from .models import ActivityForm, StoryFormat, StoryImage, StoryState


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
        if (later := export_later(request, counted, unit=unit)) is not None:
            return later  # a large scope: built by the background worker
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


# The unit and the form of her last entry, offered again on this device (a branch head logs
# her branch's meetings one after another).
LAST_ENTRY = "outreach_last_entry"


@login_required
def activity_create(request):
    """Quick entry. Saving comes back to a fresh form ("log another" is the main action), with
    the saved activity named and linked above it; "save and view" opens the activity."""
    if not access.scope_paths(request.user, Perm.EDIT):
        raise Http404
    last = request.session.get(LAST_ENTRY) or {}
    initial = {"unit": last.get("unit") or request.user.unit_id, "form": last.get("form")}
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
            request.session[LAST_ENTRY] = {"unit": activity.unit_id, "form": activity.form_id}
            if "xem" in request.POST:
                messages.success(request, _("Đã ghi hoạt động “%(t)s”.") % {"t": activity.title})
                return redirect("outreach:activity_detail", pk=activity.pk)
            # The fresh form names what was saved (the confirmation), with its link.
            return redirect(reverse("outreach:activity_create") + f"?da_ghi={activity.pk}")
    saved = None
    shown = SavedForm(request.GET)
    if request.method == "GET" and shown.is_valid() and shown.cleaned_data["da_ghi"]:
        saved = (
            oa.activities_for(request.user)
            .filter(pk=shown.cleaned_data["da_ghi"])
            .select_related("unit", "form")
            .first()
        )
    return render(request, "outreach/activity_form.html", {"form": form, "saved": saved})


@login_required
@require_POST
def activity_send(request):
    """An entry queued on a phone without signal, sent when the connection returned (the
    ``X-Idempotency-Key`` header names it): JSON, 201 when recorded, 200 when that key was
    recorded before (nothing created again), 200 with ``ok: false`` and the form's messages
    when refused (an answer, not a failure of the request), 400 without a key."""
    if not access.scope_paths(request.user, Perm.EDIT):
        raise Http404
    key = parse_key(request.headers.get("X-Idempotency-Key"))
    if key is None:
        return JsonResponse({"ok": False, "errors": {"key": [_("Thiếu mã gửi.")]}}, status=400)
    form = _entry_form(request, request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"ok": False, "errors": form.errors})
    data = dict(form.cleaned_data)
    photo = data.pop("photo")
    try:
        pk, created = submit_once(
            user=request.user,
            key=key,
            target="outreach.activity",
            create=lambda: services.activity_create(
                by=request.user, uploads=[photo] if photo else [], **data
            ),
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return JsonResponse({"ok": False, "errors": errors})
    return JsonResponse(
        {"ok": True, "id": pk, "url": reverse("outreach:activity_detail", args=[pk])},
        status=201 if created else 200,
    )


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
        upload = form.cleaned_data["file"]

        def later(data: bytes):
            # More rows than a page imports inline: the worker imports them; she watches.
            from guongsang.jobs.services import start

            from .tasks import import_activities_job

            return start(
                kind="import_activities",
                user=request.user,
                task=import_activities_job,
                input_bytes=data,
                input_name=upload.name,
                user_id=request.user.pk,
            )

        created, errors = import_upload(
            upload,
            lambda data: imports.import_activities(
                data=data, by=request.user, max_rows=inline_import_rows()
            ),
            larger=later,
        )
        if isinstance(created, Job):
            messages.info(request, _("Tệp nhiều dòng: đang nhập ở chế độ nền."))
            return redirect("jobs:detail", pk=created.pk)
        if created is not None:
            messages.success(request, _("Đã nhập %(n)s hoạt động.") % {"n": len(created)})
            return redirect("outreach:activity_list")
    return render(
        request,
        "outreach/activity_import.html",
        {"form": form, "errors": errors, "limits": import_limits()},
    )


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


def _story_page(request, *, form, exemplar, story=None, image_form=None, preview=None, **extra):
    images = list(story.images.all()) if story is not None else []
    context = {
        "form": form,
        "exemplar": exemplar,
        "story": story,
        "image_form": image_form or StoryImageForm(),
        "images": images,
        "preview": preview,
        **extra,
    }
    if story is not None:
        context["consent"] = services.has_consent(story.exemplar.subject)
        if preview is None:
            context["rendered"] = bodies.render_story(story, images)
    return render(request, "outreach/story_form.html", context)


def _preview(form, story=None) -> bodies.Rendered:
    """The posted text rendered as the public page will render it (not saved)."""
    images = list(story.images.all()) if story is not None else []
    return bodies.render_body(
        body=form.data.get("body", ""),
        body_format=StoryFormat.TEXT,
        images=images,
        title=form.data.get("title", ""),
    )


def _upload(request, story, image_form) -> bool:
    """Add the photo of ``image_form`` to ``story``; False (errors on the form) if refused."""
    if not image_form.is_valid():
        return False
    try:
        services.story_image_add(
            by=request.user,
            story=story,
            upload=image_form.cleaned_data["image"],
            caption=image_form.cleaned_data["caption"],
        )
    except ValidationError as exc:
        apply_errors(image_form, exc)
        return False
    return True


@login_required
def story_create(request):
    exemplar = ex_access.get_exemplar(
        request.user, request.GET.get("dien_hinh") or request.POST.get("dien_hinh")
    )
    if not access.can(request.user, Perm.EDIT, exemplar.subject.unit):
        raise Http404
    form = StoryForm(request.POST or None, initial={"title": exemplar.subject.name})
    image_form = StoryImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "xem_truoc" in request.POST:
        return _story_page(
            request,
            form=form,
            exemplar=exemplar,
            image_form=StoryImageForm(),
            preview=_preview(form),
        )
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(
                by=request.user,
                exemplar=exemplar,
                body_format=StoryFormat.TEXT,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu bản nháp bài viết."))
            # "Save and add the photo" without JavaScript: the draft first, so nothing typed
            # is lost, then the photo.
            if "tai_anh" in request.POST and not _upload(request, story, image_form):
                errors = [e for field_errors in image_form.errors.values() for e in field_errors]
                messages.error(request, " ".join(errors) or _("Chưa tải được ảnh."))
            return redirect("outreach:story_edit", pk=story.pk)
    return _story_page(request, form=form, exemplar=exemplar, image_form=StoryImageForm())


@login_required
def story_edit(request, pk):
    story = oa.get_story(request.user, pk)
    can_edit = access.can(request.user, Perm.EDIT, story.exemplar.subject.unit)
    can_publish = access.can(request.user, Perm.MANAGE, story.exemplar.subject.unit)
    initial = {"title": story.title, "summary": story.summary, "body": bodies.editable_text(story)}
    form = StoryForm(request.POST or None, initial=initial)
    image_form = StoryImageForm(request.POST or None, request.FILES or None)
    page = {"story": story, "can_edit": can_edit, "can_publish": can_publish}
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if "xem_truoc" in request.POST:
            return _story_page(
                request,
                form=form,
                exemplar=story.exemplar,
                image_form=StoryImageForm(),
                preview=_preview(form, story),
                **page,
            )
        uploading = "tai_anh" in request.POST
        if form.is_valid():
            # Unchanged text is not saved, so a published story stays published; an HTML story
            # opened as text is saved as text, unless only a photo is being added.
            changed = any(form.cleaned_data[k] != initial[k] for k in initial) or (
                story.body_format != StoryFormat.TEXT and not uploading
            )
            try:
                if changed:
                    services.story_update(
                        by=request.user,
                        story=story,
                        body_format=StoryFormat.TEXT,
                        **form.cleaned_data,
                    )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if not uploading:
                    messages.success(request, _("Đã lưu."))
                    return redirect("outreach:story_edit", pk=pk)
                if _upload(request, story, image_form):
                    messages.success(request, _("Đã lưu bài và tải ảnh lên."))
                    return redirect("outreach:story_edit", pk=pk)
                if changed:
                    messages.success(request, _("Đã lưu bài; ảnh chưa tải được."))
                return _story_page(
                    request, form=form, exemplar=story.exemplar, image_form=image_form, **page
                )
    return _story_page(
        request, form=form, exemplar=story.exemplar, image_form=StoryImageForm(), **page
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
def story_preview(request):
    """The editor's preview (HTMX): the fragment the public page shows, from the posted text
    and the story's photos."""
    if not access.scope_paths(request.user, Perm.EDIT):
        raise Http404
    pick = StoryPick(request.POST)
    story = None
    if pick.is_valid() and pick.cleaned_data["bai_viet"]:
        story = oa.get_story(request.user, pick.cleaned_data["bai_viet"], Perm.EDIT)
    rendered = _preview(StoryForm(request.POST), story)
    return render(
        request,
        "outreach/fragment_story_preview.html",
        {"rendered": rendered, "images": list(story.images.all()) if story else [], "story": story},
    )


@login_required
@require_POST
def story_image_upload(request, pk):
    """A photo added while writing: with HTMX the photo list is swapped in place and the text
    being typed stays as it is; without it, back to the page."""
    story = oa.get_story(request.user, pk, Perm.EDIT)
    image_form = StoryImageForm(request.POST, request.FILES)
    uploaded = _upload(request, story, image_form)
    if is_htmx(request):
        return render(
            request,
            "outreach/fragment_story_images.html",
            {
                "story": story,
                "images": list(story.images.all()),
                "image_form": StoryImageForm() if uploaded else image_form,
                "uploaded": uploaded,
                "can_edit": True,
            },
        )
    if uploaded:
        messages.success(request, _("Đã tải ảnh lên."))
    else:
        errors = [e for field_errors in image_form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors) or _("Chọn một ảnh để tải lên."))
    return redirect("outreach:story_edit", pk=pk)


def story_image_original(request, pk):
    """The photo as uploaded (re-encoded without metadata), for the back office only: the
    public loads the renditions, and gets a 404 here (not a login page) like anyone else
    outside the story's scope."""
    if not request.user.is_authenticated:
        raise Http404
    image = access.get_or_404(
        StoryImage.objects.filter(story__in=oa.stories_for(request.user).values("pk")), pk
    )
    return stored_file(image.file)
