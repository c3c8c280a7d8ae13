"""`ogpctl site`: the public website of the validated dataset, as plain values, then files.

`valid_rows` validates and keeps each record's export row; `collect_rows` (or `collect`,
from full records) makes the `Site`: what the pages show, from the same functions as
`status`, `show` and `export`, the records held compactly and each page's read back when
it is rendered (`siterecords`); `ogpctl.render.site` turns it into files; `write` puts the
folder in place whole. Dates come from `OGPCTL_TODAY` or git,
never from the clock, so two builds of one commit are the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ogpctl.errors import InvalidData, OgpctlError, UsageError
from ogpctl.export import json_chunks, spooled, write_chunks, write_csv, write_sqlite
from ogpctl.metadata import licenses
from ogpctl.model.dataset import Dataset, Settings
from ogpctl.model.keys import CONFIG, DATA
from ogpctl.model.loaded import Loaded
from ogpctl.model.records import Action
from ogpctl.model.tables import path_order
from ogpctl.show import ActionDetail, Lang, MemberDetail, action_detail, member_detail
from ogpctl.siterecords import Named, Records, Rows, Summary
from ogpctl.status import ActionRow, Status, status
from ogpctl.store.atomic import replace_folder
from ogpctl.store.config import load_settings

SITE_MARK = ".nojekyll"  # every built site has it: a folder without it is not replaced
_URL = re.compile(r"^https?://[^\s\"<>\\^`{|}]+$")


@dataclass(frozen=True)
class Provenance:
    """Which state of the dataset the site shows."""

    today: date
    commit: str | None = None  # None: not in git
    dirty: bool = False  # uncommitted changes to the data
    data_changed: date | None = None  # the last commit that changed data/ or ogpctl.toml
    changed: dict[str, date] = field(default_factory=dict)  # page path → last commit date
    prefix: str = ""  # the dataset's folder in its repository ("" at its root)


@dataclass(frozen=True)
class Download:
    path: str  # in the site
    kind: str  # json, csv, sqlite
    size: int
    sha256: str


@dataclass(frozen=True)
class Cited:
    url: str
    title: str
    records: int  # how many records cite it


@dataclass(frozen=True)
class About:
    """What the about page says of the dataset (from ogpctl.toml, and the records' sources)."""

    description: str = ""
    license: str = ""  # an SPDX id
    license_url: str = ""
    attribution: str = ""
    sources: list[Cited] = field(default_factory=list)  # the most cited first
    more_sources: int = 0  # not listed


@dataclass(frozen=True)
class Site:
    name: str
    default_language: str  # the data's
    status: Status  # the rows, in the default language (the titles are taken from records)
    records: Records  # every action in full; the rest compact, read back page by page
    provenance: Provenance
    base_url: str | None
    repo_url: str | None
    download_list: list[Download]  # filled as the downloads are handed over
    former: dict[str, str] = field(default_factory=dict)  # a former member id → the member
    about: About = field(default_factory=About)
    _by_id: dict[str, ActionRow] = field(default_factory=dict, repr=False, compare=False)

    @property
    def actions(self) -> dict[str, Loaded[Action]]:
        """Every action, A-Z by id."""
        return self.records.summary.actions

    @property
    def members(self) -> dict[str, Loaded[Named]]:
        """Every member, A-Z by id."""
        return self.records.summary.members

    def involved(self, member: str) -> bool:
        """Whether the member takes or took part in an action, or leads one."""
        return member in self.records.involved

    def milestones_done(self, action: str) -> tuple[int, int]:
        return self.records.done[action]

    def action_detail(self, action: str) -> ActionDetail:
        lang = Lang(self.default_language, self.default_language)
        dataset = self.records.action_records(action)
        return action_detail(dataset, action, self.provenance.today, lang)

    def member_detail(self, member: str) -> MemberDetail:
        lang = Lang(self.default_language, self.default_language)
        among = self.records.involved.get(member, ())
        return member_detail(self.records.member_records(member), member, lang, among=among)

    def handed_over(self, folder: Path) -> Iterator[tuple[str, Path]]:
        """The downloads, each written in `folder` when the writer asks for it (to be
        moved into the site), and listed in `download_list` as it is."""
        summary = self.records.summary
        for path in downloads(summary.root, summary.settings, self.records.rows, folder):
            file = folder / path
            with file.open("rb") as data:
                digest = hashlib.file_digest(data, "sha256").hexdigest()
            kind = path.rsplit(".", 1)[1]
            self.download_list.append(Download(path, kind, file.stat().st_size, digest))
            yield path, file

    def close(self) -> None:
        self.records.rows.close()

    def row(self, action: str) -> ActionRow:
        return self._rows()[action]

    def _rows(self) -> dict[str, ActionRow]:
        if not self._by_id:
            self._by_id.update((r.id, r) for r in self.status.rows)
        return self._by_id


def checked_url(option: str, value: str | None) -> str | None:
    """An http(s) URL for --base-url or --repo-url, ending in one slash (base) or none."""
    if value is None:
        return None
    if not _URL.match(value):
        raise UsageError(f"{option} {value!r} is not an http(s) URL (no spaces, quotes or <>)")
    return value.rstrip("/") + ("/" if option == "--base-url" else "")


def page_dates(changes: dict[str, str]) -> dict[str, date]:
    """Each record page's path → the date its records last changed (an action's: its
    folder's files), from each file's ISO date; one entry per page, not per file."""
    found: dict[str, str] = {}
    for path, day in changes.items():
        parts = path.split("/")
        if parts[:2] == [DATA, "actions"] and len(parts) > 2:
            page = f"actions/{parts[2]}/"
        elif parts[:2] == [DATA, "members"] and path.endswith(".yaml"):
            page = f"members/{parts[2].removesuffix('.yaml')}/"
        else:
            continue
        found[page] = max(day, found.get(page, day))
    days = {day: date.fromisoformat(day) for day in set(found.values())}
    return {page: days[day] for page, day in found.items()}


def provenance(root: Path, today: date | None) -> Provenance:
    """Today and git's dates; `today` None means: the date of the commit checked out."""
    from ogpctl.store.git import Repository

    try:
        repo = Repository(root)
    except OgpctlError:
        if today is None:
            raise UsageError(
                "the dataset is not in git, so nothing dates the build: set OGPCTL_TODAY=YYYY-MM-DD"
            ) from None
        return Provenance(today)
    head = repo.head_commit()
    if head is None and today is None:
        raise UsageError("the repository has no commit yet: commit, or set OGPCTL_TODAY")
    changes = repo.last_changes([DATA, CONFIG])  # ISO dates: their order is the dates'
    latest = max(changes.values(), default=None)
    return Provenance(
        today=today or date.fromisoformat(head.date[:10]),  # type: ignore[union-attr]
        commit=head.sha if head else None,
        dirty=bool(repo.status([DATA, CONFIG])),
        data_changed=date.fromisoformat(latest) if latest else None,
        changed=page_dates(changes),
        prefix=root.resolve().relative_to(repo.workdir).as_posix().removeprefix("."),
    )


def valid_rows(root: Path, today: date) -> tuple[Settings, Rows]:
    """The export rows of the dataset's records once it validates: checked on the light
    path, as by `validate` (every core, the cache), the workers making each record's row
    as they check it (else it comes from export's row cache), so that every file is parsed
    once, in the workers."""
    from ogpctl.check.fast.rows import spooling
    from ogpctl.check.load import record_keys
    from ogpctl.check.validate import check_dataset
    from ogpctl.problems import count

    settings = load_settings(root)
    with spooling(root, settings) as spool:
        _, result = check_dataset(root, today, settings, records=False)
        if not result.ok:
            raise InvalidData(
                f"the dataset has {count(result.errors, 'error')}: fix them first "
                "(see `ogpctl validate`); nothing was written"
            )
        keys = sorted(record_keys(root, result.files), key=path_order)
        rows = Rows()
        try:
            for kind, data in spool.entries(keys):
                rows.add(kind, data)
        except BaseException:
            rows.close()
            raise
    return settings, rows


def former_ids(dataset: Summary) -> dict[str, str]:
    """Each member's `formerly` ids → the member, whose page their old address redirects to
    (validation, OGP211, has made sure that no id is both a member's and a former one, and
    that no two members claim one)."""
    return {old: m for m, loaded in dataset.members.items() for old in loaded.record.formerly}


def about(settings: Settings, cited: dict[str, tuple[str, int]], shown: int = 30) -> About:
    """The dataset's description, licence and attribution, and the sources its records cite
    (the `shown` most cited; the others are on the pages of the records citing them)."""
    ranked = sorted(cited.items(), key=lambda item: (-item[1][1], item[0]))
    licence = licenses(settings)
    return About(
        description=settings.description,
        license=settings.license,
        license_url=licence[0]["path"] if licence else "",
        attribution=settings.attribution,
        sources=[Cited(url, title, count) for url, (title, count) in ranked[:shown]],
        more_sources=max(0, len(ranked) - shown),
    )


def downloads(root: Path, settings: Settings, rows: Rows, folder: Path) -> Iterator[str]:
    """The exports, as `export` writes them from the same rows, each written in `folder`
    when asked for: JSON, the four CSV tables, SQLite. Their paths in the site."""
    (folder / "data").mkdir()
    json_file = "data/ogp-collective-actions.json"
    write_chunks(json_chunks(root, settings, iter(rows)), folder / json_file)
    yield json_file
    for written in write_csv(spooled(iter(rows), settings, Counter()), folder / "data"):
        yield written.relative_to(folder).as_posix()
    sqlite = "data/ogp-collective-actions.sqlite"
    write_sqlite(spooled(iter(rows), settings, Counter()), folder / sqlite)
    yield sqlite


def collect(
    dataset: Dataset, found: Provenance, base_url: str | None = None, repo_url: str | None = None
) -> Site:
    """What the pages of a dataset's full records show."""
    return collect_rows(dataset.root, dataset.settings, Rows.of(dataset), found, base_url, repo_url)


def collect_rows(
    root: Path,
    settings: Settings,
    rows: Rows,
    found: Provenance,
    base_url: str | None = None,
    repo_url: str | None = None,
) -> Site:
    """What the pages show, from the records' export rows (which the site then owns)."""
    try:
        records = Records.read(root, settings, rows)
        former = former_ids(records.summary)  # refused before any work
    except BaseException:
        rows.close()
        raise
    fallback = settings.default_language
    return Site(
        name=settings.name,
        default_language=fallback,
        status=status(records.summary, found.today, fallback),
        records=records,
        provenance=found,
        base_url=base_url,
        repo_url=repo_url,
        download_list=[],
        former=former,
        about=about(settings, records.cited),
    )


def write(
    target: Path,
    files: Iterable[tuple[str, bytes | Path | int]],
    building: Callable[[Path], None] | None = None,
) -> tuple[int, int]:
    """Put the site in `target` whole; an existing `target` must be empty or an earlier site.
    `building` is told the folder the site is made in, before `files` are asked for.
    Returns how many files, how many bytes."""
    if target.exists() and (
        not target.is_dir() or (any(target.iterdir()) and not (target / SITE_MARK).exists())
    ):
        raise UsageError(
            f"-o {target}: not an empty folder nor a site built by ogpctl (no {SITE_MARK}); "
            "choose another folder"
        )
    return replace_folder(target, files, building)
