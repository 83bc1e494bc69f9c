"""Seasons: one occasion for everyone with a tag, and who was ticked off for it.

A season's people are not stored: they are whoever carries one of its tags when it is
read (``people(tags)``), so someone tagged later joins it and someone untagged leaves
it. What is stored is who was done: a row of ``season_done`` ties a gesture to a season
and the day of the occurrence it counted for; forgetting the gesture un-ticks them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from servant_cli.errors import BadInput, NotFound
from servant_cli.models import Gesture, Season
from servant_cli.store.memory import DECIDED_FROM
from servant_cli.store.published import PublishedStore
from servant_cli.store.rows import GESTURE_COLS, gesture_of, now_stamp, tags_of
from servant_cli.text import fold, json_text

SEASON_COLS = "s.id, s.name, s.month, s.day, s.tags, s.plan, s.lead_days, s.rule, s.updated, s.sequence, s.created"


def season_of(row: Sequence[Any]) -> Season:
    """A Season from the columns of ``SEASON_COLS``, in that order."""
    return Season(row[0], row[1], row[2], row[3], tags_of(row[4]), *row[5:11])


def season_key(name: str) -> str:
    """The form a season's name is matched in: case, accents and spacing aside."""
    return " ".join(fold(name).split())


class SeasonStore(PublishedStore):
    """Seasons and the gestures that ticked people off them."""

    def add_season(
        self,
        name: str,
        month: int,
        day: int,
        *,
        tags: Sequence[str] = (),
        plan: str | None = None,
        lead_days: int | None = None,
        rule: str | None = None,
        season_id: int | None = None,
    ) -> Season:
        """Store a new season (with ``season_id``: under that id, a file's); a name already
        taken (case and accents aside) is refused."""
        stamp = now_stamp()
        key = season_key(name)
        with self.transaction():
            taken = self.conn.execute("SELECT name FROM season WHERE name_key = ?", (key,)).fetchone()
            if taken is not None:
                raise BadInput(f"NAME: there is a season {taken[0]!r} already; pick another name, or remove it first")
            cursor = self.conn.execute(
                "INSERT INTO season (id, name, name_key, month, day, rule, tags, plan, lead_days, created, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    season_id,
                    name,
                    key,
                    month,
                    day,
                    rule,
                    json_text(list(tags)),
                    plan,
                    lead_days,
                    stamp,
                    stamp,
                ),
            )
        return Season(cursor.lastrowid or 0, name, month, day, tuple(tags), plan, lead_days, rule, stamp, 0, stamp)

    def seasons(self) -> list[Season]:
        """Every season, by name."""
        rows = self.conn.execute(f"SELECT {SEASON_COLS} FROM season s")
        return sorted(map(season_of, rows), key=lambda season: (season_key(season.name), season.id))

    def find_season(self, query: str) -> Season:
        """The season ``query`` names: its whole name, or the start of one name only, case
        and accents aside; an unknown name suggests the closest ones."""
        key = season_key(query)
        if not key:
            raise BadInput("no season given; use its name (see 'servant season list')")
        every = self.seasons()
        exact = [season for season in every if season_key(season.name) == key]
        found = exact or [season for season in every if season_key(season.name).startswith(key)]
        if len(found) == 1:
            return found[0]
        if found:
            names = ", ".join(repr(season.name) for season in found)
            raise BadInput(f"{query.strip()!r} is the start of several seasons: {names}; give more of the name")
        raise NotFound(_not_found(query.strip(), every))

    def remove_season(self, season_id: int) -> None:
        """Delete a season; the gestures logged for it stay, ticking no one off."""
        with self.transaction():
            gone = self.conn.execute("DELETE FROM season WHERE id = ?", (season_id,))
            if gone.rowcount != 1:
                raise NotFound("that season is gone already; nothing was changed")

    def season_done(self, season_id: int, for_date: date) -> dict[int, Gesture]:
        """Who was ticked off this occurrence of the season, and by which gesture (the
        first logged, when there were several)."""
        rows = self.conn.execute(
            f"SELECT {GESTURE_COLS} FROM gesture g JOIN season_done d ON d.gesture_id = g.id"
            " WHERE d.season_id = ? AND d.for_date = ? ORDER BY g.on_date DESC, g.id DESC",
            (season_id, for_date.isoformat()),
        )
        return {gesture.person_id: gesture for gesture in map(gesture_of, rows)}

    def seasons_of_gestures(self, gesture_ids: Iterable[int]) -> dict[int, tuple[int, date]]:
        """The season and occurrence each of these gestures ticked someone off for, by gesture id."""
        rows = self.conn.execute(
            "SELECT gesture_id, season_id, for_date FROM season_done"
            " WHERE gesture_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(gesture_ids)),),
        )
        return {row[0]: (row[1], date.fromisoformat(row[2])) for row in rows}

    def log_for_season(
        self,
        season_id: int,
        for_date: date,
        person_ids: Sequence[int],
        on: date,
        kind: str,
        what: str | None = None,
        *,
        cost: str | None = None,
        idea_id: int | None = None,
    ) -> list[Gesture]:
        """Record the same gesture for each of ``person_ids``, each ticking them off this
        occurrence of the season, in one transaction: all of them or none. A gift from an
        idea (``idea_id``, one person only) marks the idea used."""
        stamp = now_stamp()
        logged: list[Gesture] = []
        with self.transaction():
            if self.conn.execute("SELECT 1 FROM season WHERE id = ?", (season_id,)).fetchone() is None:
                raise NotFound("that season was removed a moment ago; nothing was logged")
            for person_id in person_ids:
                cursor = self.conn.execute(
                    "INSERT INTO gesture (person_id, on_date, kind, what, cost, occasion_id, for_date, created)"
                    " VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)",
                    (person_id, on.isoformat(), kind, what, cost, stamp),
                )
                gesture_id = cursor.lastrowid or 0
                self.conn.execute(
                    "INSERT INTO season_done (gesture_id, season_id, for_date) VALUES (?, ?, ?)",
                    (gesture_id, season_id, for_date.isoformat()),
                )
                # As MemoryStore.log_gesture: the link of this gesture was decided as it was logged.
                self.conn.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (DECIDED_FROM, str(gesture_id))
                )
                logged.append(Gesture(gesture_id, person_id, on, kind, what, cost))
            if idea_id is not None and len(logged) == 1:
                given = self.conn.execute(
                    "UPDATE idea SET used = ?, gesture_id = ? WHERE id = ? AND used IS NULL",
                    (on.isoformat(), logged[0].id, idea_id),
                )
                if given.rowcount != 1:  # another command gave it a moment ago
                    raise BadInput(f"--idea: #{idea_id} was given already; nothing was logged")
                self._touch(logged[0].person_id, stamp)
        return logged

    def shown_seasons(self, shown: Mapping[int, str]) -> dict[int, Season]:
        """Record what each season's event shows now (``shown``: a digest, by season id);
        a season whose digest changed gets a higher ``sequence`` and a new ``updated``
        (a first digest counts nothing). Every season, by id, as it is after that."""
        stamp = now_stamp()
        rows = self.conn.execute("SELECT id, shown FROM season").fetchall()
        changed = [season_id for season_id, before in rows if season_id in shown and shown[season_id] != before]
        if changed and not self.read_only:  # read-only: exported as it was, recorded next time
            with self.transaction():
                for season_id in changed:
                    self.conn.execute(
                        "UPDATE season SET sequence = sequence + (shown IS NOT NULL),"
                        " updated = CASE WHEN shown IS NULL THEN updated ELSE ? END, shown = ? WHERE id = ?",
                        (stamp, shown[season_id], season_id),
                    )
        return {season.id: season for season in self.seasons()}

    def season_named(self, query: str) -> Season | None:
        """The season whose whole name is ``query`` (case, accents and spacing aside), if any."""
        row = self.conn.execute(
            f"SELECT {SEASON_COLS} FROM season s WHERE name_key = ?", (season_key(query),)
        ).fetchone()
        return season_of(row) if row else None

    def tick_season(self, gesture_id: int, season_id: int, for_date: date) -> None:
        """Say that a stored gesture ticked its person off this occurrence of the season
        (servant's JSON); once only."""
        with self.transaction():
            self.conn.execute(
                "INSERT OR IGNORE INTO season_done (gesture_id, season_id, for_date) VALUES (?, ?, ?)",
                (gesture_id, season_id, for_date.isoformat()),
            )

    def import_season(self, season: Season, *, keep_id: bool = False) -> Season | None:
        """Store a season read from a file unless one of that name is there (None then);
        with ``keep_id``, under the file's id when no season has it."""
        key = season_key(season.name)
        if self.conn.execute("SELECT 1 FROM season WHERE name_key = ?", (key,)).fetchone() is not None:
            return None
        taken = self.conn.execute("SELECT 1 FROM season WHERE id = ?", (season.id,)).fetchone() is not None
        return self.add_season(
            season.name,
            season.month,
            season.day,
            tags=season.tags,
            plan=season.plan,
            lead_days=season.lead_days,
            rule=season.rule,
            season_id=season.id if keep_id and not taken else None,
        )


def _not_found(text: str, seasons: Sequence[Season]) -> str:
    """No season called ``text``, and the ones it may have meant."""
    from difflib import get_close_matches

    if not seasons:
        return f"there is no season {text!r}; there are none yet ('servant season add' adds one)"
    keys = {season_key(season.name): season.name for season in seasons}
    close = [keys[key] for key in get_close_matches(season_key(text), list(keys), n=3, cutoff=0.6)]
    if not close:
        return f"there is no season {text!r}; see 'servant season list'"
    listed = close[0] if len(close) == 1 else f"{', '.join(map(repr, close[:-1]))} or {close[-1]!r}"
    listed = repr(listed) if len(close) == 1 else listed
    return f"there is no season {text!r}; did you mean {listed}? See 'servant season list'"
