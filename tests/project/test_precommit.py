"""The pre-commit hooks of .pre-commit-hooks.yaml, run by the real pre-commit.

A data repository points at a git repository holding this project's
.pre-commit-hooks.yaml, pinned by commit, as a dataset's config would. Installing ogpctl
into pre-commit's own environment would download it and its dependencies, so the
consumer overrides `language: system` (an option pre-commit gives every hook): the hook's
entry, file pattern and pass_filenames still come from our manifest, and the `ogpctl`
that runs is this checkout's, from PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import BASELINE, MEMBER_GOV, REPO, build_tree, git, init_repo

from ogpctl import codeowners, fmt

HOOKS = ("ogpctl-validate", "ogpctl-schema", "ogpctl-codeowners", "ogpctl-fmt")
pytestmark = pytest.mark.slow


def manifest() -> list[dict[str, object]]:
    hooks: list[dict[str, object]] = yaml.safe_load(
        (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    )
    return hooks


def pre_commit(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # this ogpctl
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=root, env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip


@pytest.fixture
def consumer(tmp_path: Path) -> Path:
    """A data repository whose .pre-commit-config.yaml uses our hooks, pinned by commit."""
    hooks = tmp_path / "ogpctl-hooks"
    hooks.mkdir()
    shutil.copy(REPO / ".pre-commit-hooks.yaml", hooks)
    init_repo(hooks)
    sha = git(hooks, "rev-parse", "HEAD").strip()
    config = {"repos": [{"repo": str(hooks), "rev": sha,
                         "hooks": [{"id": h, "language": "system"} for h in HOOKS]}]}  # fmt: skip
    root = build_tree(tmp_path / "data-repo", BASELINE)
    shutil.copytree(REPO / "schemas", root / "schemas")
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    codeowners.write(codeowners.plan(root))
    fmt.fmt(root, [], "en", check=False)  # the baseline's files as ogpctl writes them
    return init_repo(root)


def test_good_data_passes(consumer: Path) -> None:
    done = pre_commit(consumer, "run", "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    for hook in manifest():
        assert f"{hook['name']}..." in done.stdout  # the names our manifest gives
        assert "Passed" in done.stdout


def test_bad_data_fails_with_ogpctl_messages(consumer: Path) -> None:
    path = consumer / MEMBER_GOV
    path.write_text(BASELINE[MEMBER_GOV].replace("national-government", "goverment"), "utf-8")
    done = pre_commit(consumer, "run", "--all-files")
    assert done.returncode == 1
    assert "- hook id: ogpctl-validate" in done.stdout
    assert "data/members/france.yaml:3:7: error OGP101 type: 'goverment' is not allowed" in (
        done.stdout
    )


def test_stale_schemas_and_codeowners_fail(consumer: Path) -> None:
    (consumer / "schemas" / "member.schema.json").write_text("{}\n", encoding="utf-8")
    path = consumer / MEMBER_GOV
    path.write_text(BASELINE[MEMBER_GOV] + "maintainers: [fr-data]\n", encoding="utf-8")
    done = pre_commit(consumer, "run", "--all-files")
    assert done.returncode == 1
    assert "schemas/member.schema.json is out of date: run `ogpctl schema`" in done.stdout
    assert "CODEOWNERS is out of date: run `ogpctl codeowners`" in done.stdout


def test_a_file_not_in_canonical_form_fails_and_keeps_its_comment(consumer: Path) -> None:
    path = consumer / MEMBER_GOV
    text = path.read_text(encoding="utf-8").replace("country: FR", "country: FR  # ISO")
    path.write_bytes(text.replace("\n", "\r\n").encode())
    git(consumer, "add", MEMBER_GOV)
    done = pre_commit(consumer, "run", "--files", MEMBER_GOV)
    assert done.returncode == 1
    assert "- hook id: ogpctl-fmt" in done.stdout
    assert f"{MEMBER_GOV}\n" in done.stdout
    assert "1 of 1 files not in canonical form (`ogpctl fmt` fixes them)" in done.stdout
    assert path.read_bytes() == text.replace("\n", "\r\n").encode()  # --check writes nothing


def test_the_file_patterns_of_the_manifest_apply(consumer: Path) -> None:
    (consumer / "notes.txt").write_text("not data\n", encoding="utf-8")
    done = pre_commit(consumer, "run", "--files", "notes.txt")
    assert done.returncode == 0, done.stdout
    assert done.stdout.count("(no files to check)Skipped") == len(HOOKS)


def test_the_projects_own_hooks_mirror_the_manifest() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    for hook in manifest():
        mine = local[str(hook["id"])]
        assert (mine["entry"], mine["pass_filenames"]) == (hook["entry"], hook["pass_filenames"])
        assert mine["language"] == "system" and hook["language"] == "python"
