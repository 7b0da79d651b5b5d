"""The files a plan folder consists of, found and opened without trusting the folder.

A plan folder comes from many hands (clones, pull requests, unpacked archives), so nothing in
it is opened on its name alone: a symbolic link is followed only to a file inside the plan
folder, anything but a regular file (a FIFO, a socket, a device, a folder) named ``*.yaml``
is reported and never opened, a file over :data:`MAX_FILE_BYTES` is reported rather than
read, and an unreadable file or folder is a problem naming it, not a crash. This module is
the one place that says which files make up a plan: validation, the cache's key,
the file count and the edits all use :func:`list_plan`.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sapsmed.base.problems import Problem

MAX_FILE_BYTES = 64 * 1024 * 1024  # the largest plan file read (100,000 readings: ~8 MB)
TOP_FILES = (("plan", "plan.yaml"), ("countries", "countries.yaml"), ("kpis", "kpis.yaml"))
FOLDERS = (("goal", "goals"), ("readings", "readings"))


class FileProblem(Exception):
    """A plan file that cannot be read as one: its rule code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class Listing:
    """The plan's files in reading order, and what stands in the folder that is not one."""

    root: Path
    files: list[tuple[str, Path]] = field(default_factory=list)  # (kind, path)
    problems: list[Problem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.files)


def list_plan(root: Path) -> Listing:
    """Every file of the plan in ``root``: the three top files, goals/*.yaml, readings/*.yaml.

    Entries are listed, not opened; :func:`read_plan_file` checks each one when it is read.
    A YAML file where the layout reads none (``goals/sub/x.yaml``) is a warning."""
    listing = Listing(root)
    for kind, name in TOP_FILES:
        if os.path.lexists(root / name):
            listing.files.append((kind, root / name))
    for kind, folder in FOLDERS:
        for name in _entries(root / folder, listing):
            path = root / folder / name
            if name.endswith(".yaml"):
                listing.files.append((kind, path))
            elif _is_folder(path):
                _ignored(path, listing)
    return listing


def _entries(folder: Path, listing: Listing) -> list[str]:
    if not os.path.lexists(folder):
        return []
    try:
        return sorted(os.listdir(folder))
    except NotADirectoryError:
        listing.problems.append(
            Problem.at(folder, 1, 1, "F-NOT-FILE", f"{folder.name} must be a folder")
        )
    except OSError as exc:
        listing.problems.append(
            Problem.at(folder, 1, 1, "F-UNREADABLE", f"cannot read the folder: {_reason(exc)}")
        )
    return []


def _is_folder(path: Path) -> bool:
    return not path.is_symlink() and path.is_dir()


def _ignored(folder: Path, listing: Listing) -> None:
    """Warn of YAML files below a plan folder's subfolder: the layout never reads them."""
    found: list[Path] = []
    for parent, dirs, names in os.walk(folder):
        dirs.sort()
        found += [Path(parent) / n for n in sorted(names) if n.endswith(".yaml")]
        if len(found) > 20:
            break
    for path in found[:20]:
        listing.problems.append(
            Problem.at(
                path,
                1,
                1,
                "F-IGNORED",
                "not read: plan files live in plan.yaml, countries.yaml, "
                "kpis.yaml, goals/*.yaml and readings/*.yaml (no subfolders)",
            )
        )


def read_plan_file(root: Path, path: Path) -> bytes:
    """The bytes of one plan file, opened only if it is (or links to) a regular file inside
    the plan folder and is at most :data:`MAX_FILE_BYTES` long.

    Raises :class:`FileProblem` otherwise; never blocks on a FIFO or reads a device."""
    target = inside_target(root, path)
    try:  # look before opening: opening a FIFO, even without blocking, wakes its writer
        mode = os.stat(target).st_mode
    except OSError as exc:
        raise FileProblem("F-UNREADABLE", f"cannot read the file: {_reason(exc)}") from None
    if not stat.S_ISREG(mode):
        raise FileProblem("F-NOT-FILE", f"not a regular file ({_kind(mode)}); not read")
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # the target became a link since it was resolved
            raise FileProblem("F-LINK", "a symbolic link changed while it was read") from None
        if exc.errno == errno.ENXIO:  # a socket
            raise FileProblem("F-NOT-FILE", "not a regular file (a socket); not read") from None
        raise FileProblem("F-UNREADABLE", f"cannot read the file: {_reason(exc)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem("F-NOT-FILE", f"not a regular file ({_kind(info.st_mode)}); not read")
        if info.st_size > MAX_FILE_BYTES:
            raise FileProblem(
                "F-TOO-LARGE",
                f"{info.st_size:,} bytes is over the "
                f"{MAX_FILE_BYTES // 2**20} MiB a plan file may hold; not read",
            )
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > MAX_FILE_BYTES:  # it grew while being read
                raise FileProblem(
                    "F-TOO-LARGE",
                    f"over the {MAX_FILE_BYTES // 2**20} MiB a plan file may hold; not read",
                )
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem("F-UNREADABLE", f"cannot read the file: {_reason(exc)}") from None
    finally:
        os.close(fd)


def inside_target(root: Path, path: Path) -> Path:
    """``path`` with its symbolic links resolved, if that stays inside the plan folder.

    Raises :class:`FileProblem` for a link that dangles, loops or leads outside."""
    if not os.path.islink(path) and not any(os.path.islink(p) for p in _folders(root, path)):
        return path
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileProblem("F-LINK", "a symbolic link that loops; not read") from None
        if exc.errno == errno.ENOENT:
            raise FileProblem("F-LINK", "a symbolic link to nothing (dangling); not read") from None
        raise FileProblem("F-UNREADABLE", f"cannot resolve the link: {_reason(exc)}") from None
    home = Path(os.path.realpath(root))
    if target != home and home not in target.parents:
        raise FileProblem("F-LINK", "a symbolic link that leads outside the plan folder; not read")
    return target


def _folders(root: Path, path: Path) -> list[Path]:
    """The folders between the plan folder and ``path`` (goals/, readings/)."""
    try:
        inner = path.parent.relative_to(root)
    except ValueError:
        return []
    return [root / Path(*inner.parts[:i]) for i in range(1, len(inner.parts) + 1)]


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a file"


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def content_digest(raw: bytes | str) -> str:
    """A file's content in a few bytes; text (an edit's new text) counts as the UTF-8 bytes
    it is written as."""
    data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else raw
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def files_key(root: Path, listed: list[Problem], digests: Mapping[Path, str]) -> str:
    """One digest of a plan folder's files (names and contents) and of what its listing
    found (a link, a FIFO...), whichever order they were read in."""
    digest = hashlib.blake2b(b"sapsmed-files-1", digest_size=20)
    for problem in listed:
        digest.update(repr(problem).encode() + b"\0")
    for path in sorted(digests, key=lambda p: p.relative_to(root).as_posix()):
        name = f"{path.relative_to(root).as_posix()}\0{digests[path]}\0"
        digest.update(name.encode("utf-8", "surrogateescape"))  # a name may be any bytes
    return digest.hexdigest()
