"""Everything ogpctl asks of git. The one module that imports GitPython.

Paths given to and returned by this module are relative to the dataset root, which may be
a folder inside the repository's work tree.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tarfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import git

from ogpctl.errors import GitError, LockTimeout, UsageError
from ogpctl.model.keys import CONFIG, DATA
from ogpctl.store.atomic import deferred_interrupts

_FIELD = "\x1f"
_RECORD = "\x1e"
_LOG_FORMAT = _FIELD.join(["%H", "%aI", "%an", "%ae", "%B"]) + _RECORD
_TRAILER = re.compile(r"^(Ogpctl-[A-Za-z]+): (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # ISO 8601 author date
    author: str
    email: str
    message: str
    trailers: dict[str, list[str]] = field(default_factory=dict)

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


class Repository:
    def __init__(self, root: Path, *, hint: str = "") -> None:
        """`hint`: what else the user may do, said when git cannot help."""
        self.hint = hint
        try:
            self._repo = git.Repo(root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise GitError(
                f"{root} is not in a git repository: run `git init` there first{hint}"
            ) from None
        if self._repo.working_tree_dir is None:
            raise GitError(f"{root} is in a bare git repository: use a clone with a work tree")
        self.workdir = Path(self._repo.working_tree_dir).resolve()
        self.git_dir = Path(self._repo.git_dir).resolve()
        self._prefix = root.resolve().relative_to(self.workdir).as_posix()

    @property
    def dataset_folder(self) -> str:
        """The dataset root relative to the work tree's top ("." when it is the top)."""
        return self._prefix

    def _in_repo(self, path: str) -> str:
        return path if self._prefix == "." else f"{self._prefix}/{path}"

    def _in_dataset(self, path: str) -> str:
        return path if self._prefix == "." else path.removeprefix(f"{self._prefix}/")

    def _git(self, *args: str, deadline: float | None = None) -> str:
        """Run git; while another program holds git's index lock, retry until `deadline`.
        Ctrl-C waits for git to end (it reaches git too from a terminal): no git program of
        ours runs on, unseen, after we have decided what it did."""
        while True:
            try:
                with deferred_interrupts():
                    output: str = self._repo.git.execute(
                        ["git", *args], strip_newline_in_stdout=False
                    )
                return output
            except git.GitCommandError as err:
                stderr = str(err.stderr)
                if not _index_locked(stderr):  # a full disk is no lock: fail at once
                    said = _git_message(stderr) or (
                        "a hook refused it, saying nothing" if args[0] == "commit" else "no message"
                    )
                    raise GitError(f"git {args[0]} failed: {said}") from None
                if deadline is None or time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"git's index is locked ({self.git_dir / 'index.lock'} exists): another "
                        "git program is running, or one crashed and left it behind (if no git "
                        "program is running, delete that file)"
                    ) from None
                time.sleep(0.05)

    def wait_for_index(self, deadline: float) -> None:
        """Wait while another git program (say, one orphaned by a killed ogpctl) runs."""
        lock = self.git_dir / "index.lock"
        while lock.exists():
            if time.monotonic() >= deadline:
                raise LockTimeout(f"git's index is locked ({lock} exists) and stays locked")
            time.sleep(0.05)

    def require_identity(self) -> None:
        """Fail before writing anything if git would not know who commits."""
        reader = self._repo.config_reader()
        for key, variables in (("name", ("GIT_AUTHOR_NAME",)), ("email", ("GIT_AUTHOR_EMAIL",))):
            if any(os.environ.get(v) for v in variables) or reader.get_value("user", key, ""):
                continue
            raise GitError(
                f"git does not know who you are (no user.{key}): run "
                '`git config user.name "Your Name"` and `git config user.email you@example.org`'
                + self.hint
            )

    def has_head(self) -> bool:
        return self.head() is not None

    def head(self) -> str | None:
        """The commit HEAD names (None before the first commit), read from git's files now
        (`.git/HEAD`, the branch it names, `packed-refs`), without starting git for it."""
        try:
            return git.SymbolicReference.dereference_recursive(self._repo, "HEAD")
        except ValueError:  # an unborn branch
            return None

    def uncommitted(self, paths: list[str]) -> list[str]:
        """Those of `paths` whose file or index entry differs from HEAD (or is untracked)."""
        return [path for _, path in self.status(paths)]

    def status(self, paths: list[str]) -> list[tuple[str, str]]:
        """(two-letter porcelain status, path) of every changed or new file under `paths`."""
        output = self._git(
            "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--",
            *(self._in_repo(p) for p in paths),
        )  # fmt: skip
        entries = [entry for entry in output.split("\0") if entry]
        return [(entry[:2], self._in_dataset(entry[3:])) for entry in entries]

    def untracked(self, paths: list[str]) -> list[str]:
        """The new files under `paths` that git does not ignore (as `status` lists them with
        `??`, without comparing the tracked files)."""
        output = self._git("ls-files", "--others", "--exclude-standard", "-z", "--",
                           *(self._in_repo(p) for p in paths))  # fmt: skip
        return [self._in_dataset(entry) for entry in output.split("\0") if entry]

    def commit(
        self, paths: list[str], message: str, deadline: float,
        step: Callable[[str], None] = lambda name: None, new: list[str] | None = None,
    ) -> str:  # fmt: skip
        """Commit exactly `paths` as they are in the work tree; leave the rest of the index.
        `new`: those git does not track yet, to `git add` first (asked of git if not given).
        If this fails before git commits, new files are taken out of the index again;
        once git has committed (HEAD moved), nothing is undone. `step` is told "added"
        and "committed" as they happen (for fault-injection tests)."""
        allowance = max(deadline - time.monotonic(), 0.0)  # the undo may wait as long
        head = self.head()
        if new is None:
            new = [path for code, path in self.status(paths) if code == "??"]
        try:
            if new:
                self._git("add", "--", *(self._in_repo(p) for p in new), deadline=deadline)
            step("added")
            self._git("commit", "--quiet", "--only", "-m", message, "--",
                      *(self._in_repo(p) for p in paths), deadline=deadline)  # fmt: skip
        except BaseException:
            with deferred_interrupts(), contextlib.suppress(GitError, LockTimeout):
                if self.head() == head:
                    self.forget(new, time.monotonic() + allowance)
            raise
        step("committed")
        made = self.head()  # the commit git just made, read without a `git rev-parse`
        if made is None:  # as `git rev-parse HEAD` would fail: a hook removed the branch
            raise GitError("git commit ended, but HEAD names no commit")
        return made

    def forget(self, paths: list[str], deadline: float) -> None:
        """Take new files out of the index again (their files stay as they are)."""
        if paths:
            self._git("rm", "--cached", "--quiet", "--ignore-unmatch", "--",
                      *(self._in_repo(p) for p in paths), deadline=deadline)  # fmt: skip

    def holds(self, files: Mapping[str, bytes | None]) -> str | None:
        """HEAD's commit if it holds exactly `files` (path → content; None: no such file),
        else None: whether a commit of them happened, decided for all of them at once."""
        head = self.head()
        return head if head and all(self._file_at(head, p) == c for p, c in files.items()) else None

    def committed(self, path: str) -> bytes | None:
        """The file's content at HEAD, or None if HEAD has no such file."""
        head = self.head()
        return None if head is None else self._file_at(head, path)

    def _file_at(self, commit: str, path: str) -> bytes | None:
        """The file's content in `commit` (None: none), from GitPython's `git cat-file --batch`."""
        try:
            _, _, _, data = self._repo.git.get_object_data(f"{commit}:{self._in_repo(path)}")
        except ValueError:  # "missing": no such path in that commit
            return None
        return data

    def history(self, paths: list[str]) -> list[Commit]:
        """Commits touching any of `paths` (git pathspecs), newest first."""
        if not self.has_head():
            return []
        output = self._git("log", f"--format={_LOG_FORMAT}", "--", *map(self._in_repo, paths))
        return _parse_log(output)

    def renamed_from(self, path: str) -> list[str]:
        """Every name the file at `path` had in its history (itself included): renames
        only, for git's `--follow` also takes a new file for a copy of a similar one."""
        if not self.has_head():
            return [path]
        current = self._in_repo(path)
        names = {current}
        output = self._git("log", "--follow", "--name-status", "--format=", "--", current)
        for line in output.splitlines():
            fields = line.split("\t")
            if fields[-1] != current or len(fields) < 2:
                continue
            if fields[0].startswith("R") and len(fields) == 3:
                current = fields[1]
                names.add(current)
            elif fields[0].startswith(("A", "C")):  # created here: earlier is another file
                break
        return sorted(self._in_dataset(name) for name in names)

    def head_commit(self) -> Commit | None:
        """The commit checked out (its message left out), or None before the first one."""
        if not self.has_head():
            return None
        sha, when = self._git("log", "-1", "--format=%H%x1f%cI", "HEAD").strip().split(_FIELD)
        return Commit(sha, when, "", "", "")

    def last_changes(self, paths: list[str]) -> dict[str, str]:
        """The ISO date of the last commit that changed each file under `paths`, in one
        pass over the history (paths relative to the dataset root; files since deleted too)."""
        if not self.has_head():
            return {}
        output = self._git("log", "--format=%x1e%cI", "--name-only", "--no-renames", "--",
                           *map(self._in_repo, paths))  # fmt: skip
        found: dict[str, str] = {}
        for record in output.split(_RECORD):
            lines = [line for line in record.splitlines() if line.strip()]
            for name in lines[1:]:
                found.setdefault(self._in_dataset(name), lines[0][:10])
        return found

    @classmethod
    def open_or_init(cls, root: Path) -> tuple[Repository, bool]:
        """The repository holding `root`, or a new one at `root` if there is none; and
        whether it is new. A `.git` at `root` that git cannot use is not replaced."""
        try:
            return cls(root), False
        except GitError:
            if (root / ".git").exists() or (root / ".git").is_symlink():
                raise GitError(f"{root / '.git'} is there but git cannot use it") from None
            return cls.init(root), True

    @classmethod
    def init(cls, root: Path) -> Repository:
        """A new repository at `root`, on branch `main` (what the generated CI expects)."""
        try:
            git.Repo.init(root, initial_branch="main")
        except git.GitCommandError as err:
            said = _git_message(str(err.stderr)) or "no message"
            raise GitError(f"git init failed: {said}") from None
        except git.InvalidGitRepositoryError:
            raise GitError(f"{root / '.git'} is there but git cannot use it") from None
        return cls(root)

    # --- reading other versions of the dataset ------------------------------------------

    def resolve(self, ref: str) -> str:
        """The commit a ref names; a usage error if it names none."""
        try:
            return self._git("rev-parse", "--verify", "--quiet", "--end-of-options",
                             f"{ref}^{{commit}}").strip()  # fmt: skip
        except GitError:
            raise UsageError(
                f"{ref!r} is not a commit here (a branch, tag or commit id; in CI, fetch "
                "the base branch first: `git fetch origin main`, or checkout with fetch-depth 0)"
            ) from None

    def fork_point(self, base: str, head: str | None = None) -> str:
        """Where `head` (default: HEAD) branched off `base`, as `git diff base...head` sees
        it: what `base` gained since is not the branch's doing."""
        tip = head or ("HEAD" if self.has_head() else None)
        if tip is None:
            return self.resolve(base)
        try:
            return self._git("merge-base", self.resolve(base), self.resolve(tip)).strip()
        except GitError:
            if self._git("rev-parse", "--is-shallow-repository").strip() == "true":
                raise UsageError(
                    f"no common history with {base!r} in this shallow clone: fetch all of it "
                    "(`git fetch --unshallow`, or checkout with fetch-depth 0)"
                ) from None
            return self.resolve(base)  # unrelated histories: compare with base itself

    def snapshot(self, ref: str, destination: Path) -> None:
        """Extract the dataset's data/ and ogpctl.toml as they were at `ref`."""
        tree = f"{ref}:{self._prefix}" if self._prefix != "." else ref
        try:
            archive: bytes = self._repo.git.execute(
                ["git", "archive", "--format=tar", tree], stdout_as_string=False
            )
        except git.GitCommandError:  # the dataset folder did not exist yet
            return
        wanted = (f"{DATA}/", CONFIG)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            for member in tar.getmembers():
                if member.name.startswith(wanted):
                    _extract(tar, member, destination)

    def changed_files(self, base: str, head: str | None) -> list[FileChange]:
        """Files under data/ changed from `base` to `head` (None: the work tree), renames
        followed; new untracked files count as added when comparing with the work tree."""
        revisions = [base] if head is None else [base, head]
        output = self._git("diff", "--name-status", "-z", "-M", "--no-ext-diff",
                           *revisions, "--", self._in_repo(DATA))  # fmt: skip
        fields = iter(output.split("\0"))
        changes = []
        for status in fields:
            if not status:
                continue
            old = self._in_dataset(next(fields))
            new = self._in_dataset(next(fields)) if status[0] in "RC" else old
            changes.append(FileChange(status[0], new, old))
        if head is None:
            changes += [FileChange("A", p, p) for p in self.untracked([DATA])]
        return sorted(changes, key=lambda c: c.path)

    def read_at(self, ref: str, path: str) -> bytes | None:
        """A file's bytes at `ref`, or None if it did not exist there."""
        try:
            data: bytes = self._repo.git.execute(
                ["git", "show", f"{ref}:{self._in_repo(path)}"],
                stdout_as_string=False,
                strip_newline_in_stdout=False,  # its bytes: the final newline too
            )
        except git.GitCommandError:
            return None
        return data


