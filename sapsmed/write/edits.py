"""One way to make a plan edit: operations built from the current plan, carried out exactly
(:mod:`sapsmed.yamlio.edit`), the whole plan validated, then written under the lock; or, for
a dry run, validated and shown as a unified diff, nothing written."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sapsmed.base.problems import Problem, display_path
from sapsmed.domain.plan import Plan
from sapsmed.write.transaction import DEFAULT_WAIT, check_and_write, locked
from sapsmed.write.updates import current_plan, file_text
from sapsmed.yamlio.edit import Op, edit_text

# What an edit asks of the current plan: the operations per file, and what it says it did.
Build = Callable[[Plan], tuple[dict[Path, list[Op]], str]]


@dataclass(frozen=True)
class Edited:
    """A plan edit made (or, in a dry run, only checked)."""

    summary: str
    old: dict[Path, str]
    new: dict[Path, str]
    warnings: list[Problem]
    written: bool

    def diff(self) -> str:
        """The change as a unified diff of each file, as ``diff -u`` shows it."""
        out: list[str] = []
        for path, new in self.new.items():
            name = display_path(path).lstrip("/")  # a/tmp/plan/x.yaml, as git writes it
            out += difflib.unified_diff(lines(self.old[path]), lines(new), f"a/{name}", f"b/{name}")
        return "".join(out)


def lines(text: str) -> list[str]:
    """``text`` cut at newlines only (U+2028 and other breaks stay inside their line)."""
    parts = [part + "\n" for part in text.split("\n")]
    parts[-1] = parts[-1][:-1]
    if not parts[-1]:
        parts.pop()
    elif text:
        parts[-1] += "\n\\ No newline at end of file\n"
    return parts


def apply_edit(
    root: Path,
    build: Build,
    dry_run: bool = False,
    wait: float = DEFAULT_WAIT,
    waiting: Callable[[str], None] | None = None,
) -> Edited:
    """Build the operations from the plan as it is now, carry them out, validate the plan
    with the new texts, and write them all (unless ``dry_run``); all under the plan's lock."""
    with locked(root, wait, waiting):
        plan = current_plan(root)
        ops, summary = build(plan)
        old = {path: file_text(root, path) for path in ops}
        new = {path: edit_text(path, old[path], ops[path]) for path in ops}
        new = {path: text for path, text in new.items() if text != old[path]}
        if not new:  # every value is already so: nothing checked, nothing written
            return Edited(summary, old, {}, [], False)
        warnings = check_and_write(root, new, dry_run=dry_run)
    return Edited(summary, old, new, warnings, not dry_run)


def by_file(*pairs: tuple[Path, Sequence[Op]]) -> dict[Path, list[Op]]:
    """Operations gathered per file, in the order given."""
    out: dict[Path, list[Op]] = {}
    for path, ops in pairs:
        out.setdefault(path, []).extend(ops)
    return out
