"""What `show` and `status` report, as plain data (dicts and lists) ready for any renderer."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from sapsmed.domain.plan import LineRef, Plan, natural_key
from sapsmed.domain.vocabulary import FLAGS, STATUSES
from sapsmed.monitor import progress

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.entities import Action, Goal, Outcome
    from sapsmed.domain.shapes_show import (
        ShowAction,
        ShowCountry,
        ShowGoal,
        ShowJson,
        ShowLine,
    )
    from sapsmed.domain.shapes_status import (
        ActionTree,
        CountryLineRow,
        GoalTree,
        KpiRow,
        LineRow,
        OutcomeTree,
        StatusJson,
    )


def show(plan: Plan, entity_id: str, as_of: date | None = None) -> ShowJson:
    """Any entity by id, as a dict with at least ``id``, ``kind`` and ``title``.

    An action line's ``status`` is the one in force on ``as_of`` (default today), with its
    percent complete, flags and, for a national-level line, each member state's status."""
    plan.require(entity_id)
    kind = plan.entities[entity_id][0]
    day = as_of or date.today()
    if kind == "goal":
        goal = next(g for g in plan.goals if g["id"] == entity_id)
        shown: ShowGoal = {
            "id": entity_id,
            "kind": kind,
            "title": goal["title"],
            "champions": goal["champions"],
            "description": goal["description"],
            "outcomes": [o["id"] for o in goal["outcomes"]],
            "kpis": [k["id"] for k in plan.kpis.values() if k["goal"] == entity_id],
        }
        if goal["printed_as"]:
            shown["printed_as"] = goal["printed_as"]
        if goal["actions"]:
            shown["actions"] = [a["id"] for a in goal["actions"]]
        return shown
    above = plan.ancestors.get(entity_id, ())  # the ids of the goal (and outcome) above
    if kind == "outcome":
        outcome = cast("Outcome", plan.entities[entity_id][1])
        return {
            "id": entity_id,
            "kind": kind,
            "title": outcome["title"],
            "goal": above[0],
            "actions": [a["id"] for a in outcome["actions"]],
        }
    if kind == "action":
        action = cast("Action", plan.entities[entity_id][1])
        shown_action: ShowAction = {
            "id": entity_id,
            "kind": kind,
            "title": action["title"],
            "outcome": above[1] if len(above) == 2 else None,
            "goal": above[0],
            "lines": [ln["id"] for ln in action["lines"]],
        }
        if action["printed_as"]:
            shown_action["printed_as"] = action["printed_as"]
        return shown_action
    if kind == "action_line":
        return show_line(plan, entity_id, day)
    if kind == "kpi":
        kpi = plan.kpis[entity_id]
        return {
            "id": entity_id,
            "kind": kind,
            "title": kpi["name"],
            "goal": kpi["goal"],
            "name": kpi["name"],
            "unit": kpi["unit"],
            "direction": kpi["direction"],
            "source": kpi["source"],
            "indicator_code": kpi["indicator_code"],
            "indicator_name": kpi["indicator_name"],
            "available_for": kpi["available_for"],
            "availability_note": kpi["availability_note"],
            "notes": kpi["notes"],
            "printed_as": kpi["printed_as"],
            "targets": kpi["targets"],
            "discontinued": kpi["discontinued"],
            "readings": len(plan.readings_of(entity_id, day)),
        }
    if kind == "country":
        return show_country(plan, entity_id, day)
    theme = next(t for t in plan.meta["themes"] if t["id"] == entity_id)
    return {
        "id": entity_id,
        "kind": "theme",
        "title": theme["title"],
        "lines": [r.line["id"] for r in plan.iter_lines() if entity_id in r.line["themes"]],
    }


