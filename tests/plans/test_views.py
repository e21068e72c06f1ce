"""The pages: lists, the form, issuing, answering, the board; query counts that do not grow."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guongsang.plans.models import Assignment, Document, Recipient, Reminder, TaskKind
from guongsang.units.models import UnitKind

from ..factories import make_unit
from .conftest import TODAY, frozen, make_plan


def form_data(cast, **over):
    data = {
        "unit": cast.province.pk,
        "organ": "BTV",
        "doc_type": "KH",
        "abstract": "Tuyên truyền điển hình tiên tiến năm 2026",
        "body": "I. MỤC ĐÍCH\n- Phát hiện, bồi dưỡng, nhân rộng.",
        "recipients": [cast.commune_a.pk, cast.commune_b.pk],
        "archive": "VT",
        "authority": "TM.",
        "signer_title": "Phó Chủ tịch",
        "signer_name": "Hoàng Thị Thu Hà",
        "task-TOTAL_FORMS": "2",
        "task-INITIAL_FORMS": "0",
        "task-0-kind": "plan",
        "task-0-title": "Xây dựng kế hoạch của đơn vị",
        "task-0-deadline": "2026-03-20",
        "task-0-scope": "",
        "task-1-kind": "other",
        "task-1-title": "",
        "task-1-deadline": "",
    }
    data.update(over)
    return data


def test_list_shows_inbox_and_outbox(cast, plan):
    a = cast.client_for(cast.a_staff)
    page = a.get("/van-ban/").content.decode()
    assert "01/KH-BTV" in page and "chưa xác nhận" in page
    out = cast.client_for(cast.province_admin).get("/van-ban/?hop=di").content.decode()
    assert "01/KH-BTV" in out
    assert (
        "01/KH-BTV"
        not in cast.client_for(cast.outsider).get("/van-ban/?hop=tat-ca").content.decode()
    )


def test_the_section_opens_on_the_tab_that_holds_documents(cast, plan):
    """The commune received the plan: it opens on "Văn bản đến". The province sent it and
    received nothing: it opens on "Văn bản đi", not on an empty list."""
    commune = cast.client_for(cast.a_staff).get("/van-ban/")
    assert commune.context["tab"] == "den" and "01/KH-BTV" in commune.content.decode()
    province = cast.client_for(cast.province_admin).get("/van-ban/")
    assert province.context["tab"] == "di" and "01/KH-BTV" in province.content.decode()
    # Asked for, the incoming tab is shown even when empty; a user with nothing gets it too.
    assert cast.client_for(cast.province_admin).get("/van-ban/?hop=den").context["tab"] == "den"
    assert cast.client_for(cast.outsider).get("/van-ban/").context["tab"] == "den"


def test_create_keeps_input_on_error_and_saves_nothing(cast):
    client = cast.client_for(cast.province_admin)
    response = client.post("/van-ban/moi/", form_data(cast, abstract="", **{"task-0-deadline": ""}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhập hạn hoàn thành." in html
    assert "Xây dựng kế hoạch của đơn vị" in html  # the task title is kept
    assert "Phát hiện, bồi dưỡng, nhân rộng." in html  # the body is kept
    assert not Document.objects.exists()


def test_create_issue_and_answer_through_the_pages(cast, mailoutbox):
    province = cast.client_for(cast.province_admin)
    with frozen(TODAY):
        response = province.post("/van-ban/moi/", form_data(cast))
        doc = Document.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/van-ban/{doc.pk}/"
        assert doc.status == "draft" and doc.tasks.count() == 1
        assert doc.signer_title == "Phó Chủ tịch" and doc.authority_of == "BAN THƯỜNG VỤ"
        province.post(f"/van-ban/{doc.pk}/ban-hanh/", {"issued_on": ""})
        doc.refresh_from_db()
        assert doc.symbol == "01/KH-BTV" and doc.issued_on == TODAY

        a = cast.client_for(cast.a_staff)
        page = a.get(f"/van-ban/{doc.pk}/").content.decode()
        assert "Xác nhận đã nhận" in page and "Số: 01/KH-BTV" in page
        rec = doc.recipients.get(unit=cast.commune_a)
        assert rec.read_at is not None and rec.acknowledged_at is None
        a.post(f"/van-ban/{doc.pk}/xac-nhan/")
        rec.refresh_from_db()
        assert rec.acknowledged_at is not None

        assignment = Assignment.objects.get(recipient=rec)
        response = a.post(
            f"/van-ban/{doc.pk}/nhiem-vu/{assignment.pk}/tra-loi/", {"note": "Đã xây dựng"}
        )
        assert response.status_code == 302
        assignment.refresh_from_db()
        assert assignment.done_at is not None and assignment.done_by == cast.a_staff

        board = province.get(f"/van-ban/{doc.pk}/theo-doi/").content.decode()
        assert "Hoàn thành đúng hạn" in board and "Đã xây dựng" in board
    # The province viewing its own document marks nothing read.
    assert doc.recipients.get(unit=cast.commune_b).read_at is None


def test_unit_plan_answering_from_the_task_link(cast, plan):
    rec = plan.recipients.get(unit=cast.commune_a)
    assignment = Assignment.objects.get(recipient=rec, task__kind=TaskKind.PLAN)
    a = cast.client_for(cast.a_admin)
    url = f"/van-ban/moi/?van_ban={plan.pk}&tra_loi={assignment.pk}&unit={cast.commune_a.pk}"
    page = a.get(url).content.decode()
    assert "trả lời nhiệm vụ" in page and plan.symbol in page
    with frozen(TODAY + dt.timedelta(days=1)):
        data = form_data(
            cast,
            unit=cast.commune_a.pk,
            recipients=[cast.branch_a.pk],
            **{"task-0-deadline": "2026-03-10"},
        )
        response = a.post(url, data)
        own = Document.objects.get(unit=cast.commune_a)
        assert response.status_code == 302
        a.post(f"/van-ban/{own.pk}/ban-hanh/", {})
    assignment.refresh_from_db()
    assert assignment.answer_document_id == own.pk
    assert own.parent_id == plan.pk


def test_board_filters_and_reminder(cast, plan):
    province = cast.client_for(cast.province_admin)
    deadline = plan.tasks.get(kind=TaskKind.PLAN).deadline
    with frozen(deadline + dt.timedelta(days=1)):
        html = province.get(
            f"/van-ban/{plan.pk}/theo-doi/?trang_thai=overdue&q=dong khe",
            headers={"HX-Request": "true"},
        ).content.decode()
        assert "Xã Đông Khê" in html and "Phường Tân Giang" not in html
        assert "<html" not in html  # a fragment
        response = province.post(f"/van-ban/{plan.pk}/don-doc/")
        assert response.status_code == 302
        assert Reminder.objects.count() == 2
        html = province.get(f"/van-ban/{plan.pk}/theo-doi/").content.decode()
        assert "1 lần, gần nhất" in html


def _many_communes(cast, n):
    return [make_unit(f"Xã Thử {i}", UnitKind.COMMUNE, cast.province) for i in range(n)]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("n", [2, 25])
def test_board_query_count_does_not_grow(cast, n, settings):
    with frozen(TODAY):
        doc = make_plan(cast.province_admin, cast.province, _many_communes(cast, n))
        Reminder.objects.bulk_create(
            [
                Reminder(recipient=r, sent_at=doc.issued_at, text="x")
                for r in Recipient.objects.filter(document=doc)
            ]
        )
    client = cast.client_for(cast.province_admin)
    queries = count_queries(client, f"/van-ban/{doc.pk}/theo-doi/")
    xlsx = count_queries(client, f"/van-ban/{doc.pk}/theo-doi.xlsx")
    detail = count_queries(client, f"/van-ban/{doc.pk}/")
    test_board_query_count_does_not_grow.seen.setdefault("board", set()).add(queries)
    test_board_query_count_does_not_grow.seen.setdefault("xlsx", set()).add(xlsx)
    test_board_query_count_does_not_grow.seen.setdefault("detail", set()).add(detail)
    if n == 25:
        for name, counts in test_board_query_count_does_not_grow.seen.items():
            assert len(counts) == 1, (name, counts)


test_board_query_count_does_not_grow.seen = {}


def test_list_query_counts_do_not_grow(cast):
    client_p = cast.client_for(cast.province_admin)
    client_a = cast.client_for(cast.a_staff)
    counts = []
    for batch in (1, 8):
        with frozen(TODAY):
            for _ in range(batch):
                make_plan(cast.province_admin, cast.province, [cast.commune_a], tasks=[])
        counts.append(
            (
                count_queries(client_p, "/van-ban/?hop=di"),
                count_queries(client_a, "/van-ban/?hop=den"),
                count_queries(client_a, "/van-ban/?hop=tat-ca"),
            )
        )
    assert counts[0] == counts[1]


def test_recipients_fragment_lists_children_of_the_chosen_unit(cast):
    a = cast.client_for(cast.a_admin)
    html = a.get(f"/van-ban/don-vi-nhan/?unit={cast.commune_a.pk}").content.decode()
    assert "Chi hội Nà Pàn" in html
    assert a.get(f"/van-ban/don-vi-nhan/?unit={cast.province.pk}").status_code == 404


def test_list_search_ignores_accents_on_the_abstract_and_matches_the_symbol(cast, plan):
    client = cast.client_for(cast.a_staff)
    for query in ("tuyen truyen dien hinh", "Tuyên truyền", "TUYEN TRUYEN", "01/KH-BTV"):
        page = client.get("/van-ban/", {"q": query, "hop": "tat-ca"}).content.decode()
        assert "01/KH-BTV" in page, query
    page = client.get("/van-ban/", {"q": "khong co van ban nay", "hop": "tat-ca"}).content.decode()
    assert "01/KH-BTV" not in page


def test_board_shows_a_page_of_units_and_counts_them_all(cast):
    communes = [
        make_unit(f"Xã Thử {i:03d}", UnitKind.COMMUNE, cast.province, code=f"T{i:04d}")
        for i in range(103)
    ]
    with frozen(TODAY):
        doc = make_plan(cast.province_admin, cast.province, communes)
        client = cast.client_for(cast.province_admin)
        first = client.get(f"/van-ban/{doc.pk}/theo-doi/").content.decode()
        second = client.get(f"/van-ban/{doc.pk}/theo-doi/", {"page": 2}).content.decode()
    assert first.count("Xã Thử ") == 100 and second.count("Xã Thử ") == 3
    assert "Trang 1/2" in first and "Trang 2/2" in second

    # The counts above the table cover every recipient, whichever page is shown.
    def stats(page):
        return page[page.index('<dl class="stats">') : page.index("</dl>")]

    assert stats(first) == stats(second)
    assert ">206<" in stats(first)  # 103 units x 2 tasks, all unread
