"""``servant find``: the people found and what of theirs matched — a table on a terminal,
aligned lines piped, JSON for scripts."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from servant_cli.models import Person
from servant_cli.render.people import person_dict
from servant_cli.render.terminal import TABLE_ROWS, columns, plain_output, print_long, rich_console, to_json, write
from servant_cli.store.search import Match
from servant_cli.text import clean, key_span, search_key

Found = Sequence[tuple[Person, Sequence[Match]]]
#: How much of a note is shown on either side of what matched.
NOTE_CONTEXT = 30


def found_json(found: Found) -> str:
    """Each person as ``list --json`` has them, with ``matches``: the field and its text."""
    return to_json(
        [
            {**person_dict(person), "matches": [{"field": m.field, "text": m.text} for m in held]}
            for person, held in found
        ]
    )


def nothing_found(text: str, tags: Sequence[str]) -> str:
    who = f"No one with the tag {' or '.join(tags)}" if tags else "No one"
    return clean(f"{who} matches {text!r}.")


def excerpt(text: str, key: str) -> tuple[str, tuple[int, int] | None]:
    """One line of ``text`` to show, and where in it ``key`` matched: the whole text, or
    for a long one (a note) the match with some words either side, cut with "…"."""
    line = clean(text)  # one character for one: a span in ``text`` is the same in ``line``
    span = key_span(line, key)
    if span is None or len(line) <= 2 * NOTE_CONTEXT + span[1] - span[0]:
        return line, span
    start, end = max(0, span[0] - NOTE_CONTEXT), min(len(line), span[1] + NOTE_CONTEXT)
    while start < span[0] and line[start] == " ":  # no space after the "…"
        start += 1
    while end > span[1] and line[end - 1] == " ":
        end -= 1
    lead = "…" if start else ""
    shown = lead + line[start:end] + ("…" if end < len(line) else "")
    at = span[0] - start + len(lead)
    return shown, (at, at + span[1] - span[0])


def _why(held: Sequence[Match], key: str) -> list[tuple[str, tuple[int, int] | None]]:
    """What matched, one entry a field ("company: Acme"), with the match's place in it; a
    match in the name says only "name" (the name is beside it)."""
    told: list[tuple[str, tuple[int, int] | None]] = []
    for match in held:
        if match.field == "name":
            told.append(("name", None))
            continue
        text, span = excerpt(match.text, key)
        label = f"{'tag' if match.field == 'tags' else match.field}: "
        told.append((label + text, (span[0] + len(label), span[1] + len(label)) if span else None))
    return told


def show_found(found: Found, text: str, tags: Sequence[str] = ()) -> None:
    """The people found: a Rich table on a terminal (the match in bold), else aligned lines."""
    if not found:
        write(nothing_found(text, tags))
        return
    key = search_key(text)
    whys = [_why(held, key) for _, held in found]
    rows = [
        (f"#{person.id}", clean(person.name), "; ".join(told for told, _ in why))
        for (person, _), why in zip(found, whys, strict=True)
    ]
    if plain_output():
        sys.stdout.write(columns(rows))
        return
    if len(rows) > TABLE_ROWS:
        print_long(None, columns(rows))
        return
    from rich.table import Table
    from rich.text import Text

    def marked(shown: str, span: tuple[int, int] | None) -> Text:
        cell = Text(shown)
        if span:
            cell.stylize("bold yellow", *span)
        return cell

    table = Table(header_style="bold")
    for heading in ("ID", "Name", "Matched"):
        table.add_column(heading)
    for (person, _), why in zip(found, whys, strict=True):
        name = clean(person.name)
        matched = Text("\n").join(marked(told, span) for told, span in why)
        table.add_row(f"#{person.id}", marked(name, key_span(name, key)), matched)
    rich_console().print(table)
