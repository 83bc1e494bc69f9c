"""Where the CalDAV server is, who logs in, and the password, for ``servant publish``.

Settings come from the ``[dav]`` table of the config file; ``SERVANT_DAV_URL``,
``SERVANT_DAV_USER``, ``SERVANT_DAV_PASSWORD``, ``SERVANT_DAV_CALENDAR`` and
``SERVANT_DAV_TIMEOUT`` override it, and the command's ``--url``, ``--user`` and
``--calendar`` override both. The password is never taken from the command line (it
would show in ``ps``): it comes from ``SERVANT_DAV_PASSWORD``, from the output of
``password_command`` (its first line, as vdirsyncer's ``fetch = ["command", …]`` and
aerc's ``source-cred-cmd`` take it), or from ``password`` in a config file only its
owner can read. It is handed to caldav and to nothing else: no message, no database row.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple
from urllib.parse import urlsplit

from servant_cli.config import MAX_DAV_TIMEOUT, DavConfig, config_path
from servant_cli.errors import BadInput, ConfigError

#: Environment variables, by the setting they override.
ENV = {
    "url": "SERVANT_DAV_URL",
    "user": "SERVANT_DAV_USER",
    "password": "SERVANT_DAV_PASSWORD",
    "calendar": "SERVANT_DAV_CALENDAR",
    "timeout": "SERVANT_DAV_TIMEOUT",
}
#: The calendar servant publishes to, and creates, unless told another name.
DEFAULT_CALENDAR = "servant"
#: Seconds to wait for each answer of the server.
TIMEOUT = 30.0
#: Seconds ``password_command`` may take: it may ask for a passphrase (pass, gpg).
PASSWORD_COMMAND_TIMEOUT = 120.0
_LOOPBACK = re.compile(r"localhost|127(\.\d{1,3}){3}|::1|\[::1\]", re.IGNORECASE)


class DavSettings(NamedTuple):
    """Everything needed to reach the calendar, but the password (``password_of``)."""

    url: str
    user: str | None
    calendar: str
    timeout: float
    #: Where the password comes from: "SERVANT_DAV_PASSWORD", "password_command", "password", or None.
    password_from: str | None
    password_command: tuple[str, ...] | None
    #: The password written in the config file (used only when it is the source).
    config_password: str | None


def _config_key(name: str) -> str:
    return f"dav.{name} in {config_path()}"


def check_url(option: str, value: str) -> str:
    """A server URL: http(s), a host, no login in it (the password would be in the clear)."""
    text = value.strip()
    if not text or not text.isprintable() or any(char.isspace() for char in text):
        raise BadInput(f"{option}: {value!r} is not a URL; use the server's address, e.g. https://dav.example.com/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"{option}: {text!r} is not an http:// or https:// URL, e.g. https://dav.example.com/")
    if parts.username is not None or parts.password is not None:
        # Shown without the part before the @: it may be the password.
        raise BadInput(
            f"{option}: the URL holds a login ({parts.scheme}://…@{parts.hostname}/…); give the user with --user "
            "or dav.user, and the password through dav.password_command or SERVANT_DAV_PASSWORD"
        )
    return text


def server_set(config: DavConfig) -> bool:
    """Whether a CalDAV server is set at all (``SERVANT_DAV_URL``, or url in [dav])."""
    return bool(os.environ.get(ENV["url"]) or config.url)


def dav_settings(
    config: DavConfig, *, url: str | None = None, user: str | None = None, calendar: str | None = None
) -> DavSettings:
    """The settings: each command-line option wins over its environment variable, which
    wins over the config file. Nothing is run or sent here (see ``password_of``)."""
    given = {name: os.environ.get(variable) or None for name, variable in ENV.items()}
    for name in ("url", "user", "calendar", "timeout"):
        value = given[name]
        if value is not None and not value.isprintable():
            raise ConfigError(f"{ENV[name]} must be one line of text, not {value!r}")

    if url is not None:
        chosen_url = check_url("--url", url)
    elif given["url"]:
        chosen_url = check_url(ENV["url"], given["url"])
    elif config.url:
        chosen_url = check_url(_config_key("url"), config.url)
    else:
        raise ConfigError(
            f"no CalDAV server is set: give --url, or set url in the [dav] table of {config_path()}, "
            f"or {ENV['url']} (the README lists the URL of common servers)"
        )
    chosen_user = (user if user is not None else given["user"] or config.user) or None
    name = (calendar if calendar is not None else given["calendar"] or config.calendar or DEFAULT_CALENDAR).strip()
    if not name:
        raise BadInput("--calendar: a calendar needs a name (it was empty)")

    timeout = config.timeout or TIMEOUT
    if given["timeout"] is not None:
        try:
            timeout = float(given["timeout"])
        except ValueError:
            timeout = 0.0
        if not 0 < timeout <= MAX_DAV_TIMEOUT:
            raise ConfigError(
                f"{ENV['timeout']}: {given['timeout']!r} is not a number of seconds above 0, at most {MAX_DAV_TIMEOUT}"
            )

    source: str | None = None
    if given["password"]:
        source = ENV["password"]
    elif config.password_command:
        source = "password_command"
    elif config.password is not None:
        if config.password_readable:
            import shlex

            raise ConfigError(
                f"{config_path()} holds the CalDAV password and others can read it, so it was not used: "
                f"chmod 600 {shlex.quote(str(config_path()))}, or give a password_command instead"
            )
        source = "password"
    if chosen_user and source is None:
        raise ConfigError(
            f"a CalDAV user is set ({chosen_user!r}) but no password: set password_command in the [dav] table of "
            f'{config_path()} (e.g. "pass show dav/servant"), or {ENV["password"]}'
        )
    if source is not None and not chosen_user:
        raise ConfigError(
            f"a CalDAV password is set but no user: give --user, or set user in the [dav] table of {config_path()}, "
            f"or {ENV['user']}"
        )
    host = urlsplit(chosen_url).hostname or ""
    if source is not None and urlsplit(chosen_url).scheme == "http" and not _LOOPBACK.fullmatch(host):
        raise ConfigError(
            f"{chosen_url} is plain http: the password would cross the network readable by anyone on the way; "
            "use the server's https:// address (only a server on this machine may go without)"
        )
    return DavSettings(chosen_url, chosen_user, name, timeout, source, config.password_command, config.password)


def password_of(settings: DavSettings) -> str | None:
    """The password, from where ``settings`` says; ``password_command`` is run now."""
    if settings.password_from == ENV["password"]:
        return os.environ.get(ENV["password"]) or None
    if settings.password_from == "password":
        return settings.config_password
    if settings.password_from == "password_command" and settings.password_command:
        return _run_password_command(settings.password_command)
    return None


def _run_password_command(words: tuple[str, ...]) -> str:
    """The first line the command prints on standard output.

    The command is run without a shell, with the terminal and standard error for its
    prompts (pass asks gpg-agent, which may ask for a passphrase), as vdirsyncer and
    aerc run theirs. Its output is never shown: it is the password.
    """
    import subprocess

    # "~/bin/dav-password" as in a shell (and vdirsyncer's fetch): the command only.
    words = (os.path.expanduser(words[0]), *words[1:])
    program = os.path.basename(words[0])
    where = f"dav.password_command ({program}) in {config_path()}"
    try:
        done = subprocess.run(list(words), stdout=subprocess.PIPE, timeout=PASSWORD_COMMAND_TIMEOUT, check=False)
    except FileNotFoundError:
        raise ConfigError(f"{where}: there is no command {words[0]!r}; nothing was sent") from None
    except PermissionError:
        raise ConfigError(f"{where}: {words[0]!r} cannot be run (permission denied); nothing was sent") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"{where} gave no password within {PASSWORD_COMMAND_TIMEOUT:g} s; nothing was sent") from None
    except OSError as exc:
        raise ConfigError(f"{where} cannot be run: {exc.strerror or exc}; nothing was sent") from None
    if done.returncode != 0:
        raise ConfigError(f"{where} failed (exit status {done.returncode}); nothing was sent")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    password = lines[0] if lines else ""
    if not password:
        raise ConfigError(f"{where} printed no password (its first line is empty); nothing was sent")
    return password
