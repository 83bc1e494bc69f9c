"""Who came from which folder of vCards, who has left it since, and what servant holds
of its own for them: the rules, without SQL.

A folder import (``servant import DIR``) remembers, for each person one of its cards
gave, a ``Member``: the file, the card's UID and the tags ``--tag`` gave them there. It
is remembered like any other thing an import brought (the store's ``import_memory``):
source ``vdir:<the folder's resolved absolute path>``, field ``member``, the ``Member`` as JSON.
So it goes with the person when they are removed, and two folders (``family``, ``work``)
are two sources.

A person is no longer in the folder when no card of this import was theirs and the
file they came from is not there any more: a card whose file is still there but could
not be read this time (a bad date, a name two people share) has not left. They are
reported at every import of the folder until ``--prune`` settles them:

- removed, when servant holds nothing of its own for them (``own_things``) and they are
  in no other folder;
- else kept, and only untied from the folder: the tags ``--tag`` gave them at this
  folder's imports are taken off (not one another folder gave too), and servant forgets
  they were in it, so they are not reported again. What the cards brought stays.

What is servant's own: a gesture, a gift idea, a key date no import brought as it is
(added here, or changed here: its day, year, plan or lead), a keep-in-touch time, a
family link, notes no import brought. Details an address book keeps (email, phone,
company, tags) are not: the card that had them has gone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from servant_cli.importers.reconcile import date_field, date_text
from servant_cli.models import Occasion, Person
from servant_cli.text import fold, json_text, plural

#: The import memory's source of a folder is this and its path.
FOLDER = "vdir:"
#: The import memory's field that holds a ``Member``.
MEMBER = "member"

#: What became of a person no longer in the folder: only reported (no --prune), removed, kept.
LEFT, REMOVED, KEPT = "left", "removed", "kept"


def folder_source(path: Path) -> str:
    """The source a folder's members are remembered under."""
    return f"{FOLDER}{path}"


def shown_folder(path: Path | str) -> str:
    """A folder as a user wrote it: ``~/.contacts/family`` under the home folder."""
    text = str(path)
    home = os.path.expanduser("~")
    if home not in ("~", "/") and (text == home or text.startswith(home.rstrip("/") + "/")):
        return "~" + text[len(home.rstrip("/")) :]
    return text


class Member(NamedTuple):
    """What servant remembers of a person's card in a folder."""

    file: str
    uid: str | None = None
    #: The tags ``--tag`` gave them at this folder's imports.
    tags: tuple[str, ...] = ()

    def text(self) -> str:
        return json_text({"file": self.file, "uid": self.uid, "tags": list(self.tags)})

    @classmethod
    def of(cls, text: str) -> Member:
        found = json.loads(text)
        return cls(found["file"], found.get("uid"), tuple(found.get("tags", ())))


class Left(NamedTuple):
    """A person no longer in the folder, and what became of them."""

    id: int
    name: str
    member: Member
    result: str  # LEFT, REMOVED or KEPT
    #: What servant holds of its own for them: "2 gestures", "a keep-in-touch time".
    own: tuple[str, ...] = ()
    #: The other folders they are still in (absolute paths).
    elsewhere: tuple[str, ...] = ()
    #: The tags taken off them (or, not pruned, that would be).
    untagged: tuple[str, ...] = ()

    @property
    def removable(self) -> bool:
        """Whether --prune removes them (else it keeps them)."""
        return not self.own and not self.elsewhere


def own_things(
    person: Person,
    occasions: Sequence[Occasion],
    counts: Mapping[str, int],
    brought: Iterable[tuple[str, str, str]],
) -> tuple[str, ...]:
    """What servant holds of its own for a person (see the module's docstring).

    ``counts``: their gestures, gift ideas and the family links to them, as
    ``Store.removal_counts`` gives them; ``brought``: every (source, field, value) the
    imports remembered for them.
    """
    values: dict[str, set[str]] = {}
    for source, field, value in brought:
        if not source.startswith(FOLDER):
            values.setdefault(field, set()).add(value)
    own = []
    if counts.get("gesture"):
        own.append(plural(counts["gesture"], "gesture"))
    if counts.get("gift idea"):
        own.append(plural(counts["gift idea"], "gift idea"))
    dates = sum(
        date_text(o.month, o.day, o.year, o.yearly, o.lead_days, o.plan, o.rule)
        not in values.get(date_field(o.kind, o.label), ())
        for o in occasions
    )
    if dates:
        own.append(f"{plural(dates, 'date')} set in servant")
    if person.every_days is not None and str(person.every_days) not in values.get("every_days", ()):
        own.append("a keep-in-touch time")
    links = counts.get("family link", 0)
    if links:
        own.append(plural(links, "family link"))
    if person.notes and person.notes not in values.get("notes", ()):
        own.append("notes written in servant")
    return tuple(own)


def other_folders(source: str, brought: Iterable[tuple[str, str, str]]) -> tuple[str, ...]:
    """The other folders a person is in (their paths), from what the imports remembered."""
    return tuple(
        sorted(
            s.removeprefix(FOLDER)
            for s, field, _ in brought
            if s.startswith(FOLDER) and field == MEMBER and s != source
        )
    )


def tags_to_take_off(
    person: Person, member: Member, source: str, brought: Iterable[tuple[str, str, str]]
) -> tuple[str, ...]:
    """The tags this folder gave that the person has, less those another folder gave too."""
    elsewhere = {
        fold(tag)
        for s, field, value in brought
        if s.startswith(FOLDER) and field == MEMBER and s != source
        for tag in Member.of(value).tags
    }
    given = {fold(tag) for tag in member.tags} - elsewhere
    return tuple(tag for tag in person.tags if fold(tag) in given)
