"""``servant card``: what a draft message for one occasion of one person is made of.

The occasion is the person's next one, or the one named (a kind or a custom date's
label, as ``log --for`` names it). Its placeholders are the facts servant holds, each
left out when there is none (no year, no spouse, no company): the template then drops
the sentence that needs it (``render/cards.py``). The template is the user's
``<config dir>/cards/<kind>.txt`` when there is one, else the one shipped in the
package (``templates/cards/``); a custom date uses ``custom.txt``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

from servant_cli.agenda import key_dates
from servant_cli.config import Settings, config_dir
from servant_cli.dates import MONTH_NAMES, ordinal, years_on
from servant_cli.errors import ConfigError, NotFound
from servant_cli.files import NotAFile, TooLarge, read_regular
from servant_cli.models import KeyDate, Kin, Occasion, Person
from servant_cli.services.memory import dates_named
from servant_cli.store import Store
from servant_cli.text import clean, plural

#: The longest template read; a card is a few lines.
MAX_TEMPLATE = 64 * 1024
#: Day names in English, whatever the locale (servant's own words stay English).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class CardTemplate(NamedTuple):
    """A template's text and where it came from, as messages name it."""

    source: str
    text: str
    #: The user's own file (False: the one shipped with servant).
    own: bool


class Card(NamedTuple):
    """A draft's parts: who, for which occurrence, the placeholders that have a value."""

    person: Person
    occasion: Occasion
    when: date
    values: dict[str, str | int]
    template: CardTemplate


def card_for(store: Store, query: str, wanted: str | None, today: date, settings: Settings) -> Card:
    """The card for the person ``query`` names: their next occasion from ``today``, or
    the one ``wanted`` names."""
    who = store.find_person(query)
    keys = key_dates(store.occasions_of(who.id), today, settings.feb29)
    chosen = _chosen(who, keys, wanted)
    assert chosen.next is not None
    values = card_values(who, chosen, keys, store.kin_of(who.id), store)
    return Card(who, chosen.occasion, chosen.next, values, card_template(chosen.occasion.kind))


def card_dict(card: Card, text: str) -> dict[str, object]:
    """``card --json``: who, which occurrence, the template used and the draft."""
    return {
        "person": card.person.name,
        "person_id": card.person.id,
        "kind": card.occasion.kind,
        "label": card.occasion.title,
        "date": card.when.isoformat(),
        "years": card.values.get("years"),
        "template": card.template.source if card.template.own else None,
        "text": text,
    }


def _chosen(who: Person, keys: list[KeyDate], wanted: str | None) -> KeyDate:
    """The key date the card is for; NotFound, with what the person has, when none fits."""
    name = clean(who.name)
    if not keys:
        raise NotFound(f"{name} has no key dates; add one first, e.g. servant date {_quoted(who)} birthday DATE")
    coming = [key for key in keys if key.next is not None]
    if wanted is None:
        if not coming:
            raise NotFound(f"{name} has no date to come: every one of theirs was a one-off date that has passed")
        return min(coming, key=lambda key: key.next or date.max)
    have = ", ".join(_called(key.occasion) for key in keys)
    named = {key.occasion.id for key in keys} & {o.id for o in dates_named([k.occasion for k in keys], wanted)}
    found = [key for key in keys if key.occasion.id in named]
    if not found:
        raise NotFound(f"{name} has no {wanted.strip()!r} date; theirs: {clean(have)}")
    later = [key for key in found if key.next is not None]
    if not later:
        passed = found[0].occasion
        raise NotFound(f"{name}'s {clean(_called(passed))} was a one-off date that has passed; theirs: {clean(have)}")
    return min(later, key=lambda key: key.next or date.max)


def _called(occasion: Occasion) -> str:
    """How an occasion is named on the command line: its kind, or a custom date's label."""
    return occasion.label if occasion.kind == "custom" and occasion.label else occasion.kind


def _quoted(who: Person) -> str:
    import shlex

    return shlex.quote(clean(who.name)) if " " in who.name else clean(who.name)


