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

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from servant_cli.models import Person, name_order
from servant_cli.store.rows import tags_of
from servant_cli.text import APOSTROPHES, fold, search_key

#: The most people a "did you mean" names, and how alike a word must be to be suggested
#: (difflib's ratio: "margret" and "margaret" 0.93, "kowalsci" and "kowalski" 0.88).
SUGGESTED = 3
CLOSE = 0.7


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """What separates words (anything but letters, digits and apostrophes), and an
    apostrophe; compiled on first use, as ``text`` does, not by every command at start."""
    return re.compile(rf"[^\w{APOSTROPHES}]+"), re.compile(f"[{APOSTROPHES}]")


def _words(text: str) -> tuple[list[str], set[str]]:
    """The words of ``text`` folded, apostrophes left out, in order; and the same as a set
    with the part after an apostrophe ("obrien" and "brien" of "O'Brien")."""
    breaks, apostrophe = _patterns()
    folded = fold(text)
    if not apostrophe.search(folded):  # most names: no word to take apart
        ordered = [word for word in breaks.split(folded) if word]
        return ordered, set(ordered)
    ordered = []
    every: set[str] = set()
    for word in breaks.split(folded):
        if apostrophe.search(word):
            parts = apostrophe.split(word)
            word = "".join(parts)
            if len(parts[-1]) > 1:
                every.add(parts[-1])
        if word:
            ordered.append(word)
            every.add(word)
    return ordered, every


def name_words(name: str) -> list[str]:
    """The words of a name as typed or stored, folded, apostrophes left out, in order."""
    return _words(name)[0]


class Known(NamedTuple):
    """A person as a name lookup sees them: id, name, and their words folded."""

    id: int
    name: str
    #: The words of the name and nickname, with the part after an apostrophe.
    words: set[str]
    #: The name and the nickname, each as its words joined by a space.
    wholes: tuple[str, ...]


def known(rows: Iterable[tuple[int, str, str | None]]) -> list[Known]:
    """(id, name, nickname) rows as ``Known`` people."""
    people = []
    for person_id, name, nickname in rows:
        ordered, words = _words(name)
        if nickname:
            nick_ordered, nick_words = _words(nickname)
            people.append(Known(person_id, name, words | nick_words, (" ".join(ordered), " ".join(nick_ordered))))
        else:
            people.append(Known(person_id, name, words, (" ".join(ordered),)))
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

    Each word typed is compared with the words of every name and nickname (difflib's
    ``get_close_matches``: "Margret" and "margaret"); a person is suggested when every
    word typed is close to one of theirs ("Margret OBrein"), the closest first.
    """
    from difflib import SequenceMatcher, get_close_matches

    typed = name_words(query)
    if not typed:
        return []
    owners: dict[str, list[Known]] = {}
    for person in people:
        for word in person.words:
            owners.setdefault(word, []).append(person)
    by_id = {person.id: person for person in people}
    scores: dict[int, float] | None = None
    for word in typed:
        best: dict[int, float] = {}
        for close in get_close_matches(word, owners, n=10, cutoff=CLOSE):
            ratio = SequenceMatcher(None, word, close).ratio()
            for person in owners[close]:
                best[person.id] = max(best.get(person.id, 0.0), ratio)
        scores = best if scores is None else {key: scores[key] + r for key, r in best.items() if key in scores}
    assert scores is not None
    ranked = sorted(scores, key=lambda key: (-scores[key], name_order(by_id[key].name), key))
    return [by_id[key] for key in ranked[:SUGGESTED]]


# -- servant find ---------------------------------------------------------------------

#: The fields ``servant find`` searches, in the order a match is told.
FIELDS = ("name", "nickname", "company", "position", "email", "phone", "tags", "notes", "family")
#: The relations a person has kept as text (their person is not in servant), one text:
#: "Frank O'Brien (spouse)", a line each (one-line texts; the line break is the one control
#: character the connection's reading keeps).
RELATIONS_COL = (
    "(SELECT group_concat(t.name || ' (' || t.label || ')', char(10)) FROM relation_text t WHERE t.person_id = p.id)"
)
#: The columns of those fields, for the first pass over everyone (``may_hold``).
SEARCHED_COLS = f"p.id, p.name, p.nickname, p.company, p.position, p.email, p.phone, p.tags, p.notes, {RELATIONS_COL}"


class Match(NamedTuple):
    """Why ``servant find`` lists someone: the field and the text of it that holds the match."""

    field: str
    text: str


def phone_digits(query: str) -> str:
    """The digits of a query that reads as part of a phone number (at least three), else ''."""
    digits = digits_of(query)
    return digits if len(digits) >= 3 and not query.strip().strip("0123456789 +()./-") else ""


def digits_of(text: str | None) -> str:
    return "".join(char for char in text or "" if char.isdigit())


def may_hold(row: Sequence[Any], key: str, digits: str = "") -> bool:
    """Whether a row of ``SEARCHED_COLS`` holds ``key`` anywhere: one folded text of every
    field, a quick first test before ``matches`` says which."""
    texts = [value for value in row[1:7] if value]
    texts += tags_of(row[7])
    texts += [text for text in row[8:10] if text]
    return key in search_key("\x1f".join(texts)) or bool(digits and digits in digits_of(row[6]))


def matches(person: Person, key: str, digits: str = "", relations: str | None = None) -> list[Match]:
    """What in ``person`` holds ``key`` (a ``search_key``), field by field; for a query that
    reads as a phone number (``digits``), a phone whose digits hold those digits.
    ``relations``: their relations kept as text, as ``RELATIONS_COL`` reads them."""
    found = []
    for field in FIELDS:
        if field == "tags":
            found += [Match("tags", tag) for tag in person.tags if key in search_key(tag)]
            continue
        if field == "family":
            found += [Match("family", text) for text in (relations or "").split("\n") if key in search_key(text)]
            continue
        value = getattr(person, field)
        if value and (key in search_key(value) or (field == "phone" and digits and digits in digits_of(value))):
            found.append(Match(field, value))
    return found
