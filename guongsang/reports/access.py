"""Fetch-and-authorise helpers for report forms, rounds and unit reports, built only on
``guongsang.units.access``. Missing and forbidden raise the same ``Http404``.

- A form flows down the tree: it is seen where ``units.access.catalogue_q`` allows (issued by a
  unit she may view or by an ancestor of her units) and edited with EDIT on the issuing unit.
- A round is seen by the requesting side (VIEW on its unit; a round whose document is still a
  draft only with EDIT, like the draft itself) and by the units it asks (VIEW on a respondent).
  A respondent who cannot view the requesting unit sees only her own subtree's part of it.
- A unit's report is seen with VIEW on the reporting unit (hers, or a unit above it); it is
  filled with EDIT on the reporting unit by someone who is not on the requesting side, and
  returned by the requesting side (the service re-checks both).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from guongsang.accounts.models import User
from guongsang.core.db import as_date, fetch_all
from guongsang.plans.models import Assignment, DocStatus, Document, Recipient, Task
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import PATH_END, SEGMENT_WIDTH, Unit
from guongsang.units.queries import ranges_sql

from .models import FormSection, Indicator, ReportForm, Round, UnitReport
from .services import can_fill

MANAGED_BY = "reports"


# ---- forms ------------------------------------------------------------------------------------
def forms_for(user: User | None) -> QuerySet[ReportForm]:
    return ReportForm.objects.filter(access.catalogue_q(user)).select_related("issuing_unit")


def get_form(user: User | None, pk) -> ReportForm:
    return access.get_or_404(forms_for(user), pk)


def can_edit_form(user: User | None, form: ReportForm) -> bool:
    """May change the form's content (the service also refuses a form in use)."""
    return access.can(user, Perm.EDIT, form.issuing_unit)


def get_section(user: User | None, form: ReportForm, pk) -> FormSection:
    """A section of ``form`` (already fetched for the user) for its editor, else 404."""
    if not can_edit_form(user, form):
        raise Http404
    return access.get_or_404(form.sections.all(), pk)


def get_indicator(user: User | None, form: ReportForm, pk) -> Indicator:
    if not can_edit_form(user, form):
        raise Http404
    return access.get_or_404(form.indicators.select_related("form"), pk)


# ---- rounds -----------------------------------------------------------------------------------
def _asked_q(user: User | None) -> Q:
    """Rounds with a respondent unit the user may view (an assignment of the round's task)."""
    asked = Assignment.objects.filter(
        access.scope_q(user, Perm.VIEW, "recipient__unit_"), task=OuterRef("task")
    )
    return Q(Exists(asked))


def rounds_for(user: User | None) -> QuerySet[Round]:
    issued = access.scope_q(user, Perm.VIEW, "unit__") & Q(task__document__status=DocStatus.ISSUED)
    visible = access.either(issued, access.scope_q(user, Perm.EDIT, "unit__"), _asked_q(user))
    return Round.objects.filter(visible).select_related("unit", "form", "task__document")


# What the summary page shows of a round: the fields its section reads.
SUMMARY_ROUND_FIELDS = ["id", "form_id", "title", "period_start", "period_end", "revision"]


def summary_rounds(
    user: User | None, unit: Unit, start: dt.date, end: dt.date, limit: int
) -> list[Round]:
    """The newest ``limit`` rounds that ``rounds_for(user)`` gives whose period lies inside
    [start, end] and whose requesting unit is ``unit``, an ancestor, or a unit below it (the
    rounds whose reports a summary of ``unit`` can roll up), newest period first. The same
    rule as ``rounds_for``, written out: on every summary page the ORM's building of that
    query cost 1.9 ms against 0.3 for this one (national data, measured); a test holds the two
    equal for every account of the test cast. Rounds come with ``SUMMARY_ROUND_FIELDS`` only."""
    quote = connection.ops.quote_name
    view, edit = access.scope_paths(user, Perm.VIEW), access.scope_paths(user, Perm.EDIT)
    in_view, p_view = ranges_sql(view, "u.path")
    in_edit, p_edit = ranges_sql(edit, "u.path")
    asked, p_asked = ranges_sql(view, "p.unit_path")
    ancestors = [unit.path[:i] for i in range(SEGMENT_WIDTH, len(unit.path) + 1, SEGMENT_WIDTH)]
    ops = connection.ops
    columns = ", ".join(f"r.{quote(Round._meta.get_field(f).column)}" for f in SUMMARY_ROUND_FIELDS)
    sql = (
        f"SELECT {columns} FROM {quote(Round._meta.db_table)} r "  # noqa: S608 (names from code; values are parameters)
        f"JOIN {quote(Unit._meta.db_table)} u ON u.id = r.unit_id "
        f"LEFT JOIN {quote(Task._meta.db_table)} t ON t.id = r.task_id "
        f"LEFT JOIN {quote(Document._meta.db_table)} d ON d.id = t.document_id "
        "WHERE r.period_start >= %s AND r.period_end <= %s "
        f"AND (u.path IN ({', '.join(['%s'] * len(ancestors))}) "
        "OR (u.path >= %s AND u.path < %s)) "
        f"AND (({in_view} AND d.status = %s) OR {in_edit} OR EXISTS (SELECT 1 FROM "
        f"{quote(Assignment._meta.db_table)} a JOIN {quote(Recipient._meta.db_table)} p "
        f"ON p.id = a.recipient_id WHERE a.task_id = r.task_id AND {asked})) "
        "ORDER BY r.period_end DESC, r.id DESC LIMIT %s"
    )
    params = [
        ops.adapt_datefield_value(start),
        ops.adapt_datefield_value(end),
        *ancestors,
        unit.path,
        unit.path + PATH_END,
        *p_view,
        DocStatus.ISSUED.value,
        *p_edit,
        *p_asked,
        int(limit),
    ]
    out = []
    for pk, form_id, title, period_start, period_end, revision in fetch_all(sql, params):
        values = (pk, form_id, title, as_date(period_start), as_date(period_end), revision)
        out.append(Round.from_db(connection.alias, SUMMARY_ROUND_FIELDS, values))
    return out


