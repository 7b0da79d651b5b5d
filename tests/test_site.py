"""`sapsmed site` without a browser: the pages it writes, what it refuses to overwrite,
determinism, size, and hostile plan text kept inert in the HTML itself."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import Cli, ok
from .site_support import AS_OF

INJECTIONS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "' onmouseover='alert(3)",
    "</title><svg onload=alert(4)>",
    "javascript:alert(5)",
    "{{ 7*7 }}{% raw %}",
)


class Elements(HTMLParser):
    """Every start tag and attribute of a page, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def site(cli: Cli, out: Path, *extra: str) -> str:
    return ok(cli, "site", "-o", str(out), "--as-of", AS_OF, *extra)


def test_a_page_for_every_goal_line_kpi_and_member_state(cli: Cli, plan_copy: Path) -> None:
    said = site(cli, plan_copy.parent / "public")
    out = plan_copy.parent / "public"
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    lines = [r["id"] for r in json.loads(ok(cli, "lines", "--as-of", AS_OF, "--json"))]
    kpis = [r["id"] for r in json.loads(ok(cli, "kpi", "list", "--json"))]
    assert len(lines) == 12 and len(kpis) == 10
    expected = sorted(
        ["index.html", "site.css"]
        + [f"goals/{g}.html" for g in "ABCDE"]
        + [f"lines/{i}.html" for i in lines]
        + [f"kpis/{k}.html" for k in kpis]
        + [
            f"countries/{c}.html"
            for c in (["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"])
        ]
    )
    assert names == expected
    assert said == f"wrote {len(expected) - 1} pages to {out}{os.sep} (open {out / 'index.html'})\n"


def test_the_same_plan_and_date_give_byte_identical_files(cli: Cli, plan_copy: Path) -> None:
    first, second = plan_copy.parent / "one", plan_copy.parent / "two"
    site(cli, first, "--base-url", "https://example.org/plan")
    site(cli, second, "--base-url", "https://example.org/plan")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    assert Path("sitemap.xml") in files


def test_links_are_relative_and_nothing_is_fetched_from_elsewhere(
    cli: Cli, plan_copy: Path
) -> None:
    out = plan_copy.parent / "public"
    site(cli, out, "--base-url", "https://example.org/plan/")
    for page in out.rglob("*.html"):
        found = parse(page)
        for tag, name, value in found.attributes:
            if name in ("href", "src", "action", "xlink:href"):
                canonical = tag == "link" and ("rel", "canonical") in [
                    (n, v) for t, n, v in found.attributes if t == "link"
                ]
                if value.startswith("https://example.org/plan/") and canonical:
                    continue
                assert "//" not in value and not value.startswith("/"), (page, value)
        assert "script" not in found.tags, page
    assert (out / "index.html").stat().st_size < 1_000_000


def test_base_url_must_be_a_web_address(cli: Cli, plan_copy: Path) -> None:
    for bad in (
        "javascript:alert(1)",
        "example.org",
        "https://x.org/a b",
        'https://x"y',
        "https://[::1/",
        "https://x?",
        "https://x/#",
        "https://user:pw@x.org/",
        "https://x:99999/",
        "https://bücher.de/",
    ):
        result = cli("site", "-o", "public", "--as-of", AS_OF, "--base-url", bad)
        assert result.exit_code != 0
        assert "--base-url takes an http or https address" in result.stderr
        assert not (plan_copy.parent / "public").exists()


def test_an_earlier_site_is_replaced_whole(cli: Cli, plan_copy: Path) -> None:
    out = plan_copy.parent / "public"
    site(cli, out)
    stale = out / "lines" / "Z-9-9.9.html"  # a line removed from the plan since
    stale.write_text((out / "lines" / "B-2-1.3.html").read_text())  # a page it wrote
    (out / ".DS_Store").write_bytes(b"\0")  # what a file manager leaves
    site(cli, out)
    assert not stale.exists()
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in plan_copy.parent.iterdir()) == ["plan", "public"]  # no debris


