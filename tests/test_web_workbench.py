"""The reviewer's workbench in the web UI (Flask test client, CSRF on, Chinese by default): inbox filters,
sorting and saved filters, claims, bulk decisions, evidence uploads and downloads, comments, notices."""

from __future__ import annotations

import io
import re

import pytest

from app.extensions import db
from app.models import HumanTask
from tests.conftest import FULL_DATA, checklist_ticks, csrf_token, submit_application, task_for, text

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def rows(response) -> list[int]:
    """Application ids of the inbox rows, in their order."""
    html = response.get_data(as_text=True)
    return [int(x) for x in re.findall(r'<tr data-task="\d+" data-application="(\d+)"', html)]


def holders(response) -> dict[int, str]:
    html = response.get_data(as_text=True)
    return {int(a): h for a, h in re.findall(r'data-application="(\d+)" data-holder="([^"]*)"', html)}


def post(client, url: str, page: str, **fields):
    """POST a form the way the page `page` sends it (with that page's CSRF token; on a review task, the
    reviewer's checklist ticked 符合 unless given)."""
    html = client.get(page).get_data(as_text=True)
    ticks = checklist_ticks(html)
    return client.post(url, data={"csrf_token": csrf_token(client, page), **ticks, **fields})


@pytest.fixture
def three(api, enterprise):
    """Three applications in the 浑江区 inbox: seed (甲), province (乙), city in construction (丙)."""
    made = {}
    for key, tier, sector, name in (("a", "seed", "industry", "甲精密制造有限公司"),
                                    ("b", "province", "industry", "乙新材料有限公司"),
                                    ("c", "city", "construction", "丙建设工程有限公司")):
        username, company = enterprise(f"ent-{key}", "220602", sector, name=name)
        r = api.post("/api/v1/applications", as_=username, json={"target_tier": tier, "data": dict(FULL_DATA)})
        r = submit_application(api, username, r.get_json()['id'])
        assert r.status_code == 200, r.get_json()
        made[key] = r.get_json() | {"uscc": company["uscc"]}
    return made


# --- inbox: filters, sorting, pagination ---------------------------------------------------------

def test_filter_params_narrow_the_rows(app, user_client, three):
    a, b, c = (three[k]["id"] for k in "abc")
    rev = user_client("rev-220602")
    page = rev.get("/inbox")
    assert page.status_code == 200 and "共 3 件待办" in text(page)
    assert sorted(rows(page)) == sorted([a, b, c])
    html = page.get_data(as_text=True)
    # the filter bar: every filter is a GET parameter with a labelled field
    for name in ("q", "tier", "step", "region", "sector", "claimed_by", "min_age_days", "due_before",
                 "overdue", "score_min", "score_max"):
        assert f'name="{name}"' in html, name
    assert '<option value="220602">吉林省 白山市 浑江区</option>' in html
    assert rows(rev.get("/inbox?tier=province")) == [b]
    assert rows(rev.get("/inbox?sector=construction")) == [c]
    assert rows(rev.get(f"/inbox?q={three['a']['uscc']}")) == [a]
    assert rows(rev.get("/inbox?q=新材料")) == [b]
    assert rows(rev.get("/inbox?step=county_review&region=220602&tier=seed")) == [a]
    assert rows(rev.get("/inbox?step=city_review")) == []
    assert sorted(rows(rev.get("/inbox?claimed_by=nobody"))) == sorted([a, b, c])
    assert rows(rev.get("/inbox?claimed_by=me")) == []
    assert rows(rev.get("/inbox?min_age_days=3")) == []
    assert sorted(rows(rev.get("/inbox?min_age_days=0"))) == sorted([a, b, c])
    with app.app_context():
        scores = {t.application_id: t.score for t in db.session.scalars(db.select(HumanTask))}
    scored = {k: s for k, s in scores.items() if s is not None}
    assert scored, scores
    low = min(scored.values())
    assert sorted(rows(rev.get(f"/inbox?score_min={low}"))) == sorted(scored)
    assert sorted(rows(rev.get(f"/inbox?score_min={low}&score_max={low}"))) == \
        sorted(k for k, s in scored.items() if s == low)
    assert rows(rev.get(f"/inbox?score_min={max(scored.values()) + 1}")) == []
    empty = rev.get("/inbox?tier=national")
    assert rows(empty) == [] and "没有符合筛选条件的待办" in text(empty) and "清除筛选" in text(empty)
    # the chosen values stay in the form
    kept = rev.get("/inbox?tier=province&sector=industry&overdue=1").get_data(as_text=True)
    assert '<option value="province" selected>' in kept and '<option value="industry" selected>' in kept
    assert re.search(r'name="overdue" value="1"\s+checked', kept)
    # a value the filter refuses is reported, and the others still apply
    bad = rev.get("/inbox?score_min=abc&tier=province")
    assert bad.status_code == 422 and "筛选条件的值无效" in text(bad) and rows(bad) == [b]


