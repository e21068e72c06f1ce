"""Reused reads: document lists and the compliance board (a fixed number of queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from guongsang.core.spreadsheets import append_row
from guongsang.core.text import fold, search_tokens
from guongsang.units import access
from guongsang.units.access import Perm

from .models import Assignment, Document, Recipient, Reminder, TaskState, task_state


def search(qs: QuerySet[Document], *, q: str = "", doc_type: str = "", year: int | None = None):
    """Documents matching the list's filters, already parsed (``plans.forms.DocumentListForm``)."""
    if q:
        # Accent-insensitive on the abstract ("ke hoach tuyen truyen"), as typed on the symbol.
        words = Q()
        for token in search_tokens(q):
            words &= Q(abstract_folded__contains=token)
        qs = qs.filter(words | Q(symbol__icontains=q.strip()))
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if year:
        qs = qs.filter(Q(year=year) | Q(year__isnull=True, created_at__year=year))
    return qs


def with_inbox_state(qs: QuerySet[Document], user) -> QuerySet[Document]:
    """Mark documents still waiting for the user's units to acknowledge them."""
    waiting = Recipient.objects.filter(
        access.scope_q(user, Perm.EDIT, "unit__"),
        document=OuterRef("pk"),
        acknowledged_at__isnull=True,
    )
    return qs.annotate(waiting=Exists(waiting))


def documents_of_unit(unit) -> QuerySet[Document]:
    return Document.objects.filter(unit=unit, status="issued").order_by("-issued_on", "-pk")


NOTE_SHORT = 80


@dataclass
class Cell:
    task: object
    assignment_id: int | None
    state: str | None
    done_at: dt.datetime | None = None
    note: str = ""
    answer_symbol: str = ""
    answer_document_id: int | None = None
    has_file: bool = False
    label: str = ""  # the state's name, translated once per board rather than once per cell

    @property
    def note_short(self) -> str:
        note = self.note
        return note if len(note) <= NOTE_SHORT else note[: NOTE_SHORT - 1].rstrip() + "…"


@dataclass
class Row:
    recipient: Recipient
    cells: list[Cell]
    reminders: int = 0
    last_reminder: dt.datetime | None = None
    states: set = field(default_factory=set)

    @property
    def unit(self):
        return self.recipient.unit

    @property
    def received_on(self) -> str:
        """The local day the unit acknowledged the document, "dd/mm/yyyy" ("" if not yet)."""
        at = self.recipient.acknowledged_at
        return f"{timezone.localtime(at):%d/%m/%Y}" if at else ""


def _assignment_state(tasks, today: dt.date):
    """``task_state`` as a SQL expression over the Assignments of ``tasks`` (same rules, same day
    boundary: the day an answer came is its local date). The tasks are few and known, so their
    deadlines go in as constants: "answered by the deadline's local midnight" and "past its
    deadline" need neither a join to the tasks nor a time-zone conversion per row."""
    by_deadline: dict[dt.date, list[int]] = {}
    for t in tasks:
        by_deadline.setdefault(t.deadline, []).append(t.pk)
    on_time = Q(pk__in=[])
    for deadline, ids in by_deadline.items():
        # done_at's local date <= deadline  <=>  done_at < the local midnight after the deadline
        cutoff = timezone.make_aware(
            dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time())
        )
        on_time |= Q(task_id__in=ids, done_at__lt=cutoff)
    past = [pk for deadline, ids in by_deadline.items() if deadline < today for pk in ids]
    return Case(
        When(Q(done_at__isnull=False) & on_time, then=Value(TaskState.DONE_ON_TIME.value)),
        When(done_at__isnull=False, then=Value(TaskState.DONE_LATE.value)),
        When(task_id__in=past, then=Value(TaskState.OVERDUE.value)),
        When(recipient__acknowledged_at__isnull=False, then=Value(TaskState.ACKNOWLEDGED.value)),
        When(recipient__read_at__isnull=False, then=Value(TaskState.READ.value)),
        default=Value(TaskState.UNREAD.value),
        output_field=CharField(),
    )


