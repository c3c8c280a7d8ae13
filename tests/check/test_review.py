"""Pull requests: `validate --changed-since`, append-only updates, `--format auto`, `diff`.

Each test builds a real repository with a `main` branch and a change on top of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import MEMBER_CSO, MEMBER_GOV, PART_GOV, UPDATE, DatasetFactory, Run, git

BROKEN = "data/members/broken.yaml"  # an old problem, there before the change
NEW_PART = "data/actions/open-contracting/participants/uruguay.yaml"
URUGUAY = "data/members/uruguay.yaml"


def change(root: Path, files: dict[str, str | None], message: str = "change") -> None:
    """Commit `files` ({path: text, or None to delete}) on a branch `pr` off main."""
    if git(root, "branch", "--show-current").strip() != "pr":
        git(root, "checkout", "--quiet", "-b", "pr")
    for path, text in files.items():
        if text is None:
            git(root, "rm", "--quiet", path)
        else:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", message)


@pytest.fixture
def repo(git_dataset: DatasetFactory) -> Path:
    return git_dataset(
        {
            BROKEN: "name: Broken\ntype: goverment\n",
            URUGUAY: "name: Uruguay\ntype: national-government\ncountry: UY\n",
        }
    )


def test_a_clean_change_on_top_of_an_old_problem_passes(repo: Path, run: Run) -> None:
    assert run(repo, "validate").exit_code == 1  # the old problem
    change(repo, {NEW_PART: "joined: 2017-02-01\n"})
    result = run(repo, "validate", "--changed-since", "main")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "problems there already where the work branched off main: not shown" in result.stderr


def test_a_bad_change_fails_on_its_own_problem_only(repo: Path, run: Run) -> None:
    change(repo, {NEW_PART: "joined: 2017-02-01\nconribution: Data\n"})
    result = run(repo, "validate", "--changed-since", "main", "--format", "text")
    assert result.exit_code == 1
    assert result.stdout == (
        f"{NEW_PART}:2:1: error OGP103 unknown key 'conribution' (did you mean "
        "'contribution'?); participant records take: joined, contribution, "
        "national_action_plan, left, sources\n"
    )
    assert BROKEN not in result.stdout


def test_a_removed_member_still_named_elsewhere_fails(repo: Path, run: Run) -> None:
    change(repo, {MEMBER_GOV: None})
    result = run(repo, "validate", "--changed-since", "main", "--format", "text")
    assert result.exit_code == 1
    assert f"{PART_GOV}:1:1: error OGP201" in result.stdout  # a file the change did not touch


def test_uncommitted_work_counts_as_part_of_the_change(repo: Path, run: Run) -> None:
    (repo / NEW_PART).write_text("joined: never\n")  # not even staged
    result = run(repo, "validate", "--changed-since", "HEAD", "--format", "text")
    assert result.exit_code == 1
    assert f"{NEW_PART}:1:9: error OGP106" in result.stdout


def test_a_renamed_file_keeps_its_old_problems_unblamed(repo: Path, run: Run) -> None:
    change(repo, {BROKEN: None, "data/members/broken-too.yaml": "name: Broken\ntype: goverment\n"})
    result = run(repo, "validate", "--changed-since", "main", "--format", "text")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("files", "done"),
    [
        ({UPDATE: "completion: complete\nsummary: Rewritten history\n"}, "edited"),
        ({UPDATE: None}, "deleted"),
    ],
)
def test_a_published_update_is_append_only(
    repo: Path, run: Run, files: dict[str, str | None], done: str
) -> None:
    change(repo, files)
    result = run(repo, "validate", "--changed-since", "main", "--format", "text")
    assert result.exit_code == 1
    assert f"{UPDATE}:1:1: error OGP401 published update {UPDATE} {done}" in result.stdout
    assert "publish a new update" in result.stdout


def test_a_renamed_update_is_flagged(repo: Path, run: Run) -> None:
    git(repo, "checkout", "--quiet", "-b", "pr")
    moved = UPDATE.replace("2017-06-01", "2017-05-01")
    git(repo, "mv", UPDATE, moved)
    git(repo, "commit", "--quiet", "-m", "backdate")
    result = run(repo, "validate", "--changed-since", "main", "--format", "text")
    assert result.exit_code == 1
    assert f"{moved}:1:1: error OGP401 published update {UPDATE} renamed to {moved}" in (
        result.stdout
    )


def test_a_new_update_is_fine(repo: Path, run: Run) -> None:
    change(repo, {UPDATE.replace("06-01", "08-01"): "completion: substantial\nsummary: More\n"})
    assert run(repo, "validate", "--changed-since", "main").exit_code == 0


def test_github_annotations_and_auto_format(
    repo: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    change(repo, {NEW_PART: "joined: never\n"})
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run(repo, "validate", "--changed-since", "main")
    assert result.stdout.startswith(f"::error file={NEW_PART},line=1,col=9,title=OGP106::")
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert run(repo, "validate", "--changed-since", "main").stdout.startswith(f"{NEW_PART}:1:9:")


def test_an_unknown_ref_is_a_usage_error(repo: Path, run: Run) -> None:
    result = run(repo, "validate", "--changed-since", "origin/nowhere")
    assert result.exit_code == 2
    assert "'origin/nowhere' is not a commit here" in result.stderr


def test_changed_since_outside_git_exits_3(dataset: DatasetFactory, run: Run) -> None:
    result = run(dataset(), "validate", "--changed-since", "main")
    assert result.exit_code == 3


# --- diff -------------------------------------------------------------------------------


def test_diff_names_what_a_change_does(repo: Path, run: Run) -> None:
    change(
        repo,
        {
            NEW_PART: "joined: 2017-02-01\n",
            UPDATE.replace("06-01", "08-01"): "completion: substantial\nsummary: More\n",
            MEMBER_CSO: (repo / MEMBER_CSO).read_text() + "website: https://ti.example\n",
            BROKEN: None,
        },
    )
    result = run(repo, "diff", "main", "HEAD")
    assert result.exit_code == 0
    text = result.stdout
    assert "2 added, 1 changed, 1 removed." in text
    assert "- added: Uruguay in Open contracting" in text
    assert "- added: Open contracting: update of 2017-08-01 by France (substantial)" in text
    assert "- changed: Transparency International" in text
    assert "- removed: broken" in text  # invalid at the base: named by its id
    document = json.loads(run(repo, "diff", "main", "HEAD", "--format", "json").stdout)
    assert document["counts"] == {"added": 2, "changed": 1, "renamed": 0, "removed": 1}
    assert {c["kind"] for c in document["changes"]} == {"participant", "update", "member"}


def test_diff_against_the_work_tree_and_when_nothing_changed(repo: Path, run: Run) -> None:
    assert "No record is added, changed or removed." in run(repo, "diff", "main").stdout
    (repo / NEW_PART).write_text("joined: 2017-02-01\n")
    assert "- added: Uruguay in Open contracting" in run(repo, "diff", "main").stdout


def test_diff_counts_new_files_but_not_those_git_ignores(repo: Path, run: Run) -> None:
    (repo / ".gitignore").write_text("data/members/scratch.yaml\n")
    (repo / "data/members/scratch.yaml").write_text("name: Scratch\ntype: other\n")
    (repo / NEW_PART).write_text("joined: 2017-02-01\n")
    result = run(repo, "diff", "main")
    assert result.exit_code == 0, result.output
    assert "1 added." in result.stdout
    assert "- added: Uruguay in Open contracting" in result.stdout
    assert "scratch" not in result.stdout.lower()


def test_diff_escapes_names(repo: Path, run: Run) -> None:
    change(repo, {"data/members/evil.yaml": "name: '[x](http://evil) <b>hi</b>'\ntype: other\n"})
    text = run(repo, "diff", "main", "HEAD").stdout
    assert "\\[x\\](http://evil)" in text  # shown, never a link
    assert "<b>" not in text


# --- found in review ----------------------------------------------------------------------


def test_what_the_base_gained_since_the_branch_is_not_blamed(repo: Path, run: Run) -> None:
    git(repo, "checkout", "--quiet", "-b", "pr")
    git(repo, "checkout", "--quiet", "main")
    later = UPDATE.replace("06-01", "08-01")  # main gains an update after pr branched off
    (repo / later).write_text("completion: substantial\nsummary: More\n")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "main moves on")
    git(repo, "checkout", "--quiet", "pr")
    (repo / NEW_PART).write_text("joined: 2017-02-01\n")
    result = run(repo, "validate", "--changed-since", "main", "--format", "text")
    assert result.exit_code == 0, result.output  # no OGP401 for main's own update
    assert result.stdout == ""
    summary = run(repo, "diff", "main").stdout
    assert "1 added." in summary and "removed" not in summary


def test_a_hint_that_changes_does_not_make_an_old_problem_new(repo: Path, run: Run) -> None:
    typo = "data/actions/open-contracting/participants/frnace.yaml"
    (repo / typo).write_text("joined: 2017-02-01\n")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "an old typo")
    assert "did you mean 'france'" in run(repo, "validate").stdout
    created = run(repo, "add", "member", "frnac", "--type", "civil-society", "--name", "F")
    assert created.exit_code == 0, created.output  # the old problem's hint now says 'frnac'
    result = run(repo, "validate", "--changed-since", "HEAD~1", "--format", "text")
    assert "OGP201" not in result.stdout


def test_a_shallow_clone_is_told_to_fetch_the_history(repo: Path, run: Run, tmp_path: Path) -> None:
    change(repo, {NEW_PART: "joined: 2017-02-01\n"})
    git(repo, "checkout", "--quiet", "main")
    (repo / "data/README.md").write_text("main moves on\n")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "main moves on")
    shallow = tmp_path / "shallow"
    git(
        tmp_path, "clone", "--quiet", "--depth", "1", "--no-single-branch", repo.as_uri(), "shallow"
    )
    git(shallow, "checkout", "--quiet", "pr")
    result = run(shallow, "validate", "--changed-since", "origin/main")
    assert result.exit_code == 2
    assert "shallow clone" in result.stderr and "fetch-depth 0" in result.stderr


def test_diff_of_an_unknown_ref_is_a_usage_error(repo: Path, run: Run) -> None:
    result = run(repo, "diff", "no-such-branch")
    assert result.exit_code == 2
    assert "'no-such-branch' is not a commit here" in result.stderr
