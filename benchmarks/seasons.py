"""What 200 seasons cost `servant upcoming` and `servant digest` on 10k people.

Builds a 10k-person database with benchmarks/upcoming.py's builder, copies it, and adds
200 seasons to the copy through the CLI (`servant season add "Season N" --on "<month>
<day>" --tag T`, T one of the builder's tags: client, team, vip). Then times whole
processes of `upcoming --days 30` and `digest` on both databases against
`python -c "import typer"`, the three run alternately so that machine noise hits them
alike, and prints the medians, the ratio with seasons to without, and each against the
baseline.

    python benchmarks/seasons.py              # 10k people, 200 seasons, 15 runs each
    python benchmarks/seasons.py --people 1000 --seasons 50 --runs 7

Aim: with 200 seasons, each command within 10% of its time without (ratio <= 1.10).

A servant without seasons (`servant season --help` fails) is told so, and the script
exits 0.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from common import setup, timed
from upcoming import FROM, build

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: The tags benchmarks/upcoming.py gives its people.
TAGS = ("client", "team", "vip")
#: The aim: the time with seasons over the time without.
AIM = 1.10


def has_seasons(servant: str, env: dict[str, str]) -> bool:
    """Whether this servant has the season command."""
    return subprocess.run([servant, "season", "--help"], env=env, capture_output=True).returncode == 0


def add_seasons(servant: str, db: Path, count: int, env: dict[str, str]) -> None:
    """``count`` seasons, spread over the year and over the tags, added as a user adds them."""
    for n in range(count):
        on = f"{MONTHS[n % 12]} {(n * 7) % 28 + 1}"
        command = [servant, "--db", str(db), "season", "add", f"Season {n + 1}", "--on", on, "--tag", TAGS[n % 3]]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{' '.join(command[3:])} failed: {done.stderr.strip() or done.stdout.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seasons", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    (servant,), folder, env = setup()
    try:
        if not has_seasons(servant, env):
            print("seasons are not available in this servant (`servant season --help` fails); nothing to measure")
            return
        without, with_ = folder / "without.db", folder / "with.db"
        built = build(without, args.people)
        shutil.copyfile(without, with_)
        print(f"{args.people} people built in {built:.2f} s; adding {args.seasons} seasons through the CLI")
        add_seasons(servant, with_, args.seasons, env)
        measure(servant, without, with_, env, args.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(servant: str, without: Path, with_: Path, env: dict[str, str], runs: int) -> None:
    """Time each command without and with seasons and the baseline, alternately; print the table."""
    baseline = [sys.executable, "-c", "import typer"]
    commands = {"upcoming": ["upcoming", "--days", "30", "--from", FROM], "digest": ["digest", "--from", FROM]}
    print(f"--from {FROM}, {runs} runs each, medians; baseline: python -c 'import typer'")
    print(
        f"{'command':>9} {'without ms':>11} {'with ms':>8} {'typer ms':>9}"
        f" {'with/without':>13} {'without/typer':>14} {'with/typer':>11}"
    )
    missed = []
    for name, words in commands.items():
        plain = [servant, "--db", str(without), *words]
        seasoned = [servant, "--db", str(with_), *words]
        for command in (plain, seasoned):  # the first run also writes bytecode caches: not timed
            subprocess.run(command, env=env, capture_output=True, check=True)
        times: dict[str, list[float]] = {"without": [], "with": [], "typer": []}
        for _ in range(runs):
            times["without"].append(timed(plain, env))
            times["with"].append(timed(seasoned, env))
            times["typer"].append(timed(baseline, env))
        off, on, base = (statistics.median(times[key]) for key in ("without", "with", "typer"))
        print(
            f"{name:>9} {off * 1000:>11.1f} {on * 1000:>8.1f} {base * 1000:>9.1f}"
            f" {on / off:>13.2f} {off / base:>14.2f} {on / base:>11.2f}"
        )
        if on / off > AIM:
            missed.append(name)
    print(f"aim: with seasons within {AIM:.2f}x of without: " + (f"missed by {', '.join(missed)}" if missed else "met"))


if __name__ == "__main__":
    main()
