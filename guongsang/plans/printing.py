"""Documents out: .docx (python-docx) and PDF (WeasyPrint) in the Decree 30/2020 layout.

Both read the same ``layout(document)``: header lines, number, place and date line, type name,
abstract, body blocks, signature block and the "Nơi nhận" lines.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.template.loader import render_to_string

from guongsang.core.templatetags.vn import ngay_thang

from .models import DocType, Document

MOTTO_TOP = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

_ROMAN = re.compile(r"^[IVXL]+\.\s")
_NUMBERED = re.compile(r"^\d+\.\s")
_SUB = re.compile(r"^\d+\.\d+\.?\s")
_NUMBER = re.compile(r"^[+-]?[\d.]+(,\d+)?%?$")
_LETTER = re.compile(r"^[a-zđ]\)\s")


@dataclass
class Block:
    kind: str  # "h1" (I.), "h2" (1.), "h3" (2.1, a)), "p", "table"
    text: str
    rows: list[list[str]] | None = None  # a table's cells, the first row its heading


def _cells(line: str) -> list[str]:
    return [" ".join(c.split()) for c in line.strip().strip("|").split("|")]


@dataclass
class Layout:
    issuer_parent: str
    issuer: str
    number_line: str
    cv_abstract: str
    date_line: str
    type_heading: str
    abstract: str
    blocks: list[Block]
    sign_lines: list[str]
    signer_name: str
    recipient_lines: list[str]


def body_blocks(text: str) -> list[Block]:
    """Lines become paragraphs and headings; consecutive lines starting with "|" become one
    table ("| Đơn vị | Số cuộc |"), its first line the heading row."""
    blocks = []
    for raw in (text or "").splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if line.startswith("|"):
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(_cells(line))
            else:
                blocks.append(Block("table", "", [_cells(line)]))
            continue
        if _ROMAN.match(line):
            kind = "h1"
        elif _SUB.match(line) or _LETTER.match(line):
            kind = "h3"
        elif _NUMBERED.match(line) and len(line) < 120:
            kind = "h2"
        else:
            kind = "p"
        blocks.append(Block(kind, line))
    return blocks


def recipient_lines(document: Document, unit_names: list[str] | None = None) -> list[str]:
    """Lines of the "Nơi nhận" block, each "- ...;" and the last "- Lưu: VT."."""
    if document.recipients_text:
        names = [
            ln.strip().lstrip("-").strip().rstrip(";.").strip()
            for ln in document.recipients_text.splitlines()
        ]
    else:
        if unit_names is None:
            unit_names = [
                r.unit.union_name
                for r in document.recipients.select_related("unit").order_by("unit__path")
            ]
        names = (
            unit_names
            if len(unit_names) <= 8
            else [f"{len(unit_names)} đơn vị Hội cấp dưới (theo danh sách)"]
        )
    lines = [f"- {n};" for n in names if n]
    lines.append(f"- Lưu: {document.archive.strip().rstrip('.')}.")
    return lines


def layout(document: Document) -> Layout:
    issued = document.issued_on
    date_line = (
        f"{document.place}, {ngay_thang(issued)}"
        if issued
        else f"{document.place}, ngày      tháng      năm"
    )
    sign_lines = []
    if document.authority:
        sign_lines.append(f"{document.authority} {document.authority_of}".strip())
    if document.signer_title:
        sign_lines.append(document.signer_title.upper())
    is_cv = document.doc_type == DocType.CV
    return Layout(
        issuer_parent=document.unit.union_name.upper(),
        issuer=document.organ_heading,
        number_line=document.number_line,
        cv_abstract=f"V/v {document.abstract}" if is_cv else "",
        date_line=date_line,
        type_heading=document.type_heading,
        abstract="" if is_cv else document.abstract,
        blocks=body_blocks(document.body),
        sign_lines=sign_lines,
        signer_name=document.signer_name,
        recipient_lines=recipient_lines(document),
    )


def file_stem(document: Document) -> str:
    from guongsang.core.text import slugify_vi

    return slugify_vi(document.symbol or f"du-thao-{document.pk}") or "van-ban"


# ---- .docx ---------------------------------------------------------------------------------------
def to_docx(document: Document) -> bytes:
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    lay = layout(document)
    doc = Docx()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(20)

    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    def para(container, text="", *, size=14, bold=False, italic=False, align="center", after=0):
        p = container.add_paragraph()
        p.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
        p.paragraph_format.space_after = Pt(after)
        if text:
            run = p.add_run(text)
            run.font.size = Pt(size)
            run.bold = bold
            run.italic = italic
        return p

    def rule(p, width_mm: float, column_mm: float):
        """A short solid line centred under the previous paragraph: a bottom border on an
        empty paragraph indented from both sides."""
        side = max((column_mm - width_mm) / 2, 0)
        p.paragraph_format.left_indent = Mm(side)
        p.paragraph_format.right_indent = Mm(side)
        p_pr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        bottom.set(qn("w:val"), "single")
        bottom.set(qn("w:sz"), "6")
        bottom.set(qn("w:space"), "1")
        bottom.set(qn("w:color"), "000000")
        borders.append(bottom)
        p_pr.append(borders)
        p.paragraph_format.line_spacing = Pt(3)  # exact: the line sits right under the text
        p.paragraph_format.space_after = Pt(4)
        run = p.add_run()
        run.font.size = Pt(2)

    def no_cell_margins(table):
        tbl_pr = table._tbl.tblPr
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), "0")
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        tbl_pr.append(margins)

    left_w, right_w = 62.0, 100.0
    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    no_cell_margins(header)
    left, right = header.rows[0].cells
    left.width, right.width = Mm(left_w), Mm(right_w)
    header.columns[0].width, header.columns[1].width = Mm(left_w), Mm(right_w)
    left._tc.remove(left.paragraphs[0]._p)
    right._tc.remove(right.paragraphs[0]._p)
    para(left, lay.issuer_parent, size=12)
    para(left, lay.issuer, size=13, bold=True)
    rule(para(left), 24, left_w)
    para(left, lay.number_line, size=13, after=0).paragraph_format.space_before = Pt(6)
    if lay.cv_abstract:
        para(left, lay.cv_abstract, size=12)
    para(right, MOTTO_TOP, size=12, bold=True)
    para(right, MOTTO, size=13, bold=True)
    rule(para(right), 62, right_w)
    para(right, lay.date_line, size=14, italic=True).paragraph_format.space_before = Pt(6)

    if lay.type_heading:
        para(doc, "", size=14)
        para(doc, lay.type_heading, size=14, bold=True)
        para(doc, lay.abstract, size=14, bold=True)
        rule(para(doc), 40, 160)
    para(doc, "", size=10)
    for block in lay.blocks:
        if block.kind == "table":
            _docx_table(doc, block.rows, Pt)
            continue
        p = para(doc, "", align="justify", after=6)
        p.paragraph_format.first_line_indent = Cm(1.27)
        run = p.add_run(block.text)
        run.font.size = Pt(14)
        run.bold = block.kind in ("h1", "h2", "h3")
        run.italic = block.kind == "h3"

    para(doc, "", size=10)
    foot = doc.add_table(rows=1, cols=2)
    foot.autofit = False
    recip, sign = foot.rows[0].cells
    recip.width, sign.width = Mm(80), Mm(80)
    foot.columns[0].width, foot.columns[1].width = Mm(80), Mm(80)
    recip._tc.remove(recip.paragraphs[0]._p)
    sign._tc.remove(sign.paragraphs[0]._p)
    para(recip, "Nơi nhận:", size=12, bold=True, italic=True, align="left")
    for line in lay.recipient_lines:
        para(recip, line, size=11, align="left")
    for line in lay.sign_lines:
        para(sign, line, size=14, bold=True)
    for _ in range(4):
        para(sign, "", size=14)
    para(sign, lay.signer_name, size=14, bold=True)

    _page_numbers(section, Pt)
    out = io.BytesIO()
    doc.core_properties.title = f"{lay.type_heading} {document.symbol}".strip()
    doc.save(out)
    return out.getvalue()


def _docx_table(doc, rows: list[list[str]], Pt) -> None:
    """A bordered table, heading row bold, numbers right-aligned, 12 pt as tables usually are."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    width = max(len(r) for r in rows)
    table = doc.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, cells in enumerate(rows):
        row = table.add_row().cells
        for j in range(width):
            text = cells[j] if j < len(cells) else ""
            paragraph = row[j].paragraphs[0]
            run = paragraph.add_run(text)
            run.font.size = Pt(12)
            run.bold = i == 0
            if i and j and _NUMBER.match(text):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif i == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph()


def _page_numbers(section, Pt) -> None:
    """Page numbers centred in the top margin from page 2 on (none on the first page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    run.font.size = Pt(13)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


# ---- PDF -------------------------------------------------------------------------------------------
def to_html(document: Document) -> str:
    return render_to_string("plans/print.html", {"doc": document, "lay": layout(document)})


def to_pdf(document: Document) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(document)).write_pdf()