def show_line(
    plan: Plan, line_id: str, as_of: date, states: dict[str, progress.LineState] | None = None
) -> ShowLine:
    """An action line: its fields as in the plan file, with the updates known on ``as_of``,
    then its state on that date (from ``states``, every line's on ``as_of``, if given)."""
    ref = plan.lines[line_id]
    line = ref.line
    day = as_of.isoformat()
    state = (states or progress.states(plan, as_of))[line_id]
    return {
        "id": line_id,
        "kind": "action_line",
        "title": line["title"],
        "action": ref.action["id"],
        "outcome": ref.outcome["id"] if ref.outcome is not None else None,
        "goal": ref.goal["id"],
        "timeframe": line["timeframe"],
        "due_year": line["due_year"],
        "lead": line["lead"],
        "level": line["level"],
        "types_of_measures": line["types_of_measures"],
        "pathway": line["pathway"],
        "themes": line["themes"],
        "proponents": line["proponents"],
        "required_time": line["required_time"],
        "dependencies": line["dependencies"],
        "status": state.status,
        "printed_as": line["printed_as"],
        "notes": line["notes"],
        "planned_start": line["planned_start"],
        "updates": [u for u in line["updates"] if u["date"] <= day],  # known by then
        "budget": line["budget"],
        "personnel": line["personnel"],
        "outputs": line["outputs"],
        "risks": line["risks"],
        "percent": state.percent,
        "completed_on": state.completed_on,
        "flags": state.flags,
        "countries": state.countries or None,
    }


def show_country(
    plan: Plan, code: str, as_of: date, states: dict[str, progress.LineState] | None = None
) -> ShowCountry:
    """A member state: the goals it champions, the lines it leads, and each national-level
    line as it sees it (``states``: every line's on ``as_of``, if already computed)."""
    country = plan.countries[code]
    states = states or progress.states(plan, as_of)
    rows = (
        own_row(states[r.line["id"]], code, states, as_of)
        for r in sorted(plan.iter_lines(), key=lambda r: id_key(r.line["id"]))
        if r.line["level"] == "national" and code in states[r.line["id"]].members
    )
    shown: ShowCountry = {
        "id": code,
        "kind": "country",
        "title": country["name"],
        "name": country["name"],
        "champion_of": champion_of(plan, code),
        "leads": [r.line["id"] for r in plan.iter_lines() if code in r.line["lead"]],
        "implements": [
            {
                "id": row["id"],
                "status": row["status"],
                "percent": row["percent"],
                "due_year": row["due_year"],
                "flags": row["flags"],
                "last_note": row["last_update"]["note"] if row["last_update"] else None,
            }
            for row in rows
        ],
    }
    if country["printed_as"]:
        shown["printed_as"] = country["printed_as"]
    return shown


def status(
    plan: Plan,
    as_of: date,
    goal: str | None = None,
    country: str | None = None,
    states: dict[str, progress.LineState] | None = None,
) -> StatusJson:
    """The state of the plan, a goal or a country on a date: lines, KPIs, counts
    (``states``: every line's on ``as_of``, if already computed)."""
    plan.require_scope(goal, country)
    states = states or progress.states(plan, as_of)
    refs = [
        r
        for r in plan.iter_lines(goal)
        if country is None or involves(states[r.line["id"]], country)
    ]
    ordered = sorted(refs, key=lambda r: id_key(r.line["id"]))
    lines: list[LineRow | CountryLineRow] = [
        states[r.line["id"]].as_dict()
        if country is None
        else own_row(states[r.line["id"]], country, states, as_of)
        for r in ordered
    ]
    kpis = [k for k in plan.kpis.values() if goal is None or k["goal"] == goal]
    by_status = Counter(row["status"] for row in lines)
    data: StatusJson = {
        "as_of": as_of.isoformat(),
        "scope": {"goal": goal, "country": country},
        "goals": [
            goal_tree(g, refs, prune=country is not None)
            for g in plan.goals
            if (goal is None or g["id"] == goal)
            and (country is None or any(r.goal is g for r in refs))
        ],
        "lines": lines,
        "kpis": [kpi_row(plan, k["id"], country, as_of) for k in kpis],
        "summary": {
            "lines": len(lines),
            "by_status": {s: by_status.get(s, 0) for s in STATUSES},
            "overdue": sum(row["overdue"] for row in lines),
            "flags": {f: sum(f in row["flags"] for row in lines) for f in FLAGS},
        },
    }
    if country is not None:
        data["country"] = {
            "id": country,
            "name": plan.countries[country]["name"],
            "champion_of": champion_of(plan, country),
        }
    return data


