"""Finding people by what a user remembers: a PERSON argument by any word of a name or
nickname, a suggestion for a name nearly right, and ``servant find`` over every detail."""

from __future__ import annotations

import json

import pytest

from helpers import ANSI, dump, ok

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
    assert logged.startswith("Logged card #1 for Jan Kowalski")
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


def test_letters_without_an_accent_mark_are_found_by_the_plain_letter(servant) -> None:
    ok(servant("add", "Łukasz Wójcik"))
    ok(servant("add", "Søren Kierkegaard"))
    assert shown(servant, "lukasz") == "Łukasz Wójcik (#1)"  # the start of the name
    assert shown(servant, "wojcik") == "Łukasz Wójcik (#1)"  # a word of it
    assert shown(servant, "soren k") == "Søren Kierkegaard (#2)"


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


# -- servant find -------------------------------------------------------------------


def test_find_lists_each_person_with_what_matched(servant, people) -> None:
    assert ok(servant("find", "obrien")) == (
        "#1  Margaret O'Brien  name\n#4  Robert Stone      company: O’Brien & Sons\n"
    )
    assert ok(servant("find", "ACME")) == "#1  Margaret O'Brien  company: Acme Flowers; email: meg@acme.example\n"
    assert ok(servant("find", "gärdener")) == "#3  Lucía García  position: Head gardener\n"
    assert ok(servant("find", "lucha")) == "#3  Lucía García  nickname: Lucha\n"
    assert ok(servant("find", "flor")) == "#2  Jan Kowalski  tag: Florist\n"


def test_find_shows_the_part_of_a_long_note_that_matched(servant, people) -> None:
    assert ok(servant("find", "sailing")) == (
        "#5  Tom D'Angelo  notes: …the harbour. He restores old sailing boats and collects maps of th…\n"
    )


def test_find_reads_a_phone_number_by_its_digits(servant, people) -> None:
    expected = "#2  Jan Kowalski  phone: +48 22 555 01 23\n"
    assert ok(servant("find", "5550123")) == expected
    assert ok(servant("find", "555-0123")) == expected
    assert ok(servant("find", "555 01")) == expected


def test_find_puts_name_matches_first(servant, people) -> None:
    ok(servant("add", "Sam Acme"))
    assert ok(servant("find", "acme")).splitlines() == [
        "#7  Sam Acme          name",
        "#1  Margaret O'Brien  company: Acme Flowers; email: meg@acme.example",
    ]


def test_find_with_a_tag_looks_among_those_people_only(servant, people) -> None:
    assert ok(servant("find", "an", "--tag", "client")) == "#6  Anna Müller-Lüdenscheidt  name\n"
    assert ok(servant("find", "acme", "--tag", "florist")) == "No one with the tag florist matches 'acme'.\n"


def test_find_without_a_match_says_so_and_succeeds(servant, people, db_path) -> None:
    before = dump(db_path)
    assert ok(servant("find", "zebra")) == "No one matches 'zebra'.\n"
    assert ok(servant("find", "zebra", "--json")) == "[]\n"
    assert dump(db_path) == before


def test_find_json_gives_each_person_and_their_matches(servant, people) -> None:
    found = json.loads(ok(servant("find", "o'brien", "--json")))
    assert [(p["id"], p["name"], p["matches"]) for p in found] == [
        (1, "Margaret O'Brien", [{"field": "name", "text": "Margaret O'Brien"}]),
        (4, "Robert Stone", [{"field": "company", "text": "O’Brien & Sons"}]),
    ]
    assert found[1]["nickname"] == "Bob"
    assert found[0]["tags"] == ["client"]


def test_find_on_a_terminal_is_a_table_with_the_match_in_bold(servant, people) -> None:
    out = ok(servant("find", "acme", env={"FORCE_COLOR": "1", "COLUMNS": "100"}))
    plain = ANSI.sub("", out)
    assert [cell.strip() for cell in plain.splitlines()[1].split("┃")[1:-1]] == ["ID", "Name", "Matched"]
    assert "company: \x1b[1;33mAcme\x1b[0m Flowers" in out
    assert "email: meg@\x1b[1;33macme\x1b[0m.example" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Error: TEXT: give some text to look for, e.g. servant find acme\n"),
        ("  ' ", "Error: TEXT: give some text to look for, e.g. servant find acme\n"),
        ("a\x1b[2J", "Error: TEXT: 'a\\x1b[2J' must be one line of text without control characters\n"),
    ],
)
def test_find_refuses_text_it_cannot_look_for(servant, people, text: str, message: str) -> None:
    result = servant("find", text)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_find_in_a_database_that_is_not_there_is_an_error(servant, tmp_path) -> None:
    result = servant("--db", str(tmp_path / "none.db"), "find", "x")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: there is no database at ")
    assert not (tmp_path / "none.db").exists()
