"""Files git ignores under data/ are not records (issue 13, finding 9)."""

from __future__ import annotations

from pathlib import Path

from helpers import MEMBER_GOV, DatasetFactory, Run, git

JUNK = {
    "data/.DS_Store": b"\x00\x00\x00\x01Bud1",
    "data/members/france.yaml.bak": "name: France\n",
    "data/members/.~lock.france.yaml#": "ana,host,01.01.2017\n",
    "data/actions/open-contracting/action.yaml~": "number: 1\n",
    "data/actions/open-contracting/.action.yaml.swp": b"b0VIM 8.2",
}
IGNORE = ".DS_Store\n*.bak\n.~lock.*#\n*~\n*.swp\n"


def test_files_git_ignores_are_skipped(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset({".gitignore": IGNORE})
    for path, content in JUNK.items():
        target = root / path
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run(root, "validate")
    assert result.exit_code == 0, result.output
    assert "OGP020" not in result.output
    (root / MEMBER_GOV).write_text((root / MEMBER_GOV).read_text() + "acronym: FR\n")
    committed = run(root, "commit")
    assert committed.exit_code == 0, committed.output
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == [MEMBER_GOV]


def test_junk_git_does_not_ignore_says_to_delete_or_ignore_it(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset()
    (root / "data/members/france.yaml.bak").write_text("name: France\n")
    result = run(root, "validate")
    assert result.exit_code == 1, result.output
    assert "data/members/france.yaml.bak:1:1: error OGP020" in result.stdout
    assert "delete it, or add it to .gitignore" in result.stdout


def test_ignoring_it_later_is_seen_by_the_next_validation(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset()
    (root / "data/.DS_Store").write_bytes(b"\x00")
    assert run(root, "validate").exit_code == 1
    assert run(root, "validate").exit_code == 1  # from the cache
    (root / ".gitignore").write_text(".DS_Store\n")
    assert run(root, "validate").exit_code == 0


def test_outside_git_junk_is_still_a_stray_file(dataset: DatasetFactory, run: Run) -> None:
    root = dataset({".gitignore": IGNORE, "data/.DS_Store": b"\x00"})
    result = run(root, "validate")
    assert result.exit_code == 1, result.output
    assert "data/.DS_Store:1:1: error OGP020" in result.stdout


def test_init_ignores_the_usual_os_and_editor_files(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "new"
    root.mkdir()
    git(root, "init", "--quiet")
    git(root, "config", "user.name", "Ana Tester")
    git(root, "config", "user.email", "ana@example.org")
    assert run(root, "init", str(root)).exit_code == 0
    assert ".gitignore" in git(root, "ls-files").split()
    for path, content in JUNK.items():
        target = root / path.replace("open-contracting/", "")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run(root, "validate")
    assert result.exit_code == 0, result.output
