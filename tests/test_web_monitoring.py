"""The 运行监测 pages: the enterprise files in 万元, the office opens a period, reads the rates, exports,
downloads the template and imports it (a bad file changes nothing), the county follows up."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from app.extensions import db
from tests.conftest import csrf_token, text
from tests.test_monitoring import FIGS, open_jilin, reports_of, setup_programmes


def _members(enterprise, grant):
    enterprise("prov", "220602", name="省级企业")
    grant("prov", "province")
    enterprise("chc", "220104", name="长春企业")
    grant("chc", "province")


def test_enterprise_files_in_wan(app, enterprise, grant, user_client):
    _members(enterprise, grant)
    setup_programmes(app)
    period_id = open_jilin(app)
    report = reports_of(app, period_id)["省级企业"]
    c = user_client("prov")
    assert "运行数据" in text(c.get("/dashboard")) or "运行监测" in text(c.get("/dashboard"))
    page = c.get("/my/monitoring")
    assert page.status_code == 200 and "2026年第3季度" in text(page) and "待填报" in text(page)
    assert f"/my/monitoring/{report['id']}" in page.get_data(as_text=True)
    url = f"/my/monitoring/{report['id']}"
    form = {"csrf_token": csrf_token(c, url), "revenue": "800.50", "revenue_prior": "1000", "main_revenue": "700",
            "total_profit": "-10", "tax_paid": "20", "rd_expense": "50", "rd_expense_prior": "40",
            "employees": "80", "rd_staff": "90"}
    r = c.post(url, data=form)
    assert r.status_code == 422 and "研发人员" in text(r)
    assert reports_of(app, period_id)["省级企业"]["status"] == "waiting"
    r = c.post(url, data=form | {"rd_staff": "12", "tax_paid": "1.234"})
    assert r.status_code == 422
    r = c.post(url, data=form | {"rd_staff": "12"})
    assert r.status_code == 302
    from app.models import MonitoringReport

    with app.app_context():
        row = db.session.get(MonitoringReport, report["id"])
        assert (row.revenue, row.total_profit, row.rd_staff, row.source) == (8_005_000, -100_000, 12, "web")
    assert c.post(url, data=form | {"rd_staff": "12"}).status_code == 409
    shown = text(c.get(url))
    assert "800.50" in shown and "-20.0%" in shown


def test_office_pages_rates_export_and_follow_up(app, api, enterprise, grant, user_client):
    _members(enterprise, grant)
    setup_programmes(app)
    c = user_client("rev-220000")
    r = c.post("/monitoring", data={"csrf_token": csrf_token(c, "/monitoring"), "year": "2026", "seq": "3"})
    assert r.status_code == 302, text(r)
    period_id = int(r.headers["Location"].rsplit("/", 1)[1])
    reps = reports_of(app, period_id)
    assert api.post(f"/api/v1/monitoring/reports/{reps['省级企业']['id']}", as_="prov", json=FIGS).status_code == 200
    page = c.get(f"/monitoring/periods/{period_id}")
    shown = text(page)
    assert page.status_code == 200 and "白山市" in shown and "长春市" in shown and "50.0%" in shown
    r = c.get(f"/monitoring/periods/{period_id}/export?status=submitted")
    sheet = load_workbook(BytesIO(r.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码" and len(rows) == 2 and rows[1][1] == "省级企业"
    assert rows[1][5] == 800.0  # revenue in 万元
    assert c.get(f"/monitoring/reports/{reps['省级企业']['id']}").status_code == 200
    assert user_client("rev-140000").get(f"/monitoring/periods/{period_id}").status_code == 404
    county = user_client("rev-220602")
    assert "1项跟踪了解待办" in text(county.get("/inbox"))
    listing = county.get("/monitoring/follow-ups")
    assert "省级企业" in text(listing)
    url = f"/monitoring/reports/{reps['省级企业']['id']}"
    assert county.post(url, data={"csrf_token": csrf_token(county, url), "note": ""}).status_code == 422
    r = county.post(url, data={"csrf_token": csrf_token(county, url), "note": "已走访，订单下滑"})
    assert r.status_code == 302
    assert reports_of(app, period_id)["省级企业"]["follow_up"] == "done"
    assert "已走访，订单下滑" in text(c.get(url))


def _filled(template: bytes, values: dict[str, dict[str, object]]) -> BytesIO:
    book = load_workbook(BytesIO(template))
    sheet = book.active
    head = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        uscc = row[0].value
        for header, value in values.get(uscc, {}).items():
            row[head.index(header)].value = value
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_template_import_round_trip_and_bad_file_changes_nothing(app, enterprise, grant, user_client):
    from app.models import Enterprise

    _members(enterprise, grant)
    setup_programmes(app)
    period_id = open_jilin(app)
    with app.app_context():
        usccs = {e.name: e.uscc for e in db.session.scalars(db.select(Enterprise))}
    c = user_client("rev-220000")
    template = c.get(f"/monitoring/periods/{period_id}/template").data
    good = {"营业收入（万元）": 1200.5, "上年同期营业收入（万元）": 1000, "主营业务收入（万元）": 1100,
            "利润总额（万元）": -3.25, "上缴税金（万元）": 40, "研发费用（万元）": 60, "职工总数": 100,
            "研发人员数": 20}
    bad = dict(good, **{"研发人员数": 120, "上缴税金（万元）": -1})
    url = f"/monitoring/periods/{period_id}/import"
    upload = _filled(template, {usccs["省级企业"]: good, usccs["长春企业"]: bad})
    r = c.post(url, data={"csrf_token": csrf_token(c, f"/monitoring/periods/{period_id}"),
                          "file": (upload, "m.xlsx")}, content_type="multipart/form-data")
    assert r.status_code == 422
    shown = text(r)
    assert "第2行" in shown and "研发人员数" in shown and "上缴税金" in shown and "第3行" not in shown
    assert {v["status"] for v in reports_of(app, period_id).values()} == {"waiting"}
    upload = _filled(template, {usccs["省级企业"]: good})
    r = c.post(url, data={"csrf_token": csrf_token(c, f"/monitoring/periods/{period_id}"),
                          "file": (upload, "m.xlsx")}, content_type="multipart/form-data")
    assert r.status_code == 302, text(r)
    after = reports_of(app, period_id)
    assert after["省级企业"]["status"] == "submitted" and after["长春企业"]["status"] == "waiting"
    exported = load_workbook(BytesIO(c.get(f"/monitoring/periods/{period_id}/export").data)).active
    head = [cell.value for cell in exported[1]]
    row = next(r for r in exported.iter_rows(min_row=2, values_only=True) if r[0] == usccs["省级企业"])
    assert {h: row[head.index(h)] for h in good} == good
    # the export imports again unchanged: nothing filed twice
    again = load_workbook(BytesIO(c.get(f"/monitoring/periods/{period_id}/export").data))
    out = BytesIO()
    again.save(out)
    out.seek(0)
    r = c.post(url, data={"csrf_token": csrf_token(c, f"/monitoring/periods/{period_id}"),
                          "file": (out, "m.xlsx")}, content_type="multipart/form-data")
    assert r.status_code == 302
    r = c.post(url, data={"csrf_token": csrf_token(c, f"/monitoring/periods/{period_id}"),
                          "file": (BytesIO(b"not a workbook"), "m.xlsx")}, content_type="multipart/form-data")
    assert r.status_code == 422
