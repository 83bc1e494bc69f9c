"""``servant sync``: the contact folders of [sync] imported, then the calendar of [dav]
published, in one command for cron: what changed is said, nothing at all when nothing
did, and a failure is one line on stderr and a non-zero exit.

The contacts come from an address book on the session's Radicale through the real
vdirsyncer, or from folders the test writes; the calendar is a Radicale calendar, read
back with ``caldav``; requests are counted in the server's own log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from davservers import Account, contacts_config, events, vdirsyncer
from helpers import dump, ok

ADA = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ada-1\r\nFN:Ada Lovelace\r\nBDAY:1815-12-10\r\nEND:VCARD\r\n"
BOB = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bob-2\r\nFN:Bob Stone\r\nBDAY:1970-06-20\r\nEND:VCARD\r\n"
CY = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:cy-3\r\nFN:Cy Young\r\nBDAY:1867-03-29\r\nEND:VCARD\r\n"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def folders(home: Path) -> tuple[Path, Path]:
    """~/.contacts/family (Ada, Bob) and ~/.contacts/work (Cy), as vdirsyncer keeps them."""
    family, work = home / ".contacts" / "family", home / ".contacts" / "work"
    for folder, cards in ((family, {"ada-1.vcf": ADA, "bob-2.vcf": BOB}), (work, {"cy-3.vcf": CY})):
        folder.mkdir(parents=True)
        for name, text in cards.items():
            (folder / name).write_text(text, encoding="utf-8", newline="")
    return family, work


@pytest.fixture
def account(radicale, monkeypatch: pytest.MonkeyPatch) -> Account:
    """A calendar of this test's own on Radicale, set for servant in SERVANT_DAV_*."""
    found: Account = radicale.account()
    for name, value in found.env().items():
        monkeypatch.setenv(name, value)
    return found


@pytest.fixture
def configured(write_config, db_path: Path, database_from) -> Callable[..., Path]:
    """config.toml with a [sync] table of these lines, and a database with one person, whose
    calendar settings an export has recorded already (the first export or publish of a
    database records them, a dry run too)."""

    def write(*lines: str) -> Path:
        database_from(("add", "Zoe Quinn", "--birthday", "1990-01-02"), ("export", "ics"))
        return write_config("[sync]\n" + "".join(f"{line}\n" for line in lines))

    return write


def sync(servant, *args: str, stderr: str = "") -> str:
    return ok(servant("sync", *args), stderr)


def published_to(account: Account, counts: str, *, new: bool = False) -> str:
    (calendar,) = account.calendars()
    made = "the new calendar " if new else ""
    return f"Published to {made}{account.calendar!r} ({calendar.url}): {counts}\n"


def summaries(account: Account) -> list[str]:
    return sorted(str(event["SUMMARY"]) for _, event in events(account.objects()))


# -- contacts in, calendar out -----------------------------------------------------------------


def test_a_contact_on_the_server_reaches_the_calendar_and_a_second_sync_says_nothing(
    servant, radicale, account, configured, tmp_path, home
) -> None:
    """The cron line: vdirsyncer brings the address book into a folder, servant sync
    imports it and publishes every date; then nothing changed, nothing said."""
    book = account.make_addressbook("family")
    account.put_card(f"{book}ada-1.vcf", ADA)
    account.put_card(f"{book}bob-2.vcf", BOB)
    contacts = home / ".contacts"
    config = contacts_config(tmp_path, contacts, account)
    vdirsyncer(tmp_path, config, "discover", answers="y\n")
    vdirsyncer(tmp_path, config, "sync")
    configured('contacts = ["~/.contacts/family"]')

    said = sync(servant)
    assert said == (
        "Imported ~/.contacts/family (vCard folder): 2 added, 0 updated, 0 unchanged, 0 skipped\n"
        "  added Ada Lovelace (#2)\n"
        "  added Bob Stone (#3)\n"
    ) + published_to(account, "3 added, 0 changed, 0 removed, 0 unchanged", new=True)
    assert summaries(account) == ["Ada Lovelace — Birthday", "Bob Stone — Birthday", "Zoe Quinn — Birthday"]

    mark = radicale.mark()
    assert sync(servant) == ""
    assert radicale.writes(mark) == []

    account.put_card(f"{book}ada-1.vcf", ADA.replace("FN:Ada Lovelace", "FN:Ada King"))
    vdirsyncer(tmp_path, config, "sync")
    assert sync(servant) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 1 updated, 1 unchanged, 0 skipped\n"
        "  changed name for Ada King: Ada King (was Ada Lovelace)\n"
    ) + published_to(account, "0 added, 1 changed, 0 removed, 2 unchanged")
    assert summaries(account) == ["Ada King — Birthday", "Bob Stone — Birthday", "Zoe Quinn — Birthday"]


