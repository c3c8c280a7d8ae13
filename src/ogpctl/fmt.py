"""`ogpctl fmt`: record files put in canonical form, keeping the person's comments.

Canonical: UTF-8 without a byte-order mark, `\\n` line ends and a final newline, the
`# yaml-language-server: $schema=…` comment first, top-level keys in model field order
(each with the comments above it), localised text in mapping form, and every value written
as ogpctl writes it. A key whose lines already say its value canonically keeps them as
typed, comments included. A file that is not a valid record is left alone and reported:
`ogpctl validate` says what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ogpctl.check import record_file as records
from ogpctl.check.validate import scope
from ogpctl.errors import UsageError
from ogpctl.model.keys import DATA, RecordKey, key_for, schema_comment
from ogpctl.store import yamlsafe
from ogpctl.store.atomic import write_file
from ogpctl.store.rewrite import reformat
from ogpctl.store.scan import scan

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Formatted:
    path: str
    changed: bool  # not canonical (rewritten unless checking)
    skipped: str = ""  # why the file was left alone


def canonical(key: RecordKey, raw: bytes, default_language: str) -> bytes | str:
    """The canonical bytes of a record file, or why there are none (an invalid file)."""
    text_bytes = raw.removeprefix(BOM).replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    loaded, problems = records.parse(key, text_bytes, default_language)
    if loaded is None or any(p.severity == "error" for p in problems):
        return f"not a valid record: see `ogpctl validate {key.path}`"
    model = records.models()[key.kind]
    new = loaded.record.model_dump(mode="python", exclude_none=True)
    text = reformat(
        yamlsafe.decode(text_bytes), new, list(model.model_fields), schema_comment(key.kind)
    )
    again, _ = records.parse(key, text.encode(), default_language)
    if again is None or again.record != loaded.record:
        return "cannot be put in canonical form keeping its comments: edit it by hand"
    return text.encode()


def _keys(root: Path, paths: Sequence[str]) -> list[RecordKey]:
    """The record files under `paths` (as `validate` reads them: from the current folder)."""
    found = scan(root).records
    prefixes = scope(root, [Path(p) for p in paths]) if paths else [""]
    wanted: set[RecordKey] = set()
    for given, prefix in zip(paths or ["."], prefixes, strict=True):
        inside = [
            k for k in found if not prefix or k.path == prefix or k.path.startswith(prefix + "/")
        ]
        if not inside:
            if key_for(prefix) is None and not (prefix + "/").startswith(DATA + "/"):
                raise UsageError(f"{given}: not a record file or a folder under {DATA}/")
            raise UsageError(f"{given}: no record file there")
        wanted.update(inside)
    return sorted(wanted)


def fmt(root: Path, paths: Sequence[str], default_language: str, *, check: bool) -> list[Formatted]:
    """Each record file under `paths` (all of `data/` if none): canonical or not; rewritten
    in place unless `check`."""
    results = []
    for key in _keys(root, paths):
        path = root / key.path
        raw = records.read_bytes(path)
        wanted = canonical(key, raw, default_language)
        if isinstance(wanted, str):
            results.append(Formatted(key.path, False, wanted))
            continue
        changed = wanted != raw
        if changed and not check:
            write_file(path, wanted, new=False)
        results.append(Formatted(key.path, changed))
    return results
