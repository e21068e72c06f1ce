"""Vietnamese text helpers: folding for search, dictionary order for sorting."""

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str | None) -> str:
    """Accent-, tone- and case-insensitive form: "Xã Đàm Thuỷ" -> "xa dam thuy".

    NFC first so decomposed input folds the same; đ does not decompose under NFD,
    so it is mapped by hand. Whitespace is collapsed.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.translate(_D_MAP).lower().split())


def search_tokens(query: str | None) -> list[str]:
    return fold(query).split()


# Vietnamese alphabet order: a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư; tones only break ties,
# in the order none, huyền, hỏi, ngã, sắc, nặng.
_BASE_ORDER = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_BASE_RANK = {ch: i for i, ch in enumerate(_BASE_ORDER)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn


def _letter_key(ch: str) -> tuple[tuple[int, ...], int]:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base = decomposed[0]
    tone = 0
    shaped = base
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _SHAPE_MARKS:
            shaped = unicodedata.normalize("NFC", shaped + mark)
    if shaped in _BASE_RANK:
        return (0, _BASE_RANK[shaped]), tone
    return (1, ord(shaped)), tone


def vi_sort_key(text: str | None) -> tuple:
    """Key that orders strings as a Vietnamese dictionary does."""
    text = unicodedata.normalize("NFC", text or "")
    letters = []
    tones = []
    for ch in text:
        key, tone = _letter_key(ch)
        letters.append(key)
        tones.append(tone)
    return (tuple(letters), tuple(tones))


def split_person_name(full_name: str) -> tuple[str, str]:
    """("Nông Thị Mai Hoa") -> ("Hoa", "Nông Thị Mai"): given name, then family and middle."""
    words = (full_name or "").split()
    if not words:
        return "", ""
    return words[-1], " ".join(words[:-1])


def person_sort_key(full_name: str | None, order: str | None = None) -> tuple:
    """Sort people by given name, then family and middle names (NAME_SORT="given"),
    or by the full name as written (NAME_SORT="full")."""
    from django.conf import settings

    order = order or getattr(settings, "NAME_SORT", "given")
    if order == "full":
        return vi_sort_key(full_name)
    given, rest = split_person_name(full_name or "")
    return (vi_sort_key(given), vi_sort_key(rest))


def slugify_vi(text: str) -> str:
    from django.utils.text import slugify

    return slugify((text or "").translate(_D_MAP))


# Sort keys as text, so the database can order and index them. Bytewise order of the text equals
# the order of the tuple keys above (tested): each letter of the alphabet is one character from
# "0" upwards, any other character is "z" and its code point in six hex digits (after every
# letter, as in the tuple), "!" ends the letters (below any letter: a prefix sorts first), then
# one digit per tone. A person's key is the given name's key, a space, then the rest's key.
SORT_KEY_LENGTH = 255


def _sort_text(text: str) -> str:
    letters = []
    tones = []
    for ch in unicodedata.normalize("NFC", text or ""):
        (cls, rank), tone = _letter_key(ch)
        letters.append(chr(0x30 + rank) if cls == 0 else f"z{rank:06x}")
        tones.append(str(tone))
    return "".join(letters) + "!" + "".join(tones)


def vi_sort_text(text: str | None) -> str:
    """``vi_sort_key`` as a string whose bytewise order is the same (cut to 255 characters)."""
    return _sort_text(text or "")[:SORT_KEY_LENGTH]


def person_sort_text(full_name: str | None, order: str | None = None) -> str:
    """``person_sort_key`` as a string whose bytewise order is the same."""
    from django.conf import settings

    order = order or getattr(settings, "NAME_SORT", "given")
    if order == "full":
        return vi_sort_text(full_name)
    given, rest = split_person_name(full_name or "")
    return (_sort_text(given) + " " + _sort_text(rest))[:SORT_KEY_LENGTH]
