"""What the commands that change an existing record change: `set`, `milestone`, `resource`,
`leave`.

Each reads the record as it is, works out its new data, and writes only the top-level keys
that change, keeping the rest of the person's text and comments (`store/rewrite.py`).
Whether the result is valid, alone and with the rest of the dataset, is decided by
`write.apply`, with the same checks and messages as `validate`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from ogpctl.check import record_file as records
from ogpctl.errors import InvalidData, NotFound, UsageError
from ogpctl.inert import inert
from ogpctl.model.dataset import Facts
from ogpctl.model.keys import Kind, RecordKey, is_slug
from ogpctl.model.records import Record
from ogpctl.problems import did_you_mean
from ogpctl.store import yamlsafe
from ogpctl.store.canonical import dump_data
from ogpctl.store.rewrite import rewrite
from ogpctl.write import Change

Data = dict[str, Any]
_LANGUAGE = re.compile(r"[a-z]{2}")

# The fields `set` changes, by kind: option name → field. Localised ones merge by language.
ACTION_FIELDS = ("title", "summary", "status", "theme", "launched", "working_group",
                 "standards", "update_every_months")  # fmt: skip
MEMBER_FIELDS = ("name", "acronym", "website", "country", "subdivision", "ogp_member_since",
                 "maintainers")  # fmt: skip
LOCALISED = frozenset({"title", "summary", "name"})
_REQUIRED = {Kind.ACTION: ("title", "theme"), Kind.MEMBER: ("name", "type")}


def existing(dataset: Facts, key: RecordKey) -> RecordKey:
    """`key` if its file exists; else NotFound naming the nearest ids."""
    if key in dataset.files:
        return key
    if key.kind is Kind.ACTION:
        known = {k.action for k in dataset.files if k.kind is Kind.ACTION}
        hint = "`ogpctl status` lists the actions"
        raise NotFound(f"no action {key.action!r}{did_you_mean(key.action, known)}: {hint}")
    if key.kind is Kind.MEMBER:
        known = {k.member for k in dataset.files if k.kind is Kind.MEMBER}
        hint = "the members are the files in data/members/"
        raise NotFound(f"no member {key.member!r}{did_you_mean(key.member, known)}: {hint}")
    existing(dataset, RecordKey(Kind.ACTION, action=key.action))
    known = {k.member for k in dataset.files if k.kind is key.kind and k.action == key.action}
    raise NotFound(
        f"{key.member!r} does not take part in {key.action}{did_you_mean(key.member, known)}"
    )


def edited(
    dataset: Facts, key: RecordKey, change: Callable[[Data], Data], *,
    what: str = "ogpctl cannot change it", same: bool = False,
) -> str:  # fmt: skip
    """The record's new text: only the changed keys rewritten. A change to nothing is refused
    (unless `same`), as is a change to a file that is invalid."""
    model = records.models()[key.kind]
    language = dataset.settings.default_language
    raw = records.read_bytes(dataset.root / key.path)
    loaded, _ = records.parse(key, raw, language)
    if loaded is None:
        raise InvalidData(
            f"{key.path} is invalid, so {what}: fix it first (`ogpctl validate {key.path}`)"
        )
    old = loaded.record.model_dump(mode="python", exclude_none=True)
    new = change(copy.deepcopy(old))
    order = list(model.model_fields)
    new = {name: new[name] for name in order if name in new}
    if new == old and not same:
        raise UsageError(f"{key.path} already holds these values: nothing to change")
    text = rewrite(yamlsafe.decode(raw), old, new, order)
    if not _reads_as(key, text, model, new, language):
        text = dump_data(key.kind, {k: v for k, v in new.items() if v not in (None, [], {})})
    return text


def _reads_as(key: RecordKey, text: str, model: type[Record], new: Data, language: str) -> bool:
    """True if `text` is read as the record `new` (else the caller writes it whole)."""
    from pydantic import ValidationError

    loaded, problems = records.parse(key, text.encode(), language)
    try:
        intended = model.model_validate(new, context={"default_language": language})
    except ValidationError:
        return False
    return loaded is not None and not problems and loaded.record == intended


def set_fields(dataset: Facts, key: RecordKey, values: Data, unset: Sequence[str]) -> Change:
    """Change some fields of an action or a member; localised text one language at a time."""
    key = existing(dataset, key)
    allowed = ACTION_FIELDS if key.kind is Kind.ACTION else MEMBER_FIELDS
    for name in unset:
        field = name.replace("-", "_")
        if "." in name:
            _check_language_option(name, allowed, unset)
            continue
        if field in _REQUIRED[key.kind]:
            article = "an" if key.kind is Kind.ACTION else "a"
            raise UsageError(f"--unset {name}: {article} {key.kind} needs its {name}; change it")
        if field not in allowed:
            optional = [f.replace("_", "-") for f in allowed if f not in _REQUIRED[key.kind]]
            options = ", ".join(optional)
            raise UsageError(
                f"--unset {name}: not a field `set {key.kind}` changes"
                f"{did_you_mean(name, [f.replace('_', '-') for f in allowed])}; one of: {options}"
            )
    fields = [*values, *(n.replace("-", "_").partition(".")[0] for n in unset)]
    if not fields:
        raise UsageError(f"nothing to change: give a field to set, e.g. {_example(key)}")
    language = dataset.settings.default_language

    def change(data: Data) -> Data:
        for name, value in values.items():
            if name in LOCALISED:
                data[name] = {**data.get(name, {}), **value}
            else:
                data[name] = value
        for name in unset:
            if "." in name:
                _unset_language(data, name, values, key.kind, language)
            else:
                data.pop(name.replace("-", "_"), None)
        return data

    text = edited(dataset, key, change)
    ident = key.action if key.kind is Kind.ACTION else key.member
    subject = f"set {key.kind} {ident}: {', '.join(dict.fromkeys(fields))}"
    if key.kind is Kind.ACTION:
        return Change(key, text, f"set {key.kind}", subject, action=ident)
    return Change(key, text, f"set {key.kind}", subject, members=(ident,))


def _check_language_option(option: str, allowed: Sequence[str], unset: Sequence[str]) -> None:
    """`--unset title.fr`: a localised field this `set` changes, a language code."""
    name, _, language = option.partition(".")
    texts = sorted(LOCALISED.intersection(allowed))
    if name not in texts:
        raise UsageError(
            f"--unset {option}: {name!r} is not text in several languages"
            f"{did_you_mean(name, texts)}; FIELD.LANG takes one of: {', '.join(texts)} "
            f"(e.g. --unset {texts[0]}.fr)"
        )
    if not _LANGUAGE.fullmatch(language):
        raise UsageError(
            f"--unset {option}: {language!r} is not a language code: write two lowercase "
            f"letters (ISO 639-1), e.g. --unset {name}.fr"
        )
    if name in unset:
        raise UsageError(f"--unset {name} and --unset {option}: give one of them")


def _unset_language(data: Data, option: str, values: Data, kind: Kind, default: str) -> None:
    """Remove one language of a localised field; never the default one, nor the last one."""
    name, _, language = option.partition(".")
    texts: dict[str, str] = data.get(name) or {}
    if language in values.get(name, {}):
        raise UsageError(f"--{name} {language}=… and --unset {option}: give one of them")
    if language not in texts:
        held = ", ".join(sorted(texts)) or "none"
        raise NotFound(f"--unset {option}: the {name} has no {language!r} text (it has: {held})")
    if language == default:
        keep = f"give the new text with --{name}"
        if name not in _REQUIRED[kind]:
            keep += f", or remove the whole {name} with --unset {name}"
        raise UsageError(
            f"--unset {option}: {language!r} is the dataset's default language, the one shown "
            f"where a reader's is missing, so it stays; {keep}"
        )
    if len(texts) == 1:
        how = "" if name in _REQUIRED[kind] else f" (to remove the {name}, --unset {name})"
        raise UsageError(
            f"--unset {option}: {language!r} is the {name}'s only language, and a text needs "
            f"one; give it in another language first (--{name} LANG=TEXT){how}"
        )
    data[name] = {lang: words for lang, words in texts.items() if lang != language}


def _example(key: RecordKey) -> str:
    if key.kind is Kind.ACTION:
        return f"`ogpctl set action {key.action} --status completed`"
    return f"`ogpctl set member {key.member} --website https://example.org`"


def milestone(
    dataset: Facts, action: str, ident: str, title: dict[str, str], due: date | None,
    remove: bool = False,
) -> Change:  # fmt: skip
    """Add a milestone to an action, change its title or due date, or remove it."""
    if not is_slug(ident):
        raise UsageError(
            f"{ident!r} is not a valid milestone id: use lowercase letters, digits and single "
            "hyphens, at most 64 characters (for example `publish-data`)"
        )
    key = existing(dataset, RecordKey(Kind.ACTION, action=action))
    reported = sorted(
        u.key.path for u in dataset.updates.get(action, []) if ident in u.record.milestones
    )
    if remove and reported:
        raise InvalidData(
            f"milestone {ident!r} of {action} is reported on by {', '.join(reported)}: published "
            "updates are never edited, so it stays; change its title or due date instead"
        )
    found: list[str] = []

    def change(data: Data) -> Data:
        steps = data.setdefault("milestones", [])
        index = next((i for i, m in enumerate(steps) if m["id"] == ident), None)
        found.append("changed" if index is not None else "added")
        if remove:
            if index is None:
                ids = [m["id"] for m in steps]
                raise NotFound(f"{action} has no milestone {ident!r}{did_you_mean(ident, ids)}")
            del steps[index]
        elif index is None:
            if not title:
                raise UsageError(f"milestone {ident!r} is new: give its --title")
            steps.append({"id": ident, "title": title, **({"due": due} if due else {})})
        else:
            step = steps[index]
            step["title"] = {**step["title"], **title}
            if due is not None:
                step["due"] = due
        return data

    text = edited(dataset, key, change)
    done = "remove" if remove else ("add" if found == ["added"] else "change")
    return Change(key, text, "milestone", f"milestone {action}: {done} {ident}", action=action)


def resource(
    dataset: Facts, action: str, url: str, title: dict[str, str], kind: str | None,
    remove: bool = False,
) -> Change:  # fmt: skip
    """Add a resource to an action, change the title or type of the one at `url`, or remove
    it. The URL is the resource's identity: to move one, remove it and add the new one."""
    key = existing(dataset, RecordKey(Kind.ACTION, action=action))
    found: list[str] = []

    def change(data: Data) -> Data:
        items = data.setdefault("resources", [])
        index = next((i for i, r in enumerate(items) if r["url"] == url), None)
        found.append("changed" if index is not None else "added")
        if remove:
            if index is None:
                urls = [r["url"] for r in items]
                listed = f"; its resources: {', '.join(urls)}" if urls else ": it has none"
                raise NotFound(f"{action} has no resource {url}{did_you_mean(url, urls) or listed}")
            del items[index]
        elif index is None:
            if not title:
                raise UsageError(f"resource {url} is new: give its --title")
            items.append({"title": title, "url": url, "type": kind or "other"})
        else:
            item = items[index]
            item["title"] = {**item["title"], **title}
            if kind is not None:
                item["type"] = kind
        return data

    text = edited(dataset, key, change)
    done = "remove" if remove else ("add" if found == ["added"] else "change")
    subject = f"resource {action}: {done} {inert(url)}"  # `git log` prints it as it is
    return Change(key, text, "resource", subject, action=action)


def leave(dataset: Facts, action: str, member: str, day: date) -> Change:
    """A member withdraws from an action: its participation gains `left:`."""
    existing(dataset, RecordKey(Kind.ACTION, action=action))
    key = existing(dataset, RecordKey(Kind.PARTICIPANT, action=action, member=member))

    def change(data: Data) -> Data:
        if data.get("left") is not None:
            raise InvalidData(
                f"{member} left {action} on {data['left']} already: nothing to change "
                f"(to correct the date, edit {key.path}, then `ogpctl commit`)"
            )
        data["left"] = day
        return data

    text = edited(dataset, key, change)
    return Change(key, text, "leave", f"leave {action}: {member}", action, (member,))
