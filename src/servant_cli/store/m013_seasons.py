"""Schema step 13: seasons, one occasion for everyone with a tag.

``season`` holds a named yearly day (``month``/``day``; ``rule`` is for a yearly rule
such as "2nd Sunday of May", NULL for a fixed day), the tags whose people it is for
(JSON, as ``person.tags``; none: everyone), the planned gesture and the lead time. Who
is in a season is not stored: it is whoever has one of its tags when it is read.
``shown`` is a digest of what its calendar event last showed of its people (their
names): when that changes (someone tagged, untagged, renamed), the season's
``sequence`` and ``updated`` move on, so that a calendar takes the new version.

``season_done`` says which gesture ticked a person off which occurrence of a season
(``for_date``): forgetting the gesture, or removing the season, takes the row with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def m013_seasons(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE season (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
            day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
            rule TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            plan TEXT,
            lead_days INTEGER,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            sequence INTEGER NOT NULL DEFAULT 0,
            shown TEXT
        )
        """
    )
    db.execute("CREATE UNIQUE INDEX season_name_key ON season(name_key)")
    db.execute(
        """
        CREATE TABLE season_done (
            gesture_id INTEGER PRIMARY KEY REFERENCES gesture(id) ON DELETE CASCADE,
            season_id INTEGER NOT NULL REFERENCES season(id) ON DELETE CASCADE,
            for_date TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX season_done_season ON season_done(season_id, for_date)")
    db.table("meta").upsert({"key": "schema_version", "value": "13"}, pk="key")
