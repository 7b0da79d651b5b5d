"""A fast path for the YAML layer: files of many KPI reading rows (see :func:`rows_fast`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Three-letter codes YAML 1.1 tools read as booleans: the general walker warns about them.
YAML11_WORDS = frozenset({"YES", "OFF"})

# A KPI reading row in its canonical one-line form, e.g. `      - [MYS, 2019, 17.5]`.
ROW = re.compile(
    r" *- \[([A-Z]{3}), ([1-9][0-9]{3}), "
    r"(-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?)\]\r?"
)
ROW_LIKE = re.compile(r" *- \[")
READINGS_KEY = re.compile(r" *readings: *\r?")
# The release header lines of a canonical readings file; values are plain scalars that can
# only be read as strings (a letter first; no ':', '#', quote or flow indicator).
PLAIN_TEXT = r"([A-Za-z][A-Za-z0-9 ,.()/_%&+-]*[A-Za-z0-9.)%]|[A-Za-z])"
SOURCE = re.compile(r"  - source: " + PLAIN_TEXT)
VINTAGE = re.compile(r"    vintage: (null|~|[0-9]{4}-[0-9]{2}-[0-9]{2})")
NOTE = re.compile(r"    note: " + PLAIN_TEXT)
# Words some YAML reader takes for something other than a string.
NOT_TEXT = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
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
    whole = releases_fast(lines, walk)
    if whole is not None:
        return whole
    runs: list[list[tuple[str, int, int | float]]] = []
    skeleton = list(lines)
    current: list[tuple[str, int, int | float]] | None = None
    previous = ""  # the last line before this one that is not blank (or a blanked row)
    indent = 0  # the rows' indentation in the current run: every row of a list has the same
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
        spaces = len(line) - len(line.lstrip(" "))
        if current is None:
            key_indent = len(previous) - len(previous.lstrip(" "))
            if not READINGS_KEY.fullmatch(previous) or spaces < key_indent:
                return None
            current, indent = [], spaces
            runs.append(current)
        elif spaces != indent:
            return None  # a row out of line is not part of this list: the walker judges it
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
    empty = [
        r for r in releases if isinstance(r, dict) and "readings" in r and r["readings"] is None
    ]
    if len(empty) != len(runs) or len(empty) != len(releases):
        return None
    for release, rows in zip(empty, runs, strict=True):
        release["readings"] = [list(row) for row in rows]
    return data


def releases_fast(lines: list[str], walk: Callable[[str], Any]) -> Any:
    """The value of a readings file whose `releases:` list, to the end of the file, is all in
    canonical form: each release `source`, `vintage`, maybe `note`, then `readings` rows.

    Only the lines above `releases:` go through ``walk``: a file of many small releases
    costs no more per reading than one big release. Anything else gives None."""
    try:
        start = lines.index("releases:")
    except ValueError:
        return None
    releases: list[dict[str, Any]] = []
    release: dict[str, Any] | None = None
    rows: list[list[Any]] | None = None  # the current release's, once its `readings:` is seen
    prefix = "\0"  # how its rows start: their indentation, then `- [`
    count = 0
    for line in lines[start + 1 :]:
        if line.startswith(prefix) or (rows is not None and not rows and line.endswith("]")):
            match = ROW.fullmatch(line)
            if match is None or rows is None or match[1] in YAML11_WORDS:
                return None
            if not rows:
                spaces = len(line) - len(line.lstrip(" "))
                if spaces < 4:
                    return None
                prefix = line[:spaces] + "- ["
            value = match[3]
            if match[4] or match[5]:
                number: int | float = float(value)
            elif len(value) > MAX_INT_DIGITS:
                return None
            else:
                number = int(value)
            rows.append([match[1], int(match[2]), number])
            count += 1
        elif line == "    readings:":  # cheap string tests first: most lines are these
            if release is None or "vintage" not in release or rows is not None:
                return None
            release["readings"] = rows = []
        elif line.startswith("  - source: "):
            match = SOURCE.fullmatch(line)
            if (
                match is None
                or (release is not None and not rows)
                or (match[1].lower() in NOT_TEXT)
            ):
                return None
            release, rows, prefix = {"source": match[1]}, None, "\0"
            releases.append(release)
        elif line.startswith("    vintage: "):
            match = VINTAGE.fullmatch(line)
            if match is None or release is None or len(release) != 1:
                return None
            release["vintage"] = match[1] if match[1][0].isdigit() else None
        elif line.startswith("    note: "):
            match = NOTE.fullmatch(line)
            if (
                match is None
                or release is None
                or len(release) != 2
                or match[1].lower() in NOT_TEXT
            ):
                return None
            release["note"] = match[1]
        elif line.strip() and not line.lstrip(" ").startswith("#"):
            return None  # anything else (a row out of place too): the general walker judges it
    head = lines[:start]
    if count < FAST_ROWS or not rows or any(line.startswith(("---", "...")) for line in head):
        return None  # too small to matter, or maybe more than one document
    try:
        data = walk("\n".join(head))
    except Exception:
        return None
    if not isinstance(data, dict) or "releases" in data:
        return None
    data["releases"] = releases
    return data
