"""Files servant writes for other programs, and reads back.

``write_atomically`` writes a file whole or not at all: to a temporary name beside it,
then renamed into place, so that a program watching it (a calendar app, vdirsyncer,
khal) sees the old version or the new one, never half of one. ``read_bytes`` reads a
file in as few system calls as there can be; ``read_regular`` reads a small file of the
user's (the config, a card template) only when it is a regular file and not too large.
``is_the_database`` tells whether a file to write would be the database or one of the
files SQLite keeps beside it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from servant_cli.errors import ServantError

#: Files SQLite keeps beside a database, named after it: they are part of it.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")

#: Bytes read at a time: a card or an event (a photo aside) fits in one read.
_CHUNK = 1 << 16


def read_bytes(path: str) -> bytes:
    """A file's bytes in as few system calls as there can be: Python's buffered file
    (``Path.read_bytes``) costs two and a half times as much, 0.1 s for 10,000 cards."""
    handle = os.open(path, os.O_RDONLY)
    try:
        chunks = [os.read(handle, _CHUNK)]
        while len(chunks[-1]) == _CHUNK:
            chunks.append(os.read(handle, _CHUNK))
        return b"".join(chunks)
    finally:
        os.close(handle)


class NotAFile(Exception):
    """A path to read that is not a regular file; its text says what it is ("a folder",
    "a named pipe (FIFO)")."""


class TooLarge(Exception):
    """A file to read that is larger than the reader takes."""


#: What a path that is not a regular file is, for the message that refuses it.
_NOT_A_FILE = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes; None when there is none.

    Anything else is refused (``NotAFile``): a named pipe with no writer would make the
    read wait for ever, and a device such as /dev/zero would never end. The file is opened
    without waiting (``O_NONBLOCK``: a pipe opens at once) and checked once open, so
    nothing can be swapped in between the check and the read; at most ``limit`` bytes and
    one more are read (``TooLarge``). Other faults are the ``OSError`` they are."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise NotAFile(next((name for test, name in _NOT_A_FILE if test(mode)), "something other than a file"))
        os.set_blocking(handle, True)
        chunks = [os.read(handle, limit + 1)]
        while chunks[-1] and sum(map(len, chunks)) <= limit:
            chunks.append(os.read(handle, limit + 1))
        data = b"".join(chunks)
        if len(data) > limit:
            raise TooLarge(path)
        return data
    finally:
        os.close(handle)


def is_the_database(path: Path, database: Path) -> bool:
    """Whether writing ``path`` would write over ``database`` or one of its side files
    (``-wal``, ``-shm``, ``-journal``), whether or not they exist now."""
    return any(_same_file(path, database.with_name(database.name + side)) for side in ("", *SQLITE_SIDE_FILES))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them is not there (yet): the same name is the same file
        return os.path.realpath(a) == os.path.realpath(b)


def write_atomically(path: Path, data: bytes | Iterable[bytes]) -> bool:
    """Write ``data`` (or its parts, as they are made) to a temporary file beside
    ``path``, then rename it into place.

    A file that was there keeps its permissions; a new one is private (0600), since it
    holds names and notes. A symlink is followed; a pipe or a device is written to in
    place, and then the answer is False (a "Wrote …" line would land in the same stream).
    The temporary file's name starts with a dot and ends in ``.tmp``: programs that read
    a folder of such files (vdirsyncer, khal, servant's own folder import) leave it out.
    """
    try:
        status = path.stat()
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise ServantError(f"cannot write {path}: {exc.strerror or exc}") from exc
    if status is not None and not stat.S_ISREG(status.st_mode):
        _write_into(path, data)
        return False
    if path.is_symlink():
        path = Path(os.path.realpath(path))  # the file it points to is replaced; the link stays
    mode = 0o600 if status is None else status.st_mode & 0o777
    import tempfile

    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ServantError(f"cannot write in {path.parent}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            _write_parts(stream, data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
        return True
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ServantError(f"cannot write {path}: {exc.strerror or exc}; the file was left as it was") from exc
        raise


def _write_parts(stream: BinaryIO, data: bytes | Iterable[bytes]) -> None:
    if isinstance(data, bytes):
        stream.write(data)
        return
    for part in data:
        stream.write(part)


def _write_into(path: Path, data: bytes | Iterable[bytes]) -> None:
    try:
        with open(path, "wb") as stream:
            _write_parts(stream, data)
    except OSError as exc:
        raise ServantError(f"cannot write {path}: {exc.strerror or exc}") from exc
