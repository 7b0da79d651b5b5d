"""One entry point for reading a plan: parse, schema, cross-references, in that order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .checks import check_plan
from .loader import Collector, Parsed, read_folder
from .plan import Plan, Reading
from .planfiles import Listing
from .problems import Problem, has_errors


@dataclass(frozen=True)
class Result:
    root: Path
    problems: list[Problem]
    plan: Plan | None  # None when there are errors
    values: dict[Path, Any]  # the YAML value of each file that could be read
    files: int  # how many plan files were read

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def validate(root: Path, assemble: bool = True, as_of: date | None = None,
             overrides: dict[Path, str | bytes] | None = None,
             listing: Listing | None = None) -> Result:
    """Read and check the whole plan in ``root``; every problem found, sorted.

    With ``assemble=False`` only the problems are wanted: the plan object is not built.
    Rules that depend on the date (updates may not be dated later) use ``as_of``, default
    today. ``overrides`` gives new text for some files: an edit is checked before it is
    written.
    """
    out = Collector()
    files = read_folder(root, out, overrides or {}, listing)
    check_plan(files, out, as_of or date.today())
    problems = out.finish()
    plan = None
    if assemble and not has_errors(problems):
        plan = build_plan(root, files)
    return Result(root, problems, plan, out.values, out.count)


def build_plan(root: Path, files: dict[str, list[Parsed]]) -> Plan:
    """The plan as plain data from files that passed every check."""

    def dump(parsed: Parsed) -> dict:  # type: ignore[type-arg]
        return parsed.model.model_dump(mode="json")  # type: ignore[no-any-return]

    readings = [
        Reading(f.model.kpi, country, year, value, release.source,
                release.vintage.isoformat() if release.vintage else None)
        for f in files["readings"]
        for release in f.model.releases
        for country, year, value in release.readings
    ]
    countries = dump(files["countries"][0])["member_states"]
    return Plan(root, dump(files["plan"][0]), {c["id"]: c for c in countries},
                [dump(p) for p in files["goal"]],
                {k["id"]: k for k in dump(files["kpis"][0])["kpis"]}, readings)
