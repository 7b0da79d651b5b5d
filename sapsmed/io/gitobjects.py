"""Git at the level of objects: running git, naming revisions safely, and reading commits,
trees and blobs through one ``git cat-file --batch`` process (tree entries parsed as bytes)."""

from __future__ import annotations

import contextlib
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sapsmed.base.errors import SapsmedError
from sapsmed.base.problems import display_path

TREE, LINK, SUBMODULE = b"40000", b"120000", b"160000"


class GitError(SapsmedError):
    """git failed, a revision is unknown, or there is no plan at a revision (exit 1)."""


class GitUsageError(GitError):
    """The command cannot run: not a revision, not in a repository, no commits (exit 2)."""

    exit_code = 2


class NoPlan(GitError):
    """The plan folder, or its plan.yaml, is not in a revision."""


def git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitUsageError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout.decode("utf-8", "replace")


def toplevel(root: Path) -> Path:
    """The work tree holding ``root``; exit 2 with one line when there is none."""
    try:
        out = git(root, "rev-parse", "--show-toplevel")
    except GitError:
        raise GitUsageError(f"{display_path(root)} is not in a git work tree") from None
    return Path(out.rstrip("\n"))


def check_revision(revision: str) -> None:
    """Refuse what git could take for an option or a second argument, before git runs."""
    if (
        not revision
        or revision.startswith("-")
        or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in revision)
    ):
        raise GitUsageError(
            f"{revision!r} is not a revision (it may not start with '-' or "
            "hold spaces or control characters)"
        )


def has_commits(repo: Path) -> bool:
    if git(repo, "for-each-ref", "--count=1", "--format=x").strip():
        return True
    with contextlib.suppress(GitError):
        return bool(git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"))
    return False


def resolve(repo: Path, revision: str) -> str:
    """The commit a revision names, as a full hash."""
    check_revision(revision)
    try:
        return git(
            repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
        ).strip()
    except GitError:  # (if git cannot run at all, has_commits says so: exit 2)
        if not has_commits(repo):
            raise GitUsageError("the git repository has no commits yet") from None
        raise GitError(
            f"unknown revision {revision!r}: no commit of this repository has that name"
        ) from None


def default_base(repo: Path) -> str:
    """The merge-base of HEAD with the default branch (origin's HEAD, else main or master)."""
    candidates = []
    with contextlib.suppress(GitError):
        candidates.append(
            git(repo, "symbolic-ref", "--short", "-q", "refs/remotes/origin/HEAD").strip()
        )
    candidates += ["origin/main", "main", "origin/master", "master"]
    for branch in candidates:
        try:
            return git(repo, "merge-base", "--end-of-options", "HEAD", branch).strip()
        except GitError:
            continue
    return "HEAD"


def label(revision: str) -> str:
    """A revision as shown to people: a full hash shortened to 12 characters."""
    return revision[:12] if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", revision) else revision


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str
    author: str
    subject: str


@dataclass(frozen=True)
class Entry:
    mode: bytes
    sha: str


class ObjectReader:
    """One ``git cat-file --batch`` process, asked for one object at a time."""

    def __init__(self, repo: Path) -> None:
        try:
            self.proc = subprocess.Popen(
                ["git", "-C", str(repo), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise GitUsageError(f"cannot run git: {exc}") from None

    def read(self, sha: str, limit: int | None = None) -> tuple[str, int, bytes | None]:
        """An object's type, size and content; content None when over ``limit`` bytes (the
        object is then passed over, never held in memory)."""
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(sha.encode("ascii") + b"\n")
            stdin.flush()
        except OSError:
            raise GitError("git cat-file stopped unexpectedly") from None
        header = stdout.readline()
        parts = header.split()
        if not header.endswith(b"\n") or len(parts) != 3 or not parts[2].isdigit():
            raise GitError(f"git cannot read object {sha}")
        kind, size = parts[1].decode("ascii", "replace"), int(parts[2])
        keep, chunks, left = limit is None or size <= limit, [], size + 1  # content + LF
        while left:
            chunk = stdout.read(min(left, 1 << 20))
            if not chunk:
                raise GitError("git cat-file stopped unexpectedly")
            left -= len(chunk)
            if keep:
                chunks.append(chunk)
        return kind, size, b"".join(chunks)[:-1] if keep else None

    def close(self) -> None:
        try:
            self.proc.communicate(timeout=10)  # closes stdin; git ends; stdout is drained
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.communicate()


def tree_entries(data: bytes, hash_bytes: int) -> Iterator[tuple[bytes, bytes, str]]:
    """A raw tree object's entries: ``<mode> <name>\\0<hash>`` as (mode, name, hex hash)."""
    at = 0
    while at < len(data):
        space = data.find(b" ", at)
        nul = data.find(b"\0", space + 1)
        end = nul + 1 + hash_bytes
        if (
            space <= at
            or nul < 0
            or end > len(data)
            or space - at > 7
            or data[at:space].strip(b"01234567")
        ):
            raise GitError("a malformed tree object")
        mode = b"%o" % int(data[at:space], 8)  # as git writes it: 40000, not 040000
        yield mode, data[space + 1 : nul], data[nul + 1 : end].hex()
        at = end


def shown(name: bytes) -> str:
    """A tree entry's name as safe text: quoted, control characters and bad bytes escaped."""
    try:
        return repr(name.decode("utf-8"))
    except UnicodeDecodeError:
        return repr(name)[1:]


def file_name(name: bytes) -> str | None:
    """A tree entry's name as a plan file may be named; None if it cannot be one."""
    if (
        name in (b"", b".", b"..")
        or name.lower() == b".git"
        or b"/" in name
        or any(c < 32 or c == 127 for c in name)
    ):
        return None
    try:
        return name.decode("utf-8")
    except UnicodeDecodeError:
        return None
