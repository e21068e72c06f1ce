"""Proposal pages and API: access (commune A cannot see or act on commune B's proposal), the
review at the province, bad input never a 500, downloads, query counts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guongsang.awards import proposals
from guongsang.awards.models import Proposal, ProposalState

from . import proposal_fixtures
from .proposal_fixtures import BANG_KHEN_TINH, GIAY_KHEN_TINH


def docx_text(data: bytes) -> str:
    """Paragraphs and table cells of a .docx, one per line."""
    from docx import Document as Docx

    doc = Docx(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


world = proposal_fixtures.world  # the fixture, shared by the proposal tests

S = ProposalState


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


@pytest.fixture
def b_proposal(world):
    """Commune B's submitted proposal."""
    aw, cast = world.aw, world.cast
    proposal = proposals.proposal_open(by=cast.b_staff, round=world.rnd, unit=cast.commune_b)
    proposals.item_add(
        by=cast.b_staff,
        proposal=proposal,
        subject=aw.b_individual,
        award_type=world.t(GIAY_KHEN_TINH),
    )
    proposal.refresh_from_db()
    return proposals.proposal_submit(by=cast.b_staff, proposal=proposal, version=proposal.version)


# ---- pages ---------------------------------------------------------------------------------------
def test_pages_render_for_the_proposer(world):
    cast = world.cast
    client = cast.client_for(cast.a_staff)
    assert client.get(url("round_list")).status_code == 200
    page = client.get(url("round_detail", world.rnd.pk))
    assert page.status_code == 200 and world.rnd.title in page.content.decode()
    response = client.post(url("proposal_open", world.rnd.pk), {"unit": cast.commune_a.pk})
    proposal = Proposal.objects.get(round=world.rnd, unit=cast.commune_a)
    assert response.status_code == 302 and response.url == url("proposal_detail", proposal.pk)
    page = client.get(url("proposal_detail", proposal.pk), {"q": "Nông Hạnh"})
    text = page.content.decode()
    assert page.status_code == 200 and world.aw.individual.name in text
    response = client.post(
        url("proposal_item_add", proposal.pk),
        {"doi_tuong": world.aw.individual.pk, "danh_hieu": GIAY_KHEN_TINH, "summary": "Tốt"},
    )
    assert response.status_code == 302
    assert proposal.items.count() == 1
    page = client.get(url("proposal_detail", proposal.pk))
    assert "Đủ điều kiện" in page.content.decode()
    proposal.refresh_from_db()
    response = client.post(url("proposal_submit", proposal.pk), {"version": proposal.version})
    proposal.refresh_from_db()
    assert proposal.state == S.SUBMITTED


