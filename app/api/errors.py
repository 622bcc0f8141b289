"""The JSON error body of DESIGN.md: {"error": {"code", "message"}}."""

from __future__ import annotations

from flask import jsonify


def error_response(status: int, code: str, message: str, fields: dict | None = None, extra: dict | None = None):
    body: dict = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    if extra:
        body["error"].update(extra)
    response = jsonify(body)
    response.status_code = status
    return response
