"""Writes of documents: drafts, issuing with a gapless number, delivery, answers, reminders.

Every function takes keyword-only arguments, re-checks rights with the access layer, validates
with Vietnamese messages and writes inside one transaction; notifications go out through
``notifications.services.notify`` (its e-mails after commit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.accounts.models import Membership, Role, User
from guongsang.core import bulk
from guongsang.core.uploads import CleanFile
from guongsang.notifications.models import NotificationKind
from guongsang.notifications.services import notify
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import Unit, UnitKind

from .models import (
    Assignment,
    Attachment,
    Authority,
    DocStatus,
    DocType,
    Document,
    Organ,
    Recipient,
    Register,
    Reminder,
    Task,
    TaskKind,
    TaskState,
    format_symbol,
    task_state,
)

PLACE_PREFIXES = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Xã ", "Phường ", "Đặc khu ")
ISSUER_KINDS = {UnitKind.CENTRAL, UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE}
SCOPE_KINDS = [UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.BRANCH]
# A managed task may name its recipients through the app that owns it: scope "app:key", a
# function of the task returning the units (e.g. emulation's cross-check goes only to the
# blocks' leaders and deputies). Registered by the owning app's ``ready()``; only units in the
# issuer's subtree are kept.
SCOPE_RESOLVERS: dict[str, Callable[[Task], Iterable[Unit]]] = {}


@dataclass
class TaskSpec:
    kind: str
    title: str
    deadline: dt.date
    scope: str = ""  # "" = every recipient; a unit kind = every current unit of it in the subtree


def default_place(unit: Unit) -> str:
    """The place on the date line: "Cao Bằng" for the provincial union, "Hà Nội" for the centre."""
    if unit.kind == UnitKind.CENTRAL:
        return "Hà Nội"
    name = unit.name
    for prefix in PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def officers_of(units) -> list[User]:
    """Users holding an admin or staff role on the units themselves (not above them)."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__unit__in=units,
            memberships__role__in=[Role.ADMIN, Role.STAFF],
        ).distinct()
    )


