"""Accounts (issue 17 §13): password change and the administrator's reset with a forced change (sessions and API
tokens end), an enterprise's colleague accounts, registration errors all at once, a lowercase USCC."""

from __future__ import annotations

import re

from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, login, text, valid_uscc

NEW = "jilin2026x"


def _user(app, username: str):
    from app.models import User

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == username))
        db.session.expunge(user)
        return user


def _change(client, current: str, new: str, confirm: str | None = None):
    return client.post("/account/password", data={"csrf_token": csrf_token(client, "/account/password"),
                                                   "current": current, "new": new, "confirm": confirm or new})


def test_a_user_changes_the_password_other_sessions_and_tokens_end(app, api, client):
    browser = app.test_client()
    other = app.test_client()
    assert login(browser, "rev-220602").status_code == 302 and login(other, "rev-220602").status_code == 302
    token = api.token("rev-220602")
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    wrong = _change(browser, "not-my-password1", NEW)
    assert wrong.status_code == 422 and "当前密码不正确" in text(wrong)
    weak = _change(browser, PASSWORD, "12345678a")
    assert weak.status_code == 422 and "常见" in text(weak)
    assert _change(browser, PASSWORD, PASSWORD).status_code == 422  # not the same again
    r = _change(browser, PASSWORD, NEW)
    assert r.status_code == 302
    assert browser.get("/inbox").status_code == 200  # this browser goes on
    assert other.get("/inbox").status_code == 302  # the other session ended
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert login(app.test_client(), "rev-220602").status_code == 401  # the old password no longer works
    assert login(app.test_client(), "rev-220602", NEW).status_code == 302


def test_api_password_change_ends_every_token(api, client):
    token = api.token("rev-220602")
    bearer = {"Authorization": f"Bearer {token}"}
    bad = client.post("/api/v1/me/password", json={"current": PASSWORD, "new": "short1"}, headers=bearer)
    assert bad.status_code == 422 and "new" in bad.get_json()["error"]["fields"]
    r = client.post("/api/v1/me/password", json={"current": PASSWORD, "new": NEW}, headers=bearer)
    assert r.status_code == 200
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": "rev-220602", "password": NEW}).status_code == 200


def test_admin_resets_a_password_and_the_user_must_change_it_first(app, api, client, user_client):
    victim = app.test_client()
    assert login(victim, "rev-220602").status_code == 302
    token = api.token("rev-220602")
    admin = user_client("admin")
    user_id = _user(app, "rev-220602").id
    r = admin.post(f"/admin/users/{user_id}/reset-password",
                   data={"csrf_token": csrf_token(admin, f"/admin/users/{user_id}")})
    assert r.status_code == 302
    page = admin.get(r.headers["Location"])
    temporary = re.search(r"重置为 (\S+)：", text(page)).group(1)
    assert victim.get("/inbox").status_code == 302  # the old session ended
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    fresh = app.test_client()
    assert login(fresh, "rev-220602", temporary).status_code == 302
    forced = fresh.get("/inbox")
    assert forced.status_code == 302 and forced.headers["Location"].endswith("/account/password")
    assert "请先设置自己的新密码" in text(fresh.get("/account/password"))
    # the API answers 403 password_change_required until it is changed
    api_token = client.post("/api/v1/auth/token", json={"username": "rev-220602", "password": temporary})
    bearer = {"Authorization": f"Bearer {api_token.get_json()['token']}"}
    blocked = client.get("/api/v1/me", headers=bearer)
    assert blocked.status_code == 403 and blocked.get_json()["error"]["code"] == "password_change_required"
    assert _change(fresh, temporary, NEW).status_code == 302
    assert fresh.get("/inbox").status_code == 200
    assert _user(app, "rev-220602").must_change_password is False