def test_each_folder_is_its_own_import_and_only_those_that_changed_are_named(
    servant, account, configured, folders
) -> None:
    _, work = folders
    configured('contacts = ["~/.contacts/family", "~/.contacts/work"]')
    ok(servant("sync"))
    (work / "dee-4.vcf").write_text(CY.replace("cy-3", "dee-4").replace("Cy Young", "Dee Dee"), encoding="utf-8")
    assert sync(servant) == (
        "Imported ~/.contacts/work (vCard folder): 1 added, 0 updated, 1 unchanged, 0 skipped\n  added Dee Dee (#5)\n"
    ) + published_to(account, "1 added, 0 changed, 0 removed, 4 unchanged")
    people = json.loads(ok(servant("list", "--json")))
    assert [person["name"] for person in people] == ["Ada Lovelace", "Bob Stone", "Cy Young", "Dee Dee", "Zoe Quinn"]


def test_without_a_server_sync_only_imports_and_says_so(servant, configured, folders, write_config) -> None:
    path = configured('contacts = ["~/.contacts/family"]')
    assert sync(servant) == (
        "Imported ~/.contacts/family (vCard folder): 2 added, 0 updated, 0 unchanged, 0 skipped\n"
        "  added Ada Lovelace (#2)\n"
        "  added Bob Stone (#3)\n"
        f"Nothing was published: no CalDAV server is set (url in the [dav] table of {path})\n"
    )
    assert sync(servant) == ""


def test_without_contacts_sync_only_publishes(servant, account, write_config, database_from) -> None:
    database_from(("add", "Zoe Quinn", "--birthday", "1990-01-02"))
    assert sync(servant) == published_to(account, "1 added, 0 changed, 0 removed, 0 unchanged", new=True)
    assert sync(servant) == ""
    ok(servant("date", "Zoe", "birthday", "--lead", "3"))
    assert sync(servant) == published_to(account, "0 added, 1 changed, 0 removed, 0 unchanged")


def test_who_left_a_folder_is_said_at_each_sync_and_removed_with_prune(
    servant, account, configured, folders, write_config
) -> None:
    family, _ = folders
    configured('contacts = ["~/.contacts/family"]')
    ok(servant("sync"))
    (family / "bob-2.vcf").unlink()
    left = (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
        "1 contact no longer in ~/.contacts/family; with --prune servant would:\n"
        "  remove Bob Stone (#3)\n"
    )
    assert sync(servant) == left
    assert sync(servant) == left, "said again until settled"
    assert "Bob Stone — Birthday" in summaries(account)

    write_config('[sync]\ncontacts = ["~/.contacts/family"]\nprune = true\n')
    assert sync(servant) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
        "1 contact no longer in ~/.contacts/family: 1 removed, 0 kept\n"
        "  removed Bob Stone (#3)\n"
    ) + published_to(account, "0 added, 0 changed, 1 removed, 2 unchanged")
    assert summaries(account) == ["Ada Lovelace — Birthday", "Zoe Quinn — Birthday"]
    assert sync(servant) == ""


