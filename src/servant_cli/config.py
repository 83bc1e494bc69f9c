"""Where servant keeps its files, and the settings a user can change.

The database is found in this order: ``--db PATH``, the ``SERVANT_DB`` environment
variable, ``db`` in the config file, then the user data dir
(``~/.local/share/servant/servant.db`` on Linux). The config file is TOML at
``$SERVANT_CONFIG_DIR/config.toml`` or the user config dir
(``~/.config/servant/config.toml``); every key in it is optional.

A relative ``db`` in the config file is relative to the file's folder, not to the
current directory: cron starts servant in another folder than the user's shell does,
and both must find the same database.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from servant_cli.errors import ConfigError

APP_NAME = "servant"

DATE_ORDERS = ("mdy", "dmy")
FEB29_RULES = ("feb28", "mar1")


class Settings(NamedTuple):
    """Every setting with its default; the config file overrides any of them."""

    db: str | None = None
    date_order: str = "mdy"
    feb29: str = "feb28"
    lead_days: int = 7
    days: int = 30


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
    return value


def _check_int(key: str, value: Any, low: int, high: int, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{path}: {key} must be a whole number from {low} to {high}, not {_toml(value)}")
    return value


def _check_keys(data: dict[str, Any], path: Path) -> None:
    """Refuse a key servant does not know: a typo (date_ordr) would otherwise be ignored
    in silence, and dates read in the wrong order."""
    known = list(Settings._fields)
    for key in data:
        if key not in known:
            import difflib  # only for the message: it costs start-up time on every run

            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            what = "table" if isinstance(data[key], dict) else "key"
            raise ConfigError(f"{path}: unknown {what} {key!r}; {hint}known keys: {', '.join(known)}")


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file if there is one; a missing file means all defaults."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path} is not valid TOML: it must be UTF-8 text, and line {line} is not") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc

    _check_keys(data, path)
    values: dict[str, Any] = {}
    if "db" in data:
        if not isinstance(data["db"], str) or not data["db"].strip():
            raise ConfigError(f"{path}: db must be a file path, not {data['db']!r}")
        db = Path(data["db"]).expanduser()
        values["db"] = str(db if db.is_absolute() else path.parent / db)
    if "date_order" in data:
        values["date_order"] = _check_choice("date_order", data["date_order"], DATE_ORDERS, path)
    if "feb29" in data:
        values["feb29"] = _check_choice("feb29", data["feb29"], FEB29_RULES, path)
    if "lead_days" in data:
        values["lead_days"] = _check_int("lead_days", data["lead_days"], 0, 365, path)
    if "days" in data:
        values["days"] = _check_int("days", data["days"], 0, 3660, path)
    return Settings(**values)


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


def db_path(option: str | Path | None, settings: Settings) -> Path:
    """Resolve the database path: --db, then SERVANT_DB, then config, then the data dir."""
    return db_location(option, settings)[0]
