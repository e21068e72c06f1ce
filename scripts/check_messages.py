"""The English catalogue must be complete and its compiled .mo current."""

import gettext
import sys
from pathlib import Path

PO = Path("guongsang/locale/en/LC_MESSAGES/django.po")
MO = PO.with_suffix(".mo")


def _unquote(line: str) -> str:
    return (
        line[line.index('"') + 1 : line.rindex('"')]
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode("utf-8")
    )


def parse_po(path: Path):
    entries, current, key, fuzzy = [], None, None, False
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append((current, fuzzy))
            current, key, fuzzy = None, None, False
            continue
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        if line.startswith("#"):
            continue
        if current is None:
            current = {}
        if line.startswith(("msgid ", "msgid_plural ", "msgstr", "msgctxt ")):
            key = line.split(" ", 1)[0]
            current[key] = _unquote(line)
        elif line.startswith('"') and key:
            current[key] += _unquote(line)
    return entries


def main() -> int:
    if not PO.exists() or not MO.exists():
        print(f"missing {PO} or {MO}", file=sys.stderr)
        return 1
    problems = []
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry, fuzzy in parse_po(PO):
        msgid = entry.get("msgid", "")
        if not msgid:
            continue
        strs = [v for k, v in entry.items() if k.startswith("msgstr")]
        if fuzzy or not all(strs):
            problems.append(f"untranslated: {msgid!r}")
            continue
        ctx = entry.get("msgctxt")
        if "msgid_plural" in entry:
            got = compiled.ngettext(msgid, entry["msgid_plural"], 1)
        elif ctx:
            got = compiled.pgettext(ctx, msgid)
        else:
            got = compiled.gettext(msgid)
        if got == msgid and strs[0] != msgid:
            problems.append(f"not compiled (run make messages): {msgid!r}")
    for problem in problems[:50]:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problems in the English catalogue", file=sys.stderr)
        return 1
    print("English catalogue complete and compiled.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
