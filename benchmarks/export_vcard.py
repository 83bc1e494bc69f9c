"""How fast `servant export vcard` writes 10k people's cards, and where the time goes.

Builds the same database as `benchmarks/upcoming.py` (10,000 people), reads the people
and their dates as the command does, then times in this process, alternately so that
noise hits all alike (CPU time, medians):

1. servant's ``write_vcards`` (each line put together with vobject's escaping);
2. the same cards made the way vobject's documentation shows (``vobject.vCard()``, a
   ``card.add`` a property, ``serialize``): how servant wrote them before;
3. nameparser alone reading each name into vCard's N (``structured_name``): the part of
   servant's time that is the name, which no vCard writer avoids when it fills N from a
   name typed as one line.

Both writers give the same bytes (``tests/test_vcard_lines.py``).

    python benchmarks/export_vcard.py
    python benchmarks/export_vcard.py --people 2000 --runs 7
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import vobject

from servant_cli.importers.vcard import fold, structured_name, write_vcards
from servant_cli.models import Occasion, Person
from servant_cli.store import Store
from upcoming import build


def documented_way(people: list[tuple[Person, list[Occasion]]]) -> str:
    """The people's names, companies, emails, birthdays and notes as vobject's
    documentation makes a card: what the library costs a card, servant's choices aside."""
    out = []
    for who, occasions in people:
        card = vobject.vCard()
        card.add("fn").value = who.name
        card.add("n").value = structured_name(who.name)
        if who.company:
            card.add("org").value = [who.company]
        for occasion in occasions:
            if occasion.kind == "birthday":
                card.add("bday").value = f"{occasion.year or 1604:04d}-{occasion.month:02d}-{occasion.day:02d}"
        out.append("".join(fold(line) for line in card.serialize().splitlines()))
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="servant-bench-"))
    try:
        db = folder / "servant.db"
        build(db, args.people)
        store = Store.open(db)
        people = [(who, store.occasions_of(who.id)) for who in store.people()]
        db_id, family = store.meta("db_id"), store.kin_of_people()
        store.close()
        runs: dict[str, list[float]] = {"servant": [], "vobject": [], "names": []}
        for _ in range(args.runs):
            for name, work in (
                ("servant", lambda: write_vcards(people, db_id=db_id, family=family, version=3)),
                ("vobject", lambda: documented_way(people)),
                ("names", lambda: [structured_name(who.name) for who, _ in people]),
            ):
                started = time.process_time()
                work()
                runs[name].append(time.process_time() - started)
        servant, documented, names = (statistics.median(runs[name]) for name in ("servant", "vobject", "names"))
        print(f"{len(people)} people, CPU time in process, medians of {args.runs}")
        print(
            f"  servant write_vcards (3.0)     {servant * 1000:8.0f} ms  ({servant / len(people) * 1e6:.0f} µs a card)"
        )
        print(f"  vobject, as documented         {documented * 1000:8.0f} ms  ({documented / servant:.2f}x servant)")
        print(f"  nameparser alone (N)           {names * 1000:8.0f} ms  ({names / servant:.0%} of servant)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
