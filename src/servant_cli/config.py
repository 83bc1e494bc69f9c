"""Where servant keeps its files, and the settings a user can change.

The database is found in this order: ``--db PATH``, the ``SERVANT_DB`` environment
variable, ``db`` in the config file, then the user data dir
(``~/.local/share/servant/servant.db`` on Linux). The config file is TOML at
``$SERVANT_CONFIG_DIR/config.toml`` or the user config dir
(``~/.config/servant/config.toml``); every key in it is optional.

``date_order`` (how ``03/04/1985`` is read) follows the locale when the file does not
set it: the first of ``LC_ALL``, ``LC_TIME`` and ``LANG`` that is set names it, and its
territory decides (``locale_date_order``). The name is enough: the locale need not be
installed, and servant's own output stays English whatever it is.

A relative ``db`` in the config file is relative to the file's folder, not to the
current directory: cron starts servant in another folder than the user's shell does,
and both must find the same database.

The ``[smtp]`` table holds the mail server for ``servant digest --mail-to``; the
``SERVANT_SMTP_*`` environment variables override it key by key (``mail.py``). A config
file that holds the SMTP password and that other users can read gets a one-line note on
stderr each time it is loaded.

The ``[dav]`` table holds the CalDAV server for ``servant publish``; ``SERVANT_DAV_*``
override it (``dav.py``). Its password is best given by ``password_command``, a command
whose first line of output is the password (as vdirsyncer and aerc take it); a
``password`` written in the file is refused by ``servant publish`` while other users can
read the file.

The ``[sync]`` table says what ``servant sync`` does besides publishing: ``contacts``,
the folders of vCards (vdirsyncer's) it imports, each given from ``/`` or ``~`` (cron
starts servant in another folder than the shell), and ``prune``, whether those imports
remove who has left a folder (``servant import DIR --prune``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from servant_cli.dates import DATE_ORDERS
from servant_cli.errors import ConfigError
from servant_cli.files import NotAFile, TooLarge, read_regular

APP_NAME = "servant"

FEB29_RULES = ("feb28", "mar1")
#: How the connection to the SMTP server is protected: not at all, upgraded with
#: STARTTLS (port 587), or TLS from the first byte (port 465).
SMTP_SECURITY = ("none", "starttls", "tls")
#: The keys of the [smtp] table, as written in TOML.
SMTP_KEYS = ("host", "port", "user", "password", "from", "security")
#: The keys config.toml may hold.
CONFIG_KEYS = ("db", "date_order", "feb29", "lead_days", "days", "smtp", "dav", "sync")

#: Territories that write the month first (03/14/1985): the United States, the places
#: that follow its usage, and English-speaking Canada (which mixes both; month first is
#: what servant always did there). Any other territory writes the day first, but
#: ``YEAR_FIRST``.
MONTH_FIRST = frozenset({"US", "PR", "GU", "AS", "MP", "VI", "UM", "PH", "FM", "MH", "PW"})
MONTH_FIRST_LOCALES = frozenset({"en_CA"})
#: Territories that write the year first (1985/03/14), and the month before the day
#: without it (03/14): China, Taiwan, Japan, the Koreas, Mongolia, Hungary, Lithuania.
YEAR_FIRST = frozenset({"CN", "TW", "JP", "KR", "KP", "MN", "HU", "LT"})
#: The variables that name the locale of dates, strongest first (POSIX).
LOCALE_VARIABLES = ("LC_ALL", "LC_TIME", "LANG")
#: The keys of the [dav] table.
DAV_KEYS = ("url", "user", "calendar", "password_command", "password", "timeout")
#: The longest wait for a CalDAV server's answer that the config may set, in seconds.
MAX_DAV_TIMEOUT = 600
#: The keys of the [sync] table.
SYNC_KEYS = ("contacts", "prune")


class SmtpConfig(NamedTuple):
    """The [smtp] table as written; what is not set is None (``mail.py`` fills in the
    environment and the defaults)."""

    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = None
    sender: str | None = None  # "from" in TOML, a keyword in Python
    security: str | None = None


class DavConfig(NamedTuple):
    """The [dav] table as written; what is not set is None (``dav.py`` fills in the
    environment and the defaults)."""

    url: str | None = None
    user: str | None = None
    calendar: str | None = None
    #: The command's words: a TOML list as given, or a string split as a shell would
    #: (``shlex.split``); it is run without a shell.
    password_command: tuple[str, ...] | None = None
    password: str | None = None
    #: The file holding ``password`` can be read by other users (then it is not used).
    password_readable: bool = False
    timeout: float | None = None


class SyncConfig(NamedTuple):
    """The [sync] table: the folders of vCards ``servant sync`` imports (``~`` expanded),
    and whether it prunes them."""

    contacts: tuple[Path, ...] = ()
    prune: bool = False


class Settings(NamedTuple):
    """Every setting with its default; the config file overrides any of them."""

    db: str | None = None
    date_order: str = "mdy"
    #: What chose ``date_order``: "date_order in <config file>", "LC_TIME=en_GB.UTF-8"
    #: (the locale), or "" for the default.
    date_order_source: str = ""
    feb29: str = "feb28"
    lead_days: int = 7
    days: int = 30
    smtp: SmtpConfig = SmtpConfig()
    dav: DavConfig = DavConfig()
    sync: SyncConfig = SyncConfig()


def config_dir() -> Path:
    """The folder holding config.toml (``SERVANT_CONFIG_DIR`` overrides it)."""
    override = os.environ.get("SERVANT_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def config_path() -> Path:
    return config_dir() / "config.toml"


def _toml(value: Any) -> str:
    """A value as it is written in TOML (true, "dmy"), for messages about the file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def _check_choice(key: str, value: Any, choices: tuple[str, ...], path: Path) -> str:
    if value not in choices:
        accepted = " or ".join(f'"{c}"' for c in choices)
        raise ConfigError(f"{path}: {key} must be {accepted}, not {_toml(value)}")
    return str(value)


