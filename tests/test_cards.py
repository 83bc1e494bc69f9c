"""``servant card``: a draft message for a person's next occasion, or the one named, from
servant's templates or the user's own (``<config dir>/cards/<kind>.txt``), rendered in
Jinja2's sandbox; a placeholder without a value drops its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import dump, ok

FROM = "2026-11-22"


def card(servant, *args: str) -> str:
    return ok(servant("card", *args, "--from", FROM))


def fails(servant, *args: str, code: int = 1) -> str:
    """The one error line of a card that is refused."""
    result = servant("card", *args, "--from", FROM)
    assert result.exit_code == code, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def own_template(tmp_path: Path, kind: str, text: str) -> Path:
    """A card template in the test's config dir (conftest points SERVANT_CONFIG_DIR there)."""
    folder = tmp_path / "config" / "cards"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.txt"
    path.write_text(text, encoding="utf-8")
    return path


FAMILY = (
    ("add", "Maria Okafor", "--birthday", "1981-12-03", "--anniversary", "2010-06-12", "--company", "Okafor Bakery"),
    ("add", "Tom Okafor", "--spouse-of", "Maria", "--nickname", "Tommy"),
    ("add", "Emma Okafor", "--child-of", "Maria Okafor", "--child-of", "Tom Okafor"),
    ("add", "Leo Okafor", "--child-of", "Maria Okafor"),
)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("add", "Ada Byron", "--birthday", "1986-12-10"),
            "Dear Ada,\n\nHappy birthday! Wishing you a wonderful day and a year to match.\n"
            "Congratulations on turning 40.\n\nWarm wishes\n",
        ),
        (
            ("add", "Ada Byron", "--anniversary", "2016-12-10"),
            "Dear Ada,\n\nCongratulations on your 10th wedding anniversary!\n"
            "Wishing you both many more happy years together.\n\nWarm wishes\n",
        ),
        (
            ("add", "Ada Byron", "--work-anniversary", "2021-12-10", "--company", "Acme"),
            "Dear Ada,\n\nHappy work anniversary!\nCongratulations on 5 years at work at Acme.\n"
            "Thank you for everything you bring to the team.\n\nBest wishes\n",
        ),
        (
            ("add", "Ada Byron", "--client-since", "2021-12-10"),
            "Dear Ada,\n\nThank you for 5 years with us!\nIt has been a pleasure working with you.\n\n"
            "With thanks and best wishes\n",
        ),
        (
            ("add", "Ada Byron", "--date", "Shop opening=2016-12-10"),
            "Dear Ada,\n\nThinking of you on December 10: Shop opening, 10 years.\n\nWarm wishes\n",
        ),
    ],
    ids=["birthday", "anniversary", "work-anniversary", "client-since", "custom"],
)
def test_each_kind_has_a_card_of_its_own(servant, args: tuple[str, ...], expected: str) -> None:
    ok(servant(*args))
    assert card(servant, "Ada") == expected


def test_a_date_without_a_year_drops_the_sentence_with_the_number(servant) -> None:
    ok(servant("add", "Jonas Berg", "--birthday", "Jan 5", "--anniversary", "Jun 18"))
    assert card(servant, "Jonas") == (
        "Dear Jonas,\n\nHappy birthday! Wishing you a wonderful day and a year to match.\n\nWarm wishes\n"
    )
    assert card(servant, "Jonas", "anniversary") == (
        "Dear Jonas,\n\nHappy anniversary!\nWishing you both many more happy years together.\n\nWarm wishes\n"
    )


def test_the_nickname_is_used_for_the_greeting(servant) -> None:
    ok(servant("add", "Robert Stone", "--nickname", "Bob", "--birthday", "1980-12-01"))
    drawn = card(servant, "Robert")
    assert drawn.startswith("Dear Bob,\n")
    assert "Robert" not in drawn


def test_spouse_and_children_are_named_and_greeted_by_their_nickname(servant) -> None:
    for args in FAMILY:
        ok(servant(*args))
    assert card(servant, "Maria", "anniversary") == (
        "Dear Maria and Tommy,\n\nCongratulations on your 17th wedding anniversary!\n"
        "Wishing you both many more happy years together.\nLove to Emma and Leo.\n\nWarm wishes\n"
    )
    assert "I hope you get to celebrate with Tommy, Emma and Leo.\n" in card(servant, "Maria", "birthday")
    # Emma's own birthday card has no spouse or children to name: the sentence goes.
    ok(servant("date", "Emma", "birthday", "2019-12-14"))
    emma = card(servant, "Emma")
    assert "celebrate with" not in emma
    assert emma == (
        "Dear Emma,\n\nHappy birthday! Wishing you a wonderful day and a year to match.\n"
        "Congratulations on turning 7.\n\nWarm wishes\n"
    )


