"""``servant export …``: everything servant knows, in a form other programs read."""

import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from servant_cli.commands.common import (
    FromOption,
    Kind,
    TagFilter,
    check_count,
    check_tags,
    open_store,
    remark,
    settings_of,
    today_of,
)
from servant_cli.errors import ServantError

app = typer.Typer(
    name="export",
    help="Write occasions out for other programs (calendars).",
    no_args_is_help=True,
    rich_markup_mode=None,
)

MAX_YEARS = 30


@app.command("ics")
def export_ics(
    ctx: typer.Context,
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE ('-' for standard output).")
    ] = "-",
    tag: TagFilter = None,
    kind: Annotated[list[Kind] | None, typer.Option(help="Only this kind of date (repeatable).")] = None,
    years: Annotated[
        str | None,
        typer.Option(
            metavar="N",
            help=f"One event per occurrence in the next N years (1-{MAX_YEARS}), titled with the age, "
            "instead of one repeating event per date.",
        ),
    ] = None,
    no_alarms: Annotated[bool, typer.Option("--no-alarms", help="Leave out the reminders (VALARM).")] = False,
    from_: FromOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing when writing to a file.")] = False,
) -> None:
    """Write every occasion as an all-day event to an iCalendar (.ics) file.

    Import it into Google Calendar, Apple Calendar, Outlook or Thunderbird. Each date
    keeps the same UID for its whole life, so importing a newer export updates the
    events instead of adding them twice.
    """
    from importlib.metadata import version

    from servant_cli.ical import Export, calendar

    span = check_count("--years", years, 1, MAX_YEARS)
    today = today_of(ctx, from_)
    tags = check_tags(tag)
    kinds = [k.value for k in kind or []]
    target = None if output == "-" else _target(output)
    settings = settings_of(ctx)
    store = open_store(ctx)
    rows = store.all_occasions(tags=tags, kinds=kinds)
    filters = ", ".join([*tags, *kinds])
    export = Export(
        db_id=store.meta("db_id") or "servant",
        today=today,
        feb29=settings.feb29,
        lead_days=settings.lead_days,
        years=span,
        alarms=not no_alarms,
        name=f"servant occasions ({filters})" if filters else "servant occasions",
        prodid=f"-//servant//servant {version('servant-cli')}//EN",
    )
    text, count = calendar(rows, export)
    data = text.encode("utf-8")
    if target is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    else:
        write_atomically(target, data)
    if count == 0:
        remark("no occasion matches; the calendar has no events")
    elif target is not None and not quiet:
        people = len({person.id for person, _ in rows})
        typer.echo(f"Wrote {count} event{'s' if count != 1 else ''} for {people} {_people(people)} to {target}")


def _people(count: int) -> str:
    return "person" if count == 1 else "people"


def _target(output: str) -> Path:
    """The file to write, checked before the database is read."""
    if not output.strip():
        raise ServantError("--output is empty; give a file name, or '-' for standard output")
    path = Path(output).expanduser()
    if path.is_dir():
        raise ServantError(f"--output: {output} is a folder; give a file name such as {path / 'servant.ics'}")
    if not path.parent.is_dir():
        raise ServantError(f"--output: the folder {path.parent} does not exist")
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    A calendar app watching the file sees the old version or the new one, never half
    of one. A file that was there keeps its permissions; a new one is private (0600),
    since it holds names and notes. A symlink is followed; a pipe or a device is
    written to in place.
    """
    try:
        status = path.stat()
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise ServantError(f"cannot write {path}: {exc.strerror or exc}") from exc
    if status is not None and not stat.S_ISREG(status.st_mode):
        # A pipe or a device (/dev/stdout): written to, never replaced.
        _write_into(path, data)
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))  # the file it points to is replaced; the link stays
    mode = 0o600 if status is None else status.st_mode & 0o777
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ServantError(f"cannot write in {path.parent}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ServantError(f"cannot write {path}: {exc.strerror or exc}; the file was left as it was") from exc
        raise


def _write_into(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as exc:
        raise ServantError(f"cannot write {path}: {exc.strerror or exc}") from exc
