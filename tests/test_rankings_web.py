"""The rankings pages: the list and run form, the run page, the 通报 PDF, the Excel table (the same rows as the
page), the admin's settings form (bad input saves nothing), who gets in."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.extensions import db
from tests.conftest import text
from tests.pdfs import embeds_a_font, pdf_text
from tests.ranking_data import add_leader, build_jilin, ship, this_year


@pytest.fixture
def schemes(app):
    ship(app)


@pytest.fixture
def leader(app, password_hash):
    return lambda region_code: add_leader(app, password_hash, region_code)


@pytest.fixture
def jilin(app, schemes, enterprise, grant):
    return build_jilin(app, enterprise, grant)


def form_token(client, url: str) -> tuple[str, str]:
    """The (name, value) of the first CSRF field on a page (a prefixed form names it <prefix>-csrf_token)."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="([\w-]*csrf_token)"[^>]*value="([^"]+)"', html)
    assert match, f"no csrf field on {url}"
    return match.group(1), match.group(2)


def page_rows(html: str) -> list[list[str]]:
    """The results table of a run page: each row's cells as text."""
    body = re.search(r'data-testid="results".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr data-region.*?</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<div.*?</div>|<[^>]+>", "", c)).strip() for c in cells])
    return rows


def run_from_page(client, year: int, key: str = "jilin_cities"):
    name, token = form_token(client, "/rankings")
    return client.post(f"/rankings/{key}/runs", data={name: token, f"{key}-year": str(year)})


def test_the_office_runs_the_ranking_and_reads_page_pdf_and_workbook(app, user_client, jilin):
    office = user_client("rev-220000")
    page = office.get("/rankings")
    assert page.status_code == 200 and 'data-testid="nav-rankings"' in page.get_data(as_text=True)
    assert "吉林省“专精特新”中小企业梯度培育工作市（州）综合排名" in text(page)
    r = run_from_page(office, jilin)
    assert r.status_code == 302, text(r)
    run_page = office.get(r.headers["Location"])
    html = run_page.get_data(as_text=True)
    rows = page_rows(html)
    assert [row[:3] for row in rows] == [["1", "220100", "长春市"], ["2", "220600", "白山市"]]
    assert [row[3:6] for row in rows] == [["2", "20.0%", "13.3%"], ["1", "10.0%", "50.0%"]]
    assert [row[6] for row in rows] == ["81.67", "62.50"]
    assert 'data-testid="latest"' in html
    assert "白山市" in re.search(r'data-testid="breakthroughs">(.*?)</p>', html, re.S).group(1)
    assert "长春市" in re.search(r'data-testid="zero-breakthrough">(.*?)</p>', html, re.S).group(1)
    run_id = int(r.headers["Location"].rsplit("/", 1)[1])

    book = office.get(f"/rankings/runs/{run_id}.xlsx")
    assert book.status_code == 200
    sheet = list(load_workbook(BytesIO(book.data)).active.iter_rows(values_only=True))
    head = re.search(r'data-testid="results".*?<thead[^>]*>(.*?)</thead>', html, re.S).group(1)
    assert list(sheet[0]) == [h for h in re.findall(r"<th[^>]*>(.*?)</th>", head) if h]
    assert sheet[0][:2] == ("名次", "区划代码")
    for cells, row in zip(sheet[1:], rows, strict=True):
        assert [str(cells[0]), cells[1], cells[2], str(cells[3])] == row[:4]
        assert [f"{cells[4] * 100:.1f}%", f"{cells[5] * 100:.1f}%", f"{cells[6]:.2f}"] == row[4:7]

    pdf = office.get(f"/rankings/runs/{run_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and embeds_a_font(pdf.data)
    words = pdf_text(pdf.data)
    assert f"关于{jilin}年度" in words and "通报" in words
    for expected in ("长春市", "白山市", "81.67", "62.50", "001§二(一)6"):
        assert expected in words, expected


def test_an_earlier_run_says_so_and_links_the_latest(app, user_client, schemes):
    office = user_client("rev-220000")
    year = this_year()
    first = run_from_page(office, year).headers["Location"]
    second = run_from_page(office, year).headers["Location"]
    assert first != second
    html = office.get(first).get_data(as_text=True)
    assert 'data-testid="earlier"' in html and f"/rankings/jilin_cities/{year}" in html
    assert 'data-testid="latest"' in office.get(f"/rankings/jilin_cities/{year}").get_data(as_text=True)
    assert len(re.findall(r"<li>", re.search(r'data-testid="history">(.*?)</ul>', html, re.S).group(1))) == 2


def test_a_bad_year_is_a_form_error_and_runs_nothing(app, user_client, schemes):
    from app.models import RankingRun

    office = user_client("rev-220000")
    r = run_from_page(office, this_year() + 1)
    assert r.status_code == 422 and "is-invalid" in r.get_data(as_text=True)
    assert run_from_page(office, 1800).status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(RankingRun.id))) == 0


def test_leaders_read_without_running_and_others_stay_out(app, user_client, leader, schemes, enterprise):
    year = this_year()
    office = user_client("rev-220000")
    run_id = run_from_page(office, year).headers["Location"].rsplit("/", 1)[1]
    reader = user_client(leader("220000"))
    page = reader.get("/rankings")
    assert page.status_code == 200 and 'data-testid="run-form"' not in page.get_data(as_text=True)
    assert reader.get(f"/rankings/runs/{run_id}").status_code == 200
    assert reader.get(f"/rankings/runs/{run_id}.pdf").status_code == 200
    name, token = form_token(office, "/rankings")
    assert reader.post("/rankings/jilin_cities/runs", data={name: token, "jilin_cities-year": year}).status_code in (
        400, 403)
    city = user_client("rev-220100")
    assert city.get(f"/rankings/runs/{run_id}").status_code == 404
    assert city.get(f"/rankings/runs/{run_id}.xlsx").status_code == 404
    assert "data-scheme=" not in city.get("/rankings").get_data(as_text=True)
    enterprise("firm1", "220602")
    assert user_client("firm1").get("/rankings").status_code == 403


def test_the_admin_edits_a_scheme_and_bad_input_saves_nothing(app, user_client, schemes):
    from app.models import AuditEvent, RankingScheme

    admin = user_client("admin")
    url = "/rankings/jilin_cities/settings"
    name, token = form_token(admin, url)
    good = {name: token, "weight_recognitions_province": "60", "weight_revenue_growth": "20",
            "weight_rd_growth": "20", "top_n": "3", "active": "y"}
    r = admin.post(url, data=good | {"weight_revenue_growth": "150", "top_n": "0"})
    assert r.status_code == 422 and r.get_data(as_text=True).count("is-invalid") >= 2
    r = admin.post(url, data=good | {"weight_recognitions_province": "0", "weight_revenue_growth": "0",
                                     "weight_rd_growth": "0"})
    assert r.status_code == 422
    with app.app_context():
        scheme = db.session.scalar(db.select(RankingScheme).where(RankingScheme.key == "jilin_cities"))
        assert [m["weight"] for m in scheme.metrics] == [50, 25, 25]
    assert admin.post(url, data=good).status_code == 302
    with app.app_context():
        scheme = db.session.scalar(db.select(RankingScheme).where(RankingScheme.key == "jilin_cities"))
        assert [m["weight"] for m in scheme.metrics] == [60, 20, 20] and scheme.active
        assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(
            AuditEvent.action == "ranking_scheme_changed")) == 1
    assert user_client("rev-220000").get(url).status_code == 403


@pytest.mark.parametrize("lang", ["en"])
def test_the_pages_read_in_english(app, user_client, schemes, lang):
    office = user_client("rev-220000")
    office.get(f"/lang/{lang}")
    assert "Run the ranking" in text(office.get("/rankings"))
