"""Eligibility in the web UI: the self-check page, the evaluation panel, refusals and the form's marks."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import Application
from tests.conftest import FULL_DATA, csrf_token, task_for, text

# Seed tier (创新型中小企业评价标准 2022): hand-computed 85 points, see tests/test_eligibility.py.
SEED_DATA = {"ip_level": "class1", "rd_expense_last_year": 80_000, "revenue_last_year": 1_600_000,
             "main_revenue_last_year": 1_150_000, "main_revenue_prev_year": 1_000_000, "debt_ratio": 0.55,
             "strategic_emerging": False, "employees": 30}  # main business 115 / 160 = 71.9 %, computed
# A small, young enterprise: revenue 1,000万, one year in its niche; fails the national hard conditions.
WEAK_NATIONAL = dict(FULL_DATA, revenue_last_year=10_000_000, revenue_prev_year=9_000_000,
                     main_revenue_last_year=9_500_000, main_revenue_prev_year=8_500_000,
                     rd_expense_last_year=800_000, rd_expense_prev_year=700_000, net_profit_last_year=500_000,
                     main_product_revenue_last_year=5_000_000, niche_years=1)


def draft(api, username: str, tier: str, data: dict) -> int:
    r = api.post("/api/v1/applications", as_=username, json={"target_tier": tier, "data": data})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def stored(app, app_id: int) -> Application:
    with app.app_context():
        application = db.session.get(Application, app_id)
        db.session.expunge(application)
        return application


def form_fields(data: dict, **overrides) -> dict:
    """The application form's fields for `data` (booleans as checkboxes, absent keys left empty)."""
    fields = {}
    for key, value in (data | overrides).items():
        if isinstance(value, bool):
            if value:
                fields[key] = "y"
        else:
            fields[key] = str(value)
    return fields


def row(html: str, item: str) -> str:
    """The visible text of the criteria table's row for criterion `item`."""
    match = re.search(rf'<tr[^>]*data-criterion="{re.escape(item)}".*?</tr>', html, flags=re.S)
    assert match, f"no row for criterion {item}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))).strip()


def test_self_check_page_shows_score_groups_and_criteria(app, api, enterprise, user_client):
    enterprise("acme", "220602")
    app_id = draft(api, "acme", "seed", SEED_DATA)
    c = user_client("acme")
    url = f"/applications/{app_id}"
    status_page = c.get(url).get_data(as_text=True)
    assert f'action="{url}/self-check"' in status_page and ">自评<" in status_page

    r = c.post(f"{url}/self-check", data={"csrf_token": csrf_token(c, url)})
    assert r.status_code == 200, text(r)
    html, page = r.get_data(as_text=True), text(r)
    # kept as the latest evaluation of the draft
    application = stored(app, app_id)
    evaluation = application.evaluation
    assert evaluation["score"] == 85 and application.status == "draft"
    assert "符合认定标准" in page and "不符合认定标准" not in page and "基本条件未满足" not in page
    assert "总分 85 （合格线：60 分）" in page
    # the rule set: name, jurisdiction, effective date, version
    rule_set = evaluation["rule_set"]
    assert rule_set["name"] in page and "适用地区：全国" in page
    assert f"{rule_set['effective_from']} 起施行" in page and f"第 {rule_set['version']} 版" in page
    # groups: name, score / max, minimum, result
    assert {g["name"]: g["score"] for g in evaluation["groups"]} == {"创新能力": 30, "成长性": 30, "专业化": 25}
    for g in evaluation["groups"]:
        assert f"{g['name']} {g['score']} / {g['max']} {g['min_required']} ✓ 满足" in page
    # criteria by their Chinese names; values formatted: ratios as %, choices by label, booleans 是/否
    for criterion in evaluation["criteria"]:
        assert criterion["name"] in page
    by_value = {repr(c["value"]): c["id"] for c in evaluation["criteria"]}
    assert row(html, "rd_ratio").endswith("5% ≥5% 20")
    assert "55%" in row(html, "debt_ratio")
    assert "Ⅰ类知识产权" in row(html, by_value["'class1'"]) and "class1" not in page
    assert " 否 " in row(html, by_value["False"])
    direct = [c for c in evaluation["criteria"] if c["kind"] == "direct"]
    assert direct and all("直接认定条件" in row(html, c["id"]) for c in direct)
    assert "✗ 未满足" in row(html, direct[0]["id"])
    # indicators not given are listed by their Chinese labels
    assert "sti_award" in evaluation["missing"]
    missing = re.search(r"以下指标未填写，未计入： (.+?) 修改", page)
    assert missing and "近3年获得科学技术奖励" in missing.group(1) and "sti_award" not in page
    # the status page shows the latest evaluation
    after = text(c.get(url))
    assert "最近一次自评结果" in after and "总分 85" in after and "创新能力" in after


