"""The site's compact records (`siterecords.py`): what each page shows, read back from the
rows one page at a time, is what the full records give (`show`, `status`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import ACTION, BASELINE, UPDATE, DatasetFactory
from sitecheck import REPO

from ogpctl import site
from ogpctl.check.validate import check_dataset
from ogpctl.show import Lang, action_detail, member_detail
from ogpctl.siterecords import Joined, Named, Reported
from ogpctl.status import status

VALID = REPO / "tests" / "examples" / "valid"


@pytest.mark.parametrize(
    "root", [REPO, VALID / "paris-summit", VALID / "warnings-only"], ids=lambda p: p.name
)
def test_each_page_reads_what_the_full_records_give(root: Path) -> None:
    today = date(2018, 12, 1)
    dataset, report = check_dataset(root, today)
    assert report.ok, report.problems
    built = site.collect(dataset, site.Provenance(today))
    try:
        fallback = dataset.settings.default_language
        lang = Lang(fallback, fallback)
        assert built.status == status(dataset, today, fallback)
        assert list(built.actions) == sorted(dataset.actions)
        assert list(built.members) == sorted(dataset.members)
        for action in dataset.actions:
            assert built.action_detail(action) == action_detail(dataset, action, today, lang)
        for member in dataset.members:
            assert built.member_detail(member) == member_detail(dataset, member, lang)
        summary = built.records.summary  # held compactly: the full records are read back
        assert all(isinstance(m.record, Named) for m in summary.members.values())
        for action in summary.actions:
            held = summary.participants.get(action, {}).values()
            assert all(isinstance(p.record, Joined) for p in held)
            assert all(isinstance(u.record, Reported) for u in summary.updates.get(action, []))
    finally:
        built.close()


def test_milestones_done_count_the_latest_report_of_each(dataset: DatasetFactory) -> None:
    """Reported complete, then limited: not done; reported complete once, later updates
    silent about it: done."""
    action = BASELINE[ACTION] + "  - id: train-staff\n    title: Train staff\n"
    earlier = UPDATE.replace("2017-06-01", "2017-03-01")
    report_text = BASELINE[UPDATE].replace("2017-05-31", "2017-02-28")
    report_text = report_text.replace("publish-data: limited", "publish-data: complete")
    root = dataset({ACTION: action, earlier: report_text + "  train-staff: complete\n"})
    today = date(2018, 12, 1)
    full, report = check_dataset(root, today)
    assert report.ok, report.problems
    built = site.collect(full, site.Provenance(today))
    try:
        assert built.milestones_done("open-contracting") == (1, 2)
        states = action_detail(full, "open-contracting", today, Lang("en", "en")).milestones
        assert [s.completion for s in states] == ["limited", "complete"]
    finally:
        built.close()
