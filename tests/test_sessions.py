"""Sessions end (issue 16, should fix): logging out in the browser ends the user's sessions, so a copied cookie
stops working; an API token can be revoked (logout) and replaced (refresh), and expires after API_TOKEN_HOURS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import PASSWORD, csrf_token, login


def test_a_copied_session_cookie_stops_working_after_logout(app):
    first = app.test_client()
    assert login(first, "rev-220602").status_code == 302
    assert first.get("/inbox").status_code == 200
    cookie = first.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/inbox").status_code == 200  # a copy works while the session lasts
    r = first.post("/logout", data={"csrf_token": csrf_token(first, "/inbox")})
    assert r.status_code == 302
    assert thief.get("/inbox").status_code == 302  # back to the login page: the copy is dead
    again = app.test_client()
    assert login(again, "rev-220602").status_code == 302 and again.get("/inbox").status_code == 200


def test_api_tokens_expire_refresh_and_revoke(api, client):
    r = client.post("/api/v1/auth/token", json={"username": "rev-220602", "password": PASSWORD})
    body = r.get_json()
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=11) < expires - datetime.now(UTC) <= timedelta(hours=12)
    old = {"Authorization": f"Bearer {body['token']}"}
    r = client.post("/api/v1/auth/refresh", headers=old)
    assert r.status_code == 200
    new = {"Authorization": f"Bearer {r.get_json()['token']}"}
    assert client.get("/api/v1/me", headers=old).status_code == 401  # replaced
    assert client.get("/api/v1/me", headers=new).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=new).get_json() == {"revoked": True}
    r = client.get("/api/v1/me", headers=new)
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"
