"""Abuse limits and the password policy (issue 16 §7): a per-username lockout after failed logins (even the
right password waits), a per-address limit, 429 with the error body and Retry-After, limits on registrations and
objections; an unknown username costs what a wrong password costs; well-known passwords are refused."""

from __future__ import annotations

import statistics
import time
from io import BytesIO

import pytest

from app import create_app
from app.extensions import db, limiter
from tests.conftest import FULL_DATA, PASSWORD, csrf_token, submit_application, valid_uscc
from tests.test_timers import in_notice


@pytest.fixture
def limited(app):
    """A second app on the same database with the abuse limits on and small numbers, in its own memory store."""
    from config import TestingConfig

    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"],
                "ABUSE_LIMITS": True, "RATELIMIT_STORAGE_URI": "memory://",
                "LOGIN_LIMIT_ACCOUNT": "3 per 15 minutes", "LOGIN_LIMIT_CLIENT": "8 per minute",
                "REGISTER_LIMIT": "2 per hour", "OBJECTION_LIMIT_CLIENT": "50 per hour",
                "OBJECTION_LIMIT_APPLICATION": "2 per hour"}
    limited_app = create_app(type("Limited", (TestingConfig,), settings))
    yield limited_app
    limiter.reset()


def token(client, username: str, password: str):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def test_failed_logins_lock_the_username_even_for_the_right_password(limited):
    client = limited.test_client()
    for _ in range(3):
        assert token(client, "rev-220602", "wrong-pass1").status_code == 401
    r = token(client, "rev-220602", PASSWORD)
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "rate_limited", r.get_json()
    assert "稍后再试" in r.get_json()["error"]["message"] and int(r.headers["Retry-After"]) > 0
    assert token(client, "rev-220104", PASSWORD).status_code == 200  # another account is not locked
    assert token(client, " REV-220602 ", PASSWORD).status_code == 429  # nor a respelling of the locked one


def test_one_address_may_try_only_so_often(limited):
    client = limited.test_client()
    statuses = [token(client, f"nobody{i}", "wrong-pass1").status_code for i in range(9)]
    assert statuses[:8] == [401] * 8 and statuses[8] == 429


def test_the_login_form_locks_too_with_a_page_in_chinese(limited):
    client = limited.test_client()
    for _ in range(3):
        r = client.post("/login", data={"username": "admin", "password": "wrong-pass1",
                                         "csrf_token": csrf_token(client, "/login")})
        assert r.status_code in (401, 422)
    r = client.post("/login", data={"username": "admin", "password": PASSWORD,
                                     "csrf_token": csrf_token(client, "/login")})
    assert r.status_code == 429 and "尝试次数过多" in r.get_data(as_text=True)


def test_registrations_from_one_address_are_limited(limited):
    client = limited.test_client()
    statuses = []
    for n in range(3):
        statuses.append(client.post("/api/v1/enterprises", json={
            "username": f"firm{n}", "password": "jilin2026", "name": f"企业{n}", "uscc": valid_uscc("220602"),
            "region_code": "220602", "sector": "industry"}).status_code)
    assert statuses == [201, 201, 429]


def test_objections_against_one_application_are_limited(app, api, submitted, limited):
    application = in_notice(api, submitted)
    client = limited.test_client()
    body = {"name": "张三", "text": "该企业研发人员数量与社保记录不符。"}
    statuses = [client.post(f"/api/v1/notices/{application['id']}/objections",
                            json=body | {"contact": f"1390000000{n}"}).status_code for n in range(3)]
    assert statuses == [201, 201, 429]


@pytest.mark.parametrize("password", ["password1", "qwerty12", "12345678a", "        ", " jilin2026", "aaaa1111"])
def test_well_known_and_padded_passwords_are_refused(api, password):
    r = api.post("/api/v1/enterprises", json={"username": "newfirm", "password": password, "name": "新企业",
                                              "uscc": valid_uscc("220602"), "region_code": "220602",
                                              "sector": "industry"})
    assert r.status_code == 422 and "password" in r.get_json()["error"]["fields"], r.get_json()


def test_an_unknown_username_costs_what_a_wrong_password_costs(app):
    """With a real hash (scrypt), failing for a user that does not exist takes as long as for one that does."""
    from app.core.errors import Unauthorized
    from app.extensions import db
    from app.models import User
    from app.org import accounts

    with app.app_context():
        app.config["PASSWORD_HASH_METHOD"] = "scrypt"
        try:
            user = db.session.scalar(db.select(User).where(User.username == "admin"))
            user.set_password(PASSWORD)

            def cost(username: str) -> float:
                started = time.perf_counter()
                with pytest.raises(Unauthorized):
                    accounts.authenticate(username, "wrong-pass1")
                return time.perf_counter() - started

            cost("nobody-at-all")  # the first call makes the dummy hash
            unknown = statistics.median(cost("nobody-at-all") for _ in range(5))
            known = statistics.median(cost("admin") for _ in range(5))
        finally:
            app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1"
            db.session.rollback()
    assert unknown > known / 3, (unknown, known)  # without the dummy check: microseconds against milliseconds


