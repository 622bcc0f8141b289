"""Accounts: enterprises, reviewers of an office, administrators; API tokens."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from config import DEFAULT_PASSWORD_HASH_METHOD

# leader: the read-only 领导小组 of `region_code`; reporter: a city's 信息报送员, of its office;
# secretary: a 服务秘书 of its office (001 §三(三)), serving the enterprises the office assigns to it
ROLES = ("enterprise", "reviewer", "admin", "expert", "leader", "reporter", "secretary")


def hash_password(password: str) -> str:
    """A werkzeug hash with the app's PASSWORD_HASH_METHOD (werkzeug's default outside an app context)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None
    return generate_password_hash(password, method=method or DEFAULT_PASSWORD_HASH_METHOD)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str | None] = mapped_column(String(128))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    is_office_head: Mapped[bool] = mapped_column(default=False, server_default=false())
    email: Mapped[str | None] = mapped_column(String(200))
    # an expert's home region (a city): panels leave out experts from the enterprise's city
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    # part of the browser session's id: logging out changes it, so a copied session cookie stops working
    session_key: Mapped[str | None] = mapped_column(String(32))
    # set by an administrator's password reset: the user must choose a new password before anything else
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # the account that registered the enterprise: it adds and removes its colleagues' accounts
    is_enterprise_main: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    office = relationship("Office")
    enterprise = relationship("Enterprise")
    region = relationship("Region")

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:  # Flask-Login: the session holds the id and the current session key
        return f"{self.id}:{self.session_key or ''}"

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 digest is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user = relationship("User")
