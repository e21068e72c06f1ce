"""Every write of the commendation app: award history entries, catalogue edits, base salaries.

Callers fetch objects through ``awards.access``; the services check again (``by=None`` is the
operator: migrations, commands, the demo) and write inside a transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guongsang.accounts.models import User
from guongsang.core.forms import has_control_characters
from guongsang.core.text import fold
from guongsang.exemplars.models import Subject, SubjectKind
from guongsang.units import access as unit_access
from guongsang.units.models import UnitKind

from . import access
from .models import (
    Award,
    AwardSource,
    AwardType,
    BaseSalary,
    EligibilityRule,
    RuleKind,
    Severity,
    VoteBase,
)

FIRST_YEAR = 1945  # the union's awards start with the Democratic Republic
KIND_WORDS = {
    SubjectKind.COLLECTIVE: gettext_lazy("tập thể"),
    SubjectKind.INDIVIDUAL: gettext_lazy("cá nhân"),
    SubjectKind.HOUSEHOLD: gettext_lazy("hộ gia đình"),
}


def clean_text(value, field: str, label: str, max_length: int, errors: dict) -> str:
    text = " ".join(str(value or "").split())
    if has_control_characters(value):
        errors[field] = _("%(label)s chứa ký tự không hợp lệ.") % {"label": label}
    elif len(text) > max_length:
        errors[field] = _("%(label)s dài quá %(n)s ký tự.") % {"label": label, "n": max_length}
    return text


def last_year() -> int:
    """The latest year an award may be recorded for: this year."""
    return timezone.localdate().year


def subject_kind_words(kind: str) -> str:
    return str(KIND_WORDS.get(kind, kind))


def match_catalogue(name: str, subject_kind: str) -> AwardType | None:
    """The catalogue entry a free text names (folded), if it applies to the subject's kind."""
    folded = fold(" ".join(name.split()))
    if not folded:
        return None
    for award_type in AwardType.objects.filter(name_folded=folded):
        if award_type.applies_to(subject_kind):
            return award_type
    return None


def _validate(award: Award, subject: Subject) -> list[str]:
    """Check an award before it is saved; returns the warnings (nothing blocks on them)."""
    errors: dict[str, str] = {}
    warnings: list[str] = []
    if award.award_type_id is None and not award.name:
        errors["award_type"] = _("Chọn danh hiệu, hình thức khen thưởng hoặc nhập tên.")
    if award.award_type is not None and not award.award_type.applies_to(subject.kind):
        errors["award_type"] = _("“%(t)s” không áp dụng cho %(k)s.") % {
            "t": award.award_type.name,
            "k": subject_kind_words(subject.kind),
        }
    year = award.year
    if not isinstance(year, int) or not (FIRST_YEAR <= year <= last_year()):
        errors["year"] = _("Năm phải từ %(a)s đến %(b)s.") % {"a": FIRST_YEAR, "b": last_year()}
    if award.decision_date is not None:
        if award.decision_date > timezone.localdate():
            errors["decision_date"] = _("Ngày quyết định không được sau hôm nay.")
        elif award.decision_date.year < FIRST_YEAR:
            errors["decision_date"] = _("Ngày quyết định không hợp lệ.")
        elif "year" not in errors and award.decision_date.year not in (year, year + 1):
            warnings.append(
                _("Ngày quyết định %(d)s không thuộc năm %(y)s hoặc năm sau; hãy kiểm tra lại.")
                % {"d": award.decision_date.strftime("%d/%m/%Y"), "y": year}
            )
    if not errors:
        same = Award.objects.filter(subject=subject, year=year).exclude(pk=award.pk)
        if award.award_type_id is not None:
            same = same.filter(award_type=award.award_type_id)
        else:
            same = same.filter(award_type__isnull=True, name_folded=fold(award.name))
        if same.exists():
            errors["year"] = _("Đối tượng đã có “%(t)s” năm %(y)s.") % {
                "t": award.award_type.name if award.award_type_id else award.name,
                "y": year,
            }
    if errors:
        raise ValidationError(errors)
    return warnings


