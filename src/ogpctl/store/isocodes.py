"""pycountry's code lists kept in the user's cache folder, for that very table file.

Importing this module makes `ogpctl.model.isocodes` read its tables through `kept`.
Computing the three tables takes some 70 ms in each process that needs them, reading
them back some 2 ms (pycountry 26.2.16), so they are kept.

A kept list is checked like the validation cache (`ogpctl.check.fast.cache`): a magic
line and a BLAKE2 digest of the rest, read only from a regular file, and used only if it
is a JSON list of text for exactly this pycountry table file (version, size, mtime in the
name). Anything else, a list typed in by hand included, is computed again and replaced.
`validate --no-cache` (`bypass`) neither reads nor writes the lists.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from ogpctl.errors import OgpctlError
from ogpctl.model import isocodes
from ogpctl.model.isocodes import Compute, country_codes, language_codes, subdivision_codes
from ogpctl.store.atomic import read_regular, write_file
from ogpctl.store.folders import user_cache

__all__ = ["bypass", "cache_file", "country_codes", "kept", "language_codes", "subdivision_codes"]

MAGIC = b"ogpctl code list\n"
BYPASS = "OGPCTL_NO_CACHE"  # set by `bypass`, so that worker processes started anew see it


def cache_file(table: str) -> Path | None:
    """Where one of pycountry's tables is kept; None if there is no cache folder."""
    import pycountry

    base = user_cache()
    if base is None:
        return None
    found = Path(getattr(pycountry, table).filename).stat()
    version = f"{pycountry.__version__}-{found.st_size}-{found.st_mtime_ns}"
    return base / f"pycountry-{table}-{version}.list"


def kept(table: str, codes: Compute) -> frozenset[str]:
    """The codes of one of pycountry's tables, from the cache folder while it is current."""
    import pycountry

    path = None if os.environ.get(BYPASS) else cache_file(table)
    if path is not None:
        with contextlib.suppress(OSError, ValueError):
            listed = _read(read_regular(path))
            if listed is not None:
                return listed
    result = frozenset(codes(getattr(pycountry, table)))
    if path is not None:
        payload = json.dumps(sorted(result)).encode()
        digest = hashlib.blake2b(payload, digest_size=16).digest()
        with contextlib.suppress(OgpctlError):  # an unwritable cache folder only costs time
            write_file(path, MAGIC + digest + payload, new=False)
    return result


def bypass() -> None:
    """Compute the tables afresh, in this process and the workers it starts."""
    os.environ[BYPASS] = "1"
    isocodes.use(kept)  # forget the tables already read


def _read(data: bytes) -> frozenset[str] | None:
    if not data.startswith(MAGIC):
        return None
    digest, payload = data[len(MAGIC) : len(MAGIC) + 16], data[len(MAGIC) + 16 :]
    if hashlib.blake2b(payload, digest_size=16).digest() != digest:
        return None
    listed = json.loads(payload)
    if isinstance(listed, list) and all(isinstance(code, str) for code in listed):
        return frozenset(listed)
    return None


isocodes.use(kept)
