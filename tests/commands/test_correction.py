"""A correction is a new update: a second one by one member on one day gets `-2`, `-3`…"""

from __future__ import annotations

from helpers import UPDATE, DatasetFactory, Run, git, last_commit

OC = "data/actions/open-contracting"
UPDATE_ARGS = ["update", "open-contracting", "--by", "france", "--completion", "substantial",
               "--summary", "Corrected figures", "--date", "2017-06-01"]  # fmt: skip


def test_a_second_update_on_one_day_takes_the_next_number(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset()
    original = (root / UPDATE).read_bytes()
    result = run(root, *UPDATE_ARGS)
    assert result.exit_code == 0, result.output
    second = f"{OC}/updates/2017-06-01-france-2.yaml"
    assert f"wrote {second}, committed" in result.stderr
    message, files = last_commit(root)
    assert files == [second]
    assert message.splitlines()[0] == (
        "update open-contracting: 2017-06-01 by france (2nd that day) (substantial)"
    )
    assert (root / UPDATE).read_bytes() == original  # the first stays as published
    third = run(root, *UPDATE_ARGS)
    assert f"wrote {OC}/updates/2017-06-01-france-3.yaml, committed" in third.stderr
    assert run(root, "validate").exit_code == 0
    review = run(root, "validate", "--changed-since", "HEAD~2")
    assert review.exit_code == 0, review.output
    assert git(root, "status", "--porcelain") == ""
