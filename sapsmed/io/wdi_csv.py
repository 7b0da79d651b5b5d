"""The two CSV layouts of World Bank data, streamed line by line: the WDI bulk CSV
(`API_<CODE>_DS2_en_csv_v2_<n>.csv`) and DataBank's `Data.csv`. Rows are numbered by the
line they start on; a damaged row is reported and reading goes on."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from sapsmed.io.wdi import Fatal, bad_utf8, number, shown

if TYPE_CHECKING:
    from sapsmed.io.wdi import Reader

YEAR_COLUMN = re.compile(r"^([0-9]{4})(?: \[YR[0-9]{4}\])?$")
MAX_LINE = 1 << 20  # characters of one CSV line
HEADER_WITHIN = 20  # rows before the bulk CSV header


class Lines:
    """A text stream's physical lines for csv.reader, numbered; a line longer than
    MAX_LINE characters is reported and read as empty (memory stays bounded)."""

    def __init__(self, reader: Reader, text: IO[str]) -> None:
        self.reader, self.text = reader, text
        self.number = 0
        self.first = 0  # the line a row starts on

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self.text.readline(MAX_LINE)
        if not line:
            raise StopIteration
        self.number += 1
        if self.number % 1024 == 0:
            self.reader.tick()
        if len(line) >= MAX_LINE and not line.endswith(("\n", "\r")):
            while (more := self.text.readline(MAX_LINE)) and not more.endswith(("\n", "\r")):
                pass
            self.reader.error(
                f"{self.reader.path}:{self.number}", f"a line longer than {MAX_LINE} characters"
            )
            line = "\n"
        elif (at := bad_utf8(line)) is not None:
            self.reader.error(
                f"{self.reader.path}:{self.number}", f"not UTF-8 text (character {at + 1})"
            )
            line = "\n"
        if not self.first:
            self.first = self.number
        return line


class CsvRows:
    """One CSV file of either layout, read into its Reader."""

    def __init__(self, reader: Reader, text: IO[str]) -> None:
        self.reader = reader
        self.lines = Lines(reader, text)

    def run(self, fmt: str) -> None:
        if fmt == "WDI bulk CSV":
            self.bulk_csv(self.rows(self.lines))
        else:
            self.databank(self.rows(self.lines))

    def rows(self, lines: Lines) -> Iterator[tuple[int, list[str]]]:
        """The CSV rows with the line each starts on; a damaged row is reported and left."""
        reader = csv.reader(lines)
        while True:
            lines.first = 0
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.reader.error(
                    f"{self.reader.path}:{lines.first or lines.number}", f"not valid CSV: {exc}"
                )
                continue
            yield lines.first or lines.number, row

    def year_columns(self, line: int, header: list[str]) -> list[tuple[int, int]]:
        years: list[tuple[int, int]] = []
        seen: set[int] = set()
        for i, cell in enumerate(header):
            name = cell.strip()
            match = YEAR_COLUMN.match(name)
            if match is None:
                if name.isdecimal():
                    self.reader.error(
                        f"{self.reader.path}:{line}",
                        f"column {i + 1}: {shown(name)} is not a 4-digit year",
                    )
                continue
            try:
                year = self.reader.year(match.group(1))
            except ValueError as exc:
                self.reader.error(f"{self.reader.path}:{line}", f"column {i + 1}: {exc}")
                continue
            if year in seen:
                self.reader.error(
                    f"{self.reader.path}:{line}", f"column {i + 1}: year {year} twice"
                )
                continue
            seen.add(year)
            years.append((i, year))
        return years

    def values(
        self,
        line: int,
        code: str,
        country: str,
        row: list[str],
        years: list[tuple[int, int]],
        width: int,
    ) -> None:
        """The values of one series and country, by year column (empty cells counted, the
        values of a series or country not wanted counted and checked, the others kept)."""
        reader = self.reader
        where = f"{reader.path}:{line}"
        left_out = reader.left_out(code, country)
        empty = left = 0
        for i, year in years:
            text = row[i] if i < len(row) else ""
            if text == "" or text == "..":
                empty += 1
                continue
            try:
                value = number(text)
            except ValueError as exc:
                reader.error(where, f"{code} {country} {year}: {exc}")
                continue
            if value is None:
                empty += 1
            elif left_out is not None:
                left += 1
            else:
                reader.observe(where, f"on line {line}", code, country, year, value, text)
        reader.download.empty_cells += empty
        if left and left_out is not None:
            left_out[0].add(left_out[1], left)
        if any(cell.strip() for cell in row[width:]):
            reader.error(where, f"{len(row)} cells, more than the header's {width}")

    def data_row(
        self,
        line: int,
        row: list[str],
        years: list[tuple[int, int]],
        width: int,
        code_at: int,
        country_at: int,
        code_name: str = "series code",
    ) -> None:
        """One row of values: a blank row is skipped, one without its codes is an error."""
        if not any(cell.strip() for cell in row):
            return
        if len(row) < 4 or not row[code_at].strip() or not row[country_at].strip():
            first, second = sorted(((code_at, code_name), (country_at, "country code")))
            self.reader.error(
                f"{self.reader.path}:{line}",
                f"a row without its {first[1]} and "
                f"{second[1]} (columns {first[0] + 1} and {second[0] + 1})",
            )
            return
        self.values(line, row[code_at].strip(), row[country_at].strip(), row, years, width)

    def bulk_csv(self, rows: Iterator[tuple[int, list[str]]]) -> None:
        """`API_<CODE>_DS2_en_csv_v2_<n>.csv`: 4 preamble lines, then one row per country."""
        header: list[str] | None = None
        years: list[tuple[int, int]] = []
        for count, (line, row) in enumerate(rows):
            if header is None:
                if row[:2] == ["Country Name", "Country Code"]:
                    header = row
                    years = self.year_columns(line, row)
                elif len(row) >= 2 and row[0] == "Last Updated Date":
                    self.reader.set_vintage(f"{self.reader.path}:{line}", row[1])
                elif count >= HEADER_WITHIN:
                    break
                continue
            self.data_row(
                line, row, years, len(header), code_at=3, country_at=1, code_name="indicator code"
            )
        if header is None:
            raise Fatal("no 'Country Name,Country Code' header row")

    def databank(self, rows: Iterator[tuple[int, list[str]]]) -> None:
        """DataBank `Data.csv`: one row per series and country, `..` for missing, a footer."""
        header: list[str] | None = None
        years: list[tuple[int, int]] = []
        for line, row in rows:
            if header is None:
                header = row
                years = self.year_columns(line, row)
                continue
            if len(row) == 1:  # the footer, or a blank line
                if row[0].startswith("Last Updated:"):
                    self.reader.set_vintage(f"{self.reader.path}:{line}", row[0].split(":", 1)[1])
                continue
            self.data_row(line, row, years, len(header), code_at=1, country_at=3)
