"""People: the list, a profile, and what a change stored."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from servant_cli.agenda import history_dicts, history_phrase, years_phrase
from servant_cli.dates import PartialDate, Rule, format_day, relative_day, stored_day, stored_rule
from servant_cli.models import KIND_LABELS, Gesture, Idea, KeyDate, Kin, Occasion, Past, Person, many_records
from servant_cli.render.memory import gesture_dict
from servant_cli.render.terminal import (
    TABLE_ROWS,
    Aligned,
    batched,
    columns,
    json_lines,
    plain_output,
    print_long,
    rich_console,
    write,
    write_json,
    write_lines,
)
from servant_cli.store.rows import NewOccasion
from servant_cli.text import clean, plural


def person_dict(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "nickname": person.nickname,
        "company": person.company,
        "position": person.position,
        "email": person.email,
        "phone": person.phone,
        "tags": list(person.tags),
        "notes": person.notes,
        "every_days": person.every_days,
        "connected_on": person.connected_on,
    }


def people_json(people: Sequence[Person]) -> str:
    """``to_json`` of everyone's ``person_dict``, made a person at a time (``json_lines``)."""
    return "".join(json_lines(map(person_dict, people)))


def _people_rows(people: Sequence[Person]) -> list[tuple[str, str, str, str]]:
    """Each person's cells (id, name, company, tags), cleaned for a terminal: a column at a
    time, since most columns need no cleaning (checked at once), and most people share a
    few tag sets."""
    said: dict[tuple[str, ...], str] = {}
    tags_said = [said[p.tags] if p.tags in said else said.setdefault(p.tags, ", ".join(p.tags)) for p in people]
    return list(
        zip(
            [f"#{p.id}" for p in people],
            _cleaned([p.name for p in people]),
            _cleaned([p.company or "" for p in people]),
            _cleaned(tags_said),
            strict=True,
        )
    )


def _cleaned(cells: list[str]) -> list[str]:
    """``clean`` each of ``cells``: the usual column, all printable, checked at once."""
    return cells if "".join(cells).isprintable() else [clean(cell) for cell in cells]


def show_people(people: Sequence[Person], tags: Sequence[str] = ()) -> None:
    if not people and tags:
        write(f"No one has the tag {clean(' or '.join(tags))}.")
        return
    if not people:
        write("No people yet. Add someone with: servant add NAME --birthday DATE")
        return
    with many_records():
        rows = _people_rows(people)
        if plain_output():
            sys.stdout.write(columns(rows))
            return
    if len(rows) > TABLE_ROWS:
        print_long(None, columns(rows))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold")
    for heading in ("ID", "Name", "Company", "Tags"):
        table.add_column(heading)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    rich_console().print(table)


def key_date_dict(key: KeyDate) -> dict[str, Any]:
    occasion = key.occasion
    return {
        "id": occasion.id,
        "kind": occasion.kind,
        "label": occasion.title,
        "date": None if occasion.rule else PartialDate(occasion.month, occasion.day, occasion.year).iso(),
        "rule": str(stored_rule(occasion.rule)) if occasion.rule else None,
        "yearly": occasion.yearly,
        "lead_days": occasion.lead_days,
        "plan": occasion.plan,
        "next": key.next.isoformat() if key.next else None,
        "years": key.years if key.years is not None and key.years >= 1 else None,
    }


def occasion_extras(occasion: Occasion) -> str:
    """What else is set on a key date: "plan: card, remind 10 days ahead, one-off"."""
    extras = []
    if occasion.plan:
        extras.append(f"plan: {clean(occasion.plan)}")
    if occasion.lead_days is not None:
        extras.append(f"remind {plural(occasion.lead_days, 'day')} ahead")
    if not occasion.yearly:
        extras.append("one-off")
    return ", ".join(extras)


def key_date_line(key: KeyDate, today: date) -> tuple[str, str, str, str]:
    """("Birthday", "14 March 1985", "Sun 14 Mar 2027, in 112 days — turns 42", "plan: card")."""
    occasion = key.occasion
    stored = str(stored_day(occasion.month, occasion.day, occasion.year, occasion.rule))
    if key.next is None:
        when = "passed"
    else:
        when = f"{format_day(key.next)}, {relative_day(key.next, today).lower()}"
        phrase = years_phrase(occasion, key.years)
        if phrase:
            when += f" — {phrase}"
    return clean(occasion.title), stored, when, occasion_extras(occasion)


class Memory(NamedTuple):
    """What ``show`` tells besides the dates: family both ways, gestures, gift ideas."""

    family: Sequence[Kin] = ()
    #: Newest first; read once, as they are written (a person may have 300,000).
    gestures: Iterable[Gesture] = ()
    ideas: Sequence[Idea] = ()
    #: How many earlier gestures are not in ``gestures`` (``show`` without ``--all``).
    earlier: int = 0
    #: What was done for each key date in earlier years, by occasion id.
    history: Mapping[int, Sequence[Past]] = {}


