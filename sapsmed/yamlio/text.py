"""YAML text written by sapsmed: scalars that read back exactly, and block items.

Every string that is not a plain identifier is written double-quoted with escapes for all
that YAML treats as a line break (LF, CR, U+0085, U+2028, U+2029) or does not allow raw
(C0 and C1 controls, DEL, surrogates, BOM), so any text reads back as the same string and no
value can be read as YAML syntax. A plain word is written plain only where every YAML reader
(1.1 and 1.2) reads it back as the same string.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

PLAIN_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
NOT_STRINGS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"])
NAMED_ESCAPES = {
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    '"': '\\"',
    "\\": "\\\\",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
# What must not stand raw inside a double-quoted YAML scalar.
# Written as escapes: controls, line and paragraph separators, surrogates, and the marks a
# reader of the file cannot see or that reorder it (bidi controls as in Trojan Source,
# zero-width characters, the soft hyphen), so `git diff` shows what the file holds.
UNSAFE = re.compile(
    '[\\\\"\x00-\x1f\x7f-\x9f\xad\u200b-\u200f\u2028-\u202e\u2060-\u2069'
    "\ud800-\udfff\ufeff\ufffe\uffff]"
)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in NAMED_ESCAPES:
        return NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def quote(text: str) -> str:
    """``text`` as a double-quoted YAML scalar that reads back as exactly ``text``."""
    return '"' + UNSAFE.sub(_escape, text) + '"'


def scalar(value: Any) -> str:
    """A value as YAML that every YAML reader reads back the same."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a number sapsmed writes")
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if PLAIN_WORD.fullmatch(text) and text.lower() not in NOT_STRINGS:
        return text
    return quote(text)


def is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list | tuple)


def block(value: Any, dash_col: int) -> str:
    """A block sequence item holding ``value``, its dash at column ``dash_col``.

    A mapping is written one key a line; a list of scalars as one flow row (``[MYS, 2019,
    17.5]``); lists of mappings and nested mappings as blocks."""
    pad = " " * dash_col
    if is_scalar(value):
        return f"{pad}- {scalar(value)}\n"
    if isinstance(value, list | tuple):
        if all(is_scalar(v) for v in value):
            return f"{pad}- [{', '.join(scalar(v) for v in value)}]\n"
        raise ValueError("a list of collections inside a list is not written by sapsmed")
    lines = mapping(value, dash_col + 2)
    return pad + "- " + lines[dash_col + 2 :]


def mapping(fields: dict[str, Any], col: int) -> str:
    """A block mapping with its keys at column ``col``."""
    pad = " " * col
    out = []
    for key, value in fields.items():
        name = scalar(key)
        if is_scalar(value):
            out.append(f"{pad}{name}: {scalar(value)}\n")
        elif isinstance(value, dict):
            out.append(
                f"{pad}{name}:\n" + mapping(value, col + 2) if value else f"{pad}{name}: {{}}\n"
            )
        elif not value:
            out.append(f"{pad}{name}: []\n")
        elif all(is_scalar(v) for v in value):
            out.append(f"{pad}{name}: [{', '.join(scalar(v) for v in value)}]\n")
        else:
            out.append(f"{pad}{name}:\n" + "".join(block(v, col + 2) for v in value))
    return "".join(out)


def plain_value(value: Any) -> Any:
    """What sapsmed's YAML reader gives back for ``value`` once written: dates as ISO text,
    whole floats as ints, tuples as lists."""
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value
