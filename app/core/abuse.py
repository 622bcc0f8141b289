"""Abuse limits (issue 16 §7) as Flask-Limiter rules, each read from a setting so an operator can tune it: logins
from one address and failed logins of one username (lockout with Retry-After), self-registrations, objections per
address and per application, uploads. Exceeding one answers 429 (`rate_limited` in the API)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request

from app.extensions import limiter


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _login_username() -> str:
    body = request.get_json(silent=True) if request.is_json else None
    name = (body or {}).get("username") if isinstance(body, dict) else request.form.get("username")
    return "login:" + (name.strip().lower() if isinstance(name, str) else "")


def _off() -> bool:
    """This app runs without abuse limits (TIERFLOW_ABUSE_LIMITS=0; the test suite)."""
    return not current_app.config.get("ABUSE_LIMITS", True)


def _limit(setting: str, **options: Any) -> Callable[[Callable], Callable]:
    return limiter.limit(_setting(setting), methods=["POST"], exempt_when=_off, **options)


def _failed(response: Any) -> bool:
    return response.status_code >= 400


def login(view: Callable) -> Callable:
    """Per address, every attempt; per username, failed attempts only (a lockout that the right password does
    not reset early, so guessing cannot be interleaved with the owner's logins)."""
    view = _limit("LOGIN_LIMIT_ACCOUNT", key_func=_login_username, deduct_when=_failed)(view)
    return _limit("LOGIN_LIMIT_CLIENT")(view)


def registration(view: Callable) -> Callable:
    return _limit("REGISTER_LIMIT")(view)


def objection(view: Callable) -> Callable:
    view = _limit("OBJECTION_LIMIT_APPLICATION",
                  key_func=lambda: f"objections:{(request.view_args or {}).get('application_id')}")(view)
    return _limit("OBJECTION_LIMIT_CLIENT")(view)


def upload(view: Callable) -> Callable:
    return _limit("UPLOAD_LIMIT")(view)
