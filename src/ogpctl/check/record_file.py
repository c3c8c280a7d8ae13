"""Reading one record file: bytes → YAML document → model, every failure a `Problem`.

Pydantic's error locations are mapped back to the line and column of the YAML node they
concern, and its messages rewritten to say what was found and what is allowed.
"""

from __future__ import annotations

import os
import re
import typing
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from ogpctl import codes
from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.loaded import Loaded, Loc
from ogpctl.problems import Problem, Severity, did_you_mean, one_of
from ogpctl.store import yamlsafe

if TYPE_CHECKING:  # pydantic and the models load on first use: a cached run needs neither
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

    from ogpctl.model.records import Record
    from ogpctl.store.yamlsafe import Document


_models: dict[Kind, type[Record]] = {}


def models() -> dict[Kind, type[Record]]:
    """The model of each record kind (imports pydantic on first use)."""
    if not _models:
        from ogpctl.model.records import Action, Member, Participant, Update
        from ogpctl.store import isocodes  # noqa: F401  (the ISO tables' file cache)

        _models.update(
            {
                Kind.MEMBER: Member,
                Kind.ACTION: Action,
                Kind.PARTICIPANT: Participant,
                Kind.UPDATE: Update,
            }
        )
    return _models


_DATE_ERRORS = {
    "date_format",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "date_type",
}
_TYPE_ERRORS = {
    "string_type",
    "int_type",
    "float_type",
    "bool_type",
    "dict_type",
    "list_type",
    "model_type",
    "model_attributes_type",
    "int_from_float",
    "int_parsing",
}
# what a person writing YAML calls pydantic's expected types and Python's found ones
_YAML_WORDS = {
    "dictionary": "a mapping (indented `key: value` lines)",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "list": "a list (`- ` lines)",
    "boolean": "true or false",
}
_KINDS = {str: "text", int: "number", float: "number", list: "a list"}


def _kind_of(value: Any) -> str:
    return "a mapping" if isinstance(value, dict) else _KINDS.get(type(value), "a value")


_PATTERN_HINTS = {
    "^[a-z0-9]": "an id: lowercase letters, digits and single hyphens",
    "^https?://": "a web address starting with http:// or https://",
    "^[A-Za-z0-9](": "a GitHub user name (or org/team)",
}


# One hostile file must not flood the report or the memory (a 256 KiB list of wrong
# values is 100,000+ pydantic errors): past this many, a file's problems are summarised.
MAX_PROBLEMS = 100


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def read_bytes(path: Path | str) -> bytes:
    """At most one byte more than a record may hold; a symbolic link is never followed."""
    return read_stat(path)[1]


