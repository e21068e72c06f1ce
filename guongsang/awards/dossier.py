"""The dossier of a proposal (Decree 30/2020 layout; domain.md §1.7):

- the tờ trình with the list, written as a draft of type TTr of the proposing unit in the
  documents module (``plans``), whose Word and PDF outputs print it (body lines starting with "|"
  are tables, as ``reports.drafting`` writes a báo cáo); the officer edits and issues it there;
- the danh sách as XLSX, every cell through ``core.spreadsheets.append_row`` (text stays text),
  and printed (DOCX, PDF: A4 landscape, "Kèm theo Tờ trình số …" once the tờ trình is issued);
- the báo cáo thành tích of one item, headed by the subject's kind (tập thể, cá nhân, hộ gia
  đình), as DOCX (python-docx) and PDF (WeasyPrint from a template). It is not a numbered
  document of the register, so it is rendered here rather than through ``plans.printing``,
  whose layout (number, "Nơi nhận") belongs to issued documents."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guongsang.accounts.models import User
from guongsang.core.text import slugify_vi
from guongsang.exemplars.models import SubjectKind
from guongsang.plans import printing
from guongsang.plans import services as plan_services
from guongsang.plans.models import DocType, Document, Organ

from .eligibility import KIND_WORDS
from .models import CommendationRound, Proposal, ProposalItem


def _cell(text) -> str:
    """Table cells are separated by "|": a subject's text cannot open a new cell."""
    return " ".join(str(text or "").replace("|", "/").split())


def _row(*cells) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _groups(items: list[ProposalItem]):
    groups: dict[int, list[ProposalItem]] = {}
    for item in items:
        groups.setdefault(item.award_type_id, []).append(item)
    return sorted(groups.values(), key=lambda g: (g[0].award_type.rank, g[0].award_type.name))


def where(item: ProposalItem) -> str:
    """Position and workplace of an individual, the unit of a collective or household."""
    s = item.subject
    if s.kind == SubjectKind.INDIVIDUAL:
        parts = [p for p in (s.position, s.workplace) if p] or [s.unit.name]
        return ", ".join(parts)
    return s.unit.name


def _items(proposal: Proposal) -> list[ProposalItem]:
    return list(
        proposal.items.select_related("subject__unit", "award_type").order_by(
            "award_type__rank", "award_type__name", "subject__sort_key", "pk"
        )
    )


def statement_body(proposal: Proposal, items: list[ProposalItem] | None = None) -> str:
    items = _items(proposal) if items is None else items
    rnd = proposal.round
    to_unit = rnd.unit if proposal.unit_id == rnd.unit_id else proposal.unit.parent or rnd.unit
    counts = {k: 0 for k in SubjectKind.values}
    for item in items:
        counts[item.subject.kind] += 1
    lines = [
        _(
            "Thực hiện đợt khen thưởng “%(round)s” của %(organiser)s (thành tích từ ngày "
            "%(start)s đến ngày %(end)s), %(unit)s đã xét chọn và kính trình %(to)s xem xét, "
            "khen thưởng cho %(c)s tập thể, %(i)s cá nhân và %(h)s hộ gia đình có thành tích "
            "xuất sắc, cụ thể như sau:"
        )  # fmt: skip
        % {
            "round": rnd.title,
            "organiser": rnd.unit.union_name,
            "start": rnd.period_start.strftime("%d/%m/%Y"),
            "end": rnd.period_end.strftime("%d/%m/%Y"),
            "unit": proposal.unit.union_name,
            "to": _("Ban Thường vụ %(u)s") % {"u": to_unit.union_name},
            "c": counts[SubjectKind.COLLECTIVE],
            "i": counts[SubjectKind.INDIVIDUAL],
            "h": counts[SubjectKind.HOUSEHOLD],
        }
    ]
    for number, group in enumerate(_groups(items), start=1):
        award_type = group[0].award_type
        lines.append(
            f"{number}. "
            + _("Đề nghị tặng “%(t)s”: %(n)s") % {"t": award_type.name, "n": len(group)}
        )
        lines.append(
            _row(_("STT"), _("Tên tập thể, họ và tên"), _("Chức vụ, đơn vị"), _("Thành tích"))
        )
        for i, item in enumerate(group, start=1):
            lines.append(_row(i, item.subject.name, where(item), item.summary or "—"))
    lines.append(
        _(
            "(Có danh sách và báo cáo thành tích của từng tập thể, cá nhân, hộ gia đình kèm "
            "theo.) Kính trình Ban Thường vụ xem xét, quyết định."
        )
    )
    return "\n".join(lines)


