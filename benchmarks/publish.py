"""How `servant publish` scales: the first publish of 10k people to a local Radicale, then
a run after one date changed.

Builds the same database as `benchmarks/upcoming.py` (10,000 people: about 15,300 key
dates), starts Radicale (htpasswd login, a scratch folder, 127.0.0.1 at a free port),
and times whole `servant publish` processes:

1. the first publish: the calendar is made and every event PUT;
2. after `servant date '#1' birthday …`: one event changed;
3. again, with nothing changed.

Requests are counted in Radicale's own log. The incremental runs must make a fixed
number of requests plus one per change (discovery, one listing of the calendar, the
PUT), and take under a twentieth of the first.

    python benchmarks/publish.py
    python benchmarks/publish.py --people 2000

Radicale is a test dependency: `pip install -e '.[test]'`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from common import setup
from upcoming import build

USER, PASSWORD = "bench", "bench-password"
REQUEST = re.compile(r"\] ([A-Z]+) request for '")


@contextlib.contextmanager
def radicale(folder: Path) -> Iterator[tuple[str, Path]]:
    """Radicale on 127.0.0.1 at a free port, serving ``folder``: its URL and its log."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (folder / "users").write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    config = folder / "radicale.conf"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {folder / 'users'}\nhtpasswd_encryption = plain\ndelay = 0\n\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n\n[logging]\nlevel = info\n",
        encoding="utf-8",
    )
    log = folder / "radicale.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"Radicale did not start: {log.read_text(errors='replace')[-1000:]}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/", log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def run(command: list[str], env: dict[str, str], log: Path) -> tuple[float, Counter[str], str]:
    """Seconds a whole `servant publish` takes, the requests Radicale logged, and what it printed."""
    start = log.stat().st_size
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    took = time.perf_counter() - started
    time.sleep(0.2)  # the last lines of the log
    with open(log, "rb") as lines:
        lines.seek(start)
        methods = Counter(REQUEST.findall(lines.read().decode("utf-8", "replace")))
    return took, methods, done.stdout.strip()


def said(methods: Counter[str]) -> str:
    return f"{sum(methods.values()):,} requests ({', '.join(f'{n:,} {m}' for m, n in sorted(methods.items()))})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()

    (servant,), folder, env = setup(hint="pip install -e '.[test]' (servant, and Radicale for this benchmark)")
    try:
        db = folder / "servant.db"
        print(f"{args.people:,} people built in {build(db, args.people):.2f} s")
        env.update(
            SERVANT_DB=str(db), SERVANT_DAV_USER=USER, SERVANT_DAV_PASSWORD=PASSWORD, SERVANT_DAV_CALENDAR="servant"
        )
        with radicale(folder) as (url, log):
            env["SERVANT_DAV_URL"] = url
            command = [servant, "publish"]
            first, first_requests, out = run(command, env, log)
            print(f"first publish:        {first:8.2f} s, {said(first_requests)}\n  {out}")
            subprocess.run([servant, "date", "#1", "birthday", "1990-01-02"], env=env, check=True, capture_output=True)
            again, again_requests, out = run(command, env, log)
            print(f"one date changed:     {again:8.2f} s, {said(again_requests)}\n  {out}")
            idle, idle_requests, out = run(command, env, log)
            print(f"nothing changed:      {idle:8.2f} s, {said(idle_requests)}\n  {out}")
        print(f"first / one changed:  {first / again:8.1f}x (aim: 20x or more)")
        print(f"requests:             {sum(again_requests.values()) - sum(idle_requests.values())} more for one change")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
