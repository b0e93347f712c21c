"""SSO end to end: the portal against real OpenID providers (tests/oidc_provider)."""
