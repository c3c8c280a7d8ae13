"""`ogpctl fmt`: canonical form, comments kept; `--check` changes nothing."""

from __future__ import annotations

import pytest
from helpers import MEMBER_GOV, REPO, DatasetFactory, Run

SCHEMA = "# yaml-language-server: $schema=../../schemas/member.schema.json\n"
CANONICAL = SCHEMA + (
    "# the French government\n"
    "name:\n  en: France\n"
    "type: national-government  # not the city\n"
    "country: FR\n"
)


def test_the_shipped_data_is_canonical(run: Run) -> None:
    result = run(REPO, "fmt", "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("all ") and "files in canonical form" in result.stderr


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(CANONICAL.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(b"\xef\xbb\xbf" + CANONICAL.encode(), id="bom"),
        pytest.param(CANONICAL.removeprefix(SCHEMA).encode(), id="no-schema-line"),
        pytest.param(CANONICAL.rstrip("\n").encode(), id="no-final-newline"),
        pytest.param(
            CANONICAL.replace("country: FR\n", "").replace(
                "# the French government\n", "country: FR\n# the French government\n"
            ).encode(),
            id="key-order",
        ),
        pytest.param(CANONICAL.replace("name:\n  en: France\n", "name: France\n").encode(),
                     id="text-shorthand"),
        pytest.param(CANONICAL.replace(SCHEMA, "# yaml-language-server: $schema=x.json\n")
                     .encode(), id="wrong-schema-line"),
    ],
)  # fmt: skip
def test_each_fault_is_found_then_fixed_keeping_comments(
    dataset: DatasetFactory, run: Run, bad: bytes
) -> None:
    root = dataset({MEMBER_GOV: bad})
    checked = run(
        root, "fmt", "--check", str(root / MEMBER_GOV)
    )  # the baseline's others lack the schema line
    assert checked.exit_code == 1, checked.output
    assert checked.stdout == f"{MEMBER_GOV}\n"
    assert "1 of 1 files not in canonical form (`ogpctl fmt` fixes them)" in checked.stderr
    assert (root / MEMBER_GOV).read_bytes() == bad  # --check writes nothing
    fixed = run(root, "fmt", str(root / MEMBER_GOV))
    assert fixed.exit_code == 0, fixed.output
    assert (root / MEMBER_GOV).read_text(encoding="utf-8") == CANONICAL
    assert run(root, "fmt", "--check", str(root / MEMBER_GOV)).exit_code == 0


def test_fmt_on_the_whole_dataset_then_validate(dataset: DatasetFactory, run: Run) -> None:
    root = dataset()
    assert run(root, "fmt").exit_code == 0
    assert run(root, "fmt", "--check").exit_code == 0
    assert run(root, "validate").exit_code == 0


def test_an_invalid_file_is_left_alone(dataset: DatasetFactory, run: Run) -> None:
    root = dataset({MEMBER_GOV: "name: France\ntype: goverment\r\n"})
    result = run(root, "fmt")
    assert result.exit_code == 1
    assert (
        f"ogpctl: {MEMBER_GOV}: not a valid record: see `ogpctl validate {MEMBER_GOV}`"
        in result.stderr
    )
    assert (root / MEMBER_GOV).read_bytes() == b"name: France\ntype: goverment\r\n"


def test_a_path_outside_the_data_is_a_usage_error(dataset: DatasetFactory, run: Run) -> None:
    root = dataset()
    result = run(root, "fmt", str(root / "ogpctl.toml"))
    assert result.exit_code == 2
    assert "not a record file or a folder under data/" in result.stderr
