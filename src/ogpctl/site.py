"""`ogpctl site`: the public website of the validated dataset, as plain values, then files.

`collect` gathers what the pages show from the same functions as `status`, `show` and
`export` (one `Site` of plain values, for every language); `ogpctl.render.site` turns it
into files; `write` puts the folder in place whole. Dates come from `OGPCTL_TODAY` or git,
never from the clock, so two builds of one commit are the same bytes.
"""

from __future__ import annotations

import gc
import hashlib
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ogpctl.errors import InvalidData, OgpctlError, UsageError
from ogpctl.export import csv_text, json_chunks, spooled, write_sqlite
from ogpctl.metadata import licenses
from ogpctl.model.dataset import Dataset, Settings
from ogpctl.model.keys import CONFIG, DATA, Kind
from ogpctl.model.loaded import Loaded, Validated
from ogpctl.model.records import Source
from ogpctl.model.tables import ORDER, entry_data, entry_record, path_order, records, row_entry
from ogpctl.show import ActionDetail, Lang, MemberDetail, action_detail, member_detail
from ogpctl.status import ActionRow, Status, status
from ogpctl.store.atomic import replace_folder
from ogpctl.store.config import load_settings
from ogpctl.store.scratch import scratch

SITE_MARK = ".nojekyll"  # every built site has it: a folder without it is not replaced
_URL = re.compile(r"^https?://[^\s\"<>\\^`{|}]+$")


@dataclass(frozen=True)
class Provenance:
    """Which state of the dataset the site shows."""

    today: date
    commit: str | None = None  # None: not in git
    dirty: bool = False  # uncommitted changes to the data
    data_changed: date | None = None  # the last commit that changed data/ or ogpctl.toml
    changed: dict[str, date] = field(default_factory=dict)  # record path → last commit date
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
    actions: dict[str, ActionDetail]
    members: dict[str, MemberDetail]  # every member, A-Z by id
    provenance: Provenance
    base_url: str | None
    repo_url: str | None
    downloads: dict[str, bytes]  # site path → bytes
    download_list: list[Download]
    former: dict[str, str] = field(default_factory=dict)  # a former member id → the member
    about: About = field(default_factory=About)
    _by_id: dict[str, ActionRow] = field(default_factory=dict, repr=False, compare=False)

    def handed_over(self) -> Iterator[tuple[str, bytes]]:
        """The downloads' bytes, each let go once handed over (for the writer, which needs
        them once: 40 MiB of the build's memory at 46,000 files); `download_list` stays."""
        while self.downloads:
            path = next(iter(self.downloads))
            yield path, self.downloads.pop(path)

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
    changes = {p: date.fromisoformat(d) for p, d in repo.last_changes([DATA, CONFIG]).items()}
    return Provenance(
        today=today or date.fromisoformat(head.date[:10]),  # type: ignore[union-attr]
        commit=head.sha if head else None,
        dirty=bool(repo.status([DATA, CONFIG])),
        data_changed=max(changes.values(), default=None),
        changed=changes,
        prefix=root.resolve().relative_to(repo.workdir).as_posix().removeprefix("."),
    )


def valid_dataset(root: Path, today: date) -> tuple[Dataset, Rows]:
    """The full records of the dataset once it validates, and their export rows: checked on
    the light path, as by `validate` (every core, the cache), the workers making each
    record's row as they check it (else it comes from export's row cache); each record is
    then read back from its row, so that every file is parsed once, in the workers."""
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
        dataset: Dataset = Dataset(root, settings, files=set(keys))
        nowhere = Validated()
        rows = Rows()
        collecting = gc.isenabled()
        gc.disable()  # tens of thousands of records, none in a cycle: spare the collector's scans
        try:
            for key, (kind, data) in zip(keys, spool.entries(keys), strict=True):
                dataset.add(Loaded(key, entry_record(kind, data), nowhere))
                rows.add(kind, data)
        except BaseException:
            rows.close()
            raise
        finally:
            if collecting:
                gc.enable()
    return dataset.sorted(), rows


class Rows:
    """Every record's export row (`entry_data`, in `path_order`), kept in a temporary file
    to be read again for each download, so that they are not all held at once."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by `close`, after the downloads)

    @classmethod
    def of(cls, dataset: Dataset) -> Rows:
        """The rows of a dataset's records."""
        found, default = cls(), dataset.settings.default_language
        for kind, row in records(dataset):
            found.add(kind, entry_data(row_entry(kind, row, default)))
        return found

    def add(self, kind: Kind, data: bytes) -> None:
        self._file.write(bytes((ORDER[kind],)) + len(data).to_bytes(4, "little") + data)

    def __iter__(self) -> Iterator[tuple[Kind, bytes]]:
        kinds, read = list(ORDER), self._file.read
        self._file.seek(0)
        while head := read(5):
            yield kinds[head[0]], read(int.from_bytes(head[1:], "little"))

    def close(self) -> None:
        self._file.close()


