"""`lines` and `scorecard`: action lines selected, sorted and counted on a date."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sapsmed.base.errors import SapsmedError, UsageError
from sapsmed.base.hints import close_matches
from sapsmed.domain.plan import Plan, goal_actions
from sapsmed.domain.vocabulary import FLAGS, GROUPS, STATUSES
from sapsmed.monitor import progress
from sapsmed.monitor.progress import LineState
from sapsmed.monitor.views import id_key

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.shapes import Rate, ScorecardGroup, ScorecardJson
    from sapsmed.domain.shapes_status import CountryLineRow, LineRow

NONE = "(none)"


@dataclass(frozen=True)
class LineQuery:
    """Filters for `sapsmed lines`; None means "any"."""

    goal: str | None = None
    outcome: str | None = None
    action: str | None = None
    lead: str | None = None
    status: str | None = None
    flag: str | None = None
    due: str | None = None  # a year, or a range "2018-2020"
    theme: str | None = None
    measure: str | None = None
    pathway: str | None = None
    level: str | None = None
    phase: str | None = None
    country: str | None = None
    sort: str = "id"


def year_range(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    try:
        low, high = int(first), int(last or first)
    except ValueError:
        raise UsageError(f"--due takes a year or a range like 2018-2020, not {text!r}") from None
    if high < low:
        raise UsageError(f"--due {text!r} runs backwards: write {high}-{low}")
    return low, high


def choices(plan: Plan) -> dict[str, dict[str, str]]:
    """For each filter that names something of the plan: accepted word -> id (ids and names,
    any case)."""

    def named(items: Iterable[Mapping[str, Any]], name: str) -> dict[str, str]:
        out = {str(i["id"]).lower(): str(i["id"]) for i in items}
        out |= {str(i[name]).lower(): str(i["id"]) for i in items if i.get(name)}
        return out

    meta = plan.meta
    outcomes = [o for g in plan.goals for o in g["outcomes"]]
    actions = [a for g in plan.goals for _, a in goal_actions(g)]
    return {
        "goal": named(plan.goals, "title"),
        "outcome": named(outcomes, "title"),
        "action": named(actions, "title"),
        "lead": named(list(plan.countries.values()), "name"),
        "country": named(list(plan.countries.values()), "name"),
        "theme": named(meta["themes"], "title"),
        "measure": named(meta["types_of_measures"], "name"),
        "pathway": named(meta["pathways"], "name"),
        "phase": named(meta["phases"], "name"),
    }


def resolve(plan: Plan, query: LineQuery) -> LineQuery:
    """The query with every named filter turned into an id; an unknown value is a usage
    error that lists the valid ones."""
    from dataclasses import replace

    known = choices(plan)
    changes = {}
    for name, accepted in known.items():
        value = getattr(query, name)
        if value is None:
            continue
        if value.lower() not in accepted:
            ids = sorted(set(accepted.values()), key=id_key)
            if not ids:
                levels = ", ".join(plan.meta["levels"])
                raise UsageError(f"--{name}: this plan has no {name}s (levels: {levels})")
            hint = close_matches(value.lower(), accepted, 1)
            mean = f"; did you mean {accepted[hint[0]]!r}?" if hint else ""
            raise UsageError(f"--{name} {value!r} is not one of the plan's: {', '.join(ids)}{mean}")
        changes[name] = accepted[value.lower()]
    return replace(query, **changes)


def select(plan: Plan, query: LineQuery, as_of: date) -> list[LineRow | CountryLineRow]:
    """The action lines that pass every filter, as `status` rows, sorted.

    With ``country``: the lines it leads or must carry out (national-level), each as that
    member state sees it (its own status on a national-level line)."""
    from sapsmed.monitor.views import involves, own_row

    query = resolve(plan, query)
    states = progress.states(plan, as_of)
    phases = {p["id"]: (p["start_year"], p["end_year"]) for p in plan.meta["phases"]}
    due = year_range(query.due) if query.due else None
    rows: list[LineRow | CountryLineRow] = []
    for state in states.values():
        line = state.ref.line
        row: LineRow | CountryLineRow = state.as_dict()
        if query.country is not None:
            if not involves(state, query.country):
                continue
            row = own_row(state, query.country, states, as_of)
        tests = [
            query.goal is None or state.ref.goal["id"] == query.goal,
            query.outcome is None
            or (state.ref.outcome is not None and state.ref.outcome["id"] == query.outcome),
            query.action is None or state.ref.action["id"] == query.action,
            query.lead is None or query.lead in line["lead"],
            query.status is None or row["status"] == query.status,
            query.flag is None or query.flag in row["flags"],
            due is None or due[0] <= line["due_year"] <= due[1],
            query.theme is None or query.theme in line["themes"],
            query.measure is None or query.measure in line["types_of_measures"],
            query.pathway is None or line["pathway"] == query.pathway,
            query.level is None or line["level"] == query.level,
            query.phase is None
            or (phases[query.phase][0] <= line["due_year"] <= phases[query.phase][1]),
        ]
        if all(tests):
            rows.append(row)
    keys = {
        "id": lambda r: id_key(r["id"]),
        "due": lambda r: (r["due_year"], id_key(r["id"])),
        "status": lambda r: (STATUSES.index(r["status"]), id_key(r["id"])),
    }
    return sorted(rows, key=keys[query.sort])


def rate(numerator: int, denominator: int) -> Rate:
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": round(numerator / denominator, 4) if denominator else None,
    }


def rates(due: Sequence[str]) -> tuple[Rate, Rate]:
    """The implementation rate (completed / due, as the AEC Scorecard computes it) and the
    lenient rate ((completed + ongoing) / due) of the statuses of the lines due."""
    completed, ongoing = due.count("completed"), due.count("ongoing")
    return rate(completed, len(due)), rate(completed + ongoing, len(due))


def scorecard(
    plan: Plan,
    by: str,
    as_of: date,
    goal: str | None = None,
    country: str | None = None,
    states: dict[str, LineState] | None = None,
) -> ScorecardJson:
    """Per group: lines due by ``as_of``, completed, the implementation rate (completed / due,
    as the AEC Scorecard computes it) and the lenient rate ((completed + ongoing) / due).

    Cancelled lines are not due. By country, a national-level line counts once for every
    member state, with that state's own status; a regional line counts for its leads. A state
    counts only for the years it was a member: for a line due in a year, if it was a member
    at that year's end (on ``as_of``, if that comes first; :func:`progress.members_due`)."""
    if by not in GROUPS:
        raise SapsmedError(f"--by takes one of {', '.join(GROUPS)}")
    states = states or progress.states(plan, as_of)  # every line's on as_of, if given
    entries: list[tuple[str, str, list[str], LineState]] = []  # (group, status, flags, line)
    for state in states.values():
        if goal is not None and state.ref.goal["id"] != goal:
            continue
        if country is not None:  # the lines it leads or carries out, as it sees them
            if not any(g == country for g, _ in groups_of(plan, state, "country")):
                continue
            own, _, flags = progress.for_country(state, country, states, as_of)
            for group, _ in groups_of(plan, state, by):
                if by != "country" or group == country:
                    entries.append((group, own, flags, state))
            continue
        for group, status in groups_of(plan, state, by):
            flags = (
                progress.for_country(state, group, states, as_of)[2]
                if by == "country"
                else state.flags
            )
            entries.append((group, status, flags, state))
    order = group_order(plan, by)
    names = sorted({g for g, _, _, _ in entries}, key=lambda g: (order.get(g, len(order)), g))
    groups = [summarise(name, [e for e in entries if e[0] == name], as_of) for name in names]
    total = summarise("all" if by in ("goal", "phase") else f"all {by}-line pairs", entries, as_of)
    return {
        "as_of": as_of.isoformat(),
        "by": by,
        "groups": groups,
        "total": total,
        "rule": RULE,
        "attribution": attribution(plan, by),
    }


