"""Certificates (issue 9, point 7): one per awardee of an issued decision, a PDF with a QR code
and a short code that open a public page showing only the name, the award, the year, the
decision and the issuing body — or "revoked"; codes that cannot be guessed or walked through."""

import datetime as dt
import re
import subprocess
import tempfile

import pytest
from django.test import Client

from guongsang.awards import certificates, decisions
from guongsang.awards.models import Certificate

from .test_decisions import closed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(cast, closed):  # noqa: F811
    session, hoa, _lan = closed
    decision = decisions.decision_draft(by=cast.province_admin, session=session)
    decision = decisions.decision_issue(
        by=cast.province_admin, decision=decision, on=dt.date(2024, 7, 1)
    )
    assert decision.document.symbol  # the issued document, numbered
    return decision, hoa


def test_issuing_makes_one_unguessable_code_per_awardee(issued):
    decision, hoa = issued
    [cert] = Certificate.objects.all()
    assert cert.line.decision == decision and cert.line.subject == hoa
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{16}", cert.code)
    codes = {certificates.new_code() for _ in range(2000)}
    assert len(codes) == 2000  # 80 bits: no repeat expected


def test_the_public_page_shows_only_what_it_should(cast, issued):
    decision, hoa = issued
    cert = Certificate.objects.get()
    page = Client().get(f"/xac-minh/{cert.code}/")  # no login
    html = page.content.decode()
    assert page.status_code == 200 and "Hợp lệ." in html
    for shown in ("=Lò Thị Hoa", "Lao động tiên tiến", str(decision.year),
                  decision.document.symbol, "01/07/2024", "Hội LHPN tỉnh Cao Bằng"):  # fmt: skip
        assert shown in html
    for hidden in (hoa.unit.name, "1985", "Tiêu biểu", "Hà Thị Lan"):
        assert hidden not in html
    # A typed code with spaces or a dash, in lower case, finds it too.
    typed = f"{cert.code[:8].lower()}-{cert.code[8:]}"
    assert Client().get(f"/xac-minh/{typed}/").status_code == 200


@pytest.mark.parametrize("code", ["AAAAAAAAAAAAAAAA", "abc", "0" * 16, "%00", "x" * 500, "²" * 16])
def test_unknown_or_malformed_codes_are_not_found(issued, code):
    response = Client().get(f"/xac-minh/{code}/")
    assert response.status_code == 404
    assert "Không tìm thấy giấy chứng nhận" in response.content.decode()


def test_a_revoked_certificate_says_so(cast, issued):
    cert = Certificate.objects.get()
    admin = cast.client_for(cast.province_admin)
    empty = admin.post(f"/khen-thuong/quyet-dinh/dong/{cert.line_id}/thu-hoi/", {"reason": ""})
    assert empty.status_code == 302
    cert.refresh_from_db()
    assert cert.revoked_at is None
    # Commune staff cannot revoke the province's certificate.
    other = cast.client_for(cast.a_staff)
    url = f"/khen-thuong/quyet-dinh/dong/{cert.line_id}/thu-hoi/"
    assert other.post(url, {"reason": "x"}).status_code == 404
    admin.post(url, {"reason": "Cấp nhầm người"})
    html = Client().get(f"/xac-minh/{cert.code}/").content.decode()
    assert "Đã thu hồi." in html and "Hợp lệ." not in html


def test_the_pdf_is_a4_landscape_with_the_name_the_decision_and_the_code(cast, issued):
    decision, _hoa = issued
    cert = Certificate.objects.get()
    admin = cast.client_for(cast.province_admin)
    response = admin.get(f"/khen-thuong/quyet-dinh/{decision.pk}/giay-khen.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(response.content)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=False)
        text = subprocess.run(
            ["pdftotext", f.name, "-"], capture_output=True, text=True, check=False
        )
    if info.returncode != 0:
        pytest.skip("poppler-utils not installed")
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout)
    assert float(size.group(1)) > float(size.group(2))  # landscape
    document = decision.document
    for expected in (
        "=Lò Thị Hoa",
        "LAO ĐỘNG TIÊN TIẾN",
        document.symbol,
        cert.code,
        "TM. BAN THƯỜNG VỤ",
        document.signer_name,  # the chair of the council, named on the decision
    ):
        assert expected and expected in text.stdout, expected
    # One awardee's own page; another unit's staff gets nothing.
    assert (
        admin.get(f"/khen-thuong/quyet-dinh/dong/{cert.line_id}/giay-khen.pdf").status_code == 200
    )
    for user in (cast.a_staff, cast.b_staff, cast.outsider):
        client = cast.client_for(user)
        assert client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/giay-khen.pdf").status_code == 404
        assert (
            client.get(f"/khen-thuong/quyet-dinh/dong/{cert.line_id}/giay-khen.pdf").status_code
            == 404
        )
