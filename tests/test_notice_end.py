"""The public notice ends (issue 16 §5): no objection after its end, no listing after its end, a dismissal that
comes after the end recognizes at once, one contact is one contact however it is spelled, and the office is told
once per objection review."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.conftest import run_worker, task_for
from tests.test_timers import decide, get, in_notice, object_to

SECOND = timedelta(seconds=1)


def _end_notice_in_the_past(app, application_id: int) -> None:
    """Let the clock pass the notice's end while nothing has fired yet: the period's end, in the instance's data
    and on its timer rows, moves to yesterday (what a worker that has not run yet leaves behind)."""
    from app.extensions import db
    from app.models import Application, ProcessTimer
    from app.recognition import notices

    with app.app_context():
        ends = notices.notice_ends(application_id)
        instance = db.session.get(Application, application_id).instance
        data = json.loads(instance.state)
        past = datetime.now(UTC) - timedelta(days=1)
        text = json.dumps(data)
        for value in {v for v in _strings(data) if _is_time(v) and abs(datetime.fromisoformat(v) - ends) < SECOND}:
            text = text.replace(json.dumps(value), json.dumps(past.isoformat()))
        instance.state = text
        db.session.execute(db.update(ProcessTimer).where(ProcessTimer.application_id == application_id,
                                                         ProcessTimer.kind == "notice_period").values(due_at=past))
        db.session.commit()


def _strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def _is_time(value: str) -> bool:
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def test_no_objection_and_no_listing_after_the_end(app, api, submitted):
    application = in_notice(api, submitted)
    assert api.get("/api/v1/notices").get_json()["total"] == 1
    _end_notice_in_the_past(app, application["id"])
    assert api.get("/api/v1/notices").get_json()["total"] == 0  # not listed once it ended
    r = object_to(api, application["id"])
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "notice_ended", r.get_json()
    assert get(api, application["id"])["current_step"] == "public_notice"  # the objection changed nothing
    run_worker(app, datetime.now(UTC))
    assert get(api, application["id"])["status"] == "recognized"


def test_a_dismissal_after_the_end_recognizes_at_once(app, api, submitted, colleague):
    application = in_notice(api, submitted)
    assert object_to(api, application["id"]).status_code == 201
    _end_notice_in_the_past(app, application["id"])  # the province took longer than the notice period
    reviewer = colleague("rev-220000-b", "220000")
    after = decide(api, reviewer, application["id"], "approve", "经核查异议不成立")
    assert after["status"] == "recognized" and after["current_step"] is None  # no worker pass needed


def test_one_contact_however_it_is_spelled(api, submitted):
    application = in_notice(api, submitted)
    for spelling in ("+86 138-0000-0000", "１３８００００００００", "0086 13800000000"):
        assert object_to(api, application["id"], contact=spelling).status_code == 201
    r = object_to(api, application["id"], contact="138 0000 0000")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "too_many_objections"
    listed = api.get(f"/api/v1/applications/{application['id']}/objections", as_="admin").get_json()["items"]
    assert {o["contact"] for o in listed} == {"13800000000"}


def test_the_office_is_told_once_per_review(app, api, submitted):
    from app.extensions import db
    from app.models import Notification, User

    application = in_notice(api, submitted)
    with app.app_context():
        reviewers = list(db.session.scalars(db.select(User.id).where(User.username == "rev-220000")))
        before = db.session.scalar(db.select(db.func.count(Notification.id)).where(
            Notification.user_id.in_(reviewers)))
    for n in range(3):
        assert object_to(api, application["id"], contact=f"1390000000{n}").status_code == 201
    with app.app_context():
        after = db.session.scalar(db.select(db.func.count(Notification.id)).where(
            Notification.user_id.in_(reviewers)))
    assert after - before == 1  # the review's task arrived; the second and third objections joined it quietly
    assert task_for(api, "rev-220000", application["id"])["step"] == "objection_review"
