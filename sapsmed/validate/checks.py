"""Rules that span entities and files: ids and their parents, references, countries,
progress logs, dependencies (the KPI and readings rules are in :mod:`kpi_rules`)."""

from __future__ import annotations

from datetime import date

from sapsmed.base.hints import did_you_mean
from sapsmed.base.problems import YEAR_MAX, YEAR_MIN, quote
from sapsmed.domain.models import Action, ActionLine, Goal, Phase
from sapsmed.validate.kpi_rules import KpiRules
from sapsmed.validate.loader import Collector, Parsed, PathKey, Salvaged
from sapsmed.validate.rules import REFERENCE_NAMES, YEAR_RE
from sapsmed.yamlio.parse import Document

# The list that holds the entities a reference names.
LISTS = {
    "themes": "themes",
    "types_of_measures": "types_of_measures",
    "pathway": "pathways",
    "dependencies": "lines",
}


def check_plan(files: dict[str, list[Parsed]], out: Collector, as_of: date) -> None:
    """Run every cross-reference rule over the files that passed their schema and what
    salvage kept of the others."""
    Checker(files, out, as_of).run()


class Checker(KpiRules):
    """One pass over a plan's parsed files; findings go to the collector."""

    def run(self) -> None:
        for parsed in self.files["plan"]:
            self.plan_years(parsed)
        for parsed in self.files["countries"]:
            for i, c in enumerate(parsed.model.member_states):
                self.register(c.id, parsed.doc, ("member_states", i, "id"))
                if c.joined is not None and c.left is not None and c.left <= c.joined:
                    self.out.add(
                        parsed.doc,
                        ("member_states", i, "left"),
                        "R-MEMBERSHIP",
                        f"{c.id} left on {c.left}, not after it joined ({c.joined})",
                    )
        if self.meta is not None:
            for i, theme in enumerate(self.meta.themes):
                self.register(theme.id, self.files["plan"][0].doc, ("themes", i, "id"))
        for parsed in self.files["goal"]:
            self.goal(parsed.doc, parsed.model)
        self.dependencies()
        for parsed in self.files["kpis"]:
            self.kpis(parsed)
        if self.files["kpis"]:  # without kpis.yaml every reading would dangle: F-MISSING
            self.readings()
        self.place_pointers()

    def plan_years(self, parsed: Parsed) -> None:
        meta, doc = parsed.model, parsed.doc
        self.period(doc, (), meta.start_year, meta.end_year, "the plan")
        self.year(doc, ("base_year",), meta.base_year, "base year")
        for i, phase in enumerate(meta.phases):
            self.period(
                doc, ("phases", i), phase.start_year, phase.end_year, f"phase {quote(phase.id)}"
            )
        self.phases(parsed)
        review = meta.mid_term_review.due_year
        where: PathKey = ("mid_term_review", "due_year")
        if self.year(doc, where, review, "mid-term review due year") and not (
            meta.start_year <= review <= meta.end_year
        ):
            self.out.add(
                doc,
                where,
                "R-YEAR",
                f"mid-term review due year {review} is outside the plan period "
                f"{meta.start_year}-{meta.end_year}",
            )
        named, ids = meta.mid_term_review.phase, [p.id for p in meta.phases]
        if named is not None and named not in ids and not self.unreadable(named):
            self.out.add(
                doc,
                ("mid_term_review", "phase"),
                "R-REFERENCE",
                f"phase {named!r} does not exist{did_you_mean(named, ids)}",
            )

    def phases(self, parsed: Parsed) -> None:
        """Phase ids unique; each phase inside the plan period, after the one before it,
        without overlap (a gap between two is a warning). Years already reported (outside
        the sane range, a period ending before it starts) are not judged again."""
        meta, doc = parsed.model, parsed.doc
        seen: dict[str, tuple[Document, PathKey]] = {}
        before: Phase | None = None
        plan_ok = YEAR_MIN <= meta.start_year <= meta.end_year <= YEAR_MAX
        for i, phase in enumerate(meta.phases):
            self.register(phase.id, doc, ("phases", i, "id"), seen, "phase")
            if not YEAR_MIN <= phase.start_year <= phase.end_year <= YEAR_MAX:
                continue
            name = f"phase {quote(phase.id)} ({phase.start_year}-{phase.end_year})"
            if (
                plan_ok
                and not meta.start_year <= phase.start_year <= phase.end_year <= meta.end_year
            ):
                self.out.add(
                    doc,
                    ("phases", i),
                    "R-PHASE",
                    f"{name} is not inside the plan period {meta.start_year}-{meta.end_year}",
                )
            if before is not None:
                other = f"phase {quote(before.id)} ({before.start_year}-{before.end_year})"
                if phase.start_year < before.start_year:
                    self.out.add(
                        doc,
                        ("phases", i, "start_year"),
                        "R-PHASE",
                        f"{name} is listed after {other}: list phases in order",
                    )
                elif phase.start_year <= before.end_year:
                    self.out.add(
                        doc,
                        ("phases", i, "start_year"),
                        "R-PHASE",
                        f"{name} overlaps {other}",
                    )
                elif phase.start_year > before.end_year + 1:
                    gap = f"{before.end_year + 1}-{phase.start_year - 1}"
                    if phase.start_year == before.end_year + 2:
                        gap = str(before.end_year + 1)
                    self.out.add(
                        doc,
                        ("phases", i, "start_year"),
                        "R-PHASE-GAP",
                        f"no phase covers {gap}, between {other} and {name}",
                    )
            before = phase

    def goal(self, doc: Document, goal: Goal) -> None:
        if doc.path.stem != goal.id:
            self.out.add(
                doc,
                ("id",),
                "R-ID-PARENT",
                f"goal {goal.id!r} is in {doc.path.name}; its file should be {goal.id}.yaml",
            )
        self.register(goal.id, doc, ("id",))
        for i, code in enumerate(goal.champions):
            self.country(code, doc, ("champions", i))
        self.goal_levels(doc, goal)
        branches: list[tuple[PathKey, str, str, list[Action]]] = [
            ((), goal.id, "goal", goal.actions)
        ]
        for oi, outcome in enumerate(goal.outcomes):
            opath: PathKey = ("outcomes", oi)
            self.register(outcome.id, doc, (*opath, "id"))
            self.parent(doc, (*opath, "id"), outcome.id, goal.id, "goal")
            branches.append((opath, outcome.id, "outcome", outcome.actions))
        for above, parent_id, parent_kind, actions in branches:
            for ai, action in enumerate(actions):
                apath: PathKey = (*above, "actions", ai)
                self.register(action.id, doc, (*apath, "id"))
                self.parent(doc, (*apath, "id"), action.id, parent_id, parent_kind)
                for li, line in enumerate(action.lines):
                    lpath: PathKey = (*apath, "lines", li)
                    self.register(line.id, doc, (*lpath, "id"))
                    self.parent(doc, (*lpath, "id"), line.id, action.id, "action", sep=".")
                    self.line(doc, lpath, line, goal)

    def goal_levels(self, doc: Document, goal: Goal) -> None:
        """A goal holds the level below it in the plan's ``levels``: outcomes, or actions."""
        if self.meta is None:
            return
        with_outcomes = "outcome" in self.meta.levels
        if with_outcomes and goal.actions:
            self.out.add(
                doc,
                ("actions",),
                "R-LEVELS",
                f"goal {goal.id} holds actions: directly, but the plan's levels put "
                "outcomes between goals and actions (plan.yaml levels:)",
            )
        elif not with_outcomes and goal.outcomes:
            self.out.add(
                doc,
                ("outcomes",),
                "R-LEVELS",
                f"goal {goal.id} holds outcomes:, but the plan's levels have none "
                f"({', '.join(self.meta.levels)}); list its actions: directly",
            )

    def line(self, doc: Document, lpath: PathKey, line: ActionLine, goal: Goal) -> None:
        self.graph.setdefault(line.id, (doc, lpath, line.due_year, line.dependencies))
        self.progress(doc, lpath, line)
        for k, code in enumerate(line.lead):
            self.country(code, doc, (*lpath, "lead", k))
            if code not in goal.champions:
                self.out.add(
                    doc,
                    (*lpath, "lead", k),
                    "R-LEAD-CHAMPION",
                    f"lead {code} is not a champion of goal {goal.id} "
                    f"({', '.join(goal.champions)})",
                )
            self.lead_member(doc, (*lpath, "lead", k), code, line)
        meta = self.meta
        if not self.year(doc, (*lpath, "due_year"), line.due_year, "due year"):
            pass
        elif meta and not meta.start_year <= line.due_year <= meta.end_year:
            self.out.add(
                doc,
                (*lpath, "due_year"),
                "R-YEAR",
                f"due year {line.due_year} is outside the plan period "
                f"{meta.start_year}-{meta.end_year}",
            )
        printed = {int(m.group()) for m in YEAR_RE.finditer(line.timeframe)}
        if printed and line.due_year not in printed:
            self.out.add(
                doc,
                (*lpath, "timeframe"),
                "R-TIMEFRAME",
                f"timeframe {line.timeframe!r} does not name the due year {line.due_year}",
            )
        known = {
            "themes": {t.id for t in meta.themes} if meta else set(),
            "types_of_measures": {m.id for m in meta.types_of_measures} if meta else set(),
            "pathway": {p.id for p in meta.pathways} if meta else set(),
            "dependencies": self.line_ids,
        }
        refs: list[tuple[str, list[str]]] = [
            ("themes", line.themes),
            ("types_of_measures", line.types_of_measures),
            ("dependencies", line.dependencies),
            ("pathway", [line.pathway] if line.pathway is not None else []),
        ]
        for name, values in refs:
            for k, value in enumerate(values):
                if (
                    known[name]
                    and value not in known[name]
                    and not self.unreadable(value)
                    and LISTS[name] not in self.out.unnamed
                ):
                    where = (*lpath, name) if name == "pathway" else (*lpath, name, k)
                    self.out.add(
                        doc,
                        where,
                        "R-REFERENCE",
                        f"{REFERENCE_NAMES[name]} {value!r} does not exist"
                        f"{did_you_mean(value, known[name])}",
                    )

    def progress(self, doc: Document, lpath: PathKey, line: ActionLine) -> None:
        """The progress log: dates, order, who reports, what completion means."""
        meta, national = self.meta, line.level == "national"
        previous: date | None = None
        for u, update in enumerate(line.updates):
            upath: PathKey = (*lpath, "updates", u)
            if meta and update.date.year < meta.start_year:
                self.out.add(
                    doc,
                    (*upath, "date"),
                    "P-UPDATE-DATE",
                    f"update of {update.date} is before the plan began ({meta.start_year})",
                )
            elif update.date > self.as_of:
                self.out.add(
                    doc,
                    (*upath, "date"),
                    "P-UPDATE-DATE",
                    f"update of {update.date} is after the as-of date {self.as_of}",
                )
            elif meta and update.date.year > meta.end_year:
                self.out.add(
                    doc,
                    (*upath, "date"),
                    "P-UPDATE-AFTER-PLAN",
                    f"update of {update.date} is after the plan period "
                    f"({meta.start_year}-{meta.end_year})",
                )
            if previous is not None and update.date < previous:
                self.out.add(
                    doc,
                    (*upath, "date"),
                    "P-UPDATE-ORDER",
                    f"update of {update.date} comes after one of {previous}: "
                    "keep the log oldest first",
                )
            previous = max(previous, update.date) if previous else update.date
            if national and update.country is None:
                self.out.add(
                    doc,
                    upath,
                    "P-UPDATE-COUNTRY",
                    f"{line.id} is a national-level line: each update names the "
                    "member state reporting (country: ISO3)",
                )
            elif not national and update.country is not None:
                self.out.add(
                    doc,
                    (*upath, "country"),
                    "P-UPDATE-COUNTRY",
                    f"{line.id} is a regional line: its updates name no country",
                )
            elif update.country is not None:
                self.country(update.country, doc, (*upath, "country"))
                self.member_on(update.country, update.date, doc, (*upath, "date"), line.id)
            if update.status == "completed" and update.percent not in (None, 100):
                self.out.add(
                    doc,
                    (*upath, "percent"),
                    "P-COMPLETED",
                    f"a completed line is 100% complete, not {update.percent:g}%",
                )
        if (
            line.status == "completed"
            and not any(u.status == "completed" for u in line.updates)
            and not (isinstance(doc, Salvaged) and doc.was_cut((*lpath, "updates")))
        ):
            self.out.add(
                doc,
                (*lpath, "status"),
                "P-COMPLETED",
                f"{line.id} is marked completed with no completion date: record it "
                f"as an update (sapsmed update {line.id} --status completed --date ...)",
            )

    def member_on(self, code: str, day: date, doc: Document, path: PathKey, line: str) -> None:
        """An update from a state dated before it joined or after it left: a warning."""
        joined, left = self.membership.get(code, (None, None))
        if joined is not None and day < joined:
            when = f"before it joined ({joined})"
        elif left is not None and day >= left:
            when = f"on or after the day it left ({left})"
        else:
            return
        self.out.add(
            doc, path, "P-UPDATE-MEMBER", f"{line}: update of {day} from {code} is dated {when}"
        )

    def dependencies(self) -> None:
        """No line depends on itself or on a cycle; a dependency is due no later."""
        graph = self.graph
        for line_id, (doc, lpath, due, deps) in graph.items():
            for k, dep in enumerate(deps):
                if dep in graph and graph[dep][2] > due:
                    self.out.add(
                        doc,
                        (*lpath, "dependencies", k),
                        "P-DEPENDENCY-LATE",
                        f"{line_id} (due {due}) depends on {dep}, which is due later "
                        f"({graph[dep][2]})",
                    )
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for start in sorted(graph):
            stack: list[tuple[str, int]] = [(start, 0)]
            while stack:
                node, k = stack.pop()
                if k == 0:
                    if state.get(node) == 2:
                        continue
                    state[node] = 1
                deps = [d for d in graph[node][3] if d in graph]
                if k < len(deps):
                    stack.append((node, k + 1))
                    dep = deps[k]
                    if state.get(dep) == 1:
                        cycle = [n for n, _ in stack] + [dep]
                        cycle = cycle[cycle.index(dep) :]
                        doc, lpath = graph[node][0], graph[node][1]
                        index = graph[node][3].index(dep)
                        message = (
                            f"{node} depends on itself"
                            if len(cycle) == 2
                            else "dependency cycle: " + " -> ".join(cycle)
                        )
                        self.out.add(doc, (*lpath, "dependencies", index), "P-CYCLE", message)
                    elif state.get(dep) != 2:
                        stack.append((dep, 0))
                else:
                    state[node] = 2
