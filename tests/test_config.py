"""Configuration: production refuses to start without a real secret key."""

from __future__ import annotations

import pytest

from app import create_app
from config import CONFIGS, ProductionConfig, get_config


def test_production_needs_a_real_secret_key(monkeypatch):
    monkeypatch.delenv("TIERFLOW_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="TIERFLOW_SECRET_KEY"):
        create_app(ProductionConfig)
    monkeypatch.setenv("TIERFLOW_SECRET_KEY", "change-me")
    with pytest.raises(RuntimeError):
        create_app(ProductionConfig)
    monkeypatch.setenv("TIERFLOW_SECRET_KEY", "x" * 48)
    app = create_app(ProductionConfig)
    assert app.config["SECRET_KEY"] == "x" * 48 and not app.debug


def test_outside_production_the_key_is_this_installations_own_never_a_public_default(monkeypatch, tmp_path):
    """Issue 16 §10: without TIERFLOW_SECRET_KEY a development app signs with a random key kept in its instance
    folder, so a cookie forged with a published default key is refused."""
    from flask.sessions import SecureCookieSessionInterface

    from config import DevelopmentConfig, instance_secret_key

    monkeypatch.delenv("TIERFLOW_SECRET_KEY", raising=False)
    first = instance_secret_key(tmp_path)
    assert len(first) >= 32 and first == instance_secret_key(tmp_path)  # made once, then read
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # only its owner reads it
    assert instance_secret_key(tmp_path / "other") != first  # another installation, another key
    app = create_app(DevelopmentConfig)
    key = app.config["SECRET_KEY"]
    assert key not in ("dev-insecure-key", "dev", "change-me", "") and len(key) >= 32
    assert create_app(DevelopmentConfig).config["SECRET_KEY"] == key  # the same across processes and restarts
    forger = create_app(DevelopmentConfig)
    forger.secret_key = "dev-insecure-key"
    forged = SecureCookieSessionInterface().get_signing_serializer(forger).dumps({"_user_id": "1"})
    client = app.test_client()
    client.set_cookie("session", forged)
    assert client.get("/admin/applications").status_code in (302, 401)  # not logged in: the cookie is refused
    monkeypatch.setenv("TIERFLOW_SECRET_KEY", "change-me")  # a weak key is ignored outside production too
    assert create_app(DevelopmentConfig).config["SECRET_KEY"] == key


def test_config_names():
    assert set(CONFIGS) == {"development", "testing", "production"}
    assert get_config("testing").TESTING is True
    with pytest.raises(RuntimeError):
        get_config("staging")


def test_create_admin_command(app):
    from app.extensions import db
    from app.models import User

    runner = app.test_cli_runner()
    weak = runner.invoke(args=["create-admin", "boss"], input="short\nshort\n")
    assert weak.exit_code != 0
    result = runner.invoke(args=["create-admin", "boss"], input="s3cret-pass\ns3cret-pass\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "boss"))
        assert user.role == "admin" and user.check_password("s3cret-pass")
    assert runner.invoke(args=["create-admin", "boss"], input="s3cret-pass\ns3cret-pass\n").exit_code != 0


def test_password_hash_method_is_a_setting(app):
    from app.models import User
    from config import DEFAULT_PASSWORD_HASH_METHOD, TestingConfig

    assert DEFAULT_PASSWORD_HASH_METHOD == "scrypt" and TestingConfig.PASSWORD_HASH_METHOD == "pbkdf2:sha256:1"
    user = User(username="hashed", role="admin")
    user.set_password("s3cret-pass")  # outside an app context: werkzeug's default
    assert user.password_hash.startswith("scrypt:") and user.check_password("s3cret-pass")
    with app.app_context():
        user.set_password("s3cret-pass")
    assert user.password_hash.startswith("pbkdf2:sha256:1$") and user.check_password("s3cret-pass")
    assert not user.check_password("wrong-pass")