def test_a_relation_kept_as_text_is_named_too(servant, tmp_path: Path) -> None:
    vcard = tmp_path / "sofia.vcf"
    vcard.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Sofia Reyes\r\nN:Reyes;Sofia;;;\r\nBDAY:19851204\r\n"
        "RELATED;TYPE=spouse;VALUE=text:Diego Reyes\r\nRELATED;TYPE=child;VALUE=text:Lucía Reyes\r\n"
        "RELATED;TYPE=sibling;VALUE=text:Ana Reyes\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    ok(servant("import", str(vcard), "-q"))
    assert "I hope you get to celebrate with Diego and Lucía.\n" in card(servant, "Sofia")


@pytest.mark.parametrize(
    ("year", "number"),
    [
        (2025, "1st"),
        (2024, "2nd"),
        (2023, "3rd"),
        (2015, "11th"),
        (2014, "12th"),
        (2013, "13th"),
        (2005, "21st"),
        (2004, "22nd"),
    ],
)
def test_the_anniversary_number_is_an_ordinal(servant, year: int, number: str) -> None:
    ok(servant("add", "Ines Duarte", "--anniversary", f"{year}-12-20"))
    assert f"Congratulations on your {number} wedding anniversary!\n" in card(servant, "Ines")


def test_the_next_occasion_is_the_default_and_any_can_be_named(servant) -> None:
    ok(servant("add", "Lena Moreau", "--birthday", "1992-12-24", "--date", "Shop opening=2016-12-02"))
    assert "Shop opening, 10 years" in card(servant, "Lena")
    assert "turning 34" in card(servant, "Lena", "birthday")
    assert "Shop opening, 10 years" in card(servant, "Lena", "SHOP OPENING")
    assert "turning 34" in ok(servant("card", "Lena", "--from", "2026-12-03"))


def test_the_years_as_a_client_and_the_company_are_placeholders(servant, tmp_path: Path) -> None:
    ok(servant("add", "Grace Kim", "--birthday", "1975-11-30", "--client-since", "2010-05-17", "--company", "Kim"))
    own_template(
        tmp_path,
        "birthday",
        "Hi {{ greeting }} ({{ name }}, {{ kind }}: {{ occasion }} on {{ weekday }} {{ date }} {{ year }})\n"
        "{{ age }} / {{ years }} / {{ ordinal }} / {{ years_text }} / {{ milestone }}\n"
        "A client for {{ client_years }} years, at {{ company }}.\n"
        "Position: {{ position }}.\n",
    )
    assert card(servant, "Grace") == (
        "Hi Grace (Grace Kim, birthday: Birthday on Monday November 30 2026)\n"
        "51 / 51 / 51st / 51 years / turning 51\n"
        "A client for 16 years, at Kim.\n"
    )


def test_a_template_of_the_users_replaces_servants_own(servant, tmp_path: Path) -> None:
    ok(servant("add", "Ada Byron", "--birthday", "1986-12-10", "--anniversary", "2016-12-11"))
    own_template(
        tmp_path,
        "birthday",
        "Yo {{ greeting|upper }}!\n"
        "{% if spouse %}\nand {{ spouse }}\n{% endif %}\n"
        "You are {{ age }} now.\n"
        "Say hi to {{ spouse.name }}.\n"
        "{{ children|default('no kids') }}\n",
    )
    assert card(servant, "Ada") == "Yo ADA!\nYou are 40 now.\nno kids\n"
    # Other kinds keep servant's own template.
    assert card(servant, "Ada", "anniversary").startswith("Dear Ada,\n\nCongratulations on your 10th")


def test_a_name_that_is_no_placeholder_is_said_not_left_out(servant, tmp_path: Path, db_path: Path) -> None:
    ok(servant("add", "Ada Byron", "--birthday", "1986-12-10"))
    path = own_template(tmp_path, "birthday", "Dear {{ greting }},\nHappy birthday!\n")
    assert fails(servant, "Ada") == f"Error: {path}: 'greting' is not a placeholder; did you mean greeting?\n"


