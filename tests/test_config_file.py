"""A config.toml that is not a regular file is refused in one line by every command: a
named pipe would make each of them wait for a writer, forever under cron."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("args", [["list"], ["upcoming"], ["info"], ["add", "Ada"]], ids=" ".join)
def test_a_config_that_is_a_named_pipe_is_refused_in_one_line(tmp_path: Path, args: list[str]) -> None:
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    os.mkfifo(config)
    # A subprocess, with a timeout so that a servant which waits on the pipe fails the test.
    result = subprocess.run([sys.executable, "-m", "servant_cli", *args], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: cannot read {config}: it is a named pipe (FIFO); the config must be a regular file of TOML text\n"
    )
    assert not (tmp_path / "servant.db").exists()


def test_a_config_linked_to_a_device_is_refused_and_linked_to_a_file_is_read(servant, tmp_path: Path) -> None:
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.symlink_to(os.devnull)
    result = servant("add", "Ada", "--birthday", "03/04/1990")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: cannot read {config}: it is a device; the config must be a regular file of TOML text\n"
    )
    real = tmp_path / "dotfiles" / "servant.toml"
    real.parent.mkdir()
    real.write_text('date_order = "dmy"\n', encoding="utf-8")
    config.unlink()
    config.symlink_to(real)
    assert servant("add", "Ada", "--birthday", "03/04/1990").exit_code == 0
    assert "3 April 1990" in servant("show", "Ada").stdout


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", "is not a config servant reads: it is nested too deep"),
        ("# " + "x" * (2 * 1024 * 1024) + "\n", "is larger than a config file can be (1,024 KB); check its path"),
    ],
    ids=["nested", "huge"],
)
def test_a_config_too_deep_or_too_big_is_refused_in_one_line(servant, tmp_path: Path, text: str, said: str) -> None:
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text(text, encoding="utf-8")
    result = servant("list")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {config} {said}\n")
