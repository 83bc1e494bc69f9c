"""What the commands share: the options' types, the store a command opens, and the
checks every value from the command line goes through before anything is written."""

import re
import sys
import unicodedata
from datetime import date
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from servant_cli import render
from servant_cli.commands.completion import complete_person, complete_tag
from servant_cli.config import Settings, db_location, load_settings
from servant_cli.dates import parse_date, parse_day, parse_rule
from servant_cli.errors import BadInput, DateError, NotFound
from servant_cli.models import KIND_LABELS, Kind, Person
from servant_cli.store import NewOccasion, Store
from servant_cli.text import BIDI_CONTROL, LINE_CONTROL, MAX_TEXT, TEXT_CONTROL, fold

MAX_DAYS = 3660
#: A count with more digits than this is refused unread (Python reads no number of over
#: 4,300 digits) and quoted only in part.
MAX_DIGITS = 60

#: Options that several commands take, defined once.
PersonArgument = Annotated[
    str,
    typer.Argument(
        metavar="PERSON", help="Name, start of a name, a word of it, or #ID.", autocompletion=complete_person
    ),
]
TagFilter = Annotated[
    list[str] | None,
    typer.Option(
        metavar="TAG", help="Only people with this tag (repeatable: any of them).", autocompletion=complete_tag
    ),
]
KindFilter = Annotated[list[Kind] | None, typer.Option("--kind", help="Only this kind of date (repeatable).")]
FromOption = Annotated[str | None, typer.Option("--from", metavar="DATE", help="Count from this day, not today.")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


class WholeSentenceGroup(TyperGroup):
    """A group whose list of commands shows each command's whole first sentence.

    Click cuts a command's help to what fits beside it on one line, mid-sentence with
    "..."; here the whole sentence is shown, and the formatter wraps it under itself.
    """

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=sys.maxsize)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class State:
    """What the top-level options say, and the store once a command opens it."""

    def __init__(self, db_option: str | None = None) -> None:
        self.db_option = db_option
        self.settings: Settings | None = None
        self.store: Store | None = None


def settings_of(ctx: typer.Context) -> Settings:
    """The config file's settings, read once per command."""
    state: State = ctx.obj
    if state.settings is None:
        state.settings = load_settings()
    return state.settings


def open_store(ctx: typer.Context, *, create: bool = False) -> Store:
    """The database, opened once per command.

    Only ``add`` and ``import`` create a database at a path the user gave: a mistyped
    ``--db`` or ``SERVANT_DB`` under cron must fail loudly, not print an empty digest
    every morning.
    The default place in the user data dir is created by any command.
    """
    state: State = ctx.obj
    if state.store is None:
        path, source = db_location(state.db_option, settings_of(ctx))
        try:
            state.store = Store.open(path, create=create or source is None)
        except NotFound as exc:
            raise NotFound(
                f"{exc.message} (given by {source}); check the path, or 'servant add' or 'servant import' creates it"
            ) from exc
        ctx.call_on_close(state.store.close)
    return state.store


def today_of(ctx: typer.Context, from_: str | None) -> date:
    """``--from`` when given, else the local date (the only place that reads the clock)."""
    if from_ is None:
        return date.today()
    day: date = parse_option("--from", from_, ctx, parse_day)  # from 1000 to 9988 (dates.LAST_DAY)
    return day


def parse_option(option: str, text: str, ctx: typer.Context, parser: Any = parse_date) -> Any:
    try:
        return parser(text, settings_of(ctx).date_order)
    except DateError as exc:
        raise DateError(f"{option}: {exc.message}") from exc


