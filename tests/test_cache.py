from __future__ import annotations

import json
from pathlib import Path

import pytest

from sapsmed.domain.plan import Plan
from sapsmed.validate import cache

from .conftest import Cli


def cached() -> list[Path]:
    return sorted(cache.cache_dir().glob("*.plan-cache"))


def test_warm_run_gives_the_same_answer_as_a_cold_one(cli: Cli, plan_copy: Path) -> None:
    cold = cli("status", "--as-of", "2020-01-01", "--json").stdout
    assert len(cached()) == 1
    warm = cli("status", "--as-of", "2020-01-01", "--json").stdout
    assert warm == cold
    assert json.loads(warm)["summary"]["lines"] == 12


def test_cache_round_trip_equals_fresh_plan(plan_copy: Path) -> None:
    fresh, problems = cache.load(plan_copy)
    assert fresh is not None and problems == []
    again, _ = cache.load(plan_copy)
    assert again is not None
    assert again.to_cache() == fresh.to_cache()
    assert again.readings == fresh.readings
    assert isinstance(again, Plan) and again.lines.keys() == fresh.lines.keys()


def test_an_edit_is_seen_even_with_a_cached_plan(cli: Cli, plan_copy: Path) -> None:
    assert cli("status", "--goal", "B").exit_code == 0
    path = plan_copy / "goals" / "B.yaml"
    path.write_text(path.read_text().replace("due_year: 2018", "due_year: 2035"))
    result = cli("status", "--goal", "B")
    assert result.exit_code == 1
    assert "[R-YEAR]" in result.stderr


def test_same_size_edit_is_seen(cli: Cli, plan_copy: Path) -> None:
    """The key is the files' bytes, not their size or time stamp."""
    cli("status")
    path = plan_copy / "goals" / "B.yaml"
    text = path.read_text()
    path.write_text(text.replace("due_year: 2018", "due_year: 2019"))
    data = json.loads(cli("status", "--goal", "B", "--json").stdout)
    assert {r["id"]: r["due_year"] for r in data["lines"]}["B-2-1.3"] == 2019


def test_damaged_cache_is_ignored_and_replaced(cli: Cli, plan_copy: Path) -> None:
    cli("status")
    [location] = cached()
    key = location.read_bytes().split(b"\n", 1)[0]
    location.write_bytes(key + b"\nnot marshal data")
    result = cli("status", "--goal", "B", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["lines"][0]["id"] == "B-2-1.2"
    assert location.read_bytes() != key + b"\nnot marshal data"


def test_no_cache_setting_writes_nothing(
    cli: Cli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAPSMED_NO_CACHE", "1")
    assert cli("status").exit_code == 0
    assert cached() == []


def test_unwritable_cache_is_not_an_error(
    cli: Cli, plan_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cli("status", "--goal", "B").exit_code == 0


def test_validate_never_trusts_the_cache(cli: Cli, plan_copy: Path) -> None:
    cli("status")
    (plan_copy / "countries.yaml").write_text("member_states: []\n")
    assert cli("validate").exit_code == 1


def test_an_edit_leaves_a_fresh_cached_plan(cli: Cli, plan_copy: Path) -> None:
    cli("status")
    assert cli("update", "B-2-1.3", "--status", "ongoing", "--date", "2018-02-01").exit_code == 0
    [location] = cached()
    assert location.read_bytes().split(b"\n", 1)[0].decode() == cache.fingerprint(plan_copy)
    plan, problems = cache.load(plan_copy)
    assert plan is not None and problems == []
    assert plan.lines["B-2-1.3"].line["updates"][0]["date"] == "2018-02-01"
