"""servant: a command-line occasion tracker."""

#: The version, as pyproject.toml gives it (tests/test_version.py keeps the two equal):
#: read here, it costs nothing, where ``importlib.metadata`` scans the installed packages.
__version__ = "0.1.0"
