"""A member's former ids (`formerly:`), read straight from its file.

`show OLD-ID`, `log MEMBER` and `validate --changed-since` need only this one field of a
few member files, not the records: the file is parsed safely (`store.yamlsafe`) and only
the ids that are slugs count. A file that does not parse lists none (what is wrong with it
is validation's to say). Scanning the member files for an old id reads each file's bytes
and parses only those that hold the id, so it stays cheap on a large dataset.
"""

from __future__ import annotations

from pathlib import Path

from ogpctl.check.record_file import read_bytes
from ogpctl.model.keys import Kind, RecordKey, is_slug
from ogpctl.store import yamlsafe
from ogpctl.store.scan import ids_on_disk


def former_ids(raw: bytes | None) -> list[str]:
    """The ids a member file's `formerly:` lists, in its order ([] for no file)."""
    if raw is None or b"formerly" not in raw:
        return []
    try:
        data = yamlsafe.parse(yamlsafe.decode(raw)).data
    except yamlsafe.LoadError:
        return []
    listed = data.get("formerly")
    if not isinstance(listed, list):
        return []
    return [i for i in listed if isinstance(i, str) and is_slug(i)]


def read(path: Path) -> bytes | None:
    """A record file's bytes, or None if there is no such file (a link is never followed)."""
    try:
        return read_bytes(path)
    except OSError:
        return None


def of_member(root: Path, member: str) -> list[str]:
    """The former ids of `member`, from data/members/<member>.yaml."""
    return former_ids(read(root / RecordKey(Kind.MEMBER, member=member).path))


def holders(root: Path, old: str) -> list[str]:
    """The members whose file lists `old` in `formerly` (one, unless the data is wrong)."""
    needle = old.encode()
    found = []
    for member in ids_on_disk(root, Kind.MEMBER):
        raw = read(root / RecordKey(Kind.MEMBER, member=member).path)
        if raw is not None and needle in raw and old in former_ids(raw):
            found.append(member)
    return found
