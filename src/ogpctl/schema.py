"""JSON Schema for each record kind, generated from the models and committed in `schemas/`.

Editors use them as people type (the first-line `$schema` comment); any JSON Schema
validator can check a record without ogpctl. Output is deterministic: sorted keys,
two-space indent, trailing newline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ogpctl.check.record_file import models
from ogpctl.model.keys import SCHEMAS, Kind
from ogpctl.model.records import SHARED_MARKER
from ogpctl.store.atomic import write_file
from ogpctl.store.isocodes import country_codes, language_codes

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}


def _shared_defs() -> dict[str, Any]:
    return {
        "LanguageCode": {
            "description": "ISO 639-1 language code.",
            "enum": sorted(language_codes()),
        },
        "CountryCode": {
            "description": "ISO 3166-1 alpha-2 country code.",
            "enum": sorted(country_codes()),
        },
        "LocalisedText": {
            "description": "Text per language ({lang: text}); a plain string means the "
            "dataset's default language.",
            "anyOf": [
                _TEXT,
                {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"$ref": "#/$defs/LanguageCode"},
                    "additionalProperties": _TEXT,
                },
            ],
        },
    }


def _link_shared(node: Any) -> Any:
    """Replace the models' shared-type markers by references to `$defs`."""
    if isinstance(node, dict):
        linked = {k: _link_shared(v) for k, v in node.items() if k != SHARED_MARKER}
        if SHARED_MARKER in node:
            linked["$ref"] = f"#/$defs/{node[SHARED_MARKER]}"
        return linked
    if isinstance(node, list):
        return [_link_shared(v) for v in node]
    return node


def schema_for(kind: Kind) -> dict[str, Any]:
    schema = _link_shared(models()[kind].model_json_schema())
    schema.setdefault("$defs", {}).update(_shared_defs())
    return {"$schema": DRAFT, "$id": f"urn:ogpctl:schema:{kind}", **schema}


def render(kind: Kind) -> str:
    return json.dumps(schema_for(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_path(root: Path, kind: Kind) -> Path:
    return root / SCHEMAS / f"{kind}.schema.json"


def stale(root: Path) -> list[Path]:
    """Schema files that are missing or differ from what the models generate."""
    return [
        schema_path(root, kind)
        for kind in Kind
        if not schema_path(root, kind).is_file()
        or schema_path(root, kind).read_text(encoding="utf-8") != render(kind)
    ]


def write(root: Path) -> list[Path]:
    """Write every schema that is out of date; return the files written."""
    written = stale(root)
    (root / SCHEMAS).mkdir(exist_ok=True)
    for path in written:
        write_file(path, render(Kind(path.name.split(".")[0])).encode(), new=False)
    return written
