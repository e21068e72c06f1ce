"""Outreach in the browser: a branch head logs an activity on a phone through the quick-entry
form; an admin publishes a story and finds it on the public column; withdrawing the consent
takes it off at once. Screenshots of the back office and of the public column at both widths."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guongsang.exemplars.models import Category, SubjectKind
from guongsang.outreach import services
from guongsang.outreach.models import Activity, ActivityForm, Story, StoryState

from ..exemplars import conftest as pipeline
from ..outreach.conftest import PLAN_FORMS, Column, image_bytes, make_activity
from .conftest import choose

# The exemplar pipeline's fixtures, reused as they are.
movement = pipeline.movement
criteria_set = pipeline.criteria_set
review_round = pipeline.review_round
reviewer = pipeline.reviewer
world = pipeline.world

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

STORY_TITLE = "Người gieo hạt thạch đen ở Nà Pàn"
STORY_BODY = (
    "<p>Từ năm 2019, chị Hạnh vận động 32 hộ hội viên chuyển sang trồng thạch đen, "
    "thu nhập mỗi hộ tăng gần gấp đôi.</p><h2>Cách làm</h2>"
    "<ul><li>Góp vốn xoay vòng trong chi hội.</li><li>Liên kết với hợp tác xã để bao tiêu.</li>"
    "</ul><p>Chị nói: <em>“Làm được thì phải giúp chị em cùng làm.”</em></p>"
)


@pytest.fixture
def forms(db):
    """The plan's forms (a transactional test before this one flushed the seeded rows)."""
    for order, name in enumerate(PLAN_FORMS):
        ActivityForm.objects.get_or_create(name=name, defaults={"order": order})


@pytest.fixture
def column(world, forms) -> Column:
    return Column(world)


def test_log_an_activity_on_a_phone(page, cast, forms, login_as, shot):
    make_activity(cast.a_staff, cast.commune_a, "Hội nghị biểu dương phụ nữ tiêu biểu")
    branch_head = cast.a_staff
    login_as(branch_head)
    page.goto("/")
    page.get_by_role("navigation", name="Chức năng chính").get_by_role(
        "link", name="Tuyên truyền"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoạt động tuyên truyền")
    shot("list-before")
    page.get_by_role("main").get_by_role("link", name="Ghi hoạt động").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ghi nhanh hoạt động tuyên truyền")
    expect(page.get_by_label("Ngày")).to_have_value(timezone.localdate().strftime("%d/%m/%Y"))
    shot("form")

    choose(page, "Đơn vị", "na pan", "Chi hội Nà Pàn – Xã Đông Khê")
    page.get_by_label("Hình thức").select_option(label="Sinh hoạt chi hội")
    page.get_by_label("Nội dung").fill("Sinh hoạt chuyên đề “5 không, 3 sạch”")
    page.get_by_label("Số người tham dự").fill("38")
    page.get_by_label("Trong đó hội viên").fill("45")
    page.get_by_role("button", name="Lưu, ghi tiếp").click()
    expect(page.locator(".errorlist")).to_contain_text(
        "Số hội viên không được lớn hơn tổng số người tham dự."
    )
    expect(page.get_by_label("Nội dung")).to_have_value("Sinh hoạt chuyên đề “5 không, 3 sạch”")
    shot("error")
    assert Activity.objects.count() == 1

    page.get_by_label("Trong đó hội viên").fill("35")
    page.get_by_role("button", name="Lưu và xem").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi hoạt động")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sinh hoạt chuyên đề “5 không, 3 sạch”"
    )
    activity = Activity.objects.get(title="Sinh hoạt chuyên đề “5 không, 3 sạch”")
    assert (activity.unit, activity.participants, activity.members) == (cast.branch_a, 38, 35)
    shot("detail")

    page.get_by_role("navigation", name="Tuyên truyền").get_by_role(
        "link", name="Hoạt động", exact=True
    ).click()
    row = page.locator("table.table tr", has=page.get_by_role("link", name=activity.title))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Chi hội Nà Pàn")
    expect(page.locator("tr.total")).to_contain_text("78")
    page.get_by_label("Nội dung").fill("5 khong 3 sach")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("table.table").last.locator("tbody tr")).to_have_count(1)
    shot("list")