def _check_fields(
    *, unit, organ, doc_type, abstract, place, drafting_code, authority, recipients, tasks, by
):
    errors: dict[str, list[str]] = {}
    if not access.can(by, Perm.EDIT, unit) or unit.kind not in ISSUER_KINDS:
        errors.setdefault("unit", []).append(_("Bạn không thể ban hành văn bản cho đơn vị này."))
    if organ not in Organ.values:
        errors.setdefault("organ", []).append(_("Chọn cơ quan ban hành."))
    if doc_type not in DocType.values:
        errors.setdefault("doc_type", []).append(_("Chọn loại văn bản."))
    if not abstract:
        errors.setdefault("abstract", []).append(_("Nhập trích yếu nội dung văn bản."))
    if not place:
        errors.setdefault("place", []).append(_("Nhập địa danh."))
    if doc_type == DocType.CV and not drafting_code:
        errors.setdefault("drafting_code", []).append(
            _("Công văn cần ký hiệu đơn vị soạn thảo, ví dụ KT (số ký hiệu 314/BTV-KT).")
        )
    if drafting_code and not drafting_code.replace("Đ", "D").isalnum():
        errors.setdefault("drafting_code", []).append(
            _("Ký hiệu đơn vị soạn thảo chỉ gồm chữ in hoa và số, ví dụ KT.")
        )
    if authority not in Authority.values:
        errors.setdefault("authority", []).append(_("Quyền hạn ký không hợp lệ."))
    outside = [r.name for r in recipients if r.pk == unit.pk or not r.is_descendant_of(unit)]
    if outside:
        errors.setdefault("recipients", []).append(
            _("Đơn vị nhận phải thuộc đơn vị ban hành: %(names)s.") % {"names": ", ".join(outside)}
        )
    for i, spec in enumerate(tasks, start=1):
        if spec.kind not in TaskKind.values or not spec.title or spec.deadline is None:
            errors.setdefault("tasks", []).append(
                _("Nhiệm vụ %(n)s: cần loại, nội dung và hạn.") % {"n": i}
            )
        if spec.scope and spec.scope not in SCOPE_KINDS:
            errors.setdefault("tasks", []).append(
                _("Nhiệm vụ %(n)s: phạm vi không hợp lệ.") % {"n": i}
            )
    if tasks and not recipients and not any(spec.scope for spec in tasks):
        errors.setdefault("recipients", []).append(
            _("Văn bản có nhiệm vụ thì phải có đơn vị nhận.")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def document_save(
    *,
    by: User,
    unit: Unit,
    organ: str,
    doc_type: str,
    abstract: str,
    body: str = "",
    place: str = "",
    drafting_code: str = "",
    implements_ref: str = "",
    parent: Document | None = None,
    answering: Assignment | None = None,
    authority: str = "",
    authority_of: str = "",
    signer_title: str = "",
    signer_name: str = "",
    recipients_text: str = "",
    archive: str = "VT",
    recipients: list[Unit] = (),
    tasks: list[TaskSpec] = (),
    attachment: CleanFile | None = None,
    document: Document | None = None,
) -> Document:
    """Create a draft, or replace the content of ``document`` while it is still a draft."""
    abstract = " ".join((abstract or "").split())
    place = (place or "").strip() or default_place(unit)
    drafting_code = (drafting_code or "").strip().upper()
    recipients = list(dict.fromkeys(recipients))
    tasks = list(tasks)
    _check_fields(
        unit=unit,
        organ=organ,
        doc_type=doc_type,
        abstract=abstract,
        place=place,
        drafting_code=drafting_code,
        authority=authority,
        recipients=recipients,
        tasks=tasks,
        by=by,
    )
    if parent is not None and not parent.is_issued:
        raise ValidationError({"parent": _("Văn bản cấp trên chưa ban hành.")})
    if answering is not None and not access.can(by, Perm.EDIT, answering.recipient.unit):
        raise ValidationError(_("Bạn không thể trả lời nhiệm vụ này."))
    if authority == Authority.TM and not authority_of:
        authority_of = Organ(organ).label.upper()
    if document is None:
        document = Document(created_by=by)
    else:
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.is_issued:
            raise ValidationError(_("Văn bản đã ban hành, không sửa được."))
        if not access.can(by, Perm.EDIT, document.unit):
            raise ValidationError(_("Bạn không có quyền sửa văn bản này."))
    fields = dict(
        unit=unit,
        organ=organ,
        doc_type=doc_type,
        abstract=abstract,
        body=(body or "").replace("\r\n", "\n").strip(),
        place=place,
        drafting_code=drafting_code,
        implements_ref=(implements_ref or "").strip(),
        parent=parent,
        answering=answering,
        authority=authority,
        authority_of=(authority_of or "").strip(),
        signer_title=(signer_title or "").strip(),
        signer_name=(signer_name or "").strip(),
        recipients_text=(recipients_text or "").replace("\r\n", "\n").strip(),
        archive=(archive or "").strip() or "VT",
    )
    for key, value in fields.items():
        setattr(document, key, value)
    document.full_clean(exclude=["created_by", "issued_by", "answering", "parent"])
    document.save()
    document.recipients.exclude(unit__in=recipients).delete()
    have = set(document.recipients.values_list("unit_id", flat=True))
    bulk.bulk_create(
        Recipient, [Recipient(document=document, unit=u) for u in recipients if u.pk not in have]
    )
    # Tasks owned by another app (a reporting round) stay; they follow the document's own.
    document.tasks.filter(managed_by="").delete()
    Task.objects.bulk_create(
        [
            Task(
                document=document,
                kind=s.kind,
                title=s.title.strip(),
                deadline=s.deadline,
                scope=s.scope,
                order=i,
            )
            for i, s in enumerate(tasks)
        ]
    )
    document.tasks.exclude(managed_by="").update(order=len(tasks))
    if attachment is not None:
        attachment_add(document=document, by=by, file=attachment)
    return document


def attachment_add(*, document: Document, by: User, file: CleanFile) -> Attachment:
    if not access.can(by, Perm.EDIT, document.unit):
        raise ValidationError(_("Bạn không có quyền đính kèm tệp vào văn bản này."))
    att = Attachment(
        document=document, name=file.name, size=file.size, kind=file.kind, uploaded_by=by
    )
    att.file.save(file.name, ContentFile(file.data), save=False)
    att.save()
    return att


def _next_number(document: Document, year: int) -> int:
    """Draw the next number of the register; the row lock serialises concurrent issuers and
    a rollback returns the number, so the sequence has no gaps."""
    register, _created = Register.objects.get_or_create(
        unit_id=document.unit_id, organ=document.organ, year=year
    )
    register = Register.objects.select_for_update().get(pk=register.pk)
    register.last_number += 1
    register.save(update_fields=["last_number"])
    return register.last_number


def _scope_units(document: Document, kind: str, task: Task | None = None) -> list[Unit]:
    units = Unit.objects.subtree_of(document.unit, include_self=False).current(document.issued_on)
    if kind in SCOPE_RESOLVERS:
        wanted = [u.pk for u in SCOPE_RESOLVERS[kind](task)]
        return list(units.filter(pk__in=wanted).order_by("path"))
    return list(units.filter(kind=kind))


@transaction.atomic
def document_issue(*, document: Document, by: User, on: dt.date | None = None) -> Document:
    """Issue a draft: number and symbol from the register, delivery to the recipient units,
    one assignment per task and recipient, notifications to the recipients' officers."""
    document = Document.objects.select_for_update().select_related("unit").get(pk=document.pk)
    if not access.can(by, Perm.EDIT, document.unit):
        raise ValidationError(_("Bạn không có quyền ban hành văn bản này."))
    if document.is_issued:
        raise ValidationError(_("Văn bản đã được ban hành."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"issued_on": _("Ngày ban hành không được sau hôm nay.")})
    document.issued_on = on
    tasks = list(document.tasks.all())
    if tasks and not document.recipients.exists() and not any(t.scope for t in tasks):
        raise ValidationError(_("Văn bản có nhiệm vụ thì phải có đơn vị nhận."))
    number = _next_number(document, on.year)
    document.number = number
    document.year = on.year
    document.symbol = format_symbol(document, number)
    document.status = DocStatus.ISSUED
    document.issued_by = by
    document.issued_at = timezone.now()
    document.save()

    # Units named by a task's scope are recipients too.
    scoped = {t.scope: _scope_units(document, t.scope, t) for t in tasks if t.scope}
    have = set(document.recipients.values_list("unit_id", flat=True))
    extra = {u.pk: u for units in scoped.values() for u in units if u.pk not in have}
    bulk.bulk_create(Recipient, [Recipient(document=document, unit=u) for u in extra.values()])
    by_unit = {r.unit_id: r for r in document.recipients.all()}
    assignments = []
    for task in tasks:
        units = [u.pk for u in scoped[task.scope]] if task.scope else list(by_unit)
        assignments += [Assignment(task=task, recipient=by_unit[pk]) for pk in units]
    Assignment.objects.bulk_create(assignments)

    if document.answering_id:
        _answer_with_document(document)

    link = reverse("plans:detail", args=[document.pk])
    notify(
        users=officers_of(list(by_unit)),
        text=_("Văn bản mới %(symbol)s của %(issuer)s: %(abstract)s")
        % {
            "symbol": document.symbol,
            "issuer": document.unit.union_name,
            "abstract": document.abstract,
        },
        link=link,
        kind=NotificationKind.DOCUMENT,
        unit=document.unit,
    )
    return document


def _answer_with_document(document: Document) -> None:
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("recipient", "task__document")
        .get(pk=document.answering_id)
    )
    if assignment.recipient.unit_id != document.unit_id or assignment.done_at:
        return
    assignment.answer_document = document
    # Done on the day the answering document was issued (it may be entered after the fact).
    if document.issued_on < timezone.localdate():
        assignment.done_at = timezone.make_aware(
            dt.datetime.combine(document.issued_on, dt.time(12))
        )
    else:
        assignment.done_at = timezone.now()
    assignment.done_by = document.issued_by
    assignment.save()
    _after_answer(assignment, document.issued_by)


