"""The writes an import makes (in one ``transaction``, not kept for a dry run).

Who a record is and what changes is decided in ``importers.matching`` and run by
``services.importing``; this file holds only the SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from servant_cli.store.memory import MemoryStore
from servant_cli.store.rows import NewOccasion, occasion_record


class ImportStore(MemoryStore):
    """What an import needs of the store, on top of people, dates and memory."""

    def match_keys(self) -> Iterator[tuple[int, str | None, str | None, str]]:
        """Every stored person's id, source UID, email and name key: what a record is matched on."""
        yield from self.conn.execute("SELECT id, source_uid, email, name_key FROM person")

    def add_imported(
        self, fields: dict[str, Any], tags: Iterable[str], dates: Sequence[NewOccasion], stamp: str, uid: str | None
    ) -> int:
        """A new person from an address book, with their dates; returns their id."""
        person_id = self._insert_person(fields, tags, stamp, uid)
        self._insert_occasions([occasion_record(person_id, new, stamp) for new in dates])
        return person_id

    def set_source_uid(self, person_id: int, uid: str) -> None:
        """Remember the address book's id for a person matched by email or name."""
        self.conn.execute("UPDATE person SET source_uid = ? WHERE id = ?", (uid, person_id))