def get_round(user: User | None, pk) -> Round:
    return access.get_or_404(rounds_for(user), pk)


def sees_whole_round(user: User | None, rnd: Round) -> bool:
    """The requesting side sees every respondent; a respondent only her own subtree."""
    return access.can(user, Perm.VIEW, rnd.unit)


def can_manage_round(user: User | None, rnd: Round) -> bool:
    return access.can(user, Perm.EDIT, rnd.unit)


def draft_documents(user: User | None, limit: int = 20) -> QuerySet[Document]:
    """The newest drafts of the units the user edits, to which a round may be added (a
    queryset a choice field can still filter: the newest ``limit`` as a subquery)."""
    newest = (
        Document.objects.filter(status=DocStatus.DRAFT)
        .filter(access.scope_q(user, Perm.EDIT, "unit__"))
        .order_by("-pk")
        .values("pk")[:limit]
    )
    return Document.objects.filter(pk__in=newest).select_related("unit").order_by("-pk")


def get_assignment(user: User | None, pk) -> Assignment:
    """An assignment of a reporting round for a unit the user reports for, else 404. As in
    plans, the issuing side does not answer its own request."""
    assignment = access.get_or_404(
        Assignment.objects.filter(task__managed_by=MANAGED_BY)
        .filter(task__document__status=DocStatus.ISSUED)
        .select_related("task__document__unit", "task__report_round", "recipient__unit"),
        pk,
    )
    if not access.can(user, Perm.EDIT, assignment.recipient.unit) or access.can(
        user, Perm.EDIT, assignment.task.document.unit
    ):
        raise Http404
    return assignment


def my_assignments(user: User | None, rnd: Round, limit: int = 10) -> list[Assignment]:
    """The round's assignments of the units the user reports for (usually one)."""
    if rnd.task_id is None or access.can(user, Perm.EDIT, rnd.unit):
        return []
    return list(
        Assignment.objects.filter(task_id=rnd.task_id)
        .filter(access.scope_q(user, Perm.EDIT, "recipient__unit_"))
        .select_related("recipient__unit")
        .order_by("recipient__unit_path")[:limit]
    )


# ---- unit reports -----------------------------------------------------------------------------
def reports_for(user: User | None) -> QuerySet[UnitReport]:
    return UnitReport.objects.filter(access.scope_q(user, Perm.VIEW, "unit_")).select_related(
        "unit", "round", "round__unit", "round__form", "round__task__document", "submitted_by"
    )


def get_report(user: User | None, pk) -> UnitReport:
    return access.get_or_404(reports_for(user), pk)


def may_fill(user: User | None, report: UnitReport) -> bool:
    """The rule is the service's (``services.can_fill``): the pages ask it before showing inputs."""
    return can_fill(user, report.round, report.unit)


def may_return(user: User | None, report: UnitReport) -> bool:
    return access.can(user, Perm.EDIT, report.round.unit)


def reports_to_submit(user: User | None) -> QuerySet[Assignment]:
    """Reporting-round tasks of the units where she holds a role herself (not those below
    them) that are still unanswered: her "to do", not her subordinates'."""
    paths = access.held_units_paths(user, Perm.EDIT)
    return Assignment.objects.filter(
        task__managed_by=MANAGED_BY,
        task__document__status=DocStatus.ISSUED,
        done_at__isnull=True,
        recipient__unit_path__in=paths,
    ).exclude(task__report_round__state="closed")
