"""Documents, tasks, answers and the compliance board over the JSON API (same access rules)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from guongsang.api.fields import Pagination, Year

from . import access, queries, services

try:
    from ninja import Status
except ImportError:  # django-ninja < 1.5 returns (status, body) tuples

    def Status(status_code, value):  # noqa: N802
        return status_code, value


from .models import Assignment, DocType, Document, TaskState

router = Router(tags=["plans"])


class DocumentOut(Schema):
    id: int
    symbol: str
    doc_type: str
    organ: str
    status: str
    unit_id: int
    issuer: str
    abstract: str
    place: str
    issued_on: dt.date | None
    implements_ref: str
    parent_id: int | None

    @staticmethod
    def resolve_issuer(obj: Document) -> str:
        return obj.unit.union_name


class DocumentDetailOut(DocumentOut):
    body: str
    signer: str
    recipients_text: str
    recipient_unit_ids: list[int]

    @staticmethod
    def resolve_signer(obj: Document) -> str:
        return " ".join(
            x for x in [obj.authority, obj.authority_of, obj.signer_title, obj.signer_name] if x
        )

    @staticmethod
    def resolve_recipient_unit_ids(obj: Document) -> list[int]:
        return list(obj.recipients.order_by("unit__path").values_list("unit_id", flat=True))


class DocumentFilter(Schema):
    box: str = "all"  # inbox, outbox, all
    q: str | None = None
    doc_type: DocType | None = None
    year: Year | None = None


class AssignmentOut(Schema):
    id: int
    unit_id: int
    unit: str
    state: str
    done_at: dt.datetime | None
    note: str
    answer_document_id: int | None


class TaskOut(Schema):
    id: int
    kind: str
    title: str
    deadline: dt.date
    mine: list[AssignmentOut]


class TaskAnswerIn(Schema):
    note: str = ""
    answer_document_id: int | None = None


class PlanErrorOut(Schema):
    detail: str


class CellOut(Schema):
    task_id: int
    state: str | None
    done_at: dt.datetime | None
    answer_document_id: int | None
    note: str


class BoardRowOut(Schema):
    unit_id: int
    unit: str
    acknowledged_at: dt.datetime | None
    reminders: int
    last_reminder: dt.datetime | None
    cells: list[CellOut]


class BoardOut(Schema):
    document_id: int
    today: dt.date
    counts: dict[str, int]
    late_units: int
    rows: list[BoardRowOut]


@router.get("/documents", response=list[DocumentOut])
@paginate(Pagination, page_size=50)
def list_documents(request, filters: Query[DocumentFilter]):
    """Documents the token holder may see: box=inbox (addressed to her units), outbox, all."""
    if filters.box == "inbox":
        qs = access.inbox_for(request.user)
    elif filters.box == "outbox":
        qs = access.outbox_for(request.user)
    else:
        qs = access.documents_for(request.user)
    qs = queries.search(
        qs,
        q=filters.q or "",
        doc_type=filters.doc_type or "",
        year=str(filters.year or ""),
    )
    return qs.select_related("unit").order_by("-issued_on", "-pk")


@router.get("/documents/{document_id}", response={200: DocumentDetailOut, 404: PlanErrorOut})
def document_detail(request, document_id: int):
    return access.get_document(request.user, document_id)


def _assignment_out(a: Assignment, today) -> dict:
    return {
        "id": a.pk,
        "unit_id": a.recipient.unit_id,
        "unit": a.recipient.unit.name,
        "state": a.state(today),
        "done_at": a.done_at,
        "note": a.note,
        "answer_document_id": a.answer_document_id,
    }


@router.get("/documents/{document_id}/tasks", response={200: list[TaskOut], 404: PlanErrorOut})
def document_tasks(request, document_id: int):
    """Tasks of a document; ``mine`` holds the assignments the token holder answers."""
    document = access.get_document(request.user, document_id)
    acting = access.acting_recipients(request.user, document)
    today = timezone.localdate()
    mine: dict[int, list] = {}
    for a in Assignment.objects.filter(recipient__in=acting).select_related(
        "task", "recipient__unit"
    ):
        mine.setdefault(a.task_id, []).append(_assignment_out(a, today))
    return [
        {
            "id": t.pk,
            "kind": t.kind,
            "title": t.title,
            "deadline": t.deadline,
            "mine": mine.get(t.pk, []),
        }
        for t in document.tasks.all()
    ]


@router.post(
    "/documents/{document_id}/assignments/{assignment_id}/answer",
    response={201: AssignmentOut, 400: PlanErrorOut, 404: PlanErrorOut},
)
def answer_assignment(request, document_id: int, assignment_id: int, payload: TaskAnswerIn):
    """Answer a task for one's unit: a note and/or a document the unit issued."""
    document = access.get_document(request.user, document_id)
    assignment = access.get_assignment(request.user, document, assignment_id)
    answer_document = None
    if payload.answer_document_id is not None:
        answer_document = access.get_document(request.user, payload.answer_document_id)
    try:
        assignment = services.assignment_answer(
            assignment=assignment,
            by=request.user,
            note=payload.note,
            answer_document=answer_document,
        )
    except ValidationError as exc:
        return Status(400, {"detail": " ".join(exc.messages)})
    assignment = Assignment.objects.select_related("task", "recipient__unit").get(pk=assignment.pk)
    return Status(201, _assignment_out(assignment, timezone.localdate()))


@router.get("/documents/{document_id}/board", response={200: BoardOut, 404: PlanErrorOut})
def document_board(request, document_id: int, state: TaskState | None = None, q: str = ""):
    """The compliance board of a document the token holder issued (or may edit for)."""
    document = access.get_document(request.user, document_id, manage=True)
    if not document.is_issued:
        raise Http404
    b = queries.board(document, today=timezone.localdate(), state=state or "", q=q)
    return {
        "document_id": document.pk,
        "today": b.today,
        "counts": b.counts,
        "late_units": b.late,
        "rows": [
            {
                "unit_id": row.unit.pk,
                "unit": row.unit.name,
                "acknowledged_at": row.recipient.acknowledged_at,
                "reminders": row.reminders,
                "last_reminder": row.last_reminder,
                "cells": [
                    {
                        "task_id": c.task.pk,
                        "state": c.state,
                        "done_at": c.done_at,
                        "answer_document_id": c.answer_document_id,
                        "note": c.note,
                    }
                    for c in row.cells
                ],
            }
            for row in b.rows
        ],
    }
