"""Two reviewers deciding the same task at the same moment: one wins, the other gets 409, nothing breaks."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import Api, task_for


def race(app, token: str, url: str, bodies: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(bodies))
    results: list[int] = [0] * len(bodies)

    def worker(i: int) -> None:
        client = app.test_client()
        barrier.wait()
        r = client.post(url, json=bodies[i], headers={"Authorization": f"Bearer {token}"})
        results[i] = r.status_code

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.parametrize("round_", range(4))
def test_simultaneous_decisions_one_success_one_conflict(app, api: Api, submitted, backend, round_):
    application = submitted("province")
    task = task_for(api, "rev-220602", application["id"])
    token = api.token("rev-220602")
    bodies = [{"decision": "approve"}, {"decision": "reject", "comment": "同时提交的驳回"}]
    results = race(app, token, f"/api/v1/tasks/{task['id']}/decision", bodies)
    assert sorted(results) == [200, 409], results
    after = api.get(f"/api/v1/applications/{application['id']}", as_="acme").get_json()
    decisions = [h["action"] for h in after["history"] if h["action"] in ("approve", "reject")]
    assert len(decisions) == 1
    if decisions == ["approve"]:
        assert after["status"] == "in_review" and after["current_step"] == "city_review"
        assert task_for(api, "rev-220600", application["id"])["step"] == "city_review"
    else:
        assert after["status"] == "rejected" and after["current_step"] is None
    # the instance still advances normally afterwards
    if after["current_step"] == "city_review":
        t = task_for(api, "rev-220600", application["id"])
        r = api.post(f"/api/v1/tasks/{t['id']}/decision", as_="rev-220600", json={"decision": "approve"})
        assert r.status_code == 200 and r.get_json()["application"]["current_step"] == "province_review"
