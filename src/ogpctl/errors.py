"""The errors ogpctl raises and the exit codes they map to.

Core code raises these; only the command-line entry point turns them into exit codes.
Problems found in the data are not exceptions: they are `Problem` values in a report.
"""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INVALID = 1  # the data is invalid, or the change would make it invalid
    USAGE = 2  # the command line is wrong
    CANNOT_RUN = 3  # no dataset here, git refused, a lock held too long
    BUG = 4  # an unexpected error: a bug in ogpctl
    INTERRUPTED = 130
    CLOSED_PIPE = 141  # the reader went away (`ogpctl status | head -1`): 128 + SIGPIPE


class OgpctlError(Exception):
    """Base of every error ogpctl reports to a user; `exit_code` says how it ends."""

    exit_code = ExitCode.CANNOT_RUN


class UsageError(OgpctlError):
    """The command line asks for something that cannot be done as asked."""

    exit_code = ExitCode.USAGE


class DatasetNotFound(OgpctlError):
    """No dataset root (a folder holding `ogpctl.toml` or `data/`) was found."""


class ConfigError(OgpctlError):
    """`ogpctl.toml` cannot be read or holds a value that is not allowed."""


class InvalidData(OgpctlError):
    """The data is invalid (used where a report cannot be rendered, e.g. a failed check)."""

    exit_code = ExitCode.INVALID


class NotFound(OgpctlError):
    """A record named on the command line does not exist."""

    exit_code = ExitCode.INVALID


class AlreadyExists(OgpctlError):
    """A write would replace a record that exists: adding never overwrites."""

    exit_code = ExitCode.INVALID


class GitError(OgpctlError):
    """Git cannot do what a command needs (no repository, no identity, a refused commit)."""


class LockTimeout(OgpctlError):
    """Another process held the dataset lock, or git's index lock, for too long."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C came once git had committed: the change is kept; `str()` says so."""
