"""The write commands against real git repositories: one commit per change, nothing else.

Every refusal is checked to leave the work tree, the index and HEAD exactly as they were.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import (
    ACTION,
    BASELINE,
    MEMBER_GOV,
    PART_GOV,
    URUGUAY,
    DatasetFactory,
    Run,
    git,
    last_commit,
    state,
)

from ogpctl.check.record_file import parse
from ogpctl.model.keys import key_for
from ogpctl.store import git as gitrepo  # GitPython imported: its `git version`s are done
from ogpctl.store.canonical import dump

OCP = "data/actions/open-contracting"
NEW_PARTICIPANT = f"{OCP}/participants/uruguay.yaml"


def assert_canonical(root: Path, path: str) -> None:
    key = key_for(path)
    assert key is not None
    raw = (root / path).read_bytes()
    loaded, problems = parse(key, raw, "en")
    assert loaded is not None and not problems
    assert dump(key.kind, loaded.record).encode() == raw


# --- each command: one commit, one file, readable message, trailers -------------------

COMMANDS = [
    (
        ["add", "member", "acme", "--type", "civil-society", "--name", "ACME",
         "--name", "fr=ACME France", "--website", "https://acme.example",
         "--maintainer", "ana-t", "--source", "https://acme.example/about"],
        "data/members/acme.yaml",
        "add member acme",
        ["Ogpctl-Command: add member", "Ogpctl-Member: acme"],
    ),
    (
        ["add", "action", "open-budgets", "--title", "Open budgets", "--theme",
         "transparency-integrity-anticorruption", "--number", "21", "--status", "proposed",
         "--launched", "2017-05-01", "--milestone", "publish=Publish the budget",
         "--standard", "ocds", "--update-every-months", "3"],
        "data/actions/open-budgets/action.yaml",
        "add action open-budgets",
        ["Ogpctl-Command: add action", "Ogpctl-Action: open-budgets"],
    ),
    (
        ["join", "open-contracting", "uruguay", "--date", "2017-03-01", "--contribution",
         "Publish all tenders", "--contribution", "es=Publicar todas las licitaciones",
         "--plan", "Uruguay NAP 2016-2018", "--commitment", "7",
         "--plan-url", "https://example.org/nap"],
        f"{OCP}/participants/uruguay.yaml",
        "join open-contracting: uruguay",
        ["Ogpctl-Command: join", "Ogpctl-Action: open-contracting", "Ogpctl-Member: uruguay"],
    ),
    (
        ["update", "open-contracting", "--by", "transparency-international", "--completion",
         "substantial", "--summary", "Portal live", "--date", "2017-08-15",
         "--period-start", "2017-06-01", "--period-end", "2017-07-31",
         "--milestone", "publish-data=complete", "--evidence", "https://example.org/portal"],
        f"{OCP}/updates/2017-08-15-transparency-international.yaml",
        "update open-contracting: 2017-08-15 by transparency-international (substantial)",
        ["Ogpctl-Command: update", "Ogpctl-Member: transparency-international"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "path", "subject", "trailers"), COMMANDS)
def test_each_command_commits_exactly_its_file(
    git_dataset: DatasetFactory, run: Run, argv: list[str], path: str, subject: str,
    trailers: list[str],
) -> None:  # fmt: skip
    root = git_dataset(URUGUAY)
    before = git(root, "rev-parse", "HEAD")
    result = run(root, *argv)
    assert result.exit_code == 0, result.output
    assert f"wrote {path}, committed" in result.stderr
    message, files = last_commit(root)
    assert files == [path]
    assert message.splitlines()[0] == subject
    for trailer in trailers:
        assert trailer in message.splitlines()
    assert git(root, "rev-parse", "HEAD~1").strip() == before.strip()
    assert git(root, "status", "--porcelain") == ""
    assert_canonical(root, path)
    assert (root / path).read_text().startswith("# yaml-language-server: $schema=")
    assert run(root, "validate").exit_code == 0


def test_written_values_reach_the_file(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    run(root, *COMMANDS[2][0])
    text = (root / COMMANDS[2][1]).read_text()
    assert "joined: 2017-03-01" in text
    assert "  en: Publish all tenders\n  es: Publicar todas las licitaciones" in text
    assert "national_action_plan:\n  plan: Uruguay NAP 2016-2018\n  commitment: '7'" in text


def test_lead_changes_only_the_leaders(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(
        {
            **URUGUAY,
            "data/actions/open-contracting/participants/uruguay.yaml": "joined: 2017-01-01\n",
        }
    )
    key = key_for(ACTION)
    assert key is not None
    loaded, _ = parse(key, (root / ACTION).read_bytes(), "en")
    assert loaded is not None
    (root / ACTION).write_text(dump(key.kind, loaded.record))  # as ogpctl writes it
    git(root, "commit", "--quiet", "--all", "-m", "canonical action")
    original = (root / ACTION).read_text()
    result = run(root, "lead", "open-contracting", "--government", "uruguay")
    assert result.exit_code == 0, result.output
    message, files = last_commit(root)
    assert files == [ACTION]
    assert message.startswith("lead open-contracting: government uruguay\n")
    assert "Ogpctl-Member: uruguay" in message
    diff = git(root, "diff", "HEAD~1", "--unified=0", "--", ACTION)
    changed = [
        line for line in diff.splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]  # fmt: skip
    assert changed == ["-  government: france", "+  government: uruguay"]
    expected = original.replace("government: france", "government: uruguay")
    assert (root / ACTION).read_text() == expected


def test_full_cycle_shows_in_the_log(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    steps = [
        ["add", "member", "uruguay", "--type", "national-government", "--name", "Uruguay",
         "--country", "UY"],
        ["join", "open-contracting", "uruguay", "--date", "2017-02-01"],
        ["lead", "open-contracting", "--government", "uruguay"],
        ["update", "open-contracting", "--by", "uruguay", "--completion", "limited",
         "--summary", "Started", "--date", "2017-08-01"],
    ]  # fmt: skip
    for argv in steps:
        assert run(root, *argv).exit_code == 0
    result = run(root, "log", "open-contracting")
    subjects = [line.split("  ")[-1] for line in result.stdout.splitlines()]
    assert subjects == [
        "update open-contracting: 2017-08-01 by uruguay (limited)",
        "lead open-contracting: government uruguay",
        "join open-contracting: uruguay",
        "initial dataset",
    ]
    member = run(root, "log", "uruguay")  # its file, participations and updates
    assert [line.split("  ")[-1] for line in member.stdout.splitlines()] == [
        "update open-contracting: 2017-08-01 by uruguay (limited)",
        "join open-contracting: uruguay",
        "add member uruguay",
    ]


# --- refusals leave everything as it was ----------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "member", "france", "--type", "national-government", "--name", "France",
          "--country", "FR"], f"{MEMBER_GOV} exists: adding never overwrites"),
        (["join", "open-contracting", "france"], f"{PART_GOV} exists"),
        (["add", "member", "x", "--type", "national-government", "--name", "X",
          "--country", "XX"],
         "data/members/x.yaml:5:10: error OGP105 country: 'XX' is not an ISO 3166-1"),
        (["add", "member", "x", "--type", "national-government", "--name", "X"],
         "x.yaml:4:7: error OGP107 a national-government needs `country`"),
        (["join", "open-contracting", "nobody"], "MEMBER: no member 'nobody'"),
        (["join", "open-contractin", "france"], "no action 'open-contractin' (did you mean "
         "'open-contracting'?)"),
        (["lead", "open-contracting", "--government", "uruguay"],
         "'uruguay' does not take part in this action"),
        (["update", "open-contracting", "--by", "uruguay", "--completion", "limited",
          "--summary", "x"], "error OGP204"),
        (["update", "open-contracting", "--by", "france", "--completion", "limited",
          "--summary", "x", "--date", "2030-01-01"], "error OGP206"),
        (["update", "open-contracting", "--by", "france", "--completion", "limited",
          "--summary", "x", "--period-start", "2017-01-01", "--period-end", "2017-12-31"],
         "error OGP206"),
        (["update", "open-contracting", "--by", "france", "--completion", "limited",
          "--summary", "x", "--milestone", "nope=limited"], "error OGP205"),
    ],
)  # fmt: skip
def test_refused_changes_leave_no_trace(
    git_dataset: DatasetFactory, run: Run, argv: list[str], message: str
) -> None:
    root = git_dataset(URUGUAY)
    before = state(root)
    result = run(root, *argv)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert state(root) == before


def test_a_refusal_names_the_fix_for_a_leader(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    result = run(root, "lead", "open-contracting", "--government", "uruguay")
    assert "`ogpctl join open-contracting uruguay`" in result.stderr
    assert "nothing written: the change would bring 1 error" in result.stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "member", "Bad_Id", "--type", "other", "--name", "x"], "not a valid member id"),
        (["add", "member", "x", "--name", "x"], "missing --type"),
        (["add", "member", "x", "--type", "other"], "missing --name"),
        (["add", "member", "x", "--type", "nation", "--name", "x"], "Invalid value for '--type'"),
        (["join", "open-contracting", "x", "--date", "2017-13-01"], "Invalid value for '--date'"),
        (["join", "open-contracting", "x", "--commitment", "7"], "give --plan too"),
        (["update", "open-contracting", "--completion", "limited", "--summary", "x"],
         "missing --by"),
        (["update", "open-contracting", "--by", "france", "--completion", "limited",
          "--summary", "x", "--period-start", "2017-01-01"], "both --period-start"),
        (["update", "open-contracting", "--by", "france", "--completion", "limited",
          "--summary", "x", "--milestone", "publish-data"], "write it as ID=COMPLETION"),
        (["add", "member", "x", "--type", "other", "--name", "x", "--name", "en=y"],
         "two texts in language 'en'"),
        (["lead", "open-contracting"], "give --government MEMBER, --civil-society MEMBER, or both"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2(
    git_dataset: DatasetFactory, run: Run, argv: list[str], message: str
) -> None:
    root = git_dataset()
    before = state(root)
    result = run(root, *argv)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert state(root) == before


def test_missing_values_are_asked_at_a_terminal(git_dataset: DatasetFactory, terminal: Run) -> None:
    root = git_dataset()
    result = terminal(root, "add", "member", "acme", input="company\nother\nACME\n")
    assert result.exit_code == 0, result.output
    assert "Type (national-government, subnational-government, civil-society, other)" in (
        result.stderr
    )
    assert "give one of:" in result.stderr  # "company" is not a type: asked again
    assert "type: other" in (root / "data/members/acme.yaml").read_text()


def test_lead_at_a_terminal_takes_one_leader_and_leaves_the_other(
    git_dataset: DatasetFactory, terminal: Run
) -> None:
    root = git_dataset(URUGUAY | {OCP + "/participants/uruguay.yaml": "joined: 2016-12-07\n"})
    result = terminal(root, "lead", "open-contracting", input="uruguay\n\n")
    assert result.exit_code == 0, result.output
    assert "Enter to leave it as it is" in result.stderr
    text = (root / OCP / "action.yaml").read_text()
    assert "government: uruguay" in text
    assert "civil_society: transparency-international" in text


# --- other work in the tree is left alone ---------------------------------------------


def test_other_staged_and_unstaged_work_survives(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    (root / "notes.txt").write_text("staged\n")
    git(root, "add", "notes.txt")
    member = root / MEMBER_GOV
    member.write_text(member.read_text() + "acronym: FR\n")
    git(root, "add", MEMBER_GOV)
    member.write_text(member.read_text() + "website: https://www.gouvernement.fr\n")
    (root / "scratch.txt").write_text("untracked\n")
    staged = git(root, "diff", "--cached", "--", "notes.txt", MEMBER_GOV)
    unstaged = git(root, "diff", "--", MEMBER_GOV)

    result = run(root, "join", "open-contracting", "uruguay")
    assert result.exit_code == 0, result.output
    assert last_commit(root)[1] == [f"{OCP}/participants/uruguay.yaml"]
    assert git(root, "diff", "--cached", "--", "notes.txt", MEMBER_GOV) == staged
    assert git(root, "diff", "--", MEMBER_GOV) == unstaged
    assert (root / "scratch.txt").read_text() == "untracked\n"


def test_lead_refuses_an_action_file_with_uncommitted_edits(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset()
    action = root / ACTION
    action.write_text(action.read_text().replace("Open contracting", "Open contracting!"))
    before = state(root)
    result = run(root, "lead", "open-contracting", "--government", "france")
    assert result.exit_code == 3
    assert f"{ACTION} has changes that are not committed" in result.stderr
    assert state(root) == before


# --- --no-commit, --dry-run, no repository, no identity -------------------------------


def test_no_commit_writes_only(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    head = git(root, "rev-parse", "HEAD")
    result = run(root, "join", "open-contracting", "uruguay", "--no-commit")
    assert result.exit_code == 0
    assert "(not committed)" in result.stderr
    assert git(root, "rev-parse", "HEAD") == head
    assert git(root, "status", "--porcelain") == f"?? {OCP}/participants/uruguay.yaml\n"


def test_dry_run_prints_the_file_and_changes_nothing(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    before = state(root)
    result = run(root, "join", "open-contracting", "uruguay", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == (
        "# yaml-language-server: $schema=../../../../schemas/participant.schema.json\n"
        "joined: 2017-09-01\n"
    )
    assert "nothing written" in result.stderr
    assert state(root) == before


def test_dry_run_of_an_invalid_change_exits_1(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    result = run(
        root, "lead", "open-contracting", "--government", "transparency-international", "--dry-run"
    )
    assert result.exit_code == 1
    assert "OGP203" in result.stderr


def test_outside_git_refuses_with_a_hint(dataset: DatasetFactory, run: Run) -> None:
    root = dataset(URUGUAY)
    result = run(root, "join", "open-contracting", "uruguay")
    assert result.exit_code == 3
    assert "not in a git repository: run `git init`" in result.stderr
    assert "--no-commit" in result.stderr
    assert not (root / OCP / "participants/uruguay.yaml").exists()
    assert run(root, "join", "open-contracting", "uruguay", "--no-commit").exit_code == 0
    assert (root / OCP / "participants/uruguay.yaml").exists()


def test_without_a_git_identity_nothing_is_left(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    git(root, "config", "--unset", "user.email")
    before = state(root)
    result = run(root, "join", "open-contracting", "uruguay")
    assert result.exit_code == 3
    assert "git does not know who you are (no user.email)" in result.stderr
    assert state(root) == before


def test_a_failing_hook_leaves_nothing(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    hook = root / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = state(root)
    result = run(root, "join", "open-contracting", "uruguay")
    assert result.exit_code == 3
    assert "git commit failed: hook says no" in result.stderr
    assert state(root) == before
    assert not (root / ".git/ogpctl/journal.json").exists()


def test_a_held_index_lock_ends_in_exit_3(
    git_dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = git_dataset(URUGUAY)
    before = state(root)
    (root / ".git/index.lock").write_text("")
    monkeypatch.setenv("OGPCTL_LOCK_TIMEOUT", "0.05")
    result = run(root, "join", "open-contracting", "uruguay")
    assert result.exit_code == 3
    assert "git's index is locked" in result.stderr
    (root / ".git/index.lock").unlink()
    assert state(root) == before


def test_a_held_dataset_lock_ends_in_exit_3(
    git_dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from ogpctl.write import dataset_lock

    root = git_dataset(URUGUAY)
    before = state(root)
    monkeypatch.setenv("OGPCTL_LOCK_TIMEOUT", "0.05")
    with dataset_lock(root, time.monotonic()):
        result = run(root, "join", "open-contracting", "uruguay")
    assert result.exit_code == 3
    assert "another ogpctl is writing" in result.stderr
    assert state(root) == before


@pytest.mark.parametrize("value", ["soon", "-1", "inf"])
def test_a_bad_lock_timeout_is_a_usage_error(
    git_dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    root = git_dataset(URUGUAY)
    monkeypatch.setenv("OGPCTL_LOCK_TIMEOUT", value)
    result = run(root, "join", "open-contracting", "uruguay")
    assert result.exit_code == 2
    assert "OGPCTL_LOCK_TIMEOUT" in result.stderr


def test_a_dataset_inside_a_larger_repository(tmp_path: Path, dataset: DatasetFactory,
                                               run: Run) -> None:  # fmt: skip
    from helpers import init_repo

    outer = tmp_path / "outer"
    root = dataset(URUGUAY)
    outer.mkdir()
    root = root.rename(outer / "record")
    init_repo(outer)
    result = run(root, "join", "open-contracting", "uruguay")
    assert result.exit_code == 0, result.output
    assert last_commit(outer)[1] == [f"record/{NEW_PARTICIPANT}"]
    assert "join open-contracting: uruguay" in run(root, "log", "uruguay").stdout


def test_missing_values_are_asked_in_a_real_terminal(git_dataset: DatasetFactory) -> None:
    """A pseudo-terminal, as a person would have: the prompts, the answers, the record."""
    import os
    import pty
    import select
    import subprocess
    import sys

    root = git_dataset()
    master, slave = pty.openpty()
    command = [sys.executable, "-m", "ogpctl", "--root", str(root), "add", "member", "acme"]
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    seen = b""

    def until(text: bytes) -> None:
        nonlocal seen
        while text not in seen:
            ready, _, _ = select.select([master], [], [], 30)
            assert ready, f"no {text!r} in {seen!r}"
            try:
                seen += os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
        assert text in seen

    until(b"Type (national-government, subnational-government, civil-society, other): ")
    os.write(master, b"other\n")
    until(b"Name: ")
    os.write(master, b"ACME\n")
    until(b"committed")
    assert process.wait(timeout=30) == 0
    os.close(master)
    assert "type: other" in (root / "data/members/acme.yaml").read_text()


def test_a_name_that_differs_only_in_case_is_refused(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset({"data/members/Zed.yaml": "name: Zed\ntype: other\n"})
    before = state(root)
    result = run(root, "add", "member", "zed", "--type", "other", "--name", "Zed")
    assert result.exit_code == 1
    assert "would be the same as data/members/Zed.yaml on macOS and Windows" in result.stderr
    assert state(root) == before


@pytest.mark.parametrize("argv", [["log"], ["diff", "main"], ["commit"]])
def test_commands_that_cannot_write_do_not_suggest_no_commit(
    dataset: DatasetFactory, run: Run, argv: list[str]
) -> None:
    result = run(dataset(), *argv)
    assert result.exit_code == 3
    assert "not in a git repository: run `git init` there first" in result.stderr
    assert "--no-commit" not in result.stderr


def test_a_folder_that_differs_only_in_case_is_refused(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset({"data/actions/Open-Budgets/action.yaml": "title: x\n"})
    result = run(root, "add", "action", "open-budgets", "--title", "Open budgets", "--theme",
                 "digital-commons")  # fmt: skip
    assert result.exit_code == 1
    assert "would be the same as data/actions/Open-Budgets on macOS and Windows" in result.stderr
    assert not (root / "data/actions/open-budgets").exists()


def test_lead_on_an_invalid_action_file(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    action = root / ACTION
    action.write_text(action.read_text().replace("theme: transparency", "theme: transparancy"))
    git(root, "commit", "--quiet", "--all", "-m", "a typo")
    before = state(root)
    result = run(root, "lead", "open-contracting", "--government", "france")
    assert result.exit_code == 1
    assert f"{ACTION} is invalid, so its leaders cannot be set: fix it first" in result.stderr
    assert state(root) == before


# --- the git processes a write starts ----------------------------------------------

# What each write asks of git (the subcommands, in order; GitPython's two `git version`
# at its import are not counted, nor what git starts itself, such as `git maintenance`):
# the state to check (status of data/), whether CODEOWNERS is committed (the `git cat-file
# --batch` that GitPython keeps running), the files to commit (status, just before writing
# them), HEAD's data/ to plan CODEOWNERS in (archive), then `git add` of the new file and
# `git commit`. HEAD is read from git's files, not asked of a `git rev-parse`.
GIT_PROCESSES = {
    "join": ["status", "cat-file", "status", "archive", "add", "commit"],
    "update": ["status", "status", "add", "commit"],
}


@pytest.mark.parametrize("command", sorted(GIT_PROCESSES))
def test_the_git_processes_a_write_starts(
    git_dataset: DatasetFactory,
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    """Counted by a `git` first on PATH that logs its subcommand: one more is a regression
    (each costs a process start, on every write), one fewer a change to write down here."""
    uruguay = "data/members/uruguay.yaml"
    root = git_dataset({  # france (a leader of open-contracting) and uruguay have maintainers
        MEMBER_GOV: BASELINE[MEMBER_GOV] + "maintainers:\n- fr-bot\n",
        uruguay: URUGUAY[uruguay] + "maintainers:\n- uy-bot\n",
    })  # fmt: skip
    assert run(root, "codeowners").exit_code == 0  # committed: a join must plan it again
    git(root, "add", ".github/CODEOWNERS")
    git(root, "commit", "--quiet", "-m", "owners")
    bin_folder, log = tmp_path / "bin", tmp_path / "git-calls"
    bin_folder.mkdir()
    wrapper = bin_folder / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{shutil.which("git")}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    argv = {
        "join": ["join", "open-contracting", "uruguay", "--date", "2017-03-01"],
        "update": ["update", "open-contracting", "--by", "france", "--completion", "limited",
                   "--summary", "More data", "--date", "2017-08-15"],
    }[command]  # fmt: skip
    result = run(root, *argv)
    assert result.exit_code == 0, result.output
    assert log.read_text().split() == GIT_PROCESSES[command]
    changed = git(root, "show", "--name-only", "--format=", "HEAD").split()
    # a join brings a rule: uruguay's pledge, owned by uy-bot or the leader's fr-bot
    assert (".github/CODEOWNERS" in changed) == (command == "join")
    # HEAD as read from git's files is the commit `git rev-parse` names
    assert gitrepo.Repository(root).head() == git(root, "rev-parse", "HEAD").strip()
