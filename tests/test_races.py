"""Requests that lose a race answer 409 and change nothing."""

from __future__ import annotations

import threading


def test_simultaneous_submissions_start_one_instance(app, api, enterprise, backend):
    from app.extensions import db
    from app.models import ProcessInstance
    from tests.conftest import FULL_DATA

    enterprise("acme")
    api.get("/api/v1/process-definitions", as_="admin")  # deployed before: the race is on the instance itself
    draft = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": FULL_DATA}).get_json()
    token = api.token("acme")
    barrier, results = threading.Barrier(2), [0, 0]

    def worker(i):
        client = app.test_client()
        barrier.wait()
        results[i] = client.post(f"/api/v1/applications/{draft['id']}/submit",
                                 headers={"Authorization": f"Bearer {token}"}).status_code

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    [t.start() for t in threads]
    [t.join(30) for t in threads]
    assert sorted(results) == [200, 409], results
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ProcessInstance)) == 1
    after = api.get(f"/api/v1/applications/{draft['id']}", as_="acme").get_json()
    assert after["status"] == "in_review" and [h["action"] for h in after["history"]].count("submit") == 1
