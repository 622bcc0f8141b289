"""Finding applications again (issue 17 item 6): application numbers, a reviewer's 已办 / 全部 lists, the admin's
searchable list, filters, sorting, paging and the Excel exports of every list (公示名单 included)."""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor

from openpyxl import load_workbook

from app.core import workdays
from app.extensions import db
from app.models import Application
from tests.conftest import FULL_DATA, task_for, text

YEAR = workdays.china_date().year


def numbers(response) -> list[str]:
    return re.findall(r'<tr data-application="\d+" data-number="([^"]*)"', response.get_data(as_text=True))


def sheet(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return [list(r) for r in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)]


def _make(api, enterprise, key: str, tier: str, name: str, region: str = "220602", submit: bool = True) -> dict:
    username, company = enterprise(f"ent-{key}", region, name=name)
    r = api.post("/api/v1/applications", as_=username, json={"target_tier": tier, "data": dict(FULL_DATA)})
    assert r.status_code == 201, r.get_json()
    if submit:
        r = api.post(f"/api/v1/applications/{r.get_json()['id']}/submit", as_=username)
        assert r.status_code == 200, r.get_json()
    return r.get_json() | {"uscc": company["uscc"], "username": username}


def test_number_given_at_first_submission_per_county_and_year(api, enterprise, app):
    draft = _make(api, enterprise, "d", "seed", "草稿科技有限公司", submit=False)
    assert draft["number"] is None  # a draft has none: numbers are given at first submission
    a = _make(api, enterprise, "a", "seed", "甲精密制造有限公司")
    b = _make(api, enterprise, "b", "city", "乙新材料有限公司")
    other = _make(api, enterprise, "c", "seed", "丙科技有限公司", region="220104")
    assert a["number"] == f"{YEAR}-220602-0001"
    assert b["number"] == f"{YEAR}-220602-0002"
    assert other["number"] == f"{YEAR}-220104-0001"  # the sequence counts per county
    # the API shape keeps `id` and adds `number`; GET shows it too
    r = api.get(f"/api/v1/applications/{a['id']}", as_="admin")
    assert r.get_json()["id"] == a["id"] and r.get_json()["number"] == a["number"]
    # a return and resubmission keeps the number
    task = task_for(api, "rev-220602", a["id"])
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602",
                 json={"decision": "return", "comment": "补充材料"})
    assert r.status_code == 200, r.get_json()
    r = api.post(f"/api/v1/applications/{a['id']}/submit", as_=a["username"])
    assert r.status_code == 200 and r.get_json()["number"] == a["number"], r.get_json()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Application.number.distinct()))) == 3


def test_numbers_stay_unique_under_concurrent_assignment(app, api, enterprise):
    """Several submissions numbering at once each get their own sequence number (one atomic upsert)."""
    from app.recognition import numbers

    ids = [_make(api, enterprise, k, "seed", f"{k}号科技有限公司", submit=False)["id"] for k in "pqrs"]

    def number(application_id: int) -> str:
        with app.app_context():
            application = db.session.get(Application, application_id)
            value = numbers.assign(application, application.created_at)
            db.session.commit()
            return value

    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
    if sqlite:  # SQLite serialises writers: run them one after the other
        got = [number(i) for i in ids]
    else:
        with ThreadPoolExecutor(4) as pool:
            got = list(pool.map(number, ids))
    assert sorted(got) == [f"{YEAR}-220602-{n:04d}" for n in range(1, 5)]


def test_reviewer_handled_and_all_lists(api, enterprise, user_client):
    a = _make(api, enterprise, "a", "city", "甲精密制造有限公司")
    b = _make(api, enterprise, "b", "city", "乙新材料有限公司")
    seed = _make(api, enterprise, "c", "seed", "丙科技有限公司")
    _make(api, enterprise, "x", "city", "外县科技有限公司", region="220104")  # another county
    task = task_for(api, "rev-220602", a["id"])
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602", json={"decision": "approve"})
    assert r.status_code == 200, r.get_json()
    county = user_client("rev-220602")
    inbox = county.get("/inbox")
    assert 'href="/inbox/handled"' in inbox.get_data(as_text=True)  # the tabs 待办 / 已办 / 全部
    assert a["number"] not in text(inbox) and b["number"] in text(inbox)  # the number is shown in the inbox
    handled = county.get("/inbox/handled")
    assert handled.status_code == 200 and "已办" in text(handled)
    assert numbers(handled) == [a["number"]]
    everything = county.get("/inbox/all")
    assert sorted(numbers(everything)) == sorted([a["number"], b["number"], seed["number"]])
    # the city sees the city-tier applications of its counties (it is on their chain), not the county-only
    # seed application nor another city's
    city = user_client("rev-220600")
    assert sorted(numbers(city.get("/inbox/all"))) == sorted([a["number"], b["number"]])
    assert numbers(city.get("/inbox/handled")) == []
    # search: by name, by USCC, by number (or its start); filters
    assert numbers(county.get("/inbox/all?q=新材料")) == [b["number"]]
    assert numbers(county.get(f"/inbox/all?q={seed['uscc'].lower()}")) == [seed["number"]]
    assert numbers(county.get(f"/inbox/all?q={a['number']}")) == [a["number"]]
    assert sorted(numbers(county.get(f"/inbox/all?q={YEAR}-220602"))) == sorted(
        [a["number"], b["number"], seed["number"]])
    assert numbers(county.get("/inbox/all?tier=seed")) == [seed["number"]]
    assert numbers(county.get("/inbox/all?status=in_review&sort=number")) == [a["number"], b["number"],
                                                                               seed["number"]]
    assert numbers(county.get("/inbox/all?sort=-number")) == [seed["number"], b["number"], a["number"]]
    today = workdays.china_date().isoformat()
    assert len(numbers(county.get(f"/inbox/all?submitted_from={today}&submitted_to={today}"))) == 3
    assert numbers(county.get("/inbox/all?submitted_to=2020-01-01")) == []
    bad = county.get("/inbox/all?submitted_from=yesterday&tier=nonsense")
    assert bad.status_code == 422 and len(numbers(bad)) == 3  # the bad filters are dropped and reported
    # the inbox's own search finds a task by its number
    assert b["number"] in text(county.get(f"/inbox?q={b['number']}"))
    # Excel: the same list, every row, with the number first
    rows = sheet(county.get("/inbox/all.xlsx?tier=city&sort=number"))
    assert rows[0][0] == "申报编号" and [r[0] for r in rows[1:]] == [a["number"], b["number"]]
    assert rows[1][1] == "甲精密制造有限公司"
    assert [r[0] for r in sheet(county.get("/inbox/handled.xlsx"))[1:]] == [a["number"]]
    # only reviewers; an enterprise is refused
    assert user_client(a["username"]).get("/inbox/all").status_code == 403


