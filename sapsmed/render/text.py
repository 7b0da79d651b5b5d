"""Renderers: pure functions from data to the text the CLI writes. No I/O, no clock."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from sapsmed.base.problems import ERROR, Problem
from sapsmed.base.safetext import json_text, oneline

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.shapes import Rate, ScorecardJson, ValidateJson
    from sapsmed.domain.shapes_status import LineRow, StatusJson


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def problem_line(p: Problem) -> str:
    """`file:line:col: path: severity: message [CODE]` on one line, whatever the names hold
    (a line of a CI log that starts with `::` would be read as a workflow command)."""
    where = f"{oneline(p.path)}: " if p.path else ""
    file = oneline(p.file)
    if file.startswith(":"):
        file = "./" + file
    return f"{file}:{p.line}:{p.column}: {where}{p.severity}: {oneline(p.message)} [{p.code}]"


def lines_of(out: list[str]) -> str:
    """Lines of output, each kept to one line whatever the plan text in it holds."""
    return "".join(oneline(line) + "\n" for line in out)


def summary_line(problems: list[Problem], files: int) -> str:
    errors = sum(p.severity == ERROR for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return f"ok: {files} files, no problems"
    verdict = "invalid" if errors else "ok"
    return f"{verdict}: {plural(errors, 'error')}, {plural(warnings, 'warning')} in {files} files"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def problems_text(problems: list[Problem], files: int) -> str:
    return "".join(problem_line(p) + "\n" for p in problems) + summary_line(problems, files) + "\n"


def problems_json(problems: list[Problem], files: int) -> str:
    data: ValidateJson = {
        "ok": not any(p.severity == ERROR for p in problems),
        "problems": [p.as_dict() for p in problems],
    }
    return json_text(data) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def problems_github(problems: list[Problem], files: int) -> str:
    """Workflow-command annotations, then the full text report (GitHub shows only the first
    10 annotations of a step, so the log must hold them all)."""
    out = []
    for p in problems:
        level = "error" if p.severity == ERROR else "warning"
        message = f"{p.path}: {p.message}" if p.path else p.message
        out.append(
            f"::{level} file={_escape_property(p.file)},line={p.line},col={p.column},"
            f"title={_escape_property(p.code)}::{_escape_data(message)}\n"
        )
    return "".join(out) + problems_text(problems, files)


PROBLEM_RENDERERS: dict[Format, Callable[[list[Problem], int], str]] = {
    Format.text: problems_text,
    Format.json: problems_json,
    Format.github: problems_github,
}


def as_json(data: Any) -> str:
    return json_text(data) + "\n"


def entity_text(data: Mapping[str, Any]) -> str:
    """`show` as aligned `key: value` lines."""
    width = max(len(k) for k in data)
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = "".join(f"\n  - {oneline(fields_text(item))}" for item in value)
        elif isinstance(value, list):
            value = oneline(", ".join(str(v) for v in value)) if value else "-"
        elif isinstance(value, dict):
            value = oneline("; ".join(f"{k}: {v}" for k, v in value.items())) if value else "-"
        elif value is None:
            value = "-"
        else:
            value = oneline(value)
        lines.extend(part.rstrip() for part in f"{key.ljust(width)}  {value}".split("\n"))
    return "\n".join(lines) + "\n"


def fields_text(item: dict[str, Any]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in item.items() if v is not None)


def fmt_value(value: float, decimals: int | None = None) -> str:
    """A value with thousands separators: with ``decimals`` (a declared unit's), exactly
    that many places; else up to two, trailing zeros dropped."""
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def status_text(data: StatusJson) -> str:
    """`status` as plain text: the tree, then the KPIs, then the counts."""
    out: list[str] = []
    scope = data["scope"]
    if scope["country"]:
        c = data["country"]
        champion = ", ".join(c["champion_of"]) or "none"
        own: list[Mapping[str, Any]] = list(data["lines"])  # CountryLineRow, with a role
        leads = sum("leads" in row["role"] for row in own)
        implements = sum("implements" in row["role"] for row in own)
        out.append(
            f"{c['id']} {c['name']}: champion of goals {champion}; leads "
            f"{plural(leads, 'action line')}; implements "
            f"{plural(implements, 'national-level line')} (its own status shown)"
        )
    rows = {row["id"]: row for row in data["lines"]}
    for goal in data["goals"]:
        out.append(
            f"Goal {goal['id']}: {goal['title']}  (champions: {', '.join(goal['champions'])})"
        )
        for action in goal.get("actions", []):  # a plan without outcomes
            out.append(f"  {action['id']}  {action['title']}")
            for line_id in action["lines"]:
                out.extend(line_text(rows[line_id]))
        for outcome in goal["outcomes"]:
            out.append(f"  {outcome['id']}  {outcome['title']}")
            for action in outcome["actions"]:
                out.append(f"    {action['id']}  {action['title']}")
                for line_id in action["lines"]:
                    out.extend(line_text(rows[line_id]))
    if data["kpis"]:
        out.append("")
        out.append(f"KPIs (latest reading per country, as of {data['as_of']})")
        for kpi in data["kpis"]:
            code = f" [{kpi['indicator_code']}]" if kpi["indicator_code"] else ""
            out.append(f"  {kpi['id']}  {kpi['name']}{code}")
            if not kpi["latest"]:
                out.append("      no readings")
            for r in kpi["latest"]:
                vintage = r["vintage"] or "unknown"
                out.append(
                    f"      {r['country']}  {r['year']}  {fmt_value(r['value']):>12}"
                    f"  (vintage {vintage})"
                )
    s = data["summary"]
    counts = ", ".join(f"{n} {k}" for k, n in s["by_status"].items() if n)
    flagged = ", ".join(f"{n} {k}" for k, n in s["flags"].items() if n and k != "overdue")
    out.append("")
    out.append(
        f"{plural(s['lines'], 'action line')}: {counts or 'none'}; "
        f"{s['overdue']} overdue" + (f", {flagged}" if flagged else "") + f" as of {data['as_of']}"
    )
    return lines_of(out)


def percent_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def countries_text(countries: Mapping[str, str]) -> str:
    """Who has completed a national-level line and who has not."""
    groups: dict[str, list[str]] = {}
    for code, status in countries.items():
        groups.setdefault(status, []).append(code)
    done = groups.get("completed", [])
    rest = "; ".join(
        f"{status.replace('_', ' ')}: {', '.join(codes)}"
        for status, codes in groups.items()
        if status != "completed"
    )
    head = f"member states: {len(done)}/{len(countries)} completed"
    head += f" ({', '.join(done)})" if done else ""
    return head + (f"; {rest}" if rest else "")


def line_text(row: Mapping[str, Any]) -> list[str]:
    """One action line of `status`: its state, title, member states and last update."""
    flags = "  " + " ".join(f.upper() for f in row["flags"]) if row["flags"] else ""
    out = [
        f"      {row['id']:<9} {row['status']:<11} {percent_text(row['percent']):>4}  "
        f"due {row['due_year']}  lead {','.join(row['lead']):<11} {row['level']:<8}{flags}",
        f"                {row['title']}",
    ]
    if row["countries"] and "role" not in row:
        out.append(
            f"                {countries_text(row['countries'])}; % = {row['percent_basis']}"
        )
    elif row["countries"]:
        out.append(
            f"                the line as a whole: {row['line_status']} "
            f"{percent_text(row['line_percent'])}; {countries_text(row['countries'])}"
        )
    update = row["last_update"]
    if update:
        who = " ".join(x for x in (update.get("country"), update.get("by")) if x)
        note = f": {update['note']}" if update.get("note") else ""
        out.append(
            f"                last update {update['date']}{' by ' + who if who else ''}{note}"
        )
    return out


def table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    """Columns padded to their widest cell."""
    right = right or set()
    rows = [[oneline(c) for c in row] for row in rows]
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    out = []
    for row in [headers, *rows]:
        cells = [
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())  # no padding after the last column
    return "\n".join(out) + "\n"


def lines_text(rows: Sequence[LineRow]) -> str:
    if not rows:
        return "no action lines match\n"
    body = [
        [
            r["id"],
            r["status"],
            percent_text(r["percent"]),
            str(r["due_year"]),
            ",".join(r["lead"]),
            r["level"],
            " ".join(r["flags"]) or "-",
            r["title"],
        ]
        for r in rows
    ]
    return (
        table(["id", "status", "%", "due", "lead", "level", "flags", "title"], body, right={2})
        + f"{plural(len(rows), 'action line')}\n"
    )


def rate_text(rate: Rate, nothing_due: str = "-/0") -> str:
    """A rate as "completed/due (percent)"; ``nothing_due`` where nothing is due."""
    value = rate["value"]
    if not rate["denominator"] or value is None:
        return nothing_due
    return f"{rate['numerator']}/{rate['denominator']} ({100 * value:.1f}%)"


def scorecard_text(data: ScorecardJson) -> str:
    head = [
        "group",
        "lines",
        "due",
        "completed",
        "implementation",
        "lenient",
        "not started",
        "ongoing",
        "on hold",
        "cancelled",
        "overdue",
        "blocked",
        "behind",
    ]
    rows = []
    for g in [*data["groups"], data["total"]]:
        s, f = g["by_status"], g["flags"]
        rows.append(
            [
                g["group"],
                str(g["lines"]),
                str(g["due"]),
                str(g["completed"]),
                rate_text(g["implementation_rate"]),
                rate_text(g["lenient_rate"]),
                str(s["not_started"]),
                str(s["ongoing"]),
                str(s["on_hold"]),
                str(s["cancelled"]),
                str(f["overdue"]),
                str(f["blocked"]),
                str(f["behind"]),
            ]
        )
    return (
        f"Scorecard by {data['by']} as of {data['as_of']}\n"
        + table(head, rows, right=set(range(1, len(head))))
        + f"{data['rule']}\nby {data['by']}: {data['attribution']}\n"
    )
