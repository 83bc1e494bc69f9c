"""``servant info``: which database and config file are in use, why, and what they hold."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from servant_cli.dates import format_day
from servant_cli.render.terminal import columns, to_json, write
from servant_cli.store.backup import LastBackup
from servant_cli.store.memory import Contents
from servant_cli.text import clean, plural

#: How each date order reads numbers, with an example.
_ORDERS = {
    "mdy": "month first (03/14/1985)",
    "dmy": "day first (14/03/1985)",
    "ymd": "year first (1985/03/14)",
}


class Info(NamedTuple):
    """What ``servant info`` reports; the database's part is None when there is none yet."""

    database: Path
    #: What chose the database: "--db", "SERVANT_DB", "db in <config file>", or None
    #: for the default place (``config.db_location``).
    database_source: str | None
    config: Path
    config_exists: bool
    date_order: str
    #: What chose the date order: "date_order in <config file>", "LC_TIME=…", or "".
    date_order_source: str
    schema_version: int | None = None
    contents: Contents | None = None
    last_backup: LastBackup | None = None


def _chosen_by(source: str | None) -> str:
    """A database source as JSON names it: "--db", "SERVANT_DB", "config" or "default"."""
    if source is None:
        return "default"
    return "config" if source.startswith("db in ") else source


def _date_order_chosen_by(source: str) -> str:
    """A date order source as JSON names it: "config", "LC_TIME=en_GB.UTF-8" or "default"."""
    if not source:
        return "default"
    return "config" if source.startswith("date_order in ") else source


def _local_time(stamp: str) -> str:
    """A stored UTC stamp in local time, as servant writes days: "Sun 22 Nov 2026 10:30"."""
    try:
        when = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return clean(stamp)
    return f"{format_day(when.date())} {when:%H:%M}"


def info_lines(info: Info) -> str:
    """The report as aligned lines, the same on a terminal and in a pipe."""
    why = f"given by {info.database_source}" if info.database_source else "the default place"
    database = f"{info.database} ({why})"
    if info.contents is None:
        database += ": none yet; 'servant add' or 'servant import' creates it"
    config = f"{info.config} ({'found' if info.config_exists else 'none: every setting has its default'})"
    order_why = f"from {info.date_order_source}" if info.date_order_source else "the default"
    rows = [
        ("Database", clean(database)),
        ("Config file", clean(config)),
        ("Dates", clean(f"{_ORDERS[info.date_order]}, {order_why}")),
    ]
    if info.contents is not None:
        held = info.contents
        rows += [
            ("Schema", str(info.schema_version)),
            (
                "Holds",
                f"{plural(held.people, 'person', 'people')}, {plural(held.dates, 'key date')}, "
                f"{plural(held.gestures, 'gesture')}, {plural(held.ideas, 'gift idea')}",
            ),
            (
                "Last backup",
                f"{_local_time(info.last_backup.at)} to {clean(info.last_backup.file)}"
                if info.last_backup
                else "no backup recorded",
            ),
        ]
    return columns(rows)


def info_json(info: Info) -> str:
    database: dict[str, Any] = {
        "path": str(info.database),
        "chosen_by": _chosen_by(info.database_source),
        "exists": info.contents is not None,
        "schema_version": info.schema_version,
    }
    # The same keys with or without a database, null when there is none.
    database.update(info.contents._asdict() if info.contents else dict.fromkeys(Contents._fields))
    database["last_backup"] = info.last_backup._asdict() if info.last_backup else None
    return to_json(
        {
            "database": database,
            "config": {"path": str(info.config), "exists": info.config_exists},
            "date_order": {"value": info.date_order, "chosen_by": _date_order_chosen_by(info.date_order_source)},
        }
    )


def show_info(info: Info) -> None:
    write(info_lines(info))
