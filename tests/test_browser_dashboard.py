"""The dashboard in headless Chromium: a city's leading group lands on it, ECharts draws the charts, and a
click on a bar opens the register entries behind it (as many as the bar counts)."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import User
from tests.conftest import log_in


def test_leader_clicks_a_bar_through_to_the_list(app, page, password_hash, enterprise, grant):
    from playwright.sync_api import expect

    with app.app_context():
        db.session.add(User(username="leader-220600", role="leader", region_code="220600",
                            password_hash=password_hash))
        db.session.commit()
    for n in range(3):
        enterprise(f"bsx{n}", "220602", name=f"白山测试企业{n}")
        grant(f"bsx{n}", "city")
    grant("bsx0", "province")
    log_in(page, "leader-220600")
    expect(page.get_by_test_id("scope")).to_have_text("白山市")
    page.locator('#chart-tiers[data-drawn="true"] canvas').wait_for()
    page.locator('#chart-targets[data-drawn="true"] canvas').wait_for()
    # the city bar (3) of the tier chart: find its pixel through ECharts and click it
    point = page.evaluate("""() => {
        const el = document.getElementById('chart-tiers');
        el.scrollIntoView({block: 'center', behavior: 'instant'});
        const chart = echarts.getInstanceByDom(el);
        const option = chart.getOption();
        const index = option.xAxis[0].data.findIndex((name) => name.startsWith('市'));
        const top = chart.convertToPixel({seriesIndex: 0}, [index, option.series[0].data[index]]);
        const bottom = chart.convertToPixel({seriesIndex: 0}, [index, 0]);
        const box = el.getBoundingClientRect();
        return {x: box.left + top[0], y: box.top + (top[1] + bottom[1]) / 2};
    }""")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(r"/dashboard/recognitions\?.*tier=city"))
    expect(page.get_by_test_id("entries").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("total")).to_contain_text("3")
    assert page.js_errors == []
