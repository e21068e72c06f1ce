"""Reads of the commendation app reused by pages, the API and other apps: the catalogue with its
rules, explained in words, and a subject's award history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from guongsang.exemplars.models import Subject
from guongsang.units.models import UnitKind

from .models import Award, AwardKind, AwardType, EligibilityRule, RuleKind, Severity, VoteBase
from .services import base_salary_on, prize_amount

ONCE_YEARS = 100  # "not within 100 years": once in a lifetime


def percent(share: Decimal | None) -> str:
    """0.6667 → "66,67%", 0.5 → "50%" (Vietnamese decimal comma)."""
    if share is None:
        return ""
    value = (share * 100).quantize(Decimal("0.01")).normalize()
    text = f"{value:f}".replace(".", ",")
    return f"{text}%"


def catalogue() -> QuerySet[AwardType]:
    """Every entry with its rules (and their related entries) in two more queries."""
    return AwardType.objects.prefetch_related(
        Prefetch("rules", queryset=EligibilityRule.objects.select_related("other"))
    ).order_by("kind", "rank", "name")


def subject_kinds_words(award_type: AwardType) -> str:
    kinds = [
        label
        for flag, label in (
            (award_type.for_individual, _("cá nhân")),
            (award_type.for_household, _("hộ gia đình")),
            (award_type.for_collective, _("tập thể")),
        )
        if flag
    ]
    return ", ".join(kinds) or _("chưa chọn đối tượng")


def levels_words(award_type: AwardType) -> str:
    """The union levels that confer it, short: "Trung ương Hội, tỉnh"."""
    short = {
        UnitKind.CENTRAL: _("Trung ương Hội"),
        UnitKind.PROVINCE: _("tỉnh"),
        UnitKind.DISTRICT: _("huyện"),
        UnitKind.COMMUNE: _("xã"),
        UnitKind.BRANCH: _("chi hội"),
    }
    labels = dict(UnitKind.choices)
    levels = [
        str(short.get(level) or labels.get(level, level))
        for level in award_type.conferring_levels or []
    ]
    return ", ".join(levels) or _("cấp trên (Hội đề nghị)")


def _vote_base_words(award_type: AwardType) -> str:
    return {
        VoteBase.MEMBERS: _("tổng số thành viên hội đồng"),
        VoteBase.PRESENT: _("số thành viên có mặt"),
        VoteBase.VALID: _("số phiếu hợp lệ"),
    }.get(award_type.vote_base, award_type.vote_base)


def vote_short(award_type: AwardType) -> str:
    """For lists: "Bỏ phiếu kín, từ 90% tổng số thành viên hội đồng"."""
    ballot = _("Bỏ phiếu kín") if award_type.secret_ballot else _("Biểu quyết công khai")
    return _("%(ballot)s, từ %(a)s %(base)s") % {
        "ballot": ballot,
        "a": percent(award_type.approval),
        "base": _vote_base_words(award_type),
    }


def vote_words(award_type: AwardType) -> str:
    base = _vote_base_words(award_type)
    ballot = _("bỏ phiếu kín") if award_type.secret_ballot else _("biểu quyết công khai")
    return _(
        "Họp khi có từ %(q)s thành viên hội đồng; %(ballot)s; đạt khi được từ %(a)s %(base)s "
        "tán thành."
    ) % {
        "q": percent(award_type.quorum),
        "ballot": ballot,
        "a": percent(award_type.approval),
        "base": base,
    }


def rule_words(rule: EligibilityRule) -> str:
    other = rule.other.name if rule.other_id else ""
    if rule.kind == RuleKind.REQUIRES:
        text = (
            _("Phải có “%(o)s” trong cùng năm.")
            if rule.years == 0
            else _("Phải có “%(o)s” trong năm đó hoặc năm trước.")
        ) % {"o": other}
    elif rule.kind == RuleKind.STREAK:
        text = (
            _("Phải có “%(o)s” %(n)s năm liên tục, đến năm trước năm đề nghị.")
            if rule.ends_year_before
            else _("Phải có “%(o)s” %(n)s năm liên tục, tính cả năm đề nghị.")
        ) % {"o": other, "n": rule.years}
    elif rule.kind == RuleKind.SHARE_CAP:
        text = _("Số được tặng trong một đơn vị không quá %(p)s số được tặng “%(o)s” cùng năm.") % {
            "p": percent(rule.share),
            "o": other,
        }
    elif rule.years >= ONCE_YEARS:
        text = _("Mỗi đối tượng chỉ được tặng một lần.")
    elif rule.years == 1:
        text = _("Không tặng hai năm liền.")
    else:
        text = _("Không tặng lại trong %(n)s năm.") % {"n": rule.years}
    severity = _("chặn") if rule.severity == Severity.BLOCK else _("cảnh báo")
    if not rule.active:
        severity = _("tạm không áp dụng")
    return f"{text} ({severity})"


@dataclass
class CatalogueGroup:
    kind: str
    label: str
    entries: list[AwardType]


def catalogue_groups(types, day: dt.date | None = None) -> list[CatalogueGroup]:
    """The catalogue grouped by kind, each entry with words for its subjects, levels, vote rule,
    rules and its prize at the base salary in force on ``day`` (one query for the salary)."""
    salary = base_salary_on(day)
    groups = {kind: CatalogueGroup(kind, str(label), []) for kind, label in AwardKind.choices}
    for award_type in types:
        decorate(award_type, salary)
        groups[award_type.kind].entries.append(award_type)
    return [g for g in groups.values() if g.entries]


def decorate(award_type: AwardType, salary) -> AwardType:
    award_type.subjects_text = subject_kinds_words(award_type)
    award_type.levels_text = levels_words(award_type)
    award_type.vote_text = vote_words(award_type)
    award_type.vote_short = vote_short(award_type)
    award_type.rules_text = [rule_words(r) for r in award_type.rules.all()]
    award_type.prize_amount = prize_amount(award_type, salary=salary) if salary else None
    return award_type


def history(subject: Subject) -> QuerySet[Award]:
    """The subject's awards, latest year first, with their catalogue entries."""
    return subject.awards.select_related("award_type").order_by("-year", "award_type__rank", "pk")
