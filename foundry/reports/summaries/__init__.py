"""Report summaries: small tables that hold what the placement dashboard counts, per
student and academic year (report_student_years), per academic year, cohort and
company, kind of posting or month (report_company_years, report_kind_years,
report_months), and per user and academic year they signed in (report_sign_in_years), so
that a dashboard for an academic year reads a few thousand rows instead of every
application and sign-in of two years.

- models: the tables; definitions: each table's rows as SQL over the raw data;
- maintenance: refreshing the students a change touched, rebuilding, checking;
- tracking: the session hooks that refresh the touched students at every flush, in the
  same transaction as the change, following what the models declare they contribute
  (`__report_facts__`, foundry.db.ReportFacts);
- sign_ins: a sign-in counted where it happens (the sign-in service calls it), with no
  lock and no recompute;
- queries: the dashboard's statements over the summaries (its DashboardSource,
  foundry.reports.sources).
- head_counts: the students per cohort, talent pool and CV (report_student_counts), that
  the faculty and university home pages and the park admin's figures add up; followed at
  every flush by tracking too.

Invariant: every summary table holds exactly what its definition gives from the raw data
now. `flask reports check-summaries` tests it; `flask reports rebuild-summaries` restores
it after writes the hooks cannot see (plain SQL). Custom date ranges are not summarised:
the dashboard reads the raw rows for them (foundry.reports.aggregates).
"""