def earlier_site(folder: Path) -> bool:
    result = Cli()("site", "-o", str(folder), "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    return True


def fifo(path: Path) -> bool:
    os.mkfifo(path)
    return True


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda d: (d.mkdir(), (d / "notes.txt").write_text("mine")), "holds 'notes.txt'"),
        (
            lambda d: (earlier_site(d), (d / "goals" / "mine.html").write_text("<p>mine</p>")),
            "holds 'goals/mine.html'",
        ),  # fmt: skip
        (
            lambda d: (d.mkdir(), (d / "index.html").write_text("<p>mine</p>")),
            "holds 'index.html', a page `sapsmed site` did not write",
        ),  # fmt: skip
        (lambda d: d.write_text("a file"), "is not a folder"),
        (lambda d: (d.mkdir(), fifo(d / "index.html")), "holds 'index.html'"),
        (lambda d: d.symlink_to(d.parent / "plan"), "is a symbolic link"),
    ],
)
def test_a_folder_holding_anything_else_is_refused_and_left_as_it_was(
    cli: Cli, plan_copy: Path, setup: object, message: str
) -> None:
    out = plan_copy.parent / "public"
    setup(out)  # type: ignore[operator]
    before = sorted(os.listdir(plan_copy.parent))
    result = cli("site", "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert message in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(os.listdir(plan_copy.parent)) == before


def test_the_current_folder_and_those_above_it_are_refused(
    cli: Cli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replacing the folder a shell stands in would leave it in a deleted folder."""
    out = plan_copy.parent / "public"
    site(cli, out)
    monkeypatch.chdir(out / "goals")
    for target in (".", ".."):
        result = cli("--plan", str(plan_copy), "site", "-o", target, "--as-of", AS_OF)
        assert result.exit_code == 1 and "is the current folder or holds it" in result.stderr
    assert (out / "goals" / "B.html").is_file()


def test_a_member_state_has_one_colour_on_every_chart(cli: Cli, plan_copy: Path) -> None:
    out = plan_copy.parent / "public"
    site(cli, out)
    colours: dict[str, set[str]] = {}
    for page in (out / "kpis").glob("*.html"):
        text = page.read_text()
        for css, code in re.findall(r'<g class="series-group (s\d+)" data-series="(\w+)">', text):
            colours.setdefault(code, set()).add(css)
    countries = {k: v for k, v in colours.items() if re.fullmatch("[A-Z]{3}", k)}
    assert len(countries) >= 5 and all(len(v) == 1 for v in countries.values()), countries
    assert len({next(iter(v)) for v in countries.values()}) == len(countries)


def test_the_plan_folder_itself_is_refused(cli: Cli, plan_copy: Path) -> None:
    result = cli("site", "-o", str(plan_copy), "--as-of", AS_OF)
    assert result.exit_code == 1 and "does not write" in result.stderr
    assert (plan_copy / "plan.yaml").is_file()


def test_hostile_plan_text_stays_text_in_every_page(cli: Cli, plan_copy: Path) -> None:
    """Every kind of text field carries markup; the HTML parser finds none of it as markup."""
    edits = {
        "goals/B.yaml": ("title: Increase Access to Finance", "title: {}", INJECTIONS[0]),
        "kpis.yaml": ("name: Percentage of business loans to SMEs", "name: {}", INJECTIONS[1]),
        "countries.yaml": ("{id: MYS, name: Malaysia}", "{{id: MYS, name: {}}}", INJECTIONS[2]),
    }
    for name, (old, new, payload) in edits.items():
        path = plan_copy / name
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new.format(json.dumps(payload)), 1))
    ok(cli, "validate")
    ok(
        cli,
        "update",
        "B-2-1.3",
        "--status",
        "ongoing",
        "--date",
        "2018-01-01",
        "--note",
        INJECTIONS[3] + " \u202e\x00",
        "--by",
        INJECTIONS[4],
        "--source",
        INJECTIONS[5],
    )
    out = plan_copy.parent / "public"
    site(cli, out)
    text = ""
    for page in out.rglob("*.html"):
        found = parse(page)
        assert not {"script", "img", "iframe", "object", "embed"} & set(found.tags), page
        assert not [a for a in found.attributes if a[1].startswith("on")], page
        assert not [a for a in found.attributes if "javascript:" in a[2] and a[1] == "href"]
        text += "".join(found.text)
    for payload in INJECTIONS:
        assert payload in text  # shown, as text
    assert "\u202e" not in text and "\x00" not in text and "\\u202e" in text


def test_a_site_rendered_in_parallel_is_the_same_as_one_rendered_in_turn(
    plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large site is rendered by forked processes; small ones in turn: same bytes."""
    from sapsmed.cli.common import load
    from sapsmed.site import build

    plan = load()
    day = date.fromisoformat(AS_OF)
    monkeypatch.setattr(build, "PARALLEL_FROM", 10**9)
    alone = build.build(plan, day, "0" * 40, "https://example.org/")
    monkeypatch.setattr(build, "PARALLEL_FROM", 1)
    shared = build.build(plan, day, "0" * 40, "https://example.org/")
    assert list(shared) == list(alone) and shared == alone
    assert len(alone) == 40  # 38 pages, the stylesheet, the sitemap