def test_admin_list_search_filters_sorting_paging_export(api, enterprise, user_client, app):
    made = [_make(api, enterprise, f"e{i}", "seed", f"{i}号企业有限公司") for i in range(3)]
    _make(api, enterprise, "d", "city", "草稿企业有限公司", submit=False)
    admin = user_client("admin")
    page = admin.get("/admin/applications")
    assert page.status_code == 200 and "共 4 件申报" in text(page)
    html = page.get_data(as_text=True)
    for name in ("q", "tier", "status", "region", "call", "submitted_from", "submitted_to"):
        assert f'name="{name}"' in html, name
    assert numbers(admin.get("/admin/applications?status=draft")) == [""]
    assert "#" in text(admin.get("/admin/applications?status=draft"))  # a draft shows #id until submitted
    assert numbers(admin.get(f"/admin/applications?q={made[1]['number']}")) == [made[1]["number"]]
    assert numbers(admin.get("/admin/applications?sort=number&status=in_review")) == [m["number"] for m in made]
    with app.app_context():
        call_id = db.session.get(Application, made[0]["id"]).call_id
    assert len(numbers(admin.get(f"/admin/applications?call={call_id}"))) == 3
    assert numbers(admin.get("/admin/applications?region=220104")) == []
    app.config["INBOX_PAGE_SIZE"] = 2
    try:
        first = admin.get("/admin/applications?sort=number&status=in_review")
        second = admin.get("/admin/applications?sort=number&status=in_review&page=2")
        assert numbers(first) == [made[0]["number"], made[1]["number"]] and numbers(second) == [made[2]["number"]]
        assert "第 1/2 页" in text(first) or "2 页" in text(first)
        # the export is not paged
        assert len(sheet(admin.get("/admin/applications.xlsx?status=in_review"))) == 4
    finally:
        app.config["INBOX_PAGE_SIZE"] = 20
    assert user_client("rev-220602").get("/admin/applications").status_code == 403


def test_the_public_notice_list_exports(api, submitted, client):
    from tests.test_timers import in_notice

    application = in_notice(api, submitted)
    page = client.get("/notices")
    assert 'href="/notices.xlsx"' in page.get_data(as_text=True)
    rows = sheet(client.get("/notices.xlsx"))
    assert rows[0] == ["企业", "所在地区", "认定层级", "公示截止"] or rows[0][0] == "企业", rows[0]
    assert len(rows) == 2 and rows[1][0] == application["enterprise"]["name"]
    assert "浑江区" in rows[1][1] and rows[1][3] is not None
    assert "USCC" not in str(rows) and application["enterprise"]["uscc"] not in str(rows)  # only what is public


def test_a_sector_department_lists_its_sector_only(api, enterprise, user_client):
    farm_user, _c = enterprise("ent-farm", "220602", sector="agriculture", name="白山农业科技有限公司")
    r = api.post("/api/v1/applications", as_=farm_user, json={"target_tier": "province", "data": dict(FULL_DATA)})
    farm = api.post(f"/api/v1/applications/{r.get_json()['id']}/submit", as_=farm_user).get_json()
    plant = _make(api, enterprise, "p", "province", "白山机械制造有限公司")
    assert numbers(user_client("rev-220000-agriculture").get("/inbox/all")) == [farm["number"]]
    assert farm["number"] in numbers(user_client("rev-220000").get("/inbox/all"))  # the lead department: all
    assert plant["number"] in numbers(user_client("rev-220000").get("/inbox/all"))