def shown(value: str, limit: int = 40) -> str:
    """A value quoted for an error message: control characters escaped, long text cut."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def check_text(option: str, value: str | None, *, notes: bool = False) -> str | None:
    """Check a free-text value: one line (notes may have several), not too long."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Bytes that are not UTF-8 reach Python as lone surrogates (\udcff).
        raise BadInput(f"{option}: {shown(value)} is not valid UTF-8 text; check the terminal's encoding") from None
    bidi = BIDI_CONTROL.search(value)
    if bidi:
        # U+202E and its kin reorder how the rest of a terminal line is shown.
        raise BadInput(
            f"{option}: {shown(value)} has a bidirectional control character (U+{ord(bidi.group()):04X}); "
            "use plain text (right-to-left letters are fine)"
        )
    # One spelling for one text: "é" typed as e + accent finds the "é" stored whole.
    value = unicodedata.normalize("NFC", value.strip())
    if notes:
        # A note pasted from Windows, or with Unicode's line and paragraph separators
        # (which a terminal would not show as new lines): each a new line.
        value = value.replace("\r\n", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
        if TEXT_CONTROL.search(value):
            raise BadInput(f"{option}: {shown(value)} has control characters; use plain text (new lines are fine)")
        return value or None
    if LINE_CONTROL.search(value):
        raise BadInput(f"{option}: {shown(value)} must be one line of text without control characters")
    if len(value) > MAX_TEXT:
        raise BadInput(f"{option}: at most {MAX_TEXT} characters (got {len(value)})")
    return value or None


def check_count(option: str, text: str | None, low: int, high: int) -> int | None:
    """A whole number of days from the command line, checked with a message that names it."""
    if text is None:
        return None
    value = text.strip()
    if not re.fullmatch(r"[+-]?\d+", value):
        raise BadInput(f"{option}: {shown(text)} is not a whole number; use {low} to {high}")
    digits = len(value.lstrip("+-").lstrip("0"))
    if digits > MAX_DIGITS:
        # Not read at all (Python refuses a number of over 4,300 digits), and not quoted whole.
        raise BadInput(f"{option}: {value[:20]}… ({digits:,} digits) is out of range; use {low} to {high}")
    number = int(value)
    if not low <= number <= high:
        raise BadInput(f"{option}: {number} is out of range; use {low} to {high}")
    return number


#: What can be an email address: something, one @, a domain with a dot; no spaces.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def check_email(option: str, value: str | None) -> str | None:
    """An email address, or '' to clear one; what cannot be an address is refused."""
    address = check_text(option, value)
    if address and not _EMAIL.fullmatch(address):
        raise BadInput(f"{option}: {shown(address)} is not an email address; use the form name@example.com")
    return address


def check_name(value: str, option: str = "NAME") -> str:
    """A person's name, its spaces as one: "Aiko  Tanaka" is Aiko Tanaka."""
    text = check_text(option, value)
    name = " ".join(text.split()) if text else text
    if not name:
        raise BadInput(f"{option}: a person needs a name (it was empty)")
    if re.fullmatch(r"#[0-9]+", name):
        raise BadInput(f"{option}: {name!r} reads as a person's #ID, so it cannot be a name")
    return name


_RESERVED_LABELS = {name.casefold() for name in (*KIND_LABELS, *KIND_LABELS.values(), "anniversary")}


def check_label(option: str, value: str | None) -> str | None:
    """A custom date's label; the name of a kind is refused, so "Birthday" means one thing."""
    label = check_text(option, value)
    if label and label.casefold() in _RESERVED_LABELS:
        raise BadInput(f"{option}: {label!r} is a kind of date of its own; use its option, e.g. --birthday")
    return label


def check_tags(values: list[str] | None) -> list[str]:
    """The --tag values, checked, each once whatever its case and accents, in the order given."""
    tags: list[str] = []
    for value in values or []:
        tag = check_text("--tag", value)
        if not tag:
            raise BadInput("--tag: a tag cannot be empty")
        if fold(tag) not in (fold(t) for t in tags):
            tags.append(tag)
    return tags


def check_tags_in_use(store: Store, tags: list[str]) -> None:
    """Refuse a tag no one has: under cron a typo (--tag clinet) would otherwise empty a
    calendar or silence the digest, every day, without a word."""
    in_use = store.carried(tags) if tags else set()
    for tag in tags:
        if fold(tag) not in in_use:
            raise NotFound(f"--tag: no one has the tag {tag!r}; tags in use: {tags_named(store.tags_in_use())}")


#: The most tags an error names: a book of 300 tags would make a line of thousands.
TAGS_NAMED = 12


def tags_named(tags: list[str]) -> str:
    """ "client, team, vip", the first ``TAGS_NAMED`` of them and how many more, or "none yet"."""
    if not tags:
        return "none yet"
    shown_tags = ", ".join(tags[:TAGS_NAMED])
    more = len(tags) - TAGS_NAMED
    return shown_tags + (f" and {more:,} more" if more > 0 else "")


def parse_key_dates(
    ctx: typer.Context,
    birthday: str | None,
    anniversary: str | None,
    work_anniversary: str | None,
    client_since: str | None,
    custom: list[str] | None,
) -> list[NewOccasion]:
    """Parse every date option before anything is written."""
    found: list[NewOccasion] = []
    for option, kind, text in (
        ("--birthday", "birthday", birthday),
        ("--anniversary", "anniversary", anniversary),
        ("--work-anniversary", "work-anniversary", work_anniversary),
        ("--client-since", "client-since", client_since),
    ):
        if text is not None:
            found.append(parse_key_date(option, text, ctx, kind))
    labels: set[str] = set()
    for item in custom or []:
        label, sep, text = item.rpartition("=")
        label = check_label("--date", label) or ""
        if not sep or not label:
            raise BadInput(f"--date: {item!r} needs the form LABEL=DATE, e.g. --date 'Shop opening=2015-06-01'")
        if label.casefold() in labels:
            raise BadInput(f"--date: {label!r} is given twice")
        labels.add(label.casefold())
        found.append(parse_key_date(f"--date {label}", text, ctx, "custom", label))
    return found


def parse_key_date(option: str, text: str, ctx: typer.Context, kind: str, label: str = "") -> NewOccasion:
    """A key date as typed: a yearly rule ("2nd Sunday of May", "Easter+49": custom dates
    only, always yearly, no year), else a date read whole (``parse_date``). Its
    ``yearly`` is None (a replaced date keeps its setting) for a date on a day."""
    rule = parse_option(option, text, ctx, lambda typed, _order: parse_rule(typed))
    if rule is None:
        when = parse_option(option, text, ctx)
        return NewOccasion(kind, when.month, when.day, when.year, label=label, yearly=None)
    if kind != "custom":
        raise BadInput(
            f"{option}: {shown(text)} is a yearly rule, and only a custom date can be one"
            f" (--date LABEL=RULE); a {KIND_LABELS.get(kind, kind).lower()} needs its day"
        )
    month, day = rule.earliest()
    return NewOccasion(kind, month, day, None, label=label, yearly=True, rule=rule.text())


def confirm(question: str) -> None:
    """Ask before a change that cannot be undone (``--yes``, ``YesOption``, skips it).
    Anything but yes (no, or no answer: no terminal, the end of the input) stops the
    command with "aborted, nothing was changed"."""
    typer.confirm(question, abort=True)


def check_id(option: str, text: str) -> int:
    """The id of a record as the listings show it: 12 or #12."""
    value = text.strip()
    if not re.fullmatch(r"#?[0-9]{1,18}", value):
        raise BadInput(f"{option}: {shown(text)} is not an id; give the number a listing shows, e.g. 12 or '#12'")
    return int(value.lstrip("#"))


def remark_namesakes(name: str, namesakes: list[Person], lead: str) -> None:
    """Say that others bear the same name ("there is someone else called Ada (#1)")."""
    if namesakes:
        others = ", ".join(f"#{p.id}" for p in namesakes)
        remark(f"{lead} {render.clean(name)} ({others}).")


def remark(message: str) -> None:
    """A remark that is not an error, on stderr so that it stays out of piped output."""
    typer.echo(f"Note: {message}", err=True)
