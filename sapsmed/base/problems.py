"""Problems found in a plan, and the catalogue of rule codes that name them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

ERROR, WARNING = "error", "warning"
QUOTE_LIMIT = 80  # a message quotes at most this many characters of a value
MESSAGE_LIMIT = 1000  # and is never longer than this
# Plan years (start, end, base, phases, mid-term review, due years, targets): a sane range.
YEAR_MIN, YEAR_MAX = 1900, 2200
# Integers a plan file may hold: what a signed 64-bit integer holds.
INT_MAX = 2**63 - 1

# code -> (severity, what the rule checks). README's rule table is generated from this.
RULES: dict[str, tuple[str, str]] = {
    "Y-SYNTAX": (ERROR, "the file is not well-formed YAML"),
    "Y-ENCODING": (ERROR, "the file is not valid UTF-8"),
    "Y-EMPTY": (ERROR, "the file holds no YAML content"),
    "Y-CONFLICT": (ERROR, "the file holds git merge-conflict markers"),
    "Y-TAB": (ERROR, "a tab character is used for indentation"),
    "Y-DUPLICATE-KEY": (ERROR, "a mapping repeats a key (YAML tools silently keep the last)"),
    "Y-TAG": (ERROR, "an explicit tag other than the standard ones (e.g. !!python/object)"),
    "Y-ALIAS": (
        ERROR,
        "an alias without anchor, or aliases that expand the file to more than "
        "10 times its size (alias bomb)",
    ),
    "Y-DEPTH": (ERROR, "nesting deeper than 64 levels"),
    "Y-KEY": (ERROR, "a mapping key that is not a plain scalar"),
    "Y-CONTROL": (
        ERROR,
        "a control character YAML does not allow (NUL, ESC, ...), at its line and column",
    ),
    "Y-NUMBER": (ERROR, f"an integer beyond 64 bits (more than {INT_MAX:,} in size)"),
    "Y-BOM": (WARNING, "the file starts with a UTF-8 byte-order mark"),
    "Y-YAML11": (
        WARNING,
        "an unquoted value YAML 1.1 tools read otherwise (yes/no/on/off, 010, 12:30)",
    ),
    "F-MISSING": (ERROR, "a file the plan needs (plan.yaml, countries.yaml, kpis.yaml) is missing"),
    "F-UNREADABLE": (ERROR, "a plan file or folder that cannot be read (permissions)"),
    "F-LINK": (
        ERROR,
        "a symbolic link that leads outside the plan folder, dangles or loops (never followed)",
    ),
    "F-NOT-FILE": (
        ERROR,
        "a *.yaml entry that is not a regular file (FIFO, socket, device, folder; never opened)",
    ),
    "F-TOO-LARGE": (ERROR, "a plan file over 64 MiB (not read)"),
    "F-GIT-NAME": (
        ERROR,
        "a git tree entry whose name cannot be a plan file's (.., ., .git, a "
        "slash, a control character, not UTF-8, repeated; never a path)",
    ),
    "F-IGNORED": (
        WARNING,
        "a YAML file in a subfolder, where the layout reads none (not read, not counted)",
    ),
    "S-UNKNOWN-FIELD": (ERROR, "a key the schema does not define (a typo?)"),
    "S-MISSING-FIELD": (ERROR, "a required key is missing"),
    "S-INVALID": (ERROR, "a value has the wrong type or form"),
    "R-ID-FORMAT": (ERROR, "an id does not have its kind's form (goal A, outcome A-1, ...)"),
    "R-LEVELS": (
        ERROR,
        "a goal holds outcomes where the plan's levels have none, or actions where they "
        "put outcomes between",
    ),
    "R-ID-PARENT": (
        ERROR,
        "an id's prefix does not match the entity or file it is filed "
        "under (goals/B.yaml holds goal B, readings/KPI-D1*.yaml KPI-D1)",
    ),
    "R-DUPLICATE-ID": (ERROR, "two entities share one id"),
    "R-REFERENCE": (ERROR, "a reference to an id that does not exist"),
    "R-COUNTRY": (ERROR, "a country code that is not one of the plan's member states"),
    "R-MEMBERSHIP": (ERROR, "a member state that left on or before the day it joined"),
    "R-YEAR": (ERROR, "a due year outside the plan period"),
    "R-YEAR-RANGE": (
        ERROR,
        f"a plan year (start, end, base, phase, mid-term review, due, "
        f"target, last data year) outside {YEAR_MIN}-{YEAR_MAX}, or a "
        "period that ends before it starts",
    ),
    "R-UNIT-RANGE": (ERROR, "a unit declared in kpis.yaml whose max is below its min"),
    "R-PHASE": (
        ERROR,
        "a phase not inside the plan period, listed after a phase that starts later, or "
        "overlapping the phase before it",
    ),
    "R-PHASE-GAP": (WARNING, "years between two consecutive phases that no phase covers"),
    "R-TARGET": (
        ERROR,
        "a KPI target not after the base year, negative, or outside its unit's range",
    ),
    "R-TIMEFRAME": (WARNING, "a timeframe as printed that names a year other than the due year"),
    "R-LEAD-CHAMPION": (WARNING, "an action line led by a country that is not its goal's champion"),
    "R-READING-DUPLICATE": (ERROR, "two readings for the same KPI, country and year"),
    "R-READING-RANGE": (
        ERROR,
        "a reading outside its unit's range (percent 0-100, days >= 0, a declared unit's min-max)",
    ),
    "R-READING-YEAR": (ERROR, f"a reading for a year before {YEAR_MIN} or after the as-of year"),
    "R-READING-FUTURE": (
        WARNING,
        "a reading for the as-of year itself (not over on the "
        "as-of date) or for a year after its release's vintage",
    ),
    "R-READING-AVAILABILITY": (
        WARNING,
        "a reading for a country the KPI's declared availability does not list",
    ),
    "R-VINTAGE-FUTURE": (ERROR, "a release's vintage after the as-of date (today unless --as-of)"),
    "R-READING-JUMP": (
        WARNING,
        "a year-on-year change by a factor of 10 or more in an "
        "otherwise smooth series (a unit or typing error?)",
    ),
    "R-COVERAGE": (
        WARNING,
        "a KPI with readings for some countries but none for a country "
        "its declared availability lists",
    ),
    "P-UPDATE-DATE": (
        ERROR,
        "a progress update dated before the plan began or after the "
        "as-of date (today unless --as-of)",
    ),
    "P-UPDATE-AFTER-PLAN": (WARNING, "a progress update dated after the plan period ended"),
    "P-UPDATE-ORDER": (ERROR, "progress updates not in date order (oldest first)"),
    "P-UPDATE-COUNTRY": (
        ERROR,
        "an update of a national-level line that names no member "
        "state, or of a regional line that names one",
    ),
    "R-LEAD-MEMBER": (
        WARNING,
        "a line's lead is not a member state when the line falls due (it joined later or "
        "left before)",
    ),
    "P-UPDATE-MEMBER": (
        WARNING,
        "an update of a national-level line from a member state dated before "
        "it joined or after it left",
    ),
    "P-PERCENT": (ERROR, "a percent complete outside 0-100"),
    "P-COMPLETED": (ERROR, "a completed line without a completion date (update) or not at 100%"),
    "P-CYCLE": (ERROR, "a line that depends on itself, directly or through a cycle"),
    "P-DEPENDENCY-LATE": (WARNING, "a line that depends on a line due after it"),
    "P-NEGATIVE": (ERROR, "a negative budget or personnel figure"),
}


class ProblemJson(TypedDict):
    """A problem as `validate --json` and `diff --json` write it."""

    file: str
    line: int
    column: int
    code: str
    severity: str  # "error" or "warning"
    message: str
    path: str  # the YAML path, e.g. goals[0].outcomes[1]; "" for the whole file


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, ordered by file, line and column so reports are stable."""

    file: str
    line: int
    column: int
    code: str
    message: str
    path: str = ""

    @property
    def severity(self) -> str:
        return RULES[self.code][0]

    def as_dict(self) -> ProblemJson:
        """The problem as `validate --json` and `diff --json` write it."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
        }

    @classmethod
    def at(
        cls,
        file: Path | str | None,
        line: int,
        column: int,
        code: str,
        message: str,
        path: str = "",
    ) -> Problem:
        return cls(
            display_path(file), line, column, code, clip_message(message), clip(path, QUOTE_LIMIT)
        )


# A Python repr of a string, as messages quote values: '...' or "..." with escapes.
QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'" + r'|"(?:[^"\\\n]|\\.)*"')


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` cut to at most ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message quotes it: its repr, at most ``limit`` characters of it.

    Only a bounded prefix is ever repr'd, so quoting a megabyte value costs nothing."""
    if isinstance(value, str) and len(value) > limit:
        shown = repr(value[:limit])
        return shown[: limit - 2] + "\u2026" + shown[-1]
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "\u2026"


def clip_message(message: str) -> str:
    """Every quoted value in ``message`` cut to :data:`QUOTE_LIMIT` characters, and the
    message to :data:`MESSAGE_LIMIT`: a huge value (or one aliased many times) must not make
    a huge report. Messages build quotes with ``!r`` or :func:`quote`; this is the one place
    they are bounded, whoever built them."""
    if len(message) <= QUOTE_LIMIT:
        return message
    if "'" in message or '"' in message:
        message = QUOTED.sub(_clip_quoted, message)
    return clip(message, MESSAGE_LIMIT)


def _clip_quoted(match: re.Match[str]) -> str:
    text = match.group()
    if len(text) <= QUOTE_LIMIT:
        return text
    return text[: QUOTE_LIMIT - 2] + "\u2026" + text[-1]


def display_path(file: Path | str | None) -> str:
    """A path relative to the current directory where it lies below it, else as given."""
    if file is None:
        return "<plan>"
    try:
        return os.path.relpath(file)
    except ValueError:  # another drive on Windows
        return str(file)


def format_path(parts: tuple[str | int, ...]) -> str:
    """``('goals', 0, 'id')`` -> ``goals[0].id``."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)
