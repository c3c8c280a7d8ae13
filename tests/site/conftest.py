"""What the site's test modules share: the shipped dataset's site, built once, and twice.

`test_site.py` and `test_search.py` read the same site (with its search index where
Pagefind is installed) and compare it with a second build, byte for byte; their tests all
run on one pytest-xdist worker (TOGETHER in tests/conftest.py), which builds both once: a
build of the shipped dataset costs a second of CPU and a run of Pagefind.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sitecheck import REPO, build


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the repository's own dataset, built once; the tests only read it."""
    out = tmp_path_factory.mktemp("shipped") / "_site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(out.parent / "cache"))
        build(REPO, out)
    return out


@pytest.fixture(scope="session")
def shipped_again(shipped: Path) -> Path:
    """The same site built a second time, into another folder, with a cache of its own."""
    out = shipped.parent.parent / "again" / "_site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(out.parent / "cache"))
        build(REPO, out)
    return out
