"""servant writes each vCard line itself, with vobject's own escaping: the lines are the
ones vobject writes when it makes a component of the card (the way ``export vcard`` was
made before, kept here as the reference), byte for byte, whatever the text holds."""

from __future__ import annotations

from typing import Any

import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from vobject.vcard import Name

from servant_cli.importers.vcard import (
    APPLE_NO_YEAR,
    ONCE,
    Related,
    _day,
    _uid,
    fold,
    is_organisation,
    structured_name,
    write_card,
)
from servant_cli.models import KIND_LABELS, NameParts, Occasion, Person

ESCAPE = __import__("re").compile(r"\\(.)")


def vobject_card(
    who: Person, occasions: list[Occasion], db_id: str | None, version: int, related: list[Related]
) -> str:
    """The card as vobject writes it, a component made of every property (servant's
    writer up to 0.1; its order of properties and its fixes to FN, NOTE and folding)."""
    card = vobject.vCard()
    ordered: list[Any] = []

    def add(key: str, value: Any, group: str | None = None) -> Any:
        line = card.add(key)
        line.value = value
        line.group = group
        ordered.append(line)
        return line

    add("version", f"{version}.0")
    add("prodid", "-//servant//servant//EN")
    uid = _uid(who, db_id)
    if uid:
        add("uid", uid)
    organisation = is_organisation(who)
    if organisation and version == 4:
        add("kind", "org")
    add("fn", who.name)
    parts = who.parts
    if parts is not None:
        add("n", Name(*(part.split(",") if "," in part else part for part in parts)))
    else:
        add("n", Name() if organisation else structured_name(who.name))
    if organisation and version == 3:
        add("x-abshowas", "COMPANY")
    if who.nickname:
        add("nickname", who.nickname)
    if who.company:
        add("org", [who.company])
    for key, value in (("title", who.position), ("email", who.email), ("tel", who.phone)):
        if value:
            add(key, value)
    item = 0
    for occasion in occasions:
        if occasion.rule:
            continue
        if occasion.kind == "birthday" or (occasion.kind == "anniversary" and version == 4):
            line = add("bday" if occasion.kind == "birthday" else "anniversary", _day(occasion, version))
            if version == 3 and occasion.year is None:
                line.params["X-APPLE-OMIT-YEAR"] = [str(APPLE_NO_YEAR)]
            if not occasion.yearly:
                line.params[ONCE] = ["TRUE"]
            continue
        item += 1
        year = occasion.year if occasion.year is not None else APPLE_NO_YEAR
        line = add("x-abdate", f"{year:04d}-{occasion.month:02d}-{occasion.day:02d}", f"item{item}")
        if occasion.year is None:
            line.params["X-APPLE-OMIT-YEAR"] = [str(APPLE_NO_YEAR)]
        if not occasion.yearly:
            line.params[ONCE] = ["TRUE"]
        label = "_$!<Anniversary>!$_" if occasion.kind == "anniversary" else None
        add("x-ablabel", label or KIND_LABELS.get(occasion.kind) or occasion.label or "Other", f"item{item}")
    for relation in related:
        if version == 3:
            item += 1
            add("x-abrelatednames", relation.value, f"item{item}")
            add("x-ablabel", f"_$!<{relation.type.capitalize()}>!$_", f"item{item}")
            continue
        line = add("related", relation.value)
        line.params["TYPE"] = [relation.type]
        if not relation.is_uri:
            line.params["VALUE"] = ["text"]
    if who.tags:
        add("categories", list(who.tags))
    if who.notes:
        add("note", who.notes)
    changed = max([who.updated or "", *(o.updated or "" for o in occasions)])
    if changed:
        add("rev", changed.replace("-", "").replace(":", ""))
    lines = ["BEGIN:VCARD\r\n"]
    for line in ordered:
        text = line.serialize(lineLength=1 << 30, validate=False).removesuffix("\r\n")
        if line.name in ("FN", "NOTE"):
            text = ESCAPE.sub(lambda found: ";" if found[1] == ";" else found[0], text)
        lines.append(fold(text))
    lines.append("END:VCARD\r\n")
    return "".join(lines)


#: Text with everything a line's escaping and folding must get right.
TEXT = st.text(st.sampled_from([*'ab Zé,;:\\"\n\r\t', "😀", "山", "ß"]), min_size=1, max_size=90).filter(str.strip)
SOME = st.one_of(st.none(), TEXT)


@st.composite
def cards(draw) -> tuple[Person, list[Occasion], str | None, int, list[Related]]:
    name = draw(st.one_of(TEXT, st.sampled_from(["Ann Lee", "Dr. Ana María López García", "山田 太郎", "Acme"])))
    parts = draw(st.one_of(st.none(), st.tuples(*(st.sampled_from(["", "van der", "Ann,Mary", "Lee;x"]),) * 5)))
    who = Person(
        draw(st.integers(1, 10**6)),
        name,
        company=draw(st.one_of(SOME, st.just(name))),
        email=draw(SOME),
        phone=draw(SOME),
        tags=tuple(draw(st.lists(st.one_of(TEXT, st.sampled_from(["company", "vip"])), max_size=3))),
        notes=draw(SOME),
        updated=draw(st.sampled_from([None, "2026-11-02T10:00:00Z"])),
        position=draw(SOME),
        source_uid=draw(st.one_of(st.none(), TEXT, st.just("urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"))),
        nickname=draw(SOME),
        name_parts=NameParts(*parts).text(name) if parts else None,
    )
    occasions = [
        Occasion(
            number,
            who.id,
            draw(st.sampled_from(["birthday", "anniversary", "work-anniversary", "client-since", "custom"])),
            draw(st.integers(1, 12)),
            draw(st.integers(1, 28)),
            draw(st.one_of(st.none(), st.integers(1900, 2030))),
            draw(st.one_of(st.just(""), TEXT)),
            draw(st.booleans()),
            rule=draw(st.sampled_from([None, None, "4TH/11"])),
            updated=draw(st.sampled_from([None, "2026-11-03T09:00:00Z"])),
        )
        for number in range(draw(st.integers(0, 4)))
    ]
    related = draw(
        st.lists(st.builds(Related, st.sampled_from(["parent", "spouse", "child"]), TEXT, st.booleans()), max_size=2)
    )
    return who, occasions, draw(st.sampled_from([None, "8d8a9fd1920aa08b"])), draw(st.sampled_from([3, 4])), related


@settings(max_examples=400, deadline=None)
@given(card=cards())
def test_every_line_is_the_one_vobject_writes(card) -> None:
    assert write_card(*card) == vobject_card(*card)
