"""`validate --changed-since` and renames: the moves of published updates that a rename or
merge recorded in the same change explains are accepted; every other rewrite is OGP401.

The renames and merges are made by hand with plain git (`helpers.rename_by_hand`), as
`ogpctl rename` and `ogpctl merge` commit them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ACTION, MEMBER_GOV, UPDATE, DatasetFactory, Run, git, rename_by_hand

FRANCE_GOUV = "data/members/france-gouv.yaml"
RF = "data/members/republique-francaise.yaml"
RF_UPDATE = UPDATE.replace("france", "republique-francaise")
URUGUAY = "data/members/uruguay.yaml"
INTRO = "published update " + UPDATE


@pytest.fixture
def repo(git_dataset: DatasetFactory) -> Path:
    return git_dataset()


def review(root: Path, run: Run) -> tuple[int, str]:
    result = run(root, "validate", "--changed-since", "main", "--format", "text")
    return result.exit_code, result.stdout


# --- accepted ------------------------------------------------------------------------------


def test_a_rename_moves_its_updates(repo: Path, run: Run) -> None:
    assert rename_by_hand(repo, "france", "republique-francaise") == [RF_UPDATE]
    assert (repo / RF_UPDATE).read_bytes() == git(repo, "show", f"main:{UPDATE}").encode()
    assert review(repo, run) == (0, "")
    assert run(repo, "validate").exit_code == 0


def test_a_merge_moves_its_updates_after_those_of_the_day(
    git_dataset: DatasetFactory, run: Run
) -> None:
    own = UPDATE.replace("france", "france-gouv")
    root = git_dataset(
        {
            FRANCE_GOUV: "name: Gouvernement\ntype: national-government\ncountry: FR\n",
            "data/actions/open-contracting/participants/france-gouv.yaml": "joined: 2017-01-01\n",
            own: "completion: limited\nsummary: Its own update that day\n",
        }
    )
    assert "OGP304" in run(root, "validate").stdout  # the two look alike: the reason to merge
    moved = rename_by_hand(root, "france", "france-gouv", merge=True)
    assert moved == [UPDATE.replace("france", "france-gouv-2")]
    assert review(root, run) == (0, "")


def test_a_renamed_member_keeps_its_old_problems_unblamed(
    git_dataset: DatasetFactory, run: Run
) -> None:
    """Its warning moves with it, naming its new id; git does not pair the small member
    file with its rewritten self, so the rename is known from `formerly` alone."""
    root = git_dataset({URUGUAY: "name: Uruguay\ntype: national-government\ncountry: UY\n"})
    assert "'uruguay' takes part in no action" in run(root, "validate").stdout
    git(root, "checkout", "--quiet", "-b", "pr")
    git(root, "rm", "--quiet", URUGUAY)
    rewritten = "# yaml-language-server: $schema=../../schemas/member.schema.json\n"
    rewritten += "name:\n  en: Uruguay\n  es: Uruguay\ntype: national-government\ncountry: UY\n"
    (root / "data/members/rou.yaml").write_text(rewritten + "formerly:\n- uruguay\n")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "rename uruguay into rou")
    assert "\tdata/members/rou.yaml" in git(root, "diff", "--name-status", "-M", "main")
    assert "'rou' takes part in no action" in run(root, "validate").stdout
    assert review(root, run) == (0, "")


# --- refused -------------------------------------------------------------------------------


def test_a_move_without_a_recorded_rename(repo: Path, run: Run) -> None:
    rename_by_hand(repo, "france", "republique-francaise", formerly=False)
    code, out = review(repo, run)
    assert code == 1
    assert (
        f"{RF_UPDATE}:1:1: error OGP401 {INTRO} renamed to {RF_UPDATE}, which no rename "
        f"recorded in this change explains ({RF} does not list 'france' in `formerly`): "
        "updates are append-only"
    ) in out


def test_a_move_that_changes_the_content(repo: Path, run: Run) -> None:
    git(repo, "checkout", "--quiet", "-b", "pr")
    text = (repo / UPDATE).read_text().replace("Data standard adopted.", "Standard adopted.")
    (repo / UPDATE).write_text(text)
    git(repo, "commit", "--quiet", "--all", "-m", "reworded")
    rename_by_hand(repo, "france", "republique-francaise")
    code, out = review(repo, run)
    assert code == 1
    assert (
        f"{INTRO} renamed to {RF_UPDATE}, which no rename recorded in this change explains "
        "(its content changed: a rename moves an update as it is, byte for byte)"
    ) in out


@pytest.mark.parametrize(
    "target",
    [
        RF_UPDATE.replace("2017-06-01", "2017-05-01"),
        RF_UPDATE.replace("open-contracting", "open-data"),
    ],
)
def test_a_move_to_another_date_or_action(repo: Path, run: Run, target: str) -> None:
    rename_by_hand(repo, "france", "republique-francaise")
    (repo / target).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", RF_UPDATE, target)
    git(repo, "commit", "--quiet", "-m", "moved further")
    code, out = review(repo, run)
    assert code == 1
    assert (
        f"{target}:1:1: error OGP401 {INTRO} renamed to {target}, which no rename recorded in "
        "this change explains (a rename of its author keeps the action and the date)"
    ) in out


def test_a_rename_that_keeps_the_old_member(repo: Path, run: Run) -> None:
    rename_by_hand(repo, "france", "republique-francaise")
    git(repo, "checkout", "main", "--", MEMBER_GOV)
    git(repo, "commit", "--quiet", "-m", "france is back")
    code, out = review(repo, run)
    assert code == 1
    assert f"('france' is still a member ({MEMBER_GOV}))" in out


def test_a_rename_recorded_before_the_change(git_dataset: DatasetFactory, run: Run) -> None:
    """The member listed 'france' already at the base: this change renames nothing."""
    claimed = "name: RF\ntype: national-government\ncountry: FR\nformerly: [france]\n"
    root = git_dataset({RF: claimed})
    git(root, "checkout", "--quiet", "-b", "pr")
    git(root, "rm", "--quiet", MEMBER_GOV)
    git(root, "mv", UPDATE, RF_UPDATE)
    git(root, "commit", "--quiet", "-m", "moved")
    code, out = review(root, run)
    assert code == 1
    assert f"({RF} listed 'france' in `formerly` already before)" in out


def test_a_rename_that_drops_an_update(repo: Path, run: Run) -> None:
    rename_by_hand(repo, "france", "republique-francaise")
    git(repo, "rm", "--quiet", RF_UPDATE)
    git(repo, "commit", "--quiet", "-m", "dropped")
    code, out = review(repo, run)
    assert code == 1
    assert (
        f"{UPDATE}:1:1: error OGP401 {INTRO} deleted; its author 'france' is now "
        "'republique-francaise', but no new update of 'republique-francaise' in "
        "open-contracting on 2017-06-01 holds it unchanged: updates are append-only"
    ) in out


def test_a_move_onto_an_update_of_the_new_author(git_dataset: DatasetFactory, run: Run) -> None:
    """A merge may not overwrite the update INTO published that day: that is an edit."""
    own = UPDATE.replace("france", "france-gouv")
    root = git_dataset(
        {
            FRANCE_GOUV: "name: Gouvernement\ntype: national-government\ncountry: FR\n",
            "data/actions/open-contracting/participants/france-gouv.yaml": "joined: 2017-01-01\n",
            own: "completion: limited\nsummary: Its own update that day\n",
        }
    )
    moved = rename_by_hand(root, "france", "france-gouv", merge=True)
    git(root, "mv", "--force", moved[0], own)
    git(root, "commit", "--quiet", "-m", "overwritten")
    code, out = review(root, run)
    assert code == 1
    assert f"{own}:1:1: error OGP401 published update {own} edited" in out
    assert f"{UPDATE}:1:1: error OGP401 {INTRO} deleted; its author 'france' is now" in out


def test_other_rewrites_in_a_rename_are_still_flagged(repo: Path, run: Run) -> None:
    other = UPDATE.replace("france", "transparency-international")
    git(repo, "checkout", "--quiet", "-b", "pr")
    (repo / other).write_text("completion: limited\nsummary: Said then\n")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "TI publishes")
    git(repo, "branch", "--force", "main")
    rename_by_hand(repo, "france", "republique-francaise")
    (repo / other).write_text("completion: complete\nsummary: Said now\n")
    git(repo, "commit", "--quiet", "--all", "-m", "and an edit")
    code, out = review(repo, run)
    assert code == 1
    assert out == (
        f"{other}:1:1: error OGP401 published update {other} edited: updates are append-only, "
        "so that the record keeps what was said when; to correct one, publish a new update "
        "(`ogpctl update`) that says what changed\n"
    )
    assert ACTION not in out
