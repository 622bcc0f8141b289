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
