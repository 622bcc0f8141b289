"""Issue 17 §1–2 on the enterprise's forms: no message with a literal "%" can crash a form, money is typed in
万元 and ratios in per cent (the API keeps yuan and 0–1), the typed value is read back in words, and
主营业务收入占比 is computed, not asked."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField
from wtforms.validators import Length, NumberRange

import app.web
from app.extensions import db
from app.models import Application
from app.web import amounts
from tests.conftest import FULL_DATA, csrf_token, text, typed


def _form_classes() -> list[type]:
    found = []
    for module in pkgutil.iter_modules(app.web.__path__):
        try:
            forms = importlib.import_module(f"app.web.{module.name}.forms")
        except ModuleNotFoundError:
            continue
        found += [v for v in vars(forms).values() if isinstance(v, type) and issubclass(v, FlaskForm)]
    return found


def _validators(cls: type):
    for name in dir(cls):
        value = getattr(cls, name, None)
        if isinstance(value, UnboundField):
            yield from value.kwargs.get("validators") or (value.args[1] if len(value.args) > 1 else [])


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_validator_message_survives_wtforms_percent_formatting(app, lang):
    """WTForms formats NumberRange/Length messages with `%`: each one, translated, must format cleanly."""
    classes = _form_classes()
    assert len(classes) > 15
    checked = 0
    with app.test_request_context(headers={"Accept-Language": lang}):
        from flask import session

        session["lang"] = lang
        for cls in classes:
            for validator in _validators(cls):
                if isinstance(validator, (NumberRange, Length)) and validator.message is not None:
                    message = str(validator.message)
                    message % {"min": 0, "max": 1, "length": 0}  # raises on a lone "%"
                    checked += 1
    assert checked >= 5


def test_amounts_in_words():
    assert amounts.capitals(86_500_000) == "捌仟陆佰伍拾万元整"
    assert amounts.capitals(100_050) == "壹拾万零伍拾元整"
    assert amounts.capitals(1_000_000_001) == "壹拾亿零壹元整"
    assert amounts.capitals(12.5) == "壹拾贰元伍角"
    assert amounts.capitals(0) == "零元整"
    assert amounts.capitals(-3_000) == "负叁仟元整"
    assert amounts.compact_wan(86_500_000) == "8650万元"
    assert amounts.compact_wan(1_234_567_800) == "12亿3456.78万元"
    assert amounts.wan_text(86_500_000) == "8,650.00" and amounts.wan_text(12_345) == "1.2345"
    assert amounts.percent_text(0.4523) == "45.23" and amounts.percent_text(0.4) == "40"


def _post_new(c, **overrides):
    fields = {k: ("y" if v else "") if isinstance(v, bool) else str(typed(k, v)) for k, v in FULL_DATA.items()}
    fields.pop("main_business_share", None)
    return c.post("/applications/new", data={"csrf_token": csrf_token(c, "/applications/new"),
                                             "target_tier": "city", "save": "1", **fields, **overrides})


def test_money_in_wan_with_separators_and_ratios_in_per_cent(app, enterprise, user_client):
    enterprise("acme")
    c = user_client("acme")
    page = c.get("/applications/new").get_data(as_text=True)
    assert 'name="main_business_share"' not in page  # computed from the two revenues, never asked
    assert 'data-unit="wan"' in page and 'inputmode="decimal"' in page and "js/amounts.js" in page
    r = _post_new(c, revenue_last_year="8,650.00", main_revenue_last_year="８６５０", net_profit_last_year="-12.5",
                  debt_ratio="48%", national_market_share="12.5")
    assert r.status_code == 302, text(r)[:400]
    with app.app_context():
        application = db.session.scalars(db.select(Application)).one()
        data = application.data
        assert data["revenue_last_year"] == 86_500_000 and data["main_revenue_last_year"] == 86_500_000
        assert data["net_profit_last_year"] == -125_000 and data["debt_ratio"] == 0.48
        assert data["national_market_share"] == 0.125 and "main_business_share" not in data  # computed, not stored
        app_id = application.id
    edit = c.get(f"/applications/{app_id}/edit").get_data(as_text=True)
    assert 'value="8,650.00"' in edit and 'value="48"' in edit and 'value="-12.50"' in edit
    assert "8,650.00 万元 = 8650万元 = 86,500,000 元（大写：捌仟陆佰伍拾万元整）" in edit
    assert "48%（即 0.48）" in edit
    detail = text(c.get(f"/applications/{app_id}"))  # read in 万元 and per cent too
    assert "营业收入（上年度）（万元） 8,650.00" in detail and "资产负债率（%） 48%" in detail
    # the API keeps yuan and 0–1
    from tests.conftest import Api
    api = Api(app.test_client())
    body = api.get(f"/api/v1/applications/{app_id}", as_="acme").get_json()
    assert body["data"]["revenue_last_year"] == 86_500_000 and body["data"]["debt_ratio"] == 0.48


@pytest.mark.parametrize(("field", "typed_value", "message"), [
    ("revenue_last_year", "86,500,000元", "请填写以万元为单位的金额"),
    ("revenue_last_year", "1.234567", "最多保留两位小数"),
    ("revenue_last_year", "-5", "不得为负数"),
    ("revenue_last_year", "9" * 20, "金额过大"),
    ("rd_expense_last_year", "abc", "请填写以万元为单位的金额"),
    ("debt_ratio", "101", "0至100之间的百分数"),
    ("debt_ratio", "1e3", "0至100之间的百分数"),
    ("employees", "12.5", "整数"),
    ("digitalization_level", "9", "0至4之间"),
])
def test_out_of_range_values_are_field_errors_and_save_nothing(app, enterprise, user_client, field, typed_value,
                                                                message):
    enterprise("acme")
    c = user_client("acme")
    r = _post_new(c, **{field: typed_value})
    assert r.status_code == 422, text(r)[:300]
    assert re.search(rf'id="{field}"[^>]*>\s*<div class="invalid-feedback">[^<]*{message}', r.get_data(as_text=True))
    assert f'value="{typed_value}"' in r.get_data(as_text=True)  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_reloading_after_save_and_self_check_creates_no_second_draft(app, enterprise, user_client):
    """Post/redirect/get (issue 17 §8): the result page is a GET, so a reload saves nothing again."""
    enterprise("acme")
    c = user_client("acme")
    r = _post_new(c, save="", check="1")
    assert r.status_code == 302 and r.headers["Location"].endswith("/self-check"), text(r)[:300]
    for _ in range(2):  # the browser's reload repeats the GET it was sent to
        page = c.get(r.headers["Location"])
        assert page.status_code == 200 and "自评" in text(page)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 1
        app_id = db.session.scalars(db.select(Application)).one().id
    # the status page's self-check button too
    url = f"/applications/{app_id}"
    r = c.post(f"{url}/self-check", data={"csrf_token": csrf_token(c, url)})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"{url}/self-check")


BAD_VALUES = ("148", "-3", "48%", "1e999", "９" * 25, "abc", "8,650.00", "12.5")


@pytest.mark.parametrize(("user", "url"), [
    ("acme", "/applications/new"), ("acme", "/my/rewards"), ("admin", "/admin/calls"), ("rev-220000", "/monitoring"),
])
def test_no_form_answers_500_to_out_of_range_values(enterprise, user_client, user, url):
    """Every text and number input of the page's forms, filled with out-of-range or malformed values: a field
    error or a refusal, never a 500 (issue 17 §1)."""
    enterprise("acme")
    c = user_client(user)
    page = c.get(url)
    assert page.status_code == 200, url
    html = page.get_data(as_text=True)
    for form in re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, re.S | re.I):
        names = re.findall(r'<input[^>]*type="(?:number|text)"[^>]*name="([^"]+)"', form) + \
            re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="(?:number|text)"', form)
        if not names or 'name="csrf_token"' not in form:
            continue
        action = re.search(r'<form[^>]*action="([^"]*)"', html)
        for bad in BAD_VALUES:
            data = {"csrf_token": csrf_token(c, url), **{name: bad for name in names}}
            for button in re.findall(r'<(?:input|button)[^>]*type="submit"[^>]*name="([^"]+)"', form)[:1]:
                data[button] = "1"
            r = c.post(url, data=data)
            assert r.status_code < 500, (url, bad, action)
