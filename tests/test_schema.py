"""The schema exists only through migrations, and the migrations match the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def test_migration_head_is_applied(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() is not None


def test_audit_trail_is_append_only(app_ctx, api, submitted):
    from app.models import AuditEvent
    from app.models.audit import AuditImmutableError

    submitted("city")
    event = db.session.scalars(db.select(AuditEvent)).first()
    event.comment = "rewritten"
    with pytest.raises(AuditImmutableError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AuditImmutableError):
        db.session.delete(db.session.scalars(db.select(AuditEvent)).first())
        db.session.flush()
