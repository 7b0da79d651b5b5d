"""The grid command: national-level lines down, member states across."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from sapsmed.cli.common import AsJson, AsOf, fancy, guard, load, parse_date, write

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.shapes_grid import GridCell, GridJson


@guard
def grid(
    goal: Annotated[
        Optional[str], typer.Option("--goal", help="One goal only (its id or title).")
    ] = None,
    as_of: AsOf = None,
    as_json: AsJson = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """The officer's desk: each member state's own status on every national-level line.

    A cell is the state's status on the as-of date (with its percent complete where it
    reported one); — where the state has no duty on the line (it was not a member when the
    line fell due). Totals: per line, states completed / states required; per state, lines
    completed / lines it must carry out. On a terminal each status is a symbol in its own
    colour, named in a legend; piped, a plain table.

    Example: sapsmed grid --goal B --as-of 2019-06-01
    """
    from sapsmed.monitor.grid import grid as compute

    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv", param_hint="--csv")
    data = compute(load(), parse_date(as_of), goal)
    if as_json:
        from sapsmed.render.text import as_json as dump

        write(dump(data))
    elif as_csv:
        from sapsmed.render.grid import grid_csv

        write(grid_csv(data))
    elif fancy():
        print_grid(data)
    else:
        from sapsmed.render.grid import grid_text

        write(grid_text(data))


# On a terminal a cell is a symbol in its status's colour (the legend names them), so that
# eleven member states fit beside the line ids.
SYMBOL = {
    "completed": "✓",
    "ongoing": "◐",
    "not_started": "·",
    "on_hold": "‖",
    "cancelled": "✗",
}


def symbol(c: GridCell) -> str:
    from sapsmed.render.grid import NO_DUTY
    from sapsmed.render.text import percent_text

    if c["status"] is None:
        return NO_DUTY
    mark = SYMBOL[c["status"]]
    if c["percent"] is not None and c["status"] != "completed":
        mark = f"{mark} {percent_text(c['percent'])}"
    return mark if c["required"] else f"({mark})"


def print_grid(data: GridJson) -> None:
    """The grid as a Rich table, a colour per status, and a legend."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from sapsmed.cli.tty import STATUS_STYLE, shown
    from sapsmed.render.grid import LEGEND, heading

    console = Console(highlight=False)
    if not data["lines"]:
        console.print(shown(heading(data)), shown("no national-level lines"))
        return
    table = Table(title=shown(heading(data)), title_justify="left")
    codes = [c["id"] for c in data["countries"]]
    table.add_column("line", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for code in codes:
        table.add_column(shown(code), no_wrap=True)
    table.add_column("done", justify="right", no_wrap=True)
    for line in data["lines"]:
        cells = []
        for code in codes:
            c = line["countries"][code]
            style = "dim" if c["status"] is None or not c["required"] else STATUS_STYLE[c["status"]]
            cells.append(Text(symbol(c), style=style))
        table.add_row(
            shown(line["id"], style="bold"),
            Text(line["status"], style=STATUS_STYLE[line["status"]]),
            *cells,
            f"{line['completed']}/{line['required']}",
        )
    table.add_row(
        Text("done", style="bold"),
        "",
        *(f"{c['completed']}/{c['required']}" for c in data["countries"]),
        "",
    )
    wide = console.options.update_width(10_000)
    if console.measure(table, options=wide).maximum > console.width:  # cells would be cut
        from sapsmed.render.grid import grid_text

        write(grid_text(data))  # whole words, one row a line: a pager or a wider window
        return
    console.print(table)
    legend = Text("legend: ")
    for status, mark in SYMBOL.items():
        legend += Text(f"{mark} {status.replace('_', ' ')}", style=STATUS_STYLE[status])
        legend += Text("  ")
    legend += Text(LEGEND.replace("(status)", "(…)"))
    console.print(legend)
    for line in data["lines"]:
        console.print(shown(f"{line['id']}  {line['title']}", style="dim"))
    console.print(shown(data["rule"], style="dim"))
