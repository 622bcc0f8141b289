"""Deadline watch with a controllable clock: reminders, overdue flags upward, workers racing."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import task_for, two_workers


def run(app, now):
    from app.extensions import db
    from app.workflow import worker as escalation

    with app.app_context():
        counts = escalation.run_once(now)
        db.session.commit()
        return counts


def due_of(app, task_id):
    from app.extensions import db
    from app.models import HumanTask

    with app.app_context():
        return db.session.get(HumanTask, task_id).due_at


def notices(api, user):
    return [n["kind"] for n in api.get("/api/v1/notifications", as_=user).get_json()["items"]]


def test_reminder_before_the_deadline_then_overdue_flag_upward(app, api, submitted, colleague):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    due = due_of(app, task["id"])
    head = colleague("head-220602", "220602", head=True)
    assert run(app, due - timedelta(days=20)) == {"reminded": 0, "escalated": 0}
    # one working day before the due day: the office is reminded, once
    from app.core.workdays import CHINA, is_workday

    day = due.astimezone(CHINA) - timedelta(days=1)
    while not is_workday(day.date()):
        day -= timedelta(days=1)
    assert run(app, day) == {"reminded": 1, "escalated": 0}
    assert run(app, day) == {"reminded": 0, "escalated": 0}
    assert "reminder" in notices(api, "rev-220602")
    # overdue: the city office (one level up) and the county office head are told, once
    assert run(app, due + timedelta(hours=1)) == {"reminded": 0, "escalated": 1}
    assert run(app, due + timedelta(days=3)) == {"reminded": 0, "escalated": 0}
    assert "overdue" in notices(api, "rev-220600") and "overdue" in notices(api, head)
    assert "overdue" not in notices(api, "rev-220602")
    # recorded in the history the offices read (the enterprise's leaves out the offices' internal events)
    history = api.get(f"/api/v1/applications/{application['id']}", as_="admin").get_json()["history"]
    assert [h["action"] for h in history if h["action"] in ("reminder", "overdue")] == ["reminder", "overdue"]
    own = api.get(f"/api/v1/applications/{application['id']}", as_="acme").get_json()["history"]
    assert not [h for h in own if h["action"] in ("reminder", "overdue")]
    assert api.get("/api/v1/tasks?overdue=1", as_="rev-220602").get_json()["total"] == 0  # real clock: not yet


def test_two_workers_fire_each_due_task_exactly_once(app, api, submitted, backend):
    from app.extensions import db
    from app.models import AuditEvent

    for i in range(12):
        submitted("city", username=f"firm{i}")
    due = due_of(app, task_for(api, "rev-220602", 1)["id"])
    later = due + timedelta(days=2)
    totals = two_workers(app, backend, later)
    assert sum(t["escalated"] for t in totals) == 12
    with app.app_context():
        fired = list(db.session.scalars(db.select(AuditEvent.application_id).where(AuditEvent.action == "overdue")))
    assert sorted(fired) == sorted(set(fired)) and len(fired) == 12