def test_sort_headers_order_rows_and_toggle(app, monkeypatch, user_client, three):
    a, b, c = (three[k]["id"] for k in "abc")
    rev = user_client("rev-220602")
    # names sort by pinyin (丙 bing < 甲 jia < 乙 yi), not by code point (甲 < 乙 < 丙)
    assert rows(rev.get("/inbox?sort=age")) == [a, b, c]
    assert rows(rev.get("/inbox?sort=-age")) == [c, b, a]
    assert rows(rev.get("/inbox?sort=oldest")) == [a, b, c] and rows(rev.get("/inbox?sort=newest")) == [c, b, a]
    by_name = [c, a, b]
    assert rows(rev.get("/inbox?sort=enterprise")) == by_name
    assert rows(rev.get("/inbox?sort=-enterprise")) == by_name[::-1]
    tier_order = rows(rev.get("/inbox?sort=tier"))
    assert tier_order == sorted([a, b, c], key=lambda i: {a: "seed", b: "province", c: "city"}[i])
    with app.app_context():
        scores = {t.application_id: t.score for t in db.session.scalars(db.select(HumanTask))}
    # descending score, tasks without a score last
    assert rows(rev.get("/inbox?sort=-score")) == sorted([a, b, c], key=lambda i: (scores[i] is None,
                                                                                    -(scores[i] or 0), -i))
    # every column of inbox.SORTS has a header link; the active one reverses on the next click
    html = rev.get("/inbox?sort=score&tier=province").get_data(as_text=True)
    for key in ("age", "due", "step", "tier", "score", "enterprise", "region", "claimed"):
        assert f'data-testid="sort-{key}"' in html, key
    score_link = re.search(r'href="([^"]+)"[^>]*data-testid="sort-score"', html).group(1)
    assert "sort=-score" in score_link and "tier=province" in score_link
    assert 'aria-sort="ascending"' in html
    html = rev.get("/inbox?sort=-score").get_data(as_text=True)
    assert "sort=score" in re.search(r'href="([^"]+)"[^>]*data-testid="sort-score"', html).group(1)
    assert 'aria-sort="descending"' in html
    assert rows(rev.get("/inbox?sort=nonsense")) == [a, b, c]  # unknown: oldest first
    # pagination keeps the filters and the order
    monkeypatch.setitem(app.config, "INBOX_PAGE_SIZE", 2)
    first = rev.get("/inbox?sort=-age&region=220602")
    assert rows(first) == [c, b] and "第 1 / 2 页" in text(first)
    links = re.findall(r'class="page-link" href="([^"]+)"', first.get_data(as_text=True))
    page2 = [link.replace("&amp;", "&") for link in links if "page=2" in link][0]
    assert "sort=-age" in page2 and "region=220602" in page2
    assert rows(rev.get(page2)) == [a]
    assert rows(rev.get("/inbox?sector=industry&sort=-age")) == [b, a]  # two fit on one page


