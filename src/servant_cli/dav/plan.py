"""What a publish changes: servant's events, what it recorded, and what the server lists,
compared. Pure: no network, no SQL.

Whose objects are whose: servant's hrefs carry the UID, which carries the database id
(``occasion-12@3f9c…servant.ics``), so the listing says which objects this database
published, which another servant database did, and which are not servant's (those are
never touched).

servant is the source of truth for its events: one edited or deleted on the server
(the listed ETag is not the recorded one, or the object is missing) is written again,
and reported; ``keep_remote`` reports it and leaves it.

An object of this database that the server holds and servant did not record (a run
that stopped before recording it) is written over with ``If-Match`` its listed ETag,
or removed when its date is gone: the next run converges.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from servant_cli.dav.server import Object, href_path
from servant_cli.store import Published

if TYPE_CHECKING:
    from servant_cli.ical import CalendarObject

#: The name of an object servant published: the UID (with the database id) and .ics.
SERVANT_OBJECT = re.compile(r"(?:occasion|season)-[0-9]+@([^@/]+)\.servant\.ics")
ACTIONS = ("add", "change", "remove")


class Change(NamedTuple):
    """One write to the calendar: ``add``, ``change`` or ``remove`` an event."""

    action: str
    summary: str
    uid: str
    href: str
    #: The version written over or removed (``If-Match``); None for a new object.
    etag: str | None
    body: bytes = b""
    hash: str = ""


class Conflict(NamedTuple):
    """An event of servant's that was changed (``edited``) or removed (``deleted``) on the
    server; ``kept`` when it was left so (``keep_remote``), else servant's version went back."""

    summary: str
    how: str
    kept: bool


class Plan(NamedTuple):
    """What a run does: the writes, what stays, and what is recorded without a write."""

    changes: list[Change]
    unchanged: int
    conflicts: list[Conflict]
    #: Events of other servant databases in the calendar: their database id and how many.
    others: dict[str, int]
    #: Records to correct without a write: an ETag learnt from the listing, or an event gone.
    learnt: list[Published]
    gone: list[str]


class PublishReport(NamedTuple):
    """What ``servant publish`` did (or, on a dry run, would do)."""

    calendar: str
    url: str
    #: The calendar was made by this run (or would be, on a dry run).
    created: bool
    added: int
    changed: int
    removed: int
    unchanged: int
    changes: list[Change]
    conflicts: list[Conflict]
    #: Events of other servant databases removed by ``take_over``, by database id.
    taken_over: dict[str, int]
    dry_run: bool


def folder_of(url: str) -> str:
    """The calendar's path, decoded, ending in "/": its objects' hrefs start with it."""
    path = href_path(url)
    return path if path.endswith("/") else path + "/"


def compare(
    objects: Sequence[CalendarObject],
    folder: str,
    listed: Sequence[Object],
    recorded: Mapping[str, Published],
    db_id: str,
    keep_remote: bool,
) -> Plan:
    """What to write: servant's events (``objects``) against what it recorded and what the
    calendar at ``folder`` (its path) lists. Removals go first, then changes, then adds."""
    found = _Comparison({item.href: item.etag for item in listed}, recorded, keep_remote)
    for item in objects:
        found.event(item, f"{folder}{item.uid}.ics")
    for uid, record in recorded.items():
        if record.href not in found.mine:
            found.date_gone(uid, record)
    found.strays(folder, db_id)
    order = {action: rank for rank, action in enumerate(("remove", "change", "add"))}
    found.changes.sort(key=lambda change: order[change.action])
    return Plan(found.changes, found.unchanged, found.conflicts, found.others, found.learnt, found.gone)


