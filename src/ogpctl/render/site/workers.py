"""The site's pages rendered on every core: worker processes forked once the `Site` is
collected share it with this process (nothing is copied to start them), each renders a
run of pages and sends back their bytes, which come back in the order of the pages.

Forking is Linux's and macOS's (`fork`); elsewhere, or for a small site, or with
`OGPCTL_WORKERS=1`, the pages are rendered in this process. The bytes are the same either
way: a page depends only on the `Site` and its language.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ogpctl.check.fast.parallel import workers_wanted

MIN_PAGES = 600  # fewer pages are rendered faster than worker processes start
CHUNK = 40  # pages per task: small enough to share the work out, and to hold little

Page = tuple[str, str, dict[str, Any]]  # path within a language, template, context
Renderer = Callable[[str, Page], tuple[str, bytes]]  # (language, page) → (site path, bytes)

_shared: tuple[Renderer, Sequence[Page]] | None = None  # in a worker: what it renders


def rendered(
    render: Renderer, languages: Sequence[str], pages: Sequence[Page]
) -> Iterator[tuple[str, bytes]]:
    """Every page in every language, as (site path, bytes), by `render`."""
    tasks = [
        (language, start, min(start + CHUNK, len(pages)))
        for language in languages
        for start in range(0, len(pages), CHUNK)
    ]
    count = min(workers_wanted(), len(tasks))
    if count < 2 or len(pages) * len(languages) < MIN_PAGES or not _can_fork():
        for task in tasks:
            yield from _run(render, pages, task)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(count, initializer=_start, initargs=(render, pages)) as pool:
        for done in pool.imap(_task, tasks):
            yield from done


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _start(render: Renderer, pages: Sequence[Page]) -> None:
    global _shared
    _shared = (render, pages)


def _task(task: tuple[str, int, int]) -> list[tuple[str, bytes]]:
    assert _shared is not None, "a worker starts with what it renders"
    return list(_run(*_shared, task))


def _run(
    render: Renderer, pages: Sequence[Page], task: tuple[str, int, int]
) -> Iterator[tuple[str, bytes]]:
    language, start, stop = task
    for page in pages[start:stop]:
        yield render(language, page)
