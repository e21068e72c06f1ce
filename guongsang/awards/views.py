"""Pages of the commendation catalogue, the base salary, the Excel import of past awards and the
removal of an award from a subject's history (the history itself shows on the subject's page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guongsang.core.downloads import xlsx_download
from guongsang.core.forms import ID_MAX, apply_errors
from guongsang.core.spreadsheets import import_upload

from . import access, imports, queries, services
from .forms import AwardTypeForm, BaseSalaryForm, ImportForm, RuleForm
from .models import AwardType, BaseSalary, EligibilityRule, RuleKind

CODE_MAX = 40  # AwardType.code


def _entry(code: str) -> AwardType:
    if len(code) > CODE_MAX:
        raise Http404
    return get_object_or_404(queries.catalogue(), code=code)


@login_required
def catalogue(request):
    today = timezone.localdate()
    return render(
        request,
        "awards/catalogue.html",
        {
            "groups": queries.catalogue_groups(queries.catalogue(), today),
            "salary": services.base_salary_on(today),
            "can_edit": access.can_edit_catalogue(request.user),
            "can_import": bool(access.subjects_for(request.user, access.RECORD).exists()),
        },
    )


@login_required
def catalogue_detail(request, code):
    entry = _entry(code)
    today = timezone.localdate()
    salary = services.base_salary_on(today)
    queries.decorate(entry, salary)
    return render(
        request,
        "awards/catalogue_detail.html",
        {
            "entry": entry,
            "salary": salary,
            "rules": [(r, queries.rule_words(r)) for r in entry.rules.all()],
            "can_edit": access.can_edit_catalogue(request.user),
        },
    )


@login_required
def catalogue_edit(request, code):
    if not access.can_edit_catalogue(request.user):
        raise Http404
    entry = _entry(code)
    initial = {
        field: getattr(entry, field)
        for field in AwardTypeForm.base_fields
        if field != "conferring_levels"
    } | {"conferring_levels": list(entry.conferring_levels or [])}
    form = AwardTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_type_update(award_type=entry, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu “%(t)s”.") % {"t": form.cleaned_data["name"]})
            return redirect("awards:catalogue_detail", code=entry.code)
    return render(request, "awards/catalogue_form.html", {"entry": entry, "form": form})


@login_required
def rule_edit(request, code, pk):
    if not access.can_edit_catalogue(request.user):
        raise Http404
    entry = _entry(code)
    if pk > ID_MAX:
        raise Http404
    rule = get_object_or_404(
        EligibilityRule.objects.select_related("other"), pk=pk, award_type=entry
    )
    form = RuleForm(
        request.POST or None,
        initial={
            "severity": rule.severity,
            "years": rule.years,
            "ends_year_before": rule.ends_year_before,
            "share": rule.share,
            "active": rule.active,
        },
    )
    if rule.kind != RuleKind.STREAK:
        del form.fields["ends_year_before"]
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if rule.kind != RuleKind.SHARE_CAP:
            fields.pop("share")
        try:
            services.rule_update(rule=rule, by=request.user, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu điều kiện."))
            return redirect("awards:catalogue_detail", code=entry.code)
    return render(
        request,
        "awards/rule_form.html",
        {"entry": entry, "rule": rule, "words": queries.rule_words(rule), "form": form},
    )


@login_required
def base_salary(request):
    can_edit = access.can_edit_catalogue(request.user)
    form = BaseSalaryForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                services.base_salary_add(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã thêm mức lương cơ sở."))
                return redirect("awards:base_salary")
    return render(
        request,
        "awards/base_salary.html",
        {
            "salaries": BaseSalary.objects.all(),
            "current": services.base_salary_on(),
            "form": form,
            "can_edit": can_edit,
        },
    )


@login_required
def award_import(request):
    if not access.subjects_for(request.user, access.RECORD).exists():
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        created, errors = import_upload(
            form.cleaned_data["file"],
            lambda data: imports.import_awards(data=data, by=request.user),
        )
        if created is not None:
            messages.success(request, _("Đã nhập %(n)s khen thưởng.") % {"n": len(created)})
            return redirect("awards:award_import")
    return render(request, "awards/award_import.html", {"form": form, "errors": errors})


@login_required
def award_template(request):
    if not access.subjects_for(request.user, access.RECORD).exists():
        raise Http404
    return xlsx_download(imports.template_workbook(), "mau-nhap-khen-thuong.xlsx")


@login_required
@require_POST
def award_delete(request, pk):
    if pk > ID_MAX:
        raise Http404
    award = access.get_award(request.user, pk)
    try:
        services.award_delete(award=award, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Đã xóa “%(t)s” năm %(y)s.") % {"t": award.name, "y": award.year}
        )
    return redirect(reverse("exemplars:subject_detail", args=[award.subject_id]) + "#khen-thuong")
