"""The plan as it was at a git revision, read from git's objects in memory.

Nothing is written to disk and nothing of the working tree is read for a revision: one
``git cat-file --batch`` process hands over commits, trees and blobs; trees are parsed here,
so names are exact bytes; blobs go to the loader ``validate`` uses, under virtual paths. A
tree entry's name is compared and shown, never used as a path (``..``, ``.git``, a slash...
are ``F-GIT-NAME`` problems); links and submodules are not followed; no blob over
:data:`planfiles.MAX_FILE_BYTES` is read.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sapsmed.base.errors import SapsmedError
from sapsmed.base.problems import ERROR, Problem, display_path
from sapsmed.domain.plan import Plan
from sapsmed.validate.planfiles import FOLDERS, MAX_FILE_BYTES, TOP_FILES, FileProblem, Listing
from sapsmed.yamlio.parse import Document

WORKTREE = "WORKTREE"  # the files on disk, edits included
TREE, LINK, SUBMODULE = b"40000", b"120000", b"160000"
NOT_FILES = {
    LINK: ("F-LINK", "a symbolic link; not followed"),
    SUBMODULE: ("F-NOT-FILE", "not a regular file (a submodule); not read"),
    TREE: ("F-NOT-FILE", "not a regular file (a folder); not read"),
}
MAX_IGNORED = 20  # YAML files reported below a subfolder of goals/ or readings/
MAX_TREES = 200  # trees walked when looking for them (a crafted tree may repeat subtrees)


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


@dataclass
class Snapshot:
    """A plan at a revision: problems, data (with errors: as far as it could be read)."""

    revision: str
    plan: Plan | None
    problems: list[Problem]

    @property
    def errors(self) -> int:
        return sum(p.severity == ERROR for p in self.problems)


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


@dataclass
class Revisions:
    """The plan folder ``root`` at any revision of its repository; one ``git cat-file``
    process serves every revision read (close it, or use ``with``)."""

    root: Path
    _repo: Path | None = None
    _reader: ObjectReader | None = None
    _hash_bytes: int = 20
    _documents: dict[tuple[Path, bytes], Document] = field(default_factory=dict)

    def __enter__(self) -> Revisions:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    @property
    def repo(self) -> Path:
        if self._repo is None:
            self._repo = toplevel(self.root)
        return self._repo

    @property
    def prefix(self) -> list[bytes]:
        """The plan folder's path in the repository, as tree entry names."""
        try:
            inner = self.root.resolve().relative_to(self.repo.resolve())
        except ValueError:
            raise GitUsageError(
                f"{display_path(self.root)} is not inside the git work tree "
                f"{display_path(self.repo)}"
            ) from None
        return [os.fsencode(part) for part in inner.parts]

    def default_base(self) -> str:
        return default_base(self.repo)

    def commits(self) -> list[Commit]:
        """Commits that touched the plan folder, oldest first."""
        if not has_commits(self.repo):
            raise GitUsageError("the git repository has no commits yet")
        where = os.fsdecode(b"/".join(self.prefix)) or "."
        out = git(
            self.repo,
            "--literal-pathspecs",
            "log",
            "-z",
            "--reverse",
            "--format=%H%x1f%ad%x1f%an%x1f%s",
            "--date=short",
            "--",
            where,
        )
        return [Commit(*record.split("\x1f", 3)) for record in out.split("\0") if record]

    def snapshot(self, revision: str, sha: str | None = None) -> Snapshot:
        """The plan at ``revision`` (or on disk: :data:`WORKTREE`), validated; ``sha`` is
        the commit when it is known already (from :meth:`commits`)."""
        from sapsmed.validate.validation import validate

        if revision == WORKTREE:
            result = validate(self.root, partial=True)
            return Snapshot(revision, result.plan, result.problems)
        sha = sha or resolve(self.repo, revision)
        self._hash_bytes = len(sha) // 2
        listing, blobs = self.plan_files(self.plan_tree(sha, revision))
        result = validate(
            self.root, listing=listing, overrides=blobs, partial=True, documents=self._documents
        )
        kept = {(path, blob) for path, blob in blobs.items() if isinstance(blob, bytes)}
        self._documents = {k: d for k, d in self._documents.items() if k in kept}
        return Snapshot(label(revision), result.plan, result.problems)

    def _read(self, sha: str, limit: int | None = None) -> tuple[str, int, bytes | None]:
        if self._reader is None:
            self._reader = ObjectReader(self.repo)
        return self._reader.read(sha, limit)

    def _tree(self, sha: str) -> list[tuple[bytes, bytes, str]]:
        kind, _, data = self._read(sha)
        if kind != "tree" or data is None:
            raise GitError(f"object {sha} is a {kind}, not a tree")
        return list(tree_entries(data, self._hash_bytes))

    def plan_tree(self, commit: str, revision: str) -> str:
        """The tree of the plan folder in a commit."""
        kind, _, data = self._read(commit)
        if kind != "commit" or data is None or not data.startswith(b"tree ") or b"\n" not in data:
            raise GitError(f"{revision} is not a commit")
        tree = data[5 : data.index(b"\n")].decode("ascii", "replace")
        where = os.fsdecode(b"/".join(self.prefix)) or "."
        for part in self.prefix:
            found = [sha for mode, name, sha in self._tree(tree) if name == part and mode == TREE]
            if not found:
                raise NoPlan(f"there is no plan in {where} at {revision}")
            tree = found[0]
        if not any(name == b"plan.yaml" for _, name, _ in self._tree(tree)):
            raise NoPlan(f"there is no plan in {where} at {revision}")
        return tree

    def entries(self, tree: str, folder: Path, listing: Listing) -> dict[str, Entry]:
        """A plan folder's entries by name; a name that cannot be a file's is a problem."""
        out: dict[str, Entry] = {}
        for mode, raw, sha in self._tree(tree):
            name = file_name(raw)
            if name is None or name in out:
                why = (
                    f"a tree entry named {shown(raw)} cannot be a plan file; not read"
                    if name is None
                    else f"the tree names {shown(raw)} twice; the first is read"
                )  # the folder is named: the name is no path
                listing.problems.append(Problem(display_path(folder), 1, 1, "F-GIT-NAME", why))
            else:
                out[name] = Entry(mode, sha)
        return out

    def plan_files(self, tree: str) -> tuple[Listing, dict[Path, bytes | FileProblem]]:
        """The listing of the plan folder's files at a revision, and their contents (or why
        one cannot be read), under virtual paths in ``root``: nothing is written."""
        listing = Listing(self.root)
        blobs: dict[Path, bytes | FileProblem] = {}
        top = self.entries(tree, self.root, listing)
        for kind, name in TOP_FILES:
            if name in top:
                self.add_file(kind, self.root / name, top[name], listing, blobs)
        for kind, folder_name in FOLDERS:
            folder = self.root / folder_name
            entry = top.get(folder_name)
            if entry is None:
                continue
            if entry.mode != TREE:
                code, what = (
                    ("F-LINK", "a symbolic link; not followed")
                    if entry.mode == LINK
                    else ("F-NOT-FILE", f"{folder_name} must be a folder")
                )
                listing.problems.append(Problem.at(folder, 1, 1, code, what))
                continue
            for name, inner in sorted(self.entries(entry.sha, folder, listing).items()):
                if name.endswith(".yaml"):
                    self.add_file(kind, folder / name, inner, listing, blobs)
                elif inner.mode == TREE:
                    self.ignored(inner.sha, folder / name, listing)
        return listing, blobs

    def add_file(
        self,
        kind: str,
        path: Path,
        entry: Entry,
        listing: Listing,
        blobs: dict[Path, bytes | FileProblem],
    ) -> None:
        listing.files.append((kind, path))
        if entry.mode in NOT_FILES:
            blobs[path] = FileProblem(*NOT_FILES[entry.mode])
            return
        what, size, data = self._read(entry.sha, MAX_FILE_BYTES)
        if data is None:
            blobs[path] = FileProblem(
                "F-TOO-LARGE",
                f"{size:,} bytes is over the "
                f"{MAX_FILE_BYTES // 2**20} MiB a plan file may hold; "
                "not read",
            )
        else:
            blobs[path] = (
                data
                if what == "blob"
                else FileProblem("F-NOT-FILE", f"not a regular file (a {what}); not read")
            )

    def ignored(self, tree: str, folder: Path, listing: Listing) -> None:
        """Warn of YAML files below a subfolder of goals/ or readings/ (never read)."""
        found: list[Path] = []
        stack, walked = [(tree, folder)], 0
        while stack and len(found) <= MAX_IGNORED and walked < MAX_TREES:
            sha, where = stack.pop()
            walked += 1
            for mode, raw, inner in sorted(self._tree(sha), key=lambda e: e[1], reverse=True):
                name = file_name(raw)
                if name is None:
                    continue
                if mode == TREE:
                    stack.append((inner, where / name))
                elif name.endswith(".yaml"):
                    found.append(where / name)
        for path in sorted(found)[:MAX_IGNORED]:
            listing.problems.append(
                Problem.at(
                    path,
                    1,
                    1,
                    "F-IGNORED",
                    "not read: plan files live in plan.yaml, "
                    "countries.yaml, kpis.yaml, goals/*.yaml and readings/*.yaml (no subfolders)",
                )
            )


def plan_at(root: Path, revision: str) -> Snapshot:
    """The plan in ``root`` as it was at ``revision`` (or on disk: :data:`WORKTREE`)."""
    with Revisions(root) as revisions:
        return revisions.snapshot(revision)
