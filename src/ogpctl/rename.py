"""What `ogpctl rename` and `ogpctl merge` change: every file and reference of a member.

A member's id is in the names of its files (its member file; its participation and its
updates in every action) and in the leaders of the actions it leads. `rename` moves them
all to a new id; `merge` moves them to another member, which then stands for both. Either
way the member kept lists the ids it had (`formerly:`, the old member's own included), so
that the history and `validate --changed-since` can follow it; and `write.apply` checks the
whole change and commits it as one.

An update's file never names its author inside, so an update moves byte for byte (git sees
a pure rename). Where the two members of a merge both took part in one action, one
participation stays, the kept member's file (its comments too):

- `joined`: the earlier date; `left`: none if either still takes part, else the later;
- `contribution`: both pledges, language by language (the kept member's text first, then
  the other's after a blank line; the same text once);
- `national_action_plan`: the one given, or the same one; two different ones conflict;
- `sources`: both lists, without repeats.

Updates of the two members on one day are numbered after the kept member's (`-2`, `-3`…).
The kept member's own fields (name, type, website, maintainers…) stay as they are. A merge
that would make one member lead an action in both roles conflicts too. Conflicts are
listed all at once, and nothing is written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ogpctl.check import record_file as records
from ogpctl.errors import AlreadyExists, InvalidData, UsageError
from ogpctl.model.dataset import Facts
from ogpctl.model.keys import Kind, RecordKey, update_name
from ogpctl.problems import count
from ogpctl.revise import Data, edited, existing
from ogpctl.write import Change

ROLES = ("government", "civil_society")


def rename(dataset: Facts, member: str, new: str) -> Change:
    """Give `member` the id `new`, in every file and reference."""
    existing(dataset, RecordKey(Kind.MEMBER, member=member))
    if new == member:
        raise UsageError(f"{member!r} has that id already: nothing to rename")
    named = update_name(f"2017-06-01-{new}")
    if named is not None and named[1] != new:
        raise UsageError(
            f"{new!r} cannot be a member id here: an update's file name reads a final "
            f"-{named[2]} as the number of a second, third… update of one day "
            f"(2017-06-01-{new}.yaml is {named[1]}'s), so choose an id that does not end in "
            "a hyphen and a number"
        )
    target = RecordKey(Kind.MEMBER, member=new)
    if target in dataset.files or (dataset.root / target.path).exists():
        raise AlreadyExists(
            f"member {new!r} exists already ({target.path}): to make one member of the two, "
            f"`ogpctl merge {member} {new}`"
        )
    had = _formerly_named(dataset, new, but=member)
    if had:
        raise AlreadyExists(
            f"{new!r} was the id of {had[0].member!r} ({had[0].path} lists it in `formerly`): "
            "the history of that id is that member's; choose another id"
        )
    return _move(dataset, member, new, merging=False)


def _formerly_named(dataset: Facts, ident: str, but: str) -> list[RecordKey]:
    """The other members that list `ident` in `formerly`."""
    return [
        loaded.key
        for member, loaded in sorted(dataset.members.items())
        if member != but and ident in loaded.record.formerly
    ]


def merge(dataset: Facts, member: str, into: str) -> Change:
    """Make `member` part of `into`: its files and references become `into`'s."""
    if member == into:
        raise UsageError(f"cannot merge {member!r} into itself: name two different members")
    existing(dataset, RecordKey(Kind.MEMBER, member=member))
    existing(dataset, RecordKey(Kind.MEMBER, member=into))
    return _move(dataset, member, into, merging=True)


def _move(dataset: Facts, old: str, new: str, *, merging: bool) -> Change:
    files: dict[str, str | None] = {}
    moves: dict[str, str] = {}
    said: list[str] = []  # what happens to each file, for the commit message
    conflicts: list[str] = []
    command = "merge" if merging else "rename"

    def move(source: RecordKey, target: RecordKey, text: str) -> None:
        if not merging and (dataset.root / target.path).exists():
            raise AlreadyExists(
                f"{target.path} exists already, though member {new!r} does not: move it away "
                f"or delete it first (`ogpctl validate {target.path}` says what is wrong)"
            )
        merged = target in dataset.files
        said.append(f"{source.path} {'merged into' if merged else '→'} {target.path}")
        files[source.path] = None
        files[target.path] = text
        moves[source.path] = target.path

    gone = RecordKey(Kind.MEMBER, member=old)
    kept = RecordKey(Kind.MEMBER, member=new)
    move(gone, kept, _member(dataset, gone, kept if merging else gone, new, conflicts))
    for key in _keys(dataset, Kind.PARTICIPANT, old):
        target = RecordKey(Kind.PARTICIPANT, action=key.action, member=new)
        both = merging and target in dataset.files
        move(key, target, _joined(dataset, key, target, conflicts) if both else _raw(dataset, key))
    numbers = _numbers(dataset, new) if merging else {}
    for key in _keys(dataset, Kind.UPDATE, old):
        sequence = key.sequence
        if merging:  # after the kept member's updates of the day
            day = (key.action, key.published)
            sequence = numbers[day] = numbers.get(day, 0) + 1
        target = RecordKey(Kind.UPDATE, key.action, new, key.published, sequence)
        move(key, target, _raw(dataset, key))
    for action, loaded in sorted(dataset.actions.items()):
        leaders = loaded.record.leaders
        held = {role: getattr(leaders, role) for role in ROLES} if leaders else {}
        roles = [role for role, member in held.items() if member == old]
        if not roles:
            continue
        if set(held.values()) == {old, new}:
            conflicts.append(
                f"{action}: {new} would lead it twice, as government and as civil society: "
                f"name another leader first (`ogpctl lead {action}`)"
            )
            continue
        path = RecordKey(Kind.ACTION, action=action).path
        files[path] = _leading(dataset, action, roles, new)
        said.append(f"{path}: {' and '.join(r.replace('_', ' ') for r in roles)} leader {new}")
    if conflicts:
        raise InvalidData(
            f"cannot {command} {old} {'into' if merging else 'to'} {new}: "
            f"{count(len(conflicts), 'conflict')}, nothing written:\n"
            + "".join(f"  {conflict}\n" for conflict in conflicts)
            + "ogpctl: change one of the records (then `ogpctl commit`), and try again"
        )  # fmt: skip
    verb = f"merge member {old} into {new}" if merging else f"rename member {old} → {new}"
    text = files.pop(kept.path)
    assert text is not None
    return Change(
        kept, text, command, verb, members=(old, new), others=files, moves=moves, body=tuple(said)
    )