class _Comparison:
    """The plan as ``compare`` builds it, one object at a time."""

    def __init__(self, on_server: dict[str, str | None], recorded: Mapping[str, Published], keep_remote: bool) -> None:
        self.on_server = on_server
        self.recorded = recorded
        self.keep_remote = keep_remote
        self.changes: list[Change] = []
        self.conflicts: list[Conflict] = []
        self.learnt: list[Published] = []
        self.gone: list[str] = []
        self.others: dict[str, int] = {}
        self.unchanged = 0
        #: The hrefs of servant's events now.
        self.mine: set[str] = set()

    def event(self, item: CalendarObject, href: str) -> None:
        """One of servant's events: add it, change it, or leave it."""
        body = item.text.encode("utf-8")
        digest = hashlib.sha256(body).hexdigest()
        self.mine.add(href)
        record = self.recorded.get(item.uid)
        if href not in self.on_server:
            if record is not None:
                # Deleted on the server (in a calendar app): servant's event goes back.
                self.conflicts.append(Conflict(item.summary, "deleted", self.keep_remote))
                if self.keep_remote:
                    return
            self.changes.append(Change("add", item.summary, item.uid, href, None, body, digest))
            return
        etag = self.on_server[href]
        if record is None:
            # Written by a run that stopped before recording it: written again over itself.
            self.changes.append(Change("add", item.summary, item.uid, href, etag, body, digest))
        elif record.etag is not None and record.etag != etag:
            self.conflicts.append(Conflict(item.summary, "edited", self.keep_remote))
            if not self.keep_remote:
                self.changes.append(Change("change", item.summary, item.uid, href, etag, body, digest))
        elif record.hash != digest:
            self.changes.append(Change("change", item.summary, item.uid, href, etag, body, digest))
        else:
            self.unchanged += 1
            if record.etag is None and etag is not None:
                self.learnt.append(record._replace(etag=etag))  # the server sent none with the write

    def date_gone(self, uid: str, record: Published) -> None:
        """An event servant published whose date is gone (or no longer matches the tags)."""
        if record.href not in self.on_server:
            self.gone.append(uid)  # gone from the server too: only the record goes
            return
        etag = self.on_server[record.href]
        if record.etag is not None and record.etag != etag:
            self.conflicts.append(Conflict(record.summary, "edited", self.keep_remote))
            if self.keep_remote:
                return
        self.changes.append(Change("remove", record.summary, uid, record.href, etag))

    def strays(self, folder: str, db_id: str) -> None:
        """servant's objects that no record names: this database's, of a date gone since
        a run that stopped before recording them (removed), or another database's
        (counted: removed only with take_over). Objects not servant's are never touched."""
        known = self.mine | {record.href for record in self.recorded.values()}
        for href, etag in self.on_server.items():
            name = href.rpartition("/")[2]
            servant = SERVANT_OBJECT.fullmatch(name)
            if href in known or not href.startswith(folder) or servant is None:
                continue
            if servant.group(1) != db_id:
                self.others[servant.group(1)] = self.others.get(servant.group(1), 0) + 1
            uid = name.removesuffix(".ics")
            self.changes.append(Change("remove", uid, uid, href, etag))


def owned_by_others(name: str, url: str, others: Mapping[str, int]) -> str:
    """Why a calendar holding another servant database's events is refused."""
    owners = ", ".join(f"{owner} ({count} events)" for owner, count in sorted(others.items()))
    return (
        f"the calendar {name!r} ({url}) holds events another servant database published (database {owners}); "
        "publish to another calendar with --calendar, or replace its events with this database's with --take-over"
    )


def counts_of(changes: Sequence[Change]) -> dict[str, int]:
    """How many changes of each action."""
    return {action: sum(1 for change in changes if change.action == action) for action in ACTIONS}


def report_of(
    name: str,
    url: str,
    created: bool,
    plan: Plan,
    counts: Mapping[str, int],
    conflicts: list[Conflict],
    dry_run: bool,
) -> PublishReport:
    """The report of a run: the counts of what was done (or, dry, would be)."""
    return PublishReport(
        name,
        url,
        created,
        counts["add"],
        counts["change"],
        counts["remove"],
        plan.unchanged,
        plan.changes,
        conflicts,
        dict(plan.others),
        dry_run,
    )
