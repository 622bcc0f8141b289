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
