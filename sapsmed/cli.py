"""The `sapsmed` command line: thin commands over the library. The only module that prints."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, TypeVar

import typer

from . import __version__
from .errors import SapsmedError
from .plan import Plan
from .render import Format, problem_line

if TYPE_CHECKING:
    from .problems import Problem

T = TypeVar("T")


class Status(str, Enum):
    not_started = "not_started"
    ongoing = "ongoing"
    completed = "completed"
    on_hold = "on_hold"
    cancelled = "cancelled"


class Flag(str, Enum):
    overdue = "overdue"
    due_soon = "due_soon"
    blocked = "blocked"
    behind = "behind"
    over_budget = "over_budget"


class Level(str, Enum):
    regional = "regional"
    national = "national"


class Sort(str, Enum):
    id = "id"
    due = "due"
    status = "status"


class Group(str, Enum):
    goal = "goal"
    country = "country"
    phase = "phase"
    theme = "theme"
    measure = "measure"


state: dict[str, Path | None] = {"plan": None}


# Options many commands share.
AsOf = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--as-of", metavar="YYYY-MM-DD", help="The date to judge on (default: today).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def guard(command: Callable[..., None]) -> Callable[..., None]:
    """Turn a domain error into its message on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> None:
        try:
            command(*args, **kwargs)
        except SapsmedError as exc:
            sys.stderr.write(f"sapsmed: {exc}\n")
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def write(text: str) -> None:
    # Plain writes: Rich markup would eat `[CODE]` and wrap JSON.
    sys.stdout.write(text)


def fancy() -> bool:
    """Rich output only for a person at a terminal who has not asked for plain text."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def parse_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def load() -> Plan:
    """The plan chosen by --plan, $SAPSMED_PLAN, the nearest plan/ or the shipped one.

    An invalid plan stops the command with its problems on stderr (exit 1)."""
    from . import snapshot
    from .plan import find_plan_dir
    from .render import problems_text

    root = find_plan_dir(state["plan"])
    plan, problems = snapshot.load(root)
    if plan is None:
        sys.stderr.write(problems_text(problems, count_files(root)))
        raise typer.Exit(1)
    return plan


def count_files(root: Path) -> int:
    return sum(1 for _ in root.rglob("*.yaml"))


def print_version(value: bool) -> None:
    if value:
        write(f"sapsmed {__version__}\n")
        raise typer.Exit(0)


def main(
    plan: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs a runtime-evaluable annotation
        typer.Option("--plan", help="Plan folder (default: $SAPSMED_PLAN, the nearest plan/, "
                     "or the SAP SMED plan shipped with sapsmed).", file_okay=False),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.",
                                          is_eager=True, callback=print_version)] = False,
) -> None:
    """Track the ASEAN Strategic Action Plan for SME Development 2016-2025."""
    state["plan"] = plan


@guard
def validate(
    fmt: Annotated[Format, typer.Option("--format", help="text, json, or github annotations.")]
    = Format.text,
    as_of: AsOf = None,
) -> None:
    """Check the whole plan and list every problem as file:line:col.

    Exit 0 when there are no errors (warnings allowed), 1 when there are, 2 when it cannot
    run.

    Example: sapsmed validate --format github
    """
    from .plan import find_plan_dir
    from .render import PROBLEM_RENDERERS
    from .validation import validate as run

    root = find_plan_dir(state["plan"])
    result = run(root, assemble=False, as_of=parse_date(as_of))
    write(PROBLEM_RENDERERS[fmt](result.problems, count_files(root)))
    raise typer.Exit(0 if result.ok else 1)


@guard
def show(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="A goal, outcome, action, "
                                             "action line, KPI, country or theme id.")],
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Show one entity of the plan by its id.

    Example: sapsmed show B-2-1.3
    """
    from .render import as_json as dump
    from .render import entity_text
    from .views import show as view

    data = view(load(), entity_id, parse_date(as_of))
    write(dump(data) if as_json else entity_text(data))


