"""Claims to a USCC (issue 16 §8): a squatter registers a real company's USCC first; the company files a claim
with its business licence; the county office of the registered region confirms (the squatter is frozen, the
claimant's new account holds the enterprise) or refuses (nothing changes)."""

from __future__ import annotations

import io

import pytest

from app.extensions import db
from app.models import AuditEvent, Enterprise, UsccClaim, User
from tests.conftest import FULL_DATA, PASSWORD, csrf_token, login, text, valid_uscc

PDF = b"%PDF-1.4\n% business licence\n"
CLAIM = {"registered_name": "吉林真实精密制造有限公司", "contact_name": "王真", "contact_phone": "+86 139-0000-0001",
         "username": "realco", "password": "Real2026pass"}


def file_claim(client, uscc: str, content: bytes = PDF, name: str = "营业执照.pdf", **fields):
    data = dict(CLAIM, uscc=uscc, **fields)
    if content is not None:
        data["file"] = (io.BytesIO(content), name)
    return client.post("/api/v1/uscc-claims", data=data, content_type="multipart/form-data")


def stored_files(app) -> set[str]:
    return {p.name for p in app.config["UPLOAD_DIR"].iterdir()}


def claims_stored(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(UsccClaim.id)))


@pytest.fixture
def squatted(api, enterprise):
    """`squatter` registered a USCC in 浑江区 (220602) and drafted an application; returns the USCC."""
    _username, firm = enterprise("squatter", "220602", name="抢注公司")
    r = api.post("/api/v1/applications", as_="squatter", json={"target_tier": "city", "data": dict(FULL_DATA)})
    assert r.status_code == 201, r.get_json()
    return firm["uscc"]


def test_the_county_confirms_and_the_enterprise_moves_to_the_claimant(app, api, client, squatted, user_client):
    squatter_web = user_client("squatter")
    squatter_token = api.token("squatter")
    assert squatter_web.get("/dashboard").status_code == 200

    r = file_claim(client, squatted)
    assert r.status_code == 201, r.get_json()
    claim_id = r.get_json()["id"]
    assert r.get_json() == {"id": claim_id, "status": "open"}

    # the county office of the registered region sees it, with the licence and the current account
    r = api.get("/api/v1/uscc-claims", as_="rev-220602")
    assert [c["id"] for c in r.get_json()["items"]] == [claim_id]
    claim = r.get_json()["items"][0]
    assert claim["contact_phone"] == "13900000001" and claim["waiting"]["decisions"] == ["confirm", "refuse"]
    assert claim["waiting"]["office"]["code"] == "220602" and claim["waiting"]["due_at"]
    detail = api.get(f"/api/v1/uscc-claims/{claim_id}", as_="rev-220602").get_json()
    assert detail["current_account"]["applications"] == 1
    assert [a["username"] for a in detail["current_account"]["accounts"]] == ["squatter"]
    r = api.get(f"/api/v1/uscc-claims/{claim_id}/licence", as_="rev-220602")
    assert r.status_code == 200 and r.data == PDF and r.mimetype == "application/pdf"
    with app.app_context():  # never the password itself
        row = db.session.get(UsccClaim, claim_id)
        assert row.password_hash and CLAIM["password"] not in row.password_hash

    r = api.post(f"/api/v1/uscc-claims/{claim_id}/decision", as_="rev-220602",
                 json={"decision": "confirm", "comment": "营业执照与登记信息一致"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "confirmed" and r.get_json()["decided_by"] == "rev-220602"

    # the squatter is out: token, browser session and new log-ins
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {squatter_token}"}).status_code == 401
    assert squatter_web.get("/dashboard").status_code == 302
    assert client.post("/api/v1/auth/token", json={"username": "squatter", "password": PASSWORD}).status_code == 401
    assert login(app.test_client(), "squatter").status_code != 302

    # the claimant logs in with its new account and holds the enterprise and its application
    r = client.post("/api/v1/auth/token", json={"username": "realco", "password": CLAIM["password"]})
    assert r.status_code == 200, r.get_json()
    headers = {"Authorization": f"Bearer {r.get_json()['token']}"}
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert me["enterprise"]["uscc"] == squatted and me["enterprise"]["name"] == CLAIM["registered_name"]
    assert client.get("/api/v1/applications", headers=headers).get_json()["total"] == 1
    realco_web = app.test_client()
    assert login(realco_web, "realco", CLAIM["password"]).status_code == 302

    with app.app_context():
        handed = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "uscc_claim_handed_over"))
        assert handed.actor.username == "rev-220602"
        assert handed.details["frozen"] == ["squatter"] and handed.details["old_name"] == "抢注公司"
        assert db.session.scalar(db.select(AuditEvent.id).where(AuditEvent.action == "account_frozen"))
        row = db.session.get(UsccClaim, claim_id)
        assert row.password_hash is None and row.open_uscc is None and row.new_user.username == "realco"
        assert db.session.scalar(db.select(Enterprise).where(Enterprise.uscc == squatted)).name == \
            CLAIM["registered_name"]


