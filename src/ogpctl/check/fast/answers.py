"""The last answers of the read commands (`status`, `members`, `show`), kept while nothing
changed since the last validation.

A read command validates first (`check.fast.warm`: one `lstat` of every folder and file
when nothing changed) and then reads the records it shows. When the validation finds
nothing changed, what the command printed the last time it was asked the same question
(the same options, language, output format and terminal) is still the answer: this module
keeps it, beside the last run's result (`….last`), in a small file (`….answers`).

The answers are tied to the last result they were made after: its file's own `lstat` (it
is replaced whole, by a rename, whenever anything changed) and the record files it
lists. They are used only when the warm path holds (no folder or file changed since that
result, for the same day), and are dropped when ogpctl's code, rich, Python or the
dataset settings change. An answer made while the last result was being replaced by
another process is not kept. Any failure to read or write them is ignored: the command
then reads the records as usual. At most `KEPT` answers are kept, the newest.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ogpctl.check.fast import cache, warm
from ogpctl.check.report import Report
from ogpctl.model.dataset import Settings, Shown

KEPT = 16
Key = tuple[Any, ...]  # the question: command, options, format, terminal (plain values)


def _code_stamp() -> str:
    """Every module of ogpctl and rich's own: what makes an answer besides the data."""
    modules = sorted(cache.PACKAGE.rglob("*.py"))
    rich = importlib.util.find_spec("rich")
    if rich is not None and rich.origin:
        modules.append(Path(rich.origin))
    return cache.files_stamp(modules)


def _stamp(settings: Settings) -> str:
    return f"answers|{cache.stamp(settings)}|{_code_stamp()}"


def _tag(last_file: Path) -> tuple[int, ...] | None:
    """The last result's file as it is now (None: there is none)."""
    try:
        return cache.signature(os.lstat(last_file))
    except OSError:
        return None


def _files_digest(files: Sequence[str]) -> bytes:
    return hashlib.blake2b("\n".join(files).encode(), digest_size=16).digest()


def recall(root: Path, settings: Settings, today: date, key: Key) -> tuple[str, Report] | None:
    """The answer kept for `key` and the validation report, if nothing changed since the
    answer was made; else None."""
    with contextlib.suppress(Exception):  # a cache must never break a command
        last_file = cache.location(root).with_suffix(".last")
        kept = cache.read(last_file.with_suffix(".answers"), _stamp(settings))
        text = kept["answers"].get(repr(key))  # first: a question not kept costs no lstat
        if not isinstance(text, str) or kept["tag"] != list(_tag(last_file) or ()):
            return None
        _, last = warm.last_result(root, settings)
        if last is None or warm.still(root, last, today) != []:
            return None
        report = warm.report(last)
        if report is None or kept["files"] != _files_digest(report.files):
            return None
        return text, report
    return None


class Keeper:
    """Keeps an answer made after a validation, if the last result is still the one that
    validation left when the answer is done."""

    def __init__(self, root: Path, settings: Settings, report: Report) -> None:
        self.settings, self.report = settings, report
        self.last_file: Path | None = None
        self.tag: tuple[int, ...] | None = None
        with contextlib.suppress(Exception):
            self.last_file = cache.location(root).with_suffix(".last")
            self.tag = _tag(self.last_file)

    def keep(self, key: Key, text: str) -> None:
        last_file, tag = self.last_file, self.tag
        if last_file is None or tag is None or _tag(last_file) != tag:
            return
        with contextlib.suppress(Exception):  # an answer not kept only costs time
            file, stamp = last_file.with_suffix(".answers"), _stamp(self.settings)
            files = _files_digest(self.report.files)
            answers: dict[str, str] = {}
            with contextlib.suppress(Exception):
                kept = cache.read(file, stamp)
                if kept["tag"] == list(tag) and kept["files"] == files:
                    answers = dict(kept["answers"])
            answers.pop(repr(key), None)
            answers[repr(key)] = text
            newest = dict(list(answers.items())[-KEPT:])
            cache.write(file, stamp, {"tag": list(tag), "files": files, "answers": newest})


def answer(
    root: Path, today: date, key: Key, make: Callable[[Settings, Report], str]
) -> tuple[str, Report]:
    """What a read command prints for the question `key`, and the validation report: kept
    from the last time it was asked if nothing changed since, else validated and `make`
    (given the settings and the report), and kept."""
    from ogpctl.store.config import load_settings

    settings = load_settings(root)
    found = recall(root, settings, today, key)
    if found is not None:
        return found
    from ogpctl.check.validate import check_dataset  # not needed for a kept answer

    _, report = check_dataset(root, today, settings, records=False)
    keeper = Keeper(root, settings, report)
    text = make(settings, report)
    keeper.keep(key, text)
    return text, report


def answer_shown(
    root: Path, today: date, key: Key, make: Callable[[Settings, Shown], str]
) -> tuple[str, Report]:
    """`answer` for a command that shows valid records as `load_shown` gives them (`status`,
    `members`): `make` is given those, made by the validation itself when it read every
    file (`check_shown`), else read after it."""
    from ogpctl.store.config import load_settings

    settings = load_settings(root)
    found = recall(root, settings, today, key)
    if found is not None:
        return found
    from ogpctl.check.load import load_shown  # not needed for a kept answer
    from ogpctl.check.validate import check_shown

    text, report = check_shown(root, today, settings, lambda dataset: make(settings, dataset))
    keeper = Keeper(root, settings, report)
    if text is None:
        text = make(settings, load_shown(root, settings, files=report.files))
    keeper.keep(key, text)
    return text, report
