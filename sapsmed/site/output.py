"""The site's folder, written whole or not at all.

The pages are written into a new folder beside the target, then swapped in by renames, so
a reader (or a web server) sees the old site or the new one, and a page of an entity that
left the plan does not linger. Only a folder that is new, empty, or one that an earlier
``sapsmed site`` wrote is replaced: a folder holding anything else (a plan, a project, a
file sapsmed does not write, a link, a FIFO) is refused before anything is written, so
nothing of the user's is lost."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from sapsmed.base.errors import SapsmedError
from sapsmed.io.returns import current_umask
from sapsmed.write.transaction import signals_held, terminate_raises

MARKER = b'<meta name="generator" content="sapsmed">'
# What `sapsmed site` writes: the names an earlier site may hold, and the files a file manager
# leaves in a folder it showed (replaced with the rest).
OURS = re.compile(
    r"(index\.html|site\.css|sitemap\.xml|(goals|lines|kpis|countries)/[A-Za-z0-9_][A-Za-z0-9._-]*\.html"
    r"|((goals|lines|kpis|countries)/)?(\.DS_Store|Thumbs\.db|desktop\.ini))"
)
FOLDERS = ("goals", "lines", "kpis", "countries")
MAX_ENTRIES = 200_000  # a folder this large is not a site of ours


def refuse(target: Path, why: str) -> SapsmedError:
    return SapsmedError(f"{target}: {why}; nothing was written")


def check_replaceable(target: Path) -> None:
    """Refuse a target that is not a folder sapsmed may replace (see the module's text)."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise refuse(target, (exc.strerror or str(exc)).lower()) from None
    if stat.S_ISLNK(info.st_mode):
        raise refuse(target, "is a symbolic link; give the folder it points to")
    if not stat.S_ISDIR(info.st_mode):
        raise refuse(target, "is not a folder")
    seen = 0
    for folder, dirs, names in os.walk(target, onerror=_raise):
        here = Path(folder).relative_to(target).as_posix()
        for name in sorted(dirs):
            entry = Path(folder) / name
            if here != "." or name not in FOLDERS or os.path.islink(entry):
                raise _foreign(target, entry)
        for name in sorted(names):
            seen += 1
            entry = Path(folder) / name
            relative = entry.relative_to(target).as_posix()
            mode = os.lstat(entry).st_mode
            if not OURS.fullmatch(relative) or not stat.S_ISREG(mode) or seen > MAX_ENTRIES:
                raise _foreign(target, entry)
            if relative.endswith(".html") and not _marked(entry):  # a page of the user's
                raise refuse(
                    target,
                    f"holds {relative!r}, a page `sapsmed site` did not write; give a new or "
                    "empty folder, or one an earlier `sapsmed site` wrote",
                )
    if seen and not _marked(target / "index.html"):
        raise refuse(
            target,
            "is not empty and holds no site an earlier `sapsmed site` wrote; "
            "give a new or empty folder",
        )


def _raise(exc: OSError) -> None:
    raise SapsmedError(f"cannot read {exc.filename}: {(exc.strerror or str(exc)).lower()}")


def _foreign(target: Path, entry: Path) -> SapsmedError:
    return refuse(
        target,
        f"holds {entry.relative_to(target).as_posix()!r}, which `sapsmed site` does not "
        "write; give a new or empty folder, or one an earlier `sapsmed site` wrote",
    )


def _marked(index: Path) -> bool:
    try:
        with open(index, "rb") as f:
            return MARKER in f.read(4096)
    except OSError:
        return False


def write_site(target: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (relative paths to bytes) as the folder ``target``, replacing an
    earlier site there whole."""
    given = target
    target = Path(os.path.abspath(target))
    if target.parent == target:
        raise refuse(given, "is the root of the file system")
    here = Path(os.path.realpath(os.getcwd()))
    try:  # the folder's real place: "link/../site" is where the link leads, as for a shell
        parent = Path(os.path.realpath(target.parent))
    except OSError as exc:
        raise refuse(given, (exc.strerror or str(exc)).lower()) from None
    target = parent / target.name
    if target == here or target in here.parents:
        raise refuse(given, "is the current folder or holds it; give a folder inside it")
    check_replaceable(target)
    with terminate_raises():  # SIGTERM and SIGHUP end the write through the cleanup below
        try:
            parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".sapsmed-site.", suffix=".new", dir=parent))
        except OSError as exc:
            raise refuse(given, (exc.strerror or str(exc)).lower()) from None
        try:
            _fill(staging, files)
            with signals_held():
                _swap(staging, target)
        except OSError as exc:
            if exc.errno == errno.EBUSY:
                raise refuse(
                    given,
                    "is a mount point or in use, so it cannot be replaced whole; "
                    "give a folder inside it",
                ) from None
            raise refuse(given, (exc.strerror or str(exc)).lower()) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _fill(staging: Path, files: dict[str, bytes]) -> None:
    mask = current_umask()
    os.chmod(staging, 0o777 & ~mask)
    for relative, data in sorted(files.items()):
        assert OURS.fullmatch(relative) and relative.endswith((".html", ".css", ".xml"))
        path = staging / relative
        path.parent.mkdir(mode=0o777 & ~mask, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 & ~mask)
        with os.fdopen(fd, "wb") as f:
            f.write(data)


def _swap(staging: Path, target: Path) -> None:
    """The new folder in place of the old: two renames, the old one back if the second
    fails, then the old one removed."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        return
    old = Path(tempfile.mkdtemp(prefix=".sapsmed-site.", suffix=".old", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(old, target)
        raise
    with contextlib.suppress(OSError):
        shutil.rmtree(old)
