"""The problem screens (issue 14): 我的诉求, the offices' inbox with filters and Excel, the problem page with its
timeline and action form; the demo problem waiting at 长春's construction office."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from app.extensions import db
from tests.conftest import csrf_token, text


def html(response) -> str:
    return response.get_data(as_text=True)


def test_enterprise_raises_and_office_resolves_on_the_pages(app, api, enterprise, user_client):
    from app.models import Problem

    enterprise("jianzhu", region_code="220104", sector="construction", name="长春页面建设有限公司")
    web = user_client("jianzhu")
    assert "nav-my-problems" in html(web.get("/my/problems"))
    token = csrf_token(web, "/my/problems")
    # bad input: 422, nothing stored
    r = web.post("/my/problems", data={"category": "finance", "text": "", "csrf_token": token})
    assert r.status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Problem.id))) == 0
    r = web.post("/my/problems", data={"category": "finance", "text": "融资难，请协调", "csrf_token": token})
    assert r.status_code == 302
    pid = int(r.headers["Location"].rsplit("/", 1)[1])
    page = html(web.get(f"/problems/{pid}"))
    assert "融资难，请协调" in page and "长春市住房和城乡建设局" in page and 'data-testid="action-form"' not in page
    office = user_client("rev-220100-construction")
    listing = html(office.get("/problems?category=finance&waiting=1"))
    assert "长春页面建设有限公司" in listing and 'data-testid="problem-count">1<' in listing
    assert "长春页面建设有限公司" not in text(office.get("/problems?category=land"))
    book = load_workbook(io.BytesIO(office.get("/problems/export.xlsx?category=finance").data))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == pid and rows[1][1] == "长春页面建设有限公司"
    assert user_client("rev-220602").get(f"/problems/{pid}").status_code == 404
    token = csrf_token(office, f"/problems/{pid}")
    r = office.post(f"/problems/{pid}", data={"action": "escalate", "comment": "", "csrf_token": token})
    assert r.status_code == 422
    r = office.post(f"/problems/{pid}", data={"action": "resolve", "comment": "已对接银行", "csrf_token": token})
    assert r.status_code == 302
    page = html(web.get(f"/problems/{pid}"))
    assert 'data-testid="action-form"' in page and "已对接银行" in page
    token = csrf_token(web, f"/problems/{pid}")
    assert web.post(f"/problems/{pid}", data={"action": "confirm", "csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(Problem, pid).status == "closed"


def test_the_demo_has_a_problem_waiting_at_changchun_construction(app, api):
    from app import demo

    with app.app_context():
        demo.seed()
        demo.seed()  # idempotent
        db.session.commit()
    items = api.get("/api/v1/problems", as_="rev-220100-construction").get_json()["items"]
    assert [(p["enterprise"]["name"], p["status"], p["current_office"]["code"]) for p in items] == [
        ("长春筑安建设科技有限公司", "open", "220100-construction")]
    mine = api.get("/api/v1/problems", as_="ent-changchun").get_json()["items"]
    assert [p["id"] for p in mine] == [items[0]["id"]]


def test_dashboard_shows_the_problem_figures_and_exports_them(app, api, enterprise, user_client):
    from tests.conftest import run_worker

    enterprise("jianzhu", region_code="220104", sector="construction")
    enterprise("gongye", region_code="220104", sector="industry")
    first = api.post("/api/v1/problems", as_="jianzhu", json={"category": "finance", "text": "融资"}).get_json()["id"]
    api.post("/api/v1/problems", as_="gongye", json={"category": "land", "text": "用地"})
    api.post(f"/api/v1/problems/{first}/actions", as_="rev-220100-construction",
             json={"action": "escalate", "comment": "市级无法解决"})
    api.post(f"/api/v1/problems/{first}/actions", as_="rev-220000-construction",
             json={"action": "resolve", "comment": "已解决"})
    api.post(f"/api/v1/problems/{first}/actions", as_="jianzhu", json={"action": "confirm"})
    from datetime import timedelta

    from app.models.base import utcnow

    run_worker(app, utcnow() + timedelta(days=30))  # the land problem is overdue at the city
    leader = user_client("admin")
    page = html(leader.get("/dashboard/"))
    assert 'data-testid="problems-closed">1<' in page and 'data-testid="problems-overdue">1<' in page
    assert 'data-testid="problems-escalation-rate">50.0%<' in page
    book = load_workbook(io.BytesIO(leader.get("/dashboard/export/problems.xlsx").data))
    rows = {(r[0], r[1]): r[2] for r in book.active.iter_rows(min_row=2, values_only=True)}
    assert rows.get(("类别", "融资"), rows.get(("Category", "Financing"))) == 1
    # a sector department reads its sector only
    construction = html(user_client("rev-220000-construction").get("/dashboard/"))
    assert 'data-testid="problems-open">0<' in construction and 'data-testid="problems-overdue">0<' in construction
