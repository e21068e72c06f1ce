"""Story photos: the renditions the public pages load (a few widths, EXIF orientation applied,
metadata dropped, never upscaled) and the ``<img srcset sizes>`` that lets a phone take the
small one. The original stays in private storage for the back office."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from guongsang.core.uploads import MAX_IMAGE_PIXELS

# 320 for the list's thumbnails on a phone (about 110-160 CSS px at DPR 2-3), 720 for a story
# read on a phone (about 330 CSS px at DPR 2), 1280 for a desktop or a dense screen.
WIDTHS = (320, 720, 1280)
MAX_SIDE = 12_000
JPEG_QUALITY = 75
WEBP_QUALITY = 80

# What the public pages tell the browser about the space a photo takes: the list's thumbnail
# (beside the text on a phone, a grid cell above) and a photo across a story's column.
SIZES_CARD = "(min-width: 900px) 300px, (min-width: 640px) 45vw, 112px"
SIZES_STORY = "(min-width: 760px) 720px, calc(100vw - 28px)"


@dataclass
class Rendition:
    width: int
    height: int
    data: bytes
    ext: str


def check_dimensions(data: bytes) -> None:
    """Refuse an image whose header announces more pixels than we decode (a decompression
    bomb, or a photo far larger than any page needs), before anything decodes it."""
    from PIL import JpegImagePlugin, PngImagePlugin

    # The format's own reader parses the header only, without ``Image.open``'s bomb check
    # (which would refuse the worst ones with no size to tell the user).
    reader = {b"\xff\xd8": JpegImagePlugin.JpegImageFile, b"\x89P": PngImagePlugin.PngImageFile}
    factory = reader.get(data[:2])
    if factory is None:
        return  # not an image we accept: the content check that follows says so
    try:
        with factory(io.BytesIO(data)) as probe:
            width, height = probe.size
    except Exception:  # noqa: BLE001 - the content check that follows says what is wrong
        return
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_SIDE:
        raise ValidationError(
            _(
                "Ảnh quá lớn (%(w)s × %(h)s điểm ảnh); tối đa %(mp)s triệu điểm ảnh và cạnh dài "
                "nhất %(side)s điểm ảnh. Hãy thu nhỏ ảnh hoặc chụp ở độ phân giải thấp hơn."
            )
            % {
                "w": width,
                "h": height,
                "mp": MAX_IMAGE_PIXELS // 1_000_000,
                "side": MAX_SIDE,
            }
        )


def _widths(width: int) -> list[int]:
    steps = [w for w in WIDTHS if w < width]
    top = min(width, WIDTHS[-1])
    return steps if top in steps else [*steps, top]


def make_renditions(data: bytes) -> tuple[tuple[int, int], list[Rendition]]:
    """The image's size (after EXIF orientation) and its renditions, narrowest first: JPEG, or
    WebP when the image has transparency. No EXIF, GPS or colour profile is written."""
    from PIL import Image, ImageOps

    check_dimensions(data)
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)
        alpha = image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        )
        image = image.convert("RGBA" if alpha else "RGB")
    size = image.size
    out = []
    source = image
    for width in sorted(_widths(size[0]), reverse=True):
        height = max(1, round(size[1] * width / size[0]))
        scaled = (
            source
            if source.size == (width, height)
            else source.resize((width, height), Image.LANCZOS, reducing_gap=3.0)
        )
        buffer = io.BytesIO()
        if alpha:
            scaled.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
            ext = "webp"
        else:
            scaled.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
            ext = "jpg"
        out.append(Rendition(width, height, buffer.getvalue(), ext))
        source = scaled  # the next, narrower one from this one: faster, same quality
    return size, out[::-1]


def store_renditions(image) -> None:
    """Build and store the renditions of a ``StoryImage`` (or its historical model in a
    migration) from its stored original, and fill ``width``, ``height`` and ``renditions``.
    Old renditions are deleted. The caller saves the row."""
    with image.file.open("rb") as handle:
        handle.seek(0)
        data = handle.read()
    size, renditions = make_renditions(data)
    delete_renditions(image)
    stem = image.file.name.rsplit(".", 1)[0]
    stored = []
    for r in renditions:
        name = default_storage.save(f"{stem}-w{r.width}.{r.ext}", ContentFile(r.data))
        stored.append({"w": r.width, "h": r.height, "name": name, "bytes": len(r.data)})
    image.width, image.height = size
    image.renditions = stored


def delete_renditions(image) -> None:
    for r in image.renditions or []:
        default_storage.delete(r["name"])
    image.renditions = []


CONTENT_TYPES = {"jpg": "image/jpeg", "webp": "image/webp", "png": "image/png"}


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")


def url(image, width: int | None = None) -> str:
    if width is None:
        return reverse("public:story_image", args=[image.pk])
    return reverse("public:story_image_width", args=[image.pk, width])


def img_tag(image, *, sizes: str, alt: str, fallback_width: int = 720, lazy: bool = True) -> str:
    """The responsive ``<img>`` of a story photo: ``srcset`` of its renditions, ``sizes``,
    intrinsic ``width``/``height`` (no layout shift), lazy loading and async decoding."""
    renditions = sorted(image.renditions or [], key=lambda r: r["w"])
    if not renditions:
        return format_html('<img src="{}" alt="{}">', url(image), alt)
    fallback = next((r for r in renditions if r["w"] >= fallback_width), renditions[-1])
    srcset = ", ".join(f"{url(image, r['w'])} {r['w']}w" for r in renditions)
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'loading="{}" decoding="async">',
        url(image, fallback["w"]),
        srcset,
        sizes,
        fallback["w"],
        fallback["h"],
        alt,
        "lazy" if lazy else "eager",
    )
