"""Helpers for the browser tests of the definition editors (test_browser_modeler, test_browser_modeling_zh)."""

from __future__ import annotations

import os
from pathlib import Path

BPMN = (Path(__file__).resolve().parents[1] / "workflows" / "recognition.bpmn").read_text(encoding="utf-8")
SCREENSHOTS = os.environ.get("TIERFLOW_SCREENSHOT_DIR", "/tmp")


def open_editor(page, key: str = "recognition") -> None:
    """Open a definition's editor and wait until the modeler has loaded the diagram or table."""
    from playwright.sync_api import expect

    page.goto(f"/admin/definitions/{key}/edit")
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true")
