"""pycountry's code lists kept in the user's cache folder, for that very table file.

Importing this module makes `ogpctl.model.isocodes` read its tables through `kept`. A
kept list is never trusted blindly: anything but a JSON list of text is computed again.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from ogpctl.errors import OgpctlError
from ogpctl.model import isocodes
from ogpctl.model.isocodes import Compute, country_codes, language_codes, subdivision_codes
from ogpctl.store.atomic import write_file

__all__ = ["country_codes", "kept", "language_codes", "subdivision_codes"]


def kept(table: str, codes: Compute) -> frozenset[str]:
    """The codes of one of pycountry's tables, from the cache folder while it is current."""
    import pycountry

    database = getattr(pycountry, table)
    found = Path(database.filename).stat()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ogpctl"
    version = f"{pycountry.__version__}-{found.st_size}-{found.st_mtime_ns}"
    path = base / f"pycountry-{table}-{version}.json"
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(listed, list) and all(isinstance(code, str) for code in listed):
            return frozenset(listed)
    except (OSError, ValueError):
        pass
    result = frozenset(codes(database))
    with contextlib.suppress(OgpctlError):  # an unwritable cache folder only costs time
        write_file(path, json.dumps(sorted(result)).encode(), new=False)
    return result


isocodes.use(kept)
