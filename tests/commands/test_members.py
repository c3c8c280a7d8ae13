"""`ogpctl members`, `ogpctl show NUMBER`, and former participants in `status` and `show`."""

from __future__ import annotations

import json

from helpers import PART_CSO, URUGUAY, DatasetFactory, Run

OC = "data/actions/open-contracting"
LEFT = {
    **URUGUAY,
    f"{OC}/participants/uruguay.yaml": "joined: 2017-01-01\nleft: 2017-02-01\n",
    "data/members/scotland.yaml": (
        "name: Scotland\ntype: subnational-government\ncountry: GB\nsubdivision: GB-SCT\n"
    ),
}


def test_members_table_counts_current_and_former_actions(dataset: DatasetFactory, run: Run):
    result = run(dataset(LEFT), "members")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "member                      name                        type         country  actions",
        "france                      France                      government   FR       1",
        "scotland                    Scotland                    subnational  GB       0",
        "transparency-international  Transparency International  CSO                   1",
        "uruguay                     Uruguay                     government   UY       0 (+1 left)",
        "4 members",
    ]


def test_members_filters_and_json(dataset: DatasetFactory, run: Run):
    root = dataset(LEFT)
    result = run(root, "members", "--type", "national-government", "--country", "uy",
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"id": "uruguay", "name": "Uruguay", "type": "national-government", "country": "UY",
         "actions": 0, "former_actions": 1}
    ]  # fmt: skip
    listed = run(root, "members", "--action", "open-contracting", "--format", "csv").stdout
    assert listed.splitlines() == [
        "id,name,type,country,actions,former_actions",
        "france,France,national-government,FR,1,0",
        "transparency-international,Transparency International,civil-society,,1,0",
        "uruguay,Uruguay,national-government,UY,0,1",
    ]


def test_members_of_an_unknown_action(dataset: DatasetFactory, run: Run):
    result = run(dataset(LEFT), "members", "--action", "open-contractin")
    assert result.exit_code == 1
    assert "no action 'open-contractin' (did you mean 'open-contracting'?)" in result.stderr


def test_members_lists_the_valid_ones_and_exits_1_on_errors(dataset: DatasetFactory, run: Run):
    result = run(dataset({**LEFT, PART_CSO: "joined: nope\n"}), "members", "--format", "csv")
    assert result.exit_code == 1
    assert "france" in result.stdout
    assert "only the members that are valid are listed" in result.stderr


def test_show_by_number_and_former_participants(dataset: DatasetFactory, run: Run):
    root = dataset(LEFT)
    by_number = run(root, "show", "1", "--format", "json")
    assert by_number.exit_code == 0, by_number.output
    assert by_number.stdout == run(root, "show", "open-contracting", "--format", "json").stdout
    table = run(root, "show", "1").stdout
    assert "Participants (2), and 1 former" in table
    assert "2017-01-01, left 2017-02-01" in table
    missing = run(root, "show", "7")
    assert missing.exit_code == 1
    assert "no action numbered 7" in missing.stderr


def test_status_counts_current_participants(dataset: DatasetFactory, run: Run):
    data = json.loads(run(dataset(LEFT), "status", "--format", "json").stdout)
    assert data["actions"][0]["national_governments"] == 1  # uruguay left
    assert data["totals"]["participations"] == 2
