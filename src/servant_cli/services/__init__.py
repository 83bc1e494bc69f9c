"""Use cases: one function each, between the commands and the core.

A command checks what the user typed, calls one function here, and hands what it
returns to ``render``. A function here opens nothing and prints nothing: it is given
the store and ``today``, runs the store, the pure date logic and the features, and
returns records. See ``docs/architecture.md``.
"""
