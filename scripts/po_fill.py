"""Fill a catalog from a JSON object {msgid (or "context\\x04msgid"): translation or [singular, plural]}.

    python scripts/po_fill.py PATH.po TRANSLATIONS.json
    python scripts/po_fill.py --copy PATH.po      # French source catalog: msgstr = msgid
Fuzzy flags are cleared on filled entries.
"""

import json
import sys

import polib


def main(argv: list[str]) -> None:
    if argv[0] == "--copy":
        for path in argv[1:]:
            po = polib.pofile(path)
            for entry in po:
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                else:
                    entry.msgstr = entry.msgid
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            po.save()
        return
    path, table_path = argv
    with open(table_path, encoding="utf-8") as handle:
        table = json.load(handle)
    po = polib.pofile(path)
    missing = 0
    for entry in po:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        value = table.get(key) or table.get(entry.msgid)
        if not value:
            if not entry.msgstr and not entry.msgstr_plural.get(0):
                missing += 1
            continue
        if entry.msgid_plural:
            singular, plural = value if isinstance(value, list) else (value, value)
            entry.msgstr_plural = {0: singular, 1: plural}
        else:
            entry.msgstr = value if isinstance(value, str) else value[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    print(f"{path}: {missing} entries still untranslated")


if __name__ == "__main__":
    main(sys.argv[1:])
