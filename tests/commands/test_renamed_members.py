"""`log` and `show` follow a member across renames and merges (`formerly`).

The renames and merges are made by hand with plain git (`helpers.rename_by_hand`), as
`ogpctl rename` and `ogpctl merge` commit them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from helpers import PART_GOV, DatasetFactory, Run, git, rename_by_hand, state

FRANCE_GOUV = {
    "data/members/france-gouv.yaml": "name: Gouvernement\ntype: national-government\ncountry: FR\n",
    "data/actions/open-contracting/participants/france-gouv.yaml": "joined: 2017-01-01\n",
}


def subjects(output: str) -> list[str]:
    return [line.split("  ")[-1] for line in output.splitlines()]


@pytest.fixture
def merged(git_dataset: DatasetFactory) -> Path:
    """france pledges, then is merged into france-gouv."""
    root = git_dataset(FRANCE_GOUV)
    (root / PART_GOV).write_text("joined: 2016-12-07\ncontribution: Publish contracts\n")
    git(root, "commit", "--quiet", "--all", "-m", "france pledges")
    rename_by_hand(root, "france", "france-gouv", merge=True)
    return root


def test_log_of_a_member_includes_the_members_merged_into_it(merged: Path, run: Run) -> None:
    result = run(merged, "log", "france-gouv")
    assert result.exit_code == 0
    assert subjects(result.stdout) == [
        "merge france into france-gouv",
        "france pledges",
        "initial dataset",
    ]


def test_log_of_a_former_id_is_the_log_of_its_member_now(merged: Path, run: Run) -> None:
    result = run(merged, "log", "france")
    assert result.exit_code == 0
    assert result.stdout == run(merged, "log", "france-gouv").stdout
    sha, when = git(merged, "log", "-1", "--format=%H %cs", "pr").split()
    assert result.stderr == (
        f"ogpctl: france was merged into france-gouv on {when} (commit {sha[:10]}): its history\n"
    )
    entries = json.loads(run(merged, "log", "france", "--format", "json").stdout)
    assert [e["message"].split("\n")[0] for e in entries][:2] == [
        "merge france into france-gouv",
        "france pledges",
    ]


def test_log_follows_a_rename_that_git_does_not_pair(git_dataset: DatasetFactory, run: Run) -> None:
    """The member file rewritten as it moves: only `formerly` says where it came from."""
    root = git_dataset()
    git(root, "checkout", "--quiet", "-b", "pr")
    git(root, "rm", "--quiet", "data/members/france.yaml")
    (root / "data/members/rf.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/member.schema.json\nname:\n"
        "  en: French Republic\n  fr: République française\ntype: national-government\n"
        "country: FR\nogp_member_since: 2014\nformerly:\n- france\n"
    )
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "rf")
    assert "R" not in git(root, "diff", "--name-status", "-M", "main", "--", "data/members")
    assert subjects(run(root, "log", "rf").stdout) == ["rf", "initial dataset"]


def test_show_a_former_id(merged: Path, run: Run) -> None:
    result = run(merged, "--no-color", "show", "france")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    sha, when = git(merged, "log", "-1", "--format=%H %cs", "pr").split()
    assert lines[:3] == [
        f"france was merged into france-gouv on {when} (commit {sha[:10]})",
        "france-gouv",
        "Gouvernement",
    ]
    assert "formerly  france" in lines
    document = json.loads(run(merged, "show", "france", "--format", "json").stdout)
    assert document["id"] == "france-gouv"
    assert document["formerly"] == ["france"]
    assert document["asked_for"] == {"id": "france", "how": "merged", "commit": sha, "date": when}
    own = json.loads(run(merged, "show", "france-gouv", "--format", "json").stdout)
    assert "asked_for" not in own and own["formerly"] == ["france"]
    assert run(merged, "show", "action:france").exit_code == 1  # an action id: not followed


def test_show_a_former_id_renamed_and_without_git(
    git_dataset: DatasetFactory, dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset()
    rename_by_hand(root, "france", "rf")
    assert run(root, "--no-color", "show", "france").stdout.startswith(
        "france was renamed into rf on "
    )
    plain = dataset(
        {
            "data/members/france.yaml": None,
            "data/members/rf.yaml": "name: RF\ntype: national-government\ncountry: FR\n"
            "formerly: [france]\n",
        }
    )
    result = run(plain, "--no-color", "show", "france")
    assert result.stdout.startswith("france was renamed or merged into rf\nrf\n")
    assert result.exit_code == 1  # the dataset is invalid: france still leads, takes part


def test_a_former_id_two_members_claim(merged: Path, run: Run) -> None:
    member = merged / "data/members/transparency-international.yaml"
    member.write_text(member.read_text() + "formerly: [france]\n")
    result = run(merged, "show", "france")
    assert result.exit_code == 1
    assert (
        "ogpctl: 'france' is a former id of 'france-gouv' and 'transparency-international': "
        "one member only may list it in `formerly`; see `ogpctl show france-gouv`"
    ) in result.stderr


@pytest.mark.parametrize("wanted", ["france", "member:france", "france-gouv", "frnace"])
def test_show_reads_only_its_records_and_finds_the_same(merged: Path, wanted: str) -> None:
    from ogpctl import show
    from ogpctl.check.load import load
    from ogpctl.errors import NotFound
    from ogpctl.store.config import load_settings

    settings = load_settings(merged)
    full, _ = load(merged, settings)
    some = show.dataset_for(merged, settings, wanted)

    def found(dataset: object) -> object:
        try:
            return show.find(dataset, wanted, date(2017, 9, 1), "en").as_dict()  # type: ignore[arg-type]
        except NotFound as err:
            return str(err)

    assert found(some) == found(full)
    if wanted != "frnace":
        assert list(some.members) == ["france-gouv"]


# --- commit of a rename made by hand -------------------------------------------------------


def test_commit_takes_a_rename_made_by_hand(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(FRANCE_GOUV)
    moved = rename_by_hand(root, "france", "france-gouv", merge=True, commit=False)
    result = run(root, "commit", "-m", "merge france into france-gouv")
    assert result.exit_code == 0, result.output
    assert git(root, "status", "--porcelain") == ""
    assert moved[0] in git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert run(root, "validate", "--changed-since", "main").exit_code == 0


def test_commit_refuses_a_rename_it_does_not_take_whole(
    git_dataset: DatasetFactory, run: Run
) -> None:
    """The update moves without the member file that records the rename: refused."""
    root = git_dataset(FRANCE_GOUV)
    moved = rename_by_hand(root, "france", "france-gouv", merge=True, commit=False)
    before = state(root)
    old = "data/actions/open-contracting/updates/2017-06-01-france.yaml"
    result = run(root, "commit", str(root / old), str(root / moved[0]))
    assert result.exit_code == 1
    assert (
        f"{moved[0]}:1:1: error OGP401 published update {old} renamed to {moved[0]}, which no "
        "rename recorded in this change explains (data/members/france-gouv.yaml does not "
        "list 'france' in `formerly`)"
    ) in result.stderr
    assert "ogpctl: nothing committed: the dataset would have 1 error" in result.stderr
    assert state(root) == before
