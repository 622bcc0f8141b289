"""Evidence documents on a lifecycle case (issue 11 item 5): a revocation is opened with evidence, the enterprise
answers with its own, the deciding reviewer reads both; files are checked by their content as an application's
are, and nobody outside the case learns they exist."""

from __future__ import annotations

import io

import pytest

from app.extensions import db
from app.models import Attachment, AuditEvent, LifecycleCase
from tests.conftest import csrf_token, text

PDF = b"%PDF-1.4\n% revocation evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
GROUND = {"ground": "false_information", "details": "研发费用与审计报告不符（审计报告编号 2026-118）"}


def upload(api, as_: str, case_id: int, content: bytes, name: str = "evidence.pdf"):
    return api.post(f"/api/v1/cases/{case_id}/attachments", as_=as_,
                    data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def stored_files(app) -> set[str]:
    return {p.name for p in app.config["UPLOAD_DIR"].iterdir()}


def attachments_stored(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Attachment.id)))


@pytest.fixture
def revocation(api, enterprise, grant):
    """acme (浑江区) holds a provincial recognition; rev-220602 proposes its revocation, the province decides.
    Returns the case id."""
    enterprise("acme", "220602")
    held = grant("acme", "province")
    r = api.post(f"/api/v1/recognitions/{held}/revocations", as_="rev-220602", json=GROUND)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def test_evidence_of_both_sides_reaches_the_deciding_reviewer(app, api, enterprise, revocation):
    case = revocation
    r = upload(api, "rev-220602", case, PDF, "审计报告.pdf")
    assert r.status_code == 201, r.get_json()
    opener_doc = r.get_json()
    assert opener_doc["name"] == "审计报告.pdf" and opener_doc["content_type"] == "application/pdf"
    assert opener_doc["uploaded_by"] == "reviewer" and opener_doc["size"] == len(PDF)

    # the enterprise answers with its own document while its statement is asked for
    r = upload(api, "acme", case, PDF + b"statement", "说明.pdf")
    assert r.status_code == 201, r.get_json()
    own_doc = r.get_json()
    assert own_doc["uploaded_by"] == "enterprise"
    r = api.post(f"/api/v1/cases/{case}/response", as_="acme", json={"response": "差异系会计口径调整，附说明。"})
    assert r.status_code == 200, r.get_json()
    assert [a["id"] for a in r.get_json()["attachments"]] == [opener_doc["id"], own_doc["id"]]
    # once it has spoken, the enterprise attaches nothing more
    assert upload(api, "acme", case, PDF).status_code == 409

    # the deciding reviewer (the recognizing office) lists and downloads both
    listed = api.get(f"/api/v1/cases/{case}/attachments", as_="rev-220000").get_json()
    assert listed["total"] == 2
    for doc, content in ((opener_doc, PDF), (own_doc, PDF + b"statement")):
        r = api.get(f"/api/v1/attachments/{doc['id']}", as_="rev-220000")
        assert r.status_code == 200 and r.data == content
        assert r.headers["X-Content-Type-Options"] == "nosniff" and "attachment" in r.headers["Content-Disposition"]
    assert api.get(f"/api/v1/attachments/{own_doc['id']}", as_="acme").status_code == 200

    # another enterprise and an office outside the jurisdiction learn nothing
    enterprise("other-co", "220602")
    for outsider in ("other-co", "rev-140502"):
        assert api.get(f"/api/v1/attachments/{opener_doc['id']}", as_=outsider).status_code == 404
        assert api.get(f"/api/v1/cases/{case}/attachments", as_=outsider).status_code == 404
        assert upload(api, outsider, case, PDF).status_code == 404

    # every upload is in the case's history
    with app.app_context():
        events = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.subject_type == "case", AuditEvent.subject_id == case, AuditEvent.action == "attach")).all()
        assert sorted(e.details["attachment_id"] for e in events) == [opener_doc["id"], own_doc["id"]]

    # decided: the case is closed and takes no more documents
    task = next(t for t in api.get("/api/v1/cases?kind=revocation", as_="rev-220000").get_json()["items"]
                if t["case"]["id"] == case)
    r = api.post(f"/api/v1/cases/tasks/{task['task_id']}/decision", as_="rev-220000",
                 json={"decision": "revoke", "comment": "经核实，申报材料存在虚假信息"})
    assert r.status_code == 200, r.get_json()
    before = attachments_stored(app)
    r = upload(api, "rev-220602", case, PDF)
    assert r.status_code == 409 and attachments_stored(app) == before
    # the ledger lists the case's documents with the applications'
    ledger = api.get(f"/api/v1/enterprises/{r_enterprise_id(app, case)}/ledger", as_="acme").get_json()
    assert {(d["case_id"], d["name"]) for d in ledger["documents"]} == {(case, "审计报告.pdf"), (case, "说明.pdf")}


