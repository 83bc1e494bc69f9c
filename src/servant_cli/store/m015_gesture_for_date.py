"""Schema step 15: the gestures counted for a date, indexed by that date.

The digest asks which dates of its window a gesture took care of, whoever's they are
(``MemoryStore.window_gestures``): through this partial index that is a range of the
few gestures counted for a day of the window, not a scan of every gesture ever logged
(calls and notes, which count for no date, are not in it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def m015_gesture_for_date(db: sqlite_utils.Database) -> None:
    db.execute("CREATE INDEX gesture_for_date ON gesture(for_date) WHERE for_date IS NOT NULL")
    db.table("meta").upsert({"key": "schema_version", "value": "15"}, pk="key")
