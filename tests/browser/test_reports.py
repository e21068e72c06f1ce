"""A commune fills and submits her report on a phone from the plan's task; the province reads the
round and the summary, downloads Excel, drafts the Báo cáo and downloads it as Word."""

import io
import re

import pytest
from docx import Document as Docx
from openpyxl import load_workbook

from guongsang.plans.models import Assignment
from guongsang.reports.models import ReportState, UnitReport

from ..reports.test_services import make_form, open_round

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def test_commune_reports_and_the_province_concludes(page, cast, login_as, shot, tmp_path):
    form = make_form(cast.province_admin, cast.province)
    rnd = open_round(cast, form)

    # The commune, on her phone, from the plan's task.
    login_as(cast.a_staff)
    page.goto(f"/van-ban/{rnd.task.document_id}/")
    page.get_by_role("link", name="Nhập báo cáo").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hội LHPN xã Đông Khê")
    page.get_by_label("Số cuộc tuyên truyền").fill("12")
    page.get_by_label("Số người tham dự").fill("1.234")
    page.get_by_label("Trong đó hội viên").fill("2.000")  # more than the participants
    page.get_by_label("Tỷ lệ hộ đạt 5 không 3 sạch").fill("12,5")
    page.get_by_label("Tồn tại, hạn chế").fill("Kinh phí còn hạn hẹp.")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("#ct-HV")).to_contain_text("Không được lớn hơn “Số người tham dự”")
    expect(page.get_by_label("Số người tham dự")).to_have_value("1.234")
    expect(page.get_by_label("Tồn tại, hạn chế")).to_have_value("Kinh phí còn hạn hẹp.")
    shot("error")
    page.get_by_label("Trong đó hội viên").fill("1.000")
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.locator(".facts")).to_contain_text("đã nộp lúc")
    shot("submitted")
    report = UnitReport.objects.get(round=rnd, unit=cast.commune_a)
    assert report.state == ReportState.SUBMITTED
    assert Assignment.objects.get(task=rnd.task, recipient__unit=cast.commune_a).done_at

    # The province: the round, its Excel, the summary, the Báo cáo draft as Word.
    page.context.clear_cookies()
    login_as(cast.province_admin)
    page.goto(f"/bao-cao/dot/{rnd.pk}/")
    expect(page.locator(".stats")).to_contain_text(re.compile(r"Nộp đúng hạn\s*1"))
    shot("round")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải Excel").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = list(book["Tổng hợp"].iter_rows(min_row=4, values_only=True))
    assert ("Số cuộc tuyên truyền", "HD", "cuộc", 12, 1) in rows

    page.goto(f"/bao-cao/tong-hop/?don_vi={cast.province.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sơ kết, tổng kết")
    shot("summary")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải Excel").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book.sheetnames[0] == "Tuyên truyền"

    page.goto(f"/bao-cao/dot/{rnd.pk}/")
    page.get_by_role("button", name="Lập dự thảo báo cáo (Word, PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dự thảo")
    expect(page.locator(".doc-paper")).to_contain_text("Xã Đông Khê: Kinh phí còn hạn hẹp.")
    shot("draft")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải .docx").click()
    docx = Docx(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "BÁO CÁO" in text and "- Xã Đông Khê: Kinh phí còn hạn hẹp." in text
    cells = [c.text for t in docx.tables for r in t.rows for c in r.cells]
    assert "Số cuộc tuyên truyền" in cells and "12" in cells
