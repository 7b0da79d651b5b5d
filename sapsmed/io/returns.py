"""Member-state returns as files: the CSV template written and read (XLSX: ``returns_xlsx``).

A return is a table with one row per action line a member state reports on; the columns are
:data:`COLUMNS`. The file records the country and the as-of date it was made for (CSV: in
``#`` comment lines above the header; XLSX: on its Instructions sheet). Reading turns a file
into :class:`ReturnFile`: its rows as text cells, each cell placed as ``FILE:row:column``
(1-based; a column by number in CSV, by letter in XLSX). Nothing is checked against the plan
here, and no cell is ever evaluated: a formula is its text.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sapsmed.base.errors import SapsmedError
from sapsmed.base.safetext import csv_cell, oneline
from sapsmed.io.wdi import Fatal, open_regular

COLUMNS = (
    "line",
    "title",
    "due_year",
    "country",
    "status",
    "percent",
    "new_status",
    "new_percent",
    "date",
    "note",
    "by",
    "source",
)
# What each column means, for the instructions (CSV comments, the XLSX Instructions sheet).
MEANINGS = {
    "line": "the action line's id (do not change)",
    "title": "the action line's title (for reading only)",
    "due_year": "the year the line is due",
    "country": "the member state reporting (do not change)",
    "status": "the status recorded now (on a national-level line: the country's own)",
    "percent": "the percent complete recorded now",
    "new_status": "FILL IN: the status now, one of {statuses}; leave empty for no news",
    "new_percent": "FILL IN: percent complete, a number from 0 to 100 (optional)",
    "date": "FILL IN: the date of the news, YYYY-MM-DD (empty: the as-of date)",
    "note": "FILL IN: what happened (optional)",
    "by": "FILL IN: who reports it (optional)",
    "source": "FILL IN: the source document (optional)",
}
MAX_BYTES = 8 << 20  # a return is a few hundred rows; anything larger is not one
MAX_ROWS = 5000
COUNTRY = re.compile(r"^#\s*country\s*:\s*(\S*)", re.IGNORECASE)
AS_OF = re.compile(r"^#\s*as[ _-]of\s*:\s*(\S*)", re.IGNORECASE)


@dataclass
class Row:
    """One table row: its 1-based number in the file and its cells by column name."""

    number: int
    cells: dict[str, str]
    letters: dict[str, str]  # column name -> its label in messages ("3" or "C")
    path: str

    def where(self, column: str) -> str:
        return f"{self.path}:{self.number}:{self.letters.get(column, '1')}"

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class ReturnFile:
    path: str
    country: str | None = None
    as_of: str | None = None
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes, at most :data:`MAX_BYTES`; anything else is a Fatal."""
    with open_regular(path) as f:
        if os.fstat(f.fileno()).st_size > MAX_BYTES:
            raise Fatal(f"larger than {MAX_BYTES >> 20} MiB: not a return")
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Fatal(f"larger than {MAX_BYTES >> 20} MiB: not a return")
    return data


def read_return(path: Path) -> ReturnFile:
    """A return file, CSV or XLSX by its suffix; what cannot be read is in ``errors``."""
    shown = str(path)
    try:
        data = read_bytes(path)
        if path.suffix.lower() == ".xlsx":
            from sapsmed.io.returns_xlsx import read_xlsx

            return read_xlsx(shown, data)
        if path.suffix.lower() != ".csv":
            raise Fatal("not a return: the name must end in .csv or .xlsx")
        return read_csv(shown, data)
    except Fatal as exc:
        return ReturnFile(shown, errors=[f"{shown}: {exc.message}"])
    except OSError as exc:
        return ReturnFile(shown, errors=[f"{shown}: cannot read it: {exc.strerror or exc}"])


