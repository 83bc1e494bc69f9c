"""``servant backup`` and ``servant restore``: a copy of the database to keep, and the way back."""

import os
from pathlib import Path
from typing import Annotated

import typer

from servant_cli import render
from servant_cli.commands.common import State, YesOption, confirm, open_store, remark, settings_of
from servant_cli.config import db_location
from servant_cli.errors import BadInput, NotFound
from servant_cli.files import is_the_database


def backup(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="The copy to write, e.g. ~/backups/servant.db.")],
    force: Annotated[bool, typer.Option("--force", "-f", help="Replace FILE if it exists.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing when it worked (for cron).")] = False,
) -> None:
    """Copy the database to FILE, safely even while servant is writing to it.

    The copy is taken with SQLite's online backup API, so it is the database as it was
    at one instant; it is checked, readable by you only, and one file. An existing FILE
    is replaced only with --force, and only by a complete, checked copy. The database
    itself is never written over; it records when it was last backed up, and where
    ('servant info' says). Put it back with 'servant restore FILE'.
    """
    from servant_cli.store import backup as backups

    state: State = ctx.obj
    path, source = db_location(state.db_option, settings_of(ctx))
    given = Path(file).expanduser()
    if file.strip() and is_the_database(given, path):
        # Said first: "exists; add --force" would only lead to this refusal.
        shown = Path(os.path.realpath(given)) if given.is_symlink() else given
        raise BadInput(f"{shown} is the database itself; give another file name for the backup")
    target = backups.check_target(file, force)
    if source is None and not path.exists():
        raise NotFound(f"there is no database at {path} yet; nothing to back up")
    store = open_store(ctx)
    copied = backups.backup(store.conn, store.path, target, force=force)
    unrecorded = backups.record(store, copied)
    if not quiet:
        size = max(1, round(copied.size / 1024))
        render.write(
            f"Backed up {backups.people(copied.people)} to {render.clean(str(copied.path.absolute()))} ({size} KB)"
        )
    if unrecorded:
        remark(f"the backup is complete, but the database could not record it ({unrecorded}).")


def restore(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="A backup written by 'servant backup'.")],
    yes: YesOption = False,
) -> None:
    """Replace the database with the backup FILE; the current one is kept aside.

    FILE is checked before anything is changed: it must be a servant database that is
    not damaged and not from a newer servant (one from an older servant is upgraded the
    next time it is opened). The current database is kept next to it as
    servant.db.before-restore-YYYYMMDD-HHMMSS, and the copy is put in its place in one
    step. FILE itself is only read.
    """
    from servant_cli.store import SCHEMA_VERSION
    from servant_cli.store import backup as backups

    state: State = ctx.obj
    database, _ = db_location(state.db_option, settings_of(ctx))
    checked = backups.check_restorable(backups.expand(file))
    backups.check_live(database)
    shown = render.clean(str(checked.path))
    if not yes:
        confirm(
            f"Replace {render.clean(str(database))} ({backups.describe(database)}) with {shown} "
            f"({backups.people(checked.people)})? The current database is kept beside it"
        )
    done = backups.restore(checked.path, database)
    lines = [f"Restored {backups.people(checked.people)} from {shown} to {render.clean(str(database))}"]
    if done.kept is not None:
        lines.append(f"  The database it replaced is kept as {render.clean(str(done.kept))}")
    if checked.steps < SCHEMA_VERSION:
        lines.append(
            f"  It was written by an earlier servant (schema {checked.steps} of {SCHEMA_VERSION}); "
            "servant upgrades it the next time it opens it"
        )
    render.write("\n".join(lines))