def test_saved_shared_filter_visible_to_a_colleague_with_its_count(user_client, three, colleague):
    rev = user_client("rev-220602")
    r = post(rev, "/inbox/filters", "/inbox?tier=province", name="省级申报", shared="1", tier="province", sort="-age")
    assert r.status_code == 302 and "tier=province" in r.headers["Location"]
    page = rev.get(r.headers["Location"])
    assert "筛选条件“省级申报”已保存" in text(page)
    r = post(rev, "/inbox/filters", "/inbox?sector=construction", name="我的建筑", sector="construction")
    assert r.status_code == 302
    saved = rev.get("/inbox").get_data(as_text=True)
    assert re.search(r'data-name="省级申报".*?data-testid="filter-count"[^>]*>1<', saved, re.S)
    assert re.search(r'data-name="我的建筑".*?data-testid="filter-count"[^>]*>1<', saved, re.S)
    # a colleague of the office sees the shared filter with its count, not the private one
    mate = user_client(colleague("rev-220602-b", "220602"))
    sidebar = mate.get("/inbox")
    html = sidebar.get_data(as_text=True)
    assert "省级申报" in html and "我的建筑" not in html
    assert re.search(r'data-name="省级申报".*?rev-220602 创建.*?data-testid="filter-count"[^>]*>1<', html, re.S)
    link = re.search(r'href="([^"]+)"[^>]*>省级申报</a>', html).group(1).replace("&amp;", "&")
    assert rows(mate.get(link)) == [three["b"]["id"]]
    # only the owner may delete it; another office does not see it at all
    filter_id = re.search(r'data-filter="(\d+)" data-name="省级申报"', html).group(1)
    assert f"/inbox/filters/{filter_id}/delete" not in html
    r = post(mate, f"/inbox/filters/{filter_id}/delete", "/inbox")
    assert r.status_code == 302 and "只有创建人可以删除筛选条件" in text(mate.get("/inbox"))
    assert "省级申报" not in user_client("rev-220600").get("/inbox").get_data(as_text=True)
    r = post(rev, f"/inbox/filters/{filter_id}/delete", "/inbox", next="/inbox")
    assert r.status_code == 302 and "省级申报" not in mate.get("/inbox").get_data(as_text=True)
    # a filter needs a name
    r = post(rev, "/inbox/filters", "/inbox", name=" ", tier="seed")
    assert r.status_code == 302 and "请为筛选条件命名" in text(rev.get("/inbox"))


def test_claim_from_the_inbox_then_a_colleague_sees_the_holder_and_cannot_decide(api, user_client, three,
                                                                                 colleague):
    b = three["b"]["id"]
    task = task_for(api, "rev-220602", b)
    rev = user_client("rev-220602")
    page = rev.get("/inbox?tier=province")
    assert f'action="/tasks/{task["id"]}/claim"' in page.get_data(as_text=True)
    r = post(rev, f"/tasks/{task['id']}/claim", "/inbox?tier=province", next="/inbox?tier=province")
    assert r.status_code == 302 and r.headers["Location"] == "/inbox?tier=province"
    after = rev.get("/inbox?tier=province")
    assert "您已认领" in text(after) and holders(after)[b] == "rev-220602"
    assert f'action="/tasks/{task["id"]}/release"' in after.get_data(as_text=True)
    assert rows(rev.get("/inbox?claimed_by=me")) == [b]
    # the colleague sees who holds it, in the list and on the task, and cannot decide it
    mate = user_client(colleague("rev-220602-b", "220602"))
    listing = mate.get("/inbox")
    assert holders(listing)[b] == "rev-220602" and f'action="/tasks/{task["id"]}/claim"' not in \
        listing.get_data(as_text=True)
    assert rows(mate.get("/inbox?claimed_by=rev-220602")) == [b]
    url = f"/tasks/{task['id']}"
    r = post(mate, url, url, decision="approve", comment="")
    assert r.status_code == 409 and "该待办已由 rev-220602 签收办理" in text(r)
    assert api.get(f"/api/v1/applications/{b}", as_="ent-b").get_json()["current_step"] == "county_review"
    # claiming it too is refused with the same message; the holder releases it, then the colleague may
    r = post(mate, f"/tasks/{task['id']}/claim", "/inbox", next="/inbox")
    assert r.status_code == 302 and "该待办已由 rev-220602 签收办理" in text(mate.get("/inbox"))
    assert post(rev, f"/tasks/{task['id']}/release", "/inbox", next="/inbox").status_code == 302
    assert holders(mate.get("/inbox"))[b] == ""
    assert post(mate, f"/tasks/{task['id']}/claim", "/inbox", next="/inbox").status_code == 302
    assert holders(rev.get("/inbox"))[b] == "rev-220602-b"


