from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guongsang.core.downloads import DOCX, XLSX, bytes_download
from guongsang.core.forms import ID_MAX, apply_errors, filter_errors, is_htmx, valid_values
from guongsang.core.pagination import paginate
from guongsang.core.uploads import clean_upload
from guongsang.units.models import Unit

from . import access, printing, queries, services
from .forms import (
    AnswerForm,
    BoardFilterForm,
    DocumentForm,
    DocumentListForm,
    IssueForm,
    RemindForm,
    RemindUnitForm,
    TaskFormSet,
)
from .models import DocStatus, DocType, Organ, Recipient, Reminder, TaskState

TABS = {"den": "inbox", "di": "outbox", "tat-ca": "all"}


@login_required
def document_list(request):
    form = DocumentListForm(request.GET)
    filters = valid_values(form)  # a value that does not parse is ignored, its error shown
    tab = filters.get("hop") or _opening_tab(request.user)
    if tab == "den":
        qs = queries.with_inbox_state(access.inbox_for(request.user), request.user)
    elif tab == "di":
        qs = access.outbox_for(request.user)
    else:
        qs = access.documents_for(request.user)
    q, doc_type, year = filters.get("q", ""), filters.get("loai", ""), filters.get("nam")
    qs = queries.search(qs, q=q, doc_type=doc_type, year=year).select_related("unit")
    # Served by document_list_idx (status, issued_on DESC, id DESC).
    page = paginate(qs.order_by("status", "-issued_on", "-pk"), request, per_page=25)
    return render(
        request,
        "plans/document_list.html",
        {
            "page": page,
            "tab": tab,
            # What she typed stays in the boxes, even when it did not parse.
            "q": form["q"].value() or "",
            "doc_type": doc_type,
            "year": form["nam"].value() or "",
            "filter_errors": filter_errors(form, ("q", "nam")),
            "types": DocType.choices,
            "can_issue": access.issuing_units(request.user).exists(),
        },
    )


def _opening_tab(user) -> str:
    """The incoming tab, unless nothing ever came in: then what the unit sent (a province
    mostly sends), so the section never opens on an empty list when it holds documents."""
    if access.inbox_for(user).exists():
        return "den"
    return "di" if access.outbox_for(user).exists() else "den"


def _recipient_choices(unit: Unit | None):
    if unit is None:
        return Unit.objects.none()
    return Unit.objects.filter(parent=unit).current().order_by("kind", "name_folded")


def _chosen_unit(request, units, document=None):
    raw = request.POST.get("unit") or request.GET.get("unit")
    text = request.POST.get("unit_text", request.GET.get("unit_text"))
    if text and text.strip():  # the chooser's text, typed without JavaScript: a code or a name
        try:
            return DocumentForm.base_fields["unit"].resolve(units, [raw] if raw else [], text)
        except ValidationError:
            pass  # the form shows the error; the recipients follow the id or the default
    if raw:
        try:
            return units.get(pk=int(raw))
        except (Unit.DoesNotExist, ValueError, TypeError):
            return None
    if document is not None:
        return document.unit
    return units.first()


def _task_specs(formset) -> list[services.TaskSpec]:
    specs = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("title"):
            specs.append(
                services.TaskSpec(
                    kind=data["kind"],
                    title=data["title"],
                    deadline=data["deadline"],
                    scope=data.get("scope") or "",
                )
            )
    return specs


