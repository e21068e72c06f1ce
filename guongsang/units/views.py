from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guongsang.accounts.models import Membership
from guongsang.core.downloads import xlsx_download
from guongsang.core.forms import apply_errors, filter_errors, is_htmx, valid_values
from guongsang.core.pagination import paginate
from guongsang.core.spreadsheets import import_limits, import_upload, inline_import_rows
from guongsang.core.text import person_sort_key, search_tokens
from guongsang.jobs.models import Job

from . import access, choosers, imports, queries, services
from .access import Perm
from .forms import (
    TemplateForm,
    UnitCloseForm,
    UnitCreateForm,
    UnitEditForm,
    UnitImportForm,
    UnitSearchForm,
)
from .models import SEGMENT_WIDTH, Unit, UnitKind


def _with_child_counts(qs):
    return qs.annotate(child_count=Count("children", filter=Q(children__valid_to__isnull=True)))


@login_required
def tree(request):
    show_closed = request.GET.get("lich_su") == "1"
    roots = access.root_units(request.user)
    if not roots:
        raise Http404
    root_ids = [u.pk for u in roots]
    roots = list(_with_child_counts(Unit.objects.filter(pk__in=root_ids)).order_by("path"))
    # The first root is opened one level so the page is useful at once.
    first_children = list(queries.children_of(roots[0], include_closed=show_closed))
    return render(
        request,
        "units/tree.html",
        {"roots": roots, "first_children": first_children, "show_closed": show_closed},
    )


@login_required
@require_GET
def children_fragment(request, pk):
    unit = access.get_unit(request.user, pk)
    show_closed = request.GET.get("lich_su") == "1"
    children = queries.children_of(unit, include_closed=show_closed)
    return render(
        request,
        "units/fragment_children.html",
        {"unit": unit, "children": children, "show_closed": show_closed},
    )


@login_required
def unit_detail(request, pk):
    unit = access.get_unit(request.user, pk)
    show_closed = request.GET.get("lich_su") == "1"
    visible = access.scope_q(request.user, Perm.VIEW)
    ancestors = [a for a in queries.ancestors_of(unit) if access.can(request.user, Perm.VIEW, a)]
    children = list(queries.children_of(unit, include_closed=show_closed))
    predecessors = list(unit.predecessors.filter(visible).order_by("name_folded"))
    staff = sorted(
        unit.users.filter(is_active=True).only("full_name", "username", "position", "unit_id"),
        key=lambda u: person_sort_key(u.full_name),
    )
    roles = list(
        Membership.objects.filter(unit=unit, user__is_active=True)
        .select_related("user")
        .order_by("role")
    )
    successor = (
        unit.successor
        if unit.successor and access.can(request.user, Perm.VIEW, unit.successor)
        else None
    )
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "children": children,
            "predecessors": predecessors,
            "successor": successor,
            "staff": staff,
            "roles": roles,
            "counts": queries.subtree_counts(unit),
            "kinds": UnitKind,
            "can_manage": access.can(request.user, Perm.MANAGE, unit),
            "show_closed": show_closed,
        },
    )


SEARCH_COUNT_CAP = 1000  # "hơn 1.000 đơn vị": a search is narrowed, not paged through


@login_required
def search(request):
    form = UnitSearchForm(request.GET)
    filters = valid_values(form)  # a value that does not parse is ignored, its error shown
    query, kind = filters.get("q", ""), filters.get("loai", "")
    include_closed = filters.get("lich_su", False)
    results = Unit.objects.none()
    # Over the whole union (136k units) a word of one or two letters matches too much for any
    # index (trigrams need three): ask for a longer word, as the unit chooser does; matches come
    # in name order (the name_folded index walked up to the page) instead of level first
    # (every match sorted).
    wide = any(len(path) <= SEGMENT_WIDTH for path in access.scope_paths(request.user))
    tokens = search_tokens(query)
    short = wide and bool(tokens) and max(len(t) for t in tokens) < 3
    if query and not short:
        results = access.units_for(request.user).search(query).select_related("parent")
        if kind:
            results = results.filter(kind=kind)
        if not include_closed:
            results = results.filter(valid_to__isnull=True)
        results = results.order_by(
            *(("name_folded", "pk") if wide else ("depth", "name_folded", "pk"))
        )
    page = paginate(results, request, per_page=25, count_cap=SEARCH_COUNT_CAP)
    template = "units/fragment_search_results.html" if is_htmx(request) else "units/search.html"
    return render(
        request,
        template,
        {
            "q": form["q"].value() or "",  # as typed, even when it did not parse
            "filter_errors": filter_errors(form, ("q",)),
            "page": page,
            "kind": kind,
            "kinds": UnitKind.choices,
            "include_closed": include_closed,
            "short": short,
        },
    )


