"""`sapsmed diff` as text, markdown (for a pull request's job summary) and JSON.

The difference itself is computed by :mod:`sapsmed.monitor.plandiff`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sapsmed.base.safetext import json_text
from sapsmed.render.markdown import Md, code, doc, md, table
from sapsmed.render.text import fmt_value, lines_of

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.shapes import DiffJson

MARKDOWN_ROWS = 200  # rows a markdown list or table shows before it is cut


def empty(d: DiffJson) -> bool:
    return not any(v for k, v in d.items() if isinstance(v, list) and k != "incomplete")


def notes(d: DiffJson) -> list[str]:
    """A line for each revision with errors: its data is shown as far as it could be read."""
    return [
        f"note: {n['revision']} has {n['errors']} error(s); its plan is shown as far as "
        "it could be read"
        for n in d["incomplete"]
    ]


def value(v: Any) -> str:
    if isinstance(v, float):
        return fmt_value(v)
    return json.dumps(v, ensure_ascii=False, default=str) if not isinstance(v, str) else v


def entry_text(entry: dict[str, Any]) -> str:
    """A log entry in words: `date 2018-11-30, status completed, percent 100`."""
    return ", ".join(f"{k} {value(v)}" for k, v in entry.items())


def pct(v: float | None) -> str:
    return "" if v is None else f" ({v:.0f}%)"


def summary_lines(d: DiffJson) -> list[str]:
    """The changes as sentences, shared by the text and markdown renderers."""
    out = []
    out += [f"added {e['kind'].replace('_', ' ')} {e['id']}: {e['title']}" for e in d["added"]]
    out += [f"removed {e['kind'].replace('_', ' ')} {e['id']}: {e['title']}" for e in d["removed"]]
    for e in d["changed"]:
        for f in e["fields"]:
            out.append(f"changed {e['id']} {f['field']}: {value(f['old'])} -> {value(f['new'])}")
    for f in d["settings"]:
        out.append(f"changed the plan's {f['field']}: {value(f['old'])} -> {value(f['new'])}")
    for s in d["status_changes"]:
        out.append(
            f"status of {s['id']}: {s['old']}{pct(s['old_percent'])} -> "
            f"{s['new']}{pct(s['new_percent'])}"
        )
    for u in d["updates"]:
        out += [f"update of {u['id']}: {entry_text(e)}" for e in u["added"]]
        out += [f"removed update of {u['id']}: {entry_text(e)}" for e in u["removed"]]
    for r in d["readings_added"]:
        out.append(
            f"reading added {r['kpi']} {r['country']} {r['year']}: "
            f"{fmt_value(r['value'])} (vintage {r['vintage'] or 'unknown'})"
        )
    for rv in d["readings_revised"]:
        out.append(
            f"reading revised {rv['kpi']} {rv['country']} {rv['year']}: "
            f"{fmt_value(rv['old'])} -> {fmt_value(rv['new'])} (vintage "
            f"{rv['old_vintage'] or 'unknown'} -> {rv['new_vintage'] or 'unknown'})"
        )
    for rm in d["readings_removed"]:
        out.append(
            f"reading removed {rm['kpi']} {rm['country']} {rm['year']}: {fmt_value(rm['value'])}"
        )
    for k in d["kpi_status_changes"]:
        out.append(f"KPI {k['id']} ({k['method']}): {k['old']} -> {k['new']}")
    for p in d["problems_introduced"]:
        out.append(
            f"new problem {p['file']}:{p['line']}:{p['column']}: {p['severity']}: "
            f"{p['message']} [{p['code']}]"
        )
    for fx in d["problems_fixed"]:
        out.append(f"fixed problem {fx['file']}: {fx['message']} [{fx['code']}]")
    return out


def diff_text(d: DiffJson) -> str:
    head = f"plan changes from {d['from']} to {d['to']} (statuses as of {d['as_of']})"
    lines = summary_lines(d)
    return lines_of([head, *notes(d), *(lines or ["no changes to the plan"])])


def diff_markdown(d: DiffJson) -> Md:
    out = [md("## Plan changes: {} → {}\n", code(d["from"]), code(d["to"]))]
    out += [md("> {}\n", line) for line in notes(d)]
    if empty(d):
        return Md(doc(out) + "\nNo changes to the plan.\n")
    if d["problems_introduced"]:
        out.append(md("**{} new validation problem(s)**:\n", len(d["problems_introduced"])))
        out.append(
            table(
                ["Where", "Severity", "Problem"],
                [
                    [
                        f"{p['file']}:{p['line']}:{p['column']}",
                        p["severity"],
                        md("{} {}", p["message"], code(p["code"])),
                    ]
                    for p in d["problems_introduced"]
                ],
            )
        )
    if d["status_changes"]:
        out.append(md("\nAction line statuses (as of {}):\n", d["as_of"]))
        out.append(
            table(
                ["Line", "Before", "After"],
                [
                    [
                        s["id"],
                        f"{s['old']}{pct(s['old_percent'])}",
                        f"{s['new']}{pct(s['new_percent'])}",
                    ]
                    for s in d["status_changes"]
                ],
            )
        )
    rows = [
        [
            r["kpi"],
            r["country"],
            r["year"],
            fmt_value(r["old"]),
            fmt_value(r["new"]),
            r["new_vintage"] or "unknown",
        ]
        for r in d["readings_revised"]
    ]
    if rows:
        out.append(md("\nKPI readings revised ({}):\n", len(rows)))
        out.append(
            table(
                ["KPI", "Country", "Year", "Old", "New", "Vintage"], rows[:MARKDOWN_ROWS], "lllrrl"
            )
        )
        out.append(more(len(rows)))
    other = [
        line
        for line in summary_lines(d)
        if not line.startswith(("status of", "reading revised", "new problem"))
    ]
    if other:
        out.append(md("\nOther changes ({}):\n", len(other)))
        out += [md("- {}", line) for line in other[:MARKDOWN_ROWS]]
        out.append(more(len(other)))
    return Md(doc([line for line in out if line]) + "\n")


def more(count: int) -> Md:
    """A note where a list was cut: a job summary takes 1 MiB at most."""
    if count <= MARKDOWN_ROWS:
        return Md("")
    return md(
        "\n... and {} more (`sapsmed diff` in a terminal lists them all)\n", count - MARKDOWN_ROWS
    )


def diff_json(d: DiffJson) -> str:
    return json_text(json.loads(json.dumps(d, default=str))) + "\n"


DIFF_RENDERERS = {"text": diff_text, "markdown": diff_markdown, "json": diff_json}