def test_self_check_get_is_a_preview_that_stores_nothing(app, api, enterprise, user_client):
    enterprise("acme", "220602")
    app_id = draft(api, "acme", "seed", SEED_DATA)
    c = user_client("acme")
    r = c.get(f"/applications/{app_id}/self-check")
    assert r.status_code == 200 and "总分 85" in text(r) and "尚未记录" in text(r)
    assert stored(app, app_id).evaluation is None
    assert c.post(f"/applications/{app_id}/self-check").status_code == 400  # no CSRF token
    assert stored(app, app_id).evaluation is None


def test_self_check_is_for_the_owner_only(api, enterprise, user_client):
    enterprise("acme", "220602")
    enterprise("other", "220602")
    app_id = draft(api, "acme", "seed", SEED_DATA)
    other = user_client("other")
    token = csrf_token(other, "/dashboard")
    assert other.post(f"/applications/{app_id}/self-check", data={"csrf_token": token}).status_code == 404
    reviewer = user_client("rev-220602")
    assert reviewer.get(f"/applications/{app_id}/self-check").status_code == 403


def test_save_and_self_check_from_the_edit_form(app, api, enterprise, user_client):
    enterprise("acme", "220602")
    app_id = draft(api, "acme", "seed", SEED_DATA)
    c = user_client("acme")
    edit_url = f"/applications/{app_id}/edit"
    form = c.get(edit_url).get_data(as_text=True)
    assert 'name="check"' in form and 'value="保存并自评"' in form
    r = c.post(edit_url, data={"csrf_token": csrf_token(c, edit_url), "target_tier": "seed", "check": "1",
                               **form_fields(SEED_DATA, sti_award="provincial")})
    assert r.status_code == 200, text(r)
    page = text(r)
    assert "草稿已保存" in page and "符合认定标准" in page and "满足直接认定条件" in page
    application = stored(app, app_id)
    assert application.status == "draft" and application.data["sti_award"] == "provincial"
    assert application.evaluation["direct_passed"] is True
    award = next(c for c in application.evaluation["criteria"] if c["value"] == "provincial")
    assert award["kind"] == "direct" and re.search(r" 省级 .* ✓ 满足$", row(r.get_data(as_text=True), award["id"]))


def test_form_marks_the_fields_the_tier_needs(api, enterprise, user_client, grant):
    enterprise("acme", "220602")
    grant("acme", "province")  # the ladder: national needs the province tier
    c = user_client("acme")

    def marked(html: str, key: str) -> bool:
        return re.search(rf'data-needed="true">\s*(<div class="form-check">\s*<input[^>]*id="{key}"|'
                         rf'<label[^>]*for="{key}")', html) is not None

    seed = c.get("/applications/new?tier=seed").get_data(as_text=True)
    assert '<option selected value="seed">' in seed and "本层级所需" in seed
    assert marked(seed, "ip_level") and marked(seed, "debt_ratio") and marked(seed, "strategic_emerging")
    assert not marked(seed, "niche_years") and not marked(seed, "employees")
    national = c.get("/applications/new?tier=national").get_data(as_text=True)
    assert marked(national, "niche_years")
    app_id = draft(api, "acme", "national", SEED_DATA)
    assert marked(c.get(f"/applications/{app_id}/edit").get_data(as_text=True), "niche_years")


