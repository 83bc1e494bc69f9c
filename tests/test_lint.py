"""The house style is checked with the tests: ruff check and ruff format --check pass."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("ruff")
    assert executable, "ruff is a test dependency: pip install -e '.[test]'"
    return subprocess.run([executable, *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check() -> None:
    result = ruff("check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = ruff("format", "--check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr
