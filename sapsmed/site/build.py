"""Every page of the site rendered: a mapping of paths (relative to the site's root) to the
bytes of each file. Nothing here writes; :mod:`sapsmed.site.output` does.

The same plan, as-of date, commit and base URL give the same bytes: nothing reads the clock,
the environment or the order of a set."""

from __future__ import annotations

import gc
import os
import signal
from datetime import date
from importlib import resources
from multiprocessing import get_all_start_methods, get_context
from typing import Any
from urllib.parse import urlsplit

from sapsmed.base.errors import SapsmedError
from sapsmed.domain.plan import Plan
from sapsmed.domain.vocabulary import METHODS
from sapsmed.render.kpisection import verdict
from sapsmed.render.text import fmt_value
from sapsmed.site.env import environment
from sapsmed.site.pages import Job, Page, Site, jobs, path
from sapsmed.write.transaction import terminate_raises

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
    try:
        parts = urlsplit(value)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # a malformed host or port: "https://[::1/", "https://x:99999/"
        parts, port_ok = None, False
    if (
        parts is None
        or not port_ok
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or "@" in parts.netloc  # user:password@ would be published on every page
        or "?" in value
        or "#" in value
        or not value.isascii()  # a sitemap takes encoded addresses only (punycode, %XX)
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
    files = dict(render_all(site, shared, jobs(site)))
    files[STYLESHEET] = resources.files("sapsmed.site").joinpath(STYLESHEET).read_bytes()
    if url is not None:
        files["sitemap.xml"] = sitemap(url, [p for p in files if p.endswith(".html")])
    return files


PARALLEL_FROM = 300  # pages: below this, starting a second process costs more than it saves
_JOB: tuple[Site, dict[str, Any], list[Job]] | None = None  # what forked workers render


def render(shared: dict[str, Any], page: Page) -> bytes:
    template = environment().get_template(page.template)
    return template.render(**shared, **page.context, page=page, root=page.root).encode()


def _make(site: Site, shared: dict[str, Any], job: Job) -> tuple[str, bytes]:
    make, args = job
    page = make(site, *args)
    return page.path, render(shared, page)


def _render_share(share: tuple[int, int]) -> list[tuple[str, bytes]]:
    assert _JOB is not None
    site, shared, every = _JOB
    start, step = share
    return [_make(site, shared, job) for job in every[start::step]]


def _quiet_worker() -> None:
    """A worker leaves Ctrl-C to the parent, which ends the pool; it prints no traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def render_all(site: Site, shared: dict[str, Any], every: list[Job]) -> list[tuple[str, bytes]]:
    """Every page made and rendered, in order. A large site is shared out among forked
    processes, one per core, each making and rendering every n-th page (the plan is in their
    memory from the fork; only the bytes come back); the bytes are the same either way."""
    global _JOB
    workers = min(os.cpu_count() or 1, 8)
    if len(every) < PARALLEL_FROM or workers < 2 or "fork" not in get_all_start_methods():
        return [_make(site, shared, job) for job in every]
    _JOB = (site, shared, every)
    gc.freeze()  # the workers' copies of the plan are not touched by collections
    try:  # SIGTERM ends the pool (and its workers) through SystemExit, as Ctrl-C does
        with terminate_raises(), get_context("fork").Pool(workers, _quiet_worker) as pool:
            shares = pool.map(_render_share, [(i, workers) for i in range(workers)])
    finally:
        _JOB = None
        gc.unfreeze()
    return [shares[i % workers][i // workers] for i in range(len(every))]


def sitemap(url: str, paths: list[str]) -> bytes:
    template = environment().get_template("sitemap.xml.j2")
    return template.render(base_url=url, paths=paths).encode("utf-8")
