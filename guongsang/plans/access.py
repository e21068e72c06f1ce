"""Fetch-and-authorise helpers for documents, built only on ``guongsang.units.access``.

A user sees a document when it was issued inside her subtree (a draft: only with EDIT on the
issuing unit) or when it was addressed to a unit she may view. She acts for a recipient unit
(reads, acknowledges, answers) when she may edit that unit but not the issuing unit, so an
issuer never answers her own plan. Missing and forbidden raise the same ``Http404``.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from guongsang.accounts.models import User
from guongsang.units import access
from guongsang.units.access import Perm

from .models import Assignment, Attachment, DocStatus, Document, Recipient


def documents_for(user: User | None) -> QuerySet[Document]:
    addressed = Recipient.objects.filter(
        access.scope_q(user, Perm.VIEW, "unit__"), document=OuterRef("pk")
    )
    issued = Q(status=DocStatus.ISSUED) & access.either(
        access.scope_q(user, Perm.VIEW, "unit__"), Exists(addressed)
    )
    drafts = Q(status=DocStatus.DRAFT) & access.scope_q(user, Perm.EDIT, "unit__")
    return Document.objects.filter(issued | drafts)


def inbox_for(user: User | None) -> QuerySet[Document]:
    """Issued documents addressed to units the user works for, from outside her own scope."""
    edit = access.scope_q(user, Perm.EDIT, "unit__")
    if not edit:  # a superuser's scope (no condition): nothing comes from outside it
        return Document.objects.none()
    addressed = Recipient.objects.filter(edit, document=OuterRef("pk"))
    return Document.objects.filter(status=DocStatus.ISSUED).filter(Exists(addressed)).exclude(edit)


def outbox_for(user: User | None) -> QuerySet[Document]:
    return Document.objects.filter(access.scope_q(user, Perm.EDIT, "unit__"))


def get_document(user: User | None, pk, *, manage: bool = False) -> Document:
    """The document ``pk`` if the user may see it (``manage``: may edit for its issuer)."""
    qs = outbox_for(user) if manage else documents_for(user)
    return access.get_or_404(qs.select_related("unit", "parent"), pk)


def can_manage(user: User | None, document: Document) -> bool:
    return access.can(user, Perm.EDIT, document.unit)


def may_act_for(user: User | None, document: Document, unit) -> bool:
    return access.can(user, Perm.EDIT, unit) and not access.can(user, Perm.EDIT, document.unit)


def acting_recipients(user: User | None, document: Document) -> list[Recipient]:
    """Recipient rows of ``document`` the user answers for (usually none or one)."""
    if not document.is_issued or access.can(user, Perm.EDIT, document.unit):
        return []
    return list(
        document.recipients.filter(access.scope_q(user, Perm.EDIT, "unit__"))
        .select_related("unit")
        .order_by("unit__path")
    )


def get_assignment(user: User | None, document: Document, pk) -> Assignment:
    """An assignment of ``document`` the user may answer, else 404."""
    assignment = access.get_or_404(
        Assignment.objects.select_related("task", "recipient", "recipient__unit"),
        pk,
        task__document=document,
    )
    if not document.is_issued or not may_act_for(user, document, assignment.recipient.unit):
        raise Http404
    return assignment


def get_answer_file(user: User | None, document: Document, pk) -> Assignment:
    """An answer file is read by the issuer's side and by the answering unit's readers only."""
    assignment = access.get_or_404(
        Assignment.objects.select_related("recipient__unit"), pk, task__document=document
    )
    if not assignment.answer_file:
        raise Http404
    if not (can_manage(user, document) or access.can(user, Perm.VIEW, assignment.recipient.unit)):
        raise Http404
    return assignment


def get_attachment(user: User | None, document: Document, pk) -> Attachment:
    return access.get_or_404(document.attachments.all(), pk)


def issuing_units(user: User | None):
    """Units the user may issue documents for: unions (not branches or departments)."""
    from guongsang.units.models import UnitKind

    return (
        access.units_for(user, Perm.EDIT)
        .current()
        .filter(kind__in=[UnitKind.CENTRAL, UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE])
        .order_by("path")
    )
