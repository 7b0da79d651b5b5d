"""GitHub-flavoured markdown pieces: escaped text, tables, mermaid charts. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Sequence

BEGIN, END = "<!-- sapsmed:begin -->", "<!-- sapsmed:end -->"
MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~>!])")


def text(value: object) -> str:
    """User text made inert: no markup, no HTML, no table breaks, on one line."""
    s = " ".join(str(value).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MD_SPECIAL.sub(r"\\\1", s)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]],
          align: str | None = None) -> str:
    """A table whose cells are already markdown (use :func:`text` for user text)."""
    align = align or "l" * len(headers)
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    out = ["| " + " | ".join(headers) + " |",
           "| " + " | ".join(marks[a] for a in align) + " |"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def mermaid_label(value: object, limit: int = 60) -> str:
    """Text safe inside a mermaid statement: no separators, quotes, comments or markup."""
    s = " ".join(str(value).split())
    s = re.sub(r"[:;#\"`<>{}\[\]|%]", " ", s)
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def gantt(title: str, sections: Sequence[tuple[str, Sequence[tuple[str, str, str, str]]]]
          ) -> str:
    """A mermaid gantt chart: sections of (label, tags, start, end) tasks, years on the axis."""
    out = ["```mermaid", "gantt", f"    title {mermaid_label(title, 80)}",
           "    dateFormat YYYY-MM-DD", "    axisFormat %Y"]
    for name, tasks in sections:
        out.append(f"    section {mermaid_label(name, 40)}")
        for label, tags, start, end in tasks:
            tag = f"{tags}, " if tags else ""
            out.append(f"    {mermaid_label(label)} :{tag}{start}, {end}")
    out.append("```")
    return "\n".join(out) + "\n"


def line_chart(title: str, y_label: str, years: Sequence[int], values: Sequence[float]) -> str:
    """A mermaid xychart-beta line chart of one series."""
    def number(v: float) -> str:  # mermaid reads plain decimals only: no exponents
        return f"{v:.4f}".rstrip("0").rstrip(".") or "0"

    return "\n".join([
        "```mermaid", "xychart-beta",
        f'    title "{mermaid_label(title, 80)}"',
        f"    x-axis [{', '.join(str(y) for y in years)}]",
        f'    y-axis "{mermaid_label(y_label, 40)}"',
        f"    line [{', '.join(number(v) for v in values)}]",
        "```"]) + "\n"


def splice(existing: str, report: str) -> str:
    """Replace what lies between the sapsmed markers of ``existing`` with ``report``."""
    start, end = existing.find(BEGIN), existing.find(END)
    if start < 0 or end < start:
        raise ValueError(f"no {BEGIN} ... {END} markers")
    return existing[: start + len(BEGIN)] + "\n" + report + existing[end:]
