"""KPI readings written into readings files: additions and corrections as checked edits.

A reading is keyed on KPI, country and year. A new value goes into the release (source and
vintage) it came from, in the KPI's readings file; a corrected value replaces the stored
row wherever that row is (the only row of a release, the only release, before or after
another release): the new row is added first, then the old row is removed, then any release
left empty. Every edit is verified by :func:`edit.edit_text`, the whole plan is validated
before anything is written, and all files are written at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sapsmed.base.errors import SapsmedError
from sapsmed.domain.plan import Plan
from sapsmed.io.wdi import Observation
from sapsmed.validate.planfiles import list_plan
from sapsmed.write.importer import Change, ImportReport, decide, same
from sapsmed.write.transaction import DEFAULT_WAIT, check_and_write, locked
from sapsmed.write.updates import current_plan, file_text, member
from sapsmed.yamlio.edit import Delete, EditCheckFailed, Extend, Op, difference, edit_text
from sapsmed.yamlio.parse import load
from sapsmed.yamlio.text import mapping, plain_value

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/readings.schema.json\n"
FIRST_YEAR = 1900
Where = tuple[Path, int, int]  # file, release, row


def apply(root: Path, plan: Plan, report: ImportReport, note: str | None = None) -> None:
    """Write the report's additions and changes into the readings files (validated first)."""
    changes = report.added + report.changed
    if not changes:
        return
    values = {
        path: load(path, file_text(root, path)).data
        for kind, path in list_plan(root).files
        if kind == "readings"
    }
    where = locate(values, {(c.kpi, c.country, c.year) for c in report.changed})
    plans: dict[Path, list[Change]] = {}
    for change in changes:
        old = where.get((change.kpi, change.country, change.year))
        path = old[0] if old else readings_file(plan, change.kpi)
        plans.setdefault(path, []).append(change)
    texts: dict[Path, str] = {}
    for path, mine in sorted(plans.items()):
        if path not in values:  # a KPI's first readings: a new file
            texts[path] = new_file(path, mine[0].kpi, releases(mine, note))
            continue
        ops = additions(values[path], mine, note) + removals(values[path], path, mine, where)
        texts[path] = edit_text(path, file_text(root, path), ops)
    report.warnings = check_and_write(root, texts)
    report.written = list(texts)


def locate(values: dict[Path, Any], keys: set[tuple[str, str, int]]) -> dict[Any, Where]:
    """Where each of ``keys`` (KPI, country, year) is stored: file, release, row."""
    found: dict[Any, Where] = {}
    for path, data in values.items():
        for r, release in enumerate(data["releases"]):
            for i, (country, year, _) in enumerate(release["readings"]):
                key = (data["kpi"], country, year)
                if key in keys:
                    found[key] = (path, r, i)
    return found


def releases(changes: list[Change], note: str | None) -> list[dict[str, Any]]:
    """The changes as new releases, one per source and vintage, rows sorted."""
    groups: dict[tuple[str, str | None], list[Change]] = {}
    for c in changes:
        groups.setdefault((c.source, c.vintage), []).append(c)
    out = []
    for (source, vintage), group in groups.items():
        release: dict[str, Any] = {
            "source": source,
            "vintage": date.fromisoformat(vintage) if vintage else None,
        }
        if note:
            release["note"] = note
        release["readings"] = [
            [c.country, c.year, c.new] for c in sorted(group, key=lambda c: (c.country, c.year))
        ]
        out.append(release)
    return out


def additions(data: Any, changes: list[Change], note: str | None) -> list[Op]:
    """Rows appended to the release of their source and vintage, or new releases at the end."""
    ops: list[Op] = []
    fresh = []
    for release in releases(changes, note):
        match = next(
            (
                i
                for i, r in enumerate(data["releases"])
                if r["source"] == release["source"]
                and r["vintage"] == plain_value(release["vintage"])
            ),
            None,
        )
        if match is None:
            fresh.append(release)
        else:
            ops.append(Extend(("releases", match, "readings"), tuple(release["readings"])))
    if fresh:
        ops.append(Extend(("releases",), tuple(fresh)))
    return ops


def removals(data: Any, path: Path, changes: list[Change], where: dict[Any, Where]) -> list[Op]:
    """The corrected rows removed, then the releases they leave empty."""
    rows: dict[int, list[int]] = {}
    for c in changes:
        old = where.get((c.kpi, c.country, c.year))
        if old is not None and old[0] == path:
            rows.setdefault(old[1], []).append(old[2])
    added = {op.path[1] for op in additions(data, changes, None) if len(op.path) == 3}
    ops: list[Op] = [
        Delete(("releases", r, "readings"), tuple(sorted(i))) for r, i in sorted(rows.items())
    ]
    empty = tuple(
        r
        for r, i in sorted(rows.items())
        if len(i) == len(data["releases"][r]["readings"]) and r not in added
    )
    if empty:
        ops.append(Delete(("releases",), empty))
    return ops


def new_file(path: Path, kpi: str, content: list[dict[str, Any]]) -> str:
    value = {"kpi": kpi, "releases": content}
    text = SCHEMA_LINE + mapping(value, 0)
    if difference(plain_value(value), load(path, text).data) is not None:
        raise EditCheckFailed(
            f"internal check failed: the new file {path.name} would not "
            "read back as written; nothing was written"
        )
    return text


def readings_file(plan: Plan, kpi: str) -> Path:
    """The file that takes a KPI's new readings: readings/<KPI>.yaml."""
    return plan.root / "readings" / f"{kpi}.yaml"


def record(
    root: Path,
    kpi: str,
    country: str,
    year: int,
    value: float,
    source: str,
    vintage: date | None,
    replace: bool = False,
    as_of: date | None = None,
    wait: float = DEFAULT_WAIT,
    waiting: Callable[[str], None] | None = None,
) -> ImportReport:
    """Add or correct one reading by hand.

    A stored value from a dated source is not replaced by one of unknown vintage unless
    ``replace``: the refusal names both values and their sources."""
    today = as_of or date.today()
    if not math.isfinite(value):
        raise SapsmedError(f"--value must be a finite number, not {value}")
    if not FIRST_YEAR <= year <= today.year:
        raise SapsmedError(f"--year must be from {FIRST_YEAR} to {today.year}, not {year}")
    if not source.strip():
        raise SapsmedError("--source must name where the value comes from")
    if vintage is not None and vintage > today:
        raise SapsmedError(f"--vintage {vintage} is after {today}")
    with locked(root, wait, waiting):
        plan = current_plan(root)
        plan.require(kpi, "kpi")
        member(plan, country)
        stored = {(r.kpi, r.country, r.year): r for r in plan.readings}
        old = stored.get((kpi, country, year))
        if (
            old is not None
            and not same(old.value, value)
            and old.vintage is not None
            and vintage is None
            and not replace
        ):
            raise SapsmedError(
                f"{kpi} {country} {year} is {old.value:g} from {old.source!r} (vintage "
                f"{old.vintage}); {value:g} from {source!r} has no vintage: give --vintage "
                "YYYY-MM-DD, or --replace to replace it anyway; nothing was written"
            )
        report = ImportReport()
        decide(
            report,
            stored,
            kpi,
            Observation("", country, year, value),
            source,
            vintage.isoformat() if vintage else None,
            allow_older=True,
        )
        apply(root, plan, report)
    return report
