"""The reviewer's workbench through the API: claims, four eyes, filters, bulk decisions, evidence, notices."""

from __future__ import annotations

import io
import threading

from tests.conftest import task_for

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def decide(api, reviewer, task_id, decision="approve", comment="", **extra):
    return api.post(f"/api/v1/tasks/{task_id}/decision", as_=reviewer,
                    json={"decision": decision, "comment": comment, **extra})


def test_two_reviewers_race_to_claim(app, api, submitted, colleague):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    tokens = [api.token("rev-220602"), api.token(colleague("rev-220602-b", "220602"))]
    barrier, results = threading.Barrier(2), [0, 0]

    def worker(i):
        client = app.test_client()
        barrier.wait()
        results[i] = client.post(f"/api/v1/tasks/{task['id']}/claim",
                                 headers={"Authorization": f"Bearer {tokens[i]}"}).status_code

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    [t.start() for t in threads]
    [t.join(30) for t in threads]
    assert sorted(results) == [200, 409]
    holder = task_for(api, "rev-220602", application["id"])["claimed_by"]
    loser = "rev-220602-b" if holder == "rev-220602" else "rev-220602"
    # the other reviewer sees who holds it and cannot decide it
    r = decide(api, loser, task["id"])
    assert r.status_code == 409 and holder in r.get_json()["error"]["message"]
    # release, then the other may claim; hand over to a colleague; the office head reassigns
    assert api.post(f"/api/v1/tasks/{task['id']}/release", as_=holder).get_json()["claimed_by"] is None
    assert api.post(f"/api/v1/tasks/{task['id']}/claim", as_=loser).get_json()["claimed_by"] == loser
    r = api.post(f"/api/v1/tasks/{task['id']}/hand-over", as_=loser, json={"to": holder})
    assert r.status_code == 200 and r.get_json()["claimed_by"] == holder
    assert api.post(f"/api/v1/tasks/{task['id']}/hand-over", as_=loser, json={"to": holder}).status_code == 409
    assert api.post(f"/api/v1/tasks/{task['id']}/hand-over", as_=holder,
                    json={"to": "rev-220600"}).status_code == 422  # another office
    head = colleague("head-220602", "220602", head=True)
    assert api.post(f"/api/v1/tasks/{task['id']}/hand-over", as_=head,
                    json={"to": loser}).get_json()["claimed_by"] == loser
    actions = [h["action"] for h in api.get(f"/api/v1/applications/{application['id']}",
                                            as_="admin").get_json()["history"]]
    assert actions[-5:] == ["claim", "release", "claim", "hand_over", "reassign_in_office"]
    own = [h["action"] for h in api.get(f"/api/v1/applications/{application['id']}",
                                        as_="acme").get_json()["history"]]
    assert own[-1] == "submit"  # the offices' internal events are not the enterprise's (issue 17 §14)


def test_four_eyes_and_conflict_of_interest(app, api, submitted, colleague):
    from app.extensions import db
    from app.models import User
    from app.recognition import instance_admin

    application = submitted("province")
    task = task_for(api, "rev-220602", application["id"])
    assert decide(api, "rev-220602", task["id"]).status_code == 200
    # the admin sends the city step to the county office: the county reviewer may not decide it too
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        instance_admin.reassign(admin, application["id"], "220602", "测试四眼原则")
        db.session.commit()
    city_task = task_for(api, "rev-220602", application["id"])
    r = decide(api, "rev-220602", city_task["id"])
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "four_eyes"
    assert api.post(f"/api/v1/tasks/{city_task['id']}/claim", as_="rev-220602").status_code == 403
    # a colleague who declared a link to the enterprise is refused as well
    other = colleague("rev-220602-b", "220602")
    r = api.post("/api/v1/conflicts", as_=other, json={"enterprise_id": application["enterprise"]["id"],
                                                        "reason": "亲属在该企业任职"})
    assert r.status_code == 201
    r = decide(api, other, city_task["id"])
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "conflict_of_interest"
    assert api.get(f"/api/v1/applications/{application['id']}", as_="acme").get_json()["current_step"] == \
        "city_review"
    assert decide(api, colleague("rev-220602-c", "220602"), city_task["id"]).status_code == 200


