"""servant's JSON: everything out, and back whole (``servant export json``, ``servant import FILE.json``)."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import dump, ok

DATA = Path(__file__).parent / "data" / "import"


def run_in(servant, db: Path, *args: str):
    return servant(*args, env={"SERVANT_DB": str(db)})


def added_id(output: str) -> str:
    return "#" + re.search(r"\(#(\d+)\)", output)[1]


@st.composite
def databases(draw) -> list[tuple[str, ...]]:
    """The commands that make a random database: people with every field a command can
    set, dates of every kind (one-off, planned, yearless, yearly rules), family links,
    gestures counted for a date or not, gift ideas given or not, seasons (one removed:
    ids with gaps) and the gestures that ticked people off them, and people and gestures
    removed (ids with
    gaps)."""
    names = ["Ann Lee", "Zoë Ñúñez", "山田 太郎", "Frank O'Brien", "Ana María López García", "Bob"]
    commands: list[tuple[str, ...]] = []
    count = draw(st.integers(1, 5))
    for number in range(count):
        args = ["add", f"{draw(st.sampled_from(names))} {number}"]
        for option, values in (
            ("--birthday", ["1980-03-14", "--12-25", "2000-02-29"]),
            ("--anniversary", ["2010-06-20"]),
            (
                "--date",
                [
                    "Opening; phase 1, Lisbon=2015-06-01",
                    'Shop "Rose", 1st=--05-01',
                    "Mother's Day=2nd Sunday of May",
                    "Whit Sunday=Easter+49",
                    "Memorial=last Monday of May",
                ],
            ),
            ("--company", ["Stone & Co", "Müller, Schmidt"]),
            ("--position", ["CEO"]),
            ("--nickname", ["Bobby"]),
            ("--email", [f"p{number}@example.com"]),
            ("--phone", ["+1 555 0100"]),
            ("--note", ["Likes tea; not coffee", "line one"]),
            ("--every", ["30"]),
            ("--tag", ["client", "math, science"]),
        ):
            if draw(st.booleans()):
                args += [option, draw(st.sampled_from(values))]
        if number and draw(st.booleans()):
            args += [draw(st.sampled_from(["--child-of", "--spouse-of"])), f"#{draw(st.integers(1, number))}"]
        commands.append(tuple(args))
        if draw(st.booleans()):
            commands.append(
                (
                    "date",
                    f"#{number + 1}",
                    "custom",
                    "2027-01-02",
                    "--label",
                    "Trip",
                    "--once",
                    "--plan",
                    "card",
                    "--lead",
                    "3",
                )
            )
    seasons = [
        ("season", "add", "Holiday cards", "--on", "Dec 1", "--tag", "client", "--plan", "card", "--lead", "21"),
        ("season", "add", "New Year", "--on", "01-02"),
        ("season", "add", "Gone", "--on", "Jun 1"),
    ]
    commands += draw(st.lists(st.sampled_from(seasons), unique=True))
    if draw(st.booleans()):
        commands.append(("season", "rm", "Gone", "--yes"))
    if draw(st.booleans()):
        commands.append(("log", "--season", "New Year", "call", "--all-left", "--on", "2026-03-10", "--yes"))
    for _ in range(draw(st.integers(0, 6))):
        who = f"#{draw(st.integers(1, count))}"
        kind = draw(st.sampled_from(["gift", "call", "card", "note"]))
        args = ["log", who, kind, draw(st.sampled_from(["red scarf", "tea", "said hi"])), "--on", "2026-03-10"]
        if draw(st.booleans()):
            args += ["--cost", draw(st.sampled_from(["$60", "45,50 €"]))]
        args += (
            ["--for", draw(st.sampled_from(["none", "Trip", "birthday", "Holiday cards"]))]
            if draw(st.booleans())
            else []
        )
        commands.append(tuple(args))
    for _ in range(draw(st.integers(0, 3))):
        commands.append(
            ("idea", f"#{draw(st.integers(1, count))}", draw(st.sampled_from(["a book", "tea", "a scarf"])))
        )
    if draw(st.booleans()):
        commands.append(("rm", f"#{draw(st.integers(1, count))}", "--yes"))
    # Structured names an import brings (vCard N), one perhaps renamed here since.
    parts = st.sampled_from(["", "van der Berg", "Anna", "Maria,Luisa", "Dr.", "PhD", "Ñúñez\\; Jr."])
    cards = []
    for number in range(draw(st.integers(0, 3))):
        n = ";".join(draw(parts) for _ in range(5))
        cards.append(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Card {number}\r\nN:{n}\r\nEND:VCARD\r\n")
    if cards:
        commands.append(("vcard", "".join(cards)))
        if draw(st.booleans()):
            commands.append(("edit", "Card 0", "--name", "Card zero"))
    return commands


def make(servant, db: Path, commands: list[tuple[str, ...]]) -> None:
    """Run the commands; those the random plan got wrong (a date the person lacks, an idea
    already given) are simply not part of this database."""
    for args in commands:
        if args[0] == "vcard":
            path = db.with_name("cards.vcf")
            path.write_text(args[1], encoding="utf-8")
            ok(run_in(servant, db, "import", str(path), "-q"))
            continue
        run_in(servant, db, *args)
    # Source uids and connected-on days: LinkedIn's file (one record has no name).
    assert run_in(servant, db, "import", str(DATA / "Connections.csv"), "-q").exit_code == 0


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(commands=databases())
def test_export_import_into_a_fresh_file_and_export_again_gives_the_same_bytes(servant, commands) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "first.db", Path(folder) / "second.db"
        make(servant, first, commands)
        exported = ok(run_in(servant, first, "export", "json"))
        (Path(folder) / "all.json").write_text(exported, encoding="utf-8")
        ok(run_in(servant, second, "import", str(Path(folder) / "all.json"), "-q"))
        assert ok(run_in(servant, second, "export", "json")) == exported
        # Back into the database it came from: nothing changes, not even a calendar's SEQUENCE.
        before = run_in(servant, first, "export", "ics", "--from", "2026-01-01").stdout
        said = ok(run_in(servant, first, "import", str(Path(folder) / "all.json")))
        assert " 0 added, 0 updated," in said
        assert ok(run_in(servant, first, "export", "json")) == exported
        assert run_in(servant, first, "export", "ics", "--from", "2026-01-01").stdout == before


def test_the_file_holds_every_field_with_its_format_and_version(servant, tmp_path) -> None:
    servant("import", str(DATA / "Connections.csv"), "-q")
    ok(
        servant(
            "add",
            "Frank Delgado Jr.",
            "--birthday",
            "1980-03-14",
            "--nickname",
            "Frankie",
            "--position",
            "CEO",
            "--company",
            "Acme",
            "--every",
            "30",
            "--tag",
            "client",
        )
    )
    ok(servant("add", "Ann Delgado", "--child-of", "Frank Delgado", "--birthday", "--12-25"))
    ok(
        servant(
            "date",
            "Ann",
            "custom",
            "2027-01-02",
            "--label",
            "Opening; phase 1, Lisbon",
            "--once",
            "--plan",
            "card",
            "--lead",
            "3",
        )
    )
    ok(servant("log", "Frank", "gift", "red scarf", "--on", "2026-03-10", "--for", "birthday", "--cost", "$60"))
    ok(servant("idea", "Frank", "a book"))
    ok(servant("idea", "Ann", "tea"))
    ok(servant("log", "Ann", "gift", "tea", "--on", "2026-01-01", "--idea", "2"))
    document = json.loads(ok(servant("export", "json")))
    assert (document["format"], document["version"]) == ("servant", 1)
    people = {person["name"]: person for person in document["people"]}
    priya = people["Priya Shah"]
    assert priya["source_uid"] == "https://www.linkedin.com/in/priya-shah-4b2a1c9"
    assert priya["connected_on"] == "2024-03-12"
    frank, ann = people["Frank Delgado Jr."], people["Ann Delgado"]
    assert {key: frank[key] for key in ("nickname", "position", "company", "keep_in_touch_days", "tags")} == {
        "nickname": "Frankie",
        "position": "CEO",
        "company": "Acme",
        "keep_in_touch_days": 30,
        "tags": ["client"],
    }
    assert ann["family"] == [{"relation": "child", "of": frank["id"]}]
    assert ann["dates"] == [
        {"kind": "birthday", "date": "--12-25"},
        {
            "kind": "custom",
            "label": "Opening; phase 1, Lisbon",
            "date": "2027-01-02",
            "once": True,
            "lead_days": 3,
            "plan": "card",
        },
    ]
    [gift] = frank["gestures"]
    assert gift["for"] == {"kind": "birthday", "day": "2026-03-14"} and gift["cost"] == "$60"
    assert [idea.get("given") for idea in frank["ideas"] + ann["ideas"]] == [None, "2026-01-01"]
    assert ann["ideas"][0]["gift"] == ann["gestures"][0]["id"]


def test_gestures_keep_their_date_in_a_database_where_ids_differ(servant, tmp_path) -> None:
    ok(servant("add", "Ann", "--birthday", "1990-05-01", "--date", "Shop=2015-06-01"))
    ok(servant("log", "Ann", "card", "--on", "2026-05-30", "--for", "Shop"))
    path = tmp_path / "all.json"
    ok(servant("export", "json", "-o", str(path)))
    other = tmp_path / "other.db"
    ok(run_in(servant, other, "add", "Zed", "--birthday", "1970-01-01", "--anniversary", "2000-02-02"))
    ok(run_in(servant, other, "import", str(path), "-q"))
    [gesture] = json.loads(ok(run_in(servant, other, "gestures", "Ann", "--json")))
    assert (gesture["for"], gesture["for_date"], gesture["person_id"]) == ("Shop", "2026-06-01", 2)


def test_the_gift_that_ticked_a_season_off_stays_the_one_among_gifts_alike(servant, tmp_path) -> None:
    """The same gift logged three times, the last for a season: back into its own
    database, the season stays on the last one, not the first gift like it."""
    ok(servant("add", "Ann", "--tag", "client"))
    ok(servant("season", "add", "Holiday cards", "--on", "Dec 1", "--tag", "client"))
    ok(servant("log", "Ann", "gift", "red scarf", "--on", "2026-03-10"))
    again = "Note: you gave Ann 'red scarf' before, on Tue 10 Mar 2026"
    ok(servant("log", "Ann", "gift", "red scarf", "--on", "2026-03-10"), again + ".\n")
    ok(
        servant("log", "Ann", "gift", "red scarf", "--on", "2026-03-10", "--for", "Holiday cards"),
        again + " (and 1 time before that).\n",
    )
    path = tmp_path / "all.json"
    ok(servant("export", "json", "-o", str(path)))
    assert " 0 added, 0 updated, 1 unchanged" in ok(servant("import", str(path)))
    [ann] = json.loads(ok(servant("export", "json")))["people"]
    assert [(g["id"], g.get("for")) for g in ann["gestures"]] == [
        (1, None),
        (2, None),
        (3, {"season": "Holiday cards", "day": "2025-12-01"}),
    ]


def gifts_of_ann(servant, db: Path, seasons: list[str | None]) -> list[dict | None]:
    """Ann in ``db``, with the same gift logged once for each of ``seasons`` (None: for
    none), both seasons there; what ``export json`` says each of her gifts ticked off."""
    ok(run_in(servant, db, "add", "Ann", "--tag", "client"))
    for season, on in (("Holiday cards", "Dec 1"), ("New Year", "Jan 2")):
        ok(run_in(servant, db, "season", "add", season, "--on", on, "--tag", "client"))
    for season in seasons:
        given = run_in(
            servant, db, "log", "Ann", "gift", "red scarf", "--on", "2026-03-10", *(["--for", season] if season else [])
        )
        assert given.exit_code == 0, given.stderr
    return [gift.get("for") for gift in json.loads(ok(run_in(servant, db, "export", "json")))["people"][0]["gestures"]]


HOLIDAY = {"season": "Holiday cards", "day": "2025-12-01"}
NEW_YEAR = {"season": "New Year", "day": "2026-01-02"}


def test_a_gift_ticked_off_is_matched_with_the_one_stored_that_ticked_the_same_off_whatever_the_order(
    servant, tmp_path
) -> None:
    """The file has the gift twice, the second time for a season; the database has it once,
    for that season: that one is the file's second, and the first is added."""
    assert gifts_of_ann(servant, tmp_path / "file.db", [None, "Holiday cards"]) == [None, HOLIDAY]
    ok(run_in(servant, tmp_path / "file.db", "export", "json", "-o", str(tmp_path / "all.json")))
    assert gifts_of_ann(servant, tmp_path / "here.db", ["Holiday cards"]) == [HOLIDAY]
    ok(run_in(servant, tmp_path / "here.db", "import", str(tmp_path / "all.json"), "-q"))
    gifts = json.loads(ok(run_in(servant, tmp_path / "here.db", "export", "json")))["people"][0]["gestures"]
    assert [(gift["id"], gift.get("for")) for gift in gifts] == [(1, HOLIDAY), (2, None)]


