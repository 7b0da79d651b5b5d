"""Rules that span entities and files: ids and their parents, references, countries, readings."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from datetime import date

from sapsmed.base.problems import YEAR_MAX, YEAR_MIN, quote
from sapsmed.domain.models import UNIT_RANGES, ActionLine, Goal, Kpi, PlanFile
from sapsmed.validate.loader import Collector, Parsed, PathKey
from sapsmed.yamlio.parse import Document

REFERENCE_NAMES = {
    "themes": "theme",
    "types_of_measures": "type of measure",
    "dependencies": "action line",
    "pathway": "pathway",
}
Point = tuple[int, float, Document, int, int]  # year, value, file, release, row
# A finding that names the line of an earlier node: (file, path, code, message before the
# line number, message after it, file and path of the earlier node).
Pointer = tuple[Document, PathKey, str, str, str, Document, PathKey]
SANE_YEARS = f"{YEAR_MIN}-{YEAR_MAX}"
YEAR_RE = re.compile(r"\b(19|20)[0-9]{2}\b")


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    hint = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {hint[0]!r}?" if hint else ""


def check_plan(files: dict[str, list[Parsed]], out: Collector, as_of: date) -> None:
    """Run every cross-reference rule over the files that passed their schema."""
    Checker(files, out, as_of).run()


class Checker:
    """One pass over a plan's parsed files; findings go to the collector."""

    def __init__(self, files: dict[str, list[Parsed]], out: Collector, as_of: date) -> None:
        self.files, self.out, self.as_of = files, out, as_of
        # line id -> (document, path, due year, dependencies), for the dependency rules
        self.graph: dict[str, tuple[Document, PathKey, int, list[str]]] = {}
        self.meta: PlanFile | None = files["plan"][0].model if files["plan"] else None
        self.members = {c.id for p in files["countries"] for c in p.model.member_states}
        self.ids: dict[str, tuple[Document, PathKey]] = {}
        # Findings that name the line of another node: placed once per file at the end, so
        # thousands of duplicates cost one pass over each file, not one each.
        self.pointers: list[Pointer] = []
        # Goals whose file failed still exist: references to them are not reported again.
        self.broken = {p.stem for p in out.failed if p.parent.name == "goals"}
        goals: list[Goal] = [p.model for p in files["goal"]]
        self.line_ids = {
            ln.id for g in goals for o in g.outcomes for a in o.actions for ln in a.lines
        }
        self.goal_ids = {g.id for g in goals} | self.broken

    def run(self) -> None:
        for parsed in self.files["plan"]:
            self.plan_years(parsed)
        for parsed in self.files["countries"]:
            for i, c in enumerate(parsed.model.member_states):
                self.register(c.id, parsed.doc, ("member_states", i, "id"))
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

    def place_pointers(self) -> None:
        wanted: dict[int, tuple[Document, list[PathKey]]] = {}
        for *_, first_doc, first_path in self.pointers:
            wanted.setdefault(id(first_doc), (first_doc, []))[1].append(first_path)
        lines = {key: doc.locate(paths) for key, (doc, paths) in wanted.items()}
        for doc, path, code, before, after, first_doc, first_path in self.pointers:
            line = lines[id(first_doc)][first_path][0]
            self.out.add(doc, path, code, f"{before}{first_doc.path.name}:{line}{after}")

    def year(self, doc: Document, path: PathKey, year: int, what: str) -> bool:
        """A plan year in the sane range; False (reported) if not."""
        if not YEAR_MIN <= year <= YEAR_MAX:
            self.out.add(doc, path, "R-YEAR-RANGE", f"{what} {year} is outside {SANE_YEARS}")
        return YEAR_MIN <= year <= YEAR_MAX

    def period(self, doc: Document, path: PathKey, start: int, end: int, what: str) -> None:
        """A start and end year, each in range, the end not before the start."""
        ok = self.year(doc, (*path, "start_year"), start, f"{what} start year")
        ok = self.year(doc, (*path, "end_year"), end, f"{what} end year") and ok
        if ok and end < start:
            self.out.add(
                doc,
                (*path, "end_year"),
                "R-YEAR-RANGE",
                f"{what} ends in {end}, before it starts ({start})",
            )

    def plan_years(self, parsed: Parsed) -> None:
        meta, doc = parsed.model, parsed.doc
        self.period(doc, (), meta.start_year, meta.end_year, "the plan")
        self.year(doc, ("base_year",), meta.base_year, "base year")
        for i, phase in enumerate(meta.phases):
            self.period(
                doc, ("phases", i), phase.start_year, phase.end_year, f"phase {quote(phase.id)}"
            )
        review = meta.mid_term_review.due_year
        self.year(doc, ("mid_term_review", "due_year"), review, "mid-term review due year")

    def register(self, entity_id: str, doc: Document, path: PathKey) -> None:
        if entity_id in self.ids:
            first_doc, first_path = self.ids[entity_id]
            self.pointers.append(
                (
                    doc,
                    path,
                    "R-DUPLICATE-ID",
                    f"id {quote(entity_id)} is already used at ",
                    "",
                    first_doc,
                    first_path,
                )
            )
        else:
            self.ids[entity_id] = (doc, path)

    def country(self, code: str, doc: Document, path: PathKey) -> None:
        if self.members and code not in self.members:
            self.out.add(
                doc,
                path,
                "R-COUNTRY",
                f"{code!r} is not a member state{did_you_mean(code, self.members)}",
            )

    def parent(
        self, doc: Document, path: PathKey, child: str, parent: str, kind: str, sep: str = "-"
    ) -> None:
        if not child.startswith(parent + sep):
            self.out.add(
                doc,
                path,
                "R-ID-PARENT",
                f"{child!r} is filed under {kind} {parent!r}: its id must start with {parent}{sep}",
            )

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
        for oi, outcome in enumerate(goal.outcomes):
            opath: PathKey = ("outcomes", oi)
            self.register(outcome.id, doc, (*opath, "id"))
            self.parent(doc, (*opath, "id"), outcome.id, goal.id, "goal")
            for ai, action in enumerate(outcome.actions):
                apath: PathKey = (*opath, "actions", ai)
                self.register(action.id, doc, (*apath, "id"))
                self.parent(doc, (*apath, "id"), action.id, outcome.id, "outcome")
                for li, line in enumerate(action.lines):
                    lpath: PathKey = (*apath, "lines", li)
                    self.register(line.id, doc, (*lpath, "id"))
                    self.parent(doc, (*lpath, "id"), line.id, action.id, "action", sep=".")
                    self.line(doc, lpath, line, goal)

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
                if known[name] and value not in known[name] and value[:1] not in self.broken:
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
            if update.status == "completed" and update.percent not in (None, 100):
                self.out.add(
                    doc,
                    (*upath, "percent"),
                    "P-COMPLETED",
                    f"a completed line is 100% complete, not {update.percent:g}%",
                )
        if line.status == "completed" and not any(u.status == "completed" for u in line.updates):
            self.out.add(
                doc,
                (*lpath, "status"),
                "P-COMPLETED",
                f"{line.id} is marked completed with no completion date: record it "
                f"as an update (sapsmed update {line.id} --status completed --date ...)",
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

    def kpis(self, parsed: Parsed) -> None:
        for i, kpi in enumerate(parsed.model.kpis):
            self.register(kpi.id, parsed.doc, ("kpis", i, "id"))
            if kpi.goal not in self.goal_ids:
                self.out.add(
                    parsed.doc,
                    ("kpis", i, "goal"),
                    "R-REFERENCE",
                    f"goal {kpi.goal!r} does not exist{did_you_mean(kpi.goal, self.goal_ids)}",
                )
            elif kpi.id[4] != kpi.goal:
                self.out.add(
                    parsed.doc,
                    ("kpis", i, "id"),
                    "R-ID-PARENT",
                    f"KPI {kpi.id!r} belongs to goal {kpi.goal!r}: its id must start "
                    f"with KPI-{kpi.goal}",
                )
            for j, code in enumerate(kpi.available_for):
                self.country(code, parsed.doc, ("kpis", i, "available_for", j))
            for j, target in enumerate(kpi.targets):
                if target.country is not None:
                    self.country(target.country, parsed.doc, ("kpis", i, "targets", j, "country"))
                self.target(parsed.doc, ("kpis", i, "targets", j), kpi, target.year, target.value)
            if kpi.discontinued is not None:
                self.year(
                    parsed.doc,
                    ("kpis", i, "discontinued", "last_data_year"),
                    kpi.discontinued.last_data_year,
                    "last data year",
                )

    def target(self, doc: Document, path: PathKey, kpi: Kpi, year: int, value: float) -> None:
        """A target the progress methods can measure against: set for a year after the base
        year (growth is measured from the baseline) and not below zero (growth rates of a
        negative value are not real numbers), within the unit's range."""
        if not self.year(doc, (*path, "year"), year, "target year"):
            pass
        elif self.meta is not None and year <= self.meta.base_year:
            self.out.add(
                doc,
                (*path, "year"),
                "R-TARGET",
                f"{kpi.id} target for {year} is not after the base year "
                f"{self.meta.base_year}: progress towards it cannot be measured",
            )
        low, high = UNIT_RANGES[kpi.unit]
        if value < 0 or (low is not None and value < low) or (high is not None and value > high):
            bounds = f"{low:g}-{high:g}" if high is not None else f">= {low or 0:g}"
            self.out.add(
                doc,
                (*path, "value"),
                "R-TARGET",
                f"{kpi.id} target {value:g} is outside the range of {kpi.unit} ({bounds})",
            )

    def readings(self) -> None:
        """Readings name known KPIs, are unique per KPI, country and year, fit their unit."""
        kpis = {k.id: k for p in self.files["kpis"] for k in p.model.kpis}
        seen: dict[tuple[str, str, int], tuple[Document, int, int]] = {}
        series: dict[tuple[str, str], list[Point]] = {}  # for the jump rule
        out = self.out
        year_over = (self.as_of.month, self.as_of.day) == (12, 31)
        quiet_until = self.as_of.year if year_over else self.as_of.year - 1
        for parsed in self.files["readings"]:
            doc, kpi_id = parsed.doc, parsed.model.kpi
            if kpi_id not in kpis:
                out.add(
                    doc,
                    ("kpi",),
                    "R-REFERENCE",
                    f"KPI {kpi_id!r} does not exist{did_you_mean(kpi_id, kpis)}",
                )
                continue
            unit, available = kpis[kpi_id].unit, frozenset(kpis[kpi_id].available_for)
            low, high = UNIT_RANGES[unit]
            low = float("-inf") if low is None else low
            high = float("inf") if high is None else high
            for ri, release in enumerate(parsed.model.releases):
                if release.vintage is not None and release.vintage > self.as_of:
                    out.add(
                        doc,
                        ("releases", ri, "vintage"),
                        "R-VINTAGE-FUTURE",
                        f"vintage {release.vintage} is after the as-of date {self.as_of}",
                    )
                vintage_year = release.vintage.year if release.vintage is not None else None
                quiet = min(quiet_until, vintage_year or quiet_until)  # no year rule to say
                for i, (code, year, value) in enumerate(release.readings):
                    if not YEAR_MIN <= year <= quiet and not self.reading_year(
                        doc, (ri, i), kpi_id, code, year, vintage_year
                    ):
                        continue
                    first = seen.setdefault((kpi_id, code, year), (doc, ri, i))
                    if first[1] == ri and first[2] == i and first[0] is doc:
                        series.setdefault((kpi_id, code), []).append((year, value, doc, ri, i))
                    else:
                        self.pointers.append(
                            (
                                doc,
                                ("releases", ri, "readings", i),
                                "R-READING-DUPLICATE",
                                f"a second {kpi_id} reading for {code} {year} (first at ",
                                ")",
                                first[0],
                                ("releases", first[1], "readings", first[2]),
                            )
                        )
                    if not low <= value <= high:
                        bounds = f"{low:g}-{high:g}" if high != float("inf") else f">= {low:g}"
                        out.add(
                            doc,
                            ("releases", ri, "readings", i, 2),
                            "R-READING-RANGE",
                            f"{value:g} is outside the range of {unit} ({bounds})",
                        )
                    if code not in available:
                        self.country(code, doc, ("releases", ri, "readings", i, 0))
                        out.add(
                            doc,
                            ("releases", ri, "readings", i, 0),
                            "R-READING-AVAILABILITY",
                            f"{kpi_id} is not declared available for {code}",
                        )
        self.jumps(series)
        self.coverage(kpis, set(series))

    def reading_year(
        self,
        doc: Document,
        where: tuple[int, int],
        kpi_id: str,
        code: str,
        year: int,
        vintage_year: int | None,
    ) -> bool:
        """A reading's year from 1900 to the as-of year (False, reported, if not); a warning
        for the as-of year itself (not over on the as-of date) or one after the vintage's."""
        path = ("releases", where[0], "readings", where[1], 1)
        as_of = self.as_of
        if not YEAR_MIN <= year <= as_of.year:
            self.out.add(
                doc,
                path,
                "R-READING-YEAR",
                f"{kpi_id} reading for {code} {year}: a reading's year is "
                f"{YEAR_MIN}-{as_of.year} (the as-of year)",
            )
            return False
        if vintage_year is not None and year > vintage_year:
            self.out.add(
                doc,
                path,
                "R-READING-FUTURE",
                f"{kpi_id} reading for {code} {year} is in a release of "
                f"{vintage_year}: from after its vintage?",
            )
        elif year == as_of.year and (as_of.month, as_of.day) != (12, 31):
            self.out.add(
                doc,
                path,
                "R-READING-FUTURE",
                f"{kpi_id} reading for {code} {year}: that year is not over on the "
                f"as-of date {as_of}",
            )
        return True

    def jumps(self, series: dict[tuple[str, str], list[Point]]) -> None:
        """Flag an order-of-magnitude step in a series that otherwise moves smoothly."""
        for (kpi, country), points in series.items():
            points.sort(key=lambda p: p[0])
            steps = [
                (math.log(b[1]) - math.log(a[1]), a, b)  # no underflow to log(0)
                for a, b in zip(points, points[1:], strict=False)
                if a[1] > 0 and b[1] > 0
            ]
            if len(steps) < 3:
                continue
            typical = sorted(abs(r) for r, _, _ in steps)[len(steps) // 2]
            for log_ratio, before, after in steps:
                if abs(log_ratio) >= math.log(10) and typical < math.log(2):
                    self.out.add(
                        after[2],
                        ("releases", after[3], "readings", after[4], 2),
                        "R-READING-JUMP",
                        f"{kpi} {country}: {after[1]:g} in {after[0]} after "
                        f"{before[1]:g} in {before[0]} (x{after[1] / before[1]:.3g}); "
                        "a unit or typing error?",
                    )

    def coverage(self, kpis: dict[str, Kpi], have: set[tuple[str, str]]) -> None:
        """A KPI with data for some declared countries but none for others."""
        for parsed in self.files["kpis"]:
            for i, kpi in enumerate(parsed.model.kpis):
                with_data = {c for k, c in have if k == kpi.id}
                if not with_data:
                    continue
                for j, code in enumerate(kpi.available_for):
                    if code not in with_data:
                        self.out.add(
                            parsed.doc,
                            ("kpis", i, "available_for", j),
                            "R-COVERAGE",
                            f"{kpi.id} is declared available for {code}, which has "
                            f"no readings (other countries have)",
                        )
