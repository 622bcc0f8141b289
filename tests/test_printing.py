"""Printing an application (issue 17 item 11): the 申报书 PDF with the data, the evaluation and a seal area; a
推荐意见表 per office with its opinion, date and seal area; a print stylesheet for the application page."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import task_for
from tests.pdfs import embeds_a_font, pdf_text

ROOT = Path(__file__).resolve().parents[1]


def test_the_application_form_pdf(api, user_client, submitted):
    application = submitted("city")
    number = application["number"]
    r = user_client("acme").get(f"/applications/{application['id']}/application-form.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf", r.status_code
    assert embeds_a_font(r.data)
    text = pdf_text(r.data)
    for words in ("申报书", number, "测试精密制造有限公司", application["enterprise"]["uscc"], "市级专精特新中小企业",
                  "企业盖章", "法定代表人", "提交时的认定标准评价"):
        assert words in text, words
    assert "50,000,000" in text or "5,000" in text  # an indicator as typed (营业收入)
    verdict = "符合认定标准" if application["evaluation"]["passed"] else "不符合认定标准"
    assert verdict in text and "满足" in text  # the evaluation: its verdict and each criterion's result
    # reviewers on the chain may print it too; another county's may not, nor anyone anonymous
    assert user_client("rev-220602").get(f"/applications/{application['id']}/application-form.pdf").status_code \
        == 200
    assert user_client("rev-220104").get(f"/applications/{application['id']}/application-form.pdf").status_code \
        == 404


def test_the_recommendation_form_per_office(app, api, user_client, submitted):
    from app.extensions import db
    from app.models import Office

    application = submitted("city")
    with app.app_context():
        county = db.session.scalar(db.select(Office).where(Office.code == "220602")).id
        city = db.session.scalar(db.select(Office).where(Office.code == "220600")).id
        other = db.session.scalar(db.select(Office).where(Office.code == "220104")).id
    task = task_for(api, "rev-220602", application["id"])
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602",
                 json={"decision": "approve", "comment": "材料齐全，同意推荐"})
    assert r.status_code == 200
    rev = user_client("rev-220602")
    page = rev.get(f"/applications/{application['id']}")
    html = page.get_data(as_text=True)
    assert f"/applications/{application['id']}/recommendation/{county}.pdf" in html
    assert f"/applications/{application['id']}/recommendation/{city}.pdf" in html
    r = rev.get(f"/applications/{application['id']}/recommendation/{county}.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = pdf_text(r.data)
    for words in ("推荐意见表", "浑江区工业和信息化局", application["number"], "材料齐全，同意推荐", "rev-220602",
                  "盖章"):
        assert words in text, words
    # the city has not decided: a blank opinion to write by hand
    blank = pdf_text(rev.get(f"/applications/{application['id']}/recommendation/{city}.pdf").data)
    assert "白山市工业和信息化局" in blank and "材料齐全" not in blank and "手写" in blank
    # an office off the chain is refused
    assert rev.get(f"/applications/{application['id']}/recommendation/{other}.pdf").status_code == 404


def test_the_application_page_has_a_print_stylesheet(user_client, submitted):
    application = submitted("city")
    html = user_client("acme").get(f"/applications/{application['id']}").get_data(as_text=True)
    assert "tierflow-review.css" in html and 'data-testid="print-links"' in html
    css = (ROOT / "app" / "static" / "tierflow-review.css").read_text()
    assert "@media print" in css and "nav.navbar" in css and ".tf-no-print" in css
