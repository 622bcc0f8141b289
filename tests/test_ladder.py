"""The ladder on the reviewer's side: what the binding in force requires before an application, shown on the
task (web and API) with whether the enterprise still holds it — a recognition can end while the application
climbs."""

from __future__ import annotations

from tests.conftest import submit_application, task_for, text


def _end_recognition(app, recognition_id: int) -> None:
    from app.core import workdays
    from app.extensions import db
    from app.lifecycle import register
    from app.models import Recognition

    with app.app_context():
        register.exit_(db.session.get(Recognition, recognition_id), "测试：退出", workdays.china_date())
        db.session.commit()


def test_the_reviewer_sees_the_required_province_tier_held_then_missing(app, api, enterprise, grant,
                                                                       user_client):
    enterprise("acme", "220602")
    province = grant("acme", "province")
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "national", "data": {}})
    assert r.status_code == 201, r.get_json()
    from tests.conftest import FULL_DATA

    app_id = r.get_json()["id"]
    assert api.put(f"/api/v1/applications/{app_id}", as_="acme", json={"data": FULL_DATA}).status_code == 200
    assert submit_application(api, "acme", app_id).status_code == 200
    task = task_for(api, "rev-220602", app_id)
    body = api.get(f"/api/v1/tasks/{task['id']}", as_="rev-220602").get_json()
    assert [(p["kind"], p["code"], p["held"]) for p in body["prerequisites"]] == [("tier", "province", True)]
    assert "001 §二(一)4" in body["prerequisites"][0]["clause"]
    page = text(user_client("rev-220602").get(f"/tasks/{task['id']}"))
    assert "前置条件（梯度）" in page and "省级“专精特新”中小企业" in page and "已持有" in page
    _end_recognition(app, province)
    body = api.get(f"/api/v1/tasks/{task['id']}", as_="rev-220602").get_json()
    assert body["prerequisites"][0]["held"] is False
    assert "目前缺失" in text(user_client("rev-220602").get(f"/tasks/{task['id']}"))


def test_a_tier_without_prerequisites_shows_none(api, submitted, user_client):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    assert api.get(f"/api/v1/tasks/{task['id']}", as_="rev-220602").get_json()["prerequisites"] == []
    html = user_client("rev-220602").get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert 'data-testid="ladder"' not in html


def test_a_lifecycle_task_is_not_an_application_task(app, api, enterprise, grant):
    """A revocation's office task lives in the lifecycle list, not the application inbox or its decision API."""
    enterprise("acme", "220602")
    recognition = grant("acme", "province")
    r = api.post(f"/api/v1/recognitions/{recognition}/revocations", as_="rev-220602",
                 json={"ground": "false_information", "details": "申报材料中的专利证书系伪造"})
    assert r.status_code == 201, r.get_json()
    assert api.get("/api/v1/tasks", as_="rev-220000").get_json()["total"] == 0
    from app.extensions import db
    from app.models import HumanTask

    with app.app_context():
        task_id = db.session.scalar(db.select(HumanTask.id).where(HumanTask.subject_type == "case"))
    r = api.post(f"/api/v1/tasks/{task_id}/decision", as_="rev-220000", json={"decision": "approve"})
    assert r.status_code == 404
