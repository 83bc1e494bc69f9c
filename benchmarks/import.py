"""How fast `servant import` reads 10k vCards, against `khard birthdays` on the same cards.

Writes N vCard 3.0 cards (name, email, phone, company, a birthday for every card, most
with a year, an Apple-style yearless one now and then, and an anniversary for one in
five), once as a single .vcf and once as a vdir (a file per card, as vdirsyncer keeps
an address book). Then times, alternately so that machine noise hits all alike:

- `servant import cards.vcf` into a new database (it parses every card, then writes
  every person and date in one transaction);
- `servant import cards.vcf` again into the same database (every card matched,
  nothing changed: the repeat a cron job would do);
- `servant import vdir/`, new and again: the same cards from 10k files, and who is in
  the folder remembered;
- `khard birthdays`, which parses the same cards from the vdir and lists the birthdays;
- `benchmarks/floor_import.py cards.vcf`: a minimal parse-and-insert of the same cards
  into a new database (the floor), and `python -c "import typer"`.

Wall and CPU time (user + system) of each, medians; then, in this process, the CPU
time of servant's reading and writing (``importers.read`` and
``services.importing.import_people`` into a new database, as the command calls them)
against the floor's, and servant's repeat import of the same file; and the rows the
import wrote, inserted from memory into an empty database of servant's schema (its
indexes, and what each import brought, which the next one compares with): the least
servant's writes cost, which the floor, two tables without an index, does not pay; and
servant's reading of the cards alone, nothing written.

    python benchmarks/import.py             # 10,000 cards, 5 runs each
    python benchmarks/import.py --cards 2000 --runs 9

Aims: the import faster than `khard birthdays` on the same cards, and within 4x the
floor's CPU time in process. khard is a benchmark-only tool here: `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import floor_import
from common import cpu_timed, setup

FIRST = ["Ada", "Bob", "Carla", "Dev", "Emma", "Femi", "Grace", "Hiro", "Ines", "Jon", "Kemal", "Lena"]
LAST = ["Stone", "Lovelace", "Okafor", "Tanaka", "Silva", "Novak", "Berg", "Haddad", "Kowalski", "Moreau"]
NAMES = (
    "servant import, new database",
    "servant import, same file again",
    "servant import vdir/, new database",
    "servant import vdir/, same again",
    "khard birthdays",
    "floor_import.py",
    "python -c 'import typer'",
)


def card(n: int, rng: random.Random) -> str:
    first, last = rng.choice(FIRST), f"{rng.choice(LAST)}{n}"
    born = date.fromordinal(date(1950, 1, 1).toordinal() + rng.randrange(365 * 55))
    if n % 7 == 0:
        bday = f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{born.month:02d}-{born.day:02d}"
    else:
        bday = f"BDAY:{born.isoformat()}"
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:{uuid.UUID(int=rng.getrandbits(128))}",
        f"FN:{first} {last}",
        f"N:{last};{first};;;",
        f"EMAIL;TYPE=INTERNET:{first.lower()}.{last.lower()}@example.com",
        f"TEL;TYPE=CELL:+1 555 {n:07d}",
        f"ORG:Company {n % 50};",
        bday,
    ]
    if n % 5 == 0:
        wed = date.fromordinal(date(1980, 1, 1).toordinal() + rng.randrange(365 * 40))
        lines += [f"item1.X-ABDATE:{wed.isoformat()}", "item1.X-ABLabel:_$!<Anniversary>!$_"]
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def write_cards(folder: Path, count: int) -> Path:
    rng = random.Random(7)
    cards = [card(n, rng) for n in range(count)]
    single = folder / "cards.vcf"
    single.write_text("".join(cards), encoding="utf-8")
    vdir = folder / "vdir"
    vdir.mkdir()
    for n, text in enumerate(cards):
        (vdir / f"{n:06d}.vcf").write_text(text, encoding="utf-8")
    (folder / "khard.conf").write_text(f"[addressbooks]\n[[bench]]\npath = {vdir}\n", encoding="utf-8")
    return single


def servant_import(cards: Path, db: Path) -> int:
    """``servant import cards.vcf``, in this process: the same calls the command makes."""
    from servant_cli.importers import read
    from servant_cli.services.importing import import_people
    from servant_cli.store import Store

    parsed = read(cards)
    store = Store.open(db)
    result = import_people(store, parsed.people, source=parsed.format)
    store.close()
    return result.added + result.unchanged + result.updated


def rows_alone(imported: Path, scratch: Path) -> float:
    """CPU seconds to insert, in one transaction, the rows an import of the cards wrote
    (people, tags, dates, what the import brought) into an empty database of servant's
    schema, with its indexes, from lists already in memory, as servant inserts them
    (``insert_rows``): what servant's writes cost at the least, parsing and matching
    aside. The floor writes into two tables without an index, and remembers nothing for
    the next import."""
    import sqlite3

    from servant_cli.store import Store
    from servant_cli.store.connection import insert_rows

    Store.open(scratch).close()
    source = sqlite3.connect(imported)
    # import_field: what an import brought, one row a field, before schema step 16.
    memory = {"import_memory", "import_field"} & {name for (name,) in source.execute("SELECT name FROM sqlite_master")}
    tables = ("person", "person_tag", "occasion", *memory)
    rows, columns = {}, {}
    for table in tables:
        cursor = source.execute(f"SELECT * FROM {table}")
        rows[table] = cursor.fetchall()
        columns[table] = tuple(column[0] for column in cursor.description)
    source.close()
    target = sqlite3.connect(scratch, isolation_level=None)
    started = time.process_time()
    target.execute("BEGIN IMMEDIATE")
    for table in tables:
        insert_rows(target, table, columns[table], rows[table])
    target.execute("COMMIT")
    spent = time.process_time() - started
    target.close()
    for leftover in scratch.parent.glob(scratch.name + "*"):
        leftover.unlink()
    return spent


def reading_alone(cards: Path) -> float:
    """CPU seconds servant takes to read the cards into records (``importers.read``),
    nothing written: its vCard reader (linear in time and memory, size limits,
    quoted-printable and charsets, every date form) against the floor's split."""
    from servant_cli.importers import read

    started = time.process_time()
    read(cards)
    return time.process_time() - started


