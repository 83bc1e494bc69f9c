"""What an import did: who was added, which fields changed, which were in conflict.

On a terminal a table, piped plain lines, ``--json`` everything for scripts. Each list
on a terminal or a pipe stops at ``LIST_AT_MOST`` lines and says how many more there
are, so a first import of 10,000 cards is a few lines, not 10,000; the JSON has them all.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import Any

from servant_cli.importers.matching import ADDED, ImportResult, PersonReport
from servant_cli.importers.membership import Left, shown_folder
from servant_cli.importers.reconcile import CHANGED, KEPT, TAKEN, DateValue, FieldChange
from servant_cli.models import FamilyNote, relation_kind
from servant_cli.render.terminal import plain_output, rich_console, to_json
from servant_cli.text import clean, plural

#: Lines each list (conflicts, changes, people added) shows before "… and N more".
LIST_AT_MOST = 20
#: A value longer than this is cut in a line (notes): the JSON has it whole.
VALUE_WIDTH = 60

#: How each outcome is said, done and (in a dry run) to be done.
_SAID = {
    KEPT: (
        "kept your {field} for {who}; the file now says {file}",
        "would keep your {field} for {who}; the file now says {file}",
    ),
    TAKEN: (
        "took the file's {field} for {who}: {file} (yours was {was})",
        "would take the file's {field} for {who}: {file} (yours was {was})",
    ),
    CHANGED: ("changed {field} for {who}: {now} (was {was})", "would change {field} for {who}: {now} (was {was})"),
    ADDED: ("added {field} for {who}: {now}", "would add {field} for {who}: {now}"),
}
#: The first column of the terminal's table.
_TABLE_WORD = {
    KEPT: ("kept yours", "would keep yours"),
    TAKEN: ("took the file's", "would take the file's"),
    CHANGED: ("changed", "would change"),
    ADDED: ("added", "would add"),
}
_STYLE = {KEPT: "yellow", TAKEN: "yellow"}


def shown(value: Any) -> str:
    """A field's value in one line: tags joined, a date in words, long text cut."""
    if value is None or value == ():
        return "none"
    if isinstance(value, DateValue):  # a NamedTuple: before the tags' tuple
        text = str(value)
    elif isinstance(value, tuple):
        text = ", ".join(value)
    elif isinstance(value, int):  # the one number a person has: keep in touch
        text = f"every {plural(value, 'day')}"
    else:
        text = clean(str(value))
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


class _Lists:
    """The report's three lists, in the order a user needs them: conflicts, then
    changed fields, then people added."""

    def __init__(self, result: ImportResult) -> None:
        self.conflicts: list[tuple[PersonReport, FieldChange]] = []
        self.changes: list[tuple[PersonReport, FieldChange]] = []
        self.added: list[PersonReport] = []
        for person in result.people:
            if person.result == ADDED:
                self.added.append(person)
            for change in person.changes:
                (self.conflicts if change.outcome in (KEPT, TAKEN) else self.changes).append((person, change))

    def __iter__(self) -> Iterator[tuple[str, Sequence[Any]]]:
        yield from (("conflicts", self.conflicts), ("changes", self.changes), ("added", self.added))


def _more(what: str, count: int, dry_run: bool) -> str:
    """ "… and 9,980 more people added (--json lists them all)" """
    if what == "added":
        noun, nouns = ("person to add", "people to add") if dry_run else ("person added", "people added")
    else:
        noun, nouns = what[:-1], what
    return f"… and {count:,} more {noun if count == 1 else nouns} (--json lists them all)"


def _line(person: PersonReport, change: FieldChange, dry_run: bool) -> str:
    said = _SAID[change.outcome][dry_run]
    if change.outcome == KEPT and change.was is None:
        said = said.replace("your {field} for {who}", "{who} without a {field}")
    return said.format(
        field=clean(change.label),
        who=clean(person.name),
        was=shown(change.was),
        now=shown(change.now),
        file=shown(change.file),
    )


