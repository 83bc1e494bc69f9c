"""``servant import FILE|DIR``: people and their dates from an address book, or a folder
of vCards (a vdir), safe to repeat."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from servant_cli import render
from servant_cli.commands.common import check_tags, open_store, remark, settings_of
from servant_cli.errors import BadFile, BadInput, ServantError
from servant_cli.importers import FORMATS, Format, Parsed
from servant_cli.text import plural

if TYPE_CHECKING:
    from servant_cli.importers.matching import ImportResult
    from servant_cli.services.importing import FolderSeen

#: Files with more records than this (folders with more files) get a progress bar on a terminal.
PROGRESS_FROM = 500


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE|DIR",
            help="A .vcf, a CSV from Google, LinkedIn or servant, servant's JSON, or a folder of .vcf files (a vdir).",
        ),
    ],
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
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="Of the people no longer in the folder, remove those servant holds nothing of its own for; "
            "untie the others from it.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the line of counts.")] = False,
) -> None:
    """Add or update people and their key dates from an address book export or a folder of vCards.

    Reads vCard 3 and 4 (Apple Contacts, Outlook, Android), Google Contacts CSV, LinkedIn's
    Connections.csv, servant's own CSV and JSON (the JSON brings gestures, gift ideas and
    family too); and a folder of .vcf files, one contact a file,
    as vdirsyncer keeps a CardDAV address book. Importing the same file again changes
    nothing; a newer file updates who is in it (matched by UID, then email, then name),
    but only the fields the file changed since the last import: what you edited in
    servant stays, and a field changed both here and in the file is kept and named as a
    conflict. The counts come first, then who was added and which fields changed, then,
    for a folder, who is no longer in it. It is one transaction: an import that fails or
    is stopped leaves nothing of itself behind.
    """
    tags = check_tags(tag)
    if not file.exists():
        raise ServantError(f"{file} does not exist")
    folder = None
    if file.is_dir():
        if format_ not in (None, Format.vcard):
            raise BadInput(
                f"a folder is read as .vcf files, one contact a file; --format {format_.value} is for a file"
            )
        folder, parsed, what = _read_folder(ctx, file)
    else:
        if prune:
            raise BadInput(f"--prune is for a folder of .vcf files, where servant can tell who left; {file} is a file")
        parsed, what = _read_file(file, format_)
    result = _import(ctx, parsed, tags, dry_run=dry_run, prefer_file=prefer_file, folder=folder, prune=prune)
    skipped = said_skipped(parsed, result)
    if as_json:
        render.write(
            render.import_json(
                result,
                file=None if folder else file.name,
                folder=str(folder.path) if folder else None,
                format=parsed.format,
                dry_run=dry_run,
                skipped=skipped,
            )
        )
        return
    show_import(result, what, len(skipped), dry_run=dry_run, quiet=quiet, folder=folder, prune=prune)


def said_skipped(parsed: Parsed, result: ImportResult) -> list[tuple[str, str]]:
    """Each record that was not imported, and why, said on stderr: (who, why)."""
    skipped = [(str(who), str(why)) for who, why in (*parsed.skipped, *result.skipped)]
    for who, why in skipped:
        remark(f"skipped {render.clean(who)}: {render.clean(why)}")
    for note in result.notes:
        remark(render.clean(note))
    return skipped


def show_import(
    result: ImportResult,
    what: str,
    skipped: int,
    *,
    dry_run: bool,
    quiet: bool,
    folder: FolderSeen | None = None,
    prune: bool = False,
) -> None:
    """The line of counts, then (unless ``quiet``) who was added and what changed, then,
    for a folder, who is no longer in it."""
    counts = f"{result.added} added, {result.updated} updated, {result.unchanged} unchanged, {skipped} skipped"
    if result.conflicts:
        counts += f", {plural(result.conflicts, 'conflict')}"
    if dry_run:
        typer.echo(f"Dry run, nothing was written. {what} would give: {counts}")
    else:
        typer.echo(f"Imported {what}: {counts}")
    if not quiet:
        render.import_report(result, dry_run=dry_run)
    if folder is not None and result.left:
        render.left_report(result.left, folder.path, pruned=prune, dry_run=dry_run, quiet=quiet)


def folder_title(path: Path) -> str:
    """A folder as an import names it: "~/.contacts/family (vCard folder)"."""
    from servant_cli.importers.membership import shown_folder

    return f"{shown_folder(path)} (vCard folder)"


def _read_file(file: Path, format_: Format | None) -> tuple[Parsed, str]:
    from servant_cli.importers import read

    with render.Progress(f"Reading {file.name}", PROGRESS_FROM) as progress:
        parsed = read(file, format_.value if format_ else None, progress=progress)
    if not parsed.people and not parsed.skipped:
        # A header and nothing else: an export cut off in its first line, or an empty one.
        raise BadFile(f"{file} holds no contacts; is the file cut off? Nothing was imported")
    return parsed, f"{file.name} ({FORMATS.get(parsed.format, parsed.format)})"


def _read_folder(ctx: typer.Context, path: Path) -> tuple[FolderSeen, Parsed, str]:
    """A folder of vCards as read (before a database is made for it)."""
    from servant_cli.services.importing import read_contacts

    with render.Progress(f"Reading {path.name or path}", PROGRESS_FROM) as progress:
        folder, parsed = read_contacts(path, lambda resolved: _knows_folder(ctx, resolved), progress)
    return folder, parsed, folder_title(folder.path)


def _knows_folder(ctx: typer.Context, path: Path) -> bool:
    """Whether the database remembers people from this folder (none there: it is not created)."""
    from servant_cli.config import db_location
    from servant_cli.services.importing import knows_folder

    where, _ = db_location(ctx.obj.db_option, settings_of(ctx))
    return where.exists() and knows_folder(open_store(ctx), path)


def _import(
    ctx: typer.Context,
    parsed: Parsed,
    tags: list[str],
    *,
    dry_run: bool,
    prefer_file: bool,
    folder: FolderSeen | None,
    prune: bool,
) -> Any:
    """Import into the database (created when there is none, at a path given or not); a
    dry run with no database yet uses a passing empty one, so that it writes nothing at all."""
    from servant_cli.services.importing import import_people

    def run(store: Any) -> Any:
        if parsed.format == Format.json:
            from servant_cli.services.portable import import_everything

            return import_everything(store, parsed, tags=tags, dry_run=dry_run, prefer_file=prefer_file)
        return import_people(
            store,
            parsed.people,
            source=parsed.format,
            tags=tags,
            dry_run=dry_run,
            prefer_file=prefer_file,
            folder=folder,
            prune=prune,
        )

    if dry_run:
        from servant_cli.config import db_location
        from servant_cli.store import Store

        path, _ = db_location(ctx.obj.db_option, settings_of(ctx))
        if not path.exists():
            import tempfile

            with tempfile.TemporaryDirectory(prefix="servant-dry-run-") as folder_:
                store = Store.open(Path(folder_) / "servant.db")
                try:
                    return run(store)
                finally:
                    store.close()
    return run(open_store(ctx, create=True))
