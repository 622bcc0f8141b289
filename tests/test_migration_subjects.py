"""Migration 0010 on a database that already has instances: every instance becomes the recognition process
of its application, open inbox rows take the kind their step had, each provincial sector office becomes a
routing rule for the provincial reviews it did before."""

from __future__ import annotations

import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine
from sqlalchemy import text as sql

from app import create_app
from config import TestingConfig

NOW = "2026-11-30 08:00:00+00:00"


@pytest.fixture
def old_database(backend, database_url, tmp_path):
    """A database of its own at revision 0009 (a PostgreSQL schema of its own on PostgreSQL)."""
    if backend == "postgres":
        schema = f"mig_{uuid.uuid4().hex[:8]}"
        engine = create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(sql(f"CREATE SCHEMA {schema}"))
        url = database_url + ("&" if "?" in database_url else "?") + f"options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path / 'old.db'}"

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="0009")
    yield app
    if backend == "postgres":
        with engine.begin() as conn:
            conn.execute(sql(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def _rows(app, query: str) -> list[tuple]:
    from app.extensions import db

    with app.app_context():
        return [tuple(r) for r in db.session.execute(sql(query))]


def _fill(app) -> None:
    from app.extensions import db

    statements = [
        "INSERT INTO region (code, name, level, parent_code) VALUES ('100000', '全国', 'national', NULL), "
        "('220000', '吉林省', 'province', '100000'), ('220100', '长春市', 'city', '220000'), "
        "('220104', '朝阳区', 'county', '220100')",
        "INSERT INTO office (id, code, name, region_code, sector) VALUES (1, '220000', '工信厅', '220000', NULL), "
        "(2, '220000-construction', '住建厅', '220000', 'construction'), "
        "(3, '220104-construction', '朝阳住建', '220104', 'construction'), (4, '220104', '朝阳工信', '220104', NULL)",
        f"INSERT INTO enterprise (id, name, uscc, region_code, sector, created_at) VALUES "
        f"(1, '长春筑安', '91220104MA17XK2D4X', '220104', 'construction', '{NOW}')",
        f"INSERT INTO application (id, enterprise_id, target_tier, status, data, created_at, updated_at) VALUES "
        f"(1, 1, 'province', 'in_review', '{{}}', '{NOW}', '{NOW}'), "
        f"(2, 1, 'city', 'returned', '{{}}', '{NOW}', '{NOW}')",
        f"INSERT INTO process_definition (id, key, version, kind, xml, is_active, deployed_at) VALUES "
        f"(1, 'recognition', 1, 'bpmn', '<x/>', true, '{NOW}')",
        f"INSERT INTO process_instance (id, application_id, definition_id, state, status, lock_version, created_at, "
        f"updated_at) VALUES (1, 1, 1, '{{}}', 'running', 1, '{NOW}', '{NOW}'), "
        f"(2, 2, 1, '{{}}', 'running', 1, '{NOW}', '{NOW}')",
        f"INSERT INTO user_account (id, username, password_hash, role, active, is_office_head, created_at) VALUES "
        f"(1, 'expert-1', 'x', 'expert', true, false, '{NOW}')",
        f"INSERT INTO human_task (id, instance_id, application_id, engine_task_id, step, lane, office_id, state, "
        f"created_at, assignee_id) VALUES "
        f"(1, 1, 1, 'a', 'province_review', 'province', 2, 'completed', '{NOW}', NULL), "
        f"(2, 1, 1, 'b', 'expert_review', 'expert', NULL, 'completed', '{NOW}', 1), "
        f"(3, 1, 1, 'c', 'spot_check', 'province', 2, 'completed', '{NOW}', NULL), "
        f"(4, 1, 1, 'd', 'objection_review', 'province', 2, 'open', '{NOW}', NULL), "
        f"(5, 2, 2, 'e', 'amend', 'enterprise', NULL, 'open', '{NOW}', NULL)",
        f"INSERT INTO process_timer (id, instance_id, application_id, engine_task_id, step, kind, state, created_at) "
        f"VALUES (1, 1, 1, 'f', 'public_notice', 'timer', 'waiting', '{NOW}'), "
        f"(2, 1, 1, 'g', 'county_review_overdue', 'overdue', 'fired', '{NOW}')",
    ]
    with app.app_context():
        for statement in statements:
            db.session.execute(sql(statement))
        db.session.commit()


def test_existing_instances_tasks_and_offices_are_migrated(old_database):
    app = old_database
    _fill(app)
    with app.app_context():
        upgrade()
    assert _rows(app, "SELECT id, process, subject_type, subject_id FROM process_instance ORDER BY id") == [
        (1, "recognition", "application", 1), (2, "recognition", "application", 2)]
    assert _rows(app, "SELECT id, subject_type, subject_id, kind FROM human_task ORDER BY id") == [
        (1, "application", 1, "decision"), (2, "application", 1, "expert_score"), (3, "application", 1, "spot_check"),
        (4, "application", 1, "objections"), (5, "application", 2, "amendment")]
    assert _rows(app, "SELECT step, kind FROM process_timer ORDER BY id") == [
        ("public_notice", "notice_period"), ("county_review_overdue", "overdue")]
    rules = _rows(app, "SELECT lane, region_code, sector, office_id FROM routing_rule ORDER BY office_id")
    assert rules == [("province", "220000", "construction", 2)]  # county offices kept no rule: as before
    with app.app_context():  # and back: the application link returns
        downgrade(revision="0009")
    assert _rows(app, "SELECT id, application_id FROM process_instance ORDER BY id") == [(1, 1), (2, 2)]
