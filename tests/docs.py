"""What the documentation shows, found for the tests that check it against the code.

The pages are README.md, CONTRIBUTING.md and every docs/*.md. A page shows command output in
```console blocks (```` when the output holds fences of its own: `$ command`, then output),
which tests/data/test_doc_examples.py runs on the shipped plan; in generated sections between
`<!-- name:begin -->` and `<!-- name:end -->` (the rules table, the CLI reference), which
tests/test_docs.py regenerates; and in a few ```text blocks (standard error, a git history),
each checked by the test named in TEXT_EXAMPLES. Set SAPSMED_UPDATE_DOCS=1 (or the older
SAPSMED_UPDATE_README=1) to rewrite them from the real thing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .conftest import ROOT

README = ROOT / "README.md"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
DOCS = ROOT / "docs"
# Pages linked to that another change is writing: a link to one is allowed before it exists.
PENDING = {DOCS / "json.md"}

CONSOLE = re.compile(
    r"(?P<fence>`{3,})console\n\$ (?P<cmd>sapsmed [^\n]*)\n(?P<out>.*?)"
    r"(?<=\n)(?P=fence)\n",
    re.DOTALL,
)
# A page whose examples need another page's to have run first (in the same clone) says so,
# on a line of its own.
AFTER = re.compile(r"^<!-- examples-after: (?P<page>[^ ]+) -->$", re.MULTILINE)
# ```text blocks that show a command's output, and the test that checks each.
TEXT_EXAMPLES = {
    "$ sapsmed validate\n": "tests/test_docs.py::test_error_example_is_the_case_report",
    "$ sapsmed kpi import data/examples/": "tests/data/test_doc_examples.py (import error)",
    "$ sapsmed returns import data/examples/": "tests/data/test_doc_examples.py (returns)",
    "$ sapsmed history B-2-1.3 --as-of 2020-06-30\n": "tests/test_git.py (history example)",
}


def updating() -> bool:
    return bool(os.environ.get("SAPSMED_UPDATE_DOCS") or os.environ.get("SAPSMED_UPDATE_README"))


def pages() -> list[Path]:
    """Every documentation page, README first."""
    return [p for p in (README, CONTRIBUTING) if p.is_file()] + sorted(DOCS.glob("*.md"))


def name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def section(text: str, marker: str) -> str | None:
    match = re.search(rf"<!-- {marker}:begin -->\n(.*?)<!-- {marker}:end -->", text, re.DOTALL)
    return match.group(1) if match else None


def replace_section(text: str, marker: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {marker}:begin -->\n).*?(<!-- {marker}:end -->)", re.DOTALL)
    return pattern.sub(lambda m: m.group(1) + body + m.group(2), text)


def pages_with(marker: str) -> list[Path]:
    return [p for p in pages() if section(p.read_text(), marker) is not None]


def text_block(start: str) -> tuple[Path, str]:
    """The one ```text block that starts with `start`, and its page: the block's lines after
    the fence, up to the closing fence."""
    found = []
    for page in pages():
        text = page.read_text()
        at = text.find("```text\n" + start)
        while at != -1:
            begin = at + len("```text\n")
            found.append((page, text[begin : text.index("```", begin)]))
            at = text.find("```text\n" + start, begin)
    assert len(found) == 1, f"{start!r} is shown {len(found)} times"
    return found[0]


def examples_before(page: Path) -> list[Path]:
    """The pages whose examples run before this page's, in order."""
    match = AFTER.search(page.read_text())
    if not match:
        return []
    first = ROOT / match["page"]
    assert first.is_file(), f"{name(page)}: examples-after names a missing page"
    return [*examples_before(first), first]
