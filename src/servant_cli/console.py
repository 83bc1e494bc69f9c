"""The ``servant`` console script (and ``python -m servant_cli``): ``cli.main`` in a
process of its own.

This module imports nothing of servant's at its top: the console script imports it
first, so ``run`` decides how servant's modules are imported.
"""

import gc


def run() -> None:
    """Import the command line with the cycle collector paused, freeze what the imports
    made, then run ``cli.main``.

    The imports make some 17,000 objects the collector tracks, a few hundred of them
    garbage (kept, frozen, until the process ends): walking them as they grow costs 3 ms
    a command. The command runs once and the process ends: what the imports made lives
    until then. Frozen, it is never walked again by the collector, which otherwise goes
    over it each time the objects made grow by a quarter (records of a long listing) and
    once more at exit: 13 ms of any command. Only here: frozen objects are never
    collected, so a program that calls ``main`` itself would keep whatever it had left
    for the collector.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        from servant_cli.cli import main
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    main()
