"""What git knows about the plan: the commit it is at (for reports)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def plan_commit(root: Path) -> str | None:
    """The short commit of the repository holding ``root``, marked if the plan has edits."""
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = head.stdout.strip()
    return f"{commit} (with uncommitted changes)" if dirty.stdout.strip() else commit
