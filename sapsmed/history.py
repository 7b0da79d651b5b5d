"""The dated story of one entity, from the git log of the plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from . import plandiff
from .errors import UnknownId
from .gitplan import Commit, NoPlan, Revisions, Snapshot
from .render import lines_of


def story(root: Path, entity_id: str, as_of: date) -> list[dict[str, Any]]:
    """Each commit that changed ``entity_id``: when, by whom, and what changed.

    Every commit is read through the validating loader; a commit whose plan has errors tells
    what could be read of it, and its event says so."""
    events: list[dict[str, Any]] = []
    before: dict[str, Any] | None = None
    before_status: tuple[str, float | None] | None = None
    before_readings: dict[plandiff.Key, tuple[float, str, str | None]] = {}
    seen = False
    with Revisions(root) as revisions:
        for commit in revisions.commits():
            try:
                snap = revisions.snapshot(commit.sha, commit.sha)
            except NoPlan:  # the plan folder is not there (yet, or any more)
                snap = Snapshot(commit.sha, None, [])
            now = plandiff.entities(snap.plan).get(entity_id)
            status = plandiff.statuses(snap, as_of).get(entity_id)
            mine = {k: v for k, v in plandiff.readings(snap.plan).items() if k[0] == entity_id}
            changes = describe(before, now, before_status, status, before_readings, mine)
            if changes and snap.errors:
                changes.append(f"(this commit's plan has {snap.errors} error(s); shown as far "
                               "as it could be read)")
            if changes:
                events.append(event(commit, changes))
            seen = seen or now is not None
            before, before_status, before_readings = now, status, mine
    if not seen:
        raise UnknownId(f"{entity_id!r} is in no commit of the plan's history")
    return events


def event(commit: Commit, changes: list[str]) -> dict[str, Any]:
    return {"commit": commit.sha[:12], "date": commit.date, "author": commit.author,
            "subject": commit.subject, "changes": changes}


def describe(old: dict[str, Any] | None, new: dict[str, Any] | None,
             old_status: tuple[str, float | None] | None,
             new_status: tuple[str, float | None] | None,
             old_readings: dict[plandiff.Key, tuple[float, str, str | None]],
             new_readings: dict[plandiff.Key, tuple[float, str, str | None]]) -> list[str]:
    out = []
    if old is None and new is not None:
        out.append(f"created: {plandiff.title_of(new)}")
    elif old is not None and new is None:
        out.append("removed")
    elif old is not None and new is not None:
        for key in sorted(old["fields"].keys() | new["fields"].keys()):
            a, b = old["fields"].get(key), new["fields"].get(key)
            if a != b:
                out.append(f"{key}: {plandiff.value(a)} -> {plandiff.value(b)}")
        out += [f"update: {plandiff.entry_text(entry)}" for entry in new["updates"]
                if entry not in old["updates"]]
    if old_status != new_status and new_status is not None and old is not None:
        before = f"{old_status[0]}{plandiff.pct(old_status[1])}" if old_status else "?"
        out.append(f"status {before} -> {new_status[0]}{plandiff.pct(new_status[1])}")
    added = [k for k in new_readings if k not in old_readings]
    revised = [k for k in new_readings if k in old_readings
               and new_readings[k][0] != old_readings[k][0]]
    if added:
        out.append(f"{len(added)} reading(s) added")
    for k in sorted(revised):
        out.append(f"reading {k[1]} {k[2]} revised: {plandiff.value(old_readings[k][0])} -> "
                   f"{plandiff.value(new_readings[k][0])}")
    return out


def story_text(entity_id: str, events: list[dict[str, Any]]) -> str:
    out = [f"history of {entity_id}"]
    for e in events:
        out.append(f"{e['date']}  {e['commit']}  {e['author']}: {e['subject']}")
        out += [f"    {change}" for change in e["changes"]]
    return lines_of(out)
