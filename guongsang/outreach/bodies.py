"""A story's body as the public reads it: one function for the public page, the editor's
preview and the back office, so the preview is the page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from guongsang.core.richtext import clean_html, html_to_text, plain_text, text_to_html

from . import photos
from .models import StoryFormat

# An own photo in a story written as HTML, as ``clean_html`` writes it back.
_OWN_IMG = re.compile(r'<img src="/chuyen-muc/anh/(\d+)/"[^>]*>')
_ALT = re.compile(r'\balt="([^"]*)"')


@dataclass
class Rendered:
    html: SafeString
    used: set[int] = field(default_factory=set)  # ids of the photos placed in the text

    @property
    def text(self) -> str:
        return plain_text(self.html)


def _figure(image, alt: str) -> str:
    tag = photos.img_tag(image, sizes=photos.SIZES_STORY, alt=image.caption or alt)
    if image.caption:
        return format_html("<figure>{}<figcaption>{}</figcaption></figure>", tag, image.caption)
    return format_html("<figure>{}</figure>", tag)


def render_body(*, body: str, body_format: str, images=(), title: str = "") -> Rendered:
    """The body's HTML, cleaned by the sanitiser last whatever the format: the text format
    rendered with its "[ảnh n]" lines as the story's photos, or old HTML with its own photos
    given their renditions."""
    images = list(images)
    used: set[int] = set()
    if body_format == StoryFormat.TEXT:
        by_number = {image.number: image for image in images}

        def image(n: int) -> str | None:
            found = by_number.get(n)
            if found is None:
                return None
            used.add(found.pk)
            return _figure(found, title)

        html = text_to_html(body, image)
    else:
        by_pk = {image.pk: image for image in images}

        def responsive(match: re.Match) -> str:
            found = by_pk.get(int(match.group(1)))
            if found is None or not found.renditions:
                return match.group(0)
            used.add(found.pk)
            alt = _ALT.search(match.group(0))
            # The alt text is already escaped in the cleaned HTML: unescaped by the tag's own
            # escaping would double it, so keep the caption or title instead when it is empty.
            tag = photos.img_tag(found, sizes=photos.SIZES_STORY, alt="")
            return tag.replace('alt=""', f'alt="{alt.group(1)}"' if alt else 'alt=""', 1)

        html = _OWN_IMG.sub(responsive, clean_html(body))
    return Rendered(mark_safe(clean_html(html)), used)  # noqa: S308 - cleaned just now


def render_story(story, images=None) -> Rendered:
    images = story.images.all() if images is None else images
    return render_body(
        body=story.body, body_format=story.body_format, images=images, title=story.title
    )


def editable_text(story, images=None) -> str:
    """What the editor shows: the text itself, or an HTML story converted to the text format
    (its own photos become "[ảnh n]" lines); saving stores it as text."""
    if story.body_format == StoryFormat.TEXT:
        return story.body
    images = story.images.all() if images is None else images
    numbers = {image.pk: image.number for image in images}
    return html_to_text(clean_html(story.body), numbers.get)
