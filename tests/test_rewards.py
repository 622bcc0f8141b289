"""Rewards to the yuan: recognitions in Jilin, Baishan (city-owned or not) and Jincheng open exactly the claims
the seeds pay (001 §二(一)5, 002 §三(一), 003 §一(一)/(三)); claims climb the SME office and finance and are paid
once; a revocation reverses an unpaid commitment; a fund's balances are always its ledger's sums."""

from __future__ import annotations

import threading
from datetime import date

from app.extensions import db
from app.models import Fund, LedgerEntry, RewardClaim

WAN = 10_000


def claims_of(api, username: str) -> dict[str, dict]:
    items = api.get("/api/v1/reward-claims", as_=username).get_json()["items"]
    return {c["policy"]: c for c in items}


def city_owned(api, username: str, office: str = "rev-220600") -> None:
    firm = api.get("/api/v1/me", as_=username).get_json()["enterprise"]["id"]
    r = api.put(f"/api/v1/enterprises/{firm}/city-owned", as_=office, json={"city_owned": True})
    assert r.status_code == 200 and r.get_json()["city_owned"] is True, r.get_json()


def decide(api, reviewer: str, claim_id: int, decision: str = "approve", **extra) -> dict:
    r = api.post(f"/api/v1/reward-claims/{claim_id}/decision", as_=reviewer, json={"decision": decision} | extra)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def pay_through(api, claim: dict, sme: str, finance: str, voucher: str = "PZ-2026-001") -> dict:
    decide(api, sme, claim["id"])
    decide(api, finance, claim["id"])
    return decide(api, finance, claim["id"], "pay", voucher_no=voucher, paid_on=date.today().isoformat())


def fund(api, key: str, as_: str = "admin") -> dict:
    with api.client.application.app_context():
        fund_id = db.session.scalar(db.select(Fund.id).where(Fund.key == key))
    return api.get(f"/api/v1/funds/{fund_id}", as_=as_).get_json()


def test_jilin_baishan_and_jincheng_pay_what_the_seeds_say(app, api, enterprise, grant):
    enterprise("plain", "220602")  # 浑江区 (白山), not city-owned
    enterprise("owned", "220602", name="白山市属精密制造有限公司")
    city_owned(api, "owned")
    enterprise("jincheng", "140502", name="晋城测试装备有限公司")  # 城区 (晋城)
    for username in ("plain", "owned", "jincheng"):
        grant(username, "city")
        grant(username, "province")
        grant(username, "national")
    amounts = {u: {k: c["amount"] for k, c in claims_of(api, u).items()} for u in ("plain", "owned", "jincheng")}
    assert amounts["plain"] == {"jilin_province_first": 20 * WAN, "jilin_national_first": 50 * WAN}
    assert amounts["owned"] == {"baishan_city_first": 5 * WAN, "jilin_province_first": 20 * WAN,
                                "baishan_match_province": 20 * WAN, "jilin_national_first": 50 * WAN,
                                "baishan_match_national": 50 * WAN}
    assert amounts["jincheng"] == {"jincheng_city_first": 5 * WAN, "jincheng_province_first": 10 * WAN,
                             "jincheng_national_first": 20 * WAN}
    owned = claims_of(api, "owned")
    assert owned["baishan_match_province"]["status"] == "waiting_base"
    assert owned["baishan_match_province"]["basis"] == {"match": "jilin_province_first", "percent": 100,
                                                        "base_amount": 20 * WAN}
    assert "1:1配套" in owned["baishan_match_province"]["clause"]
    # a second recognition at a tier claims nothing more
    grant("plain", "province")
    assert len(claims_of(api, "plain")) == 2


def test_a_listing_adds_ten_wan_in_jincheng_and_nothing_in_jilin(api, enterprise):
    enterprise("jincheng", "140502")
    enterprise("jilin", "220602")
    body = {"policy": "jincheng_listing", "evidence": "2026年5月在新三板挂牌，证券代码 874001"}
    r = api.post("/api/v1/reward-claims", as_="jincheng", json=body)
    assert r.status_code == 201 and r.get_json()["amount"] == 10 * WAN and r.get_json()["source"] == "enterprise"
    assert api.post("/api/v1/reward-claims", as_="jincheng", json=body).status_code == 409  # once
    r = api.post("/api/v1/reward-claims", as_="jilin", json=body)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "not_eligible"
    r = api.post("/api/v1/reward-claims", as_="jincheng", json={"policy": "jincheng_city_first", "evidence": "x"})
    assert r.status_code == 422 and "policy" in r.get_json()["error"]["fields"]


