"""Where ogpctl may keep things of its own outside the dataset."""

from __future__ import annotations

import os
from pathlib import Path


def user_cache() -> Path | None:
    """`$XDG_CACHE_HOME/ogpctl`, else `~/.cache/ogpctl`; None when there is no home folder
    (HOME unset for a user with no passwd entry): then nothing is cached there."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError, OSError):
            return None
    return Path(base) / "ogpctl"
