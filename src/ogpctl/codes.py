"""Every problem code ogpctl can report, with its severity and what it means.

Codes are stable: scripts and CI rules depend on them. The cross-file checks add their
own codes from their docstrings (see `checks.py`); `docs/checks.md` is generated from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ogpctl.problems import Severity


@dataclass(frozen=True, order=True)
class Code:
    code: str
    severity: Severity
    summary: str
    stage: str  # "file", "layout", "record" or "dataset"


CODES: dict[str, Code] = {}


def register(code: str, severity: Severity, summary: str, stage: str) -> str:
    if code in CODES:
        raise ValueError(f"problem code {code} is registered twice")
    CODES[code] = Code(code, severity, summary, stage)
    return code


E, W = Severity.ERROR, Severity.WARNING

# Reading a file: bytes, text, YAML.
TOO_LARGE = register("OGP001", E, "The file is larger than the limit for a record.", "file")
NOT_UTF8 = register("OGP002", E, "The file is not valid UTF-8 text.", "file")
CONFLICT_MARKER = register("OGP003", E, "The file holds a git merge-conflict marker.", "file")
TAB_INDENT = register(
    "OGP004", E, "A line is indented with a tab; YAML allows spaces only.", "file"
)
YAML_SYNTAX = register("OGP005", E, "The file is not well-formed YAML.", "file")
EMPTY = register("OGP006", E, "The file holds no YAML document.", "file")
MULTI_DOC = register("OGP007", E, "The file holds more than one YAML document.", "file")
NOT_MAPPING = register("OGP008", E, "The document is not a mapping of keys to values.", "file")
DUPLICATE_KEY = register("OGP009", E, "A key appears twice in one mapping.", "file")
ALIAS = register("OGP010", E, "YAML anchors and aliases are not allowed in records.", "file")
TAG = register("OGP011", E, "Explicit YAML tags (`!!python/…`, `!x`) are not allowed.", "file")
TOO_DEEP = register("OGP012", E, "The document is nested deeper than any record needs.", "file")
NON_STRING_KEY = register("OGP013", E, "A mapping key is not a plain string.", "file")
UNREADABLE = register("OGP014", E, "The file cannot be read.", "file")

# Where files are.
STRAY_FILE = register(
    "OGP020", E, "A file under `data/` that is not a record in its place.", "layout"
)
SYMLINK = register(
    "OGP021", E, "A symbolic link under `data/` (links are never followed).", "layout"
)
BAD_ID = register("OGP022", E, "A file or folder name is not a valid id (a slug).", "layout")
NO_ACTION_FILE = register("OGP023", E, "An action folder has no `action.yaml`.", "layout")
CASE_CLASH = register(
    "OGP024", E, "Two files claim one identity, differing only in case.", "layout"
)
RESERVED_ID = register(
    "OGP025", E, "An id is a name Windows reserves for a device (`con`, `nul`, `com1`…).", "layout"
)

# One record against its model.
INVALID_VALUE = register(
    "OGP101", E, "A value is not allowed (vocabulary, format, range).", "record"
)
MISSING_FIELD = register("OGP102", E, "A required field is missing.", "record")
UNKNOWN_FIELD = register("OGP103", E, "A key that the record kind does not have.", "record")
WRONG_TYPE = register("OGP104", E, "A value has the wrong type (text, number, list…).", "record")
BAD_CODE = register("OGP105", E, "A country, subdivision or language code is not ISO.", "record")
BAD_DATE = register("OGP106", E, "A date is not an ISO `YYYY-MM-DD` calendar date.", "record")
RECORD_RULE = register("OGP107", E, "Fields of one record contradict each other.", "record")

# A change against a base (`validate --changed-since REF`).
UPDATE_REWRITTEN = register(
    "OGP401",
    E,
    "A published update was edited, renamed or deleted (add a new one); only a rename or "
    "merge of its author recorded in `formerly` may move it, unchanged.",
    "change",
)
