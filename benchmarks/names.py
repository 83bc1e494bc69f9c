"""How fast people are found by name at 10k people: shell completion, `servant find`,
and a PERSON given by a word of a name or a name nearly right.

Builds the database of `benchmarks/upcoming.py` ("Ada Stone 17": twenty first names,
fourteen surnames and a number), then times whole processes, alternately with
`python -c "import typer"` so that machine noise hits both alike, and prints medians:

- completion as bash asks for it (`_SERVANT_COMPLETE=complete_bash`) of `servant show Ada`
  (about 500 names) and of `servant show ` with nothing typed (every name);
- `servant find 4711` piped (every person read, one match);
- `servant show 4711` (no name starts with it: every name's words compared) and
  `servant show Kowalsky` (no one: the closest names suggested).

    python benchmarks/names.py              # 10,000 people, 21 runs each
    python benchmarks/names.py --people 1000 --runs 9

Aim: a completion under 100 ms at 10k people.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

from common import setup
from upcoming import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()

    (servant,), folder, env = setup()
    db = folder / "servant.db"
    build(db, args.people)
    env["SERVANT_DB"] = str(db)

    def completing(*words: str) -> dict[str, str]:
        line = "\n".join(["servant", *words])
        return {**env, "_SERVANT_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words))}

    cases = [
        ("complete 'show Ada'", [servant], completing("show", "Ada")),
        ("complete 'show '", [servant], completing("show", "")),
        ("find 4711", [servant, "find", "4711"], env),
        ("show 4711", [servant, "show", "4711"], env),
        ("show Kowalsky", [servant, "show", "Kowalsky"], env),
    ]
    baseline = [sys.executable, "-c", "import typer"]
    print(f"{args.people} people, {args.runs} runs each, medians; baseline: python -c 'import typer'")
    print(f"{'command':<22} {'servant ms':>11} {'typer ms':>9}")
    try:
        for name, command, run_env in cases:
            timed(command, run_env)  # the first run writes bytecode caches; not timed
            ours, base = [], []
            for _ in range(args.runs):
                ours.append(timed(command, run_env))
                base.append(timed(baseline, env))
            print(f"{name:<22} {statistics.median(ours) * 1000:>11.1f} {statistics.median(base) * 1000:>9.1f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def timed(command: list[str], env: dict[str, str]) -> float:
    """Seconds one run takes, its output thrown away (``show Kowalsky`` exits 1: no one)."""
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
