"""Eligibility: who a posting or a programme is open to (universities, faculties, study
levels, graduation years, non-local students). Empty lists mean open to all. Both domains
state it with the same attributes, so it is defined once, here:

- models: the columns and the check constraint both tables carry (EligibilityColumns);
- content: the data (Eligibility), its one validation and writing it onto a model;
- forms: the six form fields and their help (EligibilityFields), and a model's eligibility
  as the form's initial data;
- rules: whether a student is eligible, as reasons they can read and as a SQL condition
  on postings, and the universities' approvals of postings.

templates/_macros/eligibility.html renders the fields on both edit pages.
"""
