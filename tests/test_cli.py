"""End to end through the command line: what a user types, what they see, what is stored.

Every test runs the real CLI in-process (the ``servant`` fixture) against its own
database under tmp_path, with a fixed ``--from`` date: nothing depends on the clock.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from pathlib import Path

import pytest

from helpers import ANSI, check_upcoming_table, dump, ok
from servant_cli import render
from servant_cli.render import TABLE_ROWS
from servant_cli.store import NewOccasion, NewPerson, Store

ACCEPTED = 'use 1985-03-14, --03-14, 03-14, "March 14", "14 Mar 1985", 03/14/1985'
ACCEPTED_FULL = 'use 2026-03-14, "14 Mar 2026", "March 14 2026", 03/14/2026'

# A small team, added in this order (so ids 1-5). Names are not in id order, which shows
# that lists are sorted by name, and two occasions share 29 November.
TEAM = (
    ("Linus Berg", "--client-since", "2019-12-01", "--date", "Shop opening=2016-11-29", "--tag", "client"),
    ("Grace Hopper", "--birthday", "1906-12-09", "--anniversary", "1930-11-29", "--tag", "client", "--tag", "vip"),
    ("Ada Lovelace", "--birthday", "1985-12-10", "--tag", "client", "--company", "Analytical Engines"),
    ("Alan Turing", "--birthday", "Jan 2", "--work-anniversary", "2020-11-30", "--tag", "team"),
    ("Bob Byte", "--birthday", "Nov 28", "--tag", "friend"),
)

# servant upcoming --from 2026-11-28 --days 14 on TEAM (28 Nov 2026 is a Saturday).
TEAM_UPCOMING = (
    "Today       Sat 28 Nov 2026  Bob Byte      Birthday\n"
    "Tomorrow    Sun 29 Nov 2026  Grace Hopper  96th wedding anniversary\n"
    "Tomorrow    Sun 29 Nov 2026  Linus Berg    Shop opening — 10 years\n"
    "in 2 days   Mon 30 Nov 2026  Alan Turing   6 years at work\n"
    "in 3 days   Tue 1 Dec 2026   Linus Berg    Client for 7 years\n"
    "in 11 days  Wed 9 Dec 2026   Grace Hopper  Birthday — turns 120\n"
    "in 12 days  Thu 10 Dec 2026  Ada Lovelace  Birthday — turns 41\n"
)


@pytest.fixture
def team(database_from) -> None:
    database_from(*(("add", *args) for args in TEAM))


# -- version and help ----------------------------------------------------------------


def test_version_prints_the_package_version(servant) -> None:
    result = servant("--version")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "servant 0.1.0\n", "")


def test_help_lists_every_core_command_with_a_summary(servant) -> None:
    out = ok(servant("--help"))
    assert out.startswith("Usage: servant [OPTIONS] COMMAND [ARGS]...\n")
    for name in ("add", "date", "edit", "rm", "list", "show", "upcoming"):
        assert re.search(rf"^  {name} +\w", out, flags=re.M), name


def _command_summaries(help_text: str) -> dict[str, str]:
    """The Commands section of a help text: each command and its summary, lines joined."""
    section = help_text.split("\nCommands:\n", 1)[1]
    found: dict[str, str] = {}
    name = ""
    for line in section.splitlines():
        if m := re.match(r"^  (\S+)  +(.*)$", line):
            name, found[m[1]] = m[1], m[2]
        elif line.strip():
            found[name] += " " + line.strip()
    return found


def _first_sentence(command) -> str:
    paragraph = " ".join(command.help.split("\n\n")[0].split())
    return re.match(r"^(.*?\.)(?: |$)", paragraph)[1]


@pytest.mark.parametrize("columns", ["80", "120"])
@pytest.mark.parametrize("group", [(), ("export",)], ids=["servant", "export"])
def test_help_shows_each_commands_whole_first_sentence(servant, columns: str, group: tuple[str, ...]) -> None:
    from typer.main import get_command

    from servant_cli.cli import app

    out = ok(servant(*group, "--help", env={"COLUMNS": columns}))
    commands = get_command(app).commands
    for name in group:
        commands = commands[name].commands
    summaries = _command_summaries(out)
    assert sorted(summaries) == sorted(commands)
    for name, summary in summaries.items():
        assert not summary.endswith("..."), f"{name}: {summary}"
        assert summary == _first_sentence(commands[name]), name
    assert max(len(line) for line in out.splitlines()) <= int(columns)


def test_servant_alone_prints_help_not_an_error(servant) -> None:
    result = servant()
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: servant [OPTIONS] COMMAND [ARGS]...\n")
    assert "Commands:" in result.stderr
    assert "Error" not in result.stderr


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (
            "add",
            "--birthday --anniversary --work-anniversary --client-since --date --tag --company --email --phone --note",
        ),
        ("date", "--label --lead --plan --once"),
        ("edit", "--name --birthday --date --drop --tag --untag --company --note"),
        ("rm", "--yes"),
        ("list", "--tag --json"),
        ("show", "--json --from"),
        ("upcoming", "--days --from --tag --kind --json --csv"),
    ],
)
def test_command_help_shows_usage_and_options(servant, command: str, options: str) -> None:
    out = ok(servant(command, "--help"))
    assert out.startswith(f"Usage: servant {command} ")
    for option in options.split():
        assert re.search(rf"^\s+(-\w, )?{option}\b", out, flags=re.M), option


# -- add -----------------------------------------------------------------------------


def test_add_echoes_what_was_stored(servant) -> None:
    result = servant("add", "Ada Lovelace", "--birthday", "1985-03-14", "--tag", "client", "--tag", "vip")
    assert ok(result) == "Added Ada Lovelace (#1)\n  Birthday: 14 March 1985\n  Tags: client, vip\n"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1985-03-14", "14 March 1985"),
        ("14 Mar 1985", "14 March 1985"),
        ("March 14 1985", "14 March 1985"),
        ("03/14/1985", "14 March 1985"),
        (" 1985-03-14 ", "14 March 1985"),
        ("--03-14", "14 March"),
        ("03-14", "14 March"),
        ("March 14", "14 March"),
        ("Mar 14", "14 March"),
        ("--02-29", "29 February"),
        ("2024-02-29", "29 February 2024"),
    ],
)
def test_add_reads_every_accepted_date_form(servant, typed: str, stored: str) -> None:
    assert ok(servant("add", "Ada", "--birthday", typed)) == f"Added Ada (#1)\n  Birthday: {stored}\n"


def test_add_stores_every_date_option_and_detail(servant) -> None:
    result = servant(
        "add",
        "Ines Duarte",
        "--birthday",
        "14 Mar 1985",
        "--anniversary",
        "03/20/2010",
        "--work-anniversary",
        "2018-09-03",
        "--client-since",
        "Jan 15",
        "--date",
        "Firm founded=2012-12-01",
        "--date",
        "Launch=June 1",
        "--company",
        "Duarte Legal",
        "--email",
        "ines@duarte.example",
        "--phone",
        "+351 21 555 0100",
        "--note",
        "Prefers calls\nafter 10am",
        "--tag",
        "client",
    )
    assert ok(result) == (
        "Added Ines Duarte (#1)\n"
        "  Birthday: 14 March 1985\n"
        "  Wedding anniversary: 20 March 2010\n"
        "  Work anniversary: 3 September 2018\n"
        "  Client since: 15 January\n"
        "  Firm founded: 1 December 2012\n"
        "  Launch: 1 June\n"
        "  Tags: client\n"
    )
    assert ok(servant("show", "Ines", "--from", "2026-11-22")) == (
        "Ines Duarte (#1)\n"
        "  Company  Duarte Legal\n"
        "  Email    ines@duarte.example\n"
        "  Phone    +351 21 555 0100\n"
        "  Tags     client\n"
        "  Notes    Prefers calls\n"
        "           after 10am\n"
        "\n"
        "  Key dates\n"
        "  Birthday             14 March 1985     Sun 14 Mar 2027, in 112 days — turns 42\n"
        "  Wedding anniversary  20 March 2010     Sat 20 Mar 2027, in 118 days — 17th wedding anniversary\n"
        "  Work anniversary     3 September 2018  Fri 3 Sep 2027, in 285 days — 9 years at work\n"
        "  Client since         15 January        Fri 15 Jan 2027, in 54 days\n"
        "  Firm founded         1 December 2012   Tue 1 Dec 2026, in 9 days — 14 years\n"
        "  Launch               1 June            Tue 1 Jun 2027, in 191 days\n"
    )
    stored = json.loads(ok(servant("show", "Ines", "--json", "--from", "2026-11-22")))
    assert stored["notes"] == "Prefers calls\nafter 10am"


def test_add_same_name_again_is_refused_with_a_hint(servant) -> None:
    ok(servant("add", "Ada Lovelace"))
    result = servant("add", "ada lovelace", "--birthday", "Dec 10")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: ada lovelace is already in servant (#1); change them with 'servant edit #1',"
        " or add a namesake with --new\n"
    )
    assert ok(servant("list")) == "#1  Ada Lovelace\n"


def test_add_takes_the_spaces_inside_a_name_as_one(servant) -> None:
    ok(servant("add", "Aiko Tanaka"))
    result = servant("add", "Aiko   Tanaka ")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "Aiko Tanaka is already in servant (#1)" in result.stderr


def test_add_namesake_with_new_adds_and_says_so(servant) -> None:
    ok(servant("add", "Ada Lovelace"))
    result = servant("add", "ada lovelace", "--birthday", "Dec 10", "--new")
    assert result.exit_code == 0
    assert result.stdout == "Added ada lovelace (#2)\n  Birthday: 10 December\n"
    assert result.stderr == "Note: there was already someone called ada lovelace (#1).\n"
    assert ok(servant("list")) == "#1  Ada Lovelace\n#2  ada lovelace\n"


def test_add_keeps_a_tag_given_twice_once(servant) -> None:
    out = ok(servant("add", "Ada", "--tag", "client", "--tag", "Client", "--tag", "vip"))
    assert out == "Added Ada (#1)\n  Tags: client, vip\n"


@pytest.mark.parametrize(
    ("config", "typed", "stored"),
    [
        ("", "03/04/1985", "4 March 1985"),
        ('date_order = "mdy"\n', "03/04/1985", "4 March 1985"),
        ('date_order = "dmy"\n', "03/04/1985", "3 April 1985"),
        ('date_order = "dmy"\n', "13/04/1985", "13 April 1985"),
        ('date_order = "dmy"\n', "1985-04-03", "3 April 1985"),
    ],
)
def test_numeric_dates_follow_the_date_order_setting(servant, write_config, config, typed, stored) -> None:
    write_config(config)
    assert ok(servant("add", "Ada", "--birthday", typed)) == f"Added Ada (#1)\n  Birthday: {stored}\n"


def test_day_first_date_is_refused_rather_than_swapped_under_mdy(servant, db_path) -> None:
    result = servant("add", "Ada", "--birthday", "13/04/1985")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --birthday: '13/04/1985' is not a date: there is no month 13")
    assert dump(db_path) == []


@pytest.mark.parametrize(
    ("locale", "typed", "stored"),
    [
        ({"LC_TIME": "en_GB.UTF-8"}, "09/12/1952", "9 December 1952"),
        ({"LC_TIME": "de_DE.UTF-8"}, "09.12.1952", "9 December 1952"),
        ({"LANG": "fr_FR.UTF-8"}, "09/12", "9 December"),
        ({"LANG": "en_US.UTF-8"}, "09/12/1952", "12 September 1952"),
        ({"LANG": "en_PH.UTF-8"}, "09/12/1952", "12 September 1952"),
        ({"LANG": "en_CA.UTF-8"}, "09/12/1952", "12 September 1952"),
        ({"LANG": "fr_CA.UTF-8"}, "09/12/1952", "9 December 1952"),
        # Year first: the month comes before the day, with the year or without it.
        ({"LANG": "ja_JP.UTF-8"}, "1952/12/09", "9 December 1952"),
        ({"LANG": "ko_KR.UTF-8"}, "12/09", "9 December"),
        ({"LANG": "hu_HU.UTF-8"}, "1952.12.09", "9 December 1952"),
        # LC_ALL wins over LC_TIME, which wins over LANG; an empty one counts as unset.
        ({"LC_ALL": "en_US.UTF-8", "LC_TIME": "en_GB.UTF-8"}, "09/12/1952", "12 September 1952"),
        ({"LC_TIME": "en_GB.UTF-8", "LANG": "en_US.UTF-8"}, "09/12/1952", "9 December 1952"),
        ({"LC_ALL": "", "LANG": "en_GB.UTF-8"}, "09/12/1952", "9 December 1952"),
        # C, POSIX and a language without a territory keep the default, month first.
        ({"LC_ALL": "C", "LANG": "en_GB.UTF-8"}, "09/12/1952", "12 September 1952"),
        ({"LANG": "POSIX"}, "09/12/1952", "12 September 1952"),
        ({"LANG": "C.UTF-8"}, "09/12/1952", "12 September 1952"),
        ({"LANG": "de"}, "09/12/1952", "12 September 1952"),
        # A locale the machine does not have is read by its name all the same.
        ({"LC_TIME": "en_NZ.ISO-8859-1@nonexistent"}, "09/12/1952", "9 December 1952"),
    ],
)
def test_without_a_date_order_setting_numeric_dates_follow_the_locale(servant, locale, typed, stored) -> None:
    result = servant("add", "Ada", "--birthday", typed, env=locale)
    assert ok(result) == f"Added Ada (#1)\n  Birthday: {stored}\n"


@pytest.mark.parametrize(("config", "stored"), [('date_order = "mdy"\n', "12 September 1952"), ("", "9 December 1952")])
def test_the_date_order_setting_wins_over_the_locale(servant, write_config, config, stored) -> None:
    write_config(config)
    result = servant("add", "Ada", "--birthday", "09/12/1952", env={"LC_ALL": "en_GB.UTF-8"})
    assert ok(result) == f"Added Ada (#1)\n  Birthday: {stored}\n"


def test_a_date_the_locale_order_cannot_read_is_refused_naming_the_setting(servant, db_path) -> None:
    result = servant("add", "Ada", "--birthday", "12/25/1990", env={"LC_TIME": "en_GB.UTF-8"})
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: --birthday: '12/25/1990' is not a date: there is no month 25 (numbers are read day/month/year; "
        'set date_order = "mdy" for month first); use 1985-03-14, --03-14, 03-14, "March 14", "14 Mar 1985", '
        "14/03/1985\n"
    )
    assert dump(db_path) == []


def test_a_refusal_under_the_default_order_names_the_setting(servant, db_path) -> None:
    result = servant("add", "Ada", "--birthday", "14/03/1985")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: --birthday: '14/03/1985' is not a date: there is no month 14 (numbers are read month/day/year; "
        f'set date_order = "dmy" for day first); {ACCEPTED}\n'
    )
    assert dump(db_path) == []


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("2nd Sunday after Easter", '"2nd Sunday" is a rule, not a day; give the day itself'),
        ("Sunday 14 March 1985", "14 March 1985 is a Thursday, not a Sunday"),
        ("14 March 1985 on a Sunday", '"on a" is not part of a date'),
        ("25-12-1990", "with dashes write the year first (1990-12-25) or use slashes"),
    ],
)
def test_a_date_is_read_whole_or_refused_and_nothing_is_stored(servant, db_path, typed, why) -> None:
    result = servant("add", "Ada", "--birthday", typed)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: --birthday: {typed!r} is not a date: {why}; {ACCEPTED}\n"
    assert dump(db_path) == []


def test_a_weekday_that_agrees_with_the_date_is_accepted(servant) -> None:
    result = servant("add", "Ada", "--birthday", "Thursday 14 March 1985")
    assert ok(result) == "Added Ada (#1)\n  Birthday: 14 March 1985\n"


# -- date ----------------------------------------------------------------------------


def test_date_adds_a_key_date_with_label_plan_and_lead(servant) -> None:
    ok(servant("add", "Ines Duarte"))
    result = servant(
        "date", "Ines", "custom", "2012-12-01", "--label", "Firm founded", "--plan", "card", "--lead", "10"
    )
    assert ok(result) == "Added Ines Duarte's Firm founded: 1 December 2012 (plan: card, remind 10 days ahead)\n"
    assert ok(servant("show", "Ines", "--from", "2026-11-22")) == (
        "Ines Duarte (#1)\n"
        "\n"
        "  Key dates\n"
        "  Firm founded  1 December 2012  Tue 1 Dec 2026, in 9 days — 14 years (plan: card, remind 10 days ahead)\n"
    )


def test_a_lead_of_one_day_is_said_in_the_singular(servant) -> None:
    ok(servant("add", "Ines Duarte"))
    result = servant("date", "Ines", "birthday", "1980-12-01", "--lead", "1")
    assert ok(result) == "Added Ines Duarte's Birthday: 1 December 1980 (remind 1 day ahead)\n"


def test_date_replaces_a_date_of_the_same_kind_and_keeps_plan_and_lead(servant) -> None:
    ok(servant("add", "Ada", "--birthday", "1985-03-14"))
    assert ok(servant("date", "Ada", "birthday", "Mar 14", "--plan", "gift", "--lead", "3")) == (
        "Changed Ada's Birthday (14 March 1985): plan: gift, remind 3 days ahead (was: nothing set)\n"
    )
    assert ok(servant("date", "Ada", "birthday", "1985-03-15")) == (
        "Changed Ada's Birthday: 14 March 1985 → 15 March 1985 (plan: gift, remind 3 days ahead)\n"
    )
    assert ok(servant("show", "Ada", "--from", "2026-03-01")) == (
        "Ada (#1)\n"
        "\n"
        "  Key dates\n"
        "  Birthday  15 March 1985  Sun 15 Mar 2026, in 14 days — turns 41 (plan: gift, remind 3 days ahead)\n"
    )


def test_date_replaces_a_custom_date_with_the_same_label_in_any_case_keeping_the_label(servant) -> None:
    ok(servant("add", "Ada", "--date", "Shop opening=2015-06-01"))
    out = ok(servant("date", "Ada", "custom", "2016-06-01", "--label", "shop opening"))
    assert out == "Changed Ada's Shop opening: 1 June 2015 → 1 June 2016\n"
    profile = ok(servant("show", "Ada", "--json", "--from", "2026-01-01"))
    assert [(d["label"], d["date"]) for d in json.loads(profile)["dates"]] == [("Shop opening", "2016-06-01")]
    assert ok(servant("edit", "Ada", "--date", "SHOP OPENING=Jun 1")) == "No change to Ada (#1)\n"
    assert ok(servant("date", "Ada", "custom", "Jun 1", "--label", "shop opening")) == (
        "No change to Ada's Shop opening: 1 June 2016\n"
    )


@pytest.mark.parametrize(
    "args",
    [("date", "Margaret", "birthday", "Dec 10"), ("edit", "Margaret", "--birthday", "Dec 10")],
)
def test_a_yearless_date_on_another_day_is_refused_rather_than_dropping_the_year(servant, args) -> None:
    ok(servant("add", "Margaret O'Brien", "--birthday", "1952-12-09"))
    result = servant(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: Birthday is stored as 9 December 1952; give the new date with its year, e.g. 1952-12-10,"
        " or add --no-year to store it without one\n"
    )
    assert ok(servant("edit", "Margaret", "--birthday", "Dec 10", "--no-year")) == (
        "Updated Margaret O'Brien (#1)\n  Birthday: 10 December (was 9 December 1952)\n"
    )


def test_date_takes_a_yearless_date_written_like_an_option(servant) -> None:
    ok(servant("add", "Ada"))
    assert ok(servant("date", "Ada", "birthday", "--03-14", "--plan", "card")) == (
        "Added Ada's Birthday: 14 March (plan: card)\n"
    )


def test_date_once_is_marked_in_its_own_year_only(servant) -> None:
    ok(servant("add", "Ada"))
    out = ok(servant("date", "Ada", "custom", "2027-06-01", "--label", "Retirement party", "--once"))
    assert out == "Added Ada's Retirement party: 1 June 2027 (one-off)\n"
    assert ok(servant("upcoming", "--from", "2026-05-01", "--days", "1200")) == (
        "in 396 days  Tue 1 Jun 2027  Ada  Retirement party\n"
    )
    assert ok(servant("show", "Ada", "--from", "2027-06-02")) == (
        "Ada (#1)\n\n  Key dates\n  Retirement party  1 June 2027  passed (one-off)\n"
    )


def test_date_replacing_a_one_off_keeps_it_one_off_unless_told_yearly(servant, db_path) -> None:
    ok(servant("add", "Ada"))
    ok(servant("date", "Ada", "custom", "2027-06-01", "--label", "Launch", "--once"))
    out = ok(servant("date", "Ada", "custom", "2027-06-08", "--label", "Launch"))
    assert out == "Changed Ada's Launch: 1 June 2027 → 8 June 2027 (one-off)\n"
    before = dump(db_path)
    refused = servant("date", "Ada", "custom", "June 9", "--label", "Launch")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "Error: Launch is stored as 8 June 2027; give the new date with its year, e.g. 2027-06-09,"
        " or add --no-year to store it without one\n"
    )
    refused = servant("date", "Ada", "custom", "June 9", "--label", "Launch", "--no-year")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "Error: a one-off date needs a year, e.g. 2026-06-09 (or make it yearly: servant date … --yearly)\n",
    )
    assert dump(db_path) == before
    out = ok(servant("date", "Ada", "custom", "June 9", "--label", "Launch", "--yearly", "--no-year"))
    assert out == "Changed Ada's Launch: 8 June 2027 → 9 June\n"
    assert ok(servant("upcoming", "--from", "2030-06-01", "--days", "10")) == "in 8 days  Sun 9 Jun 2030  Ada  Launch\n"


# -- edit ----------------------------------------------------------------------------


def test_edit_changes_name_and_details(servant) -> None:
    ok(servant("add", "Ada Byron", "--company", "Old Co", "--phone", "123"))
    result = servant(
        "edit", "Ada", "--name", "Ada Lovelace", "--company", "Analytical Engines", "--email", "ada@example.com"
    )
    assert ok(result) == (
        "Updated Ada Lovelace (#1)\n"
        "  Name: Ada Lovelace (was Ada Byron)\n"
        "  Company: Analytical Engines\n"
        "  Email: ada@example.com\n"
    )
    assert ok(servant("show", "#1", "--from", "2026-01-01")) == (
        "Ada Lovelace (#1)\n"
        "  Company  Analytical Engines\n"
        "  Email    ada@example.com\n"
        "  Phone    123\n"
        "\n"
        "  No key dates yet.\n"
    )


def test_edit_empty_value_clears_a_field(servant) -> None:
    ok(servant("add", "Ada", "--company", "Analytical Engines", "--phone", "123", "--note", "Countess"))
    assert ok(servant("edit", "Ada", "--company", "", "--note", "")) == (
        "Updated Ada (#1)\n  Company: (cleared)\n  Note: (cleared)\n"
    )
    assert ok(servant("show", "Ada", "--from", "2026-01-01")) == "Ada (#1)\n  Phone  123\n\n  No key dates yet.\n"


def test_edit_says_what_changed_and_warns_about_a_namesake_or_a_tag_it_did_not_have(servant) -> None:
    ok(servant("add", "Adam Smith", "--tag", "client"))
    ok(servant("add", "Adam Smyth"))
    refused = servant("edit", "Adam Smyth", "--name", "adam  smith", "--every", "30")
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == (
        "Error: adam smith is already in servant (#1); add --new to give Adam Smyth the same name all the same\n"
    )
    result = servant("edit", "Adam Smyth", "--name", "adam smith", "--untag", "vip", "--every", "30", "--new")
    assert result.exit_code == 0
    assert result.stdout == (
        "Updated adam smith (#2)\n  Name: adam smith (was Adam Smyth)\n  Keep in touch: every 30 days\n"
    )
    assert result.stderr == (
        "Note: Adam Smyth had no tag vip to remove.\nNote: there is someone else called adam smith (#1).\n"
    )
    refused = servant("edit", "#1", "--tag", "vip", "--untag", "VIP")
    assert (refused.exit_code, refused.stderr) == (2, "Error: --tag and --untag both name 'vip'; choose one\n")


def test_edit_that_changes_nothing_says_so(servant) -> None:
    ok(servant("add", "Ben Carter", "--tag", "team", "--company", "Acme", "--birthday", "Dec 11"))
    result = servant("edit", "Ben", "--untag", "teem")
    assert (result.exit_code, result.stdout) == (0, "No change to Ben Carter (#1)\n")
    assert result.stderr == "Note: Ben Carter had no tag teem to remove.\n"
    same = ("--company", "Acme", "--tag", "TEAM", "--birthday", "Dec 11")
    assert ok(servant("edit", "Ben", *same)) == "No change to Ben Carter (#1)\n"
    assert ok(servant("edit", "Ben", "--company", "Acme Ltd", "--birthday", "Dec 11")) == (
        "Updated Ben Carter (#1)\n  Company: Acme Ltd\n"
    )


def test_edit_adds_and_removes_tags(servant) -> None:
    ok(servant("add", "Ada", "--tag", "client", "--tag", "vip"))
    assert ok(servant("edit", "Ada", "--tag", "team", "--untag", "VIP")) == "Updated Ada (#1)\n  Tags: client, team\n"
    assert ok(servant("edit", "Ada", "--untag", "client", "--untag", "team")) == "Updated Ada (#1)\n  Tags: (none)\n"
    assert json.loads(ok(servant("list", "--json")))[0]["tags"] == []


def test_edit_replacing_a_date_says_what_it_was(servant) -> None:
    ok(servant("add", "Ada", "--birthday", "1985-03-14", "--date", "Shop opening=2015-06-01"))
    result = servant(
        "edit", "Ada", "--birthday", "1815-12-10", "--client-since", "May 1", "--date", "shop opening=2016-06-01"
    )
    assert ok(result) == (
        "Updated Ada (#1)\n"
        "  Birthday: 10 December 1815 (was 14 March 1985)\n"
        "  Client since: 1 May\n"
        "  Shop opening: 1 June 2016 (was 1 June 2015)\n"
    )


def test_edit_drop_removes_a_kind_or_a_custom_label_once(servant) -> None:
    dates = ("--birthday", "1985-03-14", "--anniversary", "2010-06-01", "--date", "Shop opening=2015-06-01")
    ok(servant("add", "Ada", *dates))
    out = ok(servant("edit", "Ada", "--drop", "birthday", "--drop", "SHOP OPENING", "--drop", "Birthday"))
    assert out == "Updated Ada (#1)\n  Removed Birthday\n  Removed Shop opening\n"
    assert ok(servant("show", "Ada", "--from", "2026-01-01")) == (
        "Ada (#1)\n"
        "\n"
        "  Key dates\n"
        "  Wedding anniversary  1 June 2010  Mon 1 Jun 2026, in 151 days — 16th wedding anniversary\n"
    )


def test_edit_with_nothing_to_change_is_an_error(servant, db_path) -> None:
    ok(servant("add", "Ada"))
    before = dump(db_path)
    result = servant("edit", "Ada")
    assert result.exit_code == 2
    assert result.stderr == "Error: nothing to change; see 'servant edit --help' for what can be changed\n"
    assert dump(db_path) == before


# -- rm ------------------------------------------------------------------------------


def test_rm_answered_no_removes_nothing(servant, db_path) -> None:
    ok(servant("add", "Ada", "--birthday", "1985-03-14"))
    before = dump(db_path)
    result = servant("rm", "Ada", input="n\n")
    assert result.exit_code == 1
    assert result.stdout == "Remove Ada (#1) and 1 key date? [y/N]: n\n"  # the runner echoes the answer
    assert result.stderr == "Error: aborted, nothing was changed\n"
    assert dump(db_path) == before


def test_rm_answered_yes_removes_the_person_and_their_dates(servant, db_path) -> None:
    ok(servant("add", "Ada", "--birthday", "1985-03-14", "--anniversary", "2010-06-01"))
    ok(servant("add", "Bob", "--birthday", "1990-01-01"))
    result = servant("rm", "Ada", input="y\n")
    assert ok(result) == "Remove Ada (#1) and 2 key dates? [y/N]: y\nRemoved Ada (#1) and 2 key dates.\n"
    assert ok(servant("list")) == "#2  Bob\n"
    occasions = [row for row in dump(db_path) if row[0] == "occasion"]
    assert [row[2] for row in occasions] == [2]  # person_id: only Bob's birthday is left


def test_rm_yes_does_not_ask(servant) -> None:
    ok(servant("add", "Ada", "--birthday", "1985-03-14"))
    assert ok(servant("rm", "#1", "--yes")) == "Removed Ada (#1) and 1 key date.\n"
    assert ok(servant("list")) == "No people yet. Add someone with: servant add NAME --birthday DATE\n"


# -- list ----------------------------------------------------------------------------


def test_list_shows_everyone_by_name(servant, team) -> None:
    assert ok(servant("list")) == (
        "#3  Ada Lovelace  Analytical Engines  client\n"
        "#4  Alan Turing                       team\n"
        "#5  Bob Byte                          friend\n"
        "#2  Grace Hopper                      client, vip\n"
        "#1  Linus Berg                        client\n"
    )


def test_list_tag_filter_takes_any_of_several_tags_in_any_case(servant, team) -> None:
    assert ok(servant("list", "--tag", "VIP", "--tag", "team")) == (
        "#4  Alan Turing   team\n#2  Grace Hopper  client, vip\n"
    )


def test_list_tag_filter_that_matches_no_one_says_so(servant, team) -> None:
    assert ok(servant("list", "--tag", "nobody")) == "No one has the tag nobody.\n"


@pytest.fixture
def empty_db(db_path: Path) -> Path:
    """A servant database with no one in it yet."""
    Store.open(db_path).close()
    return db_path


def test_list_on_an_empty_database_says_how_to_add_someone(servant, empty_db) -> None:
    assert ok(servant("list")) == "No people yet. Add someone with: servant add NAME --birthday DATE\n"


def test_list_json_is_every_person_with_their_details(servant, team) -> None:
    people = json.loads(ok(servant("list", "--json", "--tag", "client")))
    assert [p["name"] for p in people] == ["Ada Lovelace", "Grace Hopper", "Linus Berg"]
    assert people[0] == {
        "id": 3,
        "name": "Ada Lovelace",
        "nickname": None,
        "company": "Analytical Engines",
        "position": None,
        "email": None,
        "phone": None,
        "tags": ["client"],
        "notes": None,
        "every_days": None,
        "connected_on": None,
    }


# -- show and naming a person --------------------------------------------------------


def test_show_profile_lists_details_and_each_key_date(servant, team) -> None:
    ok(servant("date", "Grace", "birthday", "1906-12-09", "--plan", "flowers", "--lead", "5"))
    assert ok(servant("show", "Grace", "--from", "2026-11-28")) == (
        "Grace Hopper (#2)\n"
        "  Tags  client, vip\n"
        "\n"
        "  Key dates\n"
        "  Birthday             9 December 1906   Wed 9 Dec 2026, in 11 days — turns 120 (plan: flowers, remind 5 days"
        " ahead)\n"
        "  Wedding anniversary  29 November 1930  Sun 29 Nov 2026, tomorrow — 96th wedding anniversary\n"
    )


def test_show_from_moves_the_next_occurrence_and_the_years(servant, team) -> None:
    assert ok(servant("show", "Ada", "--from", "2026-12-11")) == (
        "Ada Lovelace (#3)\n"
        "  Company  Analytical Engines\n"
        "  Tags     client\n"
        "\n"
        "  Key dates\n"
        "  Birthday  10 December 1985  Fri 10 Dec 2027, in 364 days — turns 42\n"
    )


SHOWN_NOTE = (
    "Ada (#1)\n"
    "  Company  Analytical Engines\n"
    "  Tags     client\n"
    "  Notes    Prefers calls\n"
    "           after 10am,\n"
    "\n"
    "            tea \ufffd[31mnot red\n"
    "\n"
    "  No key dates yet.\n"
)


@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1", "COLUMNS": "100"}], ids=["piped", "terminal"])
def test_show_writes_a_note_of_several_lines_as_lines(servant, database_from, env: dict[str, str]) -> None:
    path = database_from(("add", "Ada", "--company", "Analytical Engines", "--tag", "client"))
    with sqlite3.connect(path) as conn:
        # As another tool could store it: a blank line, a tab, and an escape sequence.
        conn.execute("UPDATE person SET notes = ?", ("Prefers calls\nafter 10am,\n\n\ttea \x1b[31mnot red",))
    conn.close()
    out = ok(servant("show", "Ada", env=env))
    if env:
        # The terminal's layout is the same, without the indent (and with Rich's padding).
        assert "\x1b[31m" not in out
        lines = [ANSI.sub("", line).rstrip() for line in out.splitlines()]
        assert lines == [line.removeprefix("  ") for line in SHOWN_NOTE.splitlines()]
    else:
        assert out == SHOWN_NOTE


@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1", "COLUMNS": "100"}], ids=["piped", "terminal"])
def test_show_writes_the_day_of_a_linkedin_connection_as_other_dates(servant, tmp_path, env) -> None:
    export = tmp_path / "Connections.csv"
    export.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Grace,Hopper,https://www.linkedin.com/in/gracehopper,,US Navy,Rear Admiral,14 Dec 2023\n",
        encoding="utf-8",
    )
    ok(servant("import", str(export)))
    out = ANSI.sub("", ok(servant("show", "Grace", env=env)))
    assert re.search(r"^ *Connected on +14 December 2023$", out, flags=re.M), out
    assert "2023-12-14" not in out
    assert json.loads(ok(servant("show", "Grace", "--json")))["connected_on"] == "2023-12-14"


def test_show_json_has_dates_with_next_occurrence_and_years(servant, team) -> None:
    profile = json.loads(ok(servant("show", "Alan", "--json", "--from", "2026-11-28")))
    assert profile["name"] == "Alan Turing"
    assert profile["id"] == 4
    assert profile["tags"] == ["team"]
    assert profile["dates"] == [
        {
            "id": 6,
            "kind": "birthday",
            "label": "Birthday",
            "date": "--01-02",
            "rule": None,
            "yearly": True,
            "lead_days": None,
            "plan": None,
            "next": "2027-01-02",
            "years": None,
            "history": [],
        },
        {
            "id": 7,
            "kind": "work-anniversary",
            "label": "Work anniversary",
            "date": "2020-11-30",
            "rule": None,
            "yearly": True,
            "lead_days": None,
            "plan": None,
            "next": "2026-11-30",
            "years": 6,
            "history": [],
        },
    ]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("#4", "Alan Turing"),
        ("Alan Turing", "Alan Turing"),
        ("alan turing", "Alan Turing"),
        ("Al", "Alan Turing"),
        ("gra", "Grace Hopper"),
        ("  Bob  ", "Bob Byte"),
    ],
)
def test_a_person_is_named_by_id_exact_name_or_unique_prefix(servant, team, query: str, name: str) -> None:
    out = ok(servant("show", query, "--from", "2026-11-28"))
    assert out.splitlines()[0].startswith(f"{name} (#")


def test_an_exact_name_beats_a_longer_name_it_starts(servant) -> None:
    ok(servant("add", "Anna", "--birthday", "Jan 1"))
    ok(servant("add", "Ann", "--birthday", "Feb 2"))
    assert ok(servant("show", "ann", "--from", "2026-01-01")).startswith("Ann (#2)\n")
    assert ok(servant("show", "Anna", "--from", "2026-01-01")).startswith("Anna (#1)\n")


def test_an_ambiguous_prefix_lists_the_candidates_with_ids(servant, team) -> None:
    result = servant("show", "A", "--from", "2026-11-28")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: 'A' matches 2 people: #3 Ada Lovelace, #4 Alan Turing; use more of the name or #ID\n"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Zed", "Error: no one called 'Zed'; see 'servant list'\n"),
        ("#99", "Error: there is no person #99; see 'servant list'\n"),
    ],
)
def test_an_unknown_person_is_an_error(servant, team, query: str, message: str) -> None:
    for args in (("show", query), ("rm", query, "--yes"), ("date", query, "birthday", "Jan 1"), ("edit", query)):
        result = servant(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", message), args


# -- upcoming ------------------------------------------------------------------------


def test_upcoming_lists_each_occasion_soonest_first(servant, team) -> None:
    assert ok(servant("upcoming", "--from", "2026-11-28", "--days", "14")) == TEAM_UPCOMING


def test_upcoming_window_crosses_new_year(servant, team) -> None:
    assert ok(servant("upcoming", "--from", "2026-12-09", "--days", "30")) == (
        "Today       Wed 9 Dec 2026   Grace Hopper  Birthday — turns 120\n"
        "Tomorrow    Thu 10 Dec 2026  Ada Lovelace  Birthday — turns 41\n"
        "in 24 days  Sat 2 Jan 2027   Alan Turing   Birthday\n"
    )


def test_upcoming_window_covers_the_same_day_in_two_years(servant, team) -> None:
    out = ok(servant("upcoming", "--from", "2026-11-28", "--days", "365", "--kind", "birthday", "--tag", "friend"))
    assert out == "Today        Sat 28 Nov 2026  Bob Byte  Birthday\nin 365 days  Sun 28 Nov 2027  Bob Byte  Birthday\n"


def test_upcoming_days_zero_is_today_only(servant, team) -> None:
    assert ok(servant("upcoming", "--from", "2026-11-28", "--days", "0")) == (
        "Today  Sat 28 Nov 2026  Bob Byte  Birthday\n"
    )


@pytest.mark.parametrize(
    ("days", "line"),
    [
        ("0", "Nothing today (Wed 2 Dec 2026).\n"),
        ("1", "Nothing coming up in the next day (to Thu 3 Dec 2026).\n"),
        ("5", "Nothing coming up in the next 5 days (to Mon 7 Dec 2026).\n"),
    ],
)
def test_upcoming_with_nothing_in_the_window_says_so_in_one_line(servant, team, days: str, line: str) -> None:
    assert ok(servant("upcoming", "--from", "2026-12-02", "--days", days)) == line


def test_upcoming_on_an_empty_database_prints_one_friendly_line(servant, empty_db) -> None:
    assert ok(servant("upcoming", "--from", "2026-11-28")) == (
        "Nothing coming up in the next 30 days (to Mon 28 Dec 2026).\n"
    )


def test_upcoming_default_window_comes_from_the_config(servant, team, write_config) -> None:
    write_config("days = 2\n")
    assert ok(servant("upcoming", "--from", "2026-11-28")) == (
        "Today      Sat 28 Nov 2026  Bob Byte      Birthday\n"
        "Tomorrow   Sun 29 Nov 2026  Grace Hopper  96th wedding anniversary\n"
        "Tomorrow   Sun 29 Nov 2026  Linus Berg    Shop opening — 10 years\n"
        "in 2 days  Mon 30 Nov 2026  Alan Turing   6 years at work\n"
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            ["--kind", "birthday", "--tag", "client"],
            "in 11 days  Wed 9 Dec 2026   Grace Hopper  Birthday — turns 120\n"
            "in 12 days  Thu 10 Dec 2026  Ada Lovelace  Birthday — turns 41\n",
        ),
        (
            ["--kind", "work-anniversary", "--kind", "custom"],
            "Tomorrow   Sun 29 Nov 2026  Linus Berg   Shop opening — 10 years\n"
            "in 2 days  Mon 30 Nov 2026  Alan Turing  6 years at work\n",
        ),
        (
            ["--tag", "TEAM", "--tag", "friend"],
            "Today      Sat 28 Nov 2026  Bob Byte     Birthday\n"
            "in 2 days  Mon 30 Nov 2026  Alan Turing  6 years at work\n",
        ),
        (
            ["--kind", "anniversary", "--kind", "client-since", "--tag", "vip"],
            "Tomorrow  Sun 29 Nov 2026  Grace Hopper  96th wedding anniversary\n",
        ),
    ],
)
def test_upcoming_kind_and_tag_filters_are_repeatable(servant, team, filters: list[str], expected: str) -> None:
    assert ok(servant("upcoming", "--from", "2026-11-28", "--days", "14", *filters)) == expected


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("", "Tomorrow  Sun 28 Feb 2027  Hana  Birthday — turns 39\n"),
        ('feb29 = "mar1"\n', "in 2 days  Mon 1 Mar 2027  Hana  Birthday — turns 39\n"),
    ],
)
def test_upcoming_feb29_birthday_in_a_common_year(servant, write_config, config: str, expected: str) -> None:
    write_config(config)
    ok(servant("add", "Hana", "--birthday", "1988-02-29"))
    assert ok(servant("upcoming", "--from", "2027-02-27", "--days", "2")) == expected


def test_upcoming_json_is_one_array_sorted_by_date_then_name(servant, team) -> None:
    items = json.loads(ok(servant("upcoming", "--from", "2026-11-28", "--days", "1", "--json")))
    assert items == [
        {
            "date": "2026-11-28",
            "days_until": 0,
            "person": "Bob Byte",
            "person_id": 5,
            "kind": "birthday",
            "label": "Birthday",
            "years": None,
            "description": "Birthday",
            "tags": ["friend"],
            "family": None,
            "handled": False,
            "last_gesture": None,
            "history": [],
        },
        {
            "date": "2026-11-29",
            "days_until": 1,
            "person": "Grace Hopper",
            "person_id": 2,
            "kind": "anniversary",
            "label": "Wedding anniversary",
            "years": 96,
            "description": "96th wedding anniversary",
            "tags": ["client", "vip"],
            "family": None,
            "handled": False,
            "last_gesture": None,
            "history": [],
        },
        {
            "date": "2026-11-29",
            "days_until": 1,
            "person": "Linus Berg",
            "person_id": 1,
            "kind": "custom",
            "label": "Shop opening",
            "years": 10,
            "description": "Shop opening — 10 years",
            "tags": ["client"],
            "family": None,
            "handled": False,
            "last_gesture": None,
            "history": [],
        },
    ]


def test_upcoming_json_with_nothing_coming_up_is_an_empty_array(servant, empty_db) -> None:
    assert json.loads(ok(servant("upcoming", "--from", "2026-11-28", "--json"))) == []


def test_upcoming_csv_has_a_header_and_one_row_per_occasion(servant, team) -> None:
    assert ok(servant("upcoming", "--from", "2026-11-28", "--days", "1", "--csv")) == (
        "date,days_until,person,person_id,kind,label,years,description,tags,family,handled,last_gesture\n"
        "2026-11-28,0,Bob Byte,5,birthday,Birthday,,Birthday,friend,,,\n"
        '2026-11-29,1,Grace Hopper,2,anniversary,Wedding anniversary,96,96th wedding anniversary,"client;vip",,,\n'
        "2026-11-29,1,Linus Berg,1,custom,Shop opening,10,Shop opening — 10 years,client,,,\n"
    )


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_upcoming_csv_neutralises_cells_a_spreadsheet_would_run(servant, name: str) -> None:
    ok(servant("add", "--date", f"{name}=2020-11-28", "--tag", name, "--", name))
    rows = list(csv.DictReader(io.StringIO(ok(servant("upcoming", "--from", "2026-11-28", "--days", "0", "--csv")))))
    assert len(rows) == 1
    assert rows[0]["person"] == rows[0]["label"] == rows[0]["tags"] == "'" + name
    assert rows[0]["description"] == f"'{name} — 6 years"
    assert rows[0]["days_until"] == "0"


PLAIN_ENVS = [{}, {"NO_COLOR": "1"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, {"TERM": "dumb", "FORCE_COLOR": "1"}]


@pytest.mark.parametrize("env", PLAIN_ENVS, ids=["piped", "no-color", "no-color-beats-force", "dumb-terminal"])
def test_upcoming_piped_or_without_colour_is_plain_text(servant, team, env: dict[str, str]) -> None:
    out = ok(servant("upcoming", "--from", "2026-11-28", "--days", "14", env=env))
    assert "\x1b" not in out
    assert out == TEAM_UPCOMING


def test_forced_colour_draws_a_table_with_today_highlighted(servant, team) -> None:
    result = servant("upcoming", "--from", "2026-11-28", "--days", "14", env={"FORCE_COLOR": "1", "COLUMNS": "100"})
    plain = check_upcoming_table(ok(result), "Bob Byte", later="in 12 days")
    assert plain[0].strip() == "Coming up: the next 14 days"
    assert [re.split(r" *│ *", line.strip("│ ")) for line in plain if "in 11 days" in line] == [
        ["in 11 days", "Wed 9 Dec 2026", "Grace Hopper", "Birthday — turns 120"]
    ]


def _many_people(db_path: Path, count: int) -> None:
    """``count`` people with a birthday on 28 November (1990, 1991, …), straight through the store."""
    store = Store.open(db_path)
    store.add_people(
        NewPerson(f"Person {n:03d}", occasions=(NewOccasion("birthday", 11, 28 if n % 2 else 30, 1990 + n % 20),))
        for n in range(count)
    )
    store.close()


@pytest.mark.parametrize("command", [["list"], ["show", "Ada"], ["upcoming"], ["date", "Ada", "birthday", "Mar 1"]])
def test_a_database_path_that_does_not_exist_is_refused_except_by_add(servant, tmp_path, command) -> None:
    # A mistyped SERVANT_DB under cron must fail loudly, not report "nothing" every morning.
    typo = tmp_path / "typo" / "servnt.db"
    result = servant(*command, env={"SERVANT_DB": str(typo)})
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: there is no database at {typo} (given by SERVANT_DB); check the path,"
        " or 'servant add' or 'servant import' creates it\n"
    )
    assert not typo.parent.exists()
    assert ok(servant("--db", str(typo), "add", "Ada")) == "Added Ada (#1)\n"
    assert typo.stat().st_mode & 0o777 == 0o600


def test_the_default_database_is_made_by_any_command(servant, tmp_path) -> None:
    result = servant("upcoming", "--from", "2026-11-28", "--days", "1", env={"SERVANT_DB": ""})
    assert ok(result) == "Nothing coming up in the next day (to Sun 29 Nov 2026).\n"
    assert (tmp_path / "home" / ".local" / "share" / "servant" / "servant.db").exists()


def test_a_list_too_long_for_a_table_is_aligned_lines_on_a_terminal_too(servant, db_path) -> None:
    # A Rich table of thousands of rows takes seconds; past TABLE_ROWS the terminal gets
    # the plain lines, with today's rows still bold.
    _many_people(db_path, TABLE_ROWS + 1)
    plain = ok(servant("upcoming", "--from", "2026-11-28", "--days", "7"))
    coloured = ok(servant("upcoming", "--from", "2026-11-28", "--days", "7", env={"FORCE_COLOR": "1"}))
    title, *lines = coloured.splitlines(keepends=True)
    assert ANSI.sub("", title) == "Coming up: the next 7 days\n"
    assert "".join(ANSI.sub("", line) for line in lines) == plain
    assert plain.startswith("Today      Sat 28 Nov 2026  Person 001  Birthday — turns 35\n")
    assert all(re.match(r"\x1b\[1;33mToday ", line) for line in lines if "Today" in line)
    assert all(re.match(r"\x1b\[33min 2 days ", line) for line in lines if "in 2 days" in line)
    assert len(lines) == TABLE_ROWS + 1
    listed = ok(servant("list", env={"FORCE_COLOR": "1"}))
    assert listed == ok(servant("list"))
    assert listed.splitlines()[0] == "#1    Person 000"


def test_forced_colour_table_shows_markup_in_a_name_as_typed(servant) -> None:
    ok(servant("add", "[bold red]Eve[/]", "--birthday", "Nov 28"))
    out = ok(servant("upcoming", "--from", "2026-11-28", env={"FORCE_COLOR": "1", "COLUMNS": "100"}))
    assert "[bold red]Eve[/]" in ANSI.sub("", out)


@pytest.mark.parametrize(
    ("args", "headings"),
    [
        (["list"], ["ID", "Name", "Company", "Tags"]),
        (["show", "Grace", "--from", "2026-11-28"], ["Occasion", "Date", "Next"]),
    ],
)
def test_forced_colour_list_and_show_are_tables(servant, team, args: list[str], headings: list[str]) -> None:
    out = ANSI.sub("", ok(servant(*args, env={"FORCE_COLOR": "1", "COLUMNS": "120"})))
    header = next(line for line in out.splitlines() if headings[0] in line and headings[1] in line)
    assert re.findall(r"\w+", header) == headings
    assert "Grace Hopper" in out


def test_upcoming_does_not_pass_control_characters_from_the_database_to_the_terminal(servant, db_path) -> None:
    ok(servant("add", "Ada", "--date", "Shop=2015-11-28"))
    # Data from elsewhere (an import, another tool) may hold anything.
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE occasion SET label = ?", ("Shop\x1b[2J\x07",))
        conn.execute("UPDATE person SET name = ?", ("Ada\x1b]0;owned\x07",))
    conn.close()
    out = ok(servant("upcoming", "--from", "2026-11-28", "--days", "0"))
    assert "\x1b" not in out and "\x07" not in out
    assert out == "Today  Sat 28 Nov 2026  Ada\ufffd]0;owned\ufffd  Shop\ufffd[2J\ufffd — 11 years\n"


# -- refused input: one line on stderr, nothing written, no traceback ------------------

REFUSED = [
    pytest.param(
        ["add", "X", "--birthday", "2023-02-29"],
        2,
        ["--birthday: '2023-02-29' is not a date: 2023 is not a leap year", ACCEPTED],
        id="feb29-non-leap",
    ),
    pytest.param(
        ["add", "X", "--birthday", "1900-02-29"],
        2,
        ["--birthday: '1900-02-29' is not a date: 1900 is not a leap year", ACCEPTED],
        id="feb29-1900",
    ),
    pytest.param(
        ["add", "X", "--birthday", "Feb 30"],
        2,
        ["--birthday: 'Feb 30' is not a date: February has no day 30", ACCEPTED],
        id="feb30",
    ),
    pytest.param(
        ["add", "X", "--birthday", "13/13/2020"],
        2,
        ["--birthday: '13/13/2020' is not a date: there is no month 13", ACCEPTED],
        id="month13-numeric",
    ),
    pytest.param(
        ["add", "X", "--birthday", "--13-01"],
        2,
        ["--birthday: '--13-01' is not a date: there is no month 13", ACCEPTED],
        id="month13-yearless",
    ),
    pytest.param(["add", "X", "--birthday", ""], 2, ["--birthday: '' is not a date", ACCEPTED], id="empty-date"),
    pytest.param(
        ["date", "Ada", "anniversary", "2026-02-30"],
        2,
        ["DATE: '2026-02-30' is not a date: February has no day 30", ACCEPTED],
        id="date-command-feb30",
    ),
    pytest.param(
        ["add", "X", "--date", "Shop opening 2015-06-01"],
        2,
        ["--date: 'Shop opening 2015-06-01' needs the form LABEL=DATE, e.g. --date 'Shop opening=2015-06-01'"],
        id="date-without-equals",
    ),
    pytest.param(
        ["add", "X", "--date", "Shop=2015-06-01", "--date", "shop=2016-06-01"],
        2,
        ["--date: 'shop' is given twice"],
        id="same-label-twice",
    ),
    pytest.param(["add", ""], 2, ["NAME: a person needs a name (it was empty)"], id="empty-name"),
    pytest.param(["add", "   "], 2, ["NAME: a person needs a name (it was empty)"], id="blank-name"),
    pytest.param(
        ["add", "Ada\nLovelace"],
        2,
        ["NAME: 'Ada\\nLovelace' must be one line of text without control characters"],
        id="newline-in-name",
    ),
    pytest.param(
        ["add", "Ada\x1b[31m"],
        2,
        ["NAME: 'Ada\\x1b[31m' must be one line of text without control characters"],
        id="escape-in-name",
    ),
    pytest.param(
        ["add", "X", "--company", "c" * 300], 2, ["--company: at most 200 characters (got 300)"], id="long-company"
    ),
    pytest.param(["add", "X", "--tag", " "], 2, ["--tag: a tag cannot be empty"], id="empty-tag"),
    pytest.param(
        ["upcoming", "--from", "2026-11-28", "--days", "-5"],
        2,
        ["--days: -5 is out of range; use 0 to 3660"],
        id="negative-days",
    ),
    pytest.param(
        ["upcoming", "--from", "2026-11-28", "--days", "abc"],
        2,
        ["--days: 'abc' is not a whole number; use 0 to 3660"],
        id="days-not-a-number",
    ),
    pytest.param(
        ["upcoming", "--from", "yesterday"], 2, ["--from: 'yesterday' is not a date", ACCEPTED_FULL], id="from-word"
    ),
    pytest.param(
        ["upcoming", "--from", "Mar 14"],
        2,
        ["--from: 'Mar 14' has no year; give a full date such as 2026-03-14"],
        id="from-without-year",
    ),
    pytest.param(
        ["show", "Ada", "--from", "9999-06-01"],
        2,
        ["--from: '9999-06-01' is too far ahead; use a date up to 9988-12-31"],
        id="from-too-far",
    ),
    pytest.param(
        ["upcoming", "--from", "2026-11-28", "--json", "--csv"],
        2,
        ["--json and --csv cannot be used together; choose one"],
        id="json-and-csv",
    ),
    pytest.param(
        ["upcoming", "--from", "2026-11-28", "--kind", "wedding"],
        2,
        [
            "Invalid value for '--kind': 'wedding' is not one of 'birthday', 'anniversary', 'work-anniversary',"
            " 'client-since', 'custom' (see 'servant upcoming --help')"
        ],
        id="upcoming-unknown-kind",
    ),
    pytest.param(
        ["date", "Ada", "wedding", "2010-06-01"],
        2,
        ["'wedding' is not one of 'birthday', 'anniversary', 'work-anniversary', 'client-since', 'custom'"],
        id="date-unknown-kind",
    ),
    pytest.param(
        ["date", "Ada", "custom", "2015-06-01"],
        2,
        ["--label: a custom date needs a label, e.g. --label 'Shop opening'"],
        id="custom-without-label",
    ),
    pytest.param(
        ["date", "Ada", "birthday", "1985-03-14", "--label", "Big day"],
        2,
        ["--label is only for custom dates; birthday is named 'Birthday'"],
        id="label-on-birthday",
    ),
    pytest.param(
        ["date", "Ada", "custom", "June 1", "--label", "Launch", "--once"],
        2,
        ["--once: a one-off date needs a year, e.g. 2026-06-01"],
        id="once-without-year",
    ),
    pytest.param(
        ["date", "Ada", "birthday", "1985-03-14", "--lead", "999"],
        2,
        ["--lead: 999 is out of range; use 0 to 365"],
        id="lead-too-long",
    ),
    pytest.param(
        ["date", "Ada", "birthday", "1985-03-14", "--plan", "cake"],
        2,
        ["'cake' is not one of 'call', 'card', 'gift', 'flowers', 'message'"],
        id="unknown-plan",
    ),
    pytest.param(
        ["date", "Ada", "custom", "2015-06-01", "--lable", "Shop"],
        2,
        ["No such option: --lable"],
        id="mistyped-option",
    ),
    pytest.param(["edit", "Ada", "--name", ""], 2, ["--name: a person needs a name (it was empty)"], id="edit-no-name"),
    pytest.param(
        ["edit", "Ada", "--drop", "anniversary"],
        2,
        ["--drop: Ada Lovelace has no 'anniversary' date (has: birthday)"],
        id="drop-missing-date",
    ),
    pytest.param(
        ["edit", "Ada", "--drop", "birthday", "--birthday", "1985-03-15"],
        2,
        ["--drop: Birthday is also given a new date; choose one"],
        id="drop-and-set",
    ),
    pytest.param(["show", "Zed"], 1, ["no one called 'Zed'; see 'servant list'"], id="unknown-person"),
    # No input at all: the question gets end-of-file, which is no.
    pytest.param(["rm", "Ada"], 1, ["aborted, nothing was changed"], id="rm-without-an-answer"),
]


@pytest.mark.parametrize(("args", "code", "fragments"), REFUSED)
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(
    servant, db_path, args: list[str], code: int, fragments: list[str]
) -> None:
    ok(servant("add", "Ada Lovelace", "--birthday", "1985-03-14"))
    before = dump(db_path)
    result = servant(*args)
    assert result.exit_code == code
    error = result.stderr.strip("\n")
    assert error.startswith("Error: ") and "\n" not in error, result.stderr
    for fragment in fragments:
        assert fragment in error
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exc_info is not None and result.exc_info[0] is SystemExit, "handled, not an uncaught exception"
    assert dump(db_path) == before


# -- database trouble ----------------------------------------------------------------


def _folder(path: Path, servant) -> str:
    path.mkdir()
    return "is a folder, not a database file"


def _not_sqlite(path: Path, servant) -> str:
    path.write_text("name,birthday\nAda,1985-03-14\n", encoding="utf-8")
    return "is not a servant database (not SQLite); it was left untouched"


def _someone_elses_sqlite(path: Path, servant) -> str:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()
    return "is a SQLite database but not servant's; it was left untouched"


def _newer_servant(path: Path, servant) -> str:
    ok(servant("--db", str(path), "add", "Ada", "--birthday", "1985-03-14"))
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            ("servant", "m999_from_the_future", "2031-01-01"),
        )
    conn.close()
    return "was written by a newer version of servant (schema step 'm999_from_the_future'); upgrade servant"


def _named_pipe(path: Path, servant) -> str:
    os.mkfifo(path)  # read, it would wait for a writer for ever
    return "is not a regular file (a pipe or a device); give a database file"


def _snapshot(path: Path) -> object:
    if path.is_fifo():
        return "fifo"
    return sorted(p.name for p in path.iterdir()) if path.is_dir() else path.read_bytes()


@pytest.mark.parametrize("make", [_folder, _not_sqlite, _someone_elses_sqlite, _newer_servant, _named_pipe])
@pytest.mark.parametrize("args", [["upcoming", "--from", "2026-11-28"], ["add", "Bob"]], ids=["read", "write"])
def test_a_database_that_is_not_usable_is_refused_and_left_untouched(servant, tmp_path, make, args) -> None:
    path = tmp_path / "other.db"
    reason = make(path, servant)
    before = _snapshot(path)
    result = servant("--db", str(path), *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {path} {reason}")
    assert "Traceback" not in result.stderr
    assert _snapshot(path) == before


# -- names, labels and lookups that could mean two things -----------------------------


def test_a_custom_label_cannot_be_the_name_of_a_kind(servant, db_path) -> None:
    ok(servant("add", "Ada", "--birthday", "1990-03-03"))
    before = dump(db_path)
    for args in (
        ["edit", "Ada", "--date", "birthday=2001-02-02"],
        ["date", "Ada", "custom", "2001-02-02", "--label", "Wedding anniversary"],
    ):
        result = servant(*args)
        assert result.exit_code == 2
        assert "is a kind of date of its own; use its option, e.g. --birthday" in result.stderr
    assert dump(db_path) == before


def test_a_name_that_reads_as_an_id_is_refused_and_an_id_takes_ascii_digits_only(servant, db_path) -> None:
    result = servant("add", "#42")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: NAME: '#42' reads as a person's #ID, so it cannot be a name\n",
    )
    ok(servant("add", "Ada"))
    odd = servant("show", "#²")
    assert (odd.exit_code, odd.stderr) == (1, "Error: no one called '#²'; see 'servant list'\n")


def test_a_name_typed_with_a_combining_accent_finds_the_same_name(servant) -> None:
    ok(servant("add", "Jos\u00e9 Silva"))  # é as one character
    assert ok(servant("show", "Jose\u0301", "--from", "2026-01-01")).startswith("Jos\u00e9 Silva (#1)\n")


def test_a_custom_label_is_replaced_whatever_the_case_in_any_alphabet(servant) -> None:
    ok(servant("add", "Uwe", "--date", "Über=2000-01-01"))
    assert ok(servant("date", "Uwe", "custom", "2002-01-01", "--label", "über")) == (
        "Changed Uwe's Über: 1 January 2000 → 1 January 2002\n"
    )
    assert [d["date"] for d in json.loads(ok(servant("show", "Uwe", "--json")))["dates"]] == ["2002-01-01"]


def test_dash_h_is_help(servant) -> None:
    assert ok(servant("upcoming", "-h")).startswith("Usage: servant upcoming [OPTIONS]")


def test_a_typo_in_the_config_is_an_error_not_a_silent_default(servant, write_config) -> None:
    path = write_config('date_ordr = "dmy"\n')
    result = servant("add", "Ada", "--birthday", "03/04/1985")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: unknown key 'date_ordr'; did you mean date_order?")


def test_plain_columns_stay_aligned_with_wide_and_accented_names(servant) -> None:
    for name in ("山田太郎", "Ada 🎂", "Jose\u0301", "Bo"):
        ok(servant("add", name, "--birthday", "Dec 1"))
    lines = ok(servant("upcoming", "--from", "2026-12-01", "--days", "0")).splitlines()
    # The occasion column starts at the same terminal column on every line.
    starts = {render.cell_width(line[: line.index("Birthday")]) for line in lines}
    assert len(lines) == 4
    assert starts == {render.cell_width("Today  Tue 1 Dec 2026  山田太郎  ")}


def test_an_empty_db_option_is_refused_not_read_as_this_folder(servant) -> None:
    result = servant("--db", "", "list")
    assert (result.exit_code, result.stderr) == (1, "Error: --db is empty; give the database file's path\n")


def test_a_database_locked_past_the_busy_timeout_is_one_error_line(servant, db_path, monkeypatch) -> None:
    from servant_cli.store import connection  # where the store opens its connection

    ok(servant("add", "Ada"))
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_SECONDS", 0.1)
    holder = sqlite3.connect(db_path)
    holder.execute("BEGIN IMMEDIATE")  # another process mid-write, for longer than servant waits
    try:
        result = servant("add", "Bob")
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    assert result.stderr == "Error: the database could not be used: database is locked; nothing was changed\n"
    assert [p["name"] for p in json.loads(ok(servant("list", "--json")))] == ["Ada"]


def test_nickname_and_position_are_added_edited_shown_and_cleared(servant) -> None:
    ok(servant("add", "Robert Hale", "--nickname", "Bob", "--position", "Head of sales"))
    assert ok(servant("show", "Robert", "--from", "2026-12-02")) == (
        "Robert Hale (#1)\n  Nickname  Bob\n  Position  Head of sales\n\n  No key dates yet.\n"
    )
    ok(servant("edit", "Robert", "--position", "CEO", "--nickname", ""))
    shown = json.loads(ok(servant("show", "Robert", "--json")))
    assert (shown["nickname"], shown["position"]) == (None, "CEO")


@pytest.mark.parametrize("command", [("add", "Pat"), ("edit", "Ada")])
@pytest.mark.parametrize("typed", ["pat at corp", "pat@corp", "pat@", "@corp.com", "pat@@corp.com", "p t@corp.com"])
def test_email_that_cannot_be_an_address_is_refused(servant, command, typed) -> None:
    ok(servant("add", "Ada", "--email", "ada@example.com"))
    result = servant(*command, "--email", typed)
    assert result.exit_code == 2
    assert result.stderr == f"Error: --email: {typed!r} is not an email address; use the form name@example.com\n"
    assert json.loads(ok(servant("list", "--json")))[0]["email"] == "ada@example.com"
    assert len(json.loads(ok(servant("list", "--json")))) == 1


def test_email_can_still_be_cleared_and_plus_addresses_are_fine(servant) -> None:
    ok(servant("add", "Ada", "--email", "ada+shop@mail.example.co.uk"))
    assert json.loads(ok(servant("show", "Ada", "--json")))["email"] == "ada+shop@mail.example.co.uk"
    ok(servant("edit", "Ada", "--email", ""))
    assert json.loads(ok(servant("show", "Ada", "--json")))["email"] is None


# -- a year is never erased by a shortcut --------------------------------------------


@pytest.fixture
def margaret(servant) -> None:
    ok(servant("add", "Margaret O'Brien", "--birthday", "1952-12-09", "--date", "Shop opening=2015-06-01"))


def test_date_without_a_date_changes_only_the_settings_of_the_stored_one(servant, margaret) -> None:
    assert ok(servant("date", "Margaret", "birthday", "--plan", "flowers", "--lead", "3")) == (
        "Changed Margaret O'Brien's Birthday (9 December 1952): plan: flowers, remind 3 days ahead (was: nothing set)\n"
    )
    assert ok(servant("date", "Margaret", "custom", "--label", "shop OPENING", "--lead", "5")) == (
        "Changed Margaret O'Brien's Shop opening (1 June 2015): remind 5 days ahead (was: nothing set)\n"
    )
    assert ok(servant("date", "Margaret", "birthday", "--lead", "3")) == (
        "No change to Margaret O'Brien's Birthday: 9 December 1952 (plan: flowers, remind 3 days ahead)\n"
    )
    shown = json.loads(ok(servant("show", "Margaret", "--json", "--from", "2026-12-01")))
    assert [(d["kind"], d["date"], d["plan"], d["lead_days"]) for d in shown["dates"]] == [
        ("birthday", "1952-12-09", "flowers", 3),
        ("custom", "2015-06-01", None, 5),
    ]


def test_date_without_a_date_needs_a_stored_one(servant, margaret) -> None:
    result = servant("date", "Margaret", "anniversary", "--plan", "card")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: Margaret O'Brien has no anniversary date yet; give its DATE to add one\n"


@pytest.mark.parametrize("typed", ["Dec 9", "9 December", "--12-09"])
def test_a_yearless_date_on_the_stored_day_keeps_the_stored_year(servant, margaret, typed) -> None:
    assert ok(servant("date", "Margaret", "birthday", typed, "--plan", "flowers")) == (
        "Changed Margaret O'Brien's Birthday (9 December 1952): plan: flowers (was: nothing set)\n"
    )
    assert ok(servant("edit", "Margaret", "--birthday", typed)) == "No change to Margaret O'Brien (#1)\n"
    assert ok(servant("edit", "Margaret", "--date", "Shop opening=Jun 1")) == "No change to Margaret O'Brien (#1)\n"
    shown = json.loads(ok(servant("show", "Margaret", "--json", "--from", "2026-12-01")))
    assert [d["date"] for d in shown["dates"]] == ["1952-12-09", "2015-06-01"]


def test_no_year_drops_the_year_on_purpose(servant, margaret) -> None:
    assert ok(servant("edit", "Margaret", "--date", "Shop opening=Jun 1", "--no-year")) == (
        "Updated Margaret O'Brien (#1)\n  Shop opening: 1 June (was 1 June 2015)\n"
    )
    assert ok(servant("date", "Margaret", "birthday", "--no-year")) == (
        "Changed Margaret O'Brien's Birthday: 9 December 1952 → 9 December\n"
    )
    ok(servant("date", "Margaret", "birthday", "1952-12-09"))
    assert ok(servant("date", "Margaret", "birthday", "Dec 9", "--no-year")) == (
        "Changed Margaret O'Brien's Birthday: 9 December 1952 → 9 December\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("date", "Margaret", "birthday", "1952-12-09", "--no-year"),
            "--no-year: the date given has a year; type it without one, e.g. 'Dec 9'",
        ),
        (
            ("edit", "Margaret", "--birthday", "1952-12-09", "--no-year"),
            "--no-year: the date given has a year; type it without one, e.g. 'Dec 9'",
        ),
        (
            ("edit", "Margaret", "--company", "Florist", "--no-year"),
            "--no-year goes with a date typed without its year, e.g. --birthday 'Dec 9' --no-year",
        ),
    ],
)
def test_no_year_with_a_year_or_without_a_date_is_refused(servant, margaret, args, message) -> None:
    result = servant(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")
    shown = json.loads(ok(servant("show", "Margaret", "--json", "--from", "2026-12-01")))
    assert (shown["company"], shown["dates"][0]["date"]) == (None, "1952-12-09")
