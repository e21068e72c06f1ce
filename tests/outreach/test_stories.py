"""Stories: draft → review → published (and back to unpublished) at the exemplar's unit or
above; publishing needs a standing consent and withdrawing it unpublishes at once; the body is
kept to a small allow-list of HTML."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guongsang.core.richtext import clean_html, plain_text
from guongsang.outreach import access as oa
from guongsang.outreach import services
from guongsang.outreach.models import Story, StoryState

from .conftest import image_bytes


def messages_of(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def public_titles() -> list[str]:
    return list(oa.public_stories().values_list("title", flat=True))


# ---- the states -------------------------------------------------------------------------------
def test_draft_review_published_unpublished(column, cast):
    exemplar = column.exemplar()
    column.consent(exemplar)
    story = column.draft(exemplar, "Giữ nghề dệt")
    assert story.state == StoryState.DRAFT
    assert story.slug.startswith("giu-nghe-det-")
    assert public_titles() == []

    story = services.story_submit(by=cast.a_staff, story=story)
    assert story.state == StoryState.REVIEW
    assert public_titles() == []

    story = services.story_publish(by=cast.a_admin, story=story)
    assert story.state == StoryState.PUBLISHED
    assert story.published_at is not None
    assert public_titles() == ["Giữ nghề dệt"]
    first_published = story.published_at

    story = services.story_unpublish(by=cast.a_admin, story=story)
    assert story.state == StoryState.UNPUBLISHED
    assert public_titles() == []

    # Back again: it may be published directly or sent to review once more.
    story = services.story_publish(by=cast.province_admin, story=story)
    assert story.state == StoryState.PUBLISHED
    assert story.published_at == first_published
    story = services.story_unpublish(by=cast.province_admin, story=story)
    story = services.story_submit(by=cast.a_staff, story=story)
    assert story.state == StoryState.REVIEW


def test_transitions_out_of_order_are_refused(column, cast):
    exemplar = column.exemplar()
    column.consent(exemplar)
    story = column.draft(exemplar)
    with pytest.raises(ValidationError) as info:
        services.story_publish(by=cast.a_admin, story=story)
    assert "Bản nháp" in messages_of(info)
    with pytest.raises(ValidationError):
        services.story_unpublish(by=cast.a_admin, story=story)
    story = services.story_submit(by=cast.a_staff, story=story)
    with pytest.raises(ValidationError) as info:
        services.story_submit(by=cast.a_staff, story=story)
    assert "Chờ duyệt" in messages_of(info)
    assert Story.objects.get(pk=story.pk).state == StoryState.REVIEW


def test_publishing_requires_a_standing_consent(column, cast):
    exemplar = column.exemplar(name="Nông Thị Hạnh")
    story = column.in_review(exemplar)
    with pytest.raises(ValidationError) as info:
        services.story_publish(by=cast.a_admin, story=story)
    assert "Chưa có sự đồng ý (còn hiệu lực) của Nông Thị Hạnh" in messages_of(info)
    assert "ghi nhận sự đồng ý trước khi đăng" in messages_of(info)
    assert Story.objects.get(pk=story.pk).state == StoryState.REVIEW

    # A withdrawn consent is no consent.
    consent = column.consent(exemplar)
    services.consent_withdraw(by=cast.a_staff, consent=consent)
    with pytest.raises(ValidationError):
        services.story_publish(by=cast.a_admin, story=story)
    assert Story.objects.get(pk=story.pk).state == StoryState.UNPUBLISHED

    column.consent(exemplar)
    story = services.story_publish(by=cast.a_admin, story=Story.objects.get(pk=story.pk))
    assert story.state == StoryState.PUBLISHED


def test_publish_page_says_why_without_consent(column, cast):
    exemplar = column.exemplar(name="Nông Thị Hạnh")
    story = column.in_review(exemplar)
    client = cast.client_for(cast.a_admin)
    page = client.get(reverse("outreach:story_edit", args=[story.pk]))
    assert "Chưa có sự đồng ý còn hiệu lực: bài chưa thể đăng." in page.content.decode()
    response = client.post(
        reverse("outreach:story_action", args=[story.pk]), {"action": "publish"}, follow=True
    )
    assert "Chưa có sự đồng ý (còn hiệu lực) của Nông Thị Hạnh" in response.content.decode()
    assert Story.objects.get(pk=story.pk).state == StoryState.REVIEW


def test_consent_records_who_when_what_and_a_scan(column, cast):
    exemplar = column.exemplar(name="Hoàng Thị Duyên")
    scan = SimpleUploadedFile("phieu-dong-y.png", image_bytes("PNG"), content_type="image/png")
    consent = services.consent_record(
        by=cast.a_staff,
        subject=exemplar.subject,
        given_by="Hoàng Văn Pao",
        capacity="Chủ hộ",
        given_on=dt.date(2026, 11, 1),
        purpose="Đăng bài và ảnh về mô hình dệt thổ cẩm",
        scan=scan,
    )
    assert (consent.given_by, consent.capacity, consent.given_on) == (
        "Hoàng Văn Pao",
        "Chủ hộ",
        dt.date(2026, 11, 1),
    )
    assert consent.purpose == "Đăng bài và ảnh về mô hình dệt thổ cẩm"
    assert consent.recorded_by == cast.a_staff and consent.active
    assert consent.scan.name.endswith(".png")
    # The scan is downloaded through the access layer only.
    assert (
        cast.client_for(cast.a_staff)
        .get(reverse("outreach:consent_scan", args=[consent.pk]))
        .status_code
        == 200
    )
    assert (
        cast.client_for(cast.b_staff)
        .get(reverse("outreach:consent_scan", args=[consent.pk]))
        .status_code
        == 404
    )
    assert Client().get(reverse("outreach:consent_scan", args=[consent.pk])).status_code == 302

    with pytest.raises(ValidationError) as info:
        services.consent_record(
            by=cast.a_staff,
            subject=exemplar.subject,
            given_by=" ",
            capacity="",
            given_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert set(info.value.message_dict) == {"given_by", "capacity", "given_on"}
    disguised = SimpleUploadedFile(
        "phieu.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as info:
        services.consent_record(
            by=cast.a_staff,
            subject=exemplar.subject,
            given_by="Hoàng Văn Pao",
            capacity="Chủ hộ",
            given_on=dt.date(2026, 11, 1),
            scan=disguised,
        )
    assert "kiểm tra nội dung tệp" in messages_of(info)


# ---- who publishes ----------------------------------------------------------------------------
def test_only_admins_of_the_unit_or_above_publish(column, cast):
    exemplar = column.exemplar()  # subject of branch A1
    column.consent(exemplar)
    story = column.in_review(exemplar)
    for user in (cast.a_staff, cast.branch_viewer, cast.b_staff, cast.outsider):
        with pytest.raises(ValidationError):
            services.story_publish(by=user, story=story)
    assert Story.objects.get(pk=story.pk).state == StoryState.REVIEW
    # Commune A's admin (the exemplar's commune, above its branch) may.
    story = services.story_publish(by=cast.a_admin, story=story)
    assert story.state == StoryState.PUBLISHED
    for user in (cast.a_staff, cast.b_staff, cast.outsider):
        with pytest.raises(ValidationError):
            services.story_unpublish(by=user, story=story)
    assert Story.objects.get(pk=story.pk).state == StoryState.PUBLISHED
    services.story_unpublish(by=cast.province_admin, story=story)


def test_staff_does_not_see_the_publish_button_and_a_forged_publish_changes_nothing(column, cast):
    exemplar = column.exemplar()
    column.consent(exemplar)
    story = column.in_review(exemplar)
    client = cast.client_for(cast.a_staff)
    page = client.get(reverse("outreach:story_edit", args=[story.pk])).content.decode()
    assert 'value="publish"' not in page
    client.post(reverse("outreach:story_action", args=[story.pk]), {"action": "publish"})
    assert Story.objects.get(pk=story.pk).state == StoryState.REVIEW
    admin_page = cast.client_for(cast.a_admin).get(reverse("outreach:story_edit", args=[story.pk]))
    assert 'value="publish"' in admin_page.content.decode()


# ---- withdrawing consent ----------------------------------------------------------------------
def test_withdrawing_consent_unpublishes_at_once(column, cast):
    exemplar = column.exemplar(name="Hoàng Thị Duyên")
    story = column.published(exemplar, "Giữ nghề dệt, đón khách ở Bản Giốc")
    second = column.in_review(exemplar, "Bài thứ hai đang chờ duyệt")
    image = services.story_image_add(
        by=cast.a_staff,
        story=story,
        upload=SimpleUploadedFile("khung-cui.jpg", image_bytes(), content_type="image/jpeg"),
        caption="Khung cửi",
    )
    anonymous = Client()
    urls = {
        "detail": story.get_absolute_url(),
        "image": reverse("public:story_image", args=[image.pk]),
        "api_detail": f"/api/v1/public/stories/{story.slug}",
    }
    for url in urls.values():
        assert anonymous.get(url).status_code == 200, url
    assert story.title in anonymous.get(reverse("public:story_list")).content.decode()

    consent = exemplar.subject.consents.get()
    response = cast.client_for(cast.a_staff).post(
        reverse("outreach:consent_withdraw", args=[consent.pk]),
        {"note": "Gia đình không muốn đăng nữa"},
        follow=True,
    )
    assert "Đã rút lại sự đồng ý; 2 bài viết được gỡ khỏi chuyên mục." in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert consent.withdrawn_note == "Gia đình không muốn đăng nữa"
    assert Story.objects.get(pk=story.pk).state == StoryState.UNPUBLISHED
    assert Story.objects.get(pk=second.pk).state == StoryState.UNPUBLISHED

    for url in urls.values():
        assert anonymous.get(url).status_code == 404, url
    for url in (reverse("public:home"), reverse("public:story_list"), reverse("public:feed")):
        assert story.title not in anonymous.get(url).content.decode(), url
    api = anonymous.get("/api/v1/public/stories").json()
    assert api["count"] == 0 and api["items"] == []
    # The back office still reads it.
    assert cast.client_for(cast.a_staff).get(urls["image"]).status_code == 200

    with pytest.raises(ValidationError) as info:
        services.consent_withdraw(by=cast.a_staff, consent=consent)
    assert "đã được rút lại" in messages_of(info)


def test_another_standing_consent_keeps_the_story(column, cast):
    exemplar = column.exemplar(kind="household", name="Hoàng Thị Duyên")
    story = column.published(exemplar)
    husband = column.consent(exemplar, given_by="Hoàng Văn Pao")
    first = exemplar.subject.consents.exclude(pk=husband.pk).get()
    assert services.consent_withdraw(by=cast.a_staff, consent=first) == 0
    assert Story.objects.get(pk=story.pk).state == StoryState.PUBLISHED
    assert list(oa.public_stories()) == [story]
    assert Client().get(story.get_absolute_url()).status_code == 200
    assert services.consent_withdraw(by=cast.a_staff, consent=husband) == 1
    assert list(oa.public_stories()) == []


def test_public_column_hides_a_story_whose_consent_fell_even_if_still_marked_published(
    column, cast
):
    """public_stories checks consent on every read, not only when publishing."""
    exemplar = column.exemplar()
    story = column.published(exemplar)
    exemplar.subject.consents.update(withdrawn_on=timezone.localdate())  # bypassing the service
    assert Story.objects.get(pk=story.pk).state == StoryState.PUBLISHED
    assert Client().get(story.get_absolute_url()).status_code == 404
    assert Client().get("/api/v1/public/stories").json()["count"] == 0


def test_only_editors_withdraw_consent(column, cast):
    exemplar = column.exemplar()
    story = column.published(exemplar)
    consent = exemplar.subject.consents.get()
    for user in (cast.b_staff, cast.branch_viewer, cast.outsider):
        response = cast.client_for(user).post(
            reverse("outreach:consent_withdraw", args=[consent.pk])
        )
        assert response.status_code == 404, user
        with pytest.raises(ValidationError):
            services.consent_withdraw(by=user, consent=consent)
    consent.refresh_from_db()
    assert consent.active
    assert Story.objects.get(pk=story.pk).state == StoryState.PUBLISHED


# ---- safe rich text ---------------------------------------------------------------------------
HOSTILE = (
    '<p onclick="steal()">Đoạn mở đầu<script>alert("xss")</script></p>'
    "<style>body{display:none}</style>"
    '<h2 style="color:red" onmouseover="steal()">Cách làm mới</h2>'
    "<h3>Kết quả</h3>"
    "<p><strong>Chữ đậm</strong> và <em>chữ nghiêng</em></p>"
    "<ul><li>Ý một</li></ul><ol><li>Bước một</li></ol>"
    '<p><a href="https://phunu.caobang.gov.vn/tin/1" onclick="steal()">Bài gốc</a> '
    '<a href="javascript:alert(1)">bấm vào đây</a> '
    '<a href="JaVaScRiPt:alert(2)">nữa</a></p>'
    '<iframe src="https://evil.example/frame"></iframe>'
    '<img src="https://evil.example/track.png" alt="theo dõi">'
    '<img src="//evil.example/chuyen-muc/anh/1/" alt="giả">'
    '<img src="/chuyen-muc/anh/{pk}/" alt="Khung cửi" onerror="steal()">'
    '<svg onload="steal()"><circle r="4"/></svg>'
    '<object data="x.swf"></object><form action="/x"><input name="a"></form>'
)
STRIPPED = [
    "<script",
    "alert(",
    "onclick",
    "onmouseover",
    "onerror",
    "onload",
    "steal()",
    "style=",
    "<style",
    "display:none",
    "javascript:",
    "JaVaScRiPt",
    "<iframe",
    "evil.example",
    "<svg",
    "<object",
    "<form",
    "<input",
]
KEPT = [
    "<p>Đoạn mở đầu</p>",
    "<h2>Cách làm mới</h2>",
    "<h3>Kết quả</h3>",
    "<strong>Chữ đậm</strong>",
    "<em>chữ nghiêng</em>",
    "<ul><li>Ý một</li></ul>",
    "<ol><li>Bước một</li></ol>",
    'href="https://phunu.caobang.gov.vn/tin/1"',
    ">Bài gốc</a>",
    ">bấm vào đây</a>",
]


def hostile_body(image_pk: int) -> str:
    return HOSTILE.replace("{pk}", str(image_pk))


def test_clean_html_keeps_the_allow_list_and_strips_the_rest():
    body = clean_html(hostile_body(7))
    for bad in STRIPPED:
        assert bad not in body, bad
    for good in KEPT:
        assert good in body, good
    assert re.search(r'<img src="/chuyen-muc/anh/7/" alt="Khung cửi">', body)
    assert body.count("<img") == 1
    assert 'rel="noopener noreferrer nofollow"' in body


def test_story_service_saves_the_body_cleaned(column):
    exemplar = column.exemplar()
    story = column.draft(exemplar, body=hostile_body(7))
    story.refresh_from_db()
    for bad in STRIPPED:
        assert bad not in story.body, bad
    for good in KEPT:
        assert good in story.body, good
    updated = services.story_update(
        by=column.cast.a_staff,
        story=story,
        title="Tiêu đề mới",
        body='<p>Mới</p><script>alert(1)</script><p style="x" onclick="y">Hai</p>',
    )
    assert updated.body == "<p>Mới</p><p>Hai</p>"


def test_a_body_of_nothing_but_markup_is_refused(column):
    exemplar = column.exemplar()
    with pytest.raises(ValidationError) as info:
        column.draft(exemplar, body="<script>alert(1)</script><p> </p><img src='https://x/y.png'>")
    assert info.value.message_dict["body"] == ["Nhập nội dung bài viết."]


def test_public_page_renders_only_the_safe_markup(column, cast):
    exemplar = column.exemplar()
    story = column.published(exemplar, "Bài có nội dung lạ")
    image = services.story_image_add(
        by=cast.a_staff,
        story=story,
        upload=SimpleUploadedFile("khung.png", image_bytes("PNG"), content_type="image/png"),
        caption="Khung cửi",
    )
    services.story_update(
        by=cast.a_admin, story=story, title=story.title, body=hostile_body(image.pk)
    )
    # And a body that slipped past the service (an old row, a direct database edit) is
    # cleaned again when shown.
    Story.objects.filter(pk=story.pk).update(body=hostile_body(image.pk))
    pages = {
        "public": Client().get(story.get_absolute_url()),
        # A viewer of the branch reads the story rendered in the back office.
        "back office": cast.client_for(cast.branch_viewer).get(
            reverse("outreach:story_edit", args=[story.pk])
        ),
    }
    for where, response in pages.items():
        html = response.content.decode()
        start = html.index('class="pub-body"' if where == "public" else 'class="prose"')
        body = html[start : html.index("</section>" if where != "public" else "</article>", start)]
        for bad in STRIPPED:
            assert bad not in body, (where, bad)
        for good in KEPT:
            assert good in body, (where, good)
    public = Client().get(story.get_absolute_url()).content.decode()
    # The photo placed by the old HTML gets its renditions (outreach.bodies); alt kept.
    assert (
        f'<img src="/chuyen-muc/anh/{image.pk}/40/" srcset="/chuyen-muc/anh/{image.pk}/40/ 40w"'
        in public
    )
    assert 'alt="Khung cửi" loading="lazy" decoding="async">' in public
    assert "<script" not in public
    assert Client().get(reverse("public:story_image", args=[image.pk])).status_code == 200


def test_plain_text_reads_like_text():
    assert plain_text("<p>Hội &amp; chi hội</p><p>Bản Giốc</p><script>x()</script>") == (
        "Hội & chi hội Bản Giốc"
    )
    assert plain_text("<p>Chữ <strong>đậm</strong>, liền</p>") == "Chữ đậm, liền"
    assert plain_text("<p>&nbsp;</p><br>") == ""


def test_story_image_is_checked_by_content(column, cast):
    exemplar = column.exemplar()
    story = column.draft(exemplar)
    disguised = SimpleUploadedFile("anh.jpg", b"<html><script>x</script></html>", "image/jpeg")
    with pytest.raises(ValidationError) as info:
        services.story_image_add(by=cast.a_staff, story=story, upload=disguised)
    assert "kiểm tra nội dung tệp" in messages_of(info)
    pdf = SimpleUploadedFile("anh.png", b"%PDF-1.4\n%%EOF\n", "image/png")
    with pytest.raises(ValidationError):
        services.story_image_add(by=cast.a_staff, story=story, upload=pdf)
    assert story.images.count() == 0
    # A draft's image is not public.
    image = services.story_image_add(
        by=cast.a_staff,
        story=story,
        upload=SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg"),
    )
    assert Client().get(reverse("public:story_image", args=[image.pk])).status_code == 404
    assert (
        cast.client_for(cast.b_staff)
        .get(reverse("public:story_image", args=[image.pk]))
        .status_code
        == 404
    )
    assert (
        cast.client_for(cast.a_staff)
        .get(reverse("public:story_image", args=[image.pk]))
        .status_code
        == 200
    )


def test_staff_edit_of_a_published_story_goes_back_to_review(column):
    from guongsang.outreach import access as oa
    from guongsang.outreach import services as os_services
    from guongsang.outreach.models import StoryState

    story = column.published(column.exemplar())
    cast = column.cast
    os_services.story_update(
        by=cast.a_staff, story=story, title=story.title, body="<p>Sửa bởi cán bộ.</p>"
    )
    story.refresh_from_db()
    assert story.state == StoryState.REVIEW
    assert not oa.public_stories().filter(pk=story.pk).exists()
