"""`rename` and `merge` against real git repositories: every file and reference of a member
moved in one commit (updates byte for byte), the merge rules, and every refusal changing
nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from helpers import (
    ACTION,
    BASELINE,
    MEMBER_CSO,
    MEMBER_GOV,
    PART_GOV,
    UPDATE,
    URUGUAY,
    DatasetFactory,
    Run,
    git,
    last_commit,
    state,
)

OC = "data/actions/open-contracting"
NEW = "republique-francaise"
COMMENTED_ACTION = BASELINE[ACTION].replace(
    "leaders:\n", "# agreed in Paris, December 2016\nleaders:\n"
)
SECOND = f"{OC}/updates/2017-06-01-france-2.yaml"
FRANCE = {
    MEMBER_GOV: BASELINE[MEMBER_GOV] + "maintainers:\n- fr-gov\n",
    ACTION: COMMENTED_ACTION,
    SECOND: "completion: limited\nsummary:\n  en: Figures corrected.\n",
}
# a duplicate of france, with its own pledge, plan and updates (one on a day france has one)
LA_FRANCE = {
    "data/members/la-france.yaml": (
        "name:\n  fr: La France\ntype: national-government\ncountry: FR\n"
        "formerly:\n- republique-francaise\n"
    ),
    f"{OC}/participants/la-france.yaml": (
        "joined: 2017-01-15\n"
        "contribution:\n  en: Open data\n  fr: Données ouvertes\n"
        "national_action_plan:\n  plan: France NAP 2018-2020\n"
        "left: 2017-08-01\n"
        "sources:\n- url: https://example.org/la-france\n"
    ),
    f"{OC}/updates/2017-06-01-la-france.yaml": "completion: limited\nsummary:\n  en: Portal.\n",
    f"{OC}/updates/2017-07-01-la-france.yaml": "completion: limited\nsummary:\n  en: Data.\n",
}
FRANCE_PLEDGE = {
    PART_GOV: "joined: 2016-12-07\n# as signed\ncontribution:\n  en: Contracts in OCDS\n",
    MEMBER_GOV: "# the government, not the state\n" + BASELINE[MEMBER_GOV],
}


def moves(root: Path) -> list[str]:
    """The files of HEAD's commit as git sees them: `R100 old new`, `M path`…"""
    shown = git(root, "show", "-M", "--name-status", "--format=", "HEAD")
    return sorted(" ".join(line.split("\t")) for line in shown.splitlines())


def load(root: Path, path: str) -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load((root / path).read_text(encoding="utf-8"))
    return loaded


def with_codeowners(root: Path, run: Run) -> Path:
    assert run(root, "codeowners").exit_code == 0
    git(root, "add", ".github/CODEOWNERS")
    git(root, "commit", "--quiet", "-m", "owners")
    return root


# --- rename ------------------------------------------------------------------------------


