"""What the website's tests share: a plan with progress recorded, its site built by the real
command, and Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import struct
from pathlib import Path
from typing import Any

import yaml

from .conftest import PLAN, ROOT, Cli

AS_OF = "2026-11-28"
# Screenshots are kept here for people to look at (CI keeps the folder as an artifact).
ARTIFACTS = Path(os.environ.get("SAPSMED_ARTIFACTS", ROOT / ".artifacts")) / "screenshots"
# (line, status, country, percent) updates recorded before the site is built, so the pages
# show each kind of state: a national line with its members' own statuses, a line on hold...
UPDATES = [
    ("B-2-1.3", "ongoing", None, "40"),
    ("A-1-2.1", "completed", None, None),
    ("C-1-1.2", "on_hold", None, None),
    ("B-2-1.2", "completed", "MYS", None),
    ("B-2-1.2", "ongoing", "LAO", "50"),
]


def run(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout) if result.stdout.startswith("{") else {}
    return data


def plan_with_progress(folder: Path, cli: Cli) -> Path:
    """A copy of the frozen plan with a few updates recorded through the real command."""
    plan = folder / "plan"
    shutil.copytree(PLAN, plan)
    for line, status, country, progress in UPDATES:
        args = ["--plan", str(plan), "update", line, "--status", status, "--date", "2020-03-01"]
        args += ["--note", f"Recorded for the site's tests ({status})"]
        if country:
            args += ["--country", country]
        if progress:
            args += ["--progress", progress]
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
    return plan


def build_site(cli: Cli, plan: Path, out: Path, *extra: str) -> Path:
    result = cli("--plan", str(plan), "site", "-o", str(out), "--as-of", AS_OF, *extra)
    assert result.exit_code == 0, result.stderr
    assert (out / "index.html").is_file()
    return out


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


COUNT_COLOURS = """async (src) => {
  const img = new Image();
  img.src = src;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height;
  const context = canvas.getContext("2d");
  context.drawImage(img, 0, 0);
  const data = context.getImageData(0, 0, img.width, img.height).data;
  const seen = new Set();
  for (let i = 0; i < data.length && seen.size < 256; i += 4) {
    seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  }
  return seen.size;
}"""


def png_colours(browser: Any, data: bytes) -> int:
    """How many different colours a PNG holds (up to 256), decoded by the browser itself: a
    blank screenshot has one."""
    page = browser.new_page()
    try:
        source = "data:image/png;base64," + base64.b64encode(data).decode()
        return int(page.evaluate(COUNT_COLOURS, source))
    finally:
        page.close()


# The keys whose values are free text in plan files; every one of them is made hostile.
TEXT_KEYS = {
    "title", "name", "source", "timeframe", "description", "indicator_code",
    "indicator_name", "note", "notes", "availability_note", "priority", "short_title",
    "region", "source_document", "vision", "mission", "scope", "vintage",
}  # fmt: skip


def payload(n: int) -> str:
    """Text that is markup in HTML, SVG, a script and an attribute, numbered to be found."""
    return (
        f"<script>alert({n})</script><img src=x onerror=alert({n})>"
        f"\"'><svg onload=alert({n})></title></textarea>"
        f'<a href="javascript:alert({n})">x</a>\u202e&amp;{{{{{n}}}}}'
    )


def hostile_plan(folder: Path, cli: Cli) -> tuple[Path, int]:
    """A copy of the frozen plan in which every free-text value carries a payload, plus an
    update, an output and a risk recorded with hostile text by the real commands."""
    plan = folder / "plan"
    shutil.copytree(PLAN, plan)
    count = 0

    def poison(node: Any) -> Any:
        nonlocal count
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key in TEXT_KEYS and isinstance(value, str):
                    count += 1
                    out[key] = f"{value} {payload(count)}"
                else:
                    out[key] = poison(value)
            return out
        if isinstance(node, list):
            return [poison(v) for v in node]
        return node

    for path in sorted(plan.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(poison(data), allow_unicode=True, sort_keys=False))
    line = "B-2-1.3"
    for args in (
        ["update", line, "--status", "ongoing", "--date", "2018-01-01", "--note",
         payload(count + 1), "--by", payload(count + 2), "--source", payload(count + 3)],
        ["output", line, payload(count + 4), "--delivered", "2019-01-01"],
        ["risk", line, payload(count + 5), "--mitigation", payload(count + 6)],
    ):  # fmt: skip
        result = cli("--plan", str(plan), *args)
        assert result.exit_code == 0, result.stderr
    return plan, count + 6
