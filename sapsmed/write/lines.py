"""Action lines added, changed and removed: `sapsmed line add`, `line set`, `line remove`.

Each builds its operations from the plan as it is (:func:`sapsmed.write.edits.apply_edit`):
a new line goes into its action's list, a field is set or removed with its key, a line is
cut with, under ``--force``, its id from the other lines' ``dependencies``."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sapsmed.base.errors import SapsmedError, UsageError
from sapsmed.base.safetext import shorten
from sapsmed.domain.plan import Plan, goal_actions
from sapsmed.domain.vocabulary import LEVELS
from sapsmed.write.edits import Build, by_file
from sapsmed.write.updates import line_path
from sapsmed.yamlio.edit import Delete, Extend, Op, Set, Unset
from sapsmed.yamlio.parse import PathKey

if TYPE_CHECKING:
    from sapsmed.domain.entities import Action

# Line fields `line set` changes, with the names it also accepts; the optional ones may be
# removed with an empty value.
FIELDS = (
    "title",
    "due_year",
    "timeframe",
    "lead",
    "level",
    "themes",
    "types_of_measures",
    "pathway",
    "dependencies",
    "planned_start",
)
ALIASES = {"measure": "types_of_measures", "measures": "types_of_measures", "due": "due_year"}
REQUIRED = ("title", "due_year", "timeframe", "lead", "level")
LISTS = ("lead", "themes", "types_of_measures", "dependencies")


def action_path(plan: Plan, action_id: str) -> tuple[Path, PathKey]:
    """The goal file holding an action, and the action's path inside it."""
    plan.require(action_id, "action")
    goal_id = plan.ancestors[action_id][0]
    goal = plan.goal(goal_id)
    assert goal is not None
    for outcome, action in goal_actions(goal):
        if action["id"] != action_id:
            continue
        if outcome is None:
            where: PathKey = ("actions", goal["actions"].index(action))
        else:
            at = outcome["actions"].index(action)
            where = ("outcomes", goal["outcomes"].index(outcome), "actions", at)
        return plan.root / "goals" / f"{goal_id}.yaml", where
    raise SapsmedError(f"{action_id} is not in its goal's file")  # pragma: no cover


def field_value(name: str, raw: str) -> Any:
    """A field's value from its command-line text (lists comma-separated); None for an
    empty value. A value of the wrong form is a usage error."""
    raw = raw.strip() if name != "title" and name != "timeframe" else raw
    if raw == "":
        return None
    if name == "due_year":
        if not re.fullmatch(r"[0-9]{4}", raw):
            raise UsageError(f"due_year: {raw!r} is not a year (YYYY)")
        return int(raw)
    if name == "level" and raw not in LEVELS:
        raise UsageError(f"level: {raw!r} is not one of {', '.join(LEVELS)}")
    if name == "planned_start":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise UsageError(f"planned_start: {raw!r} is not a date (YYYY-MM-DD)") from None
    if name in LISTS:
        items = [item.strip() for item in raw.split(",") if item.strip()]
        return [item.upper() for item in items] if name == "lead" else items
    return raw


def next_id(plan: Plan, action_id: str, wanted: str | None) -> str:
    """The id a new line of ``action_id`` takes: ``wanted``, checked, or the next free one."""
    action = cast("Action", plan.require(action_id, "action"))
    if wanted is not None:
        if not re.fullmatch(re.escape(action_id) + r"\.[1-9][0-9]*", wanted):
            raise UsageError(f"--id {wanted!r}: a line of {action_id} is {action_id}.NUMBER")
        if wanted in plan.entities:
            raise UsageError(f"--id {wanted!r} is taken")
        return wanted
    numbers = [number_of(line["id"]) for line in action["lines"]]
    number = max(numbers, default=0) + 1
    while f"{action_id}.{number}" in plan.entities:
        number += 1
    return f"{action_id}.{number}"


def number_of(line_id: str) -> int:
    """The number after the dot of a line id (B-2-1.3: 3)."""
    return int(line_id.rsplit(".", 1)[1])


def add_line(action_id: str, fields: dict[str, Any], line_id: str | None = None) -> Build:
    """`line add`: a new line at the end of its action's lines (or, with ``line_id``, in
    number order). ``fields`` are the line's, in the order they are written."""

    def build(plan: Plan) -> tuple[dict[Path, list[Op]], str]:
        new_id = next_id(plan, action_id, line_id)
        path, where = action_path(plan, action_id)
        line = {"id": new_id, **{k: v for k, v in fields.items() if v not in (None, [])}}
        lines = cast("Action", plan.entities[action_id][1])["lines"]
        at = sum(1 for x in lines if number_of(x["id"]) < number_of(new_id))
        op = Extend((*where, "lines"), (line,), at)
        return {path: [op]}, f"added {new_id} to {action_id}"

    return build


def set_fields(line_id: str, assignments: list[tuple[str, str]]) -> Build:
    """`line set`: each FIELD=VALUE set; an empty value removes an optional field."""
    changes: dict[str, Any] = {}
    for name, raw in assignments:
        field = ALIASES.get(name, name)
        if field not in FIELDS:
            raise UsageError(
                f"{name!r} is not a field `line set` changes (one of {', '.join(FIELDS)})"
            )
        value = field_value(field, raw)
        if value is None and field in REQUIRED:
            raise UsageError(f"{field} is required: it cannot be removed")
        changes[field] = value

    def build(plan: Plan) -> tuple[dict[Path, list[Op]], str]:
        plan.require(line_id, "action_line")
        path, where = line_path(plan, line_id)
        line = plan.lines[line_id].line
        ops: list[Op] = []
        for field, value in changes.items():
            if value is not None:
                ops.append(Set((*where, field), value))
            elif line.get(field):  # an optional field that is there: removed
                ops.append(Unset((*where, field)))
        shown = ", ".join(f"{k}={'' if v is None else shorten(v, 60)}" for k, v in changes.items())
        return ({path: ops} if ops else {}), f"set {line_id} {shown}"

    return build


def remove_line(line_id: str, force: bool = False) -> Build:
    """`line remove`: refused while the line has updates or other lines depend on it, unless
    ``force`` (then its id leaves their ``dependencies`` in the same edit)."""

    def build(plan: Plan) -> tuple[dict[Path, list[Op]], str]:
        plan.require(line_id, "action_line")
        line = plan.lines[line_id].line
        dependants = sorted(i for i, r in plan.lines.items() if line_id in r.line["dependencies"])
        why = []
        if line["updates"]:
            why.append(f"it has {len(line['updates'])} update(s)")
        if dependants:
            why.append(f"{', '.join(dependants)} depend(s) on it")
        if why and not force:
            raise SapsmedError(
                f"{line_id} is not removed: {' and '.join(why)} (--force removes it anyway)"
            )
        pairs: list[tuple[Path, list[Op]]] = []
        for other in dependants:
            path, where = line_path(plan, other)
            deps = plan.lines[other].line["dependencies"]
            mine = tuple(i for i, d in enumerate(deps) if d == line_id)
            key = (*where, "dependencies")  # only its items cut: the list's comments stay
            pairs.append((path, [Delete(key, mine) if len(mine) < len(deps) else Unset(key)]))
        path, where = line_path(plan, line_id)
        pairs.append((path, [Delete(where[:-1], (int(where[-1]),))]))
        note = f" (and from the dependencies of {', '.join(dependants)})" if dependants else ""
        return by_file(*pairs), f"removed {line_id}{note}"

    return build
