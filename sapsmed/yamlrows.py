"""A fast path for the YAML layer: files of many KPI reading rows (see :func:`rows_fast`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Three-letter codes YAML 1.1 tools read as booleans: the general walker warns about them.
YAML11_WORDS = frozenset({"YES", "OFF"})

# A KPI reading row in its canonical one-line form, e.g. `      - [MYS, 2019, 17.5]`.
ROW = re.compile(r" *- \[([A-Z]{3}), ([1-9][0-9]{3}), "
                 r"(-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?)\]\r?")
ROW_LIKE = re.compile(r" *- \[")
READINGS_KEY = re.compile(r" *readings: *\r?")
MAX_INT_DIGITS = 18  # longer integers go to the general walker, which bounds them
FAST_ROWS = 500  # below this many rows the general walker is as quick


def rows_fast(text: str, walk: Callable[[str], Any]) -> Any:
    """The value ``walk(text)`` gives, read faster for a file of many reading rows.

    Every run of canonical rows right under a `readings:` key is read with one regex, and
    the rest of the file (rows blanked out, so lines keep their numbers) by ``walk``.
    Anything unusual (a row with a comment, quotes, an anchor, a YAML 1.1 word) makes it
    give up and return None: then ``walk`` reads the whole file.

    One pass over the lines, whatever their number or the number of releases."""
    lines = text.split("\n")
    runs: list[list[tuple[str, int, int | float]]] = []
    skeleton = list(lines)
    current: list[tuple[str, int, int | float]] | None = None
    previous = ""  # the last line before this one that is not blank (or a blanked row)
    count = 0
    for i, line in enumerate(lines):
        match = ROW.fullmatch(line)
        if match is None:
            if ROW_LIKE.match(line):
                return None  # a row written some other way: let the general walker judge it
            current = None
            if line.strip():
                previous = line
            continue
        if current is None:
            if not READINGS_KEY.fullmatch(previous):
                return None
            current = []
            runs.append(current)
        country, year, value = match[1], int(match[2]), match[3]
        if country in YAML11_WORDS:
            return None
        if match[4] or match[5]:
            number: int | float = float(value)
        elif len(value) > MAX_INT_DIGITS:
            return None  # the general walker reports an integer that large
        else:
            number = int(value)
        current.append((country, year, number))
        skeleton[i] = ""
        count += 1
    if count < FAST_ROWS:
        return None
    data = walk("\n".join(skeleton))
    releases = data.get("releases") if isinstance(data, dict) else None
    if not isinstance(releases, list):
        return None
    empty = [r for r in releases if isinstance(r, dict) and "readings" in r
             and r["readings"] is None]
    if len(empty) != len(runs) or len(empty) != len(releases):
        return None
    for release, rows in zip(empty, runs, strict=True):
        release["readings"] = [list(row) for row in rows]
    return data
