"""Rich rendering of `status` for a person at a terminal (part of the CLI layer).

Plan text reaches Rich only inside :class:`Text` objects built by :func:`shown`, so it is
never parsed as markup (``[link=...]``, ``[/bold]``) and its control characters and bidi
marks are shown as escapes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from sapsmed.base.safetext import oneline
from sapsmed.render.text import countries_text, fmt_value, percent_text, plural

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.shapes_status import StatusJson


def shown(value: object, style: str = "") -> Text:
    """Plan text for Rich: one line, controls escaped, never markup."""
    return Text(oneline(value), style=style)


STATUS_STYLE = {
    "completed": "green",
    "ongoing": "cyan",
    "not_started": "white",
    "on_hold": "yellow",
    "cancelled": "dim",
}


def print_status(data: StatusJson) -> None:
    console = Console(highlight=False)
    rows = {row["id"]: row for row in data["lines"]}
    if data["scope"]["country"]:
        c = data["country"]
        console.print(
            shown(f"{c['id']} {c['name']}", style="bold"),
            shown(f"champion of goals {', '.join(c['champion_of']) or 'none'}"),
        )
    for goal in data["goals"]:
        tree = Tree(
            shown(f"Goal {goal['id']}: {goal['title']}  ", style="bold")
            + shown(f"champions {', '.join(goal['champions'])}", style="dim")
        )
        branches = [(tree, goal.get("actions", []))]  # a plan without outcomes
        for outcome in goal["outcomes"]:
            branch = tree.add(shown(f"{outcome['id']}  {outcome['title']}"))
            branches.append((branch, outcome["actions"]))
        for branch, actions in branches:
            for action in actions:
                leaf = branch.add(
                    shown(
                        f"{action['id']}  {action['title']}",
                        style="dim" if not action["lines"] else "",
                    )
                )
                for line_id in action["lines"]:
                    leaf.add(line_label(rows[line_id]))
        console.print(tree)
    if data["kpis"]:
        table = Table(
            title=shown(f"KPIs: latest reading per country (as of {data['as_of']})"),
            title_justify="left",
        )
        for column in ("KPI", "country", "year", "value", "vintage"):
            table.add_column(column, justify="right" if column in ("year", "value") else "left")
        for kpi in data["kpis"]:
            name = shown(f"{kpi['id']} {kpi['name']}")
            if not kpi["latest"]:
                table.add_row(name, "-", "-", "no readings", "-")
            for i, r in enumerate(kpi["latest"]):
                table.add_row(
                    name if i == 0 else "",
                    shown(r["country"]),
                    str(r["year"]),
                    fmt_value(r["value"]),
                    shown(r["vintage"] or "unknown"),
                    end_section=i == len(kpi["latest"]) - 1,
                )
        console.print(table)
    s = data["summary"]
    counts = ", ".join(f"{n} {k}" for k, n in s["by_status"].items() if n) or "none"
    summary = Text(f"{plural(s['lines'], 'action line')}: {counts}; ")
    summary += Text(f"{s['overdue']} overdue", style="bold red")
    for flag, n in s["flags"].items():
        if n and flag != "overdue":
            summary += Text(f", {n} {flag}", style=FLAG_STYLE[flag])
    summary += Text(f" as of {data['as_of']}")
    console.print(summary)


FLAG_STYLE = {
    "overdue": "bold red",
    "due_soon": "yellow",
    "blocked": "magenta",
    "behind": "red",
    "over_budget": "bold magenta",
}


def line_label(row: Mapping[str, Any]) -> Text:
    label = shown(f"{row['id']}  ", style="bold")
    label += Text(row["status"], style=STATUS_STYLE[row["status"]])
    label += shown(
        f"  {percent_text(row['percent'])}  due {row['due_year']}  "
        f"lead {', '.join(row['lead'])}  {row['level']}"
    )
    for flag in row["flags"]:
        label += Text(f"  {flag.upper()}", style=FLAG_STYLE[flag])
    label += Text("\n") + shown(row["title"], style="italic")
    if row["countries"]:
        label += Text("\n") + shown(countries_text(row["countries"]), style="dim")
    update = row["last_update"]
    if update:
        note = f": {update['note']}" if update.get("note") else ""
        label += Text("\n") + shown(f"last update {update['date']}{note}", style="dim")
    return label
