"""Names and tags match as the people who write them expect, in any alphabet: one fold
(``text.fold``) for PERSON arguments, ``find`` and every ``--tag``.

Turkish has two i's: dotted İ/i and dotless I/ı. A Turkish user types either for either
(on a keyboard without them, ``I`` and ``i``), so all four fold to ``i`` both ways.
German ß is ``ss``; Greek final sigma is sigma, accents (tonos) aside; Lithuanian
letters lose their ogonek, caron, macron and dot.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from helpers import ok

FROM = "2026-11-20"


def named(servant, query: str) -> str:
    """The name ``servant show QUERY`` shows."""
    return json.loads(ok(servant("show", query, "--json")))["name"]


def tagged(servant, tag: str) -> list[str]:
    """Who ``list --tag TAG`` lists."""
    return [person["name"] for person in json.loads(ok(servant("list", "--tag", tag, "--json")))]


def check_tag_everywhere(servant, tag: str, name: str) -> None:
    """``--tag TAG`` finds ``name`` in every command that takes it."""
    assert tagged(servant, tag) == [name]
    upcoming = json.loads(ok(servant("upcoming", "--tag", tag, "--from", FROM, "--days", "365", "--json")))
    assert [item["person"] for item in upcoming] == [name]
    exported = list(csv.DictReader(io.StringIO(ok(servant("export", "csv", "--tag", tag)))))
    assert [row["name"] for row in exported] == [name]
    assert name in ok(servant("digest", "--tag", tag, "--from", FROM, "--days", "365"))
    assert name in ok(servant("find", tag))


@pytest.fixture
def ilkay(servant) -> None:
    ok(servant("add", "İlkay Işık", "--tag", "İstanbul", "--birthday", "1990-12-01"))


def test_a_turkish_name_and_tag_are_found_with_either_i(servant, ilkay) -> None:
    for query in ("ilkay", "İlkay", "Ilkay", "ılkay", "ILKAY", "ilkay ışık", "ILKAY ISIK", "isik"):
        assert named(servant, query) == "İlkay Işık"
        assert [person["name"] for person in json.loads(ok(servant("find", query, "--json")))] == ["İlkay Işık"]
    for tag in ("istanbul", "İstanbul", "ISTANBUL", "ıstanbul", "İSTANBUL"):
        check_tag_everywhere(servant, tag, "İlkay Işık")


def test_a_turkish_tag_is_one_tag_whichever_i_is_typed(servant, ilkay) -> None:
    ok(servant("edit", "ilkay", "--tag", "istanbul"))  # the tag she has: no second one
    assert json.loads(ok(servant("show", "ilkay", "--json")))["tags"] == ["İstanbul"]
    ok(servant("edit", "ilkay", "--untag", "ISTANBUL"))
    assert json.loads(ok(servant("show", "ilkay", "--json")))["tags"] == []


def test_german_sharp_s_is_ss(servant) -> None:
    ok(servant("add", "Jörg Straße", "--tag", "Größe", "--birthday", "1990-12-01"))
    for query in ("strasse", "STRASSE", "Straße", "jorg strasse", "JÖRG"):
        assert named(servant, query) == "Jörg Straße"
    for tag in ("grosse", "GRÖSSE", "größe", "Grösse"):
        check_tag_everywhere(servant, tag, "Jörg Straße")


def test_greek_final_sigma_and_tonos(servant) -> None:
    ok(servant("add", "Οδυσσέας Ελύτης", "--tag", "Ποίηση", "--birthday", "1990-12-01"))
    for query in ("ΟΔΥΣΣΕΑΣ", "οδυσσεας", "Οδυσσέας", "οδυσσεασ", "ελυτης", "ΕΛΎΤΗΣ"):
        assert named(servant, query) == "Οδυσσέας Ελύτης"
    for tag in ("ποιηση", "ΠΟΙΗΣΗ", "ποίηση"):
        check_tag_everywhere(servant, tag, "Οδυσσέας Ελύτης")


def test_lithuanian_letters_without_their_marks(servant) -> None:
    ok(servant("add", "Jūratė Žemaitė", "--tag", "Šiauliai", "--birthday", "1990-12-01"))
    ok(servant("add", "Įgnė Ąžuolaitė", "--tag", "Ąžuolynas"))
    for query in ("jurate", "JŪRATĖ", "zemaite", "Žemaitė"):
        assert named(servant, query) == "Jūratė Žemaitė"
    # Lithuanian keeps the dot of i under an accent when lower-cased (i̇̃): a mark like any other.
    for query in ("ignė", "igne azuolaite", "i\u0307gne"):
        assert named(servant, query) == "Įgnė Ąžuolaitė"
    for tag in ("siauliai", "ŠIAULIAI", "Siauliai"):
        check_tag_everywhere(servant, tag, "Jūratė Žemaitė")
    assert tagged(servant, "azuolynas") == ["Įgnė Ąžuolaitė"]
