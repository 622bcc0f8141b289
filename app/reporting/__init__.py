"""Reporting: read-only views over the domains — statistics, targets, rankings, periodic reports, exports."""
