"""Member-state returns: `returns template` (a file to fill in) and `returns import`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sapsmed.cli.common import (
    AsOf,
    Wait,
    err,
    find_root,
    guard,
    load,
    parse_date,
    refused_to_exit,
    waiting,
    warn,
    write,
)

app = typer.Typer(
    help="Member-state returns: a template for a focal point to fill in, and its import.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


@app.command("template")
@guard
def returns_template(
    country: Annotated[
        str, typer.Option("--country", help="The member state the return is for (ISO3).")
    ],
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="The file to write: FILE.xlsx or FILE.csv."),
    ],
    as_of: AsOf = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a return for a member state to fill in: one row per line it reports on.

    The rows are the national-level lines it must carry out and the lines it leads, with
    the status and percent recorded now; the focal point fills in the new status, percent,
    date, note, reporter and source document. An XLSX return offers the statuses as a
    drop-down and checks the percent; a CSV one carries its instructions as # lines. The
    country and the as-of date are recorded in the file for the import.

    Example: sapsmed returns template --country KHM --as-of 2020-12-31 -o KHM.xlsx
    """
    from sapsmed.domain.vocabulary import STATUSES
    from sapsmed.io.returns import instructions, save, template_csv
    from sapsmed.monitor.returns import return_lines

    suffix = output.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise typer.BadParameter("the file name must end in .xlsx or .csv", param_hint="-o")
    plan = load()
    code = country.upper()
    day = parse_date(as_of)
    lines = return_lines(plan, code, day)
    rows: list[list[object]] = [
        [
            line.id,
            line.title,
            line.due_year,
            code,
            line.status,
            line.percent,
            None,
            None,
            None,
            None,
            None,
            None,
        ]
        for line in lines
    ]
    pairs = instructions(code, day, plan.meta["title"], STATUSES)
    if suffix == ".csv":
        data = template_csv(pairs, rows)
    else:
        from sapsmed.io.returns_xlsx import template_xlsx

        data = template_xlsx(pairs, rows, STATUSES)
    save(output, data, force)
    write(f"wrote {output}: {len(rows)} line{'' if len(rows) == 1 else 's'} for {code}\n")


@app.command("import")
@guard
def returns_import(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="Returns filled in: .xlsx or .csv files."),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the change to the plan; write nothing.")
    ] = False,
    as_of: AsOf = None,
    wait: Wait = 30.0,
) -> None:
    """Record the returns of member states: every row of every file, or none.

    Every row is checked first: the line (known, and one the country reports on), the
    status, the percent (0-100), the date (YYYY-MM-DD, in the plan period, not after the
    as-of date), the country (the file's), no row twice. Every problem is listed as
    FILE:row:column (exit 1) and nothing is written. Otherwise all updates are recorded in
    one checked edit of the plan. Rows without a new status are skipped; an update already
    in the log is skipped, so importing a return twice changes nothing.

    Example: sapsmed returns import KHM.xlsx LAO.csv --as-of 2021-01-15 --dry-run
    """
    from sapsmed.render.returns import returns_text
    from sapsmed.write.returns import ReturnErrors, import_returns

    root = find_root(editing=True)
    day = parse_date(as_of)
    try:
        report = refused_to_exit(
            root, lambda: import_returns(root, files, day, dry_run, wait, waiting)
        )
    except ReturnErrors as exc:
        err("".join(f"{message}\n" for message in exc.messages))
        if exc.total > len(exc.messages):
            err(f"... and {exc.total - len(exc.messages)} more\n")
        err(f"sapsmed: {exc}\n")
        raise typer.Exit(1) from None
    write(returns_text(report, dry_run))
    warn(report.warnings)
