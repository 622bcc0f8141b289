"""Upgrading to the register: `flask register-backfill` writes the entry (or the library membership) an
application recognized before the register existed would get now, read from the service tasks its process
declares; running it again writes nothing."""

from __future__ import annotations

from app.extensions import db
from app.models import LibraryMembership, Recognition
from tests.conftest import task_for


def _approve(api, reviewer: str, application_id: int) -> dict:
    task = task_for(api, reviewer, application_id)
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_=reviewer, json={"decision": "approve", "comment": ""})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["application"]


def _forget_register(app) -> None:
    """As before migration 0011: recognized applications, no register."""
    with app.app_context():
        db.session.execute(db.delete(LibraryMembership))
        db.session.execute(db.delete(Recognition))
        db.session.commit()


def test_backfill_writes_what_each_process_declares_once(app, api, submitted):
    seed = submitted("seed")  # 浑江区: recognized by the county
    assert _approve(api, "rev-220602", seed["id"])["status"] == "recognized"
    jinhu = submitted("seed", username="jinhu", region_code="320831")  # Jinhu: entered in the county library
    assert _approve(api, "rev-320831", jinhu["id"])["status"] == "recognized"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Recognition.id))) == 1
        assert db.session.scalar(db.select(db.func.count(LibraryMembership.id))) == 1
    _forget_register(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["register-backfill"])
    assert result.exit_code == 0 and "recognitions 1, memberships 1" in result.output, result.output
    with app.app_context():
        entry = db.session.scalar(db.select(Recognition))
        assert (entry.application_id, entry.tier, entry.source, entry.office.code, entry.status) == (
            seed["id"], "seed", "backfill", "220602", "active")
        member = db.session.scalar(db.select(LibraryMembership))
        assert (member.application_id, member.library_key) == (jinhu["id"], "jinhu_county")
    again = runner.invoke(args=["register-backfill"])
    assert "recognitions 0, memberships 0" in again.output
