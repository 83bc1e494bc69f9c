"""``servant digest``: the morning digest as cron prints it, for fixed ``--from`` dates.

Every test runs the real CLI in-process against its own database under tmp_path. The
people below are added through the CLI; the digest's text is compared whole (golden),
as a user reading the mail would see it. Mail itself is in test_mail.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from helpers import ANSI, dump, ok
from servant_cli import digest
from servant_cli.agenda import with_gestures
from servant_cli.models import Gesture, Occasion, Person, Upcoming

# Added in this order (ids 1-8). 28 Nov 2026 is a Saturday. Some can be reached by phone
# or email; Grace's note has two lines (the digest shows the first).
PEOPLE = (
    (
        "Linus Berg",
        "--client-since",
        "2019-12-01",
        "--date",
        "Shop opening=2016-11-29",
        "--tag",
        "client",
        "--email",
        "linus@berg.example",
    ),
    (
        "Grace Hopper",
        "--birthday",
        "1906-12-09",
        "--anniversary",
        "1930-11-29",
        "--tag",
        "client",
        "--phone",
        "+1 212 555 0199",
        "--email",
        "grace@navy.example",
        "--note",
        "Allergic to lilies\nPrefers tulips",
    ),
    ("Ada Lovelace", "--birthday", "1985-12-10"),
    (
        "Alan Turing",
        "--birthday",
        "Jan 2",
        "--work-anniversary",
        "2020-11-30",
        "--tag",
        "team",
        "--email",
        "alan@example.org",
    ),
    ("Bob Byte", "--birthday", "Nov 28", "--phone", "555-0100"),
    ("Bob Stone",),
    ("Nina Ny", "--birthday", "2001-01-08"),
    ("Leap Lee", "--birthday", "2000-02-29"),
)
# Lead times and plans: a card needs more lead than a call.
PLANS = (
    ("Bob Stone", "custom", "2010-12-24", "--label", "Shop opening", "--lead", "10", "--plan", "card"),
    ("Grace Hopper", "birthday", "1906-12-09", "--plan", "flowers", "--lead", "14"),
    ("Bob Byte", "birthday", "Nov 28", "--plan", "call"),
    ("Alan Turing", "work-anniversary", "2020-11-30", "--lead", "1", "--plan", "message"),
)

DIGEST_28_NOV = """\
servant digest for Sat 28 Nov 2026

Today
- Bob Byte — Birthday; plan: call
  555-0100

Act now
- Get ready for Grace Hopper — 96th wedding anniversary,
  Sun 29 Nov, tomorrow
  +1 212 555 0199 · grace@navy.example · Allergic to lilies
  servant log 'Grace Hopper' call --for anniversary
- Get ready for Linus Berg — Shop opening (10 years),
  Sun 29 Nov, tomorrow
  linus@berg.example
  servant log 'Linus Berg' call --for 'Shop opening'
- Get ready for Linus Berg — Client for 7 years, Tue 1 Dec, in 3 days
  linus@berg.example
  servant log 'Linus Berg' call --for client-since
- Order flowers for Grace Hopper — Birthday (turns 120),
  Wed 9 Dec, in 11 days
  +1 212 555 0199 · grace@navy.example · Allergic to lilies
  servant log 'Grace Hopper' flowers --for birthday

