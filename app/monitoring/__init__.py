"""Operating monitoring (运行监测, 001 §二(一)7, 002 §三(一), 004 §三(一)3): programmes per jurisdiction,
periods opened by the `monitoring_cycle` process, each member's report filed through `monitoring_report`."""

from app.monitoring import adapter, operations  # noqa: F401,E402 - registration on import
