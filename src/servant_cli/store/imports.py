"""The writes an import makes (in one ``transaction``, not kept for a dry run), and what
each import brought, remembered per person and kind of file, a JSON object of fields
(``import_memory``, schema step 16); a folder of vCards remembers there who came from it
too (source ``vdir:<path>``, ``importers.membership``).

Who a record is and what changes is decided in ``importers.matching`` and
``importers.reconcile`` and run by ``services.importing``; this file holds only the SQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from servant_cli.store.connection import insert_rows
from servant_cli.store.memory import DECIDED_FROM, MemoryStore
from servant_cli.store.people import NewRows
from servant_cli.store.rows import NewOccasion, occasion_row
from servant_cli.text import json_text

#: A gesture as stored: on, kind, what, cost, occasion id, for date.
GestureRow = tuple[str, str, str | None, str | None, int | None, str | None]


class ImportStore(MemoryStore):
    """What an import needs of the store, on top of people, dates and memory."""

    def match_keys(self) -> Iterator[tuple[int, str | None, str | None, str]]:
        """Every stored person's id, source UID, email and name key: what a record is matched on."""
        yield from self.conn.execute("SELECT id, source_uid, email, name_key FROM person")

    def add_imported(
        self,
        held: NewRows,
        fields: dict[str, Any],
        tags: Iterable[str],
        dates: Sequence[NewOccasion],
        stamp: str,
        uid: str | None,
    ) -> int:
        """A new person from an address book, with their dates, held in ``held`` until
        ``write_new``; returns the id they will have."""
        return self._hold_person(held, fields, tags, dates, stamp, uid)

    def import_memory(self, source: str) -> Iterator[tuple[int, str, str, bool]]:
        """What the last imports of this kind of file brought: (person id, field, value, kept)."""
        rows = self.conn.execute("SELECT person_id, fields FROM import_memory WHERE source = ?", (source,))
        for person_id, fields in rows:
            for field, value, kept in _fields(fields):
                yield person_id, field, value, kept

    def remember_import(self, source: str, rows: Iterable[tuple[int, str, str, bool]]) -> None:
        """Remember (person id, field, value, kept) as what this kind of file brought last:
        each field replaces the one remembered, the person's other fields stay."""
        insert_rows(
            self.conn,
            "import_memory",
            ("person_id", "source", "fields"),
            ((person_id, source, json_text(fields)) for person_id, fields in _by_person(rows)),
            then=" ON CONFLICT (person_id, source) DO UPDATE SET fields ="
            " CASE WHEN json_valid(fields) THEN json_patch(fields, excluded.fields) ELSE excluded.fields END",
        )

    def import_rows_of(self, person_id: int) -> list[tuple[str, str, str]]:
        """Everything the imports remembered for a person: (source, field, value)."""
        rows = self.conn.execute("SELECT source, fields FROM import_memory WHERE person_id = ?", (person_id,))
        return [(source, field, value) for source, fields in rows for field, value, _ in _fields(fields)]

    def forget_import(self, source: str, person_id: int) -> None:
        """Forget what imports from ``source`` brought for a person."""
        self.conn.execute("DELETE FROM import_memory WHERE person_id = ? AND source = ?", (person_id, source))

    def set_source_uid(self, person_id: int, uid: str) -> None:
        """Remember the address book's id for a person matched by email or name."""
        self.conn.execute("UPDATE person SET source_uid = ? WHERE id = ?", (uid, person_id))

    def set_name_parts(self, person_id: int, parts: str) -> None:
        """The structured name a file gave (``models.NameParts`` as text). Only a vCard
        export shows it, so it is no new version of the person's calendar events."""
        self.conn.execute("UPDATE person SET name_parts = ? WHERE id = ?", (parts, person_id))

    # -- servant's JSON: everything, ids kept in an empty database ------------------

    def all_ideas(self) -> list[tuple[int, int, str, str, str | None, int | None]]:
        """Every gift idea: (id, person id, text, created, used, gesture id), by id."""
        rows = self.conn.execute("SELECT id, person_id, text, created, used, gesture_id FROM idea ORDER BY id")
        return list(rows)

    def add_whole(
        self,
        person_id: int | None,
        fields: dict[str, Any],
        tags: Iterable[str],
        dates: Sequence[NewOccasion],
        stamp: str,
        uid: str | None,
    ) -> int:
        """A person from servant's JSON, with their dates; with ``person_id`` they keep the
        id they had (an empty database); returns their id."""
        person_id = (
            self._insert_person(fields, tags, stamp, uid)
            if person_id is None
            else self._insert_as(person_id, fields, tags, stamp, uid)
        )
        self._insert_occasions([occasion_row(person_id, new, stamp) for new in dates])
        return person_id

    def _insert_as(
        self, person_id: int, fields: dict[str, Any], tags: Iterable[str], stamp: str, uid: str | None
    ) -> int:
        new = self._insert_person(fields, tags, stamp, uid)
        self.conn.execute("UPDATE person SET id = ? WHERE id = ?", (person_id, new))
        return person_id

    def add_gesture(
        self,
        gesture_id: int | None,
        person_id: int,
        row: GestureRow,
        stamp: str,
    ) -> int:
        """A gesture from servant's JSON: (on, kind, what, cost, occasion id, for date);
        its link was decided where it was logged (``decided_from`` says so once they are
        all in). Returns its id."""
        cursor = self.conn.execute(
            "INSERT INTO gesture (id, person_id, on_date, kind, what, cost, occasion_id, for_date, created)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (gesture_id, person_id, *row, stamp),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def decided_from_now(self, first: int) -> None:
        """Gestures from ``first`` on had their link decided when logged (unless an earlier
        one already marks where that began): the lowest id a file's gestures were given,
        whatever order they were added in."""
        self.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (DECIDED_FROM, str(first)))

    def add_idea_whole(self, person_id: int, text: str, created: str, used: str | None, gesture_id: int | None) -> None:
        """A gift idea from servant's JSON, given or not."""
        self.conn.execute(
            "INSERT INTO idea (person_id, text, created, used, gesture_id) VALUES (?, ?, ?, ?, ?)",
            (person_id, text, created, used, gesture_id),
        )
        self._touch(person_id, created)


def _fields(text: str) -> Iterator[tuple[str, str, bool]]:
    """The fields of a row of ``import_memory``: (field, value, kept). Only servant writes
    it; anything else found there (another program's value) is as if nothing had been
    remembered, so the next import is taken as a first one."""
    try:
        found = json.loads(text)
    except ValueError:
        return
    if not isinstance(found, dict):
        return
    for field, value in found.items():
        if isinstance(value, str):
            yield field, value, False
        elif isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and value[1] is True:
            yield field, value[0], True


def _by_person(rows: Iterable[tuple[int, str, str, bool]]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(person id, fields as ``import_memory`` holds them) for each run of ``rows`` of one
    person, one at a time (a person's rows come together; if not, the upsert merges them)."""
    person_id: int | None = None
    fields: dict[str, Any] = {}
    for row_person, field, value, kept in rows:
        if row_person != person_id:
            if person_id is not None:
                yield person_id, fields
            person_id, fields = row_person, {}
        fields[field] = [value, True] if kept else value
    if person_id is not None:
        yield person_id, fields
