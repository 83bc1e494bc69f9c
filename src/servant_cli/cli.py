"""The command line: parse arguments, call the core, hand the results to ``render``.

No SQL here (that is ``store``), no Rich (that is ``render``). Every error a user can
cause reaches ``ServantGroup.main``, the one handler that prints ``Error: …`` on stderr
and exits 1 (2 for a bad argument), with a traceback only when ``SERVANT_DEBUG=1``.
"""

import contextlib
import os
import re
import sqlite3
import sys
import unicodedata
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from servant_cli import render
from servant_cli.config import Settings, db_location, load_settings
from servant_cli.dates import PartialDate, parse_date, parse_day
from servant_cli.errors import BadInput, DateError, NotFound, ServantError
from servant_cli.models import KIND_LABELS, Occasion, Person
from servant_cli.store import NewOccasion, Store

MAX_DAYS = 3660
MAX_TEXT = 200
#: The last ``--from`` day whose widest window (MAX_DAYS, plus a year for "next
#: occurrence") still ends before ``date.max``.
LAST_FROM = date(9988, 12, 31)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_NOTES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_YEARLESS = re.compile(r"--\d{1,2}-?\d{1,2}")


class ServantGroup(TyperGroup):
    """The one error handler: every failure becomes a single ``Error: …`` line."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        debug = os.environ.get("SERVANT_DEBUG") == "1"
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
            sys.stdout.flush()  # here, so a write that fails is reported like any error
        except typer.TyperException as exc:
            # Typer's usage errors (bad option values, missing arguments): exit 2.
            if debug:
                raise
            if type(exc).__name__ == "NoArgsIsHelpError":
                # ``servant`` alone: the help text itself, not an "Error: Usage: …" line.
                # (Matched by name, as Typer does: the class lives in its private ``_click``.)
                sys.stderr.write(exc.format_message().rstrip("\n") + "\n")
                code = exc.exit_code
            else:
                ctx = getattr(exc, "ctx", None)
                hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
                code = _fail(f"{exc.format_message().rstrip('.')}{hint}", exc.exit_code)
        except typer.Abort:
            code = _fail("aborted, nothing was changed", 1)
        except ServantError as exc:
            if debug:
                raise
            code = _fail(exc.message, exc.exit_code)
        except BrokenPipeError:
            # The reader (``| head``) went away: stop quietly, as other tools do.
            _drop_output()
            code = 1
        except sqlite3.Error as exc:
            # The store turns what a user can cause into ServantError; this is the rest
            # (a lock held past the busy timeout, a full disk, a read-only file).
            if debug:
                raise
            code = _fail(f"the database could not be used: {exc}; nothing was changed", 1)
        except OSError as exc:
            # Output that cannot be written (a full disk): say so plainly. Any change was
            # committed before printing, so a retry would do it twice.
            if debug:
                raise
            _drop_output()
            code = _fail(f"cannot write the output: {exc.strerror or exc}; any change was saved", 1)
        except Exception as exc:
            if debug:
                raise
            code = _fail(f"unexpected {type(exc).__name__}: {exc} (run with SERVANT_DEBUG=1 for details)", 1)
        if standalone_mode:
            sys.exit(code)
        return code


def _drop_output() -> None:
    """Send what is still buffered for stdout nowhere, so Python's own flush at exit cannot fail."""
    # Not possible when stdout is no file (a test runner's buffer) or is closed.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"Error: {message}\n")
    return code


