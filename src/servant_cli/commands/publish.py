"""``servant publish``: every occasion in a calendar on a CalDAV server, kept current."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from servant_cli import render
from servant_cli.commands.common import (
    TagFilter,
    check_tags,
    check_tags_in_use,
    check_text,
    open_store,
    remark,
    settings_of,
    today_of,
)
from servant_cli.errors import BadInput

if TYPE_CHECKING:
    from servant_cli.dav.plan import PublishReport

#: Runs with more writes than this get a progress bar on a terminal.
PROGRESS_FROM = 200


def publish(
    ctx: typer.Context,
    url: Annotated[
        str | None,
        typer.Option(metavar="URL", help="The CalDAV server (default: SERVANT_DAV_URL, then url in [dav])."),
    ] = None,
    user: Annotated[
        str | None, typer.Option(metavar="NAME", help="Log in as NAME (default: SERVANT_DAV_USER, then user in [dav]).")
    ] = None,
    calendar: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="The calendar's name, made if missing "
            "(default: SERVANT_DAV_CALENDAR, then calendar in [dav], then 'servant').",
        ),
    ] = None,
    tag: TagFilter = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would change, and send nothing that writes.")
    ] = False,
    take_over: Annotated[
        bool,
        typer.Option(
            "--take-over", help="Publish to a calendar another servant database publishes to, replacing its events."
        ),
    ] = False,
    keep_remote: Annotated[
        bool, typer.Option("--keep-remote", help="Leave events changed on the server as they are (they are reported).")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="No summary (for cron); what was changed on the server is still said on stderr."
        ),
    ] = False,
) -> None:
    """Put every occasion in a calendar on a CalDAV server, and keep it current.

    Nextcloud, iCloud, Fastmail, Radicale, Baïkal and other CalDAV servers: phones and
    calendar apps that show that calendar get every change at their next sync. Each
    date is one event, the same as 'servant export ics' writes. A run sends only what
    changed since the last one; events servant did not make are never touched. The
    password comes from password_command in [dav] (or SERVANT_DAV_PASSWORD), never
    from the command line.
    """
    from servant_cli.dav.settings import dav_settings, password_of
    from servant_cli.services.publish import publish_occasions

    # Every value is checked before the database is opened or a server is called.
    tags = check_tags(tag)
    name = check_text("--calendar", calendar)
    if calendar is not None and not name:
        raise BadInput("--calendar: a calendar needs a name (it was empty)")
    settings = settings_of(ctx)
    server = dav_settings(settings.dav, url=url, user=check_text("--user", user), calendar=name)
    today = today_of(ctx, None)
    store = open_store(ctx)
    check_tags_in_use(store, tags)
    password = password_of(server)
    with render.Progress("Publishing", PROGRESS_FROM) as progress:
        report = publish_occasions(
            store,
            today,
            settings,
            server,
            password,
            tags=tags,
            dry_run=dry_run,
            take_over=take_over,
            keep_remote=keep_remote,
            progress=progress,
        )
    show_publish(report, quiet=quiet)


def show_publish(report: PublishReport, *, quiet: bool) -> None:
    """A note on stderr for each event changed on the server, then the summary (always on
    a dry run: it is what was asked for)."""
    for note in render.publish_notes(report):
        remark(note)
    if not quiet or report.dry_run:
        render.write(render.publish_summary(report))
