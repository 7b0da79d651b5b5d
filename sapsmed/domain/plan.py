"""The plan as one object: validated plain data, an index of every entity by id, readings.

The pydantic models check the files; what a validated plan holds is their JSON-mode dump
(dicts with every default filled in). Plain data can be cached and read back without
building a single model class, which keeps `status` and `show` quick.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from sapsmed.base.errors import PlanNotFound, UnknownId
from sapsmed.base.hints import close_matches
from sapsmed.domain.vocabulary import UNIT_RANGES, Kind, Unit

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.entities import (
        Action,
        Country,
        DeclaredUnit,
        Entity,
        Goal,
        Kpi,
        Line,
        Meta,
        Outcome,
        Risk,
    )

PLAN_FILE = "plan.yaml"
# What an entity of each kind is called where an id names another kind.
KIND_NOUNS: dict[Kind, str] = {
    "goal": "a goal",
    "outcome": "an outcome",
    "action": "an action",
    "action_line": "an action line",
    "kpi": "a KPI",
    "country": "a member state",
    "theme": "a theme",
}


class Reading(NamedTuple):
    """One KPI value, flattened from its release."""

    kpi: str
    country: str
    year: int
    value: float
    source: str
    vintage: str | None  # ISO date; None where the source recorded none


# The fields holding the tree below a goal, one level each: outcomes, actions, action lines.
TREE = (("outcome", "outcomes"), ("action", "actions"), ("action_line", "lines"))


def walk(goals: Iterable[Goal]) -> Iterator[tuple[Kind, Entity, tuple[Entity, ...]]]:
    """Every goal, outcome, action and action line in plan order, each with the entities
    above it (goal first): the one walk of the plan's tree. In a plan without outcomes an
    action's only ancestor is its goal."""
    for goal in goals:
        yield "goal", goal, ()
        yield from _actions((goal,), goal["actions"])
        for outcome in goal["outcomes"]:
            yield "outcome", outcome, (goal,)
            yield from _actions((goal, outcome), outcome["actions"])


def _actions(
    above: tuple[Entity, ...], actions: list[Action]
) -> Iterator[tuple[Kind, Entity, tuple[Entity, ...]]]:
    for action in actions:
        yield "action", action, above
        for line in action["lines"]:
            yield "action_line", line, (*above, action)


def goal_actions(goal: Goal) -> Iterator[tuple[Outcome | None, Action]]:
    """A goal's actions in plan order, each with its outcome (None in a plan without)."""
    for action in goal["actions"]:
        yield None, action
    for outcome in goal["outcomes"]:
        for action in outcome["actions"]:
            yield outcome, action


def natural_key(entity_id: str) -> tuple[Any, ...]:
    """Ids in natural order: A-1-2.10 after A-1-2.9, goal G10 after G9 and before SG3."""
    parts = entity_id.replace(".", "-").split("-")
    return tuple(
        tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in _RUNS.findall(p))
        for p in parts
    )


_RUNS = re.compile(r"[0-9]+|[^0-9]+")


def is_member(country: Country, day: date) -> bool:
    """Was ``country`` a member state on ``day``: from the day it ``joined`` (always, if no
    date) until the day before it ``left`` (still, if no date). The one membership rule."""
    iso = day.isoformat()
    joined, left = country.get("joined"), country.get("left")
    return (joined is None or joined <= iso) and (left is None or iso < left)


def is_open(risk: Risk, day: date) -> bool:
    """Whether a risk is open on ``day``: not closed on or before it."""
    closed = risk.get("closed")
    return closed is None or day.isoformat() < closed


@dataclass(frozen=True)
class LineRef:
    """An action line with the entities above it."""

    line: Line
    action: Action
    outcome: Outcome | None  # None in a plan without outcomes
    goal: Goal


