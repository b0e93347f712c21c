"""Tests of university single sign-on (OpenID Connect)."""
