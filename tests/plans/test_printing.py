"""The .docx read back with python-docx, and the PDF, in the Decree 30/2020 layout."""

import datetime as dt
import io

from docx import Document as Docx
from docx.shared import Pt

from guongsang.plans import printing
from guongsang.plans.models import Register

from .conftest import TODAY, frozen, make_plan


def _plan_53(cast):
    Register.objects.create(unit=cast.province, organ="BTV", year=2017, last_number=52)
    with frozen(TODAY):
        return make_plan(
            cast.province_admin,
            cast.province,
            [cast.former_district],
            issue_on=dt.date(2017, 7, 28),
            tasks=[],
            abstract="Tuyên truyền các phong trào thi đua yêu nước năm 2017",
            implements_ref="1501/KH-UBND",
            authority_of="BAN THƯỜNG VỤ",
            signer_name="",
            body="Thực hiện Kế hoạch số 1501/KH-UBND...\nI. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Tiếp tục đẩy mạnh.",
            recipients_text="UBND tỉnh;\n- Ban TĐKT (Sở Nội vụ);",
            archive="TĐKT, VPTH, VT",
        )


def test_docx_reads_back_in_the_decree_30_layout(cast):
    doc = _plan_53(cast)
    out = Docx(io.BytesIO(printing.to_docx(doc)))
    section = out.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    assert out.styles["Normal"].font.name == "Times New Roman"
    header = out.tables[0].rows[0].cells
    left = [p.text for p in header[0].paragraphs if p.text]
    right = [p.text for p in header[1].paragraphs if p.text]
    assert left == ["HỘI LHPN TỈNH CAO BẰNG", "BAN THƯỜNG VỤ", "Số: 53/KH-BTV"]
    assert right == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Cao Bằng, ngày 28 tháng 7 năm 2017",
    ]
    assert header[0].paragraphs[1].runs[0].bold
    assert header[1].paragraphs[-1].runs[0].italic
    body = [p.text for p in out.paragraphs if p.text]
    assert body[:2] == ["KẾ HOẠCH", "Tuyên truyền các phong trào thi đua yêu nước năm 2017"]
    assert "I. MỤC ĐÍCH, YÊU CẦU" in body
    sizes = {r.font.size for p in out.paragraphs for r in p.runs if r.text}
    assert sizes == {Pt(14)}
    recipients, sign = out.tables[1].rows[0].cells
    lines = [p.text for p in recipients.paragraphs if p.text]
    assert lines == [
        "Nơi nhận:",
        "- UBND tỉnh;",
        "- Ban TĐKT (Sở Nội vụ);",
        "- Lưu: TĐKT, VPTH, VT.",
    ]
    assert recipients.paragraphs[0].runs[0].bold and recipients.paragraphs[0].runs[0].italic
    assert [p.text for p in sign.paragraphs if p.text] == ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH"]


def test_recipients_listed_from_the_units_when_no_text(cast):
    with frozen(TODAY):
        doc = make_plan(cast.province_admin, cast.province, [cast.commune_a, cast.commune_b])
    assert printing.layout(doc).recipient_lines == [
        "- Hội LHPN xã Đông Khê;",
        "- Hội LHPN phường Tân Giang;",
        "- Lưu: VT.",
    ]


def test_pdf_is_a_pdf_with_the_text(cast):
    doc = _plan_53(cast)
    data = printing.to_pdf(doc)
    assert data.startswith(b"%PDF-")
    html = printing.to_html(doc)
    assert "Số: 53/KH-BTV" in html and "Cao Bằng, ngày 28 tháng 7 năm 2017" in html
    assert "Times New Roman" in html and "Liberation Serif" in html


def test_draft_prints_with_a_blank_number(cast):
    with frozen(TODAY):
        draft = make_plan(cast.province_admin, cast.province, [cast.commune_a], issue_on=False)
    lay = printing.layout(draft)
    assert lay.number_line == "Số:      /KH-BTV"
    assert lay.date_line == "Cao Bằng, ngày      tháng      năm"