def _fill(
    award: Award,
    subject: Subject,
    *,
    award_type,
    name,
    year,
    decision_number,
    decision_date,
    conferred_by,
) -> None:
    errors: dict[str, str] = {}
    name = clean_text(name, "name", _("Tên danh hiệu, hình thức"), 200, errors)
    number = clean_text(decision_number, "decision_number", _("Số quyết định"), 60, errors)
    body = clean_text(conferred_by, "conferred_by", _("Cấp tặng"), 200, errors)
    if errors:
        raise ValidationError(errors)
    if award_type is None and name:
        # "Gia đình văn hóa" typed by hand is the catalogue's entry when it applies.
        award_type = match_catalogue(name, subject.kind)
    award.subject = subject
    award.award_type = award_type
    # The catalogue's name when an entry is chosen: the history reads the same everywhere.
    award.name = award_type.name if award_type is not None else name
    award.year = year
    award.decision_number = number
    award.decision_date = decision_date
    award.conferred_by = body
    award.unit_path = subject.unit_path or subject.unit.path


def _save(award: Award) -> Award:
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError:
        # Two people recording the same award at once: the constraint keeps one.
        raise ValidationError(
            {"year": _("Đối tượng đã có “%(t)s” năm %(y)s.") % {"t": award.name, "y": award.year}}
        ) from None
    return award


@transaction.atomic
def award_add(
    *,
    subject: Subject,
    by: User | None,
    award_type: AwardType | None = None,
    name: str = "",
    year: int,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    conferred_by: str = "",
    source: str = AwardSource.MANUAL,
) -> Award:
    """Record an award in the subject's history. ``award.warnings`` lists what to check again
    (never blocking)."""
    unit_access.require(by, access.RECORD, subject.unit)
    award = Award(source=source, created_by=by)
    _fill(
        award,
        subject,
        award_type=award_type,
        name=name,
        year=year,
        decision_number=decision_number,
        decision_date=decision_date,
        conferred_by=conferred_by,
    )
    warnings = _validate(award, subject)
    _save(award)
    award.warnings = warnings
    return award


