"""``servant export …``: everything servant knows, in a form other programs read."""

import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from servant_cli import render
from servant_cli.commands.common import (
    FromOption,
    KindFilter,
    TagFilter,
    WholeSentenceGroup,
    check_count,
    check_tags,
    check_tags_in_use,
    open_store,
    remark,
    settings_of,
    today_of,
)
from servant_cli.errors import BadInput, NotFound, ServantError
from servant_cli.files import is_the_database, write_atomically
from servant_cli.models import Occasion, Person
from servant_cli.store import Store
from servant_cli.text import FILE_CONTROL, plural

app = typer.Typer(
    name="export",
    help="Write people and occasions out for other programs: calendars, address books, spreadsheets.",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=WholeSentenceGroup,
)

MAX_YEARS = 30
#: In every calendar and vCard file servant writes: what may be written over.
SERVANT_PRODID = b"PRODID:-//servant//servant"
OutputOption = Annotated[
    str, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE ('-' for standard output).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing when writing to a file.")]


@app.command("ics")
def export_ics(
    ctx: typer.Context,
    output: OutputOption = "-",
    tag: TagFilter = None,
    kind: KindFilter = None,
    years: Annotated[
        str | None,
        typer.Option(
            metavar="N",
            help=f"One event per occurrence in the next N years (1-{MAX_YEARS}), titled with the age, "
            "instead of one repeating event per date.",
        ),
    ] = None,
    no_alarms: Annotated[bool, typer.Option("--no-alarms", help="Leave out the reminders (VALARM).")] = False,
    vdir: Annotated[
        str | None,
        typer.Option(
            metavar="DIR",
            help="Instead of one file, keep the folder DIR (made if missing) as one .ics file per date, for "
            "vdirsyncer and khal: the events 'servant publish' sends; only what changed is written, and the "
            "files of dates that are gone are removed.",
        ),
    ] = None,
    from_: FromOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write every occasion as an all-day event to an iCalendar (.ics) file, or a folder of them.

    Import the file into Google Calendar, Apple Calendar, Outlook or Thunderbird. Each
    date keeps the same UID for its whole life, so importing a newer export updates the
    events instead of adding them twice. A folder (--vdir) is what vdirsyncer syncs with
    a CalDAV server and khal reads.
    """
    import servant_cli
    from servant_cli.services.calendar import occasion_calendar

    span = check_count("--years", years, 1, MAX_YEARS)
    today = today_of(ctx, from_)
    if span is not None and today.year + span > date.max.year:
        raise BadInput(f"--years: {span} years from {today.isoformat()} go past the year {date.max.year}")
    tags = check_tags(tag)
    kinds = [k.value for k in kind or []]
    if vdir is not None:
        _export_folder(ctx, _folder(vdir, output, span, no_alarms), today, tags, kinds, quiet)
        return
    target = None if output == "-" else _target(output, ".ics")
    store = _open_store(ctx, target, tags)
    found = occasion_calendar(
        store,
        today,
        settings_of(ctx),
        years=span,
        alarms=not no_alarms,
        tags=tags,
        kinds=kinds,
        prodid=f"-//servant//servant {servant_cli.__version__}//EN",
    )
    first = next(found.events, None)
    if first is None:
        # A calendar must hold at least one event (RFC 5545), and an empty file would
        # wipe a calendar that subscribes to it.
        why = "no date matches these filters" if tags or kinds or found.dates else "there are no key dates yet"
        raise NotFound(f"nothing to export: {why}; nothing was written")
    events = 0

    def parts() -> Iterator[bytes]:
        # Written as the events are made: a calendar of 300,000 dates is never held whole.
        nonlocal events
        yield found.head.encode()
        for event in itertools.chain([first], found.events):
            events += 1
            yield event.encode() + b"\r\n"
        yield found.tail.encode()

    deliver(
        parts(),
        target,
        quiet,
        lambda: f"{plural(events, 'event')} for {plural(found.people, 'person', 'people')}",
        SERVANT_PRODID,
    )


def _folder(vdir: str, output: str, years: int | None, no_alarms: bool) -> Path:
    """The folder of --vdir, checked before the database is read."""
    clash = "--output" if output != "-" else "--years" if years is not None else "--no-alarms" if no_alarms else None
    if clash == "--output":
        raise BadInput("--vdir writes a folder and --output a file; give one of them")
    if clash:
        raise BadInput(
            f"{clash} is for a file: a folder (--vdir) holds the events 'servant publish' sends, "
            "one repeating event per date with its reminder"
        )
    if not vdir.strip():
        raise BadInput("--vdir is empty; give the folder for the calendar's files")
    folder = Path(vdir).expanduser()
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"--vdir: {vdir} is a file, not a folder; give a folder for the calendar's files")
    return folder


def _export_folder(
    ctx: typer.Context, folder: Path, today: date, tags: list[str], kinds: list[str], quiet: bool
) -> None:
    from servant_cli.services.calendar import occasion_folder

    store = _open_store(ctx, None, tags)
    report = occasion_folder(store, today, settings_of(ctx), folder, tags=tags, kinds=kinds)
    if not quiet:
        render.write(render.folder_summary(report))


@app.command("csv")
def export_csv(
    ctx: typer.Context,
    output: OutputOption = "-",
    tag: TagFilter = None,
    quiet: QuietOption = False,
) -> None:
    """Write everyone and their key dates as servant's CSV, which 'servant import' reads back whole."""
    from servant_cli.importers import write_csv

    csv = lambda people, store: write_csv(people, family=store.kin_of_people())  # noqa: E731
    _export_people(ctx, output, tag, quiet, csv, ".csv", b"name,birthday,")


@app.command("vcard")
def export_vcard(
    ctx: typer.Context,
    output: OutputOption = "-",
    tag: TagFilter = None,
    version: Annotated[
        str,
        typer.Option(
            "--version",
            metavar="3|4",
            help="vCard 3.0 (the default: Apple Contacts, iCloud, Google Contacts, Android and Outlook read it) "
            "or 4.0 (RFC 6350).",
        ),
    ] = "3",
    split: Annotated[
        str | None,
        typer.Option(
            metavar="DIR",
            help="One .vcf file per person in the folder DIR (made if missing), for Outlook, which reads one "
            "card a file.",
        ),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Write everyone as vCard (.vcf), with birthdays, anniversaries and dates, for any address book."""
    from servant_cli.importers import write_vcards

    if version not in ("3", "4"):
        raise BadInput(f"--version: {version[:20]!r} is not a vCard version servant writes; give 3 or 4")
    number = int(version)
    if split is not None:
        _export_split(ctx, _split_folder(split, output), tag, number, quiet)
        return

    def vcards(people: list[tuple[Person, list[Occasion]]], store: Store) -> str:
        _note_rules(people)
        # The database's id makes each card's UID stable, and unlike another database's.
        return write_vcards(people, db_id=store.meta("db_id"), family=store.kin_of_people(), version=number)

    _export_people(ctx, output, tag, quiet, vcards, ".vcf", SERVANT_PRODID)


def _note_rules(people: list[tuple[Person, list[Occasion]]]) -> None:
    """Say which dates a vCard leaves out: a yearly rule ("2nd Sunday of May") is no day
    that a vCard date can hold, and one year's day would come back as a fixed date."""
    ruled = [(who, o) for who, dates in people for o in dates if o.rule]
    if ruled:
        who, first = ruled[0]
        example = f"{render.clean(who.name)}'s {render.clean(first.title)}"
        remark(
            f"{plural(len(ruled), 'date')} that {'is a yearly rule' if len(ruled) == 1 else 'are yearly rules'}"
            f" ({example}, …) {'is' if len(ruled) == 1 else 'are'} not in the vCards: a vCard holds days only;"
            " 'servant export csv' or 'json' keeps them"
        )


def _split_folder(split: str, output: str) -> Path:
    """The folder of --split, checked before the database is read."""
    if output != "-":
        raise BadInput("--split writes a folder and --output a file; give one of them")
    if not split.strip():
        raise BadInput("--split is empty; give the folder for the .vcf files")
    folder = Path(split).expanduser()
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"--split: {split} is a file, not a folder; give a folder for the .vcf files")
    if not folder.parent.is_dir():
        raise BadInput(f"--split: the folder {folder.parent} does not exist")
    return folder


def _export_split(ctx: typer.Context, folder: Path, tag: list[str] | None, version: int, quiet: bool) -> None:
    """One file per person, named by the name (made safe) and the id: unique, and the
    same file for the same person at every export. A file there that servant did not
    write is never replaced, and is found before anything is written. A card servant
    wrote there before for someone now written under another name (a rename) is removed,
    so the folder never holds one person twice."""
    from servant_cli.importers.vcard import card_file_name, write_cards

    tags = check_tags(tag)
    store = _open_store(ctx, None, tags)
    people = store.people_with_occasions(tags=tags)
    _note_rules(people)
    cards = [
        (folder / card_file_name(who), FILE_CONTROL.sub("\ufffd", card))
        for who, card in write_cards(people, db_id=store.meta("db_id"), family=store.kin_of_people(), version=version)
    ]
    for target, _ in cards:
        try:
            _check_replaceable(target, SERVANT_PRODID)
        except ServantError as exc:
            raise ServantError(str(exc).replace("--output: ", "--split: ", 1) + "; nothing was written") from None
    names = {target.name for target, _ in cards}
    uids = {uid for _, card in cards if (uid := _card_uid(card))}
    stale = [
        path for path in sorted(folder.glob("*.vcf")) if path.name not in names and _servants_card_uid(path) in uids
    ]
    folder.mkdir(mode=0o700, exist_ok=True)
    for target, card in cards:
        deliver(card, target, True, "", SERVANT_PRODID)
    for path in stale:
        path.unlink(missing_ok=True)
    if not quiet:
        removed = f"; removed {plural(len(stale), 'card')} of renamed people" if stale else ""
        typer.echo(f"Wrote {plural(len(people), 'person', 'people')} to {folder}, one .vcf file each{removed}")


_UID_LINE = re.compile(r"^UID:(.*?)\r?$", re.M)


def _card_uid(card: str) -> str | None:
    found = _UID_LINE.search(card)
    return found[1] if found else None


def _servants_card_uid(path: Path) -> str | None:
    """The UID of a card servant wrote (its PRODID at the start), else None."""
    try:
        with open(path, "rb") as stream:
            start = stream.read(4096)
    except OSError:
        return None
    if SERVANT_PRODID not in start[:1024]:
        return None
    return _card_uid(start.decode("utf-8", "replace"))


@app.command("json")
def export_json(ctx: typer.Context, output: OutputOption = "-", quiet: QuietOption = False) -> None:
    """Write everything servant holds as JSON, which 'servant import' reads back whole.

    Every person with every field, their dates (kind, label, year, one-off, plan, lead),
    family links, gestures with the date each counted for, gift ideas given or not, and
    keep-in-touch. Imported into an empty database it gives the same database back; into
    the one it came from, it changes nothing.
    """
    from servant_cli.services.portable import export_everything

    target = None if output == "-" else _target(output, ".json")
    store = _open_store(ctx, target, [])
    text = FILE_CONTROL.sub("\ufffd", export_everything(store))
    deliver(text, target, quiet, plural(store.contents().people, "person", "people"), JSON_SIGNATURE)


#: The first line of servant's JSON export: what may be written over.
JSON_SIGNATURE = b'"format": "servant"'


def _export_people(
    ctx: typer.Context, output: str, tag: list[str] | None, quiet: bool, writer: Any, suffix: str, signature: bytes
) -> None:
    tags = check_tags(tag)
    target = None if output == "-" else _target(output, suffix)
    store = _open_store(ctx, target, tags)
    people = store.people_with_occasions(tags=tags)
    # Control characters stored by another program (the CLI refuses them) would reach a
    # terminal as escape sequences; tab and line ends are the files' own.
    text = FILE_CONTROL.sub("\ufffd", writer(people, store))
    deliver(text, target, quiet, plural(len(people), "person", "people"), signature)


def _open_store(ctx: typer.Context, target: Path | None, tags: list[str]) -> Store:
    """The database, once the output is known not to be it and every tag is one someone has."""
    store = open_store(ctx)
    _check_not_the_database(target, store.path)
    check_tags_in_use(store, tags)
    return store


def deliver(
    text: str | Iterable[bytes], target: Path | None, quiet: bool, what: str | Callable[[], str], signature: bytes
) -> None:
    """Write ``text`` (or its parts, as they are made) to standard output, or to
    ``target`` (atomically: the parts go to a temporary file renamed into place once
    the last is in) and say so, with ``what`` (asked for once all is written).

    An existing file is replaced only when servant wrote it (its first lines hold
    ``signature``) or it is empty: ``-o notes.txt`` by mistake must not cost the notes,
    nor ``-o contacts.vcf`` the address book it came from.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    if target is None:
        sys.stdout.flush()
        for part in [data] if isinstance(data, bytes) else data:
            sys.stdout.buffer.write(part)
        return
    _check_replaceable(target, signature)
    if write_atomically(target, data) and not quiet:
        typer.echo(f"Wrote {what if isinstance(what, str) else what()} to {target}")


def _check_not_the_database(target: Path | None, database: Path) -> None:
    if target is not None and is_the_database(target, database):  # its -wal, -shm and -journal too
        raise BadInput(f"--output: {target} is the database itself; choose another file name")


def _check_replaceable(target: Path, signature: bytes) -> None:
    if not target.is_file():  # not there yet, or a pipe or a device: nothing to lose
        return
    try:
        with open(target, "rb") as stream:
            start = stream.read(1024)
    except OSError as exc:
        raise ServantError(f"cannot read {target} to check it: {exc.strerror or exc}") from exc
    if start and signature not in start:
        raise ServantError(
            f"--output: {target} exists and is not a file servant wrote; it was left as it was "
            "(remove it first, or choose another name)"
        )


def _target(output: str, suffix: str) -> Path:
    """The file to write, checked before the database is read."""
    if not output.strip():
        raise BadInput("--output is empty; give a file name, or '-' for standard output")
    path = Path(output).expanduser()
    if path.is_dir() or output.endswith(("/", os.sep)):
        example = path / f"servant{suffix}"
        if not path.is_dir():
            raise BadInput(f"--output: the folder {output} does not exist; give a file name such as {example}")
        raise BadInput(f"--output: {output} is a folder; give a file name in it, such as {example}")
    if not path.parent.is_dir():
        raise BadInput(f"--output: the folder {path.parent} does not exist")
    return path