def test_a_claim_is_reviewed_approved_and_paid_once_and_the_match_follows(app, api, enterprise, grant):
    enterprise("owned", "220602", name="白山市属精密制造有限公司")
    city_owned(api, "owned")
    grant("owned", "province")
    with app.app_context():
        from app.rewards import ledger

        ledger.set_budget(db.session.scalar(db.select(Fund).where(Fund.key == "jilin_sme")), 1000 * WAN, 2026)
        db.session.commit()
    base = claims_of(api, "owned")["jilin_province_first"]
    assert base["status"] == "in_review" and base["waiting"]["office"]["code"] == "220000"
    r = api.post(f"/api/v1/reward-claims/{base['id']}/decision", as_="rev-220000", json={"decision": "reject"})
    assert r.status_code == 422  # a reason is required
    after = decide(api, "rev-220000", base["id"])
    assert after["status"] == "finance_review" and after["waiting"]["office"]["code"] == "220000-finance"
    decide(api, "rev-220000-finance", base["id"])
    bad = api.post(f"/api/v1/reward-claims/{base['id']}/decision", as_="rev-220000-finance",
                   json={"decision": "pay", "voucher_no": "", "paid_on": "2999-01-01"})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"voucher_no", "paid_on"}
    paid = decide(api, "rev-220000-finance", base["id"], "pay", voucher_no="吉财-2026-0815",
                  paid_on=date.today().isoformat())
    assert paid["status"] == "paid" and paid["voucher_no"] == "吉财-2026-0815" and paid["committed"] == 0
    assert fund(api, "jilin_sme")["balances"] == {"budget": 1000 * WAN, "committed": 0, "paid": 20 * WAN,
                                                  "available": 980 * WAN}
    # the city's 1:1 match wakes up once the provincial reward is paid, and goes to Baishan's offices
    match = claims_of(api, "owned")["baishan_match_province"]
    assert match["status"] == "in_review" and match["waiting"]["office"]["code"] == "220600"
    paid = pay_through(api, match, "rev-220600", "rev-220600-finance", "白财-2026-12")
    assert paid["status"] == "paid" and paid["amount"] == 20 * WAN
    notes = [n["message"] for n in api.get("/api/v1/notifications", as_="owned").get_json()["items"]]
    assert any("20万元已拨付" in n for n in notes), notes


def test_a_revocation_reverses_an_unpaid_commitment(app, api, enterprise, grant):
    enterprise("acme", "220602")
    held = grant("acme", "province")
    claim = claims_of(api, "acme")["jilin_province_first"]
    assert claim["committed"] == 20 * WAN
    assert fund(api, "jilin_sme")["balances"]["committed"] == 20 * WAN
    case = api.post(f"/api/v1/recognitions/{held}/revocations", as_="rev-220602",
                    json={"ground": "false_information", "details": "专利证书系伪造"}).get_json()
    api.post(f"/api/v1/cases/{case['id']}/response", as_="acme", json={"response": "无"})
    task = next(t for t in api.get("/api/v1/cases", as_="rev-220000").get_json()["items"]
                if t["case"]["id"] == case["id"])
    r = api.post(f"/api/v1/cases/tasks/{task['task_id']}/decision", as_="rev-220000",
                 json={"decision": "revoke", "comment": "查实"})
    assert r.status_code == 200, r.get_json()
    claim = claims_of(api, "acme")["jilin_province_first"]
    assert claim["status"] == "reversed" and claim["committed"] == 0 and claim["waiting"] is None
    assert fund(api, "jilin_sme")["balances"]["committed"] == 0


