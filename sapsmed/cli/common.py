"""What every command shares: the chosen plan, output, dates, errors."""

from __future__ import annotations

import functools
import math
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, TypeVar

import click
import typer

from sapsmed.base.errors import SapsmedError
from sapsmed.base.safetext import oneline, terminal
from sapsmed.render.text import problem_line

if TYPE_CHECKING:
    from sapsmed.base.problems import Problem
    from sapsmed.domain.plan import Plan
    from sapsmed.write.edits import Build

T = TypeVar("T")

# Options many commands share.
AsOf = Annotated[
    Optional[str],
    typer.Option("--as-of", metavar="YYYY-MM-DD", help="The date to judge on (default: today)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Wait = Annotated[
    float,
    typer.Option(
        "--wait",
        metavar="SECONDS",
        min=0,
        help="How long to wait while another edit of the plan runs.",
    ),
]


def guard(command: Callable[..., None]) -> Callable[..., None]:
    """Turn a domain error into its message on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> None:
        for name, value in kwargs.items():
            check_text(name, value)
        try:
            command(*args, **kwargs)
        except SapsmedError as exc:
            err(f"sapsmed: {exc}\n")
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:  # a path the user gave that the system refuses
            err(f"sapsmed: {os_error(exc)}\n")
            raise typer.Exit(1) from None

    return wrapper


def os_error(exc: OSError) -> str:
    """An operating-system error in words: the file (shortened) and the reason."""
    from sapsmed.base.safetext import shorten

    reason = (exc.strerror or str(exc)).lower()
    if exc.filename is None:
        return reason
    return f"{shorten(exc.filename)}: {reason}"


def check_text(name: str, value: object) -> None:
    """A command-line value that was not valid UTF-8, or a number that is NaN or infinite,
    is a usage error naming its option.

    Python hands such bytes over as lone surrogates (surrogateescape); written to a file they
    would fail, and read back they would differ."""
    if isinstance(value, float) and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a finite number", param_hint=option_name(name))
    values = value if isinstance(value, list) else [value]
    for item in values:
        text = str(item) if isinstance(item, str | Path) else None
        if text is None or not any("\ud800" <= c <= "\udfff" for c in text):
            continue
        bad = next(c for c in text if "\ud800" <= c <= "\udfff")
        byte = f" (byte 0x{ord(bad) - 0xDC00:02x})" if "\udc80" <= bad <= "\udcff" else ""
        raise typer.BadParameter(f"not valid UTF-8{byte}", param_hint=option_name(name))


def option_name(name: str) -> str:
    """The option or argument a command's parameter ``name`` is given by."""
    import click

    context = click.get_current_context(silent=True)
    for param in context.command.params if context else []:
        if param.name == name:
            return (
                "/".join(param.opts)
                if isinstance(param, click.Option)
                else (param.human_readable_name)
            )
    return name


def waiting(message: str) -> None:
    """Say (on stderr) that an edit is waiting for the plan's lock."""
    err(f"sapsmed: {message}\n")
    sys.stderr.flush()


def write(text: str) -> None:
    """Standard output: plain writes (Rich markup would eat `[CODE]` and wrap JSON), with
    every control character but newline and tab shown as an escape, whatever plan text the
    renderers let through."""
    sys.stdout.write(terminal(text))


def err(text: str) -> None:
    """Standard error, made inert the same way."""
    sys.stderr.write(terminal(text))


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


def chosen_plan() -> Path | None:
    """The folder given with ``--plan`` (kept by the top-level command in ``ctx.obj``)."""
    ctx = click.get_current_context(silent=True)
    options = ctx.find_root().obj if ctx is not None else None
    return getattr(options, "plan", None)


def load() -> Plan:
    """The plan chosen by --plan, $SAPSMED_PLAN, the nearest plan/ or the shipped one.

    An invalid plan stops the command with its problems on stderr (exit 1)."""
    from sapsmed.render.text import problems_text
    from sapsmed.validate import cache

    root, shipped = locate()
    plan, problems = cache.load(root)
    if plan is None:
        err(problems_text(problems, count_files(root)))
        raise typer.Exit(1)
    if shipped:  # named from the loaded plan: no second read of plan.yaml
        err(using_shipped(plan.meta["short_title"]))
    return plan


def count_files(root: Path) -> int:
    from sapsmed.validate.planfiles import list_plan

    return list_plan(root).count


def find_root(editing: bool = False) -> Path:
    """The plan folder. An edit needs one chosen by --plan, $SAPSMED_PLAN or the current
    folder: it never falls back to the plan shipped with sapsmed (in an editable install
    that would be the checkout's own plan/). A read command that falls back to the shipped
    plan says so on stderr."""
    root, shipped = locate(editing)
    if shipped:
        err(using_shipped(shipped_title(root)))
    return root


def using_shipped(title: str) -> str:
    return (
        f"sapsmed: using the {oneline(title)} plan shipped with sapsmed "
        "(no plan folder here; use --plan DIR)\n"
    )


def locate(editing: bool = False) -> tuple[Path, bool]:
    """The plan folder (see :func:`find_root`), and whether it is the shipped plan that a
    read command falls back to."""
    from sapsmed.base.errors import PlanNotFound
    from sapsmed.domain.plan import NO_PLAN_HERE, chosen_plan_dir, shipped_plan_dir

    root = chosen_plan_dir(chosen_plan())
    if root is None and editing:
        raise PlanNotFound(NO_PLAN_HERE)
    if root is None:
        return shipped_plan_dir(), True
    if editing and root.name == "_plan" and root.parent == Path(__file__).resolve().parents[1]:
        raise SapsmedError(
            "no plan folder here: the SAP SMED plan installed with sapsmed is "
            "read-only; run in a clone of the plan or pass --plan DIR"
        )
    return root, False


def shipped_title(root: Path) -> str:
    """The shipped plan's own short title, read from its plan.yaml."""
    from sapsmed.domain.plan import PLAN_FILE
    from sapsmed.yamlio.parse import load as parse

    path = root / PLAN_FILE
    data = parse(path, path.read_text(encoding="utf-8")).data
    title = data.get("short_title") if isinstance(data, dict) else None
    return title if isinstance(title, str) else "SAP SMED"


def refused_to_exit(root: Path, action: Callable[[], T]) -> T:
    """Run an edit; a refusal prints its problems and exits 1."""
    from sapsmed.render.text import problems_text
    from sapsmed.yamlio.edit import EditRefused

    try:
        return action()
    except EditRefused as exc:
        err(f"sapsmed: {exc}\n" + problems_text(exc.problems, count_files(root)))
        raise typer.Exit(1) from None


def warn(problems: list[Problem]) -> None:
    for problem in problems:
        err(problem_line(problem) + "\n")


DryRun = Annotated[
    bool,
    typer.Option("--dry-run", help="Print the change as a unified diff; write nothing."),
]


def edit_plan(build: Build, dry_run: bool, wait: float) -> None:
    """Run a plan edit (:func:`sapsmed.write.edits.apply_edit`) and say what it did: the
    files written, or in a dry run the diff. A refusal prints the problems and exits 1."""
    from sapsmed.base.problems import display_path
    from sapsmed.write.edits import apply_edit

    root = find_root(editing=True)
    done = refused_to_exit(
        root,
        lambda: apply_edit(root, build, dry_run, wait, waiting),
    )
    if not done.new:
        write(f"nothing to change: {oneline(done.summary)}\n")
    elif not done.written:
        write(done.diff())
        err("sapsmed: dry run: nothing was written\n")
    else:
        where = ", ".join(display_path(path) for path in done.new)
        write(f"{oneline(done.summary)} in {where}\n")
    warn(done.warnings)
