"""What both benchmarks need: a database URL from the command line and an app on a fresh schema."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def database_url(backend: str, url: str | None, default_name: str) -> str:
    """A temporary SQLite file, or the given / TEST_DATABASE_URL / local PostgreSQL database (created)."""
    if backend == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/{default_name}.db"
    url = url or os.environ.get("TEST_DATABASE_URL") or f"postgresql://postgres@127.0.0.1/{default_name}"
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    os.system(f"createdb -h 127.0.0.1 -U postgres {url.rsplit('/', 1)[1]} 2>/dev/null")
    return url


def fresh_app(url: str):
    """The app on an empty, migrated schema with the demo regions, offices, open calls, an admin and one
    reviewer per office, and the demo expert pool."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app, demo
    from app.extensions import db
    from app.models import Office, User
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        _prepare(db, text, upgrade, demo, Office, User)
    return app


def _prepare(db, text, upgrade, demo, Office, User) -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
    upgrade()
    demo.seed_reference()
    demo.open_demo_calls()
    hashed = User(username="x", role="admin")
    hashed.set_password("bench-pass-1")
    for office in db.session.scalars(db.select(Office)):
        db.session.add(User(username=f"rev-{office.code}", role="reviewer", office_id=office.id,
                            password_hash=hashed.password_hash))
    db.session.add(User(username="admin", role="admin", password_hash=hashed.password_hash))
    for username, _name, region_code in demo.EXPERTS:
        db.session.add(User(username=username, role="expert", region_code=region_code,
                            password_hash=hashed.password_hash))
    db.session.commit()
