"""Accounts: users, roles, signing in and out (demo sign-in in development)."""
