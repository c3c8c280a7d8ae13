"""A validation report: how many record files were examined, and every problem found.

Its own module, light to import, so that the warm path of `ogpctl validate`
(`check.fast.warm`) can build one without loading the checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from ogpctl.problems import Problem, Severity


@dataclass(frozen=True)
class Report:
    checked: int  # record files examined
    problems: list[Problem]
    files: tuple[str, ...] = ()  # their paths, where known (`check_dataset` gives them)

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def ok(self) -> bool:
        return self.errors == 0
