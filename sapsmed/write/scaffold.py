"""`sapsmed init`: a new plan repository that validates from the first commit."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from sapsmed.base.errors import SapsmedError, UsageError
from sapsmed.domain import schemas
from sapsmed.yamlio.text import scalar

CODE = re.compile(r"[A-Z]{3}")
# Accession dates `init` writes (`joined`); the other default members joined before 2016.
ASEAN = (
    ("BRN", "Brunei Darussalam"),
    ("KHM", "Cambodia"),
    ("IDN", "Indonesia"),
    ("LAO", "Lao PDR"),
    ("MYS", "Malaysia"),
    ("MMR", "Myanmar"),
    ("PHL", "Philippines"),
    ("SGP", "Singapore"),
    ("THA", "Thailand"),
    ("VNM", "Viet Nam"),
    ("TLS", "Timor-Leste"),
)
ASEAN_JOINED = {"TLS": "2025-10-26"}  # Timor-Leste, the 11th member state

WORKFLOW = """\
# Checks a pull request that edits the plan: annotations on the changed lines, and the
# change in plan terms in the job summary.
name: plan
on:
  pull_request:
    paths: ["plan/**"]
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # sapsmed diff reads the base revision with git
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      # Where sapsmed is installed from (`sapsmed init --install`): a package index
      # name, a git URL (git+https://...) or a path; change it to your team's.
      - run: {install}
      - name: Validate the plan
        run: sapsmed validate --format github
      - name: Plan changes
        if: always()
        run: >-
          sapsmed diff "origin/${{{{ github.base_ref }}}}" --format markdown
          >> "$GITHUB_STEP_SUMMARY"
"""

# Publishes the plan's website on GitHub Pages on every push to main (Settings > Pages >
# Source: GitHub Actions); the same build and deploy as sapsmed's own .github/workflows/pages.yml.
PAGES_WORKFLOW = """\
# Publishes the plan's website on GitHub Pages: on every push to main, `sapsmed site`
# writes the static site from plan/, and GitHub serves it. In the repository's settings,
# Pages > Source must be "GitHub Actions". Change `main` if your default branch differs.
name: pages
on:
  push:
    branches: [main]
  workflow_dispatch:  # a rebuild by hand, e.g. so that the site's date moves on
# Only what publishing needs: read the code, write the Pages site, and an OIDC token that
# proves to Pages the artifact comes from this workflow.
permissions:
  contents: read
  pages: write
  id-token: write
# One deployment at a time; a newer push waits instead of cancelling one half-done.
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  # The site, built from the plan and uploaded as the Pages artifact.
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      # Where sapsmed is installed from, as in plan.yml (`sapsmed init --install`).
      - run: {install}
      # The site's address (https://<owner>.github.io/<repository>), for its links.
      - uses: actions/configure-pages@v5
        id: pages
      - name: Build the site
        run: sapsmed site -o public --base-url "${{{{ steps.pages.outputs.base_url }}}}"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public  # the folder `sapsmed site -o` wrote
  # The artifact published; the environment shows the site's address on the run.
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - uses: actions/deploy-pages@v4
        id: deployment
"""

# The first action with its first line; ids from its parent's ({parent}: A-1 or A-1-1).
ACTION = """\
actions:
  - id: {parent}
    title: The first action (replace)
    lines:
      - id: {parent}.1
        title: The first action line (replace)
        timeframe: By {middle}
        due_year: {middle}
        lead: [{lead}]
        level: regional
"""
GOAL_WITH_ACTIONS = ACTION.replace("{parent}", "A-1")
GOAL_WITH_OUTCOMES = (
    "outcomes:\n  - id: A-1\n    title: The first desired outcome (replace)\n"
    + textwrap.indent(ACTION.replace("{parent}", "A-1-1"), "    ")
)

PRE_COMMIT = """\
repos:
  - repo: local
    hooks:
      - id: sapsmed-validate
        name: sapsmed validate
        entry: sapsmed validate
        language: system
        pass_filenames: false
        files: ^plan/