@guard
def status(
    goal: Annotated[Optional[str], typer.Option("--goal", help="A goal letter, A-E.")] = None,  # noqa: UP045
    country: Annotated[Optional[str], typer.Option("--country", help="An ISO alpha-3 code.")]  # noqa: UP045
    = None,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Where a goal, a country or the whole plan stands.

    Lists the action lines with status, due year, lead and an overdue flag, counts them,
    and shows each KPI's latest reading per country.

    Example: sapsmed status --goal B --as-of 2021-01-01
    """
    from .render import as_json as dump
    from .render import status_text
    from .views import status as view

    day = parse_date(as_of)
    data = view(load(), day, goal.upper() if goal else None,
                country.upper() if country else None)
    if as_json:
        write(dump(data))
    elif fancy():
        from .tty import print_status

        print_status(data)
    else:
        write(status_text(data))


@guard
def update(
    line_id: Annotated[str, typer.Argument(metavar="LINE", help="An action line id.")],
    status_: Annotated[Status, typer.Option("--status", help="The line's status now.")],
    progress: Annotated[Optional[float], typer.Option(  # noqa: UP045
        "--progress", min=0, max=100, help="Percent complete, 0-100.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What happened.")] = None,  # noqa: UP045
    day: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--date", metavar="YYYY-MM-DD", help="Date of the update (default: today).")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Who reports it.")] = None,  # noqa: UP045
    country: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--country", help="The member state reporting (national-level lines).")] = None,
    source: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--source", help="The source document.")] = None,
) -> None:
    """Record progress on an action line (appends to its log in the YAML).

    The file is edited in place: comments and every byte outside the new entry stay as
    they were. The whole plan is validated with the change first; if it would be invalid,
    nothing is written.

    Example: sapsmed update B-2-1.3 --status ongoing --progress 40 --note "Portal beta"
    """
    from .problems import display_path
    from .updates import record_update

    root = find_root()
    done = refused_to_exit(root, lambda: record_update(
        root, line_id, status_.value, parse_date(day), progress, note, by,
        country.upper() if country else None, source))
    fields = ", ".join(f"{k}: {v}" for k, v in done.update.items())
    write(f"recorded in {display_path(done.path)}: {done.line_id} {fields}\n")
    warn(done.warnings)


@guard
def lines(
    goal: Annotated[Optional[str], typer.Option("--goal", help="Goal letter.")] = None,  # noqa: UP045
    outcome: Annotated[Optional[str], typer.Option("--outcome")] = None,  # noqa: UP045
    action: Annotated[Optional[str], typer.Option("--action")] = None,  # noqa: UP045
    lead: Annotated[Optional[str], typer.Option("--lead", help="A lead country.")] = None,  # noqa: UP045
    status_: Annotated[Optional[Status], typer.Option("--status")] = None,  # noqa: UP045
    flag: Annotated[Optional[Flag], typer.Option("--flag")] = None,  # noqa: UP045
    due: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--due", metavar="YEAR[-YEAR]", help="Due year or range.")] = None,
    theme: Annotated[Optional[str], typer.Option("--theme")] = None,  # noqa: UP045
    measure: Annotated[Optional[str], typer.Option("--measure", help="Type of measure.")]  # noqa: UP045
    = None,
    pathway: Annotated[Optional[str], typer.Option("--pathway")] = None,  # noqa: UP045
    level: Annotated[Optional[Level], typer.Option("--level")] = None,  # noqa: UP045
    phase: Annotated[Optional[str], typer.Option("--phase", help="A phase id.")] = None,  # noqa: UP045
    sort: Annotated[Sort, typer.Option("--sort")] = Sort.id,
    as_of: AsOf = None,
    as_json: AsJson = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """List action lines, filtered and sorted.

    Example: sapsmed lines --lead MYS --flag overdue --sort due
    """
    from .queries import LineQuery, lines_csv, select
    from .render import as_json as dump
    from .render import lines_text

    query = LineQuery(
        goal=goal.upper() if goal else None, outcome=outcome, action=action,
        lead=lead.upper() if lead else None, status=status_.value if status_ else None,
        flag=flag.value if flag else None, due=due, theme=theme, measure=measure,
        pathway=pathway, level=level.value if level else None, phase=phase, sort=sort.value)
    rows = select(load(), query, parse_date(as_of))
    write(dump(rows) if as_json else lines_csv(rows) if as_csv else lines_text(rows))


@guard
def scorecard(
    by: Annotated[Group, typer.Option("--by", help="How to group the lines.")] = Group.goal,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Implementation rate per goal, country, phase, theme or type of measure.

    Rate = lines completed / lines due (the AEC Scorecard's rule); the lenient rate also
    counts ongoing lines. By country, a national-level line counts for every member state.

    Example: sapsmed scorecard --by country --as-of 2020-12-31
    """
    from .queries import scorecard as compute
    from .render import as_json as dump
    from .render import scorecard_text

    data = compute(load(), by.value, parse_date(as_of))
    write(dump(data) if as_json else scorecard_text(data))


@guard
def schema(
    folder: Annotated[Path, typer.Argument(help="Where to write the schemas.", file_okay=False)]
    = Path("schemas"),
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if the schemas "
                                        "in FOLDER differ from the models.")] = False,
) -> None:
    """Write the JSON Schemas of the plan files (generated from the models).

    Example: sapsmed schema schemas/
    """
    from . import schemas

    if check:
        stale = [name for name, text in schemas.generate().items()
                 if not (folder / name).is_file()
                 or (folder / name).read_text(encoding="utf-8") != text]
        for name in stale:
            write(f"{folder / name}: out of date; run `sapsmed schema {folder}`\n")
        raise typer.Exit(1 if stale else 0)
    for path in schemas.write(folder):
        write(f"wrote {path}\n")


