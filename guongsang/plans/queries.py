"""Reused reads: document lists and the compliance board (a fixed number of queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from guongsang.core.text import fold, search_tokens
from guongsang.units import access
from guongsang.units.access import Perm

from .models import Assignment, Document, Recipient, Reminder, TaskState, task_state


def search(qs: QuerySet[Document], *, q: str = "", doc_type: str = "", year: str = ""):
    if q:
        # Accent-insensitive on the abstract ("ke hoach tuyen truyen"), as typed on the symbol.
        words = Q()
        for token in search_tokens(q):
            words &= Q(abstract_folded__contains=token)
        qs = qs.filter(words | Q(symbol__icontains=q.strip()))
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if year and year.isdigit():
        qs = qs.filter(Q(year=int(year)) | Q(year__isnull=True, created_at__year=int(year)))
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

    @property
    def label(self) -> str:
        return str(TaskState(self.state).label) if self.state else ""


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


@dataclass
class Board:
    document: Document
    tasks: list
    rows: list[Row]
    counts: dict[str, int]
    total: int
    late: int
    today: dt.date

    @property
    def count_items(self):
        return [(state, label, self.counts.get(state, 0)) for state, label in TaskState.choices]


def board(
    document: Document,
    *,
    today: dt.date,
    state: str = "",
    task_id: int | None = None,
    q: str = "",
) -> Board:
    """Recipient units × tasks with their states. Five queries whatever the number of rows."""
    tasks = list(document.tasks.all())
    if task_id is not None:
        tasks = [t for t in tasks if t.pk == task_id] or tasks
    recipients = list(document.recipients.select_related("unit").order_by("unit__path"))
    assignments = Assignment.objects.filter(task__document=document).values(
        "id",
        "task_id",
        "recipient_id",
        "done_at",
        "note",
        "answer_file",
        "answer_document_id",
        "answer_document__symbol",
    )
    by_key = {(a["recipient_id"], a["task_id"]): a for a in assignments}
    reminders = {
        r["recipient_id"]: r
        for r in Reminder.objects.filter(recipient__document=document)
        .values("recipient_id")
        .annotate(n=Count("*"), last=Max("sent_at"))
    }
    wanted = fold(q) if q else ""
    counts: dict[str, int] = {}
    rows = []
    total = 0
    late_units = 0
    for recipient in recipients:
        cells = []
        states = set()
        for task in tasks:
            a = by_key.get((recipient.pk, task.pk))
            if a is None:
                cells.append(Cell(task=task, assignment_id=None, state=None))
                continue
            s = task_state(
                deadline=task.deadline,
                done_at=a["done_at"],
                read_at=recipient.read_at,
                acknowledged_at=recipient.acknowledged_at,
                today=today,
            )
            states.add(s)
            cells.append(
                Cell(
                    task=task,
                    assignment_id=a["id"],
                    state=s,
                    done_at=a["done_at"],
                    note=a["note"],
                    answer_symbol=a["answer_document__symbol"] or "",
                    answer_document_id=a["answer_document_id"],
                    has_file=bool(a["answer_file"]),
                )
            )
        if not tasks:
            s = task_state(
                deadline=dt.date.max,
                done_at=None,
                read_at=recipient.read_at,
                acknowledged_at=recipient.acknowledged_at,
                today=today,
            )
            states.add(s)
        if TaskState.OVERDUE in states:
            late_units += 1
        if wanted and wanted not in recipient.unit.name_folded:
            continue
        for c in cells:
            if c.state:
                counts[c.state] = counts.get(c.state, 0) + 1
                total += 1
        if not tasks:
            for s in states:
                counts[s] = counts.get(s, 0) + 1
                total += 1
        if state and state not in states:
            continue
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
    return Board(
        document=document,
        tasks=tasks,
        rows=rows,
        counts=counts,
        total=total,
        late=late_units,
        today=today,
    )


def board_workbook(b: Board) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
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
    ws.append([f"{doc.symbol} · {doc.abstract}"])
    ws["A1"].font = Font(bold=True)
    ws.append([_("Tình hình ngày %(day)s") % {"day": f"{b.today:%d/%m/%Y}"}])
    ws.append([])
    header = [_("Đơn vị"), _("Đã nhận lúc")]
    for t in b.tasks:
        header += [
            _("%(task)s (hạn %(day)s)") % {"task": t.title, "day": f"{t.deadline:%d/%m/%Y}"},
            _("Trả lời"),
        ]
    header += [_("Số lần đôn đốc"), _("Lần đôn đốc gần nhất")]
    ws.append(header)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    def local(value):
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None) if value else None

    for row in b.rows:
        values = [row.unit.name, local(row.recipient.acknowledged_at)]
        for c in row.cells:
            answer = " · ".join(x for x in [c.answer_symbol, c.note] if x)
            values += [str(labels.get(c.state, "")) if c.state else "", answer]
        values += [row.reminders, local(row.last_reminder)]
        ws.append(values)
        r = ws.max_row
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
