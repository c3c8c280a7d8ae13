"""Which moves of published updates a rename or a merge recorded in the same change explains.

Published updates are append-only (OGP401), but renaming a member (`ogpctl rename OLD
NEW`) or merging it into another (`ogpctl merge OLD INTO`) has to move its update files:
the author is in the file name. The update's content does not name its author, so it
moves byte for byte. A move of `<action>/updates/<date>-<old>[-<n>].yaml` is explained when

- the change records the rename: a member's file, as the change leaves it, lists `old` in
  `formerly`, and did not at the base (or the change created that file); no other
  member's file gained `old` too; and `old` is a member no more (its file is gone);
- the new name is the old one with that member as author: same action, same date, any
  `-<n>` (a merge may meet an update of its own that day);
- the file there is new (it did not exist at the base) and holds the same bytes.

Each old file is matched to one new file at most, and each new file to one old file.
Everything else that edits, renames or deletes a published update is still OGP401, with
the reason a move that looks like a rename is not one.

The two states are read through functions (`Read`: a dataset-relative path to its bytes,
or None), so that `validate --changed-since` (the base extracted to a folder) and a write
command (the base read from HEAD) can share it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ogpctl.check.formerly import former_ids
from ogpctl.model.keys import Kind, RecordKey, key_for

if TYPE_CHECKING:
    from ogpctl.store.git import FileChange

Read = Callable[[str], "bytes | None"]


@dataclass(frozen=True)
class Moves:
    renamed: dict[str, str] = field(default_factory=dict)  # old id → member recording it
    updates: dict[str, str] = field(default_factory=dict)  # old path → new path, explained

    def new_path(self, path: str) -> str | None:
        """Where a record of a renamed member is now (its member file, participations and
        explained updates), or None if `path` is not one."""
        if path in self.updates:
            return self.updates[path]
        key = key_for(path)
        if key is None or key.kind is Kind.UPDATE or key.member not in self.renamed:
            return None
        return RecordKey(key.kind, key.action, self.renamed[key.member]).path

    def new_words(self, message: str) -> str:
        """A message about a renamed member's records as it reads after the rename."""
        for old, new in self.renamed.items():
            message = message.replace(repr(old), repr(new))
        return message


def _member(member: str) -> str:
    return RecordKey(Kind.MEMBER, member=member).path


def recorded(changes: list[FileChange], before: Read, now: Read) -> dict[str, str]:
    """The renames and merges the change records: old id → the member that now holds it."""
    claims: dict[str, set[str]] = {}
    for change in changes:
        key = key_for(change.path)
        if change.status == "D" or key is None or key.kind is not Kind.MEMBER:
            continue
        listed = former_ids(now(change.path))
        gained = set(listed) - set(former_ids(before(change.path))) if listed else set()
        for old in gained:
            claims.setdefault(old, set()).add(key.member)
    return {
        old: next(iter(members))
        for old, members in claims.items()
        if len(members) == 1 and now(_member(old)) is None
    }


def _is_update(path: str) -> bool:
    key = key_for(path)
    return key is not None and key.kind is Kind.UPDATE


def explained(changes: list[FileChange], before: Read, now: Read) -> Moves:
    """The recorded renames, and the moves of published updates they explain."""
    renamed = recorded(changes, before, now)
    gone = sorted(c.old_path for c in changes if c.status in "DR" and _is_update(c.old_path))
    arrived = sorted(
        c.path
        for c in changes
        if c.status in "AR" and _is_update(c.path) and before(c.path) is None
    )
    updates: dict[str, str] = {}
    for old in gone:
        was = key_for(old)
        assert was is not None
        holder = renamed.get(was.member)
        content = before(old) if holder else None
        for path in arrived:
            new = key_for(path)
            assert new is not None
            if (new.action, new.published, new.member) != (was.action, was.published, holder):
                continue
            if path not in updates.values() and now(path) == content:
                updates[old] = path
                break
    return Moves(renamed, updates)


def why_not(change: FileChange, moves: Moves, before: Read, now: Read) -> str:
    """Why the move (or deletion) of a published update is no recorded rename's, when it
    looks like one; else ""."""
    was = key_for(change.old_path)
    assert was is not None
    if change.status == "D":
        holder = moves.renamed.get(was.member)
        if holder is None:
            return ""
        return (
            f"; its author {was.member!r} is now {holder!r}, but no new update of {holder!r} "
            f"in {was.action} on {was.published} holds it unchanged"
        )
    new = key_for(change.path)
    if change.status != "R" or new is None or new.kind is not Kind.UPDATE:
        return ""
    if new.member == was.member:
        return ""
    if (new.action, new.published) != (was.action, was.published):
        reason = "a rename of its author keeps the action and the date"
    elif moves.renamed.get(was.member) == new.member:
        reason = "its content changed: a rename moves an update as it is, byte for byte"
    elif was.member not in former_ids(now(_member(new.member))):
        reason = f"{_member(new.member)} does not list {was.member!r} in `formerly`"
    elif was.member in former_ids(before(_member(new.member))):
        reason = f"{_member(new.member)} listed {was.member!r} in `formerly` already before"
    elif now(_member(was.member)) is not None:
        reason = f"{was.member!r} is still a member ({_member(was.member)})"
    else:
        reason = f"another member's file lists {was.member!r} in `formerly` too"
    return f", which no rename recorded in this change explains ({reason})"
