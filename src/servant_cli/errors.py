"""Errors servant reports to the user.

Every error a user can cause is a ``ServantError``: the CLI prints ``Error: <message>``
on stderr and exits with ``exit_code``. Nothing here imports Typer, so the core stays
usable as a library.
"""

from __future__ import annotations


class ServantError(Exception):
    """An error with a message meant for the user, and the exit code to use."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadInput(ServantError):
    """A value given on the command line cannot be used (exit 2, like a usage error)."""

    exit_code = 2


class DateError(BadInput):
    """A date that cannot be parsed or does not exist."""


class NotFound(ServantError):
    """No person (or occasion) matches what was asked for."""


class Ambiguous(ServantError):
    """A name matches more than one person."""


class DatabaseError(ServantError):
    """The database file cannot be opened, is not servant's, or is too new."""


class ConfigError(ServantError):
    """The config file cannot be read or holds a bad value."""


class BadFile(ServantError):
    """A file to import cannot be read as the format it is taken for."""