def test_bulk_approve_shows_the_result_of_each_task(api, user_client, three, colleague):
    ids = {k: task_for(api, "rev-220602", three[k]["id"])["id"] for k in "abc"}
    mate = colleague("rev-220602-b", "220602")
    assert api.post(f"/api/v1/tasks/{ids['b']}/claim", as_=mate).status_code == 200
    rev = user_client("rev-220602")
    html = rev.get("/inbox").get_data(as_text=True)
    assert html.count('name="task_ids"') == 3 and 'form="bulk-form"' in html and 'id="bulk-form"' in html
    r = rev.post("/tasks/bulk-decision", data={
        "csrf_token": csrf_token(rev, "/inbox"), "task_ids": [str(ids["a"]), str(ids["b"]), str(ids["c"])],
        "decision": "approve", "comment": "批量通过", "next": "/inbox?sort=-age", "confirmed": "approve"})
    assert r.status_code == 200
    page = text(r)
    assert "2 件成功" in page and "1 件失败" in page
    body = r.get_data(as_text=True)
    ok = dict(re.findall(r'data-task="(\d+)" data-ok="(true|false)"', body))
    assert ok == {str(ids["a"]): "true", str(ids["b"]): "false", str(ids["c"]): "true"}
    failed = re.search(rf'data-task="{ids["b"]}".*?</li>', body, re.S).group(0)
    assert "乙新材料有限公司" in failed and "该待办已由 rev-220602-b 签收办理" in failed
    assert 'href="/inbox?sort=-age"' in body
    steps = {k: api.get(f"/api/v1/applications/{three[k]['id']}", as_=f"ent-{k}").get_json()["current_step"]
             for k in "abc"}
    assert steps == {"a": None, "b": "county_review", "c": "city_review"}  # a seed is recognized by the county
    # return and reject need the comment; nothing selected is a plain hint
    r = rev.post("/tasks/bulk-decision", data={"csrf_token": csrf_token(rev, "/inbox"),
                                               "task_ids": [str(ids["b"])], "decision": "reject", "comment": ""})
    assert r.status_code == 302 and "退回修改或不予通过时须填写理由" in text(rev.get("/inbox"))
    r = rev.post("/tasks/bulk-decision", data={"csrf_token": csrf_token(rev, "/inbox"), "decision": "approve"})
    assert r.status_code == 302 and "请先在列表中勾选待办" in text(rev.get("/inbox"))


# --- the task page: claim bar, four eyes, conflicts, requested documents, comments --------------

def test_task_page_claim_bar_hand_over_and_conflict_of_interest(api, user_client, submitted, colleague):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    mate = colleague("rev-220602-b", "220602")
    rev = user_client("rev-220602")
    url = f"/tasks/{task['id']}"
    page = rev.get(url)
    bar = re.search(r'data-testid="claim-bar".*?</section>', page.get_data(as_text=True), re.S).group(0)
    assert "尚无人认领" in text(page) and f'action="/tasks/{task["id"]}/claim"' in bar
    assert '<option value="rev-220602-b">rev-220602-b</option>' in bar  # hand over: same-office reviewers
    assert "rev-220600" not in bar
    r = post(rev, f"/tasks/{task['id']}/hand-over", url, to=mate, next=url)
    assert r.status_code == 302 and "待办已转交给 rev-220602-b" in text(rev.get(url))
    held = text(rev.get(url))
    assert "rev-220602-b 自" in held and "只有其本人可以作出审核决定" in held
    # handing to someone outside the office is refused with the service's message
    other = user_client(mate)
    r = post(other, f"/tasks/{task['id']}/hand-over", url, to="rev-220600", next=url)
    assert r.status_code == 302 and "只能转交给本部门的审核员" in text(other.get(url))
    assert "您自" in text(other.get(url))
    # declaring a conflict of interest needs a reason; then the task is released and refused clearly
    r = post(other, f"/tasks/{task['id']}/conflict", url, reason=" ", next=url)
    assert r.status_code == 302 and "必须填写理由" in text(other.get(url))
    r = post(other, f"/tasks/{task['id']}/conflict", url, reason="亲属在该企业任职", next=url)
    assert r.status_code == 302
    page = other.get(url)
    assert "已声明利益冲突" in text(page) and "该待办已释放" in text(page)
    html = page.get_data(as_text=True)
    assert 'data-testid="decision-refused" data-code="conflict_of_interest"' in html
    assert "利益冲突：您不能审核本待办" in text(page) and "尚无人认领" in text(page)
    r = post(other, url, url, decision="approve", comment="")
    assert r.status_code == 403 and "您已声明与该企业存在利益冲突" in text(r)
    assert api.get(f"/api/v1/applications/{application['id']}", as_="acme").get_json()["current_step"] == \
        "county_review"


