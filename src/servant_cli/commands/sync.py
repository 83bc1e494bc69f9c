"""``servant sync``: contacts in, calendar out, in one line for cron.

The contact folders of ``[sync]`` are imported one by one as ``servant import DIR`` does
(each one transaction), then the calendar is published as ``servant publish`` does, with
the ``[dav]`` settings. It prints what changed, and nothing when nothing did, so that
cron mails only news; any failure is one ``Error:`` line and a non-zero exit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from servant_cli import render
from servant_cli.commands.common import open_store, settings_of, today_of
from servant_cli.commands.importing import PROGRESS_FROM as READ_PROGRESS_FROM
from servant_cli.commands.importing import folder_title, said_skipped, show_import
from servant_cli.commands.publish import PROGRESS_FROM as PUBLISH_PROGRESS_FROM
from servant_cli.commands.publish import show_publish
from servant_cli.config import config_path
from servant_cli.errors import ConfigError, ServantError

if TYPE_CHECKING:
    from servant_cli.dav.plan import PublishReport
    from servant_cli.services.importing import FolderImport


def sync(
    ctx: typer.Context,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Say what the imports and the publish would change, and write nothing "
            "(the publish is weighed against the database as it is, before the imports).",
        ),
    ] = False,
) -> None:
    """Import the contact folders of [sync], then publish the calendar of [dav]: one line for cron.

    Each folder in contacts (the folders of .vcf files vdirsyncer keeps) is imported as
    'servant import DIR' does, one transaction each, and with --prune when prune = true;
    then every occasion is published as 'servant publish' does, with the [dav] settings.
    It prints what changed, and nothing at all when nothing did, so cron mails only news;
    a failure is one line on stderr and a non-zero exit.
    """
    from servant_cli.dav.settings import dav_settings, password_of, server_set
    from servant_cli.services.importing import import_folder
    from servant_cli.services.publish import publish_occasions

    # Everything is checked before the database is opened or a server is called.
    settings = settings_of(ctx)
    folders = settings.sync.contacts
    server = dav_settings(settings.dav) if server_set(settings.dav) else None
    _check_folders(folders, server is not None)
    today = today_of(ctx, None)
    store = open_store(ctx)
    password = password_of(server) if server else None
    said = False
    done: list[Path] = []
    for folder in folders:
        try:
            with render.Progress(f"Reading {folder.name}", READ_PROGRESS_FROM) as progress:
                found = import_folder(store, folder, dry_run=dry_run, prune=settings.sync.prune, progress=progress)
        except ServantError as exc:
            raise _after(exc, done, dry_run, "nothing was published" if server else "") from exc
        done.append(folder)
        said |= _show_import(found, dry_run=dry_run, prune=settings.sync.prune)
    if server is None:
        if said:
            typer.echo(f"Nothing was published: no CalDAV server is set (url in the [dav] table of {config_path()})")
        return
    try:
        with render.Progress("Publishing", PUBLISH_PROGRESS_FROM) as progress:
            report = publish_occasions(store, today, settings, server, password, dry_run=dry_run, progress=progress)
    except ServantError as exc:
        raise _after(exc, done, dry_run, "") from exc
    show_publish(report, quiet=not _published_anything(report))


def _check_folders(folders: Sequence[Path], publishing: bool) -> None:
    """Something to do, and each folder there."""
    from servant_cli.importers.membership import shown_folder

    if not folders and not publishing:
        raise ConfigError(
            f"nothing to sync: set contacts in the [sync] table of {config_path()} (folders of .vcf files to "
            "import), url in its [dav] table (the CalDAV server to publish to), or both"
        )
    for folder in folders:
        if not folder.is_dir():
            why = "is not a folder" if folder.exists() else "does not exist"
            nothing = "nothing was imported or published" if publishing else "nothing was imported"
            raise ServantError(
                f"{shown_folder(folder)} {why} (contacts in the [sync] table of {config_path()}); "
                f"check the path, or run 'vdirsyncer sync' first; {nothing}"
            )


def _after(exc: ServantError, imported: list[Path], dry_run: bool, rest: str) -> ServantError:
    """The error of a step, saying which folders were imported before it, and what was not done."""
    from servant_cli.importers.membership import shown_folder

    said = [exc.message]
    if imported and not dry_run:
        said.append(f"{', '.join(shown_folder(path) for path in imported)} imported before that")
    if rest:
        said.append(rest)
    return type(exc)("; ".join(said))


def _show_import(found: FolderImport, *, dry_run: bool, prune: bool) -> bool:
    """What a folder's import did, when it did anything (or, dry, always); whether it said so."""
    skipped = said_skipped(found.parsed, found.result)
    result = found.result
    if not (dry_run or result.added or result.updated or result.people or skipped or result.left):
        return False
    title = folder_title(found.folder.path)
    show_import(result, title, len(skipped), dry_run=dry_run, quiet=False, folder=found.folder, prune=prune)
    return True


def _published_anything(report: PublishReport) -> bool:
    """Whether a publish changed the calendar, or has something to say about it."""
    return bool(
        report.added or report.changed or report.removed or report.created or report.conflicts or report.taken_over
    )
