"""What checking the whole schema on every open costs `servant upcoming`.

Every opening compares the file's ``sqlite_master`` with the schema servant's steps
make (``store.schema.schema_problem``). This times, in this process, opening and
closing a small database through ``Store.open`` with the check and with the check
left out (the baseline), alternately, and the check alone; then whole
`servant upcoming` processes against `python -c "import typer"`, as
benchmarks/upcoming.py does, to set the check beside a start-up.

    python benchmarks/open.py            # 2,000 openings, 15 processes
    python benchmarks/open.py --runs 31

Aim: the check costs under 2% of a `servant upcoming` process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from common import setup, timed
from servant_cli.store import Store
from servant_cli.store import connection as connections


def opening(path: object, times: int) -> float:
    """Median seconds of one ``Store.open`` and close."""
    runs = []
    for _ in range(times):
        started = time.perf_counter()
        Store.open(path).close()  # type: ignore[arg-type]
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--openings", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    (servant,), folder, env = setup()
    database = folder / "servant.db"
    store = Store.open(database)
    for number in range(20):
        store.add_person(f"Person {number}")
    store.close()

    checked = connections.refuse_foreign

    def unchecked(conn, path, *, left, to_do):  # type: ignore[no-untyped-def]
        return connections.applied_migrations(conn)

    with_check, without = [], []
    for _ in range(5):
        with_check.append(opening(database, args.openings // 5))
        connections.refuse_foreign = unchecked
        without.append(opening(database, args.openings // 5))
        connections.refuse_foreign = checked
    check, base = statistics.median(with_check), statistics.median(without)

    conn = Store.open(database).conn
    from servant_cli.store.schema import schema_problem

    started = time.perf_counter()
    for _ in range(args.openings):
        schema_problem(conn, len(connections.KNOWN_MIGRATIONS))
    alone = (time.perf_counter() - started) / args.openings

    env["SERVANT_DB"] = str(database)
    upcoming, typer = [], []
    for _ in range(args.runs):
        upcoming.append(timed([servant, "upcoming"], env))
        typer.append(timed([sys.executable, "-c", "import typer"], env))
    process = statistics.median(upcoming)
    print(f"Store.open + close, with the schema check:    {check * 1e3:.3f} ms")
    print(f"Store.open + close, without it (baseline):   {base * 1e3:.3f} ms  (ratio {check / base:.2f})")
    print(f"the check alone:                             {alone * 1e6:.0f} µs")
    print(f"servant upcoming, whole process:             {process * 1e3:.1f} ms")
    print(f"python -c 'import typer':                    {statistics.median(typer) * 1e3:.1f} ms")
    print(f"the check's share of `servant upcoming`:     {alone / process:.2%}")


if __name__ == "__main__":
    main()
