"""How a scalar is read: YAML 1.2 core resolution, explicit standard tags, what YAML 1.1
tools would read instead, and the errors that carry a position."""

from __future__ import annotations

import re
from typing import Any

import yaml

from sapsmed.base.problems import INT_MAX, clip, quote

# Plain scalars that YAML 1.1 tools (and PyYAML's default loader) read as booleans.
YAML11_BOOLS = frozenset(
    [
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
    ]
)


INT_RE = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")


FLOAT_RE = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq")
)


class YamlError(Exception):
    """A problem that stops a file from being read at all."""

    def __init__(self, message: str, line: int, column: int, code: str) -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.code = message, line, column, code


class NumberTooLarge(ValueError):
    """An integer beyond what plan files hold (:data:`problems.INT_MAX`)."""


def resolve_plain(value: str) -> Any:
    """YAML 1.2 core schema for a plain (unquoted) scalar; :class:`NumberTooLarge` for an
    integer beyond 64 bits (Python reads up to 4,300 digits, then fails; other tools less)."""
    if not value or value in ("~", "null", "Null", "NULL"):
        return None
    first = value[0]
    if first in "tTfF" and value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return first in "tT"
    if first.isdigit() or first in "+-.":
        if INT_RE.fullmatch(value):
            based = value[:2] in ("0o", "0x")
            if not based and len(value.lstrip("+-0")) > 19:
                raise NumberTooLarge(value)
            number = int(value, 0) if based else int(value)
            if abs(number) > INT_MAX:
                raise NumberTooLarge(value)
            return number
        if FLOAT_RE.fullmatch(value):
            return float(value.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return value


def event_position(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def syntax_error(exc: yaml.MarkedYAMLError) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    context = ""
    if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
        where = exc.context_mark
        context = (
            f" ({exc.context} that starts at line {where.line + 1}, column {where.column + 1})"
        )
    return YamlError(f"YAML syntax error: {exc.problem}{context}", line, col, "Y-SYNTAX")


SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")


def yaml11_surprise(raw: str, value: Any) -> str | None:
    """What YAML 1.1 tools (PyYAML's default loader, many editors) would make of ``raw``."""
    if raw in YAML11_BOOLS:
        return (
            f"unquoted {raw!r} is read as a string here, but as a boolean by YAML 1.1 "
            "tools; quote it or write true/false"
        )
    if len(raw) > 1 and raw[0] == "0" and raw.isdigit():
        return (
            f"unquoted {raw!r} is read as {value} here, but as an octal number by YAML "
            "1.1 tools; write it without the leading zero, or quote it"
        )
    if SEXAGESIMAL.fullmatch(raw):
        return (
            f"unquoted {quote(raw)} is read as a string here, but as a base-60 number by "
            "YAML 1.1 tools; quote it"
        )
    return None


def explicit(event: Any, tag: str, value: str) -> Any:
    """Apply an explicit standard tag such as ``!!str`` or ``!!int``."""
    name = tag.rsplit(":", 1)[1]
    if name == "str":
        return value
    try:
        resolved = resolve_plain(value)
    except NumberTooLarge:
        raise too_large(event, value) from None
    expected: Any = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}.get(name)
    if (
        expected is None
        or not isinstance(resolved, expected)
        or (name == "int" and isinstance(resolved, bool))
    ):
        raise event_error(event, f"{quote(value)} is not a valid !!{clip(name)}", "Y-TAG")
    return float(resolved) if name == "float" else resolved


def bad_tag(event: Any, tag: str) -> YamlError:
    shown = clip(tag.replace("tag:yaml.org,2002:", "!!"))
    return event_error(
        event, f"tag {shown} is not allowed: plan files hold plain data only", "Y-TAG"
    )


def too_large(event: Any, raw: str) -> YamlError:
    digits = len(raw.lstrip("+-"))
    return event_error(
        event,
        f"integer {clip(raw, 24)} ({digits:,} digits) is too large: plan "
        f"files hold integers up to {INT_MAX:,} (64 bits)",
        "Y-NUMBER",
    )


def event_error(event: Any, message: str, code: str) -> YamlError:
    return YamlError(message, *event_position(event), code)
