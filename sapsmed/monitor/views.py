"""What `show` and `status` report, as plain data (dicts and lists) ready for any renderer."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sapsmed.domain.entities import Goal
from sapsmed.domain.plan import LineRef, Plan
from sapsmed.domain.vocabulary import FLAGS, STATUSES
from sapsmed.monitor import progress


def show(plan: Plan, entity_id: str, as_of: date | None = None) -> dict[str, Any]:
    """Any entity by id, as a dict with at least ``id``, ``kind`` and ``title``.

    An action line's ``status`` is the one in force on ``as_of`` (default today), with its
    percent complete, flags and, for a national-level line, each member state's status."""
    plan.require(entity_id)
    kind, entity = plan.entities[entity_id]
    data: dict[str, Any] = {"id": entity_id, "kind": kind}
    dump: dict[str, Any] = dict(entity)
    if kind == "goal":
        data |= {
            "title": dump["title"],
            "champions": dump["champions"],
            "description": dump["description"],
            "outcomes": [o["id"] for o in dump["outcomes"]],
            "kpis": [k["id"] for k in plan.kpis.values() if k["goal"] == entity_id],
        }
    elif kind == "outcome":
        data |= {
            "title": dump["title"],
            "goal": entity_id[0],
            "actions": [a["id"] for a in dump["actions"]],
        }
    elif kind == "action":
        data |= {
            "title": dump["title"],
            "outcome": entity_id.rsplit("-", 1)[0],
            "goal": entity_id[0],
            "lines": [ln["id"] for ln in dump["lines"]],
        }
    elif kind == "action_line":
        ref = plan.lines[entity_id]
        data |= {
            "title": dump.pop("title"),
            "action": ref.action["id"],
            "outcome": ref.outcome["id"],
            "goal": ref.goal["id"],
        }
        dump.pop("id")
        day = (as_of or date.today()).isoformat()
        dump["updates"] = [u for u in dump["updates"] if u["date"] <= day]  # known by then
        data |= dump
        state = progress.states(plan, as_of or date.today())[entity_id]
        data |= {
            "status": state.status,
            "percent": state.percent,
            "completed_on": state.completed_on,
            "flags": state.flags,
            "countries": state.countries or None,
        }
    elif kind == "kpi":
        dump.pop("id")
        data |= {"title": dump["name"], **dump}
        data["readings"] = len(plan.readings_of(entity_id, as_of or date.today()))
    elif kind == "country":
        states = progress.states(plan, as_of or date.today())
        data |= {
            "title": dump["name"],
            "name": dump["name"],
            "champion_of": champion_of(plan, entity_id),
            "leads": [r.line["id"] for r in plan.iter_lines() if entity_id in r.line["lead"]],
            "implements": [
                {k: row[k] for k in ("id", "status", "percent", "due_year", "flags")}
                | {"last_note": (row["last_update"] or {}).get("note")}
                for row in (
                    own_row(states[r.line["id"]], entity_id, states, as_of or date.today())
                    for r in sorted(plan.iter_lines(), key=lambda r: id_key(r.line["id"]))
                    if r.line["level"] == "national"
                )
            ],
        }
    else:  # theme
        data |= {
            "title": dump["title"],
            "lines": [r.line["id"] for r in plan.iter_lines() if entity_id in r.line["themes"]],
        }
    if dump.get("printed_as") and "printed_as" not in data:
        data["printed_as"] = dump["printed_as"]
    return data


def status(
    plan: Plan, as_of: date, goal: str | None = None, country: str | None = None
) -> dict[str, Any]:
    """The state of the plan, a goal or a country on a date: lines, KPIs, counts."""
    plan.require_scope(goal, country)
    refs = [r for r in plan.iter_lines(goal) if country is None or involves(r, country)]
    states = progress.states(plan, as_of)
    ordered = sorted(refs, key=lambda r: id_key(r.line["id"]))
    lines = [
        states[r.line["id"]].as_dict()
        if country is None
        else own_row(states[r.line["id"]], country, states, as_of)
        for r in ordered
    ]
    kpis = [k for k in plan.kpis.values() if goal is None or k["goal"] == goal]
    by_status = Counter(row["status"] for row in lines)
    data: dict[str, Any] = {
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


def involves(ref: LineRef, country: str) -> bool:
    """Does ``country`` lead this line, or must it carry it out (a national-level line)?"""
    return country in ref.line["lead"] or ref.line["level"] == "national"


def own_row(
    state: progress.LineState, country: str, states: dict[str, progress.LineState], as_of: date
) -> dict[str, Any]:
    """A line as ``country`` sees it: on a national-level line its own status, percent,
    flags and latest update; on a regional line it leads, the line's own. ``role`` says why
    the line is the country's; ``line_status`` is the line's as a whole."""
    row = state.as_dict()
    status, percent, flags = progress.for_country(state, country, states, as_of)
    national = state.ref.line["level"] == "national"
    roles = [
        r
        for r, on in (("leads", country in state.ref.line["lead"]), ("implements", national))
        if on
    ]
    row |= {
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
        row["last_update"] = progress.latest(state.ref.line["updates"], as_of, country)
        done = row["last_update"] if status == "completed" else None
        row["completed_on"] = done["date"] if done else None
        row["percent_basis"] = f"{country}'s own"
    return row


def champion_of(plan: Plan, country: str) -> list[str]:
    return [g["id"] for g in plan.goals if country in g["champions"]]


def goal_tree(goal: Goal, refs: list[LineRef], prune: bool = False) -> dict[str, Any]:
    """A goal with its outcomes and actions, and the ids of the selected lines under each;
    with ``prune``, only the outcomes and actions that hold a selected line."""
    chosen = {r.line["id"] for r in refs}
    outcomes = []
    for o in goal["outcomes"]:
        actions = [
            {
                "id": a["id"],
                "title": a["title"],
                "lines": [ln["id"] for ln in a["lines"] if ln["id"] in chosen],
            }
            for a in o["actions"]
        ]
        if prune:
            actions = [a for a in actions if a["lines"]]
        if actions or not prune:
            outcomes.append({"id": o["id"], "title": o["title"], "actions": actions})
    return {
        "id": goal["id"],
        "title": goal["title"],
        "champions": list(goal["champions"]),
        "outcomes": outcomes,
    }


def kpi_row(plan: Plan, kpi_id: str, country: str | None, as_of: date) -> dict[str, Any]:
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
    """Sort ids naturally: A-1-2.10 after A-1-2.9."""
    parts = entity_id.replace(".", "-").split("-")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)
