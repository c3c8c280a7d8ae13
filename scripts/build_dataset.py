"""Build the shipped dataset, `data/members/` and `data/actions/`, from the files in `sources/`.

Inputs, all inside the repository: the Etalab map files
(`sources/etalab-carto-actions-collectives/`), the curated facts they lack
(`sources/curated/facts.yaml`) and the French summit page the French titles are checked
against (`sources/summit-texts/`). Every record goes through its `ogpctl.model.records` model and
`ogpctl.canonical.dump`, so the output is canonical, and the same inputs always give the
same bytes. `data/README.md` is written by hand and left alone.

    python scripts/build_dataset.py [--out DIR]     # DIR: the dataset root (default: repo)
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ogpctl.model.keys import DATA, Kind, RecordKey
from ogpctl.model.records import Action, Member, Participant, Record
from ogpctl.store.canonical import dump

REPO = Path(__file__).resolve().parent.parent
ETALAB = REPO / "sources" / "etalab-carto-actions-collectives"
FACTS = REPO / "sources" / "curated" / "facts.yaml"
SUMMIT_FR = REPO / "sources" / "summit-texts" / "declaration-de-paris.fr.txt"
# The Steering Committee endorsed the Paris Declaration and its actions on this day; no
# source dates a single participation, so every member joins then.
SUMMIT = date(2016, 12, 7)
_LABEL = re.compile(r"#?(\d+)\.\s*(.+)")  # "#1. Open Public Procurement" (the NBSP too)
_HEADING = re.compile(r"^\s*•\s*(.+?) : ", re.MULTILINE)  # "  • Transparence … : 15 pays"

Facts = dict[str, Any]
Records = dict[RecordKey, Record]


class SourceError(Exception):
    """The source files say something the curated facts do not account for."""


def read_csv(name: str) -> list[list[str]]:
    with (ETALAB / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def label(text: str) -> tuple[int, str]:
    """An action's number and title from a column or key such as `#1. Open Public Procurement`."""
    match = _LABEL.fullmatch(text.strip())
    if match is None:
        raise SourceError(f"not an action label: {text!r}")
    return int(match.group(1)), match.group(2).strip()


def clean(name: str) -> str:
    """One organisation name without the files' noise: "1) " numbering (amelie), a stray
    leading "1" glued to the name (dict), a trailing ":"."""
    name = re.sub(r"^\d+\) ", "", name.strip())
    return re.sub(r"^1(?=[A-Z])", "", name).rstrip(":").strip()


def names_in(parts: list[str], facts: Facts) -> list[str]:
    """The cleaned names of one list, with names that a separator cut in two put back."""
    rules = facts["organisation_lists"]
    names = [clean(part) for part in parts if part.strip()]
    for first, second in rules["split_names"]:
        for i in range(len(names) - 1):
            if names[i] == clean(first) and names[i + 1] == clean(second):
                names[i : i + 2] = [f"{names[i]} {names[i + 1]}"]
                break
    # "Aucune association" means none; an OGP working group is not a member.
    return [n for n in names if n != rules["none"] and n not in rules["not_members"]]


def titles_and_countries() -> tuple[dict[int, str], dict[int, list[str]]]:
    """pays_clean.csv (the cleaned matrix, which the map draws): title and countries per action."""
    header, *rows = read_csv("pays_clean.csv")
    titles, countries = {}, {}
    for column, text in enumerate(header[1:], start=1):
        number, titles[number] = label(text)
        countries[number] = [row[0] for row in rows if row[column] == "1"]
    return titles, countries


def dict_lists(facts: Facts) -> dict[int, list[str]]:
    """associations_dict.json, the newest organisation lists: a JSON text stored as an
    escaped JSON string, one `;`-separated list per action."""
    text = (ETALAB / "associations_dict.json").read_text(encoding="utf-8").strip()
    lists = json.loads(json.loads(f'"{text}"'))
    return {label(key)[0]: names_in(value.split(";"), facts) for key, value in lists.items()}


def amelie_lists(facts: Facts) -> dict[int, list[str]]:
    """associations_amelie.csv, an older copy of the lists (one name a line), to cross-check."""
    _, *rows = read_csv("associations_amelie.csv")
    lists = {}
    for title, cell in rows:
        if title[0].isdigit():  # skip the theme row "Climate and sustainable development"
            lists[label(title)[0]] = names_in(cell.splitlines(), facts)
    return lists


def spelling_table(facts: Facts) -> dict[str, str]:
    return {s: org["id"] for org in facts["organisations"] for s in org["spellings"]}


def organisations_by_action(facts: Facts) -> dict[int, dict[str, str]]:
    """Per action, the member id of each organisation it names and the source naming it."""
    table = spelling_table(facts)
    rules = facts["organisation_lists"]

    def ids(names: list[str]) -> list[str]:
        unknown = [n for n in names if n not in table]
        if unknown:
            raise SourceError(f"no organisation spelt {unknown[0]!r} in {FACTS.name}")
        return list(dict.fromkeys(table[n] for n in names))  # dedupe, keep order

    newest, older = dict_lists(facts), amelie_lists(facts)
    # The two files must name the same organisations once spellings are normalised.
    for number in newest:
        if set(ids(newest[number])) != set(ids(older[number])):
            raise SourceError(f"#{number}: associations_dict.json and _amelie.csv disagree")
    # The list given for #13 is #14's; check it still is before leaving it out.
    for number in rules["copied_from_another_action"]:
        if ids(newest[number]) != ids(newest[number + 1]):
            raise SourceError(f"#{number}'s organisations are no longer a copy of the next list")
        newest[number] = []
    result: dict[int, dict[str, str]] = {}
    for number, names in newest.items():
        result[number] = dict.fromkeys(ids(names), "etalab-associations-dict")
        extra = ids(rules["only_in_map_script"].get(number, []))
        result[number].update(dict.fromkeys(extra, "etalab-generation-carte"))
    named = {member for found in result.values() for member in found}
    unused = [org["id"] for org in facts["organisations"] if org["id"] not in named]
    if unused:
        raise SourceError(f"{unused[0]} is in {FACTS.name} but in no action of the sources")
    return result


