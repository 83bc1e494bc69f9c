"""How fast `servant calendar` and `servant stats` are on 10k people.

Builds a database of 10,000 people (the people of benchmarks/upcoming.py) and 20,000
gestures over 2026, a third with a cost in one of three currencies, then times whole
processes of `calendar` (a month), `calendar --year` and `stats` against
`upcoming --days 30` on the same database, run alternately so machine noise hits both
alike, and prints medians and their ratio. Piped, as cron would run them.

    python benchmarks/pictures.py            # 10k people, 15 runs each
    python benchmarks/pictures.py --runs 31 --size 1000

Aims: a month within 1.5x of `upcoming --days 30`; a year and stats within 3x.
"""

from __future__ import annotations

import argparse
import random
import statistics
from datetime import date, timedelta

from common import setup, timed
from servant_cli.store import Store
from upcoming import FROM, people

COSTS = ("$25", "40 €", "EUR 12.50", "£18", "about 30", None, None, None, None)


def build(path, count: int) -> None:
    store = Store.open(path, create=True)
    store.add_people(people(count))
    rng = random.Random(11)
    rows = []
    for _ in range(count * 2):
        on = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        kind = rng.choice(("card", "gift", "call", "flowers", "message", "visit", "note"))
        rows.append((rng.randrange(1, count + 1), on.isoformat(), kind, rng.choice(COSTS)))
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO gesture (person_id, on_date, kind, cost, created) VALUES (?, ?, ?, ?, '2026-01-01T00:00:00Z')",
            rows,
        )
        # As `servant log` leaves it: every gesture's link was decided when it was logged.
        store.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('gestures_decided_from', '1')")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    (servant,), folder, env = setup()
    db = folder / "pictures.db"
    build(db, args.size)
    env["SERVANT_DB"] = str(db)
    baseline = [servant, "upcoming", "--days", "30", "--from", FROM]
    commands = {
        "calendar (a month)": [servant, "calendar", "--from", FROM],
        "calendar --year": [servant, "calendar", "--year", "2026", "--from", FROM],
        "stats": [servant, "stats", "--year", "2026"],
    }
    print(f"{args.size:,} people, {2 * args.size:,} gestures; median of {args.runs} runs")
    for name, command in commands.items():
        base, times = [], []
        for _ in range(args.runs):
            base.append(timed(baseline, env))
            times.append(timed(command, env))
        b, t = statistics.median(base), statistics.median(times)
        print(f"{name:20} {t * 1000:7.0f} ms   upcoming --days 30 {b * 1000:6.0f} ms   ratio {t / b:4.2f}")


if __name__ == "__main__":
    main()