def test_refusing_changes_nothing_but_the_claim(app, api, client, squatted):
    claim_id = file_claim(client, squatted).get_json()["id"]
    r = api.post(f"/api/v1/uscc-claims/{claim_id}/decision", as_="rev-220602", json={"decision": "refuse"})
    assert r.status_code == 422 and "comment" in r.get_json()["error"]["fields"]
    r = api.post(f"/api/v1/uscc-claims/{claim_id}/decision", as_="rev-220602", json={"decision": "approve"})
    assert r.status_code == 422
    r = api.post(f"/api/v1/uscc-claims/{claim_id}/decision", as_="rev-220602",
                 json={"decision": "refuse", "comment": "营业执照名称与代码不符"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "declined" and r.get_json()["reason"] == "营业执照名称与代码不符"
    assert api.get("/api/v1/me", as_="squatter").status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(User.id).where(User.username == "realco")) is None
        assert db.session.scalar(db.select(Enterprise).where(Enterprise.uscc == squatted)).name == "抢注公司"
        assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "uscc_claim_declined")).comment \
            == "营业执照名称与代码不符"
    # decided: a second decision is a conflict; a new claim (and the same username) may be filed again
    r = api.post(f"/api/v1/uscc-claims/{claim_id}/decision", as_="rev-220602",
                 json={"decision": "confirm", "comment": ""})
    assert r.status_code == 409
    assert file_claim(client, squatted).status_code == 201


def test_an_unregistered_uscc_is_422_and_nothing_is_stored(app, client):
    before = stored_files(app)
    r = file_claim(client, valid_uscc("220602"))
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "not_registered"
    assert "直接注册" in r.get_json()["error"]["message"] and r.get_json()["error"]["fields"]["uscc"]
    r = file_claim(client, "91220602MA00000000")  # a wrong check character
    assert r.status_code == 422 and "uscc" in r.get_json()["error"]["fields"]
    assert stored_files(app) == before and claims_stored(app) == 0


def test_one_open_claim_per_uscc(app, client, squatted):
    assert file_claim(client, squatted).status_code == 201
    before = stored_files(app)
    r = file_claim(client, squatted, username="someone-else")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "claim_open"
    assert stored_files(app) == before and claims_stored(app) == 1


def test_another_county_gets_404_and_others_see_nothing(api, client, squatted):
    claim_id = file_claim(client, squatted).get_json()["id"]
    assert api.get(f"/api/v1/uscc-claims/{claim_id}", as_="rev-220104").status_code == 404
    assert api.get(f"/api/v1/uscc-claims/{claim_id}/licence", as_="rev-220104").status_code == 404
    r = api.post(f"/api/v1/uscc-claims/{claim_id}/decision", as_="rev-220104",
                 json={"decision": "confirm", "comment": ""})
    assert r.status_code == 404
    assert api.get("/api/v1/uscc-claims", as_="rev-220104").get_json()["total"] == 0
    assert api.get("/api/v1/uscc-claims", as_="squatter").status_code == 403
    assert api.get("/api/v1/uscc-claims", as_="admin").get_json()["total"] == 1
    assert client.get("/api/v1/uscc-claims").status_code == 401
    # the city above sees nothing to decide: the county lane holds it
    r = api.post(f"/api/v1/uscc-claims/{claim_id}/decision", as_="rev-220600",
                 json={"decision": "confirm", "comment": ""})
    assert r.status_code == 404


