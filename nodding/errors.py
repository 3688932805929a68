"""The errors the `nodding` commands report in one line, without a traceback (`nodding.cli.main`)."""

from __future__ import annotations

__all__ = ["UserError", "WriteError"]


class UserError(Exception):
    """Bad input from the user: reported as one line, exit status 2."""


class WriteError(Exception):
    """The results could not be written (a full disk, ...); nothing was. Exit status 1."""