def read_stat(path: Path | str) -> tuple[os.stat_result, bytes]:
    """`read_bytes`, and the file's status as it was opened: one `fstat` and, for a file
    that does not grow meanwhile, one `read` (no buffered file object)."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    try:
        stat = os.fstat(fd)
        limit = yamlsafe.MAX_BYTES + 1
        raw = os.read(fd, limit)
        while len(raw) < limit and len(raw) != stat.st_size:  # grown, or a short read
            more = os.read(fd, limit - len(raw))
            if not more:
                break
            raw += more
        return stat, raw
    finally:
        os.close(fd)


def read(
    root: Path, key: RecordKey, default_language: str, *, partial: bool = False
) -> tuple[Loaded[Record] | None, list[Problem]]:
    """Load and check one record file on its own; cross-file rules come later.

    With `partial=True` (validation's light records), a record with invalid fields comes
    back with them empty, so that its valid fields still take part in the cross-file
    checks (its problems say it is invalid); without, only a valid record comes back."""
    path = key.path
    try:
        raw = read_bytes(root / path)
    except OSError as err:
        return None, [
            Problem(
                path,
                1,
                1,
                codes.UNREADABLE,
                Severity.ERROR,
                f"cannot read the file: {err.strerror}",
            )
        ]
    return parse(key, raw, default_language, partial=partial)


def parse(
    key: RecordKey, raw: bytes, default_language: str, *, partial: bool = False
) -> tuple[Loaded[Record] | None, list[Problem]]:
    path = key.path
    try:
        doc = yamlsafe.parse(yamlsafe.decode(raw))
    except yamlsafe.LoadError as err:
        return None, [Problem(path, *err.mark, err.code, Severity.ERROR, err.message)]
    problems = [
        Problem(path, *mark, codes.DUPLICATE_KEY, Severity.ERROR, message)
        for mark, message in doc.duplicates
    ]
    model = models()[key.kind]
    try:
        record = model.model_validate(doc.data, context={"default_language": default_language})
    except Exception as err:
        from pydantic import ValidationError  # here: on every file, the import costs a µs

        if not isinstance(err, ValidationError):
            raise
        errors = err.errors()[: max(MAX_PROBLEMS - len(problems), 0)]
        found = len(problems) + err.error_count()
        problems += [_problem(path, doc, model, key.kind, e) for e in errors]
        kept = _without_invalid(key, doc, model, err, default_language) if partial else None
        return kept, _capped(problems, found)
    for loc, message in record.rule_violations():
        problems.append(Problem(path, *doc.mark(loc), codes.RECORD_RULE, Severity.ERROR, message))
    return Loaded(key, record, doc), _capped(problems, len(problems))


# Fields the cross-file checks cannot do without. Actions are never partial: updates,
# participants and leaders refer to them, and a half-read action would bring errors into
# those files (an update's milestone "not defined" when the action's file is what is wrong).
_NEEDED = {Kind.MEMBER: {"type"}, Kind.PARTICIPANT: {"joined"}}


def _without_invalid(
    key: RecordKey, doc: Document, model: type[Record], err: Any, default_language: str
) -> Loaded[Record] | None:
    """The record with its invalid top-level fields left empty, for the cross-file checks
    only (`check.fast.facts` reads the few fields they need): not for display or writing."""
    from pydantic import TypeAdapter, ValidationError

    errors = err.errors()
    bad = {e["loc"][0] for e in errors if e["loc"]}
    if key.kind is Kind.ACTION or len(bad) < len({e["loc"][:1] for e in errors}):
        return None
    if bad & _NEEDED.get(key.kind, set()):
        return None
    values: dict[str, Any] = {}
    context = {"default_language": default_language}
    for name, info in model.model_fields.items():
        if name in bad or name not in doc.data:
            continue
        shape: Any = (
            Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        )
        adapter: Any = TypeAdapter(shape)
        try:
            values[name] = _enum_values(adapter.validate_python(doc.data[name], context=context))
        except ValidationError:
            return None
    empty = {
        name: None
        for name, info in model.model_fields.items()
        if name in bad and info.is_required()
    }
    return Loaded(key, model.model_construct(**values, **empty), doc, partial=True)


def _enum_values(value: Any) -> Any:
    """Vocabulary values as text, as the models keep them (`use_enum_values`)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _enum_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_enum_values(v) for v in value]
    return value


def _capped(problems: list[Problem], found: int) -> list[Problem]:
    """At most MAX_PROBLEMS problems for one file; the last says how many more there are."""
    if found <= MAX_PROBLEMS:
        return problems
    last = problems[MAX_PROBLEMS - 1]
    more = f" (and {found - MAX_PROBLEMS:,} more problems in this file, not shown)"
    return [*problems[: MAX_PROBLEMS - 1], replace(last, message=last.message + more)]


