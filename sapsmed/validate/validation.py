"""One entry point for reading a plan: parse, schema, cross-references, in that order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sapsmed.base.problems import Problem, has_errors
from sapsmed.domain.plan import Plan, Reading
from sapsmed.validate.checks import check_plan
from sapsmed.validate.loader import Collector, Given, Parsed, read_folder
from sapsmed.validate.planfiles import Listing, files_key
from sapsmed.yamlio.parse import Document

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.entities import Country, DeclaredUnit, Goal, Kpi, Meta


@dataclass(frozen=True)
class Result:
    root: Path
    problems: list[Problem]
    plan: Plan | None  # None when there are errors (unless validate(partial=True))
    values: dict[Path, Any]  # the YAML value of each file that could be read
    files: int  # how many plan files were read
    key: str  # the digest of the files as read (loader.files_key): what the cache keys on

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def validate(
    root: Path,
    assemble: bool = True,
    as_of: date | None = None,
    overrides: Mapping[Path, Given] | None = None,
    listing: Listing | None = None,
    partial: bool = False,
    documents: dict[tuple[Path, bytes], Document] | None = None,
) -> Result:
    """Read and check the whole plan in ``root``; every problem found, sorted.

    With ``assemble=False`` only the problems are wanted: the plan object is not built.
    Rules that depend on the date (updates may not be dated later) use ``as_of``, default
    today. ``overrides`` gives new text for some files: an edit is checked before it is
    written. With ``partial=True`` a plan with errors still gives a plan: what could be read
    of it (see :func:`partial_plan`), for showing a broken revision; the problems are the
    same either way. ``documents`` keeps the documents read from bytes across runs (see
    :class:`loader.Collector`).
    """
    out = Collector(documents=documents)
    files = read_folder(root, out, overrides or {}, listing)
    check_plan(files, out, as_of or date.today())
    problems = out.finish()
    plan = None
    if assemble and not has_errors(problems):
        plan = build_plan(root, files)
    elif assemble and partial:
        plan = partial_plan(
            root, {kind: [p.model for p in parsed] for kind, parsed in files.items()}
        )
    key = files_key(root, out.listed, out.digests)
    return Result(root, problems, plan, out.values, out.count, key)


def build_plan(root: Path, files: dict[str, list[Parsed]]) -> Plan:
    """The plan as plain data from files that passed every check."""
    return assemble_plan(root, {kind: [p.model for p in parsed] for kind, parsed in files.items()})


def assemble_plan(root: Path, models: dict[str, list[Any]]) -> Plan:
    """A plan from file models; a missing top file gives an empty stand-in."""

    def dump(model: Any) -> dict:  # type: ignore[type-arg]
        return model.model_dump(mode="json")  # type: ignore[no-any-return]

    readings = [
        Reading(
            f.kpi,
            country,
            year,
            value,
            release.source,
            release.vintage.isoformat() if release.vintage else None,
        )
        for f in models["readings"]
        for release in f.releases
        for country, year, value in release.readings
    ]
    # The JSON-mode dumps of the models are the typed entities (domain/entities.py; a test
    # keeps their fields equal); a broken revision without plan.yaml gets a stand-in.
    meta = cast("Meta", dump(models["plan"][0]) if models["plan"] else {"themes": []})
    countries: list[Country] = (
        dump(models["countries"][0])["member_states"] if models["countries"] else []
    )
    kpis_file = dump(models["kpis"][0]) if models["kpis"] else {"kpis": [], "units": []}
    kpis: list[Kpi] = kpis_file["kpis"]
    units: list[DeclaredUnit] = kpis_file["units"]
    goals = [cast("Goal", dump(g)) for g in models["goal"]]
    return Plan(
        root,
        meta,
        {c["id"]: c for c in countries},
        goals,
        {k["id"]: k for k in kpis},
        readings,
        {u["id"]: u for u in units},
    )


def partial_plan(root: Path, models: dict[str, list[Any]]) -> Plan:
    """A plan with errors, as far as it could be read: the files that passed their schema,
    and of those that failed what was left when the items holding errors were left out.

    Cross-references are not to be trusted (ids may repeat or dangle; a missing plan.yaml
    leaves ``meta`` without ``base_year``). ``lines`` keeps only the lines whose progress can
    be computed: a due year that is a date, and for national-level lines member states."""
    plan = assemble_plan(root, models)
    for line_id, ref in list(plan.lines.items()):
        line = ref.line
        if not 1 <= line["due_year"] <= 9999 or (
            line["level"] == "national" and not plan.countries
        ):
            del plan.lines[line_id]
    return plan