def test_a_gift_ticked_off_is_not_one_stored_that_ticked_another_season_off(servant, tmp_path) -> None:
    """A gesture ticks one season off at most: the file's gift for New Year is not the
    stored one alike for Holiday cards, whose tick it would lose; it is added."""
    assert gifts_of_ann(servant, tmp_path / "file.db", ["New Year"]) == [NEW_YEAR]
    ok(run_in(servant, tmp_path / "file.db", "export", "json", "-o", str(tmp_path / "all.json")))
    assert gifts_of_ann(servant, tmp_path / "here.db", ["Holiday cards"]) == [HOLIDAY]
    ok(run_in(servant, tmp_path / "here.db", "import", str(tmp_path / "all.json"), "-q"))
    gifts = json.loads(ok(run_in(servant, tmp_path / "here.db", "export", "json")))["people"][0]["gestures"]
    assert [(gift["id"], gift.get("for")) for gift in gifts] == [(1, HOLIDAY), (2, NEW_YEAR)]


def test_a_file_that_is_not_servants_json_is_refused_and_writes_nothing(servant, tmp_path, db_path) -> None:
    ok(servant("add", "Ann"))
    before = dump(db_path)
    for text, said in (
        ('{"people": []}', "not a servant JSON export"),
        ('{"format": "servant", "version": 2, "people": []}', "from a newer servant"),
        ('{"format": "servant", ', "not JSON"),
    ):
        path = tmp_path / "x.json"
        path.write_text(text, encoding="utf-8")
        result = servant("import", str(path))
        assert result.exit_code == 1 and said in result.stderr and "Traceback" not in result.stderr
    assert dump(db_path) == before


