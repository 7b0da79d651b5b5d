"""The `sapsmed` command line: assembles the commands of `sapsmed.cli` into one CLI."""

from __future__ import annotations

import functools
import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import click
import typer
from typer.core import TyperGroup
from typer.main import get_command_from_info, get_group
from typer.models import CommandInfo

from sapsmed import __version__
from sapsmed.base.errors import PlanNotFound, SapsmedError
from sapsmed.base.hints import close_matches
from sapsmed.base.safetext import oneline, shorten
from sapsmed.cli.common import err, write

# command -> the module of sapsmed.cli that defines it (imported only when needed)
COMMANDS: dict[str, str] = {
    "validate": "plan",
    "show": "plan",
    "status": "plan",
    "lines": "progress",
    "scorecard": "progress",
    "grid": "grid",
    "update": "progress",
    "budget": "lineparts",
    "personnel": "lineparts",
    "output": "lineparts",
    "risk": "lineparts",
    "report": "reports",
    "site": "reports",
    "diff": "git",
    "history": "git",
    "export": "git",
    "init": "git",
    "schema": "plan",
}
# command group -> the module whose `app` holds its commands
GROUPS = {"kpi": "kpi", "line": "line", "returns": "returns"}


@dataclass(frozen=True)
class Options:
    """What the top-level options chose, kept in the click context's ``obj``."""

    plan: Path | None = None


class LazyGroup(TyperGroup):
    """click's documented lazy-loading group: every command is listed by name, and a
    command's module is imported (and its parameters built) only when that command runs or
    its help is shown. ``sapsmed status`` loads none of the write path."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The tool's help, naming the plan the commands would read."""
        given = ctx.params.get("plan")  # eager: read before --help, as given
        self.help = f"{TOOL_HELP}\n\n{plan_in_use(Path(given) if given else None)}"
        super().format_help(ctx, formatter)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *GROUPS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return lazy_command(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """An unknown command is named with the commands most like it (click would look for
        them among the commands already loaded: none, in a lazy group)."""
        name = args[0] if args else ""
        unknown = name and not name.startswith("-") and lazy_command(name) is None
        if unknown and not ctx.resilient_parsing:
            raise click.UsageError(no_such_command(name, self.list_commands(ctx)), ctx)
        return super().resolve_command(ctx, args)


TOOL_HELP = (
    "Track a multi-year action plan kept as YAML in git: validate it, query its goals, "
    "action lines and KPIs, record progress and readings, and write reports."
)


def plan_in_use(explicit: Path | None) -> str:
    """Which plan the commands would read from here, for the help (escaped: rich markup)."""
    from rich.markup import escape

    from sapsmed.domain.plan import PLAN_FILE, find_plan_dir, shipped_plan_dir
    from sapsmed.yamlio.parse import decode, load
    from sapsmed.yamlio.scalars import YamlError

    try:
        try:
            root = find_plan_dir(explicit, shipped=False)
            where = f"in {display_path(root)}/"
        except PlanNotFound:
            if explicit is not None or os.environ.get("SAPSMED_PLAN"):
                raise
            root, where = shipped_plan_dir(), "shipped with sapsmed (no plan folder here)"
        data = load(root / PLAN_FILE, decode((root / PLAN_FILE).read_bytes())).data
        title = data.get("short_title") or data.get("title") if isinstance(data, dict) else None
        name = title if isinstance(title, str) and title else "(untitled)"
    except (SapsmedError, OSError, YamlError):
        return "No readable plan folder here: pass --plan DIR, or run sapsmed init."
    return escape(f"Plan: {oneline(shorten(name, 80))}, {oneline(where)}.")


def display_path(path: Path) -> str:
    """A path relative to the current folder when it lies inside it."""
    try:
        return str(path.relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def no_such_command(name: str, known: list[str]) -> str:
    """click's wording: ``No such command 'x'. Did you mean 'y'?``"""
    hints = sorted(close_matches(name, known, n=3))
    if len(hints) == 1:
        return f"No such command {name!r}. Did you mean {hints[0]!r}?"
    if hints:
        return f"No such command {name!r}. (Did you mean one of: {', '.join(map(repr, hints))}?)"
    return f"No such command {name!r}."


@functools.cache
def lazy_command(name: str) -> click.Command | None:
    if name in COMMANDS:
        module = importlib.import_module(f"sapsmed.cli.{COMMANDS[name]}")
        info = CommandInfo(name=name, callback=getattr(module, name))
        return get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode="rich")
    if name in GROUPS:
        group: typer.Typer = importlib.import_module(f"sapsmed.cli.{GROUPS[name]}").app
        command = get_group(group)
        command.name = name  # Typer leaves a group added this way unnamed in the help list
        return command
    return None


def print_version(value: bool) -> None:
    if value:
        write(f"sapsmed {__version__}\n")
        raise typer.Exit(0)


app = typer.Typer(
    cls=LazyGroup,
    help=TOOL_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


@app.callback()
def main(
    ctx: typer.Context,
    plan: Annotated[
        Optional[Path],
        typer.Option(
            "--plan",
            help="Plan folder (default: $SAPSMED_PLAN, the nearest plan/, "
            "or, for commands that only read, the plan shipped with sapsmed).",
            file_okay=False,
            is_eager=True,  # read before --help, which names the plan in use
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=print_version
        ),
    ] = False,
) -> None:
    ctx.obj = Options(plan)


def run() -> None:
    """Console-script entry: domain errors become a message and an exit code, never a trace."""
    try:
        app()
    except SapsmedError as exc:
        err(f"sapsmed: {exc}\n")
        sys.exit(exc.exit_code)
    except OSError as exc:
        from sapsmed.cli.common import os_error

        err(f"sapsmed: {os_error(exc)}\n")
        sys.exit(1)
    except Exception as exc:
        if os.environ.get("SAPSMED_DEBUG"):
            raise
        err(
            f"sapsmed: internal error: {type(exc).__name__}: {shorten(exc, 300)}\n"
            "This is a bug; run again with SAPSMED_DEBUG=1 for details.\n"
        )
        sys.exit(3)
