"""LinkedIn's ``Connections.csv``, from "Get a copy of your data".

The file opens with a few lines of notes before its header::

    Notes:
    "When exporting your connection data, you may notice that some of the email …"

    First Name,Last Name,URL,Email Address,Company,Position,Connected On
    Ada,Lovelace,https://www.linkedin.com/in/ada-lovelace,,Analytical Engines,CTO,12 Mar 2021

Each row is a person with the company, position (job title), e-mail (often empty:
members choose whether it is shared), the tag ``linkedin``, the profile URL as the
source's id (so a later export updates the same people), and the day of connection
(``12 Mar 2021``) kept on the person; First and Last Name are kept as the structured
name (``ImportedPerson.name_parts``), for a vCard's N. Older exports without the notes
or the URL column are read too. A row without a name (a member who hides it) is skipped.
"""

from __future__ import annotations

import re
from datetime import date

from servant_cli.dates import MONTH_NAMES
from servant_cli.errors import BadFile
from servant_cli.importers import ImportedPerson, Parsed, Progress, Skipped
from servant_cli.importers.common import (
    ACCEPTED,
    RecordProblem,
    Row,
    Ticker,
    csv_rows,
    no_such_day,
    one_line,
    parse_iso_day,
    person,
    shown,
    skipped,
)

HEADER = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")
_MONTHS = {name[:3].casefold(): number for number, name in enumerate(MONTH_NAMES) if name}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*[ -](\d{4})")


def read_linkedin(text: str, progress: Progress | None = None) -> Parsed:
    """Every connection as a record, or a reason it was skipped."""
    rows = csv_rows(text)
    for at, (_, cells) in enumerate(rows):
        titles = [cell.strip() for cell in cells]
        if "First Name" in titles and "Last Name" in titles and ("Connected On" in titles or "URL" in titles):
            columns = {title: index for index, title in reversed(list(enumerate(titles)))}
            rows = rows[at + 1 :]
            break
    else:
        raise BadFile(f"not LinkedIn's Connections.csv: it has no header row {shown(','.join(HEADER), 80)}; {ACCEPTED}")
    tick = Ticker(progress, len(rows))
    people: list[ImportedPerson] = []
    skips: list[Skipped] = []
    for done, (line, cells) in enumerate(rows, 1):
        row = Row(columns, cells)
        where = f"line {line}"
        name = " ".join(part for part in (one_line(row["First Name"]), one_line(row["Last Name"])) if part)
        try:
            connected = row["Connected On"].strip()
            people.append(
                person(
                    name,
                    where,
                    no_name="First Name and Last Name are empty",
                    uid=row["URL"],
                    email=row["Email Address"],
                    company=row["Company"],
                    position=row["Position"],
                    tags=("linkedin",),
                    connected_on=connected_on(connected) if connected else None,
                    name_parts=(row["Last Name"], row["First Name"], "", "", ""),
                )
            )
        except RecordProblem as problem:
            skips.append(skipped(name, where, str(problem)))
        tick(done)
    tick.end()
    return Parsed("linkedin", people, skips)


def connected_on(text: str) -> date:
    """LinkedIn's ``12 Mar 2021`` (English month names whatever the locale), or ISO."""
    found = _DAY_MONTH_YEAR.fullmatch(text)
    if not found:
        return parse_iso_day("Connected On", text)
    month = _MONTHS.get(found[2].casefold())
    day, year = int(found[1]), int(found[3])
    why = "there is no such month" if month is None else no_such_day(year, month, day)
    if why or month is None:
        raise RecordProblem(f"Connected On {shown(text)} is not a date: {why}")
    return date(year, month, day)