def _added(person: PersonReport, dry_run: bool) -> str:
    return f"would add {clean(person.name)}" if dry_run else f"added {clean(person.name)} (#{person.id})"


def _family_line(note: FamilyNote, dry_run: bool) -> str:
    """ "linked Frank O'Brien as Ann O'Brien's spouse", or kept as text until he is added."""
    other, who, label = clean(note.other), clean(note.person), clean(note.label)
    if note.other_id is not None:
        return f"{'would link' if dry_run else 'linked'} {other} as {who}'s {label}"
    verb = "would keep" if dry_run else "kept"
    line = f"{verb} {who}'s {label} {other} as text"
    if relation_kind(note.label) in ("spouse", "child", "parent"):
        line += f": no one in servant is {other} (a link once they are added)"
    return line


def import_report(result: ImportResult, *, dry_run: bool) -> None:
    """The people and fields an import added, changed or found in conflict, after its count
    line, then the family it linked or kept as text."""
    lists = _Lists(result)
    if plain_output():
        out = []
        for what, items in lists:
            for item in items[:LIST_AT_MOST]:
                out.append("  " + (_added(item, dry_run) if what == "added" else _line(item[0], item[1], dry_run)))
            if len(items) > LIST_AT_MOST:
                out.append("  " + _more(what, len(items) - LIST_AT_MOST, dry_run))
        out += ["  " + _family_line(note, dry_run) for note in result.family[:LIST_AT_MOST]]
        if len(result.family) > LIST_AT_MOST:
            out.append(f"  … and {len(result.family) - LIST_AT_MOST:,} more relations (--json lists them all)")
        if out:
            sys.stdout.write("\n".join(out) + "\n")
        return
    _table(lists, dry_run)
    if result.family:
        from rich.text import Text

        console = rich_console()
        for note in result.family[:LIST_AT_MOST]:
            console.print(Text(_family_line(note, dry_run)))
        if len(result.family) > LIST_AT_MOST:
            console.print(Text(f"… and {len(result.family) - LIST_AT_MOST:,} more relations", style="italic"))


