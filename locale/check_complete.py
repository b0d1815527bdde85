#!/usr/bin/env python3
"""Check that every language's catalogues are complete: no missing catalogue, untranslated, fuzzy or obsolete entry.

Run after `make messages` (makemessages adds new msgids empty and marks changed ones fuzzy):

    python locale/check_complete.py                        # every locale/*/LC_MESSAGES/*.po
    python locale/check_complete.py --languages ko es ar   # these languages: django.po and djangojs.po each
    python locale/check_complete.py FILE.po                # only the given files
    python locale/check_complete.py --print-languages      # settings.LANGUAGES less English (for the Makefile)

Exits 1 and lists each offending entry (file:line, kind, msgid) when anything is left to translate, and each
offered language without its catalogues. Standard library only for the checks, so it runs anywhere the
repository is checked out; --print-languages imports the settings (run it with the project's virtualenv).
"""

import os
import re
import sys
from pathlib import Path

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


def _unquote(text):
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a PO string: {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse(path):
    """Yield entries as dicts: line, flags, obsolete, msgctxt, msgid, msgid_plural, msgstr {key: text}."""
    entry, field = None, None

    def fresh(line_no):
        return {"line": line_no, "flags": set(), "obsolete": False, "fields": {}}

    pending = fresh(1)
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # previous msgid of an obsolete entry
                continue
        if not line:
            if entry is not None:
                yield entry
            entry, field, pending = None, None, fresh(number + 1)
            continue
        if line.startswith("#"):
            if entry is not None and field is not None and field.startswith("msgstr"):
                yield entry
                entry, field, pending = None, None, fresh(number)
            if line.startswith("#,"):
                pending["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            if entry is None or field is None:
                raise ValueError(f"{path}:{number}: continuation line outside an entry")
            entry["fields"][field] += _unquote(line)
            continue
        match = _KEYWORD.match(line)
        if not match:
            raise ValueError(f"{path}:{number}: unexpected line {raw!r}")
        keyword, value = match.groups()
        if entry is not None and keyword in ("msgctxt", "msgid") and field and field.startswith("msgstr"):
            yield entry
            entry, pending = None, fresh(number)
        if entry is None:
            entry = pending
            entry["line"] = number
        entry["obsolete"] = entry["obsolete"] or obsolete
        entry["fields"][keyword] = _unquote(value)
        field = keyword
    if entry is not None:
        yield entry


def problems(path):
    for entry in parse(path):
        fields = entry["fields"]
        msgid = fields.get("msgid", "")
        if msgid == "" and "msgctxt" not in fields:
            if "fuzzy" in entry["flags"]:
                yield entry["line"], "fuzzy header", ""
            continue
        if entry["obsolete"]:
            yield entry["line"], "obsolete", msgid
            continue
        if "fuzzy" in entry["flags"]:
            yield entry["line"], "fuzzy", msgid
        translations = [text for key, text in fields.items() if key.startswith("msgstr")]
        if not translations or not all(text.strip() for text in translations):
            yield entry["line"], "untranslated", msgid


DOMAINS = ("django", "djangojs")


def offered_languages():
    """settings.LANGUAGES less the source language: the codes that need catalogues."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcity.settings")
    from django.conf import settings  # noqa: PLC0415 (only here: every check stays standard library only)

    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def main(argv):
    here = Path(__file__).resolve().parent
    if argv[:1] == ["--print-languages"]:
        print(" ".join(offered_languages()))
        return 0
    failures = 0
    if argv[:1] == ["--languages"]:
        paths = []
        for code in argv[1:]:
            for domain in DOMAINS:
                path = here / code / "LC_MESSAGES" / f"{domain}.po"
                if path.exists():
                    paths.append(path)
                else:
                    print(f"{path}: missing: {code} is offered but has no {domain} catalogue")
                    failures += 1
    else:
        paths = [Path(arg) for arg in argv] or sorted(here.glob("*/LC_MESSAGES/*.po"))
    if not paths and not failures:
        print("no .po files found", file=sys.stderr)
        return 2
    for path in paths:
        found = list(problems(path))
        failures += len(found)
        for line, kind, msgid in found:
            shown = msgid.replace("\n", "\\n")
            print(f"{path}:{line}: {kind}: {shown[:100]}")
        if not found:
            print(f"{path}: complete")
    if failures:
        print(f"{failures} entr{'y' if failures == 1 else 'ies'} to translate or clean up", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
