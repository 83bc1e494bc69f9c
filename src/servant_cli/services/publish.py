"""``servant publish``: the occasion calendar on a CalDAV server, kept current.

Each occasion is one calendar object: the event ``servant export ics`` writes for it, in
a VCALENDAR of its own, at ``<calendar>/<UID>.ics``. A run compares what servant would
send now, what the ``published`` table says the server confirmed holding, and what the
server lists (one PROPFIND: every href and ETag), ``dav.plan.compare`` says what
differs, and only that is written: a new event is PUT with ``If-None-Match: *``, a
changed one with ``If-Match: <ETag>``, the event of a date that is gone is DELETEd
(``If-Match`` too). Nothing changed: no write at all.

A calendar holding another servant database's events is refused unless ``take_over``,
which removes them: two machines cannot fill one calendar twice.

The ``published`` table is written after the server confirmed each write, in small
transactions: a run that fails or is killed leaves it behind the server, never ahead,
and the next run converges (``dav.plan``). A create that meets an object already there
(412, made since the listing) takes that object's ETag and writes over it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Literal

from servant_cli.config import Settings
from servant_cli.dav.plan import (
    ACTIONS,
    Change,
    Conflict,
    Plan,
    PublishReport,
    compare,
    counts_of,
    folder_of,
    owned_by_others,
    report_of,
)
from servant_cli.dav.server import DavError, Object, PreconditionFailed, Server
from servant_cli.dav.settings import DavSettings
from servant_cli.services.calendar import occasion_objects
from servant_cli.store import Published, Store

#: The published table is written after this many writes, or this many seconds.
RECORD_EVERY = 100
RECORD_SECONDS = 1.0
#: A write that meets a changed object is tried again this many times.
ATTEMPTS = 3

Progress = Callable[[int, int], None]


def publish_occasions(
    store: Store,
    today: date,
    settings: Settings,
    server: DavSettings,
    password: str | None,
    *,
    tags: Sequence[str] = (),
    dry_run: bool = False,
    take_over: bool = False,
    keep_remote: bool = False,
    progress: Progress | None = None,
) -> PublishReport:
    """Make the calendar ``server.calendar`` hold exactly servant's events (of ``tags``),
    and say what it did; ``dry_run`` says what it would do and writes nothing. Any
    failure of the server is a ``DavError``."""
    db_id = store.meta("db_id") or "servant"
    connection = Server(server, password)
    try:
        url = connection.find_calendar(server.calendar)
        # Made once the server answered (the first calendar of new settings records them).
        objects = occasion_objects(store, today, settings, tags=tags)
        if url is None and dry_run:
            plan = compare(objects, "", [], {}, db_id, keep_remote)
            return report_of(server.calendar, server.url, True, plan, counts_of(plan.changes), plan.conflicts, True)
        created = url is None
        if url is None:
            url = connection.create_calendar(server.calendar)
            listed: list[Object] = []
        else:
            listed = connection.objects(url)
        plan = compare(objects, folder_of(url), listed, store.published(url), db_id, keep_remote)
        if plan.others and not take_over:
            raise DavError(owned_by_others(server.calendar, url, plan.others))
        if dry_run:
            return report_of(server.calendar, url, created, plan, counts_of(plan.changes), plan.conflicts, True)
        run = _Run(connection, _Recorder(store, url), keep_remote, list(plan.conflicts))
        run.carry_out(plan, progress)
        return report_of(server.calendar, url, created, plan, run.counts, run.conflicts, False)
    finally:
        connection.close()


class _Recorder:
    """Writes to the published table what the server confirmed, a batch at a time."""

    def __init__(self, store: Store, calendar: str) -> None:
        self.store = store
        self.calendar = calendar
        self.events: list[Published] = []
        self.gone: list[str] = []
        self.last = time.monotonic()

    def put(self, change: Change, etag: str | None) -> None:
        self.events.append(Published(change.uid, change.href, etag, change.hash, change.summary))
        self._maybe_flush()

    def removed(self, uid: str) -> None:
        self.gone.append(uid)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.events) + len(self.gone) >= RECORD_EVERY or time.monotonic() - self.last >= RECORD_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.events or self.gone:
            self.store.record_published(self.calendar, self.events, self.gone)
            self.events, self.gone = [], []
        self.last = time.monotonic()


class _Run:
    """The writes of one run: each sent, and recorded once the server confirmed it."""

    def __init__(self, server: Server, recorder: _Recorder, keep_remote: bool, conflicts: list[Conflict]) -> None:
        self.server = server
        self.recorder = recorder
        self.keep_remote = keep_remote
        self.conflicts = conflicts
        self.counts = dict.fromkeys(ACTIONS, 0)

    def carry_out(self, plan: Plan, progress: Progress | None) -> None:
        self.recorder.events.extend(plan.learnt)
        self.recorder.gone.extend(plan.gone)
        try:
            for done, change in enumerate(plan.changes):
                if progress is not None:
                    progress(done, len(plan.changes))
                self._send(change)
            if progress is not None:
                progress(len(plan.changes), len(plan.changes))
        except DavError as exc:
            made = sum(self.counts.values())
            if not made:
                raise DavError(f"{exc.message}; no event was written") from exc
            raise DavError(
                f"{exc.message}; {made} of {len(plan.changes)} changes were made (and recorded) before that, "
                "and 'servant publish' again makes the rest"
            ) from exc
        finally:
            # What the server confirmed is recorded even when a later write failed.
            self.recorder.flush()

    def _send(self, change: Change) -> None:
        if change.action == "remove":
            if self._remove(change):
                self.recorder.removed(change.uid)
                self.counts["remove"] += 1
            return
        etag = self._put(change)
        if etag is not False:
            self.recorder.put(change, etag)
            self.counts[change.action] += 1

    def _put(self, change: Change) -> str | Literal[False] | None:
        """PUT one event: its new ETag (None if the server sent none), or False when it
        was left as the server has it."""
        etag = change.etag
        what = repr(change.summary)
        for _ in range(ATTEMPTS):
            try:
                return self.server.put(change.href, change.body, etag, what)
            except PreconditionFailed:
                # Changed on the server since the listing, or (a create) made there since.
                if change.action == "change":
                    self.conflicts.append(Conflict(change.summary, "edited", self.keep_remote))
                    if self.keep_remote:
                        return False
                etag = self.server.etag(change.href, what)
        raise DavError(f"{what} kept changing on the server while servant wrote it; run 'servant publish' again")

    def _remove(self, change: Change) -> bool:
        """DELETE one event; False when it was left as the server has it."""
        etag = change.etag
        what = repr(change.summary)
        for _ in range(ATTEMPTS):
            try:
                self.server.delete(change.href, etag, what)
                return True
            except PreconditionFailed:
                if self.keep_remote:
                    self.conflicts.append(Conflict(change.summary, "edited", True))
                    return False
                etag = self.server.etag(change.href, what)
                if etag is None:
                    return True
        raise DavError(f"{what} kept changing on the server while servant removed it; run 'servant publish' again")
