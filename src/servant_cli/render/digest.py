"""The morning digest: plain text wrapped for mail, HTML, and a terminal with colour.

The HTML part is made from a Jinja2 template shipped in the package
(``servant_cli/templates/digest.html``), with autoescape on; Jinja2 is imported only when
a digest is mailed.
"""

from __future__ import annotations

import functools
import re
import sys
from typing import TYPE_CHECKING, Any

from servant_cli.render.terminal import plain_output, rich_console
from servant_cli.text import clean

if TYPE_CHECKING:
    import jinja2

    from servant_cli.digest import Digest, Reach, Row, Section

#: Plain text of the digest is wrapped for mail: under the 78 columns of RFC 5322, with
#: room for a reply's "> ".
MAIL_WIDTH = 72
_DIGEST_STYLES = {"today": "bold yellow", "act-now": "yellow", "season": "yellow", "coming-up": ""}
_KEEP = "\u00a0"  # digest.KEEP (digest is imported here for type hints only)
#: What a phone number may hold between its digits and still be dialled as they are.
_DIAL_SEPARATORS = re.compile(r"[\s.\-()/\u00a0]")


def digest_text(digest: Digest, width: int = MAIL_WIDTH) -> str:
    """The digest as plain text (for pipes, cron and the mail body), lines wrapped at ``width``.

    Under a line that says how to reach the person comes their phone, email and note,
    and under an Act now line the command that marks it done: never wrapped, so that it
    can be copied whole.
    """
    out = [clean(digest.title), ""]
    for section in digest.sections:
        # A season's heading is a line of its own (its name is the user's): wrapped too.
        out.extend(_wrapped(section.heading, width, ""))
        for row in section.rows:
            out.extend(_wrapped(row.text, width, "- "))
            if row.history:
                out.extend(_wrapped(row.history, width, "  "))
            if row.reach is not None and row.reach.parts:
                out.extend(_wrapped(reach_line(row.reach), width, "  "))
            if row.command:
                out.append("  " + clean(row.command))
        if section.more:
            out.extend(_wrapped(section.more_line, width, ""))
            if section.see_all:
                out.append("  " + clean(section.see_all))
        out.append("")
    return "\n".join(out[:-1]) + "\n"


def _wrapped(line: str, width: int, first: str) -> list[str]:
    import textwrap

    # textwrap breaks only at ASCII spaces: the no-break spaces that hold a day's (or a
    # phone number's) words together are made plain after wrapping.
    wrapped = textwrap.wrap(
        clean(line),
        width,
        initial_indent=first,
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [part.replace(_KEEP, " ") for part in wrapped]


def reach_line(reach: Reach) -> str:
    """ "+1 555 0142 · grace@example.com · Allergic to lilies" (the number held together)."""
    parts = [clean(reach.phone).replace(" ", _KEEP)] if reach.phone else []
    parts += [clean(part) for part in (reach.email, reach.note) if part]
    return " · ".join(parts)


def tel_uri(phone: str) -> str | None:
    """A ``tel:`` link for a number that is only digits (and a leading +) once its
    separators are taken out: "+1 (555) 014-2" → "tel:+15550142"; None for anything else.
    The "(0)" of "+49 (0) 30 1234" is not dialled from abroad, so it is left out."""
    number = _DIAL_SEPARATORS.sub("", re.sub(r"^\s*(\+[0-9]{1,3})\s*\(0\)", r"\1", phone))
    return f"tel:{number}" if re.fullmatch(r"\+?[0-9]{3,}", number) else None


def mailto_uri(email: str) -> str | None:
    """A ``mailto:`` link for what is a mail address; None for anything else."""
    from urllib.parse import quote

    from servant_cli.mail import address_of

    address = address_of(email)
    return f"mailto:{quote(address, safe='@+')}" if address and "@" in address else None


def digest_html(digest: Digest) -> str:
    """The digest as an HTML page, the mail's alternative to the plain text: a table per
    section, styles on the elements themselves."""
    return _template().render(
        title=clean(digest.title),
        sections=[_html_section(section) for section in digest.sections],
    )


@functools.cache
def _template() -> jinja2.Template:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("servant_cli", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template("digest.html")


def _html_section(section: Section) -> dict[str, Any]:
    return {
        "heading": clean(section.heading),
        "more": clean(section.more_line),
        "see_all": clean(section.see_all) if section.see_all else "",
        "reaching": section.reaching,
        "highlight": section.key == "today",
        "rows": [_html_row(row) for row in section.rows],
    }


def _html_row(row: Row) -> dict[str, Any]:
    """A row's parts as the template shows them: cleaned text (the template escapes it)."""
    return {
        "day": clean(row.day).replace(_KEEP, " "),
        "relative": clean(row.relative).replace(_KEEP, " "),
        "who": clean(row.who),
        "do": clean(row.do),
        "what": clean(row.what),
        "notes": [clean(note) for note in row.notes],
        "reach": _ways(row.reach) if row.reach is not None else [],
        "command": clean(row.command) if row.command else "",
        "history": clean(row.history),
    }


def _ways(reach: Reach) -> list[dict[str, Any]]:
    """The phone (a ``tel:`` link), the email (a ``mailto:`` link) and the note, as there are."""
    ways: list[dict[str, Any]] = []
    if reach.phone:
        ways.append({"text": clean(reach.phone), "href": tel_uri(clean(reach.phone)), "note": False})
    if reach.email:
        email = clean(reach.email)
        ways.append({"text": _breakable(email), "href": mailto_uri(email), "note": False})
    if reach.note:
        ways.append({"text": clean(reach.note), "href": None, "note": True})
    return ways


def _breakable(address: str) -> Any:
    """An address that a narrow column may break after its @ and before its dots (``<wbr>``),
    escaped."""
    from markupsafe import Markup

    return Markup("<wbr>").join(re.split(r"(?<=@)|(?=\.)", address))


def show_digest(digest: Digest) -> None:
    """The digest: headings and highlighted lines on a terminal, plain text otherwise."""
    if plain_output():
        sys.stdout.write(digest_text(digest))
        return
    from rich.text import Text

    console = rich_console()
    out = Text()
    out.append(clean(digest.title) + "\n", style="italic")
    for section in digest.sections:
        out.append("\n" + clean(section.heading).replace(_KEEP, " ") + "\n", style="bold")
        style = _DIGEST_STYLES.get(section.key, "")
        for row in section.rows:
            out.append("• ", style="dim")
            out.append(clean(row.text).replace(_KEEP, " ") + "\n", style=style)
            if row.history:
                out.append("  " + clean(row.history) + "\n", style="dim")
            if row.reach is not None and row.reach.parts:
                out.append("  " + reach_line(row.reach).replace(_KEEP, " ") + "\n", style="dim")
            if row.command:
                # A command is copied whole: never broken by servant (soft_wrap), only
                # folded by the terminal itself, which a copy joins again.
                console.print(out, end="")
                console.print(Text("  " + clean(row.command), style="dim"), soft_wrap=True)
                out = Text()
        if section.more:
            out.append(clean(section.more_line) + "\n", style="italic")
            if section.see_all:
                console.print(out, end="")
                console.print(Text("  " + clean(section.see_all), style="dim"), soft_wrap=True)
                out = Text()
    console.print(out, end="")