# --- uploads: quotas and deletion while a draft ---------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _upload(api, application_id: int, name: str = "licence.pdf"):
    return api.post(f"/api/v1/applications/{application_id}/attachments", as_="acme",
                    data={"doc_type": "business_license", "file": (BytesIO(PDF), name)},
                    content_type="multipart/form-data")


def test_an_application_holds_a_bounded_number_of_documents(app, api, enterprise, monkeypatch):
    from app.workbench import evidence

    enterprise("acme")
    draft = api.post("/api/v1/applications", as_="acme", json={"target_tier": "seed", "data": {}}).get_json()
    monkeypatch.setattr(evidence, "QUOTA_APPLICATION", (2, 10**9))
    assert [_upload(api, draft["id"], f"{n}.pdf").status_code for n in range(2)] == [201, 201]
    r = _upload(api, draft["id"], "3.pdf")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "quota_exceeded", r.get_json()
    listed = api.get(f"/api/v1/applications/{draft['id']}/attachments", as_="acme").get_json()
    assert listed["total"] == 2  # nothing stored by the refused upload
    # deleting one frees a place, while the application is a draft
    assert api.delete(f"/api/v1/attachments/{listed['items'][0]['id']}", as_="acme").status_code == 204
    assert _upload(api, draft["id"], "3.pdf").status_code == 201


def test_documents_are_deleted_only_by_their_owner_and_only_from_a_draft(app, api, enterprise):
    from app.models import Attachment

    enterprise("acme")
    enterprise("other")
    draft = api.post("/api/v1/applications", as_="acme", json={"target_tier": "seed",
                                                              "data": dict(FULL_DATA)}).get_json()
    attachment = _upload(api, draft["id"]).get_json()
    assert api.delete(f"/api/v1/attachments/{attachment['id']}", as_="other").status_code == 404
    assert api.delete(f"/api/v1/attachments/{attachment['id']}", as_="rev-220602").status_code in (403, 404)
    assert submit_application(api, "acme", draft['id']).status_code == 200
    r = api.delete(f"/api/v1/attachments/{attachment['id']}", as_="acme")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "not_a_draft"
    with app.app_context():
        row = db.session.get(Attachment, attachment["id"])
        assert row is not None and (app.config["UPLOAD_DIR"] / row.stored_name).is_file()


def test_the_draft_page_offers_deletion(app, api, enterprise, user_client):
    from app.models import Attachment

    enterprise("acme")
    draft = api.post("/api/v1/applications", as_="acme", json={"target_tier": "seed", "data": {}}).get_json()
    attachment = _upload(api, draft["id"]).get_json()
    client = user_client("acme")
    page = client.get(f"/applications/{draft['id']}")
    assert 'data-testid="delete-attachment"' in page.get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(Attachment, attachment["id"]).stored_name
    r = client.post(f"/attachments/{attachment['id']}/delete",
                    data={"csrf_token": csrf_token(client, f"/applications/{draft['id']}")})
    assert r.status_code == 302
    with app.app_context():
        assert db.session.get(Attachment, attachment["id"]) is None
    assert not (app.config["UPLOAD_DIR"] / stored).exists()
    page = client.get(f"/applications/{draft['id']}").get_data(as_text=True)
    assert "已删除“licence.pdf”" in page and f'data-attachment="{attachment["id"]}"' not in page


def test_security_headers_on_pages_and_the_api(client):
    for path in ("/login", "/notices", "/api/v1/notices", "/healthz"):
        r = client.get(path)
        csp = r.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp, path
        assert r.headers["X-Frame-Options"] == "DENY" and r.headers["Referrer-Policy"] == "same-origin"
        assert r.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("username", ["rev-220000", "rev-999999", "admin", "leader-220000", "expert-9"])
def test_registration_does_not_reveal_staff_accounts(api, username):
    """A staff-style name is refused the same way whether or not the account exists: no probing (issue 16 §7)."""
    r = api.post("/api/v1/enterprises", json={"username": username, "password": "jilin2026", "name": "新企业",
                                              "uscc": valid_uscc("220602"), "region_code": "220602",
                                              "sector": "industry"})
    assert r.status_code == 422
    assert r.get_json()["error"]["fields"]["username"] == "该名称保留给机关账号使用，请另选一个"