def _recipient_state():
    """The state of a recipient of a document without tasks (it can never be overdue)."""
    return Case(
        When(acknowledged_at__isnull=False, then=Value(TaskState.ACKNOWLEDGED.value)),
        When(read_at__isnull=False, then=Value(TaskState.READ.value)),
        default=Value(TaskState.UNREAD.value),
        output_field=CharField(),
    )


def _recipient_rows(qs: QuerySet[Recipient]) -> QuerySet[Recipient]:
    """Recipients with their unit and state, only the columns the board, the XLSX and the API
    show (a unit row is wide)."""
    return (
        qs.select_related("unit")
        .only("document_id", "unit_id", "read_at", "acknowledged_at", "unit__name")
        .annotate(state=_recipient_state())
    )


class PageUnit:
    __slots__ = ("pk", "name")

    def __init__(self, pk: int, name: str):
        self.pk, self.name = pk, name

    def __str__(self) -> str:
        return self.name


class PageRecipient:
    """A recipient of a board page with what its row shows, read as values: a page of model
    instances with deferred fields cost more than the query that reads them."""

    __slots__ = ("pk", "unit_id", "unit", "read_at", "acknowledged_at", "state")

    def __init__(self, row: dict):
        self.pk = row["pk"]
        self.unit_id = row["unit_id"]
        self.unit = PageUnit(row["unit_id"], row["unit__name"])
        self.read_at = row["read_at"]
        self.acknowledged_at = row["acknowledged_at"]
        self.state = row["state"]


@dataclass
class Board:
    """Counts cover every recipient (set-based aggregates); ``recipients`` is the filtered,
    ordered queryset the page takes its rows from, and ``rows_for`` builds the rows of a page
    in two queries."""

    document: Document
    tasks: list
    recipients: QuerySet[Recipient]
    counts: dict[str, int]
    total: int
    late: int
    today: dt.date

    @property
    def count_items(self):
        return [(state, label, self.counts.get(state, 0)) for state, label in TaskState.choices]

    def recipients_in(self, ids) -> list[PageRecipient]:
        """The recipients of a page, given their ids in page order: the page itself is read from
        ``recipient_board_idx`` as ids alone, the units are joined for those rows only (sorting a
        deep page would otherwise join every recipient with its unit)."""
        ids = list(ids)
        if not ids:
            return []
        rows = (
            self.document.recipients.filter(pk__in=ids)
            .annotate(state=_recipient_state())
            .values("pk", "unit_id", "unit__name", "read_at", "acknowledged_at", "state")
        )
        by_pk = {r["pk"]: PageRecipient(r) for r in rows}
        return [by_pk[pk] for pk in ids if pk in by_pk]

    @cached_property
    def rows(self) -> list[Row]:
        """Every filtered row (the XLSX and the API); a page uses ``rows_for``."""
        return self.rows_for(list(self.recipients))

    def rows_for(self, recipients: list[Recipient]) -> list[Row]:
        ids = [r.pk for r in recipients]
        task_ids = [t.pk for t in self.tasks]
        # The cells' states by ``task_state`` below, from the recipients already loaded: the
        # query needs no join to the recipients (the counts' SQL follows the same rule, tested).
        assignments = (
            Assignment.objects.filter(recipient_id__in=ids, task_id__in=task_ids).values(
                "id",
                "task_id",
                "recipient_id",
                "done_at",
                "note",
                "answer_file",
                "answer_document_id",
                "answer_document__symbol",
            )
            if ids and task_ids
            else []
        )
        by_key = {(a["recipient_id"], a["task_id"]): a for a in assignments}
        reminders = (
            {
                r["recipient_id"]: r
                for r in Reminder.objects.filter(recipient_id__in=ids)
                .values("recipient_id")
                .annotate(n=Count("*"), last=Max("sent_at"))
                .order_by()
            }
            if ids
            else {}
        )
        labels = {state: str(label) for state, label in TaskState.choices}
        rows = []
        for recipient in recipients:
            cells = []
            states = set()
            for task in self.tasks:
                a = by_key.get((recipient.pk, task.pk))
                if a is None:
                    cells.append(Cell(task=task, assignment_id=None, state=None))
                    continue
                state = task_state(
                    deadline=task.deadline,
                    done_at=a["done_at"],
                    read_at=recipient.read_at,
                    acknowledged_at=recipient.acknowledged_at,
                    today=self.today,
                ).value
                states.add(state)
                cells.append(
                    Cell(
                        task=task,
                        assignment_id=a["id"],
                        state=state,
                        done_at=a["done_at"],
                        note=a["note"],
                        answer_symbol=a["answer_document__symbol"] or "",
                        answer_document_id=a["answer_document_id"],
                        has_file=bool(a["answer_file"]),
                        label=labels[state],
                    )
                )
            if not self.tasks:
                states.add(recipient.state)
            rem = reminders.get(recipient.pk, {})
            rows.append(
                Row(
                    recipient=recipient,
                    cells=cells,
                    reminders=rem.get("n", 0),
                    last_reminder=rem.get("last"),
                    states=states,
                )
            )
        return rows


