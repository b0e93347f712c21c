"""Tests of the Talent Pool: search by verified companies and invitations to apply."""
