"""`sapsmed history`: each commit that changed an entity, and what changed, in words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sapsmed.monitor.history import Step
from sapsmed.monitor.plandiff import title_of
from sapsmed.render.diff import entry_text, pct, value
from sapsmed.render.text import lines_of

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.shapes import HistoryEvent


def events(steps: list[Step]) -> list[HistoryEvent]:
    """The commits that changed the entity: when, by whom, and what changed."""
    out: list[HistoryEvent] = []
    for step in steps:
        changes = describe(step)
        if changes and step.errors:
            changes.append(
                f"(this commit's plan has {step.errors} error(s); shown as far as it could be read)"
            )
        if changes:
            c = step.commit
            out.append(
                {
                    "commit": c.sha[:12],
                    "date": c.date,
                    "author": c.author,
                    "subject": c.subject,
                    "changes": changes,
                }
            )
    return out


def describe(step: Step) -> list[str]:
    old, new = step.old, step.new
    old_status, new_status = step.old_status, step.new_status
    out = []
    if old is None and new is not None:
        out.append(f"created: {title_of(new)}")
    elif old is not None and new is None:
        out.append("removed")
    elif old is not None and new is not None:
        for key in sorted(old["fields"].keys() | new["fields"].keys()):
            a, b = old["fields"].get(key), new["fields"].get(key)
            if a != b:
                out.append(f"{key}: {value(a)} -> {value(b)}")
        out += [
            f"update: {entry_text(entry)}"
            for entry in new["updates"]
            if entry not in old["updates"]
        ]
    if old_status != new_status and new_status is not None and old is not None:
        before = f"{old_status[0]}{pct(old_status[1])}" if old_status else "?"
        out.append(f"status {before} -> {new_status[0]}{pct(new_status[1])}")
    old_readings, new_readings = step.old_readings, step.new_readings
    added = [k for k in new_readings if k not in old_readings]
    revised = [
        k for k in new_readings if k in old_readings and new_readings[k][0] != old_readings[k][0]
    ]
    if added:
        out.append(f"{len(added)} reading(s) added")
    for k in sorted(revised):
        out.append(
            f"reading {k[1]} {k[2]} revised: {value(old_readings[k][0])} -> "
            f"{value(new_readings[k][0])}"
        )
    return out


def story_text(entity_id: str, events: list[HistoryEvent]) -> str:
    out = [f"history of {entity_id}"]
    for e in events:
        out.append(f"{e['date']}  {e['commit']}  {e['author']}: {e['subject']}")
        out += [f"    {change}" for change in e["changes"]]
    return lines_of(out)
