"""The CalDAV settings of ``servant publish``: the [dav] table, SERVANT_DAV_*, the options,
and where the password comes from (never the command line)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from servant_cli.config import DavConfig, load_settings
from servant_cli.dav.settings import dav_settings, password_of
from servant_cli.errors import BadInput, ConfigError

WriteConfig = Callable[[str], Path]


def test_the_dav_table_is_read_whole(write_config: WriteConfig) -> None:
    path = write_config(
        '[dav]\nurl = "https://cloud.example.com/remote.php/dav/"\nuser = "ada"\ncalendar = "Occasions"\n'
        'password_command = ["pass", "show", "dav/nextcloud"]\ntimeout = 12.5\n'
    )
    os.chmod(path, 0o600)
    assert load_settings().dav == DavConfig(
        url="https://cloud.example.com/remote.php/dav/",
        user="ada",
        calendar="Occasions",
        password_command=("pass", "show", "dav/nextcloud"),
        timeout=12.5,
    )


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('"pass show dav/nextcloud"', ("pass", "show", "dav/nextcloud")),
        ("\"secret-tool lookup service 'my dav'\"", ("secret-tool", "lookup", "service", "my dav")),
        ('["op", "read", "op://Private/dav/password"]', ("op", "read", "op://Private/dav/password")),
    ],
)
def test_password_command_is_a_list_or_a_string_split_as_a_shell_would(
    write_config: WriteConfig, value: str, words: tuple[str, ...]
) -> None:
    write_config(f"[dav]\npassword_command = {value}\n")
    assert load_settings().dav.password_command == words


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[dav]\npasword_command = "pass"', "unknown key 'pasword_command' in [dav]; did you mean password_command?"),
        ('[dav]\npassword_command = "pass \'dav"', "dav.password_command cannot be split into words"),
        ("[dav]\npassword_command = []", "dav.password_command must name a command"),
        ("[dav]\npassword_command = 42", "dav.password_command must be a list of words or a string"),
        ('[dav]\npassword_command = "pass"\npassword = "x"', "set dav.password_command or dav.password, not both"),
        ("[dav]\ntimeout = 0", "dav.timeout must be a number of seconds above 0, at most 600; not 0"),
        ('[dav]\ntimeout = "10"', 'dav.timeout must be a number of seconds above 0, at most 600; not "10"'),
        ('[dav]\nuser = ""', 'dav.user must be one line of text, not ""'),
        ('dav = "https://x/"', "dav must be a table, [dav] with keys url, user, calendar"),
    ],
)
def test_a_bad_dav_table_is_refused_with_the_file_and_the_key(
    write_config: WriteConfig, text: str, message: str
) -> None:
    path = write_config(text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith(f"{path}: {message}")


def test_a_bad_password_in_the_file_is_refused_without_repeating_it(write_config: WriteConfig) -> None:
    write_config('[dav]\npassword = "s3cret\\nbreak"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "s3cret" not in str(caught.value) and "(the value is not shown: it is a secret)" in str(caught.value)


def test_a_password_in_a_file_others_can_read_is_marked_so(write_config: WriteConfig) -> None:
    path = write_config('[dav]\npassword = "s3cret"\n')
    os.chmod(path, 0o640)
    assert load_settings().dav.password_readable
    os.chmod(path, 0o600)
    assert not load_settings().dav.password_readable


def test_options_win_over_the_environment_which_wins_over_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    config = DavConfig(url="https://file.example.com/", user="file", calendar="From file", password="pw")
    chosen = dav_settings(config)
    assert (chosen.url, chosen.user, chosen.calendar, chosen.password_from) == (
        "https://file.example.com/",
        "file",
        "From file",
        "password",
    )
    monkeypatch.setenv("SERVANT_DAV_URL", "https://env.example.com/")
    monkeypatch.setenv("SERVANT_DAV_USER", "env")
    monkeypatch.setenv("SERVANT_DAV_CALENDAR", "From env")
    monkeypatch.setenv("SERVANT_DAV_PASSWORD", "env-pw")
    chosen = dav_settings(config)
    assert (chosen.url, chosen.user, chosen.calendar) == ("https://env.example.com/", "env", "From env")
    assert password_of(chosen) == "env-pw"
    chosen = dav_settings(config, url="https://option.example.com/", user="option", calendar="From option")
    assert (chosen.url, chosen.user, chosen.calendar) == ("https://option.example.com/", "option", "From option")


def test_the_calendar_is_servant_and_the_timeout_30_s_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = dav_settings(DavConfig(url="http://127.0.0.1:5232/"))
    assert (chosen.calendar, chosen.timeout, chosen.user, chosen.password_from) == ("servant", 30.0, None, None)
    assert password_of(chosen) is None
    monkeypatch.setenv("SERVANT_DAV_TIMEOUT", "0.5")
    assert dav_settings(DavConfig(url="http://127.0.0.1:5232/", timeout=10)).timeout == 0.5
    monkeypatch.setenv("SERVANT_DAV_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="SERVANT_DAV_TIMEOUT: 'soon' is not a number of seconds"):
        dav_settings(DavConfig(url="http://127.0.0.1:5232/"))


def test_a_password_command_gives_its_first_line(tmp_path: Path) -> None:
    script = tmp_path / "pw.py"
    script.write_text("print('  spaces kept  ')\nprint('not this')\n", encoding="utf-8")
    chosen = dav_settings(
        DavConfig(url="https://dav.example.com/", user="ada", password_command=(sys.executable, str(script)))
    )
    assert chosen.password_from == "password_command"
    assert password_of(chosen) == "  spaces kept  "


def test_a_password_command_in_the_home_folder_may_be_written_with_a_tilde(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    script = tmp_path / "dav-password"
    script.write_text(f"#!{sys.executable}\nprint('from home')\n", encoding="utf-8")
    script.chmod(0o700)
    chosen = dav_settings(DavConfig(url="https://dav.example.com/", user="ada", password_command=("~/dav-password",)))
    assert password_of(chosen) == "from home"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (DavConfig(), "no CalDAV server is set: give --url, or set url in the [dav] table of "),
        (DavConfig(url="https://dav.example.com/", user="ada"), "a CalDAV user is set ('ada') but no password: "),
        (DavConfig(url="https://dav.example.com/", password="pw"), "a CalDAV password is set but no user: "),
        (
            DavConfig(url="https://dav.example.com/", user="ada", password="pw", password_readable=True),
            "holds the CalDAV password and others can read it, so it was not used: chmod 600 ",
        ),
    ],
)
def test_settings_that_cannot_work_are_refused_before_anything_is_sent(config: DavConfig, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        dav_settings(config)
    assert message in str(caught.value)
    assert "pw" not in str(caught.value).replace("password", "")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("dav.example.com", "--url: 'dav.example.com' is not an http:// or https:// URL"),
        ("ftp://dav.example.com/", "--url: 'ftp://dav.example.com/' is not an http:// or https:// URL"),
        ("https://", "--url: 'https://' is not an http:// or https:// URL"),
        ("https://dav.example.com/a b", "--url: 'https://dav.example.com/a b' is not a URL"),
        ("", "--url: '' is not a URL"),
    ],
)
def test_a_url_that_is_not_one_is_bad_input(url: str, message: str) -> None:
    with pytest.raises(BadInput) as caught:
        dav_settings(DavConfig(), url=url)
    assert str(caught.value).startswith(message)