def attribution(plan: Plan, by: str) -> str:
    """How lines are counted in groups; a plan whose member states have membership dates
    is told that a state counts only for the lines due while it was a member."""
    text = ATTRIBUTION[by]
    if by == "country" and plan.dated_membership:
        text = text.replace(
            "counts for every member state,",
            "counts for every state that was a member when the line fell due,",
        )
    return text


RULE = (
    "implementation rate = completed / due; lenient rate = (completed + ongoing) / due; "
    "due = due year ended on or before the as-of date, cancelled lines excluded"
)
ATTRIBUTION = {
    "goal": "each line counts once, in its goal",
    "country": "a national-level line counts for every member state, with that state's own "
    "status; a regional line counts for each of its lead countries; so the last "
    "row counts (country, line) pairs, not lines",
    "phase": "each line counts in the phase its due year falls in",
    "theme": "a line counts under each of its themes ((none) if it has none); so the last row "
    "counts (theme, line) pairs, not lines",
    "measure": "a line counts under each of its types of measures ((none) if it has none); so "
    "the last row counts (measure, line) pairs, not lines",
}


def groups_of(plan: Plan, state: LineState, by: str) -> list[tuple[str, str]]:
    line, ref = state.ref.line, state.ref
    if by == "goal":
        return [(ref.goal["id"], state.status)]
    if by == "country":  # only the states that were members (progress.members_due)
        if state.countries:
            return [(code, state.countries[code]) for code in state.members]
        return [(code, state.status) for code in line["lead"] if code in state.members]
    if by == "phase":
        return [
            (p["id"], state.status)
            for p in plan.meta["phases"]
            if p["start_year"] <= line["due_year"] <= p["end_year"]
        ] or [(NONE, state.status)]
    values = line["themes"] if by == "theme" else line["types_of_measures"]
    return [(value, state.status) for value in values] or [(NONE, state.status)]


def group_order(plan: Plan, by: str) -> dict[str, int]:
    ids = {
        "goal": [g["id"] for g in plan.goals],
        "country": list(plan.countries),
        "phase": [p["id"] for p in plan.meta["phases"]],
        "theme": [t["id"] for t in plan.meta["themes"]],
        "measure": [m["id"] for m in plan.meta["types_of_measures"]],
    }[by]
    return {value: i for i, value in enumerate(ids)}


def summarise(
    name: str, entries: list[tuple[str, str, list[str], LineState]], as_of: date
) -> ScorecardGroup:
    due = [
        status for _, status, _, state in entries if progress.is_due(state.ref.line, status, as_of)
    ]
    implementation, lenient = rates(due)
    statuses = Counter(status for _, status, _, _ in entries)
    flags = Counter(f for _, _, fl, _ in entries for f in fl)
    return {
        "group": name,
        "lines": len(entries),
        "due": len(due),
        "completed": implementation["numerator"],
        "implementation_rate": implementation,
        "lenient_rate": lenient,
        "by_status": {s: statuses.get(s, 0) for s in STATUSES},
        "flags": {f: flags.get(f, 0) for f in FLAGS},
    }
