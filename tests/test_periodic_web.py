"""The periodic report screens: the reporter's home and form, the province's decision, list export, the
compiled report (page and PDF) and who may read it."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.conftest import csrf_token, text
from tests.pdfs import embeds_a_font, pdf_text
from tests.periodic_support import SECTIONS, add_accounts, open_period


@pytest.fixture(autouse=True)
def accounts(app, password_hash):
    add_accounts(app, password_hash)


def _post(client, url: str, data: dict):
    return client.post(url, data=dict(data, csrf_token=csrf_token(client, url)))


def test_reporter_files_in_the_form_and_province_decides(api, user_client):
    reports = open_period(api)
    rid = reports["220600"]["id"]
    reporter = user_client("reporter-220600")
    r = reporter.get("/", follow_redirects=True)
    assert "定期调度" in text(r) and "2026年全年" in text(r)
    url = f"/reports/{rid}"
    assert "工作成果" in text(reporter.get(url)) and "自动" in text(reporter.get(url))
    r = _post(reporter, url, {"achievements": "草稿内容，待完善。", "save": "1"})
    assert r.status_code == 302
    r = _post(reporter, url, {"achievements": "草稿内容，待完善。", "submit": "1"})
    assert r.status_code == 422 and "务实举措为必填项" in text(r)
    assert api.get(f"/api/v1/periodic-reports/{rid}", as_="admin").get_json()["status"] == "open"
    r = _post(reporter, url, dict(SECTIONS, submit="1"))
    assert r.status_code == 302
    assert api.get(f"/api/v1/periodic-reports/{rid}", as_="admin").get_json()["status"] == "submitted"
    # another city's reporter cannot open it
    assert user_client("reporter-220100").get(url).status_code == 404
    province = user_client("rev-220000")
    page = text(province.get(url))
    assert "采纳" in page and "退回修改" in page and SECTIONS["policies"] in page
    r = _post(province, url, {"decision": "return", "comment": "", "decide": "1"})
    assert r.status_code == 422
    r = _post(province, url, {"decision": "return", "comment": "请补充数据来源", "decide": "1"})
    assert r.status_code == 302
    assert "请补充数据来源" in text(reporter.get(url))
    r = _post(reporter, url, dict(SECTIONS, submit="1"))
    assert r.status_code == 302
    r = _post(province, url, {"decision": "approve", "comment": "", "decide": "1"})
    assert r.status_code == 302
    assert api.get(f"/api/v1/periodic-reports/{rid}", as_="admin").get_json()["status"] == "accepted"


def _accept(api, rid: int, reporter: str) -> None:
    assert api.post(f"/api/v1/periodic-reports/{rid}/submit", as_=reporter, json=SECTIONS).status_code == 200
    assert api.post(f"/api/v1/periodic-reports/{rid}/decision", as_="rev-220000",
                    json={"decision": "approve"}).status_code == 200


def test_compiled_report_lists_accepted_and_marks_missing(api, user_client):
    reports = open_period(api)
    _accept(api, reports["220600"]["id"], "reporter-220600")
    query = "schedule=jilin_srdi_dispatch&year=2026&period=year-1"
    body = api.get("/api/v1/report-schedules/jilin_srdi_dispatch/compiled?year=2026&frequency=year&seq=1",
                   as_="leader-220000").get_json()
    assert [(u["office"]["code"], u["state"]) for u in body["units"]] == [("220100", "open"), ("220600", "accepted")]
    assert body["missing"] == ["220100"]
    assert [s["office"] for s in body["sections"]["achievements"]] == ["白山市工业和信息化局"]
    leader = user_client("leader-220000")
    page = text(leader.get(f"/reports/compiled?{query}"))
    assert SECTIONS["methods"] in page and "长春市工业和信息化局" in page and "未纳入汇总" in page
    r = leader.get(f"/reports/compiled.pdf?{query}")
    assert r.status_code == 200 and r.mimetype == "application/pdf" and embeds_a_font(r.data)
    content = pdf_text(r.data)
    assert "白山市工业和信息化局" in content and "长春市工业和信息化局" in content and "工作成果" in content
    # another province's leader and reviewers, and a city reporter, cannot read it
    assert user_client("leader-140000").get(f"/reports/compiled?{query}").status_code == 404
    assert user_client("rev-140000").get(f"/reports/compiled.pdf?{query}").status_code == 404
    assert user_client("reporter-220600").get(f"/reports/compiled?{query}").status_code == 403
    assert api.get("/api/v1/report-schedules/jilin_srdi_dispatch/compiled?year=2026&frequency=year&seq=1",
                   as_="leader-140000").status_code == 404


def test_province_list_exports_the_same_rows(api, user_client):
    open_period(api)
    open_period(api, key="shanxi_srdi_dispatch")
    province = user_client("rev-220000")
    page = text(province.get("/reports?year=2026&period=year-1"))
    assert "长春市工业和信息化局" in page and "白山市工业和信息化局" in page and "晋城" not in page
    r = province.get("/reports/export.xlsx?year=2026&period=year-1")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("调度制度", "报送单位", "报告期")
    assert sorted(row[1] for row in rows[1:]) == ["白山市工业和信息化局", "长春市工业和信息化局"]


def test_open_now_from_the_page(api, user_client):
    province = user_client("rev-220000")
    url = "/reports"
    token = csrf_token(province, url)
    r = province.post("/reports/open", data={"csrf_token": token, "schedule": "jilin_srdi_dispatch", "year": "2026",
                                             "period": "quarterly-4", "open_now": "1"})
    assert r.status_code == 302
    assert api.get("/api/v1/periodic-reports?frequency=quarterly&seq=4", as_="rev-220000").get_json()["total"] == 2
    assert 'data-testid="open-period"' in province.get(url).get_data(as_text=True)
    assert 'data-testid="open-period"' not in user_client("leader-220000").get(url).get_data(as_text=True)
