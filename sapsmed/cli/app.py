"""The `sapsmed` command line: assembles the commands of `sapsmed.cli` into one CLI."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer

from sapsmed import __version__
from sapsmed.base.errors import SapsmedError
from sapsmed.base.safetext import shorten
from sapsmed.cli.common import err, state, write

# command -> the module of sapsmed.cli that defines it (imported only when needed)
COMMANDS: dict[str, str] = {
    "validate": "plan",
    "show": "plan",
    "status": "plan",
    "lines": "progress",
    "scorecard": "progress",
    "update": "progress",
    "report": "reports",
    "diff": "git",
    "history": "git",
    "export": "git",
    "init": "git",
    "schema": "plan",
}
GROUPS = {"kpi": "kpi"}  # command group -> the module whose `app` holds its commands


def command(name: str) -> Callable[..., None]:
    module = importlib.import_module(f"sapsmed.cli.{COMMANDS[name]}")
    return getattr(module, name)  # type: ignore[no-any-return]


def print_version(value: bool) -> None:
    if value:
        write(f"sapsmed {__version__}\n")
        raise typer.Exit(0)


def main(
    plan: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs a runtime-evaluable annotation
        typer.Option(
            "--plan",
            help="Plan folder (default: $SAPSMED_PLAN, the nearest plan/, "
            "or the SAP SMED plan shipped with sapsmed).",
            file_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=print_version
        ),
    ] = False,
) -> None:
    """Track the ASEAN Strategic Action Plan for SME Development 2016-2025."""
    state["plan"] = plan


def make_app(only: str | None = None) -> typer.Typer:
    """The CLI; with ``only``, a CLI holding just that command.

    Typer builds every registered command's parameters before running one, so the
    console script registers only the command it was asked for (same options, same help)."""
    cli = typer.Typer(
        help="Track the ASEAN Strategic Action Plan for SME Development 2016-2025.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
    )
    cli.callback()(main)
    for name in COMMANDS:
        if only in (None, name):
            cli.command(name)(command(name))
    for name, module in GROUPS.items():
        if only in (None, name):
            cli.add_typer(importlib.import_module(f"sapsmed.cli.{module}").app, name=name)
    return cli


app = make_app()


def requested_command(args: list[str]) -> str | None:
    """The subcommand named on the command line, if it is plainly there."""
    rest = iter(args)
    for arg in rest:
        if arg == "--plan":
            next(rest, None)
        elif arg.startswith("--plan="):
            continue
        elif arg.startswith("-"):
            return None  # --help, --version or a typo: the full CLI answers
        else:
            return arg if arg in COMMANDS or arg in GROUPS else None
    return None


def run() -> None:
    """Console-script entry: domain errors become a message and an exit code, never a trace."""
    try:
        make_app(requested_command(sys.argv[1:]))()
    except SapsmedError as exc:
        err(f"sapsmed: {exc}\n")
        sys.exit(exc.exit_code)
    except OSError as exc:
        from sapsmed.cli.common import os_error

        err(f"sapsmed: {os_error(exc)}\n")
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("SAPSMED_DEBUG"):
            raise
        err(
            f"sapsmed: internal error: {type(exc).__name__}: {shorten(exc, 300)}\n"
            "This is a bug; run again with SAPSMED_DEBUG=1 for details.\n"
        )
        sys.exit(3)
