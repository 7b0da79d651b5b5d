"""GitHub-flavoured markdown pieces: escaped text, tables, mermaid charts. Pure functions.

One escape at the boundary: markdown is built only from :class:`Md` values. :func:`text`
turns any value into inert ``Md``, :func:`md` fills a template with escaped values,
:func:`table` escapes every cell that is not ``Md`` already, and :func:`doc` refuses any
part that is not ``Md``, so plan text cannot reach a report unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sapsmed.base.safetext import oneline

BEGIN, END = "<!-- sapsmed:begin -->", "<!-- sapsmed:end -->"
MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~>!$])")
# What would open a list item or underline a heading at the start of a line.
BLOCK_START = re.compile(r"^(?:([-+])(?=\s)|(\d+)([.)])(?=\s|$))")
# Characters a mermaid label keeps; anything else becomes a space.
MERMAID_UNSAFE = re.compile(r"[^\w .,()/&+'’…-]")
MERMAID_WORDS = frozenset(
    [
        "click",
        "call",
        "href",
        "section",
        "title",
        "dateformat",
        "axisformat",
        "excludes",
        "includes",
        "todaymarker",
        "tickinterval",
        "weekday",
        "acctitle",
        "accdescr",
        "style",
        "classdef",
        "class",
        "linkstyle",
        "end",
        "subgraph",
        "x-axis",
        "y-axis",
        "line",
        "bar",
    ]
)


class Md(str):
    """Markdown that is safe as it stands: built by this module from escaped parts."""

    __slots__ = ()


def text(value: object) -> Md:
    """User text made inert: no markup, no HTML, no table breaks, on one line."""
    if isinstance(value, Md):
        return value
    s = " ".join(oneline(value).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = MD_SPECIAL.sub(r"\\\1", s)
    return Md(
        BLOCK_START.sub(
            lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3),
            s,
            count=1,
        )
    )


def md(template: str, *args: object) -> Md:
    """``template`` (code, trusted) with ``{}`` fields filled by escaped values."""
    return Md(template.format(*(text(a) for a in args)))


def code(value: object) -> Md:
    """A code span: its content is literal in markdown (no escapes), so only backticks,
    which would end it, are replaced, and it is kept to one line."""
    return Md("`" + oneline(value).replace("`", "'") + "`")


def doc(parts: Sequence[Md], sep: str = "\n") -> Md:
    """Parts joined; a part that is not ``Md`` is a bug, refused here."""
    for part in parts:
        if not isinstance(part, Md):
            raise TypeError(f"unescaped text in markdown: {str(part)[:60]!r}")
    return Md(sep.join(parts))


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str | None = None) -> Md:
    """A table: cells that are not ``Md`` are escaped."""
    align = align or "l" * len(headers)
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    out = [
        "| " + " | ".join(text(h) for h in headers) + " |",
        "| " + " | ".join(marks[a] for a in align) + " |",
    ]
    out += ["| " + " | ".join(text(c) for c in row) + " |" for row in rows]
    return Md("\n".join(out) + "\n")


def mermaid_label(value: object, limit: int = 60) -> str:
    """Text safe inside a mermaid statement: letters, digits and plain punctuation only, and
    never a mermaid keyword first (no directive, comment, callback or separator)."""
    s = " ".join(MERMAID_UNSAFE.sub(" ", oneline(value).replace("\\", " ")).split())
    if s.split(" ", 1)[0].lower() in MERMAID_WORDS:
        s = "· " + s
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def gantt(title: str, sections: Sequence[tuple[str, Sequence[tuple[str, str, str, str]]]]) -> Md:
    """A mermaid gantt chart: sections of (label, tags, start, end) tasks, years on the axis."""
    out = [
        "```mermaid",
        "gantt",
        f"    title {mermaid_label(title, 80)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y",
    ]
    for name, tasks in sections:
        out.append(f"    section {mermaid_label(name, 40)}")
        for label, tags, start, end in tasks:
            tag = f"{tags}, " if tags else ""
            out.append(f"    {mermaid_label(label)} :{tag}{start}, {end}")
    out.append("```")
    return Md("\n".join(out) + "\n")


def line_chart(title: str, y_label: str, years: Sequence[int], values: Sequence[float]) -> Md:
    """A mermaid xychart-beta line chart of one series."""

    def number(v: float) -> str:  # mermaid reads plain decimals only: no exponents
        return f"{v:.4f}".rstrip("0").rstrip(".") or "0"

    return Md(
        "\n".join(
            [
                "```mermaid",
                "xychart-beta",
                f'    title "{mermaid_label(title, 80)}"',
                f"    x-axis [{', '.join(str(y) for y in years)}]",
                f'    y-axis "{mermaid_label(y_label, 40)}"',
                f"    line [{', '.join(number(v) for v in values)}]",
                "```",
            ]
        )
        + "\n"
    )


def splice(existing: str, report: str) -> str:
    """Replace what lies between the sapsmed markers of ``existing`` with ``report``."""
    start, end = existing.find(BEGIN), existing.find(END)
    if start < 0 or end < start:
        raise ValueError(f"no {BEGIN} ... {END} markers")
    return existing[: start + len(BEGIN)] + "\n" + report + existing[end:]
