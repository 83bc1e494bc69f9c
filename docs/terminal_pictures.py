"""Pictures of ``servant calendar`` and ``servant stats`` as a terminal shows them.

    python docs/terminal_pictures.py    # writes docs/calendar-month.png, calendar-year.png, stats.png

Builds the demo database (examples/demo.sh, in a temporary folder), logs a year of
gestures in it, runs each command as on a colour terminal 80 columns wide
(``FORCE_COLOR``, ``COLORTERM=truecolor``), has Rich turn what it printed into SVG
(``Console(record=True)``, ``export_svg``) and headless Chromium turn the SVG into PNG.
The SVG's web fonts are replaced by a local monospace font, so nothing is fetched. Needs
Chromium (Debian: ``apt-get install chromium``) and a monospace font (DejaVu Sans Mono).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from digest_pictures import chromium, screenshot

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = 80
#: The day the pictures are taken on, and what each shows.
TODAY = "2026-12-02"
PICTURES = (
    ("calendar-month", "servant calendar", ("calendar", "--from", TODAY)),
    ("calendar-year", "servant calendar --year 2026", ("calendar", "--year", "2026", "--from", TODAY)),
    ("stats", "servant stats", ("stats", "--from", TODAY)),
)
#: A year of gestures for the demo's people: (person, kind, what, day, cost, for).
GESTURES = (
    ("Sam", "message", "", "2026-01-02", "", "birthday"),
    ("Jonas", "call", "", "2026-01-05", "", "birthday"),
    ("Hana", "gift", "Sketchbook", "2026-02-27", "$35", "birthday"),
    ("Omar", "gift", "Book voucher", "2026-04-10", "€25", "birthday"),
    ("Grace", "gift", "Dinner for two", "2026-05-17", "$120", "client-since"),
    ("Sam", "card", "", "2026-06-18", "$4", "anniversary"),
    ("Sofia", "card", "", "2026-07-03", "$4", "birthday"),
    ("Sofia", "flowers", "Sunflowers", "2026-07-04", "about 40", "birthday"),
    ("Maria", "visit", "", "2026-09-15", "", "none"),
    ("Lukas", "call", "", "2026-10-02", "", "none"),
    ("Maria", "card", "Thank-you card", "2026-11-20", "$5", "client-since"),
    ("Omar", "message", "", "2026-11-24", "", "work-anniversary"),
    ("Tom", "call", "", "2026-11-25", "", "birthday"),
    ("Grace", "flowers", "Peonies", "2026-11-27", "$60", "birthday"),
    ("Tom", "gift", "Team lunch", "2026-12-01", "£18", "work-anniversary"),
    ("Lena", "card", "", "2026-12-01", "€3", "Shop opening"),
)


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "servant_cli", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"servant {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def demo(folder: Path) -> dict[str, str]:
    """The demo database with a year of gestures; the environment that uses it."""
    db = folder / "demo.db"
    env = {**os.environ, "SERVANT_DEMO_DB": str(db), "SERVANT_DB": str(db), "SERVANT_CONFIG_DIR": str(folder)}
    env.pop("NO_COLOR", None)
    built = subprocess.run(["sh", str(ROOT / "examples" / "demo.sh")], env=env, capture_output=True, text=True)
    if built.returncode:
        sys.exit(f"examples/demo.sh failed: {built.stderr.strip()}")
    for who, kind, what, on, cost, for_ in GESTURES:
        args = ["log", who, kind, *([what] if what else []), "--on", on, "--for", for_]
        run(env, *args, *(["--cost", cost] if cost else []))
    return env


def svg_of(ansi: str, title: str) -> str:
    """What a terminal shows for ``ansi``, as SVG with a local font."""
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, width=COLUMNS, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    console.print(Text.from_ansi(ansi.rstrip("\n")), soft_wrap=True)
    svg = console.export_svg(title=title)
    svg = re.sub(r"@font-face \{.*?\}", "", svg, flags=re.S)
    return svg.replace("Fira Code, monospace", "'DejaVu Sans Mono', monospace")


def png_of(browser: str, svg: str, target: Path, folder: Path) -> tuple[int, int]:
    """``svg`` taken as a PNG at its own size; returns the size."""
    found = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if found is None:
        sys.exit("Rich's SVG has no viewBox")
    width, height = (int(float(value) + 0.999) for value in found.groups())
    page = folder / f"{target.stem}.html"
    page.write_text(
        f'<!doctype html><body style="margin:0;background:#fff"><div style="width:{width}px">{svg}</div></body>',
        encoding="utf-8",
    )
    screenshot(
        browser, page, target, (width, height), folder / f"profile-{target.stem}", "--force-device-scale-factor=1"
    )
    return width, height


def main() -> None:
    browser = chromium()
    with tempfile.TemporaryDirectory(prefix="servant-pictures-") as scratch:
        folder = Path(scratch)
        env = demo(folder)
        terminal = {**env, "FORCE_COLOR": "1", "COLORTERM": "truecolor", "COLUMNS": str(COLUMNS), "TERM": "xterm"}
        for name, title, args in PICTURES:
            svg = svg_of(run(terminal, *args), title)
            target = ROOT / "docs" / f"{name}.png"
            width, height = png_of(browser, svg, target, folder)
            print(f"{target.relative_to(ROOT)}: {width} x {height} px")


if __name__ == "__main__":
    main()
