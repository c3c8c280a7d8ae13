"""Python's garbage collector, off for a block of work."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def uncollected() -> Iterator[None]:
    """The garbage collector off in this block, for work that makes many small objects,
    none in a cycle, which it would only scan (validation's records and results, an
    export's rows, the site's records); on again after, if it was on before."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
