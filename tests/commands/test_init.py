"""`ogpctl init`: a new dataset, committed, on which every command works."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers import Run, actionlint, git, init_repo

LAYOUT = [
    ".github/CODEOWNERS",
    ".github/workflows/pages.yml",
    ".github/workflows/validate.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "CONTRIBUTING.md",
    "README.md",
    "data/actions/.gitkeep",
    "data/members/.gitkeep",
    "docs/templates/action.yaml",
    "docs/templates/member.yaml",
    "docs/templates/participant.yaml",
    "docs/templates/update.yaml",
    "ogpctl.toml",
    "schemas/action.schema.json",
    "schemas/member.schema.json",
    "schemas/participant.schema.json",
    "schemas/update.schema.json",
]


@pytest.fixture
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Ana Tester")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "ana@example.org")


def files_of(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts[:1]
    )


def test_every_command_works_on_a_new_dataset(tmp_path: Path, run: Run, identity: None) -> None:
    root = tmp_path / "new" / "open-budgets"
    started = run(None, "init", str(root), "--language", "fr")
    assert started.exit_code == 0, started.output
    assert "in a new git repository" in started.stderr
    assert files_of(root) == LAYOUT
    settings = tomllib.loads((root / "ogpctl.toml").read_text(encoding="utf-8"))
    assert settings == {
        "dataset": {"name": "open-budgets", "default_language": "fr", "update_every_months": 6}
    }
    assert git(root, "log", "--format=%s").splitlines() == [
        "Start the dataset 'open-budgets' with ogpctl 0.1.0"
    ]
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "branch", "--show-current").strip() == "main"

    validated = run(root, "validate")
    assert validated.exit_code == 0 and "0 files checked, 0 errors" in validated.stderr
    assert run(root, "schema", "--check").exit_code == 0
    assert run(root, "codeowners", "--check").exit_code == 0
    assert run(root, "status").exit_code == 0
    added = run(root, "add", "member", "mairie", "--type", "civil-society", "--name", "Mairie",
                "--maintainer", "mairie-bot")  # fmt: skip
    assert added.exit_code == 0, added.output
    action = run(root, "add", "action", "budgets", "--title", "Budgets ouverts",
                 "--theme", "digital-commons")  # fmt: skip
    assert action.exit_code == 0, action.output
    joined = run(root, "join", "budgets", "mairie", "--contribution", "Publier le budget")
    assert joined.exit_code == 0, joined.output
    participant = root / "data/actions/budgets/participants/mairie.yaml"
    assert "fr: Publier le budget" in participant.read_text(encoding="utf-8")
    log = run(root, "log")
    assert log.exit_code == 0 and len(log.stdout.splitlines()) == 4
    # a maintainer appeared: the write committed CODEOWNERS with the member
    assert run(root, "codeowners", "--check").exit_code == 0
    assert "/data/members/mairie.yaml" in (root / ".github/CODEOWNERS").read_text("utf-8")
    assert git(root, "status", "--porcelain") == ""


def test_the_generated_workflow_passes_actionlint(tmp_path: Path, run: Run, identity: None) -> None:
    assert run(None, "init", str(tmp_path / "ds")).exit_code == 0
    for workflow in ("validate.yml", "pages.yml"):  # pages.yml publishes `ogpctl site`
        done = actionlint(tmp_path / "ds" / ".github" / "workflows" / workflow)
        assert done.returncode == 0, done.stdout
    pages = (tmp_path / "ds" / ".github" / "workflows" / "pages.yml").read_text("utf-8")
    assert "ogpctl site -o _site" in pages and "CHANGE-ME" in pages
    config = (tmp_path / "ds" / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "id: ogpctl-validate" in config and "CHANGE-ME" in config


def test_defaults_to_here_with_a_name(
    tmp_path: Path, run: Run, identity: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = run(None, "init", "--name", 'Coalition "Ouverte"')
    assert result.exit_code == 0, result.output
    name = tomllib.loads((here / "ogpctl.toml").read_text(encoding="utf-8"))["dataset"]["name"]
    assert name == 'Coalition "Ouverte"'
    assert '# Coalition "Ouverte"' in (here / "README.md").read_text(encoding="utf-8")


def test_inside_a_repository_commits_only_its_files(
    tmp_path: Path, run: Run, identity: None
) -> None:
    top = tmp_path / "project"
    top.mkdir()
    (top / "code.py").write_text("print()\n", encoding="utf-8")
    init_repo(top)
    (top / "code.py").write_text("print(1)\n", encoding="utf-8")  # a change of someone's own
    result = run(None, "init", str(top / "records"))
    assert result.exit_code == 0, result.output
    assert "in the git repository there" in result.stderr
    assert len(git(top, "log", "--format=%H").split()) == 2
    assert git(top, "status", "--porcelain") == " M code.py\n"
    assert not (top / ".github").exists()  # CODEOWNERS of the work tree: not ours to write
    assert run(top / "records", "validate").exit_code == 0


@pytest.mark.parametrize("existing", ["ogpctl.toml", "data/members/x.yaml"])
def test_refuses_a_folder_holding_a_dataset(tmp_path: Path, run: Run, existing: str) -> None:
    path = tmp_path / "ds" / existing
    path.parent.mkdir(parents=True)
    path.write_text("kept\n", encoding="utf-8")
    result = run(None, "init", str(tmp_path / "ds"))
    assert result.exit_code == 1
    assert "starts a new dataset" in result.stderr and existing.split("/")[0] in result.stderr
    assert path.read_text(encoding="utf-8") == "kept\n"
    assert not (tmp_path / "ds" / ".git").exists()


@pytest.mark.usefixtures("identity")
def test_a_new_repository_with_its_own_readme(tmp_path: Path, run: Run) -> None:
    """The common start: a clone of a new GitHub repository that has a README already."""
    top = tmp_path / "coalition"
    top.mkdir()
    (top / "README.md").write_text("# Our coalition\n")
    init_repo(top)
    result = run(None, "init", str(top))
    assert result.exit_code == 0, result.output
    assert "README.md (there already: kept as it is)" in result.stderr
    assert (top / "README.md").read_text() == "# Our coalition\n"
    assert (top / "CONTRIBUTING.md").exists()
    assert git(top, "status", "--porcelain") == ""


def test_bad_options_are_usage_errors(tmp_path: Path, run: Run) -> None:
    result = run(None, "init", str(tmp_path / "ds"), "--language", "english")
    assert result.exit_code == 2
    assert "'english' is not an ISO 639-1 code" in result.stderr
    assert not (tmp_path / "ds").exists()
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert run(None, "init", str(tmp_path / "file")).exit_code == 2


def test_without_a_git_identity_nothing_is_written(tmp_path: Path, run: Run) -> None:
    result = run(None, "init", str(tmp_path / "ds"))
    assert result.exit_code == 3
    assert "git does not know who you are" in result.stderr
    assert files_of(tmp_path / "ds") == []


def test_a_refused_init_leaves_the_folder_as_it_was(tmp_path: Path, run: Run) -> None:
    from helpers import git

    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "--quiet")
    git(outer, "config", "user.name", "Ana Tester")
    git(outer, "config", "user.email", "ana@example.org")
    hook = outer / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    result = run(None, "init", str(outer / "sub"))
    assert result.exit_code == 3
    assert "a hook refused it" in result.stderr
    assert not (outer / "sub").exists()
    assert git(outer, "status", "--porcelain") == ""


def test_init_without_a_git_identity_creates_nothing(tmp_path: Path, run: Run) -> None:
    result = run(None, "init", str(tmp_path / "fresh"))
    assert result.exit_code == 3
    assert "git does not know who you are" in result.stderr
    assert not (tmp_path / "fresh").exists()


def test_a_broken_git_folder_is_left_alone(tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "broken"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git/HEAD").write_text("garbage\n")
    result = run(None, "init", str(folder))
    assert result.exit_code == 3
    assert ".git is there but git cannot use it" in result.stderr
    assert (folder / ".git/HEAD").read_text() == "garbage\n"
    assert sorted(p.name for p in folder.iterdir()) == [".git"]
