"""CITATION.cff: valid for the real `cffconvert --validate`, and in step with the project.

cffconvert 2.0.0 needs jsonschema<4, which the test extra's check-jsonschema cannot live
with, so it is installed in a virtual environment of its own (requirements/cffconvert.in)
and found through OGPCTL_CFFCONVERT (the path of its executable, absolute or from the
repository root), else on PATH. Without it
the test is skipped, except under CI=true, where it must run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib

import pytest
import yaml
from helpers import REPO

from ogpctl import __version__

CITATION = REPO / "CITATION.cff"
PINNED = (REPO / "requirements" / "cffconvert.in").read_text(encoding="utf-8").strip()


def cffconvert() -> str:
    given = os.environ.get("OGPCTL_CFFCONVERT")
    if given:
        path = REPO / given  # an absolute path stays as it is
        if not (path.is_file() and os.access(path, os.X_OK)):
            pytest.fail(f"OGPCTL_CFFCONVERT={given!r} is not an executable file")
        return str(path)
    found = shutil.which("cffconvert")
    if found:
        return found
    reason = (
        "cffconvert not found: install requirements/cffconvert.in in a virtual environment "
        "of its own and set OGPCTL_CFFCONVERT to its bin/cffconvert"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


def test_cffconvert_validates_the_citation() -> None:
    executable = cffconvert()
    version = subprocess.run(
        [executable, "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert f"cffconvert=={version.stdout.strip()}" == PINNED
    done = subprocess.run(
        [executable, "--validate", "--infile", str(CITATION)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "are valid" in done.stdout


def test_citation_matches_the_project() -> None:
    citation = yaml.safe_load(CITATION.read_text(encoding="utf-8"))
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    settings = tomllib.loads((REPO / "ogpctl.toml").read_text(encoding="utf-8"))["dataset"]
    assert citation["version"] == __version__
    assert citation["license"] == [settings["license"], project["license"]]  # data, code
    assert citation["abstract"].startswith(settings["description"].split(" as Etalab")[0])
