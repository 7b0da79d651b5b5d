"""The shapes of the `--json` outputs, as TypedDicts: the functions that build them return
these, so mypy checks each JSON contract; docs/json.md is generated from them
(:func:`sapsmed.render.jsondoc.reference`).

Covered so far: `validate --format json`, `scorecard --json`, `diff --format json`,
`status --json` and `lines --json` (:mod:`sapsmed.domain.shapes_status`), `show --json`
(:mod:`sapsmed.domain.shapes_show`, a shape per kind of entity), `kpi list --json`,
`kpi show --json` and `kpi coverage --json` (:mod:`sapsmed.domain.shapes_kpi`),
`history --json`, `export --format json` and `grid --json`
(:mod:`sapsmed.domain.shapes_grid`): every command that writes JSON.
"""

from __future__ import annotations

from typing import Any, TypedDict

from sapsmed.base.problems import ProblemJson
from sapsmed.domain.shapes_grid import GridJson
from sapsmed.domain.shapes_kpi import CoverageJson, KpiListRow, KpiShowJson
from sapsmed.domain.shapes_show import (
    ShowAction,
    ShowCountry,
    ShowGoal,
    ShowKpi,
    ShowLine,
    ShowOutcome,
    ShowTheme,
)
from sapsmed.domain.shapes_status import LineRow, StatusJson
from sapsmed.domain.vocabulary import Group, Kind, Method


class ValidateJson(TypedDict):
    ok: bool  # no error (warnings allowed)
    problems: list[ProblemJson]


class Rate(TypedDict):
    numerator: int
    denominator: int
    value: float | None  # numerator / denominator to 4 places; None when nothing is due


class ScorecardGroup(TypedDict):
    group: str
    lines: int
    due: int
    completed: int
    implementation_rate: Rate
    lenient_rate: Rate
    by_status: dict[str, int]  # every status, in vocabulary order
    flags: dict[str, int]  # every flag, in vocabulary order


class ScorecardJson(TypedDict):
    as_of: str
    by: Group
    groups: list[ScorecardGroup]
    total: ScorecardGroup
    rule: str
    attribution: str


class Named(TypedDict):
    id: str
    kind: Kind
    title: str


class FieldChange(TypedDict):
    field: str
    old: Any  # the field's value as in the plan file (None: unset)
    new: Any


class Changed(TypedDict):
    id: str
    kind: Kind
    fields: list[FieldChange]


class UpdateChanges(TypedDict):
    id: str
    added: list[dict[str, Any]]  # progress-log entries, as written in the plan file
    removed: list[dict[str, Any]]


class StatusChange(TypedDict):
    id: str
    old: str
    new: str
    old_percent: float | None
    new_percent: float | None


class ReadingJson(TypedDict):
    """A KPI reading (diff's readings added, export's readings)."""

    kpi: str
    country: str
    year: int
    value: float
    source: str
    vintage: str | None


class ReadingRevised(TypedDict):
    kpi: str
    country: str
    year: int
    old: float
    new: float
    old_vintage: str | None
    new_vintage: str | None
    source: str


class ReadingRemoved(TypedDict):
    kpi: str
    country: str
    year: int
    value: float


class KpiStatusChange(TypedDict):
    id: str
    method: Method
    old: str
    new: str


class ProblemFixed(TypedDict):
    file: str
    code: str
    message: str
    path: str


class Incomplete(TypedDict):
    revision: str
    errors: int  # how many errors the revision has: its plan is as far as it could be read


DiffJson = TypedDict(
    "DiffJson",
    {
        "from": str,
        "to": str,
        "as_of": str,
        "incomplete": list[Incomplete],
        "added": list[Named],
        "removed": list[Named],
        "changed": list[Changed],
        # plan.yaml's own settings (title, period, levels, region, phases, mid-term review,
        # pathways, types of measures) and kpis.yaml's declared units, by field
        "settings": list[FieldChange],
        "updates": list[UpdateChanges],
        "status_changes": list[StatusChange],
        "readings_added": list[ReadingJson],
        "readings_revised": list[ReadingRevised],
        "readings_removed": list[ReadingRemoved],
        "kpi_status_changes": list[KpiStatusChange],
        "problems_introduced": list[ProblemJson],
        "problems_fixed": list[ProblemFixed],
    },
)


class HistoryEvent(TypedDict):
    """A commit that changed the entity (`history --json` lists them, oldest first)."""

    commit: str  # the sha's first 12 digits
    date: str
    author: str
    subject: str
    changes: list[str]  # each change in words


class ExportPlan(TypedDict):
    title: str
    start_year: int
    end_year: int
    base_year: int


class ExportJson(TypedDict):
    as_of: str
    plan: ExportPlan
    lines: list[LineRow]  # every action line, by id
    readings: list[ReadingJson]  # those known on the date, by KPI, country and year


# command -> the shape its --json output has (a TypedDict, or a list of one)
COMMANDS: dict[str, Any] = {
    "validate --format json": ValidateJson,
    "scorecard --json": ScorecardJson,
    "diff --format json": DiffJson,
    "status --json": StatusJson,
    "lines --json": list[LineRow],
    # show: one shape per kind, each named here by an entity of that kind
    "show A --json": ShowGoal,
    "show A-1 --json": ShowOutcome,
    "show A-1-2 --json": ShowAction,
    "show A-1-2.1 --json": ShowLine,
    "show KPI-A1 --json": ShowKpi,
    "show MYS --json": ShowCountry,
    "show service-centre --json": ShowTheme,
    "kpi list --json": list[KpiListRow],
    "kpi show KPI-A1 --json": KpiShowJson,
    "kpi coverage --json": CoverageJson,
    "history A-1-2.1 --json": list[HistoryEvent],
    "export --format json": ExportJson,
    "grid --json": GridJson,
}
