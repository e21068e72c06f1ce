"""The story editor (issue 12, point 2): stories are written as plain text (blank lines make
paragraphs; "## ", "- ", "1. ", "> ", **bold**, *italic*, [text](https://…), "[ảnh n]"), rendered
by one function for the public page and the preview, then cleaned by the sanitiser; stories
written in HTML before keep displaying and open in the editor converted to text."""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from guongsang.core.richtext import clean_html, html_to_text, text_to_html
from guongsang.outreach import services
from guongsang.outreach.bodies import render_body
from guongsang.outreach.models import Story, StoryFormat, StoryState

from .conftest import image_bytes


def render(source: str) -> str:
    return clean_html(text_to_html(source))


FORMAT = [
    ("Một đoạn.", "<p>Một đoạn.</p>"),
    ("Đoạn một.\n\nĐoạn hai.", "<p>Đoạn một.</p>\n<p>Đoạn hai.</p>"),
    ("Dòng một\ndòng hai", "<p>Dòng một<br>dòng hai</p>"),
    ("Đoạn một.\r\n\r\n\r\n   \r\nĐoạn hai.", "<p>Đoạn một.</p>\n<p>Đoạn hai.</p>"),
    ("## Cách làm mới", "<h2>Cách làm mới</h2>"),
    ("# Cách làm mới", "<h2>Cách làm mới</h2>"),
    ("### Kết quả", "<h3>Kết quả</h3>"),
    ("Chữ **đậm** và *nghiêng*.", "<p>Chữ <strong>đậm</strong> và <em>nghiêng</em>.</p>"),
    ("***cả hai***", "<p><strong><em>cả hai</em></strong></p>"),
    ("2*3*4 và a * b", "<p>2*3*4 và a * b</p>"),
    ("- Ý một\n- Ý hai", "<ul><li>Ý một</li><li>Ý hai</li></ul>"),
    ("* Ý một\n• Ý hai", "<ul><li>Ý một</li><li>Ý hai</li></ul>"),
    ("1. Bước một\n2. Bước hai", "<ol><li>Bước một</li><li>Bước hai</li></ol>"),
    ("Mở đầu:\n- Ý một", "<p>Mở đầu:</p>\n<ul><li>Ý một</li></ul>"),
    ("- Ý một\n  nối tiếp", "<ul><li>Ý một nối tiếp</li></ul>"),
    ("> Lời chị Duyên\n> dòng hai", "<blockquote><p>Lời chị Duyên<br>dòng hai</p></blockquote>"),
    (
        "Xem [bài gốc](https://phunu.caobang.gov.vn/tin/1?a=1&b=2).",
        '<p>Xem <a href="https://phunu.caobang.gov.vn/tin/1?a=1&amp;b=2" '
        'rel="noopener noreferrer nofollow">bài gốc</a>.</p>',
    ),
    (
        "[**Đậm** trong liên kết](mailto:hoi@caobang.vn)",
        '<p><a href="mailto:hoi@caobang.vn" rel="noopener noreferrer nofollow">'
        "<strong>Đậm</strong> trong liên kết</a></p>",
    ),
    ('Giá 5 < 7 & "x"', '<p>Giá 5 &lt; 7 &amp; "x"</p>'),
    ("[ảnh 1]", ""),  # no such photo: the line goes
    ("", ""),
]


@pytest.mark.parametrize(("source", "expected"), FORMAT, ids=[s[:24] for s, _ in FORMAT])
def test_the_text_format_renders(source, expected):
    assert render(source) == expected


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[bấm](javascript:alert(1))",
    "[bấm](JaVaScRiPt:alert(1))",
    "[bấm](data:text/html;base64,PHNjcmlwdD4=)",
    '[x](https://a.vn/"onmouseover="alert(1))',
    "[x](https://a.vn/) onclick=alert(1)",
    '<a href="https://a.vn" onclick="alert(1)">a</a>',
    '<p style="color:red">đỏ</p>',
    "**<iframe src=https://x>**",
    "## <svg onload=alert(1)>",
    "- <style>body{}</style>",
]


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_text_stays_harmless(source):
    html = render(source)
    for tag, attrs in tags_of(html):
        assert tag in {"p", "strong", "em", "a", "h2", "ul", "li", "br"}, html
        assert not any(name.startswith("on") or name == "style" for name in attrs), html
        if tag == "a":
            assert attrs["href"].startswith(("https://", "mailto:")), html
    assert "javascript:" not in html.lower().replace("[bấm](javascript:", "")
    assert "<script" not in html and "<iframe" not in html and "<svg" not in html


