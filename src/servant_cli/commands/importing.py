"""``servant import FILE``: people and their dates from an address book, safe to repeat."""

from pathlib import Path
from typing import Annotated, Any

import typer

from servant_cli import render
from servant_cli.commands.common import check_tags, open_store, remark, settings_of
from servant_cli.errors import BadFile, ServantError
from servant_cli.importers import FORMATS, Format
from servant_cli.text import plural

#: Files with more records than this get a progress bar on a terminal.
PROGRESS_FROM = 500


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A .vcf, or a CSV from Google, LinkedIn or servant.")],
    format_: Annotated[
        Format | None,
        typer.Option("--format", help="The file's format, when its name and first line do not tell."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change, and write nothing.")] = False,
    tag: Annotated[
        list[str] | None, typer.Option(metavar="TAG", help="Give everyone in the file this tag too (repeatable).")
    ] = None,
    prefer_file: Annotated[
        bool,
        typer.Option(
            "--prefer-file", help="In a conflict (a field changed here and in the file), take the file's value."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the line of counts.")] = False,
) -> None:
    """Add or update people and their key dates from an address book export.

    Reads vCard 3 and 4 (Apple Contacts, Outlook, Android), Google Contacts CSV, LinkedIn's
    Connections.csv and servant's own CSV. Importing the same file again changes nothing;
    a newer file updates who is in it (matched by UID, then email, then name), but only
    the fields the file changed since the last import: what you edited in servant stays,
    and a field changed both here and in the file is kept and named as a conflict. The
    counts come first, then who was added and which fields changed. It is one
    transaction: an import that fails or is stopped leaves nothing of itself behind.
    """
    from servant_cli.importers import read

    tags = check_tags(tag)
    if not file.exists():
        raise ServantError(f"{file} does not exist")
    if file.is_dir():
        raise ServantError(f"{file} is a folder; give the exported file in it (.vcf or .csv)")
    with render.Progress(f"Reading {file.name}", PROGRESS_FROM) as progress:
        parsed = read(file, format_.value if format_ else None, progress=progress)
    if not parsed.people and not parsed.skipped:
        # A header and nothing else: an export cut off in its first line, or an empty one.
        raise BadFile(f"{file} holds no contacts; is the file cut off? Nothing was imported")
    result = _import(ctx, parsed.people, parsed.format, tags, dry_run=dry_run, prefer_file=prefer_file)
    skipped = [(str(who), str(why)) for who, why in (*parsed.skipped, *result.skipped)]
    for who, why in skipped:
        remark(f"skipped {render.clean(who)}: {render.clean(why)}")
    if as_json:
        render.write(render.import_json(result, file=file.name, format=parsed.format, dry_run=dry_run, skipped=skipped))
        return
    counts = f"{result.added} added, {result.updated} updated, {result.unchanged} unchanged, {len(skipped)} skipped"
    if result.conflicts:
        counts += f", {plural(result.conflicts, 'conflict')}"
    what = f"{file.name} ({FORMATS.get(parsed.format, parsed.format)})"
    if dry_run:
        typer.echo(f"Dry run, nothing was written. {what} would give: {counts}")
    else:
        typer.echo(f"Imported {what}: {counts}")
    if not quiet:
        render.import_report(result, dry_run=dry_run)


def _import(
    ctx: typer.Context, people: list[Any], source: str, tags: list[str], *, dry_run: bool, prefer_file: bool
) -> Any:
    """Import into the database (created when there is none, at a path given or not); a
    dry run with no database yet uses a passing empty one, so that it writes nothing at all."""
    from servant_cli.services.importing import import_people

    def run(store: Any) -> Any:
        return import_people(store, people, source=source, tags=tags, dry_run=dry_run, prefer_file=prefer_file)

    if dry_run:
        from servant_cli.config import db_location
        from servant_cli.store import Store

        path, _ = db_location(ctx.obj.db_option, settings_of(ctx))
        if not path.exists():
            import tempfile

            with tempfile.TemporaryDirectory(prefix="servant-dry-run-") as folder:
                store = Store.open(Path(folder) / "servant.db")
                try:
                    return run(store)
                finally:
                    store.close()
    return run(open_store(ctx, create=True))
