"""What cleaning every text value as it is read costs (``store.rows.prepare``: the
connection's ``text_factory`` is ``text.stored_bytes``, and tags match through SQL
``fold``).

Builds 100,000 people (benchmarks/upcoming.py's), then in one process times the reads
``servant upcoming`` and ``servant list`` make, alternately with the cleaning reader and
with SQLite's own (``str``, no cleaning), and prints medians and their ratio.

    python benchmarks/stored_text.py            # 100k people, 15 rounds
    python benchmarks/stored_text.py --people 10000 --rounds 31
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from servant_cli.store import Store
from servant_cli.text import stored_bytes
from upcoming import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="servant-bench-"))
    try:
        build(folder / "servant.db", options.people)
        store = Store.open(folder / "servant.db")
        start = date(2026, 11, 22)
        reads: dict[str, Callable[[], object]] = {
            "upcoming 30 days": lambda: store.occasions_between(start, start + timedelta(days=30)),
            "upcoming --tag vip": lambda: store.occasions_between(start, start + timedelta(days=30), tags=["vip"]),
            "list (everyone)": store.people,
        }
        print(f"{options.people} people, {options.rounds} rounds, medians in ms")
        print(f"  {'read':<20} {'sqlite str':>10} {'cleaned':>10}  ratio")
        for name, read in reads.items():
            times: dict[object, list[float]] = {str: [], stored_bytes: []}
            for _ in range(options.rounds):
                for factory in (str, stored_bytes):
                    store.conn.text_factory = factory
                    began = time.perf_counter()
                    read()
                    times[factory].append(time.perf_counter() - began)
            plain, cleaned = (statistics.median(times[f]) * 1000 for f in (str, stored_bytes))
            print(f"  {name:<20} {plain:>10.1f} {cleaned:>10.1f}  {cleaned / plain:.2f}")
        store.close()
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
