"""Schema step 12: a custom date may be a yearly rule.

``occasion.rule`` holds the rule's stored form (``dates.Rule.text``: ``2SU/5`` for the
2nd Sunday of May, ``-1MO/5`` for the last Monday of May, ``easter+49``), NULL for a
date on a fixed day (every date stored before). A rule date's ``month`` and ``day`` (and
``md``) hold the earliest day the rule can give (``Rule.earliest``), and its ``year`` is
NULL. The month-day index cannot find a day that moves, so the upcoming query reads
every rule date besides its month-day range; the covering index gains the column, so
that range still never visits the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def m012_rules(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE occasion ADD COLUMN rule TEXT")
    db.execute("DROP INDEX occasion_md")
    db.execute(
        "CREATE INDEX occasion_md ON occasion(md, person_id, id, kind, month, day, year, label,"
        " yearly, lead_days, plan, updated, sequence, rule)"
    )
    db.execute("CREATE INDEX occasion_rule ON occasion(rule) WHERE rule IS NOT NULL")
    db.table("meta").upsert({"key": "schema_version", "value": "12"}, pk="key")
