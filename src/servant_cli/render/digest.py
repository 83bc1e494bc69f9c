"""The morning digest: plain text wrapped for mail, HTML, and a terminal with colour."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from servant_cli.render.terminal import plain_output, rich_console
from servant_cli.text import clean

if TYPE_CHECKING:
    from servant_cli.digest import Digest

#: Plain text of the digest is wrapped for mail: under the 78 columns of RFC 5322, with
#: room for a reply's "> ".
MAIL_WIDTH = 72
_DIGEST_STYLES = {"today": "bold yellow", "act-now": "yellow", "coming-up": ""}
_KEEP = "\u00a0"  # digest.KEEP (digest is imported here for type hints only)


def digest_text(digest: Digest, width: int = MAIL_WIDTH) -> str:
    """The digest as plain text (for pipes, cron and the mail body), lines wrapped at ``width``."""
    import textwrap

    out = [clean(digest.title), ""]
    for section in digest.sections:
        out.append(section.heading)
        for line in section.lines:
            # textwrap breaks only at ASCII spaces: the no-break spaces that hold a
            # day's words together are made plain after wrapping.
            wrapped = textwrap.wrap(
                clean(line),
                width,
                initial_indent="- ",
                subsequent_indent="  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
            out.extend(part.replace(_KEEP, " ") for part in wrapped)
        out.append("")
    return "\n".join(out[:-1]) + "\n"


def digest_html(digest: Digest) -> str:
    """The digest as a small HTML page, the mail's alternative to the plain text."""
    from html import escape

    parts = [
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>',
        f"<p><strong>{escape(clean(digest.title))}</strong></p>",
    ]
    for section in digest.sections:
        parts.append(f"<h3>{escape(section.heading)}</h3>\n<ul>")
        parts.extend(f"<li>{escape(clean(line).replace(_KEEP, ' '))}</li>" for line in section.lines)
        parts.append("</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def show_digest(digest: Digest) -> None:
    """The digest: headings and highlighted lines on a terminal, plain text otherwise."""
    if plain_output():
        sys.stdout.write(digest_text(digest))
        return
    from rich.text import Text

    out = Text()
    out.append(clean(digest.title) + "\n", style="italic")
    for section in digest.sections:
        out.append("\n" + section.heading + "\n", style="bold")
        style = _DIGEST_STYLES.get(section.key, "")
        for line in section.lines:
            out.append("• ", style="dim")
            out.append(clean(line).replace(_KEEP, " ") + "\n", style=style)
    rich_console().print(out, end="")
