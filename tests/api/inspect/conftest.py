"""Fixtures of the inspector's commands: a commune opened by the command line, as the
command-line tests have it."""

from tests.api.cli.conftest import cli, commune

__all__ = ["cli", "commune"]
