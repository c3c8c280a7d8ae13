"""When an action's next progress update is due (the summit texts: leaders "publish a short
update on a regular basis"), counted from its last update, else from its launch."""

from __future__ import annotations

import calendar
from datetime import date

from ogpctl.model.dataset import Facts
from ogpctl.model.vocabulary import ActionStatus


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_update(dataset: Facts, action: str) -> date | None:
    updates = dataset.updates.get(action)
    return updates[-1].key.published if updates else None


def cadence(dataset: Facts, action: str) -> int:
    months = dataset.actions[action].record.update_every_months
    return months or dataset.settings.update_every_months


def next_due(dataset: Facts, action: str) -> date | None:
    """The date the next update is due; None for an action that is not active (only active
    actions owe updates) or that nothing dates yet."""
    record = dataset.actions[action].record
    if record.status != ActionStatus.ACTIVE:
        return None
    since = last_update(dataset, action) or record.launched
    return add_months(since, cadence(dataset, action)) if since else None
