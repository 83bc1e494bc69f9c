"""What was done for whom, gift ideas, and keeping in touch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from servant_cli.errors import BadInput, NotFound
from servant_cli.models import Gesture, Idea, Person
from servant_cli.store.people import PeopleStore
from servant_cli.store.rows import GESTURE_COLS, PERSON_COLS, gesture_of, ids_json, now_stamp, person_of, tag_filter

#: The meta key that holds ``MemoryStore.decided_from``.
DECIDED_FROM = "gestures_decided_from"


class Contents(NamedTuple):
    """How much a database holds (``servant info``)."""

    people: int
    dates: int
    gestures: int
    ideas: int


class MemoryStore(PeopleStore):
    """Gestures, gift ideas and keep-in-touch, on top of people and their dates."""

    def log_gesture(
        self,
        person_id: int,
        on: date,
        kind: str,
        what: str | None = None,
        *,
        cost: str | None = None,
        occasion_id: int | None = None,
        for_date: date | None = None,
        idea_id: int | None = None,
    ) -> Gesture:
        """Record something done for a person, with the occurrence it counts for (none when
        ``occasion_id`` is None); a gift from an idea marks the idea used."""
        stamp = now_stamp()
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT INTO gesture (person_id, on_date, kind, what, cost, occasion_id, for_date, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    person_id,
                    on.isoformat(),
                    kind,
                    what,
                    cost,
                    occasion_id,
                    for_date.isoformat() if for_date else None,
                    stamp,
                ),
            )
            # The first gesture whose link was decided when it was logged: those before it
            # were logged by a version that decided when it read them (``decided_from``).
            self.conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (DECIDED_FROM, str(cursor.lastrowid))
            )
            if idea_id is not None:
                given = self.conn.execute(
                    "UPDATE idea SET used = ?, gesture_id = ? WHERE id = ? AND used IS NULL",
                    (on.isoformat(), cursor.lastrowid, idea_id),
                )
                if given.rowcount != 1:  # another command gave it a moment ago
                    raise BadInput(f"--idea: #{idea_id} was given already; nothing was logged")
                self._touch(person_id, stamp)
        return Gesture(cursor.lastrowid or 0, person_id, on, kind, what, cost, occasion_id, for_date)

    def decided_from(self) -> int | None:
        """The id of the first gesture logged with its link decided (``log_gesture``); None
        when none was: every gesture then comes from a version that decided on reading."""
        value = self.meta(DECIDED_FROM)
        return int(value) if value else None

    def gestures_of(self, person_id: int | None) -> list[Gesture]:
        """A person's gestures (everyone's with None), newest first."""
        where, params = ("WHERE g.person_id = ?", (person_id,)) if person_id is not None else ("", ())
        rows = self.conn.execute(
            f"SELECT {GESTURE_COLS} FROM gesture g {where} ORDER BY g.on_date DESC, g.id DESC", params
        )
        return [gesture_of(row) for row in rows]

    def person_gestures(self, person_id: int, limit: int | None = None) -> Iterator[Gesture]:
        """A person's gestures, newest first (the latest ``limit`` of them), one at a time."""
        rows = self.conn.execute(
            f"SELECT {GESTURE_COLS} FROM gesture g WHERE g.person_id = ? ORDER BY g.on_date DESC, g.id DESC LIMIT ?",
            (person_id, -1 if limit is None else limit),
        )
        return map(gesture_of, rows)

    def gesture_count(self, person_id: int) -> int:
        """How many gestures a person has."""
        count: int = self.conn.execute("SELECT count(*) FROM gesture WHERE person_id = ?", (person_id,)).fetchone()[0]
        return count

    def get_gesture(self, gesture_id: int) -> Gesture | None:
        if not 0 < gesture_id < 2**63:
            return None
        row = self.conn.execute(f"SELECT {GESTURE_COLS} FROM gesture g WHERE g.id = ?", (gesture_id,)).fetchone()
        return gesture_of(row) if row else None

    def forget_gesture(self, gesture_id: int) -> list[Idea]:
        """Delete a gesture; the gift ideas it gave are not given any more (returned).
        NotFound when it is gone already (another command took it a moment ago)."""
        with self.transaction():
            rows = self.conn.execute(
                "SELECT id, person_id, text, created FROM idea WHERE gesture_id = ? ORDER BY id", (gesture_id,)
            ).fetchall()
            self.conn.execute("UPDATE idea SET used = NULL, gesture_id = NULL WHERE gesture_id = ?", (gesture_id,))
            gone = self.conn.execute("DELETE FROM gesture WHERE id = ?", (gesture_id,))
            if gone.rowcount != 1:
                raise NotFound(f"there is no gesture #{gesture_id}; nothing was changed")
            ideas = [Idea(*row) for row in rows]
            if ideas:
                self._touch(ideas[0].person_id, now_stamp())  # an exported event lists the ideas not given
        return ideas

    def forget_idea(self, idea_id: int) -> None:
        """Delete a gift idea (a gift logged from it stays). NotFound when it is gone already."""
        with self.transaction():
            row = self.conn.execute("SELECT person_id, used FROM idea WHERE id = ?", (idea_id,)).fetchone()
            if row is None:
                raise NotFound(f"there is no gift idea #{idea_id}; nothing was changed")
            self.conn.execute("DELETE FROM idea WHERE id = ?", (idea_id,))
            if row[1] is None:
                self._touch(row[0], now_stamp())  # an exported event lists the ideas not given

    def counted_reach(self, since: date, today: date) -> date | None:
        """The last day a gesture up to ``today`` may count for: the latest one is linked
        to (logged whenever: ``log --for`` links a gift to a one-off date two years
        ahead), or a lead window (364 days) past today when one an earlier version
        logged undecided from ``since`` on is among them. None: no gesture counts."""
        decided_from = self.decided_from()
        (linked,) = self.conn.execute(
            "SELECT max(for_date) FROM gesture WHERE for_date IS NOT NULL AND on_date <= ? AND kind != 'note'",
            (today.isoformat(),),
        ).fetchone()
        (undecided,) = self.conn.execute(
            "SELECT max(occasion_id IS NULL AND for_date IS NULL AND (? IS NULL OR id < ?))"
            " FROM gesture WHERE kind != 'note' AND on_date BETWEEN ? AND ?",
            (decided_from, decided_from, since.isoformat(), today.isoformat()),
        ).fetchone()
        found = [date.fromisoformat(linked)] if linked else []
        if undecided:
            found.append(today + timedelta(days=364))
        return max(found, default=None)

    def marking_gestures(
        self,
        person_ids: Iterable[int],
        since: date,
        today: date,
        first: date,
        last: date,
        *,
        counted: bool = True,
    ) -> dict[int, list[Gesture]]:
        """What ``upcoming`` needs of these people's gestures (notes aside) to mark the
        occurrences from ``first`` to ``last``, newest first: each one's latest up to
        ``today``, those up to ``today`` counted for a day from ``first`` to ``last``
        (however long before it they were logged), and those an earlier version logged
        from ``since`` on without deciding (judged on reading).

        Only these: a person with 300,000 gestures costs what one with three does. Without
        ``counted`` (the days are past ``counted_reach``), only the latest.
        """
        # Each person is probed for their latest gesture, unless the book holds fewer
        # gestures than the window has people: then only those who have one are (ids are
        # never given twice, so the highest is at least how many gestures there are). In
        # a book with none, most often, nothing is read, not even the window's people.
        most = self.conn.execute("SELECT max(id) FROM gesture").fetchone()[0]
        if most is None:
            return {}
        people = set(person_ids)
        if most < len(people):
            people &= {row[0] for row in self.conn.execute("SELECT DISTINCT person_id FROM gesture")}
            if not people:
                return {}
        ids = ids_json(people)
        # The latest up to today, as upcoming has always shown it: one from before
        # ``since`` only when no gesture is dated after today (then none is shown).
        latest = self.conn.execute(
            f"SELECT {GESTURE_COLS} FROM gesture g WHERE g.id IN (SELECT (SELECT g2.id FROM gesture g2"
            " WHERE g2.person_id = ids.value AND g2.kind != 'note' AND g2.on_date <= ?"
            " ORDER BY g2.on_date DESC, g2.id DESC LIMIT 1) FROM json_each(?) ids)"
            " AND (g.on_date >= ? OR NOT EXISTS (SELECT 1 FROM gesture g3 WHERE g3.person_id = g.person_id"
            " AND g3.kind != 'note' AND g3.on_date > ?))",
            (today.isoformat(), ids, since.isoformat(), today.isoformat()),
        )
        if not counted:
            return {gesture.person_id: [gesture] for gesture in map(gesture_of, latest)}
        found: dict[int, Gesture] = {}
        for row in (*latest, *self._marking_rows(since, today, first, last, ids)):
            gesture = gesture_of(row)
            found[gesture.id] = gesture
        by_person: dict[int, list[Gesture]] = {}
        for gesture in sorted(found.values(), key=lambda g: (g.on, g.id), reverse=True):
            by_person.setdefault(gesture.person_id, []).append(gesture)
        return by_person

    def window_gestures(self, since: date, today: date, first: date, last: date) -> list[Gesture]:
        """Everyone's gestures that may mark an occurrence from ``first`` to ``last``
        (``marking_gestures`` without its people): what the digest needs to know which of
        a window's dates were taken care of, whoever's they are, without reading the
        dates one by one."""
        return [gesture_of(row) for row in self._marking_rows(since, today, first, last)]

    def _marking_rows(self, since: date, today: date, first: date, last: date, ids: str | None = None) -> list[Any]:
        """The rows of the gestures that may mark an occurrence from ``first`` to
        ``last`` (of the people ``ids``, a JSON array, when given):

        - those up to ``today`` counted for one of its days, however long before it they
          were logged, for a date of the gesture's own person: a range of the partial
          index ``gesture_for_date``, a few however many gestures there are;
        - those an earlier version logged undecided from ``since`` to ``today`` (judged on
          reading): the ids below ``decided_from``, every one when nothing was logged since.
        """
        who, whose = (" AND g.person_id IN (SELECT value FROM json_each(?))", (ids,)) if ids else ("", ())
        rows = self.conn.execute(
            f"SELECT {GESTURE_COLS} FROM gesture g INDEXED BY gesture_for_date WHERE g.for_date BETWEEN ? AND ?"
            " AND g.on_date <= ? AND g.kind != 'note'"
            " AND EXISTS (SELECT 1 FROM occasion o WHERE o.id = g.occasion_id AND o.person_id = g.person_id)" + who,
            (first.isoformat(), last.isoformat(), today.isoformat(), *whose),
        ).fetchall()
        decided_from = self.decided_from()
        undecided = "g.occasion_id IS NULL AND g.for_date IS NULL AND g.on_date BETWEEN ? AND ? AND g.kind != 'note'"
        logged = (since.isoformat(), today.isoformat(), *whose)
        if decided_from is None:
            sql, params = f"WHERE {undecided}{who}", logged
        else:
            sql, params = f"WHERE g.id < ? AND {undecided}{who}", (decided_from, *logged)
        return rows + self.conn.execute(f"SELECT {GESTURE_COLS} FROM gesture g {sql}", params).fetchall()

    def occasion_gestures(self, person_ids: Iterable[int], occasion_ids: Iterable[int], before: date) -> list[Gesture]:
        """The gestures of these people counted for an occurrence of one of these occasions
        before ``before``, and those an earlier version logged without deciding before then
        (judged on reading, ``services.memory.counting``), in no order (``agenda.history_of``
        sorts them): one query for the history of every date in a window
        (``services.memory.with_history``).

        The person's index finds them (``gesture_person``); the occasion and the day are
        read from the rows it gives."""
        decided_from = self.decided_from()
        rows = self.conn.execute(
            f"SELECT {GESTURE_COLS} FROM gesture g WHERE g.person_id IN (SELECT value FROM json_each(?))"
            " AND g.kind != 'note' AND ((g.occasion_id IN (SELECT value FROM json_each(?)) AND g.for_date < ?)"
            " OR (g.occasion_id IS NULL AND g.for_date IS NULL AND g.on_date < ? AND (? IS NULL OR g.id < ?)))",
            (ids_json(person_ids), ids_json(occasion_ids), *(before.isoformat(),) * 2, decided_from, decided_from),
        )
        return [gesture_of(row) for row in rows]

    def last_gifts(self, person_ids: Iterable[int], until: date = date.max) -> dict[int, Gesture]:
        """Each of these people's latest gift up to ``until`` (the digest names it, so the
        next can top it)."""
        rows = self.conn.execute(
            f"SELECT {GESTURE_COLS} FROM gesture g WHERE g.id IN (SELECT (SELECT g2.id FROM gesture g2"
            " WHERE g2.person_id = ids.value AND g2.kind = 'gift' AND g2.on_date <= ?"
            " ORDER BY g2.on_date DESC, g2.id DESC LIMIT 1) FROM json_each(?) ids)",
            (until.isoformat(), ids_json(person_ids)),
        )
        return {gesture.person_id: gesture for gesture in map(gesture_of, rows)}

    def add_idea(self, person_id: int, text: str) -> Idea:
        stamp = now_stamp()
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT INTO idea (person_id, text, created) VALUES (?, ?, ?)", (person_id, text, stamp)
            )
            self._touch(person_id, stamp)  # an exported event lists the ideas
        return Idea(cursor.lastrowid or 0, person_id, text, stamp)

    def ideas(self, person_id: int | None = None, *, used: bool = False) -> list[Idea]:
        """Gift ideas, oldest first; only those not given yet unless ``used``."""
        sql = "SELECT id, person_id, text, created, used FROM idea"
        conditions, params = [], []
        if person_id is not None:
            conditions.append("person_id = ?")
            params.append(person_id)
        if not used:
            conditions.append("used IS NULL")
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        rows = self.conn.execute(sql + " ORDER BY id", params)
        return [Idea(i, p, text, c, date.fromisoformat(u) if u else None) for i, p, text, c, u in rows]

    def get_idea(self, idea_id: int) -> Idea | None:
        if not 0 < idea_id < 2**63:
            return None
        row = self.conn.execute(
            "SELECT id, person_id, text, created, used FROM idea WHERE id = ?", (idea_id,)
        ).fetchone()
        if row is None:
            return None
        return Idea._make((*row[:4], date.fromisoformat(row[4]) if row[4] else None))

    def ideas_by_person(self, person_ids: Iterable[int]) -> dict[int, list[Idea]]:
        """Unused ideas of each of these people."""
        found: dict[int, list[Idea]] = {}
        rows = self.conn.execute(
            "SELECT id, person_id, text, created FROM idea WHERE used IS NULL"
            " AND person_id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (ids_json(person_ids),),
        )
        for row in rows:
            found.setdefault(row[1], []).append(Idea(*row))
        return found

    def keep_in_touch(self, tags: Sequence[str] = ()) -> Iterator[tuple[Person, date | None]]:
        """Everyone with a keep-in-touch cadence (and any of ``tags``), with the day of their
        last gesture (notes aside), one at a time."""
        where, params = tag_filter(tags)
        rows = self.conn.execute(
            f"SELECT {PERSON_COLS}, (SELECT max(g.on_date) FROM gesture g WHERE g.person_id = p.id"
            " AND g.kind != 'note') FROM person p WHERE p.every_days IS NOT NULL" + (f" AND {where}" if where else ""),
            params,
        )
        for row in rows:
            yield person_of(row), date.fromisoformat(row[-1]) if row[-1] else None

    def contents(self) -> Contents:
        """How many people, key dates, gestures and gift ideas (given or not) there are."""
        row = self.conn.execute(
            "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM occasion),"
            " (SELECT count(*) FROM gesture), (SELECT count(*) FROM idea)"
        ).fetchone()
        return Contents(*row)

    def _touch(self, person_id: int, stamp: str) -> None:
        """The person changed as a calendar sees them: a new DTSTAMP and SEQUENCE."""
        self.conn.execute("UPDATE person SET updated = ?, sequence = sequence + 1 WHERE id = ?", (stamp, person_id))

    def gestures_between(self, start: date, end: date) -> list[Gesture]:
        """Everyone's gestures from ``start`` to ``end`` (both included), notes aside,
        oldest first: what ``servant stats`` counts for a year."""
        rows = self.conn.execute(
            f"SELECT {GESTURE_COLS} FROM gesture g WHERE g.on_date BETWEEN ? AND ? AND g.kind != 'note'"
            " ORDER BY g.on_date, g.id",
            (start.isoformat(), end.isoformat()),
        )
        return [gesture_of(row) for row in rows]
