"""An edit validates the plan once and reads the folder once: the check's own reading keys
the cache, and the next command starts from the edited plan without validating again."""

from __future__ import annotations

from pathlib import Path

import pytest

from sapsmed.validate import cache, validation

from .conftest import Cli

UPDATE = ("update", "B-2-1.3", "--status", "ongoing", "--progress", "40", "--date", "2019-06-30")


def counted(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(module, name)

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


def test_an_edit_validates_once_and_fingerprints_once(
    cli: Cli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("status", "--as-of", "2020-01-01").exit_code == 0  # the cache is warm
    validations = counted(monkeypatch, validation, "validate")
    fingerprints = counted(monkeypatch, cache, "fingerprint")
    result = cli(*UPDATE)
    assert result.exit_code == 0, result.stderr
    assert (len(validations), len(fingerprints)) == (1, 1)
    # the cache now holds the edited plan under the key of the files on disk
    validations.clear()
    shown = cli("show", "B-2-1.3", "--json", "--as-of", "2020-01-01")
    assert validations == [] and '"percent": 40' in shown.stdout.replace(".0", "")


def test_the_key_of_what_validation_read_is_the_key_of_the_folder(plan_copy: Path) -> None:
    """Read by the loader (bytes or an edit's text) or by the cache, a folder has one key."""
    result = validation.validate(plan_copy)
    assert cache.with_code(result.key) == cache.fingerprint(plan_copy)
    path = plan_copy / "goals" / "B.yaml"
    text = path.read_text() + "# a comment é\n"
    checked = validation.validate(plan_copy, overrides={path: text})
    assert checked.key != result.key
    path.write_text(text, encoding="utf-8")
    assert cache.with_code(checked.key) == cache.fingerprint(plan_copy)


def test_a_link_or_fifo_in_the_folder_changes_the_key(plan_copy: Path) -> None:
    before = cache.fingerprint(plan_copy)
    (plan_copy / "goals" / "Z.yaml").symlink_to("/etc/hostname")
    assert cache.fingerprint(plan_copy) != before
