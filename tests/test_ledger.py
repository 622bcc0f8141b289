"""一企一册: the ledger of one enterprise through the API and the web, and who may open it."""

from __future__ import annotations

import io

import pytest

from app.extensions import db
from app.models import Recognition
from tests.conftest import FULL_DATA, submit_application, text
from tests.pdfs import embeds_a_font, pdf_text

PDF = b"%PDF-1.4\n% a tiny document\n"


def _ledger(api, enterprise_id: int, as_: str | None):
    return api.get(f"/api/v1/enterprises/{enterprise_id}/ledger", as_=as_)


@pytest.fixture
def acme(enterprise, grant):
    """A 浑江区 (白山, 吉林) enterprise holding an active provincial recognition; its enterprise JSON."""
    _username, body = enterprise("acme", "220602")
    grant("acme", "province")
    return body


@pytest.mark.parametrize("caller, status", [
    ("acme", 200),  # the enterprise itself
    ("other", 404),  # another enterprise of the same county
    ("rev-220602", 200), ("rev-220600", 200), ("rev-220000", 200), ("rev-100000", 200),  # its chain
    ("rev-220104", 404), ("rev-220100", 404), ("rev-140000", 404),  # offices of other regions
    ("expert-1", 404), ("admin", 200),
])
def test_api_ledger_access(api, enterprise, acme, caller, status):
    enterprise("other", "220602")
    r = _ledger(api, acme["id"], caller)
    assert r.status_code == status, r.get_json()
    if status == 404:
        assert r.get_json()["error"]["code"] == "not_found"


def test_api_ledger_needs_a_token_and_an_existing_enterprise(api, acme):
    r = _ledger(api, acme["id"], None)
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"
    assert _ledger(api, 999_999, "admin").status_code == 404


def test_api_ledger_holds_everything_about_the_enterprise(api, acme):
    draft = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": dict(FULL_DATA)})
    draft_id = draft.get_json()["id"]
    r = api.post(f"/api/v1/applications/{draft_id}/attachments", as_="acme",
                 data={"doc_type": "business_license", "file": (io.BytesIO(PDF), "licence.pdf")})
    assert r.status_code == 201, r.get_json()
    assert submit_application(api, "acme", draft_id).status_code == 200
    other_draft = api.post("/api/v1/applications", as_="acme", json={"target_tier": "seed", "data": {}}).get_json()
    recognition = api.get("/api/v1/recognitions", as_="acme").get_json()["items"][0]
    r = api.post(f"/api/v1/recognitions/{recognition['id']}/revocations", as_="rev-220000",
                 json={"ground": "false_information", "details": "审计报告数据不实"})
    assert r.status_code == 201, r.get_json()

    body = _ledger(api, acme["id"], "acme").get_json()
    assert body["profile"] | {"region_name": "吉林省 白山市 浑江区"} == body["profile"]
    assert body["profile"]["uscc"] == acme["uscc"] and body["profile"]["sector"] == "industry"
    [entry] = body["recognitions"]
    assert entry["certificate_no"] == recognition["certificate_no"] and entry["tier_label"] == "省级“专精特新”中小企业"
    assert [e["action"] for e in entry["history"]][:2] == ["recognition_recorded", "case_opened"]
    applications = {a["id"]: a for a in body["applications"]}
    assert set(applications) == {draft_id, other_draft["id"]}  # the enterprise sees its drafts too
    assert applications[draft_id] | {"status": "in_review", "outcome": None, "target_tier": "city"} \
        == applications[draft_id] and applications[draft_id]["submitted_at"]
    document = next(d for d in body["documents"] if d["name"] == "licence.pdf")
    assert document["application_id"] == draft_id
    [case] = body["cases"]
    assert case["kind"] == "revocation" and case["ground"] == "false_information" and "waiting" not in case
    assert body["library_memberships"] == []
    assert [c["policy"] for c in body["rewards"]] == ["jilin_province_first"]  # the recognition opened it
    assert body["services"] == body["monitoring"] == []

    office_view = _ledger(api, acme["id"], "rev-220600").get_json()
    assert [a["id"] for a in office_view["applications"]] == [draft_id]  # never-submitted drafts stay private


def test_api_ledger_lists_library_memberships(api, enterprise, enter_library):
    _username, jinhu = enterprise("jinhu", "320831")
    enter_library("jinhu", "jinhu_county")
    body = _ledger(api, jinhu["id"], "rev-320831").get_json()
    [member] = body["library_memberships"]
    assert member["library"]["key"] == "jinhu_county" and member["status"] == "active"
    assert _ledger(api, jinhu["id"], "rev-220602").status_code == 404


# --- the web page and its PDF -------------------------------------------------------------------

def test_web_ledger_access(client, user_client, enterprise, acme):
    enterprise("other", "220602")
    url = f"/enterprises/{acme['id']}/ledger"
    r = client.get(url)
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert client.get(url + ".pdf").status_code == 302
    assert user_client("acme").get(url).status_code == 200
    assert user_client("rev-220600").get(url).status_code == 200
    assert user_client("other").get(url).status_code == 404
    assert user_client("rev-140000").get(url).status_code == 404
    assert user_client("rev-140000").get(url + ".pdf").status_code == 404


def test_web_ledger_shows_the_tier_as_the_jurisdiction_names_it(user_client, enterprise, grant):
    _username, jilin = enterprise("seedco", "220602")
    grant("seedco", "seed")
    page = text(user_client("rev-220602").get(f"/enterprises/{jilin['id']}/ledger"))
    assert "优质“种子企业”" in page and "创新型中小企业" not in page
    _username, shanxi = enterprise("jinco", "140502")
    grant("jinco", "province")
    page = text(user_client("rev-140000").get(f"/enterprises/{shanxi['id']}/ledger"))
    assert "省级专精特新“小巨人”企业" in page and "一企一册" in page and shanxi["uscc"] in page


def test_web_ledger_pdf_is_one_document_with_the_font_embedded(app, user_client, acme):
    with app.app_context():
        certificate_no = db.session.scalar(db.select(Recognition.certificate_no))
    r = user_client("rev-220000").get(f"/enterprises/{acme['id']}/ledger.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF") and embeds_a_font(r.data)
    content = pdf_text(r.data)
    assert acme["uscc"] in content and certificate_no in content and "一企一册" in content
    assert "省级“专精特新”中小企业" in content


def test_web_ledger_pdf_without_a_font_is_503(app, user_client, acme, monkeypatch):
    monkeypatch.setitem(app.config, "PDF_FONT_PATH", "/nonexistent/font.ttc")
    r = user_client("acme").get(f"/enterprises/{acme['id']}/ledger.pdf")
    assert r.status_code == 503 and "中文字体" in text(r)


def test_application_page_links_offices_to_the_ledger(user_client, submitted):
    application = submitted("city", "acme")
    url = f"/applications/{application['id']}"
    href = f'/enterprises/{application["enterprise"]["id"]}/ledger'
    assert href in user_client("rev-220602").get(url).get_data(as_text=True)
    assert 'data-testid="ledger-link"' not in user_client("acme").get(url).get_data(as_text=True)
