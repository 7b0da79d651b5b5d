"""One checked way to change plan files: locked, validated, written all at once.

Edits to one plan are serialised by an advisory lock on its folder; a wait longer than a
second says who holds it, and :data:`DEFAULT_WAIT` seconds bound it. The whole plan is
validated with the new texts before anything is written. Each file is written to a
temporary file beside its target, synced, then renamed over it: readers see the old file or
the new one. A symbolic link (inside the plan) is written through and stays a link, a
file's mode is kept, a read-only file is refused before anything is written, and temporary
files are removed on every exit path, SIGTERM and SIGINT included.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sapsmed.base.errors import SapsmedError
from sapsmed.base.problems import Problem, display_path, has_errors
from sapsmed.validate.planfiles import FileProblem, inside_target
from sapsmed.yamlio.edit import EditRefused

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, edits are not serialised
    fcntl = None  # type: ignore[assignment]

DEFAULT_WAIT = 30.0  # seconds an edit waits for another one to finish
TOLD_AFTER = 1.0  # seconds of waiting before saying who holds the lock


class LockTimeout(SapsmedError):
    """Another edit held the plan for longer than the wait allowed."""


@contextlib.contextmanager
def locked(
    root: Path, wait: float = DEFAULT_WAIT, waiting: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the plan's edit lock; SIGTERM raises SystemExit meanwhile, so cleanups run."""
    with terminate_raises():
        if fcntl is None:  # pragma: no cover
            yield
            return
        fd = os.open(root, os.O_RDONLY)
        try:
            _acquire(fd, wait, waiting)
            yield
        finally:
            os.close(fd)  # closing releases the lock


def _acquire(fd: int, wait: float, waiting: Callable[[str], None] | None) -> None:
    start = time.monotonic()
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waited = time.monotonic() - start
        if waited >= wait:
            raise LockTimeout(
                f"the plan is being edited by {holder(fd)}; gave up after "
                f"{wait:g} s (--wait); nothing was written"
            )
        if not told and waited >= TOLD_AFTER and waiting is not None:
            waiting(
                f"waiting for {holder(fd)} to finish its edit of the plan (up to "
                f"{wait:g} s, --wait)"
            )
            told = True
        time.sleep(min(0.05, max(0.0, wait - waited)))


def holder(fd: int) -> str:
    """Who holds the flock on ``fd``'s file, from /proc/locks (Linux), as words."""
    info = os.fstat(fd)
    wanted = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    with contextlib.suppress(OSError):
        for row in Path("/proc/locks").read_text().splitlines():
            fields = row.split()
            if "->" in fields or len(fields) < 6 or fields[1] != "FLOCK":
                continue
            if fields[5] == wanted and fields[4] != str(os.getpid()):
                return f"process {fields[4]} ({command_of(fields[4])})"
    return "another process"


def command_of(pid: str) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "gone"
    words = [w.decode(errors="replace") for w in raw.split(b"\0") if w]
    words = [os.path.basename(words[0])] + words[1:] if words else []
    shown = " ".join(words)
    return "".join(c if c.isprintable() else "?" for c in shown)[:120] or "?"