def r_enterprise_id(app, case_id: int) -> int:
    with app.app_context():
        return db.session.get(LifecycleCase, case_id).enterprise_id


def test_files_are_judged_by_their_content(app, api, revocation):
    case = revocation
    r = upload(api, "rev-220602", case, PNG, "photo.pdf")  # a PNG named .pdf: accepted as what it is
    assert r.status_code == 201 and r.get_json()["content_type"] == "image/png"
    rows, files = attachments_stored(app), stored_files(app)
    for content, code in ((b"just some text, not a document\n", "unsupported_type"),
                          (PDF + b"0" * (300 * 1024), "too_large")):
        r = upload(api, "rev-220602", case, content, "notes.pdf")
        assert r.status_code == 422 and r.get_json()["error"]["code"] == code
    assert upload(api, "rev-220602", case, b"", "empty.pdf").status_code == 422
    assert attachments_stored(app) == rows and stored_files(app) == files  # no row, no file
    r = api.post(f"/api/v1/cases/{case}/attachments", as_="rev-220602", json={})
    assert r.status_code == 400  # not multipart


def test_an_attachment_has_exactly_one_subject(app, revocation):
    from sqlalchemy.exc import IntegrityError

    from app.models import User

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "rev-220602"))
        columns = {"doc_type": "other", "original_name": "x.pdf", "content_type": "application/pdf", "size": 1,
                   "sha256": "0" * 64, "uploaded_by_id": user.id}
        db.session.add(Attachment(stored_name="one", case_id=revocation, **columns))
        db.session.flush()  # a case's document alone is fine
        db.session.add(Attachment(stored_name="neither", **columns))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def post_form(client, url: str, **fields):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **fields},
                       content_type="multipart/form-data")


def test_the_forms_send_documents(app, api, user_client, enterprise, grant):
    enterprise("web-co", "220602", name="乙新材料有限公司")
    entry = grant("web-co", "province")
    opener, ent, decider = user_client("rev-220602"), user_client("web-co"), user_client("rev-220000")
    page = opener.get(f"/lifecycle/recognitions/{entry}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page

    # a text file with the revocation: refused, and neither the case nor the file is kept
    files = stored_files(app)
    r = post_form(opener, f"/lifecycle/recognitions/{entry}", **GROUND,
                  file=(io.BytesIO(b"plain text"), "evidence.pdf"))
    assert r.status_code == 422 and "PDF" in text(r)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(LifecycleCase.id))) == 0
    assert attachments_stored(app) == 0 and stored_files(app) == files

    r = post_form(opener, f"/lifecycle/recognitions/{entry}", **GROUND,
                  file=(io.BytesIO(PDF), "审计报告.pdf"))
    assert r.status_code == 302, text(r)
    case = int(r.headers["Location"].rsplit("/", 1)[1])

    assert "审计报告.pdf" in text(ent.get("/lifecycle/my"))
    page = ent.get(f"/lifecycle/my/{case}/respond")
    assert page.status_code == 200 and "审计报告.pdf" in text(page) and 'type="file"' in page.get_data(as_text=True)
    r = post_form(ent, f"/lifecycle/my/{case}/respond", response="研发费用口径差异系会计调整，附说明。",
                  file=(io.BytesIO(PNG), "说明.png"))
    assert r.status_code == 302, text(r)

    page = decider.get(f"/lifecycle/cases/{case}")
    body = page.get_data(as_text=True)
    assert "审计报告.pdf" in text(page) and "说明.png" in text(page)
    with app.app_context():
        ids = [a.id for a in db.session.scalars(db.select(Attachment).where(Attachment.case_id == case)
                                                .order_by(Attachment.id))]
    assert len(ids) == 2
    for attachment_id in ids:
        assert f"/attachments/{attachment_id}" in body
        assert decider.get(f"/attachments/{attachment_id}").status_code == 200
    enterprise("nosy-co", "220602")
    assert user_client("nosy-co").get(f"/attachments/{ids[0]}").status_code == 404

    # the ledger page links the case's documents
    with app.app_context():
        enterprise_id = db.session.get(LifecycleCase, case).enterprise_id
    ledger = decider.get(f"/enterprises/{enterprise_id}/ledger")
    assert ledger.status_code == 200 and "说明.png" in text(ledger) and f"/attachments/{ids[1]}" in \
        ledger.get_data(as_text=True)
