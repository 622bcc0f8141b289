"""The smaller fixes of issue 17 §14: calls' columns, status, editing and closing; one wording for validation
messages; a fractional employee count; plural task counts; the favicon; the notice badge clears when the task
is done; enterprise names sorted by pinyin."""

from __future__ import annotations

import re
from datetime import date, timedelta

from app.extensions import db
from tests.conftest import FULL_DATA, PASSWORD, csrf_token, task_for, text


def _call(app, region: str = "220000", tier: str = "city", days: int = 30) -> int:
    from app.recognition import calls

    with app.app_context():
        today = date.today()
        call = calls.open_call(None, name=f"{region} {tier} 批次", tier=tier, region_code=region,
                               opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=days),
                               spot_check_share=0)
        db.session.commit()
        return call.id


def test_the_calls_list_says_how_many_applications_were_submitted_and_each_calls_status(app, user_client):
    call_id = _call(app)
    admin = user_client("admin")
    page = admin.get("/admin/calls")
    html = page.get_data(as_text=True)
    assert "申报提交数" in html and "提交时间" not in html and "批次状态" in html
    row = re.search(rf'data-testid="call-{call_id}".*?</tr>', html, re.S).group(0)
    assert "受理中" in row and re.search(r'data-testid="submitted-count">0<', row)
    en = user_client("admin")
    en.get("/lang/en")
    assert "Applications submitted" in text(en.get("/admin/calls"))


def test_the_owning_office_edits_and_closes_a_call_and_submissions_stop(app, api, user_client, enterprise):
    from app.models import Call
    from app.recognition import calls

    with app.app_context():  # only the Jilin call: the always-open national test calls go
        db.session.execute(db.delete(Call))
        db.session.commit()
    call_id = _call(app, "220000", "city")
    owner = user_client("rev-220000")
    token = csrf_token(owner, f"/admin/calls/{call_id}")
    r = owner.post(f"/admin/calls/{call_id}", data={"csrf_token": token, "name": "吉林省城市级（延期）",
                                                     "opens_on": date.today().isoformat(),
                                                     "closes_on": (date.today() - timedelta(days=3)).isoformat()})
    assert r.status_code == 422 and "截止日期不得早于开始日期" in text(r)
    closes = date.today() + timedelta(days=60)
    r = owner.post(f"/admin/calls/{call_id}", data={"csrf_token": token, "name": "吉林省城市级（延期）",
                                                     "opens_on": date.today().isoformat(),
                                                     "closes_on": closes.isoformat()})
    assert r.status_code == 302
    with app.app_context():
        call = db.session.get(Call, call_id)
        assert (call.name, call.closes_on, call.tier) == ("吉林省城市级（延期）", closes, "city")
    other = user_client("rev-140000")  # another province's office neither sees nor changes it
    assert other.get(f"/admin/calls/{call_id}").status_code == 403
    assert other.post(f"/admin/calls/{call_id}/close",
                      data={"csrf_token": csrf_token(other, "/admin/calls")}).status_code == 403
    enterprise("acme")
    draft = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": dict(FULL_DATA)})
    r = owner.post(f"/admin/calls/{call_id}/close", data={"csrf_token": token})
    assert r.status_code == 302
    assert "已关闭" in text(owner.get(f"/admin/calls/{call_id}"))
    refused = api.post(f"/api/v1/applications/{draft.get_json()['id']}/submit", as_="acme")
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "no_open_call"
    with app.app_context():
        assert calls.current("city", db.session.get(Call, call_id).region, date.today()) is None
    again = owner.post(f"/admin/calls/{call_id}", data={"csrf_token": token, "name": "再改", "opens_on":
                                                         date.today().isoformat(), "closes_on": closes.isoformat()})
    assert again.status_code == 403  # a closed call has no edit form any more
    with app.app_context():
        assert db.session.get(Call, call_id).name == "吉林省城市级（延期）"


