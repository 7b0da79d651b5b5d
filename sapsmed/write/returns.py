"""Member-state returns in (`returns import`): every row of every file checked, then all
of them recorded in one checked edit, or none.

Each row with a new status becomes one update of its line's log, at its place in date order
(a national-level line's update names the country; a regional line's names none). Every
problem in any row of any file is listed as ``FILE:row:column: message`` and nothing is
written. An update identical to one already in the log (line, country, date, status,
percent, note) is skipped as already recorded, so importing a return twice changes nothing.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sapsmed.base.errors import SapsmedError, UsageError
from sapsmed.base.hints import did_you_mean
from sapsmed.base.problems import Problem, display_path
from sapsmed.domain.plan import Plan, is_member
from sapsmed.domain.vocabulary import STATUSES
from sapsmed.io.returns import ReturnFile, Row, read_return
from sapsmed.io.wdi import MAX_ERRORS, shown
from sapsmed.monitor.returns import reports_on
from sapsmed.write.transaction import DEFAULT_WAIT, check_and_write, locked
from sapsmed.write.updates import current_plan, file_text, line_path
from sapsmed.yamlio.edit import Extend, edit_text

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
NEWS = ("new_status", "new_percent", "date", "note", "by", "source")


class ReturnErrors(SapsmedError):
    """Everything wrong in the returns of one import: ``messages`` (each ``FILE:row:column:
    message``, the first :data:`MAX_ERRORS`) and ``total``; nothing was written."""

    def __init__(self, messages: list[str], total: int) -> None:
        super().__init__(
            f"{total} error{'' if total == 1 else 's'} in the returns; nothing was written"
        )
        self.messages, self.total = messages, total


@dataclass(frozen=True)
class Entry:
    """One row's update, ready to record."""

    where: str  # FILE:row
    line_id: str
    update: dict[str, Any]


@dataclass
class ReturnsReport:
    recorded: list[Entry] = field(default_factory=list)
    already: list[Entry] = field(default_factory=list)
    blank: int = 0
    written: list[Path] = field(default_factory=list)
    diff: str = ""
    warnings: list[Problem] = field(default_factory=list)


def status_word(cell: str) -> str:
    """A status as typed ("On hold", "not started") in the vocabulary's spelling."""
    return re.sub(r"[\s-]+", "_", cell.strip()).lower()


def percent_of(cell: str) -> float | int | None:
    """The percent in a cell (None: empty); ValueError with the reason otherwise."""
    text = cell.strip().removesuffix("%").strip()
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".", 1)  # a decimal comma (Excel in many locales)
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"percent {shown(cell)} is not a number") from None
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise ValueError(f"percent {shown(cell)} is not between 0 and 100")
    return int(value) if value.is_integer() else value


def date_of(cell: str, plan: Plan, as_of: date) -> str:
    """An update's date from a cell, checked; ValueError with the reason otherwise."""
    text = cell.strip()
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"date {shown(cell)} is not a date (YYYY-MM-DD)") from None
    start, end = plan.meta["start_year"], plan.meta["end_year"]
    if not start <= day.year <= end:
        raise ValueError(f"date {text} is outside the plan period {start}-{end}")
    if day > as_of:
        raise ValueError(f"date {text} is after the as-of date {as_of.isoformat()}")
    return text


class Checker:
    """Checks rows against the plan, collecting ``FILE:row:column: message`` problems."""

    def __init__(self, plan: Plan, as_of: date) -> None:
        self.plan, self.as_of = plan, as_of
        self.errors: list[str] = []
        self.error_count = 0
        self.seen: dict[tuple[str, str, str], str] = {}
        self.reporting: dict[str, set[str]] = {}

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)

    def file(self, found: ReturnFile) -> tuple[str | None, str | None]:
        """The file's country and default date (its as-of), or None after an error."""
        for message in found.errors:
            self.error(message)
        if found.errors:
            return None, None
        country = found.country
        if not country:
            self.error(
                f"{found.path}: the file does not say which member state it is from "
                "(a '# country: ISO3' line, or Country on the Instructions sheet)"
            )
            return None, None
        if country not in self.plan.countries:
            self.error(
                f"{found.path}: {shown(country)} is not a member state"
                f"{self.plan.country_hint(country)}"
            )
            return None, None
        default = None
        if found.as_of:
            try:
                default = date_of(found.as_of, self.plan, self.as_of)
            except ValueError as exc:
                self.error(f"{found.path}: the file's as-of {exc}")
        return country, default

    def row(self, row: Row, country: str, default: str | None) -> Entry | None:
        """The update of one row, or None (a blank row, or errors reported)."""
        if not any(row.get(name).strip() for name in NEWS):
            return None
        before = self.error_count
        line_id = row.get("line").strip()
        line = self.plan.lines.get(line_id)
        if line is None:
            self.error(
                f"{row.where('line')}: no action line {shown(line_id)}"
                f"{did_you_mean(line_id, self.plan.lines)}"
            )
        elif line_id not in self.reported_by(country):
            self.error(f"{row.where('line')}: {line_id} is not a line {country} reports on")
        given = row.get("country").strip().upper()
        if given and given != country:
            self.error(
                f"{row.where('country')}: a return for {shown(given)} in the file of {country}"
            )
        status = status_word(row.get("new_status"))
        if not status:
            self.error(f"{row.where('new_status')}: no new status (the row has other news)")
        elif status not in STATUSES:
            self.error(
                f"{row.where('new_status')}: status {shown(row.get('new_status'))} is not one "
                f"of {', '.join(STATUSES)}{did_you_mean(status, STATUSES)}"
            )
        percent = None
        try:
            percent = percent_of(row.get("new_percent"))
        except ValueError as exc:
            self.error(f"{row.where('new_percent')}: {exc}")
        if status == "completed" and percent is not None and percent != 100:
            self.error(
                f"{row.where('new_percent')}: a completed line is 100% complete, not {percent}%"
            )
        day = None
        if row.get("date").strip():
            try:
                day = date_of(row.get("date"), self.plan, self.as_of)
            except ValueError as exc:
                self.error(f"{row.where('date')}: {exc}")
        elif default is None:
            self.error(f"{row.where('date')}: no date, and the file records no as-of date")
        else:
            day = default
        member = self.plan.countries.get(country)
        if (
            day is not None
            and member is not None
            and not is_member(member, date.fromisoformat(day))
        ):
            self.error(
                f"{row.where('date')}: {country} was not a member state on {day} "
                f"(joined {member.get('joined') or '-'}, left {member.get('left') or '-'})"
            )
        if self.error_count > before or line is None or day is None:
            return None
        national = line.line["level"] == "national"
        key = (line_id, country, day)
        if key in self.seen:
            self.error(f"{row.where('line')}: {line_id} on {day} again (first at {self.seen[key]})")
            return None
        self.seen[key] = f"{row.path}:{row.number}"
        if status == "completed" and percent is None:
            percent = 100
        fields = {
            "date": day,
            "status": status,
            "percent": percent,
            "country": country if national else None,
            "note": text_or_none(row.get("note")),
            "by": text_or_none(row.get("by")),
            "source": text_or_none(row.get("source")),
        }
        update = {k: v for k, v in fields.items() if v is not None}
        return Entry(f"{row.path}:{row.number}", line_id, update)

    def reported_by(self, country: str) -> set[str]:
        if country not in self.reporting:
            self.reporting[country] = reports_on(self.plan, country, self.as_of)
        return self.reporting[country]


