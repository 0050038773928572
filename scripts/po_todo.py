"""Print the untranslated entries of English catalogs as a JSON object to fill in.

    python scripts/po_todo.py sites/locale/en/LC_MESSAGES/django.po > todo.json
    # write the English text as each value, then:
    python scripts/po_fill.py sites/locale/en/LC_MESSAGES/django.po todo.json

French is the source language: `fr` catalogs are filled with their msgid by po_fill.py --copy.
"""

import json
import sys

import polib

entries = {}
for path in sys.argv[1:]:
    for entry in polib.pofile(path):
        if entry.obsolete:
            continue
        if not entry.msgstr and not entry.msgstr_plural.get(0):
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            entries[key] = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else ""
json.dump(entries, sys.stdout, ensure_ascii=False, indent=1)