@guard
def report(
    as_of: AsOf = None,
    goal: Annotated[Optional[str], typer.Option("--goal", help="One goal only.")] = None,  # noqa: UP045
    country: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--country", help="One member state only.")] = None,
    mid_term: Annotated[bool, typer.Option("--mid-term", help="The mid-term review of the "
                                           "first phase instead.")] = False,
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "-o", "--output", dir_okay=False, help="Write to FILE; in an existing file only the "
        "part between <!-- sapsmed:begin --> and <!-- sapsmed:end --> is replaced.")] = None,
) -> None:
    """A markdown progress report (or the mid-term review), with mermaid charts.

    On a terminal it is shown rendered; piped, it is markdown.

    Example: sapsmed report --goal B -o docs/progress.md
    """
    from . import report as reports
    from .gitinfo import plan_commit

    plan = load()
    day = parse_date(as_of)
    commit = plan_commit(plan.root)
    if mid_term:
        text = reports.mid_term(plan, day, commit)
    else:
        goal_id = goal.upper() if goal else None
        code = country.upper() if country else None
        from .views import status as check_scope

        check_scope(plan, day, goal_id, code)  # an unknown goal or country fails here
        text = reports.build(plan, day, goal_id, code, commit)
    if output is not None:
        write_report(output, text)
        write(f"wrote {output}\n")
    elif fancy():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        write(text)


def write_report(path: Path, text: str) -> None:
    from .edit import write_atomic
    from .markdown import BEGIN, END, splice

    if path.exists():
        try:
            new = splice(path.read_text(encoding="utf-8"), text)
        except ValueError:
            raise SapsmedError(f"{path} has no {BEGIN} ... {END} markers: add them where the "
                               "report goes (nothing was written)") from None
    else:
        new = f"{BEGIN}\n{text}{END}\n"
    write_atomic(path, new)


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
    rev_a: Annotated[Optional[str], typer.Argument(  # noqa: UP045
        metavar="[REV_A]", help="From (default: the merge-base with the default branch).")]
    = None,
    rev_b: Annotated[Optional[str], typer.Argument(  # noqa: UP045
        metavar="[REV_B]", help="To (default: the working tree).")] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", help="text, markdown or json.")]
    = DiffFormat.text,
    as_of: AsOf = None,
) -> None:
    """What changed in the plan between two git revisions, in plan terms.

    Entities added, removed or changed, status changes, readings added or revised, KPI
    verdicts that changed, validation problems introduced or fixed. Revisions are read with
    git; no checkout is touched.

    Example: sapsmed diff origin/main --format markdown
    """
    from .gitplan import WORKTREE, default_base, plan_at, toplevel
    from .plandiff import DIFF_RENDERERS, compare

    root = find_root()
    old = rev_a or default_base(toplevel(root))
    new = rev_b or WORKTREE
    data = compare(plan_at(root, old), plan_at(root, new), parse_date(as_of))
    write(DIFF_RENDERERS[fmt.value](data))


@guard
def history(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="Any entity id.")],
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """The dated story of one entity from the git log: each commit that changed it.

    Example: sapsmed history B-2-1.3
    """
    from .history import story, story_text
    from .render import as_json as dump

    events = story(find_root(), entity_id, parse_date(as_of))
    write(dump(events) if as_json else story_text(entity_id, events))


