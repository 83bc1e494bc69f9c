"""Schema step 14: a person's tags indexed by their folded form, and the digest's scans.

``person_tag`` holds one row per person and tag, the tag as ``text.fold`` gives it
("VIP" and "vip" are the one key "vip", "İstanbul" is "istanbul"): ``--tag`` reads the
people who carry a tag from there, rather than parsing and folding the tags of every
person in a window. ``person.tags`` stays what is shown; the store rewrites a person's
rows whenever it writes their tags (``PeopleStore._insert_person`` and ``_write_tags``),
and this step fills them for the people a file holds already (an upgraded database, a
restored backup).

The digest asks for the longest lead time of any date, and for everyone with a
keep-in-touch cadence: two partial indexes hold only the rows that have one, so each is
a probe rather than a scan of every date and every person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servant_cli.store.rows import tag_keys, tags_of

if TYPE_CHECKING:
    import sqlite_utils


def m014_tag_index(db: sqlite_utils.Database) -> None:
    # WITHOUT ROWID: the key is the whole row. ON UPDATE CASCADE: servant's JSON import
    # gives a person the id they had by changing it after the insert.
    db.execute(
        """
        CREATE TABLE person_tag (
            tag_key TEXT NOT NULL,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE ON UPDATE CASCADE,
            PRIMARY KEY (tag_key, person_id)
        ) WITHOUT ROWID
        """
    )
    # Removing a person (and rewriting their tags) finds their rows through this.
    db.execute("CREATE INDEX person_tag_person ON person_tag(person_id)")
    rows = db.execute("SELECT id, tags FROM person WHERE tags != '[]'").fetchall()
    db.conn.executemany(
        "INSERT INTO person_tag (tag_key, person_id) VALUES (?, ?)",
        [(key, person_id) for person_id, raw in rows for key in tag_keys(tags_of(raw))],
    )
    db.execute("CREATE INDEX occasion_lead_days ON occasion(lead_days) WHERE lead_days IS NOT NULL")
    db.execute("CREATE INDEX person_every_days ON person(every_days) WHERE every_days IS NOT NULL")
    db.table("meta").upsert({"key": "schema_version", "value": "14"}, pk="key")