def test_a_person_the_file_gets_wrong_is_skipped_with_the_reason(servant, tmp_path) -> None:
    path = tmp_path / "x.json"
    people = [
        {"id": 1, "name": "Ann", "dates": [{"kind": "birthday", "date": "1990-13-45"}]},
        {"id": 2, "name": "Bob", "dates": [{"kind": "birthday", "date": "--02-29"}]},
    ]
    path.write_text(json.dumps({"format": "servant", "version": 1, "people": people}), encoding="utf-8")
    result = servant("import", str(path))
    assert result.exit_code == 0
    assert "skipped Ann: birthday date '1990-13-45' is not a date: there is no month 13 (person 1)" in result.stderr
    assert "1 added" in result.stdout


def test_a_family_link_the_file_cannot_keep_is_a_note_and_the_person_is_imported(servant, tmp_path) -> None:
    path = tmp_path / "x.json"
    people = [{"id": 1, "name": "Ann"}, {"id": 2, "name": "Bob", "family": [{"relation": "child", "of": 999}]}]
    path.write_text(json.dumps({"format": "servant", "version": 1, "people": people}), encoding="utf-8")
    result = servant("import", str(path))
    assert ok(result, result.stderr).startswith(
        "Imported x.json (servant JSON): 2 added, 0 updated, 0 unchanged, 0 skipped"
    )
    assert result.stderr == ("Note: Bob: family: the child link names #999, who is not among the people imported\n")


