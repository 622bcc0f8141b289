"""Rewards on the web for enterprises and funds (Flask test client, CSRF on, Chinese by default): 我的奖补
lists the claims a recognition opened and files a listing claim in Jincheng; a Jilin firm is refused on the form
and nothing is stored; the fund page shows the ledger's balances and a chart whose data are the ledger's sums;
an unrelated office gets 404; the budget form adds to the budget; the 一企一册 JSON lists the rewards."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from app.extensions import db
from app.models import Fund, LedgerEntry, RewardClaim
from tests.conftest import csrf_token, text

WAN = 10_000
LISTING = "2026年5月在新三板挂牌，证券代码 874001"


def post(client, url: str, page: str | None = None, **fields):
    return client.post(url, data={"csrf_token": csrf_token(client, page or url), **fields})


def fund_id(app, key: str = "jilin_sme") -> int:
    with app.app_context():
        return db.session.scalar(db.select(Fund.id).where(Fund.key == key))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def decide(api, reviewer: str, claim_id: int, decision: str = "approve", **extra) -> None:
    r = api.post(f"/api/v1/reward-claims/{claim_id}/decision", as_=reviewer, json={"decision": decision} | extra)
    assert r.status_code == 200, r.get_json()


def claims_of(api, username: str) -> dict[str, dict]:
    return {c["policy"]: c for c in api.get("/api/v1/reward-claims", as_=username).get_json()["items"]}


@pytest.fixture
def jilin_claims(api, enterprise, grant) -> dict[str, dict]:
    """A 浑江区 firm recognized at the province (20万, paid) and nationally (50万, committed)."""
    enterprise("acme", "220602", name="甲精密制造有限公司")
    grant("acme", "province")
    grant("acme", "national")
    claims = claims_of(api, "acme")
    province = claims["jilin_province_first"]
    decide(api, "rev-220000", province["id"])
    decide(api, "rev-220000-finance", province["id"])
    decide(api, "rev-220000-finance", province["id"], "pay", voucher_no="PZ-2026-017",
           paid_on=date.today().isoformat())
    return claims_of(api, "acme")


def test_enterprise_sees_its_claims_in_wan_with_payment(jilin_claims, user_client):
    client = user_client("acme")
    r = client.get("/my/rewards")
    assert r.status_code == 200
    page = text(r)
    assert "我的奖补" in page and "首次认定省级“专精特新”中小企业奖励" in page and "001 §二(一)5" in page
    html = r.get_data(as_text=True)
    province = re.search(r'data-policy="jilin_province_first".*?</tr>', html, re.S).group(0)
    assert re.search(r'data-testid="amount">\s*20\s*<', province) and "已拨付" in province
    assert "PZ-2026-017" in province and date.today().isoformat() in province
    national = re.search(r'data-policy="jilin_national_first".*?</tr>', html, re.S).group(0)
    assert re.search(r'data-testid="amount">\s*50\s*<', national) and "PZ-" not in national
    assert 'data-testid="nav-my-rewards"' in html


def test_jincheng_firm_files_a_listing_claim_once(app, enterprise, user_client):
    enterprise("jincheng", "140502", name="晋城测试装备有限公司")
    client = user_client("jincheng")
    r = client.get("/my/rewards")
    assert 'value="jincheng_listing"' in r.get_data(as_text=True) and "暂无奖补申请" in text(r)
    r = post(client, "/my/rewards", policy="jincheng_listing", evidence="")  # no evidence: the form says so
    assert r.status_code == 422 and count(app, RewardClaim) == 0
    r = post(client, "/my/rewards", policy="jincheng_listing", evidence=LISTING)
    assert r.status_code == 302, text(r)
    page = text(client.get("/my/rewards"))
    assert "挂牌上市追加奖励" in page and "003 §一(三)" in page
    with app.app_context():
        [claim] = db.session.scalars(db.select(RewardClaim)).all()
        assert (claim.amount, claim.source, claim.evidence) == (10 * WAN, "enterprise", LISTING)
    # a second claim under the same policy: 409, in Chinese, nothing more stored
    r = post(client, "/my/rewards", policy="jincheng_listing", evidence=LISTING)
    assert r.status_code == 409 and "贵企业已申请过该项奖励" in text(r) and count(app, RewardClaim) == 1


def test_a_jilin_firm_is_refused_a_listing_claim_on_the_form(app, enterprise, user_client):
    enterprise("jilin", "220602")
    client = user_client("jilin")
    r = client.get("/my/rewards")
    assert 'data-testid="nothing-to-file"' in r.get_data(as_text=True)  # nothing it may file for
    r = post(client, "/my/rewards", policy="jincheng_listing", evidence=LISTING)
    assert r.status_code == 422
    assert "该奖补政策不适用于贵企业" in text(r) and 'class="invalid-feedback"' in r.get_data(as_text=True)
    assert count(app, RewardClaim) == 0 and count(app, LedgerEntry) == 0


def _chart(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="fund-chart-data">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_fund_page_shows_balances_and_chart_data_match_the_ledger(app, api, jilin_claims, user_client):
    fid = fund_id(app)
    balances = api.get(f"/api/v1/funds/{fid}", as_="admin").get_json()["balances"]
    assert (balances["committed"], balances["paid"]) == (50 * WAN, 20 * WAN)
    for who in ("rev-220000", "rev-220000-finance", "admin"):
        r = user_client(who).get(f"/funds/{fid}")
        assert r.status_code == 200, who
        html = r.get_data(as_text=True)
        assert "吉林省中小企业发展专项资金" in html
        for account in ("budget", "committed", "paid", "available"):
            assert f'data-balance="{account}" data-yuan="{balances[account]}"' in html
        assert re.search(r'data-balance="committed"[^>]*>\s*50\s*<', html)
        assert re.search(r'data-balance="paid"[^>]*>\s*20\s*<', html)
        chart = _chart(html)
        assert sum(row["committed"] for row in chart["rows"]) == balances["committed"]
        assert sum(row["paid"] for row in chart["rows"]) == balances["paid"]
        year = date.today().year
        assert {(row["year"], row["what"]): (row["committed_wan"], row["paid_wan"]) for row in chart["rows"]} == {
            (year, "province"): (0, 20), (year, "national"): (50, 0)}
        assert "vendor/echarts.min.js" in html and 'id="fund-chart"' in html
    assert "吉林省中小企业发展专项资金" in text(user_client("rev-220000").get("/funds"))


def test_unrelated_offices_and_enterprises_get_404(app, enterprise, user_client):
    fid = fund_id(app)
    enterprise("acme", "220602")
    for who in ("rev-140500", "rev-140500-finance", "rev-220600", "acme"):
        assert user_client(who).get(f"/funds/{fid}").status_code == 404, who
    assert "吉林省中小企业发展专项资金" not in text(user_client("rev-140500").get("/funds"))
    assert user_client("rev-140500").get(f"/funds/{fund_id(app, 'jincheng_srdi')}").status_code == 200


def test_budget_form_adds_to_the_budget_in_wan(app, api, user_client):
    fid = fund_id(app)
    year = date.today().year
    client = user_client("rev-220000")
    page = f"/funds/{fid}"
    r = post(client, f"/funds/{fid}/budget", page, amount="abc", year=str(year), note="")
    assert r.status_code == 422 and count(app, LedgerEntry) == 0
    r = post(client, f"/funds/{fid}/budget", page, amount="0.00001", year=str(year), note="")
    assert r.status_code == 422 and count(app, LedgerEntry) == 0
    r = post(client, f"/funds/{fid}/budget", page, amount="500.5", year=str(year), note="吉财企〔2026〕12号")
    assert r.status_code == 302, text(r)
    balances = api.get(f"/api/v1/funds/{fid}", as_="admin").get_json()["balances"]
    assert balances["budget"] == balances["available"] == 5_005_000
    assert re.search(r'data-balance="budget"[^>]*>\s*500\.5\s*<', client.get(page).get_data(as_text=True))
    # the finance bureau sees the fund but does not set its budget
    finance = user_client("rev-220000-finance")
    assert 'data-testid="budget-form"' not in finance.get(page).get_data(as_text=True)
    r = finance.post(f"/funds/{fid}/budget", data={"csrf_token": csrf_token(finance, page), "amount": "1",
                                                    "year": str(year)})
    assert r.status_code == 403 and count(app, LedgerEntry) == 1


def test_ledger_json_and_page_list_rewards(app, api, jilin_claims, user_client):
    enterprise_id = jilin_claims["jilin_province_first"]["enterprise"]["id"]
    body = api.get(f"/api/v1/enterprises/{enterprise_id}/ledger", as_="acme").get_json()
    rewards = {c["policy"]: c for c in body["rewards"]}
    assert rewards["jilin_province_first"] | {"amount": 20 * WAN, "status": "paid", "voucher_no": "PZ-2026-017",
                                               "paid_on": date.today().isoformat()} == rewards["jilin_province_first"]
    assert rewards["jilin_national_first"]["amount"] == 50 * WAN and rewards["jilin_national_first"]["paid_on"] is None
    html = user_client("rev-220000").get(f"/enterprises/{enterprise_id}/ledger").get_data(as_text=True)
    section = re.search(r'data-testid="rewards".*?</section>', html, re.S).group(0)
    assert "PZ-2026-017" in section and re.search(r'data-testid="amount">\s*20\s*<', section)
    r = user_client("acme").get(f"/enterprises/{enterprise_id}/ledger.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