def test_two_finance_officers_paying_at_once_give_one_payment(app, api, enterprise, grant, colleague):
    colleague("rev-220000-finance-b", "220000-finance")
    enterprise("acme", "220602")
    grant("acme", "province")
    claim = claims_of(api, "acme")["jilin_province_first"]
    decide(api, "rev-220000", claim["id"])
    decide(api, "rev-220000-finance", claim["id"])
    tokens = [api.token("rev-220000-finance"), api.token("rev-220000-finance-b")]
    barrier, results = threading.Barrier(2), [0, 0]

    def worker(i: int) -> None:
        client = app.test_client()
        barrier.wait()
        results[i] = client.post(f"/api/v1/reward-claims/{claim['id']}/decision",
                                 headers={"Authorization": f"Bearer {tokens[i]}"},
                                 json={"decision": "pay", "voucher_no": f"V{i}", "paid_on": date.today().isoformat()}
                                 ).status_code

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    [t.start() for t in threads]
    [t.join(30) for t in threads]
    assert sorted(results) == [200, 409], results
    with app.app_context():
        payments = db.session.scalar(db.select(db.func.count(LedgerEntry.id)).where(
            LedgerEntry.claim_id == claim["id"], LedgerEntry.kind == "payment"))
        assert payments == 1
        assert db.session.get(RewardClaim, claim["id"]).status == "paid"
    assert fund(api, "jilin_sme")["balances"]["paid"] == 20 * WAN


def test_the_funds_balances_are_the_sums_of_the_ledger(app, api, enterprise, grant):
    enterprise("ent-a", "220602")
    enterprise("ent-b", "220602", name="乙精密制造有限公司")
    grant("ent-a", "province")
    grant("ent-b", "national")
    pay_through(api, claims_of(api, "ent-a")["jilin_province_first"], "rev-220000", "rev-220000-finance")
    with app.app_context():
        jilin = db.session.scalar(db.select(Fund).where(Fund.key == "jilin_sme"))
        sums = {}
        for entry in db.session.scalars(db.select(LedgerEntry).where(LedgerEntry.fund_id == jilin.id)):
            sums[entry.account] = sums.get(entry.account, 0) + entry.amount
    balances = fund(api, "jilin_sme")["balances"]
    assert balances["committed"] == sums.get("committed", 0) == 50 * WAN
    assert balances["paid"] == sums.get("paid", 0) == 20 * WAN
    assert balances["available"] == sums.get("budget", 0) - 70 * WAN
    assert api.get("/api/v1/funds/1", as_="rev-220600").status_code == 404  # not its fund
    assert api.get("/api/v1/reward-claims", as_="rev-140500").get_json()["total"] == 0
    policies = api.get("/api/v1/reward-policies").get_json()["items"]
    assert {p["key"]: p["amount"] for p in policies}["baishan_match_national"] == 50 * WAN


def test_the_admin_edits_a_policy_and_bad_values_change_nothing(api, enterprise, grant):
    r = api.put("/api/v1/reward-policies/jincheng_city_first", as_="admin",
                json={"amount": 80_000, "effective_until": "2030-12-31"})
    assert r.status_code == 200 and r.get_json()["amount"] == 8 * WAN
    enterprise("jincheng", "140502")
    grant("jincheng", "city")
    assert claims_of(api, "jincheng")["jincheng_city_first"]["amount"] == 8 * WAN
    bad = api.put("/api/v1/reward-policies/jincheng_city_first", as_="admin",
                  json={"amount": -1, "active": "yes", "fund_key": "x"})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"amount", "active", "fund_key"}
    assert api.put("/api/v1/reward-policies/baishan_match_province", as_="admin",
                   json={"amount": 1}).status_code == 422  # a match takes the matched amount
    assert api.put("/api/v1/reward-policies/jincheng_city_first", as_="rev-140500",
                   json={"amount": 1}).status_code == 403
    listed = {p["key"]: p for p in api.get("/api/v1/reward-policies").get_json()["items"]}
    assert listed["jincheng_city_first"]["amount"] == 8 * WAN


