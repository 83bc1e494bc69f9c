"""People and their key dates (their family: ``store.family``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from servant_cli.errors import Ambiguous, BadInput, NotFound
from servant_cli.models import Occasion, Person, many_records, merge_tags, name_key, name_order
from servant_cli.store.connection import insert_rows, insert_sql
from servant_cli.store.family import FamilyStore
from servant_cli.store.rows import (
    BY_NAME,
    LIGHT_COLS,
    LIST_COLS,
    OCC_COLS,
    OCCASION_COLUMNS,
    PERSON_COLS,
    PERSON_FIELDS,
    PERSON_WIDTH,
    DateGroup,
    DateKey,
    Leads,
    NewOccasion,
    NewPerson,
    ids_json,
    light_records,
    list_person_of,
    now_stamp,
    occasion_of,
    occasion_record,
    occasion_row,
    person_of,
    tag_filter,
    tag_keys,
    tags_of,
)
from servant_cli.store.search import (
    RELATIONS_COL,
    SEARCHED_COLS,
    Known,
    Match,
    by_words,
    known,
    matches,
    may_hold,
    phone_digits,
    suggestions,
)
from servant_cli.text import fold, search_key


def _name_order(person: Person) -> tuple[str, str, int]:
    return (*name_order(person.name), person.id)


def _merged(ordered: list[Person], others: list[Person]) -> list[Person]:
    """Two lists sorted by ``_name_order`` as one: each of the few ``others`` is put in its
    place by bisection, the long ``ordered`` list is copied a slice at a time."""
    from bisect import bisect

    merged: list[Person] = []
    start = 0
    for person in others:
        place = bisect(ordered, _name_order(person), lo=start, key=_name_order)
        merged += ordered[start:place]
        merged.append(person)
        start = place
    merged += ordered[start:]
    return merged


def _cut(text: str, limit: int = 40) -> str:
    """``text`` as an error message quotes it: at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit] + "…"


def _not_found(text: str, close: Sequence[Known]) -> str:
    """No one called ``text``: and who it may have meant ("did you mean Margaret O'Brien (#12)?")."""
    text = _cut(text)
    if not close:
        return f"no one called {text!r}; see 'servant list'"
    names = [f"{person.name} (#{person.id})" for person in close]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"no one called {text!r}; did you mean {listed}? See 'servant list'"


#: One row of ``person_tag``: a tag's ``text.fold`` key and the person who carries it.
TAG_COLUMNS = ("tag_key", "person_id")
TAG_INSERT = insert_sql("person_tag", TAG_COLUMNS)


def feb29_may_fall(start: date, end: date) -> bool:
    """Whether a Feb 29 date may fall on a day from ``start`` to ``end`` outside their
    month-day range: on Feb 28 or Mar 1, where a common year puts it (``dates.occurrence_in``)."""
    return any(
        start <= date(year, month, day) <= end
        for year in range(start.year, end.year + 1)
        for month, day in ((2, 28), (3, 1))
    )


#: The columns of a new person's row, in the order ``_person_row`` gives them.
NEW_PERSON_COLUMNS = (*PERSON_FIELDS, "name_key", "tags", "source_uid", "created", "updated")


def _person_row(fields: dict[str, Any], tags: Iterable[str], stamp: str, uid: str | None) -> list[Any]:
    """A new person's row: ``fields``, their tags as JSON, name key, stamps."""
    get = fields.get
    listed = list(tags)
    return [
        *[get(key) for key in PERSON_FIELDS],
        name_key(fields["name"]),
        json.dumps(listed) if listed else "[]",
        uid,
        stamp,
        stamp,
    ]


def _tag_rows(person_id: int, tags: str) -> list[tuple[str, int]]:
    """A person's rows of ``person_tag``, from their tags' JSON column as written."""
    return [(key, person_id) for key in tag_keys(tags_of(tags))]


#: Where a new person's row has their tags as JSON.
_TAGS_AT = NEW_PERSON_COLUMNS.index("tags")
#: The largest id SQLite gives a row (2^63 - 1).
MAX_ID = (1 << 63) - 1