def board(
    document: Document,
    *,
    today: dt.date,
    state: str = "",
    task_id: int | None = None,
    q: str = "",
    tasks: list | None = None,
) -> Board:
    """Recipient units × tasks with their states: counts by GROUP BY over every recipient (those
    matching ``q``), units with an overdue task over all of them; rows filtered by ``q`` and
    ``state``, read a page at a time. A fixed number of queries whatever the number of units."""
    tasks = list(document.tasks.all()) if tasks is None else list(tasks)  # (the view has them)
    if task_id is not None:
        tasks = [t for t in tasks if t.pk == task_id] or tasks
    task_ids = [t.pk for t in tasks]
    wanted = fold(q) if q else ""
    recipients = _recipient_rows(document.recipients).order_by("unit_path", "pk")
    if wanted:
        recipients = recipients.filter(unit__name_folded__contains=wanted)
    counts: dict[str, int] = {}
    if tasks:
        cells = Assignment.objects.filter(task_id__in=task_ids)
        # Units with an overdue task: the tasks past their deadline are known here.
        past = [t.pk for t in tasks if t.deadline < today]
        late = 0
        if wanted:
            cells = cells.filter(recipient__unit__name_folded__contains=wanted)
            if past:
                late = (
                    Assignment.objects.filter(task_id__in=past, done_at__isnull=True)
                    .values("recipient_id")
                    .distinct()
                    .count()
                )
        grouped = cells.annotate(s=_assignment_state(tasks, today)).values("s").order_by()
        if past and not wanted:
            # Unfiltered, the overdue cells are exactly the unanswered assignments of the past
            # tasks: their units are counted in the same scan rather than by a query of their own.
            grouped = list(
                grouped.annotate(
                    n=Count("*"),
                    units=Count(
                        "recipient_id",
                        distinct=True,
                        filter=Q(done_at__isnull=True, task_id__in=past),
                    ),
                )
            )
            late = sum(g["units"] for g in grouped if g["s"] == TaskState.OVERDUE)
        else:
            grouped = grouped.annotate(n=Count("*"))
        if state:
            recipients = recipients.filter(
                Exists(
                    Assignment.objects.filter(recipient=OuterRef("pk"), task_id__in=task_ids)
                    .annotate(s=_assignment_state(tasks, today))
                    .filter(s=state)
                )
            )
    else:
        late = 0
        grouped = recipients.order_by().values("state").annotate(n=Count("*"))
        grouped = [{"s": g["state"], "n": g["n"]} for g in grouped]
        if state:
            recipients = recipients.filter(state=state)
    for g in grouped:
        counts[g["s"]] = g["n"]
    return Board(
        document=document,
        tasks=tasks,
        recipients=recipients,
        counts=counts,
        total=sum(counts.values()),
        late=late,
        today=today,
    )


