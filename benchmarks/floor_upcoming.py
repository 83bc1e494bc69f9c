"""The floor `servant upcoming --days N --from DAY` is measured against: a minimal script
doing the same work, with nothing but the standard library and no care for anything
servant handles besides (rules, Feb 29, gestures, family, tags, hostile text).

It reads the occasions in the month-day window (wrapping over New Year), places each on
its day, sorts by date then case-folded name, and prints aligned columns (when, date,
who, what), as `servant upcoming` does when piped.

    python benchmarks/floor_upcoming.py DB [DAYS] [FROM]
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date, timedelta

TITLES = {"birthday": "Birthday", "anniversary": "Anniversary", "work-anniversary": "Work anniversary"}


def _on(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # Feb 29 in a common year
        return date(year, 2, 28)


def main() -> None:
    db, days = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 30
    today = date.fromisoformat(sys.argv[3]) if len(sys.argv) > 3 else date.today()
    end = today + timedelta(days=days)
    first, last = today.month * 100 + today.day, end.month * 100 + end.day
    where = "o.md BETWEEN ? AND ?" if today.year == end.year else "(o.md >= ? OR o.md <= ?)"
    sql = (
        "SELECT p.id, p.name, o.kind, o.label, o.month, o.day, o.year"
        f" FROM occasion o JOIN person p ON p.id = o.person_id WHERE {where}"
    )
    found = []
    for pid, name, kind, label, month, day, year in sqlite3.connect(db).execute(sql, (first, last)):
        when = _on(today.year, month, day)
        if when < today:
            when = _on(today.year + 1, month, day)
        years = when.year - year if year else 0
        what = TITLES.get(kind) or label
        if years:
            what += f" — {years} years"
        found.append((when, name.casefold(), pid, name, what))
    found.sort()
    rows = []
    for when, _, _, name, what in found:
        ahead = (when - today).days
        rows.append(("Today" if ahead == 0 else f"in {ahead} days", when.strftime("%a %d %b %Y"), name, what))
    widths = [max(len(row[i]) for row in rows) for i in range(3)] if rows else [0, 0, 0]
    out = [f"{a.ljust(widths[0])}  {b.ljust(widths[1])}  {c.ljust(widths[2])}  {d}\n" for a, b, c, d in rows]
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
