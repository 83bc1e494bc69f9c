"""What the benchmarks share: the installed commands, a scratch folder, and a timer.

Each benchmark times whole processes, as a user runs them, from an installed package
with its bytecode cached (``PYTHONDONTWRITEBYTECODE`` is dropped), against a baseline
run alternately in the same process so that machine noise hits both alike.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def setup(*tools: str, hint: str = "pip install -e .") -> tuple[list[str], Path, dict[str, str]]:
    """The full paths of ``servant`` and ``tools``, a scratch folder, and the environment to run them in."""
    found = [shutil.which(name) for name in ("servant", *tools)]
    if None in found:
        sys.exit(f"needs the commands {', '.join(('servant', *tools))}: {hint}")
    folder = Path(tempfile.mkdtemp(prefix="servant-bench-"))
    env = {**os.environ, "SERVANT_CONFIG_DIR": str(folder / "config")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return [path for path in found if path], folder, env


def timed(command: list[str], env: dict[str, str]) -> float:
    """Seconds one run of ``command`` takes, its output thrown away."""
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def cpu_timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) one run of ``command`` takes, output thrown away."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(command, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
