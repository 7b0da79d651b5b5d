"""A validated plan, remembered between runs so `status` and `show` skip re-validating.

The cached plan is keyed on the exact bytes of every plan file and on the sapsmed code itself,
so any edit (or upgrade) makes it miss and the plan is validated again in full. It lives in
the user's cache folder, never beside the plan; set SAPSMED_NO_CACHE=1 to turn it off.
`validate` never reads it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path

from sapsmed.base.problems import Problem
from sapsmed.domain.plan import Plan
from sapsmed.validate.planfiles import (
    FileProblem,
    content_digest,
    files_key,
    list_plan,
    read_plan_file,
)

FORMAT = b"sapsmed-cache-1"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "sapsmed"


def fingerprint(root: Path) -> str:
    """A digest of the plan's files (names and bytes) and of the sapsmed modules (stat)."""
    listing = list_plan(root)
    digests = {}
    for _, path in listing.files:
        try:
            digests[path] = content_digest(read_plan_file(root, path))
        except FileProblem as exc:  # read by validate, which reports it
            digests[path] = f"unreadable {exc.code}"
    return with_code(files_key(root, listing.problems, digests))


def with_code(files: str) -> str:
    """A key of the plan's files joined with the state of sapsmed's own modules: a new
    version validates again."""
    digest = hashlib.blake2b(FORMAT + files.encode(), digest_size=20)
    package = Path(__file__).resolve().parents[1]
    for module in sorted(package.rglob("*.py")):
        stat = module.stat()
        digest.update(f"{module.relative_to(package)}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()


def load(root: Path) -> tuple[Plan | None, list[Problem]]:
    """The plan in ``root`` and its problems: from the cache when the files are unchanged."""
    if os.environ.get("SAPSMED_NO_CACHE"):
        return _validate(root)
    key, location = fingerprint(root), _location(root)
    try:
        blob = location.read_bytes()
        if blob.startswith(key.encode() + b"\n"):
            return Plan.from_cache(root, marshal.loads(blob[len(key) + 1 :])), []
            # (warnings found when the plan was cached are not repeated: `validate` shows them)
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass  # no cached plan, or a damaged one: validate and write a new one
    from sapsmed.validate.validation import validate  # pydantic and the checks only now

    result = validate(root)
    plan, problems = result.plan, result.problems
    if plan is not None:  # no errors (warnings are no reason to validate again)
        key = with_code(result.key)  # the files as validated, should they have changed since
        _write(location, key.encode() + b"\n" + marshal.dumps(plan.to_cache()))
    return plan, problems


def save(root: Path, plan: Plan, files: str) -> None:
    """Remember a plan just validated (with no problem) as the cached plan of ``root``;
    ``files`` is the validation's key of the files it read (``Result.key``), so nothing is
    read again."""
    if not os.environ.get("SAPSMED_NO_CACHE"):
        key = with_code(files)
        _write(_location(root), key.encode() + b"\n" + marshal.dumps(plan.to_cache()))


def _location(root: Path) -> Path:
    name = hashlib.blake2b(os.fsencode(root.resolve()), digest_size=12).hexdigest()
    return cache_dir() / f"{name}.plan-cache"


def _validate(root: Path) -> tuple[Plan | None, list[Problem]]:
    from sapsmed.validate.validation import validate  # pydantic and the checks only when needed

    result = validate(root)
    return result.plan, result.problems


def _write(location: Path, blob: bytes) -> None:
    """Write atomically; a cache that cannot be written is simply not used."""
    try:
        location.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=location.parent, prefix=".plan-cache-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, location)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
