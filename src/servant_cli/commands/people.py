"""Commands about people and their key dates: add, date, edit, rm, list, show."""

import re
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from servant_cli import render
from servant_cli.commands.common import (
    MAX_DAYS,
    FromOption,
    PersonArgument,
    TagFilter,
    YesOption,
    check_count,
    check_email,
    check_label,
    check_name,
    check_tags,
    check_text,
    confirm,
    open_store,
    parse_key_date,
    parse_key_dates,
    remark,
    remark_namesakes,
    settings_of,
    today_of,
)
from servant_cli.commands.completion import complete_person, complete_tag
from servant_cli.dates import stored_day
from servant_cli.errors import BadInput, ServantError
from servant_cli.models import KIND_LABELS, Kind, Person, Plan, relation_kind
from servant_cli.text import fold, plural

_YEARLESS = re.compile(r"--\d{1,2}-?\d{1,2}")


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


NoYear = Annotated[
    bool,
    typer.Option("--no-year", help="Store a date given without a year so, even where the stored one has a year."),
]


def check_no_year(no_year: bool, given: list[Any]) -> None:
    """--no-year goes with dates typed without a year (or, for ``date``, none at all)."""
    if no_year and any(when.year is not None for when in given):
        raise BadInput("--no-year: the date given has a year; type it without one, e.g. 'Dec 9'")


ChildOf = Annotated[
    list[str] | None,
    typer.Option(
        "--child-of",
        metavar="PERSON",
        help="A parent, already in servant; twice for two parents ('' unlinks them).",
        autocompletion=complete_person,
    ),
]
SpouseOf = Annotated[
    str | None,
    typer.Option(
        "--spouse-of",
        metavar="PERSON",
        help="Their spouse, already in servant; both are linked ('' unlinks).",
        autocompletion=complete_person,
    ),
]


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
        typer.Option(
            "--date",
            metavar="LABEL=DATE",
            help="Any other yearly date, e.g. 'Shop opening=2015-06-01', or a yearly rule:"
            " 'Thanksgiving=4th Thursday of November'.",
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(metavar="TAG", help="A tag such as client or team (repeatable).", autocompletion=complete_tag),
    ] = None,
    company: Annotated[str | None, typer.Option(metavar="TEXT", help="Company or organisation.")] = None,
    position: Annotated[str | None, typer.Option(metavar="TEXT", help="Job title.")] = None,
    nickname: Annotated[str | None, typer.Option(metavar="TEXT", help="What people call them, e.g. Bob.")] = None,
    email: Annotated[str | None, typer.Option(metavar="ADDRESS", help="Email address.")] = None,
    phone: Annotated[str | None, typer.Option(metavar="NUMBER", help="Phone number.")] = None,
    note: Annotated[str | None, typer.Option(metavar="TEXT", help="A note to keep about them.")] = None,
    every: Annotated[str | None, typer.Option(metavar="DAYS", help="Keep in touch every DAYS days.")] = None,
    child_of: ChildOf = None,
    spouse_of: SpouseOf = None,
    new: Annotated[
        bool, typer.Option("--new", help="Add them even though someone of that name is there (a namesake).")
    ] = False,
) -> None:
    """Add a person and their key dates; what was stored is echoed back."""
    person_name = check_name(name)
    fields = {
        "company": check_text("--company", company),
        "position": check_text("--position", position),
        "nickname": check_text("--nickname", nickname),
        "email": check_email("--email", email),
        "phone": check_text("--phone", phone),
        "notes": check_text("--note", note, notes=True),
        "every_days": check_count("--every", every, 1, MAX_DAYS),
    }
    tags = check_tags(tag)
    occasions = parse_key_dates(ctx, birthday, anniversary, work_anniversary, client_since, custom)
    from servant_cli.services.family import FamilyChange, plan_family
    from servant_cli.services.people import add_person

    family = FamilyChange(child_of or [], spouse_of)
    # A parent or spouse must be in the database already: without one, nothing is created.
    store = open_store(ctx, create=not family)
    plan = plan_family(store, None, family) if family else None
    exact, _ = store.people_named(person_name)
    if exact and not new:
        there = ", ".join(f"#{p.id}" for p in exact)
        raise ServantError(
            f"{render.clean(person_name)} is already in servant ({there}); change them with"
            f" 'servant edit #{exact[0].id}', or add a namesake with --new"
        )
    added = add_person(store, person_name, tags=tags, occasions=occasions, fields=fields, family=plan)
    person = added.person
    lines = [f"Added {render.clean(person.name)} (#{person.id})"]
    for occasion in store.occasions_of(person.id):
        when = stored_day(occasion.month, occasion.day, occasion.year, occasion.rule)
        lines.append(render.stored_line(occasion.title, when))
    if tags:
        lines.append(f"  Tags: {render.clean(', '.join(tags))}")
    if person.family:
        lines.append(f"  Family: {render.clean(person.family)}")
    # Whose child or spouse they are is in the Family line; that they are someone's parent is not.
    lines += [
        f"  Linked as {render.clean(note.person)}'s {render.clean(note.label)}"
        for note in added.settled
        if relation_kind(note.label) == "parent"
    ]
    render.write("\n".join(lines))
    remark_namesakes(person_name, exact, "there was already someone called")