class NewRows:
    """New people's rows, held to be written together (``PeopleStore.write_new``), a
    thousand people at a time, each person with the id SQLite would give them one by one;
    ``connection.insert_rows`` writes a hundred rows to a statement: an import of 10,000
    cards runs about 330 statements, not 32,000."""

    #: The most people held: then they are written, so what is held stays small (1-2 MB).
    AT_MOST = 1_000

    def __init__(self) -> None:
        #: The id the next person held is given (None: read it when one is held).
        self.next_id: int | None = None
        #: Rows of ``person``: the id, then ``NEW_PERSON_COLUMNS``.
        self.people: list[list[Any]] = []
        #: Rows of ``occasion`` (``rows.occasion_row``).
        self.occasions: list[tuple[Any, ...]] = []
        self.tags: list[tuple[str, int]] = []


class PeopleStore(FamilyStore):
    """People and their occasions (the store's first layer above the connection)."""

    def add_person(
        self,
        name: str,
        *,
        tags: Iterable[str] = (),
        occasions: Iterable[NewOccasion] = (),
        **fields: Any,
    ) -> Person:
        """Store a person and their key dates in one transaction."""
        with self.transaction():
            person_id = self._insert_person({**fields, "name": name}, tags, now_stamp())
            for occasion in occasions:
                self.set_occasion(person_id, occasion)
        person = self.get_person(person_id)
        assert person is not None
        return person

    def add_people(self, people: Iterable[NewPerson]) -> int:
        """Store many people and their key dates in one transaction; returns how many."""
        stamp = now_stamp()
        count = 0
        with self.transaction():
            held = NewRows()
            for new in people:
                fields = {key: getattr(new, key) for key in PERSON_FIELDS if hasattr(new, key)}
                self._hold_person(held, fields, new.tags, new.occasions, stamp)
                count += 1
            self.write_new(held)
        return count

    def _insert_person(self, fields: dict[str, Any], tags: Iterable[str], stamp: str, uid: str | None = None) -> int:
        """One INSERT through the plain connection, and the person's rows of ``person_tag``."""
        row = _person_row(fields, tags, stamp, uid)
        cursor = self.conn.execute(insert_sql("person", NEW_PERSON_COLUMNS), row)
        assert cursor.lastrowid is not None
        if row[_TAGS_AT] != "[]":
            self.conn.executemany(TAG_INSERT, _tag_rows(cursor.lastrowid, row[_TAGS_AT]))
        return cursor.lastrowid

    def _hold_person(
        self,
        held: NewRows,
        fields: dict[str, Any],
        tags: Iterable[str],
        occasions: Iterable[NewOccasion],
        stamp: str,
        uid: str | None = None,
    ) -> int:
        """A new person and their dates held in ``held``, to be written by ``write_new``
        before anything reads or writes people again; returns the id they will have."""
        if held.next_id is None:
            held.next_id = (
                1
                + self.conn.execute(
                    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'person'), 0),"
                    " coalesce((SELECT max(id) FROM person), 0))"
                ).fetchone()[0]
            )
        person_id = held.next_id
        if person_id > MAX_ID:  # SQLite says the database is full, as for a person added alone
            self.write_new(held)
            return self._insert_person(fields, tags, stamp, uid)
        held.next_id += 1
        row = _person_row(fields, tags, stamp, uid)
        tags_text = row[_TAGS_AT]
        row.insert(0, person_id)
        held.people.append(row)
        if tags_text != "[]":
            held.tags += _tag_rows(person_id, tags_text)
        held.occasions += [occasion_row(person_id, occasion, stamp) for occasion in occasions]
        if len(held.people) >= NewRows.AT_MOST:
            self.write_new(held)
        return person_id

    def write_new(self, held: NewRows) -> None:
        """Write the people ``held`` holds, with their dates and tags, and empty it.
        AUTOINCREMENT gives a new row the largest id the table has had, plus one: the
        ids ``_hold_person`` gave (from that, counted on in this transaction) are those."""
        if held.people:
            insert_rows(self.conn, "person", ("id", *NEW_PERSON_COLUMNS), held.people)
            self._insert_occasions(held.occasions)
            insert_rows(self.conn, "person_tag", TAG_COLUMNS, held.tags)
        held.people, held.occasions, held.tags, held.next_id = [], [], [], None

    def _write_tags(self, person_id: int, tags: str) -> None:
        """Index a person's new tags (their JSON column, as written) by folded key in
        ``person_tag``, which ``--tag`` reads (``rows.tag_filter``): every write of tags
        comes here or through ``_insert_person``."""
        self.conn.execute("DELETE FROM person_tag WHERE person_id = ?", (person_id,))
        self.conn.executemany(TAG_INSERT, _tag_rows(person_id, tags))

    def _insert_occasions(self, rows: Sequence[Sequence[Any]]) -> None:
        """New occasions' rows (``rows.occasion_row``)."""
        insert_rows(self.conn, "occasion", OCCASION_COLUMNS, rows)

    def update_person(
        self,
        person_id: int,
        *,
        tags: Iterable[str] | None = None,
        occasions: Iterable[NewOccasion] = (),
        drop: Iterable[int] = (),
        add_tags: Sequence[str] = (),
        remove_tags: Sequence[str] = (),
        **fields: Any,
    ) -> Person:
        """Change some of a person's fields and key dates in one transaction.

        ``drop`` lists occasion ids to remove; ``occasions`` are set (added or replaced).
        ``tags`` replaces the tags; ``add_tags`` and ``remove_tags`` change the tags the
        person has when the transaction starts, so two edits at once both count.
        """
        changes = {key: value for key, value in fields.items() if key in PERSON_FIELDS}
        if "name" in changes:
            changes["name_key"] = name_key(changes["name"])
        with self.transaction():
            current = self.get_person(person_id)
            if current is None:
                raise NotFound(f"there is no person #{person_id}; see 'servant list'")
            if add_tags or remove_tags:
                removed = {fold(tag) for tag in remove_tags}
                tags = merge_tags([tag for tag in current.tags if fold(tag) not in removed], add_tags)
            if tags is not None:
                changes["tags"] = json.dumps(list(tags))
            # A value the person has already is no change (and must not raise the sequence).
            changes = {
                key: value
                for key, value in changes.items()
                if key not in PERSON_FIELDS or value != getattr(current, key)
            }
            if tags is not None and tuple(tags) == current.tags:
                changes.pop("tags", None)
            if "name" in changes and "name_parts" not in fields and current.name_parts is not None:
                changes["name_parts"] = None  # the parts an import brought spell the old name
            if "name" not in changes:
                changes.pop("name_key", None)
            for occasion_id in drop:
                self.conn.execute("DELETE FROM occasion WHERE id = ? AND person_id = ?", (occasion_id, person_id))
            if changes:
                changes["updated"] = now_stamp()
                self._update("person", person_id, changes)
                if "tags" in changes:
                    self._write_tags(person_id, changes["tags"])
                self.conn.execute("UPDATE person SET sequence = sequence + 1 WHERE id = ?", (person_id,))
                if "name" in changes:
                    self._touch_family(person_id, changes["updated"])
            for occasion in occasions:
                self.set_occasion(person_id, occasion)
        person = self.get_person(person_id)
        assert person is not None
        return person

    def remove_person(self, person_id: int) -> None:
        """Delete a person; their occasions, gestures and ideas go with them (ON DELETE
        CASCADE), and their family loses the link to them."""
        with self.transaction():
            self._touch_family(person_id, now_stamp())
            self.conn.execute("DELETE FROM person WHERE id = ?", (person_id,))

    def removal_counts(self, person_id: int) -> dict[str, int]:
        """What goes with a person: key dates, gestures, gift ideas, and family links."""
        counts = {}
        for what, sql in (
            ("key date", "SELECT count(*) FROM occasion WHERE person_id = ?"),
            ("gesture", "SELECT count(*) FROM gesture WHERE person_id = ?"),
            ("gift idea", "SELECT count(*) FROM idea WHERE person_id = ?"),
        ):
            counts[what] = self.conn.execute(sql, (person_id,)).fetchone()[0]
        counts["family link"] = self.family_link_count(person_id)
        return counts

    def get_person(self, person_id: int) -> Person | None:
        row = self.conn.execute(f"SELECT {PERSON_COLS} FROM person p WHERE p.id = ?", (person_id,)).fetchone()
        return person_of(row) if row else None

    def names_of(self, person_ids: Iterable[int]) -> dict[int, str]:
        """The names of these people, by id."""
        rows = self.conn.execute(
            "SELECT id, name FROM person WHERE id IN (SELECT value FROM json_each(?))", (ids_json(person_ids),)
        )
        return dict(rows.fetchall())

    def people_named(self, query: str) -> tuple[list[Person], list[Person]]:
        """People whose name is ``query`` exactly, and those whose name starts with it (any case)."""
        key = name_key(query)
        # A prefix is a range of the indexed name_key: from the key up to the key followed
        # by the last code point (SQLite compares UTF-8 bytes, which keeps code point order).
        rows = self.conn.execute(
            f"SELECT {PERSON_COLS} FROM person p WHERE p.name_key >= ? AND p.name_key < ?", (key, key + "\U0010ffff")
        ).fetchall()
        people = sorted((person_of(row) for row in rows), key=lambda person: (name_order(person.name), person.id))
        exact = [person for person in people if name_key(person.name) == key]
        return exact, people

    def name_counts(self, names: Iterable[str]) -> dict[str, int]:
        """How many people bear each of these names, by name key, in one query (the
        digest's done commands name a person whose name no one else bears by it)."""
        keys = json.dumps(sorted({name_key(name) for name in names}))
        rows = self.conn.execute(
            "SELECT name_key, count(*) FROM person"
            " WHERE name_key IN (SELECT value FROM json_each(?)) GROUP BY name_key",
            (keys,),
        )
        return {key: count for key, count in rows}

    def find_person(self, query: str) -> Person:
        """The one person ``query`` names: ``#ID``, an exact name, a unique prefix, or else
        the words of a name or nickname, case and accents aside (``store.search``)."""
        text = query.strip()  # people_named folds it (name_key), accents and case alike
        if not text:
            raise BadInput("no person given; use a name, the start of one, or #ID")
        if re.fullmatch(r"#[0-9]+", text):
            digits = text[1:].lstrip("0")
            # SQLite's largest id has 19 digits; a longer number is not read (Python reads
            # none of over 4,300 digits) and is quoted only in part.
            person = self.get_person(int(digits or "0")) if len(digits) <= 19 and int(digits or "0") < 2**63 else None
            if person is None:
                raise NotFound(f"there is no person {_cut(text)}; see 'servant list'")
            return person
        exact, starting = self.people_named(text)
        if not exact:
            exact, starting = self._named_accents_aside(text, starting)
        candidates: Sequence[Person | Known] = exact or starting
        if not candidates:
            # Every name is read and its words compared: only when the index found no one.
            people = known(self.conn.execute("SELECT id, name, nickname FROM person"))
            candidates = by_words(people, text)
            if not candidates:
                raise NotFound(_not_found(text, suggestions(people, text)))
        if len(candidates) == 1:
            found = candidates[0]
            if isinstance(found, Person):
                return found
            person = self.get_person(found.id)
            assert person is not None
            return person
        shown = ", ".join(f"#{p.id} {p.name}" for p in candidates[:10])
        more = f" and {len(candidates) - 10} more" if len(candidates) > 10 else ""
        raise Ambiguous(f"{_cut(text)!r} matches {len(candidates)} people: {shown}{more}; use more of the name or #ID")

    def _named_accents_aside(self, text: str, starting: list[Person]) -> tuple[list[Person], list[Person]]:
        """``people_named`` without regard to accents: "lucia g" finds "Lucía García" too.

        The index (``name_key``) keeps accents, so the names it cannot find are read here:
        those with a character outside ASCII, and for a query with one, the plain names
        its folded form starts. (A folded, indexed column would make this one range.)
        """
        folded = fold(text)
        queries: list[tuple[str, tuple[str, ...]]] = [
            ("SELECT id, name FROM person WHERE name_key GLOB '*[^ -~]*'", ())
        ]
        if folded != name_key(text):
            queries.append(
                ("SELECT id, name FROM person WHERE name_key >= ? AND name_key < ?", (folded, folded + "\U0010ffff"))
            )
        seen = {person.id for person in starting}
        more = {
            person_id
            for sql, params in queries
            for person_id, name in self.conn.execute(sql, params)
            if person_id not in seen and fold(name).startswith(folded)
        }
        people = list(starting)
        if more:
            rows = self.conn.execute(
                f"SELECT {PERSON_COLS} FROM person p WHERE p.id IN (SELECT value FROM json_each(?))", (ids_json(more),)
            )
            people += map(person_of, rows)
            people.sort(key=lambda person: (name_order(person.name), person.id))
        return [person for person in people if fold(person.name) == folded], people

    def search(self, text: str, tags: Sequence[str] = ()) -> list[tuple[Person, list[Match]]]:
        """The people (with any of ``tags``) whose name, nickname, company, position, email,
        phone, tags, notes or relations kept as text hold ``text``, case and accents aside, each with what matched;
        those matched by name or nickname first, then by name.

        Two queries whatever the number of people: the searched columns of everyone, tested
        in one pass, then the whole records of those that match.
        """
        key, digits = search_key(text), phone_digits(text)
        where, params = tag_filter(tags)
        sql = f"SELECT {SEARCHED_COLS} FROM person p" + (f" WHERE {where}" if where else "")
        ids = [row[0] for row in self.conn.execute(sql, params) if may_hold(row, key, digits)]
        if not ids:
            return []
        rows = self.conn.execute(
            f"SELECT {PERSON_COLS}, {RELATIONS_COL} FROM person p WHERE p.id IN (SELECT value FROM json_each(?))",
            (ids_json(ids),),
        )
        found = [
            (person, held)
            for row in rows
            if (held := matches(person := person_of(row), key, digits, row[PERSON_WIDTH]))
        ]
        by_name = {"name", "nickname"}
        found.sort(key=lambda item: (not by_name & {m.field for m in item[1]}, name_order(item[0].name), item[0].id))
        return found

    def people(self, tags: Sequence[str] = (), *, light: bool = False) -> list[Person]:
        """Everyone, by name (``models.name_order``, then id); with ``tags``, those carrying
        any of them. ``light`` reads only the id, name, company and tags (the rest None).

        SQLite sorts them by lower case (``BY_NAME``), the order of Python's for printable
        ASCII names, most of a book; the others (accents, other alphabets, which SQLite's
        NOCASE put after "zoe") are sorted here and put in their places.
        """
        where, params = tag_filter(tags)
        sql = f"SELECT {LIST_COLS if light else PERSON_COLS} FROM person p"
        if where:
            sql += f" WHERE {where}"
        with many_records():
            rows = self.conn.execute(f"{sql} {BY_NAME}", params).fetchall()
            found = list(map(list_person_of if light else person_of, rows))
        names = "".join(person.name for person in found)
        if names.isascii() and names.isprintable():
            return found
        ordered = [person for person in found if person.name.isascii() and person.name.isprintable()]
        others = [person for person in found if not (person.name.isascii() and person.name.isprintable())]
        return _merged(ordered, sorted(others, key=_name_order))

    def carried(self, tags: Sequence[str]) -> set[str]:
        """Which of ``tags`` someone carries, as ``text.fold`` keys (an index probe each)."""
        keys = tag_keys(tags)
        marks = ", ".join("?" for _ in keys)
        rows = self.conn.execute(f"SELECT DISTINCT tag_key FROM person_tag WHERE tag_key IN ({marks})", keys)
        return {key for (key,) in rows}

    def tags_in_use(self) -> list[str]:
        """Every tag someone carries, each once whatever its case and accents (``text.fold``)."""
        seen: dict[str, str] = {}
        for (tag,) in self.conn.execute("SELECT DISTINCT j.value FROM person, json_each(person.tags) j"):
            seen.setdefault(fold(tag), tag)
        return sorted(seen.values(), key=fold)

    def export_version(self, settings: str) -> tuple[int, str]:
        """How many times the settings an export depends on have changed, and when last.

        An exported event's RRULE (Feb 29 rule) and alarm (default lead time) follow the
        config, not only the stored dates: when they change, every event must carry a
        higher SEQUENCE and a newer DTSTAMP, or a calendar keeps the old version. The
        first export records the settings and counts nothing.
        """
        last = self.meta("export_settings")
        generation = int(self.meta("export_generation") or 0)
        changed = self.meta("export_changed") or ""
        if last != settings:
            if last is not None:
                generation, changed = generation + 1, now_stamp()
            if self.read_only:  # a read-only folder, a full disk: exported, recorded next time
                return generation, changed
            with self.transaction():
                self.conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [
                        ("export_settings", settings),
                        ("export_generation", str(generation)),
                        ("export_changed", changed),
                    ],
                )
        return generation, changed

    def people_with_occasions(self, tags: Sequence[str] = ()) -> list[tuple[Person, list[Occasion]]]:
        """Everyone (with any of ``tags``), by name, each with their key dates in id order."""
        people = self.people(tags)
        dates: dict[int, list[Occasion]] = {person.id: [] for person in people}
        for row in self.conn.execute(f"SELECT {OCC_COLS} FROM occasion o ORDER BY o.id"):
            occasion = occasion_of(row)
            if occasion.person_id in dates:
                dates[occasion.person_id].append(occasion)
        return [(person, dates[person.id]) for person in people]

    # -- occasions ---------------------------------------------------------------

    def set_occasion(self, person_id: int, new: NewOccasion) -> tuple[Occasion, Occasion | None]:
        """Add a key date, or replace the person's date of that kind (and label).

        Replacing keeps the occasion's id, so calendar UIDs stay stable, and raises
        its sequence number. Returns the stored occasion and the one it replaced.
        """
        label = (new.label if new.kind == "custom" else "").casefold()
        with self.transaction():
            rows = self.conn.execute(
                f"SELECT {OCC_COLS} FROM occasion o WHERE o.person_id = ? AND o.kind = ?", (person_id, new.kind)
            )
            # Labels compare in Python: SQLite's NOCASE folds ASCII letters only ("Über" ≠ "über").
            previous = next((found for found in map(occasion_of, rows) if found.label.casefold() == label), None)
            record = occasion_record(person_id, new, now_stamp())
            if previous is not None:
                del record["created"]
                record["sequence"] = previous.sequence + 1
                if new.lead_days is None:
                    record["lead_days"] = previous.lead_days
                if new.plan is None:
                    record["plan"] = previous.plan
                if new.yearly is None:
                    record["yearly"] = int(previous.yearly)
            if not record["yearly"] and new.year is None:
                example = f"{2028 if (new.month, new.day) == (2, 29) else 2026}-{new.month:02d}-{new.day:02d}"
                raise BadInput(
                    f"a one-off date needs a year, e.g. {example} (or make it yearly: servant date … --yearly)"
                )
            if previous is not None and all(
                record[key] == (int(previous.yearly) if key == "yearly" else getattr(previous, key))
                for key in ("month", "day", "year", "label", "yearly", "lead_days", "plan", "rule")
            ):
                # Nothing new: no write, so the calendar's SEQUENCE and DTSTAMP stay put.
                return previous, previous
            if previous is None:
                occasion_id = self._insert("occasion", record)
            else:
                self._update("occasion", previous.id, record)
                occasion_id = previous.id
            stored = self.conn.execute(f"SELECT {OCC_COLS} FROM occasion o WHERE o.id = ?", (occasion_id,)).fetchone()
        return occasion_of(stored), previous

    def occasions_of(self, person_id: int) -> list[Occasion]:
        rows = self.conn.execute(f"SELECT {OCC_COLS} FROM occasion o WHERE o.person_id = ? ORDER BY o.id", (person_id,))
        return [occasion_of(row) for row in rows]

    def occasions_of_people(self, person_ids: Iterable[int]) -> dict[int, list[Occasion]]:
        """The key dates of each of these people, in id order."""
        found: dict[int, list[Occasion]] = {}
        rows = self.conn.execute(
            f"SELECT {OCC_COLS} FROM occasion o WHERE o.person_id IN (SELECT value FROM json_each(?)) ORDER BY o.id",
            (ids_json(person_ids),),
        )
        for row in rows:
            occasion = occasion_of(row)
            found.setdefault(occasion.person_id, []).append(occasion)
        return found

    def all_occasions(self, *, tags: Sequence[str] = (), kinds: Sequence[str] = ()) -> list[tuple[Person, Occasion]]:
        """Every occasion with its person (of these tags and kinds, when given)."""
        return self.occasions_between(date.min, date.max, tags=tags, kinds=kinds)

    def occasions_by_day(
        self, *, tags: Sequence[str] = (), kinds: Sequence[str] = ()
    ) -> Iterator[list[tuple[Person, Occasion]]]:
        """Every occasion with its person (of these tags and kinds), one month-day at a
        time in calendar order: what a calendar of 300,000 dates holds in memory is a
        day's worth."""
        where, params = self._filters(tags, kinds)
        sql = f"SELECT {PERSON_COLS}, {OCC_COLS} FROM occasion o JOIN person p ON p.id = o.person_id"
        rows = self.conn.execute(sql + (f" WHERE {where}" if where else "") + " ORDER BY o.md", params)
        day: list[tuple[Person, Occasion]] = []
        people: dict[int, Person] = {}
        for row in rows:
            occasion = occasion_of(row, PERSON_WIDTH)
            if day and (day[-1][1].month, day[-1][1].day) != (occasion.month, occasion.day):
                yield day
                day, people = [], {}
            person = people.get(row[0])
            if person is None:
                person = people[row[0]] = person_of(row)
            day.append((person, occasion))
        if day:
            yield day

    def occasion_count(self, *, tags: Sequence[str] = (), kinds: Sequence[str] = ()) -> tuple[int, int]:
        """How many occasions (of these tags and kinds) there are, and how many people have them."""
        where, params = self._filters(tags, kinds)
        sql = "SELECT count(*), count(DISTINCT o.person_id) FROM occasion o JOIN person p ON p.id = o.person_id"
        dates, people = self.conn.execute(sql + (f" WHERE {where}" if where else ""), params).fetchone()
        return dates, people

    def _filters(self, tags: Sequence[str], kinds: Sequence[str], person: str = "p.id") -> tuple[str, list[Any]]:
        """SQL for occasions (``o``) of these kinds whose person (their id: the column
        ``person``) has any of these tags."""
        conditions, params = [], []
        if kinds:
            conditions.append(f"o.kind IN ({', '.join('?' for _ in kinds)})")
            params += list(kinds)
        where, tag_params = tag_filter(tags, person)
        if where:
            conditions.append(where)
            params += tag_params
        return " AND ".join(conditions), params

    def _window(
        self,
        columns: str,
        start: date,
        end: date,
        tags: Sequence[str],
        kinds: Sequence[str],
        leads: Leads,
        *,
        join: bool = True,
        where: str | None = None,
        rules: bool = True,
    ) -> tuple[str, list[Any]]:
        """The query of ``occasions_between`` for ``columns``: the month-day range, Feb 29
        and the rule dates, of these tags and kinds and ``leads`` (and ``where``, a
        condition of servant's own without parameters). Without ``join``, the person's row
        is not read (``columns`` are the occasion's); without ``rules``, the rule dates
        are not added (one statement, read in the order of the month-day index)."""
        window: list[str] = []
        params: list[Any] = []
        if (end - start).days < 365:
            first, last = start.month * 100 + start.day, end.month * 100 + end.day
            # A Feb 29 date falls on Feb 28 or Mar 1 in a common year: read where one is.
            feb29 = " OR o.md = 229" if feb29_may_fall(start, end) else ""
            if start.year == end.year:
                window.append(f"(o.md BETWEEN ? AND ?{feb29}) AND o.rule IS NULL")
            else:
                window.append(f"(o.md >= ? OR o.md <= ?{feb29}) AND o.rule IS NULL")
            params += [first, last]
        conditions, common = leads.sql()
        if where:
            conditions.append(where)
        narrow, filter_params = self._filters(tags, kinds, "p.id" if join else "o.person_id")
        if narrow:
            conditions.append(narrow)
            common += filter_params
        base = f"SELECT {columns} FROM occasion o" + (" JOIN person p ON p.id = o.person_id" if join else "")
        sql = base + "".join(f" {'AND' if i else 'WHERE'} {c}" for i, c in enumerate(window + conditions))
        params += common
        if window and rules:
            # A rule's day moves: every rule date (through its own index), with the range.
            moving = [*conditions, "o.rule IS NOT NULL"]
            sql += f" UNION ALL {base} WHERE " + " AND ".join(moving)
            params += common
        return sql, params

    def date_groups(
        self,
        start: date,
        end: date,
        *,
        tags: Sequence[str] = (),
        kinds: Sequence[str] = (),
        leads: Leads | None = None,
    ) -> list[DateGroup]:
        """The key dates ``occasions_between`` reads, counted by what places them on their
        days and by their own lead time: a few dozen groups for a week of a million
        people, counted by SQLite, none of them read one by one. A yearly date from
        ``start``'s year or before falls on each of its days whatever its year
        (``dates.occurrences_between``): its year is left out (None), so that all of a
        month-day's are one group."""
        # The year is an int, written into the text as a number (the window's parameters
        # come in two places of the statement).
        every_year = f"o.yearly AND (o.year IS NULL OR o.year <= {int(start.year)})"
        plain = f"o.rule IS NULL AND {every_year} AND o.lead_days IS NULL"
        leads = leads or Leads()
        # Most dates are plain yearly ones, one group a month-day: counted in the order of
        # the month-day index, with nothing to sort.
        sql, params = self._window(
            "o.month, o.day, count(*)", start, end, tags, kinds, leads, join=False, where=plain, rules=False
        )
        groups = [
            DateGroup(month, day, None, True, None, None, count)
            for month, day, count in self.conn.execute(sql + " GROUP BY o.md", params)
        ]
        since = f"CASE WHEN {every_year} THEN NULL ELSE o.year END"
        columns = f"o.month, o.day, {since}, o.yearly, o.rule, o.lead_days"
        sql, params = self._window(columns, start, end, tags, kinds, leads, join=False, where=f"NOT ({plain})")
        rows = self.conn.execute(f"SELECT *, count(*) FROM ({sql}) GROUP BY 1, 2, 3, 4, 5, 6", params)
        return groups + [
            DateGroup(month, day, year, bool(yearly), rule, lead, count)
            for month, day, year, yearly, rule, lead, count in rows
        ]

    def date_keys(
        self,
        start: date,
        end: date,
        *,
        tags: Sequence[str] = (),
        kinds: Sequence[str] = (),
        leads: Leads | None = None,
    ) -> Iterator[tuple[bool, DateKey]]:
        """The key dates ``occasions_between`` reads, each with only what places it and
        orders it among others (``agenda.occurring``), and whether its person's name is
        plain ASCII: no records made. In one sorted read, first those whose name is not,
        then the plain ones in the order of their names (by ``name_key``, then id: for
        such a name, ``name_order``'s), to be read only as far as needed."""
        columns = "o.id, o.person_id, p.name, o.kind, o.label, o.month, o.day, o.year, o.yearly, o.rule"
        # A name with a character outside printable ASCII sorts by its letters without
        # accents (name_order), which SQLite does not know; a plain one by its name_key
        # (the raw name: NFC makes some characters ASCII, U+037E a ";", name_order not).
        other = "p.name GLOB '*[^ -~]*'"
        sql, params = self._window(f"{columns}, {other}, p.name_key", start, end, tags, kinds, leads or Leads())
        cursor = self.conn.execute(sql + " ORDER BY 11 DESC, 12, 2", params)
        return ((not row[10], row[:10]) for row in cursor)

    def dates_stored(self) -> int:
        """How many key dates were ever stored: the highest id handed out (ids are never
        reused), one probe where counting the dates there are reads an index of all of
        them; at least how many there are."""
        row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'occasion'").fetchone()
        return int(row[0]) if row else 0

    def max_lead_days(self) -> int | None:
        """The longest lead time set on any occasion (None when none has one of its own)."""
        # The condition lets SQLite read the partial index occasion_lead_days: one probe.
        sql = "SELECT max(lead_days) FROM occasion WHERE lead_days IS NOT NULL"
        longest: int | None = self.conn.execute(sql).fetchone()[0]
        return longest

    def occasions_between(
        self,
        start: date,
        end: date,
        *,
        tags: Sequence[str] = (),
        kinds: Sequence[str] = (),
        light: bool = False,
        leads: Leads | None = None,
    ) -> list[tuple[Person, Occasion]]:
        """People and occasions whose month-day falls from ``start`` to ``end`` (of these
        ``leads``, when given: by lead time and by id, see ``Leads``).

        ``light`` reads only what a listing of who and which date shows (the person's
        id, name, tags and family; the occasion but its ``updated`` and ``sequence``):
        the other fields are None (``LIGHT_COLS``).

        The month-day key (``md`` = month * 100 + day) is indexed, so this reads only
        the rows in the window, wrapping over New Year; Feb 29 rows are included when
        the window holds Feb 28 or Mar 1, where a common year puts them
        (``feb29_may_fall``), and rule dates always ("2nd Sunday of May": few, read
        through their own index). Callers still place each occasion on its exact day
        (``agenda.upcoming``).
        """
        columns = LIGHT_COLS if light else f"{PERSON_COLS}, {OCC_COLS}"
        sql, params = self._window(columns, start, end, tags, kinds, leads or Leads())
        if light:
            with many_records():
                return light_records(self.conn.execute(sql, params))
        people: dict[int, Person] = {}
        found = []
        for row in self.conn.execute(sql, params):
            person = people.get(row[0])
            if person is None:
                person = people[row[0]] = person_of(row)
            found.append((person, occasion_of(row, PERSON_WIDTH)))
        return found
