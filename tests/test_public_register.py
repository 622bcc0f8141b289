"""认定名单: the public list of recognized enterprises (web page and JSON), active entries only, by batch."""

from __future__ import annotations

import re
from datetime import date

from app.core import workdays
from app.extensions import db
from app.lifecycle import register
from app.models import Call, Recognition
from tests.conftest import text


def _in_call(app, recognition_id: int, call_name: str) -> str:
    """Put a register entry in a call (batch), as a recognition at the end of that call's process is."""
    with app.app_context():
        call = db.session.scalar(db.select(Call).where(Call.name == call_name))
        db.session.get(Recognition, recognition_id).call_id = call.id
        db.session.commit()
        return call.name


def _end(app, recognition_id: int, how: str) -> None:
    with app.app_context():
        entry = db.session.get(Recognition, recognition_id)
        {"revoke": register.revoke, "exit": register.exit_}[how](entry, "测试", workdays.china_date()) \
            if how != "review" else register.under_review(entry)
        db.session.commit()


def _tiers(response) -> list[str]:
    return re.findall(r'data-testid="tier">([^<]+)<', response.get_data(as_text=True))


def _rows(response) -> list[str]:
    return re.findall(r'data-recognition="(\d+)"', response.get_data(as_text=True))


def test_anonymous_sees_active_recognitions_grouped_by_batch(app, client, enterprise, grant):
    for username in ("ent1", "ent2", "ent3", "gone", "doubt"):
        enterprise(username, "220602", name=f"{username}科技有限公司")
    in_call = [grant("ent1", "province"), grant("ent2", "province")]
    outside = grant("ent3", "seed")
    batch = _in_call(app, in_call[0], "test call province")
    _in_call(app, in_call[1], "test call province")
    revoked, doubtful = grant("gone", "province"), grant("doubt", "city")
    _end(app, revoked, "revoke")
    _end(app, doubtful, "review")

    r = client.get("/recognized")
    assert r.status_code == 200
    page = text(r)
    assert sorted(_rows(r)) == sorted(str(i) for i in [*in_call, outside])  # neither revoked nor under review
    assert "gone科技有限公司" not in page and "doubt科技有限公司" not in page
    titles = re.findall(r'data-testid="batch-title">([^<]+)<', r.get_data(as_text=True))
    assert titles[0] == batch or titles[1] == batch
    assert any("浑江区工业和信息化局" in t and "非申报批次" in t for t in titles) and len(titles) == 2
    with app.app_context():
        entry = db.session.get(Recognition, in_call[0])
        assert entry.document_no in page and entry.enterprise.uscc in page
        assert entry.valid_until.isoformat() in page
    assert set(_tiers(r)) == {"优质“种子企业”", "省级“专精特新”中小企业"}  # 吉林's names


def test_tier_names_follow_the_jurisdiction(client, enterprise, grant):
    enterprise("jinco", "140502", name="晋城精工有限公司")
    grant("jinco", "province")
    enterprise("jinhu", "320831", name="金湖阀门有限公司")
    grant("jinhu", "seed")
    assert set(_tiers(client.get("/recognized"))) == {"省级专精特新“小巨人”企业", "县级培育库入库企业"}


def test_filters_and_pagination(client, enterprise, grant, monkeypatch):
    enterprise("jilin", "220602")
    enterprise("shanxi", "140502")
    jl, sx = grant("jilin", "seed"), grant("shanxi", "province")
    assert _rows(client.get("/recognized?tier=province")) == [str(sx)]
    assert _rows(client.get("/recognized?region=220000")) == [str(jl)]
    assert _rows(client.get("/recognized?region=140500&tier=province")) == [str(sx)]
    assert sorted(_rows(client.get(f"/recognized?year={date.today().year}"))) == sorted([str(jl), str(sx)])
    r = client.get("/recognized?year=2001")
    assert _rows(r) == [] and 'data-testid="empty"' in r.get_data(as_text=True)
    assert client.get("/recognized?tier=gold").status_code == 422

    monkeypatch.setattr("app.web.register.views.PER_PAGE", 1)
    first, second = client.get("/recognized"), client.get("/recognized?page=2")
    assert len(_rows(first)) == len(_rows(second)) == 1 and _rows(first) != _rows(second)
    assert "第 1 / 2 页，共 2 条" in text(first) and "第 2 / 2 页" in text(second)


def test_public_list_is_in_the_navigation(client):
    assert 'href="/recognized"' in client.get("/notices").get_data(as_text=True)


def test_api_serves_anonymous_callers_active_entries_only(app, api, enterprise, grant):
    enterprise("live", "220602")
    enterprise("doubt", "220602")
    enterprise("gone", "140502")
    live, doubtful, gone = grant("live", "province"), grant("doubt", "province"), grant("gone", "province")
    _end(app, doubtful, "review")
    _end(app, gone, "exit")
    r = api.get("/api/v1/recognitions")
    assert r.status_code == 200
    body = r.get_json()
    assert [item["id"] for item in body["items"]] == [live] and body["total"] == 1
    item = body["items"][0]
    assert item["status"] == "active" and item["document_no"] and item["tier_label"] == "省级“专精特新”中小企业"
    assert "application_id" not in item and "exit_reason" not in item  # the public view
    assert api.get("/api/v1/recognitions?status=exited").get_json()["items"] == []
    assert api.get(f"/api/v1/recognitions/{gone}").status_code == 404
    assert api.get(f"/api/v1/recognitions/{doubtful}").status_code == 404


def test_the_public_list_finds_an_enterprise_by_name_or_uscc(client, enterprise, grant):
    _user, firm = enterprise("acme", "220602", name="甲精密制造有限公司")
    grant("acme", "province")
    enterprise("other", "220602", name="乙新材料有限公司")
    grant("other", "province")
    by_name = text(client.get("/recognized?q=精密"))
    assert "甲精密制造有限公司" in by_name and "乙新材料有限公司" not in by_name
    by_uscc = text(client.get(f"/recognized?q={firm['uscc'].lower()}"))
    assert "甲精密制造有限公司" in by_uscc and "乙新材料有限公司" not in by_uscc