def _document_form(request, *, document=None, answering=None, parent=None):
    units = access.issuing_units(request.user)
    unit = _chosen_unit(request, units, document)
    if unit is None:
        raise Http404
    initial = {"unit": unit.pk, "organ": Organ.BTV, "authority": "TM.", "archive": "VT"}
    task_initial = []
    if document is not None:
        initial.update(
            {
                f: getattr(document, f)
                for f in [
                    "organ",
                    "doc_type",
                    "drafting_code",
                    "abstract",
                    "implements_ref",
                    "place",
                    "body",
                    "recipients_text",
                    "archive",
                    "authority",
                    "authority_of",
                    "signer_title",
                    "signer_name",
                ]
            }
        )
        initial["recipients"] = list(document.recipients.values_list("unit_id", flat=True))
        task_initial = [
            {"kind": t.kind, "title": t.title, "deadline": t.deadline, "scope": t.scope}
            for t in document.tasks.filter(managed_by="")
        ]
    elif answering is not None:
        parent_doc = answering.task.document
        initial.update(
            {
                "doc_type": DocType.KH if answering.task.kind == "plan" else DocType.BC,
                "implements_ref": parent_doc.symbol,
                "abstract": parent_doc.abstract,
            }
        )
    elif parent is not None:
        initial.update({"implements_ref": parent.symbol, "abstract": parent.abstract})
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        units=units,
        recipient_choices=_recipient_choices(unit),
    )
    formset = TaskFormSet(request.POST or None, initial=task_initial, prefix="task")
    return form, formset, unit


