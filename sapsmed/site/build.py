"""Every page of the site rendered: a mapping of paths (relative to the site's root) to the
bytes of each file. Nothing here writes; :mod:`sapsmed.site.output` does.

The same plan, as-of date, commit and base URL give the same bytes: nothing reads the clock,
the environment or the order of a set."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from sapsmed.base.errors import SapsmedError
from sapsmed.domain.plan import Plan
from sapsmed.domain.vocabulary import METHODS
from sapsmed.render.kpisection import verdict
from sapsmed.render.text import fmt_value
from sapsmed.site.env import environment
from sapsmed.site.pages import Page, Site, pages, path

STYLESHEET = "site.css"
METHOD_NAMES = {"statcan": "Statistics Canada (Open SDG)", "unsd": "UN SDG progress chart"}


def number(value: float | None, decimals: int | None = None) -> str:
    return "–" if value is None else fmt_value(value, decimals)


def percent(value: float | None) -> str:
    """A percent complete (0 to 100)."""
    return "–" if value is None else f"{fmt_value(value, 1)}%"


def pct(value: float | None) -> str:
    """A share (0 to 1) as a percent: a rate."""
    return "–" if value is None else f"{100 * value:.1f}%"


def signed_pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:+.2f}%"


def fixed(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def verdict_numbers(a: dict[str, Any], decimals: int | None) -> str:
    """The numbers a verdict rests on (the text `report` prints after the verdict)."""
    text = verdict(a, decimals)
    return text[len(a["status"]) :].strip(" ()")


def base_url(value: str | None) -> str | None:
    """``--base-url``: where the site will be served (for canonical links and the sitemap),
    ending in "/"; an http(s) address with a host, nothing else."""
    if value is None:
        return None
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or any(c.isspace() or ord(c) < 0x20 or c in "\"'<>\\`" for c in value)
    ):
        raise SapsmedError(
            f"--base-url takes an http or https address such as "
            f"https://example.org/plan/, not {value!r}"
        )
    return value if value.endswith("/") else value + "/"


def build(plan: Plan, as_of: date, commit: str | None, url: str | None = None) -> dict[str, bytes]:
    """Every file of the site: its pages, the stylesheet, and with a base URL a sitemap."""
    site = Site.compute(plan, as_of, commit)
    env = environment()
    shared = site.shared()
    shared.update(
        base_url=url,
        path=path,
        number=number,
        percent=percent,
        pct=pct,
        signed_pct=signed_pct,
        fixed=fixed,
        verdict_numbers=verdict_numbers,
        methods=METHODS,
        method_names=METHOD_NAMES,
        country_names={c: v["name"] for c, v in plan.countries.items()},
    )
    files: dict[str, bytes] = {}
    every = pages(site)
    for page in every:
        template = env.get_template(page.template)
        text = template.render(**shared, **page.context, page=page, root=page.root)
        files[page.path] = text.encode("utf-8")
    files[STYLESHEET] = resources.files("sapsmed.site").joinpath(STYLESHEET).read_bytes()
    if url is not None:
        files["sitemap.xml"] = sitemap(url, every)
    return files


def sitemap(url: str, every: list[Page]) -> bytes:
    template = environment().get_template("sitemap.xml.j2")
    return template.render(base_url=url, pages=every).encode("utf-8")
