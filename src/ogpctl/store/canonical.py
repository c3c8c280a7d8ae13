"""The canonical form of a record file: the one way ogpctl writes a record.

Schema comment on the first line, keys in model field order, empty values left out,
UTF-8, `\\n` line ends, multi-line text as literal blocks, strings that other YAML tools
would read as something else (`NO`, `on`, `1.0`) quoted. Loading and then dumping a
canonical file gives the same bytes.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import yaml

from ogpctl.model.keys import Kind, schema_comment
from ogpctl.model.records import Record
from ogpctl.store import yamlsafe


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block style, no line folding, no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    if style is None and not isinstance(yamlsafe.resolve(value), str):
        # YAML 1.1 (the dumper's rules) reads `1e3` as text, YAML 1.2 (ogpctl's) as a number
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _plain(value: Any) -> Any:
    """Model data with empty values dropped and dates kept as dates (written unquoted)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):  # a default left unvalidated, e.g. Resource.type
        return value.value
    return value


def dump(kind: Kind, record: Record) -> str:
    return dump_data(kind, record.model_dump(mode="python", exclude_none=True))


def dump_data(kind: Kind, data: dict[str, Any]) -> str:
    """Plain data (keys already in model field order) in the canonical form."""
    return f"{schema_comment(kind)}\n{body(data)}"


def body(data: dict[str, Any]) -> str:
    """The canonical YAML of `data`, without the schema comment: whole or some of its keys."""
    return yaml.dump(
        _plain(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=2**31 - 1,
        indent=2,
    )
