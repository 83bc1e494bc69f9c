"""How fast `servant upcoming --days 30` is on 1k, 10k and 100k people.

Builds one database per size through the store (people with a birthday, most with a
year; a third with a work anniversary; some clients and spouses; a few Feb 29 births),
then times whole `servant upcoming` processes against `python -c "import typer"`, run
alternately so machine noise hits both alike, and prints medians and their ratio.

Two commands per size:
- `upcoming --days 30`: what a user runs. Its output grows with the address book
  (about 13% of people have a date in any 30 days: 12,900 lines at 100k people), so
  its time grows with the lines printed.
- `upcoming --days 30 --tag vip`: the same query for the same 24 "vip" people in every
  database, so the output is the same size at 1k and at 100k. Its time shows what the
  query costs as the book grows: it must not walk every person.

    python benchmarks/upcoming.py            # 1k, 10k, 100k; 15 runs each
    python benchmarks/upcoming.py --runs 31 --sizes 1000 10000
    python benchmarks/upcoming.py --rules 50   # every 50th person also has a yearly rule

With ``--rules N``, every Nth person also has a custom date that is a yearly rule
(Thanksgiving, the 4th Thursday of November, in the window; or Easter+49, outside it):
the query reads every rule date besides the month-day range, so this shows what they cost.

Aims: ratio <= 1.5 at 10k, and 100k within 1.2x of 1k.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from common import setup, timed
from servant_cli.dates import Rule
from servant_cli.store import NewOccasion, NewPerson, Store

FIRST = [
    "Ada",
    "Bob",
    "Carla",
    "Dev",
    "Emma",
    "Femi",
    "Grace",
    "Hiro",
    "Ines",
    "Jon",
    "Kemal",
    "Lena",
    "Mo",
    "Nia",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
]
LAST = [
    "Stone",
    "Lovelace",
    "Okafor",
    "Tanaka",
    "Silva",
    "Novak",
    "Berg",
    "Haddad",
    "Kowalski",
    "Moreau",
    "Reyes",
    "Laine",
    "Park",
    "Duarte",
]
FROM = "2026-11-22"
#: The first VIPS people carry the tag vip in every database, whatever its size.
VIPS = 24


def people(count: int, seed: int = 7, rules: int = 0) -> list[NewPerson]:
    rng = random.Random(seed)
    made = []
    for n in range(count):
        born = date(1950, 1, 1).toordinal() + rng.randrange(365 * 55)
        birthday = date.fromordinal(born)
        if n % 1461 == 0:
            birthday = date(1988, 2, 29)
        occasions = [NewOccasion("birthday", birthday.month, birthday.day, birthday.year if n % 9 else None)]
        if n % 3 == 0:
            start = date.fromordinal(date(1995, 1, 1).toordinal() + rng.randrange(365 * 30))
            occasions.append(NewOccasion("work-anniversary", start.month, start.day, start.year))
        if n % 5 == 0:
            wed = date.fromordinal(date(1975, 1, 1).toordinal() + rng.randrange(365 * 50))
            occasions.append(NewOccasion("anniversary", wed.month, wed.day, wed.year, plan="flowers"))
        if rules and n % rules == 0:
            rule = Rule.of("4TH/11" if n % (2 * rules) else "easter+49")
            month, day = rule.earliest()
            occasions.append(NewOccasion("custom", month, day, None, label="Feast", rule=rule.text()))
        tags = ("client",) if n % 4 == 0 else ("team",) if n % 4 == 1 else ()
        if n < VIPS:
            tags = (*tags, "vip")
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}"
        made.append(NewPerson(name, tags=tags, occasions=tuple(occasions), company="Acme" if n % 2 else None))
    return made


def build(path: Path, count: int, rules: int = 0) -> float:
    started = time.perf_counter()
    store = Store.open(path)
    store.add_people(people(count, rules=rules))
    store.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rules", type=int, default=0, metavar="N", help="every Nth person has a yearly rule too")
    args = parser.parse_args()

    (servant,), folder, env = setup()
    baseline_cmd = [sys.executable, "-c", "import typer"]
    variants = {"30 days": [], "vip": ["--tag", "vip"]}
    print(
        f"servant upcoming --days 30 --from {FROM}, {args.runs} runs each, medians; baseline: python -c 'import typer'"
    )
    print(f"{'people':>8} {'command':>8} {'lines':>6} {'servant ms':>11} {'typer ms':>9} {'ratio':>6}")
    medians: dict[str, dict[int, float]] = {name: {} for name in variants}
    try:
        for size in args.sizes:
            db = folder / f"servant-{size}.db"
            built = build(db, size, args.rules)
            print(f"{size:>8} people built in {built:.2f} s")
            for name, extra in variants.items():
                command = [servant, "--db", str(db), "upcoming", "--days", "30", "--from", FROM, *extra]
                # The first run also writes bytecode caches; it is not timed.
                out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
                ours, base = [], []
                for _ in range(args.runs):
                    ours.append(timed(command, env))
                    base.append(timed(baseline_cmd, env))
                mine, typer_ms = statistics.median(ours), statistics.median(base)
                medians[name][size] = mine
                print(
                    f"{size:>8} {name:>8} {out.count(chr(10)):>6} {mine * 1000:>11.1f}"
                    f" {typer_ms * 1000:>9.1f} {mine / typer_ms:>6.2f}"
                )
        for name, by_size in medians.items():
            if len(by_size) > 1:
                smallest, largest = min(by_size), max(by_size)
                print(f"{name}: {largest} people vs {smallest}: {by_size[largest] / by_size[smallest]:.2f}x")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
