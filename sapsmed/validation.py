"""One entry point for reading a plan: parse, schema, cross-references, in that order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .checks import check_plan
from .loader import Collector, read_folder
from .plan import Plan
from .problems import Problem, has_errors


@dataclass(frozen=True)
class Result:
    root: Path
    problems: list[Problem]
    plan: Plan | None  # None when there are errors

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def validate(root: Path, assemble: bool = True) -> Result:
    """Read and check the whole plan in ``root``; every problem found, sorted.

    With ``assemble=False`` only the problems are wanted: the plan object is not built.
    """
    out = Collector()
    files = read_folder(root, out)
    check_plan(files, out)
    problems = out.finish()
    plan = None
    if assemble and not has_errors(problems):
        plan = Plan.assemble(
            root,
            files["plan"][0].model,
            files["countries"][0].model,
            [p.model for p in files["goal"]],
            files["kpis"][0].model,
            [p.model for p in files["readings"]],
        )
    return Result(root, problems, plan)
