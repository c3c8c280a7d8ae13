"""Finding the dataset root and reading its settings from `ogpctl.toml`.

[dataset]
name = "Paris Declaration collective actions"
default_language = "en"      # plain-string text means this language
update_every_months = 6      # monitoring cadence when an action sets none
description = "…"            # what the dataset is, for the exports' metadata
license = "MIT"              # the dataset's licence, an SPDX id (exports' metadata)
attribution = "…"            # how to credit the dataset and its sources
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date
from pathlib import Path

from ogpctl.errors import ConfigError, DatasetNotFound, UsageError
from ogpctl.model.dataset import Settings
from ogpctl.model.keys import CONFIG, DATA


def find_root(explicit: Path | None = None, start: Path | None = None) -> Path:
    """`--root`, else `OGPCTL_ROOT`, else the nearest parent holding ogpctl.toml or data/."""
    given = explicit or (Path(os.environ["OGPCTL_ROOT"]) if os.environ.get("OGPCTL_ROOT") else None)
    if given is not None:
        if not given.is_dir():
            raise DatasetNotFound(f"dataset root {given} is not a folder")
        if not _is_root(given):
            raise DatasetNotFound(f"no dataset at {given}: it holds neither {CONFIG} nor {DATA}/")
        return given.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_root(folder):
            return folder
    raise DatasetNotFound(
        f"no dataset here: neither {here} nor a parent holds {CONFIG} or {DATA}/ "
        "(use --root PATH, or `ogpctl init` to start one)"
    )


def _is_root(folder: Path) -> bool:
    return (folder / CONFIG).is_file() or (folder / DATA).is_dir()


def load_settings(root: Path) -> Settings:
    path = root / CONFIG
    if not path.is_file():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{CONFIG}: {err}") from None
    table = raw.get("dataset", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{CONFIG}: `dataset` must be a table ([dataset])")
    unknown = (set(raw) - {"dataset"}) | (set(table) - set(Settings.__dataclass_fields__))
    if unknown:
        allowed = ", ".join(sorted(Settings.__dataclass_fields__))
        raise ConfigError(
            f"{CONFIG}: unknown key {sorted(unknown)[0]!r}; [dataset] takes {allowed}"
        )
    settings = Settings(**table)
    for key in ("name", "description", "license", "attribution"):
        if not isinstance(getattr(settings, key), str):
            raise ConfigError(f"{CONFIG}: {key} must be text")
    if settings.license and not re.fullmatch(r"[A-Za-z0-9.+-]+", settings.license):
        raise ConfigError(f"{CONFIG}: license must be an SPDX id such as MIT or CC-BY-4.0")
    if not isinstance(settings.default_language, str) or (
        settings.default_language != Settings.default_language  # "en" is ISO 639-1
        and not _is_language(settings.default_language)
    ):
        raise ConfigError(
            f"{CONFIG}: default_language {settings.default_language!r} is not ISO 639-1"
        )
    months = settings.update_every_months
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 60:
        raise ConfigError(f"{CONFIG}: update_every_months must be a whole number from 1 to 60")
    return settings


def _is_language(code: str) -> bool:
    from ogpctl.store.isocodes import language_codes  # pycountry: slow to load

    return code in language_codes()


def today() -> date:
    """Today, or the date pinned by `OGPCTL_TODAY=YYYY-MM-DD`."""
    pinned = os.environ.get("OGPCTL_TODAY")
    if not pinned:
        return date.today()
    try:
        if len(pinned) != len("YYYY-MM-DD") or pinned[4::3] != "--":
            raise ValueError  # Python also reads 20261123 and 2026-W47-1: not dates here
        return date.fromisoformat(pinned)
    except ValueError:
        raise UsageError(f"OGPCTL_TODAY={pinned!r} is not a date; use YYYY-MM-DD") from None
