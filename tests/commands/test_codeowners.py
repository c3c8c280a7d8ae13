"""`ogpctl codeowners`: .github/CODEOWNERS from the members' maintainers."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from helpers import (
    ACTION,
    BASELINE,
    MEMBER_CSO,
    MEMBER_GOV,
    PART_GOV,
    REPO,
    UPDATE,
    DatasetFactory,
    Run,
    build_tree,
    git,
)

from ogpctl import codeowners

OWNERS = ".github/CODEOWNERS"
LA_FRANCE = "data/members/la-france.yaml"


def maintained(**handles: list[str]) -> dict[str, str]:
    """Member files of the baseline (and `la_france`) with these maintainers."""
    files = {MEMBER_GOV: BASELINE[MEMBER_GOV], MEMBER_CSO: BASELINE[MEMBER_CSO]}
    files[LA_FRANCE] = "name: La France\ntype: civil-society\n"
    paths = {"france": MEMBER_GOV, "ti": MEMBER_CSO, "la_france": LA_FRANCE}
    for who, names in handles.items():
        files[paths[who]] += "maintainers:\n" + "".join(f"  - {n}\n" for n in names)
    return files


def rules_of(text: str) -> list[tuple[str, list[str]]]:
    lines = [line.split() for line in text.splitlines() if line and not line.startswith("#")]
    return [(parts[0], parts[1:]) for parts in lines]


def owners_of(text: str, path: str) -> list[str]:
    """What GitHub does: the last matching rule wins (patterns here are anchored globs)."""
    found: list[str] = []
    for pattern, owners in rules_of(text):
        glob = pattern.lstrip("/")
        folder = glob.endswith("/") and path.startswith(glob)
        # `*` and `?` do not cross `/` in CODEOWNERS: compare segment by segment
        same = glob.count("/") == path.count("/") and all(
            fnmatch.fnmatchcase(p, g) for p, g in zip(path.split("/"), glob.split("/"), strict=True)
        )
        if folder or same:
            found = owners
    return found


def test_owners_follow_maintainers_and_leaders(dataset: DatasetFactory, run: Run) -> None:
    root = dataset(maintained(france=["fr-data", "Etalab/open"], ti=["ti-bot"], la_france=["lf"]))
    result = run(root, "codeowners")
    assert result.exit_code == 0, result.output
    text = (root / OWNERS).read_text(encoding="utf-8")
    assert text.startswith(codeowners.MARKER) and "do not edit" in text.lower()
    both = ["@Etalab/open", "@fr-data", "@ti-bot"]
    assert owners_of(text, ACTION) == both  # the leaders' maintainers
    assert owners_of(text, "data/actions/open-contracting/participants/new.yaml") == both
    assert owners_of(text, MEMBER_GOV) == ["@Etalab/open", "@fr-data"]
    assert owners_of(text, MEMBER_CSO) == ["@ti-bot"]
    # a member's pledge and updates in an action it takes part in: its maintainers or the leaders'
    assert owners_of(text, PART_GOV) == both
    assert owners_of(text, UPDATE) == both
    # in an action it does not take part in yet (a new pledge): its own maintainers
    assert owners_of(text, "data/actions/other/participants/france.yaml") == [
        "@Etalab/open", "@fr-data"
    ]  # fmt: skip
    # `france` does not own the updates of `la-france`, whatever the order of the rules
    assert owners_of(text, "data/actions/other/updates/2017-01-01-la-france.yaml") == ["@lf"]
    assert owners_of(text, "data/actions/other/updates/2017-01-01-france.yaml") == [
        "@Etalab/open", "@fr-data"
    ]  # fmt: skip
    assert owners_of(text, "ogpctl.toml") == []


def test_output_is_deterministic_and_check_passes(dataset: DatasetFactory, run: Run) -> None:
    root = dataset(maintained(france=["b", "A", "a"], ti=["ti-bot"]))
    assert run(root, "codeowners").exit_code == 0
    first = (root / OWNERS).read_bytes()
    again = run(root, "codeowners")
    assert again.exit_code == 0 and "up to date" in again.stderr
    assert (root / OWNERS).read_bytes() == first
    assert "@A @b" in first.decode()  # one handle once (GitHub ignores case), sorted
    check = run(root, "codeowners", "--check")
    assert check.exit_code == 0, check.output


def test_check_fails_when_out_of_date_and_writes_nothing(dataset: DatasetFactory, run: Run) -> None:
    root = dataset(maintained(france=["fr-data"]))
    missing = run(root, "codeowners", "--check")
    assert missing.exit_code == 1
    assert "missing: run `ogpctl codeowners`" in missing.stderr
    assert not (root / OWNERS).exists()
    run(root, "codeowners")
    (root / MEMBER_CSO).write_text(maintained(ti=["new-person"])[MEMBER_CSO], encoding="utf-8")
    stale = run(root, "codeowners", "--check")
    assert stale.exit_code == 1
    assert "out of date: run `ogpctl codeowners`" in stale.stderr
    assert "new-person" not in (root / OWNERS).read_text(encoding="utf-8")


def test_lines_above_the_header_are_kept(dataset: DatasetFactory, run: Run) -> None:
    root = dataset(maintained(france=["fr-data"]))
    run(root, "codeowners")
    path = root / OWNERS
    path.write_text("# ours\n* @ogp/staff\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert run(root, "codeowners", "--check").exit_code == 0
    (root / MEMBER_GOV).write_text(maintained(france=["other"])[MEMBER_GOV], encoding="utf-8")
    assert run(root, "codeowners").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ours\n* @ogp/staff\n\n" + codeowners.MARKER)
    assert owners_of(text, "README.md") == ["@ogp/staff"]
    assert owners_of(text, MEMBER_GOV) == ["@other"]


def test_a_hand_written_file_is_not_overwritten(dataset: DatasetFactory, run: Run) -> None:
    root = dataset(maintained(france=["fr-data"]))
    build_tree(root, {OWNERS: "* @someone\n"})
    result = run(root, "codeowners")
    assert result.exit_code == 3
    assert "was not written by `ogpctl codeowners`" in result.stderr
    assert (root / OWNERS).read_text(encoding="utf-8") == "* @someone\n"


def test_invalid_records_are_skipped_and_said(dataset: DatasetFactory, run: Run) -> None:
    files = maintained(france=["fr-data"], ti=["ti-bot"])
    files[MEMBER_CSO] += "colour: blue\n"  # an unknown key: the file is invalid
    root = dataset(files)
    result = run(root, "codeowners")
    assert result.exit_code == 0
    assert "1 invalid member or action file skipped (see `ogpctl validate`)" in result.stderr
    assert "ti-bot" not in (root / OWNERS).read_text(encoding="utf-8")


def test_paths_start_at_the_top_of_the_work_tree(tmp_path: Path, run: Run) -> None:
    top = tmp_path / "repo"
    build_tree(top / "records", {**BASELINE, **maintained(france=["fr-data"])})
    git(top, "init", "--quiet")
    result = run(top / "records", "codeowners")
    assert result.exit_code == 0, result.output
    text = (top / OWNERS).read_text(encoding="utf-8")
    assert "/records/data/members/france.yaml" in text
    assert owners_of(text, f"records/{MEMBER_GOV}") == ["@fr-data"]


def test_no_maintainers_no_rules(dataset: DatasetFactory, run: Run) -> None:
    root = dataset()  # not a git repository: the dataset root is the top
    assert run(root, "codeowners").exit_code == 0
    assert rules_of((root / OWNERS).read_text(encoding="utf-8")) == []


def test_the_committed_file_is_up_to_date(run: Run) -> None:
    result = run(REPO, "codeowners", "--check")
    assert result.exit_code == 0, result.output


def test_every_pattern_is_one_github_accepts(dataset: DatasetFactory, run: Run) -> None:
    root = dataset(maintained(france=["fr-data"], ti=["ti-bot"], la_france=["lf"]))
    run(root, "codeowners")
    for pattern, owners in rules_of((root / OWNERS).read_text(encoding="utf-8")):
        assert pattern.startswith("/") and not re.search(r"[\[\]!\\]", pattern)
        assert owners and all(re.fullmatch(r"@[A-Za-z0-9][\w./-]*", o) for o in owners)


def _with_codeowners(git_dataset: DatasetFactory, run: Run, **handles: list[str]) -> Path:
    root = git_dataset(maintained(**handles))
    assert run(root, "codeowners").exit_code == 0
    git(root, "add", OWNERS)
    git(root, "commit", "--quiet", "-m", "owners")
    return root


def test_a_write_that_changes_owners_commits_codeowners_with_it(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = _with_codeowners(git_dataset, run, france=["fr-bot"])
    added = run(root, "add", "member", "mairie", "--type", "civil-society", "--name", "Mairie",
                "--maintainer", "mairie-bot")  # fmt: skip
    assert added.exit_code == 0, added.output
    files = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert files == [OWNERS, "data/members/mairie.yaml"]
    assert run(root, "codeowners", "--check").exit_code == 0
    assert git(root, "status", "--porcelain") == ""
    led = run(root, "lead", "open-contracting", "--civil-society", "transparency-international")
    assert led.exit_code == 0, led.output  # no change of owners: the record alone
    joined = run(root, "join", "open-contracting", "mairie")
    assert joined.exit_code == 0, joined.output
    files = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert files == [OWNERS, "data/actions/open-contracting/participants/mairie.yaml"]
    assert run(root, "codeowners", "--check").exit_code == 0
    updated = run(root, "update", "open-contracting", "--by", "mairie", "--completion",
                  "limited", "--summary", "Started.")  # fmt: skip
    assert updated.exit_code == 0, updated.output  # an update never changes owners
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == [
        "data/actions/open-contracting/updates/2017-09-01-mairie.yaml"
    ]


def test_a_write_leaves_codeowners_alone_where_there_is_none(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset(maintained(france=["fr-bot"]))
    added = run(root, "add", "member", "mairie", "--type", "civil-society", "--name", "Mairie",
                "--maintainer", "mairie-bot")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert not (root / OWNERS).exists()
