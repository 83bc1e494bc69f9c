"""``text.json_text``: the JSON servant stores (tags, structured names, what an import
brought) is what ``json.dumps(value, ensure_ascii=False)`` writes, with Python's C
encoder or without it."""

from __future__ import annotations

import json
from json import encoder
from typing import Any

import pytest

from servant_cli import text

VALUES: list[Any] = [
    [],
    {},
    ["Åsa", "李", 'quote " and \\ backslash', "tab\tand\nnew line", "\u2028"],
    {"name": "Zoë", "phone": ["+1 555 0100", True], "n": 3, "none": None, "x": 1.5},
    [["spouse", "Grace"], ["child", "urn:uuid:1"]],
    "just text",
]


@pytest.mark.parametrize("c_encoder", [True, False], ids=["C encoder", "pure Python"])
def test_json_text_is_what_json_dumps_writes(monkeypatch: pytest.MonkeyPatch, c_encoder: bool) -> None:
    if not c_encoder:
        monkeypatch.setattr(encoder, "c_make_encoder", None)
    text._json_encoder.cache_clear()
    try:
        for value in VALUES:
            written = text.json_text(value)
            assert written == json.dumps(value, ensure_ascii=False)
            assert json.loads(written) == value
    finally:
        text._json_encoder.cache_clear()
