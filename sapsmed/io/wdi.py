"""World Bank data as officers download it: the WDI bulk CSV, the Indicators API v2 JSON and
the DataBank `Data.csv` (REFERENCE.md section 4). Pure parsing; the format is read from the
content, not the file name.

Files are streamed: CSV line by line, the API JSON one row object at a time, so memory stays
flat however large the file is. Only regular files are opened (never a FIFO, device or
directory). Only the observations the caller wants are kept (`Wanted`); the others are
counted. Every malformed value is reported with its place (`file:line` for CSV, `file: [1][3]
.value` for JSON) in `Download.errors`; reading goes on after an error, so one pass finds them
all.
"""

from __future__ import annotations

import io
import math
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sapsmed.base.errors import SapsmedError

NUMBER = re.compile(r"[+-]?(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(?:[eE][+-]?[0-9]+)?")
FIRST_YEAR = 1900
MAX_DIGITS = 20  # significant digits of a value
MAX_MAGNITUDE = 1e15
MAX_ERRORS = 50  # messages kept per file; the rest are counted
CHUNK = 1 << 16
EXAMPLES = 9  # the smallest few skipped codes kept as examples (8 shown, and "...")


class ImportErrors(SapsmedError):
    """Everything wrong in the files of one import (nothing is imported)."""

    def __init__(self, messages: list[str], total: int) -> None:
        lines = messages[:MAX_ERRORS]
        if total > len(lines):
            lines.append(f"... and {total - len(lines)} more")
        lines.append(f"{total} error{'' if total == 1 else 's'} in the files; nothing was imported")
        super().__init__("\n".join(lines))


class Fatal(Exception):
    """A damage after which the rest of the file cannot be read (internal)."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message, self.where = message, where


@dataclass(frozen=True)
class Observation:
    code: str  # series code, e.g. IC.REG.DURS
    country: str  # ISO 3166-1 alpha-3
    year: int
    value: float


@dataclass(frozen=True)
class Wanted:
    """The series codes and countries whose values are kept; the others are only counted."""

    codes: frozenset[str]
    countries: frozenset[str]


@dataclass
class Tally:
    """How many values were left out, and the first few of what (in sort order)."""

    count: int = 0
    examples: set[str] = field(default_factory=set)

    def add(self, example: str, count: int = 1) -> None:
        self.count += count
        keep_smallest(self.examples, example)


def keep_smallest(examples: set[str], example: str, n: int = EXAMPLES) -> None:
    if example not in examples:
        examples.add(example)
        if len(examples) > n:
            examples.remove(max(examples))


@dataclass
class Download:
    """What one file holds: the observations kept, its vintage, what was left out and why,
    and what is wrong in it."""

    path: Path
    format: str = "unknown"
    vintage: date | None = None
    observations: list[Observation] = field(default_factory=list)
    empty_cells: int = 0
    other_series: Tally = field(default_factory=Tally)
    other_countries: Tally = field(default_factory=Tally)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0


def read(
    path: Path,
    wanted: Wanted | None = None,
    as_of_year: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Download:
    """Read a World Bank file of any of the three formats (``wanted``: keep only those values;
    years must lie between 1900 and ``as_of_year``, by default this year)."""
    reader = Reader(path, wanted, as_of_year or date.today().year, progress)
    try:
        reader.run()
    except Fatal as exc:
        reader.error(exc.where or str(path), exc.message)
    except OSError as exc:
        reader.error(str(path), f"cannot read it: {exc.strerror or exc}")
    return reader.download


def describe(mode: int) -> str | None:
    """What a file that is not a regular file is."""
    for test, kind in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a file"


def open_regular(path: Path) -> io.BufferedReader:
    """Open a regular file for reading; anything else is refused without blocking on it."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise Fatal("no such file") from None
    except OSError as exc:
        try:
            kind = describe(os.stat(path).st_mode)
        except OSError:
            kind = None
        if kind is not None:
            raise Fatal(f"not a regular file but {kind}; only regular files are read") from None
        raise Fatal(f"cannot open it: {exc.strerror}") from None
    kind = describe(os.fstat(fd).st_mode)
    if kind is not None:
        os.close(fd)
        raise Fatal(f"not a regular file but {kind}; only regular files are read")
    return io.BufferedReader(io.FileIO(fd, "r"), buffer_size=CHUNK)


def sniff(head: bytes) -> str | None:
    """The format, from the first bytes of the file."""
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace").lstrip()
    if text.startswith(("[", "{")):
        return "Indicators API JSON"
    first = text.split("\n", 1)[0]
    if first.startswith(("Series Name,", '"Series Name",')):
        return "DataBank Data.csv"
    if "Data Source" in first or first.startswith('"Country Name"'):
        return "WDI bulk CSV"
    return None


def shown(text: str) -> str:
    """A cell as an error message shows it: quoted, and cut if long."""
    if len(text) > 40:
        return f"{text[:24]!r}... ({len(text)} characters)"
    return repr(text)


