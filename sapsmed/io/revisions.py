"""The plan as it was at a git revision, read from git's objects in memory.

Nothing is written to disk and nothing of the working tree is read for a revision: one
``git cat-file --batch`` process hands over commits, trees and blobs; trees are parsed here,
so names are exact bytes; blobs go to the loader ``validate`` uses, under virtual paths. A
tree entry's name is compared and shown, never used as a path (``..``, ``.git``, a slash...
are ``F-GIT-NAME`` problems); links and submodules are not followed; no blob over
:data:`planfiles.MAX_FILE_BYTES` is read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sapsmed.base.problems import ERROR, Problem, display_path
from sapsmed.domain.plan import Plan
from sapsmed.io.gitobjects import (
    LINK,
    SUBMODULE,
    TREE,
    Commit,
    Entry,
    GitError,
    GitUsageError,
    NoPlan,
    ObjectReader,
    default_base,
    file_name,
    git,
    has_commits,
    label,
    resolve,
    shown,
    toplevel,
    tree_entries,
)
from sapsmed.validate.planfiles import FOLDERS, MAX_FILE_BYTES, TOP_FILES, FileProblem, Listing
from sapsmed.yamlio.parse import Document

WORKTREE = "WORKTREE"  # the files on disk, edits included

NOT_FILES = {
    LINK: ("F-LINK", "a symbolic link; not followed"),
    SUBMODULE: ("F-NOT-FILE", "not a regular file (a submodule); not read"),
    TREE: ("F-NOT-FILE", "not a regular file (a folder); not read"),
}
MAX_IGNORED = 20  # YAML files reported below a subfolder of goals/ or readings/
MAX_TREES = 200  # trees walked when looking for them (a crafted tree may repeat subtrees)


@dataclass
class RevisionPlan:
    """A plan at a revision: problems, data (with errors: as far as it could be read)."""

    revision: str
    plan: Plan | None
    problems: list[Problem]

    @property
    def errors(self) -> int:
        return sum(p.severity == ERROR for p in self.problems)


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

    def plan_at(self, revision: str, sha: str | None = None) -> RevisionPlan:
        """The plan at ``revision`` (or on disk: :data:`WORKTREE`), validated; ``sha`` is
        the commit when it is known already (from :meth:`commits`)."""
        from sapsmed.validate.validation import validate

        if revision == WORKTREE:
            result = validate(self.root, partial=True)
            return RevisionPlan(revision, result.plan, result.problems)
        sha = sha or resolve(self.repo, revision)
        self._hash_bytes = len(sha) // 2
        listing, blobs = self.plan_files(self.plan_tree(sha, revision))
        result = validate(
            self.root, listing=listing, overrides=blobs, partial=True, documents=self._documents
        )
        kept = {(path, blob) for path, blob in blobs.items() if isinstance(blob, bytes)}
        self._documents = {k: d for k, d in self._documents.items() if k in kept}
        return RevisionPlan(label(revision), result.plan, result.problems)

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


def plan_at(root: Path, revision: str) -> RevisionPlan:
    """The plan in ``root`` as it was at ``revision`` (or on disk: :data:`WORKTREE`)."""
    with Revisions(root) as revisions:
        return revisions.plan_at(revision)
