"""Family: links between people (``family``) and relations kept as text (``relation_text``).

A link says that ``person_id`` is the ``child`` or the ``spouse`` of ``other_id``; a child
may have two parents. A spouse link is one row, the lower id first, read both ways. A
relation whose person is not in servant yet is kept as text on the person who has it
(its label as the address book gave it, and the name), until that person is added.

A person's events show whose child and spouse they are (``Person.family``), so a link
made or undone gives that person (both, for spouses) a new version for the calendar.
"""

from __future__ import annotations

from collections.abc import Iterable

from servant_cli.models import LINKS, Kin, name_key, name_order, relation_kind
from servant_cli.store.connection import Connection
from servant_cli.store.rows import ids_json, now_stamp

#: How a person's family is listed: parents, spouse, children, then relations kept as text.
_ORDER = {"parent": 0, "spouse": 1, "child": 2}


def _kin_order(kin: Kin) -> tuple[int, int, tuple[str, str]]:
    return (kin.person_id is None, _ORDER.get(kin.relation, 3), name_order(kin.name))


class FamilyStore(Connection):
    """Family links and relations kept as text (see the module's docstring)."""

    def kin_of(self, person_id: int) -> list[Kin]:
        """A person's family from their side: parents, spouse, children, then the relations
        kept as text (``models.Kin``)."""
        return self.kin_of_people([person_id]).get(person_id, [])

    def kin_of_people(self, person_ids: Iterable[int] | None = None) -> dict[int, list[Kin]]:
        """The family of each of these people (of everyone: None), as ``kin_of`` lists it;
        people with none are left out. Two queries, whatever the number of people."""
        found: dict[int, list[Kin]] = {}
        ids = None if person_ids is None else ids_json(person_ids)
        where = "" if ids is None else " WHERE f.person_id IN (SELECT value FROM json_each(?1))"
        where += "" if ids is None else " OR f.other_id IN (SELECT value FROM json_each(?1))"
        rows = self.conn.execute(
            "SELECT f.person_id, a.name, a.source_uid, f.relation, f.other_id, b.name, b.source_uid FROM family f"
            f" JOIN person a ON a.id = f.person_id JOIN person b ON b.id = f.other_id{where}",
            () if ids is None else (ids,),
        )
        for one, one_name, one_uid, relation, other, other_name, other_uid in rows:
            found.setdefault(one, []).append(
                Kin("parent" if relation == "child" else "spouse", other_name, other, other_uid)
            )
            found.setdefault(other, []).append(Kin(relation, one_name, one, one_uid))
        where = "" if ids is None else " WHERE person_id IN (SELECT value FROM json_each(?))"
        for person_id, label, name in self.conn.execute(
            f"SELECT person_id, label, name FROM relation_text{where} ORDER BY id", () if ids is None else (ids,)
        ):
            found.setdefault(person_id, []).append(Kin(label, name))
        if ids is not None:
            wanted = set(person_ids or ())
            found = {person_id: kin for person_id, kin in found.items() if person_id in wanted}
        for kin in found.values():
            kin.sort(key=_kin_order)
        return found

    def parents_of(self, person_id: int) -> list[int]:
        rows = self.conn.execute("SELECT other_id FROM family WHERE person_id = ? AND relation = 'child'", (person_id,))
        return [other for (other,) in rows]

    def spouses_of(self, person_id: int) -> list[int]:
        rows = self.conn.execute(
            "SELECT other_id FROM family WHERE person_id = ?1 AND relation = 'spouse'"
            " UNION SELECT person_id FROM family WHERE other_id = ?1 AND relation = 'spouse'",
            (person_id,),
        )
        return [other for (other,) in rows]

    def link_family(self, person_id: int, relation: str, other_id: int) -> bool:
        """Make ``person_id`` the ``relation`` (child, spouse) of ``other_id``; False when
        they were linked so already."""
        assert relation in LINKS and person_id != other_id
        first, second = person_id, other_id
        if relation == "spouse":  # one row, the lower id first
            first, second = min(person_id, other_id), max(person_id, other_id)
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT INTO family (person_id, relation, other_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (first, relation, second),
            )
            if cursor.rowcount:
                self._touch_linked([person_id, other_id] if relation == "spouse" else [person_id])
        return bool(cursor.rowcount)

    def unlink_family(self, person_id: int, relation: str) -> list[int]:
        """Undo a person's links of one kind: their parents (``child``) or their spouse;
        the ids they were linked to."""
        others = self.parents_of(person_id) if relation == "child" else self.spouses_of(person_id)
        if others:
            with self.transaction():
                self.conn.execute(
                    "DELETE FROM family WHERE relation = ?1 AND (person_id = ?2 OR (?1 = 'spouse' AND other_id = ?2))",
                    (relation, person_id),
                )
                self._touch_linked([person_id, *others] if relation == "spouse" else [person_id])
        return others

    def keep_relation(self, person_id: int, label: str, name: str) -> bool:
        """Keep a relation as text (``label``: what the named person is to this one); False
        when it is kept already."""
        kind = relation_kind(label)
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT INTO relation_text (person_id, kind, label, name, name_key) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (person_id, kind, label, name, name_key(name)),
            )
            if cursor.rowcount and kind in ("parent", "spouse"):
                self._touch_linked([person_id])
        return bool(cursor.rowcount)

    def relations_waiting(self) -> list[tuple[int, int, str, str]]:
        """The relations kept as text that would be links once their person is in servant:
        (id, person id, label, name)."""
        rows = self.conn.execute(
            "SELECT id, person_id, label, name FROM relation_text"
            " WHERE kind IN ('parent', 'child', 'spouse') ORDER BY id"
        )
        return list(rows)

    def forget_relation(self, text_id: int) -> None:
        """A relation kept as text that has become a link."""
        self.conn.execute("DELETE FROM relation_text WHERE id = ?", (text_id,))

    def family_link_count(self, person_id: int) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM family WHERE person_id = ?1 OR other_id = ?1", (person_id,)
        ).fetchone()
        count: int = row[0]
        return count

    def _touch_linked(self, person_ids: Iterable[int]) -> None:
        self.conn.execute(
            "UPDATE person SET updated = ?, sequence = sequence + 1 WHERE id IN (SELECT value FROM json_each(?))",
            (now_stamp(), ids_json(person_ids)),
        )

    def _touch_family(self, person_id: int, stamp: str) -> None:
        """The people whose events name this person (their children and spouse): a new
        version of those too."""
        self.conn.execute(
            "UPDATE person SET updated = ?, sequence = sequence + 1 WHERE id IN ("
            " SELECT person_id FROM family WHERE other_id = ?2"
            " UNION SELECT other_id FROM family WHERE person_id = ?2 AND relation = 'spouse')",
            (stamp, person_id),
        )
