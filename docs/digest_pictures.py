"""Pictures of the digest's HTML part as a phone (375 px) and a desktop (800 px) show it.

    python docs/digest_pictures.py            # writes docs/digest-375.png, docs/digest-800.png

Builds the demo database (examples/demo.sh, in a temporary folder), makes the digest of
the README's day (``--from 2026-11-25 --days 14``, every tag) as it is mailed, and has headless
Chromium take a screenshot of it at each width. It also measures, in the same browser,
how wide the page is at each width: a page wider than the window would scroll sideways
on a phone, and the script then fails. Needs ``servant`` installed (``pip install -e .``)
and Chromium (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (375, 800)
#: The frame the page is measured in (the pictures are as tall as the page).
HEIGHT = 1000
#: The README's digest: a fixed day, two weeks ahead.
FROM, DAYS = "2026-11-25", 14
#: Headless Chromium as a mail reader: no network of its own, nothing kept between runs.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("needs Chromium: apt-get install chromium (or a google-chrome on PATH)")


def demo_digest(folder: Path) -> str:
    """The HTML part of the README's digest, made from the demo database."""
    db = folder / "demo.db"
    env = {**os.environ, "SERVANT_DEMO_DB": str(db), "SERVANT_DB": str(db), "SERVANT_CONFIG_DIR": str(folder)}
    built = subprocess.run(["sh", str(ROOT / "examples" / "demo.sh")], env=env, capture_output=True, text=True)
    if built.returncode:
        sys.exit(f"examples/demo.sh failed: {built.stderr.strip()}")
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from servant_cli.config import load_settings\n"
        "from servant_cli.render import digest_html\n"
        "from servant_cli.services.digest import morning_digest\n"
        "from servant_cli.services.callsheet import call_sheet\n"
        "from servant_cli.store import Store\n"
        f"store, settings = Store.open({str(db)!r}), load_settings()\n"
        f"found = morning_digest(store, date.fromisoformat({FROM!r}), {DAYS}, settings)\n"
        "sys.stdout.write(digest_html(call_sheet(store, found, settings)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return done.stdout


def screenshot(browser: str, page: Path, target: Path, size: tuple[int, int], profile: Path, *extra: str) -> None:
    """``page`` as a PNG at ``target``, in a window of ``size`` (a fresh ``profile`` each time)."""
    subprocess.run(
        [
            browser,
            *FLAGS,
            f"--user-data-dir={profile}",
            *extra,
            f"--window-size={size[0]},{size[1]}",
            f"--screenshot={target}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def page_size(browser: str, page: Path, width: int, profile: Path) -> tuple[int, int, int]:
    """How the page lays out in a window ``width`` px wide: its scroll width, the width
    that shows, and its height.

    The page is loaded in a frame of that width by a small page of this script's own; the
    digest itself has no script.
    """
    probe = page.with_name(f"probe-{width}.html")
    probe.write_text(
        f'<iframe id="f" style="border:0" width="{width}" height="{HEIGHT}" '
        f'srcdoc="{html.escape(page.read_text(encoding="utf-8"))}"></iframe>'
        "<script>onload = () => { const d = f.contentDocument.documentElement;"
        " document.title = [d.scrollWidth, d.clientWidth, f.contentDocument.body.offsetHeight].join('x'); };</script>",
        encoding="utf-8",
    )
    done = subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r"<title>(\d+)x(\d+)x(\d+)</title>", done.stdout)
    if found is None:
        sys.exit(f"Chromium did not measure the page at {width} px")
    return int(found.group(1)), int(found.group(2)), int(found.group(3))


def main() -> None:
    browser = chromium()
    with tempfile.TemporaryDirectory(prefix="servant-pictures-") as scratch:
        folder = Path(scratch)
        page = folder / "digest.html"
        page.write_text(demo_digest(folder), encoding="utf-8")
        for width in WIDTHS:
            scroll, client, height = page_size(browser, page, width, folder / f"probe-profile-{width}")
            if scroll > client:
                sys.exit(f"at {width} px the digest scrolls sideways ({scroll} px wide)")
            target = ROOT / "docs" / f"digest-{width}.png"
            screenshot(browser, page, target, (width, height), folder / f"profile-{width}")
            print(f"{target.relative_to(ROOT)}: {width} x {height} px, no sideways scroll ({scroll} px wide)")


if __name__ == "__main__":
    main()
