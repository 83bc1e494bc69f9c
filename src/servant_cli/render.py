"""Everything servant prints: Rich on a terminal, plain text for pipes and cron, JSON, CSV.

Rich is imported only inside the functions that draw on a terminal, so piped output
(cron, scripts, the benchmark) never pays for it. Stored text is shown through
``clean()``: a name cannot carry escape sequences to the terminal, and Rich markup in
a name is shown as typed (cells are ``Text``, never markup).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from servant_cli.agenda import as_dict, describe, notes_of, years_phrase
from servant_cli.dates import PartialDate, format_day, relative_day
from servant_cli.models import Gesture, Idea, KeyDate, Occasion, Person, Upcoming
from servant_cli.text import clean, plural

if TYPE_CHECKING:
    from servant_cli.digest import Digest

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Above this many rows a terminal gets aligned lines instead of a table: Rich measures
#: every cell of a table (about 0.25 ms a row), so 10,000 people would take seconds.
TABLE_ROWS = 200


def plain_output(stream: IO[str] | None = None) -> bool:
    """Plain text when not on a terminal, or when NO_COLOR or TERM=dumb asks for it.

    FORCE_COLOR (any value, as https://force-color.org has it, and as Rich reads it)
    asks for the terminal look even when piped, e.g. into ``less -R``; NO_COLOR wins.
    """
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return True
    if os.environ.get("FORCE_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return not (isatty and isatty())


def write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def _columns(rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns separated by two spaces; the last column is not padded.

    A column that is empty in every row is left out, so it does not leave a double gap.
    """
    if not rows:
        return ""
    shown = [i for i in range(len(rows[0])) if any(row[i] for row in rows)]
    rows = [[row[i] for i in shown] for row in rows]
    if not rows[0]:
        return "\n" * len(rows)
    # len() is the width of ASCII text; cell_width() is called only for the rest.
    columns = list(zip(*rows, strict=True))[:-1]
    widths = [max(len(c) if c.isascii() else cell_width(c) for c in column) for column in columns]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if cell.isascii() else cell + " " * (width - cell_width(cell))
            for cell, width in zip(row, widths, strict=False)
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def aligned(rows: Sequence[Sequence[str]]) -> str:
    """Rows as plain lines with their columns aligned (two spaces between)."""
    return _columns(rows)


def cell_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK, most emoji) count two, accents none."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
    )


# -- upcoming ------------------------------------------------------------------------


def _next_days(days: int) -> str:
    """ "the next 30 days", "the next day"."""
    return "the next day" if days == 1 else f"the next {plural(days, 'day')}"


def nothing_upcoming(today: date, days: int) -> str:
    if days == 0:
        return f"Nothing today ({format_day(today)})."
    from datetime import timedelta

    return f"Nothing coming up in {_next_days(days)} (to {format_day(today + timedelta(days=days))})."


def upcoming_rows(items: Sequence[Upcoming], today: date) -> list[tuple[str, str, str, str]]:
    days: dict[date, tuple[str, str]] = {}
    rows = []
    for item in items:
        day = days.get(item.date)
        if day is None:
            day = days[item.date] = (relative_day(item.date, today), format_day(item.date))
        what = " · ".join([describe(item.occasion, item.years), *notes_of(item)])
        rows.append((*day, clean(item.person.name), clean(what)))
    return rows


def show_upcoming(items: Sequence[Upcoming], today: date, days: int) -> None:
    """The upcoming list: a Rich table on a terminal, aligned plain text otherwise."""
    if not items:
        write(nothing_upcoming(today, days))
        return
    rows = upcoming_rows(items, today)
    if plain_output():
        sys.stdout.write(_columns(rows))
        return
    title = f"Coming up: {'today' if days == 0 else _next_days(days)}"
    styles = ["bold yellow" if item.days_until == 0 else ("yellow" if item.days_until <= 7 else "") for item in items]
    if len(rows) > TABLE_ROWS:
        _print_long(title, _columns(rows), styles)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", header_style="bold")
    for heading in ("When", "Date", "Who", "Occasion"):
        table.add_column(heading)
    for row, style in zip(rows, styles, strict=True):
        table.add_row(*(Text(cell) for cell in row), style=style)
    _console().print(table)


def _print_long(title: str | None, text: str, styles: Sequence[str] = ()) -> None:
    """A list too long for a table, on a terminal: aligned lines, each with its style."""
    from rich.text import Text

    out = Text()
    if title:
        out.append(title + "\n", style="italic")
    for line, style in itertools.zip_longest(text.splitlines(keepends=True), styles, fillvalue=""):
        out.append(line, style=style)
    _console().print(out, end="", soft_wrap=True)


def upcoming_json(items: Sequence[Upcoming]) -> str:
    return to_json([as_dict(item) for item in items])


