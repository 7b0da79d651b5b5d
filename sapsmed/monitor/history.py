"""The dated story of one entity, from the git log of the plan.

:func:`story` reads every commit and returns, for each one, the entity's state before and
after it; :mod:`sapsmed.render.history` says in words what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sapsmed.base.errors import UnknownId
from sapsmed.io.gitobjects import Commit, NoPlan
from sapsmed.io.revisions import RevisionPlan, Revisions
from sapsmed.monitor import plandiff

Status = tuple[str, float | None]
Readings = dict[plandiff.Key, tuple[float, str, str | None]]


@dataclass(frozen=True)
class Step:
    """One commit and the entity just before and just after it (None where it did not
    exist); ``errors`` counts the problems of the commit's plan."""

    commit: Commit
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    old_status: Status | None
    new_status: Status | None
    old_readings: Readings
    new_readings: Readings
    errors: int


def story(root: Path, entity_id: str, as_of: date) -> list[Step]:
    """Each commit of the plan's history, with ``entity_id`` before and after it.

    Every commit is read through the validating loader; a commit whose plan has errors gives
    what could be read of it."""
    steps: list[Step] = []
    before: dict[str, Any] | None = None
    before_status: Status | None = None
    before_readings: Readings = {}
    seen = False
    with Revisions(root) as revisions:
        for commit in revisions.commits():
            try:
                snap = revisions.plan_at(commit.sha, commit.sha)
            except NoPlan:  # the plan folder is not there (yet, or any more)
                snap = RevisionPlan(commit.sha, None, [])
            now = plandiff.entities(snap.plan).get(entity_id)
            status = plandiff.statuses(snap, as_of).get(entity_id)
            mine = {k: v for k, v in plandiff.readings(snap.plan).items() if k[0] == entity_id}
            steps.append(
                Step(commit, before, now, before_status, status, before_readings, mine, snap.errors)
            )
            seen = seen or now is not None
            before, before_status, before_readings = now, status, mine
    if not seen:
        raise UnknownId(f"{entity_id!r} is in no commit of the plan's history")
    return steps
