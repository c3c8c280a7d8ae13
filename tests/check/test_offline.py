"""No surprises from outside: reading and checking the dataset opens no network socket."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from helpers import REPO


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to open or use an internet socket is recorded and refused."""
    attempts: list[str] = []
    real_init = socket.socket.__init__

    def guarded_init(self: socket.socket, family: Any = -1, *args: Any, **kwargs: Any) -> None:
        if family in (socket.AF_INET, socket.AF_INET6, -1):
            attempts.append(f"socket({family})")
            raise OSError("network access in a test of ogpctl")
        real_init(self, family, *args, **kwargs)

    def refuse(name: str) -> Any:
        def guard(*args: Any, **kwargs: Any) -> Any:
            attempts.append(name)
            raise OSError(f"{name} in a test of ogpctl")

        return guard

    monkeypatch.setattr(socket.socket, "__init__", guarded_init)
    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


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