@pytest.mark.parametrize(("content", "name", "code"), [
    (b"MZ\x90\x00 not a licence", "licence.pdf", "unsupported_type"),
    (b"", "empty.pdf", "invalid"),
    (None, None, "invalid"),
])
def test_a_bad_licence_is_422_and_stores_nothing(app, client, squatted, content, name, code):
    before = stored_files(app)
    r = file_claim(client, squatted, content=content, name=name)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == code, r.get_json()
    assert stored_files(app) == before and claims_stored(app) == 0


def test_bad_fields_are_422_each_named(app, client, squatted):
    r = file_claim(client, squatted, password="password1", contact_phone="call me", username="a b",
                   registered_name="名称\u202e伪装")
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"password", "contact_phone", "username", "registered_name"}
    assert client.post("/api/v1/uscc-claims", json=dict(CLAIM, uscc=squatted)).status_code == 400
    assert claims_stored(app) == 0


def test_the_wanted_username_is_checked_at_filing_and_at_confirmation(app, api, client, squatted, enterprise):
    r = file_claim(client, squatted, username="rev-220602")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "username_taken"
    claim_id = file_claim(client, squatted).get_json()["id"]
    # another open claim wants the same username
    _u, other = enterprise("other-squatter", "220104")
    r = file_claim(client, other["uscc"])
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "username_taken"
    # someone takes it by registering before the county confirms
    r = client.post("/api/v1/enterprises", json={"username": "realco", "password": PASSWORD, "name": "某公司",
                                                 "uscc": valid_uscc("220602"),
                                                 "region_code": "220602", "sector": "industry"})
    assert r.status_code == 201, r.get_json()
    r = api.post(f"/api/v1/uscc-claims/{claim_id}/decision", as_="rev-220602",
                 json={"decision": "confirm", "comment": ""})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "username_taken"
    assert api.get(f"/api/v1/uscc-claims/{claim_id}", as_="rev-220602").get_json()["status"] == "open"
    assert api.get("/api/v1/me", as_="squatter").status_code == 200


def test_the_process_is_declared_in_the_bpmn(app, client, squatted):
    """The review is a user task of the `uscc_claim` definition routed to the county lane; the hand-over is a
    service task naming a catalogue operation (nothing in Python knows the step ids)."""
    from app.models import HumanTask, ProcessInstance

    claim_id = file_claim(client, squatted).get_json()["id"]
    with app.app_context():
        instance = db.session.scalar(db.select(ProcessInstance).where(ProcessInstance.subject_type == "uscc_claim",
                                                                      ProcessInstance.subject_id == claim_id))
        assert instance.definition.key == "uscc_claim"
        task = db.session.scalar(db.select(HumanTask).where(HumanTask.instance_id == instance.id))
        assert task.lane == "county" and task.kind == "decision" and task.office.code == "220602"


def test_the_county_is_told_reminded_and_flagged_overdue(app, client, squatted):
    from datetime import UTC, datetime, timedelta

    from app.models import HumanTask, Notification
    from tests.conftest import run_worker

    def told(username: str) -> list[str]:
        with app.app_context():
            return list(db.session.scalars(db.select(Notification.kind).join(User, User.id == Notification.user_id)
                                           .where(User.username == username).order_by(Notification.id)))

    claim_id = file_claim(client, squatted).get_json()["id"]
    assert told("rev-220602") == ["task_arrived"]
    run_worker(app, datetime.now(UTC) + timedelta(days=40))
    assert told("rev-220602") == ["task_arrived", "reminder", "overdue"]
    assert told("rev-220600") == ["overdue"]  # the city above the county
    with app.app_context():
        task = db.session.scalar(db.select(HumanTask).where(HumanTask.subject_type == "uscc_claim",
                                                            HumanTask.subject_id == claim_id))
        assert task.state == "open" and task.reminded_at and task.escalated_at


