"""The command line: parse arguments, call the core, hand the results to ``render``.

The commands live in ``commands/``, a module per feature, and are registered here on
one app. No SQL here (that is ``store``), no Rich (that is ``render``). Every error a
user can cause reaches ``ServantGroup.main``, the one handler that prints ``Error: …``
on stderr and exits 1 (2 for a bad argument), with a traceback only when
``SERVANT_DEBUG=1``.
"""

import contextlib
import os
import sqlite3
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from servant_cli.commands import backup, digest, export, importing, memory, people, upcoming
from servant_cli.commands.common import State
from servant_cli.errors import ServantError


class ServantGroup(TyperGroup):
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
                code = _fail(f"{exc.format_message().rstrip('.')}{hint}", exc.exit_code)
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


app = typer.Typer(
    cls=ServantGroup,
    name="servant",
    help="Remember the people who matter and their key dates, and act on them in time.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"servant {version('servant-cli')}")
        raise typer.Exit()


@app.callback()
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


app.command()(people.add)
app.command("date", cls=people.DateCommand)(people.add_date)
app.command()(people.edit)
app.command()(people.rm)
app.command("list")(people.list_people)
app.command()(people.show)
app.command()(upcoming.upcoming)
app.add_typer(export.app)
app.command()(digest.digest)
app.command("import")(importing.import_)
app.command()(memory.log)
app.command()(memory.idea)
app.command()(memory.ideas)
app.command()(memory.overdue)
app.command()(backup.backup)
app.command()(backup.restore)


def main() -> None:
    """Entry point of the ``servant`` console script."""
    app()