def test_four_eyes_refusal_is_shown_on_the_task_page(app, api, user_client, submitted):
    from app.models import User
    from app.recognition import instance_admin

    application = submitted("province")
    task = task_for(api, "rev-220602", application["id"])
    assert api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602",
                    json={"decision": "approve", "comment": ""}).status_code == 200
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        instance_admin.reassign(admin, application["id"], "220602", "测试四眼原则")
        db.session.commit()
    city_task = task_for(api, "rev-220602", application["id"])
    rev = user_client("rev-220602")
    url = f"/tasks/{city_task['id']}"
    page = rev.get(url)
    assert 'data-testid="decision-refused" data-code="four_eyes"' in page.get_data(as_text=True)
    assert "双人复核原则：您不能审核本待办" in text(page)
    assert f'action="/tasks/{city_task["id"]}/claim"' not in page.get_data(as_text=True)
    r = post(rev, url, url, decision="approve", comment="")
    assert r.status_code == 403 and "双人复核" in text(r) and "本环节须由其他审核员办理" in text(r)


def test_return_with_requested_documents_gives_the_enterprise_a_checklist(api, user_client, submitted):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    rev = user_client("rev-220602")
    url = f"/tasks/{task['id']}"
    html = rev.get(url).get_data(as_text=True)
    for code, name in (("application_form", "申报书"), ("business_license", "营业执照"), ("audit_report", "审计报告"),
                       ("social_insurance", "社保缴纳证明"), ("ip_certificate", "知识产权证书"),
                       ("direct_condition", "直接认定条件证明材料"), ("truthfulness_statement", "真实性声明"),
                       ("compliance_pledge", "合规经营承诺"), ("other", "其他")):
        assert re.search(rf'name="requested_documents"[^>]*value="{code}"', html), code
        assert f">{name}</label>" in html, name
    # documents go only with a return
    r = rev.post(url, data={"csrf_token": csrf_token(rev, url), "decision": "approve", "comment": "",
                            "requested_documents": ["audit_report"]})
    assert r.status_code == 422 and "只有退回申报时才能要求补充材料" in text(r)
    r = rev.post(url, data={"csrf_token": csrf_token(rev, url), "decision": "return", "comment": "请补充材料",
                            "requested_documents": ["audit_report", "ip_certificate"],
                            "note_audit_report": "近两年", "note_ip_certificate": "发明专利证书"})
    assert r.status_code == 302, text(r)
    ent = user_client("acme")
    status = f"/applications/{application['id']}"
    page = ent.get(status)
    html = page.get_data(as_text=True)
    assert "审核部门要求补充以下材料" in text(page)
    # one note per requested document, not one note copied onto each (issue 17 §4)
    assert re.search(r'data-doc-type="audit_report".*?近两年', html, re.S)
    assert re.search(r'data-doc-type="ip_certificate"[^<]*>(?:(?!data-doc-type).)*发明专利证书', html, re.S)
    assert "审计报告：近两年" in text(page) and "知识产权证书：发明专利证书" in text(page)  # the banner
    assert re.findall(r'data-doc-type="(\w+)" data-fulfilled="(\w+)"', html) == [("audit_report", "false"),
                                                                                ("ip_certificate", "false")]
    # uploading one ticks it
    r = ent.post(f"/applications/{application['id']}/attachments", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(ent, status), "doc_type": "audit_report", "next": status,
        "file": (io.BytesIO(PDF), "审计报告2025.pdf")})
    assert r.status_code == 302
    html = ent.get(status).get_data(as_text=True)
    assert re.findall(r'data-doc-type="(\w+)" data-fulfilled="(\w+)"', html) == [("audit_report", "true"),
                                                                                ("ip_certificate", "false")]
    # the edit page of the returned application has the same documents and upload form
    edit = ent.get(f"/applications/{application['id']}/edit").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in edit and "审计报告2025.pdf" in edit and 'data-testid="checklist"' in edit


