"""奖补审核 in the web UI (Flask test client, CSRF on, Chinese by default): the SME office approves a claim in
the form, the finance bureau is refused a rejection without a reason (nothing changes), approves and records
the payment with its voucher; the list filters, sorts and pages; another office sees nothing; the Excel export
has the filtered rows with their amounts in yuan."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.core.workdays import china_date
from app.extensions import db
from app.models import AuditEvent, LedgerEntry, RewardClaim, RewardPolicy
from tests.conftest import csrf_token, text

WAN = 10_000


def post(client, url: str, **fields):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **fields})


def claim_of(app, username: str, policy: str) -> RewardClaim:
    with app.app_context():
        found = db.session.scalar(db.select(RewardClaim).join(RewardPolicy).where(RewardPolicy.key == policy))
        assert found is not None, f"no {policy} claim for {username}"
        db.session.expunge(found)
        return found


def fresh(app, claim_id: int) -> RewardClaim:
    with app.app_context():
        found = db.session.get(RewardClaim, claim_id)
        db.session.expunge(found)
        return found


@pytest.fixture
def two_claims(app, enterprise, grant) -> tuple[int, int]:
    """甲 of 浑江区 recognized at province (20万 from Jilin's fund), 乙 at national level (50万)."""
    enterprise("acme", "220602", name="甲精密制造有限公司")
    enterprise("beta", "220602", name="乙智能装备有限公司")
    grant("acme", "province")
    grant("beta", "national")
    return (claim_of(app, "acme", "jilin_province_first").id, claim_of(app, "beta", "jilin_national_first").id)


def test_sme_office_approves_finance_needs_a_reason_then_pays(app, user_client, two_claims):
    claim_id = two_claims[0]
    url = f"/rewards/claims/{claim_id}"
    sme = user_client("rev-220000")
    page = text(sme.get(url))
    assert "甲精密制造有限公司" in page and "20.00万元" in page and "一次性20万元奖励" in page
    assert "固定金额 20.00万元" in page and "认定名单登记" in page
    r = post(sme, url, decision="approve", comment="")
    assert r.status_code == 302, text(r)
    assert fresh(app, claim_id).status == "finance_review"
    assert "审核通过" in text(sme.get(r.headers["Location"]))

    finance = user_client("rev-220000-finance")
    before = fresh(app, claim_id)
    r = post(finance, url, decision="reject", comment="")
    assert r.status_code == 422
    assert "须填写理由" in text(r)
    after = fresh(app, claim_id)
    assert (after.status, after.reason, after.lock_version) == ("finance_review", None, before.lock_version)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(
            AuditEvent.subject_type == "claim", AuditEvent.subject_id == claim_id,
            AuditEvent.action == "reject")) == 0

    assert post(finance, url, decision="approve", comment="同意").status_code == 302
    assert fresh(app, claim_id).status == "awaiting_payment"
    r = post(finance, url, voucher_no="", paid_on=china_date().isoformat())
    assert r.status_code == 422 and fresh(app, claim_id).status == "awaiting_payment"
    r = post(finance, url, voucher_no="吉财-2026-0815", paid_on=china_date().isoformat())
    assert r.status_code == 302, text(r)
    paid = fresh(app, claim_id)
    assert (paid.status, paid.voucher_no, paid.paid_on) == ("paid", "吉财-2026-0815", china_date())
    page = text(finance.get(url))
    assert "已拨付" in page and "吉财-2026-0815" in page and "拨付登记" in page
    with app.app_context():
        kinds = list(db.session.scalars(db.select(LedgerEntry.kind).where(LedgerEntry.claim_id == claim_id)
                                        .order_by(LedgerEntry.id)))
    assert kinds == ["commitment", "payment", "settle"]
    # nothing waits for the SME office any more: a late form is refused, nothing changes
    assert post(sme, url, decision="approve", comment="").status_code == 409


