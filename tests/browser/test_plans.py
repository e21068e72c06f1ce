"""Issue a plan as the province, answer it as commune A, see the board change."""

import datetime as dt
import re

import pytest

from guongsang.plans.models import Document

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def test_plan_issue_answer_board(page, cast, login_as, shot):
    deadline = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    login_as(cast.province_admin)
    page.goto("/")
    page.get_by_role("navigation", name="Chức năng chính").get_by_role(
        "link", name="Văn bản"
    ).click()
    expect(page).to_have_url(re.compile(r"/van-ban/$"))
    page.get_by_role("link", name="Soạn văn bản mới").click()
    page.locator("#id_abstract").fill("Tuyên truyền các điển hình tiên tiến năm 2026")
    page.locator("#id_body").fill(
        "I. MỤC ĐÍCH, YÊU CẦU\n- Phát hiện, bồi dưỡng, nhân rộng điển hình."
    )
    page.locator("#id_task-0-title").fill("Xây dựng kế hoạch của đơn vị")
    page.locator("#id_task-0-deadline").fill(deadline)
    recipients = page.locator("#recipients")
    recipients.get_by_label("Xã Đông Khê").check()
    recipients.get_by_label("Phường Tân Giang").check()
    page.locator("#id_signer_title").fill("PHÓ CHỦ TỊCH")
    page.locator("#id_signer_name").fill("Hoàng Thị Thu Hà")
    shot("form")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dự thảo")
    page.get_by_role("button", name="Ban hành").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("01/KH-BTV")
    expect(page.locator(".doc-paper")).to_contain_text("Số: 01/KH-BTV")
    expect(page.locator(".doc-paper")).to_contain_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    shot("issued")
    doc = Document.objects.get(symbol="01/KH-BTV")
    page.get_by_role("link", name="Theo dõi thực hiện").click()
    expect(page.locator(".stat-unread dd")).to_have_text("2")
    expect(page.locator(".stat-done dd")).to_have_text("0")
    shot("board-before")

    # Commune A: the plan is in its inbox; it acknowledges and answers.
    page.context.clear_cookies()
    login_as(cast.a_staff)
    page.goto("/van-ban/")
    expect(page.locator(".notif-badge .count-pill")).to_be_visible()
    page.get_by_role("link", name="01/KH-BTV").click()
    page.get_by_role("button", name="Xác nhận đã nhận").click()
    expect(page.locator(".card-accent")).to_contain_text("đã xác nhận lúc")
    page.get_by_role("link", name="Trả lời", exact=True).click()
    page.locator("#id_note").fill("Đã xây dựng kế hoạch của xã.")
    shot("answer")
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.locator(".task-mine")).to_contain_text("Hoàn thành đúng hạn")
    shot("answered")

    # The province sees the board change.
    page.context.clear_cookies()
    login_as(cast.province_admin)
    page.goto(f"/van-ban/{doc.pk}/theo-doi/")
    expect(page.locator(".stat-done dd")).to_have_text("1")
    expect(page.locator(".stat-unread dd")).to_have_text("1")
    expect(page.locator("table.board")).to_contain_text("Đã xây dựng kế hoạch của xã.")
    page.locator("#id_trang_thai").select_option("done")
    expect(page.locator("table.board")).not_to_contain_text("Phường Tân Giang")
    expect(page.locator("table.board")).to_contain_text("Xã Đông Khê")
    shot("board-after")


def test_more_task_rows_can_be_added(page, cast, login_as, shot):
    """Three blank task rows come with the page; "Thêm nhiệm vụ" adds more, and they are saved."""
    deadline = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    login_as(cast.province_admin)
    page.goto("/van-ban/moi/")
    expect(page.locator("#task-rows .task-row")).to_have_count(3)
    page.get_by_role("button", name="Thêm nhiệm vụ").click()
    expect(page.locator("#task-rows .task-row")).to_have_count(4)
    expect(page.locator("#id_task-TOTAL_FORMS")).to_have_value("4")
    page.locator("#id_abstract").fill("Kế hoạch có bốn nhiệm vụ")
    for i in range(4):
        page.locator(f"#id_task-{i}-title").fill(f"Nhiệm vụ số {i + 1}")
        page.locator(f"#id_task-{i}-deadline").fill(deadline)
    page.locator("#recipients").get_by_label("Xã Đông Khê").check()
    shot("four-tasks")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dự thảo")
    document = Document.objects.get(abstract="Kế hoạch có bốn nhiệm vụ")
    assert sorted(document.tasks.values_list("title", flat=True)) == [
        f"Nhiệm vụ số {i}" for i in range(1, 5)
    ]
