"""Generate the design's benchmark dataset (DESIGN §6): valid under every rule, deterministic.

At scale 1.0: 5,000 members, 1,000 actions, 20,000 participants and 20,000 updates
(46,000 files). Every member takes part in four actions, every action is led by a
government and a CSO that take part in it, and every update is recent enough relative to
`TODAY` not to be overdue, so `OGPCTL_TODAY=TODAY ogpctl validate` reports nothing.

    python bench/generate.py DIR [--scale 1.0]
"""

from __future__ import annotations

import argparse
import os
from datetime import date, timedelta
from pathlib import Path

TODAY = "2018-12-01"  # pin with OGPCTL_TODAY: no update is overdue on this day
LAUNCHED = date(2016, 12, 7)
FIRST_UPDATE = date(2017, 1, 2)
PER_ACTION = 20  # participants, and updates, per action
MEMBERS_PER_ACTION = 5  # 5,000 members for 1,000 actions
THEMES = (
    "transparency-integrity-anticorruption",
    "climate-sustainable-development",
    "digital-commons",
)
COMPLETIONS = ("not-started", "limited", "substantial", "complete")
COUNTRIES = ("FR", "DE", "GB", "BR", "MX", "KE", "ID", "CA", "US", "ZA", "PH", "UA")
SUBDIVISIONS = {  # a valid ISO 3166-2 code in each country
    "FR": "FR-IDF",
    "DE": "DE-BY",
    "GB": "GB-SCT",
    "BR": "BR-SP",
    "MX": "MX-JAL",
    "KE": "KE-01",
    "ID": "ID-JK",
    "CA": "CA-ON",
    "US": "US-CA",
    "ZA": "ZA-GP",
    "PH": "PH-00",
    "UA": "UA-30",
}
TYPES = ("national-government", "subnational-government", "civil-society", "other")
SOURCE = "sources:\n- url: https://example.org/ogp/{0}\n  title: Benchmark source for {0}\n"


def counts(scale: float) -> tuple[int, int]:
    """(members, actions) at a scale; participants and updates are 20 per action each."""
    actions = max(1, round(1000 * scale))
    return actions * MEMBERS_PER_ACTION, actions


def member_id(index: int) -> str:
    # an update's file name ends in `-2`, `-3`… for a second, third one that day: from
    # 10,000 (4x), `…-member-10000.yaml` would be member `member`'s; a leading 0 is not
    return f"member-{index:05d}" if index < 10_000 else f"member-0{index}"


def _member(index: int) -> str:
    kind = TYPES[index % 4]
    country = COUNTRIES[index % len(COUNTRIES)]
    lines = [
        "# yaml-language-server: $schema=../../schemas/member.schema.json",
        "name:",
        f"  en: Benchmark member {index}",
        f"  fr: Membre de référence {index}",
        f"type: {kind}",
    ]
    if kind in ("national-government", "subnational-government"):
        lines.append(f"country: {country}")
    if kind == "subnational-government":
        lines.append(f"subdivision: {SUBDIVISIONS[country]}")
    lines.append(f"acronym: M{index}")
    lines.append(f"website: https://member-{index}.example.org/")
    if kind == "national-government":
        lines.append(f"ogp_member_since: {2011 + index % 6}")
    lines.append(f"maintainers:\n- maintainer-{index % 97}")
    return "\n".join(lines) + "\n" + SOURCE.format(member_id(index))


def _participants(action: int, members: int) -> list[int]:
    """Twenty distinct consecutive members: among them are governments and CSOs."""
    start = (action * PER_ACTION) % members
    return [(start + j) % members for j in range(PER_ACTION)]


