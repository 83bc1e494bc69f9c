"""The command line: parse arguments, call the core, hand the results to ``render``.

The commands live in ``commands/``, a module per feature, and are listed here
(``COMMANDS``). The console script registers only the one it runs (``main``); the whole
app is ``app``, built on first use. No SQL here (that is ``store``), no Rich (that is ``render``). Every error a
user can cause reaches ``ServantGroup.main``, the one handler that prints ``Error: …``
on stderr and exits 1 (2 for a bad argument), with a traceback only when
``SERVANT_DEBUG=1``.
"""

import contextlib
import os
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

import typer

from servant_cli.commands.common import State, WholeSentenceGroup
from servant_cli.errors import ServantError


def _shortened(message: str) -> str:
    """Click's message with each quoted value cut to a few dozen characters: a value of
    thousands gives one readable line, not a screenful."""
    import re

    return re.sub(r"'([^']{40})[^']{10,}'", lambda found: f"'{found[1]}…'", message)


class ServantGroup(WholeSentenceGroup):
    """The one error handler: every failure becomes a single ``Error: …`` line."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        debug = os.environ.get("SERVANT_DEBUG") == "1"
        _tolerant_output()
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
            sys.stdout.flush()  # here, so a write that fails is reported like any error
        except typer.TyperException as exc:
            # Typer's usage errors (bad option values, missing arguments): exit 2.
            if debug:
                raise
            if type(exc).__name__ == "NoArgsIsHelpError":
                # ``servant`` alone: the help text itself, not an "Error: Usage: …" line.
                # (Matched by name, as Typer does: the class lives in its private ``_click``.)
                sys.stderr.write(exc.format_message().rstrip("\n") + "\n")
                code = exc.exit_code
            else:
                ctx = getattr(exc, "ctx", None)
                hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
                code = _fail(f"{_shortened(exc.format_message()).rstrip('.')}{hint}", exc.exit_code)
        except typer.Abort:
            code = _fail("aborted, nothing was changed", 1)
        except ServantError as exc:
            if debug:
                raise
            code = _fail(exc.message, exc.exit_code)
        except BrokenPipeError:
            # The reader (``| head``) went away: stop quietly, as other tools do.
            _drop_output()
            code = 1
        except sqlite3.Error as exc:
            # The store turns what a user can cause into ServantError; this is the rest
            # (a lock held past the busy timeout, a full disk, a read-only file).
            if debug:
                raise
            code = _fail(f"the database could not be used: {exc}; nothing was changed", 1)
        except OSError as exc:
            # Output that cannot be written (a full disk): say so plainly. Any change was
            # committed before printing, so a retry would do it twice.
            if debug:
                raise
            _drop_output()
            code = _fail(f"cannot write the output: {exc.strerror or exc}; any change was saved", 1)
        except Exception as exc:
            if debug:
                raise
            code = _fail(f"unexpected {type(exc).__name__}: {exc} (run with SERVANT_DEBUG=1 for details)", 1)
        if standalone_mode:
            sys.exit(code)
        return code


def _tolerant_output() -> None:
    """Let standard output and error carry anything: what their encoding cannot (an em
    dash on an ISO-8859-1 terminal, a Turkish name under ``LANG=C`` without UTF-8) is
    replaced (``text.stand_in``: ``-``, ``?``), never an error after the work is done."""
    import codecs

    from servant_cli.text import STAND_IN, stand_in

    codecs.register_error(STAND_IN, stand_in)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # closed, or not a text file
                reconfigure(errors=STAND_IN)


def _drop_output() -> None:
    """Send what is still buffered for stdout nowhere, so Python's own flush at exit cannot fail."""
    # Not possible when stdout is no file (a test runner's buffer) or is closed.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _fail(message: str, code: int) -> int:
    from servant_cli.render import clean

    # One line, and nothing a stored name could send to the terminal (a name matched by
    # an ambiguous query, a database's own error text spanning lines).
    sys.stderr.write(f"Error: {clean(' '.join(message.splitlines()))}\n")
    return code


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"servant {version('servant-cli')}")
        raise typer.Exit()


def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Database file (default: SERVANT_DB, then config, then the user data dir).", metavar="PATH"
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Remember the people who matter and their key dates, and act on them in time."""
    ctx.obj = State(db_option=db)


#: Every command: its name, its module in ``commands/`` and the function (or, for a
#: group of subcommands, the Typer app) there, in the order ``servant --help`` lists them.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("add", "people", "add"),
    ("date", "people", "add_date"),
    ("edit", "people", "edit"),
    ("rm", "people", "rm"),
    ("list", "people", "list_people"),
    ("show", "people", "show"),
    ("find", "find", "find"),
    ("upcoming", "upcoming", "upcoming"),
    ("export", "export", "app"),
    ("publish", "publish", "publish"),
    ("sync", "sync", "sync"),
    ("digest", "digest", "digest"),
    ("import", "importing", "import_"),
    ("log", "memory", "log"),
    ("gestures", "memory", "gestures"),
    ("forget", "memory", "forget"),
    ("idea", "memory", "idea"),
    ("ideas", "memory", "ideas"),
    ("overdue", "memory", "overdue"),
    ("card", "card", "card"),
    ("calendar", "calendar_view", "calendar"),
    ("stats", "stats", "stats"),
    ("season", "season", "app"),
    ("backup", "backup", "backup"),
    ("restore", "backup", "restore"),
    ("info", "info", "info"),
)
#: Options of ``servant`` itself that take a value (skipped to find the command's name).
_TOP_OPTIONS_WITH_VALUE = ("--db",)


def build(names: Iterable[str] | None = None) -> typer.Typer:
    """The app with the commands ``names`` (all of them when None).

    Typer turns every registered command into a Click command each time the app runs,
    and each command's module must be imported first: for ``servant upcoming`` run by
    cron or a shell prompt, ``main`` registers that one command only.
    """
    import importlib

    wanted = None if names is None else set(names)
    built = typer.Typer(
        cls=ServantGroup,
        name="servant",
        help="Remember the people who matter and their key dates, and act on them in time.",
        no_args_is_help=True,
        # Help as wide as the terminal, up to 120 columns (Click stops at 80).
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    built.callback()(main_options)
    for name, module_name, attribute in COMMANDS:
        if wanted is not None and name not in wanted:
            continue
        module = importlib.import_module(f"servant_cli.commands.{module_name}")
        target = getattr(module, attribute)
        if isinstance(target, typer.Typer):
            built.add_typer(target, name=name)
        elif name == "date":
            built.command(name, cls=module.DateCommand)(target)
        else:
            built.command(name)(target)
    return built


def command_name(args: Sequence[str]) -> str | None:
    """The command ``args`` runs (``servant --db x.db upcoming …`` runs "upcoming"), if any."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _TOP_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def __getattr__(name: str) -> Any:
    """``servant_cli.cli.app``: the whole app, built when first asked for (tests, docs)."""
    if name == "app":
        globals()["app"] = whole = build()
        return whole
    raise AttributeError(name)


def main() -> None:
    """Run the command on the command line (the ``servant`` console script's
    ``console.run`` calls this once it has imported servant)."""
    args: list[str] | None = sys.argv[1:]
    if any(key.endswith("_COMPLETE") for key in os.environ):
        # A shell asks what may come next on a line: the line's own command is enough.
        from servant_cli.commands.completion import prepare_bash, words_before_cursor

        prepare_bash()
        args = words_before_cursor()
    name = command_name(args or [])
    known = {command for command, _, _ in COMMANDS}
    # Help and a mistyped command need every command; a known one needs itself.
    if name in known:
        build([name])()
    else:
        build()()