def number(cell: str) -> float | None:
    """A cell's value: None for missing ('' or '..'); ValueError for anything but a sane
    decimal number (NaN, infinity, more than 20 significant digits, magnitude >= 1e15)."""
    cell = cell.strip()
    if cell in ("", ".."):
        return None
    if cell.isascii() and "_" not in cell and len(cell) <= MAX_DIGITS:  # the usual case
        try:
            value = float(cell)
        except ValueError:
            pass
        else:
            if math.isfinite(value) and abs(value) < MAX_MAGNITUDE:
                return value
    match = NUMBER.fullmatch(cell)
    if match is None:
        if cell.lower().lstrip("+-") in ("nan", "inf", "infinity"):
            raise ValueError(f"{shown(cell)} is not a finite number")
        raise ValueError(f"{shown(cell)} is not a number")
    digits = "".join(g or "" for g in match.groups()).lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise ValueError(
            f"{shown(cell)} has {len(digits)} significant digits (at most {MAX_DIGITS})"
        )
    value = float(cell)
    if not (math.isfinite(value) and abs(value) < MAX_MAGNITUDE):
        raise ValueError(f"{shown(cell)} is too large (magnitude 1e15 or more)")
    return value


def bad_utf8(text: str) -> int | None:
    """Where the first byte that is not UTF-8 was (decoded with surrogateescape), if any."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError(
        f"cannot read the last-updated date {shown(text)} (expected YYYY-MM-DD or MM/DD/YYYY)"
    )


class Reader:
    """One file being read into a Download."""

    def __init__(
        self,
        path: Path,
        wanted: Wanted | None,
        as_of_year: int,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.path, self.wanted, self.as_of_year = path, wanted, as_of_year
        self.download = Download(path)
        self.seen: dict[tuple[str, str, int], tuple[float, str, str]] = {}
        self.progress = progress
        self.binary: io.BufferedReader | None = None
        self.ticked = 0

    # --- bookkeeping -----------------------------------------------------------------------

    def error(self, where: str, message: str) -> None:
        self.download.error_count += 1
        if len(self.download.errors) < MAX_ERRORS:
            self.download.errors.append(f"{where}: {message}")

    def tick(self) -> None:
        if self.progress is not None and self.binary is not None:
            at = self.binary.tell()
            if at > self.ticked:
                self.progress(at - self.ticked)
                self.ticked = at

    def year(self, text: str) -> int:
        year = int(text)
        if not FIRST_YEAR <= year <= self.as_of_year:
            raise ValueError(f"year {year} is outside {FIRST_YEAR}-{self.as_of_year}")
        return year

    def left_out(self, code: str, country: str) -> tuple[Tally, str] | None:
        """Where a value of this series and country is counted if it is not wanted, and as
        what example."""
        if self.wanted is None:
            return None
        if code not in self.wanted.codes:
            return self.download.other_series, code
        if country not in self.wanted.countries:
            return self.download.other_countries, country or "?"
        return None

    def observe(
        self,
        where: str,
        place: str,
        code: str,
        country: str,
        year: int,
        value: float | None,
        text: str,
    ) -> None:
        """One value of the file: counted, left out, or kept (a second, different value for
        the same series, country and year is an error)."""
        if value is None:
            self.download.empty_cells += 1
            return
        left = self.left_out(code, country)
        if left is not None:
            left[0].add(left[1])
            return
        key = (code, country, year)
        before = self.seen.get(key)
        if before is None:
            self.seen[key] = (value, text.strip(), place)
            self.download.observations.append(Observation(code, country, year, value))
        elif before[0] != value:
            self.error(
                where,
                f"{code} {country} {year} is {shown(text.strip())} here but "
                f"{shown(before[1])} {before[2]}",
            )

    def set_vintage(self, where: str, text: str) -> None:
        text = text.strip()
        if not text:
            return
        try:
            self.download.vintage = parse_date(text)
        except ValueError as exc:
            self.error(where, str(exc))

    # --- files ---------------------------------------------------------------------------------

    def run(self) -> None:
        from sapsmed.io.wdi_csv import CsvRows
        from sapsmed.io.wdi_json import JsonRows

        with open_regular(self.path) as binary:
            self.binary = binary
            fmt = sniff(binary.peek(CHUNK)[:CHUNK])
            if fmt is None:
                raise Fatal(
                    "not a World Bank file (expected a WDI bulk CSV, an Indicators "
                    "API JSON or a DataBank Data.csv)"
                )
            self.download.format = fmt
            # bytes that are not UTF-8 become lone surrogates, found (and placed) by bad_utf8
            text = io.TextIOWrapper(
                binary, encoding="utf-8-sig", errors="surrogateescape", newline=""
            )
            if fmt == "Indicators API JSON":
                JsonRows(self, text).run()
            else:
                CsvRows(self, text).run(fmt)
            self.tick()
