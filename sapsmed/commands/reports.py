"""The report command: progress reports and the mid-term review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import SapsmedError
from .common import AsOf, fancy, guard, load, parse_date, write


@guard
def report(
    as_of: AsOf = None,
    goal: Annotated[Optional[str], typer.Option("--goal", help="One goal only.")] = None,  # noqa: UP045
    country: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--country", help="One member state only.")] = None,
    mid_term: Annotated[bool, typer.Option("--mid-term", help="The mid-term review of the "
                                           "first phase instead.")] = False,
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "-o", "--output", dir_okay=False, help="Write to FILE; in an existing file only the "
        "part between <!-- sapsmed:begin --> and <!-- sapsmed:end --> is replaced.")] = None,
) -> None:
    """A markdown progress report (or the mid-term review), with mermaid charts.

    On a terminal it is shown rendered; piped, it is markdown.

    Example: sapsmed report --goal B -o docs/progress.md
    """
    from .. import report as reports
    from ..gitinfo import plan_commit

    plan = load()
    day = parse_date(as_of)
    commit = plan_commit(plan.root)
    if mid_term:
        text = reports.mid_term(plan, day, commit)
    else:
        goal_id = goal.upper() if goal else None
        code = country.upper() if country else None
        from ..views import status as check_scope

        check_scope(plan, day, goal_id, code)  # an unknown goal or country fails here
        text = reports.build(plan, day, goal_id, code, commit)
    if output is not None:
        write_report(output, text)
        write(f"wrote {output}\n")
    elif fancy():
        from rich.console import Console
        from rich.markdown import Markdown

        from ..safetext import terminal

        Console().print(Markdown(terminal(text)))
    else:
        write(text)


def write_report(path: Path, text: str) -> None:
    from ..markdown import BEGIN, END, splice
    from ..transaction import write_files

    if path.exists():
        try:
            new = splice(path.read_text(encoding="utf-8"), text)
        except ValueError:
            raise SapsmedError(f"{path} has no {BEGIN} ... {END} markers: add them where the "
                               "report goes (nothing was written)") from None
    else:
        new = f"{BEGIN}\n{text}{END}\n"
    write_files(path.parent, {path: new})