def test_publish_a_story_and_withdraw_consent(page, cast, column, login_as, shot, watcher):
    exemplar = column.exemplar(name="Nông Thị Hạnh", phone="0912345678")
    column.consent(exemplar)
    story = column.in_review(exemplar, STORY_TITLE, body=STORY_BODY, summary="")
    image = services.story_image_add(
        by=cast.a_staff,
        story=story,
        upload=SimpleUploadedFile("vuon.jpg", image_bytes(size=(960, 600)), "image/jpeg"),
        caption="Vườn thạch đen của chị Hạnh",
    )
    login_as(cast.a_admin)
    page.goto(f"/tuyen-truyen/bai-viet/{story.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(STORY_TITLE)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chờ duyệt")
    shot("review")
    page.get_by_role("button", name="Đăng lên chuyên mục").click()
    expect(page.locator(".messages")).to_contain_text("Bài viết: Đã đăng.")
    assert Story.objects.get(pk=story.pk).state == StoryState.PUBLISHED
    shot("published")

    page.goto("/tuyen-truyen/bai-viet/")
    expect(page.get_by_role("link", name=STORY_TITLE)).to_be_visible()
    shot("stories")
    page.goto(f"/tuyen-truyen/bai-viet/{story.pk}/")
    page.get_by_role("link", name="Xem trên chuyên mục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(STORY_TITLE)
    expect(page.get_by_role("img", name="Vườn thạch đen của chị Hạnh").first).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("0912345678")
    page.goto("/chuyen-muc/")
    expect(page.get_by_role("link", name=STORY_TITLE)).to_be_visible()
    page.get_by_label("Tìm bài viết").fill("gieo hat thach den")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_role("link", name=STORY_TITLE)).to_be_visible()
    shot("public")

    # Withdraw the consent: the story leaves the public column at once.
    page.goto(f"/tuyen-truyen/dong-y/{exemplar.subject_id}/")
    shot("consent")
    page.get_by_label("Lý do rút lại (không bắt buộc)").fill("Gia đình xin không đăng nữa")
    page.get_by_role("button", name="Rút lại sự đồng ý").click()  # confirmed by the dialog
    expect(page.locator(".messages")).to_contain_text(
        "Đã rút lại sự đồng ý; 1 bài viết được gỡ khỏi chuyên mục."
    )
    expect(page.locator(".consent-withdrawn")).to_contain_text("Gia đình xin không đăng nữa")
    shot("withdrawn")
    page.goto("/chuyen-muc/")
    expect(page.get_by_role("link", name=STORY_TITLE)).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("Chưa có bài viết nào.")
    page.goto("/chuyen-muc/bai-viet/?q=gieo+hat")
    expect(page.get_by_role("link", name=STORY_TITLE)).to_have_count(0)
    response = page.goto(story.get_absolute_url())
    assert response.status == 404
    assert page.request.get(f"/chuyen-muc/anh/{image.pk}/").status == 200  # she is staff
    assert Story.objects.get(pk=story.pk).state == StoryState.UNPUBLISHED
    watcher.errors[:] = [e for e in watcher.errors if "404" not in e]


def test_public_column_pages(page, cast, column, shot):
    year = timezone.localdate().year
    people = [
        (
            SubjectKind.INDIVIDUAL,
            cast.branch_a,
            "Nông Thị Hạnh",
            "Người gieo hạt thạch đen",
            Category.ADVANCED_EXEMPLAR,
            None,
        ),
        (
            SubjectKind.HOUSEHOLD,
            cast.branch_b,
            "Hoàng Thị Duyên",
            "Giữ nghề dệt thổ cẩm, đón khách du lịch cộng đồng ở Bản Giốc",
            Category.NEW_MODEL,
            year - 1,
        ),
        (
            SubjectKind.COLLECTIVE,
            cast.commune_a,
            "Chi hội Nà Pàn",
            "Tổ tiết kiệm xoay vòng giúp 12 hộ thoát nghèo",
            Category.NEW_FACTOR,
            None,
        ),
    ]
    news = column.exemplar(SubjectKind.INDIVIDUAL, name="Lục Thị Xuân")
    for n in range(10):
        column.published(news, f"Tin ngắn số {n + 1}", summary="Tin ngắn về phong trào ở cơ sở.")
    stories = []
    for kind, unit, name, title, category, in_year in people:
        exemplar = column.exemplar(kind, unit=unit, name=name, category=category, year=in_year)
        story = column.published(
            exemplar,
            title,
            body=STORY_BODY,
            summary="Một tấm gương được chi hội và bà con trong xóm tin yêu, học theo.",
        )
        stories.append(story)
    for story in stories[:2]:
        services.story_image_add(
            by=cast.province_admin,
            story=story,
            upload=SimpleUploadedFile("anh.jpg", image_bytes(size=(960, 600)), "image/jpeg"),
            caption="Ảnh tư liệu của chi hội",
        )

    page.goto("/chuyen-muc/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Những tấm gương sáng")
    assert page.locator("script").count() == 0
    shot("home")
    page.goto("/chuyen-muc/bai-viet/")
    expect(page.locator(".pub-pages")).to_contain_text("Trang 1/2")
    shot("list")
    page.get_by_label("Đối tượng").select_option(label="Hộ gia đình")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"doi_tuong=household"))
    expect(page.locator(".pub-card")).to_have_count(1)
    shot("list-filtered")
    page.get_by_role("link", name=stories[1].title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(stories[1].title)
    shot("story")
    page.emulate_media(media="print")
    expect(page.locator(".pub-header")).to_be_hidden()
    shot("story-print")
    page.emulate_media(media="screen")


def test_forms_and_import_pages(page, cast, forms, login_as, shot, tmp_path):
    from openpyxl import Workbook

    login_as(cast.province_admin)
    page.goto("/tuyen-truyen/hinh-thuc/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hình thức tuyên truyền")
    page.locator("#id_name").fill("Sân khấu hóa")
    page.get_by_role("button", name="Thêm").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu danh mục hình thức.")
    expect(page.get_by_role("main")).to_contain_text("Sân khấu hóa")
    shot("forms")

    wb = Workbook()
    ws = wb.active
    ws.append(["Mã đơn vị (*)", "Ngày (*)", "Hình thức (*)", "Nội dung (*)", "Số người", "HV"])
    ws.append(["01450", "01/11/2026", "Hội nghị", "Hội nghị đúng", 10, 5])
    ws.append(["KHONGCO", "32/13/2026", "Hội chợ", "Sai nhiều chỗ", "nhiều", 5])
    ws.append(["01450", "01/11/2026", "Hội nghị", "Hội viên nhiều hơn", 10, 50])
    path = tmp_path / "hoat-dong.xlsx"
    wb.save(path)
    page.goto("/tuyen-truyen/nhap-excel/")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và nhập").click()
    expect(page.locator(".msg-error")).to_contain_text("Chưa nhập: có 2 lỗi.")
    expect(page.locator("table.import-errors")).to_contain_text("hình thức “Hội chợ”")
    assert Activity.objects.count() == 0
    shot("import-errors")
