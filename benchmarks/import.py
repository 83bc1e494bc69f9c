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
- `khard birthdays`, which parses the same cards from the vdir and lists the birthdays.

    python benchmarks/import.py             # 10,000 cards, 5 runs each
    python benchmarks/import.py --cards 2000 --runs 9

Aim: the import faster than `khard birthdays` on the same cards. khard is a
benchmark-only tool here: `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import uuid
from datetime import date
from pathlib import Path

from common import setup, timed

FIRST = ["Ada", "Bob", "Carla", "Dev", "Emma", "Femi", "Grace", "Hiro", "Ines", "Jon", "Kemal", "Lena"]
LAST = ["Stone", "Lovelace", "Okafor", "Tanaka", "Silva", "Novak", "Berg", "Haddad", "Kowalski", "Moreau"]
NAMES = (
    "servant import, new database",
    "servant import, same file again",
    "servant import vdir/, new database",
    "servant import vdir/, same again",
    "khard birthdays",
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
        times: dict[str, list[float]] = {name: [] for name in NAMES}
        for run in range(args.runs):
            for name, source, db in (
                (NAMES[0], cards, folder / f"new-{run}.db"),
                (NAMES[1], cards, repeat_db),
                (NAMES[2], vdir, folder / f"new-vdir-{run}.db"),
                (NAMES[3], vdir, repeat_vdir_db),
            ):
                times[name].append(timed([servant, "--db", str(db), "import", str(source)], env))
            times["khard birthdays"].append(timed(khard_cmd, env))
            (folder / f"new-{run}.db").unlink()
            (folder / f"new-vdir-{run}.db").unlink()
        khard_s = statistics.median(times.pop("khard birthdays"))
        print(f"{args.cards} vCards, {args.runs} runs each, medians")
        print(f"  {'khard birthdays':<36} {khard_s * 1000:7.0f} ms")
        for name, runs in times.items():
            mine = statistics.median(runs)
            print(f"  {name:<36} {mine * 1000:7.0f} ms  ({mine / khard_s:.2f}x khard)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
