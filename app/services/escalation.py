"""The background worker's pass: fire the BPMN timers that are due (reminders, overdue flags, hand-ups,
expert deadlines, the end of a public notice; see services/timers.py for what each one does).

Run by `flask tierflow worker`. Due timers are selected with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so
several workers share the work; each instance is then advanced under its own row lock, and the engine
only fires what is still waiting in the saved state, so a timer fires exactly once.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from app import engine
from app.extensions import db
from app.models import ProcessInstance, ProcessTimer
from app.models.base import utcnow
from app.services import instances
from app.services.errors import ServiceError

log = logging.getLogger(__name__)
COUNTED = {"reminder": "reminded", "overdue": "escalated", "hand_up": "handed_up",
           "expert_deadline": "expert_missed", "timer": "timers"}


def run_once(now: datetime | None = None, batch: int = 200) -> dict[str, int]:
    """One pass over the timers due at `now`; the counts of what fired, by kind."""
    now = now or utcnow()
    due = db.session.execute(
        db.select(ProcessTimer.instance_id)
        .join(ProcessInstance, ProcessInstance.id == ProcessTimer.instance_id)
        .where(ProcessTimer.state == "waiting", ProcessTimer.due_at <= now, ProcessInstance.status == "running")
        .order_by(ProcessTimer.due_at).limit(batch).with_for_update(skip_locked=True, of=ProcessTimer)).all()
    counts: Counter[str] = Counter({name: 0 for name in ("reminded", "escalated")})
    for instance_id in dict.fromkeys(row.instance_id for row in due):
        try:
            with db.session.begin_nested():
                instance = instances.lock(instance_id)
                if instance.status != "running":
                    continue
                fired = instances.fire_due(instance, now)
        except (ServiceError, engine.EngineError):
            log.exception("timers of instance %s could not fire", instance_id)
            continue
        counts.update(COUNTED.get(timer.kind, "timers") for timer in fired)
    return dict(counts)
