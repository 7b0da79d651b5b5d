"""What an action line records beside its log: `sapsmed budget`, `personnel`, `output`,
`risk` (each a checked edit of the line, :func:`sapsmed.write.edits.apply_edit`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sapsmed.base.errors import UsageError
from sapsmed.domain.plan import Plan
from sapsmed.write.edits import Build
from sapsmed.write.updates import line_path
from sapsmed.yamlio.edit import Extend, Op, Set

LARGEST = 1e15  # beyond any budget, person-months or KPI value; and beyond exact floats


def number(value: float) -> float | int:
    """A whole number written as one (12.0: 12); a number too large to be one is refused."""
    if not abs(value) < LARGEST:
        raise UsageError(f"{value:g} is too large a number (the limit is {LARGEST:g})")
    return int(value) if float(value).is_integer() else value


def compact(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def set_budget(line_id: str, planned: float, currency: str, spent: float | None) -> Build:
    """`budget`: the line's budget set whole; without ``spent`` the recorded spending stays."""
    if len(currency) != 3 or not currency.isalpha():
        raise UsageError(f"--currency {currency!r} is not an ISO 4217 code (e.g. USD)")

    def build(plan: Plan) -> tuple[dict[Path, list[Op]], str]:
        plan.require(line_id, "action_line")
        old = plan.lines[line_id].line.get("budget")
        if old and spent is None and old["currency"] != currency.upper() and old["spent"]:
            raise UsageError(
                f"the budget of {line_id} is in {old['currency']}: give --spent in "
                f"{currency.upper()} too, or the spending recorded would change currency"
            )
        kept = spent if spent is not None else old["spent"] if old else None
        value = compact(
            {
                "currency": currency.upper(),
                "planned": number(planned),
                "spent": None if kept is None else number(kept),
            }
        )
        path, where = line_path(plan, line_id)
        return {path: [Set((*where, "budget"), value)]}, f"set the budget of {line_id}"

    return build


def set_personnel(line_id: str, planned: float, used: float | None) -> Build:
    """`personnel`: person-months planned (and used; without it the recorded use stays)."""

    def build(plan: Plan) -> tuple[dict[Path, list[Op]], str]:
        plan.require(line_id, "action_line")
        old = plan.lines[line_id].line.get("personnel")
        kept = used if used is not None else old["used"] if old else None
        value = compact(
            {"planned": number(planned), "used": None if kept is None else number(kept)}
        )
        path, where = line_path(plan, line_id)
        return {path: [Set((*where, "personnel"), value)]}, f"set the personnel of {line_id}"

    return build


def add_output(
    line_id: str, title: str, quality: str | None = None, delivered: date | None = None
) -> Build:
    """`output`: an output added to the line's list, or one with this title updated."""

    def build(plan: Plan) -> tuple[dict[Path, list[Op]], str]:
        plan.require(line_id, "action_line")
        path, where = line_path(plan, line_id)
        outputs = plan.lines[line_id].line["outputs"]
        same = [i for i, o in enumerate(outputs) if o["title"] == title]
        if same:
            at = (*where, "outputs", same[-1])
            fields = compact({"delivered": delivered, "quality": quality})
            ops: list[Op] = [Set((*at, k), v) for k, v in fields.items()]
            return {path: ops}, f"updated an output of {line_id}"
        item = compact({"title": title, "delivered": delivered, "quality": quality})
        return {path: [Extend((*where, "outputs"), (item,))]}, f"added an output to {line_id}"

    return build


def add_risk(
    line_id: str,
    description: str,
    level: str | None = None,
    mitigation: str | None = None,
    closed: date | None = None,
) -> Build:
    """`risk`: a risk added to the line's list, or the open one with this description
    updated (``closed`` closes it)."""

    def build(plan: Plan) -> tuple[dict[Path, list[Op]], str]:
        plan.require(line_id, "action_line")
        path, where = line_path(plan, line_id)
        risks = plan.lines[line_id].line["risks"]
        if closed is not None and not (
            date(plan.meta["start_year"], 1, 1) <= closed <= date.today()
        ):
            raise UsageError(
                f"--closed {closed} is not between the plan's start "
                f"({plan.meta['start_year']}) and today"
            )
        # the open risk with this description, or the one closed on that very day (again)
        same = [
            i
            for i, r in enumerate(risks)
            if r["description"] == description
            and r.get("closed") in (None, closed.isoformat() if closed else None)
        ]
        fields = compact({"level": level, "mitigation": mitigation, "closed": closed})
        if same:
            at = (*where, "risks", same[-1])
            ops: list[Op] = [Set((*at, k), v) for k, v in fields.items()]
            did = "closed a risk of" if closed else "updated a risk of"
            return {path: ops}, f"{did} {line_id}"
        item = {"description": description, **fields}
        return {path: [Extend((*where, "risks"), (item,))]}, f"added a risk to {line_id}"

    return build
