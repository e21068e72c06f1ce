"""Safe rich text for stories: paragraphs, headings, bold, italic, lists, links and the app's own
images survive; scripts, event handlers, styles and everything else are stripped."""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "blockquote",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}}
OWN_IMAGE = re.compile(r"^/chuyen-muc/anh/\d+/$")


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not OWN_IMAGE.match(value):
        return None  # only the app's own story images
    return value


def clean_html(html: str) -> str:
    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_filter,
        strip_comments=True,
    )
    # An <img> whose src was refused is useless: drop it.
    return re.sub(r"<img(?![^>]*\bsrc=)[^>]*>", "", cleaned)


_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|blockquote)\s*>|<br\s*/?>)", re.IGNORECASE)


def plain_text(markup: str) -> str:
    """The text of story HTML, unescaped (templates, feeds and JSON escape it themselves), with
    a space where a paragraph, heading, list item or line ends so words are not glued."""
    text = nh3.clean(_BLOCK_END.sub(r"\1 ", markup or ""), tags=set())
    return " ".join(html.unescape(text).split())
