"""The history of the dataset, or of one record, from git."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ogpctl.check import formerly
from ogpctl.errors import NotFound, UsageError
from ogpctl.model.keys import CONFIG, DATA, Kind, RecordKey, contributions, is_slug
from ogpctl.problems import did_you_mean
from ogpctl.store.git import Commit, Repository
from ogpctl.store.scan import scan


def history(root: Path, name: str | None = None) -> list[Commit]:
    """Newest first. `name`: a member or action id (an action's history includes its
    participants and updates, a member's its participations and updates), or a path.

    Renames are followed by asking git for every name the file had, then for the
    history of all those names at once (so the order is git's own). A member's history
    includes that of its former ids (`formerly`: renames and merges into it), and a former
    id that is no member or action any more stands for the member holding it now.
    """
    repo = Repository(root)
    if name is None:
        commits = repo.history([DATA, CONFIG])
    elif "/" in name or name.endswith(".yaml"):
        commits = repo.history(repo.renamed_from(_inside(root, name)))
    else:
        name = holder(root, name) or name
        member = repo.renamed_from(RecordKey(Kind.MEMBER, member=name).path)
        action = repo.renamed_from(RecordKey(Kind.ACTION, action=name).path)
        folders = [path.rsplit("/", 1)[0] + "/" for path in action]
        ids = {PurePosixPath(path).stem for path in member}  # its names, then and now
        ids |= set(formerly.of_member(root, name))
        files = [RecordKey(Kind.MEMBER, member=i).path for i in sorted(ids)]
        commits = repo.history(
            sorted({*member, *files}) + folders + [p for i in sorted(ids) for p in contributions(i)]
        )
    if not commits and name is not None:
        known = {key.member or key.action for key in scan(root).records}
        raise NotFound(
            f"no history for {name!r}{did_you_mean(name, known)}: give a member id, "
            "an action id or a path under the dataset"
        )
    return commits


def _inside(root: Path, name: str) -> str:
    """A path given on the command line, within the dataset: from the current folder, or
    else from the dataset's root (as `--root` users write it)."""
    for full in (Path(name).resolve(), (root / name).resolve()):
        if full == root or root in full.parents:
            return full.relative_to(root).as_posix()
    raise UsageError(f"{name} is outside the dataset at {root}")


def follow(root: Path, name: str | None) -> tuple[str | None, formerly.Former | None]:
    """`name`, or the member that holds it as a former id, with how it became its."""
    now = holder(root, name) if name else None
    if name is None or now is None:
        return name, None
    return now, formerly.former(root, name, now)


def holder(root: Path, name: str) -> str | None:
    """The member that holds `name` as a former id, if `name` is no member or action now
    and exactly one member's `formerly` lists it."""
    if not is_slug(name):
        return None
    if (root / RecordKey(Kind.MEMBER, member=name).path).exists():
        return None
    if (root / RecordKey(Kind.ACTION, action=name).path).parent.exists():
        return None
    found = formerly.holders(root, name)
    return found[0] if len(found) == 1 else None
