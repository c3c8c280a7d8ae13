"""No surprises from outside: reading and checking the dataset opens no network socket."""

from __future__ import annotations

import socket

import pytest
from helpers import REPO


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("validate", "--format", "json"),
        ("validate", "--format", "github"),
        ("status",),
        ("status", "--format", "json"),
        ("status", "--format", "csv"),
        ("schema", "--check"),
    ],
    ids=" ".join,
)
def test_commands_on_the_shipped_dataset_stay_offline(args, run, no_network) -> None:
    result = run(REPO, *args)
    assert result.exit_code == 0, result.output
    assert no_network == []


def test_the_guard_works(no_network) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80))
    with pytest.raises(OSError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    assert no_network == ["create_connection", f"socket({socket.AF_INET})"]
