"""What changed in the plan between two revisions, in plan terms rather than YAML lines.

This module computes the difference as data; :mod:`sapsmed.render.diff` writes it as text,
markdown or JSON."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from sapsmed.domain.plan import TREE, Plan
from sapsmed.domain.vocabulary import METHODS
from sapsmed.io.revisions import RevisionPlan
from sapsmed.monitor import progress
from sapsmed.monitor.views import id_key

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.entities import Line
    from sapsmed.domain.shapes import (
        Changed,
        DiffJson,
        FieldChange,
        Incomplete,
        KpiStatusChange,
        Named,
        ProblemFixed,
        ReadingJson,
        ReadingRemoved,
        ReadingRevised,
        StatusChange,
        UpdateChanges,
    )

CHILDREN = {field for _, field in TREE} | {"updates"}
Key = tuple[str, str, int]


def entities(plan: Plan | None) -> dict[str, dict[str, Any]]:
    """Every entity by id: its kind, its own fields (child lists and unset fields left out)
    and its progress log, from the validated (or, for a broken revision, salvaged) plan."""
    if plan is None:
        return {}
    return {
        i: {
            "kind": kind,
            "fields": own(data),
            "updates": [own(u) for u in cast("Line", data)["updates"]]
            if kind == "action_line"
            else [],
        }
        for i, (kind, data) in plan.entities.items()
    }


def own(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in CHILDREN and v not in (None, [], {})}


def settings(plan: Plan | None) -> dict[str, Any]:
    """The plan's own settings: plan.yaml's fields but its themes (entities of their own)
    and the units kpis.yaml declares."""
    if plan is None:
        return {}
    found = {k: v for k, v in plan.meta.items() if k != "themes" and v not in (None, [], {})}
    if plan.units:
        found["units"] = list(plan.units.values())
    return found


def readings(plan: Plan | None) -> dict[Key, tuple[float, str, str | None]]:
    if plan is None:
        return {}
    return {(r.kpi, r.country, r.year): (r.value, r.source, r.vintage) for r in plan.readings}


def title_of(entity: dict[str, Any]) -> str:
    fields = entity["fields"]
    return str(fields.get("title") or fields.get("name") or "")


def statuses(revision: RevisionPlan, as_of: date) -> dict[str, tuple[str, float | None]]:
    """Each action line's status and percent on ``as_of`` (a broken revision's plan keeps
    only the lines whose state can be computed: see validation.partial_plan)."""
    if revision.plan is None:
        return {}
    return {i: (s.status, s.percent) for i, s in progress.states(revision.plan, as_of).items()}


def kpi_verdicts(revision: RevisionPlan, as_of: date) -> dict[str, tuple[str, str]]:
    plan = revision.plan
    if plan is None or "base_year" not in plan.meta:  # no plan.yaml could be read
        return {}
    from sapsmed.monitor.kpiviews import assessments

    out: dict[str, tuple[str, str]] = {}
    for k in plan.kpis:
        try:
            statcan, unsd = assessments(plan, plan.kpis[k], None, as_of)
        except (ArithmeticError, TypeError, ValueError):
            if not revision.errors:
                raise
            continue  # a broken revision's readings (negative, zero) may defeat the methods
        out[k] = (statcan["status"], unsd["status"])
    return out


def compare(old: RevisionPlan, new: RevisionPlan, as_of: date) -> DiffJson:
    """The semantic difference between two revisions of a plan."""
    a, b = entities(old.plan), entities(new.plan)
    added: list[Named] = [
        {"id": i, "kind": b[i]["kind"], "title": title_of(b[i])}
        for i in sorted(b.keys() - a.keys(), key=id_key)
    ]
    removed: list[Named] = [
        {"id": i, "kind": a[i]["kind"], "title": title_of(a[i])}
        for i in sorted(a.keys() - b.keys(), key=id_key)
    ]
    changed: list[Changed] = []
    updates: list[UpdateChanges] = []
    for i in sorted(a.keys() & b.keys(), key=id_key):
        fa, fb = a[i]["fields"], b[i]["fields"]
        fields: list[FieldChange] = [
            {"field": k, "old": fa.get(k), "new": fb.get(k)}
            for k in sorted(fa.keys() | fb.keys())
            if fa.get(k) != fb.get(k)
        ]
        if fields:
            changed.append({"id": i, "kind": b[i]["kind"], "fields": fields})
        new_entries = [u for u in b[i]["updates"] if u not in a[i]["updates"]]
        gone = [u for u in a[i]["updates"] if u not in b[i]["updates"]]
        if new_entries or gone:
            updates.append({"id": i, "added": new_entries, "removed": gone})
    ma, mb = settings(old.plan), settings(new.plan)
    setting_changes: list[FieldChange] = [
        {"field": k, "old": ma.get(k), "new": mb.get(k)}
        for k in sorted(ma.keys() | mb.keys())
        if ma.get(k) != mb.get(k) and ma and mb  # a revision without plan.yaml: no settings
    ]
    sa, sb = statuses(old, as_of), statuses(new, as_of)
    status_changes: list[StatusChange] = [
        {
            "id": i,
            "old": sa[i][0],
            "new": sb[i][0],
            "old_percent": sa[i][1],
            "new_percent": sb[i][1],
        }
        for i in sorted(sa.keys() & sb.keys(), key=id_key)
        if sa[i] != sb[i]
    ]
    ra, rb = readings(old.plan), readings(new.plan)
    revised: list[ReadingRevised] = [
        {
            "kpi": k[0],
            "country": k[1],
            "year": k[2],
            "old": ra[k][0],
            "new": rb[k][0],
            "old_vintage": ra[k][2],
            "new_vintage": rb[k][2],
            "source": rb[k][1],
        }
        for k in sorted(ra.keys() & rb.keys())
        if ra[k][0] != rb[k][0]
    ]
    readings_added: list[ReadingJson] = [
        {
            "kpi": k[0],
            "country": k[1],
            "year": k[2],
            "value": rb[k][0],
            "source": rb[k][1],
            "vintage": rb[k][2],
        }
        for k in sorted(rb.keys() - ra.keys())
    ]
    readings_removed: list[ReadingRemoved] = [
        {"kpi": k[0], "country": k[1], "year": k[2], "value": ra[k][0]}
        for k in sorted(ra.keys() - rb.keys())
    ]
    va, vb = kpi_verdicts(old, as_of), kpi_verdicts(new, as_of)
    kpis: list[KpiStatusChange] = [
        {"id": k, "method": m, "old": va[k][n], "new": vb[k][n]}
        for k in sorted(va.keys() & vb.keys())
        for n, m in enumerate(METHODS)
        if va[k][n] != vb[k][n]
    ]

    def keyed(problems: list[Any]) -> dict[tuple[str, str, str, str], Any]:
        return {(p.file, p.code, p.path, p.message): p for p in problems}

    pa, pb = keyed(old.problems), keyed(new.problems)
    problem = [p.as_dict() for p in sorted(pb[k] for k in pb.keys() - pa.keys())]
    fixed: list[ProblemFixed] = [
        {"file": p.file, "code": p.code, "message": p.message, "path": p.path}
        for p in sorted(pa[k] for k in pa.keys() - pb.keys())
    ]
    incomplete: list[Incomplete] = [
        {"revision": s.revision, "errors": s.errors} for s in (old, new) if s.errors
    ]
    return {
        "from": old.revision,
        "to": new.revision,
        "as_of": as_of.isoformat(),
        "incomplete": incomplete,
        "added": added,
        "removed": removed,
        "changed": changed,
        "settings": setting_changes,
        "updates": updates,
        "status_changes": status_changes,
        "readings_added": readings_added,
        "readings_revised": revised,
        "readings_removed": readings_removed,
        "kpi_status_changes": kpis,
        "problems_introduced": problem,
        "problems_fixed": fixed,
    }
