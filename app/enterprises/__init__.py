"""Enterprises: their registration and the 一企一册 ledger (one record of everything about an enterprise)."""
