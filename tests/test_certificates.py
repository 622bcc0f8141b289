"""我的认定 and certificates: the enterprise's recognitions and memberships, and the certificate PDF (Chinese font
embedded) for the enterprise and the offices of its jurisdiction."""

from __future__ import annotations

import re

from app.core import workdays
from app.extensions import db
from app.lifecycle import register
from app.models import Recognition
from tests.conftest import text
from tests.pdfs import embeds_a_font, pdf_text


def _entry(app, recognition_id: int) -> dict:
    with app.app_context():
        entry = db.session.get(Recognition, recognition_id)
        return {"certificate_no": entry.certificate_no, "document_no": entry.document_no,
                "office": entry.office.name, "uscc": entry.enterprise.uscc, "name": entry.enterprise.name,
                "valid_from": entry.valid_from.isoformat(), "valid_until": entry.valid_until.isoformat()}


def _url(recognition_id: int) -> str:
    return f"/my/recognitions/{recognition_id}/certificate.pdf"


def test_my_recognitions_lists_every_status_and_the_memberships(app, user_client, enterprise, grant, enter_library):
    enterprise("jinhu", "320831", name="金湖阀门有限公司")
    active, ended = grant("jinhu", "seed"), grant("jinhu", "city")
    with app.app_context():
        register.exit_(db.session.get(Recognition, ended), "复核不合格", workdays.china_date())
        db.session.commit()
    enter_library("jinhu", "jinhu_county")
    r = user_client("jinhu").get("/my/recognitions")
    assert r.status_code == 200
    html, page = r.get_data(as_text=True), text(r)
    assert re.findall(r'data-recognition="(\d+)"', html) == sorted([str(active), str(ended)], reverse=True)
    assert "县级培育库入库企业" in page and "市级专精特新小巨人企业" in page  # 金湖 and 淮安's names
    assert _entry(app, active)["certificate_no"] in page and "复核不合格" in page
    assert re.findall(r'href="/my/recognitions/(\d+)/certificate.pdf"', html) == [str(active)]  # active only
    assert "金湖县专精特新小巨人企业培育库" in page  # the library membership
    assert 'href="/my/recognitions"' in html  # in the navigation


def test_my_recognitions_is_for_enterprises(client, user_client):
    assert "/login" in client.get("/my/recognitions").headers["Location"]
    assert user_client("rev-220602").get("/my/recognitions").status_code == 403


def test_certificate_pdf_embeds_the_font_and_names_the_tier_as_the_jurisdiction_does(app, user_client,
                                                                                     enterprise, grant):
    enterprise("jinco", "140502", name="晋城精工有限公司")
    recognition_id = grant("jinco", "province")
    r = user_client("jinco").get(_url(recognition_id))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF") and embeds_a_font(r.data)
    entry, content = _entry(app, recognition_id), pdf_text(r.data)
    for value in ("certificate_no", "uscc", "name", "office", "valid_from", "valid_until"):
        assert entry[value] in content, value
    assert "".join(entry["document_no"].split()) in content
    assert "省级专精特新“小巨人”企业" in content and "认定证书" in content
    assert f"{entry['certificate_no']}.pdf" in r.headers["Content-Disposition"]


def test_jilin_seed_certificate_says_quality_seed_enterprise(app, user_client, enterprise, grant):
    enterprise("seedco", "220602")
    recognition_id = grant("seedco", "seed")
    assert "优质“种子企业”" in text(user_client("seedco").get("/my/recognitions"))
    content = pdf_text(user_client("rev-220602").get(_url(recognition_id)).data)
    assert "优质“种子企业”" in content and "创新型中小企业" not in content


def test_certificate_access(app, client, user_client, enterprise, grant):
    enterprise("acme", "220602")
    enterprise("other", "220602")
    recognition_id = grant("acme", "province")
    assert "/login" in client.get(_url(recognition_id)).headers["Location"]
    assert user_client("other").get(_url(recognition_id)).status_code == 404  # another enterprise's
    assert user_client("rev-220600").get(_url(recognition_id)).status_code == 200  # an office of its jurisdiction
    assert user_client("admin").get(_url(recognition_id)).status_code == 200
    assert user_client("rev-140000").get(_url(recognition_id)).status_code == 404  # another province
    assert user_client("expert-1").get(_url(recognition_id)).status_code == 404
    assert user_client("acme").get(_url(999_999)).status_code == 404


def test_no_certificate_for_a_revoked_recognition(app, user_client, enterprise, grant):
    enterprise("acme", "220602")
    recognition_id = grant("acme", "province")
    with app.app_context():
        register.revoke(db.session.get(Recognition, recognition_id), "提供虚假材料", workdays.china_date())
        db.session.commit()
    r = user_client("acme").get(_url(recognition_id))
    assert r.status_code == 409 and "仅有效的认定可下载证书" in text(r)


def test_without_a_font_the_certificate_is_503_not_500(app, user_client, enterprise, grant, monkeypatch):
    enterprise("acme", "220602")
    recognition_id = grant("acme", "province")
    monkeypatch.setitem(app.config, "PDF_FONT_PATH", "/nonexistent/a.ttc:/nonexistent/b.ttf")
    r = user_client("acme").get(_url(recognition_id))
    assert r.status_code == 503 and "服务器未安装中文字体" in text(r) and "fonts-noto-cjk" in text(r)
