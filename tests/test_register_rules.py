"""The register's rules at their edges: who sees what (sector offices, experts), the ladder's library is
entered only by its process, periods over 29 February, 认定文号 per batch, what a campaign offers and covers,
and query parameters out of range."""

from __future__ import annotations

from datetime import date, timedelta

from app.core.workdays import china_date
from tests.conftest import FULL_DATA, task_for


def test_a_sector_office_sees_its_sector_and_an_expert_the_public_entry(api, enterprise, grant):
    enterprise("acme", "220602")  # industry
    held = grant("acme", "province")
    assert api.get(f"/api/v1/recognitions/{held}", as_="rev-220000").status_code == 200
    firm = api.get("/api/v1/me", as_="acme").get_json()["enterprise"]["id"]
    for path in (f"/api/v1/recognitions/{held}", f"/api/v1/enterprises/{firm}/ledger"):
        assert api.get(path, as_="rev-220000-agriculture").status_code == 404, path
    assert api.get("/api/v1/recognitions", as_="rev-220000-agriculture").get_json()["total"] == 0
    public = api.get(f"/api/v1/recognitions/{held}", as_="expert-1").get_json()
    assert "history" not in public and "application_id" not in public and public["status"] == "active"


def test_the_ladders_library_is_entered_by_its_process_the_listing_reserve_by_hand(api, enterprise):
    _user, firm = enterprise("acme", "320831")
    r = api.post("/api/v1/libraries/jinhu_county/members", as_="rev-320831",
                 json={"enterprise_id": firm["id"], "source_ref": "手工添加"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "process_entry_only"
    assert api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": {}}).status_code == 422
    _user, jilin = enterprise("jilin", "220602")
    r = api.post("/api/v1/libraries/jilin_listing_reserve/members", as_="rev-220000",
                 json={"enterprise_id": jilin["id"], "source_ref": "2026年拟上市企业推荐名单"})
    assert r.status_code == 201 and r.get_json()["source"] == "office"


def test_periods_over_29_february():
    from app.lifecycle.register import add_years, period_end

    assert period_end(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert period_end(date(2025, 3, 1), 3) == date(2028, 2, 29)  # renewal: the day after 2028-02-28's period
    assert period_end(date(2026, 12, 6), 3) == date(2029, 12, 5)
    assert add_years(date(2028, 2, 29), -1) == date(2027, 3, 1)


def test_one_document_number_per_batch_and_office_a_certificate_each(api, submitted):
    first = submitted("seed", username="ent-a1")
    second = submitted("seed", username="ent-a2")
    for application in (first, second):
        task = task_for(api, "rev-220602", application["id"])
        r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602", json={"decision": "approve"})
        assert r.json["application"]["status"] == "recognized"
    entries = api.get("/api/v1/recognitions?tier=seed", as_="rev-220602").get_json()["items"]
    assert len(entries) == 2 and len({e["document_no"] for e in entries}) == 1
    assert entries[0]["document_no"] == f"浑江区工业和信息化局认定〔{china_date().year}〕1号"
    assert sorted(e["certificate_no"] for e in entries) == [f"220602S{china_date().year}0000{n}" for n in (1, 2)]


def test_a_library_campaign_offers_no_downgrade_and_a_busy_member_is_not_doubled(api, enterprise, enter_library):
    enterprise("jinhu", "320831")
    enter_library("jinhu", "jinhu_county")
    due = (china_date() + timedelta(days=30)).isoformat()
    r = api.post("/api/v1/campaigns", as_="rev-320831", json={"library": "jinhu_county", "year": 2098, "due_on": due})
    assert r.status_code == 201, r.get_json()
    case_id = r.get_json()["cases"][0]["id"]
    assert api.post(f"/api/v1/cases/{case_id}/update", as_="jinhu", json={"data": dict(FULL_DATA)}).status_code == 200
    task = api.get("/api/v1/cases", as_="rev-320831").get_json()["items"][0]
    assert [d["decision"] for d in task["decisions"]] == ["keep", "exit"]
    r = api.post(f"/api/v1/cases/tasks/{task['task_id']}/decision", as_="rev-320831",
                 json={"decision": "downgrade", "comment": "降级"})
    assert r.status_code == 422
    again = api.post("/api/v1/campaigns", as_="rev-320831", json={"library": "jinhu_county", "year": 2099,
                                                                 "due_on": due})
    assert again.status_code == 422 and again.get_json()["error"]["code"] == "no_members"  # its case is open


def test_numbers_out_of_range_are_422_not_500(api, client):
    for query in ("year=99999", "year=-3", "page=99999999999999999999", "call_id=99999999999999999999",
                  "per_page=0"):
        r = api.get(f"/api/v1/recognitions?{query}")
        assert r.status_code == 422, (query, r.get_json())
    assert client.get("/recognized?page=99999999999999999999").status_code == 200


def test_a_recognized_application_shows_its_register_entry_and_certificate(api, submitted, user_client):
    application = submitted("seed")
    task = task_for(api, "rev-220602", application["id"])
    api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602", json={"decision": "approve"})
    entry = api.get("/api/v1/recognitions", as_="acme").get_json()["items"][0]
    page = user_client("acme").get(f"/applications/{application['id']}").get_data(as_text=True)
    assert 'data-testid="register-entry"' in page and entry["certificate_no"] in page
    assert "已列入认定名录：优质“种子企业”" in page  # Jilin's name for the seed tier
    assert f'/my/recognitions/{entry["id"]}/certificate.pdf' in page
    jinhu = submitted("seed", username="jinhu", region_code="320831")
    task = task_for(api, "rev-320831", jinhu["id"])
    api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-320831", json={"decision": "approve"})
    page = user_client("jinhu").get(f"/applications/{jinhu['id']}").get_data(as_text=True)
    assert "纳入金湖县专精特新小巨人企业培育库" in page


def test_the_enterprise_is_told_how_its_case_ended(api, enterprise, grant, colleague):
    enterprise("acme", "220602")
    held = grant("acme", "province")
    case = api.post(f"/api/v1/recognitions/{held}/revocations", as_="rev-220602",
                    json={"ground": "false_information", "details": "专利证书系伪造"}).get_json()
    api.post(f"/api/v1/cases/{case['id']}/response", as_="acme", json={"response": "证书真实有效"})
    task = next(t for t in api.get("/api/v1/cases", as_="rev-220000").get_json()["items"]
                if t["case"]["id"] == case["id"])
    r = api.post(f"/api/v1/cases/tasks/{task['task_id']}/decision", as_="rev-220000",
                 json={"decision": "revoke", "comment": "经核实专利证书系伪造"})
    assert r.status_code == 200, r.get_json()
    messages = [n["message"] for n in api.get("/api/v1/notifications", as_="acme").get_json()["items"]]
    assert "您的认定的“撤销认定”已办结：认定已撤销。理由：经核实专利证书系伪造" in messages, messages
