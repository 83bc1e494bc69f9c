"""``servant info``: which database and config file servant uses, why, and what they hold."""

import sys
from typing import Annotated

import typer

from servant_cli import render
from servant_cli.commands.common import State, settings_of
from servant_cli.config import config_path, db_location


def info(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Which database and config file servant uses and why, and what the database holds.

    The database is the one --db names, else SERVANT_DB, else db in the config file,
    else the default place; info says which. A database that does not exist yet is not
    created: info says where it would be. One from an older servant is upgraded, as
    by any command.
    """
    from servant_cli.render.info import Info
    from servant_cli.store import Store
    from servant_cli.store.backup import last_backup

    state: State = ctx.obj
    settings = settings_of(ctx)
    path, source = db_location(state.db_option, settings)
    config = config_path()
    found = Info(path, source, config, config.is_file(), settings.date_order, settings.date_order_source)
    # An empty file (made by touch) is no database yet either: opening it would make one.
    if path.exists() and not (path.is_file() and path.stat().st_size == 0):
        store = Store.open(path, create=False)
        ctx.call_on_close(store.close)
        found = found._replace(
            schema_version=store.schema_version(), contents=store.contents(), last_backup=last_backup(store)
        )
    if as_json:
        sys.stdout.write(render.info_json(found))
    else:
        render.show_info(found)