@guard
def init(
    folder: Annotated[Path, typer.Argument(metavar="DIR", file_okay=False,
                                           help="The new plan repository.")],
    title: Annotated[str, typer.Option("--title", help="The plan's title.")]
    = "SME Development Plan",
    start: Annotated[int, typer.Option("--start", help="First year.")] = 2026,
    end: Annotated[int, typer.Option("--end", help="Last year.")] = 2035,
    countries: Annotated[str, typer.Option(
        "--countries", help="Member states as CODE=Name pairs, comma-separated.")]
    = "BRN=Brunei Darussalam,KHM=Cambodia,IDN=Indonesia,LAO=Lao PDR,MYS=Malaysia,"
      "MMR=Myanmar,PHL=Philippines,SGP=Singapore,THA=Thailand,VNM=Viet Nam",
) -> None:
    """Start a new plan: plan files, one goal and KPI, schemas, CI workflow, pre-commit.

    Example: sapsmed init sap-smed-2026 --title "ASEAN SAP SMED 2026-2035"
    """
    from .scaffold import init as scaffold

    pairs = []
    for item in countries.split(","):
        code, _, name = item.partition("=")
        if not code.strip() or not name.strip():
            raise typer.BadParameter(f"{item!r} is not CODE=Name", param_hint="--countries")
        pairs.append((code.strip().upper(), name.strip()))
    for path in scaffold(folder, title, start, end, pairs):
        write(f"wrote {path}\n")
    write(f"check it with: sapsmed --plan {folder} validate\n")


@guard
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="json or csv.")]
    = ExportFormat.json,
    table_: Annotated[Table, typer.Option("--table", help="With csv: which table.")]
    = Table.lines,
    as_of: AsOf = None,
) -> None:
    """Dump the plan's action lines and KPI readings for other tools.

    Example: sapsmed export --format csv --table readings > readings.csv
    """
    from .export import export_csv, export_json

    plan, day = load(), parse_date(as_of)
    write(export_json(plan, day) if fmt is ExportFormat.json
          else export_csv(plan, day, table_.value))


kpi_app = typer.Typer(help="KPIs: readings, progress against the baseline, World Bank "
                       "imports, coverage.", no_args_is_help=True)


@kpi_app.command("list")
@guard
def kpi_list(
    as_json: AsJson = False,
) -> None:
    """Every KPI: goal, unit, direction, source, series code, countries with data.

    Example: sapsmed kpi list
    """
    from .kpiviews import kpi_list as view
    from .render import as_json as dump
    from .render_kpi import kpi_list_text

    rows = view(load())
    write(dump(rows) if as_json else kpi_list_text(rows))


@kpi_app.command("show")
@guard
def kpi_show(
    kpi_id: Annotated[str, typer.Argument(metavar="KPI", help="A KPI id, e.g. KPI-D1.")],
    country: Annotated[Optional[str], typer.Option("--country", help="One member state.")]  # noqa: UP045
    = None,
    as_json: AsJson = False,
) -> None:
    """A KPI's readings, baseline, latest value and progress status, with the numbers.

    Both methods are shown: Statistics Canada (Open SDG) and the UN SDG progress chart.

    Example: sapsmed kpi show KPI-E1 --country LAO
    """
    from .kpiviews import kpi_show as view
    from .render import as_json as dump
    from .render_kpi import kpi_show_text

    data = view(load(), kpi_id.upper(), country.upper() if country else None)
    write(dump(data) if as_json else kpi_show_text(data))


@kpi_app.command("record")
@guard
def kpi_record(
    kpi_id: Annotated[str, typer.Argument(metavar="KPI", help="A KPI id, e.g. KPI-D1.")],
    country: Annotated[str, typer.Option("--country", help="The member state.")],
    year: Annotated[int, typer.Option("--year", help="The data year.")],
    value: Annotated[float, typer.Option("--value", help="The value, in the KPI's unit.")],
    source: Annotated[str, typer.Option("--source", help="Where the value comes from.")],
    vintage: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--vintage", metavar="YYYY-MM-DD", help="The source's date.")] = None,
) -> None:
    """Add or correct one KPI reading (edits the readings file in place, validated).

    Example: sapsmed kpi record KPI-E3 --country MYS --year 2020 --value 48.0 --source "DOSM"
    """
    from .importer import record
    from .render_kpi import import_text

    root = find_root()
    report = refused_to_exit(root, lambda: record(
        root, kpi_id.upper(), country.upper(), year, value, source,
        parse_date(vintage) if vintage else None))
    write(import_text(report, dry_run=False))
    warn(report.warnings)