def involves(state: progress.LineState, country: str) -> bool:
    """Does ``country`` lead this line, or must it carry it out (a national-level line)?
    Neither, if it was not a member when the line fell due (:func:`progress.members_due`)."""
    line = state.ref.line
    lead_or_national = country in line["lead"] or line["level"] == "national"
    return lead_or_national and country in state.members


def own_row(
    state: progress.LineState, country: str, states: dict[str, progress.LineState], as_of: date
) -> CountryLineRow:
    """A line as ``country`` sees it: on a national-level line its own status, percent,
    flags and latest update; on a regional line it leads, the line's own. ``role`` says why
    the line is the country's; ``line_status`` is the line's as a whole."""
    row = state.as_dict()
    status, percent, flags = progress.for_country(state, country, states, as_of)
    national = country in state.countries  # its own status on a national-level line
    implements = national and country in state.members
    roles = [
        r
        for r, on in (("leads", country in state.ref.line["lead"]), ("implements", implements))
        if on
    ]
    own: CountryLineRow = {
        **row,
        "status": status,
        "percent": percent,
        "flags": flags,
        "overdue": "overdue" in flags,
        "line_status": state.status,
        "line_percent": state.percent,
        "role": roles,
        "country": country,
    }
    if national:
        own["last_update"] = progress.latest(state.ref.line["updates"], as_of, country)
        done = own["last_update"] if status == "completed" else None
        own["completed_on"] = done["date"] if done else None
        own["percent_basis"] = f"{country}'s own"
    return own


def champion_of(plan: Plan, country: str) -> list[str]:
    return [g["id"] for g in plan.goals if country in g["champions"]]


def goal_tree(goal: Goal, refs: list[LineRef], prune: bool = False) -> GoalTree:
    """A goal with its outcomes and actions, and the ids of the selected lines under each;
    with ``prune``, only the outcomes and actions that hold a selected line."""
    chosen = {r.line["id"] for r in refs}

    def actions_of(actions: list[Action]) -> list[ActionTree]:
        trees: list[ActionTree] = [
            {
                "id": a["id"],
                "title": a["title"],
                "lines": [ln["id"] for ln in a["lines"] if ln["id"] in chosen],
            }
            for a in actions
        ]
        return [a for a in trees if a["lines"]] if prune else trees

    outcomes: list[OutcomeTree] = []
    for o in goal["outcomes"]:
        actions = actions_of(o["actions"])
        if actions or not prune:
            outcomes.append({"id": o["id"], "title": o["title"], "actions": actions})
    tree: GoalTree = {
        "id": goal["id"],
        "title": goal["title"],
        "champions": list(goal["champions"]),
        "outcomes": outcomes,
    }
    if goal["actions"]:
        tree["actions"] = actions_of(goal["actions"])
    return tree


def kpi_row(plan: Plan, kpi_id: str, country: str | None, as_of: date) -> KpiRow:
    """A KPI with each country's latest reading known on ``as_of``."""
    kpi = plan.kpis[kpi_id]
    latest = plan.latest_readings(kpi_id, as_of)
    codes = [c for c in plan.countries if c in latest and country in (None, c)]
    return {
        "id": kpi["id"],
        "goal": kpi["goal"],
        "name": kpi["name"],
        "unit": kpi["unit"],
        "direction": kpi["direction"],
        "indicator_code": kpi["indicator_code"],
        "latest": [
            {
                "country": c,
                "year": latest[c].year,
                "value": latest[c].value,
                "source": latest[c].source,
                "vintage": latest[c].vintage,
            }
            for c in codes
        ],
    }


def id_key(entity_id: str) -> tuple[Any, ...]:
    """Sort ids naturally: A-1-2.10 after A-1-2.9, goal G10 after G9 (:func:`natural_key`)."""
    return natural_key(entity_id)
