"""The English catalogue must be complete and its compiled .mo current.

Every msgid in the .po needs a non-empty translation (every plural form), no entry may be
fuzzy, and the .mo must hold exactly the translations the .po holds (run `make messages`
after editing the .po). Paths are resolved from the repository root, so the script works
from any directory; tests import ``problems()`` from it.
"""

import gettext
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "guongsang/locale/en/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s")


def _unquote(line: str) -> str:
    return (
        line[line.index('"') + 1 : line.rindex('"')]
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode("utf-8")
    )


def parse_po(path: Path):
    """(entry, fuzzy) pairs; entry maps msgctxt/msgid/msgid_plural/msgstr[n] to text."""
    entries, current, key, fuzzy = [], None, None, False
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append((current, fuzzy))
            current, key, fuzzy = None, None, False
            continue
        if line.startswith("#,") and "fuzzy" in (f.strip() for f in line[2:].split(",")):
            fuzzy = True
        if line.startswith("#"):  # comments, flags, previous msgids, obsolete entries
            continue
        match = _KEYWORD.match(line)
        if match:
            if current is None:
                current = {}
            key = match.group(1)
            current[key] = _unquote(line)
        elif line.startswith('"') and current is not None and key:
            current[key] += _unquote(line)
    return entries


def _nplurals(entries) -> int:
    for entry, _fuzzy in entries:
        if entry.get("msgid") == "" and "msgctxt" not in entry:
            match = re.search(r"nplurals\s*=\s*(\d+)", entry.get("msgstr", ""))
            if match:
                return int(match.group(1))
    return 2


def _sample_n(plural, index: int) -> int | None:
    """A count that selects plural form ``index`` under the catalogue's plural rule."""
    return next((n for n in range(1000) if plural(n) == index), None)


def problems(po: Path = PO, mo: Path = MO) -> list[str]:
    if not po.exists() or not mo.exists():
        return [f"missing {po} or {mo} (run make messages)"]
    entries = parse_po(po)
    nplurals = _nplurals(entries)
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    found = []
    for entry, fuzzy in entries:
        msgid = entry.get("msgid", "")
        ctx = entry.get("msgctxt")
        if not msgid:
            if fuzzy and "msgid" in entry and ctx is None:
                found.append("fuzzy header")
            continue
        plural = entry.get("msgid_plural")
        if plural is not None:
            keys = [f"msgstr[{i}]" for i in range(nplurals)]
        else:
            keys = ["msgstr"]
        strs = [entry.get(k, "") for k in keys]
        if fuzzy:
            found.append(f"fuzzy: {msgid!r}")
            continue
        if not all(strs):
            found.append(f"untranslated: {msgid!r}")
            continue
        if plural is None:
            got = [compiled.pgettext(ctx, msgid) if ctx else compiled.gettext(msgid)]
        else:
            got = []
            for index in range(nplurals):
                n = _sample_n(compiled.plural, index)
                if n is None:
                    got.append(None)
                elif ctx:
                    got.append(compiled.npgettext(ctx, msgid, plural, n))
                else:
                    got.append(compiled.ngettext(msgid, plural, n))
        if got != strs:
            found.append(f"not compiled (run make messages): {msgid!r}")
    return found


def main() -> int:
    found = problems()
    for problem in found[:50]:
        print(problem, file=sys.stderr)
    if found:
        print(f"{len(found)} problems in the English catalogue", file=sys.stderr)
        return 1
    print("English catalogue complete and compiled.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
