"""Helpers for the service-secretary tests: secretary accounts of an office."""

from __future__ import annotations

from app.extensions import db


def make_secretary(app, username: str, office_code: str, password_hash: str, name: str | None = None) -> int:
    from app.models import Office, User

    with app.app_context():
        office = db.session.scalar(db.select(Office).where(Office.code == office_code))
        user = User(username=username, role="secretary", office_id=office.id, display_name=name or username,
                    password_hash=password_hash)
        db.session.add(user)
        db.session.commit()
        return user.id
