"""Problems (问题诉求, issue 14): a problem climbs the service teams of the enterprise's sector until solved,
the enterprise confirms or reopens it (闭环), an overdue level is flagged one level up, an unanswered resolution
closes itself. Real engine, real database."""

from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.models.base import utcnow
from tests.conftest import run_worker


def _office_of(app, problem_id: int) -> str | None:
    from app.models import HumanTask

    with app.app_context():
        task = db.session.scalar(db.select(HumanTask).where(HumanTask.subject_type == "problem",
                                                            HumanTask.subject_id == problem_id,
                                                            HumanTask.state == "open"))
        return task.office.code if task is not None and task.office is not None else None


def _raise(api, username: str, category: str = "finance", text: str = "流动资金贷款审批慢，请协调银行"):
    r = api.post("/api/v1/problems", as_=username, json={"category": category, "text": text})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_construction_firm_in_changchun_climbs_is_reopened_once_and_confirmed(app, api, enterprise):
    enterprise("jianzhu", region_code="220104", sector="construction", name="长春测试建设有限公司")
    problem = _raise(api, "jianzhu")
    assert problem["status"] == "open" and problem["level"] == "city"
    assert problem["current_office"]["code"] == "220100-construction"  # 长春 construction service team
    pid = problem["id"]
    # the enterprise cannot act while the city holds it
    r = api.post(f"/api/v1/problems/{pid}/actions", as_="jianzhu", json={"action": "confirm"})
    assert r.status_code == 409
    # escalating needs a reason; without one nothing changes
    r = api.post(f"/api/v1/problems/{pid}/actions", as_="rev-220100-construction", json={"action": "escalate"})
    assert r.status_code == 422 and "comment" in r.get_json()["error"]["fields"]
    assert _office_of(app, pid) == "220100-construction"
    r = api.post(f"/api/v1/problems/{pid}/actions", as_="rev-220100-construction",
                 json={"action": "escalate", "comment": "涉及省级政策性担保，市级无法解决"})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["level"] == "province" and body["current_office"]["code"] == "220000-construction"  # 吉林省住建厅
    assert body["escalations"] == 1
    # the city no longer holds it
    r = api.post(f"/api/v1/problems/{pid}/actions", as_="rev-220100-construction",
                 json={"action": "resolve", "comment": "x"})
    assert r.status_code == 409
    r = api.post(f"/api/v1/problems/{pid}/actions", as_="rev-220000-construction",
                 json={"action": "resolve", "comment": "已协调省信用担保集团提供担保"})
    assert r.status_code == 200 and r.get_json()["status"] == "resolved"
    assert r.get_json()["current_office"] is None and r.get_json()["actions"] == ["confirm", "reopen"]
    # reopened once: back to the level that resolved it
    r = api.post(f"/api/v1/problems/{pid}/actions", as_="jianzhu", json={"action": "reopen", "comment": "担保仍未落实"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "open" and r.get_json()["level"] == "province"
    assert r.get_json()["current_office"]["code"] == "220000-construction" and r.get_json()["reopened"] == 1
    r = api.post(f"/api/v1/problems/{pid}/actions", as_="rev-220000-construction",
                 json={"action": "resolve", "comment": "担保合同已签订"})
    assert r.status_code == 200
    r = api.post(f"/api/v1/problems/{pid}/actions", as_="jianzhu", json={"action": "confirm"})
    assert r.status_code == 200, r.get_json()
    done = r.get_json()
    assert done["status"] == "closed" and done["closed_at"] and done["resolution"] == "担保合同已签订"
    actions = [h["action"] for h in done["history"]]
    assert actions == ["problem_raised", "problem_escalate", "problem_resolve", "problem_reopen", "problem_resolve",
                       "problem_confirm"]
    assert done["history"][1]["comment"] == "涉及省级政策性担保，市级无法解决"
    # nothing more to do
    r = api.post(f"/api/v1/problems/{pid}/actions", as_="jianzhu", json={"action": "reopen", "comment": "again"})
    assert r.status_code == 409


def test_industry_firm_goes_to_the_industry_team_and_climbs_to_the_government(api, enterprise):
    enterprise("gongye", region_code="220104", sector="industry")
    problem = _raise(api, "gongye", category="land")
    assert problem["current_office"]["code"] == "220100"  # 长春市工业和信息化局
    pid = problem["id"]
    for holder, comment in (("rev-220100", "需省级协调用地指标"), ("rev-220000", "提交领导小组办公室")):
        r = api.post(f"/api/v1/problems/{pid}/actions", as_=holder, json={"action": "escalate", "comment": comment})
        assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["level"] == "leading_group" and body["current_office"]["code"] == "220000"
    r = api.post(f"/api/v1/problems/{pid}/actions", as_="rev-220000",
                 json={"action": "escalate", "comment": "重大问题，提请省政府研究"})
    assert r.get_json()["level"] == "government" and r.get_json()["actions"] == ["resolve"]


def test_other_county_staff_get_404_and_bad_input_changes_nothing(app, api, enterprise):
    enterprise("jianzhu", region_code="220104", sector="construction")
    pid = _raise(api, "jianzhu")["id"]
    assert api.get(f"/api/v1/problems/{pid}", as_="rev-220602").status_code == 404
    assert api.post(f"/api/v1/problems/{pid}/actions", as_="rev-220602",
                    json={"action": "resolve", "comment": "x"}).status_code == 404
    assert api.get(f"/api/v1/problems/{pid}", as_="rev-220100-construction").status_code == 200
    assert pid not in [p["id"] for p in api.get("/api/v1/problems", as_="rev-220602").get_json()["items"]]
    listed = api.get("/api/v1/problems?category=finance&level=city", as_="rev-220100-construction").get_json()
    assert [p["id"] for p in listed["items"]] == [pid]
    # bad input: 422 with fields, nothing stored
    from app.models import Problem

    with app.app_context():
        before = db.session.scalar(db.select(db.func.count(Problem.id)))
    r = api.post("/api/v1/problems", as_="jianzhu", json={"category": "money", "text": ""})
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"category", "text"}
    r = api.post(f"/api/v1/problems/{pid}/actions", as_="rev-220100-construction", json={"action": "fly"})
    assert r.status_code == 422 and "action" in r.get_json()["error"]["fields"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Problem.id))) == before
    assert _office_of(app, pid) == "220100-construction"
    assert api.get(f"/api/v1/problems/{pid}", as_="jianzhu").get_json()["history"][-1]["action"] == "problem_raised"