NO_MEMORY = Memory()
_FACTS = (("parent", "Child of"), ("spouse", "Spouse"), ("child", "Children"))


def family_dicts(person: Person, memory: Memory) -> list[dict[str, Any]]:
    """The family both ways, each named from this person's side: parent, child, spouse;
    a relation kept as text has no id and its label as given."""
    return [{"id": kin.person_id, "name": kin.name, "relation": kin.relation} for kin in memory.family]


def write_profile_json(person: Person, keys: Sequence[KeyDate], memory: Memory = NO_MEMORY) -> None:
    """``show --json``: every gesture, written as it is read."""
    data = person_dict(person)
    data["dates"] = [
        {**key_date_dict(key), "history": history_dicts(memory.history.get(key.occasion.id, ()))} for key in keys
    ]
    titles = {key.occasion.id: key.occasion.title for key in keys}
    data["family"] = family_dicts(person, memory)
    data["gestures"] = None  # written in its place from memory.gestures
    data["ideas"] = [{"id": i.id, "text": i.text, "used": i.used.isoformat() if i.used else None} for i in memory.ideas]
    write_json(data, "gestures", (gesture_dict(g, titles) for g in memory.gestures))


def _family_facts(person: Person, memory: Memory) -> list[tuple[str, str]]:
    facts = []
    for relation, title in _FACTS:
        members = [kin for kin in memory.family if kin.person_id is not None and kin.relation == relation]
        if members:
            facts.append((title, ", ".join(f"{clean(kin.name)} (#{kin.person_id})" for kin in members)))
    kept = [kin for kin in memory.family if kin.person_id is None]
    if kept:
        facts.append(
            ("Relations", ", ".join(f"{clean(kin.name)} ({clean(kin.relation)})" for kin in kept) + ", not in servant")
        )
    return facts


def _memory_lines(keys: Sequence[KeyDate], memory: Memory) -> Iterator[str]:
    """Gift ideas, then the gestures, newest first, as plain lines, made as the gestures
    are read; then how many earlier ones were left out."""
    titles = {key.occasion.id: key.occasion.title for key in keys}
    waiting = [i for i in memory.ideas if i.used is None]
    if waiting:
        yield "\n  Gift ideas\n"
        yield columns([(f"  #{i.id}", clean(i.text)) for i in waiting])
    rows = Aligned((_gesture_row(g, titles), "") for g in memory.gestures)
    if rows.count:
        yield "\n  Gestures, newest first\n"
        for line, _ in rows.lines():
            yield line
    if memory.earlier:
        gestures, them = ("gestures", "them") if memory.earlier > 1 else ("gesture", "it")
        yield f"  … and {memory.earlier:,} earlier {gestures}; --all shows {them}\n"


def _gesture_row(g: Gesture, titles: Mapping[int, str]) -> tuple[str, str, str, str]:
    what = clean(g.what or "")
    if g.cost:
        what += f" ({clean(g.cost)})"
    title = titles.get(g.occasion_id) if g.occasion_id is not None else None
    if title is not None:
        what += f" — for {clean(title)}"
    return (f"  #{g.id}", format_day(g.on), clean(g.kind), what.strip())


