"""Safe, position-aware loading of one untrusted YAML record file.

Records come from strangers' pull requests, so the loader builds plain values straight
from the parser's events and refuses everything a record never needs: Python and other
explicit tags, anchors and aliases (no alias bombs), nesting deeper than `MAX_DEPTH`,
files over `MAX_BYTES` or with more than `MAX_NODES` keys and values, several documents,
duplicate keys. Plain scalars are resolved by the YAML 1.2 core rules, so `NO`, `on` and
`yes` stay strings and dates stay text for the models to parse. Every value and key keeps
its 1-based line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ogpctl import codes
from ogpctl.model.loaded import Loc, Mark
from ogpctl.store import yamladvice

# Only the parser's events are used, never a constructor: no tag can build an object.
# libyaml's parser alone where PyYAML has it (a loader would also set up a constructor
# and a resolver for every file, unused), else the pure-Python loader.
_Parser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", yaml.SafeLoader)

MAX_BYTES = 256 * 1024
MAX_DEPTH = 16
MAX_NODES = 10_000  # keys and values: bounds the memory and the problems of one file


_CONFLICT = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NUMBER_START = frozenset("+-.0123456789")  # how an int or a float may begin
# how a plain scalar that `resolve` may turn into something other than text begins
_RESOLVED_START = _NUMBER_START | {s[0] for s in (*_NULL, *_BOOL) if s}
_STR_TAG = "tag:yaml.org,2002:str"


class LoadError(Exception):
    """The file cannot become a record; carries the problem's code and position."""

    def __init__(self, code: str, mark: Mark, message: str) -> None:
        super().__init__(message)
        self.code, self.mark, self.message = code, mark, message


@dataclass
class Document:
    data: dict[str, Any]
    value_marks: dict[Loc, Mark] = field(default_factory=dict)
    key_marks: dict[Loc, Mark] = field(default_factory=dict)
    duplicates: list[tuple[Mark, str]] = field(default_factory=list)  # (mark, message)

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """The position of the node at `loc` (its key with `key=True`), else its nearest parent."""
        if key and loc in self.key_marks:
            return self.key_marks[loc]
        while loc not in self.value_marks and loc:
            loc = loc[:-1]
        return self.value_marks.get(loc, (1, 1))


def _line_col(text: str, offset: int) -> Mark:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def decode(raw: bytes) -> str:
    """UTF-8 text of a record file, or a LoadError that says where it stops being text."""
    if len(raw) > MAX_BYTES:
        raise LoadError(
            codes.TOO_LARGE,
            (1, 1),
            # the caller reads at most MAX_BYTES + 1 bytes: the true size is unknown here
            f"file is over {MAX_BYTES:,} bytes, the most a record may hold",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        head = raw[: err.start].decode("utf-8", errors="replace")
        line, col = _line_col(head, len(head))
        raise LoadError(
            codes.NOT_UTF8,
            (line, col),
            f"byte 0x{raw[err.start]:02x} is not UTF-8; save the file as UTF-8 text",
        ) from None
    return text.removeprefix("\ufeff")


def resolve(value: str) -> Any:
    """A plain scalar by the YAML 1.2 core schema (no YAML 1.1 yes/no/on/off booleans)."""
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if value[0] not in _NUMBER_START:  # most text: no pattern to try
        return value
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value) and any(c.isdigit() for c in value):
        return float(value)
    return value


def _mark(event: Any) -> Mark:
    return event.start_mark.line + 1, event.start_mark.column + 1


def parse(text: str) -> Document:
    """Build a record document from YAML text, refusing what a record never needs."""
    # the patterns only where their first character is (most files: neither)
    if ("<<<<<<<" in text or "=======" in text or ">>>>>>>" in text or "|||||||" in text) and (
        m := _CONFLICT.search(text)
    ):
        raise LoadError(
            codes.CONFLICT_MARKER,
            _line_col(text, m.start()),
            f"merge-conflict marker {m.group(1)!r}: resolve the conflict, then remove the markers",
        )
    if "\t" in text and (m := _TAB_INDENT.search(text)):
        raise LoadError(
            codes.TAB_INDENT,
            _line_col(text, m.end() - 1),
            "line is indented with a tab; indent YAML with spaces",
        )
    try:
        try:
            return _build(_Parser(text))
        except LoadError as err:
            slip = yamladvice.missing_space(text) if "single value" in err.message else None
            if slip is None:
                raise
            raise LoadError(err.code, slip[0], f"{err.message}; {slip[1]}") from None
        except yaml.MarkedYAMLError as err:
            if _Parser is yaml.SafeLoader or "nesting depth" not in str(err.problem):
                raise
            # libyaml 0.2.6 refuses deep flow nesting while it reads ahead, before the
            # events reach MAX_DEPTH; the pure-Python parser streams them, so OGP012 is
            # reported where the 17th level begins, whichever libyaml PyYAML bundles.
            return _build(yaml.SafeLoader(text))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        opened = err.context_mark and (err.context_mark.line + 1, err.context_mark.column + 1)
        problem, context = str(err.problem or err), str(err.context or "")
        where, message = yamladvice.advise(text, problem, context, where, opened or None)
        raise LoadError(codes.YAML_SYNTAX, where, message) from None
    except yaml.reader.ReaderError as err:  # control characters and the like
        raise LoadError(
            codes.YAML_SYNTAX,
            _line_col(text, err.position),
            f"character {chr(err.character)!r} is not allowed in YAML text",
        ) from None


