"""Whether a subject may be proposed for a catalogue entry in a year, rule by rule, each outcome
explained in a Vietnamese sentence with its figures.

Reads only. The rules are the entry's ``EligibilityRule`` rows (data the union edits): changing a
rule's severity, years or share changes the outcome, never this code. The cost is a fixed number
of queries whatever the length of the history and the number of subjects checked together:

- the entry's active rules (none if the caller prefetched ``rules``, see ``with_rules``);
- the units of subjects whose ``unit`` is not loaded yet (only when a share cap needs them);
- the paths of the pending candidates (only with ``pending`` and a share cap);
- the commune units that are the default share-cap scopes (only for branch and group subjects);
- the history of every candidate, for all the entries the rules name, in one query;
- one aggregate per share-cap rule, counting every scope in that same query.

History matches a catalogue entry by ``award_type``, and also the rows with no ``award_type``
whose folded name is the entry's folded name: free-text titles migrated from before the
catalogue ("lao dong tien tien" written by hand in 2019) count as the entry they name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guongsang.exemplars.models import Subject, SubjectKind
from guongsang.units.models import PATH_END, SEGMENT_WIDTH, Unit, UnitKind

from .models import Award, AwardType, EligibilityRule, RuleKind, Severity

# Subject units below a commune (branches, groups) take the commune's union as the default
# share-cap scope: "15 % of the unit's LĐTT holders" is counted where the title is conferred and
# the LĐTT are counted, which for a village branch is its commune's union, never the branch alone.
SCOPE_UP_FROM = {UnitKind.BRANCH: 1, UnitKind.GROUP: 2}  # segments up to the commune

KIND_WORDS = {
    SubjectKind.COLLECTIVE: gettext_lazy("tập thể"),
    SubjectKind.INDIVIDUAL: gettext_lazy("cá nhân"),
    SubjectKind.HOUSEHOLD: gettext_lazy("hộ gia đình"),
}
# How holders are counted in a share-cap sentence: "3 người", "2 tập thể", "4 hộ".
COUNT_WORDS = {
    SubjectKind.COLLECTIVE: gettext_lazy("tập thể"),
    SubjectKind.INDIVIDUAL: gettext_lazy("người"),
    SubjectKind.HOUSEHOLD: gettext_lazy("hộ"),
}

# Finding kinds beyond the rule kinds: the checks every entry gets.
APPLIES = "applies"
ACTIVE = "active"


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", gettext_lazy("Đủ điều kiện")
    WARNINGS = "warnings", gettext_lazy("Đủ điều kiện, có điểm cần lưu ý")
    BLOCKED = "blocked", gettext_lazy("Chưa đủ điều kiện")


@dataclass(frozen=True)
class Finding:
    """The outcome of one check. ``rule`` is None for the checks every entry gets (it applies to
    the subject's kind; it is still in use)."""

    kind: str  # a RuleKind value, APPLIES or ACTIVE
    severity: str  # Severity.WARN or Severity.BLOCK
    ok: bool
    message: str
    rule: EligibilityRule | None = None

    @property
    def level(self) -> str:
        """ "ok", "warn" or "block": what the finding means for the proposal."""
        return "ok" if self.ok else self.severity

    @property
    def label(self) -> str:
        if self.rule is not None:
            return self.rule.get_kind_display()
        if self.kind == ACTIVE:
            return _("Danh mục đang dùng")
        return _("Đối tượng được tặng")


def summary(findings: Iterable[Finding]) -> Outcome:
    """Blocked if a blocking rule fails, with warnings if a warning rule fails, else eligible."""
    levels = {f.level for f in findings}
    if Severity.BLOCK in levels:
        return Outcome.BLOCKED
    if Severity.WARN in levels:
        return Outcome.WARNINGS
    return Outcome.ELIGIBLE


def with_rules(queryset=None):
    """A prefetch of the active rules (their ``other`` entry loaded) that ``check`` and
    ``check_many`` then use without a query: ``AwardType.objects.prefetch_related(with_rules())``."""
    return Prefetch(
        "rules",
        queryset=EligibilityRule.objects.filter(active=True).select_related("other"),
        to_attr="active_rules",
    )


def check(
    *,
    subject: Subject,
    award_type: AwardType,
    year: int,
    scope_unit: Unit | None = None,
    pending: Iterable[int] = (),
) -> list[Finding]:
    """The findings for ``subject`` proposed for ``award_type`` in ``year``.

    ``pending``: ids of the other subjects proposed in the same batch; a share cap counts them
    (those in its scope) with the subject, so a proposal of three is checked as a whole.
    ``scope_unit``: the unit whose subtree a share cap counts; by default the subject's unit,
    or its commune for a branch or group (``SCOPE_UP_FROM``)."""
    return check_many([subject], award_type, year, scope_unit=scope_unit, pending=pending)[
        subject.pk
    ]


def check_many(
    subjects: Sequence[Subject],
    award_type: AwardType,
    year: int,
    *,
    scope_unit: Unit | None = None,
    pending: Iterable[int] = (),
) -> dict[int, list[Finding]]:
    """``check`` for a list of subjects proposed together: {subject id: findings}, at a fixed
    number of queries. The subjects are candidates of one another for share caps, with
    ``pending`` (ids) besides."""
    subjects = list({s.pk: s for s in subjects}.values())
    rules = _rules(award_type)
    out: dict[int, list[Finding]] = {s.pk: _entry_findings(s, award_type) for s in subjects}
    if not rules or not subjects:
        return out
    caps = [r for r in rules if r.kind == RuleKind.SHARE_CAP and _complete(r)]
    ids = {s.pk for s in subjects}
    pending_ids = {int(getattr(p, "pk", p)) for p in pending} - ids
    pending_paths = _pending_paths(pending_ids) if caps and pending_ids else {}
    scopes = _scopes(subjects, scope_unit) if caps else {}
    history = _history(ids | set(pending_paths), award_type, rules)
    counted = {
        rule.pk: _count_caps(rule, award_type, year, scopes, subjects, pending_paths, history)
        for rule in caps
    }
    for s in subjects:
        held = history.get(s.pk, [])
        for rule in rules:
            if not _complete(rule):
                out[s.pk].append(_incomplete(rule))
            elif rule.kind == RuleKind.REQUIRES:
                out[s.pk].append(_requires(rule, held, year))
            elif rule.kind == RuleKind.STREAK:
                out[s.pk].append(_streak(rule, held, year))
            elif rule.kind == RuleKind.NOT_WITHIN:
                out[s.pk].append(_not_within(rule, award_type, held, year))
            elif rule.kind == RuleKind.SHARE_CAP:
                scope = scopes[s.pk]
                out[s.pk].append(
                    _share_cap(rule, award_type, year, s.kind, scope, counted[rule.pk][scope.pk])
                )
    return out


# ---- reading


def _rules(award_type: AwardType) -> list[EligibilityRule]:
    if hasattr(award_type, "active_rules"):
        return list(award_type.active_rules)
    return list(award_type.rules.filter(active=True).select_related("other"))


def _complete(rule: EligibilityRule) -> bool:
    """A rule the catalogue pages let through half-filled is reported, never guessed at."""
    if rule.kind == RuleKind.NOT_WITHIN:
        return True
    if rule.other_id is None:
        return False
    if rule.kind == RuleKind.STREAK:
        return rule.years >= 1
    if rule.kind == RuleKind.SHARE_CAP:
        return rule.share is not None
    return rule.kind == RuleKind.REQUIRES


def _matches(row: tuple, entry: AwardType) -> bool:
    type_id, folded = row[0], row[1]
    return type_id == entry.pk or (type_id is None and folded == entry.name_folded)


def _entry_q(entry: AwardType) -> Q:
    return Q(award_type=entry.pk) | Q(award_type__isnull=True, name_folded=entry.name_folded)


def _history(
    subject_ids: set[int], award_type: AwardType, rules: list[EligibilityRule]
) -> dict[int, list[tuple]]:
    """{subject id: [(award_type_id, name_folded, year, unit_path), ...]} for the entries the
    rules name, in one query."""
    entries = {award_type.pk: award_type}
    entries.update({r.other.pk: r.other for r in rules if r.other_id})
    wanted = Q(award_type__in=list(entries)) | Q(
        award_type__isnull=True, name_folded__in=sorted({e.name_folded for e in entries.values()})
    )
    rows = Award.objects.filter(wanted, subject_id__in=sorted(subject_ids)).values_list(
        "subject_id", "award_type_id", "name_folded", "year", "unit_path"
    )
    history: dict[int, list[tuple]] = {}
    for subject_id, *row in rows:
        history.setdefault(subject_id, []).append(tuple(row))
    return history


def _years(held: list[tuple], entry: AwardType) -> set[int]:
    return {row[2] for row in held if _matches(row, entry)}


def _pending_paths(pending_ids: set[int]) -> dict[int, str]:
    return dict(Subject.objects.filter(pk__in=sorted(pending_ids)).values_list("pk", "unit_path"))


def _subject_path(subject: Subject) -> str:
    return subject.unit_path or subject.unit.path


def _scopes(subjects: list[Subject], scope_unit: Unit | None) -> dict[int, Unit]:
    """{subject id: the unit whose subtree its share caps count}."""
    if scope_unit is not None:
        return {s.pk: scope_unit for s in subjects}
    unit_field = Subject._meta.get_field("unit")
    unloaded = [s for s in subjects if not unit_field.is_cached(s)]
    if unloaded:
        units = Unit.objects.in_bulk({s.unit_id for s in unloaded})
        for s in unloaded:
            s.unit = units[s.unit_id]
    above = {
        s.pk: s.unit.path[: -SEGMENT_WIDTH * SCOPE_UP_FROM[s.unit.kind]]
        for s in subjects
        if s.unit.kind in SCOPE_UP_FROM
    }
    communes = {u.path: u for u in Unit.objects.filter(path__in=sorted(set(above.values())))}
    return {s.pk: communes.get(above.get(s.pk), s.unit) for s in subjects}


def _in(path: str, scope: Unit) -> bool:
    return scope.path <= path < scope.path + PATH_END


def _count_caps(
    rule: EligibilityRule,
    award_type: AwardType,
    year: int,
    scopes: dict[int, Unit],
    subjects: list[Subject],
    pending_paths: dict[int, str],
    history: dict[int, list[tuple]],
) -> dict[int, tuple[int, int, int]]:
    """{scope unit id: (holders of the entry, new candidates, holders of ``rule.other``)} for
    ``year``, every scope in one aggregate. A candidate who already holds the entry in the
    scope is a holder, not counted twice."""
    this_q, other_q = _entry_q(award_type), _entry_q(rule.other)
    units = {u.pk: u for u in scopes.values()}
    aggregates = {}
    anywhere = Q()
    for pk, unit in units.items():
        in_scope = Q(unit_path__gte=unit.path, unit_path__lt=unit.path + PATH_END)
        anywhere |= in_scope
        aggregates[f"h{pk}"] = Count("subject", distinct=True, filter=in_scope & this_q)
        aggregates[f"o{pk}"] = Count("subject", distinct=True, filter=in_scope & other_q)
    totals = Award.objects.filter(anywhere, this_q | other_q, year=year).aggregate(**aggregates)
    paths = {s.pk: _subject_path(s) for s in subjects} | pending_paths
    counts = {}
    for pk, unit in units.items():
        candidates = {sid for sid, path in paths.items() if _in(path, unit)}
        candidates |= {s.pk for s in subjects if scopes[s.pk].pk == pk}
        new = {
            sid
            for sid in candidates
            if not any(
                _matches(row, award_type) and row[2] == year and _in(row[3], unit)
                for row in history.get(sid, [])
            )
        }
        counts[pk] = (totals[f"h{pk}"], len(new), totals[f"o{pk}"])
    return counts


# ---- the sentences


def _quoted(entry: AwardType) -> str:
    return f"“{entry.name}”"


def _year_list(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in sorted(years))


def _percent(share: Decimal) -> str:
    text = format((share * 100).normalize(), "f")
    return text.replace(".", ",")


def _entry_findings(subject: Subject, award_type: AwardType) -> list[Finding]:
    values = {"t": _quoted(award_type), "k": KIND_WORDS.get(subject.kind, subject.kind)}
    findings = []
    if not award_type.active:
        findings.append(
            Finding(ACTIVE, Severity.BLOCK, False, _("%(t)s không còn được dùng.") % values)
        )
    if award_type.applies_to(subject.kind):
        findings.append(Finding(APPLIES, Severity.BLOCK, True, _("%(t)s dành cho %(k)s.") % values))
    else:
        findings.append(
            Finding(APPLIES, Severity.BLOCK, False, _("%(t)s không dành cho %(k)s.") % values)
        )
    return findings


def _finding(rule: EligibilityRule, ok: bool, message: str) -> Finding:
    return Finding(rule.kind, rule.severity, ok, message, rule)


def _incomplete(rule: EligibilityRule) -> Finding:
    # A half-filled rule warns (it cannot be checked) but never blocks on its own.
    message = _("Điều kiện “%(r)s” chưa ghi đủ thông tin nên chưa kiểm tra được.") % {
        "r": rule.get_kind_display()
    }
    return Finding(rule.kind, Severity.WARN, False, message, rule)


def _requires(rule: EligibilityRule, held: list[tuple], year: int) -> Finding:
    wanted = year - rule.years
    ok = wanted in _years(held, rule.other)
    values = {"t": _quoted(rule.other), "y": wanted}
    if ok:
        return _finding(rule, True, _("Đã có %(t)s năm %(y)s.") % values)
    return _finding(rule, False, _("Chưa có %(t)s năm %(y)s.") % values)


def streak_window(year: int, length: int, *, ends_year_before: bool) -> list[int]:
    """The years a STREAK of ``length`` checks for a proposal of ``year``: ending with the year
    before, or with ``year`` itself (the rule's ``ends_year_before``, a catalogue setting)."""
    last = year - 1 if ends_year_before else year
    return list(range(last - length + 1, last + 1))


def _streak(rule: EligibilityRule, held: list[tuple], year: int) -> Finding:
    window = streak_window(year, rule.years, ends_year_before=rule.ends_year_before)
    have = _years(held, rule.other) & set(window)
    missing = [y for y in window if y not in have]
    values = {
        "n": rule.years,
        "t": _quoted(rule.other),
        "have": _year_list(have),
        "missing": _year_list(missing),
    }
    if not missing:
        return _finding(rule, True, _("Đủ %(n)s năm liên tục đạt %(t)s: %(have)s.") % values)
    if have:
        message = _("Chưa đủ %(n)s năm liên tục đạt %(t)s: có %(have)s; thiếu %(missing)s.")
    else:
        message = _("Chưa đủ %(n)s năm liên tục đạt %(t)s: thiếu %(missing)s.")
    return _finding(rule, False, message % values)


def _not_within(
    rule: EligibilityRule, award_type: AwardType, held: list[tuple], year: int
) -> Finding:
    start = year - rule.years
    found = sorted(y for y in _years(held, award_type) if start <= y <= year)
    values = {"t": _quoted(award_type), "n": rule.years, "y": year, "start": start}
    if not found:
        if rule.years == 0:
            return _finding(rule, True, _("Chưa có %(t)s năm %(y)s.") % values)
        return _finding(rule, True, _("Không có %(t)s từ năm %(start)s đến năm %(y)s.") % values)
    values["found"] = _year_list(found)
    if found == [year]:
        return _finding(rule, False, _("Đã có %(t)s năm %(y)s.") % values)
    return _finding(
        rule,
        False,
        _("Đã có %(t)s năm %(found)s, trong %(n)s năm trước năm %(y)s (từ năm %(start)s).")
        % values,
    )


def share_cap_limit(share: Decimal, base: int) -> int:
    """The most holders a share allows: floor(share × base)."""
    return int((Decimal(share) * base).to_integral_value(rounding=ROUND_FLOOR))


def _share_cap(
    rule: EligibilityRule,
    award_type: AwardType,
    year: int,
    subject_kind: str,
    scope: Unit,
    counts: tuple[int, int, int],
) -> Finding:
    holders, new, base = counts
    limit = share_cap_limit(rule.share, base)
    total = holders + new
    values = {
        "t": _quoted(award_type),
        "y": year,
        "scope": scope.union_name,
        "count": total,
        "held": holders,
        "new": new,
        "noun": COUNT_WORDS.get(subject_kind, ""),
        "pct": _percent(rule.share),
        "base": base,
        "other": _quoted(rule.other),
        "limit": limit,
    }
    if total <= limit:
        message = _(
            "%(t)s năm %(y)s của %(scope)s: %(count)s %(noun)s (%(held)s đã có, %(new)s đang đề "
            "nghị), trong mức %(pct)s%% của %(base)s %(noun)s đạt %(other)s (tối đa %(limit)s)."
        )
    else:
        message = _(
            "%(t)s năm %(y)s của %(scope)s: %(count)s %(noun)s (%(held)s đã có, %(new)s đang đề "
            "nghị), vượt %(pct)s%% của %(base)s %(noun)s đạt %(other)s (tối đa %(limit)s)."
        )
    return _finding(rule, total <= limit, message % values)
