"""What ``servant publish`` put on CalDAV servers: one row per calendar and event.

A row says what the server confirmed holding for one of servant's events: the object's
href, the ETag it answered with (None when it sent none), the SHA-256 of the body sent,
and the event's title (to name it once its date is gone). ``services.publish`` compares
these with what the server lists and what servant would send now, so that a run writes
only what changed. Rows are written only after the server confirmed the write, and
deleted after it confirmed the delete: the table may lag behind the server (a run
killed part-way), never run ahead of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from servant_cli.store.imports import ImportStore
from servant_cli.store.rows import now_stamp


class Published(NamedTuple):
    """One event as the server confirmed holding it."""

    uid: str
    href: str
    etag: str | None
    hash: str
    summary: str


class PublishedStore(ImportStore):
    """The published events of each calendar, on top of people, dates, memory and imports."""

    def published(self, calendar: str) -> dict[str, Published]:
        """Every event recorded for ``calendar`` (its URL), by UID."""
        rows = self.conn.execute("SELECT uid, href, etag, hash, summary FROM published WHERE calendar = ?", (calendar,))
        return {row[0]: Published(*row) for row in rows}

    def record_published(self, calendar: str, events: Iterable[Published] = (), gone: Iterable[str] = ()) -> None:
        """Record (or replace) events the server confirmed holding, and forget those it
        confirmed gone (by UID), in one transaction."""
        stamp = now_stamp()
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO published (calendar, uid, href, etag, hash, summary, published)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(calendar, *event, stamp) for event in events],
            )
            self.conn.executemany(
                "DELETE FROM published WHERE calendar = ? AND uid = ?", [(calendar, uid) for uid in gone]
            )