def test_the_sanitiser_keeps_responsive_own_images_and_drops_others():
    own = (
        '<img src="/chuyen-muc/anh/3/720/" srcset="/chuyen-muc/anh/3/320/ 320w, '
        '/chuyen-muc/anh/3/720/ 720w" sizes="(min-width: 760px) 720px, calc(100vw - 28px)" '
        'width="720" height="540" alt="Khung cửi" loading="lazy" decoding="async">'
    )
    assert clean_html(own) == own
    hostile = clean_html(
        '<img src="/chuyen-muc/anh/3/720/" srcset="https://evil.example/x.jpg 320w, '
        '/chuyen-muc/anh/3/720/ 720w" sizes="url(javascript:x)" width="1e9" height="7" '
        'loading="soon" onerror="x" style="a">'
    )
    assert hostile == '<img src="/chuyen-muc/anh/3/720/" height="7">'
    assert (
        clean_html('<img src="https://evil.example/x.jpg" srcset="/chuyen-muc/anh/3/720/ 1w">')
        == ""
    )
    assert clean_html('<img src="/chuyen-muc/anh/3/../../tuyen-truyen/">') == ""


def test_an_old_html_story_converts_to_the_text_format():
    old = (
        "<p>Mở đầu <strong>đậm</strong>, <em>nghiêng</em>, "
        '<a href="https://x.vn/a?b=1&amp;c=2">liên kết</a>.<br>Dòng hai</p>'
        "<h2>Tiêu đề</h2><ul><li>một</li><li>hai</li></ul><ol><li>bước</li></ol>"
        "<blockquote><p>trích</p></blockquote>"
        '<p><img src="/chuyen-muc/anh/9/" alt="Khung"></p><p>'
        '<a href="javascript:alert(1)">xấu</a></p>'
    )
    text = html_to_text(clean_html(old), {9: 2}.get)
    assert text == (
        "Mở đầu **đậm**, *nghiêng*, [liên kết](https://x.vn/a?b=1&c=2).\nDòng hai\n\n"
        "## Tiêu đề\n\n- một\n- hai\n\n1. bước\n\n> trích\n\n[ảnh 2]\n\nxấu"
    )
    again = clean_html(
        text_to_html(text, lambda n: '<img src="/chuyen-muc/anh/9/" alt="Khung">' if n == 2 else "")
    )

    # The same blocks again (only the link that was not one is plain text now).
    def blocks(html):
        return re.sub(r"</?p>|\n", "", html)

    assert blocks(again) == blocks(clean_html(old)).replace(
        '<a rel="noopener noreferrer nofollow">xấu</a>', "xấu"
    )


# ---- through the pages ------------------------------------------------------------------------
TEXT = (
    "Chị giữ nghề dệt thổ cẩm.\n\n"
    "## Cách làm mới\n\n"
    "- Nhận khách nghỉ tại nhà.\n- Dạy dệt cho **6 chị em**.\n\n"
    "[ảnh 1]\n\n"
    "Đọc thêm [bài trên báo](https://baocaobang.vn/bai-1).\n\n"
    "<script>alert(1)</script>"
)


def photo(name="khung.jpg"):
    return SimpleUploadedFile(name, image_bytes(size=(900, 600)), "image/jpeg")


