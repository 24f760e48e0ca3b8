#!/usr/bin/env python3
"""Load translations from JSON into one catalogue (see scripts/i18n-todo.py):
    .venv/bin/python scripts/i18n-apply.py pl pl-done.json
Entries: {"id": ..., "strings": [...]} (one string per plural form; one for a simple message),
with "context" for a message that has one (pgettext), and "comment" to set the translator's
comment (a line or a list of lines; "" removes it) shown above the message as "# ...".
Messages not in the catalogue are reported, not added: run `make translations-update` first.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(code: str, source: str) -> None:
    path = ROOT / "translations" / code / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as po:
        catalogue = read_po(po, locale=code)
    entries = json.loads(Path(source).read_text(encoding="utf-8"))
    applied, unknown = 0, []
    for entry in entries:
        message = catalogue.get(entry["id"], context=entry.get("context"))
        if message is None:
            unknown.append(entry["id"])
            continue
        if "strings" in entry:
            strings = entry["strings"]
            message.string = tuple(strings) if isinstance(message.id, (tuple, list)) else strings[0]
            message.flags.discard("fuzzy")
        if "comment" in entry:
            comment = entry["comment"]
            message.user_comments = [comment] if isinstance(comment, str) else list(comment)
            message.user_comments = [line for line in message.user_comments if line]
        applied += 1
    with open(path, "wb") as po:
        write_po(po, catalogue, width=76, omit_header=False)
    print(f"{code}: {applied} applied, {len(unknown)} not in the catalogue")
    for msgid in unknown[:20]:
        print("  not found:", msgid[:80])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