# --- the web screens ---------------------------------------------------------------------------------

def test_the_public_form_files_a_claim_and_shows_its_number(app, client, squatted):
    assert "申请认领" in text(client.get("/login"))
    page = client.get(f"/register/claim?uscc={squatted}")
    assert page.status_code == 200 and squatted in page.get_data(as_text=True)
    token = csrf_token(client, "/register/claim")
    data = dict(CLAIM, uscc=squatted, confirm=CLAIM["password"], csrf_token=token,
                file=(io.BytesIO(b"not a licence"), "x.pdf"))
    r = client.post("/register/claim", data=data, content_type="multipart/form-data")
    assert r.status_code == 422 and claims_stored(app) == 0
    data["file"] = (io.BytesIO(PDF), "营业执照.pdf")
    r = client.post("/register/claim", data=data, content_type="multipart/form-data")
    assert r.status_code == 302, text(r)
    page = text(client.get(r.headers["Location"]))
    with app.app_context():
        claim_id = db.session.scalar(db.select(UsccClaim.id))
    assert f"认领编号：{claim_id}" in page or str(claim_id) in page
    assert "浑江区" in page


def test_registering_a_taken_uscc_links_to_the_claim_form(client, squatted):
    token = csrf_token(client, "/register")
    r = client.post("/register", data={"username": "newfirm", "password": "Firm2026pass", "confirm": "Firm2026pass",
                                       "name": "真公司", "uscc": squatted, "region_code": "220602",
                                       "sector": "industry", "csrf_token": token})
    assert r.status_code == 409
    assert f"/register/claim?uscc={squatted}" in r.get_data(as_text=True)


def test_the_county_decides_on_its_claim_page(app, client, squatted, user_client):
    claim_id = file_claim(client, squatted).get_json()["id"]
    county = user_client("rev-220602")
    assert 'data-testid="uscc-claim-count">1<' in county.get("/inbox").get_data(as_text=True)
    listing = text(county.get("/uscc-claims"))
    assert CLAIM["registered_name"] in listing
    page = county.get(f"/uscc-claims/{claim_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="decision-form"' in html and "squatter" in html
    assert county.get(f"/uscc-claims/{claim_id}/licence").data == PDF
    assert user_client("rev-220104").get(f"/uscc-claims/{claim_id}").status_code == 404
    token = csrf_token(county, f"/uscc-claims/{claim_id}")
    r = county.post(f"/uscc-claims/{claim_id}", data={"decision": "refuse", "comment": "", "csrf_token": token})
    assert r.status_code == 422
    r = county.post(f"/uscc-claims/{claim_id}", data={"decision": "confirm", "comment": "核实无误",
                                                      "csrf_token": token})
    assert r.status_code == 302
    page = text(county.get(f"/uscc-claims/{claim_id}"))
    assert "已冻结" in page or "Frozen" in page
    with app.app_context():
        assert db.session.get(UsccClaim, claim_id).status == "confirmed"


def test_the_demo_has_a_claim_waiting_in_hunjiang(app, api):
    from app import demo

    with app.app_context():
        demo.seed()
        demo.seed()  # idempotent
        db.session.commit()
    items = api.get("/api/v1/uscc-claims", as_="rev-220602").get_json()["items"]
    assert [(c["username"], c["status"], c["enterprise"]["name"]) for c in items] == [
        ("ent-jinggong", "open", "浑江精工制造有限公司")]
    r = api.post(f"/api/v1/uscc-claims/{items[0]['id']}/decision", as_="rev-220602",
                 json={"decision": "confirm", "comment": "核实无误"})
    assert r.status_code == 200 and api.token("ent-jinggong")