def card_values(
    who: Person, chosen: KeyDate, keys: list[KeyDate], kin: list[Kin], store: Store
) -> dict[str, str | int]:
    """The placeholders that have a value (README, Card drafts, lists them)."""
    occasion, when, years = chosen.occasion, chosen.next, chosen.years
    assert when is not None
    first = first_name(who)
    found: dict[str, str | int | None] = {
        "name": who.name,
        "first_name": first,
        "nickname": who.nickname,
        "greeting": who.nickname or first,
        "company": who.company,
        "position": who.position,
        "kind": occasion.kind,
        "occasion": occasion.title,
        "label": occasion.label or None,
        "date": f"{MONTH_NAMES[when.month]} {when.day}",
        "weekday": WEEKDAYS[when.weekday()],
        "year": when.year,
    }
    if years is not None and years >= 1:
        found.update(years=years, ordinal=ordinal(years), years_text=plural(years, "year"))
        found["milestone"] = milestone(occasion.kind, years)
        if occasion.kind == "birthday":
            found["age"] = years
    client = next((key.occasion for key in keys if key.occasion.kind == "client-since"), None)
    client_years = years_on(client.year, when) if client is not None else None
    if client_years is not None and client_years >= 1:
        found["client_years"] = client_years
    spouses = [_greeting_of(k, store) for k in kin if k.relation == "spouse"]
    children = [_greeting_of(k, store) for k in kin if k.relation == "child"]
    found["spouse"] = joined(spouses)
    found["children"] = joined(children)
    found["family"] = joined(spouses + children)
    return {key: value for key, value in found.items() if value is not None and value != ""}


def milestone(kind: str, years: int) -> str:
    """The number of an occurrence in words: "turning 40", "your 10th wedding anniversary",
    "5 years at work", "5 years with us"; "5 years" for a date of the user's own."""
    if kind == "birthday":
        return f"turning {years}"
    if kind == "anniversary":
        return f"your {ordinal(years)} wedding anniversary"
    if kind == "work-anniversary":
        return f"{plural(years, 'year')} at work"
    if kind == "client-since":
        return f"{plural(years, 'year')} with us"
    return plural(years, "year")


def first_name(who: Person) -> str:
    """The name a greeting uses: the given name an import brought, else the name's first word."""
    parts = who.parts
    if parts is not None and parts.given:
        return parts.given.split(",")[0]
    return who.name.split()[0] if who.name.split() else who.name


def _greeting_of(kin: Kin, store: Store) -> str:
    """A relative as a greeting names them: a linked person's nickname or first name; a
    relation kept as text, its first word."""
    if kin.person_id is not None:
        other = store.get_person(kin.person_id)
        if other is not None:
            return other.nickname or first_name(other)
    return kin.name.split()[0] if kin.name.split() else kin.name


def joined(names: list[str]) -> str | None:
    """ "Tom", "Sam and Mia", "Sam, Mia and Leo"; None for nobody."""
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def card_template(kind: str) -> CardTemplate:
    """The template for ``kind``: the user's ``<config dir>/cards/<kind>.txt``, else servant's own."""
    own = config_dir() / "cards" / f"{kind}.txt"
    text = _read_own(own)
    if text is not None:
        return CardTemplate(str(own), text, own=True)
    from importlib.resources import files

    shipped = files("servant_cli").joinpath("templates", "cards", f"{kind}.txt")
    return CardTemplate(f"servant's {kind}.txt", shipped.read_text(encoding="utf-8"), own=False)


def _read_own(path: Path) -> str | None:
    """A user's template as text; None when there is none. Anything but a regular file of
    UTF-8 text is refused (``files.read_regular``: a named pipe would wait for ever)."""
    try:
        raw = read_regular(path, MAX_TEMPLATE)
    except NotAFile:
        raise ConfigError(f"cannot read the card template {path}: it is not a regular file") from None
    except TooLarge:
        raise ConfigError(
            f"the card template {path} is over {MAX_TEMPLATE // 1024} KiB; a card is a few lines"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the card template {path}: {exc.strerror or exc}") from exc
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"the card template {path} must be UTF-8 text, and line {line} is not") from exc
