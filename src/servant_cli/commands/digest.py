"""``servant digest``: the morning digest for cron, printed or mailed.

Quiet when nothing is due (no output, exit 0), so cron sends no empty mail. With
``--mail-to`` it sends the digest itself and prints nothing when that worked; a failure
is one ``Error:`` line on stderr and exit 1, which cron mails in its turn.
"""

import os
import sys
from typing import Annotated

import typer

from servant_cli import render
from servant_cli.commands.common import (
    MAX_DAYS,
    FromOption,
    KindFilter,
    TagFilter,
    check_count,
    check_tags,
    check_tags_in_use,
    open_store,
    settings_of,
    today_of,
)

DEFAULT_DAYS = 7
#: The most lines a section may be told to list.
MAX_LIMIT = 1_000_000


def digest(
    ctx: typer.Context,
    days: Annotated[
        str | None,
        typer.Option(metavar="DAYS", help=f"How many days ahead 'Coming up' looks (default {DEFAULT_DAYS})."),
    ] = None,
    from_: FromOption = None,
    mail_to: Annotated[
        list[str] | None,
        typer.Option(
            "--mail-to",
            metavar="ADDR",
            help="Send the digest to this address over SMTP instead of printing it (repeatable).",
        ),
    ] = None,
    always: Annotated[
        bool, typer.Option("--always", help="Say 'nothing due' in one line instead of staying quiet.")
    ] = False,
    tag: TagFilter = None,
    kind: KindFilter = None,
    limit: Annotated[
        str | None,
        typer.Option(metavar="N", help="List at most N lines a section, and say how many more (default 50)."),
    ] = None,
) -> None:
    """The morning digest: today's occasions, what to act on now, what is coming up.

    Prints nothing when nothing is due, so that cron sends no empty mail.
    """
    from servant_cli import digest as digests
    from servant_cli import mail
    from servant_cli.services.callsheet import call_sheet
    from servant_cli.services.digest import DIGEST_LIMIT, morning_digest

    # Every value is checked before the database is opened or a server is called.
    today = today_of(ctx, from_)
    span = check_count("--days", days, 0, MAX_DAYS)
    span = DEFAULT_DAYS if span is None else span
    most = check_count("--limit", limit, 1, MAX_LIMIT)
    recipients = list(dict.fromkeys(mail.check_recipient(address) for address in mail_to or []))
    tags = check_tags(tag)
    settings = settings_of(ctx)
    smtp = mail.smtp_settings(settings.smtp) if recipients else None

    store = open_store(ctx)
    check_tags_in_use(store, tags)
    kinds = [k.value for k in kind or []]
    found = morning_digest(
        store, today, span, settings, tags=tags, kinds=kinds, limit=DIGEST_LIMIT if most is None else most
    )
    # A call sheet: how to reach each person, the command that marks a line done and the
    # one that lists all of a section (with the --db and --from it was given, so that
    # they work when pasted).
    db = ctx.obj.db_option
    db = os.path.abspath(os.path.expanduser(db)) if db else None
    found = call_sheet(store, found, settings, db=db, from_=today if from_ else None)
    if found.empty and not always:
        return
    if smtp is not None:
        if found.empty:
            text, html = digests.nothing_due(found) + "\n", None
        else:
            text, html = render.digest_text(found), render.digest_html(found)
        mail.send(smtp, mail.message(found.subject, text, html, smtp.sender, recipients), recipients)
        if sys.stderr.isatty():  # by hand, say it went; under cron, silence is success
            typer.echo(f"Sent {found.subject!r} to {', '.join(recipients)}.", err=True)
        return
    if found.empty:
        render.write(digests.nothing_due(found))
    else:
        render.show_digest(found)