def add_date(
    ctx: typer.Context,
    person: PersonArgument,
    kind: Annotated[
        Kind,
        typer.Argument(
            metavar="KIND",
            help="What kind of date: birthday, anniversary (wedding), work-anniversary, client-since or custom.",
        ),
    ],
    when: Annotated[
        str | None,
        typer.Argument(
            metavar="[DATE]",
            help="The date, with or without the year, or for a custom date a yearly rule ('2nd Sunday of May',"
            " 'last Monday of May', 'Easter+49'); without it, the stored date gets the new settings.",
            show_default=False,
        ),
    ] = None,
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
    no_year: NoYear = False,
) -> None:
    """Add a key date to someone, or change one (a date of the same kind is replaced)."""
    from servant_cli.services.people import set_date

    lead_days = check_count("--lead", lead, 0, 365)
    text_label = check_label("--label", label)
    if kind is Kind.custom and not text_label:
        raise BadInput("--label: a custom date needs a label, e.g. --label 'Shop opening'")
    if kind is not Kind.custom and text_label:
        raise BadInput(f"--label is only for custom dates; {kind.value} is named {KIND_LABELS[kind.value]!r}")
    new = None
    if when is not None:
        new = parse_key_date("DATE", when, ctx, kind.value, text_label or "")
        if new.rule is not None and once:
            raise BadInput("--once: a rule comes round every year; give a one-off date its day, e.g. 2026-05-10")
        check_no_year(no_year, [new])
        if once and new.year is None and not no_year:
            example = f"{2028 if (new.month, new.day) == (2, 29) else 2026}-{new.month:02d}-{new.day:02d}"
            raise BadInput(f"--once: a one-off date needs a year, e.g. {example}")
        new = new._replace(yearly=True)
    store = open_store(ctx)
    who = store.find_person(person)
    done = set_date(
        store,
        who,
        new,
        kind.value,
        text_label or "",
        yearly=(True if new is not None and new.rule else None) if once is None else not once,
        lead_days=lead_days,
        plan=plan.value if plan else None,
        no_year=no_year,
    )
    render.write(render.date_report(who, done.stored, done.previous))


def edit(
    ctx: typer.Context,
    person: PersonArgument,
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
    tag: Annotated[
        list[str] | None, typer.Option(metavar="TAG", help="Add a tag (repeatable).", autocompletion=complete_tag)
    ] = None,
    untag: Annotated[
        list[str] | None, typer.Option(metavar="TAG", help="Remove a tag (repeatable).", autocompletion=complete_tag)
    ] = None,
    company: Annotated[str | None, typer.Option(metavar="TEXT", help="Company ('' clears it).")] = None,
    position: Annotated[str | None, typer.Option(metavar="TEXT", help="Job title ('' clears it).")] = None,
    nickname: Annotated[str | None, typer.Option(metavar="TEXT", help="What people call them ('' clears it).")] = None,
    email: Annotated[str | None, typer.Option(metavar="ADDRESS", help="Email address ('' clears it).")] = None,
    phone: Annotated[str | None, typer.Option(metavar="NUMBER", help="Phone number ('' clears it).")] = None,
    note: Annotated[str | None, typer.Option(metavar="TEXT", help="Replace the note ('' clears it).")] = None,
    every: Annotated[str | None, typer.Option(metavar="DAYS", help="Keep in touch every DAYS days (0 stops).")] = None,
    child_of: ChildOf = None,
    spouse_of: SpouseOf = None,
    no_year: NoYear = False,
    new: Annotated[
        bool, typer.Option("--new", help="Rename them even though someone else bears the new name (a namesake).")
    ] = False,
) -> None:
    """Change a person's details or key dates; changing a date replaces it."""
    from servant_cli.services.family import FamilyChange
    from servant_cli.services.people import Change, edit_person

    fields = _edited_fields(name, company, position, nickname, email, phone, note, every)
    added_tags = check_tags(tag)
    removed_tags = check_tags(untag)
    both = [t for t in added_tags if fold(t) in {fold(r) for r in removed_tags}]
    if both:
        raise BadInput(f"--tag and --untag both name {both[0]!r}; choose one")
    occasions = parse_key_dates(ctx, birthday, anniversary, work_anniversary, client_since, custom)
    if no_year and not occasions:
        raise BadInput("--no-year goes with a date typed without its year, e.g. --birthday 'Dec 9' --no-year")
    check_no_year(no_year, occasions)
    change = Change(
        fields,
        occasions=occasions,
        no_year=no_year,
        namesake=new,
        drop=drop or [],
        add_tags=added_tags,
        remove_tags=removed_tags,
        family=FamilyChange(child_of or [], spouse_of),
    )
    edited = edit_person(open_store(ctx), person, change)
    render.write(
        render.edit_report(
            edited.before,
            edited.after,
            edited.fields,
            edited.occasions,
            edited.replaced,
            edited.dropped,
            edited.retagged,
        )
    )
    if edited.missing_tags:
        missing = render.clean(", ".join(edited.missing_tags))
        remark(f"{render.clean(edited.before.name)} had no tag {missing} to remove.")
    remark_namesakes(edited.after.name, edited.namesakes, "there is someone else called")