def in_process(cards: Path, folder: Path, rounds: int) -> None:
    ours, floors, again = [], [], []
    repeat = folder / "in-process-repeat.db"
    servant_import(cards, repeat)
    for run in range(rounds):
        new, floor_db = folder / f"in-process-{run}.db", folder / f"floor-{run}.db"
        started = time.process_time()
        count = servant_import(cards, new)
        ours.append(time.process_time() - started)
        started = time.process_time()
        floor_import.load(str(cards), str(floor_db))
        floors.append(time.process_time() - started)
        started = time.process_time()
        servant_import(cards, repeat)
        again.append(time.process_time() - started)
        new.unlink()
        floor_db.unlink()
    rows = statistics.median(rows_alone(repeat, folder / f"rows-{run}.db") for run in range(rounds))
    reading = statistics.median(reading_alone(cards) for _ in range(rounds))
    mine, floor, repeated = statistics.median(ours), statistics.median(floors), statistics.median(again)
    # Each round's import against the floor run right after it: this machine's speed drifts
    # between rounds, and a pair shares the drift.
    paired = statistics.median(o / f for o, f in zip(ours, floors, strict=True))
    print(f"in process, CPU time, median of {rounds}:")
    print(f"  servant import, new db   {mine * 1000:7.0f} ms  ({mine / count * 1e6:.0f} µs a card)")
    print(f"  servant import, again    {repeated * 1000:7.0f} ms  ({repeated / count * 1e6:.0f} µs a card)")
    print(f"  floor                    {floor * 1000:7.0f} ms  ({floor / count * 1e6:.0f} µs a card)")
    print(f"  new db / floor           {mine / floor:7.2f}x   (aim: 4x at most)")
    print(f"  the same, round by round {paired:7.2f}x   (median of each round's ratio)")
    print(
        f"  rows alone / floor       {rows / floor:7.2f}x   ({rows * 1000:.0f} ms: servant's rows into its own schema)"
    )
    print(f"  reading alone / floor    {reading / floor:7.2f}x   ({reading * 1000:.0f} ms: the cards into records)")
    print(f"  again / floor            {repeated / floor:7.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    (servant, khard), folder, env = setup("khard", hint="pip install -e '.[bench]'")
    try:
        cards = write_cards(folder, args.cards)
        vdir = folder / "vdir"
        repeat_db, repeat_vdir_db = folder / "repeat.db", folder / "repeat-vdir.db"
        khard_cmd = [khard, "-c", str(folder / "khard.conf"), "birthdays"]
        for db, source in ((repeat_db, cards), (repeat_vdir_db, vdir)):
            subprocess.run([servant, "--db", str(db), "import", str(source)], env=env, check=True, capture_output=True)
        subprocess.run(khard_cmd, env=env, check=True, stdout=subprocess.DEVNULL)  # warms caches; not timed
        floor_cmd = [sys.executable, floor_import.__file__, str(cards)]
        typer_cmd = [sys.executable, "-c", "import typer"]
        subprocess.run([*floor_cmd, str(folder / "floor.db")], env=env, check=True)  # bytecode; not timed
        times: dict[str, list[float]] = {name: [] for name in NAMES}
        cpus: dict[str, list[float]] = {name: [] for name in NAMES}
        for run in range(args.runs):
            for name, source, db in (
                (NAMES[0], cards, folder / f"new-{run}.db"),
                (NAMES[1], cards, repeat_db),
                (NAMES[2], vdir, folder / f"new-vdir-{run}.db"),
                (NAMES[3], vdir, repeat_vdir_db),
            ):
                wall, cpu = cpu_timed([servant, "--db", str(db), "import", str(source)], env)
                times[name].append(wall)
                cpus[name].append(cpu)
            for name, command in (
                ("khard birthdays", khard_cmd),
                ("floor_import.py", [*floor_cmd, str(folder / f"floor-{run}.db")]),
                ("python -c 'import typer'", typer_cmd),
            ):
                wall, cpu = cpu_timed(command, env)
                times[name].append(wall)
                cpus[name].append(cpu)
            (folder / f"new-{run}.db").unlink()
            (folder / f"new-vdir-{run}.db").unlink()
            (folder / f"floor-{run}.db").unlink()
        wall = {name: statistics.median(runs) for name, runs in times.items()}
        cpu = {name: statistics.median(runs) for name, runs in cpus.items()}
        khard_s, floor_cpu, typer_cpu = wall["khard birthdays"], cpu["floor_import.py"], cpu["python -c 'import typer'"]
        print(f"{args.cards} vCards, whole processes, {args.runs} runs each, medians")
        print(f"  {'':<36} {'wall ms':>8} {'/ khard':>8} {'CPU ms':>8} {'/ typer':>8} {'/ floor':>8}")
        for name in NAMES:
            print(
                f"  {name:<36} {wall[name] * 1000:8.0f} {wall[name] / khard_s:8.2f} {cpu[name] * 1000:8.0f}"
                f" {cpu[name] / typer_cpu:8.2f} {cpu[name] / floor_cpu:8.2f}"
            )
        in_process(cards, folder, rounds=args.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
