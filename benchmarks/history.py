"""What giving each upcoming item its history costs (``upcoming --json``).

Builds a database per size (the people of ``benchmarks/upcoming.py``), gives every key
date a card and flowers with a cost for each of the three years before, and a few
gestures that count for nothing, then times in one process, alternately so that noise
hits both alike, ``upcoming_items`` for 30 days without history (the baseline: what
``upcoming`` on a terminal reads) and with it (what ``--json`` reads: one more query for
the window, or for each span of days it is read in). Prints medians, their ratio, the time
added per item and the queries added.

    python benchmarks/history.py                 # 1k and 10k people; 15 runs each
    python benchmarks/history.py --sizes 100000 --runs 7

Aim: what history adds grows with the items in the window (the gestures it reads are
theirs), not with the book: about the same time per item at every size.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from servant_cli.config import Settings
from servant_cli.services.agenda import upcoming_items
from servant_cli.store import Store
from upcoming import FROM, build


def add_history(path: Path) -> int:
    """A card and flowers ($45) for each key date in each of 2023-2025, and a call for
    nothing; returns how many gestures there are."""
    conn = sqlite3.connect(path)
    with conn:
        rows = conn.execute("SELECT id, person_id, month, day FROM occasion").fetchall()
        gestures = []
        for occasion, person, month, day in rows:
            for year in (2023, 2024, 2025):
                when = date(year, month, 28 if (month, day) == (2, 29) else day).isoformat()
                gestures.append((person, when, "card", None, None, occasion, when))
                gestures.append((person, when, "flowers", "peonies", "$45", occasion, when))
            gestures.append((person, "2025-01-15", "call", None, None, None, None))
        conn.executemany(
            "INSERT INTO gesture (person_id, on_date, kind, what, cost, occasion_id, for_date, created)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, '2025-01-01T00:00:00Z')",
            gestures,
        )
        # Every gesture was logged by this version (none is judged on reading).
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('gestures_decided_from', '1')")
    conn.close()
    return len(gestures)


def once(store: Store, history: bool) -> tuple[float, int, int]:
    """Seconds, items and years of history of one ``upcoming_items``."""
    started = time.perf_counter()
    items = list(upcoming_items(store, date.fromisoformat(FROM), 30, Settings(), history=history))
    return time.perf_counter() - started, len(items), sum(len(item.history) for item in items)


def queries(store: Store, history: bool) -> int:
    """How many SQL statements one ``upcoming_items`` runs."""
    ran: list[str] = []
    store.conn.set_trace_callback(ran.append)
    try:
        once(store, history)
    finally:
        store.conn.set_trace_callback(None)
    return len(ran)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="servant-bench-"))
    print(f"upcoming_items --days 30 --from {FROM}, {args.runs} runs each, medians; baseline: without history")
    print(
        f"{'people':>8} {'gestures':>9} {'items':>6} {'years':>6} {'items ms':>9} {'+history ms':>12}"
        f" {'ratio':>6} {'µs/item':>8} {'queries':>8}"
    )
    try:
        for size in args.sizes:
            db = folder / f"servant-{size}.db"
            build(db, size)
            count = add_history(db)
            store = Store.open(db)
            once(store, True)  # caches warm for both
            more = queries(store, True) - queries(store, False)
            plain, full = [], []
            items = years = 0
            for _ in range(args.runs):
                plain.append(once(store, False)[0])
                seconds, items, years = once(store, True)
                full.append(seconds)
            store.close()
            base, mine = statistics.median(plain), statistics.median(full)
            added = (mine - base) / max(items, 1) * 1e6
            print(
                f"{size:>8} {count:>9} {items:>6} {years:>6} {base * 1000:>9.1f} {mine * 1000:>12.1f}"
                f" {mine / base:>6.2f} {added:>8.1f} {f'+{more}':>8}"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
