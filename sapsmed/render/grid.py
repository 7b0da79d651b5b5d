"""`grid` as plain text, CSV and a markdown table (the report's section "National-level lines
by member state"): one row per national-level line, one column per member state."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from sapsmed.base.safetext import csv_cell
from sapsmed.render.markdown import Md, doc, md, table
from sapsmed.render.text import lines_of, percent_text
from sapsmed.render.text import table as text_table

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.shapes_grid import GridCell, GridJson

NO_DUTY = "—"
LEGEND = f"{NO_DUTY} no duty (not a member when the line fell due)"


def cell_text(c: GridCell, space: bool = False) -> str:
    """A state's cell: its status, with its percent where it reported one and has not
    completed; ``NO_DUTY`` where it has none (an update it sent anyway stays in the log)."""
    if c["status"] is None or not c["required"]:
        return NO_DUTY
    status = c["status"].replace("_", " ") if space else c["status"]
    if c["percent"] is not None and c["status"] != "completed":
        status = f"{status} {percent_text(c['percent'])}"
    return status


def legend(data: GridJson, before: str) -> str:
    """What ``NO_DUTY`` means, where the grid shows it."""
    shown = any(not c["required"] for line in data["lines"] for c in line["countries"].values())
    return before + LEGEND if shown else ""


def heading(data: GridJson) -> str:
    scope = f" (goal {data['goal']})" if data["goal"] else ""
    return f"National-level lines by member state as of {data['as_of']}{scope}"


def grid_text(data: GridJson) -> str:
    """The grid as an aligned plain-text table, the per-state totals last."""
    if not data["lines"]:
        return lines_of([heading(data), "no national-level lines"])
    codes = [c["id"] for c in data["countries"]]
    head = ["line", "due", "status", *codes, "done", "title"]
    rows = [
        [
            line["id"],
            str(line["due_year"]),
            line["status"],
            *(cell_text(line["countries"][code]) for code in codes),
            f"{line['completed']}/{line['required']}",
            line["title"],
        ]
        for line in data["lines"]
    ]
    totals = [f"{c['completed']}/{c['required']}" for c in data["countries"]]
    rows.append(["done", "", "", *totals, "", ""])
    return (
        f"{heading(data)}\n"
        + text_table(head, rows)
        + lines_of([f"done = completed / required{legend(data, '; ')}", data["rule"]])
    )


def grid_csv(data: GridJson) -> str:
    """One row per line (a state without a duty left blank), then the states' totals."""
    codes = [c["id"] for c in data["countries"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["line", "title", "goal", "due_year", "status", *codes, "completed", "required"]
    )
    for line in data["lines"]:
        cells = [line["countries"][code] for code in codes]
        row = [
            line["id"],
            line["title"],
            line["goal"],
            line["due_year"],
            line["status"],
            *("" if c["status"] is None else cell_text(c) for c in cells),
            line["completed"],
            line["required"],
        ]
        writer.writerow([csv_cell(v) for v in row])
    for total in ("completed", "required"):
        values = [c["completed" if total == "completed" else "required"] for c in data["countries"]]
        writer.writerow([csv_cell(v) for v in [total, "", "", "", "", *values, "", ""]])
    return out.getvalue()


def grid_markdown(data: GridJson) -> Md:
    """The report's section: the grid as a markdown table, every cell escaped."""
    if not data["lines"]:
        return Md("")
    codes = [c["id"] for c in data["countries"]]
    rows: list[list[object]] = [
        [
            line["id"],
            line["status"].replace("_", " "),
            *(cell_text(line["countries"][code], space=True) for code in codes),
            f"{line['completed']}/{line['required']}",
        ]
        for line in data["lines"]
    ]
    rows.append(
        [
            Md("**Completed**"),
            "",
            *(f"{c['completed']}/{c['required']}" for c in data["countries"]),
            "",
        ]
    )
    return doc(
        [
            Md("## National-level lines by member state\n"),
            md(
                "Each member state's own status on {} (percent complete where reported); "
                "Completed = completed / required. {}.{}\n",
                data["as_of"],
                data["rule"][0].upper() + data["rule"][1:],
                legend(data, " ") + ("." if legend(data, "") else ""),
            ),
            table(["Line", "Status", *codes, "Completed"], rows, "ll" + "l" * len(codes) + "r"),
        ]
    )