def test_writing_a_story_in_plain_text_and_reading_it_in_public(column, cast):
    exemplar = column.exemplar()
    client = cast.client_for(cast.a_staff)
    response = client.post(
        reverse("outreach:story_create") + f"?dien_hinh={exemplar.pk}",
        {"dien_hinh": exemplar.pk, "title": "Giữ nghề dệt", "summary": "", "body": TEXT},
    )
    story = Story.objects.get()
    assert response.status_code == 302
    assert story.body_format == StoryFormat.TEXT
    assert story.body == TEXT  # stored as written, rendered when shown
    client.post(
        reverse("outreach:story_image_upload", args=[story.pk]),
        {"image": photo(), "caption": "Khung cửi"},
    )
    column.consent(exemplar)
    services.story_submit(by=cast.a_staff, story=story)
    services.story_publish(by=cast.province_admin, story=story)
    image = story.images.get()
    html = Client().get(story.get_absolute_url()).content.decode()
    body = html[html.index('<div class="pub-body">') : html.index("</article>")]
    assert "<p>Chị giữ nghề dệt thổ cẩm.</p>" in body
    assert "<h2>Cách làm mới</h2>" in body
    assert "<li>Dạy dệt cho <strong>6 chị em</strong>.</li>" in body
    assert 'href="https://baocaobang.vn/bai-1"' in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script" not in body
    assert re.search(
        rf'<figure><img src="/chuyen-muc/anh/{image.pk}/720/" srcset="[^"]+" sizes="[^"]+" '
        r'width="720" height="480" alt="Khung cửi" loading="lazy" decoding="async">'
        r"<figcaption>Khung cửi</figcaption></figure>",
        body,
    )
    # Placed in the text, the photo is not repeated after it.
    assert body.count(f"/chuyen-muc/anh/{image.pk}/720/ 720w") == 1
    assert 'class="pub-photos"' not in body
    # The description is the text, without the marks.
    assert '<meta name="description" content="Chị giữ nghề dệt thổ cẩm. Cách làm mới' in html


def test_the_preview_is_the_public_page(column, cast):
    exemplar = column.exemplar()
    story = column.published(exemplar, body=TEXT, body_format=StoryFormat.TEXT)
    services.story_image_add(by=cast.a_admin, story=story, upload=photo(), caption="Khung cửi")
    services.story_image_add(by=cast.a_admin, story=story, upload=photo("b.jpg"))
    client = cast.client_for(cast.a_admin)
    preview = client.post(
        reverse("outreach:story_preview"),
        {"bai_viet": story.pk, "title": story.title, "body": TEXT},
        HTTP_HX_REQUEST="true",
    )
    assert preview.status_code == 200
    fragment = preview.content.decode().strip()
    assert fragment.startswith('<div class="pub-body">')
    assert 'class="pub-photos"' in fragment  # the photo not placed in the text, after it
    public = Client().get(story.get_absolute_url()).content.decode()
    assert fragment in public
    # The same function renders both.
    rendered = render_body(
        body=TEXT, body_format=StoryFormat.TEXT, images=story.images.all(), title=story.title
    )
    assert str(rendered.html) in fragment
    # Without JavaScript: the same fragment in the editor page, nothing saved.
    page = client.post(
        reverse("outreach:story_edit", args=[story.pk]),
        {"title": story.title, "summary": "", "body": TEXT + "\n\nThêm", "xem_truoc": "1"},
    )
    assert page.status_code == 200
    assert "<p>Thêm</p>" in page.content.decode()
    story.refresh_from_db()
    assert story.body == TEXT and story.state == StoryState.PUBLISHED


def test_preview_needs_an_editor_and_her_story(column, cast):
    story = column.draft(column.exemplar())
    url = reverse("outreach:story_preview")
    assert cast.client_for(cast.branch_viewer).post(url, {"body": "x"}).status_code == 404
    response = cast.client_for(cast.b_staff).post(url, {"bai_viet": story.pk, "body": "x"})
    assert response.status_code == 404
    response = cast.client_for(cast.b_staff).post(url, {"bai_viet": "abc", "body": "*x*"})
    assert response.status_code == 200 and "<em>x</em>" in response.content.decode()
    assert Client().post(url, {"body": "x"}).status_code == 302  # to the login page


def test_an_old_html_story_keeps_displaying_and_opens_as_text(column, cast):
    exemplar = column.exemplar()
    story = column.published(exemplar, body="<p>Đoạn <strong>cũ</strong></p><ul><li>một</li></ul>")
    assert story.body_format == StoryFormat.HTML
    cache.clear()
    html = Client().get(story.get_absolute_url()).content.decode()
    assert "<p>Đoạn <strong>cũ</strong></p><ul><li>một</li></ul>" in html
    client = cast.client_for(cast.a_admin)
    page = client.get(reverse("outreach:story_edit", args=[story.pk])).content.decode()
    assert "Đoạn **cũ**\n\n- một</textarea>" in page
    client.post(
        reverse("outreach:story_edit", args=[story.pk]),
        {"title": story.title, "summary": story.summary, "body": "Đoạn **cũ**\n\n- một"},
    )
    story.refresh_from_db()
    assert story.body_format == StoryFormat.TEXT
    html = Client().get(story.get_absolute_url()).content.decode()
    assert "<p>Đoạn <strong>cũ</strong></p>\n<ul><li>một</li></ul>" in html