def test_validation_messages_have_one_wording(app, user_client):
    admin = user_client("admin")
    r = admin.post("/admin/calls", data={"csrf_token": csrf_token(admin, "/admin/calls"), "name": "",
                                         "tier": "city", "region_code": "220000", "opens_on": "2027-01-01",
                                         "closes_on": "not a date", "deadline_county_review": "abc"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "必填项，请填写。" in html and "该字段是必填字段" not in html  # WTForms' own wording is not used
    assert "请输入有效日期" in html and "不是有效的日期值" not in html
    assert "请输入整数。" in html and "数值大小必须介于" not in html and "应在 1 到 120 之间" not in html


def test_a_fractional_employee_count_says_whole_number_not_negative(app, user_client, enterprise):
    enterprise("acme")
    c = user_client("acme")
    r = c.post("/applications/new", data={"csrf_token": csrf_token(c, "/applications/new"), "target_tier": "seed",
                                          "save": "1", "employees": "12.5"})
    assert r.status_code == 422
    feedback = re.search(r'id="employees"[^>]*>\s*((?:<div class="invalid-feedback">[^<]*</div>\s*)+)',
                         r.get_data(as_text=True)).group(1)
    assert "请输入整数" in feedback and "不得为负数" not in feedback


def test_task_counts_use_plural_forms_and_the_favicon_is_served(app, api, submitted, user_client):
    submitted("city")
    reviewer = user_client("rev-220602")
    reviewer.get("/lang/en")
    page = text(reviewer.get("/inbox"))
    assert "1 open task" in page and "1 open tasks" not in page
    icon = app.test_client().get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert 'rel="icon"' in reviewer.get("/inbox").get_data(as_text=True)


def test_the_notice_badge_clears_when_the_task_is_done(app, api, submitted, user_client):
    application = submitted("city")
    reviewer = user_client("rev-220602")

    def badge() -> str | None:
        match = re.search(r'data-testid="unread-count">(\d+)<', reviewer.get("/inbox").get_data(as_text=True))
        return match.group(1) if match else None

    assert badge() == "1"  # the new task's notice
    task = task_for(api, "rev-220602", application["id"])
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602",
                 json={"decision": "approve", "comment": "同意"})
    assert r.status_code == 200, r.get_json()
    assert badge() is None  # done: the notice no longer waits to be read
    assert re.search(r'data-testid="unread-count">1<', user_client("rev-220600").get("/inbox").get_data(
        as_text=True))  # the city, where the task went, has its own


def test_enterprise_names_sort_by_pinyin(app, api, submitted, user_client):
    from app.models import Enterprise

    for username, name in (("bei", "北辰精密有限公司"), ("an", "安达精密有限公司"), ("zhong", "中孚精密有限公司")):
        from tests.conftest import valid_uscc

        r = api.post("/api/v1/enterprises", json={"username": f"ent-{username}", "password": PASSWORD,
                                                  "name": name, "uscc": valid_uscc(), "region_code": "220602",
                                                  "sector": "industry"})
        assert r.status_code == 201
        submitted("city", username=f"ent-{username}", register=False)
    assert sorted(["北辰", "安达"]) == ["北辰", "安达"]  # by code point 北 comes first
    page = user_client("rev-220602").get("/inbox?sort=enterprise").get_data(as_text=True)
    order = [page.index(name) for name in ("安达精密有限公司", "北辰精密有限公司", "中孚精密有限公司")]
    assert order == sorted(order)
    with app.app_context():  # the key follows a rename
        firm = db.session.scalar(db.select(Enterprise).where(Enterprise.name == "中孚精密有限公司"))
        firm.name = "阿里精密有限公司"
        db.session.commit()
        keys = dict(db.session.execute(db.select(Enterprise.name, Enterprise.name_key)).all())
        assert keys["阿里精密有限公司"] < keys["安达精密有限公司"] < keys["北辰精密有限公司"]
