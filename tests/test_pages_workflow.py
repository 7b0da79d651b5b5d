"""The GitHub workflows — this repository's and the ones `sapsmed init` writes — are valid
workflow files (SchemaStore's schema, vendored in tests/schemas/ with its provenance; no
network), and the Pages workflow builds with `sapsmed site` and deploys what it wrote."""

from __future__ import annotations

import copy
import json
import shlex
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sapsmed.yamlio.parse import load

from .conftest import ROOT, Cli

SCHEMA = ROOT / "tests" / "schemas" / "github-workflows.json"
WORKFLOWS = ROOT / ".github" / "workflows"


def read(path: Path) -> dict[str, Any]:
    """A workflow as plain data, read as YAML 1.2 (as GitHub does): `on` stays the key "on",
    where PyYAML's YAML 1.1 rules would make it the boolean True."""
    data = load(path).data
    assert isinstance(data, dict)
    return data


def schema() -> dict[str, Any]:
    data = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def errors(workflow: dict[str, Any]) -> list[str]:
    """The schema's complaints about a workflow, by path, with the validator its `$schema`
    names."""
    validator = jsonschema.validators.validator_for(schema())(schema())
    return sorted(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(workflow)
    )


@pytest.fixture
def made(cli: Cli, tmp_path: Path) -> Path:
    """The workflows folder of a plan repository `sapsmed init` wrote."""
    result = cli("init", str(tmp_path / "p"))
    assert result.exit_code == 0, result.stderr
    return tmp_path / "p" / ".github" / "workflows"


def test_the_vendored_schema_is_a_draft_07_schema() -> None:
    data = schema()
    assert data["$schema"] == "http://json-schema.org/draft-07/schema#"
    validator = jsonschema.validators.validator_for(data)
    assert validator is jsonschema.Draft7Validator
    validator.check_schema(data)  # raises SchemaError if the schema itself is broken
    # every reference is inside the file: validation never fetches anything
    refs = SCHEMA.read_text().split('"$ref": "')[1:]
    assert refs and all(ref.startswith("#") for ref in refs)


def test_the_vendored_schema_has_its_provenance_and_licence() -> None:
    readme = (SCHEMA.parent / "README.md").read_text()
    for fact in (
        "python-jsonschema/check-jsonschema",
        "src/check_jsonschema/builtin_schemas/vendor/github-workflows.json",
        "Apache License 2.0",
    ):
        assert fact in readme, fact
    assert "Apache License" in (SCHEMA.parent / "LICENSE.schemastore").read_text()


@pytest.mark.parametrize("name", ["pages.yml", "plan.yml"])
def test_the_repository_workflows_are_valid(name: str) -> None:
    workflow = read(WORKFLOWS / name)
    assert "on" in workflow and all(isinstance(key, str) for key in workflow)
    assert errors(workflow) == []


@pytest.mark.parametrize("name", ["pages.yml", "plan.yml"])
def test_the_workflows_init_writes_are_valid(made: Path, name: str) -> None:
    workflow = read(made / name)
    assert "on" in workflow
    assert errors(workflow) == []


def test_pyyaml_would_have_lost_the_on_key() -> None:
    """Why the workflows are read with sapsmed's YAML 1.2 reader, not yaml.safe_load."""
    import yaml

    assert True in yaml.safe_load((WORKFLOWS / "pages.yml").read_text())
    assert errors(yaml.safe_load((WORKFLOWS / "pages.yml").read_text()))  # no `on`: refused


def broken(change: str) -> dict[str, Any]:
    workflow = copy.deepcopy(read(WORKFLOWS / "pages.yml"))
    if change == "no runs-on":
        del workflow["jobs"]["build"]["runs-on"]
    elif change == "pages: writ":
        workflow["permissions"]["pages"] = "writ"
    elif change == "no jobs":
        del workflow["jobs"]
    elif change == "a step with both uses and run":
        workflow["jobs"]["deploy"]["steps"][0]["run"] = "echo"
    elif change == "an unknown key":
        workflow["deploy-to"] = "pages"
    elif change == "concurrency as a number":
        workflow["concurrency"] = 1
    return workflow


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ("no runs-on", "jobs/build"),
        ("pages: writ", "permissions"),
        ("no jobs", ""),
        ("a step with both uses and run", "jobs/deploy"),
        ("an unknown key", ""),
        ("concurrency as a number", "concurrency"),
    ],
)
def test_the_schema_refuses_a_broken_workflow(change: str, where: str) -> None:
    found = errors(broken(change))
    assert found, change
    assert any(error.startswith(f"{where}: ") for error in found), found


