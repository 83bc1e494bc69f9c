"""The floor `servant import cards.vcf` is measured against: a minimal script that reads
the same vCards and inserts the same people and dates into a new SQLite database.

It cuts the file into cards at BEGIN:VCARD, unfolds lines, and reads FN, EMAIL, TEL,
ORG, UID, BDAY (Apple's 1604 as no year) and an Apple X-ABDATE as an anniversary, then
inserts every person and date in one transaction. It knows nothing of matching,
escaping, other vCard versions, bad input or what an earlier import brought: it is what
the work costs at the least.

    python benchmarks/floor_import.py cards.vcf new.db

``benchmarks/import.py`` times it in its own process and in servant's (``load``).
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

SCHEMA = """
CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, phone TEXT, company TEXT, uid TEXT);
CREATE TABLE occasion (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL, month INTEGER NOT NULL, day INTEGER NOT NULL, year INTEGER);
"""


def date_of(value: str) -> tuple[int, int, int | None]:
    year, month, day = value.replace("--", "1604-").split("-")
    return int(month), int(day), None if year == "1604" else int(year)


def load(vcf: str, db: str) -> int:
    """The cards of ``vcf`` into a new database ``db``; how many people."""
    text = Path(vcf).read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
    conn = sqlite3.connect(db)
    conn.executescript(SCHEMA)
    count = 0
    with conn:
        for card in text.split("BEGIN:VCARD\n")[1:]:
            fields: dict[str, str] = {}
            dates = []
            for line in card.split("\n"):
                head, _, value = line.partition(":")
                name = head.split(";", 1)[0].rpartition(".")[2].upper()
                if name == "BDAY":
                    dates.append(("birthday", *date_of(value)))
                elif name == "X-ABDATE":
                    dates.append(("anniversary", *date_of(value)))
                elif name in ("FN", "EMAIL", "TEL", "ORG", "UID"):
                    fields.setdefault(name, value.rstrip(";"))
            cursor = conn.execute(
                "INSERT INTO person (name, email, phone, company, uid) VALUES (?, ?, ?, ?, ?)",
                (fields.get("FN", ""), fields.get("EMAIL"), fields.get("TEL"), fields.get("ORG"), fields.get("UID")),
            )
            conn.executemany(
                "INSERT INTO occasion (person_id, kind, month, day, year) VALUES (?, ?, ?, ?, ?)",
                [(cursor.lastrowid, *found) for found in dates],
            )
            count += 1
    conn.close()
    return count


if __name__ == "__main__":
    load(sys.argv[1], sys.argv[2])
