"""The one exception family of the domain; the CLI turns it into a message and an exit code."""

from __future__ import annotations


class SapsmedError(Exception):
    """A problem the user can fix; the CLI prints it and exits 1."""

    exit_code = 1


class PlanNotFound(SapsmedError):
    """No plan where one was asked for: the command cannot run at all (exit 2)."""

    exit_code = 2


class UnknownId(SapsmedError):
    """An id that names no entity of the plan."""


class UsageError(SapsmedError):
    """A command-line value the plan does not know, such as a filter's (exit 2)."""

    exit_code = 2
