"""Reporting (read-only over the domains): statistics of the register, the application pipeline and the
monitored cohort, targets and their computed progress, rankings (考评), periodic reports (定期调度), exports. Every
figure is a SQL aggregation (GROUP BY) scoped to the caller's jurisdiction (scope.py)."""