def _check_int(key: str, value: Any, low: int, high: int, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{path}: {key} must be a whole number from {low} to {high}, not {_toml(value)}")
    return value


def _check_keys(data: dict[str, Any], path: Path, known: Sequence[str] = CONFIG_KEYS, table: str = "") -> None:
    """Refuse a key servant does not know: a typo (date_ordr) would otherwise be ignored
    in silence, and dates read in the wrong order."""
    for key in data:
        if key not in known:
            import difflib  # only for the message: it costs start-up time on every run

            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            what = "table" if isinstance(data[key], dict) else "key"
            where = f" in [{table}]" if table else ""
            raise ConfigError(f"{path}: unknown {what} {key!r}{where}; {hint}known keys: {', '.join(known)}")


def _check_text(key: str, value: Any, path: Path, *, spaces: bool = True, secret: bool = False) -> str:
    """A non-empty one-line string (a mail header or an SMTP command cannot take a line
    break). A secret is never repeated in the message: it would end up in cron's mail."""
    if isinstance(value, str) and value.strip() and value.isprintable():
        if spaces or not any(char.isspace() for char in value):
            return value
        rule = "one word without spaces"
    else:
        rule = "one line of text"
    if secret:
        raise ConfigError(f"{path}: {key} must be {rule} in quotes (the value is not shown: it is a secret)")
    shown = _toml(value) if not isinstance(value, str) or value.isprintable() else repr(value)
    raise ConfigError(f"{path}: {key} must be {rule}, not {shown}")


def _check_table(data: Any, path: Path, name: str, keys: Sequence[str]) -> None:
    """A table of the config file ([smtp], [dav], [sync]), holding only keys it knows."""
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: {name} must be a table, [{name}] with keys {', '.join(keys)}; not {_toml(data)}")
    _check_keys(data, path, keys, name)


def _smtp(data: Any, path: Path) -> SmtpConfig:
    """The [smtp] table, each key checked for its type; ``mail.py`` checks the address."""
    _check_table(data, path, "smtp", SMTP_KEYS)
    values: dict[str, Any] = {}
    if "host" in data:
        values["host"] = _check_text("smtp.host", data["host"], path, spaces=False)
    if "port" in data:
        values["port"] = _check_int("smtp.port", data["port"], 1, 65535, path)
    if "user" in data:
        values["user"] = _check_text("smtp.user", data["user"], path)
    if "password" in data:
        values["password"] = _check_text("smtp.password", data["password"], path, secret=True)
    if "from" in data:
        values["sender"] = _check_text("smtp.from", data["from"], path)
    if "security" in data:
        values["security"] = _check_choice("smtp.security", data["security"], SMTP_SECURITY, path)
    return SmtpConfig(**values)


def _dav(data: Any, path: Path) -> DavConfig:
    """The [dav] table, each key checked for its type; ``dav.py`` checks the URL."""
    _check_table(data, path, "dav", DAV_KEYS)
    values: dict[str, Any] = {}
    for key in ("url", "user", "calendar"):
        if key in data:
            values[key] = _check_text(f"dav.{key}", data[key], path, spaces=key != "url")
    if "password_command" in data:
        values["password_command"] = _command("dav.password_command", data["password_command"], path)
    if "password" in data:
        if "password_command" in data:
            raise ConfigError(f"{path}: set dav.password_command or dav.password, not both")
        values["password"] = _check_text("dav.password", data["password"], path, secret=True)
        values["password_readable"] = _readable_by_others(path)
    if "timeout" in data:
        value = data["timeout"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= MAX_DAV_TIMEOUT:
            raise ConfigError(
                f"{path}: dav.timeout must be a number of seconds above 0, at most {MAX_DAV_TIMEOUT}; "
                f"not {_toml(value)}"
            )
        values["timeout"] = float(value)
    return DavConfig(**values)


def _sync(data: Any, path: Path) -> SyncConfig:
    """The [sync] table: each folder a path from / or ~; whether to prune."""
    _check_table(data, path, "sync", SYNC_KEYS)
    values: dict[str, Any] = {}
    if "contacts" in data:
        example = '["~/.contacts/family", "~/.contacts/work"]'
        folders = data["contacts"]
        if not isinstance(folders, list):
            raise ConfigError(f"{path}: sync.contacts must be a list of folders, e.g. {example}; not {_toml(folders)}")
        found = []
        for folder in folders:
            text = _check_text("sync.contacts", folder, path)
            where = Path(text).expanduser()
            if not where.is_absolute():
                raise ConfigError(
                    f"{path}: sync.contacts: {text!r} is a relative path; give each folder from / or ~/ "
                    f"(cron starts servant in another folder), e.g. {example}"
                )
            found.append(where)
        values["contacts"] = tuple(found)
    if "prune" in data:
        if not isinstance(data["prune"], bool):
            raise ConfigError(f"{path}: sync.prune must be true or false, not {_toml(data['prune'])}")
        values["prune"] = data["prune"]
    return SyncConfig(**values)


def _command(key: str, value: Any, path: Path) -> tuple[str, ...]:
    """A command to run without a shell: a list of words, or a string split as a shell would."""
    example = '["pass", "show", "dav/nextcloud"] or "pass show dav/nextcloud"'
    if isinstance(value, str):
        import shlex

        try:
            words = shlex.split(value)
        except ValueError as exc:
            raise ConfigError(f"{path}: {key} cannot be split into words ({exc}); use e.g. {example}") from exc
    elif isinstance(value, list) and all(isinstance(word, str) for word in value):
        words = value
    else:
        raise ConfigError(f"{path}: {key} must be a list of words or a string, e.g. {example}; not {_toml(value)}")
    if not words or not words[0].strip() or any("\x00" in word for word in words):
        raise ConfigError(f"{path}: {key} must name a command, e.g. {example}")
    return tuple(words)


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file if there is one; a missing file means all defaults."""
    path = path or config_path()
    order, source = locale_date_order()
    raw = _read_config(path)
    if raw is None:
        return Settings(date_order=order, date_order_source=source)
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path} is not valid TOML: it must be UTF-8 text, and line {line} is not") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    except RecursionError as exc:  # tables or arrays nested thousands deep
        raise ConfigError(f"{path} is not a config servant reads: it is nested too deep") from exc

    _check_keys(data, path)
    values: dict[str, Any] = {}
    if "db" in data:
        if not isinstance(data["db"], str) or not data["db"].strip():
            raise ConfigError(f"{path}: db must be a file path, not {data['db']!r}")
        db = Path(data["db"]).expanduser()
        values["db"] = str(db if db.is_absolute() else path.parent / db)
    if "date_order" in data:
        values["date_order"] = _check_choice("date_order", data["date_order"], DATE_ORDERS, path)
        values["date_order_source"] = f"date_order in {path}"
    else:
        values["date_order"], values["date_order_source"] = order, source
    if "feb29" in data:
        values["feb29"] = _check_choice("feb29", data["feb29"], FEB29_RULES, path)
    if "lead_days" in data:
        values["lead_days"] = _check_int("lead_days", data["lead_days"], 0, 365, path)
    if "days" in data:
        values["days"] = _check_int("days", data["days"], 0, 3660, path)
    if "smtp" in data:
        values["smtp"] = _smtp(data["smtp"], path)
        if values["smtp"].password is not None:
            _warn_if_readable(path)
    if "dav" in data:
        values["dav"] = _dav(data["dav"], path)
    if "sync" in data:
        values["sync"] = _sync(data["sync"], path)
    return Settings(**values)


#: The largest config file read (servant's own holds a few dozen lines).
MAX_CONFIG = 1024 * 1024


def _read_config(path: Path) -> bytes | None:
    """The config file's bytes; None when there is none. Anything but a regular file is
    refused (``files.read_regular``): every command reads the config, and a named pipe
    with no writer would hang every one of them."""
    try:
        return read_regular(path, MAX_CONFIG)
    except NotAFile as exc:
        raise ConfigError(f"cannot read {path}: it is {exc}; the config must be a regular file of TOML text") from None
    except TooLarge:
        raise ConfigError(
            f"{path} is larger than a config file can be ({MAX_CONFIG // 1024:,} KB); check its path"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc


def locale_date_order(environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The date order the locale's name implies, and the variable that named it.

    ``LC_ALL``, else ``LC_TIME``, else ``LANG`` (the first that is set and not empty),
    as the C library reads them; ``en_GB.UTF-8`` gives ("dmy", "LC_TIME=en_GB.UTF-8").
    Only the name is read, so the locale need not be installed. ``C``, ``POSIX``, a
    name without a territory (``de``) or none at all: the default "mdy", source "".
    """
    environ = os.environ if environ is None else environ
    for variable in LOCALE_VARIABLES:
        name = environ.get(variable, "")
        if name:
            break
    else:
        return "mdy", ""
    language, _, territory = name.split("@")[0].split(".")[0].partition("_")
    territory = territory.upper()
    if not territory or language in ("C", "POSIX"):
        return "mdy", ""
    if territory in YEAR_FIRST:
        order = "ymd"
    elif territory in MONTH_FIRST or f"{language.lower()}_{territory}" in MONTH_FIRST_LOCALES:
        order = "mdy"
    else:
        order = "dmy"
    return order, f"{variable}={name}"


def _readable_by_others(path: Path) -> bool:
    """Whether users other than the owner (its group, anyone) may read ``path``."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & 0o044)


def _warn_if_readable(path: Path) -> None:
    """Say so when a config file holding the SMTP password can be read by other users.

    A warning, not an error: the digest under cron must still go out, and cron mails
    what servant writes on stderr, so the owner hears of it. (The CalDAV password is
    refused instead, by ``servant publish``: it is only needed by a command the user
    can fix and run again, and ``password_command`` keeps it out of the file.)
    """
    if _readable_by_others(path):
        import shlex

        sys.stderr.write(
            f"Note: {path} is readable by others and holds the SMTP password; chmod 600 {shlex.quote(str(path))}"
            " (or keep the password in SERVANT_SMTP_PASSWORD)\n"
        )


def db_location(option: str | Path | None, settings: Settings) -> tuple[Path, str | None]:
    """The database path and what chose it (``--db``, ``SERVANT_DB``, the config file), or
    None for the default place in the user data dir."""
    for source, chosen in (
        ("--db", option),
        ("SERVANT_DB", os.environ.get("SERVANT_DB")),
        (f"db in {config_path()}", settings.db),
    ):
        if source == "--db" and chosen is not None and not str(chosen).strip():
            raise ConfigError("--db is empty; give the database file's path")
        if chosen:
            return Path(chosen).expanduser(), source
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "servant.db", None
