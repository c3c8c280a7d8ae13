"""The shipped dataset: valid, canonical, reproducible from sources/, and faithful to them.

The source checks read the Etalab files on their own (not through the build script or the
curated facts), so a mistake in either shows up here.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pycountry
from helpers import REPO

from ogpctl.check.record_file import parse
from ogpctl.check.validate import Report, check_dataset
from ogpctl.model.dataset import Dataset
from ogpctl.store.canonical import dump
from ogpctl.store.config import load_settings
from ogpctl.store.scan import scan

DATA = REPO / "data"
ETALAB = REPO / "sources" / "etalab-carto-actions-collectives"
EXPECTED_WARNINGS = {"OGP301", "OGP302", "OGP303"}


@cache
def checked() -> tuple[Dataset, Report]:
    return check_dataset(REPO, date.today())


def generated_files(data: Path) -> dict[str, bytes]:
    """Every file the build script writes (all of data/ but the hand-written README)."""
    return {
        path.relative_to(data).as_posix(): path.read_bytes()
        for folder in ("members", "actions")
        for path in sorted((data / folder).rglob("*"))
        if path.is_file()
    }


def by_number(dataset: Dataset) -> dict[int, str]:
    return {a.record.number: action_id for action_id, a in dataset.actions.items()}


def members_of(dataset: Dataset, action_id: str, *types: str) -> set[str]:
    return {
        member
        for member in dataset.participants.get(action_id, {})
        if dataset.members[member].record.type in types
    }


def countries_of(dataset: Dataset, action_id: str) -> set[str]:
    return {
        dataset.members[m].record.country
        for m in members_of(dataset, action_id, "national-government")
    }


def read_csv(name: str) -> list[list[str]]:
    with (ETALAB / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def iso(name: str) -> str:
    """The map's country names are Natural Earth's; only `Macedonia` is not an ISO name."""
    return "MK" if name == "Macedonia" else pycountry.countries.lookup(name).alpha_2


def pays_clean() -> dict[int, tuple[str, set[str]]]:
    """Action number → (title, ISO codes of the countries with a 1), from pays_clean.csv."""
    header, *rows = read_csv("pays_clean.csv")
    result = {}
    for column, text in enumerate(header[1:], start=1):
        number, title = text.removeprefix("#").split(". ", 1)
        result[int(number)] = (title, {iso(row[0]) for row in rows if row[column] == "1"})
    return result


# --- validity -------------------------------------------------------------------------


def test_shipped_data_has_no_errors() -> None:
    _, report = checked()
    errors = [p for p in report.problems if p.severity == "error"]
    assert report.checked > 0
    assert errors == []


def test_only_expected_warnings() -> None:
    _, report = checked()
    assert {p.code for p in report.problems} <= EXPECTED_WARNINGS


def test_settings() -> None:
    settings = load_settings(REPO)
    assert (settings.default_language, settings.update_every_months) == ("en", 6)
    assert settings.name


def test_every_participant_is_a_member() -> None:
    dataset, _ = checked()
    for action_id, members in dataset.participants.items():
        for member in members:
            assert member in dataset.members, f"{action_id}/{member}"


def test_every_record_has_sources() -> None:
    dataset, _ = checked()
    records = [*dataset.members.values(), *dataset.actions.values()]
    records += [p for members in dataset.participants.values() for p in members.values()]
    # Malawi's membership comes from general knowledge only (see data/README.md).
    assert [r.key.path for r in records if not r.record.sources] == ["data/members/malawi.yaml"]


# --- canonical and reproducible -------------------------------------------------------


def test_every_file_round_trips_byte_for_byte() -> None:
    found = scan(REPO)
    assert found.problems == []
    assert found.records
    for key in found.records:
        raw = (REPO / key.path).read_bytes()
        loaded, problems = parse(key, raw, "en")
        assert loaded is not None, problems
        assert dump(key.kind, loaded.record).encode("utf-8") == raw, key.path


def test_build_script_reproduces_data(tmp_path: Path) -> None:
    script = REPO / "scripts" / "build_dataset.py"
    for _ in range(2):  # a second run over the first must change nothing
        subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True)
    rebuilt, shipped = generated_files(tmp_path / "data"), generated_files(DATA)
    assert sorted(rebuilt) == sorted(shipped)
    assert [path for path in shipped if rebuilt[path] != shipped[path]] == []


def test_build_script_removes_stale_records(tmp_path: Path) -> None:
    stale = tmp_path / "data" / "members" / "no-such-member.yaml"
    stale.parent.mkdir(parents=True)
    stale.write_text("name: x\n", encoding="utf-8")
    script = REPO / "scripts" / "build_dataset.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True)
    assert not stale.exists()


# --- faithful to the sources ----------------------------------------------------------


def test_twenty_actions_with_the_map_titles() -> None:
    dataset, _ = checked()
    numbers = by_number(dataset)
    assert sorted(numbers) == list(range(1, 21))
    # The map's slip in #18 is corrected from OGP's own wording (see data/README.md).
    assert pays_clean()[18][0] == "Guidelines principles for open data policies"
    for number, (title, _) in pays_clean().items():
        shipped = dataset.actions[numbers[number]].record.title["en"]
        expected = title.replace("strenghten", "strengthen")
        if number == 18:
            expected = "Guiding principles for open data policies"
        assert shipped == expected


def summit_fr_headings() -> list[str]:
    """The headings of the bullet list of the French summit page, in page order."""
    text = (REPO / "sources" / "summit-texts" / "declaration-de-paris.fr.txt").read_text(
        encoding="utf-8"
    )
    bullets = [line.strip() for line in text.splitlines() if line.strip().startswith("•")]
    return [line.removeprefix("•").split(" : ")[0].strip() for line in bullets]


def test_french_titles_are_the_summit_headings() -> None:
    headings = summit_fr_headings()
    assert len(headings) == 4
    dataset, _ = checked()
    french = {a: s.record.title["fr"] for a, s in dataset.actions.items() if "fr" in s.record.title}
    assert french == {
        "open-public-procurement": headings[0],
        "ending-abuse-anonymous-companies": headings[1],
        "open-source-software-policy": headings[3],
    }
    assert french["open-source-software-policy"] == "Créer une politique «\u00a0open source\u00a0»"
    # The third heading matches no single action of the map (data/README.md says why).
    assert headings[2].startswith("L’ouverture des données au service du développement durable")
    for action in french:
        urls = {s.url for s in dataset.actions[action].record.sources}
        assert "https://fr.ogpsummit.org/paris-declaration/" in urls


def test_countries_of_every_action_are_the_ones_of_pays_clean() -> None:
    dataset, _ = checked()
    numbers = by_number(dataset)
    for number, (_, countries) in pays_clean().items():
        assert countries_of(dataset, numbers[number]) == countries, f"#{number}"


def test_indonesia_is_in_action_8_only_in_the_cleaned_file() -> None:
    header, *rows = read_csv("pays.csv")
    column = next(i for i, text in enumerate(header) if text.startswith("8."))
    assert [row[0] for row in rows if row[column] == "1"] == []
    dataset, _ = checked()
    assert countries_of(dataset, "natural-resources-open-contracts") == {"ID"}


def test_ending_abuse_of_anonymous_companies_matches_the_summit() -> None:
    dataset, _ = checked()
    action = "ending-abuse-anonymous-companies"
    assert dataset.actions[action].record.number == 2
    assert countries_of(dataset, action) == {"ES", "FR", "GB", "PY", "UA", "US"}
    assert len(members_of(dataset, action, "civil-society")) == 8


def amelie_counts() -> dict[int, int]:
    """Entries per action in associations_amelie.csv: numbered lines `N) …`, or plain lines
    where a cell is not numbered; a line that does not start a number continues a name."""
    _, *rows = read_csv("associations_amelie.csv")
    counts = {}
    for title, cell in rows:
        if not title[0].isdigit():
            continue  # the theme row
        lines = [line for line in cell.splitlines() if line.strip()]
        numbered = [line for line in lines if re.match(r"\d+\) ", line)]
        counts[int(title.split(".")[0])] = len(numbered) or len(lines)
    return counts


def test_organisations_per_action_follow_the_map() -> None:
    expected = amelie_counts()
    expected[9] -= 1  # "The Legislative Openness Work": a working group, dropped
    expected[13] = 0  # a copy of #14's list, not copied
    expected[4] += 1  # Directorio Legislativo, in the map script only
    expected[8] += 3  # WRI, NRGI, the Carter Center, in the map script only
    dataset, _ = checked()
    numbers = by_number(dataset)
    found = {n: len(members_of(dataset, numbers[n], "civil-society", "other")) for n in expected}
    assert found == expected
    assert found[1] == 14  # "Hivos Open Contracting" is the only Hivos in #1


def test_non_cso_entries_are_typed_other() -> None:
    dataset, _ = checked()
    others = {m for m, member in dataset.members.items() if member.record.type == "other"}
    assert others == {"pan-african-parliament", "european-commission-osor", "telefonica"}


def test_subnational_pioneers() -> None:
    dataset, _ = checked()
    pioneers = {
        m: member.record
        for m, member in dataset.members.items()
        if member.record.type == "subnational-government"
    }
    assert len(pioneers) == 15
    assert pioneers["paris"].subdivision == "FR-75C"
    assert pioneers["madrid"].subdivision is None  # no ISO code for the city itself


# --- data/README.md figures ------------------------------------------------------------


def readme_block(name: str) -> str:
    text = (DATA / "README.md").read_text(encoding="utf-8")
    return text.split(f"<!-- {name} -->")[1].split(f"<!-- /{name} -->")[0]


def table(name: str) -> dict[str, str]:
    """First column → second column of the README table between the `name` markers."""
    rows = [line.split("|")[1:3] for line in readme_block(name).splitlines()[3:]]
    return {key.strip(): value.strip() for key, value in rows}


def test_readme_figures_are_the_data() -> None:
    dataset, _ = checked()
    taking_part = Counter(
        dataset.members[m].record.type
        for m in {m for members in dataset.participants.values() for m in members}
    )

    def action_row(action: str, other: bool) -> str:
        csos = len(members_of(dataset, action, "civil-society"))
        cells = [
            str(len(members_of(dataset, action, "national-government"))),
            str(len(members_of(dataset, action, "subnational-government"))),
            f"{csos} + {len(members_of(dataset, action, 'other'))}" if other else str(csos),
        ]
        return ", ".join(cells)

    figures = {
        "actions": str(len(dataset.actions)),
        "governments in an action (national + subnational)": (
            f"{taking_part['national-government']} + {taking_part['subnational-government']}"
        ),
        "civil-society organisations in an action": str(taking_part["civil-society"]),
        "#1 open-public-procurement: countries, local governments, CSOs": action_row(
            "open-public-procurement", other=False
        ),
        "#2 ending-abuse-anonymous-companies: countries, local governments, CSOs": action_row(
            "ending-abuse-anonymous-companies", other=False
        ),
        "#12 climate-sd-budget-transparency: countries, local governments, CSOs (+ other)": (
            action_row("climate-sd-budget-transparency", other=True)
        ),
        "#19 open-source-software-policy: countries, local governments, CSOs (+ other)": (
            action_row("open-source-software-policy", other=True)
        ),
    }
    assert table("figures") == figures


def test_readme_member_counts_are_the_data() -> None:
    dataset, _ = checked()
    types = Counter(member.record.type for member in dataset.members.values())
    words = " ".join(readme_block("members").split())
    assert words == (
        f"{types['national-government']} national governments, "
        f"{types['subnational-government']} subnational governments, "
        f"{types['civil-society']} civil-society organisations, {types['other']} other"
    )


def test_readme_warnings_are_the_data() -> None:
    _, report = checked()
    counts = Counter(p.code for p in report.problems)
    assert table("warnings") == {code: str(n) for code, n in sorted(counts.items())}


def test_readme_section_counts_are_the_data() -> None:
    """The counts in the headings of data/README.md's "What is in it" list."""
    dataset, _ = checked()
    text = (DATA / "README.md").read_text(encoding="utf-8")
    types = Counter(member.record.type for member in dataset.members.values())
    participants = sum(len(members) for members in dataset.participants.values())
    for heading in (
        f"**Actions ({len(dataset.actions)}).**",
        f"**National governments ({types['national-government']}).**",
        f"**Subnational governments ({types['subnational-government']}).**",
        f"**Organisations ({types['civil-society'] + types['other']}).**",
        f"**Participants ({participants}).**",
    ):
        assert heading in text
