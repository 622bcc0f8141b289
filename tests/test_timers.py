"""BPMN timers with a controllable clock: escalation (incl. hand-up), the expert panel, the public notice."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import (
    approve_at_province,
    end_notice,
    run_worker,
    score_panel,
    submit_application,
    task_for,
    two_workers,
)

BPMN = (Path(__file__).resolve().parents[1] / "workflows" / "recognition.bpmn").read_text(encoding="utf-8")
LATER = timedelta(days=60)


def decide(api, reviewer, application_id, decision="approve", comment=""):
    task = task_for(api, reviewer, application_id)
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_=reviewer, json={"decision": decision, "comment": comment})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["application"]


def get(api, application_id, as_="admin"):
    return api.get(f"/api/v1/applications/{application_id}", as_=as_).get_json()


def actions(application):
    return [h["action"] for h in application["history"]]


def timers(app, application_id):
    from app.extensions import db
    from app.models import ProcessTimer

    with app.app_context():
        return [(t.step, t.kind, t.state, t.due_at) for t in db.session.scalars(
            db.select(ProcessTimer).where(ProcessTimer.application_id == application_id).order_by(ProcessTimer.id))]


def now():
    return datetime.now(UTC)


# ---------------------------------------------------------------- escalation


def test_boundary_timers_follow_the_task_and_stop_when_it_is_decided(app, api, submitted):
    from app.core import workdays

    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    waiting = timers(app, application["id"])
    assert [(s, k, st) for s, k, st, _due in waiting] == [
        ("county_review_reminder", "reminder", "waiting"), ("county_review_overdue", "overdue", "waiting")]
    due = datetime.fromisoformat(task["due_at"])
    assert waiting[1][3] == due  # the overdue timer fires at the task's deadline (10 working days)
    assert workdays.working_days_left(waiting[0][3], due) == 2  # the reminder two working days before
    decide(api, "rev-220602", application["id"])
    states = {s: st for s, _k, st, _d in timers(app, application["id"])}
    assert states["county_review_reminder"] == states["county_review_overdue"] == "cancelled"
    assert states["city_review_reminder"] == "waiting"
    # the county's timers never fire, however late it gets; the city's do
    counts = run_worker(app, now() + LATER)
    assert counts["reminded"] == 1 and counts["escalated"] == 1
    history = [(h["step"], h["action"]) for h in get(api, application["id"])["history"]]
    assert ("city_review", "overdue") in history and ("county_review", "overdue") not in history


def hand_up_bpmn() -> str:
    """The shipped chain plus an interrupting timer: a county review overdue by 5 working days goes up."""
    boundary = '''    <bpmn:boundaryEvent id="county_review_hand_up" name="逾期上交" attachedToRef="county_review">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="escalation" value="hand_up" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:outgoing>Flow_hand_up</bpmn:outgoing>
      <bpmn:timerEventDefinition id="county_review_hand_up_timer">
        <bpmn:timeDate xsi:type="bpmn:tFormalExpression">deadline("county_review", 5)</bpmn:timeDate>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="Flow_hand_up" name="上交" sourceRef="county_review_hand_up" targetRef="city_review" />
  </bpmn:process>'''
    xml = BPMN.replace("  </bpmn:process>", boundary, 1)
    xml = xml.replace("<bpmn:flowNodeRef>county_review</bpmn:flowNodeRef>",
                      "<bpmn:flowNodeRef>county_review</bpmn:flowNodeRef>\n"
                      "        <bpmn:flowNodeRef>county_review_hand_up</bpmn:flowNodeRef>", 1)
    assert xml.count("county_review_hand_up") >= 3
    return xml


def test_an_interrupting_timer_hands_an_overdue_task_up(app, api, submitted):
    r = api.post("/api/v1/process-definitions/recognition/versions?comment=hand-up", as_="admin",
                 data=hand_up_bpmn().encode(), content_type="application/xml")
    assert r.status_code == 201, r.get_json()
    application = submitted("city")
    due = datetime.fromisoformat(task_for(api, "rev-220602", application["id"])["due_at"])
    # overdue, but not yet by five working days: flagged, still at the county
    counts = run_worker(app, due + timedelta(hours=1))
    assert counts["escalated"] == 1 and counts.get("handed_up", 0) == 0
    assert get(api, application["id"])["current_step"] == "county_review"
    counts = run_worker(app, due + timedelta(days=10))
    assert counts["handed_up"] == 1
    after = get(api, application["id"])
    assert after["current_step"] == "city_review" and after["current_office"]["code"] == "220600"
    assert api.get("/api/v1/tasks", as_="rev-220602").get_json()["total"] == 0
    assert [(h["step"], h["action"]) for h in after["history"]][-1] == ("county_review", "handed_up")
    assert decide(api, "rev-220600", application["id"])["status"] == "recognized"


# ---------------------------------------------------------------- expert panel


def add_experts(app, *experts):
    from app.extensions import db
    from app.models import User

    with app.app_context():
        hashed = db.session.scalar(db.select(User.password_hash).where(User.username == "expert-1"))
        for username, region_code in experts:
            db.session.add(User(username=username, role="expert", region_code=region_code, password_hash=hashed))
        db.session.commit()


def panel_of(api, application_id, experts):
    return sorted(u for u in experts if any(
        t["application_id"] == application_id for t in api.get("/api/v1/tasks", as_=u).get_json()["items"]))


def to_panel(api, submitted, **kwargs):
    application = submitted("province", **kwargs)
    decide(api, "rev-220602", application["id"])
    decide(api, "rev-220600", application["id"])
    after = decide(api, "rev-220000", application["id"])
    assert after["current_step"] == "expert_review" and after["current_office"] is None
    return after


def test_panel_excludes_conflicted_and_same_city_experts_and_one_misses_the_deadline(app, api, submitted):
    from app.extensions import db
    from app.models import AuditEvent
    from app.recognition import experts

    add_experts(app, ("expert-5", "220100"), ("expert-6", "140500"))
    application = submitted("province", register=True)
    # expert-3 declares a conflict with the enterprise; expert-2 lives in its city (白山市)
    r = api.post("/api/v1/conflicts", as_="expert-3", json={"enterprise_id": application["enterprise"]["id"],
                                                           "reason": "曾任该企业技术顾问"})
    assert r.status_code == 201, r.get_json()
    decide(api, "rev-220602", application["id"])
    decide(api, "rev-220600", application["id"])
    assert decide(api, "rev-220000", application["id"])["current_step"] == "expert_review"
    everyone = ["expert-1", "expert-2", "expert-3", "expert-4", "expert-5", "expert-6"]
    panel = panel_of(api, application["id"], everyone)
    assert len(panel) == 3 and "expert-2" not in panel and "expert-3" not in panel
    with app.app_context():  # reproducible from the recorded seed
        draw = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "expert_panel_drawn"))
        assert sorted(draw.details["pool"]) == draw.details["pool"] and len(draw.details["pool"]) == 4
        drawn = experts.replay(draw.details["seed"], application["id"], draw.details["pool"], 3)
        from app.models import User

        names = sorted(db.session.scalars(db.select(User.username).where(User.id.in_(drawn))))
        assert names == panel
    # blind: an expert sees their own task, not the others' (404) nor any score
    first, second, late = panel
    tasks = {u: task_for(api, u, application["id"]) for u in panel}
    assert api.get(f"/api/v1/tasks/{tasks[second]['id']}", as_=first).status_code == 404
    assert api.post(f"/api/v1/tasks/{tasks[first]['id']}/score", as_=first,
                    json={"score": 120, "comment": "好"}).status_code == 422
    assert api.post(f"/api/v1/tasks/{tasks[first]['id']}/score", as_=first,
                    json={"score": 70, "comment": " "}).status_code == 422
    for username, value in ((first, 70), (second, 90)):
        r = api.post(f"/api/v1/tasks/{tasks[username]['id']}/score", as_=username,
                     json={"score": value, "comment": "符合要求"})
        assert r.status_code == 200, r.get_json()
    own = api.get(f"/api/v1/tasks/{tasks[second]['id']}", as_=second).get_json()
    assert own["result"] == {"score": 90.0, "comment": "符合要求"}
    assert set(own) == {"id", "application_id", "enterprise", "target_tier", "step", "office", "created_at",
                        "due_at", "claimed_by", "kind", "decisions", "state", "result"}  # nothing about the panel
    assert (own["kind"], own["decisions"]) == ("expert_score", [])
    # scoring twice is a conflict
    assert api.post(f"/api/v1/tasks/{tasks[first]['id']}/score", as_=first,
                    json={"score": 75, "comment": "再评"}).status_code == 409
    assert get(api, application["id"])["current_step"] == "expert_review"  # one still to score
    # the deadline passes: the late expert's task ends, the mean and spread go back to the province
    counts = run_worker(app, now() + LATER)
    assert counts["expert_missed"] == 1
    assert api.get("/api/v1/tasks", as_=late).get_json()["total"] == 0
    after = get(api, application["id"])
    assert after["current_step"] == "province_review" and after["current_office"]["code"] == "220000"
    task = task_for(api, "rev-220000", application["id"])
    detail = api.get(f"/api/v1/tasks/{task['id']}", as_="rev-220000").get_json()
    assert detail["expert_panel"] == {"count": 3, "scored": 2, "mean": 80.0, "spread": 20.0}
    assert "expert-" not in str(detail)  # no names
    history = get(api, application["id"], as_="acme")["history"]
    assert [h["action"] for h in history].count("expert_scored") == 2 and "expert_missed" in actions(after)
    assert all(h["actor"] is None for h in history if h["action"].startswith("expert_"))
    # the province's second review decides; no second panel
    assert decide(api, "rev-220000", application["id"])["current_step"] == "public_notice"


def test_no_eligible_expert_refuses_the_panel_and_changes_nothing(app, api, submitted):
    from app.extensions import db
    from app.models import User

    with app.app_context():
        for user in db.session.scalars(db.select(User).where(User.role == "expert")):
            user.active = False
        db.session.commit()
    application = submitted("province")
    decide(api, "rev-220602", application["id"])
    decide(api, "rev-220600", application["id"])
    task = task_for(api, "rev-220000", application["id"])
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220000", json={"decision": "approve"})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "no_experts"
    assert task_for(api, "rev-220000", application["id"])["claimed_by"] is None  # rolled back whole
    assert get(api, application["id"])["current_step"] == "province_review"


def test_a_return_after_the_panel_means_a_new_panel_next_round(app, api, submitted):
    application = to_panel(api, submitted)
    score_panel(api, application["id"])
    assert decide(api, "rev-220000", application["id"], "return", "请补充专利证明")["current_step"] == "amend"
    r = submit_application(api, "acme", application['id'])
    assert r.status_code == 200, r.get_json()
    decide(api, "rev-220602", application["id"])
    decide(api, "rev-220600", application["id"])
    assert decide(api, "rev-220000", application["id"])["current_step"] == "expert_review"


# ---------------------------------------------------------------- public notice


def in_notice(api, submitted, **kwargs):
    application = submitted("province", **kwargs)
    decide(api, "rev-220602", application["id"])
    decide(api, "rev-220600", application["id"])
    after = approve_at_province(api, application["id"])
    assert after["current_step"] == "public_notice" and after["status"] == "in_review"
    return after


def object_to(api, application_id, **body):
    payload = {"name": "张三", "contact": "13800000000", "text": "该企业研发人员数量与社保记录不符。"} | body
    return api.post(f"/api/v1/notices/{application_id}/objections", json=payload)


def test_the_public_list_shows_name_region_and_tier_only(api, submitted):
    application = in_notice(api, submitted)
    other = submitted("city", username="other")
    body = api.get("/api/v1/notices").get_json()  # no login
    assert body["total"] == 1
    entry = body["items"][0]
    assert set(entry) == {"application_id", "enterprise", "region", "region_code", "target_tier", "notice_ends"}
    assert entry["application_id"] == application["id"] and entry["region"] == "吉林省 白山市 浑江区"
    assert entry["target_tier"] == "province"
    ends = datetime.fromisoformat(entry["notice_ends"])
    from app.core import workdays

    assert workdays.working_days_left(now(), ends) == 5  # five working days by default
    assert object_to(api, other["id"]).status_code == 404  # not under notice


def test_an_upheld_objection_rejects(app, api, submitted, colleague):
    from app.extensions import db
    from app.models import Objection

    application = in_notice(api, submitted)
    bad = object_to(api, application["id"], text="")
    assert bad.status_code == 422 and "text" in bad.get_json()["error"]["fields"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Objection.id))) == 0
    assert object_to(api, application["id"]).status_code == 201
    after = get(api, application["id"])
    assert after["current_step"] == "objection_review" and after["current_office"]["code"] == "220000"
    # a second objection joins the open review
    assert object_to(api, application["id"], name="李四").status_code == 201
    assert get(api, application["id"])["current_step"] == "objection_review"
    # still listed publicly while the objection is reviewed
    assert api.get("/api/v1/notices").get_json()["total"] == 1
    reviewer = colleague("rev-220000-b", "220000")  # four eyes: not the reviewer who approved
    task = task_for(api, reviewer, application["id"])
    detail = api.get(f"/api/v1/tasks/{task['id']}", as_=reviewer).get_json()
    assert [o["name"] for o in detail["objections"]] == ["张三", "李四"]
    after = decide(api, reviewer, application["id"], "reject", "异议属实，研发人员数据不实")
    assert after["status"] == "rejected" and after["current_step"] is None
    listed = api.get(f"/api/v1/applications/{application['id']}/objections", as_="acme").get_json()
    assert [o["state"] for o in listed["items"]] == ["upheld", "upheld"] and "name" not in listed["items"][0]
    assert api.get("/api/v1/notices").get_json()["total"] == 0
    assert run_worker(app, now() + LATER).get("timers", 0) == 0  # the notice timer is gone


def test_a_dismissed_objection_lets_the_notice_run_out_then_recognizes(app, api, submitted, colleague):
    application = in_notice(api, submitted)
    ends = api.get("/api/v1/notices").get_json()["items"][0]["notice_ends"]
    assert object_to(api, application["id"]).status_code == 201
    reviewer = colleague("rev-220000-b", "220000")
    after = decide(api, reviewer, application["id"], "approve", "经核查异议不成立")
    assert after["current_step"] == "public_notice" and after["status"] == "in_review"
    # the period is not restarted by the objection
    assert api.get("/api/v1/notices").get_json()["items"][0]["notice_ends"] == ends
    assert run_worker(app, datetime.fromisoformat(ends) - timedelta(hours=1)).get("timers", 0) == 0
    assert get(api, application["id"])["status"] == "in_review"
    after = end_notice(app, api, application["id"], as_="acme")
    assert after["status"] == "recognized"
    assert actions(after)[-2:] == ["public_notice_ended", "recognized"]
    listed = api.get(f"/api/v1/applications/{application['id']}/objections", as_="rev-220000").get_json()
    assert listed["items"][0]["state"] == "dismissed" and listed["items"][0]["contact"] == "13800000000"


def test_two_workers_end_each_notice_exactly_once(app, api, submitted, backend):
    from app.extensions import db
    from app.models import AuditEvent

    ids = [in_notice(api, submitted, username=f"firm{i}")["id"] for i in range(4)]
    later = now() + LATER
    totals = two_workers(app, backend, later)
    assert sum(t.get("timers", 0) for t in totals) == 4
    with app.app_context():
        ended = list(db.session.scalars(db.select(AuditEvent.application_id)
                                        .where(AuditEvent.action == "recognized")))
    assert sorted(ended) == sorted(ids)
    assert all(get(api, i)["status"] == "recognized" for i in ids)


@pytest.mark.parametrize("step", ["expert_review", "public_notice", "objection_review", "spot_check"])
def test_calls_may_set_the_new_steps_deadlines(app, step):
    from datetime import date

    from app.recognition import calls

    with app.app_context():
        call = calls.open_call(None, name="t", tier="province", region_code="220000", opens_on=date(2026, 1, 1),
                               closes_on=date(2026, 12, 31), step_deadlines={step: 7})
        assert call.step_deadlines == {step: 7}


def test_one_contact_may_raise_at_most_three_objections(app, api, submitted, colleague):
    application = in_notice(api, submitted)
    for n in range(3):
        assert object_to(api, application["id"], text=f"第{n + 1}条异议：数据与实际不符。").status_code == 201
    r = object_to(api, application["id"])
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "too_many_objections"
    assert object_to(api, application["id"], contact="13900000000").status_code == 201  # someone else may


def test_the_admin_cockpit_lists_the_timers(app, api, submitted, user_client):
    application = submitted("city")
    decide(api, "rev-220602", application["id"])
    html = user_client("admin").get(f"/admin/applications/{application['id']}/cockpit").get_data(as_text=True)
    rows = dict(re.findall(r'<tr data-timer="([a-z_]+)" data-state="([a-z]+)"', html))
    assert rows == {"county_review_reminder": "cancelled", "county_review_overdue": "cancelled",
                    "city_review_reminder": "waiting", "city_review_overdue": "waiting"}
    assert "逾期督办" in html or "Overdue flag upward" in html


def test_a_worker_skips_an_instance_someone_is_deciding_and_fires_it_next_pass(app, api, submitted, backend):
    """The worker takes instances with SKIP LOCKED on the row a decision locks first: no waiting, no deadlock."""
    from sqlalchemy import create_engine, text

    application = submitted("city")
    later = now() + LATER
    if backend == "postgres":  # a reviewer's transaction holds the instance row
        other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with other.connect() as conn:
            conn.execute(text("SELECT id FROM process_instance WHERE subject_type = 'application' "
                              "AND subject_id = :a FOR UPDATE"),
                         {"a": application["id"]})
            started = datetime.now(UTC)
            assert run_worker(app, later) == {"reminded": 0, "escalated": 0}
            assert datetime.now(UTC) - started < timedelta(seconds=10)  # skipped, not waited for
            conn.rollback()
        other.dispose()
    counts = run_worker(app, later)
    assert counts["reminded"] == 1 and counts["escalated"] == 1
    assert run_worker(app, later) == {"reminded": 0, "escalated": 0}


def test_objections_only_while_the_instance_runs(app, api, submitted):
    from app.extensions import db
    from app.models import User
    from app.recognition import instance_admin

    application = in_notice(api, submitted)
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        instance_admin.suspend(admin, application["id"], "核查举报")
        db.session.commit()
    assert api.get("/api/v1/notices").get_json()["total"] == 0
    assert object_to(api, application["id"]).status_code == 404
    assert get(api, application["id"])["current_step"] == "public_notice"


def test_objectors_are_seen_only_by_the_office_reviewing_them(api, submitted, colleague):
    application = in_notice(api, submitted)
    assert object_to(api, application["id"]).status_code == 201
    url = f"/api/v1/applications/{application['id']}/objections"
    for who in ("rev-220602", "rev-220600", "acme"):  # the county, the city, the enterprise
        items = api.get(url, as_=who).get_json()["items"]
        assert items and "name" not in items[0] and "contact" not in items[0]
    assert api.get(url, as_="rev-220000").get_json()["items"][0]["contact"] == "13800000000"
    # experts never see the application itself, only their own panel tasks
    assert api.get(f"/api/v1/applications/{application['id']}", as_="expert-1").status_code == 404
    assert api.get(url, as_="expert-1").status_code == 404
    assert api.get("/api/v1/applications", as_="expert-1").get_json()["total"] == 0


def test_moving_back_supersedes_open_objections(app, api, submitted):
    from app.extensions import db
    from app.models import User
    from app.recognition import instance_admin

    application = in_notice(api, submitted)
    assert object_to(api, application["id"]).status_code == 201
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        instance_admin.move_back(admin, application["id"], "province_review", "重新核查")
        db.session.commit()
    listed = api.get(f"/api/v1/applications/{application['id']}/objections", as_="admin").get_json()["items"]
    assert [o["state"] for o in listed] == ["superseded"]
    assert get(api, application["id"])["current_step"] == "province_review"


def test_a_version_without_boundary_timers_still_gets_the_deadline_watch(app, api, submitted):
    xml = re.sub(r"\s*<bpmn:boundaryEvent .*?</bpmn:boundaryEvent>", "", BPMN, flags=re.S)
    xml = re.sub(r"\s*<bpmn:flowNodeRef>\w+_(reminder|overdue)</bpmn:flowNodeRef>", "", xml)
    r = api.post("/api/v1/process-definitions/recognition/versions?comment=no-timers", as_="admin",
                 data=xml.encode(), content_type="application/xml")
    assert r.status_code == 201, r.get_json()
    application = submitted("city")
    assert timers(app, application["id"]) == []
    due = datetime.fromisoformat(task_for(api, "rev-220602", application["id"])["due_at"])
    assert run_worker(app, due - timedelta(hours=2)) == {"reminded": 1, "escalated": 0}  # the due day itself
    assert run_worker(app, due + timedelta(hours=1)) == {"reminded": 0, "escalated": 1}
    assert run_worker(app, now() + LATER) == {"reminded": 0, "escalated": 0}
    assert {"reminder", "overdue"} <= set(actions(get(api, application["id"])))