def _statement_fields(proposal: Proposal, items=None) -> dict:
    rnd = proposal.round
    recipients = [_("- Như trên;")]
    if proposal.unit.parent_id and proposal.unit_id != rnd.unit_id:
        recipients.append(_("- Ban Thường vụ %(u)s;") % {"u": proposal.unit.parent.union_name})
    return {
        "unit": proposal.unit,
        "organ": Organ.BTV,
        "doc_type": DocType.TTR,
        "abstract": _("Đề nghị khen thưởng đợt “%(r)s”") % {"r": rnd.title[:400]},
        "body": statement_body(proposal, items),
        "recipients_text": "\n".join(recipients),
    }


def can_draft(proposal: Proposal) -> bool:
    """Only union levels that issue documents (not a branch) keep a tờ trình in the register."""
    return proposal.unit.kind in plan_services.ISSUER_KINDS


def write_statement(*, by: User, proposal: Proposal) -> Document | None:
    """Create or refresh the tờ trình draft of the proposal (in the caller's transaction); a
    branch has none (it issues no documents). An issued one stays in the register as issued:
    while it still lists what the proposal holds it is the proposal's tờ trình; once the list
    has changed (a returned proposal corrected and sent again) a new draft replaces it, to be
    issued with a new number."""
    if not can_draft(proposal):
        return None
    fields = _statement_fields(proposal)
    document = proposal.document
    if document is not None and document.is_issued:
        if document.body == fields["body"].replace("\r\n", "\n").strip():
            return document
        document = None
    document = plan_services.document_save(by=by, document=document, **fields)
    if proposal.document_id != document.pk:
        Proposal.objects.filter(pk=proposal.pk).update(document=document)
        proposal.document = document
    return document


def statement_document(proposal: Proposal) -> Document:
    """The tờ trình to print: the draft (or issued one) in the register, or, for a proposal
    that has none yet, the same content unsaved."""
    if proposal.document_id:
        return proposal.document
    fields = _statement_fields(proposal)
    return Document(place=plan_services.default_place(proposal.unit), archive="VT", **fields)


def statement_docx(proposal: Proposal) -> bytes:
    return printing.to_docx(statement_document(proposal))


def statement_pdf(proposal: Proposal) -> bytes:
    return printing.to_pdf(statement_document(proposal))


def file_stem(proposal: Proposal, what: str) -> str:
    return f"{what}-{slugify_vi(proposal.unit.name) or 'don-vi'}-{proposal.pk}"


# ---- danh sách (XLSX) -----------------------------------------------------------------------
LIST_HEADINGS = (
    gettext_lazy("STT"),
    gettext_lazy("Tên tập thể, họ và tên"),
    gettext_lazy("Loại đối tượng"),
    gettext_lazy("Năm sinh"),
    gettext_lazy("Chức vụ, đơn vị"),
    gettext_lazy("Danh hiệu, hình thức đề nghị"),
    gettext_lazy("Tóm tắt thành tích"),
    gettext_lazy("Đơn vị đề nghị"),
    gettext_lazy("Điều kiện"),
)


def _condition(item: ProposalItem) -> str:
    levels = {("ok" if f.get("ok") else f.get("severity")) for f in item.eligibility or []}
    if not item.eligibility:
        return _("Chưa xét")
    if "block" in levels:
        return _("Chưa đủ điều kiện")
    if "warn" in levels:
        return _("Đủ điều kiện, có điểm cần lưu ý")
    return _("Đủ điều kiện")


