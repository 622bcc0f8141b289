"""Non-finite and oversized numbers (issue 16 §9): refused with 422 at the boundary, never stored, never written
out; deeply nested JSON is a 400, not a 500."""

from __future__ import annotations

import pytest

from tests.conftest import FULL_DATA


@pytest.fixture
def draft(api, enterprise) -> int:
    enterprise("acme")
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "seed", "data": dict(FULL_DATA)})
    assert r.status_code == 201
    return r.get_json()["id"]


@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN", "1e400", "-1e400"])
def test_non_finite_numbers_are_refused_and_nothing_is_stored(api, draft, literal):
    before = api.get(f"/api/v1/applications/{draft}", as_="acme").get_json()["data"]
    body = '{"data": {"revenue_last_year": ' + literal + ', "employees": 50}}'
    r = api.put(f"/api/v1/applications/{draft}", as_="acme", data=body, content_type="application/json")
    assert r.status_code == 422, r.get_data(as_text=True)
    assert r.get_json()["error"]["code"] == "non_finite_number"
    assert api.get(f"/api/v1/applications/{draft}", as_="acme").get_json()["data"] == before


def test_huge_integers_are_refused(api, draft):
    body = '{"data": {"employees": 1' + "0" * 400 + "}}"
    r = api.put(f"/api/v1/applications/{draft}", as_="acme", data=body, content_type="application/json")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "number_too_large", r.get_data(as_text=True)
    r = api.put(f"/api/v1/applications/{draft}", as_="acme", json={"data": {"employees": 10**16}})
    assert r.status_code == 422 and "employees" in r.get_json()["error"].get("fields", {}), r.get_json()
    r = api.get(f"/api/v1/applications/{99999999999999999}", as_="acme")  # beyond the INTEGER keys: no such route
    assert r.status_code in (404, 405) and r.get_json()["error"]["code"] in ("not_found", "method_not_allowed")


def test_deeply_nested_json_is_a_bad_request(api, draft):
    body = '{"data": ' + "[" * 100_000 + "]" * 100_000 + "}"
    r = api.put(f"/api/v1/applications/{draft}", as_="acme", data=body, content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "bad_request", r.get_data(as_text=True)


def test_the_api_never_writes_a_non_finite_number(app):
    with app.test_request_context():
        with pytest.raises(ValueError):
            app.json.dumps({"x": float("inf")})
        assert app.json.dumps({"x": 1.5}) == '{"x": 1.5}'


@pytest.mark.parametrize("name", ["甲\u202e司公限有", "\u200b\u200b", "甲公司\n乙公司", "甲\x00公司"])
def test_names_that_could_impersonate_or_break_are_refused(api, name):
    from tests.conftest import valid_uscc

    r = api.post("/api/v1/enterprises", json={"username": "newfirm", "password": "jilin2026", "name": name,
                                              "uscc": valid_uscc("220602"), "region_code": "220602",
                                              "sector": "industry"})
    assert r.status_code == 422, r.get_json()
    assert "name" in r.get_json()["error"].get("fields", {}) or r.get_json()["error"]["code"] == "control_characters"


def test_zero_width_characters_are_removed_from_a_name(api):
    from tests.conftest import valid_uscc

    r = api.post("/api/v1/enterprises", json={"username": "newfirm", "password": "jilin2026",
                                              "name": "甲\u200b精密\u200d制造有限公司", "uscc": valid_uscc("220602"),
                                              "region_code": "220602", "sector": "industry"})
    assert r.status_code == 201 and r.get_json()["name"] == "甲精密制造有限公司", r.get_json()


def test_nul_in_a_form_or_a_query_is_refused(client):
    assert client.get("/recognized?q=a%00b").status_code == 422
    from tests.conftest import csrf_token

    r = client.post("/login", data={"username": "ad\x00min", "password": "x",
                                    "csrf_token": csrf_token(client, "/login")})
    assert r.status_code == 422 and "控制字符" in r.get_data(as_text=True)