def test_the_main_account_adds_a_colleague_who_sees_the_same_applications(app, api, enterprise, user_client):
    enterprise("acme")
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "seed", "data": {"employees": 10}})
    assert r.status_code == 201, r.get_json()
    main = user_client("acme")
    bad = main.post("/account/colleagues", data={"csrf_token": csrf_token(main, "/account/colleagues"),
                                                  "username": "rev-x", "display_name": ""})
    assert bad.status_code == 422
    assert "保留" in text(bad) and "必填项" in text(bad)  # both fields' problems at once
    twisted = main.post("/account/colleagues", data={"csrf_token": csrf_token(main, "/account/colleagues"),
                                                      "username": "acme-zhao", "display_name": "赵\u202e会计"})
    assert twisted.status_code == 422 and "请填写同事姓名" in text(twisted)
    r = main.post("/account/colleagues", data={"csrf_token": csrf_token(main, "/account/colleagues"),
                                                "username": "acme-li", "display_name": "李会计"})
    assert r.status_code == 302
    temporary = re.search(r"临时密码为 (\S+)：", text(main.get("/account/colleagues"))).group(1)
    colleague = app.test_client()
    assert login(colleague, "acme-li", temporary).status_code == 302
    assert _change(colleague, temporary, NEW).status_code == 302
    assert "种子企业) 草稿" in text(colleague.get("/dashboard"))  # the enterprise's draft, on its dashboard
    # a colleague cannot add accounts; the main account deactivates it, which ends its session
    assert colleague.post("/account/colleagues", data={"csrf_token": csrf_token(colleague, "/account/colleagues"),
                                                        "username": "acme-wang", "display_name": "王"}
                          ).status_code == 403
    user_id = _user(app, "acme-li").id
    r = main.post(f"/account/colleagues/{user_id}/active",
                  data={"csrf_token": csrf_token(main, "/account/colleagues"), "active": "0"})
    assert r.status_code == 302
    assert colleague.get("/dashboard").status_code == 302
    assert login(app.test_client(), "acme-li", NEW).status_code == 401


def test_registration_shows_every_field_error_at_once_and_accepts_a_lowercase_uscc(app, client, api):
    token = csrf_token(client, "/register")
    r = client.post("/register", data={"csrf_token": token, "username": "ab", "password": "12345678",
                                       "confirm": "different1", "name": "", "uscc": "123", "region_code": "220600",
                                       "sector": ""})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    for field in ("username", "password", "confirm", "name", "uscc", "region_code", "sector"):
        assert re.search(rf'id="{field}"[^>]*is-invalid|class="[^"]*is-invalid[^"]*"[^>]*id="{field}"', html), field
    uscc = valid_uscc("220602")
    r = client.post("/register", data={"csrf_token": token, "username": "lower-web", "password": "jilin2026",
                                       "confirm": "jilin2026", "name": "小写信用代码有限公司", "uscc": uscc.lower(),
                                       "region_code": "220602", "sector": "industry"})
    assert r.status_code == 302, text(r)
    other = valid_uscc("220602")
    r = api.post("/api/v1/enterprises", json={"username": "lower-api", "password": "jilin2026",
                                              "name": "接口小写有限公司", "uscc": f" {other.lower()} ",
                                              "region_code": "220602", "sector": "industry"})
    assert r.status_code == 201 and r.get_json()["uscc"] == other
    from app.models import Enterprise

    with app.app_context():
        assert db.session.scalar(db.select(Enterprise.uscc).where(Enterprise.name == "小写信用代码有限公司")) == uscc


def test_region_children_feed_the_selector(client):
    provinces = client.get("/regions/children").get_json()
    assert [p["code"] for p in provinces] == ["140000", "220000", "320000"]
    cities = client.get("/regions/children?parent=220000").get_json()
    assert [(c["code"], c["level"]) for c in cities] == [("220100", "city"), ("220600", "city")]
    assert [c["name"] for c in client.get("/regions/children?parent=220600").get_json()] == ["浑江区"]
    assert client.get("/regions/children?parent=999999").get_json() == []
