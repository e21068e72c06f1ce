"""Story photos (issue 12, point 1): every upload gets renditions (320, 720, 1280 px wide, EXIF
orientation applied, metadata gone, never upscaled) that the public pages load through
``srcset``/``sizes``; the original is a back-office download only; a decompression bomb is
refused; the public list of ten stories with large photos weighs under 300 KB on a 360 px
phone."""

import functools
import io
import re
import struct
import zlib
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from guongsang.outreach import services
from guongsang.outreach.models import StoryImage

LIST = "/chuyen-muc/bai-viet/"
GPS_IFD = 0x8825


def jpeg_with_gps(size=(2000, 1500), orientation: int = 1) -> bytes:
    """A camera photo: EXIF with the camera, an orientation and a GPS position."""
    image = Image.new("RGB", size, (120, 90, 60))
    image.paste((200, 30, 30), (0, 0, size[0] // 4, size[1] // 4))  # a mark in a corner
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Điện thoại"
    exif[GPS_IFD] = {1: "N", 2: (22.0, 51.0, 0.0), 3: "E", 4: (106.0, 41.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


@functools.cache
def _noisy_base() -> Image.Image:
    channels = [Image.effect_noise((400, 300), 60 + 10 * i) for i in range(3)]
    coarse = Image.merge("RGB", channels).resize((4000, 3000), Image.BICUBIC)
    grain = Image.effect_noise((4000, 3000), 30).convert("RGB")
    return Image.blend(coarse, grain, 0.3)


def large_photo(seed: int) -> bytes:
    """A 4000×3000 JPEG with detail at every scale (coloured noise drawn at 400×300 and
    enlarged, plus fine grain): harder to compress than most photos. Each seed's differs."""
    photo = _noisy_base().copy()
    photo.paste(Image.effect_noise((400, 300), 90).convert("RGB"), (seed * 300, seed * 200))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=90)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header announces ``width``×``height`` pixels with almost no data: what a
    decompression bomb looks like before it is decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "image/jpeg" if name.endswith("jpg") else "image/png")


def add_photo(story, data: bytes, name: str = "anh.jpg", caption: str = "", by=None):
    by = by or story.created_by
    return services.story_image_add(by=by, story=story, upload=upload(name, data), caption=caption)


def read_stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        handle.seek(0)
        return handle.read()


def stored(name: str) -> Image.Image:
    image = Image.open(io.BytesIO(read_stored(name)))
    image.load()
    return image


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# ---- renditions ---------------------------------------------------------------------------------
def test_an_upload_gets_renditions_without_metadata_in_the_right_orientation(column, cast):
    story = column.draft(column.exemplar())
    # Orientation 6: the camera held upright; the pixels lie on their side.
    image = add_photo(story, jpeg_with_gps((2000, 1500), orientation=6))
    image.refresh_from_db()
    assert (image.width, image.height) == (1500, 2000)
    assert [(r["w"], r["h"]) for r in image.renditions] == [(320, 427), (720, 960), (1280, 1707)]
    for r in image.renditions:
        photo = stored(r["name"])
        assert photo.format == "JPEG"
        assert photo.size == (r["w"], r["h"])
        assert r["bytes"] == default_storage.size(r["name"])
        assert not photo.getexif(), r["name"]  # no EXIF at all: no camera, no GPS
        assert "exif" not in photo.info and "icc_profile" not in photo.info
        # Upright: the red mark drawn top-left on the sideways pixels is now top-right.
        red = photo.getpixel((photo.width - 5, 5))
        assert red[0] > 150 and red[1] < 100, red
    original = stored(image.file.name)
    assert not original.getexif().get_ifd(GPS_IFD)
    assert original.size == (1500, 2000)
    # Stored beside the original.
    stem = image.file.name.rsplit(".", 1)[0]
    assert all(r["name"].startswith(stem + "-w") for r in image.renditions)


def test_a_small_photo_is_never_upscaled(column):
    story = column.draft(column.exemplar())
    image = add_photo(story, jpeg_with_gps((500, 300)))
    assert [(r["w"], r["h"]) for r in image.renditions] == [(320, 192), (500, 300)]
    tiny = add_photo(story, jpeg_with_gps((40, 30)))
    assert [(r["w"], r["h"]) for r in tiny.renditions] == [(40, 30)]


def test_a_transparent_png_gets_webp_renditions(column):
    story = column.draft(column.exemplar())
    logo = Image.new("RGBA", (900, 450), (0, 0, 0, 0))
    logo.paste((173, 20, 87, 255), (100, 100, 400, 300))
    out = io.BytesIO()
    logo.save(out, "PNG")
    image = add_photo(story, out.getvalue(), name="logo.png")
    assert [r["w"] for r in image.renditions] == [320, 720, 900]
    photo = stored(image.renditions[0]["name"])
    assert photo.format == "WEBP" and photo.mode == "RGBA"
    assert photo.getpixel((0, 0))[3] == 0  # still transparent


@pytest.mark.parametrize(
    ("width", "height"),
    [(50_000, 50_000), (9_000, 5_000), (20_000, 100)],
    ids=["bomb", "over-40-megapixels", "too-long"],
)
def test_huge_dimensions_are_refused_before_decoding(column, cast, width, height):
    story = column.draft(column.exemplar())
    with pytest.raises(ValidationError) as info:
        add_photo(story, png_header_only(width, height), name="bom.png")
    message = " ".join(info.value.messages)
    assert "Ảnh quá lớn" in message and f"{width} × {height}" in message
    assert not story.images.exists()
    # On the page: the message, the typed text kept, no photo.
    response = cast.client_for(cast.a_staff).post(
        reverse("outreach:story_edit", args=[story.pk]),
        {
            "title": story.title,
            "summary": story.summary,
            "body": "Đoạn vừa gõ chưa lưu.",
            "tai_anh": "1",
            "image": upload("bom.png", png_header_only(width, height)),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ảnh quá lớn" in html
    assert "Đoạn vừa gõ chưa lưu." in html
    assert not story.images.exists()


def test_the_command_builds_missing_renditions(column):
    story = column.draft(column.exemplar())
    image = add_photo(story, jpeg_with_gps((1000, 800)))
    names = [r["name"] for r in image.renditions]
    StoryImage.objects.filter(pk=image.pk).update(renditions=[], width=0, height=0)
    out = io.StringIO()
    call_command("story_renditions", stdout=out)
    assert "cho 1 ảnh" in out.getvalue()
    image.refresh_from_db()
    assert [r["w"] for r in image.renditions] == [320, 720, 1000]
    assert (image.width, image.height) == (1000, 800)
    out = io.StringIO()
    call_command("story_renditions", stdout=out)  # nothing left to do
    assert "cho 0 ảnh" in out.getvalue()
    call_command("story_renditions", "--all", stdout=io.StringIO())
    image.refresh_from_db()
    assert all(default_storage.exists(r["name"]) for r in image.renditions)
    assert names  # the first set was replaced, not added to
    assert len(image.renditions) == 3


# ---- who may load what ------------------------------------------------------------------------
def test_the_public_gets_renditions_of_published_stories_only(column, cast):
    exemplar = column.exemplar()
    story = column.draft(exemplar)
    image = add_photo(story, jpeg_with_gps((2000, 1500)))
    urls = [reverse("public:story_image", args=[image.pk])] + [
        reverse("public:story_image_width", args=[image.pk, r["w"]]) for r in image.renditions
    ]
    anonymous, outsider = Client(), cast.client_for(cast.outsider)
    for url in urls:  # a draft: not public
        assert anonymous.get(url).status_code == 404, url
        assert outsider.get(url).status_code == 404, url
        assert cast.client_for(cast.a_staff).get(url).status_code == 200, url
    column.consent(exemplar)
    services.story_submit(by=cast.a_staff, story=story)
    services.story_publish(by=cast.province_admin, story=story)
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "no-cache"
        data = body_of(response)
        assert Image.open(io.BytesIO(data)).width <= 1280
    # Without a width: the largest rendition, never the original.
    largest = body_of(anonymous.get(urls[0]))
    assert Image.open(io.BytesIO(largest)).size == (1280, 960)
    assert largest != read_stored(image.file.name)
    # A width that is not a rendition.
    assert anonymous.get(f"/chuyen-muc/anh/{image.pk}/4000/").status_code == 404
    assert anonymous.get(f"/chuyen-muc/anh/{image.pk}/99999999999999/").status_code == 404
    # Unchanged: revalidated for nothing.
    first = anonymous.get(urls[1])
    again = anonymous.get(urls[1], HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    # Consent withdrawn: gone at once, revalidation included.
    services.consent_withdraw(by=cast.a_staff, consent=exemplar.subject.consents.get())
    for url in urls:
        assert anonymous.get(url).status_code == 404, url
    assert anonymous.get(urls[1], HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404


def test_the_original_is_for_the_back_office_only(column, cast):
    story = column.published(column.exemplar())
    image = add_photo(story, jpeg_with_gps((2000, 1500)), by=cast.a_staff)
    url = reverse("outreach:story_image_original", args=[image.pk])
    assert Client().get(url).status_code == 404  # the public: nothing, not even a login page
    assert cast.client_for(cast.outsider).get(url).status_code == 404
    assert cast.client_for(cast.b_staff).get(url).status_code == 404
    assert Client().get(f"/tuyen-truyen/bai-viet/anh/{image.pk + 1000}/goc/").status_code == 404
    response = cast.client_for(cast.a_staff).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = body_of(response)
    assert data == read_stored(image.file.name)
    assert Image.open(io.BytesIO(data)).size == (2000, 1500)
    # The public pages never point at it.
    for page in (LIST, story.get_absolute_url(), "/chuyen-muc/"):
        assert "/goc/" not in Client().get(page).content.decode()


# ---- srcset on the public pages -------------------------------------------------------------------
class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def images_in(html: str) -> list[dict]:
    parser = Images()
    parser.feed(html)
    return parser.images


def test_public_pages_use_srcset_sizes_and_intrinsic_sizes(column, cast):
    story = column.published(column.exemplar())
    image = add_photo(story, jpeg_with_gps((2000, 1500)), caption="Khung cửi", by=cast.a_admin)
    srcset = ", ".join(f"/chuyen-muc/anh/{image.pk}/{w}/ {w}w" for w in (320, 720, 1280))
    cache.clear()
    for url, sizes in [
        (LIST, "(min-width: 900px) 300px, (min-width: 640px) 45vw, 112px"),
        ("/chuyen-muc/", "(min-width: 900px) 300px, (min-width: 640px) 45vw, 112px"),
        (story.get_absolute_url(), "(min-width: 760px) 720px, calc(100vw - 28px)"),
    ]:
        imgs = images_in(Client().get(url).content.decode())
        assert len(imgs) == 1, url
        img = imgs[0]
        assert img["srcset"] == srcset, url
        assert img["sizes"] == sizes, url
        assert img["src"] == f"/chuyen-muc/anh/{image.pk}/720/"
        assert (img["width"], img["height"]) == ("720", "540")
        assert img["loading"] == "lazy" and img["decoding"] == "async"


# ---- the weight of the list on a phone ------------------------------------------------------------
def _length(value: str, viewport: int) -> float:
    value = value.strip()
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)px", value):
        return float(m.group(1))
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)vw", value):
        return float(m.group(1)) * viewport / 100
    if m := re.fullmatch(r"calc\(100vw - (\d+)px\)", value):
        return viewport - float(m.group(1))
    raise AssertionError(f"unexpected length in sizes: {value}")


def slot_width(sizes: str, viewport: int) -> float:
    """The width ``sizes`` gives the image at that viewport (the first matching condition)."""
    for entry in (e.strip() for e in sizes.split(",")):
        if m := re.fullmatch(r"\((min|max)-width:\s*(\d+)px\)\s+(.+)", entry):
            limit = int(m.group(2))
            if (viewport >= limit) if m.group(1) == "min" else (viewport <= limit):
                return _length(m.group(3), viewport)
            continue
        return _length(entry, viewport)
    raise AssertionError(sizes)


def chosen(srcset: str, sizes: str, viewport: int, dpr: float) -> str:
    """The candidate a browser picks: the narrowest whose density reaches the screen's pixel
    ratio (else the widest). Browsers may pick a narrower one, never a wider one."""
    slot = slot_width(sizes, viewport)
    candidates = sorted(
        (int(w), url)
        for url, w in (re.fullmatch(r"(\S+) (\d+)w", c.strip()).groups() for c in srcset.split(","))
    )
    for width, url in candidates:
        if width / slot >= dpr:
            return url
    return candidates[-1][1]


def test_slot_and_choice_rules():
    card = "(min-width: 900px) 300px, (min-width: 640px) 45vw, 112px"
    assert slot_width(card, 360) == 112
    assert slot_width(card, 700) == 315
    assert slot_width(card, 1280) == 300
    srcset = "/a/320/ 320w, /a/720/ 720w, /a/1280/ 1280w"
    assert chosen(srcset, card, 360, 2) == "/a/320/"
    assert chosen(srcset, card, 360, 3) == "/a/720/"  # 336 px needed: the 320 is too small
    story = "(min-width: 760px) 720px, calc(100vw - 28px)"
    assert chosen(srcset, story, 360, 2) == "/a/720/"
    assert chosen(srcset, story, 1280, 2) == "/a/1280/"


def test_the_list_of_ten_stories_with_large_photos_weighs_under_300_kb_on_a_phone(column, cast):
    exemplar = column.exemplar()
    for n in range(10):
        story = column.published(
            exemplar,
            f"Câu chuyện số {n + 1}: giữ nghề dệt, đón khách ở Bản Giốc",
            summary="Một hộ hội viên làm du lịch cộng đồng và tạo việc làm cho chị em trong xóm.",
        )
        data = large_photo(n)
        assert len(data) > 2_000_000  # a phone's photo, as uploaded
        add_photo(story, data, name=f"anh-{n}.jpg", by=cast.a_admin)
    cache.clear()
    client = Client()
    page = client.get(LIST)
    html = page.content.decode()
    weight = {"html": len(page.content)}
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        path = finders.find(href.removeprefix("/static/"))
        with open(path, "rb") as handle:
            weight[href] = len(handle.read())
    imgs = images_in(html)
    assert len(imgs) == 10
    picked = []
    for img in imgs:
        url = chosen(img["srcset"], img["sizes"], viewport=360, dpr=2)
        response = client.get(url)
        assert response.status_code == 200
        picked.append(url)
        weight[url] = len(body_of(response))
    assert all(url.endswith("/320/") for url in picked), picked
    total = sum(weight.values())
    print(f"Public list at 360 px, DPR 2: {total:,} bytes", weight)
    assert total < 300_000, weight
    # What the issue measured before: the 4000 px original on the list, 6.6 MB a photo.
    assert max(v for k, v in weight.items() if k.startswith("/chuyen-muc/anh/")) < 40_000


@pytest.mark.django_db(transaction=True)
def test_the_migration_builds_renditions_of_photos_already_stored(column):
    """outreach/0009 gives the photos stored before it their renditions (what an existing
    database, the demo's included, gets on ``migrate``)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from guongsang.outreach.models import Story

    story = column.draft(column.exemplar())
    before = ("outreach", "0008_more_activity_forms")
    after = ("outreach", "0009_story_renditions_format")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        old_apps = executor.loader.project_state([before]).apps
        OldImage = old_apps.get_model("outreach", "StoryImage")
        name = default_storage.save(
            "stories/cu-anh.jpg", upload("cu.jpg", jpeg_with_gps((900, 600)))
        )
        OldImage.objects.create(story_id=story.pk, file=name, order=0, kind="jpg")
        OldImage.objects.create(story_id=story.pk, file="stories/mat.jpg", order=1, kind="jpg")
        executor = MigrationExecutor(connection)
        executor.migrate([after])
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
    kept, missing = StoryImage.objects.order_by("order")
    assert [(r["w"], r["h"]) for r in kept.renditions] == [(320, 213), (720, 480), (900, 600)]
    assert (kept.width, kept.height) == (900, 600)
    assert missing.renditions == []  # its file is gone: skipped, not a failed migration
    assert Story.objects.get(pk=story.pk).body_format == "html"
