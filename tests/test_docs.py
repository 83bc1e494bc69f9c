"""The README is part of the product: every command is documented, every transcript is true."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from typer.main import get_command

from servant_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix: str = "") -> list[tuple[str, object]]:
    """Every command a user can run, with its path: "upcoming", "export ics"."""
    found = []
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        found += _commands(command, f"{path} ") if hasattr(command, "commands") else [(path, command)]
    return found


COMMANDS = dict(_commands(get_command(app)))


def transcripts() -> list[tuple[str, str]]:
    """(command, expected output) for each ``$ servant …`` line in a console block."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        parts = re.split(r"^\$ (servant .*)$", block, flags=re.M)
        for command, output in zip(parts[1::2], parts[2::2], strict=True):
            found.append((command, output.strip("\n")))
    return found


def test_readme_starts_with_the_two_setup_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert blocks[0] == "pip install . && sh examples/demo.sh"
    assert blocks[1] == "pip install -e '.[test]' && python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci.splitlines()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_and_is_in_the_readme(name: str, servant) -> None:
    result = servant(*name.split(), "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert COMMANDS[name].help, f"servant {name} has no help text"
    assert f"`servant {name}" in README, f"servant {name} is not in the README's command table"


def test_readme_transcripts_are_true(tmp_path: Path, servant) -> None:
    demo = tmp_path / "demo.db"
    env = {**os.environ, "SERVANT_DEMO_DB": str(demo), "SERVANT_DB": str(demo)}
    subprocess.run(
        ["sh", str(ROOT / "examples" / "demo.sh"), "--from", "2026-11-22"], env=env, check=True, capture_output=True
    )
    seen = transcripts()
    assert len(seen) >= 8
    for command, expected in seen:
        args = shlex.split(command)[1:]
        result = servant(*args, env={"SERVANT_DB": str(demo)})
        assert (result.stdout + result.stderr).strip("\n") == expected, command
