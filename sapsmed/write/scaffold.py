"""`sapsmed init`: a new plan repository that validates from the first commit."""

from __future__ import annotations

import re
from pathlib import Path

from sapsmed.base.errors import SapsmedError, UsageError
from sapsmed.domain import schemas
from sapsmed.yamlio.text import scalar

CODE = re.compile(r"[A-Z]{3}")
# Accession dates `init` writes (`joined`); the other default members joined before 2016.
JOINED = {"TLS": "2025-10-26"}  # Timor-Leste, the 11th member state

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
) -> list[Path]:
    """Write a minimal valid plan into ``folder``; refuse to overwrite one."""
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
    middle = (start + end) // 2
    codes = [c for c, _ in countries]
    files = {
        plan / "plan.yaml": f"""\
# yaml-language-server: $schema=../schemas/plan.schema.json
title: {title}
short_title: {title}
source_document: The plan document (replace with its title and date).
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
  - id: second-phase
    name: Second phase
    start_year: {middle + 1}
    end_year: {end}
    priority: The second phase's priority (replace).
mid_term_review:
  due_year: {middle}
  scope: Review the first phase and update the roadmap for the second.
pathways: []
types_of_measures: []
themes: []
""",
        plan / "countries.yaml": "# yaml-language-server: $schema=../schemas/countries.schema"
        ".json\nmember_states:\n"
        + "".join(
            f"  - {{id: {c}, name: {scalar(n)}"
            + (f", joined: {JOINED[c]}" if c in JOINED else "")
            + "}\n"
            for c, n in countries
        ),
        plan / "goals" / "A.yaml": f"""\
# yaml-language-server: $schema=../../schemas/goal.schema.json
id: A
title: The first strategic goal (replace)
champions: [{codes[0]}]
outcomes:
  - id: A-1
    title: The first desired outcome (replace)
    actions:
      - id: A-1-1
        title: The first action (replace)
        lines:
          - id: A-1-1.1
            title: The first action line (replace)
            timeframe: By {middle}
            due_year: {middle}
            lead: [{codes[0]}]
            level: regional
""",
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
        folder / ".pre-commit-config.yaml": PRE_COMMIT,
    }
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
