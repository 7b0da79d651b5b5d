"""KPI commands: list, show, record, import, coverage."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from sapsmed.cli.common import (
    AsJson,
    AsOf,
    DryRun,
    Wait,
    edit_plan,
    fancy,
    find_root,
    guard,
    load,
    parse_date,
    refused_to_exit,
    waiting,
    warn,
    write,
)

app = typer.Typer(
    help="KPIs: readings, progress against the baseline, World Bank imports, coverage.",
    no_args_is_help=True,
    rich_markup_mode="rich",  # as the top-level app: help paragraphs reflowed alike
)


@app.command("list")
@guard
def kpi_list(
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Every KPI: goal, unit, direction, source, series code, countries with data.

    Example: sapsmed kpi list
    """
    from sapsmed.monitor.kpiviews import kpi_list as view
    from sapsmed.render.kpi import kpi_list_text
    from sapsmed.render.text import as_json as dump

    plan = load()
    rows = view(plan, parse_date(as_of))
    units = {u: d["name"] for u, d in plan.units.items()}
    write(dump(rows) if as_json else kpi_list_text(rows, units))


@app.command("show")
@guard
def kpi_show(
    kpi_id: Annotated[str, typer.Argument(metavar="KPI", help="A KPI id, e.g. KPI-D1.")],
    country: Annotated[Optional[str], typer.Option("--country", help="One member state.")] = None,
    as_of: AsOf = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="List every reading (default: the last 12 per country).")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """A KPI's readings, baseline, latest value and progress status, with the numbers.

    Both methods are shown: Statistics Canada (Open SDG) and the UN SDG progress chart. Only
    readings known on the as-of date count (years up to it; releases dated up to it). The
    region is judged on a constant panel: the member states with a baseline and a later
    reading, named with their values.

    Example: sapsmed kpi show KPI-E1 --country LAO
    """
    from sapsmed.monitor.kpiviews import kpi_show as view
    from sapsmed.render.kpi import kpi_show_text
    from sapsmed.render.text import as_json as dump

    plan = load()
    data = view(plan, kpi_id.upper(), country.upper() if country else None, parse_date(as_of))
    units = {u: d["name"] for u, d in plan.units.items()}
    places = plan.decimals(data["unit"])
    write(dump(data) if as_json else kpi_show_text(data, show_all, units, places))


@app.command("record")
@guard
def kpi_record(
    kpi_id: Annotated[str, typer.Argument(metavar="KPI", help="A KPI id, e.g. KPI-D1.")],
    country: Annotated[str, typer.Option("--country", help="The member state.")],
    year: Annotated[int, typer.Option("--year", help="The data year.")],
    value: Annotated[float, typer.Option("--value", help="The value, in the KPI's unit.")],
    source: Annotated[str, typer.Option("--source", help="Where the value comes from.")],
    vintage: Annotated[
        Optional[str],
        typer.Option("--vintage", metavar="YYYY-MM-DD", help="The source's date."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace a stored value from a dated source with one of unknown vintage.",
        ),
    ] = False,
    wait: Wait = 30.0,
) -> None:
    """Add or correct one KPI reading (edits the readings file in place, validated).

    A correction replaces the stored reading of that KPI, country and year wherever it is;
    a value from a dated source is not replaced by one of unknown vintage without --replace.

    Example: sapsmed kpi record KPI-E3 --country MYS --year 2020 --value 48.0 --source "DOSM"
    """
    from sapsmed.render.kpi import import_text
    from sapsmed.write.readings import record

    root = find_root(editing=True)
    report = refused_to_exit(
        root,
        lambda: record(
            root,
            kpi_id.upper(),
            country.upper(),
            year,
            value,
            source,
            parse_date(vintage) if vintage else None,
            replace,
            wait=wait,
            waiting=waiting,
        ),
    )
    write(import_text(report, dry_run=False))
    warn(report.warnings)


