"""What seasons add to `servant digest` and what `servant season show` costs, on 1k and 10k people.

Builds one database per size through the store: everyone with a birthday, a third
tagged "client", and a season "Holiday cards" for the clients with a quarter of them
ticked off. Times whole processes, alternately so machine noise hits both alike:

- `digest` on a day in the season's lead time against the same digest of a copy of the
  database without the season (its people left are listed: the output grows with them);
- `season show "Holiday cards"` against `list --tag client`, which reads the same people.

    python benchmarks/seasons.py            # 1k, 10k; 9 runs each
    python benchmarks/seasons.py --runs 15 --sizes 1000 10000

Aims: the digest with a season within 1.5x of the one without; season show within 1.5x
of list --tag.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
from datetime import date
from pathlib import Path

from common import setup, timed
from servant_cli.store import NewOccasion, NewPerson, Store

FROM = "2026-11-20"


def build(path: Path, size: int) -> None:
    """``size`` people, a third of them clients; the season ticks off every fourth client."""
    rng = random.Random(size)
    store = Store.open(path)
    people = []
    for n in range(size):
        day = date(1970 + n % 40, 1 + rng.randrange(12), 1 + rng.randrange(28))
        tags = ("client",) if n % 3 == 0 else ()
        people.append(
            NewPerson(
                f"Person {n}",
                tags=tags,
                phone=f"+1 555 {n:04d}",
                occasions=(NewOccasion("birthday", day.month, day.day, day.year),),
            )
        )
    store.add_people(people)
    season = store.add_season("Holiday cards", 12, 1, tags=("client",), plan="card", lead_days=21)
    clients = [person.id for person in store.people(("client",))]
    store.log_for_season(season.id, date(2026, 12, 1), clients[::4], date(2026, 11, 18), "card")
    store.close()


def without_season(path: Path, copy: Path) -> None:
    shutil.copyfile(path, copy)
    store = Store.open(copy)
    store.remove_season(store.find_season("Holiday cards").id)
    store.close()


def compare(first: list[str], second: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median seconds of each command, run alternately."""
    one, two = [], []
    for _ in range(runs):
        one.append(timed(first, env))
        two.append(timed(second, env))
    return statistics.median(one), statistics.median(two)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    (servant,), folder, env = setup()
    try:
        for size in args.sizes:
            path, plain = folder / f"seasons-{size}.db", folder / f"plain-{size}.db"
            build(path, size)
            without_season(path, plain)
            with_it, without = compare(
                [servant, "--db", str(path), "digest", "--from", FROM],
                [servant, "--db", str(plain), "digest", "--from", FROM],
                env,
                args.runs,
            )
            print(
                f"{size:>6} people  digest with a season {with_it:.3f}s, without {without:.3f}s:"
                f" {with_it / without:.2f}x"
            )
            show, listed = compare(
                [servant, "--db", str(path), "season", "show", "Holiday cards", "--from", FROM],
                [servant, "--db", str(path), "list", "--tag", "client"],
                env,
                args.runs,
            )
            print(f"{size:>6} people  season show {show:.3f}s, list --tag client {listed:.3f}s: {show / listed:.2f}x")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
