"""Malformed input is a 4xx with the error body, never a 500 (issue 16, should fix): huge pages and ids, huge
filters, wrong JSON types in every field that takes ids, names or notes."""

from __future__ import annotations

import pytest

BIG = 2**31 + 5  # beyond the INTEGER primary keys


@pytest.fixture
def setup(api, submitted):
    application = submitted("city")
    task = api.get("/api/v1/tasks", as_="rev-220602").get_json()["items"][0]
    return {"application": application, "task": task}


@pytest.mark.parametrize(("method", "path", "body"), [
    ("get", f"/api/v1/applications/{BIG}", None),
    ("get", f"/api/v1/tasks/{BIG}", None),
    ("get", "/api/v1/tasks?page=99999999999999999999", None),
    ("get", "/api/v1/tasks?min_age_days=99999999999999999999", None),
    ("post", "/api/v1/tasks/bulk-decision", {"task_ids": "1,2", "decision": "approve"}),
    ("post", "/api/v1/tasks/bulk-decision", {"task_ids": [{"id": 1}], "decision": "approve"}),
    ("post", "/api/v1/tasks/bulk-decision", {"task_ids": [BIG], "decision": "approve"}),
    ("post", "/api/v1/tasks/bulk-decision", {"task_ids": [True], "decision": "approve"}),
    ("post", "/api/v1/tasks/{task}/hand-over", {"to": ["rev-220602-b"]}),
    ("post", "/api/v1/tasks/{task}/hand-over", {"to": 12}),
    ("post", "/api/v1/tasks/{task}/decision", {"decision": ["approve"]}),
    ("post", "/api/v1/tasks/{task}/decision", {"decision": "return", "comment": {"x": 1},
                                              "requested_documents": [{"doc_type": "audit_report", "note": ["x"]}]}),
    ("post", "/api/v1/tasks/{task}/decision", {"decision": "return", "comment": "补充",
                                              "requested_documents": "audit_report"}),
    ("post", "/api/v1/tasks/{task}/decision", {"decision": "return", "comment": "补充",
                                              "requested_documents": [{"doc_type": "audit_report",
                                                                       "note": "x" * 100_000}]}),
    ("post", "/api/v1/conflicts", {"enterprise_id": "abc", "reason": "亲属"}),
    ("post", "/api/v1/conflicts", {"enterprise_id": BIG, "reason": "亲属"}),
    ("post", "/api/v1/conflicts", {"enterprise_id": [1], "reason": "亲属"}),
    ("post", "/api/v1/notifications/read", {"ids": "all"}),
    ("post", "/api/v1/notifications/read", {"ids": [BIG]}),
    ("post", "/api/v1/notifications/read", {"ids": [{"a": 1}]}),
])
def test_malformed_input_is_refused_with_the_error_body(api, setup, method, path, body):
    path = path.replace("{task}", str(setup["task"]["id"]))
    r = getattr(api, method)(path, as_="rev-220602", **({"json": body} if body is not None else {}))
    assert 400 <= r.status_code < 500, (r.status_code, r.get_data(as_text=True)[:300])
    assert "error" in r.get_json() and r.get_json()["error"]["code"], r.get_json()


@pytest.mark.parametrize("path", ["/api/v1/tasks?per_page=-5", "/api/v1/applications?page=-1",
                                  "/api/v1/tasks?per_page=99999999999"])
def test_out_of_range_paging_is_clamped_or_refused_never_a_crash(api, setup, path):
    r = api.get(path, as_="rev-220602")
    assert r.status_code in (200, 422), r.status_code
