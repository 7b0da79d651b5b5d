"""Recording progress: `sapsmed update` adds an entry to an action line's log, in date order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sapsmed.base.errors import SapsmedError
from sapsmed.base.problems import Problem
from sapsmed.domain.plan import Plan
from sapsmed.validate import cache
from sapsmed.validate.planfiles import FileProblem, read_plan_file
from sapsmed.write.transaction import DEFAULT_WAIT, check_and_write, locked
from sapsmed.yamlio.edit import EditRefused, Extend, edit_text
from sapsmed.yamlio.parse import decode


@dataclass(frozen=True)
class Recorded:
    path: Path
    line_id: str
    update: dict[str, Any]
    warnings: list[Problem]


def line_path(plan: Plan, line_id: str) -> tuple[Path, tuple[str | int, ...]]:
    """The goal file holding an action line, and the line's path inside it."""
    ref = plan.lines[line_id]
    li = ref.action["lines"].index(ref.line)
    above: tuple[str | int, ...] = ()
    actions = ref.goal["actions"]  # a plan without outcomes
    if ref.outcome is not None:
        above, actions = (
            ("outcomes", ref.goal["outcomes"].index(ref.outcome)),
            ref.outcome["actions"],
        )
    path = (*above, "actions", actions.index(ref.action), "lines", li)
    return plan.root / "goals" / f"{ref.goal['id']}.yaml", path


def current_plan(root: Path) -> Plan:
    """The plan an edit starts from: valid, or the edit is refused."""
    plan, problems = cache.load(root)
    if plan is None:
        raise EditRefused(problems, "the plan is invalid; fix it first, nothing was written")
    return plan


def file_text(root: Path, path: Path) -> str:
    """A plan file's text, read as validation reads it (links inside the plan only)."""
    try:
        return decode(read_plan_file(root, path))
    except FileProblem as exc:
        raise SapsmedError(f"{path.name}: {exc.message}; nothing was written") from None


def member(plan: Plan, country: str) -> str:
    if country not in plan.countries:
        raise SapsmedError(
            f"{country!r} is not a member state of the plan (one of "
            f"{', '.join(sorted(plan.countries))})"
        )
    return country


def record_update(
    root: Path,
    line_id: str,
    status: str,
    day: date,
    percent: float | None = None,
    note: str | None = None,
    by: str | None = None,
    country: str | None = None,
    source: str | None = None,
    wait: float = DEFAULT_WAIT,
    waiting: Callable[[str], None] | None = None,
) -> Recorded:
    """Add one update to ``line_id``'s log at its place in date order, validated and written
    atomically (a late report goes before the updates dated after it)."""
    with locked(root, wait, waiting):
        plan = current_plan(root)
        plan.require(line_id, "action_line")
        line = plan.lines[line_id].line
        if line["level"] == "national" and country is None:
            raise SapsmedError(
                f"{line_id} is a national-level line: say which member state "
                "reports with --country ISO3"
            )
        if line["level"] != "national" and country is not None:
            raise SapsmedError(f"{line_id} is a regional line: its updates name no country")
        if country is not None:
            member(plan, country)
        if status == "completed" and percent is None:
            percent = 100
        if percent is not None and float(percent).is_integer():
            percent = int(percent)
        fields = {
            "date": day,
            "status": status,
            "percent": percent,
            "country": country,
            "note": note,
            "by": by,
            "source": source,
        }
        update = {k: v for k, v in fields.items() if v is not None}
        path, where = line_path(plan, line_id)
        at = sum(1 for u in line["updates"] if u["date"] <= day.isoformat())
        new_text = edit_text(
            path, file_text(root, path), [Extend((*where, "updates"), (update,), at)]
        )
        warnings = check_and_write(root, {path: new_text})
    return Recorded(path, line_id, update, warnings)
