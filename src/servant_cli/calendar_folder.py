"""servant's calendar as a folder of .ics files, one event a file (``servant export ics
--vdir``): the "vdir" that vdirsyncer keeps in step with a CalDAV server and khal reads.

Each occasion's file holds the calendar object ``servant publish`` puts on a server,
byte for byte, and is named by its UID: ``occasion-12@3f9c….servant.ics``. Letters,
digits and ``_.-+@`` are kept, as khal names its own files; any other character is
written as ``%XX`` (each byte of its UTF-8), as is a leading dot, so that no UID can name
a file elsewhere (``/``) or a hidden one, and two UIDs never share a name. (vdirsyncer
gives an item whose UID it finds unsafe, ``@`` included, a random name; a name made from
the UID stays the same from one run to the next, which is how a run finds its files.)

A run writes only what changed: a file whose bytes are already right is left alone (its
mtime too, so vdirsyncer and khal see nothing new); a new or changed one is written to a
temporary name in the folder and renamed over (``files.write_atomically``); the file of
a date that is gone is deleted. Only this database's files are written or deleted: the
name carries the database id. Any other file in the folder is never touched, and a
folder holding another servant database's files is refused, since two databases there
would put each date in the calendar twice.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote

from servant_cli.errors import ServantError
from servant_cli.files import read_bytes, write_atomically
from servant_cli.text import plural

if TYPE_CHECKING:
    from servant_cli.ical import CalendarObject

#: The characters a UID keeps in a file name: khal's own rule (vdirsyncer's, and ``@``).
_SAFE = frozenset(string.ascii_letters + string.digits + "_.-+@")
#: The name of a file servant wrote: the UID (with the database id, encoded) and .ics.
_SERVANT_FILE = re.compile(r"(?:occasion|season)-[0-9]+@(.+)\.servant\.ics")


class FolderReport(NamedTuple):
    """What ``servant export ics --vdir`` did to the folder."""

    folder: Path
    #: The folder was made by this run.
    created: bool
    added: int
    changed: int
    removed: int
    unchanged: int


def file_name(uid: str) -> str:
    """The name of the file that holds the event of this UID."""
    kept = []
    for at, char in enumerate(uid):
        if char in _SAFE and not (at == 0 and char == "."):
            kept.append(char)
        else:
            kept.extend(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
    return "".join(kept) + ".ics"


def write_folder(folder: Path, objects: Sequence[CalendarObject], db_id: str) -> FolderReport:
    """Make ``folder`` hold exactly these events among this database's files (made if
    missing, 0700), and say what changed."""
    created = _make(folder)
    mine, others = _servant_files(folder, db_id)
    if others:
        raise ServantError(_held_by_others(folder, others))
    wanted = {file_name(item.uid): item.text.encode("utf-8") for item in objects}
    run = _Run(folder)
    try:
        for name, data in wanted.items():
            run.write(name, data, name in mine)
        for name in sorted(mine - wanted.keys()):
            run.remove(name)
    except ServantError as exc:
        done = run.added + run.changed + run.removed
        if done:
            raise ServantError(
                f"{exc.message}; {plural(done, 'file')} of the folder had been written or removed before that, "
                "and the same command again finishes the job"
            ) from exc
        raise
    return FolderReport(folder, created, run.added, run.changed, run.removed, run.unchanged)


class _Run:
    """The writes of one run, counted."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.added = self.changed = self.removed = self.unchanged = 0

    def write(self, name: str, data: bytes, there: bool) -> None:
        path = self.folder / name
        if there:
            try:
                same = read_bytes(str(path)) == data
            except OSError as exc:
                raise ServantError(f"cannot read {path}: {exc.strerror or exc}") from exc
            if same:
                self.unchanged += 1
                return
        elif os.path.lexists(path):
            # Named like servant's file, but a folder, a pipe or a broken link: not written into.
            raise ServantError(
                f"{path} is in the way: it is not a file servant wrote (a folder or a special file), "
                "and it was left as it is"
            )
        write_atomically(path, data)
        if there:
            self.changed += 1
        else:
            self.added += 1

    def remove(self, name: str) -> None:
        path = self.folder / name
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise ServantError(f"cannot remove {path}: {exc.strerror or exc}") from exc
        self.removed += 1


def _make(folder: Path) -> bool:
    """Make the folder if it is not there (private: the events hold names and notes);
    whether it was made."""
    if folder.is_dir():
        return False
    try:
        folder.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        if folder.is_dir():  # made at the same moment by another run
            return False
        raise ServantError(f"{folder} is not a folder; give a folder for the calendar's files") from None
    except OSError as exc:
        raise ServantError(f"cannot make the folder {folder}: {exc.strerror or exc}") from exc
    return True


def _servant_files(folder: Path, db_id: str) -> tuple[set[str], dict[str, int]]:
    """The names of this database's files in the folder, and how many files each other
    servant database has there."""
    mine: set[str] = set()
    others: dict[str, int] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                servant = _SERVANT_FILE.fullmatch(entry.name)
                if servant is None or not entry.is_file():
                    continue
                owner = unquote(servant.group(1))
                if owner == db_id:
                    mine.add(entry.name)
                else:
                    others[owner] = others.get(owner, 0) + 1
    except OSError as exc:
        raise ServantError(f"cannot read the folder {folder}: {exc.strerror or exc}") from exc
    return mine, others


def _held_by_others(folder: Path, others: dict[str, int]) -> str:
    """Why a folder holding another servant database's events is refused."""
    owners = ", ".join(f"{owner} ({plural(count, 'file')})" for owner, count in sorted(others.items()))
    example = f"occasion-*@{min(others)}.servant.ics"
    return (
        f"{folder} holds the events of another servant database (database {owners}); nothing was written. "
        f"Export to another folder, or remove that database's files first ({example})"
    )
