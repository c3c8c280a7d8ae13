"""`ogpctl resource` against real git repositories: a resource of an action is added, changed
(title one language at a time, type) and removed by its URL, in one commit of `action.yaml`
that keeps the person's comments; every refusal changes nothing."""

from __future__ import annotations

import pytest
from helpers import ACTION, BASELINE, DatasetFactory, Run, git, last_commit, state

OCDS = "https://standard.open-contracting.org/"
COMMENTED = (
    "# yaml-language-server: $schema=../../../schemas/action.schema.json\n"
    "# Agreed at the Paris summit; ask the leaders before changing it.\n"
    + BASELINE[ACTION].replace("status: active\n", "status: active  # as of March 2017\n")
)
WITH_OCDS = COMMENTED + (
    "resources:\n"
    "  # the standard the action publishes in\n"
    f"  - title: Open Contracting Data Standard\n    url: {OCDS}\n    type: standard\n"
)


def committed(root, run: Run, subject: str) -> None:
    """HEAD changes `action.yaml` alone, as `subject` says; the dataset and the change valid."""
    message, files = last_commit(root)
    assert files == [ACTION]
    assert message.splitlines()[0] == subject
    assert "Ogpctl-Command: resource\nOgpctl-Action: open-contracting" in message
    assert git(root, "status", "--porcelain") == ""
    assert run(root, "validate").exit_code == 0
    review = run(root, "validate", "--changed-since", "HEAD~1")
    assert review.exit_code == 0, review.output


def test_added_changed_and_removed_keeping_comments(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset({ACTION: COMMENTED})
    added = run(root, "resource", "open-contracting", OCDS, "--title", "Open Contracting Data "
                "Standard", "--type", "standard")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert f"wrote {ACTION}, committed" in added.stderr
    committed(root, run, f"resource open-contracting: add {OCDS}")
    assert (root / ACTION).read_text() == COMMENTED + (  # every other line as it was
        "resources:\n- title:\n    en: Open Contracting Data Standard\n"
        f"  url: {OCDS}\n  type: standard\n"
    )

    french = run(root, "resource", "open-contracting", OCDS, "--title",
                 "fr=Standard de données sur la commande publique ouverte")  # fmt: skip
    assert french.exit_code == 0, french.output
    committed(root, run, f"resource open-contracting: change {OCDS}")
    assert "    en: Open Contracting Data Standard\n    fr: Standard de données" in (
        (root / ACTION).read_text()
    )
    retyped = run(root, "resource", "open-contracting", OCDS, "--type", "guide")
    assert retyped.exit_code == 0, retyped.output
    assert f"  url: {OCDS}\n  type: guide\n" in (root / ACTION).read_text()

    removed = run(root, "resource", "open-contracting", OCDS, "--remove")
    assert removed.exit_code == 0, removed.output
    committed(root, run, f"resource open-contracting: remove {OCDS}")
    assert (root / ACTION).read_text() == COMMENTED  # as the person wrote it, comments and all


def test_a_new_one_goes_after_the_others_and_the_type_defaults_to_other(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset({ACTION: WITH_OCDS})
    result = run(root, "resource", "open-contracting", "https://example.org/guide",
                 "--title", "A guide", "--title", "fr=Un guide")  # fmt: skip
    assert result.exit_code == 0, result.output
    committed(root, run, "resource open-contracting: add https://example.org/guide")
    assert (
        (root / ACTION)
        .read_text()
        .endswith(
            f"  url: {OCDS}\n  type: standard\n- title:\n    en: A guide\n    fr: Un guide\n"
            "  url: https://example.org/guide\n  type: other\n"
        )
    )


def test_dry_run_prints_and_writes_nothing(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    before = state(root)
    result = run(root, "resource", "open-contracting", OCDS, "--title", "OCDS", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"  url: {OCDS}\n  type: other\n" in result.stdout
    assert f"dry run: {ACTION} would be written; nothing written" in result.stderr
    assert state(root) == before


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["open-contractin", OCDS, "--title", "x"], 1,
         "no action 'open-contractin' (did you mean 'open-contracting'?): `ogpctl status` "
         "lists the actions"),
        (["open-contracting", "standard.open-contracting.org", "--title", "x"], 1,
         f"{ACTION}:23:8: error OGP101 resources[1].url: 'standard.open-contracting.org' is "
         "not a web address starting with http:// or https://"),
        (["open-contracting", "https://example.org/{id}", "--title", "x"], 1,
         "error OGP101 resources[1].url: '{' is not allowed in a URL: write it percent-encoded, "
         "as %7B"),
        (["open-contracting", OCDS.rstrip("/"), "--remove"], 1,
         f"open-contracting has no resource {OCDS.rstrip('/')} (did you mean '{OCDS}'?)"),
        (["open-contracting", "https://example.org/", "--remove"], 1,
         f"open-contracting has no resource https://example.org/; its resources: {OCDS}"),
        (["open-contracting", "https://example.org/"], 2,
         "resource https://example.org/ is new: give its --title"),
        (["open-contracting", OCDS, "--remove", "--type", "tool"], 2,
         "--remove takes no --title or --type"),
        (["open-contracting", OCDS, "--type", "standard"], 2,
         f"{ACTION} already holds these values: nothing to change"),
        (["open-contracting", OCDS, "--type", "tol"], 2,
         "'tol' is not allowed; use one of 'dataset', 'guide', 'other', 'standard', 'tool' "
         "(did you mean 'tool'?)"),
        (["open-contracting", OCDS, "--title", "fr=x", "--title", "fr=y"], 2,
         "--title: two texts in language 'fr'; give one per language"),
        (["open-contracting", OCDS, "--title", "xx=Texte"], 1, "error OGP105"),
        (["Open-Contracting", OCDS, "--title", "x"], 2,
         "'Open-Contracting' is not a valid action id"),
    ],
)  # fmt: skip
def test_refusals_change_nothing(
    git_dataset: DatasetFactory, run: Run, argv: list[str], code: int, message: str
) -> None:
    root = git_dataset({ACTION: WITH_OCDS})
    before = state(root)
    result = run(root, "resource", *argv)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert state(root) == before


def test_an_action_without_resources_says_so(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    before = state(root)
    result = run(root, "resource", "open-contracting", OCDS, "--remove")
    assert result.exit_code == 1
    assert f"open-contracting has no resource {OCDS}: it has none" in result.stderr
    assert state(root) == before


def test_a_url_with_a_control_character_is_refused(git_dataset: DatasetFactory, run: Run) -> None:
    """A URL reaches terminals, commit subjects and web pages: an escape sequence in it is
    refused, named, with its percent-encoded form, and nothing is written."""
    root = git_dataset()
    before = state(root)
    result = run(root, "resource", "open-contracting", "https://example.org/\x1b]0;x\x07",
                 "--title", "x")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "'\\x1b' is not allowed in a URL: write it percent-encoded, as %1B" in result.stderr
    assert "\x1b" not in result.output
    assert state(root) == before
