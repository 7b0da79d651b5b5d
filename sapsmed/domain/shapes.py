"""The shapes of the `--json` outputs, as TypedDicts: the functions that build them return
these, so mypy checks each JSON contract; docs/json.md is generated from them
(:func:`sapsmed.render.jsondoc.reference`).

Covered so far: `validate --json` and `scorecard --json`.
"""

from __future__ import annotations

from typing import TypedDict

from sapsmed.base.problems import ProblemJson
from sapsmed.domain.vocabulary import Group

__all__ = ["COMMANDS", "ProblemJson", "Rate", "ScorecardGroup", "ScorecardJson", "ValidateJson"]


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


# command -> the shape its --json output has
COMMANDS: dict[str, type] = {
    "validate --format json": ValidateJson,
    "scorecard --json": ScorecardJson,
}
