"""The shared ground of the cross-file rules: the parsed files, the ids seen so far, and the
helpers every rule uses (a year in range, a registered id, a known member state)."""

from __future__ import annotations

import re
from datetime import date

from sapsmed.base.hints import did_you_mean
from sapsmed.base.problems import YEAR_MAX, YEAR_MIN, quote
from sapsmed.domain.models import ActionLine, Goal, PlanFile
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


class Rules:
    """State shared by the rule families: the files, the collector, ids seen so far."""

    def __init__(self, files: dict[str, list[Parsed]], out: Collector, as_of: date) -> None:
        self.files, self.out, self.as_of = files, out, as_of
        # line id -> (document, path, due year, dependencies), for the dependency rules
        self.graph: dict[str, tuple[Document, PathKey, int, list[str]]] = {}
        self.meta: PlanFile | None = files["plan"][0].model if files["plan"] else None
        self.members = {c.id for p in files["countries"] for c in p.model.member_states}
        self.countries = {c.id: c for p in files["countries"] for c in p.model.member_states}
        # code -> (joined, left): when each was a member (None: always, still)
        self.membership = {
            c.id: (c.joined, c.left) for p in files["countries"] for c in p.model.member_states
        }
        self.ids: dict[str, tuple[Document, PathKey]] = {}
        # Findings that name the line of another node: placed once per file at the end, so
        # thousands of duplicates cost one pass over each file, not one each.
        self.pointers: list[Pointer] = []
        # What could not be read still exists: references to it are not reported. That is
        # the ids in the items salvage cut out, and the goals whose file was left out whole
        # (named by the file) with every id below them (the goal id and a dash).
        read = {p.doc.path for p in files["goal"]}
        self.lost = {p.stem for p in out.failed if p.parent.name == "goals" and p not in read}
        self.unread = out.unread
        self.partial_kpis: set[str] = set()  # KPIs with readings salvage cut out
        goals: list[Goal] = [p.model for p in files["goal"]]
        self.line_ids = {
            ln.id
            for g in goals
            for actions in (g.actions, *(o.actions for o in g.outcomes))
            for a in actions
            for ln in a.lines
        }
        self.goal_ids = {g.id for g in goals} | self.lost

    def unreadable(self, entity_id: str) -> bool:
        """An id that may exist in what could not be read (see ``unread`` and ``lost``)."""
        return entity_id in self.unread or any(
            entity_id == goal or entity_id.startswith(f"{goal}-") for goal in self.lost
        )

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

    def register(
        self,
        entity_id: str,
        doc: Document,
        path: PathKey,
        seen: dict[str, tuple[Document, PathKey]] | None = None,
        what: str = "id",
    ) -> bool:
        """Record an id in ``seen`` (default: the plan's entity ids); a second one is
        R-DUPLICATE-ID, naming the line of the first. False for a duplicate."""
        seen = self.ids if seen is None else seen
        if entity_id not in seen:
            seen[entity_id] = (doc, path)
            return True
        first_doc, first_path = seen[entity_id]
        self.pointers.append(
            (
                doc,
                path,
                "R-DUPLICATE-ID",
                f"{what} {quote(entity_id)} is already used at ",
                "",
                first_doc,
                first_path,
            )
        )
        return False

    def country(self, code: str, doc: Document, path: PathKey) -> None:
        if (
            self.members
            and code not in self.members
            and code not in self.unread
            and "member_states" not in self.out.unnamed
        ):
            self.out.add(
                doc,
                path,
                "R-COUNTRY",
                f"{code!r} is not a member state{did_you_mean(code, self.members)}",
            )

    def lead_member(self, doc: Document, path: PathKey, code: str, line: ActionLine) -> None:
        """A lead that is not a member state when its line falls due leads nothing."""
        country = self.countries.get(code)
        if country is None or not 1 <= line.due_year <= 9999:
            return
        due = date(line.due_year, 12, 31)
        if (country.joined and country.joined > due) or (country.left and country.left <= due):
            self.out.add(
                doc,
                path,
                "R-LEAD-MEMBER",
                f"lead {code} is not a member state at the end of {line.due_year}, when "
                f"{line.id} falls due (joined {country.joined or '-'}, left "
                f"{country.left or '-'}): the line does not count for it",
            )

    def parent(
        self, doc: Document, path: PathKey, child: str, parent: str, kind: str, sep: str = "-"
    ) -> None:
        """A child's id is its parent's, the separator and a number (B-2 under B)."""
        if not child.startswith(parent + sep):
            self.out.add(
                doc,
                path,
                "R-ID-PARENT",
                f"{child!r} is filed under {kind} {parent!r}: its id must start with {parent}{sep}",
            )
        elif not is_number(child[len(parent) + len(sep) :]):
            self.out.add(
                doc,
                path,
                "R-ID-PARENT",
                f"{child!r} is filed under {kind} {parent!r}: its id must be {parent}{sep}<number>",
            )


def is_number(text: str) -> bool:
    """ASCII digits only (str.isdigit also takes other scripts' digits)."""
    return text.isascii() and text.isdigit()
