"""Issue 17 §3: the materials an application carries (workflows/materials.json), submission refused with a clear
list while one is missing (web and API), the templates to download, uploads while the application is with the
enterprise, the requested documents before a resubmission, and the 真实性承诺 box at a web submission."""

from __future__ import annotations

import json

from app.extensions import db
from app.models import Application, AuditEvent
from tests.conftest import FULL_DATA, attach_materials, csrf_token, task_for, text
from tests.test_workbench import PDF, decide, upload


def _draft(api, user="acme", tier="city"):
    r = api.post("/api/v1/applications", as_=user, json={"target_tier": tier, "data": FULL_DATA})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def test_the_api_keeps_its_contract_unless_materials_are_required_over_it(app, api, enterprise):
    """DESIGN's submit answers 200 without documents; API_REQUIRE_MATERIALS turns the web's rule on for the API."""
    enterprise("acme")
    app_id = _draft(api)
    r = api.post(f"/api/v1/applications/{app_id}/submit", as_="acme")
    assert r.status_code == 200 and r.get_json()["status"] == "in_review"


def test_the_api_refuses_a_submission_with_the_list_of_missing_materials(app, api, enterprise, monkeypatch):
    monkeypatch.setitem(app.config, "API_REQUIRE_MATERIALS", True)
    enterprise("acme")
    app_id = _draft(api)
    listed = api.get(f"/api/v1/applications/{app_id}/materials", as_="acme").get_json()
    required = [m["doc_type"] for m in listed["items"] if m["required"]]
    assert required == ["application_form", "business_license", "audit_report", "social_insurance",
                        "truthfulness_statement", "compliance_pledge"]
    assert {m["doc_type"] for m in listed["items"] if m["template"]} == {
        "application_form", "truthfulness_statement", "compliance_pledge"}
    assert upload(api, "acme", app_id, PDF, doc_type="business_license").status_code == 201
    r = api.post(f"/api/v1/applications/{app_id}/submit", as_="acme")
    error = r.get_json()["error"]
    assert r.status_code == 422 and error["code"] == "materials_missing"
    assert error["missing"] == ["application_form", "audit_report", "social_insurance", "truthfulness_statement",
                                "compliance_pledge"]
    assert error["message"] == "提交前请上传以下材料：申报书、审计报告、社保缴纳证明、真实性声明、合规经营承诺"
    body = api.get(f"/api/v1/applications/{app_id}", as_="acme").get_json()
    assert body["status"] == "draft" and "submit" not in [h["action"] for h in body["history"]]
    assert attach_materials(api, "acme", app_id) == error["missing"]
    r = api.post(f"/api/v1/applications/{app_id}/submit", as_="acme", json={"declaration": True})
    assert r.status_code == 200, r.get_json()
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "submit")).one()
        assert event.details["declared"] is True


def test_the_seed_tier_needs_fewer_materials_and_a_jurisdiction_can_ask_for_more(app, api, enterprise, tmp_path):
    enterprise("acme", "220602")
    seed = _draft(api, tier="seed")
    listed = api.get(f"/api/v1/applications/{seed}/materials", as_="acme").get_json()
    assert listed["missing"] == ["application_form", "business_license", "truthfulness_statement",
                                 "compliance_pledge"]
    config = json.loads(open("workflows/materials.json", encoding="utf-8").read())
    config["sets"].append({"tier": "seed", "region": "220600", "required": ["ip_certificate"], "optional": []})
    path = tmp_path / "materials.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    app.config["MATERIALS_FILE"] = str(path)
    try:  # Baishan (220600) asks its seed firms for the IP certificates: the nearest set wins
        listed = api.get(f"/api/v1/applications/{seed}/materials", as_="acme").get_json()
        assert listed["missing"] == ["ip_certificate"]
    finally:
        del app.config["MATERIALS_FILE"]