def test_filters_sorting_and_shared_saved_filters(api, submitted, enterprise, colleague):
    a = submitted("seed", username="alpha")
    b = submitted("province", username="beta")
    c = submitted("city", username="gamma", sector="construction")
    ids = lambda r: [t["application_id"] for t in r.get_json()["items"]]  # noqa: E731
    assert ids(api.get("/api/v1/tasks?tier=province", as_="rev-220602")) == [b["id"]]
    assert ids(api.get("/api/v1/tasks?sector=construction", as_="rev-220602")) == [c["id"]]
    assert ids(api.get("/api/v1/tasks?q=alpha", as_="rev-220602")) == []
    name = api.get(f"/api/v1/applications/{a['id']}", as_="alpha").get_json()["enterprise"]
    assert ids(api.get(f"/api/v1/tasks?q={name['uscc']}", as_="rev-220602")) == [a["id"]]
    assert ids(api.get("/api/v1/tasks?sort=-age", as_="rev-220602")) == [c["id"], b["id"], a["id"]]
    assert ids(api.get("/api/v1/tasks?region=220602&claimed_by=nobody", as_="rev-220602")) == \
        [a["id"], b["id"], c["id"]]
    assert api.get("/api/v1/tasks?tier=gold", as_="rev-220602").status_code == 422
    assert api.get("/api/v1/tasks?score_min=abc", as_="rev-220602").status_code == 422
    # saved filters: shared ones reach the office, private ones do not; counts per filter
    r = api.post("/api/v1/filters", as_="rev-220602", json={"name": "省级", "params": {"tier": "province"},
                                                            "shared": True})
    assert r.status_code == 201
    api.post("/api/v1/filters", as_="rev-220602", json={"name": "我的建筑", "params": {"sector": "construction"}})
    mate = colleague("rev-220602-b", "220602")
    seen = {f["name"]: f["count"] for f in api.get("/api/v1/filters", as_=mate).get_json()["items"]}
    assert seen == {"省级": 1}
    mine = {f["name"]: f["count"] for f in api.get("/api/v1/filters", as_="rev-220602").get_json()["items"]}
    assert mine == {"省级": 1, "我的建筑": 1}
    assert api.get("/api/v1/filters", as_="rev-220600").get_json()["items"] == []
    assert api.delete(f"/api/v1/filters/{r.get_json()['id']}", as_=mate).status_code == 403


def test_bulk_approve_with_one_task_made_invalid(api, submitted, colleague):
    apps = [submitted("city", username=f"bulk{i}") for i in range(3)]
    tasks = [task_for(api, "rev-220602", a["id"])["id"] for a in apps]
    # midway, a colleague claims the second task
    mate = colleague("rev-220602-b", "220602")
    assert api.post(f"/api/v1/tasks/{tasks[1]}/claim", as_=mate).status_code == 200
    r = api.post("/api/v1/tasks/bulk-decision", as_="rev-220602",
                 json={"task_ids": tasks + [999999], "decision": "approve", "comment": "批量通过"})
    assert r.status_code == 200
    body = r.get_json()
    assert body["succeeded"] == 2 and body["failed"] == 2
    outcome = {x["task_id"]: x for x in body["results"]}
    assert outcome[tasks[0]]["ok"] and outcome[tasks[2]]["ok"]
    assert outcome[tasks[1]]["error"]["code"] == "conflict" and outcome[999999]["error"]["code"] == "not_found"
    steps = [api.get(f"/api/v1/applications/{a['id']}", as_=f"bulk{i}").get_json()["current_step"]
             for i, a in enumerate(apps)]
    assert steps == ["city_review", "county_review", "city_review"]
    assert api.post("/api/v1/tasks/bulk-decision", as_="rev-220602",
                    json={"task_ids": tasks, "decision": "reject"}).status_code == 422


