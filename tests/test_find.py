"""Finding people by what a user remembers: a PERSON argument by any word of a name or
nickname, and a suggestion for a name nearly right."""

from __future__ import annotations

import pytest

from helpers import ok

PEOPLE = (
    ("add", "Margaret O'Brien", "--company", "Acme Flowers", "--email", "meg@acme.example", "--tag", "client"),
    ("add", "Jan Kowalski", "--phone", "+48 22 555 01 23", "--tag", "Florist"),
    ("add", "Lucía García", "--nickname", "Lucha", "--position", "Head gardener"),
    ("add", "Robert Stone", "--nickname", "Bob", "--company", "O’Brien & Sons"),
    (
        "add",
        "Tom D'Angelo",
        "--note",
        "Met him at the harbour. He restores old sailing boats and collects maps of the Baltic coast.",
    ),
    ("add", "Anna Müller-Lüdenscheidt", "--tag", "client"),
)


@pytest.fixture
def people(database_from) -> None:
    database_from(*PEOPLE)


def shown(servant, query: str) -> str:
    """The first line of ``servant show QUERY``: "Jan Kowalski (#2)"."""
    return ok(servant("show", query, "--from", "2026-01-01")).splitlines()[0]


# -- PERSON by any word of the name or nickname ---------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Kowalski", "Jan Kowalski (#2)"),  # a word of the name
        ("kowalski", "Jan Kowalski (#2)"),
        ("Kowal", "Jan Kowalski (#2)"),  # the start of a word
        ("O'Brien", "Margaret O'Brien (#1)"),  # an apostrophe is left out of the word
        ("O’Brien", "Margaret O'Brien (#1)"),
        ("obrien", "Margaret O'Brien (#1)"),
        ("brien", "Margaret O'Brien (#1)"),  # and the part after it is a word too
        ("Angelo", "Tom D'Angelo (#5)"),
        ("lucia", "Lucía García (#3)"),  # accents aside
        ("GARCIA", "Lucía García (#3)"),
        ("garcia lucia", "Lucía García (#3)"),  # words in any order
        ("lucia gar", "Lucía García (#3)"),  # the last word typed may be a start
        ("Lucha", "Lucía García (#3)"),  # the nickname
        ("bob", "Robert Stone (#4)"),
        ("bob stone", "Robert Stone (#4)"),
        ("ludenscheidt", "Anna Müller-Lüdenscheidt (#6)"),  # a hyphen separates words
        ("muller-ludenscheidt", "Anna Müller-Lüdenscheidt (#6)"),
    ],
)
def test_a_person_is_found_by_any_word_of_their_name_or_nickname(servant, people, query: str, found: str) -> None:
    assert shown(servant, query) == found


def test_every_command_taking_a_person_finds_them_by_a_word(servant, people) -> None:
    logged = ok(servant("log", "kowalski", "card", "--on", "2026-01-02"))
    assert logged.startswith("Logged card for Jan Kowalski")
    assert ok(servant("edit", "obrien", "--phone", "555 0101")).startswith("Updated Margaret O'Brien (#1)")
    assert ok(servant("add", "Ewa Kowalska", "--child-of", "Kowalski")).startswith("Added Ewa Kowalska (#7)")
    assert "  Child of  Jan Kowalski (#2)\n" in ok(servant("show", "Ewa", "--from", "2026-01-01"))


def test_a_word_two_people_share_lists_them_with_their_ids(servant, people) -> None:
    ok(servant("add", "Piotr Kowalski"))
    result = servant("show", "kowalski")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: 'kowalski' matches 2 people: #2 Jan Kowalski, #7 Piotr Kowalski; use more of the name or #ID\n"
    )
    assert shown(servant, "piotr kowalski") == "Piotr Kowalski (#7)"


def test_a_whole_word_beats_the_start_of_another(servant, people) -> None:
    ok(servant("add", "Adam Stonebridge"))
    assert shown(servant, "stone") == "Robert Stone (#4)"
    assert shown(servant, "stoneb") == "Adam Stonebridge (#7)"


def test_words_are_compared_only_when_no_name_starts_with_the_query(servant, people) -> None:
    # "Bob" starts one name and is another person's nickname: the name decides, as before.
    ok(servant("add", "Bobby Tables"))
    assert shown(servant, "Bob") == "Bobby Tables (#7)"
    assert shown(servant, "bob stone") == "Robert Stone (#4)"


def test_accents_do_not_hide_a_second_person_the_name_could_be(servant, people) -> None:
    ok(servant("add", "Lucia Garcia Lopez"))
    # Without accents "lucia" starts both names: which one is not guessed.
    result = servant("show", "lucia")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: 'lucia' matches 2 people: #3 Lucía García, #7 Lucia Garcia Lopez; use more of the name or #ID\n",
    )
    assert shown(servant, "lucia garcia") == "Lucía García (#3)"  # the whole name, accents aside
    assert shown(servant, "Lucia Garcia L") == "Lucia Garcia Lopez (#7)"


def test_an_unknown_name_suggests_the_closest_names(servant, people) -> None:
    result = servant("show", "Margret")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Error: no one called 'Margret'; did you mean Margaret O'Brien (#1)? See 'servant list'\n"
    ok(servant("add", "Jan Kowalsky"))
    result = servant("log", "Kowalsci", "call")  # closest first
    assert result.stderr == (
        "Error: no one called 'Kowalsci'; did you mean Jan Kowalski (#2) or Jan Kowalsky (#7)? See 'servant list'\n"
    )
    result = servant("show", "Margaret OBrein")  # several words: the whole name
    assert "did you mean Margaret O'Brien (#1)?" in result.stderr
    result = servant("show", "Xavier")  # a name like no other: no suggestion
    assert (result.exit_code, result.stderr) == (1, "Error: no one called 'Xavier'; see 'servant list'\n")
