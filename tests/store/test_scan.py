"""Where records live: `scan` sorts `data/` into record files and layout problems."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from helpers import BASELINE, build_tree

from ogpctl import codes
from ogpctl.model.keys import Kind, RecordKey, is_slug, schema_comment
from ogpctl.problems import Problem, Severity
from ogpctl.store.scan import scan

A = "data/actions/open-contracting"
MEMBER = "name: X\ntype: other\n"
BAD_YAML = "name: [unclosed\n"  # would be OGP005 if anything ever read it


def problems(root: Path) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in scan(root).problems]


def only_problem(root: Path) -> Problem:
    found = scan(root).problems
    assert len(found) == 1, found
    return found[0]


def test_scan_of_a_good_tree(dataset):
    result = scan(dataset({"data/README.md": "# about\n", "data/members/.gitkeep": ""}))
    assert result.problems == []
    assert result.records == [  # in path order: data/actions/… before data/members/…
        RecordKey(Kind.ACTION, action="open-contracting"),
        RecordKey(Kind.PARTICIPANT, action="open-contracting", member="france"),
        RecordKey(Kind.PARTICIPANT, action="open-contracting", member="transparency-international"),
        RecordKey(
            Kind.UPDATE, action="open-contracting", member="france", published=date(2017, 6, 1)
        ),
        RecordKey(Kind.MEMBER, member="france"),
        RecordKey(Kind.MEMBER, member="transparency-international"),
    ]
    assert [key.path for key in result.records] == sorted(key.path for key in result.records)


def test_paths_and_identities_round_trip(dataset):
    root = dataset()
    for key in scan(root).records:
        assert (root / key.path).is_file()
    assert set(BASELINE) - {"ogpctl.toml"} == {key.path for key in scan(root).records}


def test_labels():
    update = RecordKey(Kind.UPDATE, action="a", member="m", published=date(2017, 1, 2))
    assert update.label == "a/2017-01-02-m"
    assert RecordKey(Kind.PARTICIPANT, action="a", member="m").label == "a/m"
    assert RecordKey(Kind.MEMBER, member="m").label == "m"


def test_schema_comment_points_at_the_schema_from_the_file():
    assert schema_comment(Kind.MEMBER) == (
        "# yaml-language-server: $schema=../../schemas/member.schema.json"
    )
    assert schema_comment(Kind.UPDATE).endswith("=../../../../schemas/update.schema.json")


def test_no_data_folder_is_an_empty_scan(tmp_path):
    result = scan(tmp_path)
    assert (result.records, result.problems) == ([], [])


def test_layout_problems_are_errors_at_line_one(dataset):
    problem = only_problem(dataset({"data/members/spain.yml": MEMBER}))
    assert (problem.line, problem.column, problem.severity) == (1, 1, Severity.ERROR)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("data/members/spain.yml", "records end in `.yaml`, not `.yml`: rename it to spain.yaml"),
        ("data/members/spain.json", "not a record file (records are `<id>.yaml`)"),
        ("data/members/notes.txt", "not a record file (records are `<id>.yaml`)"),
        ("data/members/spain", "not a record file (records are `<id>.yaml`)"),
        (
            "data/actions/stray.yaml",
            "not a record file (an action is a folder `data/actions/<action>/`)",
        ),
        (
            f"{A}/notes.md",
            "not a record file (an action folder holds action.yaml, participants/ and updates/)",
        ),
        (
            f"{A}/france.yaml",
            "not a record file (an action folder holds action.yaml, participants/ and updates/)",
        ),
        (
            f"{A}/participants/france.yml",
            "records end in `.yaml`, not `.yml`: rename it to france.yaml",
        ),
        (
            f"{A}/updates/2017-07-01-france.yml",
            "records end in `.yaml`, not `.yml`: rename it to 2017-07-01-france.yaml",
        ),
        ("data/notes.txt", "not a record file"),
        ("data/action.yaml", "not a record file"),
    ],
)
def test_stray_files(dataset, path, message):
    problem = only_problem(dataset({path: MEMBER}))
    assert (problem.path, problem.code, problem.message) == (path, codes.STRAY_FILE, message)


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("data/drafts", "unexpected folder here"),
        ("data/members/archive", "unexpected folder here"),
        (
            f"{A}/docs",
            "unexpected folder here (an action folder holds action.yaml, participants/ "
            "and updates/)",
        ),
        (f"{A}/participants/france-team", "unexpected folder here"),
        (f"{A}/updates/2017", "unexpected folder here"),
    ],
)
def test_unexpected_folders(dataset, folder, message):
    problem = only_problem(dataset({f"{folder}/x.yaml": MEMBER}))
    assert (problem.path, problem.code, problem.message) == (folder, codes.STRAY_FILE, message)


def test_member_file_in_a_subfolder_is_not_a_record(dataset):
    result = scan(dataset({"data/members/europe/spain.yaml": MEMBER}))
    assert RecordKey(Kind.MEMBER, member="spain") not in result.records
    assert [(p.path, p.code) for p in result.problems] == [
        ("data/members/europe", codes.STRAY_FILE)
    ]


def test_action_folder_without_action_yaml(dataset):
    root = dataset({"data/actions/climate/participants/france.yaml": "joined: 2017-01-01\n"})
    problem = only_problem(root)
    assert (problem.path, problem.code) == ("data/actions/climate", codes.NO_ACTION_FILE)
    assert problem.message == (
        "action folder without action.yaml: add data/actions/climate/action.yaml or remove it"
    )


def test_empty_action_folder(dataset):
    root = dataset()
    (root / "data/actions/empty").mkdir()
    assert problems(root) == [("data/actions/empty", codes.NO_ACTION_FILE)]


@pytest.mark.parametrize(
    "name",
    ["Spain", "costa_rica", "costa rica", "costa--rica", "-spain", "spain-", "españa", "a" * 65],
)
def test_bad_member_ids(dataset, name):
    path = f"data/members/{name}.yaml"
    problem = only_problem(dataset({path: MEMBER}))
    assert (problem.path, problem.code) == (path, codes.BAD_ID)
    assert problem.message.startswith(f"{name!r} is not an id: ")
    assert "at most 64 characters" in problem.message


def test_sixty_four_characters_is_an_id(dataset):
    name = "a" * 64
    assert is_slug(name)
    assert not is_slug(name + "a")
    result = scan(dataset({f"data/members/{name}.yaml": MEMBER}))
    assert result.problems == []
    assert RecordKey(Kind.MEMBER, member=name) in result.records


@pytest.mark.parametrize(
    ("path", "reported", "name"),
    [
        ("data/actions/Open-Budgets/action.yaml", "data/actions/Open-Budgets", "Open-Budgets"),
        ("data/actions/open_budgets/action.yaml", "data/actions/open_budgets", "open_budgets"),
        (f"{A}/participants/Spain.yaml", f"{A}/participants/Spain.yaml", "Spain"),
        (f"{A}/participants/sp_ain.yaml", f"{A}/participants/sp_ain.yaml", "sp_ain"),
    ],
)
def test_bad_action_and_participant_ids(dataset, path, reported, name):
    result = scan(dataset({path: MEMBER}))
    problem = only_problem(dataset({path: MEMBER}))
    assert (problem.path, problem.code) == (reported, codes.BAD_ID)
    assert problem.message.startswith(f"{name!r} is not an id: ")
    assert len(result.records) == len(BASELINE) - 1  # nothing of the bad one is a record


@pytest.mark.parametrize(
    "name",
    [
        "france.yaml",
        "2017-06-01.yaml",
        "2017-6-1-france.yaml",
        "17-06-01-france.yaml",
        "france-2017-06-01.yaml",
        "2016-02-30-france.yaml",  # not a real date
        "2017-13-01-france.yaml",
        "2017-06-01_france.yaml",
    ],
)
def test_bad_update_names(dataset, name):
    path = f"{A}/updates/{name}"
    problem = only_problem(dataset({path: "completion: limited\nsummary: x\n"}))
    assert (problem.path, problem.code) == (path, codes.BAD_ID)
    assert problem.message == (
        f"{name!r}: an update is named <YYYY-MM-DD>-<member>.yaml, "
        "the date it was published and its author (<YYYY-MM-DD>-<member>-2.yaml for a second "
        "one that day)"
    )


def test_update_author_must_be_an_id(dataset):
    path = f"{A}/updates/2017-07-01-France.yaml"
    problem = only_problem(dataset({path: "completion: limited\nsummary: x\n"}))
    assert (problem.path, problem.code) == (path, codes.BAD_ID)
    assert problem.message.startswith("'France' is not an id")


def test_leap_day_update_is_fine(dataset):
    result = scan(dataset({f"{A}/updates/2016-02-29-france.yaml": "x: 1\n"}))
    assert result.problems == []
    assert (
        RecordKey(
            Kind.UPDATE, action="open-contracting", member="france", published=date(2016, 2, 29)
        )
        in result.records
    )


def test_placeholders_and_readme_are_allowed(dataset):
    root = dataset(
        {
            "data/README.md": "about\n",
            "data/.gitkeep": "",
            "data/members/.gitkeep": "",
            f"{A}/.gitkeep": "",
            f"{A}/participants/.gitkeep": "",
            f"{A}/updates/.gitkeep": "",
            "data/actions/.gitkeep": "",
        }
    )
    assert problems(root) == []


def test_readme_is_only_allowed_directly_in_data(dataset):
    root = dataset({"data/members/README.md": "about\n"})
    assert problems(root) == [("data/members/README.md", codes.STRAY_FILE)]


def test_files_outside_data_are_ignored(dataset):
    root = dataset({"README.md": "x", "notes.txt": "x", "schemas/member.schema.json": "{}"})
    assert problems(root) == []


def test_a_named_pipe_is_refused_without_reading_it(dataset):
    root = dataset()
    os.mkfifo(root / "data/members/pipe.yaml")  # opening it for reading would block
    problem = only_problem(root)
    assert (problem.path, problem.code) == ("data/members/pipe.yaml", codes.STRAY_FILE)
    assert "not a regular file" in problem.message


# --- symbolic links: reported, never followed -----------------------------------------


def _link(root: Path, path: str, target: str | Path) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, root / path)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("data/members/alias.yaml", "france.yaml"),  # inside the dataset
        ("data/members/outside.yaml", "OUTSIDE"),  # outside the dataset
        ("data/actions/linked", "open-contracting"),  # a folder
        (f"{A}/participants/spain.yaml", "OUTSIDE"),
        (f"{A}/updates/2017-07-01-france.yaml", "OUTSIDE"),
        (f"{A}/updates", "OUTSIDE_DIR"),
        ("data/members/broken.yaml", "does-not-exist.yaml"),
    ],
)
def test_symbolic_links_are_reported_and_never_read(dataset, tmp_path, run, path, target):
    outside = build_tree(tmp_path / "elsewhere", {"bad.yaml": BAD_YAML, "dir/x.yaml": BAD_YAML})
    real = {"OUTSIDE": outside / "bad.yaml", "OUTSIDE_DIR": outside / "dir"}.get(target, target)
    root = dataset()
    if path.endswith("/updates"):
        for entry in (root / path).iterdir():
            entry.unlink()
        (root / path).rmdir()
    _link(root, path, real)
    problem = only_problem(root)
    assert (problem.path, problem.code) == (path, codes.SYMLINK)
    assert problem.message == "symbolic link; records must be regular files"
    result = run(root, "validate")
    # the target's bad YAML is never read: no OGP005 anywhere
    assert f"{path}:1:1: error OGP021 symbolic link" in result.stdout
    assert "OGP005" not in result.stdout
    assert result.exit_code == 1


def test_action_yaml_as_a_link_is_not_an_action(dataset, tmp_path):
    root = dataset({"data/actions/climate/participants/.gitkeep": ""})
    outside = build_tree(tmp_path / "elsewhere", {"action.yaml": BAD_YAML})
    _link(root, "data/actions/climate/action.yaml", outside / "action.yaml")
    assert sorted(problems(root)) == [
        ("data/actions/climate", codes.NO_ACTION_FILE),
        ("data/actions/climate/action.yaml", codes.SYMLINK),
    ]


def test_data_itself_a_link(tmp_path, run):
    real = build_tree(tmp_path / "real", {"data/members/x.yaml": BAD_YAML})
    root = tmp_path / "root"
    root.mkdir()
    _link(root, "data", real / "data")
    result = scan(root)
    assert result.records == []
    assert [(p.path, p.code, p.message) for p in result.problems] == [
        ("data", codes.SYMLINK, "`data` is a symbolic link")
    ]
    cli = run(root, "validate")
    assert cli.stdout == "data:1:1: error OGP021 `data` is a symbolic link\n"
    assert cli.exit_code == 1


# --- case clashes ---------------------------------------------------------------------


def _case_sensitive(folder: Path) -> bool:
    (folder / "probe").write_text("")
    sensitive = not (folder / "PROBE").exists()
    (folder / "probe").unlink()
    return sensitive


@pytest.fixture
def case_sensitive(tmp_path):
    if not _case_sensitive(tmp_path):
        pytest.skip("this filesystem ignores case: two such files cannot exist")


@pytest.mark.usefixtures("case_sensitive")
def test_case_clash_between_members(dataset):
    root = dataset({"data/members/France.yaml": MEMBER})
    found = {(p.path, p.code): p.message for p in scan(root).problems}
    assert found == {
        ("data/members/France.yaml", codes.BAD_ID): found[
            ("data/members/France.yaml", codes.BAD_ID)
        ],
        ("data/members/france.yaml", codes.CASE_CLASH): (
            "same name as data/members/France.yaml but for case: one file on macOS and Windows"
        ),
    }


@pytest.mark.usefixtures("case_sensitive")
def test_action_folders_differing_in_case(dataset):
    """Ids are lowercase, so the upper-case twin is already refused as a bad id."""
    root = dataset({"data/actions/Open-Contracting/action.yaml": "title: x\n"})
    result = scan(root)
    assert problems(root) == [("data/actions/Open-Contracting", codes.BAD_ID)]
    assert all(key.action == "open-contracting" for key in result.records if key.action)


@pytest.mark.usefixtures("case_sensitive")
def test_case_clash_is_reported_by_validate(dataset, run):
    root = dataset({f"{A}/updates/2017-06-01-France.yaml": "completion: limited\nsummary: x\n"})
    result = run(root, "validate")
    assert (
        f"{A}/updates/2017-06-01-france.yaml:1:1: error OGP024 same name as "
        f"{A}/updates/2017-06-01-France.yaml but for case" in result.stdout
    )
    assert result.exit_code == 1


def test_scan_order_is_by_path(dataset):
    root = dataset(
        {
            "data/members/zz.yml": MEMBER,
            "data/members/aa.yml": MEMBER,
            "data/actions/b.txt": "x",
            "data/actions/a.txt": "x",
        }
    )
    paths = [p.path for p in scan(root).problems]
    assert paths == [
        "data/actions/a.txt",
        "data/actions/b.txt",
        "data/members/aa.yml",
        "data/members/zz.yml",
    ]
