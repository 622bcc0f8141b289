"""Enterprises: their registration and the 一企一册 ledger (one record of everything about an enterprise)."""

from app.enterprises import uscc_adapter, uscc_operations  # noqa: F401,E402 - registration on import (issue 16 §8)
