"""Member-state returns as Excel workbooks (openpyxl): the template written, a return read.

The template's first sheet, "Return", holds the table (header row bold and frozen, the new
status offered as a drop-down of the plan's statuses, the new percent checked to lie in
0-100); the second, "Instructions", the country, the as-of date, the plan and what each
column means. Reading takes cells as stored: a formula is its text (``=HYPERLINK(...)`` is
data, never evaluated), a date cell is its ISO date, a number its shortest form.
"""

from __future__ import annotations

import io
import math
from datetime import date, datetime
from typing import Any

from sapsmed.base.safetext import oneline
from sapsmed.io.returns import COLUMNS, MAX_ROWS, ReturnFile, Table
from sapsmed.io.wdi import Fatal

RETURN_SHEET = "Return"
INSTRUCTIONS_SHEET = "Instructions"
MAX_UNPACKED = 64 << 20  # bytes a return's workbook may unpack to


def text_of(value: Any) -> str:
    """A cell's value as the text a person typed (never evaluated)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def read_xlsx(shown: str, data: bytes) -> ReturnFile:
    """An XLSX return: the first sheet's table, the Instructions sheet's country and date."""
    from openpyxl import load_workbook

    unpacked(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        kind = type(exc).__name__
        raise Fatal(f"not an Excel workbook (.xlsx) that can be read ({kind})") from None
    found = ReturnFile(shown)
    try:
        names = book.sheetnames
        sheet = book[RETURN_SHEET] if RETURN_SHEET in names else book[names[0]]
        if INSTRUCTIONS_SHEET in names:
            for number, values in enumerate(book[INSTRUCTIONS_SHEET].iter_rows(values_only=True)):
                if number > 100:
                    break
                key = text_of(values[0]).strip().lower() if values else ""
                value = text_of(values[1]).strip() if len(values) > 1 else ""
                if key == "country" and found.country is None:
                    found.country = value.upper()
                elif key == "as of" and found.as_of is None:
                    found.as_of = value
        table = Table(found, letters=True)
        sheet.reset_dimensions()  # the file's own <dimension> may hide rows and columns
        for number, found_cells in enumerate(sheet.iter_rows(), start=1):
            if number > MAX_ROWS:
                raise Fatal(f"more than {MAX_ROWS} rows: not a return")
            if not table.add(number, [cell_value(c) for c in found_cells]):
                break
    except Fatal:
        raise
    except Exception as exc:  # a damaged sheet inside a readable zip
        raise Fatal(f"a damaged Excel workbook ({type(exc).__name__})") from None
    finally:
        book.close()
    return table.finish()


def cell_value(cell: Any) -> str:
    """A cell's text; a number shown as a percent (50% is stored as 0.5) as the percent."""
    value = getattr(cell, "value", None)
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in str(getattr(cell, "number_format", ""))
    ):
        value = round(value * 100, 10)
    return text_of(value)


def unpacked(data: bytes) -> None:
    """Refuse a workbook that would unpack to more than :data:`MAX_UNPACKED` bytes (a zip
    bomb), before openpyxl reads any of it; a file that is no zip at all is said so."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise Fatal("not an Excel workbook (.xlsx) that can be read (not a zip file)") from None
    if size > MAX_UNPACKED:
        raise Fatal(f"unpacks to more than {MAX_UNPACKED >> 20} MiB: not a return")


def cell_text(value: str) -> str:
    """Plan text for a cell: one line, with no character a workbook cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(ILLEGAL_CHARACTERS_RE.sub(lambda m: oneline(m.group()), oneline(value)))


def template_xlsx(
    pairs: list[tuple[str, str]], rows: list[list[object]], statuses: tuple[str, ...]
) -> bytes:
    """The XLSX return: the table with its checks, and the Instructions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = RETURN_SHEET
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cells in rows:
        sheet.append([cell_text(c) if isinstance(c, str) else c for c in cells])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):  # text, never a formula
                cell.data_type = "s"
    for line in sheet.iter_rows(min_row=2, min_col=COLUMNS.index("date") + 1):
        line[0].number_format = "yyyy-mm-dd"  # a date typed in shows as the import reads it
    sheet.freeze_panes = "A2"
    last = max(len(rows) + 1, 2)
    status_col = letter(COLUMNS.index("new_status"))
    percent_col = letter(COLUMNS.index("new_percent"))
    choose = DataValidation(
        type="list", formula1=f'"{",".join(statuses)}"', allow_blank=True, showErrorMessage=True
    )
    choose.error = f"One of: {', '.join(statuses)}"
    choose.add(f"{status_col}2:{status_col}{last}")
    percent = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
    )
    percent.error = "A number from 0 to 100"
    percent.add(f"{percent_col}2:{percent_col}{last}")
    sheet.add_data_validation(choose)
    sheet.add_data_validation(percent)
    for name, width in (("line", 12), ("title", 50), ("note", 40), ("source", 30)):
        sheet.column_dimensions[letter(COLUMNS.index(name))].width = width
    info = book.create_sheet(INSTRUCTIONS_SHEET)
    for key, text in pairs:
        info.append([key, cell_text(text)])
        for cell in info[info.max_row]:
            cell.data_type = "s"
    for cell in info["A"]:
        cell.font = Font(bold=True)
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))
