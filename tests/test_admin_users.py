"""The administrators' users and offices pages (issue 17 §13): list, search, create with a temporary password, set
role and office, deactivate; offices created and renamed. And the GB/T 2260 region import command."""

from __future__ import annotations

import json
import re

from app.extensions import db
from tests.conftest import csrf_token, login, text


def test_admin_lists_searches_creates_and_deactivates_users(app, user_client):
    from app.models import Office, User

    admin = user_client("admin")
    listing = admin.get("/admin/users?q=rev-2206")
    assert listing.status_code == 200
    assert "rev-220602" in text(listing) and "rev-220600" in text(listing) and "expert-1" not in text(listing)
    assert "expert-1" in text(admin.get("/admin/users?role=expert"))
    with app.app_context():
        office_id = db.session.scalar(db.select(Office.id).where(Office.code == "220602"))
    token = csrf_token(admin, "/admin/users/new")
    bad = admin.post("/admin/users/new", data={"csrf_token": token, "username": "rev-new", "display_name": "新审核员",
                                               "role": "reviewer", "office_id": "", "region_code": ""})
    assert bad.status_code == 422 and "请选择部门" in text(bad)
    twisted = admin.post("/admin/users/new", data={"csrf_token": token, "username": "rev-new", "role": "expert",
                                                   "display_name": "新\n审核员", "office_id": "", "region_code": ""})
    assert twisted.status_code == 422 and "请填写姓名" in text(twisted)
    r = admin.post("/admin/users/new", data={"csrf_token": token, "username": "rev-new", "display_name": "新审核员",
                                             "role": "reviewer", "office_id": str(office_id), "region_code": ""})
    assert r.status_code == 302
    temporary = re.search(r"临时密码为 (\S+)：", text(admin.get(r.headers["Location"]))).group(1)
    newcomer = app.test_client()
    assert login(newcomer, "rev-new", temporary).status_code == 302
    assert newcomer.get("/inbox").headers["Location"].endswith("/account/password")  # must change first
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "rev-new"))
        assert (user.role, user.office_id, user.must_change_password) == ("reviewer", office_id, True)
        user_id = user.id
    # make it a leader of Baishan, then deactivate it: its session ends
    token = csrf_token(admin, f"/admin/users/{user_id}")
    r = admin.post(f"/admin/users/{user_id}", data={"csrf_token": token, "display_name": "白山领导",
                                                    "role": "leader", "office_id": "", "region_code": "220600",
                                                    "active": "y"})
    assert r.status_code == 302
    r = admin.post(f"/admin/users/{user_id}", data={"csrf_token": token, "display_name": "白山领导",
                                                    "role": "leader", "office_id": "", "region_code": "220600"})
    assert r.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.role, user.office_id, user.region_code, user.active) == ("leader", None, "220600", False)
    assert newcomer.get("/account/password").status_code == 302  # logged out
    assert "已停用" in text(admin.get("/admin/users?active=0"))
    # an administrator cannot deactivate itself; non-admins never see the pages
    with app.app_context():
        admin_id = db.session.scalar(db.select(User.id).where(User.username == "admin"))
    own = admin.post(f"/admin/users/{admin_id}", data={"csrf_token": token, "display_name": "管理员",
                                                       "role": "admin", "office_id": "", "region_code": ""})
    assert own.status_code == 422
    assert user_client("rev-220602").get("/admin/users").status_code == 403


def test_admin_creates_and_renames_an_office(app, user_client):
    from app.models import Office

    admin = user_client("admin")
    assert 'value="浑江区工业和信息化局"' in admin.get("/admin/offices").get_data(as_text=True)
    token = csrf_token(admin, "/admin/offices")
    dup = admin.post("/admin/offices", data={"csrf_token": token, "code": "220602-energy2", "name": "浑江区再来一个",
                                             "region_code": "220602", "sector": ""})
    assert dup.status_code == 409  # the region has its general office
    r = admin.post("/admin/offices", data={"csrf_token": token, "code": "220602-energy", "name": "浑江区能源局",
                                           "region_code": "220602", "sector": "energy"})
    assert r.status_code == 302
    with app.app_context():
        office = db.session.scalar(db.select(Office).where(Office.code == "220602-energy"))
        assert (office.region_code, office.sector) == ("220602", "energy")
        office_id = office.id
    r = admin.post(f"/admin/offices/{office_id}/name", data={"csrf_token": token, "name": "浑江区能源和电力局"})
    page = admin.get("/admin/offices?q=energy").get_data(as_text=True)
    assert r.status_code == 302 and 'value="浑江区能源和电力局"' in page and "浑江区工业和信息化局" not in page


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["import-regions", *args])


def test_import_regions_from_csv_and_json_is_idempotent_and_a_bad_file_changes_nothing(app, tmp_path):
    from app.models import Region

    csv_file = tmp_path / "regions.csv"
    csv_file.write_text("code,name,parent\n"
                        "110000,北京市,\n110100,市辖区,110000\n110101,东城区,110100\n"
                        "220602,浑江区,220600\n220605,江源区,\n", encoding="utf-8")
    r = _run(app, str(csv_file))
    assert r.exit_code == 0, r.output
    assert "4 added, 0 updated, 1 unchanged" in r.output
    with app.app_context():
        assert db.session.get(Region, "110101").parent_code == "110100"
        assert db.session.get(Region, "110000").parent_code == "100000"
        assert (db.session.get(Region, "220605").parent_code, db.session.get(Region, "220605").level) == \
            ("220600", "county")
    again = _run(app, str(csv_file))
    assert "0 added, 0 updated, 5 unchanged" in again.output
    json_file = tmp_path / "regions.json"
    json_file.write_text(json.dumps([{"code": "110101", "name": "东城区（新）", "parent": "110100"},
                                     {"code": "110102", "name": "西城区"}], ensure_ascii=False), encoding="utf-8")
    assert "1 added, 1 updated, 0 unchanged" in _run(app, str(json_file)).output
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,parent\n120000,天津市,\n12010,短代码,120000\n130100,石家庄市,990000\n",
                   encoding="utf-8")
    r = _run(app, str(bad))
    assert r.exit_code != 0 and "第 3 行" in r.output and "第 4 行" in r.output
    with app.app_context():
        assert db.session.get(Region, "120000") is None  # the good line was not imported either
        assert db.session.get(Region, "110101").name == "东城区（新）"
    assert _run(app, str(tmp_path / "missing.csv")).exit_code != 0
    nonsense = tmp_path / "nonsense.json"
    nonsense.write_text("{not json", encoding="utf-8")
    assert _run(app, str(nonsense)).exit_code != 0