def mark_read(*, recipients: list[Recipient]) -> None:
    ids = [r.pk for r in recipients if r.read_at is None]
    if ids:
        Recipient.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def document_acknowledge(*, recipient: Recipient, by: User) -> Recipient:
    document = recipient.document
    if not document.is_issued or not (
        access.can(by, Perm.EDIT, recipient.unit) and not access.can(by, Perm.EDIT, document.unit)
    ):
        raise ValidationError(_("Bạn không thể xác nhận thay đơn vị này."))
    recipient = Recipient.objects.select_for_update().get(pk=recipient.pk)
    now = timezone.now()
    if recipient.acknowledged_at is None:
        recipient.acknowledged_at = now
        recipient.acknowledged_by = by
        recipient.read_at = recipient.read_at or now
        recipient.save()
    return recipient


@transaction.atomic
def assignment_answer(
    *,
    assignment: Assignment,
    by: User,
    note: str = "",
    answer_document: Document | None = None,
    file: CleanFile | None = None,
) -> Assignment:
    """A recipient unit answers a task: its own issued document, a file, or a note."""
    recipient = assignment.recipient
    document = assignment.task.document
    if not (
        document.is_issued
        and access.can(by, Perm.EDIT, recipient.unit)
        and not access.can(by, Perm.EDIT, document.unit)
    ):
        raise ValidationError(_("Bạn không thể trả lời nhiệm vụ thay đơn vị này."))
    if assignment.task.managed_by:
        raise ValidationError(_("Nhiệm vụ này được trả lời bằng cách nộp báo cáo theo biểu mẫu."))
    note = (note or "").strip()
    if answer_document is not None and (
        answer_document.unit_id != recipient.unit_id or not answer_document.is_issued
    ):
        raise ValidationError(
            {"answer_document": _("Chỉ chọn được văn bản đã ban hành của chính đơn vị.")}
        )
    if not (note or answer_document or file):
        raise ValidationError(
            _("Hãy chọn văn bản của đơn vị, đính kèm tệp hoặc ghi kết quả thực hiện.")
        )
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.done_at is not None:
        raise ValidationError(_("Nhiệm vụ này đã được trả lời."))
    assignment.note = note
    assignment.answer_document = answer_document
    if file is not None:
        assignment.answer_file.save(file.name, ContentFile(file.data), save=False)
        assignment.answer_file_name = file.name
    assignment.done_at = timezone.now()
    assignment.done_by = by
    assignment.save()
    Recipient.objects.filter(pk=recipient.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=assignment.done_at, acknowledged_by=by
    )
    Recipient.objects.filter(pk=recipient.pk, read_at__isnull=True).update(
        read_at=assignment.done_at
    )
    assignment.task.document = document
    assignment.recipient = recipient
    _after_answer(assignment, by)
    return assignment