@dataclass
class Plan:
    root: Path
    meta: Meta
    countries: dict[str, Country]
    goals: list[Goal]
    kpis: dict[str, Kpi]
    readings: list[Reading]
    units: dict[str, DeclaredUnit] = field(default_factory=dict)  # declared in kpis.yaml
    entities: dict[str, tuple[Kind, Entity]] = field(default_factory=dict)
    lines: dict[str, LineRef] = field(default_factory=dict)
    # each goal's, outcome's, action's and line's ancestors' ids, goal first
    ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _by_kpi: dict[str, list[Reading]] | None = field(default=None, repr=False)
    _series: dict[tuple[str, date | None], dict[str, dict[int, float]]] = field(
        default_factory=dict, repr=False
    )

    def __post_init__(self) -> None:
        self.goals.sort(key=lambda g: natural_key(g["id"]))
        add = self.entities.setdefault  # the first of duplicate ids wins; validation reports
        for kind, entity, above in walk(self.goals):
            add(entity["id"], (kind, entity))
            self.ancestors.setdefault(entity["id"], tuple(e["id"] for e in above))
            if kind == "action_line":
                ref = LineRef(
                    cast("Line", entity),
                    cast("Action", above[-1]),
                    cast("Outcome", above[1]) if len(above) == 3 else None,
                    cast("Goal", above[0]),
                )
                self.lines.setdefault(entity["id"], ref)
        for kpi in self.kpis.values():
            add(kpi["id"], ("kpi", kpi))
        for country in self.countries.values():
            add(country["id"], ("country", country))
        for theme in self.meta["themes"]:
            add(theme["id"], ("theme", theme))

    def to_cache(self) -> tuple[Any, ...]:
        """Everything needed to rebuild the plan, in marshal-able builtin types (what
        validate/cache.py stores; :meth:`from_cache` reads it back)."""
        return (
            self.meta,
            list(self.countries.values()),
            self.goals,
            list(self.kpis.values()),
            [tuple(r) for r in self.readings],
            list(self.units.values()),
        )

    @classmethod
    def from_cache(cls, root: Path, data: tuple[Any, ...]) -> Plan:
        meta, countries, goals, kpis, readings, units = data
        return cls(
            root,
            meta,
            {c["id"]: c for c in countries},
            goals,
            {k["id"]: k for k in kpis},
            [Reading(*r) for r in readings],
            {u["id"]: u for u in units},
        )

    @property
    def dated_membership(self) -> bool:
        """Whether any member state has a joining or leaving date (then the rules that
        count member states say "that was a member")."""
        return any(c.get("joined") or c.get("left") for c in self.countries.values())

    @property
    def region(self) -> str:
        """What the member states together are called (plan.yaml ``region``)."""
        return (self.meta.get("region") or "").strip() or "all member states"

    def unit_range(self, unit: str) -> tuple[float | None, float | None]:
        """A unit's inclusive (low, high) bounds, None where unbounded: a declared unit's
        ``min`` and ``max``, a built-in one's range."""
        if unit in self.units:
            return self.units[unit]["min"], self.units[unit]["max"]
        return UNIT_RANGES.get(cast("Unit", unit), (None, None))

    def decimals(self, unit: str) -> int | None:
        """The places a declared unit's values are shown with (None: the default)."""
        return self.units[unit]["decimals"] if unit in self.units else None

    def unit_name(self, unit: str, builtin: str | None = None) -> str:
        """How a unit is shown: a declared unit's name; a built-in one's ``builtin`` text
        (default: its id with spaces for underscores)."""
        if unit in self.units:
            return self.units[unit]["name"]
        return unit.replace("_", " ") if builtin is None else builtin

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.goals if g["id"] == goal_id), None)

    def require(self, entity_id: str, kind: Kind | None = None) -> Entity:
        """The entity with this id (of this ``kind``); else UnknownId, with a did-you-mean
        for an id the plan does not hold."""
        if entity_id not in self.entities:
            hint = close_matches(entity_id, self.entities, n=3, cutoff=0.5)
            upper = entity_id.upper()
            if upper in self.entities and upper not in hint:
                hint.insert(0, upper)
            suggestion = f"; did you mean {', '.join(hint)}?" if hint else ""
            raise UnknownId(f"no entity with id {entity_id!r}{suggestion}")
        found, entity = self.entities[entity_id]
        if kind is not None and found != kind:
            raise UnknownId(f"{entity_id!r} is not {KIND_NOUNS[kind]}")
        return entity

    def require_scope(self, goal: str | None = None, country: str | None = None) -> None:
        """UnknownId unless ``goal`` (if given) is a goal and ``country`` a member state."""
        if goal is not None and self.goal(goal) is None:
            goals = ", ".join(g["id"] for g in self.goals)
            raise UnknownId(f"no goal {goal!r}; goals are {goals}")
        if country is not None and country not in self.countries:
            raise UnknownId(f"{country!r} is not a member state{self.country_hint(country)}")

    def country_hint(self, value: str) -> str:
        """Suggest a member state by code or by the start of its name ("MAL", "viet")."""
        by_name = [
            c["id"]
            for c in self.countries.values()
            if any(n.upper().startswith(value.upper()) for n in (c["name"], *c["printed_as"]))
        ]
        hint = by_name or close_matches(value.upper(), self.countries)
        if hint:
            return f"; did you mean {hint[0]!r} ({self.countries[hint[0]]['name']})?"
        return f" (member states: {', '.join(self.countries)})"

    def members_at(self, day: date) -> list[str]:
        """The codes of the member states on ``day`` (:func:`is_member`), in plan order."""
        return [code for code, c in self.countries.items() if is_member(c, day)]

    def iter_lines(self, goal_id: str | None = None) -> Iterator[LineRef]:
        return (ref for ref in self.lines.values() if goal_id in (None, ref.goal["id"]))

    def readings_of(self, kpi_id: str, as_of: date | None = None) -> list[Reading]:
        """A KPI's readings; with ``as_of``, only those known then: of a year up to it, from
        a release dated up to it where its vintage is known."""
        if self._by_kpi is None:  # indexed once: reports ask for every KPI many times
            self._by_kpi = {}
            for r in self.readings:
                self._by_kpi.setdefault(r.kpi, []).append(r)
        found = self._by_kpi.get(kpi_id, [])
        if as_of is None:
            return found
        day = as_of.isoformat()
        return [
            r for r in found if r.year <= as_of.year and (r.vintage is None or r.vintage <= day)
        ]

    def series(self, kpi_id: str, as_of: date | None = None) -> dict[str, dict[int, float]]:
        """A KPI's readings (known on ``as_of``) as {country: {year: value}}; computed once,
        do not modify."""
        key = (kpi_id, as_of)
        if key not in self._series:
            out: dict[str, dict[int, float]] = {}
            for r in self.readings_of(kpi_id, as_of):
                out.setdefault(r.country, {})[r.year] = r.value
            self._series[key] = out
        return self._series[key]

    def latest_readings(self, kpi_id: str, as_of: date | None = None) -> dict[str, Reading]:
        """Each country's most recent reading of a KPI known on ``as_of``."""
        latest: dict[str, Reading] = {}
        for r in self.readings_of(kpi_id, as_of):
            if r.country not in latest or r.year > latest[r.country].year:
                latest[r.country] = r
        return latest