@dataclass(frozen=True)
class FileChange:
    status: str  # A added, M modified, D deleted, R renamed (old_path → path), T type changed
    path: str
    old_path: str


def _parse_log(output: str) -> list[Commit]:
    commits = []
    for record in output.split(_RECORD):
        record = record.strip("\n")
        if not record:
            continue
        sha, when, author, email, message = record.split(_FIELD, 4)
        trailers: dict[str, list[str]] = {}
        for key, value in _TRAILER.findall(message):
            trailers.setdefault(key, []).append(value.strip())
        commits.append(Commit(sha, when, author, email, message.strip(), trailers))
    return commits


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, destination: Path) -> None:
    """One entry of a `git archive` of the dataset: folders and files as they are, a
    symbolic link as a link (never followed: the scan refuses it, OGP021), nothing that
    would land outside `destination` (by hand: `extractall(filter=...)` needs 3.11.4)."""
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts:
        return
    target = destination.joinpath(*name.parts)
    if any(folder.is_symlink() for folder in target.parents):  # through a link: refuse
        return
    if member.isdir():
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if member.issym():
        target.symlink_to(member.linkname)
    elif member.isfile() and (content := tar.extractfile(member)) is not None:
        target.write_bytes(content.read())


def _index_locked(stderr: str) -> bool:
    """Whether git failed because another program holds its index lock: git then says
    "Unable to create '…/index.lock': File exists." (other reasons, such as a full disk,
    end in their own words)."""
    return "index.lock" in stderr and "File exists" in stderr


def _git_message(stderr: str) -> str:
    """Git's own words, without GitPython's decoration."""
    text = stderr.strip().removeprefix("stderr:").strip().strip("'").strip()
    return " ".join(line.strip() for line in text.splitlines() if line.strip())