def sources(facts: Facts, keys: list[str]) -> list[dict[str, str]]:
    return [facts["sources"][key] for key in keys]


def members(facts: Facts, organisations: dict[int, dict[str, str]]) -> Records:
    records: Records = {}

    def add(member_id: str, **fields: Any) -> None:
        fields = {k: v for k, v in fields.items() if v is not None}
        records[RecordKey(Kind.MEMBER, member=member_id)] = Member.model_validate(fields)

    for gov in facts["national_governments"]:
        # The join year only where a source gives it; the map as a source where it has the country.
        if "since" in gov and not gov.get("since_sources"):
            raise SourceError(f"{gov['id']}: a join year needs `since_sources`")
        keys = gov.get("sources", []) + gov.get("since_sources", [])
        keys += ["etalab-pays-clean"] if "etalab" in gov else []
        add(
            gov["id"],
            name={"en": gov["name"]},
            type="national-government",
            country=gov["country"],
            ogp_member_since=gov.get("since"),
            sources=sources(facts, keys),
        )
    for gov in facts["subnational_governments"]:
        add(
            gov["id"],
            name={"en": gov["name"]},
            type="subnational-government",
            country=gov["country"],
            subdivision=gov.get("subdivision"),
            sources=sources(facts, ["ogp-subnational-pilot"]),
        )
    for org in facts["organisations"]:
        # An organisation's sources: every file that names it in some action.
        keys = sorted({found[org["id"]] for found in organisations.values() if org["id"] in found})
        add(
            org["id"],
            name={"en": org["name"]},
            type=org["type"],
            country=org.get("country"),
            acronym=org.get("acronym"),
            sources=sources(facts, keys),
        )
    return records


def actions(facts: Facts, organisations: dict[int, dict[str, str]]) -> Records:
    titles, countries = titles_and_countries()
    by_name = {g["etalab"]: g["id"] for g in facts["national_governments"] if "etalab" in g}
    common = [
        "etalab-pays-clean",
        "etalab-associations-dict",
        "etalab-associations-amelie",
        "etalab-generation-carte",
        "ogp-paris-declaration",
        "summit-paris-declaration",
    ]
    records: Records = {}
    for action in facts["actions"]:
        number, action_id = action["number"], action["id"]
        keys = common + action.get("standard_sources", []) + action.get("title_sources", [])
        records[RecordKey(Kind.ACTION, action=action_id)] = Action.model_validate(
            {
                "number": number,
                "title": title(action, titles[number], facts),
                "theme": action["theme"],
                "status": "active",
                "launched": SUMMIT,
                "working_group": action.get("working_group"),
                "standards": action.get("standards", []),
                "sources": sources(facts, keys),
            }
        )
        # The map's countries are national governments, found by the map's spelling.
        unknown = [c for c in countries[number] if c not in by_name]
        if unknown:
            raise SourceError(f"no national government with `etalab: {unknown[0]}` in {FACTS.name}")
        joins = [(by_name[c], "etalab-pays-clean") for c in countries[number]]
        joins += organisations[number].items()
        for member_id, key in joins:
            records[RecordKey(Kind.PARTICIPANT, action=action_id, member=member_id)] = (
                Participant.model_validate({"joined": SUMMIT, "sources": sources(facts, [key])})
            )
    return records


def summit_headings() -> set[str]:
    """The headings of the four actions the French summit page highlights."""
    return set(_HEADING.findall(SUMMIT_FR.read_text(encoding="utf-8")))


def title(action: Facts, from_map: str, facts: Facts) -> dict[str, str]:
    """The map's title with its spelling fixed, and the curated titles checked."""
    number, curated = action["number"], action.get("title", {})
    for wrong, right in facts["title_fixes"].items():
        from_map = from_map.replace(wrong, right)
    if curated and not action.get("title_sources"):
        raise SourceError(f"#{number}: a curated title needs `title_sources`")
    if "en" in curated and action.get("title_replaces") != from_map:
        raise SourceError(f"#{number}: the map's title is now {from_map!r}, not `title_replaces`")
    if "fr" in curated and curated["fr"] not in summit_headings():
        raise SourceError(f"#{number}: {curated['fr']!r} is not a heading of {SUMMIT_FR.name}")
    return {"en": from_map, **curated}


def build(facts: Facts) -> Records:
    organisations = organisations_by_action(facts)
    return members(facts, organisations) | actions(facts, organisations)


def write(root: Path, records: Records) -> None:
    """Replace `data/members` and `data/actions` so that removed records disappear."""
    for folder in ("members", "actions"):
        shutil.rmtree(root / DATA / folder, ignore_errors=True)
    for key in sorted(records, key=lambda k: k.path):
        path = root / key.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(key.kind, records[key]), encoding="utf-8", newline="\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO, help="dataset root to write into")
    out: Path = parser.parse_args().out
    facts = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    try:
        records = build(facts)
    except SourceError as err:
        raise SystemExit(f"build_dataset: {err}") from None
    write(out, records)
    print(f"wrote {len(records)} records under {out / DATA}")


if __name__ == "__main__":
    main()
