"""The one Jinja2 environment every page and chart is rendered with.

Autoescaping is on for every template, and every value a template prints first goes through
:func:`inert`: plan text is shown as text, whatever it holds (markup, a script, an attribute
that closes its quotes, a bidi control that reorders what follows). A template cannot opt
out: there is no ``|safe`` on plan text (tests/test_site_hostile.py)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from sapsmed.base.safetext import terminal


def inert(value: Any) -> Any:
    """What ``{{ value }}`` prints, before autoescaping: text with its control characters,
    bidi controls and separators shown as escapes (as on a terminal); markup a template or
    macro made itself is left alone (it is already escaped)."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return terminal(value)
    if value is None:
        return ""
    return value


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("sapsmed.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=inert,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