def test_a_card_that_cannot_be_read_is_named_on_stderr_and_the_rest_syncs(servant, configured, folders) -> None:
    family, _ = folders
    (family / "bad.vcf").write_text(BOB.replace("bob-2", "bad-9").replace("1970-06-20", "1970-13-45"))
    configured('contacts = ["~/.contacts/family"]')
    result = servant("sync")
    assert result.exit_code == 0
    assert result.stderr == "Note: skipped Bob Stone: BDAY '1970-13-45' is not a date: there is no month 13 (bad.vcf)\n"
    assert result.stdout.startswith(
        "Imported ~/.contacts/family (vCard folder): 2 added, 0 updated, 0 unchanged, 1 skipped\n"
    )


def test_dry_run_says_what_would_change_and_writes_nothing(
    servant, radicale, account, configured, folders, db_path
) -> None:
    configured('contacts = ["~/.contacts/family"]')
    before = dump(db_path)
    mark = radicale.mark()
    assert sync(servant, "--dry-run") == (
        "Dry run, nothing was written. ~/.contacts/family (vCard folder) would give: "
        "2 added, 0 updated, 0 unchanged, 0 skipped\n"
        "  would add Ada Lovelace\n"
        "  would add Bob Stone\n"
        "  add     Zoe Quinn — Birthday\n"
        f"Dry run, nothing was sent. The calendar 'servant' would be made on {account.url}: "
        "1 added, 0 changed, 0 removed, 0 unchanged\n"
    )
    assert dump(db_path) == before
    assert radicale.writes(mark) == []
    assert account.calendars() == []


# -- failures: one line, a non-zero exit -----------------------------------------------------------


def test_nothing_to_sync_is_an_error_naming_the_settings(servant, db_path, tmp_path) -> None:
    result = servant("sync")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: nothing to sync: set contacts in the [sync] table of {tmp_path / 'config' / 'config.toml'} "
        "(folders of .vcf files to import), url in its [dav] table (the CalDAV server to publish to), or both\n"
    )
    assert not db_path.exists()


def test_a_missing_folder_stops_the_sync_before_anything_is_done(
    servant, radicale, account, configured, folders, db_path
) -> None:
    path = configured('contacts = ["~/.contacts/family", "~/.contacts/friends"]')
    before = dump(db_path)
    mark = radicale.mark()
    result = servant("sync")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: ~/.contacts/friends does not exist (contacts in the [sync] table of {path}); check the path, "
        "or run 'vdirsyncer sync' first; nothing was imported or published\n"
    )
    assert dump(db_path) == before
    assert radicale.requests(mark) == []


def test_a_folder_that_fails_after_another_was_imported_says_so_and_nothing_is_published(
    servant, account, configured, folders, db_path
) -> None:
    _, work = folders
    (work / "cy-3.vcf").unlink()
    configured('contacts = ["~/.contacts/family", "~/.contacts/work"]')
    result = servant("sync")
    assert result.exit_code == 1
    assert result.stdout == (
        "Imported ~/.contacts/family (vCard folder): 2 added, 0 updated, 0 unchanged, 0 skipped\n"
        "  added Ada Lovelace (#2)\n"
        "  added Bob Stone (#3)\n"
    )
    assert result.stderr == (
        "Error: ~/.contacts/work holds no .vcf files; give a folder of .vcf files (one contact a file) or an "
        "exported file; ~/.contacts/family imported before that; nothing was published\n"
    )
    assert account.calendars() == []


def test_a_server_that_refuses_the_login_is_one_line_after_the_imports(
    servant, account, configured, folders, monkeypatch
) -> None:
    monkeypatch.setenv("SERVANT_DAV_PASSWORD", "wrong-Pa55word")
    configured('contacts = ["~/.contacts/work"]')
    result = servant("sync")
    assert result.exit_code == 1
    assert result.stdout == (
        "Imported ~/.contacts/work (vCard folder): 1 added, 0 updated, 0 unchanged, 0 skipped\n  added Cy Young (#2)\n"
    )
    assert result.stderr == (
        f"Error: the CalDAV server 127.0.0.1:{account.server.port} refused the login of {account.user!r} "
        "(401 Unauthorized); check the user and password (some servers, iCloud among them, want an "
        "app-specific password); ~/.contacts/work imported before that\n"
    )
    assert "wrong-Pa55word" not in result.stdout + result.stderr
