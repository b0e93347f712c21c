"""Administration of people: SSO settings, staff roles, company members and invitations."""
