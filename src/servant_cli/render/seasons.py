"""Seasons as ``servant season list`` and ``season show`` print them, and as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from servant_cli.dates import MONTH_NAMES, format_day, relative_day, stored_rule
from servant_cli.models import PLANS, Checklist, Person, Season
from servant_cli.render.terminal import columns, to_json
from servant_cli.text import clean, plural


def season_on(season: Season) -> str:
    """When a season is, as typed back: its rule, or "Dec 1"."""
    return str(stored_rule(season.rule)) if season.rule else f"{MONTH_NAMES[season.month][:3]} {season.day}"


def season_group(season: Season) -> str:
    """Whom it is for: "tag client", "tags client, supplier", "everyone"."""
    if not season.tags:
        return "everyone"
    return ("tag " if len(season.tags) == 1 else "tags ") + ", ".join(season.tags)


def season_list(found: Sequence[Checklist], today: date) -> str:
    """One line per season: name, day, group, plan, lead, and how far along it is."""
    if not found:
        return "No seasons yet; add one with: servant season add NAME --on DATE --tag TAG"
    rows = []
    for item in found:
        season = item.season
        rows.append(
            [
                clean(season.name),
                clean(season_on(season)),
                clean(season_group(season)),
                f"plan {season.plan}" if season.plan else "no plan",
                f"lead {season.lead_days}" if season.lead_days is not None else "",
                f"{format_day(item.day)}: {progress(item)}",
            ]
        )
    return columns(rows)


def progress(item: Checklist) -> str:
    """ "6 done, 18 to go", "all 24 done", "no one has its tags yet" (as the digest says it)."""
    from servant_cli.digest import season_progress

    return season_progress(item)


def season_added(item: Checklist) -> str:
    """ "Added the season 'Holiday cards': Dec 1, for tag client (24 people), plan card,
    reminded 21 days ahead"."""
    season = item.season
    group = f"for {clean(season_group(season))} ({plural(len(item.people), 'person', 'people')})"
    parts = [clean(season_on(season)), group, f"plan {season.plan}" if season.plan else "no plan"]
    if season.lead_days is not None:
        parts.append(f"reminded {plural(season.lead_days, 'day')} ahead")
    return f"Added the season {clean(season.name)!r}: {', '.join(parts)}"


def reach_parts(person: Person) -> list[str]:
    """Phone, email and the first line of the notes (where an address usually is)."""
    from servant_cli.digest import reach_of

    return [clean(part) for part in reach_of(person).parts]


def season_checklist(item: Checklist, today: date) -> str:
    """The checklist: the season, who is done and by what, who is left and how to reach them."""
    season = item.season
    plan = PLANS[season.plan].alone.lower() if season.plan in PLANS else "no plan"
    lead = f", reminded {plural(season.lead_days, 'day')} ahead" if season.lead_days is not None else ""
    lines = [
        f"{clean(season.name)} — {format_day(item.day)} ({relative_day(item.day, today).lower()})",
        f"For {clean(season_group(season))}; {plan}{lead}",
        f"{progress(item)} ({plural(len(item.people), 'person', 'people')})",
    ]
    done = [person for person in item.people if person.id in item.done]
    if done:
        lines += ["", "Done"]
        for person in done:
            gesture = item.done[person.id]
            what = f" ({clean(gesture.what)})" if gesture.what else ""
            lines.append(f"  {clean(person.name)} — {gesture.kind}{what}, {format_day(gesture.on)}")
    if item.left:
        lines += ["", "Left"]
        for person in item.left:
            reach = " · ".join(reach_parts(person))
            lines.append(f"  {clean(person.name)}" + (f" — {reach}" if reach else ""))
    return "\n".join(lines)


def season_dict(season: Season) -> dict[str, Any]:
    """A season's own fields, as JSON holds them."""
    return {
        "id": season.id,
        "name": season.name,
        "on": None if season.rule else f"--{season.month:02d}-{season.day:02d}",
        "rule": str(stored_rule(season.rule)) if season.rule else None,
        "tags": list(season.tags),
        "plan": season.plan,
        "lead_days": season.lead_days,
    }


def checklist_json(item: Checklist) -> str:
    """``season show --json``: the season, its occurrence, who is done and who is left."""
    data = season_dict(item.season)
    data.update(
        {
            "date": item.day.isoformat(),
            "days_until": item.days_until,
            "people": len(item.people),
            "done": [
                {
                    "person_id": person.id,
                    "person": person.name,
                    "gesture": {
                        "id": item.done[person.id].id,
                        "kind": item.done[person.id].kind,
                        "what": item.done[person.id].what,
                        "on": item.done[person.id].on.isoformat(),
                    },
                }
                for person in item.people
                if person.id in item.done
            ],
            "left": [{"person_id": person.id, "person": person.name, **_reach_dict(person)} for person in item.left],
        }
    )
    return to_json(data)


def _reach_dict(person: Person) -> dict[str, str | None]:
    """How to reach a person, as JSON says it: phone, email, the first line of the notes."""
    from servant_cli.digest import reach_of

    reach = reach_of(person)
    return {"phone": reach.phone, "email": reach.email, "note": reach.note}


def seasons_json(found: Sequence[Checklist]) -> str:
    """``season list --json``."""
    return to_json(
        [
            {
                **season_dict(item.season),
                "date": item.day.isoformat(),
                "people": len(item.people),
                "done": len(item.done),
            }
            for item in found
        ]
    )