def managed_task_add(*, by: User, document: Document, spec: TaskSpec, managed_by: str) -> Task:
    """Add a task owned by another app (``managed_by``) to a draft document of ``by``'s."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.is_issued:
        raise ValidationError(_("Văn bản đã ban hành, không thêm nhiệm vụ được."))
    if not access.can(by, Perm.EDIT, document.unit):
        raise ValidationError(_("Bạn không có quyền sửa văn bản này."))
    if spec.scope and spec.scope not in SCOPE_KINDS and spec.scope not in SCOPE_RESOLVERS:
        raise ValidationError({"scope": _("Cấp nhận nhiệm vụ không hợp lệ.")})
    title = " ".join(spec.title.split())
    if not title:
        raise ValidationError({"title": _("Hãy nhập tên nhiệm vụ.")})
    return Task.objects.create(
        document=document,
        kind=spec.kind,
        title=title[:300],
        deadline=spec.deadline,
        scope=spec.scope,
        order=document.tasks.count(),
        managed_by=managed_by,
    )


def managed_assignment_done(*, assignment: Assignment, by: User) -> Assignment:
    """The owning app says the unit has answered (e.g. submitted its report). The caller has
    checked the rights and holds the transaction; done on time or late follows the deadline."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("task__document__unit", "recipient__unit")
        .get(pk=assignment.pk)
    )
    if not assignment.task.managed_by:
        raise ValueError("not a managed task")
    now = timezone.now()
    assignment.done_at = now
    assignment.done_by = by
    assignment.save(update_fields=["done_at", "done_by"])
    Recipient.objects.filter(pk=assignment.recipient_id, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=by
    )
    Recipient.objects.filter(pk=assignment.recipient_id, read_at__isnull=True).update(read_at=now)
    _after_answer(assignment, by)
    return assignment


def managed_assignment_reopen(*, assignment: Assignment) -> Assignment:
    """The owning app took the answer back (e.g. returned the report): the task is open again
    and shows as overdue on the board once its deadline has passed."""
    if not assignment.task.managed_by:
        raise ValueError("not a managed task")
    Assignment.objects.filter(pk=assignment.pk).update(done_at=None, done_by=None)
    assignment.done_at = None
    assignment.done_by = None
    return assignment


def _after_answer(assignment: Assignment, by: User | None) -> None:
    document = assignment.task.document
    notify(
        users=[u for u in officers_of([document.unit_id]) if u != by],
        text=_("%(unit)s đã trả lời nhiệm vụ “%(task)s” của %(symbol)s")
        % {
            "unit": assignment.recipient.unit.union_name,
            "task": assignment.task.title,
            "symbol": document.symbol,
        },
        link=reverse("plans:board", args=[document.pk]),
        kind=NotificationKind.ANSWER,
        unit=assignment.recipient.unit,
    )


