"""Schema step 16: what each import brought, one row per person and kind of file.

``import_field`` (step 8) held a row per person, kind of file and field: a first import
of 10,000 cards wrote some 52,000 of them, and their upserts were a sixth of the
import's time. ``import_memory`` holds one row per person and kind of file (``source``),
its fields as one JSON object: a field's value as the text ``importers.reconcile``
writes, or ``[text, true]`` when servant's own value was kept over it in a conflict
(so ``--prefer-file`` can still take it). What is remembered, and how a re-import uses
it, is unchanged; ``ImportStore`` reads and writes it field by field as before.

This step moves every row of ``import_field`` into ``import_memory`` and drops it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def m016_import_memory(db: sqlite_utils.Database) -> None:
    # WITHOUT ROWID: the key is stored once, not in the table and again in its index.
    db.execute(
        """
        CREATE TABLE import_memory (
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            fields TEXT NOT NULL,
            PRIMARY KEY (person_id, source)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        """
        INSERT INTO import_memory (person_id, source, fields)
        SELECT person_id, source,
            json_group_object(field, CASE WHEN kept THEN json_array(value, json('true')) ELSE value END)
        FROM import_field GROUP BY person_id, source
        """
    )
    db.execute("DROP TABLE import_field")
    db.table("meta").upsert({"key": "schema_version", "value": "16"}, pk="key")
