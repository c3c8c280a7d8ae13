"""A member's former ids read straight from its file (`check/formerly.py`)."""

from __future__ import annotations

import pytest
from helpers import DatasetFactory

from ogpctl.check import formerly


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("name: A\ntype: other\nformerly: [a, b-2]\n", ["a", "b-2"]),
        ("name: A\ntype: other\nformerly:\n- a\n- Not A Slug\n- 3\n", ["a"]),
        ("name: A\ntype: other\nformerly: a\n", []),  # not a list: validation says so
        ("name: A\ntype: other\n", []),
        ("name: [unclosed\nformerly: [a]\n", []),  # does not parse
        ("formerly: [a]\nformerly: [b]\n", ["a"]),  # a duplicate key keeps the first
    ],
)
def test_former_ids(text: str, ids: list[str]) -> None:
    assert formerly.former_ids(text.encode()) == ids


def test_former_ids_of_no_file() -> None:
    assert formerly.former_ids(None) == []


def test_holders_are_the_members_listing_the_id_in_formerly(dataset: DatasetFactory) -> None:
    root = dataset(
        {
            "data/members/rf.yaml": "name: RF\ntype: other\nformerly: [old]\n",
            "data/members/mentions.yaml": "name: old\ntype: other\nacronym: old\n",
            "data/members/link.yaml": None,
        }
    )
    (root / "data/members/link.yaml").symlink_to(root / "data/members/rf.yaml")  # not followed
    assert formerly.holders(root, "old") == ["rf"]
    assert formerly.holders(root, "nobody") == []
    assert formerly.of_member(root, "rf") == ["old"]
    assert formerly.of_member(root, "missing") == []