def _action(index: int, members: list[int]) -> str:
    government = next(m for m in members if TYPES[m % 4].endswith("government"))
    civil_society = next(m for m in members if TYPES[m % 4] == "civil-society")
    milestones = "".join(
        f"- id: milestone-{m}\n  title:\n    en: Milestone {m} of action {index}\n"
        f"  due: 2019-0{m}-15\n"
        for m in range(1, 4)
    )
    return (
        "# yaml-language-server: $schema=../../../schemas/action.schema.json\n"
        f"number: {index + 1}\n"
        f"title:\n  en: Benchmark action {index}\n  es: Acción de referencia {index}\n"
        f"theme: {THEMES[index % 3]}\n"
        f"summary:\n  en: |-\n    Action {index} brings governments and civil society together.\n"
        "    It publishes data, tools and guidance.\n"
        "status: active\n"
        f"launched: {LAUNCHED.isoformat()}\n"
        f"leaders:\n  government: {member_id(government)}\n"
        f"  civil_society: {member_id(civil_society)}\n"
        "working_group: open-data\n"
        "standards:\n- ocds\n"
        f"milestones:\n{milestones}"
        "resources:\n- title:\n    en: Guide\n  url: https://example.org/guide\n  type: guide\n"
        + SOURCE.format(f"action-{index}")
    )


def _participant(action: int, member: int) -> str:
    return (
        "# yaml-language-server: $schema=../../../../schemas/participant.schema.json\n"
        f"joined: {LAUNCHED.isoformat()}\n"
        f"contribution:\n  en: Member {member} shares its data and experience in action {action}.\n"
        "national_action_plan:\n"
        f"  plan: NAP {2017 + member % 3}-{2019 + member % 3}\n"
        f"  commitment: Commitment {member % 40 + 1}\n"
        f"  url: https://example.org/nap/{member}\n"
    )


def _update(action: int, k: int, published: date, start: date) -> str:
    end = published - timedelta(days=1)
    completion = COMPLETIONS[(action + k) % len(COMPLETIONS)]
    return (
        "# yaml-language-server: $schema=../../../../schemas/update.schema.json\n"
        f"period:\n  start: {start.isoformat()}\n  end: {end.isoformat()}\n"
        f"completion: {completion}\n"
        f"summary:\n  en: Progress report {k} of action {action}, work goes on as planned.\n"
        f"milestones:\n  milestone-1: {completion}\n  milestone-2: not-started\n"
        f"evidence:\n- https://example.org/evidence/{action}/{k}\n"
    )


def generate(root: Path, scale: float = 1.0) -> int:
    """Write the dataset under `root` (which must not hold one yet); returns its file count."""
    member_count, action_count = counts(scale)
    members = root / "data" / "members"
    members.mkdir(parents=True)
    (root / "ogpctl.toml").write_text('[dataset]\nname = "ogpctl benchmark"\n', encoding="utf-8")
    written = 0

    def write(path: Path, text: str) -> None:
        nonlocal written
        path.write_bytes(text.encode("utf-8"))
        written += 1

    for index in range(member_count):
        write(members / f"{member_id(index)}.yaml", _member(index))
    for action in range(action_count):
        folder = root / "data" / "actions" / f"action-{action:04d}"
        (folder / "participants").mkdir(parents=True)
        (folder / "updates").mkdir()
        taking_part = _participants(action, member_count)
        write(folder / "action.yaml", _action(action, taking_part))
        for member in taking_part:
            write(
                folder / "participants" / f"{member_id(member)}.yaml", _participant(action, member)
            )
        start = LAUNCHED
        for k in range(PER_ACTION):
            published = FIRST_UPDATE + timedelta(days=30 * k + action % 30)
            author = taking_part[k % len(taking_part)]
            name = f"{published.isoformat()}-{member_id(author)}.yaml"
            write(folder / "updates" / name, _update(action, k, published, start))
            start = published
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="folder to create (must not exist yet)")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    if args.root.exists() and any(args.root.iterdir()):
        parser.error(f"{args.root} is not empty")
    count = generate(args.root, args.scale)
    print(f"wrote {count:,} files under {os.fspath(args.root)}")


if __name__ == "__main__":
    main()