app = typer.Typer(
    cls=ServantGroup,
    name="servant",
    help="Remember the people who matter and their key dates, and act on them in time.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Kind(StrEnum):
    birthday = "birthday"
    anniversary = "anniversary"
    work_anniversary = "work-anniversary"
    client_since = "client-since"
    custom = "custom"


class Plan(StrEnum):
    call = "call"
    card = "card"
    gift = "gift"
    flowers = "flowers"
    message = "message"


class State:
    """What the top-level options say, and the store once a command opens it."""

    def __init__(self, db_option: str | None = None) -> None:
        self.db_option = db_option
        self.settings: Settings | None = None
        self.store: Store | None = None


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"servant {version('servant-cli')}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Database file (default: SERVANT_DB, then config, then the user data dir).", metavar="PATH"
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Remember the people who matter and their key dates, and act on them in time."""
    ctx.obj = State(db_option=db)


def _settings(ctx: typer.Context) -> Settings:
    state: State = ctx.obj
    if state.settings is None:
        state.settings = load_settings()
    return state.settings


def _store(ctx: typer.Context, *, create: bool = False) -> Store:
    """The database, opened once per command.

    Only ``add`` creates a database at a path the user gave: a mistyped ``--db`` or
    ``SERVANT_DB`` under cron must fail loudly, not print an empty digest every morning.
    The default place in the user data dir is created by any command.
    """
    state: State = ctx.obj
    if state.store is None:
        path, source = db_location(state.db_option, _settings(ctx))
        try:
            state.store = Store.open(path, create=create or source is None)
        except NotFound as exc:
            raise NotFound(f"{exc.message} (given by {source}); check the path, or 'servant add' creates it") from exc
        ctx.call_on_close(state.store.close)
    return state.store


def _today(ctx: typer.Context, from_: str | None) -> date:
    """``--from`` when given, else the local date (the only place that reads the clock)."""
    if from_ is None:
        return date.today()
    day: date = _parse("--from", from_, ctx, parse_day)
    if day > LAST_FROM:
        raise BadInput(f"--from: {from_!r} is too far ahead; use a date up to {LAST_FROM.isoformat()}")
    return day


def _parse(option: str, text: str, ctx: typer.Context, parser: Any = parse_date) -> Any:
    try:
        return parser(text, _settings(ctx).date_order)
    except DateError as exc:
        raise DateError(f"{option}: {exc.message}") from exc


def _shown(value: str, limit: int = 40) -> str:
    """A value quoted for an error message: control characters escaped, long text cut."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _text(option: str, value: str | None, *, notes: bool = False) -> str | None:
    """Check a free-text value: one line (notes may have several), not too long."""
    if value is None:
        return None
    # One spelling for one text: "é" typed as e + accent finds the "é" stored whole.
    value = unicodedata.normalize("NFC", value.strip())
    if notes:
        if _CONTROL_IN_NOTES.search(value):
            raise BadInput(f"{option}: {_shown(value)} has control characters; use plain text (new lines are fine)")
        return value or None
    if _CONTROL.search(value):
        raise BadInput(f"{option}: {_shown(value)} must be one line of text without control characters")
    if len(value) > MAX_TEXT:
        raise BadInput(f"{option}: at most {MAX_TEXT} characters (got {len(value)})")
    return value or None


def _count(option: str, text: str | None, low: int, high: int) -> int | None:
    """A whole number of days from the command line, checked with a message that names it."""
    if text is None:
        return None
    value = text.strip()
    if not re.fullmatch(r"[+-]?\d+", value):
        raise BadInput(f"{option}: {text!r} is not a whole number; use {low} to {high}")
    number = int(value)
    if not low <= number <= high:
        raise BadInput(f"{option}: {number} is out of range; use {low} to {high}")
    return number


def _name(value: str, option: str = "NAME") -> str:
    name = _text(option, value)
    if not name:
        raise BadInput(f"{option}: a person needs a name (it was empty)")
    if re.fullmatch(r"#[0-9]+", name):
        raise BadInput(f"{option}: {name!r} reads as a person's #ID, so it cannot be a name")
    return name


_RESERVED_LABELS = {name.casefold() for name in (*KIND_LABELS, *KIND_LABELS.values(), "anniversary")}


def _custom_label(option: str, value: str | None) -> str | None:
    """A custom date's label; the name of a kind is refused, so "Birthday" means one thing."""
    label = _text(option, value)
    if label and label.casefold() in _RESERVED_LABELS:
        raise BadInput(f"{option}: {label!r} is a kind of date of its own; use its option, e.g. --birthday")
    return label


def _tags(values: list[str] | None) -> list[str]:
    tags: list[str] = []
    for value in values or []:
        tag = _text("--tag", value)
        if not tag:
            raise BadInput("--tag: a tag cannot be empty")
        if tag.casefold() not in (t.casefold() for t in tags):
            tags.append(tag)
    return tags


def _key_dates(
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
            when = _parse(option, text, ctx)
            found.append(NewOccasion(kind, when.month, when.day, when.year, yearly=None))
    labels: set[str] = set()
    for item in custom or []:
        label, sep, text = item.rpartition("=")
        label = _custom_label("--date", label) or ""
        if not sep or not label:
            raise BadInput(f"--date: {item!r} needs the form LABEL=DATE, e.g. --date 'Shop opening=2015-06-01'")
        if label.casefold() in labels:
            raise BadInput(f"--date: {label!r} is given twice")
        labels.add(label.casefold())
        when = _parse(f"--date {label}", text, ctx)
        found.append(NewOccasion("custom", when.month, when.day, when.year, label=label, yearly=None))
    return found


def _stored_line(title: str, when: PartialDate) -> str:
    return f"  {render.clean(title)}: {when}"


@app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The person's full name.")],
    birthday: Annotated[str | None, typer.Option(metavar="DATE", help="Birthday, with or without the year.")] = None,
    anniversary: Annotated[str | None, typer.Option(metavar="DATE", help="Wedding anniversary.")] = None,
    work_anniversary: Annotated[
        str | None, typer.Option(metavar="DATE", help="Start date at their work (work anniversary).")
    ] = None,
    client_since: Annotated[str | None, typer.Option(metavar="DATE", help="The day they became a client.")] = None,
    custom: Annotated[
        list[str] | None,
        typer.Option("--date", metavar="LABEL=DATE", help="Any other yearly date, e.g. 'Shop opening=2015-06-01'."),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option(metavar="TAG", help="A tag such as client or team (repeatable).")
    ] = None,
    company: Annotated[str | None, typer.Option(metavar="TEXT", help="Company or organisation.")] = None,
    email: Annotated[str | None, typer.Option(metavar="ADDRESS", help="Email address.")] = None,
    phone: Annotated[str | None, typer.Option(metavar="NUMBER", help="Phone number.")] = None,
    note: Annotated[str | None, typer.Option(metavar="TEXT", help="A note to keep about them.")] = None,
    every: Annotated[str | None, typer.Option(metavar="DAYS", help="Keep in touch every DAYS days.")] = None,
) -> None:
    """Add a person and their key dates; what was stored is echoed back."""
    person_name = _name(name)
    fields = {
        "company": _text("--company", company),
        "email": _text("--email", email),
        "phone": _text("--phone", phone),
        "notes": _text("--note", note, notes=True),
        "every_days": _count("--every", every, 1, MAX_DAYS),
    }
    tags = _tags(tag)
    occasions = _key_dates(ctx, birthday, anniversary, work_anniversary, client_since, custom)
    store = _store(ctx, create=True)
    exact, _ = store.people_named(person_name)
    person = store.add_person(person_name, tags=tags, occasions=occasions, **fields)
    lines = [f"Added {render.clean(person.name)} (#{person.id})"]
    for occasion in store.occasions_of(person.id):
        lines.append(_stored_line(occasion.title, PartialDate(occasion.month, occasion.day, occasion.year)))
    if tags:
        lines.append(f"  Tags: {render.clean(', '.join(tags))}")
    render.write("\n".join(lines))
    if exact:
        others = ", ".join(f"#{p.id}" for p in exact)
        _note(f"there was already someone called {render.clean(person_name)} ({others}).")


def _note(message: str) -> None:
    """A remark that is not an error, on stderr so that it stays out of piped output."""
    typer.echo(f"Note: {message}", err=True)


class DateCommand(TyperCommand):
    """``servant date``: a yearless DATE such as ``--03-14`` is the argument it looks like.

    Click would refuse it as an unknown option. It is moved behind ``--`` (DATE is the
    last argument), so a mistyped option such as ``--lable`` is still refused by name.
    """

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if "--" not in args:
            dates = [arg for arg in args if _YEARLESS.fullmatch(arg)]
            if len(dates) == 1:
                args = [arg for arg in args if arg is not dates[0]] + ["--", dates[0]]
        return super().parse_args(ctx, args)


@app.command("date", cls=DateCommand)
def add_date(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(metavar="PERSON", help="Name, start of a name, or #ID.")],
    kind: Annotated[
        Kind,
        typer.Argument(
            metavar="KIND",
            help="What kind of date: birthday, anniversary (wedding), work-anniversary, client-since or custom.",
        ),
    ],
    when: Annotated[str, typer.Argument(metavar="DATE", help="The date, with or without the year.")],
    label: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Name of a custom date, e.g. 'Shop opening'.")
    ] = None,
    lead: Annotated[str | None, typer.Option(metavar="DAYS", help="Remind this many days ahead.")] = None,
    plan: Annotated[Plan | None, typer.Option(help="What you plan to do.")] = None,
    once: Annotated[
        bool | None,
        typer.Option(
            "--once/--yearly",
            help="A one-off date (needs a year), or a yearly one; a replaced date keeps its setting.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Add a key date to someone already there (a date of the same kind is replaced)."""
    lead_days = _count("--lead", lead, 0, 365)
    text_label = _custom_label("--label", label)
    if kind is Kind.custom and not text_label:
        raise BadInput("--label: a custom date needs a label, e.g. --label 'Shop opening'")
    if kind is not Kind.custom and text_label:
        raise BadInput(f"--label is only for custom dates; {kind.value} is named {KIND_LABELS[kind.value]!r}")
    parsed = _parse("DATE", when, ctx)
    if once and parsed.year is None:
        example = f"{2028 if (parsed.month, parsed.day) == (2, 29) else 2026}-{parsed.month:02d}-{parsed.day:02d}"
        raise BadInput(f"--once: a one-off date needs a year, e.g. {example}")
    store = _store(ctx)
    who = store.find_person(person)
    new = NewOccasion(
        kind.value,
        parsed.month,
        parsed.day,
        parsed.year,
        label=text_label or "",
        yearly=None if once is None else not once,
        lead_days=lead_days,
        plan=plan.value if plan else None,
    )
    stored, previous = store.set_occasion(who.id, new)
    stored_date = PartialDate(stored.month, stored.day, stored.year)
    whose = f"{render.clean(who.name)}'s {render.clean(stored.title)}"
    if previous is None:
        message = f"Added {whose}: {stored_date}"
    else:
        message = f"Changed {whose}: {PartialDate(previous.month, previous.day, previous.year)} → {stored_date}"
    extras = render.occasion_extras(stored)
    render.write(message + (f" ({extras})" if extras else ""))


@app.command()
def edit(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(metavar="PERSON", help="Name, start of a name, or #ID.")],
    name: Annotated[str | None, typer.Option("--name", metavar="NAME", help="A new name.")] = None,
    birthday: Annotated[str | None, typer.Option(metavar="DATE", help="Birthday (replaces the stored one).")] = None,
    anniversary: Annotated[str | None, typer.Option(metavar="DATE", help="Wedding anniversary.")] = None,
    work_anniversary: Annotated[str | None, typer.Option(metavar="DATE", help="Work anniversary.")] = None,
    client_since: Annotated[str | None, typer.Option(metavar="DATE", help="Client since.")] = None,
    custom: Annotated[
        list[str] | None,
        typer.Option("--date", metavar="LABEL=DATE", help="Set a custom date (a one-off stays one-off)."),
    ] = None,
    drop: Annotated[
        list[str] | None,
        typer.Option(metavar="KIND|LABEL", help="Remove a key date: a kind (birthday, …) or a custom label."),
    ] = None,
    tag: Annotated[list[str] | None, typer.Option(metavar="TAG", help="Add a tag (repeatable).")] = None,
    untag: Annotated[list[str] | None, typer.Option(metavar="TAG", help="Remove a tag (repeatable).")] = None,
    company: Annotated[str | None, typer.Option(metavar="TEXT", help="Company ('' clears it).")] = None,
    email: Annotated[str | None, typer.Option(metavar="ADDRESS", help="Email address ('' clears it).")] = None,
    phone: Annotated[str | None, typer.Option(metavar="NUMBER", help="Phone number ('' clears it).")] = None,
    note: Annotated[str | None, typer.Option(metavar="TEXT", help="Replace the note ('' clears it).")] = None,
    every: Annotated[str | None, typer.Option(metavar="DAYS", help="Keep in touch every DAYS days (0 stops).")] = None,
) -> None:
    """Change a person's details or key dates; changing a date replaces it."""
    fields: dict[str, Any] = {}
    if name is not None:
        fields["name"] = _name(name, "--name")
    for key, option, value in (
        ("company", "--company", company),
        ("email", "--email", email),
        ("phone", "--phone", phone),
    ):
        if value is not None:
            fields[key] = _text(option, value)
    if note is not None:
        fields["notes"] = _text("--note", note, notes=True)
    if every is not None:
        fields["every_days"] = _count("--every", every, 0, MAX_DAYS) or None
    added_tags = _tags(tag)
    removed_tags = {t.casefold() for t in _tags(untag)}
    both = [t for t in added_tags if t.casefold() in removed_tags]
    if both:
        raise BadInput(f"--tag and --untag both name {both[0]!r}; choose one")
    occasions = _key_dates(ctx, birthday, anniversary, work_anniversary, client_since, custom)
    store = _store(ctx)
    who = store.find_person(person)
    existing = store.occasions_of(who.id)
    dropping: list[Occasion] = []
    for item in drop or []:
        wanted = item.strip().casefold()
        matches = [o for o in existing if o.kind == wanted or (o.kind == "custom" and o.label.casefold() == wanted)]
        if not matches:
            have = ", ".join(o.kind if o.kind != "custom" else o.label for o in existing) or "none"
            raise BadInput(f"--drop: {render.clean(who.name)} has no {item!r} date (has: {render.clean(have)})")
        dropping.extend(o for o in matches if o not in dropping)
    setting = {(new.kind, new.label.casefold()) for new in occasions}
    for occasion in dropping:
        if (occasion.kind, occasion.label.casefold()) in setting:
            raise BadInput(f"--drop: {render.clean(occasion.title)} is also given a new date; choose one")
    tags = None
    if added_tags or removed_tags:
        kept = [t for t in who.tags if t.casefold() not in removed_tags]
        tags = kept + [t for t in added_tags if t.casefold() not in {k.casefold() for k in kept}]
    if not (fields or occasions or dropping or tags is not None):
        raise BadInput("nothing to change; see 'servant edit --help' for what can be changed")
    before = {(o.kind, o.label.casefold()): o for o in existing}
    namesakes = [p for p in store.people_named(fields["name"])[0] if p.id != who.id] if "name" in fields else []
    updated = store.update_person(who.id, tags=tags, occasions=occasions, drop=[o.id for o in dropping], **fields)
    lines = [f"Updated {render.clean(updated.name)} (#{updated.id})"]
    if "name" in fields:
        lines.append(f"  Name: {render.clean(fields['name'])} (was {render.clean(who.name)})")
    for label, key in (("Company", "company"), ("Email", "email"), ("Phone", "phone")):
        if key in fields:
            lines.append(f"  {label}: {render.clean(fields[key]) or '(cleared)'}")
    if "notes" in fields:
        lines.append(f"  Note: {render.clean(fields['notes']) or '(cleared)'}")
    if "every_days" in fields:
        every_days = fields["every_days"]
        lines.append(f"  Keep in touch: {f'every {every_days} days' if every_days else '(off)'}")
    for new in occasions:
        old = before.get((new.kind, new.label.casefold() if new.kind == "custom" else ""))
        title = KIND_LABELS.get(new.kind, new.label)
        line = _stored_line(title, PartialDate(new.month, new.day, new.year))
        if old is not None:
            line += f" (was {PartialDate(old.month, old.day, old.year)})"
        lines.append(line)
    for occasion in dropping:
        lines.append(f"  Removed {render.clean(occasion.title)}")
    if tags is not None:
        lines.append(f"  Tags: {render.clean(', '.join(tags)) or '(none)'}")
    render.write("\n".join(lines))
    missing = sorted(removed_tags - {t.casefold() for t in who.tags})
    if missing:
        _note(f"{render.clean(who.name)} had no tag {render.clean(', '.join(missing))} to remove.")
    if namesakes:
        others = ", ".join(f"#{p.id}" for p in namesakes)
        _note(f"there is someone else called {render.clean(updated.name)} ({others}).")


@app.command()
def rm(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(metavar="PERSON", help="Name, start of a name, or #ID.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a person and all their key dates."""
    store = _store(ctx)
    who = store.find_person(person)
    count = len(store.occasions_of(who.id))
    what = f"{render.clean(who.name)} (#{who.id}) and {count} key date{'s' if count != 1 else ''}"
    if not yes:
        typer.confirm(f"Remove {what}?", abort=True)
    store.remove_person(who.id)
    render.write(f"Removed {what}.")


@app.command("list")
def list_people(
    ctx: typer.Context,
    tag: Annotated[
        list[str] | None, typer.Option(metavar="TAG", help="Only people with this tag (repeatable: any of them).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List everyone, by name."""
    tags = _tags(tag)
    people = _store(ctx).people(tags=tags)
    if as_json:
        sys.stdout.write(render.people_json(people))
    else:
        render.show_people(people, tags)


@app.command()
def show(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(metavar="PERSON", help="Name, start of a name, or #ID.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    from_: Annotated[str | None, typer.Option("--from", metavar="DATE", help="Count from this day, not today.")] = None,
) -> None:
    """A person's profile: details, each key date, its next occurrence and the years then."""
    from servant_cli.agenda import key_dates

    today = _today(ctx, from_)
    store = _store(ctx)
    who: Person = store.find_person(person)
    keys = key_dates(store.occasions_of(who.id), today, _settings(ctx).feb29)
    if as_json:
        sys.stdout.write(render.profile_json(who, keys))
    else:
        render.show_profile(who, keys, today)


@app.command()
def upcoming(
    ctx: typer.Context,
    days: Annotated[
        str | None,
        typer.Option(metavar="DAYS", help="How many days ahead to look (default 30, or 'days' in config)."),
    ] = None,
    from_: Annotated[str | None, typer.Option("--from", metavar="DATE", help="Start from this day, not today.")] = None,
    tag: Annotated[
        list[str] | None, typer.Option(metavar="TAG", help="Only people with this tag (repeatable: any of them).")
    ] = None,
    kind: Annotated[list[Kind] | None, typer.Option(help="Only this kind of date (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """What is coming up: every occasion in the next DAYS days, soonest first."""
    from servant_cli.agenda import upcoming as find_upcoming

    if as_json and as_csv:
        raise BadInput("--json and --csv cannot be used together; choose one")
    today = _today(ctx, from_)
    settings = _settings(ctx)
    span = _count("--days", days, 0, MAX_DAYS)
    span = settings.days if span is None else span
    end = today + timedelta(days=span)
    rows = _store(ctx).occasions_between(today, end, tags=_tags(tag), kinds=[k.value for k in kind or []])
    items = find_upcoming(rows, today, span, settings.feb29)
    if as_json:
        sys.stdout.write(render.upcoming_json(items))
    elif as_csv:
        sys.stdout.write(render.upcoming_csv(items))
    else:
        render.show_upcoming(items, today, span)


def main() -> None:
    """Entry point of the ``servant`` console script."""
    app()
