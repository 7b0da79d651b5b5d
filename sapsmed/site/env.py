"""The one Jinja2 environment every page and chart is rendered with.

Autoescaping is on for every template, and every value a template prints first goes through
:func:`inert`: plan text is shown as text, whatever it holds (markup, a script, an attribute
that closes its quotes, a bidi control that reorders what follows). A template cannot opt
out: there is no ``|safe`` on plan text (tests/test_site_hostile.py)."""

from __future__ import annotations

import os
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup

from sapsmed.base.safetext import terminal
from sapsmed.validate.cache import cache_dir


def inert(value: Any) -> Any:
    """What ``{{ value }}`` prints, before autoescaping: text with its control characters,
    bidi controls and separators shown as escapes (as on a terminal); markup a template or
    macro made itself is left alone (it is already escaped)."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return _inert_text(value)
    if value is None:
        return ""
    return value


def bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates kept in the user's cache folder (beside the validated plans,
    :mod:`sapsmed.validate.cache`), keyed on each template's text: compiling them is most
    of the time a small site takes. Off with SAPSMED_NO_CACHE=1, or where no folder can be
    made."""
    if os.environ.get("SAPSMED_NO_CACHE"):
        return None
    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


@lru_cache(maxsize=1 << 16)
def _inert_text(text: str) -> str:
    return terminal(text)  # the same codes, sources and names come back on every row


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("sapsmed.site", "templates"),
        bytecode_cache=bytecode_cache(),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=inert,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
