"""Deadlines in Chinese working days, around the National Day and Spring Festival holidays."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.core.workdays import CHINA, add_working_days, is_workday, working_days_left


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=CHINA)


@pytest.mark.parametrize("start,days,due", [
    ("2025-09-26", 1, "2025-09-28"),   # Friday → the adjusted working Sunday before National Day
    ("2025-09-28", 2, "2025-09-30"),
    ("2025-09-30", 1, "2025-10-09"),   # 1–8 October off
    ("2025-09-30", 2, "2025-10-10"),
    ("2025-10-09", 2, "2025-10-11"),   # Saturday 11 October is a working day
    ("2026-02-13", 1, "2026-02-14"),   # Saturday 14 February 2026 is a working day
    ("2026-02-14", 1, "2026-02-24"),   # Spring Festival: 15–23 February off
    ("2026-02-24", 4, "2026-02-28"),   # and Saturday 28 February works
    ("2026-09-30", 1, "2026-10-08"),   # National Day 2026: 1–7 October off
    ("2026-12-31", 1, "2027-01-01"),   # beyond the calendar's data: Monday to Friday
])
def test_add_working_days(start, days, due):
    result = add_working_days(at(start), days)
    assert result.date().isoformat() == due
    assert (result.hour, result.minute) == (23, 59) and result.tzinfo == CHINA


def test_holiday_facts():
    assert not is_workday(at("2025-10-01").date()) and is_workday(at("2025-10-11").date())
    assert not is_workday(at("2026-02-16").date()) and is_workday(at("2026-02-28").date())


def test_days_left_and_overdue():
    due = add_working_days(at("2026-02-13"), 2)  # 14 Feb works, then 24 Feb
    assert due.date().isoformat() == "2026-02-24"
    assert working_days_left(at("2026-02-14"), due) == 1
    assert working_days_left(at("2026-02-24"), due) == 0
    assert working_days_left(at("2026-02-26"), due) == -2


def test_review_tasks_get_a_due_time(api, submitted):
    application = submitted("city")
    task = api.get("/api/v1/tasks", as_="rev-220602").get_json()["items"][0]
    assert task["application_id"] == application["id"] and task["due_at"] is not None
    created = datetime.fromisoformat(task["created_at"])
    assert datetime.fromisoformat(task["due_at"]) == add_working_days(created, 10)


def test_inbox_shows_working_days_left(app, client, submitted):
    from tests.conftest import PASSWORD, csrf_token

    submitted("city")
    token = csrf_token(client, "/login")
    client.post("/login", data={"csrf_token": token, "username": "rev-220602", "password": PASSWORD})
    assert "剩余 10 个工作日" in client.get("/inbox").get_data(as_text=True)
