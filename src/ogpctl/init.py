"""`ogpctl init`: a new dataset that any coalition can adopt, committed in git.

The files for people and for CI come from the templates in `ogpctl/templates/`. ogpctl is
not on PyPI yet, so the generated CI workflows (`validate.yml`; `pages.yml`, which publishes
the site) and pre-commit config name where it is installed from with a `CHANGE-ME`
placeholder, and the workflows fail with that message until it is set: a silent guess
would install the wrong thing, or nothing.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ogpctl import __version__
from ogpctl.errors import AlreadyExists, UsageError
from ogpctl.model.keys import CONFIG, DATA, SCHEMAS
from ogpctl.store.atomic import write_file

OGPCTL_URL = "https://github.com/CHANGE-ME/ogpctl"
TEMPLATES = {  # written file → template
    "README.md": "README.md",
    "CONTRIBUTING.md": "CONTRIBUTING.md",
    ".github/workflows/validate.yml": "validate.yml",
    ".github/workflows/pages.yml": "pages.yml",  # the public site (`ogpctl site`)
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    # the commented records to copy (the same as this project's docs/templates/)
    **{
        f"docs/templates/{kind}.yaml": f"{kind}.yaml"
        for kind in ("member", "action", "participant", "update")
    },
}
KEEP = (f"{DATA}/members/.gitkeep", f"{DATA}/actions/.gitkeep")
# what operating systems and editors leave beside files: never records (`validate` skips
# what git ignores under data/)
GITIGNORE = (
    "# left by operating systems and editors; never part of the record\n"
    ".DS_Store\n._*\nThumbs.db\ndesktop.ini\n*.bak\n*~\n*.swp\n*.swo\n.~lock.*#\n"
    "\\#*\\#\n.idea/\n.vscode/\n"
)


@dataclass(frozen=True)
class Started:
    root: Path
    name: str
    paths: list[str]  # written, relative to the root
    commit: str
    new_repository: bool
    below_top: bool  # inside a larger repository: its CI files belong at the top
    kept: list[str]  # files that were there already, left as they were


def template(name: str, fill: dict[str, str]) -> str:
    text = resources.files("ogpctl").joinpath("templates", name).read_text(encoding="utf-8")
    for token, value in fill.items():
        text = text.replace(token, value)
    return text


def settings_text(name: str, language: str) -> str:
    return (
        "[dataset]\n"
        f"name = {json.dumps(name, ensure_ascii=False)}\n"  # a JSON string is a TOML string
        f'default_language = "{language}"\n'
        "update_every_months = 6\n"
    )


def check_free(root: Path) -> None:
    """Refuse a folder that already holds a dataset."""
    taken = [p for p in (CONFIG, DATA, SCHEMAS) if (root / p).exists()]
    if taken:
        raise AlreadyExists(
            f"{root} already holds {', '.join(taken)}: `ogpctl init` starts a new dataset "
            "(to work on this one, run ogpctl there, or use --root)"
        )


def init(folder: Path, name: str | None, language: str) -> Started:
    from ogpctl import codeowners, schema
    from ogpctl.store.git import Repository
    from ogpctl.store.isocodes import language_codes

    if language not in language_codes():
        raise UsageError(f"--language {language!r} is not an ISO 639-1 code (e.g. en, fr, es)")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder")
    root = folder.resolve()
    check_free(root)
    title = name if name is not None else root.name
    if not title.strip():
        raise UsageError("give the dataset a name with --name")
    fill = {"__NAME__": title, "__LANGUAGE__": language, "__VERSION__": __version__,
            "__OGPCTL_URL__": OGPCTL_URL}  # fmt: skip
    files = {CONFIG: settings_text(title, language), ".gitignore": GITIGNORE}
    files |= dict.fromkeys(KEEP, "")
    files |= {path: template(source, fill) for path, source in TEMPLATES.items()}
    planned = [root / path for path in [*files, codeowners.TARGET, f"{SCHEMAS}/x"]]
    made = sorted({f for p in planned for f in (p.parent, *p.parent.parents) if not f.exists()})
    root.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    new = False
    try:
        repo, new = Repository.open_or_init(root)
        repo.require_identity()  # before anything is written
        kept = sorted(path for path in [*files, codeowners.TARGET] if (root / path).exists())
        for relative, text in files.items():
            if relative in kept:  # a README of the repository's own, say: never overwritten
                continue
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            written.append(relative)
            write_file(target, text.encode(), new=True)
        written += [p.relative_to(root).as_posix() for p in schema.write(root)]
        # CODEOWNERS is read only at the top of the work tree, and never overwritten
        if repo.workdir == root and codeowners.TARGET not in kept:
            written.append(codeowners.TARGET)
            codeowners.write(codeowners.plan(root))
        message = f"Start the dataset {title!r} with ogpctl {__version__}\n\nOgpctl-Command: init\n"
        sha = repo.commit(sorted(written), message, deadline=_deadline())
    except BaseException:
        _undo(root, written, made, new_repository=new)
        raise
    return Started(root, title, sorted(written), sha, new, repo.workdir != root, kept)


def _undo(root: Path, written: list[str], made: list[Path], *, new_repository: bool) -> None:
    """Leave things as `init` found them: remove the files and folders it made, and the
    repository if it made one; nothing that was there before."""
    for relative in written:
        (root / relative).unlink(missing_ok=True)
    if new_repository:
        shutil.rmtree(root / ".git", ignore_errors=True)
    for folder in sorted(made, key=lambda f: len(f.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only if empty


def _deadline() -> float:
    import time

    from ogpctl.write import lock_timeout

    return time.monotonic() + lock_timeout()