def former_ids(dataset: Dataset) -> dict[str, str]:
    """Each member's `formerly` ids → the member, whose page their old address redirects to
    (validation, OGP211, has made sure that no id is both a member's and a former one, and
    that no two members claim one)."""
    return {old: m for m, loaded in dataset.members.items() for old in loaded.record.formerly}


def about(dataset: Dataset, shown: int = 30) -> About:
    """The dataset's description, licence and attribution, and the sources its records cite
    (the `shown` most cited; the others are on the pages of the records citing them)."""
    cited: dict[str, tuple[str, int]] = {}
    every: list[list[Source]] = [
        *(m.record.sources for m in dataset.members.values()),
        *(a.record.sources for a in dataset.actions.values()),
        *(p.record.sources for found in dataset.participants.values() for p in found.values()),
        *(u.record.sources for found in dataset.updates.values() for u in found),
    ]
    for sources in every:
        for source in {s.url: s for s in sources}.values():
            title, count = cited.get(source.url, (source.title or source.url, 0))
            cited[source.url] = (title, count + 1)
    ranked = sorted(cited.items(), key=lambda item: (-item[1][1], item[0]))
    settings = dataset.settings
    licence = licenses(settings)
    return About(
        description=settings.description,
        license=settings.license,
        license_url=licence[0]["path"] if licence else "",
        attribution=settings.attribution,
        sources=[Cited(url, title, count) for url, (title, count) in ranked[:shown]],
        more_sources=max(0, len(ranked) - shown),
    )


def downloads(root: Path, settings: Settings, rows: Rows) -> dict[str, bytes]:
    """The exports, as `export` writes them from the same rows: JSON, the four CSV tables,
    SQLite."""
    found = {
        "data/ogp-collective-actions.json": "".join(
            json_chunks(root, settings, iter(rows))
        ).encode()
    }
    for table in spooled(iter(rows), settings, Counter()):
        found[f"data/{table.name}.csv"] = csv_text(table).encode()
    with scratch("site") as folder:
        path = write_sqlite(spooled(iter(rows), settings, Counter()), folder / "data.sqlite")
        found["data/ogp-collective-actions.sqlite"] = path.read_bytes()
    return found


def collect(
    dataset: Dataset,
    found: Provenance,
    base_url: str | None = None,
    repo_url: str | None = None,
    rows: Rows | None = None,
) -> Site:
    """What the pages show; the downloads from `rows` (else made from the records)."""
    fallback = dataset.settings.default_language
    lang = Lang(fallback, fallback)
    former = former_ids(dataset)  # refused before any work
    rows = Rows.of(dataset) if rows is None else rows
    try:
        files = downloads(dataset.root, dataset.settings, rows)
    finally:
        rows.close()
    involved: dict[str, set[str]] = {}  # member → the actions it takes or took part in, or leads
    for action, taking_part in dataset.participants.items():
        for member in taking_part:
            involved.setdefault(member, set()).add(action)
    for action, loaded in dataset.actions.items():
        leaders = loaded.record.leaders
        for leader in (leaders.government, leaders.civil_society) if leaders else ():
            if leader:
                involved.setdefault(leader, set()).add(action)
    return Site(
        name=dataset.settings.name,
        default_language=fallback,
        status=status(dataset, found.today, fallback),
        actions={a: action_detail(dataset, a, found.today, lang) for a in sorted(dataset.actions)},
        members={
            m: member_detail(dataset, m, lang, among=involved.get(m, ()))
            for m in sorted(dataset.members)
        },
        provenance=found,
        base_url=base_url,
        repo_url=repo_url,
        downloads=files,
        download_list=[
            Download(path, path.rsplit(".", 1)[1], len(data), hashlib.sha256(data).hexdigest())
            for path, data in files.items()
        ],
        former=former,
        about=about(dataset),
    )


def write(target: Path, files: Iterable[tuple[str, bytes]]) -> tuple[int, int]:
    """Put the site in `target` whole; an existing `target` must be empty or an earlier site.
    Returns how many files, how many bytes."""
    if target.exists() and (
        not target.is_dir() or (any(target.iterdir()) and not (target / SITE_MARK).exists())
    ):
        raise UsageError(
            f"-o {target}: not an empty folder nor a site built by ogpctl (no {SITE_MARK}); "
            "choose another folder"
        )
    return replace_folder(target, files)
