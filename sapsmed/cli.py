"""The `sapsmed` command line: thin commands over the library. The only module that prints."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import SapsmedError
from .plan import Plan
from .render import Format

app = typer.Typer(
    help="Track the ASEAN Strategic Action Plan for SME Development 2016-2025.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
state: dict[str, Path | None] = {"plan": None}


def guard(command: Callable[..., None]) -> Callable[..., None]:
    """Turn a domain error into its message on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> None:
        try:
            command(*args, **kwargs)
        except SapsmedError as exc:
            sys.stderr.write(f"sapsmed: {exc}\n")
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def write(text: str) -> None:
    # Plain writes: Rich markup would eat `[CODE]` and wrap JSON.
    sys.stdout.write(text)


def fancy() -> bool:
    """Rich output only for a person at a terminal who has not asked for plain text."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def parse_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def load() -> Plan:
    """The plan chosen by --plan, $SAPSMED_PLAN, the nearest plan/ or the shipped one.

    An invalid plan stops the command with its problems on stderr (exit 1)."""
    from . import snapshot
    from .plan import find_plan_dir
    from .render import problems_text

    root = find_plan_dir(state["plan"])
    plan, problems = snapshot.load(root)
    if plan is None:
        sys.stderr.write(problems_text(problems, count_files(root)))
        raise typer.Exit(1)
    return plan


def count_files(root: Path) -> int:
    return sum(1 for _ in root.rglob("*.yaml"))


def print_version(value: bool) -> None:
    if value:
        write(f"sapsmed {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def main(
    plan: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs a runtime-evaluable annotation
        typer.Option("--plan", help="Plan folder (default: $SAPSMED_PLAN, the nearest plan/, "
                     "or the SAP SMED plan shipped with sapsmed).", file_okay=False),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.",
                                          is_eager=True, callback=print_version)] = False,
) -> None:
    """Track the ASEAN Strategic Action Plan for SME Development 2016-2025."""
    state["plan"] = plan


@app.command()
@guard
def validate(
    fmt: Annotated[Format, typer.Option("--format", help="text, json, or github annotations.")]
    = Format.text,
) -> None:
    """Check the whole plan and list every problem as file:line:col.

    Exit 0 when there are no errors (warnings allowed), 1 when there are, 2 when it cannot
    run.

    Example: sapsmed validate --format github
    """
    from .plan import find_plan_dir
    from .render import PROBLEM_RENDERERS
    from .validation import validate as run

    root = find_plan_dir(state["plan"])
    result = run(root, assemble=False)
    write(PROBLEM_RENDERERS[fmt](result.problems, count_files(root)))
    raise typer.Exit(0 if result.ok else 1)


@app.command()
@guard
def show(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="A goal, outcome, action, "
                                             "action line, KPI, country or theme id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one entity of the plan by its id.

    Example: sapsmed show B-2-1.3
    """
    from .render import as_json as dump
    from .render import entity_text
    from .views import show as view

    data = view(load(), entity_id)
    write(dump(data) if as_json else entity_text(data))


@app.command()
@guard
def status(
    goal: Annotated[Optional[str], typer.Option("--goal", help="A goal letter, A-E.")] = None,  # noqa: UP045
    country: Annotated[Optional[str], typer.Option("--country", help="An ISO alpha-3 code.")]  # noqa: UP045
    = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="YYYY-MM-DD",  # noqa: UP045
                                                 help="Judge overdue lines on this date.")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Where a goal, a country or the whole plan stands.

    Lists the action lines with status, due year, lead and an overdue flag, counts them,
    and shows each KPI's latest reading per country.

    Example: sapsmed status --goal B --as-of 2021-01-01
    """
    from .render import as_json as dump
    from .render import status_text
    from .views import status as view

    day = parse_date(as_of)
    data = view(load(), day, goal.upper() if goal else None,
                country.upper() if country else None)
    if as_json:
        write(dump(data))
    elif fancy():
        from .tty import print_status

        print_status(data)
    else:
        write(status_text(data))


@app.command()
@guard
def schema(
    folder: Annotated[Path, typer.Argument(help="Where to write the schemas.", file_okay=False)]
    = Path("schemas"),
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if the schemas "
                                        "in FOLDER differ from the models.")] = False,
) -> None:
    """Write the JSON Schemas of the plan files (generated from the models).

    Example: sapsmed schema schemas/
    """
    from . import schemas

    if check:
        stale = [name for name, text in schemas.generate().items()
                 if not (folder / name).is_file()
                 or (folder / name).read_text(encoding="utf-8") != text]
        for name in stale:
            write(f"{folder / name}: out of date; run `sapsmed schema {folder}`\n")
        raise typer.Exit(1 if stale else 0)
    for path in schemas.write(folder):
        write(f"wrote {path}\n")


def run() -> None:
    """Console-script entry: domain errors become a message and an exit code, never a trace."""
    try:
        app()
    except SapsmedError as exc:
        sys.stderr.write(f"sapsmed: {exc}\n")
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("SAPSMED_DEBUG"):
            raise
        sys.stderr.write(f"sapsmed: internal error: {type(exc).__name__}: {exc}\n"
                         "This is a bug; run again with SAPSMED_DEBUG=1 for details.\n")
        sys.exit(3)
