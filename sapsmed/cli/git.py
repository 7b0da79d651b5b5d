"""Git-native commands: diff, history, init, export."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from sapsmed.cli.common import (
    AsJson,
    AsOf,
    find_root,
    guard,
    load,
    parse_date,
    refused_to_exit,
    write,
)


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"


class Table(str, Enum):
    lines = "lines"
    readings = "readings"


@guard
def diff(
    rev_a: Annotated[
        Optional[str],
        typer.Argument(
            metavar="[REV_A]", help="From (default: the merge-base with the default branch)."
        ),
    ] = None,
    rev_b: Annotated[
        Optional[str],
        typer.Argument(metavar="[REV_B]", help="To (default: the working tree)."),
    ] = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", help="text, markdown or json.")
    ] = DiffFormat.text,
    as_of: AsOf = None,
) -> None:
    """What changed in the plan between two git revisions, in plan terms.

    Entities added, removed or changed, status changes, readings added or revised, KPI
    verdicts that changed, validation problems introduced or fixed. Revisions are read with
    git, in memory: no checkout is touched and no file is written. A revision with errors is
    shown as far as it could be read, next to its problems; diff exits 0 all the same.

    Example: sapsmed diff origin/main --format markdown
    """
    from sapsmed.io.gitobjects import check_revision
    from sapsmed.io.revisions import WORKTREE, Revisions
    from sapsmed.monitor.plandiff import compare
    from sapsmed.render.diff import DIFF_RENDERERS

    for revision in (rev_a, rev_b):
        if revision is not None:
            check_revision(revision)  # before git sees it: exit 2
    day = parse_date(as_of)
    with Revisions(find_root()) as revisions:
        old = revisions.plan_at(rev_a or revisions.default_base())
        new = revisions.plan_at(rev_b or WORKTREE)
    write(DIFF_RENDERERS[fmt.value](compare(old, new, day)))


@guard
def history(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="Any entity id.")],
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """The dated story of one entity from the git log: each commit that changed it.

    Example: sapsmed history B-2-1.3
    """
    from sapsmed.monitor.history import story
    from sapsmed.render.history import events as events_of
    from sapsmed.render.history import story_text
    from sapsmed.render.text import as_json as dump

    events = events_of(story(find_root(), entity_id, parse_date(as_of)))
    write(dump(events) if as_json else story_text(entity_id, events))


@guard
def init(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", file_okay=False, help="The new plan repository.")
    ],
    title: Annotated[
        str, typer.Option("--title", help="The plan's title.")
    ] = "SME Development Plan",
    start: Annotated[int, typer.Option("--start", help="First year.")] = 2026,
    end: Annotated[int, typer.Option("--end", help="Last year.")] = 2035,
    countries: Annotated[
        Optional[str],
        typer.Option(
            "--countries",
            help="Member states as CODE=Name pairs, comma-separated (default: ASEAN's eleven).",
        ),
    ] = None,
    install: Annotated[
        str,
        typer.Option(
            "--install",
            help="What the CI workflow installs sapsmed from: a package name, a git "
            "URL (git+https://...) or a path.",
        ),
    ] = "sapsmed",
    region: Annotated[
        Optional[str],
        typer.Option(
            "--region",
            help="What the member states are called together, in reports (default: ASEAN "
            'with the default member states; else none, and reports say "all member states").',
        ),
    ] = None,
    outcomes: Annotated[
        bool,
        typer.Option(
            "--outcomes/--no-outcomes",
            help="Goals hold desired outcomes, which hold actions; or goals hold actions.",
        ),
    ] = True,
) -> None:
    """Start a new plan: plan files, one goal and KPI, schemas, CI workflow, pre-commit.

    The default member states are ASEAN's eleven (Timor-Leste joined on 26 October 2025).
    The title and the names are written as quoted text, whatever they hold.

    Example: sapsmed init sap-smed-2026 --title "ASEAN SAP SMED 2026-2035"
    """
    from sapsmed.write.scaffold import ASEAN, ASEAN_JOINED
    from sapsmed.write.scaffold import init as scaffold

    pairs, joined = list(ASEAN), ASEAN_JOINED  # the default: ASEAN's member states
    if countries is not None:
        pairs, joined = [], {}
        for item in countries.split(","):
            code, _, name = item.partition("=")
            if not code.strip() or not name.strip():
                raise typer.BadParameter(f"{item!r} is not CODE=Name", param_hint="--countries")
            pairs.append((code.strip().upper(), name.strip()))
    if region is None:
        region = "ASEAN" if countries is None else ""
    written = refused_to_exit(
        folder / "plan",
        lambda: scaffold(
            folder, title, start, end, pairs, install, region or None, outcomes, joined
        ),
    )
    for path in written:
        write(f"wrote {path}\n")
    write(f"check it with: sapsmed --plan {folder} validate\n")


@guard
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="json or csv.")] = ExportFormat.json,
    table_: Annotated[Table, typer.Option("--table", help="With csv: which table.")] = Table.lines,
    as_of: AsOf = None,
) -> None:
    """Dump the plan's action lines and KPI readings for other tools.

    Example: sapsmed export --format csv --table readings > readings.csv
    """
    from sapsmed.render.export import export_csv, export_json

    if fmt is ExportFormat.json and table_ is not Table.lines:
        raise typer.BadParameter(
            "--table is for --format csv (the JSON holds both tables)", param_hint="--table"
        )
    plan, day = load(), parse_date(as_of)
    write(
        export_json(plan, day) if fmt is ExportFormat.json else export_csv(plan, day, table_.value)
    )
