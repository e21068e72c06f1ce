"""Excel of a summary and of a round, and the Báo cáo draft: same access rules as the pages."""

import io

import pytest
from openpyxl import load_workbook

from guongsang.plans.models import Document
from guongsang.reports import services

from .test_services import END, START, entries, make_form, open_round

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def rnd(cast):
    form = make_form(cast.province_admin, cast.province)
    rnd = open_round(cast, form)
    report = services.report_open(by=cast.a_staff, rnd=rnd, unit=cast.commune_a)
    services.report_save(
        by=cast.a_staff, report=report, entries=entries(form, HD=3, HC="Ít kinh phí"), submit=True
    )
    services.report_open(by=cast.b_staff, rnd=rnd, unit=cast.commune_b)
    return rnd


def test_summary_excel_for_a_unit_she_may_view_only(cast):
    url = "/bao-cao/tong-hop/excel/"
    query = {"don_vi": cast.province.pk, "tu": "2026-01-01", "den": "2026-06-30"}
    response = cast.client_for(cast.province_admin).get(url, query)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tuyên truyền", "Điển hình", "Nhân rộng, nhiệm vụ"]
    assert cast.client_for(cast.a_staff).get(url, query).status_code == 404
    for bad in ({"tu": "2026-13-40"}, {"don_vi": "²"}, {"tu": "a\x00b"}, {"don_vi": 10**30}):
        response = cast.client_for(cast.province_admin).get(url, bad)
        assert response.status_code == 400
        assert "không hợp lệ" in response.content.decode()


def test_round_excel_whole_for_the_province_own_part_for_a_commune(cast, rnd):
    url = f"/bao-cao/dot/{rnd.pk}/excel/"
    whole = load_workbook(io.BytesIO(cast.client_for(cast.province_admin).get(url).content))
    units = [r[0] for r in whole["Theo đơn vị"].iter_rows(min_row=4, values_only=True)]
    assert units == ["Xã Đông Khê", "Phường Tân Giang", "Tổng hợp (báo cáo đã nộp)"] or units == [
        "Phường Tân Giang",
        "Xã Đông Khê",
        "Tổng hợp (báo cáo đã nộp)",
    ]
    response = cast.client_for(cast.a_staff).get(url)
    assert response.status_code == 200
    own = load_workbook(io.BytesIO(response.content))
    units = [r[0] for r in own["Theo đơn vị"].iter_rows(min_row=4, values_only=True)]
    assert units == ["Xã Đông Khê", "Tổng hợp (báo cáo đã nộp)"]
    assert cast.client_for(cast.outsider).get(url).status_code == 404


def test_a_draft_bao_cao_from_a_round_opens_in_the_documents_module(cast, rnd):
    client = cast.client_for(cast.province_admin)
    response = client.post(
        "/bao-cao/du-thao/", {"don_vi": cast.province.pk, "dot": rnd.pk}, follow=False
    )
    doc = Document.objects.get(doc_type="BC")
    assert response.status_code == 302 and response["Location"] == f"/van-ban/{doc.pk}/"
    assert doc.status == "draft" and doc.unit == cast.province
    assert "- Xã Đông Khê: Ít kinh phí" in doc.body
    assert "Số đơn vị đã nộp báo cáo: 1/2." in doc.body
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "doc-table" in page
    # A commune cannot draft in the province's name, nor for another commune.
    b = cast.client_for(cast.b_staff)
    assert b.post("/bao-cao/du-thao/", {"don_vi": cast.province.pk}).status_code == 404
    assert b.post("/bao-cao/du-thao/", {"don_vi": cast.commune_a.pk}).status_code == 404
    assert b.post("/bao-cao/du-thao/", {"don_vi": cast.commune_b.pk, "dot": "x"}).status_code == 400
    own = b.post(
        "/bao-cao/du-thao/",
        {"don_vi": cast.commune_b.pk, "tu": START.isoformat(), "den": END.isoformat()},
    )
    assert own.status_code == 302
    assert Document.objects.filter(doc_type="BC", unit=cast.commune_b).count() == 1


def test_the_summary_shows_the_rollup_of_submitted_reports_of_the_period(cast, rnd):
    query = {"don_vi": cast.province.pk, "tu": START.isoformat(), "den": END.isoformat()}
    page = cast.client_for(cast.province_admin).get("/bao-cao/tong-hop/", query).content.decode()
    assert "Tổng hợp từ báo cáo của các đơn vị" in page
    assert "1 báo cáo đã nộp" in page
    assert '<th scope="row">Số cuộc tuyên truyền</th><td>cuộc</td><td>3</td>' in page
    # Commune B sees the round, summed over her own subtree only (her report is a draft).
    query["don_vi"] = cast.commune_b.pk
    page = cast.client_for(cast.b_staff).get("/bao-cao/tong-hop/", query).content.decode()
    assert "0 báo cáo đã nộp" in page and "<td>cuộc</td><td>—</td>" in page
    # A period that does not hold the round's shows none.
    query.update({"tu": "2020-01-01", "den": "2020-12-31"})
    page = cast.client_for(cast.b_staff).get("/bao-cao/tong-hop/", query).content.decode()
    assert "Tổng hợp từ báo cáo của các đơn vị" not in page