def test_comments_are_for_reviewers_only(api, user_client, submitted):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    rev = user_client("rev-220602")
    url = f"/tasks/{task['id']}"
    assert "暂无内部意见" in text(rev.get(url))
    r = post(rev, f"/applications/{application['id']}/comments", url, body="注意核对审计报告", next=url)
    assert r.status_code == 302 and r.headers["Location"] == url
    page = rev.get(url)
    assert "注意核对审计报告" in text(page) and "企业不可见" in text(page)
    r = post(rev, f"/applications/{application['id']}/comments", url, body="   ", next=url)
    assert r.status_code == 302 and "请填写意见" in text(rev.get(url))
    # the city office on the chain and the administrator read them on the status page
    assert "注意核对审计报告" in text(user_client("admin").get(f"/applications/{application['id']}"))
    # the enterprise never sees them, and may not post any
    ent = user_client("acme")
    status = ent.get(f"/applications/{application['id']}")
    assert status.status_code == 200 and "注意核对审计报告" not in text(status)
    assert 'data-testid="comments"' not in status.get_data(as_text=True)
    r = ent.post(f"/applications/{application['id']}/comments",
                 data={"csrf_token": csrf_token(ent, "/dashboard"), "body": "我也想说"})
    assert r.status_code == 403
    # another county's reviewer cannot comment on it
    far = user_client("rev-140502")
    r = far.post(f"/applications/{application['id']}/comments",
                 data={"csrf_token": csrf_token(far, "/inbox"), "body": "越权"})
    assert r.status_code == 404


# --- evidence on the status page ------------------------------------------------------------------

def _upload(client, application_id: int, content: bytes, name: str, doc_type: str = "business_license"):
    page = f"/applications/{application_id}"
    return client.post(f"/applications/{application_id}/attachments", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, page), "doc_type": doc_type, "next": page,
        "file": (io.BytesIO(content), name)})


def test_upload_a_pdf_through_the_status_page_and_download_it(app, api, user_client, enterprise):
    enterprise("acme")
    draft = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": dict(FULL_DATA)})
    app_id = draft.get_json()["id"]
    ent = user_client("acme")
    page = ent.get(f"/applications/{app_id}")
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and "尚未上传任何材料" in text(page)
    for name in ("申报书", "营业执照", "审计报告", "社保缴纳证明", "知识产权证书", "直接认定条件证明材料", "真实性声明",
                 "合规经营承诺", "其他"):
        assert f">{name}</option>" in html, name
    r = _upload(ent, app_id, PDF, "营业执照.pdf")
    assert r.status_code == 302 and r.headers["Location"] == f"/applications/{app_id}"
    page = ent.get(f"/applications/{app_id}")
    assert "已上传“营业执照.pdf”（营业执照）" in text(page)
    attachment_id = re.search(r'href="/attachments/(\d+)"', page.get_data(as_text=True)).group(1)
    r = ent.get(f"/attachments/{attachment_id}")
    assert r.status_code == 200 and r.data == PDF
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    # a file without a file, and an upload to someone else's application
    r = ent.post(f"/applications/{app_id}/attachments",
                 data={"csrf_token": csrf_token(ent, f"/applications/{app_id}"), "doc_type": "other"})
    assert r.status_code == 302 and "请选择要上传的文件" in text(ent.get(f"/applications/{app_id}"))
    enterprise("rival", "220602")
    assert _upload(user_client("rival"), app_id, PDF, "x.pdf").status_code == 404
    # after submission the upload form is gone (the list stays)
    assert submit_application(api, "acme", app_id).status_code == 200
    page = ent.get(f"/applications/{app_id}")
    assert 'enctype="multipart/form-data"' not in page.get_data(as_text=True) and "营业执照.pdf" in text(page)
    assert "只有草稿或被退回的申报可以上传材料" in text(page)


