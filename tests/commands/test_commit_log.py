"""`ogpctl commit` for hand edits and `ogpctl log` for history, on real repositories."""

from __future__ import annotations

import json

import pytest
from helpers import MEMBER_GOV, UPDATE, URUGUAY, DatasetFactory, Run, git, last_commit, state

NEW_PART = "data/actions/open-contracting/participants/uruguay.yaml"


def test_commit_takes_only_data_and_schemas(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    (root / NEW_PART).write_text("joined: 2017-02-01\n")
    member = root / MEMBER_GOV
    member.write_text(member.read_text() + "acronym: FR\n")
    later = UPDATE.replace("2017-06-01", "2017-08-01")  # a new update: published ones stay
    (root / later).write_text((root / UPDATE).read_text())
    (root / "notes.txt").write_text("not part of the record\n")
    git(root, "add", "notes.txt")
    (root / "README.md").write_text("draft\n")

    result = run(root, "commit")
    assert result.exit_code == 0, result.output
    message, files = last_commit(root)
    assert sorted(files) == sorted([MEMBER_GOV, NEW_PART, later])
    lines = message.splitlines()
    assert lines[0] == "edit 3 files"
    assert f"- {NEW_PART}" in lines
    assert "Ogpctl-Command: commit" in lines
    assert "Ogpctl-Action: open-contracting" in lines
    assert {"Ogpctl-Member: france", "Ogpctl-Member: uruguay"} <= set(lines)
    status = git(root, "status", "--porcelain").splitlines()
    assert status == ["A  notes.txt", "?? README.md"]  # left exactly as they were


def test_commit_of_new_files_only_says_add(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    (root / NEW_PART).write_text("joined: 2017-02-01\n")
    result = run(root, "commit")
    assert result.exit_code == 0, result.output
    assert last_commit(root)[0].splitlines()[0] == "add open-contracting/uruguay"


def test_commit_with_a_message_keeps_the_trailers(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    (root / NEW_PART).write_text("joined: 2017-02-01\n")
    assert run(root, "commit", "-m", "Uruguay joins, per its letter of 3 Feb").exit_code == 0
    message, files = last_commit(root)
    assert files == [NEW_PART]
    assert message.startswith("Uruguay joins, per its letter of 3 Feb\n")
    assert "Ogpctl-Member: uruguay" in message


def test_commit_refuses_invalid_data(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    (root / NEW_PART).write_text("joined: someday\n")
    before = state(root)
    result = run(root, "commit")
    assert result.exit_code == 1
    assert f"{NEW_PART}:1:9: error OGP106" in result.stderr
    assert "nothing committed: the dataset would have 1 error" in result.stderr
    assert state(root) == before


def test_commit_with_nothing_to_commit(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    result = run(root, "commit")
    assert result.exit_code == 0
    assert "nothing to commit" in result.stderr
    assert git(root, "rev-list", "--count", "HEAD").strip() == "1"


def test_commit_outside_git_exits_3(dataset: DatasetFactory, run: Run) -> None:
    result = run(dataset(), "commit")
    assert result.exit_code == 3
    assert "git init" in result.stderr


def test_log_of_the_dataset_and_as_json(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    run(root, "join", "open-contracting", "uruguay")
    table = run(root, "log")
    assert table.exit_code == 0
    assert [line.split("  ")[-1] for line in table.stdout.splitlines()] == [
        "join open-contracting: uruguay",
        "initial dataset",
    ]
    entries = json.loads(run(root, "log", "--format", "json").stdout)
    assert entries[0]["author"] == "Ana Tester"
    assert entries[0]["email"] == "ana@example.org"
    assert entries[0]["trailers"] == {
        "Ogpctl-Command": ["join"],
        "Ogpctl-Action": ["open-contracting"],
        "Ogpctl-Member": ["uruguay"],
    }
    assert len(entries[0]["commit"]) == 40


def test_log_follows_renames(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    git(root, "mv", "data/members/uruguay.yaml", "data/members/republica-oriental.yaml")
    git(root, "commit", "--quiet", "-m", "rename uruguay")
    member = root / "data/members/republica-oriental.yaml"
    member.write_text(member.read_text() + "acronym: ROU\n")
    git(root, "commit", "--quiet", "--all", "-m", "acronym")
    result = run(root, "log", "republica-oriental")
    subjects = [line.split("  ")[-1] for line in result.stdout.splitlines()]
    assert subjects == ["acronym", "rename uruguay", "initial dataset"]
    by_path = run(root, "log", str(root / "data/members/republica-oriental.yaml"))
    assert by_path.stdout == result.stdout
    from_root = run(root, "log", "data/members/republica-oriental.yaml")  # cwd elsewhere
    assert from_root.stdout == result.stdout


def test_log_of_a_renamed_member_keeps_its_old_contributions(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset(URUGUAY)
    assert run(root, "join", "open-contracting", "uruguay").exit_code == 0
    git(root, "mv", "data/members/uruguay.yaml", "data/members/republica-oriental.yaml")
    old = "data/actions/open-contracting/participants/"
    git(root, "mv", old + "uruguay.yaml", old + "republica-oriental.yaml")
    git(root, "commit", "--quiet", "-m", "rename uruguay")
    subjects = [
        line.split("  ")[-1] for line in run(root, "log", "republica-oriental").stdout.splitlines()
    ]
    assert subjects == ["rename uruguay", "join open-contracting: uruguay", "initial dataset"]


def test_log_of_a_path_outside_the_dataset(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    result = run(root, "log", "../../etc/passwd")
    assert result.exit_code == 2
    assert "is outside the dataset" in result.stderr


def test_log_of_an_unknown_id(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    result = run(root, "log", "frnace")
    assert result.exit_code == 1
    assert "no history for 'frnace' (did you mean 'france'?)" in result.stderr


def test_log_outside_git_exits_3(dataset: DatasetFactory, run: Run) -> None:
    result = run(dataset(), "log")
    assert result.exit_code == 3
    assert "not in a git repository" in result.stderr


def test_log_prints_authors_and_messages_inertly(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    (root / "data/README.md").write_text("x\n")
    git(root, "add", "--all")
    git(root, "-c", "user.name=Eve \x1b[2J", "commit", "--quiet", "-m", "hi \x1b]0;pwned\x07")
    result = run(root, "log")
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_log_of_a_member_is_not_the_log_of_a_similar_one(
    git_dataset: DatasetFactory, run: Run
) -> None:
    """git's `--follow` takes a new file for a copy of a similar one: not followed."""
    root = git_dataset()
    for member, country in (("spain", "ES"), ("peru", "PE")):
        added = run(root, "add", "member", member, "--type", "national-government",
                    "--name", member.title(), "--country", country)  # fmt: skip
        assert added.exit_code == 0
    assert run(root, "join", "open-contracting", "spain").exit_code == 0
    subjects = [line.split("  ")[-1] for line in run(root, "log", "peru").stdout.splitlines()]
    assert subjects == ["add member peru"]


def test_log_at_80_columns_wraps_subjects_between_words(
    git_dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = git_dataset(URUGUAY)
    subject = "Uruguay joins open-contracting per its letter " + "of-3-february-2017 " * 4
    (root / NEW_PART).write_text("joined: 2017-02-01\n")
    assert run(root, "commit", "-m", subject.strip()).exit_code == 0
    monkeypatch.setenv("COLUMNS", "80")
    lines = run(root, "log").stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    words = " ".join(lines).split()
    assert words.count("of-3-february-2017") == 4 and "open-contracting" in words
