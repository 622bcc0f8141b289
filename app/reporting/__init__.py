"""Reporting: statistics, targets, rankings, periodic reports and exports, read-only over the domains."""