@transaction.atomic
def award_update(*, award: Award, by: User | None, **fields) -> Award:
    """Change an entry of the history: the fields of ``award_add`` but the subject."""
    award = Award.objects.select_for_update().select_related("subject__unit").get(pk=award.pk)
    subject = award.subject
    unit_access.require(by, access.RECORD, subject.unit)
    allowed = {
        "award_type",
        "name",
        "year",
        "decision_number",
        "decision_date",
        "conferred_by",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    values = {
        "award_type": award.award_type,
        "name": award.name if award.award_type_id is None else "",
        "year": award.year,
        "decision_number": award.decision_number,
        "decision_date": award.decision_date,
        "conferred_by": award.conferred_by,
    } | fields
    _fill(award, subject, **values)
    warnings = _validate(award, subject)
    _save(award)
    award.warnings = warnings
    return award


@transaction.atomic
def award_delete(*, award: Award, by: User | None) -> None:
    unit_access.require(by, access.RECORD, award.subject.unit)
    Award.objects.filter(pk=award.pk).delete()


# ---- catalogue --------------------------------------------------------------------------------
CATALOGUE_FIELDS = {
    "name",
    "kind",
    "for_collective",
    "for_individual",
    "for_household",
    "conferring_levels",
    "quorum",
    "approval",
    "vote_base",
    "secret_ballot",
    "prize_multiple",
    "rank",
    "active",
    "note",
}


def _share(value, field: str, errors: dict) -> Decimal | None:
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = _("Tỷ lệ phải là số từ 0 đến 1.")
        return None
    if not share.is_finite() or not (0 <= share <= 1):
        errors[field] = _("Tỷ lệ phải là số từ 0 đến 1.")
        return None
    return share.quantize(Decimal("0.0001"))


@transaction.atomic
def award_type_update(*, award_type: AwardType, by: User | None, **fields) -> AwardType:
    """Change a catalogue entry (its code never changes: imports and rules name it)."""
    access.require_catalogue_editor(by)
    unknown = set(fields) - CATALOGUE_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    award_type = AwardType.objects.select_for_update().get(pk=award_type.pk)
    errors: dict[str, str] = {}
    if "name" in fields:
        name = clean_text(fields["name"], "name", _("Tên"), 200, errors)
        if not name and "name" not in errors:
            errors["name"] = _("Nhập tên danh hiệu, hình thức.")
        elif AwardType.objects.filter(name_folded=fold(name)).exclude(pk=award_type.pk).exists():
            errors["name"] = _("Danh mục đã có “%(t)s”.") % {"t": name}
        fields["name"] = name
    if "note" in fields:
        note = str(fields["note"] or "")
        if has_control_characters(note):
            errors["note"] = _("Ghi chú chứa ký tự không hợp lệ.")
        elif len(note) > 4000:
            errors["note"] = _("Ghi chú dài quá 4000 ký tự.")
        fields["note"] = note.strip()
    for field in ("quorum", "approval"):
        if field in fields:
            fields[field] = _share(fields[field], field, errors)
    if "vote_base" in fields and fields["vote_base"] not in VoteBase.values:
        errors["vote_base"] = _("Cách tính tỷ lệ không hợp lệ.")
    if "kind" in fields and fields["kind"] not in ("title", "form", "initiative"):
        errors["kind"] = _("Loại không hợp lệ.")
    if "prize_multiple" in fields and fields["prize_multiple"] is not None:
        try:
            multiple = Decimal(str(fields["prize_multiple"]))
            if not multiple.is_finite() or not (0 <= multiple < 1000):
                raise ValueError
            fields["prize_multiple"] = multiple.quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors["prize_multiple"] = _("Hệ số tiền thưởng phải là số từ 0 đến 999.")
    if "rank" in fields:
        try:
            fields["rank"] = int(fields["rank"])
            if not 0 <= fields["rank"] <= 1000:
                raise ValueError
        except (TypeError, ValueError):
            errors["rank"] = _("Thứ bậc phải là số từ 0 đến 1000.")
    if "conferring_levels" in fields:
        levels = list(fields["conferring_levels"] or [])
        if any(level not in UnitKind.values for level in levels):
            errors["conferring_levels"] = _("Cấp được tặng không hợp lệ.")
        fields["conferring_levels"] = [k for k in UnitKind.values if k in levels]
    for key in ("for_collective", "for_individual", "for_household", "secret_ballot", "active"):
        if key in fields:
            fields[key] = bool(fields[key])
    for_any = any(
        fields.get(k, getattr(award_type, k))
        for k in ("for_collective", "for_individual", "for_household")
    )
    if not for_any:
        errors["for_individual"] = _("Chọn ít nhất một loại đối tượng được tặng.")
    if errors:
        raise ValidationError(errors)
    for key, value in fields.items():
        setattr(award_type, key, value)
    award_type.save()
    return award_type


RULE_FIELDS = {"kind", "other", "years", "ends_year_before", "share", "severity", "active"}


def _check_rule(rule: EligibilityRule) -> None:
    errors: dict[str, str] = {}
    if rule.kind not in RuleKind.values:
        errors["kind"] = _("Loại điều kiện không hợp lệ.")
    if rule.severity not in Severity.values:
        errors["severity"] = _("Mức không hợp lệ.")
    if not isinstance(rule.years, int) or not 0 <= rule.years <= 100:
        errors["years"] = _("Số năm phải từ 0 đến 100.")
    if rule.kind in (RuleKind.REQUIRES, RuleKind.STREAK, RuleKind.SHARE_CAP) and not rule.other_id:
        errors["other"] = _("Chọn danh hiệu liên quan.")
    if rule.other_id and rule.other_id == rule.award_type_id:
        errors["other"] = _("Danh hiệu liên quan phải khác danh hiệu đang sửa.")
    if rule.kind == RuleKind.STREAK and not errors.get("years") and rule.years < 1:
        errors["years"] = _("Số năm liên tục phải từ 1 trở lên.")
    if rule.kind == RuleKind.NOT_WITHIN and not errors.get("years") and rule.years < 1:
        errors["years"] = _("Số năm phải từ 1 trở lên.")
    if rule.kind == RuleKind.REQUIRES and not errors.get("years") and rule.years > 1:
        errors["years"] = _("Điều kiện “phải có” chỉ xét trong năm (0) hoặc năm trước (1).")
    if rule.kind == RuleKind.SHARE_CAP:
        share = _share(rule.share, "share", errors) if rule.share is not None else None
        if share is None and "share" not in errors:
            errors["share"] = _("Nhập tỷ lệ tối đa.")
        rule.share = share
    else:
        rule.share = None
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rule_add(*, award_type: AwardType, by: User | None, **fields) -> EligibilityRule:
    access.require_catalogue_editor(by)
    unknown = set(fields) - RULE_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    rule = EligibilityRule(award_type=award_type, **fields)
    rule.order = award_type.rules.count()
    _check_rule(rule)
    rule.save()
    return rule


@transaction.atomic
def rule_update(*, rule: EligibilityRule, by: User | None, **fields) -> EligibilityRule:
    access.require_catalogue_editor(by)
    unknown = set(fields) - RULE_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    rule = EligibilityRule.objects.select_for_update().get(pk=rule.pk)
    for key, value in fields.items():
        setattr(rule, key, value)
    _check_rule(rule)
    rule.save()
    return rule


@transaction.atomic
def rule_delete(*, rule: EligibilityRule, by: User | None) -> None:
    access.require_catalogue_editor(by)
    EligibilityRule.objects.filter(pk=rule.pk).delete()


# ---- base salary ------------------------------------------------------------------------------
MAX_SALARY = Decimal("999999999999")


@transaction.atomic
def base_salary_add(*, by: User | None, valid_from: dt.date, amount, basis: str = "") -> BaseSalary:
    access.require_catalogue_editor(by)
    errors: dict[str, str] = {}
    basis = clean_text(basis, "basis", _("Căn cứ"), 200, errors)
    try:
        amount = Decimal(str(amount))
        if not amount.is_finite() or amount != amount.to_integral_value():
            raise ValueError
        if not (1 <= amount <= MAX_SALARY):
            raise ValueError
    except (InvalidOperation, ValueError, TypeError):
        errors["amount"] = _("Mức lương cơ sở phải là số đồng nguyên dương.")
    if not isinstance(valid_from, dt.date) or not (
        dt.date(FIRST_YEAR, 1, 1) <= valid_from <= dt.date(2100, 12, 31)
    ):
        errors["valid_from"] = _("Ngày áp dụng không hợp lệ.")
    elif BaseSalary.objects.filter(valid_from=valid_from).exists():
        errors["valid_from"] = _("Đã có mức lương cơ sở áp dụng từ ngày %(d)s.") % {
            "d": valid_from.strftime("%d/%m/%Y")
        }
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return BaseSalary.objects.create(valid_from=valid_from, amount=amount, basis=basis)
    except IntegrityError:
        raise ValidationError(
            {
                "valid_from": _("Đã có mức lương cơ sở áp dụng từ ngày %(d)s.")
                % {"d": valid_from.strftime("%d/%m/%Y")}
            }
        ) from None


@transaction.atomic
def base_salary_delete(*, by: User | None, base_salary: BaseSalary) -> None:
    access.require_catalogue_editor(by)
    BaseSalary.objects.filter(pk=base_salary.pk).delete()


def base_salary_on(day: dt.date | None = None) -> BaseSalary | None:
    """The base salary in force on ``day`` (today by default): the latest one from that day."""
    day = day or timezone.localdate()
    return BaseSalary.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def prize_amount(award_type: AwardType, day: dt.date | None = None, salary=None) -> Decimal | None:
    """The prize of ``award_type`` on ``day``: its multiple of the base salary, rounded to the
    đồng; none without a multiple or a base salary."""
    if award_type.prize_multiple is None:
        return None
    salary = salary if salary is not None else base_salary_on(day)
    if salary is None:
        return None
    return (award_type.prize_multiple * salary.amount).quantize(Decimal("1"))
