"""Everything servant prints: Rich on a terminal, plain text for pipes and cron, JSON, CSV.

Rich is imported only inside the functions that draw on a terminal, so piped output
(cron, scripts, the benchmark) never pays for it. Stored text is shown through
``clean()``: a name cannot carry escape sequences to the terminal, and Rich markup in
a name is shown as typed (cells are ``Text``, never markup).
"""

from servant_cli.render.digest import digest_html, digest_text, show_digest
from servant_cli.render.memory import ideas_list, logged, overdue_json, overdue_list
from servant_cli.render.people import (
    Memory,
    edit_report,
    key_date_dict,
    key_date_line,
    occasion_extras,
    people_json,
    person_dict,
    profile_json,
    show_people,
    show_profile,
    stored_line,
)
from servant_cli.render.terminal import (
    TABLE_ROWS,
    Progress,
    aligned,
    cell_width,
    csv_safe,
    plain_output,
    to_json,
    write,
)
from servant_cli.render.upcoming import nothing_upcoming, show_upcoming, upcoming_csv, upcoming_json, upcoming_rows
from servant_cli.text import clean

__all__ = [
    "TABLE_ROWS",
    "Memory",
    "Progress",
    "aligned",
    "cell_width",
    "clean",
    "csv_safe",
    "digest_html",
    "digest_text",
    "edit_report",
    "ideas_list",
    "key_date_dict",
    "key_date_line",
    "logged",
    "nothing_upcoming",
    "occasion_extras",
    "overdue_json",
    "overdue_list",
    "people_json",
    "person_dict",
    "plain_output",
    "profile_json",
    "show_digest",
    "show_people",
    "show_profile",
    "show_upcoming",
    "stored_line",
    "to_json",
    "upcoming_csv",
    "upcoming_json",
    "upcoming_rows",
    "write",
]
