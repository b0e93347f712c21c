"""Single sign-on: one OpenID Connect connection per university, and the identities it links."""
