"""servant against the minimal scripts doing the same work: `upcoming --days 30` against
benchmarks/floor_upcoming.py (query, place, sort, aligned print in plain Python) and
`list` against the sqlite3 command-line tool listing by the name index
(benchmarks/floor_list.sql), on 1k, 10k and 100k people (benchmarks/upcoming.py's books).

Each pair runs alternately, so machine noise hits both alike; the figures are the CPU
time (user + system) of the child processes, medians over the runs, and their ratio.

    python benchmarks/floors.py                 # 1k, 10k, 100k; 9 runs each
    python benchmarks/floors.py --runs 15 --sizes 100000

Then the start-up alone, in the same way: `servant upcoming --help` (Typer, servant's
modules, the command made, nothing read) against Python importing sqlite3. servant pays
about the difference on every run before it reads a row.

Aims: upcoming at 100k <= 1.5x its floor; list at 100k <= 3x the sqlite3 listing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from common import cpu_timed, setup
from upcoming import FROM, build

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    (servant, sqlite3), folder, env = setup("sqlite3", hint="pip install -e . and the sqlite3 tool")
    print(f"CPU ms, medians of {args.runs} runs; upcoming --days 30 --from {FROM}")
    print(f"{'people':>8} {'command':>9} {'lines':>7} {'servant':>8} {'floor':>8} {'ratio':>6}")
    try:
        for size in args.sizes:
            db = folder / f"servant-{size}.db"
            build(db, size)
            pairs = {
                "upcoming": (
                    [servant, "--db", str(db), "upcoming", "--days", "30", "--from", FROM],
                    [sys.executable, str(HERE / "floor_upcoming.py"), str(db), "30", FROM],
                ),
                "list": (
                    [servant, "--db", str(db), "list"],
                    [sqlite3, str(db), f".read {HERE / 'floor_list.sql'}"],
                ),
            }
            for name, (ours_cmd, floor_cmd) in pairs.items():
                # The first runs write bytecode caches and warm the file cache; not timed.
                out = subprocess.run(ours_cmd, env=env, capture_output=True, text=True, check=True).stdout
                subprocess.run(floor_cmd, env=env, capture_output=True, check=True)
                ours, floor = [], []
                for _ in range(args.runs):
                    ours.append(cpu_timed(ours_cmd, env)[1])
                    floor.append(cpu_timed(floor_cmd, env)[1])
                mine, base = statistics.median(ours), statistics.median(floor)
                print(
                    f"{size:>8} {name:>9} {out.count(chr(10)):>7} {mine * 1000:>8.1f} {base * 1000:>8.1f}"
                    f" {mine / base:>6.2f}",
                    flush=True,
                )
        # What servant pays before it reads a row, and the floor does not: Typer, its own
        # modules and the command made (its help printed), against Python with sqlite3.
        starts = {
            "servant": [servant, "upcoming", "--help"],
            "floor": [sys.executable, "-c", "import sqlite3"],
        }
        spent: dict[str, list[float]] = {name: [] for name in starts}
        for _ in range(args.runs):
            for name, command in starts.items():
                spent[name].append(cpu_timed(command, env)[1])
        ours, base = (statistics.median(spent[name]) * 1000 for name in starts)
        said = f"servant {ours:.1f}, floor {base:.1f}, {ours - base:.1f} more"
        print(f"start-up alone (upcoming --help; import sqlite3): {said}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    os.chdir(HERE)
    main()
