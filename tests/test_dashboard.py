"""The dashboard pages: figures equal direct counts, drill-down lists hold the figure's entries, exports hold the
page's rows, scope by role, and the leader reads but cannot act."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import User
from tests.conftest import text


@pytest.fixture
def leaders(app, password_hash):
    def make(*codes: str) -> None:
        with app.app_context():
            for code in codes:
                db.session.add(User(username=f"leader-{code}", role="leader", region_code=code,
                                    password_hash=password_hash))
            db.session.commit()

    return make


@pytest.fixture
def recognized(enterprise, grant):
    """Two Jilin cities and Jincheng: 3 in Baishan (2 city, 1 province), 2 in Changchun, 1 in Jincheng."""
    enterprise("bs1", "220602")
    enterprise("bs2", "220602", "construction")
    enterprise("bs3", "220602")
    enterprise("cc1", "220104")
    enterprise("cc2", "220104", "agriculture")
    enterprise("jc1", "140502")
    for username, tier in (("bs1", "city"), ("bs2", "city"), ("bs3", "province"), ("cc1", "province"),
                           ("cc2", "seed"), ("jc1", "city")):
        grant(username, tier)


def _count(html: str, testid: str) -> list[int]:
    return [int(n) for n in re.findall(rf'data-testid="{testid}">(\d+)<', html)]


def test_leader_home_is_the_dashboard(user_client, leaders, recognized):
    leaders("220600")
    c = user_client("leader-220600")
    assert c.get("/").headers["Location"].endswith("/dashboard/")
    assert c.get("/dashboard").headers["Location"].endswith("/dashboard/")
    r = c.get("/dashboard/")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "白山市" in text(r)
    assert sorted(_count(html, "tiers-count")) == [1, 2]  # city 2, province 1: Baishan only
    assert 'id="chart-tiers"' in html and 'id="dashboard-data"' in html


def test_drill_down_list_equals_the_figure_and_exports_the_same_rows(user_client, leaders, recognized):
    leaders("220000")
    c = user_client("leader-220000")
    html = c.get("/dashboard/").get_data(as_text=True)
    links = re.findall(r'<a href="(/dashboard/recognitions\?[^"]+)" data-testid="regions-count">(\d+)<', html)
    assert {(link.replace("&amp;", "&"), int(n)) for link, n in links} == {
        ("/dashboard/recognitions?region=220600", 3), ("/dashboard/recognitions?region=220100", 2)}
    page = c.get("/dashboard/recognitions?region=220600")
    assert page.status_code == 200
    rows = re.findall(r'<tr data-recognition="(\d+)"', page.get_data(as_text=True))
    assert len(rows) == 3 and "3" in text(page)
    page = c.get("/dashboard/recognitions?region=220600&tier=city&sort=enterprise&dir=asc")
    assert len(re.findall(r'<tr data-recognition=', page.get_data(as_text=True))) == 2
    book = load_workbook(BytesIO(c.get("/dashboard/recognitions.xlsx?region=220600&tier=city").data))
    sheet = book.active
    assert sheet.max_row == 3  # header + the page's two rows
    assert {sheet.cell(row=i, column=4).value for i in (2, 3)} == {"浑江区"}
    # a table of the dashboard: the same rows as the page
    book = load_workbook(BytesIO(c.get("/dashboard/export/regions.xlsx").data))
    assert [[cell.value for cell in row] for row in book.active.iter_rows(min_row=2)] == [["白山市", 3], ["长春市", 2]]


def test_city_leader_never_sees_another_city(user_client, leaders, recognized):
    leaders("220600")
    c = user_client("leader-220600")
    assert c.get("/dashboard/?region=220100").status_code == 404
    assert c.get("/dashboard/recognitions?region=220100").status_code == 404
    page = c.get("/dashboard/recognitions")
    assert "长春" not in text(page) and "晋城" not in text(page)
    assert len(re.findall(r'<tr data-recognition=', page.get_data(as_text=True))) == 3


def test_enterprises_and_experts_are_refused(user_client, recognized):
    assert user_client("bs1").get("/dashboard/").status_code == 403
    assert user_client("expert-1").get("/dashboard/recognitions").status_code == 403
    assert user_client("bs1").get("/dashboard").status_code == 200  # its own applications page


def test_leader_reads_the_public_register_but_cannot_act(user_client, leaders, recognized):
    leaders("220000")
    c = user_client("leader-220000")
    assert c.get("/recognized").status_code == 200
    for path in ("/inbox", "/admin/targets", "/admin/reward-policies", "/rewards/claims"):
        assert c.get(path).status_code in (403, 404), path
    assert c.post("/admin/targets", data={}).status_code in (400, 403)  # CSRF or role: nothing stored


def test_pipeline_figures_and_list(user_client, submitted, leaders):
    leaders("220600")
    submitted("city", "pp1", "220602")
    submitted("city", "pp2", "220602")
    submitted("city", "pp3", "220104")
    c = user_client("leader-220600")
    html = c.get("/dashboard/").get_data(as_text=True)
    assert _count(html, "step-open") == [2]
    link = re.search(r'<a href="(/dashboard/pipeline\?[^"]+)" data-testid="step-open">', html).group(1)
    page = c.get(link.replace("&amp;", "&"))
    assert len(re.findall(r"<tr data-task=", page.get_data(as_text=True))) == 2
    book = load_workbook(BytesIO(c.get(link.replace("&amp;", "&").replace("/pipeline?", "/pipeline.xlsx?")).data))
    assert book.active.max_row == 3


def test_leader_token_reads_the_api_but_every_write_is_refused(api, leaders, submitted):
    leaders("220000")
    application = submitted("city")
    assert api.get("/api/v1/stats/recognitions?group_by=tier", as_="leader-220000").status_code == 200
    assert api.get("/api/v1/targets", as_="leader-220000").status_code == 200
    for method, path, body in (
            ("post", "/api/v1/applications", {"target_tier": "city", "data": {}}),
            ("put", f"/api/v1/applications/{application['id']}", {"data": {}}),
            ("post", f"/api/v1/applications/{application['id']}/submit", {}),
            ("post", "/api/v1/tasks/1/decision", {"decision": "approve"}),
            ("put", "/api/v1/reward-policies/jilin_province_first", {"amount": 1}),
            ("post", "/api/v1/targets", {"region_code": "220000"}),
            ("put", "/api/v1/targets/1", {"value": 1})):
        r = getattr(api, method)(path, as_="leader-220000", json=body)
        assert r.status_code == 403, (path, r.get_json())


def test_every_table_exports_the_rows_of_the_page(user_client, leaders, recognized, submitted):
    leaders("220600")
    submitted("city", "pq1", "220602")
    c = user_client("leader-220600")
    html = c.get("/dashboard/").get_data(as_text=True)
    shown = {"tiers": _count(html, "tiers-count"), "regions": _count(html, "regions-count"),
             "years": _count(html, "years-count"), "sectors": _count(html, "sectors-count"),
             "targets": re.findall(r'<tr data-metric="', html), "steps": _count(html, "step-open")}
    for table in ("targets", "tiers", "regions", "years", "sectors", "steps", "levels", "cohort"):
        r = c.get(f"/dashboard/export/{table}.xlsx")
        assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet"), table
        rows = [[cell.value for cell in row] for row in load_workbook(BytesIO(r.data)).active.iter_rows(min_row=2)]
        if table in ("tiers", "regions", "years", "sectors", "steps"):
            assert [row[1] for row in rows] == shown[table], table
        elif table == "targets":
            assert len(rows) == len(shown["targets"]) > 0 and all(row[8][:3] == "002" for row in rows)
    assert c.get("/dashboard/export/secrets.xlsx").status_code == 404


def test_a_county_reviewer_reads_its_county(user_client, recognized):
    c = user_client("rev-220602")
    html = c.get("/dashboard/").get_data(as_text=True)
    assert sorted(_count(html, "tiers-count")) == [1, 2]  # Baishan's 浑江区 firms only
    assert c.get("/dashboard/recognitions?region=220104").status_code == 404
    construction = user_client("rev-220000-construction").get("/dashboard/recognitions").get_data(as_text=True)
    assert len(re.findall(r"<tr data-recognition=", construction)) == 1  # its sector only
