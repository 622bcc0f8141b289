"""Service secretaries on the web (issue 14 §1): the workbench lists exactly the secretary's firms with overdue
marks and exports the same rows; the office assigns and ends in Chinese; the 一企一册 page shows the block."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.core import workdays
from tests.conftest import csrf_token, text
from tests.secretary_support import make_secretary


@pytest.fixture
def secretaries(app, password_hash):
    make_secretary(app, "sec-220602", "220602", password_hash, "王秘书")
    make_secretary(app, "sec-220602-b", "220602", password_hash, "李秘书")


def _day(offset: int) -> str:
    return (workdays.china_date() + timedelta(days=offset)).isoformat()


@pytest.fixture
def served(api, enterprise, secretaries):
    """Three firms of 浑江区: two served by sec-220602 (one overdue), one by sec-220602-b; their ids."""
    ids = {}
    for username, name in (("late", "逾期走访企业"), ("fine", "按期走访企业"), ("other", "他人服务企业")):
        ids[username] = enterprise(username, name=name)[1]["id"]
    for username, secretary in (("late", "sec-220602"), ("fine", "sec-220602"), ("other", "sec-220602-b")):
        r = api.post(f"/api/v1/enterprises/{ids[username]}/assignments", as_="rev-220602",
                     json={"secretary": secretary, "starts_on": _day(-60), "leader_name": "张三",
                           "leader_post": "区委副书记"})
        assert r.status_code == 201, r.get_json()
    for username, visited, due in (("late", -50, -5), ("fine", -2, 40)):
        r = api.post(f"/api/v1/enterprises/{ids[username]}/visits", as_="sec-220602", json={
            "visited_on": _day(visited), "visitors": "王秘书", "notes": "走访", "next_due_on": _day(due)})
        assert r.status_code == 201, r.get_json()
    return ids


def test_the_workbench_lists_exactly_its_firms_with_overdue_marks(user_client, served):
    c = user_client("sec-220602")
    r = c.get("/", follow_redirects=True)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "服务秘书工作台" in page
    listed = {int(x) for x in re.findall(r'data-firm="(\d+)"', page)}
    assert listed == {served["late"], served["fine"]}
    overdue = {int(x) for x in re.findall(r'data-firm="(\d+)" data-overdue="true"', page)}
    assert overdue == {served["late"]}
    assert f'data-due="{served["late"]}"' in page and f'data-due="{served["fine"]}"' not in page
    assert f'/enterprises/{served["late"]}/ledger' in page
    # the Excel export: the same rows as the page
    book = load_workbook(BytesIO(c.get("/secretary/firms.xlsx").data))
    rows = list(book.active.iter_rows(values_only=True))
    names = re.findall(r'data-firm="\d+"[^>]*>\s*<td><a [^>]*>([^<]+)</a>', page)
    assert names == ["逾期走访企业", "按期走访企业"]  # the most urgent first
    assert [(r[0], r[6]) for r in rows[1:]] == [(names[0], "已超期"), (names[1], None)]
    # other roles have no workbench
    assert user_client("rev-220602").get("/secretary").status_code == 403


def test_the_office_assigns_and_ends_in_chinese(app, user_client, enterprise, secretaries):
    _u, firm = enterprise()
    c = user_client("rev-220602")
    page = text(c.get("/services/assignments"))
    assert "选派服务秘书" in page and "王秘书" in page
    token = csrf_token(c, "/services/assignments")
    form = {"csrf_token": token, "uscc": "91220602MA00000000", "secretary": "sec-220602",
            "starts_on": _day(0), "ends_on": ""}
    r = c.post("/services/assignments", data=form)
    assert r.status_code == 422 and "本辖区内没有使用该统一社会信用代码的企业" in text(r)
    r = c.post("/services/assignments", data=form | {"uscc": firm["uscc"], "ends_on": _day(-1)})
    assert r.status_code == 422 and "结束日期不能早于开始日期" in text(r)
    r = c.post("/services/assignments", data=form | {"uscc": firm["uscc"], "leader_name": "张三"})
    assert r.status_code == 302
    r = c.post("/services/assignments", data=form | {"uscc": firm["uscc"]})
    assert r.status_code == 409 and "请先结束现有选派" in text(r)
    page = c.get("/services/assignments").get_data(as_text=True)
    assignment_id = int(re.search(r'data-assignment="(\d+)" data-status="active"', page).group(1))
    r = c.post(f"/services/assignments/{assignment_id}/end", data={"csrf_token": token, "reason": "岗位调整"})
    assert r.status_code == 302
    page = text(c.get("/services/assignments?status=ended"))
    assert "已结束" in page and "岗位调整" in page
    book = load_workbook(BytesIO(c.get("/services/assignments.xlsx?status=ended").data))
    rows = list(book.active.iter_rows(values_only=True))[1:]
    assert [(r[0], r[3], r[7]) for r in rows] == [("测试精密制造有限公司", "王秘书", "已结束")]
    # another county's office sees none of it
    assert "测试精密制造有限公司" not in text(user_client("rev-220104").get("/services/assignments"))


def test_the_ledger_shows_the_secretary_and_visits(user_client, served):
    for username in ("late", "rev-220602", "sec-220602", "rev-220600"):
        r = user_client(username).get(f"/enterprises/{served['late']}/ledger")
        assert r.status_code == 200, username
        page = text(r)
        assert "服务秘书与走访" in page and "王秘书" in page and "区委副书记" in page
        assert ('data-testid="log-visit-link"' in r.get_data(as_text=True)) == (username != "late")
    # another secretary of the office does not serve this firm
    assert user_client("sec-220602-b").get(f"/enterprises/{served['late']}/ledger").status_code == 404
    assert user_client("rev-220104").get(f"/enterprises/{served['late']}/ledger").status_code == 404


def test_a_secretary_logs_a_visit_on_the_web(user_client, served):
    c = user_client("sec-220602")
    url = f"/services/enterprises/{served['fine']}/visits"
    token = csrf_token(c, url)
    r = c.post(url, data={"csrf_token": token, "visited_on": _day(1), "visitors": "王秘书", "notes": "回访"})
    assert r.status_code == 422 and "走访日期不能晚于今天" in text(r)
    r = c.post(url, data={"csrf_token": token, "visited_on": _day(0), "visitors": "王秘书", "notes": "回访",
                          "problems": "用地指标紧张", "next_due_on": _day(30)})
    assert r.status_code == 302
    page = text(c.get(url))
    assert "用地指标紧张" in page and "走访已登记" in page
    # a firm it does not serve
    assert c.get(f"/services/enterprises/{served['other']}/visits").status_code == 404


def test_the_ledger_pdf_and_json_carry_the_block(api, user_client, served):
    from tests.pdfs import pdf_text

    r = user_client("rev-220602").get(f"/enterprises/{served['late']}/ledger.pdf")
    assert r.status_code == 200
    content = pdf_text(r.data)
    assert "服务秘书与走访" in content and "王秘书" in content and "区委副书记" in content
    body = api.get(f"/api/v1/enterprises/{served['late']}/ledger", as_="rev-220602").get_json()
    assert [a["secretary"]["username"] for a in body["service_assignments"]] == ["sec-220602"]
    assert [v["visited_on"] for v in body["service_visits"]] == [_day(-50)]


def test_the_office_page_marks_overdue_visits_and_exports_the_same_rows(user_client, served):
    c = user_client("rev-220602")
    page = c.get("/services/assignments?status=active").get_data(as_text=True)
    rows = re.findall(r'data-assignment="\d+" data-status="active">\s*<td><a [^>]*>([^<]+)</a>', page)
    assert sorted(rows) == ["他人服务企业", "按期走访企业", "逾期走访企业"]
    overdue = re.findall(r'<a [^>]*>([^<]+)</a>(?:(?!data-assignment).)*?data-overdue="true"', page, flags=re.S)
    assert sorted(overdue) == ["他人服务企业", "逾期走访企业"]  # never visited since its start 60 days ago; late
    book = load_workbook(BytesIO(c.get("/services/assignments.xlsx?status=active").data))
    sheet = list(book.active.iter_rows(values_only=True))[1:]
    assert [r[0] for r in sheet] == rows
    assert sorted(r[0] for r in sheet if r[10] == "已超期") == sorted(overdue)
    assert {r[0]: r[9].date().isoformat() for r in sheet}["逾期走访企业"] == _day(-5)