"""


def init(
    folder: Path,
    title: str,
    start: int,
    end: int,
    countries: list[tuple[str, str]],
    install: str = "sapsmed",
    region: str | None = None,
    outcomes: bool = True,
    joined: dict[str, str] | None = None,
) -> list[Path]:
    """Write a minimal valid plan into ``folder``; refuse to overwrite one. The plan is
    validated before anything is written: free text is quoted data, never YAML syntax.
    Without ``outcomes`` its goals hold actions directly (``levels: [goal, action, line]``)."""
    plan = folder / "plan"
    if plan.exists():
        raise SapsmedError(f"{plan} exists already; sapsmed init writes only a new plan")
    if not (1900 <= start <= 2200 and 1900 <= end <= 2200):
        raise UsageError(f"plan years are 1900-2200, not {start}-{end}")
    if end < start:
        raise UsageError(f"the plan ends ({end}) before it starts ({start})")
    bad = [c for c, _ in countries if not CODE.fullmatch(c)]
    if bad or not countries or len({c for c, _ in countries}) != len(countries):
        raise UsageError(
            f"--countries takes distinct ISO 3166-1 alpha-3 codes (such as MYS), "
            f"not {', '.join(bad) or 'these'}"
        )
    title = scalar(title)  # free text is data, never YAML syntax
    region_line = f"region: {scalar(region)}\n" if region else ""
    levels_line = "" if outcomes else "levels: [goal, action, line]\n"
    middle = (start + end) // 2
    second_phase = (  # a one-year plan has one phase
        "  - id: second-phase\n    name: Second phase\n"
        f"    start_year: {middle + 1}\n    end_year: {end}\n"
        "    priority: The second phase's priority (replace).\n"
        if end > start
        else ""
    )
    codes = [c for c, _ in countries]
    scope = (
        "Review the first phase and update the roadmap for the second."
        if end > start
        else "Review the plan's progress half-way through."
    )
    files = {
        plan / "plan.yaml": f"""\
# yaml-language-server: $schema=../schemas/plan.schema.json
title: {title}
short_title: {title}
{region_line}{levels_line}source_document: The plan document (replace with its title and date).
start_year: {start}
end_year: {end}
base_year: {start}
vision: The plan's vision (replace).
mission: The plan's mission (replace).
phases:
  - id: first-phase
    name: First phase
    start_year: {start}
    end_year: {middle}
    priority: The first phase's priority (replace).
{second_phase}mid_term_review:
  due_year: {middle}
  scope: {scope}
pathways: []
types_of_measures: []
themes: []
""",
        plan / "countries.yaml": "# yaml-language-server: $schema=../schemas/countries.schema"
        ".json\nmember_states:\n"
        + "".join(
            f"  - {{id: {c}, name: {scalar(n)}"
            + (f", joined: {joined[c]}" if joined and c in joined else "")
            + "}\n"
            for c, n in countries
        ),
        plan / "goals" / "A.yaml": "# yaml-language-server: $schema=../../schemas/goal.schema"
        f".json\nid: A\ntitle: The first strategic goal (replace)\nchampions: [{codes[0]}]\n"
        + (GOAL_WITH_OUTCOMES if outcomes else GOAL_WITH_ACTIONS).format(
            middle=middle, lead=codes[0]
        ),
        plan / "kpis.yaml": f"""\
# yaml-language-server: $schema=../schemas/kpis.schema.json
kpis:
  - id: KPI-A1
    goal: A
    name: The first KPI (replace)
    unit: percent
    direction: higher_is_better
    source: Where its data come from (replace)
    available_for: [{", ".join(codes)}]
""",
        folder / ".github" / "workflows" / "plan.yml": WORKFLOW.format(
            install=scalar(f"pip install {install}")
        ),
        folder / ".github" / "workflows" / "pages.yml": PAGES_WORKFLOW.format(
            install=scalar(f"pip install {install}")
        ),
        folder / ".pre-commit-config.yaml": PRE_COMMIT,
    }
    check(plan, {path: text for path, text in files.items() if plan in path.parents})
    files |= {folder / "schemas" / name: text for name, text in schemas.generate().items()}
    written = []
    for path, text in files.items():
        if path.exists():
            continue  # an existing workflow or schema is the user's: left alone
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (plan / "readings").mkdir(exist_ok=True)
    return written


def check(plan: Path, texts: dict[Path, str]) -> None:
    """Validate the new plan's files before any is written; refuse with the problems."""
    from sapsmed.validate.planfiles import Listing
    from sapsmed.validate.validation import validate
    from sapsmed.yamlio.edit import EditRefused

    kinds = {"plan.yaml": "plan", "countries.yaml": "countries", "kpis.yaml": "kpis"}
    listing = Listing(plan, [(kinds.get(p.name, "goal"), p) for p in texts])
    result = validate(plan, assemble=False, overrides=texts, listing=listing)
    if not result.ok:
        raise EditRefused(
            result.problems, "the plan these options describe is not valid; nothing was written"
        )
