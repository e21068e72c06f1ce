"""The story editor and the story photos in the browser (issue 12): the toolbar types the
text format's marks, a photo uploads without losing the typed text, the preview shows the
public rendering; the public pages load the small renditions. Screenshots at both widths."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from guongsang.outreach import services
from guongsang.outreach.models import ActivityForm, StoryFormat

from ..exemplars import conftest as pipeline
from ..outreach.conftest import PLAN_FORMS, Column

movement = pipeline.movement
criteria_set = pipeline.criteria_set
review_round = pipeline.review_round
reviewer = pipeline.reviewer
world = pipeline.world

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


@pytest.fixture
def column(world, db) -> Column:
    for order, name in enumerate(PLAN_FORMS):
        ActivityForm.objects.get_or_create(name=name, defaults={"order": order})
    return Column(world)


def photo_bytes(size=(2400, 1800), hue=0) -> bytes:
    """Something like a photo: a sky, a field and a house."""
    w, h = size
    image = Image.new("RGB", size, (120 + hue, 170, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, h * 0.6, w, h), fill=(70, 140 - hue // 2, 60))
    draw.polygon([(w * 0.3, h * 0.6), (w * 0.45, h * 0.35), (w * 0.6, h * 0.6)], fill=(150, 60, 40))
    draw.rectangle((w * 0.33, h * 0.6, w * 0.57, h * 0.85), fill=(230, 210, 170))
    draw.ellipse((w * 0.75, h * 0.1, w * 0.88, h * 0.27), fill=(255, 220, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def upload(name: str, hue: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(hue=hue), "image/jpeg")


def test_write_a_story_with_the_toolbar(page, cast, column, login_as, shot, tmp_path):
    exemplar = column.exemplar(name="Hoàng Thị Duyên")
    story = column.draft(
        exemplar, "Giữ nghề dệt, đón khách ở Bản Giốc", body="Mở đầu.", body_format=StoryFormat.TEXT
    )
    services.story_image_add(
        by=cast.a_staff, story=story, upload=upload("nha.jpg"), caption="Nhà sàn của chị Duyên"
    )
    login_as(cast.a_staff)
    page.goto(f"/tuyen-truyen/bai-viet/{story.pk}/")
    body = page.locator("textarea[data-story-editor]")
    toolbar = page.get_by_role("toolbar", name="Định dạng")
    expect(toolbar).to_be_visible()
    body.fill("Chị giữ nghề dệt thổ cẩm")
    # Select "nghề dệt" and make it bold.
    body.evaluate("(el) => el.setSelectionRange(8, 16)")
    toolbar.get_by_role("button", name="Đậm").click()
    expect(body).to_have_value("Chị giữ **nghề dệt** thổ cẩm")
    body.press("End")
    body.type("\nNhận khách nghỉ tại nhà")
    toolbar.get_by_role("button", name="• Danh sách").click()
    expect(body).to_have_value("Chị giữ **nghề dệt** thổ cẩm\n- Nhận khách nghỉ tại nhà")
    page.get_by_role("button", name="Chèn vào bài").click()
    expect(body).to_have_value(
        "Chị giữ **nghề dệt** thổ cẩm\n- Nhận khách nghỉ tại nhà\n\n[ảnh 1]\n\n"
    )
    # A second photo, uploaded while writing: the text stays as typed.
    path = tmp_path / "khung.jpg"
    path.write_bytes(photo_bytes(hue=60))
    page.locator("#story-images input[type=file]").set_input_files(str(path))
    page.locator("#story-images").get_by_label(re.compile("^Chú thích")).fill("Khung cửi")
    page.get_by_role("button", name="Tải ảnh lên").click()
    expect(page.locator("#story-images")).to_contain_text("[ảnh 2]")
    expect(body).to_have_value(
        "Chị giữ **nghề dệt** thổ cẩm\n- Nhận khách nghỉ tại nhà\n\n[ảnh 1]\n\n"
    )
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator("#story-preview")
    expect(preview.locator("strong")).to_have_text("nghề dệt")
    expect(preview.locator("li")).to_have_text("Nhận khách nghỉ tại nhà")
    expect(preview.get_by_role("img", name="Nhà sàn của chị Duyên")).to_be_visible()
    expect(preview.get_by_role("img", name="Khung cửi")).to_be_attached()  # after the text
    shot("editor")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu.")
    story.refresh_from_db()
    assert story.body.startswith("Chị giữ **nghề dệt** thổ cẩm\n- Nhận khách")


def test_public_story_loads_small_renditions(page, cast, column, shot):
    exemplar = column.exemplar(name="Nông Thị Hạnh")
    text = (
        "Từ năm 2019, chị Hạnh vận động **32 hộ** hội viên chuyển sang trồng thạch đen.\n\n"
        "## Cách làm\n\n- Góp vốn xoay vòng trong chi hội.\n- Liên kết với hợp tác xã.\n\n"
        "[ảnh 1]\n\nChị nói: *“Làm được thì phải giúp chị em cùng làm.”*"
    )
    stories = []
    for n in range(3):
        story = column.published(
            exemplar,
            f"Người gieo hạt thạch đen, phần {n + 1}",
            body=text,
            body_format=StoryFormat.TEXT,
            summary="Chị Hạnh vận động 32 hộ trồng thạch đen.",
        )
        services.story_image_add(
            by=cast.a_admin,
            story=story,
            upload=upload(f"vuon-{n}.jpg", hue=n * 40),
            caption="Vườn thạch đen",
        )
        stories.append(story)

    def photos_of(tab) -> list[str]:
        seen: list[str] = []
        tab.on(
            "response",
            lambda r: (
                seen.append(r.url) if "/chuyen-muc/anh/" in r.url and r.status == 200 else None
            ),
        )
        return seen

    listed = photos_of(page)
    page.goto("/chuyen-muc/bai-viet/")
    page.wait_for_load_state("networkidle")
    shot("list")
    assert listed and all(u.endswith("/320/") for u in listed), listed
    # The story in a tab of its own, so nothing the list asked for is counted as the story's.
    story_page = page.context.new_page()
    shown = photos_of(story_page)
    story_page.goto(stories[0].get_absolute_url())
    story_page.get_by_role("img", name="Vườn thạch đen").scroll_into_view_if_needed()
    story_page.wait_for_load_state("networkidle")
    shot("story", tab=story_page)
    # A phone's column (332 CSS px) and a desktop's (720) both take the 720 px rendition; the
    # 1280 one and the original never reach a phone or a desktop reader.
    assert any(u.endswith("/720/") for u in shown), shown
    assert all(u.endswith(("/720/", "/320/")) for u in shown), shown
