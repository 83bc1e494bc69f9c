"""Everything servant prints: Rich on a terminal, plain text for pipes and cron, JSON, CSV.

Rich is imported only inside the functions that draw on a terminal, so piped output
(cron, scripts, the benchmark) never pays for it. Stored text is shown through
``clean()``: a name cannot carry escape sequences to the terminal, and Rich markup in
a name is shown as typed (cells are ``Text``, never markup).

One module per kind of output; each name below is imported from its module the first
time it is used (``servant upcoming`` never loads the profile or the digest).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from servant_cli.render.terminal import (
    TABLE_ROWS,
    Progress,
    cell_width,
    plain_output,
    to_json,
    write,
)
from servant_cli.text import clean, csv_safe

if TYPE_CHECKING:
    from servant_cli.render.calendar import calendar_json, show_month, show_year
    from servant_cli.render.cards import card_text
    from servant_cli.render.digest import digest_html, digest_text, show_digest
    from servant_cli.render.find import found_json, show_found
    from servant_cli.render.importing import import_json, import_report, left_report
    from servant_cli.render.info import info_json, show_info
    from servant_cli.render.memory import (
        cheaper_line,
        forgot_gesture,
        gesture_phrase,
        gestures_json,
        idea_phrase,
        logged,
        overdue_json,
        show_gestures,
        show_ideas,
        show_overdue,
    )
    from servant_cli.render.people import (
        Memory,
        date_report,
        edit_report,
        key_date_dict,
        key_date_line,
        occasion_extras,
        people_json,
        person_dict,
        show_people,
        show_profile,
        stored_line,
        write_profile_json,
    )
    from servant_cli.render.publish import folder_summary, publish_notes, publish_summary
    from servant_cli.render.seasons import checklist_json, season_added, season_checklist, season_list, seasons_json
    from servant_cli.render.stats import show_stats, stats_json
    from servant_cli.render.upcoming import (
        nothing_upcoming,
        show_upcoming,
        upcoming_rows,
        write_upcoming_csv,
        write_upcoming_json,
    )

_MODULES = {
    "cards": ("card_text",),
    "calendar": ("calendar_json", "show_month", "show_year"),
    "stats": ("show_stats", "stats_json"),
    "digest": ("digest_html", "digest_text", "show_digest"),
    "memory": (
        "cheaper_line",
        "forgot_gesture",
        "gesture_phrase",
        "gestures_json",
        "idea_phrase",
        "logged",
        "overdue_json",
        "show_gestures",
        "show_ideas",
        "show_overdue",
    ),
    "info": ("info_json", "show_info"),
    "importing": ("import_json", "import_report", "left_report"),
    "find": ("found_json", "show_found"),
    "people": (
        "Memory",
        "date_report",
        "edit_report",
        "key_date_dict",
        "key_date_line",
        "occasion_extras",
        "people_json",
        "person_dict",
        "show_people",
        "show_profile",
        "stored_line",
        "write_profile_json",
    ),
    "publish": ("folder_summary", "publish_notes", "publish_summary"),
    "seasons": ("checklist_json", "season_added", "season_checklist", "season_list", "seasons_json"),
    "upcoming": ("nothing_upcoming", "show_upcoming", "upcoming_rows", "write_upcoming_csv", "write_upcoming_json"),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "TABLE_ROWS",
    "Memory",
    "Progress",
    "calendar_json",
    "card_text",
    "cell_width",
    "cheaper_line",
    "checklist_json",
    "clean",
    "csv_safe",
    "date_report",
    "digest_html",
    "digest_text",
    "edit_report",
    "folder_summary",
    "forgot_gesture",
    "found_json",
    "gesture_phrase",
    "gestures_json",
    "idea_phrase",
    "import_json",
    "import_report",
    "info_json",
    "key_date_dict",
    "key_date_line",
    "left_report",
    "logged",
    "nothing_upcoming",
    "occasion_extras",
    "overdue_json",
    "people_json",
    "person_dict",
    "plain_output",
    "publish_notes",
    "publish_summary",
    "season_added",
    "season_checklist",
    "season_list",
    "seasons_json",
    "show_digest",
    "show_found",
    "show_gestures",
    "show_ideas",
    "show_info",
    "show_month",
    "show_overdue",
    "show_people",
    "show_profile",
    "show_stats",
    "show_upcoming",
    "show_year",
    "stats_json",
    "stored_line",
    "to_json",
    "upcoming_rows",
    "write",
    "write_profile_json",
    "write_upcoming_csv",
    "write_upcoming_json",
]


def __getattr__(name: str) -> Any:
    """The names of the output modules, each loaded when first asked for (PEP 562)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