def test_national_draft_with_weak_data_is_refused_with_the_failed_conditions(app, api, enterprise, user_client, grant):
    enterprise("acme", "220602")
    grant("acme", "province")  # the ladder: national needs the province tier
    app_id = draft(api, "acme", "national", WEAK_NATIONAL)
    c = user_client("acme")
    edit_url = f"/applications/{app_id}/edit"
    r = c.post(edit_url, data={"csrf_token": csrf_token(c, edit_url), "target_tier": "national", "submit": "1",
                               **form_fields(WEAK_NATIONAL, employees=650)})
    assert r.status_code == 422
    html, page = r.get_data(as_text=True), text(r)
    assert 'data-testid="refusal"' in html and "未能提交：不满足本层级的基本条件" in page
    assert "基本条件未满足" in page and "不符合认定标准" in page and "硬性条件" in page
    failed = re.findall(r'<tr class="table-danger" data-criterion="[^"]+" data-failed-hard="true">\s*'
                        r'<th scope="row" class="fw-normal">\s*([^<]+?)\s*<', html)
    assert failed, "no failed hard criterion highlighted"
    flash = re.search(r'alert-danger[^>]*>\s*([^<]+)', html).group(1)
    assert "申报不满足本层级的基本条件" in flash and all(name in flash for name in failed)
    assert 'value="650"' in html  # the form keeps what was typed
    # nothing saved: still the old draft, no evaluation, no submission
    application = stored(app, app_id)
    assert application.status == "draft" and application.submitted_at is None and application.evaluation is None
    assert application.data["employees"] == WEAK_NATIONAL["employees"]

    # the status page's submit button: the same refusal, shown on the status page
    url = f"/applications/{app_id}"
    r = c.post(f"{url}/submit", data={"csrf_token": csrf_token(c, url)})
    assert r.status_code == 422
    page = text(r)
    assert "未能提交：不满足本层级的基本条件" in page and all(name in page for name in failed)
    assert "草稿" in page and stored(app, app_id).status == "draft"


def test_new_national_application_refused_saves_nothing(app, enterprise, user_client, grant):
    enterprise("acme", "220602")
    grant("acme", "province")  # the ladder: national needs the province tier
    c = user_client("acme")
    r = c.post("/applications/new", data={"csrf_token": csrf_token(c, "/applications/new"),
                                          "target_tier": "national", "submit": "1", **form_fields(WEAK_NATIONAL)})
    assert r.status_code == 422 and 'data-testid="refusal"' in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_reviewer_task_page_shows_the_evaluation(api, submitted, user_client):
    application = submitted("seed")
    evaluation = application["evaluation"]
    task = task_for(api, "rev-220602", application["id"])
    page = text(user_client("rev-220602").get(f"/tasks/{task['id']}"))
    assert "提交时的认定标准评价" in page
    assert f"总分 {evaluation['score']} （合格线：{evaluation['pass_score']} 分）" in page
    assert ("不符合认定标准" if not evaluation["passed"] else "符合认定标准") in page
    assert evaluation["rule_set"]["name"] in page
    assert all(g["name"] in page for g in evaluation["groups"])
    assert all(c["name"] in page for c in evaluation["criteria"])


def test_money_values_show_in_ten_thousand_yuan(api, enterprise, user_client, grant):
    enterprise("acme", "220602")
    grant("acme", "province")  # the ladder: national needs the province tier
    app_id = draft(api, "acme", "national", WEAK_NATIONAL)
    page = text(user_client("acme").get(f"/applications/{app_id}/self-check"))
    assert "1,000万元" in page and "10000000" not in page


def test_a_national_application_without_the_province_tier_is_refused_on_the_form(app, enterprise, user_client):
    """The ladder on the enterprise's form: the message names the missing tier and its clause; nothing saved."""
    enterprise("acme", "220602")
    c = user_client("acme")
    r = c.post("/applications/new", data={"csrf_token": csrf_token(c, "/applications/new"),
                                          "target_tier": "national", "save": "1", **form_fields(FULL_DATA)})
    page = text(r)
    assert r.status_code == 422, page[:300]
    assert "申报本层级须先持有有效的：省级“专精特新”中小企业" in page and "001 §二(一)4" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_a_percentage_typed_as_45_is_a_form_error_not_a_crash(app, enterprise, user_client):
    """WTForms %-formats a validator's message: the ratio fields' "45%" must not break it (was HTTP 500)."""
    enterprise("acme", "220602")
    c = user_client("acme")
    for lang in ("zh_CN", "en"):
        c.get(f"/lang/{lang}")
        r = c.post("/applications/new", data={"csrf_token": csrf_token(c, "/applications/new"), "target_tier": "city",
                                              "save": "1", **form_fields(FULL_DATA, main_business_share=45)})
        assert r.status_code == 422, text(r)[:200]
        assert ("如45%填写 0.45" if lang == "zh_CN" else "e.g. 0.45 for 45%.") in text(r)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0
