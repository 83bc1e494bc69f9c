"""``servant card``: a card template rendered into a draft.

The template is Jinja2 text run in Jinja2's sandbox (``SandboxedEnvironment``), with
autoescape off (a card is plain text) and ``trim_blocks``/``lstrip_blocks`` (a line that
holds only a ``{% … %}`` tag leaves no blank line). Python's internals are out of reach:
an unsafe attribute (``''.__class__``) stops the card with one line naming the file.

A placeholder without a value drops its line. Templates are written one sentence per
line; a placeholder that has no value (no year, no spouse, no company) prints as a
marker (``MISSING``, a NUL character, which no stored text and no template can hold),
and every output line that holds the marker is left out. This works through filters
(``{{ spouse|upper }}``) and attributes (``{{ spouse.name }}``), and leaves ``{% if %}``
and ``is defined`` as Jinja2 has them: a missing value is false. Arithmetic or a
comparison on a missing value is an error that names the file: guard it with
``{% if %}``. Jinja2 is imported here only, when a card is drawn.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from typing import Any

from servant_cli.errors import ConfigError
from servant_cli.text import clean

#: What a placeholder without a value prints; a line that holds it is left out.
MISSING = "\x00"
#: Every placeholder a card may use (README, Card drafts); any other name is a mistake
#: in the template ("greting"), said rather than left out like a missing value.
PLACEHOLDERS = frozenset(
    {
        "name", "first_name", "nickname", "greeting", "company", "position", "kind", "occasion", "label",
        "date", "weekday", "year", "years", "ordinal", "years_text", "milestone", "age", "client_years",
        "spouse", "children", "family",
    }
)  # fmt: skip


def card_text(template: str, source: str, values: Mapping[str, object]) -> str:
    """The draft: ``template`` (from ``source``, as messages name it) with ``values``,
    lines with a missing placeholder left out, blank lines at most one in a row."""
    from jinja2 import TemplateError, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    if MISSING in template:
        line = template[: template.index(MISSING)].count("\n") + 1
        raise ConfigError(f"{source}, line {line}: a NUL character; a card template is plain text")
    try:
        compiled = _environment().from_string(template)
    except TemplateSyntaxError as exc:
        raise ConfigError(f"{source}, line {exc.lineno}: {exc.message}") from exc
    try:
        drawn = compiled.render(values)
    except SecurityError as exc:
        refused = str(exc).rstrip(".")
        raise ConfigError(f"{source}: refused: {refused}; a card template can use only its placeholders") from exc
    except TemplateError as exc:
        raise ConfigError(f"{source}: {exc.message or type(exc).__name__}") from exc
    except Exception as exc:  # arithmetic on a placeholder, a range too big: the template's fault
        raise ConfigError(f"{source}: {type(exc).__name__}: {exc}") from exc
    return _kept_lines(drawn)


def _kept_lines(drawn: str) -> str:
    """The lines without a missing placeholder, each cleaned for a terminal, with no
    blank line first or last and none twice in a row."""
    kept: list[str] = []
    for line in drawn.splitlines():
        if MISSING in line:
            continue
        line = clean(line).rstrip()
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) + "\n" if kept else ""


@functools.cache
def _environment() -> Any:
    """The sandbox every card template runs in (made once, when a card is first drawn)."""
    from jinja2 import ChainableUndefined
    from jinja2.exceptions import SecurityError, UndefinedError
    from jinja2.sandbox import SandboxedEnvironment
    from jinja2.utils import missing

    class Missing(ChainableUndefined):
        """A placeholder without a value: false, empty when looped over, ``MISSING``
        when printed. One the sandbox made for an unsafe attribute is an error when used."""

        __slots__ = ()

        def _refuse_unsafe(self) -> None:
            if self._undefined_exception is SecurityError:
                self._fail_with_undefined_error()
            name = self._undefined_name
            if self._undefined_obj is missing and name is not None and name not in PLACEHOLDERS:
                close = difflib.get_close_matches(name, sorted(PLACEHOLDERS), n=1)
                hint = f"did you mean {close[0]}?" if close else "see the README's Card drafts"
                raise UndefinedError(f"{name!r} is not a placeholder; {hint}")

        def __str__(self) -> str:
            self._refuse_unsafe()
            return MISSING

        def __bool__(self) -> bool:
            self._refuse_unsafe()
            return False

        def __iter__(self) -> Any:
            self._refuse_unsafe()
            return iter(())

        def __len__(self) -> int:
            self._refuse_unsafe()
            return 0

    return SandboxedEnvironment(
        autoescape=False,
        undefined=Missing,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