NO_PLAN_HERE = (
    "no plan folder here (none in this folder or above it); use --plan DIR or run sapsmed init"
)


def find_plan_dir(
    explicit: Path | None = None, start: Path | None = None, shipped: bool = True
) -> Path:
    """--plan DIR, else $SAPSMED_PLAN, else the nearest plan/ upward, else (with
    ``shipped``) the shipped plan."""
    found = chosen_plan_dir(explicit, start)
    if found is not None:
        return found
    if not shipped:
        raise PlanNotFound(NO_PLAN_HERE)
    return shipped_plan_dir()


def chosen_plan_dir(explicit: Path | None = None, start: Path | None = None) -> Path | None:
    """--plan DIR, else $SAPSMED_PLAN, else the nearest plan/ upward; None when there is
    none of them (the caller falls back to the shipped plan, or refuses)."""
    if explicit is not None or os.environ.get("SAPSMED_PLAN"):
        chosen = explicit if explicit is not None else Path(os.environ["SAPSMED_PLAN"])
        if not (chosen / PLAN_FILE).is_file() and (chosen / "plan" / PLAN_FILE).is_file():
            return chosen / "plan"  # a repository holding plan/
        if not (chosen / PLAN_FILE).is_file():
            raise PlanNotFound(f"no plan found: {chosen}/{PLAN_FILE} does not exist")
        return chosen
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PLAN_FILE).is_file() and folder.name == "plan":
            return folder
        if (folder / "plan" / PLAN_FILE).is_file():
            return folder / "plan"
    return None


def shipped_plan_dir() -> Path:
    """The SAP SMED plan inside the installed package (or the checkout's plan/ when editable)."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_plan", package.parent / "plan"):
        if (candidate / PLAN_FILE).is_file():
            return candidate
    raise PlanNotFound("no plan found: the shipped plan is missing from this installation")
