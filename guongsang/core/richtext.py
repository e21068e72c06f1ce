"""Safe rich text for stories: paragraphs, headings, bold, italic, lists, links and the app's own
images survive; scripts, event handlers, styles and everything else are stripped.

Stories are written in a light text format (``text_to_html``) that needs no HTML: a blank line
starts a paragraph, "## " a heading, "- " and "1. " lists, "> " a quotation, **bold**,
*italic*, [text](https://…) a link and a line "[ảnh 2]" the story's second photo. Whatever it
produces still goes through ``clean_html`` before it is shown."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser

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
    "figure",
    "figcaption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "srcset", "sizes", "width", "height", "loading", "decoding"},
}
# The public address of a story photo: its largest rendition, or one width of it.
OWN_IMAGE = re.compile(r"^/chuyen-muc/anh/\d+/(?:\d+/)?$")
_SRCSET_ITEM = re.compile(r"^(\S+)\s+\d{1,5}w$")
_SIZE = r"(?:\((?:min|max)-width:\s*\d{1,5}px\)\s+)?(?:\d{1,5}(?:px|vw)|calc\(100vw - \d{1,4}px\))"
_SIZES = re.compile(rf"^{_SIZE}(?:,\s*{_SIZE}){{0,5}}$")
_NUMBER = re.compile(r"^\d{1,5}$")
_IMG_VALUES = {"loading": {"lazy", "eager"}, "decoding": {"async", "sync", "auto"}}


def _srcset_is_own(value: str) -> bool:
    items = [item.strip() for item in value.split(",")]
    for item in items:
        match = _SRCSET_ITEM.match(item)
        if not match or not OWN_IMAGE.match(match.group(1)):
            return False
    return bool(items)


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if tag != "img":
        return value
    if attribute == "src":
        return value if OWN_IMAGE.match(value) else None  # only the app's own story images
    if attribute == "srcset":
        return value if _srcset_is_own(value) else None
    if attribute == "sizes":
        return value if _SIZES.match(value) else None
    if attribute in ("width", "height"):
        return value if _NUMBER.match(value) else None
    if attribute in _IMG_VALUES:
        return value if value in _IMG_VALUES[attribute] else None
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


_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|blockquote|figcaption)\s*>|<br\s*/?>)", re.IGNORECASE)


def plain_text(markup: str) -> str:
    """The text of story HTML, unescaped (templates, feeds and JSON escape it themselves), with
    a space where a paragraph, heading, list item or line ends so words are not glued."""
    text = nh3.clean(_BLOCK_END.sub(r"\1 ", markup or ""), tags=set())
    return " ".join(html.unescape(text).split())


# ---- the light text format ----------------------------------------------------------------------
IMAGE_MARKER = re.compile(r"^\[\s*(?:ảnh|anh|hình|hinh)\s*(\d{1,4})\s*\]$", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^[-*•+]\s+(.*)$")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
_QUOTE = re.compile(r"^>\s?(.*)$")
# On escaped text: [text](address), the address without spaces, quotes or angle brackets.
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:https?://|mailto:)[^\s()<>\"]+)\)", re.IGNORECASE)
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")


def _emphasis(escaped: str) -> str:
    return _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", escaped))


def inline_html(text: str) -> str:
    """One line of the format as HTML: the text escaped, then links, bold and italic."""
    escaped = html.escape(text, quote=True)
    out, last = [], 0
    for match in _LINK.finditer(escaped):
        out.append(_emphasis(escaped[last : match.start()]))
        out.append(f'<a href="{match.group(2)}">{_emphasis(match.group(1))}</a>')
        last = match.end()
    out.append(_emphasis(escaped[last:]))
    return "".join(out)


def text_to_html(source: str, image: Callable[[int], str | None] | None = None) -> str:
    """The light text format as HTML (not yet cleaned: callers pass it to ``clean_html``).

    ``image(n)`` gives the HTML of the story's n-th photo for a line "[ảnh n]", or None when
    there is no such photo (the line is then dropped)."""
    source = unicodedata.normalize("NFC", (source or "").replace("\r\n", "\n").replace("\r", "\n"))
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""
    quote: list[str] = []

    def flush() -> None:
        nonlocal list_tag
        if paragraph:
            blocks.append("<p>" + "<br>".join(inline_html(line) for line in paragraph) + "</p>")
            paragraph.clear()
        if items:
            body = "".join(f"<li>{inline_html(item)}</li>" for item in items)
            blocks.append(f"<{list_tag}>{body}</{list_tag}>")
            items.clear()
            list_tag = ""
        if quote:
            lines = "<br>".join(inline_html(line) for line in quote)
            blocks.append(f"<blockquote><p>{lines}</p></blockquote>")
            quote.clear()

    for raw in source.split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        if marker := IMAGE_MARKER.match(line):
            flush()
            found = image(int(marker.group(1))) if image else None
            if found:
                blocks.append(found)
            continue
        if heading := _HEADING.match(line):
            flush()
            level = 2 if len(heading.group(1)) <= 2 else 3
            blocks.append(f"<h{level}>{inline_html(heading.group(2))}</h{level}>")
            continue
        kind, match = "", None
        if match := _BULLET.match(line):
            kind = "ul"
        elif match := _NUMBERED.match(line):
            kind = "ol"
        if kind:
            if paragraph or quote or (items and list_tag != kind):
                flush()
            list_tag = kind
            items.append(match.group(1))
            continue
        if quoted := _QUOTE.match(line):
            if paragraph or items:
                flush()
            quote.append(quoted.group(1))
            continue
        if items:
            # A line under a list item without a marker continues that item.
            items[-1] += " " + line
            continue
        if quote:
            flush()
        paragraph.append(line)
    flush()
    return "\n".join(blocks)


class _ToText(HTMLParser):
    """Cleaned story HTML back to the light text format (see ``html_to_text``)."""

    def __init__(self, image_number: Callable[[int], int | None]):
        super().__init__(convert_charrefs=True)
        self.image_number = image_number
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.prefix = ""
        self.lists: list[list] = []  # [tag, next number]
        self.links: list[str | None] = []
        self.skip = 0  # inside a figcaption: the photo's caption is shown with the photo
        self.quote = 0

    def _flush(self) -> None:
        text = " ".join("".join(self.line).split(" "))
        text = "\n".join(" ".join(part.split()) for part in text.split("\n")).strip()
        if text and self.quote:
            text = "\n".join("> " + line for line in text.split("\n"))
        if text:
            self.blocks.append(self.prefix + text)
        self.line = []
        self.prefix = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("p", "blockquote", "figure"):
            self._flush()
            self.quote += tag == "blockquote"
        elif tag in ("h2", "h3", "h4"):
            self._flush()
            self.prefix = "## " if tag == "h2" else "### "
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag, 1])
        elif tag == "li":
            self._flush()
            if self.lists and self.lists[-1][0] == "ol":
                self.prefix = f"{self.lists[-1][1]}. "
                self.lists[-1][1] += 1
            else:
                self.prefix = "- "
        elif tag == "br":
            self.line.append("\n")
        elif tag in ("strong", "b"):
            self.line.append("**")
        elif tag in ("em", "i"):
            self.line.append("*")
        elif tag == "a":
            href = attrs.get("href") or ""
            if re.match(r"^(?:https?://|mailto:)\S+$", href, re.IGNORECASE):
                self.line.append("[")
                self.links.append(href)
            else:
                self.links.append(None)
        elif tag == "img":
            match = re.match(r"^/chuyen-muc/anh/(\d+)/", attrs.get("src") or "")
            number = self.image_number(int(match.group(1))) if match else None
            if number:
                self._flush()
                self.blocks.append(f"[ảnh {number}]")
        elif tag == "figcaption":
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("p", "blockquote", "figure", "h2", "h3", "h4", "li", "ul", "ol"):
            self._flush()
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            if tag == "blockquote":
                self.quote = max(0, self.quote - 1)
        elif tag in ("strong", "b"):
            self.line.append("**")
        elif tag in ("em", "i"):
            self.line.append("*")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.line.append(f"]({href})")
        elif tag == "figcaption":
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        if not self.skip:
            self.line.append(data.replace("\n", " "))


def html_to_text(markup: str, image_number: Callable[[int], int | None] = lambda pk: None) -> str:
    """Story HTML (cleaned) as the light text format, for the editor to open an old story:
    paragraphs, headings, lists, quotations, bold, italic and links keep their meaning; an own
    photo becomes "[ảnh n]" when ``image_number(id)`` knows it."""
    parser = _ToText(image_number)
    parser.feed(markup or "")
    parser.close()
    parser._flush()
    # Items of one list stay together; other blocks are separated by a blank line.
    out: list[str] = []
    previous = ""
    for block in parser.blocks:
        kind = "ul" if _BULLET.match(block) else "ol" if _NUMBERED.match(block) else ""
        out.append(("\n" if kind and kind == previous else "\n\n" if out else "") + block)
        previous = kind
    return "".join(out)
