"""`ogpctl validate`: one test per exit code, scoping by PATH, output formats and streams."""

from __future__ import annotations

import json
import os

import pytest
from helpers import ACTION, MEMBER_GOV, PART_CSO, UPDATE

OC = "data/actions/open-contracting"
SPAIN = "data/members/spain.yaml"
SPAIN_TEXT = "name: Spain\ntype: national-government\ncountry: ES\n"  # in no action: OGP303


# --- exit codes -----------------------------------------------------------------------


def test_exit_0_when_valid(dataset, run):
    result = run(dataset(), "validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "valid: 6 files checked, 0 errors, 0 warnings\n"


def test_exit_0_with_warnings_only(dataset, run):
    result = run(dataset({SPAIN: SPAIN_TEXT}), "validate")
    assert result.exit_code == 0
    assert result.stdout == f"{SPAIN}:1:1: warning OGP303 'spain' takes part in no action\n"
    assert result.stderr == "valid: 7 files checked, 0 errors, 1 warning (OGP303 ×1)\n"


def test_exit_1_with_an_error(dataset, run):
    result = run(
        dataset({MEMBER_GOV: "name: France\ntype: national-government\ncountry: XX\n"}), "validate"
    )
    assert result.exit_code == 1
    assert result.stdout == (
        f"{MEMBER_GOV}:3:10: error OGP105 country: 'XX' is not an ISO 3166-1 alpha-2 country "
        "code (for example 'FR')\n"
    )
    assert result.stderr == "INVALID: 6 files checked, 1 error, 0 warnings (OGP105 ×1)\n"


@pytest.mark.parametrize(
    ("path", "text", "hidden"),
    [
        (
            f"{OC}/updates/2017-06-01-france.yaml",
            "completion: completed\nsummary: x\nmilestones:\n  publish-dat: limited\n",
            "OGP205 milestone 'publish-dat' is not a milestone of open-contracting",
        ),
        (
            f"{OC}/updates/2017-06-01-frnace.yaml",
            "completion: completed\nsummary: x\n",
            "OGP204 author 'frnace' is not a member (did you mean 'france'?)",
        ),
        (
            f"{OC}/participants/spain.yaml",
            "joined: 2016-12-07\ncontribution: [not, text]\n",
            "OGP201 member 'spain' does not exist",
        ),
    ],
)
@pytest.mark.parametrize("options", [(), ("--no-cache",)])
def test_an_invalid_field_does_not_hide_the_files_other_errors(
    dataset, run, path, text, hidden, options
):
    """One pass: the record's valid fields take part in the cross-file checks."""
    result = run(dataset({path: text}), "validate", *options)
    assert result.exit_code == 1
    assert hidden in result.stdout
    assert result.stdout.count("error OGP") == 2


def test_exit_2_for_an_unknown_option(dataset, run):
    result = run(dataset(), "validate", "--bogus")
    assert result.exit_code == 2
    assert "No such option: --bogus" in result.stderr
    assert result.stdout == ""


def test_exit_2_for_an_unknown_format(dataset, run):
    result = run(dataset(), "validate", "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not allowed; use one of 'auto', 'github', 'json', 'text'" in result.stderr
    assert "Value error" not in result.stderr


def test_exit_2_for_a_path_that_does_not_exist(dataset, run):
    root = dataset()
    missing = root / "data/members/nobody.yaml"
    result = run(root, "validate", str(missing))
    assert result.exit_code == 2
    assert result.stderr == f"ogpctl: {missing}: no such file or folder\n"
    assert result.stdout == ""


def test_exit_2_for_a_path_outside_the_dataset(dataset, run, tmp_path):
    root = dataset()
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("name: X\n")
    result = run(root, "validate", str(elsewhere))
    assert result.exit_code == 2
    assert result.stderr == f"ogpctl: {elsewhere} is outside the dataset at {root}\n"


def test_exit_2_for_a_bad_pinned_today(dataset, run, monkeypatch):
    monkeypatch.setenv("OGPCTL_TODAY", "01/09/2017")
    result = run(dataset(), "validate")
    assert result.exit_code == 2
    assert result.stderr == "ogpctl: OGPCTL_TODAY='01/09/2017' is not a date; use YYYY-MM-DD\n"


def test_exit_3_when_the_root_is_not_a_folder(tmp_path, run):
    missing = tmp_path / "nowhere"
    result = run(missing, "validate")
    assert result.exit_code == 3
    assert result.stderr == f"ogpctl: dataset root {missing} is not a folder\n"
    assert result.stdout == ""


def test_exit_3_when_no_dataset_is_found_upwards(tmp_path, run, monkeypatch):
    empty = tmp_path / "empty" / "deeper"
    empty.mkdir(parents=True)
    monkeypatch.chdir(empty)
    result = run(None, "validate")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"ogpctl: no dataset here: neither {empty} nor a parent ")
    assert "(use --root PATH, or `ogpctl init` to start one)" in result.stderr


def test_exit_3_when_root_holds_no_dataset(tmp_path, run):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(empty, "validate")
    assert result.exit_code == 3


def test_exit_3_for_a_broken_config(dataset, run):
    result = run(dataset({"ogpctl.toml": "[dataset]\nlanguage = 'en'\n"}), "validate")
    assert result.exit_code == 3
    assert result.stderr.startswith("ogpctl: ogpctl.toml: unknown key 'language'")


# --- finding the root -----------------------------------------------------------------


def test_root_found_from_a_subfolder(dataset, run, monkeypatch):
    root = dataset({SPAIN: SPAIN_TEXT})
    monkeypatch.chdir(root / OC / "participants")
    result = run(None, "validate")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{SPAIN}:1:1: warning OGP303")


def test_root_from_the_environment(dataset, run, monkeypatch):
    root = dataset({SPAIN: SPAIN_TEXT})
    monkeypatch.setenv("OGPCTL_ROOT", str(root))
    result = run(None, "validate")
    assert result.stdout.startswith(f"{SPAIN}:1:1: warning OGP303")


def test_dataset_without_config_is_found_by_its_data_folder(dataset, run, monkeypatch):
    root = dataset({"ogpctl.toml": None})
    monkeypatch.chdir(root / "data")
    result = run(None, "validate")
    assert (result.exit_code, result.stderr) == (
        0,
        "valid: 6 files checked, 0 errors, 0 warnings\n",
    )


# --- validate PATH --------------------------------------------------------------------


@pytest.fixture
def two_problems(dataset):
    """An error in a member file; a cross-file error in the action (a leader not taking
    part, who is then in no action: a warning); a member in no action (a warning)."""
    return dataset(
        {
            MEMBER_GOV: "name: France\ntype: national-government\ncountry: XX\n",
            PART_CSO: None,
            SPAIN: SPAIN_TEXT,
        }
    )


def test_path_limits_the_report_to_that_file(two_problems, run):
    result = run(two_problems, "validate", str(two_problems / MEMBER_GOV))
    assert result.stdout.startswith(f"{MEMBER_GOV}:3:10: error OGP105")
    assert result.stdout.count("\n") == 1
    assert result.stderr == "INVALID: 1 file checked, 1 error, 0 warnings (OGP105 ×1)\n"
    assert result.exit_code == 1


def test_path_still_applies_cross_file_rules(two_problems, run):
    """The action file is fine on its own; the rule across files still fails it."""
    result = run(two_problems, "validate", str(two_problems / ACTION))
    assert result.stdout.startswith(f"{ACTION}:9:18: error OGP202 leaders.civil_society: ")
    assert result.stdout.count("\n") == 1
    assert result.exit_code == 1


def test_path_of_a_folder(two_problems, run):
    result = run(two_problems, "validate", str(two_problems / OC))
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [ACTION]
    assert result.stderr.startswith("INVALID: 3 files checked, 1 error")


def test_path_with_only_warnings_exits_0(two_problems, run):
    result = run(two_problems, "validate", str(two_problems / SPAIN))
    assert result.exit_code == 0
    assert result.stdout == f"{SPAIN}:1:1: warning OGP303 'spain' takes part in no action\n"


def test_path_of_a_clean_file_exits_0(two_problems, run):
    result = run(two_problems, "validate", str(two_problems / UPDATE))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "valid: 1 file checked, 0 errors, 0 warnings\n"


def test_several_paths_and_relative_paths(two_problems, run, monkeypatch):
    monkeypatch.chdir(two_problems)
    result = run(two_problems, "validate", MEMBER_GOV, SPAIN)
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [MEMBER_GOV, SPAIN]


def test_path_of_the_root_is_everything(two_problems, run):
    everything = run(two_problems, "validate")
    assert run(two_problems, "validate", str(two_problems)).stdout == everything.stdout
    assert everything.stdout.count("\n") == 4


def test_path_of_a_stray_file_reports_it(dataset, run):
    root = dataset({"data/members/spain.yml": SPAIN_TEXT})
    result = run(root, "validate", str(root / "data/members/spain.yml"))
    assert result.stdout.startswith("data/members/spain.yml:1:1: error OGP020")
    assert result.exit_code == 1


# --- formats and streams --------------------------------------------------------------


def test_json_on_stdout_and_summary_on_stderr(two_problems, run):
    result = run(two_problems, "validate", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert (document["checked"], document["errors"], document["warnings"]) == (6, 2, 2)
    assert document["problems"][0] == {
        "path": ACTION,
        "line": 9,
        "column": 18,
        "code": "OGP202",
        "severity": "error",
        "message": document["problems"][0]["message"],
    }
    assert [p["code"] for p in document["problems"]] == ["OGP202", "OGP105", "OGP303", "OGP303"]
    assert result.stderr.startswith("INVALID: 6 files checked, 2 errors, 2 warnings")
    assert "INVALID" not in result.stdout


def test_json_of_a_valid_dataset(dataset, run):
    result = run(dataset(), "validate", "-f", "json")
    assert json.loads(result.stdout) == {
        "ok": True,
        "checked": 6,
        "errors": 0,
        "warnings": 0,
        "problems": [],
    }
    assert result.exit_code == 0


def test_github_annotations(two_problems, run):
    result = run(two_problems, "validate", "--format", "github")
    lines = result.stdout.splitlines()
    assert lines[1] == (
        f"::error file={MEMBER_GOV},line=3,col=10,title=OGP105::country: 'XX' is not an "
        "ISO 3166-1 alpha-2 country code (for example 'FR')"
    )
    assert lines[2] == (
        f"::warning file={SPAIN},line=1,col=1,title=OGP303::'spain' takes part in no action"
    )
    assert result.exit_code == 1


def test_text_is_the_default_format(two_problems, run):
    assert (
        run(two_problems, "validate").stdout == run(two_problems, "validate", "-f", "text").stdout
    )


# --- no traceback for bad data --------------------------------------------------------

JUNK: dict[str, str | bytes | None] = {
    "data/members/a.yaml": b"\x00\x01\x02\xff\xfe",
    "data/members/b.yaml": "name: !!python/object/apply:os.system ['true']\n",
    "data/members/c.yaml": "[" * 10_000,
    "data/members/d.yaml": "name: &x [*x]\n",
    "data/members/e.yaml": "? [a]\n: b\n",
    "data/members/f.yaml": "name:\n  en: {nested: [1, 2]}\ntype: 12\ncountry: [FR]\n",
    "data/members/g.yaml": "name: X\ntype: subnational-government\ncountry: 1\nsubdivision: 2\n",
    "data/members/h.yaml": "sources: [{url: 1, retrieved: true}]\nmaintainers: [1, null]\n",
    f"{OC}/action.yaml": "leaders: [a, b]\nmilestones: {a: 1}\nnumber: -1\ntheme: {}\n",
    f"{OC}/participants/france.yaml": "joined: null\nnational_action_plan: 3\n",
    UPDATE: "period: 2017\nmilestones: [a]\ncompletion: {x: 1}\nsummary: {en: [1]}\n",
    f"{OC}/updates/2017-06-02-france.yaml": "evidence: {a: b}\nperiod: {start: 1, end: x}\n",
    "data/actions/x/action.yaml": '1: 2\n"": 3\n',
    "data/members/i.yaml": "\ufeff\ufeffname: x\n",
    "data/members/j.yaml": 'name: "\\ud800"\ntype: other\n',
}


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_no_traceback_for_bad_data(dataset, run, fmt):
    result = run(dataset(JUNK), "validate", "--format", fmt)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for path in JUNK:
        assert path in result.stdout, path


def test_validate_writes_nothing(dataset, run):
    root = dataset({SPAIN: SPAIN_TEXT})
    before = sorted((p, p.stat().st_mtime_ns) for p in root.rglob("*"))
    run(root, "validate")
    assert sorted((p, p.stat().st_mtime_ns) for p in root.rglob("*")) == before
    assert not any(name.startswith(".") for name in os.listdir(root))