def test_a_fake_pdf_is_refused_with_the_chinese_message(app, monkeypatch, api, user_client, enterprise):
    enterprise("acme")
    app_id = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": {}}).get_json()["id"]
    ent = user_client("acme")
    r = _upload(ent, app_id, b"MZ\x90\x00 not a pdf at all", "报告.pdf")
    assert r.status_code == 302
    page = ent.get(f"/applications/{app_id}")
    assert "仅接受 PDF、PNG 和 JPEG 文件（按文件内容检查）" in text(page)
    assert "报告.pdf" not in text(page) and "尚未上传任何材料" in text(page)
    r = _upload(ent, app_id, PDF + b"0" * (300 * 1024), "big.pdf")  # the tests allow 256 KB
    assert r.status_code == 302 and "文件超过" in text(ent.get(f"/applications/{app_id}"))
    assert all(p.stat().st_size < 300 * 1024 for p in app.config["UPLOAD_DIR"].iterdir())
    # a body beyond MAX_CONTENT_LENGTH never reaches the view: the page still says why
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    r = _upload(ent, app_id, PDF + b"0" * 8192, "huge.pdf")
    assert r.status_code == 413 and "文件超过上限 256 KB" in text(r)


def test_downloads_are_for_those_who_may_see_the_application(api, user_client, enterprise):
    enterprise("acme")
    app_id = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city",
                                                                 "data": dict(FULL_DATA)}).get_json()["id"]
    ent = user_client("acme")
    assert _upload(ent, app_id, PDF, "licence.pdf").status_code == 302
    attachment_id = re.search(r'href="/attachments/(\d+)"', ent.get(f"/applications/{app_id}")
                              .get_data(as_text=True)).group(1)
    url = f"/attachments/{attachment_id}"
    rev = user_client("rev-220602")
    assert rev.get(url).status_code == 404  # a draft is the enterprise's own business
    assert submit_application(api, "acme", app_id).status_code == 200
    r = rev.get(url)
    assert r.status_code == 200 and r.data == PDF
    task = task_for(api, "rev-220602", app_id)
    assert f'href="{url}"' in rev.get(f"/tasks/{task['id']}").get_data(as_text=True)
    far = user_client("rev-140502")  # another county's reviewer
    r = far.get(url)
    assert r.status_code == 404 and "不存在" in text(r)
    enterprise("rival", "220602")
    assert user_client("rival").get(url).status_code == 404
    assert user_client("acme").get("/attachments/999999").status_code == 404
    anonymous = ent.application.test_client().get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


# --- notices ---------------------------------------------------------------------------------------

def test_unread_badge_notices_page_and_mark_all_read(api, user_client, submitted):
    application = submitted("city")
    rev = user_client("rev-220602")
    page = rev.get("/inbox").get_data(as_text=True)
    assert re.search(r'data-testid="unread-count">1<', page)
    assert 'aria-label="消息通知，1 条未读"' in page
    notices = rev.get("/notifications")
    assert notices.status_code == 200 and "新待办" in text(notices) and "1 条未读" in text(notices)
    task = task_for(api, "rev-220602", application["id"])
    link = re.search(r'href="(/notifications/\d+/open[^"]*)"', notices.get_data(as_text=True)).group(1)
    r = rev.get(link.replace("&amp;", "&"))
    assert r.status_code == 302 and r.headers["Location"] == f"/tasks/{task['id']}"
    assert 'data-testid="unread-count"' not in rev.get("/inbox").get_data(as_text=True)
    # the enterprise hears of the return; "mark all read" clears its badge
    assert api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602",
                    json={"decision": "return", "comment": "请补充"}).status_code == 200
    ent = user_client("acme")  # the submission's milestone and the return
    assert re.search(r'data-testid="unread-count">2<', ent.get("/dashboard").get_data(as_text=True))
    listing = ent.get("/notifications")
    assert "退回修改" in text(listing) and f"/applications/{application['id']}" in \
        listing.get_data(as_text=True).replace("%2F", "/")
    r = post(ent, "/notifications/read", "/notifications")
    assert r.status_code == 302 and "已将 2 条通知标为已读" in text(ent.get("/notifications"))
    assert 'data-testid="unread-count"' not in ent.get("/dashboard").get_data(as_text=True)
    assert user_client("admin").get("/notifications").status_code == 200
