"""Finding people by what a user remembers of them: the words of a name, a name nearly
right, any part of their details. Pure functions over rows the store has read; the SQL
that reads them is in ``people``.

A PERSON argument (``Store.find_person``) is looked up by the indexed name key (exact,
then prefix), then by the same without accents. Only when that finds no one are the
words compared here, case and accents aside (``text.fold``), in tiers, the first tier
that finds someone deciding:

1. the whole name or nickname, accents aside ("lucia garcia" for "Lucía García");
2. every word typed is a word of the name or nickname, in any order ("Kowalski", "Bob");
3. the same, the last word typed being the start of one ("Kowal", "lucia gar").

A word is split at spaces, hyphens and other punctuation; an apostrophe is left out
("O'Brien" is the word "obrien"), and the part after it is a word too ("brien", "Angelo"
for "D'Angelo"). When no tier finds anyone, ``suggestions`` offers the names closest to
what was typed (difflib, on the same folded words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from servant_cli.models import Person, name_order
from servant_cli.text import APOSTROPHES, fold, search_key

#: What separates the words of a name: anything but letters, digits and apostrophes.
_BREAK = rf"[^\w{APOSTROPHES}]+"
_APOSTROPHE = f"[{APOSTROPHES}]"
#: The most people a "did you mean" names.
SUGGESTED = 3


def name_words(name: str) -> list[str]:
    """The words of a name as typed or stored, folded, apostrophes left out, in order."""
    words = (re.sub(_APOSTROPHE, "", word) for word in re.split(_BREAK, fold(name)))
    return [word for word in words if word]


def lookup_words(name: str) -> set[str]:
    """``name_words``, and the part after an apostrophe ("brien" of "O'Brien")."""
    words = set()
    for word in re.split(_BREAK, fold(name)):
        parts = re.split(_APOSTROPHE, word)
        words.add("".join(parts))
        if len(parts) > 1 and len(parts[-1]) > 1:
            words.add(parts[-1])
    words.discard("")
    return words


class Known(NamedTuple):
    """A person as a name lookup sees them: id, name, and their words folded."""

    id: int
    name: str
    #: The words of the name and nickname (``lookup_words``).
    words: set[str]
    #: The name and the nickname, each as its words joined by a space.
    wholes: tuple[str, ...]


def known(rows: Iterable[tuple[int, str, str | None]]) -> list[Known]:
    """(id, name, nickname) rows as ``Known`` people."""
    people = []
    for person_id, name, nickname in rows:
        words = lookup_words(name)
        wholes = [" ".join(name_words(name))]
        if nickname:
            words |= lookup_words(nickname)
            wholes.append(" ".join(name_words(nickname)))
        people.append(Known(person_id, name, words, tuple(wholes)))
    return people


def by_words(people: Sequence[Known], query: str) -> list[Known]:
    """The people ``query`` names by the words of their name or nickname (see the module's
    docstring for the tiers), by name; none when no tier finds anyone."""
    typed = name_words(query)
    if not typed:
        return []
    whole, every, last = " ".join(typed), set(typed), typed[-1]
    before = set(typed[:-1])
    tiers: tuple[list[Known], list[Known], list[Known]] = ([], [], [])
    for person in people:
        if whole in person.wholes:
            tiers[0].append(person)
        elif every <= person.words:
            tiers[1].append(person)
        elif before <= person.words and any(word.startswith(last) for word in person.words):
            tiers[2].append(person)
    found = next((tier for tier in tiers if tier), [])
    return sorted(found, key=lambda person: (name_order(person.name), person.id))


def suggestions(people: Sequence[Known], query: str) -> list[Known]:
    """The people whose name is closest to ``query`` (at most ``SUGGESTED``), closest first.

    One word typed is compared with every word of every name and nickname ("Margret" and
    "margaret"), several words with whole names ("Margret OBrien" and "margaret obrien").
    """
    import difflib

    typed = name_words(query)
    if not typed:
        return []
    choices: dict[str, list[Known]] = {}
    for person in people:
        for choice in person.words if len(typed) == 1 else person.wholes:
            choices.setdefault(choice, []).append(person)
    found: list[Known] = []
    for close in difflib.get_close_matches(" ".join(typed), choices, n=SUGGESTED, cutoff=0.7):
        for person in sorted(choices[close], key=lambda person: (name_order(person.name), person.id)):
            if person not in found and len(found) < SUGGESTED:
                found.append(person)
    return found


# -- servant find ---------------------------------------------------------------------

#: The fields ``servant find`` searches, in the order a match is told.
FIELDS = ("name", "nickname", "company", "position", "email", "phone", "tags", "notes")
_PHONE_TEXT = re.compile(r"[0-9 +()./-]+")


class Match(NamedTuple):
    """Why ``servant find`` lists someone: the field and the text of it that holds the match."""

    field: str
    text: str


def phone_digits(query: str) -> str:
    """The digits of a query that reads as part of a phone number (at least three), else ''."""
    digits = "".join(char for char in query if char.isdigit())
    return digits if len(digits) >= 3 and _PHONE_TEXT.fullmatch(query.strip()) else ""


def haystack(person: Person) -> str:
    """Everything ``servant find`` searches in a person, as one folded text (a quick first test)."""
    values = (person.name, person.nickname, person.company, person.position, person.email, person.notes)
    return search_key("\x1f".join([*(value for value in values if value), *person.tags, person.phone or ""]))


def matches(person: Person, key: str, digits: str = "") -> list[Match]:
    """What in ``person`` holds ``key`` (a ``search_key``), field by field; for a query that
    reads as a phone number (``digits``), a phone whose digits hold those digits."""
    found = []
    for field in FIELDS:
        if field == "tags":
            found += [Match("tags", tag) for tag in person.tags if key in search_key(tag)]
            continue
        value = getattr(person, field)
        if value and (key in search_key(value) or (field == "phone" and digits and digits in digits_of(value))):
            found.append(Match(field, value))
    return found


def digits_of(text: str | None) -> str:
    return "".join(char for char in text or "" if char.isdigit())