def list_xlsx(title: str, items: list[ProposalItem]) -> bytes:
    from openpyxl import Workbook

    from guongsang.core.spreadsheets import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sach"
    append_row(ws, [title], bold=True)
    append_row(ws, [str(h) for h in LIST_HEADINGS], bold=True)
    for i, item in enumerate(items, start=1):
        s = item.subject
        append_row(
            ws,
            [
                i,
                s.name,
                str(KIND_WORDS.get(s.kind, s.kind)),
                s.birth_year if s.kind != SubjectKind.COLLECTIVE and s.birth_year else "",
                where(item),
                item.award_type.name,
                item.summary,
                item.proposal.unit.name,
                _condition(item),
            ],
        )
    for letter, width in zip("ABCDEFGHI", (6, 30, 14, 10, 30, 30, 50, 25, 22), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def proposal_list_xlsx(proposal: Proposal) -> bytes:
    title = _("Danh sách đề nghị khen thưởng của %(u)s — %(r)s") % {
        "u": proposal.unit.union_name,
        "r": proposal.round.title,
    }
    items = _items(proposal)
    for item in items:
        item.proposal = proposal
    return list_xlsx(title, items)


def consolidated_xlsx(rnd: CommendationRound, groups) -> bytes:
    title = _("Danh sách tổng hợp đề nghị khen thưởng — %(r)s") % {"r": rnd.title}
    return list_xlsx(title, [item for _type, group in groups for item in group])


# ---- danh sách (DOCX, PDF) ------------------------------------------------------------------
# The printed list goes with the tờ trình: the issuing unit's heading, the list grouped by title
# or form, each group a table; A4 landscape, so that the achievement column is readable.
PRINT_HEADINGS = (
    gettext_lazy("STT"),
    gettext_lazy("Tên tập thể, họ và tên"),
    gettext_lazy("Năm sinh"),
    gettext_lazy("Chức vụ, đơn vị"),
    gettext_lazy("Tóm tắt thành tích"),
    gettext_lazy("Đơn vị đề nghị"),
)


def _attached_to(document: Document | None, unit_name: str) -> str:
    if document is not None and document.is_issued:
        return _("(Kèm theo Tờ trình số %(n)s ngày %(d)s của %(u)s)") % {
            "n": document.symbol,
            "d": document.issued_on.strftime("%d/%m/%Y"),
            "u": unit_name,
        }
    return _("(Kèm theo Tờ trình của %(u)s)") % {"u": unit_name}


def list_context(*, unit, title: str, attached: str, items: list[ProposalItem]) -> dict:
    """What the printed danh sách says, for DOCX and PDF alike."""
    groups = []
    for number, group in enumerate(_groups(items), start=1):
        rows = []
        for i, item in enumerate(group, start=1):
            s = item.subject
            born = s.birth_year if s.kind != SubjectKind.COLLECTIVE and s.birth_year else ""
            rows.append((i, s.name, born, where(item), item.summary or "", item.proposal.unit.name))
        groups.append(
            {
                "title": f"{_roman(number)}. "
                + _("ĐỀ NGHỊ TẶNG “%(t)s” (%(n)s)")
                % {"t": group[0].award_type.name.upper(), "n": len(group)},
                "rows": rows,
            }
        )
    return {
        "issuer": unit.union_name.upper(),
        "motto_top": printing.MOTTO_TOP,
        "motto": printing.MOTTO,
        "heading": _("DANH SÁCH"),
        "subtitle": title,
        "attached": attached,
        "headings": [str(h) for h in PRINT_HEADINGS],
        "groups": groups,
        "total": _("Tổng cộng: %(n)s") % {"n": len(items)},
        "date_line": f"{plan_services.default_place(unit)}, "
        + _("ngày %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
    }


def _roman(n: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out, n = out + letters, n - value
    return out


def proposal_list_context(proposal: Proposal) -> dict:
    items = _items(proposal)
    for item in items:
        item.proposal = proposal
    return list_context(
        unit=proposal.unit,
        title=_("Đề nghị khen thưởng đợt “%(r)s”") % {"r": proposal.round.title},
        attached=_attached_to(proposal.document, proposal.unit.union_name),
        items=items,
    )


def consolidated_context(rnd: CommendationRound, groups) -> dict:
    return list_context(
        unit=rnd.unit,
        title=_("Tổng hợp đề nghị khen thưởng đợt “%(r)s”") % {"r": rnd.title},
        attached=_("(Trình Hội đồng Thi đua – Khen thưởng %(u)s)") % {"u": rnd.unit.union_name},
        items=[item for _type, group in groups for item in group],
    )


def list_docx(ctx: dict) -> bytes:
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Docx()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(15)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)

    def para(text, *, bold=False, italic=False, center=False):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.paragraphs[0].add_run(ctx["issuer"]).bold = True
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].add_run(ctx["motto_top"]).bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto = right.add_paragraph()
    motto.add_run(ctx["motto"]).bold = True
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(ctx["date_line"], italic=True).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(ctx["heading"], bold=True, center=True)
    para(ctx["subtitle"], bold=True, center=True)
    para(ctx["attached"], italic=True, center=True)
    widths = (Mm(12), Mm(55), Mm(18), Mm(55), Mm(80), Mm(42))
    for group in ctx["groups"]:
        para(group["title"], bold=True)
        table = doc.add_table(rows=1, cols=len(ctx["headings"]))
        table.style = "Table Grid"
        for cell, text, width in zip(table.rows[0].cells, ctx["headings"], widths, strict=True):
            cell.text, cell.width = text, width
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            cell.paragraphs[0].runs[0].bold = True
        for row in group["rows"]:
            cells = table.add_row().cells
            for cell, value, width in zip(cells, row, widths, strict=True):
                cell.text, cell.width = str(value), width
    para(ctx["total"], bold=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def list_pdf(ctx: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string("awards/list_print.html", ctx)).write_pdf()


# ---- báo cáo thành tích of one item ---------------------------------------------------------
REPORT_HEADINGS = {
    SubjectKind.COLLECTIVE: "BÁO CÁO THÀNH TÍCH CỦA TẬP THỂ",
    SubjectKind.INDIVIDUAL: "BÁO CÁO THÀNH TÍCH CỦA CÁ NHÂN",
    SubjectKind.HOUSEHOLD: "BÁO CÁO THÀNH TÍCH CỦA HỘ GIA ĐÌNH",
}


def report_context(item: ProposalItem) -> dict:
    """What the báo cáo thành tích says, for DOCX and PDF alike."""
    s = item.subject
    facts: list[tuple[str, str]] = []
    if s.kind == SubjectKind.COLLECTIVE:
        facts.append((_("Tên tập thể"), s.name))
        facts.append((_("Trực thuộc"), s.unit.union_name))
        if s.member_count:
            facts.append((_("Số thành viên"), str(s.member_count)))
    else:
        facts.append(
            (_("Họ và tên chủ hộ") if s.kind == SubjectKind.HOUSEHOLD else _("Họ và tên"), s.name)
        )
        if s.birth_year:
            facts.append((_("Năm sinh"), str(s.birth_year)))
        if s.ethnicity:
            facts.append((_("Dân tộc"), s.ethnicity))
        if s.kind == SubjectKind.HOUSEHOLD and s.member_count:
            facts.append((_("Số nhân khẩu"), str(s.member_count)))
        if s.position:
            facts.append((_("Chức vụ, nghề nghiệp"), s.position))
        facts.append((_("Đơn vị"), s.workplace or s.unit.union_name))
    history = list(s.awards.order_by("year", "name").values_list("year", "name", "decision_number"))
    return {
        "item": item,
        "issuer": item.proposal.unit.union_name.upper(),
        "motto_top": printing.MOTTO_TOP,
        "motto": printing.MOTTO,
        "heading": REPORT_HEADINGS.get(s.kind, "BÁO CÁO THÀNH TÍCH"),
        "subtitle": _("Đề nghị tặng “%(t)s”") % {"t": item.award_type.name},
        "facts": facts,
        "summary": item.summary,
        "paragraphs": [p.strip() for p in item.achievements.splitlines() if p.strip()],
        "history": history,
        "date_line": f"{plan_services.default_place(item.proposal.unit)}, "
        + _("ngày %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
        "left_sign": _("XÁC NHẬN CỦA %(u)s") % {"u": item.proposal.unit.union_name.upper()},
        "right_sign": _("NGƯỜI BÁO CÁO")
        if s.kind != SubjectKind.COLLECTIVE
        else _("THỦ TRƯỞNG ĐƠN VỊ"),
    }


def report_docx(item: ProposalItem) -> bytes:
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    ctx = report_context(item)
    doc = Docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)

    def para(text, *, bold=False, center=False, italic=False, size=None):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.text = ""
    left.paragraphs[0].add_run(ctx["issuer"]).bold = True
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.text = ""
    right.paragraphs[0].add_run(ctx["motto_top"]).bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto = right.add_paragraph()
    motto.add_run(ctx["motto"]).bold = True
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(ctx["date_line"], italic=True).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(ctx["heading"], bold=True, center=True)
    para(ctx["subtitle"], bold=True, center=True)
    para("I. " + _("SƠ LƯỢC"), bold=True)
    for label, value in ctx["facts"]:
        para(f"- {label}: {value}")
    para("II. " + _("THÀNH TÍCH ĐẠT ĐƯỢC"), bold=True)
    if ctx["summary"]:
        para(ctx["summary"], italic=True)
    for text in ctx["paragraphs"] or [_("(Chưa có nội dung.)")]:
        para(text)
    para("III. " + _("CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN"), bold=True)
    if ctx["history"]:
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            (_("Năm"), _("Danh hiệu, hình thức"), _("Số quyết định")),
            strict=True,
        ):
            cell.text = text
        for year, name, number in ctx["history"]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = str(year), name, number or ""
    else:
        para(_("Chưa có."))
    sign = doc.add_table(rows=1, cols=2)
    sign.rows[0].cells[0].text = ctx["left_sign"]
    sign.rows[0].cells[1].text = ctx["right_sign"]
    for cell in sign.rows[0].cells:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in cell.paragraphs[0].runs:
            run.bold = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def report_pdf(item: ProposalItem) -> bytes:
    from weasyprint import HTML

    html = render_to_string("awards/proposal_report_print.html", report_context(item))
    return HTML(string=html).write_pdf()
