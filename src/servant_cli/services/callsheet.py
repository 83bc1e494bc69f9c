"""The digest as a call sheet: how to reach each person it lists, and for each Act now
line the ``servant log`` command that marks it done.

The command is worked out by the rules ``servant log`` itself applies, so that it does
what it says when pasted into a shell:

- the person is named by their name when ``log`` finds exactly them by it, else by
  ``#ID`` (two people of the same name, a name that is a prefix of others only by
  accident, a name that starts with "-" or holds a character a terminal would not show);
- the gesture is the date's plan, ``call`` when it has none;
- ``--for`` names the date (its kind, or a custom date's label) when ``log`` would count
  it for this very occurrence; ``log --for`` counts for the nearer of the last and the
  next one, so a date more than half a year ahead (a lead of up to 365 days) is left to
  ``log``'s own choice instead, when that choice is this occurrence; when neither is,
  the line has no command rather than a wrong one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from servant_cli.config import Settings
from servant_cli.digest import Digest, Reach, log_command, reach_of
from servant_cli.errors import ServantError
from servant_cli.models import Occasion, Person, Upcoming, name_key
from servant_cli.services.memory import counts_for
from servant_cli.store import Store

#: The gesture a command logs for a date with no plan.
UNPLANNED = "call"


def call_sheet(
    store: Store, digest: Digest, settings: Settings, *, db: str | None = None, from_: date | None = None
) -> Digest:
    """``digest`` with how to reach the people of Today, Act now and Keep in touch, the
    command that marks each Act now occurrence done, and the command that lists all of
    each section (``db``: the ``--db`` they need; ``from_``: the ``--from`` it was given)."""
    people = [item.person for item in (*digest.on_the_day, *digest.act_now)]
    people += [item.person for item in digest.keep_in_touch]
    reach: dict[int, Reach] = {person.id: reach_of(person) for person in people}
    commands: dict[tuple[int, date], str] = {}
    handles: dict[int, str] = {}
    bearers = store.name_counts(item.person.name for item in digest.act_now)
    dates = store.occasions_of_people({item.person.id for item in digest.act_now})
    for item in digest.act_now:
        person = item.person
        if person.id not in handles:
            handles[person.id] = person_handle(person, bearers)
        command = done_command(item, dates.get(person.id, []), handles[person.id], digest.today, settings, db)
        if command is not None:
            commands[(item.occasion.id, item.date)] = command
    return digest._replace(reach=reach, commands=commands, see_all=see_all(digest, db, from_))


def see_all(digest: Digest, db: str | None, from_: date | None) -> dict[str, str]:
    """The command that lists all of each section, quoted for a POSIX shell: ``servant
    upcoming`` for the dates (with the digest's --tag and --kind), ``servant overdue``,
    ``servant season show NAME``."""
    from shlex import quote

    start = ["servant", *(("--db", db) if db else ())]
    since = ("--from", from_.isoformat()) if from_ else ()
    tags = [word for tag in digest.tags for word in ("--tag", tag)]
    filters = [*tags, *(word for kind in digest.kinds for word in ("--kind", kind))]

    def command(*words: str) -> str:
        return " ".join(quote(word) for word in (*start, *words))

    commands = {
        key: command("upcoming", "--days", str(days), *since, *filters)
        for key, days in (("today", 0), ("act-now", max(digest.looked_ahead, digest.days)), ("coming-up", digest.days))
    }
    commands["keep-in-touch"] = command("overdue", *since, *tags)
    for item in digest.seasons:
        commands[f"season:{item.season.name}"] = command("season", "show", item.season.name, *since)
    return commands


def person_handle(person: Person, bearers: Mapping[str, int]) -> str:
    """How ``servant log`` is to be told the person: their name when it finds exactly
    them by it (``find_person`` takes an exact name first: when no one else bears it,
    ``bearers`` being how many people bear each name key), else ``#ID``."""
    name = person.name
    if name and name.isprintable() and not name.startswith("-") and bearers.get(name_key(name)) == 1:
        return name
    return f"#{person.id}"


def done_command(
    item: Upcoming, dates: list[Occasion], handle: str, today: date, settings: Settings, db: str | None = None
) -> str | None:
    """The ``servant log`` command that, run ``today``, counts for ``item``'s occurrence
    (``dates``: the person's key dates, as ``log`` reads them); None when no command would."""
    kind = item.occasion.plan or UNPLANNED
    for for_ in (for_value(item.occasion), None):
        try:
            occasion, day = counts_for(item.person, dates, kind, today, for_, settings)
        except ServantError:  # the name is one of several dates' (none is, by the rules of labels)
            continue
        if occasion is not None and (occasion.id, day) == (item.occasion.id, item.date):
            return log_command(handle, kind, for_, db)
    return None


def for_value(occasion: Occasion) -> str:
    """What ``log --for`` calls the date: its kind, or a custom date's label."""
    return occasion.title if occasion.kind == "custom" else occasion.kind