def test_the_province_reviews_what_waits_at_it(world, b_proposal):
    cast = world.cast
    client = cast.client_for(cast.province_admin)
    queue = client.get(url("proposal_queue")).content.decode()
    assert cast.commune_b.name in queue
    page = client.get(url("proposal_detail", b_proposal.pk)).content.decode()
    assert "Tiếp nhận, trình Hội đồng" in page
    response = client.post(
        url("proposal_review", b_proposal.pk),
        {"action": "accept", "version": b_proposal.version, "reason": ""},
    )
    assert response.status_code == 302
    b_proposal.refresh_from_db()
    assert b_proposal.state == S.ACCEPTED
    page = client.get(url("round_detail", world.rnd.pk)).content.decode()
    assert world.aw.b_individual.name in page  # in the consolidated list
    xlsx = client.get(url("round_list_xlsx", world.rnd.pk))
    assert xlsx.status_code == 200
    docx = client.get(url("round_list_docx", world.rnd.pk))
    text = docx_text(docx.content)
    assert "DANH SÁCH" in text and world.aw.b_individual.name in text
    assert "Hội đồng Thi đua – Khen thưởng" in text
    pdf = client.get(url("round_list_pdf", world.rnd.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # A commune sees its own proposal's list, never the round's consolidated one.
    b_client = cast.client_for(cast.b_staff)
    for name in ("round_list_xlsx", "round_list_docx", "round_list_pdf"):
        assert b_client.get(url(name, world.rnd.pk)).status_code == 404, name


def test_commune_a_cannot_see_or_act_on_commune_bs_proposal(world, b_proposal, api):
    cast = world.cast
    client = cast.client_for(cast.a_staff)
    item = b_proposal.items.get()
    for name, arg in (
        ("proposal_detail", b_proposal.pk),
        ("proposal_list_xlsx", b_proposal.pk),
        ("proposal_list_docx", b_proposal.pk),
        ("proposal_list_pdf", b_proposal.pk),
        ("proposal_statement_docx", b_proposal.pk),
        ("proposal_report_docx", item.pk),
    ):
        assert client.get(url(name, arg)).status_code == 404, name
    for name, arg, data in (
        (
            "proposal_review",
            b_proposal.pk,
            {"action": "return", "version": b_proposal.version, "reason": "x"},
        ),
        ("proposal_submit", b_proposal.pk, {"version": b_proposal.version}),
        (
            "proposal_item_add",
            b_proposal.pk,
            {"doi_tuong": world.aw.individual.pk, "danh_hieu": GIAY_KHEN_TINH},
        ),
        ("proposal_item_remove", item.pk, {}),
        ("proposal_statement", b_proposal.pk, {}),
    ):
        assert client.post(url(name, arg), data).status_code == 404, name
    assert cast.commune_b.name not in client.get(url("round_detail", world.rnd.pk)).content.decode()
    b_proposal.refresh_from_db()
    assert b_proposal.state == S.SUBMITTED and b_proposal.items.count() == 1
    # Over the API too.
    a = api(cast.a_staff)
    assert a.get(f"/api/v1/award-proposals/{b_proposal.pk}").status_code == 404
    assert (
        a.post(
            f"/api/v1/award-proposals/{b_proposal.pk}/return",
            {"version": b_proposal.version, "reason": "x"},
        ).status_code
        == 404
    )
    listed = a.get("/api/v1/award-proposals").json()
    assert b_proposal.pk not in [p["id"] for p in listed["items"]]
    # The outsider sees neither the round nor the proposal.
    o = cast.client_for(cast.outsider)
    assert o.get(url("round_detail", world.rnd.pk)).status_code == 404
    assert o.get(url("proposal_detail", b_proposal.pk)).status_code == 404


def test_a_branch_viewer_cannot_submit(world):
    cast = world.cast
    proposal = world.with_items(unit=cast.branch_a)
    client = cast.client_for(cast.branch_viewer)
    assert client.get(url("proposal_detail", proposal.pk)).status_code == 200
    response = client.post(url("proposal_submit", proposal.pk), {"version": proposal.version})
    assert response.status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).state == S.DRAFT


@pytest.mark.parametrize(
    "data",
    [
        {"version": "\x00"},
        {"version": "99999999999999999999"},
        {"version": "١٢"},
        {"version": "-1"},
        {},
    ],
)
def test_bad_versions_never_500(world, data):
    proposal = world.with_items()
    client = world.cast.client_for(world.cast.a_staff)
    response = client.post(url("proposal_submit", proposal.pk), data)
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).state == S.DRAFT


def test_bad_input_never_500(world):
    cast = world.cast
    proposal = world.with_items()
    client = cast.client_for(cast.a_staff)
    assert client.get(url("proposal_detail", proposal.pk), {"q": "a\x00b"}).status_code == 200
    assert client.get(url("proposal_detail", proposal.pk), {"q": "x" * 5000}).status_code == 200
    assert client.get("/khen-thuong/dot/de-nghi/99999999999999999999/").status_code == 404
    for doi_tuong in ("\x00", "١", "99999999999999999999", "-5", ""):
        response = client.post(
            url("proposal_item_add", proposal.pk),
            {"doi_tuong": doi_tuong, "danh_hieu": GIAY_KHEN_TINH, "summary": "s\x00"},
        )
        assert response.status_code == 302
    assert (
        client.post(
            url("proposal_item_add", proposal.pk),
            {"doi_tuong": world.aw.household.pk, "danh_hieu": "khong-co\x00", "summary": ""},
        ).status_code
        == 302
    )
    assert proposal.items.count() == 1
    assert client.get(url("proposal_queue"), {"cap_duoi": "\x00"}).status_code == 200
    response = client.post(
        url("round_create"),
        {
            "u-unit": cast.commune_a.pk,
            "title": "Đợt\x00",
            "year": "٢٠٢٦",
            "period_start": "x",
            "period_end": "2026-13-40",
            "deadline": "",
        },
    )
    assert response.status_code == 200 and "Đợt" in response.content.decode()