def upload(api, user, application_id, content, name="licence.pdf", doc_type="business_license"):
    return api.post(f"/api/v1/applications/{application_id}/attachments", as_=user,
                    data={"doc_type": doc_type, "file": (io.BytesIO(content), name)},
                    content_type="multipart/form-data")


def test_evidence_checks_content_size_names_and_access(app, api, enterprise, submitted):
    enterprise("acme")
    draft = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": {}}).get_json()
    r = upload(api, "acme", draft["id"], b"MZ\x90\x00 this is an exe", name="report.pdf")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "unsupported_type"
    r = upload(api, "acme", draft["id"], PDF + b"0" * (300 * 1024), name="big.pdf")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "too_large"
    r = upload(api, "acme", draft["id"], PDF, name="../../../etc/passwd.pdf")
    assert r.status_code == 201, r.get_json()
    doc = r.get_json()
    assert doc["name"] == "passwd.pdf" and doc["content_type"] == "application/pdf"
    assert upload(api, "acme", draft["id"], PNG, name="cert.png", doc_type="ip_certificate").status_code == 201
    assert upload(api, "acme", draft["id"], PDF, doc_type="nonsense").status_code == 422
    stored = list(app.config["UPLOAD_DIR"].iterdir())
    assert all(".." not in p.name and "passwd" not in p.name for p in stored)
    # downloads: the owner and the offices on the chain; others get 404
    assert api.get(f"/api/v1/attachments/{doc['id']}", as_="acme").data == PDF
    assert api.get(f"/api/v1/attachments/{doc['id']}", as_="rev-220602").status_code == 404  # not submitted yet
    assert api.get(f"/api/v1/attachments/{doc['id']}", as_="rev-140502").status_code == 404
    enterprise("rival", "220602")
    assert api.get(f"/api/v1/attachments/{doc['id']}", as_="rival").status_code == 404


def test_comments_document_requests_and_notifications(api, submitted):
    application = submitted("city")
    notices = api.get("/api/v1/notifications", as_="rev-220602").get_json()
    assert notices["unread"] == 1 and notices["items"][0]["kind"] == "task_arrived"
    r = api.post(f"/api/v1/applications/{application['id']}/comments", as_="rev-220602", json={"body": "注意审计报告"})
    assert r.status_code == 201
    assert api.get(f"/api/v1/applications/{application['id']}/comments", as_="rev-220600").get_json()["total"] == 1
    assert api.get(f"/api/v1/applications/{application['id']}/comments", as_="acme").status_code == 404
    task = task_for(api, "rev-220602", application["id"])
    r = decide(api, "rev-220602", task["id"], "return", "请补充材料",
               requested_documents=[{"doc_type": "audit_report", "note": "近两年审计报告"}, "ip_certificate"])
    assert r.status_code == 200, r.get_json()
    checklist = api.get(f"/api/v1/applications/{application['id']}/document-requests", as_="acme").get_json()
    assert [(i["doc_type"], i["fulfilled"]) for i in checklist["items"]] == [("audit_report", False),
                                                                             ("ip_certificate", False)]
    assert upload(api, "acme", application["id"], PDF, doc_type="audit_report").status_code == 201
    checklist = api.get(f"/api/v1/applications/{application['id']}/document-requests", as_="acme").get_json()
    assert [i["fulfilled"] for i in checklist["items"]] == [True, False]
    enterprise_notices = api.get("/api/v1/notifications", as_="acme").get_json()
    assert enterprise_notices["unread"] == 2  # the submission's milestone, then the return
    assert [n["kind"] for n in enterprise_notices["items"]] == ["returned", "progress"]
    assert api.post("/api/v1/notifications/read", as_="acme", json={}).get_json()["unread"] == 0
