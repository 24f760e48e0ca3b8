#!/usr/bin/env python3
"""Write the messages one language still needs as JSON, for a translator (or to review):
    .venv/bin/python scripts/i18n-todo.py pl > pl-todo.json
Each entry: {"id": ..., "plural": ... (if any), "forms": number of plural forms,
"context": ... (if any)}.
Translate into {"id": ..., "strings": [one per form]} and load with scripts/i18n-apply.py.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def main(code: str) -> None:
    with open(ROOT / "translations" / code / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalogue = read_po(po, locale=code)
    todo = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        if message.fuzzy or not all(s.strip() for s in strings):
            if isinstance(message.id, (tuple, list)):
                entry = {"id": message.id[0], "plural": message.id[1],
                         "forms": catalogue.num_plurals}
            else:
                entry = {"id": message.id}
            if message.context:
                entry["context"] = message.context
            todo.append(entry)
    json.dump(todo, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main(sys.argv[1])
