"""World Bank data as officers download it: the WDI bulk CSV, the Indicators API v2 JSON and
the DataBank `Data.csv` (REFERENCE.md section 4). Pure parsing; the format is read from the
content, not the file name."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .errors import SapsmedError

YEAR_COLUMN = re.compile(r"^(\d{4})(?: \[YR\d{4}\])?$")


class ImportFormatError(SapsmedError):
    """A file that is not one of the three World Bank formats, or is damaged."""


@dataclass(frozen=True)
class Observation:
    code: str  # series code, e.g. IC.REG.DURS
    country: str  # ISO 3166-1 alpha-3
    year: int
    value: float


@dataclass
class Download:
    """What one file holds: its observations, its vintage, and the cells it had no value in."""

    path: Path
    format: str
    vintage: date | None
    observations: list[Observation] = field(default_factory=list)
    empty_cells: int = 0


def read(path: Path) -> Download:
    """Parse a World Bank file of any of the three formats."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    head = text.lstrip()
    if head.startswith(("[", "{")):
        return parse_api_json(path, text)
    first = head.split("\n", 1)[0]
    if first.startswith("Series Name,") or first.startswith('"Series Name",'):
        return parse_databank(path, text)
    if "Data Source" in first or first.startswith('"Country Name"'):
        return parse_bulk_csv(path, text)
    raise ImportFormatError(f"{path}: not a World Bank file (expected a WDI bulk CSV, an "
                            "Indicators API JSON or a DataBank Data.csv)")


def number(cell: str) -> float | None:
    cell = cell.strip()
    if cell in ("", ".."):
        return None
    try:
        return float(cell)
    except ValueError:
        return None


def parse_bulk_csv(path: Path, text: str) -> Download:
    """`API_<CODE>_DS2_en_csv_v2_<n>.csv`: 4 preamble lines, then one row per country."""
    rows = list(csv.reader(io.StringIO(text)))
    vintage = None
    for row in rows[:4]:
        if len(row) >= 2 and row[0] == "Last Updated Date" and row[1].strip():
            vintage = parse_date(path, row[1].strip())
    header_at = next((i for i, r in enumerate(rows) if r[:2] == ["Country Name", "Country Code"]),
                     None)
    if header_at is None:
        raise ImportFormatError(f"{path}: no 'Country Name,Country Code' header row")
    header = rows[header_at]
    years = [(i, int(h)) for i, h in enumerate(header) if h.strip().isdigit()]
    download = Download(path, "WDI bulk CSV", vintage)
    for row in rows[header_at + 1:]:
        if len(row) >= 4:
            add_row(download, row[3], row[1], row, years)
    return download


def add_row(download: Download, code: str, country: str, row: list[str],
            years: list[tuple[int, int]]) -> None:
    """The values of one series and country, by year column; empty cells are counted."""
    for i, year in years:
        value = number(row[i]) if i < len(row) else None
        if value is None:
            download.empty_cells += 1
        else:
            download.observations.append(Observation(code, country, year, value))


def parse_api_json(path: Path, text: str) -> Download:
    """`/v2/country/<ISO>/indicator/<CODE>?format=json`: [metadata, rows], newest year first."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: "
                                f"{exc.msg}") from None
    if (isinstance(data, list) and data and isinstance(data[0], dict)
            and "message" in data[0]):
        messages = "; ".join(f"{m.get('id')} {m.get('key')}: {m.get('value')}"
                             for m in data[0]["message"])
        raise ImportFormatError(f"{path}: the World Bank API answered with an error: {messages}")
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[0], dict)
            and isinstance(data[1], list | type(None))):
        raise ImportFormatError(f"{path}: not an Indicators API v2 answer "
                                "([metadata, rows])")
    updated = data[0].get("lastupdated")
    download = Download(path, "Indicators API JSON",
                        parse_date(path, updated) if updated else None)
    for row in data[1] or []:
        try:
            code, country = row["indicator"]["id"], row.get("countryiso3code") or ""
            year, value = int(row["date"]), row["value"]
        except (KeyError, TypeError, ValueError):
            raise ImportFormatError(f"{path}: a row without indicator, country or date: "
                                    f"{json.dumps(row)[:120]}") from None
        if value is None:
            download.empty_cells += 1
        else:
            download.observations.append(Observation(code, country, year, float(value)))
    return download


def parse_databank(path: Path, text: str) -> Download:
    """DataBank `Data.csv`: one row per series and country, `..` for missing, a footer."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    years = [(i, int(m.group(1))) for i, h in enumerate(header)
             if (m := YEAR_COLUMN.match(h.strip()))]
    vintage = None
    download = Download(path, "DataBank Data.csv", None)
    for row in rows[1:]:
        if len(row) == 1 and row[0].startswith("Last Updated:"):
            vintage = parse_date(path, row[0].split(":", 1)[1].strip())
            continue
        if len(row) >= 4 and row[1]:  # not a blank row or the "Data from database" footer
            add_row(download, row[1], row[3], row, years)
    download.vintage = vintage
    return download


def parse_date(path: Path, text: str) -> date:
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ImportFormatError(f"{path}: cannot read the last-updated date {text!r}")
