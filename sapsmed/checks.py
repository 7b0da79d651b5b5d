"""Rules that span entities and files: ids and their parents, references, countries, readings."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from .loader import Collector, Parsed, PathKey
from .models import UNIT_RANGES, Goal, PlanFile
from .yamlio import Document

REFERENCE_NAMES = {"themes": "theme", "types_of_measures": "type of measure",
                   "dependencies": "action line", "pathway": "pathway"}
YEAR_RE = re.compile(r"\b(19|20)[0-9]{2}\b")


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    hint = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {hint[0]!r}?" if hint else ""


def check_plan(files: dict[str, list[Parsed]], out: Collector) -> None:
    """Run every cross-reference rule over the files that passed their schema."""
    meta = files["plan"][0].model if files["plan"] else None
    members = {c.id for p in files["countries"] for c in p.model.member_states}
    ids: dict[str, tuple[Document, PathKey]] = {}

    def register(entity_id: str, doc: Document, path: PathKey) -> None:
        if entity_id in ids:
            first_doc, first_path = ids[entity_id]
            where = first_doc.locate([first_path])[first_path]
            out.add(doc, path, "R-DUPLICATE-ID",
                    f"id {entity_id!r} is already used at {first_doc.path.name}:{where[0]}")
        else:
            ids[entity_id] = (doc, path)

    def country(code: str, doc: Document, path: PathKey) -> None:
        if members and code not in members:
            out.add(doc, path, "R-COUNTRY",
                    f"{code!r} is not a member state{did_you_mean(code, members)}")

    for parsed in files["countries"]:
        for i, c in enumerate(parsed.model.member_states):
            register(c.id, parsed.doc, ("member_states", i, "id"))
    if meta is not None:
        for i, theme in enumerate(meta.themes):
            register(theme.id, files["plan"][0].doc, ("themes", i, "id"))
    goals = [(p.doc, p.model) for p in files["goal"]]
    # Goals whose file failed still exist: references to them are not reported again.
    broken = {p.stem for p in out.failed if p.parent.name == "goals"}
    line_ids = {ln.id for _, g in goals for o in g.outcomes for a in o.actions for ln in a.lines}
    for doc, goal in goals:
        check_goal(doc, goal, meta, register, country, line_ids, broken, out)
    kpi_units: dict[str, tuple[str, frozenset[str]]] = {}
    goal_ids = {g.id for _, g in goals} | broken
    for parsed in files["kpis"]:
        for i, kpi in enumerate(parsed.model.kpis):
            register(kpi.id, parsed.doc, ("kpis", i, "id"))
            kpi_units[kpi.id] = (kpi.unit, frozenset(kpi.available_for))
            if kpi.goal not in goal_ids:
                out.add(parsed.doc, ("kpis", i, "goal"), "R-REFERENCE",
                        f"goal {kpi.goal!r} does not exist{did_you_mean(kpi.goal, goal_ids)}")
            elif kpi.id[4] != kpi.goal:
                out.add(parsed.doc, ("kpis", i, "id"), "R-ID-PARENT",
                        f"KPI {kpi.id!r} belongs to goal {kpi.goal!r}: its id must start "
                        f"with KPI-{kpi.goal}")
            for j, code in enumerate(kpi.available_for):
                country(code, parsed.doc, ("kpis", i, "available_for", j))
    if files["kpis"]:  # without kpis.yaml every reading would dangle: F-MISSING says it once
        check_readings(files["readings"], kpi_units, country, out)


def check_goal(doc, goal: Goal, meta: PlanFile | None, register, country, line_ids,  # type: ignore[no-untyped-def]
               broken: set[str], out: Collector) -> None:
    stem = doc.path.stem
    if stem != goal.id:
        out.add(doc, ("id",), "R-ID-PARENT",
                f"goal {goal.id!r} is in {doc.path.name}; its file should be {goal.id}.yaml")
    register(goal.id, doc, ("id",))
    for i, code in enumerate(goal.champions):
        country(code, doc, ("champions", i))
    themes = {t.id for t in meta.themes} if meta else set()
    measures = {m.id for m in meta.types_of_measures} if meta else set()
    pathways = {p.id for p in meta.pathways} if meta else set()
    for oi, outcome in enumerate(goal.outcomes):
        opath: PathKey = ("outcomes", oi)
        register(outcome.id, doc, (*opath, "id"))
        parent_mismatch(doc, (*opath, "id"), outcome.id, goal.id, "goal", out)
        for ai, action in enumerate(outcome.actions):
            apath: PathKey = (*opath, "actions", ai)
            register(action.id, doc, (*apath, "id"))
            parent_mismatch(doc, (*apath, "id"), action.id, outcome.id, "outcome", out)
            for li, line in enumerate(action.lines):
                lpath: PathKey = (*apath, "lines", li)
                register(line.id, doc, (*lpath, "id"))
                parent_mismatch(doc, (*lpath, "id"), line.id, action.id, "action", out, sep=".")
                for k, code in enumerate(line.lead):
                    country(code, doc, (*lpath, "lead", k))
                    if code not in goal.champions:
                        out.add(doc, (*lpath, "lead", k), "R-LEAD-CHAMPION",
                                f"lead {code} is not a champion of goal {goal.id} "
                                f"({', '.join(goal.champions)})")
                if meta and not meta.start_year <= line.due_year <= meta.end_year:
                    out.add(doc, (*lpath, "due_year"), "R-YEAR",
                            f"due year {line.due_year} is outside the plan period "
                            f"{meta.start_year}-{meta.end_year}")
                printed = {int(m.group()) for m in YEAR_RE.finditer(line.timeframe)}
                if printed and line.due_year not in printed:
                    out.add(doc, (*lpath, "timeframe"), "R-TIMEFRAME",
                            f"timeframe {line.timeframe!r} does not name the due year "
                            f"{line.due_year}")
                refs = [("themes", line.themes, themes), ("types_of_measures",
                        line.types_of_measures, measures), ("dependencies", line.dependencies,
                        line_ids)]
                if line.pathway is not None:
                    refs.append(("pathway", [line.pathway], pathways))
                for name, values, known in refs:
                    for k, value in enumerate(values):
                        if known and value not in known and value[:1] not in broken:
                            where = (*lpath, name) if name == "pathway" else (*lpath, name, k)
                            out.add(doc, where, "R-REFERENCE",
                                    f"{REFERENCE_NAMES[name]} {value!r} does not exist"
                                    f"{did_you_mean(value, known)}")


def parent_mismatch(doc: Document, path: PathKey, child: str, parent: str, kind: str,
                    out: Collector, sep: str = "-") -> None:
    if not child.startswith(parent + sep):
        out.add(doc, path, "R-ID-PARENT",
                f"{child!r} is filed under {kind} {parent!r}: its id must start with "
                f"{parent}{sep}")


def check_readings(files: list[Parsed], kpis: dict[str, tuple[str, frozenset[str]]],
                   country, out: Collector) -> None:  # type: ignore[no-untyped-def]
    """Readings name known KPIs, are unique per KPI, country and year, and fit their unit."""
    seen: dict[tuple[str, str, int], tuple[Document, int, int]] = {}
    for parsed in files:
        doc, kpi_id = parsed.doc, parsed.model.kpi
        if kpi_id not in kpis:
            out.add(doc, ("kpi",), "R-REFERENCE",
                    f"KPI {kpi_id!r} does not exist{did_you_mean(kpi_id, kpis)}")
            continue
        unit, available = kpis[kpi_id]
        low, high = UNIT_RANGES[unit]
        low = float("-inf") if low is None else low
        high = float("inf") if high is None else high
        for ri, release in enumerate(parsed.model.releases):
            for i, (code, year, value) in enumerate(release.readings):
                key = (kpi_id, code, year)
                first = seen.setdefault(key, (doc, ri, i))
                if first[1:] != (ri, i) or first[0] is not doc:
                    first_path = ("releases", first[1], "readings", first[2])
                    line = first[0].locate([first_path])[first_path][0]
                    out.add(doc, ("releases", ri, "readings", i), "R-READING-DUPLICATE",
                            f"a second {kpi_id} reading for {code} {year} "
                            f"(first at {first[0].path.name}:{line})")
                if not low <= value <= high:
                    bounds = f"{low:g}-{high:g}" if high != float("inf") else f">= {low:g}"
                    out.add(doc, ("releases", ri, "readings", i, 2), "R-READING-RANGE",
                            f"{value:g} is outside the range of {unit} ({bounds})")
                if code not in available:
                    country(code, doc, ("releases", ri, "readings", i, 0))
                    out.add(doc, ("releases", ri, "readings", i, 0), "R-READING-AVAILABILITY",
                            f"{kpi_id} is not declared available for {code}")
