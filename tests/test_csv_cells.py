"""CSV for a spreadsheet that splits cells at ``;`` (the list separator of much of
Europe), not only at commas: a cell holding a ``;`` is quoted, and no part after a
``;`` can start a formula (``text.csv_safe``); ``servant import`` reads it back whole."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from helpers import ok

FROM = "2026-11-20"
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def semicolon_cells(text: str) -> list[str]:
    """The cells a spreadsheet that splits at ``;`` sees, as it starts each: quotes and
    spaces before the text aside (a quoted "=1+1" still runs)."""
    return [piece.lstrip(' "') for line in text.splitlines() for piece in line.split(";")]


def test_upcoming_csv_quotes_a_cell_with_a_semicolon_and_guards_what_follows(servant) -> None:
    ok(servant("add", "x;-2+3", "--birthday", "1990-11-22", "--tag", "a; =1+1", "--tag", "@b"))
    out = ok(servant("upcoming", "--from", FROM, "--csv"))
    line = out.splitlines()[1]
    assert line.startswith('2026-11-22,2,"x;\'-2+3",1,birthday,')
    assert not [cell for cell in semicolon_cells(out) if cell.startswith(FORMULA)]
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["person"], row["tags"]) == ("x;'-2+3", "a;' =1+1;'@b")


def test_export_csv_guards_after_a_semicolon_and_imports_back_whole(servant, tmp_path: Path) -> None:
    ok(
        servant(
            "add",
            "Ada;+1",
            "--birthday",
            "1990-11-22",
            "--tag",
            "-x",
            "--tag",
            "y",
            "--company",
            "Acme; @SUM(A1)",
            "--note",
            "Call; =HYPERLINK(1)\nand ;'-kept",
            "--date",
            "Shop=--03-14",
        )
    )
    out = ok(servant("export", "csv"))
    assert not [cell for cell in semicolon_cells(out) if cell.startswith(FORMULA)]
    assert '"Acme;\' @SUM(A1)"' in out
    (tmp_path / "people.csv").write_text(out, encoding="utf-8")
    other = str(tmp_path / "other.db")
    ok(servant("--db", other, "import", str(tmp_path / "people.csv")))
    [back] = json.loads(ok(servant("--db", other, "list", "--json")))
    [mine] = json.loads(ok(servant("list", "--json")))
    assert {key: back[key] for key in ("name", "tags", "company", "notes")} == {
        key: mine[key] for key in ("name", "tags", "company", "notes")
    }
    assert mine["notes"] == "Call; =HYPERLINK(1)\nand ;'-kept"
    assert ok(servant("--db", other, "export", "csv")) == out
