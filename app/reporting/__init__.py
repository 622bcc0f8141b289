"""Reporting (read-only over the domains): statistics of the register, the application pipeline and the
monitored cohort, targets and their computed progress. Every figure is a SQL aggregation (GROUP BY) scoped
to the caller's jurisdiction (scope.py)."""
