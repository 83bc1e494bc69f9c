"""servant upcoming must start fast: heavy modules are imported only where needed."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("ics", "vobject", "rich.table", "rich.console", "sqlite_utils", "dateutil.parser", "smtplib")


def imported_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_imports_nothing_heavy() -> None:
    loaded = imported_after("import servant_cli.cli")
    assert not loaded & set(HEAVY)


def test_piped_upcoming_on_an_existing_database_imports_nothing_heavy(tmp_path) -> None:
    db = tmp_path / "s.db"
    subprocess.run(
        [sys.executable, "-m", "servant_cli", "--db", str(db), "add", "Ada", "--birthday", "1985-03-14"],
        check=True,
        capture_output=True,
    )
    code = (
        "import io, contextlib\n"
        "from servant_cli.cli import app\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    app(['--db', {str(db)!r}, 'upcoming', '--from', '2027-03-01'], standalone_mode=False)\n"
        "assert 'Ada' in out.getvalue(), out.getvalue()\n"
    )
    loaded = imported_after(code)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
