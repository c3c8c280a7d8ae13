"""Fixtures of the cache tests: files trusted as soon as written, and parses counted."""

from __future__ import annotations

from collections import Counter

import pytest

from ogpctl.check import record_file
from ogpctl.check.fast import cache


@pytest.fixture
def trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The caches trust files just written (no 2-second racy window)."""
    monkeypatch.setattr(cache, "RACY_NS", -60_000_000_000)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch, trusted: None) -> Counter[str]:
    """How many times each record file is parsed (in this process: no workers)."""
    monkeypatch.setenv("OGPCTL_WORKERS", "1")
    counts: Counter[str] = Counter()
    parse = record_file.parse

    def counted(key, *args, **kwargs):  # type: ignore[no-untyped-def]
        counts[key.path] += 1
        return parse(key, *args, **kwargs)

    monkeypatch.setattr(record_file, "parse", counted)
    return counts
