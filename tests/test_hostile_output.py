"""Plan text that is markup somewhere else reaches no terminal, report, CSV or CI log raw."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from .conftest import Cli

ESC_TITLE = r'"\e[31mRED\e[0m \u202Eevil\u2066"'
MARKUP_NAME = '"Loans [/bold] to SMEs [link=https://evil.example]click[/link]"'
HTML_COUNTRY = r'"Malaysia | <script>alert(1)</script>\n# Injected heading"'
MERMAID_CODE = (
    r'"IC.REG.DURS\n```mermaid\n%%{init: {\"securityLevel\":\"loose\"}}%%\n'
    r'click A call alert()\n```"'
)
NOTE = r'"\e[2J\e]0;pwned\a\e]8;;https://evil.example\e\\link\e]8;;\e\\"'
FORMULA = "\"=cmd|' /C calc'!A0\""
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def hostile(cli: Cli, plan_copy: Path) -> Path:
    replace(
        plan_copy / "goals" / "B.yaml", "title: Increase Access to Finance", f"title: {ESC_TITLE}"
    )
    replace(
        plan_copy / "kpis.yaml",
        "name: Percentage of business loans to SMEs",
        f"name: {MARKUP_NAME}",
    )
    replace(
        plan_copy / "countries.yaml",
        "{id: MYS, name: Malaysia}",
        f"{{id: MYS, name: {HTML_COUNTRY}}}",
    )
    replace(
        plan_copy / "kpis.yaml", "indicator_code: IC.REG.DURS", f"indicator_code: {MERMAID_CODE}"
    )
    text = (plan_copy / "readings" / "KPI-D1.yaml").read_text()
    source = re.search(r"source: (.*)\n", text)
    assert source is not None
    replace(plan_copy / "readings" / "KPI-D1.yaml", source.group(0), f"source: {FORMULA}\n")
    assert cli("validate").exit_code == 0
    result = cli(
        "update",
        "B-2-1.3",
        "--status",
        "ongoing",
        "--date",
        "2018-01-01",
        "--note",
        "\x1b[2J\x1b]0;pwned\x07 \u202eevil",
        "--by",
        '=HYPERLINK("http://x")',
    )
    assert result.exit_code == 0, result.stderr
    return plan_copy


COMMANDS = [
    ["status"],
    ["status", "--goal", "B"],
    ["status", "--country", "MYS"],
    ["show", "B"],
    ["show", "B-2-1.3"],
    ["show", "MYS"],
    ["show", "KPI-B1"],
    ["lines"],
    ["scorecard", "--by", "country"],
    ["kpi", "list"],
    ["kpi", "show", "KPI-D1"],
    ["kpi", "coverage"],
    ["report"],
    ["report", "--country", "MYS"],
    ["report", "--mid-term"],
    ["export"],
    ["lines", "--json"],
    ["status", "--json"],
    ["grid"],
    ["grid", "--csv"],
    ["grid", "--json"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_raw_control_reaches_the_output(cli: Cli, hostile: Path, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert not RAW_CONTROL.search(result.stdout), RAW_CONTROL.search(result.stdout)


def test_plain_text_shows_escapes_on_one_line(cli: Cli, hostile: Path) -> None:
    out = cli("status", "--goal", "B").stdout
    assert "Goal B: \\e[31mRED\\e[0m \\u202eevil\\u2066  (champions: MYS, LAO)" in out
    assert (
        'last update 2018-01-01 by =HYPERLINK("http://x"): \\e[2J\\e]0;pwned\\x07 '
        "\\u202eevil" in out
    )


def test_rich_never_reads_plan_text_as_markup(
    hostile: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    from sapsmed.cli import tty
    from sapsmed.monitor import views
    from sapsmed.validate.validation import validate

    monkeypatch.setenv("FORCE_COLOR", "1")  # Rich writes as to a terminal, styles and all
    monkeypatch.delenv("NO_COLOR")
    plan = validate(hostile).plan
    assert plan is not None
    tty.print_status(views.status(plan, date(2019, 6, 30), goal="B"))
    out = capsys.readouterr().out
    assert "\x1b[" in out  # Rich's own styling is there
    assert "[/bold]" in out and "[link=https://evil.example]click[/link]" in out
    for raw in ("\x1b[2J", "\x1b]0;", "\x1b]8;", "\x07", "\u202e", "\u2066"):
        assert raw not in out, raw


def test_markdown_report_holds_no_html_heading_or_mermaid_from_plan_text(
    cli: Cli, hostile: Path
) -> None:
    from markdown_it import MarkdownIt

    out = cli("report").stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(out)
    assert not [t for t in tokens if t.type == "html_block"]
    inline = [c for t in tokens if t.children for c in t.children]
    assert not [c for c in inline if c.type in ("html_inline", "link_open")]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not [h for h in headings if "Injected" in h]
    fences = [t for t in tokens if t.type == "fence"]
    assert all(t.info == "mermaid" for t in fences)
    for fence in fences:
        assert "%%" not in fence.content and "securityLevel" not in fence.content
        assert not re.search(r"^\s*click\b", fence.content, re.MULTILINE)
    assert "&lt;script&gt;" in cli("report", "--country", "MYS").stdout


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "csv", "--table", "readings"],
        ["export", "--format", "csv", "--table", "lines"],
        ["lines", "--csv"],
        ["grid", "--csv"],
    ],
    ids=" ".join,
)
def test_csv_cells_never_start_a_formula(cli: Cli, hostile: Path, args: list[str]) -> None:
    out = cli(*args).stdout
    rows = list(csv.reader(io.StringIO(out)))
    cells = [c for row in rows for c in row]
    assert not [
        c
        for c in cells
        if c[:1] in ("=", "+", "@", "\t", "\r")
        or (c[:1] == "-" and not re.fullmatch(r"-[0-9.]+", c))
    ]
    if "readings" in args:
        assert "'=cmd|' /C calc'!A0" in cells


def test_csv_keeps_plain_negative_numbers() -> None:
    from sapsmed.base.safetext import csv_cell

    assert [csv_cell(v) for v in ("-4.2", "+3", "-", "-x", "@SUM(A1)", -4.2, "\tx")] == [
        "-4.2",
        "+3",
        "'-",
        "'-x",
        "'@SUM(A1)",
        -4.2,
        "'\\tx",
    ]


def test_github_annotations_cannot_be_forged_by_a_file_name(cli: Cli, plan_copy: Path) -> None:
    evil = plan_copy / "goals" / "Z\n::error file=README.md,line=1::INJECTED\n.yaml"
    evil.write_text("id: [broken\n")
    result = cli("validate", "--format", "github")
    assert result.exit_code == 1
    for line in result.stdout.splitlines():
        if line.startswith("::"):
            assert re.fullmatch(
                r"::(error|warning) file=[^,:\n]*,line=\d+,col=\d+,title=[A-Z0-9-]+"
                r"::[^\r\n]*",
                line,
            ), line
    assert not [ln for ln in result.stdout.splitlines() if ln.startswith("::error file=README.md")]


def test_the_output_boundary_escapes_whatever_a_renderer_lets_through(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from sapsmed.cli.common import err, write

    write("a\x1b[2Jb\u202ec\x9bd\n\te\n")
    err("x\x07y\n")
    captured = capsys.readouterr()
    assert captured.out == "a\\e[2Jb\\u202ec\\x9bd\n\te\n"
    assert captured.err == "x\\x07y\n"


def test_json_output_stays_valid_and_inert() -> None:
    import json

    from sapsmed.base.safetext import json_text

    data = {"t": "\x1b]0;x\x07 \u202e \x9b é 😀"}
    out = json_text(data)
    assert json.loads(out) == data
    assert not RAW_CONTROL.search(out)
    assert "é 😀" in out
