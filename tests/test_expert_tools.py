"""What an expert works with (issue 17 item 12): the documents the enterprise uploaded (not the history nor the
other experts), a scoring rubric per tier from workflows/rubrics.json, and stepping back (回避) with a reason,
after which another expert of the pool takes the task over without the panel losing its progress."""

from __future__ import annotations

import io
import re

import pytest

from app.extensions import db
from app.models import AuditEvent, ConflictOfInterest, HumanTask, User
from tests.conftest import EXPERTS, FULL_DATA, csrf_token, score_panel, task_for, text
from tests.test_timers import decide

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _panel_tasks(app, application_id: int) -> dict[str, HumanTask]:
    with app.app_context():
        rows = db.session.scalars(db.select(HumanTask).where(HumanTask.application_id == application_id,
                                                             HumanTask.kind == "expert_score"))
        return {f"{t.assignee.username}:{t.state}": t for t in rows}


@pytest.fixture
def at_panel(app, api, enterprise, password_hash):
    """A provincial application with a document, sent to the expert panel; a fifth expert in the pool."""
    with app.app_context():
        db.session.add(User(username="expert-5", role="expert", region_code="220100", password_hash=password_hash))
        db.session.commit()
    enterprise("acme", "220602")
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "province", "data": dict(FULL_DATA)})
    application_id = r.get_json()["id"]
    r = api.post(f"/api/v1/applications/{application_id}/attachments", as_="acme",
                 data={"doc_type": "business_license", "file": (io.BytesIO(PDF), "营业执照.pdf")},
                 content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()
    attachment = r.get_json()
    r = api.post(f"/api/v1/applications/{application_id}/submit", as_="acme")
    assert r.status_code == 200, r.get_json()
    application = r.get_json()
    decide(api, "rev-220602", application["id"], comment="县级同意")
    decide(api, "rev-220600", application["id"], comment="市级同意")
    after = decide(api, "rev-220000", application["id"])
    assert after["current_step"] == "expert_review"
    return application | {"attachment": attachment["id"]}


def _my_task(api, expert: str, application_id: int) -> int | None:
    tasks = [t for t in api.get("/api/v1/tasks", as_=expert).get_json()["items"]
             if t["application_id"] == application_id]
    return tasks[0]["id"] if tasks else None


def test_the_expert_sees_the_documents_and_the_rubric_but_not_the_history(api, user_client, at_panel):
    expert = next(u for u, _r in EXPERTS if _my_task(api, u, at_panel["id"]))
    task_id = _my_task(api, expert, at_panel["id"])
    client = user_client(expert)
    page = client.get(f"/expert/tasks/{task_id}")
    html, words = page.get_data(as_text=True), text(page)
    assert page.status_code == 200
    assert "营业执照.pdf" in words and f"/expert/tasks/{task_id}/documents/{at_panel['attachment']}" in html
    assert 'data-testid="rubric"' in html and "专精特新中小企业评审参考" in words and "创新能力" in words
    assert "县级同意" not in words and "市级同意" not in words  # not the reviewers' history
    download = client.get(f"/expert/tasks/{task_id}/documents/{at_panel['attachment']}")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    # not through another expert's task, nor a document of another application
    other = next(u for u, _r in EXPERTS if u != expert and _my_task(api, u, at_panel["id"]))
    assert user_client(other).get(f"/expert/tasks/{task_id}/documents/{at_panel['attachment']}").status_code == 404
    assert client.get(f"/expert/tasks/{task_id}/documents/{at_panel['attachment'] + 99}").status_code == 404
    # the general download stays closed to experts (blind review goes through the task)
    assert client.get(f"/attachments/{at_panel['attachment']}").status_code in (403, 404)


def test_the_rubrics_add_up_to_the_score_range():
    from app.recognition import experts

    for tier in ("seed", "city", "province", "national"):
        found = experts.rubric(tier)
        assert found and sum(item["points"] for item in found["items"]) == experts.SCORE_RANGE[1], tier


def test_recusal_hands_the_task_to_another_expert_and_keeps_the_panel(app, api, user_client, at_panel):
    on_panel = [u for u, _r in EXPERTS + [("expert-5", "")] if _my_task(api, u, at_panel["id"])]
    assert len(on_panel) == 3
    # one expert scores first: that progress must survive the recusal
    first, leaving = on_panel[0], on_panel[1]
    score_panel(api, at_panel["id"], {first: 88})
    task_id = _my_task(api, leaving, at_panel["id"])
    client = user_client(leaving)
    url = f"/expert/tasks/{task_id}"
    assert 'data-testid="recuse-form"' in client.get(url).get_data(as_text=True)
    refused = client.post(f"{url}/recuse", data={"csrf_token": csrf_token(client, url), "reason": "  "})
    assert refused.status_code == 422 and _my_task(api, leaving, at_panel["id"]) == task_id
    r = client.post(f"{url}/recuse", data={"csrf_token": csrf_token(client, url), "reason": "曾为该企业提供咨询服务"})
    assert r.status_code == 302
    assert _my_task(api, leaving, at_panel["id"]) is None
    newcomer = [u for u, _r in EXPERTS + [("expert-5", "")]
                if u not in on_panel and _my_task(api, u, at_panel["id"])]
    assert newcomer and newcomer[0] != "expert-2"  # expert-2 is from the enterprise's city
    with app.app_context():
        old = db.session.get(HumanTask, task_id)
        new = db.session.get(HumanTask, _my_task(api, newcomer[0], at_panel["id"]))
        assert (old.state, old.decision) == ("cancelled", "recused")
        assert new.engine_task_id == old.engine_task_id and new.due_at == old.due_at
        leaver = db.session.scalar(db.select(User).where(User.username == leaving))
        assert db.session.scalar(db.select(ConflictOfInterest).where(ConflictOfInterest.user_id == leaver.id))
        assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "expert_recused"))
    # the leaver sees it among the closed tasks as stepped back
    assert "已回避" in text(client.get("/expert/tasks?state=done"))
    # the panel finishes with the newcomer: three scores, the first one kept
    for expert, value in ((on_panel[2], 70), (newcomer[0], 79)):
        r = api.post(f"/api/v1/tasks/{_my_task(api, expert, at_panel['id'])}/score", as_=expert,
                     json={"score": value, "comment": "符合要求"})
        assert r.status_code == 200, r.get_json()
    province = task_for(api, "rev-220000", at_panel["id"])
    page = text(user_client("rev-220000").get(f"/tasks/{province['id']}"))
    assert re.search(r"3\s*/\s*3", page) and "79" in page  # scored / drawn, mean (88 + 70 + 79) / 3 = 79


def test_recusal_without_anyone_to_take_over_changes_nothing(app, api, user_client, at_panel):
    on_panel = [u for u, _r in EXPERTS + [("expert-5", "")] if _my_task(api, u, at_panel["id"])]
    with app.app_context():  # the experts off the panel leave the pool: nobody left can take over
        db.session.execute(db.update(User).where(User.role == "expert", User.username.not_in(on_panel))
                           .values(active=False))
        db.session.commit()
    expert = next(u for u, _r in EXPERTS if _my_task(api, u, at_panel["id"]))
    task_id = _my_task(api, expert, at_panel["id"])
    client = user_client(expert)
    url = f"/expert/tasks/{task_id}"
    r = client.post(f"{url}/recuse", data={"csrf_token": csrf_token(client, url), "reason": "利益相关"})
    assert r.status_code == 422 and "没有其他专家" in text(r)
    assert _my_task(api, expert, at_panel["id"]) == task_id
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ConflictOfInterest)) == 0
