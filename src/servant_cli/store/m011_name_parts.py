"""Schema step 11: the structured name an import brought.

``person.name_parts`` keeps the parts of a name as an address book gave them (vCard N,
Google's First/Middle/Last Name, LinkedIn's First/Last Name), with the name they came
with (``models.NameParts.text``), so that a vCard export writes them back instead of a
parser's guess; NULL for a name typed into servant, and for everyone imported before
(their next import fills it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def m011_name_parts(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE person ADD COLUMN name_parts TEXT")
    db.table("meta").upsert({"key": "schema_version", "value": "11"}, pk="key")