def text_or_none(cell: str) -> str | None:
    """A text cell as data (controls, U+2028 and bidi marks kept); None when empty."""
    return cell if cell.strip() else None


def check(plan: Plan, files: Sequence[ReturnFile], as_of: date) -> tuple[list[Entry], int]:
    """The updates of every row of every file, and the count of blank rows; ReturnErrors
    lists every problem in any of them."""
    checker = Checker(plan, as_of)
    entries: list[Entry] = []
    blank = 0
    for found in files:
        country, default = checker.file(found)
        if country is None:
            continue
        for row in found.rows:
            entry = checker.row(row, country, default)
            if entry is not None:
                entries.append(entry)
            elif row.get("line").strip() and not any(row.get(name).strip() for name in NEWS):
                blank += 1  # a line without news (empty rows are not counted)
    if checker.error_count:
        raise ReturnErrors(checker.errors, checker.error_count)
    return entries, blank


def same_update(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Already recorded: same date, country, status, percent (as numbers) and note."""
    for key in ("date", "country", "status", "note"):
        if old.get(key) != new.get(key):
            return False
    a, b = old.get("percent"), new.get("percent")
    if a is None or b is None:
        return a is None and b is None
    return float(a) == float(b)


def edits(plan: Plan, root: Path, entries: list[Entry], report: ReturnsReport) -> dict[Path, str]:
    """The new text of each goal file, with every new update at its place in date order."""
    ops: dict[Path, list[Extend]] = {}
    logs: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        log = logs.setdefault(
            entry.line_id, [dict(u) for u in plan.lines[entry.line_id].line["updates"]]
        )
        if any(same_update(old, entry.update) for old in log):
            report.already.append(entry)
            continue
        path, where = line_path(plan, entry.line_id)
        at = sum(1 for u in log if u["date"] <= entry.update["date"])
        log.insert(at, entry.update)
        ops.setdefault(path, []).append(Extend((*where, "updates"), (entry.update,), at))
        report.recorded.append(entry)
    return {path: edit_text(path, file_text(root, path), todo) for path, todo in ops.items()}


def unified(root: Path, texts: dict[Path, str]) -> str:
    out: list[str] = []
    for path, new in texts.items():
        name = display_path(path)
        old = file_text(root, path)
        out += difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), name, name
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def import_returns(
    root: Path,
    paths: Sequence[Path],
    as_of: date,
    dry_run: bool = False,
    wait: float = DEFAULT_WAIT,
    waiting: Callable[[str], None] | None = None,
) -> ReturnsReport:
    """Check every row of every file, then record them all in one checked edit (or, with
    ``dry_run``, only compute the diff)."""
    if not paths:
        raise SapsmedError("no return files given")
    if as_of > date.today():  # the plan is checked as of today: no update may be later
        raise UsageError(f"--as-of {as_of} is after today: returns record what has happened")
    with locked(root, wait, waiting):
        plan = current_plan(root)
        files = [read_return(path) for path in paths]
        entries, blank = check(plan, files, as_of)
        report = ReturnsReport(blank=blank)
        texts = edits(plan, root, entries, report)
        if texts:  # a dry run is validated too: it shows what the import would do
            report.warnings = check_and_write(root, texts, dry_run=dry_run)
        if dry_run:
            report.diff = unified(root, texts)
        elif texts:
            report.written = list(texts)
    return report
