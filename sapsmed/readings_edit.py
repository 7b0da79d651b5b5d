"""KPI readings written into readings files: corrections and additions as exact text edits.

A reading is keyed on KPI, country and year. New and changed readings go into a release
(source and vintage) in the KPI's readings file: every other byte of the file stays as it
was, the whole plan is validated before anything is written, and each file is replaced
atomically.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from . import snapshot
from .edit import EditRefused, append_item, check_and_write, locked, scalar
from .errors import SapsmedError, UnknownId
from .importer import Change, ImportReport, decide
from .plan import Plan
from .wdi import Observation
from .yamlio import compose

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/readings.schema.json\n"


def apply(root: Path, plan: Plan, report: ImportReport, note: str | None = None) -> None:
    """Write the report's additions and changes into the readings files (validated first)."""

    changes = report.added + report.changed
    if not changes:
        return
    texts: dict[Path, str] = {}
    for kpi in sorted({c.kpi for c in changes}):
        path = readings_file(plan, kpi)
        mine = [c for c in changes if c.kpi == kpi]
        text = path.read_text(encoding="utf-8") if path.exists() else None
        if text is not None:
            text = remove_rows(text, {(c.country, c.year) for c in mine if c.old is not None})
        for (source, vintage), group in group_by_release(mine).items():
            rows = [(c.country, c.year, c.new) for c in group]
            if text is None:  # a KPI's first readings: a new file
                text = (f"{SCHEMA_LINE}kpi: {kpi}\nreleases:\n"
                        + release_text(2, source, vintage, rows, note))
            else:
                text = add_rows(text, source, vintage, rows, note)
        assert text is not None
        texts[path] = text
    report.warnings = check_and_write(root, texts)
    report.written = list(texts)


def readings_file(plan: Plan, kpi: str) -> Path:
    """The file that holds a KPI's readings (the first, if several do)."""
    folder = plan.root / "readings"
    for path in sorted(folder.glob("*.yaml")):
        if path.stem == kpi:
            return path
    return folder / f"{kpi}.yaml"


def group_by_release(changes: list[Change]) -> dict[tuple[str, str | None], list[Change]]:
    groups: dict[tuple[str, str | None], list[Change]] = {}
    for c in changes:
        groups.setdefault((c.source, c.vintage), []).append(c)
    for group in groups.values():
        group.sort(key=lambda c: (c.country, c.year))
    return groups


def format_value(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


def row_text(dash_col: int, rows: list[tuple[str, int, float]]) -> str:
    return "".join(f"{' ' * dash_col}- [{c}, {y}, {format_value(v)}]\n" for c, y, v in rows)


def tree(text: str) -> yaml.MappingNode:
    root = compose(text)
    if not isinstance(root, yaml.MappingNode):
        raise SapsmedError("a readings file must be a mapping")
    return root


def field_of(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((v for k, v in node.value if k.value == key), None)


def releases_of(text: str) -> list[yaml.MappingNode]:
    releases = field_of(tree(text), "releases")
    if not isinstance(releases, yaml.SequenceNode):
        return []
    return [r for r in releases.value if isinstance(r, yaml.MappingNode)]


def remove_rows(text: str, rows: set[tuple[str, int]]) -> str:
    """Delete the lines of the given (country, year) rows; a release left empty goes too."""
    if not rows:
        return text
    lines = text.splitlines(keepends=True)
    drop: set[int] = set()
    for release in releases_of(text):
        items = field_of(release, "readings")
        if not isinstance(items, yaml.SequenceNode):
            continue
        hits = [row for row in items.value if isinstance(row, yaml.SequenceNode)
                and len(row.value) == 3 and (row.value[0].value, int(row.value[1].value)) in rows]
        if len(hits) == len(items.value):  # the whole release: from "- source:" to its end
            first = release.start_mark.line
            last = release.end_mark.line - (1 if release.end_mark.column == 0 else 0)
            drop.update(range(first, last + 1))
            continue
        for row in hits:
            if row.start_mark.line != row.end_mark.line or not row.flow_style:
                raise SapsmedError(f"the reading {row.value[0].value} {row.value[1].value} "
                                   "spans several lines; write it as one [country, year, "
                                   "value] row")
            drop.add(row.start_mark.line)
    return "".join(line for i, line in enumerate(lines) if i not in drop)


def add_rows(text: str, source: str, vintage: str | None, rows: list[tuple[str, int, float]],
             note: str | None) -> str:
    """Append rows to the release with this source and vintage, or to a new release."""
    for i, release in enumerate(releases_of(text)):
        src, vin = field_of(release, "source"), field_of(release, "vintage")
        vin_text = vin.value if isinstance(vin, yaml.ScalarNode) else None
        if (isinstance(src, yaml.ScalarNode) and src.value == source
                and (vin_text in ("null", "~", "") and vintage is None or vin_text == vintage)):
            return append_item(text, ("releases", i), "readings",
                               lambda col: row_text(col, rows))

    return append_item(text, (), "releases",
                       lambda col: release_text(col, source, vintage, rows, note))


def release_text(col: int, source: str, vintage: str | None,
                 rows: list[tuple[str, int, float]], note: str | None) -> str:
    pad = " " * (col + 2)
    head = f"{' ' * col}- source: {scalar(source)}\n{pad}vintage: {vintage or 'null'}\n"
    if note:
        head += f"{pad}note: {scalar(note)}\n"
    return head + f"{pad}readings:\n" + row_text(col + 4, rows)


def record(root: Path, kpi: str, country: str, year: int, value: float, source: str,
           vintage: date | None) -> ImportReport:
    """Add or correct one reading by hand."""
    with locked(root):
        plan, problems = snapshot.load(root)
        if plan is None:
            raise EditRefused(problems, "the plan is invalid; fix it first, nothing was written")
        if kpi not in plan.kpis:
            from .views import show

            show(plan, kpi)  # an unknown id: raises with a did-you-mean
            raise UnknownId(f"{kpi!r} is not a KPI")
        report = ImportReport()
        stored = {(r.kpi, r.country, r.year): r for r in plan.readings}
        decide(report, stored, kpi, Observation("", country, year, value), source,
               vintage.isoformat() if vintage else None, allow_older=True)
        apply(root, plan, report)
    return report
