"""/api/docs in headless Chromium: Swagger UI loads the served document and lists its operations; one of them
opens with its parameters and documented answers."""

from __future__ import annotations


def test_the_api_document_is_browsable(page):
    from playwright.sync_api import expect

    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tierflow API")
    operation = page.locator("#operations-applications-get_application")
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    expect(operation.locator(".responses-table")).to_contain_text("404")
    expect(operation.locator(".parameters")).to_contain_text("application_id")
    assert page.locator(".opblock").count() > 100  # every operation, rendered with the first
    assert page.js_errors == []