def test_review_needs_a_reason_on_the_page(world, b_proposal):
    client = world.cast.client_for(world.cast.province_admin)
    response = client.post(
        url("proposal_review", b_proposal.pk),
        {"action": "reject", "version": b_proposal.version, "reason": ""},
        follow=True,
    )
    assert "Nhập lý do không chấp nhận" in response.content.decode()
    b_proposal.refresh_from_db()
    assert b_proposal.state == S.SUBMITTED


def test_round_create_page(world, today):
    client = world.cast.client_for(world.cast.province_admin)
    response = client.post(
        url("round_create"),
        {
            "u-unit": world.cast.province.pk,
            "title": "Sơ kết Kế hoạch 53",
            "year": today.year,
            "period_start": f"{today.year}-01-01",
            "period_end": f"{today.year}-06-30",
            "deadline": f"{today.year}-07-15",
            "award_types": [world.t(GIAY_KHEN_TINH).pk],
        },
    )
    assert response.status_code == 302


# ---- uploads and downloads ---------------------------------------------------------------------
def test_file_upload_checks_content(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = world.with_items()
    item = proposal.items.get()
    client = world.cast.client_for(world.cast.a_staff)
    fake = io.BytesIO(b"MZ not a pdf")
    fake.name = "minh-chung.pdf"
    client.post(url("proposal_file_upload", item.pk), {"file": fake})
    assert not item.files.exists()
    pdf = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    pdf.name = "minh-chung.pdf"
    client.post(url("proposal_file_upload", item.pk), {"file": pdf})
    record = item.files.get()
    assert client.get(url("proposal_file", record.pk)).status_code == 200
    other = world.cast.client_for(world.cast.b_staff)
    assert other.get(url("proposal_file", record.pk)).status_code == 404
    client.post(url("proposal_file_delete", record.pk))
    assert not item.files.exists()


def test_statement_docx_contains_the_list(world):
    from docx import Document

    proposal = world.with_items(subjects=[world.aw.individual, world.aw.household])
    client = world.cast.client_for(world.cast.a_staff)
    response = client.get(url("proposal_statement_docx", proposal.pk))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "TỜ TRÌNH" in text
    assert world.aw.individual.name in cells and world.aw.household.name in cells
    # Written into the documents module as a TTr draft of the commune.
    response = client.post(url("proposal_statement", proposal.pk))
    proposal.refresh_from_db()
    assert proposal.document.doc_type == "TTr" and proposal.document.unit == world.cast.commune_a
    assert response.url == reverse("plans:detail", args=[proposal.document.pk])


def test_report_docx_per_kind(world):
    from docx import Document

    proposal = world.with_items(subjects=[world.aw.household])
    item = proposal.items.get()
    proposals.item_update(by=world.cast.a_staff, item=item, achievements="Nuôi bò sinh sản")
    client = world.cast.client_for(world.cast.a_staff)
    doc = Document(io.BytesIO(client.get(url("proposal_report_docx", item.pk)).content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO THÀNH TÍCH CỦA HỘ GIA ĐÌNH" in text and "Nuôi bò sinh sản" in text


def test_pdfs_render(world):
    proposal = world.with_items()
    client = world.cast.client_for(world.cast.a_staff)
    for name, arg in (
        ("proposal_statement_pdf", proposal.pk),
        ("proposal_report_pdf", proposal.items.get().pk),
    ):
        response = client.get(url(name, arg))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_printed_list_groups_by_title_and_names_its_statement(world):
    """The danh sách as Word and PDF: landscape, grouped by title or form, "kèm theo" the tờ
    trình (its number once issued)."""
    from docx import Document as Docx

    proposal = world.with_items()
    item = proposal.items.select_related("subject", "award_type").get()
    client = world.cast.client_for(world.cast.a_staff)
    response = client.get(url("proposal_list_docx", proposal.pk))
    assert response.status_code == 200
    doc = Docx(io.BytesIO(response.content))
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape
    text = docx_text(response.content)
    assert item.subject.name in text and item.award_type.name.upper() in text
    assert "Kèm theo Tờ trình của" in text and "Tổng cộng: 1" in text
    pdf = client.get(url("proposal_list_pdf", proposal.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_xlsx_keeps_hostile_text_as_text(world):
    from openpyxl import load_workbook

    proposal = world.with_items()
    item = proposal.items.get()
    proposals.item_update(by=world.cast.a_staff, item=item, summary='=HYPERLINK("http://x","y")')
    client = world.cast.client_for(world.cast.a_staff)
    response = client.get(url("proposal_list_xlsx", proposal.pk))
    ws = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for row in ws.iter_rows() for c in row if str(c.value).startswith("=HYPER"))
    assert cell.data_type == "s"


# ---- query counts ---------------------------------------------------------------------------------
def test_round_page_and_queue_queries_do_not_grow(world, b_proposal):
    cast = world.cast
    client = cast.client_for(cast.province_admin)
    client.get(url("round_detail", world.rnd.pk))
    with CaptureQueriesContext(connection) as one:
        client.get(url("round_detail", world.rnd.pk))
    with CaptureQueriesContext(connection) as q_one:
        client.get(url("proposal_queue"))
    # More proposals, from more units.
    for unit, by in ((cast.commune_a, cast.a_staff), (cast.branch_a, cast.a_staff)):
        proposal = world.with_items(unit=unit) if unit != cast.commune_a else world.with_items()
        proposals.proposal_submit(by=by, proposal=proposal, version=proposal.version)
        if unit == cast.commune_a:
            proposal.refresh_from_db()
            proposals.proposal_forward(
                by=cast.province_admin, proposal=proposal, version=proposal.version
            )
    with CaptureQueriesContext(connection) as many:
        client.get(url("round_detail", world.rnd.pk))
    with CaptureQueriesContext(connection) as q_many:
        client.get(
            url(
                "proposal_queue",
            )
            + "?cap_duoi=1"
        )
    assert len(many) <= len(one)
    assert len(q_many) <= len(q_one)
    assert len(many) <= 20


# ---- API -----------------------------------------------------------------------------------------
def test_api_full_cycle(world, api):
    cast, aw = world.cast, world.aw
    a = api(cast.a_staff)
    rounds = a.get("/api/v1/award-rounds").json()
    assert world.rnd.pk in [r["id"] for r in rounds["items"]]
    assert a.get(f"/api/v1/award-rounds/{world.rnd.pk}").json()["title"] == world.rnd.title
    created = a.post(f"/api/v1/award-rounds/{world.rnd.pk}/proposals", {"unit": cast.commune_a.pk})
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    added = a.post(
        f"/api/v1/award-proposals/{pid}/items",
        {"subject": aw.individual.pk, "award_type": GIAY_KHEN_TINH, "summary": "Tốt"},
    )
    assert added.status_code == 201, added.content
    bad = a.post(
        f"/api/v1/award-proposals/{pid}/items",
        {"subject": aw.household.pk, "award_type": "khong-co"},
    )
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_award_type"
    version = a.get(f"/api/v1/award-proposals/{pid}").json()["version"]
    stale = a.post(f"/api/v1/award-proposals/{pid}/submit", {"version": version + 7})
    assert stale.status_code == 400 and stale.json()["code"] == "stale"
    sent = a.post(f"/api/v1/award-proposals/{pid}/submit", {"version": version})
    assert sent.status_code == 200 and sent.json()["state"] == "submitted"
    assert sent.json()["items"][0]["eligibility"]
    p = api(cast.province_admin)
    queue = p.get("/api/v1/award-proposals/queue").json()
    assert pid in [x["id"] for x in queue["items"]]
    version = sent.json()["version"]
    no_reason = p.post(f"/api/v1/award-proposals/{pid}/return", {"version": version, "reason": ""})
    assert no_reason.status_code == 400
    done = p.post(f"/api/v1/award-proposals/{pid}/forward", {"version": version})
    assert done.status_code == 200 and done.json()["state"] == "accepted"
    listed = p.get(f"/api/v1/award-rounds/{world.rnd.pk}/consolidated").json()
    assert listed[0]["award_type"] == GIAY_KHEN_TINH
    assert listed[0]["items"][0]["subject_id"] == aw.individual.pk
    # Commune A sees its own proposal but not the province's consolidated list.
    assert a.get(f"/api/v1/award-rounds/{world.rnd.pk}/consolidated").status_code == 404


def test_api_bad_input_never_500(world, api):
    a = api(world.cast.a_staff)
    proposal = world.with_items()
    for path in (
        "/api/v1/award-proposals/99999999999999999999",
        "/api/v1/award-proposals/0",
        "/api/v1/award-rounds/abc",
    ):
        assert a.get(path).status_code in (404, 422), path
    for body in (
        {"version": "\x00"},
        {"version": 2**40},
        {"version": "١٢"},
        {},
    ):
        response = a.post(f"/api/v1/award-proposals/{proposal.pk}/submit", body)
        assert response.status_code in (400, 422), (body, response.status_code)
    response = a.post(
        f"/api/v1/award-proposals/{proposal.pk}/items",
        {"subject": world.aw.household.pk, "award_type": GIAY_KHEN_TINH, "summary": "a\x00b"},
    )
    assert response.status_code == 400
    response = a.post(
        f"/api/v1/award-proposals/{proposal.pk}/items",
        {"subject": 2**40, "award_type": GIAY_KHEN_TINH},
    )
    assert response.status_code in (404, 422)
    assert Proposal.objects.get(pk=proposal.pk).items.count() == 1


def test_openapi_lists_the_proposal_endpoints(db):
    from django.test import Client

    paths = set(Client().get("/api/v1/openapi.json").json()["paths"])
    for path in (
        "/award-rounds",
        "/award-rounds/{round_id}",
        "/award-rounds/{round_id}/proposals",
        "/award-rounds/{round_id}/consolidated",
        "/award-proposals",
        "/award-proposals/queue",
        "/award-proposals/{proposal_id}",
        "/award-proposals/{proposal_id}/items",
        "/award-proposals/{proposal_id}/submit",
        "/award-proposals/{proposal_id}/forward",
        "/award-proposals/{proposal_id}/return",
        "/award-proposals/{proposal_id}/reject",
    ):
        assert "/api/v1" + path in paths, path
    assert Client().get("/api/v1/award-rounds").status_code == 401


def test_units_offered_to_open_a_proposal(world):
    from guongsang.awards import proposal_access

    cast = world.cast
    offered = set(proposal_access.proposing_units(cast.province_admin, world.rnd))
    assert {cast.province, cast.commune_a, cast.commune_b} <= offered
    assert cast.branch_a not in offered  # two levels down: not in the province officer's list
    offered = set(proposal_access.proposing_units(cast.a_staff, world.rnd))
    assert offered == {cast.commune_a, cast.branch_a}
    assert not proposal_access.proposing_units(cast.outsider, world.rnd).exists()


def test_item_edit_and_exemplars_button_pages(world):
    cast, aw = world.cast, world.aw
    world.exemplar(aw.household, report="Gia đình làm kinh tế giỏi")
    proposal = world.with_items()
    client = cast.client_for(cast.a_staff)
    response = client.post(url("proposal_exemplars", proposal.pk), {"danh_hieu": GIAY_KHEN_TINH})
    assert response.status_code == 302
    item = proposal.items.get(subject=aw.household)
    assert item.achievements == "Gia đình làm kinh tế giỏi"
    page = client.get(url("proposal_item_edit", item.pk))
    assert page.status_code == 200 and "Gia đình làm kinh tế giỏi" in page.content.decode()
    response = client.post(
        url("proposal_item_edit", item.pk),
        {
            "danh_hieu": BANG_KHEN_TINH,
            "summary": "Hộ tiêu biểu",
            "achievements": "Dòng 1\r\nDòng 2",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.award_type.code, item.summary) == (BANG_KHEN_TINH, "Hộ tiêu biểu")
    assert item.achievements == "Dòng 1\nDòng 2"
    # Kept with an error, nothing saved, on a NUL.
    page = client.post(
        url("proposal_item_edit", item.pk),
        {"danh_hieu": BANG_KHEN_TINH, "summary": "x\x00", "achievements": ""},
    )
    assert page.status_code == 200 and "ký tự điều khiển" in page.content.decode()
    item.refresh_from_db()
    assert item.summary == "Hộ tiêu biểu"


def test_queue_shows_the_desk_and_below(world):
    cast = world.cast
    proposal = world.submitted(unit=cast.branch_a)  # waits at commune A, which has a reviewer
    mine = cast.client_for(cast.a_admin).get(url("proposal_queue")).content.decode()
    assert url("proposal_detail", proposal.pk) in mine
    province = cast.client_for(cast.province_admin)
    assert (
        url("proposal_detail", proposal.pk)
        not in province.get(url("proposal_queue")).content.decode()
    )
    below = province.get(url("proposal_queue"), {"cap_duoi": "1"}).content.decode()
    assert url("proposal_detail", proposal.pk) in below


def test_reviewer_sees_the_stored_findings(world):
    aw, cast = world.aw, world.cast
    aw.give(aw.individual, BANG_KHEN_TINH, world.rnd.year - 1)
    proposal = world.with_items(codes=(BANG_KHEN_TINH,))
    proposals.proposal_submit(by=cast.a_staff, proposal=proposal, version=proposal.version)
    page = cast.client_for(cast.province_admin).get(url("proposal_detail", proposal.pk))
    text = page.content.decode()
    assert "Cần lưu ý" in text and "msg-warning" in text
    assert "Đủ điều kiện, có điểm cần lưu ý" in text


def test_proposal_page_queries_do_not_grow_with_items(world):
    aw, cast = world.aw, world.cast
    proposal = world.with_items()
    client = cast.client_for(cast.a_staff)
    client.get(url("proposal_detail", proposal.pk))
    with CaptureQueriesContext(connection) as one:
        client.get(url("proposal_detail", proposal.pk))
    for subject in (aw.household, aw.collective):
        proposals.item_add(
            by=cast.a_staff,
            proposal=proposal,
            subject=subject,
            award_type=world.t(GIAY_KHEN_TINH),
        )
    with CaptureQueriesContext(connection) as three:
        page = client.get(url("proposal_detail", proposal.pk))
    assert aw.collective.name in page.content.decode()
    assert len(three) <= len(one), [q["sql"] for q in three.captured_queries]


def test_api_round_create(world, api, today):
    cast = world.cast
    body = {
        "unit": cast.province.pk,
        "title": "Sơ kết Kế hoạch 53",
        "year": today.year,
        "period_start": f"{today.year}-01-01",
        "period_end": f"{today.year}-06-30",
        "deadline": f"{today.year}-07-15",
        "award_types": [GIAY_KHEN_TINH],
    }
    created = api(cast.province_admin).post("/api/v1/award-rounds", body)
    assert created.status_code == 201, created.content
    assert created.json()["award_types"] == [GIAY_KHEN_TINH]
    # Commune staff cannot open a round for the province: the unit is not theirs to edit.
    assert api(cast.a_staff).post("/api/v1/award-rounds", body).status_code == 404
    bad = api(cast.province_admin).post("/api/v1/award-rounds", {**body, "title": "a\x00"})
    assert bad.status_code == 400