def test_rename_moves_every_file_and_reference_in_one_commit(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = with_codeowners(git_dataset(FRANCE), run)
    updates = {path: (root / path).read_bytes() for path in (UPDATE, SECOND)}
    result = run(root, "rename", "france", NEW)
    assert result.exit_code == 0, result.output
    said = [
        f"{MEMBER_GOV} → data/members/{NEW}.yaml",
        f"{PART_GOV} → {OC}/participants/{NEW}.yaml",
        f"{UPDATE} → {OC}/updates/2017-06-01-{NEW}.yaml",
        f"{SECOND} → {OC}/updates/2017-06-01-{NEW}-2.yaml",
        f"{ACTION}: government leader {NEW}",
    ]
    assert result.stdout.splitlines() == [*said, ".github/CODEOWNERS"]
    assert "wrote the files above, committed" in result.stderr
    message, _ = last_commit(root)
    assert message.splitlines()[:7] == [f"rename member france → {NEW}", "", *said]
    assert "Ogpctl-Command: rename\nOgpctl-Member: france\nOgpctl-Member: " + NEW in message
    # updates and the participation: pure renames; the member file gains `formerly`
    found = moves(root)
    assert f"R100 {PART_GOV} {OC}/participants/{NEW}.yaml" in found
    assert f"R100 {UPDATE} {OC}/updates/2017-06-01-{NEW}.yaml" in found
    assert f"R100 {SECOND} {OC}/updates/2017-06-01-{NEW}-2.yaml" in found
    assert found[0] == "M .github/CODEOWNERS" and f"M {ACTION}" in found
    assert any(line.startswith("R0") and line.endswith(f"data/members/{NEW}.yaml")
               for line in found)  # fmt: skip
    assert len(found) == 6
    for old, content in updates.items():
        assert (root / old.replace("france", NEW)).read_bytes() == content
    assert load(root, f"data/members/{NEW}.yaml")["formerly"] == ["france"]
    action = (root / ACTION).read_text()
    assert f"government: {NEW}\n" in action and "# agreed in Paris, December 2016\n" in action
    owners = (root / ".github/CODEOWNERS").read_text()
    assert f"/data/members/{NEW}.yaml" in owners and "france" not in owners
    assert git(root, "status", "--porcelain") == ""
    assert run(root, "validate").exit_code == 0
    assert run(root, "codeowners", "--check").exit_code == 0


def test_a_renamed_member_keeps_every_id_it_had(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY)
    assert run(root, "rename", "uruguay", "oriental").exit_code == 0
    assert run(root, "rename", "oriental", "uy").exit_code == 0
    assert load(root, "data/members/uy.yaml")["formerly"] == ["oriental", "uruguay"]
    back = run(root, "rename", "uy", "uruguay")  # its first id again: not its own former id
    assert back.exit_code == 0, back.output
    assert load(root, "data/members/uruguay.yaml")["formerly"] == ["uy", "oriental"]


def test_a_problem_the_member_had_is_not_brought_by_renaming_it(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset(URUGUAY)  # in no action: warning OGP303, before and after
    result = run(root, "rename", "uruguay", "oriental")
    assert result.exit_code == 0, result.output
    assert "OGP303" not in result.stderr
    assert "OGP303 'oriental' takes part in no action" in run(root, "validate").stdout


def test_dry_run_and_no_commit(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    before = state(root)
    dry = run(root, "rename", "france", NEW, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines() == [
        f"{MEMBER_GOV} → data/members/{NEW}.yaml",
        f"{PART_GOV} → {OC}/participants/{NEW}.yaml",
        f"{UPDATE} → {OC}/updates/2017-06-01-{NEW}.yaml",
        f"{ACTION}: government leader {NEW}",
    ]
    assert "ogpctl: dry run: nothing written" in dry.stderr
    assert state(root) == before
    written = run(root, "rename", "france", NEW, "--no-commit")
    assert written.exit_code == 0, written.output
    assert "wrote the files above (not committed)" in written.stderr
    assert git(root, "rev-parse", "HEAD") == before[0]
    assert not (root / MEMBER_GOV).exists() and (root / f"data/members/{NEW}.yaml").exists()
    assert run(root, "validate").exit_code == 0


# --- merge -------------------------------------------------------------------------------


def test_merge_joins_the_two_participations_and_numbers_the_updates(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset(LA_FRANCE | FRANCE_PLEDGE)
    portal = (root / OC / "updates/2017-06-01-la-france.yaml").read_bytes()
    result = run(root, "merge", "la-france", "france")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"data/members/la-france.yaml merged into {MEMBER_GOV}",
        f"{OC}/participants/la-france.yaml merged into {PART_GOV}",
        f"{OC}/updates/2017-06-01-la-france.yaml → {SECOND}",
        f"{OC}/updates/2017-07-01-la-france.yaml → {OC}/updates/2017-07-01-france.yaml",
    ]
    message, _ = last_commit(root)
    assert message.splitlines()[0] == "merge member la-france into france"
    assert "Ogpctl-Command: merge\nOgpctl-Member: la-france\nOgpctl-Member: france" in message
    found = moves(root)
    assert f"R100 {OC}/updates/2017-06-01-la-france.yaml {SECOND}" in found
    assert f"R100 {OC}/updates/2017-07-01-la-france.yaml {OC}/updates/2017-07-01-france.yaml" in (
        found
    )
    assert f"D {OC}/participants/la-france.yaml" in found and f"M {PART_GOV}" in found
    assert "D data/members/la-france.yaml" in found and f"M {MEMBER_GOV}" in found
    assert (root / SECOND).read_bytes() == portal
    # the kept member: its own fields, and the ids it stands for
    member = load(root, MEMBER_GOV)
    assert member["name"] == {"en": "France"}
    assert (root / MEMBER_GOV).read_text().startswith("# the government, not the state\n")
    assert member["formerly"] == ["la-france", "republique-francaise"]
    # one participation: the earlier joined, both pledges, the one plan, still taking part
    text = (root / PART_GOV).read_text()
    assert "# as signed\n" in text
    assert yaml.safe_load(text) == {
        "joined": date(2016, 12, 7),
        "contribution": {"en": "Contracts in OCDS\n\nOpen data", "fr": "Données ouvertes"},
        "national_action_plan": {"plan": "France NAP 2018-2020"},
        "sources": [{"url": "https://example.org/la-france"}],
    }
    assert git(root, "status", "--porcelain") == ""
    assert run(root, "validate").exit_code == 0


def test_merge_keeps_the_later_left_when_both_left(git_dataset: DatasetFactory, run: Run) -> None:
    gone = LA_FRANCE[f"{OC}/participants/la-france.yaml"]
    root = git_dataset(LA_FRANCE | {
        f"{OC}/participants/la-france.yaml": gone.replace("left: 2017-08-01", "left: 2017-07-15"),
        PART_GOV: "joined: 2016-12-07\nleft: 2017-08-01\n",
        ACTION: BASELINE[ACTION].replace("  government: france\n", ""),
        UPDATE: None,
    } | {f"{OC}/updates/2017-07-01-la-france.yaml": None})  # fmt: skip
    result = run(root, "merge", "la-france", "france")
    assert result.exit_code == 0, result.output
    assert str(load(root, PART_GOV)["left"]) == "2017-08-01"


def test_merge_moves_a_leader_role(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(LA_FRANCE | {ACTION: COMMENTED_ACTION.replace(
        "government: france", "government: la-france")})  # fmt: skip
    result = run(root, "merge", "la-france", "france")
    assert result.exit_code == 0, result.output
    text = (root / ACTION).read_text()
    assert "  government: france\n" in text and "# agreed in Paris" in text
    assert run(root, "validate").exit_code == 0


def test_merge_conflicts_are_listed_and_nothing_is_written(
    git_dataset: DatasetFactory, run: Run
) -> None:
    cso = "transparency-international"
    root = git_dataset({
        **LA_FRANCE,
        PART_GOV: "joined: 2016-12-07\nnational_action_plan:\n  plan: France NAP 2015-2017\n",
        "data/members/ti.yaml": "name: TI\ntype: civil-society\n",
        f"{OC}/participants/ti.yaml": "joined: 2016-12-07\n",
        ACTION: BASELINE[ACTION].replace(f"civil_society: {cso}", "civil_society: ti")
        .replace("government: france", "government: la-france"),
    })  # fmt: skip
    before = state(root)
    plans = run(root, "merge", "la-france", "france")
    assert plans.exit_code == 1
    assert "cannot merge la-france into france: 1 conflict, nothing written:\n" in plans.stderr
    assert (
        f"  open-contracting: two different national action plans, plan 'France NAP 2015-2017' "
        f"in {PART_GOV} and plan 'France NAP 2018-2020' in {OC}/participants/la-france.yaml"
    ) in plans.stderr
    assert state(root) == before
    twice = run(root, "merge", "ti", "la-france")  # a CSO into the government leader
    assert twice.exit_code == 1
    assert twice.stderr.splitlines()[:3] == [
        "ogpctl: cannot merge ti into la-france: 2 conflicts, nothing written:",
        "  ti is a civil-society and la-france a national-government: one member is of one type",
        "  open-contracting: la-france would lead it twice, as government and as civil "
        "society: name another leader first (`ogpctl lead open-contracting`)",
    ]
    assert state(root) == before


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["rename", "frnace", NEW], 1, "no member 'frnace' (did you mean 'france'?)"),
        (["merge", "frnace", "france"], 1, "no member 'frnace' (did you mean 'france'?)"),
        (["merge", "france", "transparency-internationl"], 1,
         "no member 'transparency-internationl' (did you mean 'transparency-international'?)"),
        (["rename", "france", "transparency-international"], 1,
         "member 'transparency-international' exists already (" + MEMBER_CSO + "): to make one "
         "member of the two, `ogpctl merge france transparency-international`"),
        (["merge", "france", "france"], 2,
         "cannot merge 'france' into itself: name two different members"),
        (["rename", "france", "France"], 2,
         "'France' is not a valid member id: use lowercase letters, digits and single hyphens, "
         "at most 64 characters"),
        (["rename", "france", "con"], 2, "'con' cannot be a member id: Windows reserves it"),
        (["rename", "france", "france"], 2, "'france' has that id already: nothing to rename"),
        (["rename", "france"], 2, "missing NEW-ID: give its new id (member id)"),
        (["merge"], 2, "missing MEMBER: give the member that goes (member id)"),
        (["rename", "france", "france-2"], 2,
         "'france-2' cannot be a member id here: an update's file name reads a final -2 as the "
         "number of a second, third… update of one day (2017-06-01-france-2.yaml is france's)"),
    ],
)  # fmt: skip
def test_refusals_change_nothing(
    git_dataset: DatasetFactory, run: Run, argv: list[str], code: int, message: str
) -> None:
    root = git_dataset()
    before = state(root)
    result = run(root, *argv)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert state(root) == before


def test_an_id_another_member_had_is_refused(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(URUGUAY | {MEMBER_CSO: BASELINE[MEMBER_CSO] + "formerly:\n- ti\n"})
    before = state(root)
    result = run(root, "rename", "uruguay", "ti")
    assert result.exit_code == 1
    assert (
        f"ogpctl: 'ti' was the id of 'transparency-international' ({MEMBER_CSO} lists it in "
        "`formerly`): the history of that id is that member's; choose another id"
    ) in result.stderr
    assert state(root) == before


def test_a_stray_file_at_the_new_name_is_refused(git_dataset: DatasetFactory, run: Run) -> None:
    stray = f"{OC}/participants/{NEW}.yaml"
    root = git_dataset({stray: "joined: 2017-01-01\n"})
    before = state(root)
    result = run(root, "rename", "france", NEW)
    assert result.exit_code == 1
    assert f"ogpctl: {stray} exists already, though member {NEW!r} does not" in result.stderr
    assert state(root) == before


def test_an_invalid_file_to_rewrite_is_refused(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset({MEMBER_GOV: BASELINE[MEMBER_GOV].replace("national-government", "state")})
    before = state(root)
    result = run(root, "rename", "france", NEW)
    assert result.exit_code == 1
    assert (
        f"ogpctl: {MEMBER_GOV} is invalid, so ogpctl cannot rewrite it: fix it first "
        f"(`ogpctl validate {MEMBER_GOV}`), then try again"
    ) in result.stderr
    assert state(root) == before


def test_uncommitted_changes_to_a_file_to_move_are_refused(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset()
    (root / UPDATE).write_text((root / UPDATE).read_text() + "evidence: []\n")
    before = state(root)
    result = run(root, "rename", "france", NEW)
    assert result.exit_code == 3
    assert f"ogpctl: {UPDATE} has changes that are not committed: commit them first" in (
        result.stderr
    )
    assert state(root) == before
    (root / MEMBER_GOV).write_text((root / MEMBER_GOV).read_text() + "acronym: FR\n")
    before = state(root)
    result = run(root, "rename", "france", NEW)
    assert result.exit_code == 3
    assert (
        f"ogpctl: {UPDATE}, {MEMBER_GOV} have changes that are not committed: commit them first"
        in result.stderr
    )
    assert state(root) == before


def test_missing_ids_are_asked_at_a_terminal(git_dataset: DatasetFactory, terminal: Run) -> None:
    root = git_dataset()
    result = terminal(root, "rename", input=f"france\n{NEW}\n")
    assert result.exit_code == 0, result.output
    assert "the member to rename (member id): " in result.stderr
    assert (root / f"data/members/{NEW}.yaml").exists()


# --- the review of the change (`validate --changed-since`) ----------------------------------


def test_a_rename_and_a_merge_pass_the_review_of_their_commit(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset(LA_FRANCE | FRANCE)
    for argv in (["merge", "la-france", "france"], ["rename", "france", "rf"]):
        assert run(root, *argv).exit_code == 0
        assert run(root, "validate").exit_code == 0
        review = run(root, "validate", "--changed-since", "HEAD~1")
        assert review.exit_code == 0, review.output
