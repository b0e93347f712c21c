"""Placement reporting: who may see which students' figures (scope), the period and cohort
a report covers (filter), the dashboard's aggregates, their drill-down lists and the
graduate outcomes of a class, all computed in SQL."""
