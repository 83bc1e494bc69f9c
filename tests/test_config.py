"""Settings from config.toml, and where the database is found."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from servant_cli.config import Settings, SyncConfig, config_path, db_location, load_settings
from servant_cli.errors import ConfigError

WriteConfig = Callable[[str], Path]


def test_no_config_file_means_every_default() -> None:
    settings = load_settings()
    assert settings == Settings()
    assert (settings.db, settings.date_order, settings.feb29, settings.lead_days, settings.days) == (
        None,
        "mdy",
        "feb28",
        7,
        30,
    )


def test_empty_config_file_means_every_default(write_config: WriteConfig) -> None:
    write_config("# nothing set yet\n")
    assert load_settings() == Settings()


def test_config_file_is_in_servant_config_dir(tmp_path: Path) -> None:
    assert config_path() == tmp_path / "config" / "config.toml"


def test_config_file_defaults_to_the_user_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SERVANT_CONFIG_DIR")
    assert config_path() == tmp_path / "home" / ".config" / "servant" / "config.toml"


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ('db = "/srv/servant/people.db"', "db", "/srv/servant/people.db"),
        ('date_order = "dmy"', "date_order", "dmy"),
        ('date_order = "mdy"', "date_order", "mdy"),
        ('feb29 = "mar1"', "feb29", "mar1"),
        ('feb29 = "feb28"', "feb29", "feb28"),
        ("lead_days = 0", "lead_days", 0),
        ("lead_days = 365", "lead_days", 365),
        ("days = 0", "days", 0),
        ("days = 90", "days", 90),
        ("days = 3660", "days", 3660),
    ],
)
def test_each_key_is_read_from_the_config_file(write_config: WriteConfig, text: str, key: str, value: object) -> None:
    write_config(text + "\n")
    settings = load_settings()
    assert getattr(settings, key) == value
    # ...and only that key changes.
    others = {name: getattr(settings, name) for name in ("db", "date_order", "feb29", "lead_days", "days")}
    defaults = {name: getattr(Settings(), name) for name in others}
    assert {name for name in others if others[name] != defaults[name]} <= {key}


def test_readme_example_config_is_read_whole(
    write_config: WriteConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(
        'db = "~/Documents/servant.db"   # where the database lives\n'
        'date_order = "dmy"              # 14/03/1985; default "mdy"\n'
        'feb29 = "mar1"                  # default "feb28"\n'
        "days = 30                       # default window of servant upcoming\n"
    )
    settings = load_settings()
    assert (settings.date_order, settings.feb29, settings.days, settings.lead_days) == ("dmy", "mar1", 30, 7)
    assert db_location(None, settings)[0] == tmp_path / "servant.db"  # SERVANT_DB still wins
    monkeypatch.delenv("SERVANT_DB")
    assert db_location(None, settings)[0] == tmp_path / "home" / "Documents" / "servant.db"


def test_load_settings_reads_the_file_it_is_given(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text("days = 14\n", encoding="utf-8")
    assert load_settings(other).days == 14


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('date_order = "ydm"', ['date_order must be "mdy" or "dmy" or "ymd"', 'not "ydm"']),
        ('date_order = "DMY"', ['date_order must be "mdy" or "dmy" or "ymd"', 'not "DMY"']),
        ('date_order = ["dmy"]', ['date_order must be "mdy" or "dmy" or "ymd"']),
        ('feb29 = "mar2"', ['feb29 must be "feb28" or "mar1"', 'not "mar2"']),
        ("feb29 = 28", ['feb29 must be "feb28" or "mar1"', "28"]),
        ("days = -1", ["days must be a whole number from 0 to 3660", "-1"]),
        ("days = 3661", ["days must be a whole number from 0 to 3660", "3661"]),
        ("days = true", ["days must be a whole number from 0 to 3660", "not true"]),
        ('days = "30"', ["days must be a whole number from 0 to 3660", 'not "30"']),
        ("days = 7.5", ["days must be a whole number from 0 to 3660", "7.5"]),
        ("lead_days = -3", ["lead_days must be a whole number from 0 to 365", "-3"]),
        ("lead_days = 366", ["lead_days must be a whole number from 0 to 365", "366"]),
        ("lead_days = false", ["lead_days must be a whole number from 0 to 365", "not false"]),
        ('db = ""', ["db must be a file path", "''"]),
        ('db = "  "', ["db must be a file path"]),
        ("db = 5", ["db must be a file path", "5"]),
    ],
)
def test_bad_value_names_the_file_the_key_and_what_is_accepted(
    write_config: WriteConfig, text: str, expected: list[str]
) -> None:
    path = write_config(text + "\n")
    with pytest.raises(ConfigError) as refused:
        load_settings()
    message = str(refused.value)
    assert message.startswith(f"{path}: ")
    for part in expected:
        assert part in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("days = ", "Invalid value"),
        ('days = 3\ndate_order = "dmy\n', "line 2"),
        ("days = 3\ndays = 4\n", "line 2"),
        ("[days\n", "line 1"),
    ],
)
def test_invalid_toml_is_refused_with_the_file_and_the_line(
    write_config: WriteConfig, text: str, expected: str
) -> None:
    path = write_config(text)
    with pytest.raises(ConfigError) as refused:
        load_settings()
    assert str(refused.value).startswith(f"{path} is not valid TOML")
    assert expected in str(refused.value)


def test_config_file_that_is_not_utf8_is_refused(write_config: WriteConfig) -> None:
    path = write_config("")
    path.write_bytes(b'date_order = "dmy"\n# Caf\xe9 clients\n')  # Latin-1, as an old editor saves it
    with pytest.raises(ConfigError) as refused:
        load_settings()
    message = str(refused.value)
    assert message.startswith(f"{path} is not valid TOML")
    assert "UTF-8" in message
    assert "line 2" in message


def test_config_path_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config" / "config.toml").mkdir(parents=True)
    with pytest.raises(ConfigError, match=r"cannot read .*config\.toml"):
        load_settings()


# -- where the database is --------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "env", "config_db", "expected"),
    [
        ("option.db", "env.db", "config.db", "option.db"),
        (None, "env.db", "config.db", "env.db"),
        (None, "", "config.db", "config.db"),  # SERVANT_DB= in a crontab means unset
        (None, None, "config.db", "config.db"),
        (None, None, None, "home/.local/share/servant/servant.db"),
        ("option.db", None, None, "option.db"),
    ],
)
def test_db_path_is_option_then_env_then_config_then_data_dir(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    option: str | None,
    env: str | None,
    config_db: str | None,
    expected: str,
) -> None:
    if env is None:
        monkeypatch.delenv("SERVANT_DB")
    else:
        monkeypatch.setenv("SERVANT_DB", env and str(tmp_path / env))
    settings = Settings(db=config_db and str(tmp_path / config_db))
    assert db_location(option and str(tmp_path / option), settings)[0] == tmp_path / expected


def test_default_db_is_in_the_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SERVANT_DB")
    path = db_location(None, load_settings())[0]
    assert path.parts[-2:] == ("servant", "servant.db")
    assert path.is_relative_to(tmp_path / "home")


def test_db_path_accepts_a_path_object(tmp_path: Path) -> None:
    assert db_location(tmp_path / "given.db", Settings())[0] == tmp_path / "given.db"


@pytest.mark.parametrize("source", ["option", "env", "config"])
def test_tilde_in_db_path_is_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_config: WriteConfig, source: str
) -> None:
    monkeypatch.delenv("SERVANT_DB")
    if source == "env":
        monkeypatch.setenv("SERVANT_DB", "~/people.db")
    if source == "config":
        write_config('db = "~/people.db"\n')
    option = "~/people.db" if source == "option" else None
    assert db_location(option, load_settings())[0] == tmp_path / "home" / "people.db"


def test_relative_db_in_config_is_next_to_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_config: WriteConfig
) -> None:
    # cron runs servant from another folder than the shell does; both must find one database.
    monkeypatch.delenv("SERVANT_DB")
    config = write_config('db = "data/servant.db"\n')
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert db_location(None, load_settings())[0] == config.parent / "data" / "servant.db"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('date_ordr = "dmy"', "unknown key 'date_ordr'; did you mean date_order? known keys: db, date_order, feb29"),
        ("colour = true", "unknown key 'colour'; known keys: db, date_order, feb29, lead_days, days"),
        ('[general]\ndate_order = "dmy"', "unknown table 'general'; known keys: db, date_order"),
    ],
)
def test_unknown_key_is_refused_so_a_typo_cannot_change_how_dates_are_read(write_config, text, message) -> None:
    path = write_config(text)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith(f"{path}: {message}")


def test_db_location_says_what_chose_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_config
) -> None:
    assert db_location(str(tmp_path / "a.db"), Settings()) == (tmp_path / "a.db", "--db")
    assert db_location(None, Settings()) == (tmp_path / "servant.db", "SERVANT_DB")
    monkeypatch.setenv("SERVANT_DB", "")  # set but empty counts as not set, as in a shell
    config = write_config('db = "c.db"')
    assert db_location(None, load_settings()) == (config.parent / "c.db", f"db in {config}")
    monkeypatch.delenv("SERVANT_DB")
    path, source = db_location(None, Settings())
    assert (path.name, source) == ("servant.db", None)
    with pytest.raises(ConfigError, match="--db is empty; give the database file's path"):
        db_location(" ", Settings())


def test_date_order_follows_the_locale_and_says_what_chose_it(
    write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_TIME", "de_AT.UTF-8")
    settings = load_settings()
    assert (settings.date_order, settings.date_order_source) == ("dmy", "LC_TIME=de_AT.UTF-8")
    path = write_config('date_order = "ymd"\n')
    settings = load_settings()
    assert (settings.date_order, settings.date_order_source) == ("ymd", f"date_order in {path}")
    monkeypatch.setenv("LC_ALL", "C")
    path.unlink()
    assert load_settings() == Settings()


# -- [sync] ----------------------------------------------------------------------------------


def test_the_sync_table_is_read_whole_with_each_folder_under_home(write_config: WriteConfig, tmp_path: Path) -> None:
    write_config('[sync]\ncontacts = ["~/.contacts/family", "/srv/contacts/work"]\nprune = true\n')
    assert load_settings().sync == SyncConfig(
        contacts=(tmp_path / "home" / ".contacts" / "family", Path("/srv/contacts/work")), prune=True
    )
    write_config("[sync]\n")
    assert load_settings().sync == SyncConfig() == SyncConfig(contacts=(), prune=False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[sync]\ncontact = ["~/c"]',
            "unknown key 'contact' in [sync]; did you mean contacts? known keys: contacts, prune",
        ),
        (
            '[sync]\ncontacts = "~/.contacts/family"',
            'sync.contacts must be a list of folders, e.g. ["~/.contacts/family", "~/.contacts/work"]; '
            'not "~/.contacts/family"',
        ),
        ("[sync]\ncontacts = [3]", "sync.contacts must be one line of text, not 3"),
        ('[sync]\ncontacts = [""]', 'sync.contacts must be one line of text, not ""'),
        (
            '[sync]\ncontacts = ["contacts/family"]',
            "sync.contacts: 'contacts/family' is a relative path; give each folder from / or ~/ "
            '(cron starts servant in another folder), e.g. ["~/.contacts/family", "~/.contacts/work"]',
        ),
        ('[sync]\nprune = "yes"', 'sync.prune must be true or false, not "yes"'),
        ('sync = "daily"', 'sync must be a table, [sync] with keys contacts, prune; not "daily"'),
    ],
)
def test_a_bad_sync_table_is_refused_with_what_it_takes(write_config: WriteConfig, text: str, message: str) -> None:
    path = write_config(text + "\n")
    with pytest.raises(ConfigError) as refused:
        load_settings()
    assert str(refused.value) == f"{path}: {message}"