def site_folder(run: str) -> str:
    """The folder a `sapsmed site` command line writes (`-o DIR` or `--output DIR`)."""
    words = shlex.split(run)
    assert words[:2] == ["sapsmed", "site"], run
    flag = next(i for i, word in enumerate(words) if word in ("-o", "--output"))
    return words[flag + 1]


def check_pages(workflow: dict[str, Any]) -> None:
    """What makes the workflow publish the site: triggers, rights, build, upload, deploy."""
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in workflow["on"]
    permissions = workflow["permissions"]
    assert permissions["pages"] == "write" and permissions["id-token"] == "write"
    assert permissions["contents"] == "read"
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = build["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    runs = [step["run"] for step in steps if "run" in step]
    assert uses.index("actions/checkout") < uses.index("actions/configure-pages")
    sites = [run for run in runs if run.startswith("sapsmed site")]
    assert len(sites) == 1
    assert "--base-url" in sites[0] and "steps.pages.outputs.base_url" in sites[0]
    configure = steps[uses.index("actions/configure-pages")]
    assert configure["id"] == "pages"  # the id the --base-url expression reads
    [upload] = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert upload["with"]["path"] == site_folder(sites[0])  # the folder the site was written to
    assert steps.index(upload) > next(i for i, s in enumerate(steps) if s.get("run") == sites[0])
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["environment"]["name"] == "github-pages"
    [step] = deploy["steps"]
    assert step["uses"].startswith("actions/deploy-pages@") and step["id"] == "deployment"
    assert "steps.deployment.outputs.page_url" in deploy["environment"]["url"]


def test_the_repository_pages_workflow_builds_and_deploys_the_site() -> None:
    workflow = read(WORKFLOWS / "pages.yml")
    check_pages(workflow)
    assert "pip install ." in [s.get("run") for s in workflow["jobs"]["build"]["steps"]]


def test_the_pages_workflow_init_writes_builds_and_deploys_the_site(made: Path) -> None:
    workflow = read(made / "pages.yml")
    check_pages(workflow)
    ours = read(WORKFLOWS / "pages.yml")
    # the same workflow as this repository's, but sapsmed installed as plan.yml installs it
    install = [s for s in workflow["jobs"]["build"]["steps"] if "pip install" in s.get("run", "")]
    plan_install = [s for s in read(made / "plan.yml")["jobs"]["plan"]["steps"] if "run" in s][0]
    assert install == [plan_install] and plan_install["run"] == "pip install sapsmed"
    ours["jobs"]["build"]["steps"] = [
        plan_install if s.get("run") == "pip install ." else s
        for s in ours["jobs"]["build"]["steps"]
    ]
    assert workflow == ours


@pytest.mark.parametrize(
    "change",
    [
        lambda w: w["on"]["push"].update(branches=["release"]),
        lambda w: w["permissions"].update({"id-token": "none"}),
        lambda w: w["jobs"]["deploy"].pop("needs"),
        lambda w: w["jobs"]["build"]["steps"][-1]["with"].update(path="site"),
        lambda w: w["jobs"]["deploy"]["steps"][0].update(uses="actions/upload-artifact@v4"),
    ],
    ids=[
        "push to another branch",
        "no id-token",
        "deploy before build",
        "other folder",
        "no deploy",
    ],
)
def test_the_semantic_checks_bite(change: Any) -> None:
    workflow = read(WORKFLOWS / "pages.yml")
    change(workflow)
    with pytest.raises((AssertionError, KeyError)):
        check_pages(workflow)


def test_init_leaves_an_existing_pages_workflow_alone(cli: Cli, tmp_path: Path) -> None:
    mine = tmp_path / "p" / ".github" / "workflows" / "pages.yml"
    mine.parent.mkdir(parents=True)
    mine.write_text("# the team's own\n")
    result = cli("init", str(tmp_path / "p"), "--install", "git+https://example.org/s.git#egg=s")
    assert result.exit_code == 0, result.stderr
    assert mine.read_text() == "# the team's own\n"
    assert f"wrote {mine}" not in result.stdout
    plan = read(mine.parent / "plan.yml")  # the other workflow is still written
    assert (
        plan["jobs"]["plan"]["steps"][2]["run"] == "pip install git+https://example.org/s.git#egg=s"
    )


def test_init_writes_the_install_it_is_told_into_both_workflows(cli: Cli, tmp_path: Path) -> None:
    spec = "git+https://example.org/sapsmed.git#egg=sapsmed"  # a '#' that YAML would cut
    assert cli("init", str(tmp_path / "p"), "--install", spec).exit_code == 0
    folder = tmp_path / "p" / ".github" / "workflows"
    for name, job in (("plan.yml", "plan"), ("pages.yml", "build")):
        runs = [s["run"] for s in read(folder / name)["jobs"][job]["steps"] if "run" in s]
        assert runs[0] == f"pip install {spec}", name
