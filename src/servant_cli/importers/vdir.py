"""A folder of vCards, one contact a file: the vdir that vdirsyncer, khard, aerc and
Evolution keep (vdirsyncer's "The Vdir Storage Format").

Read: every file whose name ends in ``.vcf`` (any case), in the order of the names, so
that two imports of a folder see the same cards in the same order. Left out: names that
start with a dot, every other file (vdirsyncer writes a card to ``<name>.vcf<random>``
and renames it; older versions and other programs write ``.tmp`` files; a collection
also holds ``displayname`` or ``color``), and subfolders.

Each file is read as a single .vcf file is (``importers.vcard``), and each record names
its file (``ImportedPerson.file``), in messages too. The format wants one card a file;
a file with several gives them all, each named by file and card. A card that cannot be
read is skipped and named, as in a single file; so is a whole file that is not a vCard
(empty, binary, not UTF-8, cut short), and the rest of the folder is read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from servant_cli.errors import BadFile
from servant_cli.files import read_bytes
from servant_cli.importers import ImportedPerson, Parsed, Progress, Skipped
from servant_cli.importers.common import ACCEPTED, Ticker, decode
from servant_cli.importers.membership import shown_folder
from servant_cli.importers.vcard import read_vcards


class Folder(NamedTuple):
    """A folder as read: where it is, the .vcf files in it, the cards they gave."""

    #: Resolved and absolute: a folder is known by it from one import to the next.
    path: Path
    #: The names of its .vcf files, read or skipped, sorted.
    files: tuple[str, ...]
    parsed: Parsed


def is_card_file(name: str) -> bool:
    """A name the folder's cards are kept under: ``*.vcf``, not a dotfile."""
    return name[-4:].casefold() == ".vcf" and not name.startswith(".")


def card_files(path: Path) -> list[str]:
    """The names of the folder's .vcf files, sorted."""
    try:
        with os.scandir(path) as entries:
            return sorted(entry.name for entry in entries if is_card_file(entry.name) and entry.is_file())
    except OSError as exc:
        raise BadFile(f"cannot read the folder {shown_folder(path)}: {exc.strerror or exc}") from None


def read_folder(path: Path, progress: Progress | None = None) -> Folder:
    """Every card of every .vcf file of a folder, as records or reasons they were skipped."""
    folder = path.resolve()
    names = card_files(folder)
    tick = Ticker(progress, len(names))
    people: list[ImportedPerson] = []
    skips: list[Skipped] = []
    for done, name in enumerate(names, 1):
        found = _read_file(str(folder), name)
        people += found.people
        skips += found.skipped
        tick(done)
    tick.end()
    return Folder(folder, tuple(names), Parsed("vcard", people, skips))


def _read_file(folder: str, name: str) -> Parsed:
    try:
        data = read_bytes(os.path.join(folder, name))
    except OSError as exc:
        return _skip(name, f"cannot be read: {exc.strerror or exc}")
    if not data.strip():
        return _skip(name, "the file is empty")
    try:
        return read_vcards(decode(data, Path(name)), file=name)
    except BadFile as exc:
        reason = str(exc).removesuffix(f"; {ACCEPTED}")
        if reason.startswith(f"{name} "):  # decode's "ada.vcf is not UTF-8 text …"
            reason = "the file " + reason.removeprefix(f"{name} ")
        return _skip(name, reason)


def _skip(name: str, reason: str) -> Parsed:
    return Parsed("vcard", [], [Skipped(name, reason)])


def no_cards(path: Path) -> str:
    """Why a folder with no .vcf file cannot be imported, and, when its subfolders have
    some (vdirsyncer's ``~/.contacts/`` holds one folder per address book), which."""
    said = f"{shown_folder(path)} holds no .vcf files"
    books = []
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir() and not entry.name.startswith(".") and card_files(Path(entry.path)):
                    books.append(entry.name)
    except (OSError, BadFile):
        pass
    if not books:
        return f"{said}; give a folder of .vcf files (one contact a file) or an exported file"
    books.sort()
    listed = ", ".join(books[:5]) + (f" and {len(books) - 5} more" if len(books) > 5 else "")
    first = shown_folder(path / books[0])
    its = f"its folders {listed} do" if len(books) > 1 else f"its folder {listed} does"
    return f"{said}, but {its}: import each of them (servant import {first})"
