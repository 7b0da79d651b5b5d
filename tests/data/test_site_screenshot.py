"""The README's picture of the website is the overview of the shipped plan's site, taken by
the same browser the tests use. `SAPSMED_UPDATE_DOCS=1` takes it anew; otherwise the one
committed must have the size the test takes and not be blank (pixels differ with fonts
from machine to machine, so they are not compared one by one)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..conftest import ROOT, SHIPPED, Cli
from ..site_support import build_site, png_colours, png_size

PICTURE = ROOT / "docs" / "img" / "site-overview.png"
VIEWPORT = {"width": 1280, "height": 800}


def test_the_readme_shows_the_overview_of_the_shipped_plans_site(
    tmp_path: Path, browser: Any
) -> None:
    assert f"]({PICTURE.relative_to(ROOT).as_posix()})" in (ROOT / "README.md").read_text()
    site = build_site(Cli(), SHIPPED, tmp_path / "public")
    page = browser.new_page(viewport=VIEWPORT)
    page.goto((site / "index.html").resolve().as_uri())
    taken = page.screenshot()
    page.close()
    if os.environ.get("SAPSMED_UPDATE_DOCS"):
        PICTURE.write_bytes(taken)
    committed = PICTURE.read_bytes()
    assert png_size(committed) == png_size(taken) == (1280, 800)
    assert png_colours(browser, committed) > 8