def _edited_fields(
    name: str | None,
    company: str | None,
    position: str | None,
    nickname: str | None,
    email: str | None,
    phone: str | None,
    note: str | None,
    every: str | None,
) -> dict[str, Any]:
    """The person fields ``edit`` was given, checked ('' clears a field)."""
    fields: dict[str, Any] = {}
    if name is not None:
        fields["name"] = check_name(name, "--name")
    for key, option, value in (
        ("company", "--company", company),
        ("position", "--position", position),
        ("nickname", "--nickname", nickname),
        ("phone", "--phone", phone),
    ):
        if value is not None:
            fields[key] = check_text(option, value)
    if email is not None:
        fields["email"] = check_email("--email", email)
    if note is not None:
        fields["notes"] = check_text("--note", note, notes=True)
    if every is not None:
        fields["every_days"] = check_count("--every", every, 0, MAX_DAYS) or None
    return fields


def rm(
    ctx: typer.Context,
    person: PersonArgument,
    yes: YesOption = False,
) -> None:
    """Remove a person with their key dates, gestures and gift ideas (it asks first)."""
    store = open_store(ctx)
    who = store.find_person(person)
    counts = store.removal_counts(who.id)
    goes = [plural(n, what) for what, n in counts.items() if n or what == "key date"]
    what = (
        f"{render.clean(who.name)} (#{who.id}) and "
        + ", ".join(goes[:-1])
        + (" and " if len(goes) > 1 else "")
        + goes[-1]
    )
    if not yes:
        confirm(f"Remove {what}?")
    store.remove_person(who.id)
    render.write(f"Removed {what}.")


def list_people(
    ctx: typer.Context,
    tag: TagFilter = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List everyone, by name."""
    tags = check_tags(tag)
    # Without --json, list prints only the id, name, company and tags.
    people = open_store(ctx).people(tags=tags, light=not as_json)
    if as_json:
        sys.stdout.write(render.people_json(people))
    else:
        render.show_people(people, tags)


#: The gestures ``show`` lists without ``--all``: the latest.
SHOWN_GESTURES = 20


def show(
    ctx: typer.Context,
    person: PersonArgument,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, with every gesture.")] = False,
    all_: Annotated[
        bool, typer.Option("--all", help=f"List every gesture, not only the latest {SHOWN_GESTURES}.")
    ] = False,
    from_: FromOption = None,
) -> None:
    """A person's profile: details, each key date, its next occurrence and the years then,
    gift ideas, and the latest gestures (every one with --all or --json)."""
    from servant_cli.agenda import judging, key_dates
    from servant_cli.services.memory import date_history

    today = today_of(ctx, from_)
    store = open_store(ctx)
    settings = settings_of(ctx)
    who: Person = store.find_person(person)
    occasions = store.occasions_of(who.id)
    keys = key_dates(occasions, today, settings.feb29)
    shown = None if all_ or as_json else SHOWN_GESTURES
    earlier = 0 if shown is None else max(0, store.gesture_count(who.id) - shown)
    # Read and written one at a time, each with the link it counts by (one an earlier
    # version logged undecided is judged as it is read).
    gestures = judging(
        store.person_gestures(who.id, shown),
        {who.id: occasions},
        store.decided_from(),
        settings.lead_days,
        settings.feb29,
    )
    history = date_history(store, who, keys, settings)
    memory = render.Memory(store.kin_of(who.id), gestures, store.ideas(who.id, used=True), earlier, history)
    if as_json:
        render.write_profile_json(who, keys, memory)
    else:
        render.show_profile(who, keys, today, memory)