def test_the_budget_is_added_by_the_funds_office(app, api):
    with app.app_context():
        fund_id = db.session.scalar(db.select(Fund.id).where(Fund.key == "baishan_srdi"))
    r = api.post(f"/api/v1/funds/{fund_id}/budget", as_="rev-220600", json={"amount": 200 * WAN, "year": 2026})
    assert r.status_code == 201 and r.get_json()["balances"]["available"] == 200 * WAN
    assert api.post(f"/api/v1/funds/{fund_id}/budget", as_="rev-220600",
                    json={"amount": 0, "year": 1}).status_code == 422
    assert api.post(f"/api/v1/funds/{fund_id}/budget", as_="rev-220000",
                    json={"amount": 1, "year": 2026}).status_code == 404
    assert api.get(f"/api/v1/funds/{fund_id}", as_="rev-220600-finance").get_json()["balances"]["budget"] == 200 * WAN


def test_only_a_first_recognition_at_a_tier_earns_the_first_time_reward(app, api, enterprise, grant):
    """An earlier entry at the tier — expired, exited or from before the register — means no new reward."""
    from app.core import workdays
    from app.lifecycle import register
    from app.models import Recognition

    enterprise("acme", "220602")
    first = grant("acme", "province")
    with app.app_context():
        entry = db.session.get(Recognition, first)
        register.exit_(entry, "测试：退出", workdays.china_date())
        db.session.commit()
    grant("acme", "province")  # recognized again later
    claims = api.get("/api/v1/reward-claims", as_="acme").get_json()["items"]
    assert [(c["policy"], c["recognition_id"]) for c in claims] == [("jilin_province_first", first)]


def test_a_refused_base_ends_its_waiting_match(api, enterprise, grant):
    enterprise("owned", "220602", name="白山市属精密制造有限公司")
    city_owned(api, "owned")
    grant("owned", "province")
    base = claims_of(api, "owned")["jilin_province_first"]
    decide(api, "rev-220000", base["id"], "reject", comment="材料不实")
    match = claims_of(api, "owned")["baishan_match_province"]
    assert match["status"] == "rejected" and match["waiting"] is None


def test_marking_a_firm_city_owned_later_opens_the_rewards_it_earned(api, enterprise, grant):
    enterprise("late", "220602", name="白山晚认定市属有限公司")
    grant("late", "province")
    assert set(claims_of(api, "late")) == {"jilin_province_first"}
    city_owned(api, "late")
    assert set(claims_of(api, "late")) == {"jilin_province_first", "baishan_match_province"}


def test_a_filed_reward_resting_on_the_tier_is_reversed_with_the_recognition(app, api, enterprise, grant):
    enterprise("acme", "220602")
    held = grant("acme", "province")
    r = api.post("/api/v1/reward-claims", as_="acme",
                 json={"policy": "jilin_tech_centre_provincial", "evidence": "吉工信技〔2026〕3号 省级企业技术中心"})
    assert r.status_code == 201 and r.get_json()["amount"] == 30 * WAN
    with app.app_context():
        from app.core import workdays
        from app.lifecycle import register
        from app.models import Recognition

        register.revoke(db.session.get(Recognition, held), "查实造假", workdays.china_date())
        db.session.commit()
    claims = claims_of(api, "acme")
    assert claims["jilin_tech_centre_provincial"]["status"] == "reversed"
    assert claims["jilin_province_first"]["status"] == "reversed"
    assert fund(api, "jilin_sme")["balances"]["committed"] == 0


def test_the_ledger_itself_refuses_a_second_payment(app, enterprise, grant, api):
    from app.core.errors import Conflict
    from app.rewards import ledger

    enterprise("acme", "220602")
    grant("acme", "province")
    claim_id = claims_of(api, "acme")["jilin_province_first"]["id"]
    with app.app_context():
        claim = db.session.get(RewardClaim, claim_id)
        ledger.pay(claim, 2026, "V1", date.today(), None)
        try:
            ledger.pay(claim, 2026, "V2", date.today(), None)
        except Conflict as exc:
            assert exc.code == "already_paid"
        else:
            raise AssertionError("a second payment was written")
        finally:
            db.session.rollback()


def test_policy_amounts_are_bounded(api):
    for body in ({"cap": 10**20}, {"amount": None}, {"amount": 10**13}):
        r = api.put("/api/v1/reward-policies/jincheng_city_first", as_="admin", json=body)
        assert r.status_code == 422, (body, r.get_json())