def test_the_list_filters_sorts_and_pages(app, user_client, two_claims):
    province, national = two_claims
    office = user_client("rev-220000")
    page = text(office.get("/rewards/claims"))
    assert "共 2 件" in page and "甲精密制造有限公司" in page and "50.00万元" in page and "主管部门审核中" in page
    html = office.get("/rewards/claims?sort=amount_desc").get_data(as_text=True)
    assert html.index(f'data-claim="{national}"') < html.index(f'data-claim="{province}"')
    html = office.get("/rewards/claims?sort=newest").get_data(as_text=True)
    assert html.index(f'data-claim="{national}"') < html.index(f'data-claim="{province}"')
    html = office.get("/rewards/claims").get_data(as_text=True)
    assert html.index(f'data-claim="{province}"') < html.index(f'data-claim="{national}"')
    only = office.get("/rewards/claims?policy=jilin_national_first").get_data(as_text=True)
    assert f'data-claim="{national}"' in only and f'data-claim="{province}"' not in only
    by_name = office.get("/rewards/claims?q=甲精密").get_data(as_text=True)
    assert f'data-claim="{province}"' in by_name and f'data-claim="{national}"' not in by_name
    assert 'data-claim=' not in office.get("/rewards/claims?status=paid").get_data(as_text=True)
    assert "共 2 件" in text(office.get(f"/rewards/claims?status=in_review&year={china_date().year}"))
    assert 'data-claim=' not in office.get("/rewards/claims?year=2001").get_data(as_text=True)
    app.config["INBOX_PAGE_SIZE"], size = 1, app.config["INBOX_PAGE_SIZE"]
    try:
        second = office.get("/rewards/claims?page=2&sort=amount_desc").get_data(as_text=True)
    finally:
        app.config["INBOX_PAGE_SIZE"] = size
    assert f'data-claim="{province}"' in second and f'data-claim="{national}"' not in second
    assert "第 2 / 2 页" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", second))


def test_another_office_sees_nothing(app, user_client, two_claims):
    claim_id = two_claims[0]
    for username in ("rev-140500", "rev-140500-finance", "rev-220600", "rev-220600-finance"):
        other = user_client(username)
        assert 'data-claim=' not in other.get("/rewards/claims").get_data(as_text=True), username
        assert other.get(f"/rewards/claims/{claim_id}").status_code == 404, username
        assert post(other, "/rewards/claims", decision="approve").status_code in (400, 405)
        rows = list(load_workbook(BytesIO(other.get("/rewards/claims.xlsx").data)).active.iter_rows(values_only=True))
        assert len(rows) == 1, username  # the headers only
    assert user_client("acme").get("/rewards/claims").status_code == 403
    # the finance bureau of the fund's region sees it, with nothing to decide yet
    finance = user_client("rev-220000-finance")
    page = text(finance.get(f"/rewards/claims/{claim_id}"))
    assert "本部门目前无需作出决定" in page and "待办：" in page


def test_the_excel_export_has_the_filtered_rows_and_amounts(app, user_client, two_claims):
    office = user_client("rev-220000")
    r = office.get("/rewards/claims.xlsx?policy=jilin_national_first&sort=amount_desc")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(BytesIO(r.data)).active.iter_rows(values_only=True))
    assert rows[0] == ("企业", "统一社会信用代码", "政策", "依据", "金额（元）", "状态", "凭证号", "拨付日期",
                       "申请时间")
    assert len(rows) == 2
    name, uscc, policy, basis, amount, status = rows[1][:6]
    assert (name, amount, status) == ("乙智能装备有限公司", 50 * WAN, "主管部门审核中")
    assert isinstance(amount, int) and len(uscc) == 18 and "小巨人" in policy and "固定金额 50.00万元" == basis
    everything = list(load_workbook(BytesIO(office.get("/rewards/claims.xlsx").data)).active.iter_rows(
        values_only=True))
    assert sorted(r[4] for r in everything[1:]) == [20 * WAN, 50 * WAN]