def _save_document(request, form, formset, *, document=None, answering=None, parent=None):
    """Validate, call the service; returns the saved document or None (errors on the form)."""
    if not (form.is_valid() and formset.is_valid()):
        return None
    data = dict(form.cleaned_data)
    upload = data.pop("attachment")
    recipients = list(data.pop("recipients"))
    kind = data.pop("recipients_kind")
    unit = data["unit"]
    if kind:
        recipients += list(
            Unit.objects.subtree_of(unit, include_self=False).current().filter(kind=kind)
        )
    attachment = None
    try:
        if upload:
            attachment = clean_upload(upload)
        return services.document_save(
            by=request.user,
            recipients=recipients,
            tasks=_task_specs(formset),
            attachment=attachment,
            document=document,
            answering=answering,
            parent=parent,
            **data,
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


@login_required
def document_create(request):
    answering = parent = None
    if request.GET.get("tra_loi"):
        doc = access.get_document(request.user, request.GET.get("van_ban"))
        answering = access.get_assignment(request.user, doc, request.GET["tra_loi"])
        parent = doc
    elif request.GET.get("thuc_hien"):
        parent = access.get_document(request.user, request.GET["thuc_hien"])
        if not parent.is_issued:
            raise Http404
    form, formset, unit = _document_form(request, answering=answering, parent=parent)
    if request.method == "POST":
        document = _save_document(request, form, formset, answering=answering, parent=parent)
        if document is not None:
            messages.success(request, _("Đã lưu dự thảo. Kiểm tra rồi bấm Ban hành."))
            return redirect("plans:detail", pk=document.pk)
    return render(
        request,
        "plans/document_form.html",
        {"form": form, "formset": formset, "answering": answering, "parent": parent},
    )


@login_required
def document_edit(request, pk):
    document = access.get_document(request.user, pk, manage=True)
    if document.is_issued:
        raise Http404
    form, formset, unit = _document_form(request, document=document)
    if request.method == "POST":
        saved = _save_document(
            request,
            form,
            formset,
            document=document,
            answering=document.answering,
            parent=document.parent,
        )
        if saved is not None:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("plans:detail", pk=saved.pk)
    return render(
        request,
        "plans/document_form.html",
        {"form": form, "formset": formset, "document": document},
    )


@login_required
@require_GET
def recipients_fragment(request):
    units = access.issuing_units(request.user)
    unit = _chosen_unit(request, units)
    if unit is None:
        raise Http404
    form = DocumentForm(
        initial={"unit": unit.pk}, units=units, recipient_choices=_recipient_choices(unit)
    )
    return render(request, "plans/fragment_recipients.html", {"form": form})


@login_required
def document_detail(request, pk):
    document = access.get_document(request.user, pk)
    acting = access.acting_recipients(request.user, document)
    services.mark_read(recipients=acting)
    manage = access.can_manage(request.user, document)
    tasks = list(document.tasks.all())
    my_assignments = {}
    if acting:
        from .models import Assignment

        for a in Assignment.objects.filter(recipient__in=acting).select_related(
            "answer_document", "recipient__unit", "task"
        ):
            my_assignments.setdefault(a.task_id, []).append(a)
    today = timezone.localdate()
    for t in tasks:
        t.mine = my_assignments.get(t.pk, [])
        for a in t.mine:
            a.state_now = a.state(today)
            a.state_label = TaskState(a.state_now).label
    recipients = list(document.recipients.select_related("unit").order_by("unit_path")[:60])
    return render(
        request,
        "plans/document_detail.html",
        {
            "doc": document,
            "lay": printing.layout(document),
            "tasks": tasks,
            "acting": acting,
            "manage": manage,
            "recipients": recipients,
            "recipient_count": document.recipients.count(),
            "attachments": list(document.attachments.all()),
            "answers": list(
                document.children.filter(status=DocStatus.ISSUED).select_related("unit")[:50]
            )
            if manage
            else [],
            "issue_form": IssueForm(),
            "reminders": list(
                Reminder.objects.filter(recipient__in=acting).select_related("recipient__unit")[:10]
            )
            if acting
            else [],
        },
    )


@login_required
@require_POST
def document_issue(request, pk):
    document = access.get_document(request.user, pk, manage=True)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            services.document_issue(
                document=document, by=request.user, on=form.cleaned_data["issued_on"]
            )
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            document.refresh_from_db()
            messages.success(
                request, _("Đã ban hành văn bản số %(symbol)s.") % {"symbol": document.symbol}
            )
    else:
        messages.error(request, _("Ngày ban hành không hợp lệ."))
    return redirect("plans:detail", pk=document.pk)


@login_required
@require_POST
def document_acknowledge(request, pk):
    document = access.get_document(request.user, pk)
    acting = access.acting_recipients(request.user, document)
    if not acting:
        raise Http404
    for recipient in acting:
        services.document_acknowledge(recipient=recipient, by=request.user)
    messages.success(request, _("Đã xác nhận đã nhận văn bản."))
    return redirect("plans:detail", pk=document.pk)


@login_required
def assignment_answer(request, pk, assignment_pk):
    document = access.get_document(request.user, pk)
    assignment = access.get_assignment(request.user, document, assignment_pk)
    unit = assignment.recipient.unit
    form = AnswerForm(
        request.POST or None, request.FILES or None, documents=queries.documents_of_unit(unit)
    )
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["file"]
            services.assignment_answer(
                assignment=assignment,
                by=request.user,
                note=form.cleaned_data["note"],
                answer_document=form.cleaned_data["answer_document"],
                file=clean_upload(upload) if upload else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi trả lời nhiệm vụ."))
            return redirect("plans:detail", pk=document.pk)
    return render(
        request,
        "plans/answer_form.html",
        {"form": form, "doc": document, "assignment": assignment, "unit": unit},
    )


BOARD_PAGE_SIZE = 100


def _board(request, document):
    tasks = list(document.tasks.all())
    form = BoardFilterForm(request.GET or None, tasks=tasks)
    state = q = ""
    task_id = None
    if form.is_valid():
        state = form.cleaned_data["trang_thai"]
        q = form.cleaned_data["q"].strip()
        task_id = form.cleaned_data["nhiem_vu"] or None
    b = queries.board(
        document, today=timezone.localdate(), state=state, task_id=task_id, q=q, tasks=tasks
    )
    return form, b


@login_required
def board(request, pk):
    document = access.get_document(request.user, pk, manage=True)
    if not document.is_issued:
        raise Http404
    form, b = _board(request, document)
    # Counts cover every recipient; the table shows a page of them (a national plan has 3,321).
    # The page is read as ids on recipient_board_idx, then its rows are loaded (see
    # Board.recipients_in).
    page = paginate(b.recipients.values_list("pk", flat=True), request, per_page=BOARD_PAGE_SIZE)
    template = "plans/fragment_board.html" if is_htmx(request) else "plans/board.html"
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {
            "doc": document,
            "board": b,
            "rows": b.rows_for(b.recipients_in(page.object_list)),
            "page": page,
            "form": form,
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def board_xlsx(request, pk):
    document = access.get_document(request.user, pk, manage=True)
    if not document.is_issued:
        raise Http404
    _form, b = _board(request, document)
    return bytes_download(
        queries.board_workbook(b), XLSX, f"theo-doi-{printing.file_stem(document)}.xlsx"
    )


@login_required
def remind_unit(request, pk, recipient_pk):
    """Đôn đốc one recipient unit with a message of the sender's own (from its board row)."""
    document = access.get_document(request.user, pk, manage=True)
    if not document.is_issued or recipient_pk > ID_MAX:
        raise Http404
    recipient = get_object_or_404(
        Recipient.objects.select_related("unit"), pk=recipient_pk, document=document
    )
    late = bool(services.late_recipients(document, timezone.localdate(), [recipient.pk]))
    initial = _(
        "Đề nghị %(unit)s khẩn trương thực hiện và báo cáo kết quả theo văn bản %(symbol)s."
    ) % {"unit": recipient.unit.union_name, "symbol": document.symbol}
    form = RemindUnitForm(request.POST or None, initial={"message": initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.remind_unit(
                document=document,
                recipient=recipient,
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Đã đôn đốc %(unit)s.") % {"unit": recipient.unit.union_name}
            )
            return redirect("plans:board", pk=document.pk)
    sent = recipient.reminders.select_related("sent_by")[:10]
    return render(
        request,
        "plans/remind_unit.html",
        {"doc": document, "recipient": recipient, "form": form, "late": late, "sent": sent},
    )


@login_required
@require_POST
def board_remind(request, pk):
    document = access.get_document(request.user, pk, manage=True)
    if not document.is_issued:
        raise Http404
    form = RemindForm(request.POST)
    if not form.is_valid():
        raise Http404  # a recipient id no page of ours sends
    only = [form.cleaned_data["recipient"]] if form.cleaned_data["recipient"] else None
    today = timezone.localdate()
    if only is None:
        late = len(services.late_recipients(document, today))
        if late > settings.REMIND_INLINE_MAX_UNITS:
            # Thousands of units: the worker does it in batches; the officer watches progress.
            from guongsang.jobs.services import start

            from .tasks import remind_late_job

            job = start(
                kind="remind",
                user=request.user,
                unit=document.unit,
                task=remind_late_job,
                document_id=document.pk,
                user_id=request.user.pk,
                today=today.isoformat(),
            )
            messages.info(
                request,
                _("Đang đôn đốc %(n)s đơn vị chậm thực hiện ở chế độ nền.") % {"n": late},
            )
            return redirect("jobs:detail", pk=job.pk)
    try:
        sent = services.remind_late(document=document, by=request.user, only=only, today=today)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.warning(request, msg)
    else:
        messages.success(request, _("Đã đôn đốc %(n)s đơn vị chậm thực hiện.") % {"n": len(sent)})
    return redirect("plans:board", pk=document.pk)


@login_required
@require_GET
def document_docx(request, pk):
    document = access.get_document(request.user, pk)
    return bytes_download(printing.to_docx(document), DOCX, f"{printing.file_stem(document)}.docx")


@login_required
@require_GET
def document_pdf(request, pk):
    document = access.get_document(request.user, pk)
    return bytes_download(
        printing.to_pdf(document), "application/pdf", f"{printing.file_stem(document)}.pdf"
    )


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    document = access.get_document(request.user, pk)
    att = access.get_attachment(request.user, document, attachment_pk)
    from guongsang.core.uploads import CONTENT_TYPES

    with att.file.open("rb") as fh:
        data = fh.read()
    return bytes_download(data, CONTENT_TYPES.get(att.kind, "application/octet-stream"), att.name)


@login_required
@require_GET
def answer_file_download(request, pk, assignment_pk):
    document = access.get_document(request.user, pk)
    assignment = access.get_answer_file(request.user, document, assignment_pk)
    from guongsang.core.uploads import CONTENT_TYPES, sniff

    with assignment.answer_file.open("rb") as fh:
        data = fh.read()
    kind = sniff(data) or ""
    return bytes_download(
        data, CONTENT_TYPES.get(kind, "application/octet-stream"), assignment.answer_file_name
    )
