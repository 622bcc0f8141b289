"""The OpenAPI 3.1 document of API v1, from app/api/openapi.yaml (the one maintained description): served as JSON at
/api/v1/openapi.json (no login) and browsable at /api/docs (Swagger UI, vendored from npm by `make setup`)."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, jsonify, render_template

from app.api import bp

SOURCE = Path(__file__).with_name("openapi.yaml")
METHODS = ("get", "put", "post", "delete", "patch")

docs_bp = Blueprint("api_docs", __name__)


def _takes_token(security: list[dict]) -> bool:
    return any("bearer" in requirement for requirement in security)


@cache
def document() -> dict[str, Any]:
    """The document with its shorthands expanded: `x-errors: [404, …]` → the error answers; 401 on every
    operation that takes a bearer token, 403 on every one that needs one."""
    raw = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    default_security = raw.get("security", [])
    for item in raw["paths"].values():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            codes = list(operation.pop("x-errors", []))
            security = operation.get("security", default_security)
            if _takes_token(security):  # no token, or a bad one
                codes.append(401)
            if security and all("bearer" in requirement for requirement in security):
                codes.append(403)  # also `password_change_required` after a reset (app/api/__init__.py)
            for code in sorted(set(codes)):
                responses.setdefault(str(code), {"$ref": f"#/components/responses/E{code}"})
    return raw


def operations() -> list[tuple[str, str]]:
    """(method, path) of every documented operation, the path as written in the document."""
    return [(method, path) for path, item in document()["paths"].items() for method in METHODS if method in item]


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(copy.deepcopy(document()))


@docs_bp.get("/api/docs")
def browse():
    return render_template("api/docs.html")
