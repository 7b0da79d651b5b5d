"""Recording progress: `sapsmed update` appends an entry to an action line's log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import snapshot
from .edit import EditRefused, append_item, check_and_write, locked
from .errors import SapsmedError, UnknownId
from .plan import Plan
from .problems import Problem
from .yamlio import read_text


@dataclass(frozen=True)
class Recorded:
    path: Path
    line_id: str
    update: dict[str, Any]
    warnings: list[Problem]


def line_path(plan: Plan, line_id: str) -> tuple[Path, tuple[str | int, ...]]:
    """The goal file holding an action line, and the line's path inside it."""
    ref = plan.lines[line_id]
    oi = ref.goal["outcomes"].index(ref.outcome)
    ai = ref.outcome["actions"].index(ref.action)
    li = ref.action["lines"].index(ref.line)
    return plan.root / "goals" / f"{ref.goal['id']}.yaml", ("outcomes", oi, "actions", ai,
                                                            "lines", li)


def record_update(root: Path, line_id: str, status: str, day: date, percent: float | None = None,
                  note: str | None = None, by: str | None = None, country: str | None = None,
                  source: str | None = None) -> Recorded:
    """Append one update to ``line_id``'s log, validated and written atomically."""
    with locked(root):
        plan, problems = snapshot.load(root)
        if plan is None:
            raise EditRefused(problems, "the plan is invalid; fix it first, nothing was written")
        if line_id not in plan.lines:
            from .views import show  # raises UnknownId with a did-you-mean

            show(plan, line_id)
            raise UnknownId(f"{line_id!r} is not an action line")
        line = plan.lines[line_id].line
        if line["level"] == "national" and country is None:
            raise SapsmedError(f"{line_id} is a national-level line: say which member state "
                               "reports with --country ISO3")
        if line["level"] != "national" and country is not None:
            raise SapsmedError(f"{line_id} is a regional line: its updates name no country")
        if status == "completed" and percent is None:
            percent = 100
        if percent is not None and float(percent).is_integer():
            percent = int(percent)
        update = {"date": day, "status": status, "percent": percent, "country": country,
                  "note": note, "by": by, "source": source}
        path, where = line_path(plan, line_id)
        new_text = append_item(read_text(path), where, "updates", update)
        warnings = check_and_write(root, {path: new_text})
    return Recorded(path, line_id, {k: v for k, v in update.items() if v is not None}, warnings)