def test_an_unchanged_save_leaves_a_published_story_published(column, cast):
    story = column.published(column.exemplar(), body="Văn bản", body_format=StoryFormat.TEXT)
    cast.client_for(cast.a_staff).post(
        reverse("outreach:story_edit", args=[story.pk]),
        {"title": story.title, "summary": story.summary, "body": "Văn bản"},
    )
    story.refresh_from_db()
    assert story.state == StoryState.PUBLISHED
    cast.client_for(cast.a_staff).post(
        reverse("outreach:story_edit", args=[story.pk]),
        {"title": story.title, "summary": story.summary, "body": "Văn bản sửa"},
    )
    story.refresh_from_db()
    assert story.state == StoryState.REVIEW  # staff edits go back to review, as before


def test_uploading_a_photo_while_writing_keeps_the_text(column, cast):
    exemplar = column.exemplar()
    client = cast.client_for(cast.a_staff)
    # Without JavaScript, on a new story: the draft is saved with the photo.
    response = client.post(
        reverse("outreach:story_create") + f"?dien_hinh={exemplar.pk}",
        {
            "dien_hinh": exemplar.pk,
            "title": "Bài có ảnh",
            "body": "Đoạn đang gõ.\n\n[ảnh 1]",
            "image": photo(),
            "caption": "Khung cửi",
            "tai_anh": "1",
        },
    )
    story = Story.objects.get()
    assert response.status_code == 302
    assert story.body == "Đoạn đang gõ.\n\n[ảnh 1]"
    assert story.images.get().caption == "Khung cửi"
    # Without JavaScript, on an existing story: the text typed since is saved, then the photo.
    client.post(
        reverse("outreach:story_edit", args=[story.pk]),
        {
            "title": "Bài có ảnh",
            "body": "Sửa rồi.\n\n[ảnh 2]",
            "image": photo("b.jpg"),
            "tai_anh": "1",
        },
    )
    story.refresh_from_db()
    assert story.body == "Sửa rồi.\n\n[ảnh 2]" and story.images.count() == 2
    # With HTMX: only the photo list comes back; the page (and the textarea) stays.
    response = client.post(
        reverse("outreach:story_image_upload", args=[story.pk]),
        {"image": photo("c.jpg"), "caption": "Ba", "body": "không lưu"},
        HTTP_HX_REQUEST="true",
    )
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="story-images">')
    assert "[ảnh 3]" in fragment and "Đã tải ảnh lên." in fragment
    assert "<textarea" not in fragment
    story.refresh_from_db()
    assert story.body == "Sửa rồi.\n\n[ảnh 2]"
    # A refused file says why, in the fragment.
    bad = client.post(
        reverse("outreach:story_image_upload", args=[story.pk]),
        {"image": SimpleUploadedFile("a.jpg", b"<html>", "image/jpeg")},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "kiểm tra nội dung tệp" in bad and story.images.count() == 3


def test_the_editor_page_has_its_toolbar_and_no_inline_script(column, cast):
    story = column.draft(column.exemplar())
    html = (
        cast.client_for(cast.a_staff)
        .get(reverse("outreach:story_edit", args=[story.pk]))
        .content.decode()
    )
    assert '<script src="/static/outreach/story-editor.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " on" not in "".join(re.findall(r"<[^>]+>", html)).replace(" one", "")
    at = html.index("data-editor-toolbar")
    toolbar = html[at : html.index("</textarea>", at)]
    for mark in (
        'data-wrap="**"',
        'data-wrap="*"',
        'data-line="## "',
        'data-line="- "',
        'data-line="1. "',
        "data-link",
        "data-ask-image",
    ):
        assert mark in toolbar, mark
    assert (
        "hidden"
        in html[html.index("data-editor-toolbar") - 200 : html.index("data-editor-toolbar") + 200]
    )
    assert 'hx-post="/tuyen-truyen/bai-viet/xem-truoc/"' in html
    assert 'enctype="multipart/form-data"' in html
