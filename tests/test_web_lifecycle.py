"""Lifecycle work in the web UI (Flask test client, CSRF on, Chinese by default): an office opens a
re-verification campaign, the member updates its data, the office keeps, downgrades or exits it; an office
proposes a revocation, the enterprise states its case, another reviewer decides (four eyes)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import Campaign, HumanTask, LifecycleCase, Recognition
from tests.conftest import FULL_DATA, csrf_token, text, typed

YEAR = date.today().year + 1
DUE = f"{YEAR}-04-30"


def post(client, url: str, page: str | None = None, **fields):
    """POST a form the way the page (`url` unless `page` says) sends it, with its CSRF token."""
    return client.post(url, data={"csrf_token": csrf_token(client, page or url), **fields})


def form_data(data: dict) -> dict[str, str]:
    """Indicator values as the browser sends them (a ticked box is "y", an unticked one is left out)."""
    return {k: ("y" if v is True else str(typed(k, v))) for k, v in data.items() if v is not False}


def row(app, model, **where):
    with app.app_context():
        return db.session.scalar(db.select(model).filter_by(**where))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def member(enterprise, grant):
    """An enterprise of 浑江区 holding an active seed recognition (kept by the 浑江区 office)."""
    enterprise("acme", "220602", name="甲精密制造有限公司")
    return grant("acme", "seed")


def open_campaign(client) -> int:
    r = post(client, "/lifecycle/campaigns", scope="tier:seed", year=str(YEAR), due_on=DUE, name="")
    assert r.status_code == 302, text(r)
    return int(re.search(r"/lifecycle/campaigns/(\d+)$", r.headers["Location"]).group(1))


def case_id(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(LifecycleCase.id))


def send_update(client, app) -> None:
    cid = case_id(app)
    r = post(client, f"/lifecycle/my/{cid}/update", **form_data(FULL_DATA))
    assert r.status_code == 302 and r.headers["Location"].endswith("/lifecycle/my"), text(r)


def test_campaign_update_and_keep_through_the_forms(app, user_client, member):
    rev = user_client("rev-220602")
    page = rev.get("/lifecycle/campaigns")
    body = text(page)
    assert page.status_code == 200 and "动态管理" in body and "复核与撤销待办" in body  # the reviewer's navigation
    assert "尚未开启" in body or "还没有" in body
    html = page.get_data(as_text=True)
    assert 'value="tier:seed"' in html and f'value="{YEAR}-04-30"' in html  # due date defaults to 30 April
    cid = open_campaign(rev)
    page = rev.get(f"/lifecycle/campaigns/{cid}")
    assert page.status_code == 200 and "甲精密制造有限公司" in text(page)
    assert re.search(r'data-progress="members">1<', page.get_data(as_text=True))

    ent = user_client("acme")
    mine = ent.get("/lifecycle/my")
    assert "年度复核" in text(mine) and DUE in text(mine) and "更新年度数据" in text(mine)
    case = case_id(app)
    form = ent.get(f"/lifecycle/my/{case}/update")
    assert form.status_code == 200 and 'name="revenue_last_year"' in form.get_data(as_text=True)
    assert 'name="target_tier"' not in form.get_data(as_text=True)
    send_update(ent, app)
    assert "年度数据已提交" in text(ent.get("/lifecycle/my"))  # the flash after the update
    assert ent.get(f"/lifecycle/my/{case}/update").status_code == 302  # nothing waits any more

    tasks = rev.get("/lifecycle/tasks")
    assert tasks.status_code == 200 and "甲精密制造有限公司" in text(tasks) and f'data-case="{case}"' in \
        tasks.get_data(as_text=True)
    page = rev.get(f"/lifecycle/cases/{case}")
    body = text(page)
    assert page.status_code == 200 and "符合认定标准" in body  # the evaluation against the rule set in force
    assert "保留" in body and "降级" in body and "退出" in body and "220602S" in body  # decisions, certificate no.
    r = post(rev, f"/lifecycle/cases/{case}", decision="keep", comment="")
    assert r.status_code == 302, text(r)
    page = rev.get(f"/lifecycle/cases/{case}")
    assert "已保留" in text(page) and 'data-action="keep"' in page.get_data(as_text=True)
    progress = rev.get(f"/lifecycle/campaigns/{cid}").get_data(as_text=True)
    assert 'data-progress="updated">1<' in progress and 'data-progress="kept">1<' in progress
    entry = row(app, Recognition, id=member)
    assert entry.status == "active" and entry.verified_on is not None
    # the members' list as Excel: the same rows, the outcome in words
    sheet = list(load_workbook(BytesIO(rev.get(f"/lifecycle/campaigns/{cid}.xlsx").data)).active.iter_rows(
        values_only=True))
    assert [r[0] for r in sheet[1:]] == ["甲精密制造有限公司"] and sheet[1][5] == "已保留" and sheet[1][3] is not None
    assert user_client("rev-220104").get(f"/lifecycle/campaigns/{cid}.xlsx").status_code == 404


def test_a_campaign_due_date_in_the_past_is_refused_in_chinese(app, user_client, member):
    rev = user_client("rev-220602")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    r = post(rev, "/lifecycle/campaigns", scope="tier:seed", year=str(date.today().year), due_on=yesterday)
    assert r.status_code == 422
    body = text(r)
    assert "截止日期已过" in body and "无法启动复核" in body
    assert count(app, Campaign) == 0 and count(app, LifecycleCase) == 0
    r = post(rev, "/lifecycle/campaigns", scope="", year="abc", due_on="")  # the form's own checks
    assert r.status_code == 422 and "请选择层级或培育库" in text(r) and count(app, Campaign) == 0


def test_an_exit_without_a_reason_is_refused(app, user_client, member):
    rev, ent = user_client("rev-220602"), user_client("acme")
    open_campaign(rev)
    send_update(ent, app)
    case = case_id(app)
    r = post(rev, f"/lifecycle/cases/{case}", decision="exit", comment="  ")
    assert r.status_code == 422
    assert "该决定须填写理由" in text(r)
    assert row(app, LifecycleCase, id=case).status == "open"
    assert row(app, Recognition, id=member).status == "active"
    with app.app_context():
        assert db.session.scalar(db.select(HumanTask.state).where(HumanTask.kind == "decision")) == "open"
    r = post(rev, f"/lifecycle/cases/{case}", decision="exit", comment="主营业务已转型，不再符合条件")
    assert r.status_code == 302
    assert row(app, Recognition, id=member).status == "exited"
    assert "已退出" in text(rev.get(f"/lifecycle/cases/{case}"))


def test_revocation_four_eyes_after_the_enterprise_is_heard(app, user_client, enterprise, grant, colleague):
    enterprise("prov-co", "220602", name="乙新材料有限公司")
    entry = grant("prov-co", "province")
    colleague("rev-220000-b", "220000")
    opener, ent = user_client("rev-220000"), user_client("prov-co")
    page = opener.get(f"/lifecycle/recognitions/{entry}")
    assert page.status_code == 200 and "提出撤销" in text(page) and "220000P" in text(page)
    r = post(opener, f"/lifecycle/recognitions/{entry}", ground="", details="")  # nothing chosen: nothing stored
    assert r.status_code == 422 and count(app, LifecycleCase) == 0
    r = post(opener, f"/lifecycle/recognitions/{entry}", ground="false_information",
             details="申报材料中研发费用与审计报告不符（审计报告编号 2026-118）")
    assert r.status_code == 302, text(r)
    case = int(r.headers["Location"].rsplit("/", 1)[1])
    assert row(app, Recognition, id=entry).status == "under_review"

    mine = text(ent.get("/lifecycle/my"))
    assert "弄虚作假" in mine and "陈述申辩截止" in mine and "事实与依据" in mine
    page = ent.get(f"/lifecycle/my/{case}/respond")
    assert page.status_code == 200 and "审计报告编号 2026-118" in text(page)
    assert post(ent, f"/lifecycle/my/{case}/respond", response="").status_code == 422
    r = post(ent, f"/lifecycle/my/{case}/respond", response="研发费用口径差异系会计调整，已补充说明。")
    assert r.status_code == 302

    assert 'data-testid="four-eyes-note"' in opener.get(f"/lifecycle/cases/{case}").get_data(as_text=True)
    r = post(opener, f"/lifecycle/cases/{case}", decision="revoke", comment="情况属实")
    assert r.status_code == 403 and "四眼原则" in text(r)
    assert row(app, Recognition, id=entry).status == "under_review"
    second = user_client("rev-220000-b")
    page = second.get(f"/lifecycle/cases/{case}")
    assert "研发费用口径差异系会计调整" in text(page) and "撤销认定" in text(page)
    r = post(second, f"/lifecycle/cases/{case}", decision="revoke", comment="经核实，申报材料存在虚假信息")
    assert r.status_code == 302, text(r)
    assert row(app, Recognition, id=entry).status == "revoked"
    assert row(app, LifecycleCase, id=case).outcome == "revoked"
    assert "已撤销" in text(ent.get("/lifecycle/my"))


def test_who_sees_which_lifecycle_page(app, user_client, member, enterprise):
    enterprise("other", "220602", name="丙公司")
    rev = user_client("rev-220602")
    open_campaign(rev)
    case = case_id(app)
    assert user_client("other").get(f"/lifecycle/my/{case}/update").status_code == 404
    assert user_client("acme").get("/lifecycle/campaigns").status_code == 403
    assert user_client("rev-140502").get(f"/lifecycle/cases/{case}").status_code == 404  # another province
    assert user_client("rev-140502").get(f"/lifecycle/recognitions/{member}").status_code == 404
    nav = text(user_client("acme").get("/lifecycle/my"))
    assert "年度复核" in nav and "动态管理" not in nav


def test_the_pages_in_english(app, user_client, member):
    rev = user_client("rev-220602")
    rev.get("/lang/en")
    open_campaign(rev)
    body = text(rev.get("/lifecycle/campaigns"))
    assert "Dynamic management" in body and "Re-verification and revocation tasks" in body
    page = rev.get(f"/lifecycle/cases/{case_id(app)}")
    assert page.status_code == 200 and "Yearly re-verification" in text(page)
    ent = user_client("acme")
    ent.get("/lang/en")
    assert "Annual review" in text(ent.get("/lifecycle/my"))


def test_the_office_tasks_are_paged_oldest_first(app, api, user_client, enterprise, grant, monkeypatch):
    for username in ("a-co", "b-co", "c-co"):
        enterprise(username, "220602", name=f"{username}公司")
        grant(username, "seed")
    open_campaign(user_client("rev-220602"))
    with app.app_context():
        by_name = {c.enterprise.name: c.id for c in db.session.scalars(db.select(LifecycleCase))}
    for username in ("c-co", "a-co", "b-co"):  # the office's decisions arrive in this order
        r = api.post(f"/api/v1/cases/{by_name[f'{username}公司']}/update", as_=username, json={"data": FULL_DATA})
        assert r.status_code == 200, r.get_json()
    monkeypatch.setitem(app.config, "INBOX_PAGE_SIZE", 2)
    rev = user_client("rev-220602")
    first, second = rev.get("/lifecycle/tasks"), rev.get("/lifecycle/tasks?page=2")

    def cases_of(response) -> list[int]:
        return [int(x) for x in re.findall(r'<tr data-task="\d+" data-case="(\d+)"', response.get_data(as_text=True))]

    assert cases_of(first) == [by_name["c-co公司"], by_name["a-co公司"]]
    assert cases_of(second) == [by_name["b-co公司"]]
    assert "第 1 / 2 页，共 3 条" in text(first)
    assert cases_of(rev.get("/lifecycle/tasks?kind=revocation")) == []


def test_a_county_opens_a_campaign_for_its_library(app, user_client, enterprise, enter_library):
    enterprise("jinhu-co", "320831", name="金湖阀门有限公司")
    enter_library("jinhu-co", "jinhu_county")
    rev = user_client("rev-320831")
    assert 'value="library:jinhu_county"' in rev.get("/lifecycle/campaigns").get_data(as_text=True)
    r = post(rev, "/lifecycle/campaigns", scope="library:jinhu_county", year=str(YEAR), due_on=DUE)
    assert r.status_code == 302, text(r)
    page = rev.get(r.headers["Location"])
    assert "金湖阀门有限公司" in text(page) and "培育库" in text(page)
    mine = text(user_client("jinhu-co").get("/lifecycle/my"))
    assert DUE in mine and "更新年度数据" in mine


def test_a_missed_deadline_is_flagged_and_exit_proposed(app, user_client, member):
    from datetime import UTC, datetime

    from tests.conftest import run_worker

    rev = user_client("rev-220602")
    cid = open_campaign(rev)
    run_worker(app, datetime(YEAR, 5, 2, tzinfo=UTC))  # past the due date: the worker fires the timer
    case = case_id(app)
    assert row(app, LifecycleCase, id=case).missed is True
    page = rev.get(f"/lifecycle/cases/{case}")
    body = text(page)
    assert 'data-testid="missed"' in page.get_data(as_text=True) and "建议退出" in body
    assert "退出（逾期未更新，建议退出）" in body  # the BPMN's label for the exit when the member missed it
    assert re.search(r'data-progress="missed">1<', rev.get(f"/lifecycle/campaigns/{cid}").get_data(as_text=True))
    assert "逾期未更新" in text(user_client("acme").get("/lifecycle/my"))
    r = post(rev, f"/lifecycle/cases/{case}", decision="exit", comment="逾期未更新年度数据")
    assert r.status_code == 302 and row(app, Recognition, id=member).status == "exited"


def test_a_campaign_without_a_name_is_titled_in_the_readers_language(app, api, enterprise, grant):
    enterprise("acme", "220602")
    grant("acme", "seed")
    r = api.post("/api/v1/campaigns", as_="rev-220602", json={"tier": "seed", "year": 2099, "due_on": "2099-04-30"})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["name"] == "2099年度复核：优质“种子企业”"
    english = api.get(f"/api/v1/campaigns/{r.get_json()['id']}", as_="rev-220602",
                      headers={"Accept-Language": "en"}).get_json()
    assert english["name"] == "2099 re-verification: High-quality seed enterprise"
