"""How fast `servant export ics` is on 10k people, and what the `ics` library costs.

Builds the same database as `benchmarks/upcoming.py` (10,000 people: about 15,300 key
dates), then:

1. times whole `servant export ics -o FILE` processes against `python -c "import typer"`,
   run alternately so machine noise hits both alike (medians, and their ratio);
2. in this process, times servant's `ical.calendar` against the same events written the
   way the `ics` documentation shows (`Event(begin=…, created=…)`, `make_all_day()`,
   `DisplayAlarm`, `Calendar.events`, `serialize()`), and prints the ratio: what servant's
   work-arounds save.

    python benchmarks/export.py
    python benchmarks/export.py --people 10000 --runs 11

Aim: the whole export of 10k people under 1 s on this machine.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from common import setup, timed
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


def in_process(db: Path, rounds: int) -> None:
    store = Store.open(db)
    started = time.perf_counter()
    rows = store.all_occasions()
    query = time.perf_counter() - started
    export = Export(db_id=store.meta("db_id") or "x", today=date(2026, 11, 22))
    ours, theirs = [], []
    import warnings

    warnings.simplefilter("ignore", FutureWarning)  # ics warns on every str(alarm)
    for _ in range(rounds):
        started = time.perf_counter()
        calendar(rows, export)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        documented_way(rows, export)
        theirs.append(time.perf_counter() - started)
    mine, naive = statistics.median(ours), statistics.median(theirs)
    print(f"in process: query {query * 1000:.0f} ms for {len(rows)} key dates")
    print(f"  ical.calendar        {mine * 1000:7.0f} ms  ({mine / len(rows) * 1e6:.0f} µs an event)")
    print(f"  ics as documented    {naive * 1000:7.0f} ms  ({naive / len(rows) * 1e6:.0f} µs an event)")
    print(f"  documented / servant {naive / mine:7.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()

    (servant,), folder, env = setup()
    try:
        db = folder / "servant.db"
        print(f"{args.people} people built in {build(db, args.people):.2f} s")
        out = folder / "servant.ics"
        command = [servant, "--db", str(db), "export", "ics", "--quiet", "-o", str(out)]
        baseline = [sys.executable, "-c", "import typer"]
        subprocess.run(command, env=env, check=True)  # writes bytecode caches; not timed
        ours, base = [], []
        for _ in range(args.runs):
            ours.append(timed(command, env))
            base.append(timed(baseline, env))
        mine, typer_s = statistics.median(ours), statistics.median(base)
        events = out.read_bytes().count(b"BEGIN:VEVENT")
        size = out.stat().st_size / 1e6
        print(f"servant export ics: {events} events, {size:.1f} MB, {args.runs} runs each, medians")
        print(f"  servant {mine * 1000:.0f} ms, python -c 'import typer' {typer_s * 1000:.0f} ms")
        print(f"  ratio {mine / typer_s:.1f}")
        in_process(db, rounds=3)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
