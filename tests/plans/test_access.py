"""Who sees what: a commune sees only documents addressed to it or issued inside its subtree.
Every door is tried: page, exports (DOCX, PDF, XLSX), attachment and answer-file downloads,
and forged POSTs. Missing and forbidden both answer 404."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guongsang.core.uploads import CleanFile
from guongsang.plans import access, services
from guongsang.plans.models import Assignment, Document, TaskKind

from ..factories import make_user
from .conftest import TODAY, frozen, make_plan

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def docs(cast, plan):
    """plan: province → A and B; only_a: province → A, with an attachment; own: A → its branch;
    draft: an unissued province draft; A has answered a task of ``plan`` with a file."""
    with frozen(TODAY):
        only_a = make_plan(
            cast.province_admin,
            cast.province,
            [cast.commune_a],
            attachment=CleanFile(name="phu-luc.pdf", data=PDF_BYTES, kind="pdf"),
        )
        own = make_plan(cast.a_admin, cast.commune_a, [cast.branch_a], tasks=[])
        draft = make_plan(cast.province_admin, cast.province, [cast.commune_a], issue_on=False)
        a_task = Assignment.objects.get(
            task__document=plan, task__kind=TaskKind.PLAN, recipient__unit=cast.commune_a
        )
        services.assignment_answer(
            assignment=a_task,
            by=cast.a_staff,
            file=CleanFile(name="ke-hoach-xa.pdf", data=PDF_BYTES, kind="pdf"),
        )
    return {"plan": plan, "only_a": only_a, "own": own, "draft": draft, "a_task": a_task}


def visible_ids(user):
    return set(access.documents_for(user).values_list("pk", flat=True))


def test_document_scope_per_member_of_the_cast(cast, docs):
    d = {k: v.pk for k, v in docs.items() if k != "a_task"}
    assert visible_ids(cast.province_admin) == {d["plan"], d["only_a"], d["own"], d["draft"]}
    assert visible_ids(cast.a_staff) == {d["plan"], d["only_a"], d["own"]}
    assert visible_ids(cast.b_staff) == {d["plan"]}
    assert visible_ids(cast.branch_viewer) == {d["own"]}
    assert visible_ids(cast.outsider) == set()
    inbox_a = set(access.inbox_for(cast.a_staff).values_list("pk", flat=True))
    assert inbox_a == {d["plan"], d["only_a"]}
    assert not access.inbox_for(cast.province_admin).exists()
    # A superuser sees every document, drafts included; nothing comes from outside her scope.
    root = make_user(None, username="root.gs", full_name="Quản Trị", is_superuser=True)
    assert visible_ids(root) == set(Document.objects.values_list("pk", flat=True))
    assert d["draft"] in visible_ids(root) and len(visible_ids(root)) == len(d)
    assert not access.inbox_for(root).exists()


URLS = {
    "detail": "/van-ban/{pk}/",
    "docx": "/van-ban/{pk}/van-ban.docx",
    "pdf": "/van-ban/{pk}/van-ban.pdf",
}


@pytest.mark.parametrize(
    ("who", "doc", "expected"),
    [
        ("province_admin", "only_a", 200),
        ("a_staff", "only_a", 200),
        ("b_staff", "only_a", 404),
        ("branch_viewer", "only_a", 404),
        ("outsider", "only_a", 404),
        ("branch_viewer", "own", 200),
        ("b_staff", "own", 404),
        ("a_staff", "draft", 404),
        ("province_admin", "draft", 200),
    ],
)
def test_pages_and_exports(cast, docs, who, doc, expected):
    client = cast.client_for(getattr(cast, who))
    for name, url in URLS.items():
        response = client.get(url.format(pk=docs[doc].pk))
        assert response.status_code == expected, (name, response.status_code)


def test_missing_document_is_the_same_404(cast, docs):
    client = cast.client_for(cast.province_admin)
    assert client.get("/van-ban/999999/").status_code == 404
    assert client.get("/van-ban/999999/van-ban.docx").status_code == 404


def test_attachment_download(cast, docs):
    att = docs["only_a"].attachments.get()
    url = f"/van-ban/{docs['only_a'].pk}/dinh-kem/{att.pk}/"
    response = cast.client_for(cast.a_staff).get(url)
    assert response.status_code == 200 and response.content == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    for who in ("b_staff", "branch_viewer", "outsider"):
        assert cast.client_for(getattr(cast, who)).get(url).status_code == 404
    # The attachment id under another document: 404 too.
    other = f"/van-ban/{docs['plan'].pk}/dinh-kem/{att.pk}/"
    assert cast.client_for(cast.b_staff).get(other).status_code == 404


def test_answer_file_is_for_the_issuer_and_the_answering_unit(cast, docs):
    url = f"/van-ban/{docs['plan'].pk}/nhiem-vu/{docs['a_task'].pk}/tep/"
    assert cast.client_for(cast.province_admin).get(url).status_code == 200
    assert cast.client_for(cast.a_admin).get(url).status_code == 200
    # B received the same plan but must not read A's answer.
    assert cast.client_for(cast.b_staff).get(url).status_code == 404
    assert cast.client_for(cast.outsider).get(url).status_code == 404


@pytest.mark.parametrize("who", ["a_staff", "a_admin", "b_staff", "branch_viewer", "outsider"])
def test_board_and_xlsx_are_for_the_issuer_only(cast, docs, who):
    client = cast.client_for(getattr(cast, who))
    pk = docs["plan"].pk
    assert client.get(f"/van-ban/{pk}/theo-doi/").status_code == 404
    assert client.get(f"/van-ban/{pk}/theo-doi.xlsx").status_code == 404
    assert client.post(f"/van-ban/{pk}/don-doc/").status_code == 404


def test_board_xlsx_for_the_issuer(cast, docs):
    from openpyxl import load_workbook

    response = cast.client_for(cast.province_admin).get(f"/van-ban/{docs['plan'].pk}/theo-doi.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    units = [ws.cell(r, 1).value for r in range(5, ws.max_row + 1)]
    assert units == ["Xã Đông Khê", "Phường Tân Giang"]
    assert ws.cell(5, 3).value == "Hoàn thành đúng hạn"


def test_forged_posts(cast, docs):
    plan = docs["plan"]
    b_task = Assignment.objects.filter(task__document=plan, recipient__unit=cast.commune_b).first()
    a_task2 = Assignment.objects.filter(
        task__document=plan, recipient__unit=cast.commune_a, done_at__isnull=True
    ).first()
    b = cast.client_for(cast.b_staff)
    # B answers for A, acknowledges a document not sent to it, edits or issues a draft.
    assert (
        b.post(f"/van-ban/{plan.pk}/nhiem-vu/{a_task2.pk}/tra-loi/", {"note": "x"}).status_code
        == 404
    )
    assert b.post(f"/van-ban/{docs['only_a'].pk}/xac-nhan/").status_code == 404
    assert b.post(f"/van-ban/{docs['draft'].pk}/ban-hanh/").status_code == 404
    assert b.post(f"/van-ban/{docs['draft'].pk}/sua/", {"abstract": "x"}).status_code == 404
    # A's admin cannot issue the province's draft nor answer as the province.
    a = cast.client_for(cast.a_admin)
    assert a.post(f"/van-ban/{docs['draft'].pk}/ban-hanh/").status_code == 404
    # The province cannot answer a commune's task (it is the issuer).
    p = cast.client_for(cast.province_admin)
    assert (
        p.post(f"/van-ban/{plan.pk}/nhiem-vu/{b_task.pk}/tra-loi/", {"note": "x"}).status_code
        == 404
    )
    # A forged unit on the create form: the province is not A's to issue for.
    response = a.post(
        "/van-ban/moi/",
        {
            "unit": cast.province.pk,
            "organ": "BTV",
            "doc_type": "KH",
            "abstract": "Giả mạo",
            "archive": "VT",
            "task-TOTAL_FORMS": "0",
            "task-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 404
    b_task.refresh_from_db()
    a_task2.refresh_from_db()
    assert b_task.done_at is None and a_task2.done_at is None
    docs["draft"].refresh_from_db()
    assert docs["draft"].status == "draft"


def test_answer_upload_is_checked_by_content(cast, docs):
    plan = docs["plan"]
    b_task = Assignment.objects.filter(task__document=plan, recipient__unit=cast.commune_b).first()
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    response = cast.client_for(cast.b_staff).post(
        f"/van-ban/{plan.pk}/nhiem-vu/{b_task.pk}/tra-loi/", {"note": "Đã làm", "file": fake}
    )
    assert response.status_code == 200
    assert "không đúng loại cho phép" in response.content.decode()
    assert "Đã làm" in response.content.decode()  # the note is kept
    b_task.refresh_from_db()
    assert b_task.done_at is None


def test_commune_reads_history_of_the_former_commune_it_absorbed(cast):
    """A 2017 plan addressed to the former commune is visible to today's commune A (read only)."""
    with frozen(TODAY):
        old = make_plan(
            cast.province_admin,
            cast.province,
            [cast.former_commune],
            issue_on=dt.date(2017, 7, 28),
            tasks=[],
        )
    assert old.pk in visible_ids(cast.a_staff)
    assert old.pk not in visible_ids(cast.b_staff)
    assert not access.inbox_for(cast.a_staff).filter(pk=old.pk).exists()