_C1 = re.compile(r"[\x7f-\x9f]")


def to_json(data: Any) -> str:
    """JSON as servant prints it: readable text, but DEL and the C1 controls (U+0080 to
    U+009F; some terminals take U+009B for an escape) written as ``\\u009b``. They can
    only be inside strings, where the escape means the same."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if text.isascii():
        return text
    return _C1.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def csv_safe(value: Any) -> Any:
    """Neutralise a cell a spreadsheet would run as a formula (leading = + - @)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def upcoming_csv(items: Sequence[Upcoming]) -> str:
    import csv
    import io

    out = io.StringIO()
    fields = ["date", "days_until", "person", "person_id", "kind", "label", "years", "description", "tags"]
    fields += ["family", "handled", "last_gesture"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for item in items:
        record = as_dict(item)
        record["tags"] = ";".join(record["tags"])  # type: ignore[arg-type]
        record["handled"] = "yes" if item.handled else ""
        record["last_gesture"] = str(item.last) if item.last else ""
        writer.writerow(
            {key: csv_safe(clean(value) if isinstance(value, str) else value) for key, value in record.items()}
        )
    return out.getvalue()


# -- people --------------------------------------------------------------------------


def person_dict(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
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
    return to_json([person_dict(p) for p in people])


def show_people(people: Sequence[Person], tags: Sequence[str] = ()) -> None:
    if not people and tags:
        write(f"No one has the tag {clean(' or '.join(tags))}.")
        return
    if not people:
        write("No people yet. Add someone with: servant add NAME --birthday DATE")
        return
    rows = [(f"#{p.id}", clean(p.name), clean(p.company), clean(", ".join(p.tags))) for p in people]
    if plain_output():
        sys.stdout.write(_columns(rows))
        return
    if len(rows) > TABLE_ROWS:
        _print_long(None, _columns(rows))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold")
    for heading in ("ID", "Name", "Company", "Tags"):
        table.add_column(heading)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    _console().print(table)


def key_date_dict(key: KeyDate) -> dict[str, Any]:
    occasion = key.occasion
    return {
        "id": occasion.id,
        "kind": occasion.kind,
        "label": occasion.title,
        "date": PartialDate(occasion.month, occasion.day, occasion.year).iso(),
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
        extras.append(f"plan: {occasion.plan}")
    if occasion.lead_days is not None:
        extras.append(f"remind {plural(occasion.lead_days, 'day')} ahead")
    if not occasion.yearly:
        extras.append("one-off")
    return ", ".join(extras)


def key_date_line(key: KeyDate, today: date) -> tuple[str, str, str, str]:
    """("Birthday", "14 March 1985", "Sun 14 Mar 2027, in 112 days — turns 42", "plan: card")."""
    occasion = key.occasion
    stored = str(PartialDate(occasion.month, occasion.day, occasion.year))
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

    family: Sequence[Person] = ()
    gestures: Sequence[Gesture] = ()
    ideas: Sequence[Idea] = ()


NO_MEMORY = Memory()
_PLURAL = {"child": "Children", "spouse": "Spouse"}


def family_dicts(person: Person, memory: Memory) -> list[dict[str, Any]]:
    """The family both ways, each named from this person's side: parent, child, spouse."""
    found = []
    if person.related_id is not None and person.relation:
        side = "parent" if person.relation == "child" else person.relation
        found.append({"id": person.related_id, "name": person.related_name, "relation": side})
    for member in memory.family:
        found.append({"id": member.id, "name": member.name, "relation": member.relation})
    return found


def profile_json(person: Person, keys: Sequence[KeyDate], memory: Memory = NO_MEMORY) -> str:
    data = person_dict(person)
    data["dates"] = [key_date_dict(key) for key in keys]
    titles = {key.occasion.id: key.occasion.title for key in keys}
    data["family"] = family_dicts(person, memory)
    data["gestures"] = [
        {
            "id": g.id,
            "date": g.on.isoformat(),
            "kind": g.kind,
            "what": g.what,
            "cost": g.cost,
            "for": titles.get(g.occasion_id) if g.occasion_id else None,
            "for_date": g.for_date.isoformat() if g.for_date else None,
        }
        for g in memory.gestures
    ]
    data["ideas"] = [{"id": i.id, "text": i.text, "used": i.used.isoformat() if i.used else None} for i in memory.ideas]
    return to_json(data)


def _family_facts(person: Person, memory: Memory) -> list[tuple[str, str]]:
    facts = []
    if person.related_id is not None and person.relation and person.related_name:
        facts.append((f"{person.relation.capitalize()} of", f"{person.related_name} (#{person.related_id})"))
    for relation in ("child", "spouse"):
        members = [m for m in memory.family if m.relation == relation]
        if members:
            facts.append((_PLURAL[relation], ", ".join(f"{m.name} (#{m.id})" for m in members)))
    return facts


def _memory_lines(keys: Sequence[KeyDate], memory: Memory) -> list[str]:
    """Gift ideas, then the gestures, newest first, as plain lines."""
    titles = {key.occasion.id: key.occasion.title for key in keys}
    out = []
    waiting = [i for i in memory.ideas if i.used is None]
    if waiting:
        out.append("\n  Gift ideas\n")
        out.append(_columns([(f"  #{i.id}", clean(i.text)) for i in waiting]))
    if memory.gestures:
        out.append("\n  Gestures, newest first\n")
        rows = []
        for g in memory.gestures:
            what = clean(g.what or "")
            if g.cost:
                what += f" ({g.cost})"
            if g.occasion_id in titles:
                what += f" — for {clean(titles[g.occasion_id])}"
            rows.append((f"  {format_day(g.on)}", g.kind, what.strip()))
        out.append(_columns(rows))
    return out


def show_profile(person: Person, keys: Sequence[KeyDate], today: date, memory: Memory = NO_MEMORY) -> None:
    facts = [
        (label, clean(value))
        for label, value in (
            ("Company", person.company),
            ("Position", person.position),
            ("Email", person.email),
            ("Phone", person.phone),
            ("Tags", ", ".join(person.tags)),
            ("Notes", person.notes),
            ("Keep in touch", f"every {person.every_days} days" if person.every_days else None),
            ("Connected on", person.connected_on),
            *_family_facts(person, memory),
        )
        if value
    ]
    dates = [key_date_line(key, today) for key in keys]
    if plain_output():
        out = [f"{clean(person.name)} (#{person.id})\n"]
        if facts:
            out.append(_columns([(f"  {label}", value) for label, value in facts]))
        out.append("\n  Key dates\n" if dates else "\n  No key dates yet.\n")
        if dates:
            out.append(
                _columns(
                    [
                        (f"  {title}", stored, f"{when} ({extras})" if extras else when)
                        for title, stored, when, extras in dates
                    ]
                )
            )
        out += _memory_lines(keys, memory)
        sys.stdout.write("".join(out))
        return
    from rich.table import Table
    from rich.text import Text

    console = _console()
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
        for row in dates:
            table.add_row(*(Text(cell) for cell in row[:shown]))
        console.print(table)
    else:
        console.print("No key dates yet.")
    lines = _memory_lines(keys, memory)
    if lines:
        console.print(Text("".join(lines).rstrip("\n")))


# -- digest --------------------------------------------------------------------------

#: Plain text of the digest is wrapped for mail: under the 78 columns of RFC 5322, with
#: room for a reply's "> ".
MAIL_WIDTH = 72
_DIGEST_STYLES = {"today": "bold yellow", "act-now": "yellow", "coming-up": ""}
_KEEP = "\u00a0"  # digest.KEEP (digest is imported here for type hints only)


def digest_text(digest: Digest, width: int = MAIL_WIDTH) -> str:
    """The digest as plain text (for pipes, cron and the mail body), lines wrapped at ``width``."""
    import textwrap

    out = [clean(digest.title), ""]
    for section in digest.sections:
        out.append(section.heading)
        for line in section.lines:
            # textwrap breaks only at ASCII spaces: the no-break spaces that hold a
            # day's words together are made plain after wrapping.
            wrapped = textwrap.wrap(
                clean(line),
                width,
                initial_indent="- ",
                subsequent_indent="  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
            out.extend(part.replace(_KEEP, " ") for part in wrapped)
        out.append("")
    return "\n".join(out[:-1]) + "\n"


def digest_html(digest: Digest) -> str:
    """The digest as a small HTML page, the mail's alternative to the plain text."""
    from html import escape

    parts = [
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>',
        f"<p><strong>{escape(clean(digest.title))}</strong></p>",
    ]
    for section in digest.sections:
        parts.append(f"<h3>{escape(section.heading)}</h3>\n<ul>")
        parts.extend(f"<li>{escape(clean(line).replace(_KEEP, ' '))}</li>" for line in section.lines)
        parts.append("</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def show_digest(digest: Digest) -> None:
    """The digest: headings and highlighted lines on a terminal, plain text otherwise."""
    if plain_output():
        sys.stdout.write(digest_text(digest))
        return
    from rich.text import Text

    out = Text()
    out.append(clean(digest.title) + "\n", style="italic")
    for section in digest.sections:
        out.append("\n" + section.heading + "\n", style="bold")
        style = _DIGEST_STYLES.get(section.key, "")
        for line in section.lines:
            out.append("• ", style="dim")
            out.append(clean(line).replace(_KEEP, " ") + "\n", style=style)
    _console().print(out, end="")
