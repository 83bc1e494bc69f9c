"""Shared fixtures. Every test runs against its own files under tmp_path.

The helpers the tests share (``ok``, ``dump``, ...) are in helpers.py."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner, Result

from davservers import Radicale, Xandikos
from helpers import isolate, ok
from servant_cli.cli import app

Commands = tuple[tuple[str, ...], ...]


@pytest.fixture(scope="session", autouse=True)
def app_made_into_a_command_once() -> Iterator[None]:
    """CliRunner.invoke turns the Typer app into its click command on every call, which
    takes most of the time of a call. Make it once: the command keeps no state between
    calls (each has its own context), as in one process of the console script."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(typer.testing, "_get_command", functools.cache(typer.main.get_command))
        yield


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the database, the config dir and HOME at tmp_path: no test touches real files."""
    isolate(monkeypatch, tmp_path)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "servant.db"


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write config.toml in the test's config dir."""

    def write(text: str) -> Path:
        folder = tmp_path / "config"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "config.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def servant(runner: CliRunner) -> Callable[..., Result]:
    """Run the real CLI in-process: servant("upcoming", "--from", "2026-11-22")."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env=env)

    return run


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Commands], Path]:
    """A database made once per test session by running servant commands, each of which
    must succeed without a word on stderr. It is made in a folder of its own, with the
    database, the config dir (none: the defaults) and HOME there, as a test's are."""
    made: dict[Commands, Path] = {}

    def template(commands: Commands) -> Path:
        if commands not in made:
            folder = tmp_path_factory.mktemp("template")
            runner = CliRunner()
            with pytest.MonkeyPatch.context() as monkeypatch:
                isolate(monkeypatch, folder)
                for args in commands:
                    ok(runner.invoke(app, list(args)))
            # Every command closed the database: the WAL was checkpointed into the file
            # and removed, so the file alone is the whole database.
            assert sorted(path.name for path in folder.iterdir()) == ["servant.db"]
            made[commands] = folder / "servant.db"
        return made[commands]

    return template


@pytest.fixture
def database_from(database_templates: Callable[[Commands], Path], db_path: Path) -> Callable[..., Path]:
    """Give this test, at db_path, its own copy of the database these servant commands make
    (made once per session): database_from(("add", "Ada"), ("date", "Ada", "birthday", "Dec 10"))."""

    def copy(*commands: tuple[str, ...]) -> Path:
        assert not db_path.exists(), "a copy replaces no database"
        shutil.copyfile(database_templates(commands), db_path)
        os.chmod(db_path, 0o600)  # as servant creates it
        return db_path

    return copy


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """A Radicale server on 127.0.0.1 for the whole session; each test takes a user of its own."""
    server = Radicale(tmp_path_factory.mktemp("radicale"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def xandikos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Xandikos]:
    """A Xandikos server on 127.0.0.1 for the whole session; each test takes a calendar of its own."""
    server = Xandikos(tmp_path_factory.mktemp("xandikos"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