@login_required
def unit_create(request, pk):
    parent = access.get_unit(request.user, pk, Perm.MANAGE)
    form = UnitCreateForm(request.POST or None, parent=parent)
    if not form.fields["kind"].choices:
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(by=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": unit.name})
            return redirect("units:detail", pk=parent.pk)
    return render(request, "units/unit_form.html", {"form": form, "parent": parent})


@login_required
def unit_edit(request, pk):
    unit = access.get_unit(request.user, pk, Perm.MANAGE)
    form = UnitEditForm(
        request.POST or None,
        initial={"name": unit.name, "valid_from": unit.valid_from, "note": unit.note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("units:detail", pk=unit.pk)
    return render(request, "units/unit_edit.html", {"form": form, "unit": unit})


@login_required
def unit_close(request, pk):
    unit = access.get_unit(request.user, pk, Perm.MANAGE)
    if unit.parent is None or unit.valid_to is not None:
        raise Http404
    successors = (
        access.units_for(request.user, Perm.MANAGE)
        .current()
        .filter(kind__in=services.successor_kinds(unit.kind))
        .exclude(pk__in=Unit.objects.subtree_of(unit).values("pk"))
        .order_by("path")
    )
    form = UnitCloseForm(
        request.POST or None,
        successors=successors,
        kinds=services.successor_kinds(unit.kind),
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_close(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận %(name)s hết hiệu lực.") % {"name": unit.name})
            return redirect("units:detail", pk=unit.pk)
    return render(request, "units/unit_close.html", {"form": form, "unit": unit})


@login_required
def import_template(request):
    if not access.scope_paths(request.user, Perm.MANAGE):
        raise Http404
    form = TemplateForm(request.GET)
    if not form.is_valid():
        raise Http404  # an id no page of ours links to
    parent = None
    if form.cleaned_data["don_vi"]:
        parent = access.get_unit(request.user, form.cleaned_data["don_vi"], Perm.MANAGE)
    return xlsx_download(imports.template_workbook(parent), "mau-nhap-don-vi.xlsx")


@login_required
def unit_import(request, pk):
    unit = access.get_unit(request.user, pk, Perm.MANAGE)
    form = UnitImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]

        def later(data: bytes):
            # More rows than a page imports inline: the worker imports them; she watches.
            from guongsang.jobs.services import start

            from .tasks import import_units_job

            return start(
                kind="import_units",
                user=request.user,
                unit=unit,
                task=import_units_job,
                input_bytes=data,
                input_name=upload.name,
                unit_id=unit.pk,
                user_id=request.user.pk,
            )

        report, errors = import_upload(
            upload,
            lambda data: imports.import_units(
                data=data, by=request.user, within=unit, max_rows=inline_import_rows()
            ),
            larger=later,
        )
        if isinstance(report, Job):
            messages.info(request, _("Tệp nhiều dòng: đang nhập ở chế độ nền."))
            return redirect("jobs:detail", pk=report.pk)
        if report is not None:
            messages.success(request, _("Đã nhập %(n)s đơn vị.") % {"n": len(report.created)})
            return redirect("units:detail", pk=unit.pk)
    return render(
        request,
        "units/unit_import.html",
        {"form": form, "unit": unit, "errors": errors, "limits": import_limits()},
    )


@login_required
@require_GET
def chooser(request, source):
    """Suggestions for a chooser (an HTML fragment): at most 20 rows the user may pick for the
    field, as the access layer limits them; ``source`` names what is chosen (see choosers)."""
    found = choosers.SOURCES.get(source)
    if found is None:
        raise Http404
    context = choosers.chooser_results(request.user, found, request.GET)
    return render(request, "units/fragment_chooser_results.html", context)
