"""The report command: progress reports and the mid-term review."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from sapsmed.base.errors import SapsmedError
from sapsmed.cli.common import AsOf, fancy, guard, load, parse_date, write


@guard
def report(
    as_of: AsOf = None,
    goal: Annotated[Optional[str], typer.Option("--goal", help="One goal only.")] = None,
    country: Annotated[
        Optional[str],
        typer.Option("--country", help="One member state only."),
    ] = None,
    mid_term: Annotated[
        bool,
        typer.Option(
            "--mid-term",
            help="The mid-term review instead: "
            "the phase it is due in, at its end and on the "
            "as-of date.",
        ),
    ] = False,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "-o",
            "--output",
            dir_okay=False,
            help="Write to FILE; in an existing file only the "
            "part between <!-- sapsmed:begin --> and <!-- sapsmed:end --> is replaced.",
        ),
    ] = None,
) -> None:
    """A markdown progress report (or the mid-term review), with mermaid charts.

    On a terminal it is shown rendered; piped, it is markdown.

    Example: sapsmed report --goal B -o docs/progress.md
    """
    from sapsmed.io.gitinfo import plan_commit
    from sapsmed.render import report as reports

    plan = load()
    day = parse_date(as_of)
    commit = plan_commit(plan.root)
    if mid_term:
        from sapsmed.render.midterm import mid_term as review

        text = review(plan, day, commit)
    else:
        goal_id = goal.upper() if goal else None
        code = country.upper() if country else None
        plan.require_scope(goal_id, code)
        text = reports.build(plan, day, goal_id, code, commit)
    if output is not None:
        write_report(output, text)
        write(f"wrote {output}\n")
    elif fancy():
        from rich.console import Console
        from rich.markdown import Markdown

        from sapsmed.base.safetext import terminal

        Console().print(Markdown(terminal(text)))
    else:
        write(text)


def write_report(path: Path, text: str) -> None:
    """Write the report into ``path`` between its sapsmed markers (or as a new file).

    Only a regular file is read or replaced: a FIFO or a device is refused, not opened."""
    import os
    import stat

    from sapsmed.render.markdown import BEGIN, END, splice
    from sapsmed.validate.planfiles import MAX_FILE_BYTES
    from sapsmed.write.transaction import write_files

    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise SapsmedError(
            f"cannot write {path}: {(exc.strerror or str(exc)).lower()}; nothing was written"
        ) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise SapsmedError(f"{path} is not a regular file; nothing was written")
    if info is not None and info.st_size > MAX_FILE_BYTES:
        raise SapsmedError(
            f"{path} is larger than {MAX_FILE_BYTES // 2**20} MiB; nothing was written"
        )
    if info is not None:
        try:
            existing = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SapsmedError(f"cannot read {path}: {exc}; nothing was written") from None
        try:
            new = splice(existing, text)
        except ValueError:
            raise SapsmedError(
                f"{path} has no {BEGIN} ... {END} markers: add them where the "
                "report goes (nothing was written)"
            ) from None
    else:
        new = f"{BEGIN}\n{text}{END}\n"
    write_files(path.parent, {path: new})


@guard
def site(
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="The folder to write: new, empty, or one an earlier `sapsmed site` wrote "
            "(replaced whole).",
        ),
    ],
    as_of: AsOf = None,
    base_url: Annotated[
        Optional[str],
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Where the site will be served, for canonical links and a sitemap.xml "
            "(links between pages are relative either way).",
        ),
    ] = None,
) -> None:
    """A static website of the plan, with charts.

    An overview, and a page per goal, action line, KPI and member state. The folder works
    opened from the disk (file://) or from any web server; the same plan and date give the
    same files.

    Example: sapsmed site -o public --base-url https://example.org/plan/
    """
    from sapsmed.io.gitinfo import plan_commit
    from sapsmed.site.build import base_url as checked_url
    from sapsmed.site.build import build
    from sapsmed.site.output import write_site

    url = checked_url(base_url)
    plan = load()
    day = parse_date(as_of)
    files = build(plan, day, plan_commit(plan.root), url)
    write_site(output, files)
    pages = sum(name.endswith(".html") for name in files)
    write(f"wrote {pages} pages to {output}{os.sep} (open {output / 'index.html'})\n")