@kpi_app.command("import")
@guard
def kpi_import(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", exists=True, dir_okay=False,
                                                help="World Bank files in any of the three "
                                                     "formats.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; "
                                          "write nothing.")] = False,
    allow_older: Annotated[bool, typer.Option("--allow-older", help="Let a file with an older "
                                              "vintage replace stored values.")] = False,
) -> None:
    """Import World Bank KPI data: the WDI bulk CSV, the API JSON or DataBank's Data.csv.

    Series map to KPIs by their code; only member states are taken. Re-importing the same
    data changes nothing.

    Example: sapsmed kpi import API_IC.REG.DURS_DS2_en_csv_v2_1.csv --dry-run
    """
    from . import wdi
    from .importer import import_files
    from .render_kpi import import_text

    root = find_root()
    downloads = [wdi.read(path) for path in files]
    total = sum(len(d.observations) for d in downloads)
    if fancy() and total > 5_000:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("importing", total=total)
            report = refused_to_exit(root, lambda: import_files(
                root, downloads, allow_older, dry_run, lambda n: bar.advance(task, n)))
    else:
        report = refused_to_exit(root, lambda: import_files(root, downloads, allow_older,
                                                            dry_run))
    write(import_text(report, dry_run))
    warn(report.warnings)


@kpi_app.command("coverage")
@guard
def kpi_coverage(
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Which KPI has data for which country, how recent, against what the plan declares.

    Example: sapsmed kpi coverage
    """
    from .kpiviews import coverage
    from .render import as_json as dump
    from .render_kpi import coverage_text

    data = coverage(load(), parse_date(as_of))
    write(dump(data) if as_json else coverage_text(data))


def find_root() -> Path:
    from .plan import find_plan_dir

    return find_plan_dir(state["plan"])


def refused_to_exit(root: Path, action: Callable[[], T]) -> T:
    """Run an edit; a refusal prints its problems and exits 1."""
    from .edit import EditRefused
    from .render import problems_text

    try:
        return action()
    except EditRefused as exc:
        sys.stderr.write(f"sapsmed: {exc}\n" + problems_text(exc.problems, count_files(root)))
        raise typer.Exit(1) from None


def warn(problems: list[Problem]) -> None:
    for problem in problems:
        sys.stderr.write(problem_line(problem) + "\n")


COMMANDS: dict[str, Callable[..., None]] = {
    "validate": validate, "show": show, "status": status, "lines": lines,
    "scorecard": scorecard, "update": update, "report": report, "diff": diff,
    "history": history, "export": export, "init": init, "schema": schema}


def make_app(only: str | None = None) -> typer.Typer:
    """The CLI; with ``only``, a CLI holding just that command.

    Typer builds every registered command's parameters before running one, so the
    console script registers only the command it was asked for (same options, same help)."""
    cli = typer.Typer(
        help="Track the ASEAN Strategic Action Plan for SME Development 2016-2025.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    cli.callback()(main)
    for name, command in COMMANDS.items():
        if only in (None, name):
            cli.command(name)(command)
    if only in (None, "kpi"):
        cli.add_typer(kpi_app, name="kpi")
    return cli


app = make_app()


def requested_command(args: list[str]) -> str | None:
    """The subcommand named on the command line, if it is plainly there."""
    rest = iter(args)
    for arg in rest:
        if arg == "--plan":
            next(rest, None)
        elif arg.startswith("--plan="):
            continue
        elif arg.startswith("-"):
            return None  # --help, --version or a typo: the full CLI answers
        else:
            return arg if arg in COMMANDS or arg == "kpi" else None
    return None


def run() -> None:
    """Console-script entry: domain errors become a message and an exit code, never a trace."""
    try:
        make_app(requested_command(sys.argv[1:]))()
    except SapsmedError as exc:
        sys.stderr.write(f"sapsmed: {exc}\n")
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("SAPSMED_DEBUG"):
            raise
        sys.stderr.write(f"sapsmed: internal error: {type(exc).__name__}: {exc}\n"
                         "This is a bug; run again with SAPSMED_DEBUG=1 for details.\n")
        sys.exit(3)