def test_the_web_lists_materials_offers_templates_and_needs_the_declaration(app, api, enterprise, user_client):
    enterprise("acme")
    app_id = _draft(api)
    c = user_client("acme")
    url = f"/applications/{app_id}"
    page = c.get(url)
    html = page.get_data(as_text=True)
    assert 'data-material="audit_report" data-missing="true"' in html and "必需" in text(page)
    assert 'data-testid="declaration"' in html
    for doc_type in ("application_form", "truthfulness_statement", "compliance_pledge"):
        r = c.get(f"{url}/templates/{doc_type}.pdf")
        assert r.status_code == 200 and r.mimetype == "application/pdf" and r.data.startswith(b"%PDF")
    assert c.get(f"{url}/templates/business_license.pdf").status_code == 404
    assert user_client("rev-220100").get(f"{url}/templates/application_form.pdf").status_code == 404
    # without the materials: refused with the list, nothing submitted
    r = c.post(f"{url}/submit", data={"csrf_token": csrf_token(c, url), "declaration": "y"}, follow_redirects=True)
    assert "提交前请上传以下材料：申报书、营业执照、审计报告" in text(r)
    attach_materials(api, "acme", app_id)
    assert 'data-material="audit_report" data-missing="false"' in c.get(url).get_data(as_text=True)
    # without the 真实性承诺 box: refused
    r = c.post(f"{url}/submit", data={"csrf_token": csrf_token(c, url)})
    assert r.status_code == 422 and "提交前请勾选真实性承诺" in text(r)
    with app.app_context():
        assert db.session.get(Application, app_id).status == "draft"
    r = c.post(f"{url}/submit", data={"csrf_token": csrf_token(c, url), "declaration": "y"})
    assert r.status_code == 302
    with app.app_context():
        assert db.session.get(Application, app_id).status == "in_review"


def test_the_form_needs_the_declaration_only_to_submit(app, api, enterprise, user_client):
    enterprise("acme")
    app_id = _draft(api)
    attach_materials(api, "acme", app_id)
    c = user_client("acme")
    edit = f"/applications/{app_id}/edit"
    fields = {"csrf_token": csrf_token(c, edit), "target_tier": "city", "revenue_last_year": "30,000.00",
              "rd_expense_last_year": "1,800", "employees": "600"}
    assert c.post(edit, data=fields | {"save": "1"}).status_code == 302
    r = c.post(edit, data=fields | {"submit": "1"})
    assert r.status_code == 422
    assert "提交前请勾选真实性承诺" in text(r)
    assert 'data-testid="save-first"' in c.get("/applications/new").get_data(as_text=True)
    assert 'name="submit"' not in c.get("/applications/new").get_data(as_text=True)


def test_requested_documents_block_the_resubmission_and_can_be_uploaded_while_returned(app, api, submitted, user_client,
                                                                                      monkeypatch):
    monkeypatch.setitem(app.config, "API_REQUIRE_MATERIALS", True)
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    r = decide(api, "rev-220602", task["id"], "return", "请补充材料",
               requested_documents=[{"doc_type": "ip_certificate", "note": "发明专利证书"},
                                    {"doc_type": "audit_report", "note": "2025年度审计报告"}])
    assert r.get_json()["application"]["status"] == "returned"
    r = api.post(f"/api/v1/applications/{application['id']}/submit", as_="acme")
    assert r.status_code == 422 and r.get_json()["error"]["missing"] == ["audit_report", "ip_certificate"]
    page = user_client("acme").get(f"/applications/{application['id']}").get_data(as_text=True)
    assert 'data-material="ip_certificate" data-missing="true"' in page and "发明专利证书" in page
    assert 'data-testid="upload-form"' in page  # with the enterprise: uploads are open
    assert attach_materials(api, "acme", application["id"]) == ["audit_report", "ip_certificate"]
    r = api.post(f"/api/v1/applications/{application['id']}/submit", as_="acme")
    assert r.status_code == 200 and r.get_json()["status"] == "in_review"