class _Frame:
    """A mapping or sequence being built, with what it needs to place its children."""

    __slots__ = ("at", "container", "dead", "discard", "key", "loc", "mapping")

    def __init__(
        self, container: dict[str, Any] | list[Any], loc: Loc, dead: bool, mapping: bool
    ) -> None:
        self.container = container
        self.mapping = mapping  # else a sequence
        self.loc = loc
        self.key: str | None = None  # the key whose value comes next (mappings)
        self.at: Loc = loc  # the place of that value: (*loc, key)
        self.discard = False  # that key is a duplicate: build its value, keep nothing
        self.dead = dead  # this container is inside a discarded value: record no marks


# The events, told apart by their exact class (the C and the Python parser make the same
# ones): one comparison each, where isinstance walks the class hierarchy.
_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING_START, _SEQUENCE_START = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent
_DOCUMENT_START = yaml.DocumentStartEvent


def _build(parser: Any) -> Document:
    """The document of a parser's events. The hot loop of validation: one pass per event,
    with as few Python calls as the checks allow."""
    doc = Document(data={})
    value_marks, key_marks = doc.value_marks, doc.key_marks
    stack: list[_Frame] = []
    root: Any = None
    documents = 0
    nodes = 0
    get_event = parser.get_event

    while (event := get_event()) is not None:
        kind = event.__class__
        if kind is _SCALAR:
            scalar = True
        elif kind is _MAPPING_START or kind is _SEQUENCE_START:
            scalar = False
        elif kind is _MAPPING_END or kind is _SEQUENCE_END:
            stack.pop()
            continue
        elif kind is _DOCUMENT_START:
            documents += 1
            if documents > 1:
                raise LoadError(
                    codes.MULTI_DOC,
                    _mark(event),
                    "a second YAML document (`---`); a record file holds exactly one",
                )
            continue
        elif kind is not _ALIAS:  # the stream's and the document's other events
            continue
        else:
            scalar = False
        nodes += 1
        if nodes > MAX_NODES:
            raise LoadError(
                codes.TOO_LARGE,
                _mark(event),
                f"more than {MAX_NODES:,} keys and values, the most a record may hold",
            )
        if kind is _ALIAS or event.anchor:
            raise LoadError(
                codes.ALIAS, _mark(event), "anchors (&) and aliases (*) are not allowed"
            )
        tag = event.tag
        if tag is not None and not (scalar and tag == _STR_TAG):
            raise LoadError(codes.TAG, _mark(event), f"explicit tag {tag!r} is not allowed")

        start = event.start_mark
        if stack:
            frame = stack[-1]
            if frame.mapping:
                if frame.key is None:  # a key: the usual one here, the others in _take_key
                    if scalar and not frame.dead and (key := event.value) not in frame.container:
                        frame.key = key
                        frame.at = at = (*frame.loc, key)
                        key_marks[at] = (start.line + 1, start.column + 1)
                    else:
                        _take_key(doc, frame, event, scalar)
                    continue
                loc: Loc = frame.at
            else:
                loc = (*frame.loc, len(frame.container))
        else:
            frame = None
            loc = ()
        value: Any
        if scalar:
            value = event.value
            # most values are text that `resolve` would return as it is: no call for them
            if (not value or value[0] in _RESOLVED_START) and event.implicit[0] and tag is None:
                value = resolve(value)
        elif len(stack) >= MAX_DEPTH:
            raise LoadError(codes.TOO_DEEP, _mark(event), f"nested deeper than {MAX_DEPTH} levels")
        else:
            value = {} if kind is _MAPPING_START else []

        if frame is None:
            discard = False
            root = value
        else:
            discard = frame.discard or frame.dead
            if not frame.mapping:
                frame.container.append(value)  # type: ignore[union-attr]
            else:
                if not frame.discard:
                    frame.container[frame.key] = value  # type: ignore[call-overload,index]
                frame.key, frame.discard = None, False
        if not discard:
            value_marks[loc] = (start.line + 1, start.column + 1)
        if not scalar:
            # everything under a discarded value is discarded too
            stack.append(_Frame(value, loc, discard, kind is _MAPPING_START))

    if documents == 0 or root is None:
        raise LoadError(
            codes.EMPTY, (1, 1), "the file holds no data; a record is a mapping of keys"
        )
    if not isinstance(root, dict):
        kind_of = "a list" if isinstance(root, list) else "a single value"
        raise LoadError(
            codes.NOT_MAPPING,
            value_marks[()],
            f"the document is {kind_of}; a record is a mapping of keys to values",
        )
    doc.data = root
    return doc


def _take_key(doc: Document, frame: _Frame, event: Any, scalar: bool) -> None:
    if not scalar:
        raise LoadError(
            codes.NON_STRING_KEY, _mark(event), "a key must be plain text, not a list or mapping"
        )
    key = event.value
    frame.key = key
    frame.at = loc = (*frame.loc, key)
    if frame.dead:  # its marks would overwrite those of the value that is kept
        return
    if key in frame.container:
        first = doc.key_marks[loc][0]
        doc.duplicates.append((_mark(event), f"key {key!r} appears twice (first on line {first})"))
        frame.discard = True
    else:
        doc.key_marks[loc] = _mark(event)
