"""What ``servant publish`` did: the summary, the changes of a dry run, and the notes;
and what ``servant export ics --vdir`` did to its folder."""

from __future__ import annotations

from servant_cli.calendar_folder import FolderReport
from servant_cli.dav.plan import PublishReport
from servant_cli.importers.membership import shown_folder
from servant_cli.text import clean


def _counts(added: int, changed: int, removed: int, unchanged: int) -> str:
    return f"{added:,} added, {changed:,} changed, {removed:,} removed, {unchanged:,} unchanged"


def publish_summary(report: PublishReport) -> str:
    """ "Published to 'servant' (https://…/): 3 added, 1 changed, 1 removed, 1,204 unchanged";
    a dry run lists what it would send first."""
    counts = _counts(report.added, report.changed, report.removed, report.unchanged)
    kept = sum(1 for conflict in report.conflicts if conflict.kept)
    if kept:
        counts += f", {kept:,} left as changed on the server"
    where = f"{clean(report.calendar)!r} ({clean(report.url)})"
    if not report.dry_run:
        made = "the new calendar " if report.created else ""
        return f"Published to {made}{where}: {counts}"
    lines = "".join(f"  {change.action:<6}  {clean(change.summary)}\n" for change in report.changes)
    if report.created:
        head = (
            f"Dry run, nothing was sent. The calendar {clean(report.calendar)!r} would be made on {clean(report.url)}"
        )
    else:
        head = f"Dry run, nothing was sent. Publishing to {where} would give"
    return f"{lines}{head}: {counts}"


def publish_notes(report: PublishReport) -> list[str]:
    """One line for each event changed on the server, and for a calendar taken over."""
    notes = []
    for owner, count in sorted(report.taken_over.items()):
        did = "would remove" if report.dry_run else "removed"
        notes.append(f"--take-over {did} {count:,} events of the servant database {owner}")
    for conflict in report.conflicts:
        what = repr(clean(conflict.summary))
        how = "was deleted" if conflict.how == "deleted" else "was changed"
        if conflict.kept:
            notes.append(f"{what} {how} on the server, and left so (--keep-remote)")
        elif report.dry_run:
            notes.append(f"{what} {how} on the server; servant's version would go back")
        else:
            notes.append(f"{what} {how} on the server; servant's version went back (--keep-remote leaves it)")
    return notes


def folder_summary(report: FolderReport) -> str:
    """ "Exported to ~/.calendars/servant: 3 added, 1 changed, 1 removed, 1,204 unchanged"."""
    made = "the new folder " if report.created else ""
    counts = _counts(report.added, report.changed, report.removed, report.unchanged)
    return f"Exported to {made}{clean(shown_folder(report.folder))}: {counts}\n"
