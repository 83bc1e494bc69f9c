"""Time and peak memory of the commands that grow with the address book, at 1k and 200k people.

Builds (once, into ``--keep``, reused on the next run) a database per size the way
``benchmarks/upcoming.py`` does (people with a birthday, a third with a work anniversary,
a fifth with a wedding anniversary: 1.5 key dates a person), with more of what a
long-used database holds: 5 gestures a person on average (1M at 200k), 30% of them for
one person (#1), so that ``show`` lists 300k at 200k people; a gift idea for one person in
25, a keep-in-touch cadence for one in ten, a lead time of 21 days on one date in 40.
It also writes ``--cards`` vCards (half the people) for the import.

Then runs each command as a user would, as a whole process under ``/usr/bin/time -v``
(its elapsed time and maximum resident set size), for the code under test (this
checkout, or ``--after SRC``) and, with ``--before SRC``, for another version of
``src/`` (say ``git archive 2eac5dd src | tar -x -C /tmp/before``), alternately:

- ``upcoming --days 30`` and ``upcoming --days 365 --json`` (piped: plain lines, JSON);
- ``upcoming --days 3660 --csv``;
- ``digest`` (7 days, piped), and ``digest --kind birthday`` (no Keep in touch);
- ``show '#1'`` (the latest 20 gestures of 30% of all) and ``show '#1' --json`` (all of them);
- ``export ics -o FILE``;
- ``import cards.vcf`` into a new database.

It prints one line per command and size: seconds and MB before and after, their
ratios, and for each command the memory at the largest size against the smallest
(flat: within about 2x). ``python -c "import typer"`` is the baseline of a process
that does nothing.

    python benchmarks/scale.py --before /tmp/before/src                 # 1k and 200k people
    python benchmarks/scale.py --sizes 1000 20000 --keep /tmp/servant-scale
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from importlib import import_module
from pathlib import Path

from servant_cli.store import NewPerson, Store
from upcoming import FROM, people

#: Gestures a person on average, and the share of them that goes to person #1.
GESTURES_EACH = 5
HEAVY_SHARE = 0.3
GESTURE_KINDS = ("call", "card", "gift", "flowers", "message", "visit", "note")
WHAT = ("tulips", "a scarf", "lunch", "a book on bees", None, "the new catalogue", None)


def scale_people(count: int) -> list[NewPerson]:
    """``upcoming.people`` with some keep-in-touch cadences and longer lead times."""
    made = []
    for n, person in enumerate(people(count)):
        if n % 40 == 0:
            first, *rest = person.occasions
            person = person._replace(occasions=(first._replace(lead_days=21), *rest))
        if n % 10 == 3:
            person = person._replace(every_days=60)
        made.append(person)
    return made


def build(path: Path, count: int) -> float:
    """A database of ``count`` people with their dates, gestures and ideas; seconds taken."""
    started = time.perf_counter()
    rng = random.Random(11)
    store = Store.open(path)
    store.add_people(scale_people(count))
    birthdays = dict(store.conn.execute("SELECT person_id, id FROM occasion WHERE kind = 'birthday'").fetchall())
    rows = store.conn.execute("SELECT person_id, month, day FROM occasion WHERE kind = 'birthday'")
    md = {pid: (m, d) for pid, m, d in rows}
    today = date.fromisoformat(FROM)
    heavy = int(count * GESTURES_EACH * HEAVY_SHARE)
    total = count * GESTURES_EACH
    stamp = "2026-01-01T09:00:00Z"

    def gesture(person_id: int) -> tuple:
        kind = rng.choice(GESTURE_KINDS)
        on = today - timedelta(days=rng.randrange(5 * 365))
        occasion_id = for_date = None
        if kind == "card" and person_id in md:
            month, day = md[person_id]
            try:
                birthday = date(on.year, month, day)
            except ValueError:  # Feb 29
                birthday = date(on.year, 2, 28)
            if birthday <= today:
                on = birthday - timedelta(days=rng.randrange(7))
                occasion_id, for_date = birthdays[person_id], birthday.isoformat()
        return (person_id, on.isoformat(), kind, rng.choice(WHAT), None, occasion_id, for_date, stamp)

    sql = (
        "INSERT INTO gesture (person_id, on_date, kind, what, cost, occasion_id, for_date, created)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    with store.transaction():
        store.conn.executemany(sql, (gesture(1) for _ in range(heavy)))
        store.conn.executemany(sql, (gesture(rng.randrange(1, count + 1)) for _ in range(total - heavy)))
        store.conn.executemany(
            "INSERT INTO idea (person_id, text, created) VALUES (?, ?, ?)",
            [(pid, f"a book on {rng.choice(('bees', 'boats', 'bread'))}", stamp) for pid in range(1, count + 1, 25)],
        )
        # Every gesture was logged with its link decided (as `servant log` does now).
        store.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('gestures_decided_from', '1')")
    store.close()
    return time.perf_counter() - started


def write_cards(path: Path, count: int) -> None:
    card = import_module("import").card
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8") as out:
        for n in range(count):
            out.write(card(n, rng))


def measure(command: list[str], env: dict[str, str], stdout: Path) -> tuple[float, float]:
    """Seconds and peak MB (maximum resident set size) of one run of ``command``."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, open(stdout, "wb") as out:
        subprocess.run(
            ["/usr/bin/time", "-v", "-o", report.name, *command],
            env=env,
            stdout=out,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        text = Path(report.name).read_text()
    if "Exit status: 0" not in text and "Command exited with non-zero status" in text:
        raise SystemExit(f"failed: {' '.join(command)}\n{text}")
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    assert clock and rss, text
    seconds = 0.0
    for part in clock.group(1).split(":"):
        seconds = seconds * 60 + float(part)
    return seconds, int(rss.group(1)) / 1024


def commands(db: Path, folder: Path, cards: Path) -> dict[str, list[str]]:
    """What is run at each size: servant's arguments after ``--db DB``."""
    return {
        "upcoming 30 days": ["upcoming", "--days", "30", "--from", FROM],
        "upcoming 365 --json": ["upcoming", "--days", "365", "--json", "--from", FROM],
        "upcoming 3660 --csv": ["upcoming", "--days", "3660", "--csv", "--from", FROM],
        "digest": ["digest", "--from", FROM],
        # Without Keep in touch (a tenth of the people, most of them overdue: the digest
        # holds what it says), what the digest reads for its dates.
        "digest --kind birthday": ["digest", "--kind", "birthday", "--from", FROM],
        "show #1": ["show", "#1", "--from", FROM],
        "show #1 --json": ["show", "#1", "--json", "--from", FROM],
        "export ics -o": ["export", "ics", "--quiet", "-o", str(folder / "out.ics"), "--from", FROM],
        "import cards": ["import", str(cards)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 200_000])
    parser.add_argument("--before", type=Path, help="a src/ folder of the version to compare with")
    parser.add_argument("--after", type=Path, default=Path(__file__).resolve().parent.parent / "src")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "servant-scale")
    parser.add_argument("--only", nargs="*", help="run only the commands whose name starts so")
    args = parser.parse_args()

    args.keep.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="servant-scale-"))
    base_env = {**os.environ, "SERVANT_CONFIG_DIR": str(scratch / "config")}
    base_env.pop("PYTHONDONTWRITEBYTECODE", None)
    versions = {"after": args.after.resolve()}
    if args.before:
        versions = {"before": args.before.resolve(), **versions}
    envs = {name: {**base_env, "PYTHONPATH": str(src)} for name, src in versions.items()}
    servant = [sys.executable, "-m", "servant_cli"]

    baseline = measure([sys.executable, "-c", "import typer"], base_env, scratch / "out")
    print(f"baseline python -c 'import typer': {baseline[0]:.2f} s, {baseline[1]:.0f} MB")
    head = f"{'people':>7}  {'command':<22}"
    for name in versions:
        head += f" {name + ' s':>9} {name + ' MB':>9}"
    if args.before:
        head += f" {'time x':>7} {'mem x':>7}"
    print(head)
    peaks: dict[str, dict[int, float]] = {}
    try:
        for size in args.sizes:
            db = args.keep / f"scale-{size}.db"
            if not db.exists():
                print(f"building {size} people: {build(db, size):.0f} s", flush=True)
            cards = args.keep / f"cards-{size // 2}.vcf"
            if not cards.exists():
                write_cards(cards, size // 2)
            for label, arguments in commands(db, scratch, cards).items():
                if args.only and not any(label.startswith(start) for start in args.only):
                    continue
                line = f"{size:>7}  {label:<22}"
                found = {}
                for name, env in envs.items():
                    target = db
                    if label.startswith("import"):
                        target = scratch / f"import-{name}.db"
                        target.unlink(missing_ok=True)
                    (scratch / "out.ics").unlink(missing_ok=True)
                    found[name] = measure([*servant, "--db", str(target), *arguments], env, scratch / "out")
                    line += f" {found[name][0]:>9.2f} {found[name][1]:>9.0f}"
                if "before" in found:
                    (bs, bm), (as_, am) = found["before"], found["after"]
                    line += f" {as_ / bs:>7.2f} {am / bm:>7.2f}"
                peaks.setdefault(label, {})[size] = found["after"][1]
                print(line, flush=True)
        if len(args.sizes) > 1:
            print(f"after, peak memory at {max(args.sizes)} people against {min(args.sizes)}:")
            for label, by_size in peaks.items():
                print(f"  {label:<22} {by_size[max(by_size)] / by_size[min(by_size)]:.2f}x")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