def _keys(dataset: Facts, kind: Kind, member: str) -> list[RecordKey]:
    """The files of `kind` of `member` (of every member if it is ``)."""
    return sorted(k for k in dataset.files if k.kind is kind and member in ("", k.member))


def _numbers(dataset: Facts, member: str) -> dict[tuple[str, date | None], int]:
    """The highest number of `member`'s updates on each day of each action."""
    found: dict[tuple[str, date | None], int] = {}
    for key in _keys(dataset, Kind.UPDATE, member):
        day = (key.action, key.published)
        found[day] = max(found.get(day, 0), key.sequence)
    return found


def _raw(dataset: Facts, key: RecordKey) -> str:
    """The file's text as it is, to move it byte for byte."""
    raw = records.read_bytes(dataset.root / key.path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidData(
            f"{key.path} is not UTF-8 text, so it cannot be moved: fix it first "
            f"(`ogpctl validate {key.path}`)"
        ) from None


def _record(dataset: Facts, key: RecordKey) -> Any:
    loaded, _ = records.read(dataset.root, key, dataset.settings.default_language)
    if loaded is None:
        raise InvalidData(
            f"{key.path} is invalid, so ogpctl cannot rewrite it: fix it first "
            f"(`ogpctl validate {key.path}`), then try again"
        )
    return loaded.record


def _ids(ids: list[str], but: str) -> list[str]:
    return [ident for ident in dict.fromkeys(ids) if ident != but]


def _member(
    dataset: Facts, gone: RecordKey, kept: RecordKey, new: str, conflicts: list[str]
) -> str:
    """The kept member's file, with the ids it had (and those `gone` had) in `formerly`."""
    old = gone.member
    theirs = _record(dataset, gone)
    ours = _record(dataset, kept) if kept != gone else theirs
    if ours.type != theirs.type:
        conflicts.append(
            f"{old} is a {theirs.type} and {new} a {ours.type}: one member is of one type"
        )
    formerly = _ids([*(ours.formerly if kept != gone else []), old, *theirs.formerly], but=new)

    def change(data: Data) -> Data:
        data["formerly"] = formerly
        return data

    return edited(dataset, kept, change, what="it cannot be renamed", same=True)


def _joined(dataset: Facts, gone: RecordKey, kept: RecordKey, conflicts: list[str]) -> str:
    """One participation from two (the rules are in this module's docstring)."""
    theirs = _record(dataset, gone).model_dump(mode="python", exclude_none=True)

    def change(data: Data) -> Data:
        data["joined"] = min(data["joined"], theirs["joined"])
        if "left" in data and "left" in theirs:
            data["left"] = max(data["left"], theirs["left"])
        else:
            data.pop("left", None)
        pledges = dict(data.get("contribution", {}))
        for language, text in theirs.get("contribution", {}).items():
            mine = pledges.get(language)
            pledges[language] = text if mine in (None, text) else f"{mine}\n\n{text}"
        if pledges:
            data["contribution"] = pledges
        plan, other = data.get("national_action_plan"), theirs.get("national_action_plan")
        if plan and other and plan != other:
            conflicts.append(
                f"{kept.action}: two different national action plans, {_plan(plan)} in "
                f"{kept.path} and {_plan(other)} in {gone.path}: a participation has one"
            )
        elif other:
            data["national_action_plan"] = other
        sources = data.get("sources", [])
        sources += [source for source in theirs.get("sources", []) if source not in sources]
        if sources:
            data["sources"] = sources
        return data

    return edited(dataset, kept, change, what="it cannot be merged", same=True)


def _plan(plan: Data) -> str:
    return ", ".join(f"{name} {value!r}" for name, value in plan.items())


def _leading(dataset: Facts, action: str, roles: list[str], new: str) -> str:
    """The action's file with `new` in `roles`, the person's comments kept."""

    def change(data: Data) -> Data:
        data["leaders"] = {**data["leaders"], **dict.fromkeys(roles, new)}
        return data

    key = RecordKey(Kind.ACTION, action=action)
    return edited(dataset, key, change, what="its leaders cannot be changed", same=True)