def _day_in_words(text: str | None) -> str | None:
    """A stored ISO day as ``show`` writes dates ("14 December 2023"); anything else as it is."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return str(PartialDate(day.month, day.day, day.year))


def _lines(text: str | None) -> str:
    """Text of several lines (a note) made safe for a terminal line by line: the line
    breaks stay, every other control character is neutralised as ``clean`` does."""
    return "\n".join(clean(line) for line in text.split("\n")) if text else ""


def show_profile(person: Person, keys: Sequence[KeyDate], today: date, memory: Memory = NO_MEMORY) -> None:
    facts = [
        # Only a note keeps its line breaks; every other value is one line.
        (label, _lines(value) if label == "Notes" else clean(value))
        for label, value in (
            ("Nickname", person.nickname),
            ("Company", person.company),
            ("Position", person.position),
            ("Email", person.email),
            ("Phone", person.phone),
            ("Tags", ", ".join(person.tags)),
            ("Notes", person.notes),
            ("Keep in touch", f"every {person.every_days} days" if person.every_days else None),
            ("Connected on", _day_in_words(person.connected_on)),
            *_family_facts(person, memory),
        )
        if value
    ]
    dates = [key_date_line(key, today) for key in keys]
    if plain_output():
        out = [f"{clean(person.name)} (#{person.id})\n"]
        if facts:
            # A note of several lines takes as many, each under the first.
            rows = [
                (f"  {label}" if number == 0 else "", line)
                for label, value in facts
                for number, line in enumerate(value.split("\n"))
            ]
            out.append(columns(rows))
        out.append("\n  Key dates\n" if dates else "\n  No key dates yet.\n")
        if dates:
            lines = columns(
                [
                    (f"  {title}", stored, f"{when} ({extras})" if extras else when)
                    for title, stored, when, extras in dates
                ]
            ).splitlines()
            for key, line in zip(keys, lines, strict=True):
                out.append(line + "\n")
                past = memory.history.get(key.occasion.id)
                if past:  # under the date, what was done for it before
                    out.append(f"    Last years: {clean(history_phrase(past))}\n")
        sys.stdout.write("".join(out))
        write_lines(_memory_lines(keys, memory))
        return
    from rich.table import Table
    from rich.text import Text

    console = rich_console()
    console.print(Text.assemble((clean(person.name), "bold"), f" (#{person.id})"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    for label, value in facts:
        grid.add_row(label, Text(value))
    console.print(grid)
    console.print()
    if dates:
        table = Table(title="Key dates", title_justify="left", header_style="bold")
        shown = 4 if any(row[3] for row in dates) else 3  # the Plan column only when some date has one
        for heading in ("Occasion", "Date", "Next", "Plan")[:shown]:
            table.add_column(heading)
        if memory.history:  # the column only when some date has a history
            table.add_column("Last years")
        for key, row in zip(keys, dates, strict=True):
            past = memory.history.get(key.occasion.id, ())
            # A year a line: a narrow column wraps less in the middle of one.
            years = "\n".join(clean(history_phrase([year])) for year in past)
            cells = row[:shown] + ((years,) if memory.history else ())
            table.add_row(*(Text(cell) for cell in cells))
        console.print(table)
    else:
        console.print("No key dates yet.")
    # Printed some hundred lines at a time; each part ends with its line end, as the
    # whole did (Rich's own line end stood for the last one).
    for part in batched(_memory_lines(keys, memory), 512):
        console.print(Text("".join(part)), end="")


def stored_line(title: str, when: PartialDate | Rule | str) -> str:
    """One echoed key date: "  Birthday: 14 March 1985"."""
    return f"  {clean(title)}: {when}"


def date_report(who: Person, stored: Occasion, previous: Occasion | None) -> str:
    """What ``servant date`` did: added, changed (old beside new) or nothing."""
    when = stored_day(stored.month, stored.day, stored.year, stored.rule)
    whose = f"{clean(who.name)}'s {clean(stored.title)}"
    extras = occasion_extras(stored)
    if previous is None:
        return f"Added {whose}: {when}" + (f" ({extras})" if extras else "")
    if stored == previous:
        return f"No change to {whose}: {when}" + (f" ({extras})" if extras else "")
    was = stored_day(previous.month, previous.day, previous.year, previous.rule)
    if str(was) != str(when):
        return f"Changed {whose}: {was} → {when}" + (f" ({extras})" if extras else "")
    return f"Changed {whose} ({when}): {extras or 'nothing set'} (was: {occasion_extras(previous) or 'nothing set'})"


def edit_report(
    before: Person,
    after: Person,
    fields: Mapping[str, Any],
    occasions: Sequence[NewOccasion],
    replaced: Mapping[tuple[str, str], Occasion],
    dropped: Sequence[Occasion],
    retagged: bool,
) -> str:
    """What ``servant edit`` changed, each change on its own line, old dates beside new;
    "No change to …" when everything given was already so."""
    lines = []
    if after.name != before.name:
        lines.append(f"  Name: {clean(after.name)} (was {clean(before.name)})")
    for label, key in (
        ("Nickname", "nickname"),
        ("Company", "company"),
        ("Position", "position"),
        ("Email", "email"),
        ("Phone", "phone"),
        ("Note", "notes"),
    ):
        if key in fields and getattr(after, key) != getattr(before, key):
            lines.append(f"  {label}: {clean(getattr(after, key) or '') or '(cleared)'}")
    if after.every_days != before.every_days:
        every_days = after.every_days
        lines.append(f"  Keep in touch: {f'every {every_days} days' if every_days else '(off)'}")
    if after.family != before.family:
        was = f" (was {clean(before.family)})" if before.family else ""
        lines.append(f"  Family: {clean(after.family or '(none)')}{was}")
    for new in occasions:
        old = replaced.get((new.kind, new.label.casefold() if new.kind == "custom" else ""))
        line = stored_line(KIND_LABELS.get(new.kind, new.label), stored_day(new.month, new.day, new.year, new.rule))
        if old is not None:
            line += f" (was {stored_day(old.month, old.day, old.year, old.rule)})"
        lines.append(line)
    for occasion in dropped:
        lines.append(f"  Removed {clean(occasion.title)}")
    if retagged and after.tags != before.tags:
        lines.append(f"  Tags: {clean(', '.join(after.tags)) or '(none)'}")
    lines.insert(0, f"{'Updated' if lines else 'No change to'} {clean(after.name)} (#{after.id})")
    return "\n".join(lines)