def test_an_existing_file_servant_did_not_write_is_not_replaced(servant, tmp_path) -> None:
    ok(servant("add", "Ann"))
    notes = tmp_path / "notes.json"
    notes.write_text('{"mine": 1}', encoding="utf-8")
    result = servant("export", "json", "-o", str(notes))
    assert result.exit_code == 1 and notes.read_text() == '{"mine": 1}'
    ok(servant("export", "json", "-o", str(tmp_path / "all.json")))
    ok(servant("export", "json", "-o", str(tmp_path / "all.json")))  # its own file: replaced


def test_a_gesture_id_given_twice_skips_the_second_person_and_ids_go_on_after_the_file(servant, tmp_path) -> None:
    gift = {"id": 4, "on": "2026-01-01", "kind": "gift"}
    people = [
        {"id": 3, "name": "Ann", "gestures": [gift]},
        {"id": 9, "name": "Bob", "gestures": [gift]},
        {"id": 7, "name": "Cy"},
    ]
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"format": "servant", "version": 1, "people": people}), encoding="utf-8")
    result = servant("import", str(path), "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == 'Note: skipped Bob: gesture "id" 4 is given to an earlier gesture too (person 2)\n'
    assert result.stdout == "Imported x.json (servant JSON): 2 added, 0 updated, 0 unchanged, 1 skipped\n"
    assert "(#8)" in ok(servant("add", "Dee"))  # after the highest id the file gave, never one of its own
    assert ok(servant("log", "Ann", "call", "--on", "2026-02-01")).startswith("Logged call #5 ")  # gesture ids go on


def test_an_older_file_never_undoes_what_was_edited_since(servant, tmp_path) -> None:
    ok(servant("add", "Ann", "--email", "a@x.org", "--birthday", "1990-01-01"))
    path = tmp_path / "all.json"
    ok(servant("export", "json", "-o", str(path), "-q"))
    ok(servant("edit", "Ann", "--email", "b@x.org"))
    ok(servant("date", "Ann", "birthday", "1991-01-01"))
    assert ok(servant("import", str(path))) == (
        "Imported all.json (servant JSON): 0 added, 0 updated, 1 unchanged, 0 skipped, 2 conflicts\n"
        "  kept your email for Ann; the file now says a@x.org\n"
        "  kept your birthday for Ann; the file now says 1 January 1990\n"
    )
    [ann] = json.loads(ok(servant("export", "json")))["people"]
    assert (ann["email"], ann["dates"]) == ("b@x.org", [{"kind": "birthday", "date": "1991-01-01"}])


def test_a_gesture_logged_for_no_date_stays_so_through_the_json(servant, tmp_path) -> None:
    """The file lists gestures by person: a later gesture of the first person comes before
    an earlier one of the second, and none of them may be judged again as undecided."""
    ok(servant("add", "Al One"))
    ok(servant("add", "Bea Two", "--birthday", "1990-12-05"))
    ok(servant("log", "Bea", "card", "x", "--for", "none", "--on", "2026-12-01"))
    ok(servant("log", "Al", "call", "--on", "2026-11-30"))
    exported = tmp_path / "c.json"
    ok(servant("export", "json", "-o", str(exported)))
    fresh = ("--db", str(tmp_path / "fresh.db"))
    ok(servant(*fresh, "import", str(exported)))
    window = ("upcoming", "--from", "2026-12-02", "--days", "10")
    assert ok(servant(*fresh, *window)) == ok(servant(*window))
    assert "last: card" in ok(servant(*fresh, *window))
    assert [g["for"] for g in json.loads(ok(servant(*fresh, "gestures", "--json")))] == [None, None]
