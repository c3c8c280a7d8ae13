"""The cache's list of the modules that make a file's results cannot go stale unseen."""

from __future__ import annotations

from pathlib import Path

import ogpctl
from ogpctl.check.fast import cache

PACKAGE = Path(ogpctl.__file__).parent


def test_every_maker_module_exists() -> None:
    missing = [name for name in cache.MAKERS if not (PACKAGE / name).is_file()]
    assert missing == []


def test_the_makers_include_the_per_file_checks() -> None:
    # the modules a file's own results come from: the reader, the models, the light facts
    assert {"check/record_file.py", "model/records.py", "check/fast/facts.py"} <= set(cache.MAKERS)
