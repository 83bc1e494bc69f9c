"""servant upcoming must start fast: heavy modules are imported only where needed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "ics",
    "vobject",
    "rich.table",
    "rich.console",
    "sqlite_utils",
    "dateutil.parser",
    "smtplib",
    "caldav",
    "niquests",
    "jinja2",
    "nameparser",
    "decimal",  # costs only (servant_cli.money): 1.5 ms a command that never shows one
)


def imported_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_imports_nothing_heavy() -> None:
    loaded = imported_after("import servant_cli.cli")
    assert not loaded & set(HEAVY)


def test_the_whole_app_loads_the_caldav_client_only_when_publish_runs() -> None:
    # Help and completion build every command: publish's module must not load caldav.
    loaded = imported_after("from servant_cli.cli import build\nbuild()")
    assert not loaded & {"caldav", "niquests", "servant_cli.dav.server"}


def test_piped_upcoming_on_an_existing_database_imports_nothing_heavy(tmp_path) -> None:
    db = tmp_path / "s.db"
    subprocess.run(
        [sys.executable, "-m", "servant_cli", "--db", str(db), "add", "Ada", "--birthday", "1985-03-14"],
        check=True,
        capture_output=True,
    )
    code = (
        "import io, contextlib\n"
        "from servant_cli.cli import app\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    app(['--db', {str(db)!r}, 'upcoming', '--from', '2027-03-01'], standalone_mode=False)\n"
        "assert 'Ada' in out.getvalue(), out.getvalue()\n"
    )
    loaded = imported_after(code)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["upcoming", "--days", "3"], "upcoming"),
        (["--db", "x.db", "upcoming"], "upcoming"),
        (["--db=x.db", "export", "ics"], "export"),
        (["--version"], None),
        ([], None),
        (["--db", "upcoming"], None),  # "upcoming" is the database's name here
    ],
)
def test_the_command_a_line_runs_is_found_past_the_top_options(args: list[str], name: str | None) -> None:
    from servant_cli.cli import command_name

    assert command_name(args) == name


def test_the_console_script_runs_one_command_and_still_knows_them_all(tmp_path) -> None:
    # main() builds only the command it runs; help and a mistyped name see every command.
    env = {**os.environ, "SERVANT_DB": str(tmp_path / "s.db"), "SERVANT_CONFIG_DIR": str(tmp_path / "config")}
    run = [sys.executable, "-m", "servant_cli"]
    added = subprocess.run([*run, "add", "Ada", "--birthday", "1815-12-10"], env=env, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    listed = subprocess.run([*run, "--help"], env=env, capture_output=True, text=True)
    assert all(f"  {name} " in listed.stdout for name in ("add", "upcoming", "export", "digest", "restore"))
    wrong = subprocess.run([*run, "upcomin"], env=env, capture_output=True, text=True)
    assert wrong.returncode == 2 and "No such command 'upcomin'" in wrong.stderr
    shown = subprocess.run([*run, "--db", env["SERVANT_DB"], "show", "Ada"], env=env, capture_output=True, text=True)
    assert shown.returncode == 0 and shown.stdout.startswith("Ada (#1)")


def test_completing_a_line_loads_only_the_command_on_it_and_nothing_heavy(database_from) -> None:
    # A shell runs servant on every Tab: as for a run, only the line's command is built.
    database_from(("add", "Ada Lovelace"))
    code = (
        "import os\n"
        "sys.argv = ['servant']\n"
        "os.environ.update(_SERVANT_COMPLETE='complete_bash', COMP_WORDS='servant\\nshow\\nAd', COMP_CWORD='2')\n"
        "from servant_cli.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    offered, modules = result.stdout.rsplit("\n", 2)[:2]
    assert offered == "Ada\\ Lovelace"
    loaded = set(json.loads(modules))
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    commands = {name for name in loaded if name.startswith("servant_cli.commands.")}
    assert commands == {"servant_cli.commands.common", "servant_cli.commands.completion", "servant_cli.commands.people"}


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["add", "Bob Stone", "--birthday", "1980-03-14"], ("Bob Stone", "Birthday")),
        (["edit", "Ada", "--tag", "team", "--company", "Acme"], ("Ada", "Acme")),
        (["date", "Ada", "custom", "2027-01-05", "--label", "Trip", "--once"], ("Ada", "Trip")),
        (["date", "Ada", "birthday", "1985-03-15"], ("Ada", "15 Mar")),
    ],
)
def test_everyday_writes_load_no_sqlite_utils(tmp_path, args: list[str], shown: tuple[str, str]) -> None:
    # sqlite-utils runs the schema's steps; loading it (and numpy, where it is installed)
    # cost an add or an edit more than the rest of its work.
    db = tmp_path / "s.db"
    subprocess.run(
        [sys.executable, "-m", "servant_cli", "--db", str(db), "add", "Ada", "--birthday", "1985-03-14"],
        check=True,
        capture_output=True,
    )
    who, what = shown
    code = (
        "import io, contextlib\n"
        "from servant_cli.cli import app\n"
        f"app(['--db', {str(db)!r}, *{args!r}], standalone_mode=False)\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    app(['--db', {str(db)!r}, 'show', {who!r}], standalone_mode=False)\n"
        f"assert {what!r} in out.getvalue(), out.getvalue()\n"
    )
    loaded = imported_after(code)
    assert not loaded & {"sqlite_utils", "numpy"}


def test_a_program_that_runs_main_itself_keeps_its_garbage_collectable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The console script freezes what its imports made (gc.freeze): frozen objects are
    # never collected, so main() itself must not, or a caller's uncollected cycles stay.
    import gc
    import weakref

    from servant_cli.cli import main

    class Node:
        pass

    left = Node()
    left.me = left  # type: ignore[attr-defined]
    gone = weakref.ref(left)
    del left
    monkeypatch.setattr(sys, "argv", ["servant", "--db", str(tmp_path / "none.db"), "upcoming"])
    with pytest.raises(SystemExit):
        main()
    gc.collect()
    assert gone() is None


def test_the_console_script_imports_servant_with_the_collector_paused_then_collects_again(tmp_path: Path) -> None:
    # servant_cli.console imports the command line inside run(), with the cycle collector
    # paused (3 ms a command), then freezes what it made: the command itself runs with
    # the collector on, as it was.
    code = (
        "import gc, sys\n"
        "import servant_cli.console\n"
        "print('servant_cli.cli' in sys.modules)\n"
        "importing = []\n"
        "def seen(phase, info):\n"
        "    if phase == 'start' and not hasattr(sys.modules.get('servant_cli.cli'), 'main'):\n"
        "        importing.append(info)\n"
        "gc.callbacks.append(seen)\n"
        f"sys.argv = ['servant', '--db', {str(tmp_path / 'none.db')!r}, 'upcoming']\n"
        "try:\n"
        "    servant_cli.console.run()\n"
        "except SystemExit as exit:\n"
        "    print(exit.code, len(importing), gc.isenabled(), gc.get_freeze_count() > 10_000)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout == "False\n1 0 True True\n", result.stderr
    assert result.stderr.startswith(f"Error: there is no database at {tmp_path / 'none.db'} (given by --db)")