def _field_name(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the record"


def _found(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "…"


def _problem(
    path: str, doc: Document, model: type[Record], kind: Kind, err: ErrorDetails
) -> Problem:
    loc: Loc = tuple(err["loc"])
    is_key = bool(loc) and loc[-1] == "[key]"
    loc = tuple(p for p in loc if p != "[key]")
    code, message = _describe(err, loc, model, kind)
    if err["type"] == "missing":
        line, col = doc.mark(loc[:-1])
    else:
        line, col = doc.mark(loc, key=is_key or err["type"] == "extra_forbidden")
    if err["type"] == "extra_forbidden" and (owner := _belongs_in(doc, model, loc)):
        above = doc.mark((*loc[:-1], owner), key=True)
        message += (
            f"; it looks like part of `{owner}:` (line {above[0]}): indent it under "
            f"`{owner}:` by {above[1] + 1} spaces"
        )
    return Problem(path, line, col, code, Severity.ERROR, message)


_LANGUAGE = re.compile(r"[a-z]{2}")


def _belongs_in(doc: Document, model: type[Record], loc: Loc) -> str | None:
    """The empty field just above an unknown key that would take the key one level in
    (`en:` under an empty `contribution:`), if there is one."""
    container: Any = doc.data
    for part in loc[:-1]:
        if isinstance(container, dict):
            container = container.get(part)
        elif isinstance(container, list) and isinstance(part, int) and part < len(container):
            container = container[part]
        else:
            return None
    if not isinstance(container, dict):
        return None
    key, line = str(loc[-1]), doc.mark(loc, key=True)[0]
    for name, value in container.items():
        if value is not None or name == key or doc.mark((*loc[:-1], name), key=True)[0] > line:
            continue
        annotation = _annotation_at(model, (*loc[:-1], name))
        inner = _model_at(model, (*loc[:-1], name)) if annotation is not None else None
        localised = _find(annotation, lambda t: typing.get_origin(t) is dict) is not None
        if (inner and key in inner.model_fields) or (localised and _LANGUAGE.fullmatch(key)):
            return str(name)
    return None


def _describe(err: ErrorDetails, loc: Loc, model: type[Record], kind: Kind) -> tuple[str, str]:
    kind_ = err["type"]
    field = _field_name(loc)
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind_ == "missing":
        allowed = _allowed(model, loc)
        hint = f": one of {one_of(allowed)}" if allowed else ""
        return codes.MISSING_FIELD, f"`{field}` is required{hint}"
    if kind_ == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        names = list(parent.model_fields) if parent else []
        key = str(loc[-1])
        where = f"{kind} records" if len(loc) == 1 else f"`{_field_name(loc[:-1])}`"
        return codes.UNKNOWN_FIELD, (
            f"unknown key {key!r}{did_you_mean(key, names)}; {where} take: {', '.join(names)}"
        )
    if kind_ == "iso_code":
        return codes.BAD_CODE, f"{field}: {err['msg']}"
    if kind_ in _DATE_ERRORS:
        return codes.BAD_DATE, f"{field}: {_found(value)} is not a calendar date; write YYYY-MM-DD"
    if kind_ in {"enum", "literal_error"}:
        allowed = _allowed(model, loc)
        return codes.INVALID_VALUE, (
            f"{field}: {_found(value)} is not allowed; use one of {one_of(allowed)}"
            f"{did_you_mean(str(value), allowed)}"
        )
    if kind_ in _TYPE_ERRORS:
        expected = err["msg"].removeprefix("Input should be ").removeprefix("a valid ")
        expected = expected.split(" or instance of ")[0]  # not the model's Python class name
        expected = _YAML_WORDS.get(expected, expected)
        found = "no value" if value is None else f"{_kind_of(value)} {_found(value)}"
        if isinstance(value, bool):
            found = str(value).lower()
        hint = ""
        if expected == "text" and isinstance(value, (int, float, bool)):
            hint = "; put it in quotes to make it text"
        elif "number" in expected and isinstance(value, str):
            hint = "; write the number without quotes"
        return codes.WRONG_TYPE, f"{field}: expected {expected}, found {found}{hint}"
    if kind_ == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern == r"\S":
            return codes.INVALID_VALUE, f"{field}: must not be blank (found {_found(value)})"
        hint = next((h for p, h in _PATTERN_HINTS.items() if pattern.startswith(p)), pattern)
        return codes.INVALID_VALUE, f"{field}: {_found(value)} is not {hint}"
    if kind_ in {"too_short", "string_too_short"}:
        return codes.INVALID_VALUE, f"{field}: must not be empty (found {_found(value)})"
    message = err["msg"][0].lower() + err["msg"][1:]
    return codes.INVALID_VALUE, f"{field}: {message} (found {_found(value)})"


def _annotation_at(model: type[BaseModel], loc: Loc) -> Any:
    """The type annotation of the field at `loc`, following nested models and lists."""
    from pydantic import BaseModel

    annotation: Any = model
    for part in loc:
        if isinstance(part, int):  # an item of a list: its type is among the list's args
            continue
        target = _find(annotation, lambda t: isinstance(t, type) and issubclass(t, BaseModel))
        if target is not None and part in target.model_fields:
            annotation = target.model_fields[part].annotation
            continue
        mapping = _find(annotation, lambda t: typing.get_origin(t) is dict)
        if mapping is None:
            return None
        annotation = typing.get_args(mapping)[1]  # a value of a mapping
    return annotation


def _find(annotation: Any, wanted: typing.Callable[[Any], bool]) -> Any:
    if wanted(annotation):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _find(arg, wanted)) is not None:
            return found
    return None


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    from pydantic import BaseModel

    annotation = _annotation_at(model, loc) if loc else model
    found: type[BaseModel] | None = _find(
        annotation, lambda t: isinstance(t, type) and issubclass(t, BaseModel)
    )
    return found


def _allowed(model: type[BaseModel], loc: Loc) -> list[str]:
    enum = _find(_annotation_at(model, loc), lambda t: isinstance(t, type) and issubclass(t, Enum))
    return [str(member.value) for member in enum] if enum else []
