"""The floor `servant export ics` is measured against: a minimal script that writes the
same events from the same database with f-strings.

It reads the occasions and their people with one query (sqlite3 alone, in calendar
order) and writes each event as servant does: UID, DTSTAMP, DTSTART, DTEND, RRULE,
SUMMARY, DESCRIPTION (year, plan, company), CATEGORIES, TRANSP, SEQUENCE,
LAST-MODIFIED and a VALARM, text escaped and long lines folded. It knows nothing of
rules, seasons, gift ideas or bad input: it is what the work costs at the least.

    python benchmarks/floor_export.py servant.db out.ics

``benchmarks/export.py`` times it in its own process and in servant's (``write``).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator

LABELS = {"birthday": "Birthday", "anniversary": "Anniversary", "work-anniversary": "Work anniversary"}
YEARS = {"birthday": "Born", "anniversary": "Married", "work-anniversary": "At work since"}
SQL = (
    "SELECT o.id, o.kind, o.month, o.day, o.year, o.label, o.yearly, o.lead_days, o.plan, o.updated, o.sequence,"
    " p.name, p.company, p.tags, p.updated, p.sequence FROM occasion o JOIN person p ON p.id = o.person_id"
    " ORDER BY o.md, p.name, o.id"
)


def esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    if len(line) <= 75 and line.isascii():
        return line
    raw = line.encode()
    parts, start, limit = [], 0, 75
    while start < len(raw):
        end = min(start + limit, len(raw))
        while end < len(raw) and raw[end] & 0xC0 == 0x80:
            end -= 1
        parts.append(raw[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts)


def events(conn: sqlite3.Connection, db_id: str, lead_days: int = 7) -> Iterator[str]:
    for (
        oid,
        kind,
        month,
        day,
        year,
        label,
        yearly,
        lead,
        plan,
        o_upd,
        o_seq,
        name,
        company,
        tags,
        p_upd,
        p_seq,
    ) in conn.execute(SQL):
        title = LABELS.get(kind) or label or "Custom date"
        summary = f"{name} — {title}"
        start = f"{year or 2000:04d}{month:02d}{day:02d}"
        end = f"{year or 2000:04d}{month:02d}{day + 1:02d}"  # (the floor does not roll months)
        stamp = max(o_upd or "", p_upd or "").replace("-", "").replace(":", "")
        notes = []
        if year and yearly:
            notes.append(f"{YEARS.get(kind, 'Since')} {year}")
        if plan:
            notes.append(f"Plan: {plan}")
        if company:
            notes.append(f"Company: {company}")
        lead = 7 if lead is None else lead
        cats = ",".join(esc(c) for c in (title, *json.loads(tags or "[]")))
        rrule = "RRULE:FREQ=YEARLY\r\n" if yearly else ""
        desc = fold(f"DESCRIPTION:{esc(chr(10).join(notes))}") + "\r\n" if notes else ""
        yield (
            f"BEGIN:VEVENT\r\nUID:occasion-{oid}@{db_id}.servant\r\nDTSTAMP:{stamp}\r\n"
            f"DTSTART;VALUE=DATE:{start}\r\nDTEND;VALUE=DATE:{end}\r\n{rrule}"
            f"{fold('SUMMARY:' + esc(summary))}\r\n{desc}{fold('CATEGORIES:' + cats)}\r\n"
            f"TRANSP:TRANSPARENT\r\nSEQUENCE:{o_seq + p_seq}\r\nLAST-MODIFIED:{stamp}\r\n"
            f"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-P{lead - 1}DT15H\r\n"
            f"{fold('DESCRIPTION:' + esc(f'In {lead} days: {summary}'))}\r\nEND:VALARM\r\nEND:VEVENT\r\n"
        )


def write(db: str, out: str) -> int:
    """Write the calendar of ``db`` to ``out``; how many events."""
    conn = sqlite3.connect(db)
    db_id = conn.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchone()[0]
    count = 0
    with open(out, "w", encoding="utf-8", newline="") as file:
        file.write(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//floor//floor//EN\r\nCALSCALE:GREGORIAN\r\n"
            "X-WR-CALNAME:servant occasions\r\n"
        )
        for event in events(conn, db_id):
            file.write(event)
            count += 1
        file.write("END:VCALENDAR\r\n")
    conn.close()
    return count


if __name__ == "__main__":
    write(sys.argv[1], sys.argv[2])