def board_workbook(b: Board) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    labels = dict(TaskState.choices)
    fills = {
        TaskState.DONE_ON_TIME: "C8E6C9",
        TaskState.DONE_LATE: "FFF9C4",
        TaskState.OVERDUE: "FFCDD2",
    }
    wb = Workbook()
    ws = wb.active
    ws.title = _("Theo dõi")
    doc = b.document
    # Abstracts, task titles, unit names and answer notes are typed by users: append_row keeps
    # them text ("=HYPERLINK(…)" in a commune's note must not run in the province's copy).
    append_row(ws, [f"{doc.symbol} · {doc.abstract}"], bold=True)
    append_row(ws, [_("Tình hình ngày %(day)s") % {"day": f"{b.today:%d/%m/%Y}"}])
    append_row(ws, [])
    header = [_("Đơn vị"), _("Đã nhận lúc")]
    for t in b.tasks:
        header += [
            _("%(task)s (hạn %(day)s)") % {"task": t.title, "day": f"{t.deadline:%d/%m/%Y}"},
            _("Trả lời"),
        ]
    header += [_("Số lần đôn đốc"), _("Lần đôn đốc gần nhất")]
    header_row = append_row(ws, header, bold=True)
    for cell in ws[header_row]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    for row in b.rows:
        values = [row.unit.name, row.recipient.acknowledged_at]
        for c in row.cells:
            answer = " · ".join(x for x in [c.answer_symbol, c.note] if x)
            values += [str(labels.get(c.state, "")) if c.state else "", answer]
        values += [row.reminders, row.last_reminder]  # aware times: written in local time
        r = append_row(ws, values)
        for i, c in enumerate(row.cells):
            if c.state in fills:
                ws.cell(r, 3 + 2 * i).fill = PatternFill("solid", fgColor=fills[c.state])
        for col in (2, len(values)):
            ws.cell(r, col).number_format = "dd/mm/yyyy hh:mm"
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 18
    for i in range(3, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 22
    ws.freeze_panes = "B5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def task_outcomes_sql(*, grouping, periods, today: dt.date) -> tuple[str, list]:
    """(period, bucket, outcome, assignments) by the task's deadline and the recipient unit's
    path, with ``task_state``'s rules in SQL: "done" on time (answered by the deadline's local
    day), "late", "overdue" (unanswered, deadline before ``today``), or "pending" (unanswered,
    deadline not yet past). ``grouping`` and ``periods`` are reports.figures' SQL builders."""
    from django.db import connection

    ops = connection.ops
    done_day, p0 = ops.datetime_cast_date_sql("a.done_at", (), timezone.get_current_timezone_name())
    period, p1 = periods.index_sql("t.deadline")
    bucket, p2 = grouping.bucket_sql("r.unit_path")
    scope, p3 = grouping.scope_sql("r.unit_path")
    when, p4 = periods.where_sql("t.deadline")
    outcome = (
        "CASE WHEN a.done_at IS NULL THEN "
        "CASE WHEN t.deadline < %s THEN 'overdue' ELSE 'pending' END "
        f"WHEN {done_day} <= t.deadline THEN 'done' ELSE 'late' END"
    )
    sql = (
        f"SELECT {period}, {bucket}, {outcome}, COUNT(*) FROM {Assignment._meta.db_table} a "  # noqa: S608 (names from code; every value is a parameter)
        "JOIN plans_task t ON t.id = a.task_id JOIN plans_recipient r ON r.id = a.recipient_id "
        f"WHERE {scope} AND {when} GROUP BY 1, 2, 3"
    )
    return sql, [*p1, *p2, ops.adapt_datefield_value(today), *p0, *p3, *p4]
