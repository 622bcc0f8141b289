"""Every answer the suite's API client (tests/conftest.py `Api`) gets from a documented operation is checked against
the OpenAPI document (app/api/openapi.yaml): its status must be one the operation documents, its body must match the
schema documented for that status. So the whole suite's realistic calls keep the document's success shapes true,
and the fuzz test of tests/test_openapi.py its error answers."""

from __future__ import annotations

import os
import re
from functools import cache

from werkzeug.exceptions import HTTPException

from app.api.openapi import document


@cache
def _schema():
    import schemathesis

    return schemathesis.openapi.from_dict(document())


def path_template(rule: str) -> str:
    """A Flask rule as an OpenAPI path: /api/v1/applications/<int:application_id> → …/{application_id}."""
    return re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule)


def template_of(app, method: str, path: str) -> str | None:
    """The documented path template a concrete /api/v1 URL is served by, or None."""
    try:
        rule, _args = app.url_map.bind("localhost").match(path.split("?", 1)[0], method=method, return_rule=True)
    except HTTPException:
        return None
    return path_template(rule.rule)


def conform(app, method: str, path: str, response) -> None:
    if not path.startswith("/api/v1/"):
        return
    template = template_of(app, method, path)
    operation = document()["paths"].get(template or "", {}).get(method.lower())
    if operation is None:  # not documented: tests/test_openapi.py's coverage test reports it
        return
    assert str(response.status_code) in operation["responses"], (
        f"{method} {path} answered {response.status_code}, which app/api/openapi.yaml does not document for "
        f"{method} {template} ({', '.join(operation['responses'])}): {response.get_data(as_text=True)[:300]}")
    _schema()[template][method.upper()].validate_response(response)
    if os.environ.get("OPENAPI_SEEN"):  # which operations and answers the suite exercises (one line per answer)
        with open(os.environ["OPENAPI_SEEN"], "a", encoding="utf-8") as seen:
            seen.write(f"{method.upper()} {template} {response.status_code}\n")
