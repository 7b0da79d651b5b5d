"""diff and history read revisions in memory: crafted trees, odd names, broken revisions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from sapsmed.io import revisions as gitplan
from sapsmed.validate.validation import validate

from .conftest import PLAN, Cli, git

Entries = list[tuple[str, bytes, str]]  # (mode, name, object)


def run_git(repo: Path, *args: str, data: bytes = b"") -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], input=data, capture_output=True, check=True
    )
    return done.stdout.decode().strip()


def blob(repo: Path, data: bytes) -> str:
    return run_git(repo, "hash-object", "-w", "--stdin", data=data)


def tree(repo: Path, entries: Entries) -> str:
    """A tree object written from raw bytes: git's own checks would refuse these names.
    Entries are sorted as git sorts them, so git itself finds paths in it."""
    entries = sorted(entries, key=lambda e: e[1] + (b"/" if e[0] == "40000" else b""))
    raw = b"".join(
        f"{mode} ".encode() + name + b"\0" + bytes.fromhex(sha) for mode, name, sha in entries
    )
    return run_git(repo, "hash-object", "-w", "-t", "tree", "--literally", "--stdin", data=raw)


def entries(repo: Path, treeish: str) -> Entries:
    out = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-z", treeish], capture_output=True, check=True
    ).stdout
    found = []
    for record in out.split(b"\0"):
        if record:
            head, name = record.split(b"\t", 1)
            mode, _, sha = head.decode().split()
            found.append((mode.lstrip("0"), name, sha))
    return found


def replaced(items: Entries, name: bytes, mode: str, sha: str) -> Entries:
    return [e for e in items if e[1] != name] + [(mode, name, sha)]


def branch(repo: Path, name: str, plan_tree: str, message: str) -> str:
    """A commit on main whose plan/ is ``plan_tree``, as branch ``name``."""
    root = tree(repo, replaced(entries(repo, "main^{tree}"), b"plan", "40000", plan_tree))
    sha = run_git(repo, "commit-tree", root, "-p", "main", "-m", message)
    run_git(repo, "update-ref", f"refs/heads/{name}", sha)
    return sha


def files_under(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.lstat().st_size for p in sorted(folder.rglob("*"))}


def no_temp_files(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a temporary file or folder was asked for")

    for name in ("mkdtemp", "mkstemp", "TemporaryDirectory", "NamedTemporaryFile"):
        monkeypatch.setattr(tempfile, name, refused)


def problems(result: Any) -> list[tuple[str, str, str]]:
    data = json.loads(result.stdout)
    return [(p["file"], p["code"], p["message"]) for p in data["problems_introduced"]]


# --- a crafted commit -------------------------------------------------------------------


@pytest.fixture
def evil(repo: Path, tmp_path: Path) -> Path:
    """Branch `evil`: plan/ holds `..` (nested to reach tmp_path/outside/canary.yaml), `.git`
    and `a/b.yaml` as one name; goals/ holds `..`, a newline and a non-UTF-8 name."""
    yaml = blob(repo, b"kpi: KPI-D1\nreleases: []\n")
    canary = tree(repo, [("100644", b"canary.yaml", yaml)])
    for part in reversed([*Path(tmp_path / "outside").parts[1:]]):
        canary = tree(repo, [("40000", part.encode(), canary)])
    for _ in range(len(Path.cwd().parts) + 8):
        canary = tree(repo, [("40000", b"..", canary)])
    goals = entries(repo, "main:plan/goals") + [
        ("100644", b"..", yaml),
        ("100644", b"x\n.yaml", yaml),
        ("100644", b"\xff.yaml", yaml),
    ]
    plan = replaced(entries(repo, "main:plan"), b"goals", "40000", tree(repo, goals)) + [
        ("40000", b"..", canary),
        ("40000", b".git", tree(repo, [("100644", b"config", yaml)])),
        ("100644", b"a/b.yaml", yaml),
    ]
    branch(repo, "evil", tree(repo, plan), "evil")
    return repo


def test_a_crafted_tree_writes_nothing_and_is_reported(
    cli: Cli, evil: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = files_under(tmp_path)
    no_temp_files(monkeypatch)
    result = cli("diff", "main", "evil", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert sorted(problems(result)) == [
        ("plan", "F-GIT-NAME", "a tree entry named '..' cannot be a plan file; not read"),
        ("plan", "F-GIT-NAME", "a tree entry named '.git' cannot be a plan file; not read"),
        ("plan", "F-GIT-NAME", "a tree entry named 'a/b.yaml' cannot be a plan file; not read"),
        ("plan/goals", "F-GIT-NAME", "a tree entry named '..' cannot be a plan file; not read"),
        (
            "plan/goals",
            "F-GIT-NAME",
            "a tree entry named '\\xff.yaml' cannot be a plan file; not read",
        ),
        (
            "plan/goals",
            "F-GIT-NAME",
            "a tree entry named 'x\\n.yaml' cannot be a plan file; not read",
        ),
    ]
    data = json.loads(result.stdout)
    assert data["incomplete"] == [{"revision": "evil", "errors": 6}]
    assert data["added"] == data["removed"] == data["readings_removed"] == []
    text = cli("diff", "main", "evil").stdout.splitlines()
    assert text[1] == "note: evil has 6 error(s); its plan is shown as far as it could be read"
    assert (
        "new problem plan/goals:1:1: error: a tree entry named 'x\\n.yaml' cannot be a plan "
        "file; not read [F-GIT-NAME]" in text
    )
    assert files_under(tmp_path) == before
    assert not (tmp_path / "outside").exists()


def test_the_cli_process_writes_no_file_anywhere(evil: Path, tmp_path: Path) -> None:
    temp, cache = tmp_path / "temp", tmp_path / "cache"
    temp.mkdir()
    cache.mkdir()
    before = files_under(tmp_path)
    env = {**os.environ, "TMPDIR": str(temp), "XDG_CACHE_HOME": str(cache)}
    for args in (["diff", "main", "evil"], ["history", "B-2-1.3"], ["diff", "evil"]):
        done = subprocess.run(
            [sys.executable, "-m", "sapsmed", *args],
            cwd=evil,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
    assert files_under(tmp_path) == before
    assert not (tmp_path / "outside").exists()


def test_links_submodules_subfolders_repeats_and_large_blobs(
    cli: Cli, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = run_git(repo, "rev-parse", "main")
    goals = entries(repo, "main:plan/goals")
    old = tree(repo, [("100644", b"B.yaml", goals[1][2])])
    goals += [
        ("120000", b"Z.yaml", blob(repo, b"../../../etc/passwd")),
        ("160000", b"Y.yaml", head),
        ("40000", b"old", tree(repo, [("40000", b"x", old)])),
        goals[0],
    ]  # the first goal's file again, by the same name
    plan = replaced(entries(repo, "main:plan"), b"goals", "40000", tree(repo, goals))
    plan = replaced(plan, b"readings", "120000", blob(repo, b"/tmp"))
    branch(repo, "odd", tree(repo, plan), "odd")
    result = cli("diff", "main", "odd", "--format", "json")
    assert result.exit_code == 0, result.stderr
    name = goals[0][1].decode()
    assert sorted(problems(result)) == [
        ("plan/goals", "F-GIT-NAME", f"the tree names '{name}' twice; the first is read"),
        ("plan/goals/Y.yaml", "F-NOT-FILE", "not a regular file (a submodule); not read"),
        ("plan/goals/Z.yaml", "F-LINK", "a symbolic link; not followed"),
        (
            "plan/goals/old/x/B.yaml",
            "F-IGNORED",
            "not read: plan files live in plan.yaml, "
            "countries.yaml, kpis.yaml, goals/*.yaml and readings/*.yaml (no subfolders)",
        ),
        ("plan/readings", "F-LINK", "a symbolic link; not followed"),
    ]
    data = json.loads(result.stdout)
    assert len(data["readings_removed"]) == 1210 and data["removed"] == []

    monkeypatch.setattr(gitplan, "MAX_FILE_BYTES", 2000)  # kpis.yaml and the goals are larger
    large = cli("diff", "WORKTREE", "main", "--format", "json")  # the files on disk are read
    found = sorted((f, code) for f, code, _ in problems(large))
    assert ("plan/kpis.yaml", "F-TOO-LARGE") in found and (
        "plan/goals/B.yaml",
        "F-TOO-LARGE",
    ) in found
    assert ("plan/countries.yaml", "F-TOO-LARGE") not in found  # read after skipped blobs
    assert ("plan/kpis.yaml", "F-MISSING") not in found


# --- odd but honest names ---------------------------------------------------------------


def test_a_plan_folder_with_a_non_ascii_name_and_a_quote_in_a_file_name(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    folder = root / "plän"
    shutil.copytree(PLAN, folder)
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "plan")
    readings = folder / "readings"
    text = (readings / "KPI-D1.yaml").read_text()
    (readings / "KPI-D1.yaml").unlink()
    (readings / 'E"q.yaml').write_text(text.replace("[MYS, 2019, 17.5]", "[MYS, 2019, 18]"))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "rename")
    monkeypatch.chdir(root)
    result = cli("--plan", "plän", "diff", "HEAD~1", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["readings_revised"] == [
        {
            "kpi": "KPI-D1",
            "country": "MYS",
            "year": 2019,
            "old": 17.5,
            "new": 18.0,
            "old_vintage": "2019-10-28",
            "new_vintage": "2019-10-28",
            "source": data["readings_revised"][0]["source"],
        }
    ]
    assert data["readings_added"] == data["readings_removed"] == []
    # the name is read exactly: the problem names the file (a readings file is named for
    # its KPI), and the revision's readings are still shown
    assert [(p["file"], p["code"]) for p in data["problems_introduced"]] == [
        ('plän/readings/E"q.yaml', "R-ID-PARENT")
    ]
    story = cli("--plan", "plän", "history", "KPI-D1").stdout.splitlines()
    assert "    reading MYS 2019 revised: 17.5 -> 18" in story


# --- a broken revision still shows what it holds ------------------------------------------


@pytest.fixture
def broken(repo: Path, cli: Cli) -> Path:
    """Branch `pr`: B-2-1.3 completed, PHL 2009 revised, and a reading row `[MYS, twenty, 5]`."""
    git(repo, "checkout", "-q", "-b", "pr")
    assert (
        cli(
            "update",
            "B-2-1.3",
            "--status",
            "completed",
            "--date",
            "2018-11-30",
            "--note",
            "Portal live",
        ).exit_code
        == 0
    )
    path = repo / "plan" / "readings" / "KPI-D1.yaml"
    path.write_text(
        path.read_text()
        .replace("[MYS, 2019, 17.5]", "[MYS, twenty, 5]")
        .replace("[PHL, 2009, 34]", "[PHL, 2009, 33]")
    )
    git(repo, "commit", "-q", "-am", "B-2-1.3 done; readings typed in")
    return repo


def test_a_broken_revision_shows_its_changes_next_to_its_problems(cli: Cli, broken: Path) -> None:
    result = cli("diff", "main", "pr", "--format", "json", "--as-of", "2020-06-30")
    assert result.exit_code == 0, result.stderr  # diff reports; validate is what fails
    data = json.loads(result.stdout)
    assert data["incomplete"] == [{"revision": "pr", "errors": 1}]
    assert [(p["file"], p["line"], p["code"]) for p in data["problems_introduced"]] == [
        ("plan/readings/KPI-D1.yaml", 88, "S-INVALID")
    ]
    assert data["status_changes"] == [
        {
            "id": "B-2-1.3",
            "old": "not_started",
            "new": "completed",
            "old_percent": None,
            "new_percent": 100.0,
        }
    ]
    assert data["updates"][0]["id"] == "B-2-1.3"
    assert [(r["country"], r["year"], r["old"], r["new"]) for r in data["readings_revised"]] == [
        ("PHL", 2009, 34.0, 33.0)
    ]
    # the unreadable row is left out of what is shown: it reads as removed, next to its problem
    assert [(r["country"], r["year"]) for r in data["readings_removed"]] == [("MYS", 2019)]
    text = cli("diff", "main", "pr", "--as-of", "2020-06-30").stdout.splitlines()
    assert text[1] == "note: pr has 1 error(s); its plan is shown as far as it could be read"
    assert "status of B-2-1.3: not_started -> completed (100%)" in text
    markdown = cli("diff", "main", "pr", "--format", "markdown").stdout
    assert "> note: pr has 1 error(s)" in markdown and "| B-2-1.3 | not\\_started |" in markdown
    events = json.loads(cli("history", "B-2-1.3", "--json", "--as-of", "2020-06-30").stdout)
    assert events[-1]["changes"] == [
        "update: date 2018-11-30, status completed, percent 100, note Portal live",
        "status not_started -> completed (100%)",
        "(this commit's plan has 1 error(s); shown as far as it could be read)",
    ]
    kpi = cli("history", "KPI-D1")
    assert kpi.exit_code == 0 and "reading PHL 2009 revised: 34 -> 33" in kpi.stdout


def test_a_cross_reference_error_keeps_status_changes(cli: Cli, broken: Path) -> None:
    path = broken / "plan" / "readings" / "KPI-D1.yaml"
    path.write_text(path.read_text().replace("[MYS, twenty, 5]", "[MYS, 2019, 17.5]"))
    goals = broken / "plan" / "goals" / "B.yaml"
    goals.write_text(goals.read_text().replace("due_year: 2018", "due_year: 2031"))
    data = json.loads(cli("diff", "main", "--format", "json", "--as-of", "2020-06-30").stdout)
    assert [p["code"] for p in data["problems_introduced"]] == ["R-TIMEFRAME", "R-YEAR"]
    assert [s["id"] for s in data["status_changes"]] == ["B-2-1.3"]  # vanished before


def test_history_across_a_commit_that_removes_the_plan(cli: Cli, broken: Path) -> None:
    git(broken, "rm", "-q", "-r", "plan")
    git(broken, "commit", "-q", "-m", "gone")
    git(broken, "checkout", "-q", "main", "--", "plan")
    gone = cli("diff", "HEAD")
    assert gone.exit_code == 1 and gone.stderr == "sapsmed: there is no plan in plan at HEAD\n"
    git(broken, "commit", "-q", "-m", "back")
    events = json.loads(cli("history", "B-2-1.3", "--json").stdout)
    assert [(e["subject"], e["changes"][0]) for e in events[-2:]] == [
        ("gone", "removed"),
        ("back", events[0]["changes"][0]),
    ]


def test_salvage_leaves_out_only_the_items_that_hold_errors(plan_copy: Path) -> None:
    path = plan_copy / "readings" / "KPI-D1.yaml"
    path.write_text(path.read_text().replace("[MYS, 2019, 17.5]", "[MYS, twenty, 5]"))
    kpi = plan_copy / "readings" / "KPI-D2.yaml"
    kpi.write_text(kpi.read_text().replace("kpi: KPI-D2", "kpi: D2"))  # outside any item
    goals = plan_copy / "goals" / "B.yaml"
    goals.write_text(goals.read_text().replace("due_year: 2018", "due_year: [2018]", 1))
    strict, partial = validate(plan_copy), validate(plan_copy, partial=True)
    assert strict.plan is None and strict.problems == partial.problems
    assert partial.plan is not None
    full = validate(PLAN).plan
    assert full is not None
    gone = {(r.kpi, r.country, r.year) for r in full.readings} - {
        (r.kpi, r.country, r.year) for r in partial.plan.readings
    }
    assert ("KPI-D1", "MYS", 2019) in gone and all(k in ("KPI-D1", "KPI-D2") for k, _, _ in gone)
    assert len([k for k in gone if k[0] == "KPI-D1"]) == 1
    assert set(full.lines) - set(partial.plan.lines) == {"B-2-1.3"}


# --- usage errors: exit 2, one line, before git runs --------------------------------------


def test_a_revision_that_looks_like_an_option_never_reaches_git(
    cli: Cli, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"git was run: {args}")

    monkeypatch.setattr(subprocess, "run", refused)
    monkeypatch.setattr(subprocess, "Popen", refused)
    for args in (["--", "--output=x"], ["main", "--", "-x"], ["main ~1"], ["ma\x1bin"]):
        result = cli("diff", *args)
        assert result.exit_code == 2, args
        assert result.stderr.count("\n") == 1 and "is not a revision" in result.stderr
    assert not (repo / "x").exists()


def test_outside_a_repository_and_without_commits(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(PLAN, tmp_path / "plan")
    monkeypatch.chdir(tmp_path)
    for args in (["diff"], ["diff", "HEAD"], ["history", "B-2-1.3"]):
        result = cli(*args)
        assert (result.exit_code, result.stderr) == (
            2,
            "sapsmed: plan is not in a git work tree\n",
        ), args
    git(tmp_path, "init", "-q", "-b", "main")
    for args in (["diff"], ["diff", "HEAD", "main"], ["history", "B-2-1.3"]):
        result = cli(*args)
        assert (result.exit_code, result.stderr) == (
            2,
            "sapsmed: the git repository has no commits yet\n",
        ), args


def test_one_cat_file_process_serves_a_whole_history(
    cli: Cli, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day in ("2019-01-01", "2019-02-01", "2019-03-01"):
        assert (
            cli(
                "update", "B-2-1.2", "--status", "ongoing", "--date", day, "--country", "MYS"
            ).exit_code
            == 0
        )
        git(repo, "commit", "-q", "-am", f"progress {day}")
    started: list[list[str]] = []
    real = subprocess.Popen

    def counted(args: list[str], *rest: Any, **kwargs: Any) -> Any:
        started.append(list(args))
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counted)
    no_temp_files(monkeypatch)
    events = json.loads(cli("history", "B-2-1.2", "--json").stdout)
    assert len(events) == 4
    assert sum("cat-file" in args for args in started) == 1


@pytest.mark.parametrize("mode", ["", "10064400000", "10x644"])
def test_a_malformed_tree_entry_is_a_clear_error(cli: Cli, repo: Path, mode: str) -> None:
    """Found by attack: an entry with an empty mode was an internal error."""
    yaml = blob(repo, b"kpi: KPI-D1\nreleases: []\n")
    plan = entries(repo, "main:plan") + [(mode, b"x.yaml", yaml)]
    branch(repo, "bad", tree(repo, plan), "bad mode")
    result = cli("diff", "main", "bad")
    assert result.exit_code == 1
    assert result.stderr == "sapsmed: a malformed tree object\n"