def test_a_template_trying_to_reach_python_is_refused(servant, tmp_path: Path, db_path: Path) -> None:
    ok(servant("add", "Ada Byron", "--birthday", "1986-12-10"))
    path = own_template(tmp_path, "birthday", "Dear {{ greeting }},\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    before = dump(db_path)
    error = fails(servant, "Ada")
    assert error == (
        f"Error: {path}: refused: access to attribute '__class__' of 'str' object is unsafe; "
        "a card template can use only its placeholders\n"
    )
    # Hidden in a test or a filter, it is refused all the same.
    own_template(tmp_path, "birthday", "{% if name.__class__ %}x{% endif %}\n")
    assert "refused: access to attribute '__class__'" in fails(servant, "Ada")
    own_template(tmp_path, "birthday", "{{ name.format.__globals__ }}\n")
    assert "is unsafe" in fails(servant, "Ada")
    own_template(tmp_path, "birthday", "{{ (name|attr('__class__')).__base__ }}\n")
    assert "refused: access to attribute '__class__'" in fails(servant, "Ada")
    assert dump(db_path) == before


def test_a_broken_template_is_named_with_its_line(servant, tmp_path: Path) -> None:
    ok(servant("add", "Ada Byron", "--birthday", "1986-12-10"))
    path = own_template(tmp_path, "birthday", "Dear {{ greeting }},\n\nHappy {{ age }\n")
    assert fails(servant, "Ada") == f"Error: {path}, line 3: unexpected '}}'\n"
    own_template(tmp_path, "birthday", "{% if age %}\nTurning {{ age }}\n")
    assert fails(servant, "Ada").startswith(f"Error: {path}, line 2: Unexpected end of template.")
    (tmp_path / "config" / "cards" / "birthday.txt").write_bytes(b"Dear {{ greeting }}\n\xff\n")
    assert fails(servant, "Ada") == f"Error: the card template {path} must be UTF-8 text, and line 2 is not\n"
    own_template(tmp_path, "birthday", "{{ age + 1 }} {{ children + 1 }}\n")
    assert fails(servant, "Ada") == f"Error: {path}: 'children' is undefined\n"


def test_an_unknown_person_is_refused_as_elsewhere(servant) -> None:
    ok(servant("add", "Ada Byron", "--birthday", "1986-12-10"))
    assert fails(servant, "Zed") == "Error: no one called 'Zed'; see 'servant list'\n"


def test_a_person_without_dates_is_told_how_to_add_one(servant) -> None:
    ok(servant("add", "Ada Byron"))
    assert fails(servant, "Ada") == (
        "Error: Ada Byron has no key dates; add one first, e.g. servant date 'Ada Byron' birthday DATE\n"
    )


def test_an_unknown_occasion_lists_the_persons_own(servant) -> None:
    ok(servant("add", "Ada Byron", "--birthday", "1986-12-10", "--date", "Shop opening=2016-12-10"))
    assert fails(servant, "Ada", "graduation") == (
        "Error: Ada Byron has no 'graduation' date; theirs: birthday, Shop opening\n"
    )
    assert fails(servant, "Ada", " ", code=2) == (
        "Error: OCCASION is empty; give birthday, anniversary, work-anniversary, client-since or a date's label,"
        " or leave it out for the next one\n"
    )


def test_a_one_off_date_that_passed_has_no_card(servant) -> None:
    ok(servant("add", "Ada Byron"))
    ok(servant("date", "Ada", "custom", "2026-01-10", "--label", "Launch", "--once"))
    assert fails(servant, "Ada") == (
        "Error: Ada Byron has no date to come: every one of theirs was a one-off date that has passed\n"
    )
    assert fails(servant, "Ada", "launch") == (
        "Error: Ada Byron's Launch was a one-off date that has passed; theirs: Launch\n"
    )


def test_json_gives_the_occasion_and_the_draft(servant, tmp_path: Path) -> None:
    ok(servant("add", "Ada Byron", "--birthday", "1986-12-10", "--date", "Shop opening=2016-12-01"))
    assert json.loads(card(servant, "Ada", "--json")) == {
        "person": "Ada Byron",
        "person_id": 1,
        "kind": "custom",
        "label": "Shop opening",
        "date": "2026-12-01",
        "years": 10,
        "template": None,
        "text": "Dear Ada,\n\nThinking of you on December 1: Shop opening, 10 years.\n\nWarm wishes\n",
    }
    path = own_template(tmp_path, "birthday", "Hi {{ greeting }}\n")
    drawn = json.loads(card(servant, "Ada", "birthday", "--json"))
    assert (drawn["template"], drawn["text"], drawn["years"]) == (str(path), "Hi Ada\n", 40)