def read_csv(shown: str, data: bytes) -> ReturnFile:
    """A CSV return: UTF-8 (a BOM is fine), any line ends, ``,`` or ``;`` between cells."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Fatal(f"not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8") from None
    if "\0" in text:
        raise Fatal("not a CSV file (it holds NUL bytes)")
    found = ReturnFile(shown)
    lines = text.splitlines(keepends=True)
    body = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    first = body[0] if body else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if first.lower().startswith("sep=") and first[4:5] in (",", ";", "\t"):
        delimiter = first[4]  # Excel's hint line: read as a comment below
        text = text.replace(first, "#" + first, 1)
    table = Table(found, letters=False)
    number = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            found.errors.append(f"{shown}:{start}: not valid CSV: {exc}")
            break
        number += 1
        if number > MAX_ROWS:
            raise Fatal(f"more than {MAX_ROWS} rows: not a return")
        joined = delimiter.join(cells).strip()
        if joined.startswith("#"):
            meta(found, joined)
            continue
        if not table.add(start, cells):
            break
    return table.finish()


class Table:
    """A return's table as its rows come (CSV or XLSX alike): blank rows before the header
    skipped, the header read (a bad one stops the reading), then one :class:`Row` a row."""

    def __init__(self, found: ReturnFile, letters: bool) -> None:
        self.found, self.letters = found, letters
        self.header: dict[str, int] | None = None

    def add(self, number: int, cells: list[str]) -> bool:
        """Take one row; False when the header is bad and reading should stop."""
        if self.header is None:
            if not any(c.strip() for c in cells):
                return True
            self.header = columns(self.found, number, cells)
            return self.header is not None
        self.found.rows.append(row(self.found.path, number, cells, self.header, self.letters))
        return True

    def finish(self) -> ReturnFile:
        if self.header is None and not self.found.errors:
            self.found.errors.append(f"{self.found.path}: no header row ({', '.join(COLUMNS)})")
        return self.found


def meta(found: ReturnFile, comment: str) -> None:
    """The country or the as-of date from a comment line of a CSV return."""
    for pattern, name in ((COUNTRY, "country"), (AS_OF, "as_of")):
        match = pattern.match(comment)
        if match and getattr(found, name) is None:
            value = match.group(1).strip(";, ")
            setattr(found, name, value.upper() if name == "country" else value)


def columns(found: ReturnFile, number: int, cells: list[str]) -> dict[str, int] | None:
    """The header: column name -> index; a missing, unknown or repeated column is an
    error (a renamed column would otherwise be read as empty, its data lost)."""
    names = [c.strip().lower() for c in cells]
    header = {name: i for i, name in reversed(list(enumerate(names))) if name in COLUMNS}
    needed = ("line", "new_status")
    missing = [name for name in needed if name not in header]
    if missing:
        found.errors.append(
            f"{found.path}:{number}: the header row lacks the column(s) {', '.join(missing)} "
            f"(a return's columns: {', '.join(COLUMNS)})"
        )
        return None
    unknown = [c.strip() for c in cells if c.strip() and c.strip().lower() not in COLUMNS]
    twice = sorted({n for n in names if n in COLUMNS and names.count(n) > 1})
    if unknown or twice:  # a renamed column would be read as empty: its data lost
        found.errors.append(
            f"{found.path}:{number}: the header row has "
            + "; ".join(
                part
                for part in (
                    f"column(s) a return does not have: {', '.join(map(repr, unknown))}"
                    if unknown
                    else "",
                    f"column(s) twice: {', '.join(twice)}" if twice else "",
                )
                if part
            )
            + f" (a return's columns: {', '.join(COLUMNS)})"
        )
        return None
    return header


def label_of(index: int, letters: bool) -> str:
    if not letters:
        return str(index + 1)
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def row(shown: str, number: int, cells: list[str], header: dict[str, int], letters: bool) -> Row:
    return Row(
        number,
        {name: cells[i] if i < len(cells) else "" for name, i in header.items()},
        {name: label_of(i, letters) for name, i in header.items()},
        shown,
    )


def instructions(
    country: str, as_of: date, plan_title: str, statuses: tuple[str, ...]
) -> list[tuple[str, str]]:
    """The instructions of a return, as (key, text) pairs; the first two are read back."""
    return [
        ("Country", country),
        ("As of", as_of.isoformat()),
        ("Plan", plan_title),
        (
            "How",
            "Fill in the FILL IN columns of each line with news; leave new_status empty "
            "for a line without news. Do not change line or country.",
        ),
        *(
            (f"{name} (column)", MEANINGS[name].format(statuses=", ".join(statuses)))
            for name in COLUMNS
        ),
    ]


def comment_text(text: str) -> str:
    """Plan text on a ``#`` line: one line, no cell separators or quotes (a spreadsheet
    would cut the line into cells, and a cell may be a formula), controls as escapes."""
    return oneline(text).translate(str.maketrans(',;"\t', "  ' "))


def template_csv(pairs: list[tuple[str, str]], rows: list[list[object]]) -> bytes:
    """A CSV return: the instructions as ``#`` lines, the header, one row per line."""
    out = io.StringIO(newline="")
    for key, text in pairs:
        out.write(f"# {key.lower().replace(' ', '_')}: ")
        out.write(comment_text(text) + "\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for cells in rows:
        writer.writerow([csv_cell(c) if c is not None else "" for c in cells])
    return out.getvalue().encode("utf-8")


def save(path: Path, data: bytes, force: bool) -> None:
    """Write a new file, whole or not at all; an existing one is replaced only with
    ``force`` (without it, a file that appears meanwhile is not overwritten either)."""
    if not force and os.path.lexists(path):
        raise SapsmedError(f"{path} exists; use --force to replace it")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~current_umask())
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the name exists: never overwrites
            except FileExistsError:
                raise SapsmedError(f"{path} exists; use --force to replace it") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