@contextlib.contextmanager
def terminate_raises() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into SystemExit for the duration, so `finally` runs."""

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    saved = {}
    try:
        for sig in (signal.SIGTERM, signal.SIGHUP):
            saved[sig] = signal.signal(sig, stop)
    except ValueError:  # not the main thread: signals cannot be caught here
        pass
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def check_and_write(
    root: Path, texts: dict[Path, str], as_of: date | None = None, dry_run: bool = False
) -> list[Problem]:
    """Validate the plan with the new ``texts`` of some files; write them only if nothing
    is wrong (and this is no ``dry_run``), all at once.

    Returns the warnings; raises :class:`EditRefused` with the errors."""
    from sapsmed.validate.validation import validate

    result = validate(root, as_of=as_of, overrides=dict(texts))
    if has_errors(result.problems):
        raise EditRefused(result.problems)
    if dry_run:
        return result.problems
    write_files(root, texts, make_folders=True)
    if result.plan is not None:
        from sapsmed.validate import cache

        cache.save(root, result.plan, result.key)  # the next command starts from the edit
    return result.problems


def write_files(root: Path, texts: dict[Path, str], make_folders: bool = False) -> None:
    """Write every file or none: each to a synced temporary file first, then all renamed
    with termination signals held back, so a SIGTERM cannot land between two renames.

    With ``make_folders``, a missing folder inside ``root`` is made (a plan's first
    readings file); otherwise it is an error."""
    targets = {path: _target(root, path) for path in texts}
    made = [
        folder
        for folder in sorted({t.parent for t in targets.values()})
        if make_folders and not folder.exists()
    ]
    staged: list[tuple[str, Path, Path]] = []
    backups: dict[Path, str | None] = {}  # target -> a copy of what it held (None: new file)
    done: list[Path] = []
    current = root
    try:
        for folder in made:
            current = folder
            folder.mkdir(parents=True)
        for path, text in texts.items():
            current = path
            staged.append((_stage(targets[path], text), targets[path], path))
            backups[targets[path]] = _backup(targets[path])
        with signals_held():
            for tmp, target, path in staged:
                current = path
                os.replace(tmp, target)
                done.append(target)
        made = []
    except OSError as exc:
        kept = _restore(done, backups)  # the files already replaced get their bytes back
        raise SapsmedError(
            f"could not write {display_path(current)}: "
            f"{(exc.strerror or str(exc)).lower()}; "
            + (
                "nothing was written"
                if not kept
                else f"{', '.join(display_path(p) for p in kept)} could not be restored"
            )
        ) from None
    finally:
        for tmp, _, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        for backup in backups.values():
            if backup is not None:
                Path(backup).unlink(missing_ok=True)
        for folder in reversed(made):  # folders made for files that were not written
            with contextlib.suppress(OSError):
                folder.rmdir()


def _backup(target: Path) -> str | None:
    """A hard link to the file as it is (a copy where links are not possible), beside it;
    None for a file that does not exist yet."""
    if not target.exists():
        return None
    fd, backup = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old")
    os.close(fd)
    try:
        os.unlink(backup)
        try:
            os.link(target, backup)
        except OSError:
            shutil.copy2(target, backup)
    except BaseException:
        Path(backup).unlink(missing_ok=True)
        raise
    return backup


def _restore(done: list[Path], backups: dict[Path, str | None]) -> list[Path]:
    """Put back the files already replaced (a new one is removed); those that could not be."""
    failed = []
    for target in reversed(done):
        backup = backups.get(target)
        try:
            if backup is None:
                target.unlink()
            else:
                os.replace(backup, target)
                backups[target] = None
        except OSError:
            failed.append(target)
    return failed


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold back SIGTERM, SIGINT and SIGHUP; they are delivered when the block ends."""
    held = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _target(root: Path, path: Path) -> Path:
    """The file to replace for ``path``: itself or, through symbolic links, a file inside the
    plan folder; never outside it, never read-only. A missing folder inside the plan (a
    first readings file) is made."""
    home = Path(os.path.realpath(root))
    try:
        target = inside_target(root, path) if os.path.lexists(path) else path
    except FileProblem as exc:
        raise SapsmedError(f"{display_path(path)}: {exc.message}; nothing was written") from None
    where = Path(os.path.realpath(target.parent))
    if where != home and home not in where.parents:
        raise SapsmedError(
            f"{display_path(path)}: its folder leads outside the plan folder "
            "(a symbolic link); nothing was written"
        )
    target = where / target.name
    with contextlib.suppress(FileNotFoundError):
        mode = os.stat(target).st_mode
        if not stat.S_ISREG(mode):
            raise SapsmedError(f"{display_path(path)} is not a regular file; nothing was written")
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise SapsmedError(
                f"{display_path(path)} is read-only; make it writable to "
                "edit it (nothing was written)"
            )
    return target


def _stage(target: Path, text: str) -> str:
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
