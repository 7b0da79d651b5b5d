"""Plan text made inert for where it is shown: terminals, CSV, JSON. Pure functions.

Plan text comes from many hands. A terminal executes ESC/CSI/OSC sequences (clear the
screen, set the title, hidden OSC 8 links) and reorders text around bidi controls (Trojan
Source, CVE-2021-42574); a spreadsheet runs a cell that starts with ``=``. Each output
boundary passes text through one function here.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls but tab and LF, DEL, C1, line/paragraph separators, bidi controls, BOM.
# Lone surrogates stand for bytes that were not UTF-8 (a file name): shown as escapes too.
_TERMINAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
    "\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufeff]"
)
_ONE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069\ud800-\udfff\ufeff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}
# JSON may hold these raw (ensure_ascii=False): escaped as \\uXXXX, still valid JSON.
_JSON_RAW = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufeff]"
)
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """``text`` with every control character but newline and tab shown as an escape."""
    return _TERMINAL.sub(_visible, text)


def oneline(value: object) -> str:
    """A value shown on one line of a terminal: newlines and tabs escaped too."""
    return _ONE_LINE.sub(_visible, str(value))


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run (OWASP): text that starts with ``=``, ``+``,
    ``-``, ``@``, tab or CR gets a leading ``'``; plain numbers are left as they are. Text is
    kept to one line (controls shown as escapes, as on a terminal)."""
    if not isinstance(value, str):
        return value
    if value.startswith(CSV_TRIGGERS) and not NUMBER.fullmatch(value):
        value = "'" + value
    return oneline(value)  # a line break in a cell would start a line of its own in a log


def json_text(data: Any, indent: int | None = 2) -> str:
    """JSON with non-ASCII text kept readable, but controls and bidi marks as escapes."""
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def shorten(value: object, limit: int = 80) -> str:
    """At most ``limit`` characters of a value, for messages that quote it."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
