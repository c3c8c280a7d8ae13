"""What each write command changes: one record file, built from command-line values.

Values arrive as typed on the command line (`--name fr=Texte`, `--milestone id=limited`);
each builder turns them into the record's data, in model field order, and the canonical
text that will be written. Whether that text is valid, alone and with the rest of the
dataset, is decided by `write.apply`, with the same checks and messages as `validate`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from ogpctl.errors import AlreadyExists, NotFound, UsageError
from ogpctl.model.dataset import Facts
from ogpctl.model.keys import RESERVED_HINT, Kind, RecordKey, is_reserved, is_slug
from ogpctl.model.records import Action, Member, Participant, Record, Update
from ogpctl.problems import did_you_mean
from ogpctl.store.canonical import dump_data
from ogpctl.write import Change

_EXAMPLES = {"member": "france", "action": "open-public-procurement"}
_ORDINAL = {2: "nd", 3: "rd"}
_LANGUAGE_PREFIX = re.compile(r"([a-z]{2})=(.*)", re.DOTALL)


def slug(value: str, what: str) -> str:
    if not is_slug(value):
        raise UsageError(
            f"{value!r} is not a valid {what} id: use lowercase letters, digits and single "
            f"hyphens, at most 64 characters (for example `{_EXAMPLES.get(what, 'open-data')}`)"
        )
    if is_reserved(value):
        raise UsageError(f"{value!r} cannot be a {what} id: {RESERVED_HINT}")
    return value


def localised(values: Sequence[str], default_language: str, option: str) -> dict[str, str]:
    """`["Text", "fr=Texte"]` → `{default: "Text", "fr": "Texte"}`."""
    text: dict[str, str] = {}
    for value in values:
        match = _LANGUAGE_PREFIX.fullmatch(value)
        language, words = match.groups() if match else (default_language, value)
        if language in text:
            raise UsageError(f"{option}: two texts in language {language!r}; give one per language")
        text[language] = words
    return text


def pairs(values: Sequence[str], option: str, example: str) -> dict[str, str]:
    """`["a=b", "c=d"]` → `{"a": "b", "c": "d"}`."""
    found: dict[str, str] = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise UsageError(f"{option} {value!r}: write it as {example}")
        if name in found:
            raise UsageError(f"{option}: {name!r} given twice")
        found[name] = rest
    return found


def sources(urls: Sequence[str]) -> list[dict[str, str]]:
    return [{"url": url} for url in urls]


def add_member(dataset: Facts, member: str, fields: dict[str, Any]) -> Change:
    key = _new(dataset, RecordKey(Kind.MEMBER, member=member))
    content = _content(key.kind, Member, fields)
    return Change(key, content, "add member", f"add member {member}", members=(member,))


def add_action(dataset: Facts, action: str, fields: dict[str, Any]) -> Change:
    key = _new(dataset, RecordKey(Kind.ACTION, action=action))
    content = _content(key.kind, Action, fields)
    return Change(key, content, "add action", f"add action {action}", action=action)


def join(dataset: Facts, action: str, member: str, fields: dict[str, Any]) -> Change:
    _existing_action(dataset, action)
    _existing_member(dataset, member, "MEMBER")
    key = _new(dataset, RecordKey(Kind.PARTICIPANT, action=action, member=member))
    content = _content(key.kind, Participant, fields)
    return Change(key, content, "join", f"join {action}: {member}", action, (member,))


def lead(dataset: Facts, action: str, leaders: dict[str, str]) -> Change:
    """Set one or both leaders of an action; the others of its fields stay as they are."""
    from ogpctl.revise import edited

    key = _existing_action(dataset, action)
    for role, member in leaders.items():
        _existing_member(dataset, member, f"--{role.replace('_', '-')}", action)

    def change(data: dict[str, Any]) -> dict[str, Any]:
        data["leaders"] = {**data.get("leaders", {}), **leaders}
        return data

    # keeps the person's comments
    text = edited(dataset, key, change, what="its leaders cannot be set", same=True)
    roles = ", ".join(f"{role.replace('_', ' ')} {m}" for role, m in leaders.items())
    return Change(
        key, text, "lead", f"lead {action}: {roles}", action, tuple(sorted(set(leaders.values())))
    )


def update(
    dataset: Facts, action: str, member: str, published: date, fields: dict[str, Any]
) -> Change:
    _existing_action(dataset, action)
    _existing_member(dataset, member, "--by", action)
    key = RecordKey(Kind.UPDATE, action, member, published)
    while key in dataset.files or (dataset.root / key.path).exists():  # a correction: -2, -3…
        key = RecordKey(Kind.UPDATE, action, member, published, key.sequence + 1)
    key = _new(dataset, key)
    content = _content(key.kind, Update, fields)
    nth = f" ({key.sequence}{_ORDINAL.get(key.sequence, 'th')} that day)" * (key.sequence > 1)
    subject = f"update {action}: {published} by {member}{nth} ({fields.get('completion')})"
    return Change(key, content, "update", subject, action, (member,))


def _new(dataset: Facts, key: RecordKey) -> RecordKey:
    path = dataset.root / key.path
    if key in dataset.files or path.exists() or path.is_symlink():
        raise AlreadyExists(
            f"{key.path} exists: adding never overwrites a record; "
            "edit the file by hand, then `ogpctl commit`"
        )
    folder = dataset.root
    for part in key.path.split("/"):  # data/actions/<action>/…: each level may clash
        if not folder.is_dir():
            break
        twin = next((e.name for e in folder.iterdir()
                     if e.name != part and e.name.casefold() == part.casefold()), None)  # fmt: skip
        if twin is not None:
            clash = (folder / twin).relative_to(dataset.root).as_posix()
            raise AlreadyExists(
                f"{key.path} would be the same as {clash} on macOS and Windows, which ignore "
                "case: rename or remove that one first"
            )
        folder = folder / part
    return key


def _existing_action(dataset: Facts, action: str) -> RecordKey:
    key = RecordKey(Kind.ACTION, action=action)
    if key not in dataset.files:
        known = {k.action for k in dataset.files if k.kind is Kind.ACTION}
        raise NotFound(
            f"no action {action!r}{did_you_mean(action, known)}: "
            "`ogpctl status` lists the actions, `ogpctl add action` adds one"
        )
    return key


def _existing_member(dataset: Facts, member: str, option: str, action: str = "") -> None:
    """A member id given on the command line names a member; the hint, one that exists
    (a participant of `action` first, when the option needs one)."""
    if RecordKey(Kind.MEMBER, member=member) in dataset.files:
        return
    members = {k.member for k in dataset.files if k.kind is Kind.MEMBER and k.member}
    taking_part = {
        k.member
        for k in dataset.files
        if k.kind is Kind.PARTICIPANT and k.action == action and k.member in members
    }
    hint = did_you_mean(member, taking_part) or did_you_mean(member, members)
    raise NotFound(
        f"{option}: no member {member!r}{hint}: the members are the files in data/members/, "
        "`ogpctl add member` adds one"
    )


def _content(kind: Kind, model: type[Record], fields: dict[str, Any]) -> str:
    """The record's canonical text: given fields in model order, empty ones left out."""
    empty: tuple[Any, ...] = (None, "", [], {})
    data = {name: fields[name] for name in model.model_fields if fields.get(name) not in empty}
    return dump_data(kind, data)
