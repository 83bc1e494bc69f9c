"""How fast `servant upcoming --days 30` is on 1k, 10k and 100k people.

Builds one database per size through the store (people with a birthday, most with a
year; a third with a work anniversary; some clients and spouses; a few Feb 29 births),
then times whole `servant upcoming` processes against `python -c "import typer"`, run
alternately so machine noise hits both alike, and prints medians and their ratio.

Commands per size (``--only`` picks; the first two unless told):
- `upcoming --days 30`: what a user runs. Its output grows with the address book
  (about 13% of people have a date in any 30 days: 12,900 lines at 100k people), so
  its time grows with the lines printed.
- `upcoming --days 30 --tag vip`: the same query for the same 24 "vip" people in every
  database, so the output is the same size at 1k and at 100k. Its time shows what the
  query costs as the book grows: it must not walk every person.

- `digest`: the morning digest (7 days ahead). It lists at most 50 lines a section and
  counts the rest, so past a few thousand people its output no longer grows (202 lines
  at 1M), and nor must its time: it counts in SQLite and reads only the dates it lists
  (aim: 1M within 2x of 1k). And `digest --tag vip`, whose output is the same at every
  size: what the digest reads besides its dates (the longest lead time, who has a
  keep-in-touch cadence, whether the tag is in use) must not grow with the book.

    python benchmarks/upcoming.py            # 1k, 10k, 100k; 15 runs each
    python benchmarks/upcoming.py --runs 31 --sizes 1000 10000
    python benchmarks/upcoming.py --rules 50   # every 50th person also has a yearly rule

With ``--keep DIR`` the databases are built once into DIR and reused (a 1M database
takes about a minute); each run times a copy. With ``--before SRC`` (``git archive REV
src | tar -x -C /tmp/before``) the same commands also run on that version of ``src/``,
alternately; the databases are then built by it (keep them apart from those built
without ``--before``: an older servant refuses a newer schema), and the newer code
upgrades its copy on the first, untimed, run. Wall and CPU (user + system) times are both printed, and
for each command the largest size against the smallest.

    python benchmarks/upcoming.py --sizes 1000 1000000 --keep /tmp/servant-upcoming \\
        --only vip "digest vip" digest --before /tmp/before/src --runs 7

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

from common import cpu_timed, setup, timed
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


def made(folder: Path, size: int, rules: int, src: Path | None, env: dict[str, str]) -> Path:
    """The database of ``size`` people in ``folder``, built unless it is there already; by
    the code of ``src`` when given (an older schema, which newer code upgrades)."""
    path = folder / f"servant-{size}{f'-rules{rules}' if rules else ''}.db"
    if not path.exists():
        print(f"{size:>8} people: building {path}", flush=True)
        partial = path.with_suffix(".building")
        partial.unlink(missing_ok=True)
        command = [sys.executable, __file__, "--make", str(partial), "--sizes", str(size), "--rules", str(rules)]
        subprocess.run(command, env=with_src(env, src), check=True)
        partial.rename(path)
    return path


def with_src(env: dict[str, str], src: Path | None) -> dict[str, str]:
    return env if src is None else {**env, "PYTHONPATH": str(src)}


VARIANTS = {
    "30 days": ["upcoming", "--days", "30", "--from", FROM],
    "vip": ["upcoming", "--days", "30", "--from", FROM, "--tag", "vip"],
    "digest": ["digest", "--from", FROM],
    "digest vip": ["digest", "--from", FROM, "--tag", "vip"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rules", type=int, default=0, metavar="N", help="every Nth person has a yearly rule too")
    parser.add_argument("--only", nargs="+", choices=list(VARIANTS), help="run only these commands")
    parser.add_argument("--keep", type=Path, help="build the databases once into this folder, and reuse them")
    parser.add_argument("--before", type=Path, help="a src/ folder of the version to compare with")
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        build(args.make, args.sizes[0], args.rules)
        return

    (servant,), folder, env = setup()
    versions = {"after": None, "before": args.before} if args.before else {"": None}
    # Two versions run as `python -m servant_cli`, each its own entry point: the console
    # script names this checkout's, which an older src/ may not have.
    run = [sys.executable, "-m", "servant_cli"] if args.before else [servant]
    baseline_cmd = [sys.executable, "-c", "import typer"]
    variants = {name: VARIANTS[name] for name in args.only or ["30 days", "vip"]}
    print(f"servant --db DB COMMAND, {args.runs} runs each, medians; baseline: python -c 'import typer'")
    for name, words in variants.items():
        print(f"{name:>10}: servant {' '.join(words)}")
    print(
        f"{'people':>8} {'command':>10} {'version':>7} {'lines':>6} {'wall ms':>9} {'cpu ms':>8}"
        f" {'typer ms':>9} {'ratio':>6}"
    )
    medians: dict[tuple[str, str], dict[int, tuple[float, float]]] = {}
    try:
        for size in args.sizes:
            kept = made(args.keep or folder, size, args.rules, args.before, env)
            for name, words in variants.items():
                commands = {}
                for version, src in versions.items():
                    # A copy each: a newer version upgrades its copy, the kept one stays as built.
                    db = folder / f"{version or 'this'}-{size}.db"
                    if not db.exists():
                        shutil.copyfile(kept, db)
                    command = [*run, "--db", str(db), *words]
                    # The first run also upgrades the copy and writes bytecode caches: not timed.
                    out = subprocess.run(
                        command, env=with_src(env, src), capture_output=True, text=True, check=True
                    ).stdout
                    commands[version] = (command, with_src(env, src), out.count(chr(10)), [], [], [])
                for _ in range(args.runs):
                    for command, run_env, _, walls, cpus, base in commands.values():
                        wall, cpu = cpu_timed(command, run_env)
                        walls.append(wall)
                        cpus.append(cpu)
                        base.append(timed(baseline_cmd, env))
                for version, (_, _, lines, walls, cpus, base) in commands.items():
                    wall, cpu, typer_s = map(statistics.median, (walls, cpus, base))
                    medians.setdefault((name, version), {})[size] = (wall, cpu)
                    print(
                        f"{size:>8} {name:>10} {version:>7} {lines:>6} {wall * 1000:>9.1f} {cpu * 1000:>8.1f}"
                        f" {typer_s * 1000:>9.1f} {wall / typer_s:>6.2f}",
                        flush=True,
                    )
        for (name, version), by_size in medians.items():
            if len(by_size) > 1:
                smallest, largest = min(by_size), max(by_size)
                (wall_a, cpu_a), (wall_b, cpu_b) = by_size[smallest], by_size[largest]
                print(
                    f"{name} {version}: {largest} people vs {smallest}: wall {wall_b / wall_a:.2f}x,"
                    f" cpu {cpu_b / cpu_a:.2f}x"
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