def test_overdue_problem_is_flagged_one_level_up(app, api, enterprise):
    from app.models import Notification, Office, User

    enterprise("jianzhu", region_code="220104", sector="construction")
    pid = _raise(api, "jianzhu")["id"]
    run_worker(app, utcnow() + timedelta(days=30))
    body = api.get(f"/api/v1/problems/{pid}", as_="rev-220100-construction").get_json()
    assert body["overdue"] is True
    flagged = [h for h in body["history"] if h["action"] == "problem_flagged_up"]
    assert flagged and flagged[0]["office"] == "吉林省住房和城乡建设厅"
    with app.app_context():
        province = db.session.scalar(db.select(Office).where(Office.code == "220000-construction"))
        reviewers = db.select(User.id).where(User.office_id == province.id)
        assert db.session.scalar(db.select(db.func.count(Notification.id)).where(
            Notification.user_id.in_(reviewers), Notification.kind == "overdue")) >= 1
    overdue = api.get("/api/v1/problems?overdue=1", as_="rev-220100-construction").get_json()
    assert [p["id"] for p in overdue["items"]] == [pid]


def test_resolved_problem_closes_itself_without_confirmation(app, api, enterprise):
    enterprise("jianzhu", region_code="220104", sector="construction")
    pid = _raise(api, "jianzhu")["id"]
    r = api.post(f"/api/v1/problems/{pid}/actions", as_="rev-220100-construction",
                 json={"action": "resolve", "comment": "已协调"})
    assert r.get_json()["status"] == "resolved"
    run_worker(app, utcnow() + timedelta(days=2))
    assert api.get(f"/api/v1/problems/{pid}", as_="jianzhu").get_json()["status"] == "resolved"
    run_worker(app, utcnow() + timedelta(days=20))
    body = api.get(f"/api/v1/problems/{pid}", as_="jianzhu").get_json()
    assert body["status"] == "closed" and body["actions"] == []
    assert body["history"][-1]["action"] == "problem_closed_unanswered"


def test_an_office_raises_on_behalf_of_an_enterprise_of_its_jurisdiction(api, enterprise):
    _name, firm = enterprise("jianzhu", region_code="220104", sector="construction")
    r = api.post("/api/v1/problems", as_="rev-220602", json={"category": "talent", "text": "引进人才落户难",
                                                            "enterprise_id": firm["id"]})
    assert r.status_code == 422 and "enterprise_id" in r.get_json()["error"]["fields"]
    r = api.post("/api/v1/problems", as_="rev-220104", json={"category": "talent", "text": "引进人才落户难",
                                                            "enterprise_id": firm["id"]})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["enterprise"]["id"] == firm["id"] and body["current_office"]["code"] == "220100-construction"
    assert [p["id"] for p in api.get("/api/v1/problems", as_="jianzhu").get_json()["items"]] == [body["id"]]
