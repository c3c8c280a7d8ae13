"""`ogpctl show ID`: an action or a member in full, with its history; unknown ids."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import ACTION, MEMBER_CSO, MEMBER_GOV, PART_GOV, REPO, DatasetFactory, Run

HOSTILE = "[bold red]Evil[/] \x1b[31mred"

# The baseline (conftest) plus a pledge with its NAP link, a later update by the CSO that
# moves the milestone on, a French title, and a member whose name tries markup and escapes.
FILES = {
    ACTION: (
        "number: 1\n"
        "title: {en: Open contracting, fr: Commande publique ouverte}\n"
        "theme: transparency-integrity-anticorruption\n"
        "summary: {en: Publish contracting data with OCDS.}\n"
        "status: active\n"
        "launched: 2016-12-07\n"
        "leaders: {government: france, civil_society: transparency-international}\n"
        "working_group: anti-corruption\n"
        "standards: [ocds]\n"
        "milestones:\n"
        "  - {id: publish-data, title: Publish contracting data, due: 2017-12-31}\n"
        "  - {id: train-staff, title: Train staff}\n"
        "resources:\n"
        "  - {title: OCDS guide, url: 'https://standard.open-contracting.org/', type: guide}\n"
    ),
    PART_GOV: (
        "joined: 2016-12-07\n"
        "contribution: Publish all contracts above 25k EUR\n"
        "national_action_plan:\n"
        "  plan: NAP 2018-2020\n"
        "  commitment: Commitment 5\n"
        "  url: https://example.org/nap\n"
    ),
    "data/actions/open-contracting/updates/2017-08-01-transparency-international.yaml": (
        "completion: substantial\n"
        "summary: Portal launched.\n"
        "milestones: {publish-data: substantial}\n"
        "evidence: ['https://example.org/portal']\n"
    ),
    "data/members/evil.yaml": f'name: "{HOSTILE.replace(chr(27), chr(92) + "e")}"\ntype: other\n',
    "data/actions/open-contracting/participants/evil.yaml": "joined: 2017-01-01\n",
}


@pytest.fixture
def root(dataset: DatasetFactory) -> Path:
    return dataset(FILES)


def test_action_in_full(root: Path, run: Run) -> None:
    result = run(root, "--no-color", "show", "open-contracting")
    assert result.exit_code == 0
    out = result.stdout
    for expected in (
        "#1 open-contracting",
        "Open contracting",
        "Publish contracting data with OCDS.",
        "France (france)",  # the government lead, by name and id
        "Transparency International (transparency-international)",
        "Publish all contracts above 25k EUR",
        "National Action Plan: NAP 2018-2020, Commitment 5",
        "https://example.org/nap",
        "Publish contracting data (publish-data)",
        "██░ substantial",  # the milestone's latest completion …
        "not reported",  # … and one no update has named
        "Portal launched.",
        "https://example.org/portal",
        "every 6 months; last 2017-08-01",
        "OCDS guide (guide)",
    ):
        assert expected in out, expected
    assert out.index("Data standard adopted.") < out.index("Portal launched.")  # oldest first
    assert re.search(r"next update due +2018-02-01 *\n", out)  # not late
    assert max(len(line) for line in out.splitlines()) <= 80


def test_action_as_json(root: Path, run: Run) -> None:
    result = run(root, "show", "open-contracting", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert (document["kind"], document["id"], document["number"]) == (
        "action",
        "open-contracting",
        1,
    )
    assert document["title"] == {"en": "Open contracting", "fr": "Commande publique ouverte"}
    assert document["milestones"][0] == {
        "id": "publish-data",
        "title": {"en": "Publish contracting data"},
        "due": "2017-12-31",
        "completion": "substantial",
        "reported": "2017-08-01",
    }
    assert document["monitoring"] == {
        "update_every_months": 6,
        "last_update": "2017-08-01",
        "completion": "substantial",
        "next_update_due": "2018-02-01",
        "overdue": False,
    }
    france = next(p for p in document["participants"] if p["member"] == "france")
    assert france["roles"] == ["participant", "government-leader"]
    assert france["national_action_plan"]["url"] == "https://example.org/nap"
    assert [(u["published"], u["member"]) for u in document["updates"]] == [
        ("2017-06-01", "france"),
        ("2017-08-01", "transparency-international"),
    ]


def test_member_in_full(root: Path, run: Run) -> None:
    result = run(root, "--no-color", "show", "france")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("france\nFrance\n")
    assert "national-government" in out and "FR" in out
    assert "Open contracting (open-contracting)" in out
    assert "takes part, leads (gov)" in out
    assert "Publish all contracts above 25k EUR" in out
    assert "Data standard adopted." in out  # its own update …
    assert "Portal launched." not in out  # … not the CSO's


def test_member_as_json(root: Path, run: Run) -> None:
    result = run(root, "show", "transparency-international", "-f", "json")
    document = json.loads(result.stdout)
    assert (document["kind"], document["acronym"]) == ("member", "TI")
    assert [(a["action"], a["roles"]) for a in document["actions"]] == [
        ("open-contracting", ["participant", "civil-society-leader"])
    ]
    assert [u["published"] for u in document["updates"]] == ["2017-08-01"]


def test_late_update_says_since_when(root: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGPCTL_TODAY", "2019-02-01")
    out = run(root, "--no-color", "show", "open-contracting").stdout
    assert re.search(r"next update due +2018-02-01, late by 365 days", out)
    document = json.loads(run(root, "show", "open-contracting", "-f", "json").stdout)
    assert document["monitoring"]["overdue"] is True


def test_title_in_the_language_asked_for(root: Path, run: Run) -> None:
    out = run(root, "show", "open-contracting", "--lang", "fr").stdout
    assert "Commande publique ouverte" in out
    assert "Publish contracting data with OCDS." in out  # no French: the default language


def test_markup_and_escapes_in_names_print_literally(root: Path, run: Run) -> None:
    for args in (("show", "evil"), ("show", "open-contracting")):
        out = run(root, *args).stdout
        assert "[bold red]Evil[/] \\u001b[31mred" in out
        assert "\x1b" not in out


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ("frnace", "no action or member 'frnace'; did you mean 'france'?"),
        ("open-contract", "no action or member 'open-contract'; did you mean 'open-contracting'?"),
        ("member:open-contracting", "no member 'open-contracting'"),
        ("action:france", "no action 'france'"),
        (
            "zzz",
            "no action or member 'zzz' (`ogpctl status` lists the actions; "
            "the members are the files in data/members/)",
        ),
        ("member:zzz", "no member 'zzz' (the members are the files in data/members/)"),
    ],
)
def test_unknown_id_is_exit_1_with_the_nearest_ids(
    root: Path, run: Run, wanted: str, message: str
) -> None:
    result = run(root, "show", wanted)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert message in result.stderr


def test_an_id_of_both_kinds_needs_a_prefix(dataset: DatasetFactory, run: Run) -> None:
    root = dataset({"data/members/open-contracting.yaml": "name: OCP\ntype: civil-society\n"})
    result = run(root, "show", "open-contracting")
    assert result.exit_code == 2
    assert "both an action and a member: write action:open-contracting" in result.stderr
    assert run(root, "--no-color", "show", "member:open-contracting").stdout.startswith(
        "open-contracting\nOCP\n"
    )
    assert "#1 open-contracting" in run(root, "show", "action:open-contracting").stdout


@pytest.mark.parametrize("wanted", ["thing:france", "member:", ""])
def test_malformed_id_is_a_usage_error(root: Path, run: Run, wanted: str) -> None:
    result = run(root, "show", wanted)
    assert result.exit_code == 2
    assert "write ID, action:ID or member:ID" in result.stderr


def test_invalid_record_is_exit_1(dataset: DatasetFactory, run: Run) -> None:
    root = dataset({MEMBER_GOV: "name: France\ntype: nation\n"})
    result = run(root, "show", "france")
    assert result.exit_code == 1
    assert "data/members/france.yaml is invalid: see `ogpctl validate" in result.stderr


def test_shown_despite_another_invalid_file_but_exit_1(dataset: DatasetFactory, run: Run) -> None:
    root = dataset({MEMBER_CSO: "name: TI\ntype: charity\n"})
    result = run(root, "show", "france")
    assert result.exit_code == 1
    assert "France" in result.stdout
    assert "the dataset has 1 error" in result.stderr


@pytest.mark.parametrize(
    "wanted", ["open-public-procurement", "france", "transparency-international"]
)
@pytest.mark.parametrize("output_format", ["table", "json"])
def test_shipped_data(run: Run, wanted: str, output_format: str) -> None:
    result = run(REPO, "show", wanted, "--format", output_format)
    assert result.exit_code == 0
    if output_format == "json":
        assert json.loads(result.stdout)["id"] == wanted
    else:
        lines = result.stdout.splitlines()
        assert max(len(line) for line in lines if "https://" not in line) <= 80
        assert all(
            line.startswith(("  https://", "- https://")) for line in lines if len(line) > 80
        )


def test_at_80_columns_no_id_or_address_is_split_and_no_line_is_padded(
    dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "https://example.org/" + "a-very-long-path/" * 6 + "source.pdf"
    long_member = "freedom-of-information-center-of-armenia"
    files = {
        **FILES,
        ACTION: FILES[ACTION] + f"sources:\n  - url: {url}\n    title: The source\n",
        f"data/members/{long_member}.yaml": "name: Freedom of Information Center\ntype: other\n",
        f"data/actions/open-contracting/participants/{long_member}.yaml": "joined: 2017-01-01\n",
    }
    monkeypatch.setenv("COLUMNS", "80")
    result = run(dataset(files), "--no-color", "show", "open-contracting")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"  {url}" in lines  # whole, on a line of its own, however long
    assert any(f"({long_member})" in line for line in lines)
    assert not any(line.endswith(" ") for line in lines)
    assert max(len(line) for line in lines if url not in line) <= 80


def _shipped_ids() -> list[str]:
    data = REPO / "data"
    actions = sorted(p.parent.name for p in data.glob("actions/*/action.yaml"))
    members = sorted(p.stem for p in data.glob("members/*.yaml"))
    return [f"action:{a}" for a in actions] + [f"member:{m}" for m in members[::7]]


SHIPPED = _shipped_ids()


@pytest.mark.parametrize("wanted", [*SHIPPED, "no-such-id", "member:open-contract"])
def test_show_reads_only_its_records_and_finds_the_same(wanted: str) -> None:
    """On the shipped data: `find` on the few records `dataset_for` reads is `find` on all."""
    from datetime import date

    from ogpctl import show
    from ogpctl.check.load import load
    from ogpctl.errors import NotFound
    from ogpctl.store.config import load_settings

    settings = load_settings(REPO)
    full, _ = load(REPO, settings)
    some = show.dataset_for(REPO, settings, wanted)
    today = date(2026, 11, 30)

    def found(dataset: object) -> object:
        try:
            return show.find(dataset, wanted, today, "en").as_dict()  # type: ignore[arg-type]
        except NotFound as err:
            return str(err)

    assert found(some) == found(full)
    paths = sorted(key.path for key in full.files)  # as a validation names them: no scan
    assert found(show.dataset_for(REPO, settings, wanted, paths)) == found(full)
    held = len(some.members) + len(some.actions) + len(some.updates) + len(some.participants)
    if wanted.startswith("member:") and wanted in SHIPPED:  # and every action, for leaders
        assert len(some.members) == 1
    elif wanted.startswith("action:"):
        assert held < len(full.members) // 2
