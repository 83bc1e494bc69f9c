"""How fast `servant export ics` is on 10k people, against a minimal f-string writer.

Builds the same database as `benchmarks/upcoming.py` (10,000 people: about 15,300 key
dates), then:

1. times whole processes, run alternately so machine noise hits all alike: `servant
   export ics -o FILE`, `benchmarks/floor_export.py` (the same events from the same
   database, written with f-strings: the floor) and `python -c "import typer"`; medians
   of wall time and of CPU time, and the ratios;
2. in this process, CPU time of servant's export (``occasion_calendar``, each event
   written to a file as the command does) against the floor's, and the memory each
   holds at its peak (tracemalloc);
3. with ``--documented``, servant's events against the same events written the way the
   `ics` documentation shows: what servant's use of the library saves.

    python benchmarks/export.py
    python benchmarks/export.py --people 10000 --runs 11

Aims: the whole export of 10k people under 1 s on this machine, and within 4x the floor's
CPU time in process.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import floor_export
from common import cpu_timed, setup
from servant_cli.ical import Export, calendar
from servant_cli.store import Store
from upcoming import build


def documented_way(rows: list, export: Export) -> str:
    """The same events made the way the ics 0.7 documentation shows."""
    from ics import Calendar, DisplayAlarm, Event
    from ics.grammar.parse import ContentLine

    from servant_cli.ical import description, rrule

    cal = Calendar(creator=export.prodid)
    for person, occasion in rows:
        changed = datetime.strptime(max(occasion.updated, person.updated), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        lead = occasion.lead_days if occasion.lead_days is not None else export.lead_days
        event = Event(
            name=f"{person.name} — {occasion.title}",
            begin=date(occasion.year or 2000, occasion.month, occasion.day),
            uid=f"occasion-{occasion.id}@{export.db_id}.servant",
            description=description(person, occasion) or None,
            created=changed,
            last_modified=changed,
            transparent=True,
            categories=[occasion.title, *person.tags],
            alarms=[DisplayAlarm(trigger=timedelta(days=-lead, hours=9), display_text=person.name)],
        )
        event.make_all_day()
        if occasion.yearly:
            event.extra.append(ContentLine("RRULE", value=rrule(occasion, export.feb29)))
        cal.events.add(event)
    return cal.serialize()


def servant_export(db: Path, out: Path) -> int:
    """``servant export ics -o out``, in this process: the same calls the command makes."""
    from servant_cli.config import Settings
    from servant_cli.services.calendar import occasion_calendar

    store = Store.open(db)
    found = occasion_calendar(store, date(2026, 11, 22), Settings(), prodid="-//servant//servant 0.1.0//EN")
    count = 0
    with out.open("wb") as file:
        file.write(found.head.encode())
        for event in found.events:
            file.write(event.encode() + b"\r\n")
            count += 1
        file.write(found.tail.encode())
    store.close()
    return count


def in_process(db: Path, folder: Path, rounds: int, documented: bool) -> None:
    ours, floors = [], []
    for _ in range(rounds):
        started = time.process_time()
        events = servant_export(db, folder / "in-process.ics")
        ours.append(time.process_time() - started)
        started = time.process_time()
        floor_export.write(str(db), str(folder / "floor.ics"))
        floors.append(time.process_time() - started)
    mine, floor = statistics.median(ours), statistics.median(floors)
    print(f"in process, CPU time, median of {rounds}:")
    print(f"  servant export   {mine * 1000:7.0f} ms  ({mine / events * 1e6:.0f} µs an event)")
    print(f"  floor            {floor * 1000:7.0f} ms  ({floor / events * 1e6:.0f} µs an event)")
    print(f"  servant / floor  {mine / floor:7.2f}x   (aim: 4x at most)")
    for name, run in (
        ("servant export", lambda: servant_export(db, folder / "in-process.ics")),
        ("floor", lambda: floor_export.write(str(db), str(folder / "floor.ics"))),
    ):
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  {name:<16} peak memory {peak / 1e6:6.1f} MB  ({peak / events:.0f} bytes an event)")
    if documented:
        import warnings

        store = Store.open(db)
        rows = store.all_occasions()
        export = Export(db_id=store.meta("db_id") or "x", today=date(2026, 11, 22))
        warnings.simplefilter("ignore", FutureWarning)  # ics warns on every str(alarm)
        started = time.process_time()
        calendar(rows, export)
        mine = time.process_time() - started
        started = time.process_time()
        documented_way(rows, export)
        naive = time.process_time() - started
        print(f"  ical.calendar {mine * 1000:.0f} ms, ics as documented {naive * 1000:.0f} ms: {naive / mine:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--documented", action="store_true", help="also time the ics library as documented")
    args = parser.parse_args()

    (servant,), folder, env = setup()
    try:
        db = folder / "servant.db"
        print(f"{args.people} people built in {build(db, args.people):.2f} s")
        out = folder / "servant.ics"
        commands = {
            "servant export ics": [servant, "--db", str(db), "export", "ics", "--quiet", "-o", str(out)],
            "floor_export.py": [sys.executable, floor_export.__file__, str(db), str(folder / "floor.ics")],
            "python -c 'import typer'": [sys.executable, "-c", "import typer"],
        }
        for command in commands.values():
            subprocess.run(command, env=env, check=True)  # writes bytecode caches; not timed
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                wall, cpu = cpu_timed(command, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
        events = out.read_bytes().count(b"BEGIN:VEVENT")
        size = out.stat().st_size / 1e6
        print(f"{events} events, {size:.1f} MB; whole processes, {args.runs} runs each, medians")
        wall = {name: statistics.median(runs) for name, runs in walls.items()}
        cpu = {name: statistics.median(runs) for name, runs in cpus.items()}
        typer_cpu = cpu["python -c 'import typer'"]
        floor_cpu = cpu["floor_export.py"]
        print(f"  {'':<26} {'wall ms':>8} {'CPU ms':>8} {'/ typer':>8} {'/ floor':>8}")
        for name in commands:
            print(
                f"  {name:<26} {wall[name] * 1000:8.0f} {cpu[name] * 1000:8.0f}"
                f" {cpu[name] / typer_cpu:8.2f} {cpu[name] / floor_cpu:8.2f}"
            )
        in_process(db, folder, rounds=5, documented=args.documented)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
