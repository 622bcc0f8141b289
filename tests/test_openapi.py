"""The OpenAPI document (app/api/openapi.yaml) is served, covers exactly the registered /api/v1 routes, and is
true: schemathesis calls every operation from it in process (WSGI), as an enterprise, a county reviewer, the
admin, an expert and anonymously, and fails on any 5xx and on any answer (status, media type, body, headers)
that the document does not describe."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api.openapi import METHODS, document
from tests.conftest import FULL_DATA, PASSWORD
from tests.openapi_support import path_template

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
ROLES = ("acme", "rev-220602", "admin", "expert-1", None)  # None: no token
# these end the token sent (a password change: every token of the user): a fresh token for each call
REVOKING = {"/api/v1/auth/refresh", "/api/v1/auth/logout", "/api/v1/me/password"}
MAX_EXAMPLES = 8  # per operation and generation mode (~30 s in all on two idle cores; 25 found nothing more)


def _documented() -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in document()["paths"].items() for method in METHODS
            if method in item}


def _registered(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        found |= {(method, path_template(rule.rule)) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def test_every_route_is_documented_and_every_documented_operation_exists(app):
    registered, documented = _registered(app), _documented()
    assert registered - documented == set(), "routes missing from app/api/openapi.yaml"
    assert documented - registered == set(), "operations in app/api/openapi.yaml that no route serves"
    assert len(documented) > 100


def test_the_document_is_served_and_browsable(client):
    r = client.get("/api/v1/openapi.json")  # no token needed
    assert r.status_code == 200 and r.mimetype == "application/json"
    served = r.get_json()
    assert served["openapi"] == "3.1.0"
    schemathesis.openapi.from_dict(served).validate()  # against the OpenAPI 3.1 meta-schema
    assert served["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/auth/token"}
    # the shorthands are expanded: the error answers of an operation, and 401 wherever a token is taken
    get_application = served["paths"]["/api/v1/applications/{application_id}"]["get"]["responses"]
    assert get_application["404"] == {"$ref": "#/components/responses/E404"}
    assert get_application["401"] == {"$ref": "#/components/responses/E401"}
    assert "401" not in served["paths"]["/api/v1/notices"]["get"]["responses"]
    assert "x-errors" not in r.get_data(as_text=True)
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-spec-url="/api/v1/openapi.json"' in html and "swagger-ui-bundle.js" in html
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_the_error_answers_match_the_document(api, app):
    """The error body and statuses the document promises, on a few calls a client gets wrong."""
    schema = schemathesis.openapi.from_dict(document())

    def check(method: str, path: str, template: str, response) -> None:
        operation = schema[template][method]
        operation.validate_response(response)
        assert str(response.status_code) in operation.definition.raw["responses"], (path, response.status_code)

    check("GET", "/api/v1/me", "/api/v1/me", api.get("/api/v1/me"))  # 401
    r = api.post("/api/v1/applications", as_="admin", data="not json", content_type="application/json")
    assert r.status_code == 400
    check("POST", "/api/v1/applications", "/api/v1/applications", r)
    r = api.get("/api/v1/applications/999999", as_="admin")
    assert r.status_code == 404
    check("GET", "/api/v1/applications/999999", "/api/v1/applications/{application_id}", r)
    r = api.get("/api/v1/process-bindings", as_="rev-220602")
    assert r.status_code == 403
    check("GET", "/api/v1/process-bindings", "/api/v1/process-bindings", r)


@pytest.fixture
def fuzz_world(api, submitted, grant):
    """What the fuzzer's ids can reach: an enterprise with a submitted application (a county task), a
    recognition; tokens for each role."""
    submitted("city", username="acme")
    grant("acme", "province")
    api.post("/api/v1/applications", as_="acme", json={"target_tier": "seed", "data": dict(FULL_DATA)})
    return {username: api.token(username) for username in ROLES if username}


def _fresh_token(app, username: str) -> str:
    r = app.test_client().post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    return r.get_json()["token"]


def _near(value: int) -> int:
    """Ids the world has (1–4) for most examples, the generated (mostly unknown) id for the others."""
    return value if value % 3 == 0 else value % 4 + 1


def _explain(exc: BaseException) -> str:
    """The failures with their details and the request that reproduces them (hypothesis' notes)."""
    parts = [str(e) for e in getattr(exc, "exceptions", ())] or [str(exc)]
    return "\n".join(parts + list(getattr(exc, "__notes__", [])))


def _fuzz(app, tokens: dict[str, str], operation, mode: GenerationMode) -> None:
    """Call one operation with MAX_EXAMPLES generated requests, each as one of ROLES; raises on the first answer
    outside the document."""
    strategy = operation.as_strategy(generation_mode=mode)

    @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy, role=st.sampled_from(ROLES))
    def call(case, role):
        for name, value in (case.path_parameters or {}).items():
            # a malformed id or year would be another URL (404, 405), not this operation: ids are mostly ones the
            # world has, years as generated when whole numbers, keys as generated
            if name == "year":
                case.path_parameters[name] = value if isinstance(value, int) else 2026
            elif name != "key":
                case.path_parameters[name] = _near(value if isinstance(value, int) and value > 0 else 3)
        token = _fresh_token(app, role) if role and operation.path in REVOKING else tokens.get(role)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = case.call(app=app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    call()


def test_every_operation_answers_as_documented(app, fuzz_world):
    schema = schemathesis.openapi.from_dict(document())
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(app, fuzz_world, operation, mode)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  (collect them all: one report)
                if "Unsatisfiable" in type(exc).__name__:
                    continue
                failures.append(f"{operation.label} ({mode.value}): {_explain(exc)}")
    assert not failures, f"{len(failures)} operations answer outside the document:\n\n" + "\n\n".join(failures)


def test_the_documented_security_is_enforced(client):
    """Every operation that the document says needs a token answers 401 without one (before it reads anything
    else); those that take none, or one optionally, do not."""
    default = document()["security"]
    for method, path in sorted(_documented()):
        operation = document()["paths"][path][method.lower()]
        security = operation.get("security", default)
        status = client.open(re.sub(r"\{[a-z_]+\}", "1", path), method=method).status_code
        required = bool(security) and all("bearer" in requirement for requirement in security)
        assert (status == 401) == required, f"{method} {path}: {status} without a token, security {security}"
        assert str(status) in operation["responses"] or "401" in operation["responses"]


def test_answers_the_rest_of_the_suite_does_not_check(app, api, enterprise, grant, enter_library):
    """The success answers of the operations no other test calls through the checking client (tests/conftest.py
    `Api`, which validates every answer against the document)."""
    import io

    from tests.test_monitoring import open_jilin, setup_programmes

    assert api.get("/api/v1/openapi.json").status_code == 200
    assert api.get("/api/v1/libraries").status_code == 200
    r = api.post("/api/v1/auth/refresh", as_="expert-2")
    assert r.status_code == 200
    r = api.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {r.get_json()['token']}"})
    assert r.status_code == 200 and r.get_json() == {"revoked": True}

    r = api.post("/api/v1/me/password", as_="expert-3", json={"current": PASSWORD, "new": "Expert2026pass"})
    assert r.status_code == 200, r.get_json()

    r = api.post("/api/v1/filters", as_="rev-220602", json={"name": "省级", "params": {"tier": "province"}})
    assert r.status_code == 201, r.get_json()
    assert api.delete(f"/api/v1/filters/{r.get_json()['id']}", as_="rev-220602").status_code == 204

    r = api.post("/api/v1/targets", as_="admin", json={"region_code": "220100", "metric": "tier_province",
                                                         "year": 2031, "basis": "new", "value": 5, "clause": "x"})
    assert r.status_code == 201, r.get_json()
    assert api.put(f"/api/v1/targets/{r.get_json()['id']}", as_="admin", json={"value": 6}).status_code == 200

    _username, firm = enterprise("jinhu", "320831", name="金湖测试企业")
    membership = enter_library("jinhu")
    r = api.post(f"/api/v1/library-memberships/{membership}/exit", as_="admin", json={"reason": "迁出"})
    assert r.status_code == 200, r.get_json()

    enterprise("prov", "220602", name="省级企业")
    grant("prov", "province")
    setup_programmes(app)
    open_jilin(app)
    report = api.get("/api/v1/monitoring/reports", as_="prov").get_json()["items"][0]
    assert api.get(f"/api/v1/monitoring/reports/{report['id']}", as_="prov").status_code == 200

    r = api.post("/api/v1/uscc-claims", content_type="multipart/form-data", data={
        "uscc": firm["uscc"], "registered_name": "金湖真实公司", "contact_name": "王真", "contact_phone": "13900000001",
        "username": "realco", "password": "Real2026pass", "file": (io.BytesIO(b"%PDF-1.4\n"), "licence.pdf")})
    assert r.status_code == 201, r.get_json()