def late_recipients(
    document: Document, today: dt.date, only: list[int] | None = None
) -> list[Recipient]:
    """Recipients with at least one task past its deadline and not done (among ``only``, ids,
    when given: the query then reads those recipients' assignments only)."""
    late = Assignment.objects.filter(
        task__document=document, done_at__isnull=True, task__deadline__lt=today
    )
    if only is not None:
        late = late.filter(recipient_id__in=only)
    late_ids = set(late.values_list("recipient_id", flat=True))
    return list(document.recipients.filter(pk__in=late_ids).select_related("unit"))


@transaction.atomic
def remind_late(
    *, document: Document, by: User, today: dt.date | None = None, only: list[int] | None = None
) -> list[Reminder]:
    """Đôn đốc: notify the officers of every late recipient unit (or of those in ``only``) and
    record it on the board. In one transaction: the board's view calls it for a few units;
    ``plans.tasks.remind_late_job`` calls it batch by batch for many."""
    if not access.can(by, Perm.EDIT, document.unit):
        raise ValidationError(_("Bạn không có quyền đôn đốc văn bản này."))
    today = today or timezone.localdate()
    late = late_recipients(document, today, only)
    if not late:
        raise ValidationError(_("Không có đơn vị nào chậm thực hiện."))
    now = timezone.now()
    link = reverse("plans:detail", args=[document.pk])
    text = _(
        "Đôn đốc: %(symbol)s của %(issuer)s có nhiệm vụ đã quá hạn, đề nghị đơn vị khẩn trương thực hiện và trả lời."
    ) % {
        "symbol": document.symbol,
        "issuer": document.unit.union_name,
    }
    people: dict[int, list[User]] = {}
    memberships = Membership.objects.filter(
        unit_id__in=[r.unit_id for r in late],
        role__in=[Role.ADMIN, Role.STAFF],
        user__is_active=True,
    ).select_related("user")
    for m in memberships:
        people.setdefault(m.unit_id, []).append(m.user)
    reminders = []
    for recipient in late:
        users = people.get(recipient.unit_id, [])
        notify(
            users=users,
            text=text,
            link=link,
            kind=NotificationKind.REMINDER,
            unit=recipient.unit,
        )
        reminders.append(
            Reminder(recipient=recipient, sent_at=now, sent_by=by, text=text, people=len(users))
        )
    return Reminder.objects.bulk_create(reminders)


REMINDER_MAX = 500


@transaction.atomic
def remind_unit(*, document: Document, recipient: Recipient, by: User, message: str) -> Reminder:
    """Đôn đốc one recipient unit with the sender's own words (late or not): its officers are
    notified with the message and a link to the document, and the board records it."""
    if not access.can(by, Perm.EDIT, document.unit):
        raise ValidationError(_("Bạn không có quyền đôn đốc văn bản này."))
    if recipient.document_id != document.pk:
        raise ValidationError(_("Đơn vị này không nhận văn bản."))
    message = " ".join((message or "").split())
    prefix = _("Đôn đốc %(symbol)s: ") % {"symbol": document.symbol}
    if not message:
        raise ValidationError({"message": _("Nhập lời nhắn đôn đốc.")})
    if len(prefix) + len(message) > REMINDER_MAX:
        raise ValidationError(
            {"message": _("Lời nhắn dài quá %(n)s ký tự.") % {"n": REMINDER_MAX - len(prefix)}}
        )
    text = prefix + message
    users = [
        m.user
        for m in Membership.objects.filter(
            unit_id=recipient.unit_id, role__in=[Role.ADMIN, Role.STAFF], user__is_active=True
        ).select_related("user")
    ]
    notify(
        users=users,
        text=text,
        link=reverse("plans:detail", args=[document.pk]),
        kind=NotificationKind.REMINDER,
        unit=recipient.unit,
    )
    return Reminder.objects.create(
        recipient=recipient, sent_at=timezone.now(), sent_by=by, text=text, people=len(users)
    )


__all__ = [
    "TaskSpec",
    "TaskState",
    "assignment_answer",
    "attachment_add",
    "default_place",
    "document_acknowledge",
    "document_issue",
    "document_save",
    "late_recipients",
    "mark_read",
    "remind_late",
    "remind_unit",
    "task_state",
]
