"""The process platform's acceptance test, through the API only: an administrator deploys a variant of the
shipped chain under a new key and binds it to one jurisdiction and tier; applications there follow it at once
(no restart, no code change), everyone else keeps the shipped chain.

The variants are in tests/bpmn/: `recognition_baishan_city` moves the expert panel to the city review for
city-tier applications; `recognition_without_notice` is the shipped chain without the public notice (公示).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import approve_at_province, score_panel, task_for

VARIANTS = Path(__file__).resolve().parent / "bpmn"
ADMIN = "admin"


def deploy(api, key: str) -> dict:
    xml = (VARIANTS / f"{key}.bpmn").read_text(encoding="utf-8")
    r = api.post(f"/api/v1/process-definitions/{key}/versions?comment=variant", as_=ADMIN, data=xml.encode(),
                 content_type="application/xml")
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def bind(api, key: str, tier: str, region_code: str) -> dict:
    r = api.post("/api/v1/process-bindings", as_=ADMIN, json={
        "process": "recognition", "definition_key": key, "tier": tier, "region_code": region_code, "sector": None,
        "effective_from": None})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def task(api, reviewer: str, application_id: int) -> dict:
    """The task as its form reads it: GET /api/v1/tasks/<id>."""
    r = api.get(f"/api/v1/tasks/{task_for(api, reviewer, application_id)['id']}", as_=reviewer)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def labels(body: dict) -> dict[str, str | None]:
    return {d["decision"]: d["label"] for d in body["decisions"]}


def decide(api, reviewer: str, body: dict, decision: str = "approve") -> dict:
    r = api.post(f"/api/v1/tasks/{body['id']}/decision", as_=reviewer, json={"decision": decision, "comment": ""})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["application"]


def running(api, key: str) -> int:
    items = api.get("/api/v1/process-definitions", as_=ADMIN).get_json()["items"]
    return sum(v["running"] for d in items if d["key"] == key for v in d["versions"])


def test_a_city_gets_its_own_chain_with_the_expert_panel_at_the_city_review(api, submitted):
    version = deploy(api, "recognition_baishan_city")
    assert (version["key"], version["version"], version["active"]) == ("recognition_baishan_city", 1, True)
    binding = bind(api, "recognition_baishan_city", "city", "220600")

    baishan = submitted("city", username="baishan", region_code="220602")  # 浑江区, 白山市
    changchun = submitted("city", username="changchun", region_code="220104")  # 朝阳区, 长春市
    assert (running(api, "recognition_baishan_city"), running(api, "recognition")) == (1, 1)

    # 白山: county, then the city sends it to an expert panel, the panel scores, the city recognizes
    county = task(api, "rev-220602", baishan["id"])
    assert (county["step"], county["kind"], labels(county)["approve"]) == ("county_review", "decision", "通过/推荐")
    app = decide(api, "rev-220602", county)
    assert (app["current_step"], app["current_office"]["code"]) == ("city_review", "220600")
    first = task(api, "rev-220600", baishan["id"])
    assert first["kind"] == "decision" and first["expert_panel"] is None
    assert first["decisions"] == [{"decision": "approve", "label": "送专家评审"}, {"decision": "return", "label": None},
                                  {"decision": "reject", "label": None}]
    app = decide(api, "rev-220600", first)
    assert app["status"] == "in_review" and app["current_step"] == "expert_review"
    drawn = [h for h in app["history"] if h["action"] == "expert_panel_drawn"]
    assert len(drawn) == 1 and drawn[0]["step"] == "city_review" and drawn[0]["office"]["code"] == "220600"
    panel = api.get("/api/v1/tasks", as_="expert-1").get_json()["items"]
    assert [(t["step"], t["kind"], t["decisions"]) for t in panel] == [("expert_review", "expert_score", [])]
    scored = score_panel(api, baishan["id"], {"expert-1": 85, "expert-3": 75, "expert-4": 80})
    assert sorted(scored) == ["expert-1", "expert-3", "expert-4"]  # expert-2 is from 白山: never drawn
    second = task(api, "rev-220600", baishan["id"])
    assert second["step"] == "city_review" and second["kind"] == "decision"
    assert second["expert_panel"] == {"count": 3, "scored": 3, "mean": 80.0, "spread": 10.0}
    assert labels(second)["approve"] == "予以认定"
    app = decide(api, "rev-220600", second)
    assert app["status"] == "recognized" and app["current_step"] is None
    assert [h["step"] for h in app["history"] if h["action"] == "approve"] == [
        "county_review", "city_review", "city_review"]
    assert api.get("/api/v1/tasks", as_="rev-220000").get_json()["total"] == 0

    # 长春 keeps the shipped chain: the city recognizes on its first review, no panel
    app = decide(api, "rev-220104", task(api, "rev-220104", changchun["id"]))
    city = task(api, "rev-220100", changchun["id"])
    assert city["step"] == "city_review" and city["expert_panel"] is None and labels(city)["approve"] == "予以认定"
    app = decide(api, "rev-220100", city)
    assert app["status"] == "recognized"
    assert not any(h["action"] == "expert_panel_drawn" for h in app["history"])

    # the binding is data: deleted, the next 白山 application runs the shipped chain again
    assert api.delete(f"/api/v1/process-bindings/{binding['id']}", as_=ADMIN).status_code == 204
    again = submitted("city", username="baishan2", region_code="220602")
    assert (running(api, "recognition_baishan_city"), running(api, "recognition")) == (0, 1)
    decide(api, "rev-220602", task(api, "rev-220602", again["id"]))
    assert labels(task(api, "rev-220600", again["id"]))["approve"] == "予以认定"


def test_a_province_without_public_notice_recognizes_on_its_final_approval(api, submitted):
    deploy(api, "recognition_without_notice")
    bind(api, "recognition_without_notice", "province", "140000")
    shanxi = submitted("province", username="shanxi", region_code="140502")
    jilin = submitted("province", username="jilin", region_code="220602")
    assert (running(api, "recognition_without_notice"), running(api, "recognition")) == (1, 1)
    for application, chain, province in ((shanxi, ("140502", "140500"), "140000"),
                                         (jilin, ("220602", "220600"), "220000")):
        for office in chain:
            decide(api, f"rev-{office}", task(api, f"rev-{office}", application["id"]))
        final = approve_at_province(api, application["id"], reviewer=f"rev-{province}")
        if province == "140000":
            assert final["status"] == "recognized" and final["current_step"] is None
            assert not any(h["action"] == "notice_published" for h in final["history"])
        else:
            assert final["status"] == "in_review" and final["current_step"] == "public_notice"
    notices = api.get("/api/v1/notices").get_json()["items"]
    assert [n["application_id"] for n in notices] == [jilin["id"]]


def test_a_step_offers_only_the_decisions_its_bpmn_declares(api, submitted, user_client):
    """A new version whose county review offers approve and reject only: `return` is refused (422, nothing
    changes) and the web form shows the two decisions with the declared label."""
    api.get("/api/v1/process-definitions", as_=ADMIN)  # the shipped definitions are deployed on first use
    shipped = api.get("/api/v1/process-definitions/recognition/versions/1", as_=ADMIN).get_data(as_text=True)
    start = shipped.index('<bpmn:userTask id="county_review"')
    end = shipped.index("</bpmn:userTask>", start)
    county = shipped[start:end].replace('name="decisions" value="approve,return,reject"',
                                        'name="decisions" value="approve,reject"')
    county = county.replace('name="kind" value="decision" />', 'name="kind" value="decision" />\n          '
                            '<spiffworkflow:property name="reject_label" value="不予受理" />')
    r = api.post("/api/v1/process-definitions/recognition/versions?comment=two%20decisions", as_=ADMIN,
                 data=(shipped[:start] + county + shipped[end:]).encode(), content_type="application/xml")
    assert r.status_code == 201, r.get_json()
    application = submitted("city")
    county_task = task(api, "rev-220602", application["id"])
    assert [(d["decision"], d["label"]) for d in county_task["decisions"]] == [("approve", "推荐至市级"),
                                                                              ("reject", "不予受理")]
    page = user_client("rev-220602").get(f"/tasks/{county_task['id']}").get_data(as_text=True)
    assert 'value="approve"' in page and 'value="reject"' in page and "不予受理" in page
    assert 'value="return"' not in page
    r = api.post(f"/api/v1/tasks/{county_task['id']}/decision", as_="rev-220602",
                 json={"decision": "return", "comment": "请补充材料"})
    assert r.status_code == 422 and "approve, reject" in r.get_json()["error"]["message"]
    after = api.get(f"/api/v1/applications/{application['id']}", as_="rev-220602").get_json()
    assert after["status"] == "in_review" and after["current_step"] == "county_review"
    r = api.post(f"/api/v1/tasks/{county_task['id']}/decision", as_="rev-220602",
                 json={"decision": "reject", "comment": "不符合条件"})
    assert r.status_code == 200 and r.get_json()["application"]["status"] == "rejected"


def test_forms_follow_the_declared_kind_whatever_the_step_is_called(app, api, submitted, user_client):
    """The on-site check renamed `onsite_check` in an admin's version still gets its own result form."""
    from datetime import date

    from app.extensions import db
    from app.recognition import calls

    api.get("/api/v1/process-definitions", as_=ADMIN)
    shipped = api.get("/api/v1/process-definitions/recognition/versions/1", as_=ADMIN).get_data(as_text=True)
    renamed = shipped.replace('"spot_check"', '"onsite_check"').replace(">spot_check<", ">onsite_check<") \
        .replace("&quot;spot_check&quot;", "&quot;onsite_check&quot;") \
        .replace('name="kind" value="onsite_check"', 'name="kind" value="spot_check"') \
        .replace('resultVariable="onsite_check"', 'resultVariable="spot_check"')
    assert renamed.count("onsite_check") > 5
    r = api.post("/api/v1/process-definitions/recognition/versions", as_=ADMIN, data=renamed.encode(),
                 content_type="application/xml")
    assert r.status_code == 201, r.get_json()
    with app.app_context():  # every province application in Jilin is drawn for an on-site check
        calls.open_call(None, name="抽查批次", tier="province", region_code="220000", opens_on=date(2020, 1, 1),
                        closes_on=date(2099, 12, 31), spot_check_share=1)
        db.session.commit()
    application = submitted("province")
    for reviewer in ("rev-220602", "rev-220600"):
        r = api.post(f"/api/v1/tasks/{task_for(api, reviewer, application['id'])['id']}/decision", as_=reviewer,
                     json={"decision": "approve", "comment": ""})
        assert r.status_code == 200, r.get_json()
    application = approve_at_province(api, application["id"])
    assert application["current_step"] == "onsite_check"
    check = task(api, "rev-220000", application["id"])
    assert check["kind"] == "spot_check"
    page = user_client("rev-220000").get(f"/tasks/{check['id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="visited_on"' in html and 'name="inspectors"' in html and 'name="findings"' in html


def test_a_data_update_step_is_worked_by_the_enterprise_like_an_amendment(api, submitted):
    api.get("/api/v1/process-definitions", as_=ADMIN)
    shipped = api.get("/api/v1/process-definitions/recognition/versions/1", as_=ADMIN).get_data(as_text=True)
    xml = shipped.replace('name="kind" value="amendment"', 'name="kind" value="data_update"')
    assert xml != shipped
    r = api.post("/api/v1/process-definitions/recognition/versions", as_=ADMIN, data=xml.encode(),
                 content_type="application/xml")
    assert r.status_code == 201, r.get_json()
    application = submitted("city")
    r = api.post(f"/api/v1/tasks/{task_for(api, 'rev-220602', application['id'])['id']}/decision", as_="rev-220602",
                 json={"decision": "return", "comment": "请更新研发费用"})
    assert r.status_code == 200 and r.get_json()["application"]["status"] == "returned"
    r = api.post(f"/api/v1/applications/{application['id']}/submit", as_="acme")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "in_review" and r.get_json()["current_step"] == "county_review"
