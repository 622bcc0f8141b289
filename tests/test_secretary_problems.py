"""Secretaries and problems together (issue 14 §1, §2, §4): a secretary raises and follows the problems of the firms
it serves (not others'), never decides for the office; its workbench counts each firm's open problems; the
一企一册 page and JSON list the firm's problems."""

from __future__ import annotations

from app.extensions import db
from tests.conftest import text
from tests.secretary_support import make_secretary


def test_a_secretary_raises_and_follows_its_firms_problems(app, api, enterprise, password_hash, user_client):
    make_secretary(app, "sec-220602", "220602", password_hash, "王秘书")
    _u, served = enterprise("acme", "220602", name="甲精密制造有限公司")
    _u, other = enterprise("other", "220602", name="乙新材料有限公司")
    r = api.post(f"/api/v1/enterprises/{served['id']}/assignments", as_="rev-220602", json={"secretary": "sec-220602"})
    assert r.status_code == 201, r.get_json()
    body = {"category": "finance", "text": "流动资金贷款审批慢，请协调银行"}
    refused = api.post("/api/v1/problems", as_="sec-220602", json=body | {"enterprise_id": other["id"]})
    assert refused.status_code == 422 and "enterprise_id" in refused.get_json()["error"]["fields"]
    raised = api.post("/api/v1/problems", as_="sec-220602", json=body | {"enterprise_id": served["id"]})
    assert raised.status_code == 201, raised.get_json()
    problem = raised.get_json()
    by_firm = api.post("/api/v1/problems", as_="other", json={"category": "land", "text": "厂房用地指标不足"})
    assert by_firm.status_code == 201
    listed = api.get("/api/v1/problems", as_="sec-220602").get_json()
    assert [p["id"] for p in listed["items"]] == [problem["id"]]  # its firm's, not every firm of the county
    assert api.get(f"/api/v1/problems/{by_firm.get_json()['id']}", as_="sec-220602").status_code == 404
    # the service team of the office decides, not the secretary
    r = api.post(f"/api/v1/problems/{problem['id']}/actions", as_="sec-220602",
                 json={"action": "resolve", "comment": "已协调"})
    assert r.status_code in (403, 409), r.get_json()
    # the workbench counts the firm's open problems; the ledger lists them
    workbench = user_client("sec-220602").get("/secretary")
    assert workbench.status_code == 200 and 'data-open-problems="1"' in workbench.get_data(as_text=True)
    ledger = api.get(f"/api/v1/enterprises/{served['id']}/ledger", as_="rev-220602").get_json()
    assert [p["id"] for p in ledger["problems"]] == [problem["id"]] and ledger["problems"][0]["category"] == "finance"
    page = user_client("rev-220602").get(f"/enterprises/{served['id']}/ledger")
    assert page.status_code == 200 and "流动资金贷款审批慢" in text(page) and "问题诉求" in text(page)


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_a_problem_carries_a_document_and_a_bad_one_stores_nothing(app, api, enterprise, client):
    from io import BytesIO

    from app.models import Problem

    enterprise("acme", "220602", name="甲精密制造有限公司")
    enterprise("other", "220104", name="乙新材料有限公司")
    r = api.post("/api/v1/problems", as_="acme", content_type="multipart/form-data",
                 data={"category": "land", "text": "厂房用地指标不足", "file": (BytesIO(b"MZ not a pdf"), "x.exe")})
    assert r.status_code == 422 and "file" in r.get_json()["error"]["fields"], r.get_json()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Problem.id))) == 0
    r = api.post("/api/v1/problems", as_="acme", content_type="multipart/form-data",
                 data={"category": "land", "text": "厂房用地指标不足", "file": (BytesIO(PDF), "用地说明.pdf")})
    assert r.status_code == 201 and r.get_json()["document"]["name"] == "用地说明.pdf", r.get_json()
    pid = r.get_json()["id"]
    got = api.get(f"/api/v1/problems/{pid}/document", as_="rev-220602")
    assert got.status_code == 200 and got.data == PDF and "attachment" in got.headers["Content-Disposition"]
    assert api.get(f"/api/v1/problems/{pid}/document", as_="other").status_code == 404
    assert api.get(f"/api/v1/problems/{pid}/document", as_="rev-220104").status_code == 404