Coming up this week
- Alan Turing — 6 years at work, Mon 30 Nov, in 2 days
"""


@pytest.fixture
def people(database_from) -> None:
    database_from(*(("add", *args) for args in PEOPLE), *(("date", *args) for args in PLANS))


# -- golden text ---------------------------------------------------------------------


def test_help_shows_the_options(servant) -> None:
    out = ok(servant("digest", "--help"))
    assert out.startswith("Usage: servant digest [OPTIONS]")
    for option in ("--days", "--from", "--mail-to", "--always", "--tag", "--kind"):
        assert re.search(rf"^\s+{option}\b", out, flags=re.M), option


def test_digest_has_today_act_now_and_coming_up(servant, people) -> None:
    assert ok(servant("digest", "--from", "2026-11-28")) == DIGEST_28_NOV


def test_the_next_day_the_short_lead_of_a_message_has_begun(servant, people) -> None:
    # Alan's work anniversary has a lead of 1 day: yesterday it was only coming up.
    assert ok(servant("digest", "--from", "2026-11-29")) == (
        "servant digest for Sun 29 Nov 2026\n"
        "\n"
        "Today\n"
        "- Grace Hopper — 96th wedding anniversary\n"
        "  +1 212 555 0199 · grace@navy.example · Allergic to lilies\n"
        "- Linus Berg — Shop opening (10 years)\n"
        "  linus@berg.example\n"
        "\n"
        "Act now\n"
        "- Send a message to Alan Turing — 6 years at work, Mon 30 Nov, tomorrow\n"
        "  alan@example.org\n"
        "  servant log 'Alan Turing' message --for work-anniversary\n"
        "- Get ready for Linus Berg — Client for 7 years, Tue 1 Dec, in 2 days\n"
        "  linus@berg.example\n"
        "  servant log 'Linus Berg' call --for client-since\n"
        "- Order flowers for Grace Hopper — Birthday (turns 120),\n"
        "  Wed 9 Dec, in 10 days\n"
        "  +1 212 555 0199 · grace@navy.example · Allergic to lilies\n"
        "  servant log 'Grace Hopper' flowers --for birthday\n"
    )


def test_a_card_with_ten_days_lead_is_due_ten_days_ahead_not_eleven(servant, people) -> None:
    # 13 Dec: the shop opening on 24 Dec is 11 days away, its lead is 10: nothing due.
    assert ok(servant("digest", "--from", "2026-12-13")) == ""
    # 14 Dec: its lead starts today, beyond the 7-day window.
    assert ok(servant("digest", "--from", "2026-12-14")) == (
        "servant digest for Mon 14 Dec 2026\n"
        "\n"
        "Act now\n"
        "- Post a card to Bob Stone — Shop opening (16 years),\n"
        "  Thu 24 Dec, in 10 days\n"
        "  servant log 'Bob Stone' card --for 'Shop opening'\n"
    )
    # ...and every day after, until the day itself.
    assert "Post a card to Bob Stone" in ok(servant("digest", "--from", "2026-12-23"))
    assert ok(servant("digest", "--from", "2026-12-24")).endswith(
        "Today\n- Bob Stone — Shop opening (16 years); plan: card\n"
    )
    assert ok(servant("digest", "--from", "2026-12-25")) == ""


def test_lead_days_in_config_is_the_default_lead(servant, people, write_config) -> None:
    # With no default lead, only dates with a lead of their own are to act on.
    write_config("lead_days = 0\n")
    assert ok(servant("digest", "--from", "2026-11-28")) == (
        "servant digest for Sat 28 Nov 2026\n"
        "\n"
        "Today\n"
        "- Bob Byte — Birthday; plan: call\n"
        "  555-0100\n"
        "\n"
        "Act now\n"
        "- Order flowers for Grace Hopper — Birthday (turns 120),\n"
        "  Wed 9 Dec, in 11 days\n"
        "  +1 212 555 0199 · grace@navy.example · Allergic to lilies\n"
        "  servant log 'Grace Hopper' flowers --for birthday\n"
        "\n"
        "Coming up this week\n"
        "- Grace Hopper — 96th wedding anniversary, Sun 29 Nov, tomorrow\n"
        "- Linus Berg — Shop opening (10 years), Sun 29 Nov, tomorrow\n"
        "- Alan Turing — 6 years at work, Mon 30 Nov, in 2 days\n"
        "- Linus Berg — Client for 7 years, Tue 1 Dec, in 3 days\n"
    )


def test_an_empty_day_prints_nothing_and_exits_0(servant, people) -> None:
    result = servant("digest", "--from", "2026-06-01")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_always_says_nothing_due_in_one_line(servant, people) -> None:
    assert ok(servant("digest", "--from", "2026-06-01", "--always")) == (
        "Nothing due today (Mon 1 Jun 2026) or this week.\n"
    )
    assert ok(servant("digest", "--from", "2026-06-01", "--always", "--days", "0")) == (
        "Nothing due today (Mon 1 Jun 2026).\n"
    )
    assert ok(servant("digest", "--from", "2026-06-01", "--always", "--days", "30")) == (
        "Nothing due today (Mon 1 Jun 2026) or in the next 30 days.\n"
    )


def test_always_on_a_day_with_something_due_prints_the_digest(servant, people) -> None:
    assert ok(servant("digest", "--from", "2026-11-28", "--always")) == DIGEST_28_NOV


def test_on_an_empty_database_the_digest_is_quiet(servant) -> None:
    ok(servant("add", "Nobody Yet"))
    assert ok(servant("digest", "--from", "2026-11-28")) == ""


def test_year_end_window_crosses_new_year_and_names_the_year(servant, people) -> None:
    assert ok(servant("digest", "--from", "2026-12-30", "--days", "10")) == (
        "servant digest for Wed 30 Dec 2026\n"
        "\n"
        "Act now\n"
        "- Get ready for Alan Turing — Birthday, Sat 2 Jan 2027, in 3 days\n"
        "  alan@example.org\n"
        "  servant log 'Alan Turing' call --for birthday\n"
        "\n"
        "Coming up in the next 10 days\n"
        "- Nina Ny — Birthday (turns 26), Fri 8 Jan 2027, in 9 days\n"
    )


def test_feb_29_birthday_in_a_common_year_falls_on_feb_28(servant, people) -> None:
    assert ok(servant("digest", "--from", "2027-02-28")) == (
        "servant digest for Sun 28 Feb 2027\n\nToday\n- Leap Lee — Birthday (turns 27)\n"
    )
    assert ok(servant("digest", "--from", "2027-03-01")) == ""


def test_feb_29_birthday_moves_to_mar_1_with_that_rule(servant, people, write_config) -> None:
    write_config('feb29 = "mar1"\n')
    assert ok(servant("digest", "--from", "2027-02-28", "--days", "1")) == (
        "servant digest for Sun 28 Feb 2027\n"
        "\n"
        "Act now\n"
        "- Get ready for Leap Lee — Birthday (turns 27), Mon 1 Mar, tomorrow\n"
        "  servant log 'Leap Lee' call --for birthday\n"
    )


def test_feb_29_birthday_in_a_leap_year_is_on_the_day(servant, people) -> None:
    assert ok(servant("digest", "--from", "2028-02-22")) == (
        "servant digest for Tue 22 Feb 2028\n"
        "\n"
        "Act now\n"
        "- Get ready for Leap Lee — Birthday (turns 28), Tue 29 Feb, in 7 days\n"
        "  servant log 'Leap Lee' call --for birthday\n"
    )
    assert ok(servant("digest", "--from", "2028-02-29")) == (
        "servant digest for Tue 29 Feb 2028\n\nToday\n- Leap Lee — Birthday (turns 28)\n"
    )


def test_tag_and_kind_narrow_the_digest(servant, people) -> None:
    assert ok(servant("digest", "--from", "2026-11-28", "--tag", "team")) == (
        "servant digest for Sat 28 Nov 2026\n"
        "\n"
        "Coming up this week\n"
        "- Alan Turing — 6 years at work, Mon 30 Nov, in 2 days\n"
    )
    out = ok(servant("digest", "--from", "2026-11-28", "--kind", "birthday"))
    assert out == (
        "servant digest for Sat 28 Nov 2026\n"
        "\n"
        "Today\n"
        "- Bob Byte — Birthday; plan: call\n"
        "  555-0100\n"
        "\n"
        "Act now\n"
        "- Order flowers for Grace Hopper — Birthday (turns 120),\n"
        "  Wed 9 Dec, in 11 days\n"
        "  +1 212 555 0199 · grace@navy.example · Allergic to lilies\n"
        "  servant log 'Grace Hopper' flowers --for birthday\n"
    )


def test_lines_are_wrapped_for_mail(servant) -> None:
    name = "Maximiliane Theodora von Hohenzollern-Sigmaringen-Württemberg"
    ok(servant("add", name, "--date", "Opening of the new workshop and showroom=2016-12-01"))
    ok(
        servant(
            "date",
            name,
            "custom",
            "2016-12-01",
            "--label",
            "Opening of the new workshop and showroom",
            "--plan",
            "gift",
        )
    )
    out = ok(servant("digest", "--from", "2026-11-28"))
    assert out == (
        "servant digest for Sat 28 Nov 2026\n"
        "\n"
        "Act now\n"
        "- Get a gift for Maximiliane Theodora von\n"
        "  Hohenzollern-Sigmaringen-Württemberg — Opening of the new workshop and\n"
        "  showroom (10 years), Tue 1 Dec, in 3 days\n"
        "  servant log 'Maximiliane Theodora von Hohenzollern-Sigmaringen-Württemberg' gift"
        " --for 'Opening of the new workshop and showroom'\n"
    )
    # Every line but the command is wrapped; the command stays whole, to be copied.
    *lines, command = out.splitlines()
    assert max(len(line) for line in lines) <= 72
    assert command.startswith("  servant log ")


# -- on a terminal -------------------------------------------------------------------


def test_on_a_terminal_the_digest_has_headings_and_highlights(servant, people) -> None:
    # FORCE_COLOR asks for the terminal look even through CliRunner's pipe.
    out = ok(servant("digest", "--from", "2026-11-28", env={"FORCE_COLOR": "1", "COLUMNS": "120"}))
    lines = out.splitlines()
    assert "\x1b[1mToday\x1b[0m" in lines
    assert "\x1b[1mAct now\x1b[0m" in lines
    today = next(line for line in lines if "Bob Byte" in line)
    assert "\x1b[1;33m" in today, "today's occasion is bold yellow"
    assert [ANSI.sub("", line) for line in lines if ANSI.sub("", line).startswith("• ")] == [
        "• Bob Byte — Birthday; plan: call",
        "• Get ready for Grace Hopper — 96th wedding anniversary, Sun 29 Nov, tomorrow",
        "• Get ready for Linus Berg — Shop opening (10 years), Sun 29 Nov, tomorrow",
        "• Get ready for Linus Berg — Client for 7 years, Tue 1 Dec, in 3 days",
        "• Order flowers for Grace Hopper — Birthday (turns 120), Wed 9 Dec, in 11 days",
        "• Alan Turing — 6 years at work, Mon 30 Nov, in 2 days",
    ]


def test_no_color_wins_over_force_color(servant, people) -> None:
    out = ok(servant("digest", "--from", "2026-11-28", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}))
    assert out == DIGEST_28_NOV


SERVANT = shutil.which("servant")


@pytest.mark.skipif(SERVANT is None, reason="the servant console script is installed by pip install -e .")
def test_piped_digest_from_a_real_process_has_no_escape_codes(tmp_path: Path, servant, people) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "NO_COLOR", "COLUMNS")}
    env.update(TERM="xterm-256color")  # a terminal type that has colours: only the pipe says plain
    result = subprocess.run(
        [SERVANT, "digest", "--from", "2026-11-28"], env=env, capture_output=True, text=True, timeout=30
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert "\x1b" not in result.stdout
    assert result.stdout == DIGEST_28_NOV


def test_piped_digest_loads_no_mail_or_terminal_modules(db_path, servant, people) -> None:
    # Every morning under cron: no smtplib, ssl, email, Rich or the HTML template engine
    # unless --mail-to or a terminal.
    code = (
        "import contextlib, io, json, sys\n"
        "from servant_cli.cli import app\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    app(['--db', {str(db_path)!r}, 'digest', '--from', '2026-11-28'], standalone_mode=False)\n"
        "assert 'Act now' in out.getvalue(), out.getvalue()\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30)
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    heavy = {"smtplib", "ssl", "email.message", "email.mime", "rich", "rich.console", "sqlite_utils", "jinja2"}
    assert not loaded & heavy, loaded & heavy


# -- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--days", "x"), 2, "--days: 'x' is not a whole number; use 0 to 3660"),
        (("--days", "-1"), 2, "--days: -1 is out of range; use 0 to 3660"),
        (("--days", "3661"), 2, "--days: 3661 is out of range; use 0 to 3660"),
        (
            ("--from", "2026-02-30"),
            2,
            "--from: '2026-02-30' is not a date: February has no day 30; "
            'use 2026-03-14, "14 Mar 2026", "March 14 2026", 03/14/2026',
        ),
        (("--mail-to", "nobody"), 2, "--mail-to: 'nobody' is not a mail address; use one address like ada@example.com"),
        (
            ("--mail-to", "a@example.com, b@example.com"),
            2,
            "--mail-to: 'a@example.com, b@example.com' is not a mail address; use one address like ada@example.com",
        ),
        (("--tag", ""), 2, "--tag: a tag cannot be empty"),
    ],
)
def test_bad_input_is_one_line_and_an_exit_code(servant, people, db_path, args, code, message) -> None:
    before = dump(db_path)
    result = servant("digest", "--from", "2026-11-28", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", f"Error: {message}\n")
    assert dump(db_path) == before


def test_bad_kind_is_a_usage_error(servant, people) -> None:
    result = servant("digest", "--kind", "wedding")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert re.match(r"Error: Invalid value for '--kind': 'wedding' is not one of", result.stderr)


def test_a_mistyped_database_path_fails_loudly_not_quietly(servant, tmp_path) -> None:
    # Under cron an empty digest means "nothing due": a wrong path must not look like that.
    result = servant("digest", env={"SERVANT_DB": str(tmp_path / "typo.db")})
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert "typo.db" in result.stderr
    assert len(result.stderr.splitlines()) == 1


# -- the pure core: sections, subject, handled ---------------------------------------

TODAY = date(2026, 11, 28)
ADA = Person(1, "Ada")
BOB = Person(2, "Bob")


def item(person: Person, occasion_id: int, when: date, **fields: object) -> Upcoming:
    occasion = Occasion(occasion_id, person.id, "birthday", when.month, when.day, **fields)  # type: ignore[arg-type]
    return Upcoming(when, (when - TODAY).days, person, occasion)


def test_subject_counts_today_the_window_and_what_to_act_on_beyond_it() -> None:
    items = [
        item(ADA, 1, date(2026, 11, 28)),
        item(BOB, 2, date(2026, 11, 28)),
        item(ADA, 3, date(2026, 11, 30)),
        item(BOB, 4, date(2026, 12, 8), lead_days=14),
    ]
    found = digest.build(items, TODAY, 7, 7)
    assert found.subject == "servant: 2 occasions today, 1 this week, 1 to act on now"
    assert digest.build(items[2:3], TODAY, 7, 7).subject == "servant: 1 occasion this week"
    assert digest.build(items[3:], TODAY, 7, 7).subject == "servant: 1 occasion to act on now"
    assert digest.build(items[2:3], TODAY, 30, 7).subject == "servant: 1 occasion in the next 30 days"
    assert digest.build([], TODAY, 7, 7).subject == "servant: nothing due this week"
    assert digest.build([], TODAY, 0, 7).subject == "servant: nothing due today"


def test_a_handled_occurrence_leaves_act_now() -> None:
    items = [item(ADA, 1, date(2026, 12, 1), plan="card"), item(BOB, 2, date(2026, 12, 20), lead_days=30)]
    card = Gesture(1, ADA.id, date(2026, 11, 27), "card", occasion_id=1, for_date=date(2026, 12, 1))
    call = Gesture(2, BOB.id, date(2026, 11, 27), "call", occasion_id=2, for_date=date(2026, 12, 20))
    found = digest.build(with_gestures(items, {ADA.id: [card], BOB.id: [call]}, TODAY), TODAY, 7, 7)
    assert found.act_now == ()
    assert [line for section in found.sections for line in section.lines] == [
        "Ada — Birthday, Tue\u00a01\u00a0Dec,\u00a0in\u00a03\u00a0days · done: card"
    ]
    # Handled last year is not handled this year.
    last_year = card._replace(on=date(2025, 11, 27), for_date=date(2025, 12, 1))
    again = digest.build(with_gestures(items, {ADA.id: [last_year]}, TODAY), TODAY, 7, 7)
    assert [i.person.name for i in again.act_now] == ["Ada", "Bob"]


@pytest.mark.parametrize(
    ("plan", "words"),
    [
        ("card", "Post a card to Ada"),
        ("gift", "Get a gift for Ada"),
        ("flowers", "Order flowers for Ada"),
        ("call", "Call Ada"),
        ("message", "Send a message to Ada"),
        (None, "Get ready for Ada"),
    ],
)
def test_act_now_is_worded_as_the_planned_gesture(plan: str | None, words: str) -> None:
    found = digest.build([item(ADA, 1, date(2026, 12, 3), plan=plan)], TODAY, 7, 7)
    assert (
        digest.act_line(found.act_now[0], TODAY).replace("\u00a0", " ") == f"{words} — Birthday, Thu 3 Dec, in 5 days"
    )


def test_a_tag_no_one_has_is_an_error_not_a_silent_morning(servant, people) -> None:
    # Under cron, a typo in --tag would otherwise mean no digest, every day, without a word.
    result = servant("digest", "--from", "2026-11-28", "--tag", "clinet")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: --tag: no one has the tag 'clinet'; tags in use: ")


def test_the_weekly_recipe_reaches_the_monday_after_next(servant) -> None:
    # README: "30 7 * * 1 servant digest --days 14", run on Monday 7 Dec 2026.
    ok(servant("add", "Nora Quist", "--birthday", "1990-12-21"))  # the Monday after next
    ok(servant("add", "Otto Ruiz", "--birthday", "1990-12-22"))  # one day beyond
    weekly = ok(servant("digest", "--from", "2026-12-07", "--days", "14"))
    assert "- Nora Quist — Birthday (turns 36), Mon 21 Dec, in 14 days\n" in weekly
    assert "Otto Ruiz" not in weekly
    assert "Nora Quist" not in ok(servant("digest", "--from", "2026-12-07", "--days", "13"))
