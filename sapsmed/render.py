"""Renderers: pure functions from data to the text the CLI writes. No I/O, no clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import Enum
from typing import Any

from .problems import ERROR, Problem


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def problem_line(p: Problem) -> str:
    where = f"{p.path}: " if p.path else ""
    return f"{p.file}:{p.line}:{p.column}: {where}{p.severity}: {p.message} [{p.code}]"


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
    data = {
        "ok": not any(p.severity == ERROR for p in problems),
        "problems": [
            {"file": p.file, "line": p.line, "column": p.column, "code": p.code,
             "severity": p.severity, "message": p.message, "path": p.path}
            for p in problems
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


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
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def entity_text(data: dict[str, Any]) -> str:
    """`show` as aligned `key: value` lines."""
    width = max(len(k) for k in data)
    lines = []
    for key, value in data.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value) if value else "-"
        elif isinstance(value, dict):
            value = "; ".join(f"{k}: {v}" for k, v in value.items()) if value else "-"
        elif value is None:
            value = "-"
        lines.append(f"{key.ljust(width)}  {value}")
    return "\n".join(lines) + "\n"


def fmt_value(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def status_text(data: dict[str, Any]) -> str:
    """`status` as plain text: the tree, then the KPIs, then the counts."""
    out: list[str] = []
    scope = data["scope"]
    if scope["country"]:
        c = data["country"]
        champion = ", ".join(c["champion_of"]) or "none"
        out.append(f"{c['id']} {c['name']}: champion of goals {champion}; "
                   f"leads {plural(len(data['lines']), 'action line')}")
    rows = {row["id"]: row for row in data["lines"]}
    for goal in data["goals"]:
        out.append(f"Goal {goal['id']}: {goal['title']}  (champions: "
                   f"{', '.join(goal['champions'])})")
        for outcome in goal["outcomes"]:
            out.append(f"  {outcome['id']}  {outcome['title']}")
            for action in outcome["actions"]:
                out.append(f"    {action['id']}  {action['title']}")
                for line_id in action["lines"]:
                    row = rows[line_id]
                    flag = "  OVERDUE" if row["overdue"] else ""
                    out.append(f"      {line_id:<9} {row['status']:<11} due {row['due_year']}"
                               f"  lead {','.join(row['lead']):<11} {row['level']:<8}{flag}")
                    out.append(f"                {row['title']}")
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
                out.append(f"      {r['country']}  {r['year']}  {fmt_value(r['value']):>12}"
                           f"  (vintage {vintage})")
    s = data["summary"]
    counts = ", ".join(f"{n} {k}" for k, n in s["by_status"].items() if n)
    out.append("")
    out.append(f"{plural(s['lines'], 'action line')}: {counts or 'none'}; "
               f"{s['overdue']} overdue as of {data['as_of']}")
    return "\n".join(out) + "\n"
