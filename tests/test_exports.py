"""Excel everywhere a clerk needs a list (issue 13 §6): the inbox, the administrator's list of applications and
the public register export the rows the page shows, with its filters, headers in Chinese, typed cells."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from openpyxl import load_workbook

from tests.conftest import FULL_DATA, text


def sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    return list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))


def _three(api, enterprise) -> dict[str, str]:
    usccs = {}
    for key, tier, name in (("a", "seed", "甲精密制造有限公司"), ("b", "province", "乙新材料有限公司"),
                            ("c", "city", "丙建设工程有限公司")):
        username, company = enterprise(f"ent-{key}", "220602", "industry", name=name)
        r = api.post("/api/v1/applications", as_=username, json={"target_tier": tier, "data": dict(FULL_DATA)})
        assert api.post(f"/api/v1/applications/{r.get_json()['id']}/submit", as_=username).status_code == 200
        usccs[name] = company["uscc"]
    return usccs


def test_the_inbox_exports_its_filtered_rows(api, enterprise, user_client):
    usccs = _three(api, enterprise)
    rev = user_client("rev-220602")
    rows = sheet(rev.get("/inbox.xlsx"))
    assert rows[0] == ("企业", "统一社会信用代码", "申报层级", "环节", "所在地区", "得分", "到达时间", "办理期限",
                       "认领人")
    assert sorted(r[0] for r in rows[1:]) == sorted(usccs)
    assert {r[0]: r[1] for r in rows[1:]} == usccs
    assert all(isinstance(r[6], datetime) for r in rows[1:])
    only = sheet(rev.get("/inbox.xlsx?tier=province"))
    assert [r[0] for r in only[1:]] == ["乙新材料有限公司"] and only[1][4] == "浑江区"
    assert "inbox.xlsx?tier=province" in rev.get("/inbox?tier=province").get_data(as_text=True)
    # another office's export holds none of them
    assert sheet(user_client("rev-220104").get("/inbox.xlsx"))[1:] == []


def test_the_administrators_list_exports_with_its_status_filter(api, enterprise, user_client):
    _three(api, enterprise)
    username, _company = enterprise("ent-d", "220602", "industry", name="丁草稿有限公司")
    assert api.post("/api/v1/applications", as_=username, json={"target_tier": "seed", "data": {}}).status_code == 201
    admin = user_client("admin")
    everything = sheet(admin.get("/admin/applications.xlsx"))
    assert len(everything) == 5 and everything[0][:6] == ("申报编号", "企业", "统一社会信用代码", "所在地区",
                                                          "申报层级", "状态")
    drafts = sheet(admin.get("/admin/applications.xlsx?status=draft"))
    assert [r[1] for r in drafts[1:]] == ["丁草稿有限公司"] and drafts[1][5] == "草稿"
    in_review = sheet(admin.get("/admin/applications.xlsx?status=in_review"))
    assert len(in_review) == 4 and all(r[7] for r in in_review[1:])  # each names the step it waits at
    assert user_client("rev-220602").get("/admin/applications.xlsx").status_code == 403


def test_the_public_register_exports_what_the_page_lists(client, enterprise, grant):
    enterprise("ent-a", "220602", "industry", name="甲精密制造有限公司")
    enterprise("ent-b", "220104", "industry", name="乙新材料有限公司")
    grant("ent-a", "province")
    grant("ent-b", "city")
    rows = sheet(client.get("/recognized.xlsx"))
    assert sorted(r[0] for r in rows[1:]) == ["乙新材料有限公司", "甲精密制造有限公司"]
    assert "证书编号" in rows[0], rows[0]
    only = sheet(client.get("/recognized.xlsx?tier=province"))
    assert [r[0] for r in only[1:]] == ["甲精密制造有限公司"]
    page = text(client.get("/recognized?tier=province"))
    assert "甲精密制造有限公司" in page and "乙新材料有限公司" not in page
    assert client.get("/recognized.xlsx?year=1200").status_code == 422
