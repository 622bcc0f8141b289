"""Rewards and subsidies (奖补): policies as data, claims as a BPMN process, a ledger that adds up."""

from app.rewards import adapter, operations, triggers  # noqa: F401,E402 - registration on import
