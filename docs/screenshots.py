"""The user guide's screenshots (docs/screenshots/*.png), taken in headless Chromium from a throw-away demo.

    make screenshots          # or: .venv/bin/python docs/screenshots.py

A fresh SQLite database in a temporary folder is migrated and seeded with the demo data (`flask seed-demo`,
`flask deploy-shipped`), served on a free local port, and each role's key pages are captured at 1280×800 in
Chinese. The PNGs are reduced to a 64-colour palette to keep the repository small. Needs Debian's chromium
(`make browser`)."""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "demo12345"
VIEWPORT = {"width": 1280, "height": 800}


def _demo_app(folder: Path):
    """The app on a new demo database in `folder` (environment set before the config is imported)."""
    os.environ["TIERFLOW_DATABASE_URL"] = f"sqlite:///{folder / 'demo.db'}"
    os.environ["TIERFLOW_UPLOAD_DIR"] = str(folder / "uploads")
    sys.path.insert(0, str(ROOT))
    from app import create_app

    app = create_app()
    runner = app.test_cli_runner()
    for command in (["db", "upgrade"], ["seed-demo"], ["deploy-shipped", "--migrate"]):
        result = runner.invoke(args=command)
        if result.exit_code != 0:
            raise SystemExit(f"flask {' '.join(command)} failed:\n{result.output}")
    return app


def _serve(app) -> str:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def _shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = _demo_app(Path(tmp))
        with app.app_context():
            from app import demo

            expert = (demo.open_expert_tasks() or ["expert-1"])[0]
        base = _serve(app)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])

            def shots(username: str | None, steps: list[tuple[str, str, object]]) -> None:
                context = browser.new_context(base_url=base, locale="zh-CN", viewport=VIEWPORT)
                page = context.new_page()
                if username:
                    page.goto("/login")
                    page.get_by_label("用户名").fill(username)
                    page.get_by_label("密码").fill(PASSWORD)
                    page.get_by_role("button", name="登录").click()
                    page.wait_for_load_state("networkidle")
                for name, path, action in steps:
                    page.goto(path)
                    if callable(action):
                        action(page)
                    page.wait_for_load_state("networkidle")
                    target = OUT / f"{name}.png"
                    page.screenshot(path=str(target))
                    _shrink(target)
                    print(f"{target.relative_to(ROOT)}  {target.stat().st_size // 1024} KiB")
                context.close()

            def pick_region(page) -> None:
                picker = page.get_by_test_id("region-picker")
                picker.get_by_label("省").select_option("220000")
                picker.get_by_label("市").locator("option[value='220600']").wait_for(state="attached")
                picker.get_by_label("市").select_option("220600")
                picker.get_by_label("县（区）").locator("option[value='220602']").wait_for(state="attached")
                picker.get_by_label("县（区）").select_option("220602")

            def first_link(test_id: str):
                def follow(page) -> None:
                    page.get_by_test_id(test_id).locator("tbody a").first.click()
                return follow

            def open_first_task(page) -> None:
                page.locator("a[href^='/tasks/']").first.click()

            def open_expert_task(page) -> None:
                page.locator("a[href^='/expert/tasks/']").first.click()

            def open_first_application(page) -> None:
                page.locator("a[href^='/applications/']").filter(has_text="查看").first.click()

            shots(None, [("enterprise-register", "/register", pick_region)])
            shots("ent-baishan", [("enterprise-dashboard", "/dashboard", None),
                                  ("enterprise-application", "/dashboard", open_first_application),
                                  ("enterprise-accounts", "/account/colleagues", None)])
            shots("rev-220602", [("county-inbox", "/inbox", None), ("county-task", "/inbox", open_first_task)])
            with app.app_context():  # the county passes the Baishan city-tier application on: the city's inbox has it
                from app.extensions import db
                from app.models import Application, Enterprise

                waiting = db.session.scalar(db.select(Application).join(Enterprise).where(
                    Enterprise.name == "白山长白山精密机械有限公司", Application.target_tier == "city"))
                demo._decide("rev-220602", waiting, "approve")
                db.session.commit()
            shots("rev-220600", [("city-inbox", "/inbox", None)])
            shots("rev-220000-construction", [("province-inbox", "/inbox", None),
                                              ("province-task", "/inbox", open_first_task)])
            shots(expert, [("expert-tasks", "/expert/tasks", None), ("expert-task", "/expert/tasks", open_expert_task)])
            shots("admin", [("admin-users", "/admin/users", None), ("admin-calls", "/admin/calls", None),
                            ("admin-applications", "/admin/applications", None)])
            shots("leader-220000", [("leader-dashboard", "/dashboard/", None)])
            browser.close()


if __name__ == "__main__":
    main()
