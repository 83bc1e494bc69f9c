"""The digest lists at most ``--limit`` lines a section (50 unless told) and says how many
more there are, with the command that lists them all; it reads only the dates it lists.

The property test holds the digest to the plain reading of every date of its window
(``upcoming_items`` then ``digest.build``, as the digest was made before it counted in
SQL): each section lists that reading's first lines, and says the same totals.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ok
from servant_cli.config import Settings
from servant_cli.dates import Rule
from servant_cli.digest import build
from servant_cli.services.agenda import upcoming_items
from servant_cli.services.digest import DIGEST_LIMIT, morning_digest
from servant_cli.store import NewOccasion, NewPerson, Store
from test_mail import html_part, mailed, parse, smtp_env, start_server, words

NAMES = ["Åsa", "adam", "Bob", "bob", "Zoë", "Émile", "zed", "Ann", "Strauß", "strauss", "ﬁona", "Fiona", "e\u0301mile"]
__all__ = ["smtp_env", "start_server"]  # fixtures of test_mail, used here too
RULES = ["4TH/11", "easter+49", "-1MO/5", "1SU/1", "easter-2"]


@st.composite
def books(draw) -> list[NewPerson]:
    """People with dates near each other (so that sections fill): yearly with and without
    a year (some not born yet), Feb 29, one-off dates, rules, own lead times, tags."""
    people = []
    for number in range(draw(st.integers(0, 30))):
        occasions = []
        for kind in draw(st.lists(st.sampled_from(["birthday", "anniversary", "custom"]), max_size=3, unique=True)):
            label = "Feast" if kind == "custom" else ""
            lead = draw(st.one_of(st.none(), st.integers(0, 60)))
            shape = draw(st.sampled_from(["yearly", "yearly", "yearly", "feb29", "once", "rule", "yearless"]))
            if shape == "rule":
                rule = Rule.of(draw(st.sampled_from(RULES)))
                month, day = rule.earliest()
                occasions.append(NewOccasion(kind, month, day, None, label, lead_days=lead, rule=rule.text()))
                continue
            # Most on a few days, so that a day holds more dates than a section lists.
            month = draw(st.sampled_from([12, 1, 2, 3]))
            day = draw(st.one_of(st.integers(1, 3), st.integers(1, 28)))
            month, day = (2, 29) if shape == "feb29" else (month, day)
            year = None if shape == "yearless" else draw(st.sampled_from([1980, 2000, 2026, 2027, 2028]))
            occasions.append(NewOccasion(kind, month, day, year, label, yearly=shape != "once", lead_days=lead))
        tags = tuple(draw(st.lists(st.sampled_from(["vip", "team"]), max_size=2, unique=True)))
        people.append(NewPerson(f"{draw(st.sampled_from(NAMES))} {number % 3}", tags, tuple(occasions)))
    return people


def reference(store: Store, today: date, days: int, lead: int, tags: list[str], kinds: list[str]):
    """Every date of the window read and placed one by one, as the digest once did."""
    config = Settings(lead_days=lead)
    near = max(days, lead)
    reach = max(near, store.max_lead_days() or 0)
    items = upcoming_items(store, today, reach, config, tags=tags, kinds=kinds, lead_beyond=near)
    return build(items, today, days, lead)


def shown(items) -> list[tuple[int, date, bool]]:
    return [(item.occasion.id, item.date, item.handled is not None) for item in items]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    book=books(),
    today=st.one_of(
        st.dates(date(2026, 11, 1), date(2028, 3, 10)),
        st.sampled_from([date(2026, 11, 30), date(2026, 12, 31), date(2027, 2, 27), date(2028, 2, 28)]),
    ),
    days=st.integers(0, 40),
    lead=st.integers(0, 20),
    limit=st.integers(1, 6),
    tags=st.sampled_from([[], ["vip"]]),
    kinds=st.sampled_from([[], ["birthday", "custom"]]),
    done=st.lists(st.integers(0, 200), max_size=6),
    logged=st.sampled_from(["decided", "decided", "by an earlier version", "all by an earlier version"]),
)
def test_each_section_lists_the_first_lines_of_all_and_counts_the_rest(
    tmp_path, book, today, days, lead, limit, tags, kinds, done, logged
) -> None:
    path = tmp_path / f"book-{abs(hash((today, days, lead, limit, len(book))))}.db"
    path.unlink(missing_ok=True)
    store = Store.open(path)
    try:
        store.add_people(book)
        # Some occurrences taken care of: they leave Act now, and show under Coming up as done.
        everything = reference(store, today, days, lead, [], [])
        items = [*everything.on_the_day, *everything.act_now, *everything.coming_up]
        for pick in done:
            if items:
                item = items[pick % len(items)]
                # Some logged well over a year before (a gift for a one-off date far ahead).
                on = today - timedelta(days=400 if pick % 3 == 0 else 0)
                store.log_gesture(item.person.id, on, "card", occasion_id=item.occasion.id, for_date=item.date)
        if logged != "decided" and store.conn.execute("SELECT count(*) FROM gesture").fetchone()[0]:
            # As an earlier version logged them: no link, judged when read (by the rule of
            # ``log``: a card counts for the date in whose lead time it falls).
            store.conn.execute("UPDATE gesture SET occasion_id = NULL, for_date = NULL")
            if logged == "all by an earlier version":
                store.conn.execute("DELETE FROM meta WHERE key = 'gestures_decided_from'")
            else:
                store.conn.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('gestures_decided_from', (SELECT max(id) + 1 FROM gesture))"
                )
            store.conn.commit()
        want = reference(store, today, days, lead, tags, kinds)
        got = morning_digest(store, today, days, Settings(lead_days=lead), tags=tags, kinds=kinds, limit=limit)
        assert shown(got.on_the_day) == shown(want.on_the_day)[:limit]
        assert shown(got.act_now) == shown(want.act_now)[:limit]
        assert shown(got.coming_up) == shown(want.coming_up)[:limit]
        assert got.totals["today"] == len(want.on_the_day)
        assert got.totals["act-now"] == len(want.act_now)
        assert got.totals["coming-up"] == len(want.coming_up)
        assert got.in_window == want.in_window
        assert got.subject == want.subject
        # With room for everything, it is the whole reading.
        whole = morning_digest(store, today, days, Settings(lead_days=lead), tags=tags, kinds=kinds, limit=10_000)
        assert shown(whole.act_now) == shown(want.act_now)
        assert [section.more for section in whole.sections] == [0] * len(whole.sections)
    finally:
        store.close()


def test_a_full_day_is_cut_by_name_with_accents_and_a_persons_dates_kept_in_kind_order(tmp_path) -> None:
    # One day of more dates than a section lists: names with accents sort by their letters
    # ("Émile" after "bob", "Örjan" before "Strauß"), and where the cut falls between two
    # dates of one person, the birthday comes before the anniversary. Every limit gives
    # the first lines of all.
    store = Store.open(tmp_path / "day.db")
    try:
        # The anniversary stored first: the database gives it first, the digest lists it second.
        both = (NewOccasion("anniversary", 12, 2, 2010), NewOccasion("birthday", 12, 2, 1990))
        one = (NewOccasion("birthday", 12, 2, 1985),)
        store.add_people(
            NewPerson(name, occasions=dates)
            for name, dates in (
                ("zed", one),
                ("Bob", both),
                ("Émile", one),
                ("adam", one),
                ("Strauß", one),
                ("Örjan", both),
                ("bob", one),
                ("ﬁona", one),
            )
        )
        today = date(2026, 11, 30)
        want = reference(store, today, 7, 7, [], [])
        names = ["adam", "Bob", "Bob", "bob", "Émile", "ﬁona", "Örjan", "Örjan", "Strauß", "zed"]
        assert [item.person.name for item in want.act_now] == names
        assert [item.occasion.kind for item in want.act_now[1:3]] == ["birthday", "anniversary"]
        for limit in range(1, len(want.act_now) + 2):
            got = morning_digest(store, today, 7, Settings(), limit=limit)
            assert shown(got.act_now) == shown(want.act_now)[:limit], limit
            assert got.totals["act-now"] == len(want.act_now) == 10
    finally:
        store.close()


def test_ties_and_odd_names_come_in_the_order_of_the_plain_reading(tmp_path) -> None:
    # Two dates of one person on one day whose labels differ only in a letter's case
    # that SQLite does not fold (ordered by the date's id); a name that NFC makes ASCII
    # (U+037E, the Greek question mark, is ";"), which sorts after "a;b" by name_order;
    # a gesture logged for another person's date, which marks nothing.
    store = Store.open(tmp_path / "ties.db")
    try:
        store.add_people(
            [
                NewPerson(
                    "Pat",
                    occasions=(NewOccasion("custom", 2, 29, 2000, "fête"), NewOccasion("custom", 2, 28, 2000, "FÊTE")),
                ),
                NewPerson("a\u037eb", occasions=(NewOccasion("birthday", 2, 27, 2000),)),
                NewPerson("a;b", occasions=(NewOccasion("birthday", 2, 27, 2000),)),
                NewPerson("Other", occasions=(NewOccasion("birthday", 3, 1, 1990),)),
            ]
        )
        store.log_gesture(4, date(2027, 2, 25), "card", occasion_id=1, for_date=date(2027, 2, 28))
        today = date(2027, 2, 26)
        want = reference(store, today, 7, 7, [], [])
        assert [item.person.name for item in want.act_now] == ["a;b", "a\u037eb", "Pat", "Pat", "Other"]
        assert [item.occasion.label for item in want.act_now[2:4]] == ["fête", "FÊTE"]
        for limit in range(1, 7):
            got = morning_digest(store, today, 7, Settings(), limit=limit)
            assert shown(got.act_now) == shown(want.act_now)[:limit], limit
            assert (got.totals["act-now"], got.totals["coming-up"]) == (5, 0)
    finally:
        store.close()


def test_a_gift_logged_long_before_a_one_off_date_marks_it_done_and_is_counted_so(servant) -> None:
    # Logged 29 months ahead, then a call since: the date still shows as done, and the
    # digest counts it where it lists it (no "…and -1 more", no false "to act on now").
    ok(servant("add", "Pat Future"))
    ok(servant("date", "Pat Future", "custom", "2028-06-01", "--label", "Wedding", "--once"))
    said = ok(servant("log", "Pat Future", "gift", "--for", "Wedding", "--on", "2026-01-10"))
    assert "Counts as done for Pat Future's Wedding, Thu 1 Jun 2028" in said
    ok(servant("log", "Pat Future", "call", "--for", "none", "--on", "2026-11-01"))
    ok(servant("add", "Sam Other", "--birthday", "1990-06-02"))
    upcoming = ok(servant("upcoming", "--from", "2028-05-28", "--days", "7"))
    assert "Wedding" in upcoming and "done: gift" in upcoming
    digest = ok(servant("digest", "--from", "2028-05-28"))
    assert "- Pat Future — Wedding, Thu 1 Jun, in 4 days · done: gift" in digest
    assert "more" not in digest
    act_now = digest.split("Act now\n", 1)[1].split("\n\n")[0]
    assert "Sam Other" in act_now and "Pat" not in act_now
    today_only = morning_digest_subject(servant, "--from", "2028-05-28", "--days", "0")
    assert today_only == "servant: 1 occasion to act on now"


def morning_digest_subject(servant, *args: str) -> str:
    """The subject a mailed digest would have: ``--always`` prints its one line when
    nothing is listed, so the subject is asked of the service (no mail is sent)."""
    import os

    from servant_cli.config import load_settings
    from servant_cli.digest import subject

    store = Store.open(Path(os.environ["SERVANT_DB"]))
    try:
        found = morning_digest(store, date.fromisoformat(args[1]), int(args[3]), load_settings())
        return subject(found)
    finally:
        store.close()


def book_of(path: Path, count: int, every: int | None = None) -> None:
    """``count`` people with a birthday on 24 Nov (two days after the digest's day)."""
    store = Store.open(path)
    store.add_people(
        NewPerson(f"Person {n:03}", occasions=(NewOccasion("birthday", 11, 24, 1990),), every_days=every)
        for n in range(count)
    )
    store.close()


def test_a_section_lists_50_lines_then_says_how_many_more_and_how_to_see_them(servant, db_path) -> None:
    book_of(db_path, 120)
    out = ok(servant("digest", "--from", "2026-11-22"))
    act = out.split("Act now\n", 1)[1].split("\n\n")[0].splitlines()
    lines = [line for line in act if line.startswith("- ")]
    assert len(lines) == DIGEST_LIMIT == 50
    assert lines[0].startswith("- Get ready for Person 000 — ") and lines[-1].startswith("- Get ready for Person 049 ")
    assert act[-2:] == [
        "…and 70 more, all of them with:",
        "  servant upcoming --days 7 --from 2026-11-22",
    ]


def test_the_subject_counts_every_line_not_only_those_listed(servant, db_path, start_server, smtp_env) -> None:
    book_of(db_path, 120)
    message = mailed(servant, start_server, smtp_env, "--from", "2026-11-22")
    assert message["Subject"] == "servant: 120 occasions this week"
    page = parse(html_part(message))
    [act_now] = page.findall(".//table")
    assert len(act_now.findall("tbody/tr")) == 2 * DIGEST_LIMIT  # a line and its command each
    [more] = [words(p) for p in page.iter("p")]
    assert more == "…and 70 more, all of them with: servant upcoming --days 7 --from 2026-11-22"


def test_the_command_it_gives_lists_every_line_the_section_left_out(servant, db_path, tmp_path) -> None:
    book_of(db_path, 30)
    out = ok(servant("--db", str(db_path), "digest", "--from", "2026-11-22", "--limit", "4"))
    command = out.split("all of them with:\n", 1)[1].splitlines()[0].strip()
    words = shlex.split(command)
    assert words[:3] == ["servant", "--db", str(db_path)]
    listed = subprocess.run(
        [sys.executable, "-m", "servant_cli", *words[1:], "--csv"],
        capture_output=True,
        text=True,
        env={"SERVANT_CONFIG_DIR": str(tmp_path / "config"), "HOME": str(tmp_path), "PATH": ""},
        check=True,
    ).stdout
    assert listed.count("Person ") == 30


def test_limit_is_checked_and_a_small_one_cuts_every_section(servant, db_path) -> None:
    book_of(db_path, 6, every=30)
    for bad in ("0", "-3", "many", "1.5"):
        result = servant("digest", "--limit", bad)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: --limit: {bad!r} is") or result.stderr.startswith("Error: --limit: ")
        assert "use 1 to 1000000" in result.stderr
        assert result.stdout == ""
    out = ok(servant("digest", "--from", "2026-11-22", "--limit", "2"))
    assert "…and 4 more, all of them with:\n  servant upcoming --days 7 --from 2026-11-22\n" in out
    # Keep in touch (no gesture yet, added today: not overdue). Everyone's cadence ran out
    # a month from now.
    later = ok(
        servant("digest", "--from", (date.today() + timedelta(days=40)).isoformat(), "--limit", "2", "--days", "0")
    )
    section = later.split("Keep in touch\n", 1)[1]
    assert section.count("- Person") == 2
    assert "…and 4 more, all of them with:" in section
    assert " overdue --from " in section


def test_a_season_lists_the_first_people_left_and_the_command_that_lists_them_all(servant, db_path) -> None:
    store = Store.open(db_path)
    store.add_people(NewPerson(f"Client {n:02}", tags=("client",)) for n in range(7))
    store.close()
    ok(servant("season", "add", "Holiday cards", "--on", "Dec 1", "--tag", "client", "--plan", "card", "--lead", "21"))
    ok(servant("log", "Client 00", "card", "--for", "Holiday cards", "--on", "2026-11-20"))
    out = ok(servant("digest", "--from", "2026-11-22", "--limit", "3"))
    season = out.split("in 9 days; 1 done,\n  6 to go\n", 1)[1]
    assert season.splitlines()[:5] == [
        "- Client 01",
        "- Client 02",
        "- Client 03",
        "…and 3 more, all of them with:",
        "  servant season show 'Holiday cards' --from 2026-11-22",
    ]
    listed = ok(servant("season", "show", "Holiday cards", "--from", "2026-11-22"))
    assert all(f"Client {n:02}" in listed for n in range(7))


def test_keep_in_touch_gives_an_overdue_command_with_the_digests_tags(servant, db_path) -> None:
    store = Store.open(db_path)
    store.add_people(NewPerson(f"Client {n}", tags=("client",), every_days=30) for n in range(5))
    store.add_people(NewPerson(f"Friend {n}", tags=("friend",), every_days=30) for n in range(4))
    store.close()
    later = (date.today() + timedelta(days=40)).isoformat()
    out = ok(servant("digest", "--from", later, "--days", "0", "--limit", "2", "--tag", "client"))
    section = out.split("Keep in touch\n", 1)[1].splitlines()
    assert section[2:4] == ["…and 3 more, all of them with:", f"  servant overdue --from {later} --tag client"]
    listed = ok(servant("overdue", "--from", later, "--tag", "client"))
    assert listed.count("Client ") == 5 and "Friend" not in listed
    assert ok(servant("overdue", "--from", later)).count("Friend ") == 4
    result = servant("overdue", "--tag", "clinet")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Error: --tag: no one has the tag 'clinet'; tags in use: client, friend\n"
