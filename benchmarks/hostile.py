"""Memory and time of `servant import` on hostile and huge vCards, against a small file.

Each case is a file of one or two cards, imported into a new database by a process of
its own, whose peak memory (maximum resident set size, from the kernel) and time are
measured:

- one NOTE line of 5 MB (vobject's unfolding took 150 bytes a character);
- a vCard 2.1 quoted-printable note of 240 KB of soft line breaks, and one twice as
  long (vobject copied the whole value once per line: quadratic);
- a note of 1 MB folded after every character (a Python string per physical line);
- a line with 22 parameters and no colon (vobject's line pattern backtracks
  exponentially on it);
- files under the limits, all imported: 100 cards with a quoted-printable note of
  90 KB each, and 2,000 cards with a note of 4 KB each.

The baseline is the import of a file of two ordinary cards, in the same run: what a
case costs beyond it, divided by the file's size, is the memory ratio; its time over
the baseline's the time ratio. Over the limits of an import (README, "Limits of an
import") a card is skipped; the cases check that the other card still imports.

    python benchmarks/hostile.py                       # this checkout's servant
    python benchmarks/hostile.py --before /tmp/old/src # and another source tree, alternately
    python benchmarks/hostile.py --scale 10            # the sizes times 10 (50 MB note)

``--before`` takes the ``src`` folder of another checkout (``git worktree add /tmp/old
HEAD~3``): each case is run by both, one after the other, so that machine noise hits
both alike. A run that takes longer than ``--timeout`` seconds is stopped and shown
as such.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
BOB = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Stone\r\nBDAY:1980-02-03\r\nEND:VCARD\r\n"


def one_card(version: str, *lines: str) -> str:
    return "".join(f"{line}\r\n" for line in ("BEGIN:VCARD", f"VERSION:{version}", "FN:Hostile", *lines, "END:VCARD"))


def long_note(scale: float) -> str:
    return one_card("3.0", "NOTE:" + "x" * int(5_000_000 * scale)) + BOB


def quoted_printable(kb: int) -> Callable[[float], str]:
    def make(scale: float) -> str:
        lines = int(kb * 1000 * scale) // 5  # "abc=" and a line end
        return one_card("2.1", "NOTE;ENCODING=QUOTED-PRINTABLE:" + "=\r\n".join(["abc"] * lines)) + BOB

    return make


def folded(scale: float) -> str:
    return one_card("3.0", "NOTE:" + "\r\n ".join("x" * int(1_000_000 * scale))) + BOB


def many_quoted_printable(scale: float) -> str:
    """Cards under the limits, imported: 100 notes of 90 KB of soft line breaks each."""
    note = "NOTE;ENCODING=QUOTED-PRINTABLE:" + "=\r\n".join(["abc"] * 18_000)
    return "".join(one_card("2.1", note).replace("Hostile", f"Person {n}") for n in range(int(100 * scale)))


def many_notes(scale: float) -> str:
    """An ordinary import: 2,000 cards with a note of 4 KB each, every word of it read."""
    cards = (
        BOB.replace("Bob Stone", f"Bob {n}").replace("END:", "NOTE:" + "word " * 800 + "\r\nEND:")
        for n in range(int(2000 * scale))
    )
    return "".join(cards)


def parameters(scale: float) -> str:
    return one_card("3.0", "NOTE;A" + ",b" * 22 + '"') + BOB


CASES: dict[str, Callable[[float], str]] = {
    "baseline: two ordinary cards": lambda scale: BOB.replace("Bob Stone", "Ada Byron") + BOB,
    "one NOTE line": long_note,
    "quoted-printable note of soft breaks": quoted_printable(240),
    "the same, twice as long": quoted_printable(480),
    "a note folded after every character": folded,
    "22 parameters and no colon": parameters,
    "100 cards, 90 KB of QP note each (x scale)": many_quoted_printable,
    "2,000 cards, a 4 KB note each (x scale)": many_notes,
}


def run(src: Path, path: Path, db: Path, timeout: float) -> tuple[float, int, str]:
    """Seconds, peak resident memory in bytes and the summary line of one import."""
    env = {**os.environ, "PYTHONPATH": str(src), "SERVANT_CONFIG_DIR": str(db.parent / "config")}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "servant_cli", "--db", str(db), "import", str(path), "-q"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    while True:
        pid, _, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            process.kill()
            _, _, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.005)
    seconds = time.perf_counter() - started
    assert process.stdout is not None
    said = process.stdout.read().decode().strip()
    if seconds > timeout:
        said = f"stopped after {timeout:.0f} s"
    db.unlink(missing_ok=True)
    return seconds, usage.ru_maxrss * 1024, said


def write_case(name: str, scale: float, path: Path) -> int:
    """Write a case's file from a process of its own, and give its size: a process
    starts with the memory its parent had when it was made, which would count the
    parent's copy of the file in each import's peak."""
    command = [sys.executable, __file__, "--make", name, "--scale", str(scale), "--out", str(path)]
    subprocess.run(command, check=True)
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="the src folder of another checkout, to compare with")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the sizes of the files")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--make", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        args.out.write_text(CASES[args.make](args.scale), encoding="utf-8", newline="")
        return
    sources = {"now": SRC, **({"before": args.before.resolve()} if args.before else {})}
    folder = Path(tempfile.mkdtemp(prefix="servant-bench-"))
    try:
        results: dict[tuple[str, str], tuple[float, int, str]] = {}
        sizes = {}
        for name in CASES:
            path = folder / "cards.vcf"
            sizes[name] = write_case(name, args.scale, path)
            for which, src in sources.items():
                results[name, which] = run(src, path, folder / "servant.db", args.timeout)
        print(f"{'':48} {'file':>9} {'time':>8} {'peak':>9} {'x base':>7} {'extra/file':>10}")
        for which in sources:
            base_s, base_mem, _ = results["baseline: two ordinary cards", which]
            print(f"{which}: {sources[which]}")
            for name in CASES:
                seconds, peak, said = results[name, which]
                extra = f"{(peak - base_mem) / sizes[name]:9.1f}x" if sizes[name] > 100_000 else f"{'-':>10}"
                print(
                    f"  {name:<46} {sizes[name] / 1e6:7.2f}MB {seconds:7.2f}s {peak / 1e6:7.0f}MB "
                    f"{seconds / base_s:6.1f}x {extra}  {said.split(': ', 1)[-1]}"
                )
        if args.before:
            print("now / before")
            for name in CASES:
                now, before = results[name, "now"], results[name, "before"]
                print(f"  {name:<46} time {now[0] / before[0]:6.3f}  peak memory {now[1] / before[1]:6.3f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