@app.command("import")
@guard
def kpi_import(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="World Bank files in any of the three formats."),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    allow_older: Annotated[
        bool,
        typer.Option(
            "--allow-older", help="Let a file with an older vintage replace stored values."
        ),
    ] = False,
    vintage: Annotated[
        Optional[str],
        typer.Option(
            "--vintage",
            metavar="YYYY-MM-DD",
            help="The vintage of a file that carries none (an "
            "empty 'Last Updated Date'); a file that carries another one is an error.",
        ),
    ] = None,
    wait: Wait = 30.0,
) -> None:
    """Import World Bank KPI data: the WDI bulk CSV, the API JSON or DataBank's Data.csv.

    Series map to KPIs by their code; only member states are taken. Re-importing the same
    data changes nothing. Files are streamed (memory stays flat). Any error in any file (a
    value that is not a number, a year outside 1900 to this year, the same series, country
    and year twice with different values, a file that is not a regular file) is listed with
    its line or JSON path, and nothing is written (exit 1).

    Example: sapsmed kpi import API_IC.REG.DURS_DS2_en_csv_v2_1.csv --dry-run
    """
    from sapsmed.render.kpi import import_text
    from sapsmed.write.importer import import_files

    root = find_root(editing=True)
    given = parse_date(vintage) if vintage else None
    total = sum(size_of(path) for path in files)
    if fancy() and total > PROGRESS_BYTES:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("importing", total=total)
            report = refused_to_exit(
                root,
                lambda: import_files(
                    root,
                    files,
                    allow_older,
                    dry_run,
                    given,
                    progress=lambda n: bar.advance(task, n),
                    wait=wait,
                    waiting=waiting,
                ),
            )
    else:
        report = refused_to_exit(
            root,
            lambda: import_files(
                root, files, allow_older, dry_run, given, wait=wait, waiting=waiting
            ),
        )
    write(import_text(report, dry_run))
    warn(report.warnings)


PROGRESS_BYTES = 1 << 20  # a progress bar for imports of more than 1 MiB


def size_of(path: Path) -> int:
    """A file's size for the progress bar (0 for what is not a regular file)."""
    import os
    import stat

    try:
        info = os.stat(path)
    except OSError:
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


@app.command("coverage")
@guard
def kpi_coverage(
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Which KPI has data for which country, how recent, against what the plan declares.

    Example: sapsmed kpi coverage
    """
    from sapsmed.monitor.kpiviews import coverage
    from sapsmed.render.kpi import coverage_text
    from sapsmed.render.text import as_json as dump

    data = coverage(load(), parse_date(as_of))
    write(dump(data) if as_json else coverage_text(data))


@app.command("target")
@guard
def kpi_target(
    kpi_id: Annotated[str, typer.Argument(metavar="KPI", help="A KPI id, e.g. KPI-D1.")],
    year: Annotated[int, typer.Option("--year", metavar="YYYY", min=1000, max=9999)],
    country: Annotated[
        Optional[str], typer.Option("--country", metavar="ISO3", help="A member state's target.")
    ] = None,
    region: Annotated[
        bool, typer.Option("--region", help="The regional target (the mean of the states).")
    ] = False,
    value: Annotated[Optional[float], typer.Option("--value", help="The target value.")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Who set it, where.")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the target.")] = False,
    dry_run: DryRun = False,
    wait: Wait = 30.0,
) -> None:
    """Set a KPI's target for a member state or the region in a year (or --remove it).

    Example: sapsmed kpi target KPI-D1 --country MYS --year 2025 --value 10
    """
    from sapsmed.write.targets import set_target

    if (country is None) == (not region):
        raise typer.BadParameter("give one of --country ISO3 and --region", param_hint="--country")
    if remove and (value is not None or source is not None):
        raise typer.BadParameter("--remove takes no --value or --source", param_hint="--remove")
    if not remove and value is None:
        raise typer.BadParameter("the target needs --value N (or --remove)", param_hint="--value")
    who = country.upper() if country else None
    edit_plan(set_target(kpi_id, who, year, value, source, remove), dry_run, wait)
