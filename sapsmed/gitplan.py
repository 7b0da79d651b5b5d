"""The plan as it was at a git revision, read with git itself (no checkout is touched)."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import SapsmedError
from .plan import Plan
from .problems import Problem

WORKTREE = "WORKTREE"  # the files on disk, edits included


class GitError(SapsmedError):
    """git failed or the plan is not in a git repository."""


def git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                              timeout=60)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def toplevel(root: Path) -> Path:
    return Path(git(root, "rev-parse", "--show-toplevel").strip())


def default_base(repo: Path) -> str:
    """The merge-base of HEAD with the default branch (origin's HEAD, else main or master)."""
    candidates = []
    with contextlib.suppress(GitError):
        candidates.append(git(repo, "symbolic-ref", "--short",
                              "refs/remotes/origin/HEAD").strip())
    candidates += ["origin/main", "main", "origin/master", "master"]
    for branch in candidates:
        try:
            return git(repo, "merge-base", "HEAD", branch).strip()
        except GitError:
            continue
    return "HEAD"


def label(revision: str) -> str:
    """A revision as shown to people: a full hash shortened to 12 characters."""
    return revision[:12] if re.fullmatch(r"[0-9a-f]{40}", revision) else revision


@dataclass
class Snapshot:
    """A plan at one revision: its data (None if invalid), problems, and raw file values."""

    revision: str
    plan: Plan | None
    problems: list[Problem]
    files: dict[str, object]  # path inside the plan folder -> parsed YAML (None if unreadable)


def plan_at(root: Path, revision: str) -> Snapshot:
    """Load and validate the plan in ``root`` as it was at ``revision`` (or on disk)."""
    from .planfiles import list_plan
    from .validation import validate

    if revision == WORKTREE:
        folder, temp = root, None
    else:
        repo = toplevel(root)
        prefix = root.resolve().relative_to(repo.resolve()).as_posix()
        names = git(repo, "ls-tree", "-r", "--name-only", revision, "--", prefix).splitlines()
        temp = Path(tempfile.mkdtemp(prefix="sapsmed-rev-"))
        folder = temp / root.name
        names = [n for n in names if n.endswith(".yaml")]
        for name, blob in zip(names, blobs(repo, revision, names), strict=True):
            target = folder / Path(name).relative_to(prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
        if not (folder / "plan.yaml").exists():
            shutil.rmtree(temp)
            raise GitError(f"there is no plan in {prefix or '.'} at {revision}")
    try:
        result = validate(folder)
        files: dict[str, object] = {  # as validate read them; None for an unreadable file
            path.relative_to(folder).as_posix(): result.values.get(path)
            for _, path in list_plan(folder).files if path.is_file()}
        problems = [relocate(p, folder, root) for p in result.problems] if temp else \
            result.problems
        plan = result.plan
        if plan is not None:
            plan.root = root
        return Snapshot(label(revision), plan, problems, files)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


def blobs(repo: Path, revision: str, names: list[str]) -> list[bytes]:
    """The contents of several files at a revision, from one `git cat-file --batch`."""
    if not names:
        return []
    request = "".join(f"{revision}:{name}\n" for name in names).encode()
    done = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"], input=request,
                          capture_output=True, timeout=60)
    if done.returncode != 0:
        raise GitError(f"git cat-file: {done.stderr.decode().strip()}")
    out, data, at = [], done.stdout, 0
    for name in names:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        if len(header) != 3:
            raise GitError(f"git cat-file: {revision}:{name} is missing")
        size = int(header[2])
        out.append(data[end + 1:end + 1 + size])
        at = end + 1 + size + 1
    return out


def relocate(problem: Problem, folder: Path, root: Path) -> Problem:
    """A problem found in a temporary copy, named by the plan's own path."""
    from .problems import display_path

    try:
        inside = Path(problem.file).resolve().relative_to(folder.resolve())
    except ValueError:
        return problem
    return Problem(display_path(root / inside), problem.line, problem.column, problem.code,
                   problem.message, problem.path)


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str
    author: str
    subject: str


def commits(root: Path) -> list[Commit]:
    """Commits that touched the plan folder, oldest first."""
    repo = toplevel(root)
    prefix = root.resolve().relative_to(repo.resolve()).as_posix()
    out = git(repo, "log", "--reverse", "--format=%H%x1f%ad%x1f%an%x1f%s", "--date=short",
              "--", prefix or ".")
    return [Commit(*line.split("\x1f", 3)) for line in out.splitlines() if line]
