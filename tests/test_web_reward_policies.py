"""奖补政策 in the admin's web UI (Flask test client, CSRF on, Chinese by default): the list shows every policy
in words and 万元; editing an amount in 万元 stores yuan and new claims pay it; a negative amount is refused
on the form with nothing stored; a reviewer is refused the page."""

from __future__ import annotations

from app.extensions import db
from app.models import RewardPolicy
from tests.conftest import csrf_token, text

WAN = 10_000
LIST = "/admin/reward-policies"


def policy(app, key: str) -> RewardPolicy:
    with app.app_context():
        found = db.session.scalar(db.select(RewardPolicy).where(RewardPolicy.key == key))
        db.session.expunge(found)
        return found


def form_of(p: RewardPolicy, **changes) -> dict:
    data = {"name": p.name, "clause": p.clause, "amount": str(p.amount // WAN) if p.amount else "",
            "cap": "", "effective_from": "", "effective_until": ""}
    if p.active:
        data["active"] = "y"
    return data | changes


def test_the_list_shows_amounts_in_wan_and_matches_in_words(user_client):
    admin = user_client("admin")
    r = admin.get(LIST)
    assert r.status_code == 200
    page = text(r)
    assert "奖补政策" in page
    assert "吉林省" in page and "首次认定省级“专精特新”中小企业奖励" in page and "20万元" in page
    assert "1:1配套 首次认定省级“专精特新”中小企业奖励" in page
    assert "市属企业" in page and "白山市“专精特新”中小企业市级专项资金" in page
    assert "首次认定" in page and "002 §三(一)" in page
    assert f'href="{LIST}"' in r.get_data(as_text=True)  # the admin's nav link
    edit = text(admin.get(f"{LIST}/baishan_match_province"))
    assert "1:1配套" in edit and 'name="amount"' not in admin.get(f"{LIST}/baishan_match_province").get_data(
        as_text=True)


def test_editing_an_amount_in_wan_stores_yuan_and_new_claims_pay_it(app, api, user_client, enterprise, grant):
    admin = user_client("admin")
    url = f"{LIST}/jincheng_city_first"
    before = policy(app, "jincheng_city_first")
    r = admin.post(url, data=form_of(before, amount="8", csrf_token=csrf_token(admin, url)))
    assert r.status_code == 302, text(r)
    assert r.headers["Location"].endswith(LIST)
    assert policy(app, "jincheng_city_first").amount == 8 * WAN
    page = text(admin.get(LIST))
    assert "奖补政策已保存" in page or "8万元" in page
    enterprise("jincheng", "140502")
    grant("jincheng", "city")
    claims = api.get("/api/v1/reward-claims", as_="jincheng").get_json()["items"]
    assert {c["policy"]: c["amount"] for c in claims}["jincheng_city_first"] == 8 * WAN


def test_four_decimals_of_wan_are_whole_yuan_and_five_are_refused(app, user_client):
    admin = user_client("admin")
    url = f"{LIST}/jincheng_listing"
    before = policy(app, "jincheng_listing")
    r = admin.post(url, data=form_of(before, amount="1.23456", csrf_token=csrf_token(admin, url)))
    assert r.status_code == 422
    assert policy(app, "jincheng_listing").amount == before.amount
    r = admin.post(url, data=form_of(before, amount="1.2345", cap="1", csrf_token=csrf_token(admin, url)))
    assert r.status_code == 302, text(r)
    after = policy(app, "jincheng_listing")
    assert (after.amount, after.cap) == (12345, WAN)


def test_a_negative_amount_shows_the_error_and_changes_nothing(app, user_client):
    admin = user_client("admin")
    url = f"{LIST}/jincheng_city_first"
    before = policy(app, "jincheng_city_first")
    r = admin.post(url, data=form_of(before, amount="-3", name="改过的名字", csrf_token=csrf_token(admin, url)))
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "is-invalid" in html and 'value="-3"' in html
    assert "不得为负" in text(r) and "请修改标注的字段" in text(r)  # the service's message, next to the field
    after = policy(app, "jincheng_city_first")
    assert (after.amount, after.name) == (before.amount, before.name)


def test_a_reviewer_is_refused(user_client):
    reviewer = user_client("rev-220000")
    assert reviewer.get(LIST).status_code == 403
    assert reviewer.get(f"{LIST}/jincheng_city_first").status_code == 403
    assert reviewer.post(f"{LIST}/jincheng_city_first", data={"amount": "1"}).status_code in (400, 403)


def test_a_matching_policy_keeps_its_amount_and_takes_a_cap(app, user_client):
    admin = user_client("admin")
    url = f"{LIST}/baishan_match_province"
    before = policy(app, "baishan_match_province")
    data = form_of(before, cap="15", csrf_token=csrf_token(admin, url))
    data.pop("amount")
    r = admin.post(url, data=data)
    assert r.status_code == 302, text(r)
    after = policy(app, "baishan_match_province")
    assert (after.amount, after.match_policy_key, after.cap) == (None, "jilin_province_first", 15 * WAN)
    assert "最高15万元" in text(admin.get(LIST))