def _table(lists: _Lists, dry_run: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold")
    for heading in ("", "Person", "Field", "Value", ""):
        table.add_column(heading)
    more = []
    for what, items in lists:
        for item in items[:LIST_AT_MOST]:
            if what == "added":
                word = "would add" if dry_run else "added"
                who = clean(item.name) if dry_run else f"{clean(item.name)} (#{item.id})"
                table.add_row(Text(word), Text(who), Text(""), Text(""), Text("new person"))
                continue
            person, change = item
            side = _side(change)
            table.add_row(
                Text(_TABLE_WORD[change.outcome][dry_run], style=_STYLE.get(change.outcome, "")),
                Text(clean(person.name)),
                Text(clean(change.label)),
                Text(shown(change.now)),
                Text(side, style="dim"),
            )
        if len(items) > LIST_AT_MOST:
            more.append(_more(what, len(items) - LIST_AT_MOST, dry_run))
    console = rich_console()
    if table.rows:
        console.print(table)
    for line in more:
        console.print(Text(line, style="italic"))


def _side(change: FieldChange) -> str:
    """The other value of a row: what servant had, or what the file says."""
    if change.outcome == KEPT:
        return f"the file now says {shown(change.file)}"
    if change.outcome == TAKEN:
        return f"yours was {shown(change.was)}"
    if change.outcome == CHANGED:
        return f"was {shown(change.was)}"
    return ""


def _value(value: Any) -> Any:
    """A value for JSON: a date as text, tags as a list."""
    if isinstance(value, DateValue):
        return value.text()
    if isinstance(value, tuple):
        return list(value)
    return value


def _joined(words: Sequence[str]) -> str:
    """ "a, b and c" """
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else "".join(words)


def _why_kept(who: Left) -> str:
    """ "has 2 gestures and 1 gift idea; is still in ~/.contacts/work" """
    said = [f"has {_joined(who.own)}"] if who.own else []
    if who.elsewhere:
        said.append(f"is still in {_joined([shown_folder(path) for path in who.elsewhere])}")
    return "; ".join(said)


#: What --prune does to a person no longer in the folder: said before it runs (what it
#: would do), in a dry run of it, and done.
_PRUNE_SAID = {
    (False, False): ("remove", "keep", "take"),
    (False, True): ("remove", "keep", "take"),
    (True, True): ("would remove", "would keep", "would take"),
    (True, False): ("removed", "kept", "took"),
}


def _left_line(who: Left, *, pruned: bool, dry_run: bool) -> str:
    """One person no longer in the folder, and what --prune did (or would do) to them."""
    remove, keep, take = _PRUNE_SAID[pruned, dry_run]
    name = f"{clean(who.name)} (#{who.id})"
    if who.removable:
        return f"{remove} {name}"
    line = f"{keep} {name}: {clean(_why_kept(who))}"
    if who.untagged:
        line += f"; {take} {'tag' if len(who.untagged) == 1 else 'tags'} {clean(', '.join(who.untagged))} off"
    return line


def left_report(left: Sequence[Left], folder: Any, *, pruned: bool, dry_run: bool, quiet: bool) -> None:
    """Who is no longer in the folder: a line of counts, then (unless ``quiet``) each of
    them and what --prune did, or would do, to them."""
    where = clean(shown_folder(folder))
    head = f"{plural(len(left), 'contact')} no longer in {where}"
    if pruned:
        removed = sum(who.removable for who in left)
        kept = len(left) - removed
        if dry_run:
            head += f": {removed} to remove, {kept} to keep"
        else:
            head += f": {removed} removed, {kept} kept"
    else:
        head += "; with --prune servant would:"
    out = [head]
    if not quiet:
        out += ["  " + _left_line(who, pruned=pruned, dry_run=dry_run) for who in left[:LIST_AT_MOST]]
        if len(left) > LIST_AT_MOST:
            out.append(f"  … and {len(left) - LIST_AT_MOST:,} more (--json lists them all)")
    sys.stdout.write("\n".join(out) + "\n")


def _left_json(who: Left) -> dict[str, Any]:
    return {
        "id": who.id,
        "name": who.name,
        "file": who.member.file,
        "uid": who.member.uid,
        "result": who.result,
        "removable": who.removable,
        "has": list(who.own),
        "still_in": list(who.elsewhere),
        "untagged": list(who.untagged),
    }


def import_json(
    result: ImportResult,
    *,
    file: str | None,
    format: str,
    dry_run: bool,
    skipped: Sequence[tuple[str, str]],
    folder: str | None = None,
) -> str:
    """Everything an import did, for scripts: counts, every person and field, the records
    skipped; for a folder, who is no longer in it."""
    counts = {
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "skipped": len(skipped),
        "conflicts": result.conflicts,
    }
    extra: dict[str, Any] = {}
    if folder is not None:
        counts["left"] = len(result.left)
        extra["left"] = [_left_json(who) for who in result.left]
    return to_json(
        {
            "file": file,
            **({"folder": folder} if folder is not None else {}),
            "format": format,
            "dry_run": dry_run,
            "counts": counts,
            "people": [
                {
                    "id": None if dry_run and person.result == ADDED else person.id,
                    "name": person.name,
                    "result": person.result,
                    "fields": [
                        {
                            "field": change.field,
                            "label": change.label,
                            "result": change.outcome,
                            "was": _value(change.was),
                            "now": _value(change.now),
                            "file": _value(change.file),
                        }
                        for change in person.changes
                    ],
                }
                for person in result.people
            ],
            "skipped": [{"who": who, "why": why} for who, why in skipped],
            "family": [
                {
                    "person_id": None if dry_run else note.person_id,
                    "person": note.person,
                    "relation": note.label,
                    "name": note.other,
                    "linked_id": None if dry_run else note.other_id,
                    "linked": note.other_id is not None,
                }
                for note in result.family
            ],
            "notes": list(result.notes),
            **extra,
        }
    )
